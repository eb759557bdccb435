/* cp-tick-service.c — the time rules while the app runs, and what they mean for the person using it
 *
 * At start-up and every few minutes, a worker thread with its own
 * connection runs the playbook's time rules (cp_tick_run()), then looks
 * for what concerns the person using the app: their leads whose response
 * came due without one, leads escalated to them, leads newly given to
 * them. The application turns those into desktop notifications.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-tick-service"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-lead-format.h"
#include "cp-lead-store.h"
#include "cp-reminders.h"
#include "cp-task-store.h"
#include "cp-task-time.h"
#include "cp-tick-service.h"

#define TICK_ACTOR "tick"

struct _CpTickService
{
  GObject        parent_instance;

  char          *database_path;
  char          *user_name;
  gint64       (*now_func) (void);
  gint64         last_audit_id;   /* -1: nothing seen yet */
  guint          timeout_id;
  guint          reminder_id;     /* an extra tick when a reminder falls due between ticks */
  guint          interval;
  gint64         next_reminder_at;
  gboolean       running;
  GCancellable  *cancellable;
};

G_DEFINE_FINAL_TYPE (CpTickService, cp_tick_service, G_TYPE_OBJECT)

enum {
  NOTICED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
cp_notice_free (CpNotice *notice)
{
  if (notice == NULL)
    return;
  g_free (notice->lead_id);
  g_free (notice->name);
  g_free (notice->stage);
  g_free (notice->title);
  g_free (notice->snooze_target);
  g_free (notice);
}

static gint64
real_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

typedef struct
{
  char         *database_path;
  char         *user_name;
  gint64        now;
  gint64        last_audit_id;
  CpTickReport *report;
  GPtrArray    *notices;
  gint64        next_reminder_at;
} TickData;

static void
tick_data_free (TickData *data)
{
  g_free (data->database_path);
  g_free (data->user_name);
  g_clear_pointer (&data->report, cp_tick_report_free);
  g_clear_pointer (&data->notices, g_ptr_array_unref);
  g_free (data);
}

static gboolean
add_notice (CpLeadStore  *store,
            GPtrArray    *notices,
            GHashTable   *seen,
            CpNoticeKind  kind,
            const char   *lead_id,
            gint64        due_at)
{
  g_autoptr(CpLead) lead = NULL;
  CpNotice *notice;

  if (!g_hash_table_add (seen, g_strdup (lead_id)))
    return FALSE;
  lead = cp_lead_store_get (store, lead_id, NULL);
  if (lead == NULL)
    return FALSE;
  notice = g_new0 (CpNotice, 1);
  notice->kind = kind;
  notice->lead_id = g_strdup (lead_id);
  notice->name = cp_lead_dup_display_name (lead);
  notice->stage = g_strdup (cp_lead_get_stage (lead));
  notice->due_at = due_at;
  g_ptr_array_add (notices, notice);
  return TRUE;
}

static const CpNoticeKind reminder_notices[] = {
  [CP_REMINDER_TASK_SOON] = CP_NOTICE_TASK_SOON,
  [CP_REMINDER_TASK_DUE] = CP_NOTICE_TASK_DUE,
  [CP_REMINDER_SLA_SOON] = CP_NOTICE_SLA_SOON,
};

/* The user's tasks coming due and responses due soon: what to announce
 * is cp_reminders_plan()'s decision, recorded so it is announced once. */
static gboolean
add_reminders (CpLeadStore  *store,
               TickData     *data,
               GError      **error)
{
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GPtrArray) sla = NULL;
  g_autoptr(GHashTable) sent = NULL;
  g_autoptr(GPtrArray) reminders = NULL;

  tasks = cp_lead_store_reminder_input (store, data->user_name, data->now, &sla, &sent, error);
  if (tasks == NULL)
    return FALSE;
  reminders = cp_reminders_plan (tasks, sla, sent, data->now, &data->next_reminder_at);
  if (!cp_lead_store_mark_reminded (store, reminders, data->now, error))
    return FALSE;
  for (guint i = 0; i < reminders->len; i++)
    {
      CpReminder *reminder = reminders->pdata[i];
      CpNotice *notice = g_new0 (CpNotice, 1);

      notice->kind = reminder_notices[reminder->kind];
      notice->lead_id = g_strdup (reminder->lead_id);
      notice->name = g_strdup (reminder->lead_name);
      notice->stage = reminder->kind == CP_REMINDER_SLA_SOON ? g_strdup (reminder->title) : NULL;
      notice->title = reminder->kind != CP_REMINDER_SLA_SOON ? g_strdup (reminder->title) : NULL;
      notice->due_at = reminder->due_at;
      notice->snooze_target = g_strdup (reminder->snooze_target);
      g_ptr_array_add (data->notices, notice);
    }
  return TRUE;
}

