/* cp-quick-capture.h — a short form for leads met at an event, one after another
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-lead-editor-model.h"

G_BEGIN_DECLS

#define CP_TYPE_QUICK_CAPTURE (cp_quick_capture_get_type ())

G_DECLARE_FINAL_TYPE (CpQuickCapture, cp_quick_capture, CP, QUICK_CAPTURE, GtkBox)

CpQuickCapture *cp_quick_capture_new            (CpLeadStore    *store,
                                                 CpPlaybook     *playbook,
                                                 GSettings      *settings);
GtkWidget      *cp_quick_capture_get_field_row  (CpQuickCapture *self,
                                                 CpLeadField     field);
GtkWidget      *cp_quick_capture_get_event_row  (CpQuickCapture *self);
GtkSwitch      *cp_quick_capture_get_consent_switch (CpQuickCapture *self);
CpLeadEditorModel *cp_quick_capture_get_model   (CpQuickCapture *self);
gboolean        cp_quick_capture_save           (CpQuickCapture *self);
guint           cp_quick_capture_get_count      (CpQuickCapture *self);
const char     *cp_quick_capture_get_warning    (CpQuickCapture *self);

G_END_DECLS
