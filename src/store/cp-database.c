/* cp-database.c — one SQLite connection: open, migrate, statements, transactions
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-database"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cp-database-private.h"
#include "cp-normalize.h"
#include "cp-schema.h"

struct _CpDatabase
{
  GObject        parent_instance;

  sqlite3       *handle;
  char          *path;
  char          *backup_path;
  sqlite3_stmt  *statements[CP_N_STATEMENTS];
  GHashTable    *built;                /* SQL text → statement (_cp_database_built_statement) */
  guint          transaction_depth;
  guint64        transaction_serial;   /* counts top-level transactions */
  int            schema_version;
  gboolean       readonly;
};

G_DEFINE_FINAL_TYPE (CpDatabase, cp_database, G_TYPE_OBJECT)

enum {
  TRANSACTION_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_cp_bind_text (sqlite3_stmt *stmt,
               int           index,
               const char   *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

const char *
_cp_column_text (sqlite3_stmt *stmt,
                 int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

void
_cp_database_set_error (CpDatabase  *self,
                        GError     **error,
                        int          code,
                        const char  *context)
{
  int primary = code & 0xff;
  const char *detail = self->handle != NULL ? sqlite3_errmsg (self->handle) : sqlite3_errstr (code);

  switch (primary)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_BUSY,
                   _("The database is busy: another Carepath window or tool is writing to it. "
                     "Try again in a moment."));
      break;
    case SQLITE_FULL:
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_QUERY,
                   _("The disk is full: nothing was saved. Free some space and try again."));
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_CORRUPT,
                   _("“%s” is damaged or is not a Carepath database (%s)."),
                   self->path, detail);
      break;
    case SQLITE_READONLY:
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_READ_ONLY,
                   _("Read-only: this database cannot be changed (“%s”)."), self->path);
      break;
    case SQLITE_CONSTRAINT:
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("%s: the change breaks a rule of the database (%s)."), context, detail);
      break;
    default:
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_QUERY,
                   "%s: %s", context, detail);
    }
}

/* For a write path to refuse at once, before it judges a change that
 * could not be saved anyway; SQLite refuses any write that gets past it
 * with the same words. */
gboolean
_cp_database_check_writable (CpDatabase  *self,
                             GError     **error)
{
  if (!self->readonly)
    return TRUE;
  g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_READ_ONLY,
               _("Read-only: this database cannot be changed (“%s”)."), self->path);
  return FALSE;
}

sqlite3 *
_cp_database_get_handle (CpDatabase *self)
{
  return self->handle;
}

sqlite3_stmt *
_cp_database_prepare (CpDatabase  *self,
                      const char  *sql,
                      GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v3 (self->handle, sql, -1, 0, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      _cp_database_set_error (self, error, rc, _("Could not prepare a query"));
      return NULL;
    }

  return stmt;
}

/**
 * _cp_database_statement:
 *
 * Returns: (transfer none): the cached statement, reset and with its
 *   bindings cleared, ready to bind and step.
 */
sqlite3_stmt *
_cp_database_statement (CpDatabase   *self,
                        CpStatement   statement,
                        GError      **error)
{
  sqlite3_stmt *stmt;

  g_assert (statement < CP_N_STATEMENTS);

  stmt = self->statements[statement];
  if (stmt == NULL)
    {
      int rc = sqlite3_prepare_v3 (self->handle, _cp_statement_sql[statement], -1,
                                   SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
      if (rc != SQLITE_OK)
        {
          _cp_database_set_error (self, error, rc, _("Could not prepare a query"));
          return NULL;
        }
      self->statements[statement] = stmt;
    }
  else
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }

  return stmt;
}

static void
finalize_built (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* Statements built from parts (an UPDATE of the columns that changed)
 * come in a few shapes that recur; more than this many are not kept. */
#define MAX_BUILT_STATEMENTS 256

/**
 * _cp_database_built_statement:
 * @sql: a statement built by the caller, from fixed parts only (column
 *   names, never values)
 *
 * Like _cp_database_statement(), for SQL whose shape depends on the call:
 * prepared once per shape and kept with the connection.
 *
 * Returns: (transfer none): the statement, reset and with its bindings
 *   cleared
 */
sqlite3_stmt *
_cp_database_built_statement (CpDatabase  *self,
                              const char  *sql,
                              GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (self->built == NULL)
    self->built = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_built);
  stmt = g_hash_table_lookup (self->built, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (g_hash_table_size (self->built) >= MAX_BUILT_STATEMENTS)
    g_hash_table_remove_all (self->built);
  rc = sqlite3_prepare_v3 (self->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _cp_database_set_error (self, error, rc, _("Could not prepare a query"));
      return NULL;
    }
  g_hash_table_insert (self->built, g_strdup (sql), stmt);
  return stmt;
}

gboolean
_cp_database_exec (CpDatabase  *self,
                   const char  *sql,
                   GError     **error)
{
  int rc = sqlite3_exec (self->handle, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      _cp_database_set_error (self, error, rc, _("Database command failed"));
      return FALSE;
    }

  return TRUE;
}

/* Steps a statement that returns no rows, and resets it. */
gboolean
_cp_database_step_done (CpDatabase    *self,
                        sqlite3_stmt  *stmt,
                        GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _cp_database_set_error (self, error, rc, _("Could not write to the database"));
      return FALSE;
    }

  return TRUE;
}

