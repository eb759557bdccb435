/* cp-lifecycle-check.c — whether every lead holds what the playbook says: its stage exists, its computed fields agree with a recomputation
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lifecycle-check"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-lifecycle.h"
#include "cp-lifecycle-check.h"
#include "cp-rescore-private.h"

#define EXAMPLES 3

typedef enum
{
  FINDING_UNKNOWN_STAGE,
  FINDING_SCORE,
  FINDING_QUEUE,
  FINDING_NO_CLOCK,
  FINDING_SLA,
  FINDING_FIRST_RESPONSE,
  FINDING_LAST_ACTIVITY,
  N_FINDINGS
} Finding;

typedef struct
{
  guint      count[N_FINDINGS];
  GPtrArray *examples[N_FINDINGS];   /* lead ids */
  GHashTable *unknown_stages;        /* stage → count */
} Findings;

static void
findings_clear (Findings *findings)
{
  for (guint i = 0; i < N_FINDINGS; i++)
    g_clear_pointer (&findings->examples[i], g_ptr_array_unref);
  g_clear_pointer (&findings->unknown_stages, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Findings, findings_clear)

static void
found (Findings   *findings,
       Finding     finding,
       const char *lead_id)
{
  if (findings->examples[finding] == NULL)
    findings->examples[finding] = g_ptr_array_new_with_free_func (g_free);
  if (findings->count[finding]++ < EXAMPLES)
    g_ptr_array_add (findings->examples[finding], g_strdup (lead_id));
}

static gint64
last_rescore (CpDatabase *database)
{
  sqlite3_stmt *stmt = _cp_database_statement (database, CP_STMT_RESCORE_RUN_LATEST, NULL);
  gint64 scored_at = 0;

  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    scored_at = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  return scored_at;
}

static void
check_lead (CpLifecycle *lifecycle,
            Batch       *batch,
            BatchLead   *lead,
            GHashTable  *engaged,
            gint64       now,
            gint64       rescored_at,
            Findings    *findings)
{
  CpPlaybook *playbook = cp_lifecycle_get_playbook (lifecycle);
  const char *stage_id = lead->record.text[CP_LEAD_FIELD_STAGE];
  const CpStage *stage = cp_playbook_get_stage (playbook, stage_id);
  CpConditionInput input;
  CpDerivedFields derived;
  gint64 scored_as_of;

  if (stage == NULL)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (findings->unknown_stages, stage_id));

      g_hash_table_insert (findings->unknown_stages, g_strdup (stage_id), GUINT_TO_POINTER (n + 1));
      found (findings, FINDING_UNKNOWN_STAGE, lead->id);
      return;
    }

  /* A score is as of its lead's last write or the last rescore, whichever
   * came later: decay moves it between the two. */
  scored_as_of = MAX (lead->record.number[CP_LEAD_FIELD_UPDATED_AT], rescored_at);
  _cp_rescore_batch_input (batch, lead, engaged, MIN (scored_as_of, now), &input);
  cp_lifecycle_derive (lifecycle, &input, lead->stage_entered_at, &derived);
  if (derived.score.score != lead->old_score || g_strcmp0 (derived.score.tier, lead->old_tier) != 0)
    found (findings, FINDING_SCORE, lead->id);

  input.now = now;
  if (g_strcmp0 (cp_lifecycle_queue_for (lifecycle, &input), lead->old_queue) != 0)
    found (findings, FINDING_QUEUE, lead->id);
  if (!stage->closed && stage->sla_hours > 0 && lead->record.number[CP_LEAD_FIELD_SLA_DUE_AT] == 0)
    found (findings, FINDING_NO_CLOCK, lead->id);
  else if (derived.sla_due_at != lead->record.number[CP_LEAD_FIELD_SLA_DUE_AT])
    found (findings, FINDING_SLA, lead->id);
  if (derived.first_response_at != lead->record.number[CP_LEAD_FIELD_FIRST_RESPONSE_AT])
    found (findings, FINDING_FIRST_RESPONSE, lead->id);
  if (derived.last_activity_at != lead->record.number[CP_LEAD_FIELD_LAST_ACTIVITY_AT])
    found (findings, FINDING_LAST_ACTIVITY, lead->id);
}

