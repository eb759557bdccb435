/* cp-condition-builder.c — one condition as rows: what is looked at, how it compares, the value
 *
 * The first row chooses a lead field or recent activity (and, where a rule
 * may apply to every lead, "no condition"); the second only the operators
 * the field's type allows, or the kind of activity; the third the value,
 * with the widget that fits: the choices of a choice field, a number, yes
 * or no, days, or text. A condition with several parts, written in the
 * playbook file, is shown as text and kept unless the user builds a new
 * one. What the rows mean is cp-condition-form's; this widget only asks.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-condition-builder"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-condition-builder.h"
#include "cp-condition-form.h"
#include "cp-lead-format.h"
#include "cp-lead-store.h"

/* The "no condition" item, offered when a rule may apply to every lead. */
#define FIELD_ALWAYS (CP_LEAD_N_FIELDS + 1)

struct _CpConditionBuilder
{
  AdwPreferencesGroup parent_instance;

  gboolean          allow_always;
  CpCondition      *kept;           /* (nullable) a condition the rows cannot show */
  gboolean          built;          /* the user touched the rows */
  GArray           *fields;         /* CpLeadField per item of the first row */
  GArray           *ops;            /* CpConditionOp per item of the second row */
  AdwActionRow     *kept_row;
  AdwComboRow      *field_row;
  AdwComboRow      *op_row;
  GtkWidget        *value_row;      /* changes with the field */
  GtkWidget        *value_widget;   /* AdwComboRow, GtkSpinButton, GtkSwitch or AdwEntryRow */
  GtkSpinButton    *days;           /* activity: within the last N days */
  AdwActionRow     *days_row;
  CpLeadStore      *store;          /* (nullable) for the values the leads have */
};

G_DEFINE_FINAL_TYPE (CpConditionBuilder, cp_condition_builder, ADW_TYPE_PREFERENCES_GROUP)

static CpLeadField
chosen_field (CpConditionBuilder *self)
{
  guint i = adw_combo_row_get_selected (self->field_row);

  return i < self->fields->len ? g_array_index (self->fields, CpLeadField, i)
                               : CP_CONDITION_FORM_ACTIVITY;
}

static CpConditionOp
chosen_op (CpConditionBuilder *self)
{
  guint i = adw_combo_row_get_selected (self->op_row);

  return i < self->ops->len ? g_array_index (self->ops, CpConditionOp, i) : CP_OP_EQ;
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
/* The values the leads already have, to pick from (typing stays possible). */
static void
add_suggestions (CpConditionBuilder *self,
                 CpLeadField         field)
{
  g_autoptr(GPtrArray) values = NULL;
  g_autoptr(GMenu) menu = NULL;
  GtkWidget *button;

  if (self->store == NULL)
    return;
  values = cp_lead_store_common_values (self->store, field, 25, NULL);
  if (values == NULL || values->len == 0)
    return;
  menu = g_menu_new ();
  for (guint i = 0; i < values->len; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (values->pdata[i], NULL);

      g_menu_item_set_action_and_target_value (item, "builder.pick",
                                               g_variant_new_string (values->pdata[i]));
      g_menu_append_item (menu, item);
    }
  button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-list-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Values the leads have"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Values the leads have"), -1);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->value_row), button);
  g_object_set_data_full (G_OBJECT (self->value_row), "cp-suggestions", g_steal_pointer (&values),
                          (GDestroyNotify) g_ptr_array_unref);
}

static void
pick_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CpConditionBuilder *self = CP_CONDITION_BUILDER (widget);

  if (self->value_widget != NULL && ADW_IS_ENTRY_ROW (self->value_widget))
    gtk_editable_set_text (GTK_EDITABLE (self->value_widget),
                           g_variant_get_string (parameter, NULL));
}

static void
rebuild_value (CpConditionBuilder *self)
{
  CpLeadField field = chosen_field (self);
  CpConditionOp op = chosen_op (self);

  if (self->value_row != NULL)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), self->value_row);
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

            self->value_row =
                suffix_row (info->type == CP_FIELD_TYPE_DATETIME ? _("Days") : _("Value"), spin);
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
          add_suggestions (self, field);
          break;
        }
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->value_row);
  /* Keep the days row last. */
  g_object_ref (self->days_row);
  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->days_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->days_row));
  g_object_unref (self->days_row);
}

static void
rebuild_ops (CpConditionBuilder *self)
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
field_changed_cb (CpConditionBuilder *self)
{
  self->built = TRUE;
  rebuild_ops (self);
}

