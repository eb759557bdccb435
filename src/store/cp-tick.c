/* cp-tick.c — the playbook's time rules, as of a given time: SLA breaches, escalation, inactivity, score decay
 *
 * Time passes without anyone writing: a response comes due, a lead goes
 * quiet, engagement points decay. A tick applies what the playbook says
 * about that, as of one instant, through the same write path as every
 * other change: the app runs it at start-up and every few minutes, the
 * CLI runs it with `tick [--now ISO]`, tests give the time. Running it
 * twice as of the same time changes nothing the second time: each
 * response clock is recorded as breached, and as escalated, once.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-tick"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-database-private.h"
#include "cp-datetime.h"
#include "cp-lead-store-private.h"
#include "cp-rescore.h"
#include "cp-retention.h"
#include "cp-tick.h"

#define DECAY_SETTING "lifecycle.decay_refreshed_at"
/* Inactivity moves committed together. */
#define MOVES_PER_COMMIT 1000
/* Breaches and escalations committed together. */
#define CLOCKS_PER_COMMIT 500

static void
tick_change_free (CpTickChange *change)
{
  g_free (change->lead_id);
  g_free (change->owner);
  g_free (change->before);
  g_free (change->after);
  g_free (change->rule);
  g_free (change);
}

void
cp_tick_report_free (CpTickReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->changes, g_ptr_array_unref);
  g_free (report);
}

static CpTickChange *
add_change (CpTickReport *report,
            CpTickKind    kind,
            const char   *lead_id,
            const char   *owner)
{
  CpTickChange *change = g_new0 (CpTickChange, 1);

  change->kind = kind;
  change->lead_id = g_strdup (lead_id);
  change->owner = g_strdup (owner);
  g_ptr_array_add (report->changes, change);
  return change;
}

static gboolean
mark (CpDatabase   *database,
      CpStatement   which,
      const char   *lead_id,
      gint64        now,
      GError      **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (database, which, error);

  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, lead_id);
  sqlite3_bind_int64 (stmt, 2, now);
  return _cp_database_step_done (database, stmt, error);
}

typedef struct
{
  char     *id;
  gint64    due_at;
  char     *owner;
  char     *queue;
  gboolean  breach_pending;
  gboolean  escalation_pending;
} Overdue;

static void
overdue_free (Overdue *overdue)
{
  g_free (overdue->id);
  g_free (overdue->owner);
  g_free (overdue->queue);
  g_free (overdue);
}

static GPtrArray *
list_overdue (CpDatabase  *database,
              gint64       now,
              GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) overdue_free);
  sqlite3_stmt *stmt = _cp_database_statement (database, CP_STMT_TICK_OVERDUE, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Overdue *row = g_new0 (Overdue, 1);

      row->id = g_strdup (_cp_column_text (stmt, 0));
      row->due_at = sqlite3_column_int64 (stmt, 1);
      row->owner = g_strdup (_cp_column_text (stmt, 2));
      row->queue = g_strdup (_cp_column_text (stmt, 3));
      row->breach_pending = sqlite3_column_int (stmt, 4);
      row->escalation_pending = sqlite3_column_int (stmt, 5);
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (database, error, rc, _("Could not read the response clocks"));
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* The escalation owner of the lead's queue takes it over. */
static gboolean
reassign (CpLeadStore   *store,
          Overdue       *row,
          const char    *owner,
          guint          hours,
          const char    *actor,
          gint64         now,
          GError       **error)
{
  g_autoptr(CpLead) lead = cp_lead_store_get (store, row->id, error);
  g_autofree char *reason = NULL;
  CpWriteRequest request;

  if (lead == NULL)
    return FALSE;
  reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "No response for %u hour after it was due: escalated to %s",
                                         "No response for %u hours after it was due: escalated to %s",
                                         hours),
                            hours, owner);
  request = _cp_write_request ("escalate", actor, reason, now, CP_WRITE_BULK);
  cp_lead_set_text (lead, CP_LEAD_FIELD_OWNER, owner);
  return _cp_lead_store_write_edit (store, lead, &request, NULL, NULL, error);
}

/* Breaches and escalations of the response clocks, committed a few
 * hundred leads at a time: a first tick on a large database that never
 * had one does not keep other writers (the window, the CLI) waiting. */
