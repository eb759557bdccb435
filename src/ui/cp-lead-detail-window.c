/* cp-lead-detail-window.c — one lead: overview, activity, score explanation, history
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-detail-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-application.h"
#include "cp-automation.h"
#include "cp-business-hours.h"
#include "cp-lead-detail-window.h"
#include "cp-lead-detail-window-private.h"
#include "cp-lead-editor.h"
#include "cp-lead-editor-model.h"
#include "cp-lead-format.h"
#include "cp-lead-timeline.h"
#include "cp-rescore.h"
#include "cp-scorer.h"
#include "cp-toast.h"

struct _CpLeadDetailWindow
{
  AdwWindow            parent_instance;

  CpLeadStore         *store;
  CpPlaybook          *playbook;   /* (nullable) */
  char                *lead_id;
  gulong               changed_id;
  guint                n_history;
  GPtrArray           *groups;     /* AdwPreferencesGroup added by reload(), with their page */

  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack        *stack;
  AdwToastOverlay     *toast_overlay;
  AdwToast            *last_outcome;   /* (weak) the toast of the last logged activity */
  GtkLabel            *name_label;
  GtkLabel            *stage_label;
  GtkLabel            *score_label;
  GtkLabel            *tier_label;
  AdwPreferencesPage  *overview_page;
  AdwPreferencesPage  *activity_page;
  AdwPreferencesPage  *score_page;
  AdwPreferencesPage  *history_page;
  AdwEntryRow         *details_row;
  AdwActionRow        *call_row;
  AdwActionRow        *email_row;
  AdwActionRow        *meeting_row;
  GtkDropDown         *disposition_dropdown;
  GtkDropDown         *kind_dropdown;
  GSettings           *settings;
};

G_DEFINE_FINAL_TYPE (CpLeadDetailWindow, cp_lead_detail_window, ADW_TYPE_WINDOW)

static gint64
now (CpLeadDetailWindow *self)
{
  return cp_lead_store_now (self->store);
}

static AdwPreferencesGroup *
add_group (CpLeadDetailWindow *self,
           AdwPreferencesPage *page,
           const char         *title,
           const char         *description)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  if (title != NULL)
    {
      /* Group titles are markup. */
      g_autofree char *escaped = g_markup_escape_text (title, -1);
      adw_preferences_group_set_title (group, escaped);
    }
  if (description != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (description, -1);
      adw_preferences_group_set_description (group, escaped);
    }
  adw_preferences_page_add (page, group);
  g_object_set_data (G_OBJECT (group), "cp-page", page);
  g_ptr_array_add (self->groups, group);

  return group;
}

static GtkWidget *
add_row (AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* Values are user data: never markup, not even before they are set. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle != NULL ? subtitle : "");
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (group, row);

  return row;
}

static void
add_suffix_label (GtkWidget  *row,
                  const char *text,
                  const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, css_class);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
}

static void
clear_groups (CpLeadDetailWindow *self)
{
  for (guint i = 0; i < self->groups->len; i++)
    {
      AdwPreferencesGroup *group = self->groups->pdata[i];
      adw_preferences_page_remove (g_object_get_data (G_OBJECT (group), "cp-page"), group);
    }
  g_ptr_array_set_size (self->groups, 0);
}

