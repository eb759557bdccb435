/* cp-lead-write.c — the one write path: every change to a lead runs the playbook
 *
 * Every entry point — the window, the lead editor, event capture, the CLI,
 * an import row, a record pulled from the CRM, a merge, the demo generator
 * and the time rules — changes a lead through these functions, inside a
 * transaction the caller opened (BEGIN IMMEDIATE: one writer at a time,
 * others wait their turn). Each write
 *
 *  - reads the current row and applies only the fields the caller changed,
 *    refusing a change someone else made to the same field meanwhile;
 *  - refuses fields the playbook computes, and a stage change outside a move;
 *  - validates, checks the closure reason against the playbook, and checks
 *    a stage change (entry and exit rules, required fields);
 *  - routes the lead (queue, then an owner in turn) and recomputes what the
 *    playbook computes: scores and tier, the response SLA clock in the
 *    location's business hours, the first response and the last activity;
 *  - writes the row, an audit row per change, the stage event and the
 *    outbox entry, then runs the automation the change (or an activity)
 *    triggers, as moves of their own through this same path.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-database-private.h"
#include "cp-lead-private.h"
#include "cp-lead-write-private.h"
#include "cp-outbox.h"
#include "cp-playbook-store.h"
#include "cp-router.h"
#include "cp-stage-event.h"
#include "cp-task-store-private.h"
#include "cp-validate.h"

void
cp_write_outcome_clear (CpWriteOutcome *outcome)
{
  g_clear_pointer (&outcome->moves, g_ptr_array_unref);
  g_clear_pointer (&outcome->blocked, g_ptr_array_unref);
}

/* Adds @move at @position (-1: at the end). */
static void
outcome_insert (GPtrArray      **slot,
                int              position,
                CpProposedMove  *move)
{
  if (*slot == NULL)
    *slot = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_proposed_move_free);
  g_ptr_array_insert (*slot, position, move);
}

static void
outcome_add (GPtrArray      **slot,
             CpProposedMove  *move)
{
  outcome_insert (slot, -1, move);
}

static gboolean write_edit (CpLeadStore          *self,
                            CpLead               *edit,
                            const CpWriteRequest *request,
                            guint                 depth,
                            GPtrArray            *visited,
                            CpWriteOutcome       *outcome,
                            CpLead              **out_stored,
                            GError              **error);

/* ---- automation ---- */


/* The move the playbook makes after a change (or @activity), as a move of
 * its own through this path: a move its rules refuse after all is
 * reported, and the caller's change stays. */
/* Drops the proposals of rules that already applied before the change:
 * a change rule fires when the change makes it apply (the lead enters a
 * stage it moves from, or its condition comes to hold), not again at
 * every later edit of a lead it applied to all along. */
static gboolean
drop_already_applying (CpLeadStore  *self,
                       CpLifecycle  *lifecycle,
                       CpLead       *before,
                       CpRuleView   *after_view,
                       GPtrArray    *proposals,
                       gint64        now,
                       GError      **error)
{
  g_auto(CpRuleView) view = { 0, };
  g_autoptr(GPtrArray) earlier = NULL;
  gboolean ok;

  if (before == NULL || proposals->len == 0)
    return TRUE;
  /* The lead had the same activities before the change as after it. */
  ok = after_view != NULL && after_view->input.now == now
    ? _cp_rule_view_init_like (self, &view, before, after_view, error)
    : _cp_rule_view_init (self, &view, before, TRUE, NULL, now, error);
  if (!ok)
    return FALSE;
  earlier = cp_automation_on_change (cp_lifecycle_get_playbook (lifecycle), &view.input);
  for (guint i = 0; i < proposals->len; i++)
    for (guint j = 0; j < earlier->len; j++)
      if (g_strcmp0 (((CpProposedMove *) proposals->pdata[i])->rule_id,
                     ((CpProposedMove *) earlier->pdata[j])->rule_id) == 0)
        {
          g_ptr_array_remove_index (proposals, i--);
          break;
        }
  return TRUE;
}

