/* cp-hubspot-backend.c — HubSpot CRM v3 contacts as a sync backend
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-hubspot-backend"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-hubspot-backend.h"
#include "cp-sync-error.h"

#define CONTACTS        "/crm/v3/objects/contacts"
#define ID_PROPERTY     "carepath_id"
#define STAGE_PROPERTY  "lifecyclestage"
#define SEARCH_LIMIT    200
#define BATCH_LIMIT     100
#define SEARCH_CAP      10000      /* results one search query can page through */
#define OVERLAP_MS      (5 * 60 * 1000)

struct _CpHubspotBackend
{
  GObject        parent_instance;

  CpCrmClient   *client;
  CpCrmStageMap *stages;
  guint          overlap_ms;
  guint          search_cap;
};

static void cp_hubspot_backend_iface_init (CpCrmBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CpHubspotBackend, cp_hubspot_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CP_TYPE_CRM_BACKEND,
                                                      cp_hubspot_backend_iface_init))

static const CpCrmFieldMap field_map[] = {
  { CP_LEAD_FIELD_FIRST_NAME, "firstname" },
  { CP_LEAD_FIELD_LAST_NAME, "lastname" },
  { CP_LEAD_FIELD_EMAIL, "email" },
  { CP_LEAD_FIELD_PHONE, "phone" },
  { CP_LEAD_FIELD_ORGANIZATION, "company" },
  { CP_LEAD_FIELD_JOB_TITLE, "jobtitle" },
  { CP_LEAD_FIELD_LOCATION, "city" },
  { CP_LEAD_FIELD_POSTAL_CODE, "zip" },
  { CP_LEAD_FIELD_STAGE, STAGE_PROPERTY },
};

/* HubSpot's default lifecycle stages; the live options decide. */
static const CpCrmStageDefault stage_defaults[] = {
  { "new", "lead" },
  { "engaged", "marketingqualifiedlead" },
  { "qualified", "salesqualifiedlead" },
  { "active_evaluation", "opportunity" },
  { "onboarding", "customer" },
  { "adoption", "evangelist" },
  { "reactivation", "other" },
  { "closed_won", "customer" },
  { "closed_lost", "other" },
};

static gint64
parse_iso_ms (const char *text)
{
  g_autoptr(GDateTime) time = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return time != NULL ? g_date_time_to_unix (time) * 1000 + g_date_time_get_microsecond (time) / 1000
                      : -1;
}

static JsonArray *
object_array (JsonObject *object,
              const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* One contact of a list, search or batch answer. */
static CpCrmRecord *
record_from_json (JsonObject *object)
{
  JsonNode *properties_node = json_object_get_member (object, "properties");
  const char *id = cp_json_get_string (object, "id");
  const char *updated_at = cp_json_get_string (object, "updatedAt");
  g_autofree char *cursor = NULL;
  CpCrmRecord *record;
  gint64 ms = parse_iso_ms (updated_at);

  if (id == NULL || ms < 0)
    return NULL;
  cursor = g_strdup_printf ("%" G_GINT64_FORMAT, ms);
  record = cp_crm_record_new (id, updated_at, cursor);

  if (properties_node != NULL && JSON_NODE_HOLDS_OBJECT (properties_node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (properties_node));
      while (json_object_iter_next (&iter, &name, &value))
        if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING &&
            *json_node_get_string (value) != '\0')
          g_hash_table_insert (record->properties, g_strdup (name),
                               g_strdup (json_node_get_string (value)));
    }

  return record;
}

static void
add_property_names (CpCrmBackend *backend,
                    JsonBuilder  *builder)
{
  guint n = 0;
  const CpCrmFieldMap *map = cp_crm_backend_get_field_map (backend, &n);

  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    json_builder_add_string_value (builder, map[i].property);
  json_builder_add_string_value (builder, ID_PROPERTY);
  json_builder_add_string_value (builder, "lastmodifieddate");
  json_builder_end_array (builder);
}