static void
fill_header (CpLeadDetailWindow *self,
             CpLead             *lead)
{
  g_autofree char *name = cp_lead_dup_display_name (lead);
  g_autofree char *score = g_strdup_printf ("%" G_GINT64_FORMAT,
                                            cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE));
  g_autofree char *stage_line = NULL;
  const char *tier = cp_lead_get_text (lead, CP_LEAD_FIELD_TIER);
  const char *owner = cp_lead_get_text (lead, CP_LEAD_FIELD_OWNER);
  static const char * const tier_classes[] = {
    "tier-sales-ready", "tier-nurture", "tier-unqualified",
  };

  gtk_window_set_title (GTK_WINDOW (self), name);
  adw_view_switcher_title_set_title (self->switcher_title, name);
  gtk_label_set_text (self->name_label, name);
  stage_line = owner != NULL
    ? g_strdup_printf (_("%s · owned by %s"), cp_value_label (cp_lead_get_stage (lead)), owner)
    : g_strdup (cp_value_label (cp_lead_get_stage (lead)));
  gtk_label_set_text (self->stage_label, stage_line);
  gtk_label_set_text (self->score_label, score);
  gtk_label_set_text (self->tier_label, tier != NULL ? cp_value_label (tier) : _("Not scored"));
  for (guint i = 0; i < G_N_ELEMENTS (tier_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->score_label), tier_classes[i]);
  if (tier != NULL)
    {
      g_autofree char *css = g_strdup_printf ("tier-%s", tier);
      g_strdelimit (css, "_", '-');
      gtk_widget_add_css_class (GTK_WIDGET (self->score_label), css);
    }
}

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

/* Custom fields, in the order of their names. */
static void
fill_custom_fields (CpLeadDetailWindow *self,
                    CpLead             *lead)
{
  GHashTable *custom = cp_lead_get_custom_fields (lead);
  g_autofree const char **keys = NULL;
  AdwPreferencesGroup *group;
  guint n_keys = 0;

  if (custom == NULL || g_hash_table_size (custom) == 0)
    return;
  keys = (const char **) g_hash_table_get_keys_as_array (custom, &n_keys);
  g_qsort_with_data (keys, n_keys, sizeof (char *), compare_keys, NULL);
  group = add_group (self, self->overview_page, _("Custom Fields"), NULL);
  for (guint i = 0; i < n_keys; i++)
    {
      g_autofree char *label = cp_humanize_id (keys[i]);
      add_row (group, label, g_hash_table_lookup (custom, keys[i]));
    }
}

static void
fill_overview (CpLeadDetailWindow *self,
               CpLead             *lead)
{
  const CpFieldGroup *field_groups;
  AdwPreferencesGroup *group;
  guint n_groups;
  gint64 due = cp_lead_get_int (lead, CP_LEAD_FIELD_SLA_DUE_AT);
  gint64 responded = cp_lead_get_int (lead, CP_LEAD_FIELD_FIRST_RESPONSE_AT);
  g_autofree char *sla =
      cp_format_sla_line (due, responded, now (self),
                          self->playbook != NULL ? self->playbook->escalate_after_hours : 0);
  GtkWidget *sla_row;

  group = add_group (self, self->overview_page, _("Ownership"), NULL);
  add_row (group, _("Owner"), cp_lead_get_text (lead, CP_LEAD_FIELD_OWNER) ?: _("Unassigned"));
  {
    const char *queue_id = cp_lead_get_text (lead, CP_LEAD_FIELD_QUEUE);
    const CpQueue *queue = queue_id != NULL && self->playbook != NULL
      ? cp_playbook_get_queue (self->playbook, queue_id) : NULL;

    g_autofree char *queue_label =
        queue == NULL && queue_id != NULL ? cp_humanize_id (queue_id) : NULL;

    add_row (group, _("Queue"), queue != NULL && queue->title != NULL ? queue->title
                                : queue_label != NULL ? queue_label : _("None"));
  }
  sla_row = add_row (group, _("Response SLA"), sla);
  /* The clock starts when the lead enters its stage, in the location's
   * business hours; a breach shows in the error colour. */
  if (due > 0 && responded == 0 && due < now (self))
    gtk_widget_add_css_class (sla_row, "cp-sla-breached");
  gtk_widget_set_name (sla_row, "sla-row");

  field_groups = cp_lead_field_groups (&n_groups);
  for (guint g = 0; g < n_groups; g++)
    {
      group = NULL;
      for (const CpLeadField *f = field_groups[g].fields; *f != CP_LEAD_N_FIELDS; f++)
        {
          g_autofree char *value = cp_lead_dup_value_label (lead, *f);

          if (value == NULL || *value == '\0' ||
              (cp_lead_field_info (*f)->type == CP_FIELD_TYPE_BOOL &&
               cp_lead_get_int (lead, *f) == 0))
            continue;
          if (group == NULL)
            group = add_group (self, self->overview_page, _(field_groups[g].title), NULL);
          add_row (group, _(cp_lead_field_info (*f)->label), value);
        }
    }

  fill_custom_fields (self, lead);
}

