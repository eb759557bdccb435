/* cp-sync-store-conflicts.c — fields changed on both sides since the last sync, kept until resolved
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-lead-store-private.h"
#include "cp-outbox.h"
#include "cp-sync-store-private.h"

/**
 * cp_sync_store_add_conflict:
 * @out_new: (out) (optional): %FALSE when the field already had an open conflict
 *
 * Records a field changed on both sides; an open conflict on the same
 * field is updated with the newer values instead of being repeated.
 */
gboolean
cp_sync_store_add_conflict (CpSyncStore  *self,
                            const char   *lead_id,
                            const char   *field,
                            const char   *base_value,
                            const char   *local_value,
                            const char   *remote_value,
                            const char   *remote_updated_at,
                            gboolean     *out_new,
                            GError      **error)
{
  g_autoptr(GHashTable) open = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);

  open = cp_sync_store_open_conflict_fields (self, lead_id, error);
  if (open == NULL)
    return FALSE;
  if (out_new != NULL)
    *out_new = !g_hash_table_contains (open, field);

  stmt = _cp_sync_store_statement (self, STMT_CONFLICT_INSERT, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 2, lead_id);
  _cp_bind_text (stmt, 3, field);
  _cp_bind_text (stmt, 4, base_value);
  _cp_bind_text (stmt, 5, local_value);
  _cp_bind_text (stmt, 6, remote_value);
  _cp_bind_text (stmt, 7, remote_updated_at);
  sqlite3_bind_int64 (stmt, 8, _cp_sync_store_now (self));

  return _cp_database_step_done (self->database, stmt, error) &&
         _cp_lead_store_write_audit (self->leads, lead_id, "sync-conflict", field, local_value,
                                     remote_value, CP_SYNC_ACTOR, _cp_sync_store_now (self),
                                     _("Changed here and in the CRM"), error);
}

