/* cp-leads-view.h — the Leads table
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-lead-store.h"

G_BEGIN_DECLS

#define CP_TYPE_LEADS_VIEW (cp_leads_view_get_type ())

G_DECLARE_FINAL_TYPE (CpLeadsView, cp_leads_view, CP, LEADS_VIEW, GtkWidget)

GtkWidget         *cp_leads_view_new        (void);
void               cp_leads_view_set_store  (CpLeadsView *self,
                                             CpLeadStore *store);
GListModel        *cp_leads_view_get_model  (CpLeadsView *self);
void               cp_leads_view_set_filter (CpLeadsView       *self,
                                             const CpLeadQuery *filter);

void               cp_leads_view_select     (CpLeadsView *self,
                                             const guint *positions,
                                             guint        n_positions);

gboolean           cp_leads_view_get_column_visible (CpLeadsView *self,
                                                     const char  *id);

G_END_DECLS
