/* cp-application.c — the Carepath application object
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-application"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-application.h"
#include "cp-paths.h"
#include "cp-database.h"
#include "cp-demo-writer.h"
#include "cp-playbook-store.h"
#include "cp-reminders.h"
#include "cp-task-store.h"
#include "cp-task-time.h"
#include "cp-tick-service.h"

struct _CpApplication
{
  AdwApplication  parent_instance;

  GType           window_type;
  char           *database_path;
  gboolean        auto_demo;
  char           *lead_to_open;
  gboolean        capture;

  CpDatabase     *database;
  CpLeadStore    *lead_store;
  CpPlaybook     *playbook;
  GPtrArray      *retired_playbooks;   /* CpPlaybook replaced by a newer version */
  GError         *open_error;
  CpTickService  *tick_service;
  guint           first_tick_id;       /* the delayed first sweep */
  GSettings      *settings;
  gboolean        held;                /* run-in-background: kept running without a window */
};

/* Stored in the database: the first-run choice belongs to the data. */
#define FIRST_RUN_SETTING "first-run"
#define DEMO_SEED 20261122

G_DEFINE_FINAL_TYPE (CpApplication, cp_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_DATABASE_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GOptionEntry option_entries[] = {
  { "version", 'v', 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the database file PATH instead of the default one"), N_("PATH") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("On a new database, load the demo data without asking"), NULL },
  { "lead", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Open the lead with this id"), N_("ID") },
  { "capture", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start in event capture mode"), NULL },
  { NULL }
};

static void
cp_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  CpApplication *self = user_data;
  GList *windows;

  /* Close windows first so each one saves its state. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (GTK_WINDOW (windows->data));

  g_application_quit (G_APPLICATION (self));
}

/* A notification's “Open Lead”: the lead's window, over the main one
 * (which opens first when the app ran in the background). */
static void
cp_application_open_lead_action (GSimpleAction *action,
                                  GVariant      *parameter,
                                  gpointer       user_data)
{
  CpApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      g_application_activate (G_APPLICATION (self));
      window = gtk_application_get_active_window (GTK_APPLICATION (self));
    }
  if (window != NULL)
    gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.open-lead", parameter);
}

/* A notification's “Snooze 1 Hour”: a task due again in an hour, or a
 * response reminder announced again in an hour (cp-reminders.h). */
static void
cp_application_snooze_task_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  CpApplication *self = user_data;
  CpLeadStore *store = cp_application_get_lead_store (self, NULL);
  const char *target = g_variant_get_string (parameter, NULL);
  g_autofree char *actor = cp_application_dup_user_name (self);
  g_autoptr(GError) error = NULL;

  if (store == NULL)
    return;
  if (!cp_lead_store_snooze_reminder (store, target,
                                      cp_lead_store_now (store) + CP_REMINDER_SNOOZE_SECONDS, actor,
                                      &error))
    g_warning ("Could not snooze the reminder: %s", error->message);
}

static const GActionEntry app_actions[] = {
  { "quit", cp_application_quit_action, NULL, NULL, NULL, { 0 } },
  { "open-lead", cp_application_open_lead_action, "s", NULL, NULL, { 0 } },
  { "snooze-task", cp_application_snooze_task_action, "s", NULL, NULL, { 0 } },
};

/* With run-in-background, closing the last window keeps the app (and its
 * reminders) running; the app quits from its menu (app.quit). */
static void
run_in_background_changed_cb (GSettings     *settings,
                              const char    *key,
                              CpApplication *self)
{
  gboolean wanted = g_settings_get_boolean (settings, "run-in-background");

  if (wanted == self->held)
    return;
  self->held = wanted;
  if (wanted)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
}

static void
noticed_cb (CpTickService *service,
            GPtrArray     *notices,
            CpApplication *self)
{
  g_autoptr(GPtrArray) alerts = cp_notices_to_alerts (notices, cp_desktop_clock_is_12h ());

  for (guint i = 0; i < alerts->len; i++)
    {
      CpAlert *alert = alerts->pdata[i];
      g_autoptr(GNotification) notification = cp_alert_to_notification (alert);

      g_application_send_notification (G_APPLICATION (self), alert->id, notification);
    }
}

static void
user_name_changed_cb (GSettings     *settings,
                      const char    *key,
                      CpApplication *self)
{
  g_autofree char *name = cp_application_dup_user_name (self);

  if (self->tick_service != NULL)
    cp_tick_service_set_user (self->tick_service, name);
}

/* The playbook's time rules run while the app does: at start-up and
 * every few minutes, on a worker of their own. */
#define FIRST_TICK_DELAY_SECONDS 2

static gboolean
start_ticks_cb (gpointer user_data)
{
  CpApplication *self = user_data;

  self->first_tick_id = 0;
  if (self->tick_service != NULL)
    cp_tick_service_start (self->tick_service, CP_TICK_SERVICE_INTERVAL_SECONDS);
  return G_SOURCE_REMOVE;
}

static void
start_time_rules (CpApplication *self)
{
  g_autofree char *name = NULL;

  if (self->tick_service != NULL || cp_application_get_lead_store (self, NULL) == NULL)
    return;
  /* The time rules write (SLA breaches, escalations, automation). */
  if (cp_database_is_read_only (self->database))
    return;
  name = cp_application_dup_user_name (self);
  self->tick_service = cp_tick_service_new (cp_application_get_database_path (self), name);
  g_signal_connect_object (self->tick_service, "noticed", G_CALLBACK (noticed_cb), self, 0);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::user-name",
                             G_CALLBACK (user_name_changed_cb), self, 0);
  /* The first sweep waits until the window has drawn: on two cores a
   * sweep of a million leads at once would share the CPU with the first
   * frame. */
  self->first_tick_id = g_timeout_add_seconds_full (G_PRIORITY_LOW, FIRST_TICK_DELAY_SECONDS,
                                                    start_ticks_cb, self, NULL);
}

static int
cp_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  CpApplication *self = CP_APPLICATION (app);
  g_autofree char *db = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "db", "^ay", &db))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (db);
      g_autofree char *path = g_file_get_path (file);

      cp_application_set_database_path (self, path);
      /* Another database is another working set: don't hand it to an
       * already running instance that has the default one open. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  if (g_variant_dict_contains (options, "demo"))
    self->auto_demo = TRUE;

  g_clear_pointer (&self->lead_to_open, g_free);
  g_variant_dict_lookup (options, "lead", "s", &self->lead_to_open);
  self->capture = g_variant_dict_contains (options, "capture");


  return -1;
}

static void
cp_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (cp_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  {
    GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
    g_autoptr(GSettingsSchema) schema = source != NULL
      ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

    if (schema != NULL)
      CP_APPLICATION (app)->settings = g_settings_new (APP_ID);
    if (schema != NULL && g_settings_schema_has_key (schema, "run-in-background"))
      {
        g_signal_connect_object (CP_APPLICATION (app)->settings, "changed::run-in-background",
                                 G_CALLBACK (run_in_background_changed_cb), app, 0);
        run_in_background_changed_cb (CP_APPLICATION (app)->settings, "run-in-background",
                                      CP_APPLICATION (app));
      }
  }
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
cp_application_activate (GApplication *app)
{
  CpApplication *self = CP_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    {
      g_return_if_fail (g_type_is_a (self->window_type, GTK_TYPE_APPLICATION_WINDOW));
      window = g_object_new (self->window_type, "application", app, NULL);
    }

  gtk_window_present (window);
  if (self->capture)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.capture", NULL);
  self->capture = FALSE;
  start_time_rules (self);
}

static void
cp_application_finalize (GObject *object)
{
  CpApplication *self = CP_APPLICATION (object);

  g_clear_handle_id (&self->first_tick_id, g_source_remove);
  g_clear_pointer (&self->database_path, g_free);
  g_clear_pointer (&self->lead_to_open, g_free);
  g_clear_pointer (&self->playbook, cp_playbook_unref);
  g_clear_pointer (&self->retired_playbooks, g_ptr_array_unref);
  g_clear_object (&self->tick_service);
  g_clear_object (&self->settings);
  g_clear_object (&self->lead_store);
  g_clear_object (&self->database);
  g_clear_error (&self->open_error);

  G_OBJECT_CLASS (cp_application_parent_class)->finalize (object);
}

static void
cp_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CpApplication *self = CP_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      g_value_set_string (value, cp_application_get_database_path (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_application_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CpApplication *self = CP_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      cp_application_set_database_path (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_application_class_init (CpApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = cp_application_finalize;
  object_class->get_property = cp_application_get_property;
  object_class->set_property = cp_application_set_property;

  app_class->handle_local_options = cp_application_handle_local_options;
  app_class->startup = cp_application_startup;
  app_class->activate = cp_application_activate;

  properties[PROP_DATABASE_PATH] =
    g_param_spec_string ("database-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cp_application_init (CpApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Manage healthcare leads from first inquiry to "
                                              "booked appointment."));
}

/**
 * cp_application_new:
 * @window_type: the #GtkApplicationWindow subclass to show on activation
 *
 * The window type is passed in so that this layer does not depend on the
 * widgets above it.
 */
