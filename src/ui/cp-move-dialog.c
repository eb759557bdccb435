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

/* Enter in any field of a move dialog confirms it, once it can: it
 * presses the default Move button, which also closes the dialog
 * (adw_message_dialog_response() alone would leave it open). */
static void
entry_activated_cb (GtkEntry         *entry,
                    AdwMessageDialog *dialog)
{
  if (adw_message_dialog_get_response_enabled (dialog, "move"))
    gtk_widget_activate_default (GTK_WIDGET (entry));
}

/* The message dialog puts the focus on a button when it is shown; the
 * user's first step is the field, so it goes there once shown. */
static void
dialog_mapped_cb (GtkWidget *first_field)
{
  gtk_widget_grab_focus (first_field);
}

static void
focus_when_shown (AdwMessageDialog *dialog,
                  GtkWidget        *first_field)
{
  gtk_widget_grab_focus (first_field);
  g_signal_connect_object (dialog, "map", G_CALLBACK (dialog_mapped_cb), first_field,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
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
  g_signal_connect (entry, "activate", G_CALLBACK (entry_activated_cb), dialog);
  g_signal_connect_data (dialog, "response", G_CALLBACK (response_cb), request,
                         move_request_closure_notify, 0);
  focus_when_shown (dialog, entry);

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

typedef struct
{
  char                 *lead_id;
  char                 *to_stage;
  GStrv                 fields;
  GPtrArray            *inputs;   /* GtkEditable or GtkDropDown, parallel to fields */
  GtkEditable          *reason_entry;
  CpMoveWithFieldsFunc  func;
  gpointer              user_data;
  GDestroyNotify        destroy;
} FieldsRequest;

static void
fields_request_free (gpointer  data,
                     GClosure *closure)
{
  FieldsRequest *request = data;

  if (request->destroy != NULL)
    request->destroy (request->user_data);
  g_free (request->lead_id);
  g_free (request->to_stage);
  g_strfreev (request->fields);
  g_ptr_array_unref (request->inputs);
  g_free (request);
}

/* The value of input @i, canonical for choice fields; NULL when empty. */
static char *
field_input_value (FieldsRequest *request,
                   guint          i)
{
  GtkWidget *input = request->inputs->pdata[i];
  CpLeadField field;

  if (GTK_IS_DROP_DOWN (input))
    {
      guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (input));

      if (selected == 0 || selected == GTK_INVALID_LIST_POSITION ||
          !cp_lead_field_from_name (request->fields[i], &field))
        return NULL;
      return g_strdup (cp_lead_field_info (field)->choices[selected - 1]);
    }

  {
    g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (input))));
    return *text != '\0' ? g_steal_pointer (&text) : NULL;
  }
}

static void
fields_changed_cb (GtkWidget        *widget,
                   AdwMessageDialog *dialog)
{
  FieldsRequest *request = g_object_get_data (G_OBJECT (dialog), "cp-request");
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (request->reason_entry)));
  gboolean complete = *reason != '\0';

  for (guint i = 0; complete && i < request->inputs->len; i++)
    {
      g_autofree char *value = field_input_value (request, i);
      complete = value != NULL;
    }

  adw_message_dialog_set_response_enabled (dialog, "move", complete);
}

static void
fields_dropdown_changed_cb (GtkDropDown      *dropdown,
                            GParamSpec       *pspec,
                            AdwMessageDialog *dialog)
{
  fields_changed_cb (GTK_WIDGET (dropdown), dialog);
}

static void
fields_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    FieldsRequest    *request)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *reason = NULL;

  if (g_strcmp0 (response, "move") != 0)
    return;

  for (guint i = 0; i < request->inputs->len; i++)
    g_ptr_array_add (values, field_input_value (request, i));
  g_ptr_array_add (values, NULL);
  reason = g_strstrip (g_strdup (gtk_editable_get_text (request->reason_entry)));
  request->func (request->lead_id, request->to_stage, reason,
                 (const char * const *) request->fields,
                 (const char * const *) values->pdata, request->user_data);
}

/**
 * cp_move_dialog_new_with_fields:
 * @missing_fields: canonical ids of the fields the stage requires
 * @explanation: the playbook's words for what is missing
 *
 * Asks for exactly the fields the target stage needs, and a reason; Move
 * stays insensitive until all are given.
 */
