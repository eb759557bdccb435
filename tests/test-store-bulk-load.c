/* test-store-bulk-load.c — a deferred bulk load writes what the write path writes, or nothing
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "cp-bulk-load.h"
#include "cp-database.h"
#include "cp-demo-writer.h"
#include "cp-lead-store.h"
#include "cp-test-util.h"

#define NOW G_GINT64_CONSTANT (1790000000)

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = cp_test_make_tmp_dir ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cp_test_remove_tree (f->dir);
  g_free (f->dir);
}

static char *
generate (Fixture        *f,
          const char     *name,
          guint           n_leads,
          CpBulkLoadMode  mode)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(CpDatabase) database = cp_database_open (path, &error);
  g_autoptr(CpLeadStore) store = NULL;

  g_assert_no_error (error);
  store = cp_lead_store_new (database);
  g_assert_true (cp_demo_writer_run_full (store, n_leads, 7, NOW, mode, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  cp_test_assert_database_sound (database);
  return g_steal_pointer (&path);
}

static gboolean
looks_like_uuid (const char *text)
{
  if (text == NULL || strlen (text) != 36)
    return FALSE;
  return text[8] == '-' && text[13] == '-' && text[18] == '-' && text[23] == '-';
}

static gboolean
file_exists_with (const char *path,
                  const char *suffix)
{
  g_autofree char *file = g_strconcat (path, suffix, NULL);

  return g_file_test (file, G_FILE_TEST_EXISTS);
}

/* Every row of every table in insertion order, one line each, with the
 * ids drawn at random (accounts, tasks) replaced by their order of first
 * appearance: two databases written in the same order give the same
 * text. The search index is compared by its content (term, row, column,
 * offset); the statistics of ANALYZE are left out (samples). */
