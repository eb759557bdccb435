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
  }
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

  return 0;
}
