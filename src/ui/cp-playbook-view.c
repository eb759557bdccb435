/* cp-playbook-view.c — the Playbook view: stages, tiers, scoring rules, routing, versions
 *
 * Everything edits the draft through CpPlaybookEditor, which checks each
 * change, saves it at once and keeps undo. The view shows the draft, the
 * score histogram under the thresholds, and the published versions with
 * compare and revert. Publishing asks for a reason and a date.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-playbook-view"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-lead-format.h"
#include "cp-playbook-store.h"
#include "cp-playbook-view.h"
#include "cp-rule-dialog.h"
#include "cp-score-histogram.h"
#include "cp-stage-dialog.h"

struct _CpPlaybookView
{
  GtkWidget         parent_instance;

  CpLeadStore      *store;
  CpPlaybookEditor *editor;
  gulong            changed_id;
  gboolean          updating;
  GCancellable     *cancellable;

  AdwToastOverlay  *toasts;
  GtkLabel         *status;
  AdwPreferencesPage *page;
  GPtrArray        *groups;        /* rebuilt on every change */
  AdwPreferencesGroup *tiers_group;      /* the histogram */
  AdwPreferencesGroup *thresholds_group;  /* its spin buttons */
  CpScoreHistogram *histogram;
  GtkLabel         *tier_counts;
  GtkSpinButton    *nurture;
  GtkSpinButton    *sales_ready;
  GtkSpinButton    *half_life;
  GtkSpinButton    *caps[CP_SCORE_N_CATEGORIES];
  GtkWidget        *publish_button;
};

G_DEFINE_FINAL_TYPE (CpPlaybookView, cp_playbook_view, GTK_TYPE_WIDGET)

static void rebuild (CpPlaybookView *self);

static void
toast (CpPlaybookView *self,
       const char     *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_timeout (t, 6);
  adw_toast_overlay_add_toast (self->toasts, t);
}

/* Reports a refused change; the draft is as it was. */
static void
report (CpPlaybookView *self,
        gboolean        ok,
        GError         *error)
{
  if (!ok && error != NULL)
    toast (self, error->message);
}

static GtkWindow *
parent_window (CpPlaybookView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static AdwPreferencesGroup *
new_group (CpPlaybookView *self,
           const char     *title,
           const char     *description)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  adw_preferences_group_set_title (group, title);
  if (description != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (description, -1);
      adw_preferences_group_set_description (group, escaped);
    }
  adw_preferences_page_add (self->page, group);
  g_ptr_array_add (self->groups, group);
  return group;
}

static GtkWidget *
icon_button (const char *icon,
             const char *tooltip,
             const char *action,
             GVariant   *target)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  if (action != NULL)
    gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  if (action != NULL && target != NULL)
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  else if (target != NULL)
    g_variant_unref (g_variant_ref_sink (target));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  return button;
}

static GtkWidget *
text_row (const char *title,
          const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static char *
format_date (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (unix_seconds);

  return dt != NULL ? g_date_time_format (dt, "%x") : g_strdup ("");
}

/* ---- status ---- */

static void
update_status (CpPlaybookView *self)
{
  g_autofree char *text = NULL;
  gint64 base = cp_playbook_editor_get_base_version (self->editor);

  if (cp_playbook_editor_has_draft (self->editor))
    {
      g_autoptr(GPtrArray) changes = cp_playbook_editor_draft_changes (self->editor);

      text = base > 0
        ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "Draft, saved · %u change from version %" G_GINT64_FORMAT,
                                        "Draft, saved · %u changes from version %" G_GINT64_FORMAT,
                                        changes->len), changes->len, base)
        : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "Draft, saved · %u change from the built-in playbook",
                                        "Draft, saved · %u changes from the built-in playbook",
                                        changes->len), changes->len);
    }
  else
    text = base > 0
      ? g_strdup_printf (_("Version %" G_GINT64_FORMAT " is in effect. Any change starts a draft."), base)
      : g_strdup (_("The built-in playbook is in effect. Any change starts a draft."));
  gtk_label_set_text (self->status, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playbook.undo", cp_playbook_editor_can_undo (self->editor));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playbook.redo", cp_playbook_editor_can_redo (self->editor));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playbook.publish", cp_playbook_editor_has_draft (self->editor));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playbook.discard", cp_playbook_editor_has_draft (self->editor));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playbook.preview-impact", cp_playbook_editor_has_draft (self->editor));
}

/* ---- stages ---- */

static void
append_part (GString    *line,
             const char *part)
{
  if (line->len > 0)
    g_string_append (line, " · ");
  g_string_append (line, part);
}

