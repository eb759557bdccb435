/* fake-hubspot.c — an in-process HubSpot CRM v3 contacts API, faults included
 *
 * Follows ../shared/spec/crm-sync.md §1: search with filter groups (ANDed
 * within, ORed across, at most 5), one sort, ties in no promised order, a
 * 10,000-result cap, at most 200 per page, ~5 searches a second; the
 * account's rolling request limit (429 past it, rate-limit headers on
 * every answer but search's); paging tokens as numbers or opaque strings;
 * batch upsert/update/archive (≤ 100) with 207 partial answers or a 404
 * for an unknown id; archived records only under archived=true;
 * forward-only lifecycle stages; 409 on duplicate email; the unique
 * carepath_id property, which can be missing and created. Runs in its own
 * thread and main context so a client can block on it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "fake-hubspot-marketing.h"
#include "fake-hubspot.h"
#include "fake-server.h"

#define SEARCH_CAP 10000
#define TOKEN "pat-test-0123456789"
#define ID_PROPERTY "carepath_id"

typedef struct
{
  char       *id;
  gint64      created_ms;
  gint64      updated_ms;
  gint64      archived_ms;
  guint       visible_after;      /* search number from which search finds it */
  GHashTable *properties;
  GPtrArray  *associations;       /* engagements: the contact ids it is associated with */
} Contact;

/* The records of one engagement type (calls, emails, meetings, notes). */
typedef struct
{
  GPtrArray  *records;            /* Contact, in creation order */
  GPtrArray  *sorted;             /* by (updated_ms, id), rebuilt when dirty */
  gboolean    dirty;
} Engagements;

struct _FakeHubspot
{
  FakeServer   *server;

  GPtrArray    *contacts;         /* Contact, in creation order */
  GHashTable   *by_id;
  GPtrArray    *sorted;           /* by (updated_ms, id), rebuilt when dirty */
  gboolean      dirty;
  guint         gdpr_deletes;     /* contacts deleted for good */
  guint64       next_id;
  gint64        clock_ms;
  GPtrArray    *stage_values;
  GPtrArray    *stage_labels;
  FakeStageRule stage_rule;
  FakeRateWindow *search_window;  /* the search endpoints' own limit */
  FakeRateWindow *request_window; /* TEN_SECONDLY_ROLLING: every request */
  guint         search_lag;
  guint         searches;
  guint64       search_served;    /* contacts answered by search, in all */
  GPtrArray    *search_bodies;    /* recorded when not NULL */
  gboolean      opaque_paging;
  guint         not_found_status; /* 207 or 404 for a batch naming an unknown id */
  FakeIdProperty id_property;
  gboolean      may_create_properties;
  GHashTable   *engagements;      /* type → Engagements */
  GPtrArray    *engagement_requests; /* "path\nbody" of engagement searches and association reads */
  FakeMarketing *marketing;      /* forms, submissions, marketing events */
};

static const char * const known_properties[] = {
  "firstname", "lastname", "email", "phone", "company", "jobtitle", "city", "zip",
  "lifecyclestage", ID_PROPERTY, "lastmodifieddate", "hs_lead_status", NULL
};

/* Whether a write may set @name: known, not read-only, and existing. */
static gboolean
property_writable (FakeHubspot *fake,
                   const char  *name)
{
  return g_strv_contains (known_properties, name) && !g_str_equal (name, "lastmodifieddate") &&
         (!g_str_equal (name, ID_PROPERTY) || fake->id_property != FAKE_ID_PROPERTY_MISSING);
}

static void
contact_free (Contact *contact)
{
  g_free (contact->id);
  g_hash_table_unref (contact->properties);
  g_clear_pointer (&contact->associations, g_ptr_array_unref);
  g_free (contact);
}

static void
engagements_free (Engagements *engagements)
{
  g_ptr_array_unref (engagements->sorted);
  g_ptr_array_unref (engagements->records);
  g_free (engagements);
}

static char *
iso_from_ms (gint64 ms)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (ms / 1000);
  g_autofree char *base = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, (int) (ms % 1000));
}

static gint64
tick (FakeHubspot *fake)
{
  fake->clock_ms += 1000;
  return fake->clock_ms;
}

static void
set_modified (FakeHubspot *fake,
              Contact     *contact,
              gint64       ms)
{
  contact->updated_ms = ms;
  contact->visible_after = fake->searches + fake->search_lag;
  g_hash_table_replace (contact->properties, g_strdup ("lastmodifieddate"), iso_from_ms (ms));
  fake->dirty = TRUE;
}

static void
touch (FakeHubspot *fake,
       Contact     *contact)
{
  set_modified (fake, contact, tick (fake));
}

static Contact *
contact_new (FakeHubspot *fake)
{
  Contact *contact = g_new0 (Contact, 1);

  contact->id = g_strdup_printf ("%" G_GUINT64_FORMAT, fake->next_id++);
  contact->properties = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  touch (fake, contact);
  contact->created_ms = contact->updated_ms;
  g_ptr_array_add (fake->contacts, contact);
  g_hash_table_insert (fake->by_id, contact->id, contact);
  return contact;
}

static Contact *
find_by_property (FakeHubspot *fake,
                  const char  *property,
                  const char  *value)
{
  for (guint i = 0; value != NULL && i < fake->contacts->len; i++)
    {
      Contact *contact = fake->contacts->pdata[i];
      const char *v = g_hash_table_lookup (contact->properties, property);

      if (contact->archived_ms == 0 && v != NULL && g_ascii_strcasecmp (v, value) == 0)
        return contact;
    }
  return NULL;
}

static int
compare_updated (gconstpointer a,
                 gconstpointer b)
{
  const Contact *x = *(Contact **) a;
  const Contact *y = *(Contact **) b;

  if (x->updated_ms != y->updated_ms)
    return x->updated_ms < y->updated_ms ? -1 : 1;
  /* HubSpot promises no order among ties: the newest id first here. */
  return strlen (x->id) != strlen (y->id) ? (strlen (x->id) > strlen (y->id) ? -1 : 1)
                                          : -strcmp (x->id, y->id);
}

static JsonNode *
contact_to_json (FakeHubspot *fake,
                 Contact     *contact,
                 const char * const *only)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *created = iso_from_ms (contact->created_ms);
  g_autofree char *updated = iso_from_ms (contact->updated_ms);
  GHashTableIter iter;
  gpointer key, value;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, contact->id);
  json_builder_set_member_name (builder, "properties");
  json_builder_begin_object (builder);
  if (only != NULL)
    for (guint i = 0; only[i] != NULL; i++)
      {
        json_builder_set_member_name (builder, only[i]);
        value = g_hash_table_lookup (contact->properties, only[i]);
        if (value != NULL)
          json_builder_add_string_value (builder, value);
        else
          json_builder_add_null_value (builder);
      }
  else
    {
      g_hash_table_iter_init (&iter, contact->properties);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          json_builder_set_member_name (builder, key);
          json_builder_add_string_value (builder, value);
        }
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "createdAt");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "updatedAt");
  json_builder_add_string_value (builder, updated);
  json_builder_set_member_name (builder, "archived");
  json_builder_add_boolean_value (builder, contact->archived_ms != 0);
  if (contact->archived_ms != 0)
    {
      g_autofree char *archived = iso_from_ms (contact->archived_ms);
      json_builder_set_member_name (builder, "archivedAt");
      json_builder_add_string_value (builder, archived);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonNode          *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *category,
               const char        *message)
{
  g_autofree char *body = NULL;
  g_autofree char *escaped = g_strescape (message, NULL);

  body = g_strdup_printf ("{\"status\":\"error\",\"message\":\"%s\",\"category\":\"%s\","
                          "\"correlationId\":\"fake-%u\"}", escaped, category,
                          g_str_hash (message) % 100000);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

static void
respond_not_found (SoupServerMessage *msg,
                   GPtrArray         *ids)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "error");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, "Could not get some CONTACT objects, they may be deleted "
                                 "or not exist. Check that ids are valid.");
  json_builder_set_member_name (builder, "context");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ids");
  json_builder_begin_array (builder);
  for (guint i = 0; i < ids->len; i++)
    json_builder_add_string_value (builder, ids->pdata[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "category");
  json_builder_add_string_value (builder, "OBJECT_NOT_FOUND");
  json_builder_set_member_name (builder, "correlationId");
  json_builder_add_string_value (builder, "fake-not-found");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  respond_json (msg, 404, root);
}

