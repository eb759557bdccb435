/* cp-lead-activity-log.h — logging activity on a lead: rescoring, proposed moves
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-activity.h"
#include "cp-lead-store.h"
#include "cp-playbook.h"
#include "cp-scorer.h"

G_BEGIN_DECLS

gboolean   cp_lead_rescore_one           (CpLeadStore  *store,
                                          CpScorer     *scorer,
                                          const char   *lead_id,
                                          gint64        now,
                                          const char   *actor,
                                          gboolean     *out_changed,
                                          GError      **error);
GPtrArray *cp_lead_log_activity          (CpLeadStore  *store,
                                          CpPlaybook   *playbook,
                                          CpActivity   *activity,
                                          gint64        now,
                                          GError      **error);
const char *cp_activity_kind_channel     (CpActivityKind kind);

G_END_DECLS
