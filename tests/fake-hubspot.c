/* fake-hubspot.c — an in-process HubSpot CRM v3 contacts API, faults included
 *
 * Follows ../shared/spec/crm-sync.md §1: search with GTE/ASCENDING, a
 * 10,000-result cap, at most 200 per page, ~5 searches a second; batch
 * upsert/update/archive (≤ 100) with 207 partial answers; archived
 * records only under archived=true; forward-only lifecycle stages;
 * 409 on duplicate email. Runs in its own thread and main context so a
 * client can block on it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "fake-hubspot.h"
#include "fake-server.h"

#define SEARCH_CAP 10000
#define TOKEN "pat-test-0123456789"

typedef struct
{
  char       *id;
  gint64      created_ms;
  gint64      updated_ms;
  gint64      archived_ms;
  guint       visible_after;      /* search number from which search finds it */
  GHashTable *properties;
} Contact;

struct _FakeHubspot
{
  FakeServer   *server;

  GPtrArray    *contacts;         /* Contact, in creation order */
  GHashTable   *by_id;
  GPtrArray    *sorted;           /* by (updated_ms, id), rebuilt when dirty */
  gboolean      dirty;
  guint64       next_id;
  gint64        clock_ms;
  GPtrArray    *stage_values;
  GPtrArray    *stage_labels;
  FakeStageRule stage_rule;
  guint         search_rate;
  guint         search_lag;
  guint         searches;
  gint64        search_times[64];
  guint         search_next;
  guint         search_refusals;
  GPtrArray    *search_bodies;    /* recorded when not NULL */
};

static const char * const known_properties[] = {
  "firstname", "lastname", "email", "phone", "company", "jobtitle", "city", "zip",
  "lifecyclestage", "carepath_id", "lastmodifieddate", "hs_lead_status", NULL
};

static void
contact_free (Contact *contact)
{
  g_free (contact->id);
  g_hash_table_unref (contact->properties);
  g_free (contact);
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
touch (FakeHubspot *fake,
       Contact     *contact)
{
  g_autofree char *iso = NULL;

  contact->updated_ms = tick (fake);
  contact->visible_after = fake->searches + fake->search_lag;
  iso = iso_from_ms (contact->updated_ms);
  g_hash_table_replace (contact->properties, g_strdup ("lastmodifieddate"), g_steal_pointer (&iso));
  fake->dirty = TRUE;
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
  return strlen (x->id) != strlen (y->id) ? (strlen (x->id) < strlen (y->id) ? -1 : 1)
                                          : strcmp (x->id, y->id);
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
add_rate_limit_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "X-HubSpot-RateLimit-Max", "190");
  soup_message_headers_replace (headers, "X-HubSpot-RateLimit-Remaining", "189");
  soup_message_headers_replace (headers, "X-HubSpot-RateLimit-Interval-Milliseconds", "10000");
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

static void
handle_search (FakeHubspot       *fake,
               SoupServerMessage *msg)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) properties = g_ptr_array_new ();
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  JsonObject *request;
  JsonArray *groups;
  gint64 gte = 0;
  guint64 after = 0;
  guint limit = 10;
  guint total = 0, emitted = 0, first = 0;
  gint64 now = g_get_monotonic_time ();
  guint lo, hi;

  /* ~5 searches per second per account; no rate-limit headers on search. */
  if (fake->search_rate > 0)
    {
      gint64 oldest = fake->search_times[fake->search_next];
      if (oldest != 0 && now - oldest < G_USEC_PER_SEC)
        {
          fake->search_refusals++;
          respond_error (msg, 429, "RATE_LIMITS", "You have reached your secondly limit.");
          return;
        }
      fake->search_times[fake->search_next] = now;
      fake->search_next = (fake->search_next + 1) % fake->search_rate;
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
  if (fake->search_bodies != NULL)
    g_ptr_array_add (fake->search_bodies, g_strndup (request_body->data, request_body->length));

  groups = json_object_has_member (request, "filterGroups")
           ? json_object_get_array_member (request, "filterGroups") : NULL;
  if (groups != NULL && json_array_get_length (groups) > 5)
    {
      respond_error (msg, 400, "VALIDATION_ERROR", "Too many filter groups.");
      return;
    }
  for (guint g = 0; groups != NULL && g < json_array_get_length (groups); g++)
    {
      JsonArray *filters = json_object_get_array_member (json_array_get_object_element (groups, g),
                                                         "filters");
      for (guint f = 0; filters != NULL && f < json_array_get_length (filters); f++)
        {
          JsonObject *filter = json_array_get_object_element (filters, f);
          if (g_strcmp0 (json_string (filter, "propertyName"), "lastmodifieddate") == 0 &&
              g_strcmp0 (json_string (filter, "operator"), "GTE") == 0)
            gte = g_ascii_strtoll (json_string (filter, "value"), NULL, 10);
        }
    }
  if (json_object_has_member (request, "limit"))
    limit = json_object_get_int_member (request, "limit");
  if (limit > 200)
    {
      respond_error (msg, 400, "VALIDATION_ERROR", "limit must be at most 200.");
      return;
    }
  if (json_string (request, "after") != NULL)
    after = g_ascii_strtoull (json_string (request, "after"), NULL, 10);
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

  if (fake->dirty)
    {
      g_ptr_array_set_size (fake->sorted, 0);
      for (guint i = 0; i < fake->contacts->len; i++)
        g_ptr_array_add (fake->sorted, fake->contacts->pdata[i]);
      g_ptr_array_sort (fake->sorted, compare_updated);
      fake->dirty = FALSE;
    }
  lo = 0;
  hi = fake->sorted->len;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      if (((Contact *) fake->sorted->pdata[mid])->updated_ms < gte)
        lo = mid + 1;
      else
        hi = mid;
    }
  first = lo;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = first; i < fake->sorted->len; i++)
    {
      Contact *contact = fake->sorted->pdata[i];

      if (contact->archived_ms != 0 || contact->visible_after > fake->searches)
        continue;
      if (total >= after && emitted < limit)
        {
          g_autoptr(JsonNode) node = contact_to_json (fake, contact,
                                                      (const char * const *) properties->pdata);
          json_builder_add_value (builder, g_steal_pointer (&node));
          emitted++;
        }
      total++;
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, total);
  if (after + emitted < total)
    {
      g_autofree char *next = g_strdup_printf ("%" G_GUINT64_FORMAT, after + emitted);
      json_builder_set_member_name (builder, "paging");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "next");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "after");
      json_builder_add_string_value (builder, next);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

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
  guint64 after = query != NULL && g_hash_table_lookup (query, "after")
                  ? g_ascii_strtoull (g_hash_table_lookup (query, "after"), NULL, 10) : 0;
  guint emitted = 0;
  guint64 last_id = 0;
  gboolean more = FALSE;

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
          more = TRUE;
          last_id = id;
          break;
        }
      json_builder_add_value (builder, contact_to_json (fake, contact, NULL));
      emitted++;
    }
  json_builder_end_array (builder);
  if (more)
    {
      g_autofree char *next = g_strdup_printf ("%" G_GUINT64_FORMAT, last_id);
      json_builder_set_member_name (builder, "paging");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "next");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "after");
      json_builder_add_string_value (builder, next);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  add_rate_limit_headers (msg);
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

      if (!g_strv_contains (known_properties, name) || g_str_equal (name, "lastmodifieddate"))
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
          if (!g_strv_contains (known_properties, name) || g_str_equal (name, "lastmodifieddate"))
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
  add_rate_limit_headers (msg);
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
  add_rate_limit_headers (msg);
  respond_json (msg, 200, root);
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
  else if (g_str_equal (path, "/crm/v3/objects/contacts/search") && g_str_equal (method, "POST"))
    handle_search (fake, msg);
  else if (g_str_equal (path, "/crm/v3/objects/contacts") && g_str_equal (method, "GET"))
    handle_list (fake, msg, query);
  else if (g_str_has_prefix (path, "/crm/v3/objects/contacts/batch/") && g_str_equal (method, "POST"))
    {
      const char *kind = path + strlen ("/crm/v3/objects/contacts/batch/");
      int fail_index = fake_server_take_input_fault (fake->server, path);
      if (g_str_equal (kind, "upsert") || g_str_equal (kind, "update") ||
          g_str_equal (kind, "archive"))
        handle_batch (fake, msg, kind, fail_index);
      else
        respond_error (msg, 404, "OBJECT_NOT_FOUND", "Unknown batch operation");
    }
  else
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

  if (g_strcmp0 (auth, "Bearer " TOKEN) != 0)
    respond_error (msg, 401, "INVALID_AUTHENTICATION", "Authentication credentials not found.");
  else
    handle_request (fake, msg, path, query);
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
  fake->next_id = 1001;
  fake->clock_ms = G_GINT64_CONSTANT (1700000000000);
  fake->server = fake_server_new (api_cb, fake);

  return fake;
}

