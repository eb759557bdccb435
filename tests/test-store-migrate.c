/* test-store-migrate.c — the local store: migrations: from an empty file and every old version, a
 * failed one keeps the file, schema 16 keeps its history, schema 18's rescore audit rows
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
#include "cp-task-store.h"
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

/* Every row of @table as SQL text, in rowid order: what a migration must
 * keep. */
static char *
table_text (sqlite3    *handle,
            const char *table)
{
  g_autofree char *info = g_strdup_printf ("SELECT name FROM pragma_table_info ('%s')", table);
  g_autoptr(GString) sql = g_string_new ("SELECT group_concat (");
  sqlite3_stmt *stmt = NULL;
  char *text;

  g_assert_cmpint (sqlite3_prepare_v2 (handle, info, -1, &stmt, NULL), ==, SQLITE_OK);
  g_string_append (sql, "quote (rowid)");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (sql, " || ',' || quote (\"%s\")", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_string_append_printf (sql, ", '|') FROM (SELECT * FROM %s ORDER BY rowid)", table);

  g_assert_cmpint (sqlite3_prepare_v2 (handle, sql->str, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_nonnull (text);
  return text;
}

/* Schema 17 leaves the history's rows alone and takes indexes away: a
 * schema-16 file keeps every activity, stage event and audit row as it
 * was, the append-only rules still hold, and the Leads table's filters
 * (the tier too) still find their leads. */
static void
test_migrate_16_keeps_history (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(GError) error = NULL;
  const char *tables[] = { "activities", "stage_events", "audit_log" };
  char *before[G_N_ELEMENTS (tables)];

  if (cp_database_get_latest_schema_version () < 17)
    {
      g_test_skip ("schema 17 is not there");
      return;
    }
  {
    g_autoptr(CpDatabase) old = _cp_database_open_at_version (tmp->path, 16, &error);
    sqlite3 *handle;

    g_assert_no_error (error);
    handle = _cp_database_get_handle (old);
    cp_test_sqlite_exec (handle, OLD_LEAD_SQL);
    cp_test_sqlite_exec (handle, "UPDATE leads SET tier = 'warm', service_line = 'cardiology'");
    cp_test_sqlite_exec (handle,
                         "INSERT INTO activities (id, lead_id, kind, occurred_at, detail, source)"
                         " VALUES ('a1', '" OLD_LEAD_ID "', 'call', 1600000200, 'Called',"
                         "         'manual'),"
                         "        ('a2', '" OLD_LEAD_ID "', 'email_open', 1600000300, NULL,"
                         "         'crm');"
                         "INSERT INTO stage_events (lead_id, from_stage, to_stage, reason, actor,"
                         "                          device_time)"
                         " VALUES ('" OLD_LEAD_ID "', NULL, 'new', 'Created', 'ana', 1600000000),"
                         "        ('" OLD_LEAD_ID "', 'new', 'qualified', 'Fit', 'ana',"
                         "         1600000100);"
                         "INSERT INTO audit_log (entity, entity_id, action, field, old_value,"
                         "                       new_value, actor, time, reason)"
                         " VALUES ('lead', '" OLD_LEAD_ID "', 'rescore', 'tier', 'cold', 'warm',"
                         "         'ana', 1600000400, 'Rescored with playbook version 3');");
    for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
      before[i] = table_text (handle, tables[i]);
    g_assert_nonnull (strstr (before[2], "Rescored with playbook version 3"));
  }
  {
    g_autoptr(CpDatabase) database = cp_database_open (tmp->path, &error);
    g_autoptr(CpLeadStore) store = NULL;
    g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
    sqlite3 *handle;

    g_assert_no_error (error);
    g_assert_cmpint (cp_database_get_schema_version (database), ==,
                     cp_database_get_latest_schema_version ());
    handle = _cp_database_get_handle (database);
    for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
      {
        g_autofree char *after = table_text (handle, tables[i]);

        g_assert_cmpstr (after, ==, before[i]);
        g_free (before[i]);
      }
    g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                                         " ('activities_kind', 'stage_events_to')", NULL), ==, 0);
    g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT count(*) FROM pragma_index_info"
                                         " ('leads_stage_created') WHERE name = 'tier'", NULL),
                     ==, 0);
    /* Still append-only. */
    g_assert_cmpint (sqlite3_exec (handle, "UPDATE audit_log SET new_value = 'hot'", NULL, NULL,
                                   NULL), !=, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (handle, "DELETE FROM audit_log", NULL, NULL, NULL), !=,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (handle, "UPDATE stage_events SET to_stage = 'lost'", NULL,
                                   NULL, NULL), !=, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (handle, "DELETE FROM stage_events", NULL, NULL, NULL), !=,
                     SQLITE_OK);
    g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT count(*) FROM audit_log", NULL), ==, 1);
    g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT count(*) FROM stage_events", NULL), ==, 2);
    cp_test_assert_database_sound (database);

    /* The tier filter, on a stage, with another filter of the index. */
    store = cp_lead_store_new (database);
    query->stage = g_strdup ("qualified");
    query->tier = g_strdup ("warm");
    g_assert_cmpuint (cp_test_count_leads (store, query), ==, 1);
    query->service_line = g_strdup ("cardiology");
    g_assert_cmpuint (cp_test_count_leads (store, query), ==, 1);
    g_free (query->tier);
    query->tier = g_strdup ("hot");
    g_assert_cmpuint (cp_test_count_leads (store, query), ==, 0);

    /* A lead's activities, found by its rowid now, newest first. */
    {
      g_autoptr(GPtrArray) activities = cp_lead_store_list_activities (store, OLD_LEAD_ID, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (activities->len, ==, 2);
      g_assert_cmpstr (cp_activity_get_id (activities->pdata[0]), ==, "a2");
      g_assert_cmpstr (cp_activity_get_id (activities->pdata[1]), ==, "a1");
    }
  }
}