static JsonObject *
parse_request (SoupServerMessage *msg,
               JsonParser        *parser)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_node_get_object (json_parser_get_root (parser));
}

static const char *
json_string (JsonObject *object,
             const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

/* One filter of a search; HubSpot compares dates and ids as numbers. */
typedef struct
{
  const char *property;
  const char *operator;
  const char *value;
  JsonArray  *values;
} Filter;

static const char * const sortable[] = {
  "lastmodifieddate", "hs_lastmodifieddate", "hs_object_id", "createdate", NULL
};

static gboolean
is_modified_property (const char *name)
{
  return g_strcmp0 (name, "lastmodifieddate") == 0 || g_strcmp0 (name, "hs_lastmodifieddate") == 0;
}

static const char * const operators[] = {
  "EQ", "NEQ", "GT", "GTE", "LT", "LTE", "IN", "NOT_IN", "HAS_PROPERTY", "NOT_HAS_PROPERTY", NULL
};

static gboolean
contact_number (Contact    *contact,
                const char *property,
                gint64     *out)
{
  if (is_modified_property (property))
    *out = contact->updated_ms;
  else if (g_str_equal (property, "createdate"))
    *out = contact->created_ms;
  else if (g_str_equal (property, "hs_object_id"))
    *out = g_ascii_strtoll (contact->id, NULL, 10);
  else
    return FALSE;
  return TRUE;
}

static gboolean
filter_matches (Contact      *contact,
                const Filter *filter)
{
  const char *op = filter->operator;
  const char *text = g_hash_table_lookup (contact->properties, filter->property);
  gint64 have = 0, want;
  gboolean numeric = contact_number (contact, filter->property, &have);

  if (g_str_equal (op, "HAS_PROPERTY") || g_str_equal (op, "NOT_HAS_PROPERTY"))
    return (numeric || text != NULL) == g_str_equal (op, "HAS_PROPERTY");
  if (g_str_equal (op, "IN") || g_str_equal (op, "NOT_IN"))
    {
      gboolean found = FALSE;

      for (guint i = 0; i < json_array_get_length (filter->values) && !found; i++)
        {
          const char *value = json_array_get_string_element (filter->values, i);

          found =
              value != NULL && (numeric ? g_ascii_strtoll (value, NULL, 10) == have
                                        : text != NULL && g_ascii_strcasecmp (text, value) == 0);
        }
      return found == g_str_equal (op, "IN");
    }
  if (!numeric)
    return (text != NULL && g_ascii_strcasecmp (text, filter->value) == 0) ==
           g_str_equal (op, "EQ");
  want = g_ascii_strtoll (filter->value, NULL, 10);
  return g_str_equal (op, "EQ") ? have == want : g_str_equal (op, "NEQ") ? have != want
       : g_str_equal (op, "GT") ? have > want : g_str_equal (op, "GTE") ? have >= want
       : g_str_equal (op, "LT") ? have < want : have <= want;
}

/* Reads the filter groups; NULL (answered 400) when HubSpot would refuse them. */
static GPtrArray *
parse_filter_groups (SoupServerMessage *msg,
                     JsonObject        *request,
                     gint64            *out_modified_from)
{
  JsonArray *groups = json_object_has_member (request, "filterGroups")
                      ? json_object_get_array_member (request, "filterGroups") : NULL;
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  guint n_filters = 0;

  *out_modified_from = G_MAXINT64;
  if (groups != NULL && json_array_get_length (groups) > 5)
    {
      respond_error (msg, 400, "VALIDATION_ERROR", "Too many filter groups (at most 5).");
      return NULL;
    }
  for (guint g = 0; groups != NULL && g < json_array_get_length (groups); g++)
    {
      JsonObject *group = json_array_get_object_element (groups, g);
      JsonArray *filters = group != NULL && json_object_has_member (group, "filters")
                           ? json_object_get_array_member (group, "filters") : NULL;
      GArray *compiled = g_array_new (FALSE, FALSE, sizeof (Filter));
      gint64 from = 0;

      g_ptr_array_add (parsed, compiled);
      n_filters += filters != NULL ? json_array_get_length (filters) : 0;
      if (filters == NULL || json_array_get_length (filters) > 6 || n_filters > 18)
        {
          respond_error (msg, 400, "VALIDATION_ERROR", "Each filter group needs 1 to 6 filters, "
                         "18 in all.");
          return NULL;
        }
      for (guint f = 0; f < json_array_get_length (filters); f++)
        {
          JsonObject *object = json_array_get_object_element (filters, f);
          Filter filter = { json_string (object, "propertyName"), json_string (object, "operator"),
                            json_string (object, "value"),
                            object != NULL && json_object_has_member (object, "values")
                            ? json_object_get_array_member (object, "values") : NULL };
          gboolean list = g_strcmp0 (filter.operator, "IN") == 0 ||
                          g_strcmp0 (filter.operator, "NOT_IN") == 0;

          if (filter.property == NULL || filter.operator == NULL ||
              !g_strv_contains (operators, filter.operator) ||
              (list ? filter.values == NULL
                    : filter.value == NULL && !g_str_has_suffix (filter.operator, "HAS_PROPERTY")))
            {
              respond_error (msg, 400, "VALIDATION_ERROR", "Invalid filter.");
              return NULL;
            }
          g_array_append_val (compiled, filter);
          if (is_modified_property (filter.property) &&
              (g_str_equal (filter.operator, "GT") || g_str_equal (filter.operator, "GTE") ||
               g_str_equal (filter.operator, "EQ")))
            from = MAX (from, g_ascii_strtoll (filter.value, NULL, 10));
        }
      *out_modified_from = MIN (*out_modified_from, from);
    }
  if (parsed->len == 0)
    *out_modified_from = 0;
  return g_steal_pointer (&parsed);
}

static gboolean
groups_match (GPtrArray *groups,
              Contact   *contact)
{
  for (guint g = 0; g < groups->len; g++)
    {
      GArray *filters = groups->pdata[g];
      gboolean all = TRUE;

      for (guint f = 0; f < filters->len && all; f++)
        all = filter_matches (contact, &g_array_index (filters, Filter, f));
      if (all)
        return TRUE;
    }
  return groups->len == 0;
}

static void
add_paging (JsonBuilder *builder,
            FakeHubspot *fake,
            guint64      position)
{
  g_autofree char *next = fake_paging_token_new (position, fake->opaque_paging);

  json_builder_set_member_name (builder, "paging");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "next");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "after");
  json_builder_add_string_value (builder, next);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static void
