/* cp-lead-editor.c — create or edit a lead, with checks and duplicate warnings
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-editor"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cp-condition.h"
#include "cp-lead-editor-private.h"
#include "cp-lead-format.h"


G_DEFINE_FINAL_TYPE (CpLeadEditor, cp_lead_editor, ADW_TYPE_WINDOW)

enum { PROP_0, PROP_CAN_SAVE, PROP_HAS_DUPLICATE, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_OPEN_LEAD, SIGNAL_SAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The fields of each group of the template, in order. */
typedef struct
{
  gsize              group_offset;
  const CpLeadField *fields;
  guint              n_fields;
} Section;

static const CpLeadField contact_fields[] = {
  CP_LEAD_FIELD_FIRST_NAME, CP_LEAD_FIELD_LAST_NAME, CP_LEAD_FIELD_EMAIL, CP_LEAD_FIELD_PHONE,
  CP_LEAD_FIELD_PREFERRED_CONTACT, CP_LEAD_FIELD_LEAD_TYPE,
};
static const CpLeadField organization_fields[] = {
  CP_LEAD_FIELD_ORGANIZATION, CP_LEAD_FIELD_ORG_TYPE, CP_LEAD_FIELD_ORG_SIZE,
  CP_LEAD_FIELD_BUYING_ROLE, CP_LEAD_FIELD_JOB_TITLE, CP_LEAD_FIELD_LOCATION,
  CP_LEAD_FIELD_REGION, CP_LEAD_FIELD_POSTAL_CODE,
};
static const CpLeadField interest_fields[] = {
  CP_LEAD_FIELD_SERVICE_LINE, CP_LEAD_FIELD_STAGE, CP_LEAD_FIELD_SOURCE_CHANNEL,
  CP_LEAD_FIELD_REFERRAL_SOURCE, CP_LEAD_FIELD_CAMPAIGN,
};
static const CpLeadField timeline_fields[] = {
  CP_LEAD_FIELD_URGENCY, CP_LEAD_FIELD_ROLLOUT_WINDOW, CP_LEAD_FIELD_VENDOR_STATUS,
  CP_LEAD_FIELD_PROCUREMENT_READINESS, CP_LEAD_FIELD_REVIEW_PERIOD, CP_LEAD_FIELD_COVERAGE_FIT,
};
static const CpLeadField consent_fields[] = {
  CP_LEAD_FIELD_CONSENT_STATUS, CP_LEAD_FIELD_CONSENT_CHANNEL, CP_LEAD_FIELD_CONSENT_CAPTURED_BY,
  CP_LEAD_FIELD_CONSENT_SOURCE, CP_LEAD_FIELD_CONSENT_NOTICE_VERSION,
};

#define SECTION(g, f) { G_STRUCT_OFFSET (CpLeadEditor, g), f, G_N_ELEMENTS (f) }
static const Section sections[] = {
  SECTION (contact_group, contact_fields),
  SECTION (organization_group, organization_fields),
  SECTION (interest_group, interest_fields),
  SECTION (timeline_group, timeline_fields),
  SECTION (consent_group, consent_fields),
};

static void
set_can_save (CpLeadEditor *self,
              gboolean      can_save)
{
  if (self->can_save == can_save)
    return;
  self->can_save = can_save;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SAVE]);
}

/* The duplicate the banner names, or %NULL to hide the banner. */
static void
set_duplicate (CpLeadEditor *self,
               const char   *lead_id)
{
  gboolean had = self->duplicate_id != NULL;

  g_free (self->duplicate_id);
  self->duplicate_id = g_strdup (lead_id);
  if (had != (lead_id != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_DUPLICATE]);
}

static CpLeadField
row_field (GtkWidget *row)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "cp-field"));
}

