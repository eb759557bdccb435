/* cp-schema.c — the database schema, as an ordered list of migrations
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cp-schema.h"

/* Migrations are history: never edit a published one, append a new one.
 * Each runs in its own BEGIN IMMEDIATE transaction together with the
 * `PRAGMA user_version` it sets. */

static const char migration_1[] =
  "CREATE TABLE settings ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT"
  ") WITHOUT ROWID;"

  "CREATE TABLE accounts ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  name_key TEXT NOT NULL,"
  "  org_type TEXT,"
  "  org_size TEXT,"
  "  location TEXT,"
  "  region TEXT,"
  "  created_at INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE UNIQUE INDEX accounts_name_key ON accounts (name_key);"

  "CREATE TABLE leads ("
  "  id TEXT NOT NULL UNIQUE,"
  "  first_name TEXT, last_name TEXT, email TEXT, phone TEXT,"
  "  preferred_contact TEXT, lead_type TEXT, organization TEXT, org_type TEXT,"
  "  org_size TEXT, buying_role TEXT, job_title TEXT, service_line TEXT,"
  "  location TEXT, region TEXT, postal_code TEXT, source_channel TEXT,"
  "  referral_source TEXT, campaign TEXT, urgency TEXT, rollout_window TEXT,"
  "  vendor_status TEXT, procurement_readiness TEXT, review_period TEXT,"
  "  coverage_fit TEXT,"
  "  stage TEXT NOT NULL DEFAULT 'new',"
  "  status TEXT, owner TEXT, queue TEXT,"
  "  consent_status TEXT, consent_channel TEXT, consent_captured_by TEXT,"
  "  consent_captured_at INTEGER NOT NULL DEFAULT 0,"
  "  consent_source TEXT, consent_notice_version TEXT,"
  "  do_not_contact INTEGER NOT NULL DEFAULT 0,"
  "  appointment_stage TEXT, closure_outcome TEXT, closure_reason TEXT,"
  "  score INTEGER NOT NULL DEFAULT 0,"
  "  fit_score INTEGER NOT NULL DEFAULT 0,"
  "  intent_score INTEGER NOT NULL DEFAULT 0,"
  "  readiness_score INTEGER NOT NULL DEFAULT 0,"
  "  tier TEXT,"
  "  sla_due_at INTEGER NOT NULL DEFAULT 0,"
  "  first_response_at INTEGER NOT NULL DEFAULT 0,"
  "  last_activity_at INTEGER NOT NULL DEFAULT 0,"
  "  notes TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  /* Bookkeeping, not canonical fields. */
  "  account_id TEXT REFERENCES accounts (id),"
  "  email_key TEXT, phone_key TEXT, name_key TEXT, location_key TEXT,"
  "  stage_entered_at INTEGER NOT NULL DEFAULT 0,"
  "  possible_duplicate_of TEXT,"
  "  merged_into TEXT,"
  "  deleted_at INTEGER NOT NULL DEFAULT 0,"
  "  sync_state INTEGER NOT NULL DEFAULT 1,"
  "  remote_id TEXT,"
  "  remote_updated_at TEXT"
  ");"
  /* Covers the per-stage summaries (count, score sum, SLA breaches) and
   * a column's order by score, so neither reads the wide lead rows. */
  "CREATE INDEX leads_stage_score ON leads (stage, score, sla_due_at, first_response_at)"
  "  WHERE deleted_at = 0;"
  "CREATE INDEX leads_owner ON leads (owner) WHERE deleted_at = 0;"
  "CREATE INDEX leads_queue ON leads (queue) WHERE deleted_at = 0;"
  "CREATE INDEX leads_service_line ON leads (service_line) WHERE deleted_at = 0;"
  "CREATE INDEX leads_location ON leads (location) WHERE deleted_at = 0;"
  "CREATE INDEX leads_source_channel ON leads (source_channel) WHERE deleted_at = 0;"
  "CREATE INDEX leads_lead_type ON leads (lead_type) WHERE deleted_at = 0;"
  "CREATE INDEX leads_tier ON leads (tier) WHERE deleted_at = 0;"
  "CREATE INDEX leads_consent ON leads (consent_status) WHERE deleted_at = 0;"
  "CREATE INDEX leads_sla_open ON leads (sla_due_at)"
  "  WHERE deleted_at = 0 AND sla_due_at > 0 AND first_response_at = 0;"
  "CREATE INDEX leads_created ON leads (created_at) WHERE deleted_at = 0;"
  "CREATE INDEX leads_updated ON leads (updated_at) WHERE deleted_at = 0;"
  "CREATE INDEX leads_email_key ON leads (email_key) WHERE email_key IS NOT NULL;"
  "CREATE INDEX leads_phone_key ON leads (phone_key) WHERE phone_key IS NOT NULL;"
  "CREATE INDEX leads_location_key ON leads (location_key, name_key)"
  "  WHERE location_key IS NOT NULL;"
  "CREATE INDEX leads_remote_id ON leads (remote_id) WHERE remote_id IS NOT NULL;"

  "CREATE TABLE lead_custom_fields ("
  "  lead_id TEXT NOT NULL REFERENCES leads (id),"
  "  key TEXT NOT NULL,"
  "  value TEXT NOT NULL,"
  "  PRIMARY KEY (lead_id, key)"
  ") WITHOUT ROWID;"

  "CREATE TABLE activities ("
  "  id TEXT PRIMARY KEY,"
  "  lead_id TEXT NOT NULL REFERENCES leads (id),"
  "  kind TEXT NOT NULL,"
  "  occurred_at INTEGER NOT NULL,"
  "  detail TEXT, disposition TEXT,"
  "  depth INTEGER NOT NULL DEFAULT 0,"
  "  actor TEXT,"
  "  merge_id TEXT, merged_from TEXT"
  ");"
  "CREATE INDEX activities_lead ON activities (lead_id, occurred_at);"
  "CREATE INDEX activities_kind ON activities (kind, occurred_at);"

  "CREATE TABLE stage_events ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  lead_id TEXT NOT NULL REFERENCES leads (id),"
  "  from_stage TEXT,"
  "  to_stage TEXT NOT NULL,"
  "  reason TEXT,"
  "  actor TEXT,"
  "  device_time INTEGER NOT NULL,"
  "  synced_time INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX stage_events_lead ON stage_events (lead_id, device_time);"
  "CREATE INDEX stage_events_to ON stage_events (to_stage, device_time);"
  /* Append-only: only the sync time may be filled in later. */
  "CREATE TRIGGER stage_events_no_update BEFORE UPDATE ON stage_events"
  "  WHEN NEW.id IS NOT OLD.id OR NEW.lead_id IS NOT OLD.lead_id"
  "    OR NEW.from_stage IS NOT OLD.from_stage OR NEW.to_stage IS NOT OLD.to_stage"
  "    OR NEW.reason IS NOT OLD.reason OR NEW.actor IS NOT OLD.actor"
  "    OR NEW.device_time IS NOT OLD.device_time"
  "  BEGIN SELECT RAISE (ABORT, 'stage_events is append-only'); END;"
  "CREATE TRIGGER stage_events_no_delete BEFORE DELETE ON stage_events"
  "  BEGIN SELECT RAISE (ABORT, 'stage_events is append-only'); END;"

  "CREATE TABLE audit_log ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  entity TEXT NOT NULL,"
  "  entity_id TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  field TEXT, old_value TEXT, new_value TEXT,"
  "  actor TEXT,"
  "  time INTEGER NOT NULL,"
  "  reason TEXT"
  ");"
  "CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);"
  "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
  "  BEGIN SELECT RAISE (ABORT, 'audit_log is append-only'); END;"
  "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
  "  BEGIN SELECT RAISE (ABORT, 'audit_log is append-only'); END;";

