/* cp-hubspot-setup.c — the carepath_id contact property: checked, created, required before writes
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-hubspot-backend"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "cp-hubspot-private.h"
#include "cp-sync-error.h"

/* Single-line text with unique values, in the contact information group. */
#define ID_PROPERTY_DEFINITION \
  "{\"name\":\"" ID_PROPERTY "\",\"label\":\"Carepath ID\",\"type\":\"string\"," \
  "\"fieldType\":\"text\",\"groupName\":\"contactinformation\",\"hasUniqueValue\":true," \
  "\"description\":\"The lead's id in Carepath, set by its sync.\"}"

/* Carepath finds its contacts again by this property: it must exist and
 * hold unique values (it is the upsert's idProperty). With @create, a
 * missing one is created. */
CpCrmSetup *
_cp_hubspot_check_setup (CpCrmBackend  *backend,
                         gboolean       create,
                         GCancellable  *cancellable,
                         GError       **error)
{
  CpHubspotBackend *self = CP_HUBSPOT_BACKEND (backend);
  g_autoptr(CpCrmSetup) setup = cp_crm_setup_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) created = NULL;
  JsonObject *property;
  JsonNode *unique;
  guint status = 0;

  root = cp_crm_client_request (self->client, "GET", PROPERTIES "/" ID_PROPERTY, NULL, 0, &status,
                                cancellable, &local_error);
  if (local_error != NULL && status != SOUP_STATUS_NOT_FOUND)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  property = cp_json_root_object (root);
  unique = property != NULL ? json_object_get_member (property, "hasUniqueValue") : NULL;
  if (local_error == NULL && property == NULL)
    {
      cp_crm_client_set_unexpected (self->client, error, _("a property without its definition"));
      return NULL;
    }
  if (property != NULL)
    {
      if (unique != NULL && JSON_NODE_HOLDS_VALUE (unique) &&
          json_node_get_value_type (unique) == G_TYPE_BOOLEAN && !json_node_get_boolean (unique))
        g_ptr_array_add (setup->missing,
                         g_strdup (_("The HubSpot contact property “carepath_id” does not require "
                                     "unique values, so HubSpot cannot find a contact by it. "
                                     "Delete it in HubSpot (Settings → Properties) and create it "
                                     "again with unique values, or let Carepath create it.")));
      else
        self->setup_checked = TRUE;
      return g_steal_pointer (&setup);
    }
  if (!create)
    {
      g_ptr_array_add (setup->missing,
                       g_strdup (_("HubSpot has no contact property “carepath_id”: Carepath keeps "
                                   "each lead’s id there to find its contact again, and every "
                                   "write needs it. Create it in HubSpot under Settings → "
                                   "Properties (single-line text, unique values), or let "
                                   "Carepath create it.")));
      return g_steal_pointer (&setup);
    }

  created = json_from_string (ID_PROPERTY_DEFINITION, NULL);
  g_clear_error (&local_error);
  g_clear_pointer (&root, json_node_unref);
  root = cp_crm_client_request (self->client, "POST", PROPERTIES, created, 0, NULL, cancellable,
                                &local_error);
  /* 409: made meanwhile, or by the first attempt of a replayed request. */
  if (local_error == NULL || g_error_matches (local_error, CP_SYNC_ERROR, CP_SYNC_ERROR_CONFLICT))
    {
      g_ptr_array_add (setup->created,
                       g_strdup (_("Created the HubSpot contact property “carepath_id” (unique "
                                   "values).")));
      self->setup_checked = TRUE;
    }
  else if (g_error_matches (local_error, CP_SYNC_ERROR, CP_SYNC_ERROR_FORBIDDEN))
    g_ptr_array_add (setup->missing,
                     g_strdup (_("HubSpot has no contact property “carepath_id”, and this access "
                                 "token may not create one (it lacks the "
                                 "crm.schemas.contacts.write scope). Create it in HubSpot under "
                                 "Settings → Properties: single-line text, internal name "
                                 "carepath_id, unique values.")));
  else
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&setup);
}

/* Without the id property every write fails, alone as in a batch: say
 * that, once, instead of sending a refused batch again input by input. */
gboolean
_cp_hubspot_require_id_property (CpHubspotBackend  *self,
                                 GCancellable      *cancellable,
                                 GError           **error)
{
  g_autoptr(CpCrmSetup) setup = NULL;

  if (self->setup_checked)
    return TRUE;
  setup = _cp_hubspot_check_setup (CP_CRM_BACKEND (self), FALSE, cancellable, error);
  if (setup == NULL)
    return FALSE;
  if (!cp_crm_setup_is_ready (setup))
    {
      g_set_error_literal (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED,
                           setup->missing->pdata[0]);
      return FALSE;
    }
  return TRUE;
}
