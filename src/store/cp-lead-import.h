/* cp-lead-import.h — leads from CSV: mapping, duplicates, batches, a report of every refused row
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-import.h"

G_BEGIN_DECLS

gboolean cp_lead_import_run (CpLeadStore            *store,
                             CpCsvReader            *reader,
                             const CpImportOptions  *options,
                             CpProgressFunc          progress,
                             gpointer                user_data,
                             GCancellable           *cancellable,
                             CpImportResult         *out_result,
                             GError                **error);

void     cp_lead_import_run_async  (const char             *database_path,
                                   const char             *csv_path,
                                   const CpImportOptions  *options,
                                   CpProgressFunc          progress,
                                   gpointer                progress_data,
                                   GCancellable           *cancellable,
                                   GAsyncReadyCallback     callback,
                                   gpointer                user_data);
gboolean cp_lead_import_run_finish (GAsyncResult           *result,
                                   CpImportResult         *out_result,
                                   GError                **error);

G_END_DECLS
