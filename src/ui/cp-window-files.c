/* cp-window-files.c — the main window's files: export of a view or a selection, import (menu or dropped file)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-activity-import-window.h"
#include "cp-application.h"
#include "cp-import-window.h"
#include "cp-lead-export.h"
#include "cp-window-private.h"

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    BulkRequest     *request)
{
  CpWindow *self = request->window;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      if (!cp_lead_export_csv_file (self->store, (const char * const *) request->ids, file,
                                    &error))
        message = g_strdup_printf (_("Nothing was exported: %s"), error->message);
      else
        {
          g_autofree char *name = g_file_get_basename (file);
          message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %'u lead to %s",
                                                  "Exported %'u leads to %s", g_strv_length (request->ids)),
                                     g_strv_length (request->ids), name);
        }
      cp_window_add_toast (self, adw_toast_new (message));
    }

  _cp_window_bulk_request_free (request);
  g_object_unref (chooser);
}

void
_cp_window_bulk_export_requested_cb (CpLeadsView *view,
                          GStrv        ids,
                          CpWindow    *self)
{
  GtkFileChooserNative *chooser;
  BulkRequest *request;

  if (self->store == NULL)
    return;

  request = g_new0 (BulkRequest, 1);
  request->window = g_object_ref (self);
  request->ids = g_strdupv (ids);
  chooser = gtk_file_chooser_native_new (_("Export Leads"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("leads.csv"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), request);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
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
      g_autofree char *message = g_strdup_printf (_("The file cannot be imported: %s"), error->message);
      cp_window_add_toast (self, adw_toast_new (message));
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
  assistant = cp_activity_import_window_new (GTK_WINDOW (self),
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
 * from a view without a filter), with every field. */
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
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;
  for (guint offset = 0;; offset += 5000)
    {
      g_autoptr(GPtrArray) page = cp_lead_store_query (self->store, query, offset, 5000, &error);

      if (page == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("Nothing was exported: %s"), error->message);
          cp_window_add_toast (self, adw_toast_new (message));
          return;
        }
      for (guint i = 0; i < page->len; i++)
        g_strv_builder_add (ids, cp_lead_get_id (page->pdata[i]));
      if (page->len < 5000)
        break;
    }
  list = g_strv_builder_end (ids);
  if (list[0] == NULL)
    {
      cp_window_add_toast (self, adw_toast_new (_("No lead matches the filter: nothing to export")));
      return;
    }
  _cp_window_bulk_export_requested_cb (self->leads_view, list, self);
}
