/* test-window-read-only.c — the main window on a database that cannot be written
 *
 * Its own program: a registered application stays exported on the bus
 * until the process ends, one per test program.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cp-application.h"
#include "cp-lead-detail-window.h"
#include "cp-pipeline-view.h"
#include "cp-test-util.h"
#include "cp-ui.h"
#include "cp-widget-test-util.h"
#include "cp-window-private.h"

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static gboolean
has_label (GtkWidget  *root,
           const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  cp_test_collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_label (labels->pdata[i]), text) == 0)
      return TRUE;
  return FALSE;
}

/* A database its user cannot write (a colleague's copy) opens read-only:
 * the window says so, what would change it is off, and a drag on the
 * board changes nothing; the leads are still shown. */
static void
test_window_read_only_database (void)
{
  g_autoptr(CpApplication) app = cp_application_new (CP_TYPE_WINDOW);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bars = g_ptr_array_new ();
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();
  g_autoptr(GPtrArray) boards = g_ptr_array_new ();
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "leads.db", NULL);
  g_autofree char *lead_id = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n_toplevels;
  CpWindow *window;

  {
    g_autoptr(CpDatabase) database = cp_database_open (path, &error);
    g_autoptr(CpLeadStore) store = NULL;

    g_assert_no_error (error);
    store = cp_lead_store_new (database);
    lead_id = cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Ann",
                                   CP_LEAD_FIELD_EMAIL, "ann@example.org", CP_LEAD_N_FIELDS);
  }
  g_assert_cmpint (g_chmod (path, 0400), ==, 0);
  before = file_checksum (path);

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  cp_application_set_database_path (app, path);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  window = g_object_new (CP_TYPE_WINDOW, "application", app, NULL);
  gtk_window_present (GTK_WINDOW (window));
  cp_test_iterate ();
  g_assert_true (cp_application_is_read_only (app));

  /* Said in the window: a banner, and the title's subtitle. */
  cp_test_collect_widgets (GTK_WIDGET (window), GTK_TYPE_INFO_BAR, bars);
  g_assert_cmpuint (bars->len, ==, 1);
  g_assert_true (gtk_widget_get_visible (bars->pdata[0]));
  g_assert_true (gtk_info_bar_get_revealed (bars->pdata[0]));
  g_assert_true (has_label (bars->pdata[0], "Read-only: this database cannot be changed"));
  cp_test_collect_widgets (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_TITLE, titles);
  g_assert_cmpuint (titles->len, ==, 1);
  g_assert_cmpstr (adw_view_switcher_title_get_subtitle (titles->pdata[0]), ==,
                   "Read-only: this database cannot be changed");

  /* Editing is off; the lead is there to read. */
  g_assert_false (gtk_widget_is_sensitive (cp_test_find_button (GTK_WIDGET (window),
                                                                "win.new-lead")));
  {
    CpLeadStore *store = cp_application_get_lead_store (app, NULL);
    guint count = 0;

    g_assert_true (cp_lead_store_count (store, NULL, &count, &error));
    g_assert_cmpuint (count, ==, 1);
  }

  /* The way on: a copy its user can change, saved beside it. */
  g_assert_nonnull (cp_test_find_button (GTK_WIDGET (window), "win.save-copy"));
  g_assert_true (
      gtk_widget_is_sensitive (cp_test_find_button (GTK_WIDGET (window), "win.save-copy")));
  {
    g_autofree char *copy_path = g_build_filename (dir, "copy.db", NULL);
    g_autoptr(GFile) copy = g_file_new_for_path (copy_path);
    g_autoptr(GFile) original = g_file_new_for_path (path);
    g_autoptr(CpDatabase) copied = NULL;
    g_autoptr(CpLeadStore) copied_store = NULL;
    g_autoptr(CpLead) lead = NULL;
    GStatBuf st;

    g_assert_false (_cp_window_save_copy_file (window, original));
    g_assert_true (_cp_window_save_copy_file (window, copy));
    g_assert_cmpint (g_stat (copy_path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    copied = cp_database_open (copy_path, &error);
    g_assert_no_error (error);
    g_assert_false (cp_database_is_read_only (copied));
    copied_store = cp_lead_store_new (copied);
    lead = cp_lead_store_get (copied_store, lead_id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_FIRST_NAME), ==, "Ann");
    cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, "changed in the copy");
    g_assert_true (cp_lead_store_update (copied_store, lead, "t", NULL, &error));
    g_assert_no_error (error);
  }

  /* The playbook can be read and exported, not edited. */
  cp_window_set_visible_view (window, "playbook");
  {
    GtkWidget *add_stage = cp_test_find_button (GTK_WIDGET (window), "playbook.add-stage");

    g_assert_nonnull (add_stage);
    g_assert_false (gtk_widget_is_sensitive (add_stage));
  }

  /* The lead's own window reads it, and offers no change. */
  {
    CpLeadStore *store = cp_application_get_lead_store (app, NULL);
    GtkWidget   *detail =
        GTK_WIDGET (cp_lead_detail_window_new (GTK_WINDOW (window), store, lead_id, &error));

    g_assert_no_error (error);
    g_object_ref_sink (detail);
    gtk_window_present (GTK_WINDOW (detail));
    cp_test_iterate ();
    g_assert_nonnull (cp_test_find_button (detail, "detail.edit"));
    g_assert_false (gtk_widget_is_sensitive (cp_test_find_button (detail, "detail.edit")));
    {
      GListModel *windows = gtk_window_get_toplevels ();
      guint n_windows = g_list_model_get_n_items (windows);

      /* A disabled action opens no note dialog. */
      gtk_widget_activate_action (detail, "detail.add-note", NULL);
      cp_test_iterate ();
      g_assert_cmpuint (g_list_model_get_n_items (windows), ==, n_windows);
    }
    gtk_window_destroy (GTK_WINDOW (detail));
    cp_test_iterate ();
    cp_test_finalize_widget (detail);
  }

  /* A lead dragged to another column: no dialog asks for a reason. */
  n_toplevels = g_list_model_get_n_items (toplevels);
  cp_test_collect_widgets (GTK_WIDGET (window), CP_TYPE_PIPELINE_VIEW, boards);
  g_assert_cmpuint (boards->len, ==, 1);
  g_signal_emit_by_name (boards->pdata[0], "move-requested", lead_id, "engaged");
  cp_test_iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, n_toplevels);

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  cp_test_iterate ();
  cp_test_finalize_widget (window);

  after = file_checksum (path);
  g_assert_cmpstr (before, ==, after);
  g_chmod (path, 0600);
  cp_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cp_ui_init ();

  g_test_add_func ("/window/read-only-database", test_window_read_only_database);

  return g_test_run ();
}
