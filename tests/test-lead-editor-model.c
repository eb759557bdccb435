/* test-lead-editor-model.c — the lead editor’s logic: checks, required fields, duplicates, save
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <locale.h>

#include "cp-core-error.h"
#include "cp-lead-editor-model.h"
#include "cp-playbook-format.h"
#include "cp-test-util.h"

typedef struct
{
  char        *dir;
  CpDatabase  *database;
  CpLeadStore *store;
  CpPlaybook  *playbook;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  cp_test_tmp_store_open (&fixture->dir, &fixture->database, &fixture->store);
  fixture->playbook = cp_playbook_format_load_default ();
  g_assert_nonnull (fixture->playbook);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->playbook, cp_playbook_unref);
  cp_test_tmp_store_close (&fixture->dir, &fixture->database, &fixture->store);
}

static char *
store_lead (Fixture    *fixture,
            const char *first,
            const char *last,
            const char *email,
            const char *phone,
            const char *location)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, first);
  cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, last);
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, email);
  cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, phone);
  cp_lead_set_text (lead, CP_LEAD_FIELD_LOCATION, location);
  cp_lead_set_custom (lead, "badge_color", "teal");
  g_assert_true (cp_lead_store_create (fixture->store, lead, "test", &error));
  g_assert_no_error (error);
  return g_strdup (cp_lead_get_id (lead));
}

static void
count_changed (CpLeadEditorModel *model,
               guint             *count)
{
  (*count)++;
}

static void
test_validation_as_typed (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(CpLeadEditorModel) model =
      cp_lead_editor_model_new (fixture->store, fixture->playbook, "US");
  guint changes = 0;

  g_signal_connect (model, "changed", G_CALLBACK (count_changed), &changes);

  /* An empty form cannot be saved: nothing identifies the lead. */
  g_assert_false (cp_lead_editor_model_is_valid (model));
  g_assert_false (cp_lead_editor_model_is_dirty (model));
  g_assert_nonnull (cp_lead_editor_model_get_message (model, CP_LEAD_FIELD_FIRST_NAME));

  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_FIRST_NAME, "Ada");
  g_assert_cmpuint (changes, ==, 1);
  g_assert_true (cp_lead_editor_model_is_valid (model));
  g_assert_true (cp_lead_editor_model_is_dirty (model));
  g_assert_null (cp_lead_editor_model_get_message (model, CP_LEAD_FIELD_FIRST_NAME));

  /* The same text again changes nothing. */
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_FIRST_NAME, " Ada ");
  g_assert_cmpuint (changes, ==, 1);

  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_EMAIL, "ada@");
  g_assert_false (cp_lead_editor_model_is_valid (model));
  g_assert_nonnull (cp_lead_editor_model_get_message (model, CP_LEAD_FIELD_EMAIL));
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_EMAIL, "ada@example.org");
  g_assert_null (cp_lead_editor_model_get_message (model, CP_LEAD_FIELD_EMAIL));
  g_assert_true (cp_lead_editor_model_is_valid (model));

  /* Phones are stored in E.164, shown formatted, and kept as typed when bad. */
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_PHONE, "(415) 555-0132");
  g_assert_null (cp_lead_editor_model_get_message (model, CP_LEAD_FIELD_PHONE));
  g_assert_cmpstr (cp_lead_get_text (cp_lead_editor_model_get_draft (model), CP_LEAD_FIELD_PHONE),
                   ==, "+14155550132");
  {
    g_autofree char *shown = cp_lead_editor_model_dup_phone_display (model);
    g_assert_nonnull (shown);
    g_assert_nonnull (strstr (shown, "555"));
  }
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_PHONE, "12");
  g_assert_nonnull (cp_lead_editor_model_get_message (model, CP_LEAD_FIELD_PHONE));
  g_assert_false (cp_lead_editor_model_is_valid (model));
  g_assert_null (cp_lead_editor_model_dup_phone_display (model));
  g_assert_cmpstr (cp_lead_editor_model_get_input (model, CP_LEAD_FIELD_PHONE), ==, "12");
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_PHONE, "");
  g_assert_true (cp_lead_editor_model_is_valid (model));

  /* A choice outside its list, and a number that is not one. */
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_CONSENT_STATUS, "maybe");
  g_assert_nonnull (cp_lead_editor_model_get_message (model, CP_LEAD_FIELD_CONSENT_STATUS));
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_CONSENT_STATUS, "granted");
  g_assert_null (cp_lead_editor_model_get_message (model, CP_LEAD_FIELD_CONSENT_STATUS));
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_ORG_SIZE, "lots");
  g_assert_nonnull (cp_lead_editor_model_get_message (model, CP_LEAD_FIELD_ORG_SIZE));
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_ORG_SIZE, NULL);

  cp_lead_editor_model_set_custom (model, "Bad Key", "x");
  g_assert_nonnull (cp_lead_editor_model_get_custom_message (model));
  g_assert_false (cp_lead_editor_model_is_valid (model));
  cp_lead_editor_model_set_custom (model, "Bad Key", NULL);
  g_assert_null (cp_lead_editor_model_get_custom_message (model));
  g_assert_true (cp_lead_editor_model_is_valid (model));
}

