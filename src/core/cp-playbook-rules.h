/* cp-playbook-rules.h — questions about a playbook as a whole: what its rules read, where a
 * lead moves on to
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-playbook.h"
#include "cp-transition.h"

G_BEGIN_DECLS

/* What the rules of one or more playbooks look at, so a reader of every
 * lead fetches that and nothing more. */
typedef struct
{
  guint64  fields;     /* bit per CpLeadField (CP_PLAYBOOK_READS_FIELD) */
  gboolean detail;     /* activity details */
  gboolean custom;     /* custom fields */
} CpPlaybookReads;

#define CP_PLAYBOOK_READS_FIELD(f) (G_GUINT64_CONSTANT (1) << (f))

void           cp_playbook_reads_add_scoring    (CpPlaybookReads  *reads,
                                                 CpPlaybook       *playbook);
void           cp_playbook_reads_add_everything (CpPlaybookReads  *reads,
                                                 CpPlaybook       *playbook);
void           cp_playbook_reads_add_field      (CpPlaybookReads  *reads,
                                                 CpLeadField       field);

const CpStage *cp_playbook_next_open_stage      (CpPlaybook       *playbook,
                                                 const char       *stage_id);
gboolean       cp_playbook_blocks_moving_on     (CpPlaybook       *playbook,
                                                 CpConditionInput *input,
                                                 const char       *stage_id);

G_END_DECLS
