/* cp-task-store.h — tasks in the database: add, complete, snooze, cancel, reassign, list, count
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cp-lead-store.h"
#include "cp-task.h"

G_BEGIN_DECLS

/*
 * Tasks are written like leads: each call below is one transaction
 * (BEGIN IMMEDIATE, or a savepoint inside the caller's), validates,
 * refuses a task of an unknown or removed lead, and writes an audit row
 * (entity 'task', entity_id the task id; action "create", "done",
 * "snooze", "cancel", "reassign"). A task is never deleted.
 *
 * The write path adds and closes tasks on its own (see cp-lead-write.c):
 * a stage's `entry_tasks` when a lead enters the stage, a first-response
 * task when the lead gets an SLA clock (done by the first outreach),
 * cancellation of the open stage and SLA tasks when the lead closes, and
 * those tasks follow the lead to its new owner.
 *
 * Signal: CpLeadStore::tasks-changed (const char *lead_id) is emitted once
 * the change is committed, with the lead whose tasks changed (%NULL: the
 * tasks of many leads, e.g. after an import). A lead's own “changed”
 * signal is not emitted for a task change.
 */

/* Which due times a listing keeps, as of the filter's @now and @tz. */
typedef enum
{
  CP_TASK_DUE_ANY,       /* "all" */
  CP_TASK_DUE_OVERDUE,   /* "overdue": effective due before now */
  CP_TASK_DUE_TODAY,     /* "today": overdue, or due before the end of the local day */
  CP_TASK_DUE_WEEK,      /* "week": overdue, or due within the next 7 local days */
} CpTaskDue;

const char *cp_task_due_to_string   (CpTaskDue   due);
gboolean    cp_task_due_from_string (const char *text,
                                     CpTaskDue  *out_due);

typedef struct
{
  const char *owner;           /* (nullable) NULL: everyone's */
  const char *lead_id;         /* (nullable) NULL: every lead's */
  CpTaskDue   due;
  gboolean    include_closed;  /* done and cancelled ones too (they never count as overdue) */
  gint64      now;             /* 0: the store's clock */
  GTimeZone  *tz;              /* (nullable) NULL: the local zone */
  guint       limit;           /* 0: no limit */
  guint       offset;          /* rows skipped (paging, with @limit) */
  gint64      due_from;        /* 0: no bound; else only effective due ≥ this (see cp_task_bucket_bounds()) */
  gint64      due_before;      /* 0: no bound; else only effective due < this */
} CpTaskFilter;

gboolean   cp_lead_store_add_task       (CpLeadStore        *self,
                                         CpTask             *task,
                                         const char         *actor,
                                         GError            **error);
gboolean   cp_lead_store_complete_task  (CpLeadStore        *self,
                                         const char         *task_id,
                                         const char         *activity_id,
                                         const char         *actor,
                                         GError            **error);
gboolean   cp_lead_store_snooze_task    (CpLeadStore        *self,
                                         const char         *task_id,
                                         gint64              until,
                                         const char         *actor,
                                         GError            **error);
gboolean   cp_lead_store_cancel_task    (CpLeadStore        *self,
                                         const char         *task_id,
                                         const char         *reason,
                                         const char         *actor,
                                         GError            **error);
gboolean   cp_lead_store_reassign_task  (CpLeadStore        *self,
                                         const char         *task_id,
                                         const char         *owner,
                                         const char         *actor,
                                         GError            **error);
CpTask    *cp_lead_store_get_task       (CpLeadStore        *self,
                                         const char         *task_id,
                                         GError            **error);
GPtrArray *cp_lead_store_list_tasks     (CpLeadStore        *self,
                                         const CpTaskFilter *filter,
                                         GError            **error);
gboolean   cp_lead_store_count_tasks    (CpLeadStore        *self,
                                         const char         *owner,
                                         gint64              now,
                                         guint              *out_open,
                                         guint              *out_overdue,
                                         GError            **error);
gboolean   cp_lead_store_count_task_buckets (CpLeadStore    *self,
                                             const char     *owner,
                                             gint64          now,
                                             GTimeZone      *tz,
                                             guint           counts[CP_TASK_N_BUCKETS],
                                             GError        **error);
GPtrArray *cp_lead_store_task_owners    (CpLeadStore        *self,
                                         GError            **error);

/* ---- reminders (what the tick service notifies; see cp-reminders.h) ---- */

GPtrArray *cp_lead_store_reminder_input (CpLeadStore        *self,
                                         const char         *owner,
                                         gint64              now,
                                         GPtrArray         **out_sla,
                                         GHashTable        **out_sent,
                                         GError            **error);
gboolean   cp_lead_store_mark_reminded  (CpLeadStore        *self,
                                         GPtrArray          *reminders,
                                         gint64              now,
                                         GError            **error);
gboolean   cp_lead_store_snooze_reminder (CpLeadStore       *self,
                                          const char        *target,
                                          gint64             until,
                                          const char        *actor,
                                          GError           **error);

G_END_DECLS
