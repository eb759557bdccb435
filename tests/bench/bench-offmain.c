/* bench-offmain.c — the Leads table deep into a million rows, and the streamed export
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-offmain [N_LEADS] (1000000 by default)
 *
 * (1) The list model: the first page, then a jump to row 900,000 (of a
 *     million; 90 % down otherwise) and the page after it, against a plain
 *     `SELECT … LIMIT 100 OFFSET 900000` through SQLite in the same run.
 * (2) The export on its worker: time to the first progress report, total
 *     time and peak memory, against `sqlite3 -csv` of the same columns. */
#include "config.h"

#include <sqlite3.h>

#include "bench-common.h"
#include "cp-lead-columns.h"
#include "cp-lead-export.h"
#include "cp-lead-list-model.h"
#include "cp-lead-store-query-private.h"
#include "cp-lead-store.h"

/* Whether the model's count is still on its worker. */
static gboolean
model_is_counting (CpLeadListModel *model)
{
  gboolean counting = FALSE;

  g_object_get (model, "counting", &counting, NULL);
  return counting;
}

/* Peak resident set size of this process, in MiB. */
static double
peak_rss_mib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtod (line + 6, NULL) / 1024.0 : -1;
}

/* The shared demo database at the current schema (a cache made by an
 * older schema is migrated on a copy: bench-common.h). */
static char *
offmain_database (guint n_leads)
{
  return bench_shared_database (n_leads, NULL);
}

static double
time_get_item (CpLeadListModel *model,
               guint            position)
{
  double start = bench_now_ms ();
  g_autoptr(CpLead) lead = g_list_model_get_item (G_LIST_MODEL (model), position);

  g_assert_nonnull (lead);
  return bench_now_ms () - start;
}

/* The anchor: the page at @offset as OFFSET reads it. */
static double
time_offset_page (const char *path,
                  guint       offset)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  double start;
  guint rows = 0;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  start = bench_now_ms ();
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT " CP_LEAD_SELECT_COLUMNS " FROM leads"
                                       " WHERE deleted_at = 0 ORDER BY created_at DESC, rowid DESC"
                                       " LIMIT 100 OFFSET ?", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, offset);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    rows++;
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpuint (rows, ==, 100);
  return bench_now_ms () - start;
}

static void
counting_cb (CpLeadListModel *model,
             GParamSpec      *pspec,
             double          *out_ms)
{
  if (!model_is_counting (model))
    *out_ms = bench_now_ms ();
}

static void
bench_model (CpLeadStore *store,
             const char  *path,
             guint        n_leads)
{
  guint target = n_leads >= 1000000 ? 900000 : n_leads / 10 * 9;
  double first[3], jump[3], next[3], anchor[3];
  double start, counted = 0;

  for (guint run = 0; run < 3; run++)
    {
      g_autoptr(CpLeadListModel) model = NULL;

      start = bench_now_ms ();
      model = cp_lead_list_model_new_full (store, NULL, FALSE);
      time_get_item (model, 0);
      first[run] = bench_now_ms () - start;
      jump[run] = time_get_item (model, target);
      next[run] = time_get_item (model, target + 100);
      anchor[run] = time_offset_page (path, target);
    }
  bench_report ("model first page", bench_median (first, 3), "ms", "");
  bench_report ("model jump to row 900000", bench_median (jump, 3), "ms", "");
  bench_report ("model next page after the jump", bench_median (next, 3), "ms", "");
  bench_report ("anchor: sqlite3 LIMIT 100 OFFSET 900000", bench_median (anchor, 3), "ms", "");
  bench_report ("ratio anchor / jump", bench_median (anchor, 3) / bench_median (jump, 3), "x", "");
  bench_report ("ratio anchor / next page", bench_median (anchor, 3) / bench_median (next, 3), "x",
                "");

  /* The Leads table filtered by a stage and a service line, newest first
   * (#21: was 295 ms on a million, every lead of the service line read and
   * sorted). The anchor reads the same page with sqlite3 directly. */
  {
    double page[3], direct[3];

    for (guint run = 0; run < 3; run++)
      {
        g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
        g_autoptr(CpLeadListModel) model = NULL;
        g_autoptr(GObject) item = NULL;
        sqlite3 *db = NULL;
        sqlite3_stmt *stmt = NULL;
        guint rows = 0;

        query->stage = g_strdup ("adoption");
        query->service_line = g_strdup ("dermatology");
        start = bench_now_ms ();
        model = cp_lead_list_model_new_full (store, query, TRUE);
        item = g_list_model_get_item (G_LIST_MODEL (model), 0);
        page[run] = bench_now_ms () - start;
        g_assert_nonnull (item);

        /* The same statement the model runs, on a connection of its own: run
         * once to warm its page cache (as the store's is), then timed. */
        {
          g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
          g_autoptr(GArray) ints = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_autoptr(GString) kinds = g_string_new (NULL);
          g_autofree char *sql = _cp_lead_store_page_sql (store, query, CP_LEAD_SELECT_COLUMNS,
                                                          NULL, texts, ints, kinds);

          g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
          for (guint pass = 0; pass < 2; pass++)
            {
              rows = 0;
              start = bench_now_ms ();
              g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
              _cp_lead_store_bind_where (stmt, texts, ints, kinds);
              sqlite3_bind_int64 (stmt, kinds->len + 1, 100);
              sqlite3_bind_int64 (stmt, kinds->len + 2, 0);
              while (sqlite3_step (stmt) == SQLITE_ROW)
                rows++;
              sqlite3_finalize (stmt);
              direct[run] = bench_now_ms () - start;
            }
          sqlite3_close (db);
        }
        g_assert_cmpuint (rows, ==, 100);
        while (model_is_counting (model))
          g_main_context_iteration (NULL, TRUE);
      }
    bench_report ("model first page, stage + service line", bench_median (page, 3), "ms",
                  "≤ 20 ms");
    bench_report ("anchor: the same statement, run directly", bench_median (direct, 3), "ms", "");
    bench_report ("ratio model / anchor", bench_median (page, 3) / bench_median (direct, 3), "x",
                  "");
  }

  /* A filtered view: its count on a worker, the first page at once. */
  {
    g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
    g_autoptr(CpLeadListModel) model = NULL;
    double shown;

    query->search = g_strdup ("a");
    start = bench_now_ms ();
    model = cp_lead_list_model_new_full (store, query, TRUE);
    g_signal_connect (model, "notify::counting", G_CALLBACK (counting_cb), &counted);
    g_assert_nonnull (g_list_model_get_item (G_LIST_MODEL (model), 0));
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), 0));
    shown = bench_now_ms () - start;
    while (model_is_counting (model))
      g_main_context_iteration (NULL, TRUE);
    bench_report ("search 'a': first page shown", shown, "ms", "");
    bench_report ("search 'a': count arrived", counted - start, "ms", "");
  }
}

