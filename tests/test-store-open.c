/* test-store-open.c — the local store: opening a database: a private file, refusing newer or
 * foreign files, read-only
 *
 * Every case works in its own temporary folder. Times come from a fixed
 * clock (cp_lead_store_set_clock()) so audit rows and ranges are exact.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cp-database-private.h"
#include "cp-lead-store.h"
#include "cp-schema.h"
#include "cp-test-util.h"

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

static void
test_open_creates_private_file (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autofree char *folder = g_build_filename (tmp->dir, "data", "carepath", NULL);
  g_autofree char *path = g_build_filename (folder, "leads.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *journal_mode = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  CpDatabase *database;
  sqlite3 *handle;

  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));

  store = cp_test_open_store (path);
  database = cp_lead_store_get_database (store);
  handle = _cp_database_get_handle (database);

  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (cp_test_file_mode (folder) & 077, ==, 0);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (cp_test_file_mode (path), ==, 0600);

  g_assert_cmpstr (cp_database_get_path (database), ==, path);
  g_assert_cmpint (cp_database_get_latest_schema_version (), ==, cp_schema_latest_version ());
  g_assert_cmpint (cp_database_get_latest_schema_version (), >=, 2);
  g_assert_cmpint (cp_database_get_schema_version (database), ==,
                   cp_database_get_latest_schema_version ());
  g_assert_cmpint (cp_test_sqlite_int (handle, "PRAGMA user_version", NULL), ==,
                   cp_database_get_latest_schema_version ());
  g_assert_cmpint (cp_test_sqlite_int (handle, "PRAGMA application_id", NULL), ==, 1128354373);
  g_assert_cmpint (CP_SCHEMA_APPLICATION_ID, ==, 1128354373);
  journal_mode = sql_text (handle, "PRAGMA journal_mode");
  g_assert_cmpstr (journal_mode, ==, "wal");
  g_assert_cmpint (cp_test_sqlite_int (handle, "PRAGMA foreign_keys", NULL), ==, 1);
  /* A new file is not an upgrade: no backup. */
  g_assert_null (cp_database_get_backup_path (database));
  g_assert_false (cp_database_in_transaction (database));

  /* The write-ahead log and shared memory hold lead data too. */
  g_free (cp_test_add_named (store, "Ada", "Lovelace"));
  g_assert_true (g_file_test (wal, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (cp_test_file_mode (wal), ==, 0600);
  g_assert_true (g_file_test (shm, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (cp_test_file_mode (shm), ==, 0600);

  cp_test_assert_database_sound (database);
}

static void
test_open_restricts_existing_file (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = NULL;

  /* An empty file left world-readable, e.g. by a backup tool. */
  g_file_set_contents (tmp->path, "", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (tmp->path, 0644), ==, 0);

  database = cp_test_open_database_file (tmp->path);
  g_assert_cmpuint (cp_test_file_mode (tmp->path), ==, 0600);
  g_assert_cmpint (cp_database_get_schema_version (database), ==,
                   cp_database_get_latest_schema_version ());
}

static void
test_open_reopen_keeps_data (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autofree char *id = NULL;

  {
    g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
    id = cp_test_add_named (store, "Grace", "Hopper");
  }
  {
    g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
    g_autoptr(CpLead) lead = cp_test_get_lead (store, id);

    g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_LAST_NAME), ==, "Hopper");
    /* Already current: no second backup. */
    g_assert_null (cp_database_get_backup_path (cp_lead_store_get_database (store)));
  }
}

static void
test_open_refuses_newer (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = NULL;
  g_autofree char *hash_before = NULL;
  g_autofree char *hash_after = NULL;
  g_autofree char *set_version = NULL;
  int newer = cp_database_get_latest_schema_version () + 1;

  {
    g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
    g_free (cp_test_add_named (store, "From", "Tomorrow"));
  }
  {
    sqlite3 *handle = cp_test_sqlite_open (tmp->path);

    set_version = g_strdup_printf ("PRAGMA user_version = %d", newer);
    cp_test_sqlite_exec (handle, set_version);
    cp_test_sqlite_exec (handle, "PRAGMA application_id = 1128354373");
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
  g_assert_cmpuint (cp_test_count_backups (tmp->dir), ==, 0);
  {
    sqlite3 *handle = cp_test_sqlite_open (tmp->path);

    g_assert_cmpint (cp_test_sqlite_int (handle, "PRAGMA user_version", NULL), ==, newer);
    g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT count(*) FROM leads", NULL), ==, 1);
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
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autofree char *photos = g_build_filename (tmp->dir, "photos.sqlite", NULL);
  g_autofree char *versioned = g_build_filename (tmp->dir, "versioned.sqlite", NULL);
  g_autofree char *noise = g_build_filename (tmp->dir, "noise.db", NULL);
  g_autofree char *text = g_build_filename (tmp->dir, "notes.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20231114);
  g_autofree guint8 *bytes = g_malloc (64 * 1024);

  /* Another program's database, which never set a user_version. */
  {
    sqlite3 *handle = cp_test_sqlite_open (photos);

    cp_test_sqlite_exec (handle, "CREATE TABLE photos (id INTEGER PRIMARY KEY, caption TEXT);"
                      "INSERT INTO photos (caption) VALUES ('beach');");
    sqlite3_close (handle);
  }
  assert_refused (photos, CP_STORE_ERROR_CORRUPT);
  {
    sqlite3 *handle = cp_test_sqlite_open (photos);

    /* Not touched: no Carepath table in it. */
    g_assert_cmpint (cp_test_sqlite_int (handle,
                                         "SELECT count(*) FROM sqlite_master WHERE name = 'leads'",
                                         NULL),
                     ==, 0);
    g_assert_cmpint (cp_test_sqlite_int (handle, "PRAGMA user_version", NULL), ==, 0);
    sqlite3_close (handle);
  }

  /* Another program that uses user_version for its own schema. */
  {
    sqlite3 *handle = cp_test_sqlite_open (versioned);

    cp_test_sqlite_exec (handle, "CREATE TABLE leads (name TEXT); PRAGMA user_version = 2;");
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
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
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

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/open/creates-private-file", test_open_creates_private_file);
  g_test_add_func ("/store/open/restricts-existing-file", test_open_restricts_existing_file);
  g_test_add_func ("/store/open/reopen-keeps-data", test_open_reopen_keeps_data);
  g_test_add_func ("/store/open/refuses-newer", test_open_refuses_newer);
  g_test_add_func ("/store/open/refuses-foreign", test_open_refuses_foreign);
  g_test_add_func ("/store/open/readonly-needs-current-file",
                   test_open_readonly_needs_current_file);

  return g_test_run ();
}
