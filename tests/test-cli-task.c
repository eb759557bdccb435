/* test-cli-task.c — carepath-cli task: stage entry tasks from a CLI move and an import row, add,
 * list, done, snooze, cancel
 *
 * The CLI runs with the real clock: the due times of entry tasks are
 * checked against the business hours counted from when the lead entered
 * its stage (test-tasks.c checks fixed instants: a Friday evening, a
 * holiday).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "cp-business-hours.h"
#include "cp-cli-test-util.h"
#include "cp-datetime.h"
#include "cp-lead-store.h"
#include "cp-playbook-format.h"
#include "cp-task-store.h"
#include "cp-test-util.h"

/* dir: a new folder; path: dir/leads.db, not created */
typedef CpTestDir Fixture;

static char *
add_lead (Fixture    *f,
          const char *first_name)
{
  g_auto(CpCliResult) r = { 0, };
  g_autofree char *name = g_strdup_printf ("first_name=%s", first_name);
  g_autofree char *email = g_strdup_printf ("email=%s@example.org", first_name);

  cp_test_run_cli (&r, "--db", f->path, "add", name, email, "location=Harbor Point",
                   "service_line=cardiology", "lead_type=patient", NULL);
  g_assert_cmpint (r.status, ==, 0);
  return g_strstrip (g_strdup (r.out));
}

/* carepath-cli --db DB PREFIX… ARGS…, ARGS ending with %NULL. */
static void
run_cli_va (Fixture            *f,
            CpCliResult        *result,
            const char * const *prefix,
            const char         *first,
            va_list             ap)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_ptr_array_add (args, "--db");
  g_ptr_array_add (args, f->path);
  for (guint i = 0; prefix[i] != NULL; i++)
    g_ptr_array_add (args, (char *) prefix[i]);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  g_ptr_array_add (args, NULL);
  cp_test_run_cli_env (result, NULL, (const char * const *) args->pdata);
}

