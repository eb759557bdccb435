/* cp-rescore.c — score every lead with a playbook, in batches, with progress and cancel
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-rescore"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-rescore.h"

#define BATCH_SIZE 20000

/* One lead of a batch; its strings live in the batch's string chunk. */
typedef struct
{
  gint64        rowid;
  const char   *id;
  const char   *account_id;
  CpLeadRecord  record;
  guint         first_activity;
  guint         n_activities;
  int           old_score;
  int           old_category[CP_SCORE_N_CATEGORIES];
  const char   *old_tier;
} BatchLead;

typedef struct
{
  CpDatabase    *database;
  CpScorer      *scorer;
  gint64         now;
  gboolean       with_detail;
  guint64        text_fields;       /* bit per CpLeadField read as text */
  CpLeadField    fields[CP_LEAD_N_FIELDS];
  guint          n_fields;
  sqlite3_stmt  *lead_stmt;
  sqlite3_stmt  *activity_stmt;
  GHashTable    *engaged_accounts;  /* account id → engaged contacts */
  BatchLead     *leads;
  guint          n_leads;
  GArray        *activities;        /* CpActivityRecord */
  GStringChunk  *strings;
} Scan;

static void
mark_fields (const CpCondition *condition,
             guint64           *mask)
{
  if (condition == NULL)
    return;
  if (condition->type == CP_CONDITION_FIELD && condition->field < CP_LEAD_N_FIELDS)
    *mask |= G_GUINT64_CONSTANT (1) << condition->field;
  for (guint i = 0; i < condition->n_children; i++)
    mark_fields (condition->children[i], mask);
}

static void
scan_clear (Scan *scan)
{
  g_clear_pointer (&scan->lead_stmt, sqlite3_finalize);
  g_clear_pointer (&scan->activity_stmt, sqlite3_finalize);
  g_clear_pointer (&scan->engaged_accounts, g_hash_table_unref);
  g_clear_pointer (&scan->leads, g_free);
  g_clear_pointer (&scan->activities, g_array_unref);
  g_clear_pointer (&scan->strings, g_string_chunk_free);
  g_clear_pointer (&scan->scorer, cp_scorer_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Scan, scan_clear)

/* Activity kinds as stored, without a loop over every name per row. */
static gboolean
kind_from_text (const char     *text,
                CpActivityKind *out_kind)
{
  static GHashTable *kinds;

  if (g_once_init_enter (&kinds))
    {
      GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint k = 0; k < CP_ACTIVITY_N_KINDS; k++)
        g_hash_table_insert (table, (gpointer) cp_activity_kind_to_string (k), GUINT_TO_POINTER (k + 1));
      g_once_init_leave (&kinds, table);
    }
  {
    guint value = GPOINTER_TO_UINT (g_hash_table_lookup (kinds, text));

    if (value == 0)
      return FALSE;
    *out_kind = value - 1;
    return TRUE;
  }
}