void
_cp_lead_editor_refresh (CpLeadEditor *self)
{
  GPtrArray *duplicates = cp_lead_editor_model_get_duplicates (self->model);
  g_autofree char *phone = cp_lead_editor_model_dup_phone_display (self->model);

  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    {
      GtkWidget *row = self->rows[i];
      const char *message;
      const char *label;
      g_autofree char *title = NULL;

      if (row == NULL)
        continue;
      /* A message waits until the field was touched or Save pressed: an
       * untouched new form is not wrong yet. It sits under the field, in
       * full. */
      message = self->touched[i] || self->save_attempted
                ? cp_lead_editor_model_get_message (self->model, i) : NULL;
      label = _(cp_lead_field_info (i)->label);
      if (cp_lead_editor_model_is_required (self->model, i))
        title = g_strdup_printf (_("%s (required for this stage)"), label);
      else
        title = g_strdup (label);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      if (self->messages[i] != NULL)
        {
          gtk_label_set_text (GTK_LABEL (self->messages[i]), message ?: "");
          gtk_widget_set_visible (gtk_widget_get_parent (self->messages[i]), message != NULL);
        }
      if (message != NULL)
        {
          gtk_widget_add_css_class (row, "error");
          gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                          message, -1);
        }
      else
        {
          gtk_widget_remove_css_class (row, "error");
          gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
        }
    }

  gtk_label_set_text (GTK_LABEL (self->phone_hint), phone ?: "");
  {
    const char *problem = self->custom_add_error != NULL ? self->custom_add_error
                          : cp_lead_editor_model_get_custom_message (self->model);
    g_autofree char *escaped = g_markup_escape_text (problem != NULL ? problem
                                                     : _("Clear a value to remove the field."), -1);

    /* Group descriptions are markup. */
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->custom_group), escaped);
    if (problem != NULL)
      gtk_widget_add_css_class (self->custom_add_row, "error");
    else
      gtk_widget_remove_css_class (self->custom_add_row, "error");
  }
  /* Save stays available with problems: pressing it shows them all. */
  set_can_save (self, cp_lead_editor_model_is_dirty (self->model) ||
                      cp_lead_editor_model_is_new (self->model));

  if (duplicates->len > 0)
    {
      CpDuplicateCandidate *candidate = g_ptr_array_index (duplicates, 0);
      g_autofree char *text = g_strdup_printf (_("This may be %s, already saved: %s."),
                                               candidate->display_name, candidate->reason);

      gtk_label_set_text (GTK_LABEL (self->banner_label), text);
      set_duplicate (self, candidate->lead_id);
    }
  else
    set_duplicate (self, NULL);
}

static void
entry_changed_cb (GtkEditable  *editable,
                  CpLeadEditor *self)
{
  if (self->updating)
    return;
  self->touched[row_field (GTK_WIDGET (editable))] = TRUE;
  cp_lead_editor_model_set_field (self->model, row_field (GTK_WIDGET (editable)),
                                  gtk_editable_get_text (editable));
}

static void
combo_selected_cb (AdwComboRow  *row,
                   GParamSpec   *pspec,
                   CpLeadEditor *self)
{
  CpLeadField field = row_field (GTK_WIDGET (row));
  guint selected = adw_combo_row_get_selected (row);
  const char * const *choices = cp_lead_field_info (field)->choices;

  if (self->updating)
    return;
  self->touched[field] = TRUE;
  /* Item 0 is “Not set”. */
  cp_lead_editor_model_set_field (self->model, field,
                                  selected == 0 || selected == GTK_INVALID_LIST_POSITION
                                  ? NULL : choices[selected - 1]);
}

static void
stage_selected_cb (AdwComboRow  *row,
                   GParamSpec   *pspec,
                   CpLeadEditor *self)
{
  CpPlaybook *playbook = cp_lead_editor_model_get_playbook (self->model);
  guint selected = adw_combo_row_get_selected (row);

  if (self->updating || playbook == NULL || selected >= playbook->stages->len)
    return;
  cp_lead_editor_model_set_field (self->model, CP_LEAD_FIELD_STAGE,
                                  ((CpStage *) playbook->stages->pdata[selected])->id);
}

/* A new lead starts in a stage of the playbook (the first, unless chosen);
 * a stored lead changes stage only by a move, with a reason and the
 * playbook's check: here it is shown, not edited. */
