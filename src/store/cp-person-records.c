/* cp-person-records.c — a person's records: which leads are the person, and the SQL both
 * the export and the erasure run over them
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-person"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cp-lead-store-private.h"
#include "cp-person-private.h"

/* What the tombstone of an erased lead keeps: what counts, reports and the
 * funnel read, none of it naming or describing the person. Every other
 * field is cleared, and its values leave the audit trail too. */
static const CpLeadField kept_fields[] = {
  CP_LEAD_FIELD_ID, CP_LEAD_FIELD_LEAD_TYPE, CP_LEAD_FIELD_SOURCE_CHANNEL, CP_LEAD_FIELD_URGENCY,
  CP_LEAD_FIELD_STAGE, CP_LEAD_FIELD_STATUS, CP_LEAD_FIELD_OWNER, CP_LEAD_FIELD_QUEUE,
  CP_LEAD_FIELD_DO_NOT_CONTACT, CP_LEAD_FIELD_APPOINTMENT_STAGE, CP_LEAD_FIELD_CLOSURE_OUTCOME,
  CP_LEAD_FIELD_CLOSURE_REASON, CP_LEAD_FIELD_SCORE, CP_LEAD_FIELD_FIT_SCORE,
  CP_LEAD_FIELD_INTENT_SCORE, CP_LEAD_FIELD_READINESS_SCORE, CP_LEAD_FIELD_TIER,
  CP_LEAD_FIELD_SLA_DUE_AT, CP_LEAD_FIELD_FIRST_RESPONSE_AT, CP_LEAD_FIELD_LAST_ACTIVITY_AT,
  CP_LEAD_FIELD_CREATED_AT, CP_LEAD_FIELD_UPDATED_AT,
};

/* Audit fields whose values are ids, not the person's data. */
static const char * const kept_audit_fields[] = { "merge_id", "erasure_id" };

void
_cp_person_binds_clear (CpPersonBinds *binds)
{
  g_clear_pointer (&binds->kept_json, g_free);
  g_clear_pointer (&binds->person_json, g_free);
  g_clear_pointer (&binds->partner_json, g_free);
}

gboolean
_cp_person_field_is_kept (CpLeadField field)
{
  for (guint i = 0; i < G_N_ELEMENTS (kept_fields); i++)
    if (kept_fields[i] == field)
      return TRUE;
  return FALSE;
}

gboolean
_cp_person_field_is_text (CpLeadField field)
{
  CpFieldType type = cp_lead_field_info (field)->type;

  return type == CP_FIELD_TYPE_TEXT || type == CP_FIELD_TYPE_CHOICE;
}

char *
_cp_person_ids_json (GPtrArray *ids)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    json_builder_add_string_value (builder, ids->pdata[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

char *
_cp_person_kept_fields_json (void)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (kept_fields); i++)
    g_ptr_array_add (names, (gpointer) cp_lead_field_info (kept_fields[i])->name);
  for (guint i = 0; i < G_N_ELEMENTS (kept_audit_fields); i++)
    g_ptr_array_add (names, (gpointer) kept_audit_fields[i]);
  return _cp_person_ids_json (names);
}

static void
bind_all (sqlite3_stmt *stmt,
          const CpPersonBinds  *binds)
{
  int n = sqlite3_bind_parameter_count (stmt);

  /* A statement binds what it uses; the others are out of its range. */
  if (n >= 1)
    sqlite3_bind_int64 (stmt, 1, binds->erasure_id);
  if (n >= 2)
    sqlite3_bind_int64 (stmt, 2, binds->now);
  if (n >= 3)
    _cp_bind_text (stmt, 3, binds->kept_json);
  if (n >= 4)
    _cp_bind_text (stmt, 4, binds->person_json);
  if (n >= 5)
    _cp_bind_text (stmt, 5, binds->partner_json);
}

/* Runs one statement that returns no rows. */
gboolean
_cp_person_run (CpDatabase   *database,
     const char   *sql,
     const CpPersonBinds  *binds,
     guint        *out_changes,
     GError      **error)
{
  sqlite3_stmt *stmt = _cp_database_prepare (database, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_all (stmt, binds);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _cp_database_set_error (database, error, rc, _("Could not erase the person"));
      sqlite3_finalize (stmt);
      return FALSE;
    }
  if (out_changes != NULL)
    *out_changes = sqlite3_changes (_cp_database_get_handle (database));
  sqlite3_finalize (stmt);
  return TRUE;
}

