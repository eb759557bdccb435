/* test-window.c — the main window: state in GSettings, actions, shortcuts
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cp-application.h"
#include "cp-preferences-window.h"
#include "cp-ui.h"
#include "cp-window.h"

static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

static void
iterate_main_loop (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static CpWindow *
create_window (void)
{
  CpWindow *window = g_object_new (CP_TYPE_WINDOW, NULL);

  g_object_ref_sink (window);
  return window;
}

static void
test_window_restores_saved_size (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  CpWindow *window;
  int width = 0;
  int height = 0;

  reset_settings ();
  g_settings_set_int (settings, "window-width", 1024);
  g_settings_set_int (settings, "window-height", 700);

  window = create_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1024);
  g_assert_cmpint (height, ==, 700);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_window_saves_size_on_close (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  CpWindow *window;

  reset_settings ();
  window = create_window ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  gtk_window_present (GTK_WINDOW (window));
  iterate_main_loop ();

  /* Closing is what saves: a crash mid-session keeps the last good state. */
  gtk_window_close (GTK_WINDOW (window));
  iterate_main_loop ();

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  g_assert_finalize_object (window);
}

static void
test_window_restores_maximized (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  CpWindow *window;

  reset_settings ();
  g_settings_set_boolean (settings, "window-maximized", TRUE);
  window = create_window ();
  /* The request is recorded before mapping; the window manager may or may
   * not honour it under Xvfb, so check what we asked for. */
  g_assert_true (gtk_window_is_maximized (GTK_WINDOW (window)) ||
                 g_settings_get_boolean (settings, "window-maximized"));
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_window_last_view_persists (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  CpWindow *window;

  reset_settings ();
  g_settings_set_string (settings, "last-view", "funnel");
  window = create_window ();
  g_assert_cmpstr (cp_window_get_visible_view (window), ==, "funnel");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "sync"));
  g_assert_cmpstr (cp_window_get_visible_view (window), ==, "sync");
  {
    g_autofree char *saved = g_settings_get_string (settings, "last-view");
    g_assert_cmpstr (saved, ==, "sync");
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_window_unknown_view_is_refused (void)
{
  CpWindow *window;

  reset_settings ();
  window = create_window ();
  cp_window_set_visible_view (window, "leads");

  g_test_expect_message ("cp-window", G_LOG_LEVEL_WARNING, "No view named*");
  cp_window_set_visible_view (window, "no-such-view");
  g_test_assert_expected_messages ();
  g_assert_cmpstr (cp_window_get_visible_view (window), ==, "leads");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static gboolean
widget_has_shortcut (GtkWidget       *widget,
                     guint            keyval,
                     GdkModifierType  modifiers,
                     const char      *action_name,
                     const char      *target)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  guint n = g_list_model_get_n_items (controllers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      guint n_shortcuts;

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      n_shortcuts = g_list_model_get_n_items (G_LIST_MODEL (controller));
      for (guint j = 0; j < n_shortcuts; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, modifiers);
          GVariant *args = gtk_shortcut_get_arguments (shortcut);

          if (!GTK_IS_NAMED_ACTION (action) || !gtk_shortcut_trigger_equal (trigger, wanted))
            continue;
          if (g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                         action_name) != 0)
            continue;
          if (target == NULL ||
              (args != NULL && g_strcmp0 (g_variant_get_string (args, NULL), target) == 0))
            return TRUE;
        }
    }

  return FALSE;
}

static void
test_window_shortcuts_installed (void)
{
  static const char *views[] = { "pipeline", "leads", "funnel", "playbook", "sync" };
  CpWindow *window;

  reset_settings ();
  window = create_window ();

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    g_assert_true (widget_has_shortcut (GTK_WIDGET (window), GDK_KEY_1 + i, GDK_CONTROL_MASK,
                                        "win.show-view", views[i]));
  g_assert_true (
      widget_has_shortcut (GTK_WIDGET (window), GDK_KEY_n, GDK_CONTROL_MASK, "win.new-lead", NULL));
  g_assert_true (
      widget_has_shortcut (GTK_WIDGET (window), GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL));
  g_assert_true (
      widget_has_shortcut (GTK_WIDGET (window), GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL));
  g_assert_true (widget_has_shortcut (GTK_WIDGET (window), GDK_KEY_comma, GDK_CONTROL_MASK,
                                      "win.preferences", NULL));
  /* A shortcut that does not exist must not be found. */
  g_assert_false (widget_has_shortcut (GTK_WIDGET (window), GDK_KEY_6, GDK_CONTROL_MASK,
                                       "win.show-view", NULL));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_window_ctrl_number_switches_view (void)
{
  CpWindow *window;

  reset_settings ();
  window = create_window ();
  gtk_window_present (GTK_WINDOW (window));
  iterate_main_loop ();
  g_assert_cmpstr (cp_window_get_visible_view (window), ==, "pipeline");

  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "playbook"));
  g_assert_cmpstr (cp_window_get_visible_view (window), ==, "playbook");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static GtkWidget *
