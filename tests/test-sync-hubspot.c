/* test-sync-hubspot.c — the HubSpot backend at volume and at its limits, against the fake
 *
 * Issue #18: a pull that always moves on (thousands changed at once, many
 * sharing one millisecond, a crash between pages), opaque paging tokens,
 * the account's rate limits, a batch with one unknown id, the archived
 * sweep, the carepath_id property, and plain http refused.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>

#include "cp-cli-test-util.h"
#include "cp-crm-parse-private.h"
#include "cp-crm-registry.h"
#include "cp-hubspot-backend.h"
#include "cp-sync-engine.h"
#include "cp-sync-error.h"
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
  gint64        seen_at_page;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  cp_test_tmp_store_open (&f->dir, &f->database, &f->leads);
  cp_test_publish_open_playbook (f->database);
  f->db_path = g_strdup (cp_database_get_path (f->database));
  f->store = cp_sync_store_new (f->leads, "hubspot");
  f->fake = fake_hubspot_new ();
  /* HubSpot's limits (5 searches a second, 190 requests in 10 s), sped
   * up about tenfold so that pages come quickly; still enforced. */
  fake_hubspot_set_search_rate (f->fake, 64);
  fake_hubspot_set_rate_limit (f->fake, 190, 1000);
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

/* The production overlap (5 min) unless told otherwise; tiny backoff. */
static CpCrmBackend *
make_backend (Fixture *f,
              gint     overlap_ms)
{
  g_autoptr(GError) error = NULL;
  CpCrmBackend *backend = cp_hubspot_backend_new (fake_hubspot_get_url (f->fake),
                                                  fake_hubspot_get_token (f->fake), &error);
  CpBackoff backoff = { 1, 8, 6, 0.001 };

  g_assert_no_error (error);
  cp_crm_client_set_backoff (cp_crm_backend_get_client (backend), &backoff);
  cp_crm_client_set_search_rate (cp_crm_backend_get_client (backend), 64);
  if (overlap_ms >= 0)
    cp_hubspot_backend_set_overlap_ms (CP_HUBSPOT_BACKEND (backend), overlap_ms);
  return backend;
}

static void
sync_with (Fixture      *f,
           CpCrmBackend *backend,
           CpSyncStats  *stats)
{
  g_autoptr(CpSyncEngine) engine = cp_sync_engine_new (f->db_path, backend);
  g_autoptr(GError) error = NULL;

  memset (stats, 0, sizeof *stats);
  g_assert_true (cp_sync_engine_run (engine, stats, NULL, &error));
  g_assert_no_error (error);
}

static void
sync_ok (Fixture     *f,
         CpSyncStats *stats)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, -1);

  sync_with (f, backend, stats);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return cp_test_sql_int (f->database, sql, NULL);
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

/* The milliseconds a committed cursor starts with. */
static gint64
cursor_ms (Fixture *f)
{
  g_autofree char *cursor = cp_sync_store_get_cursor (f->store, "contacts");

  g_assert_nonnull (cursor);
  return g_ascii_strtoll (cursor, NULL, 10);
}

static gint64
modified_ms (Fixture    *f,
             const char *email)
{
  g_autofree char *id = fake_hubspot_find (f->fake, "email", email);
  g_autofree char *iso = fake_hubspot_get (f->fake, id, "lastmodifieddate");
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);

  return g_date_time_to_unix (time) * 1000 + g_date_time_get_microsecond (time) / 1000;
}

/* An import changes 15,000 contacts within one minute, all inside the
 * 5-minute overlap and more than one search can list: every one is pulled,
 * each once, the cursor moves on, and the next sync pulls nothing new.
 * Then a workflow edits them all within a minute again. */
static void
test_bulk_change_within_overlap (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) bodies = NULL;
  CpSyncStats stats;
  gint64 before;
  guint64 served;

  fake_hubspot_add_generated (f->fake, 10);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pulled, ==, 10);
  before = cursor_ms (f);

  fake_hubspot_add_generated_within (f->fake, 15000, 60 * 1000);
  served = fake_hubspot_search_served (f->fake);
  g_ptr_array_unref (fake_hubspot_take_search_bodies (f->fake));
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pulled, ==, 15000);
  g_assert_cmpuint (stats.errors, ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM leads"), ==, 15010);
  g_assert_cmpint (count (f, "SELECT count(DISTINCT remote_id) FROM sync_links"), ==, 15010);
  /* Each once: the 15,000, and the 10 older ones the overlap reads again. */
  g_assert_cmpuint (fake_hubspot_search_served (f->fake) - served, ==, 15010);
  g_assert_cmpint (cursor_ms (f), ==, modified_ms (f, "contact15010@example.org"));
  g_assert_cmpint (cursor_ms (f), >, before + 59 * 1000);
  /* Every page was a fresh query: nothing paged towards the 10,000 cap. */
  bodies = fake_hubspot_take_search_bodies (f->fake);
  g_assert_cmpuint (bodies->len, ==, 76);
  for (guint i = 0; i < bodies->len; i++)
    g_assert_null (strstr (bodies->pdata[i], "\"after\""));

  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pulled, ==, 0);
  g_assert_cmpuint (stats.errors, ==, 0);

  fake_hubspot_edit_all_within (f->fake, "jobtitle", "Nurse", 60 * 1000);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pulled, ==, 15010);
  g_assert_cmpint (count (f, "SELECT count(*) FROM leads WHERE job_title = 'Nurse'"), ==, 15010);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pulled, ==, 0);
  /* Five syncs back to back, each with a client of its own: not one 429. */
  g_assert_cmpuint (fake_hubspot_rate_refusals (f->fake), ==, 0);
  g_assert_cmpuint (fake_hubspot_search_refusals (f->fake), ==, 0);
}

/* 1,200 contacts modified in the same millisecond, listed by search in no
 * promised order: swept by id, all pulled, then the ones after them. */