static const char migration_2[] =
  /* Full-text search over the fields people type into the search box. */
  "CREATE VIRTUAL TABLE leads_fts USING fts5 ("
  "  first_name, last_name, email, phone, organization, notes,"
  "  content = 'leads', content_rowid = 'rowid',"
  "  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"
  ");"
  "CREATE TRIGGER leads_fts_insert AFTER INSERT ON leads BEGIN"
  "  INSERT INTO leads_fts (rowid, first_name, last_name, email, phone, organization, notes)"
  "  VALUES (NEW.rowid, NEW.first_name, NEW.last_name, NEW.email, NEW.phone,"
  "          NEW.organization, NEW.notes);"
  "END;"
  "CREATE TRIGGER leads_fts_delete AFTER DELETE ON leads BEGIN"
  "  INSERT INTO leads_fts (leads_fts, rowid, first_name, last_name, email, phone,"
  "                         organization, notes)"
  "  VALUES ('delete', OLD.rowid, OLD.first_name, OLD.last_name, OLD.email, OLD.phone,"
  "          OLD.organization, OLD.notes);"
  "END;"
  "CREATE TRIGGER leads_fts_update"
  "  AFTER UPDATE OF first_name, last_name, email, phone, organization, notes ON leads BEGIN"
  "  INSERT INTO leads_fts (leads_fts, rowid, first_name, last_name, email, phone,"
  "                         organization, notes)"
  "  VALUES ('delete', OLD.rowid, OLD.first_name, OLD.last_name, OLD.email, OLD.phone,"
  "          OLD.organization, OLD.notes);"
  "  INSERT INTO leads_fts (rowid, first_name, last_name, email, phone, organization, notes)"
  "  VALUES (NEW.rowid, NEW.first_name, NEW.last_name, NEW.email, NEW.phone,"
  "          NEW.organization, NEW.notes);"
  "END;"
  "INSERT INTO leads_fts (leads_fts) VALUES ('rebuild');"

  /* Merges keep what is needed to undo them. */
  "CREATE TABLE merges ("
  "  id TEXT PRIMARY KEY,"
  "  keep_id TEXT NOT NULL REFERENCES leads (id),"
  "  other_id TEXT NOT NULL REFERENCES leads (id),"
  "  actor TEXT,"
  "  time INTEGER NOT NULL,"
  "  undone_at INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE merge_snapshots ("
  "  merge_id TEXT NOT NULL REFERENCES merges (id),"
  "  lead_id TEXT NOT NULL,"
  "  field TEXT NOT NULL,"
  "  value TEXT,"
  "  PRIMARY KEY (merge_id, lead_id, field)"
  ") WITHOUT ROWID;"

  "CREATE TABLE playbook_versions ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  status TEXT NOT NULL CHECK (status IN ('draft', 'published')),"
  "  author TEXT,"
  "  reason TEXT,"
  "  effective_at INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL,"
  "  body TEXT NOT NULL"
  ");"

  /* The sync journal: nothing leaves it until the server confirmed it. */
  "CREATE TABLE outbox ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  entity TEXT NOT NULL,"
  "  entity_id TEXT NOT NULL,"
  "  op TEXT NOT NULL,"
  "  fields TEXT,"
  "  base_remote_updated_at TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT,"
  "  next_attempt_at INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX outbox_entity ON outbox (entity, entity_id);"
  "CREATE TABLE sync_cursors ("
  "  backend TEXT NOT NULL,"
  "  stream TEXT NOT NULL,"
  "  cursor TEXT,"
  "  updated_at INTEGER NOT NULL,"
  "  PRIMARY KEY (backend, stream)"
  ") WITHOUT ROWID;";

