/* cp-espocrm-backend.c — EspoCRM's Lead entity as a sync backend
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-espocrm-backend"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-espocrm-backend.h"
#include "cp-sync-error.h"

#define API_PREFIX     "/api/v1"
#define ID_PROPERTY    "cCarepathId"
#define PAGE_SIZE      200
#define OVERLAP_S      300

struct _CpEspocrmBackend
{
  GObject        parent_instance;

  CpCrmClient   *client;
  CpCrmStageMap *stages;
  guint          overlap_s;
};

static void cp_espocrm_backend_iface_init (CpCrmBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CpEspocrmBackend, cp_espocrm_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CP_TYPE_CRM_BACKEND,
                                                      cp_espocrm_backend_iface_init))

static const CpCrmFieldMap field_map[] = {
  { CP_LEAD_FIELD_FIRST_NAME, "firstName" },
  { CP_LEAD_FIELD_LAST_NAME, "lastName" },
  { CP_LEAD_FIELD_EMAIL, "emailAddress" },
  { CP_LEAD_FIELD_PHONE, "phoneNumber" },
  { CP_LEAD_FIELD_ORGANIZATION, "accountName" },
  { CP_LEAD_FIELD_JOB_TITLE, "title" },
  { CP_LEAD_FIELD_LOCATION, "addressCity" },
  { CP_LEAD_FIELD_POSTAL_CODE, "addressPostalCode" },
  { CP_LEAD_FIELD_NOTES, "description" },
  { CP_LEAD_FIELD_STAGE, "status" },
};

/* EspoCRM's Lead statuses, in order. */
static const char * const statuses[] = {
  "New", "Assigned", "In Process", "Converted", "Recycled", "Dead"
};

static const CpCrmStageDefault stage_defaults[] = {
  { "new", "New" },
  { "engaged", "Assigned" },
  { "qualified", "In Process" },
  { "active_evaluation", "In Process" },
  { "onboarding", "Converted" },
  { "adoption", "Converted" },
  { "reactivation", "Recycled" },
  { "closed_won", "Converted" },
  { "closed_lost", "Dead" },
};

/* “YYYY-MM-DD HH:mm:ss” minus @seconds. */
static char *
shift_datetime (const char *text,
                guint       seconds)
{
  g_autofree char *iso = g_strdup_printf ("%sZ", text);
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) earlier = NULL;

  iso[10] = 'T';
  time = g_date_time_new_from_iso8601 (iso, NULL);
  if (time == NULL)
    return NULL;
  earlier = g_date_time_add_seconds (time, -(gdouble) seconds);
  return g_date_time_format (earlier, "%Y-%m-%d %H:%M:%S");
}

static CpCrmRecord *
record_from_json (JsonObject *object)
{
  const char *id = cp_json_get_string (object, "id");
  const char *modified = cp_json_get_string (object, "modifiedAt");
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;
  CpCrmRecord *record;

  /* A datetime always has 19 characters: cursors then order as text. */
  if (id == NULL || modified == NULL || strlen (modified) != 19)
    return NULL;
  record = cp_crm_record_new (id, modified, modified);
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING &&
        *json_node_get_string (value) != '\0')
      g_hash_table_insert (record->properties, g_strdup (name),
                           g_strdup (json_node_get_string (value)));
  return record;
}

static void
cp_espocrm_backend_finalize (GObject *object)
{
  CpEspocrmBackend *self = CP_ESPOCRM_BACKEND (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->stages, cp_crm_stage_map_free);

  G_OBJECT_CLASS (cp_espocrm_backend_parent_class)->finalize (object);
}

static void
cp_espocrm_backend_class_init (CpEspocrmBackendClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cp_espocrm_backend_finalize;
}

static void
cp_espocrm_backend_init (CpEspocrmBackend *self)
{
  self->stages = cp_crm_stage_map_new (stage_defaults, G_N_ELEMENTS (stage_defaults));
  self->overlap_s = OVERLAP_S;
}

void
cp_espocrm_backend_get_defaults (CpCrmDefaults *out_defaults)
{
  out_defaults->fields = field_map;
  out_defaults->n_fields = G_N_ELEMENTS (field_map);
  out_defaults->stages = stage_defaults;
  out_defaults->n_stages = G_N_ELEMENTS (stage_defaults);
}

static const char *
espocrm_get_name (CpCrmBackend *backend)
{
  return "espocrm";
}

static const CpCrmFieldMap *
espocrm_get_field_map (CpCrmBackend *backend,
                       guint        *n_fields)
{
  *n_fields = G_N_ELEMENTS (field_map);
  return field_map;
}

static const char *
espocrm_get_id_property (CpCrmBackend *backend)
{
  return ID_PROPERTY;
}

