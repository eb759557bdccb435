/* cp-lead-snapshot.c — one lead, its activities and its account's engagement, ready to score, explain, route or check a move
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-rescore"

#include "config.h"

#include "cp-database-private.h"
#include "cp-rescore.h"

void
cp_lead_snapshot_free (CpLeadSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  g_clear_pointer (&snapshot->records, g_array_unref);
  g_clear_pointer (&snapshot->activities, g_ptr_array_unref);
  g_clear_object (&snapshot->lead);
  g_free (snapshot);
}

/**
 * cp_lead_snapshot_load:
 * @now: the time conditions and decay are evaluated at
 *
 * Returns: (transfer full) (nullable): the lead, its activities and its
 *   account engagement, ready to score, explain, route or check a move
 */
CpLeadSnapshot *
cp_lead_snapshot_load (CpLeadStore  *store,
                       const char   *id,
                       gint64        now,
                       GError      **error)
{
  g_autoptr(CpLeadSnapshot) snapshot = g_new0 (CpLeadSnapshot, 1);
  CpDatabase *database = cp_lead_store_get_database (store);
  sqlite3_stmt *stmt;

  snapshot->lead = cp_lead_store_get (store, id, error);
  if (snapshot->lead == NULL)
    return NULL;
  snapshot->activities = cp_lead_store_list_activities (store, cp_lead_get_id (snapshot->lead), error);
  if (snapshot->activities == NULL)
    return NULL;
  snapshot->records = cp_activity_records_new (snapshot->activities);
  cp_lead_record_init (&snapshot->record, snapshot->lead);

  snapshot->input.lead = &snapshot->record;
  snapshot->input.activities = (CpActivityRecord *) snapshot->records->data;
  snapshot->input.n_activities = snapshot->records->len;
  snapshot->input.now = now;

  stmt = _cp_database_statement (database, CP_STMT_RESCORE_ACCOUNT_CONTACTS, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, cp_lead_get_id (snapshot->lead), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now - CP_RESCORE_ENGAGED_DAYS * G_GINT64_CONSTANT (86400));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    snapshot->input.account_engaged_contacts = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  return g_steal_pointer (&snapshot);
}
