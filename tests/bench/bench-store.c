/* bench-store.c — the local store on a large generated database
 *
 * Usage: bench-store [N_LEADS] [DB_PATH]
 * Generates N_LEADS (default 1,000,000) demo leads into DB_PATH (default
 * a cached file in the temp dir, reused when it already holds N_LEADS),
 * then measures the queries the views make.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "bench-common.h"
#include "cp-database.h"
#include "cp-database-private.h"
#include "cp-demo-writer.h"
#include "cp-lead-list-model.h"
#include "cp-lead-store.h"

#define REPEATS 25

static void
time_query (CpLeadStore *store,
            const char  *name,
            const char  *target,
            CpLeadQuery *query,
            guint        limit)
{
  double timings[REPEATS];

  for (guint i = 0; i < REPEATS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) leads = NULL;
      double start = bench_now_ms ();

      leads = cp_lead_store_query (store, query, 0, limit, &error);
      g_assert_no_error (error);
      timings[i] = bench_now_ms () - start;
    }
  bench_report (name, bench_median (timings, REPEATS), "ms", target);
}

static void
time_count (CpLeadStore *store,
            const char  *name,
            CpLeadQuery *query)
{
  double timings[REPEATS];

  for (guint i = 0; i < REPEATS; i++)
    {
      g_autoptr(GError) error = NULL;
      guint count = 0;
      double start = bench_now_ms ();

      g_assert_true (cp_lead_store_count (store, query, &count, &error));
      timings[i] = bench_now_ms () - start;
    }
  bench_report (name, bench_median (timings, REPEATS), "ms", "");
}

/* A lead's activities, as its window lists them: leads spread over the
 * file, each read once. */
static void
time_activities (CpLeadStore *store,
                 CpDatabase  *database)
{
  gint64 max_rowid = bench_count_of (database, "SELECT max (rowid) FROM leads");
  double timings[REPEATS];

  for (guint i = 0; i < REPEATS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) activities = NULL;
      g_autofree char *sql =
          g_strdup_printf ("SELECT id FROM leads WHERE rowid >= %" G_GINT64_FORMAT " LIMIT 1",
                           1 + max_rowid * i / REPEATS);
      sqlite3_stmt *stmt = NULL;
      g_autofree char *id = NULL;
      double start;

      sqlite3_prepare_v2 (_cp_database_get_handle (database), sql, -1, &stmt, NULL);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_finalize (stmt);
      g_assert_nonnull (id);
      start = bench_now_ms ();
      activities = cp_lead_store_list_activities (store, id, &error);
      g_assert_no_error (error);
      timings[i] = bench_now_ms () - start;
    }
  bench_report ("a lead's activities (25 leads across the file)", bench_median (timings, REPEATS),
                "ms", "");
}

/* Bytes per lead of the pages in use (dbstat), the history's tables with
 * their indexes; the anchor is the lead rows alone, a plain table with
 * every column. */
static void
report_bytes_per_lead (CpDatabase *database,
                       guint       n_leads)
{
  static const char * const history[] = { "activities", "stage_events", "audit_log" };
  sqlite3 *handle = _cp_database_get_handle (database);
  sqlite3_stmt *stmt = NULL;
  double rows, total = 0;

  if (n_leads == 0 ||
      sqlite3_prepare_v2 (handle,
                          "SELECT coalesce (s.tbl_name, d.name), sum (d.pgsize)"
                          " FROM dbstat ('main', 1) d LEFT JOIN sqlite_schema s ON s.name = d.name"
                          " GROUP BY 1", -1, &stmt, NULL) != SQLITE_OK)
    return;   /* a SQLite built without dbstat */
  rows = bench_count_of (database, "SELECT sum (pgsize) FROM dbstat ('main', 1)"
                                   " WHERE name = 'leads'");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (stmt, 0);
      double bytes = sqlite3_column_double (stmt, 1);

      total += bytes;
      for (guint i = 0; i < G_N_ELEMENTS (history); i++)
        if (g_strcmp0 (table, history[i]) == 0)
          {
            g_autofree char *label = g_strdup_printf ("bytes per lead: %s and its indexes", table);

            bench_report (label, bytes / n_leads, "B", "");
          }
    }
  sqlite3_finalize (stmt);
  {
    g_autofree char *ratio = g_strdup_printf ("%.1f× the lead rows alone (%.0f B)",
                                              total / rows, rows / n_leads);

    bench_report ("bytes per lead: the whole database (pages in use)", total / n_leads, "B",
                  ratio);
  }
}

