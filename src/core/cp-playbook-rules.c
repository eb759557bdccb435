/* cp-playbook-rules.c — questions about a playbook as a whole: what its rules read, where a
 * lead moves on to
 *
 * Pure rules, no storage: the store's readers of every lead (rescore,
 * impact of a draft, lifecycle check) ask these.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-playbook-rules"

#include "config.h"

#include "cp-playbook-rules.h"

static void
reads_add_condition (CpPlaybookReads   *reads,
                     const CpCondition *condition)
{
  if (condition == NULL)
    return;
  if (condition->type == CP_CONDITION_FIELD && condition->field < CP_LEAD_N_FIELDS)
    reads->fields |= CP_PLAYBOOK_READS_FIELD (condition->field);
  reads->detail |= cp_condition_uses_activity_detail (condition);
  reads->custom |= cp_condition_uses_custom_fields (condition);
  for (guint i = 0; i < condition->n_children; i++)
    reads_add_condition (reads, condition->children[i]);
}

/**
 * cp_playbook_reads_add_scoring:
 * @reads: what is read so far
 *
 * Adds what scoring with @playbook reads: the fields and activity details
 * its rules' conditions look at, and the stage, last activity and
 * creation time (stage overrides and decay).
 */
void
cp_playbook_reads_add_scoring (CpPlaybookReads *reads,
                               CpPlaybook      *playbook)
{
  g_return_if_fail (reads != NULL && playbook != NULL);

  for (guint i = 0; i < playbook->scoring.rules->len; i++)
    reads_add_condition (reads, ((CpScoreRule *)
                                 g_ptr_array_index (playbook->scoring.rules, i))->condition);
  reads->fields |= CP_PLAYBOOK_READS_FIELD (CP_LEAD_FIELD_STAGE) |
                   CP_PLAYBOOK_READS_FIELD (CP_LEAD_FIELD_LAST_ACTIVITY_AT) |
                   CP_PLAYBOOK_READS_FIELD (CP_LEAD_FIELD_CREATED_AT);
}

/**
 * cp_playbook_reads_add_everything:
 * @reads: what is read so far
 *
 * Adds what scoring, routing and stage moves with @playbook read (a
 * preview of a draft): entry and exit rules and required fields too.
 */
void
cp_playbook_reads_add_everything (CpPlaybookReads *reads,
                                  CpPlaybook      *playbook)
{
  g_return_if_fail (reads != NULL && playbook != NULL);

  cp_playbook_reads_add_scoring (reads, playbook);
  for (guint i = 0; i < playbook->route_rules->len; i++)
    reads_add_condition (reads,
                         ((CpRouteRule *) g_ptr_array_index (playbook->route_rules, i))->condition);
  for (guint i = 0; i < playbook->stages->len; i++)
    {
      const CpStage *stage = g_ptr_array_index (playbook->stages, i);

      reads_add_condition (reads, stage->entry);
      reads_add_condition (reads, stage->exit);
      for (guint r = 0; stage->required_fields != NULL && stage->required_fields[r] != NULL; r++)
        {
          CpLeadField field;

          /* Canonical fields only (cp_playbook_validate()). */
          if (cp_lead_field_from_name (stage->required_fields[r], &field))
            reads->fields |= CP_PLAYBOOK_READS_FIELD (field);
        }
    }
}

void
cp_playbook_reads_add_field (CpPlaybookReads *reads,
                             CpLeadField      field)
{
  g_return_if_fail (reads != NULL && field < CP_LEAD_N_FIELDS);

  reads->fields |= CP_PLAYBOOK_READS_FIELD (field);
}

/**
 * cp_playbook_next_open_stage:
 * @stage_id: (nullable): a stage of @playbook
 *
 * Returns: (nullable): the first open stage after @stage_id in the
 *   playbook's order, or %NULL when there is none or @stage_id is not
 *   one of the playbook's stages
 */
const CpStage *
cp_playbook_next_open_stage (CpPlaybook *playbook,
                             const char *stage_id)
{
  gboolean seen = FALSE;

  g_return_val_if_fail (playbook != NULL, NULL);

  for (guint i = 0; stage_id != NULL && i < playbook->stages->len; i++)
    {
      const CpStage *stage = g_ptr_array_index (playbook->stages, i);

      if (seen && !stage->closed)
        return stage;
      seen |= g_strcmp0 (stage->id, stage_id) == 0;
    }
  return NULL;
}

/**
 * cp_playbook_blocks_moving_on:
 * @input: the lead, its activities and the time
 * @stage_id: (nullable): the lead's stage
 *
 * Returns: %TRUE if the lead could not move on to the next open stage
 *   (cp_playbook_next_open_stage()): required fields are missing, or the
 *   exit rule of its stage or the entry rule of the next one does not
 *   hold; %FALSE if it could, or there is no next open stage
 */
gboolean
cp_playbook_blocks_moving_on (CpPlaybook       *playbook,
                              CpConditionInput *input,
                              const char       *stage_id)
{
  const CpStage *next;
  g_autoptr(CpMoveCheck) check = NULL;

  g_return_val_if_fail (playbook != NULL && input != NULL, FALSE);

  next = cp_playbook_next_open_stage (playbook, stage_id);
  if (next == NULL)
    return FALSE;
  check = cp_transition_check (playbook, input, next->id);
  return check->verdict == CP_MOVE_MISSING_FIELDS || check->verdict == CP_MOVE_BLOCKED_BY_EXIT ||
         check->verdict == CP_MOVE_BLOCKED_BY_ENTRY;
}
