/* cp-lead-store-merge.c — merging leads, undoing merges, finding duplicates
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cp-database-private.h"
#include "cp-lead-columns.h"
#include "cp-lead-store-private.h"
#include "cp-outbox.h"

static gboolean
field_is_empty (CpLead      *lead,
                CpLeadField  field)
{
  const CpFieldInfo *info = cp_lead_field_info (field);

  if (info->type == CP_FIELD_TYPE_TEXT || info->type == CP_FIELD_TYPE_CHOICE)
    {
      const char *text = cp_lead_get_text (lead, field);
      return text == NULL || *text == '\0';
    }

  return cp_lead_get_int (lead, field) == 0;
}

/* What a person's record holds; the stage stays the kept lead's, and what
 * the playbook computes is computed again for the merged lead. */
static gboolean
field_is_mergeable (CpLeadField field)
{
  return field != CP_LEAD_FIELD_ID && field != CP_LEAD_FIELD_CREATED_AT &&
         field != CP_LEAD_FIELD_STAGE && !cp_lead_field_is_computed (field);
}

static gboolean
write_snapshot (CpLeadStore  *self,
                const char   *merge_id,
                CpLead       *lead,
                CpLeadField   field,
                GError      **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (self->database, CP_STMT_MERGE_SNAPSHOT_INSERT, error);
  g_autofree char *value = NULL;

  if (stmt == NULL)
    return FALSE;

  value = cp_lead_dup_field_string (lead, field);
  _cp_bind_text (stmt, 1, merge_id);
  _cp_bind_text (stmt, 2, cp_lead_get_id (lead));
  _cp_bind_text (stmt, 3, cp_lead_field_info (field)->name);
  _cp_bind_text (stmt, 4, value);

  return _cp_database_step_done (self->database, stmt, error);
}

/* The merged-away lead's open tasks follow the person to the kept lead,
 * each audited, and are remembered with the merge (merge_moves) so that
 * undoing it gives them back; done and cancelled tasks stay where they
 * were done. */
static gboolean
move_open_tasks (CpLeadStore  *self,
                 const char   *merge_id,
                 const char   *from_id,
                 const char   *to_id,
                 const char   *actor,
                 gint64        now,
                 const char   *reason,
                 GError      **error)
{
  static const char * const steps[] = {
    "INSERT INTO merge_moves (merge_id, activity_id, from_lead_id)"
    " SELECT ?1, id, lead_id FROM tasks WHERE lead_id = ?2 AND status = 'open'",
    "INSERT INTO audit_log (entity, entity_id, action, field, old_value, new_value, actor, time, reason)"
    " SELECT 'task', id, 'merge', 'lead_id', lead_id, ?3, ?4, ?5, ?6 FROM tasks"
    " WHERE lead_id = ?2 AND status = 'open'",
    "UPDATE tasks SET lead_id = ?3, updated_at = ?5 WHERE lead_id = ?2 AND status = 'open'",
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      sqlite3_stmt *stmt = _cp_database_built_statement (self->database, steps[i], error);

      if (stmt == NULL)
        return FALSE;
      _cp_bind_text (stmt, 1, merge_id);
      _cp_bind_text (stmt, 2, from_id);
      if (sqlite3_bind_parameter_count (stmt) >= 3)
        _cp_bind_text (stmt, 3, to_id);
      if (sqlite3_bind_parameter_count (stmt) >= 4)
        _cp_bind_text (stmt, 4, actor);
      if (sqlite3_bind_parameter_count (stmt) >= 5)
        sqlite3_bind_int64 (stmt, 5, now);
      if (sqlite3_bind_parameter_count (stmt) >= 6)
        _cp_bind_text (stmt, 6, reason);
      if (!_cp_database_step_done (self->database, stmt, error))
        return FALSE;
    }
  _cp_lead_store_emit_changed (self, NULL, _CP_LEAD_CHANGE_TASKS);
  return TRUE;
}

/* Undoing a merge: the tasks it moved go back to the lead they came from
 * (those still open; done ones stay with the record of who did them). */
