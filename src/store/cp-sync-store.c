/* cp-sync-store.c — CRM sync state in the database: outbox, links, cursors, conflicts, runs
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cp-database-private.h"
#include "cp-lead-store-private.h"
#include "cp-sync-store.h"
#include "cp-outbox.h"

typedef enum
{
  STMT_CURSOR_GET,
  STMT_CURSOR_SET,
  STMT_LINK_GET,
  STMT_LINK_BY_REMOTE,
  STMT_LINK_SET,
  STMT_LINK_MARK_DELETED,
  STMT_LINK_REMOTE_IDS,
  STMT_CONFLICT_INSERT,
  STMT_CONFLICT_OPEN_FIELDS,
  STMT_CONFLICT_LIST,
  STMT_CONFLICT_GET,
  STMT_CONFLICT_RESOLVE,
  STMT_ENQUEUE_UNLINKED,
  STMT_PENDING,
  STMT_CONFIRM,
  STMT_FAIL,
  STMT_OUTBOX_DROP,
  STMT_MARK_SYNCED,
  STMT_RUN_INSERT,
  STMT_RUN_FINISH,
  STMT_STATUS_COUNTS,
  STMT_STATUS_LAST_RUN,
  STMT_STATUS_LAST_SUCCESS,
  STMT_CURSORS,
  N_STMTS
} SyncStatement;

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

struct _CpSyncStore
{
  GObject       parent_instance;

  CpLeadStore  *leads;
  CpDatabase   *database;
  char         *backend;
  sqlite3_stmt *statements[N_STMTS];
};

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
static sqlite3_stmt *
statement (CpSyncStore    *self,
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

static char *
base_to_json (GHashTable *base)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) keys = NULL;

  json_builder_begin_object (builder);
  if (base != NULL)
    {
      keys = g_list_sort (g_hash_table_get_keys (base), (GCompareFunc) g_strcmp0);
      for (GList *l = keys; l != NULL; l = l->next)
        {
          const char *value = g_hash_table_lookup (base, l->data);

          if (value == NULL || *value == '\0')
            continue;
          json_builder_set_member_name (builder, l->data);
          json_builder_add_string_value (builder, value);
        }
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static GHashTable *
base_from_json (const char *text)
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

static gint64
now (CpSyncStore *self)
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

  stmt = statement (self, STMT_CURSOR_GET, NULL);
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

  stmt = statement (self, STMT_CURSOR_SET, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 2, stream);
  _cp_bind_text (stmt, 3, cursor);
  sqlite3_bind_int64 (stmt, 4, now (self));

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

  stmt = statement (self, STMT_LINK_GET, error);
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
      link->base = base_from_json (_cp_column_text (stmt, 2));
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

  stmt = statement (self, STMT_LINK_BY_REMOTE, error);
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

  json = base_to_json (base);
  stmt = statement (self, STMT_LINK_SET, error);
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

  stmt = statement (self, STMT_LINK_REMOTE_IDS, error);
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

/* Returns: (transfer full): the lead, tombstoned or not */
CpLead *
cp_sync_store_load_lead (CpSyncStore  *self,
                         const char   *lead_id,
                         gint64       *out_deleted_at,
                         GError      **error)
{
  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  return _cp_lead_store_load (self->leads, lead_id, out_deleted_at, error);
}

/**
 * cp_sync_store_insert_remote_lead:
 *
 * Inserts a lead first seen on the CRM, through the store's write path
 * (its stage checked, routed, scored): a record the playbook refuses is
 * an error, and nothing is written. Not journalled: it came from there.
 * Must run inside a transaction.
 */
gboolean
cp_sync_store_insert_remote_lead (CpSyncStore  *self,
                                  CpLead       *lead,
                                  GError      **error)
{
  CpWriteRequest request;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (cp_database_in_transaction (self->database), FALSE);

  request = _cp_write_request (CP_SYNC_ACTOR, CP_SYNC_ACTOR, _("Pulled from the CRM"), now (self),
                               CP_WRITE_MOVE | CP_WRITE_FROM_CRM | CP_WRITE_BULK);
  return _cp_lead_store_write_new (self->leads, lead, NULL, NULL, &request, NULL, error);
}

/**
 * cp_sync_store_apply_remote_edit:
 * @before: the stored lead
 * @after: the lead with the CRM's changes applied (a copy of @before)
 *
 * Writes what the CRM changed through the store's write path, audited as
 * done by sync; a stage the CRM changed is a move the playbook checks.
 * What the playbook derives from it (a score, an owner) is journalled,
 * the CRM's own change is not. Must run inside a transaction.
 */
