/* test-lead-editor.c — the lead editor: messages as typed, Save, required fields, duplicates
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "cp-bulk-load.h"

#include "cp-lead-detail-window.h"
#include "cp-lead-editor.h"
#include "cp-lead-format.h"
#include "cp-playbook-format.h"
#include "cp-quick-capture.h"
#include "cp-test-util.h"
#include "cp-widget-test-util.h"
#include "cp-ui.h"

typedef struct
{
  char         *dir;
  CpDatabase   *database;
  CpLeadStore  *store;
  CpPlaybook   *playbook;
  CpLeadEditor *editor;
  char         *existing;
} Fixture;

static void
iterate_main_loop (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;

  cp_test_tmp_store_open (&fixture->dir, &fixture->database, &fixture->store);
  fixture->playbook = cp_playbook_format_load_default ();

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Jonathan");
  cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, "Smith");
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "jon@example.org");
  cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, "+14155550100");
  cp_lead_set_text (lead, CP_LEAD_FIELD_LOCATION, "Springfield");
  cp_lead_set_text (lead, CP_LEAD_FIELD_JOB_TITLE, "Nurse");
  g_assert_true (cp_lead_store_create (fixture->store, lead, "test", &error));
  g_assert_no_error (error);
  fixture->existing = g_strdup (cp_lead_get_id (lead));

  fixture->editor =
      cp_lead_editor_new (NULL, fixture->store, fixture->playbook, "US", NULL, &error);
  g_assert_no_error (error);
  g_object_ref_sink (fixture->editor);
  gtk_window_present (GTK_WINDOW (fixture->editor));
  iterate_main_loop ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->editor));
  iterate_main_loop ();
  g_assert_finalize_object (fixture->editor);
  g_clear_pointer (&fixture->playbook, cp_playbook_unref);
  cp_test_tmp_store_close (&fixture->dir, &fixture->database, &fixture->store);
  g_free (fixture->existing);
}

static void
type_into (Fixture     *fixture,
           CpLeadField  field,
           const char  *text)
{
  GtkWidget *row = cp_lead_editor_get_field_row (fixture->editor, field);

  g_assert_true (ADW_IS_ENTRY_ROW (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  iterate_main_loop ();
}

/* A new lead's stage is one of the playbook's, chosen by its title. */
static void
choose_stage (Fixture    *fixture,
              const char *title)
{
  GtkWidget *row = cp_lead_editor_get_field_row (fixture->editor, CP_LEAD_FIELD_STAGE);
  GListModel *model;

  g_assert_true (ADW_IS_COMBO_ROW (row));
  model = adw_combo_row_get_model (ADW_COMBO_ROW (row));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), title))
        {
          adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
          iterate_main_loop ();
          return;
        }
    }
  g_error ("no stage “%s” in the editor", title);
}

static const char *
row_title (Fixture     *fixture,
           CpLeadField  field)
{
  return adw_preferences_row_get_title (
      ADW_PREFERENCES_ROW (cp_lead_editor_get_field_row (fixture->editor, field)));
}

static gboolean
save_sensitive (Fixture *fixture)
{
  return gtk_widget_get_sensitive (cp_lead_editor_get_save_button (fixture->editor));
}

/* The message shown under a field's row, or NULL when none shows. */
static const char *
shown_message (Fixture     *fixture,
               CpLeadField  field)
{
  GtkWidget *row = cp_lead_editor_get_field_row (fixture->editor, field);
  GtkWidget *message_row = gtk_widget_get_next_sibling (row);
  GtkWidget *label;

  g_assert_true (GTK_IS_LIST_BOX_ROW (message_row));
  label = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (message_row));
  g_assert_true (GTK_IS_LABEL (label));
  if (!gtk_widget_get_visible (message_row))
    return NULL;
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  return gtk_label_get_text (GTK_LABEL (label));
}

static void
press_save (Fixture *fixture)
{
  g_signal_emit_by_name (cp_lead_editor_get_save_button (fixture->editor), "clicked");
  iterate_main_loop ();
}

static gboolean
banner_shown (Fixture *fixture)
{
  return gtk_revealer_get_reveal_child (GTK_REVEALER (cp_lead_editor_get_banner (fixture->editor)));
}

