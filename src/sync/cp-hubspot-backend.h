/* cp-hubspot-backend.h — HubSpot CRM v3 contacts as a sync backend
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-crm-backend.h"

G_BEGIN_DECLS

#define CP_HUBSPOT_DEFAULT_URL "https://api.hubapi.com"

#define CP_TYPE_HUBSPOT_BACKEND (cp_hubspot_backend_get_type ())

G_DECLARE_FINAL_TYPE (CpHubspotBackend, cp_hubspot_backend, CP, HUBSPOT_BACKEND, GObject)

CpCrmBackend *cp_hubspot_backend_new              (const char        *base_url,
                                                   const char        *token,
                                                   GError           **error);
void          cp_hubspot_backend_set_overlap_ms   (CpHubspotBackend  *self,
                                                   guint              overlap_ms);

void          cp_hubspot_backend_get_defaults (CpCrmDefaults *out_defaults);

G_END_DECLS