gboolean
cp_sync_store_apply_remote_edit (CpSyncStore  *self,
                                 CpLead       *before,
                                 CpLead       *after,
                                 GError      **error)
{
  CpWriteRequest request;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (cp_database_in_transaction (self->database), FALSE);

  request = _cp_write_request (CP_SYNC_ACTOR, CP_SYNC_ACTOR, _("Changed in the CRM"), now (self),
                               CP_WRITE_MOVE | CP_WRITE_FROM_CRM | CP_WRITE_BULK);
  return _cp_lead_store_write_edit (self->leads, after, &request, NULL, NULL, error);
}

/**
 * cp_sync_store_merged_into:
 *
 * Returns: (transfer full): the live lead a removed lead was merged into,
 *   "" when it was not merged, or %NULL with @error set
 */
char *
cp_sync_store_merged_into (CpSyncStore  *self,
                           const char   *lead_id,
                           GError      **error)
{
  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  return _cp_lead_store_merged_into (self->leads, lead_id, error);
}

/**
 * cp_sync_store_carry_remote_edit:
 * @after: the lead another was merged into, with the CRM's changes to
 *   the merged lead applied
 * @merged_lead_id: the lead the CRM changed, merged away here
 *
 * The CRM changed a contact that was merged here: the change lands on the
 * surviving lead, audited as sync's, and is journalled, so the survivor's
 * own CRM record hears it too. Must run inside a transaction.
 */
gboolean
cp_sync_store_carry_remote_edit (CpSyncStore  *self,
                                 CpLead       *after,
                                 const char   *merged_lead_id,
                                 GError      **error)
{
  CpWriteRequest request;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (cp_database_in_transaction (self->database), FALSE);

  reason = g_strdup_printf (_("Changed in the CRM on lead %s, merged into this one"), merged_lead_id);
  request = _cp_write_request (CP_SYNC_ACTOR, CP_SYNC_ACTOR, reason, now (self),
                               CP_WRITE_MOVE | CP_WRITE_BULK);
  return _cp_lead_store_write_edit (self->leads, after, &request, NULL, NULL, error);
}

/**
 * cp_sync_store_restore_remote:
 *
 * A lead removed here (not merged) that the CRM has edited since comes
 * back: the edit wins over the removal, audited. The pending removal in
 * the outbox then sends the lead instead of archiving it. Must run
 * inside a transaction.
 */
gboolean
cp_sync_store_restore_remote (CpSyncStore  *self,
                              const char   *lead_id,
                              GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 when = now (self);

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (cp_database_in_transaction (self->database), FALSE);

  stmt = _cp_database_statement (self->database, CP_STMT_LEAD_UNMARK_MERGED, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, lead_id);
  sqlite3_bind_int64 (stmt, 2, when);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;
  return _cp_lead_store_write_audit (self->leads, lead_id, "restore", NULL, NULL, NULL,
                                     CP_SYNC_ACTOR, when,
                                     _("Edited in the CRM after it was removed here"), error) &&
         _cp_sync_outbox_enqueue (self->database, lead_id, "update", NULL, when, error);
}

/**
 * cp_sync_store_tombstone_remote:
 *
 * Turns a deletion on the CRM into a local tombstone: the row, history and
 * activities stay. Local changes not yet pushed are dropped from the outbox
 * (the record they would update is gone) but stay in the audit trail.
 */
gboolean
cp_sync_store_tombstone_remote (CpSyncStore  *self,
                                const char   *lead_id,
                                GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 when = now (self);
  gboolean was_live;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (cp_database_in_transaction (self->database), FALSE);

  stmt = _cp_database_statement (self->database, CP_STMT_LEAD_TOMBSTONE, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, lead_id);
  sqlite3_bind_int64 (stmt, 2, when);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;
  was_live = sqlite3_changes (_cp_database_get_handle (self->database)) > 0;

  if (was_live &&
      !_cp_lead_store_write_audit (self->leads, lead_id, "tombstone", NULL, NULL, NULL,
                                   CP_SYNC_ACTOR, when, _("Deleted in the CRM"), error))
    return FALSE;

  stmt = statement (self, STMT_LINK_MARK_DELETED, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 2, lead_id);
  sqlite3_bind_int64 (stmt, 3, when);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;

  stmt = statement (self, STMT_OUTBOX_DROP, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, lead_id);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;

  if (was_live)
    _cp_lead_store_emit_changed (self->leads, lead_id, CP_LEAD_CHANGE_REMOVED);
  return TRUE;
}

