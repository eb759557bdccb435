/* cp-database-private.h — statement cache and helpers shared inside src/store
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "cp-database.h"

G_BEGIN_DECLS

/* Every fixed statement of the store, prepared once per connection with
 * SQLITE_PREPARE_PERSISTENT. The SQL text is in cp-statements.c. */
typedef enum
{
  CP_STMT_SETTING_GET,
  CP_STMT_SETTING_SET,
  CP_STMT_LEAD_GET,
  CP_STMT_LEAD_INSERT,
  CP_STMT_LEAD_CUSTOM_GET,
  CP_STMT_LEAD_CUSTOM_SET,
  CP_STMT_LEAD_CUSTOM_DELETE,
  CP_STMT_LEAD_TOMBSTONE,
  CP_STMT_LEAD_MARK_MERGED,
  CP_STMT_LEAD_UNMARK_MERGED,
  CP_STMT_LEAD_FLAG_DUPLICATE,
  CP_STMT_AUDIT_INSERT,
  CP_STMT_AUDIT_FOR_ENTITY,
  CP_STMT_STAGE_EVENT_INSERT,
  CP_STMT_TASK_INSERT,
  CP_STMT_STAGE_EVENTS_FOR_LEAD,
  CP_STMT_ACTIVITY_INSERT,
  CP_STMT_ACTIVITIES_FOR_LEAD,
  CP_STMT_ACTIVITY_EXTERNAL_EXISTS,
  CP_STMT_ACTIVITIES_MOVE_FOR_MERGE,
  CP_STMT_ACTIVITIES_UNDO_MERGE,
  CP_STMT_MERGE_MOVES_RECORD,
  CP_STMT_LEAD_TOUCH_ACTIVITY,
  CP_STMT_MERGE_INSERT,
  CP_STMT_MERGE_GET,
  CP_STMT_MERGE_MARK_UNDONE,
  CP_STMT_MERGE_SNAPSHOT_INSERT,
  CP_STMT_MERGE_SNAPSHOT_FOR,
  CP_STMT_DUP_BY_EMAIL,
  CP_STMT_DUP_BY_PHONE,
  CP_STMT_DUP_NAME_UP,
  CP_STMT_DUP_NAME_DOWN,
  CP_STMT_DUP_LIVE_ID,
  CP_STMT_ACCOUNT_UPSERT,
  CP_STMT_ACCOUNT_ID_BY_KEY,
  CP_STMT_LEAD_SET_ACCOUNT,
  CP_STMT_ACCOUNT_CONTACTS,
  CP_STMT_PLAYBOOK_INSERT,
  CP_STMT_PLAYBOOK_LATEST,
  CP_STMT_PLAYBOOK_GET,
  CP_STMT_PLAYBOOK_LIST,
  CP_STMT_PLAYBOOK_ACTIVE,
  CP_STMT_PLAYBOOK_DRAFT_SAVE,
  CP_STMT_PLAYBOOK_DRAFT_GET,
  CP_STMT_PLAYBOOK_DRAFT_DELETE,
  CP_STMT_ROUTER_STATE_ALL,
  CP_STMT_ROUTER_STATE_SET,
  CP_STMT_RESCORE_RUN_INSERT,
  CP_STMT_RESCORE_RUN_FINISH,
  CP_STMT_RESCORE_RUN_LATEST,
  CP_STMT_RESCORE_CHANGE_INSERT,
  CP_STMT_RESCORE_ENGAGED_ACCOUNTS,
  CP_STMT_RESCORE_ACCOUNT_CONTACTS,
  CP_STMT_ACCOUNT_ENGAGED_BY_KEY,
  CP_STMT_PLAYBOOK_ACTIVE_ID,
  CP_STMT_TICK_OVERDUE,
  CP_STMT_TICK_MARK_BREACHED,
  CP_STMT_TICK_MARK_ESCALATED,
  CP_STMT_TICK_QUIET,
  CP_STMT_RETENTION_STALE,
  CP_STMT_TICK_TIER_CHANGES,
  CP_STMT_AUDIT_MAX_ID,
  CP_STMT_ASSIGNMENTS_SINCE,
  CP_STMT_LEAD_IDS_AFTER,
  CP_STMT_OUTBOX_ENQUEUE,
  CP_STMT_MERGED_INTO,
  CP_STMT_LINK_BY_REMOTE_ID,
  CP_STMT_ACCOUNT_CONTACT_IDS,
  CP_N_STATEMENTS
} CpStatement;

extern const char * const _cp_statement_sql[CP_N_STATEMENTS];

/* A lead's tier changes by rescores (schema 19: rescore_changes, one row
 * per change, keyed by run and lead rowid), for readers of its audit
 * trail, which read them beside its audit rows: FROM leads l, its runs r
 * and changes c, one b-tree seek per run that changed a tier (or has not
 * finished: its count is written at the end). Add "WHERE" and which
 * leads (on l). An erased lead's changes keep their tiers and scores
 * but, like its audit rows, no reason. */
#define CP_RESCORE_CHANGES_OF_LEADS \
  " FROM leads l CROSS JOIN rescore_runs r CROSS JOIN rescore_changes c" \
  " ON (r.tier_changes > 0 OR r.completed = 0)" \
  " AND c.run_id = r.id AND c.lead_rowid = l.rowid"
#define CP_RESCORE_CHANGE_REASON "CASE WHEN l.erased_at = 0 THEN r.reason END"
/* The audit row each commit of a rescore adds (entity "rescore_run", its
 * run id): readers of "the audit rows since" find the runs whose changes
 * they must read as well. */
#define CP_RESCORE_RUNS_AUDITED_AFTER(ID) \
  "SELECT CAST (entity_id AS INTEGER) FROM audit_log WHERE id > " ID " AND entity = 'rescore_run'"

sqlite3      *_cp_database_get_handle  (CpDatabase   *self);
sqlite3_stmt *_cp_database_built_statement (CpDatabase *self,
                                            const char *sql,
                                            GError    **error);
sqlite3_stmt *_cp_database_statement   (CpDatabase   *self,
                                        CpStatement   statement,
                                        GError      **error);
sqlite3_stmt *_cp_database_prepare     (CpDatabase   *self,
                                        const char   *sql,
                                        GError      **error);
gboolean      _cp_database_exec        (CpDatabase   *self,
                                        const char   *sql,
                                        GError      **error);
gboolean      _cp_database_step_done   (CpDatabase   *self,
                                        sqlite3_stmt *stmt,
                                        GError      **error);
void          _cp_database_set_error   (CpDatabase   *self,
                                        GError      **error,
                                        int           code,
                                        const char   *context);
gboolean      _cp_database_check_writable (CpDatabase *self,
                                           GError    **error);
gboolean      _cp_database_migrate_to  (CpDatabase   *self,
                                        int           version,
                                        GError      **error);
guint64       _cp_database_transaction_serial (CpDatabase *self);
void          _cp_database_hold_writes (CpDatabase  *self);
void          _cp_database_release_writes (CpDatabase *self);
CpDatabase   *_cp_database_open_at_version (const char *path,
                                            int         version,
                                            GError    **error);

/* Bind helpers: NULL text binds SQL NULL. */
void          _cp_bind_text            (sqlite3_stmt *stmt,
                                        int           index,
                                        const char   *value);
const char   *_cp_column_text          (sqlite3_stmt *stmt,
                                        int           column);

G_END_DECLS
