/* bench-import-floor.h — what SQLite itself pays to add leads to a large database
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The anchor of "10,000 rows into a million leads against into an empty
 * database": the same kind of rows an import writes — each lead's row
 * (with every index, the search index's trigger and the stage totals'),
 * an audit row, a stage event and a response task — inserted by plain
 * SQL in one transaction, into a database with the app's schema, empty
 * or holding a million leads. Its ratio is what the tables' own indexes
 * cost as they outgrow the cache, whatever the code around them does;
 * against `.import` into a bare table, what the tables, their indexes and
 * the search index cost, with nothing parsed, checked, scored or looked
 * up. */
#pragma once

#include <sqlite3.h>

#include "bench-common.h"
#include "cp-database.h"

/* Makes @path a database with the app's schema and no lead. */
static inline void
bench_floor_new_schema (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = cp_database_open (path, &error);

  g_assert_no_error (error);
}

/* Runs @sql on @db; any error ends the benchmark. */
static inline void
bench_floor_exec (sqlite3    *db,
                  const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("anchor: %s", message);
}

/* The SQL that drops the secondary indexes of the tables the rows go to
 * and the search index's triggers (as a deferred bulk load does, and a
 * few more: the floor is a floor), and the SQL that puts them back. */
static inline void
bench_floor_deferrable (sqlite3  *db,
                        GString  *drop,
                        GString  *rebuild)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) triggers = g_string_new (NULL);

  if (sqlite3_prepare_v2 (db, "SELECT type, name, sql FROM sqlite_master"
                              " WHERE sql IS NOT NULL AND ((type = 'index' AND sql NOT LIKE"
                              " 'CREATE UNIQUE%' AND tbl_name IN ('leads', 'audit_log',"
                              " 'stage_events', 'tasks', 'activities')) OR (type = 'trigger'"
                              " AND name LIKE"
                              " 'leads_fts_%'))", -1, &stmt, NULL) != SQLITE_OK)
    g_error ("anchor: %s", sqlite3_errmsg (db));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gboolean index = g_str_equal ((const char *) sqlite3_column_text (stmt, 0), "index");

      g_string_append_printf (drop, "DROP %s %s;", index ? "INDEX" : "TRIGGER",
                              (const char *) sqlite3_column_text (stmt, 1));
      g_string_append_printf (index ? rebuild : triggers, "%s;",
                              (const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_finalize (stmt);
  g_string_append (rebuild, "INSERT INTO leads_fts (leads_fts) VALUES ('rebuild');");
  g_string_append (rebuild, triggers->str);
}

/* Adds @n leads taken from @source (a demo database of a million, opened
 * read-only), each made new — a new time-ordered id, its own email and
 * phone keys, stage New, no account, no CRM link — to the database at
 * @path, with the connection settings the app uses.
 * @run: makes this call's ids differ from another call's on the same file
 * @deferred: drop the secondary indexes and the search index's triggers
 *   first and build them at the end, in the same transaction (what the
 *   import does into a database with fewer leads than it adds)
 * Returns: the CPU time of the transaction and its checkpoint, in ms */
static inline double
bench_floor_insert (const char *path,
                    const char *source,
                    guint       run,
                    guint       n,
                    gboolean    deferred)
{
  g_autofree char *attach = g_strdup_printf ("ATTACH 'file:%s?mode=ro' AS s", source);
  g_autofree char *sample = g_strdup_printf ("CREATE TEMP TABLE b AS SELECT * FROM s.leads"
                                             " WHERE rowid %% %u = 3 LIMIT %u; DETACH s",
                                             MAX (1000000 / MAX (n, 1), 1), n);
  g_autoptr(GString) drop = g_string_new (NULL);
  g_autoptr(GString) rebuild = g_string_new (NULL);
  g_autofree char *make_new = NULL;
  sqlite3 *db = NULL;
  double cpu_start, cpu;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, NULL) != SQLITE_OK)
    g_error ("anchor: cannot open %s", path);
  bench_floor_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                        " PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"
                        " PRAGMA cache_size = -32768");
  bench_floor_exec (db, attach);
  bench_floor_exec (db, sample);
  if (deferred)
    {
      /* The bulk writes' settings (cp_database_set_bulk_writes()). */
      bench_floor_exec (db, "PRAGMA cache_size = -131072; PRAGMA wal_autocheckpoint = 16384");
      bench_floor_deferrable (db, drop, rebuild);
    }
  make_new = g_strdup_printf (
      "UPDATE b SET id = printf ('01a3c%03x-%%04x-7%%03x-8000-%%012x', rowid / 4096, rowid %% 4096,"
      "   rowid),"
      " email_key = lower (hex (randomblob (10))),"
      " email = lower (hex (randomblob (6))) || '@example.org',"
      " phone_key = lower (hex (randomblob (6))), remote_id = NULL, account_id = NULL,"
      " created_at = unixepoch (), updated_at = unixepoch (), deleted_at = 0, merged_into = NULL,"
      " possible_duplicate_of = NULL, stage = 'new', erased_at = 0",
      run % 4096);
  bench_floor_exec (db, make_new);

  cpu_start = bench_cpu_ms (RUSAGE_SELF);
  bench_floor_exec (db, "BEGIN IMMEDIATE");
  bench_floor_exec (db, drop->str);
  bench_floor_exec (db,
      "INSERT INTO leads SELECT * FROM b ORDER BY rowid;"
      "INSERT INTO audit_log (entity, entity_id, action, field, old_value, new_value, actor, time,"
      "  reason)"
      "  SELECT 'lead', id, 'create', 'owner', NULL, owner, 'import:anchor', created_at,"
      "  'Imported, row ' || rowid FROM b ORDER BY rowid;"
      "INSERT INTO stage_events (lead_id, from_stage, to_stage, reason, actor, device_time)"
      "  SELECT id, NULL, 'new', 'Created', 'import:anchor', created_at FROM b ORDER BY rowid;"
      "INSERT INTO tasks (id, lead_id, kind, title, owner, due_at, origin, created_at, updated_at)"
      "  SELECT replace (id, '01a3c', '01a3d'), id, 'call', 'First response', owner,"
      "  created_at + 86400, 'sla', created_at, created_at FROM b ORDER BY rowid;");
  bench_floor_exec (db, rebuild->str);
  bench_floor_exec (db, "COMMIT; PRAGMA wal_checkpoint (TRUNCATE);");
  cpu = bench_cpu_ms (RUSAGE_SELF) - cpu_start;
  sqlite3_close (db);
  return cpu;
}
