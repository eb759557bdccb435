/* cp-person-export.c — everything the database holds about one person, as one JSON document
 *
 * The right of access: the person's lead and the leads merged into it,
 * each with every field, the consent record, custom fields, activities,
 * stage events, audit entries, tasks (with their audit entries), CRM links, conflicts, unsent changes and
 * quarantined CRM records; the merges the person took part in, with what
 * they kept to be undone; the erasures, if any. Times are ISO 8601 (UTC).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-person-export"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cp-database-private.h"
#include "cp-datetime.h"
#include "cp-lead-store-private.h"
#include "cp-person-erase.h"
#include "cp-person-export.h"
#include "cp-person-private.h"
#include "cp-private-file.h"

#define CP_PERSON_EXPORT_FORMAT  "carepath-person-export"
#define CP_PERSON_EXPORT_VERSION 1

static const CpLeadField consent_fields[] = {
  CP_LEAD_FIELD_CONSENT_STATUS, CP_LEAD_FIELD_CONSENT_CHANNEL, CP_LEAD_FIELD_CONSENT_CAPTURED_BY,
  CP_LEAD_FIELD_CONSENT_CAPTURED_AT, CP_LEAD_FIELD_CONSENT_SOURCE,
  CP_LEAD_FIELD_CONSENT_NOTICE_VERSION, CP_LEAD_FIELD_DO_NOT_CONTACT,
};

static gboolean
is_time_column (const char *name)
{
  return g_str_has_suffix (name, "_at") || g_str_equal (name, "time") ||
         g_str_has_suffix (name, "_time");
}

/* Columns holding JSON written by Carepath: shown as JSON, not as a string. */
static gboolean
is_json_column (const char *name)
{
  return g_str_equal (name, "base") || g_str_equal (name, "payload") || g_str_equal (name, "fields");
}

static void
add_column_value (JsonBuilder  *builder,
                  sqlite3_stmt *stmt,
                  int           column)
{
  const char *name = sqlite3_column_name (stmt, column);

  json_builder_set_member_name (builder, name);
  switch (sqlite3_column_type (stmt, column))
    {
    case SQLITE_NULL:
      json_builder_add_null_value (builder);
      break;
    case SQLITE_INTEGER:
      {
        gint64 value = sqlite3_column_int64 (stmt, column);

        if (is_time_column (name) && value > 0)
          {
            g_autofree char *iso = cp_datetime_format_iso8601 (value);
            json_builder_add_string_value (builder, iso);
          }
        else
          json_builder_add_int_value (builder, value);
      }
      break;
    case SQLITE_FLOAT:
      json_builder_add_double_value (builder, sqlite3_column_double (stmt, column));
      break;
    default:
      {
        const char *text = _cp_column_text (stmt, column);
        g_autoptr(JsonNode) parsed = NULL;

        if (is_json_column (name) && (text[0] == '{' || text[0] == '['))
          parsed = json_from_string (text, NULL);
        if (parsed != NULL)
          json_builder_add_value (builder, g_steal_pointer (&parsed));
        else
          json_builder_add_string_value (builder, text);
      }
      break;
    }
}

/* Adds member @member: an array of one object per row of @sql, with @text
 * bound to ?1. */
static gboolean
add_rows (JsonBuilder  *builder,
          CpDatabase   *database,
          const char   *member,
          const char   *sql,
          const char   *text,
          GError      **error)
{
  sqlite3_stmt *stmt = _cp_database_prepare (database, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, text);
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_begin_object (builder);
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        add_column_value (builder, stmt, i);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (database, error, rc, _("Could not read the person’s records"));
      return FALSE;
    }
  return TRUE;
}

/* Adds the members of the one row of @sql (bookkeeping of a lead row). */
static gboolean
add_row_members (JsonBuilder  *builder,
                 CpDatabase   *database,
                 const char   *sql,
                 const char   *text,
                 GError      **error)
{
  sqlite3_stmt *stmt = _cp_database_prepare (database, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, text);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    for (int i = 0; i < sqlite3_column_count (stmt); i++)
      add_column_value (builder, stmt, i);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      _cp_database_set_error (database, error, rc, _("Could not read the person’s records"));
      return FALSE;
    }
  return TRUE;
}

static void
add_field (JsonBuilder *builder,
           CpLead      *lead,
           CpLeadField  field)
{
  g_autofree char *value = cp_lead_dup_field_string (lead, field);

  json_builder_set_member_name (builder, cp_lead_field_info (field)->name);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else if (cp_lead_field_info (field)->type == CP_FIELD_TYPE_INT)
    json_builder_add_int_value (builder, cp_lead_get_int (lead, field));
  else if (cp_lead_field_info (field)->type == CP_FIELD_TYPE_BOOL)
    json_builder_add_boolean_value (builder, cp_lead_get_int (lead, field) != 0);
  else
    json_builder_add_string_value (builder, value);
}

