/* bench-import.c — import a 100,000-row CSV (normalise, dedup, score, route) versus sqlite3's
 * .import, and 10,000 rows into a database of a million leads versus into an empty one
 *
 * The file is written from the demo generator (the same made-up leads as
 * the demo data) with every canonical field but the scores, as an export
 * writes them; every row gets a phone number of its own, so that the rows
 * are distinct people and become distinct leads (counted in the database
 * afterwards: an import that merged rows would have measured nothing).
 * Carepath imports it into a fresh database; the `sqlite3` shell then
 * imports the same file into a fresh table of its own (no indexes, no
 * checks), which is the floor the target is measured against. Wall time
 * and CPU time (the machine may be shared) are both compared.
 *
 * Into the fresh database the import is one transaction with its index
 * builds deferred to the end (more rows than leads); the rows of the
 * file are counted in the database afterwards.
 *
 * Then 10,000 rows of another seed go into an empty database and into a
 * copy of the shared demo database of a million leads, both a batch at a
 * time (--commit-batches: the large one is, by the rule above): the
 * duplicate search is bounded per row, so the rate into the large one
 * stays close. That twice: the file as an export writes it (with the
 * leads' ids) and without its id column (as from another system: the
 * import makes the ids, so the rows show what kind of new id costs).
 * After the second, the anchor of their ratio: the same kind of rows
 * (lead, audit row, stage event, task) added by plain SQL into an empty
 * database and into the large copy (bench-import-floor.h).
 *
 * Usage: bench-import [N] [LARGE.db]   (default 100,000 rows; the shared
 *   1,000,000-lead demo database; "-" skips the large import)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sys/resource.h>

#include <glib/gstdio.h>

#include "bench-common.h"
#include "bench-import-floor.h"
#include "cp-csv-writer.h"
#include "cp-database-private.h"
#include "cp-demo.h"
#include "cp-lead-import.h"

#define NOW G_GINT64_CONSTANT (1780000000)

/* @phone_base: the first row's phone number after +1 617 (each file its
 * own range); @with_ids: an id column (an export's), or none (a file from
 * another system: the import makes each new lead's id) */
static char *
write_csv (const char *dir,
           const char *name,
           guint       seed,
           guint       phone_base,
           guint       n,
           gboolean    with_ids)
{
  g_autoptr(CpDemoGenerator) generator = cp_demo_generator_new (seed, NOW);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  const char *header[CP_LEAD_N_FIELDS];
  guint n_columns = 0;
  CpLeadField columns[CP_LEAD_N_FIELDS];

  for (guint f = 0; f < CP_LEAD_N_FIELDS; f++)
    if (f != CP_LEAD_FIELD_SCORE && f != CP_LEAD_FIELD_FIT_SCORE &&
        f != CP_LEAD_FIELD_INTENT_SCORE && f != CP_LEAD_FIELD_READINESS_SCORE &&
        f != CP_LEAD_FIELD_TIER && (with_ids || f != CP_LEAD_FIELD_ID))
      {
        columns[n_columns] = f;
        header[n_columns++] = cp_lead_field_info (f)->name;
      }
  cp_csv_append_row (out, header, n_columns);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CpLead) lead = cp_demo_generator_next_lead (generator);
      char *values[CP_LEAD_N_FIELDS];

      /* The demo's phone numbers come from the few fictional ones (555-01XX):
       * here every row gets its own, so that a row and a lead are the same
       * person only on the same email. */
      g_autofree char *phone = g_strdup_printf ("+1617%07u", phone_base + i);

      cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, phone);
      for (guint c = 0; c < n_columns; c++)
        values[c] = cp_lead_dup_field_string (lead, columns[c]);
      cp_csv_append_row (out, (const char * const *) values, n_columns);
      for (guint c = 0; c < n_columns; c++)
        g_free (values[c]);
    }
  if (!g_file_set_contents (path, out->str, out->len, &error))
    g_error ("%s", error->message);
  return g_steal_pointer (&path);
}

/* @out_cpu: the sqlite3 shell's CPU time */
static double
time_sqlite3_import (const char *dir,
                     const char *csv,
                     double     *out_cpu)
{
  g_autofree char *db = g_build_filename (dir, "plain.db", NULL);
  g_autofree char *import = g_strdup_printf (".import --csv %s leads", csv);
  g_autofree char *sqlite3 = g_find_program_in_path ("sqlite3");
  const char *argv[] = { sqlite3, db, import, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;
  double start, cpu_start = bench_cpu_ms (RUSAGE_CHILDREN);

  if (sqlite3 == NULL)
    return -1;
  start = bench_now_ms ();
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                     &error) || !g_spawn_check_wait_status (status, &error))
    g_error ("sqlite3 .import failed: %s", error->message);
  *out_cpu = bench_cpu_ms (RUSAGE_CHILDREN) - cpu_start;
  return bench_now_ms () - start;
}

