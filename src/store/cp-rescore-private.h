/* cp-rescore-private.h — reading every lead in batches, for whatever runs the playbook over all of them
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-playbook-rules.h"
#include "cp-rescore.h"

G_BEGIN_DECLS

/* Leads per batch (cp-rescore-reader.c): with the reader threads' four
 * batches, what bounds the memory of a rescore or a preview. */
#define CP_RESCORE_BATCH_SIZE 10000

/* The page cache of the connection that writes the scores, in KiB. */
#define CP_RESCORE_CACHE_KIB 65536

/* One lead of a batch; its strings live in the batch's string chunk. */
typedef struct
{
  gint64        rowid;
  const char   *id;
  const char   *account_id;
  const char   *old_queue;
  CpLeadRecord  record;
  guint         first_activity;
  guint         n_activities;
  int           old_score;
  int           old_category[CP_SCORE_N_CATEGORIES];
  const char   *old_tier;
  gint64        stage_entered_at;
} BatchLead;

typedef struct
{
  BatchLead    *leads;
  guint         n_leads;
  GArray       *activities;        /* CpActivityRecord */
  GStringChunk *strings;
  GPtrArray    *customs;           /* GHashTable: custom fields of a lead */
  CpScoreResult *scores;           /* a lead's score, when the source's ready function sets it */
  gboolean      end;               /* past the last lead: nothing more */
  GError       *error;             /* set by a reader thread */
} Batch;

/* What the rules of one or more playbooks look at. */
typedef CpPlaybookReads ReadPlan;

typedef struct _Source CpLeadSource;

/* Called with each batch of leads on the thread that read it, before the
 * batch is handed out: work done there (scoring) is spread over the
 * reader threads. It must only read what it shares with them. */
typedef void (*CpBatchReadyFunc) (Batch    *batch,
                                  gpointer  user_data);

CpLeadSource  *_cp_lead_source_new             (CpDatabase        *database,
                                                const ReadPlan    *plan,
                                                CpBatchReadyFunc   ready,
                                                gpointer           ready_data,
                                                GError           **error);
Batch         *_cp_lead_source_next            (CpLeadSource      *source,
                                                GError           **error);
void           _cp_lead_source_release         (CpLeadSource      *source,
                                                Batch             *batch);
void           _cp_lead_source_free            (CpLeadSource      *source);
GHashTable    *_cp_rescore_load_engaged_accounts (CpDatabase      *database,
                                                  gint64           now,
                                                  GError         **error);
gboolean       _cp_rescore_count_leads         (CpDatabase        *database,
                                                guint             *out_total,
                                                GError           **error);
void           _cp_rescore_batch_input         (Batch             *batch,
                                                BatchLead         *lead,
                                                GHashTable        *engaged_accounts,
                                                gint64             now,
                                                CpConditionInput  *input);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpLeadSource, _cp_lead_source_free)

G_END_DECLS