/* carepath_email_key (email): the duplicate-matching key of an address,
 * as the store computes it, for migrations that recompute stored keys. */
static void
email_key_function (sqlite3_context  *context,
                    int               argc,
                    sqlite3_value   **argv)
{
  const char *email = (const char *) sqlite3_value_text (argv[0]);
  g_autofree char *key = email != NULL ? cp_normalize_email (email) : NULL;

  if (key == NULL)
    sqlite3_result_null (context);
  else
    sqlite3_result_text (context, key, -1, SQLITE_TRANSIENT);
}

static int
cp_database_read_pragma_int (CpDatabase *self,
                             const char *pragma)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA %s", pragma);
  sqlite3_stmt *stmt = NULL;
  int value = -1;

  if (sqlite3_prepare_v2 (self->handle, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static gboolean
cp_database_has_foreign_tables (CpDatabase *self)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (self->handle, "SELECT 1 FROM sqlite_master LIMIT 1", -1,
                          &stmt, NULL) == SQLITE_OK)
    found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);

  return found;
}

/* The database file and its -wal/-shm siblings hold personal data: 0600
 * (SQLite gives the siblings the database file's mode).
 *
 * An existing file is never opened here, only changed by name: closing
 * any descriptor of a file drops every POSIX lock this process holds on
 * it, so a close() here while another connection of this process has the
 * database open (the app opens one per worker) would drop that
 * connection's shared lock. Another process (the CLI) could then take it
 * for the last connection, copy the write-ahead log back and delete it
 * under our feet: this process would go on reading a deleted log, blind
 * to every later change, and its own later commits would be lost. */
static gboolean
cp_database_prepare_file (const char  *path,
                          GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  GStatBuf st;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_OPEN,
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (g_stat (path, &st) == 0)
    {
      if ((st.st_mode & 0777) != 0600 && g_chmod (path, 0600) != 0)
        g_warning ("Could not restrict the permissions of the database file: %s", g_strerror (errno));
      return TRUE;
    }

  /* A new file: nobody can have it open yet. */
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_OPEN,
                   _("Could not open “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  if (fchmod (fd, 0600) != 0)
    g_warning ("Could not restrict the permissions of the database file: %s", g_strerror (errno));
  close (fd);

  return TRUE;
}

/* Whether an existing database file must be opened read-only: one its
 * user cannot write (a colleague's copy, a file on read-only media), one
 * marked read-only (no write permission for anyone: even an account that
 * could write anyway respects it), or one in a folder where the journal
 * cannot be created. */
static gboolean
cp_database_file_is_read_only (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  GStatBuf st;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return FALSE;   /* missing: created read-write */
  return (st.st_mode & 0222) == 0 || g_access (path, W_OK) != 0 || g_access (dir, W_OK) != 0;
}

/* Whether a database opened read-only can only be read as immutable:
 * its folder cannot be written and it has no write-ahead log. */
static gboolean
cp_database_needs_immutable (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  return g_access (dir, W_OK) != 0 && !g_file_test (wal, G_FILE_TEST_EXISTS) &&
         !g_file_test (shm, G_FILE_TEST_EXISTS);
}

static gboolean
cp_database_backup (CpDatabase  *self,
                    GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_clear_pointer (&self->backup_path, g_free);
  self->backup_path = g_strdup_printf ("%s.bak-v%d", self->path, self->schema_version);
  /* A stale copy from an interrupted earlier attempt would make VACUUM INTO
   * fail. The copy holds personal data: it is created private, then filled
   * (VACUUM INTO accepts an existing empty file). */
  g_unlink (self->backup_path);
  {
    int fd = g_open (self->backup_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0)
      close (fd);
  }

  rc = sqlite3_prepare_v2 (self->handle, "VACUUM INTO ?", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, self->backup_path, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self, error, rc, _("Could not copy the database before upgrading it"));
      return FALSE;
    }
  g_chmod (self->backup_path, 0600);

  return TRUE;
}

