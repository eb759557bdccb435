/* test-cli.c — carepath-cli: usage, exit codes, messages
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cairo.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cp-cli-test-util.h"
#include "cp-database-private.h"
#include "cp-test-util.h"

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++)
    if (*p == '\n')
      n++;

  return n;
}

static void
test_cli_help (void)
{
  g_auto(CpCliResult) r = { 0 };

  cp_test_run_cli (&r, "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "Usage: carepath-cli [--db PATH] COMMAND"));
  g_assert_nonnull (strstr (r.out, "--db PATH"));
  g_assert_nonnull (strstr (r.out, "\n  help "));
  g_assert_nonnull (strstr (r.out, "\n  generate "));
  g_assert_nonnull (strstr (r.out, "\n  duplicates "));
  g_assert_cmpstr (r.err, ==, "");
}

static void
test_cli_help_command (void)
{
  g_auto(CpCliResult) r1 = { 0 };
  g_auto(CpCliResult) r2 = { 0 };

  cp_test_run_cli (&r1, "help", "help", NULL);
  g_assert_cmpint (r1.status, ==, 0);
  g_assert_true (g_str_has_prefix (r1.out, "Usage: carepath-cli [--db PATH] help [COMMAND]"));

  cp_test_run_cli (&r2, "help", "frobnicate", NULL);
  g_assert_cmpint (r2.status, ==, 2);
  g_assert_nonnull (strstr (r2.err, "unknown command “frobnicate”"));
  g_assert_cmpuint (count_lines (r2.err), ==, 1);
}

static void
test_cli_version (void)
{
  g_auto(CpCliResult) r = { 0 };

  cp_test_run_cli (&r, "--version", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "carepath-cli " PACKAGE_VERSION "\n");
}

static void
test_cli_no_command (void)
{
  g_auto(CpCliResult) r = { 0 };

  cp_test_run_cli (&r, NULL, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpstr (r.err, ==, "carepath-cli: no command given (try “carepath-cli --help”)\n");
}

static void
test_cli_unknown_command (void)
{
  g_auto(CpCliResult) r = { 0 };

  cp_test_run_cli (&r, "frobnicate", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpuint (count_lines (r.err), ==, 1);
  g_assert_nonnull (strstr (r.err, "unknown command “frobnicate”"));
}

static void
test_cli_unknown_option (void)
{
  g_auto(CpCliResult) r = { 0 };

  cp_test_run_cli (&r, "--frobnicate", "help", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "unknown option “--frobnicate”"));
  g_assert_cmpuint (count_lines (r.err), ==, 1);
}

static void
test_cli_db_needs_value (void)
{
  g_auto(CpCliResult) r1 = { 0 };
  g_auto(CpCliResult) r2 = { 0 };
  g_auto(CpCliResult) r3 = { 0 };

  cp_test_run_cli (&r1, "--db", NULL);
  g_assert_cmpint (r1.status, ==, 2);
  g_assert_nonnull (strstr (r1.err, "--db needs a file path"));

  cp_test_run_cli (&r2, "--db=", "help", NULL);
  g_assert_cmpint (r2.status, ==, 2);

  /* A valid --db is accepted before the command. */
  cp_test_run_cli (&r3, "--db", "/tmp/does-not-matter.db", "help", NULL);
  g_assert_cmpint (r3.status, ==, 0);
}


/* The data commands, each against a fresh database. */

typedef struct
{
  char *dir;
  char *db;
} DbFixture;

static void
db_set_up (DbFixture     *f,
           gconstpointer  data)
{
  f->dir = cp_test_make_tmp_dir ();
  f->db = g_build_filename (f->dir, "sub", "leads.db", NULL);
}

