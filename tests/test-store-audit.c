/* test-store-audit.c — the local store: the audit trail: create, update, move, tombstone, merge
 * and undo, append-only
 *
 * Every case works in its own temporary folder. Times come from a fixed
 * clock (cp_lead_store_set_clock()) so audit rows and ranges are exact.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <sqlite3.h>

#include "cp-activity.h"
#include "cp-lead-store.h"
#include "cp-test-util.h"

static CpHistoryEntry *
find_history (GPtrArray  *history,
              const char *action,
              const char *field)
{
  for (guint i = 0; i < history->len; i++)
    {
      CpHistoryEntry *entry = history->pdata[i];

      if (g_strcmp0 (entry->action, action) == 0 &&
          (field == NULL || g_strcmp0 (entry->field, field) == 0))
        return entry;
    }

  return NULL;
}

static CpHistoryEntry *
require_history (GPtrArray  *history,
                 const char *action,
                 const char *field)
{
  CpHistoryEntry *entry = find_history (history, action, field);

  if (entry == NULL)
    g_error ("no history entry %s/%s", action, field ? field : "*");
  return entry;
}

static guint
count_history (GPtrArray  *history,
               const char *action)
{
  guint n = 0;

  for (guint i = 0; i < history->len; i++)
    n += g_strcmp0 (((CpHistoryEntry *) history->pdata[i])->action, action) == 0;

  return n;
}

static GPtrArray *
get_history (CpLeadStore *store,
             const char  *id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *history = cp_lead_store_history (store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (history);
  return history;
}

static void
test_audit_create (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autoptr(CpLead) lead = cp_test_lead_new ("Amara", "Diallo");
  g_autoptr(CpLead) stored = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  CpHistoryEntry *entry;

  cp_test_now = CP_TEST_T0 + 42;
  g_assert_true (cp_lead_store_create (store, lead, "nurse.kim", &error));
  g_assert_no_error (error);
  id = g_strdup (cp_lead_get_id (lead));
  g_assert_true (g_uuid_string_is_valid (id));

  stored = cp_test_get_lead (store, id);
  g_assert_cmpstr (cp_lead_get_stage (stored), ==, "new");
  g_assert_cmpint (cp_lead_get_int (stored, CP_LEAD_FIELD_CREATED_AT), ==, CP_TEST_T0 + 42);
  g_assert_cmpint (cp_lead_get_int (stored, CP_LEAD_FIELD_UPDATED_AT), ==, CP_TEST_T0 + 42);
  g_assert_cmpint (cp_lead_get_stage_entered_at (stored), ==, CP_TEST_T0 + 42);

  g_assert_cmpint (cp_test_audit_rows (store, id, NULL), ==, 1);
  g_assert_cmpint (cp_test_audit_rows (store, id, "create"), ==, 1);
  g_assert_cmpint (cp_test_stage_event_rows (store, id), ==, 1);

  /* The creation with who routing gave the lead to and why, and its
   * first stage. */
  history = get_history (store, id);
  g_assert_cmpuint (history->len, ==, 2);
  entry = history->pdata[0];
  g_assert_cmpstr (entry->action, ==, "create");
  g_assert_cmpstr (entry->actor, ==, "nurse.kim");
  g_assert_cmpint (entry->time, ==, CP_TEST_T0 + 42);
  g_assert_cmpstr (entry->field, ==, "owner");
  g_assert_cmpstr (entry->new_value, ==, cp_lead_get_text (stored, CP_LEAD_FIELD_OWNER));
  g_assert_nonnull (entry->reason);
  entry = history->pdata[1];
  g_assert_cmpstr (entry->action, ==, "stage");
  g_assert_null (entry->old_value);
  g_assert_cmpstr (entry->new_value, ==, "new");
  g_assert_cmpstr (entry->actor, ==, "nurse.kim");
  g_assert_cmpint (entry->time, ==, CP_TEST_T0 + 42);
}

/* A new lead is written linked to its organization's account (made the
 * first time the organization is seen), and a lead the playbook moved on
 * creation is handed back as stored, with the moves' trail. */
