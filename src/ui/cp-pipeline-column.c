/* cp-pipeline-column.c — one stage of the pipeline board
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-pipeline-column"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-lead-card.h"
#include "cp-lead-list-model.h"
#include "cp-pipeline-column.h"

struct _CpPipelineColumn
{
  GtkWidget           parent_instance;

  CpLeadStore        *store;
  CpLeadListModel    *model;
  GtkSliceListModel  *slice;
  GtkSingleSelection *selection;
  char               *stage;
  char               *title;
  guint               rotting_days;
  guint               count;
  gboolean            collapsed;
  /* The chosen card's lead while the list's items change (a reload
   * replaces every card), and whether it had the keyboard focus. */
  char               *kept_lead_id;
  guint               kept_position;
  gboolean            kept_focus;

  GtkWidget          *box;
  GtkLabel           *title_label;
  GtkLabel           *count_label;
  GtkLabel           *summary_label;
  GtkToggleButton    *collapse_button;
  GtkWidget          *skeleton;
  GtkWidget          *scroller;
  GtkListView        *list_view;
  GtkWidget          *context_menu;
};

G_DEFINE_FINAL_TYPE (CpPipelineColumn, cp_pipeline_column, GTK_TYPE_WIDGET)

/* GTK 4.8 list views keep up to 200 rows alive whatever is visible, so a
 * column shows a growing window of its leads: a first screenful, more as
 * the column is scrolled to its end. */
#define FIRST_CARDS 40
#define MORE_CARDS 100

enum {
  LEAD_DROPPED,
  LEAD_ACTIVATED,
  FOCUS_LOST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void context_menu_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter);

/* The card a list row shows, and its position in the column. */
static guint
row_position (GtkWidget *row)
{
  GtkWidget *card = gtk_widget_get_first_child (row);
  GtkListItem *item = card != NULL ? g_object_get_data (G_OBJECT (card), "cp-list-item") : NULL;

  return item != NULL ? gtk_list_item_get_position (item) : GTK_INVALID_LIST_POSITION;
}

static GtkWidget *
find_row (CpPipelineColumn *self,
          guint             position)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_view)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (row_position (row) == position)
      return row;

  return NULL;
}

/* The row of the list that holds the keyboard focus, if any. */
static GtkWidget *
focused_row (CpPipelineColumn *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_view)))
    return NULL;
  while (focus != NULL && gtk_widget_get_parent (focus) != GTK_WIDGET (self->list_view))
    focus = gtk_widget_get_parent (focus);

  return focus;
}

/* Selects the card at @position, scrolls it into view and gives it the
 * focus: on the board, the focused card and the selected one are one. */
static gboolean
focus_position (CpPipelineColumn *self,
                guint             position)
{
  GtkWidget *row;

  gtk_single_selection_set_selected (self->selection, position);
  /* Also how GTK 4.8's list learns which row has the focus, so that Up
   * and Down go on from there. */
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
  row = find_row (self, position);

  return row != NULL && gtk_widget_grab_focus (row);
}

/* Before a change of the cards reaches the selection and the list: which
 * lead is chosen (the model has changed already, so the lead is taken
 * from the focused card, or the selection's own copy). */
static void
cards_changing_cb (GListModel       *slice,
                   guint             position,
                   guint             removed,
                   guint             added,
                   CpPipelineColumn *self)
{
  GtkWidget *row = focused_row (self);
  GtkWidget *card = row != NULL ? gtk_widget_get_first_child (row) : NULL;
  CpLead *lead;

  g_clear_pointer (&self->kept_lead_id, g_free);
  self->kept_focus = CP_IS_LEAD_CARD (card);
  lead = self->kept_focus ? cp_lead_card_get_lead (CP_LEAD_CARD (card))
                          : gtk_single_selection_get_selected_item (self->selection);
  self->kept_position = self->kept_focus ? row_position (row)
                                         : gtk_single_selection_get_selected (self->selection);
  if (lead != NULL && self->kept_position != GTK_INVALID_LIST_POSITION)
    self->kept_lead_id = g_strdup (cp_lead_get_id (lead));
}

