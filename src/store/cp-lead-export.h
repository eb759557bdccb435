/* cp-lead-export.h — leads to CSV, every canonical field and custom field, streamed
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-lead-query.h"
#include "cp-lead-store.h"

G_BEGIN_DECLS

/* @done of @total leads are written (0 after the header). */
typedef void (*CpLeadExportProgressFunc) (guint    done,
                                          guint    total,
                                          gpointer user_data);

gboolean  cp_lead_export_write    (CpLeadStore              *store,
                                   const CpLeadQuery        *query,
                                   const char * const       *ids,
                                   GOutputStream            *out,
                                   GCancellable             *cancellable,
                                   CpLeadExportProgressFunc  progress,
                                   gpointer                  progress_data,
                                   guint                    *out_count,
                                   GError                  **error);
gboolean  cp_lead_export_to_file  (CpLeadStore              *store,
                                   const CpLeadQuery        *query,
                                   const char * const       *ids,
                                   GFile                    *file,
                                   GCancellable             *cancellable,
                                   CpLeadExportProgressFunc  progress,
                                   gpointer                  progress_data,
                                   guint                    *out_count,
                                   GError                  **error);
void      cp_lead_export_async    (CpLeadStore              *store,
                                   const CpLeadQuery        *query,
                                   const char * const       *ids,
                                   GFile                    *file,
                                   GCancellable             *cancellable,
                                   CpLeadExportProgressFunc  progress,
                                   gpointer                  progress_data,
                                   GAsyncReadyCallback       callback,
                                   gpointer                  user_data);
gboolean  cp_lead_export_finish   (CpLeadStore              *store,
                                   GAsyncResult             *result,
                                   guint                    *out_count,
                                   GError                  **error);

G_END_DECLS