static gboolean
tick_sla (CpLeadStore   *store,
          CpPlaybook    *playbook,
          CpTickReport  *report,
          const char    *actor,
          GError       **error)
{
  CpDatabase *database = cp_lead_store_get_database (store);
  gint64 now = report->now;
  gint64 escalate_by = playbook->escalate_after_hours > 0
                       ? now - (gint64) playbook->escalate_after_hours * 3600 : G_MININT64;
  g_autoptr(GPtrArray) overdue = NULL;

  if (!cp_database_begin (database, error))
    return FALSE;
  overdue = list_overdue (database, now, error);
  if (overdue == NULL)
    goto fail;
  for (guint i = 0; i < overdue->len; i++)
    {
      Overdue *row = overdue->pdata[i];
      g_autofree char *due = cp_datetime_format_iso8601 (row->due_at);

      if (i > 0 && i % CLOCKS_PER_COMMIT == 0 &&
          (!cp_database_commit (database, error) || !cp_database_begin (database, error)))
        return FALSE;

      if (row->breach_pending)
        {
          g_autofree char *why = g_strdup_printf (_("No response by %s, when it was due"), due);
          CpTickChange *change;

          if (!mark (database, CP_STMT_TICK_MARK_BREACHED, row->id, now, error) ||
              !_cp_lead_store_write_audit (store, row->id, "sla_breached", "sla_due_at", due, NULL,
                                           actor, now, why, error))
            goto fail;
          change = add_change (report, CP_TICK_BREACHED, row->id, row->owner);
          change->due_at = row->due_at;
          report->breached++;
        }
      if (row->escalation_pending && row->due_at <= escalate_by)
        {
          const CpQueue *queue = cp_playbook_get_queue (playbook, row->queue);
          const char *to = queue != NULL ? queue->escalation_owner : NULL;
          g_autofree char *why = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "Still no response %u hour after %s",
                                                               "Still no response %u hours after %s",
                                                               playbook->escalate_after_hours),
                                                  playbook->escalate_after_hours, due);
          CpTickChange *change;

          if (!mark (database, CP_STMT_TICK_MARK_ESCALATED, row->id, now, error) ||
              !_cp_lead_store_write_audit (store, row->id, "sla_escalated", "sla_due_at", due, NULL,
                                           actor, now, why, error))
            goto fail;
          change = add_change (report, CP_TICK_ESCALATED, row->id, row->owner);
          change->due_at = row->due_at;
          change->before = g_strdup (row->owner);
          report->escalated++;
          if (to != NULL && g_strcmp0 (to, row->owner) != 0)
            {
              if (!reassign (store, row, to, playbook->escalate_after_hours, actor, now, error))
                goto fail;
              change->after = g_strdup (to);
              g_free (change->owner);
              change->owner = g_strdup (to);
              report->reassigned++;
            }
        }
    }
  return cp_database_commit (database, error);

fail:
  cp_database_rollback (database);
  return FALSE;
}

static gboolean
collect_quiet (CpDatabase  *database,
               const char  *stage,
               gint64       before,
               GHashTable  *seen,
               GPtrArray   *ids,
               GError     **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (database, CP_STMT_TICK_QUIET, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, stage);
  sqlite3_bind_int64 (stmt, 2, before);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = _cp_column_text (stmt, 0);

      if (!g_hash_table_contains (seen, id))
        {
          char *copy = g_strdup (id);

          g_hash_table_add (seen, copy);
          g_ptr_array_add (ids, copy);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (database, error, rc, _("Could not find the quiet leads"));
      return FALSE;
    }
  return TRUE;
}

/* The leads an inactivity rule could apply to: quiet long enough in a
 * stage it moves from. */
static GPtrArray *
list_quiet (CpDatabase  *database,
            CpPlaybook  *playbook,
            gint64       now,
            GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint r = 0; r < playbook->automation->len; r++)
    {
      const CpAutomationRule *rule = g_ptr_array_index (playbook->automation, r);
      gint64 before = now - (gint64) rule->inactive_days * 86400;

      if (rule->trigger != CP_AUTOMATION_ON_INACTIVITY)
        continue;
      for (guint i = 0; i < playbook->stages->len; i++)
        {
          const CpStage *stage = g_ptr_array_index (playbook->stages, i);

          if (g_strcmp0 (stage->id, rule->to_stage) == 0 ||
              (rule->from_stages != NULL && rule->from_stages[0] != NULL &&
               !g_strv_contains ((const char * const *) rule->from_stages, stage->id)))
            continue;
          if (!collect_quiet (database, stage->id, before, seen, ids, error))
            return NULL;
        }
    }
  return g_steal_pointer (&ids);
}

/* Inactivity automation, each lead in a savepoint: one the playbook's
 * rules refuse to move stays where it is. */