/* Schema 18 rebuilds the tasks table for its CHECK: every task is as it
 * was (rowid included), a status outside the three is still refused, the
 * indexes are back, and the lead's open tasks are still listed. */
static void
test_migrate_17_tasks_check (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *rowids = NULL;

  if (cp_database_get_latest_schema_version () < 18)
    {
      g_test_skip ("schema 18 is not there");
      return;
    }
  {
    g_autoptr(CpDatabase) old = _cp_database_open_at_version (tmp->path, 17, &error);
    sqlite3 *handle;

    g_assert_no_error (error);
    handle = _cp_database_get_handle (old);
    cp_test_sqlite_exec (handle, OLD_LEAD_SQL);
    cp_test_sqlite_exec (handle,
                         "INSERT INTO tasks (rowid, id, lead_id, kind, title, owner, due_at,"
                         "                   status, done_at, origin, created_at, updated_at)"
                         " VALUES (7, 't1', '" OLD_LEAD_ID "', 'call', 'Call back', 'ana',"
                         "         1600000500, 'open', 0, 'sla', 1600000000, 1600000000),"
                         "        (42, 't2', '" OLD_LEAD_ID "', 'email', 'Send the brochure',"
                         "         NULL, 1600000600, 'done', 1600000700, 'manual', 1600000100,"
                         "         1600000700),"
                         "        (43, 't3', '" OLD_LEAD_ID "', 'meeting', 'Visit', 'bo',"
                         "         1600000800, 'cancelled', 0, 'stage', 1600000200, 1600000900);");
    before = table_text (handle, "tasks");
    g_assert_cmpint (sqlite3_exec (handle, "INSERT INTO tasks (id, lead_id, kind, title, due_at,"
                                   " status, created_at, updated_at) VALUES ('bad', '"
                                   OLD_LEAD_ID "', 'call', 'x', 1, 'snoozed', 1, 1)",
                                   NULL, NULL, NULL) & 0xff, ==, SQLITE_CONSTRAINT);
  }
  {
    g_autoptr(CpDatabase) database = cp_database_open (tmp->path, &error);
    g_autoptr(CpLeadStore) store = NULL;
    g_autofree char *after = NULL;
    sqlite3 *handle;

    g_assert_no_error (error);
    g_assert_cmpint (cp_database_get_schema_version (database), ==,
                     cp_database_get_latest_schema_version ());
    handle = _cp_database_get_handle (database);
    after = table_text (handle, "tasks");
    g_assert_cmpstr (after, ==, before);
    rowids = g_strdup_printf ("%" G_GINT64_FORMAT,
                              cp_test_sqlite_int (handle, "SELECT sum (rowid) FROM tasks", NULL));
    g_assert_cmpstr (rowids, ==, "92");
    g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT count(*) FROM sqlite_schema WHERE"
                                         " name = 'tasks' AND sql LIKE '% IN (%'", NULL), ==, 0);
    g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT count(*) FROM sqlite_schema WHERE"
                                         " tbl_name = 'tasks' AND name IN ('tasks_open_due',"
                                         " 'tasks_lead')", NULL), ==, 2);
    /* The rule still holds, both ways. */
    g_assert_cmpint (sqlite3_exec (handle, "UPDATE tasks SET status = 'snoozed' WHERE id = 't1'",
                                   NULL, NULL, NULL), ==, SQLITE_CONSTRAINT_CHECK);
    g_assert_cmpint (sqlite3_exec (handle, "UPDATE tasks SET status = NULL WHERE id = 't1'",
                                   NULL, NULL, NULL) & 0xff, ==, SQLITE_CONSTRAINT);
    g_assert_cmpint (sqlite3_exec (handle, "UPDATE tasks SET status = 'done' WHERE id = 't3'",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    cp_test_assert_database_sound (database);

    store = cp_lead_store_new (database);
    {
      CpTaskFilter filter = { .lead_id = OLD_LEAD_ID, .include_closed = TRUE };
      g_autoptr(GPtrArray) tasks = cp_lead_store_list_tasks (store, &filter, &error);
      g_autoptr(GPtrArray) open = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (tasks->len, ==, 3);
      filter.include_closed = FALSE;
      open = cp_lead_store_list_tasks (store, &filter, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (open->len, ==, 1);
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

/* Schema 19: a rescore's tier changes go to rescore_changes, by run. The
 * rescore audit rows of a schema-18 file stay as they were, and the
 * lead's history reads both, in time order; the new table and the runs
 * are append-only. */
static void
test_migrate_18_rescore_changes (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *audit_before = NULL;
  g_autofree char *runs_before = NULL;

  if (cp_database_get_latest_schema_version () < 19)
    {
      g_test_skip ("schema 19 is not there");
      return;
    }
  {
    g_autoptr(CpDatabase) old = _cp_database_open_at_version (tmp->path, 18, &error);
    sqlite3 *handle;

    g_assert_no_error (error);
    handle = _cp_database_get_handle (old);
    cp_test_sqlite_exec (handle, OLD_LEAD_SQL);
    cp_test_sqlite_exec (handle,
                         "INSERT INTO rescore_runs (playbook_version, scored_at, leads, changed,"
                         "                          tier_changes, completed)"
                         " VALUES (3, 1600000400, 1, 1, 1, 1);"
                         "INSERT INTO audit_log (entity, entity_id, action, field, old_value,"
                         "                       new_value, actor, time, reason)"
                         " VALUES ('lead', '" OLD_LEAD_ID "', 'rescore', 'tier', 'unqualified',"
                         "         'nurture', 'ana', 1600000400,"
                         "         'Rescored with playbook version 3');");
    audit_before = table_text (handle, "audit_log");
    runs_before = table_text (handle, "rescore_runs");
  }
  {
    g_autoptr(CpDatabase) database = cp_database_open (tmp->path, &error);
    g_autoptr(CpLeadStore) store = NULL;
    g_autoptr(GPtrArray) history = NULL;
    g_autofree char *audit_after = NULL;
    g_autofree char *runs_after = NULL;
    const char *stale;
    sqlite3 *handle;
    guint rescores = 0;

    g_assert_no_error (error);
    g_assert_cmpint (cp_database_get_schema_version (database), ==,
                     cp_database_get_latest_schema_version ());
    handle = _cp_database_get_handle (database);
    /* The audit rows as they were; the old run gains an empty actor and
     * reason, nothing else. */
    audit_after = table_text (handle, "audit_log");
    g_assert_cmpstr (audit_after, ==, audit_before);
    runs_after = table_text (handle, "rescore_runs");
    g_assert_true (g_str_has_prefix (runs_after, runs_before));
    g_assert_cmpstr (runs_after + strlen (runs_before), ==, ",NULL,NULL");
    g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT count(*) FROM rescore_changes", NULL),
                     ==, 0);
    cp_test_assert_database_sound (database);

    /* Rescores now (the lead had no tier: the first gives it one, the
     * second puts back the tier made stale): their changes in
     * rescore_changes, one audit row per run's commit, none of the lead. */
    stale = cp_test_rescore_stale_tier (database, OLD_LEAD_ID, 1700000000);
    g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT count(*) FROM rescore_changes", NULL),
                     ==, 2);
    g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT count(*) FROM audit_log WHERE"
                                         " entity = 'lead'", NULL), ==, 1);
    g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT count(*) FROM audit_log WHERE"
                                         " entity = 'rescore_run' AND new_value = '1'", NULL),
                     ==, 2);

    /* The history: the old audit row, then the new change. */
    store = cp_lead_store_new (database);
    history = cp_lead_store_history (store, OLD_LEAD_ID, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < history->len; i++)
      {
        CpHistoryEntry *entry = history->pdata[i];

        if (g_strcmp0 (entry->action, "rescore") != 0)
          continue;
        g_assert_cmpstr (entry->field, ==, "tier");
        switch (rescores++)
          {
          case 0:
            g_assert_cmpint (entry->time, ==, 1600000400);
            g_assert_cmpstr (entry->old_value, ==, "unqualified");
            g_assert_cmpstr (entry->reason, ==, "Rescored with playbook version 3");
            g_assert_cmpstr (entry->actor, ==, "ana");
            break;
          case 1:
            g_assert_cmpint (entry->time, ==, 1700000000);
            g_assert_null (entry->old_value);
            g_assert_nonnull (entry->new_value);
            break;
          default:
            g_assert_cmpint (entry->time, ==, 1700000000);
            g_assert_cmpstr (entry->old_value, ==, stale);
            g_assert_cmpstr (entry->new_value, !=, stale);
            g_assert_nonnull (entry->new_value);
            g_assert_cmpstr (entry->actor, ==, "test-rescore");
            g_assert_cmpstr (entry->reason, ==, "Rescored with the default playbook");
            break;
          }
      }
    g_assert_cmpuint (rescores, ==, 3);

    /* Append-only: the changes; the runs keep what they say. */
    g_assert_cmpint (sqlite3_exec (handle, "UPDATE rescore_changes SET new_tier = 'sales_ready'",
                                   NULL, NULL, NULL), !=, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (handle, "DELETE FROM rescore_changes", NULL, NULL, NULL), !=,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (handle, "INSERT OR REPLACE INTO rescore_changes"
                                   " SELECT run_id, lead_rowid, NULL, NULL, 0, 0"
                                   " FROM rescore_changes", NULL, NULL, NULL), !=, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (handle, "DELETE FROM rescore_runs", NULL, NULL, NULL), !=,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (handle, "UPDATE rescore_runs SET scored_at = 1", NULL, NULL,
                                   NULL), !=, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (handle, "UPDATE rescore_runs SET reason = 'other'", NULL, NULL,
                                   NULL), !=, SQLITE_OK);
    g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT count(*) FROM rescore_changes", NULL),
                     ==, 2);
    g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT count(*) FROM rescore_runs", NULL),
                     ==, 3);
  }
}

