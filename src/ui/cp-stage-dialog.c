/* cp-stage-dialog.c — one stage of the playbook: name, owner, channels, required fields, SLA, rotting
 *
 * Saved through the playbook editor, which checks the stage with the
 * engine; a refused change is shown here and nothing is saved.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-stage-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-condition-builder.h"
#include "cp-lead-format.h"
#include "cp-stage-dialog.h"

static const char * const channels[] = { "email", "phone", "sms", "mail", NULL };
static const char * const channel_labels[] = { N_("Email"), N_("Phone"), N_("Text message"), N_("Letter"), NULL };

struct _CpStageDialog
{
  AdwWindow         parent_instance;

  CpPlaybookEditor *editor;
  char             *stage_id;
  AdwEntryRow      *name_row;
  AdwEntryRow      *assets_row;
  AdwComboRow      *owner_row;
  GtkSpinButton    *sla;
  GtkSpinButton    *rotting;
  GtkSwitch        *channel_switches[4];
  GtkCheckButton   *required[CP_LEAD_N_FIELDS];
  CpConditionBuilder *entry;
  CpConditionBuilder *exit;
  GtkLabel         *error_label;
};

G_DEFINE_FINAL_TYPE (CpStageDialog, cp_stage_dialog, ADW_TYPE_WINDOW)

static GtkWidget *
suffix_row (const char *title,
            const char *subtitle,
            GtkWidget  *suffix)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), suffix);
  return row;
}

/* Collects every field into one edit: the editor applies all of it, or none. */
static void
save_clicked_cb (CpStageDialog *self)
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
  const CpStage *stage = cp_playbook_get_stage (cp_playbook_editor_get_playbook (self->editor), self->stage_id);
  CpStageEdit edit;

  for (guint i = 0; channels[i] != NULL; i++)
    if (gtk_switch_get_active (self->channel_switches[i]))
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
  gtk_label_set_text (self->error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
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
  G_OBJECT_CLASS (klass)->dispose = cp_stage_dialog_dispose;
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cp_stage_dialog_init (CpStageDialog *self)
{
}

static void
build (CpStageDialog *self,
       const CpStage *stage)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save"));
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *general = adw_preferences_group_new ();
  GtkWidget *outreach = adw_preferences_group_new ();
  GtkWidget *fields = adw_preferences_group_new ();
  g_autoptr(GtkStringList) roles = gtk_string_list_new (NULL);
  const char * const *role_ids = cp_playbook_editor_owner_roles ();

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  gtk_widget_add_css_class (save, "suggested-action");
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (save_clicked_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), save);
  gtk_box_append (GTK_BOX (content), header);
  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_margin_top (GTK_WIDGET (self->error_label), 12);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->error_label));

  self->name_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->name_row), _("Name"));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), stage->title != NULL ? stage->title : stage->id);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (general), GTK_WIDGET (self->name_row));
  self->owner_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->owner_row), _("Worked By"));
  for (guint i = 0; role_ids[i] != NULL; i++)
    {
      g_autofree char *label = cp_humanize_id (role_ids[i]);
      gtk_string_list_append (roles, label);
    }
  adw_combo_row_set_model (self->owner_row, G_LIST_MODEL (roles));
  for (guint i = 0; role_ids[i] != NULL; i++)
    if (g_strcmp0 (role_ids[i], stage->owner_role) == 0)
      adw_combo_row_set_selected (self->owner_row, i);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (general), GTK_WIDGET (self->owner_row));
  self->sla = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 720, 1));
  gtk_spin_button_set_value (self->sla, stage->sla_hours);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (general),
                             suffix_row (_("Respond Within"), _("Business hours; 0: no response time"),
                                         GTK_WIDGET (self->sla)));
  self->rotting = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 3650, 1));
  gtk_spin_button_set_value (self->rotting, stage->rotting_days);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (general),
                             suffix_row (_("Stale After"), _("Days without activity; 0: never"),
                                         GTK_WIDGET (self->rotting)));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (general));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (outreach), _("Outreach Channels"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (outreach),
                                         _("What the stage uses; a lead's consent can still forbid one."));
  for (guint i = 0; channels[i] != NULL; i++)
    {
      GtkWidget *toggle = gtk_switch_new ();
      const char *label = _(channel_labels[i]);

      gtk_switch_set_active (GTK_SWITCH (toggle), stage->channels != NULL &&
                             g_strv_contains ((const char * const *) stage->channels, channels[i]));
      self->channel_switches[i] = GTK_SWITCH (toggle);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (outreach), suffix_row (label, NULL, toggle));
    }
  self->assets_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->assets_row), _("Suggested Assets (separated by commas)"));
  {
    g_autofree char *assets = stage->assets != NULL ? g_strjoinv (", ", stage->assets) : g_strdup ("");
    gtk_editable_set_text (GTK_EDITABLE (self->assets_row), assets);
  }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (outreach), GTK_WIDGET (self->assets_row));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (outreach));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (fields), _("Required to Enter"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (fields),
                                         _("A lead moves in only when these are known."));
  {
    const CpFieldGroup *groups;
    guint n_groups;

    groups = cp_lead_field_groups (&n_groups);
    for (guint g = 0; g < n_groups; g++)
      {
        GtkWidget *expander = adw_expander_row_new ();
        guint n_on = 0;

        g_autofree char *escaped = g_markup_escape_text (_(groups[g].title), -1);

        /* An expander's title is markup in libadwaita 1.2. */
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), escaped);
        for (const CpLeadField *f = groups[g].fields; *f != CP_LEAD_N_FIELDS; f++)
          {
            GtkWidget *check = gtk_check_button_new ();
            GtkWidget *row = suffix_row (_(cp_lead_field_info (*f)->label), NULL, check);
            gboolean on = stage->required_fields != NULL &&
                          g_strv_contains ((const char * const *) stage->required_fields, cp_lead_field_info (*f)->name);

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
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (fields), expander);
      }
  }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (fields));

  self->entry = cp_condition_builder_new (_("May Enter When"), TRUE, stage->entry);
  cp_condition_builder_set_store (self->entry, cp_playbook_editor_get_store (self->editor));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (self->entry));
  self->exit = cp_condition_builder_new (_("May Leave When"), TRUE, stage->exit);
  cp_condition_builder_set_store (self->exit, cp_playbook_editor_get_store (self->editor));
  if (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (self->exit)) == NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->exit),
                                           _("Closing a lead is always allowed."));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (self->exit));

  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (content), page);
  adw_window_set_content (ADW_WINDOW (self), content);
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
  self = g_object_new (CP_TYPE_STAGE_DIALOG, "transient-for", parent, "modal", TRUE,
                       "default-width", 560, "default-height", 680, "title", title, NULL);
  self->editor = g_object_ref (editor);
  self->stage_id = g_strdup (stage_id);
  build (self, stage);
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
      return self->channel_switches[i];
  return NULL;
}

AdwEntryRow *
cp_stage_dialog_get_assets (CpStageDialog *self)
{
  g_return_val_if_fail (CP_IS_STAGE_DIALOG (self), NULL);
  return self->assets_row;
}

void
cp_stage_dialog_save (CpStageDialog *self)
{
  g_return_if_fail (CP_IS_STAGE_DIALOG (self));
  save_clicked_cb (self);
}
