/* test-store-bulk.c — bulk moves and field changes: one transaction, one reason per lead
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "cp-database.h"
#include "cp-lead-store.h"
#include "cp-lifecycle-check.h"
#include "cp-test-util.h"

typedef struct
{
  char        *dir;
  CpDatabase  *database;
  CpLeadStore *store;
  char        *ids[6];   /* five leads and a NULL */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  cp_test_tmp_store_open (&f->dir, &f->database, &f->store);
  /* Bulk mechanics: the playbook's stage rules are test-lifecycle's. */
  cp_test_publish_open_playbook (f->database);

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(CpLead) lead = cp_lead_new ();
      g_autofree char *name = g_strdup_printf ("Lead %u", i);

      cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, name);
      cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, i == 4 ? "qualified" : "new");
      g_assert_true (cp_lead_store_create (f->store, lead, "setup", &error));
      g_assert_no_error (error);
      f->ids[i] = g_strdup (cp_lead_get_id (lead));
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
  for (guint i = 0; i < 5; i++)
    g_free (f->ids[i]);
}

static guint
count_stage_events (Fixture    *f,
                    const char *id,
                    const char *reason)
{
  g_autoptr(GPtrArray) history = cp_lead_store_history (f->store, id, NULL);
  guint n = 0;

  g_assert_nonnull (history);
  for (guint i = 0; i < history->len; i++)
    {
      CpHistoryEntry *entry = history->pdata[i];
      if (g_strcmp0 (entry->action, "stage") == 0 && g_strcmp0 (entry->reason, reason) == 0)
        n++;
    }

  return n;
}

static void
changed_cb (CpLeadStore *store,
            const char  *lead_id,
            guint        change,
            guint       *count)
{
  g_assert_null (lead_id);
  g_assert_cmpuint (change, ==, CP_LEAD_CHANGE_BULK);
  (*count)++;
}

static void
test_bulk_move_one_reason_per_lead (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint signals = 0;
  int moved;

  g_signal_connect (f->store, "changed", G_CALLBACK (changed_cb), &signals);
  moved = cp_lead_store_move_stages (f->store, (const char * const *) f->ids, "qualified",
                                     "Budget confirmed at the event", "manager", NULL, &error);
  g_assert_no_error (error);
  /* The lead already in Qualified is not moved again. */
  g_assert_cmpint (moved, ==, 4);
  g_assert_cmpuint (signals, ==, 1);

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(CpLead) lead = cp_lead_store_get (f->store, f->ids[i], &error);
      g_assert_no_error (error);
      g_assert_cmpstr (cp_lead_get_stage (lead), ==, "qualified");
      g_assert_cmpuint (count_stage_events (f, f->ids[i], "Budget confirmed at the event"), ==,
                        i < 4 ? 1 : 0);
    }
}

