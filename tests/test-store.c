/* test-store.c — the local store: opening, migrations, crash safety, input, audit, queries
 *
 * Every case works in its own temporary folder. Times come from a fixed
 * clock (cp_lead_store_set_clock()) so audit rows and ranges are exact.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cp-activity.h"
#include "cp-core-error.h"
#include "cp-database-private.h"
#include "cp-lead-columns.h"
#include "cp-lead-store.h"
#include "cp-playbook-store.h"
#include "cp-schema.h"
#include "cp-test-util.h"

/* 2023-11-14T22:13:20Z: every test starts its clock here. */
#define T0 G_GINT64_CONSTANT (1700000000)
#define HOUR 3600

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

static gint64 fake_now = T0;

static gint64
fake_clock (void)
{
  return fake_now;
}

typedef struct
{
  char *dir;
  char *path;   /* dir/leads.db, not created */
} TestDir;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      remove_tree (child);
    }
  g_remove (path);
}

static TestDir *
test_dir_new (void)
{
  g_autoptr(GError) error = NULL;
  TestDir *tmp = g_new0 (TestDir, 1);

  tmp->dir = g_dir_make_tmp ("carepath-test-store-XXXXXX", &error);
  g_assert_no_error (error);
  tmp->path = g_build_filename (tmp->dir, "leads.db", NULL);
  fake_now = T0;

  return tmp;
}

static void
test_dir_free (TestDir *tmp)
{
  remove_tree (tmp->dir);
  g_assert_false (g_file_test (tmp->dir, G_FILE_TEST_EXISTS));
  g_free (tmp->dir);
  g_free (tmp->path);
  g_free (tmp);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestDir, test_dir_free)

static CpDatabase *
open_database (const char *path)
{
  g_autoptr(GError) error = NULL;
  CpDatabase *database = cp_database_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (database);
  return database;
}

static CpLeadStore *
open_store (const char *path)
{
  g_autoptr(CpDatabase) database = open_database (path);
  g_autoptr(GPtrArray) versions = cp_playbook_store_list (database, NULL);
  CpLeadStore *store = cp_lead_store_new (database);

  /* The store's mechanics: any lead may move anywhere here. What the
   * playbook's stage rules allow is test-lifecycle's. */
  if (versions != NULL && versions->len == 0)
    cp_test_publish_open_playbook (database);
  cp_lead_store_set_clock (store, fake_clock);
  return store;
}

static sqlite3 *
store_handle (CpLeadStore *store)
{
  return _cp_database_get_handle (cp_lead_store_get_database (store));
}

/* The first column of the first row of @sql, with @text (if any) bound to ?1. */
static gint64
sql_int (sqlite3    *handle,
         const char *sql,
         const char *text)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static char *
sql_text (sqlite3    *handle,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

static void
sql_exec (sqlite3    *handle,
          const char *sql)
{
  char *message = NULL;
  int rc = sqlite3_exec (handle, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *handle = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                    NULL), ==, SQLITE_OK);
  return handle;
}

static gint64
audit_rows (CpLeadStore *store,
            const char  *lead_id,
            const char  *action)
{
  g_autofree char *sql = NULL;

  /* Without an action: the rows of what callers did; what the playbook
   * derived from it (routing, scores) is counted by action. */
  if (action == NULL)
    return sql_int (store_handle (store), "SELECT count(*) FROM audit_log WHERE entity_id = ?1"
                    " AND action NOT IN ('route', 'rescore')", lead_id);

  /* @action is a literal of the tests, never input. */
  sql = g_strdup_printf ("SELECT count(*) FROM audit_log WHERE entity_id = ?1 AND action = '%s'",
                         action);
  return sql_int (store_handle (store), sql, lead_id);
}

static gint64
stage_event_rows (CpLeadStore *store,
                  const char  *lead_id)
{
  return sql_int (store_handle (store), "SELECT count(*) FROM stage_events WHERE lead_id = ?1",
                  lead_id);
}

static gint64
total_rows (CpLeadStore *store,
            const char  *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);

  return sql_int (store_handle (store), sql, NULL);
}

static char *
file_sha256 (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

static CpLead *
lead_new (const char *first,
          const char *last)
{
  CpLead *lead = cp_lead_new ();

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, first);
  cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, last);
  return lead;
}

/* Creates @lead (asserting success) and returns its new id. */
static char *
create_lead (CpLeadStore *store,
             CpLead      *lead)
{
  g_autoptr(GError) error = NULL;

  gboolean created = cp_lead_store_create (store, lead, "tester", &error);

  g_assert_no_error (error);
  g_assert_true (created);
  g_assert_nonnull (cp_lead_get_id (lead));
  return g_strdup (cp_lead_get_id (lead));
}

static char *
create_named (CpLeadStore *store,
              const char  *first,
              const char  *last)
{
  g_autoptr(CpLead) lead = lead_new (first, last);

  return create_lead (store, lead);
}

static guint
count_leads (CpLeadStore       *store,
             const CpLeadQuery *query)
{
  g_autoptr(GError) error = NULL;
  guint count = G_MAXUINT;

  g_assert_true (cp_lead_store_count (store, query, &count, &error));
  g_assert_no_error (error);
  return count;
}

static GPtrArray *
query_leads (CpLeadStore       *store,
             const CpLeadQuery *query,
             guint              offset,
             guint              limit)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *leads = cp_lead_store_query (store, query, offset, limit, &error);

  g_assert_no_error (error);
  g_assert_nonnull (leads);
  return leads;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The ids of a query's result, sorted, joined by spaces: easy to compare. */
static char *
search_ids (CpLeadStore *store,
            const char  *search)
{
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GPtrArray) leads = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  query->search = g_strdup (search);
  leads = query_leads (store, query, 0, 0);
  g_assert_cmpuint (leads->len, ==, count_leads (store, query));
  for (guint i = 0; i < leads->len; i++)
    g_ptr_array_add (ids, (gpointer) cp_lead_get_id (leads->pdata[i]));
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);

  return g_strjoinv (" ", (char **) ids->pdata);
}

/* Sorted, space-separated: the expected form of search_ids(). */
static char * G_GNUC_NULL_TERMINATED
id_set (const char *first,
        ...)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  va_list args;

  va_start (args, first);
  for (const char *id = first; id != NULL; id = va_arg (args, const char *))
    g_ptr_array_add (ids, (gpointer) id);
  va_end (args);
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);

  return g_strjoinv (" ", (char **) ids->pdata);
}

static CpLead *
get_lead (CpLeadStore *store,
          const char  *id)
{
  g_autoptr(GError) error = NULL;
  CpLead *lead = cp_lead_store_get (store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (lead);
  return lead;
}

static void
assert_lead_gone (CpLeadStore *store,
                  const char  *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = cp_lead_store_get (store, id, &error);

  g_assert_null (lead);
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
}

static void
assert_database_sound (CpDatabase *database)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = cp_database_check (database, &error);

  g_assert_no_error (error);
  g_assert_nonnull (problems);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (const char *) problems->pdata[i]);
  g_assert_cmpuint (problems->len, ==, 0);
}

static gboolean
custom_fields_equal (CpLead *a,
                     CpLead *b)
{
  GHashTable *fa = cp_lead_get_custom_fields (a);
  GHashTable *fb = cp_lead_get_custom_fields (b);
  guint na = fa != NULL ? g_hash_table_size (fa) : 0;
  guint nb = fb != NULL ? g_hash_table_size (fb) : 0;
  GHashTableIter iter;
  gpointer key, value;

  if (na != nb)
    return FALSE;
  if (na == 0)
    return TRUE;

  g_hash_table_iter_init (&iter, fa);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (value, g_hash_table_lookup (fb, key)) != 0)
      return FALSE;

  return TRUE;
}

/* Every canonical field equal, except those in @skip (terminated by
 * CP_LEAD_N_FIELDS); names the first difference. */
static void
assert_leads_equal (CpLead            *expected,
                    CpLead            *actual,
                    const CpLeadField *skip)
{
  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    {
      gboolean skipped = FALSE;

      for (guint j = 0; skip != NULL && skip[j] != CP_LEAD_N_FIELDS; j++)
        skipped |= skip[j] == i;
      if (skipped)
        continue;

      if (!cp_lead_equal_field (expected, actual, i))
        {
          g_autofree char *want = cp_lead_dup_field_string (expected, i);
          g_autofree char *got = cp_lead_dup_field_string (actual, i);

          g_error ("field %s differs: expected “%s”, got “%s”",
                   cp_lead_field_info (i)->name, want ? want : "(null)", got ? got : "(null)");
        }
    }
}

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

static CpStageSummary *
find_summary (GPtrArray  *summaries,
              const char *stage)
{
  for (guint i = 0; i < summaries->len; i++)
    if (g_strcmp0 (((CpStageSummary *) summaries->pdata[i])->stage, stage) == 0)
      return summaries->pdata[i];

  return NULL;
}

static CpStageSummary *
require_summary (GPtrArray  *summaries,
                 const char *stage)
{
  CpStageSummary *summary = find_summary (summaries, stage);

  if (summary == NULL)
    g_error ("no summary for the stage %s", stage);
  return summary;
}

/* Records the store's ::changed emissions. */
typedef struct
{
  char         *lead_id;
  CpLeadChange  change;
} Change;

static void
change_free (Change *change)
{
  g_free (change->lead_id);
  g_free (change);
}

static void
store_changed_cb (CpLeadStore *store,
                  const char  *lead_id,
                  guint        change,
                  gpointer     user_data)
{
  GPtrArray *changes = user_data;
  Change *record = g_new0 (Change, 1);

  record->lead_id = g_strdup (lead_id);
  record->change = change;
  g_ptr_array_add (changes, record);
}

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
assert_change (GPtrArray    *changes,
               guint         index,
               const char   *lead_id,
               CpLeadChange  change)
{
  Change *record;

  g_assert_cmpuint (index, <, changes->len);
  record = changes->pdata[index];
  g_assert_cmpstr (record->lead_id, ==, lead_id);
  g_assert_cmpint (record->change, ==, change);
}

/* ------------------------------------------------------------------ */
/* 1. Opening                                                           */
/* ------------------------------------------------------------------ */

static void
test_open_creates_private_file (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autofree char *folder = g_build_filename (tmp->dir, "data", "carepath", NULL);
  g_autofree char *path = g_build_filename (folder, "leads.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *journal_mode = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  CpDatabase *database;
  sqlite3 *handle;

  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));

  store = open_store (path);
  database = cp_lead_store_get_database (store);
  handle = _cp_database_get_handle (database);

  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (file_mode (folder) & 077, ==, 0);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (file_mode (path), ==, 0600);

  g_assert_cmpstr (cp_database_get_path (database), ==, path);
  g_assert_cmpint (cp_database_get_latest_schema_version (), ==, cp_schema_latest_version ());
  g_assert_cmpint (cp_database_get_latest_schema_version (), >=, 2);
  g_assert_cmpint (cp_database_get_schema_version (database), ==,
                   cp_database_get_latest_schema_version ());
  g_assert_cmpint (sql_int (handle, "PRAGMA user_version", NULL), ==,
                   cp_database_get_latest_schema_version ());
  g_assert_cmpint (sql_int (handle, "PRAGMA application_id", NULL), ==, 1128354373);
  g_assert_cmpint (CP_SCHEMA_APPLICATION_ID, ==, 1128354373);
  journal_mode = sql_text (handle, "PRAGMA journal_mode");
  g_assert_cmpstr (journal_mode, ==, "wal");
  g_assert_cmpint (sql_int (handle, "PRAGMA foreign_keys", NULL), ==, 1);
  /* A new file is not an upgrade: no backup. */
  g_assert_null (cp_database_get_backup_path (database));
  g_assert_false (cp_database_in_transaction (database));

  /* The write-ahead log and shared memory hold lead data too. */
  g_free (create_named (store, "Ada", "Lovelace"));
  g_assert_true (g_file_test (wal, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (file_mode (wal), ==, 0600);
  g_assert_true (g_file_test (shm, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (file_mode (shm), ==, 0600);

  assert_database_sound (database);
}

static void
test_open_restricts_existing_file (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = NULL;

  /* An empty file left world-readable, e.g. by a backup tool. */
  g_file_set_contents (tmp->path, "", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (tmp->path, 0644), ==, 0);

  database = open_database (tmp->path);
  g_assert_cmpuint (file_mode (tmp->path), ==, 0600);
  g_assert_cmpint (cp_database_get_schema_version (database), ==,
                   cp_database_get_latest_schema_version ());
}

static void
test_open_reopen_keeps_data (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autofree char *id = NULL;

  {
    g_autoptr(CpLeadStore) store = open_store (tmp->path);
    id = create_named (store, "Grace", "Hopper");
  }
  {
    g_autoptr(CpLeadStore) store = open_store (tmp->path);
    g_autoptr(CpLead) lead = get_lead (store, id);

    g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_LAST_NAME), ==, "Hopper");
    /* Already current: no second backup. */
    g_assert_null (cp_database_get_backup_path (cp_lead_store_get_database (store)));
  }
}

/* ------------------------------------------------------------------ */
/* 2. Migrations                                                        */
/* ------------------------------------------------------------------ */

static guint
count_backups (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    n += strstr (name, ".bak-v") != NULL;

  return n;
}

static void
test_migrate_from_empty_file (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autofree char *id = NULL;

  g_file_set_contents (tmp->path, "", 0, &error);
  g_assert_no_error (error);

  store = open_store (tmp->path);
  g_assert_cmpint (cp_database_get_schema_version (cp_lead_store_get_database (store)), ==,
                   cp_database_get_latest_schema_version ());
  g_assert_null (cp_database_get_backup_path (cp_lead_store_get_database (store)));
  g_assert_cmpuint (count_backups (tmp->dir), ==, 0);

  id = create_named (store, "Empty", "Start");
  g_assert_cmpuint (count_leads (store, NULL), ==, 1);
  assert_database_sound (cp_lead_store_get_database (store));
}

/* A lead row as an old Carepath wrote it: only columns of schema 1. */
#define OLD_LEAD_ID "0b9d1a52-5f0c-4d0e-9f7a-000000000001"
#define OLD_LEAD_SQL \
  "INSERT INTO leads (id, first_name, last_name, email, phone, organization, stage, score," \
  " notes, created_at, updated_at, stage_entered_at)" \
  " VALUES ('" OLD_LEAD_ID "', 'Adaeze', 'Okonkwo', 'adaeze@clinic.example.org'," \
  " '+12025550143', 'Riverside Clinic', 'qualified', 40, 'Asked about telehealth'," \
  " 1600000000, 1600000100, 1600000000)"

static void
test_migrate_from_every_version (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  int latest = cp_database_get_latest_schema_version ();

  for (int version = 1; version < latest; version++)
    {
      g_autofree char *path = g_strdup_printf ("%s/v%d.db", tmp->dir, version);
      g_autofree char *expected_backup = g_strdup_printf ("%s.bak-v%d", path, version);
      g_autoptr(GError) error = NULL;

      g_test_message ("migrating from schema version %d", version);

      {
        g_autoptr(CpDatabase) old = _cp_database_open_at_version (path, version, &error);
        sqlite3 *handle;

        g_assert_no_error (error);
        g_assert_nonnull (old);
        g_assert_cmpint (cp_database_get_schema_version (old), ==, version);
        handle = _cp_database_get_handle (old);
        g_assert_cmpint (sql_int (handle, "PRAGMA user_version", NULL), ==, version);
        /* Schema 1 had no search index yet. */
        g_assert_cmpint (sql_int (handle, "SELECT count(*) FROM sqlite_master"
                                          " WHERE name = 'leads_fts'", NULL),
                         ==, version >= 2 ? 1 : 0);
        sql_exec (handle, OLD_LEAD_SQL);
      }

      {
        g_autoptr(CpDatabase) database = cp_database_open (path, &error);
        g_autoptr(CpLeadStore) store = NULL;
        g_autoptr(CpLead) lead = NULL;
        g_autoptr(GPtrArray) summaries = NULL;
        g_autofree char *found = NULL;
        g_autofree char *new_id = NULL;
        CpStageSummary *qualified;

        g_assert_no_error (error);
        g_assert_nonnull (database);
        g_assert_cmpint (cp_database_get_schema_version (database), ==, latest);
        g_assert_cmpint (sql_int (_cp_database_get_handle (database), "PRAGMA user_version", NULL),
                         ==, latest);
        g_assert_cmpstr (cp_database_get_backup_path (database), ==, expected_backup);
        g_assert_true (g_file_test (expected_backup, G_FILE_TEST_IS_REGULAR));
        g_assert_cmpuint (file_mode (expected_backup), ==, 0600);
        assert_database_sound (database);

        store = cp_lead_store_new (database);
        cp_lead_store_set_clock (store, fake_clock);

        lead = get_lead (store, OLD_LEAD_ID);
        g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_FIRST_NAME), ==, "Adaeze");
        g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_LAST_NAME), ==, "Okonkwo");
        g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_PHONE), ==, "+12025550143");
        g_assert_cmpstr (cp_lead_get_stage (lead), ==, "qualified");
        g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE), ==, 40);
        g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_CREATED_AT), ==, 1600000000);

        /* Findable by full-text search, whichever version indexed it. */
        found = search_ids (store, "okonk");
        g_assert_cmpstr (found, ==, OLD_LEAD_ID);
        g_clear_pointer (&found, g_free);
        found = search_ids (store, "telehealth");
        g_assert_cmpstr (found, ==, OLD_LEAD_ID);
        g_clear_pointer (&found, g_free);

        /* The per-stage totals know the old lead. */
        g_assert_cmpuint (count_leads (store, NULL), ==, 1);
        summaries = cp_lead_store_stage_summaries (store, NULL, &error);
        g_assert_no_error (error);
        qualified = require_summary (summaries, "qualified");
        g_assert_cmpuint (qualified->count, ==, 1);
        g_assert_cmpint (qualified->score_sum, ==, 40);

        /* The migrated row takes part in every later write. */
        {
          g_autoptr(CpLead) edited = cp_lead_copy (lead);

          cp_lead_set_text (edited, CP_LEAD_FIELD_LAST_NAME, "Okafor");
          g_assert_true (cp_lead_store_update (store, edited, "tester", NULL, &error));
          g_assert_no_error (error);
        }
        found = search_ids (store, "okafor");
        g_assert_cmpstr (found, ==, OLD_LEAD_ID);
        g_clear_pointer (&found, g_free);
        found = search_ids (store, "okonk");
        g_assert_cmpstr (found, ==, "");
        g_clear_pointer (&found, g_free);
        new_id = create_named (store, "New", "Arrival");
        g_assert_cmpuint (count_leads (store, NULL), ==, 2);
        assert_database_sound (database);
      }

      /* The backup is the old file as it was. */
      {
        g_autoptr(CpDatabase) backup = NULL;

        backup = _cp_database_open_at_version (expected_backup, version, &error);

        g_assert_no_error (error);
        g_assert_cmpint (cp_database_get_schema_version (backup), ==, version);
        g_assert_cmpint (sql_int (_cp_database_get_handle (backup), "PRAGMA user_version", NULL),
                         ==, version);
        g_assert_cmpint (sql_int (_cp_database_get_handle (backup),
                                  "SELECT count(*) FROM leads"
                                  " WHERE id = ?1 AND last_name = 'Okonkwo'", OLD_LEAD_ID), ==, 1);
        g_assert_null (cp_database_get_backup_path (backup));
      }

      /* Opening the upgraded file again copies nothing more. */
      {
        g_autoptr(CpDatabase) again = open_database (path);

        g_assert_null (cp_database_get_backup_path (again));
        g_assert_cmpint (cp_database_get_schema_version (again), ==, latest);
      }
    }
}