static gboolean
scan_init (Scan        *scan,
           CpDatabase  *database,
           CpPlaybook  *playbook,
           gint64       now,
           GError     **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT rowid, id, account_id, score, fit_score, "
                                         "intent_score, readiness_score, tier");
  guint64 mask = 0;
  sqlite3_stmt *stmt;
  int rc;

  scan->database = database;
  scan->scorer = cp_scorer_new (playbook);
  scan->now = now;
  scan->with_detail = cp_scorer_uses_activity_detail (scan->scorer);
  scan->strings = g_string_chunk_new (1 << 20);
  scan->activities = g_array_sized_new (FALSE, FALSE, sizeof (CpActivityRecord), BATCH_SIZE * 4);
  scan->leads = g_new0 (BatchLead, BATCH_SIZE);

  for (guint i = 0; i < playbook->scoring.rules->len; i++)
    mark_fields (((CpScoreRule *) g_ptr_array_index (playbook->scoring.rules, i))->condition, &mask);
  mask |= G_GUINT64_CONSTANT (1) << CP_LEAD_FIELD_STAGE;
  mask |= G_GUINT64_CONSTANT (1) << CP_LEAD_FIELD_LAST_ACTIVITY_AT;
  mask |= G_GUINT64_CONSTANT (1) << CP_LEAD_FIELD_CREATED_AT;
  for (guint f = 0; f < CP_LEAD_N_FIELDS; f++)
    {
      CpFieldType type = cp_lead_field_info (f)->type;

      if (!(mask & (G_GUINT64_CONSTANT (1) << f)))
        continue;
      scan->fields[scan->n_fields++] = f;
      if (type == CP_FIELD_TYPE_TEXT || type == CP_FIELD_TYPE_CHOICE)
        scan->text_fields |= G_GUINT64_CONSTANT (1) << f;
      /* Field names are the column names (cp-lead-columns.h). */
      g_string_append_printf (sql, ", %s", cp_lead_field_info (f)->name);
    }
  g_string_append (sql, " FROM leads WHERE deleted_at = 0 AND rowid > ?1 ORDER BY rowid LIMIT ?2");
  scan->lead_stmt = _cp_database_prepare (database, sql->str, error);
  if (scan->lead_stmt == NULL)
    return FALSE;

  /* Activities of a range of leads in lead order: one pass, no query per lead. */
  scan->activity_stmt = _cp_database_prepare (database, scan->with_detail
    ? "SELECT l.rowid, a.kind, a.occurred_at, a.detail FROM leads l"
      " JOIN activities a ON a.lead_id = l.id"
      " WHERE l.rowid > ?1 AND l.rowid <= ?2 AND l.deleted_at = 0 ORDER BY l.rowid"
    : "SELECT l.rowid, a.kind, a.occurred_at FROM leads l"
      " JOIN activities a ON a.lead_id = l.id"
      " WHERE l.rowid > ?1 AND l.rowid <= ?2 AND l.deleted_at = 0 ORDER BY l.rowid",
    error);
  if (scan->activity_stmt == NULL)
    return FALSE;

  /* Accounts with several engaged contacts, for the account boost. */
  scan->engaged_accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  stmt = _cp_database_statement (database, CP_STMT_RESCORE_ENGAGED_ACCOUNTS, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now - CP_RESCORE_ENGAGED_DAYS * G_GINT64_CONSTANT (86400));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (scan->engaged_accounts, g_strdup (_cp_column_text (stmt, 0)),
                         GUINT_TO_POINTER (sqlite3_column_int (stmt, 1)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (database, error, rc, _("Could not read account engagement"));
      return FALSE;
    }
  return TRUE;
}

static const char *
chunk_text (Scan         *scan,
            sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? g_string_chunk_insert (scan->strings, text) : NULL;
}

/* Reads the next batch of leads after @after_rowid with their activities. */
static gboolean
scan_next_batch (Scan     *scan,
                 gint64    after_rowid,
                 GError  **error)
{
  sqlite3_stmt *stmt = scan->lead_stmt;
  guint a = 0;
  int rc;

  scan->n_leads = 0;
  g_array_set_size (scan->activities, 0);
  g_string_chunk_clear (scan->strings);

  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, after_rowid);
  sqlite3_bind_int (stmt, 2, BATCH_SIZE);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BatchLead *lead = &scan->leads[scan->n_leads++];

      memset (lead, 0, sizeof *lead);
      lead->rowid = sqlite3_column_int64 (stmt, 0);
      lead->id = chunk_text (scan, stmt, 1);
      lead->account_id = chunk_text (scan, stmt, 2);
      for (guint c = 0; c < CP_SCORE_N_CATEGORIES + 1; c++)
        {
          int value = sqlite3_column_int (stmt, 3 + c);

          if (c == 0)
            lead->old_score = value;
          else
            lead->old_category[c - 1] = value;
        }
      lead->old_tier = chunk_text (scan, stmt, 7);
      for (guint i = 0; i < scan->n_fields; i++)
        {
          CpLeadField f = scan->fields[i];

          if (scan->text_fields & (G_GUINT64_CONSTANT (1) << f))
            lead->record.text[f] = chunk_text (scan, stmt, 8 + i);
          else
            lead->record.number[f] = sqlite3_column_int64 (stmt, 8 + i);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (scan->database, error, rc, _("Could not read the leads"));
      return FALSE;
    }
  if (scan->n_leads == 0)
    return TRUE;

  stmt = scan->activity_stmt;
  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, after_rowid);
  sqlite3_bind_int64 (stmt, 2, scan->leads[scan->n_leads - 1].rowid);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);
      CpActivityRecord record = { 0, };
      CpActivityKind kind;

      while (a < scan->n_leads && scan->leads[a].rowid < rowid)
        a++;
      if (a == scan->n_leads)
        break;
      if (scan->leads[a].rowid != rowid ||
          !kind_from_text ((const char *) sqlite3_column_text (stmt, 1), &kind))
        continue;
      if (scan->leads[a].n_activities == 0)
        scan->leads[a].first_activity = scan->activities->len;
      scan->leads[a].n_activities++;
      record.kind = kind;
      record.occurred_at = sqlite3_column_int64 (stmt, 2);
      record.detail = scan->with_detail ? chunk_text (scan, stmt, 3) : NULL;
      g_array_append_val (scan->activities, record);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _cp_database_set_error (scan->database, error, rc, _("Could not read the activities"));
      return FALSE;
    }
  return TRUE;
}

