/* cp-rule-dialog.c — a scoring rule: what it says, its points, and its condition
 *
 * The condition builder is three rows: what is looked at (a lead field or
 * recent activity), how it is compared (only the operators its type
 * allows), and the value, with the widget that fits: the choices of a
 * choice field, a number, yes or no, days, or text. A condition with
 * several parts, written in the playbook file, is shown as text and kept
 * unless the user builds a new one. The rule is saved through the
 * playbook editor, which checks it; its error is shown in the dialog.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-rule-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-condition-form.h"
#include "cp-lead-format.h"
#include "cp-rule-dialog.h"

/* The builder's "no condition" item, offered for routing rules. */
#define FIELD_ALWAYS (CP_LEAD_N_FIELDS + 1)

struct _CpRuleDialog
{
  AdwWindow         parent_instance;

  gboolean          routing;        /* a routing rule, not a scoring rule */
  AdwComboRow      *queue_row;
  GStrv             queue_ids;
  CpPlaybookEditor *editor;
  char             *rule_id;        /* (nullable) a new rule */
  CpCondition      *kept;           /* (nullable) a condition the form cannot show */
  gboolean          built;          /* the user touched the builder */
  GArray           *fields;         /* CpLeadField per field row item; CP_CONDITION_FORM_ACTIVITY first */
  GArray           *ops;            /* CpConditionOp per operator item */

  GtkWidget        *save_button;
  AdwEntryRow      *description_row;
  AdwComboRow      *category_row;
  GtkSpinButton    *points;
  GtkSwitch        *decay;
  AdwPreferencesGroup *condition_group;
  AdwActionRow     *kept_row;
  AdwComboRow      *field_row;
  AdwComboRow      *op_row;
  GtkWidget        *value_row;      /* changes with the field */
  GtkWidget        *value_widget;   /* GtkDropDown, GtkSpinButton, GtkSwitch or the entry row */
  GtkSpinButton    *days;           /* activity: within the last N days */
  AdwActionRow     *days_row;
  GtkLabel         *error_label;
};

G_DEFINE_FINAL_TYPE (CpRuleDialog, cp_rule_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_SAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

static CpLeadField
chosen_field (CpRuleDialog *self)
{
  guint i = adw_combo_row_get_selected (self->field_row);

  return i < self->fields->len ? g_array_index (self->fields, CpLeadField, i) : CP_CONDITION_FORM_ACTIVITY;
}

static CpConditionOp
chosen_op (CpRuleDialog *self)
{
  guint i = adw_combo_row_get_selected (self->op_row);

  return i < self->ops->len ? g_array_index (self->ops, CpConditionOp, i) : CP_OP_EQ;
}

static void
show_error (CpRuleDialog *self,
            const char   *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_save (CpRuleDialog *self)
{
  g_autofree char *description = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->description_row))));

  gtk_widget_set_sensitive (self->save_button, *description != '\0');
}

static GtkWidget *
suffix_row (const char *title,
            GtkWidget  *suffix)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), suffix);
  return row;
}

