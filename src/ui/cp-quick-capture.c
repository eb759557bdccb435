/* cp-quick-capture.c — a short form for leads met at an event, one after another
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-quick-capture"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-quick-capture.h"

struct _CpQuickCapture
{
  GtkBox             parent_instance;

  CpLeadEditorModel *model;
  GSettings         *settings;
  GtkWidget         *event_row;
  GtkWidget         *fields_group;
  GtkWidget         *rows[CP_LEAD_N_FIELDS];
  GtkSwitch         *consent_switch;
  GtkWidget         *count_label;
  GtkWidget         *warning_label;
  guint              count;
  gboolean           clearing;
};

G_DEFINE_FINAL_TYPE (CpQuickCapture, cp_quick_capture, GTK_TYPE_BOX)

static const CpLeadField capture_fields[] = {
  CP_LEAD_FIELD_FIRST_NAME, CP_LEAD_FIELD_LAST_NAME, CP_LEAD_FIELD_EMAIL,
  CP_LEAD_FIELD_PHONE, CP_LEAD_FIELD_ORGANIZATION, CP_LEAD_FIELD_LOCATION,
};

static void
refresh (CpQuickCapture *self)
{
  GPtrArray *duplicates = cp_lead_editor_model_get_duplicates (self->model);
  g_autofree char *count = NULL;
  g_autofree char *warning = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (capture_fields); i++)
    {
      CpLeadField field = capture_fields[i];
      const char *message = cp_lead_editor_model_get_message (self->model, field);

      /* An empty form is not an error yet. */
      if (message != NULL && cp_lead_editor_model_is_dirty (self->model))
        gtk_widget_add_css_class (self->rows[field], "error");
      else
        gtk_widget_remove_css_class (self->rows[field], "error");
      gtk_widget_set_tooltip_text (self->rows[field], message);
    }

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u lead captured", "%u leads captured",
                                        self->count), self->count);
  gtk_label_set_text (GTK_LABEL (self->count_label), count);

  if (duplicates->len > 0)
    {
      CpDuplicateCandidate *candidate = g_ptr_array_index (duplicates, 0);

      warning = g_strdup_printf (_("May already be saved as %s: %s."),
                                 candidate->display_name, candidate->reason);
    }
  gtk_label_set_text (GTK_LABEL (self->warning_label), warning ?: "");
  gtk_widget_set_visible (self->warning_label, warning != NULL);
}

static void
entry_changed_cb (GtkEditable    *editable,
                  CpQuickCapture *self)
{
  if (self->clearing)
    return;
  cp_lead_editor_model_set_field (self->model,
                                  GPOINTER_TO_UINT (
                                      g_object_get_data (G_OBJECT (editable), "cp-field")),
                                  gtk_editable_get_text (editable));
}

/**
 * cp_quick_capture_save:
 *
 * Saves the lead typed so far, marked with the event, and clears the form
 * for the next one. Nothing is saved when the store refuses the lead: the
 * form keeps it and says why.
 *
 * Returns: %TRUE if a lead was saved
 */
gboolean
cp_quick_capture_save (CpQuickCapture *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *event = NULL;

  g_return_val_if_fail (CP_IS_QUICK_CAPTURE (self), FALSE);

  event = g_settings_get_string (self->settings, "capture-event-name");
  cp_lead_editor_model_set_event (self->model, g_strstrip (event));
  cp_lead_editor_model_set_event_consent (self->model,
                                          gtk_switch_get_active (self->consent_switch), event,
                                          g_get_real_name ());
  /* The store judges the lead, the playbook's rules included; what it
   * refuses is said under the form, and the form keeps what was typed. */
  if (!cp_lead_editor_model_save (self->model, g_get_real_name (), &error))
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      gtk_label_set_text (GTK_LABEL (self->warning_label), error->message);
      gtk_widget_set_visible (self->warning_label, TRUE);
      return FALSE;
    }

  self->count++;
  self->clearing = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (capture_fields); i++)
    gtk_editable_set_text (GTK_EDITABLE (self->rows[capture_fields[i]]), "");
  /* Each person is asked: the next one has not agreed yet. */
  gtk_switch_set_active (self->consent_switch, FALSE);
  self->clearing = FALSE;
  cp_lead_editor_model_reset (self->model);
  gtk_widget_grab_focus (self->rows[CP_LEAD_FIELD_FIRST_NAME]);
  return TRUE;
}

