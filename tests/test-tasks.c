/* test-tasks.c — tasks: what stages create, the write path's bookkeeping, the store's refusals, My
 * Work, reminders
 *
 * Leads are written through the store with a fixed clock, so that the
 * business-hours due times are known (the default playbook: 08:00–17:00
 * on weekdays, America/Chicago, Harbor Point in America/New_York, US
 * holidays).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cp-core-error.h"
#include "cp-datetime.h"
#include "cp-lead-store.h"
#include "cp-playbook-format.h"
#include "cp-reminders.h"
#include "cp-store-error.h"
#include "cp-task-store.h"
#include "cp-test-util.h"

typedef struct
{
  char        *dir;
  CpDatabase  *database;
  CpLeadStore *store;
} Fixture;

static gint64 fixed_now;

static gint64
fixed_clock (void)
{
  return fixed_now;
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
  cp_lead_store_set_clock (f->store, fixed_clock);
  fixed_now = at ("2026-03-02T15:00:00Z");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
}

/* A lead ready for Qualified (its required fields known), in New. */
static char *
new_lead (Fixture    *f,
          const char *first_name,
          const char *location)
{
  g_autofree char *email = g_strdup_printf ("%s@example.org", first_name);

  return cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, first_name, CP_LEAD_FIELD_EMAIL,
                              email, CP_LEAD_FIELD_LOCATION, location, CP_LEAD_FIELD_SERVICE_LINE,
                              "cardiology", CP_LEAD_FIELD_LEAD_TYPE, "patient", CP_LEAD_N_FIELDS);
}

static void
move (Fixture    *f,
      const char *id,
      const char *stage)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (
      cp_lead_store_move (f->store, id, NULL, stage, NULL, "test move", "test", NULL, &error));
  g_assert_no_error (error);
}

static GPtrArray *
lead_tasks (Fixture    *f,
            const char *id,
            gboolean    include_closed)
{
  CpTaskFilter filter = { 0, };
  g_autoptr(GError) error = NULL;
  GPtrArray *tasks;

  filter.lead_id = id;
  filter.include_closed = include_closed;
  tasks = cp_lead_store_list_tasks (f->store, &filter, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tasks);
  return tasks;
}

/* The one task of @tasks with @origin (and @title, when not %NULL). */
static CpTask *
find_task (GPtrArray  *tasks,
           const char *origin,
           const char *title)
{
  CpTask *found = NULL;

  for (guint i = 0; i < tasks->len; i++)
    if (g_strcmp0 (cp_task_get_origin (tasks->pdata[i]), origin) == 0 &&
        (title == NULL || g_strcmp0 (cp_task_get_title (tasks->pdata[i]), title) == 0))
      {
        g_assert_null (found);
        found = tasks->pdata[i];
      }
  g_assert_nonnull (found);
  return found;
}

static char *
lead_owner (Fixture    *f,
            const char *id)
{
  g_autoptr(CpLead) lead = cp_lead_store_get (f->store, id, NULL);

  g_assert_nonnull (lead);
  return g_strdup (cp_lead_get_text (lead, CP_LEAD_FIELD_OWNER));
}

static void
assert_time (gint64      value,
             const char *iso)
{
  g_autofree char *text = cp_datetime_format_iso8601 (value);

  g_assert_cmpstr (text, ==, iso);
}

/* Friday 18:00 in New York, after closing: the 8 business hours of the
 * discovery call start on Monday at 08:00 (after the DST change of
 * Sunday 8 March: 08:00 EDT is 12:00 UTC) and end at 16:00. */
static void
test_stage_entry_friday_evening (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *owner = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  CpTask *call, *response;

  fixed_now = at ("2026-03-06T23:00:00Z");
  id = new_lead (f, "Ada", "Harbor Point");
  tasks = lead_tasks (f, id, FALSE);
  /* New has a 4-hour SLA: only the response task, due Monday 12:00 EDT. */
  g_assert_cmpuint (tasks->len, ==, 1);
  assert_time (cp_task_get_due_at (find_task (tasks, "sla", NULL)), "2026-03-09T16:00:00Z");
  g_clear_pointer (&tasks, g_ptr_array_unref);

  move (f, id, "qualified");
  tasks = lead_tasks (f, id, FALSE);
  g_assert_cmpuint (tasks->len, ==, 2);
  owner = lead_owner (f, id);
  g_assert_nonnull (owner);

  call = find_task (tasks, "stage", "Schedule discovery call");
  g_assert_cmpint (cp_task_get_kind (call), ==, CP_TASK_KIND_CALL);
  g_assert_cmpstr (cp_task_get_template_key (call), ==, "qualified_call");
  g_assert_cmpstr (cp_task_get_stage_id (call), ==, "qualified");
  g_assert_cmpstr (cp_task_get_owner (call), ==, owner);
  g_assert_cmpstr (cp_task_get_lead_name (call), ==, "Ada");
  assert_time (cp_task_get_due_at (call), "2026-03-09T20:00:00Z");

  /* The response task followed the clock the move restarted: one task, moved. */
  response = find_task (tasks, "sla", NULL);
  g_assert_cmpstr (cp_task_get_title (response), ==, "First response");
  g_assert_cmpint (cp_task_get_kind (response), ==, CP_TASK_KIND_EMAIL);
  assert_time (cp_task_get_due_at (response), "2026-03-09T20:00:00Z");
  g_assert_cmpint (cp_test_sql_int (f->database, "SELECT count(*) FROM tasks WHERE lead_id = ?1",
                                    id),
                   ==, 2);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM audit_log WHERE entity = 'task'"
                                    " AND action = 'reschedule' AND entity_id IN"
                                    " (SELECT id FROM tasks WHERE lead_id = ?1)",
                                    id),
                   ==, 1);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM audit_log WHERE entity = 'task'"
                                    " AND action = 'create' AND entity_id IN"
                                    " (SELECT id FROM tasks WHERE lead_id = ?1)",
                                    id),
                   ==, 2);
}