gboolean
_cp_database_migrate_to (CpDatabase  *self,
                         int          target,
                         GError     **error)
{
  g_return_val_if_fail (target <= cp_schema_latest_version (), FALSE);

  while (self->schema_version < target)
    {
      int next = self->schema_version + 1;
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", next);
      g_autoptr(GError) local_error = NULL;

      if (!_cp_database_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;

      if (!_cp_database_exec (self, cp_schema_migration (next), &local_error) ||
          (next == 1 && !_cp_database_exec (self, "PRAGMA application_id = 1128354373",
                                            &local_error)) ||
          !_cp_database_exec (self, set_version, &local_error) ||
          !_cp_database_exec (self, "COMMIT", &local_error))
        {
          _cp_database_exec (self, "ROLLBACK", NULL);
          g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_MIGRATION,
                       _("Could not upgrade the database to version %d: %s. "
                         "The database was left as it was."),
                       next, local_error->message);
          return FALSE;
        }

      self->schema_version = next;
      g_debug ("Migrated database to schema version %d", next);
    }

  return TRUE;
}

static CpDatabase *
cp_database_open_internal (const char  *path,
                           gboolean     readonly,
                           int          target_version,
                           GError     **error)
{
  g_autoptr(CpDatabase) self = g_object_new (CP_TYPE_DATABASE, NULL);
  int flags;
  int rc;
  int application_id;

  self->path = g_strdup (path);
  self->readonly = readonly;

  if (readonly)
    {
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_OPEN,
                       _("There is no database at “%s”."), path);
          return NULL;
        }
      flags = SQLITE_OPEN_READONLY;
    }
  else
    {
      if (!cp_database_prepare_file (path, error))
        return NULL;
      flags = SQLITE_OPEN_READWRITE;
    }

  if (readonly && cp_database_needs_immutable (path))
    {
      /* In a folder that cannot be written, SQLite cannot create the
       * write-ahead log's index to read through: with no log there, the
       * whole database is in the file and nobody can change it. */
      g_autofree char *escaped = g_uri_escape_string (path, "/", FALSE);
      g_autofree char *uri = g_strdup_printf ("file:%s?immutable=1", escaped);

      rc = sqlite3_open_v2 (uri, &self->handle, flags | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                            NULL);
    }
  else
    rc = sqlite3_open_v2 (path, &self->handle, flags | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      _cp_database_set_error (self, error, rc, _("Could not open the database"));
      return NULL;
    }
  sqlite3_extended_result_codes (self->handle, 1);
  sqlite3_busy_timeout (self->handle, 5000);
  sqlite3_create_function (self->handle, "carepath_email_key", 1,
                           SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                           email_key_function, NULL, NULL);

  self->schema_version = cp_database_read_pragma_int (self, "user_version");
  application_id = cp_database_read_pragma_int (self, "application_id");
  if (self->schema_version < 0)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_CORRUPT,
                   _("“%s” is damaged or is not a Carepath database."), path);
      return NULL;
    }
  if ((self->schema_version == 0 && cp_database_has_foreign_tables (self)) ||
      (self->schema_version > 0 && application_id != CP_SCHEMA_APPLICATION_ID))
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_CORRUPT,
                   _("“%s” is a database of another program, not of Carepath."), path);
      return NULL;
    }
  if (self->schema_version > cp_schema_latest_version ())
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_TOO_NEW,
                   _("“%s” was written by a newer version of Carepath (database version %d; "
                     "this version understands up to %d). Update Carepath to open it."),
                   path, self->schema_version, cp_schema_latest_version ());
      return NULL;
    }

  if (!readonly)
    {
      if (!_cp_database_exec (self, "PRAGMA journal_mode = WAL", error) ||
          !_cp_database_exec (self, "PRAGMA synchronous = NORMAL", error) ||
          !_cp_database_exec (self, "PRAGMA foreign_keys = ON", error) ||
          !_cp_database_exec (self, "PRAGMA temp_store = MEMORY", error) ||
          !_cp_database_exec (self, "PRAGMA cache_size = -32768", error))
        return NULL;

      if (self->schema_version > 0 && self->schema_version < target_version &&
          !cp_database_backup (self, error))
        return NULL;

      if (!_cp_database_migrate_to (self, target_version, error))
        return NULL;
    }
  else
    {
      /* An upgrade writes: a file that cannot be written cannot be read
       * by this version until someone who can write opens it. */
      if (self->schema_version < cp_schema_latest_version ())
        {
          g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_MIGRATION,
                       _("“%s” was made by an older version of Carepath (database version %d) "
                         "and needs an upgrade to version %d before it can be read, which "
                         "changes the file, but it is opened read-only. Open it once where "
                         "it can be changed, or open a copy you can write to."),
                       path, self->schema_version, cp_schema_latest_version ());
          return NULL;
        }
      _cp_database_exec (self, "PRAGMA query_only = ON", NULL);
    }

  return g_steal_pointer (&self);
}