handle_search (FakeHubspot       *fake,
               SoupServerMessage *msg,
               GPtrArray         *records,
               GPtrArray         *sorted,
               gboolean          *dirty)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) properties = g_ptr_array_new ();
  g_autoptr(GPtrArray) groups = NULL;
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  JsonObject *request;
  JsonArray *sorts;
  JsonObject *sort;
  GPtrArray *order;
  gint64 modified_from = 0;
  guint64 after = 0;
  guint limit = 10;
  guint total = 0, emitted = 0, first = 0;
  gboolean by_modified, descending;

  /* ~5 searches per second per account; no rate-limit headers on search. */
  if (!fake_rate_window_admit (fake->search_window))
    {
      respond_error (msg, 429, "RATE_LIMITS", "You have reached your secondly limit.");
      return;
    }
  if (request_body->length > 3000)
    {
      respond_error (msg, 400, "VALIDATION_ERROR", "Request body exceeds 3000 characters.");
      return;
    }
  request = parse_request (msg, parser);
  if (request == NULL)
    {
      respond_error (msg, 400, "VALIDATION_ERROR", "Invalid input JSON.");
      return;
    }
  fake->searches++;
  if (fake->search_bodies != NULL && records == fake->contacts)
    g_ptr_array_add (fake->search_bodies, g_strndup (request_body->data, request_body->length));
  else if (fake->engagement_requests != NULL && records != fake->contacts)
    g_ptr_array_add (fake->engagement_requests,
                     g_strdup_printf ("%s\n%.*s",
                                      g_uri_get_path (soup_server_message_get_uri (msg)),
                                      (int) request_body->length, request_body->data));

  groups = parse_filter_groups (msg, request, &modified_from);
  if (groups == NULL)
    return;
  sorts = json_object_has_member (request, "sorts")
          ? json_object_get_array_member (request, "sorts") : NULL;
  sort = sorts != NULL && json_array_get_length (sorts) == 1
         ? json_array_get_object_element (sorts, 0) : NULL;
  if ((sorts != NULL && json_array_get_length (sorts) > 1) ||
      (sort != NULL && !g_strv_contains (sortable, json_string (sort, "propertyName") != NULL
                                                   ? json_string (sort, "propertyName") : "")))
    {
      respond_error (msg, 400, "VALIDATION_ERROR", "One sort, on a supported property.");
      return;
    }
  by_modified = is_modified_property (json_string (sort, "propertyName"));
  descending = g_strcmp0 (json_string (sort, "direction"), "DESCENDING") == 0;
  if (json_object_has_member (request, "limit"))
    limit = json_object_get_int_member (request, "limit");
  if (limit > 200)
    {
      respond_error (msg, 400, "VALIDATION_ERROR", "limit must be at most 200.");
      return;
    }
  if (json_string (request, "after") != NULL &&
      !fake_paging_token_parse (json_string (request, "after"), fake->opaque_paging, &after))
    {
      respond_error (msg, 400, "VALIDATION_ERROR", "Invalid paging token.");
      return;
    }
  if (after >= SEARCH_CAP)
    {
      respond_error (msg, 400, "VALIDATION_ERROR",
                     "Paging past 10000 results is not supported; refine the query.");
      return;
    }
  if (json_object_has_member (request, "properties"))
    {
      JsonArray *names = json_object_get_array_member (request, "properties");
      for (guint i = 0; i < json_array_get_length (names); i++)
        g_ptr_array_add (properties, (gpointer) json_array_get_string_element (names, i));
    }
  g_ptr_array_add (properties, NULL);

  if (*dirty)
    {
      g_ptr_array_set_size (sorted, 0);
      for (guint i = 0; i < records->len; i++)
        g_ptr_array_add (sorted, records->pdata[i]);
      g_ptr_array_sort (sorted, compare_updated);
      *dirty = FALSE;
    }
  /* Records are made in id order; by date, skip what no group can match. */
  order = by_modified ? sorted : records;
  if (by_modified && !descending)
    {
      guint hi = order->len;

      while (first < hi)
        {
          guint mid = (first + hi) / 2;
          if (((Contact *) order->pdata[mid])->updated_ms < modified_from)
            first = mid + 1;
          else
            hi = mid;
        }
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = first; i < order->len; i++)
    {
      Contact *contact = order->pdata[descending ? order->len - 1 - i : i];

      if (contact->archived_ms != 0 || contact->visible_after > fake->searches ||
          !groups_match (groups, contact))
        continue;
      if (total >= after && emitted < limit)
        {
          json_builder_add_value (builder,
                                  contact_to_json (fake, contact,
                                                   (const char * const *) properties->pdata));
          emitted++;
        }
      total++;
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, total);
  if (after + emitted < total)
    add_paging (builder, fake, after + emitted);
  json_builder_end_object (builder);
  fake->search_served += emitted;

  root = json_builder_get_root (builder);
  respond_json (msg, 200, root);
}

static void
handle_list (FakeHubspot       *fake,
             SoupServerMessage *msg,
             GHashTable        *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean archived = query != NULL &&
                      g_strcmp0 (g_hash_table_lookup (query, "archived"), "true") == 0;
  guint limit = query != NULL && g_hash_table_lookup (query, "limit")
                ? MIN (100, atoi (g_hash_table_lookup (query, "limit"))) : 10;
  const char *token = query != NULL ? g_hash_table_lookup (query, "after") : NULL;
  guint64 after = 0;
  guint64 next = 0;
  guint emitted = 0;

  if (token != NULL && !fake_paging_token_parse (token, fake->opaque_paging, &after))
    {
      respond_error (msg, 400, "VALIDATION_ERROR", "Invalid paging token.");
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < fake->contacts->len; i++)
    {
      Contact *contact = fake->contacts->pdata[i];
      guint64 id = g_ascii_strtoull (contact->id, NULL, 10);

      if ((contact->archived_ms != 0) != archived || id < after)
        continue;
      if (emitted == limit)
        {
          next = id;
          break;
        }
      json_builder_add_value (builder, contact_to_json (fake, contact, NULL));
      emitted++;
    }
  json_builder_end_array (builder);
  if (next != 0)
    add_paging (builder, fake, next);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  respond_json (msg, 200, root);
}

static int
stage_order (FakeHubspot *fake,
             const char  *value)
{
  for (guint i = 0; value != NULL && i < fake->stage_values->len; i++)
    if (g_strcmp0 (fake->stage_values->pdata[i], value) == 0)
      return i + 1;
  return 0;
}

/* Validates then writes one input's properties. Returns an error message or NULL. */
static char *
write_properties (FakeHubspot *fake,
                  Contact     *contact,
                  JsonObject  *properties,
                  gboolean     dry_run)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, properties);
  while (json_object_iter_next (&iter, &name, &node))
    {
      const char *value = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;

      if (!property_writable (fake, name))
        return g_strdup_printf ("Property \"%s\" does not exist or is read-only", name);
      if (g_str_equal (name, "lifecyclestage") && value != NULL && *value != '\0')
        {
          const char *current = contact != NULL
                                ? g_hash_table_lookup (contact->properties, name) : NULL;

          if (stage_order (fake, value) == 0)
            return g_strdup_printf ("%s was not one of the allowed options", value);
          if (current != NULL && stage_order (fake, value) < stage_order (fake, current))
            {
              if (fake->stage_rule == FAKE_STAGE_BACKWARD_REFUSED)
                return g_strdup_printf ("lifecyclestage cannot move backward from %s", current);
              if (fake->stage_rule == FAKE_STAGE_BACKWARD_IGNORED && !dry_run)
                continue;
            }
        }
      if (dry_run)
        continue;
      if (value == NULL || *value == '\0')
        g_hash_table_remove (contact->properties, name);
      else
        g_hash_table_replace (contact->properties, g_strdup (name), g_strdup (value));
    }

  return NULL;
}

