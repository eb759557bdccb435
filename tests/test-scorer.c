/* test-scorer.c — scoring: decay, caps, negatives, thresholds, stage overrides, account boost
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cp-lifecycle.h"
#include "cp-playbook-format.h"
#include "cp-scorer.h"

#define DAY 86400
#define NOW G_GINT64_CONSTANT (1780000000)

static const char playbook_json[] =
  "{\"format\":1,"
  " \"stages\":[{\"id\":\"new\"},{\"id\":\"onboarding\"}],"
  " \"scoring\":{\"half_life_days\":10,"
  "   \"caps\":{\"fit\":20,\"intent\":30,\"readiness\":10},"
  "   \"thresholds\":{\"nurture\":20,\"sales_ready\":40},"
  "   \"account_boost\":{\"min_contacts\":2,\"points_per_contact\":3,\"max_points\":7},"
  "   \"rules\":["
  "    {\"id\":\"cardio\",\"category\":\"fit\",\"points\":15,"
  "     \"condition\":{\"field\":\"service_line\",\"op\":\"eq\",\"value\":\"cardiology\"}},"
  "    {\"id\":\"area\",\"category\":\"fit\",\"points\":10,"
  "     \"condition\":{\"field\":\"location\",\"op\":\"eq\",\"value\":\"Riverside\"}},"
  "    {\"id\":\"webinar\",\"category\":\"intent\",\"points\":20,\"decay\":true,"
  "     \"condition\":{\"activity\":\"webinar_attended\"}},"
  "    {\"id\":\"bounce\",\"category\":\"intent\",\"points\":-30,"
  "     \"condition\":{\"activity\":\"email_bounce\"}},"
  "    {\"id\":\"urgent\",\"category\":\"readiness\",\"points\":8,"
  "     \"condition\":{\"field\":\"urgency\",\"op\":\"eq\",\"value\":\"urgent\"},"
  "     \"stage_points\":{\"onboarding\":0}}"
  "  ]},"
  " \"routing\":{\"queues\":[{\"id\":\"q\"}],\"fallback_queue\":\"q\"}}";

typedef struct
{
  CpPlaybook       *playbook;
  CpScorer         *scorer;
  CpLead           *lead;
  GArray           *activities;
  CpLeadRecord      record;
  CpConditionInput  input;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->playbook = cp_playbook_format_parse (playbook_json, -1, &error);
  g_assert_no_error (error);
  f->scorer = cp_scorer_new (f->playbook);
  f->lead = cp_lead_new ();
  cp_lead_set_text (f->lead, CP_LEAD_FIELD_STAGE, "new");
  f->activities = g_array_new (FALSE, TRUE, sizeof (CpActivityRecord));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_array_unref (f->activities);
  g_object_unref (f->lead);
  cp_scorer_free (f->scorer);
  cp_playbook_unref (f->playbook);
}

static void
add_activity (Fixture        *f,
              CpActivityKind  kind,
              gint64          days_ago)
{
  CpActivityRecord record = { kind, NOW - days_ago * DAY, NULL };

  g_array_append_val (f->activities, record);
}

static CpScoreExplanation *
explain (Fixture *f)
{
  CpScoreExplanation *explanation;
  CpScoreResult fast;

  cp_lead_record_init (&f->record, f->lead);
  f->input.lead = &f->record;
  f->input.activities = (CpActivityRecord *) f->activities->data;
  f->input.n_activities = f->activities->len;
  f->input.now = NOW;
  explanation = cp_scorer_explain (f->scorer, &f->input);
  /* The hot path and the explanation always agree. */
  cp_scorer_score (f->scorer, &f->input, &fast);
  g_assert_cmpint (fast.score, ==, explanation->result.score);
  g_assert_cmpstr (fast.tier, ==, explanation->result.tier);
  return explanation;
}

static void
test_empty (Fixture *f, gconstpointer data)
{
  g_autoptr(CpScoreExplanation) e = explain (f);

  g_assert_cmpint (e->result.score, ==, 0);
  g_assert_cmpstr (e->result.tier, ==, "unqualified");
  g_assert_cmpuint (e->contributions->len, ==, 0);
  g_assert_cmpuint (e->not_fired->len, ==, 5);
}

static void
test_caps (Fixture *f, gconstpointer data)
{
  g_autoptr(CpScoreExplanation) e = NULL;
  const CpScoreContribution *cap;

  cp_lead_set_text (f->lead, CP_LEAD_FIELD_SERVICE_LINE, "cardiology");
  cp_lead_set_text (f->lead, CP_LEAD_FIELD_LOCATION, "Riverside");
  e = explain (f);
  g_assert_cmpfloat (e->raw[CP_SCORE_FIT], ==, 25);
  g_assert_cmpint (e->result.category[CP_SCORE_FIT], ==, 20);
  g_assert_cmpint (e->result.score, ==, 20);
  g_assert_cmpstr (e->result.tier, ==, "nurture");
  cap = g_ptr_array_index (e->contributions, 2);
  g_assert_cmpint (cap->kind, ==, CP_CONTRIBUTION_CAP);
  g_assert_cmpfloat (cap->effective, ==, -5);
}

