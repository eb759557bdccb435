/* test-my-work-view.c — My Work over a real store with a fixed clock; the Add Task dialog
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "cp-my-work-view.h"
#include "cp-task-dialog.h"
#include "cp-task-row.h"
#include "cp-task-store.h"
#include "cp-task-time.h"
#include "cp-test-util.h"
#include "cp-ui.h"
#include "cp-widget-test-util.h"

#define ME "Test Me"
#define OTHER "Other Person"

/* Monday 7 December 2026, 10:00 UTC (the tests run with TZ=UTC). */
#define NOW G_GINT64_CONSTANT (1796637600)
#define HOUR 3600
#define DAY (24 * HOUR)

typedef struct
{
  char         *dir;
  CpDatabase   *database;
  CpLeadStore  *store;
  char         *ana;
  char         *bruno;
  GtkWindow    *window;
  CpMyWorkView *view;
} Fixture;

static gint64
fixed_now (void)
{
  return NOW;
}

static char *
add_task (Fixture    *f,
          const char *lead_id,
          CpTaskKind  kind,
          const char *title,
          gint64      due,
          const char *owner)
{
  g_autoptr(CpTask) task = cp_task_new ();
  g_autoptr(GError) error = NULL;

  cp_task_set_lead_id (task, lead_id);
  cp_task_set_kind (task, kind);
  cp_task_set_title (task, title);
  cp_task_set_due_at (task, due);
  cp_task_set_owner (task, owner);
  g_assert_true (cp_lead_store_add_task (f->store, task, "test", &error));
  g_assert_no_error (error);
  return g_strdup (cp_task_get_id (task));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  cp_test_tmp_store_open (&f->dir, &f->database, &f->store);
  cp_lead_store_set_clock (f->store, fixed_now);
  f->ana = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Ana", CP_LEAD_FIELD_LAST_NAME,
                                "Lima", CP_LEAD_FIELD_EMAIL, "ana@example.org", CP_LEAD_N_FIELDS);
  f->bruno =
      cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Bruno", CP_LEAD_FIELD_LAST_NAME,
                           "Costa", CP_LEAD_FIELD_EMAIL, "bruno@example.org", CP_LEAD_N_FIELDS);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 900, 1000);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->view != NULL)
    {
      gtk_window_set_child (f->window, NULL);
      cp_test_finalize_widget (g_steal_pointer (&f->view));
    }
  gtk_window_destroy (f->window);
  cp_test_iterate ();
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
  g_free (f->ana);
  g_free (f->bruno);
}

static void
show_view (Fixture *f)
{
  f->view = CP_MY_WORK_VIEW (cp_my_work_view_new ());
  g_object_ref_sink (f->view);
  cp_my_work_view_set_user_name (f->view, ME);
  cp_my_work_view_set_store (f->view, f->store);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gtk_window_present (f->window);
  cp_test_iterate ();
}

/* Two leads, five tasks of mine: two overdue, one today, two upcoming. */
static void
add_my_tasks (Fixture *f)
{
  g_free (add_task (f, f->ana, CP_TASK_KIND_CALL, "Call Ana", NOW - 2 * DAY, ME));
  g_free (add_task (f, f->ana, CP_TASK_KIND_EMAIL, "Email Ana", NOW + 2 * HOUR, ME));
  g_free (add_task (f, f->bruno, CP_TASK_KIND_FOLLOW_UP, "Follow up Bruno", NOW - HOUR, ME));
  g_free (add_task (f, f->bruno, CP_TASK_KIND_MEETING, "Meet Bruno", NOW + DAY - HOUR, ME));
  g_free (add_task (f, f->bruno, CP_TASK_KIND_HANDOFF, "Hand Bruno over", NOW + 3 * DAY, ME));
}

/* The section lists, in the view's order: overdue, today, upcoming. */
static GtkListBox *
section_list (Fixture      *f,
              CpTaskBucket  bucket)
{
  g_autoptr(GPtrArray) lists = g_ptr_array_new ();

  cp_test_collect_widgets (GTK_WIDGET (f->view), GTK_TYPE_LIST_BOX, lists);
  g_assert_cmpuint (lists->len, ==, CP_TASK_N_BUCKETS);
  return lists->pdata[bucket];
}

