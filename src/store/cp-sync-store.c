/* cp-sync-store.c — CRM sync state in the database: the store, its statements, cursors and links
 *
 * What a pull writes to leads is in cp-sync-store-leads.c, conflicts in
 * cp-sync-store-conflicts.c, the outbox in cp-sync-store-outbox.c and runs
 * and status in cp-sync-store-runs.c.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "cp-database-private.h"
#include "cp-lead-store-private.h"
#include "cp-sync-store-private.h"

static const char * const statement_sql[N_STMTS] = {
  [STMT_CURSOR_GET] =
    "SELECT cursor FROM sync_cursors WHERE backend = ?1 AND stream = ?2",
  [STMT_CURSOR_SET] =
    "INSERT INTO sync_cursors (backend, stream, cursor, updated_at) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (backend, stream) DO UPDATE SET cursor = excluded.cursor,"
    " updated_at = excluded.updated_at",
  [STMT_LINK_GET] =
    "SELECT remote_id, remote_updated_at, base, remote_deleted_at FROM sync_links"
    " WHERE backend = ?1 AND lead_id = ?2",
  [STMT_LINK_BY_REMOTE] =
    "SELECT lead_id FROM sync_links WHERE backend = ?1 AND remote_id = ?2",
  [STMT_LINK_SET] =
    "INSERT INTO sync_links (backend, lead_id, remote_id, remote_updated_at, base)"
    " VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT (backend, lead_id) DO UPDATE SET remote_id = excluded.remote_id,"
    " remote_updated_at = excluded.remote_updated_at, base = excluded.base,"
    " remote_deleted_at = 0",
  [STMT_LINK_MARK_DELETED] =
    "UPDATE sync_links SET remote_deleted_at = ?3 WHERE backend = ?1 AND lead_id = ?2",
  [STMT_LINK_REMOTE_IDS] =
    "SELECT remote_id, lead_id FROM sync_links"
    " WHERE backend = ?1 AND remote_id IS NOT NULL AND remote_deleted_at = 0",
  [STMT_CONFLICT_INSERT] =
    "INSERT INTO sync_conflicts (backend, lead_id, field, base_value, local_value,"
    " remote_value, remote_updated_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    " ON CONFLICT (backend, lead_id, field) WHERE resolved_at = 0 DO UPDATE SET"
    " local_value = excluded.local_value, remote_value = excluded.remote_value,"
    " remote_updated_at = excluded.remote_updated_at",
  [STMT_CONFLICT_OPEN_FIELDS] =
    "SELECT field FROM sync_conflicts WHERE backend = ?1 AND lead_id = ?2 AND resolved_at = 0",
  [STMT_CONFLICT_LIST] =
    "SELECT c.id, c.lead_id, c.field, c.base_value, c.local_value, c.remote_value,"
    " c.created_at, l.first_name, l.last_name, l.email"
    " FROM sync_conflicts c JOIN leads l ON l.id = c.lead_id"
    " WHERE c.backend = ?1 AND c.resolved_at = 0 ORDER BY c.id",
  [STMT_CONFLICT_GET] =
    "SELECT lead_id, field, remote_value FROM sync_conflicts"
    " WHERE id = ?1 AND backend = ?2 AND resolved_at = 0",
  [STMT_CONFLICT_RESOLVE] =
    "UPDATE sync_conflicts SET resolved_at = ?2, resolution = ?3 WHERE id = ?1",
  /* Leads written by imports and generators never went through the edit
   * hooks: journal every live lead this backend has never seen. */
  [STMT_ENQUEUE_UNLINKED] =
    "INSERT INTO outbox (entity, entity_id, op, created_at)"
    " SELECT 'lead', l.id, 'create', ?2 FROM leads l"
    " WHERE l.deleted_at = 0"
    " AND NOT EXISTS (SELECT 1 FROM sync_links s WHERE s.backend = ?1 AND s.lead_id = l.id)"
    " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity = 'lead' AND o.entity_id = l.id)",
  [STMT_PENDING] =
    "SELECT entity_id, max(id), max(attempts) FROM outbox o WHERE entity = 'lead'"
    " AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.entity = 'lead'"
    "   AND e.entity_id = o.entity_id AND e.op = 'erase')"
    " GROUP BY entity_id ORDER BY min(id)",
  [STMT_CONFIRM] =
    "DELETE FROM outbox WHERE entity = 'lead' AND entity_id = ?1 AND id <= ?2",
  [STMT_FAIL] =
    "UPDATE outbox SET attempts = attempts + 1, last_error = ?3"
    " WHERE entity = 'lead' AND entity_id = ?1 AND id <= ?2",
  [STMT_OUTBOX_DROP] =
    "DELETE FROM outbox WHERE entity = 'lead' AND entity_id = ?1 AND op <> 'erase'",
  [STMT_MARK_SYNCED] =
    "UPDATE leads SET sync_state = 0 WHERE id = ?1 AND deleted_at = 0"
    " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity = 'lead' AND o.entity_id = ?1)",
  [STMT_RUN_INSERT] =
    "INSERT INTO sync_runs (backend, started_at) VALUES (?1, ?2)",
  [STMT_RUN_FINISH] =
    "UPDATE sync_runs SET finished_at = ?2, pulled = ?3, pushed = ?4, deleted = ?5,"
    " conflicts = ?6, errors = ?7, ok = ?8, message = ?9, correlation_id = ?10 WHERE id = ?1",
  [STMT_STATUS_COUNTS] =
    "SELECT (SELECT count(DISTINCT entity_id) FROM outbox WHERE entity = 'lead'),"
    " (SELECT count(*) FROM sync_conflicts WHERE backend = ?1 AND resolved_at = 0),"
    " (SELECT count(*) FROM sync_rejects WHERE backend = ?1 AND resolved_at = 0 AND dismissed_at = 0),"
    " (SELECT count(DISTINCT entity_id) FROM outbox WHERE entity = 'lead' AND last_error IS NOT NULL)",
  [STMT_STATUS_LAST_RUN] =
    "SELECT started_at, ok, message, correlation_id FROM sync_runs WHERE backend = ?1"
    " AND finished_at > 0 ORDER BY id DESC LIMIT 1",
  [STMT_STATUS_LAST_SUCCESS] =
    "SELECT max(finished_at) FROM sync_runs WHERE backend = ?1 AND ok = 1",
  [STMT_CURSORS] =
    "SELECT stream, cursor FROM sync_cursors WHERE backend = ?1 ORDER BY stream",
};

