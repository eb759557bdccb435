/* cp-lead-editor-private.h — the lead editor's state, shared by its files
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-lead-editor.h"

G_BEGIN_DECLS

struct _CpLeadEditor
{
  AdwWindow          parent_instance;

  CpLeadEditorModel *model;
  GtkWidget         *rows[CP_LEAD_N_FIELDS];
  GtkWidget         *messages[CP_LEAD_N_FIELDS];   /* under each row, shown once it counts */
  gboolean           touched[CP_LEAD_N_FIELDS];    /* the person changed the field */
  gboolean           save_attempted;               /* …or pressed Save: every message counts */
  GtkWidget         *phone_hint;
  GtkWidget         *save_button;
  GtkWidget         *banner;
  GtkWidget         *banner_label;
  GtkWidget         *contact_group;
  GtkWidget         *organization_group;
  GtkWidget         *interest_group;
  GtkWidget         *timeline_group;
  GtkWidget         *consent_group;
  GtkWidget         *custom_group;
  GtkWidget         *custom_add_row;
  char              *custom_add_error;
  char              *duplicate_id;
  gboolean           can_save;      /* new, or changed: Save is offered (problems show on press) */
  gboolean           updating;
  gboolean           closing;
};

void       _cp_lead_editor_refresh               (CpLeadEditor *self);
GtkWidget *_cp_lead_editor_add_custom_row        (CpLeadEditor *self,
                                                  const char   *key,
                                                  const char   *value);
GtkWidget *_cp_lead_editor_find_custom_row       (CpLeadEditor *self,
                                                  const char   *key);
void       _cp_lead_editor_custom_add_changed_cb (GtkEditable  *editable,
                                                  CpLeadEditor *self);
void       _cp_lead_editor_custom_add_apply_cb   (AdwEntryRow  *add_row,
                                                  CpLeadEditor *self);

G_END_DECLS