/* What a section shows, as one line: “[Lead] task, task, [Lead] task”. */
static char *
section_text (Fixture      *f,
              CpTaskBucket  bucket)
{
  GtkListBox *list = section_list (f, bucket);
  GString *text = g_string_new (NULL);

  if (!gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (list))))
    return g_string_free (text, FALSE);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
      GtkWidget *previous = gtk_widget_get_prev_sibling (row);

      if (text->len > 0)
        g_string_append (text, CP_IS_TASK_ROW (row) && CP_IS_TASK_ROW (previous) ? ", " : " ");
      if (CP_IS_TASK_ROW (row))
        g_string_append (text, title);
      else
        g_string_append_printf (text, "[%s]", title);
    }
  return g_string_free (text, FALSE);
}

static CpTaskRow *
find_row (Fixture    *f,
          const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  cp_test_collect_widgets (GTK_WIDGET (f->view), CP_TYPE_TASK_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (cp_task_get_title (cp_task_row_get_task (rows->pdata[i])), title) == 0)
      return rows->pdata[i];
  return NULL;
}

static void
assert_section (Fixture      *f,
                CpTaskBucket  bucket,
                const char   *expected)
{
  g_autofree char *text = section_text (f, bucket);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_grouping_and_order (Fixture       *f,
                         gconstpointer  data)
{
  add_my_tasks (f);
  show_view (f);

  /* Each section: leads by their first due task; tasks by due time. */
  assert_section (f, CP_TASK_BUCKET_OVERDUE, "[Ana Lima] Call Ana [Bruno Costa] Follow up Bruno");
  assert_section (f, CP_TASK_BUCKET_TODAY, "[Ana Lima] Email Ana");
  assert_section (f, CP_TASK_BUCKET_UPCOMING, "[Bruno Costa] Meet Bruno, Hand Bruno over");

  g_assert_cmpstr (cp_task_row_get_due_text (find_row (f, "Call Ana")), ==, "Overdue by 2 days");
  g_assert_true (cp_task_row_get_overdue (find_row (f, "Call Ana")));
  g_assert_cmpstr (cp_task_row_get_due_text (find_row (f, "Follow up Bruno")), ==,
                   "Overdue by 1 hour");
  g_assert_cmpstr (cp_task_row_get_due_text (find_row (f, "Email Ana")), ==, "12:00 · in 2 hours");
  g_assert_false (cp_task_row_get_overdue (find_row (f, "Email Ana")));
  g_assert_cmpstr (cp_task_row_get_due_text (find_row (f, "Meet Bruno")), ==, "Tomorrow, 09:00");
  g_assert_cmpstr (cp_task_row_get_due_text (find_row (f, "Hand Bruno over")), ==,
                   "Thursday, 10:00");

  /* Overdue and due today, for me: three; something is overdue. */
  g_assert_cmpuint (cp_my_work_view_get_badge_count (f->view), ==, 3);
  g_assert_true (cp_my_work_view_get_needs_attention (f->view));
  g_assert_cmpuint (cp_my_work_view_get_n_shown (f->view), ==, 5);
}

static void
test_done_removes_row (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();
  g_autoptr(GPtrArray) mine = NULL;
  CpTaskFilter filter = { .owner = ME, .include_closed = TRUE };
  CpTaskRow *row;

  add_my_tasks (f);
  g_free (add_task (f, f->ana, CP_TASK_KIND_CALL, "Q&A <2 pages>", NOW - DAY, ME));
  show_view (f);

  /* A title with “&” and “<”: its toast says it as written (a toast's
   * title is markup: unescaped, it was empty). */
  gtk_widget_activate_action (GTK_WIDGET (find_row (f, "Q&A <2 pages>")), "task.done", NULL);
  cp_test_iterate ();
  g_assert_null (find_row (f, "Q&A <2 pages>"));
  g_assert_true (cp_test_shows_label (GTK_WIDGET (f->view), "“Q&A <2 pages>” done"));

  /* The check box: done in the store, gone from the view, badge down. */
  row = find_row (f, "Call Ana");
  cp_test_collect_widgets (GTK_WIDGET (row), GTK_TYPE_CHECK_BUTTON, checks);
  g_assert_cmpuint (checks->len, ==, 1);
  gtk_check_button_set_active (checks->pdata[0], TRUE);
  cp_test_iterate ();
  g_assert_null (find_row (f, "Call Ana"));
  assert_section (f, CP_TASK_BUCKET_OVERDUE, "[Bruno Costa] Follow up Bruno");
  g_assert_cmpuint (cp_my_work_view_get_badge_count (f->view), ==, 2);

  /* Ctrl+D on a row does the same (task.done). */
  gtk_widget_activate_action (GTK_WIDGET (find_row (f, "Email Ana")), "task.done", NULL);
  cp_test_iterate ();
  g_assert_null (find_row (f, "Email Ana"));
  assert_section (f, CP_TASK_BUCKET_TODAY, "");
  g_assert_cmpuint (cp_my_work_view_get_badge_count (f->view), ==, 1);


  mine = cp_lead_store_list_tasks (f->store, &filter, NULL);
  for (guint i = 0; i < mine->len; i++)
    {
      CpTask *task = mine->pdata[i];
      gboolean done = g_str_equal (cp_task_get_title (task), "Call Ana") ||
                      g_str_equal (cp_task_get_title (task), "Email Ana") ||
                      g_str_equal (cp_task_get_title (task), "Q&A <2 pages>");

      g_assert_cmpint (cp_task_get_status (task), ==,
                       done ? CP_TASK_STATUS_DONE : CP_TASK_STATUS_OPEN);
    }
}

static void
test_snooze_moves_to_upcoming (Fixture       *f,
                               gconstpointer  data)
{
  add_my_tasks (f);
  show_view (f);

  gtk_widget_activate_action (GTK_WIDGET (find_row (f, "Follow up Bruno")), "task.snooze", "s",
                              "tomorrow");
  cp_test_iterate ();
  assert_section (f, CP_TASK_BUCKET_OVERDUE, "[Ana Lima] Call Ana");
  /* Tomorrow 09:00, like the meeting: the two by due time, then title. */
  assert_section (f, CP_TASK_BUCKET_UPCOMING,
                  "[Bruno Costa] Follow up Bruno, Meet Bruno, Hand Bruno over");
  g_assert_cmpstr (cp_task_row_get_due_text (find_row (f, "Follow up Bruno")), ==,
                   "Tomorrow, 09:00");
  g_assert_cmpuint (cp_my_work_view_get_badge_count (f->view), ==, 2);

  /* An hour: overdue becomes today. */
  gtk_widget_activate_action (GTK_WIDGET (find_row (f, "Call Ana")), "task.snooze", "s", "hour");
  cp_test_iterate ();
  assert_section (f, CP_TASK_BUCKET_OVERDUE, "");
  assert_section (f, CP_TASK_BUCKET_TODAY, "[Ana Lima] Call Ana, Email Ana");
  g_assert_false (cp_my_work_view_get_needs_attention (f->view));
}

static void
test_empty_state (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  AdwStatusPage *empty;

  /* Someone else's task is not mine. */
  g_free (add_task (f, f->ana, CP_TASK_KIND_CALL, "Call Ana", NOW - DAY, OTHER));
  show_view (f);
  cp_test_collect_widgets (GTK_WIDGET (f->view), ADW_TYPE_STATUS_PAGE, pages);
  g_assert_cmpuint (pages->len, ==, 1);
  empty = pages->pdata[0];
  g_assert_true (gtk_stack_get_visible_child (
                     GTK_STACK (gtk_widget_get_parent (GTK_WIDGET (empty)))) == GTK_WIDGET (empty));
  g_assert_cmpstr (adw_status_page_get_title (empty), ==, "Nothing Due");
  g_assert_cmpstr (adw_status_page_get_description (empty), ==, "Tasks you own appear here");
  g_assert_cmpuint (cp_my_work_view_get_badge_count (f->view), ==, 0);
  g_assert_null (find_row (f, "Call Ana"));

  /* My first task: the list replaces the empty page. */
  g_free (add_task (f, f->bruno, CP_TASK_KIND_CALL, "Call Bruno", NOW + HOUR, ME));
  cp_test_iterate ();
  g_assert_true (gtk_stack_get_visible_child (
                     GTK_STACK (gtk_widget_get_parent (GTK_WIDGET (empty)))) != GTK_WIDGET (empty));
  g_assert_nonnull (find_row (f, "Call Bruno"));
  g_assert_cmpuint (cp_my_work_view_get_badge_count (f->view), ==, 1);
}

static GtkDropDown *
owner_dropdown (Fixture *f)
{
  g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();

  cp_test_collect_widgets (GTK_WIDGET (f->view), GTK_TYPE_DROP_DOWN, dropdowns);
  g_assert_cmpuint (dropdowns->len, ==, 1);
  return dropdowns->pdata[0];
}

static guint
find_owner (GtkDropDown *dropdown,
            const char  *label)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), label))
      return i;
  g_assert_not_reached ();
}

