/* cp-hubspot-search.c — the incremental search pull: positions, cursors, one query per page
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-hubspot-backend"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-crm-parse-private.h"
#include "cp-hubspot-private.h"

#define SEARCH_LIMIT    200
#define MAX_DONE_IDS    20         /* ids one search leaves out: the body stays far below 3,000 */

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
  const char *modified = g_hash_table_lookup (record->properties, object->modified);
  gint64 ms = _cp_hubspot_parse_time_ms (modified);

  return ms >= 0 ? ms : _cp_hubspot_parse_time_ms (record->updated_at);
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

/* A CpCrmReadFunc: the answer's contacts, read without a JSON tree. */
static gpointer
read_search_page (const char  *data,
                  gsize        length,
                  gpointer     user_data,
                  GError     **error)
{
  const char *what = NULL;
  CpCrmPage *page = _cp_hubspot_read_page (data, length, &what, error);

  if (what != NULL)
    cp_crm_client_set_unexpected (user_data, error, what);
  return page;
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
  g_autoptr(CpCrmPage) page = NULL;
  g_autofree char *path = NULL;
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
  page = _cp_crm_client_request_read (self->client, "POST", path, body, CP_CRM_REQUEST_SEARCH,
                                      read_search_page, self->client, cancellable, error);
  if (page == NULL)
    return NULL;

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
