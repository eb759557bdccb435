/* cp-sync-store-private.h — what the cp-sync-store*.c files share
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "cp-sync-store.h"

G_BEGIN_DECLS

/* The statements of the sync store; their SQL is in cp-sync-store.c. */
typedef enum
{
  STMT_CURSOR_GET,
  STMT_CURSOR_SET,
  STMT_LINK_GET,
  STMT_LINK_BY_REMOTE,
  STMT_LINK_SET,
  STMT_LINK_MARK_DELETED,
  STMT_LINK_REMOTE_IDS,
  STMT_CONFLICT_INSERT,
  STMT_CONFLICT_OPEN_FIELDS,
  STMT_CONFLICT_LIST,
  STMT_CONFLICT_GET,
  STMT_CONFLICT_RESOLVE,
  STMT_ENQUEUE_UNLINKED,
  STMT_PENDING,
  STMT_CONFIRM,
  STMT_FAIL,
  STMT_OUTBOX_DROP,
  STMT_MARK_SYNCED,
  STMT_RUN_INSERT,
  STMT_RUN_FINISH,
  STMT_STATUS_COUNTS,
  STMT_STATUS_LAST_RUN,
  STMT_STATUS_LAST_SUCCESS,
  STMT_CURSORS,
  N_STMTS
} SyncStatement;

struct _CpSyncStore
{
  GObject       parent_instance;

  CpLeadStore  *leads;
  CpDatabase   *database;
  char         *backend;
  sqlite3_stmt *statements[N_STMTS];
};

sqlite3_stmt *_cp_sync_store_statement      (CpSyncStore    *self,
                                             SyncStatement   which,
                                             GError        **error);
gint64        _cp_sync_store_now            (CpSyncStore    *self);
char         *_cp_sync_store_base_to_json   (GHashTable     *base);
GHashTable   *_cp_sync_store_base_from_json (const char     *text);

G_END_DECLS
