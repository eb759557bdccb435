/* cp-activity-page.c — a lead's newest activities, a page at a time, read on a worker
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-activity-page.h"
#include "cp-database-private.h"
#include "cp-lead-store-private.h"

/* A lead fed by years of event lists can have thousands of activities;
 * its window shows the newest and reads more on demand. */

static CpActivity *
activity_from_row (sqlite3_stmt *stmt)
{
  CpActivity *activity = cp_activity_new ();
  CpActivityKind kind = 0;

  cp_activity_set_id (activity, _cp_column_text (stmt, 0));
  cp_activity_set_lead_id (activity, _cp_column_text (stmt, 1));
  if (cp_activity_kind_from_string (_cp_column_text (stmt, 2), &kind))
    cp_activity_set_kind (activity, kind);
  cp_activity_set_occurred_at (activity, sqlite3_column_int64 (stmt, 3));
  cp_activity_set_detail (activity, _cp_column_text (stmt, 4));
  cp_activity_set_disposition (activity, _cp_column_text (stmt, 5));
  cp_activity_set_depth (activity, sqlite3_column_int (stmt, 6));
  cp_activity_set_actor (activity, _cp_column_text (stmt, 7));
  cp_activity_set_source (activity, _cp_column_text (stmt, 8));
  cp_activity_set_external_id (activity, _cp_column_text (stmt, 9));
  cp_activity_set_direction (activity, _cp_column_text (stmt, 10));

  return activity;
}

/**
 * cp_lead_store_list_recent_activities:
 * @limit: at most this many, newest first (more than 0)
 * @out_more: (out) (optional): whether older activities are left out
 *
 * The order of cp_lead_store_list_activities(), cut at @limit.
 *
 * Returns: (transfer full) (element-type CpActivity): the activities
 */
GPtrArray *
cp_lead_store_list_recent_activities (CpLeadStore  *self,
                                      const char   *lead_id,
                                      guint         limit,
                                      gboolean     *out_more,
                                      GError      **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);
  g_return_val_if_fail (lead_id != NULL, NULL);
  g_return_val_if_fail (limit > 0, NULL);

  stmt = _cp_database_prepare (self->database,
                               "SELECT id, lead_id, kind, occurred_at, detail, disposition, depth,"
                               " actor, source, external_id, direction"
                               " FROM activities"
                               " WHERE lead_rowid = (SELECT rowid FROM leads WHERE id = ?1)"
                               " ORDER BY occurred_at DESC, id LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  _cp_bind_text (stmt, 1, lead_id);
  sqlite3_bind_int64 (stmt, 2, (gint64) limit + 1);  /* one more says there are more */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, activity_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read activities"));
      return NULL;
    }

  if (out_more != NULL)
    *out_more = result->len > limit;
  if (result->len > limit)
    g_ptr_array_set_size (result, limit);
  return g_steal_pointer (&result);
}

typedef struct
{
  char    *path;
  char    *lead_id;
  guint    limit;
  gboolean more;
} PageJob;

static void
page_job_free (PageJob *job)
{
  g_free (job->path);
  g_free (job->lead_id);
  g_free (job);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PageJob *job = task_data;
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *activities = NULL;

  database = cp_database_open_readonly (job->path, &error);
  if (database != NULL)
    {
      store = cp_lead_store_new (database);
      activities = cp_lead_store_list_recent_activities (store, job->lead_id, job->limit,
                                                         &job->more, &error);
    }
  if (activities == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, activities, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * cp_lead_store_list_recent_activities_async:
 *
 * cp_lead_store_list_recent_activities() on a worker thread with its own
 * read connection (on the calling thread for a database without a file).
 */
void
cp_lead_store_list_recent_activities_async (CpLeadStore         *self,
                                            const char          *lead_id,
                                            guint                limit,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PageJob *job;
  const char *path;

  g_return_if_fail (CP_IS_LEAD_STORE (self));
  g_return_if_fail (lead_id != NULL);
  g_return_if_fail (limit > 0);

  /* No source object: a window closed during the read lets go of the
   * store at once, not when the worker is done. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_lead_store_list_recent_activities_async);
  job = g_new0 (PageJob, 1);
  job->lead_id = g_strdup (lead_id);
  job->limit = limit;
  g_task_set_task_data (task, job, (GDestroyNotify) page_job_free);

  path = cp_database_get_path (self->database);
  if (path == NULL || *path == '\0' || g_str_equal (path, ":memory:"))
    {
      GError *error = NULL;
      GPtrArray *activities = cp_lead_store_list_recent_activities (self, lead_id, limit,
                                                                    &job->more, &error);
      if (activities == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, activities, (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  job->path = g_strdup (path);
  g_task_run_in_thread (task, list_thread);
}

/**
 * cp_lead_store_list_recent_activities_finish:
 * @result: what cp_lead_store_list_recent_activities_async() gave its
 *   callback (which has no source object)
 * @out_more: (out) (optional): whether older activities are left out
 *
 * Returns: (transfer full) (element-type CpActivity) (nullable): the
 *   activities, or %NULL with @error set
 */
GPtrArray *
cp_lead_store_list_recent_activities_finish (GAsyncResult  *result,
                                             gboolean      *out_more,
                                             GError       **error)
{
  PageJob *job;
  GPtrArray *activities;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cp_lead_store_list_recent_activities_async, NULL);

  job = g_task_get_task_data (G_TASK (result));
  activities = g_task_propagate_pointer (G_TASK (result), error);
  if (activities != NULL && out_more != NULL)
    *out_more = job->more;
  return activities;
}
