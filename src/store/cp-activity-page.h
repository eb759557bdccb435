/* cp-activity-page.h — a lead's newest activities, a page at a time, read on a worker
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-lead-store.h"

G_BEGIN_DECLS

GPtrArray *cp_lead_store_list_recent_activities        (CpLeadStore          *self,
                                                        const char           *lead_id,
                                                        guint                 limit,
                                                        gboolean             *out_more,
                                                        GError              **error);
void       cp_lead_store_list_recent_activities_async  (CpLeadStore          *self,
                                                        const char           *lead_id,
                                                        guint                 limit,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GPtrArray *cp_lead_store_list_recent_activities_finish (GAsyncResult         *result,
                                                        gboolean             *out_more,
                                                        GError              **error);

G_END_DECLS
