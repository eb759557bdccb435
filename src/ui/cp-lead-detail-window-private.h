/* cp-lead-detail-window-private.h — what the lead window's action files share with it
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-lead-detail-window.h"

G_BEGIN_DECLS

CpLeadStore *_cp_lead_detail_window_get_store (CpLeadDetailWindow *self);
void         _cp_lead_detail_window_add_toast (CpLeadDetailWindow *self,
                                               AdwToast           *toast);

/* cp-lead-detail-privacy.c: detail.export-person, detail.erase-person */
void         _cp_lead_detail_window_install_privacy_actions (GtkWidgetClass *widget_class);

G_END_DECLS
