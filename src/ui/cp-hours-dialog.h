/* cp-hours-dialog.h — a location's business hours and holidays, which response times count in
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-playbook-editor.h"

G_BEGIN_DECLS

#define CP_TYPE_HOURS_DIALOG (cp_hours_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CpHoursDialog, cp_hours_dialog, CP, HOURS_DIALOG, AdwWindow)

CpHoursDialog   *cp_hours_dialog_new       (GtkWindow        *parent,
                                            CpPlaybookEditor *editor,
                                            const char       *location);
AdwEntryRow     *cp_hours_dialog_get_row   (CpHoursDialog    *self,
                                            const char       *which);
GtkToggleButton *cp_hours_dialog_get_day   (CpHoursDialog    *self,
                                            guint             day);
const char      *cp_hours_dialog_get_error (CpHoursDialog    *self);

G_END_DECLS
