/* test-sync.c — the sync engine and HubSpot backend against the in-process fake
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>
#include <libsecret/secret.h>

#include "cp-crm-registry.h"
#include "cp-hubspot-backend.h"
#include "cp-sync-controller.h"
#include "cp-crm-mapping.h"
#include "cp-person-erase.h"
#include "cp-sync-engine.h"
#include "cp-sync-error.h"
#include "cp-sync-secret.h"
#include "cp-test-util.h"
#include "fake-hubspot.h"

typedef struct
{
  char         *dir;
  char         *db_path;
  FakeHubspot  *fake;
  CpDatabase   *database;
  CpLeadStore  *leads;
  CpSyncStore  *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  cp_test_tmp_store_open (&f->dir, &f->database, &f->leads);
  /* The sync's mechanics; what the playbook refuses of a pulled record
   * is test-lifecycle's. */
  cp_test_publish_open_playbook (f->database);
  f->db_path = g_strdup (cp_database_get_path (f->database));
  f->store = cp_sync_store_new (f->leads, "hubspot");
  f->fake = fake_hubspot_new ();
  fake_hubspot_set_search_rate (f->fake, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  fake_hubspot_free (f->fake);
  cp_test_tmp_store_close (&f->dir, &f->database, &f->leads);
  g_free (f->db_path);
}

/* Tiny backoff in tests: the production policy is unchanged. */
static CpCrmBackend *
make_backend (Fixture    *f,
              const char *token)
{
  g_autoptr(GError) error = NULL;
  CpCrmBackend *backend = cp_hubspot_backend_new (fake_hubspot_get_url (f->fake),
                                                  token ? token : fake_hubspot_get_token (f->fake),
                                                  &error);
  CpBackoff backoff = { 1, 8, 6, 0.001 };

  g_assert_no_error (error);
  cp_crm_client_set_backoff (cp_crm_backend_get_client (backend), &backoff);
  cp_crm_client_set_search_rate (cp_crm_backend_get_client (backend), 64);
  cp_hubspot_backend_set_overlap_ms (CP_HUBSPOT_BACKEND (backend), 5000);
  return backend;
}

static gboolean
sync_once (Fixture      *f,
           CpSyncStats  *stats,
           GError      **error)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, NULL);
  g_autoptr(CpSyncEngine) engine = cp_sync_engine_new (f->db_path, backend);

  return cp_sync_engine_run (engine, stats, NULL, error);
}

static void
sync_ok (Fixture     *f,
         CpSyncStats *stats)
{
  g_autoptr(GError) error = NULL;
  CpSyncStats local = { 0 };

  g_assert_true (sync_once (f, stats ? stats : &local, &error));
  g_assert_no_error (error);
}

static gint64
count_rows (Fixture    *f,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (f->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
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
  cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, "Tester");
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, email);
  g_assert_true (cp_lead_store_create (f->leads, lead, "tester", &error));
  g_assert_no_error (error);
  return g_strdup (cp_lead_get_id (lead));
}

static void
edit_local (Fixture     *f,
            const char  *id,
            CpLeadField  field,
            const char  *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = cp_lead_store_get (f->leads, id, &error);

  g_assert_no_error (error);
  cp_lead_set_text (lead, field, value);
  g_assert_true (cp_lead_store_update (f->leads, lead, "tester", NULL, &error));
  g_assert_no_error (error);
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

static char *
remote_id_of (Fixture    *f,
              const char *lead_id)
{
  g_autoptr(CpSyncLink) link = cp_sync_store_get_link (f->store, lead_id, NULL);

  g_assert_nonnull (link);
  return g_strdup (link->remote_id);
}

/* Pulls one remote contact in, returning the local lead id. */
static char *
pull_one (Fixture  *f,
          char    **out_remote_id)
{
  g_autofree char *remote = fake_hubspot_add_contact (f->fake, "Rosa", "rosa@example.org");
  g_autofree char *lead_id = NULL;

  sync_ok (f, NULL);
  lead_id = cp_sync_store_find_lead (f->store, remote, NULL);
  g_assert_nonnull (lead_id);
  if (out_remote_id != NULL)
    *out_remote_id = g_steal_pointer (&remote);
  return g_steal_pointer (&lead_id);
}

static void
test_merge_value (void)
{
  g_assert_cmpint (cp_sync_merge_value ("a", "a", "a"), ==, CP_MERGE_SAME);
  g_assert_cmpint (cp_sync_merge_value ("a", "a", "b"), ==, CP_MERGE_TAKE_REMOTE);
  g_assert_cmpint (cp_sync_merge_value ("a", "b", "a"), ==, CP_MERGE_KEEP_LOCAL);
  g_assert_cmpint (cp_sync_merge_value ("a", "b", "c"), ==, CP_MERGE_CONFLICT);
  g_assert_cmpint (cp_sync_merge_value ("a", "b", "b"), ==, CP_MERGE_SAME);
  g_assert_cmpint (cp_sync_merge_value (NULL, "", NULL), ==, CP_MERGE_SAME);
  g_assert_cmpint (cp_sync_merge_value ("a", "a", NULL), ==, CP_MERGE_TAKE_REMOTE);
  g_assert_cmpint (cp_sync_merge_value ("a", NULL, "c"), ==, CP_MERGE_CONFLICT);
}

/* 25,000 contacts: past the 10,000-result search cap, by moving the
 * query on from the last (time, id) seen; a second sync pulls nothing twice. */
static void
test_first_pull_past_cap (Fixture       *f,
                          gconstpointer  data)
{
  CpSyncStats stats = { 0 };

  fake_hubspot_add_generated (f->fake, 25000);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pulled, ==, 25000);
  g_assert_cmpuint (stats.errors, ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM leads WHERE deleted_at = 0"), ==, 25000);
  g_assert_cmpint (count_rows (f, "SELECT count(DISTINCT remote_id) FROM sync_links"), ==, 25000);
  /* Nothing was pushed back: pulled leads are not journalled. */
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_cmpuint (fake_hubspot_count (f->fake, FALSE), ==, 25000);

  memset (&stats, 0, sizeof stats);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pulled, ==, 0);
  g_assert_cmpuint (stats.pushed, ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM leads"), ==, 25000);
}

/* Leads made offline are journalled and pushed at the next sync, once. */
static void
test_offline_edits_pushed (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *a = create_local (f, "Ada", "ada@example.org");
  g_autofree char *b = create_local (f, "Ben", "ben@example.org");
  g_autofree char *remote = NULL;
  g_autofree char *title = NULL;
  CpSyncStats stats = { 0 };

  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 2);
  edit_local (f, a, CP_LEAD_FIELD_JOB_TITLE, "Nurse");
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 3);

  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pushed, ==, 2);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_cmpuint (fake_hubspot_count (f->fake, FALSE), ==, 2);
  remote = fake_hubspot_find (f->fake, "carepath_id", a);
  g_assert_nonnull (remote);
  title = fake_hubspot_get (f->fake, remote, "jobtitle");
  g_assert_cmpstr (title, ==, "Nurse");

  /* A later offline edit goes up as an update of the same contact. */
  edit_local (f, b, CP_LEAD_FIELD_ORGANIZATION, "Lakeside Clinic");
  memset (&stats, 0, sizeof stats);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pushed, ==, 1);
  g_assert_cmpuint (stats.pulled, ==, 0);
  g_clear_pointer (&remote, g_free);
  remote = fake_hubspot_find (f->fake, "carepath_id", b);
  g_clear_pointer (&title, g_free);
  title = fake_hubspot_get (f->fake, remote, "company");
  g_assert_cmpstr (title, ==, "Lakeside Clinic");
  g_assert_cmpuint (fake_hubspot_count (f->fake, FALSE), ==, 2);
}

static void
test_merge_different_fields (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *remote = NULL;
  g_autofree char *lead = pull_one (f, &remote);
  g_autofree char *company = NULL;
  g_autofree char *title = NULL;
  CpSyncStats stats = { 0 };

  edit_local (f, lead, CP_LEAD_FIELD_JOB_TITLE, "Practice manager");
  fake_hubspot_edit (f->fake, remote, "company", "Northside Health");
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.conflicts, ==, 0);

  company = local_field (f, lead, CP_LEAD_FIELD_ORGANIZATION);
  g_assert_cmpstr (company, ==, "Northside Health");
  title = fake_hubspot_get (f->fake, remote, "jobtitle");
  g_assert_cmpstr (title, ==, "Practice manager");
  g_clear_pointer (&company, g_free);
  company = fake_hubspot_get (f->fake, remote, "company");
  g_assert_cmpstr (company, ==, "Northside Health");
}

