/* cp-crm-mapping.h — which CRM property each Carepath field and stage maps to, as the team set it
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-crm-backend.h"
#include "cp-database.h"

G_BEGIN_DECLS

/* The team's changes to a backend's default mapping. */
typedef struct
{
  GHashTable *fields;   /* canonical field name → CRM property ("" = not synced) */
  GHashTable *stages;   /* Carepath stage id → CRM stage value */
} CpCrmMapping;

CpCrmMapping *cp_crm_mapping_new      (void);
void          cp_crm_mapping_free     (CpCrmMapping  *mapping);
gboolean      cp_crm_mapping_validate (CpCrmMapping  *mapping,
                                       GError       **error);
CpCrmMapping *cp_crm_mapping_load     (CpDatabase    *database,
                                       const char    *backend_name,
                                       GError       **error);
gboolean      cp_crm_mapping_save     (CpDatabase    *database,
                                       const char    *backend_name,
                                       CpCrmMapping  *mapping,
                                       GError       **error);
gboolean      cp_crm_mapping_apply    (CpCrmBackend  *backend,
                                       CpDatabase    *database,
                                       GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpCrmMapping, cp_crm_mapping_free)

G_END_DECLS
