/* cp-database.c — one SQLite connection: the object, its statements, errors and settings
 *
 * Opening and upgrading are in cp-database-open.c, transactions in
 * cp-database-transaction.c, the integrity checks in cp-database-check.c.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-database"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database-impl.h"
#include "cp-schema.h"

G_DEFINE_FINAL_TYPE (CpDatabase, cp_database, G_TYPE_OBJECT)

enum {
  TRANSACTION_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_cp_bind_text (sqlite3_stmt *stmt,
               int           index,
               const char   *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

const char *
_cp_column_text (sqlite3_stmt *stmt,
                 int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

void
_cp_database_set_error (CpDatabase  *self,
                        GError     **error,
                        int          code,
                        const char  *context)
{
  int primary = code & 0xff;
  const char *detail = self->handle != NULL ? sqlite3_errmsg (self->handle) : sqlite3_errstr (code);

  switch (primary)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_BUSY,
                   _("The database is busy: another Carepath window or tool is writing to it. "
                     "Try again in a moment."));
      break;
    case SQLITE_FULL:
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_QUERY,
                   _("The disk is full: nothing was saved. Free some space and try again."));
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_CORRUPT,
                   _("“%s” is damaged or is not a Carepath database (%s)."),
                   self->path, detail);
      break;
    case SQLITE_READONLY:
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_READ_ONLY,
                   _("Read-only: this database cannot be changed (“%s”)."), self->path);
      break;
    case SQLITE_CONSTRAINT:
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("%s: the change breaks a rule of the database (%s)."), context, detail);
      break;
    default:
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_QUERY,
                   "%s: %s", context, detail);
    }
}

/* For a write path to refuse at once, before it judges a change that
 * could not be saved anyway; SQLite refuses any write that gets past it
 * with the same words. */
gboolean
_cp_database_check_writable (CpDatabase  *self,
                             GError     **error)
{
  if (!self->readonly)
    return TRUE;
  g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_READ_ONLY,
               _("Read-only: this database cannot be changed (“%s”)."), self->path);
  return FALSE;
}

sqlite3 *
_cp_database_get_handle (CpDatabase *self)
{
  return self->handle;
}

sqlite3_stmt *
_cp_database_prepare (CpDatabase  *self,
                      const char  *sql,
                      GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v3 (self->handle, sql, -1, 0, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      _cp_database_set_error (self, error, rc, _("Could not prepare a query"));
      return NULL;
    }

  return stmt;
}

/**
 * _cp_database_statement:
 *
 * Returns: (transfer none): the cached statement, reset and with its
 *   bindings cleared, ready to bind and step.
 */
sqlite3_stmt *
_cp_database_statement (CpDatabase   *self,
                        CpStatement   statement,
                        GError      **error)
{
  sqlite3_stmt *stmt;

  g_assert (statement < CP_N_STATEMENTS);

  stmt = self->statements[statement];
  if (stmt == NULL)
    {
      int rc = sqlite3_prepare_v3 (self->handle, _cp_statement_sql[statement], -1,
                                   SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
      if (rc != SQLITE_OK)
        {
          _cp_database_set_error (self, error, rc, _("Could not prepare a query"));
          return NULL;
        }
      self->statements[statement] = stmt;
    }
  else
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }

  return stmt;
}

static void
finalize_built (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* Statements built from parts (an UPDATE of the columns that changed)
 * come in a few shapes that recur; more than this many are not kept. */
#define MAX_BUILT_STATEMENTS 256

/**
 * _cp_database_built_statement:
 * @sql: a statement built by the caller, from fixed parts only (column
 *   names, never values)
 *
 * Like _cp_database_statement(), for SQL whose shape depends on the call:
 * prepared once per shape and kept with the connection.
 *
 * Returns: (transfer none): the statement, reset and with its bindings
 *   cleared
 */
sqlite3_stmt *
_cp_database_built_statement (CpDatabase  *self,
                              const char  *sql,
                              GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (self->built == NULL)
    self->built = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_built);
  stmt = g_hash_table_lookup (self->built, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (g_hash_table_size (self->built) >= MAX_BUILT_STATEMENTS)
    g_hash_table_remove_all (self->built);
  rc = sqlite3_prepare_v3 (self->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _cp_database_set_error (self, error, rc, _("Could not prepare a query"));
      return NULL;
    }
  g_hash_table_insert (self->built, g_strdup (sql), stmt);
  return stmt;
}

gboolean
_cp_database_exec (CpDatabase  *self,
                   const char  *sql,
                   GError     **error)
{
  int rc = sqlite3_exec (self->handle, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      _cp_database_set_error (self, error, rc, _("Database command failed"));
      return FALSE;
    }

  return TRUE;
}

/* Steps a statement that returns no rows, and resets it. */
gboolean
_cp_database_step_done (CpDatabase    *self,
                        sqlite3_stmt  *stmt,
                        GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _cp_database_set_error (self, error, rc, _("Could not write to the database"));
      return FALSE;
    }

  return TRUE;
}

