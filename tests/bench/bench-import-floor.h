/* bench-import-floor.h — what SQLite itself pays to add leads to a large database
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The anchor of "10,000 rows into a million leads against into an empty
 * database": the same kind of rows an import writes — each lead's row
 * (with every index, the search index's trigger and the stage totals'),
 * an audit row, a stage event and a response task — inserted by plain
 * SQL in one transaction, into a database with the app's schema, empty
 * or holding a million leads. Its ratio is what the tables' own indexes
 * cost as they outgrow the cache, whatever the code around them does. */
#pragma once

#include <sqlite3.h>

#include "bench-common.h"

/* Runs @sql on @db; any error ends the benchmark. */
static inline void
bench_floor_exec (sqlite3    *db,
                  const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("anchor: %s", message);
}

/* Adds 10,000 leads taken from @source (a demo database, opened
 * read-only), each made new — a new time-ordered id, its own email and
 * phone keys, stage New, no account, no CRM link — to the database at
 * @path, with the connection settings the app uses.
 * @run: makes this call's ids differ from another call's on the same file
 * Returns: the CPU time of the transaction and its checkpoint, in ms */
static inline double
bench_floor_insert (const char *path,
                    const char *source,
                    guint       run)
{
  g_autofree char *attach = g_strdup_printf ("ATTACH 'file:%s?mode=ro' AS s", source);
  g_autofree char *make_new = NULL;
  sqlite3 *db = NULL;
  double cpu_start, cpu;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, NULL) != SQLITE_OK)
    g_error ("anchor: cannot open %s", path);
  bench_floor_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                        " PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"
                        " PRAGMA cache_size = -32768");
  bench_floor_exec (db, attach);
  bench_floor_exec (db, "CREATE TEMP TABLE b AS SELECT * FROM s.leads WHERE rowid % 97 = 3"
                        " LIMIT 10000; DETACH s");
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
  bench_floor_exec (db,
      "BEGIN IMMEDIATE;"
      "INSERT INTO leads SELECT * FROM b ORDER BY rowid;"
      "INSERT INTO audit_log (entity, entity_id, action, field, old_value, new_value, actor, time,"
      "  reason)"
      "  SELECT 'lead', id, 'create', 'owner', NULL, owner, 'import:anchor', created_at,"
      "  'Imported, row ' || rowid FROM b ORDER BY rowid;"
      "INSERT INTO stage_events (lead_id, from_stage, to_stage, reason, actor, device_time)"
      "  SELECT id, NULL, 'new', 'Created', 'import:anchor', created_at FROM b ORDER BY rowid;"
      "INSERT INTO tasks (id, lead_id, kind, title, owner, due_at, origin, created_at, updated_at)"
      "  SELECT replace (id, '01a3c', '01a3d'), id, 'call', 'First response', owner,"
      "  created_at + 86400, 'sla', created_at, created_at FROM b ORDER BY rowid;"
      "COMMIT;"
      "PRAGMA wal_checkpoint (TRUNCATE);");
  cpu = bench_cpu_ms (RUSAGE_SELF) - cpu_start;
  sqlite3_close (db);
  return cpu;
}
