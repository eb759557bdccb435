/* cp-sync-engine.c — one sync run: its bookkeeping, progress, and the order of its steps
 *
 * The steps: cp-sync-pull.c (pages, kept records, deletions),
 * cp-sync-merge.c (one pulled record merged in), cp-sync-push.c
 * (erasures, the outbox).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-crm-mapping.h"
#include "cp-sync-activity-pull.h"
#include "cp-sync-engine-private.h"

struct _CpSyncEngine
{
  GObject       parent_instance;

  char         *database_path;
  CpCrmBackend *backend;
};

G_DEFINE_FINAL_TYPE (CpSyncEngine, cp_sync_engine, G_TYPE_OBJECT)

enum
{
  PROGRESS,
  PAGE_FETCHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Emitted in the running thread: a caller that runs the engine in a
 * thread of its own hands progress on to its main thread itself. */
void
_cp_sync_run_report_progress (CpSyncRun  *run,
                              const char *phase,
                              guint       done)
{
  g_signal_emit (run->engine, signals[PROGRESS], 0, phase, done);
}

/* Emitted before the page is committed: cancelling here leaves it uncommitted. */
void
_cp_sync_run_page_fetched (CpSyncRun *run,
                           guint      page_number)
{
  g_signal_emit (run->engine, signals[PAGE_FETCHED], 0, page_number);
}

/* Receiving and sending fail apart: a pull that cannot go on never
 * keeps local changes from going out, and each failure is named. */
static gboolean
run_all (CpSyncRun  *run,
         GError    **error)
{
  g_autoptr(GError) pull_error = NULL;
  g_autoptr(GError) push_error = NULL;

  if (!cp_crm_backend_read_schema (run->backend, run->cancellable, error))
    return FALSE;

  if (!_cp_sync_run_load_kept (run, &pull_error) ||
      !_cp_sync_run_pull (run, &pull_error) ||
      !_cp_sync_run_pull_deletions (run, &pull_error) ||
      !_cp_sync_run_retry_kept (run, &pull_error) ||
      !_cp_sync_pull_activities (run->store, run->backend, &run->stats, run->cancellable,
                                 &pull_error))
    run->stats.pull_failed = TRUE;
  if (g_error_matches (pull_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&pull_error));
      return FALSE;
    }
  if (!_cp_sync_run_erase_remote (run, &push_error) || !_cp_sync_run_push (run, &push_error))
    run->stats.push_failed = TRUE;

  if (pull_error == NULL && push_error == NULL)
    return TRUE;
  if (pull_error != NULL && push_error == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&pull_error), "%s",
                                  _("Receiving changes failed: "));
      return FALSE;
    }
  if (pull_error == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&push_error), "%s",
                                  _("Sending changes failed: "));
      return FALSE;
    }
  g_set_error (error, push_error->domain, push_error->code,
               _("Receiving changes failed: %s Sending changes failed: %s"),
               pull_error->message, push_error->message);
  return FALSE;
}

static gboolean
run_sync (CpSyncEngine  *self,
          CpSyncStats   *out_stats,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpLeadStore) leads = NULL;
  g_autoptr(CpSyncStore) store = NULL;
  g_autoptr(GError) failure = NULL;
  CpSyncRun run = { 0 };
  gint64 run_id;
  gboolean ok;

  /* A connection of its own: sync runs off the main thread. */
  database = cp_database_open (self->database_path, error);
  if (database == NULL)
    return FALSE;
  /* The team's field and stage mapping, as saved in Preferences. */
  if (!cp_crm_mapping_apply (self->backend, database, error))
    return FALSE;
  leads = cp_lead_store_new (database);
  store = cp_sync_store_new (leads, cp_crm_backend_get_name (self->backend));

  run.engine = self;
  run.store = store;
  run.backend = self->backend;
  run.cancellable = cancellable;

  run_id = cp_sync_store_begin_run (store, error);
  if (run_id == 0)
    return FALSE;
  run.kept = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                    (GDestroyNotify) cp_sync_reject_free);
  run.touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  cp_database_set_bulk_writes (database, TRUE);
  ok = run_all (&run, &failure);
  cp_database_set_bulk_writes (database, FALSE);
  if (g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Stopped (the Sync view's Stop, the app closing): recorded as such,
       * not as GIO's "Operation was cancelled". */
      g_clear_error (&failure);
      g_set_error_literal (&failure, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("Stopped before it finished. Nothing is lost: the next sync goes on "
                             "from where this one stopped."));
    }
  if (!cp_sync_store_finish_run (store, run_id, &run.stats, failure,
                                 ok ? NULL : cp_crm_client_get_last_correlation_id (
                                   cp_crm_backend_get_client (self->backend)),
                                 ok ? error : NULL))
    ok = FALSE;

  g_hash_table_unref (run.kept);
  g_hash_table_unref (run.touched);
  if (out_stats != NULL)
    *out_stats = run.stats;
  if (failure != NULL)
    g_propagate_error (error, g_steal_pointer (&failure));
  return ok && failure == NULL;
}

static void
cp_sync_engine_finalize (GObject *object)
{
  CpSyncEngine *self = CP_SYNC_ENGINE (object);

  g_clear_pointer (&self->database_path, g_free);
  g_clear_object (&self->backend);

  G_OBJECT_CLASS (cp_sync_engine_parent_class)->finalize (object);
}

static void
cp_sync_engine_class_init (CpSyncEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cp_sync_engine_finalize;

  /**
   * CpSyncEngine::progress:
   * @phase: "pull" or "push"
   * @done: records pulled, or changes pushed, so far
   *
   * Emitted in the thread that started the run.
   */
  signals[PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);

  /**
   * CpSyncEngine::page-fetched:
   * @page: the page's number in this run, from 0
   *
   * Emitted in the running thread after a page arrived and before it is
   * committed; cancelling here leaves the page uncommitted.
   */
  signals[PAGE_FETCHED] =
    g_signal_new ("page-fetched", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
cp_sync_engine_init (CpSyncEngine *self)
{
}

/**
 * cp_sync_engine_new:
 * @database_path: the database file; each run opens its own connection
 * @backend: the CRM
 */
CpSyncEngine *
cp_sync_engine_new (const char   *database_path,
                    CpCrmBackend *backend)
{
  CpSyncEngine *self;

  g_return_val_if_fail (database_path != NULL, NULL);
  g_return_val_if_fail (CP_IS_CRM_BACKEND (backend), NULL);

  self = g_object_new (CP_TYPE_SYNC_ENGINE, NULL);
  self->database_path = g_strdup (database_path);
  self->backend = g_object_ref (backend);
  return self;
}

/**
 * cp_sync_engine_run:
 * @out_stats: (out) (optional): what the run did, also on failure
 *
 * Reads the CRM's schema, pulls changes since the cursor page by page,
 * turns remote deletions into tombstones, then pushes the outbox. Blocks:
 * call it from a worker thread.
 */
gboolean
cp_sync_engine_run (CpSyncEngine  *self,
                    CpSyncStats   *out_stats,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_return_val_if_fail (CP_IS_SYNC_ENGINE (self), FALSE);

  return run_sync (self, out_stats, cancellable, error);
}