static void
fill_stages (CpPlaybookView *self,
             CpPlaybook     *playbook)
{
  AdwPreferencesGroup *group = new_group (self, _("Stages"),
                                          _("In the order leads go through them. A stage with leads in it "
                                            "cannot be retired until they are moved."));
  GtkWidget *add = gtk_button_new_with_mnemonic (_("_Add Stage…"));

  gtk_widget_add_css_class (add, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (add), "playbook.add-stage");
  adw_preferences_group_set_header_suffix (group, add);
  for (guint i = 0; i < playbook->stages->len; i++)
    {
      const CpStage *stage = playbook->stages->pdata[i];
      g_autoptr(GString) subtitle = g_string_new (NULL);
      GtkWidget *row;
      GVariant *id = g_variant_new_string (stage->id);

      g_variant_ref_sink (id);
      if (stage->closed)
        append_part (subtitle, _("Closes the lead"));
      if (stage->sla_hours > 0)
        {
          g_autofree char *sla = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Respond within %u business hour",
                                                               "Respond within %u business hours", stage->sla_hours),
                                                  stage->sla_hours);
          append_part (subtitle, sla);
        }
      if (stage->rotting_days > 0)
        {
          g_autofree char *stale = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "stale after %u day",
                                                                 "stale after %u days", stage->rotting_days),
                                                    stage->rotting_days);
          append_part (subtitle, stale);
        }
      if (stage->required_fields != NULL && stage->required_fields[0] != NULL)
        {
          guint n = g_strv_length (stage->required_fields);
          g_autofree char *required = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u required field",
                                                                    "%u required fields", n), n);
          append_part (subtitle, required);
        }
      row = text_row (stage->title != NULL ? stage->title : stage->id, subtitle->str);
      gtk_widget_set_name (row, stage->id);
      {
        /* Open stages move among open ones, closed among closed. */
        const CpStage *before = i > 0 ? playbook->stages->pdata[i - 1] : NULL;
        const CpStage *after = i + 1 < playbook->stages->len ? playbook->stages->pdata[i + 1] : NULL;
        gboolean can_up = before != NULL && before->closed == stage->closed;
        gboolean can_down = after != NULL && after->closed == stage->closed;
        /* A button without its action stays off (an action would turn it on). */
        GtkWidget *up = icon_button ("go-up-symbolic", _("Move Up"), can_up ? "playbook.stage-up" : NULL, id);
        GtkWidget *down = icon_button ("go-down-symbolic", _("Move Down"), can_down ? "playbook.stage-down" : NULL, id);

        gtk_widget_set_sensitive (up, can_up);
        gtk_widget_set_sensitive (down, can_down);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), up);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), down);
      }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 icon_button ("document-edit-symbolic", _("Edit Stage"), "playbook.edit-stage", id));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 icon_button ("user-trash-symbolic", _("Retire"), "playbook.retire-stage", id));
      g_variant_unref (id);
      adw_preferences_group_add (group, row);
    }
}

/* ---- tiers ---- */

static void
update_tiers (CpPlaybookView *self,
              CpPlaybook     *playbook)
{
  guint unqualified, nurture, ready;
  g_autofree char *counts = NULL;

  self->updating = TRUE;
  gtk_spin_button_set_value (self->nurture, playbook->scoring.nurture_threshold);
  gtk_spin_button_set_value (self->sales_ready, playbook->scoring.sales_ready_threshold);
  gtk_spin_button_set_value (self->half_life, playbook->scoring.half_life_days);
  for (CpScoreCategory c = 0; c < CP_SCORE_N_CATEGORIES; c++)
    gtk_spin_button_set_value (self->caps[c], playbook->scoring.caps[c]);
  self->updating = FALSE;
  cp_score_histogram_set_thresholds (self->histogram, playbook->scoring.nurture_threshold,
                                     playbook->scoring.sales_ready_threshold);
  cp_score_histogram_get_tier_counts (self->histogram, &unqualified, &nurture, &ready);
  counts = g_strdup_printf (_("With these thresholds: %u sales-ready · %u nurture · %u unqualified "
                              "(stored scores; publish and rescore to apply)"),
                            ready, nurture, unqualified);
  gtk_label_set_text (self->tier_counts, counts);
}

static void
threshold_changed_cb (CpPlaybookView *self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->updating)
    return;
  ok = cp_playbook_editor_set_thresholds (self->editor, gtk_spin_button_get_value_as_int (self->nurture),
                                          gtk_spin_button_get_value_as_int (self->sales_ready), &error);
  report (self, ok, error);
  if (!ok)
    update_tiers (self, cp_playbook_editor_get_playbook (self->editor));
}

static void
half_life_changed_cb (CpPlaybookView *self)
{
  g_autoptr(GError) error = NULL;

  if (self->updating)
    return;
  report (self, cp_playbook_editor_set_decay (self->editor, gtk_spin_button_get_value (self->half_life), &error),
          error);
}

static void
cap_changed_cb (GtkSpinButton  *spin,
                CpPlaybookView *self)
{
  g_autoptr(GError) error = NULL;
  CpScoreCategory category = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (spin), "cp-category"));
  gboolean ok;

  if (self->updating)
    return;
  ok = cp_playbook_editor_set_cap (self->editor, category, gtk_spin_button_get_value_as_int (spin), &error);
  report (self, ok, error);
  if (!ok)
    update_tiers (self, cp_playbook_editor_get_playbook (self->editor));
}

static GtkWidget *
spin_row (const char  *title,
          const char  *subtitle,
          double       max,
          GtkSpinButton **out)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (0, max, 1);
  GtkWidget *row = text_row (title, subtitle);

  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  *out = GTK_SPIN_BUTTON (spin);
  return row;
}