static void
test_same_millisecond (Fixture       *f,
                       gconstpointer  data)
{
  CpSyncStats stats;

  fake_hubspot_add_generated_within (f->fake, 1200, 0);
  fake_hubspot_add_generated (f->fake, 300);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pulled, ==, 1500);
  g_assert_cmpint (count (f, "SELECT count(DISTINCT remote_id) FROM sync_links"), ==, 1500);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pulled, ==, 0);
}

static void
cancel_at_page_cb (CpSyncEngine *engine,
                   guint         page,
                   gpointer      user_data)
{
  if (page == 2)
    g_cancellable_cancel (user_data);
}

/* Killed before committing page 3, once: the next run reads nothing the
 * committed cursor covers (overlap 0 shows it; in production the overlap
 * reads the last minutes again for search's lag). */
static void
pull_killed_then_resumed (Fixture *f,
                          guint    total,
                          guint    committed,
                          guint64  served_after)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, 0);
  g_autoptr(CpSyncEngine) engine = cp_sync_engine_new (f->db_path, backend);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CpSyncStats stats = { 0 };
  guint64 served;

  g_signal_connect (engine, "page-fetched", G_CALLBACK (cancel_at_page_cb), cancellable);
  g_assert_false (cp_sync_engine_run (engine, &stats, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM leads"), ==, committed);

  served = fake_hubspot_search_served (f->fake);
  g_clear_object (&engine);
  engine = cp_sync_engine_new (f->db_path, backend);
  g_assert_true (cp_sync_engine_run (engine, &stats, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.pulled, ==, total - committed);
  g_assert_cmpuint (fake_hubspot_search_served (f->fake) - served, ==, served_after);
  g_assert_cmpint (count (f, "SELECT count(DISTINCT remote_id) FROM sync_links"), ==, total);
}

static void
test_killed_resumes_after_commit (Fixture       *f,
                                  gconstpointer  data)
{
  fake_hubspot_add_generated (f->fake, 1000);
  pull_killed_then_resumed (f, 1000, 400, 600);
}

/* Killed inside the sweep of one millisecond: it resumes at the id the
 * cursor names. The first page (200 of the 1,200, in the server's order)
 * is read again by the sweep, which goes by id. */
static void
test_killed_in_same_millisecond (Fixture       *f,
                                 gconstpointer  data)
{
  fake_hubspot_add_generated_within (f->fake, 1200, 0);
  fake_hubspot_add_generated (f->fake, 300);
  pull_killed_then_resumed (f, 1500, 400, 800 + 200 + 300);
}

/* The run that stopped left @committed of @total contacts: the next run
 * reads exactly the rest (overlap 0), so the cursor was at the end of
 * what was committed, never before it and never past it. */
static void
resume_reads_the_rest (Fixture      *f,
                       CpCrmBackend *backend,
                       guint         total,
                       guint         committed)
{
  g_autoptr(CpSyncEngine) engine = cp_sync_engine_new (f->db_path, backend);
  g_autoptr(GError) error = NULL;
  CpSyncStats stats = { 0 };
  guint64 served = fake_hubspot_search_served (f->fake);

  g_assert_cmpint (count (f, "SELECT count(*) FROM leads"), ==, committed);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_links"), ==, committed);
  g_assert_true (cp_sync_engine_run (engine, &stats, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.pulled, ==, total - committed);
  g_assert_cmpuint (fake_hubspot_search_served (f->fake) - served, ==, total - committed);
  g_assert_cmpint (count (f, "SELECT count(DISTINCT remote_id) FROM sync_links"), ==, total);
  g_assert_cmpint (count (f, "SELECT count(*) FROM leads"), ==, total);
}

/* The search for page 2 fails (fetched ahead, while page 1 is written)
 * in a pull of @total contacts: page 1 stays committed with its cursor,
 * and the failure is reported; the next pull reads the rest. */
static void
next_page_fails_while_writing (Fixture *f,
                               guint    total)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, 0);
  g_autoptr(CpSyncEngine) engine = cp_sync_engine_new (f->db_path, backend);
  g_autoptr(GError) error = NULL;
  CpSyncStats stats = { 0 };

  fake_hubspot_add_generated (f->fake, total);
  fake_hubspot_inject (f->fake, "/search", FAKE_FAULT_STATUS, 403,
                       "{\"status\":\"error\",\"message\":\"This app lacks a scope\","
                       "\"category\":\"MISSING_SCOPES\"}", NULL, 0, 1);
  fake_hubspot_delay_last_fault (f->fake, 1);
  g_assert_false (cp_sync_engine_run (engine, &stats, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "This app lacks a scope"));
  g_assert_true (stats.pull_failed);
  g_assert_cmpuint (stats.pulled, ==, 200);
  g_assert_cmpint (count (f, "SELECT count(*) FROM leads_fts WHERE leads_fts MATCH 'example'"),
                   ==, 200);
  resume_reads_the_rest (f, backend, total, 200);
}

static void
test_next_page_fails_while_writing (Fixture       *f,
                                    gconstpointer  data)
{
  next_page_fails_while_writing (f, 1000);
}

/* A write fails in the middle of page 3 (not a record the rules refuse: a
 * database error, as a full disk or a crash would leave it): pages 1 and
 * 2 stay committed with their cursor, nothing of page 3 is kept. */
static void
test_write_fails_mid_page (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, 0);
  g_autoptr(CpSyncEngine) engine = cp_sync_engine_new (f->db_path, backend);
  g_autoptr(GError) error = NULL;
  CpSyncStats stats = { 0 };
  sqlite3 *handle = cp_test_store_handle (f->leads);

  fake_hubspot_add_generated (f->fake, 1000);
  cp_test_sqlite_exec (handle, "CREATE TRIGGER fail_mid_page BEFORE INSERT ON leads "
                               "WHEN (SELECT count(*) FROM leads) = 450 "
                               "BEGIN SELECT json('{'); END");
  g_assert_false (cp_sync_engine_run (engine, &stats, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (stats.pull_failed);
  g_assert_cmpuint (stats.pulled, ==, 400);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_rejects"), ==, 0);
  cp_test_sqlite_exec (handle, "DROP TRIGGER fail_mid_page");
  resume_reads_the_rest (f, backend, 1000, 400);
}

/* ---- a first pull larger than the database: one deferred load ---- */

#define SCHEMA_OBJECTS "SELECT count(*) FROM sqlite_schema WHERE type IN ('index', 'trigger')"
#define FTS_ROWS "SELECT count(*) FROM leads_fts WHERE leads_fts MATCH 'example'"

/* What another connection sees as page 7 arrives (a pull by batches has
 * committed its first thousand records by then). */
static void
committed_at_page_cb (CpSyncEngine *engine,
                      guint         page,
                      gpointer      user_data)
{
  Fixture *f = user_data;

  if (page == 6)
    f->seen_at_page = count (f, "SELECT count(*) FROM leads");
}

/* A pull in which one record is refused and kept, watched from another
 * connection as page 7 arrives (f->seen_at_page). */
static void
pull_keeping_one (Fixture      *f,
                  CpSyncEngine *engine,
                  CpSyncStats  *stats)
{
  g_autoptr(GError) error = NULL;

  f->seen_at_page = -1;
  g_signal_connect (engine, "page-fetched", G_CALLBACK (committed_at_page_cb), f);
  g_test_expect_message ("cp-sync-engine", G_LOG_LEVEL_MESSAGE,
                         "CRM record * kept, not applied: a value is not valid");
  g_assert_true (cp_sync_engine_run (engine, stats, NULL, &error));
  g_assert_no_error (error);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (stats->quarantined, ==, 1);
}

/* 1,500 contacts into an empty database: the pull is one load, nothing of
 * it visible before its end, its indexes and search index built at the
 * end and whole; a record that cannot be applied is still kept with its
 * reason, and the others applied. */
static void
test_deferred_load (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, 0);
  g_autoptr(CpSyncEngine) engine = cp_sync_engine_new (f->db_path, backend);
  g_autofree char *bad = NULL;
  CpSyncStats stats = { 0 };
  gint64 objects = count (f, SCHEMA_OBJECTS);

  fake_hubspot_add_generated (f->fake, 700);
  bad = fake_hubspot_add_contact (f->fake, "Broken", "not an email");
  fake_hubspot_add_generated (f->fake, 800);
  pull_keeping_one (f, engine, &stats);
  g_assert_cmpint (f->seen_at_page, ==, 0);
  g_assert_cmpuint (stats.pulled, ==, 1500);
  g_assert_cmpuint (stats.quarantined, ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM leads"), ==, 1500);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_links"), ==, 1500);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_rejects WHERE resolved_at = 0"), ==, 1);
  g_assert_null (cp_sync_store_find_lead (f->store, bad, NULL));
  g_assert_cmpint (count (f, SCHEMA_OBJECTS), ==, objects);
  g_assert_cmpint (count (f, FTS_ROWS), ==, 1500);
  cp_test_assert_database_sound (f->database);

  /* The next pull is not a load: only what changed, written as usual. */
  fake_hubspot_edit (f->fake, bad, "email", "broken@example.org");
  sync_with (f, backend, &stats);
  g_assert_cmpuint (stats.pulled, ==, 1);
  g_assert_cmpint (count (f, FTS_ROWS), ==, 1501);
}

