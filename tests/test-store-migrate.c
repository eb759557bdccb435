/* test-store-migrate.c — the local store: migrations: from an empty file and every old version, a
 * failed one keeps the file
 *
 * Every case works in its own temporary folder. Times come from a fixed
 * clock (cp_lead_store_set_clock()) so audit rows and ranges are exact.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <sqlite3.h>

#include "cp-database-private.h"
#include "cp-lead-store.h"
#include "cp-test-util.h"

static void
test_migrate_from_empty_file (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autofree char *id = NULL;

  g_file_set_contents (tmp->path, "", 0, &error);
  g_assert_no_error (error);

  store = cp_test_open_store (tmp->path);
  g_assert_cmpint (cp_database_get_schema_version (cp_lead_store_get_database (store)), ==,
                   cp_database_get_latest_schema_version ());
  g_assert_null (cp_database_get_backup_path (cp_lead_store_get_database (store)));
  g_assert_cmpuint (cp_test_count_backups (tmp->dir), ==, 0);

  id = cp_test_add_named (store, "Empty", "Start");
  g_assert_cmpuint (cp_test_count_leads (store, NULL), ==, 1);
  cp_test_assert_database_sound (cp_lead_store_get_database (store));
}

/* A lead row as an old Carepath wrote it: only columns of schema 1. */
#define OLD_LEAD_ID "0b9d1a52-5f0c-4d0e-9f7a-000000000001"
#define OLD_LEAD_SQL \
  "INSERT INTO leads (id, first_name, last_name, email, phone, organization, stage, score," \
  " notes, created_at, updated_at, stage_entered_at)" \
  " VALUES ('" OLD_LEAD_ID "', 'Adaeze', 'Okonkwo', 'adaeze@clinic.example.org'," \
  " '+12025550143', 'Riverside Clinic', 'qualified', 40, 'Asked about telehealth'," \
  " 1600000000, 1600000100, 1600000000)"

