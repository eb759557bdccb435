/* cp-sync-view.c — the Sync view: connection, last sync, pending changes, errors, conflicts,
 * records from the CRM not applied and changes the CRM refused
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-lead.h"
#include "cp-sync-view.h"
#include "cp-toast.h"

struct _CpSyncView
{
  AdwBin            parent_instance;

  CpSyncController *controller;

  GtkStack         *stack;
  AdwPreferencesGroup *status_group;
  AdwActionRow     *network_row;
  GtkImage         *network_icon;
  AdwActionRow     *last_sync_row;
  AdwActionRow     *pending_row;
  AdwActionRow     *progress_row;
  AdwActionRow     *stopped_row;
  GtkSpinner       *spinner;
  AdwActionRow     *error_row;
  GtkListBox       *conflicts_list;
  AdwToastOverlay  *toast_overlay;
  AdwPreferencesGroup *rejects_group;
  GtkListBox       *rejects_list;
  AdwPreferencesGroup *failures_group;
  GtkListBox       *failures_list;

  GPtrArray        *rejects;        /* CpSyncReject, as listed */
};

G_DEFINE_FINAL_TYPE (CpSyncView, cp_sync_view, ADW_TYPE_BIN)

static char *
format_when (gint64 when)
{
  g_autoptr(GDateTime) time = NULL;

  if (when == 0)
    return g_strdup (_("Never"));
  time = g_date_time_new_from_unix_local (when);
  /* Translators: a date and time, see g_date_time_format() (“-”: no padding) */
  return g_date_time_format (time, _("%-d %B %Y, %H:%M"));
}

static const char *
field_title (const char *name)
{
  CpLeadField field;

  if (!cp_lead_field_from_name (name, &field))
    return name;
  return _(cp_lead_field_info (field)->label);
}

static void
show_error (CpSyncView *self,
            const char *message)
{
  adw_action_row_set_subtitle (self->error_row, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_row), TRUE);
}

static void
keep_clicked_cb (GtkButton  *button,
                 CpSyncView *self)
{
  g_autoptr(GError) error = NULL;
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (button), "cp-conflict-id");
  CpSyncResolution resolution = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button),
                                                                    "cp-resolution"));

  if (!cp_sync_controller_resolve (self->controller, id, resolution, &error))
    show_error (self, error->message);
}

static GtkWidget *
conflict_side (CpSyncView       *self,
               CpSyncConflict   *conflict,
               const char       *heading,
               const char       *value,
               const char       *button_label,
               CpSyncResolution  resolution)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (heading);
  GtkWidget *value_label = gtk_label_new (value != NULL && *value != '\0' ? value : _("(empty)"));
  GtkWidget *button = gtk_button_new_with_mnemonic (button_label);
  gint64 *id = g_new (gint64, 1);

  *id = conflict->id;
  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_xalign (GTK_LABEL (value_label), 0);
  gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_widget_set_vexpand (value_label, TRUE);
  gtk_widget_set_valign (value_label, GTK_ALIGN_START);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  for (GtkWidget *w = label; w != NULL; w = w == label ? value_label
                                          : w == value_label ? button : NULL)
    {
      gtk_widget_set_margin_start (w, 12);
      gtk_widget_set_margin_end (w, 12);
    }
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (button, 12);
  g_object_set_data_full (G_OBJECT (button), "cp-conflict-id", id, g_free);
  g_object_set_data (G_OBJECT (button), "cp-resolution", GINT_TO_POINTER (resolution));
  g_signal_connect (button, "clicked", G_CALLBACK (keep_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), value_label);
  gtk_box_append (GTK_BOX (box), button);
  return box;
}

static void
edit_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  CpSyncView       *self)
{
  g_autoptr(GError) error = NULL;
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "cp-entry");
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "cp-conflict-id");

  if (!g_str_equal (response, "save"))
    return;
  /* An invalid value (say, a malformed email) leaves the conflict open. */
  if (!cp_sync_controller_resolve_with_value (self->controller, id, gtk_editable_get_text (entry),
                                              &error))
    show_error (self, error->message);
}

