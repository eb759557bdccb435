/* cp-automation-dialog.h — an automation rule: what sets it off, what must hold, the move it
 * proposes
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-playbook-editor.h"

G_BEGIN_DECLS

#define CP_TYPE_AUTOMATION_DIALOG (cp_automation_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CpAutomationDialog, cp_automation_dialog, CP, AUTOMATION_DIALOG, AdwWindow)

CpAutomationDialog *cp_automation_dialog_new                 (GtkWindow          *parent,
                                                              CpPlaybookEditor   *editor,
                                                              const char         *rule_id);
AdwEntryRow        *cp_automation_dialog_get_description_row (CpAutomationDialog *self);
AdwComboRow        *cp_automation_dialog_get_trigger_row     (CpAutomationDialog *self);
AdwComboRow        *cp_automation_dialog_get_kind_row        (CpAutomationDialog *self);
AdwComboRow        *cp_automation_dialog_get_stage_row       (CpAutomationDialog *self);

G_END_DECLS
