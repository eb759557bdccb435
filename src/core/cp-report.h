/* cp-report.h — the stage funnel and the pipeline reports, computed from a
 * CpReportData snapshot
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "cp-playbook.h"
#include "cp-report-data.h"

G_BEGIN_DECLS

typedef enum
{
  CP_REPORT_FUNNEL,     /* leads per stage, conversion, drop-off, time in stage */
  CP_REPORT_CHANNELS,   /* new leads per source channel over time */
  CP_REPORT_SLA,        /* response SLA compliance and first response by queue */
  CP_REPORT_CLOSURES,   /* closed leads by outcome and reason */
  CP_REPORT_SOURCES,    /* referral sources: leads, qualified, won */
  CP_REPORT_NO_SHOWS,   /* appointment no-show rate by location */
  CP_REPORT_TIERS,      /* score tier against outcome */
  CP_REPORT_QUALITY,    /* missing required fields, possible duplicates, no source */
  CP_REPORT_N_KINDS
} CpReportKind;

typedef enum
{
  /* A lead counts in a stage when it went through every earlier funnel
   * stage before it, in order (skipping a stage stops the count there,
   * unless the lead goes back and takes it later). */
  CP_FUNNEL_ORDERED,
  /* A lead counts in every stage it was ever in, whatever the order. */
  CP_FUNNEL_ANY,
} CpFunnelMode;

typedef enum
{
  CP_REPORT_DATE_CREATED,         /* the lead was created in the range */
  CP_REPORT_DATE_ENTERED_FIRST,   /* it first entered the funnel's first stage in it */
} CpReportDateBasis;

typedef enum
{
  CP_REPORT_VALUE_COUNT,
  CP_REPORT_VALUE_RATIO,   /* 0…1, shown as a percentage */
  CP_REPORT_VALUE_DAYS,
  CP_REPORT_VALUE_HOURS,
} CpReportValueKind;

typedef struct
{
  /* Range [from, to) in unix seconds; 0 leaves that end open. */
  gint64             from;
  gint64             to;
  CpReportDateBasis  date_basis;
  /* Equality filters; NULL = any. */
  char              *source_channel;
  char              *service_line;
  char              *location;
  char              *lead_type;
  char              *owner;
  CpFunnelMode       mode;
  /* Also compute the previous period of the same length (needs from). */
  gboolean           compare;
  /* The playbook's stages in order, their titles, and which are closed. */
  GStrv              stages;
  GStrv              stage_titles;
  GStrv              closed_stages;
  /* The funnel's stages in order; NULL: the open stages but
   * "reactivation" (a loop back), then the first closed one (the won
   * stage of the built-in playbook). */
  GStrv              funnel_stages;
  /* The playbook's lifecycle path (stages with a funnel position, in that
   * order): the default funnel when it has one. */
  GStrv              path_stages;
  /* From this stage on (playbook order, closed stages excluded) a lead
   * counts as qualified; NULL: "qualified", else the third stage. */
  char              *qualified_stage;
  /* The playbook's queues and their titles, for the SLA report. */
  GStrv              queues;
  GStrv              queue_titles;
  /* "Now", for time spent in the current stage and pending SLAs. */
  gint64             now;
} CpReportOptions;

typedef struct
{
  char              *id;      /* as in JSON and CSV */
  char              *title;   /* translated */
  CpReportValueKind  kind;
} CpReportColumn;

typedef struct
{
  char   *key;        /* the canonical value the row stands for */
  char   *label;      /* as a person reads it */
  double *values;     /* one per column; NAN: does not apply */
  double *previous;   /* (nullable) the previous period's values */
} CpReportRow;

typedef struct
{
  CpReportKind  kind;
  const char   *id;          /* "funnel", "channels", … */
  char         *title;
  const char   *rows_name;   /* JSON name of the rows array: "stages", … */
  const char   *key_name;    /* JSON name of a row's key: "stage", … */
  GPtrArray    *columns;     /* CpReportColumn */
  GPtrArray    *rows;        /* CpReportRow */
  guint         chart_column;   /* the column the chart draws */
  /* The columns from this one on are series drawn stacked per row (the
   * channels over time); G_MAXUINT: a single series. */
  guint         series_from;
  guint         n_leads;        /* leads the filters let through */
  gboolean      compared;
  gint64        previous_from;
  gint64        previous_to;
  guint         previous_n_leads;
} CpReport;

#define CP_TYPE_REPORT (cp_report_get_type ())
#define CP_TYPE_REPORT_OPTIONS (cp_report_options_get_type ())

GType            cp_report_get_type          (void) G_GNUC_CONST;
GType            cp_report_options_get_type  (void) G_GNUC_CONST;

CpReportOptions *cp_report_options_new       (void);
CpReportOptions *cp_report_options_copy      (const CpReportOptions *options);
void             cp_report_options_free      (CpReportOptions *options);
/* Takes the stages, titles and closed stages from @playbook. */
void             cp_report_options_set_playbook (CpReportOptions *options,
                                                 const CpPlaybook *playbook);
GStrv            cp_report_default_funnel_stages (const CpReportOptions *options);
/* One line naming the filters, for the head of an exported page. */
char            *cp_report_options_describe  (const CpReportOptions *options);

const char      *cp_report_kind_to_id        (CpReportKind     kind);
gboolean         cp_report_kind_from_id      (const char      *id,
                                              CpReportKind    *out_kind);
const char      *cp_report_kind_title        (CpReportKind     kind);
/* What the report counts and how, for the view's help. */
const char      *cp_report_kind_explain      (CpReportKind     kind);

CpReport        *cp_report_compute           (CpReportData    *data,
                                              CpReportKind     kind,
                                              const CpReportOptions *options);
/* The rowids of the leads behind row @key of the report (for the funnel:
 * the leads counted in that stage), in rowid order. */
GArray          *cp_report_collect_leads     (CpReportData    *data,
                                              CpReportKind     kind,
                                              const CpReportOptions *options,
                                              const char      *key);
void             cp_report_free              (CpReport        *report);

const CpReportRow *cp_report_find_row        (const CpReport  *report,
                                              const char      *key);
int              cp_report_find_column       (const CpReport  *report,
                                              const char      *id);
/* A value as the table shows it ("42", "61.5 %", "3.2 days"); "—" for NAN. */
char            *cp_report_format_value      (CpReportValueKind kind,
                                              double           value);
/* A change from @previous to @value: "+12", "-3.5 pts", "+0.4"; "—" when
 * either does not apply. */
char            *cp_report_format_change     (CpReportValueKind kind,
                                              double           value,
                                              double           previous);
/* The whole report as CSV: a header, then one line per row; with a
 * comparison, each figure is followed by its previous value and change. */
char            *cp_report_to_csv            (const CpReport  *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpReport, cp_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpReportOptions, cp_report_options_free)

G_END_DECLS