static void
test_same_field_conflict (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *remote = NULL;
  g_autofree char *lead = pull_one (f, &remote);
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  CpSyncConflict *conflict;
  CpSyncStats stats = { 0 };

  edit_local (f, lead, CP_LEAD_FIELD_JOB_TITLE, "Mine");
  fake_hubspot_edit (f->fake, remote, "jobtitle", "Theirs");
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.conflicts, ==, 1);

  /* Never a silent overwrite: each side keeps its value until the user chooses. */
  value = local_field (f, lead, CP_LEAD_FIELD_JOB_TITLE);
  g_assert_cmpstr (value, ==, "Mine");
  g_clear_pointer (&value, g_free);
  value = fake_hubspot_get (f->fake, remote, "jobtitle");
  g_assert_cmpstr (value, ==, "Theirs");

  conflicts = cp_sync_store_list_conflicts (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = conflicts->pdata[0];
  g_assert_cmpstr (conflict->field, ==, "job_title");
  g_assert_cmpstr (conflict->local_value, ==, "Mine");
  g_assert_cmpstr (conflict->remote_value, ==, "Theirs");
  g_assert_null (conflict->base_value);

  /* A second sync does not repeat it. */
  memset (&stats, 0, sizeof stats);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.conflicts, ==, 0);

  g_assert_true (
      cp_sync_store_resolve_conflict (f->store, conflict->id, CP_SYNC_KEEP_MINE, &error));
  g_assert_no_error (error);
  sync_ok (f, NULL);
  g_clear_pointer (&value, g_free);
  value = fake_hubspot_get (f->fake, remote, "jobtitle");
  g_assert_cmpstr (value, ==, "Mine");
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM sync_conflicts WHERE resolved_at = 0"), ==,
                   0);

  /* Keep theirs writes the CRM's value here, and pushes nothing. */
  edit_local (f, lead, CP_LEAD_FIELD_JOB_TITLE, "Mine again");
  fake_hubspot_edit (f->fake, remote, "jobtitle", "Theirs again");
  sync_ok (f, NULL);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = cp_sync_store_list_conflicts (f->store, &error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  g_assert_true (cp_sync_store_resolve_conflict (f->store,
                                                 ((CpSyncConflict *) conflicts->pdata[0])->id,
                                                 CP_SYNC_KEEP_THEIRS, &error));
  g_assert_no_error (error);
  g_clear_pointer (&value, g_free);
  value = local_field (f, lead, CP_LEAD_FIELD_JOB_TITLE);
  g_assert_cmpstr (value, ==, "Theirs again");
  g_assert_false (cp_sync_store_resolve_conflict (f->store,
                                                  ((CpSyncConflict *) conflicts->pdata[0])->id,
                                                  CP_SYNC_KEEP_MINE, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
}

static void
test_remote_delete_tombstone (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *remote = NULL;
  g_autofree char *lead = pull_one (f, &remote);
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) gone = NULL;
  CpSyncStats stats = { 0 };

  fake_hubspot_archive (f->fake, remote);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.deleted, ==, 1);
  gone = cp_lead_store_get (f->leads, lead, &error);
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  /* A tombstone: the row and its history stay. */
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM leads WHERE deleted_at > 0"), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM audit_log WHERE action = 'tombstone'"
                                  " AND actor = 'sync'"), ==, 1);

  /* A local removal archives the contact. */
  {
    g_autofree char *other_remote = NULL;
    g_autofree char *other = pull_one (f, &other_remote);

    g_assert_true (cp_lead_store_tombstone (f->leads, other, "duplicate", "tester", &error));
    sync_ok (f, NULL);
    g_assert_cmpuint (fake_hubspot_count (f->fake, TRUE), ==, 2);
  }
}

/* The CRM already holds the email (and search has not caught up with it):
 * the create answers 409 and the existing contact is adopted. */
static void
test_duplicate_409 (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *existing = NULL;
  g_autofree char *lead = NULL;
  g_autofree char *linked = NULL;
  g_autofree char *carepath_id = NULL;
  CpSyncStats stats = { 0 };

  fake_hubspot_set_search_lag (f->fake, 1000);
  existing = fake_hubspot_add_contact (f->fake, "Dana", "dana@example.org");
  lead = create_local (f, "Dana", "dana@example.org");
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pushed, ==, 1);
  g_assert_cmpuint (fake_hubspot_count (f->fake, FALSE), ==, 1);
  linked = remote_id_of (f, lead);
  g_assert_cmpstr (linked, ==, existing);
  carepath_id = fake_hubspot_get (f->fake, existing, "carepath_id");
  g_assert_cmpstr (carepath_id, ==, lead);
  g_assert_cmpuint (fake_hubspot_requests (f->fake, "batch/upsert"), >=, 1);
}

static void
test_partial_batch_207 (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *a = create_local (f, "Ada", "ada@example.org");
  g_autofree char *b = create_local (f, "Ben", "ben@example.org");
  g_autofree char *c = create_local (f, "Cy", "cy@example.org");
  CpSyncStats stats = { 0 };

  fake_hubspot_inject (f->fake, "batch/upsert", FAKE_FAULT_FAIL_INPUT, 0, NULL, NULL, 1, 1);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pushed, ==, 2);
  g_assert_cmpuint (stats.errors, ==, 1);
  g_assert_cmpuint (fake_hubspot_count (f->fake, FALSE), ==, 2);
  /* The refused change stays in the outbox with the server's reason. */
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE last_error LIKE '%injected%'"
                                  " AND attempts = 1"), ==, 1);

  memset (&stats, 0, sizeof stats);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pushed, ==, 1);
  g_assert_cmpuint (fake_hubspot_count (f->fake, FALSE), ==, 3);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 0);
}

static void
test_rate_limits (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, NULL);
  g_autoptr(CpSyncEngine) engine = cp_sync_engine_new (f->db_path, backend);
  g_autoptr(GError) error = NULL;
  CpSyncStats stats = { 0 };
  CpCrmClient *client = cp_crm_backend_get_client (backend);

  fake_hubspot_add_generated (f->fake, 50);
  fake_hubspot_inject (f->fake, "/search", FAKE_FAULT_STATUS, 429,
                       "{\"status\":\"error\",\"message\":\"You have reached your "
                       "ten_secondly_rolling limit.\","
                       "\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\","
                       "\"correlationId\":\"c-429\"}",
                       NULL, 0, 4);
  fake_hubspot_inject (f->fake, "/properties/", FAKE_FAULT_STATUS, 477,
                       "{\"status\":\"error\",\"message\":\"Account is being migrated\"}",
                       "Retry-After: 3", 0, 1);
  g_assert_true (cp_sync_engine_run (engine, &stats, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.pulled, ==, 50);
  g_assert_cmpuint (cp_crm_client_get_retries (client), ==, 5);
  /* Retry-After was honoured (scaled down in tests only). */
  g_assert_cmpuint (cp_crm_client_get_longest_server_delay_ms (client), ==, 3000);

  /* The daily limit is not retried: it fails with the server's words. */
  fake_hubspot_inject (f->fake, "/properties/", FAKE_FAULT_STATUS, 429,
                       "{\"status\":\"error\",\"message\":\"You have reached your daily limit.\","
                       "\"errorType\":\"RATE_LIMIT\",\"policyName\":\"DAILY\",\"correlationId\":"
                       "\"c-daily\"}",
                       NULL, 0, 1);
  g_assert_false (cp_sync_engine_run (engine, &stats, NULL, &error));
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (error->message, "daily limit"));
  g_assert_nonnull (strstr (error->message, "c-daily"));
  g_assert_cmpuint (cp_crm_client_get_retries (client), ==, 5);
}