CpApplication *
cp_application_new (GType window_type)
{
  CpApplication *self;

  g_return_val_if_fail (g_type_is_a (window_type, GTK_TYPE_APPLICATION_WINDOW), NULL);

  self = g_object_new (CP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
  self->window_type = window_type;

  return self;
}

/**
 * cp_application_get_database_path:
 *
 * Returns: the database file this instance works on: the `--db` path, or
 *   the default one under the user's data directory.
 */
const char *
cp_application_get_database_path (CpApplication *self)
{
  g_return_val_if_fail (CP_IS_APPLICATION (self), NULL);

  if (self->database_path == NULL)
    self->database_path = cp_default_database_path ();

  return self->database_path;
}

void
cp_application_set_database_path (CpApplication *self,
                                  const char    *path)
{
  g_return_if_fail (CP_IS_APPLICATION (self));

  if (g_strcmp0 (self->database_path, path) == 0)
    return;

  g_free (self->database_path);
  self->database_path = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATABASE_PATH]);
}

/**
 * cp_application_get_lead_store:
 *
 * Opens the database on first use (creating and migrating it if needed).
 *
 * Returns: (transfer none) (nullable): the store of the main thread, or
 *   %NULL with the reason the database could not be opened
 */
CpLeadStore *
cp_application_get_lead_store (CpApplication  *self,
                               GError        **error)
{
  g_return_val_if_fail (CP_IS_APPLICATION (self), NULL);

  if (self->lead_store == NULL && self->open_error == NULL)
    {
      g_autofree char *region = cp_default_phone_region ();

      self->database = cp_database_open (cp_application_get_database_path (self),
                                         &self->open_error);
      if (self->database != NULL)
        {
          self->lead_store = cp_lead_store_new (self->database);
          cp_lead_store_set_default_region (self->lead_store, region);
          /* The CLI, imports and sync write from other connections. */
          cp_lead_store_watch_external_changes (self->lead_store, 1000);
        }
    }

  if (self->open_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->open_error));
      return NULL;
    }

  return self->lead_store;
}