typedef struct
{
  double wall;   /* ms */
  double cpu;    /* ms */
  gint64 new_leads;
} Run;

/* Imports @csv into the database at @db_path as the app does (its own
 * connection, bulk writes), and checks that every row the result counts
 * as imported is a lead of its own in the database afterwards. */
static void
run_import (const char *db_path,
            const char *csv,
            gboolean    commit_batches,
            Run        *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = cp_database_open (db_path, &error);
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(CpCsvReader) reader = NULL;
  g_auto(CpImportResult) result = { 0, };
  CpImportOptions options = {
    CP_IMPORT_HEADERS_CARE_PATH, CP_IMPORT_DUPLICATE_MERGE, FALSE, "bench", NULL, NOW, NULL,
    commit_batches
  };
  gint64 before;
  double start, cpu_start;

  g_assert_no_error (error);
  store = cp_lead_store_new (database);
  reader = cp_csv_reader_new_for_path (csv, &error);
  g_assert_no_error (error);
  before = bench_count_of (database, "SELECT count(*) FROM leads");
  start = bench_now_ms ();
  cpu_start = bench_cpu_ms (RUSAGE_SELF);
  cp_database_set_bulk_writes (database, TRUE);
  if (!cp_lead_import_run (store, reader, &options, NULL, NULL, NULL, &result, &error))
    g_error ("%s", error->message);
  cp_database_set_bulk_writes (database, FALSE);
  out->wall = bench_now_ms () - start;
  out->cpu = bench_cpu_ms (RUSAGE_SELF) - cpu_start;
  out->new_leads = bench_count_of (database, "SELECT count(*) FROM leads") - before;
  g_printerr ("import: %u imported, %u merged, %u unchanged, %u skipped, %u flagged as possible "
              "duplicates, %u rejected; %" G_GINT64_FORMAT " new leads in the database\n",
              result.imported, result.merged, result.unchanged, result.skipped, result.flagged,
              result.rejected, out->new_leads);
  if (out->new_leads != result.imported || result.rejected != 0)
    g_error ("the rows did not all become leads of their own");
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      g_unlink (child);
    }
  g_rmdir (dir);
}

/* A copy of @large at @copy (the shared database is never written). */
static void
copy_large (const char *large,
            const char *copy)
{
  const char *argv[] = { "cp", "--reflink=auto", large, copy, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_file_test (large, G_FILE_TEST_EXISTS))
    g_error ("%s is missing: no import into a large database", large);
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("could not copy %s: %s", large, error->message);
}