static void
build_tiers (CpPlaybookView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *row;

  self->tiers_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->tiers_group, _("Tiers"));
  adw_preferences_group_set_description (self->tiers_group,
                                         _("The open leads by their stored score; the lines are the thresholds."));
  self->histogram = CP_SCORE_HISTOGRAM (cp_score_histogram_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self->histogram), "card");
  self->tier_counts = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->tier_counts, TRUE);
  gtk_label_set_xalign (self->tier_counts, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->tier_counts), "dim-label");
  gtk_widget_set_margin_bottom (box, 12);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->histogram));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->tier_counts));
  adw_preferences_group_add (self->tiers_group, box);

  self->thresholds_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  row = spin_row (_("Nurture From"), _("Points"), 1000, &self->nurture);
  adw_preferences_group_add (self->thresholds_group, row);
  row = spin_row (_("Sales-Ready From"), _("Points"), 1000, &self->sales_ready);
  adw_preferences_group_add (self->thresholds_group, row);
  row = spin_row (_("Engagement Half-Life"), _("Days; 0: points do not decay"), 3650, &self->half_life);
  adw_preferences_group_add (self->thresholds_group, row);
  g_signal_connect_swapped (self->nurture, "value-changed", G_CALLBACK (threshold_changed_cb), self);
  g_signal_connect_swapped (self->sales_ready, "value-changed", G_CALLBACK (threshold_changed_cb), self);
  g_signal_connect_swapped (self->half_life, "value-changed", G_CALLBACK (half_life_changed_cb), self);
  for (CpScoreCategory c = 0; c < CP_SCORE_N_CATEGORIES; c++)
    {
      g_autofree char *name = cp_humanize_id (cp_score_category_to_string (c));
      g_autofree char *title = g_strdup_printf (_("%s Counts at Most"), name);

      row = spin_row (title, _("Points"), 1000, &self->caps[c]);
      g_object_set_data (G_OBJECT (self->caps[c]), "cp-category", GUINT_TO_POINTER (c));
      g_signal_connect (self->caps[c], "value-changed", G_CALLBACK (cap_changed_cb), self);
      adw_preferences_group_add (self->thresholds_group, row);
    }
  adw_preferences_page_add (self->page, self->tiers_group);
  adw_preferences_page_add (self->page, self->thresholds_group);
}

static void
load_histogram (CpPlaybookView *self)
{
  g_autoptr(GArray) counts = NULL;
  g_autoptr(GError) error = NULL;

  if (!cp_lead_store_score_histogram (self->store, 1, &counts, &error))
    {
      toast (self, error->message);
      return;
    }
  cp_score_histogram_set_counts (self->histogram, counts);
}

/* ---- scoring rules ---- */

static void
fill_rules (CpPlaybookView *self,
            CpPlaybook     *playbook)
{
  for (CpScoreCategory c = 0; c < CP_SCORE_N_CATEGORIES; c++)
    {
      g_autofree char *name = cp_humanize_id (cp_score_category_to_string (c));
      g_autofree char *title = g_strdup_printf (_("%s Rules"), name);
      g_autofree char *description = g_strdup_printf (_("At most %d points count in this category."),
                                                      playbook->scoring.caps[c]);
      AdwPreferencesGroup *group = new_group (self, title, description);
      GtkWidget *add = gtk_button_new_with_mnemonic (_("Add _Rule…"));
      guint n = 0;

      gtk_widget_add_css_class (add, "flat");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (add), "playbook.add-rule");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (add), "u", (guint32) c);
      adw_preferences_group_set_header_suffix (group, add);
      for (guint i = 0; i < playbook->scoring.rules->len; i++)
        {
          const CpScoreRule *rule = playbook->scoring.rules->pdata[i];
          g_autofree char *condition = NULL;
          g_autofree char *subtitle = NULL;
          g_autofree char *points = NULL;
          GtkWidget *row, *label;

          if (rule->category != c)
            continue;
          n++;
          condition = rule->condition != NULL ? cp_condition_to_string (rule->condition) : g_strdup ("");
          subtitle = rule->decay ? g_strdup_printf (_("%s · decays"), condition) : g_strdup (condition);
          row = text_row (rule->description != NULL ? rule->description : rule->id, subtitle);
          gtk_widget_set_name (row, rule->id);
          points = g_strdup_printf ("%+d", rule->points);
          label = gtk_label_new (points);
          gtk_widget_add_css_class (label, rule->points < 0 ? "error" : "numeric");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     icon_button ("document-edit-symbolic", _("Edit Rule"), "playbook.edit-rule",
                                                  g_variant_new_string (rule->id)));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     icon_button ("user-trash-symbolic", _("Remove Rule"), "playbook.remove-rule",
                                                  g_variant_new_string (rule->id)));
          adw_preferences_group_add (group, row);
        }
      if (n == 0)
        adw_preferences_group_add (group, text_row (_("No rules in this category"), NULL));
    }
}

/* ---- routing and automation (shown; edited in the playbook file) ---- */

