/* test-sync-espocrm.c — the sync engine and EspoCRM backend against the in-process fake
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cp-crm-registry.h"
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
  cp_test_tmp_store_open (&f->dir, &f->database, &f->leads);
  f->db_path = g_strdup (cp_database_get_path (f->database));
  f->store = cp_sync_store_new (f->leads, "espocrm");
  f->fake = fake_espocrm_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  fake_espocrm_free (f->fake);
  cp_test_tmp_store_close (&f->dir, &f->database, &f->leads);
  g_free (f->db_path);
}

/* Six attempts per request, a few milliseconds apart. */
#define ATTEMPTS 6

static CpCrmBackend *
make_backend (Fixture    *f,
              const char *key)
{
  g_autoptr(CpCrmBackend) backend = NULL;
  g_autoptr(GError) error = NULL;
  CpBackoff backoff = { 1, 8, ATTEMPTS, 0.001 };

  backend = cp_crm_backend_new_for_name ("espocrm", fake_espocrm_get_url (f->fake),
                                         key != NULL ? key : fake_espocrm_get_key (f->fake),
                                         &error);
  g_assert_no_error (error);
  cp_crm_client_set_backoff (cp_crm_backend_get_client (backend), &backoff);
  cp_espocrm_backend_set_overlap_s (CP_ESPOCRM_BACKEND (backend), 5);
  return g_steal_pointer (&backend);
}

static gboolean
sync_with (Fixture       *f,
           CpCrmBackend  *backend,
           CpSyncStats   *stats,
           GError       **error)
{
  g_autoptr(CpSyncEngine) engine = cp_sync_engine_new (f->db_path, backend);

  return cp_sync_engine_run (engine, stats, NULL, error);
}

static gboolean
sync_once (Fixture      *f,
           const char   *key,
           CpSyncStats  *stats,
           GError      **error)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, key);

  return sync_with (f, backend, stats, error);
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

/* Whether the local lead linked to @remote_id is tombstoned. */
static gboolean
is_tombstoned (Fixture    *f,
               const char *remote_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *lead_id = cp_sync_store_find_lead (f->store, remote_id, &error);
  g_autoptr(CpLead) lead = NULL;
  gint64 deleted_at = 0;

  g_assert_no_error (error);
  g_assert_nonnull (lead_id);
  lead = cp_sync_store_load_lead (f->store, lead_id, &deleted_at, &error);
  g_assert_no_error (error);
  return deleted_at != 0;
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

/* Someone deletes leads in EspoCRM while the sweep pages through the ids:
 * one already listed (with offsets, the next page would then start one
 * lead late and that lead would be tombstoned) and one not listed yet. */
static void
test_sweep_concurrent_delete (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *trigger = NULL;
  g_autofree char *listed = NULL;
  g_autofree char *unlisted = NULL;
  CpSyncStats stats = { 0 };

  fake_espocrm_add_generated (f->fake, 450);
  sync_ok (f, NULL);
  g_assert_cmpuint (count_leads (f), ==, 450);

  /* The incremental pull lists only the last few: these are the sweep's. */
  trigger = fake_espocrm_id_at (f->fake, 10);
  listed = fake_espocrm_id_at (f->fake, 20);
  unlisted = fake_espocrm_id_at (f->fake, 300);
  fake_espocrm_delete_when_listed (f->fake, trigger, listed);
  fake_espocrm_delete_when_listed (f->fake, trigger, unlisted);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.deleted, ==, 1);
  g_assert_true (is_tombstoned (f, unlisted));
  g_assert_false (is_tombstoned (f, listed));
  for (guint i = 195; i < 205; i++)
    {
      g_autofree char *id = fake_espocrm_id_at (f->fake, i);

      g_assert_false (is_tombstoned (f, id));
    }
  g_assert_cmpuint (count_leads (f), ==, 449);

  /* Listed alive, deleted after: the next sweep finds it. */
  memset (&stats, 0, sizeof stats);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.deleted, ==, 1);
  g_assert_true (is_tombstoned (f, listed));
  g_assert_cmpuint (count_leads (f), ==, 448);
}

/* A lead the API user's role no longer lets it read is missing from the
 * list, and GET Lead/{id} answers 403: it is kept, and reported. */
