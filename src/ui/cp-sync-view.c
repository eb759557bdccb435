/* cp-sync-view.c — the Sync view: connection, last sync, pending changes, errors, conflicts
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-lead.h"
#include "cp-sync-view.h"

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
  GtkSpinner       *spinner;
  AdwActionRow     *error_row;
  GtkListBox       *conflicts_list;
};

G_DEFINE_FINAL_TYPE (CpSyncView, cp_sync_view, ADW_TYPE_BIN)

static char *
format_when (gint64 when)
{
  g_autoptr(GDateTime) time = NULL;

  if (when == 0)
    return g_strdup (_("Never"));
  time = g_date_time_new_from_unix_local (when);
  /* Translators: a date and time, see g_date_time_format() */
  return g_date_time_format (time, _("%e %B %Y, %H:%M"));
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
  for (GtkWidget *w = label; w != NULL; w = w == label ? value_label : w == value_label ? button : NULL)
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
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading,
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
  g_autofree char *theirs_heading = g_strdup_printf (_("In %s"),
                                                     cp_sync_controller_get_backend_title (self->controller));
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
  g_object_set_data_full (G_OBJECT (edit), "cp-local-value", g_strdup (conflict->local_value), g_free);
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
update (CpSyncView *self)
{
  g_autoptr(CpSyncStatus) status = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autofree char *last = NULL;
  g_autofree char *pending = NULL;
  gboolean online;
  GtkWidget *child;

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
                               online ? _("Online") : _("Offline — changes are kept and sent later"));
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

  gtk_widget_set_visible (GTK_WIDGET (self->progress_row),
                          cp_sync_controller_get_running (self->controller));
  gtk_spinner_set_spinning (self->spinner, cp_sync_controller_get_running (self->controller));
  adw_action_row_set_subtitle (self->progress_row,
                               cp_sync_controller_get_progress_text (self->controller));

  if (status != NULL && status->last_error != NULL && !cp_sync_controller_get_running (self->controller))
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

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->conflicts_list))) != NULL)
    gtk_list_box_remove (self->conflicts_list, child);
  conflicts = cp_sync_controller_get_conflicts (self->controller);
  for (guint i = 0; i < conflicts->len; i++)
    gtk_list_box_append (self->conflicts_list, conflict_row (self, conflicts->pdata[i]));
}

static void
controller_changed_cb (CpSyncView *self)
{
  update (self);
}

static void
cp_sync_view_dispose (GObject *object)
{
  CpSyncView *self = CP_SYNC_VIEW (object);

  if (self->controller != NULL)
    g_signal_handlers_disconnect_by_data (self->controller, self);
  g_clear_object (&self->controller);
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
  gtk_widget_class_bind_template_child (widget_class, CpSyncView, spinner);
  gtk_widget_class_bind_template_child (widget_class, CpSyncView, error_row);
  gtk_widget_class_bind_template_child (widget_class, CpSyncView, conflicts_list);
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
      g_signal_connect_swapped (controller, "notify", G_CALLBACK (controller_changed_cb), self);
    }
  update (self);
}
