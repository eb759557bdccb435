/* test-cli-import.c — carepath-cli import: killed part-way and run again (both ways), merge report
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cp-cli-test-util.h"
#include "cp-database-private.h"
#include "cp-lead-import.h"
#include "cp-test-util.h"

#define ROWS 30000

typedef struct
{
  CpTestDir  tmp;
  char      *csv;   /* ROWS new people */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("First Name,Last Name,Email,Phone\n");

  cp_test_dir_set_up (&f->tmp, data);
  f->csv = g_build_filename (f->tmp.dir, "people.csv", NULL);
  for (guint i = 0; i < ROWS; i++)
    g_string_append_printf (text, "Person%u,Tester,person%u@example.org,\n", i, i);
  g_assert_true (g_file_set_contents (f->csv, text->str, text->len, NULL));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cp_test_dir_tear_down (&f->tmp, data);
  g_free (f->csv);
}

static gint64
count_leads (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = NULL;

  if (!g_file_test (f->tmp.path, G_FILE_TEST_EXISTS))
    return 0;
  database = cp_database_open_readonly (f->tmp.path, &error);
  if (database == NULL)
    return 0;   /* created, not migrated yet */
  return cp_test_count_rows (database, "leads");
}

/* The database holds @expected whole leads, each with everything its
 * write made: its stage event, its "create" audit row, its response task
 * when its clock runs, its row in the full-text index (whose insert
 * trigger an import batch drops and brings back in its transaction). */
