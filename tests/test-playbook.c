/* test-playbook.c — playbook format, conditions, transitions, automation, diff
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cp-automation.h"
#include "cp-playbook-format.h"
#include "cp-transition.h"

#define DAY 86400
#define NOW G_GINT64_CONSTANT (1780000000)

static CpLead *
make_lead (void)
{
  CpLead *lead = cp_lead_new ();

  cp_lead_set_text (lead, CP_LEAD_FIELD_ID, "lead-1");
  cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, "new");
  cp_lead_set_text (lead, CP_LEAD_FIELD_SERVICE_LINE, "cardiology");
  cp_lead_set_text (lead, CP_LEAD_FIELD_LOCATION, "Riverside");
  cp_lead_set_text (lead, CP_LEAD_FIELD_URGENCY, "high");
  cp_lead_set_int (lead, CP_LEAD_FIELD_SCORE, 42);
  cp_lead_set_int (lead, CP_LEAD_FIELD_DO_NOT_CONTACT, 1);
  cp_lead_set_int (lead, CP_LEAD_FIELD_CREATED_AT, NOW - 40 * DAY);
  cp_lead_set_int (lead, CP_LEAD_FIELD_LAST_ACTIVITY_AT, NOW - 3 * DAY);
  cp_lead_set_custom (lead, "beds", "120");
  cp_lead_set_custom (lead, "note", "abc");
  return lead;
}

static void
test_default_loads (void)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  static const char * const ids[] = {
    "new", "engaged", "qualified", "active_evaluation", "onboarding", "adoption",
    "reactivation", "closed_won", "closed_lost",
  };

  g_assert_cmpuint (playbook->stages->len, ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      CpStage *stage = g_ptr_array_index (playbook->stages, i);

      g_assert_cmpstr (stage->id, ==, ids[i]);
      g_assert_nonnull (stage->owner_role);
      g_assert_nonnull (stage->handoff_checklist);
    }
  g_assert_cmpuint (playbook->scoring.rules->len, >=, 25);
  g_assert_nonnull (cp_playbook_get_queue (playbook, playbook->fallback_queue));
}

static void
test_round_trip (void)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autofree char *json = cp_playbook_format_serialize (playbook);
  g_autoptr(GError) error = NULL;
  g_autoptr(CpPlaybook) again = cp_playbook_format_parse (json, -1, &error);
  g_autoptr(GPtrArray) changes = NULL;
  g_autofree char *json2 = NULL;

  g_assert_no_error (error);
  changes = cp_playbook_diff (playbook, again);
  g_assert_cmpuint (changes->len, ==, 0);
  json2 = cp_playbook_format_serialize (again);
  g_assert_cmpstr (json, ==, json2);
}

/* Each invalid playbook is the minimal valid one with one thing broken. */
#define MINIMAL_HEAD \
  "{\"format\":1,\"stages\":[{\"id\":\"new\"},{\"id\":\"won\",\"closed\":true}]," \
  "\"scoring\":{\"rules\":["
#define MINIMAL_TAIL \
  "]},\"routing\":{\"queues\":[{\"id\":\"q\",\"owners\":[\"a\"]}],\"fallback_queue\":\"q\"}}"
#define RULE(cond) "{\"id\":\"r\",\"category\":\"fit\",\"points\":5,\"condition\":" cond "}"