static void
db_tear_down (DbFixture     *f,
              gconstpointer  data)
{
  cp_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static char *
add_lead (DbFixture  *f,
          const char *a,
          const char *b,
          const char *c)
{
  g_auto(CpCliResult) r = { 0 };

  cp_test_run_cli (&r, "--db", f->db, "add", a, b, c, NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (strlen (r.out), ==, 37);  /* a UUID and a newline */

  return g_strchomp (g_steal_pointer (&r.out));
}


static gint64
consent_time (DbFixture  *f,
              const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT consent_captured_at FROM leads WHERE %s", where);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* A consent status typed here without the time it was captured is dated
 * by the write; a file's is not (its time is not known) unless the file
 * gives one, and a change of something else keeps the time. */
static void
test_cli_consent_time (DbFixture     *f,
                       gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (f->dir, "consent.csv", NULL);
  g_autofree char *id = NULL;
  g_autofree char *where = NULL;
  g_auto(CpCliResult) update = { 0 };
  g_auto(CpCliResult) other = { 0 };
  g_auto(CpCliResult) imported = { 0 };
  gint64 before = g_get_real_time () / G_USEC_PER_SEC, added, withdrawn;

  id = add_lead (f, "first_name=Ada", "email=ada@example.org", "consent_status=granted");
  where = g_strdup_printf ("id = '%s'", id);
  added = consent_time (f, where);
  g_assert_cmpint (added, >=, before);
  g_assert_cmpint (added, <=, g_get_real_time () / G_USEC_PER_SEC);

  g_usleep (1100 * 1000);
  cp_test_run_cli (&other, "--db", f->db, "update", id, "urgency=high", NULL);
  g_assert_cmpint (other.status, ==, 0);
  g_assert_cmpint (consent_time (f, where), ==, added);
  cp_test_run_cli (&update, "--db", f->db, "update", id, "consent_status=withdrawn", NULL);
  g_assert_cmpint (update.status, ==, 0);
  withdrawn = consent_time (f, where);
  g_assert_cmpint (withdrawn, >, added);

  g_assert_true (g_file_set_contents (csv,
    "First Name,Email,Consent status,Consent captured at\n"
    "Ben,ben@example.org,granted,\n"
    "Cleo,cleo@example.org,granted,2025-03-04T05:06:07Z\n", -1, NULL));
  cp_test_run_cli (&imported, "--db", f->db, "import", csv, NULL);
  g_assert_cmpstr (imported.err, ==, "");
  g_assert_cmpint (imported.status, ==, 0);
  g_assert_cmpint (consent_time (f, "email = 'ben@example.org'"), ==, 0);
  g_assert_cmpint (consent_time (f, "email = 'cleo@example.org'"), ==, 1741064767);
}

static void
test_cli_read_commands_need_a_database (DbFixture     *f,
                                        gconstpointer  data)
{
  g_auto(CpCliResult) r = { 0 };

  cp_test_run_cli (&r, "--db", f->db, "list", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "There is no database at"));
  /* Nothing was created by accident. */
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
}

static void
test_cli_add_show_json (DbFixture     *f,
                        gconstpointer  data)
{
  g_autofree char *id = add_lead (f, "first_name=Zoë", "email=Zoe@Example.org",
                                  "phone=(202) 555-0143");
  g_auto(CpCliResult) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *lead;
  GStatBuf st;

  g_assert_cmpint (g_stat (f->db, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  cp_test_run_cli (&r, "--db", f->db, "show", id, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = cp_test_parse_json (r.out);
  lead = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (lead, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (lead, "first_name"), ==, "Zoë");
  g_assert_cmpstr (json_object_get_string_member (lead, "phone"), ==, "+12025550143");
  g_assert_cmpstr (json_object_get_string_member (lead, "stage"), ==, "new");
  g_assert_true (json_object_get_null_member (lead, "last_name"));
  g_assert_false (json_object_get_boolean_member (lead, "do_not_contact"));
  g_assert_cmpint (json_object_get_int_member (lead, "score"), ==, 0);
  /* Every canonical field is present. */
  g_assert_true (json_object_has_member (lead, "consent_notice_version"));
  g_assert_true (json_object_has_member (lead, "updated_at"));
  g_assert_cmpuint (json_object_get_size (lead), ==, 51);
}

static void
test_cli_add_rejects_bad_input (DbFixture     *f,
                                gconstpointer  data)
{
  g_auto(CpCliResult) r1 = { 0 };
  g_auto(CpCliResult) r2 = { 0 };
  g_auto(CpCliResult) r3 = { 0 };
  g_auto(CpCliResult) r4 = { 0 };

  cp_test_run_cli (&r1, "--db", f->db, "add", "email=bob@", NULL);
  g_assert_cmpint (r1.status, ==, 1);
  g_assert_nonnull (strstr (r1.err, "“bob@” is not a valid email address"));

  cp_test_run_cli (&r2, "--db", f->db, "add", "shoe_size=44", NULL);
  g_assert_cmpint (r2.status, ==, 2);
  g_assert_nonnull (strstr (r2.err, "unknown field “shoe_size”"));

  cp_test_run_cli (&r3, "--db", f->db, "add", "no-equals-sign", NULL);
  g_assert_cmpint (r3.status, ==, 2);

  cp_test_run_cli (&r4, "--db", f->db, "add", "first_name=Al", "lead_type=astronaut", NULL);
  g_assert_cmpint (r4.status, ==, 1);
  g_assert_nonnull (strstr (r4.err, "“astronaut” is not a valid Lead type"));
}

/* delete: needs a reason; the lead leaves list, show and search, its
 * history stays with the reason, the board's counts drop; a second delete
 * or an unknown id is an error. */
static void
test_cli_delete (DbFixture     *f,
                 gconstpointer  data)
{
  g_autofree char *id = add_lead (f, "first_name=Zoltan", "last_name=Testentry",
                                  "email=zoltan@example.org");
  g_autofree char *kept = add_lead (f, "first_name=Ada", "last_name=Kept", "email=ada@example.org");
  g_auto(CpCliResult) no_reason = { 0 };
  g_auto(CpCliResult) blank = { 0 };
  g_auto(CpCliResult) done = { 0 };
  g_auto(CpCliResult) again = { 0 };
  g_auto(CpCliResult) unknown = { 0 };
  g_auto(CpCliResult) list = { 0 };
  g_auto(CpCliResult) show = { 0 };
  g_auto(CpCliResult) search = { 0 };
  g_auto(CpCliResult) history = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *entries;
  gboolean saw = FALSE;

  cp_test_run_cli (&no_reason, "--db", f->db, "delete", id, NULL);
  g_assert_cmpint (no_reason.status, ==, 2);
  g_assert_nonnull (strstr (no_reason.err, "--reason is required"));
  cp_test_run_cli (&blank, "--db", f->db, "delete", id, "--reason", "  ", NULL);
  g_assert_cmpint (blank.status, ==, 2);

  cp_test_run_cli (&done, "--db", f->db, "delete", id, "--reason", "Test entry", NULL);
  g_assert_cmpint (done.status, ==, 0);
  g_assert_nonnull (strstr (done.out, id));

  cp_test_run_cli (&list, "--db", f->db, "list", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_null (strstr (list.out, "Zoltan"));
  g_assert_nonnull (strstr (list.out, "Ada"));
  cp_test_run_cli (&show, "--db", f->db, "show", id, NULL);
  g_assert_cmpint (show.status, ==, 1);
  cp_test_run_cli (&search, "--db", f->db, "search", "Zoltan", NULL);
  g_assert_null (strstr (search.out, id));

  cp_test_run_cli (&history, "--db", f->db, "history", id, "--json", NULL);
  g_assert_cmpint (history.status, ==, 0);
  root = cp_test_parse_json (history.out);
  entries = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *e = json_array_get_object_element (entries, i);

      if (g_strcmp0 (json_object_get_string_member (e, "action"), "tombstone") == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (e, "reason"), ==, "Test entry");
          saw = TRUE;
        }
    }
  g_assert_true (saw);

  cp_test_run_cli (&again, "--db", f->db, "delete", id, "--reason", "again", NULL);
  g_assert_cmpint (again.status, ==, 1);
  cp_test_run_cli (&unknown, "--db", f->db, "delete", "no-such-id", "--reason", "x", NULL);
  g_assert_cmpint (unknown.status, ==, 1);
  g_assert_nonnull (strstr (unknown.err, "There is no lead with the id “no-such-id”"));
}

static void
test_cli_update_move_history (DbFixture     *f,
                              gconstpointer  data)
{
  g_autofree char *id =
      add_lead (f, "first_name=Ada", "email=ada@example.org", "location=Riverside");
  g_auto(CpCliResult) r1 = { 0 };
  g_auto(CpCliResult) r2 = { 0 };
  g_auto(CpCliResult) r3 = { 0 };
  g_auto(CpCliResult) r4 = { 0 };
  g_auto(CpCliResult) r5 = { 0 };
  g_auto(CpCliResult) refused = { 0 };
  g_auto(CpCliResult) typed = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *entries;
  gboolean saw_move = FALSE;
  gboolean saw_update = FALSE;

  cp_test_run_cli (&r1, "--db", f->db, "update", id, "urgency=high", "service_line=cardiology",
                   "--reason", "Called back", NULL);
  g_assert_cmpint (r1.status, ==, 0);

  cp_test_run_cli (&r2, "--db", f->db, "move", id, "qualified", NULL);
  g_assert_cmpint (r2.status, ==, 2);
  g_assert_nonnull (strstr (r2.err, "--reason is required"));

  /* Qualified needs the lead type: refused, in the playbook's words. */
  cp_test_run_cli (&refused, "--db", f->db, "move", id, "qualified", "--reason", "Budget confirmed",
                   NULL);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_nonnull (strstr (refused.err, "Lead type must be filled in first"));
  cp_test_run_cli (&typed, "--db", f->db, "update", id, "lead_type=patient", NULL);
  g_assert_cmpint (typed.status, ==, 0);

  cp_test_run_cli (&r3, "--db", f->db, "move", id, "qualified", "--reason", "Budget confirmed",
                   NULL);
  g_assert_cmpint (r3.status, ==, 0);

  cp_test_run_cli (&r4, "--db", f->db, "move", "no-such-id", "qualified", "--reason", "x", NULL);
  g_assert_cmpint (r4.status, ==, 1);
  g_assert_nonnull (strstr (r4.err, "There is no lead with the id “no-such-id”"));

  cp_test_run_cli (&r5, "--db", f->db, "history", id, "--json", NULL);
  g_assert_cmpint (r5.status, ==, 0);
  root = cp_test_parse_json (r5.out);
  entries = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *e = json_array_get_object_element (entries, i);
      const char *action = json_object_get_string_member (e, "action");

      if (g_strcmp0 (action, "stage") == 0 &&
          g_strcmp0 (json_object_get_string_member (e, "new"), "qualified") == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (e, "old"), ==, "new");
          g_assert_cmpstr (json_object_get_string_member (e, "reason"), ==, "Budget confirmed");
          saw_move = TRUE;
        }
      if (g_strcmp0 (action, "update") == 0 &&
          g_strcmp0 (json_object_get_string_member (e, "field"), "urgency") == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (e, "new"), ==, "high");
          g_assert_cmpstr (json_object_get_string_member (e, "reason"), ==, "Called back");
          saw_update = TRUE;
        }
    }
  g_assert_true (saw_move);
  g_assert_true (saw_update);
}

static void
test_cli_history_rescore (DbFixture     *f,
                          gconstpointer  data)
{
  g_autofree char *id = add_lead (f, "first_name=Rene", "email=rene@example.org", NULL);
  g_auto(CpCliResult) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *stale;
  JsonArray *entries;
  gboolean saw_rescore = FALSE;

  /* A rescore's tier change (schema 19: recorded by run, not as an audit
   * row of the lead) is in the lead's history. */
  {
    g_autoptr(CpDatabase) database = cp_database_open (f->db, &error);

    g_assert_no_error (error);
    stale = cp_test_rescore_stale_tier (database, id, 1900000000);
  }
  cp_test_run_cli (&r, "--db", f->db, "history", id, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = cp_test_parse_json (r.out);
  entries = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *e = json_array_get_object_element (entries, i);

      if (g_strcmp0 (json_object_get_string_member (e, "action"), "rescore") == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (e, "old", NULL), stale) == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (e, "field"), ==, "tier");
          g_assert_cmpstr (json_object_get_string_member (e, "new"), !=, stale);
          g_assert_cmpstr (json_object_get_string_member (e, "reason"), ==,
                           "Rescored with the default playbook");
          /* The last entry: nothing happened after it. */
          g_assert_cmpuint (i, ==, json_array_get_length (entries) - 1);
          saw_rescore = TRUE;
        }
    }
  g_assert_true (saw_rescore);
}

