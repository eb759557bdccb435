/* cp-report-service.c — reports computed off the main thread, over a
 * snapshot kept current between requests
 *
 * The service owns a database connection of its own and a CpReportData.
 * The first request starts from the snapshot saved beside the database by
 * an earlier process (the app or the command line) when there is a usable
 * one, else reads every lead (seconds on a million leads); then, as every
 * later request, it reads only what changed since and computes in memory.
 * After a request moved the snapshot, it is saved again for the next
 * process. One request runs at a time: the mutex guards the connection
 * and the data.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-report-service"
#include "config.h"
#include "cp-report-service.h"

#include "cp-database.h"
#include "cp-report-store.h"

struct _CpReportService
{
  GObject       parent_instance;

  char         *database_path;
  GMutex        mutex;
  /* Guarded by the mutex: */
  CpDatabase   *database;
  CpReportData *data;
  CpPlaybook   *playbook;
  gboolean      playbook_changed;
  gboolean      snapshot_tried;   /* the saved snapshot was tried for @data */
  guint64       saved_changes;    /* @data's change count when last saved or loaded */
};

G_DEFINE_FINAL_TYPE (CpReportService, cp_report_service, G_TYPE_OBJECT)

typedef struct
{
  CpReportKind     kind;
  CpReportOptions *options;
  char            *key;     /* collect: the row */
} Request;

static void
request_free (Request *request)
{
  cp_report_options_free (request->options);
  g_free (request->key);
  g_free (request);
}

/* With the mutex held: the snapshot, current. */
static CpReportData *
current_data (CpReportService  *self,
              GCancellable     *cancellable,
              GError          **error)
{
  if (self->database == NULL)
    {
      self->database = cp_database_open (self->database_path, error);
      if (self->database == NULL)
        return NULL;
    }
  if (self->data == NULL)
    self->data = cp_report_data_new ();
  if (self->playbook_changed)
    {
      cp_report_data_clear (self->data);
      self->playbook_changed = FALSE;
      self->snapshot_tried = FALSE;
    }
  if (!self->snapshot_tried)
    {
      g_autoptr(GError) local_error = NULL;

      self->snapshot_tried = TRUE;
      /* Not usable (none yet, another playbook, damaged…): read whole. */
      if (!cp_report_store_load_snapshot (self->database, self->data, self->playbook, &local_error))
        g_debug ("No saved report snapshot used: %s", local_error->message);
      self->saved_changes = cp_report_data_get_n_changes (self->data);
    }
  if (!cp_report_store_update (self->database, self->data, self->playbook, cancellable, error))
    return NULL;

  return self->data;
}

/* The fewest changes since a load for which a mapped snapshot is saved. */
#define SAVE_AFTER_CHANGES 64

/* With the mutex held. */
static gboolean
save_snapshot (CpReportService  *self,
               GError          **error)
{
  guint64 changes;

  if (self->data == NULL || self->database == NULL)
    return TRUE;
  changes = cp_report_data_get_n_changes (self->data);
  if (changes == self->saved_changes)
    return TRUE;
  /* Loaded from the saved file and changed where it lies by a few leads
   * since: the file stays. The next process catches up the same few
   * changes for less than rewriting it costs (~90 MiB for a million
   * leads); past a change in a thousand leads, it is saved. */
  if (cp_report_data_is_mapped (self->data) &&
      changes - self->saved_changes <
          MAX (SAVE_AFTER_CHANGES, cp_report_data_get_n_leads (self->data) / 1000))
    return TRUE;
  if (!cp_report_store_save_snapshot (self->database, self->data, self->playbook, error))
    return FALSE;
  self->saved_changes = changes;

  return TRUE;
}

static void
save_snapshot_or_warn (CpReportService *self)
{
  g_autoptr(GError) error = NULL;

  /* Only the next process's first report is slower without it. */
  if (!save_snapshot (self, &error))
    g_message ("%s", error->message);
}

/**
 * cp_report_service_save_snapshot:
 *
 * Saves the snapshot beside the database when a request moved it since it
 * was loaded or saved, so the next process starts from it. The
 * asynchronous requests do so themselves, after returning their result.
 */
gboolean
cp_report_service_save_snapshot (CpReportService  *self,
                                 GError          **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (CP_IS_REPORT_SERVICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);

  return save_snapshot (self, error);
}