static gboolean
return_moved_tasks (CpLeadStore  *self,
                    const char   *merge_id,
                    const char   *actor,
                    gint64        now,
                    const char   *reason,
                    GError      **error)
{
  static const char * const steps[] = {
    "INSERT INTO audit_log (entity, entity_id, action, field, old_value, new_value, actor, time, reason)"
    " SELECT 'task', t.id, 'unmerge', 'lead_id', t.lead_id, m.from_lead_id, ?2, ?3, ?4"
    " FROM tasks t JOIN merge_moves m ON m.activity_id = t.id"
    " WHERE m.merge_id = ?1 AND t.status = 'open'",
    "UPDATE tasks SET lead_id = (SELECT from_lead_id FROM merge_moves m"
    "                            WHERE m.merge_id = ?1 AND m.activity_id = tasks.id),"
    " updated_at = ?3"
    " WHERE status = 'open' AND id IN (SELECT activity_id FROM merge_moves WHERE merge_id = ?1)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      sqlite3_stmt *stmt = _cp_database_built_statement (self->database, steps[i], error);

      if (stmt == NULL)
        return FALSE;
      _cp_bind_text (stmt, 1, merge_id);
      if (sqlite3_bind_parameter_count (stmt) >= 2)
        _cp_bind_text (stmt, 2, actor);
      sqlite3_bind_int64 (stmt, 3, now);
      if (sqlite3_bind_parameter_count (stmt) >= 4)
        _cp_bind_text (stmt, 4, reason);
      if (!_cp_database_step_done (self->database, stmt, error))
        return FALSE;
    }
  _cp_lead_store_emit_changed (self, NULL, _CP_LEAD_CHANGE_TASKS);
  return TRUE;
}

/* @keep with what @other adds: the fields @keep lacks, the fields named
 * in @take_from_other, and the custom fields @keep lacks. */
static CpLead *
merged_lead (CpLead             *keep,
             CpLead             *other,
             const CpLeadField  *take_from_other,
             guint               n_take_from_other,
             GError            **error)
{
  g_autoptr(CpLead) merged = cp_lead_copy (keep);
  GHashTable *other_custom;

  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    {
      gboolean take = FALSE;

      if (!field_is_mergeable (i) || field_is_empty (other, i))
        continue;
      for (guint j = 0; j < n_take_from_other; j++)
        if (take_from_other[j] == i)
          take = TRUE;
      if (!take && !field_is_empty (keep, i))
        continue;
      if (cp_lead_equal_field (keep, other, i))
        continue;

      {
        g_autofree char *value = cp_lead_dup_field_string (other, i);
        if (!cp_lead_set_field_from_string (merged, i, value, error))
          return NULL;
      }
    }
  other_custom = cp_lead_get_custom_fields (other);
  if (other_custom != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, other_custom);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (cp_lead_get_custom (merged, key) == NULL)
          cp_lead_set_custom (merged, key, value);
    }
  return g_steal_pointer (&merged);
}

/* The merge row, and what undo needs: the kept lead's values before
 * they were replaced, and the custom fields the merge added. */
static gboolean
record_merge (CpLeadStore  *self,
              const char   *merge_id,
              const char   *keep_id,
              const char   *other_id,
              CpLead       *keep,
              CpLead       *merged,
              CpLead       *other,
              const char   *actor,
              gint64        now,
              GError      **error)
{
  GHashTable *other_custom = cp_lead_get_custom_fields (other);
  sqlite3_stmt *stmt;

  stmt = _cp_database_statement (self->database, CP_STMT_MERGE_INSERT, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, merge_id);
  _cp_bind_text (stmt, 2, keep_id);
  _cp_bind_text (stmt, 3, other_id);
  _cp_bind_text (stmt, 4, actor);
  sqlite3_bind_int64 (stmt, 5, now);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;

  /* What undo needs: the kept lead's values before they were replaced. */
  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    if (field_is_mergeable (i) && !cp_lead_equal_field (keep, merged, i) &&
        !write_snapshot (self, merge_id, keep, i, error))
      return FALSE;
  if (other_custom != NULL)
    {
      GHashTableIter iter;
      gpointer key;

      /* Custom fields the merge added: undo removes them (NULL value). */
      g_hash_table_iter_init (&iter, other_custom);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (cp_lead_get_custom (keep, key) == NULL)
          {
            g_autofree char *field = g_strconcat ("custom.", (const char *) key, NULL);
            sqlite3_stmt *snap = _cp_database_statement (self->database,
                                                         CP_STMT_MERGE_SNAPSHOT_INSERT, error);
            if (snap == NULL)
              return FALSE;
            _cp_bind_text (snap, 1, merge_id);
            _cp_bind_text (snap, 2, keep_id);
            _cp_bind_text (snap, 3, field);
            _cp_bind_text (snap, 4, NULL);
            if (!_cp_database_step_done (self->database, snap, error))
              return FALSE;
          }
    }
  return TRUE;
}

