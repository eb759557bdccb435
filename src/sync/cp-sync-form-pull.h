/* cp-sync-form-pull.h — form submissions and marketing-event participations pulled as activities
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-crm-backend.h"
#include "cp-sync-store.h"

G_BEGIN_DECLS

gboolean _cp_sync_pull_marketing      (CpSyncStore   *store,
                                       CpCrmBackend  *backend,
                                       CpSyncStats   *stats,
                                       GCancellable  *cancellable,
                                       GError       **error);
gboolean _cp_sync_is_marketing_entity (const char    *entity);

G_END_DECLS
