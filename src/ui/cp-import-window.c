/* cp-import-window.c — the import assistant: columns, duplicates, a check, the import, every
 * refused row
 *
 * Three pages in one window: the columns of the file with the field each
 * fills (detected, changeable) and the duplicate policy, with "Check" for
 * a dry run; the import running on a worker thread with its own
 * connection, with Cancel (it stops after the row in progress; what it
 * keeps, cp_lead_import_run() says); the result with every refused row
 * and "Save Report…". The reading, mapping
 * and importing are cp-lead-import's; this window only shows and asks.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-import-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-application.h"
#include "cp-import-progress.h"
#include "cp-import-report.h"
#include "cp-import-window.h"
#include "cp-lead-format.h"
#include "cp-lead-import.h"
#include "cp-playbook-format.h"

/* Columns shown for choosing; a wider file keeps the detected mapping for the rest. */
#define MAX_COLUMN_ROWS 200
#define PREVIEW_ROWS 3
#define MAX_REJECTION_ROWS 1000
/* Rows read to list the values of stage and choice columns. */
#define VALUE_SCAN_ROWS 20000

struct _CpImportWindow
{
  AdwWindow            parent_instance;

  AdwWindowTitle      *window_title;
  GtkStack            *stack;
  AdwComboRow         *duplicates_row;
  GtkLabel            *check_label;
  GtkWidget           *check_button;
  GtkWidget           *import_button;
  AdwPreferencesGroup *columns_group;
  AdwPreferencesGroup *values_group;
  CpImportProgress    *progress;
  AdwStatusPage       *result_page;
  AdwPreferencesGroup *rejections_group;
  GtkWidget           *rejection_rows;  /* GtkListBox */
  AdwPreferencesGroup *matches_group;
  GtkWidget           *match_rows;      /* GtkListBox */

  char                *database_path;
  char                *csv_path;
  char                *phone_region;  /* the user's, as the last check or import read it */
  CpImportMapping     *mapping;
  GPtrArray           *column_rows;   /* AdwComboRow per shown column */
  CpPlaybook          *playbook;
  GPtrArray           *value_rows;    /* AdwComboRow per distinct value */
  GCancellable        *cancellable;
  CpImportResult       result;
  gboolean             have_result;
  gboolean             busy;          /* a check or an import runs: Check and Import wait */
  guint                choices;       /* counts the user's changes of columns, values, policy */
  guint                checked_at;    /* ->choices when the last check started */
};

G_DEFINE_FINAL_TYPE (CpImportWindow, cp_import_window, ADW_TYPE_WINDOW)

enum { PROP_0, PROP_BUSY, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* The dropdown's entries: "Ignore", then every field a file may set (not
 * those the playbook computes). Position 0 is CP_LEAD_N_FIELDS. */
static CpLeadField
field_at (guint position)
{
  guint n = 0;

  for (CpLeadField f = 0; f < CP_LEAD_N_FIELDS && position != GTK_INVALID_LIST_POSITION; f++)
    if (!cp_lead_field_is_computed (f) && ++n == position)
      return f;
  return CP_LEAD_N_FIELDS;
}

static guint
position_of (CpLeadField field)
{
  guint n = 0;

  if (field >= CP_LEAD_N_FIELDS || cp_lead_field_is_computed (field))
    return 0;
  for (CpLeadField f = 0; f <= field; f++)
    if (!cp_lead_field_is_computed (f))
      n++;
  return n;
}

static GtkStringList *
field_choices (void)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, _("Ignore this column"));
  for (CpLeadField f = 0; f < CP_LEAD_N_FIELDS; f++)
    if (!cp_lead_field_is_computed (f))
      gtk_string_list_append (list, _(cp_lead_field_info (f)->label));
  return list;
}

/* The chosen field of every shown column; the rest stay as detected. */
static void
sync_columns (CpImportWindow *self)
{
  for (guint i = 0; i < self->column_rows->len; i++)
    {
      guint selected = adw_combo_row_get_selected (self->column_rows->pdata[i]);

      g_array_index (self->mapping->fields, CpLeadField, i) = field_at (selected);
    }
}

