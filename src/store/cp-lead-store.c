/* cp-lead-store.c — leads in the database: create, edit, move, merge, query
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-lead-columns.h"
#include "cp-lead-private.h"
#include "cp-lead-store-private.h"
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

struct _CpLeadStore
{
  GObject      parent_instance;

  CpDatabase  *database;
  char        *default_region;
  gint64     (*now_func) (void);
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

static gint64
default_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
emit_changed (CpLeadStore  *self,
              const char   *lead_id,
              CpLeadChange  change)
{
  g_signal_emit (self, signals[CHANGED], 0, lead_id, (guint) change);
}

static void
not_found (GError     **error,
           const char  *id)
{
  g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND,
               _("There is no lead with the id “%s”."), id);
}

/* Loads the canonical columns 0…N-1 of @stmt's current row. */
static CpLead *
lead_from_row (sqlite3_stmt *stmt)
{
  CpLead *lead = cp_lead_new ();

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

  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read custom fields"));
      return FALSE;
    }

  return TRUE;
}

/* Reads a lead, tombstoned or not. */
static CpLead *
load_lead (CpLeadStore  *self,
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
      lead = lead_from_row (stmt);
      if (out_deleted_at != NULL)
        *out_deleted_at = sqlite3_column_int64 (stmt, CP_LEAD_N_COLUMNS);
    }
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      not_found (error, id);
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

static gboolean
write_audit (CpLeadStore  *self,
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
              if (!write_audit (self, cp_lead_get_id (lead), "update", audit_field, old_value,
                                value, actor, now, reason, error))
                return FALSE;
            }
        }
    }

  if (before_fields != NULL)
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
          if (!write_audit (self, cp_lead_get_id (lead), "update", audit_field, value, NULL,
                            actor, now, reason, error))
            return FALSE;
        }
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
  sqlite3_bind_int (stmt, CP_LEAD_N_FIELDS + 6, SYNC_STATE_CREATED);

  return _cp_database_step_done (self->database, stmt, error);
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
         write_audit (self, cp_lead_get_id (lead), "create", NULL, NULL, NULL, actor, now,
                      NULL, error) &&
         write_stage_event (self, cp_lead_get_id (lead), NULL, cp_lead_get_stage (lead),
                            _("Created"), actor, now, error);
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
      !write_audit (self, cp_lead_get_id (lead), "create", NULL, NULL, NULL, actor, created_at,
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

/* Writes the changed canonical columns of @lead and one audit row each. */
static gboolean
update_lead_row (CpLeadStore  *self,
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

      if (!write_audit (self, cp_lead_get_id (lead), action, cp_lead_field_info (field)->name,
                        old_value, new_value, actor, now, reason, error))
        return FALSE;
    }

  if (stage_changed &&
      !write_stage_event (self, cp_lead_get_id (lead), cp_lead_get_stage (before),
                          cp_lead_get_stage (lead), reason, actor, now, error))
    return FALSE;

  return write_custom_fields (self, lead, before, actor, now, reason, error);
}

static void
cp_lead_store_finalize (GObject *object)
{
  CpLeadStore *self = CP_LEAD_STORE (object);

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
  self->now_func = default_now;
}

