/* bench-common.h — helpers shared by the benchmarks
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "cp-database.h"
#include "cp-database-private.h"
#include "cp-demo-writer.h"

/* The moment every shared bench database is generated as of, and the
 * benchmarks' clock: the data and the rules agree on what "now" is. */
#define BENCH_NOW G_GINT64_CONSTANT (1790000000)

/* One row of the table `build-aux/dev bench` prints. */
static inline void
bench_report (const char *name,
              double      figure,
              const char *unit,
              const char *target)
{
  printf ("%s\t%.2f\t%s\t%s\n", name, figure, unit, target ? target : "");
  fflush (stdout);
}

/* Resident set size of this process, in MiB (from /proc/self/status). */
static inline double
bench_rss_mib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  if (line == NULL)
    return -1;

  return g_ascii_strtod (line + 6, NULL) / 1024.0;
}

/* Bytes this process passed to read and write calls (/proc/self/io):
 * the database pages and write-ahead log it moved, however busy the
 * machine is. */
static inline void
bench_io_bytes (double *out_read,
                double *out_written)
{
  g_autofree char *text = NULL;
  const char *p;

  *out_read = *out_written = 0;
  if (!g_file_get_contents ("/proc/self/io", &text, NULL, NULL))
    return;
  if ((p = strstr (text, "rchar:")) != NULL)
    *out_read = g_ascii_strtod (p + 6, NULL);
  if ((p = strstr (text, "wchar:")) != NULL)
    *out_written = g_ascii_strtod (p + 6, NULL);
}

/* CPU time (user + system) of this process (RUSAGE_SELF) or of its
 * waited-for children (RUSAGE_CHILDREN), in ms. */
static inline double
bench_cpu_ms (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

/* The one integer @sql gives. */
static inline gint64
bench_count_of (CpDatabase *database,
                const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  if (sqlite3_prepare_v2 (_cp_database_get_handle (database), sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (_cp_database_get_handle (database)));
  sqlite3_step (stmt);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return count;
}

static inline double
bench_now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* Median of @n timings (sorts in place). */
static inline double
bench_median (double *values,
              guint   n)
{
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && values[j - 1] > values[j]; j--)
      {
        double t = values[j];
        values[j] = values[j - 1];
        values[j - 1] = t;
      }

  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* Where a generated database is cached between runs: by kind, size and
 * schema version, so that a cache made by another schema (another branch,
 * an older build) is never opened as if it were current. */
static inline char *
bench_cache_path_at (const char *kind,
                     guint       n_leads,
                     int         version)
{
  return g_strdup_printf ("%s/carepath-bench-%s%s%u-v%d.db", g_get_tmp_dir (),
                          kind != NULL ? kind : "", kind != NULL ? "-" : "", n_leads, version);
}

static inline char *
bench_cache_path (const char *kind,
                  guint       n_leads)
{
  return bench_cache_path_at (kind, n_leads, cp_database_get_latest_schema_version ());
}

/* A cache made by an older schema, when there is one, copied to @path
 * (page by page through SQLite: its log included) and migrated, once: a
 * million leads take minutes to migrate, not the quarter of an hour of
 * generating them again. The older cache is only read: other builds
 * (other branches) still use it.
 * Returns: whether @path was made */
static inline gboolean
bench_migrate_older_cache (const char *kind,
                           guint       n_leads,
                           const char *path)
{
  g_autofree char *partial = g_strconcat (path, ".partial", NULL);
  g_autoptr(CpDatabase) migrated = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *older = NULL;
  sqlite3 *from = NULL, *to = NULL;
  sqlite3_backup *copy;
  double start = bench_now_ms ();

  for (int version = cp_database_get_latest_schema_version () - 1; version > 0 && older == NULL;
       version--)
    {
      older = bench_cache_path_at (kind, n_leads, version);
      if (!g_file_test (older, G_FILE_TEST_EXISTS))
        g_clear_pointer (&older, g_free);
    }
  if (older == NULL)
    return FALSE;
  g_printerr ("copying %s to %s and migrating the copy...\n", older, path);
  g_unlink (partial);
  if (sqlite3_open_v2 (older, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_open (partial, &to) != SQLITE_OK)
    g_error ("opening %s or %s failed", older, partial);
  copy = sqlite3_backup_init (to, "main", from, "main");
  if (copy == NULL || sqlite3_backup_step (copy, -1) != SQLITE_DONE)
    g_error ("copying %s: %s", older, sqlite3_errmsg (to));
  sqlite3_backup_finish (copy);
  sqlite3_close (to);
  sqlite3_close (from);
  migrated = cp_database_open (partial, &error);   /* migrates to the latest schema */
  if (migrated == NULL)
    g_error ("%s", error->message);
  if (cp_database_get_backup_path (migrated) != NULL)
    g_unlink (cp_database_get_backup_path (migrated));   /* the copy kept of the old file */
  g_clear_object (&migrated);
  g_rename (partial, path);
  g_printerr ("copied and migrated in %.1f s\n", (bench_now_ms () - start) / 1000.0);
  return TRUE;
}

/* A demo database of @n_leads generated as of @now (the demo writer, the
 * write path), cached under @kind; made once, then reused.
 * Returns: (transfer full): its path */
static inline char *
bench_demo_database (const char *kind,
                     guint       n_leads,
                     gint64      now)
{
  char *path = bench_cache_path (kind, n_leads);

  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !bench_migrate_older_cache (kind, n_leads, path))
    {
      g_autofree char *partial = g_strconcat (path, ".partial", NULL);
      g_autoptr(CpDatabase) fresh = NULL;
      g_autoptr(CpLeadStore) store = NULL;
      g_autoptr(GError) error = NULL;

      g_printerr ("generating %u leads in %s...\n", n_leads, path);
      g_unlink (partial);
      fresh = cp_database_open (partial, &error);
      g_assert_no_error (error);
      store = cp_lead_store_new (fresh);
      if (!cp_demo_writer_run_full (store, n_leads, 1, now, CP_BULK_LOAD_AUTO_NEW_FILE, NULL, NULL,
                                    NULL, &error))
        g_error ("%s", error->message);
      g_clear_object (&store);
      g_clear_object (&fresh);
      g_rename (partial, path);
    }
  return path;
}

/* The one demo database of @n_leads every benchmark reads (generated once
 * as of BENCH_NOW, then reused by whichever benchmark runs first — the
 * order does not matter). @out_generated_s: the generation's time when
 * this call generated it, else 0. Benchmarks that change data work on a
 * copy.
 * Returns: (transfer full): its path */
static inline char *
bench_shared_database (guint   n_leads,
                       double *out_generated_s)
{
  g_autofree char *cached = bench_cache_path ("demo", n_leads);
  gboolean existed = g_file_test (cached, G_FILE_TEST_EXISTS);
  double start = bench_now_ms ();
  char *path = bench_demo_database ("demo", n_leads, BENCH_NOW);

  if (out_generated_s != NULL)
    *out_generated_s = existed ? 0 : (bench_now_ms () - start) / 1000.0;
  return path;
}
