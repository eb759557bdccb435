/* cp-pipeline-column.h — one stage of the pipeline board
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-lead-card.h"
#include "cp-lead-store.h"

G_BEGIN_DECLS

#define CP_TYPE_PIPELINE_COLUMN (cp_pipeline_column_get_type ())

G_DECLARE_FINAL_TYPE (CpPipelineColumn, cp_pipeline_column, CP, PIPELINE_COLUMN, GtkWidget)

CpPipelineColumn *cp_pipeline_column_new          (CpLeadStore       *store,
                                                   const char        *stage,
                                                   const char        *title,
                                                   guint              rotting_days,
                                                   gboolean           collapsible);
const char       *cp_pipeline_column_get_stage    (CpPipelineColumn  *self);
GListModel       *cp_pipeline_column_get_model    (CpPipelineColumn  *self);
void              cp_pipeline_column_set_query    (CpPipelineColumn  *self,
                                                   const CpLeadQuery *base);
void              cp_pipeline_column_set_summary  (CpPipelineColumn  *self,
                                                   guint              count,
                                                   double             average_score,
                                                   guint              sla_breached);
guint             cp_pipeline_column_get_count    (CpPipelineColumn  *self);
CpLead           *cp_pipeline_column_get_selected (CpPipelineColumn  *self);
void              cp_pipeline_column_select       (CpPipelineColumn  *self,
                                                   guint              position);
void              cp_pipeline_column_set_board_says_empty (CpPipelineColumn *self,
                                                           gboolean          says_empty);
gboolean          cp_pipeline_column_get_collapsed (CpPipelineColumn *self);
void              cp_pipeline_column_set_collapsed (CpPipelineColumn *self,
                                                    gboolean          collapsed);

void              cp_pipeline_column_load         (CpPipelineColumn  *self);
gboolean          cp_pipeline_column_get_loading  (CpPipelineColumn  *self);
guint             cp_pipeline_column_get_n_shown  (CpPipelineColumn  *self);
void              cp_pipeline_column_show_more    (CpPipelineColumn  *self);
void              cp_pipeline_column_show_all     (CpPipelineColumn  *self);

gboolean          cp_pipeline_column_focus_card_at    (CpPipelineColumn *self,
                                                       double            y);
CpLeadCard       *cp_pipeline_column_get_focused_card (CpPipelineColumn *self);
GtkWidget        *cp_pipeline_column_get_fold_button  (CpPipelineColumn *self);

G_END_DECLS
