/* cp-import-match.c — which stored lead an imported row is, on what evidence, and what it changes there
 *
 * Two people are never taken for one on weak evidence. In order: the
 * row's Carepath id (an export of this or another Carepath), then its CRM
 * record id where sync linked one, then the same email, then the same
 * phone with a compatible name (the same, or one side has none). A shared
 * clinic switchboard or a similar name is not evidence: the row becomes a
 * lead of its own, flagged as a possible duplicate with the reason. Nor
 * is an email for a row whose Carepath id no lead has: that row is a
 * record of its own, and two records of one export stay two.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-import"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-import-private.h"
#include "cp-lead-store-private.h"
#include "cp-normalize.h"
#include "cp-store-error.h"

/**
 * cp_import_evidence_to_string:
 *
 * Returns: the evidence's id, as JSON and CSV reports give it
 */
const char *
cp_import_evidence_to_string (CpImportEvidence evidence)
{
  switch (evidence)
    {
    case CP_IMPORT_EVIDENCE_ID:
      return "id";
    case CP_IMPORT_EVIDENCE_REMOTE_ID:
      return "crm_record_id";
    case CP_IMPORT_EVIDENCE_EMAIL:
      return "email";
    case CP_IMPORT_EVIDENCE_PHONE_NAME:
      return "phone_and_name";
    case CP_IMPORT_EVIDENCE_NONE:
    default:
      return "none";
    }
}

/**
 * cp_import_evidence_describe:
 *
 * Returns: (transfer none): the evidence in words, for the import report
 */
const char *
cp_import_evidence_describe (CpImportEvidence evidence)
{
  switch (evidence)
    {
    case CP_IMPORT_EVIDENCE_ID:
      return _("the same Carepath id");
    case CP_IMPORT_EVIDENCE_REMOTE_ID:
      return _("the same CRM record");
    case CP_IMPORT_EVIDENCE_EMAIL:
      return _("the same email");
    case CP_IMPORT_EVIDENCE_PHONE_NAME:
      return _("the same phone and name");
    case CP_IMPORT_EVIDENCE_NONE:
    default:
      return _("nothing");
    }
}

void
_cp_import_found_clear (CpImportFound *found)
{
  g_clear_pointer (&found->lead_id, g_free);
  g_clear_pointer (&found->possible, g_free);
}

/* The live lead a removed one was merged into, following chains of
 * merges; "" when it was not merged (or no lead of the chain is live). */
char *
_cp_lead_store_merged_into (CpLeadStore  *store,
                            const char   *id,
                            GError      **error)
{
  CpDatabase *database = cp_lead_store_get_database (store);
  g_autofree char *current = g_strdup (id);

  for (guint hops = 0; hops < 16; hops++)
    {
      sqlite3_stmt *stmt = _cp_database_statement (database, CP_STMT_MERGED_INTO, error);
      g_autofree char *keep = NULL;
      int rc;

      if (stmt == NULL)
        return NULL;
      _cp_bind_text (stmt, 1, current);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        keep = g_strdup (_cp_column_text (stmt, 0));
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          _cp_database_set_error (database, error, rc, _("Could not read the merges"));
          return NULL;
        }
      if (keep == NULL)
        return hops > 0 ? g_steal_pointer (&current) : g_strdup ("");
      {
        gint64 deleted_at = 0;
        g_autoptr(CpLead) kept = _cp_lead_store_load (store, keep, &deleted_at, NULL);

        if (kept != NULL && deleted_at == 0)
          return g_steal_pointer (&keep);
      }
      g_free (current);
      current = g_steal_pointer (&keep);
    }
  return g_strdup ("");
}

/* The row's own id: the lead itself, the lead it was merged into, or a
 * refusal when it was removed. "" when no lead has it. */