static gboolean
run_automation (CpLeadStore             *self,
                CpLifecycle             *lifecycle,
                CpLead                  *before,
                CpLead                  *stored,
                CpRuleView              *known,
                const CpWriteRequest    *request,
                CpAutomationTrigger      trigger,
                const CpActivityRecord  *activity,
                guint                    depth,
                GPtrArray               *visited,
                CpWriteOutcome          *outcome,
                gboolean                *out_moved,
                CpLead                 **out_moved_lead,
                GError                 **error)
{
  g_auto(CpRuleView) view = { 0, };
  g_autoptr(GPtrArray) proposals = NULL;
  g_autoptr(GPtrArray) blocked = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_proposed_move_free);
  g_autoptr(CpProposedMove) move = NULL;
  g_autoptr(CpLead) edit = NULL;
  g_autoptr(CpLead) moved_lead = NULL;
  g_autoptr(GError) local_error = NULL;
  CpWriteRequest sub = { 0, };
  int position, changes;

  *out_moved = FALSE;
  if (out_moved_lead != NULL)
    *out_moved_lead = NULL;
  if ((request->flags & CP_WRITE_NO_AUTOMATION) || depth >= CP_LIFECYCLE_MAX_CHAINED_MOVES)
    return TRUE;
  /* A lead just written comes with its view: nothing to read again. */
  if (known == NULL)
    {
      if (!_cp_rule_view_init (self, &view, stored, TRUE, NULL, request->now, error))
        return FALSE;
      known = &view;
    }
  switch (trigger)
    {
    case CP_AUTOMATION_ON_ACTIVITY:
      proposals = cp_automation_on_activity (cp_lifecycle_get_playbook (lifecycle), &known->input, activity);
      break;
    case CP_AUTOMATION_ON_INACTIVITY:
      proposals = cp_automation_on_inactivity (cp_lifecycle_get_playbook (lifecycle), &known->input);
      break;
    case CP_AUTOMATION_ON_FIELD:
    default:
      proposals = cp_automation_on_change (cp_lifecycle_get_playbook (lifecycle), &known->input);
      if (!drop_already_applying (self, lifecycle, before, known, proposals, request->now, error))
        return FALSE;
      break;
    }
  move = cp_lifecycle_take_move (proposals, visited, blocked);
  for (guint i = 0; outcome != NULL && i < blocked->len; i++)
    outcome_add (&outcome->blocked, g_ptr_array_steal_index (blocked, i--));
  if (move == NULL)
    return TRUE;

  edit = cp_lead_copy (stored);
  cp_lead_set_text (edit, CP_LEAD_FIELD_STAGE, move->to_stage);
  sub.action = "automation";
  sub.actor = "automation";
  sub.reason = move->reason;
  sub.now = request->now;
  sub.flags = CP_WRITE_MOVE | CP_WRITE_BY_PLAYBOOK | (request->flags & (CP_WRITE_BULK | CP_WRITE_BATCH));
  /* After an activity, what else the same activity means comes first
   * (a webinar: the lead responded, and a fitting lead is qualified). */
  if (trigger == CP_AUTOMATION_ON_ACTIVITY)
    sub.flags |= CP_WRITE_NO_AUTOMATION;
  sub.expected_stage = cp_lead_get_stage (stored);
  g_ptr_array_add (visited, g_strdup (move->to_stage));

  /* The moves this one leads to are added as it is written: it goes
   * before them, so the outcome lists the moves in the order made. */
  position = outcome != NULL && outcome->moves != NULL ? (int) outcome->moves->len : 0;
  /* A move is judged whole before any of it is written, so a refused one
   * has written nothing and needs no savepoint (one per move would copy
   * every page it touches: on an import, a fifth of the time). */
  changes = sqlite3_total_changes (_cp_database_get_handle (self->database));
  if (!write_edit (self, edit, &sub, depth + 1, visited, outcome, &moved_lead, &local_error))
    {
      if ((local_error->domain != CP_CORE_ERROR && local_error->domain != CP_STORE_ERROR) ||
          sqlite3_total_changes (_cp_database_get_handle (self->database)) != changes)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      move->allowed = FALSE;
      g_free (move->blocked_message);
      move->blocked_message = g_strdup (local_error->message);
      if (outcome != NULL)
        outcome_add (&outcome->blocked, g_steal_pointer (&move));
      return TRUE;
    }
  *out_moved = TRUE;
  if (outcome != NULL)
    outcome_insert (&outcome->moves, position, g_steal_pointer (&move));
  if (trigger == CP_AUTOMATION_ON_ACTIVITY)
    {
      g_autoptr(CpLead) then = NULL;
      gboolean again = FALSE;

      if (!run_automation (self, lifecycle, stored, moved_lead, NULL, request, CP_AUTOMATION_ON_ACTIVITY,
                           activity, depth + 1, visited, outcome, &again, &then, error))
        return FALSE;
      if (!again &&
          !run_automation (self, lifecycle, stored, moved_lead, NULL, request, CP_AUTOMATION_ON_FIELD, NULL,
                           depth + 1, visited, outcome, &again, &then, error))
        return FALSE;
      if (then != NULL)
        g_set_object (&moved_lead, then);
    }
  /* The lead as the last move wrote it: nothing to read again. */
  if (out_moved_lead != NULL)
    *out_moved_lead = g_steal_pointer (&moved_lead);
  return TRUE;
}

