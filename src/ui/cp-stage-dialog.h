/* cp-stage-dialog.h — one stage of the playbook: name, owner, channels, required fields, SLA,
 * rotting
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-playbook-editor.h"

G_BEGIN_DECLS

#define CP_TYPE_STAGE_DIALOG (cp_stage_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CpStageDialog, cp_stage_dialog, CP, STAGE_DIALOG, AdwWindow)

CpStageDialog  *cp_stage_dialog_new          (GtkWindow        *parent,
                                              CpPlaybookEditor *editor,
                                              const char       *stage_id);
GtkCheckButton *cp_stage_dialog_get_required (CpStageDialog    *self,
                                              CpLeadField       field);
GtkSpinButton  *cp_stage_dialog_get_sla      (CpStageDialog    *self);
GtkSwitch      *cp_stage_dialog_get_channel  (CpStageDialog    *self,
                                              const char       *channel);
AdwEntryRow    *cp_stage_dialog_get_assets   (CpStageDialog    *self);

G_END_DECLS
