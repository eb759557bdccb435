/* test-person.c — a person's data on request (export) and erasure that really erases
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <poppler.h>
#include <string.h>
#include <sys/stat.h>

#include "cp-cli-test-util.h"
#include "cp-database-private.h"
#include "cp-person-erase.h"
#include "cp-person-export.h"
#include "cp-person-summary.h"
#include "cp-sync-store.h"
#include "cp-test-util.h"

/* Stored in every form the search index or a key may fold it to: the
 * scan below ignores ASCII case. */
#define MARKER "ZQXMARKER"

/* The fields that hold the person's own data, as free text. */
static const CpLeadField personal_fields[] = {
  CP_LEAD_FIELD_FIRST_NAME, CP_LEAD_FIELD_LAST_NAME, CP_LEAD_FIELD_ORGANIZATION,
  CP_LEAD_FIELD_JOB_TITLE, CP_LEAD_FIELD_SERVICE_LINE, CP_LEAD_FIELD_LOCATION,
  CP_LEAD_FIELD_REGION, CP_LEAD_FIELD_REFERRAL_SOURCE, CP_LEAD_FIELD_CAMPAIGN,
  CP_LEAD_FIELD_ROLLOUT_WINDOW, CP_LEAD_FIELD_VENDOR_STATUS, CP_LEAD_FIELD_REVIEW_PERIOD,
  CP_LEAD_FIELD_CONSENT_CAPTURED_BY, CP_LEAD_FIELD_CONSENT_SOURCE,
  CP_LEAD_FIELD_CONSENT_NOTICE_VERSION, CP_LEAD_FIELD_NOTES,
};

typedef struct
{
  char        *dir;
  char        *path;
  CpDatabase  *database;
  CpLeadStore *store;
} Fixture;

static gint64 fake_now = 1700000000;

static gint64
fake_clock (void)
{
  return fake_now++;
}

static void
fixture_open (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->database = cp_database_open (f->path, &error);
  g_assert_no_error (error);
  f->store = cp_lead_store_new (f->database);
  cp_lead_store_set_clock (f->store, fake_clock);
}

static void
fixture_close (Fixture *f)
{
  g_clear_object (&f->store);
  g_clear_object (&f->database);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = cp_test_make_tmp_dir ();
  f->path = g_build_filename (f->dir, "leads.db", NULL);
  fixture_open (f);
  cp_test_publish_open_playbook (f->database);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  fixture_close (f);
  cp_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* ------------------------------------------------------------------ */
/* Looking for the marker in the files, byte by byte                   */
/* ------------------------------------------------------------------ */

static gboolean
contains_marker (const char *data,
                 gsize       length)
{
  gsize n = strlen (MARKER);

  for (gsize i = 0; i + n <= length; i++)
    if (g_ascii_strncasecmp (data + i, MARKER, n) == 0)
      return TRUE;
  return FALSE;
}

/* The database, its -wal and -shm, and its backups (`leads.db.bak-vN`):
 * how many of them hold the marker. Names the files in the test log. */
static guint
count_files_with_marker (Fixture *f,
                         guint   *out_files)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;
  guint found = 0;

  g_assert_nonnull (dir);
  *out_files = 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      gsize length = 0;
      g_autoptr(GError) error = NULL;

      if (!g_str_has_prefix (name, "leads.db"))
        continue;
      path = g_build_filename (f->dir, name, NULL);
      g_file_get_contents (path, &contents, &length, &error);
      g_assert_no_error (error);
      (*out_files)++;
      if (contains_marker (contents, length))
        {
          g_test_message ("%s (%" G_GSIZE_FORMAT " bytes) holds the marker", name, length);
          found++;
        }
    }
  return found;
}

static void
assert_no_marker_anywhere (Fixture *f)
{
  guint files = 0;

  g_assert_cmpuint (count_files_with_marker (f, &files), ==, 0);
  g_assert_cmpuint (files, >=, 1);
}

static guint
count_backups (Fixture *f)
{
  g_autoptr(GPtrArray) backups = cp_person_list_backups (f->database);

  return backups->len;
}

/* ------------------------------------------------------------------ */
/* A person with the marker everywhere                                 */
/* ------------------------------------------------------------------ */

static char *
marked (const char *what,
        guint       edit)
{
  return g_strdup_printf ("%s %s v%u", MARKER, what, edit);
}

static void
fill_personal_fields (CpLead *lead,
                      guint   edit)
{
  g_autofree char *email = g_strdup_printf ("zqxmarker.%u@example.org", edit);

  for (guint i = 0; i < G_N_ELEMENTS (personal_fields); i++)
    {
      g_autofree char *value = marked (cp_lead_field_info (personal_fields[i])->name, edit);
      cp_lead_set_text (lead, personal_fields[i], value);
    }
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, email);
  cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, "+12025550143");
  cp_lead_set_text (lead, CP_LEAD_FIELD_CONSENT_STATUS, "granted");
}

static void
log_marked_activity (CpLeadStore    *store,
                     const char     *lead_id,
                     CpActivityKind  kind,
                     const char     *what)
{
  g_autoptr(CpActivity) activity = cp_activity_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = marked (what, 0);

  cp_activity_set_lead_id (activity, lead_id);
  cp_activity_set_kind (activity, kind);
  cp_activity_set_detail (activity, detail);
  cp_activity_set_actor (activity, "Intake Staff");
  g_assert_true (cp_lead_store_log_activity (store, activity, NULL, &error));
  g_assert_no_error (error);
}

