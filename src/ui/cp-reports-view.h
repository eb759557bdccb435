/* cp-reports-view.h — the funnel and the pipeline reports, with filters,
 * period comparison and export
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-lead-store.h"
#include "cp-playbook.h"
#include "cp-report.h"

G_BEGIN_DECLS

#define CP_TYPE_REPORTS_VIEW (cp_reports_view_get_type ())

G_DECLARE_FINAL_TYPE (CpReportsView, cp_reports_view, CP, REPORTS_VIEW, AdwBin)

void             cp_reports_view_set_store    (CpReportsView *self,
                                               CpLeadStore   *store,
                                               CpPlaybook    *playbook);
void             cp_reports_view_set_playbook (CpReportsView *self,
                                               CpPlaybook    *playbook);
void             cp_reports_view_select       (CpReportsView *self,
                                               CpReportKind   kind);
/* The report on show (NULL until the first one is computed). */
const CpReport  *cp_reports_view_get_report   (CpReportsView *self);
/* The options the filters make now (transfer full). */
CpReportOptions *cp_reports_view_dup_options  (CpReportsView *self);

G_END_DECLS
