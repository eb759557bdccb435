/* cp-lead-query.c — what a view asks of the leads: filters, search, order
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cp-lead-query.h"

G_DEFINE_BOXED_TYPE (CpLeadQuery, cp_lead_query, cp_lead_query_copy, cp_lead_query_free)

CpLeadQuery *
cp_lead_query_new (void)
{
  CpLeadQuery *query = g_new0 (CpLeadQuery, 1);

  query->sort_field = CP_LEAD_FIELD_CREATED_AT;
  query->sort_descending = TRUE;

  return query;
}

CpLeadQuery *
cp_lead_query_copy (const CpLeadQuery *query)
{
  CpLeadQuery *copy;

  g_return_val_if_fail (query != NULL, NULL);

  copy = g_memdup2 (query, sizeof *query);
  copy->stage = g_strdup (query->stage);
  copy->owner = g_strdup (query->owner);
  copy->queue = g_strdup (query->queue);
  copy->service_line = g_strdup (query->service_line);
  copy->location = g_strdup (query->location);
  copy->source_channel = g_strdup (query->source_channel);
  copy->lead_type = g_strdup (query->lead_type);
  copy->tier = g_strdup (query->tier);
  copy->consent_status = g_strdup (query->consent_status);
  copy->search = g_strdup (query->search);
  copy->lead_set = g_strdup (query->lead_set);
  copy->lead_set_label = g_strdup (query->lead_set_label);

  return copy;
}

void
cp_lead_query_free (CpLeadQuery *query)
{
  if (query == NULL)
    return;

  g_free (query->stage);
  g_free (query->owner);
  g_free (query->queue);
  g_free (query->service_line);
  g_free (query->location);
  g_free (query->source_channel);
  g_free (query->lead_type);
  g_free (query->tier);
  g_free (query->consent_status);
  g_free (query->search);
  g_free (query->lead_set);
  g_free (query->lead_set_label);
  g_free (query);
}

gboolean
cp_lead_query_equal (const CpLeadQuery *a,
                     const CpLeadQuery *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return g_strcmp0 (a->stage, b->stage) == 0 &&
         g_strcmp0 (a->owner, b->owner) == 0 &&
         g_strcmp0 (a->queue, b->queue) == 0 &&
         g_strcmp0 (a->service_line, b->service_line) == 0 &&
         g_strcmp0 (a->location, b->location) == 0 &&
         g_strcmp0 (a->source_channel, b->source_channel) == 0 &&
         g_strcmp0 (a->lead_type, b->lead_type) == 0 &&
         g_strcmp0 (a->tier, b->tier) == 0 &&
         g_strcmp0 (a->consent_status, b->consent_status) == 0 &&
         g_strcmp0 (a->search, b->search) == 0 &&
         g_strcmp0 (a->lead_set, b->lead_set) == 0 &&
         g_strcmp0 (a->lead_set_label, b->lead_set_label) == 0 &&
         a->sla_breached_only == b->sla_breached_only &&
         a->now == b->now &&
         a->created_from == b->created_from && a->created_to == b->created_to &&
         a->updated_from == b->updated_from && a->updated_to == b->updated_to &&
         a->sort_field == b->sort_field && a->sort_descending == b->sort_descending;
}

/**
 * cp_lead_query_fts_match:
 * @search: words as a user typed them
 *
 * Turns free text into an FTS5 expression in which every word must match
 * as a prefix. Quotes and FTS5 operators typed by the user are taken
 * literally, never as syntax.
 *
 * Returns: (transfer full) (nullable): the expression, or %NULL when
 *   @search has no word to look for
 */
char *
cp_lead_query_fts_match (const char *search)
{
  g_autoptr(GString) match = NULL;
  const char *p;

  if (search == NULL)
    return NULL;

  match = g_string_new (NULL);
  p = search;
  while (*p != '\0')
    {
      g_autoptr(GString) word = g_string_new (NULL);

      /* Words are runs of letters and digits; everything else separates,
       * as FTS5's unicode61 tokenizer does. */
      while (*p != '\0')
        {
          gunichar c = g_utf8_get_char_validated (p, -1);
          if (c == (gunichar) -1 || c == (gunichar) -2)
            return NULL;
          if (g_unichar_isalnum (c) || g_unichar_ismark (c))
            break;
          p = g_utf8_next_char (p);
        }
      while (*p != '\0')
        {
          gunichar c = g_utf8_get_char (p);
          if (!g_unichar_isalnum (c) && !g_unichar_ismark (c))
            break;
          g_string_append_unichar (word, c);
          p = g_utf8_next_char (p);
        }
      if (word->len == 0)
        continue;

      if (match->len > 0)
        g_string_append_c (match, ' ');
      g_string_append_printf (match, "\"%s\"*", word->str);
    }

  if (match->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&match), FALSE);
}

