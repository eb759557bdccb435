/* cp-rescore.h — score every lead with a playbook, in batches, with progress and cancel
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-database.h"
#include "cp-demo-writer.h"
#include "cp-lead-store.h"
#include "cp-scorer.h"

G_BEGIN_DECLS

typedef struct
{
  guint    leads;          /* scored */
  guint    changed;        /* whose score, category scores or tier changed */
  guint    tier_changes;   /* audited */
  gboolean cancelled;
} CpRescoreStats;

/* Engaged means an activity within this many days (account boost). */
#define CP_RESCORE_ENGAGED_DAYS 90

gboolean cp_rescore_run           (CpDatabase      *database,
                                   CpPlaybook      *playbook,
                                   gint64           playbook_version,
                                   gint64           now,
                                   const char      *actor,
                                   CpProgressFunc   progress,
                                   gpointer         user_data,
                                   GCancellable    *cancellable,
                                   CpRescoreStats  *out_stats,
                                   GError         **error);
gboolean cp_rescore_dry_run       (CpDatabase      *database,
                                   CpPlaybook      *playbook,
                                   gint64           now,
                                   guint           *out_tier_changes,
                                   guint           *out_leads,
                                   GError         **error);

/* What publishing a draft would change (cp_rescore_impact()). */
typedef enum
{
  CP_IMPACT_SCORE,          /* the score changes */
  CP_IMPACT_TIER,           /* the tier changes */
  CP_IMPACT_QUEUE,          /* routing sends the lead to another queue */
  CP_IMPACT_BLOCKED,        /* could move on to the next stage, would not */
  CP_IMPACT_STAGE_REMOVED,  /* the lead's stage is not in the draft */
  CP_IMPACT_N_KINDS
} CpImpactKind;

typedef struct
{
  guint      leads;                          /* evaluated */
  guint      counts[CP_IMPACT_N_KINDS];
  GPtrArray *examples[CP_IMPACT_N_KINDS];    /* lead ids, at most ten each */
} CpPlaybookImpact;

void              cp_playbook_impact_free (CpPlaybookImpact *impact);
CpPlaybookImpact *cp_rescore_impact       (CpDatabase     *database,
                                           CpPlaybook     *current,
                                           CpPlaybook     *draft,
                                           gint64          now,
                                           CpProgressFunc  progress,
                                           gpointer        user_data,
                                           GCancellable   *cancellable,
                                           GError        **error);

void     cp_rescore_run_async     (const char          *database_path,
                                   CpPlaybook          *playbook,
                                   gint64               playbook_version,
                                   gint64               now,
                                   const char          *actor,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean cp_rescore_run_finish    (GAsyncResult        *result,
                                   CpRescoreStats      *out_stats,
                                   GError             **error);

/* One lead, for explain/route/check-move: its record, activities and
 * account engagement, loaded from the store. */
typedef struct
{
  CpLead           *lead;
  GPtrArray        *activities;   /* CpActivity */
  GArray           *records;      /* CpActivityRecord */
  CpLeadRecord      record;
  CpConditionInput  input;
} CpLeadSnapshot;

CpLeadSnapshot *cp_lead_snapshot_load (CpLeadStore   *store,
                                       const char    *id,
                                       gint64         now,
                                       GError       **error);
void            cp_lead_snapshot_free (CpLeadSnapshot *snapshot);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpLeadSnapshot, cp_lead_snapshot_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpPlaybookImpact, cp_playbook_impact_free)

G_END_DECLS
