/* cp-lead-editor-model.h — the state behind the lead editor: draft, checks, duplicates, save
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "cp-lead.h"
#include "cp-lead-store.h"
#include "cp-playbook.h"

G_BEGIN_DECLS

#define CP_TYPE_LEAD_EDITOR_MODEL (cp_lead_editor_model_get_type ())

G_DECLARE_FINAL_TYPE (CpLeadEditorModel, cp_lead_editor_model, CP, LEAD_EDITOR_MODEL, GObject)

CpLeadEditorModel *cp_lead_editor_model_new            (CpLeadStore        *store,
                                                        CpPlaybook         *playbook,
                                                        const char         *default_region);
gboolean           cp_lead_editor_model_load           (CpLeadEditorModel  *self,
                                                        const char         *id,
                                                        GError            **error);
CpLead            *cp_lead_editor_model_get_draft      (CpLeadEditorModel  *self);
gboolean           cp_lead_editor_model_is_new         (CpLeadEditorModel  *self);
CpPlaybook        *cp_lead_editor_model_get_playbook   (CpLeadEditorModel  *self);

void               cp_lead_editor_model_set_field      (CpLeadEditorModel  *self,
                                                        CpLeadField         field,
                                                        const char         *text);
const char        *cp_lead_editor_model_get_input      (CpLeadEditorModel  *self,
                                                        CpLeadField         field);
void               cp_lead_editor_model_set_custom     (CpLeadEditorModel  *self,
                                                        const char         *key,
                                                        const char         *value);

const char        *cp_lead_editor_model_get_message    (CpLeadEditorModel  *self,
                                                        CpLeadField         field);
const char        *cp_lead_editor_model_get_custom_message (CpLeadEditorModel *self);
char              *cp_lead_editor_model_dup_phone_display (CpLeadEditorModel *self);
gboolean           cp_lead_editor_model_is_required    (CpLeadEditorModel  *self,
                                                        CpLeadField         field);
gboolean           cp_lead_editor_model_is_valid       (CpLeadEditorModel  *self);
gboolean           cp_lead_editor_model_is_dirty       (CpLeadEditorModel  *self);
GPtrArray         *cp_lead_editor_model_get_duplicates (CpLeadEditorModel  *self);

gboolean           cp_lead_editor_model_save           (CpLeadEditorModel  *self,
                                                        const char         *actor,
                                                        GError            **error);
GArray            *cp_lead_editor_model_merge_choices  (CpLeadEditorModel  *self,
                                                        const char         *existing_id,
                                                        GError            **error);
char              *cp_lead_editor_model_merge_into     (CpLeadEditorModel  *self,
                                                        const char         *existing_id,
                                                        const CpLeadField  *take,
                                                        guint               n_take,
                                                        const char         *actor,
                                                        GError            **error);
gboolean           cp_lead_editor_model_keep_both      (CpLeadEditorModel  *self,
                                                        const char         *existing_id,
                                                        const char         *actor,
                                                        GError            **error);
void               cp_lead_editor_model_reset          (CpLeadEditorModel  *self);
void               cp_lead_editor_model_set_event      (CpLeadEditorModel  *self,
                                                        const char         *event_name);
void               cp_lead_editor_model_set_event_consent (CpLeadEditorModel *self,
                                                           gboolean           agreed,
                                                           const char        *event_name,
                                                           const char        *captured_by);
gboolean           cp_lead_outreach_allowed            (CpPlaybook         *playbook,
                                                        CpLead             *lead,
                                                        const char         *channel,
                                                        char              **out_reason);

G_END_DECLS