/* ---- an existing lead ---- */

static gboolean
refuse_stale (CpLead       *current,
              CpLeadField   field,
              GError      **error)
{
  g_autofree char *now_value = cp_lead_dup_field_string (current, field);

  g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_STALE,
               _("%s was changed by someone else meanwhile (it is now “%s”); nothing was saved. "
                 "Reload the lead and make the change again."),
               _(cp_lead_field_info (field)->label), now_value != NULL ? now_value : "");
  return FALSE;
}

/* Applies to @after (the stored lead) the fields the caller changed in
 * @edit, refusing what no caller may write. */
static gboolean
apply_caller_changes (CpLead               *current,
                      CpLead               *edit,
                      CpLead               *after,
                      const CpWriteRequest *request,
                      guint64              *out_caller,
                      GError              **error)
{
  g_autoptr(GPtrArray) custom_keys = cp_lead_dup_changed_custom_keys (edit);
  gboolean tracked = cp_lead_has_originals (edit);
  guint64 caller = 0;

  for (CpLeadField f = 0; f < CP_LEAD_N_FIELDS; f++)
    {
      if (!cp_lead_field_changed (edit, f) || cp_lead_equal_field (edit, current, f))
        continue;
      if (f == CP_LEAD_FIELD_ID || f == CP_LEAD_FIELD_CREATED_AT)
        {
          g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                       _("“%s” is set by Carepath and cannot change."), cp_lead_field_info (f)->name);
          return FALSE;
        }
      if (cp_lead_field_is_computed (f))
        return cp_lifecycle_refuse_computed (f, error);
      if (f == CP_LEAD_FIELD_STAGE && !(request->flags & CP_WRITE_MOVE))
        {
          g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_REFUSED,
                       _("The stage changes only by a move, with a reason and the playbook’s "
                         "check (carepath-cli move ID STAGE --reason TEXT)."));
          return FALSE;
        }
      /* Changed here since the caller read it: theirs would be lost. */
      if (tracked)
        {
          g_autofree char *original = cp_lead_dup_original_string (edit, f);
          g_autofree char *stored = cp_lead_dup_field_string (current, f);

          if (g_strcmp0 (original, stored) != 0)
            return refuse_stale (current, f, error);
        }
      _cp_lead_copy_field (after, edit, f);
      caller |= CP_FIELD_BIT (f);
    }

  for (guint i = 0; i < custom_keys->len; i++)
    {
      const char *key = custom_keys->pdata[i];
      const char *original = NULL;

      if (cp_lead_get_custom_original (edit, key, &original) &&
          g_strcmp0 (original, cp_lead_get_custom (current, key)) != 0 &&
          g_strcmp0 (cp_lead_get_custom (edit, key), cp_lead_get_custom (current, key)) != 0)
        {
          g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_STALE,
                       _("The custom field “%s” was changed by someone else meanwhile; nothing "
                         "was saved. Reload the lead and make the change again."), key);
          return FALSE;
        }
      cp_lead_set_custom (after, key, cp_lead_get_custom (edit, key));
    }

  *out_caller = caller;
  return TRUE;
}

static guint64
differing_fields (CpLead *a,
                  CpLead *b)
{
  guint64 mask = 0;

  for (CpLeadField f = 0; f < CP_LEAD_N_FIELDS; f++)
    if (!cp_lead_equal_field (a, b, f))
      mask |= CP_FIELD_BIT (f);
  return mask;
}

/* The live lead as stored, refused when it is no longer in the stage the
 * caller saw it in. */
static CpLead *
load_for_edit (CpLeadStore          *self,
               const char           *id,
               const CpWriteRequest *request,
               GError              **error)
{
  g_autoptr(CpLead) current = NULL;
  gint64 deleted_at = 0;

  current = _cp_lead_store_load (self, id, &deleted_at, error);
  if (current == NULL)
    return NULL;
  if (deleted_at != 0)
    {
      _cp_lead_store_not_found (error, id);
      return NULL;
    }
  _cp_lead_mark_pristine (current);
  if (request->expected_stage != NULL &&
      g_strcmp0 (cp_lead_get_stage (current), request->expected_stage) != 0)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_STALE,
                   _("The lead was moved to “%s” by someone else meanwhile; nothing was changed."),
                   cp_lead_get_stage (current));
      return NULL;
    }
  return g_steal_pointer (&current);
}