static GtkWidget *
make_stage_row (CpLeadEditor *self,
                const char   *input)
{
  CpPlaybook *playbook = cp_lead_editor_model_get_playbook (self->model);
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  GtkWidget *row;
  guint selected = 0;

  if (!cp_lead_editor_model_is_new (self->model) || playbook == NULL)
    {
      row = adw_action_row_new ();
      adw_action_row_set_subtitle (
          ADW_ACTION_ROW (row),
          _("Move the lead to change its stage: the playbook checks each move"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_label_new (cp_value_label (input)));
      return row;
    }
  for (guint i = 0; i < playbook->stages->len; i++)
    {
      const CpStage *stage = playbook->stages->pdata[i];

      gtk_string_list_append (list, stage->title != NULL ? stage->title : stage->id);
      if (g_strcmp0 (input, stage->id) == 0)
        selected = i;
    }
  row = adw_combo_row_new ();
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  g_signal_connect (row, "notify::selected", G_CALLBACK (stage_selected_cb), self);
  return row;
}

static GtkWidget *
make_row (CpLeadEditor *self,
          CpLeadField   field)
{
  const CpFieldInfo *info = cp_lead_field_info (field);
  const char *input = cp_lead_editor_model_get_input (self->model, field);
  GtkWidget *row;

  if (field == CP_LEAD_FIELD_STAGE)
    row = make_stage_row (self, input);
  else if (info->type == CP_FIELD_TYPE_CHOICE)
    {
      g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
      guint selected = 0;

      gtk_string_list_append (list, _("Not set"));
      for (guint i = 0; info->choices[i] != NULL; i++)
        {
          g_autofree char *label = cp_dup_choice_label (info->choices[i]);

          /* Read as the lead window shows it; the id is what is stored. */
          gtk_string_list_append (list, label);
          if (g_strcmp0 (input, info->choices[i]) == 0)
            selected = i + 1;
        }
      row = adw_combo_row_new ();
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
      g_signal_connect (row, "notify::selected", G_CALLBACK (combo_selected_cb), self);
    }
  else
    {
      row = adw_entry_row_new ();
      gtk_editable_set_text (GTK_EDITABLE (row), input ?: "");
      g_signal_connect (row, "changed", G_CALLBACK (entry_changed_cb), self);
    }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  g_object_set_data (G_OBJECT (row), "cp-field", GUINT_TO_POINTER (field));
  self->rows[field] = row;
  return row;
}

/* The row under a field's row that says what is wrong with it, hidden
 * while nothing is. */
static GtkWidget *
make_message_row (CpLeadEditor *self,
                  CpLeadField   field)
{
  /* A preferences row, so the group keeps it in its list, right under
   * the field. */
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "error");
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_add_css_class (row, "cp-field-message");
  gtk_widget_set_visible (row, FALSE);
  self->messages[field] = label;
  return row;
}

static void
show_error (CpLeadEditor *self,
            const char   *message)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Could Not Save"), message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
