/* cp-business-hours.h — response SLAs counted in a location's business hours
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-playbook.h"

G_BEGIN_DECLS

typedef enum
{
  CP_SLA_NONE,       /* the stage has no SLA */
  CP_SLA_MET,        /* answered in time */
  CP_SLA_ON_TRACK,
  CP_SLA_DUE_SOON,   /* less than an hour left */
  CP_SLA_BREACHED,
  CP_SLA_ESCALATED,  /* breached for longer than the playbook's escalation delay */
} CpSlaState;

gint64      cp_business_hours_add         (const CpBusinessHours *hours,
                                           gint64                 start,
                                           gint64                 seconds);
gint64      cp_playbook_sla_due_at        (CpPlaybook            *playbook,
                                           const CpLeadRecord    *lead,
                                           gint64                 since);
gint64      cp_playbook_business_due_at   (CpPlaybook            *playbook,
                                           const char            *location,
                                           gint64                 since,
                                           guint                  business_hours);
CpSlaState  cp_sla_state                  (gint64                 due_at,
                                           gint64                 first_response_at,
                                           gint64                 now,
                                           guint                  escalate_after_hours);

G_END_DECLS
