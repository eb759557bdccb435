/* bench-activity-import.c — 100,000 attendee rows into 100,000 leads (match, record, rescore,
 * automation) versus sqlite3's .import
 *
 * A demo database of 100,000 leads (the demo writer, cached) is copied;
 * a Zoom-style attendee CSV is written with one row per lead (its email,
 * its name, a join time, a webinar title and minutes in session). Carepath
 * imports it through the write path — each row matched by email, recorded
 * with its external id, the lead rescored and the playbook's activity
 * automation run — a batch of rows to a transaction, matched in one query
 * and written a lead at a time. The `sqlite3` shell then imports the same
 * file into a plain table of its own: the floor.
 *
 * What was done is checked and printed: the activities in the database
 * are the rows matched, the leads rescored (their audit rows), and the
 * same file imported again records nothing. The machine may be shared:
 * the process's CPU time, and the time it waited for a CPU while ready
 * to run (/proc/self/schedstat), say what the wall clock cannot.
 *
 * Usage: bench-activity-import [N]   (default 100,000 leads and rows)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <time.h>

#include "bench-common.h"
#include "cp-activity-import.h"
#include "cp-csv-writer.h"
#include "cp-database-private.h"

#define NOW G_GINT64_CONSTANT (1780000000)

static char *
copy_database (const char *cached,
               const char *dir)
{
  char *path = g_build_filename (dir, "carepath.db", NULL);
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  if (!g_file_get_contents (cached, &data, &length, &error) ||
      !g_file_set_contents (path, data, length, &error))
    g_error ("%s", error->message);
  return path;
}

/* One attendee row per lead with an email, from the database itself. */
static char *
write_csv (CpLeadStore *store,
           const char  *dir,
           guint       *out_rows)
{
  g_autoptr(CpLeadQuery) everyone = cp_lead_query_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *path = g_build_filename (dir, "attendees.csv", NULL);
  g_autoptr(GError) error = NULL;
  const char *header[] = { "First Name", "Last Name", "Email", "Join Time", "Webinar Name",
                           "Time in Session (minutes)" };
  guint rows = 0;

  cp_csv_append_row (out, header, G_N_ELEMENTS (header));
  for (guint offset = 0;; offset += 1000)
    {
      g_autoptr(GPtrArray) page = cp_lead_store_query (store, everyone, offset, 1000, &error);

      if (page == NULL)
        g_error ("%s", error->message);
      for (guint i = 0; i < page->len; i++)
        {
          CpLead *lead = page->pdata[i];
          g_autoptr(GDateTime) joined =
              g_date_time_new_from_unix_utc (NOW - 3600 * (1 + rows % 2000));
          g_autofree char *when = g_date_time_format (joined, "%b %d, %Y %H:%M:%S");
          g_autofree char *title = g_strdup_printf ("Care at home, part %u", 1 + rows % 12);
          g_autofree char *minutes = g_strdup_printf ("%u", 5 + rows % 55);
          const char      *row[] = { cp_lead_get_text (lead, CP_LEAD_FIELD_FIRST_NAME) ?: "",
                                cp_lead_get_text (lead, CP_LEAD_FIELD_LAST_NAME) ?: "",
                                cp_lead_get_text (lead, CP_LEAD_FIELD_EMAIL),
                                when,
                                title,
                                minutes };

          if (row[2] == NULL)
            continue;
          cp_csv_append_row (out, row, G_N_ELEMENTS (row));
          rows++;
        }
      if (page->len < 1000)
        break;
    }
  if (!g_file_set_contents (path, out->str, out->len, &error))
    g_error ("%s", error->message);
  *out_rows = rows;
  return g_steal_pointer (&path);
}

/* Nanoseconds this process has waited on a run queue (ready, no CPU). */
static double
run_queue_wait_ms (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/self/schedstat", &text, NULL, NULL))
    return 0;
  fields = g_strsplit (text, " ", 3);
  return g_strv_length (fields) >= 2 ? g_ascii_strtod (fields[1], NULL) / 1e6 : 0;
}

