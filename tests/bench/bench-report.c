/* bench-report.c — the funnel and every report over the 1,000,000-lead
 * database that bench-store generates (about 5 stage events per lead)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bench-common.h"
#include "cp-lead-store.h"
#include "cp-playbook-store.h"
#include "cp-report-data.h"
#include "cp-report-service.h"

#define REPEATS 5

int
main (int   argc,
      char *argv[])
{
  guint n_leads = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  g_autofree char *shared = bench_shared_database (n_leads, NULL);
  g_autofree char *path = NULL;
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpPlaybook) playbook = NULL;
  g_autoptr(CpReportService) service = NULL;
  g_autoptr(CpReportOptions) options = cp_report_options_new ();
  g_autoptr(GError) error = NULL;
  double start;

  /* A change below writes: on a copy, so the shared database stays as
   * every other benchmark expects it. */
  path = g_strdup_printf ("%s/carepath-bench-report-%u.db", g_get_tmp_dir (), n_leads);
  {
    g_autoptr(GFile) from = g_file_new_for_path (shared);
    g_autoptr(GFile) to = g_file_new_for_path (path);

    g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
  }
  database = cp_database_open (path, &error);
  g_assert_no_error (error);
  playbook = cp_playbook_store_load_active (database, BENCH_NOW, NULL, &error);
  g_assert_no_error (error);
  cp_report_options_set_playbook (options, playbook);
  options->now = BENCH_NOW;
  service = cp_report_service_new (path);
  cp_report_service_set_playbook (service, playbook);

  /* The first request loads the snapshot. */
  start = bench_now_ms ();
  {
    g_autoptr(CpReport) report =
        cp_report_service_compute (service, CP_REPORT_FUNNEL, options, NULL, &error);
    g_assert_no_error (error);
    bench_report ("report snapshot: first load + funnel (cold)", (bench_now_ms () - start) / 1000.0,
                  "s", "once per session");
    bench_report ("  leads counted", report->n_leads, "leads", "");
  }
  bench_report ("process resident memory with snapshot", bench_rss_mib (), "MiB", "");

  for (guint kind = 0; kind < CP_REPORT_N_KINDS; kind++)
    for (guint variant = 0; variant < (kind == CP_REPORT_FUNNEL ? 3 : 1); variant++)
      {
        double timings[REPEATS];
        g_autofree char *name = NULL;

        options->mode = variant == 1 ? CP_FUNNEL_ANY : CP_FUNNEL_ORDERED;
        options->from = variant == 2 ? BENCH_NOW - 90 * 86400 : 0;
        options->to = variant == 2 ? BENCH_NOW : 0;
        options->compare = variant == 2;
        for (guint i = 0; i < REPEATS; i++)
          {
            g_autoptr(CpReport) report = NULL;

            start = bench_now_ms ();
            report = cp_report_service_compute (service, kind, options, NULL, &error);
            g_assert_no_error (error);
            timings[i] = bench_now_ms () - start;
          }
        name =
            g_strdup_printf ("report %s%s (warm, incl. update check)", cp_report_kind_to_id (kind),
                             variant == 1   ? " at any point"
                             : variant == 2 ? " 90 days + compare"
                                            : "");
        bench_report (name, bench_median (timings, REPEATS), "ms",
                      kind == CP_REPORT_FUNNEL ? "≤ 200 ms" : "");
      }
  options->from = options->to = 0;
  options->compare = FALSE;

  start = bench_now_ms ();
  {
    g_autoptr(CpReport) report =
        cp_report_service_compute (service, CP_REPORT_FUNNEL, options, NULL, &error);

    g_assert_no_error (error);
  }
  bench_report ("report funnel after no change", bench_now_ms () - start, "ms", "");

  {
    g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
    g_autoptr(GPtrArray) first = cp_lead_store_query (store, NULL, 0, 1, &error);
    g_autoptr(CpReport) report = NULL;
    CpLead *lead;

    /* A change elsewhere (another connection, as the CLI or a sync would
     * make): one lead's owner. The next report reads only what changed. */
    g_assert_no_error (error);
    g_assert_cmpuint (first->len, ==, 1);
    lead = first->pdata[0];
    cp_lead_set_text (lead, CP_LEAD_FIELD_OWNER,
                      g_strcmp0 (cp_lead_get_text (lead, CP_LEAD_FIELD_OWNER), "Bench Owner") == 0
                      ? "Bench Owner 2" : "Bench Owner");
    g_assert_true (
        cp_lead_store_update (store, lead, "bench", "bench: a change elsewhere", &error));
    g_assert_no_error (error);
    start = bench_now_ms ();
    report = cp_report_service_compute (service, CP_REPORT_FUNNEL, options, NULL, &error);
    g_assert_no_error (error);
    bench_report ("report funnel after one lead changed elsewhere", bench_now_ms () - start, "ms",
                  "");
  }
  g_clear_object (&service);
  g_clear_object (&database);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
  }

  return 0;
}
