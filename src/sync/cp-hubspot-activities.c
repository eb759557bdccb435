/* cp-hubspot-activities.c — HubSpot engagements (calls, emails, meetings, notes) as activities
 *
 * Each engagement type is a CRM v3 object with a search endpoint
 * (/crm/v3/objects/calls/search, …) that filters and sorts on
 * hs_lastmodifieddate: the same incremental pull as contacts, with a
 * cursor per type. Search answers carry no associations, so each page's
 * contacts are read in one v4 batch (POST
 * /crm/v4/associations/{type}/contacts/batch/read). Only what Carepath
 * scores on is asked for: the time, the outcome or direction, and a
 * subject or title; never a call's notes, an email's or a note's body.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-hubspot-backend"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cp-crm-backend-private.h"
#include "cp-hubspot-private.h"
#include "cp-sync-error.h"

#define ENGAGEMENT_MODIFIED "hs_lastmodifieddate"
#define OBJECTS             "/crm/v3/objects/"
#define ASSOCIATIONS        "/crm/v4/associations/"

static const char * const activity_objects[] = { "calls", "emails", "meetings", "notes", NULL };

static const char * const call_properties[] = {
  "hs_timestamp", "hs_call_title", "hs_call_disposition", "hs_call_direction", NULL
};
static const char * const email_properties[] = {
  "hs_timestamp", "hs_email_subject", "hs_email_direction", "hs_email_status", NULL
};
static const char * const meeting_properties[] = {
  "hs_timestamp", "hs_meeting_title", "hs_meeting_outcome", NULL
};
static const char * const note_properties[] = { "hs_timestamp", NULL };

static const CpHubspotObject engagement_objects[] = {
  { OBJECTS "calls", ENGAGEMENT_MODIFIED, call_properties },
  { OBJECTS "emails", ENGAGEMENT_MODIFIED, email_properties },
  { OBJECTS "meetings", ENGAGEMENT_MODIFIED, meeting_properties },
  { OBJECTS "notes", ENGAGEMENT_MODIFIED, note_properties },
};

/* HubSpot's default call outcomes (hs_call_disposition holds their ids);
 * an account's own outcomes are not known here and are kept unapplied. */
static const struct
{
  const char *id;
  const char *disposition;
} call_outcomes[] = {
  { "f240bbac-87c9-4f6e-bf70-924b57d47db7", "connected" },
  { "b2cf5968-551e-4856-9783-52b3da59a7d0", "left_voicemail" },
  { "a4c4c377-d246-4b32-a13b-75a56a4cd0ff", "left_voicemail" },   /* left live message */
  { "73a0d17f-1163-4015-bdd5-ec830791da20", "no_answer" },
  { "9d9162e7-6cf3-4944-bf63-4dff82258764", "no_answer" },        /* busy */
  { "17b47fee-58de-441e-a44c-c6300d46f273", "wrong_number" },
};

static const CpHubspotObject *
object_for (const char *object)
{
  for (guint i = 0; i < G_N_ELEMENTS (engagement_objects); i++)
    if (g_str_equal (engagement_objects[i].path + strlen (OBJECTS), object))
      return &engagement_objects[i];
  return NULL;
}

static const char * const *
hubspot_get_activity_objects (CpCrmBackend *backend)
{
  return activity_objects;
}

/* A v4 association target: "toObjectId" is a number, or a string. */
static char *
to_object_id (JsonObject *target)
{
  JsonNode *node = json_object_get_member (target, "toObjectId");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return NULL;
}

/* Fills each record's CP_CRM_CONTACTS_PROPERTY from a batch read answer.
 * An engagement the answer leaves out (HubSpot lists those without
 * associations under "errors") keeps none. */