static void
op_changed_cb (CpConditionBuilder *self)
{
  self->built = TRUE;
  rebuild_value (self);
}

/* The condition as built, or the kept one. */
static CpCondition *
build_condition (CpConditionBuilder  *self,
                 GError       **error)
{
  CpLeadField field = chosen_field (self);
  CpConditionOp op = chosen_op (self);

  if (self->kept != NULL && !self->built)
    return cp_condition_copy (self->kept);
  if (field == (CpLeadField) FIELD_ALWAYS)
    return NULL;   /* no condition, no error: always */
  if (field == CP_CONDITION_FORM_ACTIVITY)
    return cp_condition_form_build_activity ((CpActivityKind) adw_combo_row_get_selected (
                                                 self->op_row),
                                             (guint) gtk_spin_button_get_value_as_int (
                                                 GTK_SPIN_BUTTON (self->value_widget)),
                                             (guint) gtk_spin_button_get_value_as_int (self->days),
                                             error);
  if (self->value_widget == NULL)
    return cp_condition_form_build (field, op, NULL, 0, error);
  if (ADW_IS_COMBO_ROW (self->value_widget))
    {
      guint i = adw_combo_row_get_selected (ADW_COMBO_ROW (self->value_widget));
      const char * const *choices = cp_lead_field_info (field)->choices;

      return cp_condition_form_build (field, op, i != GTK_INVALID_LIST_POSITION ? choices[i] : NULL,
                                      0, error);
    }
  if (GTK_IS_SPIN_BUTTON (self->value_widget))
    return cp_condition_form_build (field, op, NULL,
                                    gtk_spin_button_get_value (
                                        GTK_SPIN_BUTTON (self->value_widget)),
                                    error);
  if (GTK_IS_SWITCH (self->value_widget))
    return cp_condition_form_build (field, op,
                                    gtk_switch_get_active (GTK_SWITCH (self->value_widget))
                                      ? "true" : "false",
                                    0, error);
  return cp_condition_form_build (field, op,
                                  gtk_editable_get_text (GTK_EDITABLE (self->value_widget)), 0,
                                  error);
}

static void
select_field (CpConditionBuilder *self,
              CpLeadField   field)
{
  for (guint i = 0; i < self->fields->len; i++)
    if (g_array_index (self->fields, CpLeadField, i) == field)
      adw_combo_row_set_selected (self->field_row, i);
  rebuild_ops (self);
}

static void
select_op (CpConditionBuilder  *self,
           CpConditionOp  op)
{
  for (guint i = 0; i < self->ops->len; i++)
    if (g_array_index (self->ops, CpConditionOp, i) == op)
      adw_combo_row_set_selected (self->op_row, i);
  rebuild_value (self);
}

/* Shows @condition in the builder when it can; otherwise keeps it as text. */
static void
show_condition (CpConditionBuilder      *self,
                const CpCondition *condition)
{
  if (condition == NULL)
    {
      select_field (self, self->allow_always ? (CpLeadField) FIELD_ALWAYS
                                        : CP_LEAD_FIELD_SERVICE_LINE);
      return;
    }
  if (!cp_condition_form_can_edit (condition))
    {
      g_autofree char *text = cp_condition_to_string (condition);

      self->kept = cp_condition_copy (condition);
      adw_action_row_set_subtitle (self->kept_row, text);
      gtk_widget_set_visible (GTK_WIDGET (self->kept_row), TRUE);
      adw_preferences_group_set_description (
          ADW_PREFERENCES_GROUP (self), _("This condition has several parts. It is kept unless "
                                          "you build a new one below."));
      select_field (self, CP_LEAD_FIELD_SERVICE_LINE);
      return;
    }
  if (condition->type == CP_CONDITION_ACTIVITY)
    {
      CpActivityKind kind = (CpActivityKind) g_bit_nth_lsf (condition->kind_mask, -1);

      select_field (self, CP_CONDITION_FORM_ACTIVITY);
      adw_combo_row_set_selected (self->op_row, kind);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->value_widget),
                                 MAX (condition->min_count, 1));
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

static void
cp_condition_builder_dispose (GObject *object)
{
  CpConditionBuilder *self = CP_CONDITION_BUILDER (object);

  g_clear_pointer (&self->kept, cp_condition_free);
  g_clear_object (&self->store);
  g_clear_pointer (&self->fields, g_array_unref);
  g_clear_pointer (&self->ops, g_array_unref);

  G_OBJECT_CLASS (cp_condition_builder_parent_class)->dispose (object);
}

