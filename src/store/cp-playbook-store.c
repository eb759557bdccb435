/* cp-playbook-store.c — published playbook versions and the router's state in the database
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-playbook-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-playbook-format.h"
#include "cp-playbook-store.h"

void
cp_playbook_version_free (CpPlaybookVersion *version)
{
  if (version == NULL)
    return;
  g_free (version->status);
  g_free (version->author);
  g_free (version->reason);
  g_free (version);
}

/* Columns: id, status, author, reason, effective_at, created_at[, body]. */
static CpPlaybookVersion *
version_from_row (sqlite3_stmt *stmt)
{
  CpPlaybookVersion *version = g_new0 (CpPlaybookVersion, 1);

  version->id = sqlite3_column_int64 (stmt, 0);
  version->status = g_strdup (_cp_column_text (stmt, 1));
  version->author = g_strdup (_cp_column_text (stmt, 2));
  version->reason = g_strdup (_cp_column_text (stmt, 3));
  version->effective_at = sqlite3_column_int64 (stmt, 4);
  version->created_at = sqlite3_column_int64 (stmt, 5);
  return version;
}

/**
 * cp_playbook_store_publish:
 * @reason: why the playbook changed; required
 * @effective_at: from when it applies (Unix seconds; 0: from @now)
 *
 * Stores @playbook as a new published version. Earlier versions are kept:
 * a score can always be explained as of any of them.
 *
 * Returns: the new version's id, or 0 with @error set
 */
gint64
cp_playbook_store_publish (CpDatabase  *database,
                           CpPlaybook  *playbook,
                           const char  *author,
                           const char  *reason,
                           gint64       effective_at,
                           gint64       now,
                           GError     **error)
{
  g_autofree char *body = NULL;
  g_autofree char *stripped = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_DATABASE (database), 0);
  g_return_val_if_fail (playbook != NULL, 0);

  stripped = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  if (*stripped == '\0')
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("Publishing a playbook needs a reason for the change."));
      return 0;
    }
  if (!cp_playbook_validate (playbook, &local_error))
    {
      g_set_error_literal (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID, local_error->message);
      return 0;
    }

  body = cp_playbook_format_serialize (playbook);
  stmt = _cp_database_statement (database, CP_STMT_PLAYBOOK_INSERT, error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, "published", -1, SQLITE_STATIC);
  _cp_bind_text (stmt, 2, author);
  _cp_bind_text (stmt, 3, stripped);
  sqlite3_bind_int64 (stmt, 4, effective_at > 0 ? effective_at : now);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_text (stmt, 6, body, -1, SQLITE_STATIC);
  if (!_cp_database_step_done (database, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_cp_database_get_handle (database));
}

/**
 * cp_playbook_store_list:
 *
 * Returns: (transfer full) (element-type CpPlaybookVersion): every stored
 *   version, oldest first
 */
GPtrArray *
cp_playbook_store_list (CpDatabase  *database,
                        GError     **error)
{
  g_autoptr(GPtrArray) versions = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_playbook_version_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_DATABASE (database), NULL);

  stmt = _cp_database_statement (database, CP_STMT_PLAYBOOK_LIST, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (versions, version_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (database, error, rc, _("Could not list the playbook versions"));
      return NULL;
    }
  return g_steal_pointer (&versions);
}

static CpPlaybook *
playbook_from_row (CpDatabase          *database,
                   sqlite3_stmt        *stmt,
                   CpPlaybookVersion  **out_version,
                   GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CpPlaybookVersion) version = version_from_row (stmt);
  CpPlaybook *playbook = cp_playbook_format_parse ((const char *) sqlite3_column_text (stmt, 6),
                                                   sqlite3_column_bytes (stmt, 6), &local_error);

  if (playbook == NULL)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_CORRUPT,
                   _("Playbook version %" G_GINT64_FORMAT " cannot be read: %s"),
                   version->id, local_error->message);
      return NULL;
    }
  if (out_version != NULL)
    *out_version = g_steal_pointer (&version);
  return playbook;
}

/**
 * cp_playbook_store_get:
 * @id: a version id
 * @out_version: (out) (optional) (transfer full): its metadata
 *
 * Returns: (transfer full) (nullable): the playbook of version @id
 */