static void
test_owner_filter (Fixture       *f,
                   gconstpointer  data)
{
  GtkDropDown *dropdown;
  guint everyone_open = 0, overdue = 0;

  add_my_tasks (f);
  g_free (add_task (f, f->ana, CP_TASK_KIND_CALL, "Call Ana for Other", NOW - DAY, OTHER));
  show_view (f);
  dropdown = owner_dropdown (f);

  g_assert_cmpstr (cp_my_work_view_get_owner (f->view), ==, ME);
  g_assert_null (find_row (f, "Call Ana for Other"));
  g_assert_cmpuint (find_owner (dropdown, "Me (" ME ")"), ==, 0);

  gtk_drop_down_set_selected (dropdown, find_owner (dropdown, OTHER));
  cp_test_iterate ();
  g_assert_cmpstr (cp_my_work_view_get_owner (f->view), ==, OTHER);
  g_assert_cmpuint (cp_my_work_view_get_n_shown (f->view), ==, 1);
  assert_section (f, CP_TASK_BUCKET_OVERDUE, "[Ana Lima] Call Ana for Other");
  /* Someone else's list says whose each task is. */
  g_assert_cmpstr (adw_action_row_get_subtitle (
                       ADW_ACTION_ROW (find_row (f, "Call Ana for Other"))),
                   ==, OTHER);

  /* Everyone: every open task, the write path's own included. */
  gtk_drop_down_set_selected (dropdown, find_owner (dropdown, "Everyone"));
  cp_test_iterate ();
  g_assert_null (cp_my_work_view_get_owner (f->view));
  g_assert_true (cp_lead_store_count_tasks (f->store, NULL, NOW, &everyone_open, &overdue, NULL));
  g_assert_cmpuint (cp_my_work_view_get_n_shown (f->view), ==, everyone_open);
  g_assert_nonnull (find_row (f, "Call Ana"));
  g_assert_nonnull (find_row (f, "Call Ana for Other"));

  /* The badge stays mine whatever the filter shows. */
  g_assert_cmpuint (cp_my_work_view_get_badge_count (f->view), ==, 3);
}