static void
cp_condition_builder_class_init (CpConditionBuilderClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cp_condition_builder_dispose;
  gtk_widget_class_install_action (widget_class, "builder.pick", "s", pick_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/carepath/Carepath/"
                                               "cp-condition-builder.ui");
  gtk_widget_class_bind_template_child (widget_class, CpConditionBuilder, kept_row);
  gtk_widget_class_bind_template_child (widget_class, CpConditionBuilder, field_row);
  gtk_widget_class_bind_template_child (widget_class, CpConditionBuilder, op_row);
  gtk_widget_class_bind_template_child (widget_class, CpConditionBuilder, days_row);
  gtk_widget_class_bind_template_child (widget_class, CpConditionBuilder, days);
}

static void
cp_condition_builder_init (CpConditionBuilder *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->fields = g_array_new (FALSE, FALSE, sizeof (CpLeadField));
  self->ops = g_array_new (FALSE, FALSE, sizeof (CpConditionOp));
}

/**
 * cp_condition_builder_new:
 * @title: the group's title ("Counts When")
 * @allow_always: whether "no condition" (every lead) may be chosen
 * @condition: (nullable): what to show first; %NULL: no condition when
 *   allowed, else a service line comparison to start from
 *
 * Returns: (transfer floating): the rows, as a preferences group
 */
CpConditionBuilder *
cp_condition_builder_new (const char        *title,
                          gboolean           allow_always,
                          const CpCondition *condition)
{
  CpConditionBuilder *self = g_object_new (CP_TYPE_CONDITION_BUILDER, "title", title, NULL);
  g_autoptr(GtkStringList) fields = gtk_string_list_new (NULL);

  self->allow_always = allow_always;
  if (allow_always)
    {
      CpLeadField always = (CpLeadField) FIELD_ALWAYS;

      g_array_append_val (self->fields, always);
      gtk_string_list_append (fields, _("Every lead"));
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

  show_condition (self, condition);
  self->built = FALSE;
  g_signal_connect_swapped (self->field_row, "notify::selected", G_CALLBACK (field_changed_cb),
                            self);
  g_signal_connect_swapped (self->op_row, "notify::selected", G_CALLBACK (op_changed_cb), self);
  return self;
}

/**
 * cp_condition_builder_set_store:
 *
 * Text fields then offer the values the leads already have.
 */
void
cp_condition_builder_set_store (CpConditionBuilder *self,
                                CpLeadStore        *store)
{
  g_return_if_fail (CP_IS_CONDITION_BUILDER (self));

  g_set_object (&self->store, store);
  /* The value shown stays: only the list of values is added. */
  if (self->value_widget != NULL && ADW_IS_ENTRY_ROW (self->value_widget) &&
      chosen_field (self) < CP_LEAD_N_FIELDS &&
      g_object_get_data (G_OBJECT (self->value_row), "cp-suggestions") == NULL)
    add_suggestions (self, chosen_field (self));
}

/* Tests: the values offered for the chosen text field. */
GPtrArray *
cp_condition_builder_get_suggestions (CpConditionBuilder *self)
{
  g_return_val_if_fail (CP_IS_CONDITION_BUILDER (self), NULL);
  return self->value_row != NULL ? g_object_get_data (G_OBJECT (self->value_row), "cp-suggestions")
                                 : NULL;
}

/**
 * cp_condition_builder_build:
 *
 * Returns: (transfer full) (nullable): the condition as the rows say (or
 *   the kept one, untouched); %NULL without @error for "no condition";
 *   %NULL with @error when something is missing or wrong
 */
CpCondition *
cp_condition_builder_build (CpConditionBuilder  *self,
                            GError             **error)
{
  g_return_val_if_fail (CP_IS_CONDITION_BUILDER (self), NULL);
  return build_condition (self, error);
}

/* Tests: the rows. */
AdwComboRow *
cp_condition_builder_get_field_row (CpConditionBuilder *self)
{
  g_return_val_if_fail (CP_IS_CONDITION_BUILDER (self), NULL);
  return self->field_row;
}

AdwComboRow *
cp_condition_builder_get_op_row (CpConditionBuilder *self)
{
  g_return_val_if_fail (CP_IS_CONDITION_BUILDER (self), NULL);
  return self->op_row;
}

/* Returns: (transfer none) (nullable): the value's widget for the chosen field and operator */
GtkWidget *
cp_condition_builder_get_value_widget (CpConditionBuilder *self)
{
  g_return_val_if_fail (CP_IS_CONDITION_BUILDER (self), NULL);
  return self->value_widget;
}
