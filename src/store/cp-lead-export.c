/* cp-lead-export.c — leads to CSV, every canonical field and custom field, streamed
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-export"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-csv-writer.h"
#include "cp-database-private.h"
#include "cp-lead-columns.h"
#include "cp-lead-export.h"
#include "cp-main-context.h"
#include "cp-lead-store-query-private.h"
#include "cp-lead-store-private.h"

/* Rows go out in batches: memory stays bounded however many leads there
 * are, and a cancel is seen within a batch. */
#define BATCH_ROWS 1000

typedef struct
{
  CpLeadStore              *store;
  GOutputStream            *out;
  GCancellable             *cancellable;
  CpLeadExportProgressFunc  progress;
  gpointer                  progress_data;
  GPtrArray                *custom_keys;   /* sorted */
  GString                  *buffer;
  guint                     done;
  guint                     total;
} Writer;

static void
writer_clear (Writer *w)
{
  g_clear_pointer (&w->custom_keys, g_ptr_array_unref);
  if (w->buffer != NULL)
    g_string_free (g_steal_pointer (&w->buffer), TRUE);
}

static gboolean
flush_batch (Writer  *w,
             GError **error)
{
  if (g_cancellable_set_error_if_cancelled (w->cancellable, error))
    return FALSE;
  if (w->buffer->len > 0 &&
      !g_output_stream_write_all (w->out, w->buffer->str, w->buffer->len, NULL, w->cancellable, error))
    return FALSE;
  g_string_truncate (w->buffer, 0);
  if (w->progress != NULL)
    w->progress (w->done, w->total, w->progress_data);

  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The custom field keys any exported lead has, in name order. */
static gboolean
collect_custom_keys (Writer             *w,
                     const CpLeadQuery  *query,
                     const char * const *ids,
                     GError            **error)
{
  CpDatabase *database = w->store->database;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  w->custom_keys = g_ptr_array_new_with_free_func (g_free);
  if (ids != NULL)
    {
      stmt = _cp_database_statement (database, CP_STMT_LEAD_CUSTOM_GET, error);
      if (stmt == NULL)
        return FALSE;
      for (guint i = 0; ids[i] != NULL && rc == SQLITE_DONE; i++)
        {
          sqlite3_bind_text (stmt, 1, ids[i], -1, SQLITE_TRANSIENT);
          while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
            if (!g_hash_table_contains (seen, _cp_column_text (stmt, 0)))
              {
                char *key = g_strdup (_cp_column_text (stmt, 0));
                g_hash_table_add (seen, key);
                g_ptr_array_add (w->custom_keys, key);
              }
          sqlite3_reset (stmt);
        }
      g_ptr_array_sort (w->custom_keys, compare_strings);
    }
  else
    {
      g_autoptr(GString) sql = g_string_new ("SELECT DISTINCT key FROM lead_custom_fields AS c"
                                             " WHERE EXISTS (SELECT 1 FROM leads");
      g_autoptr(GPtrArray) text_params = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GArray) int_params = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GString) kinds = g_string_new (NULL);

      _cp_lead_store_build_where (w->store, query, sql, text_params, int_params, kinds);
      g_string_append (sql, " AND leads.id = c.lead_id) ORDER BY key");
      stmt = _cp_database_prepare (database, sql->str, error);
      if (stmt == NULL)
        return FALSE;
      _cp_lead_store_bind_where (stmt, text_params, int_params, kinds);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (w->custom_keys, g_strdup (_cp_column_text (stmt, 0)));
      sqlite3_finalize (stmt);
    }

  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (database, error, rc, _("Could not read custom fields"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_header (Writer  *w,
              GError **error)
{
  g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);

  for (guint f = 0; f < CP_LEAD_N_FIELDS; f++)
    g_ptr_array_add (row, g_strdup (cp_lead_field_info (f)->name));
  for (guint k = 0; k < w->custom_keys->len; k++)
    g_ptr_array_add (row, g_strconcat ("custom.", (const char *) w->custom_keys->pdata[k], NULL));
  cp_csv_append_row (w->buffer, (const char * const *) row->pdata, row->len);

  return flush_batch (w, error);
}

static gboolean
write_lead (Writer  *w,
            CpLead  *lead,
            GError **error)
{
  g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);

  for (guint f = 0; f < CP_LEAD_N_FIELDS; f++)
    g_ptr_array_add (row, cp_lead_dup_field_string (lead, f));
  for (guint k = 0; k < w->custom_keys->len; k++)
    g_ptr_array_add (row, g_strdup (cp_lead_get_custom (lead, w->custom_keys->pdata[k])));
  cp_csv_append_row (w->buffer, (const char * const *) row->pdata, row->len);

  w->done++;
  if (w->done % BATCH_ROWS == 0)
    return flush_batch (w, error);
  return TRUE;
}

