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
#include "cp-playbook-view-private.h"
#include "cp-rule-dialog.h"
#include "cp-score-histogram.h"
#include "cp-stage-dialog.h"
#include "cp-toast.h"


G_DEFINE_FINAL_TYPE (CpPlaybookView, cp_playbook_view, GTK_TYPE_WIDGET)

static void rebuild (CpPlaybookView *self);

void
_cp_playbook_view_toast (CpPlaybookView *self,
                         const char     *message)
{
  AdwToast *t = cp_toast_new_text (message);

  adw_toast_set_timeout (t, 6);
  adw_toast_overlay_add_toast (self->toasts, t);
}

/* Reports a refused change; the draft is as it was. */
void
_cp_playbook_view_report (CpPlaybookView *self,
                          gboolean        ok,
                          GError         *error)
{
  if (!ok && error != NULL)
    _cp_playbook_view_toast (self, error->message);
}

GtkWindow *
_cp_playbook_view_parent (CpPlaybookView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

AdwPreferencesGroup *
_cp_playbook_view_new_group (CpPlaybookView *self,
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

GtkWidget *
_cp_playbook_view_icon_button (const char *icon,
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
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  return button;
}

GtkWidget *
_cp_playbook_view_text_row (const char *title,
                            const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

/* ---- status ---- */

/* A database that cannot be written: the playbook is there to read,
 * compare and export; every action that would change it is off. */
static void
disable_if_read_only (CpPlaybookView *self)
{
  static const char * const readable[] = { "playbook.compare", "playbook.export", NULL };
  GtkWidgetClass *klass = GTK_WIDGET_GET_CLASS (self);
  GType owner = G_TYPE_INVALID;
  const char *name = NULL;
  const GVariantType *parameter = NULL;
  const char *property = NULL;

  if (self->store == NULL ||
      !cp_database_is_read_only (cp_lead_store_get_database (self->store)))
    return;
  /* GTK 4.8 writes every out argument: none may be NULL. */
  for (guint i = 0; gtk_widget_class_query_action (klass, i, &owner, &name, &parameter, &property);
       i++)
    if (!g_strv_contains (readable, name))
      gtk_widget_action_set_enabled (GTK_WIDGET (self), name, FALSE);
}

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
               ? g_strdup_printf (_("Version %" G_GINT64_FORMAT
                                    " is in effect. Any change starts a draft."),
                                  base)
               : g_strdup (_("The built-in playbook is in effect. Any change starts a draft."));
  gtk_label_set_text (self->status, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playbook.undo",
                                 cp_playbook_editor_can_undo (self->editor));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playbook.redo",
                                 cp_playbook_editor_can_redo (self->editor));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playbook.publish",
                                 cp_playbook_editor_has_draft (self->editor));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playbook.discard",
                                 cp_playbook_editor_has_draft (self->editor));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playbook.preview-impact",
                                 cp_playbook_editor_has_draft (self->editor));
  disable_if_read_only (self);
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

/* ---- dragging a stage onto another ---- */

static GdkContentProvider *
stage_drag_prepare_cb (GtkDragSource *source,
                       double         x,
                       double         y,
                       GtkWidget     *row)
{
  return gdk_content_provider_new_typed (G_TYPE_STRING, gtk_widget_get_name (row));
}

static void
stage_drag_begin_cb (GtkDragSource *source,
                     GdkDrag       *drag,
                     GtkWidget     *row)
{
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (row);

  gtk_drag_source_set_icon (source, icon, 0, 0);
}

typedef struct
{
  CpPlaybookView *view;
  char           *dragged;
  char           *onto;
} StageDrop;

static gboolean
stage_drop_idle (gpointer data)
{
  StageDrop *drop = data;

  cp_playbook_view_drop_stage (drop->view, drop->dragged, drop->onto);
  g_object_unref (drop->view);
  g_free (drop->dragged);
  g_free (drop->onto);
  g_free (drop);
  return G_SOURCE_REMOVE;
}

