/* cp-espocrm-activities.c — EspoCRM calls, meetings and emails of leads as activities
 *
 * Call, Meeting and Email records whose parent is a Lead (parentType =
 * Lead, parentId = the lead's id) are pulled like leads: ordered by
 * modifiedAt then id, a cursor per entity, keyset paging. Only what
 * Carepath scores on is selected (no description, no email body). Calls
 * still planned and emails not sent yet (drafts) are left out of the
 * query: they are pulled when they happen, as their modifiedAt moves.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-espocrm-backend"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cp-crm-backend-private.h"
#include "cp-espocrm-private.h"
#include "cp-sync-error.h"

static const char * const activity_objects[] = { "Call", "Meeting", "Email", NULL };

static const char * const *
espocrm_get_activity_objects (CpCrmBackend *backend)
{
  return activity_objects;
}

/* where[@item] is one of @first, @second. */
static void
append_in (GString    *query,
           const char *item,
           const char *attribute,
           const char *first,
           const char *second)
{
  const char *values[] = { first, second };

  _cp_espocrm_append_where (query, item, "in", attribute, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s[value][%u]", item, i);
      g_autofree char *escaped_name = g_uri_escape_string (name, NULL, FALSE);
      g_autofree char *escaped_value = g_uri_escape_string (values[i], NULL, FALSE);

      g_string_append_printf (query, "&%s=%s", escaped_name, escaped_value);
    }
}

/* where[1]: of a lead; where[2]: what has happened; select: the few
 * attributes used. */
static char *
activity_query (const char *entity)
{
  g_autoptr(GString) query = g_string_new (NULL);
  const char *select = g_str_equal (entity, "Email")
                       ? "id,name,status,dateSent,parentType,parentId,modifiedAt"
                       : "id,name,status,direction,dateStart,parentType,parentId,modifiedAt";

  _cp_espocrm_append_where (query, "where[1]", "equals", "parentType", "Lead");
  if (g_str_equal (entity, "Call"))
    append_in (query, "where[2]", "status", "Held", "Not Held");
  else if (g_str_equal (entity, "Email"))
    append_in (query, "where[2]", "status", "Sent", "Archived");
  g_string_append_printf (query, "&select=%s", select);
  return g_string_free (g_steal_pointer (&query), FALSE);
}

static CpCrmPage *
espocrm_pull_activity_page (CpCrmBackend  *backend,
                            const char    *object,
                            const char    *cursor,
                            const char    *page_token,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autofree char *query = NULL;
  CpCrmPage *page;

  g_return_val_if_fail (g_strv_contains (activity_objects, object), NULL);

  query = activity_query (object);
  page = _cp_espocrm_list_page (CP_ESPOCRM_BACKEND (backend), object, query, cursor, page_token,
                                cancellable, error);
  if (page == NULL)
    return NULL;
  /* Its lead is its parent, when the parent is a lead. */
  for (guint i = 0; i < page->records->len; i++)
    {
      CpCrmRecord *record = page->records->pdata[i];
      const char *parent = g_hash_table_lookup (record->properties, "parentId");

      if (parent != NULL && g_strcmp0 (g_hash_table_lookup (record->properties, "parentType"),
                                       "Lead") == 0)
        g_hash_table_replace (record->properties, g_strdup (CP_CRM_CONTACTS_PROPERTY),
                              g_strdup (parent));
    }
  return page;
}

/* “YYYY-MM-DD HH:mm:ss” (UTC) as seconds; -1 when it is not one. */
static gint64
parse_datetime (const char *text)
{
  g_autofree char *iso = NULL;
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL || strlen (text) != 19)
    return -1;
  iso = g_strdup_printf ("%sZ", text);
  iso[10] = 'T';
  time = g_date_time_new_from_iso8601 (iso, NULL);
  return time != NULL ? g_date_time_to_unix (time) : -1;
}

static gboolean
map_call (const CpCrmRecord  *record,
          CpCrmActivity      *out,
          GError            **error)
{
  const char *status = g_hash_table_lookup (record->properties, "status");
  const char *direction = g_hash_table_lookup (record->properties, "direction");

  out->kind = CP_ACTIVITY_KIND_CALL;
  if (g_strcmp0 (status, "Held") == 0)
    out->disposition = g_strdup ("connected");
  else if (g_strcmp0 (status, "Not Held") == 0)
    out->disposition = g_strdup ("no_answer");
  else
    return _cp_crm_activity_refuse (error, _("call status"), status);
  if (g_strcmp0 (direction, "Inbound") == 0)
    out->direction = g_strdup ("inbound");
  else if (g_strcmp0 (direction, "Outbound") == 0 || direction == NULL)
    out->direction = g_strdup ("outbound");
  else
    return _cp_crm_activity_refuse (error, _("call direction"), direction);
  return TRUE;
}

static gboolean
espocrm_activity_from_record (CpCrmBackend       *backend,
                              const char         *object,
                              const CpCrmRecord  *record,
                              CpCrmActivity      *out,
                              GError            **error)
{
  const char *status = g_hash_table_lookup (record->properties, "status");
  const char *time = g_hash_table_lookup (record->properties,
                                          g_str_equal (object, "Email") ? "dateSent" : "dateStart");

  out->occurred_at = parse_datetime (time);
  if (out->occurred_at < 0)
    return _cp_crm_activity_refuse (error, _("time"), time);
  if (g_str_equal (object, "Call"))
    {
      if (!map_call (record, out, error))
        return FALSE;
    }
  else if (g_str_equal (object, "Meeting"))
    {
      /* Held: attended; planned, or not held: booked. */
      if (g_strcmp0 (status, "Held") == 0)
        out->kind = CP_ACTIVITY_KIND_MEETING_ATTENDED;
      else if (g_strcmp0 (status, "Planned") == 0 || g_strcmp0 (status, "Not Held") == 0)
        out->kind = CP_ACTIVITY_KIND_MEETING_BOOKED;
      else
        return _cp_crm_activity_refuse (error, _("meeting status"), status);
      out->direction = g_strdup ("outbound");
    }
  else if (g_str_equal (object, "Email"))
    {
      /* Sent from the CRM: ours; archived (fetched from a mailbox): theirs. */
      if (g_strcmp0 (status, "Sent") == 0)
        {
          out->kind = CP_ACTIVITY_KIND_EMAIL_SENT;
          out->direction = g_strdup ("outbound");
        }
      else if (g_strcmp0 (status, "Archived") == 0)
        {
          out->kind = CP_ACTIVITY_KIND_EMAIL_REPLY;
          out->direction = g_strdup ("inbound");
        }
      else
        return _cp_crm_activity_refuse (error, _("email status"), status);
    }
  else
    return _cp_crm_activity_refuse (error, _("type"), object);

  out->detail = g_strdup (g_hash_table_lookup (record->properties, "name"));
  _cp_crm_activity_set_external_id (out, "espocrm", object, record->remote_id);
  return TRUE;
}

void
_cp_espocrm_activities_iface_init (CpCrmBackendInterface *iface)
{
  iface->get_activity_objects = espocrm_get_activity_objects;
  iface->pull_activity_page = espocrm_pull_activity_page;
  iface->activity_from_record = espocrm_activity_from_record;
}
