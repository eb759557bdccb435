/* cp-hubspot-contacts.c — HubSpot contacts answers (list, search, batch) as CRM records
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-hubspot-backend"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-crm-parse-private.h"
#include "cp-hubspot-forms.h"
#include "cp-hubspot-private.h"
#include "cp-sync-error.h"

/* ISO 8601 (the v3 answers) or epoch milliseconds. Returns -1 if neither. */
gint64
_cp_hubspot_parse_time_ms (const char *text)
{
  g_autoptr(GDateTime) time = NULL;
  char *end = NULL;
  gint64 ms;

  if (text == NULL || *text == '\0')
    return -1;
  ms = g_ascii_strtoll (text, &end, 10);
  if (*end == '\0')
    return ms >= 0 ? ms : -1;
  time = g_date_time_new_from_iso8601 (text, NULL);
  return time != NULL ? g_date_time_to_unix (time) * 1000 + g_date_time_get_microsecond (time) / 1000
                      : -1;
}

JsonArray *
_cp_hubspot_object_array (JsonObject *object,
                          const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

JsonObject *
_cp_hubspot_object_member (JsonObject *object,
                           const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* One contact of a list, search or batch answer (without a pull cursor). */
CpCrmRecord *
_cp_hubspot_record_from_json (JsonObject *object)
{
  JsonObject *properties = _cp_hubspot_object_member (object, "properties");
  const char *id = cp_json_get_string (object, "id");
  const char *updated_at = cp_json_get_string (object, "updatedAt");
  CpCrmRecord *record;

  if (id == NULL || _cp_hubspot_parse_time_ms (updated_at) < 0)
    return NULL;
  record = cp_crm_record_new (id, updated_at, NULL);

  if (properties != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, properties);
      while (json_object_iter_next (&iter, &name, &value))
        if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING &&
            *json_node_get_string (value) != '\0')
          g_hash_table_insert (record->properties, g_strdup (name),
                               g_strdup (json_node_get_string (value)));
    }

  return record;
}

/* One search (or list) answer as records, in the answer's order; see
 * cp-crm-parse-private.h. NULL with *@out_what saying what is wrong. */
CpCrmPage *
_cp_hubspot_page_from_json (JsonNode     *root,
                            const char  **out_what)
{
  JsonObject *object = cp_json_root_object (root);
  JsonArray *results = _cp_hubspot_object_array (object, "results");
  g_autoptr(CpCrmPage) page = NULL;

  if (results == NULL)
    {
      *out_what = _("a search answer without results");
      return NULL;
    }

  page = g_new0 (CpCrmPage, 1);
  page->records = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_crm_record_free);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *element = json_array_get_element (results, i);
      CpCrmRecord *record = JSON_NODE_HOLDS_OBJECT (element)
                            ? _cp_hubspot_record_from_json (json_node_get_object (element))
                            : NULL;

      if (record == NULL)
        {
          *out_what = _("a contact without id or updatedAt");
          return NULL;
        }
      g_ptr_array_add (page->records, record);
    }
  page->next_page = _cp_hubspot_next_after (object);
  return g_steal_pointer (&page);
}

CpCrmPage *
_cp_hubspot_parse_page (const char  *data,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(JsonNode) root = _cp_crm_parse_json (data, length, error);
  const char *what = NULL;
  CpCrmPage *page;

  if (root == NULL && error != NULL && *error != NULL)
    return NULL;
  page = _cp_hubspot_page_from_json (root, &what);
  if (page == NULL)
    g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_INVALID_RESPONSE,
                 _("%s sent an unexpected answer: %s"), "HubSpot", what);
  return page;
}
