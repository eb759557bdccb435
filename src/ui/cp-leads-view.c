/* cp-leads-view.c — the Leads table
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-leads-view"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-lead-format.h"
#include "cp-lead-list-model.h"
#include "cp-leads-view.h"

struct _CpLeadsView
{
  GtkWidget          parent_instance;

  CpLeadStore       *store;
  CpLeadListModel   *model;
  GtkMultiSelection *selection;
  CpLeadQuery       *query;

  GSettings         *settings;
  GtkColumnViewColumn *column_objects[11];
  GtkWidget         *root_box;
  GtkStack          *stack;
  GtkColumnView     *column_view;
  GtkActionBar      *action_bar;
  GtkLabel          *selection_label;
};

enum {
  BULK_MOVE_REQUESTED,
  BULK_ASSIGN_REQUESTED,
  BULK_RESCORE_REQUESTED,
  BULK_EXPORT_REQUESTED,
  LEAD_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CpLeadsView, cp_leads_view, GTK_TYPE_WIDGET)

/* What each column shows; the field also names the SQL sort column. */
typedef enum
{
  COLUMN_NAME,
  COLUMN_ORGANIZATION,
  COLUMN_STAGE,
  COLUMN_SCORE,
  COLUMN_TIER,
  COLUMN_OWNER,
  COLUMN_SERVICE_LINE,
  COLUMN_LOCATION,
  COLUMN_SOURCE,
  COLUMN_LAST_ACTIVITY,
  COLUMN_SLA,
  N_COLUMNS
} Column;

G_STATIC_ASSERT (N_COLUMNS == G_N_ELEMENTS (((CpLeadsView *) NULL)->column_objects));

static const struct
{
  const char  *id;
  const char  *title;
  CpLeadField  field;
  gboolean     expand;
  gboolean     numeric;
  int          width_chars;
} columns[N_COLUMNS] = {
  [COLUMN_NAME] = { "name", N_("Name"), CP_LEAD_FIELD_LAST_NAME, TRUE, FALSE, 18 },
  [COLUMN_ORGANIZATION] = { "organization", N_("Organization"), CP_LEAD_FIELD_ORGANIZATION, TRUE,
                            FALSE, 16 },
  [COLUMN_STAGE] = { "stage", N_("Stage"), CP_LEAD_FIELD_STAGE, FALSE, FALSE, 14 },
  [COLUMN_SCORE] = { "score", N_("Score"), CP_LEAD_FIELD_SCORE, FALSE, TRUE, 4 },
  [COLUMN_TIER] = { "tier", N_("Tier"), CP_LEAD_FIELD_TIER, FALSE, FALSE, 11 },
  [COLUMN_OWNER] = { "owner", N_("Owner"), CP_LEAD_FIELD_OWNER, FALSE, FALSE, 12 },
  [COLUMN_SERVICE_LINE] = { "service-line", N_("Service line"), CP_LEAD_FIELD_SERVICE_LINE, FALSE,
                            FALSE, 12 },
  [COLUMN_LOCATION] = { "location", N_("Location"), CP_LEAD_FIELD_LOCATION, FALSE, FALSE, 10 },
  [COLUMN_SOURCE] = { "source", N_("Source"), CP_LEAD_FIELD_SOURCE_CHANNEL, FALSE, FALSE, 10 },
  [COLUMN_LAST_ACTIVITY] = { "last-activity", N_("Last activity"), CP_LEAD_FIELD_LAST_ACTIVITY_AT,
                             FALSE, FALSE, 9 },
  [COLUMN_SLA] = { "sla", N_("Response SLA"), CP_LEAD_FIELD_SLA_DUE_AT, FALSE, FALSE, 12 },
};

static char *
column_text (Column  column,
             CpLead *lead)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  switch (column)
    {
    case COLUMN_NAME:
      return cp_lead_dup_display_name (lead);
    case COLUMN_LAST_ACTIVITY:
      return cp_format_relative_time (cp_lead_get_int (lead, CP_LEAD_FIELD_LAST_ACTIVITY_AT), now);
    case COLUMN_SLA:
      return cp_format_sla (cp_lead_get_int (lead, CP_LEAD_FIELD_SLA_DUE_AT),
                            cp_lead_get_int (lead, CP_LEAD_FIELD_FIRST_RESPONSE_AT), now);
    default:
      return cp_lead_dup_value_label (lead, columns[column].field);
    }
}

/* Long values are ellipsized; the tooltip shows them whole. Computed on
 * hover: setting tooltips on every bind costs an accessibility update each. */
