/* cp-lead-detail-window.h — one lead: its fields, activities and history
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-lead-store.h"

G_BEGIN_DECLS

#define CP_TYPE_LEAD_DETAIL_WINDOW (cp_lead_detail_window_get_type ())

G_DECLARE_FINAL_TYPE (CpLeadDetailWindow, cp_lead_detail_window, CP, LEAD_DETAIL_WINDOW, AdwWindow)

CpLeadDetailWindow *cp_lead_detail_window_new  (GtkWindow    *parent,
                                                CpLeadStore  *store,
                                                const char   *lead_id,
                                                GError      **error);
const char         *cp_lead_detail_window_get_lead_id (CpLeadDetailWindow *self);
guint               cp_lead_detail_window_get_n_history (CpLeadDetailWindow *self);

GtkWidget          *cp_lead_detail_window_get_outreach_row (CpLeadDetailWindow *self,
                                                            const char         *channel);

G_END_DECLS
