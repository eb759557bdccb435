/* cp-statements.c — the SQL text of every cached statement of the store
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cp-database-private.h"
#include "cp-lead-columns.h"

const char * const _cp_statement_sql[CP_N_STATEMENTS] = {
  [CP_STMT_SETTING_GET] =
    "SELECT value FROM settings WHERE key = ?1",
  [CP_STMT_SETTING_SET] =
    "INSERT INTO settings (key, value) VALUES (?1, ?2)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  [CP_STMT_LEAD_GET] =
    "SELECT " CP_LEAD_SELECT_COLUMNS ", deleted_at, merged_into, possible_duplicate_of"
    " FROM leads WHERE id = ?1",
  [CP_STMT_LEAD_INSERT] =
    "INSERT INTO leads (" CP_LEAD_COLUMNS ", email_key, phone_key, name_key, location_key,"
    " stage_entered_at, sync_state, account_id) VALUES (" CP_LEAD_PLACEHOLDERS ", ?, ?, ?, ?, ?, ?, ?)",
  [CP_STMT_LEAD_CUSTOM_GET] =
    "SELECT key, value FROM lead_custom_fields WHERE lead_id = ?1 ORDER BY key",
  [CP_STMT_LEAD_CUSTOM_SET] =
    "INSERT INTO lead_custom_fields (lead_id, key, value) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (lead_id, key) DO UPDATE SET value = excluded.value",
  [CP_STMT_LEAD_CUSTOM_DELETE] =
    "DELETE FROM lead_custom_fields WHERE lead_id = ?1 AND key = ?2",
  [CP_STMT_LEAD_TOMBSTONE] =
    "UPDATE leads SET deleted_at = ?2, updated_at = ?2,"
    " sync_state = CASE WHEN remote_id IS NULL THEN sync_state ELSE 3 END"
    " WHERE id = ?1 AND deleted_at = 0",
  [CP_STMT_LEAD_MARK_MERGED] =
    "UPDATE leads SET merged_into = ?2, deleted_at = ?3, updated_at = ?3 WHERE id = ?1",
  [CP_STMT_LEAD_UNMARK_MERGED] =
    "UPDATE leads SET merged_into = NULL, deleted_at = 0, updated_at = ?2 WHERE id = ?1",
  [CP_STMT_LEAD_FLAG_DUPLICATE] =
    "UPDATE leads SET possible_duplicate_of = ?2 WHERE id = ?1",
  [CP_STMT_AUDIT_INSERT] =
    "INSERT INTO audit_log (entity, entity_id, action, field, old_value, new_value, actor,"
    " time, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
  /* An entity's audit rows and, for a lead, its rescores' tier changes,
   * in time order (audit rows in id order at equal times, then runs). */
  [CP_STMT_AUDIT_FOR_ENTITY] =
    "SELECT time, action, field, old_value, new_value, actor, reason, id, NULL FROM audit_log"
    " WHERE entity = ?1 AND entity_id = ?2"
    " UNION ALL SELECT r.scored_at, 'rescore', 'tier', c.old_tier, c.new_tier, r.actor, "
    CP_RESCORE_CHANGE_REASON ", NULL, r.id" CP_RESCORE_CHANGES_OF_LEADS
    " WHERE ?1 = 'lead' AND l.id = ?2"
    " ORDER BY 1, 8 NULLS LAST, 9",
  [CP_STMT_STAGE_EVENT_INSERT] =
    "INSERT INTO stage_events (lead_id, from_stage, to_stage, reason, actor, device_time)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  [CP_STMT_TASK_INSERT] =
    "INSERT INTO tasks (id, lead_id, kind, title, note, owner, due_at, snoozed_until, status,"
    " origin, stage_id, template_key, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open', ?9, ?10, ?11, ?12, ?12)",
  [CP_STMT_STAGE_EVENTS_FOR_LEAD] =
    "SELECT device_time, from_stage, to_stage, reason, actor, synced_time, id"
    " FROM stage_events WHERE lead_id = ?1 ORDER BY device_time, id",
  [CP_STMT_ACTIVITY_INSERT] =
    "INSERT INTO activities (id, lead_id, kind, occurred_at, detail, disposition, depth, actor,"
    "                        source, external_id, direction, lead_rowid)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, (SELECT rowid FROM leads WHERE id = ?2))",
  [CP_STMT_ACTIVITIES_FOR_LEAD] =
    "SELECT id, lead_id, kind, occurred_at, detail, disposition, depth, actor,"
    " source, external_id, direction"
    " FROM activities WHERE lead_rowid = (SELECT rowid FROM leads WHERE id = ?1)"
    " ORDER BY occurred_at DESC, id",
  [CP_STMT_ACTIVITY_EXTERNAL_EXISTS] =
    "SELECT 1 FROM activities WHERE external_id = ?1",
  [CP_STMT_ACTIVITIES_MOVE_FOR_MERGE] =
    "UPDATE activities SET lead_id = ?1, merge_id = ?3, merged_from = ?2"
    " WHERE lead_rowid = (SELECT rowid FROM leads WHERE id = ?2)",
  [CP_STMT_ACTIVITIES_UNDO_MERGE] =
    "UPDATE activities SET lead_id = (SELECT from_lead_id FROM merge_moves m"
    "                                 WHERE m.merge_id = ?1 AND m.activity_id = activities.id),"
    " merge_id = NULL, merged_from = NULL"
    " WHERE id IN (SELECT activity_id FROM merge_moves WHERE merge_id = ?1)",
  [CP_STMT_MERGE_MOVES_RECORD] =
    "INSERT INTO merge_moves (merge_id, activity_id, from_lead_id)"
    " SELECT ?1, id, lead_id FROM activities"
    " WHERE lead_rowid = (SELECT rowid FROM leads WHERE id = ?2)",
  [CP_STMT_LEAD_TOUCH_ACTIVITY] =
    "UPDATE leads SET last_activity_at = max(last_activity_at, ?2) WHERE id = ?1",
  [CP_STMT_MERGE_INSERT] =
    "INSERT INTO merges (id, keep_id, other_id, actor, time) VALUES (?1, ?2, ?3, ?4, ?5)",
  [CP_STMT_MERGE_GET] =
    "SELECT keep_id, other_id, undone_at FROM merges WHERE id = ?1",
  [CP_STMT_MERGE_MARK_UNDONE] =
    "UPDATE merges SET undone_at = ?2 WHERE id = ?1 AND undone_at = 0",
  [CP_STMT_MERGE_SNAPSHOT_INSERT] =
    "INSERT INTO merge_snapshots (merge_id, lead_id, field, value) VALUES (?1, ?2, ?3, ?4)",
  [CP_STMT_MERGE_SNAPSHOT_FOR] =
    "SELECT field, value FROM merge_snapshots WHERE merge_id = ?1 AND lead_id = ?2",
  [CP_STMT_DUP_BY_EMAIL] =
    "SELECT id FROM leads WHERE email_key = ?1 AND deleted_at = 0 AND id IS NOT ?2 LIMIT 20",
  [CP_STMT_DUP_BY_PHONE] =
    "SELECT id FROM leads WHERE phone_key = ?1 AND deleted_at = 0 AND id IS NOT ?2 LIMIT 20",
  [CP_STMT_DUP_NAME_UP] =
    "SELECT rowid, name_key FROM leads"
    " WHERE location_key = ?1 AND name_key >= ?2 AND name_key < ?3 ORDER BY name_key LIMIT ?4",
  [CP_STMT_DUP_NAME_DOWN] =
    "SELECT rowid, name_key FROM leads"
    " WHERE location_key = ?1 AND name_key >= ?2 AND name_key < ?3 ORDER BY name_key DESC LIMIT ?4",
  [CP_STMT_DUP_LIVE_ID] =
    "SELECT id FROM leads WHERE rowid = ?1 AND deleted_at = 0 AND id IS NOT ?2",
  [CP_STMT_ACCOUNT_UPSERT] =
    "INSERT INTO accounts (id, name, name_key, org_type, org_size, location, region, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (name_key) DO NOTHING",
  [CP_STMT_ACCOUNT_ID_BY_KEY] =
    "SELECT id FROM accounts WHERE name_key = ?1",
  [CP_STMT_LEAD_SET_ACCOUNT] =
    "UPDATE leads SET account_id = ?2 WHERE id = ?1 AND account_id IS NOT ?2",
  [CP_STMT_ACCOUNT_CONTACTS] =
    "SELECT count(*) FROM leads WHERE account_id = ?1 AND deleted_at = 0"
    " AND last_activity_at >= ?2",
  [CP_STMT_PLAYBOOK_INSERT] =
    "INSERT INTO playbook_versions (status, author, reason, effective_at, created_at, body)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  [CP_STMT_PLAYBOOK_LATEST] =
    "SELECT id, author, reason, effective_at, created_at, body FROM playbook_versions"
    " WHERE status = 'published' ORDER BY id DESC LIMIT 1",
  [CP_STMT_PLAYBOOK_GET] =
    "SELECT id, status, author, reason, effective_at, created_at, body FROM playbook_versions"
    " WHERE id = ?1",
  [CP_STMT_PLAYBOOK_LIST] =
    "SELECT id, status, author, reason, effective_at, created_at FROM playbook_versions"
    " ORDER BY id",
  [CP_STMT_PLAYBOOK_ACTIVE] =
    "SELECT id, status, author, reason, effective_at, created_at, body FROM playbook_versions"
    " WHERE status = 'published' AND effective_at <= ?1 ORDER BY effective_at DESC, id DESC LIMIT 1",
  [CP_STMT_PLAYBOOK_DRAFT_SAVE] =
    "INSERT INTO playbook_draft (id, base_version, author, updated_at, body)"
    " VALUES (1, ?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE SET"
    " base_version = excluded.base_version, author = excluded.author,"
    " updated_at = excluded.updated_at, body = excluded.body",
  [CP_STMT_PLAYBOOK_DRAFT_GET] =
    "SELECT base_version, author, updated_at, body FROM playbook_draft WHERE id = 1",
  [CP_STMT_PLAYBOOK_DRAFT_DELETE] =
    "DELETE FROM playbook_draft WHERE id = 1",
  [CP_STMT_ROUTER_STATE_ALL] =
    "SELECT queue, next_index FROM router_state",
  [CP_STMT_ROUTER_STATE_SET] =
    "INSERT INTO router_state (queue, next_index) VALUES (?1, ?2)"
    " ON CONFLICT (queue) DO UPDATE SET next_index = excluded.next_index",
  [CP_STMT_RESCORE_RUN_INSERT] =
    "INSERT INTO rescore_runs (playbook_version, scored_at, actor, reason)"
    " VALUES (?1, ?2, ?3, ?4)",
  [CP_STMT_RESCORE_CHANGE_INSERT] =
    "INSERT INTO rescore_changes (run_id, lead_rowid, old_tier, new_tier, old_score, new_score)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  [CP_STMT_RESCORE_RUN_FINISH] =
    "UPDATE rescore_runs SET leads = ?2, changed = ?3, tier_changes = ?4, completed = ?5"
    " WHERE id = ?1",
  [CP_STMT_RESCORE_RUN_LATEST] =
    "SELECT playbook_version, scored_at FROM rescore_runs WHERE completed = 1"
    " ORDER BY id DESC LIMIT 1",
  [CP_STMT_RESCORE_ENGAGED_ACCOUNTS] =
    "SELECT account_id, count(*) FROM leads WHERE deleted_at = 0 AND account_id IS NOT NULL"
    " AND last_activity_at >= ?1 GROUP BY account_id",
  [CP_STMT_RESCORE_ACCOUNT_CONTACTS] =
    "SELECT count(*) FROM leads WHERE deleted_at = 0 AND account_id ="
    " (SELECT account_id FROM leads WHERE id = ?1) AND id <> ?1 AND last_activity_at >= ?2",
  /* Other engaged contacts of an organization, by its key: a lead being
   * written may not be linked to it yet. */
  [CP_STMT_ACCOUNT_ENGAGED_BY_KEY] =
    "SELECT count(*) FROM (SELECT 1 FROM leads WHERE deleted_at = 0 AND account_id ="
    " (SELECT id FROM accounts WHERE name_key = ?1) AND id IS NOT ?2 AND last_activity_at >= ?3"
    " LIMIT ?4)",
  [CP_STMT_PLAYBOOK_ACTIVE_ID] =
    "SELECT id FROM playbook_versions WHERE status = 'published' AND effective_at <= ?1"
    " ORDER BY effective_at DESC, id DESC LIMIT 1",
  /* The time rules. Responses due by ?1 and not given, not yet recorded
   * as breached (column 4) or escalated (5) for the current clock: the
   * partial index leads_sla_open holds exactly the open clocks. */
  [CP_STMT_TICK_OVERDUE] =
    "SELECT id, sla_due_at, owner, queue, sla_breached_at < sla_due_at,"
    " sla_escalated_at < sla_due_at FROM leads"
    " WHERE deleted_at = 0 AND first_response_at = 0 AND sla_due_at > 0 AND sla_due_at <= ?1"
    " AND (sla_breached_at < sla_due_at OR sla_escalated_at < sla_due_at) ORDER BY sla_due_at",
  [CP_STMT_TICK_MARK_BREACHED] =
    "UPDATE leads SET sla_breached_at = ?2 WHERE id = ?1",
  [CP_STMT_TICK_MARK_ESCALATED] =
    "UPDATE leads SET sla_escalated_at = ?2 WHERE id = ?1",
  /* Leads in stage ?1 quiet since before ?2 (leads_stage_activity). */
  [CP_STMT_TICK_QUIET] =
    "SELECT id FROM leads WHERE deleted_at = 0 AND stage = ?1 AND last_activity_at < ?2"
    " AND (last_activity_at > 0 OR created_at < ?2)",
  /* Leads in stage ?1 with neither activity nor update since ?2. */
  [CP_STMT_RETENTION_STALE] =
    "SELECT id, max (last_activity_at, updated_at) FROM leads"
    " WHERE deleted_at = 0 AND erased_at = 0 AND stage = ?1"
    " AND max (last_activity_at, updated_at) < ?2 ORDER BY id",
  /* The tier changes a rescore audited after audit row ?1: audit rows
   * (before schema 19, and the write path's), then the changes of the
   * runs that committed since. */
  [CP_STMT_TICK_TIER_CHANGES] =
    "SELECT a.entity_id, a.old_value, a.new_value, l.owner, 0, a.id, 0 FROM audit_log a"
    " JOIN leads l ON l.id = a.entity_id"
    " WHERE a.id > ?1 AND a.action = 'rescore' AND a.field = 'tier'"
    " UNION ALL SELECT l.id, c.old_tier, c.new_tier, l.owner, 1, c.run_id, c.lead_rowid"
    " FROM rescore_changes c JOIN leads l ON l.rowid = c.lead_rowid"
    " WHERE c.run_id IN (" CP_RESCORE_RUNS_AUDITED_AFTER ("?1") ")"
    " ORDER BY 5, 6, 7",
  [CP_STMT_AUDIT_MAX_ID] =
    "SELECT coalesce (max (id), 0) FROM audit_log",
  /* Leads given to an owner after audit row ?2, still theirs. */
  [CP_STMT_ASSIGNMENTS_SINCE] =
    "SELECT DISTINCT a.entity_id FROM audit_log a JOIN leads l ON l.id = a.entity_id"
    " WHERE a.id > ?2 AND a.entity = 'lead' AND a.field = 'owner' AND a.new_value = ?1"
    " AND l.owner = ?1 AND l.deleted_at = 0",
  [CP_STMT_ACCOUNT_CONTACT_IDS] =
    "SELECT id FROM leads WHERE deleted_at = 0 AND account_id ="
    " (SELECT id FROM accounts WHERE name_key = ?1) AND id <> ?2",
  [CP_STMT_LEAD_IDS_AFTER] =
    "SELECT rowid, id FROM leads WHERE rowid > ?1 AND deleted_at = 0 ORDER BY rowid LIMIT ?2",
  /* Imports: where a removed lead went, and the lead a CRM record is. */
  [CP_STMT_MERGED_INTO] =
    "SELECT keep_id FROM merges WHERE other_id = ?1 AND undone_at = 0 ORDER BY time DESC LIMIT 1",
  [CP_STMT_LINK_BY_REMOTE_ID] =
    "SELECT s.lead_id FROM sync_links s JOIN leads l ON l.id = s.lead_id"
    " WHERE s.backend IN ('hubspot', 'espocrm') AND s.remote_id = ?1 AND s.remote_deleted_at = 0"
    " AND l.deleted_at = 0 LIMIT 1",
  /* One row per edit; the base is the newest link of any backend. */
  [CP_STMT_OUTBOX_ENQUEUE] =
    "INSERT INTO outbox (entity, entity_id, op, fields, base_remote_updated_at, created_at)"
    " VALUES ('lead', ?1, ?2, ?3, (SELECT remote_updated_at FROM sync_links"
    " WHERE lead_id = ?1 ORDER BY remote_updated_at DESC LIMIT 1), ?4)",
};