static void
test_cli_duplicates_merge_unmerge (DbFixture     *f,
                                   gconstpointer  data)
{
  g_autofree char *keep = add_lead (f, "first_name=Maria", "email=maria.lopez@example.org",
                                    "location=Riverside");
  g_autofree char *other = add_lead (f, "first_name=Maria", "email=Maria.Lopez@Example.org",
                                     "phone=202-555-0188");
  g_auto(CpCliResult) r1 = { 0 };
  g_auto(CpCliResult) r2 = { 0 };
  g_auto(CpCliResult) r3 = { 0 };
  g_auto(CpCliResult) r4 = { 0 };
  g_auto(CpCliResult) r5 = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *found;
  const char *merge_id;

  cp_test_run_cli (&r1, "--db", f->db, "duplicates", keep, "--json", NULL);
  g_assert_cmpint (r1.status, ==, 0);
  root = cp_test_parse_json (r1.out);
  found = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (found), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (found, 0), "id"),
                   ==, other);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (found, 0),
                                                  "reason"),
                   ==, "same email");

  cp_test_run_cli (&r2, "--db", f->db, "merge", keep, other, NULL);
  g_assert_cmpint (r2.status, ==, 0);
  merge_id = strstr (r2.out, "unmerge ");
  g_assert_nonnull (merge_id);
  merge_id += strlen ("unmerge ");
  g_strchomp ((char *) merge_id);

  /* The other lead is gone from lists, its phone now on the kept lead. */
  cp_test_run_cli (&r3, "--db", f->db, "show", other, NULL);
  g_assert_cmpint (r3.status, ==, 1);
  cp_test_run_cli (&r4, "--db", f->db, "unmerge", merge_id, NULL);
  g_assert_cmpint (r4.status, ==, 0);
  cp_test_run_cli (&r5, "--db", f->db, "show", other, NULL);
  g_assert_cmpint (r5.status, ==, 0);
  g_assert_nonnull (strstr (r5.out, "+12025550188"));
}

static void
test_cli_generate_list_search_check (DbFixture     *f,
                                     gconstpointer  data)
{
  g_auto(CpCliResult) r1 = { 0 };
  g_auto(CpCliResult) r2 = { 0 };
  g_auto(CpCliResult) r3 = { 0 };
  g_auto(CpCliResult) r4 = { 0 };
  g_auto(CpCliResult) r5 = { 0 };
  g_auto(CpCliResult) r6 = { 0 };
  g_autoptr(JsonNode) root = NULL;

  cp_test_run_cli (&r1, "--db", f->db, "generate", "--leads", "0", NULL);
  g_assert_cmpint (r1.status, ==, 2);

  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
  cp_test_run_cli (&r2, "--db", f->db, "generate", "--leads", "300", "--seed", "5", NULL);
  g_assert_cmpint (r2.status, ==, 0);
  g_assert_true (g_str_has_prefix (r2.out, "Generated 300 demo leads"));
  /* Into the new file through a rollback journal: none left, the file
   * back on its write-ahead log. */
  {
    g_autofree char *journal = g_strconcat (f->db, "-journal", NULL);

    g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
    g_assert_true (cp_test_file_uses_log (f->db));
  }
  {
    g_auto(CpCliResult) same = { 0 };
    g_auto(CpCliResult) more = { 0 };

    /* The same seed would make the same people again: refused, in words. */
    cp_test_run_cli (&same, "--db", f->db, "generate", "--leads", "10", "--seed", "5", NULL);
    g_assert_cmpint (same.status, ==, 1);
    g_assert_nonnull (strstr (same.err, "already holds the demo leads of seed 5"));
    /* Without a seed, more people join those there. */
    cp_test_run_cli (&more, "--db", f->db, "generate", "--leads", "10", NULL);
    g_assert_cmpint (more.status, ==, 0);
  }

  cp_test_run_cli (&r3, "--db", f->db, "list", "--limit", "25", "--json", NULL);
  g_assert_cmpint (r3.status, ==, 0);
  root = cp_test_parse_json (r3.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 25);

  /* A stage the playbook lacks is named as such (test-cli-input.c). */
  cp_test_run_cli (&r4, "--db", f->db, "list", "--stage", "no_such_stage", NULL);
  g_assert_cmpint (r4.status, ==, 2);
  g_assert_cmpstr (r4.out, ==, "");

  /* Search input is data, never FTS syntax. */
  cp_test_run_cli (&r5, "--db", f->db, "search", "\"unbalanced", "AND", "NEAR(", NULL);
  g_assert_cmpint (r5.status, ==, 0);

  cp_test_run_cli (&r6, "--db", f->db, "check", NULL);
  g_assert_cmpint (r6.status, ==, 0);
  g_assert_true (g_str_has_prefix (r6.out, "Database OK: 310 leads"));
}