/* A 429 storm longer than the attempts: the run fails, nothing is lost. */
static void
test_rate_limit_storm (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *lead = create_local (f, "Ada", "ada@example.org");
  g_autoptr(CpSyncStatus) status = NULL;
  CpSyncStats stats = { 0 };

  fake_hubspot_inject (f->fake, "batch/upsert", FAKE_FAULT_STATUS, 429,
                       "{\"status\":\"error\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}", NULL, 0,
                       50);
  g_assert_false (sync_once (f, &stats, &error));
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_RATE_LIMITED);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 1);
  status = cp_sync_store_get_status (f->store, NULL);
  g_assert_cmpuint (status->pending, ==, 1);
  g_assert_nonnull (status->last_error);
}

static void
test_transient_statuses (Fixture       *f,
                         gconstpointer  data)
{
  static const guint statuses[] = { 423, 502, 503, 504 };
  g_autoptr(CpCrmBackend) backend = make_backend (f, NULL);
  g_autoptr(CpSyncEngine) engine = cp_sync_engine_new (f->db_path, backend);
  g_autoptr(GError) error = NULL;
  CpSyncStats stats = { 0 };

  fake_hubspot_add_generated (f->fake, 10);
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    /* Error bodies with fields missing, or none at all. */
    fake_hubspot_inject (f->fake, "/search", FAKE_FAULT_STATUS, statuses[i],
                         i % 2 ? "{}" : NULL, NULL, 0, 1);
  g_assert_true (cp_sync_engine_run (engine, &stats, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.pulled, ==, 10);
  g_assert_cmpuint (cp_crm_client_get_retries (cp_crm_backend_get_client (backend)), ==, 4);
  /* 423 means wait at least 2 s. */
  g_assert_cmpuint (cp_crm_client_get_longest_server_delay_ms (cp_crm_backend_get_client (backend)),
                    ==, 2000);

  fake_hubspot_inject (f->fake, "/properties/", FAKE_FAULT_STATUS, 403,
                       "{\"status\":\"error\",\"message\":\"This app hasn't been granted all "
                       "required scopes\","
                       "\"category\":\"MISSING_SCOPES\"}",
                       NULL, 0, 1);
  g_assert_false (cp_sync_engine_run (engine, &stats, NULL, &error));
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "scopes"));
}

static void
test_dropped_after_commit (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *lead = create_local (f, "Ada", "ada@example.org");
  g_autofree char *remote = NULL;
  CpSyncStats stats = { 0 };

  fake_hubspot_inject (f->fake, "batch/upsert", FAKE_FAULT_DROP_AFTER_COMMIT, 0, NULL, NULL, 0, 1);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pushed, ==, 1);
  g_assert_cmpuint (fake_hubspot_requests (f->fake, "batch/upsert"), ==, 2);
  /* The replay found the contact the first attempt created. */
  g_assert_cmpuint (fake_hubspot_count (f->fake, FALSE), ==, 1);
  remote = fake_hubspot_find (f->fake, "carepath_id", lead);
  g_assert_nonnull (remote);

  /* Every attempt dropped: the run fails, the next run adopts, never duplicates. */
  {
    g_autofree char *lead2 = create_local (f, "Ben", "ben@example.org");
    g_autoptr(GError) error = NULL;

    fake_hubspot_inject (f->fake, "batch/upsert", FAKE_FAULT_DROP_AFTER_COMMIT, 0, NULL, NULL, 0,
                         6);
    g_assert_false (sync_once (f, &stats, &error));
    g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_TRANSIENT);
    g_assert_cmpuint (fake_hubspot_count (f->fake, FALSE), ==, 2);
    g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 1);
    memset (&stats, 0, sizeof stats);
    sync_ok (f, &stats);
    g_assert_cmpuint (fake_hubspot_count (f->fake, FALSE), ==, 2);
    g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 0);
    g_assert_cmpint (count_rows (f, "SELECT count(*) FROM leads"), ==, 2);
  }
}

static void
test_truncated_json (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CpSyncStats stats = { 0 };

  fake_hubspot_add_generated (f->fake, 30);
  fake_hubspot_inject (f->fake, "/search", FAKE_FAULT_TRUNCATED, 0, NULL, NULL, 0, 1);
  fake_hubspot_inject (f->fake, "/search", FAKE_FAULT_NOT_JSON, 0, NULL, NULL, 0, 1);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pulled, ==, 30);

  /* Garbage every time: a clear error, and the cursor does not move. */
  fake_hubspot_add_generated (f->fake, 5);
  fake_hubspot_inject (f->fake, "/search", FAKE_FAULT_TRUNCATED, 0, NULL, NULL, 0, 6);
  g_assert_false (sync_once (f, &stats, &error));
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "not valid JSON"));
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM leads"), ==, 30);
  sync_ok (f, NULL);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM leads"), ==, 35);
}

static void
test_slow_response (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, NULL);
  g_autoptr(CpSyncEngine) engine = cp_sync_engine_new (f->db_path, backend);
  g_autoptr(GError) error = NULL;
  CpSyncStats stats = { 0 };

  cp_crm_client_set_timeout (cp_crm_backend_get_client (backend), 1);
  fake_hubspot_add_generated (f->fake, 3);
  fake_hubspot_inject (f->fake, "/search", FAKE_FAULT_SLOW, 0, NULL, NULL, 2500, 1);
  g_assert_true (cp_sync_engine_run (engine, &stats, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.pulled, ==, 3);
  g_assert_cmpuint (cp_crm_client_get_retries (cp_crm_backend_get_client (backend)), >=, 1);
}

static void
test_bad_token (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, "wrong-token");
  g_autoptr(CpSyncEngine) engine = cp_sync_engine_new (f->db_path, backend);
  g_autoptr(GError) error = NULL;
  g_autoptr(CpSyncStatus) status = NULL;
  CpSyncStats stats = { 0 };

  g_assert_false (cp_sync_engine_run (engine, &stats, NULL, &error));
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "refused the access token"));
  g_assert_nonnull (strstr (error->message, "Authentication credentials not found"));
  /* Not retried: a wrong token does not get better. */
  g_assert_cmpuint (cp_crm_client_get_retries (cp_crm_backend_get_client (backend)), ==, 0);

  status = cp_sync_store_get_status (f->store, NULL);
  g_assert_nonnull (strstr (status->last_error, "401"));
  g_assert_nonnull (status->last_correlation_id);
  g_assert_cmpint (status->last_success_at, ==, 0);
}

static void
cancel_at_page_cb (CpSyncEngine *engine,
                   guint         page,
                   gpointer      user_data)
{
  if (page == 2)
    g_cancellable_cancel (user_data);
}

/* Killed between fetching page 2 and committing it: a fresh engine on the
 * same database loses nothing and duplicates nothing. */
