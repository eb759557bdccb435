/* test-lead-import-deferred.c — one transaction with deferred indexes judges rows as batches do
 *
 * Its own binary: three imports of more than a batch, slow under the
 * sanitizers.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cp-csv-writer.h"
#include "cp-database-private.h"
#include "cp-demo.h"
#include "cp-lead-import.h"
#include "cp-test-util.h"

#define NOW G_GINT64_CONSTANT (1780000000)
/* More than a batch: into an empty database, one transaction. */
#define ROWS (CP_IMPORT_BATCH_ROWS + CP_IMPORT_BATCH_ROWS / 10)

typedef struct
{
  char        *dir;
  CpDatabase  *database;
  CpLeadStore *store;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  cp_test_tmp_store_open (&f->dir, &f->database, &f->store);
  cp_test_publish_open_playbook (f->database);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
}

/* A file of varied people (the demo generator's) in which some rows are
 * earlier rows again: the same email with more to say (a merge), the same
 * phone and name (a merge), a similar name at the same place (a flag),
 * and a few rows refused. */
static GString *
varied_file (guint n)
{
  g_autoptr(CpDemoGenerator) generator = cp_demo_generator_new (5, NOW);
  g_autoptr(GPtrArray) emails = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);
  const char *header[CP_LEAD_N_FIELDS];
  CpLeadField columns[CP_LEAD_N_FIELDS];
  guint n_columns = 0;

  for (guint f = 0; f < CP_LEAD_N_FIELDS; f++)
    if (f != CP_LEAD_FIELD_ID && !cp_lead_field_is_computed (f))
      {
        columns[n_columns] = f;
        header[n_columns++] = cp_lead_field_info (f)->name;
      }
  cp_csv_append_row (out, header, n_columns);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CpLead) lead = cp_demo_generator_next_lead (generator);
      char *values[CP_LEAD_N_FIELDS];

      if (i % 7 == 6)
        cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, emails->pdata[i / 2]);
      if (i % 101 == 100)
        cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "not-an-email");
      g_ptr_array_add (emails, g_strdup (cp_lead_get_text (lead, CP_LEAD_FIELD_EMAIL)));
      for (guint c = 0; c < n_columns; c++)
        values[c] = cp_lead_dup_field_string (lead, columns[c]);
      cp_csv_append_row (out, (const char * const *) values, n_columns);
      for (guint c = 0; c < n_columns; c++)
        g_free (values[c]);
    }
  return out;
}

/* Each row of @sql as a line, every generated id (of a lead, an account,
 * a task) given as the order in which its row was made, and a time of
 * the clock (a merge's update is stamped with the real time) as "clock". */
static void
dump_rows (CpDatabase *database,
           GHashTable *names,
           const char *sql,
           gboolean    sorted,
           GString    *out)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = _cp_database_prepare (database, sql, NULL);

  g_assert_nonnull (stmt);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      GString *line = g_string_new (NULL);

      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          const char *value = (const char *) sqlite3_column_text (stmt, c);
          const char *name = value != NULL ? g_hash_table_lookup (names, value) : NULL;
          gint64 clock = g_get_real_time () / G_USEC_PER_SEC;

          if (sqlite3_column_type (stmt, c) == SQLITE_INTEGER &&
              ABS (sqlite3_column_int64 (stmt, c) - clock) < 3600)
            name = "clock";

          g_string_append_printf (line, "%s=%s|", sqlite3_column_name (stmt, c),
                                  name != NULL ? name : value != NULL ? value : "NULL");
        }
      g_ptr_array_add (lines, g_string_free (line, FALSE));
    }
  sqlite3_finalize (stmt);
  if (sorted)
    g_ptr_array_sort (lines, (GCompareFunc) cp_test_compare_strings);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *) lines->pdata[i]);
}

/* The leads, their fields, stage events, audit rows, tasks and accounts,
 * ids aside. */
