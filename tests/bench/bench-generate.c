/* bench-generate.c — generating demo leads into a fresh file
 *
 * Usage: bench-generate [N_LEADS…] (default 100000)
 * For each size: generates N leads (seed 1, as of BENCH_NOW) into a fresh
 * file in a child process, the way `carepath-cli generate` does, and
 * reports its wall time, CPU time (user + system, both threads) and peak
 * resident memory. Anchor, in the same run: SQLite alone copying the
 * same rows (leads, activities, stage events, audit, tasks) into tables
 * of the same columns without an index, a trigger or a rule — the floor
 * of writing that much data; the ratio says what the write path and the
 * indexes cost on top. A second anchor copies them into the app's schema,
 * its indexes and search index built at the end (the generator's deferred
 * load, without the write path): the floor of writing these rows as the
 * app keeps them. The files are removed afterwards; the shared
 * bench caches are never touched.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-common.h"
#include "bench-import-floor.h"
#include "cp-database.h"
#include "cp-demo-writer.h"
#include "cp-lead-store.h"

static const char * const copied_tables[] = { "leads", "activities", "stage_events", "audit_log",
                                              "tasks" };

static void
remove_database (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

/* Generates in a child so that its peak memory and CPU are its own. */
static void
generate_in_child (const char    *path,
                   guint          n_leads,
                   double        *out_wall_s,
                   double        *out_cpu_s,
                   double        *out_rss_mib)
{
  struct rusage usage = { 0, };
  double start = bench_now_ms ();
  int status = 0;
  pid_t child = fork ();

  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CpDatabase) database = cp_database_open (path, &error);
      g_autoptr(CpLeadStore) store = NULL;

      if (database == NULL)
        g_error ("%s", error->message);
      store = cp_lead_store_new (database);
      if (!cp_demo_writer_run_full (store, n_leads, 1, BENCH_NOW, CP_BULK_LOAD_AUTO_NEW_FILE, NULL,
                                    NULL, NULL, &error))
        g_error ("%s", error->message);
      g_clear_object (&store);
      g_clear_object (&database);
      _exit (0);
    }
  g_assert_cmpint (wait4 (child, &status, 0, &usage), ==, child);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  *out_wall_s = (bench_now_ms () - start) / 1000.0;
  *out_cpu_s = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
               usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  *out_rss_mib = usage.ru_maxrss / 1024.0;
}

