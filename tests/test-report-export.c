/* test-report-export.c — reports from a real database (first load, then
 * only what changed), and their PNG, PDF, CSV and JSON forms
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sys/stat.h>

#include <cairo.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <poppler.h>

#include "cp-lead-store.h"
#include "cp-playbook-store.h"
#include "cp-report-render.h"
#include "cp-report-service.h"
#include "cp-test-util.h"

typedef struct
{
  char            *dir;
  CpDatabase      *database;
  CpLeadStore     *store;
  CpPlaybook      *playbook;
  CpReportService *service;
  CpReportOptions *options;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  cp_test_tmp_store_open (&f->dir, &f->database, &f->store);
  /* Reports read stage events; what makes a move allowed is not theirs. */
  cp_test_publish_open_playbook (f->database);
  f->playbook = cp_playbook_store_load_active (f->database, g_get_real_time () / G_USEC_PER_SEC,
                                               NULL, &error);
  g_assert_no_error (error);
  f->service = cp_report_service_new (cp_database_get_path (f->database));
  cp_report_service_set_playbook (f->service, f->playbook);
  f->options = cp_report_options_new ();
  cp_report_options_set_playbook (f->options, f->playbook);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cp_report_options_free (f->options);
  g_assert_finalize_object (f->service);
  cp_playbook_unref (f->playbook);
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
}

static char *
add_lead (Fixture    *f,
          const char *name,
          const char *channel)
{
  return cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, name,
                              CP_LEAD_FIELD_LAST_NAME, "Tester",
                              CP_LEAD_FIELD_SOURCE_CHANNEL, channel,
                              CP_LEAD_N_FIELDS);
}

static double
count (const CpReport *report,
       const char     *stage)
{
  const CpReportRow *row = cp_report_find_row (report, stage);

  g_assert_nonnull (row);

  return row->values[cp_report_find_column (report, "count")];
}

static CpReport *
funnel (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  CpReport *report =
      cp_report_service_compute (f->service, CP_REPORT_FUNNEL, f->options, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);

  return report;
}

static void
test_incremental_updates (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *a = add_lead (f, "Ana", "web_form");
  g_autofree char *b = add_lead (f, "Ben", "event");
  g_autoptr(CpReport) first = NULL;
  g_autoptr(CpReport) second = NULL;
  g_autoptr(CpReport) third = NULL;
  g_autoptr(CpReport) filtered = NULL;
  g_autoptr(GError) error = NULL;

  first = funnel (f);
  g_assert_cmpuint (first->n_leads, ==, 2);
  g_assert_cmpfloat (count (first, "new"), ==, 2);
  g_assert_cmpfloat (count (first, "engaged"), ==, 0);

  /* A move and a new lead after the first load: read incrementally. */
  g_assert_true (
      cp_lead_store_move (f->store, a, NULL, "engaged", NULL, "Replied", "test", NULL, &error));
  g_assert_no_error (error);
  g_free (add_lead (f, "Cy", "web_form"));
  second = funnel (f);
  g_assert_cmpuint (second->n_leads, ==, 3);
  g_assert_cmpfloat (count (second, "new"), ==, 3);
  g_assert_cmpfloat (count (second, "engaged"), ==, 1);

  /* A changed field and a tombstoned lead. */
  {
    g_autoptr(CpLead) lead = cp_lead_store_get (f->store, b, &error);
    g_assert_no_error (error);
    cp_lead_set_text (lead, CP_LEAD_FIELD_SOURCE_CHANNEL, "web_form");
    g_assert_true (cp_lead_store_update (f->store, lead, "test", NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_true (cp_lead_store_tombstone (f->store, a, "Test", "test", &error));
  g_assert_no_error (error);
  third = funnel (f);
  g_assert_cmpuint (third->n_leads, ==, 2);
  g_assert_cmpfloat (count (third, "engaged"), ==, 0);
  f->options->source_channel = g_strdup ("web_form");
  filtered = funnel (f);
  g_assert_cmpuint (filtered->n_leads, ==, 2);
}

static CpReport *
sample_report (Fixture *f)
{
  g_free (add_lead (f, "Ana", "web_form"));
  g_free (add_lead (f, "Ben", "event"));

  return funnel (f);
}

static void
test_png (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(CpReport) report = sample_report (f);
  g_autofree char *path = g_build_filename (f->dir, "funnel.png", NULL);
  g_autofree char *bad = g_build_filename (f->dir, "no-such-dir", "funnel.png", NULL);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;

  g_assert_true (cp_report_export_png (report, f->options, path, 640, 480, &error));
  g_assert_no_error (error);
  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 640);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 480);
  cairo_surface_destroy (surface);

  /* A size out of range, and a folder that does not exist. */
  g_assert_false (cp_report_export_png (report, f->options, path, 10, 10, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cp_report_export_png (report, f->options, bad, 640, 480, &error));
  g_assert_nonnull (error);
}

static void
test_pdf (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(CpReport) report = sample_report (f);
  g_autofree char *path = g_build_filename (f->dir, "funnel.pdf", NULL);
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;
  PopplerDocument *document;
  PopplerPage *page;
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;

  g_assert_true (cp_report_export_pdf (report, f->options, path, &error));
  g_assert_no_error (error);
  uri = g_filename_to_uri (path, NULL, NULL);
  document = poppler_document_new_from_file (uri, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 1);
  title = poppler_document_get_title (document);
  g_assert_cmpstr (title, ==, "Stage funnel");
  page = poppler_document_get_page (document, 0);
  text = poppler_page_get_text (page);
  /* The title, the filters and the figures are on the page as text. */
  g_assert_nonnull (strstr (text, "Stage funnel"));
  g_assert_nonnull (strstr (text, "All time"));
  g_assert_nonnull (strstr (text, "Qualified"));
  g_object_unref (page);
  g_object_unref (document);
}

static void
test_csv_and_json (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CpReport) report = sample_report (f);
  g_autofree char *path = g_build_filename (f->dir, "funnel.csv", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *written = NULL;
  g_autofree char *json = cp_report_to_json (report, f->options);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *stage;
  JsonArray *stages;

  g_assert_true (cp_report_export_csv (report, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &written, NULL, NULL));
  csv = cp_report_to_csv (report);
  g_assert_cmpstr (written, ==, csv);

  /* The shape the issue names: stages with their figures. */
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "report"), ==, "funnel");
  stages = json_object_get_array_member (root, "stages");
  g_assert_cmpuint (json_array_get_length (stages), ==, report->rows->len);
  stage = json_array_get_object_element (stages, 0);
  g_assert_cmpstr (json_object_get_string_member (stage, "stage"), ==, "new");
  g_assert_cmpint (json_object_get_int_member (stage, "count"), ==, 2);
  g_assert_true (json_object_has_member (stage, "conversion_to_next"));
  g_assert_true (json_object_has_member (stage, "cumulative"));
  g_assert_true (json_object_has_member (stage, "median_days_in_stage"));
  /* The last stage has no next: null, not a made-up number. */
  stage = json_array_get_object_element (stages, json_array_get_length (stages) - 1);
  g_assert_true (json_object_get_null_member (stage, "conversion_to_next"));
}