static void
edit_clicked_cb (GtkButton  *button,
                 CpSyncView *self)
{
  const char *field = g_object_get_data (G_OBJECT (button), "cp-field");
  const char *local_value = g_object_get_data (G_OBJECT (button), "cp-local-value");
  g_autofree char *heading = g_strdup_printf (_("Another Value for %s"), field_title (field));
  GtkWidget *dialog =
      adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
                              _("Neither side’s value is right: type the one both "
                                "should keep. It is sent to the CRM at the next sync."));
  GtkWidget *entry = gtk_entry_new ();
  gint64 *id = g_new (gint64, 1);

  *id = *(gint64 *) g_object_get_data (G_OBJECT (button), "cp-conflict-id");
  gtk_editable_set_text (GTK_EDITABLE (entry), local_value != NULL ? local_value : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "cp-entry", entry);
  g_object_set_data_full (G_OBJECT (dialog), "cp-conflict-id", id, g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (edit_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
conflict_row (CpSyncView     *self,
              CpSyncConflict *conflict)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *sides = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  g_autofree char *title = g_strdup_printf ("%s — %s", conflict->display_name,
                                            field_title (conflict->field));
  g_autofree char *theirs_heading =
      g_strdup_printf (_("In %s"), cp_sync_controller_get_backend_title (self->controller));
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *edit = gtk_button_new_with_mnemonic (_("_Edit…"));
  gint64 *id = g_new (gint64, 1);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (label, "heading");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  /* A third value: neither side's is right. */
  *id = conflict->id;
  gtk_widget_add_css_class (edit, "flat");
  gtk_widget_set_tooltip_text (edit, _("Type another value for both sides"));
  g_object_set_data_full (G_OBJECT (edit), "cp-conflict-id", id, g_free);
  g_object_set_data_full (G_OBJECT (edit), "cp-field", g_strdup (conflict->field), g_free);
  g_object_set_data_full (G_OBJECT (edit), "cp-local-value", g_strdup (conflict->local_value),
                          g_free);
  g_signal_connect (edit, "clicked", G_CALLBACK (edit_clicked_cb), self);
  gtk_box_append (GTK_BOX (header), label);
  gtk_box_append (GTK_BOX (header), edit);
  gtk_box_set_homogeneous (GTK_BOX (sides), TRUE);
  gtk_box_append (GTK_BOX (sides), conflict_side (self, conflict, _("In Carepath"),
                                                  conflict->local_value, _("Keep _Mine"),
                                                  CP_SYNC_KEEP_MINE));
  gtk_box_append (GTK_BOX (sides), conflict_side (self, conflict, theirs_heading,
                                                  conflict->remote_value, _("Keep _Theirs"),
                                                  CP_SYNC_KEEP_THEIRS));
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), sides);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
toast (CpSyncView *self,
       const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, cp_toast_new_text (text));
}

static const CpSyncReject *
find_reject (CpSyncView *self,
             gint64      id)
{
  for (guint i = 0; self->rejects != NULL && i < self->rejects->len; i++)
    {
      const CpSyncReject *reject = self->rejects->pdata[i];

      if (reject->id == id)
        return reject;
    }
  return NULL;
}

static GtkWindow *
parent_window (CpSyncView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static GtkWidget *
icon_button (const char *icon_name,
             const char *tooltip,
             const char *action_name,
             GVariant   *target)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  if (target != NULL)
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  return button;
}

/* A row's title and subtitle are people's text, not markup. */
static AdwActionRow *
text_row (const char *title,
          const char *subtitle)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle);
  adw_action_row_set_title_lines (row, 1);
  return row;
}

static GtkWidget *
reject_row (CpSyncView         *self,
            const CpSyncReject *reject)
{
  g_autofree char *title = cp_sync_controller_dup_reject_title (self->controller, reject);
  g_autofree char *first_seen = format_when (reject->first_seen_at);
  g_autofree char *tries = g_strdup_printf (ngettext ("%u attempt · first seen %s",
                                                      "%u attempts · first seen %s",
                                                      reject->attempts),
                                            reject->attempts, first_seen);
  g_autofree char *subtitle = g_strdup_printf ("%s\n%s", reject->reason, tries);
  AdwActionRow *row = text_row (title, subtitle);
  GtkWidget *show = icon_button ("view-reveal-symbolic", _("Show the Record"),
                                 "sync-view.show-reject", g_variant_new_int64 (reject->id));

  adw_action_row_add_suffix (row, show);
  adw_action_row_add_suffix (row, icon_button ("view-refresh-symbolic", _("Retry Now"),
                                               "sync-view.retry", NULL));
  adw_action_row_add_suffix (row, icon_button ("window-close-symbolic", _("Dismiss…"),
                                               "sync-view.dismiss-reject",
                                               g_variant_new_int64 (reject->id)));
  /* A click anywhere on the row shows the record. */
  adw_action_row_set_activatable_widget (row, show);
  return GTK_WIDGET (row);
}