static void
lead_activated_cb (CpMyWorkView *view,
                   const char   *lead_id,
                   char        **out)
{
  g_free (*out);
  *out = g_strdup (lead_id);
}

static void
test_rows_open_the_lead (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *opened = NULL;
  GtkListBox *list;

  add_my_tasks (f);
  show_view (f);
  g_signal_connect (f->view, "lead-activated", G_CALLBACK (lead_activated_cb), &opened);
  list = section_list (f, CP_TASK_BUCKET_UPCOMING);

  /* The lead's header row, and a task row (Enter on a row activates it). */
  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 0));
  g_assert_cmpstr (opened, ==, f->bruno);
  g_clear_pointer (&opened, g_free);
  g_signal_emit_by_name (section_list (f, CP_TASK_BUCKET_TODAY), "row-activated",
                         find_row (f, "Email Ana"));
  g_assert_cmpstr (opened, ==, f->ana);
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (find_row (f, "Email Ana"))));
}

static void
test_accessible_names (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();
  GtkWidget *row;

  add_my_tasks (f);
  show_view (f);
  row = GTK_WIDGET (find_row (f, "Call Ana"));
  cp_test_collect_widgets (row, GTK_TYPE_CHECK_BUTTON, checks);
  cp_test_collect_widgets (row, GTK_TYPE_MENU_BUTTON, buttons);
  g_assert_cmpuint (checks->len, ==, 1);
  g_assert_cmpuint (buttons->len, ==, 1);
  gtk_test_accessible_assert_property (checks->pdata[0], GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Mark “Call Ana” done");
  gtk_test_accessible_assert_property (buttons->pdata[0], GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Snooze “Call Ana”");
}

/* Thousands of open tasks: a page at a time, never all at once. */
/* The sum of the counts the section titles (“Today · 4”) give. */
static guint
section_title_total (Fixture *f)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  static const char * const buckets[] = { "Overdue · ", "Today · ", "Upcoming · " };
  guint total = 0;

  cp_test_collect_widgets (GTK_WIDGET (f->view), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      const char *text = gtk_label_get_text (labels->pdata[i]);

      if (!gtk_widget_is_visible (labels->pdata[i]))
        continue;
      for (guint b = 0; b < G_N_ELEMENTS (buckets); b++)
        if (g_str_has_prefix (text, buckets[b]))
          total += (guint) g_ascii_strtoull (text + strlen (buckets[b]), NULL, 10);
    }
  return total;
}

static void
test_bounded_with_show_more (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  guint n = CP_MY_WORK_PAGE_SIZE + 30;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("Task %03u", i);
      g_free (
          add_task (f, i % 2 ? f->ana : f->bruno, CP_TASK_KIND_CALL, title, NOW + i * HOUR, ME));
    }
  show_view (f);
  g_assert_cmpuint (cp_my_work_view_get_n_shown (f->view), ==, CP_MY_WORK_PAGE_SIZE);
  cp_test_collect_widgets (GTK_WIDGET (f->view), CP_TYPE_TASK_ROW, rows);
  g_assert_cmpuint (rows->len, ==, CP_MY_WORK_PAGE_SIZE);
  /* The earliest first: the last ones wait for “Show More”. */
  g_assert_nonnull (find_row (f, "Task 000"));
  g_assert_null (find_row (f, "Task 129"));
  /* The sections count every open task, also those not shown yet. */
  g_assert_cmpuint (section_title_total (f), ==, n);

  cp_my_work_view_show_more (f->view);
  cp_test_iterate ();
  g_assert_cmpuint (cp_my_work_view_get_n_shown (f->view), ==, n);
  g_assert_nonnull (find_row (f, "Task 129"));
}

