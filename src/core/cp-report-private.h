/* cp-report-private.h — what the report computations share
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-report.h"

G_BEGIN_DECLS

#define CP_REPORT_FILTER_ANY G_MAXUINT32

typedef struct
{
  CpReportData          *data;
  const CpReportOptions *options;
  CpReport              *report;
  gint64                 from;
  gint64                 to;
  /* Resolved filters: CP_REPORT_FILTER_ANY, or the code a lead must have
   * (a code no lead has when the value is unknown). */
  guint32                want[CP_REPORT_N_ATTRS];
  /* Stage code → position in the funnel / on the way to qualified, or -1. */
  int                   *funnel_pos;
  int                   *stage_pos;
  gboolean              *stage_closed;
  guint                  n_stage_codes;
  guint16               *funnel;        /* the funnel's stage codes */
  GStrv                  funnel_ids;    /* … and ids */
  guint                  n_funnel;
  int                    qualified_pos; /* in stage_pos terms; -1: none */
  GHashTable            *row_index;     /* key → row index + 1 */
  /* Collecting the leads behind one row. */
  const char            *collect_key;
  int                    collect_row;
  GArray                *collected;     /* gint64 rowids */
} CpReportContext;

gboolean     _cp_report_lead_passes  (CpReportContext *ctx,
                                      guint            index);
int          _cp_report_add_column   (CpReportContext *ctx,
                                      const char      *id,
                                      const char      *title,
                                      CpReportValueKind kind);
/* The row for @key, created (with zeros) on first use. */
guint        _cp_report_row          (CpReportContext *ctx,
                                      const char      *key,
                                      const char      *label);
/* Counts lead @index towards column @column of row @row. */
void         _cp_report_hit          (CpReportContext *ctx,
                                      guint            row,
                                      guint            column,
                                      guint            index);
double       _cp_report_value        (CpReportContext *ctx,
                                      guint            row,
                                      guint            column);
void         _cp_report_set          (CpReportContext *ctx,
                                      guint            row,
                                      guint            column,
                                      double           value);
/* A report of @kind with no columns nor rows yet. */
CpReport    *_cp_report_new          (CpReportKind     kind);
/* Median of @values; NAN when empty. */
double       _cp_report_median       (double          *values,
                                      gsize            n);
char        *_cp_report_value_label  (const char      *value);
/* The title beside @id in parallel @ids and @titles, or NULL. */
const char  *_cp_report_title_of     (GStrv            ids,
                                      GStrv            titles,
                                      const char      *id);
const char  *_cp_report_stage_title  (CpReportContext *ctx,
                                      const char      *stage);

void         _cp_report_compute_funnel   (CpReportContext *ctx);
void         _cp_report_compute_channels (CpReportContext *ctx);
void         _cp_report_compute_sla      (CpReportContext *ctx);
void         _cp_report_compute_closures (CpReportContext *ctx);
void         _cp_report_compute_sources  (CpReportContext *ctx);
void         _cp_report_compute_no_shows (CpReportContext *ctx);
void         _cp_report_compute_tiers    (CpReportContext *ctx);
void         _cp_report_compute_quality  (CpReportContext *ctx);

G_END_DECLS