static void
handle_batch (FakeHubspot       *fake,
              SoupServerMessage *msg,
              const char        *kind,
              int                fail_index)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) error_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) done = g_ptr_array_new ();
  JsonObject *request = parse_request (msg, parser);
  JsonArray *inputs = request != NULL && json_object_has_member (request, "inputs")
                      ? json_object_get_array_member (request, "inputs") : NULL;
  gboolean archive = g_str_equal (kind, "archive");
  gboolean upsert = g_str_equal (kind, "upsert");

  if (inputs == NULL || json_array_get_length (inputs) > 100)
    {
      respond_error (msg, 400, "VALIDATION_ERROR", "inputs must hold 1 to 100 entries");
      return;
    }
  if (upsert && fake->id_property != FAKE_ID_PROPERTY_UNIQUE)
    {
      respond_error (msg, 400, "VALIDATION_ERROR",
                     "The idProperty carepath_id is not a unique property of contacts.");
      return;
    }
  /* Some accounts refuse a batch naming an unknown id whole. */
  if (!upsert && fake->not_found_status == 404)
    {
      g_autoptr(GPtrArray) unknown = g_ptr_array_new ();

      for (guint i = 0; i < json_array_get_length (inputs); i++)
        {
          const char *id = json_string (json_array_get_object_element (inputs, i), "id");
          Contact *contact = g_hash_table_lookup (fake->by_id, id != NULL ? id : "");

          if (contact == NULL || (contact->archived_ms != 0 && !archive))
            g_ptr_array_add (unknown, (gpointer) (id != NULL ? id : ""));
        }
      if (unknown->len > 0)
        {
          respond_not_found (msg, unknown);
          return;
        }
    }

  /* Whole-batch checks first: nothing is written when they fail. */
  for (guint i = 0; !archive && i < json_array_get_length (inputs); i++)
    {
      JsonObject *input = json_array_get_object_element (inputs, i);
      JsonObject *properties = json_object_get_object_member (input, "properties");
      g_autofree char *problem = NULL;
      const char *email = json_string (properties, "email");
      Contact *same_email = find_by_property (fake, "email", email);
      Contact *existing = upsert ? find_by_property (fake, "carepath_id", json_string (input, "id"))
                                 : g_hash_table_lookup (fake->by_id, json_string (input, "id"));

      if (properties == NULL)
        continue;
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *node;
        json_object_iter_init (&iter, properties);
        while (json_object_iter_next (&iter, &name, &node))
          if (!property_writable (fake, name))
            problem = g_strdup_printf ("Property values were not valid: \"%s\" does not exist "
                                       "or is read-only", name);
      }
      if (problem != NULL)
        {
          respond_error (msg, 400, "VALIDATION_ERROR", problem);
          return;
        }
      if (same_email != NULL && same_email != existing)
        {
          g_autofree char *message = g_strdup_printf ("Contact already exists. Existing ID: %s",
                                                      same_email->id);
          respond_error (msg, 409, "CONFLICT", message);
          return;
        }
    }

  for (guint i = 0; i < json_array_get_length (inputs); i++)
    {
      JsonObject *input = json_array_get_object_element (inputs, i);
      JsonObject *properties = json_object_has_member (input, "properties")
                               ? json_object_get_object_member (input, "properties") : NULL;
      const char *id = json_string (input, "id");
      Contact *contact = upsert ? find_by_property (fake, "carepath_id", id)
                                : g_hash_table_lookup (fake->by_id, id ? id : "");
      g_autofree char *problem = NULL;

      if ((int) i == fail_index)
        problem = g_strdup ("Property values were not valid (injected)");
      else if (!upsert && (contact == NULL || (contact->archived_ms != 0 && !archive)))
        problem = g_strdup_printf ("Object %s not found", id ? id : "");
      else if (properties != NULL)
        problem = write_properties (fake, contact, properties, TRUE);

      if (problem != NULL)
        {
          g_ptr_array_add (errors, g_steal_pointer (&problem));
          g_ptr_array_add (error_ids, g_strdup (id));
          continue;
        }
      if (archive)
        {
          if (contact->archived_ms == 0)
            contact->archived_ms = tick (fake);
          fake->dirty = TRUE;
          continue;
        }
      if (contact == NULL)
        {
          contact = contact_new (fake);
          g_hash_table_replace (contact->properties, g_strdup ("carepath_id"), g_strdup (id));
        }
      write_properties (fake, contact, properties, FALSE);
      touch (fake, contact);
      g_ptr_array_add (done, contact);
    }

  if (archive && errors->len == 0)
    {
      soup_server_message_set_status (msg, 204, NULL);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "COMPLETE");
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < done->len; i++)
    json_builder_add_value (builder, contact_to_json (fake, done->pdata[i], NULL));
  json_builder_end_array (builder);
  if (errors->len > 0)
    {
      json_builder_set_member_name (builder, "numErrors");
      json_builder_add_int_value (builder, errors->len);
      json_builder_set_member_name (builder, "errors");
      json_builder_begin_array (builder);
      for (guint i = 0; i < errors->len; i++)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder, "error");
          json_builder_set_member_name (builder, "category");
          json_builder_add_string_value (builder, "VALIDATION_ERROR");
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, errors->pdata[i]);
          json_builder_set_member_name (builder, "context");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "ids");
          json_builder_begin_array (builder);
          json_builder_add_string_value (builder, error_ids->pdata[i]);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  respond_json (msg, errors->len > 0 ? 207 : 200, root);
}

static void
handle_stage_property (FakeHubspot       *fake,
                       SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "lifecyclestage");
  json_builder_set_member_name (builder, "options");
  json_builder_begin_array (builder);
  for (guint i = 0; i < fake->stage_values->len; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, fake->stage_labels->pdata[i]);
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, fake->stage_values->pdata[i]);
      json_builder_set_member_name (builder, "displayOrder");
      json_builder_add_int_value (builder, i);
      json_builder_set_member_name (builder, "hidden");
      json_builder_add_boolean_value (builder, FALSE);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  respond_json (msg, 200, root);
}

static JsonNode *
id_property_json (FakeHubspot *fake)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text =
      g_strdup_printf ("{\"name\":\"" ID_PROPERTY "\",\"label\":\"Carepath ID\","
                       "\"type\":\"string\",\"fieldType\":\"text\","
                       "\"groupName\":\"contactinformation\","
                       "\"hasUniqueValue\":%s}",
                       fake->id_property == FAKE_ID_PROPERTY_UNIQUE ? "true" : "false");

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_node_ref (json_parser_get_root (parser));
}