static gboolean
write_edit (CpLeadStore          *self,
            CpLead               *edit,
            const CpWriteRequest *request,
            guint                 depth,
            GPtrArray            *visited,
            CpWriteOutcome       *outcome,
            CpLead              **out_stored,
            GError              **error)
{
  CpLifecycle *lifecycle;
  g_autoptr(CpLead) current = NULL;
  g_autoptr(CpLead) after = NULL;
  g_auto(CpRuleView) view = { 0, };
  g_auto(CpWriteChanges) changes = { 0, };
  const char *id = cp_lead_get_id (edit);
  gint64 stage_entered_at;
  guint64 changed;
  gboolean moved = FALSE;
  g_autoptr(CpRouterState) router_state = NULL;
  g_autoptr(CpLead) moved_lead = NULL;

  lifecycle = _cp_lead_store_lifecycle (self, request->now, error);
  if (lifecycle == NULL)
    return FALSE;
  current = load_for_edit (self, id, request, error);
  if (current == NULL)
    return FALSE;

  if (depth == 0)
    g_ptr_array_add (visited, g_strdup (cp_lead_get_stage (current)));
  after = cp_lead_copy (current);
  if (!apply_caller_changes (current, edit, after, request, &changes.caller, error) ||
      !_cp_lead_store_prepare (self, after, error))
    return FALSE;
  _cp_lead_rules_stamp_consent (current, after, request);
  /* Normalising (the phone to E.164) is part of the caller's change. */
  changes.caller |= differing_fields (current, after) & ~CP_FIELD_BIT (CP_LEAD_FIELD_STAGE) &
                    (changes.caller | CP_FIELD_BIT (CP_LEAD_FIELD_PHONE));
  changes.stage_changed = !cp_lead_equal_field (current, after, CP_LEAD_FIELD_STAGE);

  if (!_cp_rule_view_init (self, &view, after, TRUE, NULL, request->now, error))
    return FALSE;
  if ((changes.caller & (CP_FIELD_BIT (CP_LEAD_FIELD_CLOSURE_REASON) | CP_FIELD_BIT (CP_LEAD_FIELD_CLOSURE_OUTCOME))) &&
      !cp_lifecycle_check_closure (lifecycle, &view.record, error))
    return FALSE;

  stage_entered_at = cp_lead_get_stage_entered_at (current);
  if (changes.stage_changed)
    {
      if (!_cp_lead_rules_check_reason (request->reason, error))
        return FALSE;
      stage_entered_at = request->now;
      cp_lead_set_stage_entered_at (after, stage_entered_at);
    }
  else if (!_cp_lead_rules_check_required_kept (lifecycle, after, changes.caller, error))
    return FALSE;

  _cp_rule_view_refresh (&view, after);
  if (!_cp_lead_rules_route (self, lifecycle, after, cp_lead_get_text (current, CP_LEAD_FIELD_QUEUE),
                   (changes.caller & CP_FIELD_BIT (CP_LEAD_FIELD_OWNER)) != 0, &view.input,
                   &changes.route_reason, &router_state, error))
    return FALSE;
  changes.routed = differing_fields (current, after) &
                   (CP_FIELD_BIT (CP_LEAD_FIELD_QUEUE) | CP_FIELD_BIT (CP_LEAD_FIELD_OWNER)) & ~changes.caller;
  _cp_rule_view_refresh (&view, after);
  if (changes.stage_changed &&
      !_cp_lead_rules_check_transition (lifecycle, &view, cp_lead_get_stage (current), cp_lead_get_stage (after), error))
    return FALSE;

  _cp_lead_rules_derive (lifecycle, after, &view, stage_entered_at);
  changed = differing_fields (current, after);
  if (changed == 0 && !!cp_lead_custom_fields_equal (current, after))
    {
      if (out_stored != NULL)
        *out_stored = g_steal_pointer (&after);
      return TRUE;
    }

  cp_lead_set_int (after, CP_LEAD_FIELD_UPDATED_AT, request->now);
  changed |= CP_FIELD_BIT (CP_LEAD_FIELD_UPDATED_AT);
  /* Everything is judged: from here on it is written. */
  if (!_cp_lead_rows_update (self, current, after, changed, changes.stage_changed, error) ||
      (router_state != NULL && !_cp_lead_rules_save_route (self, router_state, error)) ||
      !_cp_lead_rows_audit (self, lifecycle, current, after, changed, &changes, request, error) ||
      !_cp_lead_rows_custom_fields (self, current, after, request, error) ||
      !_cp_lead_rows_journal (self, after, changed, &changes, request, error))
    return FALSE;
  if (changes.stage_changed &&
      !_cp_lead_rows_stage_event (self, id, cp_lead_get_stage (current), cp_lead_get_stage (after),
                          request->reason, request->actor, request->now, error))
    return FALSE;
  /* The tasks the change brings along (cp-task-write.c). */
  if (!_cp_task_write_after_lead (self, lifecycle, current, after, request, error))
    return FALSE;
  if ((changed & CP_FIELD_BIT (CP_LEAD_FIELD_ORGANIZATION)) && !_cp_lead_rows_link_account (self, after, request->now, error))
    return FALSE;
  if (!_cp_lead_write_rescore_accounts (self, lifecycle, current, after, request, error))
    return FALSE;

  _cp_lead_mark_pristine (after);
  if (!(request->flags & CP_WRITE_BULK))
    _cp_lead_store_emit_changed (self, id, changes.stage_changed ? CP_LEAD_CHANGE_MOVED
                                                                 : CP_LEAD_CHANGE_UPDATED);
  /* Someone's own move stays where they put it: what the move itself
   * means, the playbook's entry rules already checked. A field change,
   * or a move the playbook made, runs change automation. */
  /* What the rules saw of the lead is what was written (its activities
   * and its account did not change): the automation judges the same. */
  _cp_rule_view_refresh (&view, after);
  if ((!changes.stage_changed || (request->flags & CP_WRITE_BY_PLAYBOOK)) &&
      !run_automation (self, lifecycle, current, after, &view, request, CP_AUTOMATION_ON_FIELD, NULL, depth,
                       visited, outcome, &moved, out_stored != NULL ? &moved_lead : NULL, error))
    return FALSE;
  if (out_stored != NULL)
    *out_stored = moved ? g_steal_pointer (&moved_lead) : g_steal_pointer (&after);
  return TRUE;
}

