/* cp-reports-view.c — the funnel and the pipeline reports, with filters,
 * period comparison and export
 *
 * Every filter change asks the report service for the report (computed in
 * a worker thread; a newer request cancels the older one). The chart and
 * the table show the same report; a bar or a row opens the leads behind
 * it in the Leads table (::open-leads).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-reports-view"
#include "config.h"
#include "cp-reports-view-private.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "cp-lead-format.h"
#include "cp-report-chart.h"
#include "cp-report-render.h"
#include "cp-report-service.h"

typedef enum
{
  PERIOD_ALL,
  PERIOD_7_DAYS,
  PERIOD_30_DAYS,
  PERIOD_90_DAYS,
  PERIOD_12_MONTHS,
  PERIOD_THIS_MONTH,
  PERIOD_LAST_MONTH,
  PERIOD_THIS_YEAR,
  PERIOD_CUSTOM,
} Period;

static const char * const period_labels[] = {
  N_("All Time"), N_("Last 7 Days"), N_("Last 30 Days"), N_("Last 90 Days"),
  N_("Last 12 Months"), N_("This Month"), N_("Last Month"), N_("This Year"),
  N_("Custom Range"), NULL
};

/* The lead attributes the view filters by, in CpReportOptions. */
static const struct
{
  CpLeadField  field;
  gsize        offset;
  const char  *any_label;
} attributes[] = {
  { CP_LEAD_FIELD_SOURCE_CHANNEL, G_STRUCT_OFFSET (CpReportOptions, source_channel),
    N_("All channels") },
  { CP_LEAD_FIELD_SERVICE_LINE, G_STRUCT_OFFSET (CpReportOptions, service_line),
    N_("All service lines") },
  { CP_LEAD_FIELD_LOCATION, G_STRUCT_OFFSET (CpReportOptions, location), N_("All locations") },
  { CP_LEAD_FIELD_LEAD_TYPE, G_STRUCT_OFFSET (CpReportOptions, lead_type), N_("All lead types") },
  { CP_LEAD_FIELD_OWNER, G_STRUCT_OFFSET (CpReportOptions, owner), N_("All owners") },
};

#define N_ATTRIBUTES G_N_ELEMENTS (attributes)

struct _CpReportsView
{
  AdwBin            parent_instance;

  CpLeadStore      *store;
  CpPlaybook       *playbook;
  CpReportService  *service;
  GCancellable     *cancellable;
  CpReport         *report;
  CpReportKind      kind;
  GPtrArray        *values[N_ATTRIBUTES];   /* canonical ids; [0] = any */
  GtkDropDown      *attribute_dropdowns[N_ATTRIBUTES];
  guint             refresh_source;
  gboolean          dirty;
  char             *table_columns;          /* the column ids the table has */

  AdwLeaflet       *leaflet;
  GtkListBox       *report_list;
  GtkDropDown      *period_dropdown;
  GtkMenuButton    *from_button;
  GtkMenuButton    *to_button;
  GtkCalendar      *from_calendar;
  GtkCalendar      *to_calendar;
  GtkDropDown      *basis_dropdown;
  GtkFlowBox       *filter_box;
  GtkRevealer      *filter_revealer;
  GtkToggleButton  *filters_toggle;
  GtkToggleButton  *compare_button;
  GtkStack         *stack;
  GtkSpinner       *spinner;
  GtkSpinner       *busy_spinner;
  AdwStatusPage    *error_page;
  GtkLabel         *title_label;
  GtkLabel         *summary_label;
  GtkLabel         *explain_label;
  GtkBox           *mode_box;
  GtkBox           *stages_box;
  GPtrArray        *stage_checks;           /* GtkCheckButton, playbook order */
  GtkToggleButton  *ordered_button;
  CpReportChart    *chart;
  GtkColumnView    *table;
};

G_DEFINE_FINAL_TYPE (CpReportsView, cp_reports_view, ADW_TYPE_BIN)

