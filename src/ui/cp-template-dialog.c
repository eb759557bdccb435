/* cp-template-dialog.c — Email with Template: a stage's email template filled for one lead
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pick one of the lead's stage's email templates, see it filled from the
 * lead's fields and the team's values (cp_outreach_render_template()),
 * type what neither has (a proposed time), and “Open in Mail”: the
 * mailto: link (cp_outreach_mailto_uri()) goes to the desktop through the
 * URI launcher, and the email is logged as sent through the lead store's
 * activity path (rescoring, automation, the SLA's first response and the
 * response task). */
#define G_LOG_DOMAIN "cp-template-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-lead-format.h"
#include "cp-outreach.h"
#include "cp-template-dialog.h"
#include "cp-uri-launcher.h"
#include "cp-toast.h"

struct _CpTemplateDialog
{
  AdwWindow            parent_instance;

  CpLeadStore         *store;
  CpPlaybook          *playbook;
  CpLead              *lead;
  char                *actor;
  GHashTable          *team_values;
  GPtrArray           *templates;     /* (element-type CpOutreachTemplate) (transfer none): email */
  GHashTable          *ask_rows;      /* name → AdwEntryRow (transfer none) */
  CpOutreachMessage   *message;       /* (nullable) the last rendering */
  char                *problem;       /* (nullable) why it cannot be sent */

  AdwToastOverlay     *toast_overlay;
  AdwComboRow         *template_row;
  GtkStringList       *template_list;
  AdwPreferencesGroup *template_group;
  AdwPreferencesGroup *assets_group;
  AdwPreferencesGroup *ask_group;
  AdwActionRow        *to_row;
  AdwActionRow        *subject_row;
  GtkLabel            *body_label;
  GtkLabel            *problem_label;
};

G_DEFINE_FINAL_TYPE (CpTemplateDialog, cp_template_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_LOGGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const CpOutreachTemplate *
selected_template (CpTemplateDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->template_row);

  return selected < self->templates->len ? self->templates->pdata[selected] : NULL;
}

static void
set_problem (CpTemplateDialog *self,
             char             *problem)
{
  g_free (self->problem);
  self->problem = problem;
  gtk_label_set_text (self->problem_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "template.open-mail", problem == NULL);
}

static void ask_changed_cb (CpTemplateDialog *self);

/* A row to type a value the template needs and nobody has. */
static void
ask_for (CpTemplateDialog *self,
         const char       *name)
{
  g_autofree char *title = NULL;
  GtkWidget *row;

  if (g_hash_table_contains (self->ask_rows, name))
    return;
  title = cp_humanize_id (name);
  row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_name (row, name);
  g_signal_connect_object (row, "changed", G_CALLBACK (ask_changed_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (self->ask_group, row);
  g_hash_table_insert (self->ask_rows, g_strdup (name), row);
  gtk_widget_set_visible (GTK_WIDGET (self->ask_group), TRUE);
}

/* The team's values, with what the person typed on top. */
static GHashTable *
current_values (CpTemplateDialog *self)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  if (self->team_values != NULL)
    {
      g_hash_table_iter_init (&iter, self->team_values);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (values, g_strdup (key), g_strdup (value));
    }
  g_hash_table_iter_init (&iter, self->ask_rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (value))));

      if (*text != '\0')
        g_hash_table_insert (values, g_strdup (key), g_steal_pointer (&text));
    }
  return values;
}

static void
render (CpTemplateDialog *self)
{
  const CpOutreachTemplate *template_ = selected_template (self);
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GPtrArray) activities = NULL;

  g_clear_pointer (&self->message, cp_outreach_message_free);
  if (template_ == NULL)
    {
      adw_action_row_set_subtitle (self->subject_row, "");
      gtk_label_set_text (self->body_label, "");
      set_problem (self, g_strdup (_("This stage has no email template.")));
      return;
    }
  values = current_values (self);
  self->message = cp_outreach_render_template (template_, self->lead, values, &error);
  if (self->message == NULL)
    {
      adw_action_row_set_subtitle (self->subject_row, "");
      gtk_label_set_text (self->body_label, "");
      set_problem (self, g_strdup (error->message));
      return;
    }
  adw_action_row_set_subtitle (self->subject_row, self->message->subject);
  gtk_label_set_text (self->body_label, self->message->body);
  for (guint i = 0; self->message->missing[i] != NULL; i++)
    ask_for (self, self->message->missing[i]);

  /* Consent, do-not-contact, the stage's channels, an address: the core's. */
  activities = cp_lead_store_list_activities (self->store, cp_lead_get_id (self->lead), NULL);
  if (!cp_outreach_check_channel (self->playbook, self->lead, activities, "email", &reason))
    set_problem (self, g_steal_pointer (&reason));
  else if (self->message->missing[0] != NULL)
    {
      g_autofree char *first = cp_humanize_id (self->message->missing[0]);
      /* Translators: %s names a value the template needs, e.g. “Proposed time” */
      set_problem (self, g_strdup_printf (_("Fill in “%s” first."), first));
    }
  else
    set_problem (self, NULL);
}