static void
test_bulk_move_is_all_or_nothing (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *ids[] = { f->ids[0], f->ids[1], "no-such-lead", NULL };
  int moved;

  moved = cp_lead_store_move_stages (f->store, ids, "engaged", "Replied", "manager", NULL, &error);
  g_assert_cmpint (moved, ==, -1);
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  /* The leads before the missing one were rolled back. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(CpLead) lead = cp_lead_store_get (f->store, f->ids[i], NULL);
      g_assert_cmpstr (cp_lead_get_stage (lead), ==, "new");
      g_assert_cmpuint (count_stage_events (f, f->ids[i], "Replied"), ==, 0);
    }

  g_clear_error (&error);
  moved = cp_lead_store_move_stages (f->store, (const char * const *) f->ids, "engaged", " ",
                                     "manager", NULL, &error);
  g_assert_cmpint (moved, ==, -1);
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
}

static void
test_bulk_assign_owner (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  int changed;

  changed = cp_lead_store_set_field_bulk (f->store, (const char * const *) f->ids,
                                          CP_LEAD_FIELD_OWNER, "Dana Whitfield", "manager",
                                          "Cardiology queue rebalanced", &error);
  g_assert_no_error (error);
  g_assert_cmpint (changed, ==, 5);

  /* Setting the same value again changes nothing and audits nothing. */
  changed = cp_lead_store_set_field_bulk (f->store, (const char * const *) f->ids,
                                          CP_LEAD_FIELD_OWNER, "Dana Whitfield", "manager",
                                          NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (changed, ==, 0);

  history = cp_lead_store_history (f->store, f->ids[2], &error);
  g_assert_no_error (error);
  {
    guint owner_rows = 0;
    for (guint i = 0; i < history->len; i++)
      {
        CpHistoryEntry *entry = history->pdata[i];

        /* Routing gave the lead its first owner when it was created. */
        if (g_strcmp0 (entry->field, "owner") == 0 && g_strcmp0 (entry->action, "create") == 0)
          g_assert_cmpstr (entry->new_value, ==, "Intake team");
        else if (g_strcmp0 (entry->field, "owner") == 0)
          {
            owner_rows++;
            g_assert_cmpstr (entry->action, ==, "update");
            g_assert_cmpstr (entry->old_value, ==, "Intake team");
            g_assert_cmpstr (entry->new_value, ==, "Dana Whitfield");
            g_assert_cmpstr (entry->reason, ==, "Cardiology queue rebalanced");
          }
      }
    g_assert_cmpuint (owner_rows, ==, 1);
  }

  /* An invalid value for a choice field changes no lead. */
  changed = cp_lead_store_set_field_bulk (f->store, (const char * const *) f->ids,
                                          CP_LEAD_FIELD_URGENCY, "whenever", "manager", NULL,
                                          &error);
  g_assert_cmpint (changed, ==, -1);
  g_assert_nonnull (error);
}

/* The fast count (trigger-kept totals) against a real count of the rows. */
static void
assert_totals_exact (Fixture *f)
{
  static const char *stages[] = { "new", "engaged", "qualified", "closed_lost", NULL };
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; stages[i] != NULL; i++)
    {
      g_autoptr(CpLeadQuery) fast = cp_lead_query_new ();
      g_autoptr(CpLeadQuery) slow = cp_lead_query_new ();
      guint fast_count = 0;
      guint slow_count = 0;

      fast->stage = g_strdup (stages[i]);
      slow->stage = g_strdup (stages[i]);
      slow->created_from = 1;   /* any other filter takes the row-counting path */
      g_assert_true (cp_lead_store_count (f->store, fast, &fast_count, &error));
      g_assert_true (cp_lead_store_count (f->store, slow, &slow_count, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (fast_count, ==, slow_count);
    }

  problems = cp_database_check_repairable (f->database, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
test_stage_totals_follow_every_write (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *merge_id = NULL;
  guint total = 0;

  assert_totals_exact (f);

  g_assert_true (cp_lead_store_move (f->store, f->ids[0], NULL, "engaged", NULL, "Replied", "t",
                                     NULL, &error));
  assert_totals_exact (f);

  {
    g_autoptr(CpLead) lead = cp_lead_store_get (f->store, f->ids[1], &error);
    gint64 before = cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE);

    /* A service line the playbook scores: the score moves, and the totals. */
    cp_lead_set_text (lead, CP_LEAD_FIELD_SERVICE_LINE, "cardiology");
    g_assert_true (cp_lead_store_update (f->store, lead, "t", NULL, &error));
    g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE), >, before);
  }
  assert_totals_exact (f);

  g_assert_true (cp_lead_store_tombstone (f->store, f->ids[2], "Test lead", "t", &error));
  assert_totals_exact (f);

  merge_id = cp_lead_store_merge (f->store, f->ids[3], f->ids[1], NULL, 0, "t", &error);
  g_assert_no_error (error);
  assert_totals_exact (f);
  g_assert_true (cp_lead_store_undo_merge (f->store, merge_id, "t", &error));
  assert_totals_exact (f);

  g_assert_cmpint (cp_lead_store_move_stages (f->store, (const char * const *) f->ids + 3,
                                              "closed_lost", "No budget", "t", NULL, &error),
                   ==, 2);
  assert_totals_exact (f);

  g_assert_true (cp_lead_store_count (f->store, NULL, &total, &error));
  g_assert_cmpuint (total, ==, 4);
}

/* A contact of @organization who answered a call just now. */
static char *
engaged_contact (Fixture    *f,
                 const char *organization,
                 guint       i)
{
  g_autofree char *name = g_strdup_printf ("Contact %u", i);
  g_autofree char *id = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, name,
                                             CP_LEAD_FIELD_ORGANIZATION, organization,
                                             CP_LEAD_N_FIELDS);
  g_autoptr(CpActivity) call = cp_activity_new ();
  g_autoptr(GError) error = NULL;

  cp_activity_set_lead_id (call, id);
  cp_activity_set_kind (call, CP_ACTIVITY_KIND_CALL);
  cp_activity_set_actor (call, "desk");
  g_assert_true (cp_lead_store_log_activity (f->store, call, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&id);
}

static gint64
readiness (Fixture    *f,
           const char *id)
{
  g_autoptr(CpLead) lead = cp_lead_store_get (f->store, id, NULL);

  return cp_lead_get_int (lead, CP_LEAD_FIELD_READINESS_SCORE);
}

/* The account boost (2 points per other engaged contact, 8 at most) is
 * kept current as contacts engage: in a small organization the others
 * are scored again; in one with more engaged contacts than the boost
 * tells apart they are left alone, and still agree with a recomputation. */
static void
test_account_boost_follows_contacts (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) big = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *a = engaged_contact (f, "Small Clinic", 0);
  g_autofree char *b = engaged_contact (f, "Small Clinic", 1);
  g_autofree char *c = NULL;
  g_autofree char *last = NULL;
  gint64 before, audit_rows;

  /* One other engaged contact: 2 points. Two: 4, and the playbook's rule
   * for organizations with at least two engaged contacts adds 5. */
  before = readiness (f, a);
  g_assert_cmpint (before, ==, 2);
  c = engaged_contact (f, "Small Clinic", 2);
  g_assert_cmpint (readiness (f, a), ==, 4 + 5);
  g_assert_cmpint (readiness (f, b), ==, 4 + 5);
  g_assert_cmpint (readiness (f, c), ==, 4 + 5);

  for (guint i = 0; i < 7; i++)
    g_ptr_array_add (big, engaged_contact (f, "Big Health", 10 + i));
  before = readiness (f, big->pdata[0]);
  audit_rows = cp_test_sql_int (f->database, "SELECT count(*) FROM audit_log WHERE entity_id = ?",
                                big->pdata[0]);
  last = engaged_contact (f, "Big Health", 99);
  /* Six others were already past the most the boost gives. */
  g_assert_cmpint (readiness (f, big->pdata[0]), ==, before);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM audit_log WHERE entity_id = ?",
                                    big->pdata[0]),
                   ==, audit_rows);
  g_assert_cmpint (readiness (f, last), ==, before);

  {
    gint64 version = 0;
    g_autoptr(CpPlaybook) playbook = cp_lead_store_get_playbook (f->store, &version, &error);
    g_autoptr(GPtrArray) findings = cp_lifecycle_check_leads (f->database, playbook, version,
                                                              cp_lead_store_now (f->store), &error);

    g_assert_no_error (error);
    if (findings->len > 0)
      g_error ("%s", (char *) findings->pdata[0]);
  }
}

