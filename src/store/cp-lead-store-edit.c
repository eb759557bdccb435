/* cp-lead-store-edit.c — creating, editing and moving leads, logging activity: each in one transaction through the write path
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-database-private.h"
#include "cp-lead-private.h"
#include "cp-lead-store-private.h"

void
cp_lead_refusal_free (CpLeadRefusal *refusal)
{
  if (refusal == NULL)
    return;
  g_free (refusal->lead_id);
  g_free (refusal->message);
  g_free (refusal);
}

/* Runs @write in its own transaction: committed whole, or not at all. */
gboolean
_cp_lead_store_commit_or_roll_back (CpLeadStore  *self,
                                    gboolean      ok,
                                    GError      **error)
{
  if (!ok)
    {
      cp_database_rollback (self->database);
      return FALSE;
    }
  return cp_database_commit (self->database, error);
}

/**
 * cp_lead_store_create:
 * @lead: a new lead; its id, stage and creation time are filled in if
 *   unset; afterwards it holds what was stored (computed fields included)
 *
 * Creates a lead through the write path: validated, its stage checked,
 * routed, scored, its response clock started, audited, journalled for
 * sync; the automation the playbook runs on a change runs too. Fields
 * the playbook computes cannot be given (%CP_CORE_ERROR_COMPUTED).
 */
gboolean
cp_lead_store_create (CpLeadStore  *self,
                      CpLead       *lead,
                      const char   *actor,
                      GError      **error)
{
  CpWriteRequest request;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (CP_IS_LEAD (lead), FALSE);

  request = _cp_write_request ("create", actor, NULL, self->now_func (), 0);
  if (!cp_database_begin (self->database, error))
    return FALSE;
  return _cp_lead_store_commit_or_roll_back (self, _cp_lead_store_write_new (self, lead, NULL, NULL, &request,
                                                              NULL, error),
                              error);
}

/**
 * cp_lead_store_update:
 * @lead: the lead with the caller's changes, as read with
 *   cp_lead_store_get() and then changed; only the fields that differ from
 *   what it held when read are written (cp_lead_field_changed())
 * @reason: (nullable): why, kept in the audit trail
 *
 * Saves the changes through the write path. A field someone else changed
 * since @lead was read is not overwritten: the update is refused
 * (%CP_STORE_ERROR_STALE). The stage changes only with a move, and the
 * fields the playbook computes not at all. Afterwards @lead holds what
 * was stored.
 */
gboolean
cp_lead_store_update (CpLeadStore  *self,
                      CpLead       *lead,
                      const char   *actor,
                      const char   *reason,
                      GError      **error)
{
  return cp_lead_store_update_full (self, lead, actor, reason, NULL, error);
}

/**
 * cp_lead_store_update_full:
 * @outcome: (out caller-allocates) (optional): what automation did next
 *   (a closure outcome of “won” moves the lead on, say)
 *
 * cp_lead_store_update(), telling what the playbook did after the change.
 */
gboolean
cp_lead_store_update_full (CpLeadStore     *self,
                           CpLead          *lead,
                           const char      *actor,
                           const char      *reason,
                           CpWriteOutcome  *outcome,
                           GError         **error)
{
  CpWriteRequest request;
  g_autoptr(CpLead) stored = NULL;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (CP_IS_LEAD (lead), FALSE);
  g_return_val_if_fail (cp_lead_get_id (lead) != NULL, FALSE);

  request = _cp_write_request ("update", actor, reason, self->now_func (), 0);
  if (!cp_database_begin (self->database, error) ||
      !_cp_lead_store_commit_or_roll_back (self, _cp_lead_store_write_edit (self, lead, &request, outcome, &stored,
                                                             error),
                            error))
    return FALSE;
  _cp_lead_assign (lead, stored);
  return TRUE;
}

/**
 * cp_lead_store_move:
 * @expected_stage: (nullable): the stage the caller saw the lead in: when
 *   it is elsewhere now, nothing moves (%CP_STORE_ERROR_STALE)
 * @fields: (nullable): a copy of the lead with fields filled in for the
 *   move (a stage's required fields), saved in the same transaction
 * @reason: why the lead moves; required, kept with the stage event
 * @outcome: (out caller-allocates) (optional): what automation did next
 *
 * Moves a lead to another stage if the playbook allows it (the target
 * exists, its required fields are known, the exit and entry rules hold),
 * with a stage event, an audit row and a new response clock. A refusal
 * is a %CP_CORE_ERROR_REFUSED error in the playbook's words.
 */