/* Where the card of @lead_id is now, or %GTK_INVALID_LIST_POSITION; near
 * @around only: a column shown to its end holds every lead of the stage. */
static guint
find_lead (CpPipelineColumn *self,
           const char       *lead_id,
           guint             around)
{
  GListModel *slice = G_LIST_MODEL (self->slice);
  guint end = MIN (g_list_model_get_n_items (slice), around + MORE_CARDS);

  for (guint i = around > MORE_CARDS ? around - MORE_CARDS : 0; i < end; i++)
    {
      g_autoptr(CpLead) lead = g_list_model_get_item (slice, i);

      if (lead != NULL && g_strcmp0 (cp_lead_get_id (lead), lead_id) == 0)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

/* After the list has the changed cards: a reload (an import, a sync,
 * another window's edit) replaced the chosen card, and the focus with it.
 * The same lead is chosen again, and focused if it was; if it left the
 * column, the card now in its place takes the focus, so the arrows go on
 * from where the user was instead of the window's first widget. */
static void
cards_changed_cb (GListModel       *slice,
                  guint             position,
                  guint             removed,
                  guint             added,
                  CpPipelineColumn *self)
{
  g_autofree char *lead_id = g_steal_pointer (&self->kept_lead_id);
  CpLeadCard *card = cp_pipeline_column_get_focused_card (self);
  guint n = g_list_model_get_n_items (slice);
  GtkWidget *row;
  guint at;

  if (lead_id == NULL)
    return;
  if (card != NULL && cp_lead_card_get_lead (card) != NULL &&
      g_strcmp0 (cp_lead_get_id (cp_lead_card_get_lead (card)), lead_id) == 0)
    return;  /* the focused card was not replaced */
  if (!self->kept_focus && gtk_single_selection_get_selected_item (self->selection) != NULL)
    return;  /* still selected */

  at = find_lead (self, lead_id, self->kept_position);
  if (!self->kept_focus)
    {
      if (at != GTK_INVALID_LIST_POSITION)
        gtk_single_selection_set_selected (self->selection, at);
      return;
    }
  if (at == GTK_INVALID_LIST_POSITION && n > 0)
    at = MIN (self->kept_position, n - 1);
  if (at == GTK_INVALID_LIST_POSITION)
    {
      g_signal_emit (self, signals[FOCUS_LOST], 0);
      return;
    }
  /* A row already there takes the focus where it stands: scrolling to
   * it now would put it at the column's top, the new rows having no size
   * yet. */
  row = find_row (self, at);
  if (row != NULL)
    gtk_single_selection_set_selected (self->selection, at);
  if (row == NULL || !gtk_widget_grab_focus (row))
    focus_position (self, at);
}

static GdkContentProvider *
card_drag_prepare_cb (GtkDragSource *source,
                      double         x,
                      double         y,
                      gpointer       user_data)
{
  CpLeadCard *card = CP_LEAD_CARD (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source)));
  CpLead *lead = cp_lead_card_get_lead (card);

  if (lead == NULL)
    return NULL;

  return gdk_content_provider_new_typed (G_TYPE_STRING, cp_lead_get_id (lead));
}

static void
card_drag_begin_cb (GtkDragSource *source,
                    GdkDrag       *drag,
                    gpointer       user_data)
{
  GtkWidget *card = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (card);

  gtk_drag_source_set_icon (source, paintable, 20, 20);
}