static void
fill_routing (CpPlaybookView *self,
              CpPlaybook     *playbook)
{
  AdwPreferencesGroup *group = new_group (self, _("Routing"),
                                          _("The first rule that matches sends the lead to its queue. "
                                            "Edit routing and automation in the playbook file (Export…, "
                                            "then Import…)."));

  for (guint i = 0; i < playbook->route_rules->len; i++)
    {
      const CpRouteRule *rule = playbook->route_rules->pdata[i];
      const CpQueue *queue = cp_playbook_get_queue (playbook, rule->queue);
      g_autofree char *condition = rule->condition != NULL ? cp_condition_to_string (rule->condition) : NULL;
      g_autofree char *title = g_strdup_printf ("%u. %s", i + 1, rule->description != NULL ? rule->description : rule->id);
      g_autofree char *subtitle = g_strdup_printf (_("%s → %s"), condition != NULL ? condition : _("Always"),
                                                   queue != NULL && queue->title != NULL ? queue->title : rule->queue);

      adw_preferences_group_add (group, text_row (title, subtitle));
    }
  group = new_group (self, _("Automation"), _("Moves the playbook proposes; people confirm them."));
  for (guint i = 0; i < playbook->automation->len; i++)
    {
      const CpAutomationRule *rule = playbook->automation->pdata[i];
      const CpStage *to = cp_playbook_get_stage (playbook, rule->to_stage);
      g_autofree char *subtitle = g_strdup_printf (_("Proposes a move to %s"),
                                                   to != NULL && to->title != NULL ? to->title : rule->to_stage);

      adw_preferences_group_add (group, text_row (rule->description != NULL ? rule->description : rule->id, subtitle));
    }
}

/* ---- versions ---- */

static void
fill_versions (CpPlaybookView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) versions = cp_playbook_editor_list_versions (self->editor, &error);
  AdwPreferencesGroup *group = new_group (self, _("Versions"),
                                          _("Every published version, with who published it and why. "
                                            "Reverting publishes an old version again as a new one."));

  if (versions == NULL)
    {
      adw_preferences_group_add (group, text_row (_("Could not list the versions"), error->message));
      return;
    }
  if (versions->len == 0)
    adw_preferences_group_add (group, text_row (_("Nothing published yet"),
                                                _("The built-in playbook is in effect.")));
  for (guint i = 0; i < versions->len; i++)
    {
      CpPlaybookVersion *version = versions->pdata[i];
      g_autofree char *title = g_strdup_printf (_("Version %" G_GINT64_FORMAT " · %s"), version->id,
                                                version->reason != NULL ? version->reason : "");
      g_autofree char *date = format_date (version->created_at);
      g_autofree char *effective = format_date (version->effective_at);
      g_autofree char *subtitle = g_strdup_printf (_("%s · published %s · in effect from %s"),
                                                   version->author != NULL ? version->author : _("Unknown"),
                                                   date, effective);
      GtkWidget *row = text_row (title, subtitle);

      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 icon_button ("view-dual-symbolic", _("Compare With the Version Before"),
                                              "playbook.compare", g_variant_new_int64 (version->id)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 icon_button ("edit-undo-symbolic", _("Revert to This Version"),
                                              "playbook.revert", g_variant_new_int64 (version->id)));
      adw_preferences_group_add (group, row);
    }
}

static void
rebuild (CpPlaybookView *self)
{
  CpPlaybook *playbook;

  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->page, self->groups->pdata[i]);
  g_ptr_array_set_size (self->groups, 0);
  if (self->editor == NULL)
    return;

  playbook = cp_playbook_editor_get_playbook (self->editor);
  update_status (self);
  update_tiers (self, playbook);
  fill_stages (self, playbook);
  /* The tiers groups are kept, not rebuilt: their spin buttons keep focus. */
  for (guint i = 0; i < 2; i++)
    {
      AdwPreferencesGroup *kept = i == 0 ? self->tiers_group : self->thresholds_group;

      g_object_ref (kept);
      adw_preferences_page_remove (self->page, kept);
      adw_preferences_page_add (self->page, kept);
      g_object_unref (kept);
    }
  fill_rules (self, playbook);
  fill_routing (self, playbook);
  fill_versions (self);
}

/* ---- actions ---- */

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  g_autoptr(GError) error = NULL;
  gboolean redo = g_str_equal (action_name, "playbook.redo");

  report (self, redo ? cp_playbook_editor_redo (self->editor, &error)
                     : cp_playbook_editor_undo (self->editor, &error), error);
}

static void
stage_move_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  int index = cp_playbook_stage_index (cp_playbook_editor_get_playbook (self->editor), id);
  g_autoptr(GError) error = NULL;

  if (index < 0 || (index == 0 && g_str_equal (action_name, "playbook.stage-up")))
    return;
  report (self, cp_playbook_editor_move_stage (self->editor, id,
                                               g_str_equal (action_name, "playbook.stage-up") ? (guint) index - 1
                                                                                               : (guint) index + 1,
                                               &error), error);
}

static void
retire_stage_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  g_autoptr(GError) error = NULL;

  report (self, cp_playbook_editor_retire_stage (self->editor, g_variant_get_string (parameter, NULL), &error),
          error);
}

