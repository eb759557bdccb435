/* cp-playbook.c — the playbook model: its lists, lookups, funnel and allowed channels
 * (parts: cp-playbook-parts.c; checks: cp-playbook-validate.c; differences: cp-playbook-diff.c)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-playbook"

#include "config.h"

#include <string.h>

#include "cp-playbook.h"

G_DEFINE_BOXED_TYPE (CpPlaybook, cp_playbook, cp_playbook_ref, cp_playbook_unref)

static const char * const category_names[CP_SCORE_N_CATEGORIES] = { "fit", "intent", "readiness" };

const char *
cp_score_category_to_string (CpScoreCategory category)
{
  g_return_val_if_fail ((guint) category < CP_SCORE_N_CATEGORIES, NULL);

  return category_names[category];
}

gboolean
cp_score_category_from_string (const char      *text,
                               CpScoreCategory *out_category)
{
  for (guint i = 0; text != NULL && i < CP_SCORE_N_CATEGORIES; i++)
    if (strcmp (text, category_names[i]) == 0)
      {
        if (out_category != NULL)
          *out_category = i;
        return TRUE;
      }
  return FALSE;
}

/* ---- the playbook ---- */

CpPlaybook *
cp_playbook_new (void)
{
  CpPlaybook *self = g_new0 (CpPlaybook, 1);

  self->ref_count = 1;
  self->stages = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_stage_free);
  self->scoring.rules = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_score_rule_free);
  for (guint i = 0; i < CP_SCORE_N_CATEGORIES; i++)
    self->scoring.caps[i] = 100;
  self->scoring.nurture_threshold = 30;
  self->scoring.sales_ready_threshold = 60;
  self->route_rules = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_route_rule_free);
  self->queues = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_queue_free);
  self->automation = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_automation_rule_free);
  self->closure_reasons = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_closure_reason_free);
  self->consent_rules = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_consent_rule_free);
  self->business_hours = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_business_hours_free);
  self->retention = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_retention_rule_free);
  return self;
}

CpPlaybook *
cp_playbook_ref (CpPlaybook *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
cp_playbook_unref (CpPlaybook *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;

  g_free (self->name);
  g_free (self->description);
  g_ptr_array_unref (self->stages);
  g_ptr_array_unref (self->scoring.rules);
  g_ptr_array_unref (self->route_rules);
  g_ptr_array_unref (self->queues);
  g_free (self->fallback_queue);
  g_ptr_array_unref (self->automation);
  g_ptr_array_unref (self->closure_reasons);
  g_ptr_array_unref (self->consent_rules);
  g_ptr_array_unref (self->business_hours);
  g_ptr_array_unref (self->retention);
  g_free (self);
}

int
cp_playbook_stage_index (CpPlaybook *self,
                         const char *id)
{
  g_return_val_if_fail (self != NULL, -1);

  for (guint i = 0; id != NULL && i < self->stages->len; i++)
    if (strcmp (((CpStage *) g_ptr_array_index (self->stages, i))->id, id) == 0)
      return (int) i;
  return -1;
}

const CpStage *
cp_playbook_get_stage (CpPlaybook *self,
                       const char *id)
{
  int index = cp_playbook_stage_index (self, id);

  return index >= 0 ? g_ptr_array_index (self->stages, index) : NULL;
}

const CpQueue *
cp_playbook_get_queue (CpPlaybook *self,
                       const char *id)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; id != NULL && i < self->queues->len; i++)
    {
      CpQueue *queue = g_ptr_array_index (self->queues, i);

      if (strcmp (queue->id, id) == 0)
        return queue;
    }
  return NULL;
}

/**
 * cp_playbook_get_business_hours:
 * @location: (nullable): a lead's location
 *
 * Returns: (nullable): the hours of @location, else the "*" entry
 */
const CpBusinessHours *
cp_playbook_get_business_hours (CpPlaybook *self,
                                const char *location)
{
  const CpBusinessHours *fallback = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->business_hours->len; i++)
    {
      CpBusinessHours *hours = g_ptr_array_index (self->business_hours, i);

      if (location != NULL && g_ascii_strcasecmp (hours->location, location) == 0)
        return hours;
      if (strcmp (hours->location, "*") == 0)
        fallback = hours;
    }
  return fallback;
}

/**
 * cp_playbook_get_closure_reason:
 *
 * Returns: (nullable): the closure reason with the id @id
 */
const CpClosureReason *
cp_playbook_get_closure_reason (CpPlaybook *self,
                                const char *id)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; id != NULL && i < self->closure_reasons->len; i++)
    {
      CpClosureReason *reason = g_ptr_array_index (self->closure_reasons, i);

      if (g_strcmp0 (reason->id, id) == 0)
        return reason;
    }
  return NULL;
}

static int
compare_funnel_position (gconstpointer a,
                         gconstpointer b)
{
  const CpStage *sa = *(const CpStage * const *) a;
  const CpStage *sb = *(const CpStage * const *) b;

  return (sa->funnel_position > sb->funnel_position) - (sa->funnel_position < sb->funnel_position);
}