static void
test_killed_mid_pull (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CpSyncStats stats = { 0 };

  fake_hubspot_add_generated (f->fake, 1000);
  {
    g_autoptr(CpCrmBackend) backend = make_backend (f, NULL);
    g_autoptr(CpSyncEngine) engine = cp_sync_engine_new (f->db_path, backend);

    g_signal_connect (engine, "page-fetched", G_CALLBACK (cancel_at_page_cb), cancellable);
    g_assert_false (cp_sync_engine_run (engine, &stats, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpuint (stats.pulled, ==, 400);
    g_assert_cmpint (count_rows (f, "SELECT count(*) FROM leads"), ==, 400);
  }

  memset (&stats, 0, sizeof stats);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pulled, ==, 600);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM leads"), ==, 1000);
  g_assert_cmpint (count_rows (f, "SELECT count(DISTINCT remote_id) FROM sync_links"), ==, 1000);
  g_assert_cmpint (count_rows (f, "SELECT count(DISTINCT email) FROM leads"), ==, 1000);
}

/* Records written remotely may be missing from search for a while: the
 * overlap window catches them at a later sync. */
static void
test_search_lag (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *late = NULL;
  g_autofree char *later = NULL;

  fake_hubspot_add_generated (f->fake, 5);
  sync_ok (f, NULL);
  fake_hubspot_set_search_lag (f->fake, 2);
  late = fake_hubspot_add_contact (f->fake, "Late", "late@example.org");
  fake_hubspot_set_search_lag (f->fake, 0);
  later = fake_hubspot_add_contact (f->fake, "Later", "later@example.org");
  sync_ok (f, NULL);
  first = cp_sync_store_find_lead (f->store, late, NULL);
  g_assert_null (first);
  sync_ok (f, NULL);
  sync_ok (f, NULL);
  first = cp_sync_store_find_lead (f->store, late, NULL);
  g_assert_nonnull (first);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM leads"), ==, 7);
}

static void
test_search_throttle (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, NULL);
  g_autoptr(CpSyncEngine) engine = cp_sync_engine_new (f->db_path, backend);
  g_autoptr(GError) error = NULL;
  CpSyncStats stats = { 0 };

  /* The real limits: 5 searches a second on both sides. */
  cp_crm_client_set_search_rate (cp_crm_backend_get_client (backend), 5);
  fake_hubspot_set_search_rate (f->fake, 5);
  fake_hubspot_add_generated (f->fake, 1600);
  g_assert_true (cp_sync_engine_run (engine, &stats, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.pulled, ==, 1600);
  g_assert_cmpuint (fake_hubspot_requests (f->fake, "/contacts/search"), ==, 8);
  g_assert_cmpuint (fake_hubspot_search_refusals (f->fake), ==, 0);
}

static void
test_lifecycle_backward (Fixture       *f,
                         gconstpointer  data)
{
  for (FakeStageRule rule = FAKE_STAGE_BACKWARD_REFUSED; rule <= FAKE_STAGE_BACKWARD_IGNORED;
       rule++)
    {
      g_autofree char *email = g_strdup_printf ("stage%d@example.org", rule);
      g_autofree char *lead = create_local (f, "Sam", email);
      g_autofree char *remote = NULL;
      g_autofree char *stage = NULL;
      g_autoptr(GError) error = NULL;
      CpSyncStats stats = { 0 };

      fake_hubspot_set_stage_rule (f->fake, rule);
      g_assert_true (cp_lead_store_move (f->leads, lead, NULL, "active_evaluation", NULL,
                                         "demo booked", "tester", NULL, &error));
      sync_ok (f, NULL);
      remote = remote_id_of (f, lead);
      stage = fake_hubspot_get (f->fake, remote, "lifecyclestage");
      g_assert_cmpstr (stage, ==, "opportunity");

      g_assert_true (cp_lead_store_move (f->leads, lead, NULL, "engaged", NULL, "went quiet",
                                               "tester", NULL, &error));
      sync_ok (f, &stats);
      g_assert_cmpuint (stats.errors, ==, 0);
      g_clear_pointer (&stage, g_free);
      stage = fake_hubspot_get (f->fake, remote, "lifecyclestage");
      g_assert_cmpstr (stage, ==, "marketingqualifiedlead");
    }
}

/* Stage values come from the live options: a custom "Onboarding" stage
 * (numeric id) is used instead of the default. */
static void
test_stage_options (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *lead = create_local (f, "Olu", "olu@example.org");
  g_autofree char *remote = NULL;
  g_autofree char *stage = NULL;
  g_autoptr(GError) error = NULL;

  fake_hubspot_add_stage_option (f->fake, "1029384", "Onboarding");
  g_assert_true (cp_lead_store_move (f->leads, lead, NULL, "onboarding", NULL, "signed", "tester",
                                     NULL, &error));
  sync_ok (f, NULL);
  remote = remote_id_of (f, lead);
  stage = fake_hubspot_get (f->fake, remote, "lifecyclestage");
  g_assert_cmpstr (stage, ==, "1029384");

  /* And back: the CRM's custom value maps to the Carepath stage. */
  fake_hubspot_edit (f->fake, remote, "lifecyclestage", "opportunity");
  sync_ok (f, NULL);
  g_clear_pointer (&stage, g_free);
  stage = local_field (f, lead, CP_LEAD_FIELD_STAGE);
  g_assert_cmpstr (stage, ==, "active_evaluation");
}

/* The open kept records of this backend, oldest first. */
static GPtrArray *
list_kept (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *kept = cp_sync_store_list_rejects (f->store, FALSE, &error);

  g_assert_no_error (error);
  return kept;
}

/* One record the store refuses (an invalid email on the CRM) does not
 * stop its page: the others commit, and the refused one is kept with its
 * payload and reason, retried at every sync, and applied once the CRM
 * fixes it. The log names the kind of refusal, never the value. */
static void
test_invalid_record (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *bad = NULL;
  g_autofree char *lead = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  CpSyncReject *reject;
  CpSyncStats stats = { 0 };

  fake_hubspot_add_generated (f->fake, 3);
  bad = fake_hubspot_add_contact (f->fake, "Broken", "not an email");
  fake_hubspot_add_generated (f->fake, 3);
  g_test_expect_message ("cp-sync-engine", G_LOG_LEVEL_MESSAGE,
                         "CRM record * kept, not applied: a value is not valid");
  sync_ok (f, &stats);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (stats.pulled, ==, 6);
  g_assert_cmpuint (stats.quarantined, ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM leads"), ==, 6);

  kept = list_kept (f);
  g_assert_cmpuint (kept->len, ==, 1);
  reject = kept->pdata[0];
  g_assert_cmpstr (reject->remote_id, ==, bad);
  g_assert_cmpstr (reject->backend, ==, "hubspot");
  g_assert_cmpuint (reject->attempts, ==, 1);
  g_assert_nonnull (strstr (reject->payload, "\"not an email\""));
  g_assert_nonnull (strstr (reject->payload, "\"Broken\""));
  g_assert_cmpuint (strlen (reject->reason), >, 0);

  /* Retried at the next sync, refused again: one more attempt. */
  g_clear_pointer (&kept, g_ptr_array_unref);
  memset (&stats, 0, sizeof stats);
  g_test_expect_message ("cp-sync-engine", G_LOG_LEVEL_MESSAGE, "*kept, not applied*");
  sync_ok (f, &stats);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (stats.recovered, ==, 0);
  kept = list_kept (f);
  g_assert_cmpuint (kept->len, ==, 1);
  g_assert_cmpuint (((CpSyncReject *) kept->pdata[0])->attempts, ==, 2);

  /* Fixed in the CRM: the new version applies and the kept one is done. */
  fake_hubspot_edit (f->fake, bad, "email", "broken@example.org");
  memset (&stats, 0, sizeof stats);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pulled, ==, 1);
  g_assert_cmpuint (stats.quarantined, ==, 0);
  g_clear_pointer (&kept, g_ptr_array_unref);
  kept = list_kept (f);
  g_assert_cmpuint (kept->len, ==, 0);
  lead = cp_sync_store_find_lead (f->store, bad, NULL);
  g_assert_nonnull (lead);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM leads"), ==, 7);
}

/* A stage value the stage map does not know keeps the record, with the
 * value named; once the CRM's stage is mapped (here: a new HubSpot stage
 * option labelled like a Carepath stage), the kept record is applied as
 * it was, without the CRM changing it again. */
static void
test_kept_until_mapped (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *remote = fake_hubspot_add_contact (f->fake, "Una", "una@example.org");
  g_autofree char *lead = NULL;
  g_autofree char *stage = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GError) error = NULL;
  CpSyncStats stats = { 0 };

  fake_hubspot_edit (f->fake, remote, "lifecyclestage", "5550123");
  g_test_expect_message ("cp-sync-engine", G_LOG_LEVEL_MESSAGE, "*kept, not applied*");
  sync_ok (f, &stats);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (stats.quarantined, ==, 1);
  kept = list_kept (f);
  g_assert_cmpuint (kept->len, ==, 1);
  g_assert_nonnull (strstr (((CpSyncReject *) kept->pdata[0])->reason, "5550123"));
  g_assert_null (cp_sync_store_find_lead (f->store, remote, NULL));

  /* Dismissed records stay out of the list and are not retried... */
  g_assert_true (cp_sync_store_dismiss_reject (f->store, ((CpSyncReject *) kept->pdata[0])->id,
                                               1, &error));
  g_assert_no_error (error);
  g_assert_false (cp_sync_store_dismiss_reject (f->store, 424242, 1, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&kept, g_ptr_array_unref);
  kept = list_kept (f);
  g_assert_cmpuint (kept->len, ==, 0);

  /* ...until the CRM sends a newer version, which is kept again. */
  fake_hubspot_edit (f->fake, remote, "jobtitle", "Nurse");
  g_test_expect_message ("cp-sync-engine", G_LOG_LEVEL_MESSAGE, "*kept, not applied*");
  sync_ok (f, NULL);
  g_test_assert_expected_messages ();
  g_clear_pointer (&kept, g_ptr_array_unref);
  kept = list_kept (f);
  g_assert_cmpuint (kept->len, ==, 1);

  /* Past the pull's overlap: only the retry of kept records can apply it. */
  fake_hubspot_add_stage_option (f->fake, "5550123", "Onboarding");
  {
    g_autofree char *later = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              g_get_real_time () / 1000 + 24 * 3600 * 1000);
    g_assert_true (cp_sync_store_set_cursor (f->store, "contacts", later, &error));
    g_assert_no_error (error);
  }
  memset (&stats, 0, sizeof stats);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pulled, ==, 1);
  g_assert_cmpuint (stats.recovered, ==, 1);
  g_assert_cmpuint (stats.quarantined, ==, 0);
  g_clear_pointer (&kept, g_ptr_array_unref);
  kept = list_kept (f);
  g_assert_cmpuint (kept->len, ==, 0);
  lead = cp_sync_store_find_lead (f->store, remote, NULL);
  g_assert_nonnull (lead);
  stage = local_field (f, lead, CP_LEAD_FIELD_STAGE);
  g_assert_cmpstr (stage, ==, "onboarding");
  g_clear_pointer (&stage, g_free);
  stage = local_field (f, lead, CP_LEAD_FIELD_JOB_TITLE);
  g_assert_cmpstr (stage, ==, "Nurse");
}

