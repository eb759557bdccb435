/* test-router.c — routing (round robin, fallback, consent) and SLAs in business hours
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cp-business-hours.h"
#include "cp-playbook-format.h"
#include "cp-router.h"

static gint64
utc (int y, int mo, int d, int h, int mi)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (y, mo, d, h, mi, 0);

  return g_date_time_to_unix (dt);
}

static void
route_lead (CpPlaybook     *playbook,
            CpLead         *lead,
            CpRouterState  *state,
            const char * const *unavailable,
            const char     *queue,
            const char     *owner,
            gboolean        fallback)
{
  CpLeadRecord record;
  CpConditionInput input = { 0, };
  g_autoptr(CpRoute) route = NULL;

  cp_lead_record_init (&record, lead);
  input.lead = &record;
  input.now = utc (2026, 3, 2, 12, 0);
  route = cp_router_route (playbook, &input, state, unavailable);
  g_assert_cmpstr (route->queue, ==, queue);
  g_assert_cmpstr (route->owner, ==, owner);
  g_assert_cmpint (route->fallback, ==, fallback);
  g_assert_nonnull (route->reason);
}

static void
test_round_robin (void)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(CpRouterState) state = cp_router_state_new ();
  g_autoptr(CpLead) lead = cp_lead_new ();
  static const char * const away[] = { "Tom Eriksen", NULL };
  static const char * const everyone_away[] = { "Priya Natarajan", "Tom Eriksen", "Grace Okafor",
                                                NULL };

  cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, "new");
  cp_lead_set_text (lead, CP_LEAD_FIELD_LEAD_TYPE, "b2b");
  route_lead (playbook, lead, state, NULL, "b2b_sales", "Priya Natarajan", FALSE);
  route_lead (playbook, lead, state, NULL, "b2b_sales", "Tom Eriksen", FALSE);
  route_lead (playbook, lead, state, NULL, "b2b_sales", "Grace Okafor", FALSE);
  route_lead (playbook, lead, state, NULL, "b2b_sales", "Priya Natarajan", FALSE);
  /* An unavailable owner is skipped; the turn moves on. */
  route_lead (playbook, lead, state, away, "b2b_sales", "Grace Okafor", FALSE);
  g_assert_cmpuint (cp_router_state_get (state, "b2b_sales"), ==, 0);
  g_assert_true (cp_router_state_is_dirty (state, "b2b_sales"));
  /* Nobody available: the fallback queue takes it. */
  route_lead (playbook, lead, state, everyone_away, "general_intake", "Intake team", TRUE);

  /* The state passes in and out: a new state picks up where it was. */
  {
    g_autoptr(CpRouterState) loaded = cp_router_state_new ();

    cp_router_state_set (loaded, "b2b_sales", 2);
    g_assert_false (cp_router_state_is_dirty (loaded, "b2b_sales"));
    route_lead (playbook, lead, loaded, NULL, "b2b_sales", "Grace Okafor", FALSE);
  }

  /* No rule matches: fallback */
  cp_lead_set_text (lead, CP_LEAD_FIELD_LEAD_TYPE, "patient");
  route_lead (playbook, lead, state, NULL, "general_intake", "Intake team", TRUE);
  cp_lead_set_text (lead, CP_LEAD_FIELD_LOCATION, "Brookfield");
  route_lead (playbook, lead, state, NULL, "northeast_intake", "Hannah Brooks", FALSE);
}

static void
test_consent_channels (void)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(CpLead) lead = cp_lead_new ();
  CpLeadRecord record;
  CpConditionInput input = { 0, };
  CpActivityRecord unsubscribe = { CP_ACTIVITY_KIND_UNSUBSCRIBE, 1000, NULL };

  input.lead = &record;
  input.now = 2000;
  cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, "new");
  cp_lead_record_init (&record, lead);
  {
    g_auto(GStrv) channels = cp_playbook_allowed_channels (playbook, "new", &input, NULL);
    g_autofree char *text = g_strjoinv (",", channels);

    g_assert_cmpstr (text, ==, "email,phone,sms");
  }
  cp_lead_set_text (lead, CP_LEAD_FIELD_CONSENT_CHANNEL, "phone");
  cp_lead_record_init (&record, lead);
  {
    g_auto(GStrv) channels = cp_playbook_allowed_channels (playbook, "new", &input, NULL);
    g_autofree char *text = g_strjoinv (",", channels);

    g_assert_cmpstr (text, ==, "phone");
  }
  cp_lead_set_text (lead, CP_LEAD_FIELD_CONSENT_CHANNEL, NULL);
  cp_lead_record_init (&record, lead);
  input.activities = &unsubscribe;
  input.n_activities = 1;
  {
    g_autoptr(GPtrArray) reasons = NULL;
    g_auto(GStrv) channels = cp_playbook_allowed_channels (playbook, "new", &input, &reasons);
    g_autofree char *text = g_strjoinv (",", channels);

    g_assert_cmpstr (text, ==, "phone,sms");
    g_assert_cmpuint (reasons->len, ==, 1);
  }
  cp_lead_set_int (lead, CP_LEAD_FIELD_DO_NOT_CONTACT, 1);
  cp_lead_record_init (&record, lead);
  {
    g_auto(GStrv) channels = cp_playbook_allowed_channels (playbook, "new", &input, NULL);

    g_assert_cmpuint (g_strv_length (channels), ==, 0);
  }
  cp_lead_set_int (lead, CP_LEAD_FIELD_DO_NOT_CONTACT, 0);
  cp_lead_set_text (lead, CP_LEAD_FIELD_CONSENT_STATUS, "withdrawn");
  cp_lead_record_init (&record, lead);
  {
    g_auto(GStrv) channels = cp_playbook_allowed_channels (playbook, "new", &input, NULL);

    g_assert_cmpuint (g_strv_length (channels), ==, 0);
  }
}

