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

/* A snapshot read from a file: its arrays where they lie in the file's
 * private mapping (no copy, no page to clear). A changed lead is written
 * where it lies (the mapping made writable: only the pages written are
 * copied); a new lead, or a save, copies the arrays into the snapshot's
 * own. */
typedef struct
{
  void                  *base;
  gsize                  size;
  gboolean               writable;
  const gint64          *rowids;
  const CpReportLeadRow *rows;
  const CpReportEvent   *events;
  const guint32         *offsets;
  guint                  n_leads;
  guint                  n_events;
} CpReportMapping;

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
  CpReportMapping    *mapping;     /* when set, the arrays above are unused */
  /* With a mapping and pending events: each lead with pending events,
   * its mapped and pending events merged (lead index → GArray), built when
   * read; a bit per lead says which leads have one. */
  GHashTable         *merged;
  guint8             *merged_mask;
  guint               merged_pending;   /* pending->len when @merged was built */
};

/* The arrays, wherever they lie. */
static inline guint
_cp_report_data_n_leads (const CpReportData *data)
{
  return data->mapping != NULL ? data->mapping->n_leads : data->rows->len;
}

static inline const gint64 *
_cp_report_data_rowids (const CpReportData *data)
{
  return data->mapping != NULL ? data->mapping->rowids : (const gint64 *) data->rowids->data;
}

static inline const CpReportLeadRow *
_cp_report_data_rows (const CpReportData *data)
{
  return data->mapping != NULL ? data->mapping->rows : (const CpReportLeadRow *) data->rows->data;
}

static inline guint
_cp_report_data_n_events (const CpReportData *data)
{
  return data->mapping != NULL ? data->mapping->n_events : data->events->len;
}

static inline const CpReportEvent *
_cp_report_data_events (const CpReportData *data)
{
  return data->mapping != NULL ? data->mapping->events : (const CpReportEvent *) data->events->data;
}

/* Valid (n_leads + 1 entries) only when no event is pending. */
static inline const guint32 *
_cp_report_data_offsets (const CpReportData *data)
{
  return data->mapping != NULL ? data->mapping->offsets : (const guint32 *) data->offsets->data;
}

/* Copies a mapped snapshot into its own arrays and lets the mapping go
 * (before any change). */
void     _cp_report_data_own           (CpReportData    *data);
void     _cp_report_mapping_free       (CpReportMapping *mapping);
/* Lets the mapping's pages be written (each copied when first written);
 * FALSE when the system refuses. */
gboolean _cp_report_mapping_make_writable (CpReportMapping *mapping);

/* Moves the pending events into @events (a no-op when none are). */
void _cp_report_data_flush_pending (CpReportData *data);

G_END_DECLS
