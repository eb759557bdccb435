/* cp-import-worker.c — what every import does on its worker thread: its own connection, progress handed back
 *
 * A lead import and an activity import both run off the main thread:
 * each opens the file and its own connection there (SQLite connections
 * are not shared across threads), and hands its progress back to the
 * main context of the thread that started it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-import"

#include "config.h"

#include <string.h>

#include "cp-import-private.h"
#include "cp-lead-import.h"
#include "cp-main-context.h"

/**
 * _cp_progress_relay_init:
 * @func: (nullable): what to call with the progress, in the calling
 *   thread's main context
 *
 * Remembers the calling thread's main context, to call @func there later.
 */
void
_cp_progress_relay_init (CpProgressRelay *relay,
                         CpProgressFunc   func,
                         gpointer         data)
{
  relay->func = func;
  relay->data = data;
  relay->context = g_main_context_ref_thread_default ();
}

void
_cp_progress_relay_clear (CpProgressRelay *relay)
{
  g_clear_pointer (&relay->context, g_main_context_unref);
}

typedef struct
{
  CpProgressRelay *relay;
  guint            done;
  guint            total;
} Progress;

static gboolean
report_progress (gpointer data)
{
  Progress *progress = data;

  progress->relay->func (progress->done, progress->total, progress->relay->data);
  return G_SOURCE_REMOVE;
}

static void
progress_from_thread (guint    done,
                      guint    total,
                      gpointer user_data)
{
  CpProgressRelay *relay = user_data;
  Progress *progress = g_new0 (Progress, 1);

  progress->relay = relay;
  progress->done = done;
  progress->total = total;
  cp_main_context_post (relay->context, G_PRIORITY_DEFAULT, report_progress, progress, g_free);
}

/**
 * _cp_progress_relay_func:
 *
 * Returns: (nullable): the progress function a worker calls with the
 *   relay as its data, or %NULL when nobody listens
 */
CpProgressFunc
_cp_progress_relay_func (CpProgressRelay *relay)
{
  return relay->func != NULL ? progress_from_thread : NULL;
}

/**
 * _cp_import_worker_open:
 * @out_reader: (out): the file's reader
 * @out_store: (out): a store on a connection of the worker's own, set for
 *   bulk writes (cp_database_set_bulk_writes())
 *
 * On the worker thread: opens the file, then the database.
 */
gboolean
_cp_import_worker_open (const char    *database_path,
                        const char    *csv_path,
                        CpCsvReader  **out_reader,
                        CpLeadStore  **out_store,
                        GError       **error)
{
  g_autoptr(CpCsvReader) reader = NULL;
  g_autoptr(CpDatabase) database = NULL;

  reader = cp_csv_reader_new_for_path (csv_path, error);
  if (reader == NULL)
    return FALSE;
  database = cp_database_open (database_path, error);
  if (database == NULL)
    return FALSE;
  cp_database_set_bulk_writes (database, TRUE);
  *out_reader = g_steal_pointer (&reader);
  *out_store = cp_lead_store_new (database);
  return TRUE;
}

/**
 * _cp_import_worker_close:
 *
 * Ends the bulk writes _cp_import_worker_open() began and lets go of the
 * store and the reader.
 */
void
_cp_import_worker_close (CpCsvReader *reader,
                         CpLeadStore *store)
{
  cp_database_set_bulk_writes (cp_lead_store_get_database (store), FALSE);
  g_object_unref (store);
  cp_csv_reader_free (reader);
}

/* ---- a lead import on a worker thread ---- */

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
