/* test-activity-import-window.c — the activity import assistant: a refused file, the preview, the
 * import, the result SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "cp-activity-import-window.h"
#include "cp-lead-store.h"
#include "cp-test-util.h"
#include "cp-widget-test-util.h"
#include "cp-ui.h"

/* Runs the main loop until @done holds or 30 s pass. */
static gboolean
wait_for (gboolean (*done) (gpointer), gpointer data)
{
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return done (data);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0)
        return child;
      found = find_button (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
previewed (gpointer window)
{
  const char *text = cp_activity_import_window_get_preview (window);

  return text != NULL && g_str_has_prefix (text, "The first ");
}

static gboolean
on_result_page (gpointer window)
{
  return g_strcmp0 (cp_activity_import_window_get_page (window), "result") == 0;
}

static void
test_activity_import_window (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autoptr(CpDatabase) database = cp_test_open_database (dir);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  g_autofree char *fixture =
      g_build_filename (g_getenv ("CP_TEST_FIXTURES"), "zoom-attendees.csv", NULL);
  g_autofree char *useless = g_build_filename (dir, "notes.csv", NULL);
  g_autoptr(GFile) useless_file = g_file_new_for_path (useless);
  g_autoptr(GFile) file = g_file_new_for_path (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *jane = NULL;
  g_autofree char *dan = NULL;
  CpActivityImportWindow *window;
  GtkWidget *import_button;

  jane = cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Jane", CP_LEAD_FIELD_LAST_NAME,
                              "Doe", CP_LEAD_FIELD_EMAIL, "jane.doe@example.com", CP_LEAD_N_FIELDS);
  dan = cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Dan", CP_LEAD_FIELD_LAST_NAME, "Poe",
                             CP_LEAD_FIELD_EMAIL, "dan.poe@example.org", CP_LEAD_N_FIELDS);

  window = cp_activity_import_window_new (NULL, cp_database_get_path (database));
  g_object_ref_sink (window);
  gtk_window_present (GTK_WINDOW (window));
  cp_test_iterate ();
  g_assert_cmpstr (cp_activity_import_window_get_page (window), ==, "choose");

  /* A file with no time and no email or phone column: refused in words,
   * and the assistant stays where it was. */
  g_assert_true (g_file_set_contents (useless, "Note,Colour\r\nhello,blue\r\n", -1, NULL));
  g_assert_false (cp_activity_import_window_set_file (window, useless_file, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (cp_activity_import_window_get_page (window), ==, "choose");
  g_clear_error (&error);

  /* The attendee report: its columns, and a preview of the matches made
   * off the main thread, before anything is written. */
  g_assert_true (cp_activity_import_window_set_file (window, file, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cp_activity_import_window_get_page (window), ==, "mapping");
  g_assert_true (wait_for (previewed, window));
  g_assert_cmpint (cp_test_sql_int (database, "SELECT count(*) FROM activities", NULL), ==, 0);

  import_button = find_button (GTK_WIDGET (window), "_Import");
  g_assert_nonnull (import_button);
  g_assert_true (gtk_widget_get_sensitive (import_button));
  g_signal_emit_by_name (import_button, "clicked");
  g_assert_true (wait_for (on_result_page, window));

  /* Jane and Dan attended: one activity each, from the file. */
  g_assert_cmpint (cp_test_sql_int (database,
                                    "SELECT count(*) FROM activities WHERE source = 'file'"
                                    " AND kind = 'webinar_attended' AND lead_id = ?1",
                                    jane),
                   ==, 1);
  g_assert_cmpint (cp_test_sql_int (database,
                                    "SELECT count(*) FROM activities WHERE source = 'file'"
                                    " AND lead_id = ?1", dan), ==, 1);
  g_assert_nonnull (find_button (GTK_WIDGET (window), "_Export Unmatched…"));

  gtk_window_destroy (GTK_WINDOW (window));
  cp_test_finalize_widget (window);
  g_clear_object (&store);
  g_clear_object (&database);
  cp_test_remove_tree (dir);
}

/* A list of national phone numbers (no country code) from a French
 * event: read in the region set in Preferences, as the lead editor reads
 * them, so the row matches the lead by phone and name. */
static void
test_phone_region (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autoptr(CpDatabase) database = cp_test_open_database (dir);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *csv = g_build_filename (dir, "salon.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autoptr(GError) error = NULL;
  g_autofree char *marie = NULL;
  CpActivityImportWindow *window;
  GtkWidget *import_button;

  g_settings_set_string (settings, "default-phone-region", "FR");
  marie = cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Marie", CP_LEAD_FIELD_LAST_NAME,
                               "Curie", CP_LEAD_FIELD_PHONE, "+33472103030", CP_LEAD_N_FIELDS);
  g_assert_true (g_file_set_contents (csv,
                                      "First Name,Last Name,Phone,Date,Event\n"
                                      "Marie,Curie,04 72 10 30 30,2026-11-19 10:00,Salon Santé\n",
                                      -1, NULL));

  window = cp_activity_import_window_new (NULL, cp_database_get_path (database));
  g_object_ref_sink (window);
  gtk_window_present (GTK_WINDOW (window));
  cp_test_iterate ();
  g_assert_true (cp_activity_import_window_set_file (window, file, &error));
  g_assert_no_error (error);
  g_assert_true (wait_for (previewed, window));
  import_button = find_button (GTK_WIDGET (window), "_Import");
  g_signal_emit_by_name (import_button, "clicked");
  g_assert_true (wait_for (on_result_page, window));

  g_assert_cmpint (cp_test_sql_int (database,
                                    "SELECT count(*) FROM activities WHERE source = 'file'"
                                    " AND lead_id = ?1", marie), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
  cp_test_finalize_widget (window);
  g_settings_reset (settings, "default-phone-region");
  g_clear_object (&store);
  g_clear_object (&database);
  cp_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cp_ui_init ();

  g_test_add_func ("/activity-import-window/preview-import-result", test_activity_import_window);
  g_test_add_func ("/activity-import-window/phone-region", test_phone_region);

  return g_test_run ();
}
