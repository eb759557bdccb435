/* test-sync-view.c — the Sync view: empty state, status, conflicts with keep mine / keep theirs,
 * records from the CRM not applied, changes the CRM refused, stopping a running sync
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "cp-crm-mapping.h"
#include "cp-store-error.h"
#include "cp-sync-view.h"
#include "cp-test-util.h"
#include "cp-ui.h"
#include "cp-widget-test-util.h"
#include "fake-hubspot.h"

static void
iterate_main_loop (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The first widget under @root of @type whose label (button or label) is @text. */
static GtkWidget *
find_labelled (GtkWidget  *root,
               GType       type,
               const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        {
          const char *label = GTK_IS_BUTTON (child)  ? gtk_button_get_label (GTK_BUTTON (child))
                              : GTK_IS_LABEL (child) ? gtk_label_get_label (GTK_LABEL (child))
                                                     : NULL;
          if (g_strcmp0 (label, text) == 0)
            return child;
        }
      found = find_labelled (child, type, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      found = find_type (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static char *
add_conflicted_lead (CpLeadStore *leads,
                     CpSyncStore *store)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;
  CpDatabase *database = cp_lead_store_get_database (leads);

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Priya");
  cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, "Raman");
  cp_lead_set_text (lead, CP_LEAD_FIELD_JOB_TITLE, "Director");
  g_assert_true (cp_lead_store_create (leads, lead, "tester", &error));
  g_assert_true (cp_database_begin (database, &error));
  g_assert_true (cp_sync_store_add_conflict (store, cp_lead_get_id (lead), "job_title", NULL,
                                             "Director", "Administrator", "2026-01-01T00:00:00Z",
                                             NULL, &error));
  g_assert_true (cp_database_commit (database, &error));
  g_assert_no_error (error);
  return g_strdup (cp_lead_get_id (lead));
}

static void
test_sync_view_states_and_conflicts (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autoptr(CpDatabase) database = cp_test_open_database (dir);
  g_autoptr(CpLeadStore) leads = cp_lead_store_new (database);
  g_autoptr(CpSyncStore) store = cp_sync_store_new (leads, "hubspot");
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(CpSyncController) controller = NULL;
  g_autofree char *lead_id = NULL;
  g_autoptr(CpLead) after = NULL;
  GtkWidget *window = gtk_window_new ();
  CpSyncView *view = g_object_new (CP_TYPE_SYNC_VIEW, NULL);
  GtkStack *stack;
  GtkWidget *button;

  g_settings_set_string (settings, "sync-backend", "none");
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  controller = cp_sync_controller_new (leads, settings);
  cp_sync_view_set_controller (view, controller);
  stack = GTK_STACK (find_type (GTK_WIDGET (view), GTK_TYPE_STACK));

  /* No CRM: the empty state, which points to Preferences. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_nonnull (find_labelled (GTK_WIDGET (view), GTK_TYPE_BUTTON, "_Open Preferences"));

  /* A CRM: the status and the conflicts, side by side. */
  lead_id = add_conflicted_lead (leads, store);
  g_settings_set_string (settings, "sync-backend", "hubspot");
  iterate_main_loop ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "main");
  g_assert_nonnull (find_labelled (GTK_WIDGET (view), GTK_TYPE_LABEL, "Priya Raman — Job title"));
  g_assert_nonnull (find_labelled (GTK_WIDGET (view), GTK_TYPE_LABEL, "Director"));
  g_assert_nonnull (find_labelled (GTK_WIDGET (view), GTK_TYPE_LABEL, "Administrator"));
  g_assert_nonnull (find_labelled (GTK_WIDGET (view), GTK_TYPE_LABEL, "In HubSpot"));

  /* Keep theirs: the CRM's value is written here and the conflict goes. */
  button = find_labelled (GTK_WIDGET (view), GTK_TYPE_BUTTON, "Keep _Theirs");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  iterate_main_loop ();
  after = cp_lead_store_get (leads, lead_id, NULL);
  g_assert_cmpstr (cp_lead_get_text (after, CP_LEAD_FIELD_JOB_TITLE), ==, "Administrator");
  g_assert_null (find_labelled (GTK_WIDGET (view), GTK_TYPE_BUTTON, "Keep _Theirs"));
  g_assert_null (find_labelled (GTK_WIDGET (view), GTK_TYPE_LABEL, "Priya Raman — Job title"));

  /* Edit: a third value, typed in a dialog; an invalid one keeps the
   * conflict and says why. */
  g_clear_pointer (&lead_id, g_free);
  lead_id = add_conflicted_lead (leads, store);
  cp_sync_controller_refresh (controller);
  iterate_main_loop ();
  for (guint attempt = 0; attempt < 2; attempt++)
    {
      const char *typed = attempt == 0 ? "Head\x01of ops" : "Head of Operations";
      AdwMessageDialog *dialog = NULL;
      GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */

      button = find_labelled (GTK_WIDGET (view), GTK_TYPE_BUTTON, "_Edit…");
      g_assert_nonnull (button);
      g_signal_emit_by_name (button, "clicked");
      iterate_main_loop ();
      for (guint i = 0; i < g_list_model_get_n_items (toplevels) && dialog == NULL; i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

          if (ADW_IS_MESSAGE_DIALOG (item))
            dialog = ADW_MESSAGE_DIALOG (item);
        }
      g_assert_nonnull (dialog);
      gtk_editable_set_text (GTK_EDITABLE (find_type (GTK_WIDGET (dialog), GTK_TYPE_ENTRY)), typed);
      adw_message_dialog_response (dialog, "save");
      iterate_main_loop ();
      g_clear_object (&after);
      after = cp_lead_store_get (leads, lead_id, NULL);
      if (attempt == 0)
        {
          g_assert_cmpstr (cp_lead_get_text (after, CP_LEAD_FIELD_JOB_TITLE), ==, "Director");
          g_assert_nonnull (
              find_labelled (GTK_WIDGET (view), GTK_TYPE_LABEL, "Priya Raman — Job title"));
        }
      else
        {
          g_assert_cmpstr (cp_lead_get_text (after, CP_LEAD_FIELD_JOB_TITLE), ==,
                           "Head of Operations");
          g_assert_null (
              find_labelled (GTK_WIDGET (view), GTK_TYPE_LABEL, "Priya Raman — Job title"));
        }
    }

  gtk_window_destroy (GTK_WINDOW (window));
  iterate_main_loop ();
  g_clear_object (&controller);
  g_settings_reset (settings, "sync-backend");
  cp_test_remove_tree (dir);
}

