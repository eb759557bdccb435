/* fake-espocrm.c — an in-process EspoCRM REST API (Lead entity), faults included
 *
 * Follows ../shared/spec/crm-sync.md §2: X-Api-Key auth; GET Lead with
 * offset/maxSize, orderBy (then id, as EspoCRM adds), nested where items
 * (where[0][type|attribute|value], or/and with value[k], in) → {list,total};
 * GET Lead/{id} (404 deleted, 403 not visible to the API user);
 * POST Lead answering 409 with the duplicates unless
 * X-Skip-Duplicate-Check; PUT Lead/{id} with only the sent fields;
 * DELETE Lead/{id}; GET Metadata?key=a.b.c; datetimes “YYYY-MM-DD HH:mm:ss” UTC.
 *
 * Like EspoCRM, deletion is soft: it sets modifiedAt, and a restore (the
 * admin's “Restore” on the Deleted filter) clears the flag and leaves
 * modifiedAt alone. Without the custom field cCarepathId, a where item on
 * it is a 400 (“Not existing attribute”) and writes drop it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "fake-espocrm.h"

#define API_KEY     "espo-test-key"
#define LEAD        "/api/v1/Lead"
#define METADATA    "/api/v1/Metadata"
#define CAREPATH_ID "cCarepathId"

typedef struct
{
  char       *id;
  char       *created_at;
  char       *modified_at;
  GHashTable *attributes;
  gboolean    deleted;
  gboolean    forbidden;   /* the API user's role may not read it */
} Lead;

/* Delete @victim right after a list answer that holds @trigger. */
typedef struct
{
  char *trigger;
  char *victim;
} ListedDelete;

