/* cp-report-chart.h — a report's chart, with a tooltip on every bar
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cp-report.h"

G_BEGIN_DECLS

#define CP_TYPE_REPORT_CHART (cp_report_chart_get_type ())

G_DECLARE_FINAL_TYPE (CpReportChart, cp_report_chart, CP, REPORT_CHART, GtkWidget)

/* Shows @report (copied); NULL clears the chart. */
void            cp_report_chart_set_report (CpReportChart  *self,
                                            const CpReport *report);
const CpReport *cp_report_chart_get_report (CpReportChart  *self);
/* The row drawn at @x, @y, or -1. */
int             cp_report_chart_row_at     (CpReportChart  *self,
                                            double          x,
                                            double          y);

G_END_DECLS