static JsonArray *
list_json (Fixture     *f,
           const char  *first,
           ...)
{
  static const char * const prefix[] = { "task", "list", "--json", NULL };
  g_auto(CpCliResult) r = { 0, };
  g_autoptr(JsonNode) node = NULL;
  va_list ap;

  va_start (ap, first);
  run_cli_va (f, &r, prefix, first, ap);
  va_end (ap);
  g_assert_cmpint (r.status, ==, 0);
  node = cp_test_parse_json (r.out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_ref (json_node_get_array (node));
}

static JsonObject *
find_title (JsonArray  *tasks,
            const char *title)
{
  for (guint i = 0; i < json_array_get_length (tasks); i++)
    {
      JsonObject *task = json_array_get_object_element (tasks, i);

      if (g_strcmp0 (json_object_get_string_member (task, "title"), title) == 0)
        return task;
    }
  g_error ("no task “%s”", title);
}

/* The due time an entry task of @hours business hours gets for @lead_id,
 * as the playbook counts it from the lead's entry into its stage. */
static char *
expected_due (Fixture    *f,
              const char *lead_id,
              guint       hours)
{
  g_autoptr(CpDatabase) database = cp_database_open (f->path, NULL);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  g_autoptr(CpLead) lead = cp_lead_store_get (store, lead_id, NULL);
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();

  g_assert_nonnull (lead);
  return cp_datetime_format_iso8601 (
      cp_playbook_business_due_at (playbook, cp_lead_get_text (lead, CP_LEAD_FIELD_LOCATION),
                                   cp_lead_get_stage_entered_at (lead), hours));
}

static void
test_move_and_import_create_tasks (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *id = add_lead (f, "Ada");
  g_autofree char *due = NULL;
  g_autofree char *csv = g_build_filename (f->dir, "rows.csv", NULL);
  g_autoptr(JsonArray) tasks = NULL;
  g_auto(CpCliResult) r = { 0, };
  JsonObject *call;

  cp_test_run_cli (&r, "--db", f->path, "move", id, "qualified", "--reason", "fits", NULL);
  g_assert_cmpint (r.status, ==, 0);
  tasks = list_json (f, "--lead", id, NULL);
  g_assert_cmpuint (json_array_get_length (tasks), ==, 2);
  call = find_title (tasks, "Schedule discovery call");
  due = expected_due (f, id, 8);
  g_assert_cmpstr (json_object_get_string_member (call, "kind"), ==, "call");
  g_assert_cmpstr (json_object_get_string_member (call, "origin"), ==, "stage");
  g_assert_cmpstr (json_object_get_string_member (call, "template"), ==, "qualified_call");
  g_assert_cmpstr (json_object_get_string_member (call, "due_at"), ==, due);
  g_assert_cmpstr (json_object_get_string_member (call, "lead_name"), ==, "Ada");
  g_assert_cmpstr (json_object_get_string_member (find_title (tasks, "First response"), "origin"),
                   ==, "sla");
  g_clear_pointer (&tasks, json_array_unref);

  /* An import row that arrives in Qualified gets the same. */
  g_assert_true (
      g_file_set_contents (csv,
                           "first_name,email,location,service_line,lead_type,stage\n"
                           "Ivy,ivy@example.org,Brookfield,cardiology,patient,qualified\n",
                           -1, NULL));
  cp_cli_result_clear (&r);
  cp_test_run_cli (&r, "--db", f->path, "import", csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  tasks = list_json (f, NULL);
  call = NULL;
  for (guint i = 0; i < json_array_get_length (tasks); i++)
    {
      JsonObject *task = json_array_get_object_element (tasks, i);

      if (g_str_equal (json_object_get_string_member (task, "lead_name"), "Ivy") &&
          g_str_equal (json_object_get_string_member (task, "title"), "Schedule discovery call"))
        call = task;
    }
  g_assert_nonnull (call);
  g_free (due);
  due = expected_due (f, json_object_get_string_member (call, "lead_id"), 8);
  g_assert_cmpstr (json_object_get_string_member (call, "due_at"), ==, due);
}

static void
test_add_list_done_snooze (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *id = add_lead (f, "Bea");
  g_autofree char *task_id = NULL;
  g_autoptr(JsonArray) tasks = NULL;
  g_auto(CpCliResult) r = { 0, };
  JsonObject *task;

  cp_test_run_cli (&r, "--db", f->path, "task", "add", id, "Call about the referral", "--due",
                   "2020-01-02T15:00:00Z", "--kind", "call", "--owner", "Kim", "--note",
                   "Ask for the fax", NULL);
  g_assert_cmpint (r.status, ==, 0);
  task_id = g_strstrip (g_strdup (r.out));
  g_assert_true (g_uuid_string_is_valid (task_id));

  tasks = list_json (f, "--owner", "Kim", NULL);
  g_assert_cmpuint (json_array_get_length (tasks), ==, 1);
  task = json_array_get_object_element (tasks, 0);
  g_assert_cmpstr (json_object_get_string_member (task, "id"), ==, task_id);
  g_assert_cmpstr (json_object_get_string_member (task, "kind"), ==, "call");
  g_assert_cmpstr (json_object_get_string_member (task, "note"), ==, "Ask for the fax");
  g_assert_cmpstr (json_object_get_string_member (task, "due_at"), ==, "2020-01-02T15:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (task, "bucket"), ==, "overdue");
  g_assert_cmpstr (json_object_get_string_member (task, "origin"), ==, "manual");
  g_clear_pointer (&tasks, json_array_unref);

  tasks = list_json (f, "--owner", "Kim", "--due", "overdue", NULL);
  g_assert_cmpuint (json_array_get_length (tasks), ==, 1);
  g_clear_pointer (&tasks, json_array_unref);

  cp_cli_result_clear (&r);
  cp_test_run_cli (&r, "--db", f->path, "task", "snooze", task_id, "--until",
                   "2099-01-01T09:00:00Z", NULL);
  g_assert_cmpint (r.status, ==, 0);
  tasks = list_json (f, "--owner", "Kim", "--due", "overdue", NULL);
  g_assert_cmpuint (json_array_get_length (tasks), ==, 0);
  g_clear_pointer (&tasks, json_array_unref);
  tasks = list_json (f, "--owner", "Kim", NULL);
  task = json_array_get_object_element (tasks, 0);
  g_assert_cmpstr (json_object_get_string_member (task, "effective_due"), ==,
                   "2099-01-01T09:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (task, "bucket"), ==, "upcoming");
  g_clear_pointer (&tasks, json_array_unref);

  tasks = list_json (f, "--owner", "Kim", "--due", "upcoming", NULL);
  g_assert_cmpuint (json_array_get_length (tasks), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (tasks, 0),
                                                  "channel"),
                   ==, "phone");
  g_clear_pointer (&tasks, json_array_unref);

  cp_cli_result_clear (&r);
  cp_test_run_cli (&r, "--db", f->path, "task", "reassign", task_id, "--owner", "Lou", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Lou"));
  cp_cli_result_clear (&r);
  cp_test_run_cli (&r, "--db", f->path, "task", "reassign", task_id, "--owner", "Kim", NULL);
  cp_cli_result_clear (&r);
  cp_test_run_cli (&r, "--db", f->path, "task", "done", task_id, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "done"));
  tasks = list_json (f, "--owner", "Kim", NULL);
  g_assert_cmpuint (json_array_get_length (tasks), ==, 0);
  g_clear_pointer (&tasks, json_array_unref);
  tasks = list_json (f, "--owner", "Kim", "--all", NULL);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (tasks, 0),
                                                  "status"),
                   ==, "done");

  /* Done already: refused, exit 2, the task unchanged. */
  cp_cli_result_clear (&r);
  cp_test_run_cli (&r, "--db", f->path, "task", "done", task_id, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "is done already"));
  cp_cli_result_clear (&r);
  cp_test_run_cli (&r, "--db", f->path, "task", "snooze", task_id, "--until", "2099-01-02", NULL);
  g_assert_cmpint (r.status, ==, 2);
}