static const char *
banner_text (Fixture *fixture)
{
  GtkWidget *box =
      gtk_revealer_get_child (GTK_REVEALER (cp_lead_editor_get_banner (fixture->editor)));

  return gtk_label_get_text (
      GTK_LABEL (gtk_widget_get_last_child (gtk_widget_get_first_child (box))));
}

/* With CP_SCREENSHOT_DIR set, saves the editor as it looks now (for review
 * and the README; build-aux/screenshot cannot open dialogs). */
static void
maybe_save_screenshot (Fixture    *fixture,
                       const char *name)
{
  const char *dir = g_getenv ("CP_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  int width, height;

  if (dir == NULL)
    return;
  for (guint i = 0; i < 40; i++)
    {
      g_usleep (20000);
      iterate_main_loop ();
    }
  width = gtk_widget_get_width (GTK_WIDGET (fixture->editor));
  height = gtk_widget_get_height (GTK_WIDGET (fixture->editor));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (fixture->editor));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (fixture->editor)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
test_validation_and_save (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWidget *email = cp_lead_editor_get_field_row (fixture->editor, CP_LEAD_FIELD_EMAIL);
  GtkWidget *first_name = cp_lead_editor_get_field_row (fixture->editor, CP_LEAD_FIELD_FIRST_NAME);
  GtkWidget *focus;

  /* An untouched new form is not wrong yet, and typing starts in its
   * first field. */
  g_assert_null (shown_message (fixture, CP_LEAD_FIELD_FIRST_NAME));
  focus = gtk_window_get_focus (GTK_WINDOW (fixture->editor));
  g_assert_true (focus != NULL && gtk_widget_is_ancestor (focus, first_name));
  g_assert_true (save_sensitive (fixture));

  /* Save with nothing filled in: nothing is saved, the problem shows under
   * its field, and focus goes there. */
  press_save (fixture);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->editor)));
  g_assert_nonnull (shown_message (fixture, CP_LEAD_FIELD_FIRST_NAME));
  g_assert_cmpstr (row_title (fixture, CP_LEAD_FIELD_FIRST_NAME), ==, "First name");
  g_assert_cmpint (cp_test_count_rows (fixture->database, "leads"), ==, 1); /* the fixture's own */

  type_into (fixture, CP_LEAD_FIELD_FIRST_NAME, "Ada");
  g_assert_null (shown_message (fixture, CP_LEAD_FIELD_FIRST_NAME));

  /* A field's message shows once it was touched, in full, under it; the
   * title stays the field's name. */
  type_into (fixture, CP_LEAD_FIELD_EMAIL, "ada@");
  g_assert_nonnull (shown_message (fixture, CP_LEAD_FIELD_EMAIL));
  g_assert_cmpuint (strlen (shown_message (fixture, CP_LEAD_FIELD_EMAIL)), >, 10);
  g_assert_cmpstr (row_title (fixture, CP_LEAD_FIELD_EMAIL), ==, "Email");
  g_assert_true (gtk_widget_has_css_class (email, "error"));

  type_into (fixture, CP_LEAD_FIELD_EMAIL, "ada@example.org");
  g_assert_null (shown_message (fixture, CP_LEAD_FIELD_EMAIL));
  g_assert_false (gtk_widget_has_css_class (email, "error"));

  type_into (fixture, CP_LEAD_FIELD_PHONE, "55");
  g_assert_nonnull (shown_message (fixture, CP_LEAD_FIELD_PHONE));
  /* Save with a problem left: focus goes to it, nothing is saved. */
  press_save (fixture);
  focus = gtk_window_get_focus (GTK_WINDOW (fixture->editor));
  g_assert_true (focus != NULL &&
                 gtk_widget_is_ancestor (focus, cp_lead_editor_get_field_row (fixture->editor,
                                                                             CP_LEAD_FIELD_PHONE)));
  g_assert_cmpint (cp_test_count_rows (fixture->database, "leads"), ==, 1);
  type_into (fixture, CP_LEAD_FIELD_PHONE, "415 555 0199");
  g_assert_null (shown_message (fixture, CP_LEAD_FIELD_PHONE));

  /* Unsaved changes: Escape asks instead of closing. */
  g_assert_false (cp_lead_editor_request_close (fixture->editor));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->editor)));
}

/* Save while another connection of the app loads a large batch (a first
 * sync, a large import): refused at once, saying why; the form keeps what
 * was typed, and saves once the load has ended. */