static void
note_associations (JsonNode   *root,
                   GHashTable *by_id)
{
  JsonObject *answer = cp_json_root_object (root);
  JsonNode *results = answer != NULL ? json_object_get_member (answer, "results") : NULL;
  JsonArray *array;

  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results))
    return;
  array = json_node_get_array (results);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *result = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      JsonNode *from = result != NULL ? json_object_get_member (result, "from") : NULL;
      JsonNode *to = result != NULL ? json_object_get_member (result, "to") : NULL;
      const char *from_id = from != NULL && JSON_NODE_HOLDS_OBJECT (from)
                            ? cp_json_get_string (json_node_get_object (from), "id") : NULL;
      CpCrmRecord *record = from_id != NULL ? g_hash_table_lookup (by_id, from_id) : NULL;
      g_autoptr(GString) contacts = NULL;

      if (record == NULL || to == NULL || !JSON_NODE_HOLDS_ARRAY (to))
        continue;
      contacts = g_string_new (g_hash_table_lookup (record->properties, CP_CRM_CONTACTS_PROPERTY));
      for (guint j = 0; j < json_array_get_length (json_node_get_array (to)); j++)
        {
          JsonNode *target = json_array_get_element (json_node_get_array (to), j);
          g_autofree char *id = JSON_NODE_HOLDS_OBJECT (target)
                                ? to_object_id (json_node_get_object (target)) : NULL;

          if (id != NULL && strchr (id, ',') == NULL)
            g_string_append_printf (contacts, "%s%s", contacts->len > 0 ? "," : "", id);
        }
      if (contacts->len > 0)
        g_hash_table_replace (record->properties, g_strdup (CP_CRM_CONTACTS_PROPERTY),
                              g_string_free (g_steal_pointer (&contacts), FALSE));
    }
}

/* The contacts the page's engagements are associated with, in one batch
 * read (a page holds at most 200 engagements; the batch takes 1,000). */
static gboolean
read_associations (CpCrmClient   *client,
                   const char    *object,
                   CpCrmPage     *page,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = g_strconcat (ASSOCIATIONS, object, "/contacts/batch/read", NULL);

  if (page->records->len == 0)
    return TRUE;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "inputs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < page->records->len; i++)
    {
      CpCrmRecord *record = page->records->pdata[i];

      g_hash_table_insert (by_id, record->remote_id, record);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, record->remote_id);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  root = cp_crm_client_request (client, "POST", path, body, 0, NULL, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (cp_json_root_object (root) == NULL)
    {
      cp_crm_client_set_unexpected (client, error, _("an association answer that is no object"));
      return FALSE;
    }
  note_associations (root, by_id);
  return TRUE;
}

static CpCrmPage *
hubspot_pull_activity_page (CpCrmBackend  *backend,
                            const char    *object,
                            const char    *cursor,
                            const char    *page_token,
                            GCancellable  *cancellable,
                            GError       **error)
{
  const CpHubspotObject *found = object_for (object);
  g_autoptr(CpCrmPage) page = NULL;

  g_return_val_if_fail (found != NULL, NULL);

  page = _cp_hubspot_search_page (CP_HUBSPOT_BACKEND (backend), found, cursor, page_token,
                                  cancellable, error);
  if (page == NULL ||
      !read_associations (cp_crm_backend_get_client (backend), object, page, cancellable, error))
    return NULL;
  return g_steal_pointer (&page);
}

/* ISO 8601 or epoch milliseconds, as seconds; -1 if neither. */
static gint64
parse_seconds (const char *text)
{
  g_autoptr(GDateTime) time = NULL;
  char *end = NULL;
  gint64 ms;

  if (text == NULL || *text == '\0')
    return -1;
  ms = g_ascii_strtoll (text, &end, 10);
  if (*end == '\0')
    return ms / 1000;
  time = g_date_time_new_from_iso8601 (text, NULL);
  return time != NULL ? g_date_time_to_unix (time) : -1;
}

static gboolean
map_call (const CpCrmRecord  *record,
          CpCrmActivity      *out,
          GError            **error)
{
  const char *outcome = g_hash_table_lookup (record->properties, "hs_call_disposition");
  const char *direction = g_hash_table_lookup (record->properties, "hs_call_direction");

  out->kind = CP_ACTIVITY_KIND_CALL;
  if (outcome != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (call_outcomes) && out->disposition == NULL; i++)
        if (g_ascii_strcasecmp (call_outcomes[i].id, outcome) == 0)
          out->disposition = g_strdup (call_outcomes[i].disposition);
      if (out->disposition == NULL)
        return _cp_crm_activity_refuse (error, _("call outcome"), outcome);
    }
  if (g_strcmp0 (direction, "INBOUND") == 0)
    out->direction = g_strdup ("inbound");
  else if (g_strcmp0 (direction, "OUTBOUND") == 0 || direction == NULL)
    out->direction = g_strdup ("outbound");
  else
    return _cp_crm_activity_refuse (error, _("call direction"), direction);
  out->detail = g_strdup (g_hash_table_lookup (record->properties, "hs_call_title"));
  return TRUE;
}

