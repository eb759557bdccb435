/* cp-playbook-editor-routing.c — changes to the draft: routing rules, queue owners, automation
 *
 * Each change goes through the editor's commit: checked whole by the
 * engine, saved at once, undoable (see cp-playbook-editor.c).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-playbook-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-playbook-editor-private.h"

/* ---- routing ---- */

static int
route_index (CpPlaybook *playbook,
             const char *route_id)
{
  for (guint i = 0; route_id != NULL && i < playbook->route_rules->len; i++)
    if (g_strcmp0 (((CpRouteRule *) playbook->route_rules->pdata[i])->id, route_id) == 0)
      return (int) i;
  return -1;
}

/**
 * cp_playbook_editor_save_route:
 * @route_id: (nullable): the routing rule to change, or %NULL for a new
 *   one (added last, before nothing: the first match wins)
 * @condition: (nullable): when it applies; %NULL: always
 * @queue: the queue it sends leads to
 *
 * Returns: (transfer full) (nullable): the rule's id
 */
char *
cp_playbook_editor_save_route (CpPlaybookEditor  *self,
                               const char        *route_id,
                               const char        *description,
                               const CpCondition *condition,
                               const char        *queue,
                               GError           **error)
{
  g_autoptr(CpPlaybook) playbook = NULL;
  g_autofree char *clean = g_strstrip (g_strdup (description != NULL ? description : ""));
  g_autofree char *id = NULL;
  CpRouteRule *rule;
  int index;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), NULL);

  if (*clean == '\0')
    {
      g_set_error_literal (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                           _("Describe the routing rule."));
      return NULL;
    }
  playbook = _cp_playbook_editor_working_copy (self);
  if (queue == NULL || cp_playbook_get_queue (playbook, queue) == NULL)
    {
      g_set_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                   _("The playbook has no queue “%s”."), queue != NULL ? queue : "");
      return NULL;
    }
  index = route_index (playbook, route_id);
  if (route_id != NULL && index < 0)
    {
      g_set_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_NOT_FOUND,
                   _("The playbook has no routing rule “%s”."), route_id);
      return NULL;
    }
  if (index < 0)
    {
      g_autofree char *base = cp_custom_key_from_label (clean);

      id = g_strdup (base != NULL ? base : "route");
      for (guint n = 2; route_index (playbook, id) >= 0; n++)
        {
          g_free (id);
          id = g_strdup_printf ("%s_%u", base != NULL ? base : "route", n);
        }
      rule = cp_route_rule_new (id);
      g_ptr_array_add (playbook->route_rules, rule);
    }
  else
    {
      rule = playbook->route_rules->pdata[index];
      id = g_strdup (rule->id);
    }
  g_free (rule->description);
  rule->description = g_steal_pointer (&clean);
  g_free (rule->queue);
  rule->queue = g_strdup (queue);
  g_clear_pointer (&rule->condition, cp_condition_free);
  rule->condition = condition != NULL ? cp_condition_copy (condition) : NULL;
  if (!_cp_playbook_editor_commit (self, g_steal_pointer (&playbook), error))
    return NULL;
  return g_steal_pointer (&id);
}

gboolean
cp_playbook_editor_remove_route (CpPlaybookEditor  *self,
                                 const char        *route_id,
                                 GError           **error)
{
  g_autoptr(CpPlaybook) playbook = NULL;
  int index;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), FALSE);

  playbook = _cp_playbook_editor_working_copy (self);
  index = route_index (playbook, route_id);
  if (index < 0)
    {
      g_set_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_NOT_FOUND,
                   _("The playbook has no routing rule “%s”."), route_id);
      return FALSE;
    }
  g_ptr_array_remove_index (playbook->route_rules, (guint) index);
  return _cp_playbook_editor_commit (self, g_steal_pointer (&playbook), error);
}

/* The order matters: the first rule that matches routes the lead. */
gboolean
cp_playbook_editor_move_route (CpPlaybookEditor  *self,
                               const char        *route_id,
                               guint              position,
                               GError           **error)
{
  g_autoptr(CpPlaybook) playbook = NULL;
  gpointer rule;
  int index;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), FALSE);

  playbook = _cp_playbook_editor_working_copy (self);
  index = route_index (playbook, route_id);
  if (index < 0)
    {
      g_set_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_NOT_FOUND,
                   _("The playbook has no routing rule “%s”."), route_id);
      return FALSE;
    }
  position = MIN (position, playbook->route_rules->len - 1);
  rule = g_ptr_array_steal_index (playbook->route_rules, (guint) index);
  g_ptr_array_insert (playbook->route_rules, (int) position, rule);
  return _cp_playbook_editor_commit (self, g_steal_pointer (&playbook), error);
}

/**
 * cp_playbook_editor_set_queue_owners:
 * @owners: (array zero-terminated=1): who takes the queue's leads, in turn
 */
