/* cp-lead-import-async.c — a lead import on a worker thread, with its own connection
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-import"

#include "config.h"

#include <string.h>

#include "cp-import-private.h"
#include "cp-lead-import.h"

typedef struct
{
  char            *database_path;
  char            *csv_path;
  CpImportOptions  options;
  char            *actor;
  CpImportMapping *mapping;
  CpProgressRelay  relay;
  CpImportResult   result;
} ImportTask;

static void
import_task_free (ImportTask *task)
{
  g_free (task->database_path);
  g_free (task->csv_path);
  g_free (task->actor);
  g_clear_pointer (&task->mapping, cp_import_mapping_free);
  _cp_progress_relay_clear (&task->relay);
  cp_import_result_clear (&task->result);
  g_free (task);
}

static void
import_thread (GTask        *gtask,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportTask *task = task_data;
  CpCsvReader *reader = NULL;
  CpLeadStore *store = NULL;
  GError *error = NULL;
  gboolean ok;

  if (!_cp_import_worker_open (task->database_path, task->csv_path, &reader, &store, &error))
    {
      g_task_return_error (gtask, error);
      return;
    }
  ok = cp_lead_import_run (store, reader, &task->options,
                           _cp_progress_relay_func (&task->relay), &task->relay, cancellable,
                           &task->result, &error);
  _cp_import_worker_close (reader, store);
  if (!ok)
    g_task_return_error (gtask, error);
  else
    g_task_return_boolean (gtask, TRUE);
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
  g_autoptr(GTask) gtask = NULL;
  ImportTask *task = g_new0 (ImportTask, 1);

  g_return_if_fail (database_path != NULL && csv_path != NULL && options != NULL);

  task->database_path = g_strdup (database_path);
  task->csv_path = g_strdup (csv_path);
  task->options = *options;
  task->actor = g_strdup (options->actor);
  task->options.actor = task->actor;
  task->options.playbook = NULL;   /* loaded on the worker's connection */
  if (options->mapping != NULL)
    task->mapping = cp_import_mapping_copy (options->mapping, NULL);
  task->options.mapping = task->mapping;
  _cp_progress_relay_init (&task->relay, progress, progress_data);

  gtask = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (gtask, cp_lead_import_run_async);
  g_task_set_task_data (gtask, task, (GDestroyNotify) import_task_free);
  g_task_run_in_thread (gtask, import_thread);
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
  ImportTask *task;

  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cp_lead_import_run_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  task = g_task_get_task_data (G_TASK (result));
  *out_result = task->result;
  memset (&task->result, 0, sizeof task->result);
  return TRUE;
}