static void
test_cli_playbook_commands (DbFixture     *f,
                            gconstpointer  data)
{
  g_autofree char *id = add_lead (f, "first_name=Ada", "email=ada@example.org",
                                  "service_line=cardiology");
  g_autofree char *bad = g_build_filename (f->dir, "bad.json", NULL);
  g_autofree char *good = g_build_filename (f->dir, "good.json", NULL);
  g_auto(CpCliResult) r1 = { 0 };
  g_auto(CpCliResult) r2 = { 0 };
  g_auto(CpCliResult) r3 = { 0 };
  g_auto(CpCliResult) r4 = { 0 };
  g_auto(CpCliResult) r5 = { 0 };
  g_auto(CpCliResult) r6 = { 0 };
  g_auto(CpCliResult) r7 = { 0 };
  g_auto(CpCliResult) r8 = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *explained;

  /* The score is explained rule by rule, and adds up. */
  cp_test_run_cli (&r1, "--db", f->db, "explain", id, "--json", NULL);
  g_assert_cmpint (r1.status, ==, 0);
  root = cp_test_parse_json (r1.out);
  explained = json_node_get_object (root);
  g_assert_true (json_object_has_member (explained, "tier"));
  {
    JsonArray *lines = json_object_get_array_member (explained, "contributions");
    g_assert_cmpuint (json_array_get_length (lines), >, 0);
    g_assert_cmpint (json_object_get_int_member (explained, "score"), >=, 0);
    g_assert_cmpint (json_object_get_int_member (explained, "score"), <=, 100);
  }

  /* Qualified needs a location and a lead type: refused, with the reason. */
  cp_test_run_cli (&r2, "--db", f->db, "check-move", id, "qualified", NULL);
  g_assert_cmpint (r2.status, ==, 1);
  g_assert_nonnull (strstr (r2.err, "Qualified"));
  cp_test_run_cli (&r3, "--db", f->db, "check-move", id, "reactivation", NULL);
  g_assert_cmpint (r3.status, ==, 0);

  cp_test_run_cli (&r4, "--db", f->db, "score", "--all", NULL);
  g_assert_cmpint (r4.status, ==, 0);
  g_assert_true (g_str_has_prefix (r4.out, "Scored 1 leads"));

  cp_test_run_cli (&r6, "--db", f->db, "playbook", "export", good, NULL);
  g_assert_cmpint (r6.status, ==, 0);

  /* An invalid playbook is refused with the path of the mistake. */
  {
    g_autofree char *json = NULL;
    g_autoptr(GString) broken = NULL;

    g_assert_true (g_file_get_contents (good, &json, NULL, NULL));
    broken = g_string_new (json);
    g_assert_cmpuint (g_string_replace (broken, "\"op\" : \"exists\"", "\"op\" : \"gtt\"", 1), ==,
                      1);
    g_assert_true (g_file_set_contents (bad, broken->str, -1, NULL));
  }
  cp_test_run_cli (&r5, "--db", f->db, "playbook", "import", bad, "--reason", "Try", NULL);
  g_assert_cmpint (r5.status, ==, 1);
  g_assert_nonnull (strstr (r5.err, ".op: unknown operator \"gtt\""));

  /* Imported without a reason: the draft, with its impact. */
  cp_test_run_cli (&r7, "--db", f->db, "playbook", "import", good, NULL);
  g_assert_cmpint (r7.status, ==, 0);
  g_assert_true (g_str_has_prefix (r7.out, "Saved as the playbook draft"));
  {
    g_auto(CpCliResult) impact = { 0 };
    g_auto(CpCliResult) versions = { 0 };
    g_auto(CpCliResult) no_reason = { 0 };
    g_auto(CpCliResult) published = { 0 };
    g_auto(CpCliResult) no_draft = { 0 };
    g_autoptr(JsonNode) impact_root = NULL;
    JsonObject *tier;

    cp_test_run_cli (&impact, "--db", f->db, "playbook", "impact", "--json", NULL);
    g_assert_cmpint (impact.status, ==, 0);
    impact_root = cp_test_parse_json (impact.out);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (impact_root), "leads"), ==,
                     1);
    tier = json_object_get_object_member (json_node_get_object (impact_root), "tier");
    g_assert_cmpint (json_object_get_int_member (tier, "count"), ==, 0);   /* the same rules */

    cp_test_run_cli (&versions, "--db", f->db, "playbook", "versions", NULL);
    g_assert_nonnull (strstr (versions.out, "draft"));
    cp_test_run_cli (&no_reason, "--db", f->db, "playbook", "publish", NULL);
    g_assert_cmpint (no_reason.status, ==, 2);
    cp_test_run_cli (&published, "--db", f->db, "playbook", "publish", "--reason",
                     "Same rules, now versioned", NULL);
    g_assert_cmpint (published.status, ==, 0);
    g_assert_true (g_str_has_prefix (published.out, "Published as version 1"));
    cp_test_run_cli (&no_draft, "--db", f->db, "playbook", "show", "draft", NULL);
    g_assert_cmpint (no_draft.status, ==, 1);
    g_assert_nonnull (strstr (no_draft.err, "no playbook draft"));
  }
  /* Import and publish in one step; revert publishes an old version again. */
  cp_test_run_cli (&r8, "--db", f->db, "playbook", "import", good, "--reason", "Again", NULL);
  g_assert_cmpint (r8.status, ==, 0);
  g_assert_true (g_str_has_prefix (r8.out, "Published as version 2"));
  {
    g_auto(CpCliResult) reverted = { 0 };

    cp_test_run_cli (&reverted, "--db", f->db, "playbook", "revert", "0", "--reason",
                     "Back to the default", NULL);
    g_assert_cmpint (reverted.status, ==, 0);
    g_assert_true (g_str_has_prefix (reverted.out, "Published as version 3"));
  }

  {
    g_auto(CpCliResult) r9 = { 0 };
    g_auto(CpCliResult) r10 = { 0 };
    g_auto(CpCliResult) r11 = { 0 };
    g_auto(CpCliResult) r12 = { 0 };

    cp_test_run_cli (&r9, "--db", f->db, "route", id, NULL);
    g_assert_cmpint (r9.status, ==, 0);
    g_assert_true (g_str_has_prefix (r9.out, "Queue: "));
    g_assert_nonnull (strstr (r9.out, "\nOwner: "));

    /* The same rules published again: no differences from the default. */
    cp_test_run_cli (&r10, "--db", f->db, "playbook", "diff", "0", "1", NULL);
    g_assert_cmpint (r10.status, ==, 0);
    g_assert_cmpstr (r10.out, ==, "No differences.\n");
    cp_test_run_cli (&r11, "--db", f->db, "playbook", "diff", "1", "x", NULL);
    g_assert_cmpint (r11.status, ==, 2);
    cp_test_run_cli (&r12, "--db", f->db, "playbook", "diff", "1", "7", NULL);
    g_assert_cmpint (r12.status, ==, 1);   /* no version 7 */
  }
}