static void
fill_activity (CpLeadDetailWindow *self,
               CpLead             *lead)
{
  AdwPreferencesGroup *group;
  struct
  {
    AdwActionRow *row;
    const char   *action;
    const char   *channel;
    const char   *subtitle;
  } outreach[] = {
    { self->call_row, "detail.log-call", "phone", _("Log a call and its outcome") },
    { self->email_row, "detail.log-email", "email", _("Log an email you sent") },
  };

  /* Outreach the consent or the stage forbids is off, and says why. */
  for (guint i = 0; i < G_N_ELEMENTS (outreach); i++)
    {
      g_autofree char *reason = NULL;

      if (self->playbook == NULL)
        reason = g_strdup (_("No playbook is in effect."));
      else
        cp_lead_outreach_allowed (self->playbook, lead, outreach[i].channel, &reason);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), outreach[i].action, reason == NULL);
      adw_action_row_set_subtitle (outreach[i].row, reason != NULL ? reason : outreach[i].subtitle);
      gtk_widget_set_tooltip_text (GTK_WIDGET (outreach[i].row), reason);
      if (g_str_equal (outreach[i].channel, "phone"))
        gtk_widget_set_sensitive (GTK_WIDGET (self->disposition_dropdown), reason == NULL);
      if (reason != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (outreach[i].row), "cp-blocked");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (outreach[i].row), "cp-blocked");
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.log-meeting", self->playbook != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.add-note", self->playbook != NULL);

  /* Read on a worker, the newest first: a lead with years of activity
   * opens at once. */
  group = add_group (self, self->activity_page, _("Timeline"), NULL);
  cp_lead_timeline_load (group, self->store, self->lead_id);
}

static char *
format_points (double points)
{
  int rounded = (int) (points >= 0 ? points + 0.5 : points - 0.5);

  return rounded > 0 ? g_strdup_printf ("+%d", rounded) : g_strdup_printf ("%d", rounded);
}