CpLeadStore *
cp_lead_store_new (CpDatabase *database)
{
  CpLeadStore *self;

  g_return_val_if_fail (CP_IS_DATABASE (database), NULL);

  self = g_object_new (CP_TYPE_LEAD_STORE, NULL);
  self->database = g_object_ref (database);

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

  self->now_func = now_func != NULL ? now_func : default_now;
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

  lead = load_lead (self, id, &deleted_at, error);
  if (lead == NULL)
    return NULL;
  if (deleted_at != 0)
    {
      not_found (error, id);
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

  emit_changed (self, cp_lead_get_id (lead), CP_LEAD_CHANGE_CREATED);
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
      !update_lead_row (self, before, lead, "update", actor, reason, self->now_func (),
                        &changed, error))
    {
      cp_database_rollback (self->database);
      return FALSE;
    }

  if (!cp_database_commit (self->database, error))
    return FALSE;

  if (changed)
    emit_changed (self, cp_lead_get_id (lead),
                  cp_lead_equal_field (before, lead, CP_LEAD_FIELD_STAGE)
                    ? CP_LEAD_CHANGE_UPDATED : CP_LEAD_CHANGE_MOVED);
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
  g_autoptr(CpLead) before = NULL;
  g_autoptr(CpLead) after = NULL;
  gboolean changed = FALSE;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (to_stage != NULL, FALSE);

  if (text_is_blank (reason))
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("A stage move needs a reason."));
      return FALSE;
    }
  if (*to_stage == '\0')
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("The stage to move to is empty."));
      return FALSE;
    }

  if (!cp_database_begin (self->database, error))
    return FALSE;

  before = cp_lead_store_get (self, id, error);
  if (before == NULL)
    {
      cp_database_rollback (self->database);
      return FALSE;
    }
  if (g_strcmp0 (cp_lead_get_stage (before), to_stage) == 0)
    {
      cp_database_rollback (self->database);
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("The lead is already in the stage “%s”."), to_stage);
      return FALSE;
    }

  after = cp_lead_copy (before);
  cp_lead_set_text (after, CP_LEAD_FIELD_STAGE, to_stage);
  if (!update_lead_row (self, before, after, "move", actor, reason, self->now_func (),
                        &changed, error))
    {
      cp_database_rollback (self->database);
      return FALSE;
    }

  if (!cp_database_commit (self->database, error))
    return FALSE;

  emit_changed (self, id, CP_LEAD_CHANGE_MOVED);
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
      not_found (error, id);
      goto fail;
    }
  if (!write_audit (self, id, "tombstone", NULL, NULL, NULL, actor, now, reason, error))
    goto fail;
  if (!cp_database_commit (self->database, error))
    return FALSE;

  emit_changed (self, id, CP_LEAD_CHANGE_REMOVED);
  return TRUE;

fail:
  cp_database_rollback (self->database);
  return FALSE;
}

static gboolean
field_is_empty (CpLead      *lead,
                CpLeadField  field)
{
  const CpFieldInfo *info = cp_lead_field_info (field);

  if (info->type == CP_FIELD_TYPE_TEXT || info->type == CP_FIELD_TYPE_CHOICE)
    {
      const char *text = cp_lead_get_text (lead, field);
      return text == NULL || *text == '\0';
    }

  return cp_lead_get_int (lead, field) == 0;
}

static gboolean
field_is_mergeable (CpLeadField field)
{
  return field != CP_LEAD_FIELD_ID && field != CP_LEAD_FIELD_CREATED_AT &&
         field != CP_LEAD_FIELD_UPDATED_AT && field != CP_LEAD_FIELD_STAGE;
}

static gboolean
write_snapshot (CpLeadStore  *self,
                const char   *merge_id,
                CpLead       *lead,
                CpLeadField   field,
                GError      **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (self->database, CP_STMT_MERGE_SNAPSHOT_INSERT, error);
  g_autofree char *value = NULL;

  if (stmt == NULL)
    return FALSE;

  value = cp_lead_dup_field_string (lead, field);
  _cp_bind_text (stmt, 1, merge_id);
  _cp_bind_text (stmt, 2, cp_lead_get_id (lead));
  _cp_bind_text (stmt, 3, cp_lead_field_info (field)->name);
  _cp_bind_text (stmt, 4, value);

  return _cp_database_step_done (self->database, stmt, error);
}

/**
 * cp_lead_store_merge:
 * @keep_id: the lead that stays
 * @other_id: the lead merged into it (tombstoned, marked merged)
 * @take_from_other: (array length=n_take_from_other) (nullable): fields whose
 *   value is taken from @other_id even when @keep_id has one; every other
 *   field of @keep_id that is empty is filled from @other_id
 *
 * Merges two leads. Both histories stay; @other_id's activities move to
 * @keep_id; everything needed to undo the merge is recorded.
 *
 * Returns: (transfer full): the merge id, for cp_lead_store_undo_merge()
 */
