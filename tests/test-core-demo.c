/* test-core-demo.c — tests for the synthetic demo data generator
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cp-activity.h"
#include "cp-demo.h"
#include "cp-demo-private.h"
#include "cp-lead.h"
#include "cp-stage-event.h"
#include "cp-validate.h"

/* 2026-04-01T00:00:00Z */
#define NOW G_GINT64_CONSTANT (1775001600)
#define YEAR (G_GINT64_CONSTANT (365) * 86400)
#define N_LEADS 5000

static void
assert_leads_equal (CpLead *a,
                    CpLead *b)
{
  for (guint f = 0; f < CP_LEAD_N_FIELDS; f++)
    {
      g_autofree char *sa = cp_lead_dup_field_string (a, f);
      g_autofree char *sb = cp_lead_dup_field_string (b, f);

      g_assert_cmpstr (sa, ==, sb);
    }
}

static void
test_reproducible (void)
{
  g_autoptr(CpDemoGenerator) one = cp_demo_generator_new (7, NOW);
  g_autoptr(CpDemoGenerator) two = cp_demo_generator_new (7, NOW);

  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(CpLead) a = cp_demo_generator_next_lead (one);
      g_autoptr(CpLead) b = cp_demo_generator_next_lead (two);
      g_autoptr(GPtrArray) acts_a = NULL;
      g_autoptr(GPtrArray) acts_b = NULL;
      g_autoptr(GPtrArray) hist_a = NULL;
      g_autoptr(GPtrArray) hist_b = NULL;

      g_assert_true (g_uuid_string_is_valid (cp_lead_get_id (a)));
      assert_leads_equal (a, b);

      /* Asked for in a different order: the result depends on the lead only. */
      acts_a = cp_demo_generator_activities_for (one, a);
      hist_a = cp_demo_generator_stage_history_for (one, a);
      hist_b = cp_demo_generator_stage_history_for (two, b);
      acts_b = cp_demo_generator_activities_for (two, b);

      g_assert_cmpuint (acts_a->len, ==, acts_b->len);
      for (guint j = 0; j < acts_a->len; j++)
        {
          CpActivity *x = acts_a->pdata[j];
          CpActivity *y = acts_b->pdata[j];

          g_assert_cmpstr (cp_activity_get_id (x), ==, cp_activity_get_id (y));
          g_assert_cmpint (cp_activity_get_kind (x), ==, cp_activity_get_kind (y));
          g_assert_cmpint (cp_activity_get_occurred_at (x), ==, cp_activity_get_occurred_at (y));
          g_assert_cmpstr (cp_activity_get_detail (x), ==, cp_activity_get_detail (y));
          g_assert_cmpstr (cp_activity_get_disposition (x), ==, cp_activity_get_disposition (y));
          g_assert_cmpint (cp_activity_get_depth (x), ==, cp_activity_get_depth (y));
        }

      g_assert_cmpuint (hist_a->len, ==, hist_b->len);
      for (guint j = 0; j < hist_a->len; j++)
        {
          CpStageEvent *x = hist_a->pdata[j];
          CpStageEvent *y = hist_b->pdata[j];

          g_assert_cmpstr (x->id, ==, y->id);
          g_assert_cmpstr (x->from_stage, ==, y->from_stage);
          g_assert_cmpstr (x->to_stage, ==, y->to_stage);
          g_assert_cmpint (x->device_time, ==, y->device_time);
        }
    }
}

static void
test_known_first_lead (void)
{
  /* Pin the stream so an accidental change to the generator (which would
   * change every demo database and benchmark) is noticed. */
  g_autoptr(CpDemoGenerator) gen = cp_demo_generator_new (1, NOW);
  g_autoptr(CpLead) lead = cp_demo_generator_next_lead (gen);
  g_autoptr(CpDemoGenerator) gen2 = cp_demo_generator_new (1, NOW + 1);
  g_autoptr(CpLead) lead2 = cp_demo_generator_next_lead (gen2);

  g_assert_cmpstr (cp_lead_get_id (lead), ==, "0d3ad2d1-0000-8000-82dd-3801bcaacadd");
  g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_EMAIL), ==,
                   "sakura.vanderberg0@example.com");
  g_assert_cmpstr (cp_lead_get_stage (lead), ==, "new");

  /* "now" moves the timestamps and nothing else. */
  g_assert_cmpstr (cp_lead_get_id (lead), ==, cp_lead_get_id (lead2));
  g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_EMAIL), ==,
                   cp_lead_get_text (lead2, CP_LEAD_FIELD_EMAIL));
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_CREATED_AT) + 1, ==,
                   cp_lead_get_int (lead2, CP_LEAD_FIELD_CREATED_AT));
}