static void
test_save_during_large_load (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) loader = cp_database_open (cp_database_get_path (fixture->database),
                                                   &error);
  AdwMessageDialog *dialog;
  CpBulkLoad *load;
  gint64 start;

  g_assert_no_error (error);
  load = cp_bulk_load_begin (loader, 1000, CP_BULK_LOAD_AUTO, &error);
  g_assert_no_error (error);
  g_assert_true (cp_bulk_load_is_deferred (load));

  type_into (fixture, CP_LEAD_FIELD_FIRST_NAME, "Grace");
  type_into (fixture, CP_LEAD_FIELD_EMAIL, "grace@example.org");
  start = g_get_monotonic_time ();
  press_save (fixture);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
  dialog = cp_test_find_dialog (GTK_WINDOW (fixture->editor));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Save");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "large batch"));
  cp_test_screenshot ("save-during-large-load");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->editor)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cp_lead_editor_get_field_row (
                       fixture->editor, CP_LEAD_FIELD_FIRST_NAME))), ==, "Grace");

  g_assert_true (cp_bulk_load_finish (load, &error));
  g_assert_no_error (error);
  press_save (fixture);
  g_assert_null (cp_test_find_dialog (GTK_WINDOW (fixture->editor)));
  g_assert_cmpint (cp_test_count_rows (fixture->database, "leads"), ==, 2);
}

static void
test_required_per_stage (Fixture       *fixture,
                         gconstpointer  data)
{
  type_into (fixture, CP_LEAD_FIELD_FIRST_NAME, "Grace");
  choose_stage (fixture, "New");
  g_assert_cmpstr (row_title (fixture, CP_LEAD_FIELD_SERVICE_LINE), ==, "Service line");

  /* Engaged needs a service line: said in the title at once, and as a
   * message once Save is pressed. */
  choose_stage (fixture, "Engaged");
  g_assert_cmpstr (row_title (fixture, CP_LEAD_FIELD_SERVICE_LINE), ==,
                   "Service line (required for this stage)");
  g_assert_null (shown_message (fixture, CP_LEAD_FIELD_SERVICE_LINE));
  press_save (fixture);
  g_assert_nonnull (shown_message (fixture, CP_LEAD_FIELD_SERVICE_LINE));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->editor)));

  type_into (fixture, CP_LEAD_FIELD_SERVICE_LINE, "Home care");
  g_assert_null (shown_message (fixture, CP_LEAD_FIELD_SERVICE_LINE));
  g_assert_cmpstr (row_title (fixture, CP_LEAD_FIELD_SERVICE_LINE), ==,
                   "Service line (required for this stage)");
}

static void
test_banner_reasons (Fixture       *fixture,
                     gconstpointer  data)
{
  g_assert_false (banner_shown (fixture));

  type_into (fixture, CP_LEAD_FIELD_EMAIL, "JON@example.org");
  g_assert_true (banner_shown (fixture));
  g_assert_nonnull (strstr (banner_text (fixture), "email"));
  g_assert_nonnull (strstr (banner_text (fixture), "Jonathan Smith"));
  type_into (fixture, CP_LEAD_FIELD_EMAIL, "");
  g_assert_false (banner_shown (fixture));

  type_into (fixture, CP_LEAD_FIELD_PHONE, "(415) 555-0100");
  g_assert_true (banner_shown (fixture));
  g_assert_nonnull (strstr (banner_text (fixture), "phone"));
  type_into (fixture, CP_LEAD_FIELD_PHONE, "");
  g_assert_false (banner_shown (fixture));

  type_into (fixture, CP_LEAD_FIELD_FIRST_NAME, "Jonathon");
  type_into (fixture, CP_LEAD_FIELD_LAST_NAME, "Smith");
  g_assert_false (banner_shown (fixture));
  type_into (fixture, CP_LEAD_FIELD_LOCATION, "Springfield");
  g_assert_true (banner_shown (fixture));
  g_assert_nonnull (strstr (banner_text (fixture), "name"));

  type_into (fixture, CP_LEAD_FIELD_EMAIL, "jonathon.smith@");
  maybe_save_screenshot (fixture, "editor-validation.png");
}

static void
record_open (CpLeadEditor *editor,
             const char   *id,
             char        **out)
{
  g_free (*out);
  *out = g_strdup (id);
}