static GPtrArray *
visited_new (const char *stage)
{
  GPtrArray *visited = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (visited, g_strdup (stage));
  return visited;
}

/**
 * _cp_lead_store_write_edit:
 * @edit: the lead with the caller's changes (what differs from when it was
 *   read; see cp_lead_field_changed())
 * @out_stored: (out) (optional) (transfer full): the lead as stored after
 *   the write and whatever automation did
 *
 * The update path (see the top of this file). Must run inside a
 * transaction.
 */
gboolean
_cp_lead_store_write_edit (CpLeadStore          *self,
                           CpLead               *edit,
                           const CpWriteRequest *request,
                           CpWriteOutcome       *outcome,
                           CpLead              **out_stored,
                           GError              **error)
{
  g_autoptr(GPtrArray) visited = visited_new (cp_lead_get_stage (edit));

  g_return_val_if_fail (cp_database_in_transaction (self->database), FALSE);
  if (!_cp_database_check_writable (self->database, error))
    return FALSE;
  g_return_val_if_fail (cp_lead_get_id (edit) != NULL, FALSE);

  return write_edit (self, edit, request, 0, visited, outcome, out_stored, error);
}

/**
 * _cp_lead_store_write_activity:
 * @activity: an activity of a stored lead
 *
 * Records @activity, recomputes the lead (its score, first response, last
 * activity) and runs the automation the activity triggers. Must run
 * inside a transaction.
 */