static void
ask_changed_cb (CpTemplateDialog *self)
{
  render (self);
}

static void
template_selected_cb (CpTemplateDialog *self)
{
  if (self->templates != NULL)
    render (self);
}

static void
open_mail_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CpTemplateDialog *self = CP_TEMPLATE_DIALOG (widget);
  g_autoptr(CpActivity) activity = NULL;
  g_auto(CpWriteOutcome) outcome = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  render (self);
  if (self->problem != NULL || self->message == NULL)
    return;
  uri = cp_outreach_mailto_uri (cp_lead_get_text (self->lead, CP_LEAD_FIELD_EMAIL),
                                self->message->subject, self->message->body);
  cp_uri_launcher_launch (cp_uri_launcher_get_default (),
                          gtk_window_get_transient_for (GTK_WINDOW (self)), uri);

  /* Sent from here: logged as an email the person sent. */
  activity = cp_activity_new ();
  cp_activity_set_lead_id (activity, cp_lead_get_id (self->lead));
  cp_activity_set_kind (activity, CP_ACTIVITY_KIND_EMAIL_SENT);
  cp_activity_set_detail (activity, self->message->subject);
  cp_activity_set_actor (activity, self->actor);
  if (!cp_lead_store_log_activity (self->store, activity, &outcome, &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, cp_toast_new_text (error->message));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_LOGGED], 0, &outcome);
  gtk_window_close (GTK_WINDOW (self));
}

static void
cp_template_dialog_dispose (GObject *object)
{
  CpTemplateDialog *self = CP_TEMPLATE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_TEMPLATE_DIALOG);
  g_clear_object (&self->store);
  g_clear_object (&self->lead);
  g_clear_pointer (&self->playbook, cp_playbook_unref);

  G_OBJECT_CLASS (cp_template_dialog_parent_class)->dispose (object);
}

static void
cp_template_dialog_finalize (GObject *object)
{
  CpTemplateDialog *self = CP_TEMPLATE_DIALOG (object);

  g_free (self->actor);
  g_free (self->problem);
  g_clear_pointer (&self->team_values, g_hash_table_unref);
  g_clear_pointer (&self->templates, g_ptr_array_unref);
  g_clear_pointer (&self->ask_rows, g_hash_table_unref);
  g_clear_pointer (&self->message, cp_outreach_message_free);

  G_OBJECT_CLASS (cp_template_dialog_parent_class)->finalize (object);
}

