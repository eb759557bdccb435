/* cp-espocrm-backend.c — EspoCRM's Lead entity as a sync backend: type, maps, setup, pull
 *
 * The rest of the backend: cp-espocrm-deletions.c (the deletion sweep),
 * cp-espocrm-push.c (writes) and cp-espocrm-activities.c (engagements).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-espocrm-backend"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-crm-parse-private.h"
#include "cp-espocrm-backend.h"
#include "cp-espocrm-private.h"
#include "cp-sync-error.h"

#define OVERLAP_S      300

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

/* Appends “&@item[type]=@type” and its attribute and value, escaped.
 * @item is “where[0]”, or deeper for the value list of an or/and. */
void
_cp_espocrm_append_where (GString    *path,
                          const char *item,
                          const char *type,
                          const char *attribute,
                          const char *value)
{
  const char *names[] = { "[type]", "[attribute]", "[value]" };
  const char *values[] = { type, attribute, value };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (values[i] != NULL)
      {
        g_autofree char *name = g_strconcat (item, names[i], NULL);
        g_autofree char *escaped_name = g_uri_escape_string (name, NULL, FALSE);
        g_autofree char *escaped_value = g_uri_escape_string (values[i], NULL, FALSE);

        g_string_append_printf (path, "&%s=%s", escaped_name, escaped_value);
      }
}

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

CpCrmRecord *
_cp_espocrm_record_from_json (JsonObject *object)
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
  g_clear_pointer (&self->hidden_ids, g_ptr_array_unref);
  g_clear_pointer (&self->undecided_ids, g_ptr_array_unref);

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
  self->hidden_ids = g_ptr_array_new_with_free_func (g_free);
  self->undecided_ids = g_ptr_array_new_with_free_func (g_free);
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

static void
set_field_missing (GError **error)
{
  g_set_error_literal (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED,
                       _("EspoCRM's leads have no field “carepathId”, which Carepath needs to "
                         "match its leads with EspoCRM's. An EspoCRM administrator adds it "
                         "once: Administration → Entity Manager → Lead → Fields → Add Field, "
                         "type Varchar, name “carepathId” (EspoCRM saves it as “cCarepathId”). "
                         "Then sync again."));
}

/* Lead's field definitions from the metadata any user may read, or NULL
 * when it does not tell (not allowed, or Lead left out for this user). */
static JsonObject *
lead_fields_from_metadata (JsonNode *root)
{
  static const char * const path[] = { "entityDefs", "Lead", "fields" };
  JsonObject *object = cp_json_root_object (root);

  /* Before EspoCRM 8.2 the key is ignored and all the metadata comes back. */
  if (object != NULL && json_object_has_member (object, "entityDefs"))
    for (guint i = 0; i < G_N_ELEMENTS (path) && object != NULL; i++)
      {
        JsonNode *node = json_object_get_member (object, path[i]);

        object = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      }
  return object;
}

/*
 * espocrm_check_setup:
 *
 * Checks that leads carry the custom field cCarepathId, which every push
 * writes and looks leads up by. The metadata answers first; when it cannot
 * tell, a where item on the field does: EspoCRM refuses one on a missing
 * attribute with 400, and one the API user may not read with 403.
 *
 * Returns: %TRUE when the field is there; %FALSE with
 *   %CP_SYNC_ERROR_NOT_CONFIGURED (the manual step to take) when it is
 *   not, %CP_SYNC_ERROR_FORBIDDEN when the API user may not use it, or the
 *   client's error when EspoCRM could not be asked
 */