CpPlaybook *
cp_playbook_store_get (CpDatabase         *database,
                       gint64              id,
                       CpPlaybookVersion **out_version,
                       GError            **error)
{
  CpPlaybook *playbook = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_DATABASE (database), NULL);

  stmt = _cp_database_statement (database, CP_STMT_PLAYBOOK_GET, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    playbook = playbook_from_row (database, stmt, out_version, error);
  else if (rc == SQLITE_DONE)
    g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND,
                 _("There is no playbook version %" G_GINT64_FORMAT "."), id);
  else
    _cp_database_set_error (database, error, rc, _("Could not read a playbook version"));
  sqlite3_reset (stmt);
  return playbook;
}

/**
 * cp_playbook_store_save_draft:
 * @playbook: the playbook being edited (it must be valid: a draft is
 *   loaded with the same checks as a published version)
 * @base_version: the published version it started from (0: the default)
 * @author: (nullable): who edits it
 *
 * Saves the one draft, replacing the previous state of it.
 *
 * Returns: %FALSE with @error set if it is invalid or was not saved
 */
gboolean
cp_playbook_store_save_draft (CpDatabase  *database,
                              CpPlaybook  *playbook,
                              gint64       base_version,
                              const char  *author,
                              gint64       now,
                              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *body = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (playbook != NULL, FALSE);

  if (!cp_playbook_validate (playbook, &local_error))
    {
      g_set_error_literal (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID, local_error->message);
      return FALSE;
    }
  body = cp_playbook_format_serialize (playbook);
  stmt = _cp_database_statement (database, CP_STMT_PLAYBOOK_DRAFT_SAVE, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, base_version);
  _cp_bind_text (stmt, 2, author);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_text (stmt, 4, body, -1, SQLITE_STATIC);
  return _cp_database_step_done (database, stmt, error);
}

/**
 * cp_playbook_store_load_draft:
 * @out_version: (out) (optional) (transfer full): its metadata: status
 *   "draft", id 0, created_at the time it was last saved
 * @out_base_version: (out) (optional): the version it started from
 *
 * Returns: (transfer full) (nullable): the draft, or %NULL without an
 *   error when there is none
 */
CpPlaybook *
cp_playbook_store_load_draft (CpDatabase         *database,
                              CpPlaybookVersion **out_version,
                              gint64             *out_base_version,
                              GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  CpPlaybook *playbook = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_DATABASE (database), NULL);

  stmt = _cp_database_statement (database, CP_STMT_PLAYBOOK_DRAFT_GET, error);
  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      playbook = cp_playbook_format_parse ((const char *) sqlite3_column_text (stmt, 3),
                                           sqlite3_column_bytes (stmt, 3), &local_error);
      if (playbook == NULL)
        g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_CORRUPT,
                     _("The playbook draft cannot be read: %s"), local_error->message);
      else
        {
          if (out_version != NULL)
            {
              *out_version = g_new0 (CpPlaybookVersion, 1);
              (*out_version)->status = g_strdup ("draft");
              (*out_version)->author = g_strdup (_cp_column_text (stmt, 1));
              (*out_version)->created_at = sqlite3_column_int64 (stmt, 2);
            }
          if (out_base_version != NULL)
            *out_base_version = sqlite3_column_int64 (stmt, 0);
        }
    }
  else if (rc != SQLITE_DONE)
    _cp_database_set_error (database, error, rc, _("Could not read the playbook draft"));
  sqlite3_reset (stmt);
  return playbook;
}

/**
 * cp_playbook_store_discard_draft:
 *
 * Forgets the draft (nothing published changes).
 */
gboolean
cp_playbook_store_discard_draft (CpDatabase  *database,
                                 GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_DATABASE (database), FALSE);

  stmt = _cp_database_statement (database, CP_STMT_PLAYBOOK_DRAFT_DELETE, error);
  return stmt != NULL && _cp_database_step_done (database, stmt, error);
}

/**
 * cp_playbook_store_publish_draft:
 * @reason: why the playbook changes; required
 * @effective_at: from when it applies (0: from @now)
 *
 * Publishes the draft as a new version and removes the draft, in one
 * transaction.
 *
 * Returns: the new version's id, or 0 with @error set (no draft, no
 *   reason, or an invalid draft: then the draft is kept)
 */