static gint64
stored_score (DbFixture  *f,
              const char *id)
{
  g_auto(CpCliResult) r = { 0 };
  g_autoptr(JsonNode) root = NULL;

  cp_test_run_cli (&r, "--db", f->db, "show", id, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = cp_test_parse_json (r.out);
  return json_object_get_int_member (json_node_get_object (root), "score");
}

static gint64
explained_score (DbFixture  *f,
                 const char *id)
{
  g_auto(CpCliResult) r = { 0 };
  g_autoptr(JsonNode) root = NULL;

  cp_test_run_cli (&r, "--db", f->db, "explain", id, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = cp_test_parse_json (r.out);
  return json_object_get_int_member (json_node_get_object (root), "score");
}

/* Writes the default playbook with the core service line rule worth
 * @points to @path. */
static void
write_playbook_with_points (DbFixture  *f,
                            const char *path,
                            int         points)
{
  g_auto(CpCliResult) exported = { 0 };
  g_autofree char *json = NULL;
  g_autofree char *replacement = g_strdup_printf ("\"points\" : %d,", points);
  g_autoptr(GString) changed = NULL;
  const char *rule;
  const char *value;
  gsize at;

  cp_test_run_cli (&exported, "--db", f->db, "playbook", "export", path, NULL);
  g_assert_cmpint (exported.status, ==, 0);
  g_assert_true (g_file_get_contents (path, &json, NULL, NULL));
  rule = strstr (json, "\"fit_core_service_line\"");
  g_assert_nonnull (rule);
  value = strstr (rule, "\"points\" : ");
  g_assert_nonnull (value);
  at = value - json;
  changed = g_string_new (json);
  g_string_erase (changed, at, strchr (value, ',') - value + 1);
  g_string_insert (changed, at, replacement);
  g_assert_true (g_file_set_contents (path, changed->str, -1, NULL));
}

/* Publishing rescores the leads, as the app does; --no-rescore leaves the
 * stored scores for a later “score --all”. */
static void
test_cli_publish_rescores (DbFixture     *f,
                           gconstpointer  data)
{
  g_autofree char *id = add_lead (f, "first_name=Ada", "email=ada@example.org",
                                  "service_line=cardiology");
  g_autofree char *path = g_build_filename (f->dir, "playbook.json", NULL);
  g_auto(CpCliResult) published = { 0 };
  g_auto(CpCliResult) skipped = { 0 };
  g_auto(CpCliResult) later = { 0 };
  g_auto(CpCliResult) scored = { 0 };
  gint64 before = stored_score (f, id);

  g_assert_cmpint (before, ==, explained_score (f, id));

  /* Worth 5 points more: published and rescored in one command. */
  write_playbook_with_points (f, path, 15);
  cp_test_run_cli (&published, "--db", f->db, "playbook", "import", path, "--reason",
                   "Cardiology push", NULL);
  g_assert_cmpint (published.status, ==, 0);
  g_assert_nonnull (strstr (published.out, "Published as version 1"));
  g_assert_nonnull (strstr (published.out, "Scored 1 leads"));
  g_assert_cmpint (stored_score (f, id), ==, before + 5);
  g_assert_cmpint (stored_score (f, id), ==, explained_score (f, id));

  /* --no-rescore: published, the stored score is the old one until
   * “score --all”. */
  write_playbook_with_points (f, path, 20);
  cp_test_run_cli (&skipped, "--db", f->db, "playbook", "import", path, "--reason", "More",
                   "--no-rescore", NULL);
  g_assert_cmpint (skipped.status, ==, 0);
  g_assert_nonnull (strstr (skipped.out, "not rescored"));
  g_assert_cmpint (stored_score (f, id), ==, before + 5);
  g_assert_cmpint (explained_score (f, id), ==, before + 10);

  /* Effective later: nothing to rescore yet. */
  write_playbook_with_points (f, path, 30);
  cp_test_run_cli (&later, "--db", f->db, "playbook", "import", path, "--reason", "Next year",
                   "--effective", "2999-01-01T00:00:00Z", NULL);
  g_assert_cmpint (later.status, ==, 0);
  g_assert_nonnull (strstr (later.out, "takes effect later"));
  g_assert_cmpint (stored_score (f, id), ==, before + 5);

  cp_test_run_cli (&scored, "--db", f->db, "score", "--all", NULL);
  g_assert_cmpint (scored.status, ==, 0);
  g_assert_cmpint (stored_score (f, id), ==, before + 10);
}

/* import: the --json summary with every refused row; --dry-run writes
 * nothing; export writes what import reads back. */
static void
test_cli_import_export (DbFixture     *f,
                        gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (f->dir, "signups.csv", NULL);
  g_autofree char *out = g_build_filename (f->dir, "out.csv", NULL);
  g_auto(CpCliResult) dry = { 0 };
  g_auto(CpCliResult) real = { 0 };
  g_auto(CpCliResult) again = { 0 };
  g_auto(CpCliResult) exported = { 0 };
  g_auto(CpCliResult) listed = { 0 };
  g_auto(CpCliResult) bad = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *written = NULL;
  JsonObject *summary;
  JsonObject *rejection;

  g_assert_true (g_file_set_contents (csv,
    "First Name;Last Name;Email;Lifecycle Stage;Service line;City;Preferred contact method\r\n"
    "Ada;Okafor;ada@example.org;Lead;;;\r\n"
    "Ben;Stone;not-an-email;Lead;;;\r\n"
    "Cleo;Park;cleo@example.org;Opportunity;cardiology;Riverside;email\r\n"
    "Dee;Moss;dee@example.org;Opportunity;;;\r\n", -1, NULL));

  cp_test_run_cli (&dry, "--db", f->db, "import", csv, "--dry-run", NULL);
  g_assert_cmpint (dry.status, ==, 0);
  g_assert_nonnull (strstr (dry.out, "Dry run"));
  cp_test_run_cli (&listed, "--db", f->db, "list", "--json", NULL);
  g_assert_cmpint (listed.status, ==, 0);
  g_assert_null (strstr (listed.out, "ada@example.org"));

  cp_test_run_cli (&real, "--db", f->db, "import", csv, "--json", NULL);
  g_assert_cmpint (real.status, ==, 0);
  root = cp_test_parse_json (real.out);
  summary = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (summary, "imported"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (summary, "merged"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (summary, "skipped"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (summary, "rejected"), ==, 2);
  rejection =
      json_array_get_object_element (json_object_get_array_member (summary, "rejections"), 0);
  g_assert_cmpint (json_object_get_int_member (rejection, "line"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (rejection, "column"), ==, 3);
  g_assert_nonnull (strstr (json_object_get_string_member (rejection, "reason"), "not-an-email"));
  /* The playbook's requirements for the stage, in its words. */
  rejection =
      json_array_get_object_element (json_object_get_array_member (summary, "rejections"), 1);
  g_assert_cmpint (json_object_get_int_member (rejection, "line"), ==, 5);
  g_assert_nonnull (strstr (json_object_get_string_member (rejection, "reason"),
                            "Cannot move to “Active evaluation”"));

  /* The same file again: both are duplicates now, skipped on request. */
  cp_test_run_cli (&again, "--db", f->db, "import", csv, "--on-duplicate", "skip", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.out, "Skipped as duplicates: 2"));

  cp_test_run_cli (&exported, "--db", f->db, "export", out, "--stage", "active_evaluation", NULL);
  g_assert_cmpint (exported.status, ==, 0);
  g_assert_true (g_file_get_contents (out, &written, NULL, NULL));
  g_assert_nonnull (strstr (written, "cleo@example.org"));
  g_assert_null (strstr (written, "ada@example.org"));

  cp_test_run_cli (&bad, "--db", f->db, "import", csv, "--on-duplicate", "overwrite", NULL);
  g_assert_cmpint (bad.status, ==, 2);
}

static void
test_cli_report (DbFixture     *f,
                 gconstpointer  data)
{
  g_auto(CpCliResult) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *pdf = g_build_filename (f->dir, "funnel.pdf", NULL);
  g_autofree char *png = g_build_filename (f->dir, "funnel.png", NULL);
  JsonArray *stages;
  JsonObject *first;
  cairo_surface_t *surface;

  cp_test_run_cli (&r, "--db", f->db, "generate", "--leads", "300", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cp_cli_result_clear (&r);

  cp_test_run_cli (&r, "--db", f->db, "report", "funnel", "--json", NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  root = cp_test_parse_json (r.out);
  stages = json_object_get_array_member (json_node_get_object (root), "stages");
  g_assert_cmpuint (json_array_get_length (stages), >=, 2);
  first = json_array_get_object_element (stages, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "stage"), ==, "new");
  g_assert_cmpint (json_object_get_int_member (first, "count"), ==, 300);
  g_assert_true (json_object_has_member (first, "conversion_to_next"));
  g_assert_true (json_object_has_member (first, "cumulative"));
  g_assert_true (json_object_has_member (first, "median_days_in_stage"));
  cp_cli_result_clear (&r);

  /* Every report runs; CSV starts with its header. */
  cp_test_run_cli (&r, "--db", f->db, "report", "sla", "--csv", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "queue,label,leads,on_time,"));
  cp_cli_result_clear (&r);

  cp_test_run_cli (&r, "--db", f->db, "report", "funnel", "--mode", "any", "--from", "2020-01-01",
                   "--to", "2030-12-31", "--compare", "--pdf", pdf, "--png", png, "--size",
                   "800x600", NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_EXISTS));
  surface = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 800);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 600);
  cairo_surface_destroy (surface);
  cp_cli_result_clear (&r);

  /* The table shows the comparison too: each change after its figure. */
  cp_test_run_cli (&r, "--db", f->db, "report", "funnel", "--from", "2020-01-01",
                   "--to", "2030-12-31", "--compare", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "300 (+300)"));
  g_assert_nonnull (strstr (r.out, "\n0 leads in the previous period\n"));
  cp_cli_result_clear (&r);

  /* A day ends at the next midnight, also on the 23 hours of a clock
   * change: the range is the one day asked for. */
  {
    const char * const env[] = { "TZ=Europe/Berlin", NULL };
    const char * const args[] = { "--db", f->db, "report", "quality", "--from", "2026-03-29",
                                  "--to", "2026-03-29", "--json", NULL };

    cp_test_run_cli_env (&r, env, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "\"Created 2026-03-29 – 2026-03-29\""));
    cp_cli_result_clear (&r);
  }

  /* Bad input: a clear message and the usage exit code. */
  cp_test_run_cli (&r, "--db", f->db, "report", "pie", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "not a report"));
  cp_cli_result_clear (&r);
  cp_test_run_cli (&r, "--db", f->db, "report", "funnel", "--from", "2026-02-30", NULL);
  g_assert_cmpint (r.status, ==, 2);
  cp_cli_result_clear (&r);
  cp_test_run_cli (&r, "--db", f->db, "report", "funnel", "--compare", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--from"));
  cp_cli_result_clear (&r);
  cp_test_run_cli (&r, "--db", f->db, "report", "funnel", "--stages", "new,nowhere", NULL);
  g_assert_cmpint (r.status, ==, 2);
}

