/* cp-hubspot-events.c — HubSpot marketing-event participations, read as webinar and event activities
 *
 * The documented way in (scope crm.objects.marketing_events.read): every
 * event of the account from GET /marketing/v3/marketing-events/ (sorted
 * by objectId, paged with `after`), its counters from GET
 * /marketing/v3/marketing-events/participations/{objectId} and, per
 * contact, its breakdown from …/participations/{objectId}/breakdown
 * (paged with `after`; each result with its contact's id and email, an
 * attendanceState, occurredAt and attendanceDurationSeconds).
 *
 * HubSpot documents no time filter and no order for the breakdown, and
 * no modified-since filter for events: there is no cursor to resume
 * from. What is possible: the counters (one request per event) are kept
 * as the event's cursor, and an event whose counters did not change is
 * not read again; the external ids make a re-read record nothing twice.
 *
 * Attended: a webinar (an eventType or, without one, a name that says
 * webinar, virtual or online) is webinar_attended, anything else
 * event_check_in — only a webinar may qualify a lead through the
 * playbook's webinar rule. Registered (and a no-show, who registered) is
 * webinar_registered for a webinar; Carepath has no kind for a
 * registration to an event in person, nor for a cancellation: those
 * bring no activity.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-hubspot-backend"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cp-hubspot-forms.h"
#include "cp-normalize.h"
#include "cp-sync-error.h"

#define EVENTS_PATH         "/marketing/v3/marketing-events/"
#define PARTICIPATIONS_PATH "/marketing/v3/marketing-events/participations/"

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* A string member, or a number spelled as one (ids come as either). */
static char *
dup_id (JsonObject *object,
        const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_STRING && *json_node_get_string (node) != '\0')
    return g_strdup (json_node_get_string (node));
  return NULL;
}

/**
 * _cp_hubspot_list_events:
 *
 * Returns: (transfer full) (element-type CpHubspotSource): every marketing
 *   event of the account, all pages read
 */
GPtrArray *
_cp_hubspot_list_events (CpCrmClient   *client,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_hubspot_source_free);
  g_autofree char *after = NULL;

  do
    {
      g_autofree char *escaped = after != NULL ? g_uri_escape_string (after, NULL, TRUE) : NULL;
      g_autofree char *path = g_strconcat (EVENTS_PATH "?limit=100", escaped != NULL ? "&after=" : "",
                                           escaped, NULL);
      g_autoptr(JsonNode) root = NULL;
      JsonArray *results = _cp_hubspot_get_results (client, path,
                                                    _("a list of marketing events without results"),
                                                    &root, cancellable, error);
      JsonObject *answer = root != NULL ? cp_json_root_object (root) : NULL;

      if (results == NULL)
        return NULL;
      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          JsonNode *element = json_array_get_element (results, i);
          JsonObject *event = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
          g_autofree char *id = dup_id (event, "objectId");
          CpHubspotSource *source;

          if (id == NULL)
            id = dup_id (event, "id");
          if (id == NULL)
            continue;
          source = g_new0 (CpHubspotSource, 1);
          source->id = g_steal_pointer (&id);
          source->name = g_strdup (cp_json_get_string (event, "eventName"));
          source->type = g_strdup (cp_json_get_string (event, "eventType"));
          g_ptr_array_add (events, source);
        }
      g_free (after);
      after = _cp_hubspot_next_after (answer);
    }
  while (after != NULL);
  return g_steal_pointer (&events);
}

static gint64
counter (JsonObject *object,
         const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64 ? json_node_get_int (node) : -1;
}

/**
 * _cp_hubspot_event_counters:
 *
 * Returns: (transfer full): the event's participation counters as one
 *   string ("attended,registered,cancelled,no-shows"), what the event's
 *   cursor keeps
 */