static void
test_migrate_failure_keeps_file (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = NULL;

  {
    g_autoptr(CpDatabase) old = _cp_database_open_at_version (tmp->path, 1, &error);

    g_assert_no_error (error);
    sql_exec (_cp_database_get_handle (old), OLD_LEAD_SQL);
    /* Something in the way of migration 2. */
    sql_exec (_cp_database_get_handle (old), "CREATE TABLE leads_fts (x)");
  }

  database = cp_database_open (tmp->path, &error);
  g_assert_null (database);
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_MIGRATION);
  g_assert_nonnull (strstr (error->message, "version 2"));
  g_clear_error (&error);

  {
    sqlite3 *handle = raw_open (tmp->path);

    g_assert_cmpint (sql_int (handle, "PRAGMA user_version", NULL), ==, 1);
    /* Nothing of migration 2 stayed. */
    g_assert_cmpint (sql_int (handle, "SELECT count(*) FROM sqlite_master WHERE name = 'merges'",
                              NULL), ==, 0);
    g_assert_cmpint (sql_int (handle, "SELECT count(*) FROM leads", NULL), ==, 1);
    sqlite3_close (handle);
  }
}

/* ------------------------------------------------------------------ */
/* 3. Refusing files                                                    */
/* ------------------------------------------------------------------ */

static void
test_open_refuses_newer (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = NULL;
  g_autofree char *hash_before = NULL;
  g_autofree char *hash_after = NULL;
  g_autofree char *set_version = NULL;
  int newer = cp_database_get_latest_schema_version () + 1;

  {
    g_autoptr(CpLeadStore) store = open_store (tmp->path);
    g_free (create_named (store, "From", "Tomorrow"));
  }
  {
    sqlite3 *handle = raw_open (tmp->path);

    set_version = g_strdup_printf ("PRAGMA user_version = %d", newer);
    sql_exec (handle, set_version);
    sql_exec (handle, "PRAGMA application_id = 1128354373");
    sqlite3_close (handle);
  }
  hash_before = file_sha256 (tmp->path);

  database = cp_database_open (tmp->path, &error);
  g_assert_null (database);
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  database = cp_database_open_readonly (tmp->path, &error);
  g_assert_null (database);
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_TOO_NEW);
  g_clear_error (&error);

  hash_after = file_sha256 (tmp->path);
  g_assert_cmpstr (hash_before, ==, hash_after);
  g_assert_cmpuint (count_backups (tmp->dir), ==, 0);
  {
    sqlite3 *handle = raw_open (tmp->path);

    g_assert_cmpint (sql_int (handle, "PRAGMA user_version", NULL), ==, newer);
    g_assert_cmpint (sql_int (handle, "SELECT count(*) FROM leads", NULL), ==, 1);
    sqlite3_close (handle);
  }
}

static void
assert_refused (const char *path,
                int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = NULL;
  g_autofree char *hash_before = file_sha256 (path);
  g_autofree char *hash_after = NULL;
  g_autofree char *name = g_path_get_basename (path);

  database = cp_database_open (path, &error);
  g_assert_null (database);
  g_assert_error (error, CP_STORE_ERROR, code);
  /* Readable: valid text that names the file. */
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (strstr (error->message, name));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  database = cp_database_open_readonly (path, &error);
  g_assert_null (database);
  g_assert_error (error, CP_STORE_ERROR, code);

  hash_after = file_sha256 (path);
  g_assert_cmpstr (hash_before, ==, hash_after);
}

static void
test_open_refuses_foreign (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autofree char *photos = g_build_filename (tmp->dir, "photos.sqlite", NULL);
  g_autofree char *versioned = g_build_filename (tmp->dir, "versioned.sqlite", NULL);
  g_autofree char *noise = g_build_filename (tmp->dir, "noise.db", NULL);
  g_autofree char *text = g_build_filename (tmp->dir, "notes.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20231114);
  g_autofree guint8 *bytes = g_malloc (64 * 1024);

  /* Another program's database, which never set a user_version. */
  {
    sqlite3 *handle = raw_open (photos);

    sql_exec (handle, "CREATE TABLE photos (id INTEGER PRIMARY KEY, caption TEXT);"
                      "INSERT INTO photos (caption) VALUES ('beach');");
    sqlite3_close (handle);
  }
  assert_refused (photos, CP_STORE_ERROR_CORRUPT);
  {
    sqlite3 *handle = raw_open (photos);

    /* Not touched: no Carepath table in it. */
    g_assert_cmpint (sql_int (handle, "SELECT count(*) FROM sqlite_master WHERE name = 'leads'",
                              NULL), ==, 0);
    g_assert_cmpint (sql_int (handle, "PRAGMA user_version", NULL), ==, 0);
    sqlite3_close (handle);
  }

  /* Another program that uses user_version for its own schema. */
  {
    sqlite3 *handle = raw_open (versioned);

    sql_exec (handle, "CREATE TABLE leads (name TEXT); PRAGMA user_version = 2;");
    sqlite3_close (handle);
  }
  assert_refused (versioned, CP_STORE_ERROR_CORRUPT);

  /* Random bytes and plain text: refused with a message, not a crash. */
  for (guint i = 0; i < 64 * 1024; i++)
    bytes[i] = g_rand_int_range (rand, 0, 256);
  g_file_set_contents (noise, (const char *) bytes, 64 * 1024, &error);
  g_assert_no_error (error);
  assert_refused (noise, CP_STORE_ERROR_CORRUPT);

  g_file_set_contents (text, "name,email\nAda,ada@example.org\n", -1, &error);
  g_assert_no_error (error);
  assert_refused (text, CP_STORE_ERROR_CORRUPT);
}

static void
test_open_readonly_needs_current_file (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = NULL;

  /* Missing: an error, and nothing is created. */
  database = cp_database_open_readonly (tmp->path, &error);
  g_assert_null (database);
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_OPEN);
  g_assert_false (g_file_test (tmp->path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* Old: needs an upgrade a reader cannot do. */
  {
    g_autoptr(CpDatabase) old = _cp_database_open_at_version (tmp->path, 1, &error);
    g_assert_no_error (error);
  }
  database = cp_database_open_readonly (tmp->path, &error);
  g_assert_null (database);
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_MIGRATION);
}

/* ------------------------------------------------------------------ */
/* 4. Crash safety                                                      */
/* ------------------------------------------------------------------ */

#define CRASH_BATCH  100
#define CRASH_TARGET 500
#define CRASH_TIMEOUT_MS 120000

enum
{
  REPORT_MIDDLE = 1,     /* half a batch is written, not committed */
  REPORT_COMMITTED = 2,  /* value: leads committed so far */
};

typedef struct
{
  guint32 kind;
  guint32 value;
} CrashReport;

static void
child_report (int     fd,
              guint32 kind,
              guint32 value)
{
  CrashReport report = { kind, value };
  gssize n;

  do
    n = write (fd, &report, sizeof report);
  while (n < 0 && errno == EINTR);
  if (n != sizeof report)
    _exit (10);
}

/* Runs in the forked child: writes batches until it is killed. With
 * @hold_fd, it stops in the middle of the first batch after the target,
 * with the transaction open, and waits to be killed there. */
static void G_GNUC_NORETURN
crash_child (const char *path,
             int         report_fd,
             int         hold_fd)
{
  g_autoptr(GError) error = NULL;
  CpDatabase *database;
  CpLeadStore *store;
  guint32 committed = 0;

  /* Lead ids come from GLib's global random generator, which a forked
   * child shares with its parent: without a new seed, the parent's next
   * ids would repeat the child's. */
  g_random_set_seed ((guint32) getpid () ^ (guint32) g_get_monotonic_time ());

  database = cp_database_open (path, &error);
  if (database == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      _exit (2);
    }
  store = cp_lead_store_new (database);

  /* A tiny page cache makes SQLite spill the open transaction's pages into
   * the write-ahead log before COMMIT, so the kill leaves uncommitted
   * frames behind that recovery must ignore. */
  if (hold_fd >= 0)
    sqlite3_exec (_cp_database_get_handle (database), "PRAGMA cache_size = 8", NULL, NULL, NULL);

  for (guint batch = 0; batch < 200; batch++)
    {
      g_autofree char *campaign = g_strdup_printf ("batch-%u", batch);

      if (!cp_database_begin (database, &error))
        {
          g_printerr ("child: %s\n", error->message);
          _exit (3);
        }
      for (guint i = 0; i < CRASH_BATCH; i++)
        {
          g_autoptr(CpLead) lead = lead_new ("Crash", NULL);
          g_autofree char *last = g_strdup_printf ("Batch%u Lead%u", batch, i);

          cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, last);
          cp_lead_set_text (lead, CP_LEAD_FIELD_CAMPAIGN, campaign);
          cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES,
                            "Interested in the diabetes education programme; call after 5 pm. "
                            "Prefers email for paperwork and reminders.");
          if (!cp_lead_store_create (store, lead, "crash-child", &error))
            {
              g_printerr ("child: %s\n", error->message);
              _exit (4);
            }
          if (i == CRASH_BATCH / 2)
            {
              child_report (report_fd, REPORT_MIDDLE, committed);
              if (hold_fd >= 0 && committed >= CRASH_TARGET)
                {
                  char byte;
                  /* Blocks with the transaction open until SIGKILL. */
                  while (read (hold_fd, &byte, 1) < 0 && errno == EINTR)
                    ;
                  _exit (5);
                }
            }
        }
      if (!cp_database_commit (database, &error))
        {
          g_printerr ("child: %s\n", error->message);
          _exit (6);
        }
      committed += CRASH_BATCH;
      child_report (report_fd, REPORT_COMMITTED, committed);
    }

  _exit (7);
}

/* 1: a report; 0: end of file; -1: timeout. */
static int
read_report (int          fd,
             CrashReport *report,
             int          timeout_ms)
{
  GPollFD pfd = { fd, G_IO_IN | G_IO_HUP | G_IO_ERR, 0 };
  gssize n;
  int ready;

  do
    ready = g_poll (&pfd, 1, timeout_ms);
  while (ready < 0 && errno == EINTR);
  if (ready == 0)
    return -1;

  do
    n = read (fd, report, sizeof *report);
  while (n < 0 && errno == EINTR);

  if (n == 0)
    return 0;
  g_assert_cmpint (n, ==, sizeof *report);
  return 1;
}