static void
test_invalid (void)
{
  static const struct
  {
    const char *json;
    const char *message;
  } cases[] = {
    { MINIMAL_HEAD RULE ("{\"field\":\"urgency\",\"op\":\"eq\",\"value\":\"high\"}") ","
      RULE ("{\"field\":\"urgency\",\"op\":\"eq\",\"value\":\"high\"}") ","
      RULE ("{\"field\":\"urgency\",\"op\":\"eq\",\"value\":\"high\"}") ","
      RULE ("{\"field\":\"score\",\"op\":\"gtt\",\"value\":3}") MINIMAL_TAIL,
      "scoring.rules[3].condition.op: unknown operator \"gtt\"" },
    { MINIMAL_HEAD RULE ("{\"field\":\"nope\",\"op\":\"eq\",\"value\":\"x\"}") MINIMAL_TAIL,
      "scoring.rules[0].condition.field: unknown field “nope”" },
    { MINIMAL_HEAD RULE ("{\"field\":\"urgency\",\"op\":\"eq\",\"value\":\"hgh\"}") MINIMAL_TAIL,
      "scoring.rules[0].condition.value: “hgh” is not a value of urgency "
      "(one of: low, medium, high, urgent)" },
    { MINIMAL_HEAD RULE ("{\"field\":\"service_line\",\"op\":\"gt\",\"value\":3}") MINIMAL_TAIL,
      "scoring.rules[0].condition.value: “service_line” is a text field: compare it with text, "
      "not a number" },
    { MINIMAL_HEAD RULE ("{\"field\":\"score\",\"op\":\"eq\",\"value\":\"high\"}") MINIMAL_TAIL,
      "scoring.rules[0].condition.value: “score” is a number, date or yes/no field: compare it "
      "with a number or true/false, not text" },
    { MINIMAL_HEAD RULE ("{\"field\":\"score\",\"op\":\"within_days\",\"value\":3}") MINIMAL_TAIL,
      "scoring.rules[0].condition.value: operator “within_days” needs a date field, and “score” "
      "is not one" },
    { MINIMAL_HEAD RULE ("{\"field\":\"urgency\",\"op\":\"in\",\"value\":\"high\"}") MINIMAL_TAIL,
      "scoring.rules[0].condition.value: operator \"in\" needs a list of values" },
    { MINIMAL_HEAD RULE ("{\"all\":[{\"activity\":\"telepathy\"}]}") MINIMAL_TAIL,
      "scoring.rules[0].condition.all[0].activity: unknown activity kind \"telepathy\"" },
    { MINIMAL_HEAD RULE ("{\"not\":{\"field\":\"email\",\"op\":\"exists\",\"value\":1}}") MINIMAL_TAIL,
      "scoring.rules[0].condition.not.value: operator \"exists\" takes no value" },
    { MINIMAL_HEAD RULE ("{\"fields\":\"email\"}") MINIMAL_TAIL,
      "scoring.rules[0].condition: a condition needs one of \"all\", \"any\", \"not\", \"field\", "
      "\"activity\", \"inactive_days\", \"account_contacts_at_least\"" },
    { MINIMAL_HEAD "{\"id\":\"r\",\"category\":\"vibes\",\"points\":5,\"condition\":{\"inactive_days\":3}}"
      MINIMAL_TAIL, "scoring.rules[0].category: unknown category \"vibes\" (fit, intent or readiness)" },
    { MINIMAL_HEAD "{\"id\":\"r\",\"category\":\"fit\",\"points\":500,\"condition\":{\"inactive_days\":3}}"
      MINIMAL_TAIL, "scoring.rules[0].points: 500 is out of range (-100–100)" },
    { MINIMAL_HEAD "{\"id\":\"r\",\"category\":\"fit\",\"points\":5}" MINIMAL_TAIL,
      "scoring.rules[0].condition: is required" },
    { MINIMAL_HEAD RULE ("{\"inactive_days\":3}") "]},\"routing\":{\"queues\":[{\"id\":\"q\"}],"
      "\"rules\":[{\"id\":\"x\",\"queue\":\"zz\"}],\"fallback_queue\":\"q\"}}",
      "routing.rules[0].queue: unknown queue “zz”" },
    { "{\"format\":2}", "format: version 2 is not supported (this Carepath reads version 1)" },
    { "{\"format\":1,\"stages\":[{\"id\":\"new\",\"sla_hours\":\"four\"}]}",
      "stages[0].sla_hours: expected a whole number" },
    { "{\"format\":1,\"stagez\":[]}", "stagez: unknown member \"stagez\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CpPlaybook) playbook = cp_playbook_format_parse (cases[i].json, -1, &error);

      g_assert_null (playbook);
      g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CpPlaybook) playbook = cp_playbook_format_parse ("{not json", -1, &error);

    g_assert_null (playbook);
    g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  }
}