/* The action row titled @title below @root. */
static AdwActionRow *
find_row (GtkWidget  *root,
          const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  cp_test_collect_widgets (root, ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0)
      return rows->pdata[i];
  return NULL;
}

static GtkWidget *
find_group (GtkWidget  *root,
            const char *title)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();

  cp_test_collect_widgets (root, ADW_TYPE_PREFERENCES_GROUP, groups);
  for (guint i = 0; i < groups->len; i++)
    if (g_strcmp0 (adw_preferences_group_get_title (groups->pdata[i]), title) == 0)
      return groups->pdata[i];
  return NULL;
}

static void
quarantine (CpSyncStore *store,
            const char  *remote_id,
            const char  *payload,
            const char  *reason)
{
  CpDatabase *database = cp_sync_store_get_database (store);
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_database_begin (database, &error));
  g_assert_true (cp_sync_store_quarantine (store, remote_id, "2026-01-01T00:00:00Z", payload,
                                           reason, 1767225600, &error));
  g_assert_true (cp_database_commit (database, &error));
  g_assert_no_error (error);
}

/* Clicks the dialog's response button, as a user does (which also closes it). */
static void
respond (AdwMessageDialog *dialog,
         const char       *label)
{
  GtkWidget *button;

  g_assert_nonnull (dialog);
  button = find_labelled (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, label);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  cp_test_iterate ();
}

#define LONG_NAME "Maximiliane Alexandrina von Wolkenstein-Trostburg-Hohenems"

