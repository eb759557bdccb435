/* cp-template-dialog.h — Email with Template: a stage's email template filled for one lead
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-lead-store.h"
#include "cp-playbook.h"

G_BEGIN_DECLS

#define CP_TYPE_TEMPLATE_DIALOG (cp_template_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CpTemplateDialog, cp_template_dialog, CP, TEMPLATE_DIALOG, AdwWindow)

CpTemplateDialog *cp_template_dialog_new         (GtkWindow        *parent,
                                                  CpLeadStore      *store,
                                                  CpPlaybook       *playbook,
                                                  const char       *lead_id,
                                                  GHashTable       *team_values,
                                                  const char       *actor,
                                                  GError          **error);
const char       *cp_template_dialog_get_subject (CpTemplateDialog *self);
const char       *cp_template_dialog_get_body    (CpTemplateDialog *self);
const char       *cp_template_dialog_get_problem (CpTemplateDialog *self);

G_END_DECLS
