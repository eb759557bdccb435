/* cp-lead-store-query-async.c — reads a view waits for, made on one worker thread in turn
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-store"

#include "config.h"

#include "cp-lead-store-query-private.h"
#include "cp-lead-store-private.h"

/* The board asks for its stage summaries and the first page of each of its
 * columns at once. They go to one thread, one after the other, on one read
 * connection (opened for the first, closed when none is left): on two
 * cores, ten readers at once would take the main thread's core while it
 * builds the first frame. */

typedef struct
{
  char               *path;
  char               *region;
  CpLeadStoreReadFunc func;
  gpointer            job;
  GDestroyNotify      job_free;
  GDestroyNotify      result_free;
} ReadRequest;

static void
read_request_free (ReadRequest *request)
{
  g_free (request->path);
  g_free (request->region);
  if (request->job_free != NULL)
    request->job_free (request->job);
  g_free (request);
}

/* Touched by the pool's thread only (it runs one request at a time). */
static CpLeadStore *reader_store;
static char *reader_path;

static void
close_reader (void)
{
  g_clear_object (&reader_store);
  g_clear_pointer (&reader_path, g_free);
}

static CpLeadStore *
open_reader (const char  *path,
             GError     **error)
{
  g_autoptr(CpDatabase) database = NULL;

  if (reader_store != NULL && g_strcmp0 (reader_path, path) == 0)
    return reader_store;
  close_reader ();
  database = cp_database_open_readonly (path, error);
  if (database == NULL)
    return NULL;
  reader_store = cp_lead_store_new (database);
  reader_path = g_strdup (path);

  return reader_store;
}

static GThreadPool *reader_pool;

static void
reader_run (gpointer data,
            gpointer pool_data)
{
  g_autoptr(GTask) task = data;
  ReadRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  CpLeadStore *store;
  gpointer result = NULL;

  if (!g_task_return_error_if_cancelled (task))
    {
      store = open_reader (request->path, &error);
      if (store != NULL)
        {
          cp_lead_store_set_default_region (store, request->region);
          result = request->func (store, request->job, &error);
        }
      if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, result, request->result_free);
    }
  if (g_thread_pool_unprocessed (reader_pool) == 0)
    close_reader ();
}

static gpointer
create_pool (gpointer data)
{
  return g_thread_pool_new (reader_run, NULL, 1, FALSE, NULL);
}

/**
 * _cp_lead_store_read_async:
 * @func: the read, called with a store on the worker's own read connection
 *   (with @self itself, on the calling thread, for a database without a
 *   file); returns the result or %NULL with its error
 * @job: (transfer full): what @func reads, freed with @job_free
 * @source_tag: the public function's, checked by its _finish
 *
 * Queues @func behind the reads asked for before it; @callback gets a
 * task (without source object) whose pointer is @func's result.
 */
void
_cp_lead_store_read_async (CpLeadStore         *self,
                           CpLeadStoreReadFunc  func,
                           gpointer             job,
                           GDestroyNotify       job_free,
                           GDestroyNotify       result_free,
                           gpointer             source_tag,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  static GOnce pool_once = G_ONCE_INIT;
  g_autoptr(GTask) task = NULL;
  ReadRequest *request = g_new0 (ReadRequest, 1);
  const char *path = cp_database_get_path (self->database);

  request->func = func;
  request->job = job;
  request->job_free = job_free;
  request->result_free = result_free;
  /* No source object: a view closed during the read lets go of the store
   * at once, not when the worker is done. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, request, (GDestroyNotify) read_request_free);

  if (path == NULL || *path == '\0' || g_str_equal (path, ":memory:"))
    {
      GError *error = NULL;
      gpointer result = func (self, job, &error);

      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, result, result_free);
      return;
    }

  request->path = g_strdup (path);
  request->region = g_strdup (self->default_region);
  reader_pool = g_once (&pool_once, create_pool, NULL);
  g_thread_pool_push (reader_pool, g_steal_pointer (&task), NULL);
}

static gpointer
read_summaries (CpLeadStore  *store,
                gpointer      job,
                GError      **error)
{
  return cp_lead_store_stage_summaries (store, job, error);
}

/**
 * cp_lead_store_stage_summaries_async:
 * @query: (nullable): as for cp_lead_store_stage_summaries(); its `now`,
 *   when 0, is the store's clock at this call
 *
 * cp_lead_store_stage_summaries() on the store's read worker.
 */
void
cp_lead_store_stage_summaries_async (CpLeadStore         *self,
                                     const CpLeadQuery   *query,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  CpLeadQuery *copy;

  g_return_if_fail (CP_IS_LEAD_STORE (self));

  copy = query != NULL ? cp_lead_query_copy (query) : cp_lead_query_new ();
  if (copy->now == 0)
    copy->now = cp_lead_store_now (self);
  _cp_lead_store_read_async (self, read_summaries, copy, (GDestroyNotify) cp_lead_query_free,
                             (GDestroyNotify) g_ptr_array_unref,
                             cp_lead_store_stage_summaries_async, cancellable, callback,
                             user_data);
}

/**
 * cp_lead_store_stage_summaries_finish:
 * @result: what cp_lead_store_stage_summaries_async() gave its callback
 *
 * Returns: (transfer full) (element-type CpStageSummary) (nullable): the
 *   summaries, or %NULL with @error set
 */
GPtrArray *
cp_lead_store_stage_summaries_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cp_lead_store_stage_summaries_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