static void
scan_score (Scan          *scan,
            BatchLead     *lead,
            CpScoreResult *result)
{
  CpConditionInput input = { 0, };
  guint engaged = 0;

  input.lead = &lead->record;
  input.activities = lead->n_activities > 0
                     ? &g_array_index (scan->activities, CpActivityRecord, lead->first_activity)
                     : NULL;
  input.n_activities = lead->n_activities;
  input.now = scan->now;
  if (lead->account_id != NULL)
    {
      gboolean self_engaged = lead->record.number[CP_LEAD_FIELD_LAST_ACTIVITY_AT] >=
                              scan->now - CP_RESCORE_ENGAGED_DAYS * G_GINT64_CONSTANT (86400);

      engaged = GPOINTER_TO_UINT (g_hash_table_lookup (scan->engaged_accounts, lead->account_id));
      if (engaged > 0 && self_engaged)
        engaged--;
    }
  input.account_engaged_contacts = engaged;
  cp_scorer_score (scan->scorer, &input, result);
}

static gboolean
count_leads (CpDatabase  *database,
             guint       *out_total,
             GError     **error)
{
  sqlite3_stmt *stmt = _cp_database_prepare (database, "SELECT count(*) FROM leads WHERE deleted_at = 0",
                                             error);

  if (stmt == NULL)
    return FALSE;
  *out_total = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : 0;
  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
write_lead (CpDatabase          *database,
            const BatchLead     *lead,
            const CpScoreResult *result,
            const char          *actor,
            const char          *reason,
            gint64               now,
            CpRescoreStats      *stats,
            GError             **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (database, CP_STMT_RESCORE_LEAD_UPDATE, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, lead->rowid);
  sqlite3_bind_int (stmt, 2, result->score);
  for (guint c = 0; c < CP_SCORE_N_CATEGORIES; c++)
    sqlite3_bind_int (stmt, 3 + c, result->category[c]);
  sqlite3_bind_text (stmt, 6, result->tier, -1, SQLITE_STATIC);
  if (!_cp_database_step_done (database, stmt, error))
    return FALSE;
  stats->changed++;

  if (g_strcmp0 (lead->old_tier, result->tier) == 0)
    return TRUE;
  stmt = _cp_database_statement (database, CP_STMT_AUDIT_INSERT, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, "lead", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, lead->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, "rescore", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, "tier", -1, SQLITE_STATIC);
  if (lead->old_tier != NULL)
    sqlite3_bind_text (stmt, 5, lead->old_tier, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, result->tier, -1, SQLITE_STATIC);
  if (actor != NULL)
    sqlite3_bind_text (stmt, 7, actor, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, now);
  sqlite3_bind_text (stmt, 9, reason, -1, SQLITE_STATIC);
  if (!_cp_database_step_done (database, stmt, error))
    return FALSE;
  stats->tier_changes++;
  return TRUE;
}

static gboolean
finish_run (CpDatabase      *database,
            gint64           run_id,
            CpRescoreStats  *stats,
            GError         **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (database, CP_STMT_RESCORE_RUN_FINISH, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int (stmt, 2, stats->leads);
  sqlite3_bind_int (stmt, 3, stats->changed);
  sqlite3_bind_int (stmt, 4, stats->tier_changes);
  sqlite3_bind_int (stmt, 5, !stats->cancelled);
  return _cp_database_step_done (database, stmt, error);
}

static gboolean
rescore_run (CpDatabase      *database,
                CpPlaybook      *playbook,
                gint64           playbook_version,
                gint64           now,
                const char      *actor,
                CpProgressFunc   progress,
                gpointer         user_data,
                GCancellable    *cancellable,
                CpRescoreStats  *out_stats,
                GError         **error)
{
  g_auto(Scan) scan = { 0, };
  g_autofree char *reason = NULL;
  CpRescoreStats stats = { 0, };
  sqlite3_stmt *stmt;
  gint64 last_rowid = 0, run_id;
  guint total = 0;

  g_return_val_if_fail (CP_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (playbook != NULL, FALSE);

  if (!count_leads (database, &total, error) || !scan_init (&scan, database, playbook, now, error))
    return FALSE;
  reason = playbook_version > 0
           ? g_strdup_printf (_("Rescored with playbook version %" G_GINT64_FORMAT), playbook_version)
           : g_strdup (_("Rescored with the default playbook"));

  stmt = _cp_database_statement (database, CP_STMT_RESCORE_RUN_INSERT, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, playbook_version);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!_cp_database_step_done (database, stmt, error))
    return FALSE;
  run_id = sqlite3_last_insert_rowid (_cp_database_get_handle (database));

  for (;;)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          stats.cancelled = TRUE;
          break;
        }
      if (!scan_next_batch (&scan, last_rowid, error))
        return FALSE;
      if (scan.n_leads == 0)
        break;
      if (!cp_database_begin (database, error))
        return FALSE;
      for (guint i = 0; i < scan.n_leads; i++)
        {
          BatchLead *lead = &scan.leads[i];
          CpScoreResult result;

          scan_score (&scan, lead, &result);
          stats.leads++;
          if (result.score == lead->old_score &&
              result.category[0] == lead->old_category[0] &&
              result.category[1] == lead->old_category[1] &&
              result.category[2] == lead->old_category[2] &&
              g_strcmp0 (result.tier, lead->old_tier) == 0)
            continue;
          if (!write_lead (database, lead, &result, actor, reason, now, &stats, error))
            {
              cp_database_rollback (database);
              return FALSE;
            }
        }
      if (!cp_database_commit (database, error))
        {
          cp_database_rollback (database);
          return FALSE;
        }
      last_rowid = scan.leads[scan.n_leads - 1].rowid;
      if (progress != NULL)
        progress (stats.leads, MAX (total, stats.leads), user_data);
    }

  if (!finish_run (database, run_id, &stats, error))
    return FALSE;
  if (out_stats != NULL)
    *out_stats = stats;
  return TRUE;
}