/* The history rows written before schema 20 could be overwritten by an
 * INSERT OR REPLACE (a replace deletes without firing the DELETE
 * trigger); from schema 20 on every append-only table refuses it, its
 * rows stay as they were, and new rows are still appended. */
static const char * const replaces[] = {
  "INSERT OR REPLACE INTO audit_log (id, entity, entity_id, action, time)"
  " SELECT id, 'lead', entity_id, 'forged', 1 FROM audit_log",
  "REPLACE INTO stage_events (id, lead_id, to_stage, device_time)"
  " SELECT id, lead_id, 'closed_won', 1 FROM stage_events",
  "INSERT OR REPLACE INTO erasures (id, lead_id, actor, reason, erased_at)"
  " SELECT id, lead_id, 'mallory', 'forged', 1 FROM erasures",
  "INSERT OR REPLACE INTO rescore_runs (id, scored_at) SELECT id, 1 FROM rescore_runs",
  "INSERT OR REPLACE INTO playbook_versions (id, status, created_at, body)"
  " SELECT id, 'published', 1, '{}' FROM playbook_versions",
};

#define HISTORY_SQL                                                                         \
  "INSERT INTO audit_log (entity, entity_id, action, time) VALUES"                          \
  " ('lead', '" OLD_LEAD_ID "', 'create', 1600000000);"                                      \
  "INSERT INTO stage_events (lead_id, to_stage, device_time)"                               \
  " VALUES ('" OLD_LEAD_ID "', 'qualified', 1600000000);"                                    \
  "INSERT INTO erasures (lead_id, actor, reason, erased_at) VALUES ('x', 'ana', 'req', 1);"  \
  "INSERT INTO rescore_runs (scored_at) VALUES (1600000400);"                               \
  "INSERT INTO playbook_versions (status, effective_at, created_at, body)"                   \
  " VALUES ('published', 4000000000, 1, 'not in effect');"