static void
cp_database_finalize (GObject *object)
{
  CpDatabase *self = CP_DATABASE (object);

  for (guint i = 0; i < CP_N_STATEMENTS; i++)
    g_clear_pointer (&self->statements[i], sqlite3_finalize);
  g_clear_pointer (&self->built, g_hash_table_unref);
  if (self->handle != NULL)
    {
      if (self->transaction_depth > 0)
        sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
      /* SQLite's advice: refresh planner statistics that this connection's
       * queries showed to be useful, bounded so closing stays quick. */
      if (!self->readonly)
        sqlite3_exec (self->handle, "PRAGMA analysis_limit = 400; PRAGMA optimize;",
                      NULL, NULL, NULL);
      sqlite3_close_v2 (self->handle);
    }
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->backup_path, g_free);

  G_OBJECT_CLASS (cp_database_parent_class)->finalize (object);
}

static void
cp_database_class_init (CpDatabaseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cp_database_finalize;

  /**
   * CpDatabase::transaction-finished:
   * @committed: %TRUE for a commit, %FALSE for a rollback
   *
   * Emitted when the outermost transaction ends.
   */
  signals[TRANSACTION_FINISHED] =
    g_signal_new ("transaction-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
cp_database_init (CpDatabase *self)
{
}

/**
 * cp_database_open:
 * @path: the database file; created (mode 0600) with its folder if missing
 *
 * Opens a connection for this thread, upgrading the schema when needed
 * (after copying the file to `PATH.bak-vN`). A database from a newer
 * Carepath, or a file that is not a Carepath database, is refused.
 *
 * A file that cannot be written (or is marked read-only) is opened
 * read-only, as cp_database_open_readonly() does: it is never upgraded,
 * cp_database_is_read_only() says so, and every write fails with
 * %CP_STORE_ERROR_READ_ONLY. One too old to read without an upgrade is
 * refused with %CP_STORE_ERROR_MIGRATION.
 */
CpDatabase *
cp_database_open (const char  *path,
                  GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (cp_database_file_is_read_only (path))
    {
      g_debug ("The database file cannot be written: opening it read-only");
      return cp_database_open_internal (path, TRUE, cp_schema_latest_version (), error);
    }
  return cp_database_open_internal (path, FALSE, cp_schema_latest_version (), error);
}

/* For tests of migrations: a database created only up to @version. */
CpDatabase *
_cp_database_open_at_version (const char  *path,
                              int          version,
                              GError     **error)
{
  return cp_database_open_internal (path, FALSE, version, error);
}

/**
 * cp_database_set_bulk_writes:
 * @bulk: %TRUE before many commits in a row (a sync pull, an import),
 *   %FALSE after them
 *
 * While on, the write-ahead log is copied back into the database every
 * 64 MiB instead of every 4 MiB, so that a page changed by many
 * consecutive commits (an index, the search index) is copied back once,
 * not once per commit; turning it off copies back what is left. Every
 * commit stays a commit: this changes when work is done, not what is
 * kept.
 */
void
cp_database_set_bulk_writes (CpDatabase *self,
                             gboolean    bulk)
{
  g_return_if_fail (CP_IS_DATABASE (self));

  if (bulk)
    {
      _cp_database_exec (self, "PRAGMA wal_autocheckpoint = 16384", NULL);
      _cp_database_exec (self, "PRAGMA cache_size = -131072", NULL);
    }
  else
    {
      _cp_database_exec (self, "PRAGMA cache_size = -32768", NULL);
      _cp_database_exec (self, "PRAGMA wal_autocheckpoint = 1000", NULL);
      _cp_database_exec (self, "PRAGMA wal_checkpoint(PASSIVE)", NULL);
    }
}

/**
 * cp_database_open_readonly:
 *
 * A second connection for a reader (reports, benchmarks): it sees the last
 * committed state while a writer works.
 */
CpDatabase *
cp_database_open_readonly (const char  *path,
                           GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return cp_database_open_internal (path, TRUE, cp_schema_latest_version (), error);
}

/**
 * cp_database_is_read_only:
 *
 * Returns: %TRUE when nothing can be changed through this connection: it
 *   was opened with cp_database_open_readonly(), or cp_database_open()
 *   found the file could not be written
 */
gboolean
cp_database_is_read_only (CpDatabase *self)
{
  g_return_val_if_fail (CP_IS_DATABASE (self), FALSE);

  return self->readonly;
}

const char *
cp_database_get_path (CpDatabase *self)
{
  g_return_val_if_fail (CP_IS_DATABASE (self), NULL);

  return self->path;
}

int
cp_database_get_schema_version (CpDatabase *self)
{
  g_return_val_if_fail (CP_IS_DATABASE (self), -1);

  return self->schema_version;
}

int
cp_database_get_latest_schema_version (void)
{
  return cp_schema_latest_version ();
}

/**
 * cp_database_get_backup_path:
 *
 * Returns: (nullable): the copy made before this open upgraded the file
 */
const char *
cp_database_get_backup_path (CpDatabase *self)
{
  g_return_val_if_fail (CP_IS_DATABASE (self), NULL);

  return self->backup_path;
}

static void
reset_built (gpointer key,
             gpointer value,
             gpointer user_data)
{
  sqlite3_reset (value);
}

/* Whether SQLite ended the open transaction by itself: some errors
 * (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM…) roll back the whole
 * transaction, savepoints included, while our levels are still open. */
static gboolean
transaction_lost (CpDatabase *self)
{
  return self->transaction_depth > 0 && sqlite3_get_autocommit (self->handle) != 0;
}

static void
set_transaction_lost_error (GError **error)
{
  g_set_error_literal (error, CP_STORE_ERROR, CP_STORE_ERROR_QUERY,
                       _("Nothing was saved: an earlier error undid the whole change."));
}

/* Ends the innermost level, after its COMMIT, RELEASE or rollback. */
static void
close_level (CpDatabase *self,
             gboolean    committed)
{
  g_assert (self->transaction_depth > 0);

  self->transaction_depth--;
  if (!committed)
    self->transaction_serial++;   /* what was read in it may be undone */
  if (self->transaction_depth == 0)
    g_signal_emit (self, signals[TRANSACTION_FINISHED], 0, committed);
}

/* Rolls back the innermost level, unless SQLite already rolled back
 * everything. Statements still stepping would keep the transaction open,
 * so every cached one is reset first. */
static void
roll_back_level (CpDatabase *self)
{
  g_autofree char *sql = NULL;

  for (guint i = 0; i < CP_N_STATEMENTS; i++)
    if (self->statements[i] != NULL)
      sqlite3_reset (self->statements[i]);
  if (self->built != NULL)
    g_hash_table_foreach (self->built, reset_built, NULL);

  if (!transaction_lost (self))
    {
      if (self->transaction_depth == 1)
        sql = g_strdup ("ROLLBACK");
      else
        sql = g_strdup_printf ("ROLLBACK TO cp_%u; RELEASE cp_%u",
                               self->transaction_depth - 1, self->transaction_depth - 1);

      if (sqlite3_exec (self->handle, sql, NULL, NULL, NULL) != SQLITE_OK &&
          sqlite3_get_autocommit (self->handle) == 0 && self->transaction_depth == 1)
        g_critical ("Rollback failed: %s", sqlite3_errmsg (self->handle));
    }
  close_level (self, FALSE);
}

/**
 * cp_database_begin:
 *
 * Starts a write transaction (`BEGIN IMMEDIATE`; a read transaction on a
 * read-only database), or a savepoint inside one already open. Every
 * begin that succeeds is matched by exactly one cp_database_commit() or
 * one cp_database_rollback(), never both (see cp_database_commit()).
 */
gboolean
cp_database_begin (CpDatabase  *self,
                   GError     **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (CP_IS_DATABASE (self), FALSE);

  /* Under a transaction SQLite has already undone: a savepoint would open
   * a new transaction of its own, and commit half a change. */
  if (transaction_lost (self))
    {
      set_transaction_lost_error (error);
      return FALSE;
    }

  if (self->transaction_depth == 0)
    sql = g_strdup (self->readonly ? "BEGIN" : "BEGIN IMMEDIATE");
  else
    sql = g_strdup_printf ("SAVEPOINT cp_%u", self->transaction_depth);

  if (!_cp_database_exec (self, sql, error))
    return FALSE;

  if (self->transaction_depth == 0)
    self->transaction_serial++;
  self->transaction_depth++;
  return TRUE;
}

/* Which top-level transaction is open (0: none): what a cache read inside
 * one stays valid for, as nobody else can write meanwhile. A rollback,
 * even to a savepoint, counts as another: what was read may be undone. */
guint64
_cp_database_transaction_serial (CpDatabase *self)
{
  g_return_val_if_fail (CP_IS_DATABASE (self), 0);

  return self->transaction_depth > 0 ? self->transaction_serial : 0;
}

/**
 * cp_database_commit:
 *
 * Commits the innermost level: the transaction (`COMMIT`) or a savepoint
 * (`RELEASE`). Either way the level is closed when this returns:
 *
 * - on success, its changes are kept (for a savepoint: handed to the
 *   level around it);
 * - on failure (a full disk, a constraint checked at commit, a
 *   transaction SQLite already undid after an earlier error), its
 *   changes are rolled back and @error says why. The caller must then
 *   NOT call cp_database_rollback() for this level: that would close the
 *   level around it (or, at the top, warn that there is no transaction).
 *   A caller inside an outer level rolls that level back as usual.
 *
 * Returns: %TRUE when committed
 */
gboolean
cp_database_commit (CpDatabase  *self,
                    GError     **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (CP_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (self->transaction_depth > 0, FALSE);

  if (transaction_lost (self))
    {
      set_transaction_lost_error (error);
      roll_back_level (self);
      return FALSE;
    }

  if (self->transaction_depth == 1)
    sql = g_strdup ("COMMIT");
  else
    sql = g_strdup_printf ("RELEASE cp_%u", self->transaction_depth - 1);

  if (!_cp_database_exec (self, sql, error))
    {
      roll_back_level (self);
      return FALSE;
    }

  close_level (self, TRUE);
  return TRUE;
}

/**
 * cp_database_rollback:
 *
 * Undoes the innermost level (the transaction, or a savepoint) and closes
 * it. Only for a level still open: not after cp_database_commit() failed
 * for it, as that already rolled it back.
 */
void
cp_database_rollback (CpDatabase *self)
{
  g_return_if_fail (CP_IS_DATABASE (self));
  g_return_if_fail (self->transaction_depth > 0);

  roll_back_level (self);
}

gboolean
cp_database_in_transaction (CpDatabase *self)
{
  g_return_val_if_fail (CP_IS_DATABASE (self), FALSE);

  return self->transaction_depth > 0;
}

/* ---- checks, in words ---- */

/* What a row of a table is, for a reader: “Activities: 3 rows refer to a
 * missing lead”. Tables not listed are named as they are. */
static const struct
{
  const char *table;
  const char *what;     /* N_() */
} table_words[] = {
  { "leads", N_("Leads") },
  { "lead_custom_fields", N_("Custom field values") },
  { "activities", N_("Activities") },
  { "stage_events", N_("Stage history") },
  { "merges", N_("Merges") },
  { "merge_snapshots", N_("Merge snapshots") },
  { "merge_moves", N_("Merge records") },
  { "sync_links", N_("CRM links") },
  { "sync_conflicts", N_("Sync conflicts") },
  { "accounts", N_("Organizations") },
};

static const struct
{
  const char *table;
  const char *one;      /* N_() */
} parent_words[] = {
  { "leads", N_("lead") },
  { "accounts", N_("organization") },
  { "merges", N_("merge") },
};

static const char *
table_in_words (const char *table)
{
  for (guint i = 0; i < G_N_ELEMENTS (table_words); i++)
    if (g_strcmp0 (table_words[i].table, table) == 0)
      return _(table_words[i].what);
  return table;
}

static const char *
parent_in_words (const char *table)
{
  for (guint i = 0; i < G_N_ELEMENTS (parent_words); i++)
    if (g_strcmp0 (parent_words[i].table, table) == 0)
      return _(parent_words[i].one);
  return table;
}

/* SQLite's own checks of the file: anything it finds is damage that
 * only a backup repairs. Its messages are technical; one is quoted. */
static void
check_file (CpDatabase *self,
            GPtrArray  *problems)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *first = NULL;
  guint n = 0;
  int rc;

  rc = sqlite3_prepare_v2 (self->handle, "PRAGMA integrity_check", -1, &stmt, NULL);
  for (rc = rc == SQLITE_OK ? sqlite3_step (stmt) : rc; rc == SQLITE_ROW; rc = sqlite3_step (stmt))
    {
      const char *row = _cp_column_text (stmt, 0);

      if (g_strcmp0 (row, "ok") == 0)
        continue;
      if (first == NULL)
        first = g_strdup (row);
      n++;
    }
  if (rc != SQLITE_DONE && first == NULL)
    first = g_strdup (sqlite3_errmsg (self->handle));
  sqlite3_finalize (stmt);

  if (first != NULL)
    g_ptr_array_add (problems,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "The database file is damaged (SQLite found "
                                                   "%u problem: “%s”). Restore the file from a "
                                                   "backup; a repair by Carepath cannot fix this.",
                                                   "The database file is damaged (SQLite found "
                                                   "%u problems, the first: “%s”). Restore the "
                                                   "file from a backup; a repair by Carepath "
                                                   "cannot fix this.", MAX (n, 1)),
                                      MAX (n, 1), first));
}

