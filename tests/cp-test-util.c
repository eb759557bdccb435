/* cp-test-util.c — what many tests need: temporary folders, databases, a store
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cp-database-private.h"
#include "cp-lead-export.h"
#include "cp-playbook-format.h"
#include "cp-playbook-store.h"
#include "cp-rescore.h"
#include "cp-test-util.h"

/* A fresh folder under the temp dir; remove it with cp_test_remove_tree(). */
char *
cp_test_make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("carepath-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
cp_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      cp_test_remove_tree (child);
    }
  g_remove (path);
}

/* A new database `leads.db` in @dir, asserting that it opens. */
CpDatabase *
cp_test_open_database (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "leads.db", NULL);

  return cp_test_open_database_file (path);
}

/**
 * cp_test_tmp_store_open:
 *
 * What most fixtures start from: a new folder (@dir), a new database in it
 * (@database) and a store on that database (@store).
 */
void
cp_test_tmp_store_open (char        **dir,
                        CpDatabase  **database,
                        CpLeadStore **store)
{
  *dir = cp_test_make_tmp_dir ();
  *database = cp_test_open_database (*dir);
  *store = cp_lead_store_new (*database);
}

/**
 * cp_test_tmp_store_close:
 *
 * Undoes cp_test_tmp_store_open(): asserts that nothing else holds the
 * store or the database any more (a worker that still holds the store is
 * given up to ten seconds to let go of it), then removes the folder.
 */
void
cp_test_tmp_store_close (char        **dir,
                         CpDatabase  **database,
                         CpLeadStore **store)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  /* A worker drops its task (which holds the store) just after the
   * result is delivered. */
  while (g_atomic_int_get (&G_OBJECT (*store)->ref_count) > 1 &&
         g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_finalize_object (g_steal_pointer (store));
  g_assert_finalize_object (g_steal_pointer (database));
  cp_test_remove_tree (*dir);
  g_clear_pointer (dir, g_free);
}

/**
 * cp_test_create_lead:
 * @first_field: a text field, then its value, then more pairs, ending
 *   with %CP_LEAD_N_FIELDS
 *
 * Returns: (transfer full): the id of the stored lead
 */
char *
cp_test_create_lead (CpLeadStore *store,
                     CpLeadField  first_field,
                     ...)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, first_field);
  for (CpLeadField field = first_field; field != CP_LEAD_N_FIELDS;
       field = va_arg (args, CpLeadField))
    cp_lead_set_text (lead, field, va_arg (args, const char *));
  va_end (args);

  g_assert_true (cp_lead_store_create (store, lead, "test", &error));
  g_assert_no_error (error);
  return g_strdup (cp_lead_get_id (lead));
}

/* The first column of the first row of @sql (@text bound to ?1, if any). */
gint64
cp_test_sql_int (CpDatabase *database,
                 const char *sql,
                 const char *text)
{
  return cp_test_sqlite_int (_cp_database_get_handle (database), sql, text);
}

gint64
cp_test_count_rows (CpDatabase *database,
                    const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);

  return cp_test_sql_int (database, sql, NULL);
}

/**
 * cp_test_publish_open_playbook:
 *
 * Publishes the default playbook without entry and exit rules, required
 * fields or automation: for tests of what is not the lifecycle (the audit
 * trail, reports, lists, sync), where any lead may move anywhere. Scoring,
 * routing and SLA clocks stay the default's.
 */
void
cp_test_publish_open_playbook (CpDatabase *database)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < playbook->stages->len; i++)
    {
      CpStage *stage = playbook->stages->pdata[i];

      g_clear_pointer (&stage->entry, cp_condition_free);
      g_clear_pointer (&stage->exit, cp_condition_free);
      g_clear_pointer (&stage->required_fields, g_strfreev);
    }
  g_ptr_array_set_size (playbook->automation, 0);
  g_assert_cmpint (cp_playbook_store_publish (database, playbook, "test", "Open for tests", 0, 1,
                                              &error),
                   >, 0);
  g_assert_no_error (error);
}

