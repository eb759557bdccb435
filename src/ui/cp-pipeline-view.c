/* cp-pipeline-view.c — the pipeline board: one column per stage
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-pipeline-view"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-pipeline-view.h"

struct _CpPipelineView
{
  GtkWidget    parent_instance;

  CpLeadStore *store;
  CpLeadQuery *query;
  GPtrArray   *columns;   /* CpPipelineColumn, in stage order */
  gulong       changed_id;
  gulong       focus_id;   /* on the window */
  gboolean     loading;

  /* The first figures and cards are read on the store's read worker, and
   * only once the board's first frame is painted (the frame shows their
   * shapes); from then on a change re-reads the cards at once and the
   * figures on the worker (a filter counts a million leads: the old
   * figures stay until the new ones are in). */
  GCancellable  *summaries_cancellable;
  gboolean       summaries_loaded;
  gboolean       summaries_pending;
  gboolean       loads_wanted;
  gboolean       painted;
  GdkFrameClock *clock;
  gulong         paint_id;
  guint          delay_id;   /* CP_BOARD_LOAD_DELAY_MS */
  /* The fold button the focus went to because no card was there yet: the
   * first card takes the focus the moment the cards are in, if the focus
   * stayed there. */
  GtkWidget     *focus_waits_on;

  GtkStack      *stack;
  GtkBox        *columns_box;
  AdwStatusPage *loading_page;
  GtkSpinner    *loading_spinner;
  AdwStatusPage *no_match_page;
};

G_DEFINE_FINAL_TYPE (CpPipelineView, cp_pipeline_view, GTK_TYPE_WIDGET)