static void
test_banner_open_existing (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *opened = NULL;

  g_signal_connect (fixture->editor, "open-lead", G_CALLBACK (record_open), &opened);
  type_into (fixture, CP_LEAD_FIELD_EMAIL, "jon@example.org");
  cp_lead_editor_open_existing (fixture->editor);
  iterate_main_loop ();
  g_assert_cmpstr (opened, ==, fixture->existing);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->editor)));
  /* Nothing was saved. */
  g_assert_true (cp_lead_editor_model_is_new (cp_lead_editor_get_model (fixture->editor)));
}

static void
test_banner_merge (Fixture       *fixture,
                   gconstpointer  data)
{
  CpLeadField take[] = { CP_LEAD_FIELD_JOB_TITLE };
  g_autoptr(CpLead) kept = NULL;
  g_autoptr(GError) error = NULL;

  type_into (fixture, CP_LEAD_FIELD_EMAIL, "jon@example.org");
  type_into (fixture, CP_LEAD_FIELD_LAST_NAME, "Smyth");
  type_into (fixture, CP_LEAD_FIELD_JOB_TITLE, "Head nurse");
  type_into (fixture, CP_LEAD_FIELD_ORGANIZATION, "Mercy Clinic");
  cp_lead_editor_merge (fixture->editor, take, G_N_ELEMENTS (take));
  iterate_main_loop ();

  kept = cp_lead_store_get (fixture->store, fixture->existing, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cp_lead_get_text (kept, CP_LEAD_FIELD_JOB_TITLE), ==, "Head nurse"); /* chosen */
  g_assert_cmpstr (cp_lead_get_text (kept, CP_LEAD_FIELD_LAST_NAME), ==, "Smith"); /* not chosen */
  g_assert_cmpstr (cp_lead_get_text (kept, CP_LEAD_FIELD_ORGANIZATION), ==,
                   "Mercy Clinic"); /* was empty */
  g_assert_cmpstr (cp_lead_get_text (kept, CP_LEAD_FIELD_FIRST_NAME), ==, "Jonathan");
  g_assert_cmpstr (cp_lead_get_text (kept, CP_LEAD_FIELD_PHONE), ==, "+14155550100");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->editor)));
}

static void
test_banner_keep_both (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  CpLeadEditorModel *model = cp_lead_editor_get_model (fixture->editor);
  gboolean flagged = FALSE;

  type_into (fixture, CP_LEAD_FIELD_FIRST_NAME, "J.");
  type_into (fixture, CP_LEAD_FIELD_PHONE, "415-555-0100");
  g_assert_true (banner_shown (fixture));
  cp_lead_editor_keep_both (fixture->editor);
  iterate_main_loop ();

  g_assert_false (cp_lead_editor_model_is_new (model));
  history = cp_lead_store_history (fixture->store,
                                   cp_lead_get_id (cp_lead_editor_model_get_draft (model)), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < history->len; i++)
    {
      CpHistoryEntry *entry = g_ptr_array_index (history, i);

      flagged |= g_strcmp0 (entry->action, "flag_duplicate") == 0 &&
                 g_strcmp0 (entry->new_value, fixture->existing) == 0;
    }
  g_assert_true (flagged);
}

static void
test_edit_existing (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) stored = NULL;
  CpLeadEditor *editor = cp_lead_editor_new (NULL, fixture->store, fixture->playbook, "US",
                                             fixture->existing, &error);
  GtkWidget *job;

  g_assert_no_error (error);
  g_object_ref_sink (editor);
  gtk_window_present (GTK_WINDOW (editor));
  iterate_main_loop ();
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (editor)), ==, "Edit Lead");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (
                       cp_lead_editor_get_field_row (editor, CP_LEAD_FIELD_FIRST_NAME))),
                   ==, "Jonathan");
  /* Unchanged: nothing to save, no banner about itself, closes at once. */
  g_assert_false (gtk_widget_get_sensitive (cp_lead_editor_get_save_button (editor)));
  g_assert_false (
      gtk_revealer_get_reveal_child (GTK_REVEALER (cp_lead_editor_get_banner (editor))));

  job = cp_lead_editor_get_field_row (editor, CP_LEAD_FIELD_JOB_TITLE);
  gtk_editable_set_text (GTK_EDITABLE (job), "Charge nurse");
  iterate_main_loop ();
  g_assert_true (gtk_widget_get_sensitive (cp_lead_editor_get_save_button (editor)));
  g_signal_emit_by_name (cp_lead_editor_get_save_button (editor), "clicked");
  iterate_main_loop ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (editor)));

  stored = cp_lead_store_get (fixture->store, fixture->existing, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_JOB_TITLE), ==, "Charge nurse");
  gtk_window_destroy (GTK_WINDOW (editor));
  iterate_main_loop ();
  g_assert_finalize_object (editor);

  /* A lead that is not there opens no editor. */
  g_assert_null (
      cp_lead_editor_new (NULL, fixture->store, fixture->playbook, "US", "missing", &error));
  g_assert_nonnull (error);
}