/**
 * cp_test_store_value:
 * @column: a column of the leads table (a field's name)
 * @value: (nullable): the value, as text (NULL stores NULL)
 *
 * Puts a value straight into a lead's row, behind the write path: for
 * tests of what reads the table (queries, sorting, the board) that need
 * rows holding given computed values (a score, an SLA due time).
 */
void
cp_test_store_value (CpDatabase *database,
                     const char *lead_id,
                     const char *column,
                     const char *value)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE leads SET %s = ?2 WHERE id = ?1", column);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_cp_database_get_handle (database), sql, -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, lead_id, -1, SQLITE_TRANSIENT);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (_cp_database_get_handle (database)), ==, 1);
  sqlite3_finalize (stmt);
}

void
cp_test_store_int (CpDatabase *database,
                   const char *lead_id,
                   const char *column,
                   gint64      value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  cp_test_store_value (database, lead_id, column, text);
}

/* ------------------------------------------------------------------ */
/* The store tests' helpers                                              */
/* ------------------------------------------------------------------ */

gint64 cp_test_now = CP_TEST_T0;

gint64
cp_test_clock (void)
{
  return cp_test_now;
}

void
cp_test_dir_set_up (CpTestDir     *tmp,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  tmp->dir = g_dir_make_tmp ("carepath-test-store-XXXXXX", &error);
  g_assert_no_error (error);
  tmp->path = g_build_filename (tmp->dir, "leads.db", NULL);
  cp_test_now = CP_TEST_T0;
}

void
cp_test_dir_tear_down (CpTestDir     *tmp,
                       gconstpointer  data)
{
  cp_test_remove_tree (tmp->dir);
  g_assert_false (g_file_test (tmp->dir, G_FILE_TEST_EXISTS));
  g_clear_pointer (&tmp->dir, g_free);
  g_clear_pointer (&tmp->path, g_free);
}

CpTestDir *
cp_test_dir_new (void)
{
  CpTestDir *tmp = g_new0 (CpTestDir, 1);

  cp_test_dir_set_up (tmp, NULL);
  return tmp;
}

void
cp_test_dir_free (CpTestDir *tmp)
{
  cp_test_dir_tear_down (tmp, NULL);
  g_free (tmp);
}

CpDatabase *
cp_test_open_database_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  CpDatabase *database = cp_database_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (database);
  return database;
}

CpLeadStore *
cp_test_open_store (const char *path)
{
  g_autoptr(CpDatabase) database = cp_test_open_database_file (path);
  g_autoptr(GPtrArray) versions = cp_playbook_store_list (database, NULL);
  CpLeadStore *store = cp_lead_store_new (database);

  /* The store's mechanics: any lead may move anywhere here. What the
   * playbook's stage rules allow is test-lifecycle's. */
  if (versions != NULL && versions->len == 0)
    cp_test_publish_open_playbook (database);
  cp_lead_store_set_clock (store, cp_test_clock);
  return store;
}

sqlite3 *
cp_test_store_handle (CpLeadStore *store)
{
  return _cp_database_get_handle (cp_lead_store_get_database (store));
}

