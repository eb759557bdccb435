/* cp-rescore-impact.c — what publishing a draft playbook would change, lead by lead, writing nothing
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-rescore"

#include "config.h"

#include "cp-lifecycle.h"
#include "cp-playbook-rules.h"
#include "cp-rescore.h"
#include "cp-rescore-private.h"

#define IMPACT_EXAMPLES 10

/* A playbook as the impact judges leads by it. */
typedef struct
{
  CpPlaybook  *playbook;
  CpScorer    *scorer;
  CpLifecycle *lifecycle;   /* the queue routing gives (as the write path stores it) */
} Judge;

static void
judge_clear (Judge *judge)
{
  g_clear_pointer (&judge->scorer, cp_scorer_free);
  g_clear_pointer (&judge->lifecycle, cp_lifecycle_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Judge, judge_clear)

static void
judge_init (Judge      *judge,
            CpPlaybook *playbook)
{
  judge->playbook = playbook;
  judge->scorer = cp_scorer_new (playbook);
  judge->lifecycle = cp_lifecycle_new (playbook, 0);
}

void
cp_playbook_impact_free (CpPlaybookImpact *impact)
{
  if (impact == NULL)
    return;
  for (guint i = 0; i < CP_IMPACT_N_KINDS; i++)
    g_clear_pointer (&impact->examples[i], g_ptr_array_unref);
  g_free (impact);
}

static void
impact_count (CpPlaybookImpact *impact,
              CpImpactKind      kind,
              const char       *lead_id)
{
  impact->counts[kind]++;
  if (impact->examples[kind]->len < IMPACT_EXAMPLES)
    g_ptr_array_add (impact->examples[kind], g_strdup (lead_id));
}

/**
 * cp_rescore_impact:
 * @database: a connection
 * @current: the playbook in effect
 * @draft: the playbook that would replace it
 * @now: the time both are evaluated at
 * @progress: (nullable): called after each batch
 * @cancellable: (nullable): stops early (then %NULL and a cancelled error)
 *
 * What publishing @draft would do, writing nothing: for every live lead,
 * both playbooks are evaluated at the same time, so only the draft's own
 * differences count (not scores gone stale since the last rescore). A lead
 * counts as newly blocked when, under the draft but not now, it could not
 * move on to the next open stage (missing required fields, or an exit or
 * entry rule); a lead whose stage the draft no longer has counts in
 * CP_IMPACT_STAGE_REMOVED. A lead counts in CP_IMPACT_QUEUE when the
 * queue routing gives it (cp_lifecycle_queue_for(), the one the write
 * path stores) differs. Up to ten example leads are kept per kind.
 *
 * Returns: (transfer full) (nullable): the impact, or %NULL with @error set
 */
/* Counts what @draft changes for one lead. */
static void
impact_lead (CpPlaybookImpact *impact,
             Judge            *current,
             Judge            *draft,
             const BatchLead  *lead,
             CpConditionInput *input)
{
  const char *stage = lead->record.text[CP_LEAD_FIELD_STAGE];
  CpScoreResult old_result, new_result;

  impact->leads++;
  cp_scorer_score (current->scorer, input, &old_result);
  cp_scorer_score (draft->scorer, input, &new_result);
  if (old_result.score != new_result.score)
    impact_count (impact, CP_IMPACT_SCORE, lead->id);
  if (g_strcmp0 (old_result.tier, new_result.tier) != 0)
    impact_count (impact, CP_IMPACT_TIER, lead->id);
  if (g_strcmp0 (cp_lifecycle_queue_for (current->lifecycle, input),
                 cp_lifecycle_queue_for (draft->lifecycle, input)) != 0)
    impact_count (impact, CP_IMPACT_QUEUE, lead->id);
  if (cp_playbook_get_stage (current->playbook, stage) != NULL &&
      cp_playbook_get_stage (draft->playbook, stage) == NULL)
    impact_count (impact, CP_IMPACT_STAGE_REMOVED, lead->id);
  else if (cp_playbook_blocks_moving_on (draft->playbook, input, stage) &&
           !cp_playbook_blocks_moving_on (current->playbook, input, stage))
    impact_count (impact, CP_IMPACT_BLOCKED, lead->id);
}

CpPlaybookImpact *
cp_rescore_impact (CpDatabase     *database,
                   CpPlaybook     *current,
                   CpPlaybook     *draft,
                   gint64          now,
                   CpProgressFunc  progress,
                   gpointer        user_data,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_autoptr(CpPlaybookImpact) impact = g_new0 (CpPlaybookImpact, 1);
  g_autoptr(GHashTable) engaged = NULL;
  g_autoptr(CpLeadSource) source = NULL;
  g_auto(Judge) before = { NULL, };
  g_auto(Judge) after = { NULL, };
  ReadPlan plan = { 0, };
  guint total = 0;

  g_return_val_if_fail (CP_IS_DATABASE (database), NULL);
  g_return_val_if_fail (current != NULL && draft != NULL, NULL);

  for (guint i = 0; i < CP_IMPACT_N_KINDS; i++)
    impact->examples[i] = g_ptr_array_new_with_free_func (g_free);
  cp_playbook_reads_add_everything (&plan, current);
  cp_playbook_reads_add_everything (&plan, draft);
  engaged = _cp_rescore_load_engaged_accounts (database, now, error);
  if (engaged == NULL || !_cp_rescore_count_leads (database, &total, error))
    return NULL;
  judge_init (&before, current);
  judge_init (&after, draft);
  source = _cp_lead_source_new (database, &plan, NULL, NULL, error);
  if (source == NULL)
    return NULL;

  for (;;)
    {
      Batch *batch;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      batch = _cp_lead_source_next (source, error);
      if (batch == NULL)
        return NULL;
      if (batch->end)
        break;
      for (guint i = 0; i < batch->n_leads; i++)
        {
          CpConditionInput input;

          _cp_rescore_batch_input (batch, &batch->leads[i], engaged, now, &input);
          impact_lead (impact, &before, &after, &batch->leads[i], &input);
        }
      _cp_lead_source_release (source, batch);
      if (progress != NULL)
        progress (impact->leads, MAX (total, impact->leads), user_data);
    }
  return g_steal_pointer (&impact);
}

