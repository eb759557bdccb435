/* cp-activity-import-window.c — the activity import assistant: a file, its kind, its columns, a
 * preview, the result
 *
 * Four pages in one window: choosing the file; what each row is (the
 * activity kind), the column each value comes from (detected, changeable)
 * and a preview — the first rows imported as a dry run on a worker
 * thread: how many match a lead, how many none, what automation would
 * do; the import itself on a worker thread with its own connection, with
 * Cancel; and the result: the counts, the stage moves automation made,
 * and every row that recorded nothing, with "Export Unmatched…". The
 * reading, matching and recording are cp-activity-import's; this window
 * only shows and asks.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-activity-import-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-activity-import-window.h"
#include "cp-activity-import.h"
#include "cp-application.h"
#include "cp-condition.h"
#include "cp-import-progress.h"
#include "cp-import-report.h"
#include "cp-lead-format.h"

#define PREVIEW_ROWS 50
#define SAMPLE_ROWS 3
#define MAX_COLUMN_ROWS 200
#define MAX_PROBLEM_ROWS 1000

struct _CpActivityImportWindow
{
  AdwWindow               parent_instance;

  AdwWindowTitle         *window_title;
  GtkStack               *stack;
  GtkWidget              *choose_button;
  AdwComboRow            *kind_row;
  GtkSwitch              *create_switch;
  GtkLabel               *preview_label;
  GtkWidget              *import_button;
  AdwPreferencesGroup    *columns_group;
  CpImportProgress       *progress;
  GtkImage               *result_icon;
  GtkLabel               *result_title;
  GtkLabel               *result_description;
  GtkWidget              *export_button;
  AdwPreferencesGroup    *moves_group;
  GtkWidget              *moves_list;
  AdwPreferencesGroup    *problems_group;
  GtkWidget              *problems_list;

  char                   *database_path;
  char                   *csv_path;
  char                   *file_name;
  char                   *phone_region;  /* the user's, as the last preview or import read it */
  CpActivityMapping      *mapping;
  GPtrArray              *samples;        /* the first rows, for the column rows */
  GPtrArray              *column_rows;    /* AdwComboRow per shown column */
  GArray                 *kinds;          /* CpActivityKind per position of kind_row */
  GCancellable           *cancellable;    /* the window's: cancelled when it closes */
  GCancellable           *preview_cancellable;
  guint                   preview_serial;
  char                   *preview_text;
  CpActivityImportResult  result;
};

G_DEFINE_FINAL_TYPE (CpActivityImportWindow, cp_activity_import_window, ADW_TYPE_WINDOW)

static CpActivityKind
selected_kind (CpActivityImportWindow *self)
{
  guint position = adw_combo_row_get_selected (self->kind_row);

  if (position >= self->kinds->len)
    return CP_ACTIVITY_KIND_WEBINAR_ATTENDED;
  return g_array_index (self->kinds, CpActivityKind, position);
}

static const char *
status_label (CpActivityRowStatus status)
{
  switch (status)
    {
    case CP_ACTIVITY_ROW_UNMATCHED:
      return _("No lead");
    case CP_ACTIVITY_ROW_AMBIGUOUS:
      return _("Several leads");
    case CP_ACTIVITY_ROW_REJECTED:
      return _("Refused");
    case CP_ACTIVITY_ROW_SKIPPED:
    default:
      return _("Did not happen");
    }
}

/* "Matched: 12 (10 by email, 2 by phone and name) · no lead: 3 · …" */
static char *
counts_text (CpActivityImportResult *r,
             gboolean                recorded)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (recorded)
    g_string_append_printf (text, _("Recorded: %u · already recorded: %u"), r->recorded,
                            r->already);
  else
    g_string_append_printf (text, _("match a lead: %u (%u by email, %u by phone and name)"),
                            r->by_email + r->by_phone_name, r->by_email, r->by_phone_name);
  if (r->leads_created > 0)
    g_string_append_printf (text, _(" · new leads: %u"), r->leads_created);
  g_string_append_printf (text, _(" · no lead: %u · several leads: %u · refused: %u"),
                          r->unmatched, r->ambiguous, r->rejected);
  if (r->skipped > 0)
    g_string_append_printf (text, _(" · did not happen: %u"), r->skipped);
  g_string_append_printf (text, _(" · stage moves by automation: %u"), r->moves->len);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static CpActivityImportOptions
