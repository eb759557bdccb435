/* cp-bulk-load.c — many new rows in a row, with index builds deferred when that pays
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-bulk-load"

#include "config.h"

#include <glib/gi18n-lib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cp-bulk-load.h"
#include "cp-database-private.h"

/*
 * A load of many new leads through the write path (the demo generator;
 * later the CSV import) spends most of its time keeping indexes current:
 * a new lead touches some twenty indexes of `leads`, and every statement
 * that writes a lead makes the search index (FTS5) flush what it holds
 * at the statement's savepoint. Into a database that holds fewer leads
 * than the load adds, building those once at the end costs a fraction.
 *
 * What is deferred: the search index's triggers (the index is rebuilt
 * from `leads`), and the indexes listed below — those the write path
 * never reads (filters, reports, sync, the duplicate finder). The
 * indexes it reads (a lead by id, an organization's contacts, a lead's
 * activities, the unique keys that refuse duplicates) stay, so every
 * lead is judged, derived and audited exactly as one typed in.
 *
 * Memory: the builds sort every key of a table. The connection keeps
 * its temporary storage in memory (statement journals, small), and with
 * that SQLite's sorter never writes a sorted run to a file: building
 * `stage_events_lead` over a million leads' 3.1 million stage events
 * held 330 MiB of keys at once. For the builds the load switches to temporary files:
 * the sorter then keeps runs of at most SORT_CACHE_KIB in memory and
 * merges them from disk, and the peak no longer grows with the load.
 *
 * Crash safety: a deferred load is ONE transaction, from the first drop
 * to the last rebuild. Killed midway, the database is as before the load
 * (SQLite rolls the write-ahead log back): nothing of it is visible, and
 * never a database without its indexes. A load per batch commits each
 * batch whole, indexes current; a batch once committed stays.
 *
 * Into a new file (CP_BULK_LOAD_AUTO_NEW_FILE) the write-ahead log would
 * hold the whole load, to be copied into the file after the commit: the
 * load is written twice. There the transaction goes through a rollback
 * journal instead, which keeps only the pages the file had before it (the
 * empty schema: pages past the file's old end are not journalled, a
 * rollback cuts them off), so the load is written once, in place, and is
 * still all or nothing: killed, the journal left behind is rolled back
 * when the file is next opened. Leaving the log needs every other
 * connection closed: SQLite refuses otherwise, and the load stays in the
 * log. The log is back on after the load, committed or not.
 */

/* The page cache while the deferred indexes are built; also the most
 * the sorter holds in memory before it writes a sorted run to a file. */
#define SORT_CACHE_KIB 16384

struct _CpBulkLoad
{
  CpDatabase *database;
  gboolean    deferred;
  gboolean    keep_duplicate_keys;
  gboolean    journalled; /* through a rollback journal, not the log */
  GPtrArray  *rebuild;    /* SQL that puts back what was dropped, in order */
};

static const char * const deferred_indexes[] = {
  "leads_stage_score", "leads_owner", "leads_queue", "leads_service_line", "leads_location",
  "leads_source_channel", "leads_lead_type", "leads_tier", "leads_consent", "leads_sla_open",
  "leads_created", "leads_updated", "leads_email_key", "leads_phone_key", "leads_location_key",
  "leads_remote_id", "leads_stage_activity", "leads_stage_created",
  "stage_events_lead", "audit_log_entity",
};
/* Kept live although the write path does not read them: `leads_deleted`
 * holds only deleted leads, which a load does not make, so keeping it
 * current costs a test per lead, where building it reads the whole
 * `leads` table (70 ms at 100,000 leads, ~1.2 s at a million). Measured
 * the other way, the low-cardinality indexes (owner, queue, service line,
 * location, channel, type, consent) kept live cost more than their
 * builds: +770 M instructions at 20,000 leads (+6 %, cachegrind).
 * docs/performance-generate.md, session 12. */