/* carepath-cli task add LEAD TITLE --due DUE with TZ=America/Chicago; its due_at as listed. */
static char *
due_in_chicago (Fixture    *f,
                const char *lead_id,
                const char *due)
{
  static const char * const env[] = { "TZ=America/Chicago", NULL };
  const char * const args[] = { "--db", f->path, "task", "add", lead_id, due, "--due", due,
                                NULL };
  g_auto(CpCliResult) r = { 0, };
  g_autoptr(JsonArray) tasks = NULL;
  g_autofree char *task_id = NULL;

  cp_test_run_cli_env (&r, env, args);
  g_assert_cmpint (r.status, ==, 0);
  task_id = g_strstrip (g_strdup (r.out));
  tasks = list_json (f, "--lead", lead_id, NULL);
  for (guint i = 0; i < json_array_get_length (tasks); i++)
    {
      JsonObject *task = json_array_get_object_element (tasks, i);

      if (g_str_equal (json_object_get_string_member (task, "id"), task_id))
        return g_strdup (json_object_get_string_member (task, "due_at"));
    }
  g_assert_not_reached ();
}

/* A due time is on the user's clock (as My Work shows it) unless it names
 * its zone; a date alone is due that morning. They were read as UTC: in
 * Chicago, “--due 2026-12-07” was due at 18:00 on the 6th. */