/**
 * cp_rescore_run:
 * @database: a connection owned by the calling thread (run this on a
 *   worker with its own connection, see cp_rescore_run_async())
 * @playbook: the playbook to score with
 * @playbook_version: its version id (0: the built-in default), recorded
 *   with the run so each score can be explained as of that version
 * @now: the time decay is measured to
 * @actor: (nullable): who asked, for the audit trail
 * @progress: (nullable): called after each batch
 * @cancellable: (nullable): stops after the current batch; batches written
 *   so far stay written
 * @out_stats: (out) (optional): what happened
 *
 * Rescores every live lead in batches, each in its own transaction. Only
 * changed rows are written; each tier change leaves an audit row (entity
 * "lead", action "rescore", field "tier").
 *
 * Returns: %FALSE with @error set if the database failed (a cancel is not
 *   an error: see @out_stats)
 */
gboolean
cp_rescore_run (CpDatabase      *database,
                CpPlaybook      *playbook,
                gint64           playbook_version,
                gint64           now,
                const char      *actor,
                CpProgressFunc   progress,
                gpointer         user_data,
                GCancellable    *cancellable,
                CpRescoreStats  *out_stats,
                GError         **error)
{
  gboolean ok;

  /* A full scan reads the file straight from the page cache without a
   * system call per page; only this connection maps it, and only now. */
  _cp_database_exec (database, "PRAGMA mmap_size = 4294967296", NULL);
  ok = rescore_run (database, playbook, playbook_version, now, actor, progress, user_data,
                    cancellable, out_stats, error);
  _cp_database_exec (database, "PRAGMA mmap_size = 0", NULL);

  return ok;
}