static void
test_create_linked_and_moved (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpDatabase) database = cp_test_open_database_file (tmp->path);
  /* The default playbook, with its automation. */
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  sqlite3 *handle = cp_test_store_handle (store);
  g_autoptr(CpLead) first = cp_test_lead_new ("Amara", "Diallo");
  g_autoptr(CpLead) second = cp_test_lead_new ("Tomas", "Berg");
  g_autoptr(CpLead) won = cp_test_lead_new ("Ines", "Laurent");
  g_autoptr(CpLead) stored = NULL;
  g_autoptr(GError) error = NULL;
  gint64 account;

  cp_lead_store_set_clock (store, cp_test_clock);
  cp_test_now = CP_TEST_T0 + 60;
  cp_lead_set_text (first, CP_LEAD_FIELD_ORGANIZATION, "Harbor Clinic");
  g_assert_true (cp_lead_store_create (store, first, "nurse.kim", &error));
  g_assert_no_error (error);
  g_assert_cmpint (cp_test_store_rows (store, "accounts"), ==, 1);
  account = cp_test_sqlite_int (handle, "SELECT rowid FROM accounts WHERE id ="
                                " (SELECT account_id FROM leads WHERE id = ?1)",
                                cp_lead_get_id (first));
  g_assert_cmpint (account, >, 0);

  /* The same organization, written otherwise: the same account, no other. */
  cp_lead_set_text (second, CP_LEAD_FIELD_ORGANIZATION, "harbor  CLINIC");
  g_assert_true (cp_lead_store_create (store, second, "nurse.kim", &error));
  g_assert_no_error (error);
  g_assert_cmpint (cp_test_store_rows (store, "accounts"), ==, 1);
  g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT rowid FROM accounts WHERE id ="
                                       " (SELECT account_id FROM leads WHERE id = ?1)",
                                       cp_lead_get_id (second)), ==, account);

  /* Created as won: closed by the playbook's rule (onboarding, the next
   * rule, needs what this lead lacks). */
  cp_lead_set_text (won, CP_LEAD_FIELD_ORGANIZATION, "Harbor Clinic");
  cp_lead_set_text (won, CP_LEAD_FIELD_CLOSURE_OUTCOME, "won");
  cp_lead_set_text (won, CP_LEAD_FIELD_CLOSURE_REASON, "agreement_signed");
  cp_lead_set_custom (won, "referral_code", "HC-7");
  g_assert_true (cp_lead_store_create (store, won, "nurse.kim", &error));
  g_assert_no_error (error);
  stored = cp_test_get_lead (store, cp_lead_get_id (won));
  g_assert_cmpstr (cp_lead_get_stage (stored), ==, "closed_won");
  cp_test_assert_leads_equal (stored, won, NULL);
  g_assert_cmpint (cp_lead_get_stage_entered_at (won), ==, cp_lead_get_stage_entered_at (stored));
  g_assert_true (cp_test_custom_fields_equal (stored, won));
  g_assert_cmpint (cp_test_stage_event_rows (store, cp_lead_get_id (won)), ==, 2);
  g_assert_cmpint (cp_test_audit_rows (store, cp_lead_get_id (won), "automation"), ==, 1);
  g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT rowid FROM accounts WHERE id ="
                                       " (SELECT account_id FROM leads WHERE id = ?1)",
                                       cp_lead_get_id (won)), ==, account);
  cp_test_assert_database_sound (database);
}

static void
test_audit_update (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autoptr(CpLead) lead = cp_test_lead_new ("Maria", "Gonzalez");
  g_autoptr(CpLead) edited = NULL;
  g_autoptr(CpLead) stored = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) changes =
      g_ptr_array_new_with_free_func ((GDestroyNotify) cp_test_change_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  static const struct { const char *field, *old_value, *new_value; } expected[] = {
    { "email", "maria@example.org", "maria.g@example.org" },
    { "job_title", NULL, "Charge nurse" },
    { "urgency", "low", "high" },
  };
  guint seen = 0;

  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "maria@example.org");
  cp_lead_set_text (lead, CP_LEAD_FIELD_URGENCY, "low");
  id = cp_test_add_lead (store, lead);
  g_signal_connect (store, "changed", G_CALLBACK (cp_test_store_changed_cb), changes);

  cp_test_now = CP_TEST_T0 + CP_TEST_HOUR;
  edited = cp_test_get_lead (store, id);
  cp_lead_set_text (edited, CP_LEAD_FIELD_EMAIL, "maria.g@example.org");
  cp_lead_set_text (edited, CP_LEAD_FIELD_JOB_TITLE, "Charge nurse");
  cp_lead_set_text (edited, CP_LEAD_FIELD_URGENCY, "high");
  g_assert_true (cp_lead_store_update (store, edited, "sam", "Called back", &error));
  g_assert_no_error (error);

  g_assert_cmpint (cp_test_audit_rows (store, id, "update"), ==, 3);
  g_assert_cmpint (cp_test_audit_rows (store, id, NULL), ==, 4);
  g_assert_cmpint (cp_test_stage_event_rows (store, id), ==, 1);

  history = get_history (store, id);
  for (guint i = 0; i < history->len; i++)
    {
      CpHistoryEntry *entry = history->pdata[i];

      if (g_strcmp0 (entry->action, "update") != 0)
        continue;
      g_assert_cmpuint (seen, <, G_N_ELEMENTS (expected));
      for (guint j = 0; j < G_N_ELEMENTS (expected); j++)
        if (g_strcmp0 (entry->field, expected[j].field) == 0)
          {
            g_assert_cmpstr (entry->old_value, ==, expected[j].old_value);
            g_assert_cmpstr (entry->new_value, ==, expected[j].new_value);
            seen++;
          }
      g_assert_cmpstr (entry->actor, ==, "sam");
      g_assert_cmpstr (entry->reason, ==, "Called back");
      g_assert_cmpint (entry->time, ==, CP_TEST_T0 + CP_TEST_HOUR);
    }
  g_assert_cmpuint (seen, ==, 3);

  stored = cp_test_get_lead (store, id);
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_EMAIL), ==, "maria.g@example.org");
  g_assert_cmpint (cp_lead_get_int (stored, CP_LEAD_FIELD_UPDATED_AT), ==,
                   CP_TEST_T0 + CP_TEST_HOUR);
  g_assert_cmpint (cp_lead_get_int (stored, CP_LEAD_FIELD_CREATED_AT), ==, CP_TEST_T0);
  g_assert_cmpuint (changes->len, ==, 1);
  cp_test_assert_change (changes, 0, id, CP_LEAD_CHANGE_UPDATED);

  /* A yes/no field is audited in its string form. */
  cp_test_now = CP_TEST_T0 + 2 * CP_TEST_HOUR;
  cp_lead_set_int (stored, CP_LEAD_FIELD_DO_NOT_CONTACT, 1);
  g_assert_true (cp_lead_store_update (store, stored, "sam", NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&history, g_ptr_array_unref);
  history = get_history (store, id);
  {
    CpHistoryEntry *entry = require_history (history, "update", "do_not_contact");
    g_assert_cmpstr (entry->old_value, ==, "false");
    g_assert_cmpstr (entry->new_value, ==, "true");
  }
  /* The score the playbook computed for the new urgency is audited as its. */
  {
    CpHistoryEntry *entry = require_history (history, "rescore", "score");
    g_assert_cmpstr (entry->actor, ==, "sam");
    g_assert_nonnull (entry->reason);
  }
}