static gboolean
add_lead (JsonBuilder  *builder,
          CpLeadStore  *store,
          const char   *id,
          gboolean      first,
          GError      **error)
{
  CpDatabase *database = cp_lead_store_get_database (store);
  g_autoptr(CpLead) lead = _cp_lead_store_load (store, id, NULL, error);
  GHashTable *custom;

  if (lead == NULL)
    return FALSE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "relation");
  json_builder_add_string_value (builder, first ? "the lead asked about"
                                                : "a record of the same person, merged into it");

  json_builder_set_member_name (builder, "fields");
  json_builder_begin_object (builder);
  for (CpLeadField f = 0; f < CP_LEAD_N_FIELDS; f++)
    add_field (builder, lead, f);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "consent");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (consent_fields); i++)
    add_field (builder, lead, consent_fields[i]);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "custom_fields");
  json_builder_begin_object (builder);
  custom = cp_lead_get_custom_fields (lead);
  if (custom != NULL)
    {
      g_autofree const char **keys = (const char **) g_hash_table_get_keys_as_array (custom, NULL);

      for (guint i = 0; keys[i] != NULL; i++)
        {
          json_builder_set_member_name (builder, keys[i]);
          json_builder_add_string_value (builder, g_hash_table_lookup (custom, keys[i]));
        }
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "record");
  json_builder_begin_object (builder);
  if (!add_row_members (builder, database,
                        "SELECT stage_entered_at, deleted_at, merged_into, possible_duplicate_of,"
                        " account_id, erased_at, sync_state, sla_breached_at, sla_escalated_at"
                        " FROM leads WHERE id = ?1",
                        id, error))
    return FALSE;
  json_builder_end_object (builder);

  if (!add_rows (builder, database, "activities",
                 "SELECT id, kind, occurred_at, detail, disposition, depth, actor, merge_id,"
                 " merged_from FROM activities WHERE lead_rowid = (SELECT rowid FROM leads"
                 " WHERE id = ?1) ORDER BY occurred_at, id",
                 id, error) ||
      !add_rows (builder, database, "stage_events",
                 "SELECT id, from_stage, to_stage, reason, actor, device_time, synced_time"
                 " FROM stage_events WHERE lead_id = ?1 ORDER BY device_time, id",
                 id, error) ||
      /* With the lead's tier changes by rescores (schema 19), in time
       * order: "rescore_run" names the run, which has no audit id. */
      !add_rows (builder, database, "audit",
                 "SELECT id, time, action, field, old_value, new_value, actor, reason,"
                 " NULL AS rescore_run, NULL AS old_score, NULL AS new_score"
                 " FROM audit_log WHERE entity = 'lead' AND entity_id = ?1"
                 " UNION ALL SELECT NULL, r.scored_at, 'rescore', 'tier', c.old_tier, c.new_tier,"
                 " r.actor, " CP_RESCORE_CHANGE_REASON ", r.id, c.old_score, c.new_score"
                 CP_RESCORE_CHANGES_OF_LEADS " WHERE l.id = ?1"
                 " ORDER BY 2, 1 NULLS LAST, 9",
                 id, error) ||
      !add_rows (builder, database, "tasks",
                 "SELECT id, kind, title, note, owner, due_at, snoozed_until, status, done_at, done_by,"
                 " origin, stage_id, template_key, completed_by, created_at, updated_at"
                 " FROM tasks WHERE lead_id = ?1 ORDER BY created_at, id",
                 id, error) ||
      !add_rows (builder, database, "task_audit",
                 "SELECT a.id, a.entity_id, a.time, a.action, a.field, a.old_value, a.new_value, a.actor,"
                 " a.reason FROM audit_log a JOIN tasks t ON t.id = a.entity_id"
                 " WHERE a.entity = 'task' AND t.lead_id = ?1 ORDER BY a.id",
                 id, error) ||
      !add_rows (builder, database, "sync_links",
                 "SELECT backend, remote_id, remote_updated_at, base, remote_deleted_at"
                 " FROM sync_links WHERE lead_id = ?1 ORDER BY backend",
                 id, error) ||
      !add_rows (builder, database, "sync_conflicts",
                 "SELECT id, backend, field, base_value, local_value, remote_value,"
                 " remote_updated_at, created_at, resolved_at, resolution"
                 " FROM sync_conflicts WHERE lead_id = ?1 ORDER BY id",
                 id, error) ||
      !add_rows (builder, database, "outbox",
                 "SELECT id, op, fields, created_at, attempts, last_error"
                 " FROM outbox WHERE entity = 'lead' AND entity_id = ?1 ORDER BY id",
                 id, error) ||
      !add_rows (builder, database, "sync_rejects",
                 "SELECT r.id, r.backend, r.remote_id, r.remote_updated_at, r.payload, r.reason,"
                 " r.attempts, r.first_seen_at, r.last_tried_at, r.resolved_at, r.dismissed_at"
                 " FROM sync_rejects r WHERE EXISTS (SELECT 1 FROM sync_links s"
                 " WHERE s.lead_id = ?1 AND s.backend = r.backend AND s.remote_id = r.remote_id)"
                 " OR instr (r.payload, ?1) > 0 ORDER BY r.id",
                 id, error))
    return FALSE;

  json_builder_end_object (builder);
  return TRUE;
}

