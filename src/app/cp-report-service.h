/* cp-report-service.h — reports computed off the main thread, over a
 * snapshot kept current between requests
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cp-playbook.h"
#include "cp-report.h"

G_BEGIN_DECLS

#define CP_TYPE_REPORT_SERVICE (cp_report_service_get_type ())

G_DECLARE_FINAL_TYPE (CpReportService, cp_report_service, CP, REPORT_SERVICE, GObject)

CpReportService *cp_report_service_new            (const char       *database_path);
/* The playbook whose stages require fields (for the data-quality report);
 * a different one reloads the snapshot on the next request. */
void             cp_report_service_set_playbook   (CpReportService  *self,
                                                   CpPlaybook       *playbook);

/* Blocking: for the command line and the worker thread. */
CpReport        *cp_report_service_compute        (CpReportService  *self,
                                                   CpReportKind      kind,
                                                   const CpReportOptions *options,
                                                   GCancellable     *cancellable,
                                                   GError          **error);

/* Saves the snapshot for the next process when it moved (the blocking
 * compute does not: the command line saves after printing). */
gboolean         cp_report_service_save_snapshot  (CpReportService  *self,
                                                   GError          **error);

void             cp_report_service_compute_async  (CpReportService  *self,
                                                   CpReportKind      kind,
                                                   const CpReportOptions *options,
                                                   GCancellable     *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer          user_data);
CpReport        *cp_report_service_compute_finish (CpReportService  *self,
                                                   GAsyncResult     *result,
                                                   GError          **error);

/* The rowids of the leads behind row @key. */
void             cp_report_service_collect_async  (CpReportService  *self,
                                                   CpReportKind      kind,
                                                   const CpReportOptions *options,
                                                   const char       *key,
                                                   GCancellable     *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer          user_data);
GArray          *cp_report_service_collect_finish (CpReportService  *self,
                                                   GAsyncResult     *result,
                                                   GError          **error);

G_END_DECLS