static void
test_audit_noop_update (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autoptr(CpLead) lead = cp_test_lead_new ("Same", "Again");
  g_autoptr(CpLead) stored = NULL;
  g_autoptr(CpLead) after = NULL;
  g_autoptr(GPtrArray) changes =
      g_ptr_array_new_with_free_func ((GDestroyNotify) cp_test_change_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, "(202) 555-0143");
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "same@example.org");
  cp_lead_set_custom (lead, "insurer", "Acme Health");
  id = cp_test_add_lead (store, lead);
  g_signal_connect (store, "changed", G_CALLBACK (cp_test_store_changed_cb), changes);

  cp_test_now = CP_TEST_T0 + CP_TEST_HOUR;
  stored = cp_test_get_lead (store, id);
  g_assert_true (cp_lead_store_update (store, stored, "sam", NULL, &error));
  g_assert_no_error (error);
  /* The phone as typed again normalises to the stored value: no change. */
  cp_lead_set_text (stored, CP_LEAD_FIELD_PHONE, "202-555-0143");
  g_assert_true (cp_lead_store_update (store, stored, "sam", NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (cp_test_audit_rows (store, id, NULL), ==, 1);
  g_assert_cmpint (cp_test_stage_event_rows (store, id), ==, 1);
  g_assert_cmpuint (changes->len, ==, 0);
  after = cp_test_get_lead (store, id);
  g_assert_cmpint (cp_lead_get_int (after, CP_LEAD_FIELD_UPDATED_AT), ==, CP_TEST_T0);
}

/* A lead from a list query carries no custom fields: saving it keeps the
 * stored ones, and saves a custom field set on it. */
static void
test_update_list_row_keeps_custom_fields (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autoptr(CpLead) lead = cp_test_lead_new ("List", "Row");
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(CpLead) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  CpLead *row;

  cp_lead_set_custom (lead, "insurer", "Acme Health");
  cp_lead_set_custom (lead, "referrer", "Dr. Okafor");
  id = cp_test_add_lead (store, lead);

  rows = cp_lead_store_query (store, query, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_null (cp_lead_get_custom (row, "insurer"));

  cp_test_now = CP_TEST_T0 + CP_TEST_HOUR;
  cp_lead_set_text (row, CP_LEAD_FIELD_JOB_TITLE, "Practice manager");
  cp_lead_set_custom (row, "language", "Twi");
  g_assert_true (cp_lead_store_update (store, row, "sam", NULL, &error));
  g_assert_no_error (error);

  after = cp_test_get_lead (store, id);
  g_assert_cmpstr (cp_lead_get_text (after, CP_LEAD_FIELD_JOB_TITLE), ==, "Practice manager");
  g_assert_cmpstr (cp_lead_get_custom (after, "insurer"), ==, "Acme Health");
  g_assert_cmpstr (cp_lead_get_custom (after, "referrer"), ==, "Dr. Okafor");
  g_assert_cmpstr (cp_lead_get_custom (after, "language"), ==, "Twi");

  /* A full lead (get) still removes a custom field taken off it. */
  cp_lead_set_custom (after, "referrer", NULL);
  g_assert_true (cp_lead_store_update (store, after, "sam", NULL, &error));
  g_clear_object (&after);
  after = cp_test_get_lead (store, id);
  g_assert_null (cp_lead_get_custom (after, "referrer"));
  g_assert_cmpstr (cp_lead_get_custom (after, "insurer"), ==, "Acme Health");
}

static void
test_audit_move (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autofree char *id = cp_test_add_named (store, "Kwame", "Mensah");
  g_autoptr(CpLead) stored = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  CpHistoryEntry *entry;

  cp_test_now = CP_TEST_T0 + CP_TEST_HOUR;
  g_assert_true (cp_lead_store_move (store, id, NULL, "engaged", NULL,
                                     "Replied to the intake email", "sam", NULL, &error));
  g_assert_no_error (error);

  stored = cp_test_get_lead (store, id);
  g_assert_cmpstr (cp_lead_get_stage (stored), ==, "engaged");
  g_assert_cmpint (cp_lead_get_stage_entered_at (stored), ==, CP_TEST_T0 + CP_TEST_HOUR);
  g_assert_cmpint (cp_lead_get_int (stored, CP_LEAD_FIELD_UPDATED_AT), ==,
                   CP_TEST_T0 + CP_TEST_HOUR);
  g_assert_cmpint (cp_test_stage_event_rows (store, id), ==, 2);
  g_assert_cmpint (cp_test_audit_rows (store, id, "move"), ==, 1);
  g_assert_cmpint (cp_test_sqlite_int (cp_test_store_handle (store),
                            "SELECT count(*) FROM audit_log"
                            " WHERE entity_id = ?1 AND action = 'move' AND field = 'stage'"
                            " AND old_value = 'new' AND new_value = 'engaged'"
                            " AND actor = 'sam' AND reason = 'Replied to the intake email'", id),
                   ==, 1);

  history = get_history (store, id);
  g_assert_cmpuint (count_history (history, "stage"), ==, 2);
  entry = history->pdata[history->len - 1];
  g_assert_cmpstr (entry->action, ==, "stage");
  g_assert_cmpstr (entry->old_value, ==, "new");
  g_assert_cmpstr (entry->new_value, ==, "engaged");
  g_assert_cmpstr (entry->reason, ==, "Replied to the intake email");
  g_assert_cmpstr (entry->actor, ==, "sam");
  g_assert_cmpint (entry->time, ==, CP_TEST_T0 + CP_TEST_HOUR);

  /* To the stage it is in, or for a lead that does not exist: errors. */
  g_assert_false (
      cp_lead_store_move (store, id, NULL, "engaged", NULL, "Again", "sam", NULL, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_lead_store_move (store, "no-such-lead", NULL, "engaged", NULL, "Why", "sam",
                                      NULL, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (cp_test_stage_event_rows (store, id), ==, 2);
  g_assert_false (cp_database_in_transaction (cp_lead_store_get_database (store)));
}

static void
test_audit_move_needs_reason (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autofree char *id = cp_test_add_named (store, "No", "Reason");
  g_autoptr(GPtrArray) changes =
      g_ptr_array_new_with_free_func ((GDestroyNotify) cp_test_change_free);
  const char *reasons[] = { NULL, "", "   ", "\t\n", "\xc2\xa0" };
  const char *ids[] = { id, NULL };

  g_signal_connect (store, "changed", G_CALLBACK (cp_test_store_changed_cb), changes);
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (
          cp_lead_store_move (store, id, NULL, "engaged", NULL, reasons[i], "sam", NULL, &error));
      g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "reason"));
      g_clear_error (&error);
      g_assert_cmpint (cp_lead_store_move_stages (store, ids, "engaged", reasons[i], "sam", NULL,
                                                  &error),
                       ==, -1);
      g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
    }

  {
    g_autoptr(CpLead) stored = cp_test_get_lead (store, id);
    g_assert_cmpstr (cp_lead_get_stage (stored), ==, "new");
  }
  g_assert_cmpint (cp_test_stage_event_rows (store, id), ==, 1);
  g_assert_cmpint (cp_test_audit_rows (store, id, NULL), ==, 1);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_false (cp_database_in_transaction (cp_lead_store_get_database (store)));
}

static void
test_audit_tombstone (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autofree char *id = cp_test_add_named (store, "Gone", "Soon");
  g_autofree char *kept = cp_test_add_named (store, "Stays", "Here");
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  CpHistoryEntry *entry;

  cp_test_now = CP_TEST_T0 + CP_TEST_HOUR;
  g_assert_true (cp_lead_store_tombstone (store, id, "Test entry", "sam", &error));
  g_assert_no_error (error);

  cp_test_assert_lead_gone (store, id);
  g_assert_cmpuint (cp_test_count_leads (store, NULL), ==, 1);
  all = cp_test_query_leads (store, NULL, 0, 0);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpstr (cp_lead_get_id (all->pdata[0]), ==, kept);
  found = cp_test_search_ids (store, "gone");
  g_assert_cmpstr (found, ==, "");
  summaries = cp_lead_store_stage_summaries (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cp_test_require_summary (summaries, "new")->count, ==, 1);

  g_assert_cmpint (cp_test_audit_rows (store, id, "tombstone"), ==, 1);
  history = get_history (store, id);
  entry = history->pdata[history->len - 1];
  g_assert_cmpstr (entry->action, ==, "tombstone");
  g_assert_cmpstr (entry->reason, ==, "Test entry");
  g_assert_cmpstr (entry->actor, ==, "sam");
  g_assert_cmpint (entry->time, ==, CP_TEST_T0 + CP_TEST_HOUR);
  /* The row stays, marked. */
  g_assert_cmpint (cp_test_sqlite_int (cp_test_store_handle (store),
                                       "SELECT deleted_at FROM leads WHERE id = ?1", id),
                   ==, CP_TEST_T0 + CP_TEST_HOUR);

  /* A removed lead cannot be removed, moved or edited again. */
  g_assert_false (cp_lead_store_tombstone (store, id, "Again", "sam", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (
      cp_lead_store_move (store, id, NULL, "engaged", NULL, "Why", "sam", NULL, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autoptr(CpLead) ghost = cp_test_lead_new ("Ghost", "Edit");

    cp_lead_set_text (ghost, CP_LEAD_FIELD_ID, id);
    g_assert_false (cp_lead_store_update (store, ghost, "sam", NULL, &error));
    g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  g_assert_cmpint (cp_test_audit_rows (store, id, NULL), ==, 2);
  cp_test_assert_database_sound (cp_lead_store_get_database (store));
}

static char *
add_activity (CpLeadStore    *store,
              const char     *lead_id,
              CpActivityKind  kind,
              gint64          when,
              const char     *detail)
{
  g_autoptr(CpActivity) activity = cp_activity_new_full (NULL, lead_id, kind, when);
  g_autoptr(GError) error = NULL;

  cp_activity_set_detail (activity, detail);
  g_assert_true (cp_lead_store_log_activity (store, activity, NULL, &error));
  g_assert_no_error (error);
  return g_strdup (cp_activity_get_id (activity));
}

/* The activity ids of a lead, sorted and joined. */
static char *
activity_ids (CpLeadStore *store,
              const char  *lead_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) activities = cp_lead_store_list_activities (store, lead_id, &error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  g_assert_no_error (error);
  for (guint i = 0; i < activities->len; i++)
    {
      g_assert_cmpstr (cp_activity_get_lead_id (activities->pdata[i]), ==, lead_id);
      g_ptr_array_add (ids, (gpointer) cp_activity_get_id (activities->pdata[i]));
    }
  g_ptr_array_sort (ids, cp_test_compare_strings);
  g_ptr_array_add (ids, NULL);

  return g_strjoinv (" ", (char **) ids->pdata);
}

static void
test_audit_merge_and_undo (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autoptr(CpLead) keep = cp_test_lead_new ("Maria", "Gonzalez");
  g_autoptr(CpLead) other = cp_test_lead_new ("Maria", "Gonzales");
  g_autoptr(CpLead) keep_before = NULL;
  g_autoptr(CpLead) other_before = NULL;
  g_autoptr(CpLead) merged = NULL;
  g_autoptr(CpLead) keep_after = NULL;
  g_autoptr(CpLead) other_after = NULL;
  g_autoptr(GPtrArray) keep_history = NULL;
  g_autoptr(GPtrArray) other_history = NULL;
  g_autoptr(GPtrArray) changes =
      g_ptr_array_new_with_free_func ((GDestroyNotify) cp_test_change_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *keep_id = NULL;
  g_autofree char *other_id = NULL;
  g_autofree char *merge_id = NULL;
  g_autofree char *keep_activities = NULL;
  g_autofree char *other_activities = NULL;
  g_autofree char *all_activities = NULL;
  g_autofree char *ids = NULL;
  g_autofree char *a1 = NULL, *a2 = NULL, *b1 = NULL, *b2 = NULL, *b3 = NULL;
  static const CpLeadField take[] = { CP_LEAD_FIELD_JOB_TITLE };
  /* What the playbook computes is computed again, as of the undo. */
  static const CpLeadField skip_updated[] = { CP_LEAD_FIELD_UPDATED_AT,
                                              CP_LEAD_FIELD_SCORE,
                                              CP_LEAD_FIELD_FIT_SCORE,
                                              CP_LEAD_FIELD_INTENT_SCORE,
                                              CP_LEAD_FIELD_READINESS_SCORE,
                                              CP_LEAD_FIELD_TIER,
                                              CP_LEAD_N_FIELDS };
  CpHistoryEntry *entry;

  cp_lead_set_text (keep, CP_LEAD_FIELD_EMAIL, "maria@example.org");
  cp_lead_set_text (keep, CP_LEAD_FIELD_JOB_TITLE, "Practice manager");
  cp_lead_set_text (keep, CP_LEAD_FIELD_OWNER, "sam");
  cp_lead_set_text (keep, CP_LEAD_FIELD_NOTES, "Met at the county health fair");
  cp_lead_set_custom (keep, "insurer", "Acme Health");
  keep_id = cp_test_add_lead (store, keep);

  cp_test_now = CP_TEST_T0 + CP_TEST_HOUR;
  cp_lead_set_text (other, CP_LEAD_FIELD_EMAIL, "maria.g@example.net");
  cp_lead_set_text (other, CP_LEAD_FIELD_PHONE, "(202) 555-0143");
  cp_lead_set_text (other, CP_LEAD_FIELD_JOB_TITLE, "Office manager");
  cp_lead_set_text (other, CP_LEAD_FIELD_URGENCY, "high");
  cp_lead_set_text (other, CP_LEAD_FIELD_LOCATION, "Springfield");
  cp_lead_set_int (other, CP_LEAD_FIELD_DO_NOT_CONTACT, 1);
  cp_lead_set_custom (other, "referrer", "Dr. Okafor");
  other_id = cp_test_add_lead (store, other);

  a1 = add_activity (store, keep_id, CP_ACTIVITY_KIND_CALL, CP_TEST_T0 + 2 * CP_TEST_HOUR,
                     "Left a voicemail");
  a2 = add_activity (store, keep_id, CP_ACTIVITY_KIND_NOTE, CP_TEST_T0 + 3 * CP_TEST_HOUR,
                     "Asked for pricing");
  b1 = add_activity (store, other_id, CP_ACTIVITY_KIND_FORM_FILL, CP_TEST_T0 + 2 * CP_TEST_HOUR,
                     "Web form");
  b2 = add_activity (store, other_id, CP_ACTIVITY_KIND_EMAIL_OPEN, CP_TEST_T0 + 4 * CP_TEST_HOUR,
                     "Newsletter");
  b3 = add_activity (store, other_id, CP_ACTIVITY_KIND_PAGE_VISIT, CP_TEST_T0 + 5 * CP_TEST_HOUR,
                     "/pricing");
  keep_activities = cp_test_id_set (a1, a2, NULL);
  other_activities = cp_test_id_set (b1, b2, b3, NULL);
  all_activities = cp_test_id_set (a1, a2, b1, b2, b3, NULL);

  keep_before = cp_test_get_lead (store, keep_id);
  other_before = cp_test_get_lead (store, other_id);
  g_signal_connect (store, "changed", G_CALLBACK (cp_test_store_changed_cb), changes);

  /* Merge: the job title is taken from the other lead on purpose; empty
   * fields of the kept lead are filled from it. */
  cp_test_now = CP_TEST_T0 + 10 * CP_TEST_HOUR;
  merge_id = cp_lead_store_merge (store, keep_id, other_id, take, G_N_ELEMENTS (take), "sam",
                                  &error);
  g_assert_no_error (error);
  g_assert_nonnull (merge_id);
  cp_test_assert_change (changes, 0, NULL, CP_LEAD_CHANGE_BULK);

  merged = cp_test_get_lead (store, keep_id);
  g_assert_cmpstr (cp_lead_get_text (merged, CP_LEAD_FIELD_EMAIL), ==, "maria@example.org");
  g_assert_cmpstr (cp_lead_get_text (merged, CP_LEAD_FIELD_PHONE), ==, "+12025550143");
  g_assert_cmpstr (cp_lead_get_text (merged, CP_LEAD_FIELD_JOB_TITLE), ==, "Office manager");
  g_assert_cmpstr (cp_lead_get_text (merged, CP_LEAD_FIELD_URGENCY), ==, "high");
  g_assert_cmpstr (cp_lead_get_text (merged, CP_LEAD_FIELD_OWNER), ==, "sam");
  g_assert_cmpstr (cp_lead_get_text (merged, CP_LEAD_FIELD_LOCATION), ==, "Springfield");
  /* Scored anew, with both leads' activities and the urgency it got. */
  g_assert_cmpint (cp_lead_get_int (merged, CP_LEAD_FIELD_SCORE), >,
                   cp_lead_get_int (keep_before, CP_LEAD_FIELD_SCORE));
  g_assert_cmpint (cp_lead_get_int (merged, CP_LEAD_FIELD_LAST_ACTIVITY_AT), ==,
                   CP_TEST_T0 + 5 * CP_TEST_HOUR);
  g_assert_cmpint (cp_lead_get_int (merged, CP_LEAD_FIELD_DO_NOT_CONTACT), ==, 1);
  g_assert_cmpstr (cp_lead_get_custom (merged, "insurer"), ==, "Acme Health");
  g_assert_cmpstr (cp_lead_get_custom (merged, "referrer"), ==, "Dr. Okafor");

  cp_test_assert_lead_gone (store, other_id);
  g_assert_cmpuint (cp_test_count_leads (store, NULL), ==, 1);
  ids = activity_ids (store, keep_id);
  g_assert_cmpstr (ids, ==, all_activities);
  g_clear_pointer (&ids, g_free);
  ids = activity_ids (store, other_id);
  g_assert_cmpstr (ids, ==, "");
  g_clear_pointer (&ids, g_free);

  /* Both sides of the merge are in the audit trail. */
  keep_history = get_history (store, keep_id);
  entry = require_history (keep_history, "merge", "merge_id");
  g_assert_cmpstr (entry->new_value, ==, merge_id);
  g_assert_cmpstr (entry->actor, ==, "sam");
  entry = require_history (keep_history, "merge", "phone");
  g_assert_null (entry->old_value);
  g_assert_cmpstr (entry->new_value, ==, "+12025550143");
  entry = require_history (keep_history, "merge", "job_title");
  g_assert_cmpstr (entry->old_value, ==, "Practice manager");
  g_assert_cmpstr (entry->new_value, ==, "Office manager");
  other_history = get_history (store, other_id);
  entry = require_history (other_history, "merged_into", NULL);
  g_assert_cmpstr (entry->new_value, ==, merge_id);
  g_assert_nonnull (strstr (entry->reason, keep_id));
  cp_test_assert_database_sound (cp_lead_store_get_database (store));

  /* Undo: both leads as they were, activities where they were. */
  cp_test_now = CP_TEST_T0 + 11 * CP_TEST_HOUR;
  g_assert_true (cp_lead_store_undo_merge (store, merge_id, "sam", &error));
  g_assert_no_error (error);

  keep_after = cp_test_get_lead (store, keep_id);
  other_after = cp_test_get_lead (store, other_id);
  cp_test_assert_leads_equal (keep_before, keep_after, skip_updated);
  cp_test_assert_leads_equal (other_before, other_after, skip_updated);
  g_assert_cmpuint (cp_test_count_leads (store, NULL), ==, 2);

  ids = activity_ids (store, keep_id);
  g_assert_cmpstr (ids, ==, keep_activities);
  g_clear_pointer (&ids, g_free);
  ids = activity_ids (store, other_id);
  g_assert_cmpstr (ids, ==, other_activities);
  g_clear_pointer (&ids, g_free);
  ids = cp_test_search_ids (store, "gonzales");
  g_assert_cmpstr (ids, ==, other_id);
  g_clear_pointer (&ids, g_free);

  g_assert_cmpint (cp_test_audit_rows (store, keep_id, "unmerge"), >=, 1);
  g_assert_cmpint (cp_test_audit_rows (store, other_id, "unmerge"), ==, 1);
  cp_test_assert_database_sound (cp_lead_store_get_database (store));

  /* Undoing twice is refused and changes nothing. */
  g_assert_false (cp_lead_store_undo_merge (store, merge_id, "sam", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_lead_store_undo_merge (store, "no-such-merge", "sam", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (cp_test_audit_rows (store, other_id, "unmerge"), ==, 1);

  /* A lead cannot be merged into itself. */
  g_assert_null (cp_lead_store_merge (store, keep_id, keep_id, NULL, 0, "sam", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_assert_false (cp_database_in_transaction (cp_lead_store_get_database (store)));

  /* Custom fields are part of the lead: the ones the merge brought must
   * go again (checked last, so the rest of the undo is checked first). */
  g_assert_true (cp_test_custom_fields_equal (other_before, other_after));
  if (!cp_test_custom_fields_equal (keep_before, keep_after))
    g_test_fail_printf ("undo left the custom field referrer = “%s” (from the other lead) "
                        "on the kept lead", cp_lead_get_custom (keep_after, "referrer"));
}

static void
test_audit_merge_chain_undo (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *a = cp_test_add_named (store, "Chain", "Alpha");
  g_autofree char *b = cp_test_add_named (store, "Chain", "Bravo");
  g_autofree char *c = cp_test_add_named (store, "Chain", "Charlie");
  g_autofree char *act_b =
      add_activity (store, b, CP_ACTIVITY_KIND_CALL, CP_TEST_T0 + CP_TEST_HOUR, "B's call");
  g_autofree char *act_c =
      add_activity (store, c, CP_ACTIVITY_KIND_CALL, CP_TEST_T0 + CP_TEST_HOUR, "C's call");
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *ids = NULL;

  /* C into B, then B into A; undo in reverse order. */
  first = cp_lead_store_merge (store, b, c, NULL, 0, "sam", &error);
  g_assert_no_error (error);
  second = cp_lead_store_merge (store, a, b, NULL, 0, "sam", &error);
  g_assert_no_error (error);
  ids = activity_ids (store, a);
  g_assert_cmpuint (strlen (ids), >, strlen (act_b));
  g_clear_pointer (&ids, g_free);

  g_assert_true (cp_lead_store_undo_merge (store, second, "sam", &error));
  g_assert_no_error (error);
  g_assert_true (cp_lead_store_undo_merge (store, first, "sam", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cp_test_count_leads (store, NULL), ==, 3);

  ids = activity_ids (store, a);
  g_assert_cmpstr (ids, ==, "");
  g_clear_pointer (&ids, g_free);
  cp_test_assert_database_sound (cp_lead_store_get_database (store));

  /* Each activity back on the lead it was recorded for. */
  {
    g_autofree char *on_b = activity_ids (store, b);
    g_autofree char *on_c = activity_ids (store, c);

    if (g_strcmp0 (on_b, act_b) != 0 || g_strcmp0 (on_c, act_c) != 0)
      g_test_fail_printf ("after undoing both merges, B has activities [%s] (expected [%s]) "
                          "and C has [%s] (expected [%s])", on_b, act_b, on_c, act_c);
  }
}

static void
test_audit_append_only (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = cp_test_add_named (store, "Append", "Only");
  sqlite3 *handle = cp_test_store_handle (store);
  const char *refused[] = {
    "UPDATE audit_log SET actor = 'mallory'",
    "UPDATE audit_log SET action = 'create' WHERE action = 'move'",
    "DELETE FROM audit_log",
    "DELETE FROM stage_events",
    "UPDATE stage_events SET reason = 'rewritten'",
    "UPDATE stage_events SET to_stage = 'closed_won'",
    "UPDATE stage_events SET device_time = 0",
    /* A replace deletes without firing the DELETE trigger. */
    "INSERT OR REPLACE INTO audit_log (id, entity, entity_id, action, actor, time)"
    " SELECT id, entity, entity_id, action, 'mallory', time FROM audit_log",
    "REPLACE INTO stage_events (id, lead_id, to_stage, reason, device_time)"
    " SELECT id, lead_id, to_stage, 'rewritten', device_time FROM stage_events",
  };
  gint64 audit_before, events_before;

  g_assert_true (
      cp_lead_store_move (store, id, NULL, "engaged", NULL, "Replied", "sam", NULL, &error));
  g_assert_no_error (error);
  audit_before = cp_test_store_rows (store, "audit_log");
  events_before = cp_test_store_rows (store, "stage_events");

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      int rc = sqlite3_exec (handle, refused[i], NULL, NULL, NULL);

      g_assert_cmpint (rc, !=, SQLITE_OK);
      g_assert_cmpint (rc & 0xff, ==, SQLITE_CONSTRAINT);
      g_assert_nonnull (strstr (sqlite3_errmsg (handle), "append-only"));
    }

  g_assert_cmpint (cp_test_store_rows (store, "audit_log"), ==, audit_before);
  g_assert_cmpint (cp_test_store_rows (store, "stage_events"), ==, events_before);
  g_assert_cmpint (cp_test_sqlite_int (handle,
                                       "SELECT count(*) FROM audit_log WHERE actor = 'mallory'",
                                       NULL),
                   ==, 0);
  g_assert_cmpint (cp_test_sqlite_int (handle,
                                       "SELECT count(*) FROM stage_events WHERE reason = "
                                       "'rewritten'",
                                       NULL),
                   ==, 0);

  /* The sync time of a stage event is the one thing that is filled in later. */
  cp_test_sqlite_exec (handle, "UPDATE stage_events SET synced_time = 1700001234");
  g_assert_cmpint (cp_test_sqlite_int (handle,
                            "SELECT count(*) FROM stage_events WHERE synced_time = 1700001234",
                            NULL), ==, events_before);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/update/list-row-keeps-custom-fields",
                   test_update_list_row_keeps_custom_fields);
  g_test_add_func ("/store/audit/create", test_audit_create);
  g_test_add_func ("/store/create/linked-and-moved", test_create_linked_and_moved);
  g_test_add_func ("/store/audit/update", test_audit_update);
  g_test_add_func ("/store/audit/noop-update", test_audit_noop_update);
  g_test_add_func ("/store/audit/move", test_audit_move);
  g_test_add_func ("/store/audit/move-needs-reason", test_audit_move_needs_reason);
  g_test_add_func ("/store/audit/tombstone", test_audit_tombstone);
  g_test_add_func ("/store/audit/merge-and-undo", test_audit_merge_and_undo);
  g_test_add_func ("/store/audit/merge-chain-undo", test_audit_merge_chain_undo);
  g_test_add_func ("/store/audit/append-only", test_audit_append_only);

  return g_test_run ();
}
