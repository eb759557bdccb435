/* cp-rescore.c — score every lead with a playbook, in batches, with progress and cancel
 *
 * The leads come in batches from cp-rescore-reader.c, scored on the
 * reader threads; this side writes the changed ones, a transaction
 * spanning several batches.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-rescore"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-rescore.h"
#include "cp-rescore-private.h"

#define COMMIT_LEADS 100000

/* The scoring side: the scorer and what it needs beyond one lead. */
typedef struct
{
  CpScorer   *scorer;
  GHashTable *engaged_accounts;    /* account id → engaged contacts */
  gint64      now;
} Scoring;

/* ---- scoring ---- */

static void
scoring_clear (Scoring *scoring)
{
  g_clear_pointer (&scoring->engaged_accounts, g_hash_table_unref);
  g_clear_pointer (&scoring->scorer, cp_scorer_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Scoring, scoring_clear)

static gboolean
scoring_init (Scoring     *scoring,
              CpDatabase  *database,
              CpPlaybook  *playbook,
              gint64       now,
              GError     **error)
{
  scoring->scorer = cp_scorer_new (playbook);
  scoring->now = now;
  scoring->engaged_accounts = _cp_rescore_load_engaged_accounts (database, now, error);
  return scoring->engaged_accounts != NULL;
}

/* A batch's scores, on the thread that read it (CpBatchReadyFunc): the
 * reader threads share the scorer and the engaged accounts, both only
 * read while the run lasts. */
static void
scoring_score_batch (Batch    *batch,
                     gpointer  user_data)
{
  Scoring *scoring = user_data;

  for (guint i = 0; i < batch->n_leads; i++)
    {
      CpConditionInput input;

      _cp_rescore_batch_input (batch, &batch->leads[i], scoring->engaged_accounts, scoring->now,
                               &input);
      cp_scorer_score (scoring->scorer, &input, &batch->scores[i]);
    }
}

/* ---- writing ---- */

/* The UPDATE of a changed lead names only the columns that changed: an
 * index on the score (the board's order) or on the tier is then only
 * touched when that value moved — a new tier threshold rewrites no score
 * index entry. Bit 0: the score changed, bit 1: the tier changed. Each
 * tier change is a row of rescore_changes (the run, the lead's rowid):
 * leads come in rowid order, so a run's rows are appended. */
typedef struct
{
  sqlite3_stmt *update[4];
  gint64        run_id;
  const char   *actor;
  const char   *reason;
  gint64        now;
  guint         uncommitted_tier_changes;   /* in the open transaction */
} Writer;

static void
writer_clear (Writer *writer)
{
  for (guint i = 0; i < G_N_ELEMENTS (writer->update); i++)
    g_clear_pointer (&writer->update[i], sqlite3_finalize);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Writer, writer_clear)

static gboolean
record_tier_change (CpDatabase          *database,
                    Writer              *writer,
                    const BatchLead     *lead,
                    const CpScoreResult *result,
                    GError             **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (database, CP_STMT_RESCORE_CHANGE_INSERT, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, writer->run_id);
  sqlite3_bind_int64 (stmt, 2, lead->rowid);
  if (lead->old_tier != NULL)
    sqlite3_bind_text (stmt, 3, lead->old_tier, -1, SQLITE_STATIC);
  if (result->tier != NULL)
    sqlite3_bind_text (stmt, 4, result->tier, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, lead->old_score);
  sqlite3_bind_int (stmt, 6, result->score);
  if (!_cp_database_step_done (database, stmt, error))
    return FALSE;
  writer->uncommitted_tier_changes++;
  return TRUE;
}

static gboolean
write_lead (CpDatabase          *database,
            Writer              *writer,
            const BatchLead     *lead,
            const CpScoreResult *result,
            CpRescoreStats      *stats,
            GError             **error)
{
  gboolean tier_changed = g_strcmp0 (lead->old_tier, result->tier) != 0;
  guint variant = (result->score != lead->old_score ? 1 : 0) | (tier_changed ? 2 : 0);
  sqlite3_stmt *stmt = writer->update[variant];

  if (stmt == NULL)
    {
      g_autofree char *sql = g_strdup_printf ("UPDATE leads SET fit_score = ?3, intent_score = ?4,"
                                              " readiness_score = ?5%s%s WHERE rowid = ?1",
                                              variant & 1 ? ", score = ?2" : "",
                                              variant & 2 ? ", tier = ?6" : "");

      stmt = writer->update[variant] = _cp_database_prepare (database, sql, error);
      if (stmt == NULL)
        return FALSE;
    }
  sqlite3_reset (stmt);
  /* Parameters a variant leaves out are out of range: ignored. */
  sqlite3_bind_int64 (stmt, 1, lead->rowid);
  sqlite3_bind_int (stmt, 2, result->score);
  for (guint c = 0; c < CP_SCORE_N_CATEGORIES; c++)
    sqlite3_bind_int (stmt, 3 + c, result->category[c]);
  sqlite3_bind_text (stmt, 6, result->tier, -1, SQLITE_STATIC);
  if (!_cp_database_step_done (database, stmt, error))
    return FALSE;
  stats->changed++;

  if (!tier_changed)
    return TRUE;
  if (!record_tier_change (database, writer, lead, result, error))
    return FALSE;
  stats->tier_changes++;
  return TRUE;
}

/* The audit row of a commit with tier changes: entity "rescore_run", the
 * run's id, how many. Readers of the audit rows since an id (the reports'
 * change detection, the tick's notifications) learn from it which runs'
 * changes to read. */
static gboolean
audit_commit (CpDatabase  *database,
              Writer      *writer,
              GError     **error)
{
  char run_id[24], count[16];
  sqlite3_stmt *stmt;

  if (writer->uncommitted_tier_changes == 0)
    return TRUE;
  stmt = _cp_database_statement (database, CP_STMT_AUDIT_INSERT, error);
  if (stmt == NULL)
    return FALSE;
  g_snprintf (run_id, sizeof run_id, "%" G_GINT64_FORMAT, writer->run_id);
  g_snprintf (count, sizeof count, "%u", writer->uncommitted_tier_changes);
  sqlite3_bind_text (stmt, 1, "rescore_run", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, run_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, "rescore", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, "tier_changes", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, count, -1, SQLITE_TRANSIENT);
  if (writer->actor != NULL)
    sqlite3_bind_text (stmt, 7, writer->actor, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, writer->now);
  sqlite3_bind_text (stmt, 9, writer->reason, -1, SQLITE_STATIC);
  if (!_cp_database_step_done (database, stmt, error))
    return FALSE;
  writer->uncommitted_tier_changes = 0;
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
commit_pending (CpDatabase  *database,
                Writer      *writer,
                gboolean    *in_transaction,
                GError     **error)
{
  if (!*in_transaction)
    return TRUE;
  *in_transaction = FALSE;
  if (!audit_commit (database, writer, error))
    {
      cp_database_rollback (database);
      return FALSE;
    }
  return cp_database_commit (database, error);   /* rolls back when it fails */
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
  /* Declared before the source, so freed after it: its threads score. */
  g_auto(Scoring) scoring = { 0, };
  g_autoptr(CpLeadSource) source = NULL;
  g_auto(Writer) writer = { { NULL, }, 0, };
  g_autofree char *reason = NULL;
  CpRescoreStats stats = { 0, };
  ReadPlan plan = { 0, };
  sqlite3_stmt *stmt;
  gint64 run_id;
  guint total = 0, uncommitted = 0;
  gboolean in_transaction = FALSE;

  g_return_val_if_fail (CP_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (playbook != NULL, FALSE);

  cp_playbook_reads_add_scoring (&plan, playbook);
  if (!_cp_rescore_count_leads (database, &total, error) ||
      !scoring_init (&scoring, database, playbook, now, error))
    return FALSE;
  reason = playbook_version > 0
           ? g_strdup_printf (_("Rescored with playbook version %" G_GINT64_FORMAT), playbook_version)
           : g_strdup (_("Rescored with the default playbook"));

  stmt = _cp_database_statement (database, CP_STMT_RESCORE_RUN_INSERT, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, playbook_version);
  sqlite3_bind_int64 (stmt, 2, now);
  _cp_bind_text (stmt, 3, actor);
  sqlite3_bind_text (stmt, 4, reason, -1, SQLITE_STATIC);
  if (!_cp_database_step_done (database, stmt, error))
    return FALSE;
  run_id = sqlite3_last_insert_rowid (_cp_database_get_handle (database));
  writer.run_id = run_id;
  writer.actor = actor;
  writer.reason = reason;
  writer.now = now;

  source = _cp_lead_source_new (database, &plan, scoring_score_batch, &scoring, error);
  if (source == NULL)
    return FALSE;
  for (;;)
    {
      Batch *batch;

      if (g_cancellable_is_cancelled (cancellable))
        {
          stats.cancelled = TRUE;
          break;
        }
      batch = _cp_lead_source_next (source, error);
      if (batch == NULL)
        {
          if (in_transaction)
            cp_database_rollback (database);
          return FALSE;
        }
      if (batch->end)
        break;
      if (!in_transaction && !cp_database_begin (database, error))
        return FALSE;
      in_transaction = TRUE;
      for (guint i = 0; i < batch->n_leads; i++)
        {
          const BatchLead *lead = &batch->leads[i];
          const CpScoreResult *result = &batch->scores[i];

          stats.leads++;
          if (result->score == lead->old_score &&
              result->category[0] == lead->old_category[0] &&
              result->category[1] == lead->old_category[1] &&
              result->category[2] == lead->old_category[2] &&
              g_strcmp0 (result->tier, lead->old_tier) == 0)
            continue;
          if (!write_lead (database, &writer, lead, result, &stats, error))
            {
              cp_database_rollback (database);
              return FALSE;
            }
        }
      /* A transaction spans several batches: an index page that many
       * changed leads share is then written once, not once per batch. */
      uncommitted += batch->n_leads;
      if (uncommitted >= COMMIT_LEADS &&
          !commit_pending (database, &writer, &in_transaction, error))
        return FALSE;
      uncommitted = in_transaction ? uncommitted : 0;
      _cp_lead_source_release (source, batch);
      if (progress != NULL)
        progress (stats.leads, MAX (total, stats.leads), user_data);
    }

  if (!commit_pending (database, &writer, &in_transaction, error))
    return FALSE;
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
 * @cancellable: (nullable): stops after the current batch; batches scored
 *   so far stay written
 * @out_stats: (out) (optional): what happened
 *
 * Rescores every live lead in batches of 10,000, read ahead on a thread
 * with its own connection (unless the caller is inside a transaction),
 * committed every 100,000 leads. Only changed rows are written; each tier
 * change is a row of rescore_changes (the run, the lead, old and new
 * tier and score), and each commit with tier changes one audit row
 * (entity "rescore_run", the run id; the run holds @actor and the
 * reason): cp_lead_store_history() reads them with the lead's audit
 * rows. Its memory is bounded by the batches and a fixed page cache,
 * whatever the number of leads; bulk writes are on during the run (the
 * log copied back every 64 MiB of it) and off after it.
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

  /* A page cache of a fixed size holds the pages one commit dirties
   * (see COMMIT_LEADS); beyond it SQLite spills them to the log, so the
   * memory a run takes does not grow with the leads or the changes. The
   * file is not mapped: mapped pages would count as this process's
   * memory, as many as the page cache happened to hold. */
  /* Bulk writes: the log is copied back into the database every 64 MiB
   * of it and at the end, not after each commit (fewer syncs; an index
   * page that several commits change is copied once). */
  cp_database_set_bulk_writes (database, TRUE);
  _cp_database_exec (database, "PRAGMA cache_size = -" G_STRINGIFY (CP_RESCORE_CACHE_KIB), NULL);
  ok = rescore_run (database, playbook, playbook_version, now, actor, progress, user_data,
                    cancellable, out_stats, error);
  cp_database_set_bulk_writes (database, FALSE);   /* the usual cache; copies the log back */

  return ok;
}

/**
 * cp_rescore_dry_run:
 * @playbook: a draft
 * @out_tier_changes: (out): how many leads would change tier
 * @out_leads: (out): how many leads were scored
 *
 * Which stored tiers a rescore with @playbook would change, writing
 * nothing (stored tiers may also be stale: cp_rescore_impact() isolates
 * what a draft itself changes).
 */
gboolean
cp_rescore_dry_run (CpDatabase  *database,
                    CpPlaybook  *playbook,
                    gint64       now,
                    guint       *out_tier_changes,
                    guint       *out_leads,
                    GError     **error)
{
  g_auto(Scoring) scoring = { 0, };   /* freed after the source, whose threads score */
  g_autoptr(CpLeadSource) source = NULL;
  ReadPlan plan = { 0, };
  guint changes = 0, leads = 0;

  cp_playbook_reads_add_scoring (&plan, playbook);
  if (!scoring_init (&scoring, database, playbook, now, error))
    return FALSE;
  source = _cp_lead_source_new (database, &plan, scoring_score_batch, &scoring, error);
  if (source == NULL)
    return FALSE;
  for (;;)
    {
      Batch *batch = _cp_lead_source_next (source, error);

      if (batch == NULL)
        return FALSE;
      if (batch->end)
        break;
      for (guint i = 0; i < batch->n_leads; i++)
        changes += g_strcmp0 (batch->scores[i].tier, batch->leads[i].old_tier) != 0;
      leads += batch->n_leads;
      _cp_lead_source_release (source, batch);
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