/**
 * cp_application_open_database:
 * @path: another database file
 *
 * After the database could not be opened, works on @path instead (it is
 * created when missing). Refused while a database is open: the windows
 * and workers hold it.
 *
 * Returns: (transfer none) (nullable): the store of @path, or %NULL with
 *   the reason it could not be opened
 */
CpLeadStore *
cp_application_open_database (CpApplication  *self,
                              const char     *path,
                              GError        **error)
{
  g_return_val_if_fail (CP_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (self->lead_store == NULL, NULL);

  g_clear_error (&self->open_error);
  cp_application_set_database_path (self, path);
  if (cp_application_get_lead_store (self, error) == NULL)
    return NULL;
  start_time_rules (self);
  return self->lead_store;
}

/**
 * cp_application_restore_backup:
 * @backup_path: a copy of a Carepath database
 * @out_set_aside: (out) (optional) (transfer full) (nullable): where the
 *   damaged file was kept
 *
 * After the database could not be opened, puts @backup_path in its place
 * (the damaged file is kept aside, see cp_database_restore_backup()) and
 * opens it.
 *
 * Returns: (transfer none) (nullable): the restored store, or %NULL with
 *   the reason; on failure the database file is as it was
 */
CpLeadStore *
cp_application_restore_backup (CpApplication  *self,
                               const char     *backup_path,
                               char          **out_set_aside,
                               GError        **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (CP_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (self->lead_store == NULL, NULL);

  path = g_strdup (cp_application_get_database_path (self));
  if (!cp_database_restore_backup (path, backup_path, out_set_aside, error))
    return NULL;
  return cp_application_open_database (self, path, error);
}

/**
 * cp_application_is_read_only:
 *
 * Returns: %TRUE when the database was opened read-only (its file cannot
 *   be written): it can be read, searched and exported, not changed
 */
gboolean
cp_application_is_read_only (CpApplication *self)
{
  g_return_val_if_fail (CP_IS_APPLICATION (self), FALSE);

  return cp_application_get_lead_store (self, NULL) != NULL &&
         cp_database_is_read_only (self->database);
}

/**
 * cp_application_wants_first_run_choice:
 *
 * Returns: %TRUE on a database that is empty and was never offered the
 *   choice between starting empty and exploring demo data
 */
gboolean
cp_application_wants_first_run_choice (CpApplication *self)
{
  g_autofree char *choice = NULL;
  CpLeadStore *store;
  guint count = 0;

  g_return_val_if_fail (CP_IS_APPLICATION (self), FALSE);

  store = cp_application_get_lead_store (self, NULL);
  if (store == NULL || cp_database_is_read_only (self->database))
    return FALSE;

  choice = cp_database_get_setting (self->database, FIRST_RUN_SETTING);
  if (choice != NULL)
    return FALSE;

  return cp_lead_store_count (store, NULL, &count, NULL) && count == 0;
}

gboolean
cp_application_get_auto_demo (CpApplication *self)
{
  g_return_val_if_fail (CP_IS_APPLICATION (self), FALSE);

  return self->auto_demo;
}

/**
 * cp_application_finish_first_run:
 * @choice: "empty" or "demo"
 */
void
cp_application_finish_first_run (CpApplication *self,
                                 const char    *choice)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CP_IS_APPLICATION (self));
  g_return_if_fail (self->database != NULL);

  if (!cp_database_set_setting (self->database, FIRST_RUN_SETTING, choice, &error))
    g_warning ("Could not record the first-run choice: %s", error->message);
}