/* Right-click (or the Menu key) on a card: select it, offer its actions. */
static void
show_context_menu (CpPipelineColumn *self,
                   GtkWidget        *card,
                   double            x,
                   double            y)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (card), "cp-list-item");
  graphene_point_t point;

  if (item == NULL || gtk_list_item_get_position (item) == GTK_INVALID_LIST_POSITION)
    return;

  gtk_single_selection_set_selected (self->selection, gtk_list_item_get_position (item));
  if (!gtk_widget_compute_point (card, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &point))
    point = GRAPHENE_POINT_INIT (x, y);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { (int) point.x, (int) point.y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

static void
card_pressed_cb (GtkGestureClick  *gesture,
                 int               n_press,
                 double            x,
                 double            y,
                 CpPipelineColumn *self)
{
  GtkWidget *card = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  show_context_menu (self, card, x, y);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
card_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               CpPipelineColumn         *self)
{
  GtkWidget *card = cp_lead_card_new ();
  GtkDragSource *drag = gtk_drag_source_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (card_pressed_cb), self);
  gtk_widget_add_controller (card, GTK_EVENT_CONTROLLER (click));
  g_object_set_data (G_OBJECT (card), "cp-list-item", item);

  gtk_drag_source_set_actions (drag, GDK_ACTION_MOVE);
  g_signal_connect (drag, "prepare", G_CALLBACK (card_drag_prepare_cb), NULL);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (card_drag_begin_cb), NULL);
  gtk_widget_add_controller (card, GTK_EVENT_CONTROLLER (drag));
  gtk_list_item_set_child (item, card);
}

/* The list's row is what takes the focus and what a screen reader lands
 * on, so it carries the card's name and description. */
static void
card_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              CpPipelineColumn         *self)
{
  CpLeadCard *card = CP_LEAD_CARD (gtk_list_item_get_child (item));
  GtkWidget *row = gtk_widget_get_parent (GTK_WIDGET (card));

  cp_lead_card_set_lead (card, gtk_list_item_get_item (item), self->title,
                         g_get_real_time () / G_USEC_PER_SEC, self->rotting_days);
  if (row != NULL && row != GTK_WIDGET (self->list_view))
    gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    cp_lead_card_get_accessible_label (card),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    cp_lead_card_get_accessible_description (card),
                                    -1);
}

static void
card_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                CpPipelineColumn         *self)
{
  cp_lead_card_set_lead (CP_LEAD_CARD (gtk_list_item_get_child (item)), NULL, NULL, 0, 0);
}

static gboolean
drop_cb (GtkDropTarget    *target,
         const GValue     *value,
         double            x,
         double            y,
         CpPipelineColumn *self)
{
  gtk_widget_remove_css_class (self->box, "drop-hover");
  if (!G_VALUE_HOLDS_STRING (value) || g_value_get_string (value) == NULL)
    return FALSE;

  g_signal_emit (self, signals[LEAD_DROPPED], 0, g_value_get_string (value));
  return TRUE;
}

static GdkDragAction
drop_enter_cb (GtkDropTarget    *target,
               double            x,
               double            y,
               CpPipelineColumn *self)
{
  gtk_widget_add_css_class (self->box, "drop-hover");
  return GDK_ACTION_MOVE;
}

static void
drop_leave_cb (GtkDropTarget    *target,
               CpPipelineColumn *self)
{
  gtk_widget_remove_css_class (self->box, "drop-hover");
}

static void
activate_cb (GtkListView      *list_view,
             guint             position,
             CpPipelineColumn *self)
{
  g_autoptr(CpLead) lead = g_list_model_get_item (G_LIST_MODEL (self->slice), position);

  if (lead != NULL)
    g_signal_emit (self, signals[LEAD_ACTIVATED], 0, cp_lead_get_id (lead));
}

static void
edge_reached_cb (GtkScrolledWindow *scroller,
                 GtkPositionType    position,
                 CpPipelineColumn  *self)
{
  if (position == GTK_POS_BOTTOM)
    gtk_slice_list_model_set_size (self->slice,
                                   gtk_slice_list_model_get_size (self->slice) + MORE_CARDS);
}

/* Until its first cards arrive, the column shows their shapes and says
 * it is busy; its header stays where it is. */
static void
update_loading (CpPipelineColumn *self)
{
  gboolean loading = cp_lead_list_model_get_loading (self->model);

  gtk_widget_set_visible (self->skeleton, loading && !self->collapsed);
  gtk_widget_set_visible (self->scroller, !loading && !self->collapsed);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->list_view),
                               GTK_ACCESSIBLE_STATE_BUSY, loading, -1);
}

