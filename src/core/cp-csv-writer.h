/* cp-csv-writer.h — RFC 4180 CSV rows that spreadsheets open safely
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void        cp_csv_append_row          (GString            *out,
                                        const char * const *values,
                                        guint               n_values);
const char *cp_csv_strip_formula_guard (const char         *value);

G_END_DECLS