/* Rows that point at a row that is gone: one sentence per kind, with a
 * few of the row ids to look at. */
static void
check_references (CpDatabase *self,
                  GPtrArray  *problems)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->handle, "PRAGMA foreign_key_check", -1, &stmt, NULL);
  for (rc = rc == SQLITE_OK ? sqlite3_step (stmt) : rc; rc == SQLITE_ROW; rc = sqlite3_step (stmt))
    {
      /* table, rowid, parent table, constraint index */
      g_autofree char *key = g_strdup_printf ("%s\x1f%s", _cp_column_text (stmt, 0),
                                              _cp_column_text (stmt, 2));
      GPtrArray *rows = g_hash_table_lookup (groups, key);

      if (rows == NULL)
        {
          rows = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (order, key);
          g_hash_table_insert (groups, g_steal_pointer (&key), rows);
        }
      g_ptr_array_add (rows, g_strdup (sqlite3_column_type (stmt, 1) == SQLITE_NULL
                                       ? "?" : _cp_column_text (stmt, 1)));
    }
  if (rc != SQLITE_DONE)
    g_ptr_array_add (problems, g_strdup_printf (_("The links between records could not be "
                                                  "checked: %s"),
                                                sqlite3_errmsg (self->handle)));
  sqlite3_finalize (stmt);

  for (guint i = 0; i < order->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (order->pdata[i], "\x1f", 2);
      GPtrArray *rows = g_hash_table_lookup (groups, order->pdata[i]);
      g_autoptr(GString) ids = g_string_new (NULL);

      for (guint r = 0; r < rows->len && r < 5; r++)
        g_string_append_printf (ids, "%s%s", r > 0 ? ", " : "", (char *) rows->pdata[r]);
      if (rows->len > 5)
        g_string_append (ids, ", …");
      g_ptr_array_add (problems,
                       g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "%s: %u record refers to a %s that no "
                                                     "longer exists (row %s). Restore the file "
                                                     "from a backup, or remove that record.",
                                                     "%s: %u records refer to a %s that no "
                                                     "longer exists (rows %s). Restore the file "
                                                     "from a backup, or remove those records.",
                                                     rows->len),
                                        table_in_words (parts[0]), rows->len,
                                        parent_in_words (parts[1]), ids->str));
    }
}

