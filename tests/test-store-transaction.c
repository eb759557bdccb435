/* test-store-transaction.c — the local store: transactions and the ::changed signal: nested
 * rollback, nothing before commit
 *
 * Every case works in its own temporary folder. Times come from a fixed
 * clock (cp_lead_store_set_clock()) so audit rows and ranges are exact.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "cp-bulk-load.h"
#include "cp-core-error.h"
#include "cp-lead-store.h"
#include "cp-test-util.h"

/* A listener that reads the store when told: the change must be committed
 * and visible by then. */
static void
store_changed_read_cb (CpLeadStore *store,
                       const char  *lead_id,
                       guint        change,
                       gpointer     user_data)
{
  guint *calls = user_data;

  (*calls)++;
  g_assert_false (cp_database_in_transaction (cp_lead_store_get_database (store)));
  if (lead_id == NULL)
    return;
  if (change == CP_LEAD_CHANGE_REMOVED)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CpLead) lead = cp_lead_store_get (store, lead_id, &error);

      g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CpLead) lead = cp_lead_store_get (store, lead_id, &error);

      g_assert_no_error (error);
      if (change == CP_LEAD_CHANGE_MOVED)
        g_assert_cmpint (cp_lead_get_stage_entered_at (lead), ==, cp_lead_store_now (store));
    }
}

static void
test_transaction_nested_rollback (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  CpDatabase *database = cp_lead_store_get_database (store);
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;

  /* Inner rollback: the outer transaction keeps its own writes. */
  g_assert_true (cp_database_begin (database, &error));
  g_assert_no_error (error);
  g_assert_true (cp_database_in_transaction (database));
  a = cp_test_add_named (store, "Outer", "Alpha");
  g_assert_true (cp_database_begin (database, &error));
  b = cp_test_add_named (store, "Inner", "Bravo");
  cp_database_rollback (database);
  g_assert_true (cp_database_in_transaction (database));
  c = cp_test_add_named (store, "Outer", "Charlie");
  g_assert_true (cp_database_commit (database, &error));
  g_assert_no_error (error);
  g_assert_false (cp_database_in_transaction (database));

  g_object_unref (cp_test_get_lead (store, a));
  g_object_unref (cp_test_get_lead (store, c));
  cp_test_assert_lead_gone (store, b);
  g_assert_cmpint (cp_test_audit_rows (store, b, NULL), ==, 0);
  g_assert_cmpint (cp_test_stage_event_rows (store, b), ==, 0);
  g_assert_cmpuint (cp_test_count_leads (store, NULL), ==, 2);

  /* Outer rollback: everything goes, committed savepoints included. */
  g_assert_true (cp_database_begin (database, &error));
  d = cp_test_add_named (store, "Outer", "Delta");
  g_assert_true (cp_database_begin (database, &error));
  e = cp_test_add_named (store, "Inner", "Echo");
  g_assert_true (cp_database_commit (database, &error));
  g_assert_true (cp_database_in_transaction (database));
  cp_database_rollback (database);
  g_assert_false (cp_database_in_transaction (database));

  cp_test_assert_lead_gone (store, d);
  cp_test_assert_lead_gone (store, e);
  g_assert_cmpint (cp_test_audit_rows (store, d, NULL), ==, 0);
  g_assert_cmpint (cp_test_audit_rows (store, e, NULL), ==, 0);
  g_assert_cmpuint (cp_test_count_leads (store, NULL), ==, 2);
  {
    g_autofree char *found = cp_test_search_ids (store, "delta");
    g_assert_cmpstr (found, ==, "");
  }
  cp_test_assert_database_sound (database);

  /* A failed create inside a transaction does not spoil the rest of it. */
  g_assert_true (cp_database_begin (database, &error));
  {
    g_autoptr(CpLead) clash = cp_test_lead_new ("Clash", "Id");

    cp_lead_set_text (clash, CP_LEAD_FIELD_ID, a);
    g_assert_false (cp_lead_store_create (store, clash, "tester", &error));
    g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }
  g_free (d);
  d = cp_test_add_named (store, "After", "Clash");
  g_assert_true (cp_database_commit (database, &error));
  g_assert_no_error (error);
  g_object_unref (cp_test_get_lead (store, d));
  g_assert_cmpuint (cp_test_count_leads (store, NULL), ==, 3);
  cp_test_assert_database_sound (database);
}

