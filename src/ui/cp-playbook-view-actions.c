/* cp-playbook-view-actions.c — what the Playbook view does: edits, dialogs, publish, revert,
 * compare, impact, files
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-playbook-view"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-lead-format.h"
#include "cp-playbook-store.h"
#include "cp-playbook-view-private.h"
#include "cp-automation-dialog.h"
#include "cp-hours-dialog.h"
#include "cp-rule-dialog.h"
#include "cp-stage-dialog.h"

/* ---- actions ---- */

void
_cp_playbook_view_undo_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  g_autoptr(GError) error = NULL;
  gboolean redo = g_str_equal (action_name, "playbook.redo");

  _cp_playbook_view_report (self, redo ? cp_playbook_editor_redo (self->editor, &error)
                     : cp_playbook_editor_undo (self->editor, &error), error);
}

void
_cp_playbook_view_stage_move_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  int index = cp_playbook_stage_index (cp_playbook_editor_get_playbook (self->editor), id);
  g_autoptr(GError) error = NULL;

  if (index < 0 || (index == 0 && g_str_equal (action_name, "playbook.stage-up")))
    return;
  _cp_playbook_view_report (self,
                            cp_playbook_editor_move_stage (self->editor, id,
                                                           g_str_equal (action_name,
                                                                        "playbook.stage-up")
                                                               ? (guint) index - 1
                                                               : (guint) index + 1,
                                                           &error),
                            error);
}

void
_cp_playbook_view_retire_stage_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  g_autoptr(GError) error = NULL;

  _cp_playbook_view_report (self,
                            cp_playbook_editor_retire_stage (self->editor,
                                                             g_variant_get_string (parameter, NULL),
                                                             &error),
                            error);
}

void
_cp_playbook_view_edit_stage_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  CpStageDialog *dialog = cp_stage_dialog_new (_cp_playbook_view_parent (self), self->editor,
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

  _cp_playbook_view_report (self, id != NULL, error);
}

void
_cp_playbook_view_add_stage_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  _cp_playbook_view_ask_text (CP_PLAYBOOK_VIEW (widget), _("Add Stage"),
                              _("It comes after the last open stage; move it where it belongs."),
                              _("Stage name"), NULL, _("_Add"), add_stage_done, NULL, FALSE);
}

void
_cp_playbook_view_edit_rule_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  CpRuleDialog *dialog;

  if (g_str_equal (action_name, "playbook.add-rule"))
    dialog = cp_rule_dialog_new (_cp_playbook_view_parent (self), self->editor, NULL,
                                 (CpScoreCategory) MIN (g_variant_get_uint32 (parameter),
                                                        CP_SCORE_N_CATEGORIES - 1));
  else
    dialog = cp_rule_dialog_new (_cp_playbook_view_parent (self), self->editor,
                                 g_variant_get_string (parameter, NULL), CP_SCORE_FIT);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_cp_playbook_view_edit_route_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  CpRuleDialog *dialog =
      cp_rule_dialog_new_route (_cp_playbook_view_parent (self), self->editor,
                                parameter != NULL ? g_variant_get_string (parameter, NULL) : NULL);

  gtk_window_present (GTK_WINDOW (dialog));
}

void
_cp_playbook_view_route_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  CpPlaybook *playbook = cp_playbook_editor_get_playbook (self->editor);
  g_autoptr(GError) error = NULL;
  guint index = 0;

  if (g_str_equal (action_name, "playbook.remove-route"))
    {
      _cp_playbook_view_report (self, cp_playbook_editor_remove_route (self->editor, id, &error),
                                error);
      return;
    }
  while (index < playbook->route_rules->len &&
         g_strcmp0 (((CpRouteRule *) playbook->route_rules->pdata[index])->id, id) != 0)
    index++;
  if (index >= playbook->route_rules->len ||
      (index == 0 && g_str_equal (action_name, "playbook.route-up")))
    return;
  _cp_playbook_view_report (self,
                            cp_playbook_editor_move_route (self->editor, id,
                                                           g_str_equal (action_name,
                                                                        "playbook.route-up")
                                                               ? index - 1
                                                               : index + 1,
                                                           &error),
                            error);
}

static void
owners_done (CpPlaybookView *self,
             const char     *text,
             const char     *queue_id)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) owners = g_strsplit (text, ",", -1);

  _cp_playbook_view_report (self,
                            cp_playbook_editor_set_queue_owners (self->editor, queue_id,
                                                                 (const char * const *) owners,
                                                                 &error),
                            error);
}