/* ---- values of stage and choice columns ---- */

/* What a value row offers: refuse, leave empty, then each stage or choice. */
static GStrv
value_targets (CpImportWindow *self,
               CpLeadField     field)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (field == CP_LEAD_FIELD_STAGE)
    for (guint i = 0; i < self->playbook->stages->len; i++)
      g_strv_builder_add (builder, ((CpStage *) self->playbook->stages->pdata[i])->id);
  else if (field == CP_LEAD_FIELD_CLOSURE_REASON)
    for (guint i = 0; i < self->playbook->closure_reasons->len; i++)
      g_strv_builder_add (builder,
                          ((CpClosureReason *) self->playbook->closure_reasons->pdata[i])->id);
  else
    g_strv_builder_addv (builder, (const char **) cp_lead_field_info (field)->choices);
  return g_strv_builder_end (builder);
}

static const char *
target_label (CpImportWindow *self,
              CpLeadField     field,
              const char     *target)
{
  const CpStage *stage =
      field == CP_LEAD_FIELD_STAGE ? cp_playbook_get_stage (self->playbook, target) : NULL;
  const CpClosureReason *reason = field == CP_LEAD_FIELD_CLOSURE_REASON
    ? cp_playbook_get_closure_reason (self->playbook, target) : NULL;

  if (reason != NULL && reason->title != NULL)
    return reason->title;
  return stage != NULL && stage->title != NULL ? stage->title : cp_value_label (target);
}

/* A check's counts hold for the choices it was made with: a change takes
 * them down (and a check still running for the old ones says nothing). */
static void
choices_changed (CpImportWindow *self)
{
  self->choices++;
  gtk_label_set_text (self->check_label, "");
}

static void
value_selected_cb (AdwComboRow    *row,
                   GParamSpec     *pspec,
                   CpImportWindow *self)
{
  CpImportValue *value = g_object_get_data (G_OBJECT (row), "cp-value");
  const char * const *targets = g_object_get_data (G_OBJECT (row), "cp-targets");
  guint selected = adw_combo_row_get_selected (row);
  const char *target = selected >= 2 ? targets[selected - 2] : NULL;

  if (selected == GTK_INVALID_LIST_POSITION)
    return;
  if (selected == 0)
    gtk_widget_add_css_class (GTK_WIDGET (row), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "warning");
  if (selected >= 2 && g_strcmp0 (target, value->automatic) == 0)
    cp_import_mapping_set_value (self->mapping, value->field, value->value, CP_IMPORT_VALUE_AUTO,
                                 NULL);
  else if (selected == 0 && value->automatic == NULL)
    cp_import_mapping_set_value (self->mapping, value->field, value->value, CP_IMPORT_VALUE_AUTO,
                                 NULL);
  else
    cp_import_mapping_set_value (self->mapping, value->field, value->value,
                                 selected == 0 ? CP_IMPORT_VALUE_REFUSE
                                 : selected == 1 ? CP_IMPORT_VALUE_EMPTY : CP_IMPORT_VALUE_SET,
                                 target);
  choices_changed (self);
}

static GtkWidget *
value_row_new (CpImportWindow *self,
               CpImportValue  *value)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  g_auto(GStrv) targets = value_targets (self, value->field);
  GPtrArray *header = self->mapping->headers;
  const char *column = value->column < header->len ? header->pdata[value->column] : "";
  g_autofree char *subtitle = NULL;
  const char *target = NULL;
  guint selected = 0;

  /* Translators: how many rows have the value, then the column's name */
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row · column “%s”",
                                           "%u rows · column “%s”", value->count),
                              value->count, column);
  gtk_string_list_append (list, _("Refuse the row"));
  gtk_string_list_append (list, _("Leave empty"));
  for (guint i = 0; targets[i] != NULL; i++)
    gtk_string_list_append (list, target_label (self, value->field, targets[i]));

  switch (cp_import_mapping_get_value (self->mapping, value->field, value->value, &target))
    {
    case CP_IMPORT_VALUE_REFUSE:
      selected = 0;
      break;
    case CP_IMPORT_VALUE_EMPTY:
      selected = 1;
      break;
    case CP_IMPORT_VALUE_AUTO:
      target = value->automatic;
      G_GNUC_FALLTHROUGH;
    case CP_IMPORT_VALUE_SET:
    default:
      for (guint i = 0; target != NULL && targets[i] != NULL; i++)
        if (g_str_equal (targets[i], target))
          selected = i + 2;
      break;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), value->value);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  if (selected == 0)
    gtk_widget_add_css_class (row, "warning");
  g_object_set_data_full (G_OBJECT (row), "cp-value", value, (GDestroyNotify) cp_import_value_free);
  g_object_set_data_full (G_OBJECT (row), "cp-targets", g_steal_pointer (&targets),
                          (GDestroyNotify) g_strfreev);
  g_signal_connect (row, "notify::selected", G_CALLBACK (value_selected_cb), self);
  return row;
}