finish (CpLeadEditor *self)
{
  g_signal_emit (self, signals[SIGNAL_SAVED], 0,
                 cp_lead_get_id (cp_lead_editor_model_get_draft (self->model)));
  self->closing = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static void
save_clicked_cb (CpLeadEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (!cp_lead_editor_model_is_valid (self->model))
    {
      /* Every problem shows, and focus goes to the first. */
      self->save_attempted = TRUE;
      _cp_lead_editor_refresh (self);
      for (guint s = 0; s < G_N_ELEMENTS (sections); s++)
        for (guint i = 0; i < sections[s].n_fields; i++)
          if (cp_lead_editor_model_get_message (self->model, sections[s].fields[i]) != NULL)
            {
              gtk_widget_grab_focus (self->rows[sections[s].fields[i]]);
              return;
            }
      return;
    }
  if (!cp_lead_editor_model_save (self->model, g_get_real_name (), &error))
    {
      show_error (self, error->message);
      return;
    }
  finish (self);
}

/**
 * cp_lead_editor_open_existing:
 *
 * “Open Existing”: asks the application to show the matching lead and
 * closes the editor without saving.
 */
void
cp_lead_editor_open_existing (CpLeadEditor *self)
{
  g_autofree char *id = NULL;

  g_return_if_fail (CP_IS_LEAD_EDITOR (self));
  if (self->duplicate_id == NULL)
    return;
  id = g_strdup (self->duplicate_id);
  g_signal_emit (self, signals[SIGNAL_OPEN_LEAD], 0, id);
  self->closing = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

/**
 * cp_lead_editor_keep_both:
 *
 * “Keep Both”: saves the lead, flagged as a possible duplicate.
 */
void
cp_lead_editor_keep_both (CpLeadEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *existing = NULL;

  g_return_if_fail (CP_IS_LEAD_EDITOR (self));
  if (self->duplicate_id == NULL)
    return;
  /* Saving refreshes the banner, and with it self->duplicate_id. */
  existing = g_strdup (self->duplicate_id);
  if (!cp_lead_editor_model_keep_both (self->model, existing, g_get_real_name (), &error))
    {
      show_error (self, error->message);
      return;
    }
  finish (self);
}

/**
 * cp_lead_editor_merge:
 * @take: (array length=n_take): fields whose typed value replaces the
 *   existing lead's
 *
 * “Merge Into Existing” once the fields are chosen.
 */
void
cp_lead_editor_merge (CpLeadEditor      *self,
                      const CpLeadField *take,
                      guint              n_take)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *merge_id = NULL;
  g_autofree char *existing = NULL;

  g_return_if_fail (CP_IS_LEAD_EDITOR (self));
  if (self->duplicate_id == NULL)
    return;
  existing = g_strdup (self->duplicate_id);
  merge_id = cp_lead_editor_model_merge_into (self->model, existing, take, n_take,
                                              g_get_real_name (), &error);
  if (merge_id == NULL)
    {
      show_error (self, error->message);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, existing);
  self->closing = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static void
merge_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   CpLeadEditor     *self)
{
  GPtrArray *checks = g_object_get_data (G_OBJECT (dialog), "cp-checks");
  g_autoptr(GArray) take = g_array_new (FALSE, FALSE, sizeof (CpLeadField));

  if (g_strcmp0 (response, "merge") != 0)
    return;
  for (guint i = 0; i < checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (checks, i)))
      {
        CpLeadField field = row_field (g_ptr_array_index (checks, i));
        g_array_append_val (take, field);
      }
  cp_lead_editor_merge (self, (const CpLeadField *) (gpointer) take->data, take->len);
}