/* The value row for the chosen field and operator. */
static void
rebuild_value (CpRuleDialog *self)
{
  CpLeadField field = chosen_field (self);
  CpConditionOp op = chosen_op (self);

  if (self->value_row != NULL)
    adw_preferences_group_remove (self->condition_group, self->value_row);
  self->value_row = NULL;
  self->value_widget = NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->days_row), FALSE);

  if (field == (CpLeadField) FIELD_ALWAYS)
    return;
  if (field == CP_CONDITION_FORM_ACTIVITY)
    {
      GtkWidget *count = gtk_spin_button_new_with_range (1, 100, 1);

      self->value_row = suffix_row (_("At least this many times"), count);
      self->value_widget = count;
      gtk_widget_set_visible (GTK_WIDGET (self->days_row), TRUE);
    }
  else if (!cp_condition_form_op_takes_value (op))
    return;
  else
    {
      const CpFieldInfo *info = cp_lead_field_info (field);

      switch (info->type)
        {
        case CP_FIELD_TYPE_CHOICE:
          {
            GtkWidget *row = adw_combo_row_new ();
            g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

            for (guint i = 0; info->choices[i] != NULL; i++)
              gtk_string_list_append (list, cp_value_label (info->choices[i]));
            adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Value"));
            adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
            self->value_row = row;
            self->value_widget = row;
          }
          break;
        case CP_FIELD_TYPE_INT:
        case CP_FIELD_TYPE_DATETIME:
          {
            GtkWidget *spin = gtk_spin_button_new_with_range (0, 100000, 1);

            self->value_row = suffix_row (info->type == CP_FIELD_TYPE_DATETIME ? _("Days") : _("Value"), spin);
            self->value_widget = spin;
          }
          break;
        case CP_FIELD_TYPE_BOOL:
          {
            GtkWidget *toggle = gtk_switch_new ();

            gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
            self->value_row = suffix_row (_("Yes"), toggle);
            self->value_widget = toggle;
          }
          break;
        case CP_FIELD_TYPE_TEXT:
        default:
          self->value_row = adw_entry_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->value_row), _("Value"));
          self->value_widget = self->value_row;
          break;
        }
    }
  adw_preferences_group_add (self->condition_group, self->value_row);
  /* Keep the days row last. */
  g_object_ref (self->days_row);
  adw_preferences_group_remove (self->condition_group, GTK_WIDGET (self->days_row));
  adw_preferences_group_add (self->condition_group, GTK_WIDGET (self->days_row));
  g_object_unref (self->days_row);
}

static void
rebuild_ops (CpRuleDialog *self)
{
  CpLeadField field = chosen_field (self);
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  g_array_set_size (self->ops, 0);
  if (field == (CpLeadField) FIELD_ALWAYS)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->op_row), FALSE);
      adw_combo_row_set_model (self->op_row, G_LIST_MODEL (list));
      rebuild_value (self);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->op_row), TRUE);
  if (field == CP_CONDITION_FORM_ACTIVITY)
    {
      /* The second row chooses the kind: item i is CpActivityKind i. */
      for (CpActivityKind kind = 0; kind < CP_ACTIVITY_N_KINDS; kind++)
        gtk_string_list_append (list, cp_activity_kind_label (kind));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->op_row), _("Activity"));
    }
  else
    {
      guint n = 0;
      const CpConditionOp *ops = cp_condition_form_ops (field, &n);

      g_array_append_vals (self->ops, ops, n);
      for (guint i = 0; i < n; i++)
        gtk_string_list_append (list, cp_condition_form_op_label (ops[i]));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->op_row), _("Comparison"));
    }
  adw_combo_row_set_model (self->op_row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (self->op_row, 0);
  rebuild_value (self);
}

static void
field_changed_cb (CpRuleDialog *self)
{
  self->built = TRUE;
  rebuild_ops (self);
}

static void
op_changed_cb (CpRuleDialog *self)
{
  self->built = TRUE;
  rebuild_value (self);
}

/* The condition as built, or the kept one. */
static CpCondition *
build_condition (CpRuleDialog  *self,
                 GError       **error)
{
  CpLeadField field = chosen_field (self);
  CpConditionOp op = chosen_op (self);

  if (self->kept != NULL && !self->built)
    return cp_condition_copy (self->kept);
  if (field == (CpLeadField) FIELD_ALWAYS)
    return NULL;   /* no condition, no error: always */
  if (field == CP_CONDITION_FORM_ACTIVITY)
    return cp_condition_form_build_activity ((CpActivityKind) adw_combo_row_get_selected (self->op_row),
                                             (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->value_widget)),
                                             (guint) gtk_spin_button_get_value_as_int (self->days),
                                             error);
  if (self->value_widget == NULL)
    return cp_condition_form_build (field, op, NULL, 0, error);
  if (ADW_IS_COMBO_ROW (self->value_widget))
    {
      guint i = adw_combo_row_get_selected (ADW_COMBO_ROW (self->value_widget));
      const char * const *choices = cp_lead_field_info (field)->choices;

      return cp_condition_form_build (field, op, i != GTK_INVALID_LIST_POSITION ? choices[i] : NULL, 0, error);
    }
  if (GTK_IS_SPIN_BUTTON (self->value_widget))
    return cp_condition_form_build (field, op, NULL,
                                    gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->value_widget)), error);
  if (GTK_IS_SWITCH (self->value_widget))
    return cp_condition_form_build (field, op,
                                    gtk_switch_get_active (GTK_SWITCH (self->value_widget)) ? "true" : "false",
                                    0, error);
  return cp_condition_form_build (field, op, gtk_editable_get_text (GTK_EDITABLE (self->value_widget)), 0,
                                  error);
}