/* export and report --pdf/--png write personal data: 0600 under a
 * permissive umask, also over files anyone could read. */
static void
test_cli_export_private (DbFixture     *f,
                         gconstpointer  data)
{
  const char *names[] = { "leads.csv", "report.pdf", "report.png", "playbook.json", NULL };
  g_auto(GStrv) paths = g_new0 (char *, G_N_ELEMENTS (names));
  g_auto(CpCliResult) r = { 0 };
  mode_t saved = umask (022);

  for (guint i = 0; names[i] != NULL; i++)
    {
      paths[i] = g_build_filename (f->dir, names[i], NULL);
      g_assert_true (g_file_set_contents (paths[i], "old", -1, NULL));
      g_assert_cmpint (g_chmod (paths[i], 0666), ==, 0);
    }
  cp_test_run_cli (&r, "--db", f->db, "generate", "--leads", "5", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cp_cli_result_clear (&r);
  cp_test_run_cli (&r, "--db", f->db, "export", paths[0], NULL);
  g_assert_cmpint (r.status, ==, 0);
  cp_cli_result_clear (&r);
  cp_test_run_cli (&r, "--db", f->db, "report", "funnel", "--pdf", paths[1], "--png", paths[2],
                   NULL);
  g_assert_cmpint (r.status, ==, 0);
  cp_cli_result_clear (&r);
  cp_test_run_cli (&r, "--db", f->db, "playbook", "export", paths[3], NULL);
  g_assert_cmpint (r.status, ==, 0);
  umask (saved);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      GStatBuf st;

      g_assert_cmpint (g_stat (paths[i], &st), ==, 0);
      g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
      g_assert_cmpuint (st.st_size, >, 3);
    }
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* A colleague's copy that cannot be written: everything that reads works
 * on it, everything that writes says it cannot, and not a byte changes. */
static void
test_cli_read_only_copy (DbFixture     *f,
                         gconstpointer  data)
{
  g_autofree char *copy = g_build_filename (f->dir, "colleague.db", NULL);
  g_autofree char *csv = g_build_filename (f->dir, "out.csv", NULL);
  g_autofree char *id = add_lead (f, "first_name=Ada", "email=ada@example.org", "notes=Knee");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  {
    g_autofree char *contents = NULL;
    gsize length = 0;

    g_assert_true (g_file_get_contents (f->db, &contents, &length, NULL));
    g_assert_true (g_file_set_contents (copy, contents, length, NULL));
    g_assert_cmpint (g_chmod (copy, 0400), ==, 0);
  }
  before = file_checksum (copy);

  {
    g_auto(CpCliResult) list = { 0 };
    g_auto(CpCliResult) show = { 0 };
    g_auto(CpCliResult) search = { 0 };
    g_auto(CpCliResult) export = { 0 };
    g_auto(CpCliResult) check = { 0 };

    cp_test_run_cli (&list, "--db", copy, "list", NULL);
    g_assert_cmpint (list.status, ==, 0);
    g_assert_nonnull (strstr (list.out, id));
    cp_test_run_cli (&show, "--db", copy, "show", id, "--json", NULL);
    g_assert_cmpint (show.status, ==, 0);
    g_assert_nonnull (strstr (show.out, "\"Ada\""));
    cp_test_run_cli (&search, "--db", copy, "search", "knee", NULL);
    g_assert_cmpint (search.status, ==, 0);
    g_assert_nonnull (strstr (search.out, id));
    cp_test_run_cli (&export, "--db", copy, "export", csv, "--search", "ada", NULL);
    g_assert_cmpint (export.status, ==, 0);
    g_assert_true (g_str_has_prefix (export.out, "Exported 1 lead to "));
    cp_test_run_cli (&check, "--db", copy, "check", NULL);
    g_assert_cmpint (check.status, ==, 0);
    g_assert_true (g_str_has_prefix (check.out, "Database OK: 1 leads"));
  }

  {
    const char *writes[][6] = {
      { "add", "first_name=Linus", NULL },
      { "update", id, "first_name=Grace", NULL },
      { "move", id, "engaged", "--reason", "Called", NULL },
      { "generate", "--leads", "3", NULL },
      { "check", "--repair", NULL },
    };

    for (guint w = 0; w < G_N_ELEMENTS (writes); w++)
      {
        g_auto(CpCliResult) r = { 0 };
        g_autoptr(GPtrArray) args = g_ptr_array_new ();

        g_ptr_array_add (args, (gpointer) "--db");
        g_ptr_array_add (args, copy);
        for (guint a = 0; writes[w][a] != NULL; a++)
          g_ptr_array_add (args, (gpointer) writes[w][a]);
        g_ptr_array_add (args, NULL);
        cp_test_run_cli_env (&r, NULL, (const char * const *) args->pdata);
        g_test_message ("%s: %s", writes[w][0], r.err);
        g_assert_cmpint (r.status, ==, 1);
        g_assert_nonnull (strstr (r.err, "Read-only: this database cannot be changed"));
      }
  }

  after = file_checksum (copy);
  g_assert_cmpstr (before, ==, after);
  g_chmod (copy, 0600);
}

/* A search with no word in it finds nothing; exporting with it is
 * refused, not turned into an export of everything. */
static void
test_cli_search_without_words (DbFixture     *f,
                               gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->dir, "all.csv", NULL);
  g_autofree char *id = add_lead (f, "first_name=Ada", "email=ada@example.org", "notes=x");
  const char *searches[] = { "\"", "-", "*", "", "  ", NULL };

  for (guint i = 0; searches[i] != NULL; i++)
    {
      g_auto(CpCliResult) export = { 0 };
      g_auto(CpCliResult) list = { 0 };

      cp_test_run_cli (&export, "--db", f->db, "export", out, "--search", searches[i], NULL);
      g_assert_cmpint (export.status, ==, 2);
      g_assert_cmpstr (export.out, ==, "");
      g_assert_nonnull (strstr (export.err, "--search needs a word or number to look for"));
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

      if (i > 1)
        continue;
      cp_test_run_cli (&list, "--db", f->db, "list", "--search", searches[i], NULL);
      g_assert_cmpint (list.status, ==, 2);
      g_assert_cmpstr (list.out, ==, "");
    }
  {
    g_auto(CpCliResult) search = { 0 };
    g_auto(CpCliResult) export = { 0 };

    cp_test_run_cli (&search, "--db", f->db, "search", "\"", "-", NULL);
    g_assert_cmpint (search.status, ==, 2);
    g_assert_nonnull (strstr (search.err, "give a word or number to look for"));

    /* With a word in it, it exports what it finds. */
    cp_test_run_cli (&export, "--db", f->db, "export", out, "--search", "\"ada\"", NULL);
    g_assert_cmpint (export.status, ==, 0);
    g_assert_true (g_file_test (out, G_FILE_TEST_EXISTS));
  }
}