static const char migration_3[] =
  /* Live leads and score sums per stage, kept by triggers, so a board's
   * column headers never count a million rows. */
  "CREATE TABLE stage_totals ("
  "  stage TEXT PRIMARY KEY,"
  "  lead_count INTEGER NOT NULL DEFAULT 0,"
  "  score_sum INTEGER NOT NULL DEFAULT 0"
  ") WITHOUT ROWID;"
  "INSERT INTO stage_totals (stage, lead_count, score_sum)"
  "  SELECT stage, count(*), total(score) FROM leads WHERE deleted_at = 0 GROUP BY stage;"
  "CREATE TRIGGER stage_totals_insert AFTER INSERT ON leads WHEN NEW.deleted_at = 0 BEGIN"
  "  INSERT INTO stage_totals (stage, lead_count, score_sum) VALUES (NEW.stage, 1, NEW.score)"
  "  ON CONFLICT (stage) DO UPDATE SET lead_count = lead_count + 1,"
  "                                    score_sum = score_sum + excluded.score_sum;"
  "END;"
  "CREATE TRIGGER stage_totals_update AFTER UPDATE OF stage, score, deleted_at ON leads BEGIN"
  "  UPDATE stage_totals SET lead_count = lead_count - 1, score_sum = score_sum - OLD.score"
  "    WHERE stage = OLD.stage AND OLD.deleted_at = 0;"
  "  INSERT INTO stage_totals (stage, lead_count, score_sum)"
  "    SELECT NEW.stage, 1, NEW.score WHERE NEW.deleted_at = 0"
  "  ON CONFLICT (stage) DO UPDATE SET lead_count = lead_count + 1,"
  "                                    score_sum = score_sum + excluded.score_sum;"
  "END;"
  "CREATE TRIGGER stage_totals_delete AFTER DELETE ON leads WHEN OLD.deleted_at = 0 BEGIN"
  "  UPDATE stage_totals SET lead_count = lead_count - 1, score_sum = score_sum - OLD.score"
  "    WHERE stage = OLD.stage;"
  "END;"
  /* The SLA-breach counts per stage read only this index. */
  "DROP INDEX leads_sla_open;"
  "CREATE INDEX leads_sla_open ON leads (sla_due_at, stage)"
  "  WHERE deleted_at = 0 AND sla_due_at > 0 AND first_response_at = 0;"
  /* Contacts of one organization, for account-level engagement. */
  "CREATE INDEX leads_account ON leads (account_id) WHERE account_id IS NOT NULL;";

static const char migration_4[] =
  /* The playbook engine: the router's round-robin positions, one row per
   * rescore run (which version scored the leads, and when: an explanation
   * is recomputed from the version and that time), and the published
   * versions by effective date. */
  "CREATE TABLE router_state ("
  "  queue TEXT PRIMARY KEY,"
  "  next_index INTEGER NOT NULL DEFAULT 0"
  ") WITHOUT ROWID;"
  "CREATE TABLE rescore_runs ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  playbook_version INTEGER NOT NULL DEFAULT 0,"
  "  scored_at INTEGER NOT NULL,"
  "  leads INTEGER NOT NULL DEFAULT 0,"
  "  changed INTEGER NOT NULL DEFAULT 0,"
  "  tier_changes INTEGER NOT NULL DEFAULT 0,"
  "  completed INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX playbook_versions_published ON playbook_versions (status, effective_at, id);";