/* Creates the person, edits every field twice (the audit trail then holds
 * old values), logs a note and a call, moves the lead with a reason that
 * quotes the person, links a CRM contact with a quarantined record and a
 * conflict that hold the marker. */
static char *
create_marked_person (Fixture *f)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CpSyncStore) sync = NULL;
  g_autoptr(GHashTable) base = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *id = NULL;
  g_autofree char *payload = NULL;

  fill_personal_fields (lead, 0);
  cp_lead_set_custom (lead, "diagnosis", MARKER " diagnosis v0");
  g_assert_true (cp_lead_store_create (f->store, lead, "test", &error));
  g_assert_no_error (error);
  id = g_strdup (cp_lead_get_id (lead));

  for (guint edit = 1; edit <= 2; edit++)
    {
      g_autoptr(CpLead) edited = cp_lead_store_get (f->store, id, &error);
      g_autofree char *reason = marked ("edit reason", edit);
      g_autofree char *custom = marked ("diagnosis", edit);

      g_assert_no_error (error);
      fill_personal_fields (edited, edit);
      cp_lead_set_custom (edited, "diagnosis", custom);
      g_assert_true (cp_lead_store_update (f->store, edited, "test", reason, &error));
      g_assert_no_error (error);
    }
  log_marked_activity (f->store, id, CP_ACTIVITY_KIND_NOTE, "note");
  log_marked_activity (f->store, id, CP_ACTIVITY_KIND_CALL, "call");
  g_assert_true (cp_lead_store_move (f->store, id, NULL, "engaged", NULL,
                                     MARKER " asked about her diagnosis", "test", NULL, &error));
  g_assert_no_error (error);

  sync = cp_sync_store_new (f->store, "hubspot");
  g_hash_table_insert (base, "firstname", (gpointer) MARKER " base");
  g_assert_true (
      cp_sync_store_set_link (sync, id, "hs-4242", "2026-01-01T00:00:00Z", base, &error));
  g_assert_no_error (error);
  payload =
      g_strdup_printf ("{\"firstname\": \"%s payload\", \"carepath_id\": \"%s\"}", MARKER, id);
  g_assert_true (cp_sync_store_quarantine (sync, "hs-4242", "2026-01-02T00:00:00Z", payload,
                                           "Refused: " MARKER, fake_clock (), &error));
  g_assert_no_error (error);
  g_assert_true (cp_sync_store_add_conflict (sync, id, "first_name", MARKER " b", MARKER " l",
                                             MARKER " r", "2026-01-03T00:00:00Z", NULL, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&id);
}

/* A database first written by schema 11 with the person in it: the
 * upgrade leaves a backup (`leads.db.bak-v11`) holding the person. */
static void
create_old_database_with_marker (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) old = _cp_database_open_at_version (f->path, 11, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (_cp_database_get_handle (old),
                                 "INSERT INTO leads (id, first_name, last_name, notes, created_at,"
                                 " updated_at) VALUES ('old-person', 'Zqxmarker', 'Old',"
                                 " 'ZQXMARKER from before the upgrade', 1600000000, 1600000000)",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
}

static void
assert_tombstone (Fixture    *f,
                  const char *id)
{
  g_autoptr(GError) error = NULL;
  gint64 erased_at = 0;
  g_autoptr(CpLead) lead = NULL;

  erased_at = cp_test_erased_at (f->store, id);
  g_assert_cmpint (erased_at, >, 0);
  /* Gone from every view, but the row stays for counts and the funnel. */
  lead = cp_lead_store_get (f->store, id, &error);
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_assert_null (lead);
  g_assert_cmpint (cp_test_sql_int (f->database, "SELECT count(*) FROM leads WHERE id = ?1", id),
                   ==, 1);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM leads WHERE id = ?1 AND first_name IS "
                                    "NULL"
                                    " AND email IS NULL AND notes IS NULL AND email_key IS NULL"
                                    " AND name_key IS NULL AND stage IS NOT NULL",
                                    id),
                   ==, 1);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM lead_custom_fields WHERE lead_id = ?1",
                                    id),
                   ==, 0);
}