/* The words and times behind the rows and the Snooze menu. */
static void
test_due_words (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *late_minutes = cp_task_format_due (NOW - 5 * 60, NOW, utc, FALSE, NULL);
  g_autofree char *soon = cp_task_format_due (NOW + 25 * 60, NOW, utc, TRUE, NULL);
  g_autofree char *later = cp_task_format_due (NOW + 30 * DAY, NOW, utc, FALSE, NULL);
  gboolean overdue = FALSE;
  g_autofree char *late_day = cp_task_format_due (NOW - DAY - HOUR, NOW, utc, FALSE, &overdue);
  int minute = -1;

  g_assert_cmpstr (late_minutes, ==, "Overdue by 5 minutes");
  g_assert_cmpstr (late_day, ==, "Overdue by 1 day");
  g_assert_true (overdue);
  g_assert_cmpstr (soon, ==, "10:25 AM · in 25 minutes");
  g_assert_cmpstr (later, ==, "6 Jan 2027, 10:00");

  g_assert_cmpint (cp_snooze_until (CP_SNOOZE_HOUR, NOW, utc), ==, NOW + HOUR);
  g_assert_cmpint (cp_snooze_until (CP_SNOOZE_TOMORROW, NOW, utc), ==, NOW + DAY - HOUR);
  /* Monday → the next Monday, 09:00. */
  g_assert_cmpint (cp_snooze_until (CP_SNOOZE_NEXT_WEEK, NOW, utc), ==, NOW + 7 * DAY - HOUR);

  g_assert_true (cp_parse_time_of_day ("9:30", &minute));
  g_assert_cmpint (minute, ==, 9 * 60 + 30);
  g_assert_true (cp_parse_time_of_day ("2:05 PM", &minute));
  g_assert_cmpint (minute, ==, 14 * 60 + 5);
  g_assert_true (cp_parse_time_of_day ("12 am", &minute));
  g_assert_cmpint (minute, ==, 0);
  g_assert_false (cp_parse_time_of_day ("25:00", &minute));
  g_assert_false (cp_parse_time_of_day ("9:3", &minute));
  g_assert_false (cp_parse_time_of_day ("13 pm", &minute));
  g_assert_false (cp_parse_time_of_day ("soon", &minute));
}