static char *
describe (Findings *findings,
          Finding   finding)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *ids = NULL;
  guint n = findings->count[finding];

  switch (finding)
    {
    case FINDING_UNKNOWN_STAGE:
      g_string_printf (text, ngettext ("%u lead is in a stage the playbook does not have",
                                       "%u leads are in stages the playbook does not have", n), n);
      break;
    case FINDING_SCORE:
      g_string_printf (text, ngettext ("%u lead has a score or tier other than the playbook computes",
                                       "%u leads have a score or tier other than the playbook computes",
                                       n), n);
      break;
    case FINDING_QUEUE:
      g_string_printf (text, ngettext ("%u lead is in another queue than routing gives it",
                                       "%u leads are in another queue than routing gives them", n), n);
      break;
    case FINDING_NO_CLOCK:
      g_string_printf (text, ngettext ("%u open lead has no response clock although its stage has a "
                                       "response SLA",
                                       "%u open leads have no response clock although their stage "
                                       "has a response SLA", n), n);
      break;
    case FINDING_SLA:
      g_string_printf (text, ngettext ("%u lead has a response due time other than its stage’s SLA gives",
                                       "%u leads have a response due time other than their stage’s SLA "
                                       "gives", n), n);
      break;
    case FINDING_FIRST_RESPONSE:
      g_string_printf (text, ngettext ("%u lead has a first response that disagrees with its activities",
                                       "%u leads have a first response that disagrees with their "
                                       "activities", n), n);
      break;
    case FINDING_LAST_ACTIVITY:
    case N_FINDINGS:
    default:
      g_string_printf (text, ngettext ("%u lead has a last activity time that disagrees with its "
                                       "activities",
                                       "%u leads have a last activity time that disagrees with their "
                                       "activities", n), n);
      break;
    }
  if (finding == FINDING_UNKNOWN_STAGE)
    {
      GHashTableIter iter;
      gpointer key, value;
      gboolean first = TRUE;

      g_string_append (text, " (");
      g_hash_table_iter_init (&iter, findings->unknown_stages);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_string_append_printf (text, "%s“%s”: %u", first ? "" : ", ", (char *) key,
                                  GPOINTER_TO_UINT (value));
          first = FALSE;
        }
      g_string_append (text, ")");
    }
  g_ptr_array_add (findings->examples[finding], NULL);
  ids = g_strjoinv (", ", (char **) findings->examples[finding]->pdata);
  g_string_append_printf (text, _("; for example %s"), ids);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * cp_lifecycle_check_leads:
 * @playbook: the playbook in effect
 * @version: its version
 * @now: the time the check is made at
 *
 * Recomputes, for every live lead, what the playbook computes and
 * compares it with what is stored: the stage exists, the score and tier
 * (as of the lead's last write or the last rescore), the queue, the
 * response clock, first response and last activity.
 *
 * Returns: (transfer full) (element-type utf8): the findings in words,
 *   each with example lead ids; empty when every lead agrees
 */
GPtrArray *
cp_lifecycle_check_leads (CpDatabase  *database,
                          CpPlaybook  *playbook,
                          gint64       version,
                          gint64       now,
                          GError     **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CpLifecycle) lifecycle = cp_lifecycle_new (playbook, version);
  g_autoptr(GHashTable) engaged = NULL;
  g_autoptr(CpLeadSource) source = NULL;
  g_auto(Findings) findings = { { 0, }, };
  ReadPlan plan = { 0, };
  gint64 rescored_at = last_rescore (database);

  g_return_val_if_fail (CP_IS_DATABASE (database), NULL);
  g_return_val_if_fail (playbook != NULL, NULL);

  findings.unknown_stages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  cp_playbook_reads_add_everything (&plan, playbook);
  cp_playbook_reads_add_field (&plan, CP_LEAD_FIELD_LOCATION);
  cp_playbook_reads_add_field (&plan, CP_LEAD_FIELD_SLA_DUE_AT);
  cp_playbook_reads_add_field (&plan, CP_LEAD_FIELD_FIRST_RESPONSE_AT);
  cp_playbook_reads_add_field (&plan, CP_LEAD_FIELD_LAST_ACTIVITY_AT);
  cp_playbook_reads_add_field (&plan, CP_LEAD_FIELD_UPDATED_AT);
  engaged = _cp_rescore_load_engaged_accounts (database, now, error);
  if (engaged == NULL)
    return NULL;
  source = _cp_lead_source_new (database, &plan, NULL, NULL, error);
  if (source == NULL)
    return NULL;
  for (;;)
    {
      Batch *batch = _cp_lead_source_next (source, error);

      if (batch == NULL)
        return NULL;
      if (batch->end)
        break;
      for (guint i = 0; i < batch->n_leads; i++)
        check_lead (lifecycle, batch, &batch->leads[i], engaged, now, rescored_at, &findings);
      _cp_lead_source_release (source, batch);
    }

  for (Finding f = 0; f < N_FINDINGS; f++)
    if (findings.count[f] > 0)
      g_ptr_array_add (problems, describe (&findings, f));
  return g_steal_pointer (&problems);
}