static gboolean
eval_json (const char *json,
           CpLead     *lead,
           GArray     *activities)
{
  g_autofree char *doc = g_strdup_printf (MINIMAL_HEAD RULE ("%s") MINIMAL_TAIL, json);
  g_autoptr(GError) error = NULL;
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_parse (doc, -1, &error);
  CpLeadRecord record;
  CpConditionInput input = { 0, };

  g_assert_no_error (error);
  cp_lead_record_init (&record, lead);
  input.lead = &record;
  input.activities = activities ? (CpActivityRecord *) activities->data : NULL;
  input.n_activities = activities ? activities->len : 0;
  input.now = NOW;
  input.account_engaged_contacts = 2;
  return cp_condition_evaluate (((CpScoreRule *) g_ptr_array_index (playbook->scoring.rules, 0))->condition,
                                &input);
}

static void
test_operators (void)
{
  static const struct
  {
    const char *condition;
    gboolean    expected;
  } cases[] = {
    /* eq / ne, case-insensitive; missing fields */
    { "{\"field\":\"service_line\",\"op\":\"eq\",\"value\":\"cardiology\"}", TRUE },
    { "{\"field\":\"service_line\",\"op\":\"eq\",\"value\":\"Cardiology\"}", TRUE },
    { "{\"field\":\"service_line\",\"op\":\"eq\",\"value\":\"dental\"}", FALSE },
    { "{\"field\":\"organization\",\"op\":\"eq\",\"value\":\"x\"}", FALSE },
    { "{\"field\":\"service_line\",\"op\":\"ne\",\"value\":\"dental\"}", TRUE },
    { "{\"field\":\"organization\",\"op\":\"ne\",\"value\":\"x\"}", TRUE },
    /* in / not_in */
    { "{\"field\":\"location\",\"op\":\"in\",\"value\":[\"North\",\"Riverside\"]}", TRUE },
    { "{\"field\":\"location\",\"op\":\"in\",\"value\":[\"North\",\"South\"]}", FALSE },
    { "{\"field\":\"organization\",\"op\":\"in\",\"value\":[\"x\"]}", FALSE },
    { "{\"field\":\"location\",\"op\":\"not_in\",\"value\":[\"North\",\"South\"]}", TRUE },
    { "{\"field\":\"location\",\"op\":\"not_in\",\"value\":[\"riverside\"]}", FALSE },
    { "{\"field\":\"organization\",\"op\":\"not_in\",\"value\":[\"x\"]}", TRUE },
    /* contains */
    { "{\"field\":\"location\",\"op\":\"contains\",\"value\":\"SIDE\"}", TRUE },
    { "{\"field\":\"location\",\"op\":\"contains\",\"value\":\"north\"}", FALSE },
    { "{\"field\":\"notes\",\"op\":\"contains\",\"value\":\"x\"}", FALSE },
    /* exists / missing over text, dates, numbers */
    { "{\"field\":\"location\",\"op\":\"exists\"}", TRUE },
    { "{\"field\":\"email\",\"op\":\"exists\"}", FALSE },
    { "{\"field\":\"email\",\"op\":\"missing\"}", TRUE },
    { "{\"field\":\"first_response_at\",\"op\":\"missing\"}", TRUE },
    { "{\"field\":\"created_at\",\"op\":\"exists\"}", TRUE },
    { "{\"field\":\"score\",\"op\":\"exists\"}", TRUE },
    /* numbers */
    { "{\"field\":\"score\",\"op\":\"gt\",\"value\":41}", TRUE },
    { "{\"field\":\"score\",\"op\":\"gt\",\"value\":42}", FALSE },
    { "{\"field\":\"score\",\"op\":\"gte\",\"value\":42}", TRUE },
    { "{\"field\":\"score\",\"op\":\"lt\",\"value\":42}", FALSE },
    { "{\"field\":\"score\",\"op\":\"lte\",\"value\":42.5}", TRUE },
    { "{\"field\":\"score\",\"op\":\"eq\",\"value\":42}", TRUE },
    { "{\"field\":\"score\",\"op\":\"ne\",\"value\":42}", FALSE },
    /* yes/no */
    { "{\"field\":\"do_not_contact\",\"op\":\"eq\",\"value\":true}", TRUE },
    { "{\"field\":\"do_not_contact\",\"op\":\"ne\",\"value\":true}", FALSE },
    /* dates */
    { "{\"field\":\"last_activity_at\",\"op\":\"within_days\",\"value\":7}", TRUE },
    { "{\"field\":\"last_activity_at\",\"op\":\"within_days\",\"value\":2}", FALSE },
    { "{\"field\":\"created_at\",\"op\":\"older_than_days\",\"value\":30}", TRUE },
    { "{\"field\":\"created_at\",\"op\":\"older_than_days\",\"value\":50}", FALSE },
    { "{\"field\":\"first_response_at\",\"op\":\"within_days\",\"value\":5000}", FALSE },
    { "{\"field\":\"first_response_at\",\"op\":\"older_than_days\",\"value\":1}", FALSE },
    /* custom fields: numbers compare, non-numbers never do */
    { "{\"field\":\"custom.beds\",\"op\":\"gte\",\"value\":100}", TRUE },
    { "{\"field\":\"custom.beds\",\"op\":\"lt\",\"value\":100}", FALSE },
    { "{\"field\":\"custom.note\",\"op\":\"gt\",\"value\":0}", FALSE },
    { "{\"field\":\"custom.note\",\"op\":\"lt\",\"value\":0}", FALSE },
    { "{\"field\":\"custom.absent\",\"op\":\"gt\",\"value\":0}", FALSE },
    { "{\"field\":\"custom.absent\",\"op\":\"missing\"}", TRUE },
    { "{\"field\":\"custom.note\",\"op\":\"eq\",\"value\":\"ABC\"}", TRUE },
    /* groups */
    { "{\"all\":[]}", TRUE },
    { "{\"any\":[]}", FALSE },
    { "{\"all\":[{\"field\":\"location\",\"op\":\"exists\"},{\"field\":\"email\",\"op\":\"exists\"}]}", FALSE },
    { "{\"any\":[{\"field\":\"location\",\"op\":\"exists\"},{\"field\":\"email\",\"op\":\"exists\"}]}", TRUE },
    { "{\"not\":{\"field\":\"email\",\"op\":\"exists\"}}", TRUE },
    /* activities */
    { "{\"activity\":\"page_visit\",\"min_count\":2,\"within_days\":30}", TRUE },
    { "{\"activity\":\"page_visit\",\"min_count\":3,\"within_days\":30}", FALSE },
    { "{\"activity\":\"page_visit\",\"min_count\":2,\"within_days\":5}", FALSE },
    { "{\"activity\":\"page_visit\",\"detail_contains\":\"PRICING\"}", TRUE },
    { "{\"activity\":\"page_visit\",\"detail_contains\":\"careers\"}", FALSE },
    { "{\"activity\":[\"email_reply\",\"webinar_attended\"]}", TRUE },
    { "{\"activity\":\"email_bounce\"}", FALSE },
    { "{\"activity\":\"any\",\"min_count\":3}", TRUE },
    { "{\"inactive_days\":2}", TRUE },
    { "{\"inactive_days\":5}", FALSE },
    { "{\"account_contacts_at_least\":2}", TRUE },
    { "{\"account_contacts_at_least\":3}", FALSE },
  };
  g_autoptr(CpLead) lead = make_lead ();
  g_autoptr(GArray) activities = g_array_new (FALSE, TRUE, sizeof (CpActivityRecord));
  CpActivityRecord records[] = {
    { CP_ACTIVITY_KIND_PAGE_VISIT, NOW - 10 * DAY, "/pricing" },
    { CP_ACTIVITY_KIND_PAGE_VISIT, NOW - 3 * DAY, "/services/cardiology" },
    { CP_ACTIVITY_KIND_EMAIL_REPLY, NOW - 4 * DAY, NULL },
  };

  g_array_append_vals (activities, records, G_N_ELEMENTS (records));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      if (g_test_verbose ())
        g_test_message ("%s", cases[i].condition);
      g_assert_cmpint (eval_json (cases[i].condition, lead, activities), ==, cases[i].expected);
    }
}