static void
assert_whole (Fixture *f,
              gint64   expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = cp_database_open_readonly (f->tmp.path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (cp_test_count_rows (database, "leads"), ==, expected);
  g_assert_cmpint (cp_test_sql_int (database, "SELECT count(*) FROM pragma_quick_check"
                                              " WHERE quick_check <> 'ok'", NULL), ==, 0);
  g_assert_cmpint (cp_test_sql_int (database, "SELECT count(DISTINCT lead_id) FROM stage_events",
                                    NULL),
                   ==, expected);
  g_assert_cmpint (cp_test_sql_int (database, "SELECT count(DISTINCT entity_id) FROM audit_log"
                                              " WHERE entity = 'lead' AND action = 'create'", NULL),
                   ==, expected);
  g_assert_cmpint (cp_test_sql_int (database, "SELECT count(*) FROM leads l WHERE sla_due_at > 0"
                                              " AND NOT EXISTS (SELECT 1 FROM tasks t"
                                              " WHERE t.lead_id = l.id)", NULL), ==, 0);
  g_assert_cmpint (cp_test_sql_int (database,
                                    "SELECT count(*) FROM sqlite_master"
                                    " WHERE type = 'trigger' AND name = 'leads_fts_insert'",
                                    NULL),
                   ==, 1);
  g_assert_cmpint (cp_test_count_rows (database, "leads_fts"), ==, expected);
}

/* The database's indexes and triggers, by name. */
static char *
schema_names (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = cp_database_open_readonly (f->tmp.path, &error);
  g_autoptr(GString) names = g_string_new (NULL);
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  stmt = _cp_database_prepare (database,
                               "SELECT type || ' ' || name FROM sqlite_master"
                               " WHERE type IN ('index', 'trigger') ORDER BY 1", &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (names, "%s\n", (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static JsonObject *
run_import (Fixture    *f,
            const char *option)
{
  g_auto(CpCliResult) r = { 0 };
  g_autoptr(JsonNode) root = NULL;

  cp_test_run_cli (&r, "--db", f->tmp.path, "import", f->csv, "--json", option, NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  root = cp_test_parse_json (r.out);
  return json_object_ref (json_node_get_object (root));
}

/* The CPU time @proc has used so far, in clock ticks (Linux). */
static guint64
cpu_ticks (GSubprocess *proc)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (proc));
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &stat, NULL, NULL) ||
      (after_name = strrchr (stat, ')')) == NULL)
    return 0;
  fields = g_strsplit (after_name + 2, " ", 0);
  /* After the name: state (3) … utime (14), stime (15). */
  if (g_strv_length (fields) < 13)
    return 0;
  return g_ascii_strtoull (fields[11], NULL, 10) + g_ascii_strtoull (fields[12], NULL, 10);
}

/* Into an empty database the file is one transaction, the index builds
 * deferred to its end. Killed (-9) midway (after a second of work):
 * nothing of it stays, and the database is as before, every index and
 * trigger there; the same import run again imports every row, whole. */
static void
test_killed_then_again (Fixture       *f,
                        gconstpointer  data)
{
  const char *argv[] = { cp_test_get_cli_path (), "--db", f->tmp.path, "import", f->csv, NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  /* The schema of a new database, as the import finds it. */
  {
    g_autoptr(CpDatabase) database = cp_database_open (f->tmp.path, &error);

    g_assert_no_error (error);
    before = schema_names (f);
  }

  proc = g_subprocess_newv (argv,
                            G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                            &error);
  g_assert_no_error (error);
  while (cpu_ticks (proc) < (guint64) sysconf (_SC_CLK_TCK))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (2000);
    }
  g_subprocess_send_signal (proc, SIGKILL);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_false (g_subprocess_get_if_exited (proc));

  /* Not a lead, and no index or trigger missing. */
  g_assert_cmpint (count_leads (f), ==, 0);
  assert_whole (f, 0);
  after = schema_names (f);
  g_assert_cmpstr (after, ==, before);

  again = run_import (f, NULL);
  g_assert_cmpint (json_object_get_int_member (again, "imported"), ==, ROWS);
  g_assert_cmpint (json_object_get_int_member (again, "unchanged"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (again, "rejected"), ==, 0);
  assert_whole (f, ROWS);
  g_free (after);
  after = schema_names (f);
  g_assert_cmpstr (after, ==, before);
}

/* With --commit-batches, killed (-9) after a few batches: what was
 * committed stays, whole batches of whole leads only (each with its stage
 * event, audit row, task and full-text entry); the same import run again
 * adds exactly the rest. */
static void
test_killed_then_again_batches (Fixture       *f,
                                gconstpointer  data)
{
  const char *argv[] = {
    cp_test_get_cli_path (), "--db", f->tmp.path, "import", f->csv, "--commit-batches", NULL
  };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) again = NULL;
  gint64 committed = 0;
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  proc = g_subprocess_newv (argv,
                            G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                            &error);
  g_assert_no_error (error);
  while ((committed = count_leads (f)) < 2 * CP_IMPORT_BATCH_ROWS)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (2000);
    }
  g_subprocess_send_signal (proc, SIGKILL);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_false (g_subprocess_get_if_exited (proc));

  committed = count_leads (f);
  g_test_message ("%" G_GINT64_FORMAT " leads committed before the kill", committed);
  g_assert_cmpint (committed, <, ROWS);
  g_assert_cmpint (committed % CP_IMPORT_BATCH_ROWS, ==, 0);
  assert_whole (f, committed);

  again = run_import (f, "--commit-batches");
  g_assert_cmpint (json_object_get_int_member (again, "imported"), ==, ROWS - committed);
  g_assert_cmpint (json_object_get_int_member (again, "unchanged"), ==, committed);
  g_assert_cmpint (json_object_get_int_member (again, "merged"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (again, "rejected"), ==, 0);
  g_assert_cmpint (count_leads (f), ==, ROWS);
  assert_whole (f, ROWS);
}

/* Every merged row, with the lead it went into and why. */
static void
test_merge_report (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(CpCliResult) first = { 0 };
  g_auto(CpCliResult) text = { 0 };
  g_autoptr(JsonObject) report = NULL;
  g_autofree char *update = g_build_filename (f->tmp.dir, "update.csv", NULL);
  JsonArray *matches;
  JsonObject *match;

  cp_test_run_cli (&first, "--db", f->tmp.path, "add", "first_name=Ada", "email=ada@example.org",
                   "phone=+12025550143", NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_true (
      g_file_set_contents (update,
                           "Email,First Name,Phone,Job Title\n"
                           "ADA@example.org,,,Director\n" /* 2: Ada, by email */
                           ",Ada,(202) 555-0143,\n"       /* 3: Ada, phone + name, nothing new */
                           ",Bob,(202) 555-0143,Nurse\n", /* 4: someone else */
                           -1, NULL));
  g_free (f->csv);
  f->csv = g_strdup (update);
  report = run_import (f, NULL);
  g_assert_cmpint (json_object_get_int_member (report, "merged"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "unchanged"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "imported"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "flagged"), ==, 1);
  matches = json_object_get_array_member (report, "matches");
  g_assert_cmpuint (json_array_get_length (matches), ==, 2);
  match = json_array_get_object_element (matches, 0);
  g_assert_cmpint (json_object_get_int_member (match, "line"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (match, "lead"), ==, g_strchomp (first.out));
  g_assert_cmpstr (json_object_get_string_member (match, "evidence"), ==, "email");
  g_assert_true (json_object_get_boolean_member (match, "changed"));
  match = json_array_get_object_element (matches, 1);
  g_assert_cmpstr (json_object_get_string_member (match, "evidence"), ==, "phone_and_name");
  g_assert_false (json_object_get_boolean_member (match, "changed"));

  /* In words, without --json. */
  cp_test_run_cli (&text, "--db", f->tmp.path, "import", update, NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "line 2: the same email"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    g_error ("usage: %s [--tap] PATH-TO-carepath-cli", argv[0]);
  cp_test_set_cli_path (argv[argc - 1]);

  g_test_add ("/cli/import/killed-then-again", Fixture, NULL, fixture_set_up,
              test_killed_then_again, fixture_tear_down);
  g_test_add ("/cli/import/killed-then-again-batches", Fixture, NULL, fixture_set_up,
              test_killed_then_again_batches, fixture_tear_down);
  g_test_add ("/cli/import/merge-report", Fixture, NULL, fixture_set_up, test_merge_report,
              fixture_tear_down);
  return g_test_run ();
}
