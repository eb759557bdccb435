/* cp-lifecycle.h — what the playbook makes of a lead: the checks a change passes, the fields it
 * computes, the moves it triggers
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-automation.h"
#include "cp-business-hours.h"
#include "cp-playbook.h"
#include "cp-router.h"
#include "cp-scorer.h"
#include "cp-transition.h"

G_BEGIN_DECLS

/* A playbook ready to judge writes: the playbook, its version (0: the
 * built-in one) and its compiled scorer. Read-only once made. */
typedef struct _CpLifecycle CpLifecycle;

/* What the playbook computes for a lead (cp_lead_field_is_computed()),
 * but the queue, which routing decides with its round-robin state. */
typedef struct
{
  CpScoreResult score;
  gint64        sla_due_at;          /* 0: the stage has no response SLA */
  gint64        first_response_at;   /* the first response since the clock started; 0: none yet */
  gint64        last_activity_at;    /* the newest activity; 0: none */
} CpDerivedFields;

/* Automatic moves one write may chain (won → closed won → onboarding). */
#define CP_LIFECYCLE_MAX_CHAINED_MOVES 4

CpLifecycle    *cp_lifecycle_new              (CpPlaybook              *playbook,
                                               gint64                   version);
CpLifecycle    *cp_lifecycle_ref              (CpLifecycle             *self);
void            cp_lifecycle_unref            (CpLifecycle             *self);
CpPlaybook     *cp_lifecycle_get_playbook     (CpLifecycle             *self);
gboolean        cp_lifecycle_account_matters  (CpLifecycle             *self,
                                              guint                    engaged_others);
guint           cp_lifecycle_account_cap      (CpLifecycle             *self);
char           *cp_lifecycle_route_reason     (CpLifecycle             *self,
                                              const CpRoute           *route);
gint64          cp_lifecycle_get_version      (CpLifecycle             *self);
const char     *cp_lifecycle_first_stage      (CpLifecycle             *self);

void            cp_lifecycle_derive           (CpLifecycle             *self,
                                               CpConditionInput        *input,
                                               gint64                   stage_entered_at,
                                               CpDerivedFields         *out);
gint64          cp_lifecycle_first_response   (const CpConditionInput  *input,
                                               gint64                   since);
const char     *cp_lifecycle_queue_for        (CpLifecycle             *self,
                                               CpConditionInput        *input);
gboolean        cp_lifecycle_check_closure    (CpLifecycle             *self,
                                               const CpLeadRecord      *lead,
                                               GError                 **error);
gboolean        cp_lifecycle_refuse_computed  (CpLeadField              field,
                                               GError                 **error);
gboolean        cp_move_check_to_error        (const CpMoveCheck       *check,
                                               GError                 **error);
CpProposedMove *cp_lifecycle_take_move        (GPtrArray               *proposals,
                                               GPtrArray               *visited,
                                               GPtrArray               *blocked);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpLifecycle, cp_lifecycle_unref)

G_END_DECLS