static guint
espocrm_get_batch_size (CpCrmBackend *backend)
{
  return 50;
}

static CpCrmClient *
espocrm_get_client (CpCrmBackend *backend)
{
  return CP_ESPOCRM_BACKEND (backend)->client;
}

/* Lead statuses are fixed in EspoCRM: resolve against the documented list. */
static gboolean
espocrm_read_schema (CpCrmBackend  *backend,
                     GCancellable  *cancellable,
                     GError       **error)
{
  CpEspocrmBackend *self = CP_ESPOCRM_BACKEND (backend);
  g_autoptr(GPtrArray) values = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    g_ptr_array_add (values, (gpointer) statuses[i]);
  cp_crm_stage_map_resolve (self->stages, values, values);
  return TRUE;
}

static char *
espocrm_stage_to_remote (CpCrmBackend *backend,
                         const char   *stage)
{
  return cp_crm_stage_map_to_remote (CP_ESPOCRM_BACKEND (backend)->stages, stage);
}

static char *
espocrm_stage_from_remote (CpCrmBackend *backend,
                           const char   *value)
{
  return cp_crm_stage_map_from_remote (CP_ESPOCRM_BACKEND (backend)->stages, value);
}

static JsonArray *
list_of (CpEspocrmBackend  *self,
         JsonNode          *root,
         guint             *out_total,
         GError           **error)
{
  JsonObject *object = cp_json_root_object (root);
  JsonNode *list = object != NULL ? json_object_get_member (object, "list") : NULL;

  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      cp_crm_client_set_unexpected (self->client, error, _("a list answer without “list”"));
      return NULL;
    }
  if (out_total != NULL)
    *out_total = json_object_has_member (object, "total")
                 ? json_object_get_int_member (object, "total") : 0;
  return json_node_get_array (list);
}

/* Leads modified since the cursor (minus the overlap), oldest first, by
 * offset; the page token is “start|offset”. */
static CpCrmPage *
espocrm_pull_page (CpCrmBackend  *backend,
                   const char    *cursor,
                   const char    *page_token,
                   GCancellable  *cancellable,
                   GError       **error)
{
  CpEspocrmBackend *self = CP_ESPOCRM_BACKEND (backend);
  g_autoptr(CpCrmPage) page = g_new0 (CpCrmPage, 1);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) path = g_string_new (API_PREFIX "/Lead?orderBy=modifiedAt&order=asc");
  g_autofree char *start = NULL;
  g_autoptr(GError) local_error = NULL;
  guint64 offset = 0;
  guint total = 0;
  JsonArray *list;

  if (page_token != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (page_token, "|", 2);

      start = g_strdup (parts[0]);
      offset = parts[1] != NULL ? g_ascii_strtoull (parts[1], NULL, 10) : 0;
    }
  else if (cursor != NULL)
    start = shift_datetime (cursor, self->overlap_s);

  g_string_append_printf (path, "&offset=%" G_GUINT64_FORMAT "&maxSize=%u", offset, PAGE_SIZE);
  if (start != NULL && *start != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (start, NULL, FALSE);

      g_string_append (path, "&where%5B0%5D%5Btype%5D=greaterThanOrEquals"
                             "&where%5B0%5D%5Battribute%5D=modifiedAt&where%5B0%5D%5Bvalue%5D=");
      g_string_append (path, escaped);
    }

  root = cp_crm_client_request (self->client, "GET", path->str, NULL, TRUE, NULL, cancellable,
                                &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  list = list_of (self, root, &total, error);
  if (list == NULL)
    return NULL;

  page->records = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_crm_record_free);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *element = json_array_get_element (list, i);
      CpCrmRecord *record = JSON_NODE_HOLDS_OBJECT (element)
                            ? record_from_json (json_node_get_object (element)) : NULL;

      if (record == NULL)
        {
          cp_crm_client_set_unexpected (self->client, error, _("a lead without id or modifiedAt"));
          return NULL;
        }
      g_ptr_array_add (page->records, record);
    }
  if (json_array_get_length (list) > 0 && offset + json_array_get_length (list) < total)
    page->next_page = g_strdup_printf ("%s|%" G_GUINT64_FORMAT, start != NULL ? start : "",
                                       offset + json_array_get_length (list));

  return g_steal_pointer (&page);
}

