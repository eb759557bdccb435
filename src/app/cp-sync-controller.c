/* cp-sync-controller.c — what the Sync view and Preferences show and do: status, runs, conflicts,
 * records not applied
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-controller"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-crm-backend.h"
#include "cp-crm-registry.h"
#include "cp-main-context.h"
#include "cp-sync-controller.h"
#include "cp-sync-engine.h"
#include "cp-sync-error.h"
#include "cp-sync-secret.h"

struct _CpSyncController
{
  GObject           parent_instance;

  CpLeadStore      *leads;
  GSettings        *settings;
  CpSyncStore      *store;          /* for the configured backend, on the main connection */
  GNetworkMonitor  *monitor;
  GCancellable     *cancellable;
  gboolean          online;
  gboolean          running;
  gboolean          stopping;       /* asked to stop; the page in progress is not applied */
  gboolean          stopped;        /* the last run ended because it was asked to */
  char             *progress_text;
  char             *backend_name;
  guint             interval_id;
};

G_DEFINE_FINAL_TYPE (CpSyncController, cp_sync_controller, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ONLINE,
  PROP_RUNNING,
  PROP_PROGRESS_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char *database_path;
  char *backend;
  char *url;
  char *token;
  gboolean create_setup;       /* a connection check that also creates what is missing */
} RunData;

static void
run_data_free (RunData *data)
{
  g_free (data->database_path);
  g_free (data->backend);
  g_free (data->url);
  if (data->token != NULL)
    memset (data->token, 0, strlen (data->token));
  g_free (data->token);
  g_free (data);
}

static void
set_progress_text (CpSyncController *self,
                   const char       *text)
{
  if (g_strcmp0 (self->progress_text, text) == 0)
    return;
  g_free (self->progress_text);
  self->progress_text = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS_TEXT]);
}

