/* cp-sync-engine.h — one sync run: pull, deletions, push, with three-way merge
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cp-crm-backend.h"
#include "cp-sync-store.h"

G_BEGIN_DECLS

typedef enum
{
  CP_MERGE_SAME,          /* both sides agree */
  CP_MERGE_TAKE_REMOTE,   /* only the CRM changed it */
  CP_MERGE_KEEP_LOCAL,    /* only Carepath changed it: push it */
  CP_MERGE_CONFLICT,      /* both changed it, differently */
} CpMergeOutcome;

CpMergeOutcome cp_sync_merge_value (const char *base,
                                    const char *local,
                                    const char *remote);

#define CP_TYPE_SYNC_ENGINE (cp_sync_engine_get_type ())

G_DECLARE_FINAL_TYPE (CpSyncEngine, cp_sync_engine, CP, SYNC_ENGINE, GObject)

CpSyncEngine *cp_sync_engine_new        (const char           *database_path,
                                         CpCrmBackend         *backend);
gboolean      cp_sync_engine_run        (CpSyncEngine         *self,
                                         CpSyncStats          *out_stats,
                                         GCancellable         *cancellable,
                                         GError              **error);

G_END_DECLS