static void
run_crash_test (gboolean hold_mid_transaction)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  int report_pipe[2], hold_pipe[2];
  guint32 last_committed = 0;
  gboolean seen_middle = FALSE;
  CrashReport report;
  int status = 0;
  guint count;
  pid_t pid;

  g_assert_true (g_unix_open_pipe (report_pipe, FD_CLOEXEC, &error));
  g_assert_no_error (error);
  g_assert_true (g_unix_open_pipe (hold_pipe, FD_CLOEXEC, &error));
  g_assert_no_error (error);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (report_pipe[0]);
      close (hold_pipe[1]);
      crash_child (tmp->path, report_pipe[1], hold_mid_transaction ? hold_pipe[0] : -1);
    }
  close (report_pipe[1]);
  close (hold_pipe[0]);

  /* Wait for enough commits, then for the middle of the next batch. */
  for (;;)
    {
      int rc = read_report (report_pipe[0], &report, CRASH_TIMEOUT_MS);

      if (rc <= 0)
        {
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
          g_error ("the writer stopped early (%s, status %d) after %u leads",
                   rc == 0 ? "exited" : "timeout", status, last_committed);
        }
      if (report.kind == REPORT_COMMITTED)
        last_committed = report.value;
      else if (report.kind == REPORT_MIDDLE && last_committed >= CRASH_TARGET)
        {
          seen_middle = TRUE;
          break;
        }
    }
  g_assert_true (seen_middle);

  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  /* What the child reported before it died is all in the pipe. */
  while (read_report (report_pipe[0], &report, CRASH_TIMEOUT_MS) == 1)
    if (report.kind == REPORT_COMMITTED)
      last_committed = report.value;
  close (report_pipe[0]);
  close (hold_pipe[1]);

  {
    g_autofree char *wal = g_strconcat (tmp->path, "-wal", NULL);
    GStatBuf st;

    if (g_stat (wal, &st) == 0)
      g_test_message ("write-ahead log left by the killed writer: %" G_GINT64_FORMAT " bytes",
                      (gint64) st.st_size);
  }

  store = open_store (tmp->path);
  assert_database_sound (cp_lead_store_get_database (store));

  count = (guint) sql_int (store_handle (store), "SELECT count(*) FROM leads", NULL);
  g_test_message ("committed %u, found %u", last_committed, count);
  g_assert_cmpuint (count % CRASH_BATCH, ==, 0);
  g_assert_cmpuint (count, >=, last_committed);
  g_assert_cmpuint (count, <=, last_committed + CRASH_BATCH);
  if (hold_mid_transaction)
    g_assert_cmpuint (count, ==, last_committed);

  /* Whole batches only, each with its history and search entries. */
  g_assert_cmpuint (count_leads (store, NULL), ==, count);
  g_assert_cmpint (sql_int (store_handle (store),
                            "SELECT count(*) FROM (SELECT campaign FROM leads GROUP BY campaign"
                            " HAVING count(*) <> 100)", NULL), ==, 0);
  g_assert_cmpint (sql_int (store_handle (store), "SELECT count(DISTINCT campaign) FROM leads",
                            NULL), ==, count / CRASH_BATCH);
  /* Each lead: its creation, with who routing gave it to; and its
   * first-response task (New has a response SLA), with its own audit row. */
  g_assert_cmpint (sql_int (store_handle (store), "SELECT count(*) FROM audit_log WHERE entity = 'lead'", NULL),
                   ==, count);
  g_assert_cmpint (total_rows (store, "tasks"), ==, count);
  g_assert_cmpint (sql_int (store_handle (store), "SELECT count(*) FROM audit_log WHERE entity = 'task'", NULL),
                   ==, count);
  g_assert_cmpint (total_rows (store, "stage_events"), ==, count);
  {
    g_autoptr(CpLeadQuery) query = cp_lead_query_new ();

    query->search = g_strdup ("crash");
    g_assert_cmpuint (count_leads (store, query), ==, count);
  }

  /* And the file takes new writes. */
  g_free (create_named (store, "After", "Crash"));
  g_assert_cmpuint (count_leads (store, NULL), ==, count + 1);
}

static void
test_crash_kill_while_writing (void)
{
  run_crash_test (FALSE);
}

static void
test_crash_kill_mid_transaction (void)
{
  run_crash_test (TRUE);
}

/* ------------------------------------------------------------------ */
/* 5. A reader while a writer works                                     */
/* ------------------------------------------------------------------ */

#define WRITER_BATCHES 24
#define WRITER_BATCH_SIZE 25

typedef struct
{
  const char *path;
  GMutex      lock;
  GCond       cond;
  gboolean    start;
  guint       reader_seen;   /* the largest count the reader saw */
  gint        done;          /* atomic */
  char       *failure;
} WriterData;

static gpointer
writer_thread (gpointer user_data)
{
  WriterData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = cp_database_open (data->path, &error);
  g_autoptr(CpLeadStore) store = NULL;

  if (database == NULL)
    {
      data->failure = g_strdup (error->message);
      g_atomic_int_set (&data->done, 1);
      return NULL;
    }
  store = cp_lead_store_new (database);

  g_mutex_lock (&data->lock);
  while (!data->start)
    g_cond_wait (&data->cond, &data->lock);
  g_mutex_unlock (&data->lock);

  for (guint batch = 0; batch < WRITER_BATCHES && data->failure == NULL; batch++)
    {
      if (!cp_database_begin (database, &error))
        break;
      for (guint i = 0; i < WRITER_BATCH_SIZE; i++)
        {
          g_autoptr(CpLead) lead = lead_new ("Reader", NULL);
          g_autofree char *last = g_strdup_printf ("Writer%u Lead%u", batch, i);

          cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, last);
          if (!cp_lead_store_create (store, lead, "writer", &error))
            break;
        }
      if (error != NULL)
        {
          cp_database_rollback (database);
          break;
        }
      if (!cp_database_commit (database, &error))
        break;

      /* Halfway, make sure the reader sees a state between empty and full. */
      if (batch + 1 == WRITER_BATCHES / 2)
        {
          gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

          g_mutex_lock (&data->lock);
          while (data->reader_seen < (batch + 1) * WRITER_BATCH_SIZE)
            if (!g_cond_wait_until (&data->cond, &data->lock, deadline))
              break;
          g_mutex_unlock (&data->lock);
        }
    }

  if (error != NULL)
    data->failure = g_strdup (error->message);
  g_atomic_int_set (&data->done, 1);
  return NULL;
}

static void
test_concurrent_reader_sees_whole_batches (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) reader = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(CpLeadQuery) filtered = cp_lead_query_new ();
  g_autoptr(GHashTable) distinct = g_hash_table_new (NULL, NULL);
  WriterData data = { 0 };
  GThread *thread;
  guint last_total = 0, last_filtered = 0;
  guint iterations = 0;
  guint total = WRITER_BATCHES * WRITER_BATCH_SIZE;

  /* The schema exists before the reader opens. */
  g_object_unref (open_database (tmp->path));

  data.path = tmp->path;
  g_mutex_init (&data.lock);
  g_cond_init (&data.cond);
  thread = g_thread_new ("writer", writer_thread, &data);

  reader = cp_database_open_readonly (tmp->path, &error);
  g_assert_no_error (error);
  store = cp_lead_store_new (reader);
  /* A filter that matches every lead but makes the count read the rows
   * instead of the per-stage totals. */
  filtered->created_from = 1;

  /* Empty before the writer starts. */
  g_assert_cmpuint (count_leads (store, NULL), ==, 0);
  g_assert_cmpuint (count_leads (store, filtered), ==, 0);
  g_hash_table_add (distinct, GUINT_TO_POINTER (1));

  g_mutex_lock (&data.lock);
  data.start = TRUE;
  g_cond_broadcast (&data.cond);
  g_mutex_unlock (&data.lock);

  for (;;)
    {
      gboolean finished = g_atomic_int_get (&data.done);
      guint by_totals = count_leads (store, NULL);
      guint by_rows = count_leads (store, filtered);

      g_assert_cmpuint (by_totals % WRITER_BATCH_SIZE, ==, 0);
      g_assert_cmpuint (by_rows % WRITER_BATCH_SIZE, ==, 0);
      g_assert_cmpuint (by_totals, >=, last_total);
      g_assert_cmpuint (by_rows, >=, last_filtered);
      last_total = by_totals;
      last_filtered = by_rows;
      g_hash_table_add (distinct, GUINT_TO_POINTER (by_rows + 1));

      if (iterations++ % 16 == 0)
        {
          g_autoptr(GPtrArray) page = query_leads (store, NULL, 0, 0);
          g_assert_cmpuint (page->len % WRITER_BATCH_SIZE, ==, 0);
        }

      g_mutex_lock (&data.lock);
      data.reader_seen = MAX (data.reader_seen, MIN (by_totals, by_rows));
      g_cond_broadcast (&data.cond);
      g_mutex_unlock (&data.lock);

      if (finished)
        break;
    }

  g_thread_join (thread);
  g_assert_cmpstr (data.failure, ==, NULL);
  g_mutex_clear (&data.lock);
  g_cond_clear (&data.cond);

  g_assert_cmpuint (last_total, ==, total);
  g_assert_cmpuint (last_filtered, ==, total);
  /* Empty, at least the halfway state, and full. */
  g_assert_cmpuint (g_hash_table_size (distinct), >=, 3);
  g_test_message ("%u reads, %u distinct counts", iterations, g_hash_table_size (distinct));

  /* The reader cannot write. */
  {
    g_autoptr(CpLead) lead = lead_new ("Read", "Only");

    g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
    g_assert_nonnull (error);
    g_test_message ("read-only create: %s", error->message);
    g_clear_error (&error);
    g_assert_false (cp_database_in_transaction (reader));
    g_assert_cmpuint (count_leads (store, NULL), ==, total);
  }
}

/* ------------------------------------------------------------------ */
/* 6. Bad input                                                         */
/* ------------------------------------------------------------------ */

static void
assert_nothing_written (CpLeadStore *store)
{
  g_assert_cmpint (total_rows (store, "leads"), ==, 0);
  g_assert_cmpint (total_rows (store, "audit_log"), ==, 0);
  g_assert_cmpint (total_rows (store, "stage_events"), ==, 0);
  g_assert_cmpuint (count_leads (store, NULL), ==, 0);
}

static void
test_input_invalid_email (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  const char *bad[] = {
    "maria.example.org", "maria@@example.org", "maria@example", "maria @example.org",
    ".maria@example.org", "maria@-example.org", "maria@example.c",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CpLead) lead = lead_new ("Maria", "Gonzalez");
      g_autoptr(GError) error = NULL;

      cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, bad[i]);
      g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
      g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_assert_nonnull (strstr (error->message, "email"));
    }
  assert_nothing_written (store);

  /* An update with a bad email leaves the stored lead alone. */
  {
    g_autoptr(CpLead) lead = lead_new ("Maria", "Gonzalez");
    g_autoptr(CpLead) edited = NULL;
    g_autoptr(CpLead) stored = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *id = NULL;

    cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "maria@example.org");
    id = create_lead (store, lead);
    edited = get_lead (store, id);
    cp_lead_set_text (edited, CP_LEAD_FIELD_EMAIL, "maria(at)example.org");
    g_assert_false (cp_lead_store_update (store, edited, "tester", NULL, &error));
    g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "maria(at)example.org"));
    stored = get_lead (store, id);
    g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_EMAIL), ==, "maria@example.org");
    g_assert_cmpint (audit_rows (store, id, "update"), ==, 0);
  }
}

static void
test_input_oversized_notes (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  gsize huge_size = 10 * 1024 * 1024;
  g_autofree char *huge = g_malloc (huge_size + 1);
  guint limit = cp_lead_field_info (CP_LEAD_FIELD_NOTES)->max_length;
  g_autofree char *at_limit = g_strnfill (limit, 'n');
  g_autofree char *over_limit = g_strnfill (limit + 1, 'n');

  memset (huge, 'x', huge_size);
  huge[huge_size] = '\0';

  {
    g_autoptr(CpLead) lead = lead_new ("Long", "Notes");
    g_autoptr(GError) error = NULL;

    cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, huge);
    g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
    g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_TOO_LONG);
    g_assert_nonnull (strstr (error->message, "Notes"));
    g_test_message ("%s", error->message);
  }
  {
    g_autoptr(CpLead) lead = lead_new ("Long", "Notes");
    g_autoptr(GError) error = NULL;

    cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, over_limit);
    g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
    g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_TOO_LONG);
  }
  {
    /* A huge custom field is refused just the same. */
    g_autoptr(CpLead) lead = lead_new ("Long", "Custom");
    g_autoptr(GError) error = NULL;

    cp_lead_set_custom (lead, "intake_form", huge);
    g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
    g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_TOO_LONG);
  }
  assert_nothing_written (store);

  /* Exactly the limit is fine; growing past it by an update is not. */
  {
    g_autoptr(CpLead) lead = lead_new ("Long", "Notes");
    g_autoptr(CpLead) stored = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *id = NULL;
    const char *ids[2] = { NULL, NULL };

    cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, at_limit);
    id = create_lead (store, lead);
    cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, huge);
    g_assert_false (cp_lead_store_update (store, lead, "tester", NULL, &error));
    g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_TOO_LONG);
    g_clear_error (&error);

    ids[0] = id;
    g_assert_cmpint (cp_lead_store_set_field_bulk (store, ids, CP_LEAD_FIELD_NOTES, huge, "tester",
                                                   NULL, &error), ==, -1);
    g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_TOO_LONG);

    stored = get_lead (store, id);
    g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_NOTES), ==, at_limit);
    g_assert_cmpint (audit_rows (store, id, "update"), ==, 0);
  }
}

