/* cp-window-recovery.c — the ways out of a database that could not be opened: a backup, another file
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-application.h"
#include "cp-window-private.h"

/* The status page gives way to the views once a store is there. */
static void
recovered (CpWindow    *self,
           CpLeadStore *store,
           const char  *message)
{
  if (store == NULL)
    return;
  gtk_stack_set_visible_child_name (self->content_stack, "views");
  _cp_window_connect_store (self);
  cp_window_add_toast (self, adw_toast_new (message));
}

/**
 * _cp_window_restore_backup_file:
 * @backup: the copy the user chose
 *
 * Puts @backup in place of the database that could not be opened; the
 * damaged file is kept aside. A backup that cannot be used changes
 * nothing, and the page says why.
 *
 * Returns: %TRUE when the window now shows the restored database
 */
gboolean
_cp_window_restore_backup_file (CpWindow *self,
                                GFile    *backup)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autofree char *backup_path = g_file_get_path (backup);
  g_autofree char *set_aside = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  CpLeadStore *store;

  if (!CP_IS_APPLICATION (app) || self->store != NULL || backup_path == NULL)
    return FALSE;

  store = cp_application_restore_backup (CP_APPLICATION (app), backup_path, &set_aside, &error);
  if (store == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The backup was not restored: %s"), error->message);

      adw_status_page_set_description (self->error_page, text);
      return FALSE;
    }
  if (set_aside != NULL)
    {
      g_autofree char *name = g_path_get_basename (set_aside);

      message = g_strdup_printf (_("Backup restored. The damaged file was kept as “%s”."), name);
    }
  else
    message = g_strdup (_("Backup restored."));
  recovered (self, store, message);
  return TRUE;
}

/**
 * _cp_window_open_database_file:
 * @file: another database file (created when missing)
 *
 * Returns: %TRUE when the window now shows @file's leads
 */
gboolean
_cp_window_open_database_file (CpWindow *self,
                               GFile    *file)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  CpLeadStore *store;

  if (!CP_IS_APPLICATION (app) || self->store != NULL || path == NULL)
    return FALSE;

  store = cp_application_open_database (CP_APPLICATION (app), path, &error);
  if (store == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      return FALSE;
    }
  message = g_strdup_printf (_("Opened “%s”."), name);
  recovered (self, store, message);
  return TRUE;
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     CpWindow        *self)
{
  gboolean restore = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "cp-restore"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (restore)
        _cp_window_restore_backup_file (self, file);
      else
        _cp_window_open_database_file (self, file);
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
choose_file (CpWindow *self,
             gboolean  restore)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GtkFileChooserNative *chooser;

  if (!CP_IS_APPLICATION (app) || self->store != NULL)
    return;
  chooser = gtk_file_chooser_native_new (restore ? _("Restore a Backup") : _("Open a Database"),
                                         GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                         restore ? _("_Restore") : _("_Open"), _("_Cancel"));
  {
    /* Backups an upgrade left (“leads.db.bak-v12”) sit beside the file. */
    g_autoptr(GFile) database = g_file_new_for_path (cp_application_get_database_path (CP_APPLICATION (app)));
    g_autoptr(GFile) folder = g_file_get_parent (database);

    if (folder != NULL)
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  }
  g_object_set_data (G_OBJECT (chooser), "cp-restore", GINT_TO_POINTER (restore));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_cp_window_restore_backup_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  choose_file (CP_WINDOW (widget), TRUE);
}

void
_cp_window_open_database_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  choose_file (CP_WINDOW (widget), FALSE);
}