gboolean
cp_lead_store_move (CpLeadStore     *self,
                    const char      *id,
                    const char      *expected_stage,
                    const char      *to_stage,
                    CpLead          *fields,
                    const char      *reason,
                    const char      *actor,
                    CpWriteOutcome  *outcome,
                    GError         **error)
{
  g_autoptr(CpLead) edit = NULL;
  CpWriteRequest request;
  gboolean ok;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL && to_stage != NULL, FALSE);
  g_return_val_if_fail (fields == NULL || CP_IS_LEAD (fields), FALSE);

  request = _cp_write_request ("move", actor, reason, self->now_func (), 0);
  request.flags = CP_WRITE_MOVE;
  request.expected_stage = expected_stage;
  if (!cp_database_begin (self->database, error))
    return FALSE;
  edit = fields != NULL ? cp_lead_copy (fields) : cp_lead_store_get (self, id, error);
  ok = edit != NULL;
  if (ok && fields != NULL && g_strcmp0 (cp_lead_get_id (fields), id) != 0)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("The fields given are of another lead."));
      ok = FALSE;
    }
  if (ok && *to_stage == '\0')
    {
      /* An empty stage would clear the field rather than name a stage. */
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("There is no stage “%s” in the playbook."), to_stage);
      ok = FALSE;
    }
  if (ok && g_strcmp0 (cp_lead_get_stage (edit), to_stage) == 0 &&
      !cp_lead_field_changed (edit, CP_LEAD_FIELD_STAGE))
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("The lead is already in the stage “%s”."), to_stage);
      ok = FALSE;
    }
  if (ok)
    {
      cp_lead_set_text (edit, CP_LEAD_FIELD_STAGE, to_stage);
      ok = _cp_lead_store_write_edit (self, edit, &request, outcome, NULL, error);
    }
  return _cp_lead_store_commit_or_roll_back (self, ok, error);
}

static gboolean
is_refusal (const GError *error)
{
  return error->domain == CP_CORE_ERROR ||
         g_error_matches (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID) ||
         g_error_matches (error, CP_STORE_ERROR, CP_STORE_ERROR_STALE) ||
         g_error_matches (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
}

/**
 * cp_lead_store_move_stages:
 * @ids: (array zero-terminated=1): the leads to move
 * @reason: recorded on each lead's stage event
 * @out_refused: (out) (optional) (transfer full) (element-type CpLeadRefusal):
 *   the leads the playbook would not move, each with the reason; without
 *   it, one refusal moves nothing at all
 *
 * Moves several leads in one transaction, each checked by the playbook
 * on its own. Leads already in @to_stage are left alone.
 *
 * Returns: the number of leads moved, or -1 with @error set
 */
int
cp_lead_store_move_stages (CpLeadStore        *self,
                           const char * const *ids,
                           const char         *to_stage,
                           const char         *reason,
                           const char         *actor,
                           GPtrArray         **out_refused,
                           GError            **error)
{
  g_autoptr(GPtrArray) refused = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_lead_refusal_free);
  CpWriteRequest request;
  int moved = 0;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), -1);
  g_return_val_if_fail (ids != NULL && to_stage != NULL, -1);

  request = _cp_write_request ("move", actor, reason, self->now_func (), 0);
  request.flags = CP_WRITE_MOVE | CP_WRITE_BULK;
  if (!cp_database_begin (self->database, error))
    return -1;
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(CpLead) edit = NULL;
      g_autoptr(GError) local_error = NULL;
      CpLeadRefusal *refusal;

      if (!cp_database_begin (self->database, error))
        goto fail;
      edit = cp_lead_store_get (self, ids[i], &local_error);
      if (edit != NULL && g_strcmp0 (cp_lead_get_stage (edit), to_stage) == 0)
        {
          cp_database_rollback (self->database);
          continue;
        }
      if (edit != NULL)
        {
          cp_lead_set_text (edit, CP_LEAD_FIELD_STAGE, to_stage);
          if (_cp_lead_store_write_edit (self, edit, &request, NULL, NULL, &local_error))
            {
              if (!cp_database_commit (self->database, error))
                goto fail;
              moved++;
              continue;
            }
        }
      cp_database_rollback (self->database);
      if (!is_refusal (local_error) || out_refused == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto fail;
        }
      refusal = g_new0 (CpLeadRefusal, 1);
      refusal->lead_id = g_strdup (ids[i]);
      refusal->message = g_strdup (local_error->message);
      g_ptr_array_add (refused, refusal);
    }
  if (!cp_database_commit (self->database, error))
    return -1;
  if (moved > 0)
    _cp_lead_store_emit_changed (self, NULL, CP_LEAD_CHANGE_BULK);
  if (out_refused != NULL)
    *out_refused = g_steal_pointer (&refused);
  return moved;