/**
 * cp_sync_store_add_conflict:
 * @out_new: (out) (optional): %FALSE when the field already had an open conflict
 *
 * Records a field changed on both sides; an open conflict on the same
 * field is updated with the newer values instead of being repeated.
 */
gboolean
cp_sync_store_add_conflict (CpSyncStore  *self,
                            const char   *lead_id,
                            const char   *field,
                            const char   *base_value,
                            const char   *local_value,
                            const char   *remote_value,
                            const char   *remote_updated_at,
                            gboolean     *out_new,
                            GError      **error)
{
  g_autoptr(GHashTable) open = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);

  open = cp_sync_store_open_conflict_fields (self, lead_id, error);
  if (open == NULL)
    return FALSE;
  if (out_new != NULL)
    *out_new = !g_hash_table_contains (open, field);

  stmt = statement (self, STMT_CONFLICT_INSERT, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 2, lead_id);
  _cp_bind_text (stmt, 3, field);
  _cp_bind_text (stmt, 4, base_value);
  _cp_bind_text (stmt, 5, local_value);
  _cp_bind_text (stmt, 6, remote_value);
  _cp_bind_text (stmt, 7, remote_updated_at);
  sqlite3_bind_int64 (stmt, 8, now (self));

  return _cp_database_step_done (self->database, stmt, error) &&
         _cp_lead_store_write_audit (self->leads, lead_id, "sync-conflict", field, local_value,
                                     remote_value, CP_SYNC_ACTOR, now (self),
                                     _("Changed here and in the CRM"), error);
}

/* Returns: (transfer full): the set of canonical field names with an open conflict */
GHashTable *
cp_sync_store_open_conflict_fields (CpSyncStore  *self,
                                    const char   *lead_id,
                                    GError      **error)
{
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  stmt = statement (self, STMT_CONFLICT_OPEN_FIELDS, error);
  if (stmt == NULL)
    return NULL;
  _cp_bind_text (stmt, 2, lead_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (fields, g_strdup (_cp_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the sync conflicts"));
      return NULL;
    }

  return g_steal_pointer (&fields);
}

/* Returns: (transfer full) (element-type CpSyncConflict): open conflicts, oldest first */
GPtrArray *
cp_sync_store_list_conflicts (CpSyncStore  *self,
                              GError      **error)
{
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_sync_conflict_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  stmt = statement (self, STMT_CONFLICT_LIST, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CpSyncConflict *conflict = g_new0 (CpSyncConflict, 1);
      const char *first = _cp_column_text (stmt, 7);
      const char *last = _cp_column_text (stmt, 8);
      const char *email = _cp_column_text (stmt, 9);

      conflict->id = sqlite3_column_int64 (stmt, 0);
      conflict->lead_id = g_strdup (_cp_column_text (stmt, 1));
      conflict->field = g_strdup (_cp_column_text (stmt, 2));
      conflict->base_value = g_strdup (_cp_column_text (stmt, 3));
      conflict->local_value = g_strdup (_cp_column_text (stmt, 4));
      conflict->remote_value = g_strdup (_cp_column_text (stmt, 5));
      conflict->created_at = sqlite3_column_int64 (stmt, 6);
      if (first != NULL || last != NULL)
        conflict->display_name = g_strstrip (g_strdup_printf ("%s %s", first ? first : "",
                                                             last ? last : ""));
      else
        conflict->display_name = g_strdup (email != NULL ? email : conflict->lead_id);
      g_ptr_array_add (conflicts, conflict);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the sync conflicts"));
      return NULL;
    }

  return g_steal_pointer (&conflicts);
}

static gboolean
resolve_in_transaction (CpSyncStore       *self,
                        gint64             conflict_id,
                        CpSyncResolution   resolution,
                        const char        *edited_value,
                        const char        *actor,
                        GError           **error)
{
  static const char * const resolution_names[] = { "mine", "theirs", "edited" };
  g_autofree char *lead_id = NULL;
  g_autofree char *field_name = NULL;
  g_autofree char *remote_value = NULL;
  g_autoptr(CpLead) before = NULL;
  g_autoptr(CpLead) after = NULL;
  sqlite3_stmt *stmt;
  CpLeadField field;
  gint64 when = now (self);
  int rc;

  stmt = statement (self, STMT_CONFLICT_GET, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, conflict_id);
  _cp_bind_text (stmt, 2, self->backend);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      lead_id = g_strdup (_cp_column_text (stmt, 0));
      field_name = g_strdup (_cp_column_text (stmt, 1));
      remote_value = g_strdup (_cp_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND,
                   _("There is no open sync conflict %" G_GINT64_FORMAT "."), conflict_id);
      return FALSE;
    }
  if (!cp_lead_field_from_name (field_name, &field))
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("The sync conflict names an unknown field “%s”."), field_name);
      return FALSE;
    }

  stmt = statement (self, STMT_CONFLICT_RESOLVE, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, conflict_id);
  sqlite3_bind_int64 (stmt, 2, when);
  _cp_bind_text (stmt, 3, resolution_names[resolution]);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;

  if (resolution == CP_SYNC_KEEP_EDITED)
    {
      /* A local edit like any other: validated, audited and journalled,
       * so the next push sends it and both sides agree. */
      CpWriteRequest request = { 0, };

      after = cp_lead_store_get (self->leads, lead_id, error);
      if (after == NULL || !cp_lead_set_field_from_string (after, field, edited_value, error))
        return FALSE;
      request.action = "update";
      request.actor = actor;
      request.reason = _("Edited while resolving a sync conflict");
      request.now = when;
      /* A stage typed in is a move, which the playbook checks. */
      request.flags = field == CP_LEAD_FIELD_STAGE ? CP_WRITE_MOVE : 0;
      return _cp_lead_store_write_edit (self->leads, after, &request, NULL, NULL, error);
    }

  if (resolution == CP_SYNC_KEEP_MINE)
    /* The base already holds the CRM's value: journalling the lead makes
     * the next push send the local one. */
    return _cp_lead_store_write_audit (self->leads, lead_id, "sync-resolve", field_name, NULL,
                                       "mine", NULL, when, _("Kept the value from Carepath"),
                                       error) &&
           _cp_sync_outbox_enqueue (self->database, lead_id, "update", field_name, when, error);

  before = cp_lead_store_get (self->leads, lead_id, error);
  if (before == NULL)
    return FALSE;
  after = cp_lead_copy (before);
  if (!cp_lead_set_field_from_string (after, field, remote_value, error))
    return FALSE;

  /* Journalled too: when the conflict was on a lead another was merged
   * into, the lead's own CRM record still holds the other value. */
  return _cp_lead_store_write_audit (self->leads, lead_id, "sync-resolve", field_name, NULL,
                                     "theirs", NULL, when, _("Kept the value from the CRM"),
                                     error) &&
         cp_sync_store_apply_remote_edit (self, before, after, error) &&
         _cp_sync_outbox_enqueue (self->database, lead_id, "update", field_name, when, error);
}