static void
test_required_by_stage (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(CpLeadEditorModel) model =
      cp_lead_editor_model_new (fixture->store, fixture->playbook, "US");
  const CpStage *engaged = cp_playbook_get_stage (fixture->playbook, "engaged");

  g_assert_nonnull (engaged);
  g_assert_true (g_strv_contains ((const char * const *) engaged->required_fields, "service_line"));

  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_FIRST_NAME, "Grace");
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_STAGE, "new");
  g_assert_false (cp_lead_editor_model_is_required (model, CP_LEAD_FIELD_SERVICE_LINE));
  g_assert_true (cp_lead_editor_model_is_valid (model));

  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_STAGE, "engaged");
  g_assert_true (cp_lead_editor_model_is_required (model, CP_LEAD_FIELD_SERVICE_LINE));
  g_assert_false (cp_lead_editor_model_is_valid (model));
  g_assert_nonnull (cp_lead_editor_model_get_message (model, CP_LEAD_FIELD_SERVICE_LINE));

  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_SERVICE_LINE, "Home care");
  g_assert_null (cp_lead_editor_model_get_message (model, CP_LEAD_FIELD_SERVICE_LINE));
  g_assert_true (cp_lead_editor_model_is_valid (model));
}

static void
test_duplicates_while_typing (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *by_email =
      store_lead (fixture, "Maria", "Lopez", "maria@example.org", NULL, NULL);
  g_autofree char *by_phone = store_lead (fixture, "Tom", "Baker", NULL, "+14155550100", NULL);
  g_autofree char *by_name = store_lead (fixture, "Jonathan", "Smith", NULL, NULL, "Springfield");
  g_autoptr(CpLeadEditorModel) model =
      cp_lead_editor_model_new (fixture->store, fixture->playbook, "US");
  GPtrArray *found = cp_lead_editor_model_get_duplicates (model);
  CpDuplicateCandidate *candidate;

  g_assert_cmpuint (found->len, ==, 0);

  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_EMAIL, "MARIA@example.org");
  g_assert_cmpuint (found->len, ==, 1);
  candidate = g_ptr_array_index (found, 0);
  g_assert_cmpstr (candidate->lead_id, ==, by_email);
  g_assert_cmpuint (candidate->kinds, ==, 1u << CP_MATCH_EMAIL);

  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_EMAIL, NULL);
  g_assert_cmpuint (found->len, ==, 0);
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_PHONE, "415 555 0100");
  g_assert_cmpuint (found->len, ==, 1);
  candidate = g_ptr_array_index (found, 0);
  g_assert_cmpstr (candidate->lead_id, ==, by_phone);
  g_assert_cmpuint (candidate->kinds, ==, 1u << CP_MATCH_PHONE);

  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_PHONE, NULL);
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_FIRST_NAME, "Jonathon");
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_LAST_NAME, "Smith");
  g_assert_cmpuint (found->len, ==, 0);
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_LOCATION, "springfield");
  g_assert_cmpuint (found->len, ==, 1);
  candidate = g_ptr_array_index (found, 0);
  g_assert_cmpstr (candidate->lead_id, ==, by_name);
  g_assert_cmpuint (candidate->kinds, ==, 1u << CP_MATCH_NAME_LOCATION);
  g_assert_nonnull (candidate->reason);

  /* Editing a stored lead never reports the lead itself. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (cp_lead_editor_model_load (model, by_email, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (cp_lead_editor_model_get_duplicates (model)->len, ==, 0);
  }
}

static void
test_save_create_and_update (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *id = store_lead (fixture, "Lin", "Wu", "lin@example.org", NULL, NULL);
  g_autoptr(CpLeadEditorModel) model =
      cp_lead_editor_model_new (fixture->store, fixture->playbook, "GB");
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) stored = NULL;
  const char *new_id;

  /* Nothing valid yet: the store refuses it, and says why. */
  g_assert_false (cp_lead_editor_model_save (model, "desk", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_REQUIRED);
  g_assert_cmpstr (error->message, ==,
                   "A lead needs a name, an email, a phone number or an organization.");
  g_clear_error (&error);

  /* A phone number that cannot be read is never sent: what was typed is
   * kept for the user to fix, and named. */
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_FIRST_NAME, "Noor");
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_PHONE, "call me");
  g_assert_false (cp_lead_editor_model_save (model, "desk", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Phone: "));
  g_assert_true (cp_lead_editor_model_is_new (model));
  g_clear_error (&error);

  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_FIRST_NAME, "Noor");
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_PHONE, "020 7946 0018");
  /* The consent as the form's rows give it: no time, so the save's. */
  cp_lead_store_set_clock (fixture->store, cp_test_clock);
  cp_test_now = 1700000000;
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_CONSENT_STATUS, "granted");
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_CONSENT_CHANNEL, "email");
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_CONSENT_CAPTURED_BY, "desk");
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_CONSENT_SOURCE, "event");
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_CONSENT_NOTICE_VERSION, "2026-03");
  g_assert_true (cp_lead_editor_model_is_new (model));
  g_assert_true (cp_lead_editor_model_save (model, "desk", &error));
  g_assert_no_error (error);
  g_assert_false (cp_lead_editor_model_is_new (model));
  g_assert_false (cp_lead_editor_model_is_dirty (model));

  new_id = cp_lead_get_id (cp_lead_editor_model_get_draft (model));
  stored = cp_lead_store_get (fixture->store, new_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_PHONE), ==, "+442079460018");
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_CONSENT_STATUS), ==, "granted");
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_CONSENT_CHANNEL), ==, "email");
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_CONSENT_CAPTURED_BY), ==, "desk");
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_CONSENT_SOURCE), ==, "event");
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_CONSENT_NOTICE_VERSION), ==, "2026-03");
  g_assert_cmpint (cp_lead_get_int (stored, CP_LEAD_FIELD_CONSENT_CAPTURED_AT), ==, 1700000000);
  g_clear_object (&stored);

  /* A second save of the same model updates rather than creating again;
   * a change that leaves the consent alone leaves its time. */
  cp_test_now = 1700000500;
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_LAST_NAME, "Haddad");
  g_assert_true (cp_lead_editor_model_is_dirty (model));
  g_assert_true (cp_lead_editor_model_save (model, "desk", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cp_lead_get_id (cp_lead_editor_model_get_draft (model)), ==, new_id);
  stored = cp_lead_store_get (fixture->store, new_id, &error);
  g_assert_cmpint (cp_lead_get_int (stored, CP_LEAD_FIELD_CONSENT_CAPTURED_AT), ==, 1700000000);
  g_clear_object (&stored);

  /* Withdrawn: the new status is dated by its save. */
  cp_test_now = 1700000900;
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_CONSENT_STATUS, "withdrawn");
  g_assert_true (cp_lead_editor_model_save (model, "desk", &error));
  g_assert_no_error (error);
  stored = cp_lead_store_get (fixture->store, new_id, &error);
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_CONSENT_STATUS), ==, "withdrawn");
  g_assert_cmpint (cp_lead_get_int (stored, CP_LEAD_FIELD_CONSENT_CAPTURED_AT), ==, 1700000900);
  g_clear_object (&stored);
  cp_test_now = CP_TEST_T0;

  /* Editing keeps custom fields the form did not touch. */
  g_assert_true (cp_lead_editor_model_load (model, id, &error));
  g_assert_no_error (error);
  g_assert_false (cp_lead_editor_model_is_dirty (model));
  g_assert_cmpstr (cp_lead_editor_model_get_input (model, CP_LEAD_FIELD_EMAIL), ==,
                   "lin@example.org");
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_JOB_TITLE, "Director of nursing");
  g_assert_true (cp_lead_editor_model_save (model, "desk", &error));
  g_assert_no_error (error);
  stored = cp_lead_store_get (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_JOB_TITLE), ==, "Director of nursing");
  g_assert_cmpstr (cp_lead_get_custom (stored, "badge_color"), ==, "teal");

  /* A lead that is not there cannot be loaded, and the model keeps its lead. */
  g_assert_false (cp_lead_editor_model_load (model, "no-such-lead", &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (cp_lead_get_id (cp_lead_editor_model_get_draft (model)), ==, id);
}

static void
test_merge_and_keep_both (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *existing = store_lead (fixture, "Rosa", "Park", "rosa@example.org", NULL, NULL);
  g_autoptr(CpLeadEditorModel) model =
      cp_lead_editor_model_new (fixture->store, fixture->playbook, "US");
  g_autoptr(CpLeadEditorModel) other =
      cp_lead_editor_model_new (fixture->store, fixture->playbook, "US");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) choices = NULL;
  g_autoptr(CpLead) kept = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *merge_id = NULL;
  CpLeadField take = CP_LEAD_FIELD_LAST_NAME;
  gboolean flagged = FALSE;

  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_FIRST_NAME, "Rosa");
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_LAST_NAME, "Parks");
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_EMAIL, "rosa@example.org");
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_JOB_TITLE, "Practice manager");
  cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_CAMPAIGN, "Spring fair");

  /* Only fields the draft fills differently are offered. */
  choices = cp_lead_editor_model_merge_choices (model, existing, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (choices->len, ==, 3);
  g_assert_cmpint (g_array_index (choices, CpLeadField, 0), ==, CP_LEAD_FIELD_LAST_NAME);
  g_assert_cmpint (g_array_index (choices, CpLeadField, 1), ==, CP_LEAD_FIELD_JOB_TITLE);
  g_assert_cmpint (g_array_index (choices, CpLeadField, 2), ==, CP_LEAD_FIELD_CAMPAIGN);
  g_assert_null (cp_lead_editor_model_merge_choices (model, "no-such-lead", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  merge_id = cp_lead_editor_model_merge_into (model, existing, &take, 1, "desk", &error);
  g_assert_no_error (error);
  g_assert_nonnull (merge_id);
  kept = cp_lead_store_get (fixture->store, existing, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cp_lead_get_text (kept, CP_LEAD_FIELD_LAST_NAME), ==, "Parks");
  g_assert_cmpstr (cp_lead_get_text (kept, CP_LEAD_FIELD_JOB_TITLE), ==, "Practice manager");
  g_assert_cmpstr (cp_lead_get_text (kept, CP_LEAD_FIELD_EMAIL), ==, "rosa@example.org");
  g_assert_cmpstr (cp_lead_get_custom (kept, "badge_color"), ==, "teal");

  /* Keep both: saved, and flagged as a possible duplicate of the other. */
  cp_lead_editor_model_set_field (other, CP_LEAD_FIELD_FIRST_NAME, "R.");
  cp_lead_editor_model_set_field (other, CP_LEAD_FIELD_EMAIL, "rosa@example.org");
  g_assert_cmpuint (cp_lead_editor_model_get_duplicates (other)->len, ==, 1);
  g_assert_true (cp_lead_editor_model_keep_both (other, existing, "desk", &error));
  g_assert_no_error (error);
  history = cp_lead_store_history (fixture->store,
                                   cp_lead_get_id (cp_lead_editor_model_get_draft (other)), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < history->len; i++)
    {
      CpHistoryEntry *entry = g_ptr_array_index (history, i);

      if (g_strcmp0 (entry->action, "flag_duplicate") == 0 &&
          g_strcmp0 (entry->new_value, existing) == 0)
        flagged = TRUE;
    }
  g_assert_true (flagged);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/lead-editor-model/validation", Fixture, NULL,
              fixture_setup, test_validation_as_typed, fixture_teardown);
  g_test_add ("/lead-editor-model/required-by-stage", Fixture, NULL,
              fixture_setup, test_required_by_stage, fixture_teardown);
  g_test_add ("/lead-editor-model/duplicates", Fixture, NULL,
              fixture_setup, test_duplicates_while_typing, fixture_teardown);
  g_test_add ("/lead-editor-model/save", Fixture, NULL,
              fixture_setup, test_save_create_and_update, fixture_teardown);

  g_test_add ("/lead-editor-model/merge-and-keep-both", Fixture, NULL,
              fixture_setup, test_merge_and_keep_both, fixture_teardown);

  return g_test_run ();
}
