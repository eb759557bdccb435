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

  GtkStack    *stack;
  GtkBox      *columns_box;
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
  for (guint i = 0; i < self->columns->len; i++)
    gtk_box_remove (self->columns_box, self->columns->pdata[i]);
  g_ptr_array_set_size (self->columns, 0);
}

/* The selected card of the column that has the keyboard focus, or of the
 * first column with a selection. */
static CpLead *
selected_lead (CpPipelineView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  for (guint i = 0; i < self->columns->len; i++)
    {
      CpPipelineColumn *column = self->columns->pdata[i];
      if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (column)) &&
          cp_pipeline_column_get_selected (column) != NULL)
        return cp_pipeline_column_get_selected (column);
    }
  for (guint i = 0; i < self->columns->len; i++)
    if (cp_pipeline_column_get_selected (self->columns->pdata[i]) != NULL)
      return cp_pipeline_column_get_selected (self->columns->pdata[i]);

  return NULL;
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
  gtk_widget_init_template (GTK_WIDGET (self));

  self->columns = g_ptr_array_new ();
  self->query = cp_lead_query_new ();
}

GtkWidget *
cp_pipeline_view_new (void)
{
  return g_object_new (CP_TYPE_PIPELINE_VIEW, NULL);
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
      g_signal_connect (column, "lead-dropped", G_CALLBACK (lead_dropped_cb), self);
      g_signal_connect (column, "lead-activated", G_CALLBACK (lead_activated_cb), self);
      gtk_box_append (self->columns_box, GTK_WIDGET (column));
      g_ptr_array_add (self->columns, column);
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

/**
 * cp_pipeline_view_refresh:
 *
 * Re-reads the column headers' figures (one grouped query for all).
 */
void
cp_pipeline_view_refresh (CpPipelineView *self)
{
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLeadQuery) query = NULL;
  guint total = 0;

  g_return_if_fail (CP_IS_PIPELINE_VIEW (self));

  if (self->store == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  query = cp_lead_query_copy (self->query);
  g_clear_pointer (&query->stage, g_free);
  summaries = cp_lead_store_stage_summaries (self->store, query, &error);
  if (summaries == NULL)
    {
      g_warning ("Could not count leads per stage: %s", error->message);
      return;
    }

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

  {
    /* With a filter on, empty columns say “nothing matches”; without one,
     * the board is truly empty and says how to start. */
    gtk_stack_set_visible_child_name (self->stack,
                                      total > 0 || cp_lead_query_has_filter (query)
                                      ? "board" : "empty");
  }
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