static void
test_sweep_forbidden (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *visible = fake_espocrm_add_lead (f->fake, "Eve", "eve@example.org");
  g_autofree char *hidden = fake_espocrm_add_lead (f->fake, "Finn", "finn@example.org");
  g_autoptr(CpCrmBackend) backend = make_backend (f, NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *hidden_ids;
  CpSyncStats stats = { 0 };

  sync_ok (f, NULL);
  fake_espocrm_forbid (f->fake, hidden);
  g_assert_true (sync_with (f, backend, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.deleted, ==, 0);
  g_assert_false (is_tombstoned (f, hidden));
  g_assert_false (is_tombstoned (f, visible));
  g_assert_cmpuint (count_leads (f), ==, 2);
  cp_espocrm_backend_get_sweep_report (CP_ESPOCRM_BACKEND (backend), &hidden_ids, NULL);
  g_assert_cmpuint (hidden_ids->len, ==, 1);
  g_assert_cmpstr (hidden_ids->pdata[0], ==, hidden);
  g_assert_cmpuint (fake_server_requests (fake_espocrm_get_server (f->fake),
                                          "GET /api/v1/Lead/"), ==, 1);
}

/* EspoCRM fails the confirming GET (503, every attempt): no lead is
 * tombstoned that run, not even one confirmed; the next run does it. */
static void
test_sweep_confirm_unavailable (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *first = fake_espocrm_add_lead (f->fake, "Gus", "gus@example.org");
  g_autofree char *second = fake_espocrm_add_lead (f->fake, "Hal", "hal@example.org");
  g_autofree char *kept = fake_espocrm_add_lead (f->fake, "Ivy", "ivy@example.org");
  g_autoptr(CpCrmBackend) backend = make_backend (f, NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *undecided;
  CpSyncStats stats = { 0 };

  sync_ok (f, NULL);
  fake_espocrm_delete (f->fake, first);
  fake_espocrm_delete (f->fake, second);
  fake_server_inject (fake_espocrm_get_server (f->fake), "GET /api/v1/Lead/", FAKE_FAULT_STATUS,
                      503, NULL, NULL, 0, ATTEMPTS);
  g_assert_true (sync_with (f, backend, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.deleted, ==, 0);
  g_assert_cmpuint (count_leads (f), ==, 3);
  cp_espocrm_backend_get_sweep_report (CP_ESPOCRM_BACKEND (backend), NULL, &undecided);
  g_assert_cmpuint (undecided->len, ==, 2);

  memset (&stats, 0, sizeof stats);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.deleted, ==, 2);
  g_assert_true (is_tombstoned (f, first));
  g_assert_true (is_tombstoned (f, second));
  g_assert_false (is_tombstoned (f, kept));
}

/* The incremental pull the engine would run now, from its saved cursor
 * (the engine's stream is named “contacts” for every backend). */
static CpCrmPage *
pull_from_cursor (Fixture *f)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = cp_sync_store_get_cursor (f->store, "contacts");
  CpCrmPage *page;

  g_assert_nonnull (cursor);
  page = cp_crm_backend_pull_page (backend, cursor, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (page->next_page);
  return page;
}

static CpCrmRecord *
find_record (CpCrmPage  *page,
             const char *remote_id)
{
  for (guint i = 0; i < page->records->len; i++)
    if (g_str_equal (((CpCrmRecord *) page->records->pdata[i])->remote_id, remote_id))
      return page->records->pdata[i];
  return NULL;
}

/* A lead deleted in EspoCRM, then restored. EspoCRM's restore leaves
 * modifiedAt at the deletion time: the incremental pull cannot see it.
 * Once the lead is modified again, it comes back with its remote id and
 * Carepath id, and the engine restores the tombstone. */
static void
test_restored_lead (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *lead = create_local (f, "Jo", "jo@example.org");
  g_autofree char *remote = NULL;
  g_autofree char *modified = NULL;
  g_autoptr(CpCrmPage) page = NULL;
  g_autoptr(CpLead) back = NULL;
  CpCrmRecord *record;
  CpSyncStats stats = { 0 };
  gint64 deleted_at = 0;

  sync_ok (f, NULL);
  remote = fake_espocrm_find (f->fake, "cCarepathId", lead);
  fake_espocrm_delete (f->fake, remote);
  fake_espocrm_add_generated (f->fake, 20);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.deleted, ==, 1);
  g_assert_true (is_tombstoned (f, remote));

  fake_espocrm_restore (f->fake, remote);
  page = pull_from_cursor (f);
  g_assert_null (find_record (page, remote));
  g_clear_pointer (&page, cp_crm_page_free);

  fake_espocrm_edit (f->fake, remote, "title", "Nurse");
  modified = fake_espocrm_get (f->fake, remote, "modifiedAt");
  page = pull_from_cursor (f);
  record = find_record (page, remote);
  if (record == NULL)
    g_assert_not_reached ();
  g_assert_cmpstr (record->updated_at, ==, modified);
  g_assert_cmpstr (g_hash_table_lookup (record->properties, "cCarepathId"), ==, lead);
  g_assert_cmpstr (g_hash_table_lookup (record->properties, "title"), ==, "Nurse");

  sync_ok (f, NULL);
  g_assert_false (is_tombstoned (f, remote));
  back = cp_sync_store_load_lead (f->store, lead, &deleted_at, NULL);
  g_assert_cmpint (deleted_at, ==, 0);
  g_assert_cmpstr (cp_lead_get_text (back, CP_LEAD_FIELD_JOB_TITLE), ==, "Nurse");
}

static void
modify_first_lead_cb (CpSyncEngine *engine,
                      guint         page_number,
                      gpointer      user_data)
{
  FakeEspocrm *fake = user_data;
  g_autofree char *id = fake_espocrm_id_at (fake, 5);

  if (page_number == 0)
    fake_espocrm_edit (fake, id, "title", "Moved to the end");
}

/* A lead on the first page is modified while the pull pages on: it moves
 * to the end of the listing, and no other lead may slip past the pages. */
static void
test_pull_modified_while_paging (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, NULL);
  g_autoptr(CpSyncEngine) engine = cp_sync_engine_new (f->db_path, backend);
  g_autoptr(GError) error = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *lead = NULL;
  g_autofree char *value = NULL;
  CpSyncStats stats = { 0 };

  fake_espocrm_add_generated (f->fake, 450);
  g_signal_connect (engine, "page-fetched", G_CALLBACK (modify_first_lead_cb), f->fake);
  g_assert_true (cp_sync_engine_run (engine, &stats, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_leads (f), ==, 450);
  moved = fake_espocrm_id_at (f->fake, 5);
  lead = cp_sync_store_find_lead (f->store, moved, NULL);
  value = local_field (f, lead, CP_LEAD_FIELD_JOB_TITLE);
  g_assert_cmpstr (value, ==, "Moved to the end");
}

/* Without the custom field cCarepathId, sync stops before writing anything
 * and says how to add it; the metadata answers, or else a where probe. */
static void
test_setup_check (Fixture       *f,
                  gconstpointer  data)
{
  static const char old_metadata[] =
    "{\"entityDefs\":{\"Lead\":{\"fields\":{\"firstName\":{\"type\":\"varchar\"}}}}}";
  FakeServer *server = fake_espocrm_get_server (f->fake);
  g_autofree char *lead = create_local (f, "Kit", "kit@example.org");
  g_autofree char *remote = NULL;
  g_autoptr(GError) error = NULL;
  CpSyncStats stats = { 0 };

  fake_espocrm_set_carepath_field (f->fake, FALSE);
  g_assert_false (sync_once (f, NULL, &stats, &error));
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "Entity Manager → Lead → Fields → Add Field"));
  g_assert_nonnull (strstr (error->message, "cCarepathId"));
  g_clear_error (&error);

  /* Metadata not readable: the where probe answers 400. */
  fake_server_inject (server, "GET /api/v1/Metadata", FAKE_FAULT_STATUS, 403, NULL, NULL, 0, 1);
  g_assert_false (sync_once (f, NULL, &stats, &error));
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED);
  g_clear_error (&error);

  /* Before EspoCRM 8.2 the key is ignored: all the metadata comes back. */
  fake_server_inject (server, "GET /api/v1/Metadata", FAKE_FAULT_STATUS, 200, old_metadata, NULL,
                      0, 1);
  g_assert_false (sync_once (f, NULL, &stats, &error));
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED);
  g_clear_error (&error);
  g_assert_cmpuint (fake_server_requests (server, "POST /api/v1/Lead"), ==, 0);
  g_assert_cmpuint (fake_espocrm_count (f->fake), ==, 0);

  fake_espocrm_set_carepath_field (f->fake, TRUE);
  fake_server_inject (server, "GET /api/v1/Metadata", FAKE_FAULT_STATUS, 403, NULL, NULL, 0, 1);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pushed, ==, 1);
  remote = fake_espocrm_find (f->fake, "cCarepathId", lead);
  g_assert_nonnull (remote);
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
  ADD ("/sync/espocrm/sweep-concurrent-delete", test_sweep_concurrent_delete);
  ADD ("/sync/espocrm/sweep-forbidden-403", test_sweep_forbidden);
  ADD ("/sync/espocrm/sweep-confirm-unavailable", test_sweep_confirm_unavailable);
  ADD ("/sync/espocrm/restored-lead", test_restored_lead);
  ADD ("/sync/espocrm/pull-modified-while-paging", test_pull_modified_while_paging);
  ADD ("/sync/espocrm/setup-check", test_setup_check);
#undef ADD

  return g_test_run ();
}
