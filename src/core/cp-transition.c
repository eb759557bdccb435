/* cp-transition.c — may a lead move from one stage to another, and if not, why
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-transition"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-transition.h"

void
cp_move_check_free (CpMoveCheck *check)
{
  if (check == NULL)
    return;
  g_free (check->from_stage);
  g_free (check->to_stage);
  g_strfreev (check->missing_fields);
  g_free (check->message);
  g_free (check);
}

static gboolean
field_is_known (const CpLeadRecord *lead,
                CpLeadField         field)
{
  CpFieldType type = cp_lead_field_info (field)->type;

  if (type == CP_FIELD_TYPE_TEXT || type == CP_FIELD_TYPE_CHOICE)
    return lead->text[field] != NULL;
  if (type == CP_FIELD_TYPE_DATETIME)
    return lead->number[field] != 0;
  return TRUE;
}

static const char *
stage_title (const CpStage *stage)
{
  return stage->title != NULL ? stage->title : stage->id;
}

/**
 * cp_transition_check:
 * @playbook: the playbook
 * @input: the lead, its activities and the time
 * @to_stage: the stage id the user wants to move the lead to
 *
 * Checks, in order: the target stage exists, the lead is not already there,
 * the target's required fields are known, the current stage's exit rule
 * holds (a closed target skips it: a lead can always be closed), and the
 * target's entry rule holds.
 *
 * Returns: (transfer full): the verdict with a message in words
 */
CpMoveCheck *
cp_transition_check (CpPlaybook       *playbook,
                     CpConditionInput *input,
                     const char       *to_stage)
{
  CpMoveCheck *check;
  const CpStage *from, *to;
  const char *current;

  g_return_val_if_fail (playbook != NULL, NULL);
  g_return_val_if_fail (input != NULL && input->lead != NULL, NULL);
  g_return_val_if_fail (to_stage != NULL, NULL);

  current = input->lead->text[CP_LEAD_FIELD_STAGE];
  check = g_new0 (CpMoveCheck, 1);
  check->from_stage = g_strdup (current);
  check->to_stage = g_strdup (to_stage);
  from = cp_playbook_get_stage (playbook, current);
  to = cp_playbook_get_stage (playbook, to_stage);

  if (to == NULL)
    {
      check->verdict = CP_MOVE_UNKNOWN_STAGE;
      check->message = g_strdup_printf (_("There is no stage “%s” in the playbook."), to_stage);
      return check;
    }
  if (g_strcmp0 (current, to_stage) == 0)
    {
      check->verdict = CP_MOVE_SAME_STAGE;
      check->message = g_strdup_printf (_("The lead is already in “%s”."), stage_title (to));
      return check;
    }

  if (to->required_fields != NULL)
    {
      g_autoptr(GStrvBuilder) missing = g_strv_builder_new ();
      g_autoptr(GString) labels = g_string_new (NULL);
      guint n = 0;

      for (guint i = 0; to->required_fields[i] != NULL; i++)
        {
          CpLeadField field;

          if (!cp_lead_field_from_name (to->required_fields[i], &field) ||
              field_is_known (input->lead, field))
            continue;
          g_strv_builder_add (missing, to->required_fields[i]);
          if (n++ > 0)
            g_string_append (labels, ", ");
          g_string_append (labels, _(cp_lead_field_info (field)->label));
        }
      if (n > 0)
        {
          check->verdict = CP_MOVE_MISSING_FIELDS;
          check->missing_fields = g_strv_builder_end (missing);
          check->message =
              g_strdup_printf (ngettext ("Cannot move to “%s”: %s must be filled in first.",
                                         "Cannot move to “%s”: %s must be filled in first.", n),
                               stage_title (to), labels->str);
          return check;
        }
    }

  if (from != NULL && !to->closed && from->exit != NULL &&
      !cp_condition_evaluate (from->exit, input))
    {
      g_autofree char *rule = cp_condition_to_string (from->exit);

      check->verdict = CP_MOVE_BLOCKED_BY_EXIT;
      check->message = g_strdup_printf (_("Cannot leave “%s” yet. Needed first: %s."),
                                        stage_title (from), rule);
      return check;
    }

  if (to->entry != NULL && !cp_condition_evaluate (to->entry, input))
    {
      g_autofree char *rule = cp_condition_to_string (to->entry);

      check->verdict = CP_MOVE_BLOCKED_BY_ENTRY;
      check->message = g_strdup_printf (_("Cannot move to “%s”. Needed first: %s."),
                                        stage_title (to), rule);
      return check;
    }

  check->verdict = CP_MOVE_ALLOWED;
  check->message = g_strdup_printf (_("The lead can move to “%s”."), stage_title (to));
  return check;
}