/* The carepath_id property: read it, or create it (the only one this fake makes). */
static void
handle_id_property (FakeHubspot       *fake,
                    SoupServerMessage *msg,
                    gboolean           create)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonObject *request = create ? parse_request (msg, parser) : NULL;
  JsonNode *unique = request != NULL ? json_object_get_member (request, "hasUniqueValue") : NULL;

  if (!create && fake->id_property == FAKE_ID_PROPERTY_MISSING)
    respond_error (msg, 404, "OBJECT_NOT_FOUND",
                   "Unable to find property " ID_PROPERTY " for object type 0-1");
  else if (!create)
    {
      root = id_property_json (fake);
      respond_json (msg, 200, root);
    }
  else if (!fake->may_create_properties)
    respond_error (msg, 403, "MISSING_SCOPES",
                   "This app hasn't been granted all required scopes to make this call.");
  else if (fake->id_property != FAKE_ID_PROPERTY_MISSING)
    respond_error (msg, 409, "CONFLICT", "A property named '" ID_PROPERTY "' already exists.");
  else if (g_strcmp0 (json_string (request, "name"), ID_PROPERTY) != 0 ||
           g_strcmp0 (json_string (request, "type"), "string") != 0 ||
           g_strcmp0 (json_string (request, "fieldType"), "text") != 0 ||
           g_strcmp0 (json_string (request, "groupName"), "contactinformation") != 0 ||
           json_string (request, "label") == NULL)
    respond_error (msg, 400, "VALIDATION_ERROR", "Invalid property definition.");
  else
    {
      fake->id_property = unique != NULL && JSON_NODE_HOLDS_VALUE (unique) &&
                          json_node_get_boolean (unique)
                          ? FAKE_ID_PROPERTY_UNIQUE : FAKE_ID_PROPERTY_NOT_UNIQUE;
      root = id_property_json (fake);
      respond_json (msg, 201, root);
    }
}

/* POST contacts/gdpr-delete {"objectId": id}: gone for good, not in the
 * archived list either; 204 with no body; an unknown id is 404. */
static void
handle_gdpr_delete (FakeHubspot       *fake,
                    SoupServerMessage *msg)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *request = parse_request (msg, parser);
  const char *id = json_string (request, "objectId");
  Contact *contact = id != NULL ? g_hash_table_lookup (fake->by_id, id) : NULL;

  if (request == NULL || id == NULL)
    respond_error (msg, 400, "VALIDATION_ERROR", "objectId is required.");
  else if (contact == NULL)
    respond_error (msg, 404, "OBJECT_NOT_FOUND", "Object not found.");
  else
    {
      g_hash_table_remove (fake->by_id, id);
      g_ptr_array_remove (fake->contacts, contact);
      fake->dirty = TRUE;
      fake->gdpr_deletes++;
      soup_server_message_set_status (msg, 204, NULL);
    }
}

static const char * const engagement_types[] = { "calls", "emails", "meetings", "notes" };

static Contact *
find_engagement (FakeHubspot *fake,
                 const char  *type,
                 const char  *id)
{
  Engagements *engagements = g_hash_table_lookup (fake->engagements, type);

  for (guint i = 0; engagements != NULL && i < engagements->records->len; i++)
    if (g_str_equal (((Contact *) engagements->records->pdata[i])->id, id))
      return engagements->records->pdata[i];
  return NULL;
}

/* POST /crm/v4/associations/{type}/contacts/batch/read: each input's
 * contacts ("toObjectId" a number); an input with none is an error of
 * the answer (207), as HubSpot does. */
static void
handle_associations (FakeHubspot       *fake,
                     SoupServerMessage *msg,
                     const char        *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *type = g_strndup (path + strlen ("/crm/v4/associations/"),
                                     strlen (path) - strlen ("/crm/v4/associations/"
                                                             "/contacts/batch/read"));
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  JsonObject *request = parse_request (msg, parser);
  JsonArray *inputs = request != NULL && json_object_has_member (request, "inputs")
                      ? json_object_get_array_member (request, "inputs") : NULL;
  guint errors = 0;

  if (inputs == NULL || json_array_get_length (inputs) > 1000)
    {
      respond_error (msg, 400, "VALIDATION_ERROR", "1 to 1000 inputs.");
      return;
    }
  if (fake->engagement_requests != NULL)
    g_ptr_array_add (fake->engagement_requests,
                     g_strdup_printf ("%s\n%.*s", path, (int) request_body->length,
                                      request_body->data));
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "COMPLETE");
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < json_array_get_length (inputs); i++)
    {
      const char *id = json_string (json_array_get_object_element (inputs, i), "id");
      Contact *engagement = id != NULL ? find_engagement (fake, type, id) : NULL;

      if (engagement == NULL || engagement->associations == NULL ||
          engagement->associations->len == 0)
        {
          errors++;
          continue;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "from");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, engagement->id);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "to");
      json_builder_begin_array (builder);
      for (guint j = 0; j < engagement->associations->len; j++)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "toObjectId");
          json_builder_add_int_value (builder, g_ascii_strtoll (engagement->associations->pdata[j],
                                                                NULL, 10));
          json_builder_set_member_name (builder, "associationTypes");
          json_builder_begin_array (builder);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "numErrors");
  json_builder_add_int_value (builder, errors);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  respond_json (msg, errors > 0 ? 207 : 200, root);
}

static void
handle_request (FakeHubspot       *fake,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (path, "/crm/v3/properties/contacts/lifecyclestage") &&
      g_str_equal (method, "GET"))
    handle_stage_property (fake, msg);
  else if (g_str_equal (path, "/crm/v3/properties/contacts/" ID_PROPERTY) &&
           g_str_equal (method, "GET"))
    handle_id_property (fake, msg, FALSE);
  else if (g_str_equal (path, "/crm/v3/properties/contacts") && g_str_equal (method, "POST"))
    handle_id_property (fake, msg, TRUE);
  else if (g_str_equal (path, "/crm/v3/objects/contacts/search") && g_str_equal (method, "POST"))
    handle_search (fake, msg, fake->contacts, fake->sorted, &fake->dirty);
  else if (g_str_has_prefix (path, "/crm/v3/objects/") && g_str_has_suffix (path, "/search") &&
           g_str_equal (method, "POST"))
    {
      g_autofree char *type = g_strndup (path + strlen ("/crm/v3/objects/"),
                                         strlen (path) - strlen ("/crm/v3/objects//search"));
      Engagements *engagements = g_hash_table_lookup (fake->engagements, type);

      if (engagements == NULL)
        respond_error (msg, 400, "VALIDATION_ERROR", "Unknown object type.");
      else
        handle_search (fake, msg, engagements->records, engagements->sorted,
                       &engagements->dirty);
    }
  else if (g_str_has_prefix (path, "/crm/v4/associations/") &&
           g_str_has_suffix (path, "/contacts/batch/read") && g_str_equal (method, "POST"))
    handle_associations (fake, msg, path);
  else if (g_str_equal (path, "/crm/v3/objects/contacts/gdpr-delete") &&
           g_str_equal (method, "POST"))
    handle_gdpr_delete (fake, msg);
  else if (g_str_equal (path, "/crm/v3/objects/contacts") && g_str_equal (method, "GET"))
    handle_list (fake, msg, query);
  else if (g_str_has_prefix (path, "/crm/v3/objects/contacts/batch/") &&
           g_str_equal (method, "POST"))
    {
      const char *kind = path + strlen ("/crm/v3/objects/contacts/batch/");
      int fail_index = fake_server_take_input_fault (fake->server, path);
      if (g_str_equal (kind, "upsert") || g_str_equal (kind, "update") ||
          g_str_equal (kind, "archive"))
        handle_batch (fake, msg, kind, fail_index);
      else
        respond_error (msg, 404, "OBJECT_NOT_FOUND", "Unknown batch operation");
    }
  else if (!fake_marketing_handle (fake->marketing, msg, path, query))
    respond_error (msg, 404, "OBJECT_NOT_FOUND", "Not found");
}

