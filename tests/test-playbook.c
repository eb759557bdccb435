/* test-playbook.c — playbook format, conditions, transitions, automation, diff
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

#include "cp-automation.h"
#include "cp-core-error.h"
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
/* The minimal tail, open for more members of the root. */
#define MINIMAL_TAIL_OPEN \
  "]},\"routing\":{\"queues\":[{\"id\":\"q\",\"owners\":[\"a\"]}],\"fallback_queue\":\"q\"},"
#define RULE(cond) "{\"id\":\"r\",\"category\":\"fit\",\"points\":5,\"condition\":" cond "}"

static void
test_invalid (void)
{
  static const struct
  {
    const char *json;
    const char *message;
  } cases[] = {
    { MINIMAL_HEAD RULE ("{\"field\":\"urgency\",\"op\":\"eq\",\"value\":\"high\"}") "," RULE (
          "{\"field"
          "\":"
          "\"urgenc"
          "y\","
          "\"op\":"
          "\"eq\","
          "\"value"
          "\":"
          "\"high\""
          "}") "," RULE ("{\"field\":\"urgency\",\"op\":\"eq\",\"value\":\"high\"}") "," RULE ("{\""
                                                                                               "fie"
                                                                                               "ld"
                                                                                               "\""
                                                                                               ":\""
                                                                                               "sco"
                                                                                               "re"
                                                                                               "\""
                                                                                               ",\""
                                                                                               "op"
                                                                                               "\":"
                                                                                               "\"g"
                                                                                               "tt"
                                                                                               "\","
                                                                                               "\"v"
                                                                                               "alu"
                                                                                               "e\""
                                                                                               ":"
                                                                                               "3}")
          MINIMAL_TAIL,
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
      "scoring.rules[0].condition.value: operator “within_days” needs a date field, and "
      "“score” "
      "is not one" },
    { MINIMAL_HEAD RULE ("{\"field\":\"urgency\",\"op\":\"in\",\"value\":\"high\"}") MINIMAL_TAIL,
      "scoring.rules[0].condition.value: operator \"in\" needs a list of values" },
    { MINIMAL_HEAD RULE ("{\"all\":[{\"activity\":\"telepathy\"}]}") MINIMAL_TAIL,
      "scoring.rules[0].condition.all[0].activity: unknown activity kind \"telepathy\"" },
    { MINIMAL_HEAD RULE ("{\"not\":{\"field\":\"email\",\"op\":\"exists\",\"value\":1}}")
          MINIMAL_TAIL,
      "scoring.rules[0].condition.not.value: operator \"exists\" takes no value" },
    { MINIMAL_HEAD RULE ("{\"fields\":\"email\"}") MINIMAL_TAIL,
      "scoring.rules[0].condition: a condition needs one of \"all\", \"any\", \"not\", "
      "\"field\", "
      "\"activity\", \"inactive_days\", \"account_contacts_at_least\"" },
    { MINIMAL_HEAD "{\"id\":\"r\",\"category\":\"vibes\",\"points\":5,\"condition\":{"
                   "\"inactive_days\":3}}" MINIMAL_TAIL,
      "scoring.rules[0].category: unknown category \"vibes\" (fit, intent or readiness)" },
    { MINIMAL_HEAD "{\"id\":\"r\",\"category\":\"fit\",\"points\":500,\"condition\":{"
                   "\"inactive_days\":3}}" MINIMAL_TAIL,
      "scoring.rules[0].points: 500 is out of range (-100–100)" },
    { MINIMAL_HEAD "{\"id\":\"r\",\"category\":\"fit\",\"points\":5}" MINIMAL_TAIL,
      "scoring.rules[0].condition: is required" },
    { MINIMAL_HEAD RULE ("{\"inactive_days\":3}") "]},\"routing\":{\"queues\":[{\"id\":\"q\"}],"
                                                  "\"rules\":[{\"id\":\"x\",\"queue\":\"zz\"}],"
                                                  "\"fallback_queue\":\"q\"}}",
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
      g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CpPlaybook) playbook = cp_playbook_format_parse ("{not json", -1, &error);

    g_assert_null (playbook);
    g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  }
}

/* The members of each record are read through one table per record: an
 * unknown or missing member, a value out of range and a rule on a value
 * are refused with the record's path; numbers left out take their
 * defaults. */