/* Wednesday before Thanksgiving, 16:00 in Chicago: one business hour
 * that day, none on the holiday, seven on Friday (till 15:00 CST). */
static void
test_stage_entry_holiday (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) tasks = NULL;

  fixed_now = at ("2026-11-25T15:00:00Z");
  id = new_lead (f, "Bo", "Riverside");
  fixed_now = at ("2026-11-25T22:00:00Z");
  move (f, id, "qualified");
  tasks = lead_tasks (f, id, FALSE);
  assert_time (cp_task_get_due_at (find_task (tasks, "stage", NULL)), "2026-11-27T21:00:00Z");
}

/* The first outreach (whatever sets first_response_at) completes the
 * response task, with the activity that did it. */
static void
test_first_outreach_completes (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *id = new_lead (f, "Cy", "Riverside");
  g_autoptr(CpActivity) note = cp_activity_new ();
  g_autoptr(CpActivity) email = cp_activity_new ();
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  CpTask *response;

  /* A note is no response. */
  cp_activity_set_lead_id (note, id);
  cp_activity_set_kind (note, CP_ACTIVITY_KIND_NOTE);
  cp_activity_set_detail (note, "Left a sticky note");
  g_assert_true (cp_lead_store_log_activity (f->store, note, NULL, &error));
  g_assert_no_error (error);
  tasks = lead_tasks (f, id, FALSE);
  g_assert_cmpuint (tasks->len, ==, 1);
  g_clear_pointer (&tasks, g_ptr_array_unref);

  fixed_now += 600;
  cp_activity_set_lead_id (email, id);
  cp_activity_set_kind (email, CP_ACTIVITY_KIND_EMAIL_SENT);
  g_assert_true (cp_lead_store_log_activity (f->store, email, NULL, &error));
  g_assert_no_error (error);

  tasks = lead_tasks (f, id, TRUE);
  response = find_task (tasks, "sla", "First response");
  g_assert_cmpint (cp_task_get_status (response), ==, CP_TASK_STATUS_DONE);
  g_assert_cmpint (cp_task_get_done_at (response), ==, fixed_now);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM tasks WHERE completed_by = ?1",
                                    cp_activity_get_id (email)),
                   ==, 1);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM audit_log WHERE entity = 'task'"
                                    " AND action = 'done' AND entity_id = ?1",
                                    cp_task_get_id (response)),
                   ==, 1);
}

/* Closing cancels the playbook's open tasks; someone's own task stays. */
static void
test_close_cancels (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *id = new_lead (f, "Di", "Riverside");
  g_autoptr(CpTask) manual = cp_task_new ();
  g_autoptr(CpLead) lead = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;

  move (f, id, "qualified");
  cp_task_set_lead_id (manual, id);
  cp_task_set_title (manual, "Send the brochure");
  cp_task_set_due_at (manual, fixed_now + 86400);
  g_assert_true (cp_lead_store_add_task (f->store, manual, "test", &error));
  g_assert_no_error (error);

  lead = cp_lead_store_get (f->store, id, NULL);
  cp_lead_set_text (lead, CP_LEAD_FIELD_CLOSURE_OUTCOME, "lost");
  cp_lead_set_text (lead, CP_LEAD_FIELD_CLOSURE_REASON, "no_response");
  g_assert_true (cp_lead_store_move (f->store, id, NULL, "closed_lost", lead, "no reply", "test",
                                     NULL, &error));
  g_assert_no_error (error);

  tasks = lead_tasks (f, id, TRUE);
  g_assert_cmpuint (tasks->len, ==, 3);
  g_assert_cmpint (cp_task_get_status (find_task (tasks, "stage", NULL)), ==,
                   CP_TASK_STATUS_CANCELLED);
  g_assert_cmpint (cp_task_get_status (find_task (tasks, "sla", NULL)), ==,
                   CP_TASK_STATUS_CANCELLED);
  g_assert_cmpint (cp_task_get_status (find_task (tasks, "manual", NULL)), ==, CP_TASK_STATUS_OPEN);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM audit_log WHERE entity = 'task'"
                                    " AND action = 'cancel' AND reason = 'The lead was closed'",
                                    NULL),
                   ==, 2);
}

/* Merging two records of one person: the merged-away lead's open tasks
 * follow to the kept lead (audited), done ones stay; undoing the merge
 * gives the open ones back. */
static void
test_merge_moves_open_tasks (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *keep = new_lead (f, "Eva", "Riverside");
  g_autofree char *other = new_lead (f, "Evelyn", "Riverside");
  g_autoptr(CpTask) open_task = cp_task_new ();
  g_autoptr(CpTask) done_task = cp_task_new ();
  g_autoptr(GPtrArray) after_merge = NULL;
  g_autoptr(GPtrArray) after_undo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *merge_id = NULL;
  guint kept_before, other_open;

  cp_task_set_lead_id (open_task, other);
  cp_task_set_title (open_task, "Call back about coverage");
  cp_task_set_due_at (open_task, fixed_now + 86400);
  g_assert_true (cp_lead_store_add_task (f->store, open_task, "test", &error));
  g_assert_no_error (error);
  cp_task_set_lead_id (done_task, other);
  cp_task_set_title (done_task, "Send the brochure");
  cp_task_set_due_at (done_task, fixed_now + 3600);
  g_assert_true (cp_lead_store_add_task (f->store, done_task, "test", &error));
  g_assert_true (
      cp_lead_store_complete_task (f->store, cp_task_get_id (done_task), NULL, "test", &error));
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) before = lead_tasks (f, keep, FALSE);
    g_autoptr(GPtrArray) others = lead_tasks (f, other, FALSE);

    kept_before = before->len;
    other_open = others->len;   /* its first-response task and the call back */
    g_assert_cmpuint (other_open, ==, 2);
  }

  merge_id = cp_lead_store_merge (f->store, keep, other, NULL, 0, "test", &error);
  g_assert_no_error (error);
  g_assert_nonnull (merge_id);

  after_merge = lead_tasks (f, keep, FALSE);
  g_assert_cmpuint (after_merge->len, ==, kept_before + other_open);
  g_assert_cmpstr (cp_task_get_id (find_task (after_merge, "manual", "Call back about coverage")),
                   ==, cp_task_get_id (open_task));
  /* The done one stays with the merged-away record (which lists nothing
   * now: it is a tombstone). */
  g_assert_cmpint (cp_test_sql_int (f->database, "SELECT count(*) FROM tasks t"
                                    " JOIN merges m ON m.other_id = t.lead_id"
                                    " WHERE t.id = ?1 AND t.status = 'done'",
                                    cp_task_get_id (done_task)), ==, 1);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM audit_log WHERE entity = 'task'"
                                    " AND action = 'merge' AND entity_id = ?1",
                                    cp_task_get_id (open_task)),
                   ==, 1);

  g_assert_true (cp_lead_store_undo_merge (f->store, merge_id, "test", &error));
  g_assert_no_error (error);
  after_undo = lead_tasks (f, other, FALSE);
  g_assert_cmpuint (after_undo->len, ==, other_open);
  g_assert_cmpstr (cp_task_get_id (find_task (after_undo, "manual", "Call back about coverage")),
                   ==, cp_task_get_id (open_task));
  {
    g_autoptr(GPtrArray) kept_after = lead_tasks (f, keep, FALSE);
    g_assert_cmpuint (kept_after->len, ==, kept_before);
  }
}