static void
test_custom_fields (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = cp_lead_store_get (fixture->store, fixture->existing, &error);
  g_autoptr(CpLead) stored = NULL;
  CpLeadEditor *editor;
  GtkWidget *member, *add, *clinic;
  AdwPreferencesGroup *group;

  cp_lead_set_custom (lead, "member_id", "A-17");
  g_assert_true (cp_lead_store_update (fixture->store, lead, "test", NULL, &error));
  g_assert_no_error (error);

  editor =
      cp_lead_editor_new (NULL, fixture->store, fixture->playbook, "US", fixture->existing, &error);
  g_assert_no_error (error);
  g_object_ref_sink (editor);
  gtk_window_present (GTK_WINDOW (editor));
  iterate_main_loop ();
  group = ADW_PREFERENCES_GROUP (cp_lead_editor_get_custom_group (editor));
  member = cp_lead_editor_get_custom_row (editor, "member_id");
  add = cp_lead_editor_get_custom_row (editor, NULL);
  g_assert_nonnull (member);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (member)), ==, "Member id");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (member)), ==, "A-17");
  g_assert_false (gtk_widget_get_sensitive (cp_lead_editor_get_save_button (editor)));

  /* A name that cannot be a key is refused, with the reason, and adds nothing. */
  gtk_editable_set_text (GTK_EDITABLE (add), "2nd clinic");
  g_signal_emit_by_name (add, "apply");
  iterate_main_loop ();
  g_assert_true (gtk_widget_has_css_class (add, "error"));
  g_assert_nonnull (strstr (adw_preferences_group_get_description (group), "letter first"));
  g_assert_null (cp_lead_editor_get_custom_row (editor, "2nd_clinic"));
  /* Typing again clears the complaint. */
  gtk_editable_set_text (GTK_EDITABLE (add), "Preferred clinic");
  iterate_main_loop ();
  g_assert_false (gtk_widget_has_css_class (add, "error"));

  g_signal_emit_by_name (add, "apply");
  iterate_main_loop ();
  clinic = cp_lead_editor_get_custom_row (editor, "preferred_clinic");
  g_assert_nonnull (clinic);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (add)), ==, "");
  /* A field without a value is nothing to save yet. */
  g_assert_false (gtk_widget_get_sensitive (cp_lead_editor_get_save_button (editor)));
  gtk_editable_set_text (GTK_EDITABLE (clinic), "Riverside");
  gtk_editable_set_text (GTK_EDITABLE (member), "");   /* cleared: removed */
  iterate_main_loop ();
  g_assert_true (gtk_widget_get_sensitive (cp_lead_editor_get_save_button (editor)));
  g_signal_emit_by_name (cp_lead_editor_get_save_button (editor), "clicked");
  iterate_main_loop ();

  stored = cp_lead_store_get (fixture->store, fixture->existing, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cp_lead_get_custom (stored, "preferred_clinic"), ==, "Riverside");
  g_assert_null (cp_lead_get_custom (stored, "member_id"));
  gtk_window_destroy (GTK_WINDOW (editor));
  iterate_main_loop ();
  g_assert_finalize_object (editor);
}