static gboolean
stage_drop_cb (GtkDropTarget  *target,
               const GValue   *value,
               double          x,
               double          y,
               CpPlaybookView *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  StageDrop *drop = g_new0 (StageDrop, 1);

  /* The move rebuilds the rows: not while one of them handles the drop. */
  drop->view = g_object_ref (self);
  drop->dragged = g_value_dup_string (value);
  drop->onto = g_strdup (gtk_widget_get_name (row));
  g_idle_add (stage_drop_idle, drop);
  return TRUE;
}

static void
make_draggable (CpPlaybookView *self,
                GtkWidget      *row)
{
  GtkDragSource *source = gtk_drag_source_new ();
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);

  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (stage_drag_prepare_cb), row);
  g_signal_connect (source, "drag-begin", G_CALLBACK (stage_drag_begin_cb), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (source));
  g_signal_connect (target, "drop", G_CALLBACK (stage_drop_cb), self);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (target));
}

static void
fill_stages (CpPlaybookView *self,
             CpPlaybook     *playbook)
{
  AdwPreferencesGroup *group = _cp_playbook_view_new_group (
      self, _("Stages"),
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
          g_autofree char *sla =
              g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Respond within %u business hour",
                                            "Respond within %u business hours", stage->sla_hours),
                               stage->sla_hours);
          append_part (subtitle, sla);
        }
      if (stage->rotting_days > 0)
        {
          g_autofree char *stale =
              g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "stale after %u day",
                                            "stale after %u days", stage->rotting_days),
                               stage->rotting_days);
          append_part (subtitle, stale);
        }
      if (stage->required_fields != NULL && stage->required_fields[0] != NULL)
        {
          guint n = g_strv_length (stage->required_fields);
          g_autofree char *required =
              g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u required field",
                                            "%u required fields", n),
                               n);
          append_part (subtitle, required);
        }
      row = _cp_playbook_view_text_row (stage->title != NULL ? stage->title : stage->id,
                                        subtitle->str);
      gtk_widget_set_name (row, stage->id);
      make_draggable (self, row);
      {
        /* Open stages move among open ones, closed among closed. */
        const CpStage *before = i > 0 ? playbook->stages->pdata[i - 1] : NULL;
        const CpStage *after =
            i + 1 < playbook->stages->len ? playbook->stages->pdata[i + 1] : NULL;
        gboolean can_up = before != NULL && before->closed == stage->closed;
        gboolean can_down = after != NULL && after->closed == stage->closed;
        /* A button without its action stays off (an action would turn it on). */
        GtkWidget *up = _cp_playbook_view_icon_button ("go-up-symbolic", _("Move Up"),
                                                       can_up ? "playbook.stage-up" : NULL, id);
        GtkWidget *down =
            _cp_playbook_view_icon_button ("go-down-symbolic", _("Move Down"),
                                           can_down ? "playbook.stage-down" : NULL, id);

        gtk_widget_set_sensitive (up, can_up);
        gtk_widget_set_sensitive (down, can_down);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), up);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), down);
      }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 _cp_playbook_view_icon_button ("document-edit-symbolic",
                                                                _("Edit Stage"),
                                                                "playbook.edit-stage", id));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 _cp_playbook_view_icon_button ("user-trash-symbolic", _("Retire"),
                                                                "playbook.retire-stage", id));
      g_variant_unref (id);
      adw_preferences_group_add (group, row);
    }
}

/* ---- tiers ---- */

/* What the histogram's counts come to with the thresholds it shows. */
static void
update_tier_counts (CpPlaybookView *self)
{
  guint unqualified, nurture, ready;
  g_autofree char *counts = NULL;

  cp_score_histogram_get_tier_counts (self->histogram, &unqualified, &nurture, &ready);
  counts =
      g_strdup_printf (_("With these thresholds: %u sales-ready · %u nurture · %u unqualified "
                         "(stored scores; publish and rescore to apply)"),
                       ready, nurture, unqualified);
  gtk_label_set_text (self->tier_counts, counts);
}