enum {
  MOVE_REQUESTED,
  LEAD_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
lead_dropped_cb (CpPipelineColumn *column,
                 const char       *lead_id,
                 CpPipelineView   *self)
{
  g_signal_emit (self, signals[MOVE_REQUESTED], 0, lead_id, cp_pipeline_column_get_stage (column));
}

static void
lead_activated_cb (CpPipelineColumn *column,
                   const char       *lead_id,
                   CpPipelineView   *self)
{
  g_signal_emit (self, signals[LEAD_ACTIVATED], 0, lead_id);
}

/* The focused card's column emptied in a reload: the nearest column with
 * a card takes the focus, the next one first, so the arrows go on from
 * there rather than from the window's first widget. */
static void
column_focus_lost_cb (CpPipelineColumn *column,
                      CpPipelineView   *self)
{
  guint from;

  if (!g_ptr_array_find (self->columns, column, &from))
    return;
  for (guint distance = 1; distance < self->columns->len; distance++)
    {
      if (from + distance < self->columns->len &&
          cp_pipeline_column_focus_card_at (self->columns->pdata[from + distance], -1))
        return;
      if (distance <= from &&
          cp_pipeline_column_focus_card_at (self->columns->pdata[from - distance], -1))
        return;
    }
}

static void
store_changed_cb (CpLeadStore    *store,
                  const char     *lead_id,
                  guint           change,
                  CpPipelineView *self)
{
  cp_pipeline_view_refresh (self);
}

static void
remove_columns (CpPipelineView *self)
{
  self->focus_waits_on = NULL;
  for (guint i = 0; i < self->columns->len; i++)
    gtk_box_remove (self->columns_box, self->columns->pdata[i]);
  g_ptr_array_set_size (self->columns, 0);
}

/* The column whose card has the keyboard focus, or -1. */
static int
focused_column (CpPipelineView *self)
{
  for (guint i = 0; i < self->columns->len; i++)
    if (cp_pipeline_column_get_focused_card (self->columns->pdata[i]) != NULL)
      return (int) i;

  return -1;
}

/* The focused card's lead; else the selected card's (there is at most
 * one: a column the focus enters clears the others' selection). */
static CpLead *
selected_lead (CpPipelineView *self)
{
  int focused = focused_column (self);

  if (focused >= 0)
    {
      CpLeadCard *card = cp_pipeline_column_get_focused_card (self->columns->pdata[focused]);

      return cp_lead_card_get_lead (card);
    }
  for (guint i = 0; i < self->columns->len; i++)
    if (cp_pipeline_column_get_selected (self->columns->pdata[i]) != NULL)
      return cp_pipeline_column_get_selected (self->columns->pdata[i]);

  return NULL;
}

/* Exactly one card is selected on the board: the focused one. A fold
 * button taking the focus keeps the card that Shift+Tab returns to. */
static void
focus_widget_changed_cb (GtkWindow      *window,
                         GParamSpec     *pspec,
                         CpPipelineView *self)
{
  int focused = focused_column (self);

  if (focused < 0)
    return;
  for (guint i = 0; i < self->columns->len; i++)
    if ((int) i != focused)
      cp_pipeline_column_select (self->columns->pdata[i], GTK_INVALID_LIST_POSITION);
}

static void start_loads (CpPipelineView *self);

static void
stop_waiting_for_paint (CpPipelineView *self)
{
  if (self->clock != NULL)
    g_clear_signal_handler (&self->paint_id, self->clock);
  g_clear_object (&self->clock);
}

static void
delay_done_cb (gpointer user_data)
{
  CpPipelineView *self = user_data;

  self->delay_id = 0;
  self->painted = TRUE;
  start_loads (self);
}

static void
after_paint_cb (GdkFrameClock  *clock,
                CpPipelineView *self)
{
  const char *delay = g_getenv ("CP_BOARD_LOAD_DELAY_MS");

  stop_waiting_for_paint (self);
  /* Holds the board in its loading state, for build-aux/screenshot only. */
  if (delay != NULL && g_ascii_strtoull (delay, NULL, 10) > 0)
    {
      self->delay_id = g_timeout_add_once ((guint) g_ascii_strtoull (delay, NULL, 10),
                                           delay_done_cb, self);
      return;
    }
  self->painted = TRUE;
  start_loads (self);
}

static void
cp_pipeline_view_map (GtkWidget *widget)
{
  CpPipelineView *self = CP_PIPELINE_VIEW (widget);

  GTK_WIDGET_CLASS (cp_pipeline_view_parent_class)->map (widget);
  if (!self->painted && self->clock == NULL && self->delay_id == 0 &&
      gtk_widget_get_frame_clock (widget) != NULL)
    {
      self->clock = g_object_ref (gtk_widget_get_frame_clock (widget));
      self->paint_id = g_signal_connect (self->clock, "after-paint",
                                         G_CALLBACK (after_paint_cb), self);
    }
}

static void
cp_pipeline_view_unmap (GtkWidget *widget)
{
  stop_waiting_for_paint (CP_PIPELINE_VIEW (widget));
  GTK_WIDGET_CLASS (cp_pipeline_view_parent_class)->unmap (widget);
}

static void
cp_pipeline_view_root (GtkWidget *widget)
{
  CpPipelineView *self = CP_PIPELINE_VIEW (widget);

  GTK_WIDGET_CLASS (cp_pipeline_view_parent_class)->root (widget);
  if (GTK_IS_WINDOW (gtk_widget_get_root (widget)))
    self->focus_id = g_signal_connect (gtk_widget_get_root (widget), "notify::focus-widget",
                                       G_CALLBACK (focus_widget_changed_cb), self);
}

static void
cp_pipeline_view_unroot (GtkWidget *widget)
{
  CpPipelineView *self = CP_PIPELINE_VIEW (widget);

  if (self->focus_id != 0)
    g_clear_signal_handler (&self->focus_id, gtk_widget_get_root (widget));
  GTK_WIDGET_CLASS (cp_pipeline_view_parent_class)->unroot (widget);
}

/* Left/Right: the card at the same height in the nearest column, going
 * @step, that has cards to show (folded and empty columns are passed). */
static gboolean
move_focus_across (CpPipelineView *self,
                   int             from,
                   int             step)
{
  CpLeadCard *card = cp_pipeline_column_get_focused_card (self->columns->pdata[from]);

  for (int i = from + step; i >= 0 && i < (int) self->columns->len; i += step)
    {
      graphene_rect_t bounds;
      double y = -1;

      if (gtk_widget_compute_bounds (GTK_WIDGET (card), self->columns->pdata[i], &bounds))
        y = MAX (0, bounds.origin.y + bounds.size.height / 2);
      if (cp_pipeline_column_focus_card_at (self->columns->pdata[i], y))
        return TRUE;
    }

  return FALSE;
}

/* Ctrl+Left/Right: move the focused card to the neighbouring stage (the
 * window checks the playbook and asks for the reason). */
static void
request_neighbour_move (CpPipelineView *self,
                        int             from,
                        int             step)
{
  CpLeadCard *card = cp_pipeline_column_get_focused_card (self->columns->pdata[from]);
  CpLead *lead = cp_lead_card_get_lead (card);
  int to = from + step;

  if (lead == NULL || to < 0 || to >= (int) self->columns->len)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  g_signal_emit (self, signals[MOVE_REQUESTED], 0, cp_lead_get_id (lead),
                 cp_pipeline_column_get_stage (self->columns->pdata[to]));
}

/* Before the focused list sees the key: GTK 4.8's list views handle Up,
 * Down, Home, End and Enter themselves, and swallow Left and Right. */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                CpPipelineView        *self)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();
  int from = focused_column (self);
  int step;

  if (from < 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      step = -1;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      step = 1;
      break;
    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      /* The list goes to its last card: first load them all. */
      if (mods == 0)
        cp_pipeline_column_show_all (self->columns->pdata[from]);
      return FALSE;
    default:
      return FALSE;
    }

  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    step = -step;
  if (mods == GDK_CONTROL_MASK)
    request_neighbour_move (self, from, step);
  else if (mods == 0 && !move_focus_across (self, from, step))
    gtk_widget_error_bell (GTK_WIDGET (self));

  return mods == 0 || mods == GDK_CONTROL_MASK;
}

