/* cp-import-worker.c — what every import does on its worker thread: its own connection, progress handed back
 *
 * A lead import and an activity import both run off the main thread:
 * each opens the file and its own connection there (SQLite connections
 * are not shared across threads), and hands its progress back to the
 * main context of the thread that started it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-import"

#include "config.h"

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
  _cp_progress_relay_clear (&worker->relay);
}

/**
 * _cp_import_worker_thread:
 * @task_data: the task's data, a CpImportWorker first
 *
 * The GTask thread of every import: opens the file, then its own
 * connection set for bulk writes (cp_database_set_bulk_writes()), runs
 * the import, ends the bulk writes and returns whether it ran.
 */
void
_cp_import_worker_thread (GTask        *gtask,
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
  ok = worker->run (store, reader, task_data, _cp_progress_relay_func (&worker->relay),
                    &worker->relay, cancellable, &error);
  cp_database_set_bulk_writes (database, FALSE);
  if (!ok)
    g_task_return_error (gtask, error);
  else
    g_task_return_boolean (gtask, TRUE);
}