static void
test_sync_view_rejects_and_failures (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autoptr(CpDatabase) database = cp_test_open_database (dir);
  g_autoptr(CpLeadStore) leads = cp_lead_store_new (database);
  g_autoptr(CpSyncStore) store = cp_sync_store_new (leads, "hubspot");
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(CpSyncController) controller = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *lead_id = NULL;
  GtkWidget *window = gtk_window_new ();
  CpSyncView *view = g_object_new (CP_TYPE_SYNC_VIEW, NULL);
  GtkWidget *rejects_group, *failures_group;
  AdwActionRow *row;
  AdwMessageDialog *dialog;
  GtkWidget *button;
  GVariant *target;
  gint64 first_id, second_id;

  g_settings_set_string (settings, "sync-backend", "hubspot");
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  controller = cp_sync_controller_new (leads, settings);
  cp_sync_view_set_controller (view, controller);

  /* Nothing kept, nothing refused: neither group shows. */
  rejects_group = find_group (GTK_WIDGET (view), "Records from the CRM Not Applied");
  failures_group = find_group (GTK_WIDGET (view), "Changes the CRM Refused");
  g_assert_nonnull (rejects_group);
  g_assert_nonnull (failures_group);
  g_assert_false (gtk_widget_get_visible (rejects_group));
  g_assert_false (gtk_widget_get_visible (failures_group));

  /* Two records HubSpot sent that were not applied (one with HubSpot's
   * property names, one with nothing to name it by), and one change
   * HubSpot refused. */
  quarantine (store, "901",
              "{\"firstname\":\"Maximiliane Alexandrina\",\"lastname\":\"von "
              "Wolkenstein-Trostburg-Hohenems\","
              "\"email\":\"not-an-email\",\"hs_custom\":\"<b>kept</b>\"}",
              "“not-an-email” is not a valid email address.");
  quarantine (store, "901", /* tried again */
              "{\"firstname\":\"Maximiliane Alexandrina\",\"lastname\":\"von "
              "Wolkenstein-Trostburg-Hohenems\","
              "\"email\":\"not-an-email\",\"hs_custom\":\"<b>kept</b>\"}",
              "“not-an-email” is not a valid email address.");
  quarantine (store, "902", "{\"hs_lead_status\":\"WEIRD & NEW\"}",
              "The playbook refuses <this> stage.");
  lead_id = cp_test_create_lead (leads, CP_LEAD_FIELD_FIRST_NAME, "Ana", CP_LEAD_FIELD_LAST_NAME,
                                 "Lima", CP_LEAD_N_FIELDS);
  pending = cp_sync_store_list_pending (store, &error);
  g_assert_no_error (error);
  g_assert_true (
      cp_sync_store_record_failure (store, lead_id,
                                    ((CpSyncPending *) pending->pdata[0])->last_outbox_id,
                                    "Property values were not valid: jobtitle", &error));
  first_id = cp_test_sql_int (database, "SELECT id FROM sync_rejects WHERE remote_id = ?1", "901");
  second_id = cp_test_sql_int (database, "SELECT id FROM sync_rejects WHERE remote_id = ?1", "902");
  cp_sync_controller_refresh (controller);
  cp_test_iterate ();

  g_assert_true (gtk_widget_get_visible (rejects_group));
  g_assert_true (gtk_widget_get_visible (failures_group));
  /* Refreshing the lists keeps the conflicts' empty state. */
  button = find_labelled (GTK_WIDGET (view), GTK_TYPE_LABEL, "No conflicts");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_child_visible (button));
  row = find_row (rejects_group, LONG_NAME);
  g_assert_nonnull (row);
  /* Long names stay on one line, ellipsized. */
  g_assert_cmpint (adw_action_row_get_title_lines (row), ==, 1);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "is not a valid email address"));
  g_assert_nonnull (
      strstr (adw_action_row_get_subtitle (row), "2 attempts · first seen 1 January 2026, 00:00"));
  /* Nothing to name it by: the CRM's id; text with markup characters stays text. */
  row = find_row (rejects_group, "902");
  g_assert_nonnull (row);
  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "refuses <this> stage"));
  row = find_row (failures_group, "Ana Lima");
  g_assert_nonnull (row);
  g_assert_nonnull (
      strstr (adw_action_row_get_subtitle (row), "Property values were not valid: jobtitle"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "1 attempt"));
  /* Open: the window's own action, with the lead's id. */
  button = cp_test_find_button (GTK_WIDGET (row), "win.open-lead");
  g_assert_nonnull (button);
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button));
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, lead_id);

  if (g_getenv ("CP_TEST_SCREENSHOT") != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (window), 900, 760);
      gtk_window_present (GTK_WINDOW (window));
      cp_test_screenshot ("wide");
      gtk_window_set_default_size (GTK_WINDOW (window), 360, 760);
      cp_test_screenshot ("narrow");
      gtk_window_set_default_size (GTK_WINDOW (window), 900, 760);
      cp_test_iterate ();
    }

  /* Show: the record's values by their Carepath labels, the reason, and
   * what to change. */
  button = cp_test_find_button (GTK_WIDGET (find_row (rejects_group, LONG_NAME)),
                                "sync-view.show-reject");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  cp_test_iterate ();
  dialog = cp_test_find_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, LONG_NAME);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "is not a valid email address"));
  g_assert_nonnull (
      strstr (adw_message_dialog_get_body (dialog),
              "Tried 2 times since 1 January 2026, 00:00, the last on 1 January 2026, 00:00."));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Every sync tries it again"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Preferences → Mapping"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Playbook"));
  row = find_row (GTK_WIDGET (dialog), "First name");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "Maximiliane Alexandrina");
  row = find_row (GTK_WIDGET (dialog), "Email");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "not-an-email");
  row = find_row (GTK_WIDGET (dialog), "hs_custom");   /* not kept by Carepath: the CRM's name */
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "<b>kept</b>");
  row = find_row (GTK_WIDGET (dialog), "Record id in HubSpot");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "901");
  if (g_getenv ("CP_TEST_SCREENSHOT") != NULL)
    cp_test_screenshot ("show");
  respond (dialog, "_Close");
  g_assert_null (cp_test_find_dialog (GTK_WINDOW (window)));

  /* Retry runs a sync through the controller (here against an address
   * where nothing listens, so it is cancelled); no second one starts
   * while it runs. */
  g_settings_set_string (settings, "sync-base-url", "http://127.0.0.1:9");
  cp_test_iterate ();
  button = cp_test_find_button (GTK_WIDGET (find_row (rejects_group, "902")), "sync-view.retry");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (cp_sync_controller_get_running (controller));
  cp_test_iterate ();
  g_assert_false (gtk_widget_get_sensitive (button));
  cp_sync_controller_cancel (controller);
  {
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    while (cp_sync_controller_get_running (controller) && g_get_monotonic_time () < deadline)
      {
        cp_test_iterate ();
        g_usleep (10000);
      }
  }
  g_assert_false (cp_sync_controller_get_running (controller));
  cp_test_iterate ();
  /* Nothing was applied: both records are still listed, Retry is back. */
  g_assert_nonnull (find_row (rejects_group, LONG_NAME));
  button = cp_test_find_button (GTK_WIDGET (find_row (rejects_group, "902")), "sync-view.retry");
  g_assert_true (gtk_widget_get_sensitive (button));

  /* Dismiss asks first; Cancel keeps the record. */
  button = cp_test_find_button (GTK_WIDGET (find_row (rejects_group, LONG_NAME)),
                                "sync-view.dismiss-reject");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  cp_test_iterate ();
  dialog = cp_test_find_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Dismiss This Record?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), LONG_NAME));
  respond (dialog, "_Cancel");
  g_assert_nonnull (find_row (rejects_group, LONG_NAME));
  g_assert_cmpint (cp_test_sql_int (database,
                                    "SELECT count(*) FROM sync_rejects WHERE dismissed_at = 0",
                                    NULL),
                   ==, 2);

  /* Dismiss, from the record's own dialog this time: the row goes; the
   * record stays in the database, marked dismissed. */
  gtk_widget_activate_action (GTK_WIDGET (view), "sync-view.show-reject", "x", first_id);
  cp_test_iterate ();
  respond (cp_test_find_dialog (GTK_WINDOW (window)), "_Dismiss…");
  dialog = cp_test_find_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Dismiss This Record?");
  respond (dialog, "_Dismiss");
  g_assert_null (find_row (rejects_group, LONG_NAME));
  g_assert_nonnull (find_row (rejects_group, "902"));
  g_assert_cmpint (cp_test_sql_int (database,
                                    "SELECT dismissed_at > 0 FROM sync_rejects WHERE remote_id = "
                                    "?1",
                                    "901"),
                   ==, 1);

  /* Dismissed elsewhere (the CLI) while listed here: the dismissal fails
   * with the reason, and the list shows what is. */
  g_assert_true (cp_sync_store_dismiss_reject (store, second_id, 1767229200, &error));
  g_assert_false (cp_sync_controller_dismiss_reject (controller, second_id, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_nonnull (find_row (rejects_group, "902"));
  gtk_widget_activate_action (GTK_WIDGET (view), "sync-view.dismiss-reject", "x", second_id);
  cp_test_iterate ();
  respond (cp_test_find_dialog (GTK_WINDOW (window)), "_Dismiss");
  g_assert_null (cp_test_find_dialog (GTK_WINDOW (window)));
  g_assert_null (find_row (rejects_group, "902"));
  /* None left: the group hides; the refused change stays listed. */
  g_assert_false (gtk_widget_get_visible (rejects_group));
  g_assert_true (gtk_widget_get_visible (failures_group));

  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);
  gtk_window_destroy (GTK_WINDOW (window));
  cp_test_iterate ();
  g_assert_null (view);   /* no dialog or row kept it alive */
  g_clear_object (&controller);
  g_settings_reset (settings, "sync-backend");
  g_settings_reset (settings, "sync-base-url");
  cp_test_remove_tree (dir);
}