/**
 * cp_rescore_dry_run:
 * @playbook: a draft
 * @out_tier_changes: (out): how many leads would change tier
 * @out_leads: (out): how many leads were scored
 *
 * The impact of a draft on tiers, writing nothing.
 */
gboolean
cp_rescore_dry_run (CpDatabase  *database,
                    CpPlaybook  *playbook,
                    gint64       now,
                    guint       *out_tier_changes,
                    guint       *out_leads,
                    GError     **error)
{
  g_auto(Scan) scan = { 0, };
  gint64 last_rowid = 0;
  guint changes = 0, leads = 0;

  if (!scan_init (&scan, database, playbook, now, error))
    return FALSE;
  for (;;)
    {
      if (!scan_next_batch (&scan, last_rowid, error))
        return FALSE;
      if (scan.n_leads == 0)
        break;
      for (guint i = 0; i < scan.n_leads; i++)
        {
          CpScoreResult result;

          scan_score (&scan, &scan.leads[i], &result);
          leads++;
          changes += g_strcmp0 (result.tier, scan.leads[i].old_tier) != 0;
        }
      last_rowid = scan.leads[scan.n_leads - 1].rowid;
    }
  *out_tier_changes = changes;
  *out_leads = leads;
  return TRUE;
}

/* ---- on a worker thread ---- */

typedef struct
{
  char           *path;
  CpPlaybook     *playbook;
  gint64          version;
  gint64          now;
  char           *actor;
  CpRescoreStats  stats;
} RescoreTaskData;

static void
rescore_task_data_free (RescoreTaskData *data)
{
  g_free (data->path);
  cp_playbook_unref (data->playbook);
  g_free (data->actor);
  g_free (data);
}

static void
rescore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RescoreTaskData *data = task_data;
  g_autoptr(CpDatabase) database = NULL;
  GError *error = NULL;

  /* Its own connection: SQLite connections are not shared across threads. */
  database = cp_database_open (data->path, &error);
  if (database == NULL ||
      !cp_rescore_run (database, data->playbook, data->version, data->now, data->actor,
                       NULL, NULL, cancellable, &data->stats, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
cp_rescore_run_async (const char          *database_path,
                      CpPlaybook          *playbook,
                      gint64               playbook_version,
                      gint64               now,
                      const char          *actor,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RescoreTaskData *data;

  g_return_if_fail (database_path != NULL && playbook != NULL);

  data = g_new0 (RescoreTaskData, 1);
  data->path = g_strdup (database_path);
  data->playbook = cp_playbook_ref (playbook);
  data->version = playbook_version;
  data->now = now;
  data->actor = g_strdup (actor);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_rescore_run_async);
  g_task_set_task_data (task, data, (GDestroyNotify) rescore_task_data_free);
  g_task_run_in_thread (task, rescore_thread);
}

gboolean
cp_rescore_run_finish (GAsyncResult    *result,
                       CpRescoreStats  *out_stats,
                       GError         **error)
{
  GTask *task = G_TASK (result);

  g_return_val_if_fail (g_task_get_source_tag (task) == cp_rescore_run_async, FALSE);

  if (!g_task_propagate_boolean (task, error))
    return FALSE;
  if (out_stats != NULL)
    *out_stats = ((RescoreTaskData *) g_task_get_task_data (task))->stats;
  return TRUE;
}

/* ---- one lead ---- */

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