/* The per-stage totals the board shows must agree with the leads. */
static guint
check_stage_totals (CpDatabase *self,
                    GPtrArray  *problems)
{
  sqlite3_stmt *stmt = NULL;
  guint n = 0;
  int rc;

  rc = sqlite3_prepare_v2 (self->handle,
                           "SELECT coalesce (t.stage, c.stage)"
                           " FROM (SELECT stage, count(*) AS n, total(score) AS s FROM leads"
                           "       WHERE deleted_at = 0 GROUP BY stage) AS c"
                           " FULL OUTER JOIN (SELECT * FROM stage_totals"
                           "                  WHERE lead_count <> 0) AS t ON t.stage = c.stage"
                           " WHERE t.lead_count IS NOT c.n"
                           "    OR t.score_sum IS NOT CAST (c.s AS INTEGER)",
                           -1, &stmt, NULL);
  for (rc = rc == SQLITE_OK ? sqlite3_step (stmt) : rc; rc == SQLITE_ROW; rc = sqlite3_step (stmt))
    {
      g_ptr_array_add (problems,
                       g_strdup_printf (_("The lead count and score total shown for the stage "
                                          "“%s” do not match its leads."),
                                        _cp_column_text (stmt, 0)));
      n++;
    }
  if (rc != SQLITE_DONE)
    g_ptr_array_add (problems, g_strdup_printf (_("The stage totals could not be checked: %s"),
                                                sqlite3_errmsg (self->handle)));
  sqlite3_finalize (stmt);
  return n;
}