static void
save_clicked_cb (CpRuleDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpCondition) condition = build_condition (self, &error);
  g_autofree char *id = NULL;
  int points = gtk_spin_button_get_value_as_int (self->points);

  if (condition == NULL && error != NULL)
    {
      show_error (self, error->message);
      return;
    }
  if (self->routing)
    {
      guint queue = adw_combo_row_get_selected (self->queue_row);

      id = cp_playbook_editor_save_route (self->editor, self->rule_id,
                                          gtk_editable_get_text (GTK_EDITABLE (self->description_row)),
                                          condition,
                                          queue < g_strv_length (self->queue_ids) ? self->queue_ids[queue] : NULL,
                                          &error);
    }
  else
    id = cp_playbook_editor_save_rule (self->editor, self->rule_id,
                                     gtk_editable_get_text (GTK_EDITABLE (self->description_row)),
                                     (CpScoreCategory) adw_combo_row_get_selected (self->category_row),
                                     points, gtk_switch_get_active (self->decay), condition, &error);
  if (id == NULL)
    {
      show_error (self, error->message);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, id);
  gtk_window_close (GTK_WINDOW (self));
}

static void
cp_rule_dialog_dispose (GObject *object)
{
  CpRuleDialog *self = CP_RULE_DIALOG (object);

  g_clear_object (&self->editor);
  g_clear_pointer (&self->rule_id, g_free);
  g_clear_pointer (&self->kept, cp_condition_free);
  g_clear_pointer (&self->queue_ids, g_strfreev);
  g_clear_pointer (&self->fields, g_array_unref);
  g_clear_pointer (&self->ops, g_array_unref);

  G_OBJECT_CLASS (cp_rule_dialog_parent_class)->dispose (object);
}

