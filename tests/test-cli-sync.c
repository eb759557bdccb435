/* test-cli-sync.c — carepath-cli sync against the in-process fake HubSpot
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cp-cli-test-util.h"
#include "cp-sync-store.h"
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
    g_assert_nonnull (strstr (r.out, "Not applied, kept to retry: 0\n"));
    g_assert_nonnull (strstr (r.out, "Applied after being kept: 0\n"));
    g_assert_null (strstr (r.out, "failed"));
  }
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", db, "sync", "status", NULL };

    run_cli (&r, NULL, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Pending local changes: 0\n"));
    g_assert_nonnull (strstr (r.out, "Open conflicts: 0\n"));
    g_assert_nonnull (strstr (r.out, "Records waiting to be applied: 0\n"));
    g_assert_nonnull (strstr (r.out, "Changes the CRM refused: 0\n"));
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
    lead_id = g_strdup (
        json_object_get_string_member (json_array_get_object_element (json_node_get_array (
                                                                          json_parser_get_root (
                                                                              parser)),
                                                                      0),
                                       "id"));
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
      email = g_strdup (
          json_object_get_string_member (json_node_get_object (json_parser_get_root (p)), "email"));
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
    g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))),
                      ==, 1);
    conflict =
        json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
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

/* Keeps a record as the engine does when it cannot apply one. */
static void
quarantine (CpSyncStore *store,
            const char  *remote_id,
            const char  *payload,
            const char  *reason,
            gint64       now)
{
  CpDatabase *database = cp_sync_store_get_database (store);
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_database_begin (database, &error));
  g_assert_true (cp_sync_store_quarantine (store, remote_id, "2026-01-01T00:00:00Z", payload,
                                           reason, now, &error));
  g_assert_true (cp_database_commit (database, &error));
  g_assert_no_error (error);
}

/* 2026-01-01 00:00:00 UTC; the tests run with TZ=UTC. */
#define NEW_YEAR G_GINT64_CONSTANT (1767225600)

