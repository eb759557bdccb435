/* cp-stage-dialog.c — one stage of the playbook: name, owner, channels, required fields, SLA,
 * rotting
 *
 * Saved through the playbook editor, which checks the stage with the
 * engine; a refused change is shown here and nothing is saved.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-stage-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-condition-builder.h"
#include "cp-dialog-frame.h"
#include "cp-lead-format.h"
#include "cp-stage-dialog.h"

static const char * const channels[] = { "email", "phone", "sms", "mail", NULL };

struct _CpStageDialog
{
  AdwWindow         parent_instance;

  CpPlaybookEditor *editor;
  char             *stage_id;
  CpDialogFrame    *frame;
  AdwPreferencesPage *page;
  AdwEntryRow      *name_row;
  AdwEntryRow      *assets_row;
  AdwComboRow      *owner_row;
  GtkSpinButton    *sla;
  GtkSpinButton    *rotting;
  GtkSwitch        *channel_email;
  GtkSwitch        *channel_phone;
  GtkSwitch        *channel_sms;
  GtkSwitch        *channel_mail;
  AdwPreferencesGroup *fields_group;
  GtkCheckButton   *required[CP_LEAD_N_FIELDS];
  CpConditionBuilder *entry;
  CpConditionBuilder *exit;
};

G_DEFINE_FINAL_TYPE (CpStageDialog, cp_stage_dialog, ADW_TYPE_WINDOW)

static GtkSwitch *
channel_switch (CpStageDialog *self,
                guint          i)
{
  GtkSwitch * const switches[] = {
    self->channel_email, self->channel_phone, self->channel_sms, self->channel_mail
  };

  g_assert (i < G_N_ELEMENTS (switches));
  return switches[i];
}

/* Collects every field into one edit: the editor applies all of it, or none. */
static void
save_cb (CpStageDialog *self)
{
  g_autoptr(GStrvBuilder) chosen_channels = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) chosen_fields = g_strv_builder_new ();
  g_auto(GStrv) channel_list = NULL;
  g_auto(GStrv) field_list = NULL;
  g_auto(GStrv) assets = NULL;
  g_autoptr(CpCondition) entry = NULL;
  g_autoptr(CpCondition) exit = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *roles = cp_playbook_editor_owner_roles ();
  guint role = adw_combo_row_get_selected (self->owner_row);
  const CpStage      *stage =
      cp_playbook_get_stage (cp_playbook_editor_get_playbook (self->editor), self->stage_id);
  CpStageEdit edit;

  for (guint i = 0; channels[i] != NULL; i++)
    if (gtk_switch_get_active (channel_switch (self, i)))
      g_strv_builder_add (chosen_channels, channels[i]);
  for (guint f = 0; f < CP_LEAD_N_FIELDS; f++)
    if (self->required[f] != NULL && gtk_check_button_get_active (self->required[f]))
      g_strv_builder_add (chosen_fields, cp_lead_field_info (f)->name);
  channel_list = g_strv_builder_end (chosen_channels);
  field_list = g_strv_builder_end (chosen_fields);
  assets = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->assets_row)), ",", -1);
  entry = cp_condition_builder_build (self->entry, &error);
  if (entry == NULL && error != NULL)
    goto refused;
  exit = cp_condition_builder_build (self->exit, &error);
  if (exit == NULL && error != NULL)
    goto refused;
  if (stage == NULL)
    {
      g_set_error (&error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_NOT_FOUND,
                   _("The playbook has no stage “%s”."), self->stage_id);
      goto refused;
    }

  cp_stage_edit_init (&edit, stage);
  edit.title = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  edit.owner_role = role < g_strv_length ((char **) roles) ? roles[role] : NULL;
  edit.channels = (const char * const *) channel_list;
  edit.required_fields = (const char * const *) field_list;
  edit.sla_hours = (guint) gtk_spin_button_get_value_as_int (self->sla);
  edit.rotting_days = (guint) gtk_spin_button_get_value_as_int (self->rotting);
  edit.entry = entry;
  edit.exit = exit;
  edit.assets = (const char * const *) assets;
  if (!cp_playbook_editor_update_stage (self->editor, self->stage_id, &edit, &error))
    goto refused;
  gtk_window_close (GTK_WINDOW (self));
  return;

refused:
  cp_dialog_frame_set_error (self->frame, error->message);
}

static void
cp_stage_dialog_dispose (GObject *object)
{
  CpStageDialog *self = CP_STAGE_DIALOG (object);

  g_clear_object (&self->editor);
  g_clear_pointer (&self->stage_id, g_free);

  G_OBJECT_CLASS (cp_stage_dialog_parent_class)->dispose (object);
}

static void
cp_stage_dialog_class_init (CpStageDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cp_stage_dialog_dispose;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  g_type_ensure (CP_TYPE_DIALOG_FRAME);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/carepath/Carepath/cp-stage-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CpStageDialog, frame);
  gtk_widget_class_bind_template_child (widget_class, CpStageDialog, page);
  gtk_widget_class_bind_template_child (widget_class, CpStageDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, CpStageDialog, owner_row);
  gtk_widget_class_bind_template_child (widget_class, CpStageDialog, sla);
  gtk_widget_class_bind_template_child (widget_class, CpStageDialog, rotting);
  gtk_widget_class_bind_template_child (widget_class, CpStageDialog, channel_email);
  gtk_widget_class_bind_template_child (widget_class, CpStageDialog, channel_phone);
  gtk_widget_class_bind_template_child (widget_class, CpStageDialog, channel_sms);
  gtk_widget_class_bind_template_child (widget_class, CpStageDialog, channel_mail);
  gtk_widget_class_bind_template_child (widget_class, CpStageDialog, assets_row);
  gtk_widget_class_bind_template_child (widget_class, CpStageDialog, fields_group);
  gtk_widget_class_bind_template_callback (widget_class, save_cb);
}

