/* cp-sync-activity-pull.h — the engagements of linked contacts, pulled as activities after the contacts
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-crm-backend.h"
#include "cp-sync-store.h"

G_BEGIN_DECLS

gboolean _cp_sync_pull_activities (CpSyncStore   *store,
                                   CpCrmBackend  *backend,
                                   CpSyncStats   *stats,
                                   GCancellable  *cancellable,
                                   GError       **error);

G_END_DECLS
