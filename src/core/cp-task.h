/* cp-task.h — a next action on a lead: a call, an email, a meeting, a follow-up, a handoff item
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CpTaskKind:
 *
 * What the task asks for. The string forms ("call", "email", "meeting",
 * "follow_up", "handoff") are what the database, the playbook's
 * `entry_tasks` and the CLI's `--kind` use.
 */
typedef enum
{
  CP_TASK_KIND_CALL,
  CP_TASK_KIND_EMAIL,
  CP_TASK_KIND_MEETING,
  CP_TASK_KIND_FOLLOW_UP,
  CP_TASK_KIND_HANDOFF,
  CP_TASK_N_KINDS
} CpTaskKind;

/* "open", "done", "cancelled" */
typedef enum
{
  CP_TASK_STATUS_OPEN,
  CP_TASK_STATUS_DONE,
  CP_TASK_STATUS_CANCELLED,
} CpTaskStatus;

/* Where a task sits in My Work as of a given time (see cp_task_get_bucket()). */
typedef enum
{
  CP_TASK_BUCKET_OVERDUE,    /* effective due time before now */
  CP_TASK_BUCKET_TODAY,      /* due from now to the end of the local day */
  CP_TASK_BUCKET_UPCOMING,   /* due on a later local day */
  CP_TASK_N_BUCKETS
} CpTaskBucket;

/* What made a task (the `origin` property). */
#define CP_TASK_ORIGIN_MANUAL "manual"   /* someone added it */
/* A playbook stage's entry_tasks, when the lead entered it. */
#define CP_TASK_ORIGIN_STAGE  "stage"
#define CP_TASK_ORIGIN_SLA    "sla"      /* the first-response task: done by the first outreach */

#define CP_TASK_TITLE_MAX 200
#define CP_TASK_NOTE_MAX  10000

#define CP_TYPE_TASK_KIND   (cp_task_kind_get_type ())
#define CP_TYPE_TASK_STATUS (cp_task_status_get_type ())
GType cp_task_kind_get_type   (void) G_GNUC_CONST;
GType cp_task_status_get_type (void) G_GNUC_CONST;

const char *cp_task_kind_to_string     (CpTaskKind     kind);
gboolean    cp_task_kind_from_string   (const char    *text,
                                        CpTaskKind    *out_kind);
/* Translated: "Call", "Follow-up", … */
const char *cp_task_kind_label         (CpTaskKind     kind);
const char *cp_task_kind_icon_name     (CpTaskKind     kind);   /* a symbolic icon for rows */
const char *cp_task_status_to_string   (CpTaskStatus   status);
gboolean    cp_task_status_from_string (const char    *text,
                                        CpTaskStatus  *out_status);
/* Translated: "Overdue", "Today", "Upcoming". */
const char *cp_task_bucket_label       (CpTaskBucket   bucket);

#define CP_TYPE_TASK (cp_task_get_type ())

/**
 * CpTask:
 *
 * One task, as stored (see cp-task-store.h for reading and writing them).
 * Every column is a property, with notify, so rows can bind to it and a
 * #GListStore can hold it:
 *
 * - `id`, `lead-id`, `lead-name` (the lead's display name, filled by the
 *   store's list queries, for display only), `kind` (#CpTaskKind),
 *   `title`, `note`, `owner`;
 * - `due-at`, `snoozed-until` (0: not snoozed), `effective-due` (read-only:
 *   the snooze wins when set), `status` (#CpTaskStatus), `done-at`,
 *   `created-at` — all Unix seconds, UTC;
 * - `origin` ("manual", "stage", "sla"), `stage-id` (the stage whose entry
 *   made it), `template-key` (the playbook template to use for it, e.g.
 *   "qualified_call"; %NULL: none).
 */
G_DECLARE_FINAL_TYPE (CpTask, cp_task, CP, TASK, GObject)

CpTask       *cp_task_new                (void);

const char   *cp_task_get_id             (CpTask       *self);
void          cp_task_set_id             (CpTask       *self,
                                          const char   *id);
