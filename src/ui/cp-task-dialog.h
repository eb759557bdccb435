/* cp-task-dialog.h — add a task to a lead: lead, kind, title, due time, owner, note
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-lead-store.h"

G_BEGIN_DECLS

#define CP_TYPE_TASK_DIALOG (cp_task_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CpTaskDialog, cp_task_dialog, CP, TASK_DIALOG, AdwWindow)

CpTaskDialog *cp_task_dialog_new            (GtkWindow    *parent,
                                             CpLeadStore  *store,
                                             const char   *lead_id,
                                             const char   *owner,
                                             const char   *actor);
const char   *cp_task_dialog_get_field_error (CpTaskDialog *self,
                                              const char   *field);

G_END_DECLS