static void
tick_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TickData *data = task_data;
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(GPtrArray) assigned = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GError *error = NULL;

  /* Its own connection: SQLite connections are not shared across threads. */
  database = cp_database_open (data->database_path, &error);
  if (database == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  store = cp_lead_store_new (database);
  data->report = cp_tick_run (store, data->now, FALSE, TICK_ACTOR, &error);
  if (data->report == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data->notices = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_notice_free);
  for (guint i = 0; data->user_name != NULL && i < data->report->changes->len; i++)
    {
      CpTickChange *change = data->report->changes->pdata[i];

      if (change->kind == CP_TICK_ESCALATED && g_strcmp0 (change->after, data->user_name) == 0)
        add_notice (store, data->notices, seen, CP_NOTICE_ESCALATED, change->lead_id,
                    change->due_at);
      else if (change->kind == CP_TICK_BREACHED && g_strcmp0 (change->owner, data->user_name) == 0)
        add_notice (store, data->notices, seen, CP_NOTICE_BREACHED, change->lead_id,
                    change->due_at);
    }
  if (data->user_name != NULL)
    {
      assigned = cp_tick_assignments_since (store, data->user_name, data->last_audit_id,
                                            &data->last_audit_id, &error);
      if (assigned == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      for (guint i = 0; i < assigned->len; i++)
        add_notice (store, data->notices, seen, CP_NOTICE_ASSIGNED, assigned->pdata[i], 0);
      if (!add_reminders (store, data, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
cp_tick_service_dispose (GObject *object)
{
  CpTickService *self = CP_TICK_SERVICE (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->reminder_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (cp_tick_service_parent_class)->dispose (object);
}

static void
cp_tick_service_finalize (GObject *object)
{
  CpTickService *self = CP_TICK_SERVICE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->database_path, g_free);
  g_clear_pointer (&self->user_name, g_free);

  G_OBJECT_CLASS (cp_tick_service_parent_class)->finalize (object);
}

static void
cp_tick_service_class_init (CpTickServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cp_tick_service_dispose;
  object_class->finalize = cp_tick_service_finalize;

  /**
   * CpTickService::noticed:
   * @notices: (element-type CpNotice): what concerns the person using the app
   *
   * Emitted after a periodic tick found something for the user.
   */
  signals[NOTICED] =
    g_signal_new ("noticed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
}

static void
cp_tick_service_init (CpTickService *self)
{
  self->now_func = real_now;
  self->last_audit_id = -1;
  self->cancellable = g_cancellable_new ();
}

/**
 * cp_tick_service_new:
 * @user_name: (nullable): the person using the app, as lead owners name them
 */
CpTickService *
cp_tick_service_new (const char *database_path,
                     const char *user_name)
{
  CpTickService *self;

  g_return_val_if_fail (database_path != NULL, NULL);

  self = g_object_new (CP_TYPE_TICK_SERVICE, NULL);
  self->database_path = g_strdup (database_path);
  self->user_name = g_strdup (user_name);
  return self;
}

void
cp_tick_service_set_user (CpTickService *self,
                          const char    *user_name)
{
  g_return_if_fail (CP_IS_TICK_SERVICE (self));

  if (g_strcmp0 (self->user_name, user_name) == 0)
    return;
  g_free (self->user_name);
  self->user_name = g_strdup (user_name);
  /* Someone else's earlier assignments are not news to the new user. */
  self->last_audit_id = -1;
}

/* Tests fix the time the rules are applied at. */
void
cp_tick_service_set_clock (CpTickService  *self,
                           gint64        (*now_func) (void))
{
  g_return_if_fail (CP_IS_TICK_SERVICE (self));

  self->now_func = now_func != NULL ? now_func : real_now;
}

/**
 * cp_tick_service_run_async:
 *
 * Runs the time rules once, on a worker thread.
 */
void
cp_tick_service_run_async (CpTickService       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TickData *data;

  g_return_if_fail (CP_IS_TICK_SERVICE (self));

  data = g_new0 (TickData, 1);
  data->database_path = g_strdup (self->database_path);
  data->user_name = g_strdup (self->user_name);
  data->now = self->now_func ();
  data->last_audit_id = self->last_audit_id;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_tick_service_run_async);
  g_task_set_task_data (task, data, (GDestroyNotify) tick_data_free);
  g_task_run_in_thread (task, tick_thread);
}

/**
 * cp_tick_service_run_finish:
 * @out_report: (out) (optional) (transfer full): what the tick did
 *
 * Returns: (transfer full) (element-type CpNotice): what concerns the
 *   user, or %NULL with @error set
 */
GPtrArray *
cp_tick_service_run_finish (CpTickService  *self,
                            GAsyncResult   *result,
                            CpTickReport  **out_report,
                            GError        **error)
{
  TickData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  data = g_task_get_task_data (G_TASK (result));
  /* A user changed meanwhile starts afresh. */
  if (g_strcmp0 (data->user_name, self->user_name) == 0)
    self->last_audit_id = data->last_audit_id;
  self->next_reminder_at = data->next_reminder_at;
  if (out_report != NULL)
    *out_report = g_steal_pointer (&data->report);
  return g_steal_pointer (&data->notices);
}

static gboolean periodic_cb (gpointer user_data);

static gboolean
reminder_cb (gpointer user_data)
{
  CpTickService *self = user_data;

  self->reminder_id = 0;
  periodic_cb (self);
  return G_SOURCE_REMOVE;
}

/* A reminder due before the next tick gets a tick of its own, on time. */
static void
schedule_reminder (CpTickService *self)
{
  gint64 delay = self->next_reminder_at - self->now_func ();

  g_clear_handle_id (&self->reminder_id, g_source_remove);
  if (self->interval == 0 || self->next_reminder_at == 0 || delay >= self->interval)
    return;
  self->reminder_id = g_timeout_add_seconds ((guint) MAX (delay, 1), reminder_cb, self);
}

static void
periodic_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CpTickService *self = CP_TICK_SERVICE (object);
  g_autoptr(GPtrArray) notices = NULL;
  g_autoptr(GError) error = NULL;

  self->running = FALSE;
  notices = cp_tick_service_run_finish (self, result, NULL, &error);
  if (notices == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("The time rules could not run: %s", error->message);
      return;
    }
  schedule_reminder (self);
  if (notices->len > 0)
    g_signal_emit (self, signals[NOTICED], 0, notices);
}

static gboolean
periodic_cb (gpointer user_data)
{
  CpTickService *self = user_data;

  /* A tick that takes longer than the interval is not stacked. */
  if (!self->running)
    {
      self->running = TRUE;
      cp_tick_service_run_async (self, self->cancellable, periodic_done_cb, NULL);
    }
  return G_SOURCE_CONTINUE;
}

/**
 * cp_tick_service_start:
 * @interval_seconds: between ticks
 *
 * Runs the time rules now, then every @interval_seconds.
 */
void
cp_tick_service_start (CpTickService *self,
                       guint          interval_seconds)
{
  g_return_if_fail (CP_IS_TICK_SERVICE (self));
  g_return_if_fail (interval_seconds > 0);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->interval = interval_seconds;
  periodic_cb (self);
  self->timeout_id = g_timeout_add_seconds (interval_seconds, periodic_cb, self);
}

void
cp_alert_free (CpAlert *alert)
{
  if (alert == NULL)
    return;
  g_free (alert->id);
  g_free (alert->title);
  g_free (alert->body);
  g_free (alert->lead_id);
  g_free (alert->snooze_target);
  g_free (alert);
}

static CpAlert *
alert_for_notice (const CpNotice *notice,
                  gboolean        clock_12h)
{
  CpAlert *alert = g_new0 (CpAlert, 1);

  alert->id = notice->snooze_target != NULL ? g_strdup_printf ("remind-%s", notice->snooze_target)
                                             : g_strdup_printf ("lead-%s", notice->lead_id);
  alert->lead_id = g_strdup (notice->lead_id);
  alert->snooze_target = g_strdup (notice->snooze_target);
  switch (notice->kind)
    {
    case CP_NOTICE_TASK_SOON:
    case CP_NOTICE_TASK_DUE:
      {
        g_autofree char *when = cp_format_moment_on_clock (notice->due_at, NULL, clock_12h);

        alert->title = g_strdup (notice->kind == CP_NOTICE_TASK_DUE ? _("Task Due Now")
                                                                    : _("Task Due Soon"));
        /* Translators: a task's title, the lead's name, when the task is due */
        alert->body = g_strdup_printf (_("%s — %s, due %s."), notice->title, notice->name, when);
      }
      break;
    case CP_NOTICE_SLA_SOON:
      {
        g_autofree char *when = cp_format_moment_on_clock (notice->due_at, NULL, clock_12h);

        alert->title = g_strdup (_("Response Due Soon"));
        /* Translators: a lead's name, its stage, when the first response is due */
        alert->body = g_strdup_printf (_("%s (%s): the first response is due %s."), notice->name,
                                       cp_value_label (notice->stage), when);
        alert->urgent = TRUE;
      }
      break;
    case CP_NOTICE_BREACHED:
      {
        g_autofree char *when = cp_format_moment_on_clock (notice->due_at, NULL, clock_12h);

        alert->title = g_strdup (_("Response Overdue"));
        /* Translators: a lead's name, its stage, when the response was due */
        alert->body = g_strdup_printf (_("%s (%s): the first response was due %s."), notice->name,
                                       cp_value_label (notice->stage), when);
        alert->urgent = TRUE;
      }
      break;
    case CP_NOTICE_ESCALATED:
      alert->title = g_strdup (_("Lead Escalated to You"));
      alert->body = g_strdup_printf (_("%s (%s) waited too long for a response."), notice->name,
                                     cp_value_label (notice->stage));
      alert->urgent = TRUE;
      break;
    case CP_NOTICE_ASSIGNED:
    default:
      alert->title = g_strdup (_("New Lead for You"));
      alert->body = g_strdup_printf (_("%s (%s) is yours to follow up."), notice->name,
                                     cp_value_label (notice->stage));
      break;
    }
  return alert;
}

/* Many notices of one kind at once (the first tick after a weekend):
 * one alert that names the first two and counts the rest. */
static CpAlert *
alert_for_many (GPtrArray    *notices,
                CpNoticeKind  kind,
                guint         count)
{
  CpAlert *alert = g_new0 (CpAlert, 1);
  const char *names[2] = { NULL, NULL };
  guint n = 0;

  for (guint i = 0; i < notices->len && n < 2; i++)
    if (((CpNotice *) notices->pdata[i])->kind == kind)
      names[n++] = ((CpNotice *) notices->pdata[i])->name;
  alert->id = g_strdup_printf ("many-%d", kind);
  switch (kind)
    {
    case CP_NOTICE_BREACHED:
      /* Translators: the count is always more than CP_ALERT_MAX_SINGLE */
      alert->title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Response Overdue",
                                                   "%u Responses Overdue", count), count);
      alert->urgent = TRUE;
      break;
    case CP_NOTICE_ESCALATED:
      alert->title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Lead Escalated to You",
                                                   "%u Leads Escalated to You", count), count);
      alert->urgent = TRUE;
      break;
    case CP_NOTICE_TASK_SOON:
    case CP_NOTICE_TASK_DUE:
      alert->title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Task Coming Due",
                                                   "%u Tasks Coming Due", count), count);
      break;
    case CP_NOTICE_SLA_SOON:
      alert->title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Response Due Soon",
                                                   "%u Responses Due Soon", count), count);
      alert->urgent = TRUE;
      break;
    case CP_NOTICE_ASSIGNED:
    default:
      alert->title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u New Lead for You",
                                                   "%u New Leads for You", count), count);
      break;
    }
  /* Translators: two lead names, then how many more leads */
  alert->body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %s and %u more.",
                                              "%s, %s and %u more.", count - 2),
                                 names[0], names[1], count - 2);
  return alert;
}