static const char migration_5[] =
  /* Which activities each merge moved, and from which lead: undoing
   * chained merges in any order puts every activity back. */
  "CREATE TABLE merge_moves ("
  "  merge_id TEXT NOT NULL REFERENCES merges (id),"
  "  activity_id TEXT NOT NULL,"
  "  from_lead_id TEXT NOT NULL,"
  "  PRIMARY KEY (merge_id, activity_id)"
  ") WITHOUT ROWID;"
  "INSERT INTO merge_moves (merge_id, activity_id, from_lead_id)"
  "  SELECT merge_id, id, merged_from FROM activities"
  "  WHERE merge_id IS NOT NULL AND merged_from IS NOT NULL;";

static const char migration_6[] =
  /* Activities carry their lead's rowid, with an index that holds what
   * scoring reads: a rescore walks leads and their activities in the same
   * rowid order, a merge join instead of a seek per lead. Triggers keep
   * the column right for any writer that leaves it out, and when a merge
   * moves activities to another lead. */
  "ALTER TABLE activities ADD COLUMN lead_rowid INTEGER;"
  "UPDATE activities SET lead_rowid = (SELECT rowid FROM leads WHERE leads.id = activities.lead_id);"
  "CREATE INDEX activities_scoring ON activities (lead_rowid, occurred_at, kind, detail);"
  "CREATE TRIGGER activities_lead_rowid_insert AFTER INSERT ON activities"
  "  WHEN NEW.lead_rowid IS NULL BEGIN"
  "  UPDATE activities SET lead_rowid = (SELECT rowid FROM leads WHERE id = NEW.lead_id)"
  "    WHERE rowid = NEW.rowid;"
  "END;"
  "CREATE TRIGGER activities_lead_rowid_update AFTER UPDATE OF lead_id ON activities BEGIN"
  "  UPDATE activities SET lead_rowid = (SELECT rowid FROM leads WHERE id = NEW.lead_id)"
  "    WHERE rowid = NEW.rowid;"
  "END;"

  /* Engaged contacts per account (the readiness boost) without visiting
   * each lead's row. */
  "CREATE INDEX leads_account_activity ON leads (account_id, last_activity_at)"
  "  WHERE deleted_at = 0 AND account_id IS NOT NULL;"

  /* A rescore changes scores by the hundred thousand: one statement for a
   * score change, the general two only when a lead changes stage or is
   * deleted or restored. */
  "DROP TRIGGER stage_totals_update;"
  "CREATE TRIGGER stage_totals_move AFTER UPDATE OF stage, deleted_at ON leads"
  "  WHEN OLD.stage IS NOT NEW.stage OR OLD.deleted_at <> NEW.deleted_at BEGIN"
  "  UPDATE stage_totals SET lead_count = lead_count - 1, score_sum = score_sum - OLD.score"
  "    WHERE stage = OLD.stage AND OLD.deleted_at = 0;"
  "  INSERT INTO stage_totals (stage, lead_count, score_sum)"
  "    SELECT NEW.stage, 1, NEW.score WHERE NEW.deleted_at = 0"
  "  ON CONFLICT (stage) DO UPDATE SET lead_count = lead_count + 1,"
  "                                    score_sum = score_sum + excluded.score_sum;"
  "END;"
  "CREATE TRIGGER stage_totals_score AFTER UPDATE OF score ON leads"
  "  WHEN OLD.stage IS NEW.stage AND OLD.deleted_at = 0 AND NEW.deleted_at = 0"
  "       AND OLD.score <> NEW.score BEGIN"
  "  UPDATE stage_totals SET score_sum = score_sum + (NEW.score - OLD.score)"
  "    WHERE stage = NEW.stage;"
  "END;"

  /* A published playbook version is history: only a draft may change
   * (publishing turns it into a version) or be discarded. */
  "CREATE TRIGGER playbook_versions_published_update BEFORE UPDATE ON playbook_versions"
  "  WHEN OLD.status = 'published' BEGIN"
  "  SELECT RAISE (ABORT, 'published playbook versions are immutable');"
  "END;"
  "CREATE TRIGGER playbook_versions_published_delete BEFORE DELETE ON playbook_versions"
  "  WHEN OLD.status = 'published' BEGIN"
  "  SELECT RAISE (ABORT, 'published playbook versions are immutable');"
  "END;"
  /* The playbook being edited: one draft, saved as it changes, published
   * as a new version (version ids stay in publication order). */
  "CREATE TABLE playbook_draft ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  base_version INTEGER NOT NULL DEFAULT 0,"
  "  author TEXT,"
  "  updated_at INTEGER NOT NULL,"
  "  body TEXT NOT NULL"
  ");";