static gboolean
tick_inactivity (CpLeadStore   *store,
                 CpPlaybook    *playbook,
                 CpTickReport  *report,
                 const char    *actor,
                 GError       **error)
{
  CpDatabase *database = cp_lead_store_get_database (store);
  CpWriteRequest request = _cp_write_request ("tick", actor, NULL, report->now, CP_WRITE_BULK);
  g_autoptr(GPtrArray) ids = list_quiet (database, playbook, report->now, error);
  guint uncommitted = 0;

  if (ids == NULL)
    return FALSE;
  if (ids->len == 0)
    return TRUE;
  if (!cp_database_begin (database, error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      g_auto(CpWriteOutcome) outcome = { NULL, };
      g_autoptr(GError) local_error = NULL;
      gboolean moved = FALSE;

      if (!cp_database_begin (database, error))
        goto fail;
      if (!_cp_lead_store_write_inactivity (store, ids->pdata[i], &request, &outcome, &moved,
                                            &local_error))
        {
          cp_database_rollback (database);
          if (local_error->domain != CP_CORE_ERROR && local_error->domain != CP_STORE_ERROR)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              goto fail;
            }
          g_debug ("Inactivity automation left a lead where it is: %s", local_error->message);
          continue;
        }
      if (!cp_database_commit (database, error))
        goto fail;
      for (guint m = 0; moved && outcome.moves != NULL && m < outcome.moves->len; m++)
        {
          CpProposedMove *move = outcome.moves->pdata[m];
          g_autoptr(CpLead) lead = cp_lead_store_get (store, ids->pdata[i], NULL);
          CpTickChange *change = add_change (report, CP_TICK_MOVED, ids->pdata[i],
                                             lead != NULL ? cp_lead_get_text (lead, CP_LEAD_FIELD_OWNER)
                                                          : NULL);

          change->before = g_strdup (move->from_stage);
          change->after = g_strdup (move->to_stage);
          change->rule = g_strdup (move->rule_id);
          report->moved++;
        }
      if (++uncommitted >= MOVES_PER_COMMIT)
        {
          uncommitted = 0;
          if (!cp_database_commit (database, error) || !cp_database_begin (database, error))
            return FALSE;
        }
    }
  return cp_database_commit (database, error);

fail:
  cp_database_rollback (database);
  return FALSE;
}

/* Retention first: a lead about to be erased gets no breach, move or
 * rescore. Each erasure commits on its own (cp_person_erase()). */
static gboolean
tick_retention (CpLeadStore   *store,
                CpTickReport  *report,
                GError       **error)
{
  g_autoptr(GPtrArray) erased = cp_retention_apply (store, report->now, error);

  if (erased == NULL)
    return FALSE;
  for (guint i = 0; i < erased->len; i++)
    {
      CpRetentionMatch *match = g_ptr_array_index (erased, i);
      CpTickChange *change = add_change (report, CP_TICK_ERASED, match->lead_id, NULL);

      change->before = g_strdup (match->stage);
      change->rule = g_strdup (match->rule_id);
      report->erased++;
    }
  return TRUE;
}

static gboolean
uses_decay (CpPlaybook *playbook)
{
  if (playbook->scoring.half_life_days <= 0)
    return FALSE;
  for (guint i = 0; i < playbook->scoring.rules->len; i++)
    if (((CpScoreRule *) g_ptr_array_index (playbook->scoring.rules, i))->decay)
      return TRUE;
  return FALSE;
}

static gint64
audit_max_id (CpDatabase  *database,
              GError     **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (database, CP_STMT_AUDIT_MAX_ID, error);
  gint64 id = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return id;
}

/* Scores decay as activity ages: rescored as of now, at most once per
 * CP_TICK_DECAY_INTERVAL. The tier changes are read back from the audit
 * rows the rescore wrote. */
