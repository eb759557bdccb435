/* cp-import-worker.c — what every import does on its worker thread, and its async set-up
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
 * _cp_import_worker_init:
 * @run: what the worker runs, with the task data
 * @progress: (nullable): called in the calling thread's main context
 */
void
_cp_import_worker_init (CpImportWorker   *worker,
                        const char       *database_path,
                        const char       *csv_path,
                        CpImportWorkerRun run,
                        CpProgressFunc    progress,
                        gpointer          progress_data)
{
  worker->database_path = g_strdup (database_path);
  worker->csv_path = g_strdup (csv_path);
  worker->run = run;
  _cp_progress_relay_init (&worker->relay, progress, progress_data);
}

void
_cp_import_worker_clear (CpImportWorker *worker)
{
  g_clear_pointer (&worker->database_path, g_free);
  g_clear_pointer (&worker->csv_path, g_free);
  g_clear_pointer (&worker->phone_region, g_free);
  _cp_progress_relay_clear (&worker->relay);
}

/* The GTask thread of every import (@task_data: a CpImportWorker first):
 * opens the file, then its own connection set for bulk writes
 * (cp_database_set_bulk_writes()), runs the import, ends the bulk writes
 * and returns whether it ran. */
static void
import_worker_thread (GTask        *gtask,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  CpImportWorker *worker = task_data;
  g_autoptr(CpCsvReader) reader = NULL;
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  GError *error = NULL;
  gboolean ok;

  reader = cp_csv_reader_new_for_path (worker->csv_path, &error);
  if (reader != NULL)
    database = cp_database_open (worker->database_path, &error);
  if (database == NULL)
    {
      g_task_return_error (gtask, error);
      return;
    }
  cp_database_set_bulk_writes (database, TRUE);
  store = cp_lead_store_new (database);
  if (worker->phone_region != NULL)
    cp_lead_store_set_default_region (store, worker->phone_region);
  ok = worker->run (store, reader, task_data, _cp_progress_relay_func (&worker->relay),
                    &worker->relay, cancellable, &error);
  cp_database_set_bulk_writes (database, FALSE);
  if (!ok)
    g_task_return_error (gtask, error);
  else
    g_task_return_boolean (gtask, TRUE);
}

/**
 * _cp_import_worker_start:
 * @worker: the first member of the task data, set up with _cp_import_worker_init()
 * @source_tag: the public `_async` function, checked by _cp_import_worker_finish()
 * @task_free: frees the task data, @worker included
 * @result: (out caller-allocates): in the task data, what the import fills
 * @result_size: its size
 *
 * Runs the import on a worker thread; @callback is called in the calling
 * thread's main context. Takes the task data.
 */
void
_cp_import_worker_start (CpImportWorker      *worker,
                         gpointer             source_tag,
                         GDestroyNotify       task_free,
                         gpointer             result,
                         gsize                result_size,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) gtask = g_task_new (NULL, cancellable, callback, user_data);

  worker->result = result;
  worker->result_size = result_size;
  g_task_set_source_tag (gtask, source_tag);
  g_task_set_task_data (gtask, worker, task_free);
  g_task_run_in_thread (gtask, import_worker_thread);
}

/**
 * _cp_import_worker_finish:
 * @source_tag: what _cp_import_worker_start() was given
 * @out_result: (out caller-allocates): takes the import's result, which
 *   the task data then no longer holds
 *
 * Returns: whether the import ran; if not, @error says why and
 *   @out_result is left alone
 */
gboolean
_cp_import_worker_finish (GAsyncResult  *result,
                          gpointer       source_tag,
                          gpointer       out_result,
                          GError       **error)
{
  CpImportWorker *worker;

  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  worker = g_task_get_task_data (G_TASK (result));
  memcpy (out_result, worker->result, worker->result_size);
  memset (worker->result, 0, worker->result_size);
  return TRUE;
}
