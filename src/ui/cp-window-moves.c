/* cp-window-moves.c — the main window's stage moves: one lead or many, checked, with a reason,
 * undoable
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
#include "cp-toast.h"

static gboolean explain_refused_move (CpWindow   *self,
                                      CpLead     *lead,
                                      const char *to_stage,
                                      const char *reason);

/* A move asked for: the window, and where the lead was when it was asked
 * (a lead someone moved meanwhile is not moved again). */
typedef struct
{
  CpWindow *window;
  char     *lead_id;
  char     *from_stage;
  char     *to_stage;
  GStrv     filled;     /* (nullable) fields the move filled in: an Undo empties them */
  gboolean  weak;       /* @window is a weak pointer (a toast's Undo) */
} MoveRequest;

static MoveRequest *
move_request_new (CpWindow   *window,
                  const char *lead_id,
                  const char *from_stage,
                  const char *to_stage)
{
  MoveRequest *request = g_new0 (MoveRequest, 1);

  request->window = g_object_ref (window);
  request->lead_id = g_strdup (lead_id);
  request->from_stage = g_strdup (from_stage);
  request->to_stage = g_strdup (to_stage);
  return request;
}

static void
move_request_free (gpointer data)
{
  MoveRequest *request = data;

  if (request->weak)
    g_clear_weak_pointer (&request->window);
  else
    g_clear_object (&request->window);
  g_free (request->lead_id);
  g_free (request->from_stage);
  g_free (request->to_stage);
  g_strfreev (request->filled);
  g_free (request);
}

/* The lead with the fields its move filled in empty again, as they were
 * before it (a lead closed as lost and undone is not left marked lost). */
static CpLead *
dup_lead_unfilled (CpLeadStore  *store,
                   MoveRequest  *undo,
                   GError      **error)
{
  g_autoptr(CpLead) lead = cp_lead_store_get (store, undo->lead_id, error);

  for (guint i = 0; lead != NULL && undo->filled[i] != NULL; i++)
    {
      CpLeadField field;

      if (cp_lead_field_from_name (undo->filled[i], &field) &&
          !cp_lead_set_field_from_string (lead, field, NULL, error))
        return NULL;
    }
  return g_steal_pointer (&lead);
}

static void
undo_move_cb (AdwToast    *toast,
              MoveRequest *undo)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) unfilled = NULL;
  g_autofree char *reason = g_strdup_printf (_("Undid the move to %s"),
                                             cp_value_label (undo->to_stage));

  if (undo->window == NULL)
    return;   /* the window closed while its toast was up */
  if (undo->window->store != NULL && undo->filled != NULL)
    unfilled = dup_lead_unfilled (undo->window->store, undo, &error);
  if (undo->window->store == NULL || error != NULL ||
      !cp_lead_store_move (undo->window->store, undo->lead_id, undo->to_stage, undo->from_stage,
                           unfilled, reason, g_get_real_name (), NULL, &error))
    cp_window_add_toast (undo->window, cp_toast_new_text (error != NULL ? error->message
                                                                    : _("Could not undo")));
}

/* The toast after a move: where the lead went, what the playbook did
 * next, and an Undo back to where it was. */
static void
toast_moved (CpWindow             *self,
             const char           *lead_id,
             const char           *from_stage,
             const char           *to_stage,
             const char * const   *filled,
             const CpWriteOutcome *outcome)
{
  g_autoptr(GString) title = g_string_new (NULL);
  const char *final_stage = to_stage;
  AdwToast *toast;

  /* Translators: a toast after moving a lead, e.g. “Moved to Qualified” */
  g_string_printf (title, _("Moved to %s"), cp_value_label (to_stage));
  for (guint i = 0; outcome->moves != NULL && i < outcome->moves->len; i++)
    {
      CpProposedMove *move = outcome->moves->pdata[i];

      /* Translators: the playbook moved the lead on, e.g. “, then to Onboarding by the playbook” */
      g_string_append_printf (title, _(", then to %s by the playbook"),
                              cp_value_label (move->to_stage));
      final_stage = move->to_stage;
    }
  toast = cp_toast_new_text (title->str);
  adw_toast_set_button_label (toast, _("_Undo"));
  {
    /* The window holds its toasts: the toast's Undo must not hold the
     * window, or a window closed with the toast up is never freed. */
    MoveRequest *undo = move_request_new (self, lead_id, from_stage, final_stage);

    g_object_unref (undo->window);
    undo->window = NULL;
    g_set_weak_pointer (&undo->window, self);
    undo->weak = TRUE;
    undo->filled = filled != NULL ? g_strdupv ((char **) filled) : NULL;
    g_signal_connect_data (toast, "button-clicked", G_CALLBACK (undo_move_cb), undo,
                           (GClosureNotify) (void (*) (void)) move_request_free, 0);
  }
  cp_window_add_toast (self, toast);
}

static void
run_move (CpWindow           *self,
          const char         *lead_id,
          const char         *from_stage,
          const char         *to_stage,
          CpLead             *fields,
          const char * const *filled,
          const char         *reason)
{
  g_auto(CpWriteOutcome) outcome = { NULL, };
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;
  /* The store checks the move again, in the same transaction as the write. */
  if (!cp_lead_store_move (self->store, lead_id, from_stage, to_stage, fields, reason,
                           g_get_real_name (), &outcome, &error))
    {
      cp_window_add_toast (self, cp_toast_new_text (error->message));
      return;
    }
  toast_moved (self, lead_id, from_stage, to_stage, filled, &outcome);
}

