/* cp-scorer.c — explainable lead scoring compiled from a playbook
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-scorer"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-scorer.h"

/* The scoring model flattened for the hot path: each rule's points per
 * stage are looked up by index, so scoring a lead allocates nothing. */
typedef struct
{
  const CpScoreRule *rule;
  int               *stage_points;   /* n_stages + 1: the last is for unknown stages */
} CompiledRule;

struct _CpScorer
{
  CpPlaybook   *playbook;
  CompiledRule *rules;
  guint         n_rules;
  const char  **stage_ids;
  guint         n_stages;
  int          *points_block;
  double        half_life_seconds;
};

/**
 * cp_scorer_new:
 * @playbook: the playbook whose scoring model to compile
 *
 * Returns: (transfer full): a scorer; it keeps a reference on @playbook
 */
CpScorer *
cp_scorer_new (CpPlaybook *playbook)
{
  CpScorer *self;
  const CpScoringModel *model;

  g_return_val_if_fail (playbook != NULL, NULL);

  self = g_new0 (CpScorer, 1);
  self->playbook = cp_playbook_ref (playbook);
  model = &playbook->scoring;
  self->n_rules = model->rules->len;
  self->n_stages = playbook->stages->len;
  self->rules = g_new0 (CompiledRule, self->n_rules);
  self->stage_ids = g_new0 (const char *, self->n_stages);
  self->points_block = g_new0 (int, (gsize) self->n_rules * (self->n_stages + 1));
  self->half_life_seconds = model->half_life_days * 86400.0;

  for (guint s = 0; s < self->n_stages; s++)
    self->stage_ids[s] = ((CpStage *) g_ptr_array_index (playbook->stages, s))->id;

  for (guint r = 0; r < self->n_rules; r++)
    {
      const CpScoreRule *rule = g_ptr_array_index (model->rules, r);
      CompiledRule *compiled = &self->rules[r];

      compiled->rule = rule;
      compiled->stage_points = self->points_block + (gsize) r * (self->n_stages + 1);
      for (guint s = 0; s <= self->n_stages; s++)
        compiled->stage_points[s] = rule->points;
      for (guint o = 0; o < rule->n_overrides; o++)
        {
          int s = cp_playbook_stage_index (playbook, rule->override_stages[o]);

          if (s >= 0)
            compiled->stage_points[s] = rule->override_points[o];
        }
    }

  return self;
}

void
cp_scorer_free (CpScorer *self)
{
  if (self == NULL)
    return;
  cp_playbook_unref (self->playbook);
  g_free (self->rules);
  g_free (self->stage_ids);
  g_free (self->points_block);
  g_free (self);
}

static guint
stage_index (CpScorer   *self,
             const char *stage)
{
  for (guint s = 0; stage != NULL && s < self->n_stages; s++)
    if (strcmp (self->stage_ids[s], stage) == 0)
      return s;
  return self->n_stages;
}

static double
decay_factor (CpScorer               *self,
              const CpConditionInput *input,
              double                 *out_age_days)
{
  gint64 when = input->matched_activity_at;
  double age;

  if (when == 0)
    when = input->lead->number[CP_LEAD_FIELD_LAST_ACTIVITY_AT];
  *out_age_days = 0;
  if (self->half_life_seconds <= 0 || when == 0)
    return 1.0;
  age = MAX (0.0, (double) (input->now - when));
  *out_age_days = age / 86400.0;
  return exp2 (-age / self->half_life_seconds);
}

static int
account_boost (const CpScoringModel   *model,
               const CpConditionInput *input)
{
  int boost;

  if (model->account_points_per_contact == 0 ||
      input->account_engaged_contacts < MAX (model->account_min_contacts, 1))
    return 0;
  boost = (int) input->account_engaged_contacts * model->account_points_per_contact;
  return model->account_max_points > 0 ? MIN (boost, model->account_max_points) : boost;
}

static void
add_contribution (CpScoreExplanation *explanation,
                  CpContributionKind  kind,
                  const char         *rule_id,
                  const char         *description,
                  CpScoreCategory     category,
                  double              effective)
{
  CpScoreContribution *c = g_new0 (CpScoreContribution, 1);

  c->kind = kind;
  c->rule_id = g_strdup (rule_id);
  c->description = g_strdup (description);
  c->category = category;
  c->base_points = c->points = (int) lround (effective);
  c->decay_factor = 1.0;
  c->effective = effective;
  g_ptr_array_add (explanation->contributions, c);
}

static void
contribution_free (CpScoreContribution *c)
{
  g_free (c->rule_id);
  g_free (c->description);
  g_free (c->why);
  g_free (c);
}

/* One implementation for both paths, so an explanation can never disagree
 * with the score: @explanation is NULL on the hot path. */
