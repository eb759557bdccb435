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

/* One search (or list) answer as records, in the answer's order, read
 * without a tree (cp-hubspot-page-reader.c); see cp-crm-parse-private.h. */
CpCrmPage *
_cp_hubspot_parse_page (const char  *data,
                        gsize        length,
                        GError     **error)
{
  const char *what = NULL;
  CpCrmPage *page = _cp_hubspot_read_page (data, length, &what, error);

  if (what != NULL)
    g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_INVALID_RESPONSE,
                 _("%s sent an unexpected answer: %s"), "HubSpot", what);
  return page;
}