char *
cp_lead_store_merge (CpLeadStore        *self,
                     const char         *keep_id,
                     const char         *other_id,
                     const CpLeadField  *take_from_other,
                     guint               n_take_from_other,
                     const char         *actor,
                     GError            **error)
{
  g_autoptr(CpLead) keep = NULL;
  g_autoptr(CpLead) other = NULL;
  g_autoptr(CpLead) merged = NULL;
  g_autofree char *merge_id = NULL;
  g_autofree char *reason = NULL;
  gboolean changed = FALSE;
  sqlite3_stmt *stmt;
  GHashTable *other_custom;
  gint64 now;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);
  g_return_val_if_fail (keep_id != NULL && other_id != NULL, NULL);

  if (g_strcmp0 (keep_id, other_id) == 0)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("A lead cannot be merged into itself."));
      return NULL;
    }

  now = self->now_func ();
  merge_id = cp_lead_new_id ();
  if (!cp_database_begin (self->database, error))
    return NULL;

  keep = cp_lead_store_get (self, keep_id, error);
  if (keep == NULL)
    goto fail;
  other = cp_lead_store_get (self, other_id, error);
  if (other == NULL)
    goto fail;

  merged = cp_lead_copy (keep);
  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    {
      gboolean take = FALSE;

      if (!field_is_mergeable (i) || field_is_empty (other, i))
        continue;
      for (guint j = 0; j < n_take_from_other; j++)
        if (take_from_other[j] == i)
          take = TRUE;
      if (!take && !field_is_empty (keep, i))
        continue;
      if (cp_lead_equal_field (keep, other, i))
        continue;

      {
        g_autofree char *value = cp_lead_dup_field_string (other, i);
        if (!cp_lead_set_field_from_string (merged, i, value, error))
          goto fail;
      }
    }
  other_custom = cp_lead_get_custom_fields (other);
  if (other_custom != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, other_custom);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (cp_lead_get_custom (merged, key) == NULL)
          cp_lead_set_custom (merged, key, value);
    }

  stmt = _cp_database_statement (self->database, CP_STMT_MERGE_INSERT, error);
  if (stmt == NULL)
    goto fail;
  _cp_bind_text (stmt, 1, merge_id);
  _cp_bind_text (stmt, 2, keep_id);
  _cp_bind_text (stmt, 3, other_id);
  _cp_bind_text (stmt, 4, actor);
  sqlite3_bind_int64 (stmt, 5, now);
  if (!_cp_database_step_done (self->database, stmt, error))
    goto fail;

  /* What undo needs: the kept lead's values before they were replaced. */
  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    if (field_is_mergeable (i) && !cp_lead_equal_field (keep, merged, i) &&
        !write_snapshot (self, merge_id, keep, i, error))
      goto fail;

  reason = g_strdup_printf (_("Merged with lead %s"), other_id);
  if (!update_lead_row (self, keep, merged, "merge", actor, reason, now, &changed, error))
    goto fail;

  stmt = _cp_database_statement (self->database, CP_STMT_ACTIVITIES_MOVE_FOR_MERGE, error);
  if (stmt == NULL)
    goto fail;
  _cp_bind_text (stmt, 1, keep_id);
  _cp_bind_text (stmt, 2, other_id);
  _cp_bind_text (stmt, 3, merge_id);
  if (!_cp_database_step_done (self->database, stmt, error))
    goto fail;

  stmt = _cp_database_statement (self->database, CP_STMT_LEAD_MARK_MERGED, error);
  if (stmt == NULL)
    goto fail;
  _cp_bind_text (stmt, 1, other_id);
  _cp_bind_text (stmt, 2, keep_id);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!_cp_database_step_done (self->database, stmt, error))
    goto fail;

  if (!write_audit (self, keep_id, "merge", "merge_id", NULL, merge_id, actor, now, reason, error))
    goto fail;
  g_clear_pointer (&reason, g_free);
  reason = g_strdup_printf (_("Merged into lead %s"), keep_id);
  if (!write_audit (self, other_id, "merged_into", "merge_id", NULL, merge_id, actor, now,
                    reason, error))
    goto fail;

  if (!cp_database_commit (self->database, error))
    return NULL;

  emit_changed (self, NULL, CP_LEAD_CHANGE_BULK);
  return g_steal_pointer (&merge_id);

fail:
  cp_database_rollback (self->database);
  return NULL;
}