static void
test_sync_rejects (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autofree char *db = g_build_filename (dir, "leads.db", NULL);
  g_autoptr(CpDatabase) database = cp_test_open_database (dir);
  g_autoptr(CpLeadStore) leads = cp_lead_store_new (database);
  g_autoptr(CpSyncStore) store = cp_sync_store_new (leads, "hubspot");
  g_autoptr(CpSyncStore) espocrm = cp_sync_store_new (leads, "espocrm");
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *lead_id = NULL;
  g_autofree char *failure_line = NULL;
  CpSyncPending *change;

  /* A change HubSpot refused, and two records Carepath could not apply
   * (the first tried twice); EspoCRM's are not HubSpot's. */
  lead_id = cp_test_create_lead (leads, CP_LEAD_FIELD_FIRST_NAME, "Ana", CP_LEAD_FIELD_LAST_NAME,
                                 "Lima", CP_LEAD_N_FIELDS);
  pending = cp_sync_store_list_pending (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 1);
  change = pending->pdata[0];
  g_assert_true (cp_sync_store_record_failure (store, lead_id, change->last_outbox_id,
                                               "Property values were not valid: jobtitle", &error));
  quarantine (store, "901", "{\"firstname\":\"Zoé\",\"email\":\"not-an-email\"}",
              "“not-an-email” is not a valid email address.", NEW_YEAR);
  quarantine (store, "902", "{\"email\":\"b@example.org\"}", "The playbook refuses it.", NEW_YEAR);
  quarantine (store, "901", "{\"firstname\":\"Zoé\",\"email\":\"not-an-email\"}",
              "“not-an-email” is not a valid email address.", NEW_YEAR + 3600);
  quarantine (espocrm, "e-77", "{}", "Not HubSpot’s.", NEW_YEAR);

  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", db, "sync", "status", NULL };

    run_cli (&r, NULL, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Records waiting to be applied: 2\n"));
    g_assert_nonnull (strstr (r.out, "Changes the CRM refused: 1\n"));
    failure_line = g_strdup_printf ("\n  Ana Lima (%s): Property values were not valid: jobtitle "
                                    "(1 attempt)\n", lead_id);
    g_assert_nonnull (strstr (r.out, failure_line));
  }
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", db, "sync", "rejects", NULL };

    run_cli (&r, NULL, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Record 1 — CRM id 901\n"
                                     "  Reason: “not-an-email” is not a valid email address.\n"
                                     "  Attempts: 2\n"
                                     "  First seen: 2026-01-01 00:00:00 UTC\n"
                                     "  Last tried: 2026-01-01 01:00:00 UTC\n"));
    g_assert_nonnull (strstr (r.out, "Record 2 — CRM id 902\n  Reason: The playbook refuses it.\n"
                                     "  Attempts: 1\n"));
    g_assert_null (strstr (r.out, "e-77"));
    g_assert_nonnull (strstr (r.out, "sync rejects --dismiss ID"));
    /* Ids and reasons, not the records' values. */
    g_assert_null (strstr (r.out, "Zoé"));
  }
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", db, "sync", "rejects", "--json", NULL };
    g_autoptr(JsonNode) root = NULL;
    JsonArray *array;
    JsonObject *first, *payload;

    run_cli (&r, NULL, args);
    g_assert_cmpint (r.status, ==, 0);
    root = cp_test_parse_json (r.out);
    g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
    array = json_node_get_array (root);
    g_assert_cmpuint (json_array_get_length (array), ==, 2);
    first = json_array_get_object_element (array, 0);
    g_assert_cmpint (json_object_get_int_member (first, "id"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (first, "backend"), ==, "hubspot");
    g_assert_cmpstr (json_object_get_string_member (first, "remote_id"), ==, "901");
    g_assert_cmpstr (json_object_get_string_member (first, "reason"), ==,
                     "“not-an-email” is not a valid email address.");
    g_assert_cmpint (json_object_get_int_member (first, "attempts"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (first, "first_seen_at"), ==, NEW_YEAR);
    g_assert_cmpint (json_object_get_int_member (first, "last_tried_at"), ==, NEW_YEAR + 3600);
    payload = json_object_get_object_member (first, "payload");
    g_assert_nonnull (payload);
    g_assert_cmpstr (json_object_get_string_member (payload, "email"), ==, "not-an-email");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1),
                                                    "remote_id"), ==, "902");
  }

  /* Dismissed: no longer listed nor counted, kept in the database. */
  {
    g_auto(CpCliResult) r = { 0 };
    g_auto(CpCliResult) list = { 0 };
    g_auto(CpCliResult) status = { 0 };
    const char *args[] = { "--db", db, "sync", "rejects", "--dismiss", "1", NULL };
    const char *list_args[] = { "--db", db, "sync", "rejects", NULL };
    const char *status_args[] = { "--db", db, "sync", "status", NULL };

    run_cli (&r, NULL, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Record 1 dismissed"));
    run_cli (&list, NULL, list_args);
    g_assert_cmpint (list.status, ==, 0);
    g_assert_null (strstr (list.out, "CRM id 901"));
    g_assert_nonnull (strstr (list.out, "CRM id 902"));
    run_cli (&status, NULL, status_args);
    g_assert_nonnull (strstr (status.out, "Records waiting to be applied: 1\n"));
    g_assert_cmpint (cp_test_sql_int (database,
                                      "SELECT dismissed_at FROM sync_rejects WHERE remote_id = ?1",
                                      "901"),
                     >, 0);
  }

  /* Unknown or dismissed ids fail with the reason; malformed ones are usage errors. */
  {
    static const char *const unknown[] = { "1", "999" };

    for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
      {
        g_auto(CpCliResult) r = { 0 };
        g_autofree char *expected = g_strdup_printf ("There is no record %s waiting to be applied",
                                                     unknown[i]);
        const char *args[] = { "--db", db, "sync", "rejects", "--dismiss", unknown[i], NULL };

        run_cli (&r, NULL, args);
        g_assert_cmpint (r.status, ==, 1);
        g_assert_nonnull (strstr (r.err, expected));
        g_assert_cmpstr (r.out, ==, "");
      }
  }
  {
    static const char *const wrong[][8] = {
      { "sync", "rejects", "--dismiss", "two", NULL },
      { "sync", "rejects", "--dismiss", "-3", NULL },
      { "sync", "status", "--dismiss", "2", NULL },
      { "sync", "--dismiss", "2", NULL },
      { "sync", "rejects", "902", NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
      {
        g_auto(CpCliResult) r = { 0 };
        const char *args[10] = { "--db", db };

        for (guint j = 0; wrong[i][j] != NULL; j++)
          args[2 + j] = wrong[i][j];
        run_cli (&r, NULL, args);
        g_assert_cmpint (r.status, ==, 2);
      }
  }
  g_assert_cmpint (cp_test_sql_int (database,
                                    "SELECT dismissed_at FROM sync_rejects WHERE remote_id = ?1",
                                    "902"),
                   ==, 0);

  /* None left: said in words, and an empty JSON array. */
  {
    g_auto(CpCliResult) r = { 0 };
    g_auto(CpCliResult) list = { 0 };
    g_auto(CpCliResult) json = { 0 };
    const char *args[] = { "--db", db, "sync", "rejects", "--dismiss", "2", NULL };
    const char *list_args[] = { "--db", db, "sync", "rejects", NULL };
    const char *json_args[] = { "--db", db, "sync", "rejects", "--json", NULL };
    g_autoptr(JsonNode) root = NULL;

    run_cli (&r, NULL, args);
    g_assert_cmpint (r.status, ==, 0);
    run_cli (&list, NULL, list_args);
    g_assert_cmpstr (list.out, ==, "No records waiting to be applied.\n");
    run_cli (&json, NULL, json_args);
    g_assert_cmpint (json.status, ==, 0);
    root = cp_test_parse_json (json.out);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 0);
  }

  cp_test_remove_tree (dir);
}

/* A record the rules refuse is kept and counted; a failed pull is named. */
static void
test_sync_summary_rejects_and_failures (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autofree char *db = g_build_filename (dir, "leads.db", NULL);
  FakeHubspot *fake = fake_hubspot_new ();
  const char *url = fake_hubspot_get_url (fake);
  const char *token = fake_hubspot_get_token (fake);
  g_autofree char *bad = NULL;

  fake_hubspot_add_generated (fake, 3);
  bad = fake_hubspot_add_contact (fake, "Zoé", "not-an-email");
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", db, "sync", "--url", url, NULL };

    run_cli (&r, token, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Pulled: 3\n"));
    g_assert_nonnull (strstr (r.out, "Not applied, kept to retry: 1\n"));
    g_assert_nonnull (strstr (r.out, "See them with “carepath-cli sync rejects”."));
    g_assert_null (strstr (r.out, "Zoé"));
    g_assert_null (strstr (r.err, "Zoé"));
    g_assert_null (strstr (r.err, "not-an-email"));
  }
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", db, "sync", "rejects", NULL };
    g_autofree char *line = g_strdup_printf ("CRM id %s\n", bad);

    run_cli (&r, NULL, args);
    g_assert_nonnull (strstr (r.out, line));
  }

  /* Fixed in the CRM: applied at the next sync. A record a rule refused
   * before (kept here as the engine keeps them) applies on its retry. */
  fake_hubspot_edit (fake, bad, "email", "zoe@example.org");
  {
    g_autoptr(CpDatabase) database = cp_test_open_database (dir);
    g_autoptr(CpLeadStore) leads = cp_lead_store_new (database);
    g_autoptr(CpSyncStore) store = cp_sync_store_new (leads, "hubspot");

    quarantine (store, "777001",
                "{\"firstname\":\"Kim\",\"lastname\":\"Ode\",\"email\":\"kim@example.org\"}",
                "The playbook refuses it.", NEW_YEAR);
  }
  {
    g_auto(CpCliResult) r = { 0 };
    g_auto(CpCliResult) status = { 0 };
    const char *args[] = { "--db", db, "sync", "--url", url, NULL };
    const char *status_args[] = { "--db", db, "sync", "status", NULL };

    run_cli (&r, token, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Pulled: 2\n"));
    g_assert_nonnull (strstr (r.out, "Not applied, kept to retry: 0\n"));
    g_assert_nonnull (strstr (r.out, "Applied after being kept: 1\n"));
    run_cli (&status, NULL, status_args);
    g_assert_nonnull (strstr (status.out, "Records waiting to be applied: 0\n"));
  }

  /* The CRM refuses the search: receiving failed, said apart from sending. */
  fake_hubspot_inject (fake, "/search", FAKE_FAULT_STATUS, 400,
                       "{\"status\":\"error\",\"message\":\"Bad "
                       "search\",\"category\":\"VALIDATION_ERROR\"}",
                       NULL, 0, 10);
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", db, "sync", "--url", url, NULL };

    run_cli (&r, token, args);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.out, "Receiving changes from the CRM failed.\n"));
    g_assert_null (strstr (r.out, "Sending changes to the CRM failed."));
    g_assert_nonnull (strstr (r.err, "Receiving changes failed"));
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
  g_test_add_func ("/cli/sync/rejects", test_sync_rejects);
  g_test_add_func ("/cli/sync/summary-rejects-and-failures",
                   test_sync_summary_rejects_and_failures);

  return g_test_run ();
}
