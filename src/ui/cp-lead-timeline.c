/* cp-lead-timeline.c — a lead window's timeline: the newest activities, older on demand
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-timeline"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-activity-page.h"
#include "cp-condition.h"
#include "cp-lead-format.h"
#include "cp-lead-timeline.h"

/* The activities are read on a worker, the newest PAGE_SIZE first; "Show
 * Older" reads PAGE_SIZE more. A lead with years of check-ins opens at
 * once, and the window never holds thousands of rows it was not asked for. */
#define PAGE_SIZE 200

typedef struct
{
  AdwPreferencesGroup *group;        /* owns this; valid until @cancellable is cancelled */
  CpLeadStore         *store;
  char                *lead_id;
  guint                limit;
  GCancellable        *cancellable;
  GPtrArray           *rows;         /* widgets added to @group */
} Timeline;

static void load (Timeline *timeline);

static void
timeline_free (Timeline *timeline)
{
  g_cancellable_cancel (timeline->cancellable);
  g_clear_object (&timeline->cancellable);
  g_clear_object (&timeline->store);
  g_free (timeline->lead_id);
  g_ptr_array_unref (timeline->rows);
  g_free (timeline);
}

static void
clear_rows (Timeline *timeline)
{
  for (guint i = 0; i < timeline->rows->len; i++)
    adw_preferences_group_remove (timeline->group, timeline->rows->pdata[i]);
  g_ptr_array_set_size (timeline->rows, 0);
}

static void
add_widget (Timeline  *timeline,
            GtkWidget *widget)
{
  adw_preferences_group_add (timeline->group, widget);
  g_ptr_array_add (timeline->rows, widget);
}

static void
add_activity_row (Timeline   *timeline,
                  CpActivity *activity)
{
  g_autofree char *when = cp_format_date_time (cp_activity_get_occurred_at (activity));
  g_autoptr(GString) line = g_string_new (when);
  const char *disposition = cp_activity_get_disposition (activity);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *source;

  if (disposition != NULL)
    {
      g_autofree char *label = cp_humanize_id (disposition);
      g_string_append_printf (line, " · %s", label);
    }
  if (cp_activity_get_detail (activity) != NULL)
    g_string_append_printf (line, " · %s", cp_activity_get_detail (activity));
  if (cp_activity_get_actor (activity) != NULL)
    g_string_append_printf (line, " · %s", cp_activity_get_actor (activity));

  /* Values are user data: never markup, not even before they are set. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 cp_activity_kind_label (cp_activity_get_kind (activity)));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), line->str);
  gtk_widget_add_css_class (row, "property");
  /* Where it came from: logged here, pulled from the CRM, an imported list… */
  source = gtk_label_new (cp_activity_source_label (cp_activity_get_source (activity)));
  gtk_widget_add_css_class (source, "cp-tag");
  gtk_widget_set_valign (source, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), source);
  add_widget (timeline, row);
}

static void
show_older_clicked_cb (GtkButton *button,
                       Timeline  *timeline)
{
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  timeline->limit += PAGE_SIZE;
  load (timeline);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Timeline *timeline = user_data;
  g_autoptr(GPtrArray) activities = NULL;
  g_autoptr(GError) error = NULL;
  gboolean more = FALSE;

  activities = cp_lead_store_list_recent_activities_finish (result, &more, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the group is gone, or a newer load is on its way */

  clear_rows (timeline);
  if (activities == NULL)
    {
      g_warning ("Could not read a lead's activities: %s", error->message);
      adw_preferences_group_set_description (timeline->group, _("The activities cannot be read."));
      return;
    }
  adw_preferences_group_set_description (timeline->group,
                                         activities->len == 0 ? _("Nothing logged yet.") : NULL);
  for (guint i = 0; i < activities->len; i++)
    add_activity_row (timeline, activities->pdata[i]);   /* newest first */
  if (more)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("Show _Older"));

      gtk_widget_set_name (button, "show-older");
      gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_margin_top (button, 12);
      gtk_widget_add_css_class (button, "pill");
      g_signal_connect (button, "clicked", G_CALLBACK (show_older_clicked_cb), timeline);
      add_widget (timeline, button);
    }
}

static void
load (Timeline *timeline)
{
  g_cancellable_cancel (timeline->cancellable);
  g_clear_object (&timeline->cancellable);
  timeline->cancellable = g_cancellable_new ();
  cp_lead_store_list_recent_activities_async (timeline->store, timeline->lead_id, timeline->limit,
                                              timeline->cancellable, loaded_cb, timeline);
}

/**
 * cp_lead_timeline_load:
 * @group: an empty group, which shows the lead's activities, newest first,
 *   once they are read
 *
 * Reads the newest activities on a worker; a "Show Older" button under
 * them reads more. When @group goes, a read under way is dropped.
 */
void
cp_lead_timeline_load (AdwPreferencesGroup *group,
                       CpLeadStore         *store,
                       const char          *lead_id)
{
  Timeline *timeline;

  g_return_if_fail (ADW_IS_PREFERENCES_GROUP (group));
  g_return_if_fail (CP_IS_LEAD_STORE (store));
  g_return_if_fail (lead_id != NULL);

  timeline = g_new0 (Timeline, 1);
  timeline->group = group;
  timeline->store = g_object_ref (store);
  timeline->lead_id = g_strdup (lead_id);
  timeline->limit = PAGE_SIZE;
  timeline->rows = g_ptr_array_new ();
  g_object_set_data_full (G_OBJECT (group), "cp-timeline", timeline,
                          (GDestroyNotify) timeline_free);
  adw_preferences_group_set_description (group, _("Loading…"));
  load (timeline);
}