static void
cp_hubspot_backend_finalize (GObject *object)
{
  CpHubspotBackend *self = CP_HUBSPOT_BACKEND (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->stages, cp_crm_stage_map_free);

  G_OBJECT_CLASS (cp_hubspot_backend_parent_class)->finalize (object);
}

static void
cp_hubspot_backend_class_init (CpHubspotBackendClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cp_hubspot_backend_finalize;
}

static void
cp_hubspot_backend_init (CpHubspotBackend *self)
{
  self->stages = cp_crm_stage_map_new (stage_defaults, G_N_ELEMENTS (stage_defaults));
  self->overlap_ms = OVERLAP_MS;
  self->search_cap = SEARCH_CAP;
}

void
cp_hubspot_backend_get_defaults (CpCrmDefaults *out_defaults)
{
  out_defaults->fields = field_map;
  out_defaults->n_fields = G_N_ELEMENTS (field_map);
  out_defaults->stages = stage_defaults;
  out_defaults->n_stages = G_N_ELEMENTS (stage_defaults);
}

static const char *
hubspot_get_name (CpCrmBackend *backend)
{
  return "hubspot";
}

static const CpCrmFieldMap *
hubspot_get_field_map (CpCrmBackend *backend,
                       guint        *n_fields)
{
  *n_fields = G_N_ELEMENTS (field_map);
  return field_map;
}

static const char *
hubspot_get_id_property (CpCrmBackend *backend)
{
  return ID_PROPERTY;
}

static guint
hubspot_get_batch_size (CpCrmBackend *backend)
{
  return BATCH_LIMIT;
}

static CpCrmClient *
hubspot_get_client (CpCrmBackend *backend)
{
  return CP_HUBSPOT_BACKEND (backend)->client;
}

/* The live lifecycle stage options, in HubSpot's display order. */
static gboolean
hubspot_read_schema (CpCrmBackend  *backend,
                     GCancellable  *cancellable,
                     GError       **error)
{
  CpHubspotBackend *self = CP_HUBSPOT_BACKEND (backend);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GArray) orders = g_array_new (FALSE, FALSE, sizeof (double));
  JsonArray *options;

  root = cp_crm_client_request (self->client, "GET", "/crm/v3/properties/contacts/" STAGE_PROPERTY,
                                NULL, FALSE, NULL, cancellable, error);
  if (root == NULL && (error == NULL || *error != NULL))
    return FALSE;
  options = object_array (cp_json_root_object (root), "options");
  if (options == NULL)
    {
      cp_crm_client_set_unexpected (self->client, error, _("the lifecycle stage has no options"));
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (options); i++)
    {
      JsonObject *option = json_array_get_object_element (options, i);
      const char *value = cp_json_get_string (option, "value");
      const char *label = cp_json_get_string (option, "label");
      double order = i;
      guint at;

      if (value == NULL)
        continue;
      if (json_object_has_member (option, "displayOrder"))
        order = json_object_get_double_member (option, "displayOrder");
      if (json_object_has_member (option, "hidden") &&
          json_object_get_boolean_member (option, "hidden"))
        continue;
      for (at = 0; at < orders->len && g_array_index (orders, double, at) <= order; at++)
        ;
      g_array_insert_val (orders, at, order);
      g_ptr_array_insert (values, at, (gpointer) value);
      g_ptr_array_insert (labels, at, (gpointer) (label != NULL ? label : value));
    }

  cp_crm_stage_map_resolve (self->stages, values, labels);
  return TRUE;
}

static char *
hubspot_stage_to_remote (CpCrmBackend *backend,
                         const char   *stage)
{
  return cp_crm_stage_map_to_remote (CP_HUBSPOT_BACKEND (backend)->stages, stage);
}

static char *
hubspot_stage_from_remote (CpCrmBackend *backend,
                           const char   *value)
{
  return cp_crm_stage_map_from_remote (CP_HUBSPOT_BACKEND (backend)->stages, value);
}

/* A search by lastmodifieddate ≥ start, oldest first. The page token is
 * “start:after”: the query keeps its start while the committed cursor
 * moves on. Before paging would pass the search cap, the page asks for a
 * restart from the cursor. */