static const char migration_7[] =
  /* CRM sync. One link per lead and backend: the remote id, the remote
   * updatedAt last applied (de-duplicates overlapping pulls) and the base
   * of the three-way merge (JSON: CRM property → value as last agreed). */
  "CREATE TABLE sync_links ("
  "  backend TEXT NOT NULL,"
  "  lead_id TEXT NOT NULL REFERENCES leads (id),"
  "  remote_id TEXT,"
  "  remote_updated_at TEXT,"
  "  base TEXT,"
  "  remote_deleted_at INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (backend, lead_id)"
  ") WITHOUT ROWID;"
  "CREATE UNIQUE INDEX sync_links_remote ON sync_links (backend, remote_id)"
  "  WHERE remote_id IS NOT NULL;"
  /* A field changed on both sides, kept until the user chooses. */
  "CREATE TABLE sync_conflicts ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  backend TEXT NOT NULL,"
  "  lead_id TEXT NOT NULL REFERENCES leads (id),"
  "  field TEXT NOT NULL,"
  "  base_value TEXT, local_value TEXT, remote_value TEXT,"
  "  remote_updated_at TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  resolved_at INTEGER NOT NULL DEFAULT 0,"
  "  resolution TEXT"
  ");"
  "CREATE UNIQUE INDEX sync_conflicts_open ON sync_conflicts (backend, lead_id, field)"
  "  WHERE resolved_at = 0;"
  /* One row per sync run: what it did and, when it failed, why. */
  "CREATE TABLE sync_runs ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  backend TEXT NOT NULL,"
  "  started_at INTEGER NOT NULL,"
  "  finished_at INTEGER NOT NULL DEFAULT 0,"
  "  pulled INTEGER NOT NULL DEFAULT 0,"
  "  pushed INTEGER NOT NULL DEFAULT 0,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  conflicts INTEGER NOT NULL DEFAULT 0,"
  "  errors INTEGER NOT NULL DEFAULT 0,"
  "  ok INTEGER NOT NULL DEFAULT 0,"
  "  message TEXT,"
  "  correlation_id TEXT"
  ");"
  "CREATE INDEX outbox_order ON outbox (entity_id, id);";

static const char migration_8[] =
  /* Reports keep a snapshot of the leads current by reading what changed
   * since they last looked: live leads by updated_at (leads_updated), and
   * leads tombstoned or merged away by the time that happened. */
  "CREATE INDEX leads_deleted ON leads (deleted_at) WHERE deleted_at > 0;";

static const char migration_9[] =
  /* The time rules (tick): when a lead's current response clock was
   * recorded as breached and as escalated (each once per clock: a new
   * clock starts when the lead enters a stage), and the leads quiet for
   * long in a stage, for inactivity automation. */
  "ALTER TABLE leads ADD COLUMN sla_breached_at INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE leads ADD COLUMN sla_escalated_at INTEGER NOT NULL DEFAULT 0;"
  "CREATE INDEX leads_stage_activity ON leads (stage, last_activity_at) WHERE deleted_at = 0;";

static const char migration_10[] =
  /* Email keys follow RFC 6531: international addresses are valid, and an
   * address matches whatever its case, Unicode form or IDN spelling. Only
   * the keys that come out differently are written again. */
  "UPDATE leads SET email_key = carepath_email_key (email)"
  " WHERE email IS NOT NULL AND email_key IS NOT carepath_email_key (email);";

static const char migration_11[] =
  /* CRM records Carepath could not apply (an address it refuses, a stage
   * the playbook lacks): kept with the record as it came, retried at every
   * sync, shown until applied or dismissed. */
  "CREATE TABLE sync_rejects ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  backend TEXT NOT NULL,"
  "  remote_id TEXT NOT NULL,"
  "  remote_updated_at TEXT,"
  "  payload TEXT NOT NULL,"
  "  reason TEXT NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 1,"
  "  first_seen_at INTEGER NOT NULL,"
  "  last_tried_at INTEGER NOT NULL,"
  "  resolved_at INTEGER NOT NULL DEFAULT 0,"
  "  dismissed_at INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE UNIQUE INDEX sync_rejects_record ON sync_rejects (backend, remote_id);";