static void
load_demo_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  const char *path = g_object_get_data (G_OBJECT (task), "path");
  guint n_leads = GPOINTER_TO_UINT (task_data);
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(GError) error = NULL;

  /* A worker owns its own connection. */
  database = cp_database_open (path, &error);
  if (database == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  store = cp_lead_store_new (database);

  if (!cp_demo_writer_run (store, n_leads, DEMO_SEED, g_get_real_time () / G_USEC_PER_SEC,
                           NULL, NULL, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * cp_application_load_demo_async:
 *
 * Adds @n_leads generated demo leads on a worker thread. The main store
 * announces the new leads when it finishes.
 */
void
cp_application_load_demo_async (CpApplication       *self,
                                guint                n_leads,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CP_IS_APPLICATION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_application_load_demo_async);
  if (cp_application_get_lead_store (self, &error) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, GUINT_TO_POINTER (n_leads), NULL);
  g_object_set_data_full (G_OBJECT (task), "path",
                          g_strdup (cp_application_get_database_path (self)), g_free);
  g_task_run_in_thread (task, load_demo_thread);
}

gboolean
cp_application_load_demo_finish (CpApplication  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (CP_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  /* Whatever the worker committed, the views must show it. */
  if (self->lead_store != NULL)
    cp_lead_store_emit_bulk_change (self->lead_store);
  cp_application_finish_first_run (self, "demo");

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cp_application_take_lead_to_open:
 *
 * Returns: (transfer full) (nullable): the `--lead` id, once
 */
char *
cp_application_take_lead_to_open (CpApplication *self)
{
  g_return_val_if_fail (CP_IS_APPLICATION (self), NULL);

  return g_steal_pointer (&self->lead_to_open);
}

/**
 * cp_application_get_playbook:
 *
 * Returns: (transfer none) (nullable): the playbook in effect: the latest
 *   published version, or the built-in default
 */
/**
 * cp_application_reload_playbook:
 *
 * A new version was published: the next cp_application_get_playbook()
 * reads the version in effect. The one before stays alive (widgets may
 * still hold its stage titles) until the application ends.
 */
void
cp_application_reload_playbook (CpApplication *self)
{
  g_return_if_fail (CP_IS_APPLICATION (self));

  if (self->playbook == NULL)
    return;
  if (self->retired_playbooks == NULL)
    self->retired_playbooks = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_playbook_unref);
  g_ptr_array_add (self->retired_playbooks, g_steal_pointer (&self->playbook));
}

CpPlaybook *
cp_application_get_playbook (CpApplication *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CP_IS_APPLICATION (self), NULL);

  /* The playbook every write follows: the store's. */
  if (self->playbook == NULL && cp_application_get_lead_store (self, NULL) != NULL)
    {
      self->playbook = cp_lead_store_get_playbook (self->lead_store, NULL, &error);
      if (self->playbook == NULL)
        g_warning ("Could not load the playbook: %s", error->message);
    }

  return self->playbook;
}

/**
 * cp_application_dup_user_name:
 *
 * Returns: (transfer full): the person using the app, as lead owners name
 *   them: the name chosen in Preferences, else the account's full name
 */
char *
cp_application_dup_user_name (CpApplication *self)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (CP_IS_APPLICATION (self), NULL);

  if (self->settings != NULL)
    name = g_strstrip (g_settings_get_string (self->settings, "user-name"));
  if (name != NULL && *name != '\0')
    return g_steal_pointer (&name);
  return g_strdup (g_get_real_name ());
}

/* Each lead through the write path with the playbook in effect. */
static int
rescore_ids (CpLeadStore         *store,
             const char * const  *ids,
             const char          *actor,
             GCancellable        *cancellable,
             GError             **error)
{
  int changed = 0;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      gboolean lead_changed = FALSE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !cp_lead_store_refresh (store, ids[i], actor, &lead_changed, error))
        return -1;
      changed += lead_changed;
    }
  return changed;
}