static void
cp_template_dialog_class_init (CpTemplateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_template_dialog_dispose;
  object_class->finalize = cp_template_dialog_finalize;

  /**
   * CpTemplateDialog::logged:
   * @outcome: (type gpointer): the #CpWriteOutcome of logging the email
   *
   * The message went to the mail client and was logged as sent.
   */
  signals[SIGNAL_LOGGED] = g_signal_new ("logged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/cp-template-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CpTemplateDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CpTemplateDialog, template_row);
  gtk_widget_class_bind_template_child (widget_class, CpTemplateDialog, template_list);
  gtk_widget_class_bind_template_child (widget_class, CpTemplateDialog, template_group);
  gtk_widget_class_bind_template_child (widget_class, CpTemplateDialog, assets_group);
  gtk_widget_class_bind_template_child (widget_class, CpTemplateDialog, ask_group);
  gtk_widget_class_bind_template_child (widget_class, CpTemplateDialog, to_row);
  gtk_widget_class_bind_template_child (widget_class, CpTemplateDialog, subject_row);
  gtk_widget_class_bind_template_child (widget_class, CpTemplateDialog, body_label);
  gtk_widget_class_bind_template_child (widget_class, CpTemplateDialog, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, template_selected_cb);

  gtk_widget_class_install_action (widget_class, "template.open-mail", NULL, open_mail_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cp_template_dialog_init (CpTemplateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->ask_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* The stage's email templates in the chooser; its assets listed. */
static void
fill_stage (CpTemplateDialog *self,
            const CpStage    *stage)
{
  g_autofree char *description = NULL;

  self->templates = g_ptr_array_new ();
  for (guint i = 0; stage != NULL && stage->templates != NULL && i < stage->templates->len; i++)
    {
      const CpOutreachTemplate *template_ = stage->templates->pdata[i];

      if (g_strcmp0 (template_->channel, "email") != 0)
        continue;
      g_ptr_array_add (self->templates, (gpointer) template_);
      gtk_string_list_append (self->template_list, template_->title != NULL ? template_->title
                                                                            : template_->id);
    }
  /* Translators: %s is a stage, e.g. “The Qualified stage’s email templates.” */
  description = g_strdup_printf (_("The %s stage’s email templates."),
                                 stage != NULL && stage->title != NULL ? stage->title
                                 : cp_value_label (cp_lead_get_stage (self->lead)));
  {
    g_autofree char *markup = g_markup_escape_text (description, -1);
    adw_preferences_group_set_description (self->template_group, markup);
  }

  for (guint i = 0; stage != NULL && stage->assets != NULL && stage->assets[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), stage->assets[i]);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("mail-attachment-symbolic"));
      adw_preferences_group_add (self->assets_group, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->assets_group),
                          stage != NULL && stage->assets != NULL && stage->assets[0] != NULL);
}

/**
 * cp_template_dialog_new:
 * @playbook: the playbook in effect: the lead's stage's templates and
 *   channels
 * @team_values: (nullable) (element-type utf8 utf8): cp_team_values_new()
 * @actor: who sends the email, for the activity
 *
 * Returns: (transfer floating) (nullable): the dialog, or %NULL with
 *   @error when the lead cannot be read
 */
CpTemplateDialog *
cp_template_dialog_new (GtkWindow    *parent,
                        CpLeadStore  *store,
                        CpPlaybook   *playbook,
                        const char   *lead_id,
                        GHashTable   *team_values,
                        const char   *actor,
                        GError      **error)
{
  g_autoptr(CpLead) lead = NULL;
  CpTemplateDialog *self;
  const char *email;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), NULL);
  g_return_val_if_fail (playbook != NULL, NULL);
  g_return_val_if_fail (lead_id != NULL, NULL);

  lead = cp_lead_store_get (store, lead_id, error);
  if (lead == NULL)
    return NULL;

  self = g_object_new (CP_TYPE_TEMPLATE_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->playbook = cp_playbook_ref (playbook);
  self->lead = g_steal_pointer (&lead);
  self->actor = g_strdup (actor);
  self->team_values = team_values != NULL ? g_hash_table_ref (team_values) : NULL;
  email = cp_lead_get_text (self->lead, CP_LEAD_FIELD_EMAIL);
  adw_action_row_set_subtitle (self->to_row, email != NULL ? email : _("No email address"));

  fill_stage (self, cp_playbook_get_stage (playbook, cp_lead_get_stage (self->lead)));
  render (self);

  return self;
}

/* What the preview shows (tests). */
const char *
cp_template_dialog_get_subject (CpTemplateDialog *self)
{
  g_return_val_if_fail (CP_IS_TEMPLATE_DIALOG (self), NULL);

  return self->message != NULL ? self->message->subject : NULL;
}

const char *
cp_template_dialog_get_body (CpTemplateDialog *self)
{
  g_return_val_if_fail (CP_IS_TEMPLATE_DIALOG (self), NULL);

  return self->message != NULL ? self->message->body : NULL;
}

/**
 * cp_template_dialog_get_problem:
 *
 * Returns: (nullable): why “Open in Mail” is off, as the dialog says it
 */
const char *
cp_template_dialog_get_problem (CpTemplateDialog *self)
{
  g_return_val_if_fail (CP_IS_TEMPLATE_DIALOG (self), NULL);

  return self->problem;
}
