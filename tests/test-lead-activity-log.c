/* test-lead-activity-log.c — logging activity through the store: rescoring, the playbook's moves,
 * consent gates SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cp-automation.h"
#include "cp-lead-editor-model.h"
#include "cp-lead-store.h"
#include "cp-playbook-format.h"
#include "cp-test-util.h"

#define NOW G_GINT64_CONSTANT (1795000000)

typedef struct
{
  char        *dir;
  CpDatabase  *database;
  CpLeadStore *store;
  CpPlaybook  *playbook;
  char        *lead_id;
} Fixture;

static gint64
fixed_now (void)
{
  return NOW;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  cp_test_tmp_store_open (&f->dir, &f->database, &f->store);
  cp_lead_store_set_clock (f->store, fixed_now);
  f->playbook = cp_playbook_format_load_default ();

  f->lead_id = cp_test_create_lead (f->store,
                                    CP_LEAD_FIELD_FIRST_NAME, "Ruth",
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
  g_clear_pointer (&f->playbook, cp_playbook_unref);
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
  g_free (f->lead_id);
}

static CpActivity *
new_activity (Fixture        *f,
              CpActivityKind  kind)
{
  CpActivity *activity = cp_activity_new ();

  cp_activity_set_lead_id (activity, f->lead_id);
  cp_activity_set_kind (activity, kind);
  cp_activity_set_actor (activity, "Intake");
  return activity;
}

static gint64
stored_score (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = cp_lead_store_get (f->store, f->lead_id, &error);

  g_assert_no_error (error);
  return cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE);
}

static void
test_meeting_rescores_and_moves (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(CpActivity) activity = new_activity (f, CP_ACTIVITY_KIND_MEETING_BOOKED);
  g_auto(CpWriteOutcome) outcome = { NULL, };
  g_autoptr(GPtrArray) activities = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = NULL;
  gint64 before = stored_score (f);
  CpProposedMove *move;

  g_assert_true (cp_lead_store_log_activity (f->store, activity, &outcome, &error));
  g_assert_no_error (error);

  activities = cp_lead_store_list_activities (f->store, f->lead_id, &error);
  g_assert_cmpuint (activities->len, ==, 1);
  g_assert_cmpint (cp_activity_get_occurred_at (activities->pdata[0]), ==, NOW);
  /* intent_meeting_booked: +12, on top of the fields' fit points. */
  g_assert_cmpint (stored_score (f), >, before);

  /* discovery_call_booked: engaged → active evaluation, made by the store. */
  g_assert_nonnull (outcome.moves);
  g_assert_cmpuint (outcome.moves->len, ==, 1);
  move = outcome.moves->pdata[0];
  g_assert_cmpstr (move->rule_id, ==, "discovery_call_booked");
  g_assert_cmpstr (move->from_stage, ==, "engaged");
  g_assert_cmpstr (move->to_stage, ==, "active_evaluation");
  lead = cp_lead_store_get (f->store, f->lead_id, &error);
  g_assert_cmpstr (cp_lead_get_stage (lead), ==, "active_evaluation");
  /* The meeting is the team's response: the new stage's clock is met. */
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_LAST_ACTIVITY_AT), ==, NOW);
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_FIRST_RESPONSE_AT), ==, NOW);
}

static void
test_note_moves_nothing (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(CpActivity) activity = new_activity (f, CP_ACTIVITY_KIND_NOTE);
  g_auto(CpWriteOutcome) outcome = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = NULL;
  gint64 before = stored_score (f);
  gboolean changed = TRUE;

  /* The stored score is the playbook's already: a refresh changes nothing. */
  g_assert_true (cp_lead_store_refresh (f->store, f->lead_id, "test", &changed, &error));
  g_assert_no_error (error);
  g_assert_false (changed);

  cp_activity_set_detail (activity, "Prefers mornings");
  g_assert_true (cp_lead_store_log_activity (f->store, activity, &outcome, &error));
  g_assert_no_error (error);
  g_assert_null (outcome.moves);
  g_assert_cmpint (stored_score (f), ==, before);
  /* A note is not a response: the clock still runs. */
  lead = cp_lead_store_get (f->store, f->lead_id, &error);
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_FIRST_RESPONSE_AT), ==, 0);
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_LAST_ACTIVITY_AT), ==, NOW);
}