/* A load into a database that already holds a linked lead: the CRM's
 * edit of that lead, refused, is undone alone (its savepoint) and kept;
 * the lead stays as it was, and the load's new contacts are applied. */
static void
test_deferred_refused_edit (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, 0);
  g_autoptr(CpSyncEngine) engine = cp_sync_engine_new (f->db_path, backend);
  g_autofree char *first = fake_hubspot_add_contact (f->fake, "Ada", "ada@example.org");
  g_autofree char *lead = NULL;
  CpSyncStats stats = { 0 };

  sync_with (f, backend, &stats);
  g_assert_cmpuint (stats.pulled, ==, 1);
  lead = cp_sync_store_find_lead (f->store, first, NULL);
  g_assert_nonnull (lead);

  fake_hubspot_add_generated (f->fake, 1500);
  fake_hubspot_edit (f->fake, first, "email", "not an email");
  pull_keeping_one (f, engine, &stats);
  g_assert_cmpint (f->seen_at_page, ==, 1);
  g_assert_cmpuint (stats.pulled, ==, 1500);
  g_assert_cmpuint (stats.quarantined, ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM leads"), ==, 1501);
  g_assert_cmpint (count (f, "SELECT count(*) FROM leads WHERE email = 'ada@example.org'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_rejects WHERE resolved_at = 0"), ==, 1);
  g_assert_cmpint (count (f, FTS_ROWS), ==, 1501);
  cp_test_assert_database_sound (f->database);
}

/* A database error in the middle of the load (not a refused record):
 * nothing of the pull is kept, its cursor included, and the database
 * has every index; the next pull reads everything and completes it. */
static void
test_deferred_write_fails (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, 0);
  g_autoptr(CpSyncEngine) engine = cp_sync_engine_new (f->db_path, backend);
  g_autoptr(GError) error = NULL;
  CpSyncStats stats = { 0 };
  sqlite3 *handle = cp_test_store_handle (f->leads);
  gint64 objects;

  fake_hubspot_add_generated (f->fake, 1500);
  cp_test_sqlite_exec (handle, "CREATE TRIGGER fail_mid_page BEFORE INSERT ON leads "
                               "WHEN (SELECT count(*) FROM leads) = 650 "
                               "BEGIN SELECT json('{'); END");
  objects = count (f, SCHEMA_OBJECTS);
  g_assert_false (cp_sync_engine_run (engine, &stats, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (stats.pull_failed);
  g_assert_cmpuint (stats.pulled, ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_rejects"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_cursors WHERE cursor IS NOT NULL"), ==, 0);
  g_assert_cmpint (count (f, SCHEMA_OBJECTS), ==, objects);
  cp_test_assert_database_sound (f->database);
  cp_test_sqlite_exec (handle, "DROP TRIGGER fail_mid_page");
  resume_reads_the_rest (f, backend, 1500, 0);
  g_assert_cmpint (count (f, FTS_ROWS), ==, 1500);
}

