/* cp-automation.c — stage moves the playbook proposes on new activity or inactivity
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-automation"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-automation.h"
#include "cp-transition.h"

void
cp_proposed_move_free (CpProposedMove *move)
{
  if (move == NULL)
    return;
  g_free (move->rule_id);
  g_free (move->from_stage);
  g_free (move->to_stage);
  g_free (move->reason);
  g_free (move->blocked_message);
  g_free (move);
}

static gboolean
applies_from (const CpAutomationRule *rule,
              const char             *stage)
{
  if (g_strcmp0 (rule->to_stage, stage) == 0)
    return FALSE;
  if (rule->from_stages == NULL || rule->from_stages[0] == NULL)
    return TRUE;
  return stage != NULL && g_strv_contains ((const char * const *) rule->from_stages, stage);
}

static void
propose (CpPlaybook             *playbook,
         CpConditionInput       *input,
         const CpAutomationRule *rule,
         const char             *trigger_text,
         GPtrArray              *moves)
{
  g_autoptr(CpMoveCheck) check = NULL;
  CpProposedMove *move;
  GString *reason;

  if (rule->condition != NULL && !cp_condition_evaluate (rule->condition, input))
    return;

  check = cp_transition_check (playbook, input, rule->to_stage);
  move = g_new0 (CpProposedMove, 1);
  move->rule_id = g_strdup (rule->id);
  move->from_stage = g_strdup (input->lead->text[CP_LEAD_FIELD_STAGE]);
  move->to_stage = g_strdup (rule->to_stage);
  reason = g_string_new (rule->description != NULL ? rule->description : rule->id);
  g_string_append_printf (reason, " (%s", trigger_text);
  if (rule->condition != NULL)
    {
      g_autofree char *text = cp_condition_to_string (rule->condition);

      g_string_append_printf (reason, _("; %s"), text);
    }
  g_string_append_c (reason, ')');
  move->reason = g_string_free (reason, FALSE);
  move->allowed = check->verdict == CP_MOVE_ALLOWED;
  if (!move->allowed)
    move->blocked_message = g_strdup (check->message);
  g_ptr_array_add (moves, move);
}

/**
 * cp_automation_on_activity:
 * @input: the lead and its activities, @activity included
 * @activity: the activity that just arrived
 *
 * Returns: (transfer full) (element-type CpProposedMove): the moves the
 *   playbook proposes, in rule order; the first allowed one is the one to apply
 */
GPtrArray *
cp_automation_on_activity (CpPlaybook             *playbook,
                           CpConditionInput       *input,
                           const CpActivityRecord *activity)
{
  GPtrArray *moves = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_proposed_move_free);
  g_autofree char *trigger = NULL;

  g_return_val_if_fail (playbook != NULL && input != NULL && activity != NULL, moves);

  trigger = g_strdup_printf (_("after “%s”"), cp_activity_kind_label (activity->kind));
  for (guint i = 0; i < playbook->automation->len; i++)
    {
      CpAutomationRule *rule = g_ptr_array_index (playbook->automation, i);

      if (rule->trigger != CP_AUTOMATION_ON_ACTIVITY ||
          (rule->kind_mask != 0 && (rule->kind_mask & (1u << activity->kind)) == 0) ||
          !applies_from (rule, input->lead->text[CP_LEAD_FIELD_STAGE]))
        continue;
      propose (playbook, input, rule, trigger, moves);
    }
  return moves;
}

/**
 * cp_automation_on_inactivity:
 *
 * Returns: (transfer full) (element-type CpProposedMove): moves for leads
 *   that have been quiet too long (to reactivation — never a deletion)
 */
GPtrArray *
cp_automation_on_inactivity (CpPlaybook       *playbook,
                             CpConditionInput *input)
{
  GPtrArray *moves = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_proposed_move_free);

  g_return_val_if_fail (playbook != NULL && input != NULL, moves);

  for (guint i = 0; i < playbook->automation->len; i++)
    {
      CpAutomationRule *rule = g_ptr_array_index (playbook->automation, i);
      g_autoptr(CpCondition) quiet = NULL;
      g_autofree char *trigger = NULL;

      if (rule->trigger != CP_AUTOMATION_ON_INACTIVITY ||
          !applies_from (rule, input->lead->text[CP_LEAD_FIELD_STAGE]))
        continue;
      quiet = cp_condition_new_inactive (rule->inactive_days);
      if (!cp_condition_evaluate (quiet, input))
        continue;
      trigger = g_strdup_printf (ngettext ("no activity for %u day", "no activity for %u days",
                                           rule->inactive_days), rule->inactive_days);
      propose (playbook, input, rule, trigger, moves);
    }
  return moves;
}

/**
 * cp_automation_on_change:
 *
 * Returns: (transfer full) (element-type CpProposedMove): moves proposed by
 *   field rules after the lead was edited (e.g. closure outcome won → onboarding)
 */
GPtrArray *
cp_automation_on_change (CpPlaybook       *playbook,
                         CpConditionInput *input)
{
  GPtrArray *moves = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_proposed_move_free);

  g_return_val_if_fail (playbook != NULL && input != NULL, moves);

  for (guint i = 0; i < playbook->automation->len; i++)
    {
      CpAutomationRule *rule = g_ptr_array_index (playbook->automation, i);

      if (rule->trigger != CP_AUTOMATION_ON_FIELD ||
          !applies_from (rule, input->lead->text[CP_LEAD_FIELD_STAGE]))
        continue;
      propose (playbook, input, rule, _("after an edit"), moves);
    }
  return moves;
}