/**
 * cp_notices_to_alerts:
 * @notices: (element-type CpNotice): what one tick found for the user
 * @clock_12h: times as “2:00 PM” rather than “14:00” (the desktop's clock)
 *
 * One alert per notice, unless there are more than %CP_ALERT_MAX_SINGLE
 * of a kind: those become one alert, so that a busy morning is one
 * notification, not thirty.
 *
 * Returns: (transfer full) (element-type CpAlert): the alerts
 */
GPtrArray *
cp_notices_to_alerts (GPtrArray *notices,
                      gboolean   clock_12h)
{
  GPtrArray *alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_alert_free);
  guint counts[CP_NOTICE_N_KINDS] = { 0, };

  g_return_val_if_fail (notices != NULL, alerts);

  for (guint i = 0; i < notices->len; i++)
    counts[((CpNotice *) notices->pdata[i])->kind]++;
  for (CpNoticeKind kind = CP_NOTICE_BREACHED; kind < CP_NOTICE_N_KINDS; kind++)
    {
      if (counts[kind] > CP_ALERT_MAX_SINGLE)
        {
          g_ptr_array_add (alerts, alert_for_many (notices, kind, counts[kind]));
          continue;
        }
      for (guint i = 0; i < notices->len; i++)
        if (((CpNotice *) notices->pdata[i])->kind == kind)
          g_ptr_array_add (alerts, alert_for_notice (notices->pdata[i], clock_12h));
    }
  return alerts;
}

/**
 * cp_alert_to_notification:
 *
 * Returns: (transfer full): the desktop notification: it opens the lead,
 *   or the main window for an alert about many
 */
GNotification *
cp_alert_to_notification (const CpAlert *alert)
{
  GNotification *notification = g_notification_new (alert->title);

  g_notification_set_body (notification, alert->body);
  if (alert->urgent)
    g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  if (alert->lead_id != NULL)
    {
      g_notification_set_default_action_and_target (notification, "app.open-lead", "s",
                                                    alert->lead_id);
      g_notification_add_button_with_target (notification, _("Open Lead"), "app.open-lead", "s",
                                             alert->lead_id);
    }
  /* A task snoozes for an hour; a response reminder comes back in one. */
  if (alert->snooze_target != NULL)
    g_notification_add_button_with_target (notification, _("Snooze 1 Hour"), "app.snooze-task", "s",
                                           alert->snooze_target);
  return notification;
}