static void
test_input_unicode_names (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  static const struct
  {
    const char *first;
    const char *last;
    const char *search;
  } names[] = {
    /* Emoji with a skin tone and a zero-width joiner. */
    { "Zo\xc3\xab \xf0\x9f\x91\xa9\xf0\x9f\x8f\xbd\xe2\x80\x8d\xe2\x9a\x95\xef\xb8\x8f",
      "Nguy\xe1\xbb\x85n", "nguyen" },
    /* Arabic. */
    { "\xd9\x85\xd8\xb1\xd9\x8a\xd9\x85",
      "\xd8\xa7\xd9\x84\xd8\xad\xd8\xb3\xd9\x8a\xd9\x86\xd9\x8a",
      "\xd9\x85\xd8\xb1\xd9\x8a\xd9\x85" },
    /* Hebrew. */
    { "\xd7\xa9\xd7\xa8\xd7\x94", "\xd7\x9b\xd7\x94\xd7\x9f", "\xd7\x9b\xd7\x94" },
    /* Decomposed: "e" + COMBINING ACUTE ACCENT; stays decomposed. */
    { "Jose\xcc\x81", "Zu\xcc\x88rich", "zurich" },
    /* Stacked combining marks. */
    { "Z\xcc\xb7\xcc\x9b" "a\xcc\xb5l\xcc\xb6g\xcc\xb8o", "Combining", "combining" },
    /* Mixed direction with a right-to-left mark. */
    { "Dr. \xd8\xb3\xd8\xa7\xd8\xb1\xd8\xa9\xe2\x80\x8f", "Smith-\xd7\x9c\xd7\x95\xd7\x99",
      "smith" },
    /* CJK. */
    { "\xe5\xa4\xaa\xe9\x83\x8e", "\xe5\xb1\xb1\xe7\x94\xb0", "\xe5\xb1\xb1\xe7\x94\xb0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(CpLead) lead = lead_new (names[i].first, names[i].last);
      g_autoptr(CpLead) stored = NULL;
      g_autofree char *id = create_lead (store, lead);
      g_autofree char *found = NULL;
      const char *first, *last;

      stored = get_lead (store, id);
      first = cp_lead_get_text (stored, CP_LEAD_FIELD_FIRST_NAME);
      last = cp_lead_get_text (stored, CP_LEAD_FIELD_LAST_NAME);
      g_assert_cmpuint (strlen (first), ==, strlen (names[i].first));
      g_assert_cmpint (memcmp (first, names[i].first, strlen (first)), ==, 0);
      g_assert_cmpuint (strlen (last), ==, strlen (names[i].last));
      g_assert_cmpint (memcmp (last, names[i].last, strlen (last)), ==, 0);

      /* The same bytes from a query (another read path). */
      {
        g_autoptr(GPtrArray) all = query_leads (store, NULL, 0, 0);
        gboolean seen = FALSE;

        for (guint j = 0; j < all->len; j++)
          if (g_strcmp0 (cp_lead_get_id (all->pdata[j]), id) == 0)
            {
              g_assert_cmpstr (cp_lead_get_text (all->pdata[j], CP_LEAD_FIELD_FIRST_NAME), ==,
                               names[i].first);
              seen = TRUE;
            }
        g_assert_true (seen);
      }

      found = search_ids (store, names[i].search);
      g_assert_nonnull (strstr (found, id));
    }

  g_assert_cmpuint (count_leads (store, NULL), ==, G_N_ELEMENTS (names));
  assert_database_sound (cp_lead_store_get_database (store));
}

static void
test_input_sql_metacharacters (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autoptr(CpLead) lead = lead_new ("100%_\"quoted\"", "Robert'); DROP TABLE leads;--");
  g_autoptr(CpLead) other = lead_new ("Dana", "Plain");
  g_autoptr(CpLead) stored = NULL;
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autofree char *id = NULL;
  g_autofree char *other_id = NULL;
  g_autofree char *found = NULL;

  cp_lead_set_text (lead, CP_LEAD_FIELD_ORGANIZATION, "O'Brien \\ Sons; DELETE FROM leads; --");
  cp_lead_set_text (lead, CP_LEAD_FIELD_OWNER, "%");
  cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, "50% off _today_ \"only\"\n' OR '1'='1");
  cp_lead_set_custom (lead, "referrer", "x'); DROP TABLE audit_log;--");
  id = create_lead (store, lead);
  cp_lead_set_text (other, CP_LEAD_FIELD_OWNER, "Dana");
  other_id = create_lead (store, other);

  stored = get_lead (store, id);
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_FIRST_NAME), ==, "100%_\"quoted\"");
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_LAST_NAME), ==,
                   "Robert'); DROP TABLE leads;--");
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_ORGANIZATION), ==,
                   "O'Brien \\ Sons; DELETE FROM leads; --");
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_NOTES), ==,
                   "50% off _today_ \"only\"\n' OR '1'='1");
  g_assert_cmpstr (cp_lead_get_custom (stored, "referrer"), ==, "x'); DROP TABLE audit_log;--");

  g_assert_cmpint (sql_int (store_handle (store),
                            "SELECT count(*) FROM sqlite_master"
                            " WHERE type = 'table' AND name = 'leads'", NULL), ==, 1);
  g_assert_cmpint (sql_int (store_handle (store),
                            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                            " AND name = 'audit_log'", NULL), ==, 1);
  g_assert_cmpuint (count_leads (store, NULL), ==, 2);

  /* Filters compare values, not patterns. */
  query->owner = g_strdup ("%");
  g_assert_cmpuint (count_leads (store, query), ==, 1);
  g_free (query->owner);
  query->owner = g_strdup ("_ana");
  g_assert_cmpuint (count_leads (store, query), ==, 0);
  g_free (query->owner);
  query->owner = g_strdup ("' OR 1=1 --");
  g_assert_cmpuint (count_leads (store, query), ==, 0);

  found = search_ids (store, "Robert'); DROP");
  g_assert_cmpstr (found, ==, id);
  assert_database_sound (cp_lead_store_get_database (store));
}

static void
test_input_search_operators (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autofree char *andrea = create_named (store, "Andrea", "Nearfield");
  g_autofree char *nora = create_named (store, "Nora", "Ortiz");
  g_autofree char *very_long = g_strnfill (20000, 'a');
  const char *searches[] = {
    "\"", "\"\"", "\"unterminated", "*", "**", "a*b", "AND", "OR", "NOT", "NEAR(", "NEAR(a b, 2)",
    "-", "-andrea", "--", "^", "^nora", ":", "first_name:andrea", "{first_name last_name}: nora",
    "(", ")", "()", "'", "\\", "%", "_", "andrea AND", "AND OR NOT", "+", "nora -ortiz",
    "\"andrea\" OR \"nora\"", "   ", "", "\t\n", "\xff\xfe", "andr\xc3", very_long,
  };

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
      g_autoptr(GPtrArray) leads = NULL;
      g_autoptr(GError) error = NULL;
      guint count = G_MAXUINT;

      query->search = g_strdup (searches[i]);
      leads = cp_lead_store_query (store, query, 0, 0, &error);
      g_assert_no_error (error);
      g_assert_nonnull (leads);
      g_assert_true (cp_lead_store_count (store, query, &count, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (count, ==, leads->len);
      g_assert_cmpuint (count, <=, 2);
    }

  /* Operator words are words: “AND” is the start of “Andrea”. */
  {
    g_autofree char *found = search_ids (store, "AND");
    g_assert_cmpstr (found, ==, andrea);
  }
  {
    g_autofree char *found = search_ids (store, "NEAR(");
    g_assert_cmpstr (found, ==, andrea);
  }
  {
    g_autofree char *found = search_ids (store, "\"nor");
    g_assert_cmpstr (found, ==, nora);
  }
  {
    /* Every word must match: “-ortiz” is no exclusion. */
    g_autofree char *found = search_ids (store, "nora -ortiz");
    g_assert_cmpstr (found, ==, nora);
  }
  {
    g_autofree char *found = search_ids (store, "\xff\xfe");
    g_assert_cmpstr (found, ==, "");
  }
}

static void
test_input_control_characters (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  const char *bad[] = {
    "Ann\x01" "e", "Bob\x1b[31m", "Tab\there", "Line\nBreak", "Carriage\rReturn", "Del\x7f",
    "Next\xc2\x85Line", "Bell\x07",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CpLead) lead = lead_new (bad[i], "Control");
      g_autoptr(GError) error = NULL;

      g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
      g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "First name"));
    }
  {
    g_autoptr(CpLead) lead = lead_new ("Notes", "Control");
    g_autoptr(GError) error = NULL;

    cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, "ok\x01" "not ok");
    g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
    g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  }
  assert_nothing_written (store);

  /* Notes may have several lines and tabs. */
  {
    g_autoptr(CpLead) lead = lead_new ("Notes", "Lines");
    g_autoptr(CpLead) stored = NULL;
    g_autofree char *id = NULL;

    cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, "Line one\n\tLine two\r\nLine three");
    id = create_lead (store, lead);
    stored = get_lead (store, id);
    g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_NOTES), ==,
                     "Line one\n\tLine two\r\nLine three");
  }
}

static void
test_input_invalid_phone (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  const char *bad[] = {
    "555-CALL-NOW", "12345", "(202) 555-014", "+1 (202) 555-01433", "(102) 555-0143",
    "++12025550143", "202#555#0143", "0", "+",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CpLead) lead = lead_new ("Phone", "Problem");
      g_autoptr(GError) error = NULL;

      cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, bad[i]);
      g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == CP_CORE_ERROR);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_assert_nonnull (strstr (error->message, "phone number"));
    }
  assert_nothing_written (store);

  /* The store's region reads national numbers; stored in E.164. */
  {
    g_autoptr(CpLead) lead = lead_new ("Phone", "Fine");
    g_autoptr(CpLead) stored = NULL;
    g_autofree char *id = NULL;

    cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, "(202) 555-0143 ext. 12");
    id = create_lead (store, lead);
    stored = get_lead (store, id);
    g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_PHONE), ==, "+12025550143");
  }
  {
    g_autoptr(CpLead) lead = lead_new ("Phone", "London");
    g_autoptr(CpLead) stored = NULL;
    g_autofree char *id = NULL;

    cp_lead_store_set_default_region (store, "GB");
    cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, "020 7946 0018");
    id = create_lead (store, lead);
    stored = get_lead (store, id);
    g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_PHONE), ==, "+442079460018");
  }
}