gboolean
_cp_lead_store_write_activity (CpLeadStore          *self,
                               CpActivity           *activity,
                               const CpWriteRequest *request,
                               CpWriteOutcome       *outcome,
                               GError              **error)
{
  g_autoptr(CpLead) current = NULL;
  g_autoptr(CpLead) stored = NULL;
  g_autoptr(GPtrArray) visited = NULL;
  CpActivityRecord record = { 0, };
  CpWriteRequest derive = *request;
  CpLifecycle *lifecycle;
  gboolean moved = FALSE;

  g_return_val_if_fail (cp_database_in_transaction (self->database), FALSE);
  if (!_cp_database_check_writable (self->database, error))
    return FALSE;

  if (cp_activity_get_external_id (activity) != NULL)
    {
      gboolean recorded = FALSE;

      if (!_cp_lead_store_activity_recorded (self, cp_activity_get_external_id (activity),
                                             &recorded, error))
        return FALSE;
      if (recorded)
        {
          /* The same activity again (a re-import, a page pulled twice). */
          if (outcome != NULL)
            outcome->duplicate = TRUE;
          return TRUE;
        }
    }
  current = cp_lead_store_get (self, cp_activity_get_lead_id (activity), error);
  if (current == NULL)
    return FALSE;
  if (cp_activity_get_occurred_at (activity) == 0)
    cp_activity_set_occurred_at (activity, request->now);
  if (cp_activity_get_detail (activity) != NULL &&
      !cp_validate_text (cp_activity_get_detail (activity), 10000, TRUE, error))
    return FALSE;
  if (!_cp_lead_store_insert_activity (self, activity, error))
    return FALSE;

  lifecycle = _cp_lead_store_lifecycle (self, request->now, error);
  visited = visited_new (NULL);
  derive.flags |= CP_WRITE_NO_AUTOMATION;
  /* A first response it makes completes the response task with it. */
  derive.activity_id = cp_activity_get_id (activity);
  if (lifecycle == NULL ||
      !write_edit (self, current, &derive, 0, visited, NULL, &stored, error))
    return FALSE;
  record.kind = cp_activity_get_kind (activity);
  record.occurred_at = cp_activity_get_occurred_at (activity);
  record.detail = cp_activity_get_detail (activity);
  _cp_lead_store_emit_changed (self, cp_activity_get_lead_id (activity), CP_LEAD_CHANGE_UPDATED);
  /* What the activity means comes first; a move brings change automation
   * along, and without one change automation runs on its own. */
  if (!run_automation (self, lifecycle, current, stored, NULL, request, CP_AUTOMATION_ON_ACTIVITY, &record,
                       0, visited, outcome, &moved, NULL, error))
    return FALSE;
  return moved || run_automation (self, lifecycle, current, stored, NULL, request, CP_AUTOMATION_ON_FIELD,
                                  NULL, 0, visited, outcome, &moved, NULL, error);
}

/* For the entries of cp-lead-write-activities.c: the recompute of a lead
 * after its activities were recorded (no automation), and the automation
 * one activity or the change triggers, as _cp_lead_store_write_activity()
 * runs them. */
gboolean
_cp_lead_write_recompute (CpLeadStore          *self,
                          CpLead               *current,
                          const CpWriteRequest *request,
                          GPtrArray            *visited,
                          CpLead              **out_stored,
                          GError              **error)
{
  return write_edit (self, current, request, 0, visited, NULL, out_stored, error);
}

gboolean
_cp_lead_write_automation (CpLeadStore             *self,
                           CpLifecycle             *lifecycle,
                           CpLead                  *before,
                           CpLead                  *stored,
                           const CpWriteRequest    *request,
                           const CpActivityRecord  *activity,
                           GPtrArray               *visited,
                           CpWriteOutcome          *outcome,
                           gboolean                *out_moved,
                           GError                 **error)
{
  return run_automation (self, lifecycle, before, stored, NULL, request,
                         activity != NULL ? CP_AUTOMATION_ON_ACTIVITY : CP_AUTOMATION_ON_FIELD, activity, 0,
                         visited, outcome, out_moved, NULL, error);
}

/**
 * _cp_lead_store_write_inactivity:
 * @out_moved: (out): whether the playbook moved the lead
 *
 * Runs the playbook's inactivity automation on one lead as of the
 * request's time (a lead quiet too long goes to reactivation, with the
 * rule as the reason: never a deletion). Must run inside a transaction.
 */
gboolean
_cp_lead_store_write_inactivity (CpLeadStore          *self,
                                 const char           *id,
                                 const CpWriteRequest *request,
                                 CpWriteOutcome       *outcome,
                                 gboolean             *out_moved,
                                 GError              **error)
{
  g_autoptr(CpLead) lead = NULL;
  g_autoptr(GPtrArray) visited = NULL;
  CpLifecycle *lifecycle;

  g_return_val_if_fail (cp_database_in_transaction (self->database), FALSE);
  if (!_cp_database_check_writable (self->database, error))
    return FALSE;

  *out_moved = FALSE;
  lifecycle = _cp_lead_store_lifecycle (self, request->now, error);
  if (lifecycle == NULL)
    return FALSE;
  lead = cp_lead_store_get (self, id, error);
  if (lead == NULL)
    return FALSE;
  visited = visited_new (cp_lead_get_stage (lead));
  return run_automation (self, lifecycle, NULL, lead, NULL, request, CP_AUTOMATION_ON_INACTIVITY, NULL, 0,
                         visited, outcome, out_moved, NULL, error);
}

/* ---- a new lead ---- */

