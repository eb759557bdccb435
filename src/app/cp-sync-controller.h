/* cp-sync-controller.h — what the Sync view and Preferences show and do: status, runs, conflicts,
 * records not applied
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cp-lead-store.h"
#include "cp-sync-record.h"
#include "cp-sync-store.h"

G_BEGIN_DECLS

#define CP_TYPE_SYNC_CONTROLLER (cp_sync_controller_get_type ())

G_DECLARE_FINAL_TYPE (CpSyncController, cp_sync_controller, CP, SYNC_CONTROLLER, GObject)

CpSyncController *cp_sync_controller_new            (CpLeadStore       *store,
                                                     GSettings         *settings);
gboolean          cp_sync_controller_get_configured (CpSyncController  *self);
gboolean          cp_sync_controller_get_online     (CpSyncController  *self);
gboolean          cp_sync_controller_get_running    (CpSyncController  *self);
const char       *cp_sync_controller_get_progress_text (CpSyncController *self);
const char       *cp_sync_controller_get_backend_title (CpSyncController *self);
CpSyncStatus     *cp_sync_controller_get_status     (CpSyncController  *self);
GPtrArray        *cp_sync_controller_get_conflicts  (CpSyncController  *self);
GPtrArray        *cp_sync_controller_get_rejects    (CpSyncController  *self);
char             *cp_sync_controller_dup_reject_title (CpSyncController   *self,
                                                       const CpSyncReject *reject);
GPtrArray        *cp_sync_controller_get_reject_fields (CpSyncController   *self,
                                                        const CpSyncReject *reject);
gboolean          cp_sync_controller_dismiss_reject (CpSyncController  *self,
                                                     gint64             reject_id,
                                                     GError           **error);
GPtrArray        *cp_sync_controller_get_push_failures (CpSyncController *self);
void              cp_sync_controller_refresh        (CpSyncController  *self);
void              cp_sync_controller_sync_now       (CpSyncController  *self);
void              cp_sync_controller_cancel         (CpSyncController  *self);
gboolean          cp_sync_controller_get_stopping   (CpSyncController  *self);
gboolean          cp_sync_controller_get_stopped    (CpSyncController  *self);
gboolean          cp_sync_controller_resolve        (CpSyncController  *self,
                                                     gint64             conflict_id,
                                                     CpSyncResolution   resolution,
                                                     GError           **error);
gboolean          cp_sync_controller_resolve_with_value (CpSyncController *self,
                                                         gint64            conflict_id,
                                                         const char       *value,
                                                         GError          **error);

void              cp_sync_check_connection_async    (const char         *backend,
                                                     const char         *base_url,
                                                     const char         *token,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
void              cp_sync_prepare_crm_async         (const char         *backend,
                                                     const char         *base_url,
                                                     const char         *token,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
gboolean          cp_sync_can_prepare_crm           (const char         *backend,
                                                     const GError       *error);
gboolean          cp_sync_check_connection_finish   (GAsyncResult       *result,
                                                     GError            **error);
void              cp_sync_save_token_async          (const char         *backend,
                                                     const char         *base_url,
                                                     const char         *token,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
gboolean          cp_sync_save_token_finish         (GAsyncResult       *result,
                                                     GError            **error);

G_END_DECLS