static void
test_render (void)
{
  const char *values[] = { "cardiology", NULL };
  const char *locations[] = { "North", "South", NULL };
  CpCondition *children[2];
  g_autoptr(CpCondition) all = NULL;
  g_autofree char *text = NULL;

  children[0] = cp_condition_new_field ("service_line", CP_OP_EQ, values, NULL);
  children[1] = cp_condition_new_field ("location", CP_OP_IN, locations, NULL);
  all = cp_condition_new_group (CP_CONDITION_ALL, children, 2);
  text = cp_condition_to_string (all);
  g_assert_cmpstr (text, ==, "Service line is Cardiology and location is North or South");
}

static void
test_transitions (void)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(CpLead) lead = make_lead ();
  CpLeadRecord record;
  CpConditionInput input = { 0, };
  CpActivityRecord meeting = { CP_ACTIVITY_KIND_MEETING_BOOKED, NOW - DAY, "Discovery call" };

  input.lead = &record;
  input.now = NOW;

  /* new → qualified: lead type is required */
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "a@example.org");
  cp_lead_record_init (&record, lead);
  {
    g_autoptr(CpMoveCheck) check = cp_transition_check (playbook, &input, "qualified");

    g_assert_cmpint (check->verdict, ==, CP_MOVE_MISSING_FIELDS);
    g_assert_cmpstr (check->missing_fields[0], ==, "lead_type");
    g_assert_null (check->missing_fields[1]);
    g_assert_cmpstr (check->message, ==, "Cannot move to “Qualified”: Lead type must be filled in first.");
  }
  cp_lead_set_text (lead, CP_LEAD_FIELD_LEAD_TYPE, "patient");
  cp_lead_record_init (&record, lead);
  {
    g_autoptr(CpMoveCheck) check = cp_transition_check (playbook, &input, "qualified");

    g_assert_cmpint (check->verdict, ==, CP_MOVE_ALLOWED);
  }
  /* exit rule of new: a contact method */
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, NULL);
  cp_lead_record_init (&record, lead);
  {
    g_autoptr(CpMoveCheck) check = cp_transition_check (playbook, &input, "qualified");

    g_assert_cmpint (check->verdict, ==, CP_MOVE_BLOCKED_BY_EXIT);
    g_assert_cmpstr (check->message, ==,
                     "Cannot leave “New” yet: it requires that Email is known or phone is known.");
  }
  /* …but closing is always possible once the closure fields are known */
  {
    g_autoptr(CpMoveCheck) check = cp_transition_check (playbook, &input, "closed_lost");

    g_assert_cmpint (check->verdict, ==, CP_MOVE_MISSING_FIELDS);
    g_assert_cmpuint (g_strv_length (check->missing_fields), ==, 2);
  }
  cp_lead_set_text (lead, CP_LEAD_FIELD_CLOSURE_OUTCOME, "lost");
  cp_lead_set_text (lead, CP_LEAD_FIELD_CLOSURE_REASON, "no_response");
  cp_lead_record_init (&record, lead);
  {
    g_autoptr(CpMoveCheck) check = cp_transition_check (playbook, &input, "closed_lost");

    g_assert_cmpint (check->verdict, ==, CP_MOVE_ALLOWED);
  }
  /* entry rule of active evaluation */
  cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, "+15555550100");
  cp_lead_set_text (lead, CP_LEAD_FIELD_PREFERRED_CONTACT, "phone");
  cp_lead_record_init (&record, lead);
  {
    g_autoptr(CpMoveCheck) check = cp_transition_check (playbook, &input, "active_evaluation");

    g_assert_cmpint (check->verdict, ==, CP_MOVE_BLOCKED_BY_ENTRY);
  }
  input.activities = &meeting;
  input.n_activities = 1;
  {
    g_autoptr(CpMoveCheck) check = cp_transition_check (playbook, &input, "active_evaluation");

    g_assert_cmpint (check->verdict, ==, CP_MOVE_ALLOWED);
  }
  {
    g_autoptr(CpMoveCheck) check = cp_transition_check (playbook, &input, "nowhere");

    g_assert_cmpint (check->verdict, ==, CP_MOVE_UNKNOWN_STAGE);
  }
  {
    g_autoptr(CpMoveCheck) check = cp_transition_check (playbook, &input, "new");

    g_assert_cmpint (check->verdict, ==, CP_MOVE_SAME_STAGE);
  }
}

