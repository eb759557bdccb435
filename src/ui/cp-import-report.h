/* cp-import-report.h — what both import assistants show of the rows they could not take, and how
 * they save them
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Called when the report could not be written. */
typedef void (*CpImportReportFailed) (const GError *error,
                                      gpointer      user_data);

GtkWidget *cp_import_report_row_new (guint64               line,
                                     guint                 column,
                                     const char           *status,
                                     const char           *reason);
void       cp_import_report_save    (GtkWindow            *parent,
                                     const char           *title,
                                     const char           *file_name,
                                     char                 *csv,
                                     CpImportReportFailed  failed,
                                     GObject              *owner);

G_END_DECLS
