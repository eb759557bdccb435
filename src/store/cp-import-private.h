/* cp-import-private.h — what the import's mapping gives the import itself
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-lead-import.h"

G_BEGIN_DECLS

const char          *_cp_import_stage_for            (CpPlaybook       *playbook,
                                                      const char       *value);
const char          *_cp_import_choice_for           (CpLeadField       field,
                                                      const char       *value);
const char          *_cp_import_value_for            (CpPlaybook       *playbook,
                                                      CpLeadField       field,
                                                      const char       *value);
gboolean             _cp_import_column_is_computed   (const char       *header,
                                                      CpLeadField      *out_field);

G_END_DECLS