static void
model_loading_changed_cb (CpLeadListModel  *model,
                          GParamSpec       *pspec,
                          CpPipelineColumn *self)
{
  update_loading (self);
}

/* An icon button says what it does: “Fold Closed won column”. */
static void
update_fold_button (CpPipelineColumn *self)
{
  g_autofree char *name = NULL;

  if (self->title == NULL)
    return;  /* still being built */
  /* Translators: the button folding a board column to a narrow strip; %s is a stage */
  name = g_strdup_printf (self->collapsed ? _("Unfold %s column") : _("Fold %s column"),
                          self->title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->collapse_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->collapse_button), name);
}

static void
collapse_toggled_cb (GtkToggleButton  *button,
                     CpPipelineColumn *self)
{
  cp_pipeline_column_set_collapsed (self, !gtk_toggle_button_get_active (button));
}

static void
cp_pipeline_column_dispose (GObject *object)
{
  CpPipelineColumn *self = CP_PIPELINE_COLUMN (object);

  if (self->slice != NULL)
    g_signal_handlers_disconnect_by_data (self->slice, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_PIPELINE_COLUMN);
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  g_clear_object (&self->selection);
  g_clear_object (&self->slice);
  g_clear_object (&self->model);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cp_pipeline_column_parent_class)->dispose (object);
}

static void
cp_pipeline_column_finalize (GObject *object)
{
  CpPipelineColumn *self = CP_PIPELINE_COLUMN (object);

  g_clear_pointer (&self->stage, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->kept_lead_id, g_free);

  G_OBJECT_CLASS (cp_pipeline_column_parent_class)->finalize (object);
}