static void
test_due_on_local_clock (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *id = add_lead (f, "Zoe");
  g_autofree char *date = due_in_chicago (f, id, "2026-12-07");
  g_autofree char *clock = due_in_chicago (f, id, "2026-07-01T09:30:00");
  g_autofree char *zoned = due_in_chicago (f, id, "2026-07-01T09:30:00Z");
  g_autofree char *offset = due_in_chicago (f, id, "2026-07-01T09:30:00+02:00");
  /* As people write it: no seconds. */
  g_autofree char *minutes = due_in_chicago (f, id, "2026-07-01T09:30");
  g_autofree char *minutes_zoned = due_in_chicago (f, id, "2026-07-01T09:30Z");
  static const char * const env[] = { "TZ=America/Chicago", NULL };
  g_auto(CpCliResult) r = { 0, };
  g_autoptr(JsonArray) tasks = NULL;

  g_assert_cmpstr (date, ==, "2026-12-07T15:00:00Z");
  g_assert_cmpstr (clock, ==, "2026-07-01T14:30:00Z");
  g_assert_cmpstr (zoned, ==, "2026-07-01T09:30:00Z");
  g_assert_cmpstr (offset, ==, "2026-07-01T07:30:00Z");
  g_assert_cmpstr (minutes, ==, "2026-07-01T14:30:00Z");
  g_assert_cmpstr (minutes_zoned, ==, "2026-07-01T09:30:00Z");

  /* Snoozed until a date: that morning on the user's clock too. */
  {
    const char * const args[] = { "--db", f->path, "task", "snooze", NULL, "--until",
                                  "2099-01-02", NULL };
    g_autoptr(JsonArray) open = list_json (f, "--lead", id, NULL);
    const char *task_id =
        json_object_get_string_member (json_array_get_object_element (open, 0), "id");
    const char *argv[G_N_ELEMENTS (args)];

    memcpy (argv, args, sizeof args);
    argv[4] = task_id;
    cp_test_run_cli_env (&r, env, argv);
    g_assert_cmpint (r.status, ==, 0);
    tasks = list_json (f, "--lead", id, "--due", "upcoming", NULL);
    g_assert_cmpstr (json_object_get_string_member (
                         json_array_get_object_element (tasks, json_array_get_length (tasks) - 1),
                         "effective_due"),
                     ==, "2099-01-02T15:00:00Z");
  }
}

/* An owner is kept without the spaces around it, and a blank one is
 * nobody: “  Kim  ” was a second Kim whom --owner Kim and My Work's
 * filter did not find, and reassigning to “” gave the task to a nameless
 * owner instead of nobody. */
static void
test_owner_blanks (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *id = add_lead (f, "Ola");
  g_autofree char *task_id = NULL;
  g_autoptr(JsonArray) tasks = NULL;
  g_auto(CpCliResult) r = { 0, };
  JsonObject *task;

  cp_test_run_cli (&r, "--db", f->path, "task", "add", id, "Call", "--due", "2099-01-02",
                   "--owner", "  Kim  ", NULL);
  g_assert_cmpint (r.status, ==, 0);
  task_id = g_strstrip (g_strdup (r.out));
  tasks = list_json (f, "--owner", "Kim", NULL);
  g_assert_cmpuint (json_array_get_length (tasks), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (tasks, 0),
                                                  "owner"),
                   ==, "Kim");
  g_clear_pointer (&tasks, json_array_unref);

  cp_cli_result_clear (&r);
  cp_test_run_cli (&r, "--db", f->path, "task", "reassign", task_id, "--owner", "  Lou ", NULL);
  g_assert_cmpint (r.status, ==, 0);
  tasks = list_json (f, "--owner", "Lou", NULL);
  g_assert_cmpuint (json_array_get_length (tasks), ==, 1);
  g_clear_pointer (&tasks, json_array_unref);

  cp_cli_result_clear (&r);
  cp_test_run_cli (&r, "--db", f->path, "task", "reassign", task_id, "--owner", " ", NULL);
  g_assert_cmpint (r.status, ==, 0);
  tasks = list_json (f, "--lead", id, NULL);
  for (guint i = 0; i < json_array_get_length (tasks); i++)
    {
      task = json_array_get_object_element (tasks, i);
      if (g_str_equal (json_object_get_string_member (task, "id"), task_id))
        g_assert_true (json_object_get_null_member (task, "owner"));
    }
  g_clear_pointer (&tasks, json_array_unref);

  /* A blank owner on add is none given: the lead's owner's. */
  cp_cli_result_clear (&r);
  cp_test_run_cli (&r, "--db", f->path, "task", "add", id, "Blank", "--due", "2099-01-02",
                   "--owner", "", NULL);
  g_assert_cmpint (r.status, ==, 0);
  tasks = list_json (f, "--lead", id, NULL);
  for (guint i = 0; i < json_array_get_length (tasks); i++)
    {
      task = json_array_get_object_element (tasks, i);
      if (g_str_equal (json_object_get_string_member (task, "title"), "Blank"))
        g_assert_false (json_object_get_null_member (task, "owner") ||
                        *json_object_get_string_member (task, "owner") == '\0');
    }
}