/* Two synced leads merged here while the CRM edits the merged-away
 * contact: the edit lands on the surviving lead (a value the survivor
 * holds differently becomes a conflict there), reaches the survivor's
 * own CRM record, and the merged contact is archived. */
static void
test_merge_against_remote_edit (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *a = create_local (f, "Ada", "ada@example.org");
  g_autofree char *b = create_local (f, "Ada", "ada.l@example.org");
  g_autofree char *remote_a = NULL;
  g_autofree char *remote_b = NULL;
  g_autofree char *merge_id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *company = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  CpSyncStats stats = { 0 };

  sync_ok (f, NULL);
  remote_a = remote_id_of (f, a);
  remote_b = remote_id_of (f, b);
  edit_local (f, a, CP_LEAD_FIELD_ORGANIZATION, "North Clinic");
  merge_id = cp_lead_store_merge (f->leads, a, b, NULL, 0, "tester", &error);
  g_assert_no_error (error);

  fake_hubspot_edit (f->fake, remote_b, "jobtitle", "Head nurse");
  fake_hubspot_edit (f->fake, remote_b, "company", "South Clinic");
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.errors, ==, 0);
  g_assert_cmpuint (stats.conflicts, ==, 1);

  /* Taken where the survivor had nothing, in conflict where it differs. */
  title = local_field (f, a, CP_LEAD_FIELD_JOB_TITLE);
  g_assert_cmpstr (title, ==, "Head nurse");
  company = local_field (f, a, CP_LEAD_FIELD_ORGANIZATION);
  g_assert_cmpstr (company, ==, "North Clinic");
  conflicts = cp_sync_store_list_conflicts (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  g_assert_cmpstr (((CpSyncConflict *) conflicts->pdata[0])->lead_id, ==, a);
  g_assert_cmpstr (((CpSyncConflict *) conflicts->pdata[0])->field, ==, "organization");
  g_assert_cmpstr (((CpSyncConflict *) conflicts->pdata[0])->remote_value, ==, "South Clinic");
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM audit_log WHERE actor = 'sync'"
                                  " AND reason LIKE '%merged into this one%'"), >=, 1);

  /* The survivor's CRM record heard it; the merged contact is archived. */
  g_clear_pointer (&title, g_free);
  title = fake_hubspot_get (f->fake, remote_a, "jobtitle");
  g_assert_cmpstr (title, ==, "Head nurse");
  g_assert_cmpuint (fake_hubspot_count (f->fake, TRUE), ==, 1);
  g_assert_cmpuint (fake_hubspot_count (f->fake, FALSE), ==, 1);

  /* Theirs: the survivor takes the merged contact's value, and so does
   * its own CRM record. */
  g_assert_true (cp_sync_store_resolve_conflict (f->store,
                                                 ((CpSyncConflict *) conflicts->pdata[0])->id,
                                                 CP_SYNC_KEEP_THEIRS, &error));
  g_assert_no_error (error);
  sync_ok (f, NULL);
  g_clear_pointer (&company, g_free);
  company = fake_hubspot_get (f->fake, remote_a, "company");
  g_assert_cmpstr (company, ==, "South Clinic");
}

/* Unmerge after the merged contact was archived: the restored lead is
 * sent whole and created again through upsert, with no 404, and nothing
 * else of its batch fails. */
static void
test_unmerge_recreates (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *a = create_local (f, "Ada", "ada@example.org");
  g_autofree char *b = create_local (f, "Ada", "ada.l@example.org");
  g_autofree char *c = create_local (f, "Cy", "cy@example.org");
  g_autofree char *remote_b = NULL;
  g_autofree char *again = NULL;
  g_autofree char *email = NULL;
  g_autofree char *merge_id = NULL;
  g_autoptr(GError) error = NULL;
  CpSyncStats stats = { 0 };

  sync_ok (f, NULL);
  remote_b = remote_id_of (f, b);
  merge_id = cp_lead_store_merge (f->leads, a, b, NULL, 0, "tester", &error);
  g_assert_no_error (error);
  sync_ok (f, NULL);
  g_assert_cmpuint (fake_hubspot_count (f->fake, TRUE), ==, 1);

  g_assert_true (cp_lead_store_undo_merge (f->leads, merge_id, "tester", &error));
  g_assert_no_error (error);
  edit_local (f, c, CP_LEAD_FIELD_JOB_TITLE, "Nurse");
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.errors, ==, 0);
  g_assert_cmpuint (stats.pushed, >=, 2);
  again = remote_id_of (f, b);
  g_assert_nonnull (again);
  g_assert_cmpstr (again, !=, remote_b);
  email = fake_hubspot_get (f->fake, again, "email");
  g_assert_cmpstr (email, ==, "ada.l@example.org");
  g_assert_cmpuint (fake_hubspot_count (f->fake, FALSE), ==, 3);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 0);

  memset (&stats, 0, sizeof stats);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.errors, ==, 0);
  g_assert_cmpuint (stats.pushed, ==, 0);
}

/* A pull that cannot go on (the search keeps failing) never keeps local
 * changes from going out; the run names what failed. */
static void
test_push_despite_pull_failure (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *a = create_local (f, "Ada", "ada@example.org");
  g_autofree char *remote = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CpSyncStatus) status = NULL;
  CpSyncStats stats = { 0 };

  fake_hubspot_inject (f->fake, "/search", FAKE_FAULT_STATUS, 400,
                       "{\"status\":\"error\",\"message\":\"bad filter\"}", NULL, 0, 100);
  g_assert_false (sync_once (f, &stats, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "Receiving changes failed"));
  g_assert_true (stats.pull_failed);
  g_assert_false (stats.push_failed);
  g_assert_cmpuint (stats.pushed, ==, 1);
  remote = remote_id_of (f, a);
  g_assert_nonnull (remote);
  g_assert_cmpuint (fake_hubspot_count (f->fake, FALSE), ==, 1);
  status = cp_sync_store_get_status (f->store, NULL);
  g_assert_nonnull (status->last_error);
  g_assert_cmpuint (status->pending, ==, 0);
}

/* Many-to-one stage maps keep distinctions on the way back: HubSpot has
 * one "customer" for won and onboarding, and a won lead pulled back (the
 * CRM edited another field) stays won. */
