/* cp-lead-detail-privacy.c — the lead window's privacy actions: export everything, erase the person,
 * delete the lead
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-detail-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-application.h"
#include "cp-lead-detail-window-private.h"
#include "cp-person-erase.h"
#include "cp-person-export.h"
#include "cp-person-summary.h"
#include "cp-window.h"
#include "cp-toast.h"

static void
toast (CpLeadDetailWindow *self,
       const char         *message)
{
  _cp_lead_detail_window_add_toast (self, message);
}

/* The lead is gone from here: the window closes, the main window says so. */
static void
close_saying (CpLeadDetailWindow *self,
              const char         *message)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (CP_IS_WINDOW (parent))
    cp_window_add_toast (CP_WINDOW (parent), cp_toast_new_text (message));
  gtk_window_close (GTK_WINDOW (self));
}

/* Export Everything About This Person… */

static void
export_chosen_cb (GtkNativeDialog    *chooser,
                  int                 response,
                  CpLeadDetailWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      /* Next to the JSON, never over a file that is there already. */
      g_autoptr(GFile) pdf = cp_person_summary_file_for (file);
      g_autoptr(JsonNode) document = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *message = NULL;

      document = cp_person_export_build (_cp_lead_detail_window_get_store (self),
                                         cp_lead_detail_window_get_lead_id (self), &error);
      if (document == NULL || !cp_person_export_write (document, file, &error))
        message = g_strdup_printf (_("Nothing was exported: %s"), error->message);
      else if (pdf != NULL && !cp_person_summary_write_pdf (document, pdf, &error))
        /* Translators: %s is why, e.g. Could not write “x.pdf”: … */
        message = g_strdup_printf (_("Exported the JSON document, but not its PDF summary: %s"),
                                   error->message);
      else if (pdf != NULL)
        {
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *pdf_name = g_file_get_basename (pdf);

          /* Translators: both %s are file names */
          message = g_strdup_printf (_("Exported everything about this person to %s, with a PDF "
                                       "summary in %s"),
                                     name, pdf_name);
        }
      else
        {
          g_autofree char *name = g_file_get_basename (file);
          /* Translators: %s is a file name */
          message = g_strdup_printf (_("Exported everything about this person to %s"), name);
        }
      toast (self, message);
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
export_person_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CpLeadDetailWindow *self = CP_LEAD_DETAIL_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *short_id = g_strndup (cp_lead_detail_window_get_lead_id (self), 8);
  /* The name says which lead, not who: the folder may be shared. */
  g_autofree char *name = g_strdup_printf ("carepath-lead-%s.json", short_id);

  chooser = gtk_file_chooser_native_new (_("Export Everything About This Person"),
                                         GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (export_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Erase This Person… */

static char *
backend_label (const char *backend)
{
  if (g_strcmp0 (backend, "hubspot") == 0)
    return g_strdup ("HubSpot");
  if (g_strcmp0 (backend, "espocrm") == 0)
    return g_strdup ("EspoCRM");
  return g_strdup (backend);
}

static void
add_line (GString    *body,
          const char *line)
{
  if (body->len > 0)
    g_string_append_c (body, '\n');
  g_string_append_printf (body, "• %s", line);
}

/* What will be lost, in the store's counts: one line each. */
static char *
describe_loss (const CpErasurePreview *preview)
{
  GString *body = g_string_new (NULL);
  g_autofree char *line = NULL;

#define LINE(n, one, many) \
  G_STMT_START { \
    g_free (line); \
    line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, one, many, n), n); \
    add_line (body, line); \
  } G_STMT_END

  LINE (preview->n_fields, "%u field: name, contact details, notes and the like",
        "%u fields: name, contact details, notes and the like");
  if (preview->n_custom_fields > 0)
    LINE (preview->n_custom_fields, "%u custom field", "%u custom fields");
  if (preview->n_activities > 0)
    LINE (preview->n_activities, "the details of %u activity", "the details of %u activities");
  LINE (preview->n_history, "the values and reasons of %u history entry",
        "the values and reasons of %u history entries");
  if (preview->n_leads > 1)
    LINE (preview->n_leads - 1, "%u record merged into this lead",
          "%u records merged into this lead");
  if (preview->n_merges > 0)
    LINE (preview->n_merges, "what %u merge kept to be undone", "what %u merges kept to be undone");
  if (preview->n_sync_records > 0)
    LINE (preview->n_sync_records, "%u unsent or held sync record",
          "%u unsent or held sync records");
  if (preview->n_backups > 0)
    LINE (preview->n_backups, "%u backup of the database, deleted",
          "%u backups of the database, deleted");
  for (guint i = 0; preview->crm_backends[i] != NULL; i++)
    {
      g_autofree char *crm = backend_label (preview->crm_backends[i]);

      g_free (line);
      /* Translators: %s is a CRM, e.g. HubSpot */
      line =
          g_strdup_printf (_("the linked %s contact: its deletion is requested at the next sync"),
                           crm);
      add_line (body, line);
    }
#undef LINE

  return g_string_free (body, FALSE);
}

static void
erase_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CpLeadDetailWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CpErasureResult done = { 0, };

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.erase-person", TRUE);
  if (!cp_person_erase_finish (result, &done, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Nothing was erased: %s"), error->message);
      toast (self, message);
      return;
    }

  /* The erasure ran on its own connection: the views reload. */
  cp_lead_store_emit_bulk_change (_cp_lead_detail_window_get_store (self));
  close_saying (self, done.wal_emptied ? _("The person was erased")
                                       : _("The person was erased; the database’s log is "
                                           "emptied when the other program using it closes"));
}

/* A question's destructive response (named in "cp-confirm") wants a
 * reason that is not blank. */
static void
reason_changed_cb (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, g_object_get_data (G_OBJECT (dialog),
                                                                      "cp-confirm"),
                                           *reason != '\0');
}