/* Both resolutions: one transaction, nothing changes if any step fails. */
static gboolean
resolve (CpSyncStore       *self,
         gint64             conflict_id,
         CpSyncResolution   resolution,
         const char        *edited_value,
         const char        *actor,
         GError           **error)
{
  if (!cp_database_begin (self->database, error))
    return FALSE;
  if (!resolve_in_transaction (self, conflict_id, resolution, edited_value, actor, error))
    {
      cp_database_rollback (self->database);
      return FALSE;
    }
  return cp_database_commit (self->database, error);
}

/**
 * cp_sync_store_resolve_conflict:
 *
 * Keep mine: the local value is pushed at the next sync. Keep theirs: the
 * CRM's value is written locally. Either way, audited.
 */
gboolean
cp_sync_store_resolve_conflict (CpSyncStore       *self,
                                gint64             conflict_id,
                                CpSyncResolution   resolution,
                                GError           **error)
{
  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (resolution != CP_SYNC_KEEP_EDITED, FALSE);

  return resolve (self, conflict_id, resolution, NULL, NULL, error);
}

/**
 * cp_sync_store_resolve_conflict_with_value:
 * @value: what the field should hold, as the user typed it (validated and
 *   normalised like any edit: an invalid value leaves the conflict open)
 * @actor: (nullable): who chose, for the audit trail
 *
 * Resolves a conflict with a third value; it is sent to the CRM at the
 * next sync.
 */
gboolean
cp_sync_store_resolve_conflict_with_value (CpSyncStore  *self,
                                           gint64        conflict_id,
                                           const char   *value,
                                           const char   *actor,
                                           GError      **error)
{
  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  return resolve (self, conflict_id, CP_SYNC_KEEP_EDITED, value, actor, error);
}

/* Returns: how many leads were journalled */
guint
cp_sync_store_enqueue_unlinked (CpSyncStore  *self,
                                GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), 0);

  stmt = statement (self, STMT_ENQUEUE_UNLINKED, error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 2, now (self));
  if (!_cp_database_step_done (self->database, stmt, error))
    return 0;

  return sqlite3_changes (_cp_database_get_handle (self->database));
}