static void
cp_pipeline_column_class_init (CpPipelineColumnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_pipeline_column_dispose;
  object_class->finalize = cp_pipeline_column_finalize;

  /**
   * CpPipelineColumn::lead-dropped:
   * @lead_id: the lead a card of which was dropped on this column
   */
  signals[LEAD_DROPPED] =
    g_signal_new ("lead-dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[LEAD_ACTIVATED] =
    g_signal_new ("lead-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * CpPipelineColumn::focus-lost:
   *
   * The focused card went in a reload, and the column has no card left
   * to take the focus: the board gives it to another column.
   */
  signals[FOCUS_LOST] =
    g_signal_new ("focus-lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/cp-pipeline-column.ui");
  gtk_widget_class_bind_template_child (widget_class, CpPipelineColumn, box);
  gtk_widget_class_bind_template_child (widget_class, CpPipelineColumn, title_label);
  gtk_widget_class_bind_template_child (widget_class, CpPipelineColumn, count_label);
  gtk_widget_class_bind_template_child (widget_class, CpPipelineColumn, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CpPipelineColumn, collapse_button);
  gtk_widget_class_bind_template_child (widget_class, CpPipelineColumn, skeleton);
  gtk_widget_class_bind_template_child (widget_class, CpPipelineColumn, scroller);
  gtk_widget_class_bind_template_child (widget_class, CpPipelineColumn, list_view);
  gtk_widget_class_bind_template_callback (widget_class, collapse_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, activate_cb);
  gtk_widget_class_install_action (widget_class, "column.context-menu", NULL, context_menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "column.context-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "column.context-menu", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cp-pipeline-column");
}

static void
cp_pipeline_column_init (CpPipelineColumn *self)
{
  GtkListItemFactory *factory;
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (card_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (card_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (card_unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  g_signal_connect (drop, "enter", G_CALLBACK (drop_enter_cb), self);
  g_signal_connect (drop, "leave", G_CALLBACK (drop_leave_cb), self);
  gtk_widget_add_controller (self->box, GTK_EVENT_CONTROLLER (drop));
  g_signal_connect (self->scroller, "edge-reached", G_CALLBACK (edge_reached_cb), self);

  {
    g_autoptr(GMenu) menu = g_menu_new ();

    g_menu_append (menu, _("_Open"), "pipeline.open-selected");
    g_menu_append (menu, _("_Edit…"), "pipeline.edit-selected");
    g_menu_append (menu, _("_Move to…"), "pipeline.move-selected");
    self->context_menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
    gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
    gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
    gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));
  }
}

/* The Menu key or Shift+F10 opens the selected card's menu. */
static void
context_menu_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CpPipelineColumn *self = CP_PIPELINE_COLUMN (widget);
  GtkWidget *row = focused_row (self);
  guint position = row != NULL ? row_position (row) : GTK_INVALID_LIST_POSITION;
  graphene_rect_t bounds;

  /* The menu is for the focused card; without one, for the selected card. */
  if (position != GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection, position);
  position = gtk_single_selection_get_selected (self->selection);
  if (position == GTK_INVALID_LIST_POSITION)
    return;

  row = find_row (self, position);
  if (row != NULL && gtk_widget_compute_bounds (row, GTK_WIDGET (self), &bounds))
    gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                                 &(GdkRectangle) { (int) bounds.origin.x + 24,
                                                   (int) (bounds.origin.y + bounds.size.height / 2),
                                                   1, 1 });
  else
    gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                                 &(GdkRectangle) { 24, 48, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/**
 * cp_pipeline_column_new:
 * @rotting_days: cards older than this in the stage get a warning tint
 * @collapsible: closed stages can be folded to a narrow strip
 */
CpPipelineColumn *
cp_pipeline_column_new (CpLeadStore *store,
                        const char  *stage,
                        const char  *title,
                        guint        rotting_days,
                        gboolean     collapsible)
{
  CpPipelineColumn *self;
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), NULL);
  g_return_val_if_fail (stage != NULL, NULL);

  self = g_object_new (CP_TYPE_PIPELINE_COLUMN, NULL);
  self->store = g_object_ref (store);
  self->stage = g_strdup (stage);
  self->title = g_strdup (title != NULL ? title : stage);
  self->rotting_days = rotting_days;

  query->stage = g_strdup (stage);
  query->sort_field = CP_LEAD_FIELD_SCORE;
  query->sort_descending = TRUE;
  /* Empty until cp_pipeline_column_load(): the board loads its columns
   * after its first frame. */
  self->model = cp_lead_list_model_new_deferred (store, query);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (model_loading_changed_cb),
                           self, 0);
  self->slice = gtk_slice_list_model_new (G_LIST_MODEL (g_object_ref (self->model)), 0,
                                          FIRST_CARDS);
  /* Around the selection's and the list's own handlers: before them, and
   * after them. */
  g_signal_connect (self->slice, "items-changed", G_CALLBACK (cards_changing_cb), self);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->slice)));
  g_signal_connect_after (self->slice, "items-changed", G_CALLBACK (cards_changed_cb), self);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  /* A new single selection has already picked the first item. */
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  /* Closed stages start folded; their cards are built when unfolded. */
  if (collapsible)
    cp_pipeline_column_set_collapsed (self, TRUE);

  gtk_label_set_text (self->title_label, self->title);
  gtk_widget_set_visible (GTK_WIDGET (self->collapse_button), collapsible);
  update_fold_button (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  update_loading (self);

  return self;
}

const char *
cp_pipeline_column_get_stage (CpPipelineColumn *self)
{
  g_return_val_if_fail (CP_IS_PIPELINE_COLUMN (self), NULL);

  return self->stage;
}

GListModel *
cp_pipeline_column_get_model (CpPipelineColumn *self)
{
  g_return_val_if_fail (CP_IS_PIPELINE_COLUMN (self), NULL);

  return G_LIST_MODEL (self->model);
}

/**
 * cp_pipeline_column_set_query:
 * @base: the board's filter; the column adds its stage and its order
 */
void
cp_pipeline_column_set_query (CpPipelineColumn  *self,
                              const CpLeadQuery *base)
{
  g_autoptr(CpLeadQuery) query = NULL;

  g_return_if_fail (CP_IS_PIPELINE_COLUMN (self));

  query = base != NULL ? cp_lead_query_copy (base) : cp_lead_query_new ();
  g_free (query->stage);
  query->stage = g_strdup (self->stage);
  query->sort_field = CP_LEAD_FIELD_SCORE;
  query->sort_descending = TRUE;
  cp_lead_list_model_set_query (self->model, query);
}

