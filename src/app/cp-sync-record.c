/* cp-sync-record.c — a CRM record kept because it could not be applied, as people read it
 *
 * The record is kept with the CRM's property names (HubSpot's "firstname",
 * EspoCRM's "emailAddress"); the Sync view shows it by Carepath's field
 * labels, through the backend's mapping with the team's changes from
 * Preferences → Mapping. Properties Carepath does not keep are shown by
 * the CRM's name.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-record"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cp-crm-mapping.h"
#include "cp-crm-registry.h"
#include "cp-sync-record.h"

void
cp_sync_record_field_free (CpSyncRecordField *field)
{
  if (field == NULL)
    return;
  g_free (field->label);
  g_free (field->value);
  g_free (field);
}

/* CRM property → Carepath field (as GINT_TO_POINTER) for @backend:
 * its defaults with the team’s changes from Preferences → Mapping. */
static GHashTable *
property_fields (CpDatabase *database,
                 const char *backend)
{
  GHashTable *fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(CpCrmMapping) mapping = NULL;
  g_autoptr(GError) error = NULL;
  CpCrmDefaults defaults;

  if (!cp_crm_defaults_for_name (backend, &defaults))
    return fields;
  mapping = cp_crm_mapping_load (database, backend, &error);
  if (mapping == NULL)
    g_debug ("The saved CRM mapping cannot be read, using the defaults: %s", error->message);
  for (guint i = 0; i < defaults.n_fields; i++)
    {
      const CpCrmFieldMap *map = &defaults.fields[i];
      const char *property = map->property;

      if (mapping != NULL)
        {
          const char *changed = g_hash_table_lookup (mapping->fields,
                                                     cp_lead_field_info (map->field)->name);
          if (changed != NULL)
            property = changed;
        }
      if (property != NULL && *property != '\0')
        g_hash_table_replace (fields, g_strdup (property), GINT_TO_POINTER (map->field));
    }
  return fields;
}

/* The record's properties (string values only), or %NULL if unreadable. */
static JsonObject *
parse_payload (const CpSyncReject *reject)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (reject->payload == NULL || !json_parser_load_from_data (parser, reject->payload, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static const char *
member_text (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The record's Carepath fields: mapped CRM properties, or keys that are
 * Carepath field names already. Returns: field → value (borrowed). */
static GHashTable *
record_fields (CpDatabase *database,
               const char *backend,
               JsonObject *object,
               GPtrArray  *unmapped)
{
  GHashTable *values = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GHashTable) mapped = property_fields (database, backend);
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *value = member_text (object, l->data);
      gpointer field_ptr;
      CpLeadField field;

      if (value == NULL || *value == '\0')
        continue;
      if (g_hash_table_lookup_extended (mapped, l->data, NULL, &field_ptr))
        field = GPOINTER_TO_INT (field_ptr);
      else if (!cp_lead_field_from_name (l->data, &field))
        {
          if (unmapped != NULL)
            g_ptr_array_add (unmapped, l->data);
          continue;
        }
      if (!g_hash_table_contains (values, GINT_TO_POINTER (field)))
        g_hash_table_insert (values, GINT_TO_POINTER (field), (gpointer) value);
    }
  return values;
}

static gboolean
has_text (const char *value)
{
  for (const char *p = value; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return TRUE;
  return FALSE;
}

/**
 * cp_sync_record_dup_title:
 * @database: where the team's CRM mapping is saved
 * @backend: the record's CRM ("hubspot", "espocrm")
 *
 * Returns: (transfer full): the record's name as a lead's would read (the
 *   person's name, else the email or phone), else the CRM's id for it
 */
char *
cp_sync_record_dup_title (CpDatabase         *database,
                          const char         *backend,
                          const CpSyncReject *reject)
{
  static const CpLeadField naming[] = {
    CP_LEAD_FIELD_FIRST_NAME, CP_LEAD_FIELD_LAST_NAME, CP_LEAD_FIELD_EMAIL, CP_LEAD_FIELD_PHONE,
  };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(CpLead) lead = NULL;
  gboolean named = FALSE;

  g_return_val_if_fail (CP_IS_DATABASE (database), NULL);
  g_return_val_if_fail (reject != NULL, NULL);

  /* An engagement (a call, a meeting…) is named by its type and id. */
  if (reject->entity != NULL && g_strcmp0 (reject->entity, CP_SYNC_ENTITY_CONTACT) != 0)
    /* TRANSLATORS: the CRM's engagement type (e.g. "calls", "Meeting"), then its id */
    return g_strdup_printf (_("CRM engagement: %s %s"), reject->entity, reject->remote_id);
  object = parse_payload (reject);
  if (object == NULL)
    return g_strdup (reject->remote_id);
  values = record_fields (database, backend, object, NULL);
  lead = cp_lead_new ();
  for (guint i = 0; i < G_N_ELEMENTS (naming); i++)
    {
      const char *value = g_hash_table_lookup (values, GINT_TO_POINTER (naming[i]));

      if (has_text (value))
        {
          cp_lead_set_text (lead, naming[i], value);
          named = TRUE;
        }
    }
  return named ? cp_lead_dup_display_name (lead) : g_strdup (reject->remote_id);
}

/**
 * cp_sync_record_list_fields:
 *
 * Returns: (transfer full) (element-type CpSyncRecordField): the record's
 *   values as the CRM sent them, Carepath fields first (by their labels,
 *   in Carepath's order), then the CRM properties Carepath does not keep
 */
GPtrArray *
cp_sync_record_list_fields (CpDatabase         *database,
                            const char         *backend,
                            const CpSyncReject *reject)
{
  GPtrArray *fields;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GPtrArray) unmapped = NULL;

  g_return_val_if_fail (CP_IS_DATABASE (database), NULL);
  g_return_val_if_fail (reject != NULL, NULL);

  fields = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_sync_record_field_free);
  unmapped = g_ptr_array_new ();
  object = parse_payload (reject);
  if (object == NULL)
    return fields;
  values = record_fields (database, backend, object, unmapped);
  for (CpLeadField f = 0; f < CP_LEAD_N_FIELDS; f++)
    {
      const char *value = g_hash_table_lookup (values, GINT_TO_POINTER (f));
      CpSyncRecordField *field;

      if (value == NULL)
        continue;
      field = g_new0 (CpSyncRecordField, 1);
      field->label = g_strdup (_(cp_lead_field_info (f)->label));
      field->value = g_strdup (value);
      g_ptr_array_add (fields, field);
    }
  g_ptr_array_sort (unmapped, compare_names);
  for (guint i = 0; i < unmapped->len; i++)
    {
      CpSyncRecordField *field = g_new0 (CpSyncRecordField, 1);

      field->label = g_strdup (unmapped->pdata[i]);
      field->value = g_strdup (member_text (object, unmapped->pdata[i]));
      g_ptr_array_add (fields, field);
    }
  return fields;
}