static void
test_won_round_trip (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *lead = create_local (f, "Wyn", "wyn@example.org");
  g_autofree char *remote = NULL;
  g_autofree char *stage = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_lead_store_move (f->leads, lead, NULL, "closed_won", NULL, "agreement_signed",
                                     "tester", NULL, &error));
  g_assert_no_error (error);
  sync_ok (f, NULL);
  remote = remote_id_of (f, lead);
  stage = fake_hubspot_get (f->fake, remote, "lifecyclestage");
  g_assert_cmpstr (stage, ==, "customer");

  fake_hubspot_edit (f->fake, remote, "jobtitle", "Practice manager");
  sync_ok (f, NULL);
  g_clear_pointer (&stage, g_free);
  stage = local_field (f, lead, CP_LEAD_FIELD_STAGE);
  g_assert_cmpstr (stage, ==, "closed_won");

  /* Set to the same value again in the CRM: still won here. */
  fake_hubspot_edit (f->fake, remote, "lifecyclestage", "customer");
  sync_ok (f, NULL);
  g_clear_pointer (&stage, g_free);
  stage = local_field (f, lead, CP_LEAD_FIELD_STAGE);
  g_assert_cmpstr (stage, ==, "closed_won");
}

/* Queues a CRM deletion as an erasure does (cp-person-erase.c): one
 * outbox entry, op 'erase', per linked contact. */
static void
queue_erasure (Fixture    *f,
               const char *lead_id,
               const char *remote_id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (f->db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO outbox (entity, entity_id, op, fields,"
                                       " created_at) VALUES ('lead', ?1, 'erase',"
                                       " json_object ('backend', 'hubspot', 'remote_id', ?2), 1)",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, lead_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, remote_id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* A person erased here: their CRM contact is deleted for good (HubSpot's
 * GDPR delete, not an archive), before anything else is pushed; the link
 * goes; a contact HubSpot no longer has counts as done; a refused delete
 * stays queued and never becomes an ordinary push. */
static void
test_erasure_deletes_contact (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *a = create_local (f, "Ada", "ada@example.org");
  g_autofree char *b = create_local (f, "Bo", "bo@example.org");
  g_autofree char *remote_a = NULL;
  g_autofree char *remote_b = NULL;
  CpSyncStats stats = { 0 };

  g_autoptr(GError) error = NULL;

  sync_ok (f, NULL);
  remote_a = remote_id_of (f, a);
  remote_b = remote_id_of (f, b);
  /* As an erasure leaves it: a tombstone here, its contact queued. */
  g_assert_true (cp_lead_store_tombstone (f->leads, a, "erased", "tester", &error));
  g_assert_no_error (error);
  queue_erasure (f, a, remote_a);
  queue_erasure (f, a, "999999");   /* gone from HubSpot already */
  edit_local (f, b, CP_LEAD_FIELD_JOB_TITLE, "Nurse");

  sync_ok (f, &stats);
  g_assert_cmpuint (stats.erased, ==, 2);
  g_assert_cmpuint (stats.errors, ==, 0);
  g_assert_cmpuint (fake_hubspot_gdpr_deletes (f->fake), ==, 1);
  g_assert_null (fake_hubspot_get (f->fake, remote_a, "email"));
  g_assert_cmpuint (fake_hubspot_count (f->fake, TRUE), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM sync_links WHERE remote_id IS NOT NULL"),
                   ==, 1);
  /* The other lead's edit went out as usual. */
  {
    g_autofree char *title = fake_hubspot_get (f->fake, remote_b, "jobtitle");
    g_assert_cmpstr (title, ==, "Nurse");
  }

  /* Refused (400): kept, one more attempt, no ordinary push of it. */
  g_assert_true (cp_lead_store_tombstone (f->leads, b, "erased", "tester", &error));
  g_assert_no_error (error);
  queue_erasure (f, b, remote_b);
  fake_hubspot_inject (f->fake, "gdpr-delete", FAKE_FAULT_STATUS, 400,
                       "{\"status\":\"error\",\"message\":\"no\"}", NULL, 0, 1);
  g_test_expect_message ("cp-sync-engine", G_LOG_LEVEL_MESSAGE, "*not deleted*");
  memset (&stats, 0, sizeof stats);
  sync_ok (f, &stats);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (stats.erased, ==, 0);
  g_assert_cmpuint (stats.errors, ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT attempts FROM outbox WHERE op = 'erase'"), ==, 1);
  g_assert_cmpuint (fake_hubspot_count (f->fake, TRUE), ==, 0);
  memset (&stats, 0, sizeof stats);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.erased, ==, 1);
  g_assert_cmpuint (fake_hubspot_gdpr_deletes (f->fake), ==, 2);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 0);
}

/* End to end: erasing a synced person queues the CRM deletion, and the
 * next sync sends it; a pulled copy of the contact never brings the
 * person back. */
static void
test_erase_person_end_to_end (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *a = create_local (f, "Ada", "ada@example.org");
  g_autofree char *remote = NULL;
  g_autoptr(GError) error = NULL;
  CpErasureResult result = { 0 };
  CpSyncStats stats = { 0 };

  sync_ok (f, NULL);
  remote = remote_id_of (f, a);
  g_assert_true (cp_person_erase (f->leads, a, "tester", "request 42", &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_crm_deletes, ==, 1);

  sync_ok (f, &stats);
  g_assert_cmpuint (stats.erased, ==, 1);
  g_assert_cmpuint (fake_hubspot_gdpr_deletes (f->fake), ==, 1);
  g_assert_null (fake_hubspot_get (f->fake, remote, "email"));
  g_assert_cmpuint (fake_hubspot_count (f->fake, TRUE), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM leads WHERE email IS NOT NULL"), ==, 0);
}

/* An answer nested 100,000 deep is refused before a parser recurses into
 * it: the sync fails with the limit named, and nothing crashes. */
static void
test_deep_answer_refused (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  CpSyncStats stats = { 0 };

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (body, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (body, ']');
  fake_hubspot_add_generated (f->fake, 3);
  fake_hubspot_inject (f->fake, "/search", FAKE_FAULT_STATUS, 200, body->str, NULL, 0, 100);
  g_assert_false (sync_once (f, &stats, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "64"));
  g_assert_true (stats.pull_failed);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM leads"), ==, 0);
}

/* A link's base (the record as last merged) is stored as a JSON object of
 * its non-empty values and read back as it was: quotes, backslashes,
 * control characters and non-ASCII text included; text that is not UTF-8
 * is repaired, never stored as invalid JSON. */
static void
test_link_base_round_trip (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *lead_id = create_local (f, "Base", "base@example.org");
  g_autoptr(GHashTable) base = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(CpSyncLink) link = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const values[][2] = {
    { "firstname", "Zo\u00eb \"Z\" \\ O'Neil" },
    { "notes", "line 1\nline 2\ttab\r\x01\x1f end" },
    { "city", "\xe6\x9d\xb1\xe4\xba\xac" },
    { "\"odd\\key\"", "value" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_hash_table_insert (base, (gpointer) values[i][0], (gpointer) values[i][1]);
  g_hash_table_insert (base, "empty", "");
  g_hash_table_insert (base, "broken", "caf\xe9");
  g_assert_true (cp_sync_store_set_link (f->store, lead_id, "77", "2026-01-01T00:00:00Z", base,
                                         &error));
  g_assert_no_error (error);

  g_assert_cmpint (count_rows (f, "SELECT json_valid (base) FROM sync_links"), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM sync_links, json_each (base)"), ==, 5);
  link = cp_sync_store_get_link (f->store, lead_id, NULL);
  g_assert_nonnull (link);
  g_assert_cmpuint (g_hash_table_size (link->base), ==, 5);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpstr (g_hash_table_lookup (link->base, values[i][0]), ==, values[i][1]);
  g_assert_false (g_hash_table_contains (link->base, "empty"));
  g_assert_true (g_utf8_validate (g_hash_table_lookup (link->base, "broken"), -1, NULL));
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (link->base, "broken"), "caf"));
}

/* Every kind of local edit is journalled, in its own transaction: create,
 * update, move, tombstone, merge (the other lead goes) and its undo. */
static void
test_outbox_journal (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *a = create_local (f, "Ada", "ada@example.org");
  g_autofree char *b = create_local (f, "Ada", "ada.l@example.org");
  g_autofree char *c = create_local (f, "Cy", "cy@example.org");
  g_autofree char *merge_id = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE op = 'create'"), ==, 3);
  edit_local (f, a, CP_LEAD_FIELD_JOB_TITLE, "Nurse");
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE op = 'update'"
                                  " AND fields = 'job_title'"), ==, 1);
  g_assert_true (
      cp_lead_store_move (f->leads, a, NULL, "engaged", NULL, "replied", "tester", NULL, &error));
  /* The move, and the new response clock it starts. */
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE op = 'update'"
                                  " AND fields = 'stage,sla_due_at'"), ==, 1);
  g_assert_true (cp_lead_store_tombstone (f->leads, c, "test lead", "tester", &error));
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE op = 'delete'"), ==, 1);
  merge_id = cp_lead_store_merge (f->leads, a, b, NULL, 0, "tester", &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE op = 'delete'"), ==, 2);
  g_assert_true (cp_lead_store_undo_merge (f->leads, merge_id, "tester", &error));
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE op = 'create'"), ==, 4);

  /* A refused edit journals nothing. */
  {
    g_autoptr(CpLead) lead = cp_lead_store_get (f->leads, a, NULL);
    gint64 before = count_rows (f, "SELECT count(*) FROM outbox");

    cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "not an email");
    g_assert_false (cp_lead_store_update (f->leads, lead, "tester", NULL, &error));
    g_clear_error (&error);
    g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, before);
  }

  /* The sync then sends one change per lead: the removed one is never created. */
  {
    CpSyncStats stats = { 0 };

    sync_ok (f, &stats);
    g_assert_cmpuint (fake_hubspot_count (f->fake, FALSE), ==, 2);
    g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 0);
  }
}

