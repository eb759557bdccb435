/* cp-lead-detail-tasks.c — the lead window's Tasks and Reach Out groups
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both groups sit at the top of the Overview and stay there while the
 * window reloads the rest: the tasks follow the store's “tasks-changed”,
 * the outreach rows follow the lead (consent, do-not-contact, stage,
 * address). Whether a channel may be used, and the words saying why not,
 * come from the core (cp_outreach_check_channel()). */
#define G_LOG_DOMAIN "cp-lead-detail-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-application.h"
#include "cp-lead-detail-window-private.h"
#include "cp-lead-format.h"
#include "cp-outreach.h"
#include "cp-task-dialog.h"
#include "cp-task-row.h"
#include "cp-task-store.h"
#include "cp-task-time.h"
#include "cp-team-values.h"
#include "cp-template-dialog.h"
#include "cp-uri-launcher.h"

/* Open tasks a lead window lists; more are in My Work. */
#define MAX_LEAD_TASKS 50

typedef struct
{
  AdwPreferencesGroup *tasks_group;
  GPtrArray           *task_rows;     /* (element-type GtkWidget) (transfer none) */
  AdwActionRow        *email_row;
  AdwActionRow        *call_row;
  gboolean             clock_12h;
} TasksPart;

static char *
dup_actor (void)
{
  GApplication *app = g_application_get_default ();

  return CP_IS_APPLICATION (app) ? cp_application_dup_user_name (CP_APPLICATION (app))
                                 : g_strdup (g_get_real_name ());
}

static void fill_tasks (CpLeadDetailWindow *self);

static TasksPart *
tasks_part (CpLeadDetailWindow *self)
{
  return g_object_get_data (G_OBJECT (self), "cp-tasks-part");
}

static void
task_done_cb (CpTaskRow          *row,
              CpLeadDetailWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = dup_actor ();
  g_autofree char *message = NULL;
  CpTask *task = cp_task_row_get_task (row);

  if (!cp_lead_store_complete_task (_cp_lead_detail_window_get_store (self), cp_task_get_id (task),
                                    NULL, actor, &error))
    {
      _cp_lead_detail_window_add_toast (self, error->message);
      fill_tasks (self);
      return;
    }
  message = g_strdup_printf (_("“%s” done"), cp_task_get_title (task));
  _cp_lead_detail_window_add_toast (self, message);
}

static void
task_snooze_cb (CpTaskRow          *row,
                guint               snooze,
                CpLeadDetailWindow *self)
{
  CpLeadStore *store = _cp_lead_detail_window_get_store (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = dup_actor ();
  g_autofree char *when = NULL;
  g_autofree char *message = NULL;
  CpTask *task = cp_task_row_get_task (row);
  gint64 now = cp_lead_store_now (store);
  gint64 until = cp_snooze_until ((CpSnooze) snooze, now, NULL);

  if (!cp_lead_store_snooze_task (store, cp_task_get_id (task), until, actor, &error))
    {
      _cp_lead_detail_window_add_toast (self, error->message);
      return;
    }
  when = cp_task_format_due (until, now, NULL, tasks_part (self)->clock_12h, NULL);
  message = g_strdup_printf (_("“%s” snoozed: %s"), cp_task_get_title (task), when);
  _cp_lead_detail_window_add_toast (self, message);
}

/* The lead's open tasks, by due time, each with Done and Snooze. */
static void
fill_tasks (CpLeadDetailWindow *self)
{
  TasksPart *part = tasks_part (self);
  CpLeadStore *store = _cp_lead_detail_window_get_store (self);
  CpTaskFilter filter = {
    .lead_id = cp_lead_detail_window_get_lead_id (self), .limit = MAX_LEAD_TASKS,
  };
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = cp_lead_store_now (store);
  gboolean read_only = cp_database_is_read_only (cp_lead_store_get_database (store));

  for (guint i = 0; i < part->task_rows->len; i++)
    adw_preferences_group_remove (part->tasks_group, part->task_rows->pdata[i]);
  g_ptr_array_set_size (part->task_rows, 0);

  filter.now = now;
  tasks = cp_lead_store_list_tasks (store, &filter, &error);
  if (tasks == NULL)
    {
      adw_preferences_group_set_description (part->tasks_group, error->message);
      return;
    }
  adw_preferences_group_set_description (part->tasks_group,
                                         tasks->len == 0 ? _("No open tasks.") : NULL);
  for (guint i = 0; i < tasks->len; i++)
    {
      GtkWidget *row = cp_task_row_new (tasks->pdata[i], now, part->clock_12h, TRUE);

      /* The lead is open already: the row has nothing to open. */
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      cp_task_row_set_read_only (CP_TASK_ROW (row), read_only);
      g_signal_connect_object (row, "done", G_CALLBACK (task_done_cb), self, 0);
      g_signal_connect_object (row, "snooze", G_CALLBACK (task_snooze_cb), self, 0);
      adw_preferences_group_add (part->tasks_group, row);
      g_ptr_array_add (part->task_rows, row);
    }
}

/* An outreach row: what it does, or — visibly and as a tooltip — why not. */
static void
set_outreach_state (CpLeadDetailWindow *self,
                    AdwActionRow       *row,
                    const char         *action,
                    const char         *blocked,
                    const char         *what)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), action, blocked == NULL);
  adw_action_row_set_subtitle (row, blocked != NULL ? blocked : what);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), blocked);
  if (blocked != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (row), "cp-blocked");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "cp-blocked");
}