static GtkWidget *
failure_row (const CpSyncFailure *failure)
{
  g_autofree char *attempts =
      g_strdup_printf (ngettext ("%u attempt", "%u attempts", failure->attempts),
                       failure->attempts);
  g_autofree char *subtitle =
      g_strdup_printf ("%s\n%s",
                       failure->message != NULL ? failure->message : _("The CRM gave no reason."),
                       attempts);
  AdwActionRow *row = text_row (failure->display_name, subtitle);
  GtkWidget *open = gtk_button_new_with_mnemonic (_("_Open"));

  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (open, _("Open the lead to correct it"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "win.open-lead");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (open),
                                          g_variant_new_string (failure->lead_id));
  adw_action_row_add_suffix (row, open);
  adw_action_row_set_activatable_widget (row, open);
  return GTK_WIDGET (row);
}

static GtkWidget *
record_fields_list (CpSyncView         *self,
                    const CpSyncReject *reject)
{
  g_autoptr(GPtrArray) fields = cp_sync_controller_get_reject_fields (self->controller, reject);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  g_autofree char *crm_id =
      g_strdup_printf (_("Record id in %s"),
                       cp_sync_controller_get_backend_title (self->controller));

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The record’s fields"), -1);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (text_row (crm_id, reject->remote_id)));
  for (guint i = 0; i < fields->len; i++)
    {
      CpSyncRecordField *field = fields->pdata[i];

      gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (text_row (field->label, field->value)));
    }
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  return scrolled;
}

static void
show_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  CpSyncView       *self)
{
  GVariant *id = g_object_get_data (G_OBJECT (dialog), "cp-reject-id");

  if (g_str_equal (response, "retry"))
    gtk_widget_activate_action (GTK_WIDGET (self), "sync-view.retry", NULL);
  else if (g_str_equal (response, "dismiss"))
    gtk_widget_activate_action_variant (GTK_WIDGET (self), "sync-view.dismiss-reject", id);
}