static gboolean
load_custom (Writer  *w,
             CpLead  *lead,
             GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (w->custom_keys->len == 0)
    return TRUE;
  stmt = _cp_database_statement (w->store->database, CP_STMT_LEAD_CUSTOM_GET, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, cp_lead_get_id (lead), -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    cp_lead_set_custom (lead, _cp_column_text (stmt, 0), _cp_column_text (stmt, 1));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (w->store->database, error, rc, _("Could not read custom fields"));
      return FALSE;
    }
  return TRUE;
}

/* Every lead of @query in its order, read by one statement as it goes. */
static gboolean
write_query_rows (Writer             *w,
                  const CpLeadQuery  *query,
                  GError            **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " CP_LEAD_SELECT_COLUMNS " FROM leads");
  g_autoptr(GPtrArray) text_params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) int_params = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) kinds = g_string_new (NULL);
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  int rc;

  _cp_lead_store_build_where (w->store, query, sql, text_params, int_params, kinds);
  _cp_lead_query_append_order (query, sql);
  stmt = _cp_database_prepare (w->store->database, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  _cp_lead_store_bind_where (stmt, text_params, int_params, kinds);

  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CpLead) lead = _cp_lead_from_row (stmt);

      ok = load_custom (w, lead, error) && write_lead (w, lead, error);
    }
  sqlite3_finalize (stmt);
  if (ok && rc != SQLITE_DONE)
    {
      _cp_database_set_error (w->store->database, error, rc, _("Could not list leads"));
      return FALSE;
    }
  return ok;
}

static gboolean
write_csv (Writer             *w,
           const CpLeadQuery  *query,
           const char * const *ids,
           GError            **error)
{
  if (ids != NULL)
    w->total = g_strv_length ((char **) ids);
  else if (!cp_lead_store_count (w->store, query, &w->total, error))
    return FALSE;

  if (!collect_custom_keys (w, query, ids, error) || !write_header (w, error))
    return FALSE;

  if (ids == NULL)
    {
      if (!write_query_rows (w, query, error))
        return FALSE;
    }
  else
    for (guint i = 0; ids[i] != NULL; i++)
      {
        g_autoptr(CpLead) lead = cp_lead_store_get (w->store, ids[i], error);

        if (lead == NULL || !write_lead (w, lead, error))
          return FALSE;
      }

  return flush_batch (w, error);
}

/**
 * cp_lead_export_write:
 * @query: (nullable): the leads to write, in its order; used when @ids is %NULL
 * @ids: (nullable) (array zero-terminated=1): the leads, in the order to write them
 * @out: where the CSV goes; not closed
 * @progress: (scope call) (nullable): called after the header and after
 *   every batch of rows, in this thread
 * @out_count: (out) (optional): how many leads were written
 *
 * The header row has the canonical field ids, then `custom.KEY` for every
 * custom field any of the leads has; values are in their canonical string
 * form, so a Carepath import reads them back unchanged. Rows are read and
 * written a batch at a time: memory does not grow with the leads.
 *
 * Returns: %TRUE, or %FALSE with @error set (a lead of @ids cannot be
 *   read, the stream fails, or @cancellable was cancelled)
 */
