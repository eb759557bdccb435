/* cp-test-util.c — what many tests need: temporary folders and databases
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "cp-database-private.h"
#include "cp-playbook-format.h"
#include "cp-playbook-store.h"
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
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "leads.db", NULL);
  CpDatabase *database = cp_database_open (path, &error);

  g_assert_no_error (error);
  return database;
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
  for (CpLeadField field = first_field; field != CP_LEAD_N_FIELDS; field = va_arg (args, CpLeadField))
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
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (_cp_database_get_handle (database), sql, -1, &stmt, NULL),
                   ==, SQLITE_OK);
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
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
  g_assert_cmpint (cp_playbook_store_publish (database, playbook, "test", "Open for tests", 0, 1, &error),
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
