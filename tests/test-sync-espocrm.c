/* test-sync-espocrm.c — the sync engine and EspoCRM backend against the in-process fake
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cp-espocrm-backend.h"
#include "cp-sync-engine.h"
#include "cp-sync-error.h"
#include "cp-test-util.h"
#include "fake-espocrm.h"

typedef struct
{
  char         *dir;
  char         *db_path;
  FakeEspocrm  *fake;
  CpDatabase   *database;
  CpLeadStore  *leads;
  CpSyncStore  *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = cp_test_make_tmp_dir ();
  f->database = cp_test_open_database (f->dir);
  f->db_path = g_strdup (cp_database_get_path (f->database));
  f->leads = cp_lead_store_new (f->database);
  f->store = cp_sync_store_new (f->leads, "espocrm");
  f->fake = fake_espocrm_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  g_clear_object (&f->leads);
  g_clear_object (&f->database);
  fake_espocrm_free (f->fake);
  cp_test_remove_tree (f->dir);
  g_free (f->db_path);
  g_free (f->dir);
}

static gboolean
sync_once (Fixture      *f,
           const char   *key,
           CpSyncStats  *stats,
           GError      **error)
{
  g_autoptr(CpCrmBackend) backend = NULL;
  g_autoptr(CpSyncEngine) engine = NULL;
  g_autoptr(GError) local_error = NULL;
  CpBackoff backoff = { 1, 8, 6, 0.001 };

  backend = cp_crm_backend_new_for_name ("espocrm", fake_espocrm_get_url (f->fake),
                                         key != NULL ? key : fake_espocrm_get_key (f->fake),
                                         &local_error);
  g_assert_no_error (local_error);
  cp_crm_client_set_backoff (cp_crm_backend_get_client (backend), &backoff);
  cp_espocrm_backend_set_overlap_s (CP_ESPOCRM_BACKEND (backend), 5);
  engine = cp_sync_engine_new (f->db_path, backend);
  return cp_sync_engine_run (engine, stats, NULL, error);
}

static void
sync_ok (Fixture     *f,
         CpSyncStats *stats)
{
  g_autoptr(GError) error = NULL;
  CpSyncStats local = { 0 };

  g_assert_true (sync_once (f, NULL, stats ? stats : &local, &error));
  g_assert_no_error (error);
}

static guint
count_leads (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  guint n = 0;

  g_assert_true (cp_lead_store_count (f->leads, query, &n, &error));
  g_assert_no_error (error);
  return n;
}

static char *
create_local (Fixture    *f,
              const char *first,
              const char *email)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, first);
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, email);
  g_assert_true (cp_lead_store_create (f->leads, lead, "tester", &error));
  g_assert_no_error (error);
  return g_strdup (cp_lead_get_id (lead));
}

static char *
local_field (Fixture     *f,
             const char  *id,
             CpLeadField  field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = cp_lead_store_get (f->leads, id, &error);

  g_assert_no_error (error);
  return cp_lead_dup_field_string (lead, field);
}

static void
edit_local (Fixture     *f,
            const char  *id,
            CpLeadField  field,
            const char  *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = cp_lead_store_get (f->leads, id, &error);

  cp_lead_set_text (lead, field, value);
  g_assert_true (cp_lead_store_update (f->leads, lead, "tester", NULL, &error));
  g_assert_no_error (error);
}

static void
test_pull_pages (Fixture       *f,
                 gconstpointer  data)
{
  CpSyncStats stats = { 0 };

  fake_espocrm_add_generated (f->fake, 450);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pulled, ==, 450);
  g_assert_cmpuint (count_leads (f), ==, 450);

  memset (&stats, 0, sizeof stats);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pulled, ==, 0);
  g_assert_cmpuint (count_leads (f), ==, 450);
}

static void
test_push_merge_conflict (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *lead = create_local (f, "Ada", "ada@example.org");
  g_autofree char *remote = NULL;
  g_autofree char *value = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  CpSyncStats stats = { 0 };

  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pushed, ==, 1);
  remote = fake_espocrm_find (f->fake, "cCarepathId", lead);
  g_assert_nonnull (remote);
  value = fake_espocrm_get (f->fake, remote, "status");
  g_assert_cmpstr (value, ==, "New");

  /* Different fields merge; the same field becomes a conflict. */
  edit_local (f, lead, CP_LEAD_FIELD_JOB_TITLE, "Nurse");
  edit_local (f, lead, CP_LEAD_FIELD_NOTES, "Mine");
  fake_espocrm_edit (f->fake, remote, "accountName", "Hillside Clinic");
  fake_espocrm_edit (f->fake, remote, "description", "Theirs");
  memset (&stats, 0, sizeof stats);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.conflicts, ==, 1);
  g_clear_pointer (&value, g_free);
  value = local_field (f, lead, CP_LEAD_FIELD_ORGANIZATION);
  g_assert_cmpstr (value, ==, "Hillside Clinic");
  g_clear_pointer (&value, g_free);
  value = fake_espocrm_get (f->fake, remote, "title");
  g_assert_cmpstr (value, ==, "Nurse");
  g_clear_pointer (&value, g_free);
  value = fake_espocrm_get (f->fake, remote, "description");
  g_assert_cmpstr (value, ==, "Theirs");
  conflicts = cp_sync_store_list_conflicts (f->store, NULL);
  g_assert_cmpuint (conflicts->len, ==, 1);
  g_assert_cmpstr (((CpSyncConflict *) conflicts->pdata[0])->field, ==, "notes");
}

