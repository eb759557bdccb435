/* cp-crm-mapping-page.h — Preferences page: which CRM property each field and stage maps to
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-database.h"
#include "cp-playbook.h"

G_BEGIN_DECLS

#define CP_TYPE_CRM_MAPPING_PAGE (cp_crm_mapping_page_get_type ())

G_DECLARE_FINAL_TYPE (CpCrmMappingPage, cp_crm_mapping_page, CP, CRM_MAPPING_PAGE,
                      AdwPreferencesPage)

CpCrmMappingPage *cp_crm_mapping_page_new          (void);
void              cp_crm_mapping_page_set_database (CpCrmMappingPage *self,
                                                    CpDatabase       *database,
                                                    CpPlaybook       *playbook);
void              cp_crm_mapping_page_set_backend  (CpCrmMappingPage *self,
                                                    const char       *backend_name);

G_END_DECLS