static void
update_tiers (CpPlaybookView *self,
              CpPlaybook     *playbook)
{
  self->updating = TRUE;
  gtk_spin_button_set_value (self->nurture, playbook->scoring.nurture_threshold);
  gtk_spin_button_set_value (self->sales_ready, playbook->scoring.sales_ready_threshold);
  gtk_spin_button_set_value (self->half_life, playbook->scoring.half_life_days);
  for (CpScoreCategory c = 0; c < CP_SCORE_N_CATEGORIES; c++)
    gtk_spin_button_set_value (self->caps[c], playbook->scoring.caps[c]);
  self->updating = FALSE;
  cp_score_histogram_set_thresholds (self->histogram, playbook->scoring.nurture_threshold,
                                     playbook->scoring.sales_ready_threshold);
  update_tier_counts (self);
}

static void
threshold_changed_cb (CpPlaybookView *self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->updating)
    return;
  ok = cp_playbook_editor_set_thresholds (self->editor,
                                          gtk_spin_button_get_value_as_int (self->nurture),
                                          gtk_spin_button_get_value_as_int (self->sales_ready),
                                          &error);
  _cp_playbook_view_report (self, ok, error);
  if (!ok)
    update_tiers (self, cp_playbook_editor_get_playbook (self->editor));
}

static void
half_life_changed_cb (CpPlaybookView *self)
{
  g_autoptr(GError) error = NULL;

  if (self->updating)
    return;
  _cp_playbook_view_report (self,
                            cp_playbook_editor_set_decay (self->editor,
                                                          gtk_spin_button_get_value (
                                                              self->half_life),
                                                          &error),
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
  ok = cp_playbook_editor_set_cap (self->editor, category, gtk_spin_button_get_value_as_int (spin),
                                   &error);
  _cp_playbook_view_report (self, ok, error);
  if (!ok)
    update_tiers (self, cp_playbook_editor_get_playbook (self->editor));
}

/* One spin row per category cap, after the rows of the template. */
static void
add_cap_rows (CpPlaybookView *self)
{
  for (CpScoreCategory c = 0; c < CP_SCORE_N_CATEGORIES; c++)
    {
      g_autofree char *name = cp_humanize_id (cp_score_category_to_string (c));
      g_autofree char *title = g_strdup_printf (_("%s Counts at Most"), name);
      GtkWidget *spin = gtk_spin_button_new_with_range (0, 1000, 1);
      GtkWidget *row = _cp_playbook_view_text_row (title, _("Points"));

      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
      self->caps[c] = GTK_SPIN_BUTTON (spin);
      g_object_set_data (G_OBJECT (spin), "cp-category", GUINT_TO_POINTER (c));
      g_signal_connect (spin, "value-changed", G_CALLBACK (cap_changed_cb), self);
      adw_preferences_group_add (self->thresholds_group, row);
    }
}

static void
histogram_loaded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) counts = cp_lead_store_score_histogram_finish (result, &error);
  CpPlaybookView *self;

  /* Cancelled: the view is gone (or going); @user_data is not looked at. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = CP_PLAYBOOK_VIEW (user_data);
  if (counts == NULL)
    {
      _cp_playbook_view_toast (self, error->message);
      return;
    }
  cp_score_histogram_set_counts (self->histogram, counts);
  /* The line under it was written before the counts came. */
  update_tier_counts (self);
}

/* The scores of every open lead (not those in the playbook's closed
 * stages), counted on a worker (a million leads are not counted on the
 * main thread); the view's cancellable ends it. */
