/* cp-lead-store.h — leads in the database: create, edit, move, merge, query
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cp-activity.h"
#include "cp-automation.h"
#include "cp-database.h"
#include "cp-lead.h"
#include "cp-lead-query.h"
#include "cp-normalize.h"
#include "cp-transition.h"

G_BEGIN_DECLS

/* One lead that may be the same person as another, and why. */
typedef struct
{
  char  *lead_id;
  char  *display_name;
  guint  kinds;     /* bit (1 << CpMatchKind) for each reason */
  char  *reason;    /* readable: “same email, same phone” */
  gboolean name_compatible;  /* the same name, or one of the two has none */
} CpDuplicateCandidate;

void cp_duplicate_candidate_free (CpDuplicateCandidate *candidate);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpDuplicateCandidate, cp_duplicate_candidate_free)

/* Per-stage figures for a board column header. */
typedef struct
{
  char   *stage;
  guint   count;
  gint64  score_sum;
  guint   sla_breached;
} CpStageSummary;

void cp_stage_summary_free (CpStageSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpStageSummary, cp_stage_summary_free)

/* One line of a lead's history: a stage event or an audit row. */
typedef struct
{
  gint64  time;
  char   *action;     /* "stage", "create", "update", "merge", "tombstone", … */
  char   *field;
  char   *old_value;
  char   *new_value;
  char   *actor;
  char   *reason;
} CpHistoryEntry;

void cp_history_entry_free (CpHistoryEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpHistoryEntry, cp_history_entry_free)

/* Progress of long work: @total is 0 when unknown. */
typedef void (*CpProgressFunc) (guint    done,
                                guint    total,
                                gpointer user_data);

/* What a write did beyond the caller's own change. */
typedef struct
{
  GPtrArray *moves;     /* (element-type CpProposedMove) (nullable) moves the playbook made */
  GPtrArray *blocked;   /* (element-type CpProposedMove) (nullable) moves it proposed that its
                         * own rules refuse, each with the reason */
  gboolean   duplicate; /* the activity was recorded before (same external id): nothing changed */
} CpWriteOutcome;

void cp_write_outcome_clear (CpWriteOutcome *outcome);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CpWriteOutcome, cp_write_outcome_clear)

/* A lead a bulk change left alone, and why. */
typedef struct
{
  char *lead_id;
  char *message;
} CpLeadRefusal;

void cp_lead_refusal_free (CpLeadRefusal *refusal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpLeadRefusal, cp_lead_refusal_free)

typedef enum
{
  CP_LEAD_CHANGE_CREATED,
  CP_LEAD_CHANGE_UPDATED,
  CP_LEAD_CHANGE_MOVED,
  CP_LEAD_CHANGE_REMOVED,
  CP_LEAD_CHANGE_BULK,      /* many leads at once: reload everything */
} CpLeadChange;

#define CP_TYPE_LEAD_STORE (cp_lead_store_get_type ())

G_DECLARE_FINAL_TYPE (CpLeadStore, cp_lead_store, CP, LEAD_STORE, GObject)

CpLeadStore *cp_lead_store_new                 (CpDatabase         *database);
CpDatabase  *cp_lead_store_get_database        (CpLeadStore        *self);
void         cp_lead_store_set_default_region  (CpLeadStore        *self,
                                                const char         *region);
void         cp_lead_store_set_clock           (CpLeadStore        *self,
                                                gint64            (*now_func) (void));
gint64       cp_lead_store_now                 (CpLeadStore        *self);

CpLead      *cp_lead_store_get                 (CpLeadStore        *self,
                                                const char         *id,
                                                GError            **error);
gboolean     cp_lead_store_create              (CpLeadStore        *self,
                                                CpLead             *lead,
                                                const char         *actor,
                                                GError            **error);
gboolean     cp_lead_store_update              (CpLeadStore        *self,
                                                CpLead             *lead,
                                                const char         *actor,
                                                const char         *reason,
                                                GError            **error);
gboolean     cp_lead_store_update_full         (CpLeadStore        *self,
                                                CpLead             *lead,
                                                const char         *actor,
                                                const char         *reason,
                                                CpWriteOutcome     *outcome,
                                                GError            **error);
gboolean     cp_lead_store_move                (CpLeadStore        *self,
                                                const char         *id,
                                                const char         *expected_stage,
                                                const char         *to_stage,
                                                CpLead             *fields,
                                                const char         *reason,
                                                const char         *actor,
                                                CpWriteOutcome     *outcome,
                                                GError            **error);
