/* cp-import-report.c — what both import assistants show of the rows they could not take, and how
 * they save them
 *
 * The lead import's refused rows and the activity import's unmatched,
 * ambiguous and refused rows are shown the same way (a row per line of
 * the file: where, then why) and saved the same way: a CSV the user
 * chooses where to write, private to them (the rows name people).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-import-report"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cp-import-report.h"
#include "cp-private-file.h"

/**
 * cp_import_report_row_new:
 * @column: from 1; 0 for the whole row
 * @status: (nullable): what became of the row, in words ("Unmatched")
 *
 * Returns: (transfer floating): a row: where in the file, then why
 */
GtkWidget *
cp_import_report_row_new (guint64     line,
                          guint       column,
                          const char *status,
                          const char *reason)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *where = column > 0
    ? g_strdup_printf (_("Line %" G_GUINT64_FORMAT ", column %u"), line, column)
    : g_strdup_printf (_("Line %" G_GUINT64_FORMAT), line);
  g_autofree char *escaped = g_markup_escape_text (reason != NULL ? reason : "", -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), where);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  if (status != NULL)
    {
      GtkWidget *tag = gtk_label_new (status);

      gtk_widget_add_css_class (tag, "cp-tag");
      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
    }
  return row;
}

typedef struct
{
  char                 *csv;
  CpImportReportFailed  failed;
  GObject              *owner;
} Save;

static void
saved_cb (GtkNativeDialog *chooser,
          int              response,
          Save            *save)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      /* The rows' values name people. */
      if (!cp_private_file_replace (file, save->csv, strlen (save->csv), &error) &&
          save->failed != NULL)
        save->failed (error, save->owner);
    }
  g_object_unref (chooser);
  g_object_unref (save->owner);
  g_free (save->csv);
  g_free (save);
}

/**
 * cp_import_report_save:
 * @csv: (transfer full): the report
 * @failed: (nullable): told why, when the file could not be written
 * @owner: kept alive until the user has chosen (passed to @failed)
 *
 * Asks where to save the report, then writes it readable by the user only.
 */
void
cp_import_report_save (GtkWindow            *parent,
                       const char           *title,
                       const char           *file_name,
                       char                 *csv,
                       CpImportReportFailed  failed,
                       GObject              *owner)
{
  GtkFileChooserNative *chooser =
      gtk_file_chooser_native_new (title, parent, GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                   _("_Cancel"));
  Save *save = g_new0 (Save, 1);

  save->csv = csv;
  save->failed = failed;
  save->owner = g_object_ref (owner);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file_name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (saved_cb), save);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
