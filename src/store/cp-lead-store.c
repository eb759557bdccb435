/* cp-lead-store.c — leads in the database: create, edit, move, merge, query
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-lead-columns.h"
#include "cp-lead-private.h"
#include "cp-lead-store-private.h"
#include "cp-sync-store.h"
#include "cp-sync-store-private.h"
#include "cp-stage-event.h"
#include "cp-validate.h"

/* Local sync state of a lead, as in an offline cache. */
enum
{
  SYNC_STATE_SYNCED = 0,
  SYNC_STATE_CREATED = 1,
  SYNC_STATE_MODIFIED = 2,
  SYNC_STATE_DELETED = 3,
};


G_DEFINE_FINAL_TYPE (CpLeadStore, cp_lead_store, G_TYPE_OBJECT)

enum {
  CHANGED,
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

static gboolean
text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
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

  g_signal_emit (self, signals[CHANGED], 0, lead_id, (guint) change);
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
        g_signal_emit (self, signals[CHANGED], 0, p->lead_id, p->change);
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

  return lead;
}

static void
bind_lead_field (sqlite3_stmt *stmt,
                 int           index,
                 CpLead       *lead,
                 CpLeadField   field)
{
  const CpFieldInfo *info = cp_lead_field_info (field);

  if (info->type == CP_FIELD_TYPE_TEXT || info->type == CP_FIELD_TYPE_CHOICE)
    _cp_bind_text (stmt, index, cp_lead_get_text (lead, field));
  else
    sqlite3_bind_int64 (stmt, index, cp_lead_get_int (lead, field));
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
  sqlite3_stmt *stmt = _cp_database_statement (self->database, CP_STMT_AUDIT_INSERT, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, "lead", -1, SQLITE_STATIC);
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

static gboolean
write_stage_event (CpLeadStore  *self,
                   const char   *lead_id,
                   const char   *from_stage,
                   const char   *to_stage,
                   const char   *reason,
                   const char   *actor,
                   gint64        time,
                   GError      **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (self->database, CP_STMT_STAGE_EVENT_INSERT, error);

  if (stmt == NULL)
    return FALSE;

  _cp_bind_text (stmt, 1, lead_id);
  _cp_bind_text (stmt, 2, from_stage);
  _cp_bind_text (stmt, 3, to_stage);
  _cp_bind_text (stmt, 4, reason);
  _cp_bind_text (stmt, 5, actor);
  sqlite3_bind_int64 (stmt, 6, time);

  return _cp_database_step_done (self->database, stmt, error);
}

/* Normalises what the store keeps canonical (phone in E.164) and checks
 * the lead before anything is written. */
static gboolean
prepare_lead (CpLeadStore  *self,
              CpLead       *lead,
              GError      **error)
{
  const char *phone = cp_lead_get_text (lead, CP_LEAD_FIELD_PHONE);

  if (phone != NULL && *phone != '\0')
    {
      g_autofree char *e164 = cp_phone_normalize_e164 (phone, self->default_region, error);
      if (e164 == NULL)
        return FALSE;
      if (g_strcmp0 (e164, phone) != 0)
        cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, e164);
    }

  return cp_lead_validate (lead, NULL, NULL, error);
}

gboolean
_cp_lead_store_prepare (CpLeadStore  *self,
                        CpLead       *lead,
                        GError      **error)
{
  return prepare_lead (self, lead, error);
}

static void
bind_match_keys (CpLeadStore  *self,
                 sqlite3_stmt *stmt,
                 int           first_index,
                 CpLead       *lead)
{
  g_autofree char *email_key = cp_lead_match_key (lead, CP_MATCH_EMAIL, self->default_region);
  g_autofree char *phone_key = cp_lead_match_key (lead, CP_MATCH_PHONE, self->default_region);
  g_autofree char *name_key = cp_lead_match_key (lead, CP_MATCH_NAME_LOCATION, self->default_region);
  g_autofree char *location_key = cp_normalize_name (cp_lead_get_text (lead, CP_LEAD_FIELD_LOCATION));

  _cp_bind_text (stmt, first_index, email_key);
  _cp_bind_text (stmt, first_index + 1, phone_key);
  _cp_bind_text (stmt, first_index + 2, name_key);
  _cp_bind_text (stmt, first_index + 3, location_key != NULL && *location_key ? location_key : NULL);
}