options_from_page (CpActivityImportWindow *self,
                   gboolean                dry_run)
{
  CpActivityImportOptions options = { 0, };

  options.kind = selected_kind (self);
  options.mapping = self->mapping;
  options.create_leads = gtk_switch_get_active (self->create_switch);
  options.dry_run = dry_run;
  options.actor = g_get_real_name ();
  options.file_name = self->file_name;
  options.max_rows = dry_run ? PREVIEW_ROWS : 0;
  /* Phone numbers are read as the editor reads them. */
  g_free (self->phone_region);
  self->phone_region = cp_default_phone_region ();
  options.phone_region = self->phone_region;
  return options;
}

/* ---- the preview: the first rows, as a dry run ---- */

static void
set_preview (CpActivityImportWindow *self,
             const char             *text,
             gboolean                can_import)
{
  g_free (self->preview_text);
  self->preview_text = g_strdup (text);
  gtk_label_set_text (self->preview_label, text);
  gtk_widget_set_sensitive (self->import_button, can_import);
}

/* Only the newest preview is shown: each carries its number. */
typedef struct
{
  CpActivityImportWindow *self;
  guint                   serial;
} Preview;

static void
previewed_cb (GObject      *source,
              GAsyncResult *async_result,
              gpointer      user_data)
{
  g_autofree Preview *preview = user_data;
  g_autoptr(CpActivityImportWindow) self = preview->self;
  g_auto(CpActivityImportResult) result = { 0, };
  g_autoptr(GError) error = NULL;
  guint serial = preview->serial;
  g_autofree char *counts = NULL;
  g_autofree char *text = NULL;

  if (!cp_activity_import_run_finish (async_result, &result, &error))
    {
      if (serial == self->preview_serial)
        {
          text = g_strdup_printf (_("The file cannot be imported: %s"), error->message);
          set_preview (self, text, FALSE);
        }
      return;
    }
  if (serial != self->preview_serial || result.cancelled)
    return;   /* a newer preview is on its way */
  counts = counts_text (&result, FALSE);
  /* The singular names no number: its one argument is the counts (one
   * format for both would read the row count as the text). */
  if (result.rows == 1)
    text = g_strdup_printf (_("The first row — %s"), counts);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The first %u row — %s",
                                         "The first %u rows — %s", result.rows),
                            result.rows, counts);
  set_preview (self, text, TRUE);
}

static void
start_preview (CpActivityImportWindow *self)
{
  g_autoptr(GError) error = NULL;
  CpActivityImportOptions options;
  Preview *preview;

  if (self->mapping == NULL)
    return;
  if (self->preview_cancellable != NULL)
    g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  self->preview_serial++;
  if (!cp_activity_mapping_check (self->mapping, &error))
    {
      set_preview (self, error->message, FALSE);
      return;
    }
  set_preview (self, _("Matching the first rows to leads…"), FALSE);
  self->preview_cancellable = g_cancellable_new ();
  options = options_from_page (self, TRUE);
  preview = g_new0 (Preview, 1);
  preview->self = g_object_ref (self);
  preview->serial = self->preview_serial;
  cp_activity_import_run_async (self->database_path, self->csv_path, &options, NULL, NULL,
                                self->preview_cancellable, previewed_cb, preview);
}

/* ---- the columns ---- */

static void
column_selected_cb (AdwComboRow            *row,
                    GParamSpec             *pspec,
                    CpActivityImportWindow *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "cp-column"));
  guint selected = adw_combo_row_get_selected (row);

  if (selected == GTK_INVALID_LIST_POSITION || index >= self->mapping->columns->len)
    return;
  g_array_index (self->mapping->columns, CpActivityColumn, index) = selected;
  start_preview (self);
}