/* The board's card stop: the selected card, or the first one shown. */
static gboolean
focus_card_stop (CpPipelineView *self)
{
  for (guint i = 0; i < self->columns->len; i++)
    if (cp_pipeline_column_get_selected (self->columns->pdata[i]) != NULL &&
        cp_pipeline_column_focus_card_at (self->columns->pdata[i], -1))
      return TRUE;
  for (guint i = 0; i < self->columns->len; i++)
    if (cp_pipeline_column_focus_card_at (self->columns->pdata[i], -1))
      return TRUE;

  return FALSE;
}

/* Tab does not walk thousands of cards: the board is one stop for its
 * cards (arrows move between them), then one per fold button. */
static gboolean
cp_pipeline_view_focus (GtkWidget        *widget,
                        GtkDirectionType  direction)
{
  CpPipelineView *self = CP_PIPELINE_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  gboolean forward = direction == GTK_DIR_TAB_FORWARD;
  gboolean inside = focus != NULL && gtk_widget_is_ancestor (focus, widget);
  int at = -1;

  if ((direction != GTK_DIR_TAB_FORWARD && direction != GTK_DIR_TAB_BACKWARD) ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "board") != 0)
    return GTK_WIDGET_CLASS (cp_pipeline_view_parent_class)->focus (widget, direction);

  for (guint i = 0; i < self->columns->len; i++)
    {
      GtkWidget *button = cp_pipeline_column_get_fold_button (self->columns->pdata[i]);

      if (button != NULL && gtk_widget_is_sensitive (button))
        {
          if (button == focus)
            at = (int) buttons->len;
          g_ptr_array_add (buttons, button);
        }
    }

  if (!inside)
    {
      if (forward && focus_card_stop (self))
        return TRUE;
      if (forward && buttons->len > 0 && gtk_widget_grab_focus (buttons->pdata[0]))
        {
          if (cp_pipeline_view_get_busy (self))
            self->focus_waits_on = buttons->pdata[0];
          return TRUE;
        }
      if (forward)
        return FALSE;
      return (buttons->len > 0 && gtk_widget_grab_focus (buttons->pdata[buttons->len - 1])) ||
             focus_card_stop (self);
    }
  if (at < 0)
    return forward && buttons->len > 0 && gtk_widget_grab_focus (buttons->pdata[0]);
  if (forward)
    return at + 1 < (int) buttons->len && gtk_widget_grab_focus (buttons->pdata[at + 1]);

  return at > 0 ? gtk_widget_grab_focus (buttons->pdata[at - 1]) : focus_card_stop (self);
}

