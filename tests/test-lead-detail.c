/* test-lead-detail.c — the lead detail window: logging activity, proposed moves, consent
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <adwaita.h>

#include "cp-lead-detail-window.h"
#include "cp-person-erase.h"
#include "cp-playbook-format.h"
#include "cp-task-row.h"
#include "cp-task-store.h"
#include "cp-test-util.h"
#include "cp-widget-test-util.h"
#include "cp-ui.h"

typedef struct
{
  char               *dir;
  CpDatabase         *database;
  CpLeadStore        *store;
  CpPlaybook         *playbook;
  char               *lead_id;
  CpLeadDetailWindow *detail;
} Fixture;

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
                                    CP_LEAD_FIELD_STAGE, "engaged",
                                    CP_LEAD_FIELD_SERVICE_LINE, "cardiology",
                                    CP_LEAD_FIELD_LOCATION, "Riverside",
                                    CP_LEAD_FIELD_PREFERRED_CONTACT, "email",
                                    CP_LEAD_N_FIELDS);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->detail != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (f->detail));
      cp_test_finalize_widget (g_steal_pointer (&f->detail));
    }
  cp_test_iterate ();
  g_clear_pointer (&f->playbook, cp_playbook_unref);
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
  g_free (f->lead_id);
}

static void
open_detail (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->detail = cp_lead_detail_window_new (NULL, f->store, f->lead_id, &error);
  g_assert_no_error (error);
  g_object_ref_sink (f->detail);
  cp_lead_detail_window_set_playbook (f->detail, f->playbook);
  gtk_window_present (GTK_WINDOW (f->detail));
  cp_test_iterate ();
}

static void
update_lead (Fixture     *f,
             CpLeadField  field,
             const char  *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = cp_lead_store_get (f->store, f->lead_id, &error);

  cp_lead_set_text (lead, field, value);
  g_assert_true (cp_lead_store_update (f->store, lead, "test", NULL, &error));
  g_assert_no_error (error);
  cp_test_iterate ();
}

/* With CP_TEST_SCREENSHOT=BASE, saves BASE-SUFFIX.png of the screen (README). */
static void
screenshot (Fixture    *f,
            const char *tab,
            const char *suffix)
{
  if (g_getenv ("CP_TEST_SCREENSHOT") == NULL)
    return;
  if (tab != NULL)
    gtk_widget_activate_action (GTK_WIDGET (f->detail), "detail.show-tab", "s", tab);
  cp_test_screenshot (suffix);
}

static guint
n_activities (Fixture *f)
{
  g_autoptr(GPtrArray) activities = cp_lead_store_list_activities (f->store, f->lead_id, NULL);

  return activities->len;
}

static void
test_consent_blocks_outreach (Fixture       *f,
                              gconstpointer  data)
{
  GtkWidget *call;
  GtkWidget *email;

  open_detail (f);
  call = cp_test_find_button (GTK_WIDGET (f->detail), "detail.log-call");
  email = cp_test_find_button (GTK_WIDGET (f->detail), "detail.log-email");
  g_assert_true (gtk_widget_is_sensitive (call));
  g_assert_true (gtk_widget_is_sensitive (email));

  /* The open window follows the change made elsewhere. */
  update_lead (f, CP_LEAD_FIELD_CONSENT_CHANNEL, "email");
  g_assert_false (gtk_widget_is_sensitive (call));
  g_assert_true (gtk_widget_is_sensitive (email));
  g_assert_cmpstr (cp_lead_detail_window_get_outreach_note (f->detail, "phone"), ==,
                   "Consent covers email only.");
  gtk_widget_activate_action (GTK_WIDGET (f->detail), "detail.log-call", NULL);
  cp_test_iterate ();
  g_assert_cmpuint (n_activities (f), ==, 0);

  update_lead (f, CP_LEAD_FIELD_CONSENT_STATUS, "withdrawn");
  g_assert_false (gtk_widget_is_sensitive (email));
  g_assert_cmpstr (cp_lead_detail_window_get_outreach_note (f->detail, "email"), ==,
                   "The lead withdrew consent.");
  /* A note is not outreach: still allowed. */
  g_assert_true (
      gtk_widget_is_sensitive (cp_test_find_button (GTK_WIDGET (f->detail), "detail.add-note")));
}