gboolean
cp_lead_export_write (CpLeadStore              *store,
                      const CpLeadQuery        *query,
                      const char * const       *ids,
                      GOutputStream            *out,
                      GCancellable             *cancellable,
                      CpLeadExportProgressFunc  progress,
                      gpointer                  progress_data,
                      guint                    *out_count,
                      GError                  **error)
{
  Writer w = { store, out, cancellable, progress, progress_data, NULL, NULL, 0, 0 };
  gboolean ok;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  w.buffer = g_string_sized_new (64 * 1024);
  ok = write_csv (&w, query, ids, error);
  if (ok && out_count != NULL)
    *out_count = w.done;
  writer_clear (&w);

  return ok;
}

/* A file next to @file that nobody else uses, created readable by its
 * owner only: the export is written there and renamed over @file at the
 * end, so a failed or cancelled export leaves no half file, and the file
 * that was there stays as it was. */
static GFile *
create_partial (GFile          *file,
                GOutputStream **out_stream,
                GError        **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *name = g_file_get_basename (file);

  if (parent == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME, _("“%s” is not a file"), name);
      return NULL;
    }
  for (guint attempt = 0;; attempt++)
    {
      g_autofree char *partial_name = g_strdup_printf (".%s.%08x.part", name, g_random_int ());
      g_autoptr(GFile) partial = g_file_get_child (parent, partial_name);
      g_autoptr(GError) local_error = NULL;
      GFileOutputStream *stream = g_file_create (partial, G_FILE_CREATE_PRIVATE, NULL, &local_error);

      if (stream != NULL)
        {
          /* 0600 exactly, whatever the umask took off (a file system
           * without Unix modes has nothing to set). */
          g_file_set_attribute_uint32 (partial, G_FILE_ATTRIBUTE_UNIX_MODE, 0600,
                                       G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
          *out_stream = G_OUTPUT_STREAM (stream);
          return g_steal_pointer (&partial);
        }
      if (attempt >= 8 || !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          /* Named as the file asked for: the one beside it is ours. */
          g_autofree char *shown = g_file_get_parse_name (file);
          g_autofree char *folder = g_file_get_parse_name (parent);
          /* GIO says "Error opening file “NAME”: WHY": the why. */
          const char *why = g_strrstr (local_error->message, "”: ");

          why = why != NULL ? why + strlen ("”: ") : local_error->message;
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         _("Cannot write “%s”: there is no folder “%s”"), shown, folder);
          else
            g_set_error (error, local_error->domain, local_error->code,
                         _("Cannot write “%s”: %s"), shown, why);
          return NULL;
        }
    }
}

/**
 * cp_lead_export_to_file:
 * @file: where to write; a file already there is replaced, at the end only
 *
 * cp_lead_export_write() to @file, readable by its owner only (mode 0600:
 * it is personal data). The rows go to a file beside it that replaces it
 * once complete; on failure or cancel that file is removed and @file is
 * left untouched.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
cp_lead_export_to_file (CpLeadStore              *store,
                        const CpLeadQuery        *query,
                        const char * const       *ids,
                        GFile                    *file,
                        GCancellable             *cancellable,
                        CpLeadExportProgressFunc  progress,
                        gpointer                  progress_data,
                        guint                    *out_count,
                        GError                  **error)
{
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GFile) partial = NULL;
  gboolean ok;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  partial = create_partial (file, &out, error);
  if (partial == NULL)
    return FALSE;

  ok = cp_lead_export_write (store, query, ids, out, cancellable, progress, progress_data,
                             out_count, error);
  if (ok)
    ok = g_output_stream_close (out, cancellable, error) &&
         g_file_move (partial, file, G_FILE_COPY_OVERWRITE | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                      NULL, NULL, NULL, error);
  if (!ok)
    {
      g_output_stream_close (out, NULL, NULL);
      g_file_delete (partial, NULL, NULL);
    }

  return ok;
}

/* An export on a worker: its own read connection, progress carried to the
 * caller's main context. */