static char *
dump_leads (CpDatabase *database)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *generated[] = { "leads", "accounts", "tasks" };
  GString *out = g_string_new (NULL);

  for (guint t = 0; t < G_N_ELEMENTS (generated); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT id FROM %s ORDER BY rowid", generated[t]);
      sqlite3_stmt *stmt = _cp_database_prepare (database, sql, NULL);

      for (guint i = 0; sqlite3_step (stmt) == SQLITE_ROW; i++)
        g_hash_table_insert (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                             g_strdup_printf ("%s#%u", generated[t], i));
      sqlite3_finalize (stmt);
    }
  dump_rows (database, names, "SELECT * FROM leads ORDER BY rowid", FALSE, out);
  dump_rows (database, names, "SELECT * FROM lead_custom_fields", TRUE, out);
  dump_rows (database, names, "SELECT * FROM stage_events ORDER BY id", FALSE, out);
  dump_rows (database, names, "SELECT * FROM audit_log ORDER BY id", FALSE, out);
  dump_rows (database, names, "SELECT * FROM tasks ORDER BY rowid", FALSE, out);
  dump_rows (database, names, "SELECT * FROM accounts ORDER BY rowid", FALSE, out);
  return g_string_free (out, FALSE);
}

/* Says which line differs first. */
static void
assert_same_lines (const char *a,
                   const char *b)
{
  g_auto(GStrv) lines_a = g_strsplit (a, "\n", -1);
  g_auto(GStrv) lines_b = g_strsplit (b, "\n", -1);

  for (guint i = 0; lines_a[i] != NULL && lines_b[i] != NULL; i++)
    g_assert_cmpstr (lines_a[i], ==, lines_b[i]);
  g_assert_cmpuint (g_strv_length (lines_a), ==, g_strv_length (lines_b));
}

typedef struct
{
  CpDatabase *database;
  gint64      committed;   /* the most leads another connection saw during the import */
  gint64      indexes;     /* the fewest indexes of leads the import's own connection had */
  gint64      key_indexes; /* of which the duplicate search's */
} Watch;

static void
watch_progress_cb (guint    done,
                   guint    total,
                   gpointer user_data)
{
  Watch *watch = user_data;
  g_autoptr(CpDatabase) reader = NULL;

  if (total > 0)
    return;
  reader = cp_database_open_readonly (cp_database_get_path (watch->database), NULL);
  watch->committed = MAX (watch->committed, cp_test_count_rows (reader, "leads"));
  watch->indexes = MIN (watch->indexes,
                        cp_test_sql_int (watch->database, "SELECT count(*) FROM sqlite_master"
                                         " WHERE type = 'index' AND tbl_name = 'leads'", NULL));
  watch->key_indexes = MIN (watch->key_indexes,
                            cp_test_sql_int (watch->database,
                                             "SELECT count(*) FROM sqlite_master WHERE name IN"
                                             " ('leads_email_key', 'leads_phone_key',"
                                             " 'leads_location_key')", NULL));
}

static void
import_watched (CpLeadStore    *store,
                const GString  *text,
                gboolean        commit_batches,
                CpImportResult *result,
                Watch          *watch)
{
  g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_data (text->str, text->len);
  g_autoptr(GError) error = NULL;
  CpImportOptions options = {
    CP_IMPORT_HEADERS_AUTO, CP_IMPORT_DUPLICATE_MERGE, FALSE, "test", NULL, NOW, NULL,
    commit_batches
  };
  watch->database = cp_lead_store_get_database (store);
  watch->committed = 0;
  watch->indexes = watch->key_indexes = G_MAXINT64;
  g_assert_true (cp_lead_import_run (store, reader, &options, watch_progress_cb, watch, NULL,
                                     result, &error));
  g_assert_no_error (error);
}

/* The same file into an empty database as one transaction with its index
 * builds deferred, and a batch at a time: every row judged the same, lead
 * by lead. */
