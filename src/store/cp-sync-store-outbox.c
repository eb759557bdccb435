/* cp-sync-store-outbox.c — what a sync pushes: the outbox of leads, confirmed or failed
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-sync-store-private.h"

/* Returns: how many leads were journalled */
guint
cp_sync_store_enqueue_unlinked (CpSyncStore  *self,
                                GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), 0);

  stmt = _cp_sync_store_statement (self, STMT_ENQUEUE_UNLINKED, error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 2, _cp_sync_store_now (self));
  if (!_cp_database_step_done (self->database, stmt, error))
    return 0;

  return sqlite3_changes (_cp_database_get_handle (self->database));
}

/* Returns: (transfer full) (element-type CpSyncPending): journalled leads, oldest change first */
GPtrArray *
cp_sync_store_list_pending (CpSyncStore  *self,
                            GError      **error)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_sync_pending_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  stmt = _cp_sync_store_statement (self, STMT_PENDING, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CpSyncPending *p = g_new0 (CpSyncPending, 1);

      p->lead_id = g_strdup (_cp_column_text (stmt, 0));
      p->last_outbox_id = sqlite3_column_int64 (stmt, 1);
      p->attempts = sqlite3_column_int (stmt, 2);
      g_ptr_array_add (pending, p);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the outbox"));
      return NULL;
    }

  return g_steal_pointer (&pending);
}

/**
 * cp_sync_store_confirm:
 *
 * The CRM confirmed the lead's changes up to @last_outbox_id: those
 * entries leave the outbox; edits made meanwhile stay.
 */
gboolean
cp_sync_store_confirm (CpSyncStore  *self,
                       const char   *lead_id,
                       gint64        last_outbox_id,
                       GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);

  stmt = _cp_sync_store_statement (self, STMT_CONFIRM, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, lead_id);
  sqlite3_bind_int64 (stmt, 2, last_outbox_id);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;

  stmt = _cp_sync_store_statement (self, STMT_MARK_SYNCED, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, lead_id);
  return _cp_database_step_done (self->database, stmt, error);
}

gboolean
cp_sync_store_record_failure (CpSyncStore  *self,
                              const char   *lead_id,
                              gint64        last_outbox_id,
                              const char   *message,
                              GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);

  stmt = _cp_sync_store_statement (self, STMT_FAIL, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, lead_id);
  sqlite3_bind_int64 (stmt, 2, last_outbox_id);
  _cp_bind_text (stmt, 3, message);

  return _cp_database_step_done (self->database, stmt, error);
}