struct _FakeEspocrm
{
  FakeServer *server;
  GPtrArray  *leads;
  GPtrArray  *listed_deletes;
  guint       next_id;
  gint64      clock_s;
  gboolean    no_carepath_field;
  GHashTable *activities;   /* "Call", "Meeting", "Email" → GPtrArray of Lead-shaped records */
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

static void
listed_delete_free (ListedDelete *item)
{
  g_free (item->trigger);
  g_free (item->victim);
  g_free (item);
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

/* A lead not deleted; soft-deleted ones too with @even_deleted. */
static Lead *
find_any_lead (FakeEspocrm *fake,
               const char  *attribute,
               const char  *value,
               gboolean     even_deleted)
{
  for (guint i = 0; value != NULL && i < fake->leads->len; i++)
    {
      Lead *lead = fake->leads->pdata[i];
      const char *v = g_str_equal (attribute, "id") ? lead->id
                      : g_hash_table_lookup (lead->attributes, attribute);

      if ((even_deleted || !lead->deleted) && v != NULL && g_ascii_strcasecmp (v, value) == 0)
        return lead;
    }
  return NULL;
}

static Lead *
find_lead (FakeEspocrm *fake,
           const char  *attribute,
           const char  *value)
{
  return find_any_lead (fake, attribute, value, FALSE);
}

static void
soft_delete (FakeEspocrm *fake,
             Lead        *lead)
{
  lead->deleted = TRUE;
  touch (fake, lead);
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

/* Does @lead pass the where item at @prefix (“where[0]”)? Items nest
 * through “[value][k]”, as PHP reads EspoCRM's query string. */
static gboolean
where_matches (Lead       *lead,
               GHashTable *query,
               const char *prefix)
{
  g_autofree char *type_key = g_strconcat (prefix, "[type]", NULL);
  g_autofree char *attribute_key = g_strconcat (prefix, "[attribute]", NULL);
  g_autofree char *value_key = g_strconcat (prefix, "[value]", NULL);
  const char *type = g_hash_table_lookup (query, type_key);
  const char *attribute = g_hash_table_lookup (query, attribute_key);
  const char *value = g_hash_table_lookup (query, value_key);
  const char *v = attribute != NULL ? attribute_of (lead, attribute) : NULL;
  gboolean is_or;

  if (type == NULL)
    return TRUE;
  if (g_str_equal (type, "equals"))
    return g_strcmp0 (v, value) == 0;
  if (g_str_equal (type, "greaterThan"))
    return v != NULL && g_strcmp0 (v, value) > 0;
  if (g_str_equal (type, "greaterThanOrEquals"))
    return v != NULL && g_strcmp0 (v, value) >= 0;
  if (g_str_equal (type, "isNotNull"))
    return v != NULL;
  g_assert_true (g_str_equal (type, "or") || g_str_equal (type, "and") || g_str_equal (type, "in"));

  is_or = !g_str_equal (type, "and");
  for (guint k = 0;; k++)
    {
      g_autofree char *item = g_strdup_printf ("%s[value][%u]", prefix, k);
      g_autofree char *item_type = g_strconcat (item, "[type]", NULL);
      gboolean hit;

      if (g_str_equal (type, "in"))
        {
          if (!g_hash_table_contains (query, item))
            break;
          hit = g_strcmp0 (v, g_hash_table_lookup (query, item)) == 0;
        }
      else
        {
          if (!g_hash_table_contains (query, item_type))
            break;
          hit = where_matches (lead, query, item);
        }
      if (hit == is_or)
        return hit;
    }
  return !is_or;
}

/* EspoCRM refuses a where item on an attribute the entity lacks. */
static gboolean
where_names_missing_field (FakeEspocrm *fake,
                           GHashTable  *query)
{
  GHashTableIter iter;
  gpointer key, value;

  if (!fake->no_carepath_field || query == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_has_prefix (key, "where[") && g_str_has_suffix (key, "[attribute]") &&
        g_str_equal (value, CAREPATH_ID))
      return TRUE;
  return FALSE;
}

static void
delete_listed (FakeEspocrm *fake,
               GPtrArray   *page)
{
  for (guint i = 0; i < fake->listed_deletes->len;)
    {
      ListedDelete *item = fake->listed_deletes->pdata[i];
      gboolean listed = FALSE;

      for (guint k = 0; k < page->len && !listed; k++)
        listed = g_str_equal (((Lead *) page->pdata[k])->id, item->trigger);
      if (!listed)
        {
          i++;
          continue;
        }
      if (find_lead (fake, "id", item->victim) != NULL)
        soft_delete (fake, find_lead (fake, "id", item->victim));
      g_ptr_array_remove_index (fake->listed_deletes, i);
    }
}

/* Every where[k] item of the query (ANDed, as EspoCRM reads them). */
static gboolean
where_all_match (Lead       *lead,
                 GHashTable *query)
{
  /* PHP reads where[1] without a where[0]: indexes need not start at 0. */
  for (guint k = 0; k < 10; k++)
    {
      g_autofree char *prefix = g_strdup_printf ("where[%u]", k);

      if (!where_matches (lead, query, prefix))
        return FALSE;
    }
  return TRUE;
}

static void
handle_list (FakeEspocrm       *fake,
             SoupServerMessage *msg,
             GHashTable        *query,
             GPtrArray         *records)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) matching = g_ptr_array_new ();
  g_autoptr(GPtrArray) page = g_ptr_array_new ();
  const char *order_by = query ? g_hash_table_lookup (query, "orderBy") : NULL;
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
  if (where_names_missing_field (fake, query))
    {
      soup_server_message_set_status (msg, 400, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "X-Status-Reason",
                                    "Not existing attribute '" CAREPATH_ID "' in where.");
      return;
    }
  for (guint i = 0; i < records->len; i++)
    {
      Lead *lead = records->pdata[i];

      if (!lead->deleted && !lead->forbidden && (query == NULL || where_all_match (lead, query)))
        g_ptr_array_add (matching, lead);
    }
  if (order_by != NULL)
    g_ptr_array_sort_with_data (matching, compare_by, (gpointer) order_by);
  for (guint i = offset; i < matching->len && i < offset + max_size; i++)
    g_ptr_array_add (page, matching->pdata[i]);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, matching->len);
  json_builder_set_member_name (builder, "list");
  json_builder_begin_array (builder);
  for (guint i = 0; i < page->len; i++)
    add_lead_json (builder, page->pdata[i], select);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  respond (msg, 200, builder);
  delete_listed (fake, page);
}

static void
handle_read (FakeEspocrm       *fake,
             SoupServerMessage *msg,
             const char        *id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Lead *lead = find_lead (fake, "id", id);

  if (lead == NULL)
    soup_server_message_set_status (msg, 404, NULL);
  else if (lead->forbidden)
    soup_server_message_set_status (msg, 403, NULL);
  else
    {
      add_lead_json (builder, lead, NULL);
      respond (msg, 200, builder);
    }
}