typedef struct
{
  char  *path;
  char  *region;
  char  *actor;
  GStrv  ids;
} RescoreJob;

static void
rescore_job_free (RescoreJob *job)
{
  g_free (job->path);
  g_free (job->region);
  g_free (job->actor);
  g_strfreev (job->ids);
  g_free (job);
}

static void
rescore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RescoreJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = cp_database_open (job->path, &error);
  g_autoptr(CpLeadStore) store = NULL;
  int changed = -1;

  if (database != NULL)
    {
      store = cp_lead_store_new (database);
      cp_lead_store_set_default_region (store, job->region);
      changed =
          rescore_ids (store, (const char * const *) job->ids, job->actor, cancellable, &error);
    }
  if (changed < 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, changed);
}

/**
 * cp_application_rescore_leads_async:
 * @ids: (array zero-terminated=1): the leads to score again
 *
 * Computes the leads again with the playbook in effect (scores and tier,
 * queue, SLA clock) through the write path, audited like any edit, on a
 * worker with its own connection: a large selection does not stall the
 * window (the main store sees the changes as any other writer's).
 */
void
cp_application_rescore_leads_async (CpApplication       *self,
                                    const char * const  *ids,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RescoreJob *job;

  g_return_if_fail (CP_IS_APPLICATION (self));
  g_return_if_fail (ids != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_application_rescore_leads_async);
  job = g_new0 (RescoreJob, 1);
  job->path = g_strdup (cp_application_get_database_path (self));
  job->region = cp_default_phone_region ();
  job->actor = g_strdup (g_get_real_name ());
  job->ids = g_strdupv ((char **) ids);
  g_task_set_task_data (task, job, (GDestroyNotify) rescore_job_free);
  g_task_run_in_thread (task, rescore_thread);
}

/**
 * cp_application_rescore_leads_finish:
 *
 * Returns: how many leads changed, or -1 with @error set
 */
int
cp_application_rescore_leads_finish (CpApplication  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return (int) g_task_propagate_int (G_TASK (result), error);
}
