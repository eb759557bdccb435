/* cp-import-private.h — what the import's mapping gives the import itself
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-csv-reader.h"
#include "cp-import.h"

G_BEGIN_DECLS

/* cp-import-result.c */
void           _cp_import_result_init   (CpImportResult   *result);
void           _cp_import_reject        (CpImportResult   *result,
                                         guint64           line,
                                         guint             column,
                                         const char       *reason);
void           _cp_import_keep_rejected_row (CpImportResult *result,
                                             GPtrArray      *row);
void           _cp_import_result_set_header (CpImportResult *result,
                                             GPtrArray      *header);

/* cp-import-worker.c: an import on a worker thread */
typedef struct
{
  CpProgressFunc  func;
  gpointer        data;
  GMainContext   *context;
} CpProgressRelay;

void           _cp_progress_relay_init  (CpProgressRelay  *relay,
                                         CpProgressFunc    func,
                                         gpointer          data);
void           _cp_progress_relay_clear (CpProgressRelay  *relay);
CpProgressFunc _cp_progress_relay_func  (CpProgressRelay  *relay);
/* What an import runs on the worker: @task is the task data, whose first
 * member is its CpImportWorker. */
typedef gboolean (*CpImportWorkerRun) (CpLeadStore     *store,
                                       CpCsvReader     *reader,
                                       gpointer         task,
                                       CpProgressFunc   progress,
                                       gpointer         progress_data,
                                       GCancellable    *cancellable,
                                       GError         **error);

typedef struct
{
  char              *database_path;
  char              *csv_path;
  CpProgressRelay    relay;
  CpImportWorkerRun  run;
  char              *phone_region;  /* (nullable) the region the worker's store reads phones in */
  gpointer           result;        /* in the task data: what the finish hands over */
  gsize              result_size;
} CpImportWorker;

void           _cp_import_worker_init   (CpImportWorker   *worker,
                                         const char       *database_path,
                                         const char       *csv_path,
                                         CpImportWorkerRun run,
                                         CpProgressFunc    progress,
                                         gpointer          progress_data);
void           _cp_import_worker_clear  (CpImportWorker   *worker);
void           _cp_import_worker_start  (CpImportWorker   *worker,
                                         gpointer          source_tag,
                                         GDestroyNotify    task_free,
                                         gpointer          result,
                                         gsize             result_size,
                                         GCancellable     *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer          user_data);
gboolean       _cp_import_worker_finish (GAsyncResult     *result,
                                         gpointer          source_tag,
                                         gpointer          out_result,
                                         GError          **error);

/* cp-import-ahead.c: the first records read ahead */
typedef struct
{
  GQueue records;
} CpImportAhead;

void           _cp_import_ahead_clear   (CpImportAhead    *ahead);
guint          _cp_import_ahead_read    (CpImportAhead    *ahead,
                                         CpCsvReader      *reader,
                                         guint             max_rows);
GPtrArray     *_cp_import_ahead_next    (CpImportAhead    *ahead,
                                         CpCsvReader      *reader,
                                         guint64          *out_line,
                                         guint            *out_column,
                                         GError          **error);

const char          *_cp_import_stage_for            (CpPlaybook       *playbook,
                                                      const char       *value);
const char          *_cp_import_choice_for           (CpLeadField       field,
                                                      const char       *value);
const char          *_cp_import_value_for            (CpPlaybook       *playbook,
                                                      CpLeadField       field,
                                                      const char       *value);
gboolean             _cp_import_column_is_computed   (const char       *header,
                                                      CpLeadField      *out_field);
char                *_cp_import_header_key           (const char       *header);

/* Which stored lead a row is (_cp_import_find()). */
typedef struct
{
  char             *lead_id;    /* (nullable) the lead the row is */
  CpImportEvidence  evidence;
  char             *possible;   /* (nullable) else a lead it may be: flagged, not merged */
} CpImportFound;

void                 _cp_import_found_clear          (CpImportFound    *found);
gboolean             _cp_import_find                 (CpLeadStore      *store,
                                                      CpLead           *row,
                                                      const char       *remote_id,
                                                      CpImportFound    *out_found,
                                                      GError          **error);
gboolean             _cp_import_merge                (CpLeadStore      *store,
                                                      CpImportMapping  *mapping,
                                                      CpLead           *row,
                                                      const char       *lead_id,
                                                      CpImportDuplicates policy,
                                                      const char       *actor,
                                                      gboolean         *out_changed,
                                                      GError          **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CpImportFound, _cp_import_found_clear)

G_END_DECLS