static void
test_input_unknown_choice (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autoptr(CpLead) lead = lead_new ("Choice", "Problem");
  g_autoptr(GError) error = NULL;

  /* Set behind validation's back: the store still refuses it. */
  cp_lead_set_text (lead, CP_LEAD_FIELD_LEAD_TYPE, "alien");
  g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "alien"));
  g_assert_nonnull (strstr (error->message, "patient"));
  g_clear_error (&error);

  cp_lead_set_text (lead, CP_LEAD_FIELD_LEAD_TYPE, NULL);
  g_assert_false (cp_lead_set_field_from_string (lead, CP_LEAD_FIELD_URGENCY, "whenever", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  g_assert_null (cp_lead_get_text (lead, CP_LEAD_FIELD_URGENCY));
  g_clear_error (&error);

  /* Friendly spellings map to the canonical value. */
  g_assert_true (cp_lead_set_field_from_string (lead, CP_LEAD_FIELD_LEAD_TYPE, " Referral Partner ",
                                                &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_LEAD_TYPE), ==, "referral_partner");

  /* Custom field keys are checked too. */
  cp_lead_set_custom (lead, "Bad Key", "value");
  g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Bad Key"));

  assert_nothing_written (store);
}

static void
test_input_invalid_utf8 (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  /* A C string cannot carry a NUL inside; broken UTF-8 is what is left. */
  const char *broken[] = {
    "Jos\xc3", "\xff\xfe" "Ann", "Ma\xe2\x82ria", "\xc0\xaf", "\xed\xa0\x80",
  };
  static const CpLeadField fields[] = {
    CP_LEAD_FIELD_FIRST_NAME, CP_LEAD_FIELD_ORGANIZATION, CP_LEAD_FIELD_NOTES, CP_LEAD_FIELD_EMAIL,
    CP_LEAD_FIELD_LEAD_TYPE, CP_LEAD_FIELD_PHONE,
  };

  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
      {
        g_autoptr(CpLead) lead = lead_new ("Valid", "Name");
        g_autoptr(GError) error = NULL;

        if (!cp_lead_set_field_from_string (lead, fields[f], broken[i], &error))
          {
            g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
            continue;
          }
        g_assert_no_error (error);
        g_assert_false (cp_lead_validate (lead, NULL, NULL, &error));
        g_assert_nonnull (error);
        g_assert_true (g_utf8_validate (error->message, -1, NULL));
        g_clear_error (&error);
        g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
        g_assert_true (error->domain == CP_CORE_ERROR);
        g_assert_true (g_utf8_validate (error->message, -1, NULL));
      }

  assert_nothing_written (store);
}

/* A move writes the stage like any edit, so it must pass the same checks:
 * a stage no form could save would leave the lead impossible to edit. */
static void
test_input_move_validates_stage (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  guint stage_limit = cp_lead_field_info (CP_LEAD_FIELD_STAGE)->max_length;
  g_autofree char *too_long = g_strnfill (stage_limit + 1, 's');
  g_autofree char *huge_reason = g_strnfill (1024 * 1024, 'r');
  g_autoptr(GString) accepted = g_string_new (NULL);
  const char *bad_stages[] = { too_long, "bad\x01stage", "bad\xffstage", "two\nlines" };
  const char *bad_reasons[] = { "why\xff", "why\x01", huge_reason };

  for (guint i = 0; i < G_N_ELEMENTS (bad_stages) + G_N_ELEMENTS (bad_reasons); i++)
    {
      gboolean is_stage = i < G_N_ELEMENTS (bad_stages);
      const char *stage = is_stage ? bad_stages[i] : "engaged";
      const char *reason = is_stage ? "Valid reason" : bad_reasons[i - G_N_ELEMENTS (bad_stages)];
      g_autofree char *id = create_named (store, "Move", "Check");
      g_autoptr(GError) error = NULL;
      g_autofree char *shown = NULL;

      if (!cp_lead_store_move (store, id, NULL, stage, NULL, reason, "sam", NULL, &error))
        {
          g_assert_nonnull (error);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          g_assert_cmpint (stage_event_rows (store, id), ==, 1);
          continue;
        }

      shown = g_strescape (is_stage ? stage : reason, NULL);
      if (strlen (shown) > 40)
        strcpy (shown + 37, "...");
      g_string_append_printf (accepted, "%s “%s”", is_stage ? "stage" : "reason", shown);

      /* What the bad stage does to the lead afterwards. */
      if (is_stage)
        {
          g_autoptr(CpLead) stored = get_lead (store, id);

          cp_lead_set_text (stored, CP_LEAD_FIELD_OWNER, "kim");
          if (!cp_lead_store_update (store, stored, "sam", NULL, &error))
            g_string_append_printf (accepted, " (then every update fails: %s)", error->message);
        }
      g_string_append (accepted, "; ");
    }

  if (accepted->len > 0)
    g_test_fail_printf ("cp_lead_store_move() wrote invalid values: %s", accepted->str);
}

static void
test_input_duplicate_id (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autofree char *id = create_named (store, "First", "Owner");
  g_autoptr(CpLead) copy = lead_new ("Second", "Claimant");
  g_autoptr(CpLead) stored = NULL;
  g_autoptr(GError) error = NULL;

  cp_lead_set_text (copy, CP_LEAD_FIELD_ID, id);
  g_assert_false (cp_lead_store_create (store, copy, "tester", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_assert_false (cp_database_in_transaction (cp_lead_store_get_database (store)));

  stored = get_lead (store, id);
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_FIRST_NAME), ==, "First");
  g_assert_cmpint (audit_rows (store, id, NULL), ==, 1);
  g_assert_cmpint (stage_event_rows (store, id), ==, 1);
  g_assert_cmpuint (count_leads (store, NULL), ==, 1);
  assert_database_sound (cp_lead_store_get_database (store));
}

/* ------------------------------------------------------------------ */
/* 7. Audit trail                                                       */
/* ------------------------------------------------------------------ */

static void
test_audit_create (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autoptr(CpLead) lead = lead_new ("Amara", "Diallo");
  g_autoptr(CpLead) stored = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  CpHistoryEntry *entry;

  fake_now = T0 + 42;
  g_assert_true (cp_lead_store_create (store, lead, "nurse.kim", &error));
  g_assert_no_error (error);
  id = g_strdup (cp_lead_get_id (lead));
  g_assert_true (g_uuid_string_is_valid (id));

  stored = get_lead (store, id);
  g_assert_cmpstr (cp_lead_get_stage (stored), ==, "new");
  g_assert_cmpint (cp_lead_get_int (stored, CP_LEAD_FIELD_CREATED_AT), ==, T0 + 42);
  g_assert_cmpint (cp_lead_get_int (stored, CP_LEAD_FIELD_UPDATED_AT), ==, T0 + 42);
  g_assert_cmpint (cp_lead_get_stage_entered_at (stored), ==, T0 + 42);

  g_assert_cmpint (audit_rows (store, id, NULL), ==, 1);
  g_assert_cmpint (audit_rows (store, id, "create"), ==, 1);
  g_assert_cmpint (stage_event_rows (store, id), ==, 1);

  /* The creation with who routing gave the lead to and why, and its
   * first stage. */
  history = get_history (store, id);
  g_assert_cmpuint (history->len, ==, 2);
  entry = history->pdata[0];
  g_assert_cmpstr (entry->action, ==, "create");
  g_assert_cmpstr (entry->actor, ==, "nurse.kim");
  g_assert_cmpint (entry->time, ==, T0 + 42);
  g_assert_cmpstr (entry->field, ==, "owner");
  g_assert_cmpstr (entry->new_value, ==, cp_lead_get_text (stored, CP_LEAD_FIELD_OWNER));
  g_assert_nonnull (entry->reason);
  entry = history->pdata[1];
  g_assert_cmpstr (entry->action, ==, "stage");
  g_assert_null (entry->old_value);
  g_assert_cmpstr (entry->new_value, ==, "new");
  g_assert_cmpstr (entry->actor, ==, "nurse.kim");
  g_assert_cmpint (entry->time, ==, T0 + 42);
}

static void
test_audit_update (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autoptr(CpLead) lead = lead_new ("Maria", "Gonzalez");
  g_autoptr(CpLead) edited = NULL;
  g_autoptr(CpLead) stored = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
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
  id = create_lead (store, lead);
  g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), changes);

  fake_now = T0 + HOUR;
  edited = get_lead (store, id);
  cp_lead_set_text (edited, CP_LEAD_FIELD_EMAIL, "maria.g@example.org");
  cp_lead_set_text (edited, CP_LEAD_FIELD_JOB_TITLE, "Charge nurse");
  cp_lead_set_text (edited, CP_LEAD_FIELD_URGENCY, "high");
  g_assert_true (cp_lead_store_update (store, edited, "sam", "Called back", &error));
  g_assert_no_error (error);

  g_assert_cmpint (audit_rows (store, id, "update"), ==, 3);
  g_assert_cmpint (audit_rows (store, id, NULL), ==, 4);
  g_assert_cmpint (stage_event_rows (store, id), ==, 1);

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
      g_assert_cmpint (entry->time, ==, T0 + HOUR);
    }
  g_assert_cmpuint (seen, ==, 3);

  stored = get_lead (store, id);
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_EMAIL), ==, "maria.g@example.org");
  g_assert_cmpint (cp_lead_get_int (stored, CP_LEAD_FIELD_UPDATED_AT), ==, T0 + HOUR);
  g_assert_cmpint (cp_lead_get_int (stored, CP_LEAD_FIELD_CREATED_AT), ==, T0);
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, id, CP_LEAD_CHANGE_UPDATED);

  /* A yes/no field is audited in its string form. */
  fake_now = T0 + 2 * HOUR;
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
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autoptr(CpLead) lead = lead_new ("Same", "Again");
  g_autoptr(CpLead) stored = NULL;
  g_autoptr(CpLead) after = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, "(202) 555-0143");
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "same@example.org");
  cp_lead_set_custom (lead, "insurer", "Acme Health");
  id = create_lead (store, lead);
  g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), changes);

  fake_now = T0 + HOUR;
  stored = get_lead (store, id);
  g_assert_true (cp_lead_store_update (store, stored, "sam", NULL, &error));
  g_assert_no_error (error);
  /* The phone as typed again normalises to the stored value: no change. */
  cp_lead_set_text (stored, CP_LEAD_FIELD_PHONE, "202-555-0143");
  g_assert_true (cp_lead_store_update (store, stored, "sam", NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (audit_rows (store, id, NULL), ==, 1);
  g_assert_cmpint (stage_event_rows (store, id), ==, 1);
  g_assert_cmpuint (changes->len, ==, 0);
  after = get_lead (store, id);
  g_assert_cmpint (cp_lead_get_int (after, CP_LEAD_FIELD_UPDATED_AT), ==, T0);
}

/* A lead from a list query carries no custom fields: saving it keeps the
 * stored ones, and saves a custom field set on it. */
static void
test_update_list_row_keeps_custom_fields (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autoptr(CpLead) lead = lead_new ("List", "Row");
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(CpLead) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  CpLead *row;

  cp_lead_set_custom (lead, "insurer", "Acme Health");
  cp_lead_set_custom (lead, "referrer", "Dr. Okafor");
  id = create_lead (store, lead);

  rows = cp_lead_store_query (store, query, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_null (cp_lead_get_custom (row, "insurer"));

  fake_now = T0 + HOUR;
  cp_lead_set_text (row, CP_LEAD_FIELD_JOB_TITLE, "Practice manager");
  cp_lead_set_custom (row, "language", "Twi");
  g_assert_true (cp_lead_store_update (store, row, "sam", NULL, &error));
  g_assert_no_error (error);

  after = get_lead (store, id);
  g_assert_cmpstr (cp_lead_get_text (after, CP_LEAD_FIELD_JOB_TITLE), ==, "Practice manager");
  g_assert_cmpstr (cp_lead_get_custom (after, "insurer"), ==, "Acme Health");
  g_assert_cmpstr (cp_lead_get_custom (after, "referrer"), ==, "Dr. Okafor");
  g_assert_cmpstr (cp_lead_get_custom (after, "language"), ==, "Twi");

  /* A full lead (get) still removes a custom field taken off it. */
  cp_lead_set_custom (after, "referrer", NULL);
  g_assert_true (cp_lead_store_update (store, after, "sam", NULL, &error));
  g_clear_object (&after);
  after = get_lead (store, id);
  g_assert_null (cp_lead_get_custom (after, "referrer"));
  g_assert_cmpstr (cp_lead_get_custom (after, "insurer"), ==, "Acme Health");
}

static void
test_audit_move (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autofree char *id = create_named (store, "Kwame", "Mensah");
  g_autoptr(CpLead) stored = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  CpHistoryEntry *entry;

  fake_now = T0 + HOUR;
  g_assert_true (cp_lead_store_move (store, id, NULL, "engaged", NULL, "Replied to the intake email",
                                           "sam", NULL, &error));
  g_assert_no_error (error);

  stored = get_lead (store, id);
  g_assert_cmpstr (cp_lead_get_stage (stored), ==, "engaged");
  g_assert_cmpint (cp_lead_get_stage_entered_at (stored), ==, T0 + HOUR);
  g_assert_cmpint (cp_lead_get_int (stored, CP_LEAD_FIELD_UPDATED_AT), ==, T0 + HOUR);
  g_assert_cmpint (stage_event_rows (store, id), ==, 2);
  g_assert_cmpint (audit_rows (store, id, "move"), ==, 1);
  g_assert_cmpint (sql_int (store_handle (store),
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
  g_assert_cmpint (entry->time, ==, T0 + HOUR);

  /* To the stage it is in, or for a lead that does not exist: errors. */
  g_assert_false (cp_lead_store_move (store, id, NULL, "engaged", NULL, "Again", "sam", NULL, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_lead_store_move (store, "no-such-lead", NULL, "engaged", NULL, "Why", "sam", NULL,
                                            &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (stage_event_rows (store, id), ==, 2);
  g_assert_false (cp_database_in_transaction (cp_lead_store_get_database (store)));
}

static void
test_audit_move_needs_reason (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autofree char *id = create_named (store, "No", "Reason");
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
  const char *reasons[] = { NULL, "", "   ", "\t\n", "\xc2\xa0" };
  const char *ids[] = { id, NULL };

  g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), changes);
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (cp_lead_store_move (store, id, NULL, "engaged", NULL, reasons[i], "sam", NULL, &error));
      g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "reason"));
      g_clear_error (&error);
      g_assert_cmpint (cp_lead_store_move_stages (store, ids, "engaged", reasons[i], "sam", NULL, &error),
                       ==, -1);
      g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
    }

  {
    g_autoptr(CpLead) stored = get_lead (store, id);
    g_assert_cmpstr (cp_lead_get_stage (stored), ==, "new");
  }
  g_assert_cmpint (stage_event_rows (store, id), ==, 1);
  g_assert_cmpint (audit_rows (store, id, NULL), ==, 1);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_false (cp_database_in_transaction (cp_lead_store_get_database (store)));
}

static void
test_audit_tombstone (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autofree char *id = create_named (store, "Gone", "Soon");
  g_autofree char *kept = create_named (store, "Stays", "Here");
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  CpHistoryEntry *entry;

  fake_now = T0 + HOUR;
  g_assert_true (cp_lead_store_tombstone (store, id, "Test entry", "sam", &error));
  g_assert_no_error (error);

  assert_lead_gone (store, id);
  g_assert_cmpuint (count_leads (store, NULL), ==, 1);
  all = query_leads (store, NULL, 0, 0);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpstr (cp_lead_get_id (all->pdata[0]), ==, kept);
  found = search_ids (store, "gone");
  g_assert_cmpstr (found, ==, "");
  summaries = cp_lead_store_stage_summaries (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (require_summary (summaries, "new")->count, ==, 1);

  g_assert_cmpint (audit_rows (store, id, "tombstone"), ==, 1);
  history = get_history (store, id);
  entry = history->pdata[history->len - 1];
  g_assert_cmpstr (entry->action, ==, "tombstone");
  g_assert_cmpstr (entry->reason, ==, "Test entry");
  g_assert_cmpstr (entry->actor, ==, "sam");
  g_assert_cmpint (entry->time, ==, T0 + HOUR);
  /* The row stays, marked. */
  g_assert_cmpint (sql_int (store_handle (store), "SELECT deleted_at FROM leads WHERE id = ?1", id),
                   ==, T0 + HOUR);

  /* A removed lead cannot be removed, moved or edited again. */
  g_assert_false (cp_lead_store_tombstone (store, id, "Again", "sam", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cp_lead_store_move (store, id, NULL, "engaged", NULL, "Why", "sam", NULL, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autoptr(CpLead) ghost = lead_new ("Ghost", "Edit");

    cp_lead_set_text (ghost, CP_LEAD_FIELD_ID, id);
    g_assert_false (cp_lead_store_update (store, ghost, "sam", NULL, &error));
    g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  g_assert_cmpint (audit_rows (store, id, NULL), ==, 2);
  assert_database_sound (cp_lead_store_get_database (store));
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
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);

  return g_strjoinv (" ", (char **) ids->pdata);
}

static void
test_audit_merge_and_undo (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autoptr(CpLead) keep = lead_new ("Maria", "Gonzalez");
  g_autoptr(CpLead) other = lead_new ("Maria", "Gonzales");
  g_autoptr(CpLead) keep_before = NULL;
  g_autoptr(CpLead) other_before = NULL;
  g_autoptr(CpLead) merged = NULL;
  g_autoptr(CpLead) keep_after = NULL;
  g_autoptr(CpLead) other_after = NULL;
  g_autoptr(GPtrArray) keep_history = NULL;
  g_autoptr(GPtrArray) other_history = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
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
  static const CpLeadField skip_updated[] = {
    CP_LEAD_FIELD_UPDATED_AT, CP_LEAD_FIELD_SCORE, CP_LEAD_FIELD_FIT_SCORE, CP_LEAD_FIELD_INTENT_SCORE,
    CP_LEAD_FIELD_READINESS_SCORE, CP_LEAD_FIELD_TIER, CP_LEAD_N_FIELDS
  };
  CpHistoryEntry *entry;

  cp_lead_set_text (keep, CP_LEAD_FIELD_EMAIL, "maria@example.org");
  cp_lead_set_text (keep, CP_LEAD_FIELD_JOB_TITLE, "Practice manager");
  cp_lead_set_text (keep, CP_LEAD_FIELD_OWNER, "sam");
  cp_lead_set_text (keep, CP_LEAD_FIELD_NOTES, "Met at the county health fair");
  cp_lead_set_custom (keep, "insurer", "Acme Health");
  keep_id = create_lead (store, keep);

  fake_now = T0 + HOUR;
  cp_lead_set_text (other, CP_LEAD_FIELD_EMAIL, "maria.g@example.net");
  cp_lead_set_text (other, CP_LEAD_FIELD_PHONE, "(202) 555-0143");
  cp_lead_set_text (other, CP_LEAD_FIELD_JOB_TITLE, "Office manager");
  cp_lead_set_text (other, CP_LEAD_FIELD_URGENCY, "high");
  cp_lead_set_text (other, CP_LEAD_FIELD_LOCATION, "Springfield");
  cp_lead_set_int (other, CP_LEAD_FIELD_DO_NOT_CONTACT, 1);
  cp_lead_set_custom (other, "referrer", "Dr. Okafor");
  other_id = create_lead (store, other);

  a1 = add_activity (store, keep_id, CP_ACTIVITY_KIND_CALL, T0 + 2 * HOUR, "Left a voicemail");
  a2 = add_activity (store, keep_id, CP_ACTIVITY_KIND_NOTE, T0 + 3 * HOUR, "Asked for pricing");
  b1 = add_activity (store, other_id, CP_ACTIVITY_KIND_FORM_FILL, T0 + 2 * HOUR, "Web form");
  b2 = add_activity (store, other_id, CP_ACTIVITY_KIND_EMAIL_OPEN, T0 + 4 * HOUR, "Newsletter");
  b3 = add_activity (store, other_id, CP_ACTIVITY_KIND_PAGE_VISIT, T0 + 5 * HOUR, "/pricing");
  keep_activities = id_set (a1, a2, NULL);
  other_activities = id_set (b1, b2, b3, NULL);
  all_activities = id_set (a1, a2, b1, b2, b3, NULL);

  keep_before = get_lead (store, keep_id);
  other_before = get_lead (store, other_id);
  g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), changes);

  /* Merge: the job title is taken from the other lead on purpose; empty
   * fields of the kept lead are filled from it. */
  fake_now = T0 + 10 * HOUR;
  merge_id = cp_lead_store_merge (store, keep_id, other_id, take, G_N_ELEMENTS (take), "sam",
                                  &error);
  g_assert_no_error (error);
  g_assert_nonnull (merge_id);
  assert_change (changes, 0, NULL, CP_LEAD_CHANGE_BULK);

  merged = get_lead (store, keep_id);
  g_assert_cmpstr (cp_lead_get_text (merged, CP_LEAD_FIELD_EMAIL), ==, "maria@example.org");
  g_assert_cmpstr (cp_lead_get_text (merged, CP_LEAD_FIELD_PHONE), ==, "+12025550143");
  g_assert_cmpstr (cp_lead_get_text (merged, CP_LEAD_FIELD_JOB_TITLE), ==, "Office manager");
  g_assert_cmpstr (cp_lead_get_text (merged, CP_LEAD_FIELD_URGENCY), ==, "high");
  g_assert_cmpstr (cp_lead_get_text (merged, CP_LEAD_FIELD_OWNER), ==, "sam");
  g_assert_cmpstr (cp_lead_get_text (merged, CP_LEAD_FIELD_LOCATION), ==, "Springfield");
  /* Scored anew, with both leads' activities and the urgency it got. */
  g_assert_cmpint (cp_lead_get_int (merged, CP_LEAD_FIELD_SCORE), >,
                   cp_lead_get_int (keep_before, CP_LEAD_FIELD_SCORE));
  g_assert_cmpint (cp_lead_get_int (merged, CP_LEAD_FIELD_LAST_ACTIVITY_AT), ==, T0 + 5 * HOUR);
  g_assert_cmpint (cp_lead_get_int (merged, CP_LEAD_FIELD_DO_NOT_CONTACT), ==, 1);
  g_assert_cmpstr (cp_lead_get_custom (merged, "insurer"), ==, "Acme Health");
  g_assert_cmpstr (cp_lead_get_custom (merged, "referrer"), ==, "Dr. Okafor");

  assert_lead_gone (store, other_id);
  g_assert_cmpuint (count_leads (store, NULL), ==, 1);
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
  assert_database_sound (cp_lead_store_get_database (store));

  /* Undo: both leads as they were, activities where they were. */
  fake_now = T0 + 11 * HOUR;
  g_assert_true (cp_lead_store_undo_merge (store, merge_id, "sam", &error));
  g_assert_no_error (error);

  keep_after = get_lead (store, keep_id);
  other_after = get_lead (store, other_id);
  assert_leads_equal (keep_before, keep_after, skip_updated);
  assert_leads_equal (other_before, other_after, skip_updated);
  g_assert_cmpuint (count_leads (store, NULL), ==, 2);

  ids = activity_ids (store, keep_id);
  g_assert_cmpstr (ids, ==, keep_activities);
  g_clear_pointer (&ids, g_free);
  ids = activity_ids (store, other_id);
  g_assert_cmpstr (ids, ==, other_activities);
  g_clear_pointer (&ids, g_free);
  ids = search_ids (store, "gonzales");
  g_assert_cmpstr (ids, ==, other_id);
  g_clear_pointer (&ids, g_free);

  g_assert_cmpint (audit_rows (store, keep_id, "unmerge"), >=, 1);
  g_assert_cmpint (audit_rows (store, other_id, "unmerge"), ==, 1);
  assert_database_sound (cp_lead_store_get_database (store));

  /* Undoing twice is refused and changes nothing. */
  g_assert_false (cp_lead_store_undo_merge (store, merge_id, "sam", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_lead_store_undo_merge (store, "no-such-merge", "sam", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (audit_rows (store, other_id, "unmerge"), ==, 1);

  /* A lead cannot be merged into itself. */
  g_assert_null (cp_lead_store_merge (store, keep_id, keep_id, NULL, 0, "sam", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_assert_false (cp_database_in_transaction (cp_lead_store_get_database (store)));

  /* Custom fields are part of the lead: the ones the merge brought must
   * go again (checked last, so the rest of the undo is checked first). */
  g_assert_true (custom_fields_equal (other_before, other_after));
  if (!custom_fields_equal (keep_before, keep_after))
    g_test_fail_printf ("undo left the custom field referrer = “%s” (from the other lead) "
                        "on the kept lead", cp_lead_get_custom (keep_after, "referrer"));
}

static void
test_audit_merge_chain_undo (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *a = create_named (store, "Chain", "Alpha");
  g_autofree char *b = create_named (store, "Chain", "Bravo");
  g_autofree char *c = create_named (store, "Chain", "Charlie");
  g_autofree char *act_b = add_activity (store, b, CP_ACTIVITY_KIND_CALL, T0 + HOUR, "B's call");
  g_autofree char *act_c = add_activity (store, c, CP_ACTIVITY_KIND_CALL, T0 + HOUR, "C's call");
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
  g_assert_cmpuint (count_leads (store, NULL), ==, 3);

  ids = activity_ids (store, a);
  g_assert_cmpstr (ids, ==, "");
  g_clear_pointer (&ids, g_free);
  assert_database_sound (cp_lead_store_get_database (store));

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
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = create_named (store, "Append", "Only");
  sqlite3 *handle = store_handle (store);
  const char *refused[] = {
    "UPDATE audit_log SET actor = 'mallory'",
    "UPDATE audit_log SET action = 'create' WHERE action = 'move'",
    "DELETE FROM audit_log",
    "DELETE FROM stage_events",
    "UPDATE stage_events SET reason = 'rewritten'",
    "UPDATE stage_events SET to_stage = 'closed_won'",
    "UPDATE stage_events SET device_time = 0",
  };
  gint64 audit_before, events_before;

  g_assert_true (cp_lead_store_move (store, id, NULL, "engaged", NULL, "Replied", "sam", NULL, &error));
  g_assert_no_error (error);
  audit_before = total_rows (store, "audit_log");
  events_before = total_rows (store, "stage_events");

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      int rc = sqlite3_exec (handle, refused[i], NULL, NULL, NULL);

      g_assert_cmpint (rc, !=, SQLITE_OK);
      g_assert_cmpint (rc & 0xff, ==, SQLITE_CONSTRAINT);
      g_assert_nonnull (strstr (sqlite3_errmsg (handle), "append-only"));
    }

  g_assert_cmpint (total_rows (store, "audit_log"), ==, audit_before);
  g_assert_cmpint (total_rows (store, "stage_events"), ==, events_before);
  g_assert_cmpint (sql_int (handle, "SELECT count(*) FROM audit_log WHERE actor = 'mallory'", NULL),
                   ==, 0);
  g_assert_cmpint (sql_int (handle, "SELECT count(*) FROM stage_events WHERE reason = 'rewritten'",
                            NULL), ==, 0);

  /* The sync time of a stage event is the one thing that is filled in later. */
  sql_exec (handle, "UPDATE stage_events SET synced_time = 1700001234");
  g_assert_cmpint (sql_int (handle,
                            "SELECT count(*) FROM stage_events WHERE synced_time = 1700001234",
                            NULL), ==, events_before);
}

/* ------------------------------------------------------------------ */
/* 8. Duplicates                                                        */
/* ------------------------------------------------------------------ */

static CpDuplicateCandidate *
find_candidate (GPtrArray  *candidates,
                const char *lead_id)
{
  for (guint i = 0; i < candidates->len; i++)
    if (g_strcmp0 (((CpDuplicateCandidate *) candidates->pdata[i])->lead_id, lead_id) == 0)
      return candidates->pdata[i];

  return NULL;
}

static GPtrArray *
duplicates_of (CpLeadStore *store,
               const char  *first,
               const char  *last,
               const char  *email,
               const char  *phone,
               const char  *location)
{
  g_autoptr(CpLead) probe = lead_new (first, last);
  g_autoptr(GError) error = NULL;
  GPtrArray *candidates;

  cp_lead_set_text (probe, CP_LEAD_FIELD_EMAIL, email);
  cp_lead_set_text (probe, CP_LEAD_FIELD_PHONE, phone);
  cp_lead_set_text (probe, CP_LEAD_FIELD_LOCATION, location);
  g_assert_null (cp_lead_get_id (probe));
  candidates = cp_lead_store_find_duplicates (store, probe, &error);
  g_assert_no_error (error);
  g_assert_nonnull (candidates);

  return candidates;
}

static void
assert_single_candidate (GPtrArray  *candidates,
                         const char *lead_id,
                         guint       kinds,
                         const char *reason)
{
  CpDuplicateCandidate *candidate;

  g_assert_cmpuint (candidates->len, ==, 1);
  candidate = find_candidate (candidates, lead_id);
  if (candidate == NULL)
    g_error ("lead %s is not a candidate", lead_id);
  g_assert_cmpuint (candidate->kinds, ==, kinds);
  g_assert_cmpstr (candidate->reason, ==, reason);
}

static void
test_duplicates (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autoptr(CpLead) maria = lead_new ("Maria", "Gonzalez");
  g_autoptr(CpLead) other = lead_new ("Mario", "Gonzalez");
  g_autofree char *maria_id = NULL;
  g_autofree char *other_id = NULL;
  guint email = 1u << CP_MATCH_EMAIL;
  guint phone = 1u << CP_MATCH_PHONE;
  guint name = 1u << CP_MATCH_NAME_LOCATION;

  cp_lead_set_text (maria, CP_LEAD_FIELD_EMAIL, "Maria.Gonzalez@gmail.com");
  cp_lead_set_text (maria, CP_LEAD_FIELD_PHONE, "(202) 555-0143");
  cp_lead_set_text (maria, CP_LEAD_FIELD_LOCATION, "Springfield");
  maria_id = create_lead (store, maria);
  cp_lead_set_text (other, CP_LEAD_FIELD_EMAIL, "mario@example.org");
  cp_lead_set_text (other, CP_LEAD_FIELD_PHONE, "(202) 555-0199");
  cp_lead_set_text (other, CP_LEAD_FIELD_LOCATION, "Shelbyville");
  other_id = create_lead (store, other);

  /* The same mailbox, written differently. */
  {
    const char *emails[] = {
      "maria.gonzalez@gmail.com", "  MARIA.GONZALEZ@GMAIL.COM ", "mariagonzalez@gmail.com",
      "m.a.r.i.a.gonzalez@googlemail.com", "maria.gonzalez+intake@gmail.com",
    };

    for (guint i = 0; i < G_N_ELEMENTS (emails); i++)
      {
        g_autoptr(GPtrArray) found = NULL;
        CpDuplicateCandidate *candidate;

        found = duplicates_of (store, "Someone", "Else", emails[i], NULL, NULL);
        assert_single_candidate (found, maria_id, email, "same email");
        candidate = found->pdata[0];
        g_assert_cmpstr (candidate->display_name, ==, "Maria Gonzalez");
      }
  }

  /* The same number, formatted differently. */
  {
    const char *phones[] = { "202.555.0143", "+1 202 555 0143", "1-202-555-0143", "(202)5550143",
                             "+12025550143" };

    for (guint i = 0; i < G_N_ELEMENTS (phones); i++)
      {
        g_autoptr(GPtrArray) found = NULL;

        found = duplicates_of (store, "Someone", "Else", NULL, phones[i], NULL);
        assert_single_candidate (found, maria_id, phone, "same phone");
      }
  }

  /* A one-letter typo at the same place (written differently). */
  {
    g_autoptr(GPtrArray) found = NULL;

    found = duplicates_of (store, "Maria", "Gonzales", NULL, NULL, "springfield");
    assert_single_candidate (found, maria_id, name, "similar name at the same location");
  }
  {
    g_autoptr(GPtrArray) found = NULL;

    found = duplicates_of (store, "María", "González", NULL, NULL, " SPRINGFIELD ");
    assert_single_candidate (found, maria_id, name, "similar name at the same location");
  }

  /* Everything at once: one candidate, every reason. */
  {
    g_autoptr(GPtrArray) found = NULL;

    found = duplicates_of (store, "Maria", "Gonzalez", "mariagonzalez@gmail.com", "202-555-0143",
                           "Springfield");
    assert_single_candidate (found, maria_id, email | phone | name,
                             "same email, same phone, similar name at the same location");
  }

  /* A different person elsewhere, and a similar name elsewhere: none. */
  {
    g_autoptr(GPtrArray) found = duplicates_of (store, "Jane", "Doe", "jane@example.org",
                                                "(303) 555-0100", "Springfield");
    g_assert_cmpuint (found->len, ==, 0);
  }
  {
    g_autoptr(GPtrArray) found = NULL;

    found = duplicates_of (store, "Maria", "Gonzales", NULL, NULL, "Capital City");
    g_assert_cmpuint (found->len, ==, 0);
  }
  /* Nothing to match on at all. */
  {
    g_autoptr(GPtrArray) found = duplicates_of (store, NULL, NULL, NULL, NULL, NULL);
    g_assert_cmpuint (found->len, ==, 0);
  }

  /* A stored lead does not find itself; the other lead finds nobody. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CpLead) stored = get_lead (store, maria_id);
    g_autoptr(GPtrArray) found = cp_lead_store_find_duplicates (store, stored, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 0);
    g_clear_pointer (&found, g_ptr_array_unref);
    g_clear_object (&stored);
    stored = get_lead (store, other_id);
    found = cp_lead_store_find_duplicates (store, stored, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 0);
  }

  /* A removed lead is nobody's duplicate. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) found = NULL;

    g_assert_true (cp_lead_store_tombstone (store, maria_id, "Test", "sam", &error));
    g_assert_no_error (error);
    found = duplicates_of (store, "Maria", "Gonzalez", "maria.gonzalez@gmail.com", "202-555-0143",
                           "Springfield");
    g_assert_cmpuint (found->len, ==, 0);
  }
}

/* ------------------------------------------------------------------ */
/* 9. Queries                                                           */
/* ------------------------------------------------------------------ */

/* The query fixture: created one hour apart from T0; SLA times relative to
 * QUERY_NOW; "responded" leads have a first response. */
#define QUERY_NOW (T0 + 100 * HOUR)

static const struct
{
  const char *first;
  const char *last;
  const char *stage;
  const char *owner;
  const char *service_line;
  int         score;
  gint64      sla_offset;   /* 0: no SLA */
  gboolean    responded;
} query_data[] = {
  { "Maria", "Gonzalez", "new", "sam", "cardiology", 50, -HOUR, FALSE },
  { "Marcus", "Lee", "new", "sam", "cardiology", 70, -2 * HOUR, TRUE },
  { "José", "Álvarez", "new", "kim", "oncology", 70, HOUR, FALSE },
  { "Josefina", "Ruiz", "engaged", "kim", "oncology", 20, -HOUR, FALSE },
  { "Mariana", "Silva", "engaged", "sam", "primary care", 90, 0, FALSE },
  { "Olu", "Adeyemi", "engaged", "lee", "cardiology", 70, -3 * HOUR, FALSE },
  { "Priya", "Raman", "qualified", "kim", "primary care", 10, -HOUR, FALSE },
  { "Tomás", "Marín", "qualified", "sam", "oncology", 70, 0, FALSE },
  { "Hana", "Sato", "qualified", "lee", "oncology", 40, 2 * HOUR, FALSE },
  { "Ivan", "Petrov", "closed_won", "kim", "cardiology", 100, -HOUR, FALSE },
  { "Ewa", "Nowak", "closed_lost", "sam", "primary care", 5, -HOUR, FALSE },
  { "Liam", "Murphy", "new", "lee", "primary care", 0, 0, FALSE },
  { "Amara", "Diallo", "new", "kim", "cardiology", 70, -5 * HOUR, FALSE },
  { "Chen", "Wei", "engaged", "lee", "oncology", 35, 0, FALSE },
  { "Sofia", "Rossi", "active_evaluation", "sam", "cardiology", 70, -HOUR, TRUE },
  { "Noah", "Smith", "active_evaluation", "kim", "primary care", 60, -HOUR, FALSE },
  { "Aisha", "Khan", "new", "sam", "oncology", 15, 0, FALSE },
  { "Yuki", "Tanaka", "qualified", "lee", "cardiology", 85, -10 * HOUR, FALSE },
  { "Lucas", "Martin", "new", "kim", "oncology", 70, 3 * HOUR, FALSE },
  { "Fatima", "Zahra", "engaged", "sam", "primary care", 25, -HOUR, FALSE },
  { "Mateo", "Díaz", "new", "lee", "primary care", 45, 0, FALSE },
  { "Ingrid", "Berg", "onboarding", "kim", "cardiology", 55, -HOUR, FALSE },
  { "Kofi", "Boateng", "new", "sam", "oncology", 70, -HOUR, FALSE },
};

static gboolean
query_data_breached (guint i)
{
  return query_data[i].sla_offset != 0 && !query_data[i].responded &&
         QUERY_NOW + query_data[i].sla_offset < QUERY_NOW &&
         g_strcmp0 (query_data[i].stage, "closed_won") != 0 &&
         g_strcmp0 (query_data[i].stage, "closed_lost") != 0;
}

static GPtrArray *
fill_query_data (CpLeadStore *store)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (query_data); i++)
    {
      g_autoptr(CpLead) lead = lead_new (query_data[i].first, query_data[i].last);

      char *id;

      fake_now = T0 + (gint64) i * HOUR;
      cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, query_data[i].stage);
      cp_lead_set_text (lead, CP_LEAD_FIELD_OWNER, query_data[i].owner);
      cp_lead_set_text (lead, CP_LEAD_FIELD_SERVICE_LINE, query_data[i].service_line);
      id = create_lead (store, lead);
      /* The rows hold given scores and clocks: the queries are tested. */
      cp_test_store_int (cp_lead_store_get_database (store), id, "score", query_data[i].score);
      cp_test_store_int (cp_lead_store_get_database (store), id, "sla_due_at",
                         query_data[i].sla_offset != 0 ? QUERY_NOW + query_data[i].sla_offset : 0);
      cp_test_store_int (cp_lead_store_get_database (store), id, "first_response_at",
                         query_data[i].responded ? T0 + (gint64) i * HOUR + 60 : 0);
      g_ptr_array_add (ids, id);
    }
  fake_now = QUERY_NOW;

  return ids;
}

static guint
index_of_id (GPtrArray  *ids,
             const char *id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_strcmp0 (ids->pdata[i], id) == 0)
      return i;

  g_assert_not_reached ();
}

static void
test_query_filters (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autoptr(GPtrArray) ids = fill_query_data (store);
  static const struct { const char *stage, *owner, *service_line; } filters[] = {
    { "new", NULL, NULL },
    { "qualified", NULL, NULL },
    { "no_such_stage", NULL, NULL },
    { NULL, "sam", NULL },
    { NULL, "lee", NULL },
    { NULL, NULL, "oncology" },
    { "new", "kim", NULL },
    { "engaged", "sam", "primary care" },
    { NULL, "SAM", NULL },
  };

  g_assert_cmpuint (count_leads (store, NULL), ==, G_N_ELEMENTS (query_data));

  for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
    {
      g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
      g_autoptr(GPtrArray) leads = NULL;
      guint expected = 0;

      query->stage = g_strdup (filters[f].stage);
      query->owner = g_strdup (filters[f].owner);
      query->service_line = g_strdup (filters[f].service_line);
      for (guint i = 0; i < G_N_ELEMENTS (query_data); i++)
        expected += (filters[f].stage == NULL ||
                     g_str_equal (filters[f].stage, query_data[i].stage)) &&
                    (filters[f].owner == NULL ||
                     g_str_equal (filters[f].owner, query_data[i].owner)) &&
                    (filters[f].service_line == NULL ||
                     g_str_equal (filters[f].service_line, query_data[i].service_line));

      leads = query_leads (store, query, 0, 0);
      g_assert_cmpuint (leads->len, ==, expected);
      g_assert_cmpuint (count_leads (store, query), ==, expected);
      for (guint j = 0; j < leads->len; j++)
        {
          guint i = index_of_id (ids, cp_lead_get_id (leads->pdata[j]));

          if (filters[f].stage != NULL)
            g_assert_cmpstr (query_data[i].stage, ==, filters[f].stage);
          if (filters[f].owner != NULL)
            g_assert_cmpstr (query_data[i].owner, ==, filters[f].owner);
          if (filters[f].service_line != NULL)
            g_assert_cmpstr (query_data[i].service_line, ==, filters[f].service_line);
        }
    }

  /* Hand-counted, so the loop above is not only checking itself. */
  {
    g_autoptr(CpLeadQuery) query = cp_lead_query_new ();

    query->stage = g_strdup ("new");
    g_assert_cmpuint (count_leads (store, query), ==, 9);
    query->owner = g_strdup ("sam");
    g_assert_cmpuint (count_leads (store, query), ==, 4);
  }
}

static void
test_query_sort_and_paging (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autoptr(GPtrArray) ids = fill_query_data (store);
  static const struct { CpLeadField field; gboolean descending; const char *stage; } orders[] = {
    { CP_LEAD_FIELD_SCORE, TRUE, NULL },
    { CP_LEAD_FIELD_SCORE, FALSE, NULL },
    { CP_LEAD_FIELD_CREATED_AT, TRUE, NULL },
    { CP_LEAD_FIELD_CREATED_AT, FALSE, NULL },
    { CP_LEAD_FIELD_LAST_NAME, FALSE, NULL },
    { CP_LEAD_FIELD_OWNER, TRUE, NULL },
    { CP_LEAD_FIELD_SCORE, TRUE, "new" },
  };

  for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
    for (guint page_size = 1; page_size <= 8; page_size += 3)
      {
        g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
        g_autoptr(GPtrArray) all = NULL;
        g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
        guint position = 0;

        query->sort_field = orders[o].field;
        query->sort_descending = orders[o].descending;
        query->stage = g_strdup (orders[o].stage);
        all = query_leads (store, query, 0, 0);
        g_assert_cmpuint (all->len, ==, count_leads (store, query));

        for (guint i = 1; i < all->len; i++)
          {
            CpLead *previous = all->pdata[i - 1];
            CpLead *current = all->pdata[i];

            if (cp_lead_field_info (orders[o].field)->type == CP_FIELD_TYPE_TEXT)
              {
                int cmp = g_strcmp0 (cp_lead_get_text (previous, orders[o].field),
                                     cp_lead_get_text (current, orders[o].field));
                g_assert_true (orders[o].descending ? cmp >= 0 : cmp <= 0);
              }
            else
              {
                gint64 a = cp_lead_get_int (previous, orders[o].field);
                gint64 b = cp_lead_get_int (current, orders[o].field);
                g_assert_true (orders[o].descending ? a >= b : a <= b);
              }
          }

        /* Pages, one after another, give the same list: nothing twice,
         * nothing missing, even among the many leads scored 70. */
        for (guint offset = 0;; offset += page_size)
          {
            g_autoptr(GPtrArray) page = query_leads (store, query, offset, page_size);

            g_assert_cmpuint (page->len, <=, page_size);
            for (guint i = 0; i < page->len; i++)
              {
                const char *id = cp_lead_get_id (page->pdata[i]);

                g_assert_cmpuint (position, <, all->len);
                g_assert_cmpstr (id, ==, cp_lead_get_id (all->pdata[position]));
                g_assert_false (g_hash_table_contains (seen, id));
                g_hash_table_add (seen, (gpointer) cp_lead_get_id (all->pdata[position]));
                position++;
              }
            if (page->len < page_size)
              break;
          }
        g_assert_cmpuint (position, ==, all->len);
        g_assert_cmpuint (g_hash_table_size (seen), ==, all->len);
      }

  /* Score, highest first: the top lead is the 100. */
  {
    g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
    g_autoptr(GPtrArray) top = NULL;

    query->sort_field = CP_LEAD_FIELD_SCORE;
    query->sort_descending = TRUE;
    top = query_leads (store, query, 0, 2);
    g_assert_cmpuint (top->len, ==, 2);
    g_assert_cmpstr (cp_lead_get_text (top->pdata[0], CP_LEAD_FIELD_LAST_NAME), ==, "Petrov");
    g_assert_cmpstr (cp_lead_get_text (top->pdata[1], CP_LEAD_FIELD_LAST_NAME), ==, "Silva");
  }

  /* Past the end: an empty page, not an error. */
  {
    g_autoptr(GPtrArray) page = query_leads (store, NULL, 1000, 10);
    g_assert_cmpuint (page->len, ==, 0);
  }
}

static void
test_query_sla_and_ranges (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autoptr(GPtrArray) ids = fill_query_data (store);
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GPtrArray) leads = NULL;
  guint expected = 0;

  query->sla_breached_only = TRUE;
  query->now = QUERY_NOW;
  for (guint i = 0; i < G_N_ELEMENTS (query_data); i++)
    expected += query_data_breached (i);
  g_assert_cmpuint (expected, ==, 10);

  leads = query_leads (store, query, 0, 0);
  g_assert_cmpuint (leads->len, ==, expected);
  g_assert_cmpuint (count_leads (store, query), ==, expected);
  for (guint j = 0; j < leads->len; j++)
    g_assert_true (query_data_breached (index_of_id (ids, cp_lead_get_id (leads->pdata[j]))));
  g_clear_pointer (&leads, g_ptr_array_unref);

  /* Earlier, fewer SLAs had passed; much later, all open ones have. */
  query->now = QUERY_NOW - 4 * HOUR;
  g_assert_cmpuint (count_leads (store, query), ==, 2);
  query->now = QUERY_NOW + 4 * HOUR;
  g_assert_cmpuint (count_leads (store, query), ==, expected + 3);

  /* Created between two times: from inclusive, to exclusive. */
  query->sla_breached_only = FALSE;
  query->now = 0;
  query->created_from = T0 + 5 * HOUR;
  query->created_to = T0 + 10 * HOUR;
  leads = query_leads (store, query, 0, 0);
  g_assert_cmpuint (leads->len, ==, 5);
  g_assert_cmpuint (count_leads (store, query), ==, 5);
  for (guint j = 0; j < leads->len; j++)
    {
      guint i = index_of_id (ids, cp_lead_get_id (leads->pdata[j]));
      g_assert_cmpuint (i, >=, 5);
      g_assert_cmpuint (i, <, 10);
    }
  g_clear_pointer (&leads, g_ptr_array_unref);

  query->created_to = 0;
  g_assert_cmpuint (count_leads (store, query), ==, G_N_ELEMENTS (query_data) - 5);
  query->created_from = 0;
  query->created_to = T0 + 1;
  g_assert_cmpuint (count_leads (store, query), ==, 1);

  /* Updated ranges follow edits. */
  query->created_to = 0;
  query->updated_from = QUERY_NOW;
  g_assert_cmpuint (count_leads (store, query), ==, 0);
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (cp_lead_store_move (store, ids->pdata[0], NULL, "engaged", NULL, "Replied", "sam", NULL,
                                             &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (count_leads (store, query), ==, 1);
}

static void
test_query_search (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autoptr(GPtrArray) ids = fill_query_data (store);
  const char *jose = ids->pdata[2];
  static const struct { const char *search; int expected[6]; } cases[] = {
    /* Prefixes of first or last names; accents do not matter either way. */
    { "mar", { 0, 1, 4, 7, 18, -1 } },
    { "MAR", { 0, 1, 4, 7, 18, -1 } },
    { "maria", { 0, 4, -1 } },
    { "jose", { 2, 3, -1 } },
    { "josé", { 2, 3, -1 } },
    { "JOSÉ", { 2, 3, -1 } },
    { "alvarez", { 2, -1 } },
    { "marin", { 7, -1 } },
    { "gonz mar", { 0, -1 } },
    { "mar gonz", { 0, -1 } },
    { "zzz", { -1 } },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GPtrArray) expected_ids = g_ptr_array_new ();
      g_autofree char *expected = NULL;
      g_autofree char *found = NULL;

      for (guint i = 0; cases[c].expected[i] >= 0; i++)
        g_ptr_array_add (expected_ids, ids->pdata[cases[c].expected[i]]);
      g_ptr_array_sort (expected_ids, compare_strings);
      g_ptr_array_add (expected_ids, NULL);
      expected = g_strjoinv (" ", (char **) expected_ids->pdata);

      found = search_ids (store, cases[c].search);
      if (g_strcmp0 (found, expected) != 0)
        g_error ("search “%s”: expected [%s], found [%s]", cases[c].search, expected, found);
    }

  /* A phone number as people write it finds the lead whose number it is
   * (stored in E.164), however it is punctuated. */
  {
    g_autofree char *phoned = cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Phoebe",
                                                   CP_LEAD_FIELD_PHONE, "+12025550143", CP_LEAD_N_FIELDS);
    g_autofree char *other = cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Otto",
                                                  CP_LEAD_FIELD_PHONE, "+12025550199", CP_LEAD_N_FIELDS);
    const char *spellings[] = { "202-555-0143", "(202) 555-0143", "+1 202 555 0143", "202.555.0143",
                                "+12025550143" };
    g_autofree char *expected = id_set (phoned, NULL);

    cp_lead_store_set_default_region (store, "US");
    for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
      {
        g_autofree char *found = search_ids (store, spellings[i]);

        if (g_strcmp0 (found, expected) != 0)
          g_error ("search “%s”: expected [%s], found [%s]", spellings[i], expected, found);
      }
    /* The whole number in international form is still a word search too. */
    {
      g_autofree char *found = search_ids (store, "12025550199");
      g_autofree char *otto = id_set (other, NULL);
      g_assert_cmpstr (found, ==, otto);
    }
  }

  /* Search combines with filters and follows edits. */
  {
    g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
    g_autoptr(CpLead) edited = get_lead (store, jose);
    g_autoptr(GError) error = NULL;

    query->search = g_strdup ("mar");
    query->owner = g_strdup ("sam");
    g_assert_cmpuint (count_leads (store, query), ==, 4);

    cp_lead_set_text (edited, CP_LEAD_FIELD_LAST_NAME, "Marquez");
    g_assert_true (cp_lead_store_update (store, edited, "tester", NULL, &error));
    g_assert_no_error (error);
    g_clear_pointer (&query->owner, g_free);
    g_assert_cmpuint (count_leads (store, query), ==, 6);
    g_free (query->search);
    query->search = g_strdup ("alvarez");
    g_assert_cmpuint (count_leads (store, query), ==, 0);
  }
}

/* “Newest first” means by creation time, also while searching: leads that
 * were imported or synced later can have been created earlier. */
static void
test_query_search_keeps_sort_order (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  static const struct { const char *last; gint64 created_at; } leads[] = {
    { "Newest", T0 + 1000 },
    { "Oldest", T0 - 100000 },   /* imported after the others */
    { "Middle", T0 },
  };
  g_autoptr(GString) failures = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (leads); i++)
    {
      g_autoptr(CpLead) lead = lead_new ("Ordering", leads[i].last);

      cp_lead_set_int (lead, CP_LEAD_FIELD_CREATED_AT, leads[i].created_at);
      g_free (create_lead (store, lead));
    }

  for (guint descending = 0; descending <= 1; descending++)
    for (guint searching = 0; searching <= 1; searching++)
      {
        g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
        g_autoptr(GPtrArray) result = NULL;
        g_autofree char *order = NULL;
        const char *expected = descending ? "Newest Middle Oldest" : "Oldest Middle Newest";
        const char *names[4] = { NULL };

        query->sort_field = CP_LEAD_FIELD_CREATED_AT;
        query->sort_descending = descending;
        query->search = searching ? g_strdup ("ordering") : NULL;
        result = query_leads (store, query, 0, 0);
        g_assert_cmpuint (result->len, ==, 3);
        for (guint i = 0; i < 3; i++)
          names[i] = cp_lead_get_text (result->pdata[i], CP_LEAD_FIELD_LAST_NAME);
        order = g_strjoinv (" ", (char **) names);

        if (!searching)
          g_assert_cmpstr (order, ==, expected);
        else if (g_strcmp0 (order, expected) != 0)
          g_string_append_printf (failures, "%s with a search: %s (expected %s); ",
                                  descending ? "newest first" : "oldest first", order, expected);
      }

  if (failures->len > 0)
    g_test_fail_printf ("sort by created_at ignored: %s", failures->str);
}

static void
test_query_stage_summaries (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autoptr(GPtrArray) ids = fill_query_data (store);
  const char *owners[] = { NULL, "sam", "kim" };

  for (guint o = 0; o < G_N_ELEMENTS (owners); o++)
    {
      g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
      g_autoptr(GPtrArray) summaries = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) stages = g_hash_table_new (g_str_hash, g_str_equal);
      guint total = 0;

      query->now = QUERY_NOW;
      query->owner = g_strdup (owners[o]);
      summaries = cp_lead_store_stage_summaries (store, query, &error);
      g_assert_no_error (error);

      for (guint i = 0; i < G_N_ELEMENTS (query_data); i++)
        if (owners[o] == NULL || g_str_equal (owners[o], query_data[i].owner))
          g_hash_table_add (stages, (gpointer) query_data[i].stage);
      g_assert_cmpuint (summaries->len, ==, g_hash_table_size (stages));

      for (guint s = 0; s < summaries->len; s++)
        {
          CpStageSummary *summary = summaries->pdata[s];
          guint count = 0, breached = 0;
          gint64 score_sum = 0;

          for (guint i = 0; i < G_N_ELEMENTS (query_data); i++)
            if (g_str_equal (query_data[i].stage, summary->stage) &&
                (owners[o] == NULL || g_str_equal (owners[o], query_data[i].owner)))
              {
                count++;
                score_sum += query_data[i].score;
                breached += query_data_breached (i);
              }
          g_assert_cmpuint (summary->count, ==, count);
          g_assert_cmpint (summary->score_sum, ==, score_sum);
          g_assert_cmpuint (summary->sla_breached, ==, breached);
          total += summary->count;
        }
      g_assert_cmpuint (total, ==, count_leads (store, query));
    }

  /* Hand-counted figures for the board without filters. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) summaries = cp_lead_store_stage_summaries (store, NULL, &error);
    CpStageSummary *summary;

    g_assert_no_error (error);
    summary = require_summary (summaries, "new");
    g_assert_cmpuint (summary->count, ==, 9);
    g_assert_cmpint (summary->score_sum, ==, 50 + 70 + 70 + 0 + 70 + 15 + 70 + 45 + 70);
    /* The store's clock is QUERY_NOW. */
    g_assert_cmpuint (summary->sla_breached, ==, 3);
    summary = require_summary (summaries, "closed_won");
    g_assert_cmpuint (summary->count, ==, 1);
    g_assert_cmpuint (summary->sla_breached, ==, 0);
    g_assert_null (find_summary (summaries, "adoption"));
  }

  /* Moves and removals keep the figures right. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) summaries = NULL;

    g_assert_true (cp_lead_store_move (store, ids->pdata[0], NULL, "engaged", NULL, "Replied", "sam", NULL,
                                             &error));
    g_assert_true (cp_lead_store_tombstone (store, ids->pdata[1], "Test", "sam", &error));
    g_assert_no_error (error);
    summaries = cp_lead_store_stage_summaries (store, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (require_summary (summaries, "new")->count, ==, 7);
    /* 460, less Maria's 50 and Marcus's 70. */
    g_assert_cmpint (require_summary (summaries, "new")->score_sum, ==, 340);
    g_assert_cmpuint (require_summary (summaries, "engaged")->count, ==, 6);
    assert_database_sound (cp_lead_store_get_database (store));
  }
}

