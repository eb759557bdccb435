/* cp-lead-write-activities.c — the write path for several activities of one lead at once
 *
 * An attendee list of a webinar series names the same person once per
 * session. Written one by one, each row reads the lead, recomputes it,
 * writes it and runs its automation again; here a lead's activities of a
 * batch are recorded together and the lead is recomputed and written once,
 * then each activity's automation runs in time order — the same rules,
 * rows and audit as cp-lead-write.c, which does the work.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-store"

#include "config.h"

#include "cp-database-private.h"
#include "cp-lead-write-private.h"
#include "cp-validate.h"

/* The stages a chain of moves went through (none yet). */
static GPtrArray *
visited_new (void)
{
  GPtrArray *visited = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (visited, NULL);
  return visited;
}

/* The activity that stands for the group's recompute: the first response
 * among the new ones (it completes the response task), else the first. */
static const char *
group_activity_id (GPtrArray *activities,
                   GArray    *fresh)
{
  for (guint i = 0; i < fresh->len; i++)
    {
      CpActivity *activity = activities->pdata[g_array_index (fresh, guint, i)];

      if (cp_activity_kind_is_response (cp_activity_get_kind (activity)))
        return cp_activity_get_id (activity);
    }
  return cp_activity_get_id (activities->pdata[g_array_index (fresh, guint, 0)]);
}

/* Records what is new of @activities (the lead already read as @current),
 * filling @fresh with their positions. Nothing is written when one is
 * refused. */
static gboolean
insert_new_activities (CpLeadStore     *self,
                       CpLead          *current,
                       GPtrArray       *activities,
                       gint64           now,
                       CpWriteOutcome  *outcomes,
                       GArray          *fresh,
                       GError         **error)
{
  for (guint i = 0; i < activities->len; i++)
    {
      CpActivity *activity = activities->pdata[i];

      g_return_val_if_fail (g_strcmp0 (cp_activity_get_lead_id (activity), cp_lead_get_id (current)) == 0,
                            FALSE);
      if (cp_activity_get_occurred_at (activity) == 0)
        cp_activity_set_occurred_at (activity, now);
      if (cp_activity_get_detail (activity) != NULL &&
          !cp_validate_text (cp_activity_get_detail (activity), 10000, TRUE, error))
        return FALSE;
    }
  for (guint i = 0; i < activities->len; i++)
    {
      CpActivity *activity = activities->pdata[i];
      gboolean recorded = FALSE;

      /* Checked one by one: the same activity twice in the group is
       * recorded once (the first is in the table when the second asks). */
      if (cp_activity_get_external_id (activity) != NULL &&
          !_cp_lead_store_activity_recorded (self, cp_activity_get_external_id (activity), &recorded, error))
        return FALSE;
      outcomes[i].duplicate = recorded;
      if (recorded)
        continue;
      if (!_cp_lead_store_insert_activity (self, activity, error))
        return FALSE;
      g_array_append_val (fresh, i);
    }
  return TRUE;
}

/**
 * _cp_lead_store_write_activities:
 * @lead_id: the lead all of @activities are of
 * @activities: (element-type CpActivity): its new activities, in time order
 * @outcomes: (array): one per activity, zeroed by the caller: whether it
 *   was recorded before (its external id), and the moves it made
 *
 * _cp_lead_store_write_activity() for several activities of one lead (an
 * import's batch): the lead is read once, every new activity recorded,
 * the lead recomputed once with all of them (score, first response, last
 * activity) and written once; then the automation each activity triggers
 * runs in time order, and change automation once, as for one activity.
 * With one activity it does what _cp_lead_store_write_activity() does.
 * A refused activity (its detail) refuses the call before anything is
 * written. Must run inside a transaction.
 */
gboolean
_cp_lead_store_write_activities (CpLeadStore          *self,
                                 const char           *lead_id,
                                 GPtrArray            *activities,
                                 const CpWriteRequest *request,
                                 CpWriteOutcome       *outcomes,
                                 GError              **error)
{
  g_autoptr(CpLead) current = NULL;
  g_autoptr(CpLead) before = NULL;
  g_autoptr(CpLead) stored = NULL;
  g_autoptr(GArray) fresh = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) visited = NULL;
  CpWriteRequest derive = *request;
  CpLifecycle *lifecycle;
  gboolean field_done = FALSE;

  g_return_val_if_fail (cp_database_in_transaction (self->database), FALSE);
  g_return_val_if_fail (lead_id != NULL && activities != NULL && outcomes != NULL, FALSE);
  if (!_cp_database_check_writable (self->database, error))
    return FALSE;

  current = cp_lead_store_get (self, lead_id, error);
  if (current == NULL ||
      !insert_new_activities (self, current, activities, request->now, outcomes, fresh, error))
    return FALSE;
  if (fresh->len == 0)
    return TRUE;

  lifecycle = _cp_lead_store_lifecycle (self, request->now, error);
  visited = visited_new ();
  derive.flags |= CP_WRITE_NO_AUTOMATION;
  derive.activity_id = group_activity_id (activities, fresh);
  if (lifecycle == NULL || !_cp_lead_write_recompute (self, current, &derive, visited, &stored, error))
    return FALSE;
  _cp_lead_store_emit_changed (self, lead_id, CP_LEAD_CHANGE_UPDATED);

  before = g_object_ref (current);
  for (guint i = 0; i < fresh->len; i++)
    {
      guint k = g_array_index (fresh, guint, i);
      CpActivity *activity = activities->pdata[k];
      CpActivityRecord record = { 0, };
      gboolean moved = FALSE;

      record.kind = cp_activity_get_kind (activity);
      record.occurred_at = cp_activity_get_occurred_at (activity);
      record.detail = cp_activity_get_detail (activity);
      if (i > 0)
        {
          g_clear_pointer (&visited, g_ptr_array_unref);
          visited = visited_new ();
          g_ptr_array_add (visited, g_strdup (cp_lead_get_stage (stored)));
        }
      if (!_cp_lead_write_automation (self, lifecycle, before, stored, request, &record, visited,
                                      &outcomes[k], &moved, error))
        return FALSE;
      /* Change automation judges the recompute once (a move brings it). */
      if (!moved && !field_done &&
          !_cp_lead_write_automation (self, lifecycle, before, stored, request, NULL, visited, &outcomes[k],
                                      &moved, error))
        return FALSE;
      field_done = TRUE;
      if (moved)
        {
          g_clear_object (&before);
          before = g_steal_pointer (&stored);
          stored = cp_lead_store_get (self, lead_id, error);
          if (stored == NULL)
            return FALSE;
        }
    }
  return TRUE;
}
