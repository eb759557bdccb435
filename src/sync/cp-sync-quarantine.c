/* cp-sync-quarantine.c — a CRM record kept as it came, and why it could not be applied, in words
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cp-core-error.h"
#include "cp-store-error.h"
#include "cp-sync-quarantine.h"

/**
 * _cp_sync_record_to_payload:
 *
 * Returns: (transfer full): the record's properties as a JSON object,
 *   what is kept of a record that could not be applied
 */
char *
_cp_sync_record_to_payload (const CpCrmRecord *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (record->properties), (GCompareFunc) g_strcmp0);

  json_builder_begin_object (builder);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_string_value (builder, g_hash_table_lookup (record->properties, l->data));
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/**
 * _cp_sync_record_from_payload:
 *
 * Returns: (transfer full): the record as it was kept, to be applied
 *   again, or %NULL with @error set when the payload cannot be read
 */
CpCrmRecord *
_cp_sync_record_from_payload (const char  *remote_id,
                              const char  *updated_at,
                              const char  *payload,
                              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CpCrmRecord) record = cp_crm_record_new (remote_id, updated_at, NULL);
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  if (!json_parser_load_from_data (parser, payload, -1, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           _("The kept record is not a JSON object."));
      return NULL;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_hash_table_insert (record->properties, g_strdup (l->data),
                             g_strdup (json_node_get_string (node)));
    }
  return g_steal_pointer (&record);
}

/**
 * _cp_sync_refusal_kind:
 *
 * Returns: what kind of refusal @error is, in words that never quote the
 *   record's values (for the log, which must hold no personal data)
 */
const char *
_cp_sync_refusal_kind (const GError *error)
{
  if (error->domain == CP_CORE_ERROR)
    switch (error->code)
      {
      case CP_CORE_ERROR_REFUSED:
        return "the playbook refuses it (its stage or a rule)";
      case CP_CORE_ERROR_COMPUTED:
        return "it sets a value the playbook computes";
      case CP_CORE_ERROR_TOO_LONG:
        return "a value is too long";
      case CP_CORE_ERROR_REQUIRED:
        return "a required value is missing";
      default:
        return "a value is not valid";
      }
  if (g_error_matches (error, CP_STORE_ERROR, CP_STORE_ERROR_STALE))
    return "the lead changed here meanwhile";
  if (g_error_matches (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND))
    return "its lead is not here";
  return "the store refused it";
}

/* Whether @error is the record's fault (kept with its reason) rather
 * than the database's (the run stops). */
gboolean
_cp_sync_is_refusal (const GError *error)
{
  return error->domain != CP_STORE_ERROR || error->code == CP_STORE_ERROR_INVALID ||
         error->code == CP_STORE_ERROR_NOT_FOUND;
}