static char *
history_text (sqlite3 *handle)
{
  const char *tables[] = { "audit_log", "stage_events", "erasures", "rescore_runs",
                           "playbook_versions" };
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *rows = table_text (handle, tables[i]);

      g_string_append_printf (text, "%s: %s\n", tables[i], rows);
    }
  return g_string_free (text, FALSE);
}

static void
test_migrate_19_no_replace (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;

  if (cp_database_get_latest_schema_version () < 20)
    {
      g_test_skip ("schema 20 is not there");
      return;
    }
  {
    g_autoptr(CpDatabase) old = _cp_database_open_at_version (tmp->path, 19, &error);
    g_autofree char *forged = NULL;
    sqlite3 *handle;

    g_assert_no_error (error);
    handle = _cp_database_get_handle (old);
    cp_test_sqlite_exec (handle, OLD_LEAD_SQL);
    cp_test_sqlite_exec (handle, HISTORY_SQL);
    before = history_text (handle);
    /* The hole, at schema 19: a replace rewrites an audit row. */
    cp_test_sqlite_exec (handle, "SAVEPOINT hole");
    cp_test_sqlite_exec (handle, replaces[0]);
    forged = table_text (handle, "audit_log");
    g_assert_nonnull (strstr (forged, "forged"));
    cp_test_sqlite_exec (handle, "ROLLBACK TO hole; RELEASE hole");
  }
  {
    g_autoptr(CpDatabase) database = cp_database_open (tmp->path, &error);
    g_autoptr(CpLeadStore) store = NULL;
    g_autofree char *after = NULL;
    g_autofree char *id = NULL;
    sqlite3 *handle;

    g_assert_no_error (error);
    g_assert_cmpint (cp_database_get_schema_version (database), ==,
                     cp_database_get_latest_schema_version ());
    handle = _cp_database_get_handle (database);
    for (guint i = 0; i < G_N_ELEMENTS (replaces); i++)
      {
        int rc = sqlite3_exec (handle, replaces[i], NULL, NULL, NULL);
        const char *message = sqlite3_errmsg (handle);

        g_assert_cmpint (rc & 0xff, ==, SQLITE_CONSTRAINT);
        g_assert_true (strstr (message, "append-only") != NULL ||
                       strstr (message, "immutable") != NULL);
      }
    after = history_text (handle);
    g_assert_cmpstr (after, ==, before);
    cp_test_assert_database_sound (database);

    /* The write path still appends: a new lead has its history rows. */
    store = cp_lead_store_new (database);
    id = cp_test_add_named (store, "New", "Row");
    g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT count(*) FROM stage_events", NULL), ==,
                     2);
    g_assert_cmpint (cp_test_sqlite_int (handle, "SELECT count(*) FROM audit_log WHERE"
                                         " entity = 'lead' AND action = 'create'", NULL), ==, 2);
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
  g_test_add_func ("/store/migrate/16-keeps-history", test_migrate_16_keeps_history);
  g_test_add_func ("/store/migrate/17-tasks-check", test_migrate_17_tasks_check);
  g_test_add_func ("/store/migrate/18-rescore-changes", test_migrate_18_rescore_changes);
  g_test_add_func ("/store/migrate/19-no-replace", test_migrate_19_no_replace);

  return g_test_run ();
}