static void
test_tooltips (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CpReport) report = sample_report (f);
  g_autofree char *tooltip = cp_report_row_tooltip (report, 0);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 400);
  cairo_t *cr = cairo_create (surface);
  CpReportPalette palette;
  g_autoptr(GArray) areas = NULL;

  g_assert_nonnull (strstr (tooltip, "New"));
  g_assert_nonnull (strstr (tooltip, "Leads: 2"));
  cp_report_palette_init (&palette, TRUE);
  areas = cp_report_render_chart (cr, report, &palette, 600, 400);
  /* One bar per stage, top to bottom, within the chart. */
  g_assert_cmpuint (areas->len, ==, MIN (report->rows->len, CP_REPORT_CHART_MAX_ROWS));
  for (guint i = 1; i < areas->len; i++)
    g_assert_cmpfloat (g_array_index (areas, CpReportHitArea, i).y, >,
                       g_array_index (areas, CpReportHitArea, i - 1).y);
  g_assert_cmpfloat (g_array_index (areas, CpReportHitArea, areas->len - 1).y, <, 400);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* Reports can list leads: every export is 0600, whatever the umask, and
 * also when it replaces a file anyone could read. */
static void
test_private_files (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CpReport) report = sample_report (f);
  const char *names[] = { "report.png", "report.pdf", "report.csv" };
  const mode_t umasks[] = { 022, 0, 0277 };

  for (guint u = 0; u < G_N_ELEMENTS (umasks); u++)
    for (guint existing = 0; existing < 2; existing++)
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *path = g_build_filename (f->dir, names[i], NULL);
          g_autoptr(GError) error = NULL;
          mode_t saved = umask (umasks[u]);
          gsize length = 0;
          g_autofree char *written = NULL;

          g_test_message ("%s, umask %03o, %s", names[i], (guint) umasks[u],
                          existing ? "replacing a 0644 file" : "new");
          g_remove (path);
          if (existing)
            {
              g_assert_true (g_file_set_contents (path, "old", -1, NULL));
              g_assert_cmpint (g_chmod (path, 0644), ==, 0);
            }
          if (i == 0)
            g_assert_true (cp_report_export_png (report, f->options, path, 320, 240, &error));
          else if (i == 1)
            g_assert_true (cp_report_export_pdf (report, f->options, path, &error));
          else
            g_assert_true (cp_report_export_csv (report, path, &error));
          g_assert_no_error (error);
          umask (saved);
          g_assert_cmpuint (cp_test_file_mode (path), ==, 0600);
          g_assert_true (g_file_get_contents (path, &written, &length, NULL));
          g_assert_cmpuint (length, >, 3);
        }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/report-export/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("incremental-updates", test_incremental_updates);
  ADD ("png", test_png);
  ADD ("pdf", test_pdf);
  ADD ("csv-and-json", test_csv_and_json);
  ADD ("tooltips", test_tooltips);
  ADD ("private-files", test_private_files);
#undef ADD

  return g_test_run ();
}
