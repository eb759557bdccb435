/* cp-demo-writer.h — fill a database with generated demo leads
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-bulk-load.h"
#include "cp-lead-store.h"

G_BEGIN_DECLS

gboolean cp_demo_writer_run (CpLeadStore    *store,
                             guint           n_leads,
                             guint32         seed,
                             gint64          now,
                             CpProgressFunc  progress,
                             gpointer        user_data,
                             GCancellable   *cancellable,
                             GError        **error);

gboolean cp_demo_writer_run_full (CpLeadStore     *store,
                                  guint            n_leads,
                                  guint32          seed,
                                  gint64           now,
                                  CpBulkLoadMode   mode,
                                  CpProgressFunc   progress,
                                  gpointer         user_data,
                                  GCancellable    *cancellable,
                                  GError         **error);

G_END_DECLS