static void
move_confirmed_cb (const char *lead_id,
                   const char *to_stage,
                   const char *reason,
                   gpointer    user_data)
{
  MoveRequest *request = user_data;
  CpWindow *self = request->window;
  g_autoptr(CpLead) lead = NULL;
  g_autoptr(GError) error = NULL;

  /* A stage picked in the dialog meets the playbook now, as a dropped
   * card did before: the fields it needs are asked for, reason kept. */
  if (request->to_stage == NULL && self->store != NULL)
    {
      lead = cp_lead_store_get (self->store, lead_id, &error);
      if (lead == NULL)
        {
          cp_window_add_toast (self, cp_toast_new_text (error->message));
          return;
        }
      /* A lead moved meanwhile is left to the store to refuse. */
      if (g_strcmp0 (cp_lead_get_stage (lead), request->from_stage) == 0 &&
          !explain_refused_move (self, lead, to_stage, reason))
        return;
    }
  run_move (self, lead_id, request->from_stage, to_stage, NULL, NULL, reason);
}

/* The fields the stage needed were typed in: they are saved with the
 * move, in one transaction, and the playbook checks the move with them. */
static void
move_with_fields_cb (const char         *lead_id,
                     const char         *to_stage,
                     const char         *reason,
                     const char * const *fields,
                     const char * const *values,
                     gpointer            user_data)
{
  MoveRequest *request = user_data;
  CpWindow *self = request->window;
  g_autoptr(CpLead) lead = NULL;
  g_autoptr(GError) error = NULL;

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
  if (lead == NULL || error != NULL)
    {
      cp_window_add_toast (self, cp_toast_new_text (error->message));
      return;
    }
  run_move (self, lead_id, request->from_stage, to_stage, lead, fields, reason);
}

static CpPlaybook *
window_playbook (CpWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return CP_IS_APPLICATION (app) ? cp_application_get_playbook (CP_APPLICATION (app)) : NULL;
}

/* Returns TRUE when the playbook allows the move; otherwise tells the user
 * why, in the playbook's words, and changes nothing. @reason, when the
 * user gave one already, goes into the form for missing fields. */
static gboolean
explain_refused_move (CpWindow   *self,
                      CpLead     *lead,
                      const char *to_stage,
                      const char *reason)
{
  g_autoptr(CpMoveCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  check = cp_lead_store_check_move (self->store, cp_lead_get_id (lead), to_stage, &error);
  if (check == NULL)
    {
      cp_window_add_toast (self, cp_toast_new_text (error->message));
      return FALSE;
    }
  if (check->verdict == CP_MOVE_ALLOWED)
    return TRUE;
  if (check->verdict == CP_MOVE_SAME_STAGE)
    return FALSE;

  /* Missing fields are asked for, then the move goes ahead. */
  if (check->verdict == CP_MOVE_MISSING_FIELDS && check->missing_fields != NULL)
    {
      GtkWindow *fields_dialog =
        cp_move_dialog_new_with_fields (GTK_WINDOW (self), lead, to_stage,
                                        (const char * const *) check->missing_fields,
                                        window_playbook (self), check->message, move_with_fields_cb,
                                        move_request_new (self, cp_lead_get_id (lead),
                                                          cp_lead_get_stage (lead), to_stage),
                                        move_request_free);
      cp_move_dialog_set_reason (CP_MOVE_DIALOG (fields_dialog), reason);
      gtk_window_present (fields_dialog);
      return FALSE;
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

  if (self->store == NULL || _cp_window_refuse_if_read_only (self))
    return;

  lead = cp_lead_store_get (self->store, lead_id, &error);
  if (lead == NULL)
    {
      cp_window_add_toast (self, cp_toast_new_text (error->message));
      return;
    }
  if (to_stage != NULL && g_strcmp0 (cp_lead_get_stage (lead), to_stage) == 0)
    return;  /* dropped back where it was */

  /* The playbook decides before anyone is asked for a reason. */
  if (to_stage != NULL && !explain_refused_move (self, lead, to_stage, NULL))
    return;

  stages = _cp_window_board_stages (self, &n_stages);
  dialog = cp_move_dialog_new (GTK_WINDOW (self), lead, stages, n_stages, to_stage, NULL,
                               move_confirmed_cb,
                               move_request_new (self, lead_id, cp_lead_get_stage (lead), to_stage),
                               move_request_free);
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
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  int moved;

  /* Each lead passes the playbook's check on its own, in the store, in
   * one transaction; the ones it refuses stay and are reported. */
  moved = cp_lead_store_move_stages (self->store, (const char * const *) request->ids, to_stage,
                                     reason, g_get_real_name (), &refused, &error);
  if (moved < 0)
    message = g_strdup_printf (_("Nothing was moved: %s"), error->message);
  else if (refused->len > 0)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Moved %d; %u lead stays where it is: %s",
                                            "Moved %d; %u leads stay where they are: %s",
                                            refused->len),
                               moved, refused->len,
                               ((CpLeadRefusal *) refused->pdata[0])->message);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Moved %d lead to %s",
                                            "Moved %d leads to %s", moved),
                               moved, cp_value_label (to_stage));
  cp_window_add_toast (self, cp_toast_new_text (message));
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

  if (self->store == NULL || _cp_window_refuse_if_read_only (self))
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
  cp_window_add_toast (request->window, cp_toast_new_text (message));
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

  if (self->store == NULL || _cp_window_refuse_if_read_only (self))
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
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL,
                                                             "string"));
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