/* The first column of each row, as text. */
GPtrArray *
_cp_person_select_strings (CpDatabase   *database,
                const char   *sql,
                const CpPersonBinds  *binds,
                const char   *text,
                GError      **error)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = _cp_database_prepare (database, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (binds != NULL)
    bind_all (stmt, binds);
  if (text != NULL)
    _cp_bind_text (stmt, 1, text);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (values, g_strdup (_cp_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (database, error, rc, _("Could not read the person’s records"));
      return NULL;
    }
  return g_steal_pointer (&values);
}

gint64
_cp_person_select_count (CpDatabase   *database,
              const char   *sql,
              const CpPersonBinds  *binds,
              GError      **error)
{
  sqlite3_stmt *stmt = _cp_database_prepare (database, sql, error);
  gint64 count = -1;
  int rc;

  if (stmt == NULL)
    return -1;
  bind_all (stmt, binds);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    _cp_database_set_error (database, error, rc, _("Could not read the person’s records"));
  sqlite3_finalize (stmt);
  return count;
}

/**
 * _cp_person_scope:
 *
 * Returns: (transfer full) (element-type utf8): the lead and every lead
 *   merged into it by a merge not undone (the same person's other
 *   records), the lead first; %NULL with @error when there is no such lead
 */
GPtrArray *
_cp_person_scope (CpDatabase  *database,
                  const char  *lead_id,
                  GError     **error)
{
  g_autoptr(GPtrArray) found = NULL;

  found = _cp_person_select_strings (database, "SELECT id FROM leads WHERE id = ?1", NULL, lead_id, error);
  if (found == NULL)
    return NULL;
  if (found->len == 0)
    {
      _cp_lead_store_not_found (error, lead_id);
      return NULL;
    }
  g_clear_pointer (&found, g_ptr_array_unref);
  return _cp_person_select_strings (database,
                         "WITH RECURSIVE person (id, depth) AS ("
                         "  SELECT ?1, 0"
                         "  UNION SELECT m.other_id, p.depth + 1 FROM merges m"
                         "  JOIN person p ON m.keep_id = p.id WHERE m.undone_at = 0)"
                         " SELECT id FROM person GROUP BY id ORDER BY min (depth), id",
                         NULL, lead_id, error);
}

/* The leads merged with the person once and unmerged since: their history
 * may hold the person's values. */
static GPtrArray *
partner_leads (CpDatabase   *database,
               const CpPersonBinds  *binds,
               GError      **error)
{
  return _cp_person_select_strings (database,
                         "SELECT DISTINCT CASE WHEN keep_id IN " PERSON_IDS
                         " THEN other_id ELSE keep_id END AS partner FROM merges"
                         " WHERE (keep_id IN " PERSON_IDS " OR other_id IN " PERSON_IDS ")"
                         " AND partner NOT IN " PERSON_IDS,
                         binds, NULL, error);
}

gboolean
_cp_person_check_erasable (CpDatabase  *database,
                const char  *lead_id,
                GError     **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *merged_into = NULL;
  gint64 erased_at = 0;
  int rc;

  stmt = _cp_database_prepare (database, "SELECT erased_at FROM leads WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, lead_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    erased_at = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    {
      _cp_lead_store_not_found (error, lead_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _cp_database_set_error (database, error, rc, _("Could not read the lead"));
      return FALSE;
    }
  if (erased_at > 0)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("Lead %s was erased already."), lead_id);
      return FALSE;
    }

  stmt = _cp_database_statement (database, CP_STMT_MERGED_INTO, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, lead_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    merged_into = g_strdup (_cp_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (merged_into != NULL)
    {
      /* Its values live on in the lead it was merged into: erasing only
       * this record would leave the person there. */
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("Lead %s was merged into lead %s, which now holds the person’s data: "
                     "erase lead %s (its merged records are erased with it)."),
                   lead_id, merged_into, merged_into);
      return FALSE;
    }
  return TRUE;
}

gboolean
_cp_person_binds_init (CpPersonBinds       *binds,
            CpDatabase  *database,
            GPtrArray   *person,
            gint64       now,
            GError     **error)
{
  g_autoptr(GPtrArray) partners = NULL;

  binds->now = now;
  binds->kept_json = _cp_person_kept_fields_json ();
  binds->person_json = _cp_person_ids_json (person);
  partners = partner_leads (database, binds, error);
  if (partners == NULL)
    return FALSE;
  binds->partner_json = _cp_person_ids_json (partners);
  return TRUE;
}
