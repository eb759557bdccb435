/* cp-hubspot-forms.c — HubSpot form submissions, read page by page as form fills
 *
 * The documented way in: the forms of the account from GET
 * /marketing/v3/forms (paged with `after`), then each form's submissions
 * from GET /form-integrations/v1/submissions/forms/{guid}?limit=50&after=…
 * (scope `forms`), newest first, each with `submittedAt` (epoch ms),
 * `values` ([{name, value}]) and `pageUrl`. Of a submission only what
 * Carepath needs is kept: the email (to find its lead), how many fields
 * were answered, the form and the page (without its query, which may
 * carry personal data); never the answers themselves.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-hubspot-backend"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cp-hubspot-forms.h"
#include "cp-normalize.h"
#include "cp-sync-error.h"

#define FORMS_PATH       "/marketing/v3/forms"
#define SUBMISSIONS_PATH "/form-integrations/v1/submissions/forms/"
#define SUBMISSIONS_PAGE 50

void
cp_hubspot_source_free (CpHubspotSource *source)
{
  if (source == NULL)
    return;
  g_free (source->id);
  g_free (source->name);
  g_free (source->type);
  g_free (source);
}

char *
_cp_hubspot_json_ms (JsonObject *object,
                     const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  const char *text;
  char *end = NULL;
  gint64 ms;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) json_node_get_double (node));
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  text = json_node_get_string (node);
  if (text == NULL || *text == '\0')
    return NULL;
  ms = g_ascii_strtoll (text, &end, 10);
  if (*end == '\0')
    return g_strdup_printf ("%" G_GINT64_FORMAT, ms);
  {
    g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (text, NULL);

    if (time == NULL)
      return NULL;
    return g_strdup_printf ("%" G_GINT64_FORMAT,
                            g_date_time_to_unix (time) * 1000 +
                            g_date_time_get_microsecond (time) / 1000);
  }
}

/* HubSpot's `paging.next.after`, or NULL on the last page. */
char *
_cp_hubspot_next_after (JsonObject *answer)
{
  JsonNode *paging = json_object_get_member (answer, "paging");
  JsonNode *next;

  if (paging == NULL || !JSON_NODE_HOLDS_OBJECT (paging))
    return NULL;
  next = json_object_get_member (json_node_get_object (paging), "next");
  if (next == NULL || !JSON_NODE_HOLDS_OBJECT (next))
    return NULL;
  return g_strdup (cp_json_get_string (json_node_get_object (next), "after"));
}

/**
 * _cp_hubspot_get_results:
 * @unexpected: what the answer was, said when it has no `results` array
 * @out_root: (out) (transfer full): the answer, which owns the array
 *
 * GETs @path and finds its `results`: one shape for every list of the
 * forms and marketing-events APIs.
 *
 * Returns: (transfer none) (nullable): the results, or %NULL with @error
 */
JsonArray *
_cp_hubspot_get_results (CpCrmClient   *client,
                         const char    *path,
                         const char    *unexpected,
                         JsonNode     **out_root,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(JsonNode) root = cp_crm_client_request (client, "GET", path, NULL, 0, NULL,
                                                    cancellable, error);
  JsonObject *answer = root != NULL ? cp_json_root_object (root) : NULL;
  JsonNode *results = answer != NULL ? json_object_get_member (answer, "results") : NULL;

  *out_root = NULL;
  if (root == NULL)
    return NULL;
  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results))
    {
      cp_crm_client_set_unexpected (client, error, unexpected);
      return NULL;
    }
  *out_root = g_steal_pointer (&root);
  return json_node_get_array (results);
}

/**
 * _cp_hubspot_list_forms:
 *
 * Returns: (transfer full) (element-type CpHubspotSource): every form of
 *   the account, all pages read
 */
GPtrArray *
_cp_hubspot_list_forms (CpCrmClient   *client,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GPtrArray) forms = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_hubspot_source_free);
  g_autofree char *after = NULL;

  do
    {
      g_autofree char *escaped = after != NULL ? g_uri_escape_string (after, NULL, TRUE) : NULL;
      g_autofree char *path = escaped != NULL ? g_strconcat (FORMS_PATH "?after=", escaped, NULL)
                                              : g_strdup (FORMS_PATH);
      g_autoptr(JsonNode) root = NULL;
      JsonArray *results = _cp_hubspot_get_results (client, path,
                                                    _("a list of forms without results"),
                                                    &root, cancellable, error);
      JsonObject *answer = root != NULL ? cp_json_root_object (root) : NULL;

      if (results == NULL)
        return NULL;
      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          JsonNode *element = json_array_get_element (results, i);
          JsonObject *form = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
          const char *id = cp_json_get_string (form, "id");
          CpHubspotSource *source;

          if (id == NULL || *id == '\0')
            continue;
          source = g_new0 (CpHubspotSource, 1);
          source->id = g_strdup (id);
          source->name = g_strdup (cp_json_get_string (form, "name"));
          g_ptr_array_add (forms, source);
        }
      g_free (after);
      after = _cp_hubspot_next_after (answer);
    }
  while (after != NULL);
  return g_steal_pointer (&forms);
}

/* The page a form was sent from, without query or fragment. */
static char *
page_without_query (const char *url)
{
  if (url == NULL || *url == '\0')
    return NULL;
  return g_strndup (url, strcspn (url, "?#"));
}

/* One submission as a record: its id is the form, the time and a hash of
 * the email, stable across pulls (HubSpot's conversionId is not promised
 * on every submission). */