static void
set_running (CpSyncController *self,
             gboolean          running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static gboolean
interval_elapsed_cb (gpointer user_data)
{
  CpSyncController *self = user_data;

  if (self->online)
    cp_sync_controller_sync_now (self);
  return G_SOURCE_CONTINUE;
}

static void
schedule (CpSyncController *self)
{
  guint minutes = g_settings_get_uint (self->settings, "sync-interval");

  g_clear_handle_id (&self->interval_id, g_source_remove);
  if (minutes > 0 && self->store != NULL)
    self->interval_id = g_timeout_add_seconds (minutes * 60, interval_elapsed_cb, self);
}

static void
settings_changed_cb (GSettings        *settings,
                     const char       *key,
                     CpSyncController *self)
{
  g_autofree char *backend = g_settings_get_string (settings, "sync-backend");

  if (g_strcmp0 (backend, self->backend_name) != 0)
    {
      g_clear_object (&self->store);
      g_free (self->backend_name);
      self->backend_name = g_steal_pointer (&backend);
      if (g_strcmp0 (self->backend_name, "none") != 0)
        self->store = cp_sync_store_new (self->leads, self->backend_name);
    }
  schedule (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
network_changed_cb (GNetworkMonitor  *monitor,
                    gboolean          available,
                    CpSyncController *self)
{
  gboolean online = g_network_monitor_get_network_available (monitor);

  if (online == self->online)
    return;
  self->online = online;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
  /* Back online: send what was done offline. */
  if (online && cp_sync_controller_get_configured (self))
    cp_sync_controller_sync_now (self);
}

typedef struct
{
  CpSyncController *self;
  char             *text;
} ProgressUpdate;

static void
progress_update_free (gpointer user_data)
{
  ProgressUpdate *update = user_data;

  g_object_unref (update->self);
  g_free (update->text);
  g_free (update);
}

static gboolean
apply_progress_cb (gpointer user_data)
{
  ProgressUpdate *update = user_data;

  if (update->self->running && !update->self->stopping)
    set_progress_text (update->self, update->text);
  return G_SOURCE_REMOVE;
}

static void
engine_progress_cb (CpSyncEngine *engine,
                    const char   *phase,
                    guint         done,
                    gpointer      user_data)
{
  ProgressUpdate *update = g_new0 (ProgressUpdate, 1);

  update->self = g_object_ref (user_data);
  update->text = g_str_equal (phase, "pull")
                 ? g_strdup_printf (ngettext ("Received %u change", "Received %u changes", done),
                                    done)
                 : g_strdup_printf (ngettext ("Sent %u change", "Sent %u changes", done), done);
  /* Posted, never invoked: from the sync thread, g_main_context_invoke()
   * would apply it right here (and the view change off the main thread)
   * whenever the main thread is between two iterations. */
  cp_main_context_post (g_main_context_default (), G_PRIORITY_DEFAULT, apply_progress_cb, update,
                        progress_update_free);
}

/* A connection check's limits: at most two attempts of four seconds with
 * at most a second between them. */
#define CHECK_REQUEST_TIMEOUT_S 4
static const CpBackoff check_backoff = { 250, 1000, 2, 1.0 };

static void
run_thread_cb (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RunData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CpCrmBackend) backend = NULL;
  g_autoptr(CpSyncEngine) engine = NULL;
  g_autofree char *token = NULL;

  token = data->token != NULL ? g_strdup (data->token)
                              : cp_sync_token_for (data->backend, data->url, &error);
  if (token != NULL)
    backend = cp_crm_backend_new_for_name (data->backend, data->url, token, &error);
  if (backend == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (data->database_path == NULL)
    {
      /* A connection check: the schema, one page and the setup sync
       * writes with (creating it if asked), nothing stored here. */
      g_autoptr(CpCrmPage) page = NULL;
      g_autoptr(CpCrmSetup) setup = NULL;
      CpCrmClient *client = cp_crm_backend_get_client (backend);

      /* The person waits for the answer: within ten seconds, whatever the
       * network does (one retry after a short wait; a request with no
       * answer gives up after four seconds). */
      cp_crm_client_set_backoff (client, &check_backoff);
      cp_crm_client_set_timeout (client, CHECK_REQUEST_TIMEOUT_S);
      if (cp_crm_backend_read_schema (backend, cancellable, &error))
        page = cp_crm_backend_pull_page (backend, NULL, NULL, cancellable, &error);
      if (page != NULL)
        setup = cp_crm_backend_check_setup (backend, data->create_setup, cancellable, &error);
      if (setup != NULL && !cp_crm_setup_is_ready (setup))
        {
          g_autofree char *missing = NULL;

          g_ptr_array_add (setup->missing, NULL);
          missing = g_strjoinv (" ", (char **) setup->missing->pdata);
          g_ptr_array_remove_index (setup->missing, setup->missing->len - 1);
          g_set_error_literal (&error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED, missing);
          g_clear_pointer (&setup, cp_crm_setup_free);
        }
      if (setup == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }

  engine = cp_sync_engine_new (data->database_path, backend);
  if (source_object != NULL)
    g_signal_connect (engine, "progress", G_CALLBACK (engine_progress_cb), source_object);
  if (cp_sync_engine_run (engine, NULL, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
sync_finished_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CpSyncController *self = CP_SYNC_CONTROLLER (object);
  g_autoptr(GError) error = NULL;

  /* The failure, with the server's message, is in the run's record. */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_debug ("sync failed: %s", error->message);
  self->stopped = self->stopping && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  self->stopping = FALSE;
  g_clear_object (&self->cancellable);
  set_running (self, FALSE);
  set_progress_text (self, NULL);
  /* Another connection wrote the leads: every view reloads. */
  cp_lead_store_emit_bulk_change (self->leads);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
cp_sync_controller_dispose (GObject *object)
{
  CpSyncController *self = CP_SYNC_CONTROLLER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->interval_id, g_source_remove);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->leads);

  G_OBJECT_CLASS (cp_sync_controller_parent_class)->dispose (object);
}

static void
cp_sync_controller_finalize (GObject *object)
{
  CpSyncController *self = CP_SYNC_CONTROLLER (object);

  g_free (self->progress_text);
  g_free (self->backend_name);

  G_OBJECT_CLASS (cp_sync_controller_parent_class)->finalize (object);
}

static void
cp_sync_controller_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CpSyncController *self = CP_SYNC_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_PROGRESS_TEXT:
      g_value_set_string (value, self->progress_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_sync_controller_class_init (CpSyncControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cp_sync_controller_dispose;
  object_class->finalize = cp_sync_controller_finalize;
  object_class->get_property = cp_sync_controller_get_property;

  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS_TEXT] =
    g_param_spec_string ("progress-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CpSyncController::changed:
   *
   * The account, the status, the conflicts or the records not applied
   * changed: read them again.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cp_sync_controller_init (CpSyncController *self)
{
}

/**
 * cp_sync_controller_new:
 * @store: the window's lead store (its connection reads the sync state)
 * @settings: the application settings (sync-backend, sync-base-url)
 */
CpSyncController *
cp_sync_controller_new (CpLeadStore *store,
                        GSettings   *settings)
{
  CpSyncController *self;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (CP_TYPE_SYNC_CONTROLLER, NULL);
  self->leads = g_object_ref (store);
  self->settings = g_object_ref (settings);
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->online = g_network_monitor_get_network_available (self->monitor);
  g_signal_connect (self->monitor, "network-changed", G_CALLBACK (network_changed_cb), self);
  g_signal_connect (self->settings, "changed::sync-backend", G_CALLBACK (settings_changed_cb),
                    self);
  g_signal_connect (self->settings, "changed::sync-base-url", G_CALLBACK (settings_changed_cb),
                    self);
  g_signal_connect (self->settings, "changed::sync-interval", G_CALLBACK (settings_changed_cb),
                    self);
  settings_changed_cb (self->settings, "sync-backend", self);
  return self;
}

gboolean
cp_sync_controller_get_configured (CpSyncController *self)
{
  g_return_val_if_fail (CP_IS_SYNC_CONTROLLER (self), FALSE);

  return self->store != NULL;
}

gboolean
cp_sync_controller_get_online (CpSyncController *self)
{
  g_return_val_if_fail (CP_IS_SYNC_CONTROLLER (self), FALSE);

  return self->online;
}

gboolean
cp_sync_controller_get_running (CpSyncController *self)
{
  g_return_val_if_fail (CP_IS_SYNC_CONTROLLER (self), FALSE);

  return self->running;
}

const char *
cp_sync_controller_get_progress_text (CpSyncController *self)
{
  g_return_val_if_fail (CP_IS_SYNC_CONTROLLER (self), NULL);

  return self->progress_text;
}

/* Returns: the configured CRM's name as people know it, or %NULL */
const char *
cp_sync_controller_get_backend_title (CpSyncController *self)
{
  g_return_val_if_fail (CP_IS_SYNC_CONTROLLER (self), NULL);

  if (g_strcmp0 (self->backend_name, "hubspot") == 0)
    return "HubSpot";
  if (g_strcmp0 (self->backend_name, "espocrm") == 0)
    return "EspoCRM";
  return NULL;
}

/* Returns: (transfer full) (nullable): the sync status, %NULL when no CRM is configured */
CpSyncStatus *
cp_sync_controller_get_status (CpSyncController *self)
{
  g_autoptr(GError) error = NULL;
  CpSyncStatus *status;

  g_return_val_if_fail (CP_IS_SYNC_CONTROLLER (self), NULL);

  if (self->store == NULL)
    return NULL;
  status = cp_sync_store_get_status (self->store, &error);
  if (status == NULL)
    g_warning ("Could not read the sync status: %s", error->message);
  return status;
}

/* Returns: (transfer full) (element-type CpSyncConflict): open conflicts */
GPtrArray *
cp_sync_controller_get_conflicts (CpSyncController *self)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *conflicts;

  g_return_val_if_fail (CP_IS_SYNC_CONTROLLER (self), NULL);

  if (self->store == NULL)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) cp_sync_conflict_free);
  conflicts = cp_sync_store_list_conflicts (self->store, &error);
  if (conflicts == NULL)
    {
      g_warning ("Could not read the sync conflicts: %s", error->message);
      return g_ptr_array_new_with_free_func ((GDestroyNotify) cp_sync_conflict_free);
    }
  return conflicts;
}

/* Returns: (transfer full) (element-type CpSyncReject): CRM records waiting
 *   to be applied, oldest first */
GPtrArray *
cp_sync_controller_get_rejects (CpSyncController *self)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rejects;

  g_return_val_if_fail (CP_IS_SYNC_CONTROLLER (self), NULL);

  if (self->store == NULL)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) cp_sync_reject_free);
  rejects = cp_sync_store_list_rejects (self->store, FALSE, &error);
  if (rejects == NULL)
    {
      g_warning ("Could not read the records waiting to be applied: %s", error->message);
      return g_ptr_array_new_with_free_func ((GDestroyNotify) cp_sync_reject_free);
    }
  return rejects;
}

/**
 * cp_sync_controller_dup_reject_title:
 *
 * Returns: (transfer full): the record's name as a lead's would read, else
 *   the CRM's id for it (cp_sync_record_dup_title())
 */
char *
cp_sync_controller_dup_reject_title (CpSyncController   *self,
                                     const CpSyncReject *reject)
{
  g_return_val_if_fail (CP_IS_SYNC_CONTROLLER (self), NULL);
  g_return_val_if_fail (reject != NULL, NULL);

  return cp_sync_record_dup_title (cp_lead_store_get_database (self->leads), self->backend_name,
                                   reject);
}

/**
 * cp_sync_controller_get_reject_fields:
 *
 * Returns: (transfer full) (element-type CpSyncRecordField): the record's
 *   values by Carepath's labels (cp_sync_record_list_fields())
 */
GPtrArray *
cp_sync_controller_get_reject_fields (CpSyncController   *self,
                                      const CpSyncReject *reject)
{
  g_return_val_if_fail (CP_IS_SYNC_CONTROLLER (self), NULL);
  g_return_val_if_fail (reject != NULL, NULL);

  return cp_sync_record_list_fields (cp_lead_store_get_database (self->leads), self->backend_name,
                                     reject);
}

/**
 * cp_sync_controller_dismiss_reject:
 *
 * The record is no longer retried nor listed (it stays in the database,
 * marked dismissed) until the CRM sends a newer version of it.
 */
gboolean
cp_sync_controller_dismiss_reject (CpSyncController  *self,
                                   gint64             reject_id,
                                   GError           **error)
{
  g_return_val_if_fail (CP_IS_SYNC_CONTROLLER (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  if (!cp_sync_store_dismiss_reject (self->store, reject_id, g_get_real_time () / G_USEC_PER_SEC,
                                     error))
    return FALSE;
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

/* Returns: (transfer full) (element-type CpSyncFailure): leads whose
 *   changes the CRM refused at the last attempt */
GPtrArray *
cp_sync_controller_get_push_failures (CpSyncController *self)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *failures;

  g_return_val_if_fail (CP_IS_SYNC_CONTROLLER (self), NULL);

  if (self->store == NULL)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) cp_sync_failure_free);
  failures = cp_sync_store_list_push_failures (self->store, &error);
  if (failures == NULL)
    {
      g_warning ("Could not read the changes the CRM refused: %s", error->message);
      return g_ptr_array_new_with_free_func ((GDestroyNotify) cp_sync_failure_free);
    }
  return failures;
}

void
cp_sync_controller_refresh (CpSyncController *self)
{
  g_return_if_fail (CP_IS_SYNC_CONTROLLER (self));

  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * cp_sync_controller_sync_now:
 *
 * Runs a sync off the main thread with its own connection; does nothing
 * when one runs already or no CRM is configured.
 */
void
cp_sync_controller_sync_now (CpSyncController *self)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (CP_IS_SYNC_CONTROLLER (self));

  if (self->running || self->store == NULL)
    return;

  data = g_new0 (RunData, 1);
  data->database_path = g_strdup (cp_database_get_path (cp_lead_store_get_database (self->leads)));
  data->backend = g_strdup (self->backend_name);
  data->url = g_settings_get_string (self->settings, "sync-base-url");
  self->cancellable = g_cancellable_new ();
  self->stopping = FALSE;
  self->stopped = FALSE;
  set_running (self, TRUE);
  set_progress_text (self, _("Connecting…"));

  task = g_task_new (self, self->cancellable, sync_finished_cb, NULL);
  g_task_set_source_tag (task, cp_sync_controller_sync_now);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_thread_cb);
}