static char *
match_id (CpLeadStore  *store,
          const char   *id,
          GError      **error)
{
  gint64 deleted_at = 0;
  g_autoptr(CpLead) same = _cp_lead_store_load (store, id, &deleted_at, NULL);
  g_autofree char *into = NULL;

  if (same == NULL)
    return g_strdup ("");
  if (deleted_at == 0)
    return g_strdup (id);
  into = _cp_lead_store_merged_into (store, id, error);
  if (into == NULL)
    return NULL;
  if (*into == '\0')
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (deleted_at);
      g_autofree char *date = g_date_time_format (when, "%x");

      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("The lead with this id was removed on %s; it is not brought back by an import."),
                   date);
      return NULL;
    }
  return g_steal_pointer (&into);
}

/* The lead sync linked to @remote_id, or "". */
static char *
match_remote_id (CpLeadStore  *store,
                 const char   *remote_id,
                 GError      **error)
{
  CpDatabase *database = cp_lead_store_get_database (store);
  sqlite3_stmt *stmt = _cp_database_statement (database, CP_STMT_LINK_BY_REMOTE_ID, error);
  g_autofree char *lead_id = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  _cp_bind_text (stmt, 1, remote_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    lead_id = g_strdup (_cp_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cp_database_set_error (database, error, rc, _("Could not read the CRM links"));
      return NULL;
    }
  return lead_id != NULL ? g_steal_pointer (&lead_id) : g_strdup ("");
}

/**
 * _cp_import_find:
 * @row: the row as a lead (its id, if the file has one, set)
 * @remote_id: (nullable): the row's CRM record id
 * @out_found: (out caller-allocates): the lead it is, on what evidence,
 *   or a lead it may be (flag only)
 *
 * Returns: %FALSE with @error set when the row cannot be matched at all
 *   (its id is that of a removed lead: %CP_STORE_ERROR_INVALID), or the
 *   database failed
 */
gboolean
_cp_import_find (CpLeadStore    *store,
                 CpLead         *row,
                 const char     *remote_id,
                 CpImportFound  *out_found,
                 GError        **error)
{
  g_autoptr(GPtrArray) candidates = NULL;
  const char *id = cp_lead_get_id (row);
  g_autofree char *name = NULL;

  memset (out_found, 0, sizeof *out_found);
  if (id != NULL)
    {
      g_autofree char *lead_id = match_id (store, id, error);

      if (lead_id == NULL)
        return FALSE;
      if (*lead_id != '\0')
        {
          out_found->lead_id = g_steal_pointer (&lead_id);
          out_found->evidence = CP_IMPORT_EVIDENCE_ID;
          return TRUE;
        }
    }
  if (remote_id != NULL && *remote_id != '\0')
    {
      g_autofree char *lead_id = match_remote_id (store, remote_id, error);

      if (lead_id == NULL)
        return FALSE;
      if (*lead_id != '\0')
        {
          out_found->lead_id = g_steal_pointer (&lead_id);
          out_found->evidence = CP_IMPORT_EVIDENCE_REMOTE_ID;
          return TRUE;
        }
    }

  /* Of the leads of a similar name, the first is all a flag names: the
   * others are not read (at a million leads nearly every row has some). */
  candidates = _cp_lead_store_find_duplicates_up_to (store, row, 1, error);
  if (candidates == NULL)
    return FALSE;
  /* A row with a Carepath id no lead here has is a record of its own (two
   * records of one export are two leads): what it shares is a flag. */
  if (id != NULL && candidates->len > 0)
    {
      out_found->possible = g_strdup (((CpDuplicateCandidate *) candidates->pdata[0])->lead_id);
      return TRUE;
    }
  /* The strongest evidence wins, whatever order the candidates came in. */
  for (guint i = 0; i < candidates->len; i++)
    {
      CpDuplicateCandidate *candidate = candidates->pdata[i];

      if (candidate->kinds & (1u << CP_MATCH_EMAIL))
        {
          out_found->lead_id = g_strdup (candidate->lead_id);
          out_found->evidence = CP_IMPORT_EVIDENCE_EMAIL;
          return TRUE;
        }
    }
  for (guint i = 0; i < candidates->len; i++)
    {
      CpDuplicateCandidate *candidate = candidates->pdata[i];

      if ((candidate->kinds & (1u << CP_MATCH_PHONE)) && candidate->name_compatible)
        {
          out_found->lead_id = g_strdup (candidate->lead_id);
          out_found->evidence = CP_IMPORT_EVIDENCE_PHONE_NAME;
          return TRUE;
        }
    }
  if (candidates->len > 0)
    {
      CpDuplicateCandidate *candidate = candidates->pdata[0];

      out_found->possible = g_strdup (candidate->lead_id);
    }
  return TRUE;
}

/* Text a person wrote about someone: it is only ever added where the
 * stored lead has none, never replaced. */
static gboolean
is_free_text (CpLeadField field)
{
  return field == CP_LEAD_FIELD_NOTES;
}

/**
 * _cp_import_merge:
 * @lead_id: the stored lead the row is
 * @policy: %CP_IMPORT_DUPLICATE_MERGE (the stored values win) or
 *   %CP_IMPORT_DUPLICATE_UPDATE (the row's do)
 * @out_changed: (out): whether the lead changed
 *
 * Fills the stored lead's empty fields from the row, and on a conflict
 * keeps the stored value or takes the row's, as @policy says; free text
 * and the stage are never replaced (a move has a reason and the
 * playbook's check). Written through the store's write path.
 */
gboolean
_cp_import_merge (CpLeadStore         *store,
                  CpImportMapping     *mapping,
                  CpLead              *row,
                  const char          *lead_id,
                  CpImportDuplicates   policy,
                  const char          *actor,
                  gboolean            *out_changed,
                  GError             **error)
{
  g_autoptr(CpLead) existing = cp_lead_store_get (store, lead_id, error);
  GHashTable *custom;
  gboolean changed = FALSE;
  g_autoptr(CpLead) before = NULL;

  *out_changed = FALSE;
  if (existing == NULL)
    return FALSE;
  for (guint i = 0; i < mapping->fields->len; i++)
    {
      CpLeadField field = g_array_index (mapping->fields, CpLeadField, i);
      g_autofree char *value = NULL;
      g_autofree char *current = NULL;
      gboolean empty;

      if (field == CP_LEAD_N_FIELDS || field == CP_LEAD_FIELD_ID || field == CP_LEAD_FIELD_STAGE ||
          field == CP_LEAD_FIELD_CREATED_AT || cp_lead_field_is_computed (field))
        continue;
      value = cp_lead_dup_field_string (row, field);
      current = cp_lead_dup_field_string (existing, field);
      if (value == NULL || *value == '\0' || g_strcmp0 (value, current) == 0)
        continue;
      empty = current == NULL || *current == '\0' ||
              (cp_lead_field_info (field)->type == CP_FIELD_TYPE_BOOL && cp_lead_get_int (existing, field) == 0);
      if (!empty && (policy != CP_IMPORT_DUPLICATE_UPDATE || is_free_text (field)))
        continue;
      if (!cp_lead_set_field_from_string (existing, field, value, error))
        return FALSE;
      changed = TRUE;
    }
  custom = cp_lead_get_custom_fields (row);
  if (custom != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, custom);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          const char *current = cp_lead_get_custom (existing, key);

          if (g_strcmp0 (current, value) == 0 ||
              (current != NULL && policy != CP_IMPORT_DUPLICATE_UPDATE))
            continue;
          cp_lead_set_custom (existing, key, value);
          changed = TRUE;
        }
    }
  if (!changed)
    return TRUE;
  /* Only what differs once normalised (a phone as typed, say) is written:
   * what the store holds afterwards says whether anything was. */
  before = cp_lead_store_get (store, lead_id, error);
  if (before == NULL ||
      !cp_lead_store_update (store, existing, actor, _("Filled in from an import"), error))
    return FALSE;
  *out_changed = !cp_lead_custom_fields_equal (before, existing);
  for (CpLeadField f = 0; f < CP_LEAD_N_FIELDS && !*out_changed; f++)
    *out_changed = f != CP_LEAD_FIELD_UPDATED_AT && !cp_lead_equal_field (before, existing, f);
  return TRUE;
}
