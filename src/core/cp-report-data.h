/* cp-report-data.h — a compact, column-wise copy of the leads and their
 * stage history that the reports are computed from
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The lead attributes reports group and filter by; each is held as a small
 * code into a per-attribute dictionary (code 0: no value). */
typedef enum
{
  CP_REPORT_ATTR_STAGE,
  CP_REPORT_ATTR_SOURCE_CHANNEL,
  CP_REPORT_ATTR_SERVICE_LINE,
  CP_REPORT_ATTR_LOCATION,
  CP_REPORT_ATTR_LEAD_TYPE,
  CP_REPORT_ATTR_OWNER,
  CP_REPORT_ATTR_QUEUE,
  CP_REPORT_ATTR_REFERRAL_SOURCE,
  CP_REPORT_ATTR_TIER,
  CP_REPORT_ATTR_CLOSURE_OUTCOME,
  CP_REPORT_ATTR_CLOSURE_REASON,
  CP_REPORT_ATTR_APPOINTMENT_STAGE,
  CP_REPORT_N_ATTRS
} CpReportAttr;

typedef enum
{
  CP_REPORT_LEAD_DELETED           = 1 << 0,  /* tombstoned or merged away */
  CP_REPORT_LEAD_POSSIBLE_DUPLICATE = 1 << 1,
  CP_REPORT_LEAD_MISSING_REQUIRED  = 1 << 2,  /* a required field of its stage is empty */
} CpReportLeadFlags;

/* One lead; times are unix seconds (0: never). */
typedef struct
{
  gint64  created_at;
  gint64  first_response_at;
  gint64  sla_due_at;
  guint16 attr[CP_REPORT_N_ATTRS];
  guint8  flags;
} CpReportLeadRow;

/* One move into a stage: @stage is a CP_REPORT_ATTR_STAGE code. Eight
 * bytes, not sixteen: the time has 48 bits (±4 million years of seconds;
 * cp_report_data_add_event() clamps), so millions of events take half
 * the memory, the file and the funnel's reads. */
#define CP_REPORT_EVENT_TIME_MAX ((G_GINT64_CONSTANT (1) << 47) - 1)
typedef struct
{
  gint64  time : 48;
  guint64 stage : 16;
} CpReportEvent;

G_STATIC_ASSERT (sizeof (CpReportEvent) == 8);

typedef struct _CpReportData CpReportData;

CpReportData    *cp_report_data_new             (void);
void             cp_report_data_free            (CpReportData    *data);
/* Forgets every lead, event, value and mark. */
void             cp_report_data_clear           (CpReportData    *data);

/* Interns @value in the dictionary of @attr; NULL and "" give 0. */
guint16          cp_report_data_intern          (CpReportData    *data,
                                                 CpReportAttr     attr,
                                                 const char      *value);
/* The value of a code, or NULL for 0 or an unknown code. */
const char      *cp_report_data_value           (const CpReportData *data,
                                                 CpReportAttr     attr,
                                                 guint16          code);
/* The code of @value, or 0 when no lead has it. */
guint16          cp_report_data_lookup          (const CpReportData *data,
                                                 CpReportAttr     attr,
                                                 const char      *value);
guint            cp_report_data_n_values        (const CpReportData *data,
                                                 CpReportAttr     attr);

/* Adds or replaces the lead with @rowid; returns its row. Rows are found by
 * rowid, and appending in ascending rowid order is the fast path. */
const CpReportLeadRow *cp_report_data_set_lead  (CpReportData    *data,
                                                 gint64           rowid,
                                                 const CpReportLeadRow *row);
/* Records a stage event of the lead @rowid (added with set_lead first);
 * FALSE when no such lead is known. */
gboolean         cp_report_data_add_event       (CpReportData    *data,
                                                 gint64           rowid,
                                                 const char      *stage,
                                                 gint64           time);

guint            cp_report_data_get_n_leads     (const CpReportData *data);
const CpReportLeadRow *cp_report_data_get_lead  (const CpReportData *data,
                                                 guint            index);
gint64           cp_report_data_get_rowid       (const CpReportData *data,
                                                 guint            index);
/* The stage events of lead @index in time order (events of equal time keep
 * the order they were added in). */
const CpReportEvent *cp_report_data_get_events  (CpReportData    *data,
                                                 guint            index,
                                                 guint           *n_events);

/* Bookkeeping for incremental refreshes by the store. */
gint64           cp_report_data_get_mark        (const CpReportData *data,
                                                 const char      *name);
void             cp_report_data_set_mark        (CpReportData    *data,
                                                 const char      *name,
                                                 gint64           value);

/* Grows with every change (a lead, an event, a mark): a saver compares it
 * with the count it saved at. */
guint64          cp_report_data_get_n_changes   (const CpReportData *data);
/* Whether the arrays are still those of the file the snapshot was loaded
 * from (changed where they lie at most): see cp_report_data_load_file(). */
gboolean         cp_report_data_is_mapped       (const CpReportData *data);

/* The snapshot as a file (see cp-report-data-file.c). @identity names what
 * the snapshot was read from; a file saved with another identity, of
 * another format version, cut short or damaged is refused with
 * G_FILE_ERROR_INVAL (and @data left empty). */
gboolean         cp_report_data_save_file       (CpReportData    *data,
                                                 const char      *path,
                                                 const char      *identity,
                                                 GError         **error);
gboolean         cp_report_data_load_file       (CpReportData    *data,
                                                 const char      *path,
                                                 const char      *identity,
                                                 GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpReportData, cp_report_data_free)

G_END_DECLS