/* EspoCRM has no deletion feed: list every id and compare. */
static GPtrArray *
espocrm_pull_deletions (CpCrmBackend  *backend,
                        GHashTable    *known_remote_ids,
                        GCancellable  *cancellable,
                        GError       **error)
{
  CpEspocrmBackend *self = CP_ESPOCRM_BACKEND (backend);
  g_autoptr(GHashTable) live = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) deleted = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;
  guint offset = 0;
  guint total = 0;

  do
    {
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *path = g_strdup_printf (API_PREFIX "/Lead?select=id&orderBy=createdAt"
                                               "&order=asc&offset=%u&maxSize=%u", offset, PAGE_SIZE);
      JsonArray *list;

      root = cp_crm_client_request (self->client, "GET", path, NULL, FALSE, NULL, cancellable,
                                    &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      list = list_of (self, root, &total, error);
      if (list == NULL)
        return NULL;
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          const char *id = cp_json_get_string (json_array_get_object_element (list, i), "id");
          if (id != NULL)
            g_hash_table_add (live, g_strdup (id));
        }
      if (json_array_get_length (list) == 0)
        break;
      offset += json_array_get_length (list);
    }
  while (offset < total);

  g_hash_table_iter_init (&iter, known_remote_ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (live, key))
      g_ptr_array_add (deleted, g_strdup (key));

  return g_steal_pointer (&deleted);
}

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
  g_autofree char *escaped = g_uri_escape_string (lead_id, NULL, FALSE);
  g_autofree char *path = g_strdup_printf (API_PREFIX "/Lead?select=id&maxSize=1"
                                           "&where%%5B0%%5D%%5Btype%%5D=equals"
                                           "&where%%5B0%%5D%%5Battribute%%5D=" ID_PROPERTY
                                           "&where%%5B0%%5D%%5Bvalue%%5D=%s", escaped);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonArray *list;

  root = cp_crm_client_request (self->client, "GET", path, NULL, FALSE, NULL, cancellable,
                                &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  list = list_of (self, root, NULL, error);
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

  record = cp_json_root_object (root) != NULL ? record_from_json (cp_json_root_object (root)) : NULL;
  if (record == NULL)
    {
      cp_crm_client_set_unexpected (self->client, error, _("a saved lead without id or modifiedAt"));
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

static GPtrArray *
espocrm_push_batch (CpCrmBackend  *backend,
                    GPtrArray     *changes,
                    GCancellable  *cancellable,
                    GError       **error)
{
  CpEspocrmBackend *self = CP_ESPOCRM_BACKEND (backend);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_crm_push_result_free);

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

static void
cp_espocrm_backend_iface_init (CpCrmBackendInterface *iface)
{
  iface->get_name = espocrm_get_name;
  iface->get_field_map = espocrm_get_field_map;
  iface->get_id_property = espocrm_get_id_property;
  iface->get_batch_size = espocrm_get_batch_size;
  iface->get_client = espocrm_get_client;
  iface->read_schema = espocrm_read_schema;
  iface->stage_to_remote = espocrm_stage_to_remote;
  iface->stage_from_remote = espocrm_stage_from_remote;
  iface->pull_page = espocrm_pull_page;
  iface->pull_deletions = espocrm_pull_deletions;
  iface->push_batch = espocrm_push_batch;
}

/**
 * cp_espocrm_backend_new:
 * @base_url: the EspoCRM site, e.g. https://crm.example.org
 * @api_key: the API user's key
 */
CpCrmBackend *
cp_espocrm_backend_new (const char  *base_url,
                        const char  *api_key,
                        GError     **error)
{
  g_autoptr(CpCrmClient) client = NULL;
  g_autofree char *site = NULL;
  CpEspocrmBackend *self;

  g_return_val_if_fail (base_url != NULL, NULL);

  if (api_key == NULL || *api_key == '\0')
    {
      g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED,
                   _("No EspoCRM API key is saved. Add one in Preferences → Account."));
      return NULL;
    }
  /* Accept the site or its API address. */
  site = g_strdup (base_url);
  while (g_str_has_suffix (site, "/"))
    site[strlen (site) - 1] = '\0';
  if (g_str_has_suffix (site, API_PREFIX))
    site[strlen (site) - strlen (API_PREFIX)] = '\0';

  client = cp_crm_client_new (site, "X-Api-Key", api_key, error);
  if (client == NULL)
    return NULL;
  cp_crm_client_set_service_name (client, "EspoCRM");
  /* Self-hosted: no documented search limit, but stay gentle. */
  cp_crm_client_set_search_rate (client, 10);

  self = g_object_new (CP_TYPE_ESPOCRM_BACKEND, NULL);
  self->client = g_steal_pointer (&client);
  return CP_CRM_BACKEND (self);
}

void
cp_espocrm_backend_set_overlap_s (CpEspocrmBackend *self,
                                  guint             overlap_s)
{
  g_return_if_fail (CP_IS_ESPOCRM_BACKEND (self));

  self->overlap_s = overlap_s;
}