static void
test_activity_rescores_and_moves (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) moved = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) activities = NULL;
  g_autofree char *before = NULL;
  gboolean stage_event = FALSE;
  AdwToast *toast;

  open_detail (f);
  /* Scored when it was created: cardiology in the service area fits. */
  before = g_strdup (cp_lead_detail_window_get_score_text (f->detail));
  g_assert_cmpint (atoi (before), >, 0);

  gtk_widget_activate_action (GTK_WIDGET (f->detail), "detail.show-tab", "s", "activity");
  cp_test_collect_widgets (GTK_WIDGET (f->detail), ADW_TYPE_ENTRY_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (rows->pdata[0]), "Intake visit booked for Tuesday");
  gtk_widget_activate_action (GTK_WIDGET (f->detail), "detail.log-meeting", NULL);
  cp_test_iterate ();
  g_assert_cmpuint (n_activities (f), ==, 1);
  activities = cp_lead_store_list_activities (f->store, f->lead_id, &error);
  g_assert_cmpstr (cp_activity_get_detail (activities->pdata[0]), ==,
                   "Intake visit booked for Tuesday");
  /* The details are cleared for the next entry. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rows->pdata[0])), ==, "");
  /* Intent (meeting booked) now counts too. */
  g_assert_cmpint (atoi (cp_lead_detail_window_get_score_text (f->detail)), >, atoi (before));

  /* discovery_call_booked: engaged → active evaluation, made by the store
   * with the activity; the toast says so and offers to undo it. */
  g_assert_null (cp_test_find_dialog (GTK_WINDOW (f->detail)));
  toast = cp_lead_detail_window_get_outcome_toast (f->detail);
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_title (toast), ==,
                   "Meeting booked logged: moved to Active evaluation by the playbook");
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Undo Move");
  screenshot (f, NULL, "automatic-move");
  screenshot (f, "activity", "activity");
  screenshot (f, "score", "score");
  screenshot (f, "history", "history");

  moved = cp_lead_store_get (f->store, f->lead_id, &error);
  g_assert_cmpstr (cp_lead_get_stage (moved), ==, "active_evaluation");
  history = cp_lead_store_history (f->store, f->lead_id, &error);
  for (guint i = 0; i < history->len; i++)
    {
      CpHistoryEntry *entry = history->pdata[i];

      if (g_strcmp0 (entry->action, "stage") == 0 &&
          g_strcmp0 (entry->new_value, "active_evaluation") == 0)
        {
          g_assert_nonnull (strstr (entry->reason, "Discovery call or intake booked"));
          g_assert_cmpstr (entry->actor, ==, "automation");
          stage_event = TRUE;
        }
    }
  g_assert_true (stage_event);

  /* A note needs its text: nothing is written without it. */
  gtk_widget_activate_action (GTK_WIDGET (f->detail), "detail.add-note", NULL);
  cp_test_iterate ();
  g_assert_cmpuint (n_activities (f), ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (rows->pdata[0]), "Prefers mornings");
  gtk_widget_activate_action (GTK_WIDGET (f->detail), "detail.add-note", NULL);
  cp_test_iterate ();
  g_assert_cmpuint (n_activities (f), ==, 2);
}

