/* bench-import.c — import a 100,000-row CSV (normalise, dedup, score, route) versus sqlite3's
 * .import
 *
 * The file is written from the demo generator (the same made-up leads as
 * the demo data, duplicates included) with every canonical field but the
 * scores. Carepath imports it into a fresh database; the `sqlite3` shell
 * then imports the same file into a fresh table of its own (no indexes,
 * no checks), which is the floor the target is measured against.
 *
 * Usage: bench-import [N]   (default 100,000 rows)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "bench-common.h"
#include "cp-csv-writer.h"
#include "cp-demo.h"
#include "cp-lead-import.h"

#define NOW G_GINT64_CONSTANT (1780000000)

static char *
write_csv (const char *dir,
           guint       n)
{
  g_autoptr(CpDemoGenerator) generator = cp_demo_generator_new (7, NOW);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *path = g_build_filename (dir, "leads.csv", NULL);
  g_autoptr(GError) error = NULL;
  const char *header[CP_LEAD_N_FIELDS];
  guint n_columns = 0;
  CpLeadField columns[CP_LEAD_N_FIELDS];

  for (guint f = 0; f < CP_LEAD_N_FIELDS; f++)
    if (f != CP_LEAD_FIELD_SCORE && f != CP_LEAD_FIELD_FIT_SCORE &&
        f != CP_LEAD_FIELD_INTENT_SCORE && f != CP_LEAD_FIELD_READINESS_SCORE &&
        f != CP_LEAD_FIELD_TIER)
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
       * here every row gets its own, so that only the file's planted
       * duplicates (same email) are duplicates. */
      g_autofree char *phone = g_strdup_printf ("+1617%07u", 8000000 + i);

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

static double
time_sqlite3_import (const char *dir,
                     const char *csv)
{
  g_autofree char *db = g_build_filename (dir, "plain.db", NULL);
  g_autofree char *import = g_strdup_printf (".import --csv %s leads", csv);
  g_autofree char *sqlite3 = g_find_program_in_path ("sqlite3");
  const char *argv[] = { sqlite3, db, import, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;
  double start;

  if (sqlite3 == NULL)
    return -1;
  start = bench_now_ms ();
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                     &error) || !g_spawn_check_wait_status (status, &error))
    g_error ("sqlite3 .import failed: %s", error->message);
  return bench_now_ms () - start;
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  g_autofree char *dir = g_dir_make_tmp ("carepath-bench-import-XXXXXX", NULL);
  g_autofree char *csv = write_csv (dir, n);
  g_autofree char *db_path = g_build_filename (dir, "carepath.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = cp_database_open (db_path, &error);
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(CpCsvReader) reader = NULL;
  g_auto(CpImportResult) result = { 0, };
  CpImportOptions options = {
    CP_IMPORT_HEADERS_CARE_PATH, CP_IMPORT_DUPLICATE_MERGE, FALSE, "bench", NULL, NOW
  };
  double ours, theirs;

  g_assert_no_error (error);
  store = cp_lead_store_new (database);
  reader = cp_csv_reader_new_for_path (csv, &error);
  g_assert_no_error (error);

  {
    double start = bench_now_ms ();

    cp_database_set_bulk_writes (database, TRUE);
    if (!cp_lead_import_run (store, reader, &options, NULL, NULL, NULL, &result, &error))
      g_error ("%s", error->message);
    cp_database_set_bulk_writes (database, FALSE);
    ours = bench_now_ms () - start;
  }
  g_printerr ("import: %u imported, %u merged, %u skipped, %u rejected\n", result.imported,
              result.merged, result.skipped, result.rejected);
  bench_report ("import CSV (normalise, dedup, score, route)", ours, "ms", "");
  bench_report ("import rows per second", n / (ours / 1000.0), "rows/s", "");

  theirs = time_sqlite3_import (dir, csv);
  if (theirs < 0)
    g_printerr ("sqlite3 is not installed: no comparison\n");
  else
    {
      bench_report ("sqlite3 .import of the same file", theirs, "ms", "");
      bench_report ("import / sqlite3 .import", ours / theirs, "x", "<= 2x");
    }

  g_clear_object (&store);
  g_clear_object (&database);
  g_clear_pointer (&reader, cp_csv_reader_free);
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
  return 0;
}