/* The same in a load (1,500 contacts into an empty database): the load
 * ends there, page 1 committed with its cursor and indexed. */
static void
test_deferred_next_page_fails (Fixture       *f,
                               gconstpointer  data)
{
  next_page_fails_while_writing (f, 1500);
}

/* Cancelled as page 3 arrives: the pages written are committed, as in a
 * pull by batches. */
static void
test_deferred_cancelled (Fixture       *f,
                         gconstpointer  data)
{
  fake_hubspot_add_generated (f->fake, 3000);
  pull_killed_then_resumed (f, 3000, 400, 2600);
  g_assert_cmpint (count (f, FTS_ROWS), ==, 3000);
}

/* carepath-cli sync killed (SIGKILL) in the middle of the load: the
 * database is sound and as before (no lead, no cursor, every index and
 * trigger), and the next pull reads everything. */
static void
test_deferred_killed (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                 G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(CpCrmBackend) backend = make_backend (f, 0);
  g_autoptr(GError) error = NULL;
  gint64 objects = count (f, SCHEMA_OBJECTS);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  fake_hubspot_add_generated (f->fake, 4000);
  g_subprocess_launcher_setenv (launcher, "CAREPATH_CRM_TOKEN", fake_hubspot_get_token (f->fake),
                                TRUE);
  proc = g_subprocess_launcher_spawn (launcher, &error, cp_test_get_cli_path (), "--db", f->db_path,
                                      "sync", "--url", fake_hubspot_get_url (f->fake), NULL);
  g_assert_no_error (error);
  /* Twelve pages of twenty served (the pull writes one page behind): a
   * pull by batches would have committed two of its batches. */
  while (fake_hubspot_search_served (f->fake) < 2400 && g_get_monotonic_time () < deadline)
    g_usleep (5000);
  g_subprocess_force_exit (proc);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (proc));
  g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, SIGKILL);

  g_assert_cmpint (count (f, "SELECT count(*) FROM leads"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_links"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_cursors WHERE cursor IS NOT NULL"), ==, 0);
  g_assert_cmpint (count (f, SCHEMA_OBJECTS), ==, objects);
  cp_test_assert_database_sound (f->database);
  resume_reads_the_rest (f, backend, 4000, 0);
  g_assert_cmpint (count (f, FTS_ROWS), ==, 4000);
}

/* Every search is a POST, which libsoup sends on a new connection unless
 * told it may be resent: the pull's pages, fetched from their own thread,
 * and the rest of the run go out on the one connection kept alive, as
 * curl's would. */
static void
test_one_connection (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, 0);
  CpSyncStats stats;

  fake_hubspot_add_generated (f->fake, 1000);
  sync_with (f, backend, &stats);
  g_assert_cmpuint (stats.pulled, ==, 1000);
  g_assert_cmpuint (fake_hubspot_requests (f->fake, "POST /crm/v3/objects/contacts/search"), >=, 5);
  g_assert_cmpuint (fake_hubspot_connections (f->fake), ==, 1);
}

/* The server closes the kept-alive connection after page 2 (as a proxy or
 * HubSpot's edge may): the pull opens another and misses nothing. */
static void
test_connection_closed_between_pages (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, 0);
  CpSyncStats stats;

  fake_hubspot_add_generated (f->fake, 1000);
  fake_hubspot_inject (f->fake, "/search", FAKE_FAULT_CLOSE, 0, NULL, NULL, 0, 1);
  fake_hubspot_delay_last_fault (f->fake, 1);
  sync_with (f, backend, &stats);
  g_assert_cmpuint (stats.pulled, ==, 1000);
  g_assert_cmpuint (cp_crm_client_get_retries (cp_crm_backend_get_client (backend)), ==, 0);
  g_assert_cmpuint (fake_hubspot_connections (f->fake), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(DISTINCT remote_id) FROM sync_links"), ==, 1000);
}

/* Paging tokens are opaque strings ('+', '/', '=' included): the archived
 * sweep passes them back exactly; search never needs HubSpot's. */
static void
test_opaque_paging (Fixture       *f,
                    gconstpointer  data)
{
  CpSyncStats stats;

  fake_hubspot_set_opaque_paging (f->fake, TRUE);
  fake_hubspot_add_generated (f->fake, 450);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pulled, ==, 450);

  for (guint id = 1001; id < 1001 + 250; id++)
    {
      g_autofree char *text = g_strdup_printf ("%u", id);
      fake_hubspot_archive (f->fake, text);
    }
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.deleted, ==, 250);
  g_assert_cmpuint (fake_hubspot_requests (f->fake, "GET /crm/v3/objects/contacts"), >=, 3 + 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM leads WHERE deleted_at > 0"), ==, 250);
}

/* Archived after the last sweep, anywhere in the list (here before where
 * that sweep's last page began): found by the next one. */
static void
test_archived_after_sweep (Fixture       *f,
                           gconstpointer  data)
{
  CpSyncStats stats;

  fake_hubspot_set_opaque_paging (f->fake, TRUE);
  fake_hubspot_add_generated (f->fake, 300);
  sync_ok (f, &stats);
  for (guint id = 1100; id < 1250; id++)
    {
      g_autofree char *text = g_strdup_printf ("%u", id);
      fake_hubspot_archive (f->fake, text);
    }
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.deleted, ==, 150);

  fake_hubspot_archive (f->fake, "1005");
  fake_hubspot_archive (f->fake, "1290");
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.deleted, ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM leads WHERE deleted_at > 0"), ==, 152);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.deleted, ==, 0);
}

