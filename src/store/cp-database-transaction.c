/* cp-database-transaction.c — transactions and savepoints of a connection
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-database"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database-impl.h"

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
    _cp_database_transaction_finished (self, committed);
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

/* Connections of this process that hold the write lock for long (a
 * deferred bulk load: a first sync larger than the database, a large
 * import, demo data), by database file. Another connection of this
 * process asking to write to that file is told so at once, instead of
 * waiting the busy timeout on the main thread and failing all the same. */
static GMutex holds_lock;
static GHashTable *holds;   /* canonical path → the holding CpDatabase (not a reference) */
static gint n_holds;

static char *
canonical_path (CpDatabase *self)
{
  if (self->path == NULL || *self->path == '\0' || g_str_equal (self->path, ":memory:"))
    return NULL;
  return g_canonicalize_filename (self->path, NULL);
}

/**
 * _cp_database_hold_writes:
 *
 * Says that @self holds the write lock for a long while (until
 * _cp_database_release_writes()): cp_database_begin() on another
 * connection of this process to the same file then fails at once with
 * %CP_STORE_ERROR_BUSY and says why.
 */
void
_cp_database_hold_writes (CpDatabase *self)
{
  g_autofree char *path = canonical_path (self);

  if (path == NULL)
    return;
  g_mutex_lock (&holds_lock);
  if (holds == NULL)
    holds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (g_hash_table_insert (holds, g_steal_pointer (&path), self))
    g_atomic_int_inc (&n_holds);
  g_mutex_unlock (&holds_lock);
}

void
_cp_database_release_writes (CpDatabase *self)
{
  g_autofree char *path = canonical_path (self);

  if (path == NULL)
    return;
  g_mutex_lock (&holds_lock);
  if (holds != NULL && g_hash_table_lookup (holds, path) == self &&
      g_hash_table_remove (holds, path))
    g_atomic_int_dec_and_test (&n_holds);
  g_mutex_unlock (&holds_lock);
}

static gboolean
writes_held_by_another (CpDatabase *self)
{
  g_autofree char *path = NULL;
  gpointer holder;

  if (g_atomic_int_get (&n_holds) == 0 || (path = canonical_path (self)) == NULL)
    return FALSE;
  g_mutex_lock (&holds_lock);
  holder = holds != NULL ? g_hash_table_lookup (holds, path) : NULL;
  g_mutex_unlock (&holds_lock);
  return holder != NULL && holder != self;
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

  if (self->transaction_depth == 0 && !self->readonly && writes_held_by_another (self))
    {
      g_set_error_literal (error, CP_STORE_ERROR, CP_STORE_ERROR_BUSY,
                           _("Carepath is loading a large batch into this database (a first "
                             "sync or a large import): changes can be saved once it has "
                             "finished, or stopped."));
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