static void
api_cb (SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  FakeHubspot *fake = user_data;
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  FakeRateWindow *window = fake->request_window;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *max = NULL;
  g_autofree char *remaining = NULL;
  g_autofree char *interval = NULL;

  if (g_strcmp0 (auth, "Bearer " TOKEN) != 0)
    {
      respond_error (msg, 401, "INVALID_AUTHENTICATION", "Authentication credentials not found.");
      return;
    }
  if (!fake_rate_window_admit (window))
    {
      static const char body[] = "{\"status\":\"error\",\"message\":\"You have reached your "
                                 "ten_secondly_rolling limit.\",\"errorType\":\"RATE_LIMIT\","
                                 "\"policyName\":\"TEN_SECONDLY_ROLLING\","
                                 "\"correlationId\":\"fake-429\"}";

      soup_server_message_set_status (msg, 429, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                        strlen (body));
      return;
    }
  handle_request (fake, msg, path, query);

  /* The account's limit in every answer but search's. */
  if (fake_rate_window_max (window) == 0 || g_str_has_suffix (path, "/search"))
    return;
  max = g_strdup_printf ("%u", fake_rate_window_max (window));
  remaining = g_strdup_printf ("%u", fake_rate_window_remaining (window));
  interval = g_strdup_printf ("%u", fake_rate_window_interval_ms (window));
  soup_message_headers_replace (headers, "X-HubSpot-RateLimit-Max", max);
  soup_message_headers_replace (headers, "X-HubSpot-RateLimit-Remaining", remaining);
  soup_message_headers_replace (headers, "X-HubSpot-RateLimit-Interval-Milliseconds", interval);
  soup_message_headers_replace (headers, "X-HubSpot-RateLimit-Daily", "500000");
  soup_message_headers_replace (headers, "X-HubSpot-RateLimit-Daily-Remaining", "499000");
}

FakeHubspot *
fake_hubspot_new (void)
{
  static const char * const values[] = {
    "subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity",
    "customer", "evangelist", "other"
  };
  static const char * const labels[] = {
    "Subscriber", "Lead", "Marketing Qualified Lead", "Sales Qualified Lead", "Opportunity",
    "Customer", "Evangelist", "Other"
  };
  FakeHubspot *fake = g_new0 (FakeHubspot, 1);

  fake->contacts = g_ptr_array_new_with_free_func ((GDestroyNotify) contact_free);
  fake->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  fake->sorted = g_ptr_array_new ();
  fake->stage_values = g_ptr_array_new_with_free_func (g_free);
  fake->stage_labels = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_ptr_array_add (fake->stage_values, g_strdup (values[i]));
      g_ptr_array_add (fake->stage_labels, g_strdup (labels[i]));
    }
  fake->stage_rule = FAKE_STAGE_BACKWARD_REFUSED;
  fake->search_window = fake_rate_window_new (0, 1000);
  fake->request_window = fake_rate_window_new (190, 10000);
  fake->not_found_status = 207;
  fake->id_property = FAKE_ID_PROPERTY_UNIQUE;
  fake->may_create_properties = TRUE;
  fake->next_id = 1001;
  fake->clock_ms = G_GINT64_CONSTANT (1700000000000);
  fake->engagements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) engagements_free);
  for (guint i = 0; i < G_N_ELEMENTS (engagement_types); i++)
    {
      Engagements *engagements = g_new0 (Engagements, 1);

      engagements->records = g_ptr_array_new_with_free_func ((GDestroyNotify) contact_free);
      engagements->sorted = g_ptr_array_new ();
      g_hash_table_insert (fake->engagements, g_strdup (engagement_types[i]), engagements);
    }
  fake->marketing = fake_marketing_new ();
  fake->server = fake_server_new (api_cb, fake);

  return fake;
}

void
fake_hubspot_free (FakeHubspot *fake)
{
  fake_server_free (fake->server);
  fake_rate_window_free (fake->search_window);
  fake_rate_window_free (fake->request_window);
  g_clear_pointer (&fake->search_bodies, g_ptr_array_unref);
  g_ptr_array_unref (fake->sorted);
  g_hash_table_unref (fake->by_id);
  g_ptr_array_unref (fake->contacts);
  g_ptr_array_unref (fake->stage_values);
  g_ptr_array_unref (fake->stage_labels);
  g_hash_table_unref (fake->engagements);
  g_clear_pointer (&fake->engagement_requests, g_ptr_array_unref);
  fake_marketing_free (fake->marketing);
  g_free (fake);
}

const char *
fake_hubspot_get_url (FakeHubspot *fake)
{
  return fake_server_get_url (fake->server);
}

const char *
fake_hubspot_get_token (FakeHubspot *fake)
{
  return TOKEN;
}

static void
fill_generated (FakeHubspot *fake,
                Contact     *contact)
{
  guint k = fake->contacts->len;

  g_hash_table_insert (contact->properties, g_strdup ("firstname"), g_strdup_printf ("First%u", k));
  g_hash_table_insert (contact->properties, g_strdup ("lastname"), g_strdup_printf ("Last%u", k));
  g_hash_table_insert (contact->properties, g_strdup ("email"),
                       g_strdup_printf ("contact%u@example.org", k));
  g_hash_table_insert (contact->properties, g_strdup ("company"),
                       g_strdup_printf ("Clinic %u", k % 97));
  g_hash_table_insert (contact->properties, g_strdup ("city"), g_strdup ("Springfield"));
  g_hash_table_insert (contact->properties, g_strdup ("lifecyclestage"), g_strdup ("lead"));
}

/* @n contacts, each modified a second after the one before. */
void
fake_hubspot_add_generated (FakeHubspot *fake,
                            guint        n)
{
  fake_server_lock (fake->server);
  for (guint i = 0; i < n; i++)
    fill_generated (fake, contact_new (fake));
  fake_server_unlock (fake->server);
}

/**
 * fake_hubspot_add_generated_within:
 * @span_ms: the modification times spread evenly over this; 0 gives them all one time
 *
 * @n contacts made at once, as by an import or a workflow.
 */
void
fake_hubspot_add_generated_within (FakeHubspot *fake,
                                   guint        n,
                                   guint        span_ms)
{
  gint64 start;

  fake_server_lock (fake->server);
  start = fake->clock_ms + 1000;
  for (guint i = 0; i < n; i++)
    {
      Contact *contact = contact_new (fake);

      fill_generated (fake, contact);
      contact->created_ms = start + (gint64) span_ms * i / n;
      set_modified (fake, contact, contact->created_ms);
    }
  fake->clock_ms = start + span_ms;
  fake_server_unlock (fake->server);
}

/* A workflow: every live contact gets @property = @value, all within @span_ms. */
void
fake_hubspot_edit_all_within (FakeHubspot *fake,
                              const char  *property,
                              const char  *value,
                              guint        span_ms)
{
  gint64 start;

  fake_server_lock (fake->server);
  start = fake->clock_ms + 1000;
  for (guint i = 0; i < fake->contacts->len; i++)
    {
      Contact *contact = fake->contacts->pdata[i];

      if (contact->archived_ms != 0)
        continue;
      g_hash_table_replace (contact->properties, g_strdup (property), g_strdup (value));
      set_modified (fake, contact, start + (gint64) span_ms * i / fake->contacts->len);
    }
  fake->clock_ms = start + span_ms;
  fake_server_unlock (fake->server);
}

char *
fake_hubspot_add_contact (FakeHubspot *fake,
                          const char  *first_name,
                          const char  *email)
{
  Contact *contact;

  fake_server_lock (fake->server);
  contact = contact_new (fake);
  g_hash_table_insert (contact->properties, g_strdup ("firstname"), g_strdup (first_name));
  if (email != NULL)
    g_hash_table_insert (contact->properties, g_strdup ("email"), g_strdup (email));
  g_hash_table_insert (contact->properties, g_strdup ("lifecyclestage"), g_strdup ("lead"));
  fake_server_unlock (fake->server);

  return g_strdup (contact->id);
}