enum
{
  OPEN_LEADS,
  UPDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void refresh (CpReportsView *self);

/* Periods, in local days. */

static GDateTime *
today_start (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                g_date_time_get_day_of_month (now), 0, 0, 0);
}

static void
period_range (CpReportsView *self,
              gint64        *out_from,
              gint64        *out_to)
{
  g_autoptr(GDateTime) today = today_start ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (today, 1);
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  int year = g_date_time_get_year (today), month = g_date_time_get_month (today);

  switch ((Period) gtk_drop_down_get_selected (self->period_dropdown))
    {
    case PERIOD_7_DAYS:
      from = g_date_time_add_days (tomorrow, -7);
      break;
    case PERIOD_30_DAYS:
      from = g_date_time_add_days (tomorrow, -30);
      break;
    case PERIOD_90_DAYS:
      from = g_date_time_add_days (tomorrow, -90);
      break;
    case PERIOD_12_MONTHS:
      from = g_date_time_add_years (tomorrow, -1);
      break;
    case PERIOD_THIS_MONTH:
      from = g_date_time_new_local (year, month, 1, 0, 0, 0);
      break;
    case PERIOD_LAST_MONTH:
      to = g_date_time_new_local (year, month, 1, 0, 0, 0);
      from = g_date_time_add_months (to, -1);
      break;
    case PERIOD_THIS_YEAR:
      from = g_date_time_new_local (year, 1, 1, 0, 0, 0);
      break;
    case PERIOD_CUSTOM:
      {
        g_autoptr(GDateTime) first = gtk_calendar_get_date (self->from_calendar);
        g_autoptr(GDateTime) last = gtk_calendar_get_date (self->to_calendar);
        g_autoptr(GDateTime) last_midnight =
            g_date_time_new_local (g_date_time_get_year (last), g_date_time_get_month (last),
                                   g_date_time_get_day_of_month (last), 0, 0, 0);

        from = g_date_time_new_local (g_date_time_get_year (first), g_date_time_get_month (first),
                                      g_date_time_get_day_of_month (first), 0, 0, 0);
        to = g_date_time_add_days (last_midnight, 1);
        /* Dates picked the wrong way round mean the range between them. */
        if (g_date_time_compare (to, from) <= 0)
          {
            GDateTime *t = to;
            to = g_date_time_add_days (from, 1);
            g_date_time_unref (from);
            from = g_date_time_add_days (t, -1);
            g_date_time_unref (t);
          }
      }
      break;
    case PERIOD_ALL:
    default:
      break;
    }
  if (from != NULL && to == NULL)
    to = g_date_time_ref (tomorrow);

  *out_from = from != NULL ? g_date_time_to_unix (from) : 0;
  *out_to = to != NULL ? g_date_time_to_unix (to) : 0;
}

CpReportOptions *
cp_reports_view_dup_options (CpReportsView *self)
{
  CpReportOptions *options = cp_report_options_new ();

  g_return_val_if_fail (CP_IS_REPORTS_VIEW (self), options);

  period_range (self, &options->from, &options->to);
  options->date_basis = gtk_drop_down_get_selected (self->basis_dropdown) == 1
    ? CP_REPORT_DATE_ENTERED_FIRST : CP_REPORT_DATE_CREATED;
  options->mode =
      gtk_toggle_button_get_active (self->ordered_button) ? CP_FUNNEL_ORDERED : CP_FUNNEL_ANY;
  options->compare = options->from != 0 && gtk_toggle_button_get_active (self->compare_button);
  for (guint i = 0; i < N_ATTRIBUTES; i++)
    {
      guint selected = self->attribute_dropdowns[i] != NULL
        ? gtk_drop_down_get_selected (self->attribute_dropdowns[i]) : 0;

      if (selected > 0 && selected < self->values[i]->len)
        G_STRUCT_MEMBER (char *, options, attributes[i].offset) =
            g_strdup (self->values[i]->pdata[selected]);
    }
  if (self->playbook != NULL)
    cp_report_options_set_playbook (options, self->playbook);
  /* The stages ticked in the Stages menu; none ticked: the default. */
  {
    g_autoptr(GStrvBuilder) stages = g_strv_builder_new ();
    guint n = 0;

    for (guint i = 0; i < self->stage_checks->len; i++)
      if (gtk_check_button_get_active (self->stage_checks->pdata[i]))
        {
          g_strv_builder_add (stages, g_object_get_data (self->stage_checks->pdata[i], "stage"));
          n++;
        }
    if (n > 0)
      options->funnel_stages = g_strv_builder_end (stages);
  }

  return options;
}

