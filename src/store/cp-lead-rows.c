/* cp-lead-rows.c — the rows the write path writes: the lead, its custom fields, audit rows, stage events, outbox entries
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-lead-write-private.h"
#include "cp-rescore.h"
#include "cp-validate.h"
#include "cp-normalize.h"
#include "cp-outbox.h"

/* Local sync state of a lead, as in an offline cache. */
enum
{
  SYNC_STATE_CREATED = 1,
};

/* ---- rows ---- */

/* The lead's values are bound without a copy: @lead outlives the step. */
static void
bind_lead_field (sqlite3_stmt *stmt,
                 int           index,
                 CpLead       *lead,
                 CpLeadField   field)
{
  const CpFieldInfo *info = cp_lead_field_info (field);

  if (info->type == CP_FIELD_TYPE_TEXT || info->type == CP_FIELD_TYPE_CHOICE)
    _cp_bind_text_uncopied (stmt, index, cp_lead_get_text (lead, field));
  else
    sqlite3_bind_int64 (stmt, index, cp_lead_get_int (lead, field));
}

/* The duplicate finder's keys of a lead, kept until its row is written
 * (they are bound without a copy). */
typedef struct
{
  char *email;
  char *phone;
  char *name;
  char *location;
} MatchKeys;

static void
match_keys_clear (MatchKeys *keys)
{
  g_free (keys->email);
  g_free (keys->phone);
  g_free (keys->name);
  g_free (keys->location);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MatchKeys, match_keys_clear)

static void
bind_match_keys (CpLeadStore  *self,
                 sqlite3_stmt *stmt,
                 int           first_index,
                 CpLead       *lead,
                 MatchKeys    *keys)
{
  keys->email = cp_lead_match_key (lead, CP_MATCH_EMAIL, self->default_region);
  keys->phone = cp_lead_match_key (lead, CP_MATCH_PHONE, self->default_region);
  keys->name = cp_lead_match_key (lead, CP_MATCH_NAME_LOCATION, self->default_region);
  keys->location = cp_normalize_name (cp_lead_get_text (lead, CP_LEAD_FIELD_LOCATION));

  _cp_bind_text_uncopied (stmt, first_index, keys->email);
  _cp_bind_text_uncopied (stmt, first_index + 1, keys->phone);
  _cp_bind_text_uncopied (stmt, first_index + 2, keys->name);
  _cp_bind_text_uncopied (stmt, first_index + 3,
                          keys->location != NULL && *keys->location ? keys->location : NULL);
}

gboolean
_cp_lead_rows_stage_event (CpLeadStore  *self,
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
  _cp_bind_text_uncopied (stmt, 1, lead_id);
  _cp_bind_text_uncopied (stmt, 2, from_stage);
  _cp_bind_text_uncopied (stmt, 3, to_stage);
  _cp_bind_text_uncopied (stmt, 4, reason);
  _cp_bind_text_uncopied (stmt, 5, actor);
  sqlite3_bind_int64 (stmt, 6, time);
  return _cp_database_step_done (self->database, stmt, error);
}

/* Writes the custom fields of @after that differ from @before (all of
 * them when @before is %NULL), audited as @action. */