GtkWindow *
cp_move_dialog_new_with_fields (GtkWindow            *parent,
                                CpLead               *lead,
                                const char           *to_stage,
                                const char * const   *missing_fields,
                                const char           *explanation,
                                CpMoveWithFieldsFunc  func,
                                gpointer              user_data,
                                GDestroyNotify        destroy)
{
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;
  FieldsRequest *request;
  g_autoptr(GStrvBuilder) fields = NULL;
  GtkWidget *grid;
  guint row = 0;

  g_return_val_if_fail (CP_IS_LEAD (lead), NULL);
  g_return_val_if_fail (missing_fields != NULL, NULL);

  request = g_new0 (FieldsRequest, 1);
  request->lead_id = g_strdup (cp_lead_get_id (lead));
  request->to_stage = g_strdup (to_stage);
  request->inputs = g_ptr_array_new ();
  request->func = func;
  request->user_data = user_data;
  request->destroy = destroy;

  name = cp_lead_dup_display_name (lead);
  heading = g_strdup_printf (_("Move %s to %s"), name, cp_value_label (to_stage));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, explanation));
  g_object_set_data (G_OBJECT (dialog), "cp-request", request);

  fields = g_strv_builder_new ();
  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  for (guint i = 0; missing_fields[i] != NULL; i++)
    {
      CpLeadField field;
      const CpFieldInfo *info;
      GtkWidget *label;
      GtkWidget *input;

      if (!cp_lead_field_from_name (missing_fields[i], &field))
        continue;
      info = cp_lead_field_info (field);
      label = gtk_label_new (_(info->label));
      gtk_label_set_xalign (GTK_LABEL (label), 1.0);
      gtk_widget_add_css_class (label, "dim-label");

      if (info->type == CP_FIELD_TYPE_CHOICE && info->choices != NULL)
        {
          GtkStringList *labels = gtk_string_list_new (NULL);

          gtk_string_list_append (labels, _("Choose…"));
          for (guint c = 0; info->choices[c] != NULL; c++)
            gtk_string_list_append (labels, cp_value_label (info->choices[c]));
          input = gtk_drop_down_new (G_LIST_MODEL (labels), NULL);
          g_signal_connect (input, "notify::selected", G_CALLBACK (fields_dropdown_changed_cb), dialog);
        }
      else
        {
          input = gtk_entry_new ();
          g_signal_connect (input, "changed", G_CALLBACK (fields_changed_cb), dialog);
          g_signal_connect (input, "activate", G_CALLBACK (entry_activated_cb), dialog);
        }
      gtk_widget_set_hexpand (input, TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (input), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(info->label), -1);
      gtk_grid_attach (GTK_GRID (grid), label, 0, row, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), input, 1, row, 1, 1);
      /* The ids of the fields there is an input for, in input order. */
      g_strv_builder_add (fields, missing_fields[i]);
      g_ptr_array_add (request->inputs, input);
      row++;
    }
  request->fields = g_strv_builder_end (fields);

  {
    GtkWidget *label = gtk_label_new (_("Reason"));
    GtkWidget *entry = gtk_entry_new ();

    gtk_label_set_xalign (GTK_LABEL (label), 1.0);
    gtk_widget_add_css_class (label, "dim-label");
    gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Why the lead moves"));
    gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Reason for the move"), -1);
    request->reason_entry = GTK_EDITABLE (entry);
    g_signal_connect (entry, "changed", G_CALLBACK (fields_changed_cb), dialog);
    g_signal_connect (entry, "activate", G_CALLBACK (entry_activated_cb), dialog);
    gtk_grid_attach (GTK_GRID (grid), label, 0, row, 1, 1);
    gtk_grid_attach (GTK_GRID (grid), entry, 1, row, 1, 1);
  }
  adw_message_dialog_set_extra_child (dialog, grid);

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "move", _("_Save and Move"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "move", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "move");
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_enabled (dialog, "move", FALSE);
  g_signal_connect_data (dialog, "response", G_CALLBACK (fields_response_cb), request,
                         fields_request_free, 0);
  /* Focus starts on the first field to fill in. */
  if (request->inputs->len > 0)
    focus_when_shown (dialog, request->inputs->pdata[0]);
  else
    focus_when_shown (dialog, GTK_WIDGET (request->reason_entry));

  return GTK_WINDOW (dialog);
}
