/* cp-tick.h — the playbook's time rules, as of a given time: SLA breaches, escalation, inactivity, score decay
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-lead-store.h"

G_BEGIN_DECLS

typedef enum
{
  CP_TICK_BREACHED,    /* the response SLA passed without a response */
  CP_TICK_ESCALATED,   /* … for longer than the playbook's escalation delay */
  CP_TICK_MOVED,       /* inactivity automation moved the lead */
  CP_TICK_TIER,        /* decay changed the lead's tier */
  CP_TICK_ERASED,      /* a retention rule erased the lead (rule: its id) */
} CpTickKind;

/* One thing a tick did to one lead. */
typedef struct
{
  CpTickKind  kind;
  char       *lead_id;
  char       *owner;     /* (nullable) the lead's owner afterwards */
  char       *before;    /* (nullable) stage, tier or owner before */
  char       *after;     /* (nullable) stage, tier or owner after (escalation: the new owner) */
  char       *rule;      /* (nullable) the automation rule, or why */
  gint64      due_at;    /* breached, escalated: when the response was due */
} CpTickChange;

typedef struct
{
  gint64     now;
  GPtrArray *changes;    /* CpTickChange, in the order they happened */
  guint      breached;
  guint      escalated;
  guint      reassigned;
  guint      moved;
  guint      rescored;   /* leads whose score decay changed */
  guint      tier_changes;
  guint      erased;     /* leads erased by retention rules */
  gboolean   decay_refreshed;
} CpTickReport;

/* Decay changes scores slowly (a half-life is days): scores are refreshed
 * at most this often, unless a tick is asked for a given time. */
#define CP_TICK_DECAY_INTERVAL (60 * 60)

void          cp_tick_report_free (CpTickReport *report);
CpTickReport *cp_tick_run         (CpLeadStore  *store,
                                   gint64        now,
                                   gboolean      force_decay,
                                   const char   *actor,
                                   GError      **error);
GPtrArray    *cp_tick_assignments_since (CpLeadStore  *store,
                                         const char   *owner,
                                         gint64        after_audit_id,
                                         gint64       *out_last_audit_id,
                                         GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpTickReport, cp_tick_report_free)

G_END_DECLS
