/* bench-scoring.c — scoring throughput in memory, and a full rescore with write-back
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-scoring [N]   (default 1,000,000 leads; the generated database is
 * cached as $TMPDIR/carepath-bench-demo-N-vSCHEMA.db, shared with bench-lifecycle) */
#include "config.h"

#include <glib/gstdio.h>

#include "bench-common.h"
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

static void
bench_rescore (CpPlaybook *playbook,
               guint       n)
{
  g_autofree char *path = bench_shared_database (n, NULL);
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  CpRescoreStats stats = { 0, };
  double start, first, second;

  database = cp_database_open (path, &error);
  g_assert_no_error (error);

  /* First with another threshold, so that every run rewrites many rows. */
  playbook->scoring.sales_ready_threshold = 99;
  cp_rescore_run (database, playbook, 0, NOW, "bench", NULL, NULL, NULL, &stats, &error);
  g_assert_no_error (error);
  playbook->scoring.sales_ready_threshold = 60;

  start = bench_now_ms ();
  cp_rescore_run (database, playbook, 0, NOW, "bench", NULL, NULL, NULL, &stats, &error);
  g_assert_no_error (error);
  first = bench_now_ms () - start;
  g_printerr ("rescore: %u leads, %u changed, %u tier changes\n", stats.leads, stats.changed,
              stats.tier_changes);
  bench_report ("rescore with write-back", first, "ms", n == 1000000 ? "≤ 3000" : "");

  start = bench_now_ms ();
  cp_rescore_run (database, playbook, 0, NOW, "bench", NULL, NULL, NULL, &stats, &error);
  g_assert_no_error (error);
  second = bench_now_ms () - start;
  bench_report ("rescore, nothing changed", second, "ms", "");

  /* Preview of a draft: both playbooks, routing and stage checks per lead. */
  {
    g_autoptr(CpPlaybook) draft = cp_playbook_format_load_default ();
    g_autoptr(CpPlaybookImpact) impact = NULL;
    double took;

    draft->scoring.sales_ready_threshold = 50;
    start = bench_now_ms ();
    impact = cp_rescore_impact (database, playbook, draft, NOW, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    took = bench_now_ms () - start;
    g_printerr ("impact: %u leads, %u change tier\n", impact->leads,
                impact->counts[CP_IMPACT_TIER]);
    bench_report ("draft impact preview", took, "ms", "");
  }
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(CpPlaybook) rescore_playbook = cp_playbook_format_load_default ();

  bench_in_memory (playbook, n);
  bench_rescore (rescore_playbook, n);
  return 0;
}