static Contact *
engagement_new (FakeHubspot *fake,
                const char  *type)
{
  Engagements *engagements = g_hash_table_lookup (fake->engagements, type);
  Contact *engagement = g_new0 (Contact, 1);
  gint64 ms = tick (fake);

  g_assert (engagements != NULL);
  engagement->id = g_strdup_printf ("%" G_GUINT64_FORMAT, fake->next_id++);
  engagement->properties = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  engagement->associations = g_ptr_array_new_with_free_func (g_free);
  engagement->created_ms = engagement->updated_ms = ms;
  engagement->visible_after = fake->searches + fake->search_lag;
  g_hash_table_replace (engagement->properties, g_strdup ("hs_lastmodifieddate"), iso_from_ms (ms));
  g_ptr_array_add (engagements->records, engagement);
  engagements->dirty = TRUE;
  return engagement;
}

/**
 * fake_hubspot_add_engagement:
 * @type: "calls", "emails", "meetings" or "notes"
 * @contacts: (nullable): the contact ids it is associated with, comma-separated
 * @...: property name, value pairs, then %NULL
 *
 * Returns: (transfer full): the new engagement's id
 */
char *
fake_hubspot_add_engagement (FakeHubspot *fake,
                             const char  *type,
                             const char  *contacts,
                             ...)
{
  g_auto(GStrv) ids = g_strsplit (contacts != NULL ? contacts : "", ",", -1);
  Contact *engagement;
  const char *name;
  va_list args;

  fake_server_lock (fake->server);
  engagement = engagement_new (fake, type);
  for (guint i = 0; ids[i] != NULL; i++)
    if (*ids[i] != '\0')
      g_ptr_array_add (engagement->associations, g_strdup (ids[i]));
  va_start (args, contacts);
  while ((name = va_arg (args, const char *)) != NULL)
    g_hash_table_replace (engagement->properties, g_strdup (name),
                          g_strdup (va_arg (args, const char *)));
  va_end (args);
  fake_server_unlock (fake->server);

  return g_strdup (engagement->id);
}

/* An engagement changes: a new value, and it is modified now. */
void
fake_hubspot_edit_engagement (FakeHubspot *fake,
                              const char  *type,
                              const char  *id,
                              const char  *property,
                              const char  *value)
{
  Contact *engagement;
  gint64 ms;

  fake_server_lock (fake->server);
  engagement = find_engagement (fake, type, id);
  g_assert (engagement != NULL);
  ms = tick (fake);
  engagement->updated_ms = ms;
  engagement->visible_after = fake->searches + fake->search_lag;
  g_hash_table_replace (engagement->properties, g_strdup (property), g_strdup (value));
  g_hash_table_replace (engagement->properties, g_strdup ("hs_lastmodifieddate"), iso_from_ms (ms));
  ((Engagements *) g_hash_table_lookup (fake->engagements, type))->dirty = TRUE;
  fake_server_unlock (fake->server);
}

/* One outbound connected call on every live contact, dated @timestamp_ms,
 * all modified within @span_ms (a benchmark's engagements). */
void
fake_hubspot_add_generated_calls (FakeHubspot *fake,
                                  gint64       timestamp_ms,
                                  guint        span_ms)
{
  g_autofree char *when = g_strdup_printf ("%" G_GINT64_FORMAT, timestamp_ms);
  gint64 start;
  guint n = 0;

  fake_server_lock (fake->server);
  start = fake->clock_ms + 1000;
  for (guint i = 0; i < fake->contacts->len; i++)
    if (((Contact *) fake->contacts->pdata[i])->archived_ms == 0)
      n++;
  for (guint i = 0, k = 0; i < fake->contacts->len; i++)
    {
      Contact *contact = fake->contacts->pdata[i];
      Contact *call;
      gint64 ms;

      if (contact->archived_ms != 0)
        continue;
      call = engagement_new (fake, "calls");
      ms = start + (n > 1 ? (gint64) span_ms * k++ / (n - 1) : 0);
      call->created_ms = call->updated_ms = ms;
      g_hash_table_replace (call->properties, g_strdup ("hs_lastmodifieddate"), iso_from_ms (ms));
      g_hash_table_replace (call->properties, g_strdup ("hs_timestamp"), g_strdup (when));
      g_hash_table_replace (call->properties, g_strdup ("hs_call_direction"),
                            g_strdup ("OUTBOUND"));
      g_hash_table_replace (call->properties, g_strdup ("hs_call_disposition"),
                            g_strdup ("f240bbac-87c9-4f6e-bf70-924b57d47db7"));
      g_hash_table_replace (call->properties, g_strdup ("hs_call_title"), g_strdup ("Intro call"));
      g_ptr_array_add (call->associations, g_strdup (contact->id));
    }
  fake->clock_ms = MAX (fake->clock_ms, start + span_ms);
  fake_server_unlock (fake->server);
}

void
fake_hubspot_edit (FakeHubspot *fake,
                   const char  *id,
                   const char  *property,
                   const char  *value)
{
  Contact *contact;

  fake_server_lock (fake->server);
  contact = g_hash_table_lookup (fake->by_id, id);
  g_assert_nonnull (contact);
  if (value == NULL)
    g_hash_table_remove (contact->properties, property);
  else
    g_hash_table_replace (contact->properties, g_strdup (property), g_strdup (value));
  touch (fake, contact);
  fake_server_unlock (fake->server);
}

void
fake_hubspot_archive (FakeHubspot *fake,
                      const char  *id)
{
  Contact *contact;

  fake_server_lock (fake->server);
  contact = g_hash_table_lookup (fake->by_id, id);
  g_assert_nonnull (contact);
  contact->archived_ms = tick (fake);
  fake->dirty = TRUE;
  fake_server_unlock (fake->server);
}

/* The contact is gone without a trace (merged into another, say): its id is unknown. */
void
fake_hubspot_forget (FakeHubspot *fake,
                     const char  *id)
{
  Contact *contact;

  fake_server_lock (fake->server);
  contact = g_hash_table_lookup (fake->by_id, id);
  g_assert_nonnull (contact);
  g_hash_table_remove (fake->by_id, id);
  g_ptr_array_remove (fake->contacts, contact);
  fake->dirty = TRUE;
  fake_server_unlock (fake->server);
}

char *
fake_hubspot_get (FakeHubspot *fake,
                  const char  *id,
                  const char  *property)
{
  Contact *contact;
  char *value;

  fake_server_lock (fake->server);
  contact = g_hash_table_lookup (fake->by_id, id);
  value = contact != NULL ? g_strdup (g_hash_table_lookup (contact->properties, property)) : NULL;
  fake_server_unlock (fake->server);
  return value;
}

char *
fake_hubspot_find (FakeHubspot *fake,
                   const char  *property,
                   const char  *value)
{
  Contact *contact;
  char *id;

  fake_server_lock (fake->server);
  contact = find_by_property (fake, property, value);
  id = contact != NULL ? g_strdup (contact->id) : NULL;
  fake_server_unlock (fake->server);
  return id;
}

guint
fake_hubspot_count (FakeHubspot *fake,
                    gboolean     archived)
{
  guint n = 0;

  fake_server_lock (fake->server);
  for (guint i = 0; i < fake->contacts->len; i++)
    if ((((Contact *) fake->contacts->pdata[i])->archived_ms != 0) == archived)
      n++;
  fake_server_unlock (fake->server);
  return n;
}