fail:
  cp_database_rollback (self->database);
  return -1;
}

/**
 * cp_lead_store_set_field_bulk:
 * @ids: (array zero-terminated=1): the leads to change
 * @value: (nullable): the new value, in the field's string form
 *
 * Sets one field on several leads in one transaction, each through the
 * write path: all change, or none do.
 *
 * Returns: the number of leads changed, or -1 with @error set
 */
int
cp_lead_store_set_field_bulk (CpLeadStore        *self,
                              const char * const *ids,
                              CpLeadField         field,
                              const char         *value,
                              const char         *actor,
                              const char         *reason,
                              GError            **error)
{
  CpWriteRequest request;
  int changed = 0;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), -1);
  g_return_val_if_fail (ids != NULL && field < CP_LEAD_N_FIELDS, -1);

  request = _cp_write_request ("update", actor, reason, self->now_func (), 0);
  request.flags = CP_WRITE_BULK;
  if (!cp_database_begin (self->database, error))
    return -1;
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(CpLead) edit = cp_lead_store_get (self, ids[i], error);

      if (edit == NULL || !cp_lead_set_field_from_string (edit, field, value, error))
        goto fail;
      if (!cp_lead_field_changed (edit, field))
        continue;
      if (!_cp_lead_store_write_edit (self, edit, &request, NULL, NULL, error))
        goto fail;
      changed++;
    }
  if (!cp_database_commit (self->database, error))
    return -1;
  if (changed > 0)
    _cp_lead_store_emit_changed (self, NULL, CP_LEAD_CHANGE_BULK);
  return changed;

fail:
  cp_database_rollback (self->database);
  return -1;
}

/**
 * cp_lead_store_log_activity:
 * @activity: a call, email, meeting, webinar…; its lead id names the lead
 * @outcome: (out caller-allocates) (optional): the moves the playbook made
 *   (or would have made) because of it
 *
 * Records the activity through the write path: the lead is rescored, its
 * first response and last activity follow, and the automation the
 * activity triggers runs (a webinar attended by a fitting lead moves it
 * to qualified), all in one transaction.
 */
gboolean
cp_lead_store_log_activity (CpLeadStore     *self,
                            CpActivity      *activity,
                            CpWriteOutcome  *outcome,
                            GError         **error)
{
  CpWriteRequest request;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (CP_IS_ACTIVITY (activity), FALSE);

  if (cp_activity_get_lead_id (activity) == NULL)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("An activity must belong to a lead."));
      return FALSE;
    }
  request = _cp_write_request ("activity", cp_activity_get_actor (activity), NULL,
                               self->now_func (), 0);
  if (cp_activity_get_occurred_at (activity) > request.now + 24 * 3600)
    {
      g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                   _("An activity cannot be logged more than a day ahead."));
      return FALSE;
    }
  if (!cp_database_begin (self->database, error))
    return FALSE;
  return _cp_lead_store_commit_or_roll_back (self, _cp_lead_store_write_activity (self, activity, &request,
                                                                   outcome, error),
                              error);
}

/**
 * cp_lead_store_refresh:
 * @out_changed: (out) (optional): whether anything the playbook computes
 *   changed
 *
 * Recomputes what the playbook computes for one lead as of now (its score
 * with decay, queue, SLA clock) and saves what changed, audited.
 */