static void
test_account_contacts (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) a = cp_lead_store_get (f->store, f->ids[0], NULL);
  g_autoptr(CpLead) b = cp_lead_store_get (f->store, f->ids[1], NULL);
  g_autoptr(CpLead) c = cp_lead_store_get (f->store, f->ids[2], NULL);
  guint n = 99;

  g_assert_true (cp_lead_store_count_account_contacts (f->store, f->ids[0], 0, &n, &error));
  g_assert_cmpuint (n, ==, 0);   /* no organization, no account */

  cp_lead_set_text (a, CP_LEAD_FIELD_ORGANIZATION, "Cedar Valley Family Clinic");
  cp_lead_set_text (b, CP_LEAD_FIELD_ORGANIZATION, "  cedar valley family clinic ");
  cp_lead_set_text (c, CP_LEAD_FIELD_ORGANIZATION, "Riverside Cardiology");
  g_assert_true (cp_lead_store_update (f->store, a, "t", NULL, &error));
  g_assert_true (cp_lead_store_update (f->store, b, "t", NULL, &error));
  g_assert_true (cp_lead_store_update (f->store, c, "t", NULL, &error));
  g_assert_no_error (error);

  g_assert_true (cp_lead_store_count_account_contacts (f->store, f->ids[0], 0, &n, &error));
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (cp_lead_store_count_account_contacts (f->store, f->ids[2], 0, &n, &error));
  g_assert_cmpuint (n, ==, 1);
  /* Only contacts active since a time count as engaged. */
  g_assert_true (
      cp_lead_store_count_account_contacts (f->store, f->ids[0], G_MAXINT64, &n, &error));
  g_assert_cmpuint (n, ==, 0);

  /* Moving to another organization moves the account. */
  cp_lead_set_text (b, CP_LEAD_FIELD_ORGANIZATION, "Riverside Cardiology");
  g_assert_true (cp_lead_store_update (f->store, b, "t", NULL, &error));
  g_assert_true (cp_lead_store_count_account_contacts (f->store, f->ids[2], 0, &n, &error));
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (cp_lead_store_count_account_contacts (f->store, f->ids[0], 0, &n, &error));
  g_assert_cmpuint (n, ==, 1);

  g_assert_false (cp_lead_store_count_account_contacts (f->store, "no-such-lead", 0, &n, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
}

static void
external_changed_cb (CpLeadStore *store,
                     const char  *lead_id,
                     guint        change,
                     guint       *count)
{
  g_assert_cmpuint (change, ==, CP_LEAD_CHANGE_BULK);
  (*count)++;
}

static gboolean
quit_loop_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
test_watch_external_changes (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "leads.db", NULL);
  g_autoptr(CpDatabase) other_db = cp_database_open (path, NULL);
  g_autoptr(CpLeadStore) other = cp_lead_store_new (other_db);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;
  guint changes = 0;

  g_signal_connect (f->store, "changed", G_CALLBACK (external_changed_cb), &changes);
  cp_lead_store_watch_external_changes (f->store, 20);

  /* Nothing happens: nothing is announced. */
  g_timeout_add (100, quit_loop_cb, loop);
  g_main_loop_run (loop);
  g_assert_cmpuint (changes, ==, 0);

  /* Another connection (a CLI, a sync worker) commits: the store says so. */
  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "From the CLI");
  g_assert_true (cp_lead_store_create (other, lead, "cli", &error));
  g_assert_no_error (error);
  g_timeout_add (200, quit_loop_cb, loop);
  g_main_loop_run (loop);
  g_assert_cmpuint (changes, ==, 1);

  cp_lead_store_watch_external_changes (f->store, 0);
  g_signal_handlers_disconnect_by_func (f->store, external_changed_cb, &changes);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store-bulk/move-one-reason-per-lead", Fixture, NULL, fixture_set_up,
              test_bulk_move_one_reason_per_lead, fixture_tear_down);
  g_test_add ("/store-bulk/move-all-or-nothing", Fixture, NULL, fixture_set_up,
              test_bulk_move_is_all_or_nothing, fixture_tear_down);
  g_test_add ("/store-bulk/assign-owner", Fixture, NULL, fixture_set_up,
              test_bulk_assign_owner, fixture_tear_down);

  g_test_add ("/store-bulk/stage-totals-follow-every-write", Fixture, NULL, fixture_set_up,
              test_stage_totals_follow_every_write, fixture_tear_down);

  g_test_add ("/store-bulk/account-boost-follows-contacts", Fixture, NULL, fixture_set_up,
              test_account_boost_follows_contacts, fixture_tear_down);
  g_test_add ("/store-bulk/account-contacts", Fixture, NULL, fixture_set_up,
              test_account_contacts, fixture_tear_down);
  g_test_add ("/store-bulk/watch-external-changes", Fixture, NULL, fixture_set_up,
              test_watch_external_changes, fixture_tear_down);

  return g_test_run ();
}
