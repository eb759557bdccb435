/* cp-crm-mapping.c — which CRM property each Carepath field and stage maps to, as the team set it
 *
 * Kept in the database's settings (keys "sync.BACKEND.fields" and
 * "sync.BACKEND.stages", JSON objects) so that the app, the CLI and the
 * sync worker all use the same mapping. Only the changes from the
 * backend's defaults are stored.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-crm-mapping"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include <string.h>

#include "cp-crm-mapping.h"
#include "cp-sync-error.h"

CpCrmMapping *
cp_crm_mapping_new (void)
{
  CpCrmMapping *mapping = g_new0 (CpCrmMapping, 1);

  mapping->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  mapping->stages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return mapping;
}

void
cp_crm_mapping_free (CpCrmMapping *mapping)
{
  if (mapping == NULL)
    return;
  g_hash_table_unref (mapping->fields);
  g_hash_table_unref (mapping->stages);
  g_free (mapping);
}

/* CRM internal names: HubSpot's are lowercase letters, digits and
 * underscores, EspoCRM's camelCase; both fit this. */
static gboolean
is_property_name (const char *name)
{
  if (!g_ascii_isalpha (*name))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return strlen (name) <= 100;
}

/* Playbook stage ids: lowercase snake_case. */
static gboolean
is_stage_id (const char *id)
{
  if (!g_ascii_islower (*id))
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;
  return strlen (id) <= 64;
}

/**
 * cp_crm_mapping_validate:
 *
 * Every field a canonical one other than the stage (which maps through the
 * stage values), every property a CRM internal name or "" (not synced),
 * no property used by two fields, every stage a stage id (the playbook
 * decides which exist) and every stage value a non-empty name.
 */
gboolean
cp_crm_mapping_validate (CpCrmMapping  *mapping,
                         GError       **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (mapping != NULL, FALSE);

  g_hash_table_iter_init (&iter, mapping->fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      CpLeadField field;
      const char *other;

      if (!cp_lead_field_from_name (key, &field) || field == CP_LEAD_FIELD_STAGE ||
          field == CP_LEAD_FIELD_ID)
        {
          g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED,
                       _("“%s” is not a field that can be mapped to the CRM."), (const char *) key);
          return FALSE;
        }
      if (*(const char *) value == '\0')
        continue;
      if (!is_property_name (value))
        {
          g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED,
                       _("“%s” is not a CRM property name: use its internal name (letters, digits "
                         "and underscores, such as “jobtitle”)."), (const char *) value);
          return FALSE;
        }
      other = g_hash_table_lookup (seen, value);
      if (other != NULL)
        {
          g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED,
                       _("The CRM property “%s” is mapped twice (%s and %s)."),
                       (const char *) value, other, (const char *) key);
          return FALSE;
        }
      g_hash_table_insert (seen, value, key);
    }

  g_hash_table_iter_init (&iter, mapping->stages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!is_stage_id (key))
        {
          g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED,
                       _("“%s” is not a stage."), (const char *) key);
          return FALSE;
        }
      if (*(const char *) value == '\0' || strlen (value) > 100)
        {
          g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED,
                       _("The CRM value for the stage “%s” is empty or too long."), (const char *) key);
          return FALSE;
        }
    }
  return TRUE;
}

static char *
setting_key (const char *backend_name,
             const char *part)
{
  return g_strdup_printf ("sync.%s.%s", backend_name, part);
}

static gboolean
load_object (CpDatabase  *database,
             const char  *key,
             GHashTable  *into,
             GError     **error)
{
  g_autofree char *text = cp_database_get_setting (database, key);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (text == NULL)
    return TRUE;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, &local_error) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED,
                   _("The saved CRM mapping (%s) cannot be read: set it again in Preferences."), key);
      return FALSE;
    }
  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &name, &member))
    if (JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING)
      g_hash_table_insert (into, g_strdup (name), g_strdup (json_node_get_string (member)));
  return TRUE;
}

/**
 * cp_crm_mapping_load:
 *
 * Returns: (transfer full) (nullable): the team's changes for
 *   @backend_name (empty when there are none), or %NULL with @error set
 *   when what is saved cannot be read or is not valid
 */
CpCrmMapping *
cp_crm_mapping_load (CpDatabase  *database,
                     const char  *backend_name,
                     GError     **error)
{
  g_autoptr(CpCrmMapping) mapping = cp_crm_mapping_new ();
  g_autofree char *fields_key = setting_key (backend_name, "fields");
  g_autofree char *stages_key = setting_key (backend_name, "stages");

  g_return_val_if_fail (CP_IS_DATABASE (database), NULL);
  g_return_val_if_fail (backend_name != NULL, NULL);

  if (!load_object (database, fields_key, mapping->fields, error) ||
      !load_object (database, stages_key, mapping->stages, error) ||
      !cp_crm_mapping_validate (mapping, error))
    return NULL;
  return g_steal_pointer (&mapping);
}

static char *
object_text (GHashTable *table)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (table), (GCompareFunc) g_strcmp0);

  json_builder_begin_object (builder);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_string_value (builder, g_hash_table_lookup (table, l->data));
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/**
 * cp_crm_mapping_save:
 *
 * Saves the team's changes for @backend_name (both parts in one
 * transaction), refusing an invalid mapping with the reason.
 */
gboolean
cp_crm_mapping_save (CpDatabase    *database,
                     const char    *backend_name,
                     CpCrmMapping  *mapping,
                     GError       **error)
{
  g_autofree char *fields_key = setting_key (backend_name, "fields");
  g_autofree char *stages_key = setting_key (backend_name, "stages");
  g_autofree char *fields = NULL;
  g_autofree char *stages = NULL;

  g_return_val_if_fail (CP_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (backend_name != NULL && mapping != NULL, FALSE);

  if (!cp_crm_mapping_validate (mapping, error))
    return FALSE;
  fields = object_text (mapping->fields);
  stages = object_text (mapping->stages);
  if (!cp_database_begin (database, error))
    return FALSE;
  if (!cp_database_set_setting (database, fields_key, fields, error) ||
      !cp_database_set_setting (database, stages_key, stages, error))
    {
      cp_database_rollback (database);
      return FALSE;
    }
  /* A failed commit has rolled back already. */
  return cp_database_commit (database, error);
}

/**
 * cp_crm_mapping_apply:
 *
 * Loads the team's mapping for @backend and applies it
 * (cp_crm_backend_set_mapping()).
 */
gboolean
cp_crm_mapping_apply (CpCrmBackend  *backend,
                      CpDatabase    *database,
                      GError       **error)
{
  g_autoptr(CpCrmMapping) mapping = NULL;

  g_return_val_if_fail (CP_IS_CRM_BACKEND (backend), FALSE);

  mapping = cp_crm_mapping_load (database, cp_crm_backend_get_name (backend), error);
  if (mapping == NULL)
    return FALSE;
  cp_crm_backend_set_mapping (backend, mapping->fields, mapping->stages);
  return TRUE;
}