/* A question with one line of text; @done gets the text when confirmed. */
typedef void (*TextDone) (CpPlaybookView *self, const char *text, const char *target);

typedef struct
{
  CpPlaybookView *view;
  GtkEntry       *entry;
  GtkEntry       *second;     /* (nullable) e.g. the effective date */
  TextDone        done;
  char           *target;
} TextQuestion;

static void
text_question_free (gpointer data)
{
  TextQuestion *question = data;

  g_object_unref (question->view);
  g_free (question->target);
  g_free (question);
}

static void
text_changed_cb (GtkEditable      *editable,
                 AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  adw_message_dialog_set_response_enabled (dialog, "ok", *text != '\0');
}

static void
text_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  TextQuestion     *question)
{
  if (g_str_equal (response, "ok"))
    question->done (question->view, gtk_editable_get_text (GTK_EDITABLE (question->entry)),
                    question->second != NULL ? gtk_editable_get_text (GTK_EDITABLE (question->second))
                                             : question->target);
}

static AdwMessageDialog *
ask_text (CpPlaybookView *self,
          const char     *heading,
          const char     *body,
          const char     *placeholder,
          const char     *initial,
          const char     *ok_label,
          TextDone        done,
          const char     *target,
          gboolean        with_date)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent_window (self), heading, body));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  TextQuestion *question = g_new0 (TextQuestion, 1);

  question->view = g_object_ref (self);
  question->entry = GTK_ENTRY (gtk_entry_new ());
  question->done = done;
  question->target = g_strdup (target);
  gtk_entry_set_placeholder_text (question->entry, placeholder);
  gtk_entry_set_activates_default (question->entry, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (question->entry), GTK_ACCESSIBLE_PROPERTY_LABEL, placeholder, -1);
  gtk_editable_set_text (GTK_EDITABLE (question->entry), initial != NULL ? initial : "");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (question->entry));
  if (with_date)
    {
      question->second = GTK_ENTRY (gtk_entry_new ());
      gtk_entry_set_placeholder_text (question->second, _("In effect from (YYYY-MM-DD; empty: now)"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (question->second), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("In effect from"), -1);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (question->second));
    }
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "ok", ok_label, NULL);
  adw_message_dialog_set_response_appearance (dialog, "ok", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "ok");
  adw_message_dialog_set_close_response (dialog, "cancel");
  text_changed_cb (GTK_EDITABLE (question->entry), dialog);
  g_signal_connect (question->entry, "changed", G_CALLBACK (text_changed_cb), dialog);
  g_signal_connect_data (dialog, "response", G_CALLBACK (text_response_cb), question,
                         (GClosureNotify) (void (*) (void)) text_question_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
edit_stage_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  CpStageDialog *dialog = cp_stage_dialog_new (parent_window (self), self->editor,
                                               g_variant_get_string (parameter, NULL));

  if (dialog != NULL)
    gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_stage_done (CpPlaybookView *self,
                const char     *text,
                const char     *unused)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = cp_playbook_editor_add_stage (self->editor, text, &error);

  report (self, id != NULL, error);
}

static void
add_stage_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ask_text (CP_PLAYBOOK_VIEW (widget), _("Add Stage"), _("It comes after the last open stage; move it where it belongs."),
            _("Stage name"), NULL, _("_Add"), add_stage_done, NULL, FALSE);
}

static void
edit_rule_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  CpRuleDialog *dialog;

  if (g_str_equal (action_name, "playbook.add-rule"))
    dialog = cp_rule_dialog_new (parent_window (self), self->editor, NULL,
                                 (CpScoreCategory) MIN (g_variant_get_uint32 (parameter), CP_SCORE_N_CATEGORIES - 1));
  else
    dialog = cp_rule_dialog_new (parent_window (self), self->editor, g_variant_get_string (parameter, NULL),
                                 CP_SCORE_FIT);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remove_rule_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  g_autoptr(GError) error = NULL;

  /* Undo brings it back. */
  report (self, cp_playbook_editor_remove_rule (self->editor, g_variant_get_string (parameter, NULL), &error),
          error);
}

static void
publish_done (CpPlaybookView *self,
              const char     *reason,
              const char     *date)
{
  g_autoptr(GError) error = NULL;
  gint64 effective = 0;
  gint64 id;

  if (date != NULL && *date != '\0')
    {
      g_autofree char *iso = g_strdup_printf ("%sT00:00:00", date);
      g_autoptr(GTimeZone) local = g_time_zone_new_local ();
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, local);

      if (dt == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is not a date like 2026-12-01: nothing was published."), date);
          toast (self, message);
          return;
        }
      effective = g_date_time_to_unix (dt);
    }
  id = cp_playbook_editor_publish (self->editor, reason, effective, &error);
  if (id <= 0)
    {
      toast (self, error->message);
      return;
    }
  {
    g_autofree char *message = g_strdup_printf (_("Published as version %" G_GINT64_FORMAT), id);
    toast (self, message);
  }
  g_signal_emit_by_name (self, "published", id);
}