static JsonNode *
json_from (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_node_ref (json_parser_get_root (parser));
}

/* 400s are not retried and carry the server's reason: an unknown or
 * read-only property, a search body over 3,000 characters. */
static void
test_validation_400 (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, NULL);
  CpCrmClient *client = cp_crm_backend_get_client (backend);
  g_autoptr(JsonNode) bad_property = NULL;
  g_autoptr(JsonNode) long_body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GString) text = g_string_new ("{\"properties\":[");
  g_autoptr(GError) error = NULL;
  g_autofree char *id = fake_hubspot_add_contact (f->fake, "Ivy", "ivy@example.org");
  g_autofree char *body = g_strdup_printf ("{\"inputs\":[{\"id\":\"%s\",\"properties\":"
                                           "{\"lastmodifieddate\":\"1\"}}]}", id);

  bad_property = json_from (body);
  answer = cp_crm_client_request (client, "POST", "/crm/v3/objects/contacts/batch/update",
                                  bad_property, 0, NULL, NULL, &error);
  g_assert_null (answer);
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_clear_error (&error);

  for (guint i = 0; i < 400; i++)
    g_string_append_printf (text, "%s\"property%u\"", i ? "," : "", i);
  g_string_append (text, "]}");
  long_body = json_from (text->str);
  answer = cp_crm_client_request (client, "POST", "/crm/v3/objects/contacts/search", long_body,
                                  CP_CRM_REQUEST_SEARCH, NULL, NULL, &error);
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "3000"));
  g_assert_cmpuint (cp_crm_client_get_retries (client), ==, 0);
}

static void
connection_checked_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GError **error = user_data;

  if (cp_sync_check_connection_finish (result, error))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "connected");
}

/* Preferences → Test Connection: the schema and one page, nothing stored. */
static void
test_check_connection (Fixture       *f,
                       gconstpointer  data)
{
  GError *error = NULL;

  fake_hubspot_add_generated (f->fake, 3);
  cp_sync_check_connection_async ("hubspot", fake_hubspot_get_url (f->fake),
                                  fake_hubspot_get_token (f->fake), NULL, connection_checked_cb,
                                  &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM leads"), ==, 0);

  cp_sync_check_connection_async ("hubspot", fake_hubspot_get_url (f->fake), "wrong", NULL,
                                  connection_checked_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_AUTH);
  g_clear_error (&error);

  /* Without the id property: said in words, and created when asked. */
  fake_hubspot_set_id_property (f->fake, FAKE_ID_PROPERTY_MISSING, TRUE);
  cp_sync_check_connection_async ("hubspot", fake_hubspot_get_url (f->fake),
                                  fake_hubspot_get_token (f->fake), NULL, connection_checked_cb,
                                  &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "carepath_id"));
  g_assert_true (cp_sync_can_prepare_crm ("hubspot", error));
  g_assert_false (cp_sync_can_prepare_crm ("espocrm", error));
  g_clear_error (&error);
  g_assert_cmpuint (fake_hubspot_requests (f->fake, "POST /crm/v3/properties/contacts"), ==, 0);

  cp_sync_prepare_crm_async ("hubspot", fake_hubspot_get_url (f->fake),
                             fake_hubspot_get_token (f->fake), NULL, connection_checked_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpuint (fake_hubspot_requests (f->fake, "POST /crm/v3/properties/contacts"), ==, 1);
  g_assert_cmpint (fake_hubspot_get_id_property (f->fake), ==, FAKE_ID_PROPERTY_UNIQUE);
}

/* Test Connection to a port nobody listens on answers within ten
 * seconds, in words, instead of retrying for a minute. */
static void
test_check_connection_refused (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autofree char *url = NULL;
  GError *error = NULL;
  guint16 port;
  gint64 start;

  /* A free port: taken, then given back. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);

  start = g_get_monotonic_time ();
  cp_sync_check_connection_async ("hubspot", url, "token", NULL, connection_checked_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_TRANSIENT);
  g_assert_true (g_str_has_prefix (error->message, "Could not reach HubSpot"));
  g_clear_error (&error);
}

/* Keyring failures read as words, never as D-Bus names. */
static void
test_keyring_errors_in_words (void)
{
  struct { GQuark domain; int code; const char *words; } cases[] = {
    { SECRET_ERROR, SECRET_ERROR_IS_LOCKED, "The keyring is locked" },
    { G_IO_ERROR, G_IO_ERROR_CANCELLED, "prompt was dismissed" },
    { G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN, "No keyring is running" },
    { G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED, "refused" },
    { G_FILE_ERROR, G_FILE_ERROR_FAILED, "could not be used" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) raw =
          g_error_new_literal (cases[i].domain, cases[i].code,
                               "GDBus.Error:org.freedesktop.Secret.Error.IsLocked: x");
      g_autoptr(GError) words = cp_sync_secret_error_in_words (raw);

      g_assert_error (words, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED);
      g_assert_nonnull (strstr (words->message, cases[i].words));
      g_assert_null (strstr (words->message, "org.freedesktop"));
    }

  /* With no session bus at all (a fresh process, pointed at nothing):
   * the token cannot be read, and the reason is in words. */
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *token = NULL;

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/carepath-test-bus", TRUE);
      g_unsetenv (CP_SYNC_TOKEN_ENV);
      token = cp_sync_token_for ("hubspot", NULL, &error);
      g_assert_null (token);
      g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED);
      g_assert_nonnull (strstr (error->message, "No keyring is running"));
      g_assert_null (strstr (error->message, "DBus"));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_bad_configuration (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpCrmBackend) backend = NULL;

  backend = cp_hubspot_backend_new ("ftp://example.org", "token", &error);
  g_assert_null (backend);
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED);
  g_clear_error (&error);
  backend = cp_hubspot_backend_new ("https://api.hubapi.com", "", &error);
  g_assert_null (backend);
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED);
  g_clear_error (&error);
  backend = cp_crm_backend_new_for_name ("salesforce", NULL, "token", &error);
  g_assert_null (backend);
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED);
}


/* The team's mapping (Preferences → Account): a field not synced, a field
 * to a property the defaults leave out, a stage to another value — used
 * both ways; an invalid mapping is refused with the reason. */