int
main (int   argc,
      char *argv[])
{
  guint n_leads = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  double generated_s = 0;
  g_autofree char *path = argc > 2 ? g_strdup (argv[2])
    : bench_shared_database (n_leads, &generated_s);
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;
  double start;

  if (generated_s > 0)
    {
      g_autofree char *label = g_strdup_printf ("generate %u demo leads (with history)", n_leads);

      bench_report (label, generated_s, "s", "≤ 60 s (#21)");
      bench_report ("  = leads per second", n_leads / generated_s, "leads/s", "");
    }
  database = cp_database_open (path, &error);
  g_assert_no_error (error);
  store = cp_lead_store_new (database);
  g_assert_true (cp_lead_store_count (store, NULL, &count, &error));
  if (count < n_leads)
    g_printerr ("bench-store: %s holds %u leads, not %u\n", path, count, n_leads);

  {
    g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
    query->search = g_strdup ("mar");
    time_query (store, "FTS prefix search “mar”, first 50", "≤ 20 ms", query, 50);
    g_free (query->search);
    query->search = g_strdup ("gonz riv");
    time_query (store, "FTS two-word prefix search, first 50", "≤ 20 ms", query, 50);
  }
  {
    g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
    query->stage = g_strdup ("qualified");
    query->sort_field = CP_LEAD_FIELD_SCORE;
    query->sort_descending = TRUE;
    time_query (store, "first page: stage, by score (100)", "", query, 100);
    query->service_line = g_strdup ("cardiology");
    query->sort_field = CP_LEAD_FIELD_CREATED_AT;
    time_query (store, "first page: stage + service line (100)", "", query, 100);
    /* The tier is read from the rows (schema 17): the rarest tier is the
     * most rows read for a page. */
    g_clear_pointer (&query->service_line, g_free);
    query->tier = g_strdup ("sales_ready");
    time_query (store, "first page: stage + tier sales_ready (100)", "", query, 100);
    time_count (store, "count: stage + tier sales_ready", query);
  }
  time_activities (store, database);
  {
    double timings[REPEATS];

    for (guint i = 0; i < REPEATS; i++)
      {
        g_autoptr(GPtrArray) summaries = NULL;
        start = bench_now_ms ();
        summaries = cp_lead_store_stage_summaries (store, NULL, &error);
        g_assert_no_error (error);
        timings[i] = bench_now_ms () - start;
      }
    bench_report ("counts, score sums, SLA breaches per stage", bench_median (timings, REPEATS),
                  "ms", "");
  }
  {
    double rss_before = bench_rss_mib ();
    g_autoptr(CpLeadListModel) model = NULL;
    guint n;

    start = bench_now_ms ();
    model = cp_lead_list_model_new_full (store, NULL, FALSE);
    n = g_list_model_get_n_items (G_LIST_MODEL (model));
    for (guint i = 0; i < 200; i++)
      g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), i));
    bench_report ("list model: count + first 200 rows", bench_now_ms () - start, "ms", "");
    /* Scroll to the far end, as a user dragging the scroll bar would. */
    start = bench_now_ms ();
    for (guint i = n - 200; i < n; i++)
      g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), i));
    bench_report ("list model: last 200 rows", bench_now_ms () - start, "ms", "");
    bench_report ("list model: lead objects held", cp_lead_list_model_get_n_loaded (model),
                  "objects", "not 1,000,000");
    bench_report ("list model: resident memory added", bench_rss_mib () - rss_before, "MiB", "");
  }
  bench_report ("process resident memory", bench_rss_mib (), "MiB", "≤ 250 MB");
  report_bytes_per_lead (database, count);

  return 0;
}