static const char migration_12[] =
  /* Erasure of a person (GDPR article 17). The log keeps who erased which
   * lead, when and why, never the person's data; like the audit trail it
   * only grows. */
  "CREATE TABLE erasures ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  lead_id TEXT NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  reason TEXT NOT NULL,"
  "  erased_at INTEGER NOT NULL,"
  "  leads INTEGER NOT NULL DEFAULT 1,"
  "  crm_deletes INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX erasures_lead ON erasures (lead_id);"
  "CREATE TRIGGER erasures_no_update BEFORE UPDATE ON erasures"
  "  BEGIN SELECT RAISE (ABORT, 'erasures is append-only'); END;"
  "CREATE TRIGGER erasures_no_delete BEFORE DELETE ON erasures"
  "  BEGIN SELECT RAISE (ABORT, 'erasures is append-only'); END;"

  /* An erased lead stays an empty tombstone: nothing writes to it again
   * (an edit, an undone merge, a CRM pull bringing the person back). */
  "ALTER TABLE leads ADD COLUMN erased_at INTEGER NOT NULL DEFAULT 0;"
  "CREATE TRIGGER leads_erased_frozen BEFORE UPDATE ON leads WHEN OLD.erased_at > 0"
  "  BEGIN SELECT RAISE (ABORT, 'this person was erased: the lead cannot change'); END;"
  /* A CRM record of an erased person is not kept here while its deletion
   * on the CRM is pending. */
  "CREATE TRIGGER sync_rejects_erased BEFORE INSERT ON sync_rejects"
  "  WHEN EXISTS (SELECT 1 FROM sync_links s JOIN leads l ON l.id = s.lead_id"
  "               WHERE s.backend = NEW.backend AND s.remote_id = NEW.remote_id"
  "               AND l.erased_at > 0)"
  "  BEGIN SELECT RAISE (IGNORE); END;"

  /* The one way the audit trail and the stage history change: an erasure
   * grants itself the leads whose values it redacts, one row each, and
   * removes the grants before it commits. A grant left behind fails the
   * COMMIT: its deferred reference points into a table that stays empty.
   * With a grant, a row may only lose values (old, new, reason set to
   * NULL); without one, every UPDATE and DELETE is refused as before. */
  "CREATE TABLE redaction_never (id INTEGER PRIMARY KEY);"
  "CREATE TRIGGER redaction_never_insert BEFORE INSERT ON redaction_never"
  "  BEGIN SELECT RAISE (ABORT, 'redaction_never stays empty'); END;"
  "CREATE TABLE redaction_grants ("
  "  lead_id TEXT PRIMARY KEY,"
  "  erasure_id INTEGER NOT NULL REFERENCES erasures (id),"
  "  person INTEGER NOT NULL,"   /* 1: the person's own lead; 0: a lead merged with it once */
  "  open INTEGER NOT NULL DEFAULT 1"
  "    REFERENCES redaction_never (id) DEFERRABLE INITIALLY DEFERRED"
  ") WITHOUT ROWID;"
  "DROP TRIGGER audit_log_no_update;"
  "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
  "  WHEN NOT (OLD.entity = 'lead'"
  "            AND EXISTS (SELECT 1 FROM redaction_grants WHERE lead_id = OLD.entity_id)"
  "            AND NEW.id IS OLD.id AND NEW.entity IS OLD.entity"
  "            AND NEW.entity_id IS OLD.entity_id AND NEW.action IS OLD.action"
  "            AND NEW.field IS OLD.field AND NEW.actor IS OLD.actor AND NEW.time IS OLD.time"
  "            AND (NEW.old_value IS NULL OR NEW.old_value IS OLD.old_value)"
  "            AND (NEW.new_value IS NULL OR NEW.new_value IS OLD.new_value)"
  "            AND (NEW.reason IS NULL OR NEW.reason IS OLD.reason))"
  "  BEGIN SELECT RAISE (ABORT, 'audit_log is append-only'); END;"
  "DROP TRIGGER stage_events_no_update;"
  "CREATE TRIGGER stage_events_no_update BEFORE UPDATE ON stage_events"
  "  WHEN NEW.id IS NOT OLD.id OR NEW.lead_id IS NOT OLD.lead_id"
  "    OR NEW.from_stage IS NOT OLD.from_stage OR NEW.to_stage IS NOT OLD.to_stage"
  "    OR NEW.actor IS NOT OLD.actor OR NEW.device_time IS NOT OLD.device_time"
  "    OR (NEW.reason IS NOT OLD.reason"
  "        AND (NEW.reason IS NOT NULL"
  "             OR NOT EXISTS (SELECT 1 FROM redaction_grants WHERE lead_id = OLD.lead_id)))"
  "  BEGIN SELECT RAISE (ABORT, 'stage_events is append-only'); END;";

static const char migration_13[] =
  /* Tasks: the next actions on a lead (a call, an email, a meeting, a
   * follow-up, a handoff checklist item), each with an owner and a due
   * time. A task is never deleted: it is done, snoozed or cancelled, and
   * every change is in the audit trail (entity 'task'). `origin` says what
   * made it: 'manual', 'stage' (a playbook stage's entry tasks) or 'sla'
   * (the first-response task, completed by the first outreach). */
  "CREATE TABLE tasks ("
  "  id TEXT PRIMARY KEY,"
  "  lead_id TEXT NOT NULL REFERENCES leads (id),"
  "  kind TEXT NOT NULL,"
  "  title TEXT NOT NULL,"
  "  note TEXT,"
  "  owner TEXT,"
  "  due_at INTEGER NOT NULL,"
  "  snoozed_until INTEGER NOT NULL DEFAULT 0,"
  "  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),"
  "  done_at INTEGER NOT NULL DEFAULT 0,"
  "  done_by TEXT,"
  "  origin TEXT NOT NULL DEFAULT 'manual',"
  "  stage_id TEXT,"
  "  template_key TEXT,"
  "  completed_by TEXT,"            /* the activity id that completed it */
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX tasks_open_due ON tasks (status, owner, due_at);"
  "CREATE INDEX tasks_lead ON tasks (lead_id, status, due_at);"
  /* What was already announced, so a notification is sent once. */
  "CREATE TABLE notifications_sent ("
  "  key TEXT PRIMARY KEY,"
  "  sent_at INTEGER NOT NULL"
  ") WITHOUT ROWID;";