/**
 * cp_playbook_account_contacts_limit:
 *
 * How many engaged contacts of one organization the playbook can tell
 * apart: the account boost stops growing at its maximum, and a condition
 * asks for at least K. Beyond this count one more engaged contact changes
 * nothing for the others (so they need not be scored again).
 *
 * Returns: the count, 0 when the playbook never looks at it, %G_MAXUINT
 *   when the boost has no maximum
 */
guint
cp_playbook_account_contacts_limit (CpPlaybook *self)
{
  const CpScoringModel *model;
  guint limit = 0;

  g_return_val_if_fail (self != NULL, 0);

  model = &self->scoring;
  if (model->account_points_per_contact != 0)
    {
      if (model->account_max_points <= 0)
        return G_MAXUINT;
      limit =
          MAX (model->account_min_contacts,
               (guint) ((model->account_max_points + ABS (model->account_points_per_contact) - 1) /
                        ABS (model->account_points_per_contact)));
    }
  for (guint i = 0; i < model->rules->len; i++)
    limit = MAX (limit, cp_condition_max_account_contacts (
                            ((CpScoreRule *) model->rules->pdata[i])->condition));
  for (guint i = 0; i < self->route_rules->len; i++)
    limit = MAX (limit, cp_condition_max_account_contacts (
                            ((CpRouteRule *) self->route_rules->pdata[i])->condition));
  for (guint i = 0; i < self->automation->len; i++)
    limit = MAX (limit, cp_condition_max_account_contacts (
                            ((CpAutomationRule *) self->automation->pdata[i])->condition));
  for (guint i = 0; i < self->consent_rules->len; i++)
    limit = MAX (limit, cp_condition_max_account_contacts (
                            ((CpConsentRule *) self->consent_rules->pdata[i])->condition));
  for (guint i = 0; i < self->stages->len; i++)
    {
      const CpStage *stage = self->stages->pdata[i];

      limit = MAX (limit, cp_condition_max_account_contacts (stage->entry));
      limit = MAX (limit, cp_condition_max_account_contacts (stage->exit));
    }
  return limit;
}

/**
 * cp_playbook_funnel_stages:
 *
 * The lifecycle path a lead takes, as the funnel counts it: the stages
 * with a funnel position, in that order. It may differ from the board's
 * order (the board shows closed stages last, while a won lead goes on to
 * onboarding).
 *
 * Returns: (transfer full) (nullable): stage ids, or %NULL when no stage
 *   has a funnel position
 */
GStrv
cp_playbook_funnel_stages (CpPlaybook *self)
{
  g_autoptr(GPtrArray) on_path = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->stages->len; i++)
    {
      CpStage *stage = g_ptr_array_index (self->stages, i);

      if (stage->funnel_position > 0)
        g_ptr_array_add (on_path, stage);
    }
  if (on_path->len == 0)
    return NULL;
  g_ptr_array_sort (on_path, compare_funnel_position);
  for (guint i = 0; i < on_path->len; i++)
    g_strv_builder_add (ids, ((CpStage *) on_path->pdata[i])->id);
  return g_strv_builder_end (ids);
}

const char *
cp_playbook_tier_for_score (CpPlaybook *self,
                            int         score)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (score >= self->scoring.sales_ready_threshold)
    return "sales_ready";
  if (score >= self->scoring.nurture_threshold)
    return "nurture";
  return "unqualified";
}

/**
 * cp_playbook_allowed_channels:
 * @stage_id: the lead's stage
 * @input: the lead
 * @out_reasons: (out) (optional) (transfer full) (element-type utf8): why
 *   channels were removed
 *
 * Consent is applied after the stage: an opted-out or do-not-contact lead
 * never gets a channel its consent does not allow.
 *
 * Returns: (transfer full): the outreach channels allowed for the lead now
 */
char **
cp_playbook_allowed_channels (CpPlaybook        *self,
                              const char        *stage_id,
                              CpConditionInput  *input,
                              GPtrArray        **out_reasons)
{
  const CpStage *stage = cp_playbook_get_stage (self, stage_id);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) blocked = g_ptr_array_new ();
  gboolean block_all = FALSE;

  for (guint i = 0; i < self->consent_rules->len; i++)
    {
      CpConsentRule *rule = g_ptr_array_index (self->consent_rules, i);

      if (rule->condition != NULL && !cp_condition_evaluate (rule->condition, input))
        continue;
      for (guint c = 0; rule->blocked_channels != NULL && rule->blocked_channels[c] != NULL; c++)
        {
          if (strcmp (rule->blocked_channels[c], "*") == 0)
            block_all = TRUE;
          g_ptr_array_add (blocked, rule->blocked_channels[c]);
        }
      g_ptr_array_add (reasons, g_strdup (rule->description ? rule->description : rule->id));
    }

  for (guint i = 0; stage != NULL && stage->channels != NULL && stage->channels[i] != NULL; i++)
    {
      gboolean is_blocked = block_all;

      for (guint b = 0; !is_blocked && b < blocked->len; b++)
        is_blocked = strcmp (g_ptr_array_index (blocked, b), stage->channels[i]) == 0;
      if (!is_blocked)
        g_strv_builder_add (builder, stage->channels[i]);
    }

  if (out_reasons != NULL)
    *out_reasons = g_steal_pointer (&reasons);
  return g_strv_builder_end (builder);
}