void
cp_pipeline_column_set_summary (CpPipelineColumn *self,
                                guint             count,
                                double            average_score,
                                guint             sla_breached)
{
  g_autofree char *count_text = NULL;
  g_autoptr(GString) summary = g_string_new (NULL);
  g_autofree char *accessible = NULL;

  g_return_if_fail (CP_IS_PIPELINE_COLUMN (self));

  self->count = count;
  gtk_widget_remove_css_class (GTK_WIDGET (self->count_label), "cp-skeleton");
  count_text = g_strdup_printf ("%'u", count);   /* thousands grouped as the locale does */
  gtk_label_set_text (self->count_label, count_text);

  if (count > 0)
    g_string_append_printf (summary, _("avg score %.0f"), average_score);
  if (sla_breached > 0)
    {
      if (summary->len > 0)
        g_string_append (summary, " · ");
      /* Translators: number of leads past their response time */
      g_string_append_printf (summary, g_dngettext (GETTEXT_PACKAGE, "%u breached",
                                                    "%u breached", sla_breached),
                              sla_breached);
    }
  gtk_label_set_text (self->summary_label, summary->str);
  if (sla_breached > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->summary_label), "warning");

  accessible = g_strdup_printf (_("%s: %'u leads"), gtk_label_get_text (self->title_label), count);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

guint
cp_pipeline_column_get_count (CpPipelineColumn *self)
{
  g_return_val_if_fail (CP_IS_PIPELINE_COLUMN (self), 0);

  return self->count;
}

/**
 * cp_pipeline_column_get_selected:
 *
 * Returns: (transfer none) (nullable): the selected card's lead
 */
CpLead *
cp_pipeline_column_get_selected (CpPipelineColumn *self)
{
  g_return_val_if_fail (CP_IS_PIPELINE_COLUMN (self), NULL);

  return gtk_single_selection_get_selected_item (self->selection);
}

/**
 * cp_pipeline_column_select:
 * @position: a card's position, or %GTK_INVALID_LIST_POSITION to clear
 */
void
cp_pipeline_column_select (CpPipelineColumn *self,
                           guint             position)
{
  g_return_if_fail (CP_IS_PIPELINE_COLUMN (self));

  gtk_single_selection_set_selected (self->selection, position);
}

gboolean
cp_pipeline_column_get_collapsed (CpPipelineColumn *self)
{
  g_return_val_if_fail (CP_IS_PIPELINE_COLUMN (self), FALSE);

  return self->collapsed;
}

void
cp_pipeline_column_set_collapsed (CpPipelineColumn *self,
                                  gboolean          collapsed)
{
  g_return_if_fail (CP_IS_PIPELINE_COLUMN (self));

  collapsed = !!collapsed;
  if (self->collapsed == collapsed)
    return;

  self->collapsed = collapsed;
  /* A folded column holds no rows at all. */
  gtk_list_view_set_model (self->list_view,
                           collapsed ? NULL : GTK_SELECTION_MODEL (self->selection));
  update_loading (self);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), !collapsed);
  gtk_toggle_button_set_active (self->collapse_button, !collapsed);
  update_fold_button (self);
  if (collapsed)
    gtk_widget_add_css_class (self->box, "collapsed");
  else
    gtk_widget_remove_css_class (self->box, "collapsed");
}

/* How many cards the column offers its list right now (tests, benchmarks). */
guint
cp_pipeline_column_get_n_shown (CpPipelineColumn *self)
{
  g_return_val_if_fail (CP_IS_PIPELINE_COLUMN (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->slice));
}

/* What scrolling to the end of the column does. */
void
cp_pipeline_column_show_more (CpPipelineColumn *self)
{
  g_return_if_fail (CP_IS_PIPELINE_COLUMN (self));

  edge_reached_cb (GTK_SCROLLED_WINDOW (self->scroller), GTK_POS_BOTTOM, self);
}