static void
test_automation (void)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(CpLead) lead = make_lead ();
  CpLeadRecord record;
  CpConditionInput input = { 0, };
  CpActivityRecord webinar = { CP_ACTIVITY_KIND_WEBINAR_ATTENDED, NOW - DAY, "Value-Based Care" };

  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "a@example.org");
  cp_lead_set_text (lead, CP_LEAD_FIELD_LEAD_TYPE, "patient");
  cp_lead_record_init (&record, lead);
  input.lead = &record;
  input.now = NOW;
  input.activities = &webinar;
  input.n_activities = 1;

  {
    g_autoptr(GPtrArray) moves = cp_automation_on_activity (playbook, &input, &webinar);
    CpProposedMove *move;

    g_assert_cmpuint (moves->len, ==, 2);
    move = g_ptr_array_index (moves, 0);
    g_assert_cmpstr (move->rule_id, ==, "engaged_on_response");
    g_assert_cmpstr (move->to_stage, ==, "engaged");
    g_assert_true (move->allowed);
    move = g_ptr_array_index (moves, 1);
    g_assert_cmpstr (move->rule_id, ==, "webinar_fit_qualified");
    g_assert_cmpstr (move->to_stage, ==, "qualified");
    g_assert_true (move->allowed);
    g_assert_nonnull (strstr (move->reason, "Attended a webinar and fits"));
  }

  /* Outside the service area: no qualification */
  cp_lead_set_text (lead, CP_LEAD_FIELD_LOCATION, "Atlantis");
  cp_lead_record_init (&record, lead);
  {
    g_autoptr(GPtrArray) moves = cp_automation_on_activity (playbook, &input, &webinar);

    g_assert_cmpuint (moves->len, ==, 1);
  }

  /* Inactivity proposes reactivation — a move, never a deletion */
  input.activities = NULL;
  input.n_activities = 0;
  cp_lead_set_int (lead, CP_LEAD_FIELD_LAST_ACTIVITY_AT, NOW - 61 * DAY);
  cp_lead_record_init (&record, lead);
  {
    g_autoptr(GPtrArray) moves = cp_automation_on_inactivity (playbook, &input);

    g_assert_cmpuint (moves->len, ==, 1);
    g_assert_cmpstr (((CpProposedMove *) g_ptr_array_index (moves, 0))->to_stage, ==, "reactivation");
  }
  cp_lead_set_int (lead, CP_LEAD_FIELD_LAST_ACTIVITY_AT, NOW - 59 * DAY);
  cp_lead_record_init (&record, lead);
  {
    g_autoptr(GPtrArray) moves = cp_automation_on_inactivity (playbook, &input);

    g_assert_cmpuint (moves->len, ==, 0);
  }

  /* Won: closed won, then onboarding — the lifecycle path goes through
   * closed won, so the funnel counts the win. */
  cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, "active_evaluation");
  cp_lead_set_text (lead, CP_LEAD_FIELD_CLOSURE_OUTCOME, "won");
  cp_lead_set_text (lead, CP_LEAD_FIELD_OWNER, "Julia Novak");
  cp_lead_record_init (&record, lead);
  {
    g_autoptr(GPtrArray) moves = cp_automation_on_change (playbook, &input);

    g_assert_cmpuint (moves->len, ==, 1);
    g_assert_cmpstr (((CpProposedMove *) g_ptr_array_index (moves, 0))->rule_id, ==, "won_closed");
    g_assert_cmpstr (((CpProposedMove *) g_ptr_array_index (moves, 0))->to_stage, ==, "closed_won");
    g_assert_true (((CpProposedMove *) g_ptr_array_index (moves, 0))->allowed);
  }
  cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, "closed_won");
  cp_lead_record_init (&record, lead);
  {
    g_autoptr(GPtrArray) moves = cp_automation_on_change (playbook, &input);

    g_assert_cmpuint (moves->len, ==, 1);
    g_assert_cmpstr (((CpProposedMove *) g_ptr_array_index (moves, 0))->to_stage, ==, "onboarding");
    g_assert_true (((CpProposedMove *) g_ptr_array_index (moves, 0))->allowed);
  }
}