static gboolean
refuse_computed_values (CpLead  *lead,
                        GError **error)
{
  for (CpLeadField f = 0; f < CP_LEAD_N_FIELDS; f++)
    if (cp_lead_field_is_computed (f) && cp_lead_field_changed (lead, f))
      return cp_lifecycle_refuse_computed (f, error);
  return TRUE;
}

/* One audit row for the creation says who got the lead (the owner, or
 * the queue when nobody is in it) and why: what “newly assigned to me” is
 * read from. */
static gboolean
audit_creation (CpLeadStore          *self,
                CpLead               *lead,
                const char           *route_reason,
                const CpWriteRequest *request,
                gint64                created_at,
                GError              **error)
{
  gboolean has_owner = cp_lead_get_text (lead, CP_LEAD_FIELD_OWNER) != NULL;
  const char *given = cp_lead_get_text (lead, has_owner ? CP_LEAD_FIELD_OWNER : CP_LEAD_FIELD_QUEUE);
  g_autofree char *why = route_reason != NULL && request->reason != NULL
    ? g_strdup_printf ("%s; %s", request->reason, route_reason)
    : g_strdup (route_reason != NULL ? route_reason : request->reason);

  return _cp_lead_store_write_audit (self, cp_lead_get_id (lead), "create",
                                     given != NULL ? (has_owner ? "owner" : "queue") : NULL,
                                     NULL, given, request->actor, created_at, why, error);
}