/* The other lead's record, activities and open tasks go to the kept
 * lead; the other lead is marked merged, and deleted in the CRM. */
static gboolean
move_to_kept (CpLeadStore  *self,
              const char   *merge_id,
              const char   *keep_id,
              const char   *other_id,
              const char   *actor,
              gint64        now,
              const char   *reason,
              GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = _cp_database_statement (self->database, CP_STMT_MERGE_MOVES_RECORD, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, merge_id);
  _cp_bind_text (stmt, 2, other_id);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;

  stmt = _cp_database_statement (self->database, CP_STMT_ACTIVITIES_MOVE_FOR_MERGE, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, keep_id);
  _cp_bind_text (stmt, 2, other_id);
  _cp_bind_text (stmt, 3, merge_id);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;
  if (!move_open_tasks (self, merge_id, other_id, keep_id, actor, now, reason, error))
    return FALSE;

  stmt = _cp_database_statement (self->database, CP_STMT_LEAD_MARK_MERGED, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, other_id);
  _cp_bind_text (stmt, 2, keep_id);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;
  if (!_cp_sync_outbox_enqueue (self->database, other_id, "delete", NULL, now, error))
    return FALSE;

  return TRUE;
}

/**
 * cp_lead_store_merge:
 * @keep_id: the lead that stays
 * @other_id: the lead merged into it (tombstoned, marked merged)
 * @take_from_other: (array length=n_take_from_other) (nullable): fields whose
 *   value is taken from @other_id even when @keep_id has one; every other
 *   field of @keep_id that is empty is filled from @other_id
 *
 * Merges two leads. Both histories stay; @other_id's activities move to
 * @keep_id; everything needed to undo the merge is recorded.
 *
 * Returns: (transfer full): the merge id, for cp_lead_store_undo_merge()
 */
char *
cp_lead_store_merge (CpLeadStore        *self,
                     const char         *keep_id,
                     const char         *other_id,
                     const CpLeadField  *take_from_other,
                     guint               n_take_from_other,
                     const char         *actor,
                     GError            **error)
{
  g_autoptr(CpLead) keep = NULL;
  g_autoptr(CpLead) other = NULL;
  g_autoptr(CpLead) merged = NULL;
  g_autofree char *merge_id = NULL;
  g_autofree char *reason = NULL;
  CpWriteRequest request;
  gint64 now;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);
  g_return_val_if_fail (keep_id != NULL && other_id != NULL, NULL);

  if (g_strcmp0 (keep_id, other_id) == 0)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("A lead cannot be merged into itself."));
      return NULL;
    }

  now = self->now_func ();
  merge_id = cp_lead_new_id ();
  if (!cp_database_begin (self->database, error))
    return NULL;

  keep = cp_lead_store_get (self, keep_id, error);
  if (keep == NULL)
    goto fail;
  other = cp_lead_store_get (self, other_id, error);
  if (other == NULL)
    goto fail;

  merged = merged_lead (keep, other, take_from_other, n_take_from_other, error);
  if (merged == NULL)
    goto fail;
  if (!record_merge (self, merge_id, keep_id, other_id, keep, merged, other, actor, now, error))
    goto fail;

  reason = g_strdup_printf (_("Merged with lead %s"), other_id);
  if (!move_to_kept (self, merge_id, keep_id, other_id, actor, now, reason, error))
    goto fail;

  /* With the activities moved over: the merged lead is scored on them. */
  request = _cp_write_request ("merge", actor, reason, now, CP_WRITE_BULK);
  if (!_cp_lead_store_write_edit (self, merged, &request, NULL, NULL, error))
    goto fail;

  if (!_cp_lead_store_write_audit (self, keep_id, "merge", "merge_id", NULL, merge_id, actor, now, reason, error))
    goto fail;
  g_clear_pointer (&reason, g_free);
  reason = g_strdup_printf (_("Merged into lead %s"), keep_id);
  if (!_cp_lead_store_write_audit (self, other_id, "merged_into", "merge_id", NULL, merge_id, actor, now,
                    reason, error))
    goto fail;

  if (!cp_database_commit (self->database, error))
    return NULL;

  _cp_lead_store_emit_changed (self, NULL, CP_LEAD_CHANGE_BULK);
  return g_steal_pointer (&merge_id);

