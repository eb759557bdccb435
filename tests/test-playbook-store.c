/* test-playbook-store.c — versions, router state, rescore write-back and audit
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cp-demo-writer.h"
#include "cp-lifecycle.h"
#include "cp-playbook-format.h"
#include "cp-playbook-store.h"
#include "cp-rescore.h"
#include "cp-router.h"
#include "cp-test-util.h"
#include "cp-transition.h"

#include <sqlite3.h>
#include <string.h>

#define NOW G_GINT64_CONSTANT (1780000000)

typedef struct
{
  char        *dir;
  CpDatabase  *database;
  CpLeadStore *store;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  cp_test_tmp_store_open (&f->dir, &f->database, &f->store);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
}

static void
test_versions (Fixture *f, gconstpointer data)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(CpPlaybook) active = NULL;
  g_autoptr(CpPlaybookVersion) version = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  gint64 v1, v2;

  /* Nothing published: the built-in default */
  active = cp_playbook_store_load_active (f->database, NOW, &version, &error);
  g_assert_no_error (error);
  g_assert_cmpint (version->id, ==, 0);
  g_clear_pointer (&active, cp_playbook_unref);
  g_clear_pointer (&version, cp_playbook_version_free);

  /* A reason is required */
  g_assert_cmpint (cp_playbook_store_publish (f->database, playbook, "me", "  ", 0, NOW, &error),
                   ==, 0);
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_clear_error (&error);

  v1 = cp_playbook_store_publish (f->database, playbook, "me", "Initial", 0, NOW, &error);
  g_assert_no_error (error);
  ((CpScoreRule *) g_ptr_array_index (playbook->scoring.rules, 0))->points = 20;
  /* Effective tomorrow */
  v2 = cp_playbook_store_publish (f->database, playbook, "me", "More for core lines",
                                  NOW + 86400, NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpint (v2, >, v1);

  versions = cp_playbook_store_list (f->database, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 2);
  g_assert_cmpstr (((CpPlaybookVersion *) g_ptr_array_index (versions, 1))->reason, ==,
                   "More for core lines");

  active = cp_playbook_store_load_active (f->database, NOW, &version, &error);
  g_assert_no_error (error);
  g_assert_cmpint (version->id, ==, v1);
  g_clear_pointer (&active, cp_playbook_unref);
  g_clear_pointer (&version, cp_playbook_version_free);
  active = cp_playbook_store_load_active (f->database, NOW + 86400, &version, &error);
  g_assert_cmpint (version->id, ==, v2);
  g_assert_cmpint (((CpScoreRule *) g_ptr_array_index (active->scoring.rules, 0))->points, ==, 20);

  changes = cp_playbook_store_diff (f->database, v1, v2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpint (((CpPlaybookChange *) g_ptr_array_index (changes, 0))->kind, ==,
                   CP_PLAYBOOK_CHANGE_CHANGED);

  g_assert_null (cp_playbook_store_get (f->database, 999, NULL, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
}

static void
test_router_state (Fixture *f, gconstpointer data)
{
  g_autoptr(CpRouterState) state = cp_router_state_new ();
  g_autoptr(CpRouterState) loaded = cp_router_state_new ();
  g_autoptr(GError) error = NULL;

  cp_router_state_set (state, "q", 0);
  g_assert_true (cp_playbook_store_save_router_state (f->database, state, &error));
  g_assert_true (cp_playbook_store_load_router_state (f->database, loaded, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cp_router_state_get (loaded, "q"), ==, 0);
}


/* Every live lead, in pages. */
static GPtrArray *
all_leads (Fixture *f)
{
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *leads = cp_lead_store_query (f->store, query, 0, 100000, &error);

  g_assert_no_error (error);
  return leads;
}

static CpLeadSnapshot *
snapshot_of (Fixture *f,
             CpLead  *lead)
{
  g_autoptr(GError) error = NULL;
  CpLeadSnapshot *snapshot = cp_lead_snapshot_load (f->store, cp_lead_get_id (lead), NOW, &error);

  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  return snapshot;
}

/* The stored score of every lead is the one explain gives. */
static void
assert_scores_match_explain (Fixture    *f,
                             CpPlaybook *playbook)
{
  g_autoptr(CpScorer) scorer = cp_scorer_new (playbook);
  g_autoptr(GPtrArray) leads = all_leads (f);

  g_assert_cmpuint (leads->len, >, 0);
  for (guint i = 0; i < leads->len; i++)
    {
      CpLead *lead = g_ptr_array_index (leads, i);
      g_autoptr(CpLeadSnapshot) snapshot = snapshot_of (f, lead);
      g_autoptr(CpScoreExplanation) explanation = cp_scorer_explain (scorer, &snapshot->input);

      g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE), ==, explanation->result.score);
      for (guint c = 0; c < CP_SCORE_N_CATEGORIES; c++)
        g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_FIT_SCORE + c), ==,
                         explanation->result.category[c]);
      g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_TIER), ==, explanation->result.tier);
    }
}