static void
load_histogram (CpPlaybookView *self)
{
  CpPlaybook *playbook = cp_playbook_editor_get_playbook (self->editor);
  g_autoptr(GStrvBuilder) closed = g_strv_builder_new ();
  g_auto(GStrv) closed_stages = NULL;

  for (guint i = 0; i < playbook->stages->len; i++)
    {
      const CpStage *stage = g_ptr_array_index (playbook->stages, i);

      if (stage->closed)
        g_strv_builder_add (closed, stage->id);
    }
  closed_stages = g_strv_builder_end (closed);
  cp_lead_store_score_histogram_async (self->store, 1, (const char * const *) closed_stages,
                                       self->cancellable, histogram_loaded_cb, self);
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
      g_autofree char *description =
          g_strdup_printf (_("At most %d points count in this category."),
                           playbook->scoring.caps[c]);
      AdwPreferencesGroup *group = _cp_playbook_view_new_group (self, title, description);
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
          condition =
              rule->condition != NULL ? cp_condition_to_string (rule->condition) : g_strdup ("");
          subtitle =
              rule->decay ? g_strdup_printf (_("%s · decays"), condition) : g_strdup (condition);
          row =
              _cp_playbook_view_text_row (rule->description != NULL ? rule->description : rule->id,
                                          subtitle);
          gtk_widget_set_name (row, rule->id);
          points = g_strdup_printf ("%+d", rule->points);
          label = gtk_label_new (points);
          gtk_widget_add_css_class (label, rule->points < 0 ? "error" : "numeric");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     _cp_playbook_view_icon_button ("document-edit-symbolic",
                                                                    _("Edit Rule"),
                                                                    "playbook.edit-rule",
                                                                    g_variant_new_string (
                                                                        rule->id)));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     _cp_playbook_view_icon_button ("user-trash-symbolic",
                                                                    _("Remove Rule"),
                                                                    "playbook.remove-rule",
                                                                    g_variant_new_string (
                                                                        rule->id)));
          adw_preferences_group_add (group, row);
        }
      if (n == 0)
        adw_preferences_group_add (group,
                                   _cp_playbook_view_text_row (_("No rules in this category"),
                                                               NULL));
    }
}

/* ---- versions ---- */

static void
fill_versions (CpPlaybookView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) versions = cp_playbook_editor_list_versions (self->editor, &error);
  AdwPreferencesGroup *group =
      _cp_playbook_view_new_group (self, _("Versions"),
                                   _("Every published version, with who published it and why. "
                                     "Reverting publishes an old version again as a new one."));

  if (versions == NULL)
    {
      adw_preferences_group_add (group,
                                 _cp_playbook_view_text_row (_("Could not list the versions"),
                                                             error->message));
      return;
    }
  if (versions->len == 0)
    adw_preferences_group_add (group, _cp_playbook_view_text_row (_("Nothing published yet"),
                                                _("The built-in playbook is in effect.")));
  for (guint i = 0; i < versions->len; i++)
    {
      CpPlaybookVersion *version = versions->pdata[i];
      g_autofree char *title =
          g_strdup_printf (_("Version %" G_GINT64_FORMAT " · %s"), version->id,
                           version->reason != NULL ? version->reason : "");
      g_autofree char *date = cp_format_date (version->created_at);
      g_autofree char *effective = cp_format_date (version->effective_at);
      g_autofree char *subtitle =
          g_strdup_printf (_("%s · published %s · in effect from %s"),
                           version->author != NULL ? version->author : _("Unknown"), date,
                           effective);
      GtkWidget *row = _cp_playbook_view_text_row (title, subtitle);

      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 _cp_playbook_view_icon_button (
                                     "view-dual-symbolic", _("Compare With the Version Before"),
                                     "playbook.compare", g_variant_new_int64 (version->id)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 _cp_playbook_view_icon_button ("edit-undo-symbolic",
                                                                _("Revert to This Version"),
                                                                "playbook.revert",
                                                                g_variant_new_int64 (version->id)));
      adw_preferences_group_add (group, row);
    }
}

/* Everything the stages group shows of the stages, in their order. */
static char *
stages_shown (CpPlaybook *playbook)
{
  GString *shown = g_string_new (NULL);

  for (guint i = 0; i < playbook->stages->len; i++)
    {
      const CpStage *stage = playbook->stages->pdata[i];

      g_string_append_printf (shown, "%s\x1f%s\x1f%d\x1f%u\x1f%u\x1f%u\x1e", stage->id,
                              stage->title != NULL ? stage->title : "", stage->closed,
                              stage->sla_hours, stage->rotting_days,
                              stage->required_fields != NULL
                                ? g_strv_length (stage->required_fields) : 0);
    }
  return g_string_free (shown, FALSE);
}