/**
 * cp_lead_store_undo_merge:
 *
 * Restores both leads as they were before the merge: the kept lead's
 * replaced values, the other lead itself and its activities. The undo is
 * recorded; the merge stays in the history.
 */
gboolean
cp_lead_store_undo_merge (CpLeadStore  *self,
                          const char   *merge_id,
                          const char   *actor,
                          GError      **error)
{
  g_autofree char *keep_id = NULL;
  g_autofree char *other_id = NULL;
  g_autoptr(CpLead) keep = NULL;
  g_autoptr(CpLead) restored = NULL;
  g_autofree char *reason = NULL;
  gboolean changed = FALSE;
  sqlite3_stmt *stmt;
  gint64 undone_at = 0;
  gint64 now;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (merge_id != NULL, FALSE);

  now = self->now_func ();
  if (!cp_database_begin (self->database, error))
    return FALSE;

  stmt = _cp_database_statement (self->database, CP_STMT_MERGE_GET, error);
  if (stmt == NULL)
    goto fail;
  _cp_bind_text (stmt, 1, merge_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      keep_id = g_strdup (_cp_column_text (stmt, 0));
      other_id = g_strdup (_cp_column_text (stmt, 1));
      undone_at = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND,
                   _("There is no merge with the id “%s”."), merge_id);
      goto fail;
    }
  if (undone_at != 0)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("This merge was already undone."));
      goto fail;
    }

  keep = cp_lead_store_get (self, keep_id, error);
  if (keep == NULL)
    goto fail;
  restored = cp_lead_copy (keep);

  stmt = _cp_database_statement (self->database, CP_STMT_MERGE_SNAPSHOT_FOR, error);
  if (stmt == NULL)
    goto fail;
  _cp_bind_text (stmt, 1, merge_id);
  _cp_bind_text (stmt, 2, keep_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CpLeadField field;

      if (cp_lead_field_from_name (_cp_column_text (stmt, 0), &field) &&
          !cp_lead_set_field_from_string (restored, field, _cp_column_text (stmt, 1), error))
        {
          sqlite3_reset (stmt);
          goto fail;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the merge"));
      goto fail;
    }

  reason = g_strdup_printf (_("Undid the merge with lead %s"), other_id);
  if (!update_lead_row (self, keep, restored, "unmerge", actor, reason, now, &changed, error))
    goto fail;

  stmt = _cp_database_statement (self->database, CP_STMT_ACTIVITIES_UNDO_MERGE, error);
  if (stmt == NULL)
    goto fail;
  _cp_bind_text (stmt, 1, merge_id);
  if (!_cp_database_step_done (self->database, stmt, error))
    goto fail;

  stmt = _cp_database_statement (self->database, CP_STMT_LEAD_UNMARK_MERGED, error);
  if (stmt == NULL)
    goto fail;
  _cp_bind_text (stmt, 1, other_id);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!_cp_database_step_done (self->database, stmt, error))
    goto fail;

  stmt = _cp_database_statement (self->database, CP_STMT_MERGE_MARK_UNDONE, error);
  if (stmt == NULL)
    goto fail;
  _cp_bind_text (stmt, 1, merge_id);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!_cp_database_step_done (self->database, stmt, error))
    goto fail;

  if (!write_audit (self, keep_id, "unmerge", "merge_id", merge_id, NULL, actor, now, reason, error))
    goto fail;
  g_clear_pointer (&reason, g_free);
  reason = g_strdup_printf (_("Restored from the merge into lead %s"), keep_id);
  if (!write_audit (self, other_id, "unmerge", "merge_id", merge_id, NULL, actor, now, reason,
                    error))
    goto fail;

  if (!cp_database_commit (self->database, error))
    return FALSE;

  emit_changed (self, NULL, CP_LEAD_CHANGE_BULK);
  return TRUE;

fail:
  cp_database_rollback (self->database);
  return FALSE;
}

/**
 * cp_lead_store_flag_duplicate:
 *
 * Records that the user kept both leads although they may be the same
 * person (“Keep both”), so the pair can be reviewed later.
 */
