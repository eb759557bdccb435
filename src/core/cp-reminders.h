/* cp-reminders.h — what to remind someone of, and when: tasks coming due, SLAs about to breach
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cp-task.h"

G_BEGIN_DECLS

/* How long before a task's due time the first reminder comes. */
#define CP_REMINDER_TASK_LEAD_SECONDS (15 * 60)
/* A task that came due longer ago than this is not announced any more
 * (the app was not running): My Work lists it as overdue. */
#define CP_REMINDER_TASK_STALE_SECONDS (12 * 3600)
/* How long before a response SLA breaches the reminder comes. */
#define CP_REMINDER_SLA_LEAD_SECONDS (30 * 60)
/* “Snooze 1 hour”. */
#define CP_REMINDER_SNOOZE_SECONDS 3600

typedef enum
{
  CP_REMINDER_TASK_SOON,   /* a task is due in CP_REMINDER_TASK_LEAD_SECONDS or less */
  CP_REMINDER_TASK_DUE,    /* a task is due now */
  CP_REMINDER_SLA_SOON,    /* a lead's first response is due in CP_REMINDER_SLA_LEAD_SECONDS
                            * or less */
} CpReminderKind;

/* A lead of the user with a response SLA running (no first response yet). */
typedef struct
{
  char   *lead_id;
  char   *lead_name;
  char   *stage;
  gint64  due_at;
} CpSlaWatch;

typedef struct
{
  CpReminderKind  kind;
  char           *key;          /* notifications_sent key: announced once */
  char           *lead_id;
  char           *lead_name;
  char           *task_id;      /* (nullable) the task's */
  char           *title;        /* the task's title, or the lead's stage for an SLA */
  gint64          due_at;       /* the task's effective due time, or the SLA's */
  char           *snooze_target;  /* what app.snooze-task gets: the task id, or the key of an SLA */
} CpReminder;

void        cp_sla_watch_free        (CpSlaWatch  *watch);
void        cp_reminder_free         (CpReminder  *reminder);
char       *cp_reminder_snooze_key   (const char  *key);
gboolean    cp_reminder_key_is_sla   (const char  *key);
GPtrArray  *cp_reminders_plan        (GPtrArray   *tasks,
                                      GPtrArray   *sla,
                                      GHashTable  *sent,
                                      gint64       now,
                                      gint64      *out_next_at);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpSlaWatch, cp_sla_watch_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpReminder, cp_reminder_free)

G_END_DECLS
