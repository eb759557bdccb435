/* cp-sync-merge.c — applying a pulled record: three-way merge of mapped fields, conflicts
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-sync-engine-private.h"
#include "cp-sync-error.h"

gboolean
_cp_sync_blank (const char *value)
{
  return value == NULL || *value == '\0';
}

gboolean
_cp_sync_same_value (const char *a,
                     const char *b)
{
  return (_cp_sync_blank (a) && _cp_sync_blank (b)) || g_strcmp0 (a, b) == 0;
}

/**
 * cp_sync_merge_value:
 *
 * Three-way merge of one field; empty and missing are the same value.
 */
CpMergeOutcome
cp_sync_merge_value (const char *base,
                     const char *local,
                     const char *remote)
{
  if (_cp_sync_same_value (local, remote))
    return CP_MERGE_SAME;
  if (_cp_sync_same_value (local, base))
    return CP_MERGE_TAKE_REMOTE;
  if (_cp_sync_same_value (remote, base))
    return CP_MERGE_KEEP_LOCAL;
  return CP_MERGE_CONFLICT;
}

/* The lead's mapped fields as CRM values (stage through the stage map). */
GHashTable *
_cp_sync_run_local_properties (CpSyncRun *run,
                               CpLead    *lead)
{
  GHashTable *properties = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  guint n = 0;
  const CpCrmFieldMap *map = cp_crm_backend_get_field_map (run->backend, &n);

  for (guint i = 0; i < n; i++)
    {
      char *value = map[i].field == CP_LEAD_FIELD_STAGE
                    ? cp_crm_backend_stage_to_remote (run->backend, cp_lead_get_stage (lead))
                    : cp_lead_dup_field_string (lead, map[i].field);

      if (_cp_sync_blank (value))
        g_free (value);
      else
        g_hash_table_insert (properties, (gpointer) map[i].property, value);
    }

  return properties;
}

/* The record's mapped properties: the base the next merge compares with. */
static GHashTable *
mapped_base (CpSyncRun   *run,
             CpCrmRecord *record)
{
  GHashTable *base = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint n = 0;
  const CpCrmFieldMap *map = cp_crm_backend_get_field_map (run->backend, &n);

  for (guint i = 0; i < n; i++)
    {
      const char *value = g_hash_table_lookup (record->properties, map[i].property);
      if (!_cp_sync_blank (value))
        g_hash_table_insert (base, g_strdup (map[i].property), g_strdup (value));
    }

  return base;
}

/* Writes a CRM value into @lead's field. A stage option of the CRM that
 * maps to no Carepath stage leaves the stage alone; a value that is not
 * even an option is an error: the record is kept until someone maps it. */
static gboolean
set_from_remote (CpSyncRun    *run,
                 CpLead       *lead,
                 CpLeadField   field,
                 const char   *value,
                 GError      **error)
{
  if (field == CP_LEAD_FIELD_STAGE)
    {
      g_autofree char *stage = NULL;

      if (_cp_sync_blank (value))
        return TRUE;   /* cleared in the CRM: every lead has a stage here */
      stage = cp_crm_backend_stage_from_remote (run->backend, value);
      if (stage == NULL && cp_crm_backend_stage_is_option (run->backend, value))
        return TRUE;
      if (stage == NULL)
        {
          g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED,
                       _("The CRM's stage “%s” has no Carepath stage: map it in Preferences → "
                         "CRM, and the record is applied at the next sync."), value);
          return FALSE;
        }
      cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, stage);
      return TRUE;
    }

  return cp_lead_set_field_from_string (lead, field, _cp_sync_blank (value) ? NULL : value, error);
}

static char *
local_value_of (CpSyncRun   *run,
                CpLeadField  field,
                const char  *remote_value)
{
  if (field == CP_LEAD_FIELD_STAGE)
    {
      char *stage = cp_crm_backend_stage_from_remote (run->backend, remote_value);
      return stage != NULL ? stage : g_strdup (remote_value);
    }
  return g_strdup (remote_value);
}

static gboolean
insert_remote_lead (CpSyncRun    *run,
                    CpCrmRecord  *record,
                    const char   *carepath_id,
                    GError      **error)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GHashTable) base = NULL;
  guint n = 0;
  const CpCrmFieldMap *map = cp_crm_backend_get_field_map (run->backend, &n);

  if (carepath_id != NULL && g_uuid_string_is_valid (carepath_id))
    cp_lead_set_text (lead, CP_LEAD_FIELD_ID, carepath_id);
  for (guint i = 0; i < n; i++)
    {
      const char *value = g_hash_table_lookup (record->properties, map[i].property);

      if (cp_lead_field_is_computed (map[i].field))
        continue;   /* the playbook computes it here: sent, never taken */
      if (!_cp_sync_blank (value) && !set_from_remote (run, lead, map[i].field, value, error))
        return FALSE;
    }

  base = mapped_base (run, record);
  return cp_sync_store_insert_remote_lead (run->store, lead, error) &&
         cp_sync_store_set_link (run->store, cp_lead_get_id (lead), record->remote_id,
                                 record->updated_at, base, error);
}