/* ------------------------------------------------------------------ */
/* 10. Columns                                                          */
/* ------------------------------------------------------------------ */

static void
test_columns_follow_field_order (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  sqlite3 *handle = store_handle (store);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (CP_LEAD_N_COLUMNS, ==, CP_LEAD_N_FIELDS);

  g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT " CP_LEAD_SELECT_COLUMNS " FROM leads", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_column_count (stmt), ==, CP_LEAD_N_FIELDS + 1);
  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    g_assert_cmpstr (sqlite3_column_name (stmt, i), ==, cp_lead_field_info (i)->name);
  g_assert_cmpstr (sqlite3_column_name (stmt, CP_LEAD_STAGE_ENTERED_COLUMN), ==,
                   "stage_entered_at");
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (handle, "INSERT INTO leads (" CP_LEAD_COLUMNS ") VALUES ("
                                       CP_LEAD_PLACEHOLDERS ")", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_bind_parameter_count (stmt), ==, CP_LEAD_N_FIELDS);
  sqlite3_finalize (stmt);
}

/* Every field set to its own value survives a write and both read paths. */
static void
test_columns_round_trip (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(CpLead) stored = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autofree char *id = NULL;

  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    {
      const CpFieldInfo *info = cp_lead_field_info (i);

      /* The playbook computes those; the stored lead shows what it made. */
      if (cp_lead_field_is_computed (i))
        continue;
      switch (info->type)
        {
        case CP_FIELD_TYPE_TEXT:
          {
            g_autofree char *value = g_strdup_printf ("v%u %s", i, info->name);
            cp_lead_set_text (lead, i, value);
          }
          break;
        case CP_FIELD_TYPE_CHOICE:
          /* The last choice, so no field holds its default by chance. */
          cp_lead_set_text (lead, i, info->choices[g_strv_length ((char **) info->choices) - 1]);
          break;
        case CP_FIELD_TYPE_BOOL:
          cp_lead_set_int (lead, i, 1);
          break;
        case CP_FIELD_TYPE_INT:
          cp_lead_set_int (lead, i, 100 + i);
          break;
        case CP_FIELD_TYPE_DATETIME:
          cp_lead_set_int (lead, i, T0 - 1000 * (gint64) i);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  cp_lead_set_text (lead, CP_LEAD_FIELD_ID, NULL);
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "round.trip@example.org");
  cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, "+12025550143");
  cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, "qualified");
  cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, "Two\nlines");
  cp_lead_set_text (lead, CP_LEAD_FIELD_CLOSURE_REASON, "other");   /* the playbook's, lost */
  cp_lead_set_custom (lead, "favourite_clinic", "Northside");

  id = create_lead (store, lead);
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_CREATED_AT), ==,
                   T0 - 1000 * (gint64) CP_LEAD_FIELD_CREATED_AT);
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_UPDATED_AT), ==, T0);

  stored = get_lead (store, id);
  assert_leads_equal (lead, stored, NULL);
  g_assert_true (custom_fields_equal (lead, stored));

  listed = query_leads (store, NULL, 0, 0);
  g_assert_cmpuint (listed->len, ==, 1);
  assert_leads_equal (lead, listed->pdata[0], NULL);
}