static gboolean
write_custom_fields (CpLeadStore  *self,
                     CpLead       *lead,
                     CpLead       *before,
                     const char   *actor,
                     gint64        now,
                     const char   *reason,
                     GError      **error)
{
  GHashTable *after_fields = cp_lead_get_custom_fields (lead);
  GHashTable *before_fields = before != NULL ? cp_lead_get_custom_fields (before) : NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (after_fields != NULL)
    {
      g_hash_table_iter_init (&iter, after_fields);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          const char *old_value = before_fields != NULL ? g_hash_table_lookup (before_fields, key) : NULL;
          g_autofree char *audit_field = NULL;
          sqlite3_stmt *stmt;

          if (g_strcmp0 (old_value, value) == 0)
            continue;

          stmt = _cp_database_statement (self->database, CP_STMT_LEAD_CUSTOM_SET, error);
          if (stmt == NULL)
            return FALSE;
          _cp_bind_text (stmt, 1, cp_lead_get_id (lead));
          _cp_bind_text (stmt, 2, key);
          _cp_bind_text (stmt, 3, value);
          if (!_cp_database_step_done (self->database, stmt, error))
            return FALSE;

          if (before != NULL)
            {
              audit_field = g_strconcat ("custom.", (const char *) key, NULL);
              if (!_cp_lead_store_write_audit (self, cp_lead_get_id (lead), "update", audit_field, old_value,
                                value, actor, now, reason, error))
                return FALSE;
            }
        }
    }

  /* A lead read as a list row never had its custom fields: the ones set
   * on it are saved, the absent ones are not "removed". */
  if (before_fields != NULL && !_cp_lead_get_custom_unloaded (lead))
    {
      g_hash_table_iter_init (&iter, before_fields);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_autofree char *audit_field = NULL;
          sqlite3_stmt *stmt;

          if (after_fields != NULL && g_hash_table_contains (after_fields, key))
            continue;

          stmt = _cp_database_statement (self->database, CP_STMT_LEAD_CUSTOM_DELETE, error);
          if (stmt == NULL)
            return FALSE;
          _cp_bind_text (stmt, 1, cp_lead_get_id (lead));
          _cp_bind_text (stmt, 2, key);
          if (!_cp_database_step_done (self->database, stmt, error))
            return FALSE;

          audit_field = g_strconcat ("custom.", (const char *) key, NULL);
          if (!_cp_lead_store_write_audit (self, cp_lead_get_id (lead), "update", audit_field, value, NULL,
                            actor, now, reason, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* Links a lead to the account of its organization, creating the account
 * the first time the organization is seen. Several contacts of one clinic
 * then count together (account-level engagement). */
static gboolean
link_account (CpLeadStore  *self,
              CpLead       *lead,
              gint64        now,
              GError      **error)
{
  const char *organization = cp_lead_get_text (lead, CP_LEAD_FIELD_ORGANIZATION);
  g_autofree char *key = NULL;
  g_autofree char *account_id = NULL;
  sqlite3_stmt *stmt;
  int rc;

  key = cp_normalize_name (organization);
  stmt = _cp_database_statement (self->database, CP_STMT_LEAD_SET_ACCOUNT, error);
  if (stmt == NULL)
    return FALSE;

  if (key == NULL || *key == '\0')
    {
      _cp_bind_text (stmt, 1, cp_lead_get_id (lead));
      _cp_bind_text (stmt, 2, NULL);
      return _cp_database_step_done (self->database, stmt, error);
    }

  stmt = _cp_database_statement (self->database, CP_STMT_ACCOUNT_UPSERT, error);
  if (stmt == NULL)
    return FALSE;
  {
    g_autofree char *new_id = cp_lead_new_id ();
    _cp_bind_text (stmt, 1, new_id);
  }
  _cp_bind_text (stmt, 2, organization);
  _cp_bind_text (stmt, 3, key);
  _cp_bind_text (stmt, 4, cp_lead_get_text (lead, CP_LEAD_FIELD_ORG_TYPE));
  _cp_bind_text (stmt, 5, cp_lead_get_text (lead, CP_LEAD_FIELD_ORG_SIZE));
  _cp_bind_text (stmt, 6, cp_lead_get_text (lead, CP_LEAD_FIELD_LOCATION));
  _cp_bind_text (stmt, 7, cp_lead_get_text (lead, CP_LEAD_FIELD_REGION));
  sqlite3_bind_int64 (stmt, 8, now);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;

  stmt = _cp_database_statement (self->database, CP_STMT_ACCOUNT_ID_BY_KEY, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    account_id = g_strdup (_cp_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not link the organization"));
      return FALSE;
    }

  stmt = _cp_database_statement (self->database, CP_STMT_LEAD_SET_ACCOUNT, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, cp_lead_get_id (lead));
  _cp_bind_text (stmt, 2, account_id);

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

static gboolean
insert_lead_row (CpLeadStore  *self,
                 CpLead       *lead,
                 gint64        stage_entered_at,
                 GError      **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (self->database, CP_STMT_LEAD_INSERT, error);

  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    bind_lead_field (stmt, i + 1, lead, i);
  bind_match_keys (self, stmt, CP_LEAD_N_FIELDS + 1, lead);
  sqlite3_bind_int64 (stmt, CP_LEAD_N_FIELDS + 5, stage_entered_at);
  cp_lead_set_stage_entered_at (lead, stage_entered_at);
  sqlite3_bind_int (stmt, CP_LEAD_N_FIELDS + 6, SYNC_STATE_CREATED);

  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;

  return cp_lead_get_text (lead, CP_LEAD_FIELD_ORGANIZATION) == NULL ||
         link_account (self, lead, stage_entered_at, error);
}

static gboolean
insert_lead (CpLeadStore  *self,
             CpLead       *lead,
             const char   *actor,
             gint64        now,
             GError      **error)
{
  return insert_lead_row (self, lead, now, error) &&
         write_custom_fields (self, lead, NULL, actor, now, NULL, error) &&
         _cp_lead_store_write_audit (self, cp_lead_get_id (lead), "create", NULL, NULL, NULL, actor, now,
                      NULL, error) &&
         write_stage_event (self, cp_lead_get_id (lead), NULL, cp_lead_get_stage (lead),
                            _("Created"), actor, now, error) &&
         _cp_sync_outbox_enqueue (self->database, cp_lead_get_id (lead), "create", NULL, now, error);
}

static gboolean
insert_activity_row (CpLeadStore  *self,
                     CpActivity   *activity,
                     GError      **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (self->database, CP_STMT_ACTIVITY_INSERT, error);
  g_autofree char *generated_id = NULL;
  const char *id = cp_activity_get_id (activity);

  if (stmt == NULL)
    return FALSE;

  if (id == NULL)
    {
      generated_id = cp_lead_new_id ();
      cp_activity_set_id (activity, generated_id);
      id = generated_id;
    }

  _cp_bind_text (stmt, 1, id);
  _cp_bind_text (stmt, 2, cp_activity_get_lead_id (activity));
  _cp_bind_text (stmt, 3, cp_activity_kind_to_string (cp_activity_get_kind (activity)));
  sqlite3_bind_int64 (stmt, 4, cp_activity_get_occurred_at (activity));
  _cp_bind_text (stmt, 5, cp_activity_get_detail (activity));
  _cp_bind_text (stmt, 6, cp_activity_get_disposition (activity));
  sqlite3_bind_int (stmt, 7, cp_activity_get_depth (activity));
  _cp_bind_text (stmt, 8, cp_activity_get_actor (activity));

  return _cp_database_step_done (self->database, stmt, error);
}

gboolean
_cp_lead_store_insert_with_history (CpLeadStore  *self,
                                    CpLead       *lead,
                                    GPtrArray    *stage_history,
                                    GPtrArray    *activities,
                                    const char   *actor,
                                    GError      **error)
{
  gint64 created_at;
  gint64 stage_entered_at;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (cp_database_in_transaction (self->database), FALSE);

  if (cp_lead_get_id (lead) == NULL)
    {
      g_autofree char *id = cp_lead_new_id ();
      cp_lead_set_text (lead, CP_LEAD_FIELD_ID, id);
    }
  if (cp_lead_get_stage (lead) == NULL)
    cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, "new");
  created_at = cp_lead_get_int (lead, CP_LEAD_FIELD_CREATED_AT);
  if (created_at == 0)
    {
      created_at = self->now_func ();
      cp_lead_set_int (lead, CP_LEAD_FIELD_CREATED_AT, created_at);
    }
  if (cp_lead_get_int (lead, CP_LEAD_FIELD_UPDATED_AT) == 0)
    cp_lead_set_int (lead, CP_LEAD_FIELD_UPDATED_AT, created_at);

  if (!prepare_lead (self, lead, error))
    return FALSE;

  stage_entered_at = created_at;
  if (stage_history != NULL && stage_history->len > 0)
    stage_entered_at = ((CpStageEvent *) stage_history->pdata[stage_history->len - 1])->device_time;

  if (!insert_lead_row (self, lead, stage_entered_at, error) ||
      !write_custom_fields (self, lead, NULL, actor, created_at, NULL, error) ||
      !_cp_lead_store_write_audit (self, cp_lead_get_id (lead), "create", NULL, NULL, NULL, actor, created_at,
                    NULL, error))
    return FALSE;

  if (stage_history == NULL || stage_history->len == 0)
    {
      if (!write_stage_event (self, cp_lead_get_id (lead), NULL, cp_lead_get_stage (lead),
                              _("Created"), actor, created_at, error))
        return FALSE;
    }
  else
    {
      for (guint i = 0; i < stage_history->len; i++)
        {
          CpStageEvent *event = stage_history->pdata[i];

          if (!write_stage_event (self, cp_lead_get_id (lead), event->from_stage, event->to_stage,
                                  event->reason, event->actor, event->device_time, error))
            return FALSE;
        }
    }

  for (guint i = 0; activities != NULL && i < activities->len; i++)
    {
      CpActivity *activity = activities->pdata[i];

      cp_activity_set_lead_id (activity, cp_lead_get_id (lead));
      if (!insert_activity_row (self, activity, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
enqueue_update (CpLeadStore  *self,
                CpLead       *lead,
                GArray       *changed,
                gint64        now,
                GError      **error)
{
  g_autoptr(GString) fields = g_string_new (NULL);

  for (guint i = 0; i < changed->len; i++)
    g_string_append_printf (fields, "%s%s", i ? "," : "",
                            cp_lead_field_info (g_array_index (changed, CpLeadField, i))->name);
  return _cp_sync_outbox_enqueue (self->database, cp_lead_get_id (lead), "update", fields->str,
                                  now, error);
}

/* Writes the changed canonical columns of @lead and one audit row each. */
gboolean
_cp_lead_store_update_row (CpLeadStore  *self,
                 CpLead       *before,
                 CpLead       *lead,
                 const char   *action,
                 const char   *actor,
                 const char   *reason,
                 gint64        now,
                 gboolean     *out_changed,
                 GError      **error)
{
  g_autoptr(GString) sql = g_string_new ("UPDATE leads SET ");
  g_autoptr(GArray) changed = g_array_new (FALSE, FALSE, sizeof (CpLeadField));
  sqlite3_stmt *stmt;
  gboolean stage_changed;
  int index = 1;
  int rc;

  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    {
      if (i == CP_LEAD_FIELD_ID || i == CP_LEAD_FIELD_CREATED_AT || i == CP_LEAD_FIELD_UPDATED_AT)
        continue;
      if (!cp_lead_equal_field (before, lead, i))
        g_array_append_val (changed, i);
    }

  *out_changed = changed->len > 0;
  if (changed->len == 0)
    return write_custom_fields (self, lead, before, actor, now, reason, error);

  stage_changed = !cp_lead_equal_field (before, lead, CP_LEAD_FIELD_STAGE);
  cp_lead_set_int (lead, CP_LEAD_FIELD_UPDATED_AT, now);
  if (stage_changed)
    cp_lead_set_stage_entered_at (lead, now);

  /* Column names come from the field table, never from input. */
  for (guint i = 0; i < changed->len; i++)
    g_string_append_printf (sql, "%s = ?, ",
                            cp_lead_field_info (g_array_index (changed, CpLeadField, i))->name);
  g_string_append (sql, "updated_at = ?, email_key = ?, phone_key = ?, name_key = ?,"
                        " location_key = ?,"
                        " sync_state = CASE sync_state WHEN 0 THEN 2 ELSE sync_state END");
  if (stage_changed)
    g_string_append (sql, ", stage_entered_at = ?");
  g_string_append (sql, " WHERE id = ?");

  stmt = _cp_database_prepare (self->database, sql->str, error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < changed->len; i++)
    bind_lead_field (stmt, index++, lead, g_array_index (changed, CpLeadField, i));
  sqlite3_bind_int64 (stmt, index++, now);
  bind_match_keys (self, stmt, index, lead);
  index += 4;
  if (stage_changed)
    sqlite3_bind_int64 (stmt, index++, now);
  _cp_bind_text (stmt, index, cp_lead_get_id (lead));

  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not save the lead"));
      return FALSE;
    }

  for (guint i = 0; i < changed->len; i++)
    {
      CpLeadField field = g_array_index (changed, CpLeadField, i);
      g_autofree char *old_value = cp_lead_dup_field_string (before, field);
      g_autofree char *new_value = cp_lead_dup_field_string (lead, field);

      if (!_cp_lead_store_write_audit (self, cp_lead_get_id (lead), action, cp_lead_field_info (field)->name,
                        old_value, new_value, actor, now, reason, error))
        return FALSE;
    }

  /* Edits are journalled for sync; changes that came from the CRM are not. */
  if (g_strcmp0 (action, CP_SYNC_ACTOR) != 0 &&
      !enqueue_update (self, lead, changed, now, error))
    return FALSE;

  if (stage_changed &&
      !write_stage_event (self, cp_lead_get_id (lead), cp_lead_get_stage (before),
                          cp_lead_get_stage (lead), reason, actor, now, error))
    return FALSE;

  if (!cp_lead_equal_field (before, lead, CP_LEAD_FIELD_ORGANIZATION) &&
      !link_account (self, lead, now, error))
    return FALSE;

  return write_custom_fields (self, lead, before, actor, now, reason, error);
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
 * cp_lead_store_create:
 * @lead: a new lead; its id, timestamps and stage are filled in if unset
 *
 * Validates and inserts @lead, with its creation in the audit trail and a
 * first stage event.
 */
gboolean
cp_lead_store_create (CpLeadStore  *self,
                      CpLead       *lead,
                      const char   *actor,
                      GError      **error)
{
  gint64 now;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (CP_IS_LEAD (lead), FALSE);

  now = self->now_func ();
  if (cp_lead_get_id (lead) == NULL)
    {
      g_autofree char *id = cp_lead_new_id ();
      cp_lead_set_text (lead, CP_LEAD_FIELD_ID, id);
    }
  if (cp_lead_get_stage (lead) == NULL)
    cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, "new");
  if (cp_lead_get_int (lead, CP_LEAD_FIELD_CREATED_AT) == 0)
    cp_lead_set_int (lead, CP_LEAD_FIELD_CREATED_AT, now);
  cp_lead_set_int (lead, CP_LEAD_FIELD_UPDATED_AT, now);

  if (!prepare_lead (self, lead, error))
    return FALSE;

  if (!cp_database_begin (self->database, error))
    return FALSE;
  if (!insert_lead (self, lead, actor, now, error))
    {
      cp_database_rollback (self->database);
      return FALSE;
    }
  if (!cp_database_commit (self->database, error))
    return FALSE;

  _cp_lead_store_emit_changed (self, cp_lead_get_id (lead), CP_LEAD_CHANGE_CREATED);
  return TRUE;
}

/**
 * cp_lead_store_update:
 * @lead: the edited lead (its id names the stored one)
 * @reason: (nullable): why, kept in the audit trail
 *
 * Writes the fields that differ from the stored lead, one audit row per
 * field; a stage change also records a stage event.
 */
gboolean
cp_lead_store_update (CpLeadStore  *self,
                      CpLead       *lead,
                      const char   *actor,
                      const char   *reason,
                      GError      **error)
{
  g_autoptr(CpLead) before = NULL;
  gboolean changed = FALSE;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (CP_IS_LEAD (lead), FALSE);
  g_return_val_if_fail (cp_lead_get_id (lead) != NULL, FALSE);

  if (!prepare_lead (self, lead, error))
    return FALSE;

  if (!cp_database_begin (self->database, error))
    return FALSE;

  before = cp_lead_store_get (self, cp_lead_get_id (lead), error);
  if (before == NULL ||
      !_cp_lead_store_update_row (self, before, lead, "update", actor, reason, self->now_func (),
                        &changed, error))
    {
      cp_database_rollback (self->database);
      return FALSE;
    }

  if (!cp_database_commit (self->database, error))
    return FALSE;

  if (changed)
    _cp_lead_store_emit_changed (self, cp_lead_get_id (lead),
                  cp_lead_equal_field (before, lead, CP_LEAD_FIELD_STAGE)
                    ? CP_LEAD_CHANGE_UPDATED : CP_LEAD_CHANGE_MOVED);
  return TRUE;
}

/* Moves one lead inside an open transaction. With @skip_same, a lead
 * already in @to_stage is left alone (*out_moved = FALSE); without, it is
 * an error. */
static gboolean
move_one (CpLeadStore  *self,
          const char   *id,
          const char   *to_stage,
          const char   *reason,
          const char   *actor,
          gint64        now,
          gboolean      skip_same,
          gboolean     *out_moved,
          GError      **error)
{
  g_autoptr(CpLead) before = NULL;
  g_autoptr(CpLead) after = NULL;
  gboolean changed = FALSE;

  *out_moved = FALSE;
  before = cp_lead_store_get (self, id, error);
  if (before == NULL)
    return FALSE;
  if (g_strcmp0 (cp_lead_get_stage (before), to_stage) == 0)
    {
      if (skip_same)
        return TRUE;
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("The lead is already in the stage “%s”."), to_stage);
      return FALSE;
    }

  after = cp_lead_copy (before);
  cp_lead_set_text (after, CP_LEAD_FIELD_STAGE, to_stage);
  /* The stage is a field like any other: a move may not store what an
   * edit would refuse. */
  if (!cp_lead_validate (after, NULL, NULL, error) ||
      !_cp_lead_store_update_row (self, before, after, "move", actor, reason, now,
                                  &changed, error))
    return FALSE;

  *out_moved = TRUE;
  return TRUE;
}

static gboolean
check_move_request (const char  *to_stage,
                    const char  *reason,
                    GError     **error)
{
  if (text_is_blank (reason))
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("A stage move needs a reason."));
      return FALSE;
    }
  /* Reasons land in the append-only history: they must be clean text. */
  if (!cp_validate_text (reason, 2000, TRUE, error))
    return FALSE;
  if (*to_stage == '\0')
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("The stage to move to is empty."));
      return FALSE;
    }

  return TRUE;
}

/**
 * cp_lead_store_move_stage:
 * @reason: why the lead moves; required, kept with the stage event
 *
 * Moves a lead to another stage, with a stage event and an audit row.
 */
gboolean
cp_lead_store_move_stage (CpLeadStore  *self,
                          const char   *id,
                          const char   *to_stage,
                          const char   *reason,
                          const char   *actor,
                          GError      **error)
{
  gboolean moved = FALSE;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (to_stage != NULL, FALSE);

  if (!check_move_request (to_stage, reason, error) ||
      !cp_database_begin (self->database, error))
    return FALSE;

  if (!move_one (self, id, to_stage, reason, actor, self->now_func (), FALSE, &moved, error))
    {
      cp_database_rollback (self->database);
      return FALSE;
    }

  if (!cp_database_commit (self->database, error))
    return FALSE;

  _cp_lead_store_emit_changed (self, id, CP_LEAD_CHANGE_MOVED);
  return TRUE;
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
 * cp_lead_store_add_activity:
 *
 * Records an activity on a lead and updates its last activity time.
 */
gboolean
cp_lead_store_add_activity (CpLeadStore  *self,
                            CpActivity   *activity,
                            GError      **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *generated_id = NULL;
  const char *id;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (CP_IS_ACTIVITY (activity), FALSE);

  if (cp_activity_get_lead_id (activity) == NULL)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("An activity must belong to a lead."));
      return FALSE;
    }

  id = cp_activity_get_id (activity);
  if (id == NULL)
    {
      generated_id = cp_lead_new_id ();
      cp_activity_set_id (activity, generated_id);
      id = generated_id;
    }
  if (cp_activity_get_occurred_at (activity) == 0)
    cp_activity_set_occurred_at (activity, self->now_func ());

  if (!cp_database_begin (self->database, error))
    return FALSE;

  if (!insert_activity_row (self, activity, error))
    goto fail;

  stmt = _cp_database_statement (self->database, CP_STMT_LEAD_TOUCH_ACTIVITY, error);
  if (stmt == NULL)
    goto fail;
  _cp_bind_text (stmt, 1, cp_activity_get_lead_id (activity));
  sqlite3_bind_int64 (stmt, 2, cp_activity_get_occurred_at (activity));
  if (!_cp_database_step_done (self->database, stmt, error))
    goto fail;

  if (!cp_database_commit (self->database, error))
    return FALSE;

  _cp_lead_store_emit_changed (self, cp_activity_get_lead_id (activity), CP_LEAD_CHANGE_UPDATED);
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

/**
 * cp_lead_store_move_stages:
 * @ids: (array zero-terminated=1): the leads to move
 * @reason: recorded on each lead's stage event
 *
 * Moves several leads in one transaction: all move, or none do. Leads
 * already in @to_stage are left alone.
 *
 * Returns: the number of leads moved, or -1 with @error set
 */
int
cp_lead_store_move_stages (CpLeadStore        *self,
                           const char * const *ids,
                           const char         *to_stage,
                           const char         *reason,
                           const char         *actor,
                           GError            **error)
{
  gint64 now;
  int moved = 0;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), -1);
  g_return_val_if_fail (ids != NULL, -1);
  g_return_val_if_fail (to_stage != NULL, -1);

  if (!check_move_request (to_stage, reason, error) ||
      !cp_database_begin (self->database, error))
    return -1;

  now = self->now_func ();
  for (guint i = 0; ids[i] != NULL; i++)
    {
      gboolean one_moved = FALSE;

      if (!move_one (self, ids[i], to_stage, reason, actor, now, TRUE, &one_moved, error))
        {
          cp_database_rollback (self->database);
          return -1;
        }
      moved += one_moved;
    }

  if (!cp_database_commit (self->database, error))
    return -1;

  if (moved > 0)
    _cp_lead_store_emit_changed (self, NULL, CP_LEAD_CHANGE_BULK);
  return moved;
}

