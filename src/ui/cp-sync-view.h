/* cp-sync-view.h — the Sync view: connection, last sync, pending changes, errors, conflicts
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-sync-controller.h"

G_BEGIN_DECLS

#define CP_TYPE_SYNC_VIEW (cp_sync_view_get_type ())

G_DECLARE_FINAL_TYPE (CpSyncView, cp_sync_view, CP, SYNC_VIEW, AdwBin)

void cp_sync_view_set_controller (CpSyncView       *self,
                                  CpSyncController *controller);

G_END_DECLS
