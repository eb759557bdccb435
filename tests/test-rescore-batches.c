/* test-rescore-batches.c — a rescore over many batches: the same scores; a cancel between them
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Batches are ranges of lead rowids (cp-rescore-reader.c): spreading the
 * rowids of a few hundred demo leads makes them fill several batches
 * without generating tens of thousands of leads. */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "cp-database-private.h"
#include "cp-demo-writer.h"
#include "cp-playbook-format.h"
#include "cp-rescore.h"
#include "cp-rescore-private.h"
#include "cp-tick.h"
#include "cp-test-util.h"

#define NOW G_GINT64_CONSTANT (1780000000)
#define N_LEADS 300
/* Lead rowids 1..N_LEADS become multiples of SPREAD: six batches. */
#define SPREAD (CP_RESCORE_BATCH_SIZE / 50)
#define N_BATCHES (N_LEADS * SPREAD / CP_RESCORE_BATCH_SIZE)

typedef struct
{
  char        *dir;
  CpDatabase  *database;
  CpLeadStore *store;
} Fixture;

static void
exec_sql (CpDatabase *database,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (_cp_database_get_handle (database), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *spread = NULL;

  f->dir = cp_test_make_tmp_dir ();
  f->database = cp_test_open_database (f->dir);
  f->store = cp_lead_store_new (f->database);
  g_assert_true (cp_demo_writer_run (f->store, N_LEADS, 7, NOW, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Through negative rowids, so that no new rowid meets an old one. */
  spread = g_strdup_printf ("BEGIN;"
                            "UPDATE leads SET rowid = -rowid;"
                            "UPDATE leads SET rowid = -rowid * %d;"
                            "UPDATE activities SET lead_rowid = lead_rowid * %d;"
                            "COMMIT;", SPREAD, SPREAD);
  exec_sql (f->database, spread);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  g_clear_object (&f->database);
  cp_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* How many leads have their stored score, category scores and tier as
 * @playbook gives them now, among those whose rowid is in [@from, @to]. */
static guint
count_scored_by (Fixture    *f,
                 CpPlaybook *playbook,
                 gint64      from,
                 gint64      to,
                 guint      *out_leads)
{
  g_autoptr(CpScorer) scorer = cp_scorer_new (playbook);
  sqlite3_stmt *stmt = NULL;
  guint matching = 0, leads = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (_cp_database_get_handle (f->database),
                                       "SELECT id FROM leads WHERE rowid BETWEEN ?1 AND ?2"
                                       " AND deleted_at = 0",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, to);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CpLeadSnapshot) snapshot =
        cp_lead_snapshot_load (f->store, (const char *) sqlite3_column_text (stmt, 0), NOW, &error);
      CpScoreResult result;
      gboolean same;

      g_assert_no_error (error);
      cp_scorer_score (scorer, &snapshot->input, &result);
      same = cp_lead_get_int (snapshot->lead, CP_LEAD_FIELD_SCORE) == result.score &&
             g_strcmp0 (cp_lead_get_text (snapshot->lead, CP_LEAD_FIELD_TIER), result.tier) == 0;
      for (guint c = 0; c < CP_SCORE_N_CATEGORIES; c++)
        same = same &&
               cp_lead_get_int (snapshot->lead, CP_LEAD_FIELD_FIT_SCORE + c) == result.category[c];
      matching += same;
      leads++;
    }
  sqlite3_finalize (stmt);
  *out_leads = leads;
  return matching;
}

static guint progress_calls;

static void
count_progress_cb (guint done, guint total, gpointer user_data)
{
  g_assert_cmpuint (done, <=, total);
  progress_calls++;
}

/* A rescore over several batches writes what scoring each lead alone
 * gives, and one progress call per batch. */
static void
test_many_batches (Fixture *f, gconstpointer data)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(GError) error = NULL;
  CpRescoreStats stats = { 0, };
  guint dry_changes = 0, dry_leads = 0, leads = 0;

  g_assert_cmpint (N_BATCHES, >=, 3);
  playbook->scoring.sales_ready_threshold = 35;
  g_assert_true (cp_rescore_dry_run (f->database, playbook, NOW, &dry_changes, &dry_leads, &error));
  g_assert_cmpuint (dry_leads, ==, N_LEADS);
  g_assert_cmpuint (dry_changes, >, 0);
  g_assert_cmpuint (count_scored_by (f, playbook, 0, G_MAXINT64, &leads), <, N_LEADS);

  progress_calls = 0;
  g_assert_true (cp_rescore_run (f->database, playbook, 0, NOW, "test", count_progress_cb, NULL,
                                 NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.leads, ==, N_LEADS);
  g_assert_cmpuint (stats.tier_changes, ==, dry_changes);
  g_assert_false (stats.cancelled);
  g_assert_cmpuint (progress_calls, ==, N_BATCHES);
  g_assert_cmpuint (count_scored_by (f, playbook, 0, G_MAXINT64, &leads), ==, N_LEADS);
  g_assert_cmpuint (leads, ==, N_LEADS);

  /* Again: nothing left to change. */
  g_assert_true (cp_rescore_run (f->database, playbook, 0, NOW, "test", NULL, NULL, NULL, &stats,
                                 &error));
  g_assert_cmpuint (stats.changed, ==, 0);
}

/* A write that fails mid-run (here a trigger refusing a tier change)
 * fails the run with the database's reason while the reader threads are
 * still reading the batches ahead: nothing of the open transaction is
 * kept, and the same run goes through once the cause is gone. */
static void
test_write_fails (Fixture *f, gconstpointer data)
{
  g_autoptr(CpPlaybook) old_playbook = cp_playbook_format_load_default ();
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(GError) error = NULL;
  CpRescoreStats stats = { 0, };
  guint leads = 0;

  exec_sql (f->database, "CREATE TEMP TRIGGER refuse_tier BEFORE UPDATE OF tier ON main.leads"
                         " BEGIN SELECT RAISE (ABORT, 'tier refused'); END;");
  playbook->scoring.sales_ready_threshold = 35;
  g_assert_false (cp_rescore_run (f->database, playbook, 0, NOW, "test", NULL, NULL, NULL, &stats,
                                  &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "tier refused"));
  g_assert_false (cp_database_in_transaction (f->database));
  g_assert_cmpuint (count_scored_by (f, old_playbook, 0, G_MAXINT64, &leads), ==, N_LEADS);
  g_assert_cmpuint (leads, ==, N_LEADS);

  /* Without the trigger the same run goes through. */
  g_clear_error (&error);
  exec_sql (f->database, "DROP TRIGGER temp.refuse_tier");
  g_assert_true (cp_rescore_run (f->database, playbook, 0, NOW, "test", NULL, NULL, NULL, &stats,
                                 &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_scored_by (f, playbook, 0, G_MAXINT64, &leads), ==, N_LEADS);
}

static void
cancel_after_first_cb (guint done, guint total, gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

/* Cancelled after the first batch: that batch is written whole (and
 * audited), the others not at all, and the run is recorded as incomplete. */
static void
test_cancel_between_batches (Fixture *f, gconstpointer data)
{
  g_autoptr(CpPlaybook) old_playbook = cp_playbook_format_load_default ();
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CpRescoreStats stats = { 0, };
  guint first = 0, rest = 0, matching;
  gint64 audited;
  sqlite3_stmt *stmt = NULL;

  playbook->scoring.sales_ready_threshold = 35;
  g_assert_true (cp_rescore_run (f->database, playbook, 0, NOW, "test", cancel_after_first_cb,
                                 cancellable, cancellable, &stats, &error));
  g_assert_no_error (error);
  g_assert_true (stats.cancelled);

  /* The first batch: every lead scored by the new playbook. */
  matching = count_scored_by (f, playbook, 0, CP_RESCORE_BATCH_SIZE, &first);
  g_assert_cmpuint (first, >, 0);
  g_assert_cmpuint (stats.leads, ==, first);
  g_assert_cmpuint (matching, ==, first);
  /* The others: untouched, as the old playbook scored them. */
  matching = count_scored_by (f, old_playbook, CP_RESCORE_BATCH_SIZE + 1, G_MAXINT64, &rest);
  g_assert_cmpuint (first + rest, ==, N_LEADS);
  g_assert_cmpuint (matching, ==, rest);

  /* One recorded change per tier change written, and the run is not complete. */
  g_assert_cmpint (sqlite3_prepare_v2 (_cp_database_get_handle (f->database),
                                       "SELECT count(*) FROM rescore_changes c"
                                       " JOIN rescore_runs r ON r.id = c.run_id"
                                       " WHERE r.actor = 'test' AND c.old_tier IS NOT c.new_tier",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  audited = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpint (audited, ==, stats.tier_changes);
  /* Each commit with changes left its audit row, which says how many:
   * what the reports and the tick look for. */
  g_assert_cmpint (cp_test_sqlite_int (_cp_database_get_handle (f->database),
                                       "SELECT sum (CAST (new_value AS INTEGER)) FROM audit_log"
                                       " WHERE entity = 'rescore_run' AND action = 'rescore'"
                                       " AND entity_id = (SELECT max (id) FROM rescore_runs)",
                                       NULL), ==, stats.tier_changes);
  g_assert_cmpint (sqlite3_prepare_v2 (_cp_database_get_handle (f->database),
                                       "SELECT leads, completed FROM rescore_runs ORDER BY id DESC"
                                       " LIMIT 1", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, first);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 0);
  sqlite3_finalize (stmt);

  /* A run cut short before its counts were written (a crash): the
   * history still reads its changes. */
  exec_sql (f->database, "UPDATE rescore_runs SET tier_changes = 0"
                         " WHERE id = (SELECT max (id) FROM rescore_runs)");
  {
    g_autoptr(GPtrArray) history = NULL;
    g_autofree char *id = NULL;
    gboolean found = FALSE;

    g_assert_cmpint (sqlite3_prepare_v2 (_cp_database_get_handle (f->database),
                                         "SELECT l.id FROM rescore_changes c JOIN leads l"
                                         " ON l.rowid = c.lead_rowid"
                                         " WHERE c.run_id = (SELECT max (id) FROM rescore_runs)"
                                         " LIMIT 1", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    history = cp_lead_store_history (f->store, id, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < history->len; i++)
      {
        CpHistoryEntry *entry = history->pdata[i];

        found |= g_strcmp0 (entry->action, "rescore") == 0 && g_strcmp0 (entry->field, "tier") == 0
                 && g_strcmp0 (entry->actor, "test") == 0;
      }
    g_assert_true (found);
  }
}

/* The tick's decay: a rescore as of a later time; the tier changes it
 * reports are read back from the run's recorded changes (schema 19), one
 * per changed lead, each as the lead now is. */
static void
test_tick_decay_tier_changes (Fixture *f, gconstpointer data)
{
  g_autoptr(CpTickReport) report = NULL;
  g_autoptr(GError) error = NULL;
  guint tiers = 0;

  report = cp_tick_run (f->store, NOW + 365 * 24 * 3600, TRUE, "test", &error);
  g_assert_no_error (error);
  g_assert_true (report->decay_refreshed);
  g_assert_cmpuint (report->tier_changes, >, 0);
  for (guint i = 0; i < report->changes->len; i++)
    {
      CpTickChange *change = report->changes->pdata[i];
      g_autoptr(CpLead) lead = NULL;

      if (change->kind != CP_TICK_TIER)
        continue;
      tiers++;
      g_assert_cmpstr (change->before, !=, change->after);
      lead = cp_lead_store_get (f->store, change->lead_id, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_TIER), ==, change->after);
    }
  g_assert_cmpuint (tiers, ==, report->tier_changes);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/rescore-batches/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("many-batches", test_many_batches);
  ADD ("cancel-between-batches", test_cancel_between_batches);
  ADD ("write-fails", test_write_fails);
  ADD ("tick-decay-tier-changes", test_tick_decay_tier_changes);
#undef ADD

  return g_test_run ();
}
