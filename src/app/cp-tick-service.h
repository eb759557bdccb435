/* cp-tick-service.h — the time rules while the app runs, and what they mean for the person using it
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cp-tick.h"

G_BEGIN_DECLS

/* What one tick means for the person using the app: their leads that
 * just breached or escalated, and the leads newly given to them. */
typedef enum
{
  CP_NOTICE_BREACHED,
  CP_NOTICE_ESCALATED,
  CP_NOTICE_ASSIGNED,
  CP_NOTICE_TASK_SOON,   /* a task of theirs is due in a few minutes */
  CP_NOTICE_TASK_DUE,    /* a task of theirs is due now */
  CP_NOTICE_SLA_SOON,    /* a lead of theirs needs its first response soon */
  CP_NOTICE_N_KINDS
} CpNoticeKind;

typedef struct
{
  CpNoticeKind  kind;
  char         *lead_id;
  char         *name;      /* the lead's display name */
  char         *stage;     /* its stage id */
  gint64        due_at;    /* breached, escalated; a task's or an SLA's due time */
  char         *title;     /* (nullable) the task's title */
  char         *snooze_target;  /* (nullable) what app.snooze-task snoozes (cp-reminders.h) */
} CpNotice;

void cp_notice_free (CpNotice *notice);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpNotice, cp_notice_free)

/* A desktop notification, in words: one per lead, or one for many. */
typedef struct
{
  char     *id;        /* replaces an earlier one with the same id */
  char     *title;
  char     *body;
  char     *lead_id;   /* (nullable) opened by the notification; NULL: the window */
  gboolean  urgent;
  char *snooze_target; /* (nullable) its “Snooze 1 Hour” button's target for app.snooze-task */
} CpAlert;

/* More notices of one kind than this become one alert. */
#define CP_ALERT_MAX_SINGLE 3

void       cp_alert_free          (CpAlert         *alert);
GPtrArray *cp_notices_to_alerts   (GPtrArray       *notices,
                                  gboolean         clock_12h);
GNotification *cp_alert_to_notification (const CpAlert *alert);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpAlert, cp_alert_free)

/* How often the app runs the time rules. */
#define CP_TICK_SERVICE_INTERVAL_SECONDS (5 * 60)

#define CP_TYPE_TICK_SERVICE (cp_tick_service_get_type ())

G_DECLARE_FINAL_TYPE (CpTickService, cp_tick_service, CP, TICK_SERVICE, GObject)

CpTickService *cp_tick_service_new        (const char     *database_path,
                                           const char     *user_name);
void           cp_tick_service_set_user   (CpTickService  *self,
                                           const char     *user_name);
void           cp_tick_service_set_clock  (CpTickService  *self,
                                           gint64        (*now_func) (void));
void           cp_tick_service_start      (CpTickService  *self,
                                           guint           interval_seconds);
void           cp_tick_service_run_async  (CpTickService       *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GPtrArray     *cp_tick_service_run_finish (CpTickService  *self,
                                           GAsyncResult   *result,
                                           CpTickReport  **out_report,
                                           GError        **error);

G_END_DECLS