static void
remove_database (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

/* A row of the large benchmark: "import 10,000 rows @what@rest". */
static void
report_rows (const char *what,
             const char *rest,
             double      value,
             const char *unit,
             const char *target)
{
  g_autofree char *label = g_strdup_printf ("import 10,000 rows %s%s", what, rest);

  bench_report (label, value, unit, target);
}

/* The anchor of the ratio: plain SQL adding 10,000 leads into an empty
 * database with the app's schema, and into @copy (bench-import-floor.h). */
static void
bench_floor (const char *dir,
             const char *large,
             const char *copy)
{
  g_autofree char *empty = g_build_filename (dir, "floor.db", NULL);
  double small, big;

  bench_floor_new_schema (empty);
  small = bench_floor_insert (empty, large, 1, 10000, FALSE);
  remove_database (empty);
  big = bench_floor_insert (copy, large, 2, 10000, FALSE);
  report_rows ("by plain SQL (anchor: row, audit, stage event, task)",
               " into an empty database, CPU", small, "ms", "same run");
  report_rows ("by plain SQL (anchor)", " into 1,000,000 leads, CPU", big, "ms", "same run");
  report_rows ("by plain SQL (anchor)", ": into 1,000,000 leads / into an empty database, CPU",
               big / small, "x", "SQLite's own floor for the ratio above");
}

/* The floor under the first rows: @n leads of the same shape added by
 * plain SQL (row, audit row, stage event, task) into an empty database
 * with the app's schema, its indexes and search index built at the end
 * as the import does; against `.import` (@theirs_cpu) and the import
 * (@ours_cpu). */
static void
bench_floor_bulk (const char *dir,
                  const char *large,
                  guint       n,
                  double      ours_cpu,
                  double      theirs_cpu)
{
  g_autofree char *empty = g_build_filename (dir, "floor.db", NULL);
  double floor;

  bench_floor_new_schema (empty);
  floor = bench_floor_insert (empty, large, 3, n, TRUE);
  remove_database (empty);
  bench_report ("  anchor: as many leads by plain SQL (row, audit, stage event, task;"
                " indexes after), CPU", floor, "ms", "same run");
  bench_report ("  plain SQL / sqlite3 .import, CPU", floor / MAX (theirs_cpu, 1), "x",
                "the tables' own floor under the 5x");
  bench_report ("  import / plain SQL, CPU", ours_cpu / MAX (floor, 1), "x",
                "what reading, checking, scoring and the duplicate search add");
}

/* 10,000 rows into an empty database, then into a copy of @large; @what
 * names the file in the rows. With @floor, the anchor runs on the copy too. */
static void
bench_large_file (const char *dir,
                  const char *large,
                  const char *csv,
                  const char *what,
                  gboolean    floor)
{
  g_autofree char *empty = g_build_filename (dir, "empty.db", NULL);
  g_autofree char *copy = g_build_filename (dir, "large.db", NULL);
  Run small = { 0, }, big = { 0, };

  run_import (empty, csv, TRUE, &small);
  remove_database (empty);
  if (small.new_leads != 10000)
    g_error ("%" G_GINT64_FORMAT " leads of 10,000 rows", small.new_leads);
  report_rows (what, " into an empty database", small.new_leads / (small.wall / 1000.0), "rows/s",
               "");
  report_rows (what, " into an empty database, CPU time", small.cpu, "ms", "");
  copy_large (large, copy);
  run_import (copy, csv, TRUE, &big);
  report_rows (what, " into 1,000,000 leads", big.new_leads / (big.wall / 1000.0), "rows/s", "");
  report_rows (what, " into 1,000,000 leads, CPU time", big.cpu, "ms", "");
  report_rows (what, ": into 1,000,000 leads / into an empty database, wall",
               big.wall / small.wall, "x", "");
  report_rows (what, ": into 1,000,000 leads / into an empty database, CPU",
               big.cpu / small.cpu, "x", "<= 2x");
  if (floor)
    bench_floor (dir, large, copy);
  remove_database (copy);
}

/* 10,000 rows into an empty database and into a copy of @large, twice:
 * a file with the ids of an export (the demo's, which grow in the order
 * the leads were made), and the same people without ids (a file from
 * another system: each new lead's id is made by the import, so where
 * its index entries land depends on the kind of id the app makes). */
static void
bench_large (const char *dir,
             const char *large)
{
  g_autofree char *with_ids = write_csv (dir, "ten-thousand.csv", 11, 3000000, 10000, TRUE);
  g_autofree char *without_ids = write_csv (dir, "ten-thousand-no-ids.csv", 11, 3000000, 10000,
                                            FALSE);

  bench_large_file (dir, large, with_ids, "(an export, with ids)", FALSE);
  bench_large_file (dir, large, without_ids, "(no ids: new ids made)", TRUE);
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  g_autofree char *large = argc > 2 ? g_strdup (argv[2]) : NULL;
  g_autofree char *dir = g_dir_make_tmp ("carepath-bench-import-XXXXXX", NULL);
  g_autofree char *csv = write_csv (dir, "leads.csv", 7, 8000000, n, TRUE);
  g_autofree char *db_path = g_build_filename (dir, "carepath.db", NULL);
  double theirs, theirs_cpu = 0;
  Run ours = { 0, };

  run_import (db_path, csv, FALSE, &ours);
  if (ours.new_leads != n)
    g_error ("%" G_GINT64_FORMAT " leads of %u rows", ours.new_leads, n);
  bench_report ("import CSV (normalise, dedup, score, route)", ours.wall, "ms", "");
  bench_report ("import rows per second", n / (ours.wall / 1000.0), "rows/s", "");
  bench_report ("import CSV, CPU time", ours.cpu, "ms", "");

  theirs = time_sqlite3_import (dir, csv, &theirs_cpu);
  if (theirs < 0)
    g_printerr ("sqlite3 is not installed: no comparison\n");
  else
    {
      bench_report ("sqlite3 .import of the same file", theirs, "ms", "");
      bench_report ("import / sqlite3 .import, wall", ours.wall / theirs, "x", "<= 5x");
      bench_report ("import / sqlite3 .import, CPU", ours.cpu / MAX (theirs_cpu, 1), "x", "<= 5x");
    }
  /* The shared 1M database: made (or migrated) once, by whichever bench runs first. */
  if (large == NULL)
    large = bench_shared_database (1000000, NULL);
  if (g_strcmp0 (large, "-") != 0)
    {
      if (theirs >= 0 && n <= 1000000)
        bench_floor_bulk (dir, large, n, ours.cpu, theirs_cpu);
      bench_large (dir, large);
    }
  remove_dir (dir);
  return 0;
}
