/* test-crm-mapping-page.c — Preferences → Mapping: rows show the mapping in effect, apply saves,
 * bad names are refused SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "cp-crm-mapping.h"
#include "cp-crm-mapping-page.h"
#include "cp-test-util.h"
#include "cp-ui.h"

static void
iterate_main_loop (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The entry row saving @key (a field name or a stage id). */
static AdwEntryRow *
find_row (GtkWidget  *root,
          const char *key)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwEntryRow *found;

      if (ADW_IS_ENTRY_ROW (child) &&
          g_strcmp0 (g_object_get_data (G_OBJECT (child), "cp-key"), key) == 0)
        return ADW_ENTRY_ROW (child);
      found = find_row (child, key);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
apply_text (GtkWidget  *page,
            const char *key,
            const char *text)
{
  AdwEntryRow *row = find_row (page, key);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_emit_by_name (row, "apply");
  iterate_main_loop ();
}

static CpCrmMapping *
saved (CpDatabase *database,
       const char *backend)
{
  g_autoptr(GError) error = NULL;
  CpCrmMapping *mapping = cp_crm_mapping_load (database, backend, &error);

  g_assert_no_error (error);
  return mapping;
}

static void
test_mapping_page (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autoptr(CpDatabase) database = cp_test_open_database (dir);
  GtkWidget *window = adw_preferences_window_new ();
  CpCrmMappingPage *page = cp_crm_mapping_page_new ();
  g_autoptr(CpCrmMapping) mapping = NULL;
  AdwEntryRow *row;

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 720);

  /* No CRM chosen: no rows. */
  cp_crm_mapping_page_set_database (page, database, NULL);
  g_assert_null (find_row (GTK_WIDGET (page), "job_title"));

  /* HubSpot's defaults; a field they leave out is empty. */
  cp_crm_mapping_page_set_backend (page, "hubspot");
  row = find_row (GTK_WIDGET (page), "job_title");
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "jobtitle");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (GTK_WIDGET (page), "urgency"))),
                   ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (GTK_WIDGET (page), "new"))), ==,
                   "lead");
  g_assert_null (find_row (GTK_WIDGET (page), "stage"));

  /* Applied rows are saved as changes from the defaults. */
  apply_text (GTK_WIDGET (page), "job_title", "");
  apply_text (GTK_WIDGET (page), "urgency", "hs_lead_status");
  apply_text (GTK_WIDGET (page), "new", "subscriber");
  mapping = saved (database, "hubspot");
  g_assert_cmpstr (g_hash_table_lookup (mapping->fields, "job_title"), ==, "");
  g_assert_cmpstr (g_hash_table_lookup (mapping->fields, "urgency"), ==, "hs_lead_status");
  g_assert_cmpstr (g_hash_table_lookup (mapping->stages, "new"), ==, "subscriber");
  g_clear_pointer (&mapping, cp_crm_mapping_free);

  /* A name the CRM cannot have, or a property used twice: refused, marked,
   * nothing saved changes. */
  apply_text (GTK_WIDGET (page), "email", "e mail");
  row = find_row (GTK_WIDGET (page), "email");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (GTK_WIDGET (row)));
  apply_text (GTK_WIDGET (page), "organization", "hs_lead_status");
  g_assert_true (
      gtk_widget_has_css_class (GTK_WIDGET (find_row (GTK_WIDGET (page), "organization")),
                                "error"));
  mapping = saved (database, "hubspot");
  g_assert_false (g_hash_table_contains (mapping->fields, "email"));
  g_assert_false (g_hash_table_contains (mapping->fields, "organization"));
  g_clear_pointer (&mapping, cp_crm_mapping_free);

  /* Corrected: the mark goes. Back to the default: no change kept. */
  apply_text (GTK_WIDGET (page), "email", "email");
  g_assert_false (
      gtk_widget_has_css_class (GTK_WIDGET (find_row (GTK_WIDGET (page), "email")), "error"));
  apply_text (GTK_WIDGET (page), "job_title", "jobtitle");
  mapping = saved (database, "hubspot");
  g_assert_false (g_hash_table_contains (mapping->fields, "job_title"));
  g_assert_false (g_hash_table_contains (mapping->fields, "email"));
  g_clear_pointer (&mapping, cp_crm_mapping_free);

  /* Another CRM has its own defaults and its own changes. */
  cp_crm_mapping_page_set_backend (page, "espocrm");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (GTK_WIDGET (page), "urgency"))),
                   ==, "");
  mapping = saved (database, "espocrm");
  g_assert_cmpuint (g_hash_table_size (mapping->fields), ==, 0);
  g_clear_pointer (&mapping, cp_crm_mapping_free);

  if (g_getenv ("CP_TEST_SCREENSHOT") != NULL)
    {
      g_autofree char *command = NULL;

      cp_crm_mapping_page_set_backend (page, "hubspot");
      adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (window),
                                               ADW_PREFERENCES_PAGE (page));
      gtk_window_present (GTK_WINDOW (window));
      apply_text (GTK_WIDGET (page), "email", "e mail");
      for (int i = 0; i < 40; i++)
        {
          iterate_main_loop ();
          g_usleep (25000);
        }
      command = g_strdup_printf ("import -window root %s", g_getenv ("CP_TEST_SCREENSHOT"));
      g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
    }

  gtk_window_destroy (GTK_WINDOW (window));
  iterate_main_loop ();
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

  g_test_add_func ("/crm-mapping-page/apply-validate-switch", test_mapping_page);

  return g_test_run ();
}