/* “24:00” is read as a time, and is the end of the day chosen (it was no
 * time at all: the Add Task dialog said to write hours and minutes). */
static void
test_end_of_day (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  int minute = -1;

  g_assert_true (cp_parse_time_of_day ("24:00", &minute));
  g_assert_cmpint (cp_local_date_time (2026, 12, 31, minute, utc), ==,
                   cp_local_date_time (2027, 1, 1, 0, utc));
  g_assert_cmpint (cp_local_date_time (2026, 12, 31, minute, utc), !=, 0);
  g_assert_cmpint (cp_local_date_time (2026, 2, 30, minute, utc), ==, 0);
}

/* “Tomorrow morning” is 09:00 on the clock, on the day the clocks change too. */
static void
test_snooze_across_dst (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GTimeZone) chicago = g_time_zone_new_identifier ("America/Chicago");
  /* Saturday 28 March 2026, 15:00 CET; the clocks go forward on Sunday at 02:00. */
  gint64 spring = cp_local_date_time (2026, 3, 28, 15 * 60, berlin);
  /* Saturday 31 October 2026, 15:00 CDT; they go back on Sunday at 02:00. */
  gint64 autumn = cp_local_date_time (2026, 10, 31, 15 * 60, chicago);
  /* Monday 2 March 2026, 15:00 CST: next Monday is after the change of 8 March. */
  gint64 monday = cp_local_date_time (2026, 3, 2, 15 * 60, chicago);

  g_assert_nonnull (berlin);
  g_assert_nonnull (chicago);
  g_assert_cmpint (cp_snooze_until (CP_SNOOZE_TOMORROW, spring, berlin), ==,
                   cp_local_date_time (2026, 3, 29, 9 * 60, berlin));
  g_assert_cmpint (cp_snooze_until (CP_SNOOZE_TOMORROW, autumn, chicago), ==,
                   cp_local_date_time (2026, 11, 1, 9 * 60, chicago));
  g_assert_cmpint (cp_snooze_until (CP_SNOOZE_NEXT_WEEK, monday, chicago), ==,
                   cp_local_date_time (2026, 3, 9, 9 * 60, chicago));
}

static GtkWidget *
find_named_row (GtkWidget  *root,
                GType       type,
                const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  cp_test_collect_widgets (root, type, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0)
      return rows->pdata[i];
  return NULL;
}

