/* cp-import-progress.h — the page an import shows while it runs: progress, rows read, Cancel
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CP_TYPE_IMPORT_PROGRESS (cp_import_progress_get_type ())

G_DECLARE_FINAL_TYPE (CpImportProgress, cp_import_progress, CP, IMPORT_PROGRESS, AdwBin)

void cp_import_progress_start  (CpImportProgress *self,
                                GCancellable     *cancellable);
void cp_import_progress_report (guint             done,
                                guint             total,
                                gpointer          progress);

G_END_DECLS
