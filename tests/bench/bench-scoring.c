/* bench-scoring.c — scoring throughput in memory, and a full rescore with write-back
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-scoring [N] [all|memory|writeback|impact]   (default 1,000,000 leads,
 * all; the generated database is cached as $TMPDIR/carepath-bench-demo-N-vSCHEMA.db,
 * shared with bench-lifecycle, and only read: the write-back works on a copy,
 * $BENCH_SCORING_DB or $TMPDIR/carepath-bench-scoring-work-N-vSCHEMA.db) */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench-common.h"
#include "cp-database-private.h"
#include "cp-demo-writer.h"
#include "cp-playbook-format.h"
#include "cp-rescore.h"

#define NOW BENCH_NOW
#define DAY 86400

static const char * const service_lines[] = {
  "primary_care", "behavioral_health", "cardiology", "orthopedics", "dental", "senior_care",
  "physical_therapy", "dermatology", "womens_health", "pediatrics",
};
static const char * const locations[] = { "Riverside", "Oak Park", "Harbor Point", "Atlantis" };
static const char * const coverage[] = { "in_network", "out_of_network", "self_pay", "unknown",
                                         "not_covered" };
static const char * const urgency[] = { "low", "medium", "high", "urgent" };
static const char * const stages[] = { "new", "engaged", "qualified", "active_evaluation" };
static const char * const details[] = { "/pricing", "/services/cardiology", "Appointment request",
                                        NULL };

static void
bench_in_memory (CpPlaybook *playbook,
                 guint       n)
{
  g_autoptr(CpScorer) scorer = NULL;
  CpLeadRecord *records = g_new0 (CpLeadRecord, n);
  CpActivityRecord *activities = g_new0 (CpActivityRecord, (gsize) n * 4);
  GRand *rand = g_rand_new_with_seed (42);
  double start, elapsed;
  gint64 checksum = 0;

  /* Exactly 30 rules: the default's 28 and two more. */
  g_assert (playbook->scoring.rules->len == 28);
  for (guint i = 0; i < 2; i++)
    {
      CpScoreRule *rule = cp_score_rule_new (i == 0 ? "bench_calls" : "bench_opens");

      rule->category = CP_SCORE_INTENT;
      rule->points = 3;
      rule->decay = TRUE;
      rule->condition = cp_condition_new_activity (1u << (i == 0 ? CP_ACTIVITY_KIND_CALL
                                                                 : CP_ACTIVITY_KIND_EMAIL_OPEN),
                                                   1, 30, NULL);
      g_ptr_array_add (playbook->scoring.rules, rule);
    }
  scorer = cp_scorer_new (playbook);

  for (guint i = 0; i < n; i++)
    {
      records[i].text[CP_LEAD_FIELD_STAGE] = stages[g_rand_int_range (rand, 0, 4)];
      records[i].text[CP_LEAD_FIELD_SERVICE_LINE] = service_lines[g_rand_int_range (rand, 0, 10)];
      records[i].text[CP_LEAD_FIELD_LOCATION] = locations[g_rand_int_range (rand, 0, 4)];
      records[i].text[CP_LEAD_FIELD_COVERAGE_FIT] = coverage[g_rand_int_range (rand, 0, 5)];
      records[i].text[CP_LEAD_FIELD_URGENCY] = urgency[g_rand_int_range (rand, 0, 4)];
      records[i].text[CP_LEAD_FIELD_LEAD_TYPE] = "patient";
      records[i].number[CP_LEAD_FIELD_CREATED_AT] = NOW - 200 * DAY;
      records[i].number[CP_LEAD_FIELD_LAST_ACTIVITY_AT] =
          NOW - g_rand_int_range (rand, 0, 90) * DAY;
      for (guint a = 0; a < 4; a++)
        {
          CpActivityRecord *activity = &activities[(gsize) i * 4 + a];

          activity->kind = g_rand_int_range (rand, 0, CP_ACTIVITY_N_KINDS);
          activity->occurred_at = NOW - g_rand_int_range (rand, 0, 120) * DAY;
          activity->detail = details[g_rand_int_range (rand, 0, 4)];
        }
    }

  start = bench_now_ms ();
  for (guint i = 0; i < n; i++)
    {
      CpConditionInput input = { 0, };
      CpScoreResult result;

      input.lead = &records[i];
      input.activities = &activities[(gsize) i * 4];
      input.n_activities = 4;
      input.now = NOW;
      input.account_engaged_contacts = i % 3;
      cp_scorer_score (scorer, &input, &result);
      checksum += result.score;
    }
  elapsed = bench_now_ms () - start;
  g_printerr ("checksum %" G_GINT64_FORMAT "\n", checksum);
  bench_report ("score in memory (30 rules)", elapsed, "ms", "");
  bench_report ("score in memory, per second", n / (elapsed / 1000.0), "leads/s", "");

  g_rand_free (rand);
  g_free (activities);
  g_free (records);
}

