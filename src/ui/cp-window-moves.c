/* cp-window-moves.c — the main window's stage moves: one lead or many, checked, with a reason, undoable
 *
 * The playbook decides before anyone is asked for a reason; a refused
 * move says why in the playbook's words, and a move that lacks required
 * fields asks for exactly those. A single move can be undone from its
 * toast; bulk moves and owner assignments run in one transaction.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-application.h"
#include "cp-lead-format.h"
#include "cp-move-dialog.h"
#include "cp-window-private.h"

static gboolean explain_refused_move (CpWindow   *self,
                                      const char *lead_id,
                                      const char *to_stage);

/* What the Undo of a move's toast puts back. */
typedef struct
{
  CpWindow *window;
  char     *lead_id;
  char     *from_stage;
  char     *to_stage;
} UndoMove;

static void
undo_move_free (gpointer data)
{
  UndoMove *undo = data;

  g_clear_object (&undo->window);
  g_free (undo->lead_id);
  g_free (undo->from_stage);
  g_free (undo->to_stage);
  g_free (undo);
}

static void
undo_move_cb (AdwToast *toast,
              UndoMove *undo)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = g_strdup_printf (_("Undid the move to %s"),
                                             cp_value_label (undo->to_stage));

  if (undo->window->store == NULL ||
      !cp_lead_store_move_stage (undo->window->store, undo->lead_id, undo->from_stage, reason,
                                 g_get_real_name (), &error))
    cp_window_add_toast (undo->window, adw_toast_new (error != NULL ? error->message
                                                                    : _("Could not undo")));
}

static void
move_confirmed_cb (const char *lead_id,
                   const char *to_stage,
                   const char *reason,
                   gpointer    user_data)
{
  CpWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) before = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;
  UndoMove *undo;

  if (self->store == NULL || !explain_refused_move (self, lead_id, to_stage))
    return;

  before = cp_lead_store_get (self->store, lead_id, &error);
  if (before == NULL ||
      !cp_lead_store_move_stage (self->store, lead_id, to_stage, reason, g_get_real_name (), &error))
    {
      cp_window_add_toast (self, adw_toast_new (error->message));
      return;
    }

  /* Translators: a toast after moving a lead, e.g. “Moved to Qualified” */
  title = g_strdup_printf (_("Moved to %s"), cp_value_label (to_stage));
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  undo = g_new0 (UndoMove, 1);
  undo->window = g_object_ref (self);
  undo->lead_id = g_strdup (lead_id);
  undo->from_stage = g_strdup (cp_lead_get_stage (before));
  undo->to_stage = g_strdup (to_stage);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (undo_move_cb), undo);
  g_object_set_data_full (G_OBJECT (toast), "cp-undo", undo, undo_move_free);
  cp_window_add_toast (self, toast);
}

/* The fields the stage needed were typed in: save them (validated, with
 * their own audit rows), then make the move, which the playbook checks
 * again. */
static void
move_with_fields_cb (const char         *lead_id,
                     const char         *to_stage,
                     const char         *reason,
                     const char * const *fields,
                     const char * const *values,
                     gpointer            user_data)
{
  CpWindow *self = user_data;
  g_autoptr(CpLead) lead = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;

  if (self->store == NULL)
    return;

  lead = cp_lead_store_get (self->store, lead_id, &error);
  for (guint i = 0; lead != NULL && fields[i] != NULL; i++)
    {
      CpLeadField field;

      if (cp_lead_field_from_name (fields[i], &field) &&
          !cp_lead_set_field_from_string (lead, field, values[i], &error))
        break;
    }
  why = g_strdup_printf (_("Needed to move to %s"), cp_value_label (to_stage));
  if (lead == NULL || error != NULL ||
      !cp_lead_store_update (self->store, lead, g_get_real_name (), why, &error))
    {
      cp_window_add_toast (self, adw_toast_new (error->message));
      return;
    }

  move_confirmed_cb (lead_id, to_stage, reason, self);
}