static void
show_reject_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CpSyncView *self = CP_SYNC_VIEW (widget);
  const CpSyncReject *reject = find_reject (self, g_variant_get_int64 (parameter));
  g_autofree char *title = NULL;
  g_autofree char *first_seen = NULL;
  g_autofree char *last_tried = NULL;
  g_autofree char *tries = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (reject == NULL)
    return;
  title = cp_sync_controller_dup_reject_title (self->controller, reject);
  first_seen = format_when (reject->first_seen_at);
  last_tried = format_when (reject->last_tried_at);
  if (reject->attempts <= 1)
    tries = g_strdup_printf (_("Tried once, on %s."), first_seen);
  else
    tries =
        g_strdup_printf (ngettext ("Tried %u time since %s, the last on %s.",
                                   "Tried %u times since %s, the last on %s.", reject->attempts),
                         reject->attempts, first_seen, last_tried);
  body = g_strdup_printf (_("%s\n\n%s Every sync tries it again. If the CRM’s values are right, a "
                            "rule may need changing: the mapping in Preferences → Mapping, or a "
                            "stage, required field or rule in the Playbook. If they are wrong, "
                            "correct the record in %s."),
                          reject->reason, tries,
                          cp_sync_controller_get_backend_title (self->controller));
  dialog = adw_message_dialog_new (parent_window (self), title, body);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog),
                                      record_fields_list (self, reject));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "dismiss", _("_Dismiss…"),
                                    "retry", _("_Retry Now"),
                                    "close", _("_Close"),
                                    NULL);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "retry",
                                           !cp_sync_controller_get_running (self->controller));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_object_set_data_full (G_OBJECT (dialog), "cp-reject-id", g_variant_ref_sink (parameter),
                          (GDestroyNotify) g_variant_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (show_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
dismiss_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     CpSyncView       *self)
{
  g_autoptr(GError) error = NULL;
  GVariant *id = g_object_get_data (G_OBJECT (dialog), "cp-reject-id");

  if (!g_str_equal (response, "dismiss"))
    return;
  if (!cp_sync_controller_dismiss_reject (self->controller, g_variant_get_int64 (id), &error))
    {
      /* Applied or dismissed meanwhile (by a sync or the CLI): show what is. */
      toast (self, error->message);
      cp_sync_controller_refresh (self->controller);
      return;
    }
  toast (self, _("Dismissed: it is no longer retried"));
}

static void
dismiss_reject_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CpSyncView *self = CP_SYNC_VIEW (widget);
  const CpSyncReject *reject = find_reject (self, g_variant_get_int64 (parameter));
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (reject == NULL)
    return;
  title = cp_sync_controller_dup_reject_title (self->controller, reject);
  body = g_strdup_printf (_("“%s” will no longer be retried nor listed here. Carepath keeps it in "
                            "its database, marked dismissed, and lists it again if the CRM sends "
                            "a newer version of it."),
                          title);
  dialog = adw_message_dialog_new (parent_window (self), _("Dismiss This Record?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "dismiss", _("_Dismiss"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "dismiss",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "cp-reject-id", g_variant_ref_sink (parameter),
                          (GDestroyNotify) g_variant_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (dismiss_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Every sync retries every kept record: retrying one is a sync. */
static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CpSyncView *self = CP_SYNC_VIEW (widget);

  if (self->controller != NULL)
    cp_sync_controller_sync_now (self->controller);
}

/* Stop: the run ends after the page in progress, which is not applied. */
static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CpSyncView *self = CP_SYNC_VIEW (widget);

  if (self->controller != NULL)
    cp_sync_controller_cancel (self->controller);
}

/* What changes while a sync runs: the status group. */
static void
update_status (CpSyncView *self)
{
  g_autoptr(CpSyncStatus) status = NULL;
  g_autofree char *last = NULL;
  g_autofree char *pending = NULL;
  gboolean online;
  gboolean running;

  if (self->controller == NULL || !cp_sync_controller_get_configured (self->controller))
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "main");
  adw_preferences_group_set_title (self->status_group,
                                   cp_sync_controller_get_backend_title (self->controller));

  online = cp_sync_controller_get_online (self->controller);
  adw_action_row_set_subtitle (self->network_row,
                               online ? _("Online")
                                      : _("Offline — changes are kept and sent later"));
  gtk_image_set_from_icon_name (self->network_icon, online ? "network-wireless-symbolic"
                                                           : "network-offline-symbolic");

  status = cp_sync_controller_get_status (self->controller);
  last = format_when (status != NULL ? status->last_success_at : 0);
  adw_action_row_set_subtitle (self->last_sync_row, last);
  if (status == NULL || status->pending == 0)
    pending = g_strdup (_("Everything has been sent"));
  else
    pending = g_strdup_printf (ngettext ("%u lead changed here", "%u leads changed here",
                                         status->pending), status->pending);
  adw_action_row_set_subtitle (self->pending_row, pending);

  running = cp_sync_controller_get_running (self->controller);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync-view.retry", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync-view.stop",
                                 running && !cp_sync_controller_get_stopping (self->controller));
  gtk_widget_set_visible (GTK_WIDGET (self->stopped_row),
                          !running && cp_sync_controller_get_stopped (self->controller));
  gtk_widget_set_visible (GTK_WIDGET (self->progress_row), running);
  gtk_spinner_set_spinning (self->spinner, running);
  adw_action_row_set_subtitle (self->progress_row,
                               cp_sync_controller_get_progress_text (self->controller));

  if (status != NULL && status->last_error != NULL && !running &&
      !cp_sync_controller_get_stopped (self->controller))
    {
      g_autofree char *text = NULL;

      /* The server's message; its correlation id when the message lacks it. */
      if (status->last_correlation_id != NULL &&
          strstr (status->last_error, status->last_correlation_id) == NULL)
        text = g_strdup_printf (_("%s\nCorrelation id: %s"), status->last_error,
                                status->last_correlation_id);
      else
        text = g_strdup (status->last_error);
      show_error (self, text);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->error_row), FALSE);
}

