/* cp-filter-bar.h — search and filters shared by the board and the table
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-lead-store.h"

G_BEGIN_DECLS

#define CP_TYPE_FILTER_BAR (cp_filter_bar_get_type ())

G_DECLARE_FINAL_TYPE (CpFilterBar, cp_filter_bar, CP, FILTER_BAR, GtkWidget)

GtkWidget         *cp_filter_bar_new           (void);
void               cp_filter_bar_set_store     (CpFilterBar       *self,
                                                CpLeadStore       *store);
const CpLeadQuery *cp_filter_bar_get_query     (CpFilterBar       *self);
void               cp_filter_bar_set_query     (CpFilterBar       *self,
                                                const CpLeadQuery *query);
void               cp_filter_bar_focus_search  (CpFilterBar       *self);
gboolean           cp_filter_bar_get_search_mode (CpFilterBar     *self);

void               cp_filter_bar_save_view     (CpFilterBar       *self,
                                                const char        *name);
void               cp_filter_bar_remove_view   (CpFilterBar       *self,
                                                const char        *name);

G_END_DECLS