static gboolean
cell_query_tooltip_cb (GtkWidget  *label,
                       int         x,
                       int         y,
                       gboolean    keyboard_mode,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  const char *text = gtk_label_get_text (GTK_LABEL (label));

  if (text == NULL || *text == '\0')
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  Column column = GPOINTER_TO_UINT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), columns[column].numeric ? 1.0 : 0.0);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_label_set_width_chars (GTK_LABEL (label), columns[column].width_chars);
  gtk_widget_set_has_tooltip (label, TRUE);
  g_signal_connect (label, "query-tooltip", G_CALLBACK (cell_query_tooltip_cb), NULL);
  if (columns[column].numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  Column column = GPOINTER_TO_UINT (user_data);
  GtkWidget *label = gtk_list_item_get_child (item);
  CpLead *lead = gtk_list_item_get_item (item);
  g_autofree char *text = NULL;

  if (lead == NULL)
    return;

  text = column_text (column, lead);
  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  if (column == COLUMN_SLA)
    {
      gboolean breached = cp_lead_is_sla_breached (lead, g_get_real_time () / G_USEC_PER_SEC);
      if (breached)
        gtk_widget_add_css_class (label, "error");
      else
        gtk_widget_remove_css_class (label, "error");
    }
}

/* GTK 4.8 has no API for the primary sort column (4.10 added it), so the
 * column view's sorter is asked to compare two probes: the column sorter
 * it consults first is the primary one, and the sign gives the order. */
static int probed_column = -1;

static int
probe_compare_cb (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  if (probed_column < 0)
    probed_column = GPOINTER_TO_INT (user_data);

  return -1;
}

static void
sorter_changed_cb (GtkSorter       *sorter,
                   GtkSorterChange  change,
                   CpLeadsView     *self)
{
  g_autoptr(GObject) probe_a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) probe_b = g_object_new (G_TYPE_OBJECT, NULL);
  GtkOrdering order;

  probed_column = -1;
  order = gtk_sorter_compare (sorter, probe_a, probe_b);

  if (probed_column < 0 || order == GTK_ORDERING_EQUAL)
    {
      self->query->sort_field = CP_LEAD_FIELD_CREATED_AT;
      self->query->sort_descending = TRUE;
    }
  else
    {
      self->query->sort_field = columns[probed_column].field;
      self->query->sort_descending = order == GTK_ORDERING_LARGER;
    }

  if (self->model != NULL)
    cp_lead_list_model_set_query (self->model, self->query);
}

/* The ids of the selected leads; NULL-terminated. */
static GStrv
selected_ids (CpLeadsView *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GtkBitset) selected = NULL;
  GtkBitsetIter iter;
  guint position;

  if (self->selection == NULL)
    return g_strv_builder_end (builder);

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(CpLead) lead = g_list_model_get_item (G_LIST_MODEL (self->model), position);
      if (lead != NULL)
        g_strv_builder_add (builder, cp_lead_get_id (lead));
    }

  return g_strv_builder_end (builder);
}

static void
selection_changed_cb (GtkSelectionModel *model,
                      guint              position,
                      guint              n_items,
                      CpLeadsView       *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (model);
  guint64 n = gtk_bitset_get_size (selected);
  g_autofree char *text = NULL;

  gtk_action_bar_set_revealed (self->action_bar, n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "leads.edit-selection", n == 1);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u lead selected", "%'u leads selected",
                                       (gulong) n), (guint) n);
  gtk_label_set_text (self->selection_label, text);
}

/* One selected lead: the window opens the editor on it. */
static void
edit_selection_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CpLeadsView *self = CP_LEADS_VIEW (widget);
  g_auto(GStrv) ids = selected_ids (self);

  if (ids[0] != NULL && ids[1] == NULL)
    gtk_widget_activate_action (widget, "win.edit-lead", "s", ids[0]);
}

static void
move_selection_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CpLeadsView *self = CP_LEADS_VIEW (widget);
  g_auto(GStrv) ids = selected_ids (self);

  if (ids[0] != NULL)
    g_signal_emit (self, signals[BULK_MOVE_REQUESTED], 0, ids);
}

static void
assign_selection_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CpLeadsView *self = CP_LEADS_VIEW (widget);
  g_auto(GStrv) ids = selected_ids (self);

  if (ids[0] != NULL)
    g_signal_emit (self, signals[BULK_ASSIGN_REQUESTED], 0, ids);
}

static void
rescore_selection_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  CpLeadsView *self = CP_LEADS_VIEW (widget);
  g_auto(GStrv) ids = selected_ids (self);

  if (ids[0] != NULL)
    g_signal_emit (self, signals[BULK_RESCORE_REQUESTED], 0, ids);
}

static void
export_selection_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CpLeadsView *self = CP_LEADS_VIEW (widget);
  g_auto(GStrv) ids = selected_ids (self);

  if (ids[0] != NULL)
    g_signal_emit (self, signals[BULK_EXPORT_REQUESTED], 0, ids);
}