static void
test_undo_automatic_move (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = NULL;
  g_autoptr(CpLead) back = NULL;
  AdwToast *toast;

  open_detail (f);
  gtk_widget_activate_action (GTK_WIDGET (f->detail), "detail.log-call", NULL);
  cp_test_iterate ();
  /* A call from Engaged moves nothing in the default playbook. */
  toast = cp_lead_detail_window_get_outcome_toast (f->detail);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "Call logged");
  g_assert_null (adw_toast_get_button_label (toast));

  gtk_widget_activate_action (GTK_WIDGET (f->detail), "detail.log-meeting", NULL);
  cp_test_iterate ();
  lead = cp_lead_store_get (f->store, f->lead_id, &error);
  g_assert_cmpstr (cp_lead_get_stage (lead), ==, "active_evaluation");
  toast = cp_lead_detail_window_get_outcome_toast (f->detail);
  g_signal_emit_by_name (toast, "button-clicked");
  cp_test_iterate ();
  back = cp_lead_store_get (f->store, f->lead_id, &error);
  g_assert_cmpstr (cp_lead_get_stage (back), ==, "engaged");
  g_assert_cmpuint (n_activities (f), ==, 2);
}

/* Every kind of activity can be logged, not four. */
static void
test_every_kind (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();
  g_autoptr(GPtrArray) activities = NULL;
  g_autoptr(GError) error = NULL;
  GtkDropDown *kinds = NULL;

  open_detail (f);
  cp_test_collect_widgets (GTK_WIDGET (f->detail), GTK_TYPE_DROP_DOWN, dropdowns);
  for (guint i = 0; i < dropdowns->len; i++)
    if (g_list_model_get_n_items (gtk_drop_down_get_model (dropdowns->pdata[i])) ==
        CP_ACTIVITY_N_KINDS)
      kinds = dropdowns->pdata[i];
  g_assert_nonnull (kinds);
  gtk_drop_down_set_selected (kinds, CP_ACTIVITY_KIND_EVENT_CHECK_IN);
  gtk_widget_activate_action (GTK_WIDGET (f->detail), "detail.log-other", NULL);
  cp_test_iterate ();
  activities = cp_lead_store_list_activities (f->store, f->lead_id, &error);
  g_assert_cmpuint (activities->len, ==, 1);
  g_assert_cmpint (cp_activity_get_kind (activities->pdata[0]), ==,
                   CP_ACTIVITY_KIND_EVENT_CHECK_IN);
}

/* Erase This Person…: the confirmation names what is lost and wants a
 * reason; the erasure runs off the main thread, then the window closes. */
static void
test_erase_person (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  GtkEditable *reason;
  GtkWidget *loss;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  gint64 deadline;

  open_detail (f);
  gtk_widget_activate_action (GTK_WIDGET (f->detail), "detail.erase-person", NULL);
  cp_test_iterate ();
  dialog = cp_test_find_dialog (GTK_WINDOW (f->detail));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Erase Ruth Okafor?");
  cp_test_collect_widgets (adw_message_dialog_get_extra_child (dialog), GTK_TYPE_LABEL, labels);
  loss = NULL;
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (labels->pdata[i]), "erase-loss") == 0)
      loss = labels->pdata[i];
  g_assert_nonnull (loss);
  {
    g_autoptr(CpErasurePreview) preview = cp_person_erase_preview (f->store, f->lead_id, &error);
    g_autofree char *fields = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (preview->n_fields, >=, 5);
    fields = g_strdup_printf ("%u fields", preview->n_fields);
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (loss)), fields));
  }
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (loss)), "history"));

  /* No reason, no erasure. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "erase"));
  reason = g_object_get_data (G_OBJECT (dialog), "cp-reason");
  gtk_editable_set_text (reason, "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "erase"));
  gtk_editable_set_text (reason, "Request 2026-014");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "erase"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "erase"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);

  adw_message_dialog_response (dialog, "erase");
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (gtk_widget_get_visible (GTK_WIDGET (f->detail)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->detail)));
  g_assert_true (cp_test_erased_at (f->store, f->lead_id) > 0);
  g_assert_no_error (error);
  cp_test_iterate ();
  cp_test_finalize_widget (g_steal_pointer (&f->detail));
}

/* The lead deleted elsewhere while its window is open: the window says it
 * was removed and offers nothing that would change it (each ended in an
 * error toast). */
