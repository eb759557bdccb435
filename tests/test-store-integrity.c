/* test-store-integrity.c — the store keeps every committed lead and nothing else
 *
 * Migrations from every schema version, refusal of newer and foreign
 * files, a writer killed mid-transaction, a reader during writes, hostile
 * input, the audit trail, merge undo and append-only history.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cp-database-private.h"
#include "cp-lead-columns.h"
#include "cp-lead-store.h"
#include "cp-schema.h"
#include "cp-test-util.h"

/* dir: a new folder; path: dir/leads.db, not created */
typedef CpTestDir Fixture;

static CpLead *
new_lead (const char *first,
          const char *last)
{
  CpLead *lead = cp_lead_new ();

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, first);
  cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, last);
  return lead;
}

static int
pragma_int (CpDatabase *database,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (_cp_database_get_handle (database), sql, -1, &stmt, NULL),
                   ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
test_open_creates_private_file (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *nested = g_build_filename (f->dir, "a", "b", "leads.db", NULL);
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  database = cp_database_open (nested, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (nested, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (cp_database_get_schema_version (database), ==,
                   cp_database_get_latest_schema_version ());
  g_assert_cmpint (pragma_int (database, "PRAGMA application_id"), ==, CP_SCHEMA_APPLICATION_ID);
  g_assert_cmpint (pragma_int (database, "PRAGMA foreign_keys"), ==, 1);
  {
    sqlite3_stmt *stmt = NULL;
    sqlite3_prepare_v2 (_cp_database_get_handle (database), "PRAGMA journal_mode", -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
    sqlite3_finalize (stmt);
  }
  /* A fresh file has no backup: nothing was upgraded. */
  g_assert_null (cp_database_get_backup_path (database));
}

static void
test_columns_follow_field_order (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(CpDatabase) database = cp_database_open (f->path, NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_cp_database_get_handle (database),
                                       "SELECT " CP_LEAD_COLUMNS " FROM leads", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_column_count (stmt), ==, CP_LEAD_N_FIELDS);
  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    g_assert_cmpstr (sqlite3_column_name (stmt, i), ==, cp_lead_field_info (i)->name);
  sqlite3_finalize (stmt);
}

static void
test_migrations_from_every_version (Fixture       *f,
                                    gconstpointer  data)
{
  int latest = cp_database_get_latest_schema_version ();

  for (int version = 1; version < latest; version++)
    {
      g_autofree char *path = g_strdup_printf ("%s/v%d.db", f->dir, version);
      g_autoptr(GError) error = NULL;
      g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
      g_autoptr(GPtrArray) found = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(CpLead) lead = NULL;

      {
        /* A database left at an old version, with a lead written by raw SQL
         * the way that version's code wrote it. */
        g_autoptr(CpDatabase) old = _cp_database_open_at_version (path, version, &error);
        g_assert_no_error (error);
        g_assert_cmpint (cp_database_get_schema_version (old), ==, version);
        g_assert_true (
            _cp_database_exec (old,
                               "INSERT INTO leads (id, first_name, last_name, stage, score,"
                               " created_at, updated_at) VALUES ('old-lead', 'Margarethe',"
                               " 'Ødegård', 'qualified', 40, 1700000000, 1700000000)",
                               &error));
        g_assert_no_error (error);
      }

      {
        g_autoptr(CpDatabase) database = cp_database_open (path, &error);
        g_autoptr(CpLeadStore) store = NULL;
        g_autoptr(CpDatabase) backup = NULL;
        guint count = 0;

        g_assert_no_error (error);
        g_assert_cmpint (cp_database_get_schema_version (database), ==, latest);
        store = cp_lead_store_new (database);

        lead = cp_lead_store_get (store, "old-lead", &error);
        g_assert_no_error (error);
        g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_LAST_NAME), ==, "Ødegård");

        /* Search and per-stage totals cover the old row too. */
        query->search = g_strdup ("marg");
        found = cp_lead_store_query (store, query, 0, 10, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (found->len, ==, 1);
        g_clear_pointer (&query->search, g_free);
        query->stage = g_strdup ("qualified");
        g_assert_true (cp_lead_store_count (store, query, &count, &error));
        g_assert_cmpuint (count, ==, 1);
        problems = cp_database_check_repairable (database, NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (problems->len, ==, 0);

        /* A copy of the old file was kept, still at its old version. */
        g_assert_nonnull (cp_database_get_backup_path (database));
        g_assert_true (g_str_has_suffix (cp_database_get_backup_path (database), ".bak-v1") ||
                       version != 1);
        backup =
            _cp_database_open_at_version (cp_database_get_backup_path (database), version, &error);
        g_assert_no_error (error);
        g_assert_cmpint (cp_database_get_schema_version (backup), ==, version);
      }
    }
}

static void
set_raw_pragmas (const char *path,
                 const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_refuses_newer_database (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  int latest = cp_database_get_latest_schema_version ();

  g_clear_object (&(CpDatabase *) { cp_database_open (f->path, NULL) });
  sql = g_strdup_printf ("PRAGMA user_version = %d", latest + 1);
  set_raw_pragmas (f->path, sql);

  g_assert_null (cp_database_open (f->path, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version of Carepath"));

  /* The file was left as it was. */
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    sqlite3_open (f->path, &db);
    sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
    sqlite3_step (stmt);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, latest + 1);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
}

static void
test_refuses_foreign_files (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *other = g_build_filename (f->dir, "other.db", NULL);
  g_autofree char *junk = g_build_filename (f->dir, "junk.db", NULL);
  g_autoptr(GError) error = NULL;
  guint8 bytes[8192];

  set_raw_pragmas (other, "CREATE TABLE recipes (name TEXT)");
  g_assert_null (cp_database_open (other, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "not of Carepath"));
  g_clear_error (&error);

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8) g_random_int ();
  g_assert_true (g_file_set_contents (junk, (const char *) bytes, sizeof bytes, NULL));
  g_assert_null (cp_database_open (junk, &error));
  g_assert_nonnull (error);
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_CORRUPT);
}

#define BATCH 100

/* The child: commits batches of leads, reporting each committed total on
 * the pipe, forever; the parent kills it. */
static void G_GNUC_NORETURN
write_until_killed (const char *path,
                    int         fd)
{
  g_autoptr(CpDatabase) database = cp_database_open (path, NULL);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  guint committed = 0;

  for (;;)
    {
      g_assert_true (cp_database_begin (database, NULL));
      for (guint i = 0; i < BATCH; i++)
        {
          g_autoptr(CpLead) lead = new_lead ("Batch", "Writer");
          g_assert_true (cp_lead_store_create (store, lead, "child", NULL));
        }
      g_assert_true (cp_database_commit (database, NULL));
      committed += BATCH;
      if (write (fd, &committed, sizeof committed) != sizeof committed)
        _exit (3);
    }
}

static void
test_sigkill_mid_write_keeps_committed (Fixture       *f,
                                        gconstpointer  data)
{
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  guint last_reported = 0;
  guint count = 0;
  int fds[2];
  pid_t pid;
  int status;

  /* Create and migrate first, so the child only writes leads. */
  g_clear_object (&(CpDatabase *) { cp_database_open (f->path, NULL) });
  g_assert_cmpint (pipe (fds), ==, 0);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (fds[0]);
      write_until_killed (f->path, fds[1]);
    }
  close (fds[1]);

  while (last_reported < 1000)
    g_assert_cmpint (read (fds[0], &last_reported, sizeof last_reported), ==, sizeof last_reported);
  /* Let it get into the middle of another transaction, then kill it. */
  g_usleep (3000);
  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  while (read (fds[0], &count, sizeof count) == sizeof count)
    last_reported = count;
  close (fds[0]);

  database = cp_database_open (f->path, &error);
  g_assert_no_error (error);
  store = cp_lead_store_new (database);
  problems = cp_database_check_repairable (database, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);

  g_assert_true (cp_lead_store_count (store, NULL, &count, &error));
  /* Every reported batch is there; of the batch in flight, nothing or all
   * of it (its commit may have landed just before the report). */
  g_assert_cmpuint (count % BATCH, ==, 0);
  g_assert_cmpuint (count, >=, last_reported);
  g_assert_cmpuint (count, <=, last_reported + BATCH);
}

typedef struct
{
  const char *path;
  guint       batches;
} WriterData;

static gpointer
writer_thread (gpointer user_data)
{
  WriterData *data = user_data;
  g_autoptr(CpDatabase) database = cp_database_open (data->path, NULL);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);

  for (guint b = 0; b < data->batches; b++)
    {
      g_assert_true (cp_database_begin (database, NULL));
      for (guint i = 0; i < 50; i++)
        {
          g_autoptr(CpLead) lead = new_lead ("Concurrent", "Writer");
          g_assert_true (cp_lead_store_create (store, lead, "writer", NULL));
        }
      g_assert_true (cp_database_commit (database, NULL));
    }

  return NULL;
}

static void
test_reader_sees_whole_transactions (Fixture       *f,
                                     gconstpointer  data)
{
  WriterData writer = { f->path, 40 };
  g_autoptr(CpDatabase) reader = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  GThread *thread;
  guint previous = 0;
  guint reads = 0;

  g_clear_object (&(CpDatabase *) { cp_database_open (f->path, NULL) });
  reader = cp_database_open_readonly (f->path, NULL);
  g_assert_nonnull (reader);
  store = cp_lead_store_new (reader);

  thread = g_thread_new ("writer", writer_thread, &writer);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      guint count = 0;

      g_assert_true (cp_lead_store_count (store, NULL, &count, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (count % 50, ==, 0);   /* never half a transaction */
      g_assert_cmpuint (count, >=, previous); /* never going back */
      previous = count;
      reads++;
      if (count == 50 * writer.batches)
        break;
    }
  g_thread_join (thread);
  g_assert_cmpuint (reads, >, 1);
}

static void
test_hostile_input (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CpDatabase) database = cp_database_open (f->path, NULL);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  static const char *names[] = {
    "Zoë 👩🏽‍⚕️", "نور الهدى", "שָׁלוֹם", "Robert'); DROP TABLE leads;--", "100% _under_ \"quoted\"",
    "e\xcc\x81", NULL
  };
  g_autoptr(GError) error = NULL;
  guint count = 0;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(CpLead) lead = new_lead (names[i], "Test");
      g_autoptr(CpLead) back = NULL;

      g_assert_true (cp_lead_store_create (store, lead, "t", &error));
      g_assert_no_error (error);
      back = cp_lead_store_get (store, cp_lead_get_id (lead), &error);
      g_assert_no_error (error);
      /* Stored byte for byte. */
      g_assert_cmpstr (cp_lead_get_text (back, CP_LEAD_FIELD_FIRST_NAME), ==, names[i]);
    }
  g_assert_true (cp_lead_store_count (store, NULL, &count, &error));
  g_assert_cmpuint (count, ==, 6);

  /* Bad values are refused with a readable error, and nothing is stored. */
  {
    g_autoptr(CpLead) lead = new_lead ("Bad", "Email");
    cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "bad@@example");
    g_assert_false (cp_lead_store_create (store, lead, "t", &error));
    g_assert_nonnull (strstr (error->message, "bad@@example"));
    g_clear_error (&error);
  }
  {
    g_autoptr(CpLead) lead = new_lead ("Bad", "Phone");
    cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, "call me maybe");
    g_assert_false (cp_lead_store_create (store, lead, "t", &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  {
    g_autoptr(CpLead) lead = new_lead ("Tab\tin", "name");
    g_assert_false (cp_lead_store_create (store, lead, "t", &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  {
    /* 10 MB of notes: refused, not truncated. */
    g_autoptr(CpLead) lead = new_lead ("Long", "Notes");
    g_autofree char *notes = g_malloc (10 * 1024 * 1024 + 1);
    memset (notes, 'a', 10 * 1024 * 1024);
    notes[10 * 1024 * 1024] = '\0';
    cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, notes);
    g_assert_false (cp_lead_store_create (store, lead, "t", &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  {
    /* Setters take any text; saving validates it. */
    g_autoptr(CpLead) lead = new_lead ("Bad", "UTF-8");
    cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, "\xff\xfe broken");
    g_assert_false (cp_lead_store_create (store, lead, "t", &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  g_assert_true (cp_lead_store_count (store, NULL, &count, &error));
  g_assert_cmpuint (count, ==, 6);

  /* Searching for SQL or FTS syntax is harmless. */
  {
    static const char *searches[] = {
      "\"", "*", "AND", "NEAR(", "-", "'); DROP", "DROP TABLE", NULL
    };
    for (guint i = 0; searches[i] != NULL; i++)
      {
        g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
        g_autoptr(GPtrArray) found = NULL;
        query->search = g_strdup (searches[i]);
        found = cp_lead_store_query (store, query, 0, 10, &error);
        g_assert_no_error (error);
        g_assert_nonnull (found);
      }
    {
      g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
      g_autoptr(GPtrArray) found = NULL;
      query->search = g_strdup ("DROP TABLE");
      found = cp_lead_store_query (store, query, 0, 10, &error);
      g_assert_cmpuint (found->len, ==, 1);   /* the lead named so, found as text */
    }
  }
}

static guint
count_audit (GPtrArray  *history,
             const char *action,
             const char *field)
{
  guint n = 0;

  for (guint i = 0; i < history->len; i++)
    {
      CpHistoryEntry *entry = history->pdata[i];
      if (g_strcmp0 (entry->action, action) == 0 &&
          (field == NULL || g_strcmp0 (entry->field, field) == 0))
        n++;
    }
  return n;
}

static void
test_audit_trail (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CpDatabase) database = cp_database_open (f->path, NULL);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  g_autoptr(CpLead) lead = new_lead ("Ada", "Lovelace");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *id = NULL;

  /* The audit trail's mechanics; the playbook's stage rules are
   * test-lifecycle's. */
  cp_test_publish_open_playbook (database);
  g_assert_true (cp_lead_store_create (store, lead, "intake", &error));
  id = g_strdup (cp_lead_get_id (lead));
  history = cp_lead_store_history (store, id, &error);
  g_assert_cmpuint (count_audit (history, "create", NULL), ==, 1);
  g_assert_cmpuint (count_audit (history, "stage", NULL), ==, 1);
  g_clear_pointer (&history, g_ptr_array_unref);

  /* Three fields: three rows, with old and new values. */
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "ada@example.org");
  cp_lead_set_text (lead, CP_LEAD_FIELD_URGENCY, "high");
  cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, "King");
  g_assert_true (cp_lead_store_update (store, lead, "intake", "Called back", &error));
  history = cp_lead_store_history (store, id, &error);
  g_assert_cmpuint (count_audit (history, "update", NULL), ==, 3);
  for (guint i = 0; i < history->len; i++)
    {
      CpHistoryEntry *entry = history->pdata[i];
      if (g_strcmp0 (entry->field, "last_name") == 0)
        {
          g_assert_cmpstr (entry->old_value, ==, "Lovelace");
          g_assert_cmpstr (entry->new_value, ==, "King");
          g_assert_cmpstr (entry->reason, ==, "Called back");
          g_assert_cmpstr (entry->actor, ==, "intake");
        }
    }
  g_clear_pointer (&history, g_ptr_array_unref);

  /* No change, no row. */
  g_assert_true (cp_lead_store_update (store, lead, "intake", NULL, &error));
  history = cp_lead_store_history (store, id, &error);
  g_assert_cmpuint (count_audit (history, "update", NULL), ==, 3);
  g_clear_pointer (&history, g_ptr_array_unref);

  /* A move without a reason writes nothing. */
  g_assert_false (
      cp_lead_store_move (store, id, NULL, "engaged", NULL, "", "manager", NULL, &error));
  g_clear_error (&error);
  g_assert_true (cp_lead_store_move (store, id, NULL, "engaged", NULL, "Opened three emails",
                                     "manager", NULL, &error));
  history = cp_lead_store_history (store, id, &error);
  g_assert_cmpuint (count_audit (history, "stage", NULL), ==, 2);
  g_clear_pointer (&history, g_ptr_array_unref);

  /* Removed, but its history stays readable. */
  g_assert_true (cp_lead_store_tombstone (store, id, "Test lead", "manager", &error));
  g_assert_null (cp_lead_store_get (store, id, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  history = cp_lead_store_history (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_audit (history, "tombstone", NULL), ==, 1);

  /* The history cannot be rewritten. */
  g_assert_false (
      _cp_database_exec (database, "UPDATE audit_log SET actor = 'someone else'", NULL));
  g_assert_false (_cp_database_exec (database, "DELETE FROM audit_log", NULL));
  g_assert_false (_cp_database_exec (database, "DELETE FROM stage_events", NULL));
  g_assert_false (_cp_database_exec (database, "UPDATE stage_events SET reason = 'other'", NULL));
  g_assert_true (_cp_database_exec (database, "UPDATE stage_events SET synced_time = 5", NULL));
}

static void
test_merge_and_undo_restore_both (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(CpDatabase) database = cp_database_open (f->path, NULL);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  g_autoptr(CpLead) keep = new_lead ("Maria", "Lopez");
  g_autoptr(CpLead) other = new_lead ("María", "López");
  g_autoptr(CpLead) keep_before = NULL;
  g_autoptr(CpLead) other_before = NULL;
  g_autoptr(CpActivity) activity = cp_activity_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) activities = NULL;
  g_autofree char *merge_id = NULL;
  CpLeadField take[] = { CP_LEAD_FIELD_FIRST_NAME };

  cp_lead_set_text (keep, CP_LEAD_FIELD_EMAIL, "maria.lopez@example.org");
  cp_lead_set_text (other, CP_LEAD_FIELD_PHONE, "+12025550188");
  cp_lead_set_text (other, CP_LEAD_FIELD_SERVICE_LINE, "cardiology");
  cp_lead_set_custom (other, "insurer", "Acme Health");
  g_assert_true (cp_lead_store_create (store, keep, "t", &error));
  g_assert_true (cp_lead_store_create (store, other, "t", &error));
  cp_activity_set_lead_id (activity, cp_lead_get_id (other));
  cp_activity_set_kind (activity, CP_ACTIVITY_KIND_WEBINAR_ATTENDED);
  g_assert_true (cp_lead_store_log_activity (store, activity, NULL, &error));
  keep_before = cp_lead_store_get (store, cp_lead_get_id (keep), &error);
  other_before = cp_lead_store_get (store, cp_lead_get_id (other), &error);

  merge_id = cp_lead_store_merge (store, cp_lead_get_id (keep), cp_lead_get_id (other),
                                  take, G_N_ELEMENTS (take), "manager", &error);
  g_assert_no_error (error);
  {
    g_autoptr(CpLead) merged = cp_lead_store_get (store, cp_lead_get_id (keep), &error);
    g_assert_cmpstr (cp_lead_get_text (merged, CP_LEAD_FIELD_FIRST_NAME), ==, "María");
    g_assert_cmpstr (cp_lead_get_text (merged, CP_LEAD_FIELD_LAST_NAME), ==, "Lopez");
    g_assert_cmpstr (cp_lead_get_text (merged, CP_LEAD_FIELD_EMAIL), ==, "maria.lopez@example.org");
    g_assert_cmpstr (cp_lead_get_text (merged, CP_LEAD_FIELD_PHONE), ==, "+12025550188");
    g_assert_cmpstr (cp_lead_get_custom (merged, "insurer"), ==, "Acme Health");
  }
  g_assert_null (cp_lead_store_get (store, cp_lead_get_id (other), NULL));
  activities = cp_lead_store_list_activities (store, cp_lead_get_id (keep), &error);
  g_assert_cmpuint (activities->len, ==, 1);
  g_clear_pointer (&activities, g_ptr_array_unref);

  g_assert_true (cp_lead_store_undo_merge (store, merge_id, "manager", &error));
  g_assert_no_error (error);
  {
    g_autoptr(CpLead) keep_after = cp_lead_store_get (store, cp_lead_get_id (keep), &error);
    g_autoptr(CpLead) other_after = cp_lead_store_get (store, cp_lead_get_id (other), &error);

    g_assert_no_error (error);
    for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
      {
        if (i == CP_LEAD_FIELD_UPDATED_AT)
          continue;
        g_assert_true (cp_lead_equal_field (keep_before, keep_after, i));
        g_assert_true (cp_lead_equal_field (other_before, other_after, i));
      }
  }
  activities = cp_lead_store_list_activities (store, cp_lead_get_id (other), &error);
  g_assert_cmpuint (activities->len, ==, 1);

  /* Undone once; not twice. */
  g_assert_false (cp_lead_store_undo_merge (store, merge_id, "manager", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
}

/* Version 10 computes email keys as RFC 6531 wants them: keys stored in
 * the old form (lower case, the domain as typed) are written again, and
 * an international address then matches however it is spelled. */
static void
test_migration_recomputes_email_keys (Fixture       *f,
                                      gconstpointer  data)
{
  g_autofree char *path = g_strdup_printf ("%s/v9.db", f->dir);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(CpDatabase) old = _cp_database_open_at_version (path, 9, &error);

    g_assert_no_error (error);
    g_assert_true (
        _cp_database_exec (old,
                           "INSERT INTO leads (id, first_name, email, email_key, created_at,"
                           " updated_at) VALUES"
                           " ('soren', 'Søren', 'Søren@Café.example', 'søren@café.example', 1, 1),"
                           " ('ada', 'Ada', 'Ada@Example.org', 'ada@example.org', 1, 1)",
                           &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(CpDatabase) database = cp_database_open (path, &error);
    g_autoptr(CpLeadStore) store = NULL;
    g_autoptr(CpLead) probe = cp_lead_new ();
    g_autoptr(GPtrArray) found = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (cp_database_get_schema_version (database), >=, 10);
    g_assert_cmpint (cp_test_sql_int (database,
                                      "SELECT count(*) FROM leads WHERE id = 'soren'"
                                      " AND email_key = 'søren@xn--caf-dma.example'",
                                      NULL),
                     ==, 1);
    g_assert_cmpint (cp_test_sql_int (database, "SELECT count(*) FROM leads WHERE id = 'ada'"
                                                " AND email_key = 'ada@example.org'", NULL), ==, 1);
    /* Found by the A-label spelling, in capitals. */
    store = cp_lead_store_new (database);
    cp_lead_set_text (probe, CP_LEAD_FIELD_EMAIL, "SØREN@XN--CAF-DMA.EXAMPLE");
    found = cp_lead_store_find_duplicates (store, probe, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 1);
    g_assert_cmpstr (((CpDuplicateCandidate *) found->pdata[0])->lead_id, ==, "soren");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, cp_test_dir_set_up, func, cp_test_dir_tear_down)
  ADD ("/store/open/private-file", test_open_creates_private_file);
  ADD ("/store/schema/column-order", test_columns_follow_field_order);
  ADD ("/store/schema/migrations-from-every-version", test_migrations_from_every_version);
  ADD ("/store/schema/email-keys-recomputed", test_migration_recomputes_email_keys);
  ADD ("/store/open/refuses-newer", test_refuses_newer_database);
  ADD ("/store/open/refuses-foreign", test_refuses_foreign_files);
  ADD ("/store/crash/sigkill-keeps-committed", test_sigkill_mid_write_keeps_committed);
  ADD ("/store/concurrency/reader-sees-whole-transactions", test_reader_sees_whole_transactions);
  ADD ("/store/input/hostile", test_hostile_input);
  ADD ("/store/audit/trail", test_audit_trail);
  ADD ("/store/merge/undo-restores-both", test_merge_and_undo_restore_both);
#undef ADD

  return g_test_run ();
}