/* ------------------------------------------------------------------ */
/* 11. Transactions and change signals                                  */
/* ------------------------------------------------------------------ */

static void
test_transaction_nested_rollback (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  CpDatabase *database = cp_lead_store_get_database (store);
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;

  /* Inner rollback: the outer transaction keeps its own writes. */
  g_assert_true (cp_database_begin (database, &error));
  g_assert_no_error (error);
  g_assert_true (cp_database_in_transaction (database));
  a = create_named (store, "Outer", "Alpha");
  g_assert_true (cp_database_begin (database, &error));
  b = create_named (store, "Inner", "Bravo");
  cp_database_rollback (database);
  g_assert_true (cp_database_in_transaction (database));
  c = create_named (store, "Outer", "Charlie");
  g_assert_true (cp_database_commit (database, &error));
  g_assert_no_error (error);
  g_assert_false (cp_database_in_transaction (database));

  g_object_unref (get_lead (store, a));
  g_object_unref (get_lead (store, c));
  assert_lead_gone (store, b);
  g_assert_cmpint (audit_rows (store, b, NULL), ==, 0);
  g_assert_cmpint (stage_event_rows (store, b), ==, 0);
  g_assert_cmpuint (count_leads (store, NULL), ==, 2);

  /* Outer rollback: everything goes, committed savepoints included. */
  g_assert_true (cp_database_begin (database, &error));
  d = create_named (store, "Outer", "Delta");
  g_assert_true (cp_database_begin (database, &error));
  e = create_named (store, "Inner", "Echo");
  g_assert_true (cp_database_commit (database, &error));
  g_assert_true (cp_database_in_transaction (database));
  cp_database_rollback (database);
  g_assert_false (cp_database_in_transaction (database));

  assert_lead_gone (store, d);
  assert_lead_gone (store, e);
  g_assert_cmpint (audit_rows (store, d, NULL), ==, 0);
  g_assert_cmpint (audit_rows (store, e, NULL), ==, 0);
  g_assert_cmpuint (count_leads (store, NULL), ==, 2);
  {
    g_autofree char *found = search_ids (store, "delta");
    g_assert_cmpstr (found, ==, "");
  }
  assert_database_sound (database);

  /* A failed create inside a transaction does not spoil the rest of it. */
  g_assert_true (cp_database_begin (database, &error));
  {
    g_autoptr(CpLead) clash = lead_new ("Clash", "Id");

    cp_lead_set_text (clash, CP_LEAD_FIELD_ID, a);
    g_assert_false (cp_lead_store_create (store, clash, "tester", &error));
    g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }
  g_free (d);
  d = create_named (store, "After", "Clash");
  g_assert_true (cp_database_commit (database, &error));
  g_assert_no_error (error);
  g_object_unref (get_lead (store, d));
  g_assert_cmpuint (count_leads (store, NULL), ==, 3);
  assert_database_sound (database);
}

