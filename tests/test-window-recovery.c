/* test-window-recovery.c — the main window on a damaged database: a backup restores it, nothing is
 * lost
 *
 * Its own program: a registered application stays exported on the bus
 * until the process ends, one per test program.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cp-application.h"
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

static char *
make_database (const char *path,
               const char *first_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = cp_database_open (path, &error);
  g_autoptr(CpLeadStore) store = NULL;

  g_assert_no_error (error);
  store = cp_lead_store_new (database);
  return cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, first_name,
                              CP_LEAD_FIELD_EMAIL, "ann@example.org", CP_LEAD_N_FIELDS);
}

static void
write_garbage (const char *path)
{
  g_autofree char *junk = g_malloc (65536);

  for (guint i = 0; i < 65536; i++)
    junk[i] = (char) g_random_int_range (0, 256);
  g_assert_true (g_file_set_contents (path, junk, 65536, NULL));
  g_chmod (path, 0600);
}

static char *
find_set_aside (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "leads.db.damaged-") && !g_str_has_suffix (name, "-wal") &&
        !g_str_has_suffix (name, "-shm"))
      return g_build_filename (dir, name, NULL);
  return NULL;
}

/* A damaged file shows a page with two ways out. A file that is no backup
 * changes nothing and says why; a real backup takes the damaged file's
 * place, the damaged file is kept byte for byte beside it, and the window
 * shows the backup's leads. */
static void
test_window_restores_a_backup (void)
{
  g_autoptr(CpApplication) app = cp_application_new (CP_TYPE_WINDOW);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "leads.db", NULL);
  g_autofree char *backup_path = g_build_filename (dir, "copy.db", NULL);
  g_autofree char *junk_path = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *lead_id = NULL;
  g_autofree char *damaged = NULL;
  g_autofree char *set_aside = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GFile) backup = NULL;
  g_autoptr(GFile) junk = NULL;
  CpWindow *window;
  GtkStack *content;
  GStatBuf st;

  lead_id = make_database (backup_path, "Ann");
  write_garbage (path);
  damaged = file_checksum (path);
  g_assert_true (g_file_set_contents (junk_path, "not a database\n", -1, NULL));

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  cp_application_set_database_path (app, path);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  window = g_object_new (CP_TYPE_WINDOW, "application", app, NULL);
  gtk_window_present (GTK_WINDOW (window));
  cp_test_iterate ();
  content = CP_WINDOW (window)->content_stack;

  /* The page offers both ways out; nothing that needs leads is on. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (content), ==, "error");
  g_assert_nonnull (cp_test_find_button (GTK_WIDGET (window), "win.restore-backup"));
  g_assert_true (gtk_widget_is_sensitive (cp_test_find_button (GTK_WIDGET (window),
                                                               "win.restore-backup")));
  g_assert_nonnull (cp_test_find_button (GTK_WIDGET (window), "win.open-database"));
  g_assert_null (cp_application_get_lead_store (app, NULL));

  /* Not a backup: refused, said in words, the damaged file untouched. */
  junk = g_file_new_for_path (junk_path);
  g_assert_false (_cp_window_restore_backup_file (window, junk));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (content), ==, "error");
  g_assert_nonnull (strstr (adw_status_page_get_description (window->error_page),
                            "The backup was not restored"));
  {
    g_autofree char *now = file_checksum (path);

    g_assert_cmpstr (now, ==, damaged);
  }
  set_aside = find_set_aside (dir);
  g_assert_null (set_aside);

  /* The damaged file itself is no backup either. */
  {
    g_autoptr(GFile) self_file = g_file_new_for_path (path);

    g_assert_false (_cp_window_restore_backup_file (window, self_file));
    g_assert_null (find_set_aside (dir));
  }

  /* A real backup: restored, private, the damaged file kept as it was. */
  backup = g_file_new_for_path (backup_path);
  g_assert_true (_cp_window_restore_backup_file (window, backup));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (content), ==, "views");
  g_assert_true (gtk_widget_is_sensitive (cp_test_find_button (GTK_WIDGET (window),
                                                               "win.new-lead")));
  {
    CpLeadStore *store = cp_application_get_lead_store (app, &error);
    g_autoptr(CpLead) lead = NULL;

    g_assert_no_error (error);
    g_assert_nonnull (store);
    lead = cp_lead_store_get (store, lead_id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_FIRST_NAME), ==, "Ann");
  }
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  set_aside = find_set_aside (dir);
  g_assert_nonnull (set_aside);
  kept = file_checksum (set_aside);
  g_assert_cmpstr (kept, ==, damaged);
  /* The backup itself is left as it was, for another time. */
  g_assert_true (g_file_test (backup_path, G_FILE_TEST_IS_REGULAR));

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  cp_test_iterate ();
  cp_test_finalize_widget (window);
  g_clear_object (&app);
  cp_test_remove_tree (dir);
}

/* Open Another Database: the app leaves the damaged file alone and works
 * on the other one; opening is refused while a database is open. */
static void
test_application_opens_another_database (void)
{
  g_autoptr(CpApplication) app = cp_application_new (CP_TYPE_WINDOW);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "leads.db", NULL);
  g_autofree char *other = g_build_filename (dir, "other.db", NULL);
  g_autofree char *damaged = NULL;
  g_autofree char *lead_id = NULL;
  CpLeadStore *store;

  write_garbage (path);
  damaged = file_checksum (path);
  lead_id = make_database (other, "Bea");
  cp_application_set_database_path (app, path);
  g_assert_null (cp_application_get_lead_store (app, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  store = cp_application_open_database (app, other, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpstr (cp_application_get_database_path (app), ==, other);
  {
    g_autoptr(CpLead) lead = cp_lead_store_get (store, lead_id, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_FIRST_NAME), ==, "Bea");
  }
  {
    g_autofree char *now = file_checksum (path);

    g_assert_cmpstr (now, ==, damaged);
  }
  g_clear_object (&app);
  cp_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cp_ui_init ();

  g_test_add_func ("/window/restore-backup", test_window_restores_a_backup);
  g_test_add_func ("/window/open-another-database", test_application_opens_another_database);

  return g_test_run ();
}