/* A kept record read by Carepath's labels, through the team's mapping:
 * EspoCRM's names, a property the team mapped, one Carepath does not keep. */
static void
test_sync_record_fields (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autoptr(CpDatabase) database = cp_test_open_database (dir);
  g_autoptr(CpCrmMapping) mapping = cp_crm_mapping_new ();
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  CpSyncReject reject = {
    .id = 1, .backend = (char *) "espocrm", .remote_id = (char *) "65f0c1",
    .payload = (char *) "{\"emailAddress\":\"kim@example.org\",\"title\":\"Head of Intake\","
                        "\"cTeamTitle\":\"Lead Nurse\",\"zzOther\":\"x\",\"lastName\":\"Ode\"}",
    .reason = (char *) "A value is not valid.",
  };
  static const char *const expected[][2] = {
    { "Last name", "Ode" }, { "Email", "kim@example.org" }, { "Job title", "Lead Nurse" },
    { "title", "Head of Intake" }, { "zzOther", "x" },
  };

  /* The team keeps the job title in a custom property: EspoCRM's own
   * "title" is then not Carepath's. */
  g_hash_table_insert (mapping->fields, g_strdup ("job_title"), g_strdup ("cTeamTitle"));
  g_assert_true (cp_crm_mapping_save (database, "espocrm", mapping, &error));
  g_assert_no_error (error);

  title = cp_sync_record_dup_title (database, "espocrm", &reject);
  g_assert_cmpstr (title, ==, "Ode");
  fields = cp_sync_record_list_fields (database, "espocrm", &reject);
  g_assert_cmpuint (fields->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < fields->len; i++)
    {
      CpSyncRecordField *field = fields->pdata[i];

      g_assert_cmpstr (field->label, ==, expected[i][0]);
      g_assert_cmpstr (field->value, ==, expected[i][1]);
    }

  /* Unreadable or nameless: the CRM's id, and no values. */
  g_clear_pointer (&title, g_free);
  g_clear_pointer (&fields, g_ptr_array_unref);
  reject.payload = (char *) "not json";
  title = cp_sync_record_dup_title (database, "espocrm", &reject);
  g_assert_cmpstr (title, ==, "65f0c1");
  fields = cp_sync_record_list_fields (database, "espocrm", &reject);
  g_assert_cmpuint (fields->len, ==, 0);
  g_clear_pointer (&title, g_free);
  reject.payload = (char *) "{\"firstName\":\"  \",\"description\":\"called twice\"}";
  title = cp_sync_record_dup_title (database, "espocrm", &reject);
  g_assert_cmpstr (title, ==, "65f0c1");

  cp_test_remove_tree (dir);
}