static void
test_seeds_differ (void)
{
  g_autoptr(CpDemoGenerator) one = cp_demo_generator_new (1, NOW);
  g_autoptr(CpDemoGenerator) two = cp_demo_generator_new (2, NOW);
  guint same_names = 0;

  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(CpLead) a = cp_demo_generator_next_lead (one);
      g_autoptr(CpLead) b = cp_demo_generator_next_lead (two);

      g_assert_cmpstr (cp_lead_get_id (a), !=, cp_lead_get_id (b));
      if (cp_lead_equal_field (a, b, CP_LEAD_FIELD_FIRST_NAME))
        same_names++;
    }

  g_assert_cmpuint (same_names, <, 10);
}

/* Ids grow in the order the generator makes them (so that the store's
 * indexes by id take each new row at their end), a lead's activities
 * and stage events after their lead, and each id is a valid UUID. */
static void
test_ids_grow (void)
{
  g_autoptr(CpDemoGenerator) gen = cp_demo_generator_new (3, NOW);
  g_autofree char *previous = NULL;
  g_autofree char *previous_child = NULL;
  guint n_children = 0;

  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(CpLead) lead = cp_demo_generator_next_lead (gen);
      g_autoptr(GPtrArray) activities = cp_demo_generator_activities_for (gen, lead);
      g_autoptr(GPtrArray) history = cp_demo_generator_stage_history_for (gen, lead);
      const char *id = cp_lead_get_id (lead);

      g_assert_true (g_uuid_string_is_valid (id));
      g_assert_cmpint (id[14], ==, '8');   /* version 8: a layout of its own */
      if (previous != NULL)
        g_assert_cmpstr (previous, <, id);
      g_free (previous);
      previous = g_strdup (id);

      n_children += activities->len + history->len;
      for (guint k = 0; k < activities->len; k++)
        {
          const char *child = cp_activity_get_id (activities->pdata[k]);

          g_assert_true (g_uuid_string_is_valid (child));
          g_assert_true (strncmp (child, id, 19) == 0);
          if (previous_child != NULL)
            g_assert_cmpstr (previous_child, <, child);
          g_free (previous_child);
          previous_child = g_strdup (child);
        }
      for (guint k = 0; k < history->len; k++)
        {
          CpStageEvent *event = history->pdata[k];

          g_assert_true (g_uuid_string_is_valid (event->id));
          g_assert_true (strncmp (event->id, id, 19) == 0);
        }
    }
  g_assert_cmpuint (n_children, >, 300);   /* not vacuous */
}

typedef struct
{
  GHashTable *stages;
  GHashTable *types;
  GHashTable *emails;
  GHashTable *ids;
  GHashTable *locations;
  guint       with_org;
  guint       non_ascii_names;
  guint       granted;
  guint       do_not_contact;
  guint       activities;
  guint       leads_without_activity;
} Tally;

static void
count (GHashTable *table,
       const char *key)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (table, key));

  g_hash_table_replace (table, g_strdup (key), GUINT_TO_POINTER (n + 1));
}

static guint
lookup_count (GHashTable *table,
              const char *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (table, key));
}

static gboolean
is_ascii (const char *s)
{
  for (; *s != '\0'; s++)
    if ((guchar) *s >= 0x80)
      return FALSE;
  return TRUE;
}