static CpCrmPage *
hubspot_pull_page (CpCrmBackend  *backend,
                   const char    *cursor,
                   const char    *page_token,
                   GCancellable  *cancellable,
                   GError       **error)
{
  CpHubspotBackend *self = CP_HUBSPOT_BACKEND (backend);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(CpCrmPage) page = g_new0 (CpCrmPage, 1);
  g_autofree char *start_text = NULL;
  JsonObject *object;
  JsonArray *results;
  gint64 start = 0;
  guint64 after = 0;

  if (page_token != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (page_token, ":", 2);

      start = g_ascii_strtoll (parts[0], NULL, 10);
      after = parts[1] != NULL ? g_ascii_strtoull (parts[1], NULL, 10) : 0;
    }
  else if (cursor != NULL)
    start = MAX (0, g_ascii_strtoll (cursor, NULL, 10) - self->overlap_ms);
  start_text = g_strdup_printf ("%" G_GINT64_FORMAT, start);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "filterGroups");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "filters");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "propertyName");
  json_builder_add_string_value (builder, "lastmodifieddate");
  json_builder_set_member_name (builder, "operator");
  json_builder_add_string_value (builder, "GTE");
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, start_text);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "sorts");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "propertyName");
  json_builder_add_string_value (builder, "lastmodifieddate");
  json_builder_set_member_name (builder, "direction");
  json_builder_add_string_value (builder, "ASCENDING");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "properties");
  add_property_names (CP_CRM_BACKEND (self), builder);
  json_builder_set_member_name (builder, "limit");
  json_builder_add_int_value (builder, SEARCH_LIMIT);
  if (after > 0)
    {
      g_autofree char *after_text = g_strdup_printf ("%" G_GUINT64_FORMAT, after);
      json_builder_set_member_name (builder, "after");
      json_builder_add_string_value (builder, after_text);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  root = cp_crm_client_request (self->client, "POST", CONTACTS "/search", body, TRUE, NULL,
                                cancellable, error);
  object = cp_json_root_object (root);
  if (object == NULL)
    {
      if (error == NULL || *error == NULL)
        cp_crm_client_set_unexpected (self->client, error, _("a search answer without results"));
      return NULL;
    }
  results = object_array (object, "results");
  if (results == NULL)
    {
      cp_crm_client_set_unexpected (self->client, error, _("a search answer without results"));
      return NULL;
    }

  page->records = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_crm_record_free);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *element = json_array_get_element (results, i);
      CpCrmRecord *record = JSON_NODE_HOLDS_OBJECT (element)
                            ? record_from_json (json_node_get_object (element)) : NULL;

      if (record == NULL)
        {
          cp_crm_client_set_unexpected (self->client, error, _("a contact without id or updatedAt"));
          return NULL;
        }
      g_ptr_array_add (page->records, record);
    }

  if (json_object_has_member (object, "paging"))
    {
      JsonObject *paging = json_object_get_object_member (object, "paging");
      JsonObject *next = paging != NULL && json_object_has_member (paging, "next")
                         ? json_object_get_object_member (paging, "next") : NULL;
      const char *next_after = cp_json_get_string (next, "after");

      if (next_after != NULL)
        {
          guint64 n = g_ascii_strtoull (next_after, NULL, 10);

          if (n >= self->search_cap)
            page->restart = TRUE;
          else
            page->next_page = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GUINT64_FORMAT, start, n);
        }
    }

  return g_steal_pointer (&page);
}

