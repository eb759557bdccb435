/* cp-demo.h — reproducible synthetic leads for demos, tests and benchmarks
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "cp-lead.h"

G_BEGIN_DECLS

#define CP_TYPE_DEMO_GENERATOR (cp_demo_generator_get_type ())

G_DECLARE_FINAL_TYPE (CpDemoGenerator, cp_demo_generator, CP, DEMO_GENERATOR, GObject)

CpDemoGenerator    *cp_demo_generator_new               (guint32          seed,
                                                         gint64           now_unix);
CpLead             *cp_demo_generator_next_lead         (CpDemoGenerator *self);
GPtrArray          *cp_demo_generator_activities_for    (CpDemoGenerator *self,
                                                         CpLead          *lead);
GPtrArray          *cp_demo_generator_stage_history_for (CpDemoGenerator *self,
                                                         CpLead          *lead);

G_END_DECLS