CpReport *
cp_report_service_compute (CpReportService       *self,
                           CpReportKind           kind,
                           const CpReportOptions *options,
                           GCancellable          *cancellable,
                           GError               **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  CpReportData *data;

  g_return_val_if_fail (CP_IS_REPORT_SERVICE (self), NULL);
  g_return_val_if_fail (kind < CP_REPORT_N_KINDS, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  data = current_data (self, cancellable, error);
  if (data == NULL)
    return NULL;

  return cp_report_compute (data, kind, options);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Request *request = task_data;
  GError *error = NULL;
  CpReport *report;

  report = cp_report_service_compute (source_object, request->kind, request->options,
                                      cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) cp_report_free);

  /* The result is on its way: saving only delays the next request. */
  if (report != NULL)
    {
      CpReportService *self = source_object;
      g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

      save_snapshot_or_warn (self);
    }
}

static void
collect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CpReportService *self = source_object;
  Request *request = task_data;
  GError *error = NULL;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  CpReportData *data = current_data (self, cancellable, &error);

  if (data == NULL)
    g_task_return_error (task, error);
  else
    {
      g_task_return_pointer (task,
                             cp_report_collect_leads (data, request->kind, request->options,
                                                      request->key),
                             (GDestroyNotify) g_array_unref);
      save_snapshot_or_warn (self);
    }
}

static GTask *
request_task (CpReportService       *self,
              CpReportKind           kind,
              const CpReportOptions *options,
              const char            *key,
              GCancellable          *cancellable,
              GAsyncReadyCallback    callback,
              gpointer               user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Request *request = g_new0 (Request, 1);

  request->kind = kind;
  request->options = cp_report_options_copy (options);
  request->key = g_strdup (key);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  /* A later request makes an earlier one's result moot, not wrong. */
  g_task_set_return_on_cancel (task, FALSE);

  return task;
}

void
cp_report_service_compute_async (CpReportService       *self,
                                 CpReportKind           kind,
                                 const CpReportOptions *options,
                                 GCancellable          *cancellable,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CP_IS_REPORT_SERVICE (self));
  g_return_if_fail (kind < CP_REPORT_N_KINDS);
  g_return_if_fail (options != NULL);

  task = request_task (self, kind, options, NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_report_service_compute_async);
  g_task_run_in_thread (task, compute_thread);
}

CpReport *
cp_report_service_compute_finish (CpReportService  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cp_report_service_collect_async (CpReportService       *self,
                                 CpReportKind           kind,
                                 const CpReportOptions *options,
                                 const char            *key,
                                 GCancellable          *cancellable,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CP_IS_REPORT_SERVICE (self));
  g_return_if_fail (kind < CP_REPORT_N_KINDS);
  g_return_if_fail (options != NULL);
  g_return_if_fail (key != NULL);

  task = request_task (self, kind, options, key, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_report_service_collect_async);
  g_task_run_in_thread (task, collect_thread);
}

GArray *
cp_report_service_collect_finish (CpReportService  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cp_report_service_set_playbook (CpReportService *self,
                                CpPlaybook      *playbook)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (CP_IS_REPORT_SERVICE (self));

  locker = g_mutex_locker_new (&self->mutex);
  if (self->playbook == playbook)
    return;
  g_clear_pointer (&self->playbook, cp_playbook_unref);
  self->playbook = playbook != NULL ? cp_playbook_ref (playbook) : NULL;
  self->playbook_changed = TRUE;
}

static void
cp_report_service_finalize (GObject *object)
{
  CpReportService *self = CP_REPORT_SERVICE (object);

  g_clear_object (&self->database);
  g_clear_pointer (&self->data, cp_report_data_free);
  g_clear_pointer (&self->playbook, cp_playbook_unref);
  g_free (self->database_path);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (cp_report_service_parent_class)->finalize (object);
}

static void
cp_report_service_class_init (CpReportServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cp_report_service_finalize;
}

static void
cp_report_service_init (CpReportService *self)
{
  g_mutex_init (&self->mutex);
}

CpReportService *
cp_report_service_new (const char *database_path)
{
  CpReportService *self;

  g_return_val_if_fail (database_path != NULL, NULL);

  self = g_object_new (CP_TYPE_REPORT_SERVICE, NULL);
  self->database_path = g_strdup (database_path);

  return self;
}