/* The lead calling in is not the team responding: an inbound call leaves
 * the response clock running; the call back stops it. */
static void
test_inbound_call_is_no_response (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(CpActivity) inbound = new_activity (f, CP_ACTIVITY_KIND_CALL);
  g_autoptr(CpActivity) outbound = new_activity (f, CP_ACTIVITY_KIND_CALL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) after_inbound = NULL;
  g_autoptr(CpLead) after_outbound = NULL;

  cp_activity_set_direction (inbound, "inbound");
  cp_activity_set_disposition (inbound, "connected");
  g_assert_true (cp_lead_store_log_activity (f->store, inbound, NULL, &error));
  g_assert_no_error (error);
  after_inbound = cp_lead_store_get (f->store, f->lead_id, &error);
  g_assert_cmpint (cp_lead_get_int (after_inbound, CP_LEAD_FIELD_FIRST_RESPONSE_AT), ==, 0);
  g_assert_cmpint (cp_lead_get_int (after_inbound, CP_LEAD_FIELD_LAST_ACTIVITY_AT), ==, NOW);

  cp_activity_set_direction (outbound, "outbound");
  cp_activity_set_disposition (outbound, "connected");
  g_assert_true (cp_lead_store_log_activity (f->store, outbound, NULL, &error));
  g_assert_no_error (error);
  after_outbound = cp_lead_store_get (f->store, f->lead_id, &error);
  g_assert_cmpint (cp_lead_get_int (after_outbound, CP_LEAD_FIELD_FIRST_RESPONSE_AT), ==, NOW);
}

static void
test_unknown_lead_records_nothing (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(CpActivity) activity = new_activity (f, CP_ACTIVITY_KIND_CALL);
  g_autoptr(GError) error = NULL;

  cp_activity_set_lead_id (activity, "no-such-lead");
  g_assert_false (cp_lead_store_log_activity (f->store, activity, NULL, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (cp_test_count_rows (f->database, "activities"), ==, 0);
}

/* The playbook's consent rules count even where the consent fields say
 * nothing: a rule on another field blocks the channel, with its reason. */
static void
test_consent_blocks_outreach (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = NULL;
  g_autofree char *reason = NULL;
  const char * const riverside[] = { "Riverside", NULL };
  CpConsentRule *rule = cp_consent_rule_new ("minors_no_calls");

  g_assert_true (cp_activity_kind_is_response (CP_ACTIVITY_KIND_CALL));
  g_assert_true (cp_activity_kind_is_response (CP_ACTIVITY_KIND_EMAIL_SENT));
  g_assert_false (cp_activity_kind_is_response (CP_ACTIVITY_KIND_EMAIL_REPLY));
  g_assert_false (cp_activity_kind_is_response (CP_ACTIVITY_KIND_NOTE));

  lead = cp_lead_store_get (f->store, f->lead_id, &error);
  g_assert_no_error (error);
  g_assert_true (cp_lead_outreach_allowed (f->playbook, lead, "phone", NULL));

  rule->description = g_strdup ("No calls to minors");
  rule->condition = cp_condition_new_field ("location", CP_OP_EQ, riverside, &error);
  g_assert_no_error (error);
  rule->blocked_channels = g_strsplit ("phone", ",", -1);
  g_ptr_array_add (f->playbook->consent_rules, rule);

  g_assert_false (cp_lead_outreach_allowed (f->playbook, lead, "phone", &reason));
  g_assert_cmpstr (reason, ==, "No calls to minors.");
  g_assert_true (cp_lead_outreach_allowed (f->playbook, lead, "email", NULL));
  /* The rule's condition decides: another location may be called. */
  cp_lead_set_text (lead, CP_LEAD_FIELD_LOCATION, "Hillcrest");
  g_assert_true (cp_lead_outreach_allowed (f->playbook, lead, "phone", NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/lead-activity-log/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("meeting-rescores-and-moves", test_meeting_rescores_and_moves);
  ADD ("note-moves-nothing", test_note_moves_nothing);
  ADD ("inbound-call-is-no-response", test_inbound_call_is_no_response);
  ADD ("unknown-lead", test_unknown_lead_records_nothing);
  ADD ("consent-blocks-outreach", test_consent_blocks_outreach);
#undef ADD

  return g_test_run ();
}
