/* cp-lead-detail-window.c — one lead: its fields, activities and history
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-detail-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-application.h"
#include "cp-lead-detail-window.h"
#include "cp-lead-editor.h"
#include "cp-lead-editor-model.h"
#include "cp-lead-format.h"
#include "cp-rescore.h"
#include "cp-scorer.h"

struct _CpLeadDetailWindow
{
  AdwWindow           parent_instance;

  CpLeadStore        *store;
  char               *lead_id;
  gulong              changed_id;
  guint               n_history;

  AdwWindowTitle     *title;
  AdwPreferencesPage *page;
  GPtrArray          *groups;   /* AdwPreferencesGroup currently in the page */
};

G_DEFINE_FINAL_TYPE (CpLeadDetailWindow, cp_lead_detail_window, ADW_TYPE_WINDOW)

static char *
format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (unix_seconds);

  return dt != NULL ? g_date_time_format (dt, "%x %H:%M") : g_strdup ("");
}

static void
add_group (CpLeadDetailWindow  *self,
           AdwPreferencesGroup *group)
{
  adw_preferences_page_add (self->page, group);
  g_ptr_array_add (self->groups, group);
}

static void
add_row (AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  /* Values are user data: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (group, row);
}

/* Score: each rule that counted, its category, points and decay. */
static void
add_score_group (CpLeadDetailWindow *self)
{
  GApplication *app = g_application_get_default ();
  CpPlaybook *playbook = CP_IS_APPLICATION (app) ? cp_application_get_playbook (CP_APPLICATION (app)) : NULL;
  g_autoptr(CpScorer) scorer = NULL;
  g_autoptr(CpLeadSnapshot) snapshot = NULL;
  g_autoptr(CpScoreExplanation) explanation = NULL;
  AdwPreferencesGroup *group;

  if (playbook == NULL)
    return;
  snapshot = cp_lead_snapshot_load (self->store, self->lead_id, cp_lead_store_now (self->store), NULL);
  if (snapshot == NULL)
    return;
  scorer = cp_scorer_new (playbook);
  explanation = cp_scorer_explain (scorer, &snapshot->input);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Score"));
  {
    g_autofree char *summary = g_strdup_printf (_("%d points, tier %s"), explanation->result.score,
                                                explanation->result.tier ? cp_value_label (explanation->result.tier) : _("none"));
    g_autofree char *escaped = g_markup_escape_text (summary, -1);

    adw_preferences_group_set_description (group, escaped);
  }
  for (guint i = 0; i < explanation->contributions->len; i++)
    {
      CpScoreContribution *line = explanation->contributions->pdata[i];
      g_autoptr(GString) detail = g_string_new (NULL);

      g_string_append_printf (detail, _("%s · %+.1f points"),
                              cp_score_category_to_string (line->category), line->effective);
      if (line->decay_factor < 1.0)
        g_string_append_printf (detail, _(" · decayed to %.0f%% after %.0f days"),
                                line->decay_factor * 100, line->age_days);
      add_row (group, line->description ?: line->rule_id ?: "", detail->str);
    }
  add_group (self, group);
}

/* Outreach: what the consent and the stage allow, and why not. */
static void
add_outreach_group (CpLeadDetailWindow *self,
                    CpLead             *lead)
{
  GApplication *app = g_application_get_default ();
  CpPlaybook *playbook = CP_IS_APPLICATION (app) ? cp_application_get_playbook (CP_APPLICATION (app)) : NULL;
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  const struct { const char *channel; const char *title; } channels[] = {
    { "email", N_("Email") }, { "phone", N_("Call") }, { "sms", N_("Text Message") },
  };

  adw_preferences_group_set_title (group, _("Outreach"));
  for (guint i = 0; i < G_N_ELEMENTS (channels); i++)
    {
      g_autofree char *reason = NULL;
      gboolean allowed = cp_lead_outreach_allowed (playbook, lead, channels[i].channel, &reason);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(channels[i].title));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), allowed ? _("Allowed") : reason);
      gtk_widget_set_sensitive (row, allowed);
      gtk_widget_set_name (row, channels[i].channel);
      adw_preferences_group_add (group, row);
    }
  add_group (self, group);
}