int
_cp_database_read_pragma_int (CpDatabase *self,
                              const char *pragma)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA %s", pragma);
  sqlite3_stmt *stmt = NULL;
  int value = -1;

  if (sqlite3_prepare_v2 (self->handle, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

/* Called when the outermost transaction ends (cp-database-transaction.c). */
void
_cp_database_transaction_finished (CpDatabase *self,
                                   gboolean    committed)
{
  g_signal_emit (self, signals[TRANSACTION_FINISHED], 0, committed);
}

static void
cp_database_finalize (GObject *object)
{
  CpDatabase *self = CP_DATABASE (object);

  for (guint i = 0; i < CP_N_STATEMENTS; i++)
    g_clear_pointer (&self->statements[i], sqlite3_finalize);
  g_clear_pointer (&self->built, g_hash_table_unref);
  if (self->handle != NULL)
    {
      if (self->transaction_depth > 0)
        sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
      /* SQLite's advice: refresh planner statistics that this connection's
       * queries showed to be useful, bounded so closing stays quick. */
      if (!self->readonly)
        sqlite3_exec (self->handle, "PRAGMA analysis_limit = 400; PRAGMA optimize;",
                      NULL, NULL, NULL);
      sqlite3_close_v2 (self->handle);
    }
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->backup_path, g_free);

  G_OBJECT_CLASS (cp_database_parent_class)->finalize (object);
}

static void
cp_database_class_init (CpDatabaseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cp_database_finalize;

  /**
   * CpDatabase::transaction-finished:
   * @committed: %TRUE for a commit, %FALSE for a rollback
   *
   * Emitted when the outermost transaction ends.
   */
  signals[TRANSACTION_FINISHED] =
    g_signal_new ("transaction-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
cp_database_init (CpDatabase *self)
{
}


/**
 * cp_database_is_read_only:
 *
 * Returns: %TRUE when nothing can be changed through this connection: it
 *   was opened with cp_database_open_readonly(), or cp_database_open()
 *   found the file could not be written
 */
gboolean
cp_database_is_read_only (CpDatabase *self)
{
  g_return_val_if_fail (CP_IS_DATABASE (self), FALSE);

  return self->readonly;
}

const char *
cp_database_get_path (CpDatabase *self)
{
  g_return_val_if_fail (CP_IS_DATABASE (self), NULL);

  return self->path;
}

int
cp_database_get_schema_version (CpDatabase *self)
{
  g_return_val_if_fail (CP_IS_DATABASE (self), -1);

  return self->schema_version;
}

int
cp_database_get_latest_schema_version (void)
{
  return cp_schema_latest_version ();
}

/**
 * cp_database_get_backup_path:
 *
 * Returns: (nullable): the copy made before this open upgraded the file
 */
const char *
cp_database_get_backup_path (CpDatabase *self)
{
  g_return_val_if_fail (CP_IS_DATABASE (self), NULL);

  return self->backup_path;
}

/**
 * cp_database_get_setting:
 *
 * Returns: (transfer full) (nullable): a value stored with the database
 *   (settings that belong to the data, not to the user's desktop)
 */
char *
cp_database_get_setting (CpDatabase *self,
                         const char *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (CP_IS_DATABASE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = _cp_database_statement (self, CP_STMT_SETTING_GET, NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup (_cp_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return value;
}

gboolean
cp_database_set_setting (CpDatabase  *self,
                         const char  *key,
                         const char  *value,
                         GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  stmt = _cp_database_statement (self, CP_STMT_SETTING_SET, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  _cp_bind_text (stmt, 2, value);

  return _cp_database_step_done (self, stmt, error);
}

/**
 * cp_database_update_statistics:
 *
 * Samples every index so the query planner picks good plans for filtered
 * views. Bounded (a few hundred rows per index): cheap even on a million
 * leads. Run after bulk writes (imports, generated data).
 */
gboolean
cp_database_update_statistics (CpDatabase  *self,
                               GError     **error)
{
  g_return_val_if_fail (CP_IS_DATABASE (self), FALSE);

  return _cp_database_exec (self, "PRAGMA analysis_limit = 1000; ANALYZE;", error);
}

/**
 * cp_database_get_data_version:
 *
 * Returns: a number that changes whenever another connection (another
 *   process, or a worker thread) commits to the database file
 */
gint64
cp_database_get_data_version (CpDatabase *self)
{
  g_return_val_if_fail (CP_IS_DATABASE (self), -1);

  return _cp_database_read_pragma_int (self, "data_version");
}
