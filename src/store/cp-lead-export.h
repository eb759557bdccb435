/* cp-lead-export.h — leads to CSV, every canonical field and custom field
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-lead-store.h"

G_BEGIN_DECLS

char     *cp_lead_export_csv      (CpLeadStore         *store,
                                   const char * const  *ids,
                                   GError             **error);
gboolean  cp_lead_export_csv_file (CpLeadStore         *store,
                                   const char * const  *ids,
                                   GFile               *file,
                                   GError             **error);

G_END_DECLS