static void
fill_score (CpLeadDetailWindow *self)
{
  g_autoptr(CpLeadSnapshot) snapshot = NULL;
  g_autoptr(CpScoreExplanation) explanation = NULL;
  g_autoptr(CpScorer) scorer = NULL;
  g_autoptr(GError) error = NULL;
  AdwPreferencesGroup *group;
  const CpScoringModel *model;
  g_autofree char *total = NULL;

  if (self->playbook == NULL)
    {
      add_group (self, self->score_page, _("Score"), _("No playbook is in effect."));
      return;
    }
  snapshot = cp_lead_snapshot_load (self->store, self->lead_id, now (self), &error);
  if (snapshot == NULL)
    {
      add_group (self, self->score_page, _("Score"), error->message);
      return;
    }
  scorer = cp_scorer_new (self->playbook);
  explanation = cp_scorer_explain (scorer, &snapshot->input);
  model = &self->playbook->scoring;

  total = g_strdup_printf ("%d", explanation->result.score);
  group = add_group (self, self->score_page, _("Score"),
                     _("As the playbook in effect scores the lead now."));
  {
    GtkWidget *row = add_row (group, _("Total"), cp_value_label (explanation->result.tier));
    add_suffix_label (row, total, "title-3");
  }
  for (CpScoreCategory c = 0; c < CP_SCORE_N_CATEGORIES; c++)
    {
      g_autofree char *name = cp_humanize_id (cp_score_category_to_string (c));
      g_autofree char *cap = g_strdup_printf (_("Capped at %d"), model->caps[c]);
      g_autofree char *value = g_strdup_printf ("%d", explanation->result.category[c]);
      GtkWidget *row = add_row (group, name, cap);

      add_suffix_label (row, value, "numeric");
    }

  group = add_group (self, self->score_page, _("Rules That Fired"),
                     explanation->contributions->len == 0 ? _("No rule fired.") : NULL);
  for (guint i = 0; i < explanation->contributions->len; i++)
    {
      CpScoreContribution *contribution = explanation->contributions->pdata[i];
      const char *category_id = cp_score_category_to_string (contribution->category);
      g_autofree char *category = cp_humanize_id (category_id);
      g_autofree char *points = format_points (contribution->effective);
      g_autoptr(GString) subtitle = g_string_new (category);
      GtkWidget *row;

      if (contribution->stage_override)
        g_string_append_printf (subtitle, _(" · %d points in this stage (normally %d)"),
                                contribution->points, contribution->base_points);
      if (contribution->decay_factor < 0.999)
        g_string_append_printf (subtitle, _(" · decayed to %.0f%% (%.0f days old)"),
                                contribution->decay_factor * 100, contribution->age_days);
      if (contribution->why != NULL)
        g_string_append_printf (subtitle, " · %s", contribution->why);
      row = add_row (group, contribution->description != NULL ? contribution->description
                                                              : contribution->rule_id,
                     subtitle->str);
      add_suffix_label (row, points, contribution->effective < 0 ? "error" : "numeric");
    }

  group = add_group (self, self->score_page, _("Tier Thresholds"), NULL);
  {
    g_autofree char *nurture = g_strdup_printf (_("From %d points"), model->nurture_threshold);
    g_autofree char *ready = g_strdup_printf (_("From %d points"), model->sales_ready_threshold);
    g_autofree char *below = g_strdup_printf (_("Below %d points"), model->nurture_threshold);
    g_autofree char *decay = model->half_life_days > 0
      ? g_strdup_printf (_("Engagement points halve every %.0f days"), model->half_life_days)
      : g_strdup (_("Points do not decay"));

    add_row (group, cp_value_label ("sales_ready"), ready);
    add_row (group, cp_value_label ("nurture"), nurture);
    add_row (group, cp_value_label ("unqualified"), below);
    add_row (group, _("Decay"), decay);
  }
}

static void
fill_history (CpLeadDetailWindow *self)
{
  g_autoptr(GPtrArray) history = cp_lead_store_history (self->store, self->lead_id, NULL);
  AdwPreferencesGroup *group;

  self->n_history = history != NULL ? history->len : 0;
  group = add_group (self, self->history_page, _("History"),
                     _("Every change, newest first, with who made it and why."));
  for (guint i = self->n_history; i > 0; i--)
    {
      CpHistoryEntry *entry = history->pdata[i - 1];
      g_autofree char *change = cp_format_history_change (entry->action, entry->field,
                                                          entry->old_value, entry->new_value);
      g_autofree char *when = cp_format_date_time (entry->time);
      g_autoptr(GString) detail = g_string_new (when);

      if (entry->actor != NULL)
        g_string_append_printf (detail, " · %s", entry->actor);
      if (entry->reason != NULL)
        g_string_append_printf (detail, " · “%s”", entry->reason);
      add_row (group, change, detail->str);
    }
}

/* What changes the lead (or writes for it): off when it cannot be changed. */
static void
disable_changes (CpLeadDetailWindow *self,
                 gboolean            removed)
{
  static const char * const changing[] = {
    "detail.edit", "detail.log-call", "detail.log-email", "detail.log-meeting",
    "detail.add-note", "detail.log-other", "detail.erase-person", "detail.delete-lead",
    "detail.add-task", "detail.call", "detail.email-template",
  };

  for (guint a = 0; a < G_N_ELEMENTS (changing); a++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), changing[a], FALSE);
  /* Nothing is left to export of a lead that is gone. */
  if (removed)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.export-person", FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->disposition_dropdown), FALSE);
}

