/* cp-scorer.h — explainable lead scoring compiled from a playbook
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-playbook.h"

G_BEGIN_DECLS

typedef struct _CpScorer CpScorer;

/* A score: the total (0–100), each category after its cap, and the tier
 * (a static string: "unqualified", "nurture", "sales_ready"). */
typedef struct
{
  int         score;
  int         category[CP_SCORE_N_CATEGORIES];
  const char *tier;
} CpScoreResult;

typedef enum
{
  CP_CONTRIBUTION_RULE,
  CP_CONTRIBUTION_ACCOUNT_BOOST,
  CP_CONTRIBUTION_CAP,
  CP_CONTRIBUTION_CLAMP,
} CpContributionKind;

/* One line of an explanation. */
typedef struct
{
  CpContributionKind kind;
  char              *rule_id;       /* (nullable) */
  char              *description;
  CpScoreCategory    category;
  int                base_points;   /* as written in the rule */
  int                points;        /* after the stage override */
  gboolean           stage_override;
  double             decay_factor;  /* 1.0 without decay */
  double             age_days;      /* of the activity decay was measured from */
  double             effective;     /* what was added to the category */
  char              *why;           /* the condition in words */
} CpScoreContribution;

typedef struct
{
  CpScoreResult  result;
  char          *stage;
  double         raw[CP_SCORE_N_CATEGORIES];   /* before caps */
  GPtrArray     *contributions;                /* CpScoreContribution */
  GPtrArray     *not_fired;                    /* rule ids that did not fire */
} CpScoreExplanation;

CpScorer           *cp_scorer_new        (CpPlaybook          *playbook);
void                cp_scorer_free       (CpScorer            *self);
void                cp_scorer_score      (CpScorer            *self,
                                          CpConditionInput    *input,
                                          CpScoreResult       *out_result);
CpScoreExplanation *cp_scorer_explain    (CpScorer            *self,
                                          CpConditionInput    *input);

void                cp_score_explanation_free      (CpScoreExplanation *explanation);
char               *cp_score_explanation_to_string (const CpScoreExplanation *explanation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpScorer, cp_scorer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpScoreExplanation, cp_score_explanation_free)

G_END_DECLS
