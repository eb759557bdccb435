/* cp-stage-event.h — one recorded move of a lead from one stage to another
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* @from_stage is NULL for the event that puts a new lead in its first
 * stage. @synced_time is 0 until the CRM has acknowledged the move. */
typedef struct
{
  char   *id;
  char   *lead_id;
  char   *from_stage;
  char   *to_stage;
  char   *reason;
  char   *actor;
  gint64  device_time;
  gint64  synced_time;
} CpStageEvent;

#define CP_TYPE_STAGE_EVENT (cp_stage_event_get_type ())

GType         cp_stage_event_get_type (void) G_GNUC_CONST;

CpStageEvent *cp_stage_event_new      (void);
CpStageEvent *cp_stage_event_new_full (const char         *id,
                                       const char         *lead_id,
                                       const char         *from_stage,
                                       const char         *to_stage,
                                       const char         *reason,
                                       const char         *actor,
                                       gint64              device_time);
CpStageEvent *cp_stage_event_copy     (const CpStageEvent *event);
void          cp_stage_event_free     (CpStageEvent       *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpStageEvent, cp_stage_event_free)

G_END_DECLS