static void
reload (CpLeadDetailWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = NULL;

  clear_groups (self);

  lead = cp_lead_store_get (self->store, self->lead_id, &error);
  if (lead == NULL)
    {
      /* Deleted or merged elsewhere meanwhile: what the window still
       * shows can no longer be changed (each would end in an error). */
      add_group (self, self->overview_page, NULL, error->message);
      gtk_label_set_text (self->stage_label, _("Removed"));
      disable_changes (self, TRUE);
      return;
    }

  fill_header (self, lead);
  _cp_lead_detail_window_fill_task_groups (self, lead);
  fill_overview (self, lead);
  fill_activity (self, lead);
  fill_score (self);
  fill_history (self);

  /* A database that cannot be written: this window only reads it. */
  if (cp_database_is_read_only (cp_lead_store_get_database (self->store)))
    disable_changes (self, FALSE);
}

/* What Undo of an automatic move puts back. */
typedef struct
{
  CpLeadDetailWindow *window;
  char               *from_stage;
  char               *to_stage;
} UndoMove;

static void
undo_move_free (gpointer data)
{
  UndoMove *undo = data;

  /* Weak: the toast lives in the window; a strong ref would be a cycle. */
  g_clear_weak_pointer (&undo->window);
  g_free (undo->from_stage);
  g_free (undo->to_stage);
  g_free (undo);
}

static void
undo_move_cb (AdwToast *toast,
              UndoMove *undo)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = g_strdup_printf (_("Undid the playbook’s move to %s"),
                                             cp_value_label (undo->to_stage));

  if (undo->window == NULL)
    return;
  if (!cp_lead_store_move (undo->window->store, undo->window->lead_id, undo->to_stage,
                           undo->from_stage, NULL, reason, g_get_real_name (), NULL, &error))
    adw_toast_overlay_add_toast (undo->window->toast_overlay, cp_toast_new_text (error->message));
}

/* The activity is saved; the toast says what the playbook made of it: a
 * move (which can be undone) or a move its own rules refused. */
void
_cp_lead_detail_window_show_outcome (CpLeadDetailWindow   *self,
                                     CpActivityKind        kind,
                                     const CpWriteOutcome *outcome)
{
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (outcome->moves != NULL && outcome->moves->len > 0)
    {
      CpProposedMove *first = outcome->moves->pdata[0];
      CpProposedMove *last = outcome->moves->pdata[outcome->moves->len - 1];
      UndoMove *undo = g_new0 (UndoMove, 1);

      /* Translators: an activity was logged and the playbook moved the
       * lead, e.g. “Call logged: moved to Engaged by the playbook” */
      title = g_strdup_printf (_("%s logged: moved to %s by the playbook"),
                               cp_activity_kind_label (kind), cp_value_label (last->to_stage));
      toast = cp_toast_new_text (title);
      adw_toast_set_timeout (toast, 8);
      adw_toast_set_button_label (toast, _("_Undo Move"));
      g_set_weak_pointer (&undo->window, self);
      undo->from_stage = g_strdup (first->from_stage);
      undo->to_stage = g_strdup (last->to_stage);
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (undo_move_cb), undo,
                             (GClosureNotify) (void (*) (void)) undo_move_free, 0);
    }
  else if (outcome->blocked != NULL && outcome->blocked->len > 0)
    {
      CpProposedMove *move = outcome->blocked->pdata[0];

      title = g_strdup_printf (_("%s logged; not moved to %s: %s"), cp_activity_kind_label (kind),
                               cp_value_label (move->to_stage), move->blocked_message);
      toast = cp_toast_new_text (title);
      adw_toast_set_timeout (toast, 8);
    }
  else
    {
      title = g_strdup_printf (_("%s logged"), cp_activity_kind_label (kind));
      toast = cp_toast_new_text (title);
    }
  g_set_weak_pointer (&self->last_outcome, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
log_activity (CpLeadDetailWindow *self,
              CpActivityKind      kind,
              const char         *disposition)
{
  g_autoptr(CpActivity) activity = cp_activity_new ();
  g_auto(CpWriteOutcome) outcome = { NULL, };
  g_autoptr(GError) error = NULL;
  const char *detail = gtk_editable_get_text (GTK_EDITABLE (self->details_row));

  if (kind == CP_ACTIVITY_KIND_NOTE && *detail == '\0')
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   cp_toast_new_text (_("Write the note under Details first")));
      return;
    }

  cp_activity_set_lead_id (activity, self->lead_id);
  cp_activity_set_kind (activity, kind);
  cp_activity_set_detail (activity, *detail != '\0' ? detail : NULL);
  cp_activity_set_disposition (activity, disposition);
  cp_activity_set_actor (activity, g_get_real_name ());
  /* The store rescores, and runs the playbook's automation, with it. */
  if (!cp_lead_store_log_activity (self->store, activity, &outcome, &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, cp_toast_new_text (error->message));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->details_row), "");
  _cp_lead_detail_window_show_outcome (self, kind, &outcome);
}