/* The first column of the first row of @sql, with @text (if any) bound to ?1. */
gint64
cp_test_sqlite_int (sqlite3    *handle,
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

void
cp_test_sqlite_exec (sqlite3    *handle,
          const char *sql)
{
  char *message = NULL;
  int rc = sqlite3_exec (handle, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

sqlite3 *
cp_test_sqlite_open (const char *path)
{
  sqlite3 *handle = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                    NULL), ==, SQLITE_OK);
  return handle;
}

/* Whether the file's header says write-ahead log (bytes 18 and 19 are 2),
 * as the app expects of its database after any load. */
gboolean
cp_test_file_uses_log (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  guint8 header[20] = { 0, };

  g_assert_nonnull (in);
  g_assert_true (g_input_stream_read_all (G_INPUT_STREAM (in), header, sizeof header, NULL, NULL,
                                          NULL));
  return header[18] == 2 && header[19] == 2;
}

gint64
cp_test_audit_rows (CpLeadStore *store,
            const char  *lead_id,
            const char  *action)
{
  g_autofree char *sql = NULL;

  /* Without an action: the rows of what callers did; what the playbook
   * derived from it (routing, scores) is counted by action. */
  if (action == NULL)
    return cp_test_sqlite_int (cp_test_store_handle (store),
                               "SELECT count(*) FROM audit_log WHERE entity_id = ?1"
                               " AND action NOT IN ('route', 'rescore')",
                               lead_id);

  /* @action is a literal of the tests, never input. */
  sql = g_strdup_printf ("SELECT count(*) FROM audit_log WHERE entity_id = ?1 AND action = '%s'",
                         action);
  return cp_test_sqlite_int (cp_test_store_handle (store), sql, lead_id);
}

gint64
cp_test_stage_event_rows (CpLeadStore *store,
                  const char  *lead_id)
{
  return cp_test_sqlite_int (cp_test_store_handle (store),
                             "SELECT count(*) FROM stage_events WHERE lead_id = ?1", lead_id);
}

gint64
cp_test_store_rows (CpLeadStore *store,
            const char  *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);

  return cp_test_sqlite_int (cp_test_store_handle (store), sql, NULL);
}

guint
cp_test_file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

CpLead *
cp_test_lead_new (const char *first,
          const char *last)
{
  CpLead *lead = cp_lead_new ();

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, first);
  cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, last);
  return lead;
}

/* Creates @lead (asserting success) and returns its new id. */
char *
cp_test_add_lead (CpLeadStore *store,
             CpLead      *lead)
{
  g_autoptr(GError) error = NULL;

  gboolean created = cp_lead_store_create (store, lead, "tester", &error);

  g_assert_no_error (error);
  g_assert_true (created);
  g_assert_nonnull (cp_lead_get_id (lead));
  return g_strdup (cp_lead_get_id (lead));
}

char *
cp_test_add_named (CpLeadStore *store,
              const char  *first,
              const char  *last)
{
  g_autoptr(CpLead) lead = cp_test_lead_new (first, last);

  return cp_test_add_lead (store, lead);
}

guint
cp_test_count_leads (CpLeadStore       *store,
             const CpLeadQuery *query)
{
  g_autoptr(GError) error = NULL;
  guint count = G_MAXUINT;

  g_assert_true (cp_lead_store_count (store, query, &count, &error));
  g_assert_no_error (error);
  return count;
}

GPtrArray *
cp_test_query_leads (CpLeadStore       *store,
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

int
cp_test_compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The ids of a query's result, sorted, joined by spaces: easy to compare. */
char *
cp_test_search_ids (CpLeadStore *store,
            const char  *search)
{
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GPtrArray) leads = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  query->search = g_strdup (search);
  leads = cp_test_query_leads (store, query, 0, 0);
  g_assert_cmpuint (leads->len, ==, cp_test_count_leads (store, query));
  for (guint i = 0; i < leads->len; i++)
    g_ptr_array_add (ids, (gpointer) cp_lead_get_id (leads->pdata[i]));
  g_ptr_array_sort (ids, cp_test_compare_strings);
  g_ptr_array_add (ids, NULL);

  return g_strjoinv (" ", (char **) ids->pdata);
}

/* Sorted, space-separated: the expected form of cp_test_search_ids(). */
char *
cp_test_id_set (const char *first,
        ...)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  va_list args;

  va_start (args, first);
  for (const char *id = first; id != NULL; id = va_arg (args, const char *))
    g_ptr_array_add (ids, (gpointer) id);
  va_end (args);
  g_ptr_array_sort (ids, cp_test_compare_strings);
  g_ptr_array_add (ids, NULL);

  return g_strjoinv (" ", (char **) ids->pdata);
}

/* When @lead_id was erased (its tombstone's erased_at), 0 if it was not. */
gint64
cp_test_erased_at (CpLeadStore *store,
                   const char  *lead_id)
{
  return cp_test_sqlite_int (cp_test_store_handle (store),
                             "SELECT coalesce (erased_at, 0) FROM leads WHERE id = ?1", lead_id);
}