/* `check` says what is wrong in words, says which problems its repair
 * fixes, and the repair fixes them. */
static void
test_cli_check_in_words (DbFixture     *f,
                         gconstpointer  data)
{
  g_autofree char *ada = add_lead (f, "first_name=Ada", "email=ada@example.org", "notes=x");
  g_autofree char *grace = add_lead (f, "first_name=Grace", "email=grace@example.org", "notes=y");
  g_auto(CpCliResult) broken = { 0 };
  g_auto(CpCliResult) before = { 0 };
  g_auto(CpCliResult) repaired = { 0 };
  g_auto(CpCliResult) again = { 0 };

  {
    g_autoptr(CpDatabase) database = cp_database_open (f->db, NULL);
    g_autoptr(GError) error = NULL;

    /* One lead dropped from the search index, behind the store's back. */
    g_assert_true (_cp_database_exec (database,
                                      "INSERT INTO leads_fts (leads_fts, rowid, first_name,"
                                      "  last_name, email, phone, organization, notes)"
                                      " SELECT 'delete', rowid, first_name, last_name, email,"
                                      "  phone, organization, notes FROM leads"
                                      " WHERE first_name = 'Ada'",
                                      &error));
    g_assert_no_error (error);
  }
  cp_test_run_cli (&broken, "--db", f->db, "check", NULL);
  g_assert_cmpint (broken.status, ==, 1);
  g_assert_null (strstr (broken.err, "malformed"));
  g_assert_nonnull (strstr (broken.err, "carepath-cli: check: The search index is out of date "
                                        "for 1 lead: a search may miss it"));
  g_assert_nonnull (strstr (broken.err, "“carepath-cli check --repair” rebuilds the search index"));
  cp_test_run_cli (&before, "--db", f->db, "search", "ada", NULL);
  g_assert_cmpint (before.status, ==, 0);
  g_assert_null (strstr (before.out, ada));   /* what an out-of-date index does */

  cp_test_run_cli (&repaired, "--db", f->db, "check", "--repair", NULL);
  g_assert_cmpint (repaired.status, ==, 0);
  g_assert_true (g_str_has_prefix (repaired.out, "Rebuilt the search index and the stage totals "
                                                 "from the leads.\nDatabase OK: 2 leads"));

  cp_test_run_cli (&again, "--db", f->db, "search", "ada", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.out, ada));
}

