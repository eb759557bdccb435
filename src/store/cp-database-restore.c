/* cp-database-restore.c — a backup in place of a damaged database (the damaged file kept); a copy to change
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <unistd.h>

#include "cp-database.h"
#include "cp-schema.h"
#include "cp-store-error.h"

static const char * const file_suffixes[] = { "", "-wal", "-shm" };

/* A backup is usable when SQLite reads it whole, it is a Carepath
 * database, and this version understands it (an older one is upgraded
 * when it is opened, as any older database is). */
static gboolean
check_backup (sqlite3     *handle,
              const char  *backup_path,
              GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;
  int application_id = 0;
  g_autofree char *verdict = NULL;

  if (sqlite3_prepare_v2 (handle, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (sqlite3_prepare_v2 (handle, "PRAGMA application_id", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    application_id = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (version < 0)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_CORRUPT,
                   _("“%s” is damaged or is not a Carepath database: it cannot be used as a backup."),
                   backup_path);
      return FALSE;
    }
  if (version == 0 || application_id != CP_SCHEMA_APPLICATION_ID)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_CORRUPT,
                   _("“%s” is not a Carepath database: it cannot be used as a backup."), backup_path);
      return FALSE;
    }
  if (version > cp_schema_latest_version ())
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_TOO_NEW,
                   _("“%s” was written by a newer version of Carepath: update Carepath to restore it."),
                   backup_path);
      return FALSE;
    }

  if (sqlite3_prepare_v2 (handle, "PRAGMA quick_check", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    verdict = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (g_strcmp0 (verdict, "ok") != 0)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_CORRUPT,
                   _("“%s” is damaged too: it cannot be used as a backup."), backup_path);
      return FALSE;
    }

  return TRUE;
}

/* Moves the database and its journal files aside under one new name.
 * Nothing is deleted: the damaged file may still hold what the backup
 * lacks. */
static gboolean
set_aside (const char  *path,
           char       **out_set_aside,
           GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *base = NULL;
  guint n_moved = 0;

  for (guint attempt = 0; base == NULL; attempt++)
    {
      g_autofree char *candidate = attempt == 0
        ? g_strdup_printf ("%s.damaged-%s", path, stamp)
        : g_strdup_printf ("%s.damaged-%s-%u", path, stamp, attempt);

      if (!g_file_test (candidate, G_FILE_TEST_EXISTS))
        base = g_steal_pointer (&candidate);
    }

  for (guint i = 0; i < G_N_ELEMENTS (file_suffixes); i++)
    {
      g_autofree char *from = g_strconcat (path, file_suffixes[i], NULL);
      g_autofree char *to = g_strconcat (base, file_suffixes[i], NULL);

      if (!g_file_test (from, G_FILE_TEST_EXISTS))
        continue;
      if (g_rename (from, to) != 0)
        {
          int saved_errno = errno;
          g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_OPEN,
                       _("Could not move the damaged database aside: %s"), g_strerror (saved_errno));
          return FALSE;
        }
      n_moved++;
    }

  if (out_set_aside != NULL)
    *out_set_aside = n_moved > 0 ? g_steal_pointer (&base) : NULL;
  return TRUE;
}

static gboolean
copy_backup (sqlite3     *handle,
             const char  *path,
             GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;
  int fd;

  /* The copy holds personal data: created private, then filled (VACUUM
   * INTO accepts an existing empty file). */
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_OPEN,
                   _("Could not create “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  rc = sqlite3_prepare_v2 (handle, "VACUUM INTO ?", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, path, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_QUERY,
                   _("Could not copy the database: %s"), sqlite3_errmsg (handle));
      g_unlink (path);
      return FALSE;
    }
  g_chmod (path, 0600);
  return TRUE;
}

/**
 * cp_database_restore_backup:
 * @path: the database file to replace (damaged, or missing)
 * @backup_path: a copy of a Carepath database (a `.bak-vN` file left by an
 *   upgrade, or any copy the user kept)
 * @out_set_aside: (out) (optional) (transfer full) (nullable): where the
 *   file at @path was moved, %NULL when there was none
 *
 * Checks the backup first (readable whole, a Carepath database, not from
 * a newer version), then moves the file at @path and its journal aside
 * under a `.damaged-DATE` name — never deleting it — and copies the
 * backup in its place, private to the user. Nobody may have @path open.
 *
 * Returns: %TRUE when @path now holds the backup's data
 */