static void
test_diff (void)
{
  g_autoptr(CpPlaybook) before = cp_playbook_format_load_default ();
  g_autoptr(CpPlaybook) after = cp_playbook_format_load_default ();
  g_autoptr(GPtrArray) changes = NULL;
  CpScoreRule *rule;
  g_autoptr(CpScoreRule) added = cp_score_rule_new ("intent_chat");

  rule = g_ptr_array_index (after->scoring.rules, 0);
  rule->points = 12;
  g_ptr_array_remove_index (after->scoring.rules, 1);
  added->category = CP_SCORE_INTENT;
  added->points = 3;
  added->condition = cp_condition_new_activity (1u << CP_ACTIVITY_KIND_CALL, 1, 7, NULL);
  g_ptr_array_add (after->scoring.rules, g_steal_pointer (&added));
  after->scoring.sales_ready_threshold = 65;

  changes = cp_playbook_diff (before, after);
  g_assert_cmpuint (changes->len, ==, 4);
  {
    CpPlaybookChange *c0 = g_ptr_array_index (changes, 0);
    CpPlaybookChange *c1 = g_ptr_array_index (changes, 1);
    CpPlaybookChange *c2 = g_ptr_array_index (changes, 2);
    CpPlaybookChange *c3 = g_ptr_array_index (changes, 3);

    g_assert_cmpint (c0->kind, ==, CP_PLAYBOOK_CHANGE_CHANGED);
    g_assert_cmpstr (c0->id, ==, "fit_core_service_line");
    g_assert_cmpint (c1->kind, ==, CP_PLAYBOOK_CHANGE_REMOVED);
    g_assert_cmpstr (c1->id, ==, "fit_other_service_line");
    g_assert_cmpint (c2->kind, ==, CP_PLAYBOOK_CHANGE_ADDED);
    g_assert_cmpstr (c2->id, ==, "intent_chat");
    g_assert_cmpstr (c3->section, ==, "settings");
  }
}

