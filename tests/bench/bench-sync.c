/* bench-sync.c — pull 100,000 contacts from the local fake HubSpot, versus curl
 *
 * The engine's first full pull (search pages, each a fresh query that
 * starts where the last page ended, every record committed with its audit
 * row and stage event) against curl fetching exactly the same search
 * pages (the bodies the fake recorded) in one process over one
 * connection. The rate limits are lifted on both sides for that anchor:
 * 5 searches a second would measure only the throttle.
 *
 * Then the same pull under the limits, enforced by the fake (429 past
 * them) and ten times faster than HubSpot's so that it ends quickly:
 * 50 searches a second, 190 requests a second. The client knows the
 * search rate and learns the other from the rate-limit headers; no 429
 * may be seen.
 *
 * The result is checked: N distinct live leads, none merged into another.
 * Each side's CPU time (user + sys) is printed next to its wall clock:
 * the pull's is this process's (the fake server's thread included), curl's
 * is curl's plus the fake server's, so the two are less at the mercy of
 * the machine's load than the wall clocks. Both keep one connection
 * alive for all their pages; the rows say how many each opened.
 *
 * Usage: bench-sync [N] [contacts]   (N contacts, default 100,000;
 * "contacts": the contacts rows only, without engagements and limits)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "bench-common.h"
#include "cp-test-util.h"
#include "cp-hubspot-backend.h"
#include "cp-sync-engine.h"
#include "fake-hubspot.h"

#define N_CONTACTS   100000
#define SEARCH_RATE  50        /* HubSpot's 5 a second, ×10 */

/* The pull's result: @n distinct live leads, none merged into another,
 * each linked to its own contact. */
static void
check_pulled (const char *db_path,
              guint       n)
{
  sqlite3 *handle = cp_test_sqlite_open (db_path);

  g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT count(DISTINCT id) FROM leads "
                                       "WHERE deleted_at = 0 AND merged_into IS NULL", NULL),
                   ==, n);
  g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT count(*) FROM leads", NULL), ==, n);
  g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT count(DISTINCT remote_id) FROM sync_links",
                                       NULL), ==, n);
  sqlite3_close (handle);
}

/* A backend with the client's limits lifted (@search_rate 0) or set. */
static CpCrmBackend *
make_backend (FakeHubspot *fake,
              guint        search_rate)
{
  g_autoptr(GError) error = NULL;
  CpCrmBackend *backend = cp_hubspot_backend_new (fake_hubspot_get_url (fake),
                                                  fake_hubspot_get_token (fake), &error);

  g_assert_no_error (error);
  cp_crm_client_set_search_rate (cp_crm_backend_get_client (backend), search_rate);
  if (search_rate == 0)
    cp_crm_client_set_rate_limit (cp_crm_backend_get_client (backend), 0, 0);
  return backend;
}

static double
time_engine_pull (FakeHubspot *fake,
                  const char  *db_path,
                  guint        search_rate,
                  guint       *out_pulled,
                  double      *out_cpu_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = cp_database_open (db_path, &error);
  g_autoptr(CpCrmBackend) backend = make_backend (fake, search_rate);
  g_autoptr(CpSyncEngine) engine = NULL;
  CpSyncStats stats = { 0 };
  double start;

  g_assert_no_error (error);
  engine = cp_sync_engine_new (db_path, backend);

  if (out_cpu_ms != NULL)
    *out_cpu_ms = -bench_cpu_ms (RUSAGE_SELF);
  start = bench_now_ms ();
  if (!cp_sync_engine_run (engine, &stats, NULL, &error))
    g_error ("sync failed: %s", error->message);
  start = bench_now_ms () - start;
  if (out_cpu_ms != NULL)
    *out_cpu_ms += bench_cpu_ms (RUSAGE_SELF);
  *out_pulled = stats.pulled;
  return start;
}

/* The same pages through the backend only (HTTP + JSON), nothing stored. */
static double
time_fetch_only (FakeHubspot *fake)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpCrmBackend) backend = make_backend (fake, 0);
  g_autofree char *cursor = NULL;
  g_autofree char *token = NULL;
  double start;

  start = bench_now_ms ();
  for (;;)
    {
      g_autoptr(CpCrmPage) page = cp_crm_backend_pull_page (backend, cursor, token, NULL, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < page->records->len; i++)
        {
          CpCrmRecord *record = page->records->pdata[i];
          if (cursor == NULL || strlen (record->cursor) > strlen (cursor) ||
              (strlen (record->cursor) == strlen (cursor) && strcmp (record->cursor, cursor) > 0))
            {
              g_free (cursor);
              cursor = g_strdup (record->cursor);
            }
        }
      g_clear_pointer (&token, g_free);
      if (page->next_page == NULL)
        break;
      token = g_strdup (page->next_page);
    }
  return bench_now_ms () - start;
}

