/* cp-sync-rejects.c — CRM records Carepath could not apply, kept and retried until applied or dismissed
 *
 * A pulled record the local rules refuse is never counted and forgotten:
 * it is kept with its payload as the CRM sent it, the backend, the remote
 * id, the reason in words and the number of attempts. Every sync tries it
 * again (a rule may have changed, the CRM record may have been fixed), and
 * the Sync view and `carepath-cli sync rejects` show it until it applies or
 * someone dismisses it. Push failures are listed here too: the lead, the
 * attempts and the CRM's own message.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-sync-store.h"

void
cp_sync_reject_free (CpSyncReject *reject)
{
  if (reject == NULL)
    return;
  g_free (reject->backend);
  g_free (reject->entity);
  g_free (reject->remote_id);
  g_free (reject->remote_updated_at);
  g_free (reject->payload);
  g_free (reject->reason);
  g_free (reject);
}

void
cp_sync_failure_free (CpSyncFailure *failure)
{
  if (failure == NULL)
    return;
  g_free (failure->lead_id);
  g_free (failure->display_name);
  g_free (failure->message);
  g_free (failure);
}

static sqlite3_stmt *
prepare (CpSyncStore  *self,
         const char   *sql,
         GError      **error)
{
  return _cp_database_built_statement (cp_sync_store_get_database (self), sql, error);
}

static gboolean
step_done (CpSyncStore   *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  return _cp_database_step_done (cp_sync_store_get_database (self), stmt, error);
}

/**
 * cp_sync_store_quarantine:
 * @payload: the record's properties, as the CRM sent them (JSON)
 * @reason: why it could not be applied, in words
 *
 * Keeps a contact that could not be applied, or counts one more attempt
 * of one kept already (cp_sync_store_keep_record() with entity "contact").
 */
gboolean
cp_sync_store_quarantine (CpSyncStore  *self,
                          const char   *remote_id,
                          const char   *remote_updated_at,
                          const char   *payload,
                          const char   *reason,
                          gint64        now,
                          GError      **error)
{
  return cp_sync_store_keep_record (self, CP_SYNC_ENTITY_CONTACT, remote_id, remote_updated_at,
                                    payload, reason, now, error);
}

/**
 * cp_sync_store_keep_record:
 * @entity: what the record is: CP_SYNC_ENTITY_CONTACT, or an engagement
 *   type as the CRM names it ("calls", "Meeting", …)
 * @payload: the record's properties, as the CRM sent them (JSON)
 * @reason: why it could not be applied, in words
 *
 * Keeps a record that could not be applied, or counts one more attempt
 * of one kept already. A record dismissed earlier comes back when the CRM
 * sends a newer version of it. Must run inside a transaction.
 */
gboolean
cp_sync_store_keep_record (CpSyncStore  *self,
                           const char   *entity,
                           const char   *remote_id,
                           const char   *remote_updated_at,
                           const char   *payload,
                           const char   *reason,
                           gint64        now,
                           GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (entity != NULL && remote_id != NULL, FALSE);
  g_return_val_if_fail (payload != NULL && reason != NULL, FALSE);

  stmt = prepare (self,
                  "INSERT INTO sync_rejects (backend, remote_id, remote_updated_at, payload, reason,"
                  " first_seen_at, last_tried_at, entity) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)"
                  " ON CONFLICT (backend, entity, remote_id) DO UPDATE SET"
                  " attempts = attempts + 1, payload = excluded.payload, reason = excluded.reason,"
                  " last_tried_at = excluded.last_tried_at, resolved_at = 0,"
                  " dismissed_at = CASE WHEN remote_updated_at IS excluded.remote_updated_at"
                  "   THEN dismissed_at ELSE 0 END,"
                  " remote_updated_at = excluded.remote_updated_at",
                  error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, cp_sync_store_get_backend (self));
  _cp_bind_text (stmt, 2, remote_id);
  _cp_bind_text (stmt, 3, remote_updated_at);
  _cp_bind_text (stmt, 4, payload);
  _cp_bind_text (stmt, 5, reason);
  sqlite3_bind_int64 (stmt, 6, now);
  _cp_bind_text (stmt, 7, entity);
  return step_done (self, stmt, error);
}

/**
 * cp_sync_store_resolve_reject:
 *
 * The record was applied after all: it leaves the list (kept as resolved).
 * Nothing happens for a record that was never kept.
 */
gboolean
cp_sync_store_resolve_reject (CpSyncStore  *self,
                              const char   *remote_id,
                              gint64        now,
                              GError      **error)
{
  return cp_sync_store_resolve_record (self, CP_SYNC_ENTITY_CONTACT, remote_id, now, error);
}

/**
 * cp_sync_store_resolve_record:
 * @entity: as given to cp_sync_store_keep_record()
 *
 * The record of @entity was applied after all: it leaves the list (kept
 * as resolved). Nothing happens for a record that was never kept.
 */