gboolean
cp_lead_store_flag_duplicate (CpLeadStore  *self,
                              const char   *id,
                              const char   *duplicate_of,
                              const char   *actor,
                              GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL && duplicate_of != NULL, FALSE);

  if (!cp_database_begin (self->database, error))
    return FALSE;

  stmt = _cp_database_statement (self->database, CP_STMT_LEAD_FLAG_DUPLICATE, error);
  if (stmt == NULL)
    goto fail;
  _cp_bind_text (stmt, 1, id);
  _cp_bind_text (stmt, 2, duplicate_of);
  if (!_cp_database_step_done (self->database, stmt, error))
    goto fail;
  if (sqlite3_changes (_cp_database_get_handle (self->database)) == 0)
    {
      not_found (error, id);
      goto fail;
    }
  if (!write_audit (self, id, "flag_duplicate", "possible_duplicate_of", NULL, duplicate_of,
                    actor, self->now_func (), NULL, error))
    goto fail;

  return cp_database_commit (self->database, error);

fail:
  cp_database_rollback (self->database);
  return FALSE;
}

static CpDuplicateCandidate *
add_candidate (CpLeadStore  *self,
               GHashTable   *by_id,
               GPtrArray    *result,
               const char   *lead_id,
               CpMatchKind   kind)
{
  CpDuplicateCandidate *candidate = g_hash_table_lookup (by_id, lead_id);

  if (candidate == NULL)
    {
      g_autoptr(CpLead) lead = cp_lead_store_get (self, lead_id, NULL);

      candidate = g_new0 (CpDuplicateCandidate, 1);
      candidate->lead_id = g_strdup (lead_id);
      candidate->display_name = lead != NULL ? cp_lead_dup_display_name (lead) : g_strdup (lead_id);
      g_ptr_array_add (result, candidate);
      g_hash_table_insert (by_id, candidate->lead_id, candidate);
    }
  candidate->kinds |= 1u << kind;

  return candidate;
}

static gboolean
collect_key_matches (CpLeadStore  *self,
                     CpStatement   statement,
                     const char   *key,
                     const char   *own_id,
                     CpMatchKind   kind,
                     GHashTable   *by_id,
                     GPtrArray    *result,
                     GError      **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  if (key == NULL)
    return TRUE;

  stmt = _cp_database_statement (self->database, statement, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, key);
  _cp_bind_text (stmt, 2, own_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup (_cp_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not look for duplicates"));
      return FALSE;
    }

  for (guint i = 0; i < ids->len; i++)
    add_candidate (self, by_id, result, ids->pdata[i], kind);

  return TRUE;
}

/**
 * cp_lead_store_find_duplicates:
 * @lead: a stored lead, or unsaved input (its id may be unset)
 *
 * Returns: (transfer full) (element-type CpDuplicateCandidate): leads that
 *   may be the same person: same email, same phone, or a similar name
 *   (at most two letters apart) at the same location
 */
GPtrArray *
cp_lead_store_find_duplicates (CpLeadStore  *self,
                               CpLead       *lead,
                               GError      **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_duplicate_candidate_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *email_key = NULL;
  g_autofree char *phone_key = NULL;
  g_autofree char *location_key = NULL;
  g_autofree char *name = NULL;
  const char *own_id;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);
  g_return_val_if_fail (CP_IS_LEAD (lead), NULL);

  own_id = cp_lead_get_id (lead);
  email_key = cp_lead_match_key (lead, CP_MATCH_EMAIL, self->default_region);
  phone_key = cp_lead_match_key (lead, CP_MATCH_PHONE, self->default_region);

  if (!collect_key_matches (self, CP_STMT_DUP_BY_EMAIL, email_key, own_id, CP_MATCH_EMAIL,
                            by_id, result, error) ||
      !collect_key_matches (self, CP_STMT_DUP_BY_PHONE, phone_key, own_id, CP_MATCH_PHONE,
                            by_id, result, error))
    return NULL;

  location_key = cp_normalize_name (cp_lead_get_text (lead, CP_LEAD_FIELD_LOCATION));
  {
    g_autofree char *full = g_strjoin (" ",
                                       cp_lead_get_text (lead, CP_LEAD_FIELD_FIRST_NAME) ?: "",
                                       cp_lead_get_text (lead, CP_LEAD_FIELD_LAST_NAME) ?: "",
                                       NULL);
    name = cp_normalize_name (full);
  }

  if (location_key != NULL && *location_key != '\0' && name != NULL && *name != '\0')
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      guint allowed = g_utf8_strlen (name, -1) >= 8 ? 2 : 1;
      sqlite3_stmt *stmt = _cp_database_statement (self->database, CP_STMT_DUP_BY_LOCATION, error);
      int rc;

      if (stmt == NULL)
        return NULL;
      _cp_bind_text (stmt, 1, location_key);
      _cp_bind_text (stmt, 2, own_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_autofree char *full = g_strjoin (" ", _cp_column_text (stmt, 1) ?: "",
                                             _cp_column_text (stmt, 2) ?: "", NULL);
          g_autofree char *other = cp_normalize_name (full);

          if (other != NULL && *other != '\0' && cp_name_distance (name, other) <= allowed)
            g_ptr_array_add (ids, g_strdup (_cp_column_text (stmt, 0)));
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _cp_database_set_error (self->database, error, rc, _("Could not look for duplicates"));
          return NULL;
        }
      for (guint i = 0; i < ids->len; i++)
        add_candidate (self, by_id, result, ids->pdata[i], CP_MATCH_NAME_LOCATION);
    }

  for (guint i = 0; i < result->len; i++)
    {
      CpDuplicateCandidate *candidate = result->pdata[i];
      g_autoptr(GString) reason = g_string_new (NULL);

      for (CpMatchKind kind = CP_MATCH_EMAIL; kind <= CP_MATCH_NAME_LOCATION; kind++)
        if (candidate->kinds & (1u << kind))
          {
            if (reason->len > 0)
              g_string_append (reason, ", ");
            g_string_append (reason, cp_match_kind_describe (kind));
          }
      candidate->reason = g_string_free (g_steal_pointer (&reason), FALSE);
    }

  return g_steal_pointer (&result);
}

