/* cp-lead-list-model.h — a lazy GListModel of the leads matching a query
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cp-lead-query.h"
#include "cp-lead-store.h"

G_BEGIN_DECLS

#define CP_TYPE_LEAD_LIST_MODEL (cp_lead_list_model_get_type ())

G_DECLARE_FINAL_TYPE (CpLeadListModel, cp_lead_list_model, CP, LEAD_LIST_MODEL, GObject)

CpLeadListModel   *cp_lead_list_model_new_full       (CpLeadStore       *store,
                                                      const CpLeadQuery *query,
                                                      gboolean           count_async);
CpLeadListModel   *cp_lead_list_model_new_deferred   (CpLeadStore       *store,
                                                      const CpLeadQuery *query);
void               cp_lead_list_model_start          (CpLeadListModel   *self);
gboolean           cp_lead_list_model_get_loading    (CpLeadListModel   *self);
void               cp_lead_list_model_set_query      (CpLeadListModel   *self,
                                                      const CpLeadQuery *query);
guint              cp_lead_list_model_get_n_loaded   (CpLeadListModel   *self);
guint              cp_lead_list_model_get_page_size  (void);

G_END_DECLS