static void
reload (CpLeadDetailWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = NULL;
  g_autoptr(GPtrArray) activities = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *name = NULL;
  g_autofree char *subtitle = NULL;
  const CpFieldGroup *field_groups;
  guint n_groups;

  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->page, self->groups->pdata[i]);
  g_ptr_array_set_size (self->groups, 0);

  lead = cp_lead_store_get (self->store, self->lead_id, &error);
  if (lead == NULL)
    {
      AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

      g_autofree char *message = g_markup_escape_text (error->message, -1);

      adw_preferences_group_set_description (group, message);
      add_group (self, group);
      adw_window_title_set_subtitle (self->title, _("Removed"));
      return;
    }

  name = cp_lead_dup_display_name (lead);
  subtitle = g_strdup_printf (_("%s · score %" G_GINT64_FORMAT "%s%s"),
                              cp_value_label (cp_lead_get_stage (lead)),
                              cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE),
                              cp_lead_get_text (lead, CP_LEAD_FIELD_TIER) ? " · " : "",
                              cp_lead_get_text (lead, CP_LEAD_FIELD_TIER)
                                ? cp_value_label (cp_lead_get_text (lead, CP_LEAD_FIELD_TIER)) : "");
  adw_window_title_set_title (self->title, name);
  adw_window_title_set_subtitle (self->title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), name);

  add_score_group (self);
  add_outreach_group (self, lead);

  field_groups = cp_lead_field_groups (&n_groups);
  for (guint g = 0; g < n_groups; g++)
    {
      AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      gboolean any = FALSE;

      {
        /* Group titles are markup. */
        g_autofree char *title = g_markup_escape_text (_(field_groups[g].title), -1);
        adw_preferences_group_set_title (group, title);
      }
      for (const CpLeadField *f = field_groups[g].fields; *f != CP_LEAD_N_FIELDS; f++)
        {
          g_autofree char *value = cp_lead_dup_value_label (lead, *f);

          if (value == NULL || *value == '\0' ||
              (cp_lead_field_info (*f)->type == CP_FIELD_TYPE_BOOL && cp_lead_get_int (lead, *f) == 0))
            continue;
          add_row (group, _(cp_lead_field_info (*f)->label), value);
          any = TRUE;
        }
      if (any)
        add_group (self, group);
      else
        g_object_unref (g_object_ref_sink (group));
    }

  activities = cp_lead_store_list_activities (self->store, self->lead_id, NULL);
  if (activities != NULL && activities->len > 0)
    {
      AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

      adw_preferences_group_set_title (group, _("Activity"));
      for (guint i = 0; i < activities->len; i++)
        {
          CpActivity *activity = activities->pdata[i];
          g_autofree char *when = format_time (cp_activity_get_occurred_at (activity));
          g_autofree char *line = g_strdup_printf ("%s%s%s", when,
                                                   cp_activity_get_detail (activity) ? " · " : "",
                                                   cp_activity_get_detail (activity) ?: "");

          add_row (group, cp_activity_kind_label (cp_activity_get_kind (activity)), line);
        }
      add_group (self, group);
    }

  history = cp_lead_store_history (self->store, self->lead_id, NULL);
  self->n_history = history != NULL ? history->len : 0;
  if (history != NULL && history->len > 0)
    {
      AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

      adw_preferences_group_set_title (group, _("History"));
      adw_preferences_group_set_description (group, _("Every change, newest first, with who made it and why."));
      for (guint i = history->len; i > 0; i--)
        {
          CpHistoryEntry *entry = history->pdata[i - 1];
          g_autofree char *change = cp_format_history_change (entry->action, entry->field,
                                                              entry->old_value, entry->new_value);
          g_autofree char *when = format_time (entry->time);
          g_autoptr(GString) detail = g_string_new (when);

          if (entry->actor != NULL)
            g_string_append_printf (detail, " · %s", entry->actor);
          if (entry->reason != NULL)
            g_string_append_printf (detail, " · “%s”", entry->reason);
          add_row (group, change, detail->str);
        }
      add_group (self, group);
    }
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

/* Edit: the lead editor on this lead; the window follows the store. */
static void
edit_clicked_cb (CpLeadDetailWindow *self)
{
  GApplication *app = g_application_get_default ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *region = g_settings_get_string (settings, "default-phone-region");
  g_autoptr(GError) error = NULL;
  CpLeadEditor *editor;

  editor = cp_lead_editor_new (GTK_WINDOW (self), self->store,
                               CP_IS_APPLICATION (app) ? cp_application_get_playbook (CP_APPLICATION (app)) : NULL,
                               region, self->lead_id, &error);
  if (editor == NULL)
    {
      adw_window_title_set_subtitle (self->title, error->message);
      return;
    }
  gtk_window_present (GTK_WINDOW (editor));
}

static void
cp_lead_detail_window_dispose (GObject *object)
{
  CpLeadDetailWindow *self = CP_LEAD_DETAIL_WINDOW (object);

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_object (&self->store);
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

  object_class->dispose = cp_lead_detail_window_dispose;
  object_class->finalize = cp_lead_detail_window_finalize;

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
cp_lead_detail_window_init (CpLeadDetailWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *edit = gtk_button_new_with_mnemonic (_("_Edit"));

  self->groups = g_ptr_array_new ();
  self->title = ADW_WINDOW_TITLE (adw_window_title_new ("", ""));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));
  g_signal_connect_swapped (edit, "clicked", G_CALLBACK (edit_clicked_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), edit);
  self->page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->page), TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->page));
  adw_window_set_content (ADW_WINDOW (self), box);
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 720);
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
  reload (self);

  return self;
}

const char *
cp_lead_detail_window_get_lead_id (CpLeadDetailWindow *self)
{
  g_return_val_if_fail (CP_IS_LEAD_DETAIL_WINDOW (self), NULL);

  return self->lead_id;
}

/* The outreach row for @channel (tests). */
GtkWidget *
cp_lead_detail_window_get_outreach_row (CpLeadDetailWindow *self,
                                        const char         *channel)
{
  GtkWidget *child;

  g_return_val_if_fail (CP_IS_LEAD_DETAIL_WINDOW (self), NULL);

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL; )
    {
      if (ADW_IS_ACTION_ROW (child) && g_strcmp0 (gtk_widget_get_name (child), channel) == 0)
        return child;
      if (gtk_widget_get_first_child (child) != NULL)
        child = gtk_widget_get_first_child (child);
      else
        {
          while (child != NULL && gtk_widget_get_next_sibling (child) == NULL)
            {
              child = gtk_widget_get_parent (child);
              if (child == GTK_WIDGET (self))
                return NULL;
            }
          if (child != NULL)
            child = gtk_widget_get_next_sibling (child);
        }
    }
  return NULL;
}

/* How many history lines the window shows (tests). */
guint
cp_lead_detail_window_get_n_history (CpLeadDetailWindow *self)
{
  g_return_val_if_fail (CP_IS_LEAD_DETAIL_WINDOW (self), 0);

  return self->n_history;
}
