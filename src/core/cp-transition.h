/* cp-transition.h — may a lead move from one stage to another, and if not, why
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-playbook.h"

G_BEGIN_DECLS

typedef enum
{
  CP_MOVE_ALLOWED,
  CP_MOVE_SAME_STAGE,
  CP_MOVE_UNKNOWN_STAGE,
  CP_MOVE_MISSING_FIELDS,
  CP_MOVE_BLOCKED_BY_EXIT,
  CP_MOVE_BLOCKED_BY_ENTRY,
} CpMoveVerdict;

typedef struct
{
  CpMoveVerdict  verdict;
  char          *from_stage;
  char          *to_stage;
  char         **missing_fields;   /* canonical ids, for CP_MOVE_MISSING_FIELDS */
  char          *message;          /* in words a user understands */
} CpMoveCheck;

CpMoveCheck *cp_transition_check      (CpPlaybook       *playbook,
                                       CpConditionInput *input,
                                       const char       *to_stage);
void         cp_move_check_free       (CpMoveCheck      *check);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpMoveCheck, cp_move_check_free)

G_END_DECLS
