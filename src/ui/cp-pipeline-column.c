/* cp-pipeline-column.c — one stage of the pipeline board
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-pipeline-column"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-lead-card.h"
#include "cp-pipeline-column-private.h"

G_DEFINE_FINAL_TYPE (CpPipelineColumn, cp_pipeline_column, GTK_TYPE_WIDGET)

enum {
  LEAD_DROPPED,
  LEAD_ACTIVATED,
  FOCUS_LOST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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

/* A loaded, unfolded column without a card says why: the stage is empty,
 * or the board's filter hides every lead of it. */
static void
update_empty (CpPipelineColumn *self)
{
  gboolean empty = !self->collapsed && !self->board_says_empty &&
                   !cp_lead_list_model_get_loading (self->model) &&
                   g_list_model_get_n_items (G_LIST_MODEL (self->slice)) == 0;

  gtk_label_set_text (self->empty_label, self->filtered ? _("No leads match the filters")
                                                        : _("No leads in this stage"));
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), empty);
}

static void
cards_counted_cb (GListModel       *slice,
                  guint             position,
                  guint             removed,
                  guint             added,
                  CpPipelineColumn *self)
{
  update_empty (self);
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
  update_empty (self);
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
  gtk_widget_class_bind_template_child (widget_class, CpPipelineColumn, empty_label);
  gtk_widget_class_bind_template_child (widget_class, CpPipelineColumn, scroller);
  gtk_widget_class_bind_template_child (widget_class, CpPipelineColumn, list_view);
  gtk_widget_class_bind_template_callback (widget_class, collapse_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, activate_cb);
  gtk_widget_class_install_action (widget_class, "column.context-menu", NULL,
                                   _cp_pipeline_column_context_menu_action);
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
  g_signal_connect (self->slice, "items-changed",
                    G_CALLBACK (_cp_pipeline_column_cards_changing_cb), self);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->slice)));
  g_signal_connect_after (self->slice, "items-changed",
                          G_CALLBACK (_cp_pipeline_column_cards_changed_cb), self);
  g_signal_connect (self->slice, "items-changed", G_CALLBACK (cards_counted_cb), self);
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
  g_clear_pointer (&query->stage, g_free);
  self->filtered = cp_lead_query_has_filter (query);
  query->stage = g_strdup (self->stage);
  query->sort_field = CP_LEAD_FIELD_SCORE;
  query->sort_descending = TRUE;
  cp_lead_list_model_set_query (self->model, query);
  update_empty (self);
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

/**
 * cp_pipeline_column_set_board_says_empty:
 * @says_empty: the board shows that nothing at all matches its filter
 *
 * While it does, an empty column does not say so again.
 */
void
cp_pipeline_column_set_board_says_empty (CpPipelineColumn *self,
                                         gboolean          says_empty)
{
  g_return_if_fail (CP_IS_PIPELINE_COLUMN (self));

  self->board_says_empty = !!says_empty;
  update_empty (self);
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
