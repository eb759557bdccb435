/* cp-espocrm-deletions.c — EspoCRM deletions: every lead id listed, the missing ones asked for
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-espocrm-backend"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cp-espocrm-private.h"
#include "cp-sync-error.h"

/* What GET Lead/{id} says about a lead the sweep did not list. */
typedef enum
{
  LEAD_ALIVE,
  LEAD_GONE,
  LEAD_HIDDEN,
  LEAD_UNDECIDED,
  LEAD_FAILED,
} LeadPresence;

/* Every lead id the API user may list. Pages go by id, each after the last
 * id seen: a lead deleted meanwhile cannot shift a live one out of the
 * listing, as it would with offsets. */
static GHashTable *
list_lead_ids (CpEspocrmBackend  *self,
               GCancellable      *cancellable,
               GError           **error)
{
  g_autoptr(GHashTable) live = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *after = NULL;

  for (;;)
    {
      g_autoptr(GString) path = g_string_new (API_PREFIX "/Lead?select=id&orderBy=id&order=asc");
      g_autoptr(JsonNode) root = NULL;
      gint64 total = -1;
      guint added = 0;
      JsonArray *list;
      guint n;

      g_string_append_printf (path, "&maxSize=%u", PAGE_SIZE);
      if (after != NULL)
        _cp_espocrm_append_where (path, "where[0]", "greaterThan", "id", after);
      list = _cp_espocrm_request_list (self, path->str, 0, &root, &total, cancellable, error);
      if (list == NULL)
        return NULL;

      n = json_array_get_length (list);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (list, i);
          const char *id = JSON_NODE_HOLDS_OBJECT (element)
                           ? cp_json_get_string (json_node_get_object (element), "id") : NULL;

          /* Left out, it is only asked for below. */
          if (id == NULL)
            continue;
          added += g_hash_table_add (live, g_strdup (id));
          g_free (after);
          after = g_strdup (id);
        }
      if (n == 0 || (total >= 0 && n >= total))
        return g_steal_pointer (&live);
      /* A server ignoring the where item would send this page forever. */
      if (added == 0)
        {
          cp_crm_client_set_unexpected (self->client, error,
                                        _("the list of leads does not move past the last id"));
          return NULL;
        }
    }
}

/* Asks EspoCRM for one linked lead the listing left out. */
static LeadPresence
confirm_lead (CpEspocrmBackend  *self,
              const char        *remote_id,
              GCancellable      *cancellable,
              GError           **error)
{
  g_autofree char *escaped = g_uri_escape_string (remote_id, NULL, FALSE);
  g_autofree char *path = g_strdup_printf (API_PREFIX "/Lead/%s", escaped);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  guint status = 0;

  root = cp_crm_client_request (self->client, "GET", path, NULL, 0, &status, cancellable,
                                &local_error);
  if (local_error == NULL)
    return LEAD_ALIVE;
  if (g_error_matches (local_error, CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED) && status == 404)
    return LEAD_GONE;
  if (g_error_matches (local_error, CP_SYNC_ERROR, CP_SYNC_ERROR_FORBIDDEN))
    return LEAD_HIDDEN;
  /* A refused token or the user stopping ends the run, as anywhere else. */
  if (g_error_matches (local_error, CP_SYNC_ERROR, CP_SYNC_ERROR_AUTH) ||
      g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return LEAD_FAILED;
    }
  g_debug ("Lead %s not confirmed: %s", remote_id, local_error->message);
  return LEAD_UNDECIDED;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* EspoCRM has no deletion feed: list every id, then ask for each linked
 * lead the listing left out. Only a 404 is a deletion. A lead the API user
 * may not read (403) is kept and reported (hidden ids). When one answer is
 * in doubt (5xx, no connection: the client has retried already), nothing
 * is reported deleted this run and the rest is not asked (undecided ids). */
GPtrArray *
_cp_espocrm_pull_deletions (CpCrmBackend  *backend,
                            GHashTable    *known_remote_ids,
                            GCancellable  *cancellable,
                            GError       **error)
{
  CpEspocrmBackend *self = CP_ESPOCRM_BACKEND (backend);
  g_autoptr(GHashTable) live = NULL;
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autoptr(GPtrArray) deleted = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  g_ptr_array_set_size (self->hidden_ids, 0);
  g_ptr_array_set_size (self->undecided_ids, 0);
  live = list_lead_ids (self, cancellable, error);
  if (live == NULL)
    return NULL;

  g_hash_table_iter_init (&iter, known_remote_ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (live, key))
      g_ptr_array_add (missing, key);
  g_ptr_array_sort (missing, compare_ids);

  for (guint i = 0; i < missing->len; i++)
    {
      const char *id = missing->pdata[i];

      switch (confirm_lead (self, id, cancellable, error))
        {
        case LEAD_ALIVE:
          break;
        case LEAD_GONE:
          g_ptr_array_add (deleted, g_strdup (id));
          break;
        case LEAD_HIDDEN:
          g_ptr_array_add (self->hidden_ids, g_strdup (id));
          break;
        case LEAD_UNDECIDED:
          g_ptr_array_extend_and_steal (self->undecided_ids, g_steal_pointer (&deleted));
          deleted = g_ptr_array_new_with_free_func (g_free);
          for (; i < missing->len; i++)
            g_ptr_array_add (self->undecided_ids, g_strdup (missing->pdata[i]));
          break;
        case LEAD_FAILED:
        default:
          return NULL;
        }
    }

  if (self->hidden_ids->len > 0)
    g_message ("%u linked leads are not visible to the EspoCRM API user: kept",
               self->hidden_ids->len);
  if (self->undecided_ids->len > 0)
    g_message ("%u leads missing from EspoCRM's list could not be confirmed deleted: "
               "kept until the next sync", self->undecided_ids->len);
  return g_steal_pointer (&deleted);
}