static void
cp_rule_dialog_class_init (CpRuleDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cp_rule_dialog_dispose;
  /**
   * CpRuleDialog::saved:
   * @rule_id: the rule saved in the draft
   */
  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cp_rule_dialog_init (CpRuleDialog *self)
{
  self->fields = g_array_new (FALSE, FALSE, sizeof (CpLeadField));
  self->ops = g_array_new (FALSE, FALSE, sizeof (CpConditionOp));
}

static void
build (CpRuleDialog *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *rule_group = adw_preferences_group_new ();
  g_autoptr(GtkStringList) categories = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) fields = gtk_string_list_new (NULL);
  GtkWidget *points = gtk_spin_button_new_with_range (-100, 100, 1);
  GtkWidget *decay = gtk_switch_new ();
  GtkWidget *days = gtk_spin_button_new_with_range (0, 3650, 1);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (save_clicked_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  gtk_box_append (GTK_BOX (content), header);

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_margin_top (GTK_WIDGET (self->error_label), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self->error_label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->error_label), 12);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->error_label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Problem"), -1);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->error_label));

  self->description_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->description_row), _("Description"));
  g_signal_connect_swapped (self->description_row, "changed", G_CALLBACK (update_save), self);
  self->category_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->category_row), _("Category"));
  for (CpScoreCategory c = 0; c < CP_SCORE_N_CATEGORIES; c++)
    {
      g_autofree char *label = cp_humanize_id (cp_score_category_to_string (c));
      gtk_string_list_append (categories, label);
    }
  adw_combo_row_set_model (self->category_row, G_LIST_MODEL (categories));
  self->points = GTK_SPIN_BUTTON (points);
  gtk_spin_button_set_value (self->points, 5);
  self->decay = GTK_SWITCH (decay);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (rule_group), GTK_WIDGET (self->description_row));
  if (self->routing)
    {
      CpPlaybook *playbook = cp_playbook_editor_get_playbook (self->editor);
      g_autoptr(GtkStringList) queues = gtk_string_list_new (NULL);
      g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

      for (guint i = 0; i < playbook->queues->len; i++)
        {
          const CpQueue *queue = playbook->queues->pdata[i];

          g_strv_builder_add (ids, queue->id);
          gtk_string_list_append (queues, queue->title != NULL ? queue->title : queue->id);
        }
      self->queue_ids = g_strv_builder_end (ids);
      self->queue_row = ADW_COMBO_ROW (adw_combo_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->queue_row), _("Sends Leads To"));
      adw_combo_row_set_model (self->queue_row, G_LIST_MODEL (queues));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (rule_group), GTK_WIDGET (self->queue_row));
    }
  else
    {
      GtkWidget *row = suffix_row (_("Decays with age"), decay);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (rule_group), GTK_WIDGET (self->category_row));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (rule_group), suffix_row (_("Points (negative to subtract)"), points));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("For engagement: the points halve every half-life"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (rule_group), row);
    }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (rule_group));

  self->condition_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->condition_group, self->routing ? _("Applies When") : _("Counts When"));
  self->kept_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->kept_row), _("Condition from the playbook file"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->kept_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->kept_row), FALSE);
  adw_preferences_group_add (self->condition_group, GTK_WIDGET (self->kept_row));

  self->field_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->field_row), _("Looks at"));
  if (self->routing)
    {
      CpLeadField always = (CpLeadField) FIELD_ALWAYS;

      g_array_append_val (self->fields, always);
      gtk_string_list_append (fields, _("Every lead (no condition)"));
    }
  {
    CpLeadField activity = CP_CONDITION_FORM_ACTIVITY;

    g_array_append_val (self->fields, activity);
    gtk_string_list_append (fields, _("Recent activity"));
  }
  for (CpLeadField f = 0; f < CP_LEAD_N_FIELDS; f++)
    {
      g_array_append_val (self->fields, f);
      gtk_string_list_append (fields, _(cp_lead_field_info (f)->label));
    }
  adw_combo_row_set_model (self->field_row, G_LIST_MODEL (fields));
  adw_preferences_group_add (self->condition_group, GTK_WIDGET (self->field_row));
  self->op_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_group_add (self->condition_group, GTK_WIDGET (self->op_row));
  self->days = GTK_SPIN_BUTTON (days);
  gtk_spin_button_set_value (self->days, 60);
  self->days_row = ADW_ACTION_ROW (suffix_row (_("In the last … days (0: ever)"), days));
  adw_preferences_group_add (self->condition_group, GTK_WIDGET (self->days_row));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), self->condition_group);

  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (content), page);
  adw_window_set_content (ADW_WINDOW (self), content);
}

static void
select_field (CpRuleDialog *self,
              CpLeadField   field)
{
  for (guint i = 0; i < self->fields->len; i++)
    if (g_array_index (self->fields, CpLeadField, i) == field)
      adw_combo_row_set_selected (self->field_row, i);
  rebuild_ops (self);
}

static void
select_op (CpRuleDialog  *self,
           CpConditionOp  op)
{
  for (guint i = 0; i < self->ops->len; i++)
    if (g_array_index (self->ops, CpConditionOp, i) == op)
      adw_combo_row_set_selected (self->op_row, i);
  rebuild_value (self);
}

