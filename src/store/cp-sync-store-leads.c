/* cp-sync-store-leads.c — the leads a sync pulls: created, edited, carried, restored, tombstoned
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-lead-store-private.h"
#include "cp-outbox.h"
#include "cp-sync-store-private.h"

/* Returns: (transfer full): the lead, tombstoned or not */
CpLead *
cp_sync_store_load_lead (CpSyncStore  *self,
                         const char   *lead_id,
                         gint64       *out_deleted_at,
                         GError      **error)
{
  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  return _cp_lead_store_load (self->leads, lead_id, out_deleted_at, error);
}

/**
 * cp_sync_store_insert_remote_lead:
 *
 * Inserts a lead first seen on the CRM, through the store's write path
 * (its stage checked, routed, scored): a record the playbook refuses is
 * an error, and nothing is written. Not journalled: it came from there.
 * Must run inside a transaction.
 */
gboolean
cp_sync_store_insert_remote_lead (CpSyncStore  *self,
                                  CpLead       *lead,
                                  GError      **error)
{
  CpWriteRequest request;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (cp_database_in_transaction (self->database), FALSE);

  request = _cp_write_request (CP_SYNC_ACTOR, CP_SYNC_ACTOR, _("Pulled from the CRM"), _cp_sync_store_now (self),
                               CP_WRITE_MOVE | CP_WRITE_FROM_CRM | CP_WRITE_BULK);
  return _cp_lead_store_write_new (self->leads, lead, NULL, NULL, &request, NULL, error);
}

/**
 * cp_sync_store_apply_remote_edit:
 * @before: the stored lead
 * @after: the lead with the CRM's changes applied (a copy of @before)
 *
 * Writes what the CRM changed through the store's write path, audited as
 * done by sync; a stage the CRM changed is a move the playbook checks.
 * What the playbook derives from it (a score, an owner) is journalled,
 * the CRM's own change is not. Must run inside a transaction.
 */
gboolean
cp_sync_store_apply_remote_edit (CpSyncStore  *self,
                                 CpLead       *before,
                                 CpLead       *after,
                                 GError      **error)
{
  CpWriteRequest request;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (cp_database_in_transaction (self->database), FALSE);

  request = _cp_write_request (CP_SYNC_ACTOR, CP_SYNC_ACTOR, _("Changed in the CRM"), _cp_sync_store_now (self),
                               CP_WRITE_MOVE | CP_WRITE_FROM_CRM | CP_WRITE_BULK);
  return _cp_lead_store_write_edit (self->leads, after, &request, NULL, NULL, error);
}

/**
 * cp_sync_store_merged_into:
 *
 * Returns: (transfer full): the live lead a removed lead was merged into,
 *   "" when it was not merged, or %NULL with @error set
 */
char *
cp_sync_store_merged_into (CpSyncStore  *self,
                           const char   *lead_id,
                           GError      **error)
{
  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  return _cp_lead_store_merged_into (self->leads, lead_id, error);
}

/**
 * cp_sync_store_carry_remote_edit:
 * @after: the lead another was merged into, with the CRM's changes to
 *   the merged lead applied
 * @merged_lead_id: the lead the CRM changed, merged away here
 *
 * The CRM changed a contact that was merged here: the change lands on the
 * surviving lead, audited as sync's, and is journalled, so the survivor's
 * own CRM record hears it too. Must run inside a transaction.
 */
gboolean
cp_sync_store_carry_remote_edit (CpSyncStore  *self,
                                 CpLead       *after,
                                 const char   *merged_lead_id,
                                 GError      **error)
{
  CpWriteRequest request;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (cp_database_in_transaction (self->database), FALSE);

  reason = g_strdup_printf (_("Changed in the CRM on lead %s, merged into this one"), merged_lead_id);
  request = _cp_write_request (CP_SYNC_ACTOR, CP_SYNC_ACTOR, reason, _cp_sync_store_now (self),
                               CP_WRITE_MOVE | CP_WRITE_BULK);
  return _cp_lead_store_write_edit (self->leads, after, &request, NULL, NULL, error);
}

/**
 * cp_sync_store_restore_remote:
 *
 * A lead removed here (not merged) that the CRM has edited since comes
 * back: the edit wins over the removal, audited. The pending removal in
 * the outbox then sends the lead instead of archiving it. Must run
 * inside a transaction.
 */
gboolean
cp_sync_store_restore_remote (CpSyncStore  *self,
                              const char   *lead_id,
                              GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 when = _cp_sync_store_now (self);

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (cp_database_in_transaction (self->database), FALSE);

  stmt = _cp_database_statement (self->database, CP_STMT_LEAD_UNMARK_MERGED, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, lead_id);
  sqlite3_bind_int64 (stmt, 2, when);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;
  return _cp_lead_store_write_audit (self->leads, lead_id, "restore", NULL, NULL, NULL,
                                     CP_SYNC_ACTOR, when,
                                     _("Edited in the CRM after it was removed here"), error) &&
         _cp_sync_outbox_enqueue (self->database, lead_id, "update", NULL, when, error);
}

/**
 * cp_sync_store_tombstone_remote:
 *
 * Turns a deletion on the CRM into a local tombstone: the row, history and
 * activities stay. Local changes not yet pushed are dropped from the outbox
 * (the record they would update is gone) but stay in the audit trail.
 */
gboolean
cp_sync_store_tombstone_remote (CpSyncStore  *self,
                                const char   *lead_id,
                                GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 when = _cp_sync_store_now (self);
  gboolean was_live;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (cp_database_in_transaction (self->database), FALSE);

  stmt = _cp_database_statement (self->database, CP_STMT_LEAD_TOMBSTONE, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, lead_id);
  sqlite3_bind_int64 (stmt, 2, when);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;
  was_live = sqlite3_changes (_cp_database_get_handle (self->database)) > 0;

  if (was_live &&
      !_cp_lead_store_write_audit (self->leads, lead_id, "tombstone", NULL, NULL, NULL,
                                   CP_SYNC_ACTOR, when, _("Deleted in the CRM"), error))
    return FALSE;

  stmt = _cp_sync_store_statement (self, STMT_LINK_MARK_DELETED, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 2, lead_id);
  sqlite3_bind_int64 (stmt, 3, when);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;

  stmt = _cp_sync_store_statement (self, STMT_OUTBOX_DROP, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, lead_id);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;

  if (was_live)
    _cp_lead_store_emit_changed (self->leads, lead_id, CP_LEAD_CHANGE_REMOVED);
  return TRUE;
}