static gboolean
wait_for_sql_above (CpDatabase *database,
                    const char *sql,
                    gint64      floor)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      if (cp_test_sql_int (database, sql, NULL) > floor)
        return TRUE;
      cp_test_iterate ();
      g_usleep (10000);
    }
  return FALSE;
}

static void
wait_until_stopped_running (CpSyncController *controller)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (cp_sync_controller_get_running (controller) && g_get_monotonic_time () < deadline)
    {
      cp_test_iterate ();
      g_usleep (10000);
    }
  g_assert_false (cp_sync_controller_get_running (controller));
  cp_test_iterate ();
}

#define N_REMOTE 2500
#define ALL_LEADS "SELECT count(*) FROM leads"

/* Stop, in the view: the running sync ends after the page in progress;
 * the view says it stopped (not that it failed), the change made here is
 * still queued, and the next sync completes what the stopped one began. */
static void
test_sync_view_stop (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autoptr(CpDatabase) database = cp_test_open_database (dir);
  g_autoptr(CpLeadStore) leads = cp_lead_store_new (database);
  g_autoptr(CpSyncStore) store = cp_sync_store_new (leads, "hubspot");
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(CpSyncController) controller = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *lead_id = NULL;
  FakeHubspot *fake = fake_hubspot_new ();
  GtkWidget *window = gtk_window_new ();
  CpSyncView *view = g_object_new (CP_TYPE_SYNC_VIEW, NULL);
  AdwActionRow *progress_row, *stopped_row, *error_row;
  GtkWidget *stop;
  gint64 pulled;

  fake_hubspot_add_generated (fake, N_REMOTE);
  /* Every search page answers after 60 ms: the pull takes seconds. */
  fake_hubspot_inject (fake, "/search", FAKE_FAULT_SLOW, 0, NULL, NULL,
                       g_getenv ("CP_TEST_SCREENSHOT") != NULL ? 400 : 60, 100000);
  g_setenv ("CAREPATH_CRM_TOKEN", fake_hubspot_get_token (fake), TRUE);
  g_settings_set_string (settings, "sync-backend", "hubspot");
  g_settings_set_string (settings, "sync-base-url", fake_hubspot_get_url (fake));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  controller = cp_sync_controller_new (leads, settings);
  cp_sync_view_set_controller (view, controller);
  gtk_window_present (GTK_WINDOW (window));
  lead_id = cp_test_create_lead (leads, CP_LEAD_FIELD_FIRST_NAME, "Ana", CP_LEAD_FIELD_LAST_NAME,
                                 "Lima", CP_LEAD_N_FIELDS);
  cp_test_iterate ();

  progress_row = find_row (GTK_WIDGET (view), "Syncing");
  stopped_row = find_row (GTK_WIDGET (view), "Sync Stopped");
  error_row = find_row (GTK_WIDGET (view), "The Last Sync Failed");
  g_assert_nonnull (progress_row);
  g_assert_nonnull (stopped_row);
  g_assert_nonnull (error_row);
  stop = cp_test_find_button (GTK_WIDGET (progress_row), "sync-view.stop");
  g_assert_nonnull (stop);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (progress_row)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (stopped_row)));

  cp_sync_controller_sync_now (controller);
  cp_test_iterate ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (progress_row)));
  g_assert_true (gtk_widget_get_sensitive (stop));
  /* Some pages in: the pull is under way. */
  g_assert_true (wait_for_sql_above (database,
                                     "SELECT count(*) FROM sync_runs WHERE finished_at = 0", 0));
  {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (fake_hubspot_requests (fake, "/search") < 3 && g_get_monotonic_time () < deadline)
      {
        cp_test_iterate ();
        g_usleep (10000);
      }
    g_assert_cmpuint (fake_hubspot_requests (fake, "/search"), >=, 3);
  }

  if (g_getenv ("CP_TEST_SCREENSHOT") != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
      cp_test_screenshot ("running");
    }
  /* Asked to stop: said at once, and Stop cannot be asked twice. */
  g_signal_emit_by_name (stop, "clicked");
  g_assert_true (cp_sync_controller_get_stopping (controller));
  g_assert_cmpstr (adw_action_row_get_subtitle (progress_row), ==,
                   "Stopping after the page in progress…");
  g_assert_false (gtk_widget_get_sensitive (stop));
  wait_until_stopped_running (controller);

  g_assert_true (cp_sync_controller_get_stopped (controller));
  {
    g_autoptr(CpSyncStatus) status = cp_sync_controller_get_status (controller);

    /* Recorded as stopped, for the next start and the CLI's status. */
    g_assert_nonnull (status);
    g_assert_cmpstr (status->last_error, ==,
                     "Stopped before it finished. Nothing is lost: the next sync goes on from "
                     "where this one stopped.");
  }
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (progress_row)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (stopped_row)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_row)));
  cp_test_screenshot ("stopped");
  pulled = cp_test_sql_int (database, ALL_LEADS, NULL) - 1;
  g_assert_cmpint (pulled, <, N_REMOTE);
  /* The change made here was not sent: still queued. */
  pending = cp_sync_store_list_pending (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 1);
  g_assert_cmpstr (((CpSyncPending *) pending->pdata[0])->lead_id, ==, lead_id);
  g_clear_pointer (&pending, g_ptr_array_unref);

  /* The next sync goes on and completes: every contact, the change sent,
   * and the stopped state gone. */
  cp_sync_controller_sync_now (controller);
  cp_test_iterate ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (stopped_row)));
  wait_until_stopped_running (controller);
  g_assert_false (cp_sync_controller_get_stopped (controller));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (stopped_row)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_row)));
  g_assert_cmpint (cp_test_sql_int (database, ALL_LEADS, NULL), ==, N_REMOTE + 1);
  pending = cp_sync_store_list_pending (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 0);

  /* Stop with nothing running does nothing. */
  cp_sync_controller_cancel (controller);
  g_assert_false (cp_sync_controller_get_stopping (controller));

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&controller);
  fake_hubspot_free (fake);
  g_setenv ("CAREPATH_CRM_TOKEN", "test-token", TRUE);
  cp_test_remove_tree (dir);
}

