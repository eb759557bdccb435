/* cp-lifecycle.c — what the playbook makes of a lead: the checks a change passes, the fields it
 * computes, the moves it triggers
 *
 * Pure rules, no storage: the store's write path reads the lead, asks
 * these functions, and writes what they answer, all in one transaction.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lifecycle"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-lifecycle.h"
#include "cp-router.h"

struct _CpLifecycle
{
  gatomicrefcount  ref_count;
  CpPlaybook      *playbook;
  gint64           version;
  CpScorer        *scorer;
  guint            account_limit;
  GMutex           lock;
  GHashTable      *route_reasons;   /* rule id (or "") + fallback → why, in words */
};

/**
 * cp_lifecycle_new:
 * @playbook: the playbook in effect
 * @version: its version id (0: the built-in default)
 *
 * Returns: (transfer full): @playbook ready to judge writes
 */
CpLifecycle *
cp_lifecycle_new (CpPlaybook *playbook,
                  gint64      version)
{
  CpLifecycle *self;

  g_return_val_if_fail (playbook != NULL, NULL);

  self = g_new0 (CpLifecycle, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->playbook = cp_playbook_ref (playbook);
  self->version = version;
  self->scorer = cp_scorer_new (playbook);
  self->account_limit = cp_playbook_account_contacts_limit (playbook);
  g_mutex_init (&self->lock);
  self->route_reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

/**
 * cp_lifecycle_account_matters:
 * @engaged_others: engaged contacts of an organization, one contact apart
 *
 * Returns: %TRUE if that contact becoming engaged, or no longer, can
 *   change what the playbook computes for the organization's others
 *   (see cp_playbook_account_contacts_limit())
 */
gboolean
cp_lifecycle_account_matters (CpLifecycle *self,
                              guint        engaged_others)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->account_limit > 0 && engaged_others <= self->account_limit;
}

/**
 * cp_lifecycle_account_cap:
 *
 * Returns: how many engaged contacts of an organization need counting
 *   for the playbook to compute the same as with all of them: 0 when it
 *   never looks, %G_MAXUINT when every one counts
 */
guint
cp_lifecycle_account_cap (CpLifecycle *self)
{
  g_return_val_if_fail (self != NULL, G_MAXUINT);

  if (self->account_limit == 0 || self->account_limit == G_MAXUINT)
    return self->account_limit;
  return self->account_limit + 1;
}

CpLifecycle *
cp_lifecycle_ref (CpLifecycle *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cp_lifecycle_unref (CpLifecycle *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  cp_scorer_free (self->scorer);
  cp_playbook_unref (self->playbook);
  g_hash_table_unref (self->route_reasons);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/**
 * cp_lifecycle_route_reason:
 * @route: a route of the lifecycle's playbook (cp_router_route_quickly())
 *
 * Returns: (transfer full): why the lead went where @route says, worded
 *   once per rule for the life of the playbook version
 */
char *
cp_lifecycle_route_reason (CpLifecycle   *self,
                           const CpRoute *route)
{
  g_autofree char *key = NULL;
  const char *reason;
  char *copy;

  g_return_val_if_fail (self != NULL && route != NULL, NULL);

  key = g_strdup_printf ("%s|%d", route->rule_id != NULL ? route->rule_id : "", route->fallback);
  g_mutex_lock (&self->lock);
  reason = g_hash_table_lookup (self->route_reasons, key);
  if (reason == NULL)
    {
      char *worded = cp_router_explain (self->playbook, route);

      g_hash_table_insert (self->route_reasons, g_steal_pointer (&key), worded);
      reason = worded;
    }
  copy = g_strdup (reason);
  g_mutex_unlock (&self->lock);
  return copy;
}

CpPlaybook *
cp_lifecycle_get_playbook (CpLifecycle *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->playbook;
}

gint64
cp_lifecycle_get_version (CpLifecycle *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->version;
}

/**
 * cp_lifecycle_first_stage:
 *
 * Returns: where a lead starts when nobody says otherwise: the first open
 *   stage of the playbook
 */
const char *
cp_lifecycle_first_stage (CpLifecycle *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->playbook->stages->len; i++)
    {
      const CpStage *stage = g_ptr_array_index (self->playbook->stages, i);

      if (!stage->closed)
        return stage->id;
    }
  return ((const CpStage *) g_ptr_array_index (self->playbook->stages, 0))->id;
}

/**
 * cp_lifecycle_first_response:
 * @input: the lead and its activities
 * @since: when the response clock started (the lead entered its stage)
 *
 * Returns: the time of the first response (cp_activity_kind_is_response(),
 *   and not inbound: the lead calling in is not the team responding) at or
 *   after @since, or 0
 */
gint64
cp_lifecycle_first_response (const CpConditionInput *input,
                             gint64                  since)
{
  gint64 first = 0;

  g_return_val_if_fail (input != NULL, 0);

  for (guint i = 0; i < input->n_activities; i++)
    {
      const CpActivityRecord *activity = &input->activities[i];

      if (!cp_activity_kind_is_response (activity->kind) || activity->inbound ||
          activity->occurred_at < since)
        continue;
      if (first == 0 || activity->occurred_at < first)
        first = activity->occurred_at;
    }
  return first;
}

/**
 * cp_lifecycle_derive:
 * @input: the lead as it will be stored, its activities, its account's
 *   engagement and the time
 * @stage_entered_at: when the lead entered its stage: the response clock
 *   starts then
 * @out: (out caller-allocates): the computed fields
 *
 * Scores the lead, starts its response SLA clock in its location's
 * business hours (weekends, nights and holidays do not count), and finds
 * its first response and last activity.
 */
void
cp_lifecycle_derive (CpLifecycle      *self,
                     CpConditionInput *input,
                     gint64            stage_entered_at,
                     CpDerivedFields  *out)
{
  g_return_if_fail (self != NULL && input != NULL && out != NULL);

  memset (out, 0, sizeof *out);
  cp_scorer_score (self->scorer, input, &out->score);
  out->sla_due_at = cp_playbook_sla_due_at (self->playbook, input->lead, stage_entered_at);
  out->first_response_at = cp_lifecycle_first_response (input, stage_entered_at);
  for (guint i = 0; i < input->n_activities; i++)
    out->last_activity_at = MAX (out->last_activity_at, input->activities[i].occurred_at);
}

/**
 * cp_lifecycle_queue_for:
 *
 * Returns: the queue routing gives the lead: the one the first matching
 *   rule names when someone is in it, else the fallback queue (as
 *   cp_router_route() decides)
 */
const char *
cp_lifecycle_queue_for (CpLifecycle      *self,
                        CpConditionInput *input)
{
  const CpRouteRule *rule;
  const CpQueue *queue;

  g_return_val_if_fail (self != NULL && input != NULL, NULL);

  rule = cp_router_match_rule (self->playbook, input);
  queue = rule != NULL ? cp_playbook_get_queue (self->playbook, rule->queue) : NULL;
  if (queue != NULL && queue->owners != NULL && queue->owners[0] != NULL)
    return queue->id;
  return self->playbook->fallback_queue;
}

static char *
closure_reason_ids (CpPlaybook *playbook)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < playbook->closure_reasons->len; i++)
    {
      CpClosureReason *reason = g_ptr_array_index (playbook->closure_reasons, i);

      g_string_append_printf (ids, "%s%s", i > 0 ? ", " : "", reason->id);
    }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

/**
 * cp_lifecycle_check_closure:
 * @lead: the lead as it would be stored
 *
 * A closure reason must be one of the playbook's, and agree with the
 * closure outcome (a reason that closes as lost on a lead won is refused).
 *
 * Returns: %FALSE with a %CP_CORE_ERROR_REFUSED error in words
 */
gboolean
cp_lifecycle_check_closure (CpLifecycle         *self,
                            const CpLeadRecord  *lead,
                            GError             **error)
{
  const char *reason_id = lead->text[CP_LEAD_FIELD_CLOSURE_REASON];
  const char *outcome = lead->text[CP_LEAD_FIELD_CLOSURE_OUTCOME];
  const CpClosureReason *reason;

  g_return_val_if_fail (self != NULL && lead != NULL, FALSE);

  if (reason_id == NULL)
    return TRUE;
  reason = cp_playbook_get_closure_reason (self->playbook, reason_id);
  if (reason == NULL)
    {
      g_autofree char *ids = closure_reason_ids (self->playbook);

      g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_REFUSED,
                   _("“%s” is not a closure reason of the playbook. Use one of: %s."),
                   reason_id, ids);
      return FALSE;
    }
  if (outcome != NULL && reason->outcome != NULL && g_strcmp0 (outcome, reason->outcome) != 0)
    {
      g_set_error (
          error, CP_CORE_ERROR, CP_CORE_ERROR_REFUSED,
          _("The closure reason “%s” closes a lead as %s, but its closure outcome is %s."),
          reason->title != NULL ? reason->title : reason->id, reason->outcome, outcome);
      return FALSE;
    }
  return TRUE;
}

