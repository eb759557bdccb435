/* cp-activity-import-task.c — an activity import on a worker thread with its own connection
 *
 * What the assistant runs: cp_activity_import_run() off the main thread,
 * its progress and its result handed back to the caller's main context.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-activity-import"

#include "config.h"

#include "cp-activity-import.h"
#include "cp-import-private.h"

/* ---- on a worker thread ---- */

typedef struct
{
  CpImportWorker           worker;   /* first: the task data is the worker's */
  CpActivityImportOptions  options;
  char                    *actor;
  char                    *file_name;
  char                    *mapping_path;
  CpActivityMapping       *mapping;
  CpActivityImportResult   result;
} ImportTask;

static void
import_task_free (ImportTask *task)
{
  _cp_import_worker_clear (&task->worker);
  g_free (task->actor);
  g_free (task->file_name);
  g_free (task->mapping_path);
  g_clear_pointer (&task->mapping, cp_activity_mapping_free);
  g_clear_pointer (&task->options.zone, g_time_zone_unref);
  cp_activity_import_result_clear (&task->result);
  g_free (task);
}

static gboolean
run_import (CpLeadStore     *store,
            CpCsvReader     *reader,
            gpointer         task_data,
            CpProgressFunc   progress,
            gpointer         progress_data,
            GCancellable    *cancellable,
            GError         **error)
{
  ImportTask *task = task_data;

  return cp_activity_import_run (store, reader, &task->options, progress, progress_data,
                                 cancellable, &task->result, error);
}

/**
 * cp_activity_import_run_async:
 * @progress: (nullable): called in the caller's main context
 *
 * cp_activity_import_run() on a worker thread with its own connection.
 */
void
cp_activity_import_run_async (const char                    *database_path,
                              const char                    *csv_path,
                              const CpActivityImportOptions *options,
                              CpProgressFunc                 progress,
                              gpointer                       progress_data,
                              GCancellable                  *cancellable,
                              GAsyncReadyCallback            callback,
                              gpointer                       user_data)
{
  ImportTask *task;

  g_return_if_fail (database_path != NULL && csv_path != NULL && options != NULL);

  task = g_new0 (ImportTask, 1);
  _cp_import_worker_init (&task->worker, database_path, csv_path, run_import, progress,
                          progress_data);
  task->options = *options;
  task->actor = g_strdup (options->actor);
  task->options.actor = task->actor;
  task->file_name = g_strdup (options->file_name);
  task->options.file_name = task->file_name;
  task->mapping_path = g_strdup (options->mapping_path);
  task->options.mapping_path = task->mapping_path;
  if (options->mapping != NULL)
    task->mapping = cp_activity_mapping_copy (options->mapping);
  task->options.mapping = task->mapping;
  if (options->zone != NULL)
    task->options.zone = g_time_zone_ref (options->zone);
  task->worker.phone_region = g_strdup (options->phone_region);
  task->options.phone_region = NULL;

  _cp_import_worker_start (&task->worker, cp_activity_import_run_async,
                           (GDestroyNotify) import_task_free, &task->result,
                           sizeof task->result, cancellable, callback, user_data);
}

/**
 * cp_activity_import_run_finish:
 * @out_result: (out caller-allocates): what happened
 */
gboolean
cp_activity_import_run_finish (GAsyncResult            *result,
                               CpActivityImportResult  *out_result,
                               GError                 **error)
{
  return _cp_import_worker_finish (result, cp_activity_import_run_async, out_result, error);
}
