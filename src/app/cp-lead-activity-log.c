/* cp-lead-activity-log.c — logging activity on a lead: rescoring, proposed moves
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-activity-log"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-automation.h"
#include "cp-lead-activity-log.h"
#include "cp-lead-format.h"
#include "cp-rescore.h"

/**
 * cp_lead_rescore_one:
 * @out_changed: (out) (optional): whether score, category scores or tier changed
 *
 * Scores one lead with its activities and account engagement as of @now
 * and saves what changed (audited like any edit, as @actor).
 */
gboolean
cp_lead_rescore_one (CpLeadStore  *store,
                     CpScorer     *scorer,
                     const char   *lead_id,
                     gint64        now,
                     const char   *actor,
                     gboolean     *out_changed,
                     GError      **error)
{
  g_autoptr(CpLeadSnapshot) snapshot = NULL;
  g_autoptr(CpLead) lead = NULL;
  CpScoreResult result;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), FALSE);
  g_return_val_if_fail (scorer != NULL && lead_id != NULL, FALSE);

  if (out_changed != NULL)
    *out_changed = FALSE;

  snapshot = cp_lead_snapshot_load (store, lead_id, now, error);
  if (snapshot == NULL)
    return FALSE;
  cp_scorer_score (scorer, &snapshot->input, &result);

  lead = cp_lead_copy (snapshot->lead);
  if (cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE) == result.score &&
      g_strcmp0 (cp_lead_get_text (lead, CP_LEAD_FIELD_TIER), result.tier) == 0 &&
      cp_lead_get_int (lead, CP_LEAD_FIELD_FIT_SCORE) == result.category[CP_SCORE_FIT] &&
      cp_lead_get_int (lead, CP_LEAD_FIELD_INTENT_SCORE) == result.category[CP_SCORE_INTENT] &&
      cp_lead_get_int (lead, CP_LEAD_FIELD_READINESS_SCORE) == result.category[CP_SCORE_READINESS])
    return TRUE;

  cp_lead_set_int (lead, CP_LEAD_FIELD_SCORE, result.score);
  cp_lead_set_int (lead, CP_LEAD_FIELD_FIT_SCORE, result.category[CP_SCORE_FIT]);
  cp_lead_set_int (lead, CP_LEAD_FIELD_INTENT_SCORE, result.category[CP_SCORE_INTENT]);
  cp_lead_set_int (lead, CP_LEAD_FIELD_READINESS_SCORE, result.category[CP_SCORE_READINESS]);
  cp_lead_set_text (lead, CP_LEAD_FIELD_TIER, result.tier);
  if (!cp_lead_store_update (store, lead, actor, _("Rescored with the playbook"), error))
    return FALSE;

  if (out_changed != NULL)
    *out_changed = TRUE;
  return TRUE;
}

/**
 * cp_lead_log_activity:
 * @activity: a call, email, meeting, note…; its lead id names the lead
 * @now: the time scoring and automation are evaluated at
 *
 * Records the activity, rescores the lead with @playbook and asks the
 * playbook's automation what the activity means for the lead's stage.
 * Nothing is moved: the caller shows the proposals for confirmation.
 *
 * Returns: (transfer full) (element-type CpProposedMove): the proposed
 *   moves (maybe none), or %NULL with @error when nothing was recorded
 */
GPtrArray *
cp_lead_log_activity (CpLeadStore  *store,
                      CpPlaybook   *playbook,
                      CpActivity   *activity,
                      gint64        now,
                      GError      **error)
{
  g_autoptr(CpScorer) scorer = NULL;
  g_autoptr(CpLeadSnapshot) snapshot = NULL;
  CpActivityRecord record = { 0 };
  const char *lead_id;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), NULL);
  g_return_val_if_fail (playbook != NULL, NULL);
  g_return_val_if_fail (CP_IS_ACTIVITY (activity), NULL);

  lead_id = cp_activity_get_lead_id (activity);
  g_return_val_if_fail (lead_id != NULL, NULL);

  if (cp_activity_get_id (activity) == NULL)
    {
      g_autofree char *id = cp_lead_new_id ();
      cp_activity_set_id (activity, id);
    }
  if (cp_activity_get_occurred_at (activity) == 0)
    cp_activity_set_occurred_at (activity, now);
  if (!cp_lead_store_add_activity (store, activity, error))
    return NULL;

  /* The activity is recorded: a failed rescore must not lose it. */
  scorer = cp_scorer_new (playbook);
  if (!cp_lead_rescore_one (store, scorer, lead_id, now, cp_activity_get_actor (activity),
                            NULL, error))
    return NULL;

  snapshot = cp_lead_snapshot_load (store, lead_id, now, error);
  if (snapshot == NULL)
    return NULL;
  record.kind = cp_activity_get_kind (activity);
  record.occurred_at = cp_activity_get_occurred_at (activity);
  record.detail = cp_activity_get_detail (activity);

  return cp_automation_on_activity (playbook, &snapshot->input, &record);
}

/**
 * cp_activity_kind_channel:
 *
 * Returns: (nullable): the outreach channel an activity of @kind uses
 *   ("phone", "email"), or %NULL when it is not outreach (a note)
 */
const char *
cp_activity_kind_channel (CpActivityKind kind)
{
  switch (kind)
    {
    case CP_ACTIVITY_KIND_CALL:
      return "phone";
    case CP_ACTIVITY_KIND_EMAIL_REPLY:
      return "email";
    default:
      return NULL;
    }
}