static double
time_sqlite3_import (const char *dir,
                     const char *csv)
{
  g_autofree char *db = g_build_filename (dir, "plain.db", NULL);
  g_autofree char *import = g_strdup_printf (".import --csv %s attendees", csv);
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
  g_autofree char *cached = bench_demo_database ("activity-import", n, NOW);
  g_autofree char *dir = g_dir_make_tmp ("carepath-bench-activities-XXXXXX", NULL);
  g_autofree char *db_path = copy_database (cached, dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = cp_database_open (db_path, &error);
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(CpCsvReader) reader = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_auto(CpActivityImportResult) result = { 0, };
  g_auto(CpActivityImportResult) again = { 0, };
  g_autofree char *csv = NULL;
  CpActivityImportOptions options = { 0, };
  guint rows = 0;
  gint64 from_file, rescored, from_file_after;
  double ours, theirs, cpu, waited, second;
  double read_before, written_before, read_after, written_after;

  g_assert_no_error (error);
  store = cp_lead_store_new (database);
  csv = write_csv (store, dir, &rows);
  reader = cp_csv_reader_new_for_path (csv, &error);
  g_assert_no_error (error);
  options.kind = CP_ACTIVITY_KIND_WEBINAR_ATTENDED;
  options.actor = "bench";
  options.now = NOW;
  options.zone = utc;

  {
    double start = bench_now_ms ();
    double wait_start = run_queue_wait_ms ();
    clock_t cpu_start = clock ();

    bench_io_bytes (&read_before, &written_before);
    cp_database_set_bulk_writes (database, TRUE);
    if (!cp_activity_import_run (store, reader, &options, NULL, NULL, NULL, &result, &error))
      g_error ("%s", error->message);
    cp_database_set_bulk_writes (database, FALSE);
    ours = bench_now_ms () - start;
    /* The machine may be shared: the process's own CPU time says what it cost. */
    cpu = (clock () - cpu_start) * 1000.0 / CLOCKS_PER_SEC;
    waited = run_queue_wait_ms () - wait_start;
    bench_io_bytes (&read_after, &written_after);
  }
  /* What was recorded is really there, once per matched row (not merged
   * away), and the leads were scored again through the write path. */
  from_file = bench_count_of (database, "SELECT count(*) FROM activities WHERE source = 'file'");
  rescored = bench_count_of (database, "SELECT count(DISTINCT entity_id) FROM audit_log"
                                 " WHERE entity = 'lead' AND action = 'rescore' AND field = 'score'"
                                 " AND actor = 'bench'");
  g_printerr ("activity import: %u rows, %u recorded, %u already recorded, %u ambiguous, %u "
              "unmatched, "
              "%u rejected, %u stage moves; %" G_GINT64_FORMAT
              " activities from the file in the database, "
              "%" G_GINT64_FORMAT " leads rescored\n",
              result.rows, result.recorded, result.already, result.ambiguous, result.unmatched,
              result.rejected, result.moves->len, from_file, rescored);
  if (from_file != (gint64) (result.by_email + result.by_phone_name) ||
      result.recorded != from_file || rescored == 0)
    g_error ("the import did not record one activity per matched row, or rescored nothing");
  bench_report ("import activities (match, record, rescore, automation)", ours, "ms", "");
  bench_report ("activity rows per second", rows / (ours / 1000.0), "rows/s", "");
  bench_report ("import activities, CPU time of the process", cpu, "ms", "");
  bench_report ("import activities, waiting for a CPU (machine shared)", waited, "ms", "");
  bench_report ("import activities, bytes written (database and its log)",
                (written_after - written_before) / (1024.0 * 1024.0), "MiB", "");
  bench_report ("import activities, bytes read", (read_after - read_before) / (1024.0 * 1024.0),
                "MiB", "");

  /* The same file again: every row already recorded, nothing written. */
  g_clear_pointer (&reader, cp_csv_reader_free);
  reader = cp_csv_reader_new_for_path (csv, &error);
  g_assert_no_error (error);
  {
    double start = bench_now_ms ();

    if (!cp_activity_import_run (store, reader, &options, NULL, NULL, NULL, &again, &error))
      g_error ("%s", error->message);
    second = bench_now_ms () - start;
  }
  from_file_after = bench_count_of (database,
                                    "SELECT count(*) FROM activities WHERE source = 'file'");
  g_printerr ("re-import: %u recorded, %u already recorded; %" G_GINT64_FORMAT
              " activities from the file\n",
              again.recorded, again.already, from_file_after);
  if (again.recorded != 0 || from_file_after != from_file || again.already != result.recorded)
    g_error ("the re-import recorded something");
  bench_report ("re-import of the same file (records nothing)", second, "ms", "");

  theirs = time_sqlite3_import (dir, csv);
  if (theirs < 0)
    g_printerr ("sqlite3 is not installed: no comparison\n");
  else
    {
      bench_report ("sqlite3 .import of the same file", theirs, "ms", "");
      bench_report ("activity import / sqlite3 .import", ours / theirs, "x", "");
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