gboolean
_cp_lead_rows_custom_fields (CpLeadStore          *self,
                     CpLead               *before,
                     CpLead               *after,
                     const CpWriteRequest *request,
                     GError              **error)
{
  GHashTable *after_fields = cp_lead_get_custom_fields (after);
  GHashTable *before_fields = before != NULL ? cp_lead_get_custom_fields (before) : NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  if (after_fields != NULL)
    {
      g_hash_table_iter_init (&iter, after_fields);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (keys, key);
    }
  if (before_fields != NULL)
    {
      g_hash_table_iter_init (&iter, before_fields);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (after_fields == NULL || !g_hash_table_contains (after_fields, key))
          g_ptr_array_add (keys, key);
    }

  for (guint i = 0; i < keys->len; i++)
    {
      const char *name = keys->pdata[i];
      const char *old_value = before != NULL ? cp_lead_get_custom (before, name) : NULL;
      const char *new_value = cp_lead_get_custom (after, name);
      g_autofree char *audit_field = NULL;
      sqlite3_stmt *stmt;

      if (g_strcmp0 (old_value, new_value) == 0)
        continue;
      stmt = _cp_database_statement (self->database, new_value != NULL ? CP_STMT_LEAD_CUSTOM_SET
                                                                       : CP_STMT_LEAD_CUSTOM_DELETE,
                                     error);
      if (stmt == NULL)
        return FALSE;
      _cp_bind_text (stmt, 1, cp_lead_get_id (after));
      _cp_bind_text (stmt, 2, name);
      if (new_value != NULL)
        _cp_bind_text (stmt, 3, new_value);
      if (!_cp_database_step_done (self->database, stmt, error))
        return FALSE;
      if (before == NULL)
        continue;
      audit_field = g_strconcat ("custom.", name, NULL);
      if (!_cp_lead_store_write_audit (self, cp_lead_get_id (after), request->action, audit_field,
                                       old_value, new_value, request->actor, request->now,
                                       request->reason, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * _cp_lead_rows_find_account:
 * @out_account_id: (out) (transfer full) (nullable): the id of the account
 *   of the lead's organization, %NULL when it has none yet
 * @out_to_link: (out): whether the lead still needs
 *   _cp_lead_rows_link_account() once its row is written (an organization
 *   seen for the first time)
 *
 * For a new lead: its account looked up before its row is written, so
 * the row is written linked (one statement, where a lookup after it
 * would rewrite the row to link it). Reads only.
 */
gboolean
_cp_lead_rows_find_account (CpLeadStore  *self,
                            CpLead       *lead,
                            char        **out_account_id,
                            gboolean     *out_to_link,
                            GError      **error)
{
  const char *organization = cp_lead_get_text (lead, CP_LEAD_FIELD_ORGANIZATION);
  g_autofree char *key = NULL;
  sqlite3_stmt *stmt;
  int rc;

  *out_account_id = NULL;
  *out_to_link = FALSE;
  if (organization == NULL)
    return TRUE;
  key = cp_normalize_name (organization);
  if (key == NULL || *key == '\0')
    return TRUE;
  stmt = _cp_database_statement (self->database, CP_STMT_ACCOUNT_ID_BY_KEY, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text_uncopied (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_account_id = g_strdup (_cp_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not link the organization"));
      return FALSE;
    }
  *out_to_link = *out_account_id == NULL;
  return TRUE;
}

/* Links a lead to the account of its organization, creating the account
 * the first time the organization is seen: several contacts of one
 * clinic then count together (account-level engagement). */
gboolean
_cp_lead_rows_link_account (CpLeadStore  *self,
              CpLead       *lead,
              gint64        now,
              GError      **error)
{
  const char *organization = cp_lead_get_text (lead, CP_LEAD_FIELD_ORGANIZATION);
  g_autofree char *key = cp_normalize_name (organization);
  g_autofree char *account_id = NULL;
  g_autofree char *new_id = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (key == NULL || *key == '\0')
    {
      stmt = _cp_database_statement (self->database, CP_STMT_LEAD_SET_ACCOUNT, error);
      if (stmt == NULL)
        return FALSE;
      _cp_bind_text (stmt, 1, cp_lead_get_id (lead));
      _cp_bind_text (stmt, 2, NULL);
      return _cp_database_step_done (self->database, stmt, error);
    }

  stmt = _cp_database_statement (self->database, CP_STMT_ACCOUNT_UPSERT, error);
  if (stmt == NULL)
    return FALSE;
  new_id = cp_lead_new_id ();
  _cp_bind_text (stmt, 1, new_id);
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

/* Whether an activity with @external_id is already recorded. */
gboolean
_cp_lead_store_activity_recorded (CpLeadStore  *self,
                                  const char   *external_id,
                                  gboolean     *out_recorded,
                                  GError      **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (self->database, CP_STMT_ACTIVITY_EXTERNAL_EXISTS, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, external_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read activities"));
      return FALSE;
    }
  *out_recorded = rc == SQLITE_ROW;
  return TRUE;
}

/* Records an activity row (its id is made up when it has none). */
gboolean
_cp_lead_store_insert_activity (CpLeadStore  *self,
                                CpActivity   *activity,
                                GError      **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (self->database, CP_STMT_ACTIVITY_INSERT, error);

  if (stmt == NULL)
    return FALSE;
  if (cp_activity_get_id (activity) == NULL)
    {
      g_autofree char *id = cp_lead_new_id ();
      cp_activity_set_id (activity, id);
    }
  _cp_bind_text (stmt, 1, cp_activity_get_id (activity));
  _cp_bind_text (stmt, 2, cp_activity_get_lead_id (activity));
  _cp_bind_text (stmt, 3, cp_activity_kind_to_string (cp_activity_get_kind (activity)));
  sqlite3_bind_int64 (stmt, 4, cp_activity_get_occurred_at (activity));
  _cp_bind_text (stmt, 5, cp_activity_get_detail (activity));
  _cp_bind_text (stmt, 6, cp_activity_get_disposition (activity));
  sqlite3_bind_int (stmt, 7, cp_activity_get_depth (activity));
  _cp_bind_text (stmt, 8, cp_activity_get_actor (activity));
  _cp_bind_text (stmt, 9, cp_activity_get_source (activity));
  _cp_bind_text (stmt, 10, cp_activity_get_external_id (activity));
  _cp_bind_text (stmt, 11, cp_activity_get_direction (activity));
  return _cp_database_step_done (self->database, stmt, error);
}

/* Normalises what the store keeps canonical (phone in E.164) and checks
 * the lead before anything is written. */
gboolean
_cp_lead_store_prepare (CpLeadStore  *self,
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

/* ---- audit and journal of one written row ---- */


void
_cp_write_changes_clear (CpWriteChanges *changes)
{
  g_clear_pointer (&changes->route_reason, g_free);
}


gboolean
_cp_lead_rows_audit (CpLeadStore          *self,
               CpLifecycle          *lifecycle,
               CpLead               *before,
               CpLead               *after,
               guint64               changed,
               const CpWriteChanges        *changes,
               const CpWriteRequest *request,
               GError              **error)
{
  g_autofree char *score_reason = NULL;

  for (CpLeadField f = 0; f < CP_LEAD_N_FIELDS; f++)
    {
      g_autofree char *old_value = NULL;
      g_autofree char *new_value = NULL;
      const char *action, *reason;

      if (!(changed & CP_FIELD_BIT (f)) || f == CP_LEAD_FIELD_UPDATED_AT)
        continue;
      if (changes->caller & CP_FIELD_BIT (f))
        {
          action = request->action;
          reason = request->reason;
        }
      else if (changes->routed & CP_FIELD_BIT (f))
        {
          action = "route";
          reason = changes->route_reason;
        }
      else if (f == CP_LEAD_FIELD_SCORE || f == CP_LEAD_FIELD_TIER)
        {
          if (score_reason == NULL)
            score_reason = cp_lifecycle_get_version (lifecycle) > 0
              ? g_strdup_printf (_("Scored with playbook version %" G_GINT64_FORMAT),
                                 cp_lifecycle_get_version (lifecycle))
              : g_strdup (_("Scored with the default playbook"));
          action = "rescore";
          reason = score_reason;
        }
      else
        continue;   /* the rest follows from activities and stage events */

      old_value = cp_lead_dup_field_string (before, f);
      new_value = cp_lead_dup_field_string (after, f);
      if (!_cp_lead_store_write_audit (self, cp_lead_get_id (after), action,
                                       cp_lead_field_info (f)->name, old_value, new_value,
                                       request->actor, request->now, reason, error))
        return FALSE;
    }
  return TRUE;
}

/* What the CRM should hear: every change made here. A change that came
 * from the CRM itself is not sent back, but what the playbook derived
 * from it (a new score, another owner) is. */
gboolean
_cp_lead_rows_journal (CpLeadStore          *self,
                 CpLead               *after,
                 guint64               changed,
                 const CpWriteChanges        *changes,
                 const CpWriteRequest *request,
                 GError              **error)
{
  g_autoptr(GString) fields = g_string_new (NULL);

  if (request->flags & CP_WRITE_FROM_CRM)
    changed &= ~changes->caller;
  changed &= ~CP_FIELD_BIT (CP_LEAD_FIELD_UPDATED_AT);
  /* A lead of a batch (an import) is journalled whole at the next sync. */
  if (changed == 0 || (request->flags & CP_WRITE_BATCH))
    return TRUE;
  for (CpLeadField f = 0; f < CP_LEAD_N_FIELDS; f++)
    if (changed & CP_FIELD_BIT (f))
      g_string_append_printf (fields, "%s%s", fields->len > 0 ? "," : "", cp_lead_field_info (f)->name);
  return _cp_sync_outbox_enqueue (self->database, cp_lead_get_id (after), "update", fields->str,
                                  request->now, error);
}

gboolean
_cp_lead_rows_update (CpLeadStore  *self,
            CpLead       *before,
            CpLead       *after,
            guint64       changed,
            gboolean      stage_changed,
            GError      **error)
{
  g_autoptr(GString) sql = g_string_new ("UPDATE leads SET ");
  g_auto(MatchKeys) keys = { 0, };
  sqlite3_stmt *stmt;
  int index = 1;
  int rc;

  /* Column names come from the field table, never from input. */
  for (CpLeadField f = 0; f < CP_LEAD_N_FIELDS; f++)
    if (changed & CP_FIELD_BIT (f))
      g_string_append_printf (sql, "%s = ?, ", cp_lead_field_info (f)->name);
  g_string_append (sql, "email_key = ?, phone_key = ?, name_key = ?, location_key = ?,"
                        " sync_state = CASE sync_state WHEN 0 THEN 2 ELSE sync_state END");
  if (stage_changed)
    g_string_append (sql, ", stage_entered_at = ?");
  g_string_append (sql, " WHERE id = ?");

  stmt = _cp_database_built_statement (self->database, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  for (CpLeadField f = 0; f < CP_LEAD_N_FIELDS; f++)
    if (changed & CP_FIELD_BIT (f))
      bind_lead_field (stmt, index++, after, f);
  bind_match_keys (self, stmt, index, after, &keys);
  index += 4;
  if (stage_changed)
    sqlite3_bind_int64 (stmt, index++, cp_lead_get_stage_entered_at (after));
  _cp_bind_text_uncopied (stmt, index, cp_lead_get_id (after));
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not save the lead"));
      return FALSE;
    }
  return TRUE;
}

/* @account_id: (nullable): the account of the lead's organization, when
 * it exists already (_cp_lead_rows_find_account()) */
gboolean
_cp_lead_rows_insert (CpLeadStore  *self,
                      CpLead       *lead,
                      const char   *account_id,
                      GError      **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (self->database, CP_STMT_LEAD_INSERT, error);
  g_auto(MatchKeys) keys = { 0, };

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    bind_lead_field (stmt, i + 1, lead, i);
  bind_match_keys (self, stmt, CP_LEAD_N_FIELDS + 1, lead, &keys);
  sqlite3_bind_int64 (stmt, CP_LEAD_N_FIELDS + 5, cp_lead_get_stage_entered_at (lead));
  sqlite3_bind_int (stmt, CP_LEAD_N_FIELDS + 6, SYNC_STATE_CREATED);
  _cp_bind_text_uncopied (stmt, CP_LEAD_N_FIELDS + 7, account_id);
  return _cp_database_step_done (self->database, stmt, error);
}