/* A playbook nested 100,000 levels deep crashed `playbook import`. */
static void
test_cli_playbook_import_deep (DbFixture     *f,
                               gconstpointer  data)
{
  g_autofree char *deep = g_build_filename (f->dir, "deep.json", NULL);
  g_autofree char *huge = g_build_filename (f->dir, "huge.json", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_auto(CpCliResult) r1 = { 0 };
  g_auto(CpCliResult) r2 = { 0 };

  g_free (add_lead (f, "first_name=Ada", "email=ada@example.org", "notes=x"));
  for (guint i = 0; i < 100000; i++)
    g_string_append (text, "{\"not\":");
  g_assert_true (g_file_set_contents (deep, text->str, text->len, NULL));
  cp_test_run_cli (&r1, "--db", f->db, "playbook", "import", deep, NULL);
  g_assert_cmpint (r1.status, ==, 1);
  g_assert_nonnull (strstr (r1.err, "nest more than 64 levels deep"));

  g_assert_true (g_file_set_contents (huge, "{\"format\":18446744073709551615}", -1, NULL));
  cp_test_run_cli (&r2, "--db", f->db, "playbook", "import", huge, NULL);
  g_assert_cmpint (r2.status, ==, 1);
  g_assert_nonnull (strstr (r2.err, "format: the number is out of range (1–2147483647)"));
}

/* restore: refused over a database that opens; over a damaged one it
 * puts the backup in place and keeps the damaged file byte for byte; a
 * file that is no backup changes nothing. */
static void
test_cli_restore_backup (DbFixture     *f,
                         gconstpointer  data)
{
  g_autofree char *ada = add_lead (f, "first_name=Ada", "email=ada@example.org", "notes=x");
  g_autofree char *backup = g_build_filename (f->dir, "backup.db", NULL);
  g_autofree char *junk = g_build_filename (f->dir, "junk.txt", NULL);
  g_autofree char *garbage = g_strnfill (40000, 'x');
  g_autofree char *kept = NULL;
  g_autofree char *kept_text = NULL;
  g_auto(CpCliResult) sound = { 0 };
  g_auto(CpCliResult) not_backup = { 0 };
  g_auto(CpCliResult) restored = { 0 };
  g_auto(CpCliResult) shown = { 0 };

  {
    g_autoptr(CpDatabase) database = cp_database_open (f->db, NULL);
    g_autoptr(GError) error = NULL;

    g_assert_nonnull (database);
    g_assert_true (_cp_database_exec (database, "PRAGMA wal_checkpoint(TRUNCATE)", &error));
    g_assert_no_error (error);
  }
  {
    g_autofree char *contents = NULL;
    gsize length = 0;

    g_assert_true (g_file_get_contents (f->db, &contents, &length, NULL));
    g_assert_true (g_file_set_contents (backup, contents, length, NULL));
  }
  cp_test_run_cli (&sound, "--db", f->db, "restore", backup, NULL);
  g_assert_cmpint (sound.status, ==, 1);
  g_assert_nonnull (strstr (sound.err, "opens: nothing was changed"));

  g_assert_true (g_file_set_contents (f->db, garbage, -1, NULL));
  g_assert_true (g_file_set_contents (junk, "name,email\n", -1, NULL));
  cp_test_run_cli (&not_backup, "--db", f->db, "restore", junk, NULL);
  g_assert_cmpint (not_backup.status, ==, 1);
  g_assert_nonnull (strstr (not_backup.err, "cannot be used as a backup"));
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (f->db, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, garbage);
  }

  cp_test_run_cli (&restored, "--db", f->db, "restore", backup, NULL);
  g_assert_cmpint (restored.status, ==, 0);
  g_assert_nonnull (strstr (restored.out, "The file it replaced was kept as “"));
  kept = g_strndup (strstr (restored.out, "kept as “") + strlen ("kept as “"),
                    strlen (f->db) + strlen (".damaged-YYYYMMDD-HHMMSS"));
  g_assert_true (g_file_get_contents (kept, &kept_text, NULL, NULL));
  g_assert_cmpstr (kept_text, ==, garbage);
  cp_test_run_cli (&shown, "--db", f->db, "show", ada, NULL);
  g_assert_cmpint (shown.status, ==, 0);
  g_assert_nonnull (strstr (shown.out, "Ada"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (argc < 2)
    {
      g_printerr ("usage: test-cli PATH-TO-carepath-cli\n");
      return 1;
    }
  cp_test_set_cli_path (argv[1]);

  g_test_add_func ("/cli/help", test_cli_help);
  g_test_add_func ("/cli/help-command", test_cli_help_command);
  g_test_add_func ("/cli/version", test_cli_version);
  g_test_add_func ("/cli/usage/no-command", test_cli_no_command);
  g_test_add_func ("/cli/usage/unknown-command", test_cli_unknown_command);
  g_test_add_func ("/cli/usage/unknown-option", test_cli_unknown_option);
  g_test_add_func ("/cli/usage/db-needs-value", test_cli_db_needs_value);

  g_test_add ("/cli/data/read-needs-database", DbFixture, NULL, db_set_up,
              test_cli_read_commands_need_a_database, db_tear_down);
  g_test_add ("/cli/data/add-show-json", DbFixture, NULL, db_set_up, test_cli_add_show_json,
              db_tear_down);
  g_test_add ("/cli/data/add-bad-input", DbFixture, NULL, db_set_up,
              test_cli_add_rejects_bad_input, db_tear_down);
  g_test_add ("/cli/data/delete", DbFixture, NULL, db_set_up, test_cli_delete, db_tear_down);
  g_test_add ("/cli/data/consent-time", DbFixture, NULL, db_set_up, test_cli_consent_time,
              db_tear_down);
  g_test_add ("/cli/data/update-move-history", DbFixture, NULL, db_set_up,
              test_cli_update_move_history, db_tear_down);
  g_test_add ("/cli/history/rescore", DbFixture, NULL, db_set_up,
              test_cli_history_rescore, db_tear_down);
  g_test_add ("/cli/data/duplicates-merge-unmerge", DbFixture, NULL, db_set_up,
              test_cli_duplicates_merge_unmerge, db_tear_down);
  g_test_add ("/cli/data/generate-list-search-check", DbFixture, NULL, db_set_up,
              test_cli_generate_list_search_check, db_tear_down);

  g_test_add ("/cli/playbook/explain-check-score-import", DbFixture, NULL, db_set_up,
              test_cli_playbook_commands, db_tear_down);
  g_test_add ("/cli/playbook/publish-rescores", DbFixture, NULL, db_set_up,
              test_cli_publish_rescores, db_tear_down);
  g_test_add ("/cli/import-export", DbFixture, NULL, db_set_up, test_cli_import_export,
              db_tear_down);
  g_test_add ("/cli/report", DbFixture, NULL, db_set_up, test_cli_report, db_tear_down);
  g_test_add ("/cli/read-only-copy", DbFixture, NULL, db_set_up, test_cli_read_only_copy,
              db_tear_down);
  g_test_add ("/cli/search-without-words", DbFixture, NULL, db_set_up,
              test_cli_search_without_words, db_tear_down);
  g_test_add ("/cli/check-in-words", DbFixture, NULL, db_set_up, test_cli_check_in_words,
              db_tear_down);
  g_test_add ("/cli/playbook/import-deep-and-huge", DbFixture, NULL, db_set_up,
              test_cli_playbook_import_deep, db_tear_down);
  g_test_add ("/cli/export-private", DbFixture, NULL, db_set_up, test_cli_export_private,
              db_tear_down);
  g_test_add ("/cli/restore-backup", DbFixture, NULL, db_set_up, test_cli_restore_backup,
              db_tear_down);

  return g_test_run ();
}