static void
publish_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  g_autoptr(GPtrArray) changes = cp_playbook_editor_draft_changes (self->editor);
  g_autoptr(GString) body = g_string_new (NULL);

  for (guint i = 0; i < changes->len && i < 8; i++)
    {
      g_autofree char *line = cp_playbook_change_to_string (changes->pdata[i]);
      g_string_append_printf (body, "%s\n", line);
    }
  if (changes->len > 8)
    g_string_append_printf (body, _("… and %u more\n"), changes->len - 8);
  g_string_append (body, _("\nWhy does the playbook change? The reason is kept with the version."));
  ask_text (self, _("Publish the Draft?"), body->str, _("Reason for the change"), NULL, _("_Publish"),
            publish_done, NULL, TRUE);
}

static void
discard_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     CpPlaybookView   *self)
{
  g_autoptr(GError) error = NULL;

  if (g_str_equal (response, "discard"))
    report (self, cp_playbook_editor_discard (self->editor, &error), error);
}

static void
discard_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent_window (self), _("Discard the Draft?"),
                                                                         _("Every change since the version in effect is lost.")));

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "discard", _("_Discard"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
revert_done (CpPlaybookView *self,
             const char     *reason,
             const char     *version)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cp_playbook_editor_revert (self->editor, g_ascii_strtoll (version, NULL, 10), reason, &error);

  if (id <= 0)
    {
      toast (self, error->message);
      return;
    }
  g_signal_emit_by_name (self, "published", id);
}

static void
revert_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  gint64 id = g_variant_get_int64 (parameter);
  g_autofree char *heading = g_strdup_printf (_("Revert to Version %" G_GINT64_FORMAT "?"), id);
  g_autofree char *target = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  ask_text (self, heading, _("It is published again as a new version; the history stays."),
            _("Reason for the change"), NULL, _("_Revert"), revert_done, target, FALSE);
}

/* The compare window: two versions chosen, the changes between them. */
typedef struct
{
  CpPlaybookEditor    *editor;
  GArray              *ids;       /* gint64 per item: 0 the built-in, then versions, oldest first */
  AdwComboRow         *from;
  AdwComboRow         *to;
  GtkWidget           *page;
  AdwPreferencesGroup *group;
} Compare;

static void
compare_free (gpointer data)
{
  Compare *compare = data;

  g_object_unref (compare->editor);
  g_array_unref (compare->ids);
  g_free (compare);
}

static void
compare_refresh (Compare *compare)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  guint from = adw_combo_row_get_selected (compare->from);
  guint to = adw_combo_row_get_selected (compare->to);

  if (compare->group != NULL)
    adw_preferences_page_remove (ADW_PREFERENCES_PAGE (compare->page), compare->group);
  compare->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (compare->page), compare->group);
  if (from >= compare->ids->len || to >= compare->ids->len)
    return;
  changes = cp_playbook_editor_diff (compare->editor, g_array_index (compare->ids, gint64, from),
                                     g_array_index (compare->ids, gint64, to), &error);
  if (changes == NULL)
    {
      adw_preferences_group_set_title (compare->group, error->message);
      return;
    }
  adw_preferences_group_set_title (compare->group, changes->len == 0 ? _("No Differences") : _("Changes"));
  for (guint i = 0; i < changes->len; i++)
    {
      CpPlaybookChange *change = changes->pdata[i];
      const char *what = change->kind == CP_PLAYBOOK_CHANGE_ADDED ? _("Added")
                         : change->kind == CP_PLAYBOOK_CHANGE_REMOVED ? _("Removed") : _("Changed");
      g_autofree char *row_title = g_strdup_printf ("%s %s “%s”", what, change->section, change->id);
      g_autofree char *subtitle = change->kind == CP_PLAYBOOK_CHANGE_CHANGED
        ? g_strdup_printf (_("Before: %s\nAfter: %s"), change->before != NULL ? change->before : "",
                           change->after != NULL ? change->after : "")
        : g_strdup (change->after != NULL ? change->after : change->before);
      GtkWidget *row = text_row (row_title, subtitle);
      GtkWidget *sign = gtk_label_new (change->kind == CP_PLAYBOOK_CHANGE_ADDED ? "+"
                                       : change->kind == CP_PLAYBOOK_CHANGE_REMOVED ? "−" : "~");

      gtk_widget_add_css_class (sign, change->kind == CP_PLAYBOOK_CHANGE_ADDED ? "success"
                                      : change->kind == CP_PLAYBOOK_CHANGE_REMOVED ? "error" : "warning");
      gtk_widget_add_css_class (sign, "title-3");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), sign);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);   /* all of it */
      adw_preferences_group_add (compare->group, row);
    }
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  gint64 to = g_variant_get_int64 (parameter);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) versions = cp_playbook_editor_list_versions (self->editor, &error);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GtkWidget *window, *content, *header, *choose;
  Compare *compare;
  guint to_index = 0;

  if (versions == NULL)
    {
      toast (self, error->message);
      return;
    }
  compare = g_new0 (Compare, 1);
  compare->editor = g_object_ref (self->editor);
  compare->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  {
    gint64 builtin = 0;

    g_array_append_val (compare->ids, builtin);
    gtk_string_list_append (labels, _("Built-in playbook"));
  }
  for (guint i = versions->len; i > 0; i--)   /* oldest first */
    {
      CpPlaybookVersion *version = versions->pdata[i - 1];
      g_autofree char *label = g_strdup_printf (_("Version %" G_GINT64_FORMAT " · %s"), version->id,
                                                version->reason != NULL ? version->reason : "");

      if (version->id == to)
        to_index = compare->ids->len;
      g_array_append_val (compare->ids, version->id);
      gtk_string_list_append (labels, label);
    }

  window = adw_window_new ();
  gtk_window_set_transient_for (GTK_WINDOW (window), parent_window (self));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 600);
  gtk_window_set_title (GTK_WINDOW (window), _("Compare Versions"));
  g_object_set_data_full (G_OBJECT (window), "cp-compare", compare, compare_free);
  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (content), header);
  compare->page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (compare->page, TRUE);
  choose = adw_preferences_group_new ();
  compare->from = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (compare->from), _("From"));
  adw_combo_row_set_model (compare->from, G_LIST_MODEL (labels));
  compare->to = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (compare->to), _("To"));
  adw_combo_row_set_model (compare->to, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (compare->to, to_index);
  adw_combo_row_set_selected (compare->from, to_index > 0 ? to_index - 1 : 0);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (choose), GTK_WIDGET (compare->from));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (choose), GTK_WIDGET (compare->to));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (compare->page), ADW_PREFERENCES_GROUP (choose));
  compare_refresh (compare);
  g_signal_connect_swapped (compare->from, "notify::selected", G_CALLBACK (compare_refresh), compare);
  g_signal_connect_swapped (compare->to, "notify::selected", G_CALLBACK (compare_refresh), compare);
  gtk_box_append (GTK_BOX (content), compare->page);
  adw_window_set_content (ADW_WINDOW (window), content);
  gtk_window_present (GTK_WINDOW (window));
}