/**
 * cp_lifecycle_refuse_computed:
 * @field: a field the playbook computes
 *
 * Returns: %FALSE, with a %CP_CORE_ERROR_COMPUTED error naming the field
 */
gboolean
cp_lifecycle_refuse_computed (CpLeadField   field,
                              GError      **error)
{
  const CpFieldInfo *info = cp_lead_field_info (field);

  g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_COMPUTED,
               _("“%s” (%s) is computed by the playbook and cannot be set directly."),
               info->name, _(info->label));
  return FALSE;
}

/**
 * cp_move_check_to_error:
 *
 * Returns: %TRUE when @check allows the move; else %FALSE with a
 *   %CP_CORE_ERROR_REFUSED error holding the check's message
 */
gboolean
cp_move_check_to_error (const CpMoveCheck  *check,
                        GError            **error)
{
  g_return_val_if_fail (check != NULL, FALSE);

  if (check->verdict == CP_MOVE_ALLOWED)
    return TRUE;
  g_set_error_literal (error, CP_CORE_ERROR, CP_CORE_ERROR_REFUSED, check->message);
  return FALSE;
}

/**
 * cp_lifecycle_take_move:
 * @proposals: (element-type CpProposedMove): what automation proposes, in
 *   rule order
 * @visited: (element-type utf8): stages this chain of moves went through;
 *   a move back into one is not taken (no loops)
 * @blocked: (element-type CpProposedMove) (nullable): receives the
 *   proposals the playbook refuses, to be shown
 *
 * Returns: (transfer full) (nullable): the first allowed proposal, taken
 *   out of @proposals
 */
CpProposedMove *
cp_lifecycle_take_move (GPtrArray *proposals,
                        GPtrArray *visited,
                        GPtrArray *blocked)
{
  g_return_val_if_fail (proposals != NULL && visited != NULL, NULL);

  for (guint i = 0; i < proposals->len; i++)
    {
      CpProposedMove *move = proposals->pdata[i];
      gboolean seen = FALSE;

      for (guint v = 0; v < visited->len && !seen; v++)
        seen = g_strcmp0 (visited->pdata[v], move->to_stage) == 0;
      if (seen)
        continue;
      if (move->allowed)
        return g_ptr_array_steal_index (proposals, i);
      if (blocked != NULL)
        {
          g_ptr_array_add (blocked, g_ptr_array_steal_index (proposals, i));
          i--;
        }
    }
  return NULL;
}