static void
test_decay (Fixture *f, gconstpointer data)
{
  static const struct { gint64 days_ago; int points; double factor; } cases[] = {
    { 0, 20, 1.0 }, { 10, 10, 0.5 }, { 20, 5, 0.25 }, { 5, 14, 0.70710678 },
    { 100, 0, 0.0009765625 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CpScoreExplanation) e = NULL;
      const CpScoreContribution *c;

      g_array_set_size (f->activities, 0);
      add_activity (f, CP_ACTIVITY_KIND_WEBINAR_ATTENDED, cases[i].days_ago + 50);
      add_activity (f, CP_ACTIVITY_KIND_WEBINAR_ATTENDED, cases[i].days_ago);
      e = explain (f);
      g_assert_cmpint (e->result.category[CP_SCORE_INTENT], ==, cases[i].points);
      c = g_ptr_array_index (e->contributions, 0);
      g_assert_cmpstr (c->rule_id, ==, "webinar");
      g_assert_cmpfloat_with_epsilon (c->decay_factor, cases[i].factor, 1e-6);
      g_assert_cmpfloat_with_epsilon (c->age_days, (double) cases[i].days_ago, 1e-9);
    }
}

static void
test_negative_and_clamp (Fixture *f, gconstpointer data)
{
  g_autoptr(CpScoreExplanation) e = NULL;

  cp_lead_set_text (f->lead, CP_LEAD_FIELD_LOCATION, "Riverside");
  add_activity (f, CP_ACTIVITY_KIND_EMAIL_BOUNCE, 3);
  e = explain (f);
  g_assert_cmpint (e->result.category[CP_SCORE_FIT], ==, 10);
  g_assert_cmpint (e->result.category[CP_SCORE_INTENT], ==, -30);
  g_assert_cmpint (e->result.score, ==, 0);
  g_assert_cmpint (((CpScoreContribution *) g_ptr_array_index (e->contributions, 2))->kind, ==,
                   CP_CONTRIBUTION_CLAMP);
}

static void
test_thresholds (Fixture *f, gconstpointer data)
{
  g_autoptr(CpScoreExplanation) e = NULL;

  cp_lead_set_text (f->lead, CP_LEAD_FIELD_SERVICE_LINE, "cardiology");
  cp_lead_set_text (f->lead, CP_LEAD_FIELD_LOCATION, "Riverside");
  add_activity (f, CP_ACTIVITY_KIND_WEBINAR_ATTENDED, 0);
  e = explain (f);
  g_assert_cmpint (e->result.score, ==, 40);
  g_assert_cmpstr (e->result.tier, ==, "sales_ready");
  g_assert_cmpstr (cp_playbook_tier_for_score (f->playbook, 39), ==, "nurture");
  g_assert_cmpstr (cp_playbook_tier_for_score (f->playbook, 19), ==, "unqualified");
}

static void
test_stage_override (Fixture *f, gconstpointer data)
{
  cp_lead_set_text (f->lead, CP_LEAD_FIELD_URGENCY, "urgent");
  {
    g_autoptr(CpScoreExplanation) e = explain (f);

    g_assert_cmpint (e->result.category[CP_SCORE_READINESS], ==, 8);
  }
  cp_lead_set_text (f->lead, CP_LEAD_FIELD_STAGE, "onboarding");
  {
    g_autoptr(CpScoreExplanation) e = explain (f);
    const CpScoreContribution *c = g_ptr_array_index (e->contributions, 0);

    g_assert_cmpint (e->result.category[CP_SCORE_READINESS], ==, 0);
    g_assert_true (c->stage_override);
    g_assert_cmpint (c->base_points, ==, 8);
    g_assert_cmpint (c->points, ==, 0);
  }
}

static void
test_account_boost (Fixture *f, gconstpointer data)
{
  static const struct { guint contacts; int points; } cases[] = {
    { 0, 0 }, { 1, 0 }, { 2, 6 }, { 3, 7 }, { 10, 7 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CpScoreExplanation) e = NULL;

      f->input.account_engaged_contacts = cases[i].contacts;
      e = explain (f);
      g_assert_cmpint (e->result.category[CP_SCORE_READINESS], ==, cases[i].points);
    }
}

/* Past the playbook's limit, one engaged contact more changes nothing:
 * the write path counts contacts only that far. */