static void
select_none_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CpLeadsView *self = CP_LEADS_VIEW (widget);

  if (self->selection != NULL)
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
}

static void
activate_cb (GtkColumnView *view,
             guint          position,
             CpLeadsView   *self)
{
  g_autoptr(CpLead) lead = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (lead != NULL)
    g_signal_emit (self, signals[LEAD_ACTIVATED], 0, cp_lead_get_id (lead));
}

static void
update_visible_page (CpLeadsView *self)
{
  guint n = self->model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;

  if (n > 0)
    gtk_stack_set_visible_child_name (self->stack, "table");
  else if (cp_lead_query_has_filter (self->query))
    gtk_stack_set_visible_child_name (self->stack, "no-match");
  else
    gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
model_items_changed_cb (GListModel  *model,
                        guint        position,
                        guint        removed,
                        guint        added,
                        CpLeadsView *self)
{
  update_visible_page (self);
}

static gboolean
column_hidden (CpLeadsView *self,
               const char  *id)
{
  g_auto(GStrv) hidden = NULL;

  if (self->settings == NULL)
    return FALSE;
  hidden = g_settings_get_strv (self->settings, "leads-hidden-columns");
  return g_strv_contains ((const char * const *) hidden, id);
}

/* The header menu's check items: one stateful action per column. */
static void
column_toggled_cb (GSimpleAction *action,
                   GVariant      *state,
                   CpLeadsView   *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) hidden = NULL;

  g_simple_action_set_state (action, state);
  for (Column c = 0; c < N_COLUMNS; c++)
    {
      GAction *a = g_action_map_lookup_action (G_ACTION_MAP (g_object_get_data (G_OBJECT (self),
                                                                                "column-actions")),
                                               columns[c].id);
      g_autoptr(GVariant) visible = g_action_get_state (a);

      gtk_column_view_column_set_visible (self->column_objects[c], g_variant_get_boolean (visible));
      if (!g_variant_get_boolean (visible))
        g_strv_builder_add (builder, columns[c].id);
    }
  hidden = g_strv_builder_end (builder);
  if (self->settings != NULL)
    g_settings_set_strv (self->settings, "leads-hidden-columns", (const char * const *) hidden);
}

static void
cp_leads_view_add_columns (CpLeadsView *self)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GMenu) menu = g_menu_new ();

  for (Column c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;
      GtkSorter *sorter;

      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), GUINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), GUINT_TO_POINTER (c));

      column = gtk_column_view_column_new (_(columns[c].title), factory);
      gtk_column_view_column_set_expand (column, columns[c].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      sorter = GTK_SORTER (gtk_custom_sorter_new (probe_compare_cb, GINT_TO_POINTER (c), NULL));
      gtk_column_view_column_set_sorter (column, sorter);
      g_object_unref (sorter);

      {
        gboolean visible = c == COLUMN_NAME || !column_hidden (self, columns[c].id);
        g_autoptr(GSimpleAction) action =
          g_simple_action_new_stateful (columns[c].id, NULL, g_variant_new_boolean (visible));
        g_autofree char *detailed = g_strconcat ("columns.", columns[c].id, NULL);

        /* The name column is what a row is: it cannot be hidden. */
        g_simple_action_set_enabled (action, c != COLUMN_NAME);
        g_signal_connect (action, "change-state", G_CALLBACK (column_toggled_cb), self);
        g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
        g_menu_append (menu, _(columns[c].title), detailed);
        gtk_column_view_column_set_visible (column, visible);
      }

      self->column_objects[c] = column;
      gtk_column_view_append_column (self->column_view, column);
      g_object_unref (column);
    }

  for (Column c = 0; c < N_COLUMNS; c++)
    gtk_column_view_column_set_header_menu (self->column_objects[c], G_MENU_MODEL (menu));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "columns", G_ACTION_GROUP (group));
  g_object_set_data_full (G_OBJECT (self), "column-actions", g_object_ref (group), g_object_unref);
}

static void
cp_leads_view_dispose (GObject *object)
{
  CpLeadsView *self = CP_LEADS_VIEW (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_LEADS_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cp_leads_view_parent_class)->dispose (object);
}

static void
cp_leads_view_finalize (GObject *object)
{
  CpLeadsView *self = CP_LEADS_VIEW (object);

  g_clear_pointer (&self->query, cp_lead_query_free);

  G_OBJECT_CLASS (cp_leads_view_parent_class)->finalize (object);
}

