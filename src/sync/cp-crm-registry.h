/* cp-crm-registry.h — the CRM backends Carepath knows, by name
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-crm-backend.h"

G_BEGIN_DECLS

/* One backend: how it is named in settings, shown to people, and made. */
typedef struct
{
  const char   *name;           /* in settings and the CLI: "hubspot" */
  const char   *display_name;   /* shown: "HubSpot" */
  const char   *default_url;    /* the vendor's API address; NULL when each team has its own */
  void        (*get_defaults) (CpCrmDefaults *out_defaults);
  CpCrmBackend *(*create)     (const char    *base_url,
                               const char    *token,
                               GError       **error);
} CpCrmBackendInfo;

const CpCrmBackendInfo *cp_crm_registry_lookup      (const char    *name);

gboolean       cp_crm_defaults_for_name    (const char    *name,
                                            CpCrmDefaults *out_defaults);
CpCrmBackend  *cp_crm_backend_new_for_name (const char    *name,
                                            const char    *base_url,
                                            const char    *token,
                                            GError       **error);

G_END_DECLS
