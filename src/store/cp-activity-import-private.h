/* cp-activity-import-private.h — how the activity import finds the lead a row is
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-activity-import.h"
#include "cp-lead-store.h"

G_BEGIN_DECLS

/* One run of cp_activity_import_run(): the file's columns, and the result
 * the rows are counted and reported into. */
typedef struct
{
  CpLeadStore                   *store;
  CpDatabase                    *database;
  const CpActivityImportOptions *options;
  CpActivityMapping             *mapping;
  CpActivityImportResult        *result;
  gint64                         now;
  GTimeZone                     *zone;
  guint                          column[CP_ACTIVITY_N_COLUMNS];   /* from 1; 0: none */
} CpActivityImport;

/* cp-activity-import.c: a row read */
void        _cp_activity_import_report_row   (CpActivityImport    *import,
                                              GPtrArray           *row,
                                              guint64              line,
                                              CpActivityRowStatus  status,
                                              const char          *reason,
                                              GStrv                candidates);
gboolean    _cp_activity_import_row_is_blank (GPtrArray           *row);
CpLead     *_cp_activity_import_row_person   (CpActivityImport    *import,
                                              GPtrArray           *row);
CpActivity *_cp_activity_import_row_activity (CpActivityImport    *import,
                                              GPtrArray           *row,
                                              guint64              line);

/* cp-activity-import-rows.c: the rows after the header, a batch to a transaction */
gboolean    _cp_activity_import_rows         (CpActivityImport    *import,
                                              CpCsvReader         *reader,
                                              CpProgressFunc       progress,
                                              gpointer             user_data,
                                              GCancellable        *cancellable,
                                              GError             **error);

/* Which stored lead a row is (_cp_activity_match()). */
typedef struct
{
  char             *lead_id;     /* (nullable) the lead the row is */
  CpImportEvidence  evidence;
  GStrv             candidates;  /* (nullable) two or more leads it could be: none is taken */
  char             *reason;      /* (nullable) why no lead is taken, in words */
  gboolean          shares_key;  /* a lead shares its phone: a new lead would be a duplicate */
} CpActivityMatch;

void     _cp_activity_match_clear (CpActivityMatch  *match);
gboolean _cp_activity_match       (CpLeadStore      *store,
                                   CpLead           *person,
                                   CpActivityMatch  *out_match,
                                   GError          **error);
char    *_cp_activity_external_id (CpActivityKind    kind,
                                   const char       *who,
                                   gint64            occurred_at,
                                   const char       *detail);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CpActivityMatch, _cp_activity_match_clear)

G_END_DECLS