/* Lists the values of the stage and choice columns as now mapped; what the
 * user chose for a value stays with the mapping across changes. */
static void
rebuild_values (CpImportWindow *self)
{
  g_autoptr(CpCsvReader) reader = NULL;
  g_autoptr(GPtrArray) values = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  gboolean truncated = FALSE;

  for (guint i = 0; i < self->value_rows->len; i++)
    adw_preferences_group_remove (self->values_group, self->value_rows->pdata[i]);
  g_ptr_array_set_size (self->value_rows, 0);

  sync_columns (self);
  reader = cp_csv_reader_new_for_path (self->csv_path, &error);
  if (reader != NULL)
    values = cp_import_scan_values (reader, self->mapping, self->playbook, VALUE_SCAN_ROWS,
                                    &truncated, &error);
  if (values == NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_preferences_group_set_description (self->values_group, escaped);
      gtk_widget_set_visible (GTK_WIDGET (self->values_group), TRUE);
      return;
    }

  description = g_strdup_printf ("%s%s",
                                 _("What each value of the stage and choice columns becomes. "
                                   "Values that differ only in case or punctuation are one."),
                                 truncated ? _(" Values are listed from the first 20,000 rows; "
                                               "later rows with other values are read as written.")
                                           : "");
  adw_preferences_group_set_description (self->values_group, description);
  for (guint i = 0; i < values->len; i++)
    {
      GtkWidget *row = value_row_new (self, g_steal_pointer (&values->pdata[i]));

      adw_preferences_group_add (self->values_group, row);
      g_ptr_array_add (self->value_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->values_group), self->value_rows->len > 0);
}

static void
column_selected_cb (AdwComboRow    *row,
                    GParamSpec     *pspec,
                    CpImportWindow *self)
{
  rebuild_values (self);
  choices_changed (self);
}

static void
policy_selected_cb (CpImportWindow *self)
{
  choices_changed (self);
}

static CpImportOptions
options_from_page (CpImportWindow *self,
                   gboolean        dry_run)
{
  static const CpImportDuplicates policies[] = {
    CP_IMPORT_DUPLICATE_MERGE, CP_IMPORT_DUPLICATE_UPDATE, CP_IMPORT_DUPLICATE_SKIP,
    CP_IMPORT_DUPLICATE_KEEP,
  };
  CpImportOptions options = { 0, };
  guint policy = adw_combo_row_get_selected (self->duplicates_row);

  sync_columns (self);
  options.headers = CP_IMPORT_HEADERS_AUTO;
  options.duplicates = policies[MIN (policy, G_N_ELEMENTS (policies) - 1)];
  options.dry_run = dry_run;
  options.actor = g_get_real_name ();
  options.mapping = self->mapping;
  /* Phone numbers are read as the editor reads them. */
  g_free (self->phone_region);
  self->phone_region = cp_default_phone_region ();
  options.phone_region = self->phone_region;
  return options;
}

static char *
summary_text (CpImportResult *result,
              gboolean        dry_run)
{
  /* Translators: the numbers of rows that would be (or were) added, flagged among those,
   * merged, matched with nothing new, skipped, refused */
  return g_strdup_printf (dry_run
                              ? _("If imported now: %u added (%u flagged as possible duplicates), "
                                  "%u merged, %u already there, %u skipped, %u refused.")
                              : _("%u added (%u flagged as possible duplicates), %u merged, "
                                  "%u already there, %u skipped, %u refused."),
                          result->imported, result->flagged, result->merged, result->unchanged,
                          result->skipped, result->rejected);
}