/* Returns TRUE when the playbook allows the move; otherwise tells the user
 * why, in the playbook's words, and changes nothing. */
static gboolean
explain_refused_move (CpWindow   *self,
                      const char *lead_id,
                      const char *to_stage)
{
  CpApplication *app = CP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(CpMoveCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  check = cp_application_check_move (app, lead_id, to_stage, &error);
  if (check == NULL)
    {
      cp_window_add_toast (self, adw_toast_new (error->message));
      return FALSE;
    }
  if (check->verdict == CP_MOVE_ALLOWED)
    return TRUE;
  if (check->verdict == CP_MOVE_SAME_STAGE)
    return FALSE;

  /* Missing fields are asked for, then the move goes ahead. */
  if (check->verdict == CP_MOVE_MISSING_FIELDS && check->missing_fields != NULL)
    {
      g_autoptr(CpLead) lead = cp_lead_store_get (self->store, lead_id, NULL);

      if (lead != NULL)
        {
          GtkWindow *fields_dialog =
            cp_move_dialog_new_with_fields (GTK_WINDOW (self), lead, to_stage,
                                            (const char * const *) check->missing_fields,
                                            check->message, move_with_fields_cb,
                                            g_object_ref (self), g_object_unref);
          gtk_window_present (fields_dialog);
          return FALSE;
        }
    }

  heading = g_strdup_printf (_("Can’t Move to %s"), cp_value_label (to_stage));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, check->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));

  return FALSE;
}

void
_cp_window_move_requested_cb (CpPipelineView *view,
                   const char     *lead_id,
                   const char     *to_stage,
                   CpWindow       *self)
{
  g_autoptr(CpLead) lead = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree CpBoardStage *stages = NULL;
  guint n_stages;
  GtkWindow *dialog;

  if (self->store == NULL)
    return;

  lead = cp_lead_store_get (self->store, lead_id, &error);
  if (lead == NULL)
    {
      cp_window_add_toast (self, adw_toast_new (error->message));
      return;
    }
  if (to_stage != NULL && g_strcmp0 (cp_lead_get_stage (lead), to_stage) == 0)
    return;  /* dropped back where it was */

  /* The playbook decides before anyone is asked for a reason. */
  if (to_stage != NULL && !explain_refused_move (self, lead_id, to_stage))
    return;

  stages = _cp_window_board_stages (self, &n_stages);
  dialog = cp_move_dialog_new (GTK_WINDOW (self), lead, stages, n_stages, to_stage, NULL,
                               move_confirmed_cb, g_object_ref (self), g_object_unref);
  gtk_window_present (dialog);
}

void
_cp_window_bulk_request_free (gpointer data)
{
  BulkRequest *request = data;

  g_clear_object (&request->window);
  g_strfreev (request->ids);
  g_free (request);
}

static void
bulk_move_confirmed_cb (const char *lead_id,
                        const char *to_stage,
                        const char *reason,
                        gpointer    user_data)
{
  BulkRequest *request = user_data;
  CpWindow *self = request->window;
  CpApplication *app = CP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GStrvBuilder) allowed = g_strv_builder_new ();
  g_auto(GStrv) allowed_ids = NULL;
  g_autofree char *first_refusal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint refused = 0;
  int moved;

  /* Each lead passes the playbook's check on its own; the rest move. */
  for (guint i = 0; request->ids[i] != NULL; i++)
    {
      g_autoptr(CpMoveCheck) check = cp_application_check_move (app, request->ids[i], to_stage, NULL);

      if (check != NULL && check->verdict == CP_MOVE_ALLOWED)
        g_strv_builder_add (allowed, request->ids[i]);
      else if (check == NULL || check->verdict != CP_MOVE_SAME_STAGE)
        {
          refused++;
          if (first_refusal == NULL && check != NULL)
            first_refusal = g_strdup (check->message);
        }
    }
  allowed_ids = g_strv_builder_end (allowed);

  moved = allowed_ids[0] != NULL
          ? cp_lead_store_move_stages (self->store, (const char * const *) allowed_ids, to_stage,
                                       reason, g_get_real_name (), &error)
          : 0;
  if (moved < 0)
    message = g_strdup_printf (_("Nothing was moved: %s"), error->message);
  else if (refused > 0)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Moved %d; %u lead stays where it is: %s",
                                            "Moved %d; %u leads stay where they are: %s", refused),
                               moved, refused, first_refusal != NULL ? first_refusal : "");
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Moved %d lead to %s",
                                            "Moved %d leads to %s", moved),
                               moved, cp_value_label (to_stage));
  cp_window_add_toast (self, adw_toast_new (message));
}