/* Did the CRM change a mapped field since the link's base? */
static gboolean
remote_changed (CpSyncRun   *run,
                CpSyncLink  *link,
                CpCrmRecord *record)
{
  guint n = 0;
  const CpCrmFieldMap *map = cp_crm_backend_get_field_map (run->backend, &n);

  for (guint i = 0; i < n; i++)
    if (!cp_lead_field_is_computed (map[i].field) &&
        !_cp_sync_same_value (g_hash_table_lookup (link->base, map[i].property),
                              g_hash_table_lookup (record->properties, map[i].property)))
      return TRUE;
  return FALSE;
}

/* Keeps a value both sides changed differently as a conflict of
 * @lead_id: base and remote in Carepath's terms, local as @holder has it. */
static gboolean
add_conflict (CpSyncRun            *run,
              const char           *lead_id,
              CpLead               *holder,
              const CpCrmFieldMap  *entry,
              const char           *base,
              const char           *remote,
              const char           *remote_updated_at,
              GError              **error)
{
  g_autofree char *base_value = local_value_of (run, entry->field, base);
  g_autofree char *local_value = cp_lead_dup_field_string (holder, entry->field);
  g_autofree char *remote_value = local_value_of (run, entry->field, remote);
  gboolean is_new = FALSE;

  if (!cp_sync_store_add_conflict (run->store, lead_id, cp_lead_field_info (entry->field)->name,
                                   base_value, local_value, remote_value, remote_updated_at,
                                   &is_new, error))
    return FALSE;
  if (is_new)
    run->page_conflicts++;
  return TRUE;
}

/* The CRM changed a contact merged into another lead here: what it
 * changed lands on the surviving lead (a value the survivor holds
 * differently becomes a conflict there), and the merged contact's
 * archive goes ahead with the new base. */
static gboolean
carry_onto_survivor (CpSyncRun    *run,
                     CpCrmRecord  *record,
                     CpSyncLink   *link,
                     const char   *merged_id,
                     const char   *survivor_id,
                     GError      **error)
{
  g_autoptr(CpLead) survivor = cp_sync_store_load_lead (run->store, survivor_id, NULL, error);
  g_autoptr(CpLead) after = NULL;
  g_autoptr(GHashTable) local = NULL;
  g_autoptr(GHashTable) base = NULL;
  guint n = 0;
  const CpCrmFieldMap *map = cp_crm_backend_get_field_map (run->backend, &n);

  if (survivor == NULL)
    return FALSE;
  local = _cp_sync_run_local_properties (run, survivor);
  after = cp_lead_copy (survivor);
  for (guint i = 0; i < n; i++)
    {
      const char *b = g_hash_table_lookup (link->base, map[i].property);
      const char *l = g_hash_table_lookup (local, map[i].property);
      const char *r = g_hash_table_lookup (record->properties, map[i].property);

      if (cp_lead_field_is_computed (map[i].field) || _cp_sync_same_value (b, r) ||
          _cp_sync_same_value (l, r))
        continue;
      if (_cp_sync_blank (l) || _cp_sync_same_value (l, b))
        {
          if (!set_from_remote (run, after, map[i].field, r, error))
            return FALSE;
        }
      else if (!add_conflict (run, survivor_id, survivor, &map[i], b, r, record->updated_at,
                              error))
        return FALSE;
    }

  base = mapped_base (run, record);
  return cp_sync_store_carry_remote_edit (run->store, after, merged_id, error) &&
         cp_sync_store_set_link (run->store, merged_id, record->remote_id, record->updated_at, base,
                                 error);
}

/* The local lead @record is about: the one linked to it, else the one
 * whose Carepath id it carries (then *@out_adopted is set). NULL, with
 * @error unset, when there is none. */
static char *
find_lead (CpSyncRun    *run,
           CpCrmRecord  *record,
           const char   *carepath_id,
           gboolean     *out_adopted,
           GError      **error)
{
  g_autoptr(CpLead) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  char *lead_id = cp_sync_store_find_lead (run->store, record->remote_id, error);

  if (lead_id != NULL || (error != NULL && *error != NULL) || carepath_id == NULL)
    return lead_id;
  /* Pushed by us before the link was saved (the connection dropped
   * after the CRM committed): adopt it, never duplicate it. */
  existing = cp_sync_store_load_lead (run->store, carepath_id, NULL, &local_error);
  if (existing == NULL)
    return NULL;
  *out_adopted = TRUE;
  return g_strdup (carepath_id);
}

/* Whether @record is a contact not seen here yet: linked to no lead, and
 * carrying no Carepath id (a lead pushed by us is adopted instead). Its
 * insert is judged whole before anything of it is written. FALSE when
 * unsure (a read that failed). */
