/* cp-move-dialog.c — ask where a lead moves and why
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One dialog, from ui/cp-move-dialog.ui, in three forms: the stage to
 * pick (or already chosen by a drop) and a reason; the same for a
 * selection; or the fields the target stage requires, then the reason. */
#define G_LOG_DOMAIN "cp-move-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-lead-format.h"
#include "cp-move-dialog.h"

struct _CpMoveDialog
{
  AdwMessageDialog      parent_instance;

  GtkGrid              *grid;
  GtkDropDown          *stage_dropdown;  /* NULL when the target is known */
  GtkWidget            *reason_label;
  GtkEditable          *reason_entry;

  char                 *lead_id;
  char                 *to_stage;
  GPtrArray            *stage_ids;       /* parallel to the dropdown's items */
  GStrv                 fields;          /* the fields there is an input for */
  GPtrArray            *inputs;          /* GtkEditable or GtkDropDown, parallel to fields */
  CpMoveDialogFunc      func;
  CpMoveWithFieldsFunc  fields_func;
  gpointer              user_data;
  GDestroyNotify        destroy;
};

G_DEFINE_FINAL_TYPE (CpMoveDialog, cp_move_dialog, ADW_TYPE_MESSAGE_DIALOG)

static const char *
chosen_stage (CpMoveDialog *self)
{
  if (self->stage_dropdown == NULL)
    return self->to_stage;

  return g_ptr_array_index (self->stage_ids, gtk_drop_down_get_selected (self->stage_dropdown));
}

static char *
dup_reason (CpMoveDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (self->reason_entry)));
}

/* The value of input @i, canonical for choice fields; NULL when empty. */
static char *
field_input_value (CpMoveDialog *self,
                   guint         i)
{
  GtkWidget *input = self->inputs->pdata[i];
  CpLeadField field;

  if (GTK_IS_DROP_DOWN (input))
    {
      guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (input));
      const char * const *ids = g_object_get_data (G_OBJECT (input), "cp-choice-ids");

      if (selected == 0 || selected == GTK_INVALID_LIST_POSITION ||
          !cp_lead_field_from_name (self->fields[i], &field))
        return NULL;
      if (ids != NULL)
        return g_strdup (ids[selected - 1]);
      return g_strdup (cp_lead_field_info (field)->choices[selected - 1]);
    }

  {
    g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (input))));
    return *text != '\0' ? g_steal_pointer (&text) : NULL;
  }
}

/* Every move carries a reason into the stage history (and the fields the
 * stage requires): Move stays insensitive until all are given. */
static void
update_move_enabled (CpMoveDialog *self)
{
  g_autofree char *reason = dup_reason (self);
  gboolean complete = *reason != '\0';

  for (guint i = 0; complete && i < self->inputs->len; i++)
    {
      g_autofree char *value = field_input_value (self, i);
      complete = value != NULL;
    }
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "move", complete);
}

/* Enter in any field of a move dialog confirms it, once it can: it
 * presses the default Move button, which also closes the dialog
 * (adw_message_dialog_response() alone would leave it open). */
static void
entry_activated_cb (GtkEntry     *entry,
                    CpMoveDialog *self)
{
  if (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (self), "move"))
    gtk_widget_activate_default (GTK_WIDGET (entry));
}

static void
response_cb (CpMoveDialog *self,
             const char   *response)
{
  g_autoptr(GPtrArray) values = NULL;
  g_autofree char *reason = NULL;

  if (g_strcmp0 (response, "move") != 0)
    return;

  reason = dup_reason (self);
  if (self->fields_func == NULL)
    {
      self->func (self->lead_id, chosen_stage (self), reason, self->user_data);
      return;
    }
  values = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->inputs->len; i++)
    g_ptr_array_add (values, field_input_value (self, i));
  g_ptr_array_add (values, NULL);
  self->fields_func (self->lead_id, self->to_stage, reason, (const char * const *) self->fields,
                     (const char * const *) values->pdata, self->user_data);
}

/* The message dialog puts the focus on a button when it is shown; the
 * user's first step is the field, so it goes there once shown. */
static void
dialog_mapped_cb (GtkWidget *first_field)
{
  gtk_widget_grab_focus (first_field);
}