gboolean
cp_database_restore_backup (const char  *path,
                            const char  *backup_path,
                            char       **out_set_aside,
                            GError     **error)
{
  g_autofree char *moved = NULL;
  sqlite3 *handle = NULL;
  gboolean ok;
  int rc;

  g_return_val_if_fail (path != NULL && backup_path != NULL, FALSE);

  if (out_set_aside != NULL)
    *out_set_aside = NULL;
  if (!g_file_test (backup_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_OPEN,
                   _("“%s” is not a file."), backup_path);
      return FALSE;
    }

  rc = sqlite3_open_v2 (backup_path, &handle, SQLITE_OPEN_READONLY, NULL);
  ok = rc == SQLITE_OK && check_backup (handle, backup_path, error);
  if (rc != SQLITE_OK)
    g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_OPEN,
                 _("Could not open “%s”: %s"), backup_path, sqlite3_errstr (rc));

  if (ok)
    ok = set_aside (path, &moved, error);
  if (ok && !copy_backup (handle, path, error))
    {
      /* Put the damaged file back where it was: the state before. */
      for (guint i = 0; moved != NULL && i < G_N_ELEMENTS (file_suffixes); i++)
        {
          g_autofree char *from = g_strconcat (moved, file_suffixes[i], NULL);
          g_autofree char *to = g_strconcat (path, file_suffixes[i], NULL);

          if (g_file_test (from, G_FILE_TEST_EXISTS))
            g_rename (from, to);
        }
      ok = FALSE;
    }
  sqlite3_close (handle);

  if (ok && out_set_aside != NULL)
    *out_set_aside = g_steal_pointer (&moved);
  return ok;
}

/**
 * cp_database_save_copy:
 * @dest: where the copy goes; an existing file there is replaced only
 *   once the copy is complete
 *
 * Writes a consistent copy of the database as this connection sees it —
 * also from a database opened read-only — private to the user (0600):
 * what someone who can only read a colleague's database saves to change.
 *
 * Returns: %TRUE when @dest holds the copy
 */
gboolean
cp_database_save_copy (CpDatabase  *self,
                       const char  *dest,
                       GError     **error)
{
  g_autofree char *partial = NULL;
  sqlite3 *handle = NULL;
  gboolean ok;

  g_return_val_if_fail (CP_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (dest != NULL, FALSE);

  if (g_strcmp0 (dest, cp_database_get_path (self)) == 0)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("A copy cannot replace the database it is made from."));
      return FALSE;
    }
  /* A second connection of its own: VACUUM INTO cannot run inside the
   * main connection's open transaction, and a read-only file is read
   * as it is. */
  {
    const char *path = cp_database_get_path (self);
    g_autofree char *dir = g_path_get_dirname (path);
    g_autofree char *escaped = g_uri_escape_string (path, "/", FALSE);
    /* In a folder that cannot be written, SQLite reads the file only as
     * immutable (it cannot make the log's index there). */
    g_autofree char *uri = g_access (dir, W_OK) != 0 ? g_strdup_printf ("file:%s?immutable=1", escaped)
                                                     : g_strdup_printf ("file:%s", escaped);
    int rc = sqlite3_open_v2 (uri, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);

    if (rc != SQLITE_OK)
      {
        g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_OPEN,
                     _("Could not read the database: %s"), sqlite3_errmsg (handle));
        sqlite3_close (handle);
        return FALSE;
      }
  }
  partial = g_strconcat (dest, ".partial", NULL);
  g_unlink (partial);
  ok = copy_backup (handle, partial, error);
  sqlite3_close (handle);
  if (ok && g_rename (partial, dest) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_OPEN,
                   _("Could not save the copy as “%s”: %s"), dest, g_strerror (saved_errno));
      g_unlink (partial);
      ok = FALSE;
    }
  return ok;
}