static void
test_replay_and_duplicates (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *lead = create_local (f, "Ben", "ben@example.org");
  g_autofree char *existing = NULL;
  g_autofree char *other = NULL;
  g_autofree char *adopted = NULL;
  CpSyncStats stats = { 0 };

  /* The create reached EspoCRM, the answer did not: a POST is never
   * resent blindly; the lead is looked up by its Carepath id, then updated. */
  fake_server_inject (fake_espocrm_get_server (f->fake), "POST /api/v1/Lead",
                      FAKE_FAULT_DROP_AFTER_COMMIT, 0, NULL, NULL, 0, 1);
  sync_ok (f, &stats);
  g_assert_cmpuint (fake_espocrm_count (f->fake), ==, 1);
  g_assert_cmpuint (stats.pushed, ==, 1);
  g_assert_cmpuint (fake_server_requests (fake_espocrm_get_server (f->fake), "POST /api/v1/Lead"),
                    ==, 1);
  g_assert_cmpuint (fake_server_requests (fake_espocrm_get_server (f->fake), "PUT /api/v1/Lead/"),
                    ==, 1);

  /* 409 for a create whose email EspoCRM holds: the existing lead is
   * adopted, never duplicated. Here the pull already brought it in as
   * another local lead: both are flagged for a merge instead. */
  existing = fake_espocrm_add_lead (f->fake, "Cleo", "cleo@example.org");
  other = create_local (f, "Cleo", "cleo@example.org");
  memset (&stats, 0, sizeof stats);
  sync_ok (f, &stats);
  g_assert_cmpuint (fake_espocrm_count (f->fake), ==, 2);
  g_assert_cmpuint (stats.errors, ==, 1);
  adopted = cp_sync_store_find_lead (f->store, existing, NULL);
  g_assert_nonnull (adopted);
  g_assert_cmpstr (adopted, !=, other);
  {
    g_autoptr(GPtrArray) candidates = NULL;
    g_autoptr(CpLead) lead_other = cp_lead_store_get (f->leads, other, NULL);

    candidates = cp_lead_store_find_duplicates (f->leads, lead_other, NULL);
    g_assert_cmpuint (candidates->len, >=, 1);
  }
}

static void
test_remote_delete (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *remote = fake_espocrm_add_lead (f->fake, "Dora", "dora@example.org");
  CpSyncStats stats = { 0 };

  sync_ok (f, NULL);
  g_assert_cmpuint (count_leads (f), ==, 1);
  fake_espocrm_delete (f->fake, remote);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.deleted, ==, 1);
  g_assert_cmpuint (count_leads (f), ==, 0);
}

static void
test_bad_key (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CpSyncStats stats = { 0 };

  g_assert_false (sync_once (f, "wrong", &stats, &error));
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "EspoCRM refused the access token"));
}

static void
test_truncated_and_unavailable (Fixture       *f,
                                gconstpointer  data)
{
  CpSyncStats stats = { 0 };

  fake_espocrm_add_generated (f->fake, 20);
  fake_server_inject (fake_espocrm_get_server (f->fake), "/api/v1/Lead", FAKE_FAULT_TRUNCATED,
                      0, NULL, NULL, 0, 1);
  fake_server_inject (fake_espocrm_get_server (f->fake), "/api/v1/Lead", FAKE_FAULT_STATUS,
                      503, NULL, NULL, 0, 2);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pulled, ==, 20);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/sync/espocrm/pull-pages", test_pull_pages);
  ADD ("/sync/espocrm/push-merge-conflict", test_push_merge_conflict);
  ADD ("/sync/espocrm/replay-and-duplicates", test_replay_and_duplicates);
  ADD ("/sync/espocrm/remote-delete", test_remote_delete);
  ADD ("/sync/espocrm/bad-key-401", test_bad_key);
  ADD ("/sync/espocrm/truncated-and-unavailable", test_truncated_and_unavailable);
#undef ADD

  return g_test_run ();
}