static void
rebuild_columns (CpActivityImportWindow *self)
{
  g_autoptr(GtkStringList) roles = gtk_string_list_new (NULL);
  GPtrArray *header = self->mapping->headers;

  for (guint i = 0; i < self->column_rows->len; i++)
    adw_preferences_group_remove (self->columns_group, self->column_rows->pdata[i]);
  g_ptr_array_set_size (self->column_rows, 0);
  for (CpActivityColumn c = 0; c < CP_ACTIVITY_N_COLUMNS; c++)
    gtk_string_list_append (roles, cp_activity_column_label (c));

  for (guint c = 0; c < header->len && c < MAX_COLUMN_ROWS; c++)
    {
      GtkWidget *row = adw_combo_row_new ();
      g_autoptr(GString) samples = g_string_new (NULL);
      const char *title = header->pdata[c];

      for (guint r = 0; r < self->samples->len; r++)
        {
          GPtrArray *values = self->samples->pdata[r];
          const char *value = c < values->len ? values->pdata[c] : "";

          if (*value == '\0')
            continue;
          if (samples->len > 0)
            g_string_append (samples, " · ");
          g_string_append (samples, value);
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     *title != '\0' ? title : _("(no name)"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   samples->len > 0 ? samples->str : _("(empty)"));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (roles));
      adw_combo_row_set_selected (ADW_COMBO_ROW (row),
                                  g_array_index (self->mapping->columns, CpActivityColumn, c));
      g_object_set_data (G_OBJECT (row), "cp-column", GUINT_TO_POINTER (c));
      g_signal_connect (row, "notify::selected", G_CALLBACK (column_selected_cb), self);
      adw_preferences_group_add (self->columns_group, row);
      g_ptr_array_add (self->column_rows, row);
    }
}

/* Reads the header (under a report's title block) and the first rows as
 * the kind now chosen reads them. */
static gboolean
load_file (CpActivityImportWindow  *self,
           GError                 **error)
{
  g_autoptr(GPtrArray) samples = NULL;
  CpActivityMapping *mapping = cp_activity_import_read_header (self->csv_path, selected_kind (self),
                                                               SAMPLE_ROWS, &samples, error);

  if (mapping == NULL)
    return FALSE;
  g_clear_pointer (&self->mapping, cp_activity_mapping_free);
  self->mapping = mapping;
  g_clear_pointer (&self->samples, g_ptr_array_unref);
  self->samples = g_steal_pointer (&samples);
  rebuild_columns (self);
  return TRUE;
}

static void
kind_selected_cb (CpActivityImportWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->csv_path == NULL)
    return;
  /* The kind decides which time column is meant (registration or join). */
  if (!load_file (self, &error))
    set_preview (self, error->message, FALSE);
  else
    start_preview (self);
}

static void
create_toggled_cb (CpActivityImportWindow *self)
{
  start_preview (self);
}

/* ---- choosing the file ---- */

