/* cp-window.c — the main window: header bar, view switcher, five views
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-preferences-window.h"
#include "cp-window.h"

struct _CpWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *stack;
  AdwViewSwitcherTitle *switcher_title;
};

G_DEFINE_FINAL_TYPE (CpWindow, cp_window, ADW_TYPE_APPLICATION_WINDOW)

/* Order matters: Ctrl+1 … Ctrl+5 follow it. */
static const char * const view_names[] = {
  "pipeline", "leads", "funnel", "playbook", "sync",
};

static void
cp_window_save_state (CpWindow *self)
{
  int width = 0;
  int height = 0;
  gboolean maximized = gtk_window_is_maximized (GTK_WINDOW (self));

  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  /* Keep the unmaximized size, so un-maximizing next time restores it. */
  if (!maximized)
    {
      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      if (width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
    }
  g_settings_apply (self->settings);
}

static void
cp_window_restore_state (CpWindow *self)
{
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
cp_window_show_view_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  cp_window_set_visible_view (CP_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
cp_window_preferences_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  CpPreferencesWindow *preferences = cp_preferences_window_new (GTK_WINDOW (widget));

  gtk_window_present (GTK_WINDOW (preferences));
}

static void
cp_window_about_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  static const char *developers[] = { "The Carepath developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", widget,
                        "modal", TRUE,
                        "application-name", _("Carepath"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Carepath developers"),
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/carepath/carepath",
                        "issue-url", "https://github.com/carepath/carepath/issues",
                        "comments", _("Manage healthcare leads from first inquiry to booked "
                                      "appointment: a pipeline board, explainable scoring, "
                                      "offline event capture and CRM sync."),
                        "developers", developers,
                        "copyright", "© 2026 The Carepath developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your names here, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static gboolean
cp_window_close_request (GtkWindow *window)
{
  cp_window_save_state (CP_WINDOW (window));

  return GTK_WINDOW_CLASS (cp_window_parent_class)->close_request (window);
}

static void
cp_window_constructed (GObject *object)
{
  CpWindow *self = CP_WINDOW (object);

  G_OBJECT_CLASS (cp_window_parent_class)->constructed (object);

  cp_window_restore_state (self);
}

static void
cp_window_dispose (GObject *object)
{
  CpWindow *self = CP_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cp_window_parent_class)->dispose (object);
}

static void
cp_window_class_init (CpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = cp_window_constructed;
  object_class->dispose = cp_window_dispose;
  window_class->close_request = cp_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/cp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CpWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, switcher_title);

  gtk_widget_class_install_action (widget_class, "win.show-view", "s", cp_window_show_view_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, cp_window_preferences_action);
  gtk_widget_class_install_action (widget_class, "win.about", NULL, cp_window_about_action);
  /* Installed now so menus, shortcuts and the shortcuts window are wired;
   * they stay insensitive until the feature behind each one is built. */
  gtk_widget_class_install_action (widget_class, "win.new-lead", NULL, NULL);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, NULL);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, NULL);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (view_names); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_CONTROL_MASK,
                                         "win.show-view", "s", view_names[i]);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-lead", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK,
                                       "win.preferences", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
cp_window_init (CpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "last-view", self->stack, "visible-child-name",
                   G_SETTINGS_BIND_DEFAULT);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-lead", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", FALSE);
}

const char *
cp_window_get_visible_view (CpWindow *self)
{
  g_return_val_if_fail (CP_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->stack);
}

void
cp_window_set_visible_view (CpWindow   *self,
                            const char *name)
{
  g_return_if_fail (CP_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  if (adw_view_stack_get_child_by_name (self->stack, name) == NULL)
    {
      g_warning ("No view named “%s”", name);
      return;
    }

  adw_view_stack_set_visible_child_name (self->stack, name);
}

void
cp_window_add_toast (CpWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (CP_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