static void
set_busy (CpImportWindow *self,
          gboolean        busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
checked_cb (GObject      *source,
            GAsyncResult *async_result,
            gpointer      user_data)
{
  g_autoptr(CpImportWindow) self = user_data;
  g_auto(CpImportResult) result = { 0, };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (self->cancellable == NULL)
    return;   /* closed meanwhile */
  set_busy (self, FALSE);
  if (!cp_lead_import_run_finish (async_result, &result, &error))
    text = g_strdup_printf (_("The check failed: %s"), error->message);
  else
    text = summary_text (&result, TRUE);
  if (self->checked_at == self->choices)
    gtk_label_set_text (self->check_label, text);
}

static void
check_clicked_cb (CpImportWindow *self)
{
  CpImportOptions options = options_from_page (self, TRUE);

  set_busy (self, TRUE);
  self->checked_at = self->choices;
  gtk_label_set_text (self->check_label, _("Checking every row…"));
  cp_lead_import_run_async (self->database_path, self->csv_path, &options, NULL, NULL,
                            self->cancellable, checked_cb, g_object_ref (self));
}

static void
show_result (CpImportWindow *self)
{
  g_autofree char *summary = summary_text (&self->result, FALSE);
  GtkWidget *child;

  adw_status_page_set_title (self->result_page, self->result.cancelled ? _("Import Cancelled")
                                                                       : _("Import Finished"));
  if (self->result.warning != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s\n%s", summary, self->result.warning);
      adw_status_page_set_description (self->result_page, text);
    }
  else
    adw_status_page_set_description (self->result_page, summary);
  adw_status_page_set_icon_name (self->result_page, self->result.rejected > 0
                                                    ? "dialog-warning-symbolic"
                                                    : "emblem-ok-symbolic");

  while ((child = gtk_widget_get_first_child (self->rejection_rows)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->rejection_rows), child);
  for (guint i = 0; i < self->result.rejections->len && i < MAX_REJECTION_ROWS; i++)
    {
      CpImportRejection *r = self->result.rejections->pdata[i];

      gtk_list_box_append (GTK_LIST_BOX (self->rejection_rows),
                           cp_import_report_row_new (r->line, r->column, NULL, r->reason));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->rejections_group), self->result.rejected > 0);
  if (self->result.rejected > MAX_REJECTION_ROWS)
    {
      g_autofree char *more = g_strdup_printf (_("The first %u of %u refused rows; “Save Report…” "
                                                 "writes them all."),
                                               MAX_REJECTION_ROWS, self->result.rejected);
      adw_preferences_group_set_description (self->rejections_group, more);
    }
  /* The rows taken to be stored leads: whom, and why. */
  while ((child = gtk_widget_get_first_child (self->match_rows)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->match_rows), child);
  for (guint i = 0; i < self->result.matches->len && i < CP_IMPORT_NAMED_MATCHES; i++)
    {
      CpImportMatch *m = self->result.matches->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      /* Translators: a line of the file and the lead it was taken to be */
      g_autofree char *title = g_strdup_printf (_("Line %" G_GUINT64_FORMAT " — %s"), m->line,
                                                m->lead_name != NULL ? m->lead_name : m->lead_id);
      /* Translators: why, then what it did, e.g. “The same email: fields filled in” */
      g_autofree char *why =
          g_strdup_printf (_("%s: %s"), cp_import_evidence_describe (m->evidence),
                           m->changed ? _("fields filled in") : _("nothing new"));
      g_autofree char *subtitle = g_markup_escape_text (why, -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (GTK_LIST_BOX (self->match_rows), row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->matches_group), self->result.matches->len > 0);
  if (self->result.matches->len > CP_IMPORT_NAMED_MATCHES)
    {
      g_autofree char *more = g_strdup_printf (_("The first %u of %u rows that matched a lead."),
                                               CP_IMPORT_NAMED_MATCHES, self->result.matches->len);
      adw_preferences_group_set_description (self->matches_group, more);
    }
  else
    adw_preferences_group_set_description (self->matches_group, NULL);
  gtk_stack_set_visible_child_name (self->stack, "result");
}

static void
imported_cb (GObject      *source,
             GAsyncResult *async_result,
             gpointer      user_data)
{
  g_autoptr(CpImportWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->cancellable == NULL)
    return;
  cp_import_result_clear (&self->result);
  if (!cp_lead_import_run_finish (async_result, &self->result, &error))
    {
      /* Committed batches stay; say what happened and go back. */
      g_autofree char *text = g_strdup_printf (_("The import stopped: %s"), error->message);

      gtk_label_set_text (self->check_label, text);
      set_busy (self, FALSE);
      gtk_stack_set_visible_child_name (self->stack, "mapping");
      return;
    }
  self->have_result = TRUE;
  show_result (self);
}

static void
import_clicked_cb (CpImportWindow *self)
{
  CpImportOptions options = options_from_page (self, FALSE);

  set_busy (self, TRUE);
  cp_import_progress_start (self->progress, self->cancellable);
  gtk_stack_set_visible_child_name (self->stack, "progress");
  cp_lead_import_run_async (self->database_path, self->csv_path, &options,
                            cp_import_progress_report, self->progress,
                            self->cancellable, imported_cb, g_object_ref (self));
}

static void
report_failed_cb (const GError *error,
                  gpointer      user_data)
{
  CpImportWindow *self = user_data;

  adw_status_page_set_description (self->result_page, error->message);
}

static void
save_report_clicked_cb (CpImportWindow *self)
{
  cp_import_report_save (GTK_WINDOW (self), _("Save the Refused Rows"), _("refused-rows.csv"),
                         cp_import_rejections_csv (&self->result), report_failed_cb,
                         G_OBJECT (self));
}

/* ---- the columns of the file ---- */

/* A row per column (up to MAX_COLUMN_ROWS): its name, its first values,
 * and the field it fills. */
static void
add_column_rows (CpImportWindow *self,
                 GPtrArray      *preview,
                 const char     *file_name)
{
  g_autoptr(GtkStringList) choices = field_choices ();
  GPtrArray *header = preview->pdata[0];
  g_autofree char *description = NULL;

  description =
      header->len > MAX_COLUMN_ROWS
          ? g_strdup_printf (
                _("The first %u of the %u columns of “%s”. Choose the field each fills; "
                  "the other columns keep the field their name suggests."),
                MAX_COLUMN_ROWS, header->len, file_name)
          : g_strdup_printf (
                _("The columns of “%s”, with the first rows. Choose the field each fills."),
                file_name);
  adw_preferences_group_set_description (self->columns_group, description);
  for (guint c = 0; c < header->len && c < MAX_COLUMN_ROWS; c++)
    {
      GtkWidget *row = adw_combo_row_new ();
      CpLeadField field = g_array_index (self->mapping->fields, CpLeadField, c);
      g_autoptr(GString) samples = g_string_new (NULL);
      const char *title = header->pdata[c];

      for (guint r = 1; r < preview->len; r++)
        {
          GPtrArray *values = preview->pdata[r];
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
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (choices));
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), position_of (field));
      adw_preferences_group_add (self->columns_group, row);
      g_ptr_array_add (self->column_rows, row);
      g_signal_connect (row, "notify::selected", G_CALLBACK (column_selected_cb), self);
    }
}

