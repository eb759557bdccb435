/* cp-window-recovery.c — ways out: a backup for a damaged database, another file, a copy of a
 * read-only one
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-application.h"
#include "cp-window-private.h"
#include "cp-toast.h"

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
  cp_window_add_toast (self, cp_toast_new_text (message));
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
      g_autofree char *text =
          g_strdup_printf (_("The backup was not restored: %s"), error->message);

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
    g_autoptr(GFile) database =
        g_file_new_for_path (cp_application_get_database_path (CP_APPLICATION (app)));
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

/* Another Carepath on @path: this one keeps the database it has open. */
static void
open_copy_cb (AdwToast *toast,
              CpWindow *self)
{
  const char *path = g_object_get_data (G_OBJECT (toast), "cp-copy-path");
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;

  if (path == NULL)
    return;
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                              self_exe != NULL ? self_exe : g_get_prgname (), "--db", path, NULL);
  if (process == NULL)
    cp_window_add_toast (self, cp_toast_new_text (error->message));
}

/**
 * _cp_window_save_copy_file:
 * @file: where the copy goes
 *
 * Saves a copy of the read-only database the window shows, one its user
 * can change; the toast offers to open it (in another window: this one
 * keeps the original).
 *
 * Returns: %TRUE when the copy was saved
 */
gboolean
_cp_window_save_copy_file (CpWindow *self,
                           GFile    *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  if (self->store == NULL || path == NULL)
    return FALSE;
  if (!cp_database_save_copy (cp_lead_store_get_database (self->store), path, &error))
    {
      g_autofree char *text = g_strdup_printf (_("No copy was saved: %s"), error->message);

      cp_window_add_toast (self, cp_toast_new_text (text));
      return FALSE;
    }
  message = g_strdup_printf (_("Saved a copy you can change as “%s”"), name);
  toast = cp_toast_new_text (message);
  adw_toast_set_button_label (toast, _("_Open"));
  adw_toast_set_timeout (toast, 0);
  g_object_set_data_full (G_OBJECT (toast), "cp-copy-path", g_steal_pointer (&path), g_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (open_copy_cb), self, 0);
  cp_window_add_toast (self, toast);
  return TRUE;
}

static void
save_copy_response_cb (GtkNativeDialog *chooser,
                       int              response,
                       CpWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      _cp_window_save_copy_file (self, file);
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

void
_cp_window_save_copy_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  CpWindow *self = CP_WINDOW (widget);
  GtkFileChooserNative *chooser;

  if (self->store == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Save a Copy to Change"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("leads-copy.db"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (save_copy_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