/* The table: one column per figure, rows by index into the report. */

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0 : 1);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column > 0)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              CpReportsView            *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  GtkStringObject *object = gtk_list_item_get_item (item);
  guint index = (guint) atoi (gtk_string_object_get_string (object));
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  const CpReportRow *row;
  const CpReportColumn *c;
  g_autofree char *value = NULL;
  g_autofree char *text = NULL;

  if (self->report == NULL || index >= self->report->rows->len)
    return;
  row = g_ptr_array_index (self->report->rows, index);
  if (column == 0)
    {
      gtk_label_set_text (label, row->label);
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), row->label);
      return;
    }
  c = g_ptr_array_index (self->report->columns, column - 1);
  value = cp_report_format_value (c->kind, row->values[column - 1]);
  if (row->previous != NULL)
    {
      g_autofree char *change = cp_report_format_change (c->kind, row->values[column - 1],
                                                         row->previous[column - 1]);
      text = g_strdup_printf ("%s (%s)", value, change);
    }
  gtk_label_set_text (label, text != NULL ? text : value);
}

static void
add_table_column (CpReportsView *self,
                  guint          column,
                  const char    *title)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_object_set_data (G_OBJECT (factory), "column", GUINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), self);
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, column == 0);
  /* Row names stay readable however many figures follow (the channels). */
  if (column == 0)
    gtk_column_view_column_set_fixed_width (view_column, 180);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (self->table, view_column);
  g_object_unref (view_column);
}

static void
show_table (CpReportsView *self)
{
  GString *ids = g_string_new (self->report->key_name);
  g_autoptr(GtkStringList) rows = gtk_string_list_new (NULL);
  g_autoptr(GtkNoSelection) selection = NULL;
  GListModel *columns = gtk_column_view_get_columns (self->table);

  for (guint c = 0; c < self->report->columns->len; c++)
    g_string_append_printf (ids, ",%s",
                            ((CpReportColumn *) g_ptr_array_index (self->report->columns, c))->id);
  /* Same columns: keep them (and any width the user gave them). */
  if (g_strcmp0 (ids->str, self->table_columns) != 0)
    {
      while (g_list_model_get_n_items (columns) > 0)
        {
          g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);
          gtk_column_view_remove_column (self->table, column);
        }
      add_table_column (self, 0, "");
      for (guint c = 0; c < self->report->columns->len; c++)
        add_table_column (self, c + 1,
                          ((CpReportColumn *) g_ptr_array_index (self->report->columns, c))->title);
      g_free (self->table_columns);
      self->table_columns = g_strdup (ids->str);
    }
  g_string_free (ids, TRUE);

  for (guint r = 0; r < self->report->rows->len; r++)
    {
      char index[16];
      g_snprintf (index, sizeof index, "%u", r);
      gtk_string_list_append (rows, index);
    }
  selection = gtk_no_selection_new (G_LIST_MODEL (g_steal_pointer (&rows)));
  gtk_column_view_set_model (self->table, GTK_SELECTION_MODEL (selection));
}

/* Computing. */