static char *
dump_database (const char *path)
{
  sqlite3 *handle = cp_test_sqlite_open (path);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  static const char * const fixed[] = {
    "SELECT type, name, tbl_name, sql FROM sqlite_schema"
    " WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name",
    "SELECT term, doc, col, offset FROM temp.vocab ORDER BY 1, 2, 3, 4",
  };

  cp_test_sqlite_exec (
      handle, "CREATE VIRTUAL TABLE temp.vocab USING fts5vocab (main, leads_fts, instance)");
  g_assert_cmpint (
      sqlite3_prepare_v2 (handle,
                          "SELECT name FROM sqlite_schema WHERE type = 'table'"
                          " AND name NOT LIKE 'sqlite_stat%' AND name NOT LIKE 'leads_fts%'"
                          " ORDER BY name",
                          -1, &stmt, NULL),
      ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (stmt, 0);
      g_autofree char *by_rowid = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY rowid", table);
      sqlite3_stmt *probe = NULL;

      /* A table without rowid comes in its key's order. */
      if (sqlite3_prepare_v2 (handle, by_rowid, -1, &probe, NULL) == SQLITE_OK)
        g_ptr_array_add (tables, g_steal_pointer (&by_rowid));
      else
        g_ptr_array_add (tables, g_strdup_printf ("SELECT * FROM \"%s\"", table));
      sqlite3_finalize (probe);
    }
  sqlite3_finalize (stmt);
  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    g_ptr_array_add (tables, g_strdup (fixed[i]));

  for (guint t = 0; t < tables->len; t++)
    {
      g_string_append_printf (out, "== %s\n", (const char *) tables->pdata[t]);
      g_assert_cmpint (sqlite3_prepare_v2 (handle, tables->pdata[t], -1, &stmt, NULL), ==,
                       SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const char *value = (const char *) sqlite3_column_text (stmt, c);

              if (looks_like_uuid (value))
                {
                  if (!g_hash_table_contains (ids, value))
                    g_hash_table_insert (ids, g_strdup (value),
                                         g_strdup_printf ("#%u", g_hash_table_size (ids)));
                  value = g_hash_table_lookup (ids, value);
                }
              if (value == NULL)
                g_string_append (out, "NULL|");
              else
                {
                  g_autofree char *escaped = g_strescape (value, NULL);   /* one row, one line */

                  g_string_append_printf (out, "'%s'|", escaped);
                }
            }
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (handle);
  return g_string_free (out, FALSE);
}

static guint
count_lines (const char *text,
             const char *section)
{
  const char *start = strstr (text, section);
  guint n = 0;

  g_assert_nonnull (start);
  for (const char *p = strchr (start, '\n') + 1; *p != '\0' && !g_str_has_prefix (p, "==");
       p = strchr (p, '\n') + 1)
    n++;
  return n;
}

/* On a difference, the first line that differs (not megabytes of text). */
static void
assert_same_lines (const char *actual,
                   const char *expected)
{
  g_auto (GStrv) a = g_strsplit (actual, "\n", -1);
  g_auto (GStrv) e = g_strsplit (expected, "\n", -1);
  guint i;

  for (i = 0; a[i] != NULL && e[i] != NULL; i++)
    g_assert_cmpstr (a[i], ==, e[i]);
  g_assert_cmpuint (g_strv_length (a), ==, g_strv_length (e));
}

/* The deferred load and the per-batch load (every index current, every
 * lead through the write path as before) leave the same rows. */
static void
test_deferred_same_rows (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *per_batch = generate (f, "per-batch.db", 1200, CP_BULK_LOAD_PER_BATCH);
  g_autofree char *deferred = generate (f, "deferred.db", 1200, CP_BULK_LOAD_AUTO);
  g_autofree char *new_file = generate (f, "new-file.db", 1200, CP_BULK_LOAD_AUTO_NEW_FILE);
  g_autofree char *expected = dump_database (per_batch);
  g_autofree char *actual = dump_database (deferred);
  g_autofree char *journalled = dump_database (new_file);

  /* Not vacuous: there is history, activity, audit and search to compare. */
  g_assert_cmpuint (count_lines (expected, "\"leads\""), ==, 1200);
  g_assert_cmpuint (count_lines (expected, "\"activities\""), >, 1200);
  g_assert_cmpuint (count_lines (expected, "\"stage_events\""), >, 1200);
  g_assert_cmpuint (count_lines (expected, "\"audit_log\""), >=, 1200);
  g_assert_cmpuint (count_lines (expected, "\"tasks\""), >, 0);
  g_assert_cmpuint (count_lines (expected, "temp.vocab"), >, 1200 * 4);
  assert_same_lines (actual, expected);
  /* Through a rollback journal into a new file: the same, and the file
   * back on its write-ahead log, no journal left. */
  assert_same_lines (journalled, expected);
  g_assert_true (cp_test_file_uses_log (new_file));
  g_assert_false (file_exists_with (new_file, "-journal"));
}

static char *
schema_of (CpDatabase *database)
{
  return g_strdup_printf (
      "%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
      cp_test_sql_int (database, "SELECT count(*) FROM sqlite_schema WHERE type = 'index'", NULL),
      cp_test_sql_int (database, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'",
                       NULL));
}

/* Deferral only into a database with fewer leads than the load adds;
 * an abandoned load puts back what it dropped. */
static void
test_deferral_choice (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = cp_test_open_database (f->dir);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  g_autofree char *before = schema_of (database);
  g_autofree char *during = NULL;
  g_autofree char *after = NULL;
  CpBulkLoad *load;

  load = cp_bulk_load_begin (database, 10, CP_BULK_LOAD_AUTO, &error);
  g_assert_no_error (error);
  during = schema_of (database);
  g_assert_cmpstr (during, !=, before);   /* deferred: dropped for now */
  cp_bulk_load_abort (load);
  after = schema_of (database);
  g_assert_cmpstr (after, ==, before);
  g_assert_false (cp_database_in_transaction (database));

  load = cp_bulk_load_begin (database, 10, CP_BULK_LOAD_PER_BATCH, &error);
  g_assert_no_error (error);
  g_clear_pointer (&during, g_free);
  during = schema_of (database);
  g_assert_cmpstr (during, ==, before);
  g_assert_true (cp_bulk_load_finish (load, &error));
  g_assert_no_error (error);

  g_assert_true (cp_demo_writer_run (store, 30, 3, NOW, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  /* 30 leads stored: 30 more are not fewer, 29 are. */
  load = cp_bulk_load_begin (database, 30, CP_BULK_LOAD_AUTO, &error);
  g_assert_no_error (error);
  g_clear_pointer (&during, g_free);
  during = schema_of (database);
  g_assert_cmpstr (during, ==, before);
  cp_bulk_load_abort (load);
  load = cp_bulk_load_begin (database, 31, CP_BULK_LOAD_AUTO, &error);
  g_assert_no_error (error);
  g_clear_pointer (&during, g_free);
  during = schema_of (database);
  g_assert_cmpstr (during, !=, before);
  g_assert_true (cp_bulk_load_finish (load, &error));
  g_assert_no_error (error);
  g_clear_pointer (&after, g_free);
  after = schema_of (database);
  g_assert_cmpstr (after, ==, before);
  cp_test_assert_database_sound (database);
}

/* The deferred builds sort with temporary files, so that their memory
 * does not grow with the load: the switch is refused inside the load's
 * transaction while a temporary database is open (a check opens one),
 * which would warn. Afterwards the connection's usual temporary storage
 * (memory) is back, on success and on abort alike. */
static void
test_sorts_on_disk (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = cp_test_open_database (f->dir);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  CpBulkLoad *load;

  cp_test_assert_database_sound (database);   /* leaves temp.* behind it */
  g_assert_cmpint (cp_test_sql_int (database, "PRAGMA temp_store", NULL), ==, 2);
  g_assert_true (cp_demo_writer_run (store, 40, 9, NOW, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cp_test_sql_int (database, "PRAGMA temp_store", NULL), ==, 2);
  cp_test_assert_database_sound (database);

  load = cp_bulk_load_begin (database, 1000, CP_BULK_LOAD_AUTO, &error);
  g_assert_no_error (error);
  cp_bulk_load_abort (load);
  g_assert_cmpint (cp_test_sql_int (database, "PRAGMA temp_store", NULL), ==, 2);
  g_assert_cmpint (cp_test_count_rows (database, "leads"), ==, 40);
}

/* A second run of the same seed is refused before anything is written. */
static void
test_same_seed_refused (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = cp_test_open_database (f->dir);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);

  g_assert_true (cp_demo_writer_run (store, 20, 5, NOW, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cp_demo_writer_run (store, 20, 5, NOW, NULL, NULL, NULL, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_assert_cmpint (cp_test_count_rows (database, "leads"), ==, 20);
  g_assert_false (cp_database_in_transaction (database));
}

/* Cancelled after its first batch: a deferred run leaves nothing, a
 * per-batch run keeps the committed batch. */
static void
cancel_after_first (guint    done,
                    guint    total,
                    gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  CpBulkLoadMode mode = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = cp_test_open_database (f->dir);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *before = schema_of (database);
  g_autofree char *after = NULL;

  g_assert_false (cp_demo_writer_run_full (store, 5001, 4, NOW, mode, cancel_after_first,
                                           cancellable, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cp_test_count_rows (database, "leads"), ==,
                   mode == CP_BULK_LOAD_PER_BATCH ? 5000 : 0);
  after = schema_of (database);
  g_assert_cmpstr (after, ==, before);
  g_assert_false (cp_database_in_transaction (database));
  /* A load through a rollback journal puts the log back, cancelled too. */
  g_assert_true (cp_test_file_uses_log (cp_database_get_path (database)));
  g_assert_false (file_exists_with (cp_database_get_path (database), "-journal"));
  cp_test_assert_database_sound (database);
}

/* Killed (SIGKILL, no chance to clean up) after its first batch. */
static void
die_after_first (guint    done,
                 guint    total,
                 gpointer user_data)
{
  kill (getpid (), SIGKILL);
}

static void
test_killed (Fixture       *f,
             gconstpointer  data)
{
  CpBulkLoadMode mode = GPOINTER_TO_INT (data);
  g_autofree char *path = g_build_filename (f->dir, "killed.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  pid_t child;
  int status = 0;

  database = cp_database_open (path, &error);
  g_assert_no_error (error);
  before = schema_of (database);
  g_clear_object (&database);

  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      g_autoptr(CpDatabase) mine = cp_database_open (path, NULL);
      g_autoptr(CpLeadStore) writer = cp_lead_store_new (mine);

      cp_demo_writer_run_full (writer, 5001, 4, NOW, mode, die_after_first, NULL, NULL, NULL);
      _exit (0);
    }
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
  /* Left behind: the rollback journal of a load into a new file (its
   * first 5,000 leads are in the file itself, past its old end), the
   * log of the others. */
  g_assert_cmpint (file_exists_with (path, "-journal"), ==, mode == CP_BULK_LOAD_AUTO_NEW_FILE);
  g_assert_cmpint (cp_test_file_uses_log (path), ==, mode != CP_BULK_LOAD_AUTO_NEW_FILE);

  database = cp_database_open (path, &error);
  g_assert_no_error (error);
  store = cp_lead_store_new (database);
  g_assert_cmpint (cp_test_count_rows (database, "leads"), ==,
                   mode == CP_BULK_LOAD_PER_BATCH ? 5000 : 0);
  after = schema_of (database);
  g_assert_cmpstr (after, ==, before);
  g_assert_true (cp_test_file_uses_log (path));
  g_assert_false (file_exists_with (path, "-journal"));
  cp_test_assert_database_sound (database);
}

/* A load meant for a new file, while another connection has it open
 * (a reader): SQLite will not leave the log, so the load goes through
 * it, as any other; the reader keeps reading, and sees the load once it
 * is committed. */
static void
log_in_use (guint    done,
            guint    total,
            gpointer user_data)
{
  const char *path = user_data;

  g_assert_true (file_exists_with (path, "-wal"));
  g_assert_false (file_exists_with (path, "-journal"));
}

static void
test_new_file_open_elsewhere (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "shared.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = cp_database_open (path, &error);
  g_autoptr(CpDatabase) reader = NULL;
  g_autoptr(CpLeadStore) store = NULL;

  g_assert_no_error (error);
  reader = cp_database_open_readonly (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cp_test_count_rows (reader, "leads"), ==, 0);
  store = cp_lead_store_new (database);
  g_assert_true (cp_demo_writer_run_full (store, 60, 5, NOW, CP_BULK_LOAD_AUTO_NEW_FILE, log_in_use,
                                          path, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cp_test_count_rows (reader, "leads"), ==, 60);
  g_assert_true (cp_test_file_uses_log (path));
  cp_test_assert_database_sound (database);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bulk-load/deferred-same-rows", Fixture, NULL, fixture_set_up,
              test_deferred_same_rows, fixture_tear_down);
  g_test_add ("/bulk-load/deferral-choice", Fixture, NULL, fixture_set_up, test_deferral_choice,
              fixture_tear_down);
  g_test_add ("/bulk-load/sorts-on-disk", Fixture, NULL, fixture_set_up, test_sorts_on_disk,
              fixture_tear_down);
  g_test_add ("/bulk-load/same-seed-refused", Fixture, NULL, fixture_set_up, test_same_seed_refused,
              fixture_tear_down);
  g_test_add ("/bulk-load/cancel/deferred", Fixture, GINT_TO_POINTER (CP_BULK_LOAD_AUTO),
              fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/bulk-load/cancel/per-batch", Fixture, GINT_TO_POINTER (CP_BULK_LOAD_PER_BATCH),
              fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/bulk-load/killed/deferred", Fixture, GINT_TO_POINTER (CP_BULK_LOAD_AUTO),
              fixture_set_up, test_killed, fixture_tear_down);
  g_test_add ("/bulk-load/killed/per-batch", Fixture, GINT_TO_POINTER (CP_BULK_LOAD_PER_BATCH),
              fixture_set_up, test_killed, fixture_tear_down);
  g_test_add ("/bulk-load/cancel/new-file", Fixture, GINT_TO_POINTER (CP_BULK_LOAD_AUTO_NEW_FILE),
              fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/bulk-load/killed/new-file", Fixture, GINT_TO_POINTER (CP_BULK_LOAD_AUTO_NEW_FILE),
              fixture_set_up, test_killed, fixture_tear_down);
  g_test_add ("/bulk-load/new-file-open-elsewhere", Fixture, NULL, fixture_set_up,
              test_new_file_open_elsewhere, fixture_tear_down);

  return g_test_run ();
}