/* The account's limit, 10× compressed (20 requests a second), half of it
 * spent by other apps: the client paces on the headers and its own count,
 * and a large pull and push never see a 429. */
static void
test_rate_limit_never_hit (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, -1);
  CpCrmClient *client = cp_crm_backend_get_client (backend);
  CpSyncStats stats;
  gint64 start;

  fake_hubspot_set_rate_limit (f->fake, 20, 1000);
  fake_hubspot_add_generated (f->fake, 6000);
  for (guint i = 0; i < 250; i++)
    {
      g_autofree char *email = g_strdup_printf ("local%u@example.org", i);
      g_free (create_local (f, "Local", email));
    }
  fake_hubspot_spend_rate_limit (f->fake, 10);

  start = g_get_monotonic_time ();
  sync_with (f, backend, &stats);
  g_assert_cmpuint (stats.pulled, ==, 6000);
  g_assert_cmpuint (stats.pushed, ==, 250);
  g_assert_cmpuint (fake_hubspot_rate_refusals (f->fake), ==, 0);
  g_assert_cmpuint (fake_hubspot_search_refusals (f->fake), ==, 0);
  g_assert_cmpuint (cp_crm_client_get_rate_refusals (client), ==, 0);
  g_assert_cmpuint (cp_crm_client_get_retries (client), ==, 0);
  /* 30 searches, the schema, the sweep, 3 batches, plus the other apps'
   * 10: at 20 a second, it had to wait. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
}

/* A 429 (no Retry-After) is waited out: the window passes before any
 * other request. */
static void
test_rate_limit_429_waited_out (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, -1);
  CpCrmClient *client = cp_crm_backend_get_client (backend);
  CpBackoff backoff = { 1, 8, 6, 1.0 };
  CpSyncStats stats;
  gint64 start;

  cp_crm_client_set_backoff (client, &backoff);
  fake_hubspot_set_rate_limit (f->fake, 100, 300);
  fake_hubspot_add_generated (f->fake, 20);
  g_free (create_local (f, "Ada", "ada@example.org"));
  fake_hubspot_inject (f->fake, "batch/upsert", FAKE_FAULT_STATUS, 429,
                       "{\"status\":\"error\",\"message\":\"You have reached your "
                       "ten_secondly_rolling limit.\",\"errorType\":\"RATE_LIMIT\","
                       "\"policyName\":\"TEN_SECONDLY_ROLLING\"}", NULL, 0, 2);

  start = g_get_monotonic_time ();
  sync_with (f, backend, &stats);
  g_assert_cmpuint (stats.pulled, ==, 20);
  g_assert_cmpuint (stats.pushed, ==, 1);
  g_assert_cmpuint (cp_crm_client_get_rate_refusals (client), ==, 2);
  g_assert_cmpuint (cp_crm_client_get_retries (client), ==, 2);
  /* Twice the window the headers gave (300 ms, with a margin). */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2 * 300 * 1000);
}

/* One lead of a batch points at a contact HubSpot no longer knows: the
 * others are pushed, the unknown one fails with the server's message and
 * stays in the outbox. HubSpot may refuse the batch whole (404) or answer
 * 207 naming the id. */
static void
test_batch_unknown_id (Fixture       *f,
                       gconstpointer  data)
{
  guint status = GPOINTER_TO_UINT (data);
  g_autoptr(GPtrArray) remotes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) leads = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sql = NULL;
  CpSyncStats stats;

  fake_hubspot_set_not_found_status (f->fake, status);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *email = g_strdup_printf ("uma%u@example.org", i);

      g_ptr_array_add (remotes, fake_hubspot_add_contact (f->fake, "Uma", email));
    }
  sync_ok (f, &stats);
  for (guint i = 0; i < 3; i++)
    {
      g_ptr_array_add (leads, cp_sync_store_find_lead (f->store, remotes->pdata[i], NULL));
      edit_local (f, leads->pdata[i], CP_LEAD_FIELD_JOB_TITLE, "Midwife");
    }
  fake_hubspot_forget (f->fake, remotes->pdata[1]);

  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pushed, ==, 2);
  g_assert_cmpuint (stats.errors, ==, 1);
  for (guint i = 0; i < 3; i += 2)
    {
      g_autofree char *title = fake_hubspot_get (f->fake, remotes->pdata[i], "jobtitle");
      g_assert_cmpstr (title, ==, "Midwife");
    }
  sql = g_strdup_printf ("SELECT count(*) FROM outbox WHERE entity_id = '%s' AND last_error "
                         "LIKE '%%%s%%'", (char *) leads->pdata[1],
                         status == 404 ? "Could not get some CONTACT objects" : "not found");
  g_assert_cmpint (count (f, sql), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(DISTINCT entity_id) FROM outbox"), ==, 1);
  /* 404: the batch, then each input alone; 207: named, nothing sent again. */
  g_assert_cmpuint (fake_hubspot_requests (f->fake, "batch/update"), ==, status == 404 ? 1 + 3 : 1);
}

/* Without carepath_id every write fails: the sync says so (once, not per
 * lead); the check finds it missing and creates it when asked. */
