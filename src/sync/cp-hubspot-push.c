/* cp-hubspot-push.c — pushing changes to HubSpot: batch upsert, update and archive, stage moves
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-hubspot-backend"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cp-hubspot-private.h"
#include "cp-sync-error.h"

/* One call of a batch endpoint. */
typedef struct
{
  const char *endpoint;         /* "upsert", "update" or "archive" */
  const char *only_property;    /* (nullable): send only this property … */
  const char *only_value;       /* … with this value (a stage cleared first) */
  GHashTable *confirmed_stage;  /* (nullable): lead id → the stage HubSpot kept */
} BatchCall;

static JsonNode *
batch_body (GPtrArray       *changes,
            const BatchCall *call)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean upsert = g_str_equal (call->endpoint, "upsert");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "inputs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < changes->len; i++)
    {
      CpCrmChange *change = changes->pdata[i];
      GHashTableIter iter;
      gpointer key, value;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, upsert ? change->lead_id : change->remote_id);
      if (upsert)
        {
          json_builder_set_member_name (builder, "idProperty");
          json_builder_add_string_value (builder, ID_PROPERTY);
        }
      if (!change->archive)
        {
          json_builder_set_member_name (builder, "properties");
          json_builder_begin_object (builder);
          if (call->only_property != NULL)
            {
              json_builder_set_member_name (builder, call->only_property);
              json_builder_add_string_value (builder, call->only_value);
            }
          else
            {
              g_hash_table_iter_init (&iter, change->properties);
              while (g_hash_table_iter_next (&iter, &key, &value))
                {
                  json_builder_set_member_name (builder, key);
                  json_builder_add_string_value (builder, value);
                }
              json_builder_set_member_name (builder, ID_PROPERTY);
              json_builder_add_string_value (builder, change->lead_id);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static CpCrmPushResult *
find_result (GPtrArray  *results,
             const char *lead_id)
{
  for (guint i = 0; i < results->len; i++)
    {
      CpCrmPushResult *result = results->pdata[i];
      if (g_strcmp0 (result->lead_id, lead_id) == 0)
        return result;
    }
  g_error ("no push result for a change of this batch");
}

static void
fail_change (GPtrArray   *results,
             CpCrmChange *change,
             GError      *error)
{
  CpCrmPushResult *result = find_result (results, change->lead_id);

  g_clear_error (&result->error);
  result->error = error;
}

/* The change of @changes an answer is about: by Carepath's id, else HubSpot's. */
static CpCrmChange *
change_answered (GPtrArray   *changes,
                 CpCrmRecord *record)
{
  const char *lead_id = g_hash_table_lookup (record->properties, ID_PROPERTY);

  for (guint i = 0; lead_id != NULL && i < changes->len; i++)
    if (g_strcmp0 (((CpCrmChange *) changes->pdata[i])->lead_id, lead_id) == 0)
      return changes->pdata[i];
  for (guint i = 0; i < changes->len; i++)
    if (g_strcmp0 (((CpCrmChange *) changes->pdata[i])->remote_id, record->remote_id) == 0)
      return changes->pdata[i];
  return NULL;
}

/* The message of the batch error naming @change (by either id), or NULL. */
static const char *
error_naming (JsonArray   *errors,
              CpCrmChange *change)
{
  for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
    {
      JsonNode *element = json_array_get_element (errors, i);
      JsonObject *error = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *message = cp_json_get_string (error, "message");
      JsonObject *context = _cp_hubspot_object_member (error, "context");
      JsonArray *ids = _cp_hubspot_object_array (context, "ids");

      for (guint j = 0; ids != NULL && j < json_array_get_length (ids); j++)
        {
          JsonNode *id = json_array_get_element (ids, j);
          const char *text = JSON_NODE_HOLDS_VALUE (id) &&
                             json_node_get_value_type (id) == G_TYPE_STRING
                             ? json_node_get_string (id) : NULL;

          if (text != NULL && (g_strcmp0 (text, change->lead_id) == 0 ||
                               g_strcmp0 (text, change->remote_id) == 0))
            return message != NULL ? message : _("rejected");
        }
    }
  return NULL;
}

static gboolean    send_one_by_one     (CpHubspotBackend  *self,
                                        const BatchCall   *call,
                                        GPtrArray         *changes,
                                        GPtrArray         *results,
                                        GCancellable      *cancellable,
                                        GError           **error);

/* Sends @changes to one batch endpoint and fills their @results. Only a
 * failure of the whole call (auth, rate limit, network) returns FALSE.
 * A batch HubSpot refuses whole (400, 404, 409) — one unknown id or bad
 * value is enough — is sent again input by input, as is every input a
 * partial (207) answer neither confirms nor names: each change gets its
 * own answer, and the unrelated ones go through. */
static gboolean
send_batch (CpHubspotBackend  *self,
            const BatchCall   *call,
            GPtrArray         *changes,
            GPtrArray         *results,
            GCancellable      *cancellable,
            GError           **error)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) confirmed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) unexplained = g_ptr_array_new ();
  g_autofree char *path = g_strconcat (CONTACTS "/batch/", call->endpoint, NULL);
  gboolean archive = g_str_equal (call->endpoint, "archive");
  JsonArray *answers;
  JsonArray *errors;

  if (changes->len == 0)
    return TRUE;

  body = batch_body (changes, call);
  root = cp_crm_client_request (self->client, "POST", path, body, 0, NULL, cancellable,
                                &local_error);
  if (local_error != NULL)
    {
      if (!g_error_matches (local_error, CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED) &&
          !g_error_matches (local_error, CP_SYNC_ERROR, CP_SYNC_ERROR_CONFLICT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (changes->len == 1)
        {
          fail_change (results, changes->pdata[0], g_steal_pointer (&local_error));
          return TRUE;
        }
      return (archive || _cp_hubspot_require_id_property (self, cancellable, error)) &&
             send_one_by_one (self, call, changes, results, cancellable, error);
    }

  answers = _cp_hubspot_object_array (cp_json_root_object (root), "results");
  errors = _cp_hubspot_object_array (cp_json_root_object (root), "errors");
  for (guint i = 0; answers != NULL && i < json_array_get_length (answers); i++)
    {
      JsonNode *element = json_array_get_element (answers, i);
      g_autoptr(CpCrmRecord) record = JSON_NODE_HOLDS_OBJECT (element)
                                      ? _cp_hubspot_record_from_json (json_node_get_object (element))
                                      : NULL;
      CpCrmChange *change = record != NULL ? change_answered (changes, record) : NULL;
      CpCrmPushResult *result;

      if (change == NULL)
        continue;
      result = find_result (results, change->lead_id);
      g_clear_error (&result->error);
      g_free (result->remote_id);
      result->remote_id = g_strdup (record->remote_id);
      g_free (result->updated_at);
      result->updated_at = g_strdup (record->updated_at);
      if (call->confirmed_stage != NULL)
        g_hash_table_replace (call->confirmed_stage, g_strdup (change->lead_id),
                              g_strdup (g_hash_table_lookup (record->properties, STAGE_PROPERTY)));
      g_hash_table_add (confirmed, change->lead_id);
    }

  for (guint i = 0; i < changes->len; i++)
    {
      CpCrmChange *change = changes->pdata[i];
      const char *named = error_naming (errors, change);
      gboolean any_error = errors != NULL && json_array_get_length (errors) > 0;

      if (g_hash_table_contains (confirmed, change->lead_id))
        continue;
      /* Archiving answers 204 with no body: what no error names is done. */
      if (archive && named == NULL && !any_error)
        fail_change (results, change, NULL);
      else if (named == NULL && changes->len > 1)
        g_ptr_array_add (unexplained, change);
      else
        fail_change (results, change,
                     g_error_new (CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED,
                                  _("HubSpot refused the change: %s"),
                                  named != NULL ? named : _("HubSpot did not confirm it")));
    }

  return send_one_by_one (self, call, unexplained, results, cancellable, error);
}

static gboolean
send_one_by_one (CpHubspotBackend  *self,
                 const BatchCall   *call,
                 GPtrArray         *changes,
                 GPtrArray         *results,
                 GCancellable      *cancellable,
                 GError           **error)
{
  for (guint i = 0; i < changes->len; i++)
    {
      g_autoptr(GPtrArray) single = g_ptr_array_new ();

      g_ptr_array_add (single, changes->pdata[i]);
      if (!send_batch (self, call, single, results, cancellable, error))
        return FALSE;
    }
  return TRUE;
}

/* HubSpot moves the lifecycle stage forward only: a move back clears it
 * first. Returns the changes among @updates that move backwards. */
static GPtrArray *
backward_moves (CpHubspotBackend *self,
                GPtrArray        *updates)
{
  GPtrArray *backward = g_ptr_array_new ();

  for (guint i = 0; i < updates->len; i++)
    {
      CpCrmChange *change = updates->pdata[i];
      const char *to = g_hash_table_lookup (change->properties, STAGE_PROPERTY);
      int to_order = cp_crm_stage_map_order (self->stages, to);
      int from_order = cp_crm_stage_map_order (self->stages, change->previous_stage);

      if (to != NULL && *to != '\0' && from_order > 0 && to_order > 0 && to_order < from_order)
        g_ptr_array_add (backward, change);
    }

  return backward;
}

GPtrArray *
_cp_hubspot_push_batch (CpCrmBackend  *backend,
                        GPtrArray     *changes,
                        GCancellable  *cancellable,
                        GError       **error)
{
  CpHubspotBackend *self = CP_HUBSPOT_BACKEND (backend);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_crm_push_result_free);
  g_autoptr(GPtrArray) creates = g_ptr_array_new ();
  g_autoptr(GPtrArray) updates = g_ptr_array_new ();
  g_autoptr(GPtrArray) archives = g_ptr_array_new ();
  g_autoptr(GPtrArray) backward = NULL;
  g_autoptr(GPtrArray) ignored = g_ptr_array_new ();
  g_autoptr(GHashTable) confirmed_stage = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                                 g_free, g_free);
  const BatchCall upsert = { "upsert", NULL, NULL, NULL };
  const BatchCall update = { "update", NULL, NULL, confirmed_stage };
  const BatchCall clear_stage = { "update", STAGE_PROPERTY, "", NULL };
  const BatchCall archive = { "archive", NULL, NULL, NULL };

  g_return_val_if_fail (changes->len <= BATCH_LIMIT, NULL);

  for (guint i = 0; i < changes->len; i++)
    {
      CpCrmChange *change = changes->pdata[i];
      CpCrmPushResult *result = g_new0 (CpCrmPushResult, 1);

      result->lead_id = g_strdup (change->lead_id);
      result->error = g_error_new_literal (CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED,
                                           _("HubSpot did not confirm this change"));
      g_ptr_array_add (results, result);
      if (change->archive)
        g_ptr_array_add (archives, change);
      else if (change->remote_id == NULL)
        g_ptr_array_add (creates, change);
      else
        g_ptr_array_add (updates, change);
    }

  /* New leads are upserted on carepath_id: a replay after a dropped
   * connection finds the contact the first attempt created. */
  if (!send_batch (self, &upsert, creates, results, cancellable, error))
    return NULL;

  /* 409: a contact with the same email exists (HubSpot names its id).
   * Adopt it instead of creating a duplicate: update it. */
  for (guint i = 0; i < creates->len; i++)
    {
      CpCrmChange *change = creates->pdata[i];
      CpCrmPushResult *result = find_result (results, change->lead_id);
      const char *existing = g_error_matches (result->error, CP_SYNC_ERROR, CP_SYNC_ERROR_CONFLICT)
                             ? strstr (result->error->message, "Existing ID: ") : NULL;
      g_autofree char *id = NULL;

      if (existing == NULL)
        continue;
      existing += strlen ("Existing ID: ");
      id = g_strndup (existing, strspn (existing, "0123456789"));
      if (*id != '\0')
        {
          g_free (change->remote_id);
          change->remote_id = g_steal_pointer (&id);
          g_ptr_array_add (updates, change);
        }
    }

  backward = backward_moves (self, updates);
  if (!send_batch (self, &clear_stage, backward, results, cancellable, error) ||
      !send_batch (self, &update, updates, results, cancellable, error))
    return NULL;

  /* Some accounts ignore a backward move silently: check what HubSpot
   * kept, and clear then set once more where it differs. */
  for (guint i = 0; i < updates->len; i++)
    {
      CpCrmChange *change = updates->pdata[i];
      const char *sent = g_hash_table_lookup (change->properties, STAGE_PROPERTY);
      CpCrmPushResult *result = find_result (results, change->lead_id);

      if (result->error == NULL && sent != NULL && *sent != '\0' &&
          g_hash_table_contains (confirmed_stage, change->lead_id) &&
          g_strcmp0 (g_hash_table_lookup (confirmed_stage, change->lead_id), sent) != 0)
        g_ptr_array_add (ignored, change);
    }
  if (ignored->len > 0)
    {
      g_hash_table_remove_all (confirmed_stage);
      if (!send_batch (self, &clear_stage, ignored, results, cancellable, error) ||
          !send_batch (self, &update, ignored, results, cancellable, error))
        return NULL;
      for (guint i = 0; i < ignored->len; i++)
        {
          CpCrmChange *change = ignored->pdata[i];
          CpCrmPushResult *result = find_result (results, change->lead_id);
          const char *sent = g_hash_table_lookup (change->properties, STAGE_PROPERTY);

          if (result->error == NULL &&
              g_strcmp0 (g_hash_table_lookup (confirmed_stage, change->lead_id), sent) != 0)
            result->error = g_error_new (CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED,
                                         _("HubSpot kept another lifecycle stage instead of “%s”"),
                                         sent);
        }
    }

  if (!send_batch (self, &archive, archives, results, cancellable, error))
    return NULL;
  for (guint i = 0; i < archives->len; i++)
    {
      CpCrmChange *change = archives->pdata[i];
      CpCrmPushResult *result = find_result (results, change->lead_id);

      if (result->error == NULL && result->remote_id == NULL)
        result->remote_id = g_strdup (change->remote_id);
    }

  return g_steal_pointer (&results);
}