/* GET Metadata, or the part under ?key=a.b.c (EspoCRM 8.2+; null when absent). */
static void
handle_metadata (FakeEspocrm       *fake,
                 SoupServerMessage *msg,
                 GHashTable        *query)
{
  static const char * const fields[] = {
    "firstName", "lastName", "emailAddress", "phoneNumber", "accountName", "title",
    "addressCity", "addressPostalCode", "description", "status", CAREPATH_ID,
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  const char *key = query != NULL ? g_hash_table_lookup (query, "key") : NULL;
  g_auto(GStrv) parts = key != NULL ? g_strsplit (key, ".", -1) : g_new0 (char *, 1);
  JsonNode *node;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "entityDefs");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Lead");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "fields");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (g_str_equal (fields[i], CAREPATH_ID) && fake->no_carepath_field)
        continue;
      json_builder_set_member_name (builder, fields[i]);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, g_str_equal (fields[i], "status") ? "enum"
                                              : "varchar");
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  node = root;
  for (guint i = 0; parts[i] != NULL && node != NULL; i++)
    node = JSON_NODE_HOLDS_OBJECT (node)
           ? json_object_get_member (json_node_get_object (node), parts[i]) : NULL;
  if (node == NULL)
    text = g_strdup ("null");
  else
    {
      json_generator_set_root (generator, node);
      text = json_generator_to_data (generator, NULL);
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text,
                                    strlen (text));
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
write_attributes (FakeEspocrm *fake,
                  Lead        *lead,
                  JsonObject  *object)
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
          g_str_equal (name, "createdAt") ||
          (g_str_equal (name, CAREPATH_ID) && fake->no_carepath_field))
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
  if (lead != NULL && lead->forbidden)
    {
      soup_server_message_set_status (msg, 403, NULL);
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
  write_attributes (fake, lead, object);
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
    handle_list (fake, msg, query, fake->leads);
  else if (g_str_has_prefix (path, "/api/v1/") && g_str_equal (method, "GET") &&
           g_hash_table_contains (fake->activities, path + strlen ("/api/v1/")))
    handle_list (fake, msg, query, g_hash_table_lookup (fake->activities,
                                                        path + strlen ("/api/v1/")));
  else if (g_str_has_prefix (path, LEAD "/") && g_str_equal (method, "GET"))
    handle_read (fake, msg, path + strlen (LEAD "/"));
  else if (g_str_equal (path, METADATA) && g_str_equal (method, "GET"))
    handle_metadata (fake, msg, query);
  else if (g_str_equal (path, LEAD) && g_str_equal (method, "POST"))
    handle_write (fake, msg, NULL);
  else if (g_str_has_prefix (path, LEAD "/") && g_str_equal (method, "PUT"))
    handle_write (fake, msg, path + strlen (LEAD "/"));
  else if (g_str_has_prefix (path, LEAD "/") && g_str_equal (method, "DELETE"))
    {
      Lead *lead = find_lead (fake, "id", path + strlen (LEAD "/"));

      if (lead == NULL)
        soup_server_message_set_status (msg, 404, NULL);
      else if (lead->forbidden)
        soup_server_message_set_status (msg, 403, NULL);
      else
        {
          soft_delete (fake, lead);
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
  fake->listed_deletes = g_ptr_array_new_with_free_func ((GDestroyNotify) listed_delete_free);
  fake->next_id = 1;
  fake->clock_s = G_GINT64_CONSTANT (1700000000);
  fake->activities = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) g_ptr_array_unref);
  g_hash_table_insert (fake->activities, "Call",
                       g_ptr_array_new_with_free_func ((GDestroyNotify) lead_free));
  g_hash_table_insert (fake->activities, "Meeting",
                       g_ptr_array_new_with_free_func ((GDestroyNotify) lead_free));
  g_hash_table_insert (fake->activities, "Email",
                       g_ptr_array_new_with_free_func ((GDestroyNotify) lead_free));
  fake->server = fake_server_new (api_cb, fake);
  return fake;
}