static void
test_setup_property (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f, -1);
  g_autoptr(CpSyncEngine) engine = cp_sync_engine_new (f->db_path, backend);
  g_autoptr(CpCrmSetup) setup = NULL;
  g_autoptr(GError) error = NULL;
  CpSyncStats stats = { 0 };

  fake_hubspot_set_id_property (f->fake, FAKE_ID_PROPERTY_MISSING, TRUE);
  g_free (create_local (f, "Ada", "ada@example.org"));
  g_free (create_local (f, "Ben", "ben@example.org"));
  g_assert_false (cp_sync_engine_run (engine, &stats, NULL, &error));
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "carepath_id"));
  g_clear_error (&error);
  g_assert_cmpuint (fake_hubspot_requests (f->fake, "batch/upsert"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM outbox"), ==, 2);

  setup = cp_crm_backend_check_setup (backend, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (cp_crm_setup_is_ready (setup));
  g_assert_cmpuint (setup->missing->len, ==, 1);
  g_assert_nonnull (strstr (setup->missing->pdata[0], "carepath_id"));
  g_assert_cmpint (fake_hubspot_get_id_property (f->fake), ==, FAKE_ID_PROPERTY_MISSING);
  g_clear_pointer (&setup, cp_crm_setup_free);

  setup = cp_crm_backend_check_setup (backend, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cp_crm_setup_is_ready (setup));
  g_assert_cmpuint (setup->created->len, ==, 1);
  g_assert_cmpint (fake_hubspot_get_id_property (f->fake), ==, FAKE_ID_PROPERTY_UNIQUE);
  g_clear_pointer (&setup, cp_crm_setup_free);

  g_assert_true (cp_sync_engine_run (engine, &stats, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.pushed, ==, 2);

  /* Not unique: found, but not usable, and not made over. */
  fake_hubspot_set_id_property (f->fake, FAKE_ID_PROPERTY_NOT_UNIQUE, TRUE);
  setup = cp_crm_backend_check_setup (backend, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (cp_crm_setup_is_ready (setup));
  g_assert_cmpuint (setup->created->len, ==, 0);
  g_assert_nonnull (strstr (setup->missing->pdata[0], "unique"));
  g_clear_pointer (&setup, cp_crm_setup_free);

  /* A token without the scope to create it: what to do by hand. */
  fake_hubspot_set_id_property (f->fake, FAKE_ID_PROPERTY_MISSING, FALSE);
  setup = cp_crm_backend_check_setup (backend, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (cp_crm_setup_is_ready (setup));
  g_assert_nonnull (strstr (setup->missing->pdata[0], "crm.schemas.contacts.write"));
  g_clear_pointer (&setup, cp_crm_setup_free);

  /* The CRM cannot be asked: an error, not a verdict. */
  fake_hubspot_inject (f->fake, "/contacts/carepath_id", FAKE_FAULT_STATUS, 401, NULL, NULL, 0, 1);
  setup = cp_crm_backend_check_setup (backend, FALSE, NULL, &error);
  g_assert_null (setup);
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_AUTH);
}

static void
run_cli (CpCliResult         *result,
         FakeHubspot         *fake,
         const char * const  *args)
{
  g_autofree char *set = g_strconcat ("CAREPATH_CRM_TOKEN=", fake_hubspot_get_token (fake), NULL);
  const char *env[] = { set, NULL };

  cp_test_run_cli_env (result, env, args);
}

/* carepath-cli sync --check [--create-property] */
static void
test_setup_cli (Fixture       *f,
                gconstpointer  data)
{
  const char *url = fake_hubspot_get_url (f->fake);

  fake_hubspot_set_id_property (f->fake, FAKE_ID_PROPERTY_MISSING, TRUE);
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", f->db_path, "sync", "--check", "--url", url, NULL };

    run_cli (&r, f->fake, args);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.out, "Missing: "));
    g_assert_nonnull (strstr (r.out, "carepath_id"));
    g_assert_nonnull (strstr (r.out, "--create-property"));
  }
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", f->db_path, "sync", "--check", "--create-property",
                           "--url", url, NULL };

    run_cli (&r, f->fake, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Created"));
    g_assert_nonnull (strstr (r.out, "ready"));
  }
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", f->db_path, "sync", "--check", "--url", url, NULL };

    run_cli (&r, f->fake, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_null (strstr (r.out, "Missing"));
  }
  {
    g_auto(CpCliResult) r = { 0 };
    const char *args[] = { "--db", f->db_path, "sync", "--create-property", "--url", url, NULL };

    run_cli (&r, f->fake, args);
    g_assert_cmpint (r.status, ==, 2);
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM leads"), ==, 0);
}

/* The token and the leads never cross a network in the clear: plain http
 * only for this computer, for both backends. */
/* A page with what HubSpot may send around the members a record keeps:
 * nulls, empty strings, escapes, non-ASCII text, surrogate pairs, nested
 * members the pull ignores, numbers, booleans, a member given twice. */
static const char reader_page[] =
  "{\"total\": 3, \"results\": [ "
  "{\"id\": \"101\", \"properties\": {\"email\": \"a@example.org\", \"firstname\": \"Zo\\u00eb\", "
  "\"lastname\": null, \"phone\": \"\", \"company\": \"A \\\"B\\\" \\\\ C\\/D\\n\\t\", "
  "\"city\": \"\xe6\x9d\xb1\xe4\xba\xac\", \"jobtitle\": \"\\ud83d\\ude00 ok\"}, "
  "\"createdAt\": \"2026-01-01T00:00:00Z\", \"updatedAt\": \"2026-01-02T03:04:05.678Z\", "
  "\"archived\": false, \"associations\": {\"companies\": {\"results\": [{\"id\": 7, "
  "\"type\": \"x\"}]}}, \"score\": -1.5e+3},\n"
  "  {\"properties\": {\"email\": \"first@example.org\"}, \"id\": \"102\", "
  "\"updatedAt\": \"1767225600000\", \"properties\": {\"email\": \"last@example.org\", "
  "\"email\": null, \"firstname\": \"Twice\"}},"
  "{\"id\": \"103\", \"updatedAt\": \"2026-01-03T00:00:00Z\", \"properties\": []} ], "
  "\"paging\": {\"prev\": {\"before\": \"1\"}, \"next\": {\"after\": \"NTA=\", "
  "\"link\": \"https://api.hubapi.com/x?after=NTA%3D\"}}, \"extra\": [true, null, 0, {}]}";

/* The same page read through json-glib's tree, the way it used to be. */
static GPtrArray *
tree_records (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_crm_record_free);
  JsonArray *results;

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  results = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "results");
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *contact = json_array_get_object_element (results, i);
      JsonNode *properties = json_object_get_member (contact, "properties");
      CpCrmRecord *record = cp_crm_record_new (json_object_get_string_member (contact, "id"),
                                               json_object_get_string_member (contact, "updatedAt"),
                                               NULL);
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      g_ptr_array_add (records, record);
      if (!JSON_NODE_HOLDS_OBJECT (properties))
        continue;
      json_object_iter_init (&iter, json_node_get_object (properties));
      while (json_object_iter_next (&iter, &name, &value))
        if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING &&
            *json_node_get_string (value) != '\0')
          g_hash_table_insert (record->properties, g_strdup (name),
                               g_strdup (json_node_get_string (value)));
    }
  return records;
}