gboolean
cp_sync_store_resolve_record (CpSyncStore  *self,
                              const char   *entity,
                              const char   *remote_id,
                              gint64        now,
                              GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (entity != NULL, FALSE);

  stmt = prepare (self,
                  "UPDATE sync_rejects SET resolved_at = ?3 WHERE backend = ?1 AND remote_id = ?2"
                  " AND entity = ?4 AND resolved_at = 0",
                  error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, cp_sync_store_get_backend (self));
  _cp_bind_text (stmt, 2, remote_id);
  sqlite3_bind_int64 (stmt, 3, now);
  _cp_bind_text (stmt, 4, entity);
  return step_done (self, stmt, error);
}

/**
 * cp_sync_store_dismiss_reject:
 * @id: a kept record's id (#CpSyncReject)
 *
 * Someone looked at it and does not want it applied: it leaves the list
 * and is not retried, until the CRM sends a newer version of it.
 */
gboolean
cp_sync_store_dismiss_reject (CpSyncStore  *self,
                              gint64        id,
                              gint64        now,
                              GError      **error)
{
  CpDatabase *database;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);

  database = cp_sync_store_get_database (self);
  stmt = prepare (self,
                  "UPDATE sync_rejects SET dismissed_at = ?2 WHERE id = ?1 AND resolved_at = 0"
                  " AND dismissed_at = 0",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (_cp_database_get_handle (database)) == 0)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND,
                   _("There is no record %" G_GINT64_FORMAT " waiting to be applied."), id);
      return FALSE;
    }
  return TRUE;
}

/**
 * cp_sync_store_list_rejects:
 * @all_backends: %FALSE for this store's backend only
 *
 * Returns: (transfer full) (element-type CpSyncReject): the records
 *   waiting to be applied (neither applied since nor dismissed), oldest
 *   first, or %NULL with @error set
 */
GPtrArray *
cp_sync_store_list_rejects (CpSyncStore  *self,
                            gboolean      all_backends,
                            GError      **error)
{
  g_autoptr(GPtrArray) rejects = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_sync_reject_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  stmt = prepare (self,
                  "SELECT id, backend, remote_id, remote_updated_at, payload, reason, attempts,"
                  " first_seen_at, last_tried_at, entity FROM sync_rejects"
                  " WHERE resolved_at = 0 AND dismissed_at = 0 AND (?1 OR backend = ?2) ORDER BY id",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, all_backends);
  _cp_bind_text (stmt, 2, cp_sync_store_get_backend (self));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CpSyncReject *reject = g_new0 (CpSyncReject, 1);

      reject->id = sqlite3_column_int64 (stmt, 0);
      reject->backend = g_strdup (_cp_column_text (stmt, 1));
      reject->remote_id = g_strdup (_cp_column_text (stmt, 2));
      reject->remote_updated_at = g_strdup (_cp_column_text (stmt, 3));
      reject->payload = g_strdup (_cp_column_text (stmt, 4));
      reject->reason = g_strdup (_cp_column_text (stmt, 5));
      reject->attempts = sqlite3_column_int (stmt, 6);
      reject->first_seen_at = sqlite3_column_int64 (stmt, 7);
      reject->last_tried_at = sqlite3_column_int64 (stmt, 8);
      reject->entity = g_strdup (_cp_column_text (stmt, 9));
      g_ptr_array_add (rejects, reject);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (cp_sync_store_get_database (self), error, rc,
                              _("Could not read the records waiting to be applied"));
      return NULL;
    }
  return g_steal_pointer (&rejects);
}

/**
 * cp_sync_store_list_push_failures:
 *
 * Returns: (transfer full) (element-type CpSyncFailure): the leads whose
 *   changes the CRM refused at the last attempt, with its message, or
 *   %NULL with @error set
 */
GPtrArray *
cp_sync_store_list_push_failures (CpSyncStore  *self,
                                  GError      **error)
{
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_sync_failure_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  stmt = prepare (self,
                  "SELECT o.entity_id, max(o.attempts),"
                  " (SELECT last_error FROM outbox p WHERE p.entity_id = o.entity_id"
                  "   AND p.last_error IS NOT NULL ORDER BY p.id DESC LIMIT 1),"
                  " trim (coalesce (l.first_name, '') || ' ' || coalesce (l.last_name, '')),"
                  " l.organization, l.email"
                  " FROM outbox o LEFT JOIN leads l ON l.id = o.entity_id"
                  " WHERE o.entity = 'lead' AND o.last_error IS NOT NULL"
                  " GROUP BY o.entity_id ORDER BY min (o.id)",
                  error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CpSyncFailure *failure = g_new0 (CpSyncFailure, 1);
      const char *name = _cp_column_text (stmt, 3);

      failure->lead_id = g_strdup (_cp_column_text (stmt, 0));
      failure->attempts = sqlite3_column_int (stmt, 1);
      failure->message = g_strdup (_cp_column_text (stmt, 2));
      if (name == NULL || *name == '\0')
        name = _cp_column_text (stmt, 4);
      if (name == NULL || *name == '\0')
        name = _cp_column_text (stmt, 5);
      failure->display_name = g_strdup (name != NULL ? name : failure->lead_id);
      g_ptr_array_add (failures, failure);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (cp_sync_store_get_database (self), error, rc,
                              _("Could not read the outbox"));
      return NULL;
    }
  return g_steal_pointer (&failures);
}