int          cp_lead_store_move_stages         (CpLeadStore        *self,
                                                const char * const *ids,
                                                const char         *to_stage,
                                                const char         *reason,
                                                const char         *actor,
                                                GPtrArray         **out_refused,
                                                GError            **error);
CpMoveCheck *cp_lead_store_check_move          (CpLeadStore        *self,
                                                const char         *id,
                                                const char         *to_stage,
                                                GError            **error);
CpPlaybook  *cp_lead_store_get_playbook        (CpLeadStore        *self,
                                                gint64             *out_version,
                                                GError            **error);
gboolean     cp_lead_store_refresh             (CpLeadStore        *self,
                                                const char         *id,
                                                const char         *actor,
                                                gboolean           *out_changed,
                                                GError            **error);
gboolean     cp_lead_store_refresh_all         (CpLeadStore        *self,
                                                const char         *actor,
                                                CpProgressFunc      progress,
                                                gpointer            user_data,
                                                guint              *out_changed,
                                                GError            **error);
int          cp_lead_store_set_field_bulk      (CpLeadStore        *self,
                                                const char * const *ids,
                                                CpLeadField         field,
                                                const char         *value,
                                                const char         *actor,
                                                const char         *reason,
                                                GError            **error);
gboolean     cp_lead_store_tombstone           (CpLeadStore        *self,
                                                const char         *id,
                                                const char         *reason,
                                                const char         *actor,
                                                GError            **error);
char        *cp_lead_store_merge               (CpLeadStore        *self,
                                                const char         *keep_id,
                                                const char         *other_id,
                                                const CpLeadField  *take_from_other,
                                                guint               n_take_from_other,
                                                const char         *actor,
                                                GError            **error);
gboolean     cp_lead_store_undo_merge          (CpLeadStore        *self,
                                                const char         *merge_id,
                                                const char         *actor,
                                                GError            **error);
gboolean     cp_lead_store_flag_duplicate      (CpLeadStore        *self,
                                                const char         *id,
                                                const char         *duplicate_of,
                                                const char         *actor,
                                                GError            **error);
GPtrArray   *cp_lead_store_find_duplicates     (CpLeadStore        *self,
                                                CpLead             *lead,
                                                GError            **error);

GPtrArray   *cp_lead_store_query               (CpLeadStore        *self,
                                                const CpLeadQuery  *query,
                                                guint               offset,
                                                guint               limit,
                                                GError            **error);
GPtrArray   *cp_lead_store_common_values       (CpLeadStore        *self,
                                                CpLeadField         field,
                                                guint               limit,
                                                GError            **error);
gboolean     cp_lead_store_score_histogram     (CpLeadStore        *self,
                                                guint               bucket_width,
                                                const char * const *closed_stages,
                                                GArray            **out_counts,
                                                GError            **error);
void         cp_lead_store_score_histogram_async  (CpLeadStore         *self,
                                                   guint                bucket_width,
                                                   const char * const  *closed_stages,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GArray      *cp_lead_store_score_histogram_finish (GAsyncResult        *result,
                                                   GError             **error);
gboolean     cp_lead_store_count               (CpLeadStore        *self,
                                                const CpLeadQuery  *query,
                                                guint              *out_count,
                                                GError            **error);
GPtrArray   *cp_lead_store_stage_summaries     (CpLeadStore        *self,
                                                const CpLeadQuery  *query,
                                                GError            **error);
void         cp_lead_store_stage_summaries_async  (CpLeadStore         *self,
                                                   const CpLeadQuery   *query,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray   *cp_lead_store_stage_summaries_finish (GAsyncResult        *result,
                                                   GError             **error);
GPtrArray   *cp_lead_store_distinct_values     (CpLeadStore        *self,
                                                CpLeadField         field,
                                                GError            **error);
gboolean     cp_lead_store_count_account_contacts (CpLeadStore     *self,
                                                   const char      *lead_id,
                                                   gint64           active_since,
                                                   guint           *out_count,
                                                   GError         **error);
GPtrArray   *cp_lead_store_history             (CpLeadStore        *self,
                                                const char         *id,
                                                GError            **error);

gboolean     cp_lead_store_log_activity        (CpLeadStore        *self,
                                                CpActivity         *activity,
                                                CpWriteOutcome     *outcome,
                                                GError            **error);
GPtrArray   *cp_lead_store_list_activities     (CpLeadStore        *self,
                                                const char         *lead_id,
                                                GError            **error);

void         cp_lead_store_emit_bulk_change    (CpLeadStore        *self);
void         cp_lead_store_watch_external_changes (CpLeadStore     *self,
                                                   guint            interval_ms);

G_END_DECLS
