/* bench-lifecycle.c — one write through the lifecycle path, and the time rules on a large database
 *
 * On a copy of a generated demo database (default 1,000,000 leads, shared
 * with bench-scoring): a create, an update, a move and a logged activity
 * through the store's write path (each its own transaction: validated,
 * routed, scored, clocked, audited, journalled, automation run), each
 * against the anchor of the same row written by a plain SQL statement in
 * a transaction of its own; then `tick` as of the data's time (whatever
 * was pending), again (what the app pays every few minutes), and a day
 * later with the score decay refreshed, against the anchor of the SQL
 * that finds the due clocks.
 *
 * Usage: bench-lifecycle [N]
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>

#include "bench-common.h"
#include "cp-database-private.h"
#include "cp-lead-store.h"
#include "cp-tick.h"

#define NOW BENCH_NOW
#define WRITES 200

static gint64 clock_now = NOW;

static gint64
bench_clock (void)
{
  return clock_now;
}

/* A plain statement in a transaction of its own, as the anchor. */
static double
plain_write (sqlite3    *db,
             const char *sql,
             guint       i)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *text = g_strdup_printf ("bench %u", i);
  double start = bench_now_ms ();

  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, clock_now);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  return bench_now_ms () - start;
}

static void
report_pair (const char *name,
             double     *path,
             double     *plain)
{
  g_autofree char *anchor = g_strdup_printf ("  anchor: %s as one SQL statement", name);
  double p = bench_median (path, WRITES);
  double a = bench_median (plain, WRITES);
  g_autofree char *ratio = g_strdup_printf ("%.1f× the anchor", p / a);

  bench_report (name, p, "ms", ratio);
  bench_report (anchor, a, "ms", "");
}

static void
bench_writes (CpLeadStore *store,
              GPtrArray   *ids)
{
  sqlite3 *db = _cp_database_get_handle (cp_lead_store_get_database (store));
  double path[WRITES], plain[WRITES];
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < WRITES; i++)
    {
      g_autoptr(CpLead) lead = cp_lead_new ();
      g_autofree char *email = g_strdup_printf ("bench.%u@example.org", i);
      double start = bench_now_ms ();

      cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Bench");
      cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, email);
      cp_lead_set_text (lead, CP_LEAD_FIELD_SERVICE_LINE, "cardiology");
      cp_lead_set_text (lead, CP_LEAD_FIELD_LOCATION, "Harbor Point");
      if (!cp_lead_store_create (store, lead, "bench", &error))
        g_error ("%s", error->message);
      path[i] = bench_now_ms () - start;
      g_ptr_array_add (ids, g_strdup (cp_lead_get_id (lead)));
      plain[i] = plain_write (db, "INSERT INTO leads (id, first_name, created_at, updated_at)"
                                  " VALUES (?1, ?2, ?3, ?3)", i);
    }
  report_pair ("create a lead", path, plain);

  for (guint i = 0; i < WRITES; i++)
    {
      g_autoptr(CpLead) lead = cp_lead_store_get (store, ids->pdata[i], &error);
      g_autofree char *notes = g_strdup_printf ("Called back, %u", i);
      double start = bench_now_ms ();

      cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, notes);
      if (!cp_lead_store_update (store, lead, "bench", NULL, &error))
        g_error ("%s", error->message);
      path[i] = bench_now_ms () - start;
      plain[i] =
          plain_write (db,
                       "UPDATE leads SET notes = ?2, updated_at = ?3 WHERE id ="
                       " (SELECT id FROM leads ORDER BY rowid DESC LIMIT 1) AND ?1 IS NOT NULL",
                       i);
    }
  report_pair ("update a field", path, plain);

  for (guint i = 0; i < WRITES; i++)
    {
      g_autoptr(CpActivity) activity = cp_activity_new ();
      double start = bench_now_ms ();

      cp_activity_set_lead_id (activity, ids->pdata[i]);
      cp_activity_set_kind (activity, CP_ACTIVITY_KIND_CALL);
      cp_activity_set_disposition (activity, "connected");
      cp_activity_set_actor (activity, "bench");
      if (!cp_lead_store_log_activity (store, activity, NULL, &error))
        g_error ("%s", error->message);
      path[i] = bench_now_ms () - start;
      plain[i] = plain_write (db,
                              "INSERT INTO activities (id, lead_id, kind, occurred_at, detail)"
                              " VALUES (?1, (SELECT id FROM leads ORDER BY rowid DESC LIMIT 1), "
                              "'call', ?3, ?2)",
                              i);
    }
  report_pair ("log an activity (and its automation)", path, plain);

  for (guint i = 0; i < WRITES; i++)
    {
      double start = bench_now_ms ();

      if (!cp_lead_store_move (store, ids->pdata[i], NULL, "reactivation", NULL, "bench", "bench",
                               NULL, &error))
        g_error ("%s", error->message);
      path[i] = bench_now_ms () - start;
      plain[i] = plain_write (db,
                              "UPDATE leads SET stage = 'reactivation', notes = ?2, updated_at = ?3"
                              " WHERE id = (SELECT id FROM leads ORDER BY rowid DESC LIMIT 1)"
                              " AND ?1 IS NOT NULL",
                              i);
    }
  report_pair ("move a lead", path, plain);
}

