/* cp-espocrm-push.c — pushing changes to EspoCRM: one lead at a time, created, updated or deleted
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-espocrm-backend"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-espocrm-private.h"
#include "cp-sync-error.h"

static JsonNode *
change_body (CpCrmChange *change)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GHashTableIter iter;
  gpointer key, value;

  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, change->properties);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      json_builder_set_member_name (builder, key);
      if (*(const char *) value == '\0')
        json_builder_add_null_value (builder);
      else
        json_builder_add_string_value (builder, value);
    }
  json_builder_set_member_name (builder, ID_PROPERTY);
  json_builder_add_string_value (builder, change->lead_id);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The lead carrying our id, if an earlier (maybe unanswered) create made it. */
static char *
find_by_carepath_id (CpEspocrmBackend  *self,
                     const char        *lead_id,
                     GCancellable      *cancellable,
                     GError           **error)
{
  g_autoptr(GString) path = g_string_new (API_PREFIX "/Lead?select=id&maxSize=1");
  g_autoptr(JsonNode) root = NULL;
  JsonArray *list;

  _cp_espocrm_append_where (path, "where[0]", "equals", ID_PROPERTY, lead_id);
  list = _cp_espocrm_request_list (self, path->str, 0, &root, NULL, cancellable, error);
  if (list == NULL || json_array_get_length (list) == 0)
    return NULL;
  return g_strdup (cp_json_get_string (json_array_get_object_element (list, 0), "id"));
}

/* 409 on create lists the duplicates (an array, or under “list”): adopt the first. */
static char *
duplicate_id (CpEspocrmBackend *self)
{
  JsonNode *body = cp_crm_client_get_last_error_body (self->client);
  JsonArray *list = NULL;

  if (body != NULL && JSON_NODE_HOLDS_ARRAY (body))
    list = json_node_get_array (body);
  else if (body != NULL && JSON_NODE_HOLDS_OBJECT (body) &&
           json_object_has_member (json_node_get_object (body), "list"))
    list = json_object_get_array_member (json_node_get_object (body), "list");
  if (list == NULL || json_array_get_length (list) == 0 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (list, 0)))
    return NULL;
  return g_strdup (cp_json_get_string (json_array_get_object_element (list, 0), "id"));
}

static gboolean
push_one (CpEspocrmBackend  *self,
          CpCrmChange       *change,
          CpCrmPushResult   *result,
          GCancellable      *cancellable,
          GError           **error)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *remote_id = g_strdup (change->remote_id);
  g_autofree char *path = NULL;
  CpCrmRecord *record;

  if (change->archive)
    {
      guint status = 0;

      path = g_strdup_printf (API_PREFIX "/Lead/%s", change->remote_id);
      root = cp_crm_client_request (self->client, "DELETE", path, NULL, FALSE, &status,
                                    cancellable, &local_error);
      /* Already gone is what we wanted. */
      if (local_error != NULL && status != 404)
        goto failed;
      result->remote_id = g_strdup (change->remote_id);
      return TRUE;
    }

  if (remote_id == NULL)
    {
      remote_id = find_by_carepath_id (self, change->lead_id, cancellable, &local_error);
      if (local_error != NULL)
        goto failed;
    }

  body = change_body (change);
  if (remote_id == NULL)
    {
      root = cp_crm_client_request (self->client, "POST", API_PREFIX "/Lead", body,
                                    CP_CRM_REQUEST_NOT_IDEMPOTENT, NULL, cancellable, &local_error);
      /* No answer: the lead may exist now. Look before creating again. */
      if (g_error_matches (local_error, CP_SYNC_ERROR, CP_SYNC_ERROR_TRANSIENT) ||
          g_error_matches (local_error, CP_SYNC_ERROR, CP_SYNC_ERROR_INVALID_RESPONSE))
        {
          g_autoptr(GError) find_error = NULL;

          remote_id = find_by_carepath_id (self, change->lead_id, cancellable, &find_error);
          if (remote_id == NULL)
            goto failed;
          g_clear_error (&local_error);
        }
      else if (g_error_matches (local_error, CP_SYNC_ERROR, CP_SYNC_ERROR_CONFLICT))
        {
          remote_id = duplicate_id (self);
          if (remote_id == NULL)
            goto failed;
          g_clear_error (&local_error);
        }
      else if (local_error != NULL)
        goto failed;
    }
  if (remote_id != NULL)
    {
      path = g_strdup_printf (API_PREFIX "/Lead/%s", remote_id);
      root = cp_crm_client_request (self->client, "PUT", path, body, FALSE, NULL, cancellable,
                                    &local_error);
      if (local_error != NULL)
        goto failed;
    }

  record = cp_json_root_object (root) != NULL
           ? _cp_espocrm_record_from_json (cp_json_root_object (root)) : NULL;
  if (record == NULL)
    {
      cp_crm_client_set_unexpected (self->client, error,
                                    _("a saved lead without id or modifiedAt"));
      return FALSE;
    }
  result->remote_id = g_strdup (record->remote_id);
  result->updated_at = g_strdup (record->updated_at);
  cp_crm_record_free (record);
  return TRUE;

failed:
  /* The CRM refused this change: the others go on. Anything else stops. */
  if (g_error_matches (local_error, CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED) ||
      g_error_matches (local_error, CP_SYNC_ERROR, CP_SYNC_ERROR_CONFLICT))
    {
      result->error = g_steal_pointer (&local_error);
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

GPtrArray *
_cp_espocrm_push_batch (CpCrmBackend  *backend,
                        GPtrArray     *changes,
                        GCancellable  *cancellable,
                        GError       **error)
{
  CpEspocrmBackend *self = CP_ESPOCRM_BACKEND (backend);
  g_autoptr(GPtrArray) results =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cp_crm_push_result_free);

  for (guint i = 0; i < changes->len; i++)
    {
      CpCrmChange *change = changes->pdata[i];
      CpCrmPushResult *result = g_new0 (CpCrmPushResult, 1);

      result->lead_id = g_strdup (change->lead_id);
      g_ptr_array_add (results, result);
      if (!push_one (self, change, result, cancellable, error))
        return NULL;
    }

  return g_steal_pointer (&results);
}