const char   *cp_task_get_lead_id        (CpTask       *self);
void          cp_task_set_lead_id        (CpTask       *self,
                                          const char   *lead_id);
const char   *cp_task_get_lead_name      (CpTask       *self);
void          cp_task_set_lead_name      (CpTask       *self,
                                          const char   *lead_name);
CpTaskKind    cp_task_get_kind           (CpTask       *self);
void          cp_task_set_kind           (CpTask       *self,
                                          CpTaskKind    kind);
const char   *cp_task_get_title          (CpTask       *self);
void          cp_task_set_title          (CpTask       *self,
                                          const char   *title);
const char   *cp_task_get_note           (CpTask       *self);
void          cp_task_set_note           (CpTask       *self,
                                          const char   *note);
const char   *cp_task_get_owner          (CpTask       *self);
void          cp_task_set_owner          (CpTask       *self,
                                          const char   *owner);
gint64        cp_task_get_due_at         (CpTask       *self);
void          cp_task_set_due_at         (CpTask       *self,
                                          gint64        due_at);
gint64        cp_task_get_snoozed_until  (CpTask       *self);
void          cp_task_set_snoozed_until  (CpTask       *self,
                                          gint64        snoozed_until);
gint64        cp_task_get_effective_due  (CpTask       *self);
CpTaskStatus  cp_task_get_status         (CpTask       *self);
void          cp_task_set_status         (CpTask       *self,
                                          CpTaskStatus  status);
gint64        cp_task_get_done_at        (CpTask       *self);
void          cp_task_set_done_at        (CpTask       *self,
                                          gint64        done_at);
const char   *cp_task_get_origin         (CpTask       *self);
void          cp_task_set_origin         (CpTask       *self,
                                          const char   *origin);
const char   *cp_task_get_stage_id       (CpTask       *self);
void          cp_task_set_stage_id       (CpTask       *self,
                                          const char   *stage_id);
const char   *cp_task_get_template_key   (CpTask       *self);
void          cp_task_set_template_key   (CpTask       *self,
                                          const char   *template_key);
gint64        cp_task_get_created_at     (CpTask       *self);
void          cp_task_set_created_at     (CpTask       *self,
                                          gint64        created_at);
gboolean      cp_task_is_open            (CpTask       *self);

gboolean      cp_task_validate           (CpTask       *self,
                                          GError      **error);
gboolean      cp_task_validate_field     (CpTask       *self,
                                          const char   *property,
                                          GError      **error);

gint64        cp_task_local_day_end      (gint64        now,
                                          GTimeZone    *tz,
                                          guint         days);
void          cp_task_bucket_bounds      (CpTaskBucket  bucket,
                                          gint64        now,
                                          GTimeZone    *tz,
                                          gint64       *out_from,
                                          gint64       *out_before);
CpTaskBucket  cp_task_get_bucket         (CpTask       *self,
                                          gint64        now,
                                          GTimeZone    *tz);

/* ---- My Work: open tasks grouped for display ---- */

/* The open tasks of one lead within one section. */
typedef struct
{
  char      *lead_id;
  char      *lead_name;      /* (nullable) as the first task carries it */
  gint64     earliest_due;   /* the smallest effective due time in the group */
  GPtrArray *tasks;          /* (element-type CpTask): by effective due, then title */
} CpTaskGroup;

typedef struct
{
  CpTaskBucket  bucket;
  guint         n_tasks;
  GPtrArray    *groups;      /* (element-type CpTaskGroup): by earliest due, then lead name, id */
} CpTaskSection;

void       cp_task_group_free    (CpTaskGroup   *group);
void       cp_task_section_free  (CpTaskSection *section);
GPtrArray *cp_task_group_my_work (GPtrArray     *tasks,
                                  gint64         now,
                                  GTimeZone     *tz);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpTaskGroup, cp_task_group_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpTaskSection, cp_task_section_free)

G_END_DECLS
