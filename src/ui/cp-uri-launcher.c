/* cp-uri-launcher.c — hands mailto: and tel: links to the desktop, through one signal
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every link the app opens (a mail to a lead, a call) goes through the
 * “launch” signal of one launcher, like GtkLabel::activate-link: the
 * default handler gives the link to the desktop (GtkUriLauncher from GTK
 * 4.10, gtk_show_uri() before it, both through the OpenURI portal in a
 * sandbox). A handler that returns %TRUE takes the link instead (widget
 * tests read the link there rather than opening a mail client). */
#define G_LOG_DOMAIN "cp-uri-launcher"

#include "config.h"

#include "cp-uri-launcher.h"

struct _CpUriLauncher
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (CpUriLauncher, cp_uri_launcher, G_TYPE_OBJECT)

enum {
  SIGNAL_LAUNCH,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#if GTK_CHECK_VERSION (4, 10, 0)
static void
launched_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The link holds personal data: say that it failed, not what it was. */
  if (!gtk_uri_launcher_launch_finish (GTK_URI_LAUNCHER (source), result, &error) &&
      !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
    g_warning ("Could not open a link: %s", error->message);
}
#endif

static gboolean
cp_uri_launcher_real_launch (CpUriLauncher *self,
                             GtkWindow     *parent,
                             const char    *uri)
{
#if GTK_CHECK_VERSION (4, 10, 0)
  g_autoptr(GtkUriLauncher) launcher = gtk_uri_launcher_new (uri);

  gtk_uri_launcher_launch (launcher, parent, NULL, launched_cb, NULL);
#else
  gtk_show_uri (parent, uri, GDK_CURRENT_TIME);
#endif
  return TRUE;
}

static void
cp_uri_launcher_class_init (CpUriLauncherClass *klass)
{
  /**
   * CpUriLauncher::launch:
   * @parent: (nullable): the window the link was followed from
   * @uri: the link
   *
   * Returns: %TRUE when a handler took the link
   */
  signals[SIGNAL_LAUNCH] =
    g_signal_new_class_handler ("launch", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (cp_uri_launcher_real_launch),
                                g_signal_accumulator_true_handled, NULL, NULL,
                                G_TYPE_BOOLEAN, 2, GTK_TYPE_WINDOW, G_TYPE_STRING);
}

static void
cp_uri_launcher_init (CpUriLauncher *self)
{
}

/**
 * cp_uri_launcher_get_default:
 *
 * Returns: (transfer none): the launcher every window uses
 */
CpUriLauncher *
cp_uri_launcher_get_default (void)
{
  static CpUriLauncher *launcher;

  if (g_once_init_enter (&launcher))
    g_once_init_leave (&launcher, g_object_new (CP_TYPE_URI_LAUNCHER, NULL));
  return launcher;
}

/**
 * cp_uri_launcher_launch:
 * @parent: (nullable): the window the link is followed from
 *
 * Returns: %TRUE when the link was handed on
 */
gboolean
cp_uri_launcher_launch (CpUriLauncher *self,
                        GtkWindow     *parent,
                        const char    *uri)
{
  gboolean handled = FALSE;

  g_return_val_if_fail (CP_IS_URI_LAUNCHER (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  g_signal_emit (self, signals[SIGNAL_LAUNCH], 0, parent, uri, &handled);
  return handled;
}