/**
 * cp_lead_query_search_has_words:
 * @search: (nullable): words as a user typed them
 *
 * A search of only punctuation, spaces or nothing looks for nothing, and
 * so finds nothing (it must not fall back to every lead: an export with
 * such a search would export the whole database).
 *
 * Returns: whether @search has a word or number to look for
 */
gboolean
cp_lead_query_search_has_words (const char *search)
{
  g_autofree char *match = cp_lead_query_fts_match (search);

  return match != NULL;
}

static const struct { const char *key; gsize offset; } text_members[] = {
  { "stage", G_STRUCT_OFFSET (CpLeadQuery, stage) },
  { "owner", G_STRUCT_OFFSET (CpLeadQuery, owner) },
  { "queue", G_STRUCT_OFFSET (CpLeadQuery, queue) },
  { "service_line", G_STRUCT_OFFSET (CpLeadQuery, service_line) },
  { "location", G_STRUCT_OFFSET (CpLeadQuery, location) },
  { "source_channel", G_STRUCT_OFFSET (CpLeadQuery, source_channel) },
  { "lead_type", G_STRUCT_OFFSET (CpLeadQuery, lead_type) },
  { "tier", G_STRUCT_OFFSET (CpLeadQuery, tier) },
  { "consent_status", G_STRUCT_OFFSET (CpLeadQuery, consent_status) },
  { "search", G_STRUCT_OFFSET (CpLeadQuery, search) },
};

/**
 * cp_lead_query_to_string:
 *
 * Returns: (transfer full): the filters of @query (not its order or
 *   clock) as a GVariant text `a{ss}`, for saving a view's filter
 */
char *
cp_lead_query_to_string (const CpLeadQuery *query)
{
  GVariantBuilder builder;
  g_autoptr(GVariant) variant = NULL;

  g_return_val_if_fail (query != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; i < G_N_ELEMENTS (text_members); i++)
    {
      const char *value = G_STRUCT_MEMBER (const char *, query, text_members[i].offset);
      if (value != NULL)
        g_variant_builder_add (&builder, "{ss}", text_members[i].key, value);
    }
  if (query->sla_breached_only)
    g_variant_builder_add (&builder, "{ss}", "sla_breached_only", "true");

  variant = g_variant_ref_sink (g_variant_builder_end (&builder));
  return g_variant_print (variant, FALSE);
}

/**
 * cp_lead_query_from_string:
 * @text: what cp_lead_query_to_string() made; anything else is ignored
 *
 * Returns: (transfer full): a query with those filters (an unfiltered one
 *   when @text is empty or damaged: a bad saved filter must not lock a
 *   view)
 */
CpLeadQuery *
cp_lead_query_from_string (const char *text)
{
  CpLeadQuery *query = cp_lead_query_new ();
  g_autoptr(GVariant) variant = NULL;
  GVariantIter iter;
  const char *key;
  const char *value;

  if (text == NULL || *text == '\0')
    return query;

  variant = g_variant_parse (G_VARIANT_TYPE ("a{ss}"), text, NULL, NULL, NULL);
  if (variant == NULL)
    return query;

  g_variant_iter_init (&iter, variant);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    {
      if (g_str_equal (key, "sla_breached_only"))
        query->sla_breached_only = g_str_equal (value, "true");
      for (guint i = 0; i < G_N_ELEMENTS (text_members); i++)
        if (g_str_equal (key, text_members[i].key) && *value != '\0')
          {
            char **member = &G_STRUCT_MEMBER (char *, query, text_members[i].offset);
            g_free (*member);
            *member = g_strdup (value);
          }
    }

  return query;
}

/**
 * cp_lead_query_has_filter:
 *
 * Returns: whether @query narrows the leads at all
 */
gboolean
cp_lead_query_has_filter (const CpLeadQuery *query)
{
  g_return_val_if_fail (query != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (text_members); i++)
    if (G_STRUCT_MEMBER (const char *, query, text_members[i].offset) != NULL)
      return TRUE;

  return query->sla_breached_only || query->lead_set != NULL ||
         query->created_from != 0 || query->created_to != 0 ||
         query->updated_from != 0 || query->updated_to != 0;
}

/**
 * cp_lead_query_set_lead_set:
 * @rowids: (nullable) (element-type gint64): the leads; %NULL: any
 * @label: (nullable): what the set is, e.g. "Stage funnel: Qualified"
 *
 * Narrows @query to the given leads.
 */
void
cp_lead_query_set_lead_set (CpLeadQuery  *query,
                            const GArray *rowids,
                            const char   *label)
{
  GString *json;

  g_return_if_fail (query != NULL);

  g_clear_pointer (&query->lead_set, g_free);
  g_clear_pointer (&query->lead_set_label, g_free);
  if (rowids == NULL)
    return;

  json = g_string_sized_new (rowids->len * 8 + 2);
  g_string_append_c (json, '[');
  for (guint i = 0; i < rowids->len; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            g_array_index (rowids, gint64, i));
  g_string_append_c (json, ']');
  query->lead_set = g_string_free (json, FALSE);
  query->lead_set_label = g_strdup (label);
}