static void
test_mapping (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(CpCrmMapping) mapping = cp_crm_mapping_new ();
  g_autoptr(CpCrmMapping) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *title = NULL;
  g_autofree char *status = NULL;
  g_autofree char *stage = NULL;
  g_autofree char *urgency = NULL;

  g_hash_table_insert (mapping->fields, g_strdup ("job_title"), g_strdup (""));
  g_hash_table_insert (mapping->fields, g_strdup ("urgency"), g_strdup ("hs_lead_status"));
  g_hash_table_insert (mapping->stages, g_strdup ("new"), g_strdup ("subscriber"));
  g_assert_true (cp_crm_mapping_save (f->database, "hubspot", mapping, &error));
  g_assert_no_error (error);
  loaded = cp_crm_mapping_load (f->database, "hubspot", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (loaded->fields, "urgency"), ==, "hs_lead_status");
  g_assert_cmpstr (g_hash_table_lookup (loaded->stages, "new"), ==, "subscriber");

  id = create_local (f, "Mina", "mina@example.org");
  edit_local (f, id, CP_LEAD_FIELD_JOB_TITLE, "Nurse");
  edit_local (f, id, CP_LEAD_FIELD_URGENCY, "high");
  sync_ok (f, NULL);
  remote = fake_hubspot_find (f->fake, "carepath_id", id);
  g_assert_nonnull (remote);
  title = fake_hubspot_get (f->fake, remote, "jobtitle");
  status = fake_hubspot_get (f->fake, remote, "hs_lead_status");
  stage = fake_hubspot_get (f->fake, remote, "lifecyclestage");
  g_assert_null (title);
  g_assert_cmpstr (status, ==, "high");
  g_assert_cmpstr (stage, ==, "subscriber");

  /* And back: the mapped property comes down into its field. */
  fake_hubspot_edit (f->fake, remote, "hs_lead_status", "urgent");
  sync_ok (f, NULL);
  urgency = local_field (f, id, CP_LEAD_FIELD_URGENCY);
  g_assert_cmpstr (urgency, ==, "urgent");
  g_clear_pointer (&stage, g_free);
  stage = local_field (f, id, CP_LEAD_FIELD_STAGE);
  g_assert_cmpstr (stage, ==, "new");

  /* Refused, with the reason; what was saved stays. */
  {
    const char *bad[][2] = {
      { "job_title", "job title" },     /* not an internal name */
      { "no_such_field", "x" },
      { "stage", "lifecyclestage" },    /* the stage maps through its values */
      { "email", "hs_lead_status" },    /* used twice */
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(CpCrmMapping) wrong = cp_crm_mapping_new ();

        g_hash_table_insert (wrong->fields, g_strdup ("urgency"), g_strdup ("hs_lead_status"));
        g_hash_table_insert (wrong->fields, g_strdup (bad[i][0]), g_strdup (bad[i][1]));
        g_assert_false (cp_crm_mapping_save (f->database, "hubspot", wrong, &error));
        g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED);
        g_clear_error (&error);
      }
    g_clear_pointer (&loaded, cp_crm_mapping_free);
    loaded = cp_crm_mapping_load (f->database, "hubspot", &error);
    g_assert_cmpstr (g_hash_table_lookup (loaded->fields, "urgency"), ==, "hs_lead_status");
  }

  /* A mapping that cannot be read stops the sync with a clear message
   * instead of syncing with the wrong properties. */
  g_assert_true (cp_database_set_setting (f->database, "sync.hubspot.fields", "{not json", &error));
  g_assert_false (sync_once (f, NULL, &error) && error == NULL);
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "Preferences"));
}

/* A third value: validated like any edit (an invalid one leaves the
 * conflict open and both values as they were), then sent to the CRM. */
static void
test_conflict_edited (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *remote = NULL;
  g_autofree char *lead = pull_one (f, &remote);
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  gint64 id;

  edit_local (f, lead, CP_LEAD_FIELD_EMAIL, "rosa.mine@example.org");
  fake_hubspot_edit (f->fake, remote, "email", "rosa.theirs@example.org");
  sync_ok (f, NULL);
  conflicts = cp_sync_store_list_conflicts (f->store, &error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  id = ((CpSyncConflict *) conflicts->pdata[0])->id;

  g_assert_false (cp_sync_store_resolve_conflict_with_value (f->store, id, "not an email", "sam",
                                                             &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM sync_conflicts WHERE resolved_at = 0"), ==,
                   1);
  value = local_field (f, lead, CP_LEAD_FIELD_EMAIL);
  g_assert_cmpstr (value, ==, "rosa.mine@example.org");

  g_assert_true (cp_sync_store_resolve_conflict_with_value (f->store, id, "rosa@clinic.example.org",
                                                            "sam", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM sync_conflicts WHERE resolved_at = 0"), ==,
                   0);
  g_assert_cmpint (count_rows (f,
                               "SELECT count(*) FROM sync_conflicts WHERE resolution = 'edited'"),
                   ==, 1);
  sync_ok (f, NULL);
  g_clear_pointer (&value, g_free);
  value = fake_hubspot_get (f->fake, remote, "email");
  g_assert_cmpstr (value, ==, "rosa@clinic.example.org");
  g_clear_pointer (&value, g_free);
  value = local_field (f, lead, CP_LEAD_FIELD_EMAIL);
  g_assert_cmpstr (value, ==, "rosa@clinic.example.org");

  /* Resolved once: a second answer is refused. */
  g_assert_false (cp_sync_store_resolve_conflict_with_value (f->store, id, "x@example.org", "sam",
                                                             &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/merge/three-way", test_merge_value);
  g_test_add_func ("/sync/config/bad", test_bad_configuration);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/sync/hubspot/first-pull-past-cap", test_first_pull_past_cap);
  ADD ("/sync/hubspot/offline-edits-pushed", test_offline_edits_pushed);
  ADD ("/sync/hubspot/mapping", test_mapping);
  ADD ("/sync/hubspot/merge-different-fields", test_merge_different_fields);
  ADD ("/sync/hubspot/same-field-conflict", test_same_field_conflict);
  ADD ("/sync/hubspot/conflict-edited", test_conflict_edited);
  ADD ("/sync/hubspot/remote-delete-tombstone", test_remote_delete_tombstone);
  ADD ("/sync/hubspot/duplicate-409", test_duplicate_409);
  ADD ("/sync/hubspot/partial-batch-207", test_partial_batch_207);
  ADD ("/sync/hubspot/rate-limits-429-477", test_rate_limits);
  ADD ("/sync/hubspot/rate-limit-storm", test_rate_limit_storm);
  ADD ("/sync/hubspot/transient-statuses", test_transient_statuses);
  ADD ("/sync/hubspot/dropped-after-commit", test_dropped_after_commit);
  ADD ("/sync/hubspot/truncated-json", test_truncated_json);
  ADD ("/sync/hubspot/slow-response", test_slow_response);
  ADD ("/sync/hubspot/bad-token-401", test_bad_token);
  ADD ("/sync/hubspot/killed-mid-pull", test_killed_mid_pull);
  ADD ("/sync/hubspot/search-lag", test_search_lag);
  ADD ("/sync/hubspot/search-throttle", test_search_throttle);
  ADD ("/sync/hubspot/lifecycle-backward", test_lifecycle_backward);
  ADD ("/sync/hubspot/stage-options", test_stage_options);
  ADD ("/sync/hubspot/invalid-record", test_invalid_record);
  ADD ("/sync/hubspot/kept-until-mapped", test_kept_until_mapped);
  ADD ("/sync/hubspot/merge-against-remote-edit", test_merge_against_remote_edit);
  ADD ("/sync/hubspot/unmerge-recreates", test_unmerge_recreates);
  ADD ("/sync/hubspot/push-despite-pull-failure", test_push_despite_pull_failure);
  ADD ("/sync/hubspot/won-round-trip", test_won_round_trip);
  ADD ("/sync/hubspot/erasure-deletes-contact", test_erasure_deletes_contact);
  ADD ("/sync/hubspot/deep-answer-refused", test_deep_answer_refused);
  ADD ("/sync/hubspot/erase-person-end-to-end", test_erase_person_end_to_end);
  ADD ("/sync/hubspot/validation-400", test_validation_400);
  ADD ("/sync/store/outbox-journal", test_outbox_journal);
  ADD ("/sync/store/link-base-round-trip", test_link_base_round_trip);
  ADD ("/sync/hubspot/check-connection", test_check_connection);
  ADD ("/sync/hubspot/check-connection-refused", test_check_connection_refused);
  g_test_add_func ("/sync/keyring/errors-in-words", test_keyring_errors_in_words);
#undef ADD

  return g_test_run ();
}