static void
log_call_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CpLeadDetailWindow *self = CP_LEAD_DETAIL_WINDOW (widget);
  guint position = gtk_drop_down_get_selected (self->disposition_dropdown);
  const char * const *dispositions = cp_call_dispositions ();

  log_activity (self, CP_ACTIVITY_KIND_CALL,
                position < g_strv_length ((char **) dispositions) ? dispositions[position] : NULL);
}

static void
log_kind_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CpActivityKind kind = CP_ACTIVITY_KIND_NOTE;

  if (g_str_equal (action_name, "detail.log-email"))
    kind = CP_ACTIVITY_KIND_EMAIL_SENT;
  else if (g_str_equal (action_name, "detail.log-meeting"))
    kind = CP_ACTIVITY_KIND_MEETING_BOOKED;
  log_activity (CP_LEAD_DETAIL_WINDOW (widget), kind, NULL);
}

/* Every kind the playbook's rules can read, in the dropdown's order. */
static void
log_other_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CpLeadDetailWindow *self = CP_LEAD_DETAIL_WINDOW (widget);
  guint position = gtk_drop_down_get_selected (self->kind_dropdown);

  if (position < CP_ACTIVITY_N_KINDS)
    log_activity (self, (CpActivityKind) position, NULL);
}

/* Edit: the lead editor on this lead; the window follows the store. */
static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CpLeadDetailWindow *self = CP_LEAD_DETAIL_WINDOW (widget);
  g_autofree char *region = g_settings_get_string (self->settings, "default-phone-region");
  g_autoptr(GError) error = NULL;
  CpLeadEditor *editor;

  editor = cp_lead_editor_new (GTK_WINDOW (self), self->store, self->playbook, region,
                               self->lead_id, &error);
  if (editor == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, cp_toast_new_text (error->message));
      return;
    }
  gtk_window_present (GTK_WINDOW (editor));
}

static void
show_tab_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CpLeadDetailWindow *self = CP_LEAD_DETAIL_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->stack, g_variant_get_string (parameter, NULL));
}

static void
store_changed_cb (CpLeadStore        *store,
                  const char         *lead_id,
                  guint               change,
                  CpLeadDetailWindow *self)
{
  if (lead_id == NULL || g_strcmp0 (lead_id, self->lead_id) == 0)
    reload (self);
}

static void
cp_lead_detail_window_dispose (GObject *object)
{
  CpLeadDetailWindow *self = CP_LEAD_DETAIL_WINDOW (object);

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_weak_pointer (&self->last_outcome);
  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_LEAD_DETAIL_WINDOW);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->playbook, cp_playbook_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);

  G_OBJECT_CLASS (cp_lead_detail_window_parent_class)->dispose (object);
}

static void
cp_lead_detail_window_finalize (GObject *object)
{
  CpLeadDetailWindow *self = CP_LEAD_DETAIL_WINDOW (object);

  g_free (self->lead_id);

  G_OBJECT_CLASS (cp_lead_detail_window_parent_class)->finalize (object);
}