void
_cp_playbook_view_edit_owners_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  const CpQueue *queue = cp_playbook_get_queue (cp_playbook_editor_get_playbook (self->editor), id);
  g_autofree char *owners = NULL;
  g_autofree char *heading = NULL;

  if (queue == NULL)
    return;
  owners = queue->owners != NULL ? g_strjoinv (", ", queue->owners) : g_strdup ("");
  heading = g_strdup_printf (_("Owners of “%s”"),
                             queue->title != NULL ? queue->title : queue->id);
  _cp_playbook_view_ask_text (self, heading,
                              _("Names separated by commas; leads go to them in turn."),
                              _("Owners"), owners, _("_Save"), owners_done, id, FALSE);
}

void
_cp_playbook_view_remove_rule_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  g_autoptr(GError) error = NULL;

  /* Undo brings it back. */
  _cp_playbook_view_report (self,
                            cp_playbook_editor_remove_rule (self->editor,
                                                            g_variant_get_string (parameter, NULL),
                                                            &error),
                            error);
}

void
_cp_playbook_view_automation_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  g_autoptr(GError) error = NULL;

  if (g_str_equal (action_name, "playbook.remove-automation"))
    {
      _cp_playbook_view_report (self,
                                cp_playbook_editor_remove_automation (
                                    self->editor, g_variant_get_string (parameter, NULL), &error),
                                error);
      return;
    }
  gtk_window_present (GTK_WINDOW (
      cp_automation_dialog_new (_cp_playbook_view_parent (self), self->editor,
                                parameter != NULL ? g_variant_get_string (parameter, NULL)
                                                  : NULL)));
}

void
_cp_playbook_view_hours_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);

  gtk_window_present (GTK_WINDOW (
      cp_hours_dialog_new (_cp_playbook_view_parent (self), self->editor,
                           parameter != NULL ? g_variant_get_string (parameter, NULL) : NULL)));
}

/* A question with one line of text; @done gets the text when confirmed. */

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
                    question->second != NULL
                        ? gtk_editable_get_text (GTK_EDITABLE (question->second))
                        : question->target);
}

AdwMessageDialog *
_cp_playbook_view_ask_text (CpPlaybookView *self,
                            const char     *heading,
                            const char     *body,
                            const char     *placeholder,
                            const char     *initial,
                            const char     *ok_label,
                            TextDone        done,
                            const char     *target,
                            gboolean        with_date)
{
  AdwMessageDialog *dialog =
      ADW_MESSAGE_DIALOG (adw_message_dialog_new (_cp_playbook_view_parent (self), heading, body));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  TextQuestion *question = g_new0 (TextQuestion, 1);

  question->view = g_object_ref (self);
  question->entry = GTK_ENTRY (gtk_entry_new ());
  question->done = done;
  question->target = g_strdup (target);
  gtk_entry_set_placeholder_text (question->entry, placeholder);
  gtk_entry_set_activates_default (question->entry, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (question->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  placeholder, -1);
  gtk_editable_set_text (GTK_EDITABLE (question->entry), initial != NULL ? initial : "");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (question->entry));
  if (with_date)
    {
      question->second = GTK_ENTRY (gtk_entry_new ());
      gtk_entry_set_placeholder_text (question->second,
                                      _("In effect from (YYYY-MM-DD; empty: now)"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (question->second),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("In effect from"), -1);
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
          g_autofree char *message =
              g_strdup_printf (_("“%s” is not a date like 2026-12-01: nothing was published."),
                               date);
          _cp_playbook_view_toast (self, message);
          return;
        }
      effective = g_date_time_to_unix (dt);
    }
  id = cp_playbook_editor_publish (self->editor, reason, effective, &error);
  if (id <= 0)
    {
      _cp_playbook_view_toast (self, error->message);
      return;
    }
  {
    g_autofree char *message = g_strdup_printf (_("Published as version %" G_GINT64_FORMAT), id);
    _cp_playbook_view_toast (self, message);
  }
  g_signal_emit_by_name (self, "published", id);
}

void
_cp_playbook_view_publish_action (GtkWidget  *widget,
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
  _cp_playbook_view_ask_text (self, _("Publish the Draft?"), body->str,
                              _("Reason for the change"), NULL, _("_Publish"), publish_done, NULL,
                              TRUE);
}

