/* test-cli-sync.c — carepath-cli sync against the in-process fake HubSpot
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cp-cli-test-util.h"
#include "cp-test-util.h"
#include "fake-hubspot.h"

/* Runs the CLI with CAREPATH_CRM_TOKEN set to @token (unset when NULL). */
static void
run_cli (CpCliResult         *result,
         const char          *token,
         const char * const  *args)
{
  g_autofree char *set = token != NULL ? g_strconcat ("CAREPATH_CRM_TOKEN=", token, NULL) : NULL;
  const char *env[] = { set != NULL ? set : "CAREPATH_CRM_TOKEN", NULL };

  cp_test_run_cli_env (result, env, args);
}

static void
test_sync_run_status_conflicts (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autofree char *db = g_build_filename (dir, "leads.db", NULL);
  FakeHubspot *fake = fake_hubspot_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *remote = NULL;
  const char *url = fake_hubspot_get_url (fake);
  const char *token = fake_hubspot_get_token (fake);

  fake_hubspot_add_generated (fake, 12);
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", db, "sync", "--backend", "hubspot", "--url", url, NULL };

    run_cli (&r, token, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Pulled: 12\n"));
    g_assert_nonnull (strstr (r.out, "Pushed: 0\n"));
    g_assert_nonnull (strstr (r.out, "Conflicts: 0\n"));
    g_assert_nonnull (strstr (r.out, "Errors: 0\n"));
  }
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", db, "sync", "status", NULL };

    run_cli (&r, NULL, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Pending local changes: 0\n"));
    g_assert_nonnull (strstr (r.out, "Open conflicts: 0\n"));
    g_assert_null (strstr (r.out, "Last successful sync: never"));
    g_assert_nonnull (strstr (r.out, "Cursor contacts: "));
  }

  /* The same field changed on both sides: a conflict, listed as JSON. */
  {
    g_auto(CpCliResult) r = { 0 };
    g_auto(CpCliResult) edit = { 0 };
    g_auto(CpCliResult) list = { 0 };
    g_autofree char *lead_id = NULL;
    const char *list_args[] = { "--db", db, "list", "--json", NULL };

    run_cli (&list, NULL, list_args);
    g_assert_cmpint (list.status, ==, 0);
    g_assert_true (json_parser_load_from_data (parser, list.out, -1, &error));
    lead_id = g_strdup (json_object_get_string_member (
      json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0), "id"));
    {
      const char *edit_args[] = { "--db", db, "update", lead_id, "job_title=Mine", NULL };
      run_cli (&edit, NULL, edit_args);
      g_assert_cmpint (edit.status, ==, 0);
    }
    {
      g_autofree char *email = NULL;
      g_auto(CpCliResult) show = { 0 };
      const char *show_args[] = { "--db", db, "show", lead_id, "--json", NULL };
      g_autoptr(JsonParser) p = json_parser_new ();

      run_cli (&show, NULL, show_args);
      g_assert_true (json_parser_load_from_data (p, show.out, -1, &error));
      email = g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (p)),
                                                       "email"));
      remote = fake_hubspot_find (fake, "email", email);
      g_assert_nonnull (remote);
      fake_hubspot_edit (fake, remote, "jobtitle", "Theirs");
    }
    {
      const char *args[] = { "--db", db, "sync", "--url", url, NULL };
      run_cli (&r, token, args);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (r.out, "Conflicts: 1\n"));
    }
  }
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", db, "sync", "conflicts", "--json", NULL };
    JsonObject *conflict;

    run_cli (&r, NULL, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, 1);
    conflict = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
    g_assert_cmpstr (json_object_get_string_member (conflict, "field"), ==, "job_title");
    g_assert_cmpstr (json_object_get_string_member (conflict, "mine"), ==, "Mine");
    g_assert_cmpstr (json_object_get_string_member (conflict, "theirs"), ==, "Theirs");
  }
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", db, "sync", "resolve", "1", "theirs", NULL };

    run_cli (&r, NULL, args);
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", db, "sync", "conflicts", NULL };

    run_cli (&r, NULL, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "No open conflicts."));
  }

  fake_hubspot_free (fake);
  cp_test_remove_tree (dir);
}

static void
test_sync_failures (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autofree char *db = g_build_filename (dir, "leads.db", NULL);
  FakeHubspot *fake = fake_hubspot_new ();
  const char *url = fake_hubspot_get_url (fake);

  /* 401: exit 1 with the reason. */
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", db, "sync", "--url", url, NULL };

    run_cli (&r, "not-the-token", args);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "refused the access token"));
    g_assert_null (strstr (r.err, "not-the-token"));
  }
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", db, "sync", "status", NULL };

    run_cli (&r, NULL, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Last error: "));
    g_assert_nonnull (strstr (r.out, "Correlation id: "));
  }
  /* Usage errors. */
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", db, "sync", "--backend", "salesforce", NULL };

    run_cli (&r, "x", args);
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", db, "sync", "resolve", "7", "both", NULL };

    run_cli (&r, NULL, args);
    g_assert_cmpint (r.status, ==, 2);
  }
  /* EspoCRM needs its site's address. */
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", db, "sync", "--backend", "espocrm", NULL };

    run_cli (&r, "key", args);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "EspoCRM needs the address"));
  }
  /* Nothing listens there. */
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", db, "sync", "--url", "ftp://example.org", NULL };

    run_cli (&r, "x", args);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "not an http or https address"));
  }

  fake_hubspot_free (fake);
  cp_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, >=, 2);
  cp_test_set_cli_path (argv[1]);

  g_test_add_func ("/cli/sync/run-status-conflicts", test_sync_run_status_conflicts);
  g_test_add_func ("/cli/sync/failures", test_sync_failures);

  return g_test_run ();
}