char *
_cp_hubspot_event_counters (CpCrmClient            *client,
                            const CpHubspotSource  *event,
                            GCancellable           *cancellable,
                            GError                **error)
{
  g_autofree char *id = g_uri_escape_string (event->id, NULL, TRUE);
  g_autofree char *path = g_strconcat (PARTICIPATIONS_PATH, id, NULL);
  g_autoptr(JsonNode) root = cp_crm_client_request (client, "GET", path, NULL, 0, NULL,
                                                    cancellable, error);
  JsonObject *answer = root != NULL ? cp_json_root_object (root) : NULL;

  if (root == NULL)
    return NULL;
  if (answer == NULL)
    {
      cp_crm_client_set_unexpected (client, error, _("participation counters that are no object"));
      return NULL;
    }
  return g_strdup_printf ("%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
                          ",%" G_GINT64_FORMAT, counter (answer, "attended"),
                          counter (answer, "registered"), counter (answer, "cancelled"),
                          counter (answer, "noShows"));
}

static void
set_property (CpCrmRecord *record,
              const char  *name,
              char        *value)
{
  if (value != NULL && *value != '\0')
    g_hash_table_insert (record->properties, g_strdup (name), value);
  else
    g_free (value);
}

/* Whose participation: the contact's id, else a hash of the email. */
static char *
participant_key (const char *contact_id,
                 const char *email)
{
  g_autofree char *key = email != NULL ? cp_normalize_email (email) : NULL;
  char *hash;

  if (contact_id != NULL)
    return g_strdup (contact_id);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key != NULL ? key : "", -1);
  hash[16] = '\0';
  return hash;
}

static CpCrmRecord *
participation_record (const CpHubspotSource *event,
                      JsonObject            *result)
{
  JsonObject *contact = member_object (member_object (result, "associations"), "contact");
  JsonObject *properties = member_object (result, "properties");
  g_autofree char *contact_id = dup_id (contact, "contactId");
  g_autofree char *own_id = dup_id (result, "id");
  const char *email = cp_json_get_string (contact, "email");
  const char *state = cp_json_get_string (properties, "attendanceState");
  g_autofree char *when = _cp_hubspot_json_ms (properties, "occurredAt");
  g_autofree char *who = participant_key (contact_id, email);
  g_autofree char *remote_id = NULL;
  JsonNode *duration = properties != NULL
                       ? json_object_get_member (properties, "attendanceDurationSeconds") : NULL;
  CpCrmRecord *record;

  if (when == NULL)
    when = _cp_hubspot_json_ms (result, "createdAt");
  remote_id = own_id != NULL ? g_strdup_printf ("%s:%s", event->id, own_id)
                             : g_strdup_printf ("%s:%s:%s", event->id, who, state != NULL ? state : "");
  record = cp_crm_record_new (remote_id, when, when);
  set_property (record, CP_HUBSPOT_P_EVENT, g_strdup (event->id));
  set_property (record, CP_HUBSPOT_P_EVENT_NAME, g_strdup (event->name));
  set_property (record, CP_HUBSPOT_P_EVENT_TYPE, g_strdup (event->type));
  set_property (record, CP_HUBSPOT_P_CONTACT, g_steal_pointer (&contact_id));
  set_property (record, CP_HUBSPOT_P_EMAIL, g_strdup (email));
  set_property (record, CP_HUBSPOT_P_STATE, g_strdup (state));
  set_property (record, CP_HUBSPOT_P_WHEN, g_steal_pointer (&when));
  if (duration != NULL && JSON_NODE_HOLDS_VALUE (duration) &&
      json_node_get_value_type (duration) == G_TYPE_INT64 && json_node_get_int (duration) > 0)
    set_property (record, CP_HUBSPOT_P_MINUTES,
                  g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (duration) / 60));
  return record;
}

/**
 * _cp_hubspot_participations_page:
 * @after: (nullable): HubSpot's paging token, %NULL for the first page
 *
 * Returns: (transfer full): one page of the event's breakdown by contact
 */