static void
show_report (CpReportsView *self,
             CpReport      *report)
{
  g_autoptr(CpReportOptions) options = cp_reports_view_dup_options (self);
  g_autofree char *filters = cp_report_options_describe (options);
  g_autofree char *summary = NULL;

  g_clear_pointer (&self->report, cp_report_free);
  self->report = report;

  gtk_label_set_text (self->title_label, report->title);
  /* Translators: under a report's title: lead count, then the filters. */
  summary = g_strdup_printf (ngettext ("%'u lead · %s", "%'u leads · %s", report->n_leads),
                             report->n_leads, filters);
  gtk_label_set_text (self->summary_label, summary);
  gtk_label_set_text (self->explain_label, cp_report_kind_explain (report->kind));
  gtk_widget_set_visible (GTK_WIDGET (self->mode_box), report->kind == CP_REPORT_FUNNEL);
  cp_report_chart_set_report (self->chart, report);
  show_table (self);
  gtk_stack_set_visible_child_name (self->stack, "report");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.export", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.copy", TRUE);
}

static void
computed_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CpReportsView) self = user_data;
  g_autoptr(GError) error = NULL;
  CpReport *report = cp_report_service_compute_finish (CP_REPORT_SERVICE (source), result, &error);

  if (report == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_stop (self->spinner);
  gtk_spinner_stop (self->busy_spinner);
  if (report == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else
    show_report (self, report);
  g_signal_emit (self, signals[UPDATED], 0);
}

static void
refresh (CpReportsView *self)
{
  g_autoptr(CpReportOptions) options = NULL;

  if (self->service == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->dirty = FALSE;

  if (self->report == NULL)
    {
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->stack, "loading");
    }
  else
    gtk_spinner_start (self->busy_spinner);

  options = cp_reports_view_dup_options (self);
  cp_report_service_compute_async (self->service, self->kind, options, self->cancellable,
                                   computed_cb, g_object_ref (self));
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  CpReportsView *self = user_data;

  self->refresh_source = 0;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    refresh (self);
  else
    self->dirty = TRUE;

  return G_SOURCE_REMOVE;
}

/* Leads changed: report again once the burst of changes is over. */
static void
store_changed_cb (CpLeadStore   *store,
                  const char    *lead_id,
                  guint          change,
                  CpReportsView *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add (800, refresh_timeout_cb, self);
}

static void
map_cb (GtkWidget     *widget,
        CpReportsView *self)
{
  if (self->dirty || (self->report == NULL && self->service != NULL))
    refresh (self);
}

/* Opening the leads behind a row. */

typedef struct
{
  CpReportsView *self;
  char          *label;
} CollectRequest;

static void
collected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CollectRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids =
      cp_report_service_collect_finish (CP_REPORT_SERVICE (source), result, &error);

  if (rowids != NULL)
    g_signal_emit (request->self, signals[OPEN_LEADS], 0, request->label, rowids);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not find the leads of a report row: %s", error->message);
  g_object_unref (request->self);
  g_free (request->label);
  g_free (request);
}

static void
open_row (CpReportsView *self,
          guint          row)
{
  g_autoptr(CpReportOptions) options = NULL;
  const CpReportRow *r;
  CollectRequest *request;

  if (self->report == NULL || row >= self->report->rows->len || self->service == NULL)
    return;
  r = g_ptr_array_index (self->report->rows, row);
  options = cp_reports_view_dup_options (self);
  request = g_new0 (CollectRequest, 1);
  request->self = g_object_ref (self);
  /* Translators: the filter chip in the Leads table, e.g. "Stage funnel: Qualified". */
  request->label = g_strdup_printf (_("%s: %s"), self->report->title, r->label);
  cp_report_service_collect_async (self->service, self->report->kind, options, r->key, NULL,
                                   collected_cb, request);
}

static void
chart_row_activated_cb (CpReportChart *chart,
                        guint          row,
                        CpReportsView *self)
{
  open_row (self, row);
}

static void
table_activated_cb (GtkColumnView *view,
                    guint          position,
                    CpReportsView *self)
{
  open_row (self, position);
}

/* Filters. */

