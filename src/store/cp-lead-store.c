/* cp-lead-store.c — leads in the database: reading them, the audit trail, change signals
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-lead-columns.h"
#include "cp-lead-private.h"
#include "cp-lead-store-private.h"
#include "cp-outbox.h"


G_DEFINE_FINAL_TYPE (CpLeadStore, cp_lead_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  TASKS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
cp_duplicate_candidate_free (CpDuplicateCandidate *candidate)
{
  if (candidate == NULL)
    return;
  g_free (candidate->lead_id);
  g_free (candidate->display_name);
  g_free (candidate->reason);
  g_free (candidate);
}

void
cp_stage_summary_free (CpStageSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->stage);
  g_free (summary);
}

void
cp_history_entry_free (CpHistoryEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->action);
  g_free (entry->field);
  g_free (entry->old_value);
  g_free (entry->new_value);
  g_free (entry->actor);
  g_free (entry->reason);
  g_free (entry);
}


gint64
_cp_lead_store_default_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

typedef struct
{
  char *lead_id;
  guint change;
} PendingChange;

/* A bulk change may have changed tasks too. */
static void
emit_now (CpLeadStore  *self,
          const char   *lead_id,
          guint         change)
{
  if (change == _CP_LEAD_CHANGE_TASKS)
    {
      g_signal_emit (self, signals[TASKS_CHANGED], 0, lead_id);
      return;
    }
  g_signal_emit (self, signals[CHANGED], 0, lead_id, change);
  if (change == CP_LEAD_CHANGE_BULK)
    g_signal_emit (self, signals[TASKS_CHANGED], 0, NULL);
}

/* Changes are announced once committed: inside a transaction the caller
 * opened, they wait for its commit, and a rollback drops them. */
void
_cp_lead_store_emit_changed (CpLeadStore  *self,
                             const char   *lead_id,
                             CpLeadChange  change)
{
  if (cp_database_in_transaction (self->database))
    {
      PendingChange pending = { g_strdup (lead_id), change };
      g_array_append_val (self->pending, pending);
      return;
    }

  emit_now (self, lead_id, change);
}

static void
transaction_finished_cb (CpDatabase  *database,
                         gboolean     committed,
                         CpLeadStore *self)
{
  g_autoptr(GArray) pending = g_steal_pointer (&self->pending);

  self->pending = g_array_new (FALSE, FALSE, sizeof (PendingChange));
  for (guint i = 0; i < pending->len; i++)
    {
      PendingChange *p = &g_array_index (pending, PendingChange, i);

      if (committed)
        emit_now (self, p->lead_id, p->change);
      g_free (p->lead_id);
    }
}

void
_cp_lead_store_not_found (GError     **error,
           const char  *id)
{
  g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND,
               _("There is no lead with the id “%s”."), id);
}

/* Loads the canonical columns 0…N-1 of @stmt's current row. */
CpLead *
_cp_lead_from_row (sqlite3_stmt *stmt)
{
  CpLead *lead = cp_lead_new ();

  _cp_lead_set_custom_unloaded (lead, TRUE);

  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    {
      const CpFieldInfo *info = cp_lead_field_info (i);

      if (info->type == CP_FIELD_TYPE_TEXT || info->type == CP_FIELD_TYPE_CHOICE)
        {
          const char *text = _cp_column_text (stmt, i);
          if (text != NULL)
            _cp_lead_take_text (lead, i, g_strdup (text));
        }
      else
        {
          _cp_lead_store_int (lead, i, sqlite3_column_int64 (stmt, i));
        }
    }
  cp_lead_set_stage_entered_at (lead, sqlite3_column_int64 (stmt, CP_LEAD_STAGE_ENTERED_COLUMN));
  _cp_lead_mark_pristine (lead);

  return lead;
}


static gboolean
load_custom_fields (CpLeadStore  *self,
                    CpLead       *lead,
                    GError      **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (self->database, CP_STMT_LEAD_CUSTOM_GET, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, cp_lead_get_id (lead), -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    cp_lead_set_custom (lead, _cp_column_text (stmt, 0), _cp_column_text (stmt, 1));
  sqlite3_reset (stmt);
  _cp_lead_set_custom_unloaded (lead, rc != SQLITE_DONE);

  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read custom fields"));
      return FALSE;
    }

  return TRUE;
}

