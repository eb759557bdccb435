/* cp-lead-store-private.h — bulk paths of the lead store for importers and generators
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-lead-store.h"

G_BEGIN_DECLS

/* Inserts a complete lead with its past: @stage_history (CpStageEvent, may
 * be NULL: then one “Created” event) and @activities (CpActivity, may be
 * NULL). Must run inside a transaction; emits no signal. */
gboolean _cp_lead_store_insert_with_history (CpLeadStore  *self,
                                             CpLead       *lead,
                                             GPtrArray    *stage_history,
                                             GPtrArray    *activities,
                                             const char   *actor,
                                             GError      **error);

G_END_DECLS
