/* cp-retention.h — the playbook's retention rules: which leads are erased after how long without activity
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-lead-store.h"

G_BEGIN_DECLS

/* A lead a retention rule erases (or, in a preview, would erase). */
typedef struct
{
  char   *lead_id;
  char   *rule_id;
  char   *stage;
  gint64  last_active_at;   /* the later of its last activity and last update */
} CpRetentionMatch;

void       cp_retention_match_free (CpRetentionMatch *match);
GPtrArray *cp_retention_preview    (CpLeadStore  *store,
                                    gint64        now,
                                    GError      **error);
GPtrArray *cp_retention_apply      (CpLeadStore  *store,
                                    gint64        now,
                                    GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpRetentionMatch, cp_retention_match_free)

G_END_DECLS