CpCrmPage *
_cp_hubspot_participations_page (CpCrmClient            *client,
                                 const CpHubspotSource  *event,
                                 const char             *after,
                                 GCancellable           *cancellable,
                                 GError                **error)
{
  g_autofree char *id = g_uri_escape_string (event->id, NULL, TRUE);
  g_autofree char *escaped = after != NULL ? g_uri_escape_string (after, NULL, TRUE) : NULL;
  g_autofree char *path = g_strconcat (PARTICIPATIONS_PATH, id, "/breakdown",
                                       escaped != NULL ? "?after=" : "", escaped, NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *results = _cp_hubspot_get_results (client, path,
                                                _("a participation breakdown without results"),
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

      if (JSON_NODE_HOLDS_OBJECT (element))
        g_ptr_array_add (page->records, participation_record (event, json_node_get_object (element)));
    }
  page->next_page = _cp_hubspot_next_after (answer);
  return page;
}

static gboolean
mentions_webinar (const char *text)
{
  static const char * const words[] = { "webinar", "virtual", "online" };
  g_autofree char *folded = text != NULL ? g_utf8_casefold (text, -1) : NULL;

  for (guint i = 0; folded != NULL && i < G_N_ELEMENTS (words); i++)
    if (strstr (folded, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
is_webinar (const CpCrmRecord *record)
{
  const char *type = g_hash_table_lookup (record->properties, CP_HUBSPOT_P_EVENT_TYPE);

  if (type != NULL)
    return mentions_webinar (type);
  return mentions_webinar (g_hash_table_lookup (record->properties, CP_HUBSPOT_P_EVENT_NAME));
}

/**
 * _cp_hubspot_participation_activity:
 * @out_recorded: (out): %FALSE when the participation brings no activity
 *   (a cancellation; a registration to an event in person)
 * @activity: filled in when it does
 *
 * Returns: %FALSE with @error for a state or a time Carepath cannot read
 */
gboolean
_cp_hubspot_participation_activity (const CpCrmRecord  *record,
                                    gboolean           *out_recorded,
                                    CpActivity         *activity,
                                    GError            **error)
{
  const char *state = g_hash_table_lookup (record->properties, CP_HUBSPOT_P_STATE);
  const char *when = g_hash_table_lookup (record->properties, CP_HUBSPOT_P_WHEN);
  const char *minutes = g_hash_table_lookup (record->properties, CP_HUBSPOT_P_MINUTES);
  g_autofree char *who = participant_key (g_hash_table_lookup (record->properties, CP_HUBSPOT_P_CONTACT),
                                          g_hash_table_lookup (record->properties, CP_HUBSPOT_P_EMAIL));
  g_autofree char *external_id = NULL;
  const char *suffix;
  char *end = NULL;
  gint64 ms = when != NULL ? g_ascii_strtoll (when, &end, 10) : 0;

  *out_recorded = FALSE;
  if (g_strcmp0 (state, "ATTENDED") == 0)
    {
      cp_activity_set_kind (activity, is_webinar (record) ? CP_ACTIVITY_KIND_WEBINAR_ATTENDED
                                                          : CP_ACTIVITY_KIND_EVENT_CHECK_IN);
      suffix = "attended";
    }
  else if (g_strcmp0 (state, "REGISTERED") == 0 || g_strcmp0 (state, "NO_SHOW") == 0)
    {
      if (!is_webinar (record))
        return TRUE;
      cp_activity_set_kind (activity, CP_ACTIVITY_KIND_WEBINAR_REGISTERED);
      suffix = "registered";
    }
  else if (g_strcmp0 (state, "CANCELLED") == 0)
    return TRUE;
  else
    {
      g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED,
                   _("The participation state “%s” means nothing to Carepath yet."),
                   state != NULL ? state : "");
      return FALSE;
    }
  if (when == NULL || *end != '\0' || ms <= 0)
    {
      g_set_error_literal (error, CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED,
                           _("The participation has no time Carepath can read."));
      return FALSE;
    }
  external_id = g_strdup_printf ("hubspot:event:%s:%s:%s",
                                 (char *) g_hash_table_lookup (record->properties, CP_HUBSPOT_P_EVENT),
                                 who, suffix);
  cp_activity_set_occurred_at (activity, ms / 1000);
  cp_activity_set_detail (activity, g_hash_table_lookup (record->properties, CP_HUBSPOT_P_EVENT_NAME));
  cp_activity_set_depth (activity, minutes != NULL ? (int) CLAMP (g_ascii_strtoll (minutes, NULL, 10),
                                                                  0, G_MAXINT) : 0);
  cp_activity_set_direction (activity, "inbound");
  cp_activity_set_external_id (activity, external_id);
  *out_recorded = TRUE;
  return TRUE;
}