/* curl POSTing each recorded "path\nbody" (engagement searches and
 * association reads), in one process. */
static double
time_curl_requests (FakeHubspot *fake,
                    const char  *curl,
                    const char  *dir,
                    GPtrArray   *requests)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *auth =
      g_strconcat ("Authorization: Bearer ", fake_hubspot_get_token (fake), NULL);
  int status = 0;
  double start;

  g_ptr_array_add (argv, g_strdup (curl));
  for (guint i = 0; i < requests->len; i++)
    {
      const char *request = requests->pdata[i];
      const char *body = strchr (request, '\n') + 1;
      g_autofree char *path = g_strndup (request, body - 1 - request);
      g_autofree char *file = g_strdup_printf ("%s/engagement-%u.json", dir, i);

      g_assert_true (g_file_set_contents (file, body, -1, NULL));
      if (i > 0)
        g_ptr_array_add (argv, g_strdup ("--next"));
      g_ptr_array_add (argv, g_strdup ("-sS"));
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup ("/dev/null"));
      g_ptr_array_add (argv, g_strdup ("-H"));
      g_ptr_array_add (argv, g_strdup (auth));
      g_ptr_array_add (argv, g_strdup ("-H"));
      g_ptr_array_add (argv, g_strdup ("Content-Type: application/json"));
      g_ptr_array_add (argv, g_strdup ("--data-binary"));
      g_ptr_array_add (argv, g_strdup_printf ("@%s", file));
      g_ptr_array_add (argv, g_strconcat (fake_hubspot_get_url (fake), path, NULL));
    }
  g_ptr_array_add (argv, NULL);

  start = bench_now_ms ();
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("curl failed: %s", error->message);
  return bench_now_ms () - start;
}

/* One call per contact, then a sync that pulls only them (the contacts'
 * cursor is past every contact): engagements recorded through the write
 * path (rescoring, automation), against curl fetching the same requests. */
static void
bench_engagements (FakeHubspot *fake,
                   const char  *db_path,
                   const char  *curl,
                   const char  *dir,
                   guint        n_contacts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpCrmBackend) backend = make_backend (fake, 0);
  g_autoptr(CpSyncEngine) engine = cp_sync_engine_new (db_path, backend);
  g_autoptr(GPtrArray) requests = NULL;
  CpSyncStats stats = { 0 };
  double engine_ms, start;

  fake_hubspot_add_generated_calls (fake, (g_get_real_time () / G_USEC_PER_SEC - 3600) * 1000,
                                    n_contacts);
  g_ptr_array_unref (fake_hubspot_take_engagement_requests (fake));
  start = bench_now_ms ();
  if (!cp_sync_engine_run (engine, &stats, NULL, &error))
    g_error ("sync failed: %s", error->message);
  engine_ms = bench_now_ms () - start;
  g_assert_cmpuint (stats.activities, ==, n_contacts);
  requests = fake_hubspot_take_engagement_requests (fake);
  bench_report ("sync: pull 100k engagements (1 call per contact) as activities", engine_ms, "ms",
                NULL);
  bench_report ("sync: engagement requests (searches + association reads)", requests->len,
                "requests", NULL);
  if (curl == NULL)
    bench_report ("sync: curl same engagement requests (SKIPPED: curl not installed)", 0, "ms",
                  NULL);
  else
    {
      double curl_ms = time_curl_requests (fake, curl, dir, requests);

      bench_report ("sync: curl fetching the same engagement requests", curl_ms, "ms", NULL);
      bench_report ("sync: engagements pull / curl", engine_ms / curl_ms, "x", NULL);
    }
}

