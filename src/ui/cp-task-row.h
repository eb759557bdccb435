/* cp-task-row.h — one open task in a list: done, kind, title, note, when due, snooze
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-task.h"

G_BEGIN_DECLS

#define CP_TYPE_TASK_ROW (cp_task_row_get_type ())

G_DECLARE_FINAL_TYPE (CpTaskRow, cp_task_row, CP, TASK_ROW, AdwActionRow)

GtkWidget  *cp_task_row_new           (CpTask     *task,
                                       gint64      now,
                                       gboolean    clock_12h,
                                       gboolean    show_owner);
CpTask     *cp_task_row_get_task      (CpTaskRow  *self);
void        cp_task_row_set_now       (CpTaskRow  *self,
                                       gint64      now);
void        cp_task_row_set_read_only (CpTaskRow  *self,
                                       gboolean    read_only);
const char *cp_task_row_get_due_text  (CpTaskRow  *self);
gboolean    cp_task_row_get_overdue   (CpTaskRow  *self);

G_END_DECLS
