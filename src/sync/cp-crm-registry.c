/* cp-crm-registry.c — the CRM backends Carepath knows, by name
 *
 * The backend interface (cp-crm-backend) knows no implementation; this
 * table, above both, is the one place that lists them. A new backend is
 * one row here.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-crm-registry"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-crm-registry.h"
#include "cp-espocrm-backend.h"
#include "cp-hubspot-backend.h"
#include "cp-sync-error.h"

static const CpCrmBackendInfo backends[] = {
  { "hubspot", "HubSpot", CP_HUBSPOT_DEFAULT_URL, cp_hubspot_backend_get_defaults,
    cp_hubspot_backend_new },
  { "espocrm", "EspoCRM", NULL, cp_espocrm_backend_get_defaults, cp_espocrm_backend_new },
};

/**
 * cp_crm_registry_lookup:
 * @name: (nullable): a backend's name in settings ("hubspot")
 *
 * Returns: (nullable): the backend, %NULL for a name Carepath does not know
 */
const CpCrmBackendInfo *
cp_crm_registry_lookup (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (backends); i++)
    if (g_str_equal (backends[i].name, name))
      return &backends[i];
  return NULL;
}

/**
 * cp_crm_defaults_for_name:
 * @name: a backend's name ("hubspot", "espocrm")
 *
 * The backend's own field and stage mapping, without a connection.
 *
 * Returns: %FALSE for an unknown backend
 */
gboolean
cp_crm_defaults_for_name (const char    *name,
                          CpCrmDefaults *out_defaults)
{
  const CpCrmBackendInfo *info = cp_crm_registry_lookup (name);

  g_return_val_if_fail (out_defaults != NULL, FALSE);

  if (info == NULL)
    return FALSE;
  info->get_defaults (out_defaults);
  return TRUE;
}

/**
 * cp_crm_backend_new_for_name:
 * @name: a backend's name ("hubspot", "espocrm")
 * @base_url: (nullable): the API address; %NULL for the vendor's default
 * @token: the access token or API key
 */
CpCrmBackend *
cp_crm_backend_new_for_name (const char  *name,
                             const char  *base_url,
                             const char  *token,
                             GError     **error)
{
  const CpCrmBackendInfo *info;

  g_return_val_if_fail (name != NULL, NULL);

  info = cp_crm_registry_lookup (name);
  if (info == NULL)
    {
      g_autoptr(GString) known = g_string_new (NULL);

      for (guint i = 0; i < G_N_ELEMENTS (backends); i++)
        g_string_append_printf (known, "%s%s", i == 0 ? "" : i + 1 == G_N_ELEMENTS (backends)
                                                           ? _(" or ") : ", ",
                                backends[i].name);
      g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED,
                   _("Unknown CRM “%s” (expected %s)."), name, known->str);
      return NULL;
    }
  if (base_url == NULL || *base_url == '\0')
    {
      if (info->default_url == NULL)
        {
          g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED,
                       _("%s needs the address of your %s site."), info->display_name,
                       info->display_name);
          return NULL;
        }
      base_url = info->default_url;
    }
  return info->create (base_url, token, error);
}