static const char migration_14[] =
  /* Where each activity came from: 'manual' (the lead window, the CLI's
   * log), 'crm' (an engagement pulled from the CRM), 'file' (an attendee
   * or event list), 'automation' or 'demo'. `external_id` identifies it at
   * its source (a CRM engagement id, or a key derived from a file row), so
   * importing the same activity again changes nothing. */
  "ALTER TABLE activities ADD COLUMN source TEXT NOT NULL DEFAULT 'manual';"
  "ALTER TABLE activities ADD COLUMN external_id TEXT;"
  "ALTER TABLE activities ADD COLUMN direction TEXT;"
  "CREATE UNIQUE INDEX activities_external ON activities (external_id)"
  "  WHERE external_id IS NOT NULL;";

static const char migration_15[] =
  /* CRM records kept unapplied are contacts or engagements (a call, an
   * email, a meeting, a note): `entity` says which, and one remote id is
   * unique within its entity only. */
  "ALTER TABLE sync_rejects ADD COLUMN entity TEXT NOT NULL DEFAULT 'contact';"
  "DROP INDEX sync_rejects_record;"
  "CREATE UNIQUE INDEX sync_rejects_record ON sync_rejects (backend, entity, remote_id);";

static const char migration_16[] =
  /* The Leads table's first page of a stage, newest first, with more
   * filters: one walk of this index in date order, the other filters
   * checked on the index entry itself, and only the page's rows read
   * (was: every lead of one filter read and sorted, ~0.3 s on a million). */
  "CREATE INDEX leads_stage_created ON leads (stage, created_at, service_line, location, owner,"
  "  queue, source_channel, lead_type, tier) WHERE deleted_at = 0;";

static const char migration_17[] =
  /* A rescore changes tiers by the ten thousand, and each tier in this
   * wide index was an entry moved on a page of its own (~19,000 pages of
   * 26,000 for 35,000 tier changes on a million leads). The tier index
   * serves a stage's page of one tier instead, in date order, and its
   * count: it is narrow (a third of the pages), and where leads are
   * created in time order its entries of one tier and stage are in rowid
   * order, the order a rescore writes in. */
  "DROP INDEX leads_stage_created;"
  "CREATE INDEX leads_stage_created ON leads (stage, created_at, service_line, location, owner,"
  "  queue, source_channel, lead_type) WHERE deleted_at = 0;"
  "DROP INDEX leads_tier;"
  "CREATE INDEX leads_tier ON leads (tier, stage, created_at) WHERE deleted_at = 0;"
  /* History no query reads by kind, nor by the stage entered. */
  "DROP INDEX activities_kind;"
  "DROP INDEX stage_events_to;"
  /* A lead's activities are found by its rowid, in the index scoring
   * reads (lead_rowid, occurred_at, …), kept right by the triggers of
   * schema 6 and the foreign key: a second index of the same order by the
   * lead's text id was ~7 % of the file, and a page written at random for
   * each activity recorded. */
  "DROP INDEX activities_lead;";