static void
test_removed_elsewhere (Fixture       *f,
                        gconstpointer  data)
{
  static const char * const changing[] = {
    "detail.edit", "detail.log-call", "detail.log-email", "detail.add-note", "detail.add-task",
  };
  g_autoptr(GError) error = NULL;

  open_detail (f);
  for (guint i = 0; i < G_N_ELEMENTS (changing); i++)
    {
      GtkWidget *button = cp_test_find_button (GTK_WIDGET (f->detail), changing[i]);

      g_test_message ("%s", changing[i]);
      g_assert_nonnull (button);
      g_assert_true (gtk_widget_is_sensitive (button));
    }

  g_assert_true (cp_lead_store_tombstone (f->store, f->lead_id, "Entered twice", "test", &error));
  g_assert_no_error (error);
  cp_test_iterate ();
  g_assert_true (cp_test_shows_label (GTK_WIDGET (f->detail), "Removed"));
  for (guint i = 0; i < G_N_ELEMENTS (changing); i++)
    {
      GtkWidget *button = cp_test_find_button (GTK_WIDGET (f->detail), changing[i]);

      g_test_message ("%s", changing[i]);
      g_assert_true (button == NULL || !gtk_widget_is_sensitive (button));
    }
}

/* Delete Lead…: a question with the lead's name wants a reason; Cancel
 * keeps the lead; Delete tombstones it (gone from every view, its history
 * kept with the reason) and closes the window. */
static void
test_delete_lead (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(CpLead) gone = NULL;
  AdwMessageDialog *dialog;
  GtkEditable *reason;
  gboolean saw_tombstone = FALSE;

  open_detail (f);
  gtk_widget_activate_action (GTK_WIDGET (f->detail), "detail.delete-lead", NULL);
  cp_test_iterate ();
  dialog = cp_test_find_dialog (GTK_WINDOW (f->detail));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete Ruth Okafor?");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "delete"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "delete"));
  reason = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  gtk_editable_set_text (reason, "  ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "delete"));

  /* Cancel (the button responds, then closes the question): nothing happens. */
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_close (GTK_WINDOW (dialog));
  for (int i = 0; i < 200 && cp_test_find_dialog (GTK_WINDOW (f->detail)) != NULL; i++)
    {
      cp_test_iterate ();
      g_usleep (5000);
    }
  g_assert_null (cp_test_find_dialog (GTK_WINDOW (f->detail)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->detail)));
  gone = cp_lead_store_get (f->store, f->lead_id, &error);
  g_assert_no_error (error);
  g_clear_object (&gone);

  gtk_widget_activate_action (GTK_WIDGET (f->detail), "detail.delete-lead", NULL);
  cp_test_iterate ();
  dialog = cp_test_find_dialog (GTK_WINDOW (f->detail));
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "delete"));
  reason = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  gtk_editable_set_text (reason, " Test entry at the fair ");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "delete"));
  cp_test_screenshot ("delete-lead");
  adw_message_dialog_response (dialog, "delete");
  cp_test_iterate ();

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->detail)));
  gone = cp_lead_store_get (f->store, f->lead_id, &error);
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_assert_null (gone);
  g_clear_error (&error);
  history = cp_lead_store_history (f->store, f->lead_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < history->len; i++)
    {
      CpHistoryEntry *entry = history->pdata[i];

      if (g_strcmp0 (entry->action, "tombstone") == 0)
        {
          g_assert_cmpstr (entry->reason, ==, "Test entry at the fair");
          saw_tombstone = TRUE;
        }
    }
  g_assert_true (saw_tombstone);
  cp_test_finalize_widget (g_steal_pointer (&f->detail));
}

static gboolean
shows_label_containing (GtkWidget  *root,
                        const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  cp_test_collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (strstr (gtk_label_get_text (labels->pdata[i]), text) != NULL)
      return TRUE;
  return FALSE;
}

