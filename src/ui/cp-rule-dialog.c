/* cp-rule-dialog.c — a scoring rule: what it says, its points, and its condition
 *
 * The condition is a CpConditionBuilder. A scoring rule has a category,
 * points and decay; a routing rule a queue, and may apply to every lead.
 * The rule is saved through the playbook editor, which checks it; its
 * error is shown in the dialog.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-rule-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-condition-builder.h"
#include "cp-dialog-frame.h"
#include "cp-lead-format.h"
#include "cp-rule-dialog.h"

struct _CpRuleDialog
{
  AdwWindow         parent_instance;

  gboolean          routing;        /* a routing rule, not a scoring rule */
  GStrv             queue_ids;
  CpPlaybookEditor *editor;
  char             *rule_id;        /* (nullable) a new rule */

  CpDialogFrame    *frame;
  AdwPreferencesPage *page;
  AdwEntryRow      *description_row;
  AdwComboRow      *queue_row;
  AdwComboRow      *category_row;
  GtkWidget        *points_row;
  GtkSpinButton    *points;
  GtkWidget        *decay_row;
  GtkSwitch        *decay;
  AdwExpanderRow   *overrides_row;
  CpConditionBuilder *builder;
  GStrv             override_stages;  /* per stage row below */
  GPtrArray        *override_checks;  /* GtkCheckButton: the rule counts differently there */
  GPtrArray        *override_spins;   /* GtkSpinButton: its points there */
};

G_DEFINE_FINAL_TYPE (CpRuleDialog, cp_rule_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_SAVED, N_SIGNALS };
static guint signals[N_SIGNALS];



static void
save_cb (CpRuleDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpCondition) condition = cp_condition_builder_build (self->builder, &error);
  g_autofree char *id = NULL;
  int points = gtk_spin_button_get_value_as_int (self->points);

  if (condition == NULL && error != NULL)
    {
      cp_dialog_frame_set_error (self->frame, error->message);
      return;
    }
  if (self->routing)
    {
      guint queue = adw_combo_row_get_selected (self->queue_row);

      id = cp_playbook_editor_save_route (self->editor, self->rule_id,
                                          gtk_editable_get_text (
                                              GTK_EDITABLE (self->description_row)),
                                          condition,
                                          queue < g_strv_length (self->queue_ids)
                                            ? self->queue_ids[queue] : NULL,
                                          &error);
    }
  else
    {
      g_autoptr(GPtrArray) stages = g_ptr_array_new ();
      g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (int));
      CpRuleEdit edit = {
        .description = gtk_editable_get_text (GTK_EDITABLE (self->description_row)),
        .category = (CpScoreCategory) adw_combo_row_get_selected (self->category_row),
        .points = points,
        .decay = gtk_switch_get_active (self->decay),
        .condition = condition,
      };

      for (guint i = 0; i < self->override_checks->len; i++)
        if (gtk_check_button_get_active (self->override_checks->pdata[i]))
          {
            int value = gtk_spin_button_get_value_as_int (self->override_spins->pdata[i]);

            g_ptr_array_add (stages, self->override_stages[i]);
            g_array_append_val (values, value);
          }
      edit.override_stages = (const char * const *) stages->pdata;
      edit.override_points = (const int *) (gpointer) values->data;
      edit.n_overrides = stages->len;
      id = cp_playbook_editor_save_rule (self->editor, self->rule_id, &edit, &error);
    }
  if (id == NULL)
    {
      cp_dialog_frame_set_error (self->frame, error->message);
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
  g_clear_pointer (&self->queue_ids, g_strfreev);
  g_clear_pointer (&self->override_stages, g_strfreev);
  g_clear_pointer (&self->override_checks, g_ptr_array_unref);
  g_clear_pointer (&self->override_spins, g_ptr_array_unref);

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

  g_type_ensure (CP_TYPE_DIALOG_FRAME);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/carepath/Carepath/cp-rule-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CpRuleDialog, frame);
  gtk_widget_class_bind_template_child (widget_class, CpRuleDialog, page);
  gtk_widget_class_bind_template_child (widget_class, CpRuleDialog, description_row);
  gtk_widget_class_bind_template_child (widget_class, CpRuleDialog, queue_row);
  gtk_widget_class_bind_template_child (widget_class, CpRuleDialog, category_row);
  gtk_widget_class_bind_template_child (widget_class, CpRuleDialog, points_row);
  gtk_widget_class_bind_template_child (widget_class, CpRuleDialog, points);
  gtk_widget_class_bind_template_child (widget_class, CpRuleDialog, decay_row);
  gtk_widget_class_bind_template_child (widget_class, CpRuleDialog, decay);
  gtk_widget_class_bind_template_child (widget_class, CpRuleDialog, overrides_row);
  gtk_widget_class_bind_template_callback (widget_class, save_cb);
}

static void
cp_rule_dialog_init (CpRuleDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cp_dialog_frame_bind_needed_text (self->frame, GTK_EDITABLE (self->description_row));
}

/* "Points by stage": a row per stage, ticked where the rule counts differently. */
static void
add_override_rows (CpRuleDialog *self)
{
  CpPlaybook *playbook = cp_playbook_editor_get_playbook (self->editor);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  self->override_checks = g_ptr_array_new ();
  self->override_spins = g_ptr_array_new ();
  for (guint i = 0; i < playbook->stages->len; i++)
    {
      const CpStage *stage = playbook->stages->pdata[i];
      GtkWidget *check = gtk_check_button_new ();
      GtkWidget *spin = gtk_spin_button_new_with_range (-100, 100, 1);
      GtkWidget *row = adw_action_row_new ();

      g_strv_builder_add (ids, stage->id);
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     stage->title != NULL ? stage->title : stage->id);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_object_bind_property (check, "active", spin, "sensitive", G_BINDING_SYNC_CREATE);
      g_ptr_array_add (self->override_checks, check);
      g_ptr_array_add (self->override_spins, spin);
      adw_expander_row_add_row (self->overrides_row, row);
    }
  self->override_stages = g_strv_builder_end (ids);
}