static void
impact_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CpPlaybookView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CpPlaybookImpact) impact = cp_playbook_editor_preview_impact_finish (CP_PLAYBOOK_EDITOR (source), result, &error);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (impact == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  body = g_strdup_printf (_("Of %u leads, publishing the draft would change the score of %u, the tier of %u "
                            "and the queue of %u; %u could no longer move on to their next stage, and %u "
                            "are in a stage the draft removes."),
                          impact->leads, impact->counts[CP_IMPACT_SCORE], impact->counts[CP_IMPACT_TIER],
                          impact->counts[CP_IMPACT_QUEUE], impact->counts[CP_IMPACT_BLOCKED],
                          impact->counts[CP_IMPACT_STAGE_REMOVED]);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent_window (self), _("Impact of the Draft"), body));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
preview_impact_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);

  toast (self, _("Evaluating every lead with the draft…"));
  cp_playbook_editor_preview_impact_async (self->editor, self->cancellable, impact_cb, g_object_ref (self));
}

static void
file_chosen_cb (GtkNativeDialog *chooser,
                int              response,
                CpPlaybookView  *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  gboolean import = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "cp-import"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      path = file != NULL ? g_file_get_path (file) : NULL;
      if (path != NULL)
        report (self, import ? cp_playbook_editor_import (self->editor, path, &error)
                             : cp_playbook_editor_export (self->editor, path, &error), error);
    }
  g_object_unref (chooser);
}

static void
file_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  gboolean import = g_str_equal (action_name, "playbook.import");
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (import ? _("Import Playbook") : _("Export Playbook"), parent_window (self),
                                 import ? GTK_FILE_CHOOSER_ACTION_OPEN : GTK_FILE_CHOOSER_ACTION_SAVE,
                                 import ? _("_Import") : _("_Export"), _("_Cancel"));

  if (!import)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "playbook.json");
  g_object_set_data (G_OBJECT (chooser), "cp-import", GINT_TO_POINTER (import));
  g_signal_connect (chooser, "response", G_CALLBACK (file_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- the widget ---- */

static void
cp_playbook_view_dispose (GObject *object)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (object);
  GtkWidget *child;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->editor != NULL)
    g_clear_signal_handler (&self->changed_id, self->editor);
  g_clear_object (&self->editor);
  g_clear_object (&self->store);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cp_playbook_view_parent_class)->dispose (object);
}

