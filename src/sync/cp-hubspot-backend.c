/* cp-hubspot-backend.c — HubSpot CRM v3 contacts as a sync backend: type, maps, stages
 *
 * The rest of the backend: cp-hubspot-contacts.c (answers as records),
 * cp-hubspot-search.c (the incremental pull), cp-hubspot-push.c (batch
 * writes), cp-hubspot-setup.c (the carepath_id property) and
 * cp-hubspot-activities.c (engagements).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-hubspot-backend"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "cp-hubspot-backend.h"
#include "cp-hubspot-forms.h"
#include "cp-hubspot-private.h"
#include "cp-sync-error.h"

#define MODIFIED        "lastmodifieddate"
#define OVERLAP_MS      (5 * 60 * 1000)
#define RATE_LIMIT      190        /* private apps: requests in any rolling … */
#define RATE_INTERVAL   10000      /* … 10 s (TEN_SECONDLY_ROLLING); the headers refine it */

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

static const CpHubspotObject contacts_object = { CONTACTS, MODIFIED, NULL };

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

  root = cp_crm_client_request (self->client, "GET", PROPERTIES "/" STAGE_PROPERTY, NULL, 0,
                                NULL, cancellable, error);
  if (root == NULL && (error == NULL || *error != NULL))
    return FALSE;
  options = _cp_hubspot_object_array (cp_json_root_object (root), "options");
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

static gboolean
hubspot_stage_is_option (CpCrmBackend *backend,
                         const char   *value)
{
  return cp_crm_stage_map_order (CP_HUBSPOT_BACKEND (backend)->stages, value) > 0;
}

static char *
hubspot_stage_from_remote (CpCrmBackend *backend,
                           const char   *value)
{
  return cp_crm_stage_map_from_remote (CP_HUBSPOT_BACKEND (backend)->stages, value);
}

static CpCrmPage *
hubspot_pull_page (CpCrmBackend  *backend,
                   const char    *cursor,
                   const char    *page_token,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return _cp_hubspot_search_page (CP_HUBSPOT_BACKEND (backend), &contacts_object, cursor,
                                  page_token, cancellable, error);
}

/* POST contacts/gdpr-delete: the contact and its history go, on
 * HubSpot's side too; 404 means it is gone already. */
static gboolean
hubspot_erase (CpCrmBackend  *backend,
               const char    *remote_id,
               GCancellable  *cancellable,
               GError       **error)
{
  CpHubspotBackend *self = CP_HUBSPOT_BACKEND (backend);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  guint status = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "objectId");
  json_builder_add_string_value (builder, remote_id);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  root = cp_crm_client_request (self->client, "POST", CONTACTS "/gdpr-delete", body, 0, &status,
                                cancellable, &local_error);
  if (local_error == NULL || status == SOUP_STATUS_NOT_FOUND)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Archived (and GDPR-deleted) contacts never appear in search: sweep the
 * archived list. It is in id order with no filter on archivedAt, so a
 * contact archived since the last sweep may sit anywhere in it: every
 * sweep reads it whole, never from a saved position. */
static GPtrArray *
hubspot_pull_deletions (CpCrmBackend  *backend,
                        GHashTable    *known_remote_ids,
                        GCancellable  *cancellable,
                        GError       **error)
{
  CpHubspotBackend *self = CP_HUBSPOT_BACKEND (backend);
  g_autoptr(GPtrArray) deleted = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *after = NULL;

  do
    {
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *path = NULL;
      /* Opaque: passed back exactly as given, escaped for the query. */
      g_autofree char *escaped = after != NULL ? g_uri_escape_string (after, NULL, FALSE) : NULL;
      JsonObject *object;
      JsonArray *results;

      path = g_strdup_printf (CONTACTS "?archived=true&limit=100&properties=" ID_PROPERTY "%s%s",
                              escaped != NULL ? "&after=" : "", escaped != NULL ? escaped : "");
      root = cp_crm_client_request (self->client, "GET", path, NULL, 0, NULL, cancellable, error);
      object = cp_json_root_object (root);
      results = _cp_hubspot_object_array (object, "results");
      if (results == NULL)
        {
          if (error == NULL || *error == NULL)
            cp_crm_client_set_unexpected (self->client, error, _("an archive list without results"));
          return NULL;
        }

      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          JsonNode *element = json_array_get_element (results, i);
          const char *id = JSON_NODE_HOLDS_OBJECT (element)
                           ? cp_json_get_string (json_node_get_object (element), "id") : NULL;

          if (id != NULL && g_hash_table_contains (known_remote_ids, id) &&
              g_hash_table_add (seen, g_strdup (id)))
            g_ptr_array_add (deleted, g_strdup (id));
        }

      g_free (after);
      after = _cp_hubspot_next_after (object);
      if (after != NULL && !g_hash_table_add (tokens, g_strdup (after)))
        {
          cp_crm_client_set_unexpected (self->client, error,
                                        _("the same page of the archive list twice"));
          return NULL;
        }
    }
  while (after != NULL);

  return g_steal_pointer (&deleted);
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
  iface->stage_is_option = hubspot_stage_is_option;
  iface->pull_page = hubspot_pull_page;
  iface->pull_deletions = hubspot_pull_deletions;
  iface->push_batch = _cp_hubspot_push_batch;
  iface->check_setup = _cp_hubspot_check_setup;
  iface->erase = hubspot_erase;
  _cp_hubspot_activities_iface_init (iface);
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
  cp_crm_client_set_rate_limit (client, RATE_LIMIT, RATE_INTERVAL);

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