static void
test_transaction_changed_signal (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autoptr(GPtrArray) changes =
      g_ptr_array_new_with_free_func ((GDestroyNotify) cp_test_change_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *second = NULL;
  g_autofree char *merge_id = NULL;
  guint reads = 0;

  g_signal_connect (store, "changed", G_CALLBACK (cp_test_store_changed_cb), changes);
  g_signal_connect (store, "changed", G_CALLBACK (store_changed_read_cb), &reads);

  id = cp_test_add_named (store, "Signal", "Watcher");
  g_assert_cmpuint (changes->len, ==, 1);
  cp_test_assert_change (changes, 0, id, CP_LEAD_CHANGE_CREATED);

  g_assert_true (
      cp_lead_store_move (store, id, NULL, "engaged", NULL, "Replied", "sam", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 2);
  cp_test_assert_change (changes, 1, id, CP_LEAD_CHANGE_MOVED);

  {
    g_autoptr(CpLead) edited = cp_test_get_lead (store, id);

    cp_lead_set_text (edited, CP_LEAD_FIELD_OWNER, "kim");
    g_assert_true (cp_lead_store_update (store, edited, "sam", NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (changes->len, ==, 3);
    cp_test_assert_change (changes, 2, id, CP_LEAD_CHANGE_UPDATED);

    /* The stage changes only by a move: an update refuses it. */
    cp_lead_set_text (edited, CP_LEAD_FIELD_STAGE, "qualified");
    g_assert_false (cp_lead_store_update (store, edited, "sam", "Budget confirmed", &error));
    g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_REFUSED);
    g_clear_error (&error);
    g_assert_cmpuint (changes->len, ==, 3);
    g_assert_true (cp_lead_store_move (store, id, NULL, "qualified", NULL, "Budget confirmed",
                                       "sam", NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (changes->len, ==, 4);
    cp_test_assert_change (changes, 3, id, CP_LEAD_CHANGE_MOVED);
  }

  /* Failures announce nothing. */
  g_assert_false (cp_lead_store_move (store, id, NULL, "engaged", NULL, NULL, "sam", NULL, &error));
  g_clear_error (&error);
  {
    g_autoptr(CpLead) bad = cp_test_lead_new ("Bad", "Email");

    cp_lead_set_text (bad, CP_LEAD_FIELD_EMAIL, "not an email");
    g_assert_false (cp_lead_store_create (store, bad, "sam", &error));
    g_clear_error (&error);
  }
  g_assert_cmpuint (changes->len, ==, 4);

  second = cp_test_add_named (store, "Signal", "Watchers");
  g_assert_cmpuint (changes->len, ==, 5);
  merge_id = cp_lead_store_merge (store, id, second, NULL, 0, "sam", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 6);
  cp_test_assert_change (changes, 5, NULL, CP_LEAD_CHANGE_BULK);
  g_assert_true (cp_lead_store_undo_merge (store, merge_id, "sam", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 7);
  cp_test_assert_change (changes, 6, NULL, CP_LEAD_CHANGE_BULK);

  g_assert_true (cp_lead_store_tombstone (store, id, "Test", "sam", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 8);
  cp_test_assert_change (changes, 7, id, CP_LEAD_CHANGE_REMOVED);

  g_assert_cmpuint (reads, ==, changes->len);
  g_signal_handlers_disconnect_by_func (store, cp_test_store_changed_cb, changes);
  g_signal_handlers_disconnect_by_func (store, store_changed_read_cb, &reads);
}

/* ::changed says "emitted after a change is committed": inside an outer
 * transaction that is rolled back, nothing was committed. */
static void
test_transaction_no_signal_before_commit (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  CpDatabase *database = cp_lead_store_get_database (store);
  g_autoptr(GPtrArray) changes =
      g_ptr_array_new_with_free_func ((GDestroyNotify) cp_test_change_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_signal_connect (store, "changed", G_CALLBACK (cp_test_store_changed_cb), changes);
  g_assert_true (cp_database_begin (database, &error));
  id = cp_test_add_named (store, "Never", "Committed");
  cp_database_rollback (database);
  cp_test_assert_lead_gone (store, id);

  if (changes->len != 0)
    g_test_fail_printf ("::changed (CREATED %s) was emitted for a lead whose transaction was then "
                        "rolled back", id);
}

/* While a deferred bulk load (a first sync larger than the database, a
 * large import) holds the write lock, another connection of the app asking
 * to write is told why at once — not after the five seconds' busy wait —
 * and can still read; once the load ends, it writes again. */
static void
test_transaction_held_by_bulk_load (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) loader = cp_test_open_store (tmp->path);
  g_autoptr(CpLeadStore) window = NULL;
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;
  CpBulkLoad *load;
  guint count = 0;
  gint64 start;

  window = cp_lead_store_new (cp_database_open (cp_database_get_path (
                                  cp_lead_store_get_database (loader)), &error));
  g_assert_no_error (error);
  load = cp_bulk_load_begin (cp_lead_store_get_database (loader), 1000, CP_BULK_LOAD_AUTO, &error);
  g_assert_no_error (error);
  g_assert_true (cp_bulk_load_is_deferred (load));
  g_free (cp_test_add_named (loader, "Loaded", "First"));   /* the load's own writes go on */

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Typed");
  start = g_get_monotonic_time ();
  g_assert_false (cp_lead_store_create (window, lead, "tester", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "large batch"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
  g_clear_error (&error);
  g_assert_true (cp_lead_store_count (window, NULL, &count, &error));   /* reading goes on */
  g_assert_no_error (error);

  g_assert_true (cp_bulk_load_finish (load, &error));
  g_assert_no_error (error);
  g_assert_true (cp_lead_store_create (window, lead, "tester", &error));
  g_assert_no_error (error);
  g_assert_true (cp_lead_store_count (window, NULL, &count, &error));
  g_assert_cmpuint (count, ==, 2);
  g_object_unref (cp_lead_store_get_database (window));   /* the one cp_database_open() gave */
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/transaction/nested-rollback", test_transaction_nested_rollback);
  g_test_add_func ("/store/transaction/changed-signal", test_transaction_changed_signal);
  g_test_add_func ("/store/transaction/held-by-bulk-load", test_transaction_held_by_bulk_load);
  g_test_add_func ("/store/transaction/no-signal-before-commit",
                   test_transaction_no_signal_before_commit);

  return g_test_run ();
}
