/* cp-lead-editor.h — create or edit a lead, with checks and duplicate warnings
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-lead-editor-model.h"

G_BEGIN_DECLS

#define CP_TYPE_LEAD_EDITOR (cp_lead_editor_get_type ())

G_DECLARE_FINAL_TYPE (CpLeadEditor, cp_lead_editor, CP, LEAD_EDITOR, AdwWindow)

CpLeadEditor      *cp_lead_editor_new           (GtkWindow          *parent,
                                                 CpLeadStore        *store,
                                                 CpPlaybook         *playbook,
                                                 const char         *default_region,
                                                 const char         *lead_id,
                                                 GError            **error);
CpLeadEditorModel *cp_lead_editor_get_model     (CpLeadEditor       *self);
GtkWidget         *cp_lead_editor_get_field_row (CpLeadEditor       *self,
                                                 CpLeadField         field);
GtkWidget         *cp_lead_editor_get_save_button (CpLeadEditor     *self);
GtkWidget         *cp_lead_editor_get_banner    (CpLeadEditor       *self);
GtkWidget         *cp_lead_editor_get_custom_row (CpLeadEditor      *self,
                                                 const char         *key);
GtkWidget         *cp_lead_editor_get_custom_group (CpLeadEditor    *self);
void               cp_lead_editor_open_existing (CpLeadEditor       *self);
void               cp_lead_editor_keep_both     (CpLeadEditor       *self);
void               cp_lead_editor_merge         (CpLeadEditor       *self,
                                                 const CpLeadField  *take,
                                                 guint               n_take);
gboolean           cp_lead_editor_request_close (CpLeadEditor       *self);

G_END_DECLS
