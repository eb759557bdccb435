/* cp-automation.h — stage moves the playbook proposes on new activity or inactivity
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-playbook.h"

G_BEGIN_DECLS

/* A proposal, never applied here: the caller moves the lead (with @reason)
 * through the store. Automation only ever proposes moves — never a deletion. */
typedef struct
{
  char     *rule_id;
  char     *from_stage;
  char     *to_stage;
  char     *reason;
  gboolean  allowed;          /* the transition check passes */
  char     *blocked_message;  /* (nullable) why not, when !allowed */
} CpProposedMove;

void       cp_proposed_move_free       (CpProposedMove          *move);
GPtrArray *cp_automation_on_activity   (CpPlaybook              *playbook,
                                        CpConditionInput        *input,
                                        const CpActivityRecord  *activity);
GPtrArray *cp_automation_on_inactivity (CpPlaybook              *playbook,
                                        CpConditionInput        *input);
GPtrArray *cp_automation_on_change     (CpPlaybook              *playbook,
                                        CpConditionInput        *input);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpProposedMove, cp_proposed_move_free)

G_END_DECLS