static void
rebuild (CpPlaybookView *self)
{
  CpPlaybook *playbook = self->editor != NULL ? cp_playbook_editor_get_playbook (self->editor)
                                              : NULL;
  g_autofree char *shown = playbook != NULL ? stages_shown (playbook) : NULL;
  /* The tiers groups are kept, after the stages group: a change that
   * leaves the stages as they were (a threshold, a rule) keeps that group
   * too, so nothing before the spin buttons moves. Taking them off the
   * page in the middle of a click would cancel it and leave the spin
   * button counting on by itself (GTK 4.8), and lose their focus. */
  guint kept = shown != NULL && self->groups->len > 0 && g_strcmp0 (shown, self->stages_shown) == 0
               ? 1 : 0;

  for (guint i = kept; i < self->groups->len; i++)
    adw_preferences_page_remove (self->page, self->groups->pdata[i]);
  g_ptr_array_set_size (self->groups, kept);
  if (playbook == NULL)
    return;

  update_status (self);
  update_tiers (self, playbook);
  if (kept == 0)
    {
      fill_stages (self, playbook);
      for (guint i = 0; i < 2; i++)
        {
          AdwPreferencesGroup *group = i == 0 ? self->tiers_group : self->thresholds_group;

          g_object_ref (group);
          adw_preferences_page_remove (self->page, group);
          adw_preferences_page_add (self->page, group);
          g_object_unref (group);
        }
      g_free (self->stages_shown);
      self->stages_shown = g_steal_pointer (&shown);
    }
  fill_rules (self, playbook);
  _cp_playbook_view_fill_routing (self, playbook);
  fill_versions (self);
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
  g_clear_pointer (&self->stages_shown, g_free);
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
  /**
   * CpPlaybookView::open-lead:
   * @lead_id: an example lead the user chose to open
   */
  g_signal_new ("open-lead", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "playbook.undo", NULL,
                                   _cp_playbook_view_undo_action);
  gtk_widget_class_install_action (widget_class, "playbook.redo", NULL,
                                   _cp_playbook_view_undo_action);
  gtk_widget_class_install_action (widget_class, "playbook.stage-up", "s",
                                   _cp_playbook_view_stage_move_action);
  gtk_widget_class_install_action (widget_class, "playbook.stage-down", "s",
                                   _cp_playbook_view_stage_move_action);
  gtk_widget_class_install_action (widget_class, "playbook.edit-stage", "s",
                                   _cp_playbook_view_edit_stage_action);
  gtk_widget_class_install_action (widget_class, "playbook.retire-stage", "s",
                                   _cp_playbook_view_retire_stage_action);
  gtk_widget_class_install_action (widget_class, "playbook.add-stage", NULL,
                                   _cp_playbook_view_add_stage_action);
  gtk_widget_class_install_action (widget_class, "playbook.add-rule", "u",
                                   _cp_playbook_view_edit_rule_action);
  gtk_widget_class_install_action (widget_class, "playbook.edit-rule", "s",
                                   _cp_playbook_view_edit_rule_action);
  gtk_widget_class_install_action (widget_class, "playbook.remove-rule", "s",
                                   _cp_playbook_view_remove_rule_action);
  gtk_widget_class_install_action (widget_class, "playbook.add-route", NULL,
                                   _cp_playbook_view_edit_route_action);
  gtk_widget_class_install_action (widget_class, "playbook.edit-route", "s",
                                   _cp_playbook_view_edit_route_action);
  gtk_widget_class_install_action (widget_class, "playbook.remove-route", "s",
                                   _cp_playbook_view_route_action);
  gtk_widget_class_install_action (widget_class, "playbook.route-up", "s",
                                   _cp_playbook_view_route_action);
  gtk_widget_class_install_action (widget_class, "playbook.route-down", "s",
                                   _cp_playbook_view_route_action);
  gtk_widget_class_install_action (widget_class, "playbook.edit-owners", "s",
                                   _cp_playbook_view_edit_owners_action);
  gtk_widget_class_install_action (widget_class, "playbook.add-automation", NULL,
                                   _cp_playbook_view_automation_action);
  gtk_widget_class_install_action (widget_class, "playbook.add-hours", NULL,
                                   _cp_playbook_view_hours_action);
  gtk_widget_class_install_action (widget_class, "playbook.edit-hours", "s",
                                   _cp_playbook_view_hours_action);
  gtk_widget_class_install_action (widget_class, "playbook.edit-automation", "s",
                                   _cp_playbook_view_automation_action);
  gtk_widget_class_install_action (widget_class, "playbook.remove-automation", "s",
                                   _cp_playbook_view_automation_action);
  gtk_widget_class_install_action (widget_class, "playbook.publish", NULL,
                                   _cp_playbook_view_publish_action);
  gtk_widget_class_install_action (widget_class, "playbook.discard", NULL,
                                   _cp_playbook_view_discard_action);
  gtk_widget_class_install_action (widget_class, "playbook.revert", "x",
                                   _cp_playbook_view_revert_action);
  gtk_widget_class_install_action (widget_class, "playbook.compare", "x",
                                   _cp_playbook_view_compare_action);
  gtk_widget_class_install_action (widget_class, "playbook.preview-impact", NULL,
                                   _cp_playbook_view_preview_impact_action);
  gtk_widget_class_install_action (widget_class, "playbook.import", NULL,
                                   _cp_playbook_view_file_action);
  gtk_widget_class_install_action (widget_class, "playbook.export", NULL,
                                   _cp_playbook_view_file_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "playbook.undo",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "playbook.redo", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cp-playbook-view");

  g_type_ensure (CP_TYPE_SCORE_HISTOGRAM);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/cp-playbook-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CpPlaybookView, toasts);
  gtk_widget_class_bind_template_child (widget_class, CpPlaybookView, status);
  gtk_widget_class_bind_template_child (widget_class, CpPlaybookView, page);
  gtk_widget_class_bind_template_child (widget_class, CpPlaybookView, tiers_group);
  gtk_widget_class_bind_template_child (widget_class, CpPlaybookView, thresholds_group);
  gtk_widget_class_bind_template_child (widget_class, CpPlaybookView, histogram);
  gtk_widget_class_bind_template_child (widget_class, CpPlaybookView, tier_counts);
  gtk_widget_class_bind_template_child (widget_class, CpPlaybookView, nurture);
  gtk_widget_class_bind_template_child (widget_class, CpPlaybookView, sales_ready);
  gtk_widget_class_bind_template_child (widget_class, CpPlaybookView, half_life);
  gtk_widget_class_bind_template_callback (widget_class, threshold_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, half_life_changed_cb);
}

static void
cp_playbook_view_init (CpPlaybookView *self)
{
  self->groups = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  add_cap_rows (self);
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

/**
 * cp_playbook_view_drop_stage:
 * @dragged: the stage dragged
 * @onto: the stage it was dropped on: it takes that one's place
 *
 * Returns: whether the stage moved (if not, the reason was shown)
 */
gboolean
cp_playbook_view_drop_stage (CpPlaybookView *self,
                             const char     *dragged,
                             const char     *onto)
{
  g_autoptr(GError) error = NULL;
  int index;
  gboolean ok;

  g_return_val_if_fail (CP_IS_PLAYBOOK_VIEW (self), FALSE);

  if (self->editor == NULL || g_strcmp0 (dragged, onto) == 0)
    return FALSE;
  index = cp_playbook_stage_index (cp_playbook_editor_get_playbook (self->editor), onto);
  if (index < 0)
    return FALSE;
  ok = cp_playbook_editor_move_stage (self->editor, dragged, (guint) index, &error);
  _cp_playbook_view_report (self, ok, error);
  return ok;
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