static void
assert_usage_error (Fixture    *f,
                    const char *message,
                    const char *first,
                    ...)
{
  static const char * const prefix[] = { NULL };
  g_auto(CpCliResult) r = { 0, };
  va_list ap;

  va_start (ap, first);
  run_cli_va (f, &r, prefix, first, ap);
  va_end (ap);
  g_assert_cmpint (r.status, ==, 2);
  if (strstr (r.err, message) == NULL)
    g_error ("expected “%s” in: %s", message, r.err);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *id = add_lead (f, "Cal");
  g_auto(CpCliResult) r = { 0, };

  assert_usage_error (f, "There is no lead with the id “nope”", "task", "add", "nope", "Call",
                      "--due", "2030-01-01", NULL);
  assert_usage_error (f, "“tomorrowish” is not a date", "task", "add", id, "Call", "--due",
                      "tomorrowish", NULL);
  assert_usage_error (f, "--due is required", "task", "add", id, "Call", NULL);
  assert_usage_error (f, "unknown kind of task “fax”", "task", "add", id, "Call", "--due",
                      "2030-01-01", "--kind", "fax", NULL);
  assert_usage_error (f, "A task needs a title", "task", "add", id, " ", "--due", "2030-01-01",
                      NULL);
  assert_usage_error (f, "needs a lead id and a title", "task", "add", id, NULL);
  assert_usage_error (f, "--due is one of all, overdue, today, week, upcoming", "task", "list",
                      "--due", "soon", NULL);
  assert_usage_error (f, "task reassign needs --owner", "task", "reassign", "x", NULL);
  assert_usage_error (f, "There is no task with the id “nope”", "task", "done", "nope", NULL);
  assert_usage_error (f, "--until is required", "task", "snooze", "nope", NULL);
  assert_usage_error (f, "unknown task command “erase”", "task", "erase", "x", NULL);
  /* Nothing was added by any of them: only the lead's response task. */
  {
    g_autoptr(JsonArray) tasks = list_json (f, "--all", NULL);

    g_assert_cmpuint (json_array_get_length (tasks), ==, 1);
  }
  cp_test_run_cli (&r, "--db", f->path, "task", "list", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "First response"));
  g_assert_nonnull (strstr (r.out, "Open: 0 overdue, "));

  /* Cancel, with a reason; then nothing more can happen to it. */
  {
    g_autoptr(JsonArray) tasks = list_json (f, NULL);
    const char *task_id =
        json_object_get_string_member (json_array_get_object_element (tasks, 0), "id");

    cp_cli_result_clear (&r);
    cp_test_run_cli (&r, "--db", f->path, "task", "cancel", task_id, "--reason", "Wrong number",
                     NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_usage_error (f, "is cancelled already", "task", "done", task_id, NULL);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    g_error ("usage: %s [--tap] PATH-TO-carepath-cli", argv[0]);
  cp_test_set_cli_path (argv[argc - 1]);

  g_test_add ("/cli/task/entry-tasks", Fixture, NULL, cp_test_dir_set_up,
              test_move_and_import_create_tasks, cp_test_dir_tear_down);
  g_test_add ("/cli/task/add-list-done-snooze", Fixture, NULL, cp_test_dir_set_up,
              test_add_list_done_snooze, cp_test_dir_tear_down);
  g_test_add ("/cli/task/due-on-local-clock", Fixture, NULL, cp_test_dir_set_up,
              test_due_on_local_clock, cp_test_dir_tear_down);
  g_test_add ("/cli/task/owner-blanks", Fixture, NULL, cp_test_dir_set_up, test_owner_blanks,
              cp_test_dir_tear_down);
  g_test_add ("/cli/task/errors", Fixture, NULL, cp_test_dir_set_up, test_errors,
              cp_test_dir_tear_down);

  return g_test_run ();
}
