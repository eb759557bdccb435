/* test-lead-timeline.c — a lead window's timeline: the newest activities, then "Show Older"
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cp-lead-detail-window.h"
#include "cp-lead-timeline.h"
#include "cp-test-util.h"
#include "cp-ui.h"
#include "cp-widget-test-util.h"

typedef struct
{
  char        *dir;
  CpDatabase  *database;
  CpLeadStore *store;
  char        *lead_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  cp_test_tmp_store_open (&f->dir, &f->database, &f->store);
  cp_test_publish_open_playbook (f->database);
  f->lead_id = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Busy",
                                    CP_LEAD_FIELD_EMAIL, "busy@example.org", CP_LEAD_N_FIELDS);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
  g_free (f->lead_id);
}

static void
add_activities (Fixture *f,
                guint    n)
{
  g_autofree char *sql =
      g_strdup_printf ("WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                       "%u)"
                       " INSERT INTO activities (id, lead_id, kind, occurred_at, detail)"
                       " SELECT printf ('act-%%04d', i), ?1, 'note', 1700000000 + i, 'note ' || i "
                       "FROM n RETURNING 1",
                       n);

  cp_test_sql_int (f->database, sql, f->lead_id);
}

/* The rows the group shows, and its Show Older button if any. */
static guint
count_rows (AdwPreferencesGroup *group,
            GtkWidget          **out_button)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  cp_test_collect_widgets (GTK_WIDGET (group), ADW_TYPE_ACTION_ROW, rows);
  cp_test_collect_widgets (GTK_WIDGET (group), GTK_TYPE_BUTTON, buttons);
  *out_button = NULL;
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (buttons->pdata[i]), "show-older") == 0)
      *out_button = buttons->pdata[i];
  return rows->len;
}

static void
wait_loaded (AdwPreferencesGroup *group,
             guint                n_rows)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  GtkWidget *button;

  while (count_rows (group, &button) != n_rows ||
         g_strcmp0 (adw_preferences_group_get_description (group), "Loading…") == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* 450 activities: the newest 200, then 400, then all, the button gone. */
static void
test_show_older (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *window = gtk_window_new ();
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  guint page = 200;   /* what a timeline reads at a time */
  GtkWidget *button = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  add_activities (f, 2 * page + 50);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (group));
  gtk_window_present (GTK_WINDOW (window));
  cp_lead_timeline_load (group, f->store, f->lead_id);
  g_assert_cmpstr (adw_preferences_group_get_description (group), ==, "Loading…");

  wait_loaded (group, page);
  g_assert_cmpuint (count_rows (group, &button), ==, page);
  g_assert_nonnull (button);
  cp_test_collect_widgets (GTK_WIDGET (group), ADW_TYPE_ACTION_ROW, rows);
  /* Newest first. */
  g_assert_cmpstr (adw_action_row_get_subtitle (rows->pdata[0]), !=, NULL);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (rows->pdata[0]), "note 450"));

  g_signal_emit_by_name (button, "clicked");
  wait_loaded (group, 2 * page);
  g_assert_cmpuint (count_rows (group, &button), ==, 2 * page);
  g_assert_nonnull (button);

  g_signal_emit_by_name (button, "clicked");
  wait_loaded (group, 2 * page + 50);
  g_assert_cmpuint (count_rows (group, &button), ==, 2 * page + 50);
  g_assert_null (button);
  g_assert_cmpstr (adw_preferences_group_get_description (group) ?: "", ==, "");

  cp_test_finalize_widget (window);
}

/* No activity: the group says so; a group gone before its rows arrive
 * takes nothing down with it. */
static void
test_empty_and_gone (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *window = gtk_window_new ();
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *gone =
      ADW_PREFERENCES_GROUP (g_object_ref_sink (adw_preferences_group_new ()));
  GtkWidget *button;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (group));
  cp_lead_timeline_load (group, f->store, f->lead_id);
  wait_loaded (group, 0);
  g_assert_cmpstr (adw_preferences_group_get_description (group), ==, "Nothing logged yet.");
  g_assert_cmpuint (count_rows (group, &button), ==, 0);
  g_assert_null (button);

  add_activities (f, 3);
  cp_lead_timeline_load (gone, f->store, f->lead_id);
  g_assert_finalize_object (gone);
  for (guint i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  cp_test_finalize_widget (window);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cp_ui_init ();

#define ADD(path, func) \
  g_test_add ("/lead-timeline/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("show-older", test_show_older);
  ADD ("empty-and-gone", test_empty_and_gone);
#undef ADD

  return g_test_run ();
}