gint64
cp_playbook_store_publish_draft (CpDatabase  *database,
                                 const char  *author,
                                 const char  *reason,
                                 gint64       effective_at,
                                 gint64       now,
                                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CpPlaybook) draft = NULL;
  gint64 id;

  g_return_val_if_fail (CP_IS_DATABASE (database), 0);

  if (!cp_database_begin (database, error))
    return 0;
  draft = cp_playbook_store_load_draft (database, NULL, NULL, &local_error);
  if (draft == NULL)
    {
      cp_database_rollback (database);
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND,
                     _("There is no playbook draft to publish."));
      return 0;
    }
  id = cp_playbook_store_publish (database, draft, author, reason, effective_at, now, error);
  if (id <= 0 || !cp_playbook_store_discard_draft (database, error))
    {
      cp_database_rollback (database);
      return 0;
    }
  /* A failed commit has rolled back already. */
  if (!cp_database_commit (database, error))
    return 0;
  return id;
}

/**
 * cp_playbook_store_load_active:
 * @now: the time that decides which version is in effect
 * @out_version: (out) (optional) (transfer full): its metadata; id 0 for
 *   the built-in default
 *
 * Returns: (transfer full) (nullable): the newest published version in
 *   effect at @now, or the built-in default when none is
 */
CpPlaybook *
cp_playbook_store_load_active (CpDatabase         *database,
                               gint64              now,
                               CpPlaybookVersion **out_version,
                               GError            **error)
{
  CpPlaybook *playbook = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_DATABASE (database), NULL);

  stmt = _cp_database_statement (database, CP_STMT_PLAYBOOK_ACTIVE, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    playbook = playbook_from_row (database, stmt, out_version, error);
  else if (rc == SQLITE_DONE)
    {
      playbook = cp_playbook_format_load_default ();
      if (out_version != NULL)
        {
          *out_version = g_new0 (CpPlaybookVersion, 1);
          (*out_version)->status = g_strdup ("built-in");
          (*out_version)->reason = g_strdup (_("The default healthcare playbook"));
        }
    }
  else
    _cp_database_set_error (database, error, rc, _("Could not read the active playbook"));
  sqlite3_reset (stmt);
  return playbook;
}

/**
 * cp_playbook_store_diff:
 * @from_id: a version id (0: the built-in default)
 * @to_id: a version id (0: the built-in default)
 *
 * Returns: (transfer full) (element-type CpPlaybookChange): the changes
 */
GPtrArray *
cp_playbook_store_diff (CpDatabase  *database,
                        gint64       from_id,
                        gint64       to_id,
                        GError     **error)
{
  g_autoptr(CpPlaybook) before = NULL;
  g_autoptr(CpPlaybook) after = NULL;

  before = from_id == 0 ? cp_playbook_format_load_default ()
                        : cp_playbook_store_get (database, from_id, NULL, error);
  if (before == NULL)
    return NULL;
  after = to_id == 0 ? cp_playbook_format_load_default ()
                     : cp_playbook_store_get (database, to_id, NULL, error);
  if (after == NULL)
    return NULL;
  return cp_playbook_diff (before, after);
}

gboolean
cp_playbook_store_load_router_state (CpDatabase     *database,
                                     CpRouterState  *state,
                                     GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cp_database_statement (database, CP_STMT_ROUTER_STATE_ALL, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    cp_router_state_set (state, _cp_column_text (stmt, 0), sqlite3_column_int (stmt, 1));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (database, error, rc, _("Could not read the routing state"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_router_state (CpDatabase     *database,
                    CpRouterState  *state,
                    GError        **error)
{
  g_autoptr(GList) queues = cp_router_state_get_queues (state);

  for (GList *l = queues; l != NULL; l = l->next)
    {
      sqlite3_stmt *stmt;

      if (!cp_router_state_is_dirty (state, l->data))
        continue;
      stmt = _cp_database_statement (database, CP_STMT_ROUTER_STATE_SET, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, l->data, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, cp_router_state_get (state, l->data));
      if (!_cp_database_step_done (database, stmt, error))
        return FALSE;
    }
  for (GList *l = queues; l != NULL; l = l->next)
    cp_router_state_set (state, l->data, cp_router_state_get (state, l->data));
  return TRUE;
}

/**
 * cp_playbook_store_save_router_state:
 *
 * Writes the positions routing advanced: inside the caller's transaction
 * when there is one (the write path's, with the lead routed), else in
 * one of its own.
 */
gboolean
cp_playbook_store_save_router_state (CpDatabase     *database,
                                     CpRouterState  *state,
                                     GError        **error)
{
  if (cp_database_in_transaction (database))
    return write_router_state (database, state, error);
  if (!cp_database_begin (database, error))
    return FALSE;
  if (!write_router_state (database, state, error))
    {
      cp_database_rollback (database);
      return FALSE;
    }
  return cp_database_commit (database, error);   /* rolls back when it fails */
}
