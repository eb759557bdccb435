/* cp-lead-timeline.h — a lead window's timeline: the newest activities, older on demand
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-lead-store.h"

G_BEGIN_DECLS

void  cp_lead_timeline_load       (AdwPreferencesGroup *group,
                                   CpLeadStore         *store,
                                   const char          *lead_id);

G_END_DECLS