static gboolean
espocrm_check_setup (CpCrmBackend  *backend,
                     GCancellable  *cancellable,
                     GError       **error)
{
  CpEspocrmBackend *self = CP_ESPOCRM_BACKEND (backend);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) probe = g_string_new (API_PREFIX "/Lead?select=id&maxSize=1");
  JsonObject *fields;
  guint status = 0;

  root = cp_crm_client_request (self->client, "GET",
                                API_PREFIX "/Metadata?key=entityDefs.Lead.fields",
                                NULL, 0, &status, cancellable, &local_error);
  if (local_error != NULL && status != 403 && status != 404)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  fields = local_error == NULL ? lead_fields_from_metadata (root) : NULL;
  if (fields != NULL && json_object_has_member (fields, ID_PROPERTY))
    return TRUE;
  if (fields != NULL && json_object_has_member (fields, "firstName"))
    {
      set_field_missing (error);
      return FALSE;
    }

  g_clear_error (&local_error);
  g_clear_pointer (&root, json_node_unref);
  _cp_espocrm_append_where (probe, "where[0]", "isNotNull", ID_PROPERTY, NULL);
  root = cp_crm_client_request (self->client, "GET", probe->str, NULL, 0, &status, cancellable,
                                &local_error);
  if (local_error == NULL)
    return TRUE;
  if (status == 400)
    set_field_missing (error);
  else if (status == 403)
    g_set_error_literal (error, CP_SYNC_ERROR, CP_SYNC_ERROR_FORBIDDEN,
                         _("EspoCRM's API user may not read leads or their field “carepathId”. "
                           "An EspoCRM administrator allows it: Administration → Roles → the "
                           "API user's role → Lead: read, create, edit and delete, and under "
                           "Field Level, read and edit for “carepathId”. Then sync again."));
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* DELETE Lead/{id}; 404 means it is gone already. */
static gboolean
espocrm_erase (CpCrmBackend  *backend,
               const char    *remote_id,
               GCancellable  *cancellable,
               GError       **error)
{
  CpEspocrmBackend *self = CP_ESPOCRM_BACKEND (backend);
  g_autofree char *escaped = g_uri_escape_string (remote_id, NULL, FALSE);
  g_autofree char *path = g_strconcat (API_PREFIX "/Lead/", escaped, NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  guint status = 0;

  root = cp_crm_client_request (self->client, "DELETE", path, NULL, 0, &status, cancellable,
                                &local_error);
  if (local_error == NULL || status == 404)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Test Connection and `sync --check`: EspoCRM's API cannot add a field,
 * so a missing one is the manual step, in words (@create does nothing). */
static CpCrmSetup *
espocrm_check_setup_report (CpCrmBackend  *backend,
                            gboolean       create,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(CpCrmSetup) setup = cp_crm_setup_new ();
  g_autoptr(GError) local_error = NULL;

  (void) create;
  if (espocrm_check_setup (backend, cancellable, &local_error))
    return g_steal_pointer (&setup);
  if (!g_error_matches (local_error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED) &&
      !g_error_matches (local_error, CP_SYNC_ERROR, CP_SYNC_ERROR_FORBIDDEN))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_ptr_array_add (setup->missing, g_strdup (local_error->message));
  return g_steal_pointer (&setup);
}

/* Lead statuses are fixed in EspoCRM: resolve against the documented list.
 * Every run starts by checking the setup, before anything is written. */
static gboolean
espocrm_read_schema (CpCrmBackend  *backend,
                     GCancellable  *cancellable,
                     GError       **error)
{
  CpEspocrmBackend *self = CP_ESPOCRM_BACKEND (backend);
  g_autoptr(GPtrArray) values = g_ptr_array_new ();

  if (!espocrm_check_setup (backend, cancellable, error))
    return FALSE;
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

static gboolean
espocrm_stage_is_option (CpCrmBackend *backend,
                         const char   *value)
{
  return cp_crm_stage_map_order (CP_ESPOCRM_BACKEND (backend)->stages, value) > 0;
}

static char *
espocrm_stage_from_remote (CpCrmBackend *backend,
                           const char   *value)
{
  return cp_crm_stage_map_from_remote (CP_ESPOCRM_BACKEND (backend)->stages, value);
}

/* The “list” of a list answer, NULL when there is none; @out_total gets
 * “total”, -1 when absent (EspoCRM may leave the count out, or send a
 * negative one) or no number. */
static JsonArray *
answer_list (JsonNode *root,
             gint64   *out_total)
{
  JsonObject *object = cp_json_root_object (root);
  JsonNode *list = object != NULL ? json_object_get_member (object, "list") : NULL;
  JsonNode *total = object != NULL ? json_object_get_member (object, "total") : NULL;

  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    return NULL;
  if (out_total != NULL)
    *out_total = total != NULL && JSON_NODE_HOLDS_VALUE (total) &&
                 json_node_get_value_type (total) == G_TYPE_INT64
                 ? json_node_get_int (total) : -1;
  return json_node_get_array (list);
}

static JsonArray *
list_of (CpEspocrmBackend  *self,
         JsonNode          *root,
         gint64            *out_total,
         GError           **error)
{
  JsonArray *list = answer_list (root, out_total);

  if (list == NULL)
    cp_crm_client_set_unexpected (self->client, error, _("a list answer without “list”"));
  return list;
}

/* One page of a lead list answer; see cp-crm-parse-private.h. NULL with
 * *@out_what saying what is wrong. */
CpCrmPage *
_cp_espocrm_page_from_json (JsonNode     *root,
                            const char  **out_what)
{
  g_autoptr(CpCrmPage) page = NULL;
  gint64 total = -1;
  JsonArray *list = answer_list (root, &total);
  guint n;

  if (list == NULL)
    {
      *out_what = _("a list answer without “list”");
      return NULL;
    }

  n = json_array_get_length (list);
  page = g_new0 (CpCrmPage, 1);
  page->total = total;
  page->records = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_crm_record_free);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (list, i);
      CpCrmRecord *record = JSON_NODE_HOLDS_OBJECT (element)
                            ? _cp_espocrm_record_from_json (json_node_get_object (element))
                            : NULL;

      if (record == NULL)
        {
          *out_what = _("a lead without id or modifiedAt");
          return NULL;
        }
      g_ptr_array_add (page->records, record);
    }
  /* “total” counts what is left, this page included. */
  if (n > 0 && (total < 0 || n < total))
    {
      CpCrmRecord *last = page->records->pdata[n - 1];

      page->next_page = g_strdup_printf ("%s|%s", last->updated_at, last->remote_id);
    }
  return g_steal_pointer (&page);
}

CpCrmPage *
_cp_espocrm_parse_page (const char  *data,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(JsonNode) root = _cp_crm_parse_json (data, length, error);
  const char *what = NULL;
  CpCrmPage *page;

  if (root == NULL && error != NULL && *error != NULL)
    return NULL;
  page = _cp_espocrm_page_from_json (root, &what);
  if (page == NULL)
    g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_INVALID_RESPONSE,
                 _("%s sent an unexpected answer: %s"), "EspoCRM", what);
  return page;
}