static void
move_selected_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CpPipelineView *self = CP_PIPELINE_VIEW (widget);
  CpLead *lead = selected_lead (self);

  if (lead != NULL)
    g_signal_emit (self, signals[MOVE_REQUESTED], 0, cp_lead_get_id (lead), NULL);
}

static void
open_selected_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CpPipelineView *self = CP_PIPELINE_VIEW (widget);
  CpLead *lead = selected_lead (self);

  if (lead != NULL)
    g_signal_emit (self, signals[LEAD_ACTIVATED], 0, cp_lead_get_id (lead));
}

/* The window opens the editor: the board only knows which lead. */
static void
edit_selected_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CpPipelineView *self = CP_PIPELINE_VIEW (widget);
  CpLead *lead = selected_lead (self);

  if (lead != NULL)
    gtk_widget_activate_action (widget, "win.edit-lead", "s", cp_lead_get_id (lead));
}

static void
cp_pipeline_view_dispose (GObject *object)
{
  CpPipelineView *self = CP_PIPELINE_VIEW (object);

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_cancellable_cancel (self->summaries_cancellable);
  g_clear_object (&self->summaries_cancellable);
  stop_waiting_for_paint (self);
  g_clear_handle_id (&self->delay_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_PIPELINE_VIEW);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cp_pipeline_view_parent_class)->dispose (object);
}

static void
cp_pipeline_view_finalize (GObject *object)
{
  CpPipelineView *self = CP_PIPELINE_VIEW (object);

  g_clear_pointer (&self->query, cp_lead_query_free);

  G_OBJECT_CLASS (cp_pipeline_view_parent_class)->finalize (object);
}

