/* test-lead-outreach.c — the lead window's Tasks and Reach Out; Email with Template
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "cp-lead-detail-window.h"
#include "cp-outreach.h"
#include "cp-playbook-format.h"
#include "cp-task-row.h"
#include "cp-task-store.h"
#include "cp-template-dialog.h"
#include "cp-test-util.h"
#include "cp-ui.h"
#include "cp-uri-launcher.h"
#include "cp-widget-test-util.h"

typedef struct
{
  char               *dir;
  CpDatabase         *database;
  CpLeadStore        *store;
  CpPlaybook         *playbook;
  char               *lead_id;
  GHashTable         *team;
  CpLeadDetailWindow *detail;
  CpTemplateDialog   *dialog;
  GPtrArray          *launched;   /* the links the app handed to the desktop */
  gulong              launch_id;
} Fixture;

static gboolean
launch_cb (CpUriLauncher *launcher,
           GtkWindow     *parent,
           const char    *uri,
           Fixture       *f)
{
  g_ptr_array_add (f->launched, g_strdup (uri));
  return TRUE;   /* taken: no mail client opens */
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  cp_test_tmp_store_open (&f->dir, &f->database, &f->store);
  f->playbook = cp_playbook_format_load_default ();
  f->lead_id = cp_test_create_lead (f->store,
                                    CP_LEAD_FIELD_FIRST_NAME, "Ruth",
                                    CP_LEAD_FIELD_LAST_NAME, "Okafor",
                                    CP_LEAD_FIELD_EMAIL, "ruth@example.org",
                                    CP_LEAD_FIELD_PHONE, "+14155550123",
                                    CP_LEAD_FIELD_STAGE, "qualified",
                                    CP_LEAD_FIELD_SERVICE_LINE, "cardiology",
                                    CP_LEAD_FIELD_LOCATION, "Riverside",
                                    CP_LEAD_FIELD_LEAD_TYPE, "patient",
                                    CP_LEAD_N_FIELDS);
  f->team = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (f->team, g_strdup (CP_OUTREACH_CLINIC_NAME),
                       g_strdup ("Riverside Heart Clinic"));
  g_hash_table_insert (f->team, g_strdup (CP_OUTREACH_BOOKING_LINK),
                       g_strdup ("https://book.example/rh"));
  f->launched = g_ptr_array_new_with_free_func (g_free);
  f->launch_id =
      g_signal_connect (cp_uri_launcher_get_default (), "launch", G_CALLBACK (launch_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_signal_handler (&f->launch_id, cp_uri_launcher_get_default ());
  if (f->dialog != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (f->dialog));
      cp_test_finalize_widget (g_steal_pointer (&f->dialog));
    }
  if (f->detail != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (f->detail));
      cp_test_finalize_widget (g_steal_pointer (&f->detail));
    }
  cp_test_iterate ();
  g_clear_pointer (&f->playbook, cp_playbook_unref);
  g_clear_pointer (&f->team, g_hash_table_unref);
  g_clear_pointer (&f->launched, g_ptr_array_unref);
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
  g_free (f->lead_id);
}

static void
open_dialog (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->dialog =
      cp_template_dialog_new (NULL, f->store, f->playbook, f->lead_id, f->team, "Test Me", &error);
  g_assert_no_error (error);
  g_object_ref_sink (f->dialog);
  gtk_window_present (GTK_WINDOW (f->dialog));
  cp_test_iterate ();
}

static GtkWidget *
find_entry_row (GtkWidget  *root,
                const char *name)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  cp_test_collect_widgets (root, ADW_TYPE_ENTRY_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (rows->pdata[i]), name) == 0)
      return rows->pdata[i];
  return NULL;
}

static guint
count_activities (Fixture        *f,
                  CpActivityKind  kind)
{
  g_autoptr(GPtrArray) activities = cp_lead_store_list_activities (f->store, f->lead_id, NULL);
  guint n = 0;

  for (guint i = 0; i < activities->len; i++)
    n += cp_activity_get_kind (activities->pdata[i]) == kind;
  return n;
}

