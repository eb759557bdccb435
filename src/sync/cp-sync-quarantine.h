/* cp-sync-quarantine.h — a CRM record kept as it came, and why it could not be applied, in words
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-crm-backend.h"

G_BEGIN_DECLS

char        *_cp_sync_record_to_payload   (const CpCrmRecord *record);
CpCrmRecord *_cp_sync_record_from_payload (const char        *remote_id,
                                           const char        *updated_at,
                                           const char        *payload,
                                           GError           **error);
const char  *_cp_sync_refusal_kind        (const GError      *error);
gboolean     _cp_sync_is_refusal          (const GError      *error);

G_END_DECLS