/* Reads a lead, tombstoned or not. */
CpLead *
_cp_lead_store_load (CpLeadStore  *self,
           const char   *id,
           gint64       *out_deleted_at,
           GError      **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (self->database, CP_STMT_LEAD_GET, error);
  g_autoptr(CpLead) lead = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      lead = _cp_lead_from_row (stmt);
      if (out_deleted_at != NULL)
        *out_deleted_at = sqlite3_column_int64 (stmt, CP_LEAD_STAGE_ENTERED_COLUMN + 1);
    }
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      _cp_lead_store_not_found (error, id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the lead"));
      return NULL;
    }

  if (!load_custom_fields (self, lead, error))
    return NULL;
  /* What a caller changes is counted from here (cp_lead_field_changed()). */
  _cp_lead_mark_pristine (lead);

  return g_steal_pointer (&lead);
}

gboolean
_cp_lead_store_write_audit (CpLeadStore  *self,
             const char   *entity_id,
             const char   *action,
             const char   *field,
             const char   *old_value,
             const char   *new_value,
             const char   *actor,
             gint64        time,
             const char   *reason,
             GError      **error)
{
  return _cp_lead_store_write_entity_audit (self, "lead", entity_id, action, field, old_value, new_value,
                                            actor, time, reason, error);
}

/* An audit row of another entity than a lead ('task'). */
gboolean
_cp_lead_store_write_entity_audit (CpLeadStore  *self,
                                   const char   *entity,
                                   const char   *entity_id,
                                   const char   *action,
                                   const char   *field,
                                   const char   *old_value,
                                   const char   *new_value,
                                   const char   *actor,
                                   gint64        time,
                                   const char   *reason,
                                   GError      **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (self->database, CP_STMT_AUDIT_INSERT, error);

  if (stmt == NULL)
    return FALSE;

  _cp_bind_text (stmt, 1, entity);
  _cp_bind_text (stmt, 2, entity_id);
  _cp_bind_text (stmt, 3, action);
  _cp_bind_text (stmt, 4, field);
  _cp_bind_text (stmt, 5, old_value);
  _cp_bind_text (stmt, 6, new_value);
  _cp_bind_text (stmt, 7, actor);
  sqlite3_bind_int64 (stmt, 8, time);
  _cp_bind_text (stmt, 9, reason);

  return _cp_database_step_done (self->database, stmt, error);
}

/**
 * cp_lead_store_count_account_contacts:
 * @lead_id: a lead linked to an organization
 * @active_since: count contacts with activity since then (0: all)
 * @out_count: (out): how many live leads share the lead's account,
 *   the lead included; 0 when it has no organization
 */
gboolean
cp_lead_store_count_account_contacts (CpLeadStore  *self,
                                      const char   *lead_id,
                                      gint64        active_since,
                                      guint        *out_count,
                                      GError      **error)
{
  g_autofree char *account_id = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (lead_id != NULL && out_count != NULL, FALSE);

  *out_count = 0;
  stmt = _cp_database_prepare (self->database, "SELECT account_id FROM leads WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, lead_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    account_id = g_strdup (_cp_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    {
      _cp_lead_store_not_found (error, lead_id);
      return FALSE;
    }
  if (account_id == NULL)
    return TRUE;

  stmt = _cp_database_statement (self->database, CP_STMT_ACCOUNT_CONTACTS, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, active_since);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_count = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not count the organization’s contacts"));
      return FALSE;
    }

  return TRUE;
}