static void
check_lead (CpDemoGenerator *gen,
            CpLead          *lead,
            Tally           *tally)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) activities = NULL;
  g_autoptr(GPtrArray) history = NULL;
  gint64 created = cp_lead_get_int (lead, CP_LEAD_FIELD_CREATED_AT);
  gint64 updated = cp_lead_get_int (lead, CP_LEAD_FIELD_UPDATED_AT);
  gint64 last_activity = cp_lead_get_int (lead, CP_LEAD_FIELD_LAST_ACTIVITY_AT);
  const char *email = cp_lead_get_text (lead, CP_LEAD_FIELD_EMAIL);
  const char *phone = cp_lead_get_text (lead, CP_LEAD_FIELD_PHONE);
  const char *stage = cp_lead_get_stage (lead);
  const char *type = cp_lead_get_text (lead, CP_LEAD_FIELD_LEAD_TYPE);
  const char *domain;
  gint64 previous;

  if (!cp_lead_validate (lead, NULL, NULL, &error))
    g_error ("demo lead %s is not valid: %s", cp_lead_get_id (lead), error->message);

  g_assert_nonnull (cp_lead_get_text (lead, CP_LEAD_FIELD_FIRST_NAME));
  g_assert_nonnull (cp_lead_get_text (lead, CP_LEAD_FIELD_LAST_NAME));
  g_assert_nonnull (cp_lead_get_text (lead, CP_LEAD_FIELD_SERVICE_LINE));
  g_assert_nonnull (cp_lead_get_text (lead, CP_LEAD_FIELD_LOCATION));
  g_assert_nonnull (cp_lead_get_text (lead, CP_LEAD_FIELD_REGION));
  g_assert_nonnull (cp_lead_get_text (lead, CP_LEAD_FIELD_SOURCE_CHANNEL));
  g_assert_nonnull (cp_lead_get_text (lead, CP_LEAD_FIELD_CONSENT_STATUS));
  g_assert_nonnull (type);
  g_assert_nonnull (stage);
  g_assert_true (g_strv_contains (_cp_demo_stage_ids, stage));

  /* What the playbook computes or assigns is left to it. */
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE), ==, 0);
  g_assert_null (cp_lead_get_text (lead, CP_LEAD_FIELD_TIER));
  g_assert_null (cp_lead_get_text (lead, CP_LEAD_FIELD_QUEUE));
  g_assert_null (cp_lead_get_text (lead, CP_LEAD_FIELD_OWNER));
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_SLA_DUE_AT), ==, 0);
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_FIRST_RESPONSE_AT), ==, 0);

  /* Reserved domains and the fictional 555-01xx range only. */
  g_assert_nonnull (email);
  g_assert_true (is_ascii (email));
  domain = strchr (email, '@') + 1;
  g_assert_true (g_str_equal (domain, "example.org") || g_str_equal (domain, "example.com") ||
                 g_str_equal (domain, "example.net"));
  g_assert_nonnull (phone);
  g_assert_cmpint (strlen (phone), ==, 12);
  g_assert_true (g_str_has_prefix (phone, "+1"));
  g_assert_true (strncmp (phone + 5, "55501", 5) == 0);
  {
    g_autofree char *normalized = cp_phone_normalize_e164 (phone, "US", NULL);

    g_assert_cmpstr (normalized, ==, phone);
  }

  /* Timestamps: created in the 12 months before now, the rest after it;
   * the last activity may follow the last move (the team's response). */
  g_assert_cmpint (created, <=, NOW);
  g_assert_cmpint (created, >=, NOW - YEAR);
  g_assert_cmpint (updated, >=, created);
  g_assert_cmpint (updated, <=, NOW);
  g_assert_true (last_activity == 0 || (last_activity >= created && last_activity <= NOW));
  /* A lead still worked was active in the last 60 days: else the
   * playbook's inactivity rule would have moved it to reactivation. */
  if (last_activity != 0 &&
      (g_str_equal (stage, "new") || g_str_equal (stage, "engaged") ||
       g_str_equal (stage, "qualified") || g_str_equal (stage, "active_evaluation")))
    g_assert_cmpint (last_activity, >=, NOW - 60 * 86400);

  /* Closed and won leads say how they closed, in the playbook's reasons. */
  if (g_str_equal (stage, "closed_lost"))
    {
      g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_CLOSURE_OUTCOME), ==, "lost");
      g_assert_nonnull (cp_lead_get_text (lead, CP_LEAD_FIELD_CLOSURE_REASON));
      g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_STATUS), ==, "closed");
    }
  else if (g_str_equal (stage, "closed_won") || g_str_equal (stage, "onboarding") ||
           g_str_equal (stage, "adoption"))
    {
      const char *reason = cp_lead_get_text (lead, CP_LEAD_FIELD_CLOSURE_REASON);

      g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_CLOSURE_OUTCOME), ==, "won");
      g_assert_true (g_strcmp0 (reason, "agreement_signed") == 0 ||
                     g_strcmp0 (reason, "intake_completed") == 0);
    }
  else
    g_assert_null (cp_lead_get_text (lead, CP_LEAD_FIELD_CLOSURE_OUTCOME));

  if (g_str_equal (cp_lead_get_text (lead, CP_LEAD_FIELD_CONSENT_STATUS), "granted"))
    {
      tally->granted++;
      g_assert_nonnull (cp_lead_get_text (lead, CP_LEAD_FIELD_CONSENT_CHANNEL));
      g_assert_nonnull (cp_lead_get_text (lead, CP_LEAD_FIELD_CONSENT_CAPTURED_BY));
      g_assert_nonnull (cp_lead_get_text (lead, CP_LEAD_FIELD_CONSENT_SOURCE));
      g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_CONSENT_NOTICE_VERSION), ==,
                       "2026-01");
      g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_CONSENT_CAPTURED_AT), ==, created);
    }
  if (cp_lead_get_int (lead, CP_LEAD_FIELD_DO_NOT_CONTACT))
    tally->do_not_contact++;

  if (g_str_equal (type, "b2b") || g_str_equal (type, "referral_partner"))
    {
      g_assert_nonnull (cp_lead_get_text (lead, CP_LEAD_FIELD_ORGANIZATION));
      g_assert_nonnull (cp_lead_get_text (lead, CP_LEAD_FIELD_ORG_TYPE));
      g_assert_nonnull (cp_lead_get_text (lead, CP_LEAD_FIELD_JOB_TITLE));
    }
  if (cp_lead_get_text (lead, CP_LEAD_FIELD_ORGANIZATION) != NULL)
    tally->with_org++;
  if (!is_ascii (cp_lead_get_text (lead, CP_LEAD_FIELD_FIRST_NAME)) ||
      !is_ascii (cp_lead_get_text (lead, CP_LEAD_FIELD_LAST_NAME)))
    tally->non_ascii_names++;

  g_assert_false (g_hash_table_contains (tally->emails, email));
  g_hash_table_add (tally->emails, g_strdup (email));
  g_assert_false (g_hash_table_contains (tally->ids, cp_lead_get_id (lead)));
  g_hash_table_add (tally->ids, g_strdup (cp_lead_get_id (lead)));
  count (tally->stages, stage);
  count (tally->types, type);
  count (tally->locations, cp_lead_get_text (lead, CP_LEAD_FIELD_LOCATION));

  /* Activities: after creation, before now, in order, ending at the last activity. */
  activities = cp_demo_generator_activities_for (gen, lead);
  g_assert_cmpuint (activities->len, <=, 8);
  if (last_activity == 0)
    g_assert_cmpuint (activities->len, ==, 0);
  else
    g_assert_cmpuint (activities->len, >=, 1);
  if (activities->len == 0)
    tally->leads_without_activity++;
  tally->activities += activities->len;

  previous = created;
  for (guint i = 0; i < activities->len; i++)
    {
      CpActivity *activity = activities->pdata[i];
      gint64 when = cp_activity_get_occurred_at (activity);

      g_assert_cmpstr (cp_activity_get_lead_id (activity), ==, cp_lead_get_id (lead));
      g_assert_true (g_uuid_string_is_valid (cp_activity_get_id (activity)));
      g_assert_cmpint (when, >=, previous);
      g_assert_cmpint (when, <=, NOW);
      previous = when;

      if (cp_activity_get_kind (activity) == CP_ACTIVITY_KIND_CALL)
        g_assert_true (
            g_strv_contains (cp_call_dispositions (), cp_activity_get_disposition (activity)));
      else
        g_assert_null (cp_activity_get_disposition (activity));
    }
  if (activities->len > 0)
    g_assert_cmpint (previous, ==, last_activity);

  /* Stage history: from nothing to "new", then on to the current stage. */
  history = cp_demo_generator_stage_history_for (gen, lead);
  g_assert_cmpuint (history->len, >=, 1);
  {
    CpStageEvent *first = history->pdata[0];
    CpStageEvent *last = history->pdata[history->len - 1];

    g_assert_null (first->from_stage);
    g_assert_cmpstr (first->to_stage, ==, "new");
    g_assert_cmpint (first->device_time, ==, created);
    g_assert_cmpstr (last->to_stage, ==, stage);
    if (history->len > 1)
      g_assert_cmpint (last->device_time, ==, updated);
  }
  for (guint i = 1; i < history->len; i++)
    {
      CpStageEvent *before = history->pdata[i - 1];
      CpStageEvent *event = history->pdata[i];

      g_assert_cmpstr (event->from_stage, ==, before->to_stage);
      g_assert_cmpstr (event->lead_id, ==, cp_lead_get_id (lead));
      g_assert_cmpint (event->device_time, >, before->device_time);
      g_assert_nonnull (event->reason);
      g_assert_nonnull (event->actor);
      g_assert_cmpint (event->synced_time, ==, 0);
      g_assert_true (g_strv_contains (_cp_demo_stage_ids, event->to_stage));
    }
}

