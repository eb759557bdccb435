/* cp-automation-dialog.c — an automation rule: what sets it off, what must hold, the move it
 * proposes
 *
 * Saved through the playbook editor, which checks it; a refused rule says
 * why here and nothing is saved. Automation only proposes moves: people
 * confirm them in the lead window.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-automation-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-automation-dialog.h"
#include "cp-condition-builder.h"
#include "cp-dialog-frame.h"

struct _CpAutomationDialog
{
  AdwWindow           parent_instance;

  CpPlaybookEditor   *editor;
  char               *rule_id;
  GStrv               stage_ids;
  AdwEntryRow        *description_row;
  AdwComboRow        *trigger_row;
  AdwComboRow        *kind_row;      /* item 0: any activity, then CpActivityKind i - 1 */
  GtkSpinButton      *days;
  GtkWidget          *days_row;
  AdwComboRow        *stage_row;
  CpConditionBuilder *builder;
  CpDialogFrame      *frame;
  AdwPreferencesPage *page;
};

G_DEFINE_FINAL_TYPE (CpAutomationDialog, cp_automation_dialog, ADW_TYPE_WINDOW)

static void
trigger_changed_cb (CpAutomationDialog *self)
{
  CpAutomationTrigger trigger = adw_combo_row_get_selected (self->trigger_row);

  gtk_widget_set_visible (GTK_WIDGET (self->kind_row), trigger == CP_AUTOMATION_ON_ACTIVITY);
  gtk_widget_set_visible (self->days_row, trigger == CP_AUTOMATION_ON_INACTIVITY);
}

static void
save_cb (CpAutomationDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpCondition) condition = cp_condition_builder_build (self->builder, &error);
  g_autofree char *id = NULL;
  guint kind = adw_combo_row_get_selected (self->kind_row);
  guint stage = adw_combo_row_get_selected (self->stage_row);

  if (condition == NULL && error != NULL)
    goto refused;
  id = cp_playbook_editor_save_automation (self->editor, self->rule_id,
                                           gtk_editable_get_text (
                                               GTK_EDITABLE (self->description_row)),
                                           (CpAutomationTrigger) adw_combo_row_get_selected (
                                               self->trigger_row),
                                           kind == 0 || kind == GTK_INVALID_LIST_POSITION
                                             ? 0 : 1u << (kind - 1),
                                           (guint) gtk_spin_button_get_value_as_int (self->days),
                                           condition,
                                           stage < g_strv_length (self->stage_ids)
                                             ? self->stage_ids[stage] : NULL,
                                           &error);
  if (id == NULL)
    goto refused;
  gtk_window_close (GTK_WINDOW (self));
  return;

refused:
  cp_dialog_frame_set_error (self->frame, error->message);
}

static void
cp_automation_dialog_dispose (GObject *object)
{
  CpAutomationDialog *self = CP_AUTOMATION_DIALOG (object);

  g_clear_object (&self->editor);
  g_clear_pointer (&self->rule_id, g_free);
  g_clear_pointer (&self->stage_ids, g_strfreev);

  G_OBJECT_CLASS (cp_automation_dialog_parent_class)->dispose (object);
}

static void
cp_automation_dialog_class_init (CpAutomationDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cp_automation_dialog_dispose;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  g_type_ensure (CP_TYPE_DIALOG_FRAME);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/carepath/Carepath/"
                                               "cp-automation-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CpAutomationDialog, frame);
  gtk_widget_class_bind_template_child (widget_class, CpAutomationDialog, page);
  gtk_widget_class_bind_template_child (widget_class, CpAutomationDialog, description_row);
  gtk_widget_class_bind_template_child (widget_class, CpAutomationDialog, trigger_row);
  gtk_widget_class_bind_template_child (widget_class, CpAutomationDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, CpAutomationDialog, days_row);
  gtk_widget_class_bind_template_child (widget_class, CpAutomationDialog, days);
  gtk_widget_class_bind_template_child (widget_class, CpAutomationDialog, stage_row);
  gtk_widget_class_bind_template_callback (widget_class, save_cb);
  gtk_widget_class_bind_template_callback (widget_class, trigger_changed_cb);
}

static void
cp_automation_dialog_init (CpAutomationDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cp_dialog_frame_bind_needed_text (self->frame, GTK_EDITABLE (self->description_row));
}