/* What the app's export writes for @ids (cp_lead_export_write(), the code
 * under cp_lead_export_to_file() and cp_lead_export_async()), as text. */
char *
cp_test_export_csv (CpLeadStore         *store,
                    const char * const  *ids,
                    GError             **error)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  if (!cp_lead_export_write (store, NULL, ids, out, NULL, NULL, NULL, NULL, error) ||
      !g_output_stream_write_all (out, "", 1, NULL, NULL, error) ||
      !g_output_stream_close (out, NULL, error))
    return NULL;

  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

CpLead *
cp_test_get_lead (CpLeadStore *store,
          const char  *id)
{
  g_autoptr(GError) error = NULL;
  CpLead *lead = cp_lead_store_get (store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (lead);
  return lead;
}

void
cp_test_assert_lead_gone (CpLeadStore *store,
                  const char  *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = cp_lead_store_get (store, id, &error);

  g_assert_null (lead);
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
}

void
cp_test_assert_database_sound (CpDatabase *database)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = cp_database_check_repairable (database, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (problems);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (const char *) problems->pdata[i]);
  g_assert_cmpuint (problems->len, ==, 0);
}

gboolean
cp_test_custom_fields_equal (CpLead *a,
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
void
cp_test_assert_leads_equal (CpLead            *expected,
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

CpStageSummary *
cp_test_find_summary (GPtrArray  *summaries,
              const char *stage)
{
  for (guint i = 0; i < summaries->len; i++)
    if (g_strcmp0 (((CpStageSummary *) summaries->pdata[i])->stage, stage) == 0)
      return summaries->pdata[i];

  return NULL;
}

CpStageSummary *
cp_test_require_summary (GPtrArray  *summaries,
                 const char *stage)
{
  CpStageSummary *summary = cp_test_find_summary (summaries, stage);

  if (summary == NULL)
    g_error ("no summary for the stage %s", stage);
  return summary;
}

void
cp_test_change_free (CpTestChange *change)
{
  g_free (change->lead_id);
  g_free (change);
}

void
cp_test_store_changed_cb (CpLeadStore *store,
                  const char  *lead_id,
                  guint        change,
                  gpointer     user_data)
{
  GPtrArray *changes = user_data;
  CpTestChange *record = g_new0 (CpTestChange, 1);

  record->lead_id = g_strdup (lead_id);
  record->change = change;
  g_ptr_array_add (changes, record);
}

void
cp_test_assert_change (GPtrArray    *changes,
               guint         index,
               const char   *lead_id,
               CpLeadChange  change)
{
  CpTestChange *record;

  g_assert_cmpuint (index, <, changes->len);
  record = changes->pdata[index];
  g_assert_cmpstr (record->lead_id, ==, lead_id);
  g_assert_cmpint (record->change, ==, change);
}

guint
cp_test_count_backups (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    n += strstr (name, ".bak-v") != NULL;

  return n;
}


const char *
cp_test_rescore_stale_tier (CpDatabase *database,
                            const char *lead_id,
                            gint64      now)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(GError) error = NULL;
  sqlite3 *handle = _cp_database_get_handle (database);
  sqlite3_stmt *stmt = NULL;
  CpRescoreStats stats = { 0, };
  const char *stale;

  /* Settled first: the lead's tier is then the playbook's, and the only
   * change of the next run is the stale one. */
  g_assert_true (cp_rescore_run (database, playbook, 0, now, "test-rescore", NULL, NULL, NULL,
                                 &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "UPDATE leads SET tier = CASE tier"
                                       " WHEN 'nurture' THEN 'unqualified' ELSE 'nurture' END"
                                       " WHERE id = ?1 RETURNING tier", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, lead_id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  stale = g_str_equal ((const char *) sqlite3_column_text (stmt, 0), "nurture")
          ? "nurture" : "unqualified";
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  g_assert_true (cp_rescore_run (database, playbook, 0, now, "test-rescore", NULL, NULL, NULL,
                                 &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.tier_changes, ==, 1);
  return stale;
}