/* Read by the duplicate search (cp_lead_store_find_duplicates()). */
static const char * const duplicate_key_indexes[] = {
  "leads_email_key", "leads_phone_key", "leads_location_key", NULL,
};

static const char * const deferred_triggers[] = {
  "leads_fts_insert", "leads_fts_update", "leads_fts_delete",
  /* A seek per history row; the load is the only writer and replaces nothing. */
  "audit_log_no_replace", "stage_events_no_replace",
};

static void
bulk_load_free (CpBulkLoad *self)
{
  if (self->deferred)
    _cp_database_release_writes (self->database);
  g_clear_pointer (&self->rebuild, g_ptr_array_unref);
  g_clear_object (&self->database);
  g_free (self);
}

static gboolean
count_leads (CpDatabase *database,
             gint64     *out_count,
             GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt = _cp_database_prepare (database, "SELECT count(*) FROM leads", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_count = sqlite3_column_int64 (stmt, 0);
  else
    _cp_database_set_error (database, error, rc, "count leads");
  sqlite3_finalize (stmt);
  return rc == SQLITE_ROW;
}

/* Drops @name (an index or a trigger) when it exists, keeping its SQL. */
static gboolean
drop_one (CpBulkLoad  *self,
          const char  *type,
          const char  *name,
          GError     **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *sql = NULL;
  g_autofree char *drop = NULL;
  int rc;

  stmt =
      _cp_database_prepare (self->database,
                            "SELECT sql FROM sqlite_schema WHERE type = ?1 AND name = ?2", error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, type);
  _cp_bind_text (stmt, 2, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    sql = g_strdup (_cp_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, "read schema");
      return FALSE;
    }
  if (sql == NULL)
    return TRUE;

  drop =
      g_strdup_printf ("DROP %s \"%s\"", g_str_equal (type, "index") ? "INDEX" : "TRIGGER", name);
  if (!_cp_database_exec (self->database, drop, error))
    return FALSE;
  g_ptr_array_add (self->rebuild, g_steal_pointer (&sql));
  return TRUE;
}

static gboolean
defer_indexes (CpBulkLoad  *self,
               GError     **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (deferred_triggers); i++)
    if (!drop_one (self, "trigger", deferred_triggers[i], error))
      return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (deferred_indexes); i++)
    if (!(self->keep_duplicate_keys &&
          g_strv_contains ((const char * const *) duplicate_key_indexes, deferred_indexes[i])) &&
        !drop_one (self, "index", deferred_indexes[i], error))
      return FALSE;
  return TRUE;
}

/* Whether the main database, as the open transaction sees it, fits in
 * the page cache as it is now (the bulk writes'); on failure, no (the
 * cautious answer). */
static gboolean
database_fits_cache (CpDatabase *database)
{
  sqlite3_stmt *stmt =
      _cp_database_prepare (database,
                            "SELECT p.page_count * s.page_size <= CASE WHEN c.cache_size < 0"
                            " THEN -1024 * c.cache_size ELSE c.cache_size * s.page_size END"
                            " FROM pragma_page_count () AS p, pragma_page_size () AS s,"
                            " pragma_cache_size () AS c",
                            NULL);
  gboolean fits = FALSE;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    fits = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_finalize (stmt);
  return fits;
}

/* Temporary files (and a smaller cache) for the deferred builds' sorts,
 * or back to the connection's usual temporary storage in memory. */
