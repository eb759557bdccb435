/* cp-move-dialog.c — ask where a lead moves and why
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-move-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-lead-format.h"
#include "cp-move-dialog.h"

typedef struct
{
  char             *lead_id;
  GPtrArray        *stage_ids;
  GtkDropDown      *stage_dropdown;  /* NULL when the target is known */
  char             *to_stage;
  GtkEditable      *reason_entry;
  CpMoveDialogFunc  func;
  gpointer          user_data;
  GDestroyNotify    destroy;
} MoveRequest;

static void
move_request_free (MoveRequest *request)
{
  if (request->destroy != NULL)
    request->destroy (request->user_data);
  g_free (request->lead_id);
  g_free (request->to_stage);
  g_ptr_array_unref (request->stage_ids);
  g_free (request);
}

static void
move_request_closure_notify (gpointer  data,
                             GClosure *closure)
{
  move_request_free (data);
}

static const char *
chosen_stage (MoveRequest *request)
{
  if (request->stage_dropdown == NULL)
    return request->to_stage;

  return g_ptr_array_index (request->stage_ids,
                            gtk_drop_down_get_selected (request->stage_dropdown));
}

static void
reason_changed_cb (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "move", *reason != '\0');
}

static void
reason_activated_cb (GtkEntry         *entry,
                     AdwMessageDialog *dialog)
{
  if (adw_message_dialog_get_response_enabled (dialog, "move"))
    adw_message_dialog_response (dialog, "move");
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             MoveRequest      *request)
{
  g_autofree char *reason = NULL;

  if (g_strcmp0 (response, "move") != 0)
    return;

  reason = g_strstrip (g_strdup (gtk_editable_get_text (request->reason_entry)));
  request->func (request->lead_id, chosen_stage (request), reason, request->user_data);
}

/**
 * cp_move_dialog_new:
 * @to_stage: (nullable): the stage the card was dropped on; %NULL to let
 *   the user pick one
 * @default_reason: (nullable): pre-filled reason, for stages whose playbook
 *   does not demand a specific one
 * @func: called with the stage and the reason when the user confirms
 *
 * Every move carries a reason into the stage history, so the Move button
 * stays insensitive while the reason is empty.
 */
static GtkWindow *
build_dialog (GtkWindow          *parent,
              const char         *heading,
              const char         *body,
              const char         *lead_id,
              const char         *current_stage,
              const CpBoardStage *stages,
              guint               n_stages,
              const char         *to_stage,
              const char         *default_reason,
              CpMoveDialogFunc    func,
              gpointer            user_data,
              GDestroyNotify      destroy)
{
  AdwMessageDialog *dialog;
  MoveRequest *request;
  GtkWidget *box;
  GtkWidget *entry;

  request = g_new0 (MoveRequest, 1);
  request->lead_id = g_strdup (lead_id);
  request->to_stage = g_strdup (to_stage);
  request->stage_ids = g_ptr_array_new ();
  request->func = func;
  request->user_data = user_data;
  request->destroy = destroy;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, body));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  if (to_stage == NULL)
    {
      GtkStringList *names = gtk_string_list_new (NULL);
      guint selected = 0;

      for (guint i = 0; i < n_stages; i++)
        {
          if (g_strcmp0 (stages[i].id, current_stage) == 0)
            continue;
          if (selected == 0 && i > 0 && g_strcmp0 (stages[i - 1].id, current_stage) == 0)
            selected = request->stage_ids->len;
          g_ptr_array_add (request->stage_ids, (gpointer) stages[i].id);
          gtk_string_list_append (names, stages[i].title);
        }
      request->stage_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (names), NULL));
      gtk_drop_down_set_selected (request->stage_dropdown, selected);
      gtk_accessible_update_property (GTK_ACCESSIBLE (request->stage_dropdown),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("New stage"), -1);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (request->stage_dropdown));
    }

  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason, e.g. “Discovery call booked”"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reason for the move"), -1);
  if (default_reason != NULL)
    gtk_editable_set_text (GTK_EDITABLE (entry), default_reason);
  request->reason_entry = GTK_EDITABLE (entry);
  gtk_box_append (GTK_BOX (box), entry);
  adw_message_dialog_set_extra_child (dialog, box);

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "move", _("_Move"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "move", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "move");
  adw_message_dialog_set_close_response (dialog, "cancel");
  reason_changed_cb (GTK_EDITABLE (entry), dialog);

  g_signal_connect (entry, "changed", G_CALLBACK (reason_changed_cb), dialog);
  g_signal_connect (entry, "activate", G_CALLBACK (reason_activated_cb), dialog);
  g_signal_connect_data (dialog, "response", G_CALLBACK (response_cb), request,
                         move_request_closure_notify, 0);
  gtk_widget_grab_focus (entry);

  return GTK_WINDOW (dialog);
}

GtkWindow *
cp_move_dialog_new (GtkWindow          *parent,
                    CpLead             *lead,
                    const CpBoardStage *stages,
                    guint               n_stages,
                    const char         *to_stage,
                    const char         *default_reason,
                    CpMoveDialogFunc    func,
                    gpointer            user_data,
                    GDestroyNotify      destroy)
{
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (CP_IS_LEAD (lead), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  name = cp_lead_dup_display_name (lead);
  if (to_stage != NULL)
    heading = g_strdup_printf (_("Move %s to %s?"), name, cp_value_label (to_stage));
  else
    heading = g_strdup_printf (_("Move %s"), name);
  body = g_strdup_printf (_("Currently in %s. The reason is kept in the lead’s stage history."),
                          cp_value_label (cp_lead_get_stage (lead)));

  return build_dialog (parent, heading, body, cp_lead_get_id (lead), cp_lead_get_stage (lead),
                       stages, n_stages, to_stage, default_reason, func, user_data, destroy);
}

/**
 * cp_move_dialog_new_bulk:
 * @n_leads: how many leads are selected
 *
 * Like cp_move_dialog_new() for a selection: @func gets a %NULL lead id.
 */
GtkWindow *
cp_move_dialog_new_bulk (GtkWindow          *parent,
                         guint               n_leads,
                         const CpBoardStage *stages,
                         guint               n_stages,
                         CpMoveDialogFunc    func,
                         gpointer            user_data,
                         GDestroyNotify      destroy)
{
  g_autofree char *heading = NULL;

  g_return_val_if_fail (func != NULL, NULL);

  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Move %u Lead", "Move %u Leads",
                                          n_leads), n_leads);

  return build_dialog (parent, heading,
                       _("Each lead’s stage history records the reason. Leads already in the "
                         "chosen stage stay where they are."),
                       NULL, NULL, stages, n_stages, NULL, NULL, func, user_data, destroy);
}