static void
cp_quick_capture_dispose (GObject *object)
{
  CpQuickCapture *self = CP_QUICK_CAPTURE (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_QUICK_CAPTURE);
  G_OBJECT_CLASS (cp_quick_capture_parent_class)->dispose (object);
}

static void
cp_quick_capture_class_init (CpQuickCaptureClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cp_quick_capture_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/carepath/Carepath/cp-quick-capture.ui");
  gtk_widget_class_bind_template_child (widget_class, CpQuickCapture, event_row);
  gtk_widget_class_bind_template_child (widget_class, CpQuickCapture, fields_group);
  gtk_widget_class_bind_template_child (widget_class, CpQuickCapture, warning_label);
  gtk_widget_class_bind_template_child (widget_class, CpQuickCapture, count_label);
  gtk_widget_class_bind_template_callback (widget_class, cp_quick_capture_save);
}

static void
cp_quick_capture_init (CpQuickCapture *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cp_quick_capture_new:
 * @playbook: (nullable): the active playbook
 * @settings: the application settings (event name, phone region)
 *
 * Returns: (transfer floating): the capture form
 */
CpQuickCapture *
cp_quick_capture_new (CpLeadStore *store,
                      CpPlaybook  *playbook,
                      GSettings   *settings)
{
  CpQuickCapture *self = g_object_new (CP_TYPE_QUICK_CAPTURE, NULL);
  g_autofree char *region = g_settings_get_string (settings, "default-phone-region");

  self->model = cp_lead_editor_model_new (store, playbook, region);
  self->settings = g_object_ref (settings);
  g_settings_bind (settings, "capture-event-name", self->event_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  for (guint i = 0; i < G_N_ELEMENTS (capture_fields); i++)
    {
      CpLeadField field = capture_fields[i];
      GtkWidget *row = adw_entry_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _(cp_lead_field_info (field)->label));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      g_object_set_data (G_OBJECT (row), "cp-field", GUINT_TO_POINTER (field));
      g_signal_connect (row, "changed", G_CALLBACK (entry_changed_cb), self);
      g_signal_connect_swapped (row, "entry-activated", G_CALLBACK (cp_quick_capture_save), self);
      adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row), FALSE);
      self->rows[field] = row;
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->fields_group), row);
    }

  {
    GtkWidget *row = adw_action_row_new ();

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Agreed to Be Contacted"));
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                 _("Consent to contact on any channel, recorded with the event"));
    self->consent_switch = GTK_SWITCH (gtk_switch_new ());
    gtk_widget_set_valign (GTK_WIDGET (self->consent_switch), GTK_ALIGN_CENTER);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->consent_switch));
    adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row),
                                           GTK_WIDGET (self->consent_switch));
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->fields_group), row);
  }

  g_signal_connect_swapped (self->model, "changed", G_CALLBACK (refresh), self);
  refresh (self);
  return self;
}

GtkSwitch *
cp_quick_capture_get_consent_switch (CpQuickCapture *self)
{
  g_return_val_if_fail (CP_IS_QUICK_CAPTURE (self), NULL);
  return self->consent_switch;
}

GtkWidget *
cp_quick_capture_get_field_row (CpQuickCapture *self,
                                CpLeadField     field)
{
  g_return_val_if_fail (CP_IS_QUICK_CAPTURE (self), NULL);
  g_return_val_if_fail (field < CP_LEAD_N_FIELDS, NULL);
  return self->rows[field];
}

GtkWidget *
cp_quick_capture_get_event_row (CpQuickCapture *self)
{
  g_return_val_if_fail (CP_IS_QUICK_CAPTURE (self), NULL);
  return self->event_row;
}

/**
 * cp_quick_capture_get_model:
 *
 * Returns: (transfer none): the lead being typed, as the form feeds it
 */
CpLeadEditorModel *
cp_quick_capture_get_model (CpQuickCapture *self)
{
  g_return_val_if_fail (CP_IS_QUICK_CAPTURE (self), NULL);
  return self->model;
}

guint
cp_quick_capture_get_count (CpQuickCapture *self)
{
  g_return_val_if_fail (CP_IS_QUICK_CAPTURE (self), 0);
  return self->count;
}

/**
 * cp_quick_capture_get_warning:
 *
 * Returns: (nullable): the duplicate warning or save error shown, if any
 */
const char *
cp_quick_capture_get_warning (CpQuickCapture *self)
{
  g_return_val_if_fail (CP_IS_QUICK_CAPTURE (self), NULL);
  return gtk_widget_get_visible (self->warning_label)
         ? gtk_label_get_text (GTK_LABEL (self->warning_label)) : NULL;
}