/* The stage events of a new lead: its history as given, or its creation. */
static gboolean
write_stage_history (CpLeadStore          *self,
                     CpLead               *lead,
                     GPtrArray            *history,
                     const CpWriteRequest *request,
                     GError              **error)
{
  const char *id = cp_lead_get_id (lead);

  if (history == NULL || history->len == 0)
    return _cp_lead_rows_stage_event (self, id, NULL, cp_lead_get_stage (lead), _("Created"),
                                      request->actor, request->now, error);
  for (guint i = 0; i < history->len; i++)
    {
      CpStageEvent *event = history->pdata[i];

      if (!_cp_lead_rows_stage_event (self, id, event->from_stage, event->to_stage, event->reason,
                                      event->actor, event->device_time, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * _cp_lead_store_write_new:
 * @lead: the new lead; its id, stage and creation time are filled in when
 *   unset, and it holds what was stored afterwards
 * @history: (nullable) (element-type CpStageEvent): how it reached its
 *   stage (a lead created with its past); %NULL: one “Created” event
 * @activities: (nullable) (element-type CpActivity): its past activities
 *
 * The create path: what a lead first seen at a stage must satisfy is that
 * stage's required fields and the conditions of its entry rule on fields
 * (its past is not known here). Must run inside a transaction.
 */
gboolean
_cp_lead_store_write_new (CpLeadStore          *self,
                          CpLead               *lead,
                          GPtrArray            *history,
                          GPtrArray            *activities,
                          const CpWriteRequest *request,
                          CpWriteOutcome       *outcome,
                          GError              **error)
{
  CpLifecycle *lifecycle;
  g_autoptr(CpLead) stored = NULL;
  g_autoptr(GPtrArray) visited = NULL;
  g_auto(CpRuleView) view = { 0, };
  g_autofree char *route_reason = NULL;
  g_autofree char *account_id = NULL;
  g_autoptr(CpLead) moved_lead = NULL;
  g_autoptr(CpRouterState) router_state = NULL;
  const char *id;
  gint64 created_at, stage_entered_at;
  gboolean moved = FALSE;
  gboolean to_link = FALSE;

  g_return_val_if_fail (cp_database_in_transaction (self->database), FALSE);
  if (!_cp_database_check_writable (self->database, error))
    return FALSE;

  if (!refuse_computed_values (lead, error))
    return FALSE;
  lifecycle = _cp_lead_store_lifecycle (self, request->now, error);
  if (lifecycle == NULL)
    return FALSE;

  if (cp_lead_get_id (lead) == NULL)
    {
      g_autofree char *new_id = cp_lead_new_id ();
      cp_lead_set_text (lead, CP_LEAD_FIELD_ID, new_id);
    }
  id = cp_lead_get_id (lead);
  if (cp_lead_get_stage (lead) == NULL)
    cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, cp_lifecycle_first_stage (lifecycle));
  created_at = cp_lead_get_int (lead, CP_LEAD_FIELD_CREATED_AT);
  if (created_at == 0)
    {
      created_at = request->now;
      cp_lead_set_int (lead, CP_LEAD_FIELD_CREATED_AT, created_at);
    }
  stage_entered_at = history != NULL && history->len > 0
    ? ((CpStageEvent *) history->pdata[history->len - 1])->device_time
    : request->now;
  cp_lead_set_stage_entered_at (lead, stage_entered_at);
  if (!_cp_lead_store_prepare (self, lead, error))
    return FALSE;
  _cp_lead_rules_stamp_consent (NULL, lead, request);

  for (guint i = 0; activities != NULL && i < activities->len; i++)
    cp_activity_set_lead_id (activities->pdata[i], id);
  if (!_cp_rule_view_init (self, &view, lead, FALSE, activities, request->now, error) ||
      !cp_lifecycle_check_closure (lifecycle, &view.record, error))
    return FALSE;
  if (!_cp_lead_rules_route (self, lifecycle, lead, NULL, cp_lead_get_text (lead, CP_LEAD_FIELD_OWNER) != NULL,
                   &view.input, &route_reason, &router_state, error))
    return FALSE;
  _cp_rule_view_refresh (&view, lead);
  view.input.history_unknown = TRUE;
  if (!_cp_lead_rules_check_transition (lifecycle, &view, NULL, cp_lead_get_stage (lead), error))
    return FALSE;
  view.input.history_unknown = FALSE;

  _cp_lead_rules_derive (lifecycle, lead, &view, stage_entered_at);
  cp_lead_set_int (lead, CP_LEAD_FIELD_UPDATED_AT, MAX (request->now, created_at));

  /* Everything is judged: from here on it is written, the row first (a
   * refusal of the database itself, a duplicate id, leaves nothing). */
  if (!_cp_lead_rows_find_account (self, lead, &account_id, &to_link, error) ||
      !_cp_lead_rows_insert (self, lead, account_id, error) ||
      (router_state != NULL && !_cp_lead_rules_save_route (self, router_state, error)) ||
      (to_link && !_cp_lead_rows_link_account (self, lead, request->now, error)) ||
      !_cp_lead_rows_custom_fields (self, NULL, lead, request, error))
    return FALSE;
  if (!audit_creation (self, lead, route_reason, request, created_at, error) ||
      !write_stage_history (self, lead, history, request, error))
    return FALSE;
  for (guint i = 0; activities != NULL && i < activities->len; i++)
    if (!_cp_lead_store_insert_activity (self, activities->pdata[i], error))
      return FALSE;
  if (!_cp_task_write_after_lead (self, lifecycle, NULL, lead, request, error))
    return FALSE;
  if (!(request->flags & (CP_WRITE_FROM_CRM | CP_WRITE_BATCH)) &&
      !_cp_sync_outbox_enqueue (self->database, id, "create", NULL, request->now, error))
    return FALSE;
  if (!_cp_lead_write_rescore_accounts (self, lifecycle, NULL, lead, request, error))
    return FALSE;

  _cp_lead_mark_pristine (lead);
  if (!(request->flags & CP_WRITE_BULK))
    _cp_lead_store_emit_changed (self, id, CP_LEAD_CHANGE_CREATED);

  visited = visited_new (cp_lead_get_stage (lead));
  stored = cp_lead_copy (lead);
  _cp_rule_view_refresh (&view, stored);
  if (!run_automation (self, lifecycle, NULL, stored, &view, request, CP_AUTOMATION_ON_FIELD, NULL, 0,
                       visited, outcome, &moved, &moved_lead, error))
    return FALSE;
  /* The lead as the playbook's moves left it (as stored: not read again). */
  if (moved)
    _cp_lead_assign (lead, moved_lead);
  return TRUE;
}

/**
 * _cp_lead_store_check_move:
 *
 * What a move would meet, without writing: the same checks a move makes.
 *
 * Returns: (transfer full): the verdict, or %NULL with @error set
 */
CpMoveCheck *
_cp_lead_store_check_move (CpLeadStore  *self,
                           const char   *id,
                           const char   *to_stage,
                           gint64        now,
                           GError      **error)
{
  g_autoptr(CpLead) lead = NULL;
  g_auto(CpRuleView) view = { 0, };
  CpLifecycle *lifecycle;

  lifecycle = _cp_lead_store_lifecycle (self, now, error);
  if (lifecycle == NULL)
    return NULL;
  lead = cp_lead_store_get (self, id, error);
  if (lead == NULL || !_cp_rule_view_init (self, &view, lead, TRUE, NULL, now, error))
    return NULL;
  return cp_transition_check (cp_lifecycle_get_playbook (lifecycle), &view.input, to_stage);
}
