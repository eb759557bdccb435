/* cp-import-window.h — the import assistant: columns, duplicates, a check, the import, every
 * refused row
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-playbook.h"

G_BEGIN_DECLS

#define CP_TYPE_IMPORT_WINDOW (cp_import_window_get_type ())

G_DECLARE_FINAL_TYPE (CpImportWindow, cp_import_window, CP, IMPORT_WINDOW, AdwWindow)

CpImportWindow *cp_import_window_new          (GtkWindow  *parent,
                                               const char *database_path,
                                               GFile      *file,
                                               GError    **error);
const char     *cp_import_window_get_page     (CpImportWindow *self);
GPtrArray      *cp_import_window_get_value_rows (CpImportWindow *self);

G_END_DECLS