find_widget (GtkWidget *root,
             gboolean (*match) (GtkWidget *widget, gconstpointer data),
             gconstpointer data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
has_action_name (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

static gboolean
is_combo_row (GtkWidget     *widget,
              gconstpointer  data)
{
  return ADW_IS_COMBO_ROW (widget);
}

static gboolean
is_titled_entry_row (GtkWidget     *widget,
                     gconstpointer  data)
{
  return ADW_IS_ENTRY_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static void
test_window_menu_actions (void)
{
  CpWindow *window;
  GtkWidget *new_lead;
  GtkWidget *open_preferences;

  reset_settings ();
  window = create_window ();
  gtk_window_present (GTK_WINDOW (window));
  iterate_main_loop ();

  /* Without a database, actions that need one stay insensitive rather than
   * fail: the header's New Lead button shows it. */
  new_lead = find_widget (GTK_WIDGET (window), has_action_name, "win.new-lead");
  g_assert_nonnull (new_lead);
  g_assert_false (gtk_widget_is_sensitive (new_lead));

  /* The views are built when first shown. */
  cp_window_set_visible_view (window, "sync");
  open_preferences = find_widget (GTK_WIDGET (window), has_action_name, "win.preferences");
  g_assert_nonnull (open_preferences);
  g_assert_true (gtk_widget_get_sensitive (open_preferences));

  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.no-such-action", NULL));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_window_preferences_binds_region (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  CpPreferencesWindow *preferences;
  AdwComboRow *row;

  reset_settings ();
  g_settings_set_string (settings, "default-phone-region", "DE");
  preferences = cp_preferences_window_new (NULL);
  g_object_ref_sink (preferences);

  row = ADW_COMBO_ROW (find_widget (GTK_WIDGET (preferences), is_combo_row, NULL));
  g_assert_nonnull (row);

  {
    GListModel *model = adw_combo_row_get_model (row);
    g_autoptr(GtkStringObject) item =
        g_list_model_get_item (model, adw_combo_row_get_selected (row));
    g_assert_cmpstr (gtk_string_object_get_string (item), ==, "Germany (+49)");
  }

  adw_combo_row_set_selected (row, 0);
  {
    g_autofree char *region = g_settings_get_string (settings, "default-phone-region");
    g_assert_cmpstr (region, ==, "AU");
  }

  /* Whose leads the notifications are about. */
  {
    GtkWidget *owner = find_widget (GTK_WIDGET (preferences), is_titled_entry_row,
                                    "Your Name as a Lead Owner");
    g_autofree char *name = NULL;

    g_assert_nonnull (owner);
    gtk_editable_set_text (GTK_EDITABLE (owner), "Morgan Reyes");
    name = g_settings_get_string (settings, "user-name");
    g_assert_cmpstr (name, ==, "Morgan Reyes");
  }

  gtk_window_destroy (GTK_WINDOW (preferences));
  g_assert_finalize_object (preferences);
}

static void
test_application_accels (void)
{
  g_autoptr(CpApplication) app = cp_application_new (CP_TYPE_WINDOW);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) accels = NULL;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_cmpuint (g_strv_length (accels), ==, 1);
  g_assert_cmpstr (accels[0], ==, "<Control>q");
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "quit"));
  g_assert_nonnull (cp_application_get_database_path (app));
  g_assert_true (g_str_has_suffix (cp_application_get_database_path (app), "carepath.db"));

  cp_application_set_database_path (app, "/tmp/other.db");
  g_assert_cmpstr (cp_application_get_database_path (app), ==, "/tmp/other.db");
}