/* The pull reads its pages without a tree: the records are those the
 * tree gave, member for member, and paging.next.after says more follow. */
static void
test_reader_same_as_tree (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) expected = tree_records (reader_page);
  const char *what = NULL;
  g_autoptr(CpCrmPage) page = _cp_hubspot_read_page (reader_page, strlen (reader_page), &what,
                                                     &error);

  g_assert_no_error (error);
  g_assert_null (what);
  g_assert_nonnull (page);
  g_assert_cmpstr (page->next_page, ==, "NTA=");
  g_assert_cmpuint (page->records->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      CpCrmRecord *got = page->records->pdata[i];
      CpCrmRecord *want = expected->pdata[i];
      GHashTableIter iter;
      gpointer name, value;

      g_assert_cmpstr (got->remote_id, ==, want->remote_id);
      g_assert_cmpstr (got->updated_at, ==, want->updated_at);
      g_assert_null (got->cursor);
      g_assert_cmpuint (g_hash_table_size (got->properties), ==,
                        g_hash_table_size (want->properties));
      g_hash_table_iter_init (&iter, want->properties);
      while (g_hash_table_iter_next (&iter, &name, &value))
        g_assert_cmpstr (g_hash_table_lookup (got->properties, name), ==, value);
    }
  g_assert_cmpstr (g_hash_table_lookup (((CpCrmRecord *) page->records->pdata[0])->properties,
                                        "jobtitle"), ==, "\xf0\x9f\x98\x80 ok");
  g_assert_cmpuint (g_hash_table_size (((CpCrmRecord *) page->records->pdata[1])->properties), ==,
                    1);
}

/* A truncated answer is never a page, wherever it was cut: a syntax
 * error, which the client asks for again. */
static void
test_reader_every_prefix_refused (void)
{
  gsize length = strlen (reader_page);

  for (gsize cut = 1; cut < length; cut++)
    {
      g_autoptr(GError) error = NULL;
      const char *what = NULL;
      g_autoptr(CpCrmPage) page = _cp_hubspot_read_page (reader_page, cut, &what, &error);

      g_assert_null (page);
      g_assert_null (what);
      g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
    }
}

/* JSON of another shape says what is wrong; text that is not JSON is a
 * syntax error; what JSON allows and a CRM may send is read. */
static void
test_reader_shapes (void)
{
  static const struct
  {
    const char *text;
    const char *what;      /* NULL: a syntax error, "": a page */
  } cases[] = {
    { "", "a search answer without results" },
    { " \n", "a search answer without results" },
    { "[1, 2]", "a search answer without results" },
    { "\"results\"", "a search answer without results" },
    { "{\"total\": 0}", "a search answer without results" },
    { "{\"results\": {}}", "a search answer without results" },
    { "{\"results\": [], \"results\": 3}", "a search answer without results" },
    { "{\"results\": [1]}", "a contact without id or updatedAt" },
    { "{\"results\": [{\"id\": 5, \"updatedAt\": \"1\"}]}", "a contact without id or updatedAt" },
    { "{\"results\": [{\"id\": \"5\", \"updatedAt\": \"soon\"}]}",
      "a contact without id or updatedAt" },
    { "{\"results\": [{\"id\": \"5\"}]}", "a contact without id or updatedAt" },
    { "{\"results\": [{\"id\": \"5\"}], \"results\": []}", "" },
    { "{\"results\": []}", "" },
    { " {\"results\" : [ ] , \"paging\" : null } \r\n", "" },
    { "{\"results\": [{\"id\": \"\\u0000\\ud800x\", \"updatedAt\": \"1\"}]}", "" },
    { "{\"results\": []} x", NULL },
    { "{\"results\": [],}", NULL },
    { "{\"results\": [,]}", NULL },
    { "{\"results\" []}", NULL },
    { "{results: []}", NULL },
    { "{\"results\": [{\"id\": \"5\", \"updatedAt\": \"1\", \"x\": tru}]}", NULL },
    { "{\"results\": [], \"n\": 01}", NULL },
    { "{\"results\": [], \"n\": 1.}", NULL },
    { "{\"results\": [], \"n\": -}", NULL },
    { "{\"results\": [], \"n\": 1e}", NULL },
    { "{\"results\": [], \"s\": \"\\x\"}", NULL },
    { "{\"results\": [], \"s\": \"\\u12G4\"}", NULL },
    { "{\"results\": [], \"s\": \"a\nb\"}", NULL },
    { "{\"results\": [], \"s\": \"caf\xe9\"}", NULL },
    { "{\"results\": [], \"s\": \"open}", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      const char *what = NULL;
      g_autoptr(CpCrmPage) page = _cp_hubspot_read_page (cases[i].text, strlen (cases[i].text),
                                                         &what, &error);

      if (cases[i].what == NULL)
        {
          g_assert_null (page);
          g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
        }
      else if (*cases[i].what == '\0')
        {
          g_assert_no_error (error);
          g_assert_nonnull (page);
          g_assert_null (page->next_page);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_null (page);
          g_assert_cmpstr (what, ==, cases[i].what);
        }
    }
}

static void
test_plain_http (void)
{
  static const char * const refused[] = {
    "http://api.hubapi.com", "http://crm.example.org:8080/api/v1/", "http://10.0.0.7",
    "http://127.0.0.1.example.org", "http://[2001:db8::1]:8080",
  };
  static const char * const allowed[] = {
    "https://api.hubapi.com", "http://localhost:8080", "http://127.0.0.1:9", "http://127.8.9.10",
    "http://[::1]:8080", "http://LOCALHOST",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    for (guint b = 0; b < 2; b++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(CpCrmBackend) backend =
          cp_crm_backend_new_for_name (b ? "espocrm" : "hubspot", refused[i], "token", &error);

        g_assert_null (backend);
        g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED);
        g_assert_nonnull (strstr (error->message, "plain http"));
        g_assert_nonnull (strstr (error->message, "https://"));
      }
  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CpCrmBackend) backend = cp_crm_backend_new_for_name ("hubspot", allowed[i],
                                                                     "token", &error);

      g_assert_no_error (error);
      g_assert_nonnull (backend);
    }
}