/* Appends the WHERE clause of @query to @sql, collecting the values to bind. */
static void
build_where (const CpLeadQuery *query,
             GString           *sql,
             GPtrArray         *text_params,
             GArray            *int_params,
             GString           *kinds)
{
  static const struct { gsize offset; const char *column; } equality[] = {
    { G_STRUCT_OFFSET (CpLeadQuery, stage), "stage" },
    { G_STRUCT_OFFSET (CpLeadQuery, owner), "owner" },
    { G_STRUCT_OFFSET (CpLeadQuery, queue), "queue" },
    { G_STRUCT_OFFSET (CpLeadQuery, service_line), "service_line" },
    { G_STRUCT_OFFSET (CpLeadQuery, location), "location" },
    { G_STRUCT_OFFSET (CpLeadQuery, source_channel), "source_channel" },
    { G_STRUCT_OFFSET (CpLeadQuery, lead_type), "lead_type" },
    { G_STRUCT_OFFSET (CpLeadQuery, tier), "tier" },
    { G_STRUCT_OFFSET (CpLeadQuery, consent_status), "consent_status" },
  };
  g_autofree char *match = NULL;

  g_string_append (sql, " WHERE deleted_at = 0");
  if (query == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (equality); i++)
    {
      const char *value = G_STRUCT_MEMBER (const char *, query, equality[i].offset);
      if (value == NULL)
        continue;
      g_string_append_printf (sql, " AND %s = ?", equality[i].column);
      g_ptr_array_add (text_params, g_strdup (value));
      g_string_append_c (kinds, 't');
    }

  match = cp_lead_query_fts_match (query->search);
  if (match != NULL)
    {
      g_string_append (sql, " AND rowid IN (SELECT rowid FROM leads_fts WHERE leads_fts MATCH ?)");
      g_ptr_array_add (text_params, g_steal_pointer (&match));
      g_string_append_c (kinds, 't');
    }
  else if (query->search != NULL && *query->search != '\0' &&
           !g_utf8_validate (query->search, -1, NULL))
    {
      g_string_append (sql, " AND 0");
    }

  if (query->sla_breached_only)
    {
      gint64 now = query->now != 0 ? query->now : default_now ();
      g_string_append (sql, " AND sla_due_at > 0 AND first_response_at = 0 AND sla_due_at < ?"
                            " AND stage NOT IN ('closed_won', 'closed_lost')");
      g_array_append_val (int_params, now);
      g_string_append_c (kinds, 'i');
    }

#define RANGE(field, column, op) \
  if (query->field != 0) \
    { \
      g_string_append (sql, " AND " column " " op " ?"); \
      g_array_append_val (int_params, query->field); \
      g_string_append_c (kinds, 'i'); \
    }
  RANGE (created_from, "created_at", ">=")
  RANGE (created_to, "created_at", "<")
  RANGE (updated_from, "updated_at", ">=")
  RANGE (updated_to, "updated_at", "<")
#undef RANGE
}