fail:
  cp_database_rollback (self->database);
  return NULL;
}

/* The two leads of a merge that was not undone yet. */
static gboolean
read_merge (CpLeadStore  *self,
            const char   *merge_id,
            char        **out_keep_id,
            char        **out_other_id,
            GError      **error)
{
  g_autofree char *keep_id = NULL;
  g_autofree char *other_id = NULL;
  gint64 undone_at = 0;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cp_database_statement (self->database, CP_STMT_MERGE_GET, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, merge_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      keep_id = g_strdup (_cp_column_text (stmt, 0));
      other_id = g_strdup (_cp_column_text (stmt, 1));
      undone_at = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND,
                   _("There is no merge with the id “%s”."), merge_id);
      return FALSE;
    }
  if (undone_at != 0)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("This merge was already undone."));
      return FALSE;
    }
  *out_keep_id = g_steal_pointer (&keep_id);
  *out_other_id = g_steal_pointer (&other_id);
  return TRUE;
}

/* Puts back into @restored the kept lead's values the merge replaced,
 * and removes the custom fields it added. */
static gboolean
restore_snapshot (CpLeadStore  *self,
                  const char   *merge_id,
                  const char   *keep_id,
                  CpLead       *restored,
                  GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cp_database_statement (self->database, CP_STMT_MERGE_SNAPSHOT_FOR, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, merge_id);
  _cp_bind_text (stmt, 2, keep_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CpLeadField field;

      const char *name = _cp_column_text (stmt, 0);

      if (g_str_has_prefix (name, "custom."))
        {
          cp_lead_set_custom (restored, name + strlen ("custom."), _cp_column_text (stmt, 1));
          continue;
        }
      /* Snapshots made before the playbook computed a field may hold it:
       * it is computed again now. */
      if (cp_lead_field_from_name (name, &field) && field_is_mergeable (field) &&
          !cp_lead_set_field_from_string (restored, field, _cp_column_text (stmt, 1), error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the merge"));
      return FALSE;
    }
  return TRUE;
}

/* The other lead's activities and tasks go back to it; it is live again
 * (created again in the CRM) and the merge is marked undone. */
static gboolean
return_to_other (CpLeadStore  *self,
                 const char   *merge_id,
                 const char   *other_id,
                 const char   *actor,
                 gint64        now,
                 const char   *reason,
                 GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = _cp_database_statement (self->database, CP_STMT_ACTIVITIES_UNDO_MERGE, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, merge_id);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;
  if (!return_moved_tasks (self, merge_id, actor, now, reason, error))
    return FALSE;

  stmt = _cp_database_statement (self->database, CP_STMT_LEAD_UNMARK_MERGED, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, other_id);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;
  if (!_cp_sync_outbox_enqueue (self->database, other_id, "create", NULL, now, error))
    return FALSE;

  stmt = _cp_database_statement (self->database, CP_STMT_MERGE_MARK_UNDONE, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, merge_id);
  sqlite3_bind_int64 (stmt, 2, now);
  return _cp_database_step_done (self->database, stmt, error);
}

/**
 * cp_lead_store_undo_merge:
 *
 * Restores both leads as they were before the merge: the kept lead's
 * replaced values, the other lead itself and its activities. The undo is
 * recorded; the merge stays in the history.
 */
gboolean
cp_lead_store_undo_merge (CpLeadStore  *self,
                          const char   *merge_id,
                          const char   *actor,
                          GError      **error)
{
  g_autofree char *keep_id = NULL;
  g_autofree char *other_id = NULL;
  g_autoptr(CpLead) keep = NULL;
  g_autoptr(CpLead) restored = NULL;
  g_autoptr(CpLead) other = NULL;
  g_autofree char *reason = NULL;
  CpWriteRequest request;
  gint64 now;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (merge_id != NULL, FALSE);

  now = self->now_func ();
  if (!cp_database_begin (self->database, error))
    return FALSE;

  if (!read_merge (self, merge_id, &keep_id, &other_id, error))
    goto fail;

  keep = cp_lead_store_get (self, keep_id, error);
  if (keep == NULL)
    goto fail;
  restored = cp_lead_copy (keep);

  if (!restore_snapshot (self, merge_id, keep_id, restored, error))
    goto fail;

  reason = g_strdup_printf (_("Undid the merge with lead %s"), other_id);

  if (!return_to_other (self, merge_id, other_id, actor, now, reason, error))
    goto fail;

  /* Both leads are whole again, each with its own activities: each is
   * scored, routed and clocked anew. */
  request = _cp_write_request ("unmerge", actor, reason, now, CP_WRITE_BULK);
  if (!_cp_lead_store_write_edit (self, restored, &request, NULL, NULL, error))
    goto fail;
  other = cp_lead_store_get (self, other_id, error);
  if (other == NULL || !_cp_lead_store_write_edit (self, other, &request, NULL, NULL, error))
    goto fail;

  if (!_cp_lead_store_write_audit (self, keep_id, "unmerge", "merge_id", merge_id, NULL, actor, now, reason, error))
    goto fail;
  g_clear_pointer (&reason, g_free);
  reason = g_strdup_printf (_("Restored from the merge into lead %s"), keep_id);
  if (!_cp_lead_store_write_audit (self, other_id, "unmerge", "merge_id", merge_id, NULL, actor, now, reason,
                    error))
    goto fail;

  if (!cp_database_commit (self->database, error))
    return FALSE;

  _cp_lead_store_emit_changed (self, NULL, CP_LEAD_CHANGE_BULK);
  return TRUE;

fail:
  cp_database_rollback (self->database);
  return FALSE;
}

/* The flag and its audit row, inside the caller's transaction (an
 * import's batch: no savepoint of its own, which would copy every page
 * it changes into the statement journal). */
gboolean
_cp_lead_store_flag_duplicate_within (CpLeadStore  *self,
                                      const char   *id,
                                      const char   *duplicate_of,
                                      const char   *actor,
                                      GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (cp_database_in_transaction (self->database), FALSE);

  stmt = _cp_database_statement (self->database, CP_STMT_LEAD_FLAG_DUPLICATE, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, id);
  _cp_bind_text (stmt, 2, duplicate_of);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;
  if (sqlite3_changes (_cp_database_get_handle (self->database)) == 0)
    {
      _cp_lead_store_not_found (error, id);
      return FALSE;
    }
  return _cp_lead_store_write_audit (self, id, "flag_duplicate", "possible_duplicate_of", NULL,
                                     duplicate_of, actor, self->now_func (), NULL, error);
}

/**
 * cp_lead_store_flag_duplicate:
 *
 * Records that the user kept both leads although they may be the same
 * person (“Keep both”), so the pair can be reviewed later.
 */
gboolean
cp_lead_store_flag_duplicate (CpLeadStore  *self,
                              const char   *id,
                              const char   *duplicate_of,
                              const char   *actor,
                              GError      **error)
{
  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL && duplicate_of != NULL, FALSE);

  if (!cp_database_begin (self->database, error))
    return FALSE;
  if (!_cp_lead_store_flag_duplicate_within (self, id, duplicate_of, actor, error))
    {
      cp_database_rollback (self->database);
      return FALSE;
    }
  return cp_database_commit (self->database, error);
}

/* A lead's first and last name as one key for comparing people. */
static char *
full_name_key (CpLead *lead)
{
  g_autofree char *full = g_strjoin (" ", cp_lead_get_text (lead, CP_LEAD_FIELD_FIRST_NAME) ?: "",
                                     cp_lead_get_text (lead, CP_LEAD_FIELD_LAST_NAME) ?: "", NULL);

  return cp_normalize_name (full);
}

static CpDuplicateCandidate *
add_candidate (CpLeadStore  *self,
               GHashTable   *by_id,
               GPtrArray    *result,
               const char   *lead_id,
               const char   *name,
               CpMatchKind   kind)
{
  CpDuplicateCandidate *candidate = g_hash_table_lookup (by_id, lead_id);

  if (candidate == NULL)
    {
      g_autoptr(CpLead) lead = cp_lead_store_get (self, lead_id, NULL);
      g_autofree char *other = lead != NULL ? full_name_key (lead) : NULL;

      candidate = g_new0 (CpDuplicateCandidate, 1);
      candidate->lead_id = g_strdup (lead_id);
      candidate->display_name = lead != NULL ? cp_lead_dup_display_name (lead) : g_strdup (lead_id);
      /* Alice and Bob on one clinic switchboard are two people; a phone
       * with a name on one side only may well be one. */
      candidate->name_compatible = name == NULL || *name == '\0' || other == NULL || *other == '\0' ||
                                   g_str_equal (name, other);
      g_ptr_array_add (result, candidate);
      g_hash_table_insert (by_id, candidate->lead_id, candidate);
    }
  candidate->kinds |= 1u << kind;

  return candidate;
}

static gboolean
collect_key_matches (CpLeadStore  *self,
                     CpStatement   statement,
                     const char   *key,
                     const char   *own_id,
                     const char   *name,
                     CpMatchKind   kind,
                     GHashTable   *by_id,
                     GPtrArray    *result,
                     GError      **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  if (key == NULL)
    return TRUE;

  stmt = _cp_database_statement (self->database, statement, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, key);
  _cp_bind_text (stmt, 2, own_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup (_cp_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not look for duplicates"));
      return FALSE;
    }

  for (guint i = 0; i < ids->len; i++)
    add_candidate (self, by_id, result, ids->pdata[i], name, kind);

  return TRUE;
}

/**
 * cp_lead_store_find_duplicates:
 * @lead: a stored lead, or unsaved input (its id may be unset)
 *
 * Returns: (transfer full) (element-type CpDuplicateCandidate): leads that
 *   may be the same person: same email, same phone, or a similar name
 *   (at most two letters apart) at the same location — the closest
 *   CP_DUP_NAME_CANDIDATES of those (_cp_lead_store_similar_names())
 */
GPtrArray *
cp_lead_store_find_duplicates (CpLeadStore  *self,
                               CpLead       *lead,
                               GError      **error)
{
  return _cp_lead_store_find_duplicates_up_to (self, lead, CP_DUP_NAME_CANDIDATES, error);
}

/* cp_lead_store_find_duplicates() with at most @max_names leads found by
 * their name alone (an import flags a row with the first only). */
GPtrArray *
_cp_lead_store_find_duplicates_up_to (CpLeadStore  *self,
                                      CpLead       *lead,
                                      guint         max_names,
                                      GError      **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_duplicate_candidate_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *email_key = NULL;
  g_autofree char *phone_key = NULL;
  g_autofree char *location_key = NULL;
  g_autofree char *name = NULL;
  const char *own_id;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);
  g_return_val_if_fail (CP_IS_LEAD (lead), NULL);

  own_id = cp_lead_get_id (lead);
  email_key = cp_lead_match_key (lead, CP_MATCH_EMAIL, self->default_region);
  phone_key = cp_lead_match_key (lead, CP_MATCH_PHONE, self->default_region);
  name = full_name_key (lead);

  if (!collect_key_matches (self, CP_STMT_DUP_BY_EMAIL, email_key, own_id, name, CP_MATCH_EMAIL,
                            by_id, result, error) ||
      !collect_key_matches (self, CP_STMT_DUP_BY_PHONE, phone_key, own_id, name, CP_MATCH_PHONE,
                            by_id, result, error))
    return NULL;

  location_key = cp_normalize_name (cp_lead_get_text (lead, CP_LEAD_FIELD_LOCATION));

  if (location_key != NULL && *location_key != '\0' && name != NULL && *name != '\0')
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

      /* Bounded: the closest names only (cp-lead-dup-names.c). */
      if (!_cp_lead_store_similar_names (self, name, location_key, own_id, max_names, ids, error))
        return NULL;
      for (guint i = 0; i < ids->len; i++)
        add_candidate (self, by_id, result, ids->pdata[i], name, CP_MATCH_NAME_LOCATION);
    }

  for (guint i = 0; i < result->len; i++)
    {
      CpDuplicateCandidate *candidate = result->pdata[i];
      g_autoptr(GString) reason = g_string_new (NULL);

      for (CpMatchKind kind = CP_MATCH_EMAIL; kind <= CP_MATCH_NAME_LOCATION; kind++)
        if (candidate->kinds & (1u << kind))
          {
            if (reason->len > 0)
              g_string_append (reason, ", ");
            g_string_append (reason, cp_match_kind_describe (kind));
          }
      candidate->reason = g_string_free (g_steal_pointer (&reason), FALSE);
    }

  return g_steal_pointer (&result);
}