static void
test_many_leads (void)
{
  g_autoptr(CpDemoGenerator) gen = cp_demo_generator_new (2026, NOW);
  Tally tally = { 0, };
  guint max_type = 0;
  const char *most_common_type = NULL;
  GHashTableIter iter;
  gpointer key, value;

  tally.stages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  tally.types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  tally.locations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  tally.emails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  tally.ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < N_LEADS; i++)
    {
      g_autoptr(CpLead) lead = cp_demo_generator_next_lead (gen);

      check_lead (gen, lead, &tally);
    }

  /* Every stage is there, and the funnel narrows. */
  for (const char * const *stage = _cp_demo_stage_ids; *stage != NULL; stage++)
    if (lookup_count (tally.stages, *stage) == 0)
      g_error ("no lead in stage %s", *stage);
  g_assert_cmpuint (lookup_count (tally.stages, "new"), >,
                    lookup_count (tally.stages, "qualified"));
  g_assert_cmpuint (lookup_count (tally.stages, "qualified"), >,
                    lookup_count (tally.stages, "onboarding"));
  g_assert_cmpuint (lookup_count (tally.stages, "engaged"), >,
                    lookup_count (tally.stages, "adoption"));

  /* Patients are the most common type, and every type occurs. */
  g_hash_table_iter_init (&iter, tally.types);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) > max_type)
      {
        max_type = GPOINTER_TO_UINT (value);
        most_common_type = key;
      }
  g_assert_cmpstr (most_common_type, ==, "patient");
  g_assert_cmpuint (g_hash_table_size (tally.types), ==, 5);
  g_assert_cmpuint (lookup_count (tally.types, "patient"), >, N_LEADS / 3);

  g_assert_cmpuint (g_hash_table_size (tally.emails), ==, N_LEADS);
  g_assert_cmpuint (g_hash_table_size (tally.ids), ==, N_LEADS);
  g_assert_cmpuint (g_hash_table_size (tally.locations), >=, 10);

  g_assert_cmpuint (tally.granted, >, N_LEADS / 2);
  g_assert_cmpuint (tally.do_not_contact, >, 0);
  g_assert_cmpuint (tally.do_not_contact, <, N_LEADS / 5);
  g_assert_cmpuint (tally.with_org, >, N_LEADS / 10);
  g_assert_cmpuint (tally.with_org, <, N_LEADS / 2);
  g_assert_cmpuint (tally.non_ascii_names, >, N_LEADS / 20);
  g_assert_cmpuint (tally.leads_without_activity, >, 0);
  g_assert_cmpuint (tally.activities, >, N_LEADS * 2);

  g_hash_table_unref (tally.stages);
  g_hash_table_unref (tally.types);
  g_hash_table_unref (tally.locations);
  g_hash_table_unref (tally.emails);
  g_hash_table_unref (tally.ids);
}