static void
test_template_rendered_and_asks (Fixture       *f,
                                 gconstpointer  data)
{
  GtkWidget *proposed;

  open_dialog (f);
  /* The Qualified stage's email: the lead's fields and the team's values. */
  g_assert_cmpstr (cp_template_dialog_get_subject (f->dialog), ==, "Next steps");
  g_assert_true (g_str_has_prefix (cp_template_dialog_get_body (f->dialog), "Hello Ruth,\n"));
  g_assert_nonnull (strstr (cp_template_dialog_get_body (f->dialog), "our Riverside team"));
  g_assert_nonnull (strstr (cp_template_dialog_get_body (f->dialog), "https://book.example/rh"));

  /* Nobody knows the proposed time: the dialog asks, and waits for it. */
  proposed = find_entry_row (GTK_WIDGET (f->dialog), CP_OUTREACH_PROPOSED_TIME);
  g_assert_nonnull (proposed);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (proposed)), ==,
                   "Proposed time");
  g_assert_cmpstr (cp_template_dialog_get_problem (f->dialog), ==,
                   "Fill in “Proposed time” first.");
  g_assert_false (
      gtk_widget_is_sensitive (cp_test_find_button (GTK_WIDGET (f->dialog), "template.open-mail")));

  gtk_editable_set_text (GTK_EDITABLE (proposed), "Tuesday at 10:00");
  g_assert_nonnull (
      strstr (cp_template_dialog_get_body (f->dialog), "Does Tuesday at 10:00 work?"));
  g_assert_null (cp_template_dialog_get_problem (f->dialog));
  g_assert_true (
      gtk_widget_is_sensitive (cp_test_find_button (GTK_WIDGET (f->dialog), "template.open-mail")));
}

static void
test_open_in_mail_launches_and_logs (Fixture       *f,
                                     gconstpointer  data)
{
  g_autofree char *expected = NULL;
  g_autoptr(GPtrArray) activities = NULL;

  open_dialog (f);
  gtk_editable_set_text (GTK_EDITABLE (
                             find_entry_row (GTK_WIDGET (f->dialog), CP_OUTREACH_PROPOSED_TIME)),
                         "Tuesday at 10:00");
  expected = cp_outreach_mailto_uri ("ruth@example.org", cp_template_dialog_get_subject (f->dialog),
                                     cp_template_dialog_get_body (f->dialog));
  g_assert_cmpuint (count_activities (f, CP_ACTIVITY_KIND_EMAIL_SENT), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "template.open-mail", NULL);
  cp_test_iterate ();

  /* One link to the desktop: the message, escaped. */
  g_assert_cmpuint (f->launched->len, ==, 1);
  g_assert_cmpstr (f->launched->pdata[0], ==, expected);
  g_assert_true (
      g_str_has_prefix (f->launched->pdata[0],
                        "mailto:ruth@example.org?subject=Next%20steps&body=Hello%20Ruth%2C"));
  g_assert_null (strchr (f->launched->pdata[0], '\n'));
  g_assert_null (strchr (f->launched->pdata[0], ' '));

  /* …and one email logged as sent, through the lead's write path. */
  g_assert_cmpuint (count_activities (f, CP_ACTIVITY_KIND_EMAIL_SENT), ==, 1);
  activities = cp_lead_store_list_activities (f->store, f->lead_id, NULL);
  g_assert_cmpstr (cp_activity_get_detail (activities->pdata[0]), ==, "Next steps");
  g_assert_cmpstr (cp_activity_get_actor (activities->pdata[0]), ==, "Test Me");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->dialog)));
}