static void
log_note (Fixture    *f,
          const char *detail)
{
  g_autoptr(CpActivity) activity = cp_activity_new ();
  g_autoptr(GError) error = NULL;

  cp_activity_set_lead_id (activity, f->lead_id);
  cp_activity_set_kind (activity, CP_ACTIVITY_KIND_NOTE);
  cp_activity_set_detail (activity, detail);
  cp_activity_set_actor (activity, "test");
  g_assert_true (cp_lead_store_log_activity (f->store, activity, NULL, &error));
  g_assert_no_error (error);
}

/* A task done or snoozed in the lead window is named in the toast as it
 * is written, “&” and “<” included (a toast's title is markup). */
static void
test_task_toast_plain_text (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CpTask) task = cp_task_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  CpTaskRow *row = NULL;

  cp_task_set_lead_id (task, f->lead_id);
  cp_task_set_kind (task, CP_TASK_KIND_FOLLOW_UP);
  cp_task_set_title (task, "Send the Q&A <2 pages>");
  cp_task_set_due_at (task, cp_lead_store_now (f->store) + 3600);
  cp_task_set_owner (task, "Test Me");
  g_assert_true (cp_lead_store_add_task (f->store, task, "test", &error));
  g_assert_no_error (error);
  open_detail (f);

  cp_test_collect_widgets (GTK_WIDGET (f->detail), CP_TYPE_TASK_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (cp_task_get_title (cp_task_row_get_task (rows->pdata[i])),
                     "Send the Q&A <2 pages>"))
      row = rows->pdata[i];
  g_assert_nonnull (row);
  gtk_widget_activate_action (GTK_WIDGET (row), "task.done", NULL);
  cp_test_iterate ();
  g_assert_true (cp_test_shows_label (GTK_WIDGET (f->detail), "“Send the Q&A <2 pages>” done"));
}

/* People's values and the playbook's wording show as written, “&” and “<”
 * included: in the Overview's rows and in why an outreach is off. */
static void
test_text_not_markup (Fixture       *f,
                      gconstpointer  data)
{
  CpStage *stage = (CpStage *) cp_playbook_get_stage (f->playbook, "engaged");
  g_autofree char *note = NULL;

  g_free (stage->title);
  stage->title = g_strdup ("Q&A <intake>");
  g_strfreev (stage->channels);
  stage->channels = g_strsplit ("email", ",", -1);
  update_lead (f, CP_LEAD_FIELD_ORGANIZATION, "Smith & Jones <Clinic>");
  open_detail (f);

  g_assert_true (cp_test_shows_label (GTK_WIDGET (f->detail), "Smith & Jones <Clinic>"));
  note = g_strdup (cp_lead_detail_window_get_outreach_note (f->detail, "phone"));
  g_assert_cmpstr (note, ==, "The Q&A <intake> stage does not use phone.");
  g_assert_true (cp_test_shows_label (GTK_WIDGET (f->detail), note));

  /* The timeline, read on a worker, shows a note's text as written. */
  log_note (f, "Sent the Q&A <pdf>");
  for (int i = 0; i < 400 && !shows_label_containing (GTK_WIDGET (f->detail), "Q&A <pdf>"); i++)
    {
      cp_test_iterate ();
      g_usleep (5000);
    }
  g_assert_true (shows_label_containing (GTK_WIDGET (f->detail), " · Sent the Q&A <pdf>"));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cp_ui_init ();

#define ADD(path, func) \
  g_test_add ("/lead-detail/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("consent-blocks-outreach", test_consent_blocks_outreach);
  ADD ("activity-rescores-and-moves", test_activity_rescores_and_moves);
  ADD ("undo-automatic-move", test_undo_automatic_move);
  ADD ("every-kind", test_every_kind);
  ADD ("erase-person", test_erase_person);
  ADD ("delete-lead", test_delete_lead);
  ADD ("removed-elsewhere", test_removed_elsewhere);
  ADD ("task-toast-plain-text", test_task_toast_plain_text);
  ADD ("text-not-markup", test_text_not_markup);
#undef ADD

  return g_test_run ();
}