static gboolean
map_email (const CpCrmRecord  *record,
           CpCrmActivity      *out,
           GError            **error)
{
  const char *direction = g_hash_table_lookup (record->properties, "hs_email_direction");
  const char *status = g_hash_table_lookup (record->properties, "hs_email_status");

  if (g_strcmp0 (direction, "INCOMING_EMAIL") == 0)
    {
      out->kind = CP_ACTIVITY_KIND_EMAIL_REPLY;
      out->direction = g_strdup ("inbound");
    }
  else if (g_strcmp0 (direction, "EMAIL") == 0 || g_strcmp0 (direction, "FORWARDED_EMAIL") == 0)
    {
      out->kind = g_strcmp0 (status, "BOUNCED") == 0 ? CP_ACTIVITY_KIND_EMAIL_BOUNCE
                                                      : CP_ACTIVITY_KIND_EMAIL_SENT;
      out->direction = g_strdup ("outbound");
    }
  else
    return _cp_crm_activity_refuse (error, _("email direction"), direction);
  out->detail = g_strdup (g_hash_table_lookup (record->properties, "hs_email_subject"));
  return TRUE;
}

/* A meeting held is attended; one only planned (or moved, missed,
 * cancelled) was booked. Held later, it is a second activity. */
static gboolean
map_meeting (const CpCrmRecord  *record,
             CpCrmActivity      *out,
             GError            **error)
{
  static const char * const booked[] = { "SCHEDULED", "RESCHEDULED", "NO_SHOW", "CANCELED", NULL };
  const char *outcome = g_hash_table_lookup (record->properties, "hs_meeting_outcome");

  if (g_strcmp0 (outcome, "COMPLETED") == 0)
    out->kind = CP_ACTIVITY_KIND_MEETING_ATTENDED;
  else if (outcome == NULL || g_strv_contains (booked, outcome))
    out->kind = CP_ACTIVITY_KIND_MEETING_BOOKED;
  else
    return _cp_crm_activity_refuse (error, _("meeting outcome"), outcome);
  out->direction = g_strdup ("outbound");
  out->detail = g_strdup (g_hash_table_lookup (record->properties, "hs_meeting_title"));
  return TRUE;
}

static gboolean
hubspot_activity_from_record (CpCrmBackend       *backend,
                              const char         *object,
                              const CpCrmRecord  *record,
                              CpCrmActivity      *out,
                              GError            **error)
{
  const char *timestamp = g_hash_table_lookup (record->properties, "hs_timestamp");
  g_autofree char *type = NULL;
  gboolean ok;

  out->occurred_at = parse_seconds (timestamp);
  if (out->occurred_at < 0)
    return _cp_crm_activity_refuse (error, _("time"), timestamp);

  if (g_str_equal (object, "calls"))
    ok = map_call (record, out, error);
  else if (g_str_equal (object, "emails"))
    ok = map_email (record, out, error);
  else if (g_str_equal (object, "meetings"))
    ok = map_meeting (record, out, error);
  else if (g_str_equal (object, "notes"))
    {
      out->kind = CP_ACTIVITY_KIND_NOTE;
      ok = TRUE;
    }
  else
    ok = _cp_crm_activity_refuse (error, _("type"), object);
  if (!ok)
    return FALSE;

  /* "calls" → "hubspot:call:ID" */
  type = g_strndup (object, strlen (object) - 1);
  _cp_crm_activity_set_external_id (out, "hubspot", type, record->remote_id);
  return TRUE;
}

void
_cp_hubspot_activities_iface_init (CpCrmBackendInterface *iface)
{
  iface->get_activity_objects = hubspot_get_activity_objects;
  iface->pull_activity_page = hubspot_pull_activity_page;
  iface->activity_from_record = hubspot_activity_from_record;
}