static const char migration_18[] =
  /* SQLite 3.40 checks a CHECK's `status IN (…)` by building a throwaway
   * b-tree of the list each time a statement runs: every task inserted or
   * changed alone (each new lead's response task) paid for one, ~7 % of
   * an import's CPU. The same rule written as comparisons. A CHECK cannot
   * be changed in place: the table is rebuilt with its rows, their rowids
   * and its two indexes; nothing refers to it. */
  "CREATE TABLE tasks_18 ("
  "  id TEXT PRIMARY KEY,"
  "  lead_id TEXT NOT NULL REFERENCES leads (id),"
  "  kind TEXT NOT NULL,"
  "  title TEXT NOT NULL,"
  "  note TEXT,"
  "  owner TEXT,"
  "  due_at INTEGER NOT NULL,"
  "  snoozed_until INTEGER NOT NULL DEFAULT 0,"
  "  status TEXT NOT NULL DEFAULT 'open'"
  "    CHECK (status = 'open' OR status = 'done' OR status = 'cancelled'),"
  "  done_at INTEGER NOT NULL DEFAULT 0,"
  "  done_by TEXT,"
  "  origin TEXT NOT NULL DEFAULT 'manual',"
  "  stage_id TEXT,"
  "  template_key TEXT,"
  "  completed_by TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "INSERT INTO tasks_18 (rowid, id, lead_id, kind, title, note, owner, due_at, snoozed_until,"
  "                      status, done_at, done_by, origin, stage_id, template_key,"
  "                      completed_by, created_at, updated_at)"
  "  SELECT rowid, id, lead_id, kind, title, note, owner, due_at, snoozed_until, status, done_at,"
  "         done_by, origin, stage_id, template_key, completed_by, created_at, updated_at"
  "  FROM tasks ORDER BY rowid;"
  "DROP TABLE tasks;"
  "ALTER TABLE tasks_18 RENAME TO tasks;"
  "CREATE INDEX tasks_open_due ON tasks (status, owner, due_at);"
  "CREATE INDEX tasks_lead ON tasks (lead_id, status, due_at);";

static const char migration_19[] =
  /* A rescore's tier changes, recorded against its run (issue #25): an
   * audit row and its random entry in audit_log_entity per change (lead
   * ids are UUIDs) dirtied ~21,000 pages of a write-back of 35,298 tiers
   * on a million leads; a run writes these in lead rowid order, i.e.
   * appended. The run holds who ran it and the reason its changes give
   * (what each audit row repeated). Like the audit trail, append-only;
   * nothing here names a person (tiers and scores are what an erased
   * lead's tombstone keeps), and the readers leave an erased lead's
   * reason out, as the erasure does to its audit rows. The rescore audit
   * rows written before this version stay where they are: the readers
   * read both. */
  "ALTER TABLE rescore_runs ADD COLUMN actor TEXT;"
  "ALTER TABLE rescore_runs ADD COLUMN reason TEXT;"
  "CREATE TABLE rescore_changes ("
  "  run_id INTEGER NOT NULL REFERENCES rescore_runs (id),"
  "  lead_rowid INTEGER NOT NULL,"
  "  old_tier TEXT,"
  "  new_tier TEXT,"
  "  old_score INTEGER NOT NULL,"
  "  new_score INTEGER NOT NULL,"
  "  PRIMARY KEY (run_id, lead_rowid)"
  ") WITHOUT ROWID;"
  "CREATE TRIGGER rescore_changes_no_update BEFORE UPDATE ON rescore_changes"
  "  BEGIN SELECT RAISE (ABORT, 'rescore_changes is append-only'); END;"
  "CREATE TRIGGER rescore_changes_no_delete BEFORE DELETE ON rescore_changes"
  "  BEGIN SELECT RAISE (ABORT, 'rescore_changes is append-only'); END;"
  /* INSERT OR REPLACE deletes without firing the DELETE trigger. */
  "CREATE TRIGGER rescore_changes_no_replace BEFORE INSERT ON rescore_changes"
  "  WHEN EXISTS (SELECT 1 FROM rescore_changes"
  "               WHERE run_id = NEW.run_id AND lead_rowid = NEW.lead_rowid)"
  "  BEGIN SELECT RAISE (ABORT, 'rescore_changes is append-only'); END;"
  /* A run's row says when and with what; only its counts and completion
   * are written after it starts. */
  "CREATE TRIGGER rescore_runs_no_delete BEFORE DELETE ON rescore_runs"
  "  BEGIN SELECT RAISE (ABORT, 'rescore_runs is append-only'); END;"
  "CREATE TRIGGER rescore_runs_kept BEFORE UPDATE ON rescore_runs"
  "  WHEN NEW.id IS NOT OLD.id OR NEW.playbook_version IS NOT OLD.playbook_version"
  "    OR NEW.scored_at IS NOT OLD.scored_at OR NEW.actor IS NOT OLD.actor"
  "    OR NEW.reason IS NOT OLD.reason"
  "  BEGIN SELECT RAISE (ABORT, 'a rescore run keeps its version, time, actor and reason'); END;";

/* INSERT OR REPLACE over an existing row deletes it without firing the
 * DELETE triggers (nor, without recursive triggers, the UPDATE ones): the
 * append-only tables refuse it too, as rescore_changes does. Before
 * insertion a new row's id is -1 here: no row has it. */
#define NO_REPLACE(table, extra, message)                                   \
  "CREATE TRIGGER " table "_no_replace BEFORE INSERT ON " table             \
  "  WHEN EXISTS (SELECT 1 FROM " table " WHERE id = NEW.id" extra ")"      \
  "  BEGIN SELECT RAISE (ABORT, '" message "'); END;"

static const char migration_20[] =
  NO_REPLACE ("audit_log", "", "audit_log is append-only")
  NO_REPLACE ("stage_events", "", "stage_events is append-only")
  NO_REPLACE ("erasures", "", "erasures is append-only")
  NO_REPLACE ("rescore_runs", "", "rescore_runs is append-only")
  NO_REPLACE ("playbook_versions", " AND status = 'published'",
              "published playbook versions are immutable");

#undef NO_REPLACE

static const char * const migrations[] = {
  NULL,          /* version 0: an empty file */
  migration_1,
  migration_2,
  migration_3,
  migration_4,
  migration_5,
  migration_6,
  migration_7,
  migration_8,
  migration_9,
  migration_10,
  migration_11,
  migration_12,
  migration_13,
  migration_14,
  migration_15,
  migration_16,
  migration_17,
  migration_18,
  migration_19,
  migration_20,
};

int
cp_schema_latest_version (void)
{
  return G_N_ELEMENTS (migrations) - 1;
}

const char *
cp_schema_migration (int version)
{
  g_return_val_if_fail (version >= 1 && version <= cp_schema_latest_version (), NULL);

  return migrations[version];
}