void
fake_hubspot_free (FakeHubspot *fake)
{
  fake_server_free (fake->server);
  g_clear_pointer (&fake->search_bodies, g_ptr_array_unref);
  g_ptr_array_unref (fake->sorted);
  g_hash_table_unref (fake->by_id);
  g_ptr_array_unref (fake->contacts);
  g_ptr_array_unref (fake->stage_values);
  g_ptr_array_unref (fake->stage_labels);
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

void
fake_hubspot_add_generated (FakeHubspot *fake,
                            guint        n)
{
  fake_server_lock (fake->server);
  for (guint i = 0; i < n; i++)
    {
      Contact *contact = contact_new (fake);
      guint k = fake->contacts->len;

      g_hash_table_insert (contact->properties, g_strdup ("firstname"), g_strdup_printf ("First%u", k));
      g_hash_table_insert (contact->properties, g_strdup ("lastname"), g_strdup_printf ("Last%u", k));
      g_hash_table_insert (contact->properties, g_strdup ("email"),
                           g_strdup_printf ("contact%u@example.org", k));
      g_hash_table_insert (contact->properties, g_strdup ("company"), g_strdup_printf ("Clinic %u", k % 97));
      g_hash_table_insert (contact->properties, g_strdup ("city"), g_strdup ("Springfield"));
      g_hash_table_insert (contact->properties, g_strdup ("lifecyclestage"), g_strdup ("lead"));
    }
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
  g_assert_cmpuint (per_second, <=, G_N_ELEMENTS (fake->search_times));
  fake_server_lock (fake->server);
  fake->search_rate = per_second;
  fake->search_next = 0;
  memset (fake->search_times, 0, sizeof fake->search_times);
  fake_server_unlock (fake->server);
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
fake_hubspot_search_refusals (FakeHubspot *fake)
{
  guint n;

  fake_server_lock (fake->server);
  n = fake->search_refusals;
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