static void
cp_import_window_dispose (GObject *object)
{
  CpImportWindow *self = CP_IMPORT_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->mapping, cp_import_mapping_free);
  g_clear_pointer (&self->column_rows, g_ptr_array_unref);
  g_clear_pointer (&self->value_rows, g_ptr_array_unref);
  g_clear_pointer (&self->playbook, cp_playbook_unref);
  g_clear_pointer (&self->database_path, g_free);
  g_clear_pointer (&self->csv_path, g_free);
  g_clear_pointer (&self->phone_region, g_free);
  cp_import_result_clear (&self->result);

  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_IMPORT_WINDOW);
  G_OBJECT_CLASS (cp_import_window_parent_class)->dispose (object);
}

static void
cp_import_window_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CpImportWindow *self = CP_IMPORT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_import_window_class_init (CpImportWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_import_window_dispose;
  object_class->get_property = cp_import_window_get_property;

  /**
   * CpImportWindow:busy:
   *
   * A check or an import is running; Check and Import wait for it.
   */
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CP_TYPE_IMPORT_PROGRESS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/carepath/Carepath/cp-import-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CpImportWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CpImportWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CpImportWindow, duplicates_row);
  gtk_widget_class_bind_template_child (widget_class, CpImportWindow, check_label);
  gtk_widget_class_bind_template_child (widget_class, CpImportWindow, check_button);
  gtk_widget_class_bind_template_child (widget_class, CpImportWindow, import_button);
  gtk_widget_class_bind_template_child (widget_class, CpImportWindow, columns_group);
  gtk_widget_class_bind_template_child (widget_class, CpImportWindow, values_group);
  gtk_widget_class_bind_template_child (widget_class, CpImportWindow, progress);
  gtk_widget_class_bind_template_child (widget_class, CpImportWindow, result_page);
  gtk_widget_class_bind_template_child (widget_class, CpImportWindow, rejections_group);
  gtk_widget_class_bind_template_child (widget_class, CpImportWindow, rejection_rows);
  gtk_widget_class_bind_template_child (widget_class, CpImportWindow, matches_group);
  gtk_widget_class_bind_template_child (widget_class, CpImportWindow, match_rows);
  gtk_widget_class_bind_template_callback (widget_class, check_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_report_clicked_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cp_import_window_init (CpImportWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->column_rows = g_ptr_array_new ();
  self->value_rows = g_ptr_array_new ();
  g_object_bind_property (self, "busy", self->check_button, "sensitive",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_object_bind_property (self, "busy", self->import_button, "sensitive",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_signal_connect_swapped (self->duplicates_row, "notify::selected",
                            G_CALLBACK (policy_selected_cb), self);
}

/**
 * cp_import_window_new:
 * @database_path: the database to import into (the worker opens it)
 * @file: the CSV file
 *
 * Returns: (transfer full) (nullable): the assistant on its first page,
 *   or %NULL with @error set when the file cannot be read
 */
CpImportWindow *
cp_import_window_new (GtkWindow   *parent,
                      const char  *database_path,
                      GFile       *file,
                      GError     **error)
{
  g_autoptr(GPtrArray) preview = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_basename (file);
  CpImportWindow *self;

  g_return_val_if_fail (database_path != NULL && G_IS_FILE (file), NULL);

  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” is not a local file."), name);
      return NULL;
    }
  preview = cp_import_preview (path, PREVIEW_ROWS, error);
  if (preview == NULL)
    return NULL;

  self = g_object_new (CP_TYPE_IMPORT_WINDOW, "transient-for", parent, NULL);
  adw_window_title_set_subtitle (self->window_title, name);
  self->database_path = g_strdup (database_path);
  self->csv_path = g_steal_pointer (&path);
  self->mapping = cp_import_mapping_detect (preview->pdata[0], CP_IMPORT_HEADERS_AUTO);
  /* The stages values may name: the playbook in effect (the default one
   * outside the application, as the import's own fallback would be). */
  if (CP_IS_APPLICATION (g_application_get_default ()) &&
      cp_application_get_playbook (CP_APPLICATION (g_application_get_default ())) != NULL)
    self->playbook = cp_playbook_ref (
        cp_application_get_playbook (CP_APPLICATION (g_application_get_default ())));
  else
    self->playbook = cp_playbook_format_load_default ();

  add_column_rows (self, preview, name);
  rebuild_values (self);
  return self;
}

/* The value rows, in order (tests). */
GPtrArray *
cp_import_window_get_value_rows (CpImportWindow *self)
{
  g_return_val_if_fail (CP_IS_IMPORT_WINDOW (self), NULL);

  return self->value_rows;
}

/* Returns: "mapping", "progress" or "result" */
const char *
cp_import_window_get_page (CpImportWindow *self)
{
  g_return_val_if_fail (CP_IS_IMPORT_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}