/* The statements whose ?1 is the backend name. */
#define BIT(s) (G_GUINT64_CONSTANT (1) << (s))
#define BINDS_BACKEND \
  (BIT (STMT_CURSOR_GET) | BIT (STMT_CURSOR_SET) | BIT (STMT_LINK_GET) | \
   BIT (STMT_LINK_BY_REMOTE) | BIT (STMT_LINK_SET) | BIT (STMT_LINK_MARK_DELETED) | \
   BIT (STMT_LINK_REMOTE_IDS) | BIT (STMT_CONFLICT_INSERT) | BIT (STMT_CONFLICT_OPEN_FIELDS) | \
   BIT (STMT_CONFLICT_LIST) | BIT (STMT_ENQUEUE_UNLINKED) | BIT (STMT_RUN_INSERT) | \
   BIT (STMT_STATUS_COUNTS) | BIT (STMT_STATUS_LAST_RUN) | BIT (STMT_STATUS_LAST_SUCCESS) | \
   BIT (STMT_CURSORS))

G_DEFINE_FINAL_TYPE (CpSyncStore, cp_sync_store, G_TYPE_OBJECT)

void
cp_sync_link_free (CpSyncLink *link)
{
  if (link == NULL)
    return;
  g_free (link->lead_id);
  g_free (link->remote_id);
  g_free (link->remote_updated_at);
  g_clear_pointer (&link->base, g_hash_table_unref);
  g_free (link);
}

void
cp_sync_pending_free (CpSyncPending *pending)
{
  if (pending == NULL)
    return;
  g_free (pending->lead_id);
  g_free (pending);
}

void
cp_sync_conflict_free (CpSyncConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->lead_id);
  g_free (conflict->display_name);
  g_free (conflict->field);
  g_free (conflict->base_value);
  g_free (conflict->local_value);
  g_free (conflict->remote_value);
  g_free (conflict);
}

void
cp_sync_status_free (CpSyncStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->last_error);
  g_free (status->last_correlation_id);
  g_clear_pointer (&status->cursors, g_hash_table_unref);
  g_free (status);
}

