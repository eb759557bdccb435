/* cp-sync-prefetch-private.h — the pull's next page, fetched while the last one is written
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-crm-backend.h"

G_BEGIN_DECLS

typedef struct _CpSyncPrefetch CpSyncPrefetch;

CpSyncPrefetch *_cp_sync_prefetch_start (CpCrmBackend    *backend,
                                         const char      *cursor,
                                         GCancellable    *cancellable);
CpCrmPage      *_cp_sync_prefetch_next  (CpSyncPrefetch  *self,
                                         GError         **error);
gboolean        _cp_sync_prefetch_ready (CpSyncPrefetch  *self);
void            _cp_sync_prefetch_stop  (CpSyncPrefetch  *self);

G_END_DECLS