typedef struct
{
  GThread *main_thread;
  guint    notified;
  gboolean off_main;
} ProgressSeen;

static void
progress_text_notified_cb (GObject      *controller,
                           GParamSpec   *pspec,
                           ProgressSeen *seen)
{
  seen->notified++;
  if (g_thread_self () != seen->main_thread)
    seen->off_main = TRUE;
}

/* The sync thread's progress reaches the controller (and so the view) on
 * the main thread, also when that thread is between two iterations, as a
 * busy one often is. */
static void
test_sync_progress_on_main_thread (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autoptr(CpDatabase) database = cp_test_open_database (dir);
  g_autoptr(CpLeadStore) leads = cp_lead_store_new (database);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(CpSyncController) controller = NULL;
  FakeHubspot *fake = fake_hubspot_new ();
  ProgressSeen seen = { g_thread_self (), 0, FALSE };
  gint64 deadline;

  fake_hubspot_add_generated (fake, 1000);
  g_setenv ("CAREPATH_CRM_TOKEN", fake_hubspot_get_token (fake), TRUE);
  g_settings_set_string (settings, "sync-backend", "hubspot");
  g_settings_set_string (settings, "sync-base-url", fake_hubspot_get_url (fake));
  controller = cp_sync_controller_new (leads, settings);
  g_signal_connect (controller, "notify::progress-text", G_CALLBACK (progress_text_notified_cb),
                    &seen);

  cp_sync_controller_sync_now (controller);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (cp_sync_controller_get_running (controller) && g_get_monotonic_time () < deadline)
    {
      g_usleep (2000);
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_false (cp_sync_controller_get_running (controller));
  cp_test_iterate ();
  g_assert_cmpint (cp_test_sql_int (database, ALL_LEADS, NULL), ==, 1000);
  g_assert_cmpuint (seen.notified, >=, 3);
  g_assert_false (seen.off_main);

  g_signal_handlers_disconnect_by_data (controller, &seen);
  g_clear_object (&controller);
  fake_hubspot_free (fake);
  g_setenv ("CAREPATH_CRM_TOKEN", "test-token", TRUE);
  g_settings_reset (settings, "sync-backend");
  g_settings_reset (settings, "sync-base-url");
  cp_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  /* A token for the sync Retry starts: never the keyring's. */
  g_setenv ("CAREPATH_CRM_TOKEN", "test-token", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cp_ui_init ();

  g_test_add_func ("/sync-view/states-and-conflicts", test_sync_view_states_and_conflicts);
  g_test_add_func ("/sync-view/rejects-and-failures", test_sync_view_rejects_and_failures);
  g_test_add_func ("/sync-view/record-fields", test_sync_record_fields);
  g_test_add_func ("/sync-view/stop", test_sync_view_stop);
  g_test_add_func ("/sync-view/progress-on-main-thread", test_sync_progress_on_main_thread);

  return g_test_run ();
}