/* A new owner takes over the open stage and response tasks the former
 * owner had; a task given to a colleague, or a manual one, stays. */
static void
test_owner_change_moves_tasks (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *id = new_lead (f, "Ed", "Riverside");
  g_autofree char *old_owner = NULL;
  g_autoptr(CpTask) manual = cp_task_new ();
  g_autoptr(CpLead) lead = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  CpTask *response;

  move (f, id, "qualified");
  old_owner = lead_owner (f, id);
  cp_task_set_lead_id (manual, id);
  cp_task_set_title (manual, "Personal follow-up");
  cp_task_set_due_at (manual, fixed_now + 3600);
  g_assert_true (cp_lead_store_add_task (f->store, manual, "test", &error));
  g_assert_cmpstr (cp_task_get_owner (manual), ==, old_owner);
  tasks = lead_tasks (f, id, FALSE);
  response = find_task (tasks, "sla", NULL);
  g_assert_true (cp_lead_store_reassign_task (f->store, cp_task_get_id (response), "Colleague",
                                              "test", &error));
  g_assert_no_error (error);
  g_clear_pointer (&tasks, g_ptr_array_unref);

  lead = cp_lead_store_get (f->store, id, NULL);
  cp_lead_set_text (lead, CP_LEAD_FIELD_OWNER, "New Owner");
  g_assert_true (cp_lead_store_update (f->store, lead, "test", NULL, &error));
  g_assert_no_error (error);

  tasks = lead_tasks (f, id, FALSE);
  g_assert_cmpstr (cp_task_get_owner (find_task (tasks, "stage", NULL)), ==, "New Owner");
  g_assert_cmpstr (cp_task_get_owner (find_task (tasks, "sla", NULL)), ==, "Colleague");
  g_assert_cmpstr (cp_task_get_owner (find_task (tasks, "manual", NULL)), ==, old_owner);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM audit_log WHERE entity = 'task'"
                                    " AND action = 'reassign' AND new_value = 'New Owner'",
                                    NULL),
                   ==, 1);
}

static gint64
task_count (Fixture *f)
{
  return cp_test_count_rows (f->database, "tasks");
}