gboolean
cp_playbook_editor_set_queue_owners (CpPlaybookEditor    *self,
                                     const char          *queue_id,
                                     const char * const  *owners,
                                     GError             **error)
{
  g_autoptr(CpPlaybook) playbook = NULL;
  g_autoptr(GStrvBuilder) clean = g_strv_builder_new ();
  CpQueue *queue = NULL;
  guint n = 0;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), FALSE);

  for (guint i = 0; owners != NULL && owners[i] != NULL; i++)
    {
      g_autofree char *owner = g_strstrip (g_strdup (owners[i]));

      if (*owner == '\0')
        continue;
      g_strv_builder_add (clean, owner);
      n++;
    }
  if (n == 0)
    {
      g_set_error_literal (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                           _("A queue needs at least one owner to take its leads."));
      return FALSE;
    }
  playbook = _cp_playbook_editor_working_copy (self);
  for (guint i = 0; i < playbook->queues->len; i++)
    if (g_strcmp0 (((CpQueue *) playbook->queues->pdata[i])->id, queue_id) == 0)
      queue = playbook->queues->pdata[i];
  if (queue == NULL)
    {
      g_set_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_NOT_FOUND,
                   _("The playbook has no queue “%s”."), queue_id);
      return FALSE;
    }
  g_strfreev (queue->owners);
  queue->owners = g_strv_builder_end (clean);
  return _cp_playbook_editor_commit (self, g_steal_pointer (&playbook), error);
}

/* ---- automation ---- */

static int
automation_index (CpPlaybook *playbook,
                  const char *rule_id)
{
  for (guint i = 0; rule_id != NULL && i < playbook->automation->len; i++)
    if (g_strcmp0 (((CpAutomationRule *) playbook->automation->pdata[i])->id, rule_id) == 0)
      return (int) i;
  return -1;
}

/**
 * cp_playbook_editor_save_automation:
 * @rule_id: (nullable): the automation rule to change, or %NULL for a new one
 * @trigger: what sets it off
 * @kind_mask: with %CP_AUTOMATION_ON_ACTIVITY, the activity kinds (0: any)
 * @inactive_days: with %CP_AUTOMATION_ON_INACTIVITY, how long nothing happened
 * @condition: (nullable): what must also hold (copied)
 * @to_stage: the stage it proposes
 *
 * The move is only proposed; people confirm it. The stages it applies
 * from stay as they were (all, for a new rule).
 *
 * Returns: (transfer full) (nullable): the rule's id
 */
char *
cp_playbook_editor_save_automation (CpPlaybookEditor    *self,
                                    const char          *rule_id,
                                    const char          *description,
                                    CpAutomationTrigger  trigger,
                                    guint32              kind_mask,
                                    guint                inactive_days,
                                    const CpCondition   *condition,
                                    const char          *to_stage,
                                    GError             **error)
{
  g_autoptr(CpPlaybook) playbook = NULL;
  g_autofree char *clean = g_strstrip (g_strdup (description != NULL ? description : ""));
  g_autofree char *id = NULL;
  CpAutomationRule *rule;
  int index;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), NULL);

  if (*clean == '\0')
    {
      g_set_error_literal (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                           _("Describe the automation rule."));
      return NULL;
    }
  if (trigger == CP_AUTOMATION_ON_INACTIVITY && inactive_days == 0)
    {
      g_set_error_literal (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                           _("Say after how many days without activity the rule applies."));
      return NULL;
    }
  if (trigger == CP_AUTOMATION_ON_FIELD && condition == NULL)
    {
      g_set_error_literal (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                           _("A rule on a field change needs the condition the field must meet."));
      return NULL;
    }
  playbook = _cp_playbook_editor_working_copy (self);
  if (to_stage == NULL || cp_playbook_get_stage (playbook, to_stage) == NULL)
    {
      g_set_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                   _("The playbook has no stage “%s”."), to_stage != NULL ? to_stage : "");
      return NULL;
    }
  index = automation_index (playbook, rule_id);
  if (rule_id != NULL && index < 0)
    {
      g_set_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_NOT_FOUND,
                   _("The playbook has no automation rule “%s”."), rule_id);
      return NULL;
    }
  if (index < 0)
    {
      g_autofree char *base = cp_custom_key_from_label (clean);

      id = g_strdup (base != NULL ? base : "automation");
      for (guint n = 2; automation_index (playbook, id) >= 0; n++)
        {
          g_free (id);
          id = g_strdup_printf ("%s_%u", base != NULL ? base : "automation", n);
        }
      rule = cp_automation_rule_new (id);
      g_ptr_array_add (playbook->automation, rule);
    }
  else
    {
      rule = playbook->automation->pdata[index];
      id = g_strdup (rule->id);
    }
  g_free (rule->description);
  rule->description = g_steal_pointer (&clean);
  rule->trigger = trigger;
  rule->kind_mask = trigger == CP_AUTOMATION_ON_ACTIVITY ? kind_mask : 0;
  rule->inactive_days = trigger == CP_AUTOMATION_ON_INACTIVITY ? inactive_days : 0;
  g_clear_pointer (&rule->condition, cp_condition_free);
  rule->condition = condition != NULL ? cp_condition_copy (condition) : NULL;
  g_free (rule->to_stage);
  rule->to_stage = g_strdup (to_stage);
  if (!_cp_playbook_editor_commit (self, g_steal_pointer (&playbook), error))
    return NULL;
  return g_steal_pointer (&id);
}

gboolean
cp_playbook_editor_remove_automation (CpPlaybookEditor  *self,
                                      const char        *rule_id,
                                      GError           **error)
{
  g_autoptr(CpPlaybook) playbook = NULL;
  int index;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), FALSE);

  playbook = _cp_playbook_editor_working_copy (self);
  index = automation_index (playbook, rule_id);
  if (index < 0)
    {
      g_set_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_NOT_FOUND,
                   _("The playbook has no automation rule “%s”."), rule_id);
      return FALSE;
    }
  g_ptr_array_remove_index (playbook->automation, (guint) index);
  return _cp_playbook_editor_commit (self, g_steal_pointer (&playbook), error);
}