static void
cp_leads_view_class_init (CpLeadsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_leads_view_dispose;
  object_class->finalize = cp_leads_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/cp-leads-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CpLeadsView, root_box);
  gtk_widget_class_bind_template_child (widget_class, CpLeadsView, stack);
  gtk_widget_class_bind_template_child (widget_class, CpLeadsView, column_view);
  gtk_widget_class_bind_template_child (widget_class, CpLeadsView, action_bar);
  gtk_widget_class_bind_template_child (widget_class, CpLeadsView, selection_label);

  /**
   * CpLeadsView::bulk-move-requested:
   * @ids: (array zero-terminated=1): the selected leads
   */
  signals[BULK_MOVE_REQUESTED] =
    g_signal_new ("bulk-move-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);
  signals[BULK_ASSIGN_REQUESTED] =
    g_signal_new ("bulk-assign-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);
  signals[BULK_RESCORE_REQUESTED] =
    g_signal_new ("bulk-rescore-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);
  signals[BULK_EXPORT_REQUESTED] =
    g_signal_new ("bulk-export-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);
  signals[LEAD_ACTIVATED] =
    g_signal_new ("lead-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "leads.export-selection", NULL,
                                   export_selection_action);
  gtk_widget_class_install_action (widget_class, "leads.edit-selection", NULL,
                                   edit_selection_action);
  gtk_widget_class_install_action (widget_class, "leads.move-selection", NULL,
                                   move_selection_action);
  gtk_widget_class_install_action (widget_class, "leads.rescore-selection", NULL,
                                   rescore_selection_action);
  gtk_widget_class_install_action (widget_class, "leads.assign-selection", NULL,
                                   assign_selection_action);
  gtk_widget_class_install_action (widget_class, "leads.select-none", NULL, select_none_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cp-leads-view");
}

static void
cp_leads_view_init (CpLeadsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->query = cp_lead_query_new ();
  {
    /* Tests and tools may run without the installed schema. */
    GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
    g_autoptr(GSettingsSchema) schema = source != NULL
      ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;
    if (schema != NULL)
      self->settings = g_settings_new (APP_ID);
  }
  cp_leads_view_add_columns (self);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (sorter_changed_cb), self, 0);
  g_signal_connect (self->column_view, "activate", G_CALLBACK (activate_cb), self);
}

GtkWidget *
cp_leads_view_new (void)
{
  return g_object_new (CP_TYPE_LEADS_VIEW, NULL);
}

void
cp_leads_view_set_store (CpLeadsView *self,
                         CpLeadStore *store)
{
  g_return_if_fail (CP_IS_LEADS_VIEW (self));
  g_return_if_fail (store == NULL || CP_IS_LEAD_STORE (store));

  if (self->store == store)
    return;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_set_object (&self->store, store);

  if (store != NULL)
    {
      /* A filter over a million leads: the first page shows while a worker counts. */
      self->model = cp_lead_list_model_new_full (store, self->query, TRUE);
      self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
      g_signal_connect (self->model, "items-changed", G_CALLBACK (model_items_changed_cb), self);
      g_signal_connect (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb),
                        self);
      gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
    }

  update_visible_page (self);
}

/**
 * cp_leads_view_get_model:
 *
 * Returns: (transfer none) (nullable): the leads the table shows
 */
GListModel *
cp_leads_view_get_model (CpLeadsView *self)
{
  g_return_val_if_fail (CP_IS_LEADS_VIEW (self), NULL);

  return self->model != NULL ? G_LIST_MODEL (self->model) : NULL;
}

/**
 * cp_leads_view_set_filter:
 * @filter: the filters to apply; the table keeps its own sort order
 */
void
cp_leads_view_set_filter (CpLeadsView       *self,
                          const CpLeadQuery *filter)
{
  CpLeadField sort_field;
  gboolean sort_descending;

  g_return_if_fail (CP_IS_LEADS_VIEW (self));
  g_return_if_fail (filter != NULL);

  sort_field = self->query->sort_field;
  sort_descending = self->query->sort_descending;
  cp_lead_query_free (self->query);
  self->query = cp_lead_query_copy (filter);
  self->query->sort_field = sort_field;
  self->query->sort_descending = sort_descending;
  if (self->model != NULL)
    cp_lead_list_model_set_query (self->model, self->query);
  update_visible_page (self);
}

/* For tests and keyboard users: select the rows at @positions. */
void
cp_leads_view_select (CpLeadsView *self,
                      const guint *positions,
                      guint        n_positions)
{
  g_return_if_fail (CP_IS_LEADS_VIEW (self));
  g_return_if_fail (self->selection != NULL);

  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  for (guint i = 0; i < n_positions; i++)
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), positions[i], FALSE);
}

/* For tests: whether the column with @id is shown. */
gboolean
cp_leads_view_get_column_visible (CpLeadsView *self,
                                  const char  *id)
{
  g_return_val_if_fail (CP_IS_LEADS_VIEW (self), FALSE);

  for (Column c = 0; c < N_COLUMNS; c++)
    if (g_strcmp0 (columns[c].id, id) == 0)
      return gtk_column_view_column_get_visible (self->column_objects[c]);

  return FALSE;
}
