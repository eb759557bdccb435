/* test-tick-service.c — the time rules while the app runs: what they tell the person using it
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cp-datetime.h"
#include "cp-task-store.h"
#include "cp-tick-service.h"
#include "cp-test-util.h"

typedef struct
{
  char          *dir;
  char          *path;
  CpDatabase    *database;
  CpLeadStore   *store;
  CpTickService *service;
  GPtrArray     *notices;
  CpTickReport  *report;
} Fixture;

static gint64 clock_now;

static gint64
fixed_clock (void)
{
  return clock_now;
}

static gint64
at (const char *iso)
{
  gint64 when = 0;

  g_assert_true (cp_datetime_parse_iso8601 (iso, &when, NULL));
  return when;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  cp_test_tmp_store_open (&f->dir, &f->database, &f->store);
  f->path = g_strdup (cp_database_get_path (f->database));
  cp_lead_store_set_clock (f->store, fixed_clock);
  f->service = cp_tick_service_new (f->path, "Hannah Brooks");
  cp_tick_service_set_clock (f->service, fixed_clock);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->notices, g_ptr_array_unref);
  g_clear_pointer (&f->report, cp_tick_report_free);
  g_clear_object (&f->service);
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
  g_free (f->path);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;

  f->notices = cp_tick_service_run_finish (CP_TICK_SERVICE (object), result, &f->report, &error);
  g_assert_no_error (error);
}

/* One tick on the worker thread, as the app runs it, as of @now. */
static void
run_tick (Fixture    *f,
          const char *now)
{
  g_clear_pointer (&f->notices, g_ptr_array_unref);
  g_clear_pointer (&f->report, cp_tick_report_free);
  clock_now = at (now);
  cp_tick_service_run_async (f->service, NULL, run_done_cb, f);
  while (f->notices == NULL)
    g_main_context_iteration (NULL, TRUE);
}

/* Ten new leads at Harbor Point on Christmas Eve: Northeast intake gives
 * them to its two owners in turn, each due Monday at noon in New York. */
static void
create_leads (Fixture *f,
              guint    n)
{
  clock_now = at ("2026-12-24T23:00:00Z");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Lead %02u", i);
      g_autofree char *id = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, name,
                                                 CP_LEAD_FIELD_LOCATION, "Harbor Point",
                                                 CP_LEAD_N_FIELDS);
    }
}

static void
test_breaches_of_my_leads (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts = NULL;
  CpAlert *alert;

  create_leads (f, 10);

  /* Before anything is due: nothing to say. */
  run_tick (f, "2026-12-28T16:00:00Z");
  g_assert_cmpuint (f->notices->len, ==, 0);

  run_tick (f, "2026-12-28T17:30:00Z");
  g_assert_cmpuint (f->report->breached, ==, 10);
  /* Only Hannah's: five of the ten. */
  g_assert_cmpuint (f->notices->len, ==, 5);
  for (guint i = 0; i < f->notices->len; i++)
    {
      CpNotice *notice = f->notices->pdata[i];
      g_autoptr(CpLead) lead = cp_lead_store_get (f->store, notice->lead_id, NULL);

      g_assert_cmpint (notice->kind, ==, CP_NOTICE_BREACHED);
      g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_OWNER), ==, "Hannah Brooks");
      g_assert_cmpint (notice->due_at, ==, at ("2026-12-28T17:00:00Z"));
      g_assert_true (g_str_has_prefix (notice->name, "Lead "));
    }

  /* Five at once are one notification, not five. */
  alerts = cp_notices_to_alerts (f->notices, FALSE);
  g_assert_cmpuint (alerts->len, ==, 1);
  alert = alerts->pdata[0];
  g_assert_cmpstr (alert->title, ==, "5 Responses Overdue");
  g_assert_true (g_str_has_suffix (alert->body, " and 3 more."));
  g_assert_null (alert->lead_id);
  g_assert_true (alert->urgent);
  {
    g_autoptr(GNotification) notification = cp_alert_to_notification (alert);
    g_assert_nonnull (notification);
  }

  /* Up to three are told one by one, with the lead to open. */
  {
    g_autoptr(GPtrArray) few = g_ptr_array_new ();
    g_autoptr(GPtrArray) singles = NULL;
    CpNotice *notice = f->notices->pdata[0];
    g_autofree char *body =
        g_strdup_printf ("%s (New): the first response was due Mon 28 Dec, 17:00.", notice->name);

    g_ptr_array_add (few, f->notices->pdata[0]);
    g_ptr_array_add (few, f->notices->pdata[1]);
    singles = cp_notices_to_alerts (few, FALSE);
    g_assert_cmpuint (singles->len, ==, 2);
    alert = singles->pdata[0];
    g_assert_cmpstr (alert->title, ==, "Response Overdue");
    g_assert_cmpstr (alert->body, ==, body);
    g_assert_cmpstr (alert->lead_id, ==, notice->lead_id);
  }

  /* Told once. */
  run_tick (f, "2026-12-28T17:45:00Z");
  g_assert_cmpuint (f->notices->len, ==, 0);
}

