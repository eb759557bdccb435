/* cp-sync-engine-private.h — one sync run's state, shared by the engine's files
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-sync-engine.h"

G_BEGIN_DECLS

/* What one run works with: its own connection, stores and counters. */
typedef struct
{
  CpSyncEngine  *engine;
  CpSyncStore   *store;
  CpCrmBackend  *backend;
  CpSyncStats    stats;
  GCancellable  *cancellable;
  guint          page_conflicts;     /* counted when the page commits */
  GHashTable    *kept;               /* remote id → CpSyncReject: kept records, retried after the pull */
  GHashTable    *touched;            /* remote ids this run's pull applied or kept */
} CpSyncRun;

/* cp-sync-engine.c: the engine's signals. */
void        _cp_sync_run_report_progress   (CpSyncRun     *run,
                                            const char    *phase,
                                            guint          done);
void        _cp_sync_run_page_fetched      (CpSyncRun     *run,
                                            guint          page_number);

/* cp-sync-merge.c: one pulled record, merged into its lead. */
gboolean    _cp_sync_blank                 (const char    *value);
gboolean    _cp_sync_same_value            (const char    *a,
                                            const char    *b);
GHashTable *_cp_sync_run_local_properties  (CpSyncRun     *run,
                                            CpLead        *lead);
gboolean    _cp_sync_run_record_is_new     (CpSyncRun     *run,
                                            CpCrmRecord   *record);
gboolean    _cp_sync_run_apply_record      (CpSyncRun     *run,
                                            CpCrmRecord   *record,
                                            gboolean      *out_applied,
                                            GError       **error);

/* cp-sync-pull.c */
gboolean    _cp_sync_run_load_kept         (CpSyncRun     *run,
                                            GError       **error);
gboolean    _cp_sync_run_pull              (CpSyncRun     *run,
                                            GError       **error);
gboolean    _cp_sync_run_pull_deletions    (CpSyncRun     *run,
                                            GError       **error);
gboolean    _cp_sync_run_retry_kept        (CpSyncRun     *run,
                                            GError       **error);

/* cp-sync-push.c */
gboolean    _cp_sync_run_erase_remote      (CpSyncRun     *run,
                                            GError       **error);
gboolean    _cp_sync_run_push              (CpSyncRun     *run,
                                            GError       **error);

G_END_DECLS