static void
test_migrate_from_every_version (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  int latest = cp_database_get_latest_schema_version ();

  for (int version = 1; version < latest; version++)
    {
      g_autofree char *path = g_strdup_printf ("%s/v%d.db", tmp->dir, version);
      g_autofree char *expected_backup = g_strdup_printf ("%s.bak-v%d", path, version);
      g_autoptr(GError) error = NULL;

      g_test_message ("migrating from schema version %d", version);

      {
        g_autoptr(CpDatabase) old = _cp_database_open_at_version (path, version, &error);
        sqlite3 *handle;

        g_assert_no_error (error);
        g_assert_nonnull (old);
        g_assert_cmpint (cp_database_get_schema_version (old), ==, version);
        handle = _cp_database_get_handle (old);
        g_assert_cmpint (cp_test_sqlite_int (handle, "PRAGMA user_version", NULL), ==, version);
        /* Schema 1 had no search index yet. */
        g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT count(*) FROM sqlite_master"
                                          " WHERE name = 'leads_fts'", NULL),
                         ==, version >= 2 ? 1 : 0);
        cp_test_sqlite_exec (handle, OLD_LEAD_SQL);
      }

      {
        g_autoptr(CpDatabase) database = cp_database_open (path, &error);
        g_autoptr(CpLeadStore) store = NULL;
        g_autoptr(CpLead) lead = NULL;
        g_autoptr(GPtrArray) summaries = NULL;
        g_autofree char *found = NULL;
        g_autofree char *new_id = NULL;
        CpStageSummary *qualified;

        g_assert_no_error (error);
        g_assert_nonnull (database);
        g_assert_cmpint (cp_database_get_schema_version (database), ==, latest);
        g_assert_cmpint (cp_test_sqlite_int (_cp_database_get_handle (database),
                                             "PRAGMA user_version", NULL),
                         ==, latest);
        g_assert_cmpstr (cp_database_get_backup_path (database), ==, expected_backup);
        g_assert_true (g_file_test (expected_backup, G_FILE_TEST_IS_REGULAR));
        g_assert_cmpuint (cp_test_file_mode (expected_backup), ==, 0600);
        cp_test_assert_database_sound (database);

        store = cp_lead_store_new (database);
        cp_lead_store_set_clock (store, cp_test_clock);

        lead = cp_test_get_lead (store, OLD_LEAD_ID);
        g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_FIRST_NAME), ==, "Adaeze");
        g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_LAST_NAME), ==, "Okonkwo");
        g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_PHONE), ==, "+12025550143");
        g_assert_cmpstr (cp_lead_get_stage (lead), ==, "qualified");
        g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE), ==, 40);
        g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_CREATED_AT), ==, 1600000000);

        /* Findable by full-text search, whichever version indexed it. */
        found = cp_test_search_ids (store, "okonk");
        g_assert_cmpstr (found, ==, OLD_LEAD_ID);
        g_clear_pointer (&found, g_free);
        found = cp_test_search_ids (store, "telehealth");
        g_assert_cmpstr (found, ==, OLD_LEAD_ID);
        g_clear_pointer (&found, g_free);

        /* The per-stage totals know the old lead. */
        g_assert_cmpuint (cp_test_count_leads (store, NULL), ==, 1);
        summaries = cp_lead_store_stage_summaries (store, NULL, &error);
        g_assert_no_error (error);
        qualified = cp_test_require_summary (summaries, "qualified");
        g_assert_cmpuint (qualified->count, ==, 1);
        g_assert_cmpint (qualified->score_sum, ==, 40);

        /* The migrated row takes part in every later write. */
        {
          g_autoptr(CpLead) edited = cp_lead_copy (lead);

          cp_lead_set_text (edited, CP_LEAD_FIELD_LAST_NAME, "Okafor");
          g_assert_true (cp_lead_store_update (store, edited, "tester", NULL, &error));
          g_assert_no_error (error);
        }
        found = cp_test_search_ids (store, "okafor");
        g_assert_cmpstr (found, ==, OLD_LEAD_ID);
        g_clear_pointer (&found, g_free);
        found = cp_test_search_ids (store, "okonk");
        g_assert_cmpstr (found, ==, "");
        g_clear_pointer (&found, g_free);
        new_id = cp_test_add_named (store, "New", "Arrival");
        g_assert_cmpuint (cp_test_count_leads (store, NULL), ==, 2);
        cp_test_assert_database_sound (database);
      }

      /* The backup is the old file as it was. */
      {
        g_autoptr(CpDatabase) backup = NULL;

        backup = _cp_database_open_at_version (expected_backup, version, &error);

        g_assert_no_error (error);
        g_assert_cmpint (cp_database_get_schema_version (backup), ==, version);
        g_assert_cmpint (cp_test_sqlite_int (_cp_database_get_handle (backup),
                                             "PRAGMA user_version", NULL),
                         ==, version);
        g_assert_cmpint (cp_test_sqlite_int (_cp_database_get_handle (backup),
                                  "SELECT count(*) FROM leads"
                                  " WHERE id = ?1 AND last_name = 'Okonkwo'", OLD_LEAD_ID), ==, 1);
        g_assert_null (cp_database_get_backup_path (backup));
      }

      /* Opening the upgraded file again copies nothing more. */
      {
        g_autoptr(CpDatabase) again = cp_test_open_database_file (path);

        g_assert_null (cp_database_get_backup_path (again));
        g_assert_cmpint (cp_database_get_schema_version (again), ==, latest);
      }
    }
}

static void
test_migrate_failure_keeps_file (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = NULL;

  {
    g_autoptr(CpDatabase) old = _cp_database_open_at_version (tmp->path, 1, &error);

    g_assert_no_error (error);
    cp_test_sqlite_exec (_cp_database_get_handle (old), OLD_LEAD_SQL);
    /* Something in the way of migration 2. */
    cp_test_sqlite_exec (_cp_database_get_handle (old), "CREATE TABLE leads_fts (x)");
  }

  database = cp_database_open (tmp->path, &error);
  g_assert_null (database);
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_MIGRATION);
  g_assert_nonnull (strstr (error->message, "version 2"));
  g_clear_error (&error);

  {
    sqlite3 *handle = cp_test_sqlite_open (tmp->path);

    g_assert_cmpint (cp_test_sqlite_int (handle, "PRAGMA user_version", NULL), ==, 1);
    /* Nothing of migration 2 stayed. */
    g_assert_cmpint (cp_test_sqlite_int (handle,
                                         "SELECT count(*) FROM sqlite_master WHERE name = 'merges'",
                                         NULL),
                     ==, 0);
    g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT count(*) FROM leads", NULL), ==, 1);
    sqlite3_close (handle);
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/migrate/from-empty-file", test_migrate_from_empty_file);
  g_test_add_func ("/store/migrate/from-every-version", test_migrate_from_every_version);
  g_test_add_func ("/store/migrate/failure-keeps-file", test_migrate_failure_keeps_file);

  return g_test_run ();
}