void
fake_espocrm_free (FakeEspocrm *fake)
{
  fake_server_free (fake->server);
  g_ptr_array_unref (fake->leads);
  g_ptr_array_unref (fake->listed_deletes);
  g_hash_table_unref (fake->activities);
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

      g_hash_table_insert (lead->attributes, g_strdup ("firstName"),
                           g_strdup_printf ("First%u", k));
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

/* Deleted in EspoCRM: soft, with modifiedAt set to now. */
void
fake_espocrm_delete (FakeEspocrm *fake,
                     const char  *id)
{
  Lead *lead;

  fake_server_lock (fake->server);
  lead = find_lead (fake, "id", id);
  g_assert_nonnull (lead);
  soft_delete (fake, lead);
  fake_server_unlock (fake->server);
}

/**
 * fake_espocrm_delete_when_listed:
 * @trigger_id: a lead a list answer will hold
 * @id: the lead to delete
 *
 * Someone deletes @id in EspoCRM right after the first list answer that
 * holds @trigger_id, as happens while a client pages through a listing.
 */
void
fake_espocrm_delete_when_listed (FakeEspocrm *fake,
                                 const char  *trigger_id,
                                 const char  *id)
{
  ListedDelete *item = g_new0 (ListedDelete, 1);

  item->trigger = g_strdup (trigger_id);
  item->victim = g_strdup (id);
  fake_server_lock (fake->server);
  g_ptr_array_add (fake->listed_deletes, item);
  fake_server_unlock (fake->server);
}

/* The admin's Restore on the Deleted filter (POST Lead/action/restoreDeleted):
 * the flag goes, modifiedAt stays what the deletion set. */
void
fake_espocrm_restore (FakeEspocrm *fake,
                      const char  *id)
{
  Lead *lead;

  fake_server_lock (fake->server);
  lead = find_any_lead (fake, "id", id, TRUE);
  g_assert_true (lead != NULL && lead->deleted);
  lead->deleted = FALSE;
  fake_server_unlock (fake->server);
}

/* The API user's role stops letting it read @id: lists leave it out,
 * GET Lead/{id} answers 403. */
void
fake_espocrm_forbid (FakeEspocrm *fake,
                     const char  *id)
{
  Lead *lead;

  fake_server_lock (fake->server);
  lead = find_lead (fake, "id", id);
  g_assert_nonnull (lead);
  lead->forbidden = TRUE;
  fake_server_unlock (fake->server);
}

/* Whether the Lead entity has the custom field cCarepathId (it does by default). */
void
fake_espocrm_set_carepath_field (FakeEspocrm *fake,
                                 gboolean     present)
{
  fake_server_lock (fake->server);
  fake->no_carepath_field = !present;
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

/* Leads not deleted. */
guint
fake_espocrm_count (FakeEspocrm *fake)
{
  guint n = 0;

  fake_server_lock (fake->server);
  for (guint i = 0; i < fake->leads->len; i++)
    n += !((Lead *) fake->leads->pdata[i])->deleted;
  fake_server_unlock (fake->server);
  return n;
}

/* The id of the @index-th lead made (from 0), deleted or not. */
char *
fake_espocrm_id_at (FakeEspocrm *fake,
                    guint        index)
{
  char *id;

  fake_server_lock (fake->server);
  g_assert_cmpuint (index, <, fake->leads->len);
  id = g_strdup (((Lead *) fake->leads->pdata[index])->id);
  fake_server_unlock (fake->server);
  return id;
}

/**
 * fake_espocrm_add_activity:
 * @entity: "Call", "Meeting" or "Email"
 * @lead_id: (nullable): its parent lead (parentType Lead)
 * @...: attribute name, value pairs, then %NULL
 *
 * Returns: (transfer full): the new record's id
 */
char *
fake_espocrm_add_activity (FakeEspocrm *fake,
                           const char  *entity,
                           const char  *lead_id,
                           ...)
{
  GPtrArray *records;
  Lead *record = g_new0 (Lead, 1);
  const char *name;
  va_list args;

  fake_server_lock (fake->server);
  records = g_hash_table_lookup (fake->activities, entity);
  g_assert (records != NULL);
  record->id = g_strdup_printf ("7b%015u", fake->next_id++);
  record->attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  touch (fake, record);
  record->created_at = g_strdup (record->modified_at);
  if (lead_id != NULL)
    {
      g_hash_table_insert (record->attributes, g_strdup ("parentType"), g_strdup ("Lead"));
      g_hash_table_insert (record->attributes, g_strdup ("parentId"), g_strdup (lead_id));
    }
  va_start (args, lead_id);
  while ((name = va_arg (args, const char *)) != NULL)
    g_hash_table_replace (record->attributes, g_strdup (name),
                          g_strdup (va_arg (args, const char *)));
  va_end (args);
  g_ptr_array_add (records, record);
  fake_server_unlock (fake->server);
  return g_strdup (record->id);
}
