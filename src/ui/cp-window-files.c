/* cp-window-files.c — the main window's files: export of a view or a selection, import (menu or
 * dropped file)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-activity-import-window.h"
#include "cp-application.h"
#include "cp-import-window.h"
#include "cp-lead-export.h"
#include "cp-window-private.h"
#include "cp-toast.h"

/* An export: of a selection (@ids) or of a view's filter (@query). It
 * runs on a worker; a toast shows how far it is and can cancel it. */
typedef struct
{
  CpWindow     *window;
  char        **ids;
  CpLeadQuery  *query;
  GFile        *file;
  AdwToast     *toast;
  GCancellable *cancellable;
  gulong        destroy_id;
  gboolean      window_gone;
} ExportRun;

static void
export_run_free (ExportRun *run)
{
  g_clear_signal_handler (&run->destroy_id, run->window);
  g_clear_object (&run->window);
  g_strfreev (run->ids);
  g_clear_pointer (&run->query, cp_lead_query_free);
  g_clear_object (&run->file);
  g_clear_object (&run->toast);
  g_clear_object (&run->cancellable);
  g_free (run);
}

static void
export_progress_cb (guint    done,
                    guint    total,
                    gpointer user_data)
{
  ExportRun *run = user_data;
  g_autofree char *title = NULL;

  if (total == 0)
    return;
  title = g_strdup_printf (_("Exporting leads… %u%%"),
                           (guint) MIN (100, (guint64) done * 100 / total));
  adw_toast_set_title (run->toast, title);
}

static void
export_cancel_clicked_cb (AdwToast  *toast,
                          ExportRun *run)
{
  g_cancellable_cancel (run->cancellable);
}

/* A window closed during its export: the export stops, nobody is told. */
static void
export_window_destroyed_cb (CpWindow  *window,
                            ExportRun *run)
{
  run->window_gone = TRUE;
  g_cancellable_cancel (run->cancellable);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ExportRun *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint count = 0;

  g_signal_handlers_disconnect_by_func (run->toast, export_cancel_clicked_cb, run);
  if (!run->window_gone)
    adw_toast_dismiss (run->toast);
  if (!cp_lead_export_finish (CP_LEAD_STORE (source), result, &count, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        message = g_strdup (_("Export cancelled: no file was written"));
      else
        message = g_strdup_printf (_("Nothing was exported: %s"), error->message);
    }
  else if (count == 0)
    message = g_strdup (_("No lead matches the filter: the file has the column names only"));
  else
    {
      g_autofree char *name = g_file_get_basename (run->file);
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %'u lead to %s",
                                              "Exported %'u leads to %s", count),
                                 count, name);
    }
  if (!run->window_gone)
    cp_window_add_toast (run->window, cp_toast_new_text (message));
  export_run_free (run);
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    ExportRun       *run)
{
  CpWindow *self = run->window;

  if (response != GTK_RESPONSE_ACCEPT || self->store == NULL)
    {
      export_run_free (run);
      g_object_unref (chooser);
      return;
    }

  run->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  run->cancellable = g_cancellable_new ();
  run->toast = g_object_ref_sink (cp_toast_new_text (_("Exporting leads…")));
  adw_toast_set_timeout (run->toast, 0);
  adw_toast_set_priority (run->toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_button_label (run->toast, _("_Cancel"));
  g_signal_connect (run->toast, "button-clicked", G_CALLBACK (export_cancel_clicked_cb), run);
  run->destroy_id =
      g_signal_connect (self, "destroy", G_CALLBACK (export_window_destroyed_cb), run);
  cp_window_add_toast (self, g_object_ref (run->toast));
  cp_lead_export_async (self->store, run->query, (const char * const *) run->ids, run->file,
                        run->cancellable, export_progress_cb, run, export_done_cb, run);
  g_object_unref (chooser);
}

static void
choose_export_file (CpWindow          *self,
                    const char * const *ids,
                    const CpLeadQuery  *query)
{
  GtkFileChooserNative *chooser;
  ExportRun *run;

  run = g_new0 (ExportRun, 1);
  run->window = g_object_ref (self);
  run->ids = ids != NULL ? g_strdupv ((char **) ids) : NULL;
  run->query = query != NULL ? cp_lead_query_copy (query) : NULL;
  chooser = gtk_file_chooser_native_new (_("Export Leads"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("leads.csv"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), run);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_cp_window_bulk_export_requested_cb (CpLeadsView *view,
                                     GStrv        ids,
                                     CpWindow    *self)
{
  if (self->store == NULL)
    return;
  choose_export_file (self, (const char * const *) ids, NULL);
}

/* Import…: the assistant for a CSV file, chosen or dropped on the window. */
static void
open_import (CpWindow *self,
             GFile    *file)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GError) error = NULL;
  CpImportWindow *assistant;

  if (!CP_IS_APPLICATION (app) || self->store == NULL)
    return;
  assistant = cp_import_window_new (GTK_WINDOW (self),
                                    cp_application_get_database_path (CP_APPLICATION (app)),
                                    file, &error);
  if (assistant == NULL)
    {
      g_autofree char *message =
          g_strdup_printf (_("The file cannot be imported: %s"), error->message);
      cp_window_add_toast (self, cp_toast_new_text (message));
      return;
    }
  gtk_window_present (GTK_WINDOW (assistant));
}

static void
import_chosen_cb (GtkNativeDialog *chooser,
                  int              response,
                  CpWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      open_import (self, file);
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

void
_cp_window_import_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CpWindow *self = CP_WINDOW (widget);
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Import Leads"), GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                                               _("_Open"), _("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (import_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Import Activities…: an attendee, check-in or form list; the assistant
 * asks for the file itself. */
void
_cp_window_import_activities_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  CpWindow *self = CP_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  CpActivityImportWindow *assistant;

  if (!CP_IS_APPLICATION (app) || self->store == NULL || _cp_window_refuse_if_read_only (self))
    return;
  assistant =
      cp_activity_import_window_new (GTK_WINDOW (self),
                                     cp_application_get_database_path (CP_APPLICATION (app)));
  gtk_window_present (GTK_WINDOW (assistant));
}

gboolean
_cp_window_file_dropped_cb (GtkDropTarget *target,
                 const GValue  *value,
                 double         x,
                 double         y,
                 CpWindow      *self)
{
  if (!G_VALUE_HOLDS (value, G_TYPE_FILE) || self->store == NULL)
    return FALSE;
  if (_cp_window_refuse_if_read_only (self))
    return TRUE;
  open_import (self, g_value_get_object (value));
  return TRUE;
}

/* Export…: every lead the visible view's filter shows (the whole database
 * from a view without a filter), with every field, read on a worker. */
void
_cp_window_export_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  CpWindow *self = CP_WINDOW (widget);
  const char *view = cp_window_get_visible_view (self);
  g_autoptr(CpLeadQuery) everything = cp_lead_query_new ();
  const CpLeadQuery *query = _cp_window_filter_key_for_view (view) != NULL
                             ? cp_filter_bar_get_query (self->filter_bar) : everything;

  if (self->store == NULL)
    return;
  choose_export_file (self, NULL, query);
}
