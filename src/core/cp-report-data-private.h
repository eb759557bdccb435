/* cp-report-data-private.h — the inside of a CpReportData, for the file
 * that saves and loads it
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-report-data.h"

G_BEGIN_DECLS

typedef struct
{
  guint32 lead;
  guint16 stage;
  gint64  time;
} CpReportPendingEvent;

typedef struct
{
  GPtrArray  *values;   /* code → string; [0] = NULL */
  GHashTable *codes;    /* string → code */
} CpReportDictionary;

struct _CpReportData
{
  GArray             *rows;        /* CpReportLeadRow */
  GArray             *rowids;      /* gint64, ascending */
  GArray             *events;      /* CpReportEvent, grouped by lead */
  GArray             *offsets;     /* guint32 per lead + 1: where its events start */
  GArray             *pending;     /* CpReportPendingEvent, not yet in @events */
  CpReportDictionary  dicts[CP_REPORT_N_ATTRS];
  GHashTable         *marks;       /* name → gint64* */
  guint64             changes;     /* counts every change, for savers */
};

/* Moves the pending events into @events (a no-op when none are). */
void _cp_report_data_flush_pending (CpReportData *data);

G_END_DECLS
