/* cp-hubspot-backend.c — HubSpot CRM v3 contacts as a sync backend
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-hubspot-backend"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "cp-crm-parse-private.h"
#include "cp-hubspot-backend.h"
#include "cp-hubspot-private.h"
#include "cp-sync-error.h"

#define CONTACTS        "/crm/v3/objects/contacts"
#define PROPERTIES      "/crm/v3/properties/contacts"
#define ID_PROPERTY     "carepath_id"
#define STAGE_PROPERTY  "lifecyclestage"
#define MODIFIED        "lastmodifieddate"
#define SEARCH_LIMIT    200
#define BATCH_LIMIT     100
#define MAX_DONE_IDS    20         /* ids one search leaves out: the body stays far below 3,000 */
#define OVERLAP_MS      (5 * 60 * 1000)
#define RATE_LIMIT      190        /* private apps: requests in any rolling … */
#define RATE_INTERVAL   10000      /* … 10 s (TEN_SECONDLY_ROLLING); the headers refine it */

struct _CpHubspotBackend
{
  GObject        parent_instance;

  CpCrmClient   *client;
  CpCrmStageMap *stages;
  guint          overlap_ms;
  gboolean       setup_checked;   /* the id property was found once */
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

/* ISO 8601 (the v3 answers) or epoch milliseconds. Returns -1 if neither. */
static gint64
parse_time_ms (const char *text)
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

static JsonArray *
object_array (JsonObject *object,
              const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
object_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The opaque `paging.next.after` of a list or search answer; NULL on the last page. */
static const char *
next_after (JsonObject *answer)
{
  return cp_json_get_string (object_member (object_member (answer, "paging"), "next"), "after");
}

/* One contact of a list, search or batch answer (without a pull cursor). */
static CpCrmRecord *
record_from_json (JsonObject *object)
{
  JsonObject *properties = object_member (object, "properties");
  const char *id = cp_json_get_string (object, "id");
  const char *updated_at = cp_json_get_string (object, "updatedAt");
  CpCrmRecord *record;

  if (id == NULL || parse_time_ms (updated_at) < 0)
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
  JsonArray *results = object_array (object, "results");
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
                            ? record_from_json (json_node_get_object (element)) : NULL;

      if (record == NULL)
        {
          *out_what = _("a contact without id or updatedAt");
          return NULL;
        }
      g_ptr_array_add (page->records, record);
    }
  page->next_page = g_strdup (next_after (object));
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

static const CpHubspotObject contacts_object = { CONTACTS, MODIFIED, NULL };

static void
add_property_names (CpCrmBackend          *backend,
                    const CpHubspotObject *object,
                    JsonBuilder           *builder)
{
  guint n = 0;
  const CpCrmFieldMap *map = cp_crm_backend_get_field_map (backend, &n);

  json_builder_begin_array (builder);
  if (object->properties != NULL)
    for (guint i = 0; object->properties[i] != NULL; i++)
      json_builder_add_string_value (builder, object->properties[i]);
  else
    {
      for (guint i = 0; i < n; i++)
        json_builder_add_string_value (builder, map[i].property);
      json_builder_add_string_value (builder, ID_PROPERTY);
    }
  json_builder_add_string_value (builder, object->modified);
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

/* An incremental pull walks contacts in (lastmodifieddate, id) order.
 *
 * Search sorts on one property only, leaves the order of contacts modified
 * in the same millisecond open, and refuses to page past 10,000 results.
 * So every page is a fresh query that starts where the previous page
 * ended: no query comes near the cap, whatever changed at once, and no
 * paging token of HubSpot's is ever parsed or replayed. Contacts sharing a
 * millisecond are told apart by id: a few are left out of the next query
 * (NOT_IN), many are swept sorted by id. */
typedef enum
{
  FROM_TIME,    /* modified at or after @ms, except @done_ids (modified at @ms, pulled) */
  PAST_TIME,    /* modified after @ms */
  AT_TIME,      /* modified at @ms with an id above @after_id, by id */
} PositionKind;

typedef struct
{
  PositionKind  kind;
  gint64        ms;
  guint64       after_id;
  GPtrArray    *done_ids;
} Position;

static void
position_clear (Position *position)
{
  g_clear_pointer (&position->done_ids, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Position, position_clear)

/* The committed cursor: fixed width, so that the engine's order (length,
 * then text) is the pull's order. Kind '0': everything modified before
 * @ms is in; '1': also contact @id, modified at @ms; '2': also every
 * contact modified at @ms up to id @id. */
static char *
cursor_text (gint64  ms,
             char    kind,
             guint64 id)
{
  return g_strdup_printf ("%013" G_GINT64_FORMAT ".%c.%020" G_GUINT64_FORMAT, ms, kind, id);
}

/* Where a pull starts: right after the committed cursor (older cursors
 * are plain milliseconds), less the overlap: search shows writes a few
 * moments late, and those must not be skipped for good. */
static void
position_from_cursor (CpHubspotBackend *self,
                      const char       *cursor,
                      Position         *position)
{
  g_auto(GStrv) parts = g_strsplit (cursor != NULL ? cursor : "0", ".", 3);
  char kind = parts[1] != NULL ? parts[1][0] : '0';
  guint64 id = parts[1] != NULL && parts[2] != NULL ? g_ascii_strtoull (parts[2], NULL, 10) : 0;

  position->kind = FROM_TIME;
  position->ms = MAX (0, g_ascii_strtoll (parts[0], NULL, 10));
  if (cursor != NULL && self->overlap_ms > 0)
    position->ms = MAX (0, position->ms - self->overlap_ms);
  else if (kind == '1')
    g_ptr_array_add (position->done_ids, g_strdup_printf ("%" G_GUINT64_FORMAT, id));
  else if (kind == '2')
    {
      position->kind = AT_TIME;
      position->after_id = id;
    }
}

/* The page token handed to the engine: the position the next page starts at. */
static char *
position_to_token (const Position *position)
{
  g_autoptr(GString) token = NULL;

  if (position->kind == PAST_TIME)
    return g_strdup_printf ("past:%" G_GINT64_FORMAT, position->ms);
  if (position->kind == AT_TIME)
    return g_strdup_printf ("at:%" G_GINT64_FORMAT ":%" G_GUINT64_FORMAT, position->ms,
                            position->after_id);
  token = g_string_new (NULL);
  g_string_printf (token, "from:%" G_GINT64_FORMAT ":", position->ms);
  for (guint i = 0; i < position->done_ids->len; i++)
    g_string_append_printf (token, "%s%s", i > 0 ? "," : "", (char *) position->done_ids->pdata[i]);
  return g_string_free (g_steal_pointer (&token), FALSE);
}

static gboolean
position_from_token (const char *token,
                     Position   *position)
{
  g_auto(GStrv) parts = g_strsplit (token, ":", 3);

  if (parts[0] == NULL || parts[1] == NULL)
    return FALSE;
  position->ms = g_ascii_strtoll (parts[1], NULL, 10);
  if (g_str_equal (parts[0], "past"))
    position->kind = PAST_TIME;
  else if (g_str_equal (parts[0], "at") && parts[2] != NULL)
    {
      position->kind = AT_TIME;
      position->after_id = g_ascii_strtoull (parts[2], NULL, 10);
    }
  else if (g_str_equal (parts[0], "from") && parts[2] != NULL)
    {
      g_auto(GStrv) ids = g_strsplit (parts[2], ",", -1);

      position->kind = FROM_TIME;
      for (guint i = 0; ids[i] != NULL; i++)
        if (*ids[i] != '\0')
          g_ptr_array_add (position->done_ids, g_strdup (ids[i]));
    }
  else
    return FALSE;
  return TRUE;
}

static void
add_filter (JsonBuilder *builder,
            const char  *property,
            const char  *operator,
            gint64       value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "propertyName");
  json_builder_add_string_value (builder, property);
  json_builder_set_member_name (builder, "operator");
  json_builder_add_string_value (builder, operator);
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
}

/* Filters in a group are ANDed, groups ORed. "Modified at ms" is a range
 * of one millisecond: EQ on a datetime is not documented to the ms. */
static JsonNode *
search_body (CpHubspotBackend      *self,
             const CpHubspotObject *object,
             const Position        *position)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean tie_group = position->kind == AT_TIME ||
                       (position->kind == FROM_TIME && position->done_ids->len > 0);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "filterGroups");
  json_builder_begin_array (builder);
  if (position->kind != AT_TIME)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "filters");
      json_builder_begin_array (builder);
      add_filter (builder, object->modified,
                  tie_group || position->kind == PAST_TIME ? "GT" : "GTE", position->ms);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  if (tie_group)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "filters");
      json_builder_begin_array (builder);
      add_filter (builder, object->modified, "GTE", position->ms);
      add_filter (builder, object->modified, "LTE", position->ms);
      if (position->kind == AT_TIME)
        add_filter (builder, "hs_object_id", "GT", (gint64) position->after_id);
      else
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "propertyName");
          json_builder_add_string_value (builder, "hs_object_id");
          json_builder_set_member_name (builder, "operator");
          json_builder_add_string_value (builder, "NOT_IN");
          json_builder_set_member_name (builder, "values");
          json_builder_begin_array (builder);
          for (guint i = 0; i < position->done_ids->len; i++)
            json_builder_add_string_value (builder, position->done_ids->pdata[i]);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "sorts");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "propertyName");
  json_builder_add_string_value (builder,
                                 position->kind == AT_TIME ? "hs_object_id" : object->modified);
  json_builder_set_member_name (builder, "direction");
  json_builder_add_string_value (builder, "ASCENDING");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "properties");
  add_property_names (CP_CRM_BACKEND (self), object, builder);
  json_builder_set_member_name (builder, "limit");
  json_builder_add_int_value (builder, SEARCH_LIMIT);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* When the record was last modified, as search filters and sorts it. */