static void
test_deferred_as_batches (Fixture *f, gconstpointer data)
{
  g_autoptr(GString) text = varied_file (ROWS);
  g_autofree char *dir = NULL;
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_auto(CpImportResult) deferred = { 0, };
  g_auto(CpImportResult) batches = { 0, };
  g_autofree char *deferred_dump = NULL;
  g_autofree char *batches_dump = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  Watch seen = { 0, };

  cp_test_tmp_store_open (&dir, &database, &store);
  cp_test_publish_open_playbook (database);

  /* A dry run the same way: the same counts, nothing kept. */
  {
    g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_data (text->str, text->len);
    g_auto(CpImportResult) dry = { 0, };
    g_autoptr(GError) error = NULL;
    CpImportOptions options = {
      CP_IMPORT_HEADERS_AUTO, CP_IMPORT_DUPLICATE_MERGE, TRUE, "test", NULL, NOW
    };
    gint64 schema = cp_test_sql_int (f->database, "SELECT count(*) FROM sqlite_master", NULL);

    g_assert_true (cp_lead_import_run (f->store, reader, &options, NULL, NULL, NULL, &dry, &error));
    g_assert_no_error (error);
    import_watched (f->store, text, FALSE, &deferred, &seen);
    g_assert_cmpuint (dry.imported, ==, deferred.imported);
    g_assert_cmpuint (dry.merged, ==, deferred.merged);
    g_assert_cmpuint (dry.flagged, ==, deferred.flagged);
    g_assert_cmpuint (dry.rejected, ==, deferred.rejected);
    g_assert_cmpint (cp_test_sql_int (f->database, "SELECT count(*) FROM sqlite_master", NULL), ==,
                     schema);
  }
  /* Nothing committed before the end; during the import, the indexes the
   * write path does not read were gone, the duplicate search's were not. */
  g_assert_cmpint (seen.committed, ==, 0);
  g_assert_cmpint (seen.key_indexes, ==, 3);
  g_assert_cmpint (seen.indexes, <, 8);
  import_watched (store, text, TRUE, &batches, &seen);
  g_assert_cmpint (seen.committed, >, 0);   /* the first batch's new leads, committed */
  g_assert_cmpint (seen.committed, <, batches.imported);
  g_assert_cmpint (seen.indexes, >, 20);

  /* A file of every kind of row. */
  g_assert_cmpuint (deferred.imported + deferred.merged + deferred.unchanged + deferred.rejected,
                    ==, ROWS);
  g_assert_cmpuint (deferred.merged + deferred.unchanged, >, 100);
  g_assert_cmpuint (deferred.flagged, >, 10);
  g_assert_cmpuint (deferred.rejected, >, 10);
  g_assert_cmpuint (deferred.imported, ==, batches.imported);
  g_assert_cmpuint (deferred.merged, ==, batches.merged);
  g_assert_cmpuint (deferred.unchanged, ==, batches.unchanged);
  g_assert_cmpuint (deferred.flagged, ==, batches.flagged);
  g_assert_cmpuint (deferred.rejected, ==, batches.rejected);
  g_assert_cmpuint (deferred.matches->len, ==, batches.matches->len);
  for (guint i = 0; i < deferred.rejections->len; i++)
    g_assert_cmpuint (((CpImportRejection *) deferred.rejections->pdata[i])->line, ==,
                      ((CpImportRejection *) batches.rejections->pdata[i])->line);

  deferred_dump = dump_leads (f->database);
  batches_dump = dump_leads (database);
  g_assert_cmpuint (strlen (deferred_dump), >, 100000);
  assert_same_lines (deferred_dump, batches_dump);

  /* Every index and trigger is back, and the search finds the rows. */
  g_assert_cmpint (cp_test_sql_int (f->database, "SELECT count(*) FROM sqlite_master", NULL), ==,
                   cp_test_sql_int (database, "SELECT count(*) FROM sqlite_master", NULL));
  g_assert_cmpint (cp_test_count_rows (f->database, "leads_fts"), ==,
                   cp_test_count_rows (f->database, "leads"));
  problems = cp_database_check_repairable (f->database, NULL, NULL);
  g_assert_cmpuint (problems->len, ==, 0);
  cp_test_tmp_store_close (&dir, &database, &store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/lead-import/deferred-as-batches", Fixture, NULL, fixture_set_up,
              test_deferred_as_batches, fixture_tear_down);
  return g_test_run ();
}
