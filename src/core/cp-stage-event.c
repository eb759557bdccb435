/* cp-stage-event.c — one recorded move of a lead from one stage to another
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-stage-event"

#include "config.h"

#include "cp-stage-event.h"

G_DEFINE_BOXED_TYPE (CpStageEvent, cp_stage_event, cp_stage_event_copy, cp_stage_event_free)

/**
 * cp_stage_event_new:
 *
 * Returns: (transfer full): an empty event; fill in its fields directly
 */
CpStageEvent *
cp_stage_event_new (void)
{
  return g_new0 (CpStageEvent, 1);
}

CpStageEvent *
cp_stage_event_new_full (const char *id,
                         const char *lead_id,
                         const char *from_stage,
                         const char *to_stage,
                         const char *reason,
                         const char *actor,
                         gint64      device_time)
{
  CpStageEvent *event = cp_stage_event_new ();

  event->id = g_strdup (id);
  event->lead_id = g_strdup (lead_id);
  event->from_stage = g_strdup (from_stage);
  event->to_stage = g_strdup (to_stage);
  event->reason = g_strdup (reason);
  event->actor = g_strdup (actor);
  event->device_time = device_time;
  return event;
}

CpStageEvent *
cp_stage_event_copy (const CpStageEvent *event)
{
  CpStageEvent *copy;

  g_return_val_if_fail (event != NULL, NULL);

  copy = cp_stage_event_new_full (event->id, event->lead_id, event->from_stage,
                                  event->to_stage, event->reason, event->actor,
                                  event->device_time);
  copy->synced_time = event->synced_time;
  return copy;
}

void
cp_stage_event_free (CpStageEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->id);
  g_free (event->lead_id);
  g_free (event->from_stage);
  g_free (event->to_stage);
  g_free (event->reason);
  g_free (event->actor);
  g_free (event);
}