/* "total" tells the pull how large it will be: a whole number is kept,
 * anything else (absent, negative, a fraction, a string, too large) is
 * "not said", and never makes the page fail. */
static void
test_reader_total (void)
{
  static const struct
  {
    const char *text;
    gint64      total;
  } cases[] = {
    { "{\"results\": []}", -1 },
    { "{\"total\": 0, \"results\": []}", 0 },
    { "{\"results\": [], \"total\": 100000}", 100000 },
    { "{\"total\": 9223372036854775807, \"results\": []}", G_MAXINT64 },
    { "{\"total\": 9223372036854775808, \"results\": []}", -1 },
    { "{\"total\": 99999999999999999999999, \"results\": []}", -1 },
    { "{\"total\": -5, \"results\": []}", -1 },
    { "{\"total\": 1.5, \"results\": []}", -1 },
    { "{\"total\": 1e3, \"results\": []}", -1 },
    { "{\"total\": \"7\", \"results\": []}", -1 },
    { "{\"total\": null, \"results\": []}", -1 },
    { "{\"total\": {\"n\": 3}, \"results\": []}", -1 },
    { "{\"total\": 3, \"total\": 4, \"results\": []}", 4 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      const char *what = NULL;
      g_autoptr(CpCrmPage) page = _cp_hubspot_read_page (cases[i].text, strlen (cases[i].text),
                                                         &what, &error);

      g_assert_no_error (error);
      g_assert_null (what);
      g_assert_nonnull (page);
      g_assert_cmpint (page->total, ==, cases[i].total);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, >=, 2);
  cp_test_set_cli_path (argv[1]);

  g_test_add_func ("/sync-hubspot/client/plain-http", test_plain_http);
  g_test_add_func ("/sync-hubspot/reader/same-as-tree", test_reader_same_as_tree);
  g_test_add_func ("/sync-hubspot/reader/every-prefix-refused", test_reader_every_prefix_refused);
  g_test_add_func ("/sync-hubspot/reader/shapes", test_reader_shapes);
  g_test_add_func ("/sync-hubspot/reader/total", test_reader_total);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/sync-hubspot/pull/bulk-change-within-overlap", test_bulk_change_within_overlap);
  ADD ("/sync-hubspot/pull/same-millisecond", test_same_millisecond);
  ADD ("/sync-hubspot/pull/killed-resumes-after-commit", test_killed_resumes_after_commit);
  ADD ("/sync-hubspot/pull/killed-in-same-millisecond", test_killed_in_same_millisecond);
  ADD ("/sync-hubspot/pull/next-page-fails-while-writing", test_next_page_fails_while_writing);
  ADD ("/sync-hubspot/pull/write-fails-mid-page", test_write_fails_mid_page);
  ADD ("/sync-hubspot/pull/one-connection", test_one_connection);
  ADD ("/sync-hubspot/pull/deferred-load", test_deferred_load);
  ADD ("/sync-hubspot/pull/deferred-refused-edit", test_deferred_refused_edit);
  ADD ("/sync-hubspot/pull/deferred-write-fails", test_deferred_write_fails);
  ADD ("/sync-hubspot/pull/deferred-next-page-fails", test_deferred_next_page_fails);
  ADD ("/sync-hubspot/pull/deferred-cancelled", test_deferred_cancelled);
  ADD ("/sync-hubspot/pull/deferred-killed", test_deferred_killed);
  ADD ("/sync-hubspot/pull/connection-closed-between-pages", test_connection_closed_between_pages);
  ADD ("/sync-hubspot/paging/opaque-tokens", test_opaque_paging);
  ADD ("/sync-hubspot/deletions/archived-after-sweep", test_archived_after_sweep);
  ADD ("/sync-hubspot/rate/never-hit", test_rate_limit_never_hit);
  ADD ("/sync-hubspot/rate/429-waited-out", test_rate_limit_429_waited_out);
  g_test_add ("/sync-hubspot/push/batch-unknown-id-404", Fixture, GUINT_TO_POINTER (404),
              fixture_setup, test_batch_unknown_id, fixture_teardown);
  g_test_add ("/sync-hubspot/push/batch-unknown-id-207", Fixture, GUINT_TO_POINTER (207),
              fixture_setup, test_batch_unknown_id, fixture_teardown);
  ADD ("/sync-hubspot/setup/property", test_setup_property);
  ADD ("/sync-hubspot/setup/cli", test_setup_cli);
#undef ADD

  return g_test_run ();
}