static void
filter_changed_cb (GtkWidget     *widget,
                   GParamSpec    *pspec,
                   CpReportsView *self)
{
  refresh (self);
}

/* A filter and the slot of the flow box that holds it. */
static void
show_filter (GtkWidget *filter,
             gboolean   visible)
{
  gtk_widget_set_visible (filter, visible);
  gtk_widget_set_visible (gtk_widget_get_parent (filter), visible);
}

static void
update_custom_labels (CpReportsView *self)
{
  g_autoptr(GDateTime) from = gtk_calendar_get_date (self->from_calendar);
  g_autoptr(GDateTime) to = gtk_calendar_get_date (self->to_calendar);
  g_autofree char *from_text = cp_format_date (g_date_time_to_unix (from));
  g_autofree char *to_text = cp_format_date (g_date_time_to_unix (to));

  gtk_menu_button_set_label (self->from_button, from_text);
  gtk_menu_button_set_label (self->to_button, to_text);
}

static void
custom_day_selected_cb (GtkCalendar   *calendar,
                        CpReportsView *self)
{
  update_custom_labels (self);
  refresh (self);
}

static void
period_changed_cb (GtkDropDown   *dropdown,
                   GParamSpec    *pspec,
                   CpReportsView *self)
{
  gboolean custom = gtk_drop_down_get_selected (dropdown) == PERIOD_CUSTOM;
  gboolean all = gtk_drop_down_get_selected (dropdown) == PERIOD_ALL;

  show_filter (GTK_WIDGET (self->from_button), custom);
  show_filter (GTK_WIDGET (self->to_button), custom);
  /* All time has no previous period to compare with. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->compare_button), !all);
  refresh (self);
}

static void
report_selected_cb (GtkListBox    *box,
                    GtkListBoxRow *row,
                    CpReportsView *self)
{
  if (row == NULL)
    return;
  self->kind = gtk_list_box_row_get_index (row);
  refresh (self);
}

/* Folded, a report chosen in the list is shown in its place. */
static void
report_activated_cb (GtkListBox    *box,
                     GtkListBoxRow *row,
                     CpReportsView *self)
{
  adw_leaflet_set_visible_child_name (self->leaflet, "report");
}

/* Side by side the filters are always shown; folded, on request. */
static void
filters_toggled_cb (GtkWidget     *widget,
                    GParamSpec    *pspec,
                    CpReportsView *self)
{
  gtk_revealer_set_reveal_child (self->filter_revealer,
                                 !adw_leaflet_get_folded (self->leaflet) ||
                                 gtk_toggle_button_get_active (self->filters_toggle));
}

static void
back_clicked_cb (GtkButton     *button,
                 CpReportsView *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
load_attribute_values (CpReportsView *self)
{
  for (guint i = 0; i < N_ATTRIBUTES; i++)
    {
      g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
      g_autoptr(GPtrArray) found = NULL;

      g_ptr_array_set_size (self->values[i], 0);
      g_ptr_array_add (self->values[i], NULL);
      gtk_string_list_append (labels, _(attributes[i].any_label));
      if (self->store != NULL)
        found = cp_lead_store_distinct_values (self->store, attributes[i].field, NULL);
      for (guint j = 0; found != NULL && j < found->len; j++)
        {
          g_ptr_array_add (self->values[i], g_strdup (found->pdata[j]));
          gtk_string_list_append (labels, cp_value_label (found->pdata[j]));
        }
      g_signal_handlers_block_by_func (self->attribute_dropdowns[i], filter_changed_cb, self);
      gtk_drop_down_set_model (self->attribute_dropdowns[i], G_LIST_MODEL (labels));
      g_signal_handlers_unblock_by_func (self->attribute_dropdowns[i], filter_changed_cb, self);
    }
}

static void
cp_reports_view_dispose (GObject *object)
{
  CpReportsView *self = CP_REPORTS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, store_changed_cb, self);
  /* AdwBin disposes its child, the whole template. */

  G_OBJECT_CLASS (cp_reports_view_parent_class)->dispose (object);
}

static void
cp_reports_view_finalize (GObject *object)
{
  CpReportsView *self = CP_REPORTS_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->service);
  g_clear_pointer (&self->playbook, cp_playbook_unref);
  g_clear_pointer (&self->report, cp_report_free);
  g_free (self->table_columns);
  g_ptr_array_unref (self->stage_checks);
  for (guint i = 0; i < N_ATTRIBUTES; i++)
    g_ptr_array_unref (self->values[i]);

  G_OBJECT_CLASS (cp_reports_view_parent_class)->finalize (object);
}