static void
test_record_tables (void)
{
  static const struct
  {
    const char *json;
    const char *message;
  } cases[] = {
    { "{\"format\":1,\"stages\":[{\"id\":\"new\",\"templates\":[{\"id\":\"t\","
      "\"channel\":\"email\",\"colour\":\"red\",\"body\":\"x\"}]}]}",
      "stages[0].templates[0].colour: unknown member \"colour\"" },
    { "{\"format\":1,\"stages\":[{\"id\":\"new\",\"templates\":[{\"id\":\"t\","
      "\"channel\":\"email\"}]}]}",
      "stages[0].templates[0].body: is required" },
    { "{\"format\":1,\"stages\":[{\"id\":\"new\",\"entry_tasks\":[{\"kind\":\"call\","
      "\"title\":\"Call\",\"due_business_hours\":2209}]}]}",
      "stages[0].entry_tasks[0].due_business_hours: 2209 is out of range (0–2208)" },
    { "{\"format\":1,\"stages\":[{\"id\":\"new\",\"entry_tasks\":[{\"kind\":\"fax\","
      "\"title\":\"Fax\"}]}]}",
      "stages[0].entry_tasks[0].kind: unknown kind of task “fax” (call, email, meeting, "
      "follow_up, handoff)" },
    { "{\"format\":1,\"stages\":[{\"id\":\"new\",\"closed\":\"yes\"}]}",
      "stages[0].closed: expected true or false" },
    { MINIMAL_HEAD RULE ("{\"inactive_days\":3}") "]},\"routing\":{\"queues\":[{\"id\":\"q\","
      "\"owners\":[\"a\"],\"size\":3}],\"fallback_queue\":\"q\"}}",
      "routing.queues[0].size: unknown member \"size\"" },
    { MINIMAL_HEAD RULE ("{\"inactive_days\":3}") MINIMAL_TAIL_OPEN
      "\"closure_reasons\":[{\"id\":\"price\",\"outcome\":\"maybe\"}]}",
      "closure_reasons[0].outcome: expected \"won\" or \"lost\"" },
    { MINIMAL_HEAD RULE ("{\"inactive_days\":3}") MINIMAL_TAIL_OPEN
      "\"consent_rules\":[{\"id\":\"c\",\"blocked_channels\":[\"email\"]}]}",
      "consent_rules[0].condition: is required" },
    { "{\"format\":1,\"stages\":[{\"id\":\"new\"}],\"scoring\":{\"thresholds\":"
      "{\"nurture\":10},\"rules\":[]}}",
      "scoring.thresholds.sales_ready: is required" },
  };
  const char *doc =
    MINIMAL_HEAD RULE ("{\"inactive_days\":3}") "]"
    ",\"account_boost\":{\"points_per_contact\":4}},"
    "\"routing\":{\"queues\":[{\"id\":\"q\",\"owners\":[\"a\"]}],\"fallback_queue\":\"q\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(CpPlaybook) playbook = NULL;
  g_autoptr(CpPlaybook) again = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  CpStage *stage;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(CpPlaybook) bad = cp_playbook_format_parse (cases[i].json, -1, &local_error);

      g_assert_null (bad);
      g_assert_error (local_error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
      g_assert_cmpstr (local_error->message, ==, cases[i].message);
    }

  /* Left out: an account boost counts from one contact, a stage has no
   * funnel position, and neither is written back when it is 0. */
  playbook = cp_playbook_format_parse (doc, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (playbook->scoring.account_min_contacts, ==, 1);
  g_assert_cmpint (playbook->scoring.account_points_per_contact, ==, 4);
  g_assert_cmpint (playbook->scoring.account_max_points, ==, 0);
  stage = g_ptr_array_index (playbook->stages, 0);
  g_assert_cmpuint (stage->funnel_position, ==, 0);
  g_assert_false (stage->closed);
  stage = g_ptr_array_index (playbook->stages, 1);
  g_assert_true (stage->closed);

  json = cp_playbook_format_serialize (playbook);
  g_assert_null (strstr (json, "funnel_position"));
  g_assert_nonnull (strstr (json, "\"min_contacts\" : 1,"));
  g_assert_nonnull (strstr (json, "\"closed\" : true"));
  g_assert_null (strstr (json, "\"closed\" : false"));
  again = cp_playbook_format_parse (json, -1, &error);
  g_assert_no_error (error);
  json2 = cp_playbook_format_serialize (again);
  g_assert_cmpstr (json, ==, json2);
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
  return cp_condition_evaluate (((CpScoreRule *) g_ptr_array_index (playbook->scoring.rules, 0))
                                    ->condition,
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
    { "{\"all\":[{\"field\":\"location\",\"op\":\"exists\"},{\"field\":\"email\",\"op\":\"exists\"}"
      "]}",
      FALSE },
    { "{\"any\":[{\"field\":\"location\",\"op\":\"exists\"},{\"field\":\"email\",\"op\":\"exists\"}"
      "]}",
      TRUE },
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
    g_assert_cmpstr (check->message, ==,
                     "Cannot move to “Qualified”: Lead type must be filled in first.");
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
                     "Cannot leave “New” yet. Needed first: Email is known or phone is known.");
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
    g_assert_cmpstr (((CpProposedMove *) g_ptr_array_index (moves, 0))->to_stage, ==,
                     "reactivation");
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

/* ---- hardening (#19) ---- */

static void
assert_refused (const char *json,
                const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_parse (json, -1, &error);

  g_assert_null (playbook);
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, message);
}

static char *
repeat (const char *text,
        guint       n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (out, text);
  return g_string_free (out, FALSE);
}

/* 100,000 levels used to exhaust the stack (SIGSEGV); now refused before
 * the parser recurses, quickly, naming the limit. */
static void
test_deep_nesting (void)
{
  g_autofree char *opens = repeat ("[", 100000);
  g_autofree char *closes = repeat ("]", 100000);
  g_autofree char *nots = repeat ("{\"not\":", 100000);
  g_autofree char *nots_end = repeat ("}", 100000);
  g_autofree char *objects = repeat ("{\"a\":", 100000);
  char *docs[] = {
    g_strconcat (opens, closes, NULL),
    g_strdup (opens),                                    /* never closed */
    g_strconcat (MINIMAL_HEAD "{\"id\":\"r\",\"category\":\"fit\",\"points\":5,"
                 "\"condition\":", nots, "{\"inactive_days\":3}", nots_end, "}"
                 MINIMAL_TAIL, NULL),
    g_strconcat ("{\"format\":1,\"name\":", objects, "1", NULL),
  };

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CpPlaybook) playbook = NULL;
      gint64 start = g_get_monotonic_time ();

      playbook = cp_playbook_format_parse (docs[i], -1, &error);
      g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
      g_assert_null (playbook);
      g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "The playbook cannot be read: lists and "
                                                       "objects nest more than 64 levels deep"));
      g_assert_nonnull (strstr (error->message, "Carepath reads at most 64 levels"));
      g_free (docs[i]);
    }

  /* Brackets in text are text: a name of 100,000 "[" is only a name. */
  {
    g_autofree char *doc = g_strconcat ("{\"format\":1,\"name\":\"", opens, "\","
                                        "\"stages\":[{\"id\":\"new\"},{\"id\":\"won\","
                                        "\"closed\":true}],\"scoring\":{\"rules\":["
                                        RULE ("{\"inactive_days\":3}") MINIMAL_TAIL, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(CpPlaybook) playbook = cp_playbook_format_parse (doc, -1, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (strlen (playbook->name), ==, 100000);
  }
}

/* Conditions nest at most CP_CONDITION_MAX_DEPTH levels, so that every
 * valid playbook serializes within the JSON depth limit and reads back. */
static void
test_condition_depth (void)
{
  const guint levels[] = { CP_CONDITION_MAX_DEPTH, CP_CONDITION_MAX_DEPTH + 1, 29, 40 };

  for (guint l = 0; l < G_N_ELEMENTS (levels); l++)
    {
      g_autofree char *alls = repeat ("{\"all\":[", levels[l] - 1);
      g_autofree char *alls_end = repeat ("]}", levels[l] - 1);
      g_autofree char *doc = g_strconcat (MINIMAL_HEAD "{\"id\":\"r\",\"category\":\"fit\","
                                          "\"points\":5,\"condition\":", alls,
                                          "{\"field\":\"urgency\",\"op\":\"in\","
                                          "\"value\":[\"high\"]}",
                                          alls_end, "}" MINIMAL_TAIL, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(CpPlaybook) playbook = cp_playbook_format_parse (doc, -1, &error);

      if (levels[l] <= CP_CONDITION_MAX_DEPTH)
        {
          g_autofree char *json = NULL;
          g_autofree char *json2 = NULL;
          g_autoptr(CpPlaybook) again = NULL;

          g_assert_no_error (error);
          json = cp_playbook_format_serialize (playbook);
          again = cp_playbook_format_parse (json, -1, &error);
          g_assert_no_error (error);
          json2 = cp_playbook_format_serialize (again);
          g_assert_cmpstr (json, ==, json2);
        }
      else if (levels[l] < 30)
        {
          g_assert_null (playbook);
          g_assert_cmpstr (error->message, ==, "scoring.rules[0].condition: conditions nest "
                                               "more than 24 levels deep");
        }
      else
        {
          g_assert_null (playbook);
          g_assert_true (g_str_has_prefix (error->message, "The playbook cannot be read: lists "
                                                           "and objects nest more than 64"));
        }
    }

  /* Built by code, not read from JSON: refused the same way. */
  {
    g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
    CpScoreRule *rule = g_ptr_array_index (playbook->scoring.rules, 2);
    g_autoptr(GError) error = NULL;

    for (guint i = 0; i < 1000; i++)
      rule->condition = cp_condition_new_not (rule->condition);
    g_assert_false (cp_playbook_validate (playbook, &error));
    g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==, "scoring.rules[2].condition: conditions nest more "
                                         "than 24 levels deep");
  }
}

/* json-glib wraps an integer beyond 64 bits (18446744073709551615 was
 * stored as -1 points): refused, naming the field and its range. */
static void
test_huge_numbers (void)
{
  static const struct
  {
    const char *json;
    const char *message;
  } cases[] = {
    { MINIMAL_HEAD "{\"id\":\"r\",\"category\":\"fit\",\"points\":18446744073709551615,"
      "\"condition\":{\"inactive_days\":3}}" MINIMAL_TAIL,
      "scoring.rules[0].points: the number is out of range (-100–100)" },
    { MINIMAL_HEAD "{\"id\":\"r\",\"category\":\"fit\",\"points\":-18446744073709551617,"
      "\"condition\":{\"inactive_days\":3}}" MINIMAL_TAIL,
      "scoring.rules[0].points: the number is out of range (-100–100)" },
    { MINIMAL_HEAD "{\"id\":\"r\",\"category\":\"fit\",\"points\":9223372036854775807,"
      "\"condition\":{\"inactive_days\":3}}" MINIMAL_TAIL,
      "scoring.rules[0].points: 9223372036854775807 is out of range (-100–100)" },
    { MINIMAL_HEAD "{\"id\":\"r\",\"category\":\"fit\",\"points\":1e400,"
      "\"condition\":{\"inactive_days\":3}}" MINIMAL_TAIL,
      "scoring.rules[0].points: the number is out of range (-100–100)" },
    { MINIMAL_HEAD RULE ("{\"inactive_days\":99999999999999999999999}") MINIMAL_TAIL,
      "scoring.rules[0].condition.inactive_days: the number is out of range (0–36500)" },
    { MINIMAL_HEAD RULE ("{\"field\":\"score\",\"op\":\"gt\",\"value\":18446744073709551615}")
      MINIMAL_TAIL, "scoring.rules[0].condition.value: the number is out of range" },
    { MINIMAL_HEAD RULE ("{\"field\":\"score\",\"op\":\"gt\",\"value\":-1e999}") MINIMAL_TAIL,
      "scoring.rules[0].condition.value: the number is out of range" },
    { "{\"format\":1,\"stages\":[{\"id\":\"new\",\"sla_hours\":18446744073709551620}]}",
      "stages[0].sla_hours: the number is out of range (0–8760)" },
    { "{\"format\":18446744073709551617}",
      "format: the number is out of range (1–2147483647)" },
    { "{\"format\":1,\"stages\":[{\"id\":\"new\"}],\"scoring\":{\"half_life_days\":1e309,"
      "\"rules\":[]}}", "scoring.half_life_days: the number is out of range" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_refused (cases[i].json, cases[i].message);

  /* A huge number in text is text. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CpPlaybook) playbook =
      cp_playbook_format_parse (MINIMAL_HEAD RULE ("{\"field\":\"notes\",\"op\":\"contains\","
                                                   "\"value\":\"18446744073709551615\"}")
                                MINIMAL_TAIL, -1, &error);

    g_assert_no_error (error);
    g_assert_nonnull (playbook);
  }
}

static JsonArray *
array_at (JsonNode   *root,
          const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = root;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *bracket = strchr (parts[i], '[');
      guint index = 0;

      if (bracket != NULL)
        {
          index = (guint) g_ascii_strtoull (bracket + 1, NULL, 10);
          *bracket = '\0';
        }
      node = json_object_get_member (json_node_get_object (node), parts[i]);
      if (bracket != NULL)
        node = json_array_get_element (json_node_get_array (node), index);
    }
  return json_node_get_array (node);
}

/* A second item with an id its list already has would be unreachable, and
 * made parse → serialize → parse unstable (found by libFuzzer). */
static void
test_duplicate_ids (void)
{
  static const struct
  {
    const char *list;
    const char *id_member;
    const char *before;
    const char *after;
  } cases[] = {
    { "stages", "id", "the stage “", "” is defined twice" },
    { "stages[0].templates", "id", "the template “", "” is defined twice in this stage" },
    { "scoring.rules", "id", "the rule “", "” is defined twice" },
    { "routing.queues", "id", "the queue “", "” is defined twice" },
    { "routing.rules", "id", "the routing rule “", "” is defined twice" },
    { "automation", "id", "the automation rule “", "” is defined twice" },
    { "closure_reasons", "id", "the closure reason “", "” is defined twice" },
    { "consent_rules", "id", "the consent rule “", "” is defined twice" },
    { "business_hours", "location", "the location “", "” has business hours twice" },
  };
  g_autoptr(GBytes) bytes = cp_playbook_format_default_json ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(CpPlaybook) playbook = NULL;
      g_autofree char *json = NULL;
      g_autofree char *expected = NULL;
      JsonArray *list;
      JsonNode *copy;
      const char *id;
      guint n;

      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                                 g_bytes_get_size (bytes), NULL));
      list = array_at (json_parser_get_root (parser), cases[i].list);
      n = json_array_get_length (list);
      g_assert_cmpuint (n, >, 0);
      /* The last item again (a deep copy), under the id of the first one. */
      {
        g_autofree char *text = json_to_string (json_array_get_element (list, n - 1), FALSE);

        copy = json_from_string (text, NULL);
      }
      id = json_object_get_string_member (json_array_get_object_element (list, 0),
                                          cases[i].id_member);
      json_object_set_string_member (json_node_get_object (copy), cases[i].id_member, id);
      json_array_add_element (list, copy);
      json_generator_set_root (generator, json_parser_get_root (parser));
      json = json_generator_to_data (generator, NULL);

      playbook = cp_playbook_format_parse (json, -1, &error);
      g_assert_null (playbook);
      g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
      expected = g_strdup_printf ("%s[%u].%s: %s%s%s", cases[i].list, n, cases[i].id_member,
                                  cases[i].before, id, cases[i].after);
      g_assert_cmpstr (error->message, ==, expected);
    }
}

/* Whatever parses serializes to JSON that parses to the same playbook and
 * serializes to the same bytes: at the edges of every range too. */
static void
test_round_trip_edges (void)
{
  const char *doc =
    "{\"format\":1,\"name\":\"Edges \\\"quoted\\\" \\\\ \\u00e9\\ud83d\\ude00\","
    "\"stages\":[{\"id\":\"new\",\"sla_hours\":8760,\"rotting_days\":3650,"
    "\"funnel_position\":1000,\"templates\":[{\"id\":\"a\",\"channel\":\"email\",\"body\":\"x\"},"
    "{\"id\":\"b\",\"channel\":\"email\",\"body\":\"y\"}]},{\"id\":\"won\",\"closed\":true}],"
    "\"scoring\":{\"half_life_days\":0.5,\"caps\":{\"fit\":0,\"intent\":100,\"readiness\":100},"
    "\"thresholds\":{\"nurture\":0,\"sales_ready\":100},\"account_boost\":{\"min_contacts\":10000,"
    "\"points_per_contact\":-100,\"max_points\":100},\"rules\":["
    "{\"id\":\"lo\",\"category\":\"fit\",\"points\":-100,"
    "\"stage_points\":{\"new\":100,\"won\":-100},"
    "\"condition\":{\"field\":\"score\",\"op\":\"gt\",\"value\":-9007199254740991}},"
    "{\"id\":\"hi\",\"category\":\"intent\",\"points\":100,\"decay\":true,"
    "\"condition\":{\"activity\":[\"call\"],\"min_count\":10000,\"within_days\":36500}}]},"
    "\"routing\":{\"queues\":[{\"id\":\"q\",\"owners\":[]}],\"fallback_queue\":\"q\"},"
    "\"closure_reasons\":[{\"id\":\"price\",\"outcome\":\"lost\"},{\"id\":\"booked\","
    "\"outcome\":\"won\"}],\"escalate_after_hours\":8760}";
  g_autoptr(GError) error = NULL;
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_parse (doc, -1, &error);
  g_autoptr(CpPlaybook) again = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;

  g_assert_no_error (error);
  json = cp_playbook_format_serialize (playbook);
  again = cp_playbook_format_parse (json, -1, &error);
  g_assert_no_error (error);
  changes = cp_playbook_diff (playbook, again);
  g_assert_cmpuint (changes->len, ==, 0);
  json2 = cp_playbook_format_serialize (again);
  g_assert_cmpstr (json, ==, json2);
  g_assert_cmpint (((CpScoreRule *) playbook->scoring.rules->pdata[0])->points, ==, -100);
  g_assert_cmpint (((CpScoreRule *) again->scoring.rules->pdata[1])->points, ==, 100);
}

/* Retention rules: opt-in, parse → serialize → parse stable, refused
 * with the field and the range when out of bounds. */
#define RETENTION_DOC(rules) \
  "{\"format\":1,\"stages\":[{\"id\":\"new\"},{\"id\":\"closed_lost\",\"closed\":true}]," \
  "\"scoring\":{\"rules\":[]},\"routing\":{\"queues\":[{\"id\":\"q\",\"owners\":[\"a\"]}]," \
  "\"fallback_queue\":\"q\"},\"retention\":[" rules "]}"

static void
test_retention (void)
{
  static const struct
  {
    const char *json;
    const char *message;
  } refused[] = {
    { RETENTION_DOC ("{\"id\":\"r\",\"stages\":[\"closed_lost\"],\"months_inactive\":0,"
                     "\"action\":\"erase\"}"),
      "retention[0].months_inactive: 0 is out of range (1–240)" },
    { RETENTION_DOC ("{\"id\":\"r\",\"stages\":[\"closed_lost\"],\"months_inactive\":241,"
                     "\"action\":\"erase\"}"),
      "retention[0].months_inactive: 241 is out of range (1–240)" },
    { RETENTION_DOC ("{\"id\":\"r\",\"stages\":[\"closed_lost\",\"lost\"],"
                     "\"months_inactive\":24,\"action\":\"erase\"}"),
      "retention[0].stages[1]: unknown stage “lost”" },
    { RETENTION_DOC ("{\"id\":\"r\",\"stages\":[],\"months_inactive\":24,\"action\":\"erase\"}"),
      "retention[0].stages: name at least one stage" },
    { RETENTION_DOC ("{\"id\":\"r\",\"stages\":[\"closed_lost\"],\"months_inactive\":24,"
                     "\"action\":\"archive\"}"),
      "retention[0].action: expected \"erase\"" },
    { RETENTION_DOC (
          "{\"id\":\"r\",\"stages\":[\"new\"],\"months_inactive\":24,\"action\":\"erase\"},"
          "{\"id\":\"r\",\"stages\":[\"closed_lost\"],\"months_inactive\":24,"
          "\"action\":\"erase\"}"),
      "retention[1].id: the retention rule “r” is defined twice" },
  };
  const char *doc =
      RETENTION_DOC ("{\"id\":\"lost_24m\",\"description\":\"Closed-lost, 2 years\","
                     "\"stages\":[\"closed_lost\"],\"months_inactive\":24,"
                     "\"action\":\"erase\"},{\"id\":\"edges\",\"stages\":[\"new\","
                     "\"closed_lost\"],\"months_inactive\":240,\"action\":\"erase\"}");
  g_autoptr(CpPlaybook) fallback = cp_playbook_format_load_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_parse (doc, -1, &error);
  g_autoptr(CpPlaybook) again = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  CpRetentionRule *rule;

  /* Opt-in: the default erases nothing. */
  g_assert_cmpuint (fallback->retention->len, ==, 0);

  g_assert_no_error (error);
  g_assert_cmpuint (playbook->retention->len, ==, 2);
  rule = playbook->retention->pdata[0];
  g_assert_cmpstr (rule->id, ==, "lost_24m");
  g_assert_cmpuint (rule->months_inactive, ==, 24);
  g_assert_cmpstr (rule->stages[0], ==, "closed_lost");
  g_assert_null (rule->stages[1]);
  g_assert_cmpstr (rule->action, ==, "erase");
  json = cp_playbook_format_serialize (playbook);
  again = cp_playbook_format_parse (json, -1, &error);
  g_assert_no_error (error);
  changes = cp_playbook_diff (playbook, again);
  g_assert_cmpuint (changes->len, ==, 0);
  json2 = cp_playbook_format_serialize (again);
  g_assert_cmpstr (json, ==, json2);

  /* A changed rule shows in the diff. */
  ((CpRetentionRule *) again->retention->pdata[0])->months_inactive = 36;
  g_clear_pointer (&changes, g_ptr_array_unref);
  changes = cp_playbook_diff (playbook, again);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpstr (((CpPlaybookChange *) changes->pdata[0])->section, ==, "retention rule");

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(CpPlaybook) bad = cp_playbook_format_parse (refused[i].json, -1, &local_error);

      g_assert_null (bad);
      g_assert_error (local_error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
      g_assert_cmpstr (local_error->message, ==, refused[i].message);
    }
}

/* An exported playbook is private like every export: 0600 under a
 * permissive umask, also over a file anyone could read. */
static void
test_save_file_private (void)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autofree char *dir = g_dir_make_tmp ("cp-playbook-XXXXXX", NULL);
  g_autofree char *fresh = g_build_filename (dir, "fresh.json", NULL);
  g_autofree char *existing = g_build_filename (dir, "existing.json", NULL);
  g_autoptr(GError) error = NULL;
  mode_t saved = umask (022);
  GStatBuf st;

  g_assert_true (g_file_set_contents (existing, "old", -1, NULL));
  g_assert_cmpint (g_chmod (existing, 0644), ==, 0);
  g_assert_true (cp_playbook_format_save_file (playbook, fresh, &error));
  g_assert_no_error (error);
  g_assert_true (cp_playbook_format_save_file (playbook, existing, &error));
  g_assert_no_error (error);
  umask (saved);

  g_assert_cmpint (g_stat (fresh, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (existing, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpuint (st.st_size, >, 3);
  {
    g_autoptr(CpPlaybook) back = cp_playbook_format_load_file (existing, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (back->stages->len, ==, playbook->stages->len);
  }

  /* A folder that does not exist: an error naming the file. */
  {
    g_autofree char *nowhere = g_build_filename (dir, "no", "such", "dir.json", NULL);

    g_assert_false (cp_playbook_format_save_file (playbook, nowhere, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, nowhere));
  }

  g_unlink (fresh);
  g_unlink (existing);
  g_rmdir (dir);
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
  g_test_add_func ("/playbook/record-tables", test_record_tables);
  g_test_add_func ("/playbook/operators", test_operators);
  g_test_add_func ("/playbook/render", test_render);
  g_test_add_func ("/playbook/transitions", test_transitions);
  g_test_add_func ("/playbook/automation", test_automation);
  g_test_add_func ("/playbook/diff", test_diff);
  g_test_add_func ("/playbook/hardening/deep-nesting", test_deep_nesting);
  g_test_add_func ("/playbook/hardening/condition-depth", test_condition_depth);
  g_test_add_func ("/playbook/hardening/huge-numbers", test_huge_numbers);
  g_test_add_func ("/playbook/hardening/duplicate-ids", test_duplicate_ids);
  g_test_add_func ("/playbook/hardening/round-trip-edges", test_round_trip_edges);
  g_test_add_func ("/playbook/hardening/save-file-private", test_save_file_private);
  g_test_add_func ("/playbook/retention", test_retention);

  return g_test_run ();
}
