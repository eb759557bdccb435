/* cp-report-render.h — a report drawn with Cairo: the chart in the view,
 * and the PNG and PDF pages; the report as JSON
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "cp-report.h"

G_BEGIN_DECLS

typedef struct
{
  double r, g, b, a;
} CpReportColor;

#define CP_REPORT_N_SERIES_COLORS 12

typedef struct
{
  CpReportColor foreground;
  CpReportColor background;   /* alpha 0: leave the surface as it is */
  CpReportColor accent;
  CpReportColor previous;     /* the comparison period */
  CpReportColor grid;
  CpReportColor series[CP_REPORT_N_SERIES_COLORS];
} CpReportPalette;

/* Where a bar was drawn, for tooltips and clicks. */
typedef struct
{
  double x, y, width, height;
  guint  row;
} CpReportHitArea;

/* The most rows a bar chart draws; the table lists them all. */
#define CP_REPORT_CHART_MAX_ROWS 12

void     cp_report_palette_init       (CpReportPalette       *palette,
                                       gboolean               dark);

/* Draws the chart of @report into the rectangle at 0, 0; returns the bars'
 * areas (transfer full, element-type CpReportHitArea). */
GArray  *cp_report_render_chart       (cairo_t               *cr,
                                       const CpReport        *report,
                                       const CpReportPalette *palette,
                                       double                 width,
                                       double                 height);
/* What hovering over row @row shows: every figure, and the change. */
char    *cp_report_row_tooltip        (const CpReport        *report,
                                       guint                  row);

/* A titled page: title, filters, date, chart, then the figures. */
gboolean cp_report_export_png         (const CpReport        *report,
                                       const CpReportOptions *options,
                                       const char            *path,
                                       int                    width,
                                       int                    height,
                                       GError               **error);
gboolean cp_report_export_pdf         (const CpReport        *report,
                                       const CpReportOptions *options,
                                       const char            *path,
                                       GError               **error);
gboolean cp_report_export_csv         (const CpReport        *report,
                                       const char            *path,
                                       GError               **error);
/* {"report": id, "title", "filters", "<rows_name>": [{key, label, figures…,
 * "previous": {…}}], "leads": n} */
char    *cp_report_to_json            (const CpReport        *report,
                                       const CpReportOptions *options);

G_END_DECLS