static void
rescored_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static int
rescore_and_wait (CpApplication       *app,
                  const char * const  *ids,
                  GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cp_application_rescore_leads_async (app, ids, NULL, rescored_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return cp_application_rescore_leads_finish (app, result, error);
}

static void
test_application_checks_moves (void)
{
  g_autoptr(CpApplication) app = cp_application_new (CP_TYPE_WINDOW);
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) reachable = cp_lead_new ();
  g_autoptr(CpLead) unreachable = cp_lead_new ();
  g_autofree char *dir = g_dir_make_tmp ("cp-app-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "leads.db", NULL);
  CpLeadStore *store;

  cp_application_set_database_path (app, path);
  store = cp_application_get_lead_store (app, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cp_application_get_playbook (app));

  cp_lead_set_text (reachable, CP_LEAD_FIELD_FIRST_NAME, "Reachable");
  cp_lead_set_text (reachable, CP_LEAD_FIELD_EMAIL, "reach@example.org");
  cp_lead_set_text (reachable, CP_LEAD_FIELD_SERVICE_LINE, "cardiology");
  g_assert_true (cp_lead_store_create (store, reachable, "t", &error));
  cp_lead_set_text (unreachable, CP_LEAD_FIELD_FIRST_NAME, "No contact data");
  g_assert_true (cp_lead_store_create (store, unreachable, "t", &error));

  {
    /* Qualified needs a location and a lead type: named, not guessed. */
    g_autoptr(CpMoveCheck) check = cp_lead_store_check_move (store, cp_lead_get_id (reachable),
                                                              "qualified", &error);
    g_assert_no_error (error);
    g_assert_cmpint (check->verdict, ==, CP_MOVE_MISSING_FIELDS);
    g_assert_true (g_strv_contains ((const char * const *) check->missing_fields, "location"));
    g_assert_true (g_strv_contains ((const char * const *) check->missing_fields, "lead_type"));
    g_assert_false (g_strv_contains ((const char * const *) check->missing_fields, "service_line"));
    g_assert_nonnull (check->message);
  }
  {
    g_autoptr(CpMoveCheck) check = cp_lead_store_check_move (store, cp_lead_get_id (reachable),
                                                              "reactivation", &error);
    g_assert_cmpint (check->verdict, ==, CP_MOVE_ALLOWED);
  }
  {
    /* Leaving New needs a way to reach the person. */
    g_autoptr(CpMoveCheck) check = cp_lead_store_check_move (store, cp_lead_get_id (unreachable),
                                                              "reactivation", &error);
    g_assert_cmpint (check->verdict, ==, CP_MOVE_BLOCKED_BY_EXIT);
    g_assert_nonnull (check->message);
  }
  {
    g_autoptr(CpMoveCheck) check = cp_lead_store_check_move (store, cp_lead_get_id (reachable),
                                                              "no_such_stage", &error);
    g_assert_cmpint (check->verdict, ==, CP_MOVE_UNKNOWN_STAGE);
  }
  g_assert_null (cp_lead_store_check_move (store, "no-such-lead", "qualified", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  {
    /* Leads are scored as they are created; computing them again with the
     * same playbook changes nothing. */
    const char *ids[] = { cp_lead_get_id (reachable), cp_lead_get_id (unreachable), NULL };
    g_autoptr(CpLead) scored = NULL;

    scored = cp_lead_store_get (store, cp_lead_get_id (reachable), &error);
    g_assert_nonnull (cp_lead_get_text (scored, CP_LEAD_FIELD_TIER));
    g_assert_cmpint (cp_lead_get_int (scored, CP_LEAD_FIELD_SCORE), >, 0);   /* fit: cardiology */
    g_assert_nonnull (cp_lead_get_text (scored, CP_LEAD_FIELD_QUEUE));
    g_assert_cmpint (cp_lead_get_int (scored, CP_LEAD_FIELD_SLA_DUE_AT), >, 0);
    /* Rescoring on a worker: nothing left to change; an unknown lead is
     * said, not skipped. */
    g_assert_cmpint (rescore_and_wait (app, ids, &error), ==, 0);
    g_assert_no_error (error);

    {
      const char *missing[] = { "no-such-lead", NULL };
      g_assert_cmpint (rescore_and_wait (app, missing, &error), ==, -1);
      g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
    }
  }

  g_clear_object (&app);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_remove (path); g_remove (wal); g_remove (shm); g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cp_ui_init ();

  g_test_add_func ("/window/settings/restores-size", test_window_restores_saved_size);
  g_test_add_func ("/window/settings/saves-size-on-close", test_window_saves_size_on_close);
  g_test_add_func ("/window/settings/restores-maximized", test_window_restores_maximized);
  g_test_add_func ("/window/settings/last-view", test_window_last_view_persists);
  g_test_add_func ("/window/views/unknown-refused", test_window_unknown_view_is_refused);
  g_test_add_func ("/window/views/switch-action", test_window_ctrl_number_switches_view);
  g_test_add_func ("/window/shortcuts/installed", test_window_shortcuts_installed);
  g_test_add_func ("/window/actions/menu", test_window_menu_actions);
  g_test_add_func ("/window/preferences/region", test_window_preferences_binds_region);
  g_test_add_func ("/application/accels", test_application_accels);
  g_test_add_func ("/application/checks-moves", test_application_checks_moves);

  return g_test_run ();
}