static double
time_curl (FakeHubspot *fake,
           const char  *curl,
           const char  *dir,
           GPtrArray   *bodies,
           double      *out_cpu_ms)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *url =
      g_strconcat (fake_hubspot_get_url (fake), "/crm/v3/objects/contacts/search", NULL);
  g_autofree char *auth =
      g_strconcat ("Authorization: Bearer ", fake_hubspot_get_token (fake), NULL);
  int status = 0;
  double start;

  g_ptr_array_add (argv, g_strdup (curl));
  for (guint i = 0; i < bodies->len; i++)
    {
      g_autofree char *file = g_strdup_printf ("%s/body-%u.json", dir, i);

      g_assert_true (g_file_set_contents (file, bodies->pdata[i], -1, NULL));
      if (i > 0)
        g_ptr_array_add (argv, g_strdup ("--next"));
      g_ptr_array_add (argv, g_strdup ("-sS"));
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup ("/dev/null"));
      g_ptr_array_add (argv, g_strdup ("-H"));
      g_ptr_array_add (argv, g_strdup (auth));
      g_ptr_array_add (argv, g_strdup ("-H"));
      g_ptr_array_add (argv, g_strdup ("Content-Type: application/json"));
      g_ptr_array_add (argv, g_strdup ("--data-binary"));
      g_ptr_array_add (argv, g_strdup_printf ("@%s", file));
      g_ptr_array_add (argv, g_strdup (url));
    }
  g_ptr_array_add (argv, NULL);

  *out_cpu_ms = -bench_cpu_ms (RUSAGE_SELF) - bench_cpu_ms (RUSAGE_CHILDREN);
  start = bench_now_ms ();
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("curl failed: %s", error->message);
  start = bench_now_ms () - start;
  *out_cpu_ms += bench_cpu_ms (RUSAGE_SELF) + bench_cpu_ms (RUSAGE_CHILDREN);
  return start;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autofree char *db_path = g_build_filename (dir, "leads.db", NULL);
  g_autofree char *paced_path = g_build_filename (dir, "paced.db", NULL);
  g_autofree char *curl = g_find_program_in_path ("curl");
  g_autoptr(GPtrArray) bodies = NULL;
  FakeHubspot *fake = fake_hubspot_new ();
  double engine_ms, curl_ms, paced_ms, engine_cpu_ms, curl_cpu_ms;
  guint pulled = 0;
  guint refused;
  guint connections;
  guint n_contacts = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : N_CONTACTS;
  gboolean contacts_only = argc > 2 && g_strcmp0 (argv[2], "contacts") == 0;

  fake_hubspot_set_search_rate (fake, 0);
  fake_hubspot_set_rate_limit (fake, 0, 0);
  fake_hubspot_add_generated (fake, n_contacts);
  g_ptr_array_unref (fake_hubspot_take_search_bodies (fake));

  engine_ms = time_engine_pull (fake, db_path, 0, &pulled, &engine_cpu_ms);
  g_assert_cmpuint (pulled, ==, n_contacts);
  check_pulled (db_path, n_contacts);
  bodies = fake_hubspot_take_search_bodies (fake);
  bench_report ("sync: pull 100k contacts from fake HubSpot", engine_ms, "ms", NULL);
  bench_report ("sync: same pull, CPU (user+sys, fake server included)", engine_cpu_ms, "ms",
                NULL);
  bench_report ("sync: search pages fetched", bodies->len, "pages", NULL);
  /* Equal terms: one kept-alive connection each, as curl's --next. */
  connections = fake_hubspot_connections (fake);
  bench_report ("sync: connections the pull opened", connections, "connections", "1");
  bench_report ("sync: same pages, HTTP + JSON only", time_fetch_only (fake), "ms", NULL);

  if (curl == NULL)
    bench_report ("sync: curl same pages (SKIPPED: curl not installed)", 0, "ms", NULL);
  else
    {
      connections = fake_hubspot_connections (fake);
      curl_ms = time_curl (fake, curl, dir, bodies, &curl_cpu_ms);
      bench_report ("sync: curl fetching the same pages (one process, kept-alive)", curl_ms, "ms",
                    NULL);
      bench_report ("sync: same, CPU (curl + fake server)", curl_cpu_ms, "ms", NULL);
      bench_report ("sync: connections curl opened", fake_hubspot_connections (fake) - connections,
                    "connections", "1");
      bench_report ("sync: pull / curl", engine_ms / curl_ms, "x", "<= 3x (#21), <= 1.5x (design)");
      bench_report ("sync: pull / curl, CPU", engine_cpu_ms / curl_cpu_ms, "x", NULL);
    }
  if (contacts_only)
    goto done;

  bench_engagements (fake, db_path, curl, dir, n_contacts);

  /* Under the limits, into a database of its own (engagements included). */
  fake_hubspot_set_search_rate (fake, SEARCH_RATE);
  fake_hubspot_set_rate_limit (fake, 190, 1000);
  paced_ms = time_engine_pull (fake, paced_path, SEARCH_RATE, &pulled, NULL);
  g_assert_cmpuint (pulled, ==, n_contacts);
  refused = fake_hubspot_search_refusals (fake) + fake_hubspot_rate_refusals (fake);
  bench_report ("sync: pull under limits (50 searches/s, 190 requests/s)", paced_ms, "ms", NULL);
  bench_report ("sync: same, the limits alone would take", bodies->len * 1000.0 / SEARCH_RATE,
                "ms", NULL);
  bench_report ("sync: 429s seen", refused, "answers", "0");
  g_assert_cmpuint (refused, ==, 0);

done:
  fake_hubspot_free (fake);
  cp_test_remove_tree (dir);
  return 0;
}
