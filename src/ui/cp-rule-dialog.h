/* cp-rule-dialog.h — a scoring rule: what it says, its points, and its condition
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-condition-builder.h"
#include "cp-playbook-editor.h"

G_BEGIN_DECLS

#define CP_TYPE_RULE_DIALOG (cp_rule_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CpRuleDialog, cp_rule_dialog, CP, RULE_DIALOG, AdwWindow)

CpRuleDialog  *cp_rule_dialog_new                 (GtkWindow        *parent,
                                                   CpPlaybookEditor *editor,
                                                   const char       *rule_id,
                                                   CpScoreCategory   category);
CpRuleDialog  *cp_rule_dialog_new_route           (GtkWindow        *parent,
                                                   CpPlaybookEditor *editor,
                                                   const char       *route_id);
AdwComboRow   *cp_rule_dialog_get_queue_row       (CpRuleDialog     *self);
CpConditionBuilder *cp_rule_dialog_get_builder    (CpRuleDialog     *self);
GtkCheckButton *cp_rule_dialog_get_override_check (CpRuleDialog     *self,
                                                   const char       *stage_id);
GtkSpinButton *cp_rule_dialog_get_override_points (CpRuleDialog     *self,
                                                   const char       *stage_id);
AdwComboRow   *cp_rule_dialog_get_field_row       (CpRuleDialog     *self);
AdwComboRow   *cp_rule_dialog_get_op_row          (CpRuleDialog     *self);
GtkWidget     *cp_rule_dialog_get_value_widget    (CpRuleDialog     *self);
AdwEntryRow   *cp_rule_dialog_get_description_row (CpRuleDialog     *self);
GtkSpinButton *cp_rule_dialog_get_points          (CpRuleDialog     *self);
GtkWidget     *cp_rule_dialog_get_save_button     (CpRuleDialog     *self);
const char    *cp_rule_dialog_get_error           (CpRuleDialog     *self);

G_END_DECLS