static void
focus_when_shown (CpMoveDialog *self,
                  GtkWidget    *first_field)
{
  gtk_widget_grab_focus (first_field);
  g_signal_connect_object (self, "map", G_CALLBACK (dialog_mapped_cb), first_field,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
}

static void
cp_move_dialog_dispose (GObject *object)
{
  CpMoveDialog *self = CP_MOVE_DIALOG (object);

  if (self->destroy != NULL)
    self->destroy (self->user_data);
  self->destroy = NULL;
  self->user_data = NULL;

  G_OBJECT_CLASS (cp_move_dialog_parent_class)->dispose (object);
}

static void
cp_move_dialog_finalize (GObject *object)
{
  CpMoveDialog *self = CP_MOVE_DIALOG (object);

  g_free (self->lead_id);
  g_free (self->to_stage);
  g_ptr_array_unref (self->stage_ids);
  g_ptr_array_unref (self->inputs);
  g_strfreev (self->fields);

  G_OBJECT_CLASS (cp_move_dialog_parent_class)->finalize (object);
}

static void
cp_move_dialog_class_init (CpMoveDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_move_dialog_dispose;
  object_class->finalize = cp_move_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/cp-move-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CpMoveDialog, grid);
  gtk_widget_class_bind_template_child (widget_class, CpMoveDialog, stage_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CpMoveDialog, reason_label);
  gtk_widget_class_bind_template_child (widget_class, CpMoveDialog, reason_entry);
  gtk_widget_class_bind_template_callback (widget_class, update_move_enabled);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, response_cb);
}

static void
cp_move_dialog_init (CpMoveDialog *self)
{
  self->stage_ids = g_ptr_array_new ();
  self->inputs = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

static CpMoveDialog *
move_dialog_new (GtkWindow      *parent,
                 const char     *heading,
                 const char     *body,
                 const char     *lead_id,
                 const char     *to_stage,
                 gpointer        user_data,
                 GDestroyNotify  destroy)
{
  CpMoveDialog *self = g_object_new (CP_TYPE_MOVE_DIALOG, "transient-for", parent,
                                     "heading", heading, "body", body, NULL);

  self->lead_id = g_strdup (lead_id);
  self->to_stage = g_strdup (to_stage);
  self->user_data = user_data;
  self->destroy = destroy;
  return self;
}

/* The stage dropdown lists every stage but the lead's own, the one after
 * it chosen; with @to_stage known, its row goes. */
static void
fill_stages (CpMoveDialog       *self,
             const char         *current_stage,
             const CpBoardStage *stages,
             guint               n_stages,
             const char         *to_stage)
{
  g_autoptr(GtkStringList) names = NULL;
  guint selected = 0;

  if (to_stage != NULL)
    {
      gtk_grid_remove_row (self->grid, 0);
      self->stage_dropdown = NULL;
      return;
    }
  names = gtk_string_list_new (NULL);
  for (guint i = 0; i < n_stages; i++)
    {
      if (g_strcmp0 (stages[i].id, current_stage) == 0)
        continue;
      if (selected == 0 && i > 0 && g_strcmp0 (stages[i - 1].id, current_stage) == 0)
        selected = self->stage_ids->len;
      g_ptr_array_add (self->stage_ids, (gpointer) stages[i].id);
      gtk_string_list_append (names, stages[i].title);
    }
  gtk_drop_down_set_model (self->stage_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->stage_dropdown, selected);
}

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
  CpMoveDialog *self = move_dialog_new (parent, heading, body, lead_id, to_stage, user_data,
                                        destroy);

  self->func = func;
  fill_stages (self, current_stage, stages, n_stages, to_stage);
  if (default_reason != NULL)
    gtk_editable_set_text (self->reason_entry, default_reason);
  update_move_enabled (self);
  focus_when_shown (self, GTK_WIDGET (self->reason_entry));

  return GTK_WINDOW (self);
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

/* A widget into the grid at @column, @row, before the reason's label
 * in the order of the children (the order of the tab chain). */
static void
attach_before_reason (CpMoveDialog *self,
                      GtkWidget    *widget,
                      int           column,
                      int           row)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self->grid));
  GtkGridLayoutChild *child;

  gtk_widget_insert_before (widget, GTK_WIDGET (self->grid), self->reason_label);
  child = GTK_GRID_LAYOUT_CHILD (gtk_layout_manager_get_layout_child (layout, widget));
  gtk_grid_layout_child_set_column (child, column);
  gtk_grid_layout_child_set_row (child, row);
}

/* The playbook's closure reasons by title: only its own are accepted, and
 * a user cannot guess their ids. The ids go with the dropdown. */