static void
cp_lead_detail_window_class_init (CpLeadDetailWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char * const tabs[] = { "overview", "activity", "score", "history" };

  object_class->dispose = cp_lead_detail_window_dispose;
  object_class->finalize = cp_lead_detail_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/cp-lead-detail-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CpLeadDetailWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, CpLeadDetailWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CpLeadDetailWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CpLeadDetailWindow, name_label);
  gtk_widget_class_bind_template_child (widget_class, CpLeadDetailWindow, stage_label);
  gtk_widget_class_bind_template_child (widget_class, CpLeadDetailWindow, score_label);
  gtk_widget_class_bind_template_child (widget_class, CpLeadDetailWindow, tier_label);
  gtk_widget_class_bind_template_child (widget_class, CpLeadDetailWindow, overview_page);
  gtk_widget_class_bind_template_child (widget_class, CpLeadDetailWindow, activity_page);
  gtk_widget_class_bind_template_child (widget_class, CpLeadDetailWindow, score_page);
  gtk_widget_class_bind_template_child (widget_class, CpLeadDetailWindow, history_page);
  gtk_widget_class_bind_template_child (widget_class, CpLeadDetailWindow, details_row);
  gtk_widget_class_bind_template_child (widget_class, CpLeadDetailWindow, call_row);
  gtk_widget_class_bind_template_child (widget_class, CpLeadDetailWindow, email_row);
  gtk_widget_class_bind_template_child (widget_class, CpLeadDetailWindow, meeting_row);
  gtk_widget_class_bind_template_child (widget_class, CpLeadDetailWindow, disposition_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CpLeadDetailWindow, kind_dropdown);

  gtk_widget_class_install_action (widget_class, "detail.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "detail.log-call", NULL, log_call_action);
  gtk_widget_class_install_action (widget_class, "detail.log-email", NULL, log_kind_action);
  gtk_widget_class_install_action (widget_class, "detail.log-meeting", NULL, log_kind_action);
  gtk_widget_class_install_action (widget_class, "detail.add-note", NULL, log_kind_action);
  gtk_widget_class_install_action (widget_class, "detail.log-other", NULL, log_other_action);
  gtk_widget_class_install_action (widget_class, "detail.show-tab", "s", show_tab_action);
  _cp_lead_detail_window_install_privacy_actions (widget_class);
  _cp_lead_detail_window_class_init_tasks (widget_class);

  for (guint i = 0; i < G_N_ELEMENTS (tabs); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "detail.show-tab", "s", tabs[i]);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "detail.edit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close",
                                       NULL);
}

static void
cp_lead_detail_window_init (CpLeadDetailWindow *self)
{
  g_autoptr(GtkStringList) dispositions = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->groups = g_ptr_array_new ();

  for (const char * const *d = cp_call_dispositions (); *d != NULL; d++)
    {
      g_autofree char *label = cp_humanize_id (*d);
      gtk_string_list_append (dispositions, label);
    }
  gtk_drop_down_set_model (self->disposition_dropdown, G_LIST_MODEL (dispositions));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->disposition_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Call outcome"), -1);
  for (CpActivityKind k = 0; k < CP_ACTIVITY_N_KINDS; k++)
    gtk_string_list_append (kinds, cp_activity_kind_label (k));
  gtk_drop_down_set_model (self->kind_dropdown, G_LIST_MODEL (kinds));
  gtk_drop_down_set_expression (self->kind_dropdown,
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL,
                                                             "string"));
  gtk_drop_down_set_selected (self->kind_dropdown, CP_ACTIVITY_KIND_WEBINAR_ATTENDED);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->kind_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Kind of activity"), -1);
  adw_action_row_set_subtitle (self->meeting_row,
                               _("A discovery call, intake or visit was booked"));

  /* A lead opens on the tab used last: the Score tab for who reviews scoring. */
  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "lead-detail-tab", self->stack, "visible-child-name",
                   G_SETTINGS_BIND_DEFAULT);
}

/**
 * cp_lead_detail_window_new:
 *
 * Returns: (transfer floating): a window following the lead's changes, or
 *   %NULL with @error when there is no such lead
 */