/* The rows that depend on the playbook, the condition, and @rule's values. */
static void
build (CpAutomationDialog     *self,
       const CpAutomationRule *rule)
{
  CpPlaybook *playbook = cp_playbook_editor_get_playbook (self->editor);
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) stages = gtk_string_list_new (NULL);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  gtk_string_list_append (kinds, _("Any activity"));
  for (CpActivityKind kind = 0; kind < CP_ACTIVITY_N_KINDS; kind++)
    gtk_string_list_append (kinds, cp_activity_kind_label (kind));
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));
  for (guint i = 0; i < playbook->stages->len; i++)
    {
      const CpStage *stage = playbook->stages->pdata[i];

      g_strv_builder_add (ids, stage->id);
      gtk_string_list_append (stages, stage->title != NULL ? stage->title : stage->id);
    }
  self->stage_ids = g_strv_builder_end (ids);
  adw_combo_row_set_model (self->stage_row, G_LIST_MODEL (stages));

  self->builder =
      cp_condition_builder_new (_("And Only When"), TRUE, rule != NULL ? rule->condition : NULL);
  cp_condition_builder_set_store (self->builder, cp_playbook_editor_get_store (self->editor));
  adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (self->builder));

  if (rule != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->description_row),
                             rule->description != NULL ? rule->description : "");
      adw_combo_row_set_selected (self->trigger_row, rule->trigger);
      if (rule->kind_mask != 0 && (rule->kind_mask & (rule->kind_mask - 1)) == 0)
        adw_combo_row_set_selected (self->kind_row,
                                    (guint) g_bit_nth_lsf (rule->kind_mask, -1) + 1);
      if (rule->inactive_days > 0)
        gtk_spin_button_set_value (self->days, rule->inactive_days);
      for (guint i = 0; self->stage_ids[i] != NULL; i++)
        if (g_strcmp0 (self->stage_ids[i], rule->to_stage) == 0)
          adw_combo_row_set_selected (self->stage_row, i);
    }
  trigger_changed_cb (self);
}

/**
 * cp_automation_dialog_new:
 * @rule_id: (nullable): the automation rule to edit, or %NULL for a new one
 *
 * Returns: (transfer floating): the dialog
 */
CpAutomationDialog *
cp_automation_dialog_new (GtkWindow        *parent,
                          CpPlaybookEditor *editor,
                          const char       *rule_id)
{
  CpPlaybook *playbook = cp_playbook_editor_get_playbook (editor);
  const CpAutomationRule *rule = NULL;
  CpAutomationDialog *self;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (editor), NULL);

  for (guint i = 0; rule_id != NULL && i < playbook->automation->len; i++)
    if (g_strcmp0 (((CpAutomationRule *) playbook->automation->pdata[i])->id, rule_id) == 0)
      rule = playbook->automation->pdata[i];
  self = g_object_new (CP_TYPE_AUTOMATION_DIALOG, "transient-for", parent, "title",
                       rule != NULL ? _("Edit Automation Rule") : _("New Automation Rule"), NULL);
  self->editor = g_object_ref (editor);
  self->rule_id = rule != NULL ? g_strdup (rule->id) : NULL;
  build (self, rule);
  return self;
}

/* Tests: the rows. */
AdwEntryRow *
cp_automation_dialog_get_description_row (CpAutomationDialog *self)
{
  g_return_val_if_fail (CP_IS_AUTOMATION_DIALOG (self), NULL);
  return self->description_row;
}

AdwComboRow *
cp_automation_dialog_get_trigger_row (CpAutomationDialog *self)
{
  g_return_val_if_fail (CP_IS_AUTOMATION_DIALOG (self), NULL);
  return self->trigger_row;
}

AdwComboRow *
cp_automation_dialog_get_kind_row (CpAutomationDialog *self)
{
  g_return_val_if_fail (CP_IS_AUTOMATION_DIALOG (self), NULL);
  return self->kind_row;
}

AdwComboRow *
cp_automation_dialog_get_stage_row (CpAutomationDialog *self)
{
  g_return_val_if_fail (CP_IS_AUTOMATION_DIALOG (self), NULL);
  return self->stage_row;
}
