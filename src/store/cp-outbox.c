/* cp-outbox.c — the journal of local changes waiting to be sent to the CRM
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-outbox"

#include "config.h"

#include "cp-database-private.h"
#include "cp-outbox.h"

gboolean
_cp_sync_outbox_enqueue (CpDatabase  *database,
                         const char  *lead_id,
                         const char  *op,
                         const char  *fields,
                         gint64       now_seconds,
                         GError     **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (database, CP_STMT_OUTBOX_ENQUEUE, error);

  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, lead_id);
  _cp_bind_text (stmt, 2, op);
  _cp_bind_text (stmt, 3, fields);
  sqlite3_bind_int64 (stmt, 4, now_seconds);
  return _cp_database_step_done (database, stmt, error);
}