/* Shows @condition in the builder when it can; otherwise keeps it as text. */
static void
show_condition (CpRuleDialog      *self,
                const CpCondition *condition)
{
  if (condition == NULL)
    {
      select_field (self, self->routing && self->rule_id != NULL ? (CpLeadField) FIELD_ALWAYS
                                                                  : CP_LEAD_FIELD_SERVICE_LINE);
      return;
    }
  if (!cp_condition_form_can_edit (condition))
    {
      g_autofree char *text = cp_condition_to_string (condition);

      self->kept = cp_condition_copy (condition);
      adw_action_row_set_subtitle (self->kept_row, text);
      gtk_widget_set_visible (GTK_WIDGET (self->kept_row), TRUE);
      adw_preferences_group_set_description (self->condition_group,
                                             _("This condition has several parts. It is kept unless "
                                               "you build a new one below."));
      select_field (self, CP_LEAD_FIELD_SERVICE_LINE);
      return;
    }
  if (condition->type == CP_CONDITION_ACTIVITY)
    {
      CpActivityKind kind = (CpActivityKind) g_bit_nth_lsf (condition->kind_mask, -1);

      select_field (self, CP_CONDITION_FORM_ACTIVITY);
      adw_combo_row_set_selected (self->op_row, kind);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->value_widget), MAX (condition->min_count, 1));
      gtk_spin_button_set_value (self->days, condition->days);
      return;
    }
  select_field (self, condition->field);
  select_op (self, condition->op);
  if (self->value_widget == NULL)
    return;
  if (ADW_IS_COMBO_ROW (self->value_widget) && condition->values != NULL)
    {
      const char * const *choices = cp_lead_field_info (condition->field)->choices;

      for (guint i = 0; choices[i] != NULL; i++)
        if (g_str_equal (choices[i], condition->values[0]))
          adw_combo_row_set_selected (ADW_COMBO_ROW (self->value_widget), i);
    }
  else if (GTK_IS_SPIN_BUTTON (self->value_widget))
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->value_widget), condition->number);
  else if (GTK_IS_SWITCH (self->value_widget))
    gtk_switch_set_active (GTK_SWITCH (self->value_widget), condition->number != 0);
  else if (condition->values != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->value_widget), condition->values[0]);
}

/**
 * cp_rule_dialog_new:
 * @rule_id: (nullable): the scoring rule to edit, or %NULL for a new one
 * @category: the category of a new rule
 *
 * Returns: (transfer floating): the dialog
 */
CpRuleDialog *
cp_rule_dialog_new (GtkWindow        *parent,
                    CpPlaybookEditor *editor,
                    const char       *rule_id,
                    CpScoreCategory   category)
{
  CpRuleDialog *self;
  CpPlaybook *playbook = cp_playbook_editor_get_playbook (editor);
  const CpScoreRule *rule = NULL;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (editor), NULL);

  for (guint i = 0; rule_id != NULL && i < playbook->scoring.rules->len; i++)
    if (g_strcmp0 (((CpScoreRule *) playbook->scoring.rules->pdata[i])->id, rule_id) == 0)
      rule = playbook->scoring.rules->pdata[i];

  self = g_object_new (CP_TYPE_RULE_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "default-width", 560,
                       "default-height", 640,
                       "title", rule != NULL ? _("Edit Scoring Rule") : _("New Scoring Rule"),
                       NULL);
  self->editor = g_object_ref (editor);
  self->rule_id = rule != NULL ? g_strdup (rule->id) : NULL;
  build (self);

  if (rule != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->description_row), rule->description != NULL ? rule->description : "");
      adw_combo_row_set_selected (self->category_row, rule->category);
      gtk_spin_button_set_value (self->points, rule->points);
      gtk_switch_set_active (self->decay, rule->decay);
      show_condition (self, rule->condition);
    }
  else
    {
      adw_combo_row_set_selected (self->category_row, category);
      show_condition (self, NULL);
    }
  self->built = FALSE;
  g_signal_connect_swapped (self->field_row, "notify::selected", G_CALLBACK (field_changed_cb), self);
  g_signal_connect_swapped (self->op_row, "notify::selected", G_CALLBACK (op_changed_cb), self);
  update_save (self);
  return self;
}

