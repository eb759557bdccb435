/* fake-espocrm.c — an in-process EspoCRM REST API (Lead entity), faults included
 *
 * Follows ../shared/spec/crm-sync.md §2: X-Api-Key auth; GET Lead with
 * offset/maxSize, orderBy, where[0][type|attribute|value] → {list,total};
 * POST Lead answering 409 with the duplicates unless
 * X-Skip-Duplicate-Check; PUT Lead/{id} with only the sent fields;
 * DELETE Lead/{id}; datetimes “YYYY-MM-DD HH:mm:ss” UTC.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "fake-espocrm.h"

#define API_KEY "espo-test-key"
#define LEAD    "/api/v1/Lead"

typedef struct
{
  char       *id;
  char       *created_at;
  char       *modified_at;
  GHashTable *attributes;
} Lead;

struct _FakeEspocrm
{
  FakeServer *server;
  GPtrArray  *leads;
  guint       next_id;
  gint64      clock_s;
};

static void
lead_free (Lead *lead)
{
  g_free (lead->id);
  g_free (lead->created_at);
  g_free (lead->modified_at);
  g_hash_table_unref (lead->attributes);
  g_free (lead);
}

static char *
now_text (FakeEspocrm *fake)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (++fake->clock_s);

  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
}

static void
touch (FakeEspocrm *fake,
       Lead        *lead)
{
  g_free (lead->modified_at);
  lead->modified_at = now_text (fake);
}

static Lead *
lead_new (FakeEspocrm *fake)
{
  Lead *lead = g_new0 (Lead, 1);

  lead->id = g_strdup_printf ("6a%015u", fake->next_id++);
  lead->attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  touch (fake, lead);
  lead->created_at = g_strdup (lead->modified_at);
  g_ptr_array_add (fake->leads, lead);
  return lead;
}

static Lead *
find_lead (FakeEspocrm *fake,
           const char  *attribute,
           const char  *value)
{
  for (guint i = 0; value != NULL && i < fake->leads->len; i++)
    {
      Lead *lead = fake->leads->pdata[i];
      const char *v = g_str_equal (attribute, "id") ? lead->id
                      : g_hash_table_lookup (lead->attributes, attribute);

      if (v != NULL && g_ascii_strcasecmp (v, value) == 0)
        return lead;
    }
  return NULL;
}

static const char *
attribute_of (Lead       *lead,
              const char *name)
{
  if (g_str_equal (name, "id"))
    return lead->id;
  if (g_str_equal (name, "modifiedAt"))
    return lead->modified_at;
  if (g_str_equal (name, "createdAt"))
    return lead->created_at;
  return g_hash_table_lookup (lead->attributes, name);
}

static void
add_lead_json (JsonBuilder *builder,
               Lead        *lead,
               const char  *select)
{
  g_auto(GStrv) only = select != NULL ? g_strsplit (select, ",", -1) : NULL;
  GHashTableIter iter;
  gpointer key, value;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, lead->id);
  if (only == NULL)
    {
      json_builder_set_member_name (builder, "createdAt");
      json_builder_add_string_value (builder, lead->created_at);
      json_builder_set_member_name (builder, "modifiedAt");
      json_builder_add_string_value (builder, lead->modified_at);
      g_hash_table_iter_init (&iter, lead->attributes);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          json_builder_set_member_name (builder, key);
          json_builder_add_string_value (builder, value);
        }
    }
  else
    for (guint i = 0; only[i] != NULL; i++)
      if (!g_str_equal (only[i], "id") && attribute_of (lead, only[i]) != NULL)
        {
          json_builder_set_member_name (builder, only[i]);
          json_builder_add_string_value (builder, attribute_of (lead, only[i]));
        }
  json_builder_end_object (builder);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         JsonBuilder       *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

static int
compare_by (gconstpointer a_ptr,
            gconstpointer b_ptr,
            gpointer      user_data)
{
  Lead *a = *(Lead **) a_ptr;
  Lead *b = *(Lead **) b_ptr;
  const char *order_by = user_data;
  int c = g_strcmp0 (attribute_of (a, order_by), attribute_of (b, order_by));

  return c != 0 ? c : strcmp (a->id, b->id);
}

static void
handle_list (FakeEspocrm       *fake,
             SoupServerMessage *msg,
             GHashTable        *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) matching = g_ptr_array_new ();
  const char *order_by = query ? g_hash_table_lookup (query, "orderBy") : NULL;
  const char *type = query ? g_hash_table_lookup (query, "where[0][type]") : NULL;
  const char *attribute = query ? g_hash_table_lookup (query, "where[0][attribute]") : NULL;
  const char *value = query ? g_hash_table_lookup (query, "where[0][value]") : NULL;
  const char *select = query ? g_hash_table_lookup (query, "select") : NULL;
  guint offset = query && g_hash_table_lookup (query, "offset")
                 ? atoi (g_hash_table_lookup (query, "offset")) : 0;
  guint max_size = query && g_hash_table_lookup (query, "maxSize")
                   ? atoi (g_hash_table_lookup (query, "maxSize")) : 20;

  if (max_size > 200)
    {
      soup_server_message_set_status (msg, 403, NULL);
      return;
    }
  for (guint i = 0; i < fake->leads->len; i++)
    {
      Lead *lead = fake->leads->pdata[i];
      const char *v = attribute != NULL ? attribute_of (lead, attribute) : NULL;

      if (type != NULL && g_str_equal (type, "greaterThanOrEquals") && g_strcmp0 (v, value) < 0)
        continue;
      if (type != NULL && g_str_equal (type, "equals") && g_strcmp0 (v, value) != 0)
        continue;
      g_ptr_array_add (matching, lead);
    }
  if (order_by != NULL)
    g_ptr_array_sort_with_data (matching, compare_by, (gpointer) order_by);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, matching->len);
  json_builder_set_member_name (builder, "list");
  json_builder_begin_array (builder);
  for (guint i = offset; i < matching->len && i < offset + max_size; i++)
    add_lead_json (builder, matching->pdata[i], select);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  respond (msg, 200, builder);
}

static JsonObject *
request_object (SoupServerMessage *msg,
                JsonParser        *parser)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_node_get_object (json_parser_get_root (parser));
}

static void
write_attributes (Lead       *lead,
                  JsonObject *object)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      const char *value = JSON_NODE_HOLDS_VALUE (node) &&
                          json_node_get_value_type (node) == G_TYPE_STRING
                          ? json_node_get_string (node) : NULL;

      if (g_str_equal (name, "id") || g_str_equal (name, "modifiedAt") ||
          g_str_equal (name, "createdAt"))
        continue;
      if (value == NULL || *value == '\0')
        g_hash_table_remove (lead->attributes, name);
      else
        g_hash_table_replace (lead->attributes, g_strdup (name), g_strdup (value));
    }
}

static void
handle_write (FakeEspocrm       *fake,
              SoupServerMessage *msg,
              const char        *id)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JsonObject *object = request_object (msg, parser);
  const char *skip = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "X-Skip-Duplicate-Check");
  Lead *lead = id != NULL ? find_lead (fake, "id", id) : NULL;

  if (object == NULL)
    {
      soup_server_message_set_status (msg, 400, NULL);
      return;
    }
  if (id != NULL && lead == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  if (id == NULL && g_strcmp0 (skip, "true") != 0)
    {
      const char *email = json_object_has_member (object, "emailAddress")
                          ? json_object_get_string_member (object, "emailAddress") : NULL;
      Lead *same = email != NULL ? find_lead (fake, "emailAddress", email) : NULL;

      if (same != NULL)
        {
          json_builder_begin_array (builder);
          add_lead_json (builder, same, "id,firstName,lastName");
          json_builder_end_array (builder);
          respond (msg, 409, builder);
          return;
        }
    }

  if (lead == NULL)
    lead = lead_new (fake);
  write_attributes (lead, object);
  touch (fake, lead);
  add_lead_json (builder, lead, NULL);
  respond (msg, 200, builder);
}

static void
api_cb (SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  FakeEspocrm *fake = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                  "X-Api-Key");

  if (g_strcmp0 (key, API_KEY) != 0)
    {
      soup_server_message_set_status (msg, 401, NULL);
      return;
    }

  if (g_str_equal (path, LEAD) && g_str_equal (method, "GET"))
    handle_list (fake, msg, query);
  else if (g_str_equal (path, LEAD) && g_str_equal (method, "POST"))
    handle_write (fake, msg, NULL);
  else if (g_str_has_prefix (path, LEAD "/") && g_str_equal (method, "PUT"))
    handle_write (fake, msg, path + strlen (LEAD "/"));
  else if (g_str_has_prefix (path, LEAD "/") && g_str_equal (method, "DELETE"))
    {
      Lead *lead = find_lead (fake, "id", path + strlen (LEAD "/"));

      if (lead == NULL)
        soup_server_message_set_status (msg, 404, NULL);
      else
        {
          g_ptr_array_remove (fake->leads, lead);
          soup_server_message_set_status (msg, 200, NULL);
          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "true", 4);
        }
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

FakeEspocrm *
fake_espocrm_new (void)
{
  FakeEspocrm *fake = g_new0 (FakeEspocrm, 1);

  fake->leads = g_ptr_array_new_with_free_func ((GDestroyNotify) lead_free);
  fake->next_id = 1;
  fake->clock_s = G_GINT64_CONSTANT (1700000000);
  fake->server = fake_server_new (api_cb, fake);
  return fake;
}

void
fake_espocrm_free (FakeEspocrm *fake)
{
  fake_server_free (fake->server);
  g_ptr_array_unref (fake->leads);
  g_free (fake);
}

FakeServer *
fake_espocrm_get_server (FakeEspocrm *fake)
{
  return fake->server;
}

const char *
fake_espocrm_get_url (FakeEspocrm *fake)
{
  return fake_server_get_url (fake->server);
}

const char *
fake_espocrm_get_key (FakeEspocrm *fake)
{
  return API_KEY;
}

void
fake_espocrm_add_generated (FakeEspocrm *fake,
                            guint        n)
{
  fake_server_lock (fake->server);
  for (guint i = 0; i < n; i++)
    {
      Lead *lead = lead_new (fake);
      guint k = fake->leads->len;

      g_hash_table_insert (lead->attributes, g_strdup ("firstName"), g_strdup_printf ("First%u", k));
      g_hash_table_insert (lead->attributes, g_strdup ("lastName"), g_strdup_printf ("Last%u", k));
      g_hash_table_insert (lead->attributes, g_strdup ("emailAddress"),
                           g_strdup_printf ("lead%u@example.org", k));
      g_hash_table_insert (lead->attributes, g_strdup ("status"), g_strdup ("New"));
    }
  fake_server_unlock (fake->server);
}

char *
fake_espocrm_add_lead (FakeEspocrm *fake,
                       const char  *first_name,
                       const char  *email)
{
  Lead *lead;
  char *id;

  fake_server_lock (fake->server);
  lead = lead_new (fake);
  g_hash_table_insert (lead->attributes, g_strdup ("firstName"), g_strdup (first_name));
  if (email != NULL)
    g_hash_table_insert (lead->attributes, g_strdup ("emailAddress"), g_strdup (email));
  g_hash_table_insert (lead->attributes, g_strdup ("status"), g_strdup ("New"));
  id = g_strdup (lead->id);
  fake_server_unlock (fake->server);
  return id;
}

void
fake_espocrm_edit (FakeEspocrm *fake,
                   const char  *id,
                   const char  *attribute,
                   const char  *value)
{
  Lead *lead;

  fake_server_lock (fake->server);
  lead = find_lead (fake, "id", id);
  g_assert_nonnull (lead);
  g_hash_table_replace (lead->attributes, g_strdup (attribute), g_strdup (value));
  touch (fake, lead);
  fake_server_unlock (fake->server);
}

void
fake_espocrm_delete (FakeEspocrm *fake,
                     const char  *id)
{
  fake_server_lock (fake->server);
  g_ptr_array_remove (fake->leads, find_lead (fake, "id", id));
  fake_server_unlock (fake->server);
}

char *
fake_espocrm_get (FakeEspocrm *fake,
                  const char  *id,
                  const char  *attribute)
{
  Lead *lead;
  char *value;

  fake_server_lock (fake->server);
  lead = find_lead (fake, "id", id);
  value = lead != NULL ? g_strdup (attribute_of (lead, attribute)) : NULL;
  fake_server_unlock (fake->server);
  return value;
}

char *
fake_espocrm_find (FakeEspocrm *fake,
                   const char  *attribute,
                   const char  *value)
{
  Lead *lead;
  char *id;

  fake_server_lock (fake->server);
  lead = find_lead (fake, attribute, value);
  id = lead != NULL ? g_strdup (lead->id) : NULL;
  fake_server_unlock (fake->server);
  return id;
}

guint
fake_espocrm_count (FakeEspocrm *fake)
{
  guint n;

  fake_server_lock (fake->server);
  n = fake->leads->len;
  fake_server_unlock (fake->server);
  return n;
}
