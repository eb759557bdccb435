/* cp-lead-detail-window.h — one lead: overview, activity, score explanation, history
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-lead-store.h"
#include "cp-playbook.h"

G_BEGIN_DECLS

#define CP_TYPE_LEAD_DETAIL_WINDOW (cp_lead_detail_window_get_type ())

G_DECLARE_FINAL_TYPE (CpLeadDetailWindow, cp_lead_detail_window, CP, LEAD_DETAIL_WINDOW, AdwWindow)

CpLeadDetailWindow *cp_lead_detail_window_new  (GtkWindow    *parent,
                                                CpLeadStore  *store,
                                                const char   *lead_id,
                                                GError      **error);
const char         *cp_lead_detail_window_get_lead_id (CpLeadDetailWindow *self);
guint               cp_lead_detail_window_get_n_history (CpLeadDetailWindow *self);
void                cp_lead_detail_window_set_playbook  (CpLeadDetailWindow *self,
                                                         CpPlaybook         *playbook);
const char         *cp_lead_detail_window_get_score_text (CpLeadDetailWindow *self);
AdwToast           *cp_lead_detail_window_get_outcome_toast (CpLeadDetailWindow *self);
const char         *cp_lead_detail_window_get_outreach_note (CpLeadDetailWindow *self,
                                                             const char         *channel);

G_END_DECLS