static void
test_created_at_spread (void)
{
  g_autoptr(CpDemoGenerator) gen = cp_demo_generator_new (99, NOW);
  guint per_quarter[4] = { 0, };

  for (guint i = 0; i < 4000; i++)
    {
      g_autoptr(CpLead) lead = cp_demo_generator_next_lead (gen);
      gint64 age = NOW - cp_lead_get_int (lead, CP_LEAD_FIELD_CREATED_AT);

      per_quarter[MIN (age * 4 / YEAR, 3)]++;
    }

  /* Spread over the whole year, not bunched up; leads still in New came
   * in lately, so the latest quarter holds more. */
  for (guint q = 0; q < 4; q++)
    g_assert_cmpuint (per_quarter[q], >, 600);
  g_assert_cmpuint (per_quarter[0], >, per_quarter[3]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/demo/reproducible", test_reproducible);
  g_test_add_func ("/core/demo/known-first-lead", test_known_first_lead);
  g_test_add_func ("/core/demo/seeds-differ", test_seeds_differ);
  g_test_add_func ("/core/demo/ids-grow", test_ids_grow);
  g_test_add_func ("/core/demo/many-leads", test_many_leads);
  g_test_add_func ("/core/demo/created-at-spread", test_created_at_spread);

  return g_test_run ();
}
