/* cp-activity-import-task.c — an activity import on a worker thread with its own connection
 *
 * What the assistant runs: cp_activity_import_run() off the main thread,
 * its progress and its result handed back to the caller's main context.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-activity-import"

#include "config.h"

#include <string.h>

#include "cp-activity-import.h"

/* ---- on a worker thread ---- */

typedef struct
{
  char                    *database_path;
  char                    *csv_path;
  CpActivityImportOptions  options;
  char                    *actor;
  char                    *file_name;
  char                    *mapping_path;
  CpActivityMapping       *mapping;
  CpProgressFunc           progress;
  gpointer                 progress_data;
  GMainContext            *context;
  CpActivityImportResult   result;
} ImportTask;

static void
import_task_free (ImportTask *task)
{
  g_free (task->database_path);
  g_free (task->csv_path);
  g_free (task->actor);
  g_free (task->file_name);
  g_free (task->mapping_path);
  g_clear_pointer (&task->mapping, cp_activity_mapping_free);
  g_clear_pointer (&task->options.zone, g_time_zone_unref);
  g_clear_pointer (&task->context, g_main_context_unref);
  cp_activity_import_result_clear (&task->result);
  g_free (task);
}

typedef struct
{
  ImportTask *task;
  guint       done;
  guint       total;
} Progress;

static gboolean
report_progress (gpointer data)
{
  Progress *progress = data;

  progress->task->progress (progress->done, progress->total, progress->task->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_from_thread (guint    done,
                      guint    total,
                      gpointer user_data)
{
  ImportTask *task = user_data;
  Progress *progress = g_new0 (Progress, 1);

  progress->task = task;
  progress->done = done;
  progress->total = total;
  g_main_context_invoke_full (task->context, G_PRIORITY_DEFAULT, report_progress, progress, g_free);
}

static void
import_thread (GTask        *gtask,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportTask *task = task_data;
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(CpCsvReader) reader = NULL;
  GError *error = NULL;
  gboolean ok;

  /* Its own connection: SQLite connections are not shared across threads. */
  reader = cp_csv_reader_new_for_path (task->csv_path, &error);
  if (reader != NULL)
    database = cp_database_open (task->database_path, &error);
  if (database == NULL)
    {
      g_task_return_error (gtask, error);
      return;
    }
  store = cp_lead_store_new (database);
  cp_database_set_bulk_writes (database, TRUE);
  ok = cp_activity_import_run (store, reader, &task->options,
                               task->progress != NULL ? progress_from_thread : NULL, task, cancellable,
                               &task->result, &error);
  cp_database_set_bulk_writes (database, FALSE);
  if (!ok)
    g_task_return_error (gtask, error);
  else
    g_task_return_boolean (gtask, TRUE);
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
  g_autoptr(GTask) gtask = NULL;
  ImportTask *task = g_new0 (ImportTask, 1);

  g_return_if_fail (database_path != NULL && csv_path != NULL && options != NULL);

  task->database_path = g_strdup (database_path);
  task->csv_path = g_strdup (csv_path);
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
  task->progress = progress;
  task->progress_data = progress_data;
  task->context = g_main_context_ref_thread_default ();

  gtask = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (gtask, cp_activity_import_run_async);
  g_task_set_task_data (gtask, task, (GDestroyNotify) import_task_free);
  g_task_run_in_thread (gtask, import_thread);
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
  ImportTask *task;

  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cp_activity_import_run_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  task = g_task_get_task_data (G_TASK (result));
  *out_result = task->result;
  memset (&task->result, 0, sizeof task->result);
  return TRUE;
}