gboolean
cp_lead_store_refresh (CpLeadStore  *self,
                       const char   *id,
                       const char   *actor,
                       gboolean     *out_changed,
                       GError      **error)
{
  g_autoptr(CpLead) lead = NULL;
  g_autoptr(CpLead) stored = NULL;
  CpWriteRequest request;
  gboolean ok;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  request = _cp_write_request ("rescore", actor, NULL, self->now_func (), 0);
  if (!cp_database_begin (self->database, error))
    return FALSE;
  lead = cp_lead_store_get (self, id, error);
  ok = lead != NULL && _cp_lead_store_write_edit (self, lead, &request, NULL, &stored, error);
  if (ok && out_changed != NULL)
    *out_changed = cp_lead_get_int (stored, CP_LEAD_FIELD_UPDATED_AT) !=
                   cp_lead_get_int (lead, CP_LEAD_FIELD_UPDATED_AT);
  return _cp_lead_store_commit_or_roll_back (self, ok, error);
}

#define REFRESH_BATCH 1000

/**
 * cp_lead_store_refresh_all:
 * @progress: (nullable): called after each batch
 * @out_changed: (out) (optional): how many leads changed
 *
 * cp_lead_store_refresh() for every live lead, a thousand to a
 * transaction: the repair for leads written before the playbook computed
 * their fields (what `carepath-cli check` reports).
 */
gboolean
cp_lead_store_refresh_all (CpLeadStore     *self,
                           const char      *actor,
                           CpProgressFunc   progress,
                           gpointer         user_data,
                           guint           *out_changed,
                           GError         **error)
{
  CpWriteRequest request;
  gint64 after = 0;
  guint changed = 0, done = 0;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);

  request = _cp_write_request ("rescore", actor, NULL, self->now_func (), 0);
  request.flags = CP_WRITE_BULK;
  for (;;)
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      sqlite3_stmt *stmt = _cp_database_statement (self->database, CP_STMT_LEAD_IDS_AFTER, error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, after);
      sqlite3_bind_int (stmt, 2, REFRESH_BATCH);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          after = sqlite3_column_int64 (stmt, 0);
          g_ptr_array_add (ids, g_strdup (_cp_column_text (stmt, 1)));
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _cp_database_set_error (self->database, error, rc, _("Could not read the leads"));
          return FALSE;
        }
      if (ids->len == 0)
        break;
      if (!cp_database_begin (self->database, error))
        return FALSE;
      for (guint i = 0; i < ids->len; i++)
        {
          g_autoptr(CpLead) lead = cp_lead_store_get (self, ids->pdata[i], error);
          g_autoptr(CpLead) stored = NULL;

          if (lead == NULL || !_cp_lead_store_write_edit (self, lead, &request, NULL, &stored, error))
            {
              cp_database_rollback (self->database);
              cp_lead_store_emit_bulk_change (self);
              return FALSE;
            }
          changed += cp_lead_get_int (stored, CP_LEAD_FIELD_UPDATED_AT) !=
                     cp_lead_get_int (lead, CP_LEAD_FIELD_UPDATED_AT);
        }
      if (!cp_database_commit (self->database, error))
        return FALSE;
      done += ids->len;
      if (progress != NULL)
        progress (done, 0, user_data);
    }
  cp_lead_store_emit_bulk_change (self);
  if (out_changed != NULL)
    *out_changed = changed;
  return TRUE;
}

/**
 * cp_lead_store_check_move:
 *
 * What moving the lead would meet, without moving it: the checks a move
 * makes (what the window asks before it asks for a reason).
 *
 * Returns: (transfer full): the verdict in words, or %NULL with @error
 */
CpMoveCheck *
cp_lead_store_check_move (CpLeadStore  *self,
                          const char   *id,
                          const char   *to_stage,
                          GError      **error)
{
  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);
  g_return_val_if_fail (id != NULL && to_stage != NULL, NULL);

  return _cp_lead_store_check_move (self, id, to_stage, self->now_func (), error);
}

/**
 * cp_lead_store_get_playbook:
 * @out_version: (out) (optional): its version (0: the built-in one)
 *
 * Returns: (transfer full) (nullable): the playbook every write follows
 *   now, or %NULL with @error set
 */
CpPlaybook *
cp_lead_store_get_playbook (CpLeadStore  *self,
                            gint64       *out_version,
                            GError      **error)
{
  CpLifecycle *lifecycle;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);

  lifecycle = _cp_lead_store_lifecycle (self, self->now_func (), error);
  if (lifecycle == NULL)
    return NULL;
  if (out_version != NULL)
    *out_version = cp_lifecycle_get_version (lifecycle);
  return cp_playbook_ref (cp_lifecycle_get_playbook (lifecycle));
}
