/* cp-dialog-frame.h — what the playbook's edit dialogs share: Cancel/Save, the error, the page
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CP_TYPE_DIALOG_FRAME (cp_dialog_frame_get_type ())

G_DECLARE_FINAL_TYPE (CpDialogFrame, cp_dialog_frame, CP, DIALOG_FRAME, GtkWidget)

void        cp_dialog_frame_set_error       (CpDialogFrame *self,
                                             const char    *error);
const char *cp_dialog_frame_get_error       (CpDialogFrame *self);
GtkWidget  *cp_dialog_frame_get_save_button (CpDialogFrame *self);
void        cp_dialog_frame_bind_needed_text (CpDialogFrame *self,
                                              GtkEditable   *editable);

G_END_DECLS