/* Rows only: the placeholder is a child too, and removing it unsets it. */
static void
clear_list (GtkListBox *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

/* What a run, a resolution or a dismissal changes: the lists. */
static void
update_lists (CpSyncView *self)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) failures = NULL;

  clear_list (self->conflicts_list);
  clear_list (self->rejects_list);
  clear_list (self->failures_list);
  g_clear_pointer (&self->rejects, g_ptr_array_unref);
  if (self->controller == NULL || !cp_sync_controller_get_configured (self->controller))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->rejects_group), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->failures_group), FALSE);
      return;
    }

  conflicts = cp_sync_controller_get_conflicts (self->controller);
  for (guint i = 0; i < conflicts->len; i++)
    gtk_list_box_append (self->conflicts_list, conflict_row (self, conflicts->pdata[i]));

  self->rejects = cp_sync_controller_get_rejects (self->controller);
  for (guint i = 0; i < self->rejects->len; i++)
    gtk_list_box_append (self->rejects_list, reject_row (self, self->rejects->pdata[i]));
  gtk_widget_set_visible (GTK_WIDGET (self->rejects_group), self->rejects->len > 0);

  failures = cp_sync_controller_get_push_failures (self->controller);
  for (guint i = 0; i < failures->len; i++)
    gtk_list_box_append (self->failures_list, failure_row (failures->pdata[i]));
  gtk_widget_set_visible (GTK_WIDGET (self->failures_group), failures->len > 0);
}

static void
controller_changed_cb (CpSyncView *self)
{
  update_status (self);
  update_lists (self);
}

static void
controller_notify_cb (CpSyncView *self)
{
  update_status (self);
}

static void
cp_sync_view_dispose (GObject *object)
{
  CpSyncView *self = CP_SYNC_VIEW (object);

  if (self->controller != NULL)
    g_signal_handlers_disconnect_by_data (self->controller, self);
  g_clear_object (&self->controller);
  g_clear_pointer (&self->rejects, g_ptr_array_unref);
  /* AdwBin disposes its child, the whole template. */

  G_OBJECT_CLASS (cp_sync_view_parent_class)->dispose (object);
}

static void
cp_sync_view_class_init (CpSyncViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_sync_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/cp-sync-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CpSyncView, stack);
  gtk_widget_class_bind_template_child (widget_class, CpSyncView, status_group);
  gtk_widget_class_bind_template_child (widget_class, CpSyncView, network_row);
  gtk_widget_class_bind_template_child (widget_class, CpSyncView, network_icon);
  gtk_widget_class_bind_template_child (widget_class, CpSyncView, last_sync_row);
  gtk_widget_class_bind_template_child (widget_class, CpSyncView, pending_row);
  gtk_widget_class_bind_template_child (widget_class, CpSyncView, progress_row);
  gtk_widget_class_bind_template_child (widget_class, CpSyncView, stopped_row);
  gtk_widget_class_bind_template_child (widget_class, CpSyncView, spinner);
  gtk_widget_class_bind_template_child (widget_class, CpSyncView, error_row);
  gtk_widget_class_bind_template_child (widget_class, CpSyncView, conflicts_list);
  gtk_widget_class_bind_template_child (widget_class, CpSyncView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CpSyncView, rejects_group);
  gtk_widget_class_bind_template_child (widget_class, CpSyncView, rejects_list);
  gtk_widget_class_bind_template_child (widget_class, CpSyncView, failures_group);
  gtk_widget_class_bind_template_child (widget_class, CpSyncView, failures_list);

  gtk_widget_class_install_action (widget_class, "sync-view.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "sync-view.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "sync-view.show-reject", "x", show_reject_action);
  gtk_widget_class_install_action (widget_class, "sync-view.dismiss-reject", "x",
                                   dismiss_reject_action);
}

static void
cp_sync_view_init (CpSyncView *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));
  placeholder = gtk_label_new (_("No conflicts"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  gtk_list_box_set_placeholder (self->conflicts_list, placeholder);
}

void
cp_sync_view_set_controller (CpSyncView       *self,
                             CpSyncController *controller)
{
  g_return_if_fail (CP_IS_SYNC_VIEW (self));
  g_return_if_fail (controller == NULL || CP_IS_SYNC_CONTROLLER (controller));

  if (self->controller != NULL)
    g_signal_handlers_disconnect_by_data (self->controller, self);
  g_set_object (&self->controller, controller);
  if (controller != NULL)
    {
      g_signal_connect_swapped (controller, "changed", G_CALLBACK (controller_changed_cb), self);
      g_signal_connect_swapped (controller, "notify", G_CALLBACK (controller_notify_cb), self);
    }
  update_status (self);
  update_lists (self);
}