typedef struct
{
  char                     *path;
  char                     *region;
  CpLeadQuery              *query;
  char                    **ids;
  GFile                    *file;
  CpLeadExportProgressFunc  progress;
  gpointer                  progress_data;
  GMainContext             *context;
  gint                      done;
  gint                      total;
  gint                      progress_pending;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_free (job->path);
  g_free (job->region);
  g_clear_pointer (&job->query, cp_lead_query_free);
  g_strfreev (job->ids);
  g_clear_object (&job->file);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job);
}

static gboolean
report_progress_cb (gpointer user_data)
{
  GTask *task = user_data;
  ExportJob *job = g_task_get_task_data (task);

  g_atomic_int_set (&job->progress_pending, FALSE);
  /* After the result, the caller no longer listens. */
  if (!g_task_get_completed (task) && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    job->progress ((guint) g_atomic_int_get (&job->done), (guint) g_atomic_int_get (&job->total),
                   job->progress_data);
  return G_SOURCE_REMOVE;
}

/* In the worker: the latest figures, and one report on its way at most. */
static void
worker_progress (guint    done,
                 guint    total,
                 gpointer user_data)
{
  GTask *task = user_data;
  ExportJob *job = g_task_get_task_data (task);

  g_atomic_int_set (&job->done, done);
  g_atomic_int_set (&job->total, total);
  if (job->progress != NULL && g_atomic_int_compare_and_exchange (&job->progress_pending, FALSE, TRUE))
    cp_main_context_post (job->context, G_PRIORITY_DEFAULT, report_progress_cb, g_object_ref (task),
                          g_object_unref);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  database = cp_database_open_readonly (job->path, &error);
  if (database != NULL)
    {
      store = cp_lead_store_new (database);
      cp_lead_store_set_default_region (store, job->region);
    }
  if (store == NULL ||
      !cp_lead_export_to_file (store, job->query, (const char * const *) job->ids, job->file,
                               cancellable, worker_progress, task, &count, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, count);
}

/**
 * cp_lead_export_async:
 * @store: the leads' store (its database is opened again, read-only, on a
 *   worker thread)
 * @query: (nullable): the leads to write, when @ids is %NULL
 * @ids: (nullable) (array zero-terminated=1): the leads to write, in order
 * @progress: (scope notified) (nullable): called in the thread-default main
 *   context of this call as rows are written, until the result is ready;
 *   @progress_data must live until @callback runs
 *
 * cp_lead_export_to_file() on a worker thread.
 */
void
cp_lead_export_async (CpLeadStore              *store,
                      const CpLeadQuery        *query,
                      const char * const       *ids,
                      GFile                    *file,
                      GCancellable             *cancellable,
                      CpLeadExportProgressFunc  progress,
                      gpointer                  progress_data,
                      GAsyncReadyCallback       callback,
                      gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;
  const char *path;

  g_return_if_fail (CP_IS_LEAD_STORE (store));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_lead_export_async);
  path = cp_database_get_path (store->database);
  if (path == NULL || *path == '\0' || g_str_equal (path, ":memory:"))
    {
      g_task_return_new_error (task, CP_STORE_ERROR, CP_STORE_ERROR_OPEN,
                               _("This database has no file to read the leads from"));
      return;
    }

  job = g_new0 (ExportJob, 1);
  job->path = g_strdup (path);
  job->region = g_strdup (store->default_region);
  job->query = query != NULL ? cp_lead_query_copy (query) : NULL;
  job->ids = g_strdupv ((char **) ids);
  job->file = g_object_ref (file);
  job->progress = progress;
  job->progress_data = progress_data;
  job->context = g_main_context_ref_thread_default ();
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

/**
 * cp_lead_export_finish:
 * @out_count: (out) (optional): how many leads were written
 *
 * Returns: %TRUE, or %FALSE with @error set (%G_IO_ERROR_CANCELLED after
 *   a cancel; the file is then as it was)
 */
gboolean
cp_lead_export_finish (CpLeadStore   *store,
                       GAsyncResult  *result,
                       guint         *out_count,
                       GError       **error)
{
  gssize count;

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  count = g_task_propagate_int (G_TASK (result), error);
  if (count < 0)
    return FALSE;
  if (out_count != NULL)
    *out_count = count;
  return TRUE;
}