typedef struct
{
  double   start;
  double   first_progress;
  gboolean done;
  guint    count;
  GError  *error;
} ExportRun;

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  ExportRun *run = user_data;

  if (run->first_progress == 0)
    run->first_progress = bench_now_ms ();
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ExportRun *run = user_data;

  cp_lead_export_finish (CP_LEAD_STORE (source), result, &run->count, &run->error);
  run->done = TRUE;
}

static void
bench_export (CpLeadStore *store,
              const char  *path,
              guint        n_leads)
{
  g_autofree char *out_path = g_build_filename (g_get_tmp_dir (), "bench-offmain-export.csv", NULL);
  g_autofree char *anchor_path =
      g_build_filename (g_get_tmp_dir (), "bench-offmain-anchor.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (out_path);
  ExportRun run = { bench_now_ms (), 0, FALSE, 0, NULL };
  double rss_before = bench_rss_mib ();
  double total;

  cp_lead_export_async (store, NULL, NULL, file, NULL, progress_cb, &run, export_done_cb, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  total = bench_now_ms () - run.start;
  if (run.error != NULL)
    g_error ("%s", run.error->message);
  g_unlink (out_path);

  bench_report ("export: first progress", run.first_progress - run.start, "ms", "");
  bench_report ("export: total", total / 1000.0, "s", "");
  bench_report ("export: leads", run.count, "leads", "");
  bench_report ("export: leads per second", run.count / (total / 1000.0), "leads/s", "");
  bench_report ("export: RSS before", rss_before, "MiB", "");
  bench_report ("export: peak RSS of the process", peak_rss_mib (), "MiB", "");

  /* The anchor: sqlite3's own CSV of the same columns and rows, its peak
   * memory as /usr/bin/time reads it (a forked child's own figure would
   * count this process's pages). */
  {
    g_autofree char *rss_path =
        g_build_filename (g_get_tmp_dir (), "bench-offmain-anchor.rss", NULL);
    g_autofree char *command =
        g_strdup_printf ("/usr/bin/time -f %%M -o '%s' sqlite3 -readonly -csv"
                         " '%s' \"SELECT " CP_LEAD_COLUMNS " FROM leads"
                         " WHERE deleted_at = 0"
                         " ORDER BY created_at DESC, rowid DESC\" > '%s'",
                         rss_path, path, anchor_path);
    g_autofree char *rss = NULL;
    double start = bench_now_ms ();
    int status = system (command);

    g_assert_cmpint (status, ==, 0);
    bench_report ("anchor: sqlite3 -csv total", (bench_now_ms () - start) / 1000.0, "s", "");
    if (g_file_get_contents (rss_path, &rss, NULL, NULL))
      bench_report ("anchor: sqlite3 -csv peak RSS", g_ascii_strtod (rss, NULL) / 1024.0, "MiB",
                    "");
    g_unlink (rss_path);
    g_unlink (anchor_path);
  }
  (void) n_leads;
}

int
main (int   argc,
      char *argv[])
{
  guint n_leads = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  g_autofree char *path = offmain_database (n_leads);
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(GError) error = NULL;

  database = cp_database_open_readonly (path, &error);
  if (database == NULL)
    g_error ("%s", error->message);
  store = cp_lead_store_new (database);

  bench_model (store, path, n_leads);
  bench_export (store, path, n_leads);
  return 0;
}