static CpBusinessHours *
chicago_hours (void)
{
  CpBusinessHours *hours = cp_business_hours_new ("Riverside");
  GDate date;
  guint32 julian;

  g_free (hours->timezone);
  hours->timezone = g_strdup ("America/Chicago");
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 10, 3, 2026);   /* a Tuesday holiday */
  julian = g_date_get_julian (&date);
  g_array_append_val (hours->holidays, julian);
  return hours;
}

static void
test_business_hours (void)
{
  g_autoptr(CpBusinessHours) hours = chicago_hours ();
  static const struct
  {
    int start[5];
    int hours;
    int due[5];
  } cases[] = {
    /* Within a day: Mon 2 March 2026 09:00 CST (15:00Z) + 4 h */
    { { 2026, 3, 2, 15, 0 }, 4, { 2026, 3, 2, 19, 0 } },
    /* Before opening: starts at 08:00 CST */
    { { 2026, 3, 2, 10, 0 }, 1, { 2026, 3, 2, 15, 0 } },
    /* Over the night */
    { { 2026, 3, 2, 22, 0 }, 2, { 2026, 3, 3, 15, 0 } },
    /* Friday 6 March 15:00 CST + 4 h: 2 h on Friday, the weekend and the DST
     * change (Sun 8 March) skipped, then 2 h on Monday 9 March from 08:00 CDT
     * (13:00Z) → 10:00 CDT = 15:00Z (not 16:00Z as a fixed offset would give) */
    { { 2026, 3, 6, 21, 0 }, 4, { 2026, 3, 9, 15, 0 } },
    /* Monday 9 March 16:00 CDT + 3 h: 1 h Monday, Tuesday is a holiday,
     * 2 h on Wednesday from 08:00 CDT → 10:00 CDT = 15:00Z */
    { { 2026, 3, 9, 21, 0 }, 3, { 2026, 3, 11, 15, 0 } },
    /* Friday 30 October 16:00 CDT + 4 h: 1 h on Friday, the clocks go back
     * on Sunday 1 November, 3 h on Monday from 08:00 CST (14:00Z) → 17:00Z */
    { { 2026, 10, 30, 21, 0 }, 4, { 2026, 11, 2, 17, 0 } },
    /* Sunday 23:30 CST (05:30Z Monday): the local day is still Sunday */
    { { 2026, 11, 9, 5, 30 }, 1, { 2026, 11, 9, 15, 0 } },
    /* Saturday: counts from Monday 08:00 */
    { { 2026, 3, 14, 15, 0 }, 9, { 2026, 3, 16, 22, 0 } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 start = utc (cases[i].start[0], cases[i].start[1], cases[i].start[2],
                          cases[i].start[3], cases[i].start[4]);
      gint64 due = utc (cases[i].due[0], cases[i].due[1], cases[i].due[2],
                        cases[i].due[3], cases[i].due[4]);
      g_autofree char *got = NULL;
      g_autofree char *want = NULL;
      g_autoptr(GDateTime) got_dt = g_date_time_new_from_unix_utc (
        cp_business_hours_add (hours, start, cases[i].hours * 3600));
      g_autoptr(GDateTime) want_dt = g_date_time_new_from_unix_utc (due);

      got = g_date_time_format_iso8601 (got_dt);
      want = g_date_time_format_iso8601 (want_dt);
      g_assert_cmpstr (got, ==, want);
    }
}

static void
test_sla (void)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(CpLead) lead = cp_lead_new ();
  CpLeadRecord record;
  gint64 due;

  cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, "new");     /* 4 h SLA */
  cp_lead_set_text (lead, CP_LEAD_FIELD_LOCATION, "Brookfield");   /* New York hours */
  cp_lead_record_init (&record, lead);
  due = cp_playbook_sla_due_at (playbook, &record, utc (2026, 3, 2, 20, 0));   /* 15:00 EST */
  g_assert_cmpint (due, ==, utc (2026, 3, 3, 15, 0));   /* 2 h + 2 h from 08:00 EST */

  cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, "closed_won");
  cp_lead_record_init (&record, lead);
  g_assert_cmpint (cp_playbook_sla_due_at (playbook, &record, 0), ==, 0);

  g_assert_cmpint (cp_sla_state (0, 0, 100, 8), ==, CP_SLA_NONE);
  g_assert_cmpint (cp_sla_state (10000, 0, 100, 8), ==, CP_SLA_ON_TRACK);
  g_assert_cmpint (cp_sla_state (10000, 0, 9000, 8), ==, CP_SLA_DUE_SOON);
  g_assert_cmpint (cp_sla_state (10000, 9000, 20000, 8), ==, CP_SLA_MET);
  g_assert_cmpint (cp_sla_state (10000, 12000, 20000, 8), ==, CP_SLA_BREACHED);
  g_assert_cmpint (cp_sla_state (10000, 0, 10001, 8), ==, CP_SLA_BREACHED);
  g_assert_cmpint (cp_sla_state (10000, 0, 10000 + 8 * 3600, 8), ==, CP_SLA_ESCALATED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/router/round-robin", test_round_robin);
  g_test_add_func ("/router/consent-channels", test_consent_channels);
  g_test_add_func ("/router/business-hours", test_business_hours);
  g_test_add_func ("/router/sla", test_sla);

  return g_test_run ();
}
