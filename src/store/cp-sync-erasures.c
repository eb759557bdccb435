/* cp-sync-erasures.c — CRM contacts to delete for good after a person's erasure
 *
 * Erasing a person here (cp-person-erase.c) queues one outbox entry, op
 * 'erase', per linked CRM contact: {"backend": …, "remote_id": …}. The
 * sync engine sends each through the CRM's own privacy deletion before it
 * pushes anything else; the normal push never sees these entries. A sent
 * one leaves the outbox with its link; a failed one stays with one more
 * attempt and a message that quotes nothing of the person.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-sync-store.h"

void
cp_sync_erasure_free (CpSyncErasure *erasure)
{
  if (erasure == NULL)
    return;
  g_free (erasure->lead_id);
  g_free (erasure->remote_id);
  g_free (erasure);
}

/**
 * cp_sync_store_list_erasures:
 *
 * Returns: (transfer full) (element-type CpSyncErasure): this backend's
 *   queued deletions, oldest first, or %NULL with @error set
 */
GPtrArray *
cp_sync_store_list_erasures (CpSyncStore  *self,
                             GError      **error)
{
  CpDatabase *database;
  g_autoptr(GPtrArray) erasures = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_sync_erasure_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  database = cp_sync_store_get_database (self);
  stmt = _cp_database_built_statement (database,
                                       "SELECT id, entity_id, json_extract (fields, '$.remote_id'),"
                                       " attempts FROM outbox WHERE entity = 'lead' AND op = 'erase'"
                                       " AND json_valid (fields)"
                                       " AND json_extract (fields, '$.backend') = ?1"
                                       " AND json_extract (fields, '$.remote_id') IS NOT NULL"
                                       " ORDER BY id",
                                       error);
  if (stmt == NULL)
    return NULL;
  _cp_bind_text (stmt, 1, cp_sync_store_get_backend (self));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CpSyncErasure *erasure = g_new0 (CpSyncErasure, 1);

      erasure->outbox_id = sqlite3_column_int64 (stmt, 0);
      erasure->lead_id = g_strdup (_cp_column_text (stmt, 1));
      erasure->remote_id = g_strdup (_cp_column_text (stmt, 2));
      erasure->attempts = sqlite3_column_int (stmt, 3);
      g_ptr_array_add (erasures, erasure);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (database, error, rc, _("Could not read the queued CRM deletions"));
      return NULL;
    }
  return g_steal_pointer (&erasures);
}

/**
 * cp_sync_store_finish_erasure:
 * @erasure: one of cp_sync_store_list_erasures()
 * @failure: (nullable): why the CRM did not delete it, or %NULL when it did
 *
 * A deleted contact leaves the outbox and its link goes; a failed one
 * stays queued with one more attempt. The message kept is the kind of
 * failure, never the CRM's text (it may quote the person). Must run inside
 * a transaction.
 */
gboolean
cp_sync_store_finish_erasure (CpSyncStore         *self,
                              const CpSyncErasure *erasure,
                              const GError        *failure,
                              GError             **error)
{
  CpDatabase *database;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (erasure != NULL, FALSE);

  database = cp_sync_store_get_database (self);
  g_return_val_if_fail (cp_database_in_transaction (database), FALSE);

  if (failure != NULL)
    {
      stmt = _cp_database_built_statement (database,
                                           "UPDATE outbox SET attempts = attempts + 1,"
                                           " last_error = ?2 WHERE id = ?1",
                                           error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, erasure->outbox_id);
      _cp_bind_text (stmt, 2, _("The CRM did not delete the contact; it is tried again at the next sync."));
      return _cp_database_step_done (database, stmt, error);
    }

  stmt = _cp_database_built_statement (database, "DELETE FROM outbox WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, erasure->outbox_id);
  if (!_cp_database_step_done (database, stmt, error))
    return FALSE;

  stmt = _cp_database_built_statement (database,
                                       "DELETE FROM sync_links WHERE backend = ?1 AND lead_id = ?2"
                                       " AND remote_id = ?3",
                                       error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, cp_sync_store_get_backend (self));
  _cp_bind_text (stmt, 2, erasure->lead_id);
  _cp_bind_text (stmt, 3, erasure->remote_id);
  return _cp_database_step_done (database, stmt, error);
}