/**
 * cp_lead_store_set_field_bulk:
 * @ids: (array zero-terminated=1): the leads to change
 * @value: (nullable): the new value, in the field's string form
 *
 * Sets one field on several leads in one transaction, with an audit row
 * per lead that changed.
 *
 * Returns: the number of leads changed, or -1 with @error set
 */
int
cp_lead_store_set_field_bulk (CpLeadStore        *self,
                              const char * const *ids,
                              CpLeadField         field,
                              const char         *value,
                              const char         *actor,
                              const char         *reason,
                              GError            **error)
{
  gint64 now;
  int changed_count = 0;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), -1);
  g_return_val_if_fail (ids != NULL, -1);
  g_return_val_if_fail (field != CP_LEAD_FIELD_ID && field != CP_LEAD_FIELD_STAGE, -1);

  now = self->now_func ();
  if (!cp_database_begin (self->database, error))
    return -1;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(CpLead) before = cp_lead_store_get (self, ids[i], error);
      g_autoptr(CpLead) after = NULL;
      gboolean changed = FALSE;

      if (before == NULL)
        goto fail;
      after = cp_lead_copy (before);
      if (!cp_lead_set_field_from_string (after, field, value, error) ||
          !prepare_lead (self, after, error) ||
          !_cp_lead_store_update_row (self, before, after, "update", actor, reason, now,
                                      &changed, error))
        goto fail;
      if (changed)
        changed_count++;
    }

  if (!cp_database_commit (self->database, error))
    return -1;

  if (changed_count > 0)
    _cp_lead_store_emit_changed (self, NULL, CP_LEAD_CHANGE_BULK);
  return changed_count;

fail:
  cp_database_rollback (self->database);
  return -1;
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
