/* cp-pipeline-view.h — the pipeline board: one column per stage
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-lead-store.h"
#include "cp-pipeline-column.h"
#include "cp-stages.h"

G_BEGIN_DECLS

/* What the board needs to know of a stage: its id, title (translated),
 * rotting limit, and whether it is a closed stage (shown last, folded). */
typedef CpStageInfo CpBoardStage;

#define CP_TYPE_PIPELINE_VIEW (cp_pipeline_view_get_type ())

G_DECLARE_FINAL_TYPE (CpPipelineView, cp_pipeline_view, CP, PIPELINE_VIEW, GtkWidget)

GtkWidget        *cp_pipeline_view_new         (void);
void              cp_pipeline_view_set_store   (CpPipelineView     *self,
                                                CpLeadStore        *store);
void              cp_pipeline_view_set_stages  (CpPipelineView     *self,
                                                const CpBoardStage *stages,
                                                guint               n_stages);
void              cp_pipeline_view_set_query   (CpPipelineView     *self,
                                                const CpLeadQuery  *query);
guint             cp_pipeline_view_get_n_columns (CpPipelineView   *self);
CpPipelineColumn *cp_pipeline_view_get_column  (CpPipelineView     *self,
                                                guint               index);
CpPipelineColumn *cp_pipeline_view_find_column (CpPipelineView     *self,
                                                const char         *stage);
void              cp_pipeline_view_refresh     (CpPipelineView     *self);
gboolean          cp_pipeline_view_get_busy    (CpPipelineView     *self);
void              cp_pipeline_view_set_loading (CpPipelineView     *self,
                                                const char         *title);

G_END_DECLS
