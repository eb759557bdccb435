/* cp-database-open.c — opening a database: its file, pragmas, backup and upgrade
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-database"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cp-database-impl.h"
#include "cp-normalize.h"
#include "cp-schema.h"

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

/* Once per process, before SQLite's first use: no memory statistics.
 * Kept, they take a global mutex on every allocation SQLite makes (3.7 %
 * of a demo generation's samples); nothing here reads them. When SQLite
 * was set up already (another library opened a database first) the call
 * is refused, and the statistics stay on: harmless. */
static void
configure_sqlite_once (void)
{
  static gsize configured = 0;

  if (g_once_init_enter (&configured))
    {
      if (sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
        g_debug ("SQLite was set up before the first database: memory statistics stay on");
      g_once_init_leave (&configured, 1);
    }
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

  configure_sqlite_once ();
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

  self->schema_version = _cp_database_read_pragma_int (self, "user_version");
  application_id = _cp_database_read_pragma_int (self, "application_id");
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