static void
test_unknown_placeholder_shown (Fixture       *f,
                                gconstpointer  data)
{
  CpStage *stage = (CpStage *) cp_playbook_get_stage (f->playbook, "qualified");
  CpOutreachTemplate *broken = cp_outreach_template_new ("broken_intro");
  g_autoptr(GPtrArray) combos = g_ptr_array_new ();
  GtkStringList *titles;
  AdwComboRow *combo;

  broken->channel = g_strdup ("email");
  broken->title = g_strdup ("Hello again");
  broken->body = g_strdup ("Dear {first_name},\nyour {favourite_colour} is ready.");
  g_ptr_array_add (stage->templates, broken);

  open_dialog (f);
  cp_test_collect_widgets (GTK_WIDGET (f->dialog), ADW_TYPE_COMBO_ROW, combos);
  g_assert_cmpuint (combos->len, ==, 1);
  combo = combos->pdata[0];
  titles = GTK_STRING_LIST (adw_combo_row_get_model (combo));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (titles)); i++)
    if (g_str_equal (gtk_string_list_get_string (titles, i), "Hello again"))
      adw_combo_row_set_selected (combo, i);
  cp_test_iterate ();

  /* The core's message, in the dialog, and nothing to send. */
  g_assert_nonnull (cp_template_dialog_get_problem (f->dialog));
  g_assert_nonnull (strstr (cp_template_dialog_get_problem (f->dialog), "favourite_colour"));
  g_assert_null (cp_template_dialog_get_body (f->dialog));
  g_assert_false (
      gtk_widget_is_sensitive (cp_test_find_button (GTK_WIDGET (f->dialog), "template.open-mail")));
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "template.open-mail", NULL);
  cp_test_iterate ();
  g_assert_cmpuint (f->launched->len, ==, 0);
  g_assert_cmpuint (count_activities (f, CP_ACTIVITY_KIND_EMAIL_SENT), ==, 0);
}

static void
open_detail (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->detail = cp_lead_detail_window_new (NULL, f->store, f->lead_id, &error);
  g_assert_no_error (error);
  g_object_ref_sink (f->detail);
  cp_lead_detail_window_set_playbook (f->detail, f->playbook);
  gtk_widget_activate_action (GTK_WIDGET (f->detail), "detail.show-tab", "s", "overview");
  gtk_window_present (GTK_WINDOW (f->detail));
  cp_test_iterate ();
}

static void
set_do_not_contact (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = cp_lead_store_get (f->store, f->lead_id, &error);

  cp_lead_set_int (lead, CP_LEAD_FIELD_DO_NOT_CONTACT, 1);
  g_assert_true (cp_lead_store_update (f->store, lead, "test", NULL, &error));
  g_assert_no_error (error);
  cp_test_iterate ();
}

static char *
core_reason (Fixture    *f,
             const char *channel)
{
  g_autoptr(CpLead) lead = cp_lead_store_get (f->store, f->lead_id, NULL);
  g_autoptr(GPtrArray) activities = cp_lead_store_list_activities (f->store, f->lead_id, NULL);
  char *reason = NULL;

  g_assert_false (cp_outreach_check_channel (f->playbook, lead, activities, channel, &reason));
  return reason;
}

static void
assert_blocked (Fixture    *f,
                const char *action,
                const char *prefix,
                const char *channel)
{
  GtkWidget *button = cp_test_find_button (GTK_WIDGET (f->detail), action);
  GtkWidget *row = gtk_widget_get_ancestor (button, ADW_TYPE_ACTION_ROW);
  g_autofree char *reason = core_reason (f, channel);
  g_autofree char *expected = g_strconcat (prefix, reason, NULL);

  g_assert_false (gtk_widget_is_sensitive (button));
  /* Said on the row, and as its tooltip. */
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, expected);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (row), ==, expected);
}