static void
test_account_limit (Fixture *f, gconstpointer data)
{
  g_autoptr(CpLifecycle) lifecycle = cp_lifecycle_new (f->playbook, 0);
  guint cap = cp_lifecycle_account_cap (lifecycle);

  /* min 2, 3 points each, 7 at most: three contacts reach the most. */
  g_assert_cmpuint (cp_playbook_account_contacts_limit (f->playbook), ==, 3);
  g_assert_cmpuint (cap, ==, 4);
  for (guint contacts = 0; contacts < 40; contacts++)
    {
      g_autoptr(CpScoreExplanation) all = NULL;
      g_autoptr(CpScoreExplanation) capped = NULL;

      f->input.account_engaged_contacts = contacts;
      all = explain (f);
      f->input.account_engaged_contacts = MIN (contacts, cap);
      capped = explain (f);
      g_assert_cmpint (all->result.score, ==, capped->result.score);
      g_assert_cmpint (cp_lifecycle_account_matters (lifecycle, contacts), ==, contacts <= 3);
    }

  /* A condition asking for more raises the limit; a boost without a most
   * has none; a playbook that never looks has none to count. */
  {
    CpScoreRule *rule = cp_score_rule_new ("big_accounts");

    rule->category = CP_SCORE_FIT;
    rule->points = 5;
    rule->condition = cp_condition_new_account_contacts (6);
    g_ptr_array_add (f->playbook->scoring.rules, rule);
    g_assert_cmpuint (cp_playbook_account_contacts_limit (f->playbook), ==, 6);
  }
  f->playbook->scoring.account_max_points = 0;
  g_assert_cmpuint (cp_playbook_account_contacts_limit (f->playbook), ==, G_MAXUINT);
  f->playbook->scoring.account_points_per_contact = 0;
  g_ptr_array_set_size (f->playbook->scoring.rules, f->playbook->scoring.rules->len - 1);
  g_assert_cmpuint (cp_playbook_account_contacts_limit (f->playbook), ==, 0);
  {
    g_autoptr(CpLifecycle) blind = cp_lifecycle_new (f->playbook, 0);

    g_assert_cmpuint (cp_lifecycle_account_cap (blind), ==, 0);
    g_assert_false (cp_lifecycle_account_matters (blind, 0));
  }
}

static void
test_explain_text (Fixture *f, gconstpointer data)
{
  g_autoptr(CpScoreExplanation) e = NULL;
  g_autofree char *text = NULL;

  cp_lead_set_text (f->lead, CP_LEAD_FIELD_SERVICE_LINE, "cardiology");
  add_activity (f, CP_ACTIVITY_KIND_WEBINAR_ATTENDED, 10);
  e = explain (f);
  text = cp_score_explanation_to_string (e);
  g_assert_nonnull (strstr (text, "Score 25 (nurture)"));
  g_assert_nonnull (strstr (text, "[cardio]"));
  g_assert_nonnull (strstr (text, "decayed ×0.50, 10 days old"));
}

static void
test_default_playbook_scores (void)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(CpScorer) scorer = cp_scorer_new (playbook);
  g_autoptr(CpLead) lead = cp_lead_new ();
  CpActivityRecord activities[] = {
    { CP_ACTIVITY_KIND_FORM_FILL, NOW - 2 * DAY, "Appointment request" },
    { CP_ACTIVITY_KIND_PAGE_VISIT, NOW - 1 * DAY, "/pricing" },
  };
  CpLeadRecord record;
  CpConditionInput input = { 0, };
  CpScoreResult result;

  cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, "new");
  cp_lead_set_text (lead, CP_LEAD_FIELD_SERVICE_LINE, "cardiology");
  cp_lead_set_text (lead, CP_LEAD_FIELD_LOCATION, "Riverside");
  cp_lead_set_text (lead, CP_LEAD_FIELD_COVERAGE_FIT, "in_network");
  cp_lead_set_text (lead, CP_LEAD_FIELD_URGENCY, "urgent");
  cp_lead_record_init (&record, lead);
  input.lead = &record;
  input.activities = activities;
  input.n_activities = G_N_ELEMENTS (activities);
  input.now = NOW;
  cp_scorer_score (scorer, &input, &result);
  g_assert_cmpint (result.category[CP_SCORE_FIT], ==, 26);
  g_assert_cmpint (result.score, >=, 50);

  cp_lead_set_text (lead, CP_LEAD_FIELD_COVERAGE_FIT, "not_covered");
  cp_lead_set_text (lead, CP_LEAD_FIELD_JOB_TITLE, "Nursing student");
  cp_lead_record_init (&record, lead);
  cp_scorer_score (scorer, &input, &result);
  g_assert_cmpint (result.category[CP_SCORE_FIT], ==, 18 - 20 - 25);
  g_assert_cmpstr (result.tier, ==, "unqualified");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/scorer/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("empty", test_empty);
  ADD ("caps", test_caps);
  ADD ("decay", test_decay);
  ADD ("negative-and-clamp", test_negative_and_clamp);
  ADD ("thresholds", test_thresholds);
  ADD ("stage-override", test_stage_override);
  ADD ("account-boost", test_account_boost);
  ADD ("account-limit", test_account_limit);
  ADD ("explain-text", test_explain_text);
#undef ADD
  g_test_add_func ("/scorer/default-playbook", test_default_playbook_scores);

  return g_test_run ();
}