/* SQLite's checks, the search index against its rows, foreign keys. */
static void
assert_database_sound (Fixture *f)
{
  sqlite3 *handle = _cp_database_get_handle (f->database);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (handle, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (handle, "INSERT INTO leads_fts (leads_fts, rank)"
                                         " VALUES ('integrity-check', 1)",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "PRAGMA foreign_key_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

static void
test_erase_leaves_no_trace (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpErasurePreview) preview = NULL;
  g_autofree char *id = NULL;
  g_autofree char *other = NULL;
  CpErasureResult result = { 0, };
  gint64 events, audit_rows, leads;
  guint files = 0;

  /* A database upgraded from schema 11: its backup holds an older person. */
  fixture_close (f);
  g_remove (f->path);
  create_old_database_with_marker (f);
  fixture_open (f);
  g_assert_cmpuint (count_backups (f), ==, 1);
  cp_test_publish_open_playbook (f->database);

  id = create_marked_person (f);
  other = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Bystander",
                               CP_LEAD_FIELD_NOTES, "Nothing to hide", CP_LEAD_N_FIELDS);
  /* The scan does see the marker before. */
  g_assert_cmpuint (count_files_with_marker (f, &files), >=, 2);

  preview = cp_person_erase_preview (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (preview->n_leads, ==, 1);
  g_assert_cmpuint (preview->n_fields, >=, G_N_ELEMENTS (personal_fields));
  g_assert_cmpuint (preview->n_custom_fields, ==, 1);
  g_assert_cmpuint (preview->n_activities, ==, 2);
  g_assert_cmpuint (preview->n_history, >, 10);
  g_assert_cmpuint (g_strv_length (preview->crm_backends), ==, 1);
  g_assert_cmpstr (preview->crm_backends[0], ==, "hubspot");
  g_assert_cmpuint (preview->n_backups, ==, 1);
  g_assert_cmpuint (preview->n_sync_records, >=, 2);

  events =
      cp_test_sql_int (f->database, "SELECT count(*) FROM stage_events WHERE lead_id = ?1", id);
  audit_rows = cp_test_sql_int (f->database, "SELECT count(*) FROM audit_log", NULL);
  leads = cp_test_count_rows (f->database, "leads");

  g_assert_true (cp_person_erase (f->store, id, "cli:tester", "Request #77 by email", &result,
                                  &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.erasure_id, >, 0);
  g_assert_cmpuint (result.n_leads, ==, 1);
  g_assert_cmpuint (result.n_crm_deletes, ==, 1);
  g_assert_cmpuint (result.n_backups_removed, ==, 1);
  g_assert_true (result.wal_emptied);

  /* The erasure log: who, when, why, the lead; nothing of the person. */
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM erasures WHERE lead_id = ?1"
                                    " AND actor = 'cli:tester' AND reason = 'Request #77 by email'"
                                    " AND erased_at > 0 AND crm_deletes = 1",
                                    id),
                   ==, 1);
  /* Counts and the funnel stay right: the row and its stage history stay. */
  g_assert_cmpint (cp_test_count_rows (f->database, "leads"), ==, leads);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM stage_events WHERE lead_id = ?1", id),
                   ==, events);
  /* The trail keeps every row, and says it was erased. */
  g_assert_cmpint (cp_test_sql_int (f->database, "SELECT count(*) FROM audit_log", NULL),
                   ==, audit_rows + 1);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM audit_log WHERE entity_id = ?1"
                                    " AND action = 'erase'",
                                    id),
                   ==, 1);
  assert_tombstone (f, id);

  /* The CRM contact: one queued GDPR delete, with the remote id only. */
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM outbox WHERE entity_id = ?1 AND op = "
                                    "'erase'"
                                    " AND json_extract (fields, '$.remote_id') = 'hs-4242'"
                                    " AND json_extract (fields, '$.backend') = 'hubspot'",
                                    id),
                   ==, 1);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM outbox WHERE entity_id = ?1", id),
                   ==, 1);
  g_assert_cmpint (cp_test_count_rows (f->database, "sync_rejects"), ==, 0);
  g_assert_cmpint (cp_test_count_rows (f->database, "sync_conflicts"), ==, 0);

  /* The bystander is whole. */
  {
    g_autoptr(CpLead) bystander = cp_lead_store_get (f->store, other, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (cp_lead_get_text (bystander, CP_LEAD_FIELD_NOTES), ==, "Nothing to hide");
  }

  /* The person the backup was made with is in the database too. */
  g_assert_true (cp_person_erase (f->store, "old-person", "cli:tester", "Request #76", &result,
                                  &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_backups_removed, ==, 0);

  assert_database_sound (f);
  assert_no_marker_anywhere (f);
  /* And once the connection is closed. */
  fixture_close (f);
  assert_no_marker_anywhere (f);
  fixture_open (f);
  g_assert_true (cp_test_erased_at (f->store, id) > 0);
}

static void
test_erase_after_merge_and_unmerge (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *keep = NULL;
  g_autofree char *merge_id = NULL;
  CpErasureResult result = { 0, };
  const CpLeadField take[] = { CP_LEAD_FIELD_NOTES, CP_LEAD_FIELD_ORGANIZATION };

  id = create_marked_person (f);
  keep = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Keeper",
                              CP_LEAD_FIELD_NOTES, "The other record", CP_LEAD_N_FIELDS);
  /* The kept lead takes the person's values (the trail of the kept lead
   * now holds them), and gives them back on undo. */
  merge_id = cp_lead_store_merge (f->store, keep, id, take, G_N_ELEMENTS (take), "test", &error);
  g_assert_no_error (error);
  g_assert_nonnull (merge_id);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM audit_log WHERE entity_id = ?1"
                                    " AND (old_value LIKE '%ZQXMARKER%' OR new_value LIKE "
                                    "'%ZQXMARKER%')",
                                    keep),
                   >, 0);
  g_assert_true (cp_lead_store_undo_merge (f->store, merge_id, "test", &error));
  g_assert_no_error (error);

  g_assert_true (cp_person_erase (f->store, id, "test", "Request #78", &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_leads, ==, 1);
  assert_tombstone (f, id);
  g_assert_cmpint (cp_test_count_rows (f->database, "merge_snapshots"), ==, 0);
  /* The merge itself stays a record (ids and times only). */
  g_assert_cmpint (cp_test_count_rows (f->database, "merges"), ==, 1);

  /* The kept lead is itself again, its own history whole. */
  {
    g_autoptr(CpLead) kept = cp_lead_store_get (f->store, keep, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (cp_lead_get_text (kept, CP_LEAD_FIELD_FIRST_NAME), ==, "Keeper");
    g_assert_cmpstr (cp_lead_get_text (kept, CP_LEAD_FIELD_NOTES), ==, "The other record");
    g_assert_cmpint (cp_test_sql_int (f->database,
                                      "SELECT count(*) FROM audit_log WHERE entity_id = ?1"
                                      " AND action = 'merge' AND old_value = 'The other record'",
                                      keep),
                     ==, 1);
  }
  assert_database_sound (f);
  assert_no_marker_anywhere (f);
}

/* A merge not undone: the surviving lead holds the person's data, so it is
 * the one to erase, and its merged record goes with it. */
static void
test_erase_merged_person (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *keep = NULL;
  g_autofree char *merge_id = NULL;
  CpErasureResult result = { 0, };
  const CpLeadField take[] = { CP_LEAD_FIELD_NOTES };

  id = create_marked_person (f);
  keep = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Same person",
                              CP_LEAD_N_FIELDS);
  merge_id = cp_lead_store_merge (f->store, keep, id, take, G_N_ELEMENTS (take), "test", &error);
  g_assert_no_error (error);

  g_assert_false (cp_person_erase (f->store, id, "test", "Request #79", &result, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, keep));
  g_clear_error (&error);

  g_assert_true (cp_person_erase (f->store, keep, "test", "Request #79", &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_leads, ==, 2);
  assert_tombstone (f, keep);
  assert_tombstone (f, id);
  /* The merge cannot be undone into an erased person. */
  g_assert_false (cp_lead_store_undo_merge (f->store, merge_id, "test", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  assert_database_sound (f);
  assert_no_marker_anywhere (f);
}

/* ------------------------------------------------------------------ */
/* The audit trail stays append-only                                   */
/* ------------------------------------------------------------------ */

static int
exec_sql (Fixture    *f,
          const char *sql)
{
  /* The primary code: the connection reports extended ones. */
  return sqlite3_exec (_cp_database_get_handle (f->database), sql, NULL, NULL, NULL) & 0xff;
}

static void
test_audit_stays_append_only (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Ann",
                                             CP_LEAD_N_FIELDS);
  g_autofree char *sql = NULL;

  {
    g_autoptr(CpLead) lead = cp_lead_store_get (f->store, id, &error);

    cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Anne");
    g_assert_true (cp_lead_store_update (f->store, lead, "test", "typo", &error));
    g_assert_no_error (error);
  }

  /* Without a grant: every change is refused, a redaction too. */
  g_assert_cmpint (exec_sql (f, "UPDATE audit_log SET old_value = NULL"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (exec_sql (f, "UPDATE audit_log SET reason = 'rewritten'"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (exec_sql (f, "DELETE FROM audit_log"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (exec_sql (f, "UPDATE stage_events SET reason = NULL"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (exec_sql (f, "DELETE FROM stage_events"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM audit_log WHERE old_value = 'Ann'", NULL),
                   ==, 1);

  /* With a grant: only a loss of values, and the grant cannot outlive
   * its transaction. */
  g_assert_cmpint (exec_sql (f, "BEGIN"), ==, SQLITE_OK);
  g_assert_cmpint (exec_sql (f, "INSERT INTO erasures (lead_id, actor, reason, erased_at)"
                                " VALUES ('x', 'test', 'test', 1)"),
                   ==, SQLITE_OK);
  sql = g_strdup_printf ("INSERT INTO redaction_grants (lead_id, erasure_id, person)"
                         " VALUES ('%s', last_insert_rowid (), 1)", id);
  g_assert_cmpint (exec_sql (f, sql), ==, SQLITE_OK);
  g_assert_cmpint (exec_sql (f,
                             "UPDATE audit_log SET old_value = 'forged' WHERE old_value = 'Ann'"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (exec_sql (f, "UPDATE audit_log SET action = 'forged'"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (exec_sql (f, "DELETE FROM audit_log"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (exec_sql (f, "UPDATE audit_log SET old_value = NULL WHERE old_value = 'Ann'"),
                   ==, SQLITE_OK);
  /* Left behind, the grant fails the commit. */
  g_assert_cmpint (exec_sql (f, "COMMIT"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (exec_sql (f, "ROLLBACK"), ==, SQLITE_OK);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM audit_log WHERE old_value = 'Ann'", NULL),
                   ==, 1);
  g_assert_cmpint (cp_test_count_rows (f->database, "erasures"), ==, 0);

  /* The erasure log is append-only too; an erased lead cannot change. */
  g_assert_true (cp_person_erase (f->store, id, "test", "Request #80", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (exec_sql (f, "UPDATE erasures SET reason = 'other'"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (exec_sql (f, "DELETE FROM erasures"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (exec_sql (f, "INSERT OR REPLACE INTO erasures (id, lead_id, actor, reason,"
                                " erased_at) SELECT id, lead_id, actor, 'other', erased_at"
                                " FROM erasures"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (exec_sql (f, "UPDATE leads SET first_name = 'Back' WHERE erased_at > 0"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (exec_sql (f, "UPDATE audit_log SET new_value = NULL"), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (cp_test_count_rows (f->database, "redaction_grants"), ==, 0);
}

/* ------------------------------------------------------------------ */
/* Refusals                                                            */
/* ------------------------------------------------------------------ */

static void
test_erase_refusals (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = create_marked_person (f);
  gint64 audit_rows = cp_test_count_rows (f->database, "audit_log");

  g_assert_false (cp_person_erase (f->store, "no-such-lead", "test", "Request", NULL, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (cp_person_erase_preview (f->store, "no-such-lead", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (cp_person_erase (f->store, id, "test", "  ", NULL, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_person_erase (f->store, id, "test", NULL, NULL, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Nothing changed. */
  g_assert_false (cp_test_erased_at (f->store, id) > 0);
  g_assert_no_error (error);
  g_assert_cmpint (cp_test_count_rows (f->database, "audit_log"), ==, audit_rows);
  g_assert_cmpint (cp_test_count_rows (f->database, "erasures"), ==, 0);

  /* Twice is refused. */
  g_assert_true (cp_person_erase (f->store, id, "test", "Request", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cp_person_erase (f->store, id, "test", "Request", NULL, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
}

/* ------------------------------------------------------------------ */
/* Export                                                              */
/* ------------------------------------------------------------------ */

static JsonObject *
find_lead (JsonObject *root,
           const char *id)
{
  JsonArray *leads = json_object_get_array_member (root, "leads");

  for (guint i = 0; i < json_array_get_length (leads); i++)
    {
      JsonObject *lead = json_array_get_object_element (leads, i);

      if (g_strcmp0 (json_object_get_string_member (lead, "id"), id) == 0)
        return lead;
    }
  g_assert_not_reached ();
}

/* As the lead window's Export and `carepath-cli person export` do: the
 * document built, then written. */
static gboolean
export_person (CpLeadStore  *store,
               const char   *id,
               GFile        *file,
               GError      **error)
{
  g_autoptr(JsonNode) document = cp_person_export_build (store, id, error);

  return document != NULL && cp_person_export_write (document, file, error);
}

static JsonNode *
export_to_file (Fixture    *f,
                const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "person.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *text = NULL;
  GStatBuf st;

  g_assert_true (export_person (f->store, id, file, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return cp_test_parse_json (text);
}

static void
test_export_holds_everything (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = create_marked_person (f);
  g_autofree char *duplicate = NULL;
  g_autofree char *merge_id = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) merged_node = NULL;
  JsonObject *root, *lead, *fields, *consent, *custom, *record;
  JsonArray *audit, *merges;
  gboolean old_value_seen = FALSE;

  /* A duplicate record of the person, merged into the lead. */
  duplicate = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Dup",
                                   CP_LEAD_FIELD_JOB_TITLE, "Duplicate job", CP_LEAD_N_FIELDS);
  merge_id = cp_lead_store_merge (f->store, id, duplicate, NULL, 0, "test", &error);
  g_assert_no_error (error);

  node = export_to_file (f, id);
  root = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "carepath-person-export");
  g_assert_cmpstr (json_object_get_string_member (root, "lead_id"), ==, id);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "leads")), ==, 2);

  lead = find_lead (root, id);
  fields = json_object_get_object_member (lead, "fields");
  for (guint i = 0; i < G_N_ELEMENTS (personal_fields); i++)
    {
      const char *name = cp_lead_field_info (personal_fields[i])->name;
      g_autofree char *expected = marked (name, 2);

      g_assert_true (json_object_has_member (fields, name));
      g_assert_cmpstr (json_object_get_string_member (fields, name), ==, expected);
    }
  g_assert_cmpstr (json_object_get_string_member (fields, "email"), ==, "zqxmarker.2@example.org");
  g_assert_cmpstr (json_object_get_string_member (fields, "stage"), ==, "engaged");
  /* Every canonical field is there, set or not. */
  g_assert_cmpuint (json_object_get_size (fields), ==, CP_LEAD_N_FIELDS);

  consent = json_object_get_object_member (lead, "consent");
  g_assert_cmpstr (json_object_get_string_member (consent, "consent_status"), ==, "granted");
  g_assert_true (json_object_has_member (consent, "consent_captured_by"));

  custom = json_object_get_object_member (lead, "custom_fields");
  g_assert_cmpstr (json_object_get_string_member (custom, "diagnosis"), ==, MARKER " diagnosis v2");

  record = json_object_get_object_member (lead, "record");
  g_assert_true (json_object_has_member (record, "deleted_at"));

  /* Activities: the two logged here and the duplicate's, none (it had none). */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (lead, "activities")), ==,
                    2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (lead, "stage_events")), >=,
                    2);

  audit = json_object_get_array_member (lead, "audit");
  g_assert_cmpuint (json_array_get_length (audit), >, 10);
  for (guint i = 0; i < json_array_get_length (audit); i++)
    {
      JsonObject *entry = json_array_get_object_element (audit, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (entry, "old_value", NULL),
                     MARKER " notes v0") == 0)
        old_value_seen = TRUE;
      /* Times are readable. */
      g_assert_true (g_str_has_suffix (json_object_get_string_member (entry, "time"), "Z"));
    }
  g_assert_true (old_value_seen);

  {
    JsonArray *links = json_object_get_array_member (lead, "sync_links");
    JsonObject *link;

    g_assert_cmpuint (json_array_get_length (links), ==, 1);
    link = json_array_get_object_element (links, 0);
    g_assert_cmpstr (json_object_get_string_member (link, "remote_id"), ==, "hs-4242");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (link, "base"),
                                                    "firstname"),
                     ==, MARKER " base");
  }
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (lead, "sync_rejects")), ==,
                    1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (lead, "sync_conflicts")),
                    ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (lead, "outbox")), >=, 1);

  merges = json_object_get_array_member (root, "merges");
  g_assert_cmpuint (json_array_get_length (merges), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (merges, 0), "id"),
                   ==, merge_id);
  g_assert_true (json_object_has_member (json_array_get_object_element (merges, 0), "snapshots"));

  /* The duplicate's own export: its record and the merge that took it. */
  merged_node = export_to_file (f, duplicate);
  root = json_node_get_object (merged_node);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "leads")), ==, 1);
  lead = find_lead (root, duplicate);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (lead, "record"),
                                                  "merged_into"),
                   ==, id);
  merges = json_object_get_array_member (root, "merges");
  g_assert_cmpuint (json_array_get_length (merges), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (merges, 0),
                                                  "keep_id"),
                   ==, id);
}

/* A rescore's tier change (schema 19: a row of rescore_changes, not an
 * audit row of the lead) is the person's history like the rest: in the
 * export's audit trail, in time order; counted by the erasure's preview;
 * after the erasure, still there with its tiers (the tombstone keeps the
 * tier) and without its reason, as the erasure leaves audit rows. */
static void
test_rescore_changes (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = create_marked_person (f);
  g_autoptr(CpErasurePreview) preview = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(JsonNode) node = NULL;
  CpErasureResult result = { 0, };
  const char *stale;
  const char *last_time = "";
  JsonArray *audit;
  gint64 changes;
  guint seen = 0;

  stale = cp_test_rescore_stale_tier (f->database, id, fake_now + 10);
  changes = cp_test_sql_int (f->database, "SELECT count(*) FROM rescore_changes c JOIN leads l"
                             " ON l.rowid = c.lead_rowid WHERE l.id = ?1", id);
  g_assert_cmpint (changes, >=, 1);

  node = export_to_file (f, id);
  audit = json_object_get_array_member (find_lead (json_node_get_object (node), id), "audit");
  for (guint i = 0; i < json_array_get_length (audit); i++)
    {
      JsonObject *entry = json_array_get_object_element (audit, i);
      const char *time = json_object_get_string_member (entry, "time");

      g_assert_cmpstr (time, >=, last_time);
      last_time = time;
      if (json_object_get_null_member (entry, "rescore_run"))
        continue;
      g_assert_cmpstr (json_object_get_string_member (entry, "action"), ==, "rescore");
      g_assert_cmpstr (json_object_get_string_member (entry, "field"), ==, "tier");
      g_assert_cmpint (json_object_get_int_member (entry, "rescore_run"), >, 0);
      g_assert_true (json_object_has_member (entry, "old_score"));
      g_assert_true (json_object_has_member (entry, "new_score"));
      g_assert_cmpstr (json_object_get_string_member (entry, "actor"), ==, "test-rescore");
      if (g_strcmp0 (json_object_get_string_member_with_default (entry, "old_value", NULL),
                     stale) == 0)
        g_assert_cmpstr (json_object_get_string_member (entry, "reason"), ==,
                         "Rescored with the default playbook");
      seen++;
    }
  g_assert_cmpint (seen, ==, changes);

  /* The preview counts them with the audit rows and stage events. */
  preview = cp_person_erase_preview (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (preview->n_history, ==,
                   cp_test_sql_int (f->database, "SELECT count(*) FROM audit_log"
                                    " WHERE entity = 'lead' AND entity_id = ?1", id)
                   + changes
                   + cp_test_sql_int (f->database, "SELECT count(*) FROM stage_events"
                                      " WHERE lead_id = ?1", id));

  g_assert_true (cp_person_erase (f->store, id, "cli:tester", "Request #78", &result, &error));
  g_assert_no_error (error);
  history = cp_lead_store_history (f->store, id, &error);
  g_assert_no_error (error);
  seen = 0;
  for (guint i = 0; i < history->len; i++)
    {
      CpHistoryEntry *entry = history->pdata[i];

      /* No reason stays on the erased lead's trail. */
      g_assert_null (entry->reason);
      if (g_strcmp0 (entry->action, "rescore") == 0 && g_strcmp0 (entry->field, "tier") == 0 &&
          g_strcmp0 (entry->old_value, stale) == 0)
        {
          g_assert_nonnull (entry->new_value);
          g_assert_cmpstr (entry->actor, ==, "test-rescore");
          seen++;
        }
    }
  g_assert_cmpuint (seen, ==, 1);
  /* The rows stay as they were, and stay append-only. */
  g_assert_cmpint (cp_test_sql_int (f->database, "SELECT count(*) FROM rescore_changes c JOIN leads"
                                    " l ON l.rowid = c.lead_rowid WHERE l.id = ?1", id),
                   ==, changes);
  g_assert_cmpint (sqlite3_exec (_cp_database_get_handle (f->database),
                                 "UPDATE rescore_changes SET old_tier = NULL", NULL, NULL, NULL),
                   !=, SQLITE_OK);
}

static void
test_export_refusals (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Ann",
                                             CP_LEAD_N_FIELDS);
  g_autofree char *missing = g_build_filename (f->dir, "no-such-folder", "out.json", NULL);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  g_autoptr(GFile) folder = g_file_new_for_path (f->dir);

  g_assert_false (export_person (f->store, "no-such-lead", missing_file, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (cp_person_export_build (f->store, "no-such-lead", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (export_person (f->store, id, missing_file, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_OPEN);
  g_clear_error (&error);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  /* A folder is not a file to write. */
  g_assert_false (export_person (f->store, id, folder, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_OPEN);
}

/* ------------------------------------------------------------------ */
/* The command line                                                    */
/* ------------------------------------------------------------------ */

/* All the pages' text, one after the other. */
static char *
pdf_text (const char *path,
          char      **out_title,
          int        *out_n_pages)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  PopplerDocument *document = poppler_document_new_from_file (uri, NULL, &error);
  GString *text = g_string_new (NULL);

  g_assert_no_error (error);
  *out_title = poppler_document_get_title (document);
  *out_n_pages = poppler_document_get_n_pages (document);
  for (int i = 0; i < *out_n_pages; i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      g_autofree char *page_text = poppler_page_get_text (page);

      g_string_append (text, page_text);
      g_string_append_c (text, '\n');
      g_object_unref (page);
    }
  g_object_unref (document);
  return g_string_free (text, FALSE);
}

/* The lead window writes the summary next to the export it was asked for,
 * “x.json” → “x.pdf”, but never over a file no one chose: a “x.pdf” there
 * already (the person's own letter, say) stays, the summary goes to
 * “x (2).pdf”. */
static void
test_summary_file_beside_export (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *json = g_build_filename (f->dir, "Ruth Okafor.json", NULL);
  g_autofree char *taken = g_build_filename (f->dir, "Ruth Okafor.pdf", NULL);
  g_autofree char *taken2 = g_build_filename (f->dir, "Ruth Okafor (2).pdf", NULL);
  g_autofree char *bare = g_build_filename (f->dir, "ruth", NULL);
  g_autoptr(GFile) json_file = g_file_new_for_path (json);
  g_autoptr(GFile) bare_file = g_file_new_for_path (bare);
  g_autoptr(GError) error = NULL;
  GFile *pdf;
  g_autofree char *path = NULL;

  pdf = cp_person_summary_file_for (json_file);
  path = g_file_get_path (pdf);
  g_assert_cmpstr (path, ==, taken);
  g_clear_object (&pdf);
  g_clear_pointer (&path, g_free);

  g_assert_true (g_file_set_contents (taken, "a letter", -1, &error));
  pdf = cp_person_summary_file_for (json_file);
  path = g_file_get_path (pdf);
  g_assert_cmpstr (path, ==, taken2);
  g_clear_object (&pdf);
  g_clear_pointer (&path, g_free);

  g_assert_true (g_file_set_contents (taken2, "an older summary", -1, &error));
  pdf = cp_person_summary_file_for (json_file);
  g_assert_true (g_str_has_suffix (g_file_peek_path (pdf), "Ruth Okafor (3).pdf"));
  g_clear_object (&pdf);

  /* A name without “.json” gets “.pdf” added. */
  pdf = cp_person_summary_file_for (bare_file);
  g_assert_true (g_str_has_suffix (g_file_peek_path (pdf), "/ruth.pdf"));
  g_clear_object (&pdf);
}

/* `person export ID OUT.json --pdf OUT.pdf`: a readable summary of the same
 * document, private to its owner; a bad path is refused with a clear error. */
static void
test_cli_person_pdf (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(CpCliResult) r = { 0, };
  g_autofree char *id = create_marked_person (f);
  g_autofree char *json = g_build_filename (f->dir, "cli-export.json", NULL);
  g_autofree char *pdf = g_build_filename (f->dir, "cli-export.pdf", NULL);
  g_autofree char *unwritable = g_build_filename (f->dir, "missing", "summary.pdf", NULL);
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  int n_pages = 0;
  GStatBuf st;

  /* A long value wraps rather than running off the page. */
  {
    g_autoptr(CpLead) lead = cp_lead_store_get (f->store, id, NULL);
    g_autoptr(GString) notes = g_string_new (NULL);
    g_autoptr(GError) error = NULL;

    for (guint i = 0; i < 60; i++)
      g_string_append (notes, "a long note that has to wrap ");
    g_string_append (notes, "ZQXLONGEND");
    cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, notes->str);
    g_assert_true (cp_lead_store_update (f->store, lead, "test", NULL, &error));
    g_assert_no_error (error);
  }
  fixture_close (f);

  cp_test_run_cli (&r, "--db", f->path, "person", "export", id, json, "--pdf", pdf, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "cli-export.pdf"));
  g_assert_cmpint (g_stat (pdf, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (json, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  text = pdf_text (pdf, &title, &n_pages);
  g_assert_cmpint (n_pages, >=, 1);
  g_assert_cmpstr (title, ==, "Everything Carepath holds about " MARKER " first_name v2 "
                              MARKER " last_name v2");
  g_assert_nonnull (strstr (text, "Everything Carepath holds about"));
  g_assert_nonnull (strstr (text, MARKER " first_name v2"));
  g_assert_nonnull (strstr (text, MARKER " note v0"));
  g_assert_nonnull (strstr (text, MARKER " call v0"));
  g_assert_nonnull (strstr (text, "ZQXLONGEND"));
  g_assert_nonnull (strstr (text, "Activities"));
  g_assert_nonnull (strstr (text, "Audit entries"));
  g_assert_nonnull (strstr (text, "hs-4242"));
  cp_cli_result_clear (&r);

  cp_test_run_cli (&r, "--db", f->path, "person", "export", id, json, "--pdf", unwritable, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "summary.pdf"));
  g_assert_false (g_file_test (unwritable, G_FILE_TEST_EXISTS));
  cp_cli_result_clear (&r);

  cp_test_run_cli (&r, "--db", f->path, "person", "erase", id, "--reason", "Request",
                   "--pdf", pdf, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--pdf"));
}

static void
test_cli_person (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(CpCliResult) r = { 0, };
  g_autofree char *id = create_marked_person (f);
  g_autofree char *out = g_build_filename (f->dir, "cli-export.json", NULL);
  g_autofree char *unwritable = g_build_filename (f->dir, "missing", "out.json", NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  GStatBuf st;

  fixture_close (f);

  cp_test_run_cli (&r, "--db", f->path, "person", "export", id, out, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpint (g_stat (out, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  node = cp_test_parse_json (text);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "lead_id"), ==, id);
  g_remove (out);
  cp_cli_result_clear (&r);

  cp_test_run_cli (&r, "--db", f->path, "person", "export", "no-such-lead", out, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "no-such-lead"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  cp_cli_result_clear (&r);

  cp_test_run_cli (&r, "--db", f->path, "person", "export", id, unwritable, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "out.json"));
  cp_cli_result_clear (&r);

  cp_test_run_cli (&r, "--db", f->path, "person", "erase", id, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--reason"));
  cp_cli_result_clear (&r);

  cp_test_run_cli (&r, "--db", f->path, "person", "erase", id, "--reason", " ", NULL);
  g_assert_cmpint (r.status, ==, 2);
  cp_cli_result_clear (&r);

  cp_test_run_cli (&r, "--db", f->path, "person", "erase", "no-such-lead", "--reason", "Request",
                   NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "no-such-lead"));
  cp_cli_result_clear (&r);

  cp_test_run_cli (&r, "--db", f->path, "person", "frobnicate", NULL);
  g_assert_cmpint (r.status, ==, 2);
  cp_cli_result_clear (&r);

  /* Refusals changed nothing. */
  fixture_open (f);
  g_assert_false (cp_test_erased_at (f->store, id) > 0);
  g_assert_cmpint (cp_test_count_rows (f->database, "erasures"), ==, 0);
  fixture_close (f);

  cp_test_run_cli (&r, "--db", f->path, "person", "erase", id, "--reason", "Request #81", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "GDPR delete"));
  g_assert_nonnull (strstr (r.out, "hubspot"));
  cp_cli_result_clear (&r);

  fixture_open (f);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM erasures WHERE lead_id = ?1"
                                    " AND actor LIKE 'cli:%' AND reason = 'Request #81'",
                                    id),
                   ==, 1);
  assert_no_marker_anywhere (f);
}

/* ------------------------------------------------------------------ */
/* Off the main thread                                                 */
/* ------------------------------------------------------------------ */

static void
erase_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_erase_async (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *id = create_marked_person (f);
  CpErasureResult done = { 0, };

  cp_person_erase_async (f->path, id, "test", "Request #82", NULL, erase_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (cp_person_erase_finish (result, &done, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (done.n_crm_deletes, ==, 1);
  g_assert_true (cp_test_erased_at (f->store, id) > 0);
  g_clear_object (&result);

  cp_person_erase_async (f->path, id, "test", "Request #82", NULL, erase_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (cp_person_erase_finish (result, &done, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  assert_no_marker_anywhere (f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (argc < 2)
    {
      g_printerr ("usage: test-person PATH-TO-carepath-cli\n");
      return 1;
    }
  cp_test_set_cli_path (argv[1]);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/person/erase/no-trace", test_erase_leaves_no_trace);
  ADD ("/person/erase/merged-then-unmerged", test_erase_after_merge_and_unmerge);
  ADD ("/person/erase/merged", test_erase_merged_person);
  ADD ("/person/erase/audit-append-only", test_audit_stays_append_only);
  ADD ("/person/erase/refusals", test_erase_refusals);
  ADD ("/person/erase/async", test_erase_async);
  ADD ("/person/export/everything", test_export_holds_everything);
  ADD ("/person/export/refusals", test_export_refusals);
  ADD ("/person/rescore-changes", test_rescore_changes);
  ADD ("/person/cli", test_cli_person);
  ADD ("/person/cli/pdf", test_cli_person_pdf);
  ADD ("/person/summary-file-beside-export", test_summary_file_beside_export);
#undef ADD

  return g_test_run ();
}
