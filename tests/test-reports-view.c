/* test-reports-view.c — the Reports view over demo leads: the funnel in
 * both modes, filters, comparison, opening the leads behind a row
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "cp-demo-writer.h"
#include "cp-playbook-store.h"
#include "cp-report-chart.h"
#include "cp-reports-view.h"
#include "cp-test-util.h"
#include "cp-ui.h"
#include "cp-widget-test-util.h"

#define N_LEADS 400

typedef struct
{
  char          *dir;
  CpDatabase    *database;
  CpLeadStore   *store;
  CpPlaybook    *playbook;
  GtkWindow     *window;
  CpReportsView *view;
  guint          updates;
  GArray        *opened;
  char          *opened_label;
} Fixture;

static void
updated_cb (CpReportsView *view,
            Fixture       *f)
{
  f->updates++;
}

static void
open_leads_cb (CpReportsView *view,
               const char    *label,
               GArray        *rowids,
               Fixture       *f)
{
  g_clear_pointer (&f->opened, g_array_unref);
  g_free (f->opened_label);
  f->opened = g_array_ref (rowids);
  f->opened_label = g_strdup (label);
}

/* Runs the main loop until the view has shown one more report. */
static void
wait_for_update (Fixture *f,
                 guint    before)
{
  for (int i = 0; i < 2000 && f->updates == before; i++)
    {
      cp_test_iterate ();
      g_usleep (2000);
    }
  g_assert_cmpuint (f->updates, >, before);
  cp_test_iterate ();
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AdwToastOverlay *overlay;

  cp_test_tmp_store_open (&f->dir, &f->database, &f->store);
  g_assert_true (cp_demo_writer_run (f->store, N_LEADS, 5, g_get_real_time () / G_USEC_PER_SEC,
                                     NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  f->playbook = cp_playbook_store_load_active (f->database, g_get_real_time () / G_USEC_PER_SEC,
                                               NULL, &error);
  g_assert_no_error (error);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1200, 860);
  overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  f->view = g_object_new (CP_TYPE_REPORTS_VIEW, NULL);
  adw_toast_overlay_set_child (overlay, GTK_WIDGET (f->view));
  gtk_window_set_child (f->window, GTK_WIDGET (overlay));
  g_signal_connect (f->view, "updated", G_CALLBACK (updated_cb), f);
  g_signal_connect (f->view, "open-leads", G_CALLBACK (open_leads_cb), f);
  cp_reports_view_set_store (f->view, f->store, f->playbook);
  gtk_window_present (f->window);
  wait_for_update (f, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  cp_test_iterate ();
  /* The worker may still hold the view for a moment. */
  for (int i = 0; i < 100; i++)
    cp_test_iterate ();
  g_clear_pointer (&f->opened, g_array_unref);
  g_free (f->opened_label);
  cp_playbook_unref (f->playbook);
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
}

static GtkWidget *
find_by_type (GtkWidget *root,
              GType      type,
              guint      index)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  cp_test_collect_widgets (root, type, found);
  g_assert_cmpuint (found->len, >, index);

  return g_ptr_array_index (found, index);
}

static double
figure (const CpReport *report,
        const char     *key,
        const char     *column)
{
  const CpReportRow *row = cp_report_find_row (report, key);

  g_assert_nonnull (row);

  return row->values[cp_report_find_column (report, column)];
}

static void
test_funnel_modes (Fixture       *f,
                   gconstpointer  data)
{
  const CpReport *report = cp_reports_view_get_report (f->view);
  CpReportChart  *chart =
      CP_REPORT_CHART (find_by_type (GTK_WIDGET (f->view), CP_TYPE_REPORT_CHART, 0));
  g_autoptr(GPtrArray) toggles = g_ptr_array_new ();
  double ordered_qualified;
  guint before;

  g_assert_nonnull (report);
  g_assert_cmpint (report->kind, ==, CP_REPORT_FUNNEL);
  g_assert_cmpuint (report->n_leads, ==, N_LEADS);
  g_assert_cmpfloat (figure (report, "new", "count"), >, 0);
  /* The chart shows the same report, and lays out one bar per stage. */
  g_assert_cmpuint (cp_report_chart_get_report (chart)->rows->len, ==, report->rows->len);
  g_assert_cmpint (cp_report_chart_row_at (chart, 50, 10), ==, 0);
  cp_test_screenshot ("funnel");

  /* The rows follow the playbook's lifecycle path (won before onboarding),
   * as carepath-cli's funnel does: won leads count in order. */
  {
    g_autoptr(CpReportOptions) options = cp_reports_view_dup_options (f->view);

    g_assert_nonnull (options->path_stages);
    g_assert_cmpuint (report->rows->len, ==, g_strv_length (options->path_stages));
    for (guint i = 0; i < report->rows->len; i++)
      g_assert_cmpstr (((CpReportRow *) report->rows->pdata[i])->key, ==,
                       options->path_stages[i]);
    g_assert_cmpfloat (figure (report, "closed_won", "count"), >, 0);
  }

  ordered_qualified = figure (report, "qualified", "count");
  /* “At any point” counts at least as many leads in every stage. */
  cp_test_collect_widgets (GTK_WIDGET (f->view), GTK_TYPE_TOGGLE_BUTTON, toggles);
  for (guint i = 0; i < toggles->len; i++)
    if (g_strcmp0 (gtk_button_get_label (toggles->pdata[i]), "At Any Point") == 0)
      {
        before = f->updates;
        gtk_toggle_button_set_active (toggles->pdata[i], TRUE);
        wait_for_update (f, before);
      }
  report = cp_reports_view_get_report (f->view);
  {
    g_autoptr(CpReportOptions) options = cp_reports_view_dup_options (f->view);
    g_assert_cmpint (options->mode, ==, CP_FUNNEL_ANY);
  }
  g_assert_cmpfloat (figure (report, "qualified", "count"), >=, ordered_qualified);

  /* The Stages menu: untick Engaged, and the funnel goes without it. */
  {
    g_autoptr(GPtrArray) checks = g_ptr_array_new ();
    guint n_rows = report->rows->len;

    cp_test_collect_widgets (GTK_WIDGET (f->view), GTK_TYPE_CHECK_BUTTON, checks);
    for (guint i = 0; i < checks->len; i++)
      if (g_strcmp0 (gtk_check_button_get_label (checks->pdata[i]), "Engaged") == 0)
        {
          g_assert_true (gtk_check_button_get_active (checks->pdata[i]));
          before = f->updates;
          gtk_check_button_set_active (checks->pdata[i], FALSE);
          wait_for_update (f, before);
        }
    report = cp_reports_view_get_report (f->view);
    g_assert_cmpuint (report->rows->len, ==, n_rows - 1);
    g_assert_null (cp_report_find_row (report, "engaged"));
  }
}

static void
test_filters_and_compare (Fixture       *f,
                          gconstpointer  data)
{
  GtkDropDown *period = GTK_DROP_DOWN (find_by_type (GTK_WIDGET (f->view), GTK_TYPE_DROP_DOWN, 0));
  GtkDropDown *channel = GTK_DROP_DOWN (find_by_type (GTK_WIDGET (f->view), GTK_TYPE_DROP_DOWN, 2));
  g_autoptr(GPtrArray) toggles = g_ptr_array_new ();
  const CpReport *report;
  guint before, all;

  all = cp_reports_view_get_report (f->view)->n_leads;

  /* One channel: fewer leads. */
  before = f->updates;
  gtk_drop_down_set_selected (channel, 1);
  wait_for_update (f, before);
  report = cp_reports_view_get_report (f->view);
  g_assert_cmpuint (report->n_leads, <, all);
  g_assert_cmpuint (report->n_leads, >, 0);
  gtk_drop_down_set_selected (channel, 0);
  wait_for_update (f, before + 1);

  /* The last 90 days, compared with the 90 before. */
  before = f->updates;
  gtk_drop_down_set_selected (period, 3);
  wait_for_update (f, before);
  cp_test_collect_widgets (GTK_WIDGET (f->view), GTK_TYPE_TOGGLE_BUTTON, toggles);
  for (guint i = 0; i < toggles->len; i++)
    if (g_strcmp0 (gtk_button_get_label (toggles->pdata[i]), "Com_pare") == 0)
      {
        g_assert_true (gtk_widget_get_sensitive (toggles->pdata[i]));
        before = f->updates;
        gtk_toggle_button_set_active (toggles->pdata[i], TRUE);
        wait_for_update (f, before);
      }
  report = cp_reports_view_get_report (f->view);
  g_assert_true (report->compared);
  g_assert_cmpuint (report->n_leads, <, all);
  g_assert_nonnull (((CpReportRow *) g_ptr_array_index (report->rows, 0))->previous);
  cp_test_screenshot ("funnel-compare");
}

static void
test_other_report_and_open_leads (Fixture       *f,
                                  gconstpointer  data)
{
  const CpReport *report;
  CpReportChart  *chart =
      CP_REPORT_CHART (find_by_type (GTK_WIDGET (f->view), CP_TYPE_REPORT_CHART, 0));
  guint before = f->updates;
  double leads;

  cp_reports_view_select (f->view, CP_REPORT_SLA);
  wait_for_update (f, before);
  report = cp_reports_view_get_report (f->view);
  g_assert_cmpint (report->kind, ==, CP_REPORT_SLA);
  g_assert_cmpuint (report->rows->len, >, 0);
  cp_test_screenshot ("sla");

  /* The first row's bar opens exactly the leads the row counts. */
  leads = ((CpReportRow *) g_ptr_array_index (report->rows, 0))->values[0];
  g_signal_emit_by_name (chart, "row-activated", 0);
  for (int i = 0; i < 2000 && f->opened == NULL; i++)
    {
      cp_test_iterate ();
      g_usleep (2000);
    }
  g_assert_nonnull (f->opened);
  g_assert_cmpuint (f->opened->len, ==, (guint) leads);
  g_assert_true (g_str_has_prefix (f->opened_label, "Response SLA by queue: "));

  /* Each of them is in that queue, in the store too. */
  {
    g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
    guint count = 0;
    g_autoptr(GError) error = NULL;

    cp_lead_query_set_lead_set (query, f->opened, f->opened_label);
    query->queue = g_strdup (((CpReportRow *) g_ptr_array_index (report->rows, 0))->key);
    g_assert_true (cp_lead_store_count (f->store, query, &count, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (count, ==, f->opened->len);
  }

  /* Dark style: the same report, drawn in the dark palette. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  cp_reports_view_select (f->view, CP_REPORT_FUNNEL);
  wait_for_update (f, f->updates);
  cp_test_screenshot ("funnel-dark");
  before = f->updates;
  cp_reports_view_select (f->view, CP_REPORT_CHANNELS);
  wait_for_update (f, before);
  cp_test_screenshot ("channels-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_live_update (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;
  guint before = f->updates;
  guint n = cp_reports_view_get_report (f->view)->n_leads;

  /* A lead added elsewhere shows up in the report without a reload. */
  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Ada");
  cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, "Report");
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "ada.report@example.org");
  g_assert_true (cp_lead_store_create (f->store, lead, "test", &error));
  g_assert_no_error (error);
  wait_for_update (f, before);
  g_assert_cmpuint (cp_reports_view_get_report (f->view)->n_leads, ==, n + 1);
}

static void
second_updated_cb (CpReportsView *view,
                   guint         *updates)
{
  (*updates)++;
}

/* The next session (a new view, its own service) starts from the snapshot
 * this one saved beside the database, and shows a lead added after the
 * save. */
static void
test_next_session_from_saved_snapshot (Fixture       *f,
                                       gconstpointer  data)
{
  g_autofree char *snapshot = g_strconcat (cp_database_get_path (f->database), ".reports", NULL);
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;
  guint n = cp_reports_view_get_report (f->view)->n_leads;
  GtkWindow *window;
  CpReportsView *next;
  guint updates = 0;

  /* Saved by the worker after it returned the first report. */
  for (int i = 0; i < 2000 && !g_file_test (snapshot, G_FILE_TEST_EXISTS); i++)
    {
      cp_test_iterate ();
      g_usleep (2000);
    }
  g_assert_true (g_file_test (snapshot, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (cp_test_file_mode (snapshot), ==, 0600);

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Next");
  cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, "Session");
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "next.session@example.org");
  g_assert_true (cp_lead_store_create (f->store, lead, "test", &error));
  g_assert_no_error (error);

  window = GTK_WINDOW (gtk_window_new ());
  next = g_object_new (CP_TYPE_REPORTS_VIEW, NULL);
  gtk_window_set_child (window, GTK_WIDGET (next));
  g_signal_connect (next, "updated", G_CALLBACK (second_updated_cb), &updates);
  cp_reports_view_set_store (next, f->store, f->playbook);
  gtk_window_present (window);
  for (int i = 0; i < 2000 && updates == 0; i++)
    {
      cp_test_iterate ();
      g_usleep (2000);
    }
  g_assert_cmpuint (updates, >, 0);
  g_assert_cmpint (cp_reports_view_get_report (next)->kind, ==, CP_REPORT_FUNNEL);
  g_assert_cmpuint (cp_reports_view_get_report (next)->n_leads, ==, n + 1);
  gtk_window_destroy (window);
  for (int i = 0; i < 100; i++)
    cp_test_iterate ();
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cp_ui_init ();

#define ADD(path, func) \
  g_test_add ("/reports-view/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("funnel-modes", test_funnel_modes);
  ADD ("filters-and-compare", test_filters_and_compare);
  ADD ("other-report-and-open-leads", test_other_report_and_open_leads);
  ADD ("live-update", test_live_update);
  ADD ("next-session-from-saved-snapshot", test_next_session_from_saved_snapshot);
#undef ADD

  return g_test_run ();
}
