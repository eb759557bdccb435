/* test-sync-view.c — the Sync view: empty state, status, conflicts with keep mine / keep theirs
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "cp-sync-view.h"
#include "cp-test-util.h"
#include "cp-ui.h"

static void
iterate_main_loop (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The first widget under @root of @type whose label (button or label) is @text. */
static GtkWidget *
find_labelled (GtkWidget  *root,
               GType       type,
               const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        {
          const char *label = GTK_IS_BUTTON (child) ? gtk_button_get_label (GTK_BUTTON (child))
                              : GTK_IS_LABEL (child) ? gtk_label_get_label (GTK_LABEL (child)) : NULL;
          if (g_strcmp0 (label, text) == 0)
            return child;
        }
      found = find_labelled (child, type, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      found = find_type (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static char *
add_conflicted_lead (CpLeadStore *leads,
                     CpSyncStore *store)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;
  CpDatabase *database = cp_lead_store_get_database (leads);

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Priya");
  cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, "Raman");
  cp_lead_set_text (lead, CP_LEAD_FIELD_JOB_TITLE, "Director");
  g_assert_true (cp_lead_store_create (leads, lead, "tester", &error));
  g_assert_true (cp_database_begin (database, &error));
  g_assert_true (cp_sync_store_add_conflict (store, cp_lead_get_id (lead), "job_title", NULL,
                                             "Director", "Administrator", "2026-01-01T00:00:00Z",
                                             NULL, &error));
  g_assert_true (cp_database_commit (database, &error));
  g_assert_no_error (error);
  return g_strdup (cp_lead_get_id (lead));
}

static void
test_sync_view_states_and_conflicts (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autoptr(CpDatabase) database = cp_test_open_database (dir);
  g_autoptr(CpLeadStore) leads = cp_lead_store_new (database);
  g_autoptr(CpSyncStore) store = cp_sync_store_new (leads, "hubspot");
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(CpSyncController) controller = NULL;
  g_autofree char *lead_id = NULL;
  g_autoptr(CpLead) after = NULL;
  GtkWidget *window = gtk_window_new ();
  CpSyncView *view = g_object_new (CP_TYPE_SYNC_VIEW, NULL);
  GtkStack *stack;
  GtkWidget *button;

  g_settings_set_string (settings, "sync-backend", "none");
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  controller = cp_sync_controller_new (leads, settings);
  cp_sync_view_set_controller (view, controller);
  stack = GTK_STACK (find_type (GTK_WIDGET (view), GTK_TYPE_STACK));

  /* No CRM: the empty state, which points to Preferences. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_nonnull (find_labelled (GTK_WIDGET (view), GTK_TYPE_BUTTON, "_Open Preferences"));

  /* A CRM: the status and the conflicts, side by side. */
  lead_id = add_conflicted_lead (leads, store);
  g_settings_set_string (settings, "sync-backend", "hubspot");
  iterate_main_loop ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "main");
  g_assert_nonnull (find_labelled (GTK_WIDGET (view), GTK_TYPE_LABEL, "Priya Raman — Job title"));
  g_assert_nonnull (find_labelled (GTK_WIDGET (view), GTK_TYPE_LABEL, "Director"));
  g_assert_nonnull (find_labelled (GTK_WIDGET (view), GTK_TYPE_LABEL, "Administrator"));
  g_assert_nonnull (find_labelled (GTK_WIDGET (view), GTK_TYPE_LABEL, "In HubSpot"));

  /* Keep theirs: the CRM's value is written here and the conflict goes. */
  button = find_labelled (GTK_WIDGET (view), GTK_TYPE_BUTTON, "Keep _Theirs");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  iterate_main_loop ();
  after = cp_lead_store_get (leads, lead_id, NULL);
  g_assert_cmpstr (cp_lead_get_text (after, CP_LEAD_FIELD_JOB_TITLE), ==, "Administrator");
  g_assert_null (find_labelled (GTK_WIDGET (view), GTK_TYPE_BUTTON, "Keep _Theirs"));
  g_assert_null (find_labelled (GTK_WIDGET (view), GTK_TYPE_LABEL, "Priya Raman — Job title"));

  /* Edit: a third value, typed in a dialog; an invalid one keeps the
   * conflict and says why. */
  g_clear_pointer (&lead_id, g_free);
  lead_id = add_conflicted_lead (leads, store);
  cp_sync_controller_refresh (controller);
  iterate_main_loop ();
  for (guint attempt = 0; attempt < 2; attempt++)
    {
      const char *typed = attempt == 0 ? "Head\x01of ops" : "Head of Operations";
      AdwMessageDialog *dialog = NULL;
      GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */

      button = find_labelled (GTK_WIDGET (view), GTK_TYPE_BUTTON, "_Edit…");
      g_assert_nonnull (button);
      g_signal_emit_by_name (button, "clicked");
      iterate_main_loop ();
      for (guint i = 0; i < g_list_model_get_n_items (toplevels) && dialog == NULL; i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

          if (ADW_IS_MESSAGE_DIALOG (item))
            dialog = ADW_MESSAGE_DIALOG (item);
        }
      g_assert_nonnull (dialog);
      gtk_editable_set_text (GTK_EDITABLE (find_type (GTK_WIDGET (dialog), GTK_TYPE_ENTRY)), typed);
      adw_message_dialog_response (dialog, "save");
      iterate_main_loop ();
      g_clear_object (&after);
      after = cp_lead_store_get (leads, lead_id, NULL);
      if (attempt == 0)
        {
          g_assert_cmpstr (cp_lead_get_text (after, CP_LEAD_FIELD_JOB_TITLE), ==, "Director");
          g_assert_nonnull (find_labelled (GTK_WIDGET (view), GTK_TYPE_LABEL, "Priya Raman — Job title"));
        }
      else
        {
          g_assert_cmpstr (cp_lead_get_text (after, CP_LEAD_FIELD_JOB_TITLE), ==, "Head of Operations");
          g_assert_null (find_labelled (GTK_WIDGET (view), GTK_TYPE_LABEL, "Priya Raman — Job title"));
        }
    }

  gtk_window_destroy (GTK_WINDOW (window));
  iterate_main_loop ();
  g_clear_object (&controller);
  g_settings_reset (settings, "sync-backend");
  cp_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cp_ui_init ();

  g_test_add_func ("/sync-view/states-and-conflicts", test_sync_view_states_and_conflicts);

  return g_test_run ();
}