/* GET @path, a list of leads. */
JsonArray *
_cp_espocrm_request_list (CpEspocrmBackend   *self,
                          const char         *path,
                          CpCrmRequestFlags   flags,
                          JsonNode          **out_root,
                          gint64             *out_total,
                          GCancellable       *cancellable,
                          GError            **error)
{
  g_autoptr(GError) local_error = NULL;

  *out_root = cp_crm_client_request (self->client, "GET", path, NULL, flags, NULL, cancellable,
                                     &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return list_of (self, *out_root, out_total, error);
}

/* Leads modified since the cursor (minus the overlap), oldest first, in
 * EspoCRM's order: modifiedAt, then id. The page token is the last lead's
 * “modifiedAt|id” and the next page starts after it. Offsets would skip a
 * lead whenever one already listed is modified meanwhile and moves to the
 * end, and the cursor would then pass the skipped one for good. */
CpCrmPage *
_cp_espocrm_list_page (CpEspocrmBackend  *self,
                       const char        *entity,
                       const char        *extra,
                       const char        *cursor,
                       const char        *page_token,
                       GCancellable      *cancellable,
                       GError           **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) path = g_string_new (NULL);
  const char *what = NULL;
  CpCrmPage *page;
  g_auto(GStrv) after = page_token != NULL ? g_strsplit (page_token, "|", 2) : NULL;
  g_autofree char *start = NULL;

  g_string_printf (path, API_PREFIX "/%s?orderBy=modifiedAt&order=asc&maxSize=%u", entity,
                   PAGE_SIZE);
  if (extra != NULL)
    g_string_append (path, extra);
  if (after != NULL && after[0] != NULL && after[1] != NULL)
    {
      /* modifiedAt > M, or modifiedAt = M and id > I */
      _cp_espocrm_append_where (path, "where[0]", "or", NULL, NULL);
      _cp_espocrm_append_where (path, "where[0][value][0]", "greaterThan", "modifiedAt",
                                after[0]);
      _cp_espocrm_append_where (path, "where[0][value][1]", "and", NULL, NULL);
      _cp_espocrm_append_where (path, "where[0][value][1][value][0]", "equals", "modifiedAt",
                                after[0]);
      _cp_espocrm_append_where (path, "where[0][value][1][value][1]", "greaterThan", "id",
                                after[1]);
    }
  else if (cursor != NULL && (start = shift_datetime (cursor, self->overlap_s)) != NULL)
    _cp_espocrm_append_where (path, "where[0]", "greaterThanOrEquals", "modifiedAt", start);

  root = cp_crm_client_request (self->client, "GET", path->str, NULL, CP_CRM_REQUEST_SEARCH, NULL,
                                cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  page = _cp_espocrm_page_from_json (root, &what);
  if (page == NULL)
    cp_crm_client_set_unexpected (self->client, error, what);
  return page;
}

static CpCrmPage *
espocrm_pull_page (CpCrmBackend  *backend,
                   const char    *cursor,
                   const char    *page_token,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return _cp_espocrm_list_page (CP_ESPOCRM_BACKEND (backend), "Lead", NULL, cursor, page_token,
                                cancellable, error);
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
  iface->stage_is_option = espocrm_stage_is_option;
  iface->pull_page = espocrm_pull_page;
  iface->pull_deletions = _cp_espocrm_pull_deletions;
  iface->push_batch = _cp_espocrm_push_batch;
  iface->check_setup = espocrm_check_setup_report;
  iface->erase = espocrm_erase;
  _cp_espocrm_activities_iface_init (iface);
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

/**
 * cp_espocrm_backend_get_sweep_report:
 * @out_hidden: (out) (optional) (transfer none) (element-type utf8): the
 *   linked leads the last deletion sweep kept because the API user may not
 *   read them (403)
 * @out_undecided: (out) (optional) (transfer none) (element-type utf8): the
 *   linked leads it could not confirm either way (the next sweep asks again)
 */
void
cp_espocrm_backend_get_sweep_report (CpEspocrmBackend  *self,
                                     GPtrArray        **out_hidden,
                                     GPtrArray        **out_undecided)
{
  g_return_if_fail (CP_IS_ESPOCRM_BACKEND (self));

  if (out_hidden != NULL)
    *out_hidden = self->hidden_ids;
  if (out_undecided != NULL)
    *out_undecided = self->undecided_ids;
}