/* Peak resident set size of this process so far, in MiB. */
static double
peak_rss_mib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmHWM:")) == NULL)
    return -1;
  return g_ascii_strtod (line + 6, NULL) / 1024.0;
}

/* CPU time of the whole process (every thread), in ms. */
static double
cpu_ms (void)
{
  return clock () * 1000.0 / CLOCKS_PER_SEC;
}

/* The database a benchmark that writes works on: $BENCH_SCORING_DB (a
 * copy the caller made), else a copy of the shared one made once.
 * Returns: (transfer full): its path */
static char *
work_database (guint n)
{
  g_autofree char *shared = NULL;
  g_autoptr(GFile) from = NULL;
  g_autoptr(GFile) to = NULL;
  g_autoptr(GError) error = NULL;
  char *path;

  if (g_getenv ("BENCH_SCORING_DB") != NULL)
    return g_strdup (g_getenv ("BENCH_SCORING_DB"));
  shared = bench_shared_database (n, NULL);
  path = bench_cache_path ("scoring-work", n);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return path;
  g_printerr ("copying %s to %s...\n", shared, path);
  from = g_file_new_for_path (shared);
  to = g_file_new_for_path (path);
  if (!g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  return path;
}

/* The anchor of the write-back: the tiers the run just changed set back
 * by one plain UPDATE (the same rows, their index entries, one commit),
 * the database as the run found it. The changes are read from
 * rescore_changes (schema 19: the runs audited since @audit_before) or,
 * in an older database, from the audit rows: the same source builds
 * both. Returns its time in ms. */
static double
revert_tiers_in_sql (CpDatabase *database,
                     gint64      audit_before)
{
  sqlite3 *handle = _cp_database_get_handle (database);
  gboolean runs = bench_count_of (database, "SELECT count(*) FROM sqlite_schema"
                                            " WHERE name = 'rescore_changes'") > 0;
  g_autofree char *sql = runs
    ? g_strdup_printf ("BEGIN IMMEDIATE;"
                       "UPDATE leads SET tier = c.old_tier FROM rescore_changes c"
                       " WHERE c.run_id IN (SELECT CAST (entity_id AS INTEGER) FROM audit_log"
                       " WHERE id > %" G_GINT64_FORMAT " AND entity = 'rescore_run')"
                       " AND leads.rowid = c.lead_rowid;"
                       "COMMIT;", audit_before)
    : g_strdup_printf ("BEGIN IMMEDIATE;"
                       "UPDATE leads SET tier = a.old_value FROM audit_log a"
                       " WHERE a.id > %" G_GINT64_FORMAT " AND a.entity = 'lead'"
                       " AND a.action = 'rescore' AND a.field = 'tier' AND leads.id = a.entity_id;"
                       "COMMIT;", audit_before);
  double start = bench_now_ms ();

  if (sqlite3_exec (handle, sql, NULL, NULL, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (handle));
  return bench_now_ms () - start;
}

#define WRITEBACK_ROUNDS 3

/* A rescore that changes many tiers (as publishing a new threshold does),
 * three times ($BENCH_ROUNDS: fewer), each time set back by SQL (the
 * anchor) in between. The peak memory is the process's after the first. */
static void
bench_writeback (CpPlaybook *playbook,
                 guint       n)
{
  g_autofree char *path = work_database (n);
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  CpRescoreStats stats = { 0, };
  double ours[WRITEBACK_ROUNDS], cpu[WRITEBACK_ROUNDS];
  double anchor[WRITEBACK_ROUNDS], anchor_cpu[WRITEBACK_ROUNDS];
  double start, cpu_start, unchanged, unchanged_cpu, peak = 0;
  double read_before, written_before, read_after = 0, written_after = 0;
  const char *rounds_env = g_getenv ("BENCH_ROUNDS");
  guint rounds = rounds_env != NULL ? (guint) atoi (rounds_env) : WRITEBACK_ROUNDS;

  rounds = CLAMP (rounds, 1, WRITEBACK_ROUNDS);
  database = cp_database_open (path, &error);
  g_assert_no_error (error);

  /* From a known state: the scores as the default playbook gives them. */
  cp_rescore_run (database, playbook, 0, NOW, "bench", NULL, NULL, NULL, &stats, &error);
  g_assert_no_error (error);

  for (guint round = 0; round < rounds; round++)
    {
      gint64 audit_before = bench_count_of (database, "SELECT max(id) FROM audit_log");

      playbook->scoring.sales_ready_threshold = 48;
      start = bench_now_ms ();
      cpu_start = cpu_ms ();
      bench_io_bytes (&read_before, &written_before);
      cp_rescore_run (database, playbook, 0, NOW, "bench", NULL, NULL, NULL, &stats, &error);
      g_assert_no_error (error);
      ours[round] = bench_now_ms () - start;
      cpu[round] = cpu_ms () - cpu_start;
      bench_io_bytes (&read_after, &written_after);
      g_printerr ("rescore: %u leads, %u changed, %u tier changes, %.0f ms, %.0f ms CPU\n",
                  stats.leads, stats.changed, stats.tier_changes, ours[round], cpu[round]);
      if (stats.tier_changes == 0)
        g_error ("the rescore changed no tier");
      if (round == 0)
        peak = peak_rss_mib ();
      cpu_start = cpu_ms ();
      anchor[round] = revert_tiers_in_sql (database, audit_before);
      anchor_cpu[round] = cpu_ms () - cpu_start;
      g_printerr ("anchor: the same %u tiers set back in SQL, %.0f ms\n", stats.tier_changes,
                  anchor[round]);
      /* The stored tiers are the default threshold's again. */
      playbook->scoring.sales_ready_threshold = 60;
    }

  start = bench_now_ms ();
  cpu_start = cpu_ms ();
  cp_rescore_run (database, playbook, 0, NOW, "bench", NULL, NULL, NULL, &stats, &error);
  g_assert_no_error (error);
  unchanged = bench_now_ms () - start;
  unchanged_cpu = cpu_ms () - cpu_start;
  if (stats.changed != 0)
    g_error ("a second rescore with the same playbook changed %u leads", stats.changed);

  {
    double ours_median = bench_median (ours, rounds);
    double anchor_median = bench_median (anchor, rounds);
    g_autofree char *ratio = g_strdup_printf ("≤ 3000; writing: %.1f× the same rows' UPDATE in SQL",
                                              (ours_median - unchanged) / anchor_median);

    bench_report ("rescore with write-back (median)", ours_median, "ms",
                  n == 1000000 ? ratio : "");
    bench_report ("rescore with write-back, CPU time", bench_median (cpu, rounds), "ms", "");
    bench_report ("anchor: UPDATE of the same rows in SQL (median)", anchor_median, "ms", "");
    bench_report ("anchor: UPDATE of the same rows in SQL, CPU time",
                  bench_median (anchor_cpu, rounds), "ms", "");
    bench_report ("rescore, nothing changed", unchanged, "ms", n == 1000000 ? "≤ 3000" : "");
    bench_report ("rescore, nothing changed, CPU time", unchanged_cpu, "ms", "");
    bench_report ("rescore, peak resident memory", peak, "MiB", "≤ 300");
    bench_report ("rescore with write-back, bytes written (database and its log)",
                  (written_after - written_before) / (1024.0 * 1024.0), "MiB", "");
    bench_report ("rescore with write-back, bytes read",
                  (read_after - read_before) / (1024.0 * 1024.0), "MiB", "");
  }
}

/* Preview of a draft: both playbooks, routing and stage checks per lead;
 * its anchor is one pass that reads and scores every lead. */
static void
bench_impact (CpPlaybook *playbook,
              guint       n)
{
  g_autofree char *path = bench_shared_database (n, NULL);
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpPlaybook) draft = cp_playbook_format_load_default ();
  g_autoptr(CpPlaybookImpact) impact = NULL;
  g_autoptr(GError) error = NULL;
  double start, cpu_start, took, cpu, peak, anchor;
  guint changes = 0, leads = 0;
  g_autofree char *ratio = NULL;

  /* Reads only: the shared database itself, read-only. */
  database = cp_database_open_readonly (path, &error);
  g_assert_no_error (error);
  draft->scoring.sales_ready_threshold = 50;
  start = bench_now_ms ();
  cpu_start = cpu_ms ();
  impact = cp_rescore_impact (database, playbook, draft, NOW, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  took = bench_now_ms () - start;
  cpu = cpu_ms () - cpu_start;
  peak = peak_rss_mib ();
  g_printerr ("impact: %u leads, %u change tier\n", impact->leads, impact->counts[CP_IMPACT_TIER]);

  start = bench_now_ms ();
  if (!cp_rescore_dry_run (database, draft, NOW, &changes, &leads, &error))
    g_error ("%s", error->message);
  anchor = bench_now_ms () - start;
  ratio = g_strdup_printf ("%.1f× one pass reading and scoring every lead", took / anchor);
  bench_report ("draft impact preview", took, "ms", ratio);
  bench_report ("draft impact preview, CPU time", cpu, "ms", "");
  bench_report ("anchor: one pass reading and scoring every lead", anchor, "ms", "");
  bench_report ("draft impact preview, peak resident memory", peak, "MiB", "≤ 300");
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  const char *mode = argc > 2 ? argv[2] : "all";
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(CpPlaybook) rescore_playbook = cp_playbook_format_load_default ();

  /* Each part can run alone, so that a process's peak memory is its own. */
  if (g_str_equal (mode, "all") || g_str_equal (mode, "memory"))
    bench_in_memory (playbook, n);
  if (g_str_equal (mode, "all") || g_str_equal (mode, "writeback"))
    bench_writeback (rescore_playbook, n);
  if (g_str_equal (mode, "all") || g_str_equal (mode, "impact"))
    bench_impact (rescore_playbook, n);
  return 0;
}