gboolean
_cp_sync_run_record_is_new (CpSyncRun   *run,
                            CpCrmRecord *record)
{
  g_autofree char *lead_id = NULL;
  g_autoptr(GError) local_error = NULL;

  if (g_hash_table_contains (record->properties, cp_crm_backend_get_id_property (run->backend)))
    return FALSE;
  lead_id = cp_sync_store_find_lead (run->store, record->remote_id, &local_error);
  return lead_id == NULL && local_error == NULL;
}

/* Merges each mapped field of @record into @after: what only the CRM
 * changed is taken, what both sides changed differently is a conflict. */
static gboolean
merge_fields (CpSyncRun    *run,
              CpCrmRecord  *record,
              const char   *lead_id,
              GHashTable   *base,
              GHashTable   *local,
              CpLead       *before,
              CpLead       *after,
              GError      **error)
{
  guint n = 0;
  const CpCrmFieldMap *map = cp_crm_backend_get_field_map (run->backend, &n);

  for (guint i = 0; i < n; i++)
    {
      const char *b = g_hash_table_lookup (base, map[i].property);
      const char *l = g_hash_table_lookup (local, map[i].property);
      const char *r = g_hash_table_lookup (record->properties, map[i].property);

      if (cp_lead_field_is_computed (map[i].field))
        continue;
      switch (cp_sync_merge_value (b, l, r))
        {
        case CP_MERGE_TAKE_REMOTE:
          if (!set_from_remote (run, after, map[i].field, r, error))
            return FALSE;
          break;
        case CP_MERGE_CONFLICT:
          if (!add_conflict (run, lead_id, before, &map[i], b, r, record->updated_at, error))
            return FALSE;
          break;
        case CP_MERGE_SAME:
        case CP_MERGE_KEEP_LOCAL:
        default:
          break;
        }
    }
  return TRUE;
}

/* Applies one pulled record inside the page's transaction. */
gboolean
_cp_sync_run_apply_record (CpSyncRun    *run,
                           CpCrmRecord  *record,
                           gboolean     *out_applied,
                           GError      **error)
{
  const char *carepath_id = g_hash_table_lookup (record->properties,
                                                 cp_crm_backend_get_id_property (run->backend));
  g_autofree char *lead_id = NULL;
  g_autoptr(CpSyncLink) link = NULL;
  g_autoptr(CpLead) before = NULL;
  g_autoptr(CpLead) after = NULL;
  g_autoptr(GHashTable) local = NULL;
  g_autoptr(GHashTable) base = NULL;
  g_autoptr(GHashTable) open = NULL;
  gint64 deleted_at = 0;
  gboolean adopted = FALSE;

  lead_id = find_lead (run, record, carepath_id, &adopted, error);
  if (lead_id == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (lead_id == NULL)
    return insert_remote_lead (run, record, carepath_id, error);

  link = cp_sync_store_get_link (run->store, lead_id, error);
  if (link == NULL && error != NULL && *error != NULL)
    return FALSE;
  /* Seen already (overlapping pulls, our own push coming back). */
  if (link != NULL && !adopted && g_strcmp0 (link->remote_updated_at, record->updated_at) == 0)
    {
      *out_applied = FALSE;
      return TRUE;
    }

  before = cp_sync_store_load_lead (run->store, lead_id, &deleted_at, error);
  if (before == NULL)
    return FALSE;
  if (deleted_at != 0 && link != NULL)
    {
      g_autofree char *survivor = NULL;

      if (!remote_changed (run, link, record))
        {
          *out_applied = FALSE;
          return TRUE;   /* removed here: the pending removal archives it */
        }
      survivor = cp_sync_store_merged_into (run->store, lead_id, error);
      if (survivor == NULL)
        return FALSE;
      if (*survivor != '\0')
        return carry_onto_survivor (run, record, link, lead_id, survivor, error);
      /* Removed here, edited there since: the edit wins, the lead is back. */
      g_clear_object (&before);
      if (!cp_sync_store_restore_remote (run->store, lead_id, error))
        return FALSE;
      before = cp_sync_store_load_lead (run->store, lead_id, NULL, error);
      if (before == NULL)
        return FALSE;
    }

  local = _cp_sync_run_local_properties (run, before);
  after = cp_lead_copy (before);
  open = cp_sync_store_open_conflict_fields (run->store, lead_id, error);
  if (open == NULL)
    return FALSE;
  /* A lead adopted without a link has no base: what the CRM holds is
   * what we pushed, so local changes since then are kept. */
  base = link != NULL && !adopted ? g_hash_table_ref (link->base) : mapped_base (run, record);
  if (!merge_fields (run, record, lead_id, base, local, before, after, error))
    return FALSE;

  g_clear_pointer (&base, g_hash_table_unref);
  base = mapped_base (run, record);
  return cp_sync_store_apply_remote_edit (run->store, before, after, error) &&
         cp_sync_store_set_link (run->store, lead_id, record->remote_id, record->updated_at, base,
                                 error);
}
