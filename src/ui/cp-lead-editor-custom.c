/* cp-lead-editor-custom.c — the lead editor's custom fields: a row per
 * field and the row that adds one
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-condition.h"
#include "cp-lead-editor-private.h"
#include "cp-lead-format.h"

static void
custom_changed_cb (GtkEditable  *editable,
                   CpLeadEditor *self)
{
  if (self->updating)
    return;
  cp_lead_editor_model_set_custom (self->model,
                                   g_object_get_data (G_OBJECT (editable), "cp-custom-key"),
                                   gtk_editable_get_text (editable));
}

/* A row for the custom field @key, above the row that adds one. */
GtkWidget *
_cp_lead_editor_add_custom_row (CpLeadEditor *self,
                                const char   *key,
                                const char   *value)
{
  GtkWidget *row = adw_entry_row_new ();
  g_autofree char *title = cp_humanize_id (key);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_set_tooltip_text (row, key);
  g_object_set_data_full (G_OBJECT (row), "cp-custom-key", g_strdup (key), g_free);
  gtk_editable_set_text (GTK_EDITABLE (row), value != NULL ? value : "");
  g_signal_connect (row, "changed", G_CALLBACK (custom_changed_cb), self);

  g_object_ref (self->custom_add_row);
  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->custom_group), self->custom_add_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->custom_group), row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->custom_group), self->custom_add_row);
  g_object_unref (self->custom_add_row);

  return row;
}

GtkWidget *
_cp_lead_editor_find_custom_row (CpLeadEditor *self,
                                 const char   *key)
{
  GtkWidget *listbox = gtk_widget_get_parent (self->custom_add_row);

  for (GtkWidget *child = gtk_widget_get_first_child (listbox); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (child), "cp-custom-key"), key) == 0)
      return child;
  return NULL;
}

void
_cp_lead_editor_custom_add_changed_cb (GtkEditable  *editable,
                                       CpLeadEditor *self)
{
  if (self->custom_add_error == NULL)
    return;
  g_clear_pointer (&self->custom_add_error, g_free);
  _cp_lead_editor_refresh (self);
}

/* The name typed becomes the field's key; its value is typed in the new row. */
void
_cp_lead_editor_custom_add_apply_cb (AdwEntryRow  *add_row,
                                     CpLeadEditor *self)
{
  const char *label = gtk_editable_get_text (GTK_EDITABLE (add_row));
  g_autofree char *key = cp_custom_key_from_label (label);
  GtkWidget *row;

  g_clear_pointer (&self->custom_add_error, g_free);
  if (key == NULL)
    {
      self->custom_add_error = g_strdup (
          _("A field name needs a letter first and at most 64 letters, digits or spaces."));
      _cp_lead_editor_refresh (self);
      return;
    }
  row = _cp_lead_editor_find_custom_row (self, key);
  if (row == NULL)
    row = _cp_lead_editor_add_custom_row (self, key, NULL);
  gtk_editable_set_text (GTK_EDITABLE (add_row), "");
  _cp_lead_editor_refresh (self);
  gtk_widget_grab_focus (row);
}