static void
test_new_lead_for_me (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts = NULL;
  g_autofree char *id = NULL;
  CpAlert *alert;

  create_leads (f, 2);
  /* The first look only notes where the trail is: earlier assignments
   * are not news. */
  run_tick (f, "2026-12-24T23:05:00Z");
  g_assert_cmpuint (f->notices->len, ==, 0);

  clock_now = at ("2026-12-24T23:10:00Z");
  id = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Nadia", CP_LEAD_FIELD_LAST_NAME,
                            "Okoro", CP_LEAD_FIELD_OWNER, "Hannah Brooks", CP_LEAD_N_FIELDS);
  run_tick (f, "2026-12-24T23:15:00Z");
  g_assert_cmpuint (f->notices->len, ==, 1);
  g_assert_cmpint (((CpNotice *) f->notices->pdata[0])->kind, ==, CP_NOTICE_ASSIGNED);
  g_assert_cmpstr (((CpNotice *) f->notices->pdata[0])->lead_id, ==, id);

  alerts = cp_notices_to_alerts (f->notices, FALSE);
  g_assert_cmpuint (alerts->len, ==, 1);
  alert = alerts->pdata[0];
  g_assert_cmpstr (alert->title, ==, "New Lead for You");
  g_assert_cmpstr (alert->body, ==, "Nadia Okoro (New) is yours to follow up.");
  g_assert_cmpstr (alert->lead_id, ==, id);
  g_assert_false (alert->urgent);

  /* Someone else's leads are not news to this user. */
  cp_tick_service_set_user (f->service, "Somebody Else");
  run_tick (f, "2026-12-24T23:20:00Z");
  clock_now = at ("2026-12-24T23:25:00Z");
  g_free (cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Omar",
                               CP_LEAD_FIELD_OWNER, "Hannah Brooks", CP_LEAD_N_FIELDS));
  run_tick (f, "2026-12-24T23:30:00Z");
  g_assert_cmpuint (f->notices->len, ==, 0);
}

/* A task of the user's through the running tick, as the app sends it: a
 * reminder 15 minutes ahead, once; “Snooze 1 Hour” from the notification
 * (what app.snooze-task does) moves the task, and the reminder comes again
 * for the new time, not before. */