static void
test_do_not_contact_blocks_with_reason (Fixture       *f,
                                        gconstpointer  data)
{
  GtkWidget *email;
  GtkWidget *call;

  open_detail (f);
  email = cp_test_find_button (GTK_WIDGET (f->detail), "detail.email-template");
  call = cp_test_find_button (GTK_WIDGET (f->detail), "detail.call");
  g_assert_true (gtk_widget_is_sensitive (email));
  g_assert_true (gtk_widget_is_sensitive (call));
  /* The number reads as the Overview shows it, not in its stored form. */
  g_assert_cmpstr (adw_action_row_get_subtitle (
                       ADW_ACTION_ROW (gtk_widget_get_ancestor (call, ADW_TYPE_ACTION_ROW))),
                   ==, "+1 415-555-0123");

  set_do_not_contact (f);
  assert_blocked (f, "detail.email-template", "Email blocked: ", "email");
  assert_blocked (f, "detail.call", "Call blocked: ", "phone");

  /* Off means off: the action does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (f->detail), "detail.call", NULL);
  cp_test_iterate ();
  g_assert_cmpuint (f->launched->len, ==, 0);
  g_assert_null (cp_test_find_dialog (GTK_WINDOW (f->detail)));
}

static void
test_call_dials_then_logs (Fixture       *f,
                           gconstpointer  data)
{
  AdwMessageDialog *ask;
  g_autoptr(GPtrArray) activities = NULL;

  open_detail (f);
  gtk_widget_activate_action (GTK_WIDGET (f->detail), "detail.call", NULL);
  cp_test_iterate ();
  g_assert_cmpuint (f->launched->len, ==, 1);
  g_assert_cmpstr (f->launched->pdata[0], ==, "tel:+14155550123");

  /* Then how it went, to log it with its disposition. */
  ask = cp_test_find_dialog (GTK_WINDOW (f->detail));
  g_assert_nonnull (ask);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (adw_message_dialog_get_extra_child (ask)), 0);
  adw_message_dialog_response (ask, "log");
  cp_test_iterate ();
  activities = cp_lead_store_list_activities (f->store, f->lead_id, NULL);
  g_assert_cmpuint (activities->len, ==, 1);
  g_assert_cmpint (cp_activity_get_kind (activities->pdata[0]), ==, CP_ACTIVITY_KIND_CALL);
  g_assert_cmpstr (cp_activity_get_disposition (activities->pdata[0]), ==,
                   cp_call_dispositions ()[0]);
}

static guint
count_task_rows (Fixture *f)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  cp_test_collect_widgets (GTK_WIDGET (f->detail), CP_TYPE_TASK_ROW, rows);
  return rows->len;
}

static void
test_tasks_section (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CpTask) task = cp_task_new ();
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  CpTaskFilter filter = { .lead_id = f->lead_id };
  guint before;

  open_detail (f);
  /* Whatever the playbook's entry made, the section lists it. */
  open = cp_lead_store_list_tasks (f->store, &filter, NULL);
  before = open->len;
  g_assert_cmpuint (count_task_rows (f), ==, before);

  cp_task_set_lead_id (task, f->lead_id);
  cp_task_set_kind (task, CP_TASK_KIND_FOLLOW_UP);
  cp_task_set_title (task, "Send the coverage FAQ");
  cp_task_set_due_at (task, cp_lead_store_now (f->store) + 3600);
  cp_task_set_owner (task, "Test Me");
  g_assert_true (cp_lead_store_add_task (f->store, task, "test", &error));
  g_assert_no_error (error);
  cp_test_iterate ();
  g_assert_cmpuint (count_task_rows (f), ==, before + 1);

  /* Done from the lead window: gone. */
  cp_test_collect_widgets (GTK_WIDGET (f->detail), CP_TYPE_TASK_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (cp_task_get_title (cp_task_row_get_task (rows->pdata[i])),
                     "Send the coverage FAQ"))
      gtk_widget_activate_action (rows->pdata[i], "task.done", NULL);
  cp_test_iterate ();
  g_assert_cmpuint (count_task_rows (f), ==, before);
  g_assert_true (
      gtk_widget_is_sensitive (cp_test_find_button (GTK_WIDGET (f->detail), "detail.add-task")));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cp_ui_init ();

#define ADD(path, func) \
  g_test_add ("/lead-outreach/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("template-rendered-and-asks", test_template_rendered_and_asks);
  ADD ("open-in-mail-launches-and-logs", test_open_in_mail_launches_and_logs);
  ADD ("unknown-placeholder-shown", test_unknown_placeholder_shown);
  ADD ("do-not-contact-blocks-with-reason", test_do_not_contact_blocks_with_reason);
  ADD ("call-dials-then-logs", test_call_dials_then_logs);
  ADD ("tasks-section", test_tasks_section);
#undef ADD

  return g_test_run ();
}