/* Returns: (transfer full) (element-type CpSyncPending): journalled leads, oldest change first */
GPtrArray *
cp_sync_store_list_pending (CpSyncStore  *self,
                            GError      **error)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_sync_pending_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  stmt = statement (self, STMT_PENDING, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CpSyncPending *p = g_new0 (CpSyncPending, 1);

      p->lead_id = g_strdup (_cp_column_text (stmt, 0));
      p->last_outbox_id = sqlite3_column_int64 (stmt, 1);
      p->attempts = sqlite3_column_int (stmt, 2);
      g_ptr_array_add (pending, p);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the outbox"));
      return NULL;
    }

  return g_steal_pointer (&pending);
}

/**
 * cp_sync_store_confirm:
 *
 * The CRM confirmed the lead's changes up to @last_outbox_id: those
 * entries leave the outbox; edits made meanwhile stay.
 */
gboolean
cp_sync_store_confirm (CpSyncStore  *self,
                       const char   *lead_id,
                       gint64        last_outbox_id,
                       GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);

  stmt = statement (self, STMT_CONFIRM, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, lead_id);
  sqlite3_bind_int64 (stmt, 2, last_outbox_id);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;

  stmt = statement (self, STMT_MARK_SYNCED, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, lead_id);
  return _cp_database_step_done (self->database, stmt, error);
}

gboolean
cp_sync_store_record_failure (CpSyncStore  *self,
                              const char   *lead_id,
                              gint64        last_outbox_id,
                              const char   *message,
                              GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);

  stmt = statement (self, STMT_FAIL, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, lead_id);
  sqlite3_bind_int64 (stmt, 2, last_outbox_id);
  _cp_bind_text (stmt, 3, message);

  return _cp_database_step_done (self->database, stmt, error);
}

/* Returns: the new run's id, or 0 with @error set */
gint64
cp_sync_store_begin_run (CpSyncStore  *self,
                         GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), 0);

  stmt = statement (self, STMT_RUN_INSERT, error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 2, now (self));
  if (!_cp_database_step_done (self->database, stmt, error))
    return 0;

  return sqlite3_last_insert_rowid (_cp_database_get_handle (self->database));
}

/**
 * cp_sync_store_finish_run:
 * @failure: (nullable): why the run failed, %NULL if it succeeded
 */
gboolean
cp_sync_store_finish_run (CpSyncStore       *self,
                          gint64             run_id,
                          const CpSyncStats *stats,
                          const GError      *failure,
                          const char        *correlation_id,
                          GError           **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);

  stmt = statement (self, STMT_RUN_FINISH, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int64 (stmt, 2, MAX (now (self), 1));
  sqlite3_bind_int (stmt, 3, stats->pulled);
  sqlite3_bind_int (stmt, 4, stats->pushed);
  sqlite3_bind_int (stmt, 5, stats->deleted);
  sqlite3_bind_int (stmt, 6, stats->conflicts);
  sqlite3_bind_int (stmt, 7, stats->errors);
  sqlite3_bind_int (stmt, 8, failure == NULL);
  _cp_bind_text (stmt, 9, failure != NULL ? failure->message : NULL);
  _cp_bind_text (stmt, 10, correlation_id);

  return _cp_database_step_done (self->database, stmt, error);
}

CpSyncStatus *
cp_sync_store_get_status (CpSyncStore  *self,
                          GError      **error)
{
  g_autoptr(CpSyncStatus) status = g_new0 (CpSyncStatus, 1);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_SYNC_STORE (self), NULL);

  status->cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  stmt = statement (self, STMT_STATUS_COUNTS, error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      status->pending = sqlite3_column_int (stmt, 0);
      status->conflicts = sqlite3_column_int (stmt, 1);
      status->rejects = sqlite3_column_int (stmt, 2);
      status->push_failures = sqlite3_column_int (stmt, 3);
    }
  sqlite3_reset (stmt);

  stmt = statement (self, STMT_STATUS_LAST_RUN, error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      status->last_run_at = sqlite3_column_int64 (stmt, 0);
      if (sqlite3_column_int (stmt, 1) == 0)
        {
          status->last_error = g_strdup (_cp_column_text (stmt, 2));
          status->last_correlation_id = g_strdup (_cp_column_text (stmt, 3));
        }
    }
  sqlite3_reset (stmt);

  stmt = statement (self, STMT_STATUS_LAST_SUCCESS, error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    status->last_success_at = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  stmt = statement (self, STMT_CURSORS, error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (status->cursors, g_strdup (_cp_column_text (stmt, 0)),
                         g_strdup (_cp_column_text (stmt, 1)));
  sqlite3_reset (stmt);

  return g_steal_pointer (&status);
}
