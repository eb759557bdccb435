/* cp-reports-view-export.c — the Reports view's Export menu: PDF, PNG, CSV, copy
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-reports-view"
#include "config.h"

#include <glib/gi18n.h>

#include "cp-report-render.h"
#include "cp-reports-view-private.h"
#include "cp-toast.h"

static void
show_toast (CpReportsView *self,
            const char    *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), cp_toast_new_text (message));
  else
    g_message ("%s", message);
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    CpReportsView   *self)
{
  const char *format = g_object_get_data (G_OBJECT (chooser), "format");
  const CpReport *report = cp_reports_view_get_report (self);
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(CpReportOptions) options = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (response != GTK_RESPONSE_ACCEPT || report == NULL)
    goto out;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  path = g_file_get_path (file);
  options = cp_reports_view_dup_options (self);
  if (g_str_equal (format, "pdf"))
    ok = cp_report_export_pdf (report, options, path, &error);
  else if (g_str_equal (format, "png"))
    ok = cp_report_export_png (report, options, path, 1600, 1000, &error);
  else
    ok = cp_report_export_csv (report, path, &error);
  if (ok)
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *message = g_strdup_printf (_("Saved “%s”"), name);
      show_toast (self, message);
    }
  else
    show_toast (self, error->message);

out:
  g_object_unref (chooser);
  g_object_unref (self);
}

void
_cp_reports_view_export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CpReportsView *self = CP_REPORTS_VIEW (widget);
  const char *format = g_variant_get_string (parameter, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  const CpReport *report = cp_reports_view_get_report (self);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (report == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export Report"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  name = g_strdup_printf ("%s.%s", report->id, format);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data_full (G_OBJECT (chooser), "format", g_strdup (format), g_free);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_cp_reports_view_copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CpReportsView *self = CP_REPORTS_VIEW (widget);
  const CpReport *report = cp_reports_view_get_report (self);
  g_autofree char *csv = NULL;

  if (report == NULL)
    return;
  csv = cp_report_to_csv (report);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), csv);
  show_toast (self, _("Figures copied"));
}
