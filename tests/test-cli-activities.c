/* test-cli-activities.c — carepath-cli import-activities and activities: the report, explain, bad
 * options, a kill SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>

#include "cp-activity-import.h"
#include "cp-cli-test-util.h"
#include "cp-test-util.h"

#define ROWS 3000

/* dir: a new folder; path: dir/leads.db, not created */
typedef CpTestDir Fixture;

static char *
fixture_path (const char *name)
{
  const char *dir = g_getenv ("CP_TEST_FIXTURES");

  return dir != NULL ? g_build_filename (dir, name, NULL)
                     : g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
}

/* The fixture with its webinar held yesterday: the CLI scores as of now,
 * and the playbook's webinar rule looks back 90 days. */
static char *
fresh_zoom_report (Fixture  *f,
                   char    **out_joined_iso)
{
  g_autofree char *fixture = fixture_path ("zoom-attendees.csv");
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autofree char *day = g_date_time_format (yesterday, "%b %d, %Y");
  g_auto(GStrv) parts = NULL;
  g_autofree char *joined = NULL;
  char *path = g_build_filename (f->dir, "zoom.csv", NULL);

  g_assert_true (g_file_get_contents (fixture, &text, NULL, NULL));
  parts = g_strsplit (text, "Nov 20, 2026", -1);
  joined = g_strjoinv (day, parts);
  g_assert_true (g_file_set_contents (path, joined, -1, NULL));
  *out_joined_iso = g_date_time_format (yesterday, "%Y-%m-%dT10:02:11Z");
  return path;
}

static JsonNode *
run_json (Fixture    *f,
          const char *first,
          ...)
{
  g_auto(CpCliResult) r = { 0 };
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  g_ptr_array_add (args, "--db");
  g_ptr_array_add (args, f->path);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, "--json");
  g_ptr_array_add (args, NULL);
  cp_test_run_cli_env (&r, NULL, (const char * const *) args->pdata);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  return cp_test_parse_json (r.out);
}

static char *
add_jane (Fixture *f)
{
  g_autoptr(JsonNode) added = run_json (f, "add", "first_name=Jane", "last_name=Doe",
                                        "email=jane.doe@example.com", "lead_type=patient",
                                        "service_line=primary_care", "location=Riverside", NULL);

  return g_strdup (json_object_get_string_member (json_node_get_object (added), "id"));
}

/* The attendee report through the CLI: Jane is qualified by the playbook,
 * her intent is what explain says, the activity says it came from a
 * file; the same file again records nothing. */
static void
test_import_explain_again (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *jane = add_jane (f);
  g_autofree char *joined = NULL;
  g_autofree char *csv = fresh_zoom_report (f, &joined);
  g_autoptr(JsonNode) first = run_json (f, "import-activities", csv, "--kind", "webinar_attended",
                                        "--timezone", "UTC", NULL);
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) shown = run_json (f, "show", jane, NULL);
  g_autoptr(JsonNode) explained = run_json (f, "explain", jane, NULL);
  g_autoptr(JsonNode) activities = run_json (f, "activities", jane, NULL);
  g_autoptr(JsonNode) history_before = run_json (f, "history", jane, NULL);
  g_autoptr(JsonNode) history_after = NULL;
  JsonObject *report = json_node_get_object (first);
  JsonObject *move;
  JsonObject *activity;
  JsonArray *contributions;
  gboolean webinar = FALSE;

  g_assert_cmpint (json_object_get_int_member (report, "recorded"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "unmatched"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (report, "rejected"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "skipped"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "stage_moves"), ==, 2);
  move = json_array_get_object_element (json_object_get_array_member (report, "moves"), 1);
  g_assert_cmpstr (json_object_get_string_member (move, "rule"), ==, "webinar_fit_qualified");
  g_assert_cmpstr (json_object_get_string_member (move, "to"), ==, "qualified");
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (report, "problems")), ==,
                   5);

  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "stage"), ==,
                   "qualified");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (shown), "intent_score"), ==,
                   json_object_get_int_member (json_node_get_object (explained), "intent"));
  contributions = json_object_get_array_member (json_node_get_object (explained), "contributions");
  for (guint i = 0; i < json_array_get_length (contributions); i++)
    webinar |=
        g_strcmp0 (json_object_get_string_member (json_array_get_object_element (contributions, i),
                                                  "rule"),
                   "intent_webinar_attended") == 0;
  g_assert_true (webinar);

  activity = json_array_get_object_element (json_node_get_array (activities), 0);
  g_assert_cmpstr (json_object_get_string_member (activity, "source"), ==, "file");
  g_assert_cmpstr (json_object_get_string_member (activity, "kind"), ==, "webinar_attended");
  g_assert_cmpstr (json_object_get_string_member (activity, "occurred_at"), ==, joined);

  again = run_json (f, "import-activities", csv, "--kind", "webinar_attended", "--timezone", "UTC",
                    NULL);
  report = json_node_get_object (again);
  g_assert_cmpint (json_object_get_int_member (report, "recorded"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (report, "already_recorded"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "stage_moves"), ==, 0);
  history_after = run_json (f, "history", jane, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (history_after)), ==,
                    json_array_get_length (json_node_get_array (history_before)));
}