static void
cp_reports_view_class_init (CpReportsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_reports_view_dispose;
  object_class->finalize = cp_reports_view_finalize;

  /**
   * CpReportsView::open-leads:
   * @label: what the leads are ("Stage funnel: Qualified")
   * @rowids: (element-type gint64): the leads
   */
  signals[OPEN_LEADS] =
    g_signal_new ("open-leads", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ARRAY);
  /* After each report (or error) is shown. */
  signals[UPDATED] =
    g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (CP_TYPE_REPORT_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/cp-reports-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, report_list);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, from_button);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, to_button);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, from_calendar);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, to_calendar);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, basis_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, filter_box);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, filter_revealer);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, filters_toggle);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, compare_button);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, stack);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, spinner);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, error_page);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, title_label);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, explain_label);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, mode_box);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, stages_box);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, ordered_button);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, chart);
  gtk_widget_class_bind_template_child (widget_class, CpReportsView, table);
  gtk_widget_class_bind_template_callback (widget_class, report_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, report_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, filters_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, period_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, custom_day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, chart_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, table_activated_cb);

  gtk_widget_class_install_action (widget_class, "reports.export", "s",
                                   _cp_reports_view_export_action);
  gtk_widget_class_install_action (widget_class, "reports.copy", NULL,
                                   _cp_reports_view_copy_action);
}

static void
cp_reports_view_init (CpReportsView *self)
{
  g_autoptr(GtkStringList) periods = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->stage_checks = g_ptr_array_new ();

  for (guint i = 0; period_labels[i] != NULL; i++)
    gtk_string_list_append (periods, _(period_labels[i]));
  g_signal_handlers_block_by_func (self->period_dropdown, period_changed_cb, self);
  gtk_drop_down_set_model (self->period_dropdown, G_LIST_MODEL (periods));
  g_signal_handlers_unblock_by_func (self->period_dropdown, period_changed_cb, self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->compare_button), FALSE);
  update_custom_labels (self);

  for (guint i = 0; i < N_ATTRIBUTES; i++)
    {
      self->values[i] = g_ptr_array_new_with_free_func (g_free);
      self->attribute_dropdowns[i] = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->attribute_dropdowns[i]),
                                   _(attributes[i].any_label));
      /* Named after the field, whichever value it shows. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->attribute_dropdowns[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(cp_lead_field_info (attributes[i].field)->label), -1);
      g_signal_connect (self->attribute_dropdowns[i], "notify::selected",
                        G_CALLBACK (filter_changed_cb), self);
      gtk_flow_box_append (self->filter_box, GTK_WIDGET (self->attribute_dropdowns[i]));
    }
  load_attribute_values (self);
  /* The flow box's slots only lay out the filters: focus goes to them. */
  for (GtkWidget *slot = gtk_widget_get_first_child (GTK_WIDGET (self->filter_box)); slot != NULL;
       slot = gtk_widget_get_next_sibling (slot))
    gtk_widget_set_focusable (slot, FALSE);
  show_filter (GTK_WIDGET (self->from_button), FALSE);
  show_filter (GTK_WIDGET (self->to_button), FALSE);
  g_signal_connect (self->leaflet, "notify::folded", G_CALLBACK (filters_toggled_cb), self);

  for (guint k = 0; k < CP_REPORT_N_KINDS; k++)
    {
      GtkWidget *label = gtk_label_new (cp_report_kind_title (k));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_list_box_append (self->report_list, label);
    }
  gtk_list_box_select_row (self->report_list, gtk_list_box_get_row_at_index (self->report_list, 0));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.export", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.copy", FALSE);
  g_signal_connect (self, "map", G_CALLBACK (map_cb), self);
}

