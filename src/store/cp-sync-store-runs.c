/* cp-sync-store-runs.c — sync runs and the status of the last ones
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-store"

#include "config.h"

#include "cp-database-private.h"
#include "cp-sync-store-private.h"

/* Returns: the new run's id, or 0 with @error set */
gint64
cp_sync_store_begin_run (CpSyncStore  *self,
                         GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), 0);

  stmt = _cp_sync_store_statement (self, STMT_RUN_INSERT, error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 2, _cp_sync_store_now (self));
  if (!_cp_database_step_done (self->database, stmt, error))
    return 0;

  return sqlite3_last_insert_rowid (_cp_database_get_handle (self->database));
}

/**
 * cp_sync_store_finish_run:
 * @failure: (nullable): why the run failed, %NULL if it succeeded
 */
gboolean
cp_sync_store_finish_run (CpSyncStore       *self,
                          gint64             run_id,
                          const CpSyncStats *stats,
                          const GError      *failure,
                          const char        *correlation_id,
                          GError           **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);

  stmt = _cp_sync_store_statement (self, STMT_RUN_FINISH, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int64 (stmt, 2, MAX (_cp_sync_store_now (self), 1));
  sqlite3_bind_int (stmt, 3, stats->pulled);
  sqlite3_bind_int (stmt, 4, stats->pushed);
  sqlite3_bind_int (stmt, 5, stats->deleted);
  sqlite3_bind_int (stmt, 6, stats->conflicts);
  sqlite3_bind_int (stmt, 7, stats->errors);
  sqlite3_bind_int (stmt, 8, failure == NULL);
  _cp_bind_text (stmt, 9, failure != NULL ? failure->message : NULL);
  _cp_bind_text (stmt, 10, correlation_id);

  return _cp_database_step_done (self->database, stmt, error);
}

CpSyncStatus *
cp_sync_store_get_status (CpSyncStore  *self,
                          GError      **error)
{
  g_autoptr(CpSyncStatus) status = g_new0 (CpSyncStatus, 1);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  status->cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  stmt = _cp_sync_store_statement (self, STMT_STATUS_COUNTS, error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      status->pending = sqlite3_column_int (stmt, 0);
      status->conflicts = sqlite3_column_int (stmt, 1);
      status->rejects = sqlite3_column_int (stmt, 2);
      status->push_failures = sqlite3_column_int (stmt, 3);
    }
  sqlite3_reset (stmt);

  stmt = _cp_sync_store_statement (self, STMT_STATUS_LAST_RUN, error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      status->last_run_at = sqlite3_column_int64 (stmt, 0);
      if (sqlite3_column_int (stmt, 1) == 0)
        {
          status->last_error = g_strdup (_cp_column_text (stmt, 2));
          status->last_correlation_id = g_strdup (_cp_column_text (stmt, 3));
        }
    }
  sqlite3_reset (stmt);

  stmt = _cp_sync_store_statement (self, STMT_STATUS_LAST_SUCCESS, error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    status->last_success_at = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  stmt = _cp_sync_store_statement (self, STMT_CURSORS, error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (status->cursors, g_strdup (_cp_column_text (stmt, 0)),
                         g_strdup (_cp_column_text (stmt, 1)));
  sqlite3_reset (stmt);

  return g_steal_pointer (&status);
}