static void
discard_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     CpPlaybookView   *self)
{
  g_autoptr(GError) error = NULL;

  if (g_str_equal (response, "discard"))
    _cp_playbook_view_report (self, cp_playbook_editor_discard (self->editor, &error), error);
}

void
_cp_playbook_view_discard_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (_cp_playbook_view_parent (self), _("Discard the Draft?"),
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
  gint64 id =
      cp_playbook_editor_revert (self->editor, g_ascii_strtoll (version, NULL, 10), reason, &error);

  if (id <= 0)
    {
      _cp_playbook_view_toast (self, error->message);
      return;
    }
  g_signal_emit_by_name (self, "published", id);
}

void
_cp_playbook_view_revert_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  gint64 id = g_variant_get_int64 (parameter);
  g_autofree char *heading = g_strdup_printf (_("Revert to Version %" G_GINT64_FORMAT "?"), id);
  g_autofree char *target = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  _cp_playbook_view_ask_text (self, heading,
                              _("It is published again as a new version; the history stays."),
                              _("Reason for the change"), NULL, _("_Revert"), revert_done, target,
                              FALSE);
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
  adw_preferences_group_set_title (compare->group,
                                   changes->len == 0 ? _("No Differences") : _("Changes"));
  for (guint i = 0; i < changes->len; i++)
    {
      CpPlaybookChange *change = changes->pdata[i];
      const char *what = change->kind == CP_PLAYBOOK_CHANGE_ADDED ? _("Added")
                         : change->kind == CP_PLAYBOOK_CHANGE_REMOVED ? _("Removed") : _("Changed");
      g_autofree char *row_title =
          g_strdup_printf ("%s %s “%s”", what, change->section, change->id);
      g_autofree char *subtitle = change->kind == CP_PLAYBOOK_CHANGE_CHANGED
        ? g_strdup_printf (_("Before: %s\nAfter: %s"), change->before != NULL ? change->before : "",
                           change->after != NULL ? change->after : "")
        : g_strdup (change->after != NULL ? change->after : change->before);
      GtkWidget *row = _cp_playbook_view_text_row (row_title, subtitle);
      GtkWidget *sign = gtk_label_new (change->kind == CP_PLAYBOOK_CHANGE_ADDED ? "+"
                                       : change->kind == CP_PLAYBOOK_CHANGE_REMOVED ? "−" : "~");

      gtk_widget_add_css_class (sign, change->kind == CP_PLAYBOOK_CHANGE_ADDED     ? "success"
                                      : change->kind == CP_PLAYBOOK_CHANGE_REMOVED ? "error"
                                                                                   : "warning");
      gtk_widget_add_css_class (sign, "title-3");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), sign);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);   /* all of it */
      adw_preferences_group_add (compare->group, row);
    }
}

void
_cp_playbook_view_compare_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  gint64 to = g_variant_get_int64 (parameter);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) versions = cp_playbook_editor_list_versions (self->editor, &error);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *window;
  Compare *compare;
  guint to_index = 0;

  if (versions == NULL)
    {
      _cp_playbook_view_toast (self, error->message);
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
      g_autofree char *label =
          g_strdup_printf (_("Version %" G_GINT64_FORMAT " · %s"), version->id,
                           version->reason != NULL ? version->reason : "");

      if (version->id == to)
        to_index = compare->ids->len;
      g_array_append_val (compare->ids, version->id);
      gtk_string_list_append (labels, label);
    }

  builder = gtk_builder_new_from_resource (RESOURCE_PATH "/cp-playbook-compare.ui");
  window = GTK_WINDOW (gtk_builder_get_object (builder, "window"));
  gtk_window_set_transient_for (window, _cp_playbook_view_parent (self));
  g_object_set_data_full (G_OBJECT (window), "cp-compare", compare, compare_free);
  compare->page = GTK_WIDGET (gtk_builder_get_object (builder, "page"));
  compare->from = ADW_COMBO_ROW (gtk_builder_get_object (builder, "from"));
  compare->to = ADW_COMBO_ROW (gtk_builder_get_object (builder, "to"));
  adw_combo_row_set_model (compare->from, G_LIST_MODEL (labels));
  adw_combo_row_set_model (compare->to, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (compare->to, to_index);
  adw_combo_row_set_selected (compare->from, to_index > 0 ? to_index - 1 : 0);
  compare_refresh (compare);
  g_signal_connect_swapped (compare->from, "notify::selected", G_CALLBACK (compare_refresh),
                            compare);
  g_signal_connect_swapped (compare->to, "notify::selected", G_CALLBACK (compare_refresh), compare);
  gtk_window_present (window);
}