static void
cp_pipeline_view_class_init (CpPipelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_pipeline_view_dispose;
  object_class->finalize = cp_pipeline_view_finalize;
  widget_class->focus = cp_pipeline_view_focus;
  widget_class->root = cp_pipeline_view_root;
  widget_class->map = cp_pipeline_view_map;
  widget_class->unmap = cp_pipeline_view_unmap;
  widget_class->unroot = cp_pipeline_view_unroot;

  /**
   * CpPipelineView::move-requested:
   * @lead_id: the lead to move
   * @stage: (nullable): where it was dropped, or %NULL to ask
   */
  signals[MOVE_REQUESTED] =
    g_signal_new ("move-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[LEAD_ACTIVATED] =
    g_signal_new ("lead-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/cp-pipeline-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CpPipelineView, stack);
  gtk_widget_class_bind_template_child (widget_class, CpPipelineView, columns_box);
  gtk_widget_class_bind_template_child (widget_class, CpPipelineView, loading_page);
  gtk_widget_class_bind_template_child (widget_class, CpPipelineView, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, CpPipelineView, no_match_page);
  gtk_widget_class_install_action (widget_class, "pipeline.move-selected", NULL,
                                   move_selected_action);
  gtk_widget_class_install_action (widget_class, "pipeline.open-selected", NULL,
                                   open_selected_action);
  gtk_widget_class_install_action (widget_class, "pipeline.edit-selected", NULL,
                                   edit_selected_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK,
                                       "pipeline.move-selected", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cp-pipeline-view");
}

static void
cp_pipeline_view_init (CpPipelineView *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  self->columns = g_ptr_array_new ();
  self->query = cp_lead_query_new ();
}

GtkWidget *
cp_pipeline_view_new (void)
{
  return g_object_new (CP_TYPE_PIPELINE_VIEW, NULL);
}

/* Says “busy” to assistive technologies while the first figures or cards
 * are on their way. */
static void
update_busy (CpPipelineView *self)
{
  gboolean busy = cp_pipeline_view_get_busy (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, busy, -1);
  /* A Tab that came while no card was there: the first card takes the
   * focus now, in the same main loop turn as the cards, so the next key
   * starts from it whether or not a frame has drawn them. */
  if (!busy && self->focus_waits_on != NULL)
    {
      if (root != NULL && gtk_root_get_focus (root) == self->focus_waits_on)
        focus_card_stop (self);
      self->focus_waits_on = NULL;
    }
}

static void
column_loading_changed_cb (CpPipelineView *self)
{
  update_busy (self);
}

static void
rebuild_columns (CpPipelineView     *self,
                 const CpBoardStage *stages,
                 guint               n_stages)
{
  remove_columns (self);
  if (self->store == NULL)
    return;

  for (guint i = 0; i < n_stages; i++)
    {
      CpPipelineColumn *column = cp_pipeline_column_new (self->store, stages[i].id,
                                                         stages[i].title,
                                                         stages[i].rotting_days,
                                                         stages[i].closed);

      cp_pipeline_column_set_query (column, self->query);
      g_signal_connect_object (cp_pipeline_column_get_model (column), "notify::loading",
                               G_CALLBACK (column_loading_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect (column, "lead-dropped", G_CALLBACK (lead_dropped_cb), self);
      g_signal_connect (column, "lead-activated", G_CALLBACK (lead_activated_cb), self);
      g_signal_connect (column, "focus-lost", G_CALLBACK (column_focus_lost_cb), self);
      gtk_box_append (self->columns_box, GTK_WIDGET (column));
      g_ptr_array_add (self->columns, column);
      /* New stages on a loaded board: their cards are read at once. */
      if (self->summaries_loaded)
        cp_pipeline_column_load (column);
    }
}

void
cp_pipeline_view_set_store (CpPipelineView *self,
                            CpLeadStore    *store)
{
  g_return_if_fail (CP_IS_PIPELINE_VIEW (self));
  g_return_if_fail (store == NULL || CP_IS_LEAD_STORE (store));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  remove_columns (self);
  g_cancellable_cancel (self->summaries_cancellable);
  self->summaries_loaded = FALSE;
  self->summaries_pending = FALSE;
  g_set_object (&self->store, store);
  if (store != NULL)
    self->changed_id = g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);
}

/**
 * cp_pipeline_view_set_stages:
 * @stages: (array length=n_stages): the playbook's stages, in order
 *
 * Builds one column per stage (the store must be set first).
 */
void
cp_pipeline_view_set_stages (CpPipelineView     *self,
                             const CpBoardStage *stages,
                             guint               n_stages)
{
  g_return_if_fail (CP_IS_PIPELINE_VIEW (self));

  rebuild_columns (self, stages, n_stages);
  for (guint i = 0; i < n_stages; i++)
    if (stages[i].closed)
      cp_pipeline_column_set_collapsed (self->columns->pdata[i], TRUE);
  cp_pipeline_view_refresh (self);
}

/**
 * cp_pipeline_view_set_query:
 * @query: the filter every column applies (its stage and order are ignored)
 */
void
cp_pipeline_view_set_query (CpPipelineView    *self,
                            const CpLeadQuery *query)
{
  g_return_if_fail (CP_IS_PIPELINE_VIEW (self));
  g_return_if_fail (query != NULL);

  cp_lead_query_free (self->query);
  self->query = cp_lead_query_copy (query);
  for (guint i = 0; i < self->columns->len; i++)
    cp_pipeline_column_set_query (self->columns->pdata[i], self->query);
  cp_pipeline_view_refresh (self);
}

/* A board with nothing (yet) to show says why: still loading, no leads at
 * all, or none matching the search (the columns stay, each counting 0). */
static void
show_page (CpPipelineView    *self,
           guint              total,
           const CpLeadQuery *query)
{
  gboolean filtered = cp_lead_query_has_filter (query);

  /* Leads that arrive while loading are shown once all are in. */
  if (self->loading)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else
    gtk_stack_set_visible_child_name (self->stack, total > 0 || filtered ? "board" : "empty");

  gtk_widget_set_visible (GTK_WIDGET (self->no_match_page), total == 0 && filtered);
  /* The page says it for the whole board: the columns need not repeat it. */
  for (guint i = 0; i < self->columns->len; i++)
    cp_pipeline_column_set_board_says_empty (self->columns->pdata[i], total == 0 && filtered);
  if (total == 0 && filtered)
    {
      g_autofree char *title = NULL;

      if (query->search != NULL && *query->search != '\0')
        /* Translators: the board's status when a search finds nothing; %s is what was typed */
        title = g_strdup_printf (_("No Leads Match “%s”"), query->search);
      else
        title = g_strdup (_("No Leads Match the Filters"));
      adw_status_page_set_title (self->no_match_page, title);
    }
}

/* The board's filter without a stage: what the headers count. */
static CpLeadQuery *
summary_query (CpPipelineView *self)
{
  CpLeadQuery *query = cp_lead_query_copy (self->query);

  g_clear_pointer (&query->stage, g_free);
  return query;
}

static void
apply_summaries (CpPipelineView *self,
                 GPtrArray      *summaries)
{
  g_autoptr(CpLeadQuery) query = summary_query (self);
  guint total = 0;

  for (guint i = 0; i < self->columns->len; i++)
    {
      CpPipelineColumn *column = self->columns->pdata[i];
      guint count = 0;
      guint breached = 0;
      double average = 0;

      for (guint j = 0; j < summaries->len; j++)
        {
          CpStageSummary *summary = summaries->pdata[j];
          if (g_strcmp0 (summary->stage, cp_pipeline_column_get_stage (column)) == 0)
            {
              count = summary->count;
              breached = summary->sla_breached;
              average = count > 0 ? (double) summary->score_sum / count : 0;
            }
        }
      cp_pipeline_column_set_summary (column, count, average, breached);
      total += count;
    }

  show_page (self, total, query);
}

static void
summaries_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) summaries = cp_lead_store_stage_summaries_finish (result, &error);
  CpPipelineView *self;

  /* Cancelled: the board is gone, or a newer read is on its way. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = CP_PIPELINE_VIEW (user_data);
  self->summaries_loaded = TRUE;
  self->summaries_pending = FALSE;
  if (summaries == NULL)
    g_warning ("Could not count leads per stage: %s", error->message);
  else
    apply_summaries (self, summaries);
  update_busy (self);
}

/* Reads the headers' figures on the store's read worker; a read still
 * under way is dropped (its figures are older than the change that asks). */
static void
read_summaries (CpPipelineView *self)
{
  g_autoptr(CpLeadQuery) query = summary_query (self);

  g_cancellable_cancel (self->summaries_cancellable);
  g_clear_object (&self->summaries_cancellable);
  self->summaries_cancellable = g_cancellable_new ();
  self->summaries_pending = TRUE;
  cp_lead_store_stage_summaries_async (self->store, query, self->summaries_cancellable,
                                       summaries_read_cb, self);
}

/* The first read of the headers' figures and the columns' first cards,
 * queued on the store's read worker: at once when the board is in no
 * window, else once its first frame is painted. */
static void
start_loads (CpPipelineView *self)
{
  if (!self->loads_wanted || self->store == NULL)
    return;
  if (!self->painted && GTK_IS_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))))
    return;  /* the board's map waits for its first frame */

  self->loads_wanted = FALSE;
  read_summaries (self);
  for (guint i = 0; i < self->columns->len; i++)
    cp_pipeline_column_load (self->columns->pdata[i]);
  update_busy (self);
}