static void
bind_params (sqlite3_stmt *stmt,
             GPtrArray    *text_params,
             GArray       *int_params,
             GString      *kinds)
{
  guint t = 0;
  guint n = 0;

  for (guint i = 0; i < kinds->len; i++)
    {
      if (kinds->str[i] == 't')
        _cp_bind_text (stmt, i + 1, text_params->pdata[t++]);
      else
        sqlite3_bind_int64 (stmt, i + 1, g_array_index (int_params, gint64, n++));
    }
}

/**
 * cp_lead_store_query:
 * @query: (nullable): filters and order; %NULL lists every lead, newest first
 * @limit: at most this many leads; 0 for no limit
 *
 * Returns: (transfer full) (element-type CpLead): one page of leads
 */
GPtrArray *
cp_lead_store_query (CpLeadStore        *self,
                     const CpLeadQuery  *query,
                     guint               offset,
                     guint               limit,
                     GError            **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " CP_LEAD_COLUMNS " FROM leads");
  g_autoptr(GPtrArray) text_params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) int_params = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) kinds = g_string_new (NULL);
  g_autoptr(GPtrArray) leads = g_ptr_array_new_with_free_func (g_object_unref);
  CpLeadField sort_field = query != NULL ? query->sort_field : CP_LEAD_FIELD_CREATED_AT;
  gboolean descending = query != NULL ? query->sort_descending : TRUE;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);
  g_return_val_if_fail (sort_field < CP_LEAD_N_FIELDS, NULL);

  build_where (query, sql, text_params, int_params, kinds);
  {
    const char *dir = descending ? "DESC" : "ASC";

    /* Ties are broken in index order, so a page is read straight from the
     * index (leads_stage_score continues with the SLA columns). */
    if (sort_field == CP_LEAD_FIELD_SCORE)
      g_string_append_printf (sql, " ORDER BY score %s, sla_due_at %s, first_response_at %s,"
                                   " rowid %s", dir, dir, dir, dir);
    else
      g_string_append_printf (sql, " ORDER BY %s %s, rowid %s",
                              cp_lead_field_info (sort_field)->name, dir, dir);
  }
  g_string_append (sql, " LIMIT ? OFFSET ?");

  stmt = _cp_database_prepare (self->database, sql->str, error);
  if (stmt == NULL)
    return NULL;
  bind_params (stmt, text_params, int_params, kinds);
  sqlite3_bind_int64 (stmt, kinds->len + 1, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, kinds->len + 2, offset);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (leads, lead_from_row (stmt));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not list leads"));
      return NULL;
    }

  return g_steal_pointer (&leads);
}

gboolean
cp_lead_store_count (CpLeadStore        *self,
                     const CpLeadQuery  *query,
                     guint              *out_count,
                     GError            **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM leads");
  g_autoptr(GPtrArray) text_params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) int_params = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) kinds = g_string_new (NULL);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (out_count != NULL, FALSE);

  build_where (query, sql, text_params, int_params, kinds);
  stmt = _cp_database_prepare (self->database, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  bind_params (stmt, text_params, int_params, kinds);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_count = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not count leads"));
      return FALSE;
    }

  return TRUE;
}

/**
 * cp_lead_store_stage_summaries:
 *
 * Returns: (transfer full) (element-type CpStageSummary): count, score sum
 *   and SLA breaches (at @query's `now`) per stage, for leads matching @query
 */