static void
example_activated_cb (AdwActionRow   *row,
                      CpPlaybookView *self)
{
  g_signal_emit_by_name (self, "open-lead", g_object_get_data (G_OBJECT (row), "cp-lead-id"));
}

/* The counts of each kind of change, each with its example leads to open. */
void
_cp_playbook_view_show_impact (CpPlaybookView   *self,
                               CpPlaybookImpact *impact)
{
  static const char * const titles[CP_IMPACT_N_KINDS] = {
    N_("Score changes"), N_("Tier changes"), N_("Queue changes"),
    N_("Could no longer move on"), N_("In a stage the draft removes"),
  };
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource (RESOURCE_PATH "/cp-playbook-impact.ui");
  GtkWindow *window = GTK_WINDOW (gtk_builder_get_object (builder, "window"));
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (gtk_builder_get_object (builder, "group"));
  g_autofree char *description =
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                    "What publishing the draft would change, of %u lead.",
                                    "What publishing the draft would change, of %u leads.",
                                    impact->leads),
                       impact->leads);

  gtk_window_set_transient_for (window, _cp_playbook_view_parent (self));
  adw_preferences_group_set_description (group, description);
  for (CpImpactKind kind = 0; kind < CP_IMPACT_N_KINDS; kind++)
    {
      GtkWidget *expander = adw_expander_row_new ();
      g_autofree char *count = g_strdup_printf ("%u", impact->counts[kind]);
      GtkWidget *label = gtk_label_new (count);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), _(titles[kind]));
      gtk_widget_add_css_class (label, "numeric");
      adw_expander_row_add_action (ADW_EXPANDER_ROW (expander), label);
      adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (expander),
                                             impact->examples[kind]->len > 0);
      for (guint i = 0; i < impact->examples[kind]->len; i++)
        {
          const char *id = impact->examples[kind]->pdata[i];
          g_autoptr(CpLead) lead = cp_lead_store_get (self->store, id, NULL);
          g_autofree char *name = lead != NULL ? cp_lead_dup_display_name (lead) : g_strdup (id);
          GtkWidget *row =
              _cp_playbook_view_text_row (name, lead != NULL
                                                    ? cp_value_label (cp_lead_get_stage (lead))
                                                    : NULL);

          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     gtk_image_new_from_icon_name ("go-next-symbolic"));
          g_object_set_data_full (G_OBJECT (row), "cp-lead-id", g_strdup (id), g_free);
          g_signal_connect_object (row, "activated", G_CALLBACK (example_activated_cb), self, 0);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
        }
      adw_preferences_group_add (group, expander);
    }
  gtk_window_present (window);
}

static void
impact_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CpPlaybookView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CpPlaybookImpact) impact =
      cp_playbook_editor_preview_impact_finish (CP_PLAYBOOK_EDITOR (source), result, &error);
  if (impact == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _cp_playbook_view_toast (self, error->message);
      return;
    }
  _cp_playbook_view_show_impact (self, impact);
}

void
_cp_playbook_view_preview_impact_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);

  _cp_playbook_view_toast (self, _("Evaluating every lead with the draft…"));
  cp_playbook_editor_preview_impact_async (self->editor, self->cancellable, impact_cb,
                                           g_object_ref (self));
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
        _cp_playbook_view_report (self,
                                  import ? cp_playbook_editor_import (self->editor, path, &error)
                                         : cp_playbook_editor_export (self->editor, path, &error),
                                  error);
    }
  g_object_unref (chooser);
}

void
_cp_playbook_view_file_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  CpPlaybookView *self = CP_PLAYBOOK_VIEW (widget);
  gboolean import = g_str_equal (action_name, "playbook.import");
  GtkFileChooserNative *chooser =
      gtk_file_chooser_native_new (import ? _("Import Playbook") : _("Export Playbook"),
                                   _cp_playbook_view_parent (self),
                                   import ? GTK_FILE_CHOOSER_ACTION_OPEN
                                          : GTK_FILE_CHOOSER_ACTION_SAVE,
                                   import ? _("_Import") : _("_Export"), _("_Cancel"));

  if (!import)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "playbook.json");
  g_object_set_data (G_OBJECT (chooser), "cp-import", GINT_TO_POINTER (import));
  g_signal_connect (chooser, "response", G_CALLBACK (file_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