static gint64
record_modified_ms (const CpHubspotObject *object,
                    CpCrmRecord           *record)
{
  gint64 ms = parse_time_ms (g_hash_table_lookup (record->properties, object->modified));

  return ms >= 0 ? ms : parse_time_ms (record->updated_at);
}

/* Gives each record of a page its cursor, and returns where the next page
 * starts. FALSE when the answer breaks the query's order (the pull could
 * skip contacts or never end). */
static gboolean
place_page (const CpHubspotObject *object,
            const Position        *position,
            GPtrArray             *records,
            gboolean               more,
            Position              *next)
{
  g_autoptr(GPtrArray) trailing = g_ptr_array_new ();
  gint64 last_ms = position->ms;
  guint64 last_id = position->after_id;

  for (guint i = 0; i < records->len; i++)
    {
      CpCrmRecord *record = records->pdata[i];
      gint64 ms = record_modified_ms (object, record);
      char *end = NULL;
      guint64 id = g_ascii_strtoull (record->remote_id, &end, 10);

      if (ms < last_ms || (position->kind == PAST_TIME && ms == position->ms) || *end != '\0' ||
          (position->kind == AT_TIME && (ms != position->ms || id <= last_id)))
        return FALSE;
      if (ms != last_ms)
        g_ptr_array_set_size (trailing, 0);
      g_ptr_array_add (trailing, record);
      last_ms = ms;
      last_id = id;
      record->cursor = position->kind == AT_TIME ? cursor_text (ms, '2', id)
                                                 : cursor_text (ms, '0', 0);
    }

  next->ms = last_ms;
  if (position->kind == AT_TIME)
    {
      /* The millisecond is swept: on to what came after it. */
      next->kind = more && records->len > 0 ? AT_TIME : PAST_TIME;
      next->after_id = last_id;
      return TRUE;
    }
  if (records->len == 0)
    return TRUE;

  next->kind = FROM_TIME;
  if (last_ms == position->ms && position->kind == FROM_TIME)
    for (guint i = 0; i < position->done_ids->len; i++)
      g_ptr_array_add (next->done_ids, g_strdup (position->done_ids->pdata[i]));
  for (guint i = 0; i < trailing->len; i++)
    g_ptr_array_add (next->done_ids, g_strdup (((CpCrmRecord *) trailing->pdata[i])->remote_id));
  /* Alone in its millisecond: the cursor can say exactly that it is in. */
  if (next->done_ids->len == 1)
    {
      CpCrmRecord *last = records->pdata[records->len - 1];

      g_free (last->cursor);
      last->cursor = cursor_text (last_ms, '1', last_id);
    }
  if (next->done_ids->len > MAX_DONE_IDS)
    {
      next->kind = AT_TIME;
      next->after_id = 0;
      g_ptr_array_set_size (next->done_ids, 0);
    }
  return TRUE;
}