CpLeadDetailWindow *
cp_lead_detail_window_new (GtkWindow    *parent,
                           CpLeadStore  *store,
                           const char   *lead_id,
                           GError      **error)
{
  g_autoptr(CpLead) lead = NULL;
  CpLeadDetailWindow *self;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), NULL);
  g_return_val_if_fail (lead_id != NULL, NULL);

  lead = cp_lead_store_get (store, lead_id, error);
  if (lead == NULL)
    return NULL;

  self = g_object_new (CP_TYPE_LEAD_DETAIL_WINDOW, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->lead_id = g_strdup (lead_id);
  self->changed_id = g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);
  if (CP_IS_APPLICATION (g_application_get_default ()))
    {
      CpPlaybook *playbook =
          cp_application_get_playbook (CP_APPLICATION (g_application_get_default ()));

      self->playbook = playbook != NULL ? cp_playbook_ref (playbook) : NULL;
    }
  reload (self);

  return self;
}

/**
 * cp_lead_detail_window_set_playbook:
 * @playbook: (nullable): the playbook in effect: explains the score, rescores
 *   logged activity, proposes moves and decides which outreach is allowed
 */
void
cp_lead_detail_window_set_playbook (CpLeadDetailWindow *self,
                                    CpPlaybook         *playbook)
{
  g_return_if_fail (CP_IS_LEAD_DETAIL_WINDOW (self));

  if (playbook == self->playbook)
    return;
  g_clear_pointer (&self->playbook, cp_playbook_unref);
  self->playbook = playbook != NULL ? cp_playbook_ref (playbook) : NULL;
  reload (self);
}

CpLeadStore *
_cp_lead_detail_window_get_store (CpLeadDetailWindow *self)
{
  return self->store;
}

CpPlaybook *
_cp_lead_detail_window_get_playbook (CpLeadDetailWindow *self)
{
  return self->playbook;
}

void
_cp_lead_detail_window_add_toast (CpLeadDetailWindow *self,
                                  const char         *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, cp_toast_new_text (text));
}

const char *
cp_lead_detail_window_get_lead_id (CpLeadDetailWindow *self)
{
  g_return_val_if_fail (CP_IS_LEAD_DETAIL_WINDOW (self), NULL);

  return self->lead_id;
}

/* How many history lines the window shows (tests). */
guint
cp_lead_detail_window_get_n_history (CpLeadDetailWindow *self)
{
  g_return_val_if_fail (CP_IS_LEAD_DETAIL_WINDOW (self), 0);

  return self->n_history;
}

/**
 * cp_lead_detail_window_get_score_text:
 *
 * Returns: the score as the header shows it
 */
const char *
cp_lead_detail_window_get_score_text (CpLeadDetailWindow *self)
{
  g_return_val_if_fail (CP_IS_LEAD_DETAIL_WINDOW (self), NULL);

  return gtk_label_get_text (self->score_label);
}

/**
 * cp_lead_detail_window_get_outcome_toast:
 *
 * Returns: (transfer none) (nullable): the toast that says what the last
 *   logged activity led to, while it is shown
 */
AdwToast *
cp_lead_detail_window_get_outcome_toast (CpLeadDetailWindow *self)
{
  g_return_val_if_fail (CP_IS_LEAD_DETAIL_WINDOW (self), NULL);

  return self->last_outcome;
}

/**
 * cp_lead_detail_window_get_outreach_note:
 * @channel: "phone" or "email"
 *
 * Returns: the line shown under the outreach action: what it does, or why
 *   it is not allowed
 */
const char *
cp_lead_detail_window_get_outreach_note (CpLeadDetailWindow *self,
                                         const char         *channel)
{
  g_return_val_if_fail (CP_IS_LEAD_DETAIL_WINDOW (self), NULL);
  g_return_val_if_fail (channel != NULL, NULL);

  return adw_action_row_get_subtitle (g_str_equal (channel, "phone") ? self->call_row
                                                                    : self->email_row);
}