/* “Email with Template” and “Call”, on or off with the reason. */
static void
fill_outreach (CpLeadDetailWindow *self,
               CpLead             *lead)
{
  TasksPart *part = tasks_part (self);
  CpLeadStore *store = _cp_lead_detail_window_get_store (self);
  CpPlaybook *playbook = _cp_lead_detail_window_get_playbook (self);
  g_autoptr(GPtrArray) activities = cp_lead_store_list_activities (store, cp_lead_get_id (lead),
                                                                   NULL);
  g_autofree char *email_reason = NULL;
  g_autofree char *call_reason = NULL;
  g_autofree char *email_what = NULL;
  g_autofree char *email_blocked = NULL;
  g_autofree char *call_blocked = NULL;
  /* Read as the Overview shows it: "+1 415-555-0123", not "+14155550123". */
  g_autofree char *phone = cp_lead_dup_value_label (lead, CP_LEAD_FIELD_PHONE);

  if (playbook == NULL)
    {
      email_reason = g_strdup (_("No playbook is in effect."));
      call_reason = g_strdup (email_reason);
    }
  else
    {
      cp_outreach_check_channel (playbook, lead, activities, "email", &email_reason);
      cp_outreach_check_channel (playbook, lead, activities, "phone", &call_reason);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.add-task",
                                 !cp_database_is_read_only (cp_lead_store_get_database (store)));
  if (cp_database_is_read_only (cp_lead_store_get_database (store)))
    {
      g_free (email_reason);
      email_reason = g_strdup (_("This database is read-only."));
      g_free (call_reason);
      call_reason = g_strdup (email_reason);
    }
  email_what = g_strdup_printf (_("A template of the %s stage, filled for %s"),
                                cp_value_label (cp_lead_get_stage (lead)),
                                cp_lead_get_text (lead, CP_LEAD_FIELD_EMAIL) ?: _("this lead"));
  /* Translators: %s says why, e.g. “Email blocked: The lead asked not to be contacted.” */
  if (email_reason != NULL)
    email_blocked = g_strdup_printf (_("Email blocked: %s"), email_reason);
  /* Translators: %s says why, e.g. “Call blocked: The lead has no phone number.” */
  if (call_reason != NULL)
    call_blocked = g_strdup_printf (_("Call blocked: %s"), call_reason);
  set_outreach_state (self, part->email_row, "detail.email-template", email_blocked, email_what);
  set_outreach_state (self, part->call_row, "detail.call", call_blocked,
                      phone != NULL ? phone : "");
}

static void
email_logged_cb (CpTemplateDialog   *dialog,
                 CpWriteOutcome     *outcome,
                 CpLeadDetailWindow *self)
{
  _cp_lead_detail_window_show_outcome (self, CP_ACTIVITY_KIND_EMAIL_SENT, outcome);
}

static void
email_template_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CpLeadDetailWindow *self = CP_LEAD_DETAIL_WINDOW (widget);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GHashTable) values = cp_team_values_new (settings);
  g_autofree char *actor = dup_actor ();
  g_autoptr(GError) error = NULL;
  CpTemplateDialog *dialog;

  if (_cp_lead_detail_window_get_playbook (self) == NULL)
    return;
  dialog = cp_template_dialog_new (GTK_WINDOW (self), _cp_lead_detail_window_get_store (self),
                                   _cp_lead_detail_window_get_playbook (self),
                                   cp_lead_detail_window_get_lead_id (self), values, actor, &error);
  if (dialog == NULL)
    {
      _cp_lead_detail_window_add_toast (self, error->message);
      return;
    }
  g_signal_connect_object (dialog, "logged", G_CALLBACK (email_logged_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
call_response_cb (AdwMessageDialog   *dialog,
                  const char         *response,
                  CpLeadDetailWindow *self)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog));
  const char * const *dispositions = cp_call_dispositions ();
  guint position = gtk_drop_down_get_selected (dropdown);
  g_autoptr(CpActivity) activity = NULL;
  g_auto(CpWriteOutcome) outcome = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = NULL;

  if (g_strcmp0 (response, "log") != 0)
    return;
  actor = dup_actor ();
  activity = cp_activity_new ();
  cp_activity_set_lead_id (activity, cp_lead_detail_window_get_lead_id (self));
  cp_activity_set_kind (activity, CP_ACTIVITY_KIND_CALL);
  cp_activity_set_disposition (activity, position < g_strv_length ((char **) dispositions)
                                         ? dispositions[position] : NULL);
  cp_activity_set_actor (activity, actor);
  if (!cp_lead_store_log_activity (_cp_lead_detail_window_get_store (self), activity, &outcome,
                                   &error))
    {
      _cp_lead_detail_window_add_toast (self, error->message);
      return;
    }
  _cp_lead_detail_window_show_outcome (self, CP_ACTIVITY_KIND_CALL, &outcome);
}