/* How many leads the search index disagrees with, found by indexing the
 * leads again in a temporary table (same columns, same tokenizer) and
 * comparing every token of both; -1 when it cannot be counted. */
static gint64
count_stale_search_rows (CpDatabase *self)
{
  static const char setup[] =
    "CREATE VIRTUAL TABLE temp.cp_check_fts USING fts5 ("
    "  first_name, last_name, email, phone, organization, notes,"
    "  tokenize = 'unicode61 remove_diacritics 2');"
    "INSERT INTO temp.cp_check_fts (rowid, first_name, last_name, email, phone, organization,"
    "                               notes)"
    "  SELECT rowid, first_name, last_name, email, phone, organization, notes FROM main.leads;"
    "CREATE VIRTUAL TABLE temp.cp_check_fresh USING fts5vocab (temp, cp_check_fts, instance);"
    "CREATE VIRTUAL TABLE temp.cp_check_index USING fts5vocab (main, leads_fts, instance);";
  static const char teardown[] =
    "DROP TABLE IF EXISTS temp.cp_check_index;"
    "DROP TABLE IF EXISTS temp.cp_check_fresh;"
    "DROP TABLE IF EXISTS temp.cp_check_fts;";
  sqlite3_stmt *stmt = NULL;
  gint64 count = -1;

  if (sqlite3_exec (self->handle, setup, NULL, NULL, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (self->handle,
                          "SELECT count(*) FROM ("
                          " SELECT doc FROM (SELECT term, doc, col, offset"
                          "                  FROM temp.cp_check_index EXCEPT"
                          "                  SELECT term, doc, col, offset FROM temp.cp_check_fresh)"
                          " UNION"
                          " SELECT doc FROM (SELECT term, doc, col, offset"
                          "                  FROM temp.cp_check_fresh EXCEPT"
                          "                  SELECT term, doc, col, offset FROM temp.cp_check_index))",
                          -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_exec (self->handle, teardown, NULL, NULL, NULL);
  return count;
}

/* FTS5 reports an index that disagrees with its content table as a
 * malformed database: it is only out of date, and a rebuild repairs it. */
static guint
check_search_index (CpDatabase *self,
                    GPtrArray  *problems)
{
  sqlite3_stmt *stmt = NULL;
  gint64 stale;
  int rc;

  rc = sqlite3_prepare_v2 (self->handle,
                           "INSERT INTO leads_fts (leads_fts, rank) VALUES ('integrity-check', 1)",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    return 0;
  if ((rc & 0xff) != SQLITE_CORRUPT)
    {
      g_ptr_array_add (problems, g_strdup_printf (_("The search index could not be checked: %s"),
                                                  sqlite3_errstr (rc)));
      return 0;
    }

  stale = count_stale_search_rows (self);
  if (stale > 0)
    g_ptr_array_add (problems,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "The search index is out of date for %"
                                                   G_GINT64_FORMAT " lead: a search may miss it, "
                                                   "or find it by words it no longer has.",
                                                   "The search index is out of date for %"
                                                   G_GINT64_FORMAT " leads: a search may miss "
                                                   "them, or find them by words they no longer "
                                                   "have.", stale), stale));
  else
    g_ptr_array_add (problems, g_strdup (_("The search index is out of date: a search may miss "
                                           "leads, or find them by words they no longer have.")));
  return 1;
}

/**
 * cp_database_check_repairable:
 * @out_repairable: (out) (optional): how many of the problems
 *   cp_database_repair() fixes (an out-of-date search index, wrong stage
 *   totals); the others need a backup
 *
 * Runs SQLite's integrity and foreign-key checks, the check of the
 * per-stage totals and the full-text index check (not on a read-only
 * database: it writes), and says what they found in words.
 *
 * Returns: (transfer full): the problems found, one readable sentence
 *   each; empty when the database is sound
 */
GPtrArray *
cp_database_check_repairable (CpDatabase  *self,
                              guint       *out_repairable,
                              GError     **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  guint repairable = 0;

  g_return_val_if_fail (CP_IS_DATABASE (self), NULL);

  check_file (self, problems);
  check_references (self, problems);
  repairable += check_stage_totals (self, problems);
  if (!self->readonly)
    repairable += check_search_index (self, problems);

  if (out_repairable != NULL)
    *out_repairable = repairable;
  return g_steal_pointer (&problems);
}

/**
 * cp_database_check:
 *
 * cp_database_check_repairable() without the count.
 *
 * Returns: (transfer full): the problems found, one readable sentence
 *   each; empty when the database is sound
 */
GPtrArray *
cp_database_check (CpDatabase  *self,
                   GError     **error)
{
  return cp_database_check_repairable (self, NULL, error);
}

/**
 * cp_database_repair:
 *
 * Rebuilds what is derived from the leads and can always be computed
 * again: the search index and the per-stage totals, in one transaction.
 * Damage to the file itself, or records that lost what they belong to,
 * need a backup instead.
 *
 * Returns: %TRUE when repaired
 */
gboolean
cp_database_repair (CpDatabase  *self,
                    GError     **error)
{
  g_return_val_if_fail (CP_IS_DATABASE (self), FALSE);

  if (!cp_database_begin (self, error))
    return FALSE;
  if (!_cp_database_exec (self,
                          "INSERT INTO leads_fts (leads_fts) VALUES ('rebuild');"
                          "DELETE FROM stage_totals;"
                          "INSERT INTO stage_totals (stage, lead_count, score_sum)"
                          "  SELECT stage, count(*), total(score) FROM leads"
                          "  WHERE deleted_at = 0 GROUP BY stage;",
                          error))
    {
      cp_database_rollback (self);
      return FALSE;
    }
  return cp_database_commit (self, error);
}

/**
 * cp_database_get_setting:
 *
 * Returns: (transfer full) (nullable): a value stored with the database
 *   (settings that belong to the data, not to the user's desktop)
 */
char *
cp_database_get_setting (CpDatabase *self,
                         const char *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (CP_IS_DATABASE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = _cp_database_statement (self, CP_STMT_SETTING_GET, NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup (_cp_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return value;
}

gboolean
cp_database_set_setting (CpDatabase  *self,
                         const char  *key,
                         const char  *value,
                         GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  stmt = _cp_database_statement (self, CP_STMT_SETTING_SET, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  _cp_bind_text (stmt, 2, value);

  return _cp_database_step_done (self, stmt, error);
}

/**
 * cp_database_update_statistics:
 *
 * Samples every index so the query planner picks good plans for filtered
 * views. Bounded (a few hundred rows per index): cheap even on a million
 * leads. Run after bulk writes (imports, generated data).
 */
gboolean
cp_database_update_statistics (CpDatabase  *self,
                               GError     **error)
{
  g_return_val_if_fail (CP_IS_DATABASE (self), FALSE);

  return _cp_database_exec (self, "PRAGMA analysis_limit = 1000; ANALYZE;", error);
}

/**
 * cp_database_get_data_version:
 *
 * Returns: a number that changes whenever another connection (another
 *   process, or a worker thread) commits to the database file
 */
gint64
cp_database_get_data_version (CpDatabase *self)
{
  g_return_val_if_fail (CP_IS_DATABASE (self), -1);

  return cp_database_read_pragma_int (self, "data_version");
}