static void
test_consent_disables_outreach (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = cp_lead_store_get (fixture->store, fixture->existing, &error);
  g_autofree char *reason = NULL;
  CpLeadDetailWindow *detail;

  /* The rule itself: consent, then the stage's channels. */
  g_assert_true (cp_lead_outreach_allowed (fixture->playbook, lead, "sms", NULL));
  cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, "qualified");
  g_assert_false (cp_lead_outreach_allowed (fixture->playbook, lead, "sms", &reason));
  g_assert_nonnull (strstr (reason, "sms"));
  g_clear_pointer (&reason, g_free);
  cp_lead_set_text (lead, CP_LEAD_FIELD_CONSENT_STATUS, "granted");
  cp_lead_set_text (lead, CP_LEAD_FIELD_CONSENT_CHANNEL, "phone");
  g_assert_true (cp_lead_outreach_allowed (fixture->playbook, lead, "phone", NULL));
  g_assert_false (cp_lead_outreach_allowed (fixture->playbook, lead, "email", NULL));

  /* In the detail window: withdrawn consent disables email, with the reason. */
  g_clear_object (&lead);
  lead = cp_lead_store_get (fixture->store, fixture->existing, &error);
  cp_lead_set_text (lead, CP_LEAD_FIELD_CONSENT_STATUS, "withdrawn");
  g_assert_true (cp_lead_store_update (fixture->store, lead, "test", NULL, &error));
  g_assert_no_error (error);
  detail = cp_lead_detail_window_new (NULL, fixture->store, fixture->existing, &error);
  g_assert_no_error (error);
  g_object_ref_sink (detail);
  cp_lead_detail_window_set_playbook (detail, fixture->playbook);
  g_assert_cmpstr (cp_lead_detail_window_get_outreach_note (detail, "email"), ==,
                   "The lead withdrew consent.");
  gtk_window_destroy (GTK_WINDOW (detail));
  g_assert_finalize_object (detail);
}

static void
test_quick_capture (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autoptr(CpDatabase) database = cp_test_open_database (dir);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GPtrArray) leads = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window = gtk_window_new ();
  CpQuickCapture *capture = cp_quick_capture_new (store, NULL, settings);
  const char *names[] = { "Amal", "Bea", "Chidi" };
  CpLeadQuery *query = cp_lead_query_new ();

  g_settings_set_string (settings, "capture-event-name", "Health Fair 2026");
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (capture));
  gtk_window_present (GTK_WINDOW (window));
  iterate_main_loop ();
  /* The event name is remembered in the settings and shown. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cp_quick_capture_get_event_row (capture))),
                   ==, "Health Fair 2026");

  /* Enter on an empty form saves nothing. */
  g_signal_emit_by_name (cp_quick_capture_get_field_row (capture, CP_LEAD_FIELD_FIRST_NAME),
                         "entry-activated");
  g_assert_cmpuint (cp_quick_capture_get_count (capture), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkWidget *first = cp_quick_capture_get_field_row (capture, CP_LEAD_FIELD_FIRST_NAME);
      g_autofree char *email = g_strdup_printf ("%s@example.org", names[i]);

      gtk_editable_set_text (GTK_EDITABLE (first), names[i]);
      gtk_editable_set_text (GTK_EDITABLE (
                                 cp_quick_capture_get_field_row (capture, CP_LEAD_FIELD_EMAIL)),
                             email);
      /* Bea agrees to be contacted; the others are not asked. */
      g_assert_false (gtk_switch_get_active (cp_quick_capture_get_consent_switch (capture)));
      if (i == 1)
        gtk_switch_set_active (cp_quick_capture_get_consent_switch (capture), TRUE);
      g_signal_emit_by_name (first, "entry-activated");
      iterate_main_loop ();
      g_assert_cmpuint (cp_quick_capture_get_count (capture), ==, i + 1);
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (first)), ==, "");
    }

  /* The same person again: warned while typing. */
  gtk_editable_set_text (GTK_EDITABLE (
                             cp_quick_capture_get_field_row (capture, CP_LEAD_FIELD_EMAIL)),
                         "bea@example.org");
  g_assert_nonnull (cp_quick_capture_get_warning (capture));
  g_assert_nonnull (strstr (cp_quick_capture_get_warning (capture), "Bea"));

  leads = cp_lead_store_query (store, query, 0, 100, &error);
  cp_lead_query_free (query);
  g_assert_no_error (error);
  g_assert_cmpuint (leads->len, ==, 3);
  for (guint i = 0; i < leads->len; i++)
    {
      CpLead *lead = g_ptr_array_index (leads, i);

      g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_SOURCE_CHANNEL), ==, "event");
      g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_CAMPAIGN), ==, "Health Fair 2026");
      if (g_strcmp0 (cp_lead_get_text (lead, CP_LEAD_FIELD_FIRST_NAME), "Bea") == 0)
        {
          g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_CONSENT_STATUS), ==, "granted");
          g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_CONSENT_CHANNEL), ==, "any");
          g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_CONSENT_SOURCE), ==,
                           "event: Health Fair 2026");
          g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_CONSENT_CAPTURED_BY), ==,
                           g_get_real_name ());
          g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_CONSENT_CAPTURED_AT), >, 0);
        }
      else
        {
          g_assert_null (cp_lead_get_text (lead, CP_LEAD_FIELD_CONSENT_STATUS));
          g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_CONSENT_CAPTURED_AT), ==, 0);
        }
    }

  gtk_window_destroy (GTK_WINDOW (window));
  iterate_main_loop ();
  g_settings_reset (settings, "capture-event-name");
  cp_test_remove_tree (dir);
}