void
fake_hubspot_inject (FakeHubspot  *fake,
                     const char   *path_part,
                     FakeFaultKind kind,
                     guint         status,
                     const char   *body,
                     const char   *header,
                     guint         value,
                     guint         times)
{
  fake_server_inject (fake->server, path_part, kind, status, body, header, value, times);
}

void
fake_hubspot_delay_last_fault (FakeHubspot *fake,
                               guint        requests)
{
  fake_server_delay_last_fault (fake->server, requests);
}

void
fake_hubspot_set_stage_rule (FakeHubspot  *fake,
                             FakeStageRule rule)
{
  fake_server_lock (fake->server);
  fake->stage_rule = rule;
  fake_server_unlock (fake->server);
}

/* 0 turns the search rate limit off. */
void
fake_hubspot_set_search_rate (FakeHubspot *fake,
                              guint        per_second)
{
  fake_server_lock (fake->server);
  fake_rate_window_set (fake->search_window, per_second, 1000);
  fake_server_unlock (fake->server);
}

/* The account's rolling limit on every request (190 per 10 s to start
 * with); 0 turns it off, and the rate-limit headers with it. */
void
fake_hubspot_set_rate_limit (FakeHubspot *fake,
                             guint        max_requests,
                             guint        interval_ms)
{
  fake_server_lock (fake->server);
  fake_rate_window_set (fake->request_window, max_requests, interval_ms);
  fake_server_unlock (fake->server);
}

/* Other apps of the account spend @n requests of the window now. */
void
fake_hubspot_spend_rate_limit (FakeHubspot *fake,
                               guint        n)
{
  fake_server_lock (fake->server);
  fake_rate_window_spend (fake->request_window, n);
  fake_server_unlock (fake->server);
}

/* Paging tokens as opaque strings (base64 with '+' and '='), not numbers. */
void
fake_hubspot_set_opaque_paging (FakeHubspot *fake,
                                gboolean     opaque)
{
  fake_server_lock (fake->server);
  fake->opaque_paging = opaque;
  fake_server_unlock (fake->server);
}

/* A batch naming an unknown id: 207 with a per-input error, or 404 whole. */
void
fake_hubspot_set_not_found_status (FakeHubspot *fake,
                                   guint        status)
{
  g_assert_true (status == 207 || status == 404);
  fake_server_lock (fake->server);
  fake->not_found_status = status;
  fake_server_unlock (fake->server);
}

void
fake_hubspot_set_id_property (FakeHubspot    *fake,
                              FakeIdProperty  state,
                              gboolean        may_create)
{
  fake_server_lock (fake->server);
  fake->id_property = state;
  fake->may_create_properties = may_create;
  fake_server_unlock (fake->server);
}

FakeIdProperty
fake_hubspot_get_id_property (FakeHubspot *fake)
{
  FakeIdProperty state;

  fake_server_lock (fake->server);
  state = fake->id_property;
  fake_server_unlock (fake->server);
  return state;
}

/* Written records appear in search only after this many more searches. */
void
fake_hubspot_set_search_lag (FakeHubspot *fake,
                             guint        searches)
{
  fake_server_lock (fake->server);
  fake->search_lag = searches;
  fake_server_unlock (fake->server);
}

void
fake_hubspot_add_stage_option (FakeHubspot *fake,
                               const char  *value,
                               const char  *label)
{
  fake_server_lock (fake->server);
  g_ptr_array_add (fake->stage_values, g_strdup (value));
  g_ptr_array_add (fake->stage_labels, g_strdup (label));
  fake_server_unlock (fake->server);
}

guint
fake_hubspot_requests (FakeHubspot *fake,
                       const char  *path_part)
{
  return fake_server_requests (fake->server, path_part);
}

guint
fake_hubspot_connections (FakeHubspot *fake)
{
  return fake_server_connections (fake->server);
}

guint
fake_hubspot_gdpr_deletes (FakeHubspot *fake)
{
  guint n;

  fake_server_lock (fake->server);
  n = fake->gdpr_deletes;
  fake_server_unlock (fake->server);
  return n;
}

guint
fake_hubspot_search_refusals (FakeHubspot *fake)
{
  guint n;

  fake_server_lock (fake->server);
  n = fake_rate_window_refusals (fake->search_window);
  fake_server_unlock (fake->server);
  return n;
}

/* 429s answered for the account's rolling limit. */
guint
fake_hubspot_rate_refusals (FakeHubspot *fake)
{
  guint n;

  fake_server_lock (fake->server);
  n = fake_rate_window_refusals (fake->request_window);
  fake_server_unlock (fake->server);
  return n;
}

/* Contacts answered by search so far (a contact answered twice counts twice). */
guint64
fake_hubspot_search_served (FakeHubspot *fake)
{
  guint64 n;

  fake_server_lock (fake->server);
  n = fake->search_served;
  fake_server_unlock (fake->server);
  return n;
}

/* Starts recording search bodies; returns (transfer full) those recorded so far. */
GPtrArray *
fake_hubspot_take_search_bodies (FakeHubspot *fake)
{
  GPtrArray *bodies;

  fake_server_lock (fake->server);
  bodies = fake->search_bodies;
  fake->search_bodies = g_ptr_array_new_with_free_func (g_free);
  fake_server_unlock (fake->server);
  return bodies != NULL ? bodies : g_ptr_array_new_with_free_func (g_free);
}

/* Starts recording engagement searches and association reads; returns
 * (transfer full) those recorded so far, each "path\nbody". */
GPtrArray *
fake_hubspot_take_engagement_requests (FakeHubspot *fake)
{
  GPtrArray *taken;

  fake_server_lock (fake->server);
  taken = fake->engagement_requests != NULL ? fake->engagement_requests
                                            : g_ptr_array_new_with_free_func (g_free);
  fake->engagement_requests = g_ptr_array_new_with_free_func (g_free);
  fake_server_unlock (fake->server);
  return taken;
}

/* Forms, submissions and marketing events (fake-hubspot-marketing.c). */
char *
fake_hubspot_add_form (FakeHubspot *fake,
                       const char  *name)
{
  char *guid;

  fake_server_lock (fake->server);
  guid = fake_marketing_add_form (fake->marketing, name);
  fake_server_unlock (fake->server);
  return guid;
}

/**
 * fake_hubspot_add_submission:
 * @...: field name, value pairs, then %NULL
 */
void
fake_hubspot_add_submission (FakeHubspot *fake,
                             const char  *form_guid,
                             gint64       submitted_ms,
                             const char  *page_url,
                             ...)
{
  va_list values;

  va_start (values, page_url);
  fake_server_lock (fake->server);
  fake_marketing_add_submission (fake->marketing, form_guid, submitted_ms, page_url, values);
  fake_server_unlock (fake->server);
  va_end (values);
}

char *
fake_hubspot_add_marketing_event (FakeHubspot *fake,
                                  const char  *name,
                                  const char  *type)
{
  char *id;

  fake_server_lock (fake->server);
  id = fake_marketing_add_event (fake->marketing, name, type);
  fake_server_unlock (fake->server);
  return id;
}

void
fake_hubspot_add_participation (FakeHubspot *fake,
                                const char  *event_id,
                                const char  *contact_id,
                                const char  *email,
                                const char  *state,
                                gint64       occurred_ms,
                                guint        duration_s)
{
  fake_server_lock (fake->server);
  fake_marketing_add_participation (fake->marketing, event_id, contact_id, email, state,
                                    occurred_ms, duration_s);
  fake_server_unlock (fake->server);
}
