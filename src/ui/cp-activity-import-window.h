/* cp-activity-import-window.h — the activity import assistant: a file, its kind, its columns, a
 * preview, the result
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CP_TYPE_ACTIVITY_IMPORT_WINDOW (cp_activity_import_window_get_type ())

G_DECLARE_FINAL_TYPE (CpActivityImportWindow, cp_activity_import_window, CP, ACTIVITY_IMPORT_WINDOW,
                      AdwWindow)

CpActivityImportWindow *cp_activity_import_window_new      (GtkWindow              *parent,
                                                            const char             *database_path);
gboolean                cp_activity_import_window_set_file (CpActivityImportWindow *self,
                                                            GFile                  *file,
                                                            GError                **error);
const char             *cp_activity_import_window_get_page (CpActivityImportWindow *self);
const char             *cp_activity_import_window_get_preview (CpActivityImportWindow *self);

G_END_DECLS