static void
file_chosen_cb (GtkNativeDialog        *chooser,
                int                     response,
                CpActivityImportWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (!cp_activity_import_window_set_file (self, file, &error))
        {
          GtkWidget *page = gtk_stack_get_child_by_name (self->stack, "choose");
          g_autofree char *text =
              g_strdup_printf (_("The file cannot be imported: %s"), error->message);

          adw_status_page_set_description (ADW_STATUS_PAGE (page), text);
        }
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
choose_clicked_cb (CpActivityImportWindow *self)
{
  GtkFileChooserNative *chooser =
      gtk_file_chooser_native_new (_("Import Activities"), GTK_WINDOW (self),
                                   GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (file_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- the import and its result ---- */

static void
show_result (CpActivityImportWindow *self)
{
  CpActivityImportResult *r = &self->result;
  g_autofree char *counts = counts_text (r, TRUE);
  GtkWidget *child;

  gtk_label_set_text (self->result_title,
                      r->cancelled ? _("Import Cancelled") : _("Import Finished"));
  if (r->warning != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s\n%s", counts, r->warning);
      gtk_label_set_text (self->result_description, text);
    }
  else
    gtk_label_set_text (self->result_description, counts);
  gtk_image_set_from_icon_name (self->result_icon, r->problems->len > 0 ? "dialog-warning-symbolic"
                                                                        : "emblem-ok-symbolic");

  while ((child = gtk_widget_get_first_child (self->moves_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->moves_list), child);
  for (guint i = 0; i < r->moves->len && i < MAX_PROBLEM_ROWS; i++)
    {
      CpActivityImportMove *move = r->moves->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *rule = cp_humanize_id (move->rule_id);
      /* Translators: a stage, the next stage, then the automation rule that moved the lead */
      g_autofree char *subtitle =
          g_strdup_printf (_("%s → %s · %s"), cp_value_label (move->from_stage),
                           cp_value_label (move->to_stage), rule);
      g_autofree char *escaped = g_markup_escape_text (subtitle, -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     move->lead_name != NULL ? move->lead_name : move->lead_id);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
      gtk_list_box_append (GTK_LIST_BOX (self->moves_list), row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->moves_group), r->moves->len > 0);

  while ((child = gtk_widget_get_first_child (self->problems_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->problems_list), child);
  for (guint i = 0; i < r->problems->len && i < MAX_PROBLEM_ROWS; i++)
    {
      CpActivityRowReport *problem = r->problems->pdata[i];

      gtk_list_box_append (GTK_LIST_BOX (self->problems_list),
                           cp_import_report_row_new (problem->line, 0,
                                                     status_label (problem->status),
                                                     problem->reason));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problems_group), r->problems->len > 0);
  gtk_widget_set_sensitive (self->export_button, r->problems->len > 0);
  if (r->problems->len > MAX_PROBLEM_ROWS)
    {
      g_autofree char *more = g_strdup_printf (_("The first %u of %u rows; “Export Unmatched…” "
                                                 "writes them all."),
                                               MAX_PROBLEM_ROWS, r->problems->len);
      adw_preferences_group_set_description (self->problems_group, more);
    }
  else
    adw_preferences_group_set_description (
        self->problems_group, _("Kept: export them, fix or add the leads, and import "
                                "the file again. What was recorded is not recorded twice."));
  gtk_stack_set_visible_child_name (self->stack, "result");
}

static void
imported_cb (GObject      *source,
             GAsyncResult *async_result,
             gpointer      user_data)
{
  g_autoptr(CpActivityImportWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->cancellable == NULL)
    return;   /* closed meanwhile */
  cp_activity_import_result_clear (&self->result);
  if (!cp_activity_import_run_finish (async_result, &self->result, &error))
    {
      /* Committed batches stay (a new run completes them); say so and go back. */
      g_autofree char *text = g_strdup_printf (_("The import stopped: %s"), error->message);

      set_preview (self, text, TRUE);
      gtk_stack_set_visible_child_name (self->stack, "mapping");
      return;
    }
  show_result (self);
}

static void
import_clicked_cb (CpActivityImportWindow *self)
{
  CpActivityImportOptions options = options_from_page (self, FALSE);

  if (self->preview_cancellable != NULL)
    g_cancellable_cancel (self->preview_cancellable);
  cp_import_progress_start (self->progress, self->cancellable);
  gtk_stack_set_visible_child_name (self->stack, "progress");
  cp_activity_import_run_async (self->database_path, self->csv_path, &options,
                                cp_import_progress_report, self->progress,
                                self->cancellable, imported_cb, g_object_ref (self));
}

static void
export_failed_cb (const GError *error,
                  gpointer      user_data)
{
  CpActivityImportWindow *self = user_data;

  gtk_label_set_text (self->result_description, error->message);
}

static void
export_clicked_cb (CpActivityImportWindow *self)
{
  cp_import_report_save (GTK_WINDOW (self), _("Export the Rows Not Recorded"),
                         _("unmatched-rows.csv"), cp_activity_import_problems_csv (&self->result),
                         export_failed_cb, G_OBJECT (self));
}

static void
cp_activity_import_window_dispose (GObject *object)
{
  CpActivityImportWindow *self = CP_ACTIVITY_IMPORT_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->preview_cancellable != NULL)
    g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->preview_cancellable);
  g_clear_pointer (&self->mapping, cp_activity_mapping_free);
  g_clear_pointer (&self->samples, g_ptr_array_unref);
  g_clear_pointer (&self->column_rows, g_ptr_array_unref);
  g_clear_pointer (&self->kinds, g_array_unref);
  g_clear_pointer (&self->database_path, g_free);
  g_clear_pointer (&self->csv_path, g_free);
  g_clear_pointer (&self->file_name, g_free);
  g_clear_pointer (&self->phone_region, g_free);
  g_clear_pointer (&self->preview_text, g_free);
  cp_activity_import_result_clear (&self->result);

  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_ACTIVITY_IMPORT_WINDOW);
  G_OBJECT_CLASS (cp_activity_import_window_parent_class)->dispose (object);
}

static void
cp_activity_import_window_class_init (CpActivityImportWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cp_activity_import_window_dispose;
  g_type_ensure (CP_TYPE_IMPORT_PROGRESS);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/carepath/Carepath/cp-activity-import-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CpActivityImportWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CpActivityImportWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CpActivityImportWindow, choose_button);
  gtk_widget_class_bind_template_child (widget_class, CpActivityImportWindow, kind_row);
  gtk_widget_class_bind_template_child (widget_class, CpActivityImportWindow, create_switch);
  gtk_widget_class_bind_template_child (widget_class, CpActivityImportWindow, preview_label);
  gtk_widget_class_bind_template_child (widget_class, CpActivityImportWindow, import_button);
  gtk_widget_class_bind_template_child (widget_class, CpActivityImportWindow, columns_group);
  gtk_widget_class_bind_template_child (widget_class, CpActivityImportWindow, progress);
  gtk_widget_class_bind_template_child (widget_class, CpActivityImportWindow, result_icon);
  gtk_widget_class_bind_template_child (widget_class, CpActivityImportWindow, result_title);
  gtk_widget_class_bind_template_child (widget_class, CpActivityImportWindow, result_description);
  gtk_widget_class_bind_template_child (widget_class, CpActivityImportWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, CpActivityImportWindow, moves_group);
  gtk_widget_class_bind_template_child (widget_class, CpActivityImportWindow, moves_list);
  gtk_widget_class_bind_template_child (widget_class, CpActivityImportWindow, problems_group);
  gtk_widget_class_bind_template_child (widget_class, CpActivityImportWindow, problems_list);
  gtk_widget_class_bind_template_callback (widget_class, choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, kind_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cp_activity_import_window_init (CpActivityImportWindow *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  guint attended = 0;

  self->cancellable = g_cancellable_new ();
  self->column_rows = g_ptr_array_new ();
  self->kinds = g_array_new (FALSE, FALSE, sizeof (CpActivityKind));
  for (CpActivityKind k = 0; k < CP_ACTIVITY_N_KINDS; k++)
    {
      if (k == CP_ACTIVITY_KIND_NOTE)
        continue;
      if (k == CP_ACTIVITY_KIND_WEBINAR_ATTENDED)
        attended = self->kinds->len;
      g_array_append_val (self->kinds, k);
      gtk_string_list_append (kinds, cp_activity_kind_label (k));
    }
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The model first: no preview runs before a file is chosen. */
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));
  adw_combo_row_set_selected (self->kind_row, attended);
}

/**
 * cp_activity_import_window_new:
 * @database_path: the database to import into (the worker opens it)
 *
 * Returns: (transfer full): the assistant, asking for a file
 */
CpActivityImportWindow *
cp_activity_import_window_new (GtkWindow  *parent,
                               const char *database_path)
{
  CpActivityImportWindow *self;

  g_return_val_if_fail (database_path != NULL, NULL);

  self = g_object_new (CP_TYPE_ACTIVITY_IMPORT_WINDOW, "transient-for", parent, NULL);
  self->database_path = g_strdup (database_path);
  return self;
}

/**
 * cp_activity_import_window_set_file:
 * @file: the CSV file
 *
 * Reads the file's columns and shows them with a preview of the first rows.
 *
 * Returns: %FALSE with @error set when the file cannot be read or says
 *   nothing usable (no time, no email or phone column)
 */
gboolean
cp_activity_import_window_set_file (CpActivityImportWindow  *self,
                                    GFile                   *file,
                                    GError                 **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (CP_IS_ACTIVITY_IMPORT_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *name = g_file_get_basename (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("“%s” is not a local file."),
                   name);
      return FALSE;
    }
  g_free (self->csv_path);
  self->csv_path = g_steal_pointer (&path);
  if (!load_file (self, error))
    {
      g_clear_pointer (&self->csv_path, g_free);
      return FALSE;
    }
  g_free (self->file_name);
  self->file_name = g_file_get_basename (file);
  adw_window_title_set_subtitle (self->window_title, self->file_name);
  gtk_stack_set_visible_child_name (self->stack, "mapping");
  start_preview (self);
  return TRUE;
}

/* Returns: "choose", "mapping", "progress" or "result" */
const char *
cp_activity_import_window_get_page (CpActivityImportWindow *self)
{
  g_return_val_if_fail (CP_IS_ACTIVITY_IMPORT_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/* Returns: what the preview says now (tests) */
const char *
cp_activity_import_window_get_preview (CpActivityImportWindow *self)
{
  g_return_val_if_fail (CP_IS_ACTIVITY_IMPORT_WINDOW (self), NULL);

  return self->preview_text;
}