static void
score (CpScorer           *self,
       CpConditionInput   *input,
       CpScoreResult      *out,
       CpScoreExplanation *explanation)
{
  const CpScoringModel *model = &self->playbook->scoring;
  double raw[CP_SCORE_N_CATEGORIES] = { 0, 0, 0 };
  guint s = stage_index (self, input->lead->text[CP_LEAD_FIELD_STAGE]);
  int total = 0, boost;

  for (guint r = 0; r < self->n_rules; r++)
    {
      const CompiledRule *compiled = &self->rules[r];
      const CpScoreRule *rule = compiled->rule;
      int points = compiled->stage_points[s];
      double factor = 1.0, age = 0, effective;

      if (points == 0 && explanation == NULL)
        continue;
      input->matched_activity_at = 0;
      if (rule->condition != NULL && !cp_condition_evaluate (rule->condition, input))
        {
          if (explanation != NULL)
            g_ptr_array_add (explanation->not_fired, g_strdup (rule->id));
          continue;
        }
      if (rule->decay)
        factor = decay_factor (self, input, &age);
      effective = points * factor;
      raw[rule->category] += effective;

      if (explanation != NULL)
        {
          CpScoreContribution *c = g_new0 (CpScoreContribution, 1);

          c->kind = CP_CONTRIBUTION_RULE;
          c->rule_id = g_strdup (rule->id);
          c->description = g_strdup (rule->description ? rule->description : rule->id);
          c->category = rule->category;
          c->base_points = rule->points;
          c->points = points;
          c->stage_override = points != rule->points;
          c->decay_factor = factor;
          c->age_days = age;
          c->effective = effective;
          c->why = cp_condition_to_string (rule->condition);
          g_ptr_array_add (explanation->contributions, c);
        }
    }

  boost = account_boost (model, input);
  if (boost != 0)
    {
      raw[CP_SCORE_READINESS] += boost;
      if (explanation != NULL)
        {
          g_autofree char *text =
            g_strdup_printf (ngettext ("%u other engaged contact at the same organization",
                                       "%u other engaged contacts at the same organization",
                                       input->account_engaged_contacts),
                             input->account_engaged_contacts);

          add_contribution (explanation, CP_CONTRIBUTION_ACCOUNT_BOOST, NULL, text,
                            CP_SCORE_READINESS, boost);
        }
    }

  for (guint c = 0; c < CP_SCORE_N_CATEGORIES; c++)
    {
      int value = (int) lround (raw[c]);

      if (value > model->caps[c])
        {
          if (explanation != NULL)
            {
              g_autofree char *text = g_strdup_printf (_("%s is capped at %d"),
                                                       cp_score_category_to_string (c),
                                                       model->caps[c]);

              add_contribution (explanation, CP_CONTRIBUTION_CAP, NULL, text, c,
                                model->caps[c] - value);
            }
          value = model->caps[c];
        }
      out->category[c] = value;
      total += value;
      if (explanation != NULL)
        explanation->raw[c] = raw[c];
    }

  if (explanation != NULL && (total < 0 || total > 100))
    {
      g_autofree char *text = g_strdup_printf (_("the total %d is clamped to 0–100"), total);

      add_contribution (explanation, CP_CONTRIBUTION_CLAMP, NULL, text, CP_SCORE_FIT,
                        CLAMP (total, 0, 100) - total);
    }
  out->score = CLAMP (total, 0, 100);
  out->tier = cp_playbook_tier_for_score (self->playbook, out->score);
}

/**
 * cp_scorer_score:
 * @input: the lead; `matched_activity_at` is used as scratch
 * @out_result: (out): the score
 *
 * The hot path of a rescore: allocates nothing.
 */
void
cp_scorer_score (CpScorer         *self,
                 CpConditionInput *input,
                 CpScoreResult    *out_result)
{
  score (self, input, out_result, NULL);
}

/**
 * cp_scorer_explain:
 *
 * Returns: (transfer full): the score with every contribution that made it
 */
CpScoreExplanation *
cp_scorer_explain (CpScorer         *self,
                   CpConditionInput *input)
{
  CpScoreExplanation *explanation;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (input != NULL && input->lead != NULL, NULL);

  explanation = g_new0 (CpScoreExplanation, 1);
  explanation->contributions = g_ptr_array_new_with_free_func ((GDestroyNotify) contribution_free);
  explanation->not_fired = g_ptr_array_new_with_free_func (g_free);
  explanation->stage = g_strdup (input->lead->text[CP_LEAD_FIELD_STAGE]);
  score (self, input, &explanation->result, explanation);
  return explanation;
}

void
cp_score_explanation_free (CpScoreExplanation *explanation)
{
  if (explanation == NULL)
    return;
  g_free (explanation->stage);
  g_ptr_array_unref (explanation->contributions);
  g_ptr_array_unref (explanation->not_fired);
  g_free (explanation);
}

/**
 * cp_score_explanation_to_string:
 *
 * Returns: (transfer full): the explanation as readable lines
 */
char *
cp_score_explanation_to_string (const CpScoreExplanation *explanation)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (explanation != NULL, NULL);

  g_string_append_printf (out, _("Score %d (%s): fit %d, intent %d, readiness %d\n"),
                          explanation->result.score, explanation->result.tier,
                          explanation->result.category[CP_SCORE_FIT],
                          explanation->result.category[CP_SCORE_INTENT],
                          explanation->result.category[CP_SCORE_READINESS]);
  for (guint i = 0; i < explanation->contributions->len; i++)
    {
      const CpScoreContribution *c = g_ptr_array_index (explanation->contributions, i);

      g_string_append_printf (out, "  %+6.1f  %-9s  %s", c->effective,
                              cp_score_category_to_string (c->category), c->description);
      if (c->kind == CP_CONTRIBUTION_RULE)
        {
          g_string_append_printf (out, " [%s]", c->rule_id);
          if (c->stage_override)
            g_string_append_printf (out, _(" (%+d in this stage instead of %+d)"),
                                    c->points, c->base_points);
          if (c->decay_factor < 1.0)
            g_string_append_printf (out, _(" (%+d decayed ×%.2f, %.0f days old)"),
                                    c->points, c->decay_factor, c->age_days);
          g_string_append_printf (out, _(" — because %s"), c->why);
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}