static void
assert_database_sound (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = cp_database_check_repairable (f->database, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (const char *) problems->pdata[i]);
  g_assert_cmpuint (problems->len, ==, 0);
}

static guint progress_calls;

static void
progress_cb (guint done, guint total, gpointer user_data)
{
  g_assert_cmpuint (done, <=, total);
  progress_calls++;
}

static void
test_rescore (Fixture *f, gconstpointer data)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(CpScorer) scorer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  CpRescoreStats stats = { 0, };
  guint dry_changes = 0, dry_leads = 0, audited = 0;

  g_assert_true (cp_demo_writer_run (f->store, 300, 7, NOW, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* The write path scored every lead as it landed: nothing to change. */
  g_assert_true (cp_rescore_dry_run (f->database, playbook, NOW, &dry_changes, &dry_leads, &error));
  g_assert_cmpuint (dry_leads, ==, 300);
  g_assert_cmpuint (dry_changes, ==, 0);
  assert_scores_match_explain (f, playbook);

  /* A lower sales-ready threshold: tiers change, each audited. */
  playbook->scoring.sales_ready_threshold = 35;
  scorer = cp_scorer_new (playbook);
  before = cp_lead_store_query (f->store, query, 0, 300, &error);
  g_assert_true (cp_rescore_dry_run (f->database, playbook, NOW, &dry_changes, &dry_leads, &error));
  g_assert_cmpuint (dry_changes, >, 0);
  progress_calls = 0;
  g_assert_true (cp_rescore_run (f->database, playbook, 0, NOW, "test", progress_cb, NULL, NULL,
                                 &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.leads, ==, 300);
  g_assert_cmpuint (stats.tier_changes, ==, dry_changes);
  g_assert_cmpuint (progress_calls, >=, 1);
  assert_scores_match_explain (f, playbook);

  for (guint i = 0; i < before->len; i++)
    {
      CpLead *old = g_ptr_array_index (before, i);
      g_autoptr(CpLead) now = cp_lead_store_get (f->store, cp_lead_get_id (old), &error);
      g_autoptr(GPtrArray) history = NULL;
      gboolean found = FALSE;

      if (g_strcmp0 (cp_lead_get_text (old, CP_LEAD_FIELD_TIER),
                     cp_lead_get_text (now, CP_LEAD_FIELD_TIER)) == 0)
        continue;
      history = cp_lead_store_history (f->store, cp_lead_get_id (old), &error);
      g_assert_no_error (error);
      for (guint h = 0; h < history->len; h++)
        {
          CpHistoryEntry *entry = g_ptr_array_index (history, h);

          if (g_strcmp0 (entry->action, "rescore") == 0 && g_strcmp0 (entry->field, "tier") == 0 &&
              g_strcmp0 (entry->new_value, cp_lead_get_text (now, CP_LEAD_FIELD_TIER)) == 0)
            found = TRUE;
        }
      g_assert_true (found);
      audited++;
    }
  g_assert_cmpuint (audited, ==, stats.tier_changes);

  /* Again: nothing changes, nothing is written */
  g_assert_true (cp_rescore_run (f->database, playbook, 0, NOW, "test", NULL, NULL, NULL,
                                 &stats, &error));
  g_assert_cmpuint (stats.changed, ==, 0);
  g_assert_cmpuint (stats.tier_changes, ==, 0);

  /* Cancelled before the first batch: nothing scored */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    g_assert_true (cp_rescore_run (f->database, playbook, 0, NOW, "test", NULL, NULL, cancellable,
                                   &stats, &error));
    g_assert_true (stats.cancelled);
    g_assert_cmpuint (stats.leads, ==, 0);
  }
}

/* The same rescore read on this connection (inside the caller's
 * transaction) and by the reader thread (outside) writes the same scores. */
static void
test_rescore_in_transaction (Fixture *f, gconstpointer data)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(GError) error = NULL;
  CpRescoreStats inside = { 0, }, outside = { 0, };

  g_assert_true (cp_demo_writer_run (f->store, 400, 11, NOW, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  playbook->scoring.sales_ready_threshold = 40;
  g_assert_true (cp_database_begin (f->database, &error));
  g_assert_true (cp_rescore_run (f->database, playbook, 0, NOW, "test", NULL, NULL, NULL, &inside,
                                 &error));
  g_assert_no_error (error);
  g_assert_true (cp_database_commit (f->database, &error));
  assert_scores_match_explain (f, playbook);

  playbook->scoring.sales_ready_threshold = 60;
  g_assert_true (cp_rescore_run (f->database, playbook, 0, NOW, "test", NULL, NULL, NULL, &outside,
                                 &error));
  g_assert_no_error (error);
  assert_scores_match_explain (f, playbook);
  g_assert_cmpuint (inside.leads, ==, 400);
  g_assert_cmpuint (outside.leads, ==, 400);
  g_assert_cmpuint (outside.tier_changes, >, 0);
  assert_database_sound (f);
}

/* Activities follow their lead through a merge and its undo (schema 6
 * keeps activities.lead_rowid), and a rule on a custom field scores the
 * same in a batch as in explain. */
static void
test_rescore_merge_and_custom (Fixture *f, gconstpointer data)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) leads = NULL;
  g_autofree char *merge_id = NULL;
  CpScoreRule *rule = cp_score_rule_new ("insurance_verified");
  const char *yes[] = { "yes", NULL };
  CpLead *keep, *other;

  g_assert_true (cp_demo_writer_run (f->store, 60, 5, NOW, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  rule->category = CP_SCORE_READINESS;
  rule->points = 9;
  rule->condition = cp_condition_new_field ("custom.insurance_verified", CP_OP_EQ, yes, &error);
  g_assert_no_error (error);
  g_ptr_array_add (playbook->scoring.rules, rule);

  leads = all_leads (f);
  for (guint i = 0; i < leads->len; i += 3)
    {
      g_autoptr(CpLead) full =
          cp_lead_store_get (f->store, cp_lead_get_id (leads->pdata[i]), &error);

      g_assert_no_error (error);
      cp_lead_set_custom (full, "insurance_verified", "yes");
      g_assert_true (cp_lead_store_update (f->store, full, "test", NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (cp_rescore_run (f->database, playbook, 0, NOW, "test", NULL, NULL, NULL, NULL,
                                 &error));
  g_assert_no_error (error);
  assert_scores_match_explain (f, playbook);

  /* The kept lead scores with the other's activities, then without. */
  keep = g_ptr_array_index (leads, 1);
  other = g_ptr_array_index (leads, 2);
  merge_id = cp_lead_store_merge (f->store, cp_lead_get_id (keep), cp_lead_get_id (other), NULL, 0,
                                  "test", &error);
  g_assert_no_error (error);
  g_assert_true (cp_rescore_run (f->database, playbook, 0, NOW, "test", NULL, NULL, NULL, NULL,
                                 &error));
  assert_scores_match_explain (f, playbook);
  g_assert_true (cp_lead_store_undo_merge (f->store, merge_id, "test", &error));
  g_assert_no_error (error);
  g_assert_true (cp_rescore_run (f->database, playbook, 0, NOW, "test", NULL, NULL, NULL, NULL,
                                 &error));
  assert_scores_match_explain (f, playbook);
  assert_database_sound (f);
}

static guint
count_stage (GPtrArray  *leads,
             const char *stage)
{
  guint n = 0;

  for (guint i = 0; i < leads->len; i++)
    n += g_strcmp0 (cp_lead_get_text (leads->pdata[i], CP_LEAD_FIELD_STAGE), stage) == 0;
  return n;
}

static void
test_impact_ownerless_queue (Fixture    *f,
                             CpPlaybook *current,
                             GPtrArray  *leads)
{
  g_autoptr(CpPlaybook) draft = cp_playbook_format_load_default ();
  g_autoptr(CpPlaybookImpact) impact = NULL;
  g_autoptr(GError) error = NULL;
  CpQueue *emptied = NULL;
  guint moved = 0;

  /* The queue of the first routing rule that takes any of the leads. */
  for (guint i = 0; i < leads->len && emptied == NULL; i++)
    {
      g_autoptr(CpLeadSnapshot) snapshot = snapshot_of (f, leads->pdata[i]);
      const CpRouteRule *rule = cp_router_match_rule (current, &snapshot->input);

      if (rule != NULL && g_strcmp0 (rule->queue, current->fallback_queue) != 0)
        emptied = (CpQueue *) cp_playbook_get_queue (draft, rule->queue);
    }
  g_assert_nonnull (emptied);
  g_clear_pointer (&emptied->owners, g_strfreev);
  emptied->owners = g_new0 (char *, 1);

  for (guint i = 0; i < leads->len; i++)
    {
      g_autoptr(CpLeadSnapshot) snapshot = snapshot_of (f, leads->pdata[i]);
      const CpRouteRule *rule = cp_router_match_rule (current, &snapshot->input);

      moved += rule != NULL && g_strcmp0 (rule->queue, emptied->id) == 0;
    }
  g_assert_cmpuint (moved, >, 0);

  impact = cp_rescore_impact (f->database, current, draft, NOW, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (impact->counts[CP_IMPACT_QUEUE], ==, moved);
  g_assert_cmpuint (impact->examples[CP_IMPACT_QUEUE]->len, ==, MIN (moved, 10));
  g_assert_cmpuint (impact->counts[CP_IMPACT_SCORE], ==, 0);
  g_assert_cmpuint (impact->counts[CP_IMPACT_TIER], ==, 0);
}

static void
test_impact (Fixture *f, gconstpointer data)
{
  g_autoptr(CpPlaybook) current = cp_playbook_format_load_default ();
  g_autoptr(CpPlaybook) draft = NULL;
  g_autoptr(CpPlaybookImpact) impact = NULL;
  g_autoptr(CpScorer) old_scorer = cp_scorer_new (current);
  g_autoptr(CpScorer) new_scorer = NULL;
  g_autoptr(CpLifecycle) routes_now = cp_lifecycle_new (current, 0);
  g_autoptr(CpLifecycle) routes_draft = NULL;
  g_autoptr(GPtrArray) leads = NULL;
  g_autoptr(GError) error = NULL;
  CpRouteRule *first_rule;
  CpStage *engaged;
  char **required;
  guint tiers = 0, queues = 0, scores = 0, blocked = 0;
  guint reactivation;

  g_assert_true (cp_demo_writer_run (f->store, 300, 13, NOW, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  leads = all_leads (f);

  /* A playbook against itself changes nothing. */
  impact = cp_rescore_impact (f->database, current, current, NOW, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (impact->leads, ==, 300);
  for (guint k = 0; k < CP_IMPACT_N_KINDS; k++)
    {
      g_assert_cmpuint (impact->counts[k], ==, 0);
      g_assert_cmpuint (impact->examples[k]->len, ==, 0);
    }
  g_clear_pointer (&impact, cp_playbook_impact_free);

  /* A draft: another threshold and rule points, the first routing rule
   * to the fallback queue, the buying role required to enter "engaged". */
  draft = cp_playbook_format_load_default ();
  draft->scoring.sales_ready_threshold = 45;
  ((CpScoreRule *) g_ptr_array_index (draft->scoring.rules, 0))->points += 5;
  first_rule = g_ptr_array_index (draft->route_rules, 0);
  g_free (first_rule->queue);
  first_rule->queue = g_strdup (draft->fallback_queue);
  engaged = (CpStage *) cp_playbook_get_stage (draft, "engaged");
  required = g_new0 (char *, g_strv_length (engaged->required_fields) + 2);
  for (guint i = 0; engaged->required_fields[i] != NULL; i++)
    required[i] = g_strdup (engaged->required_fields[i]);
  required[g_strv_length (engaged->required_fields)] = g_strdup ("buying_role");
  g_strfreev (engaged->required_fields);
  engaged->required_fields = required;
  new_scorer = cp_scorer_new (draft);
  routes_draft = cp_lifecycle_new (draft, 0);

  /* What the impact must say, lead by lead. */
  for (guint i = 0; i < leads->len; i++)
    {
      g_autoptr(CpLeadSnapshot) snapshot = snapshot_of (f, leads->pdata[i]);
      CpScoreResult before, after;
      const char *stage = cp_lead_get_text (leads->pdata[i], CP_LEAD_FIELD_STAGE);

      cp_scorer_score (old_scorer, &snapshot->input, &before);
      cp_scorer_score (new_scorer, &snapshot->input, &after);
      scores += before.score != after.score;
      tiers += g_strcmp0 (before.tier, after.tier) != 0;
      /* The queue the write path would store. */
      queues += g_strcmp0 (cp_lifecycle_queue_for (routes_now, &snapshot->input),
                           cp_lifecycle_queue_for (routes_draft, &snapshot->input)) != 0;
      if (g_strcmp0 (stage, "new") == 0)
        {
          g_autoptr(CpMoveCheck) now_check =
              cp_transition_check (current, &snapshot->input, "engaged");
          g_autoptr(CpMoveCheck) draft_check =
              cp_transition_check (draft, &snapshot->input, "engaged");

          blocked +=
              now_check->verdict == CP_MOVE_ALLOWED && draft_check->verdict != CP_MOVE_ALLOWED;
        }
    }
  g_assert_cmpuint (tiers, >, 0);
  g_assert_cmpuint (queues, >, 0);
  g_assert_cmpuint (blocked, >, 0);

  impact = cp_rescore_impact (f->database, current, draft, NOW, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (impact->counts[CP_IMPACT_SCORE], ==, scores);
  g_assert_cmpuint (impact->counts[CP_IMPACT_TIER], ==, tiers);
  g_assert_cmpuint (impact->counts[CP_IMPACT_QUEUE], ==, queues);
  g_assert_cmpuint (impact->counts[CP_IMPACT_BLOCKED], ==, blocked);
  g_assert_cmpuint (impact->counts[CP_IMPACT_STAGE_REMOVED], ==, 0);
  g_assert_cmpuint (impact->examples[CP_IMPACT_TIER]->len, ==, MIN (tiers, 10));
  g_clear_pointer (&impact, cp_playbook_impact_free);

  /* A stage that goes away takes its leads with it into the count. */
  reactivation = count_stage (leads, "reactivation");
  g_assert_cmpuint (reactivation, >, 0);
  for (guint i = 0; i < draft->stages->len; i++)
    if (g_str_equal (((CpStage *) g_ptr_array_index (draft->stages, i))->id, "reactivation"))
      g_ptr_array_remove_index (draft->stages, i);
  impact = cp_rescore_impact (f->database, current, draft, NOW, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (impact->counts[CP_IMPACT_STAGE_REMOVED], ==, reactivation);
  for (guint i = 0; i < impact->examples[CP_IMPACT_STAGE_REMOVED]->len; i++)
    {
      g_autoptr(CpLead) lead =
          cp_lead_store_get (f->store, impact->examples[CP_IMPACT_STAGE_REMOVED]->pdata[i], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_STAGE), ==, "reactivation");
    }
  g_clear_pointer (&impact, cp_playbook_impact_free);

  /* A queue nobody is in any more sends its leads to the fallback
   * queue, as routing (and the write path) would. */
  test_impact_ownerless_queue (f, current, leads);

  /* Cancelled: no impact, an error that says so. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    impact = cp_rescore_impact (f->database, current, draft, NOW, NULL, NULL, cancellable, &error);
    g_assert_null (impact);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }
}

static void
test_draft (Fixture *f, gconstpointer data)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(CpPlaybook) loaded = NULL;
  g_autoptr(CpPlaybookVersion) info = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) error = NULL;
  gint64 base = -1, v1, v2;
  sqlite3 *db;
  char *message = NULL;

  /* No draft: NULL without an error; publishing it is refused. */
  g_assert_null (cp_playbook_store_load_draft (f->database, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cp_playbook_store_publish_draft (f->database, "me", "why", 0, NOW, &error), ==,
                   0);
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  v1 = cp_playbook_store_publish (f->database, playbook, "me", "Initial", 0, NOW, &error);
  g_assert_cmpint (v1, >, 0);

  /* Saved twice: one draft, the last state, with its base version. */
  playbook->scoring.nurture_threshold = 25;
  g_assert_true (cp_playbook_store_save_draft (f->database, playbook, v1, "ana", NOW + 10, &error));
  playbook->scoring.nurture_threshold = 27;
  g_assert_true (cp_playbook_store_save_draft (f->database, playbook, v1, "ana", NOW + 20, &error));
  g_assert_no_error (error);
  loaded = cp_playbook_store_load_draft (f->database, &info, &base, &error);
  g_assert_no_error (error);
  g_assert_cmpint (loaded->scoring.nurture_threshold, ==, 27);
  g_assert_cmpint (base, ==, v1);
  g_assert_cmpstr (info->status, ==, "draft");
  g_assert_cmpstr (info->author, ==, "ana");
  g_assert_cmpint (info->created_at, ==, NOW + 20);
  g_clear_pointer (&loaded, cp_playbook_unref);
  g_clear_pointer (&info, cp_playbook_version_free);

  /* An invalid draft is refused and the saved one kept. */
  {
    g_autoptr(CpPlaybook) invalid = cp_playbook_format_load_default ();

    g_free (invalid->fallback_queue);
    invalid->fallback_queue = g_strdup ("no_such_queue");
    g_assert_false (
        cp_playbook_store_save_draft (f->database, invalid, v1, "ana", NOW + 30, &error));
    g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }

  /* Publishing needs a reason; without one the draft stays. */
  g_assert_cmpint (cp_playbook_store_publish_draft (f->database, "ana", " ", 0, NOW + 40, &error),
                   ==, 0);
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_clear_error (&error);
  loaded = cp_playbook_store_load_draft (f->database, NULL, NULL, &error);
  g_assert_nonnull (loaded);
  g_clear_pointer (&loaded, cp_playbook_unref);

  v2 = cp_playbook_store_publish_draft (f->database, "ana", "Nurture from 27", 0, NOW + 40, &error);
  g_assert_no_error (error);
  g_assert_cmpint (v2, ==, v1 + 1);
  g_assert_null (cp_playbook_store_load_draft (f->database, NULL, NULL, &error));
  g_assert_no_error (error);
  loaded = cp_playbook_store_load_active (f->database, NOW + 50, &info, &error);
  g_assert_cmpint (info->id, ==, v2);
  g_assert_cmpint (loaded->scoring.nurture_threshold, ==, 27);
  versions = cp_playbook_store_list (f->database, &error);
  g_assert_cmpuint (versions->len, ==, 2);

  /* Published versions are history: the database refuses to change them. */
  g_assert_cmpint (sqlite3_open (cp_database_get_path (f->database), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE playbook_versions SET reason = 'x'", NULL, NULL,
                                 &message),
                   ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (message, "immutable"));
  sqlite3_free (message);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM playbook_versions", NULL, NULL, &message),
                   ==, SQLITE_CONSTRAINT);
  sqlite3_free (message);
  sqlite3_close (db);

  g_assert_true (cp_playbook_store_discard_draft (f->database, &error));
}

static void
rescore_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CpRescoreStats *stats = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_rescore_run_finish (result, stats, &error));
  g_assert_no_error (error);
}

static void
test_rescore_async (Fixture *f, gconstpointer data)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(GError) error = NULL;
  CpRescoreStats stats = { 0, };

  g_assert_true (cp_demo_writer_run (f->store, 50, 3, NOW, NULL, NULL, NULL, &error));
  cp_rescore_run_async (cp_database_get_path (f->database), playbook, 0, NOW, "test", NULL,
                        rescore_done_cb, &stats);
  while (stats.leads == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (stats.leads, ==, 50);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/playbook-store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("versions", test_versions);
  ADD ("router-state", test_router_state);
  ADD ("rescore", test_rescore);
  ADD ("rescore-async", test_rescore_async);
  ADD ("rescore-in-transaction", test_rescore_in_transaction);
  ADD ("rescore-merge-and-custom", test_rescore_merge_and_custom);
  ADD ("impact", test_impact);
  ADD ("draft", test_draft);
#undef ADD

  return g_test_run ();
}
