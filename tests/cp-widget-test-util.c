/* cp-widget-test-util.c — what widget tests share: main loop, leaks, finding widgets
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cp-widget-test-util.h"

/* Runs everything pending: signal emissions, idles, relayouts. */
void
cp_test_iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/**
 * cp_test_finalize_widget:
 * @widget: (transfer full): the test's last reference
 *
 * GTK drops some references from idle work (list item recycling, focus
 * changes); it gets up to a second before a leak is declared.
 */
void
cp_test_finalize_widget (gpointer widget)
{
  gpointer weak = widget;
  gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC;

  g_object_add_weak_pointer (G_OBJECT (widget), &weak);
  g_object_unref (widget);
  while (weak != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  if (weak != NULL)
    g_error ("%s %p was not finalized: %u references left", G_OBJECT_TYPE_NAME (weak), weak,
             G_OBJECT (weak)->ref_count);
}

/**
 * cp_test_find_button:
 *
 * Returns: (transfer none) (nullable): the first button below @root that
 *   activates @action_name, as a user would find it
 */
GtkWidget *
cp_test_find_button (GtkWidget  *root,
                     const char *action_name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action_name) == 0)
        return child;
      if ((found = cp_test_find_button (child, action_name)) != NULL)
        return found;
    }

  return NULL;
}

/**
 * cp_test_find_dialog:
 *
 * Returns: (transfer none) (nullable): the visible message dialog on top of @parent
 */
AdwMessageDialog *
cp_test_find_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_window_get_transient_for (window) == parent &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

/* Every widget of @type below @root, in the order a user reads them. */
void
cp_test_collect_widgets (GtkWidget *root,
                         GType      type,
                         GPtrArray *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        g_ptr_array_add (out, child);
      cp_test_collect_widgets (child, type, out);
    }
}

/**
 * cp_test_screenshot:
 * @suffix: what the picture shows
 *
 * With CP_TEST_SCREENSHOT=BASE in the environment, lets the screen settle
 * and saves it as BASE-SUFFIX.png (for the README); otherwise does nothing.
 */
void
cp_test_screenshot (const char *suffix)
{
  const char *base = g_getenv ("CP_TEST_SCREENSHOT");
  g_autofree char *command = NULL;

  if (base == NULL)
    return;
  for (int i = 0; i < 40; i++)
    {
      cp_test_iterate ();
      g_usleep (25000);
    }
  command = g_strdup_printf ("import -window root %s-%s.png", base, suffix);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
}