static GtkWidget *
closure_reason_dropdown_new (CpPlaybook *playbook)
{
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  GtkWidget *dropdown;

  gtk_string_list_append (titles, _("Choose…"));
  for (guint i = 0; i < playbook->closure_reasons->len; i++)
    {
      const CpClosureReason *reason = playbook->closure_reasons->pdata[i];

      gtk_string_list_append (titles, reason->title != NULL ? reason->title : reason->id);
      g_strv_builder_add (ids, reason->id);
    }
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&titles)), NULL);
  g_object_set_data_full (G_OBJECT (dropdown), "cp-choice-ids", g_strv_builder_end (ids),
                          (GDestroyNotify) g_strfreev);
  return dropdown;
}

/* A labelled input per field the stage requires, above the reason. */
static void
add_field_inputs (CpMoveDialog       *self,
                  const char * const *missing_fields,
                  CpPlaybook         *playbook)
{
  g_autoptr(GStrvBuilder) fields = g_strv_builder_new ();

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

      if (field == CP_LEAD_FIELD_CLOSURE_REASON && playbook != NULL &&
          playbook->closure_reasons->len > 0)
        {
          input = closure_reason_dropdown_new (playbook);
          g_signal_connect_swapped (input, "notify::selected",
                                    G_CALLBACK (update_move_enabled), self);
        }
      else if (info->type == CP_FIELD_TYPE_CHOICE && info->choices != NULL)
        {
          GtkStringList *labels = gtk_string_list_new (NULL);

          gtk_string_list_append (labels, _("Choose…"));
          for (guint c = 0; info->choices[c] != NULL; c++)
            {
              g_autofree char *choice = cp_dup_choice_label (info->choices[c]);

              gtk_string_list_append (labels, choice);
            }
          input = gtk_drop_down_new (G_LIST_MODEL (labels), NULL);
          g_signal_connect_swapped (input, "notify::selected",
                                    G_CALLBACK (update_move_enabled), self);
        }
      else
        {
          input = gtk_entry_new ();
          g_signal_connect_swapped (input, "changed", G_CALLBACK (update_move_enabled), self);
          g_signal_connect (input, "activate", G_CALLBACK (entry_activated_cb), self);
        }
      gtk_widget_set_hexpand (input, TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (input), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(info->label), -1);
      gtk_grid_insert_row (self->grid, self->inputs->len);
      attach_before_reason (self, label, 0, self->inputs->len);
      attach_before_reason (self, input, 1, self->inputs->len);
      /* The ids of the fields there is an input for, in input order. */
      g_strv_builder_add (fields, missing_fields[i]);
      g_ptr_array_add (self->inputs, input);
    }
  self->fields = g_strv_builder_end (fields);
}

/**
 * cp_move_dialog_new_with_fields:
 * @missing_fields: canonical ids of the fields the stage requires
 * @playbook: (nullable): the playbook, whose closure reasons are offered
 *   by title for a closure reason
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
                                CpPlaybook           *playbook,
                                const char           *explanation,
                                CpMoveWithFieldsFunc  func,
                                gpointer              user_data,
                                GDestroyNotify        destroy)
{
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;
  CpMoveDialog *self;

  g_return_val_if_fail (CP_IS_LEAD (lead), NULL);
  g_return_val_if_fail (missing_fields != NULL, NULL);

  name = cp_lead_dup_display_name (lead);
  heading = g_strdup_printf (_("Move %s to %s"), name, cp_value_label (to_stage));
  self = move_dialog_new (parent, heading, explanation, cp_lead_get_id (lead), to_stage,
                          user_data, destroy);
  self->fields_func = func;

  gtk_grid_remove_row (self->grid, 0);
  self->stage_dropdown = NULL;
  gtk_grid_set_row_spacing (self->grid, 8);
  gtk_widget_set_visible (self->reason_label, TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->reason_entry), _("Why the lead moves"));
  add_field_inputs (self, missing_fields, playbook);
  adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (self), "move", _("_Save and Move"));
  update_move_enabled (self);
  /* Focus starts on the first field to fill in. */
  focus_when_shown (self, self->inputs->len > 0 ? self->inputs->pdata[0]
                                                : GTK_WIDGET (self->reason_entry));

  return GTK_WINDOW (self);
}

/**
 * cp_move_dialog_set_reason:
 * @reason: (nullable): the reason the user already gave
 *
 * Fills in the reason, so a user asked again (for the fields a stage
 * needs) does not type it twice.
 */
void
cp_move_dialog_set_reason (CpMoveDialog *self,
                           const char   *reason)
{
  g_return_if_fail (CP_IS_MOVE_DIALOG (self));

  gtk_editable_set_text (self->reason_entry, reason != NULL ? reason : "");
  update_move_enabled (self);
}