/* A cached statement, reset, with the backend already bound to ?1 when
 * the statement names one. */
sqlite3_stmt *
_cp_sync_store_statement (CpSyncStore    *self,
                          SyncStatement   which,
                          GError        **error)
{
  sqlite3_stmt *stmt = self->statements[which];

  if (stmt == NULL)
    {
      int rc = sqlite3_prepare_v3 (_cp_database_get_handle (self->database), statement_sql[which],
                                   -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
      if (rc != SQLITE_OK)
        {
          _cp_database_set_error (self->database, error, rc, _("Could not prepare a query"));
          return NULL;
        }
      self->statements[which] = stmt;
    }

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (BINDS_BACKEND & (G_GUINT64_CONSTANT (1) << which))
    _cp_bind_text (stmt, 1, self->backend);
  return stmt;
}

/* @text as a JSON string, quotes included. */
static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
          break;
        }
    }
  g_string_append_c (out, '"');
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The base of a link as a JSON object of its non-empty values, keys in
 * order. Written directly: one per pulled record, where a JsonBuilder and
 * a JsonGenerator cost more than the row they end up in. Text that is not
 * UTF-8 (never from a CRM's JSON) is repaired first, as JSON requires. */
char *
_cp_sync_store_base_to_json (GHashTable *base)
{
  GString *out = g_string_sized_new (256);
  g_autofree gpointer *keys = NULL;
  guint n = 0;
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  if (base != NULL)
    keys = g_hash_table_get_keys_as_array (base, &n);
  if (n > 1)
    qsort (keys, n, sizeof *keys, compare_keys);
  for (guint i = 0; i < n; i++)
    {
      const char *value = g_hash_table_lookup (base, keys[i]);
      g_autofree char *valid_key = NULL;
      g_autofree char *valid_value = NULL;

      if (value == NULL || *value == '\0')
        continue;
      if (!g_utf8_validate (keys[i], -1, NULL))
        valid_key = g_utf8_make_valid (keys[i], -1);
      if (!g_utf8_validate (value, -1, NULL))
        valid_value = g_utf8_make_valid (value, -1);
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      append_json_string (out, valid_key != NULL ? valid_key : keys[i]);
      g_string_append_c (out, ':');
      append_json_string (out, valid_value != NULL ? valid_value : value);
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

GHashTable *
_cp_sync_store_base_from_json (const char *text)
{
  GHashTable *base = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return base;

  object = json_node_get_object (json_parser_get_root (parser));
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
      g_hash_table_insert (base, g_strdup (name), g_strdup (json_node_get_string (node)));

  return base;
}

gint64
_cp_sync_store_now (CpSyncStore *self)
{
  return cp_lead_store_now (self->leads);
}

static void
cp_sync_store_finalize (GObject *object)
{
  CpSyncStore *self = CP_SYNC_STORE (object);

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->statements[i], sqlite3_finalize);
  g_clear_object (&self->leads);
  g_clear_object (&self->database);
  g_clear_pointer (&self->backend, g_free);

  G_OBJECT_CLASS (cp_sync_store_parent_class)->finalize (object);
}

static void
cp_sync_store_class_init (CpSyncStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cp_sync_store_finalize;
}

static void
cp_sync_store_init (CpSyncStore *self)
{
}

/**
 * cp_sync_store_new:
 * @leads: the lead store of the connection sync works on
 * @backend: the backend name ("hubspot", "espocrm") links and cursors belong to
 */
CpSyncStore *
cp_sync_store_new (CpLeadStore *leads,
                   const char  *backend)
{
  CpSyncStore *self;

  g_return_val_if_fail (CP_IS_LEAD_STORE (leads), NULL);
  g_return_val_if_fail (backend != NULL && *backend != '\0', NULL);

  self = g_object_new (CP_TYPE_SYNC_STORE, NULL);
  self->leads = g_object_ref (leads);
  self->database = g_object_ref (cp_lead_store_get_database (leads));
  self->backend = g_strdup (backend);

  return self;
}

CpLeadStore *
cp_sync_store_get_lead_store (CpSyncStore *self)
{
  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  return self->leads;
}

/**
 * cp_sync_store_changes:
 *
 * Returns: how many rows the store's connection has written so far: a
 *   record refused with this unchanged wrote nothing, and needs nothing
 *   undone
 */
guint64
cp_sync_store_changes (CpSyncStore *self)
{
  g_return_val_if_fail (CP_IS_SYNC_STORE (self), 0);

  return (guint64) sqlite3_total_changes64 (_cp_database_get_handle (self->database));
}

CpDatabase *
cp_sync_store_get_database (CpSyncStore *self)
{
  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  return self->database;
}

const char *
cp_sync_store_get_backend (CpSyncStore *self)
{
  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  return self->backend;
}

/* Returns: (transfer full) (nullable): the stream's cursor, NULL before the first pull */
char *
cp_sync_store_get_cursor (CpSyncStore *self,
                          const char  *stream)
{
  sqlite3_stmt *stmt;
  char *cursor = NULL;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  stmt = _cp_sync_store_statement (self, STMT_CURSOR_GET, NULL);
  if (stmt == NULL)
    return NULL;
  _cp_bind_text (stmt, 2, stream);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    cursor = g_strdup (_cp_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return cursor;
}

gboolean
cp_sync_store_set_cursor (CpSyncStore  *self,
                          const char   *stream,
                          const char   *cursor,
                          GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);

  stmt = _cp_sync_store_statement (self, STMT_CURSOR_SET, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 2, stream);
  _cp_bind_text (stmt, 3, cursor);
  sqlite3_bind_int64 (stmt, 4, _cp_sync_store_now (self));

  return _cp_database_step_done (self->database, stmt, error);
}

/* Returns: (transfer full) (nullable): the link, or NULL (no error) when
 * this backend has never seen the lead */
CpSyncLink *
cp_sync_store_get_link (CpSyncStore  *self,
                        const char   *lead_id,
                        GError      **error)
{
  sqlite3_stmt *stmt;
  CpSyncLink *link = NULL;
  int rc;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  stmt = _cp_sync_store_statement (self, STMT_LINK_GET, error);
  if (stmt == NULL)
    return NULL;
  _cp_bind_text (stmt, 2, lead_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      link = g_new0 (CpSyncLink, 1);
      link->lead_id = g_strdup (lead_id);
      link->remote_id = g_strdup (_cp_column_text (stmt, 0));
      link->remote_updated_at = g_strdup (_cp_column_text (stmt, 1));
      link->base = _cp_sync_store_base_from_json (_cp_column_text (stmt, 2));
      link->remote_deleted_at = sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _cp_database_set_error (self->database, error, rc, _("Could not read the sync state"));

  return link;
}

/* Returns: (transfer full) (nullable): the lead linked to @remote_id */
char *
cp_sync_store_find_lead (CpSyncStore  *self,
                         const char   *remote_id,
                         GError      **error)
{
  sqlite3_stmt *stmt;
  char *lead_id = NULL;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  stmt = _cp_sync_store_statement (self, STMT_LINK_BY_REMOTE, error);
  if (stmt == NULL)
    return NULL;
  _cp_bind_text (stmt, 2, remote_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    lead_id = g_strdup (_cp_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return lead_id;
}

gboolean
cp_sync_store_set_link (CpSyncStore  *self,
                        const char   *lead_id,
                        const char   *remote_id,
                        const char   *remote_updated_at,
                        GHashTable   *base,
                        GError      **error)
{
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (lead_id != NULL, FALSE);

  json = _cp_sync_store_base_to_json (base);
  stmt = _cp_sync_store_statement (self, STMT_LINK_SET, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 2, lead_id);
  _cp_bind_text (stmt, 3, remote_id);
  _cp_bind_text (stmt, 4, remote_updated_at);
  _cp_bind_text (stmt, 5, json);

  return _cp_database_step_done (self->database, stmt, error);
}

/* Returns: (transfer full): remote id → lead id of every live link */
GHashTable *
cp_sync_store_linked_remote_ids (CpSyncStore  *self,
                                 GError      **error)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  stmt = _cp_sync_store_statement (self, STMT_LINK_REMOTE_IDS, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (ids, g_strdup (_cp_column_text (stmt, 0)),
                         g_strdup (_cp_column_text (stmt, 1)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the sync state"));
      return NULL;
    }

  return g_steal_pointer (&ids);
}
