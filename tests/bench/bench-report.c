/* bench-report.c — the funnel and every report over the 1,000,000-lead
 * database that bench-store generates (about 5 stage events per lead):
 * the first load with nothing saved, and from the snapshot saved beside
 * the database (a new service, and carepath-cli from process start)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sys/resource.h>

#include "bench-common.h"
#include "cp-lead-store.h"
#include "cp-playbook-store.h"
#include "cp-report-data.h"
#include "cp-report-service.h"

#define REPEATS 5
#define CLI_REPEATS 3

/* `carepath-cli --db PATH report funnel` from process start to exit: the
 * wall time, and its CPU time in @out_cpu_ms. */
static double
run_cli_funnel (const char *path,
                double     *out_cpu_ms)
{
  const char *argv[] = { CARE_PATH_CLI, "--db", path, "report", "funnel", NULL };
  g_autoptr(GError) error = NULL;
  double cpu = bench_cpu_ms (RUSAGE_CHILDREN);
  double start = bench_now_ms ();
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                     NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("carepath-cli report funnel: %s", error->message);
  *out_cpu_ms = bench_cpu_ms (RUSAGE_CHILDREN) - cpu;

  return bench_now_ms () - start;
}

/* The snapshot saved beside the database, then loaded by a new service,
 * as the next process (the app or the CLI) does; @cold_s: the first load
 * with nothing saved, the anchor. */
static void
bench_saved_snapshot (CpReportService       *service,
                      const char            *path,
                      const char            *snapshot,
                      CpPlaybook            *playbook,
                      const CpReportOptions *options,
                      double                 cold_s)
{
  g_autoptr(GError) error = NULL;
  double start;

  start = bench_now_ms ();
  g_assert_true (cp_report_service_save_snapshot (service, &error));
  g_assert_no_error (error);
  bench_report ("report snapshot: save beside the database", bench_now_ms () - start, "ms", "");
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (snapshot, &st), ==, 0);
    bench_report ("  saved snapshot size", st.st_size / 1048576.0, "MiB", "");
  }
  {
    g_autoptr(CpReportService) next = cp_report_service_new (path);
    g_autoptr(CpReport) report = NULL;
    double after, cpu;

    cp_report_service_set_playbook (next, playbook);
    cpu = bench_cpu_ms (RUSAGE_SELF);
    start = bench_now_ms ();
    report = cp_report_service_compute (next, CP_REPORT_FUNNEL, options, NULL, &error);
    g_assert_no_error (error);
    after = bench_now_ms () - start;
    cpu = bench_cpu_ms (RUSAGE_SELF) - cpu;
    bench_report ("report snapshot: first load + funnel from the saved snapshot (after)", after,
                  "ms", "≤ 1000 ms");
    bench_report ("  its CPU time (user + system)", cpu, "ms", "");
    bench_report ("  first load: nothing saved / saved snapshot", cold_s * 1000.0 / after, "x", "");
  }
}

/* carepath-cli from process start. The snapshot on disk was saved before
 * the change main() made: every run catches up that one change from the
 * saved file (changed where it is mapped; a few changes are not worth
 * rewriting the file for). Its anchors: the warm funnel of this process
 * (the computation alone), and the CLI with no usable snapshot. */
static void
bench_cli (const char *path,
           const char *snapshot,
           double      warm_funnel_ms)
{
  double wall[CLI_REPEATS], cpu[CLI_REPEATS];
  double cpu_once, once, median;

  once = run_cli_funnel (path, &cpu_once);
  bench_report ("carepath-cli report funnel, one change since the save (caught up in place)",
                once, "ms", "");
  bench_report ("  its CPU time (user + system)", cpu_once, "ms", "");
  for (guint i = 0; i < CLI_REPEATS; i++)
    wall[i] = run_cli_funnel (path, &cpu[i]);
  median = bench_median (wall, CLI_REPEATS);
  bench_report ("carepath-cli report funnel from process start, saved snapshot (after)", median,
                "ms", "≤ 300 ms");
  bench_report ("  its CPU time (user + system)", bench_median (cpu, CLI_REPEATS), "ms", "");
  bench_report ("  CLI from process start / warm in-process funnel", median / warm_funnel_ms, "x",
                "");
  g_unlink (snapshot);
  once = run_cli_funnel (path, &cpu_once);
  bench_report ("carepath-cli report funnel, no saved snapshot (before; reads all, saves)", once,
                "ms", "");
  bench_report ("  its CPU time (user + system)", cpu_once, "ms", "");
  bench_report ("  CLI: no saved snapshot / saved snapshot", once / median, "x", "");
}

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
  g_autofree char *snapshot = NULL;
  double start, cold_s = 0, warm_funnel_ms = 0;

  /* A change below writes: on a copy, so the shared database stays as
   * every other benchmark expects it. */
  path = g_strdup_printf ("%s/carepath-bench-report-%u.db", g_get_tmp_dir (), n_leads);
  {
    g_autoptr(GFile) from = g_file_new_for_path (shared);
    g_autoptr(GFile) to = g_file_new_for_path (path);

    g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
  }
  /* Nothing saved yet: the first load reads every lead. */
  snapshot = g_strconcat (path, ".reports", NULL);
  g_unlink (snapshot);
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
    cold_s = (bench_now_ms () - start) / 1000.0;
    bench_report ("report snapshot: first load + funnel, nothing saved (before)", cold_s, "s", "");
    bench_report ("  leads counted", report->n_leads, "leads", "");
  }
  bench_report ("process resident memory with snapshot", bench_rss_mib (), "MiB", "");

  bench_saved_snapshot (service, path, snapshot, playbook, options, cold_s);

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
        if (kind == CP_REPORT_FUNNEL && variant == 0)
          warm_funnel_ms = bench_median (timings, REPEATS);
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

  bench_cli (path, snapshot, warm_funnel_ms);
  g_clear_object (&service);
  g_clear_object (&database);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_unlink (snapshot);
  }

  return 0;
}