/* Archived contacts never appear in search: sweep the archived list. */
static GPtrArray *
hubspot_pull_deletions (CpCrmBackend  *backend,
                        GHashTable    *known_remote_ids,
                        GCancellable  *cancellable,
                        GError       **error)
{
  CpHubspotBackend *self = CP_HUBSPOT_BACKEND (backend);
  g_autoptr(GPtrArray) deleted = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *after = NULL;

  do
    {
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *path = NULL;
      g_autofree char *escaped = after != NULL ? g_uri_escape_string (after, NULL, FALSE) : NULL;
      JsonObject *object;
      JsonArray *results;
      const char *next_after = NULL;

      path = g_strdup_printf (CONTACTS "?archived=true&limit=100&properties=" ID_PROPERTY "%s%s",
                              escaped != NULL ? "&after=" : "", escaped != NULL ? escaped : "");
      root = cp_crm_client_request (self->client, "GET", path, NULL, FALSE, NULL, cancellable,
                                    error);
      object = cp_json_root_object (root);
      results = object_array (object, "results");
      if (results == NULL)
        {
          if (error == NULL || *error == NULL)
            cp_crm_client_set_unexpected (self->client, error, _("an archive list without results"));
          return NULL;
        }

      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          const char *id = cp_json_get_string (json_array_get_object_element (results, i), "id");

          if (id != NULL && g_hash_table_contains (known_remote_ids, id))
            g_ptr_array_add (deleted, g_strdup (id));
        }

      if (json_object_has_member (object, "paging"))
        {
          JsonObject *paging = json_object_get_object_member (object, "paging");
          JsonObject *next = paging != NULL && json_object_has_member (paging, "next")
                             ? json_object_get_object_member (paging, "next") : NULL;
          next_after = cp_json_get_string (next, "after");
        }
      g_free (after);
      after = g_strdup (next_after);
    }
  while (after != NULL);

  return g_steal_pointer (&deleted);
}