static void
sort_on_disk (CpBulkLoad *self,
              gboolean    on_disk)
{
  g_autoptr(GError) local_error = NULL;

  if (!on_disk)
    {
      _cp_database_exec (self->database, "PRAGMA temp_store = MEMORY", NULL);
      return;
    }
  /* A database the bulk cache holds whole stays in it: each of the
   * builds scans `leads` again, and from the cache that is no copy out
   * of the log (a load of 30,000 leads). A larger one's pages, written
   * out (to the log, uncommitted), leave for the smaller cache: the
   * memory they held goes back to the system before the sorts take
   * theirs. */
  if (!database_fits_cache (self->database))
    {
      sqlite3_db_cacheflush (_cp_database_get_handle (self->database));
      _cp_database_exec (self->database, "PRAGMA cache_size = -" G_STRINGIFY (SORT_CACHE_KIB), NULL);
      sqlite3_db_release_memory (_cp_database_get_handle (self->database));
#ifdef __GLIBC__
      malloc_trim (0);
#endif
    }
  if (!_cp_database_exec (self->database, "PRAGMA temp_store = FILE", &local_error))
    g_warning ("Index builds sort in memory: %s", local_error->message);
}

/* Sets the journal mode; whether SQLite took it (leaving the log needs
 * the only connection to the file). */
static gboolean
set_journal_mode (CpDatabase *database,
                  const char *mode)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA journal_mode = %s", mode);
  sqlite3_stmt *stmt = _cp_database_prepare (database, sql, NULL);
  gboolean taken = FALSE;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    taken = g_ascii_strcasecmp (_cp_column_text (stmt, 0), mode) == 0;
  sqlite3_finalize (stmt);
  return taken;
}

/* Back to the write-ahead log after a load through a rollback journal. */
static void
journal_back_to_log (CpBulkLoad *self)
{
  if (!self->journalled)
    return;
  self->journalled = FALSE;
  if (!set_journal_mode (self->database, "wal"))
    g_warning ("The database could not go back to its write-ahead log: %s",
               sqlite3_errmsg (_cp_database_get_handle (self->database)));
}

/**
 * cp_bulk_load_begin:
 * @n_leads: how many leads the load will add
 * @mode: whether index builds may be deferred
 *
 * Opens the load's (first) transaction, in bulk-write mode (see
 * cp_database_set_bulk_writes()). Write the rows through the write path,
 * call cp_bulk_load_batch_done() after each batch, then
 * cp_bulk_load_finish(), or cp_bulk_load_abort() on failure.
 *
 * Returns: (transfer full): the load, or %NULL with @error set
 */
CpBulkLoad *
cp_bulk_load_begin (CpDatabase      *database,
                    guint            n_leads,
                    CpBulkLoadMode   mode,
                    GError         **error)
{
  CpBulkLoad *self;
  gint64 existing = 0;

  g_return_val_if_fail (CP_IS_DATABASE (database), NULL);
  g_return_val_if_fail (!cp_database_in_transaction (database), NULL);

  self = g_new0 (CpBulkLoad, 1);
  self->database = g_object_ref (database);
  self->rebuild = g_ptr_array_new_with_free_func (g_free);

  cp_database_set_bulk_writes (database, TRUE);
  /* The switch to temporary files at the end is refused inside a
   * transaction while a temporary database is open (a check leaves one):
   * close it now, outside any. */
  _cp_database_exec (database, "PRAGMA temp_store = FILE", NULL);
  _cp_database_exec (database, "PRAGMA temp_store = MEMORY", NULL);
  if (mode == CP_BULK_LOAD_AUTO_NEW_FILE)
    {
      self->journalled = set_journal_mode (database, "delete");
      if (!self->journalled)
        g_debug ("the file is open elsewhere: the load goes through the write-ahead log");
    }
  if (!cp_database_begin (database, error))
    {
      journal_back_to_log (self);
      cp_database_set_bulk_writes (database, FALSE);
      bulk_load_free (self);
      return NULL;
    }
  self->keep_duplicate_keys = mode == CP_BULK_LOAD_AUTO_DUPLICATE_KEYS;
  if (mode != CP_BULK_LOAD_PER_BATCH)
    {
      if (!count_leads (database, &existing, error))
        {
          cp_bulk_load_abort (self);
          return NULL;
        }
      self->deferred = existing < (gint64) n_leads;
    }
  /* A deferred load holds the write lock until it ends: the app's other
   * connections are told so at once (cp_database_begin()). */
  if (self->deferred)
    _cp_database_hold_writes (database);
  if (self->deferred && !defer_indexes (self, error))
    {
      cp_bulk_load_abort (self);
      return NULL;
    }
  g_debug ("bulk load of %u leads into %" G_GINT64_FORMAT ": %s, %s", n_leads, existing,
           self->deferred ? "index builds deferred, one transaction" : "a transaction per batch",
           self->journalled ? "rollback journal" : "write-ahead log");
  return self;
}