/* The text report names every row that recorded nothing; --dry-run writes nothing. */
static void
test_text_report_and_dry_run (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *jane = add_jane (f);
  g_autofree char *joined = NULL;
  g_autofree char *csv = fresh_zoom_report (f, &joined);
  g_auto(CpCliResult) dry = { 0 };
  g_autoptr(JsonNode) activities = NULL;

  cp_test_run_cli (&dry, "--db", f->path, "import-activities", csv, "--kind", "webinar_attended",
                   "--timezone", "UTC", "--dry-run", NULL);
  g_assert_cmpint (dry.status, ==, 0);
  g_assert_nonnull (strstr (dry.out, "Dry run: nothing was written"));
  g_assert_nonnull (strstr (dry.out, "Recorded: 1 (matched by email: 1"));
  g_assert_nonnull (strstr (dry.out, "line 5 [unmatched]: No lead has this email."));
  g_assert_nonnull (strstr (dry.out, "line 8 [rejected]: “Nov 31, 2026 10:07:30”"));
  g_assert_nonnull (strstr (dry.out, "(webinar_fit_qualified)"));
  activities = run_json (f, "activities", jane, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (activities)), ==, 0);
}

/* A bad option, kind or file exits 2 and names the problem. */
static void
test_bad_options (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *csv = fixture_path ("zoom-attendees.csv");
  g_autofree char *useless = g_build_filename (f->dir, "useless.csv", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.csv", NULL);
  struct { const char *args[6]; const char *says; } cases[] = {
    { { "import-activities", csv, NULL }, "--kind is required" },
    { { "import-activities", csv, "--kind", "nonsense", NULL }, "unknown activity kind" },
    { { "import-activities", missing, "--kind", "form_fill", NULL }, "missing.csv" },
    { { "import-activities", useless, "--kind", "form_fill", NULL }, "email or a phone" },
    { { "import-activities", csv, "--kind", "form_fill", "--timezone", "Mars/Olympus" },
      "time zone" },
  };

  g_assert_true (g_file_set_contents (useless, "Name,Date\nJane,2026-11-20\n", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CpCliResult) r = { 0 };
      g_autoptr(GPtrArray) args = g_ptr_array_new ();

      g_ptr_array_add (args, "--db");
      g_ptr_array_add (args, f->path);
      for (guint a = 0; a < G_N_ELEMENTS (cases[i].args) && cases[i].args[a] != NULL; a++)
        g_ptr_array_add (args, (char *) cases[i].args[a]);
      g_ptr_array_add (args, NULL);
      cp_test_run_cli_env (&r, NULL, (const char * const *) args->pdata);
      g_test_message ("%s", r.err);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, cases[i].says));
    }
}

static gint64
count_activities (Fixture *f)
{
  g_autoptr(CpDatabase) database = cp_database_open_readonly (f->path, NULL);

  return database != NULL ? cp_test_count_rows (database, "activities") : 0;
}

/* Killed (-9) mid-import: whole batches stay, the database checks clean,
 * and the same command run again records exactly the rest. */
static void
test_killed_then_again (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *leads = g_build_filename (f->dir, "leads.csv", NULL);
  g_autofree char *visits = g_build_filename (f->dir, "visits.csv", NULL);
  g_autoptr(GString) lead_rows = g_string_new ("first_name,email\n");
  g_autoptr(GString) visit_rows = g_string_new ("Email,Timestamp,Page\n");
  const char *argv[] = { cp_test_get_cli_path (),
                         "--db",
                         f->path,
                         "import-activities",
                         visits,
                         "--kind",
                         "page_visit",
                         "--timezone",
                         "UTC",
                         NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_auto(CpCliResult) imported = { 0 };
  g_auto(CpCliResult) check = { 0 };
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  gint64 committed;

  for (guint i = 0; i < ROWS; i++)
    {
      g_string_append_printf (lead_rows, "Visitor%u,visitor%u@example.org\n", i, i);
      g_string_append_printf (visit_rows, "visitor%u@example.org,2026-11-19 12:%02u:00,/pricing\n",
                              i, i % 60);
    }
  g_assert_true (g_file_set_contents (leads, lead_rows->str, -1, NULL));
  g_assert_true (g_file_set_contents (visits, visit_rows->str, -1, NULL));
  cp_test_run_cli (&imported, "--db", f->path, "import", leads, NULL);
  g_assert_cmpint (imported.status, ==, 0);

  proc = g_subprocess_newv (argv,
                            G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                            &error);
  g_assert_no_error (error);
  while (count_activities (f) < CP_ACTIVITY_IMPORT_BATCH_ROWS)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (2000);
    }
  g_subprocess_send_signal (proc, SIGKILL);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_false (g_subprocess_get_if_exited (proc));

  committed = count_activities (f);
  g_test_message ("%" G_GINT64_FORMAT " activities committed before the kill", committed);
  g_assert_cmpint (committed, <, ROWS);
  g_assert_cmpint (committed % CP_ACTIVITY_IMPORT_BATCH_ROWS, ==, 0);
  cp_test_run_cli (&check, "--db", f->path, "check", NULL);
  g_assert_cmpint (check.status, ==, 0);

  again =
      run_json (f, "import-activities", visits, "--kind", "page_visit", "--timezone", "UTC", NULL);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (again), "recorded"), ==,
                   ROWS - committed);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (again), "already_recorded"),
                   ==, committed);
  g_assert_cmpint (count_activities (f), ==, ROWS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    g_error ("usage: %s [--tap] PATH-TO-carepath-cli", argv[0]);
  cp_test_set_cli_path (argv[argc - 1]);

  g_test_add ("/cli/activities/import-explain-again", Fixture, NULL, cp_test_dir_set_up,
              test_import_explain_again, cp_test_dir_tear_down);
  g_test_add ("/cli/activities/text-report-and-dry-run", Fixture, NULL, cp_test_dir_set_up,
              test_text_report_and_dry_run, cp_test_dir_tear_down);
  g_test_add ("/cli/activities/bad-options", Fixture, NULL, cp_test_dir_set_up, test_bad_options,
              cp_test_dir_tear_down);
  g_test_add ("/cli/activities/killed-then-again", Fixture, NULL, cp_test_dir_set_up,
              test_killed_then_again, cp_test_dir_tear_down);
  return g_test_run ();
}