static void
exec_or_die (sqlite3    *handle,
             const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (handle, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* The anchor: the generated rows copied by SQLite alone into index-free
 * tables of a fresh file, one transaction, same journal as the
 * generator's into a new file (a rollback journal). */
static double
copy_rows_plain (const char *generated,
                 const char *plain)
{
  sqlite3 *handle = NULL;
  g_autofree char *attach = g_strdup_printf ("ATTACH '%s' AS plain", plain);
  double start;

  remove_database (plain);
  g_assert_cmpint (sqlite3_open (generated, &handle), ==, SQLITE_OK);
  exec_or_die (handle, attach);
  /* As the generator writes a new file: through a rollback journal. */
  exec_or_die (handle, "PRAGMA plain.journal_mode = DELETE; PRAGMA plain.synchronous = NORMAL;");
  for (guint i = 0; i < G_N_ELEMENTS (copied_tables); i++)
    {
      g_autofree char *create =
          g_strdup_printf ("CREATE TABLE plain.%s AS SELECT * FROM main.%s WHERE 0",
                           copied_tables[i], copied_tables[i]);
      exec_or_die (handle, create);
    }
  /* Read once so that the anchor does not pay for a cold file. */
  for (guint i = 0; i < G_N_ELEMENTS (copied_tables); i++)
    {
      g_autofree char *warm =
          g_strdup_printf ("SELECT count(*) FROM (SELECT * FROM main.%s)", copied_tables[i]);
      exec_or_die (handle, warm);
    }

  start = bench_now_ms ();
  exec_or_die (handle, "BEGIN IMMEDIATE");
  for (guint i = 0; i < G_N_ELEMENTS (copied_tables); i++)
    {
      g_autofree char *copy = g_strdup_printf ("INSERT INTO plain.%s SELECT * FROM main.%s",
                                               copied_tables[i], copied_tables[i]);
      exec_or_die (handle, copy);
    }
  exec_or_die (handle, "COMMIT");
  start = bench_now_ms () - start;
  sqlite3_close (handle);
  remove_database (plain);
  return start / 1000.0;
}

/* The second anchor, the floor: the generated rows copied by SQLite into
 * a fresh file with the app's schema (its triggers, its unique indexes),
 * one transaction through a rollback journal with the bulk writes' cache,
 * the secondary indexes and the search index dropped first and built at
 * the end — what the generator's deferred load writes, with none of the
 * write path's work (rules, scoring, routing, checks, lookups).
 * @out_cpu_s: its CPU time; returns its wall time, in seconds */
static double
copy_rows_indexed (const char *generated,
                   const char *floor_path,
                   double     *out_cpu_s)
{
  g_autofree char *attach = g_strdup_printf ("ATTACH 'file:%s?mode=ro' AS g", generated);
  g_autoptr(GString) drop = g_string_new (NULL);
  g_autoptr(GString) rebuild = g_string_new (NULL);
  sqlite3 *handle = NULL;
  double start, cpu_start;

  remove_database (floor_path);
  bench_floor_new_schema (floor_path);
  g_assert_cmpint (sqlite3_open_v2 (floor_path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI,
                                    NULL), ==, SQLITE_OK);
  exec_or_die (handle, "PRAGMA journal_mode = DELETE; PRAGMA synchronous = NORMAL;"
                       " PRAGMA temp_store = MEMORY; PRAGMA cache_size = -131072");
  exec_or_die (handle, attach);
  for (guint i = 0; i < G_N_ELEMENTS (copied_tables); i++)
    {
      g_autofree char *warm =
          g_strdup_printf ("SELECT count(*) FROM (SELECT * FROM g.%s)", copied_tables[i]);
      exec_or_die (handle, warm);
    }
  bench_floor_deferrable (handle, drop, rebuild);

  start = bench_now_ms ();
  cpu_start = bench_cpu_ms (RUSAGE_SELF);
  exec_or_die (handle, "BEGIN IMMEDIATE");
  exec_or_die (handle, drop->str);
  for (guint i = 0; i < G_N_ELEMENTS (copied_tables); i++)
    {
      g_autofree char *copy = g_strdup_printf ("INSERT INTO main.%s SELECT * FROM g.%s",
                                               copied_tables[i], copied_tables[i]);
      exec_or_die (handle, copy);
    }
  exec_or_die (handle, rebuild->str);
  exec_or_die (handle, "COMMIT");
  *out_cpu_s = (bench_cpu_ms (RUSAGE_SELF) - cpu_start) / 1000.0;
  start = bench_now_ms () - start;
  sqlite3_close (handle);
  remove_database (floor_path);
  return start / 1000.0;
}

static void
bench_size (guint n_leads)
{
  g_autofree char *path =
      g_strdup_printf ("%s/carepath-bench-generate-%d.db", g_get_tmp_dir (), (int) getpid ());
  g_autofree char *plain = g_strconcat (path, ".plain", NULL);
  g_autofree char *floor_path = g_strconcat (path, ".floor", NULL);
  g_autofree char *label = NULL;
  g_autofree char *target = NULL;
  double wall_s, cpu_s, rss_mib, anchor_s, floor_s, floor_cpu_s;

  remove_database (path);
  generate_in_child (path, n_leads, &wall_s, &cpu_s, &rss_mib);
  anchor_s = copy_rows_plain (path, plain);
  floor_s = copy_rows_indexed (path, floor_path, &floor_cpu_s);
  remove_database (path);

  label = g_strdup_printf ("generate %u demo leads, fresh file (wall)", n_leads);
  target = g_strdup_printf ("<= %.0f s (60 s per 1M)", 60.0 * n_leads / 1000000.0);
  bench_report (label, wall_s, "s", target);
  g_free (label);
  label = g_strdup_printf ("generate %u demo leads: CPU user+sys", n_leads);
  bench_report (label, cpu_s, "s", "both threads");
  g_free (label);
  label = g_strdup_printf ("generate %u demo leads: peak RSS", n_leads);
  bench_report (label, rss_mib, "MiB", "<= 300 MiB");
  g_free (label);
  label = g_strdup_printf ("  anchor: SQLite copying the same rows, no index (%u)", n_leads);
  bench_report (label, anchor_s, "s", "same run");
  g_free (label);
  label = g_strdup_printf ("  generate / anchor (%u)", n_leads);
  bench_report (label, wall_s / anchor_s, "x", "what rules and indexes add");
  g_free (label);
  label = g_strdup_printf ("  anchor: SQLite copying them into the app's schema, indexes built"
                           " after (%u), CPU", n_leads);
  bench_report (label, floor_cpu_s, "s", "same run");
  g_free (label);
  label = g_strdup_printf ("    the same, wall (%u)", n_leads);
  bench_report (label, floor_s, "s", "");
  g_free (label);
  label = g_strdup_printf ("  generate CPU / that anchor's CPU (%u)", n_leads);
  bench_report (label, cpu_s / floor_cpu_s, "x", "what the write path adds to the writes");
}

int
main (int   argc,
      char *argv[])
{
  if (argc < 2)
    bench_size (100000);
  for (int i = 1; i < argc; i++)
    bench_size ((guint) g_ascii_strtoull (argv[i], NULL, 10));
  return 0;
}