/**
 * cp_bulk_load_is_deferred:
 *
 * Returns: whether the load is one transaction with its index builds
 *   deferred (else a transaction per batch)
 */
gboolean
cp_bulk_load_is_deferred (CpBulkLoad *self)
{
  return self->deferred;
}

/**
 * cp_bulk_load_batch_done:
 *
 * Ends a batch: in a load per batch, commits it and opens the next
 * transaction; in a deferred load, nothing (what is written so far spills
 * to the write-ahead log, uncommitted). On failure the load is still
 * open: abort it.
 */
gboolean
cp_bulk_load_batch_done (CpBulkLoad  *self,
                         GError     **error)
{
  if (self->deferred)
    return TRUE;
  return cp_database_commit (self->database, error) && cp_database_begin (self->database, error);
}

/**
 * cp_bulk_load_finish:
 *
 * Builds what was deferred (the indexes, the search index from `leads`)
 * and commits. Frees the load, whatever the outcome: on failure nothing
 * of the open transaction is kept.
 */
gboolean
cp_bulk_load_finish (CpBulkLoad  *self,
                     GError     **error)
{
  gboolean ok = TRUE;
  gint64 start = g_get_monotonic_time (), built = start, indexed = start, committed = start;

  if (self->deferred)
    sort_on_disk (self, TRUE);
  for (guint i = 0; ok && i < self->rebuild->len; i++)
    {
      gint64 one = g_get_monotonic_time ();

      ok = _cp_database_exec (self->database, self->rebuild->pdata[i], error);
      g_debug ("%" G_GINT64_FORMAT " ms: %.48s", (g_get_monotonic_time () - one) / 1000,
               (const char *) self->rebuild->pdata[i]);
    }
  built = g_get_monotonic_time ();
  if (ok && self->deferred)
    ok = _cp_database_exec (self->database, "INSERT INTO leads_fts (leads_fts) VALUES ('rebuild')",
                            error);
  indexed = g_get_monotonic_time ();
  if (ok)
    ok = cp_database_commit (self->database, error);
  committed = g_get_monotonic_time ();
  if (!ok)
    {
      cp_bulk_load_abort (self);
      return FALSE;
    }

  sort_on_disk (self, FALSE);
  journal_back_to_log (self);
  cp_database_set_bulk_writes (self->database, FALSE);
  /* One transaction the size of the load left a log as large: give the
   * disk back now that it is copied into the database. */
  if (self->deferred)
    _cp_database_exec (self->database, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
  g_debug ("bulk load finished: indexes %" G_GINT64_FORMAT " ms, search index %" G_GINT64_FORMAT
           " ms, commit %" G_GINT64_FORMAT " ms, checkpoint %" G_GINT64_FORMAT " ms",
           (built - start) / 1000, (indexed - built) / 1000, (committed - indexed) / 1000,
           (g_get_monotonic_time () - committed) / 1000);
  bulk_load_free (self);
  return TRUE;
}

/**
 * cp_bulk_load_abort:
 *
 * Rolls back the open transaction (in a deferred load, the whole load,
 * indexes dropped included) and frees the load.
 */
void
cp_bulk_load_abort (CpBulkLoad *self)
{
  if (cp_database_in_transaction (self->database))
    cp_database_rollback (self->database);
  sort_on_disk (self, FALSE);
  journal_back_to_log (self);
  cp_database_set_bulk_writes (self->database, FALSE);
  bulk_load_free (self);
}