static void
show_overrides (CpRuleDialog      *self,
                const CpScoreRule *rule)
{
  for (guint i = 0; self->override_stages[i] != NULL; i++)
    {
      gtk_spin_button_set_value (self->override_spins->pdata[i], rule != NULL ? rule->points : 5);
      for (guint o = 0; rule != NULL && o < rule->n_overrides; o++)
        if (g_strcmp0 (rule->override_stages[o], self->override_stages[i]) == 0)
          {
            gtk_check_button_set_active (self->override_checks->pdata[i], TRUE);
            gtk_spin_button_set_value (self->override_spins->pdata[i], rule->override_points[o]);
          }
    }
}

/* The rows that depend on the playbook, and the condition. */
static void
build (CpRuleDialog      *self,
       const CpCondition *condition)
{
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
      adw_combo_row_set_model (self->queue_row, G_LIST_MODEL (queues));
      gtk_widget_set_visible (GTK_WIDGET (self->queue_row), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->category_row), FALSE);
      gtk_widget_set_visible (self->points_row, FALSE);
      gtk_widget_set_visible (self->decay_row, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->overrides_row), FALSE);
    }
  else
    {
      g_autoptr(GtkStringList) categories = gtk_string_list_new (NULL);

      for (CpScoreCategory c = 0; c < CP_SCORE_N_CATEGORIES; c++)
        {
          g_autofree char *label = cp_humanize_id (cp_score_category_to_string (c));
          gtk_string_list_append (categories, label);
        }
      adw_combo_row_set_model (self->category_row, G_LIST_MODEL (categories));
      add_override_rows (self);
    }

  self->builder = cp_condition_builder_new (self->routing ? _("Applies When") : _("Counts When"),
                                            self->routing, condition);
  cp_condition_builder_set_store (self->builder, cp_playbook_editor_get_store (self->editor));
  adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (self->builder));
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
                       "title", rule != NULL ? _("Edit Scoring Rule") : _("New Scoring Rule"),
                       NULL);
  self->editor = g_object_ref (editor);
  self->rule_id = rule != NULL ? g_strdup (rule->id) : NULL;
  build (self, rule != NULL ? rule->condition : NULL);

  if (rule != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->description_row),
                             rule->description != NULL ? rule->description : "");
      adw_combo_row_set_selected (self->category_row, rule->category);
      gtk_spin_button_set_value (self->points, rule->points);
      gtk_switch_set_active (self->decay, rule->decay);
    }
  else
    {
      adw_combo_row_set_selected (self->category_row, category);
    }
  show_overrides (self, rule);
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
                       "default-height", 560,
                       "title", rule != NULL ? _("Edit Routing Rule") : _("New Routing Rule"),
                       NULL);
  self->editor = g_object_ref (editor);
  self->routing = TRUE;
  self->rule_id = rule != NULL ? g_strdup (rule->id) : NULL;
  build (self, rule != NULL ? rule->condition : NULL);
  if (rule != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->description_row),
                             rule->description != NULL ? rule->description : "");
      for (guint i = 0; self->queue_ids[i] != NULL; i++)
        if (g_strcmp0 (self->queue_ids[i], rule->queue) == 0)
          adw_combo_row_set_selected (self->queue_row, i);
    }
  return self;
}

/* Tests: the condition's rows. */
CpConditionBuilder *
cp_rule_dialog_get_builder (CpRuleDialog *self)
{
  g_return_val_if_fail (CP_IS_RULE_DIALOG (self), NULL);
  return self->builder;
}

/* Tests: a stage's override check and points. */
GtkCheckButton *
cp_rule_dialog_get_override_check (CpRuleDialog *self,
                                   const char   *stage_id)
{
  g_return_val_if_fail (CP_IS_RULE_DIALOG (self), NULL);
  for (guint i = 0; self->override_stages != NULL && self->override_stages[i] != NULL; i++)
    if (g_str_equal (self->override_stages[i], stage_id))
      return self->override_checks->pdata[i];
  return NULL;
}

GtkSpinButton *
cp_rule_dialog_get_override_points (CpRuleDialog *self,
                                    const char   *stage_id)
{
  g_return_val_if_fail (CP_IS_RULE_DIALOG (self), NULL);
  for (guint i = 0; self->override_stages != NULL && self->override_stages[i] != NULL; i++)
    if (g_str_equal (self->override_stages[i], stage_id))
      return self->override_spins->pdata[i];
  return NULL;
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
  return cp_condition_builder_get_field_row (self->builder);
}

AdwComboRow *
cp_rule_dialog_get_op_row (CpRuleDialog *self)
{
  g_return_val_if_fail (CP_IS_RULE_DIALOG (self), NULL);
  return cp_condition_builder_get_op_row (self->builder);
}

/* Returns: (transfer none) (nullable): the value's widget for the chosen field and operator */
GtkWidget *
cp_rule_dialog_get_value_widget (CpRuleDialog *self)
{
  g_return_val_if_fail (CP_IS_RULE_DIALOG (self), NULL);
  return cp_condition_builder_get_value_widget (self->builder);
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
  return cp_dialog_frame_get_save_button (self->frame);
}

/* Returns: the error shown, or %NULL */
const char *
cp_rule_dialog_get_error (CpRuleDialog *self)
{
  g_return_val_if_fail (CP_IS_RULE_DIALOG (self), NULL);
  return cp_dialog_frame_get_error (self->frame);
}