/**
 * cp_rule_dialog_new_route:
 * @route_id: (nullable): the routing rule to edit, or %NULL for a new one
 *
 * Returns: (transfer floating): the dialog for a routing rule: its
 *   description, its queue and when it applies
 */
CpRuleDialog *
cp_rule_dialog_new_route (GtkWindow        *parent,
                          CpPlaybookEditor *editor,
                          const char       *route_id)
{
  CpRuleDialog *self;
  CpPlaybook *playbook = cp_playbook_editor_get_playbook (editor);
  const CpRouteRule *rule = NULL;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (editor), NULL);

  for (guint i = 0; route_id != NULL && i < playbook->route_rules->len; i++)
    if (g_strcmp0 (((CpRouteRule *) playbook->route_rules->pdata[i])->id, route_id) == 0)
      rule = playbook->route_rules->pdata[i];

  self = g_object_new (CP_TYPE_RULE_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "default-width", 560,
                       "default-height", 560,
                       "title", rule != NULL ? _("Edit Routing Rule") : _("New Routing Rule"),
                       NULL);
  self->editor = g_object_ref (editor);
  self->routing = TRUE;
  self->rule_id = rule != NULL ? g_strdup (rule->id) : NULL;
  build (self);
  if (rule != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->description_row), rule->description != NULL ? rule->description : "");
      for (guint i = 0; self->queue_ids[i] != NULL; i++)
        if (g_strcmp0 (self->queue_ids[i], rule->queue) == 0)
          adw_combo_row_set_selected (self->queue_row, i);
    }
  show_condition (self, rule != NULL ? rule->condition : NULL);
  self->built = FALSE;
  g_signal_connect_swapped (self->field_row, "notify::selected", G_CALLBACK (field_changed_cb), self);
  g_signal_connect_swapped (self->op_row, "notify::selected", G_CALLBACK (op_changed_cb), self);
  update_save (self);
  return self;
}

/* Tests: the queue chosen (routing rules). */
AdwComboRow *
cp_rule_dialog_get_queue_row (CpRuleDialog *self)
{
  g_return_val_if_fail (CP_IS_RULE_DIALOG (self), NULL);
  return self->queue_row;
}

/* Tests: the builder's rows. */
AdwComboRow *
cp_rule_dialog_get_field_row (CpRuleDialog *self)
{
  g_return_val_if_fail (CP_IS_RULE_DIALOG (self), NULL);
  return self->field_row;
}

AdwComboRow *
cp_rule_dialog_get_op_row (CpRuleDialog *self)
{
  g_return_val_if_fail (CP_IS_RULE_DIALOG (self), NULL);
  return self->op_row;
}

/* Returns: (transfer none) (nullable): the value's widget for the chosen field and operator */
GtkWidget *
cp_rule_dialog_get_value_widget (CpRuleDialog *self)
{
  g_return_val_if_fail (CP_IS_RULE_DIALOG (self), NULL);
  return self->value_widget;
}

AdwEntryRow *
cp_rule_dialog_get_description_row (CpRuleDialog *self)
{
  g_return_val_if_fail (CP_IS_RULE_DIALOG (self), NULL);
  return self->description_row;
}

GtkSpinButton *
cp_rule_dialog_get_points (CpRuleDialog *self)
{
  g_return_val_if_fail (CP_IS_RULE_DIALOG (self), NULL);
  return self->points;
}

GtkWidget *
cp_rule_dialog_get_save_button (CpRuleDialog *self)
{
  g_return_val_if_fail (CP_IS_RULE_DIALOG (self), NULL);
  return self->save_button;
}

/* Returns: the error shown, or %NULL */
const char *
cp_rule_dialog_get_error (CpRuleDialog *self)
{
  g_return_val_if_fail (CP_IS_RULE_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_text (self->error_label) : NULL;
}