static void
cp_lead_store_finalize (GObject *object)
{
  CpLeadStore *self = CP_LEAD_STORE (object);

  g_clear_handle_id (&self->watch_id, g_source_remove);
  if (self->database != NULL)
    g_clear_signal_handler (&self->finished_id, self->database);
  if (self->pending != NULL)
    for (guint i = 0; i < self->pending->len; i++)
      g_free (g_array_index (self->pending, PendingChange, i).lead_id);
  g_clear_pointer (&self->pending, g_array_unref);
  g_clear_pointer (&self->lifecycle, cp_lifecycle_unref);
  g_clear_pointer (&self->router, cp_router_state_free);
  g_clear_object (&self->database);
  g_clear_pointer (&self->default_region, g_free);

  G_OBJECT_CLASS (cp_lead_store_parent_class)->finalize (object);
}

static void
cp_lead_store_class_init (CpLeadStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cp_lead_store_finalize;

  /**
   * CpLeadStore::changed:
   * @lead_id: (nullable): the lead, or %NULL for a bulk change
   * @change: a #CpLeadChange
   *
   * Emitted after a change is committed.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);

  /**
   * CpLeadStore::tasks-changed:
   * @lead_id: (nullable): the lead whose tasks changed, or %NULL for many
   *
   * Emitted after a change to tasks is committed (see cp-task-store.h).
   */
  signals[TASKS_CHANGED] =
    g_signal_new ("tasks-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
cp_lead_store_init (CpLeadStore *self)
{
  self->default_region = g_strdup ("US");
  self->now_func = _cp_lead_store_default_now;
}

CpLeadStore *
cp_lead_store_new (CpDatabase *database)
{
  CpLeadStore *self;

  g_return_val_if_fail (CP_IS_DATABASE (database), NULL);

  self = g_object_new (CP_TYPE_LEAD_STORE, NULL);
  self->database = g_object_ref (database);
  self->pending = g_array_new (FALSE, FALSE, sizeof (PendingChange));
  self->finished_id = g_signal_connect (database, "transaction-finished",
                                        G_CALLBACK (transaction_finished_cb), self);

  return self;
}

CpDatabase *
cp_lead_store_get_database (CpLeadStore *self)
{
  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);

  return self->database;
}

/**
 * cp_lead_store_set_default_region:
 * @region: ISO 3166 code used for phone numbers typed without a country code
 */
void
cp_lead_store_set_default_region (CpLeadStore *self,
                                  const char  *region)
{
  g_return_if_fail (CP_IS_LEAD_STORE (self));
  g_return_if_fail (region != NULL);

  g_free (self->default_region);
  self->default_region = g_strdup (region);
}

/* Tests replace the clock to check timestamps exactly. */
void
cp_lead_store_set_clock (CpLeadStore  *self,
                         gint64      (*now_func) (void))
{
  g_return_if_fail (CP_IS_LEAD_STORE (self));

  self->now_func = now_func != NULL ? now_func : _cp_lead_store_default_now;
}

gint64
cp_lead_store_now (CpLeadStore *self)
{
  g_return_val_if_fail (CP_IS_LEAD_STORE (self), 0);

  return self->now_func ();
}

/**
 * cp_lead_store_get:
 *
 * Returns: (transfer full): the lead with its custom fields, or %NULL with
 *   %CP_STORE_ERROR_NOT_FOUND if there is none or it was removed
 */
CpLead *
cp_lead_store_get (CpLeadStore  *self,
                   const char   *id,
                   GError      **error)
{
  g_autoptr(CpLead) lead = NULL;
  gint64 deleted_at = 0;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  lead = _cp_lead_store_load (self, id, &deleted_at, error);
  if (lead == NULL)
    return NULL;
  if (deleted_at != 0)
    {
      _cp_lead_store_not_found (error, id);
      return NULL;
    }

  return g_steal_pointer (&lead);
}

/**
 * cp_lead_store_tombstone:
 *
 * Removes a lead from every view without deleting it: the row, its
 * history and activities stay, so sync can propagate the removal and the
 * audit trail stays whole.
 */
gboolean
cp_lead_store_tombstone (CpLeadStore  *self,
                         const char   *id,
                         const char   *reason,
                         const char   *actor,
                         GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 now;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  now = self->now_func ();
  if (!cp_database_begin (self->database, error))
    return FALSE;

  stmt = _cp_database_statement (self->database, CP_STMT_LEAD_TOMBSTONE, error);
  if (stmt == NULL)
    goto fail;
  _cp_bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!_cp_database_step_done (self->database, stmt, error))
    goto fail;
  if (sqlite3_changes (_cp_database_get_handle (self->database)) == 0)
    {
      _cp_lead_store_not_found (error, id);
      goto fail;
    }
  if (!_cp_lead_store_write_audit (self, id, "tombstone", NULL, NULL, NULL, actor, now, reason, error))
    goto fail;
  if (!_cp_sync_outbox_enqueue (self->database, id, "delete", NULL, now, error))
    goto fail;
  if (!cp_database_commit (self->database, error))
    return FALSE;

  _cp_lead_store_emit_changed (self, id, CP_LEAD_CHANGE_REMOVED);
  return TRUE;

fail:
  cp_database_rollback (self->database);
  return FALSE;
}