static void
cp_playbook_view_class_init (CpPlaybookViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cp_playbook_view_dispose;

  /**
   * CpPlaybookView::published:
   * @version: the version published (a draft or a revert)
   */
  g_signal_new ("published", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_install_action (widget_class, "playbook.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "playbook.redo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "playbook.stage-up", "s", stage_move_action);
  gtk_widget_class_install_action (widget_class, "playbook.stage-down", "s", stage_move_action);
  gtk_widget_class_install_action (widget_class, "playbook.edit-stage", "s", edit_stage_action);
  gtk_widget_class_install_action (widget_class, "playbook.retire-stage", "s", retire_stage_action);
  gtk_widget_class_install_action (widget_class, "playbook.add-stage", NULL, add_stage_action);
  gtk_widget_class_install_action (widget_class, "playbook.add-rule", "u", edit_rule_action);
  gtk_widget_class_install_action (widget_class, "playbook.edit-rule", "s", edit_rule_action);
  gtk_widget_class_install_action (widget_class, "playbook.remove-rule", "s", remove_rule_action);
  gtk_widget_class_install_action (widget_class, "playbook.publish", NULL, publish_action);
  gtk_widget_class_install_action (widget_class, "playbook.discard", NULL, discard_action);
  gtk_widget_class_install_action (widget_class, "playbook.revert", "x", revert_action);
  gtk_widget_class_install_action (widget_class, "playbook.compare", "x", compare_action);
  gtk_widget_class_install_action (widget_class, "playbook.preview-impact", NULL, preview_impact_action);
  gtk_widget_class_install_action (widget_class, "playbook.import", NULL, file_action);
  gtk_widget_class_install_action (widget_class, "playbook.export", NULL, file_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "playbook.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "playbook.redo", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cp-playbook-view");
}

static GtkWidget *
toolbar_button (const char *label,
                const char *action)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

static void
cp_playbook_view_init (CpPlaybookView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *menu_button = gtk_menu_button_new ();
  g_autoptr(GMenu) menu = g_menu_new ();

  self->groups = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->status, 0);
  gtk_label_set_wrap (self->status, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->status), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "dim-label");
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->status));
  gtk_box_append (GTK_BOX (bar), icon_button ("edit-undo-symbolic", _("Undo"), "playbook.undo", NULL));
  gtk_box_append (GTK_BOX (bar), icon_button ("edit-redo-symbolic", _("Redo"), "playbook.redo", NULL));
  gtk_box_append (GTK_BOX (bar), toolbar_button (_("Preview _Impact…"), "playbook.preview-impact"));
  self->publish_button = toolbar_button (_("_Publish…"), "playbook.publish");
  gtk_widget_add_css_class (self->publish_button, "suggested-action");
  gtk_box_append (GTK_BOX (bar), self->publish_button);
  g_menu_append (menu, _("_Import Playbook…"), "playbook.import");
  g_menu_append (menu, _("_Export Playbook…"), "playbook.export");
  g_menu_append (menu, _("_Discard Draft…"), "playbook.discard");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "view-more-symbolic");
  gtk_widget_set_tooltip_text (menu_button, _("More"));
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (bar), menu_button);
  gtk_widget_set_margin_start (bar, 18);
  gtk_widget_set_margin_end (bar, 18);
  gtk_widget_set_margin_top (bar, 6);
  gtk_widget_set_margin_bottom (bar, 6);
  gtk_box_append (GTK_BOX (box), bar);

  self->page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->page), TRUE);
  build_tiers (self);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->page));
  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, box);
  gtk_widget_set_parent (GTK_WIDGET (self->toasts), GTK_WIDGET (self));
}

GtkWidget *
cp_playbook_view_new (void)
{
  return g_object_new (CP_TYPE_PLAYBOOK_VIEW, NULL);
}

/**
 * cp_playbook_view_set_store:
 * @author: who edits (recorded with drafts and versions)
 *
 * Opens the playbook draft of @store's database (or the version in effect).
 */
gboolean
cp_playbook_view_set_store (CpPlaybookView  *self,
                            CpLeadStore     *store,
                            const char      *author,
                            GError         **error)
{
  CpPlaybookEditor *editor;

  g_return_val_if_fail (CP_IS_PLAYBOOK_VIEW (self), FALSE);
  g_return_val_if_fail (CP_IS_LEAD_STORE (store), FALSE);

  editor = cp_playbook_editor_new (store, author, error);
  if (editor == NULL)
    return FALSE;
  if (self->editor != NULL)
    g_clear_signal_handler (&self->changed_id, self->editor);
  g_set_object (&self->store, store);
  g_clear_object (&self->editor);
  self->editor = editor;
  self->changed_id = g_signal_connect_swapped (editor, "changed", G_CALLBACK (rebuild), self);
  load_histogram (self);
  rebuild (self);
  return TRUE;
}

/* Returns: (transfer none) (nullable): the editor of the draft */
CpPlaybookEditor *
cp_playbook_view_get_editor (CpPlaybookView *self)
{
  g_return_val_if_fail (CP_IS_PLAYBOOK_VIEW (self), NULL);
  return self->editor;
}

/* Tests: the threshold spin buttons and the histogram. */
GtkSpinButton *
cp_playbook_view_get_threshold (CpPlaybookView *self,
                                gboolean        sales_ready)
{
  g_return_val_if_fail (CP_IS_PLAYBOOK_VIEW (self), NULL);
  return sales_ready ? self->sales_ready : self->nurture;
}

CpScoreHistogram *
cp_playbook_view_get_histogram (CpPlaybookView *self)
{
  g_return_val_if_fail (CP_IS_PLAYBOOK_VIEW (self), NULL);
  return self->histogram;
}

const char *
cp_playbook_view_get_status (CpPlaybookView *self)
{
  g_return_val_if_fail (CP_IS_PLAYBOOK_VIEW (self), NULL);
  return gtk_label_get_text (self->status);
}