static char *
dup_actor (void)
{
  GApplication *app = g_application_get_default ();

  return CP_IS_APPLICATION (app) ? cp_application_dup_user_name (CP_APPLICATION (app))
                                 : g_strdup (g_get_real_name ());
}

static void
erase_response_cb (AdwMessageDialog   *dialog,
                   const char         *response,
                   CpLeadDetailWindow *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "cp-reason");
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autofree char *actor = NULL;
  CpLeadStore *store = _cp_lead_detail_window_get_store (self);

  if (!g_str_equal (response, "erase"))
    return;
  actor = dup_actor ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.erase-person", FALSE);
  toast (self, _("Erasing…"));
  cp_person_erase_async (cp_database_get_path (cp_lead_store_get_database (store)),
                         cp_lead_detail_window_get_lead_id (self), actor, reason, NULL,
                         erase_done_cb, g_object_ref (self));
}

static void
erase_person_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CpLeadDetailWindow *self = CP_LEAD_DETAIL_WINDOW (widget);
  g_autoptr(CpErasurePreview) preview = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GtkBuilder) builder = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  preview = cp_person_erase_preview (_cp_lead_detail_window_get_store (self),
                                     cp_lead_detail_window_get_lead_id (self), &error);
  if (preview == NULL)
    {
      toast (self, error->message);
      return;
    }
  builder = gtk_builder_new_from_resource (RESOURCE_PATH "/cp-erase-dialog.ui");
  dialog = ADW_MESSAGE_DIALOG (gtk_builder_get_object (builder, "dialog"));
  entry = GTK_WIDGET (gtk_builder_get_object (builder, "reason"));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  /* Translators: %s is the person's name */
  heading = g_strdup_printf (_("Erase %s?"), preview->display_name);
  adw_message_dialog_set_heading (dialog, heading);
  body = describe_loss (preview);
  gtk_label_set_text (GTK_LABEL (gtk_builder_get_object (builder, "loss")), body);
  g_object_set_data (G_OBJECT (dialog), "cp-reason", entry);
  g_object_set_data (G_OBJECT (dialog), "cp-confirm", (gpointer) "erase");
  g_signal_connect (entry, "changed", G_CALLBACK (reason_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (erase_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* Delete Lead… */

static void
delete_response_cb (AdwMessageDialog   *dialog,
                    const char         *response,
                    CpLeadDetailWindow *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "cp-reason");
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autofree char *actor = dup_actor ();
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "delete"))
    return;
  if (!cp_lead_store_tombstone (_cp_lead_detail_window_get_store (self),
                                cp_lead_detail_window_get_lead_id (self), reason, actor, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The lead was not deleted: %s"),
                                                  error->message);
      toast (self, message);
      return;
    }
  close_saying (self, _("Lead deleted; its history is kept"));
}

static void
delete_lead_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CpLeadDetailWindow *self = CP_LEAD_DETAIL_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = cp_lead_store_get (_cp_lead_detail_window_get_store (self),
                                              cp_lead_detail_window_get_lead_id (self), &error);
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  if (lead == NULL)
    {
      toast (self, error->message);
      return;
    }
  name = cp_lead_dup_display_name (lead);
  /* Translators: %s is the lead's name */
  heading = g_strdup_printf (_("Delete %s?"), name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
      GTK_WINDOW (self), heading,
      _("The lead leaves the board, the lists, My Work and the reports. Its history stays in the "
        "database, and a linked CRM contact is archived at the next sync.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (dialog, "delete", FALSE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry),
                                  _("Why: a test entry, spam, entered twice…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reason for deleting the lead"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  g_object_set_data (G_OBJECT (dialog), "cp-reason", entry);
  g_object_set_data (G_OBJECT (dialog), "cp-confirm", (gpointer) "delete");
  g_signal_connect (entry, "changed", G_CALLBACK (reason_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

void
_cp_lead_detail_window_install_privacy_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "detail.delete-lead", NULL, delete_lead_action);
  gtk_widget_class_install_action (widget_class, "detail.export-person", NULL,
                                   export_person_action);
  gtk_widget_class_install_action (widget_class, "detail.erase-person", NULL,
                                   erase_person_action);
}
