/* cp-playbook-view-routing.c — the Playbook view's routing rules, queues, automation and business
 * hours
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-playbook-view"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-playbook-view-private.h"

/* Routing rules, queues, automation and business hours, as groups of the page. */

/* The business hours of each location (the SLA clocks count only these). */
static void
fill_business_hours (CpPlaybookView *self,
                     CpPlaybook     *playbook)
{
  AdwPreferencesGroup *group =
      _cp_playbook_view_new_group (self, _("Business Hours"),
                                   _("Response times count only these hours, per location."));
  GtkWidget *add = gtk_button_new_with_mnemonic (_("Add _Location…"));

  gtk_widget_add_css_class (add, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (add), "playbook.add-hours");
  adw_preferences_group_set_header_suffix (group, add);
  for (guint i = 0; i < playbook->business_hours->len; i++)
    {
      const CpBusinessHours *hours = playbook->business_hours->pdata[i];
      g_autoptr(GString) days = g_string_new (NULL);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;
      static const char * const names[] = { N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"),
                                            N_("Fri"), N_("Sat"), N_("Sun") };

      for (guint d = 0; d < 7; d++)
        if (hours->days & (1u << d))
          g_string_append_printf (days, "%s%s", days->len > 0 ? " " : "", _(names[d]));
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%s · %02d:%02d–%02d:%02d · %s · %u holiday",
                                               "%s · %02d:%02d–%02d:%02d · %s · %u holidays",
                                               hours->holidays->len),
                                  days->str, hours->open_minute / 60, hours->open_minute % 60,
                                  hours->close_minute / 60, hours->close_minute % 60,
                                  hours->timezone, hours->holidays->len);
      row = _cp_playbook_view_text_row (g_str_equal (hours->location, "*")
                                            ? _("Every other location")
                                            : hours->location,
                                        subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 _cp_playbook_view_icon_button ("document-edit-symbolic",
                                                                _("Edit Business Hours"),
                                                                "playbook.edit-hours",
                                                                g_variant_new_string (
                                                                    hours->location)));
      adw_preferences_group_add (group, row);
    }
}

void
_cp_playbook_view_fill_routing (CpPlaybookView *self,
                                CpPlaybook     *playbook)
{
  AdwPreferencesGroup *group =
      _cp_playbook_view_new_group (self, _("Routing"),
                                   _("The first rule that matches sends the lead to its queue."));
  GtkWidget *add = gtk_button_new_with_mnemonic (_("Add R_oute…"));

  gtk_widget_add_css_class (add, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (add), "playbook.add-route");
  adw_preferences_group_set_header_suffix (group, add);
  for (guint i = 0; i < playbook->route_rules->len; i++)
    {
      const CpRouteRule *rule = playbook->route_rules->pdata[i];
      const CpQueue *queue = cp_playbook_get_queue (playbook, rule->queue);
      g_autofree char *condition =
          rule->condition != NULL ? cp_condition_to_string (rule->condition) : NULL;
      g_autofree char *title =
          g_strdup_printf ("%u. %s", i + 1,
                           rule->description != NULL ? rule->description : rule->id);
      g_autofree char *subtitle =
          g_strdup_printf (_("%s → %s"), condition != NULL ? condition : _("Every lead"),
                           queue != NULL && queue->title != NULL ? queue->title : rule->queue);
      GtkWidget *row = _cp_playbook_view_text_row (title, subtitle);
      GVariant *id = g_variant_ref_sink (g_variant_new_string (rule->id));
      GtkWidget *up = _cp_playbook_view_icon_button ("go-up-symbolic", _("Move Up"),
                                                     i > 0 ? "playbook.route-up" : NULL, id);
      GtkWidget *down =
          _cp_playbook_view_icon_button ("go-down-symbolic", _("Move Down"),
                                         i + 1 < playbook->route_rules->len ? "playbook.route-down"
                                                                            : NULL,
                                         id);

      gtk_widget_set_sensitive (up, i > 0);
      gtk_widget_set_sensitive (down, i + 1 < playbook->route_rules->len);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), up);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), down);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 _cp_playbook_view_icon_button ("document-edit-symbolic",
                                                                _("Edit Routing Rule"),
                                                                "playbook.edit-route", id));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 _cp_playbook_view_icon_button ("user-trash-symbolic",
                                                                _("Remove Routing Rule"),
                                                                "playbook.remove-route", id));
      g_variant_unref (id);
      adw_preferences_group_add (group, row);
    }

  group = _cp_playbook_view_new_group (self, _("Queues"),
                                       _("Leads of a queue go to its owners in turn."));
  for (guint i = 0; i < playbook->queues->len; i++)
    {
      const CpQueue *queue = playbook->queues->pdata[i];
      g_autofree char *owners =
          queue->owners != NULL ? g_strjoinv (", ", queue->owners) : g_strdup ("");
      GtkWidget *row = _cp_playbook_view_text_row (queue->title != NULL ? queue->title : queue->id,
                                                   *owners != '\0' ? owners : _("Nobody yet"));

      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 _cp_playbook_view_icon_button ("system-users-symbolic",
                                                                _("Edit Owners"),
                                                                "playbook.edit-owners",
                                                                g_variant_new_string (queue->id)));
      adw_preferences_group_add (group, row);
    }

  group = _cp_playbook_view_new_group (self, _("Automation"),
                                       _("Moves the playbook proposes; people confirm them."));
  add = gtk_button_new_with_mnemonic (_("Add Au_tomation…"));
  gtk_widget_add_css_class (add, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (add), "playbook.add-automation");
  adw_preferences_group_set_header_suffix (group, add);
  for (guint i = 0; i < playbook->automation->len; i++)
    {
      const CpAutomationRule *rule = playbook->automation->pdata[i];
      const CpStage *to = cp_playbook_get_stage (playbook, rule->to_stage);
      g_autofree char *subtitle =
          g_strdup_printf (_("Proposes a move to %s"),
                           to != NULL && to->title != NULL ? to->title : rule->to_stage);
      GtkWidget *row =
          _cp_playbook_view_text_row (rule->description != NULL ? rule->description : rule->id,
                                      subtitle);

      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 _cp_playbook_view_icon_button ("document-edit-symbolic",
                                                                _("Edit Automation Rule"),
                                                                "playbook.edit-automation",
                                                                g_variant_new_string (rule->id)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 _cp_playbook_view_icon_button ("user-trash-symbolic",
                                                                _("Remove Automation Rule"),
                                                                "playbook.remove-automation",
                                                                g_variant_new_string (rule->id)));
      adw_preferences_group_add (group, row);
    }

  fill_business_hours (self, playbook);
}