/**
 * cp_pipeline_view_refresh:
 *
 * Re-reads the column headers' figures (one grouped query for all) on the
 * store's read worker; the figures shown stay until the new ones are in.
 * The first time, they are read after the board's first frame (see
 * cp_pipeline_view_get_busy()).
 */
void
cp_pipeline_view_refresh (CpPipelineView *self)
{
  g_return_if_fail (CP_IS_PIPELINE_VIEW (self));

  if (self->store == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, self->loading ? "loading" : "empty");
      return;
    }
  if (!self->summaries_loaded)
    {
      /* The columns with their shapes meanwhile (or the demo data's page). */
      gtk_stack_set_visible_child_name (self->stack, self->loading ? "loading" : "board");
      self->loads_wanted = TRUE;
      start_loads (self);
      update_busy (self);
      return;
    }

  /* What does not wait for the figures: a load under way says so now. */
  if (self->loading)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  read_summaries (self);
  update_busy (self);
}

/**
 * cp_pipeline_view_get_busy:
 *
 * Returns: whether the board still waits for its first figures or for a
 *   column's first cards (it shows their shapes meanwhile), or for the
 *   figures of a change (it shows the previous ones meanwhile)
 */
gboolean
cp_pipeline_view_get_busy (CpPipelineView *self)
{
  g_return_val_if_fail (CP_IS_PIPELINE_VIEW (self), FALSE);

  if (self->store == NULL)
    return FALSE;
  if (!self->summaries_loaded || self->summaries_pending)
    return TRUE;
  for (guint i = 0; i < self->columns->len; i++)
    if (cp_pipeline_column_get_loading (self->columns->pdata[i]))
      return TRUE;

  return FALSE;
}