/**
 * cp_pipeline_column_focus_card_at:
 * @y: a height in the column's coordinates, or a negative number
 *
 * Gives the keyboard focus (and the selection) to the visible card level
 * with @y, or the nearest; with a negative @y, to the selected card, or
 * else the first.
 *
 * Returns: %FALSE when the column has no card to focus (folded or empty)
 */
gboolean
cp_pipeline_column_focus_card_at (CpPipelineColumn *self,
                                  double            y)
{
  guint best = GTK_INVALID_LIST_POSITION;
  double best_distance = G_MAXDOUBLE;
  graphene_rect_t viewport;

  g_return_val_if_fail (CP_IS_PIPELINE_COLUMN (self), FALSE);

  if (self->collapsed || g_list_model_get_n_items (G_LIST_MODEL (self->slice)) == 0)
    return FALSE;

  if (y < 0)
    best = gtk_single_selection_get_selected (self->selection);
  else if (gtk_widget_compute_bounds (self->scroller, GTK_WIDGET (self), &viewport))
    for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_view)); row != NULL;
         row = gtk_widget_get_next_sibling (row))
      {
        guint position = row_position (row);
        graphene_rect_t bounds;
        double top, bottom, distance;

        if (position == GTK_INVALID_LIST_POSITION ||
            !gtk_widget_compute_bounds (row, GTK_WIDGET (self), &bounds))
          continue;
        top = bounds.origin.y;
        bottom = top + bounds.size.height;
        /* Rows GTK keeps outside the visible part do not count. */
        if (bottom <= viewport.origin.y || top >= viewport.origin.y + viewport.size.height)
          continue;
        distance = y < top ? top - y : y > bottom ? y - bottom : 0;
        if (distance < best_distance)
          {
            best = position;
            best_distance = distance;
          }
      }
  if (best == GTK_INVALID_LIST_POSITION)
    best = 0;

  return focus_position (self, best);
}

/**
 * cp_pipeline_column_get_focused_card:
 *
 * Returns: (transfer none) (nullable): the card whose row has the keyboard focus
 */
CpLeadCard *
cp_pipeline_column_get_focused_card (CpPipelineColumn *self)
{
  GtkWidget *row;
  GtkWidget *card;

  g_return_val_if_fail (CP_IS_PIPELINE_COLUMN (self), NULL);

  row = focused_row (self);
  card = row != NULL ? gtk_widget_get_first_child (row) : NULL;

  return CP_IS_LEAD_CARD (card) ? CP_LEAD_CARD (card) : NULL;
}

/**
 * cp_pipeline_column_get_fold_button:
 *
 * Returns: (transfer none) (nullable): the button folding the column, if
 *   the column can be folded
 */
GtkWidget *
cp_pipeline_column_get_fold_button (CpPipelineColumn *self)
{
  g_return_val_if_fail (CP_IS_PIPELINE_COLUMN (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->collapse_button))
         ? GTK_WIDGET (self->collapse_button) : NULL;
}

/* End goes to the column's last card, not the last one loaded so far. */
void
cp_pipeline_column_show_all (CpPipelineColumn *self)
{
  g_return_if_fail (CP_IS_PIPELINE_COLUMN (self));

  gtk_slice_list_model_set_size (self->slice,
                                 g_list_model_get_n_items (G_LIST_MODEL (self->model)));
}

/**
 * cp_pipeline_column_load:
 *
 * Reads the column's length and first cards on the store's read worker;
 * until they arrive it shows their shapes. Does nothing once loading.
 */
void
cp_pipeline_column_load (CpPipelineColumn *self)
{
  g_return_if_fail (CP_IS_PIPELINE_COLUMN (self));

  cp_lead_list_model_start (self->model);
}

/* Whether the column still waits for its first cards. */
gboolean
cp_pipeline_column_get_loading (CpPipelineColumn *self)
{
  g_return_val_if_fail (CP_IS_PIPELINE_COLUMN (self), FALSE);

  return cp_lead_list_model_get_loading (self->model);
}