/* A choice reads in the list as the lead window shows it (“Hospital
 * system”, not its id “hospital_system”); choosing it stores the id. */
static void
test_choice_labels (Fixture       *fixture,
                    gconstpointer  data)
{
  static const CpLeadField fields[] = {
    CP_LEAD_FIELD_ORG_TYPE, CP_LEAD_FIELD_BUYING_ROLE, CP_LEAD_FIELD_SOURCE_CHANNEL,
    CP_LEAD_FIELD_CONSENT_STATUS,
  };
  CpLeadEditorModel *model = cp_lead_editor_get_model (fixture->editor);

  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    {
      const char * const *choices = cp_lead_field_info (fields[f])->choices;
      AdwComboRow *row = ADW_COMBO_ROW (cp_lead_editor_get_field_row (fixture->editor,
                                                                      fields[f]));
      GListModel *items = adw_combo_row_get_model (row);

      g_assert_cmpuint (g_list_model_get_n_items (items), ==,
                        g_strv_length ((char **) choices) + 1);
      for (guint i = 0; choices[i] != NULL; i++)
        {
          g_autoptr(CpLead) lead = cp_lead_new ();
          g_autofree char *shown = NULL;

          cp_lead_set_text (lead, fields[f], choices[i]);
          shown = cp_lead_dup_value_label (lead, fields[f]);
          g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (items), i + 1), ==,
                           shown);
        }
      adw_combo_row_set_selected (row, 2);
      iterate_main_loop ();
      g_assert_cmpstr (cp_lead_get_text (cp_lead_editor_model_get_draft (model), fields[f]), ==,
                       choices[1]);
    }
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cp_ui_init ();

  g_test_add ("/lead-editor/validation", Fixture, NULL, fixture_setup, test_validation_and_save,
              fixture_teardown);
  g_test_add ("/lead-editor/save-during-large-load", Fixture, NULL, fixture_setup,
              test_save_during_large_load, fixture_teardown);
  g_test_add ("/lead-editor/required-per-stage", Fixture, NULL, fixture_setup,
              test_required_per_stage, fixture_teardown);
  g_test_add ("/lead-editor/banner/reasons", Fixture, NULL, fixture_setup, test_banner_reasons,
              fixture_teardown);
  g_test_add ("/lead-editor/banner/open-existing", Fixture, NULL, fixture_setup,
              test_banner_open_existing, fixture_teardown);
  g_test_add ("/lead-editor/banner/merge", Fixture, NULL, fixture_setup, test_banner_merge,
              fixture_teardown);
  g_test_add ("/lead-editor/banner/keep-both", Fixture, NULL, fixture_setup, test_banner_keep_both,
              fixture_teardown);

  g_test_add ("/lead-editor/choice-labels", Fixture, NULL, fixture_setup, test_choice_labels,
              fixture_teardown);
  g_test_add ("/lead-editor/edit-existing", Fixture, NULL, fixture_setup, test_edit_existing,
              fixture_teardown);
  g_test_add ("/lead-editor/custom-fields", Fixture, NULL, fixture_setup, test_custom_fields,
              fixture_teardown);
  g_test_add ("/lead-editor/consent-disables-outreach", Fixture, NULL, fixture_setup,
              test_consent_disables_outreach, fixture_teardown);
  g_test_add_func ("/lead-editor/quick-capture", test_quick_capture);

  return g_test_run ();
}