static void
bench_tick (CpLeadStore *store,
            const char  *name,
            gint64       now,
            gboolean     force_decay)
{
  sqlite3 *db = _cp_database_get_handle (cp_lead_store_get_database (store));
  g_autoptr(CpTickReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *what = NULL;
  sqlite3_stmt *stmt = NULL;
  double start = bench_now_ms ();

  report = cp_tick_run (store, now, force_decay, "bench", &error);
  if (report == NULL)
    g_error ("%s", error->message);
  what = g_strdup_printf ("%u breached, %u escalated, %u moved, %u rescored", report->breached,
                          report->escalated, report->moved, report->rescored);
  bench_report (name, (bench_now_ms () - start) / 1000.0, "s", what);

  start = bench_now_ms ();
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT count(*) FROM leads WHERE deleted_at = 0 AND "
                                       "sla_due_at"
                                       " BETWEEN 1 AND ?1 AND first_response_at = 0",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, now);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  sqlite3_finalize (stmt);
  bench_report ("  anchor: SQL finding the due clocks", (bench_now_ms () - start) / 1000.0, "s",
                "");
}

int
main (int   argc,
      char *argv[])
{
  guint n_leads = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  g_autofree char *source = bench_shared_database (n_leads, NULL);
  g_autofree char *copy =
      g_strdup_printf ("%s/carepath-bench-lifecycle-%u.db", g_get_tmp_dir (), n_leads);
  g_autoptr(GFile) from = g_file_new_for_path (source);
  g_autoptr(GFile) to = g_file_new_for_path (copy);
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  /* A copy: the writes and ticks below must not change the shared data. */
  if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  database = cp_database_open (copy, &error);
  g_assert_no_error (error);
  store = cp_lead_store_new (database);
  cp_lead_store_set_clock (store, bench_clock);

  bench_writes (store, ids);
  bench_tick (store, "tick as of the data's time (pending work)", NOW, FALSE);
  bench_tick (store, "tick again, nothing new (every 5 minutes)", NOW + 300, FALSE);
  clock_now = NOW + 86400;
  bench_tick (store, "tick a day later, score decay refreshed", NOW + 86400, TRUE);
  bench_report ("process resident memory", bench_rss_mib (), "MiB", "");

  g_clear_object (&store);
  g_clear_object (&database);
  {
    g_autofree char *wal = g_strconcat (copy, "-wal", NULL);
    g_autofree char *shm = g_strconcat (copy, "-shm", NULL);
    g_unlink (copy);
    g_unlink (wal);
    g_unlink (shm);
  }
  return 0;
}