/**
 * cp_sync_controller_cancel:
 *
 * Stops the running sync (the Sync view's Stop): what was received and
 * committed stays, the page in progress is not applied, and local changes
 * not yet sent stay queued for the next sync. The run ends on its own
 * thread; #CpSyncController:running turns %FALSE when it has.
 */
void
cp_sync_controller_cancel (CpSyncController *self)
{
  g_return_if_fail (CP_IS_SYNC_CONTROLLER (self));

  if (!self->running || self->stopping)
    return;
  self->stopping = TRUE;
  set_progress_text (self, _("Stopping after the page in progress…"));
  g_cancellable_cancel (self->cancellable);
}

/* Whether a Stop was asked for and the run has not ended yet. */
gboolean
cp_sync_controller_get_stopping (CpSyncController *self)
{
  g_return_val_if_fail (CP_IS_SYNC_CONTROLLER (self), FALSE);

  return self->stopping;
}

/* Whether the last run in this session ended because it was stopped. */
gboolean
cp_sync_controller_get_stopped (CpSyncController *self)
{
  g_return_val_if_fail (CP_IS_SYNC_CONTROLLER (self), FALSE);

  return self->stopped;
}

gboolean
cp_sync_controller_resolve (CpSyncController  *self,
                            gint64             conflict_id,
                            CpSyncResolution   resolution,
                            GError           **error)
{
  g_return_val_if_fail (CP_IS_SYNC_CONTROLLER (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  if (!cp_sync_store_resolve_conflict (self->store, conflict_id, resolution, error))
    return FALSE;
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

/**
 * cp_sync_controller_resolve_with_value:
 * @value: the value the user typed; validated like any edit
 */
gboolean
cp_sync_controller_resolve_with_value (CpSyncController  *self,
                                       gint64             conflict_id,
                                       const char        *value,
                                       GError           **error)
{
  g_return_val_if_fail (CP_IS_SYNC_CONTROLLER (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  if (!cp_sync_store_resolve_conflict_with_value (self->store, conflict_id, value,
                                                  g_get_real_name (), error))
    return FALSE;
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

/**
 * cp_sync_check_connection_async:
 * @token: (nullable): the token to try; %NULL for the saved one
 *
 * Reads the CRM's schema and one page of contacts, storing nothing.
 */
void
cp_sync_check_connection_async (const char          *backend,
                                const char          *base_url,
                                const char          *token,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  RunData *data = g_new0 (RunData, 1);

  data->backend = g_strdup (backend);
  data->url = g_strdup (base_url);
  data->token = token != NULL && *token != '\0' ? g_strdup (token) : NULL;
  g_task_set_source_tag (task, cp_sync_check_connection_async);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_thread_cb);
}

/**
 * cp_sync_prepare_crm_async:
 *
 * Like cp_sync_check_connection_async(), and creates what sync needs in
 * the CRM where the token may (HubSpot: the `carepath_id` property). Ask
 * the user first: it changes the CRM for everyone using it. Finish with
 * cp_sync_check_connection_finish().
 */
void
cp_sync_prepare_crm_async (const char          *backend,
                           const char          *base_url,
                           const char          *token,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  RunData *data = g_new0 (RunData, 1);

  data->backend = g_strdup (backend);
  data->url = g_strdup (base_url);
  data->token = token != NULL && *token != '\0' ? g_strdup (token) : NULL;
  data->create_setup = TRUE;
  g_task_set_source_tag (task, cp_sync_check_connection_async);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_thread_cb);
}

gboolean
cp_sync_check_connection_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cp_sync_can_prepare_crm:
 * @error: what a connection check answered
 *
 * Returns: whether @error says the CRM lacks what sync writes with, and
 *   Carepath can create it (cp_sync_prepare_crm_async())
 */
gboolean
cp_sync_can_prepare_crm (const char   *backend,
                         const GError *error)
{
  return g_strcmp0 (backend, "hubspot") == 0 &&
         g_error_matches (error, CP_SYNC_ERROR, CP_SYNC_ERROR_NOT_CONFIGURED);
}

static void
save_token_thread_cb (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  RunData *data = task_data;
  GError *error = NULL;

  if (cp_sync_secret_store (data->backend, data->url, data->token, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Saves the token in the keyring, off the main thread. */
void
cp_sync_save_token_async (const char          *backend,
                          const char          *base_url,
                          const char          *token,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  RunData *data = g_new0 (RunData, 1);

  data->backend = g_strdup (backend);
  data->url = g_strdup (base_url);
  data->token = g_strdup (token);
  g_task_set_source_tag (task, cp_sync_save_token_async);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, save_token_thread_cb);
}

gboolean
cp_sync_save_token_finish (GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