static CpCrmRecord *
submission_record (const CpHubspotSource *form,
                   JsonObject            *submission)
{
  g_autofree char *when = _cp_hubspot_json_ms (submission, "submittedAt");
  JsonNode *values = json_object_get_member (submission, "values");
  g_autofree char *email = NULL;
  g_autofree char *key = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *remote_id = NULL;
  CpCrmRecord *record;
  guint answers = 0;

  if (when == NULL)
    return NULL;
  for (guint i = 0; values != NULL && JSON_NODE_HOLDS_ARRAY (values) &&
                    i < json_array_get_length (json_node_get_array (values)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (values), i);
      JsonObject *value = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *name = cp_json_get_string (value, "name");
      const char *text = cp_json_get_string (value, "value");

      if (text == NULL || *text == '\0')
        continue;
      answers++;
      if (email == NULL && name != NULL && g_ascii_strcasecmp (name, "email") == 0)
        email = g_strstrip (g_strdup (text));
    }
  key = email != NULL ? cp_normalize_email (email) : NULL;
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key != NULL ? key : "", -1);
  hash[16] = '\0';
  remote_id = g_strdup_printf ("%s:%s:%s", form->id, when, hash);
  record = cp_crm_record_new (remote_id, when, when);
  g_hash_table_insert (record->properties, g_strdup (CP_HUBSPOT_P_FORM), g_strdup (form->id));
  g_hash_table_insert (record->properties, g_strdup (CP_HUBSPOT_P_WHEN), g_strdup (when));
  g_hash_table_insert (record->properties, g_strdup (CP_HUBSPOT_P_ANSWERS),
                       g_strdup_printf ("%u", answers));
  if (email != NULL && *email != '\0')
    g_hash_table_insert (record->properties, g_strdup (CP_HUBSPOT_P_EMAIL), g_steal_pointer (&email));
  if (form->name != NULL && *form->name != '\0')
    g_hash_table_insert (record->properties, g_strdup (CP_HUBSPOT_P_FORM_NAME), g_strdup (form->name));
  {
    char *page = page_without_query (cp_json_get_string (submission, "pageUrl"));

    if (page != NULL)
      g_hash_table_insert (record->properties, g_strdup (CP_HUBSPOT_P_PAGE), page);
  }
  return record;
}

/**
 * _cp_hubspot_submissions_page:
 * @after: (nullable): HubSpot's paging token, %NULL for the newest page
 *
 * Returns: (transfer full): one page of @form's submissions, newest
 *   first, each record's cursor its submittedAt (epoch ms); next_page
 *   HubSpot's own `paging.next.after`
 */
CpCrmPage *
_cp_hubspot_submissions_page (CpCrmClient            *client,
                              const CpHubspotSource  *form,
                              const char             *after,
                              GCancellable           *cancellable,
                              GError                **error)
{
  g_autofree char *id = g_uri_escape_string (form->id, NULL, TRUE);
  g_autofree char *escaped = after != NULL ? g_uri_escape_string (after, NULL, TRUE) : NULL;
  g_autofree char *path = g_strdup_printf (SUBMISSIONS_PATH "%s?limit=%d%s%s", id, SUBMISSIONS_PAGE,
                                           escaped != NULL ? "&after=" : "",
                                           escaped != NULL ? escaped : "");
  g_autoptr(JsonNode) root = NULL;
  JsonArray *results = _cp_hubspot_get_results (client, path,
                                                _("a list of form submissions without results"),
                                                &root, cancellable, error);
  JsonObject *answer = root != NULL ? cp_json_root_object (root) : NULL;
  CpCrmPage *page;

  if (results == NULL)
    return NULL;
  page = g_new0 (CpCrmPage, 1);
  page->total = -1;
  page->records = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_crm_record_free);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *element = json_array_get_element (results, i);
      CpCrmRecord *record = JSON_NODE_HOLDS_OBJECT (element)
                            ? submission_record (form, json_node_get_object (element)) : NULL;

      /* A submission without a time cannot be placed: HubSpot always sends one. */
      if (record != NULL)
        g_ptr_array_add (page->records, record);
    }
  page->next_page = _cp_hubspot_next_after (answer);
  return page;
}

/**
 * _cp_hubspot_form_activity:
 * @activity: filled in: kind, time, detail (the form's name, else the
 *   page), depth (the fields answered), direction and external id
 *
 * Returns: %FALSE with @error when the kept record lacks its time
 */
gboolean
_cp_hubspot_form_activity (const CpCrmRecord  *record,
                           CpActivity         *activity,
                           GError            **error)
{
  const char *when = g_hash_table_lookup (record->properties, CP_HUBSPOT_P_WHEN);
  const char *name = g_hash_table_lookup (record->properties, CP_HUBSPOT_P_FORM_NAME);
  const char *answers = g_hash_table_lookup (record->properties, CP_HUBSPOT_P_ANSWERS);
  g_autofree char *external_id = g_strconcat ("hubspot:form:", record->remote_id, NULL);
  char *end = NULL;
  gint64 ms = when != NULL ? g_ascii_strtoll (when, &end, 10) : 0;

  if (when == NULL || *end != '\0' || ms <= 0)
    {
      g_set_error_literal (error, CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED,
                           _("The form submission has no time Carepath can read."));
      return FALSE;
    }
  cp_activity_set_kind (activity, CP_ACTIVITY_KIND_FORM_FILL);
  cp_activity_set_occurred_at (activity, ms / 1000);
  cp_activity_set_detail (activity, name != NULL ? name
                                                 : g_hash_table_lookup (record->properties,
                                                                        CP_HUBSPOT_P_PAGE));
  cp_activity_set_depth (activity, answers != NULL ? (int) CLAMP (g_ascii_strtoll (answers, NULL, 10),
                                                                  0, G_MAXINT) : 0);
  cp_activity_set_direction (activity, "inbound");
  cp_activity_set_external_id (activity, external_id);
  return TRUE;
}