/* Returns: (transfer full): the set of canonical field names with an open conflict */
GHashTable *
cp_sync_store_open_conflict_fields (CpSyncStore  *self,
                                    const char   *lead_id,
                                    GError      **error)
{
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  stmt = _cp_sync_store_statement (self, STMT_CONFLICT_OPEN_FIELDS, error);
  if (stmt == NULL)
    return NULL;
  _cp_bind_text (stmt, 2, lead_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (fields, g_strdup (_cp_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the sync conflicts"));
      return NULL;
    }

  return g_steal_pointer (&fields);
}

/* Returns: (transfer full) (element-type CpSyncConflict): open conflicts, oldest first */
GPtrArray *
cp_sync_store_list_conflicts (CpSyncStore  *self,
                              GError      **error)
{
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_sync_conflict_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  stmt = _cp_sync_store_statement (self, STMT_CONFLICT_LIST, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CpSyncConflict *conflict = g_new0 (CpSyncConflict, 1);
      const char *first = _cp_column_text (stmt, 7);
      const char *last = _cp_column_text (stmt, 8);
      const char *email = _cp_column_text (stmt, 9);

      conflict->id = sqlite3_column_int64 (stmt, 0);
      conflict->lead_id = g_strdup (_cp_column_text (stmt, 1));
      conflict->field = g_strdup (_cp_column_text (stmt, 2));
      conflict->base_value = g_strdup (_cp_column_text (stmt, 3));
      conflict->local_value = g_strdup (_cp_column_text (stmt, 4));
      conflict->remote_value = g_strdup (_cp_column_text (stmt, 5));
      conflict->created_at = sqlite3_column_int64 (stmt, 6);
      if (first != NULL || last != NULL)
        conflict->display_name = g_strstrip (g_strdup_printf ("%s %s", first ? first : "",
                                                             last ? last : ""));
      else
        conflict->display_name = g_strdup (email != NULL ? email : conflict->lead_id);
      g_ptr_array_add (conflicts, conflict);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the sync conflicts"));
      return NULL;
    }

  return g_steal_pointer (&conflicts);
}

static gboolean
resolve_in_transaction (CpSyncStore       *self,
                        gint64             conflict_id,
                        CpSyncResolution   resolution,
                        const char        *edited_value,
                        const char        *actor,
                        GError           **error)
{
  static const char * const resolution_names[] = { "mine", "theirs", "edited" };
  g_autofree char *lead_id = NULL;
  g_autofree char *field_name = NULL;
  g_autofree char *remote_value = NULL;
  g_autoptr(CpLead) before = NULL;
  g_autoptr(CpLead) after = NULL;
  sqlite3_stmt *stmt;
  CpLeadField field;
  gint64 when = _cp_sync_store_now (self);
  int rc;

  stmt = _cp_sync_store_statement (self, STMT_CONFLICT_GET, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, conflict_id);
  _cp_bind_text (stmt, 2, self->backend);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      lead_id = g_strdup (_cp_column_text (stmt, 0));
      field_name = g_strdup (_cp_column_text (stmt, 1));
      remote_value = g_strdup (_cp_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND,
                   _("There is no open sync conflict %" G_GINT64_FORMAT "."), conflict_id);
      return FALSE;
    }
  if (!cp_lead_field_from_name (field_name, &field))
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("The sync conflict names an unknown field “%s”."), field_name);
      return FALSE;
    }

  stmt = _cp_sync_store_statement (self, STMT_CONFLICT_RESOLVE, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, conflict_id);
  sqlite3_bind_int64 (stmt, 2, when);
  _cp_bind_text (stmt, 3, resolution_names[resolution]);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;

  if (resolution == CP_SYNC_KEEP_EDITED)
    {
      /* A local edit like any other: validated, audited and journalled,
       * so the next push sends it and both sides agree. */
      CpWriteRequest request = { 0, };

      after = cp_lead_store_get (self->leads, lead_id, error);
      if (after == NULL || !cp_lead_set_field_from_string (after, field, edited_value, error))
        return FALSE;
      request.action = "update";
      request.actor = actor;
      request.reason = _("Edited while resolving a sync conflict");
      request.now = when;
      /* A stage typed in is a move, which the playbook checks. */
      request.flags = field == CP_LEAD_FIELD_STAGE ? CP_WRITE_MOVE : 0;
      return _cp_lead_store_write_edit (self->leads, after, &request, NULL, NULL, error);
    }

  if (resolution == CP_SYNC_KEEP_MINE)
    /* The base already holds the CRM's value: journalling the lead makes
     * the next push send the local one. */
    return _cp_lead_store_write_audit (self->leads, lead_id, "sync-resolve", field_name, NULL,
                                       "mine", NULL, when, _("Kept the value from Carepath"),
                                       error) &&
           _cp_sync_outbox_enqueue (self->database, lead_id, "update", field_name, when, error);

  before = cp_lead_store_get (self->leads, lead_id, error);
  if (before == NULL)
    return FALSE;
  after = cp_lead_copy (before);
  if (!cp_lead_set_field_from_string (after, field, remote_value, error))
    return FALSE;

  /* Journalled too: when the conflict was on a lead another was merged
   * into, the lead's own CRM record still holds the other value. */
  return _cp_lead_store_write_audit (self->leads, lead_id, "sync-resolve", field_name, NULL,
                                     "theirs", NULL, when, _("Kept the value from the CRM"),
                                     error) &&
         cp_sync_store_apply_remote_edit (self, before, after, error) &&
         _cp_sync_outbox_enqueue (self->database, lead_id, "update", field_name, when, error);
}

/* Both resolutions: one transaction, nothing changes if any step fails. */
static gboolean
resolve (CpSyncStore       *self,
         gint64             conflict_id,
         CpSyncResolution   resolution,
         const char        *edited_value,
         const char        *actor,
         GError           **error)
{
  if (!cp_database_begin (self->database, error))
    return FALSE;
  if (!resolve_in_transaction (self, conflict_id, resolution, edited_value, actor, error))
    {
      cp_database_rollback (self->database);
      return FALSE;
    }
  return cp_database_commit (self->database, error);
}

/**
 * cp_sync_store_resolve_conflict:
 *
 * Keep mine: the local value is pushed at the next sync. Keep theirs: the
 * CRM's value is written locally. Either way, audited.
 */
gboolean
cp_sync_store_resolve_conflict (CpSyncStore       *self,
                                gint64             conflict_id,
                                CpSyncResolution   resolution,
                                GError           **error)
{
  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (resolution != CP_SYNC_KEEP_EDITED, FALSE);

  return resolve (self, conflict_id, resolution, NULL, NULL, error);
}

/**
 * cp_sync_store_resolve_conflict_with_value:
 * @value: what the field should hold, as the user typed it (validated and
 *   normalised like any edit: an invalid value leaves the conflict open)
 * @actor: (nullable): who chose, for the audit trail
 *
 * Resolves a conflict with a third value; it is sent to the CRM at the
 * next sync.
 */
gboolean
cp_sync_store_resolve_conflict_with_value (CpSyncStore  *self,
                                           gint64        conflict_id,
                                           const char   *value,
                                           const char   *actor,
                                           GError      **error)
{
  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  return resolve (self, conflict_id, CP_SYNC_KEEP_EDITED, value, actor, error);
}
