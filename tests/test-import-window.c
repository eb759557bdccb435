/* test-import-window.c — the import assistant: detected columns, Check, Import, refused rows
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "cp-import-window.h"
#include "cp-lead-store.h"
#include "cp-test-util.h"
#include "cp-widget-test-util.h"
#include "cp-ui.h"

static void
iterate_main_loop (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Runs the main loop until @done holds or 20 s pass. */
static gboolean
wait_for (gboolean (*done) (gpointer), gpointer data)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

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

/* The combo row titled @title, or the action row titled @title. */
static GtkWidget *
find_row (GtkWidget  *root,
          GType       type,
          const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
        return child;
      found = find_row (child, type, title);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Where a combo row offers @label, or G_MAXUINT when it does not. */
static guint
choice_position (AdwComboRow *row,
                 const char  *label)
{
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), label))
        return i;
    }
  return G_MAXUINT;
}

static GtkLabel *
find_label_containing (GtkWidget  *root,
                       const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found;

      if (GTK_IS_LABEL (child) && strstr (gtk_label_get_text (GTK_LABEL (child)), text) != NULL)
        return GTK_LABEL (child);
      found = find_label_containing (child, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
checked (gpointer window)
{
  return find_label_containing (window, "If imported now") != NULL;
}

static gboolean
on_result_page (gpointer window)
{
  return g_strcmp0 (cp_import_window_get_page (window), "result") == 0;
}

static void
test_import_window (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autoptr(CpDatabase) database = cp_test_open_database (dir);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);

  /* The assistant is tested here; the playbook's stage rules on imported
   * rows, in test-lifecycle. */
  cp_test_publish_open_playbook (database);
  g_autofree char *csv = g_build_filename (dir, "event-signups.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  CpImportWindow *window;
  GtkWidget *row;
  guint count = 0;

  g_assert_true (g_file_set_contents (csv,
    "First Name,Last Name,Email,Phone Number,Company Name,Lifecycle Stage,Badge colour\r\n"
    "Ada,Okafor,ada@example.org,(202) 555-0143,Lakeside Clinic,Lead,green\r\n"
    "Ben,Stone,ben.example.org,,Northside Health,Lead,blue\r\n"
    "Cleo,Park,cleo@example.org,,\"Park, Lee & Partners\",Opportunity,green\r\n"
    "Dan,Ng,dan@example.org,,,Webinar attendee,red\r\n", -1, NULL));

  window = cp_import_window_new (NULL, cp_database_get_path (database), file, &error);
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  iterate_main_loop ();
  g_assert_cmpstr (cp_import_window_get_page (window), ==, "mapping");

  /* Detected: Email fills the email field; an unknown column is ignored. */
  row = find_row (GTK_WIDGET (window), ADW_TYPE_COMBO_ROW, "Email");
  g_assert_nonnull (row);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==,
                    choice_position (ADW_COMBO_ROW (row), "Email"));
  /* What the playbook computes is not a field a file can fill. */
  g_assert_cmpuint (choice_position (ADW_COMBO_ROW (row), "Score"), ==, G_MAXUINT);
  g_assert_cmpuint (choice_position (ADW_COMBO_ROW (row), "Queue"), ==, G_MAXUINT);
  g_assert_cmpuint (choice_position (ADW_COMBO_ROW (row), "Notes"), !=, G_MAXUINT);
  row = find_row (GTK_WIDGET (window), ADW_TYPE_COMBO_ROW, "Badge colour");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 0);

  /* The stage column's values: known ones read as their stage, an unknown
   * one would refuse its rows until the user says what it is. */
  {
    GPtrArray *values = cp_import_window_get_value_rows (window);
    guint engaged_index = 0;

    g_assert_cmpuint (values->len, ==, 3);
    g_assert_cmpstr (adw_preferences_row_get_title (values->pdata[0]), ==, "Lead");   /* 2 rows */
    g_assert_cmpstr (adw_action_row_get_subtitle (values->pdata[0]), ==,
                     "2 rows · column “Lifecycle Stage”");
    g_assert_cmpuint (adw_combo_row_get_selected (values->pdata[0]), >=, 2);
    row = find_row (GTK_WIDGET (window), ADW_TYPE_COMBO_ROW, "Webinar attendee");
    g_assert_nonnull (row);
    g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 0);   /* refuse */
    g_assert_true (gtk_widget_has_css_class (row, "warning"));

    /* The user says it is Engaged. */
    for (guint i = 2; i < g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (row)));
         i++)
      {
        g_autoptr(GtkStringObject) item =
            g_list_model_get_item (adw_combo_row_get_model (ADW_COMBO_ROW (row)), i);

        if (g_str_equal (gtk_string_object_get_string (item), "Engaged"))
          engaged_index = i;
      }
    g_assert_cmpuint (engaged_index, >=, 2);
    adw_combo_row_set_selected (ADW_COMBO_ROW (row), engaged_index);
    g_assert_false (gtk_widget_has_css_class (row, "warning"));

    /* Changed by the user: the badge colour goes into the notes. The
     * values are listed again, and the choice made for one stays. */
    row = find_row (GTK_WIDGET (window), ADW_TYPE_COMBO_ROW, "Badge colour");
    adw_combo_row_set_selected (ADW_COMBO_ROW (row),
                                choice_position (ADW_COMBO_ROW (row), "Notes"));
    row = find_row (GTK_WIDGET (window), ADW_TYPE_COMBO_ROW, "Webinar attendee");
    g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, engaged_index);
  }
  cp_test_screenshot ("mapping");
  if (g_getenv ("CP_TEST_SCREENSHOT") != NULL)
    {
      /* The values, below the columns. */
      GtkWidget *values_row = find_row (GTK_WIDGET (window), ADW_TYPE_COMBO_ROW, "Lead");
      GtkWidget *scrolled = gtk_widget_get_ancestor (values_row, GTK_TYPE_SCROLLED_WINDOW);
      GtkAdjustment *adjustment =
          gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

      iterate_main_loop ();
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      cp_test_screenshot ("values");
      gtk_adjustment_set_value (adjustment, 0);
    }

  /* Check: counts, writes nothing. */
  g_signal_emit_by_name (find_button (GTK_WIDGET (window), "_Check"), "clicked");
  g_assert_true (wait_for (checked, window));
  g_assert_nonnull (
      find_label_containing (GTK_WIDGET (window), "3 added (0 flagged as possible duplicates), 0 "
                                                  "merged, 0 already there, 0 skipped, 1 refused"));
  g_assert_true (cp_lead_store_count (store, query, &count, &error));
  g_assert_cmpuint (count, ==, 0);

  /* A choice changed after the check: its counts no longer hold, and go. */
  row = find_row (GTK_WIDGET (window), ADW_TYPE_COMBO_ROW, "Badge colour");
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 0);
  g_assert_null (find_label_containing (GTK_WIDGET (window), "If imported now"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row),
                              choice_position (ADW_COMBO_ROW (row), "Notes"));
  g_signal_emit_by_name (find_button (GTK_WIDGET (window), "_Check"), "clicked");
  g_assert_true (wait_for (checked, window));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (window), "If imported now: 3 added"));

  /* Import: the result lists the refused row with its line and column. */
  g_signal_emit_by_name (find_button (GTK_WIDGET (window), "_Import"), "clicked");
  g_assert_true (wait_for (on_result_page, window));
  row = find_row (GTK_WIDGET (window), ADW_TYPE_ACTION_ROW, "Line 3, column 3");
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "ben.example.org"));
  g_assert_true (cp_lead_store_count (store, query, &count, &error));
  g_assert_cmpuint (count, ==, 3);
  {
    g_autoptr(CpLeadQuery) search = cp_lead_query_new ();
    g_autoptr(GPtrArray) found = NULL;

    search->search = g_strdup ("Cleo");
    found = cp_lead_store_query (store, search, 0, 5, &error);
    g_assert_cmpuint (found->len, ==, 1);
    g_assert_cmpstr (cp_lead_get_text (found->pdata[0], CP_LEAD_FIELD_NOTES), ==, "green");
    g_assert_cmpstr (cp_lead_get_text (found->pdata[0], CP_LEAD_FIELD_STAGE), ==,
                     "active_evaluation");
    g_clear_pointer (&found, g_ptr_array_unref);
    g_free (search->search);
    search->search = g_strdup ("dan@example.org");
    found = cp_lead_store_query (store, search, 0, 5, &error);
    g_assert_cmpuint (found->len, ==, 1);
    g_assert_cmpstr (cp_lead_get_text (found->pdata[0], CP_LEAD_FIELD_STAGE), ==, "engaged");
  }
  cp_test_screenshot ("result");

  gtk_window_destroy (GTK_WINDOW (window));
  iterate_main_loop ();

  /* A file that cannot be read: no window, a reason. */
  {
    g_autofree char *missing = g_build_filename (dir, "nope.csv", NULL);
    g_autoptr(GFile) none = g_file_new_for_path (missing);

    g_assert_null (cp_import_window_new (NULL, cp_database_get_path (database), none, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  g_clear_object (&store);
  g_clear_object (&database);
  cp_test_remove_tree (dir);
}

/* The app reads phone numbers without a country code in the user's region,
 * as the editor and carepath-cli import do: a French list imported in
 * France is not refused (nor read as American numbers). */
static void
test_import_window_phone_region (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autoptr(CpDatabase) database = cp_test_open_database (dir);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *csv = g_build_filename (dir, "patients-lyon.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GPtrArray) leads = NULL;
  CpImportWindow *window;
  GtkWidget *row;

  cp_test_publish_open_playbook (database);
  g_settings_set_string (settings, "default-phone-region", "FR");
  g_assert_true (g_file_set_contents (csv,
    "Prénom;Nom;Téléphone;Ville\r\n"
    "Amélie;Poulain;04 72 10 30 30;Lyon\r\n", -1, NULL));

  window = cp_import_window_new (NULL, cp_database_get_path (database), file, &error);
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  iterate_main_loop ();
  /* The columns the file names in French are the user's to choose. */
  row = find_row (GTK_WIDGET (window), ADW_TYPE_COMBO_ROW, "Prénom");
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), choice_position (ADW_COMBO_ROW (row),
                                                                    "First name"));
  row = find_row (GTK_WIDGET (window), ADW_TYPE_COMBO_ROW, "Téléphone");
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), choice_position (ADW_COMBO_ROW (row), "Phone"));

  g_signal_emit_by_name (find_button (GTK_WIDGET (window), "_Check"), "clicked");
  g_assert_true (wait_for (checked, window));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (window), "1 added"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (window), "0 refused"));
  g_signal_emit_by_name (find_button (GTK_WIDGET (window), "_Import"), "clicked");
  g_assert_true (wait_for (on_result_page, window));

  leads = cp_lead_store_query (store, query, 0, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (leads->len, ==, 1);
  g_assert_cmpstr (cp_lead_get_text (leads->pdata[0], CP_LEAD_FIELD_FIRST_NAME), ==, "Amélie");
  g_assert_cmpstr (cp_lead_get_text (leads->pdata[0], CP_LEAD_FIELD_PHONE), ==, "+33472103030");

  gtk_window_destroy (GTK_WINDOW (window));
  iterate_main_loop ();
  g_settings_reset (settings, "default-phone-region");
  g_clear_pointer (&leads, g_ptr_array_unref);
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

  g_test_add_func ("/import-window/check-import-refused", test_import_window);
  g_test_add_func ("/import-window/phone-region", test_import_window_phone_region);

  return g_test_run ();
}