static void
cp_stage_dialog_init (CpStageDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cp_dialog_frame_bind_needed_text (self->frame, GTK_EDITABLE (self->name_row));
}

/* A row with a check button per lead field, grouped as the lead editor groups them. */
static void
show_required (CpStageDialog *self,
               const CpStage *stage)
{
  const CpFieldGroup *groups;
  guint n_groups;

  groups = cp_lead_field_groups (&n_groups);
  for (guint g = 0; g < n_groups; g++)
    {
      GtkWidget *expander = adw_expander_row_new ();
      g_autofree char *escaped = g_markup_escape_text (_(groups[g].title), -1);
      guint n_on = 0;

      /* An expander's title is markup in libadwaita 1.2. */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), escaped);
      for (const CpLeadField *f = groups[g].fields; *f != CP_LEAD_N_FIELDS; f++)
        {
          GtkWidget *check = gtk_check_button_new ();
          GtkWidget *row = adw_action_row_new ();
          const CpFieldInfo *info = cp_lead_field_info (*f);
          gboolean on = stage->required_fields != NULL &&
                        g_strv_contains ((const char * const *) stage->required_fields, info->name);

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(info->label));
          gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
          gtk_check_button_set_active (GTK_CHECK_BUTTON (check), on);
          n_on += on;
          self->required[*f] = GTK_CHECK_BUTTON (check);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
        }
      if (n_on > 0)
        {
          g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u required",
                                                                    "%u required", n_on), n_on);
          adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
        }
      adw_preferences_group_add (self->fields_group, expander);
    }
}

/* The stage's values in the template's rows; the rows that depend on the
 * playbook (roles, fields, conditions) are made here. */
static void
show_stage (CpStageDialog *self,
            const CpStage *stage)
{
  g_autoptr(GtkStringList) roles = gtk_string_list_new (NULL);
  const char * const *role_ids = cp_playbook_editor_owner_roles ();
  CpLeadStore *store = cp_playbook_editor_get_store (self->editor);
  g_autofree char *assets = stage->assets != NULL ? g_strjoinv (", ", stage->assets)
                                                  : g_strdup ("");

  gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                         stage->title != NULL ? stage->title : stage->id);
  for (guint i = 0; role_ids[i] != NULL; i++)
    {
      g_autofree char *label = cp_humanize_id (role_ids[i]);
      gtk_string_list_append (roles, label);
    }
  adw_combo_row_set_model (self->owner_row, G_LIST_MODEL (roles));
  for (guint i = 0; role_ids[i] != NULL; i++)
    if (g_strcmp0 (role_ids[i], stage->owner_role) == 0)
      adw_combo_row_set_selected (self->owner_row, i);
  gtk_spin_button_set_value (self->sla, stage->sla_hours);
  gtk_spin_button_set_value (self->rotting, stage->rotting_days);
  for (guint i = 0; channels[i] != NULL; i++)
    gtk_switch_set_active (channel_switch (self, i), stage->channels != NULL &&
                           g_strv_contains ((const char * const *) stage->channels, channels[i]));
  gtk_editable_set_text (GTK_EDITABLE (self->assets_row), assets);
  show_required (self, stage);

  self->entry = cp_condition_builder_new (_("May Enter When"), TRUE, stage->entry);
  cp_condition_builder_set_store (self->entry, store);
  adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (self->entry));
  self->exit = cp_condition_builder_new (_("May Leave When"), TRUE, stage->exit);
  cp_condition_builder_set_store (self->exit, store);
  if (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (self->exit)) == NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->exit),
                                           _("Closing a lead is always allowed."));
  adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (self->exit));
}

/**
 * cp_stage_dialog_new:
 *
 * Returns: (transfer floating) (nullable): the dialog, or %NULL when the
 *   draft has no such stage
 */
CpStageDialog *
cp_stage_dialog_new (GtkWindow        *parent,
                     CpPlaybookEditor *editor,
                     const char       *stage_id)
{
  const CpStage *stage;
  CpStageDialog *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (editor), NULL);

  stage = cp_playbook_get_stage (cp_playbook_editor_get_playbook (editor), stage_id);
  if (stage == NULL)
    return NULL;
  title = g_strdup_printf (_("Stage “%s”"), stage->title != NULL ? stage->title : stage->id);
  self = g_object_new (CP_TYPE_STAGE_DIALOG, "transient-for", parent, "title", title, NULL);
  self->editor = g_object_ref (editor);
  self->stage_id = g_strdup (stage_id);
  show_stage (self, stage);
  return self;
}

/* Tests: the field's "required" check button, the SLA and a channel's switch. */
GtkCheckButton *
cp_stage_dialog_get_required (CpStageDialog *self,
                              CpLeadField    field)
{
  g_return_val_if_fail (CP_IS_STAGE_DIALOG (self) && field < CP_LEAD_N_FIELDS, NULL);
  return self->required[field];
}

GtkSpinButton *
cp_stage_dialog_get_sla (CpStageDialog *self)
{
  g_return_val_if_fail (CP_IS_STAGE_DIALOG (self), NULL);
  return self->sla;
}

GtkSwitch *
cp_stage_dialog_get_channel (CpStageDialog *self,
                             const char    *channel)
{
  g_return_val_if_fail (CP_IS_STAGE_DIALOG (self), NULL);
  for (guint i = 0; channels[i] != NULL; i++)
    if (g_str_equal (channels[i], channel))
      return channel_switch (self, i);
  return NULL;
}

AdwEntryRow *
cp_stage_dialog_get_assets (CpStageDialog *self)
{
  g_return_val_if_fail (CP_IS_STAGE_DIALOG (self), NULL);
  return self->assets_row;
}