void
_cp_window_bulk_move_requested_cb (CpLeadsView  *view,
                        GStrv         ids,
                        CpWindow     *self)
{
  g_autofree CpBoardStage *stages = NULL;
  guint n_stages;
  BulkRequest *request;
  GtkWindow *dialog;

  if (self->store == NULL)
    return;

  request = g_new0 (BulkRequest, 1);
  request->window = g_object_ref (self);
  request->ids = g_strdupv (ids);
  stages = _cp_window_board_stages (self, &n_stages);
  dialog = cp_move_dialog_new_bulk (GTK_WINDOW (self), g_strv_length (ids), stages, n_stages,
                                    bulk_move_confirmed_cb,
                                    request, _cp_window_bulk_request_free);
  gtk_window_present (dialog);
}

static void
assign_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    BulkRequest      *request)
{
  GtkDropDown *owners = g_object_get_data (G_OBJECT (dialog), "owners");
  GtkStringObject *item;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  int changed;

  if (g_strcmp0 (response, "assign") != 0)
    return;

  item = gtk_drop_down_get_selected_item (owners);
  if (item == NULL)
    return;
  changed = cp_lead_store_set_field_bulk (request->window->store,
                                          (const char * const *) request->ids,
                                          CP_LEAD_FIELD_OWNER, gtk_string_object_get_string (item),
                                          g_get_real_name (), _("Assigned from the Leads table"),
                                          &error);
  if (changed < 0)
    message = g_strdup_printf (_("No owner was changed: %s"), error->message);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Assigned %d lead to %s",
                                            "Assigned %d leads to %s", changed),
                               changed, gtk_string_object_get_string (item));
  cp_window_add_toast (request->window, adw_toast_new (message));
}

void
_cp_window_bulk_assign_requested_cb (CpLeadsView *view,
                          GStrv        ids,
                          CpWindow    *self)
{
  g_autoptr(GPtrArray) owners = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *dropdown;
  BulkRequest *request;

  if (self->store == NULL)
    return;

  owners = cp_lead_store_distinct_values (self->store, CP_LEAD_FIELD_OWNER, NULL);
  for (guint i = 0; owners != NULL && i < owners->len; i++)
    gtk_string_list_append (names, owners->pdata[i]);

  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Assign %u Lead", "Assign %u Leads",
                                          g_strv_length (ids)), g_strv_length (ids));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading,
                                                       _("Choose the owner who will follow up.")));
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (dropdown), TRUE);
  gtk_drop_down_set_expression (GTK_DROP_DOWN (dropdown),
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Owner"), -1);
  adw_message_dialog_set_extra_child (dialog, dropdown);
  g_object_set_data (G_OBJECT (dialog), "owners", dropdown);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "assign", _("_Assign"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "assign", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "assign", owners != NULL && owners->len > 0);
  adw_message_dialog_set_close_response (dialog, "cancel");

  request = g_new0 (BulkRequest, 1);
  request->window = g_object_ref (self);
  request->ids = g_strdupv (ids);
  g_signal_connect (dialog, "response", G_CALLBACK (assign_response_cb), request);
  g_object_set_data_full (G_OBJECT (dialog), "cp-request", request, _cp_window_bulk_request_free);
  gtk_window_present (GTK_WINDOW (dialog));
}