/* One page of contacts modified since @cursor (cursor_text(), or an older
 * one in plain ms). The page token (position_to_token()) is never
 * HubSpot's: it names the next query, so the engine may commit any page
 * and go on, and a crash resumes right after the committed cursor. */
CpCrmPage *
_cp_hubspot_search_page (CpHubspotBackend       *self,
                         const CpHubspotObject  *object,
                         const char             *cursor,
                         const char             *page_token,
                         GCancellable           *cancellable,
                         GError                **error)
{
  g_auto(Position) position = { FROM_TIME, 0, 0, g_ptr_array_new_with_free_func (g_free) };
  g_auto(Position) next = { FROM_TIME, 0, 0, g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(CpCrmPage) page = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  const char *what = NULL;
  gboolean more;

  if (page_token == NULL)
    position_from_cursor (self, cursor, &position);
  else if (!position_from_token (page_token, &position))
    {
      cp_crm_client_set_unexpected (self->client, error, _("a pull position it never gave"));
      return NULL;
    }

  body = search_body (self, object, &position);
  path = g_strconcat (object->path, "/search", NULL);
  root = cp_crm_client_request (self->client, "POST", path, body,
                                CP_CRM_REQUEST_SEARCH, NULL, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  page = _cp_hubspot_page_from_json (root, &what);
  if (page == NULL)
    {
      cp_crm_client_set_unexpected (self->client, error, what);
      return NULL;
    }

  /* Whether more pages follow; the token itself is HubSpot's business. */
  more = page->next_page != NULL && page->records->len > 0;
  g_clear_pointer (&page->next_page, g_free);
  if (!place_page (object, &position, page->records, more, &next))
    {
      cp_crm_client_set_unexpected (self->client, error,
                                    _("records out of the order the search asked for"));
      return NULL;
    }
  if (more || position.kind == AT_TIME)
    page->next_page = position_to_token (&next);
  return g_steal_pointer (&page);
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
      results = object_array (object, "results");
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
      after = g_strdup (next_after (object));
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
      JsonArray *ids = object_array (object_member (error, "context"), "ids");

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

static CpCrmSetup *hubspot_check_setup (CpCrmBackend  *backend,
                                        gboolean       create,
                                        GCancellable  *cancellable,
                                        GError       **error);
static gboolean    send_one_by_one     (CpHubspotBackend  *self,
                                        const BatchCall   *call,
                                        GPtrArray         *changes,
                                        GPtrArray         *results,
                                        GCancellable      *cancellable,
                                        GError           **error);

/* Without the id property every write fails, alone as in a batch: say
 * that, once, instead of sending a refused batch again input by input. */
static gboolean
require_id_property (CpHubspotBackend  *self,
                     GCancellable      *cancellable,
                     GError           **error)
{
  g_autoptr(CpCrmSetup) setup = NULL;

  if (self->setup_checked)
    return TRUE;
  setup = hubspot_check_setup (CP_CRM_BACKEND (self), FALSE, cancellable, error);
  if (setup == NULL)
    return FALSE;
  if (!cp_crm_setup_is_ready (setup))
    {
      g_set_error_literal (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED,
                           setup->missing->pdata[0]);
      return FALSE;
    }
  return TRUE;
}

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
      return (archive || require_id_property (self, cancellable, error)) &&
             send_one_by_one (self, call, changes, results, cancellable, error);
    }

  answers = object_array (cp_json_root_object (root), "results");
  errors = object_array (cp_json_root_object (root), "errors");
  for (guint i = 0; answers != NULL && i < json_array_get_length (answers); i++)
    {
      JsonNode *element = json_array_get_element (answers, i);
      g_autoptr(CpCrmRecord) record = JSON_NODE_HOLDS_OBJECT (element)
                                      ? record_from_json (json_node_get_object (element)) : NULL;
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

/* Single-line text with unique values, in the contact information group. */
#define ID_PROPERTY_DEFINITION \
  "{\"name\":\"" ID_PROPERTY "\",\"label\":\"Carepath ID\",\"type\":\"string\"," \
  "\"fieldType\":\"text\",\"groupName\":\"contactinformation\",\"hasUniqueValue\":true," \
  "\"description\":\"The lead's id in Carepath, set by its sync.\"}"

/* Carepath finds its contacts again by this property: it must exist and
 * hold unique values (it is the upsert's idProperty). With @create, a
 * missing one is created. */
static CpCrmSetup *
hubspot_check_setup (CpCrmBackend  *backend,
                     gboolean       create,
                     GCancellable  *cancellable,
                     GError       **error)
{
  CpHubspotBackend *self = CP_HUBSPOT_BACKEND (backend);
  g_autoptr(CpCrmSetup) setup = cp_crm_setup_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) created = NULL;
  JsonObject *property;
  JsonNode *unique;
  guint status = 0;

  root = cp_crm_client_request (self->client, "GET", PROPERTIES "/" ID_PROPERTY, NULL, 0, &status,
                                cancellable, &local_error);
  if (local_error != NULL && status != SOUP_STATUS_NOT_FOUND)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  property = cp_json_root_object (root);
  unique = property != NULL ? json_object_get_member (property, "hasUniqueValue") : NULL;
  if (local_error == NULL && property == NULL)
    {
      cp_crm_client_set_unexpected (self->client, error, _("a property without its definition"));
      return NULL;
    }
  if (property != NULL)
    {
      if (unique != NULL && JSON_NODE_HOLDS_VALUE (unique) &&
          json_node_get_value_type (unique) == G_TYPE_BOOLEAN && !json_node_get_boolean (unique))
        g_ptr_array_add (setup->missing,
                         g_strdup (_("The HubSpot contact property “carepath_id” does not require "
                                     "unique values, so HubSpot cannot find a contact by it. "
                                     "Delete it in HubSpot (Settings → Properties) and create it "
                                     "again with unique values, or let Carepath create it.")));
      else
        self->setup_checked = TRUE;
      return g_steal_pointer (&setup);
    }
  if (!create)
    {
      g_ptr_array_add (setup->missing,
                       g_strdup (_("HubSpot has no contact property “carepath_id”: Carepath keeps "
                                   "each lead’s id there to find its contact again, and every "
                                   "write needs it. Create it in HubSpot under Settings → "
                                   "Properties (single-line text, unique values), or let "
                                   "Carepath create it.")));
      return g_steal_pointer (&setup);
    }

  created = json_from_string (ID_PROPERTY_DEFINITION, NULL);
  g_clear_error (&local_error);
  g_clear_pointer (&root, json_node_unref);
  root = cp_crm_client_request (self->client, "POST", PROPERTIES, created, 0, NULL, cancellable,
                                &local_error);
  /* 409: made meanwhile, or by the first attempt of a replayed request. */
  if (local_error == NULL || g_error_matches (local_error, CP_SYNC_ERROR, CP_SYNC_ERROR_CONFLICT))
    {
      g_ptr_array_add (setup->created,
                       g_strdup (_("Created the HubSpot contact property “carepath_id” (unique "
                                   "values).")));
      self->setup_checked = TRUE;
    }
  else if (g_error_matches (local_error, CP_SYNC_ERROR, CP_SYNC_ERROR_FORBIDDEN))
    g_ptr_array_add (setup->missing,
                     g_strdup (_("HubSpot has no contact property “carepath_id”, and this access "
                                 "token may not create one (it lacks the "
                                 "crm.schemas.contacts.write scope). Create it in HubSpot under "
                                 "Settings → Properties: single-line text, internal name "
                                 "carepath_id, unique values.")));
  else
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&setup);
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
  iface->push_batch = hubspot_push_batch;
  iface->check_setup = hubspot_check_setup;
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
