/* test-playbook-store.c — versions, router state, rescore write-back and audit
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cp-demo-writer.h"
#include "cp-playbook-format.h"
#include "cp-playbook-store.h"
#include "cp-rescore.h"
#include "cp-test-util.h"

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
  f->dir = cp_test_make_tmp_dir ();
  f->database = cp_test_open_database (f->dir);
  f->store = cp_lead_store_new (f->database);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  g_clear_object (&f->database);
  cp_test_remove_tree (f->dir);
  g_free (f->dir);
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
  g_assert_cmpint (cp_playbook_store_publish (f->database, playbook, "me", "  ", 0, NOW, &error), ==, 0);
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
  g_autoptr(CpScorer) scorer = cp_scorer_new (playbook);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  CpRescoreStats stats = { 0, };
  guint dry_changes = 0, dry_leads = 0;

  g_assert_true (cp_demo_writer_run (f->store, 300, 7, NOW, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (cp_rescore_dry_run (f->database, playbook, NOW, &dry_changes, &dry_leads, &error));
  g_assert_cmpuint (dry_leads, ==, 300);

  progress_calls = 0;
  g_assert_true (cp_rescore_run (f->database, playbook, 0, NOW, "test", progress_cb, NULL, NULL,
                                 &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.leads, ==, 300);
  g_assert_cmpuint (stats.tier_changes, ==, dry_changes);
  g_assert_cmpuint (progress_calls, >=, 1);

  /* Every stored score is the one explain gives for that lead. */
  page = cp_lead_store_query (f->store, query, 0, 50, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < page->len; i++)
    {
      CpLead *lead = g_ptr_array_index (page, i);
      g_autoptr(CpLeadSnapshot) snapshot = cp_lead_snapshot_load (f->store, cp_lead_get_id (lead),
                                                                  NOW, &error);
      g_autoptr(CpScoreExplanation) explanation = NULL;
      g_autoptr(GPtrArray) history = NULL;

      g_assert_no_error (error);
      explanation = cp_scorer_explain (scorer, &snapshot->input);
      g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE), ==, explanation->result.score);
      g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_FIT_SCORE), ==,
                       explanation->result.category[CP_SCORE_FIT]);
      g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_TIER), ==, explanation->result.tier);

      /* The tier change was audited */
      history = cp_lead_store_history (f->store, cp_lead_get_id (lead), &error);
      g_assert_no_error (error);
      {
        gboolean found = FALSE;

        for (guint h = 0; h < history->len; h++)
          {
            CpHistoryEntry *entry = g_ptr_array_index (history, h);

            if (g_strcmp0 (entry->action, "rescore") == 0 && g_strcmp0 (entry->field, "tier") == 0)
              found = TRUE;
          }
        g_assert_true (found);
      }
    }

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

#define ADD(path, func) g_test_add ("/playbook-store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("versions", test_versions);
  ADD ("router-state", test_router_state);
  ADD ("rescore", test_rescore);
  ADD ("rescore-async", test_rescore_async);
#undef ADD

  return g_test_run ();
}