void
cp_reports_view_set_store (CpReportsView *self,
                           CpLeadStore   *store,
                           CpPlaybook    *playbook)
{
  g_return_if_fail (CP_IS_REPORTS_VIEW (self));
  g_return_if_fail (CP_IS_LEAD_STORE (store));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, store_changed_cb, self);
  g_set_object (&self->store, store);
  g_clear_object (&self->service);
  self->service = cp_report_service_new (cp_database_get_path (cp_lead_store_get_database (store)));
  g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);
  load_attribute_values (self);
  cp_reports_view_set_playbook (self, playbook);
}

static void
stage_toggled_cb (GtkCheckButton *check,
                  CpReportsView  *self)
{
  refresh (self);
}

static void
add_stage_check (CpReportsView *self,
                 const char    *stage,
                 const char    *title,
                 gboolean       ticked)
{
  GtkWidget *check = gtk_check_button_new_with_label (title);

  g_object_set_data_full (G_OBJECT (check), "stage", g_strdup (stage), g_free);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), ticked);
  g_signal_connect (check, "toggled", G_CALLBACK (stage_toggled_cb), self);
  gtk_box_append (self->stages_box, check);
  g_ptr_array_add (self->stage_checks, check);
}

/* One check per playbook stage: the default funnel first, ticked, in its
 * order (the playbook's lifecycle path: won before onboarding), then the
 * other stages. The ticked ones are the funnel in the menu's order. */
static void
load_stage_checks (CpReportsView *self)
{
  g_autoptr(CpReportOptions) options = cp_report_options_new ();
  g_auto(GStrv) funnel = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->stages_box))) != NULL)
    gtk_box_remove (self->stages_box, child);
  g_ptr_array_set_size (self->stage_checks, 0);
  if (self->playbook == NULL)
    return;

  cp_report_options_set_playbook (options, self->playbook);
  funnel = cp_report_default_funnel_stages (options);
  for (guint f = 0; funnel[f] != NULL; f++)
    for (guint i = 0; options->stages[i] != NULL; i++)
      if (g_str_equal (options->stages[i], funnel[f]))
        add_stage_check (self, options->stages[i], options->stage_titles[i], TRUE);
  for (guint i = 0; options->stages[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) funnel, options->stages[i]))
      add_stage_check (self, options->stages[i], options->stage_titles[i], FALSE);
}

void
cp_reports_view_set_playbook (CpReportsView *self,
                              CpPlaybook    *playbook)
{
  g_return_if_fail (CP_IS_REPORTS_VIEW (self));

  if (playbook != self->playbook)
    {
      g_clear_pointer (&self->playbook, cp_playbook_unref);
      self->playbook = playbook != NULL ? cp_playbook_ref (playbook) : NULL;
      load_stage_checks (self);
    }
  if (self->service != NULL)
    cp_report_service_set_playbook (self->service, playbook);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    refresh (self);
  else
    self->dirty = TRUE;
}

void
cp_reports_view_select (CpReportsView *self,
                        CpReportKind   kind)
{
  g_return_if_fail (CP_IS_REPORTS_VIEW (self));
  g_return_if_fail (kind < CP_REPORT_N_KINDS);

  gtk_list_box_select_row (self->report_list,
                           gtk_list_box_get_row_at_index (self->report_list, kind));
  adw_leaflet_set_visible_child_name (self->leaflet, "report");
}

const CpReport *
cp_reports_view_get_report (CpReportsView *self)
{
  g_return_val_if_fail (CP_IS_REPORTS_VIEW (self), NULL);

  return self->report;
}