static void
test_task_reminders (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CpTask) task = cp_task_new ();
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *target = NULL;
  CpNotice *notice = NULL;

  clock_now = at ("2026-12-24T09:00:00Z");
  id = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Nadia", CP_LEAD_FIELD_LAST_NAME,
                            "Okoro", CP_LEAD_FIELD_OWNER, "Hannah Brooks", CP_LEAD_N_FIELDS);
  cp_task_set_lead_id (task, id);
  cp_task_set_title (task, "Call back about coverage");
  cp_task_set_owner (task, "Hannah Brooks");
  cp_task_set_due_at (task, at ("2026-12-24T11:00:00Z"));
  g_assert_true (cp_lead_store_add_task (f->store, task, "test", &error));
  g_assert_no_error (error);

  run_tick (f, "2026-12-24T09:05:00Z");
  for (guint i = 0; i < f->notices->len; i++)
    g_assert_cmpint (((CpNotice *) f->notices->pdata[i])->kind, !=, CP_NOTICE_TASK_SOON);

  /* Ten minutes ahead: one reminder, with what snoozing it needs. */
  run_tick (f, "2026-12-24T10:50:00Z");
  for (guint i = 0; i < f->notices->len; i++)
    if (((CpNotice *) f->notices->pdata[i])->kind == CP_NOTICE_TASK_SOON)
      {
        g_assert_null (notice);
        notice = f->notices->pdata[i];
      }
  g_assert_nonnull (notice);
  g_assert_cmpstr (notice->lead_id, ==, id);
  g_assert_cmpstr (notice->title, ==, "Call back about coverage");
  g_assert_nonnull (notice->snooze_target);
  target = g_strdup (notice->snooze_target);
  alerts = cp_notices_to_alerts (f->notices, FALSE);
  g_assert_cmpuint (alerts->len, >=, 1);
  {
    gboolean found = FALSE;

    for (guint i = 0; i < alerts->len; i++)
      found |= g_strcmp0 (((CpAlert *) alerts->pdata[i])->snooze_target, target) == 0;
    g_assert_true (found);
  }
  /* The time as the desktop's clock shows it, as My Work does (it was
   * always on a 24-hour clock). */
  {
    g_autoptr(GPtrArray) twelve = cp_notices_to_alerts (f->notices, TRUE);
    g_autoptr(GPtrArray) twenty_four = cp_notices_to_alerts (f->notices, FALSE);
    gboolean found = FALSE;

    for (guint i = 0; i < twelve->len; i++)
      if (g_strcmp0 (((CpAlert *) twelve->pdata[i])->snooze_target, target) == 0)
        {
          g_assert_cmpstr (((CpAlert *) twelve->pdata[i])->body, ==,
                           "Call back about coverage — Nadia Okoro, due Thu 24 Dec, 11:00 AM.");
          g_assert_cmpstr (((CpAlert *) twenty_four->pdata[i])->body, ==,
                           "Call back about coverage — Nadia Okoro, due Thu 24 Dec, 11:00.");
          found = TRUE;
        }
    g_assert_true (found);
  }

  /* Not twice. */
  run_tick (f, "2026-12-24T10:55:00Z");
  for (guint i = 0; i < f->notices->len; i++)
    g_assert_cmpint (((CpNotice *) f->notices->pdata[i])->kind, !=, CP_NOTICE_TASK_SOON);

  /* Snoozed for an hour at 10:55: quiet at 11:00, reminded again before
   * 11:55. */
  clock_now = at ("2026-12-24T10:55:00Z");
  g_assert_true (
      cp_lead_store_snooze_reminder (f->store, target, clock_now + 3600, "test", &error));
  g_assert_no_error (error);
  run_tick (f, "2026-12-24T11:01:00Z");
  for (guint i = 0; i < f->notices->len; i++)
    {
      CpNoticeKind kind = ((CpNotice *) f->notices->pdata[i])->kind;
      g_assert_true (kind != CP_NOTICE_TASK_SOON && kind != CP_NOTICE_TASK_DUE);
    }
  run_tick (f, "2026-12-24T11:45:00Z");
  {
    guint reminded = 0;

    for (guint i = 0; i < f->notices->len; i++)
      {
        CpNotice *again = f->notices->pdata[i];

        if ((again->kind == CP_NOTICE_TASK_SOON || again->kind == CP_NOTICE_TASK_DUE) &&
            g_strcmp0 (again->lead_id, id) == 0)
          {
            reminded++;
            g_assert_cmpint (again->due_at, ==, at ("2026-12-24T11:55:00Z"));
          }
      }
    g_assert_cmpuint (reminded, ==, 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tick-service/breaches-of-my-leads", Fixture, NULL, fixture_set_up,
              test_breaches_of_my_leads, fixture_tear_down);
  g_test_add ("/tick-service/task-reminders", Fixture, NULL, fixture_set_up,
              test_task_reminders, fixture_tear_down);
  g_test_add ("/tick-service/new-lead-for-me", Fixture, NULL, fixture_set_up,
              test_new_lead_for_me, fixture_tear_down);
  return g_test_run ();
}