/**
 * cp_lead_store_list_activities:
 *
 * Returns: (transfer full) (element-type CpActivity): newest first
 */
GPtrArray *
cp_lead_store_list_activities (CpLeadStore  *self,
                               const char   *lead_id,
                               GError      **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);
  g_return_val_if_fail (lead_id != NULL, NULL);

  stmt = _cp_database_statement (self->database, CP_STMT_ACTIVITIES_FOR_LEAD, error);
  if (stmt == NULL)
    return NULL;
  _cp_bind_text (stmt, 1, lead_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CpActivity *activity = cp_activity_new ();
      CpActivityKind kind = 0;

      cp_activity_set_id (activity, _cp_column_text (stmt, 0));
      cp_activity_set_lead_id (activity, _cp_column_text (stmt, 1));
      if (cp_activity_kind_from_string (_cp_column_text (stmt, 2), &kind))
        cp_activity_set_kind (activity, kind);
      cp_activity_set_occurred_at (activity, sqlite3_column_int64 (stmt, 3));
      cp_activity_set_detail (activity, _cp_column_text (stmt, 4));
      cp_activity_set_disposition (activity, _cp_column_text (stmt, 5));
      cp_activity_set_depth (activity, sqlite3_column_int (stmt, 6));
      cp_activity_set_actor (activity, _cp_column_text (stmt, 7));
      cp_activity_set_source (activity, _cp_column_text (stmt, 8));
      cp_activity_set_external_id (activity, _cp_column_text (stmt, 9));
      cp_activity_set_direction (activity, _cp_column_text (stmt, 10));
      g_ptr_array_add (result, activity);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read activities"));
      return NULL;
    }

  return g_steal_pointer (&result);
}

/* For writers that bypass the per-lead API (imports, generators). */
void
cp_lead_store_emit_bulk_change (CpLeadStore *self)
{
  g_return_if_fail (CP_IS_LEAD_STORE (self));

  _cp_lead_store_emit_changed (self, NULL, CP_LEAD_CHANGE_BULK);
}

static gboolean
check_external_changes_cb (gpointer user_data)
{
  CpLeadStore *self = user_data;
  gint64 version;

  /* Our own transactions are announced as they commit. */
  if (cp_database_in_transaction (self->database))
    return G_SOURCE_CONTINUE;

  version = cp_database_get_data_version (self->database);
  if (version != self->data_version)
    {
      self->data_version = version;
      _cp_lead_store_emit_changed (self, NULL, CP_LEAD_CHANGE_BULK);
    }

  return G_SOURCE_CONTINUE;
}

/**
 * cp_lead_store_watch_external_changes:
 * @interval_ms: how often to look; 0 stops watching
 *
 * Announces, as a bulk change, what other processes (the CLI, a sync
 * worker) commit to the same database file, so views follow them.
 */
void
cp_lead_store_watch_external_changes (CpLeadStore *self,
                                      guint        interval_ms)
{
  g_return_if_fail (CP_IS_LEAD_STORE (self));

  g_clear_handle_id (&self->watch_id, g_source_remove);
  if (interval_ms == 0)
    return;

  self->data_version = cp_database_get_data_version (self->database);
  self->watch_id = g_timeout_add (interval_ms, check_external_changes_cb, self);
}