GPtrArray *
cp_lead_store_stage_summaries (CpLeadStore        *self,
                               const CpLeadQuery  *query,
                               GError            **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GPtrArray) text_params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) int_params = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) kinds = g_string_new ("i");
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_stage_summary_free);
  gint64 now = query != NULL && query->now != 0 ? query->now : self->now_func ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);

  g_string_append (sql, "SELECT stage, count(*), total(score),"
                        " sum(sla_due_at > 0 AND first_response_at = 0 AND sla_due_at < ?"
                        "     AND stage NOT IN ('closed_won', 'closed_lost'))"
                        " FROM leads");
  g_array_append_val (int_params, now);
  build_where (query, sql, text_params, int_params, kinds);
  g_string_append (sql, " GROUP BY stage");

  stmt = _cp_database_prepare (self->database, sql->str, error);
  if (stmt == NULL)
    return NULL;
  bind_params (stmt, text_params, int_params, kinds);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CpStageSummary *summary = g_new0 (CpStageSummary, 1);

      summary->stage = g_strdup (_cp_column_text (stmt, 0));
      summary->count = sqlite3_column_int (stmt, 1);
      summary->score_sum = (gint64) sqlite3_column_double (stmt, 2);
      summary->sla_breached = sqlite3_column_int (stmt, 3);
      g_ptr_array_add (result, summary);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not count leads per stage"));
      return NULL;
    }

  return g_steal_pointer (&result);
}

static gint
compare_history (gconstpointer a,
                 gconstpointer b)
{
  const CpHistoryEntry *x = *(CpHistoryEntry * const *) a;
  const CpHistoryEntry *y = *(CpHistoryEntry * const *) b;

  return x->time < y->time ? -1 : x->time > y->time ? 1 : 0;
}

/**
 * cp_lead_store_history:
 *
 * Returns: (transfer full) (element-type CpHistoryEntry): the stage events
 *   and audit rows of a lead (tombstoned or not), oldest first
 */
GPtrArray *
cp_lead_store_history (CpLeadStore  *self,
                       const char   *id,
                       GError      **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_history_entry_free);
  g_autoptr(CpLead) lead = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  lead = load_lead (self, id, NULL, error);
  if (lead == NULL)
    return NULL;

  stmt = _cp_database_statement (self->database, CP_STMT_AUDIT_FOR_ENTITY, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, "lead", -1, SQLITE_STATIC);
  _cp_bind_text (stmt, 2, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CpHistoryEntry *entry;

      /* Stage changes are shown once, from their stage event. */
      if (g_strcmp0 (_cp_column_text (stmt, 2), "stage") == 0)
        continue;

      entry = g_new0 (CpHistoryEntry, 1);
      entry->time = sqlite3_column_int64 (stmt, 0);
      entry->action = g_strdup (_cp_column_text (stmt, 1));
      entry->field = g_strdup (_cp_column_text (stmt, 2));
      entry->old_value = g_strdup (_cp_column_text (stmt, 3));
      entry->new_value = g_strdup (_cp_column_text (stmt, 4));
      entry->actor = g_strdup (_cp_column_text (stmt, 5));
      entry->reason = g_strdup (_cp_column_text (stmt, 6));
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the history"));
      return NULL;
    }

  stmt = _cp_database_statement (self->database, CP_STMT_STAGE_EVENTS_FOR_LEAD, error);
  if (stmt == NULL)
    return NULL;
  _cp_bind_text (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CpHistoryEntry *entry = g_new0 (CpHistoryEntry, 1);

      entry->time = sqlite3_column_int64 (stmt, 0);
      entry->action = g_strdup ("stage");
      entry->field = g_strdup ("stage");
      entry->old_value = g_strdup (_cp_column_text (stmt, 1));
      entry->new_value = g_strdup (_cp_column_text (stmt, 2));
      entry->reason = g_strdup (_cp_column_text (stmt, 3));
      entry->actor = g_strdup (_cp_column_text (stmt, 4));
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the history"));
      return NULL;
    }

  /* A stable sort: at equal times, audit rows (a creation) stay before
   * the stage events they caused. */
  g_ptr_array_sort (entries, compare_history);

  return g_steal_pointer (&entries);
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

  emit_changed (self, cp_activity_get_lead_id (activity), CP_LEAD_CHANGE_UPDATED);
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

  emit_changed (self, NULL, CP_LEAD_CHANGE_BULK);
}
