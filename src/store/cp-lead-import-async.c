/* cp-lead-import-async.c — a lead import on a worker thread, with its own connection
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-import"

#include "config.h"

#include "cp-import-private.h"
#include "cp-lead-import.h"

typedef struct
{
  CpImportWorker   worker;   /* first: the task data is the worker's */
  CpImportOptions  options;
  char            *actor;
  CpImportMapping *mapping;
  CpImportResult   result;
} ImportTask;

static void
import_task_free (ImportTask *task)
{
  _cp_import_worker_clear (&task->worker);
  g_free (task->actor);
  g_clear_pointer (&task->mapping, cp_import_mapping_free);
  cp_import_result_clear (&task->result);
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

  return cp_lead_import_run (store, reader, &task->options, progress, progress_data, cancellable,
                             &task->result, error);
}

/**
 * cp_lead_import_run_async:
 * @progress: (nullable): called in the caller's main context
 *
 * cp_lead_import_run() on a worker thread with its own connection.
 */
void
cp_lead_import_run_async (const char             *database_path,
                          const char             *csv_path,
                          const CpImportOptions  *options,
                          CpProgressFunc          progress,
                          gpointer                progress_data,
                          GCancellable           *cancellable,
                          GAsyncReadyCallback     callback,
                          gpointer                user_data)
{
  ImportTask *task;

  g_return_if_fail (database_path != NULL && csv_path != NULL && options != NULL);

  task = g_new0 (ImportTask, 1);
  _cp_import_worker_init (&task->worker, database_path, csv_path, run_import, progress,
                          progress_data);
  task->options = *options;
  task->actor = g_strdup (options->actor);
  task->options.actor = task->actor;
  task->options.playbook = NULL;   /* loaded on the worker's connection */
  task->worker.phone_region = g_strdup (options->phone_region);
  task->options.phone_region = NULL;
  if (options->mapping != NULL)
    task->mapping = cp_import_mapping_copy (options->mapping, NULL);
  task->options.mapping = task->mapping;

  _cp_import_worker_start (&task->worker, cp_lead_import_run_async,
                           (GDestroyNotify) import_task_free, &task->result,
                           sizeof task->result, cancellable, callback, user_data);
}

/**
 * cp_lead_import_run_finish:
 * @out_result: (out caller-allocates): what happened
 */
gboolean
cp_lead_import_run_finish (GAsyncResult    *result,
                           CpImportResult  *out_result,
                           GError         **error)
{
  return _cp_import_worker_finish (result, cp_lead_import_run_async, out_result, error);
}