static gboolean
tick_decay (CpLeadStore   *store,
            CpPlaybook    *playbook,
            gint64         version,
            gboolean       force,
            CpTickReport  *report,
            const char    *actor,
            GError       **error)
{
  CpDatabase *database = cp_lead_store_get_database (store);
  g_autofree char *last_text = cp_database_get_setting (database, DECAY_SETTING);
  g_autofree char *now_text = g_strdup_printf ("%" G_GINT64_FORMAT, report->now);
  gint64 last = last_text != NULL ? g_ascii_strtoll (last_text, NULL, 10) : 0;
  CpRescoreStats stats = { 0, };
  sqlite3_stmt *stmt;
  gint64 first_id;
  int rc;

  if (!uses_decay (playbook))
    return TRUE;
  if (!force && report->now >= last && report->now - last < CP_TICK_DECAY_INTERVAL)
    return TRUE;
  first_id = audit_max_id (database, error);
  if (first_id < 0 ||
      !cp_rescore_run (database, playbook, version, report->now, actor, NULL, NULL, NULL, &stats,
                       error) ||
      !cp_database_set_setting (database, DECAY_SETTING, now_text, error))
    return FALSE;
  report->decay_refreshed = TRUE;
  report->rescored = stats.changed;
  report->tier_changes = stats.tier_changes;

  stmt = _cp_database_statement (database, CP_STMT_TICK_TIER_CHANGES, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CpTickChange *change = add_change (report, CP_TICK_TIER, _cp_column_text (stmt, 0),
                                         _cp_column_text (stmt, 3));

      change->before = g_strdup (_cp_column_text (stmt, 1));
      change->after = g_strdup (_cp_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (database, error, rc, _("Could not read the tier changes"));
      return FALSE;
    }
  return TRUE;
}

/**
 * cp_tick_run:
 * @now: the time the rules are applied as of (Unix seconds)
 * @force_decay: refresh decaying scores even if they were refreshed less
 *   than %CP_TICK_DECAY_INTERVAL ago
 * @actor: who runs it, for the audit trail
 *
 * Applies the playbook's time rules as of @now: records each response
 * SLA that passed without a response (once per clock), escalates those
 * overdue for longer than the playbook's escalation delay (reassigning
 * the lead to its queue's escalation owner, when there is one), runs
 * inactivity automation (a lead quiet too long moves, with the rule as
 * the reason — never a deletion), and refreshes decaying scores. Before
 * all that, the playbook's retention rules (opt-in) erase the leads they
 * name, through cp_person_erase() with the rule as the reason. Each
 * part commits on its own; all of it goes through the write path.
 *
 * Returns: (transfer full): what changed, lead by lead, or %NULL with
 *   @error set
 */
CpTickReport *
cp_tick_run (CpLeadStore  *store,
             gint64        now,
             gboolean      force_decay,
             const char   *actor,
             GError      **error)
{
  g_autoptr(CpTickReport) report = g_new0 (CpTickReport, 1);
  g_autoptr(CpPlaybook) playbook = NULL;
  gint64 version = 0;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), NULL);

  report->now = now;
  report->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) tick_change_free);
  /* The playbook in effect at @now, not at the wall clock. */
  if (_cp_lead_store_lifecycle (store, now, error) == NULL)
    return NULL;
  playbook = cp_playbook_ref (cp_lifecycle_get_playbook (store->lifecycle));
  version = cp_lifecycle_get_version (store->lifecycle);

  if (!tick_retention (store, report, error) ||
      !tick_sla (store, playbook, report, actor, error) ||
      !tick_inactivity (store, playbook, report, actor, error) ||
      !tick_decay (store, playbook, version, force_decay, report, actor, error))
    {
      cp_lead_store_emit_bulk_change (store);
      return NULL;
    }
  if (report->changes->len > 0 || report->rescored > 0)
    cp_lead_store_emit_bulk_change (store);
  return g_steal_pointer (&report);
}

/**
 * cp_tick_assignments_since:
 * @owner: a person, as the leads' owner field names them
 * @after_audit_id: what was seen already (-1: nothing yet, and nothing
 *   before now is news)
 * @out_last_audit_id: (out): where to look from next time
 *
 * The leads given to @owner (by routing, escalation or anyone) since the
 * last look that are still theirs: what “newly assigned to me” shows.
 *
 * Returns: (transfer full) (element-type utf8): lead ids, or %NULL with @error
 */
GPtrArray *
cp_tick_assignments_since (CpLeadStore  *store,
                           const char   *owner,
                           gint64        after_audit_id,
                           gint64       *out_last_audit_id,
                           GError      **error)
{
  CpDatabase *database;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gint64 last;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), NULL);
  g_return_val_if_fail (owner != NULL && out_last_audit_id != NULL, NULL);

  database = cp_lead_store_get_database (store);
  last = audit_max_id (database, error);
  if (last < 0)
    return NULL;
  *out_last_audit_id = last;
  /* The first look starts from now: what was assigned before is known. */
  if (after_audit_id < 0)
    return g_steal_pointer (&ids);
  stmt = _cp_database_statement (database, CP_STMT_ASSIGNMENTS_SINCE, error);
  if (stmt == NULL)
    return NULL;
  _cp_bind_text (stmt, 1, owner);
  sqlite3_bind_int64 (stmt, 2, after_audit_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup (_cp_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (database, error, rc, _("Could not read the assignments"));
      return NULL;
    }
  return g_steal_pointer (&ids);
}