static void
test_task_dialog_validation (Fixture       *f,
                             gconstpointer  data)
{
  CpTaskDialog *dialog = cp_task_dialog_new (f->window, f->store, NULL, ME, ME);
  GtkWidget *title = find_named_row (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Title");
  GtkWidget    *lead = find_named_row (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW,
                                       "Lead (search by name, email or phone)");
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GPtrArray) tasks = NULL;
  CpTaskFilter filter = { .lead_id = NULL, .owner = ME };
  GtkWidget *time_entry = NULL;
  GtkWidget *result;

  g_object_ref_sink (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  cp_test_iterate ();
  g_assert_nonnull (title);
  g_assert_nonnull (lead);

  /* Untouched: no message yet. Add: a message under each field at fault. */
  g_assert_null (cp_task_dialog_get_field_error (dialog, "title"));
  g_assert_null (cp_task_dialog_get_field_error (dialog, "lead"));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "task.save", NULL);
  cp_test_iterate ();
  g_assert_cmpstr (cp_task_dialog_get_field_error (dialog, "lead"), ==,
                   "Choose the lead this task is for.");
  g_assert_cmpstr (cp_task_dialog_get_field_error (dialog, "title"), ==, "A task needs a title.");
  g_assert_null (cp_task_dialog_get_field_error (dialog, "due"));
  g_assert_true (gtk_widget_has_css_class (title, "error"));

  /* Typing fixes what it touches, and only that. */
  gtk_editable_set_text (GTK_EDITABLE (title), "Call about the referral");
  g_assert_null (cp_task_dialog_get_field_error (dialog, "title"));
  g_assert_false (gtk_widget_has_css_class (title, "error"));
  g_assert_nonnull (cp_task_dialog_get_field_error (dialog, "lead"));

  /* The lead: searched, then picked from the matches. */
  gtk_editable_set_text (GTK_EDITABLE (lead), "Bruno");
  cp_test_iterate ();
  g_assert_cmpstr (cp_task_dialog_get_field_error (dialog, "lead"), ==,
                   "Pick one of the matching leads below.");
  result = find_named_row (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, "Bruno Costa");
  g_assert_nonnull (result);
  g_signal_emit_by_name (gtk_widget_get_parent (result), "row-activated", result);
  g_assert_null (cp_task_dialog_get_field_error (dialog, "lead"));

  /* A time that is not one. */
  cp_test_collect_widgets (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, entries);
  for (guint i = 0; i < entries->len; i++)
    if (!GTK_IS_TEXT (entries->pdata[i]) &&
        gtk_widget_get_ancestor (entries->pdata[i], ADW_TYPE_ENTRY_ROW) == NULL)
      time_entry = entries->pdata[i];
  g_assert_nonnull (time_entry);
  gtk_editable_set_text (GTK_EDITABLE (time_entry), "25:99");
  g_assert_nonnull (cp_task_dialog_get_field_error (dialog, "due"));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "task.save", NULL);
  cp_test_iterate ();
  filter.lead_id = f->bruno;
  tasks = cp_lead_store_list_tasks (f->store, &filter, NULL);
  g_assert_cmpuint (tasks->len, ==, 0);
  g_clear_pointer (&tasks, g_ptr_array_unref);

  gtk_editable_set_text (GTK_EDITABLE (time_entry), "2:30 PM");
  g_assert_null (cp_task_dialog_get_field_error (dialog, "due"));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "task.save", NULL);
  cp_test_iterate ();
  tasks = cp_lead_store_list_tasks (f->store, &filter, NULL);
  g_assert_cmpuint (tasks->len, ==, 1);
  g_assert_cmpstr (cp_task_get_title (tasks->pdata[0]), ==, "Call about the referral");
  g_assert_cmpstr (cp_task_get_owner (tasks->pdata[0]), ==, ME);
  /* Tomorrow (the default day) at 14:30. */
  g_assert_cmpint (cp_task_get_due_at (tasks->pdata[0]), ==, NOW + DAY + 4 * HOUR + 30 * 60);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  cp_test_finalize_widget (dialog);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cp_ui_init ();

#define ADD(path, func) \
  g_test_add ("/my-work/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("grouping-and-order", test_grouping_and_order);
  ADD ("done-removes-row", test_done_removes_row);
  ADD ("snooze-moves-to-upcoming", test_snooze_moves_to_upcoming);
  ADD ("empty-state", test_empty_state);
  ADD ("owner-filter", test_owner_filter);
  ADD ("rows-open-the-lead", test_rows_open_the_lead);
  ADD ("accessible-names", test_accessible_names);
  ADD ("bounded-with-show-more", test_bounded_with_show_more);
  ADD ("task-dialog-validation", test_task_dialog_validation);
#undef ADD
  g_test_add_func ("/my-work/due-words", test_due_words);
  g_test_add_func ("/my-work/snooze-across-dst", test_snooze_across_dst);
  g_test_add_func ("/my-work/end-of-day", test_end_of_day);

  return g_test_run ();
}