/* Bad input is refused with a message, and writes nothing. */
static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *id = new_lead (f, "Flo", "Riverside");
  g_autofree char *long_title = g_strnfill (CP_TASK_TITLE_MAX + 1, 'x');
  g_autoptr(CpTask) task = cp_task_new ();
  g_autoptr(CpTask) missing = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before = task_count (f);
  gint64 audit = cp_test_count_rows (f->database, "audit_log");

  cp_task_set_lead_id (task, "no-such-lead");
  cp_task_set_title (task, "Call");
  cp_task_set_due_at (task, fixed_now + 60);
  g_assert_false (cp_lead_store_add_task (f->store, task, "test", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  cp_task_set_lead_id (task, id);
  cp_task_set_title (task, "   ");
  g_assert_false (cp_lead_store_add_task (f->store, task, "test", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_REQUIRED);
  g_clear_error (&error);
  g_assert_false (cp_task_validate_field (task, "title", &error));
  g_clear_error (&error);
  g_assert_true (cp_task_validate_field (task, "due-at", &error));

  cp_task_set_title (task, long_title);
  g_assert_false (cp_lead_store_add_task (f->store, task, "test", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_TOO_LONG);
  g_clear_error (&error);

  cp_task_set_title (task, "Two\nlines");
  g_assert_false (cp_lead_store_add_task (f->store, task, "test", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  g_clear_error (&error);

  cp_task_set_title (task, "Call back");
  cp_task_set_due_at (task, 0);
  g_assert_false (cp_lead_store_add_task (f->store, task, "test", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_REQUIRED);
  g_clear_error (&error);
  g_assert_false (cp_task_validate_field (task, "due-at", &error));
  g_clear_error (&error);
  g_assert_cmpint (task_count (f), ==, before);
  g_assert_cmpint (cp_test_count_rows (f->database, "audit_log"), ==, audit);

  cp_task_set_due_at (task, fixed_now + 60);
  g_assert_true (cp_lead_store_add_task (f->store, task, "test", &error));
  g_assert_no_error (error);

  g_assert_false (
      cp_lead_store_snooze_task (f->store, cp_task_get_id (task), fixed_now, "test", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (
      cp_lead_store_complete_task (f->store, cp_task_get_id (task), NULL, "test", &error));
  g_assert_no_error (error);
  g_assert_false (
      cp_lead_store_complete_task (f->store, cp_task_get_id (task), NULL, "test", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "done already"));
  g_clear_error (&error);
  g_assert_false (
      cp_lead_store_snooze_task (f->store, cp_task_get_id (task), fixed_now + 60, "test", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (
      cp_lead_store_cancel_task (f->store, cp_task_get_id (task), NULL, "test", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_clear_error (&error);

  missing = cp_lead_store_get_task (f->store, "no-such-task", &error);
  g_assert_null (missing);
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cp_lead_store_complete_task (f->store, "no-such-task", NULL, "test", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
}

static void
tasks_changed_cb (CpLeadStore *store,
                  const char  *lead_id,
                  GPtrArray   *seen)
{
  g_ptr_array_add (seen, g_strdup (lead_id));
}

static CpTask *
add_manual (Fixture    *f,
            const char *lead_id,
            const char *title,
            const char *owner,
            gint64      due)
{
  CpTask *task = cp_task_new ();
  g_autoptr(GError) error = NULL;

  cp_task_set_lead_id (task, lead_id);
  cp_task_set_title (task, title);
  cp_task_set_owner (task, owner);
  cp_task_set_due_at (task, due);
  g_assert_true (cp_lead_store_add_task (f->store, task, "test", &error));
  g_assert_no_error (error);
  return task;
}

static void
assert_titles (GPtrArray  *tasks,
               const char *expected)
{
  g_autoptr(GString) titles = g_string_new (NULL);

  for (guint i = 0; i < tasks->len; i++)
    g_string_append_printf (titles, "%s%s", i > 0 ? "," : "", cp_task_get_title (tasks->pdata[i]));
  g_assert_cmpstr (titles->str, ==, expected);
}

/* Listing by owner and due window, in a zone; paging; the badge counts;
 * the change signal. */
static void
test_list_and_count (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GTimeZone) chicago = g_time_zone_new_identifier ("America/Chicago");
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *id = NULL;
  g_autoptr(CpTask) a = NULL, b = NULL, c = NULL, d = NULL, e = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  CpTaskFilter filter = { 0, };
  guint counts[CP_TASK_N_BUCKETS] = { 0, };
  guint open = 0, overdue = 0;
  gint64 from, before;

  /* Tuesday 10 March, 10:00 CDT. */
  fixed_now = at ("2026-03-10T15:00:00Z");
  id = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Gus", CP_LEAD_FIELD_OWNER, "Kim",
                            CP_LEAD_N_FIELDS);
  g_signal_connect (f->store, "tasks-changed", G_CALLBACK (tasks_changed_cb), seen);
  a = add_manual (f, id, "A overdue", "Kim", at ("2026-03-10T14:00:00Z"));
  b = add_manual (f, id, "B tonight", "Kim", at ("2026-03-11T04:30:00Z"));     /* 23:30 CDT */
  c = add_manual (f, id, "C tomorrow", "Kim", at ("2026-03-11T05:30:00Z")); /* 00:30 CDT the 11th */
  d = add_manual (f, id, "D next month", "Kim", at ("2026-04-20T15:00:00Z"));
  e = add_manual (f, id, "E someone else", "Lou", at ("2026-03-10T16:00:00Z"));
  g_assert_cmpuint (seen->len, ==, 5);
  g_assert_cmpstr (seen->pdata[0], ==, id);

  filter.owner = "Kim";
  filter.now = fixed_now;
  filter.tz = chicago;
  tasks = cp_lead_store_list_tasks (f->store, &filter, &error);
  g_assert_no_error (error);
  /* Gus's response task (New's SLA) is Kim's too. */
  g_assert_cmpuint (tasks->len, ==, 5);
  g_clear_pointer (&tasks, g_ptr_array_unref);

  filter.due = CP_TASK_DUE_OVERDUE;
  tasks = cp_lead_store_list_tasks (f->store, &filter, &error);
  assert_titles (tasks, "A overdue");
  g_clear_pointer (&tasks, g_ptr_array_unref);

  filter.due = CP_TASK_DUE_TODAY;
  tasks = cp_lead_store_list_tasks (f->store, &filter, &error);
  assert_titles (tasks, "A overdue,First response,B tonight");
  g_clear_pointer (&tasks, g_ptr_array_unref);

  filter.due = CP_TASK_DUE_WEEK;
  tasks = cp_lead_store_list_tasks (f->store, &filter, &error);
  assert_titles (tasks, "A overdue,First response,B tonight,C tomorrow");
  g_clear_pointer (&tasks, g_ptr_array_unref);

  /* One section, paged. */
  filter.due = CP_TASK_DUE_ANY;
  cp_task_bucket_bounds (CP_TASK_BUCKET_TODAY, fixed_now, chicago, &from, &before);
  filter.due_from = from;
  filter.due_before = before;
  filter.limit = 1;
  filter.offset = 1;
  tasks = cp_lead_store_list_tasks (f->store, &filter, &error);
  assert_titles (tasks, "B tonight");
  g_clear_pointer (&tasks, g_ptr_array_unref);

  g_assert_true (
      cp_lead_store_count_task_buckets (f->store, "Kim", fixed_now, chicago, counts, &error));
  g_assert_cmpuint (counts[CP_TASK_BUCKET_OVERDUE], ==, 1);
  g_assert_cmpuint (counts[CP_TASK_BUCKET_TODAY], ==, 2);
  g_assert_cmpuint (counts[CP_TASK_BUCKET_UPCOMING], ==, 2);
  g_assert_true (cp_lead_store_count_tasks (f->store, NULL, fixed_now, &open, &overdue, &error));
  g_assert_cmpuint (open, ==, 6);
  g_assert_cmpuint (overdue, ==, 1);

  /* Done and snoozed tasks leave the overdue count. */
  g_assert_true (
      cp_lead_store_snooze_task (f->store, cp_task_get_id (a), fixed_now + 3600, "test", &error));
  g_assert_true (cp_lead_store_count_tasks (f->store, "Kim", fixed_now, &open, &overdue, &error));
  g_assert_cmpuint (open, ==, 5);
  g_assert_cmpuint (overdue, ==, 0);
  g_assert_true (cp_lead_store_complete_task (f->store, cp_task_get_id (b), NULL, "test", &error));
  g_assert_true (cp_lead_store_count_tasks (f->store, "Kim", fixed_now, &open, &overdue, &error));
  g_assert_cmpuint (open, ==, 4);
  g_assert_cmpuint (seen->len, ==, 7);
  {
    g_autoptr(CpTask) snoozed = cp_lead_store_get_task (f->store, cp_task_get_id (a), &error);

    g_assert_cmpint (cp_task_get_effective_due (snoozed), ==, fixed_now + 3600);
    g_assert_cmpint (cp_task_get_due_at (snoozed), ==, at ("2026-03-10T14:00:00Z"));
    g_assert_cmpint (cp_test_sql_int (f->database,
                                      "SELECT count(*) FROM audit_log WHERE entity = 'task'"
                                      " AND entity_id = ?1 AND action = 'snooze'",
                                      cp_task_get_id (a)),
                     ==, 1);
  }
  {
    g_autoptr(GPtrArray) owners = cp_lead_store_task_owners (f->store, &error);

    g_assert_cmpuint (owners->len, ==, 2);
    g_assert_cmpstr (owners->pdata[0], ==, "Kim");
    g_assert_cmpstr (owners->pdata[1], ==, "Lou");
  }
  (void) c; (void) d; (void) e;
}

static CpTask *
pure_task (const char *id,
           const char *lead_id,
           const char *lead_name,
           const char *title,
           gint64      due)
{
  CpTask *task = cp_task_new ();

  cp_task_set_id (task, id);
  cp_task_set_lead_id (task, lead_id);
  cp_task_set_lead_name (task, lead_name);
  cp_task_set_title (task, title);
  cp_task_set_due_at (task, due);
  return task;
}

static CpTaskGroup *
group_at (GPtrArray *sections,
          guint      section,
          guint      group)
{
  CpTaskSection *s = sections->pdata[section];

  g_assert_cmpuint (group, <, s->groups->len);
  return s->groups->pdata[group];
}

/* My Work: overdue, today, upcoming; by lead, the lead due first first;
 * in a lead by due time then title; the local day ends at local midnight. */
static void
test_my_work_grouping (void)
{
  g_autoptr(GTimeZone) chicago = g_time_zone_new_identifier ("America/Chicago");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) sections = NULL;
  gint64 now = at ("2026-03-10T15:00:00Z");   /* 10:00 CDT */
  CpTask *done, *snoozed;
  CpTaskGroup *group;

  g_ptr_array_add (tasks, pure_task ("t1", "L1", "Lena", "Call back", at ("2026-03-09T15:00:00Z")));
  g_ptr_array_add (tasks, pure_task ("t2", "L2", "Ari", "Old email", at ("2026-03-08T15:00:00Z")));
  g_ptr_array_add (tasks, pure_task ("t3", "L1", "Lena", "b second", at ("2026-03-10T20:00:00Z")));
  g_ptr_array_add (tasks, pure_task ("t4", "L1", "Lena", "a first", at ("2026-03-10T20:00:00Z")));
  g_ptr_array_add (tasks, pure_task ("t5", "L3", "Zed", "Tonight", at ("2026-03-11T04:30:00Z")));
  g_ptr_array_add (tasks,
                   pure_task ("t6", "L3", "Zed", "After midnight", at ("2026-03-11T05:30:00Z")));
  done = pure_task ("t7", "L2", "Ari", "Done already", at ("2026-03-10T16:00:00Z"));
  cp_task_set_status (done, CP_TASK_STATUS_DONE);
  g_ptr_array_add (tasks, done);
  snoozed = pure_task ("t8", "L2", "Ari", "Snoozed", at ("2026-03-09T12:00:00Z"));
  cp_task_set_snoozed_until (snoozed, at ("2026-03-12T15:00:00Z"));
  g_ptr_array_add (tasks, snoozed);

  sections = cp_task_group_my_work (tasks, now, chicago);
  g_assert_cmpuint (sections->len, ==, 3);
  g_assert_cmpint (((CpTaskSection *) sections->pdata[0])->bucket, ==, CP_TASK_BUCKET_OVERDUE);
  g_assert_cmpuint (((CpTaskSection *) sections->pdata[0])->n_tasks, ==, 2);
  g_assert_cmpuint (((CpTaskSection *) sections->pdata[1])->n_tasks, ==, 3);
  g_assert_cmpuint (((CpTaskSection *) sections->pdata[2])->n_tasks, ==, 2);

  /* Overdue: Ari (the 8th) before Lena (the 9th). */
  g_assert_cmpstr (group_at (sections, 0, 0)->lead_id, ==, "L2");
  g_assert_cmpstr (group_at (sections, 0, 1)->lead_id, ==, "L1");
  /* Today: Lena's two at 15:00 CDT by title, then Zed's at 23:30 CDT (tomorrow in UTC). */
  group = group_at (sections, 1, 0);
  g_assert_cmpstr (group->lead_name, ==, "Lena");
  g_assert_cmpstr (cp_task_get_title (group->tasks->pdata[0]), ==, "a first");
  g_assert_cmpstr (cp_task_get_title (group->tasks->pdata[1]), ==, "b second");
  g_assert_cmpstr (cp_task_get_title (group_at (sections, 1, 1)->tasks->pdata[0]), ==, "Tonight");
  /* Upcoming: Zed after midnight, then Ari's snoozed task (its snooze wins). */
  g_assert_cmpstr (cp_task_get_title (group_at (sections, 2, 0)->tasks->pdata[0]), ==,
                   "After midnight");
  g_assert_cmpstr (cp_task_get_title (group_at (sections, 2, 1)->tasks->pdata[0]), ==, "Snoozed");
  g_assert_cmpint (cp_task_get_bucket (snoozed, now, chicago), ==, CP_TASK_BUCKET_UPCOMING);
  g_clear_pointer (&sections, g_ptr_array_unref);

  /* In UTC the day ends at 00:00Z: 23:30 CDT is tomorrow there. */
  sections = cp_task_group_my_work (tasks, now, utc);
  g_assert_cmpuint (((CpTaskSection *) sections->pdata[1])->n_tasks, ==, 2);
  g_assert_cmpuint (((CpTaskSection *) sections->pdata[2])->n_tasks, ==, 3);
  g_clear_pointer (&sections, g_ptr_array_unref);

  /* Nothing to do: three empty sections. */
  sections = cp_task_group_my_work (NULL, now, chicago);
  g_assert_cmpuint (sections->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (((CpTaskSection *) sections->pdata[i])->groups->len, ==, 0);
}

static void
mark_sent (GHashTable *sent,
           GPtrArray  *reminders,
           gint64      when)
{
  for (guint i = 0; i < reminders->len; i++)
    {
      gint64 *value = g_new (gint64, 1);

      *value = when;
      g_hash_table_replace (sent, g_strdup (((CpReminder *) reminders->pdata[i])->key), value);
    }
}

static GPtrArray *
plan (GPtrArray  *tasks,
      GPtrArray  *sla,
      GHashTable *sent,
      gint64      now,
      gint64     *next)
{
  GPtrArray *reminders = cp_reminders_plan (tasks, sla, sent, now, next);

  mark_sent (sent, reminders, now);
  return reminders;
}

/* A task: 15 minutes before, then at its due time; once each. */
static void
test_reminders_task (void)
{
  g_autoptr(GHashTable) sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 due = at ("2026-03-10T15:00:00Z");
  gint64 next = -1;
  CpTask *task = pure_task ("t1", "L1", "Lena", "Call back", due);
  GPtrArray *r;

  g_ptr_array_add (tasks, task);
  r = plan (tasks, NULL, sent, due - 20 * 60, &next);
  g_assert_cmpuint (r->len, ==, 0);
  g_assert_cmpint (next, ==, due - CP_REMINDER_TASK_LEAD_SECONDS);
  g_ptr_array_unref (r);

  r = plan (tasks, NULL, sent, due - 10 * 60, &next);
  g_assert_cmpuint (r->len, ==, 1);
  g_assert_cmpint (((CpReminder *) r->pdata[0])->kind, ==, CP_REMINDER_TASK_SOON);
  g_assert_cmpstr (((CpReminder *) r->pdata[0])->snooze_target, ==, "t1");
  g_assert_cmpstr (((CpReminder *) r->pdata[0])->lead_id, ==, "L1");
  g_assert_cmpint (next, ==, due);
  g_ptr_array_unref (r);

  /* Not twice. */
  r = plan (tasks, NULL, sent, due - 5 * 60, &next);
  g_assert_cmpuint (r->len, ==, 0);
  g_ptr_array_unref (r);

  r = plan (tasks, NULL, sent, due + 30, &next);
  g_assert_cmpuint (r->len, ==, 1);
  g_assert_cmpint (((CpReminder *) r->pdata[0])->kind, ==, CP_REMINDER_TASK_DUE);
  g_assert_cmpint (next, ==, 0);
  g_ptr_array_unref (r);
  r = plan (tasks, NULL, sent, due + 60, &next);
  g_assert_cmpuint (r->len, ==, 0);
  g_ptr_array_unref (r);

  /* Snoozed an hour: announced again before and at the new time. */
  cp_task_set_snoozed_until (task, due + 3600);
  r = plan (tasks, NULL, sent, due + 3600 - 10 * 60, &next);
  g_assert_cmpuint (r->len, ==, 1);
  g_assert_cmpint (((CpReminder *) r->pdata[0])->kind, ==, CP_REMINDER_TASK_SOON);
  g_assert_cmpint (((CpReminder *) r->pdata[0])->due_at, ==, due + 3600);
  g_ptr_array_unref (r);

  /* A response task is left to its SLA's reminder. */
  cp_task_set_origin (task, CP_TASK_ORIGIN_SLA);
  g_hash_table_remove_all (sent);
  r = plan (tasks, NULL, sent, due + 3600 - 10 * 60, &next);
  g_assert_cmpuint (r->len, ==, 0);
  g_ptr_array_unref (r);
  cp_task_set_origin (task, CP_TASK_ORIGIN_MANUAL);

  /* Long overdue when the app starts: not announced; done: never. */
  g_hash_table_remove_all (sent);
  r = plan (tasks, NULL, sent, due + 3600 + CP_REMINDER_TASK_STALE_SECONDS + 1, &next);
  g_assert_cmpuint (r->len, ==, 0);
  g_ptr_array_unref (r);
  cp_task_set_status (task, CP_TASK_STATUS_DONE);
  r = plan (tasks, NULL, sent, due + 3600, &next);
  g_assert_cmpuint (r->len, ==, 0);
  g_ptr_array_unref (r);
}

/* An SLA: 30 minutes before the breach, once; a snooze announces it again
 * an hour later (after the breach, when still nobody responded). */
static void
test_reminders_sla (void)
{
  g_autoptr(GHashTable) sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) sla = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_sla_watch_free);
  CpSlaWatch *watch = g_new0 (CpSlaWatch, 1);
  gint64 due = at ("2026-03-10T15:00:00Z");
  gint64 snoozed_at = due - 20 * 60;
  gint64 next = -1;
  g_autofree char *snooze_key = NULL;
  gint64 *until;
  GPtrArray *r;

  watch->lead_id = g_strdup ("L9");
  watch->lead_name = g_strdup ("Nia");
  watch->stage = g_strdup ("new");
  watch->due_at = due;
  g_ptr_array_add (sla, watch);

  r = plan (NULL, sla, sent, due - 31 * 60, &next);
  g_assert_cmpuint (r->len, ==, 0);
  g_assert_cmpint (next, ==, due - CP_REMINDER_SLA_LEAD_SECONDS);
  g_ptr_array_unref (r);

  r = plan (NULL, sla, sent, snoozed_at, &next);
  g_assert_cmpuint (r->len, ==, 1);
  g_assert_cmpint (((CpReminder *) r->pdata[0])->kind, ==, CP_REMINDER_SLA_SOON);
  g_assert_true (cp_reminder_key_is_sla (((CpReminder *) r->pdata[0])->snooze_target));
  snooze_key = cp_reminder_snooze_key (((CpReminder *) r->pdata[0])->key);
  g_ptr_array_unref (r);
  r = plan (NULL, sla, sent, due - 10 * 60, &next);
  g_assert_cmpuint (r->len, ==, 0);
  g_ptr_array_unref (r);

  /* Snoozed for an hour. */
  until = g_new (gint64, 1);
  *until = snoozed_at + CP_REMINDER_SNOOZE_SECONDS;
  g_hash_table_replace (sent, g_strdup (snooze_key), until);
  r = plan (NULL, sla, sent, due + 10 * 60, &next);
  g_assert_cmpuint (r->len, ==, 0);
  g_assert_cmpint (next, ==, snoozed_at + CP_REMINDER_SNOOZE_SECONDS);
  g_ptr_array_unref (r);
  r = plan (NULL, sla, sent, snoozed_at + CP_REMINDER_SNOOZE_SECONDS, &next);
  g_assert_cmpuint (r->len, ==, 1);
  g_ptr_array_unref (r);
  r = plan (NULL, sla, sent, snoozed_at + CP_REMINDER_SNOOZE_SECONDS + 60, &next);
  g_assert_cmpuint (r->len, ==, 0);
  g_ptr_array_unref (r);

  /* A clock that breached unannounced (the app was off) is the tick's breach notice. */
  g_hash_table_remove_all (sent);
  r = plan (NULL, sla, sent, due + 60, &next);
  g_assert_cmpuint (r->len, ==, 0);
  g_ptr_array_unref (r);
}

/* The store's side: what the tick service reads, records and snoozes. */
static void
test_reminders_store (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(CpTask) task = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GPtrArray) sla = NULL;
  g_autoptr(GHashTable) sent = NULL;
  g_autoptr(GPtrArray) reminders = NULL;
  g_autoptr(GError) error = NULL;
  gint64 due;

  /* Monday 2 March 15:00Z (09:00 CST): New's SLA of 4 business hours. */
  id = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Hal", CP_LEAD_FIELD_OWNER, "Kim",
                            CP_LEAD_N_FIELDS);
  due = fixed_now + 4 * 3600;
  task = add_manual (f, id, "Prepare the quote", "Kim", due);

  fixed_now = due - 10 * 60;
  tasks = cp_lead_store_reminder_input (f->store, "Kim", fixed_now, &sla, &sent, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 2);   /* the quote and the response task, both due at 19:00Z */
  g_assert_cmpuint (sla->len, ==, 1);
  g_assert_cmpint (((CpSlaWatch *) sla->pdata[0])->due_at, ==, due);
  reminders = cp_reminders_plan (tasks, sla, sent, fixed_now, NULL);
  /* The quote and the SLA; the response task is the SLA's reminder's. */
  g_assert_cmpuint (reminders->len, ==, 2);
  g_assert_true (cp_lead_store_mark_reminded (f->store, reminders, fixed_now, &error));
  g_assert_no_error (error);
  g_clear_pointer (&tasks, g_ptr_array_unref);
  g_clear_pointer (&sla, g_ptr_array_unref);
  g_clear_pointer (&sent, g_hash_table_unref);
  g_clear_pointer (&reminders, g_ptr_array_unref);

  /* Read again: announced already. */
  tasks = cp_lead_store_reminder_input (f->store, "Kim", fixed_now + 60, &sla, &sent, &error);
  reminders = cp_reminders_plan (tasks, sla, sent, fixed_now + 60, NULL);
  g_assert_cmpuint (reminders->len, ==, 0);
  g_clear_pointer (&tasks, g_ptr_array_unref);
  g_clear_pointer (&sla, g_ptr_array_unref);
  g_clear_pointer (&sent, g_hash_table_unref);
  g_clear_pointer (&reminders, g_ptr_array_unref);

  /* Snoozed from the notification: the task by its id, the SLA by its key. */
  g_assert_true (cp_lead_store_snooze_reminder (f->store, cp_task_get_id (task), fixed_now + 3600,
                                                "Kim", &error));
  g_assert_no_error (error);
  {
    g_autoptr(CpTask) stored = cp_lead_store_get_task (f->store, cp_task_get_id (task), &error);
    g_autofree char *key = g_strdup_printf ("sla-soon:%s:%" G_GINT64_FORMAT, id, due);

    g_assert_cmpint (cp_task_get_snoozed_until (stored), ==, fixed_now + 3600);
    g_assert_true (cp_lead_store_snooze_reminder (f->store, key, fixed_now + 3600, "Kim", &error));
    g_assert_no_error (error);
  }
  tasks = cp_lead_store_reminder_input (f->store, "Kim", fixed_now + 3600, &sla, &sent, &error);
  reminders = cp_reminders_plan (tasks, sla, sent, fixed_now + 3600, NULL);
  /* The SLA again, and the snoozed task, due now. */
  g_assert_cmpuint (reminders->len, ==, 2);
  g_assert_cmpint (((CpReminder *) reminders->pdata[0])->kind, ==, CP_REMINDER_SLA_SOON);
  g_assert_cmpint (((CpReminder *) reminders->pdata[1])->kind, ==, CP_REMINDER_TASK_DUE);
  g_assert_cmpstr (((CpReminder *) reminders->pdata[1])->task_id, ==, cp_task_get_id (task));
  g_assert_false (
      cp_lead_store_snooze_reminder (f->store, "no-such-task", fixed_now + 3600, "Kim", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
}

static const char playbook_head[] =
  "{\"format\": 1, \"name\": \"t\", \"stages\": [{\"id\": \"new\", \"channels\": [\"phone\"],"
  " \"templates\": [{\"id\": \"call_script\", \"channel\": \"phone\", \"body\": \"Hi\"}],"
  " \"entry_tasks\": ";

static CpPlaybook *
parse_with_entry_tasks (const char  *entry_tasks,
                        GError     **error)
{
  g_autofree char *json =
      g_strconcat (playbook_head, entry_tasks,
                   "}], \"scoring\": {\"rules\": []},"
                   " \"routing\": {\"queues\": [{\"id\": \"q\", \"owners\": [\"a\"]}],"
                   " \"fallback_queue\": \"q\"}}",
                   NULL);

  return cp_playbook_format_parse (json, -1, error);
}

/* entry_tasks in the playbook file: read, written back, checked, compared. */
static void
test_playbook_entry_tasks (void)
{
  g_autoptr(CpPlaybook) playbook = NULL;
  g_autoptr(CpPlaybook) again = NULL;
  g_autoptr(CpPlaybook) other = NULL;
  g_autoptr(GPtrArray) diff = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  const CpEntryTask *entry;

  playbook = parse_with_entry_tasks ("[{\"kind\": \"call\", \"title\": \"Call them\", "
                                     "\"due_business_hours\": 8,"
                                     " \"template\": \"call_script\"}, {\"kind\": \"handoff\", "
                                     "\"title\": \"Hand over\"}]",
                                     &error);
  g_assert_no_error (error);
  entry = ((CpStage *) playbook->stages->pdata[0])->entry_tasks->pdata[0];
  g_assert_cmpint (entry->kind, ==, CP_TASK_KIND_CALL);
  g_assert_cmpuint (entry->due_business_hours, ==, 8);
  g_assert_cmpstr (entry->template_key, ==, "call_script");
  json = cp_playbook_format_serialize (playbook);
  again = cp_playbook_format_parse (json, -1, &error);
  g_assert_no_error (error);
  diff = cp_playbook_diff (playbook, again);
  g_assert_cmpuint (diff->len, ==, 0);
  g_clear_pointer (&diff, g_ptr_array_unref);

  other = parse_with_entry_tasks ("[{\"kind\": \"call\", \"title\": \"Call them\", "
                                  "\"due_business_hours\": 16}]",
                                  &error);
  g_assert_no_error (error);
  diff = cp_playbook_diff (playbook, other);
  g_assert_cmpuint (diff->len, ==, 1);
  g_assert_nonnull (
      strstr (((CpPlaybookChange *) diff->pdata[0])->after, "call “Call them” in 16h"));

  g_assert_null (parse_with_entry_tasks ("[{\"kind\": \"fax\", \"title\": \"x\"}]", &error));
  g_assert_nonnull (
      strstr (error->message, "stages[0].entry_tasks[0].kind: unknown kind of task “fax”"));
  g_clear_error (&error);
  g_assert_null (
      parse_with_entry_tasks ("[{\"kind\": \"call\", \"title\": \"x\", \"template\": \"nope\"}]",
                              &error));
  g_assert_nonnull (
      strstr (error->message, "stages[0].entry_tasks[0].template: unknown template “nope”"));
  g_clear_error (&error);
  g_assert_null (parse_with_entry_tasks ("[{\"kind\": \"call\", \"title\": \"  \"}]", &error));
  g_assert_nonnull (
      strstr (error->message, "stages[0].entry_tasks[0]: an entry task needs a title"));
  g_clear_error (&error);
  g_assert_null (parse_with_entry_tasks ("[{\"kind\": \"call\"}]", &error));
  g_assert_nonnull (strstr (error->message, "stages[0].entry_tasks[0].title"));
  g_clear_error (&error);
  g_assert_null (parse_with_entry_tasks ("[{\"kind\": \"call\", \"title\": \"x\", "
                                         "\"due_business_hours\": -1}]",
                                         &error));
  g_assert_nonnull (strstr (error->message, "stages[0].entry_tasks[0].due_business_hours"));
  g_clear_error (&error);
  g_assert_null (
      parse_with_entry_tasks ("[{\"kind\": \"call\", \"title\": \"x\", \"colour\": 1}]", &error));
  g_assert_nonnull (strstr (error->message, "colour"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tasks/stage-entry/friday-evening", Fixture, NULL, fixture_set_up,
              test_stage_entry_friday_evening, fixture_tear_down);
  g_test_add ("/tasks/stage-entry/holiday", Fixture, NULL, fixture_set_up,
              test_stage_entry_holiday, fixture_tear_down);
  g_test_add ("/tasks/first-outreach-completes", Fixture, NULL, fixture_set_up,
              test_first_outreach_completes, fixture_tear_down);
  g_test_add ("/tasks/close-cancels", Fixture, NULL, fixture_set_up, test_close_cancels,
              fixture_tear_down);
  g_test_add ("/tasks/merge-moves-open-tasks", Fixture, NULL, fixture_set_up,
              test_merge_moves_open_tasks, fixture_tear_down);
  g_test_add ("/tasks/owner-change", Fixture, NULL, fixture_set_up, test_owner_change_moves_tasks,
              fixture_tear_down);
  g_test_add ("/tasks/refusals", Fixture, NULL, fixture_set_up, test_refusals, fixture_tear_down);
  g_test_add ("/tasks/list-and-count", Fixture, NULL, fixture_set_up, test_list_and_count,
              fixture_tear_down);
  g_test_add_func ("/tasks/my-work-grouping", test_my_work_grouping);
  g_test_add_func ("/tasks/reminders/task", test_reminders_task);
  g_test_add_func ("/tasks/reminders/sla", test_reminders_sla);
  g_test_add ("/tasks/reminders/store", Fixture, NULL, fixture_set_up, test_reminders_store,
              fixture_tear_down);
  g_test_add_func ("/tasks/playbook-entry-tasks", test_playbook_entry_tasks);

  return g_test_run ();
}