guint
cp_pipeline_view_get_n_columns (CpPipelineView *self)
{
  g_return_val_if_fail (CP_IS_PIPELINE_VIEW (self), 0);

  return self->columns->len;
}

/**
 * cp_pipeline_view_get_column:
 *
 * Returns: (transfer none) (nullable): the column at @index
 */
CpPipelineColumn *
cp_pipeline_view_get_column (CpPipelineView *self,
                             guint           index)
{
  g_return_val_if_fail (CP_IS_PIPELINE_VIEW (self), NULL);

  return index < self->columns->len ? self->columns->pdata[index] : NULL;
}

/**
 * cp_pipeline_view_find_column:
 *
 * Returns: (transfer none) (nullable): the column of @stage
 */
CpPipelineColumn *
cp_pipeline_view_find_column (CpPipelineView *self,
                              const char     *stage)
{
  g_return_val_if_fail (CP_IS_PIPELINE_VIEW (self), NULL);

  for (guint i = 0; i < self->columns->len; i++)
    if (g_strcmp0 (cp_pipeline_column_get_stage (self->columns->pdata[i]), stage) == 0)
      return self->columns->pdata[i];

  return NULL;
}

/**
 * cp_pipeline_view_set_loading:
 * @title: (nullable): what is being loaded, e.g. “Loading Demo Data…”;
 *   %NULL once it is done
 *
 * While leads are being loaded, the board says so instead of inviting
 * the user to add leads, or showing a board that is still filling up.
 */
void
cp_pipeline_view_set_loading (CpPipelineView *self,
                              const char     *title)
{
  g_return_if_fail (CP_IS_PIPELINE_VIEW (self));

  self->loading = title != NULL;
  if (title != NULL)
    adw_status_page_set_title (self->loading_page, title);
  gtk_spinner_set_spinning (self->loading_spinner, self->loading);
  cp_pipeline_view_refresh (self);
}
