/* cp-espocrm-backend.h — EspoCRM's Lead entity as a sync backend
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-crm-backend.h"

G_BEGIN_DECLS

#define CP_TYPE_ESPOCRM_BACKEND (cp_espocrm_backend_get_type ())

G_DECLARE_FINAL_TYPE (CpEspocrmBackend, cp_espocrm_backend, CP, ESPOCRM_BACKEND, GObject)

CpCrmBackend *cp_espocrm_backend_new            (const char        *base_url,
                                                 const char        *api_key,
                                                 GError           **error);
void          cp_espocrm_backend_set_overlap_s  (CpEspocrmBackend  *self,
                                                 guint              overlap_s);
void          cp_espocrm_backend_get_sweep_report (CpEspocrmBackend  *self,
                                                   GPtrArray        **out_hidden,
                                                   GPtrArray        **out_undecided);

void          cp_espocrm_backend_get_defaults (CpCrmDefaults *out_defaults);

G_END_DECLS