static void
test_parse_date_and_time (void)
{
  guint32 julian = 0;
  int minute = -1;
  GDate date;

  g_assert_true (cp_parse_iso_date ("2026-12-25", &julian));
  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  g_assert_cmpuint (g_date_get_day (&date), ==, 25);
  g_assert_false (cp_parse_iso_date ("2026-02-30", &julian));
  g_assert_false (cp_parse_iso_date ("2026-12-25x", &julian));
  g_assert_false (cp_parse_iso_date ("25/12/2026", &julian));

  g_assert_true (cp_parse_clock_time ("08:30", &minute));
  g_assert_cmpint (minute, ==, 510);
  g_assert_true (cp_parse_clock_time ("24:00", &minute));
  g_assert_cmpint (minute, ==, 1440);
  g_assert_false (cp_parse_clock_time ("24:01", &minute));
  g_assert_false (cp_parse_clock_time ("8.30", &minute));
  g_assert_false (cp_parse_clock_time ("12:60", &minute));
  g_assert_false (cp_parse_clock_time ("", &minute));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/playbook/parse-date-and-time", test_parse_date_and_time);
  g_test_add_func ("/playbook/default", test_default_loads);
  g_test_add_func ("/playbook/round-trip", test_round_trip);
  g_test_add_func ("/playbook/invalid", test_invalid);
  g_test_add_func ("/playbook/operators", test_operators);
  g_test_add_func ("/playbook/render", test_render);
  g_test_add_func ("/playbook/transitions", test_transitions);
  g_test_add_func ("/playbook/automation", test_automation);
  g_test_add_func ("/playbook/diff", test_diff);

  return g_test_run ();
}
