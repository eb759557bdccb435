/* cp-application.c — the Carepath application object
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-application"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-application.h"

struct _CpApplication
{
  AdwApplication  parent_instance;

  GType           window_type;
  char           *database_path;
  gboolean        capture_mode;
};

G_DEFINE_FINAL_TYPE (CpApplication, cp_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_DATABASE_PATH,
  PROP_CAPTURE_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GOptionEntry option_entries[] = {
  { "version", 'v', 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the database file PATH instead of the default one"), N_("PATH") },
  { "capture", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start in quick capture mode for events"), NULL },
  { NULL }
};

/**
 * cp_default_database_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/carepath/carepath.db`
 */
char *
cp_default_database_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "carepath", "carepath.db", NULL);
}

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

static const GActionEntry app_actions[] = {
  { "quit", cp_application_quit_action, NULL, NULL, NULL, { 0 } },
};

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

  if (g_variant_dict_contains (options, "capture"))
    {
      self->capture_mode = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPTURE_MODE]);
    }

  return -1;
}

static void
cp_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (cp_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
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
}

static void
cp_application_finalize (GObject *object)
{
  CpApplication *self = CP_APPLICATION (object);

  g_clear_pointer (&self->database_path, g_free);

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
    case PROP_CAPTURE_MODE:
      g_value_set_boolean (value, self->capture_mode);
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
  properties[PROP_CAPTURE_MODE] =
    g_param_spec_boolean ("capture-mode", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cp_application_init (CpApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Manage healthcare leads from first inquiry to booked appointment."));
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

gboolean
cp_application_get_capture_mode (CpApplication *self)
{
  g_return_val_if_fail (CP_IS_APPLICATION (self), FALSE);

  return self->capture_mode;
}