static gboolean
add_merges (JsonBuilder  *builder,
            CpDatabase   *database,
            const char   *person_json,
            GError      **error)
{
  g_autoptr(GPtrArray) merge_ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cp_database_prepare (database,
                               "SELECT id FROM merges WHERE keep_id IN (SELECT value FROM json_each (?1))"
                               " OR other_id IN (SELECT value FROM json_each (?1)) ORDER BY time, id",
                               error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, person_json);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (merge_ids, g_strdup (_cp_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (database, error, rc, _("Could not read the person’s records"));
      return FALSE;
    }

  json_builder_set_member_name (builder, "merges");
  json_builder_begin_array (builder);
  for (guint i = 0; i < merge_ids->len; i++)
    {
      const char *id = merge_ids->pdata[i];

      json_builder_begin_object (builder);
      if (!add_row_members (builder, database,
                            "SELECT id, keep_id, other_id, actor, time, undone_at FROM merges"
                            " WHERE id = ?1",
                            id, error) ||
          !add_rows (builder, database, "snapshots",
                     "SELECT lead_id, field, value FROM merge_snapshots WHERE merge_id = ?1"
                     " ORDER BY lead_id, field",
                     id, error) ||
          !add_rows (builder, database, "moved_activities",
                     "SELECT activity_id, from_lead_id FROM merge_moves WHERE merge_id = ?1"
                     " ORDER BY activity_id",
                     id, error))
        return FALSE;
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return TRUE;
}

/**
 * cp_person_export_build:
 * @lead_id: the person's lead (a removed or merged one too)
 *
 * Returns: (transfer full): the document, or %NULL with @error when there
 *   is no such lead
 */
JsonNode *
cp_person_export_build (CpLeadStore  *store,
                        const char   *lead_id,
                        GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) person = NULL;
  g_autofree char *person_json = NULL;
  g_autofree char *now = NULL;
  CpDatabase *database;
  gboolean ok;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), NULL);
  g_return_val_if_fail (lead_id != NULL, NULL);

  database = cp_lead_store_get_database (store);
  person = _cp_person_scope (database, lead_id, error);
  if (person == NULL)
    return NULL;
  person_json = _cp_person_ids_json (person);
  now = cp_datetime_format_iso8601 (cp_lead_store_now (store));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, CP_PERSON_EXPORT_FORMAT);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, CP_PERSON_EXPORT_VERSION);
  json_builder_set_member_name (builder, "exported_at");
  json_builder_add_string_value (builder, now);
  json_builder_set_member_name (builder, "lead_id");
  json_builder_add_string_value (builder, lead_id);

  json_builder_set_member_name (builder, "leads");
  json_builder_begin_array (builder);
  ok = TRUE;
  for (guint i = 0; ok && i < person->len; i++)
    ok = add_lead (builder, store, person->pdata[i], i == 0, error);
  json_builder_end_array (builder);

  ok = ok && add_merges (builder, database, person_json, error);
  ok = ok && add_rows (builder, database, "accounts",
                       "SELECT id, name, org_type, org_size, location, region, created_at"
                       " FROM accounts WHERE id IN (SELECT account_id FROM leads WHERE id = ?1)",
                       lead_id, error);
  ok = ok && add_rows (builder, database, "erasures",
                       "SELECT id, lead_id, actor, reason, erased_at, leads, crm_deletes"
                       " FROM erasures WHERE lead_id = ?1 ORDER BY id",
                       lead_id, error);
  json_builder_end_object (builder);

  if (!ok)
    return NULL;
  return json_builder_get_root (builder);
}

/**
 * cp_person_export_write:
 * @document: a document from cp_person_export_build()
 * @file: where to write; replaced whole, readable by its owner only (0600)
 *
 * Writes @document as indented JSON.
 */
gboolean
cp_person_export_write (JsonNode  *document,
                        GFile     *file,
                        GError   **error)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;

  g_return_val_if_fail (document != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, document);
  text = json_generator_to_data (generator, &length);
  if (!cp_private_file_replace (file, text, length, &local_error))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_OPEN, _("Could not write “%s”: %s"),
                   name, local_error->message);
      return FALSE;
    }
  return TRUE;
}