/* Call: the tel: link to the desktop, then how it went, to log it. */
static void
call_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CpLeadDetailWindow *self = CP_LEAD_DETAIL_WINDOW (widget);
  g_autoptr(CpLead) lead = cp_lead_store_get (_cp_lead_detail_window_get_store (self),
                                              cp_lead_detail_window_get_lead_id (self), NULL);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autofree char *uri = NULL;
  g_autofree char *name = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *dropdown;

  if (lead == NULL || cp_lead_get_text (lead, CP_LEAD_FIELD_PHONE) == NULL)
    return;
  uri = cp_outreach_tel_uri (cp_lead_get_text (lead, CP_LEAD_FIELD_PHONE));
  cp_uri_launcher_launch (cp_uri_launcher_get_default (), GTK_WINDOW (self), uri);

  name = cp_lead_dup_display_name (lead);
  for (const char * const *d = cp_call_dispositions (); *d != NULL; d++)
    {
      g_autofree char *label = cp_humanize_id (*d);
      gtk_string_list_append (labels, label);
    }
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&labels)), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Call outcome"), -1);
  /* Translators: %s is the lead's name */
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Log the Call?"),
                                                       NULL));
  adw_message_dialog_format_body (dialog, _("How did the call with %s go?"), name);
  adw_message_dialog_set_extra_child (dialog, dropdown);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Not Now"), "log", _("_Log Call"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "log", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "log");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (call_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_task_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CpLeadDetailWindow *self = CP_LEAD_DETAIL_WINDOW (widget);
  g_autofree char *actor = dup_actor ();
  CpTaskDialog *dialog =
      cp_task_dialog_new (GTK_WINDOW (self), _cp_lead_detail_window_get_store (self),
                          cp_lead_detail_window_get_lead_id (self), actor, actor);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
tasks_changed_cb (CpLeadStore        *store,
                  const char         *lead_id,
                  CpLeadDetailWindow *self)
{
  if (lead_id == NULL || g_strcmp0 (lead_id, cp_lead_detail_window_get_lead_id (self)) == 0)
    fill_tasks (self);
}

static void
tasks_part_free (gpointer data)
{
  TasksPart *part = data;

  g_ptr_array_unref (part->task_rows);
  g_free (part);
}

static gpointer
template_child (CpLeadDetailWindow *self,
                const char         *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (self), CP_TYPE_LEAD_DETAIL_WINDOW, name);
}

/* The Tasks and Reach Out groups of the template, shown at the first fill. */
static void
add_task_groups (CpLeadDetailWindow *self)
{
  TasksPart *part;

  if (tasks_part (self) != NULL)
    return;
  part = g_new0 (TasksPart, 1);
  part->task_rows = g_ptr_array_new ();
  part->clock_12h = cp_desktop_clock_is_12h ();
  g_object_set_data_full (G_OBJECT (self), "cp-tasks-part", part, tasks_part_free);

  part->tasks_group = template_child (self, "tasks_group");
  part->email_row = template_child (self, "outreach_email_row");
  part->call_row = template_child (self, "outreach_call_row");
  gtk_image_set_from_icon_name (template_child (self, "outreach_email_icon"),
                                cp_task_kind_icon_name (CP_TASK_KIND_EMAIL));
  gtk_image_set_from_icon_name (template_child (self, "outreach_call_icon"),
                                cp_task_kind_icon_name (CP_TASK_KIND_CALL));
  gtk_widget_set_visible (GTK_WIDGET (part->tasks_group), TRUE);
  gtk_widget_set_visible (template_child (self, "outreach_group"), TRUE);

  g_signal_connect_object (_cp_lead_detail_window_get_store (self), "tasks-changed",
                           G_CALLBACK (tasks_changed_cb), self, 0);
}

/**
 * _cp_lead_detail_window_fill_task_groups:
 *
 * Tasks (the lead's open ones, with Add Task…) and Reach Out (Email with
 * Template, Call) for @lead as it is now.
 */
void
_cp_lead_detail_window_fill_task_groups (CpLeadDetailWindow *self,
                                         CpLead             *lead)
{
  add_task_groups (self);
  fill_tasks (self);
  fill_outreach (self, lead);
}

/* The template children of the two groups (ui/cp-lead-detail-window.ui)
 * and their actions. */
void
_cp_lead_detail_window_class_init_tasks (GtkWidgetClass *widget_class)
{
  static const char * const children[] = {
    "tasks_group", "outreach_group", "outreach_email_row", "outreach_call_row",
    "outreach_email_icon", "outreach_call_icon",
  };

  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    gtk_widget_class_bind_template_child_full (widget_class, children[i], FALSE, 0);
  gtk_widget_class_install_action (widget_class, "detail.add-task", NULL, add_task_action);
  gtk_widget_class_install_action (widget_class, "detail.email-template", NULL,
                                   email_template_action);
  gtk_widget_class_install_action (widget_class, "detail.call", NULL, call_action);
}
