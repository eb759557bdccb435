/* cp-lead-detail-window-private.h — what the lead window's action files share with it
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-lead-detail-window.h"

G_BEGIN_DECLS

CpLeadStore *_cp_lead_detail_window_get_store (CpLeadDetailWindow *self);
void         _cp_lead_detail_window_add_toast (CpLeadDetailWindow *self,
                                               const char         *text);

CpPlaybook  *_cp_lead_detail_window_get_playbook (CpLeadDetailWindow *self);
void         _cp_lead_detail_window_show_outcome (CpLeadDetailWindow   *self,
                                                  CpActivityKind        kind,
                                                  const CpWriteOutcome *outcome);

/* cp-lead-detail-tasks.c: the Tasks and Reach Out groups (in the template);
 * detail.add-task, detail.email-template, detail.call */
void         _cp_lead_detail_window_fill_task_groups (CpLeadDetailWindow *self,
                                                      CpLead             *lead);
void         _cp_lead_detail_window_class_init_tasks (GtkWidgetClass     *widget_class);

/* cp-lead-detail-privacy.c: detail.export-person, detail.erase-person */
void         _cp_lead_detail_window_install_privacy_actions (GtkWidgetClass *widget_class);

G_END_DECLS