static void
merge_clicked_cb (CpLeadEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) choices = NULL;
  GtkWidget *dialog;
  GtkWidget *box;
  GPtrArray *checks;

  if (self->duplicate_id == NULL)
    return;
  choices = cp_lead_editor_model_merge_choices (self->model, self->duplicate_id, &error);
  if (choices == NULL)
    {
      show_error (self, error->message);
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Merge Into Existing Lead?"),
                                   _("Empty fields of the existing lead are filled in. Choose "
                                     "which of its values to replace with what you typed."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  checks = g_ptr_array_new ();
  for (guint i = 0; i < choices->len; i++)
    {
      CpLeadField field = g_array_index (choices, CpLeadField, i);
      g_autofree char *label =
        g_strdup_printf ("%s: %s", _(cp_lead_field_info (field)->label),
                         cp_lead_get_text (cp_lead_editor_model_get_draft (self->model), field));
      GtkWidget *check = gtk_check_button_new_with_label (label);

      g_object_set_data (G_OBJECT (check), "cp-field", GUINT_TO_POINTER (field));
      gtk_box_append (GTK_BOX (box), check);
      g_ptr_array_add (checks, check);
    }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  g_object_set_data_full (G_OBJECT (dialog), "cp-checks", checks,
                          (GDestroyNotify) g_ptr_array_unref);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "merge", _("_Merge"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "merge",
                                              ADW_RESPONSE_SUGGESTED);
  g_signal_connect (dialog, "response", G_CALLBACK (merge_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
discard_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     CpLeadEditor     *self)
{
  if (g_strcmp0 (response, "discard") != 0)
    return;
  self->closing = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

/**
 * cp_lead_editor_request_close:
 *
 * Closes the editor, or asks first when there are unsaved changes.
 *
 * Returns: %TRUE if it closed at once
 */
gboolean
cp_lead_editor_request_close (CpLeadEditor *self)
{
  GtkWidget *dialog;

  g_return_val_if_fail (CP_IS_LEAD_EDITOR (self), FALSE);

  if (!cp_lead_editor_model_is_dirty (self->model))
    {
      self->closing = TRUE;
      gtk_window_close (GTK_WINDOW (self));
      return TRUE;
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Discard Changes?"),
                                   _("The lead has unsaved changes."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Editing"), "discard", _("_Discard"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  g_signal_connect (dialog, "response", G_CALLBACK (discard_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
  return FALSE;
}

static gboolean
close_request_cb (CpLeadEditor *self)
{
  if (self->closing)
    return FALSE;
  cp_lead_editor_request_close (self);
  return TRUE;
}

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Not "window.close": a close from inside close-request does nothing. */
static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   data)
{
  cp_lead_editor_request_close (CP_LEAD_EDITOR (widget));
  return TRUE;
}

static void
cp_lead_editor_dispose (GObject *object)
{
  CpLeadEditor *self = CP_LEAD_EDITOR (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  g_clear_pointer (&self->duplicate_id, g_free);
  g_clear_pointer (&self->custom_add_error, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_LEAD_EDITOR);
  G_OBJECT_CLASS (cp_lead_editor_parent_class)->dispose (object);
}

static void
cp_lead_editor_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CpLeadEditor *self = CP_LEAD_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CAN_SAVE:
      g_value_set_boolean (value, self->can_save);
      break;
    case PROP_HAS_DUPLICATE:
      g_value_set_boolean (value, self->duplicate_id != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_lead_editor_class_init (CpLeadEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = cp_lead_editor_dispose;
  object_class->get_property = cp_lead_editor_get_property;

  /* The lead is new or changed: Save is offered, even with problems. */
  properties[PROP_CAN_SAVE] = g_param_spec_boolean ("can-save", NULL, NULL, FALSE, flags);
  /* A saved lead may be the same person: the banner shows. */
  properties[PROP_HAS_DUPLICATE] = g_param_spec_boolean ("has-duplicate", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CpLeadEditor::open-lead:
   * @id: the existing lead the user chose to open instead
   */
  signals[SIGNAL_OPEN_LEAD] =
      g_signal_new ("open-lead", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * CpLeadEditor::saved:
   * @id: the lead that was saved (the existing one after a merge)
   */
  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/carepath/Carepath/cp-lead-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CpLeadEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, CpLeadEditor, banner);
  gtk_widget_class_bind_template_child (widget_class, CpLeadEditor, banner_label);
  gtk_widget_class_bind_template_child (widget_class, CpLeadEditor, contact_group);
  gtk_widget_class_bind_template_child (widget_class, CpLeadEditor, organization_group);
  gtk_widget_class_bind_template_child (widget_class, CpLeadEditor, interest_group);
  gtk_widget_class_bind_template_child (widget_class, CpLeadEditor, timeline_group);
  gtk_widget_class_bind_template_child (widget_class, CpLeadEditor, consent_group);
  gtk_widget_class_bind_template_child (widget_class, CpLeadEditor, custom_group);
  gtk_widget_class_bind_template_child (widget_class, CpLeadEditor, custom_add_row);
  gtk_widget_class_bind_template_callback (widget_class, cp_lead_editor_request_close);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cp_lead_editor_open_existing);
  gtk_widget_class_bind_template_callback (widget_class, merge_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cp_lead_editor_keep_both);
  gtk_widget_class_bind_template_callback_full (widget_class, "custom_add_apply_cb",
                                                G_CALLBACK (_cp_lead_editor_custom_add_apply_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "custom_add_changed_cb",
                                                G_CALLBACK (_cp_lead_editor_custom_add_changed_cb));
  gtk_widget_class_bind_template_callback (widget_class, close_request_cb);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);
}

static void
cp_lead_editor_init (CpLeadEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* The rows of the lead's fields, under the titles of the template's
 * groups, and one row per custom field. */
static void
add_field_rows (CpLeadEditor *self)
{
  GHashTable *custom;

  gtk_window_set_title (GTK_WINDOW (self), cp_lead_editor_model_is_new (self->model)
                        ? _("New Lead") : _("Edit Lead"));
  for (guint s = 0; s < G_N_ELEMENTS (sections); s++)
    {
      AdwPreferencesGroup *group = G_STRUCT_MEMBER (AdwPreferencesGroup *, self,
                                                    sections[s].group_offset);

      for (guint i = 0; i < sections[s].n_fields; i++)
        {
          adw_preferences_group_add (group, make_row (self, sections[s].fields[i]));
          adw_preferences_group_add (group, make_message_row (self, sections[s].fields[i]));
        }
    }

  self->phone_hint = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->phone_hint, "dim-label");
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->rows[CP_LEAD_FIELD_PHONE]), self->phone_hint);

  custom = cp_lead_get_custom_fields (cp_lead_editor_model_get_draft (self->model));
  if (custom != NULL && g_hash_table_size (custom) > 0)
    {
      g_autofree const char **keys = (const char **) g_hash_table_get_keys_as_array (custom, NULL);
      guint n_keys = g_strv_length ((char **) keys);

      g_qsort_with_data (keys, n_keys, sizeof (char *), compare_keys, NULL);
      for (guint i = 0; i < n_keys; i++)
        _cp_lead_editor_add_custom_row (self, keys[i], g_hash_table_lookup (custom, keys[i]));
    }
}

/**
 * cp_lead_editor_new:
 * @parent: (nullable): the window it belongs to
 * @playbook: (nullable): the active playbook
 * @default_region: (nullable): the `default-phone-region` setting
 * @lead_id: (nullable): the lead to edit, or %NULL for a new one
 *
 * Returns: (transfer full): the editor, or %NULL if @lead_id could not be read
 */
CpLeadEditor *
cp_lead_editor_new (GtkWindow    *parent,
                    CpLeadStore  *store,
                    CpPlaybook   *playbook,
                    const char   *default_region,
                    const char   *lead_id,
                    GError      **error)
{
  g_autoptr(CpLeadEditorModel) model = cp_lead_editor_model_new (store, playbook, default_region);
  CpLeadEditor *self;

  if (lead_id != NULL && !cp_lead_editor_model_load (model, lead_id, error))
    return NULL;

  self = g_object_new (CP_TYPE_LEAD_EDITOR,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  self->model = g_steal_pointer (&model);
  add_field_rows (self);
  g_signal_connect_swapped (self->model, "changed", G_CALLBACK (_cp_lead_editor_refresh), self);
  _cp_lead_editor_refresh (self);
  /* Typing starts in the first field, not on Cancel. */
  gtk_window_set_focus (GTK_WINDOW (self), self->rows[CP_LEAD_FIELD_FIRST_NAME]);
  return self;
}

CpLeadEditorModel *
cp_lead_editor_get_model (CpLeadEditor *self)
{
  g_return_val_if_fail (CP_IS_LEAD_EDITOR (self), NULL);
  return self->model;
}

/**
 * cp_lead_editor_get_field_row:
 *
 * Returns: (transfer none) (nullable): the row editing @field
 */
GtkWidget *
cp_lead_editor_get_field_row (CpLeadEditor *self,
                              CpLeadField   field)
{
  g_return_val_if_fail (CP_IS_LEAD_EDITOR (self), NULL);
  g_return_val_if_fail (field < CP_LEAD_N_FIELDS, NULL);
  return self->rows[field];
}

GtkWidget *
cp_lead_editor_get_save_button (CpLeadEditor *self)
{
  g_return_val_if_fail (CP_IS_LEAD_EDITOR (self), NULL);
  return self->save_button;
}

GtkWidget *
cp_lead_editor_get_banner (CpLeadEditor *self)
{
  g_return_val_if_fail (CP_IS_LEAD_EDITOR (self), NULL);
  return self->banner;
}

/**
 * cp_lead_editor_get_custom_row:
 * @key: (nullable): a custom field key, or %NULL for the row that adds one
 *
 * Returns: (transfer none) (nullable): the entry row of that custom field
 */
GtkWidget *
cp_lead_editor_get_custom_row (CpLeadEditor *self,
                               const char   *key)
{
  g_return_val_if_fail (CP_IS_LEAD_EDITOR (self), NULL);

  return key == NULL ? self->custom_add_row : _cp_lead_editor_find_custom_row (self, key);
}

/* The custom fields group (tests read its description). */
GtkWidget *
cp_lead_editor_get_custom_group (CpLeadEditor *self)
{
  g_return_val_if_fail (CP_IS_LEAD_EDITOR (self), NULL);

  return self->custom_group;
}