static JsonNode *
batch_body (GPtrArray  *changes,
            gboolean    upsert,
            const char *only_property,
            const char *only_value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

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
          if (only_property != NULL)
            {
              json_builder_set_member_name (builder, only_property);
              json_builder_add_string_value (builder, only_value);
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

static gboolean
has_result (GPtrArray  *results,
            const char *lead_id)
{
  for (guint i = 0; i < results->len; i++)
    if (g_strcmp0 (((CpCrmPushResult *) results->pdata[i])->lead_id, lead_id) == 0)
      return TRUE;
  return FALSE;
}

/* The message of the batch error that names @change, else of the first one. */
static char *
batch_error_for (JsonArray   *errors,
                 CpCrmChange *change)
{
  const char *first = NULL;

  for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
    {
      JsonObject *error = json_array_get_object_element (errors, i);
      JsonNode *context = error != NULL ? json_object_get_member (error, "context") : NULL;
      const char *message = cp_json_get_string (error, "message");
      JsonArray *ids = context != NULL && JSON_NODE_HOLDS_OBJECT (context)
                       ? object_array (json_node_get_object (context), "ids") : NULL;

      if (first == NULL)
        first = message;
      for (guint j = 0; ids != NULL && j < json_array_get_length (ids); j++)
        {
          const char *id = json_array_get_string_element (ids, j);
          if (g_strcmp0 (id, change->lead_id) == 0 || g_strcmp0 (id, change->remote_id) == 0)
            return g_strdup (message != NULL ? message : _("rejected"));
        }
    }

  return g_strdup (first != NULL ? first : _("HubSpot did not confirm this change"));
}

/* Sends one batch endpoint and fills @results for @changes. A whole-batch
 * rejection (400, 409) fails each change of it; other failures (auth,
 * rate limit, network) fail the call. */
static gboolean
send_batch (CpHubspotBackend  *self,
            const char        *endpoint,
            GPtrArray         *changes,
            JsonNode          *body,
            GPtrArray         *results,
            GHashTable        *confirmed_stage,
            GCancellable      *cancellable,
            GError           **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = g_strconcat (CONTACTS "/batch/", endpoint, NULL);
  gboolean archive = g_str_equal (endpoint, "archive");
  gboolean upsert = g_str_equal (endpoint, "upsert");
  JsonArray *answers;
  JsonArray *errors;

  if (changes->len == 0)
    return TRUE;

  root = cp_crm_client_request (self->client, "POST", path, body, FALSE, NULL, cancellable,
                                &local_error);
  if (local_error != NULL)
    {
      if (!g_error_matches (local_error, CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED) &&
          !g_error_matches (local_error, CP_SYNC_ERROR, CP_SYNC_ERROR_CONFLICT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      for (guint i = 0; i < changes->len; i++)
        {
          CpCrmChange *change = changes->pdata[i];
          CpCrmPushResult *result = find_result (results, change->lead_id);

          g_clear_error (&result->error);
          result->error = g_error_copy (local_error);
        }
      return TRUE;
    }

  answers = object_array (cp_json_root_object (root), "results");
  errors = object_array (cp_json_root_object (root), "errors");
  for (guint i = 0; answers != NULL && i < json_array_get_length (answers); i++)
    {
      JsonObject *answer = json_array_get_object_element (answers, i);
      g_autoptr(CpCrmRecord) record = answer != NULL ? record_from_json (answer) : NULL;
      const char *lead_id;

      if (record == NULL)
        continue;
      lead_id = g_hash_table_lookup (record->properties, ID_PROPERTY);
      for (guint j = 0; lead_id == NULL && j < changes->len; j++)
        if (g_strcmp0 (((CpCrmChange *) changes->pdata[j])->remote_id, record->remote_id) == 0)
          lead_id = ((CpCrmChange *) changes->pdata[j])->lead_id;
      if (lead_id != NULL && has_result (results, lead_id))
        {
          CpCrmPushResult *result = find_result (results, lead_id);

          g_clear_error (&result->error);
          g_free (result->remote_id);
          result->remote_id = g_strdup (record->remote_id);
          g_free (result->updated_at);
          result->updated_at = g_strdup (record->updated_at);
          if (confirmed_stage != NULL)
            g_hash_table_replace (confirmed_stage, g_strdup (lead_id),
                                  g_strdup (g_hash_table_lookup (record->properties, STAGE_PROPERTY)));
        }
    }

  for (guint i = 0; i < changes->len; i++)
    {
      CpCrmChange *change = changes->pdata[i];
      CpCrmPushResult *result = find_result (results, change->lead_id);

      /* Archiving answers 204 with no body: no news is success. */
      if (archive && root == NULL)
        {
          g_clear_error (&result->error);
          continue;
        }
      if (result->remote_id == NULL || (!upsert && result->updated_at == NULL && !archive))
        {
          g_autofree char *message = batch_error_for (errors, change);

          g_clear_error (&result->error);
          result->error = g_error_new (CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED,
                                       _("HubSpot refused the change: %s"), message);
        }
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

static gboolean
clear_stages (CpHubspotBackend  *self,
              GPtrArray         *changes,
              GPtrArray         *results,
              GCancellable      *cancellable,
              GError           **error)
{
  g_autoptr(JsonNode) body = NULL;

  if (changes->len == 0)
    return TRUE;
  body = batch_body (changes, FALSE, STAGE_PROPERTY, "");
  return send_batch (self, "update", changes, body, results, NULL, cancellable, error);
}

static GPtrArray *
hubspot_push_batch (CpCrmBackend  *backend,
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
  g_autoptr(JsonNode) body = NULL;

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
  body = batch_body (creates, TRUE, NULL, NULL);
  if (!send_batch (self, "upsert", creates, body, results, NULL, cancellable, error))
    return NULL;
  g_clear_pointer (&body, json_node_unref);

  /* 409: a contact with the same email exists (HubSpot names its id).
   * Adopt it instead of creating a duplicate: retry alone, then update. */
  for (guint i = 0; i < creates->len; i++)
    {
      CpCrmChange *change = creates->pdata[i];
      CpCrmPushResult *result = find_result (results, change->lead_id);
      g_autoptr(GPtrArray) single = NULL;
      const char *existing;

      if (!g_error_matches (result->error, CP_SYNC_ERROR, CP_SYNC_ERROR_CONFLICT))
        continue;
      single = g_ptr_array_new ();
      g_ptr_array_add (single, change);
      if (creates->len > 1)
        {
          body = batch_body (single, TRUE, NULL, NULL);
          if (!send_batch (self, "upsert", single, body, results, NULL, cancellable, error))
            return NULL;
          g_clear_pointer (&body, json_node_unref);
        }
      existing = result->error != NULL ? strstr (result->error->message, "Existing ID: ") : NULL;
      if (g_error_matches (result->error, CP_SYNC_ERROR, CP_SYNC_ERROR_CONFLICT) && existing != NULL)
        {
          g_autofree char *id = g_strndup (existing + strlen ("Existing ID: "),
                                           strspn (existing + strlen ("Existing ID: "),
                                                   "0123456789"));
          if (*id != '\0')
            {
              g_free (change->remote_id);
              change->remote_id = g_steal_pointer (&id);
              g_ptr_array_add (updates, change);
            }
        }
    }

  backward = backward_moves (self, updates);
  if (!clear_stages (self, backward, results, cancellable, error))
    return NULL;
  body = batch_body (updates, FALSE, NULL, NULL);
  if (!send_batch (self, "update", updates, body, results, confirmed_stage, cancellable, error))
    return NULL;
  g_clear_pointer (&body, json_node_unref);

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
      if (!clear_stages (self, ignored, results, cancellable, error))
        return NULL;
      body = batch_body (ignored, FALSE, NULL, NULL);
      if (!send_batch (self, "update", ignored, body, results, confirmed_stage, cancellable, error))
        return NULL;
      g_clear_pointer (&body, json_node_unref);
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

  body = batch_body (archives, FALSE, NULL, NULL);
  if (!send_batch (self, "archive", archives, body, results, NULL, cancellable, error))
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

static void
cp_hubspot_backend_iface_init (CpCrmBackendInterface *iface)
{
  iface->get_name = hubspot_get_name;
  iface->get_field_map = hubspot_get_field_map;
  iface->get_id_property = hubspot_get_id_property;
  iface->get_batch_size = hubspot_get_batch_size;
  iface->get_client = hubspot_get_client;
  iface->read_schema = hubspot_read_schema;
  iface->stage_to_remote = hubspot_stage_to_remote;
  iface->stage_from_remote = hubspot_stage_from_remote;
  iface->pull_page = hubspot_pull_page;
  iface->pull_deletions = hubspot_pull_deletions;
  iface->push_batch = hubspot_push_batch;
}

/**
 * cp_hubspot_backend_new:
 * @base_url: https://api.hubapi.com, or a proxy or test server
 * @token: a private app access token
 */
CpCrmBackend *
cp_hubspot_backend_new (const char  *base_url,
                        const char  *token,
                        GError     **error)
{
  g_autofree char *bearer = NULL;
  g_autoptr(CpCrmClient) client = NULL;
  CpHubspotBackend *self;

  g_return_val_if_fail (base_url != NULL, NULL);

  if (token == NULL || *token == '\0')
    {
      g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED,
                   _("No HubSpot access token is saved. Add one in Preferences → Account."));
      return NULL;
    }
  bearer = g_strconcat ("Bearer ", token, NULL);
  client = cp_crm_client_new (base_url, "Authorization", bearer, error);
  if (client == NULL)
    return NULL;
  cp_crm_client_set_service_name (client, "HubSpot");

  self = g_object_new (CP_TYPE_HUBSPOT_BACKEND, NULL);
  self->client = g_steal_pointer (&client);
  return CP_CRM_BACKEND (self);
}

/* How far before the cursor each pull starts (search indexing lag, equal timestamps). */
void
cp_hubspot_backend_set_overlap_ms (CpHubspotBackend *self,
                                   guint             overlap_ms)
{
  g_return_if_fail (CP_IS_HUBSPOT_BACKEND (self));

  self->overlap_ms = overlap_ms;
}

/* The number of results one search query can page through (10,000 on HubSpot). */
void
cp_hubspot_backend_set_search_cap (CpHubspotBackend *self,
                                   guint             cap)
{
  g_return_if_fail (CP_IS_HUBSPOT_BACKEND (self));
  g_return_if_fail (cap >= SEARCH_LIMIT);

  self->search_cap = cap;
}