static void
test_transaction_changed_signal (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *second = NULL;
  g_autofree char *merge_id = NULL;
  guint reads = 0;

  g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), changes);
  g_signal_connect (store, "changed", G_CALLBACK (store_changed_read_cb), &reads);

  id = create_named (store, "Signal", "Watcher");
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, id, CP_LEAD_CHANGE_CREATED);

  g_assert_true (cp_lead_store_move (store, id, NULL, "engaged", NULL, "Replied", "sam", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 2);
  assert_change (changes, 1, id, CP_LEAD_CHANGE_MOVED);

  {
    g_autoptr(CpLead) edited = get_lead (store, id);

    cp_lead_set_text (edited, CP_LEAD_FIELD_OWNER, "kim");
    g_assert_true (cp_lead_store_update (store, edited, "sam", NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (changes->len, ==, 3);
    assert_change (changes, 2, id, CP_LEAD_CHANGE_UPDATED);

    /* The stage changes only by a move: an update refuses it. */
    cp_lead_set_text (edited, CP_LEAD_FIELD_STAGE, "qualified");
    g_assert_false (cp_lead_store_update (store, edited, "sam", "Budget confirmed", &error));
    g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_REFUSED);
    g_clear_error (&error);
    g_assert_cmpuint (changes->len, ==, 3);
    g_assert_true (cp_lead_store_move (store, id, NULL, "qualified", NULL, "Budget confirmed", "sam", NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (changes->len, ==, 4);
    assert_change (changes, 3, id, CP_LEAD_CHANGE_MOVED);
  }

  /* Failures announce nothing. */
  g_assert_false (cp_lead_store_move (store, id, NULL, "engaged", NULL, NULL, "sam", NULL, &error));
  g_clear_error (&error);
  {
    g_autoptr(CpLead) bad = lead_new ("Bad", "Email");

    cp_lead_set_text (bad, CP_LEAD_FIELD_EMAIL, "not an email");
    g_assert_false (cp_lead_store_create (store, bad, "sam", &error));
    g_clear_error (&error);
  }
  g_assert_cmpuint (changes->len, ==, 4);

  second = create_named (store, "Signal", "Watchers");
  g_assert_cmpuint (changes->len, ==, 5);
  merge_id = cp_lead_store_merge (store, id, second, NULL, 0, "sam", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 6);
  assert_change (changes, 5, NULL, CP_LEAD_CHANGE_BULK);
  g_assert_true (cp_lead_store_undo_merge (store, merge_id, "sam", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 7);
  assert_change (changes, 6, NULL, CP_LEAD_CHANGE_BULK);

  g_assert_true (cp_lead_store_tombstone (store, id, "Test", "sam", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 8);
  assert_change (changes, 7, id, CP_LEAD_CHANGE_REMOVED);

  g_assert_cmpuint (reads, ==, changes->len);
  g_signal_handlers_disconnect_by_func (store, store_changed_cb, changes);
  g_signal_handlers_disconnect_by_func (store, store_changed_read_cb, &reads);
}

/* ::changed says "emitted after a change is committed": inside an outer
 * transaction that is rolled back, nothing was committed. */
static void
test_transaction_no_signal_before_commit (void)
{
  g_autoptr(TestDir) tmp = test_dir_new ();
  g_autoptr(CpLeadStore) store = open_store (tmp->path);
  CpDatabase *database = cp_lead_store_get_database (store);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), changes);
  g_assert_true (cp_database_begin (database, &error));
  id = create_named (store, "Never", "Committed");
  cp_database_rollback (database);
  assert_lead_gone (store, id);

  if (changes->len != 0)
    g_test_fail_printf ("::changed (CREATED %s) was emitted for a lead whose transaction was then "
                        "rolled back", id);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/open/creates-private-file", test_open_creates_private_file);
  g_test_add_func ("/store/update/list-row-keeps-custom-fields",
                   test_update_list_row_keeps_custom_fields);
  g_test_add_func ("/store/open/restricts-existing-file", test_open_restricts_existing_file);
  g_test_add_func ("/store/open/reopen-keeps-data", test_open_reopen_keeps_data);
  g_test_add_func ("/store/open/refuses-newer", test_open_refuses_newer);
  g_test_add_func ("/store/open/refuses-foreign", test_open_refuses_foreign);
  g_test_add_func ("/store/open/readonly-needs-current-file",
                   test_open_readonly_needs_current_file);

  g_test_add_func ("/store/migrate/from-empty-file", test_migrate_from_empty_file);
  g_test_add_func ("/store/migrate/from-every-version", test_migrate_from_every_version);
  g_test_add_func ("/store/migrate/failure-keeps-file", test_migrate_failure_keeps_file);

  /* Before any test starts a thread: these fork. */
  g_test_add_func ("/store/crash/kill-while-writing", test_crash_kill_while_writing);
  g_test_add_func ("/store/crash/kill-mid-transaction", test_crash_kill_mid_transaction);

  g_test_add_func ("/store/concurrency/reader-sees-whole-batches",
                   test_concurrent_reader_sees_whole_batches);

  g_test_add_func ("/store/input/invalid-email", test_input_invalid_email);
  g_test_add_func ("/store/input/oversized-notes", test_input_oversized_notes);
  g_test_add_func ("/store/input/unicode-names", test_input_unicode_names);
  g_test_add_func ("/store/input/sql-metacharacters", test_input_sql_metacharacters);
  g_test_add_func ("/store/input/search-operators", test_input_search_operators);
  g_test_add_func ("/store/input/control-characters", test_input_control_characters);
  g_test_add_func ("/store/input/invalid-phone", test_input_invalid_phone);
  g_test_add_func ("/store/input/unknown-choice", test_input_unknown_choice);
  g_test_add_func ("/store/input/invalid-utf8", test_input_invalid_utf8);
  g_test_add_func ("/store/input/duplicate-id", test_input_duplicate_id);
  g_test_add_func ("/store/input/move-validates-stage", test_input_move_validates_stage);

  g_test_add_func ("/store/audit/create", test_audit_create);
  g_test_add_func ("/store/audit/update", test_audit_update);
  g_test_add_func ("/store/audit/noop-update", test_audit_noop_update);
  g_test_add_func ("/store/audit/move", test_audit_move);
  g_test_add_func ("/store/audit/move-needs-reason", test_audit_move_needs_reason);
  g_test_add_func ("/store/audit/tombstone", test_audit_tombstone);
  g_test_add_func ("/store/audit/merge-and-undo", test_audit_merge_and_undo);
  g_test_add_func ("/store/audit/merge-chain-undo", test_audit_merge_chain_undo);
  g_test_add_func ("/store/audit/append-only", test_audit_append_only);

  g_test_add_func ("/store/duplicates/find", test_duplicates);

  g_test_add_func ("/store/query/filters", test_query_filters);
  g_test_add_func ("/store/query/sort-and-paging", test_query_sort_and_paging);
  g_test_add_func ("/store/query/sla-and-ranges", test_query_sla_and_ranges);
  g_test_add_func ("/store/query/search", test_query_search);
  g_test_add_func ("/store/query/search-keeps-sort-order", test_query_search_keeps_sort_order);
  g_test_add_func ("/store/query/stage-summaries", test_query_stage_summaries);

  g_test_add_func ("/store/columns/follow-field-order", test_columns_follow_field_order);
  g_test_add_func ("/store/columns/round-trip", test_columns_round_trip);

  g_test_add_func ("/store/transaction/nested-rollback", test_transaction_nested_rollback);
  g_test_add_func ("/store/transaction/changed-signal", test_transaction_changed_signal);
  g_test_add_func ("/store/transaction/no-signal-before-commit",
                   test_transaction_no_signal_before_commit);

  return g_test_run ();
}
