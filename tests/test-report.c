/* test-report.c — the funnel and the reports over a hand-computed fixture
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "cp-csv-reader.h"
#include "cp-report-private.h"
#include "cp-report.h"

#define DAY  86400
#define HOUR 3600
/* 2026-01-01 00:00 UTC, a Thursday; the tests run in UTC. */
#define T    G_GINT64_CONSTANT (1767225600)
/* Leads 1–3 are created on day 10, leads 4–6 on day 3. */
#define LATE  (T + 10 * DAY)
#define EARLY (T + 3 * DAY)
#define NOW  (T + 30 * DAY)

typedef struct
{
  CpReportData    *data;
  CpReportOptions *options;
} Fixture;

static void
add_lead (CpReportData *data,
          gint64        rowid,
          gint64        created,
          const char   *channel,
          const char   *queue,
          const char   *referral,
          const char   *tier,
          const char   *outcome,
          const char   *reason,
          const char   *location,
          const char   *appointment,
          const char   *stage,
          guint8        flags)
{
  CpReportLeadRow row = { 0 };

  row.created_at = created;
  row.flags = flags;
  row.attr[CP_REPORT_ATTR_SOURCE_CHANNEL] =
      cp_report_data_intern (data, CP_REPORT_ATTR_SOURCE_CHANNEL, channel);
  row.attr[CP_REPORT_ATTR_QUEUE] = cp_report_data_intern (data, CP_REPORT_ATTR_QUEUE, queue);
  row.attr[CP_REPORT_ATTR_REFERRAL_SOURCE] =
      cp_report_data_intern (data, CP_REPORT_ATTR_REFERRAL_SOURCE, referral);
  row.attr[CP_REPORT_ATTR_TIER] = cp_report_data_intern (data, CP_REPORT_ATTR_TIER, tier);
  row.attr[CP_REPORT_ATTR_CLOSURE_OUTCOME] =
      cp_report_data_intern (data, CP_REPORT_ATTR_CLOSURE_OUTCOME, outcome);
  row.attr[CP_REPORT_ATTR_CLOSURE_REASON] =
      cp_report_data_intern (data, CP_REPORT_ATTR_CLOSURE_REASON, reason);
  row.attr[CP_REPORT_ATTR_LOCATION] =
      cp_report_data_intern (data, CP_REPORT_ATTR_LOCATION, location);
  row.attr[CP_REPORT_ATTR_APPOINTMENT_STAGE] =
      cp_report_data_intern (data, CP_REPORT_ATTR_APPOINTMENT_STAGE, appointment);
  row.attr[CP_REPORT_ATTR_STAGE] = cp_report_data_intern (data, CP_REPORT_ATTR_STAGE, stage);
  cp_report_data_set_lead (data, rowid, &row);
}

/* Events as "stage@day" pairs from the lead's creation. */
static void
add_events (CpReportData *data,
            gint64        rowid,
            gint64        base,
            const char   *events)
{
  g_auto(GStrv) parts = g_strsplit (events, " ", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (parts[i], "@", 2);
      double day = g_ascii_strtod (pair[1], NULL);

      g_assert_true (cp_report_data_add_event (data, rowid, pair[0], base + (gint64) (day * DAY)));
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  static const char * const stages[] = { "new", "engaged", "qualified", "proposal",
                                         "won", "lost",    NULL };
  static const char * const titles[] = { "New", "Engaged", "Qualified", "Proposal",
                                         "Won", "Lost",    NULL };
  static const char * const closed[] = { "won", "lost", NULL };
  CpReportData *data = cp_report_data_new ();
  CpReportLeadRow *row;

  /* L1 goes straight through; L2 skips engaged and is lost; L3 moves back
   * to new and comes forward again; L4 is lost, then reopened; L5 stays
   * new; L6 was imported straight into qualified. */
  add_lead (data, 1, LATE, "web", "intake", "Dr. Smith", "sales_ready", "won", NULL,
            "north", "completed_intake", "won", 0);
  add_lead (data, 2, LATE, "web", "intake", "Dr. Smith", "nurture", "lost", "price",
            "north", "no_show", "lost", CP_REPORT_LEAD_POSSIBLE_DUPLICATE);
  add_lead (data, 3, LATE, "web", "intake", NULL, "sales_ready", NULL, NULL,
            "south", "none", "qualified", 0);
  add_lead (data, 4, EARLY, "event", "b2b", NULL, NULL, NULL, NULL,
            "south", "no_show", "qualified", 0);
  add_lead (data, 5, EARLY, "event", NULL, NULL, NULL, NULL, NULL,
            NULL, NULL, "new", CP_REPORT_LEAD_MISSING_REQUIRED);
  add_lead (data, 6, EARLY, NULL, NULL, "Clinic A", NULL, NULL, NULL,
            NULL, NULL, "proposal", 0);
  /* A tombstoned lead counts nowhere. */
  add_lead (data, 7, LATE, "web", "intake", "Dr. Smith", "sales_ready", "won", NULL,
            "north", "no_show", "won", CP_REPORT_LEAD_DELETED);

  /* Events added out of time order must still be read in time order. */
  add_events (data, 1, LATE, "engaged@1 new@0 qualified@3 proposal@6 won@10");
  add_events (data, 2, LATE, "new@0 qualified@2 lost@5");
  add_events (data, 3, LATE, "new@0 engaged@2 new@4 engaged@5 qualified@8");
  add_events (data, 4, EARLY, "new@0 engaged@1 lost@2 engaged@10 qualified@12");
  add_events (data, 5, EARLY, "new@0");
  add_events (data, 6, EARLY, "qualified@0 proposal@3");
  add_events (data, 7, LATE, "new@0 engaged@1 qualified@2 proposal@3 won@4");

  /* Response SLAs: L1 answered in 30 min (on time), L2 in 2 h (late), L3
   * not yet due, L4 overdue without an answer. */
  row = (CpReportLeadRow *) cp_report_data_get_lead (data, 0);
  row->sla_due_at = LATE + HOUR;
  row->first_response_at = LATE + HOUR / 2;
  row = (CpReportLeadRow *) cp_report_data_get_lead (data, 1);
  row->sla_due_at = LATE + HOUR;
  row->first_response_at = LATE + 2 * HOUR;
  row = (CpReportLeadRow *) cp_report_data_get_lead (data, 2);
  row->sla_due_at = NOW + HOUR;
  row = (CpReportLeadRow *) cp_report_data_get_lead (data, 3);
  row->sla_due_at = EARLY + HOUR;

  fixture->data = data;
  fixture->options = cp_report_options_new ();
  fixture->options->stages = g_strdupv ((char **) stages);
  fixture->options->stage_titles = g_strdupv ((char **) titles);
  fixture->options->closed_stages = g_strdupv ((char **) closed);
  fixture->options->now = NOW;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  cp_report_data_free (fixture->data);
  cp_report_options_free (fixture->options);
}

static double
value (const CpReport *report,
       const char     *key,
       const char     *column)
{
  const CpReportRow *row = cp_report_find_row (report, key);
  int c = cp_report_find_column (report, column);

  g_assert_nonnull (row);
  g_assert_cmpint (c, >=, 0);

  return row->values[c];
}

static double
previous (const CpReport *report,
          const char     *key,
          const char     *column)
{
  const CpReportRow *row = cp_report_find_row (report, key);
  int c = cp_report_find_column (report, column);

  g_assert_nonnull (row);
  g_assert_nonnull (row->previous);
  g_assert_cmpint (c, >=, 0);

  return row->previous[c];
}

#define assert_value(report, key, column, expected) \
  g_assert_cmpfloat_with_epsilon (value (report, key, column), expected, 1e-9)
#define assert_nan(report, key, column) \
  g_assert_true (isnan (value (report, key, column)))

static void
test_funnel_ordered (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(CpReport) report =
      cp_report_compute (fixture->data, CP_REPORT_FUNNEL, fixture->options);
  const char *order[] = { "new", "engaged", "qualified", "proposal", "won" };

  /* The default funnel: the open stages, then the first closed one. */
  g_assert_cmpuint (report->rows->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpstr (((CpReportRow *) g_ptr_array_index (report->rows, i))->key, ==, order[i]);
  g_assert_cmpstr (((CpReportRow *) g_ptr_array_index (report->rows, 1))->label, ==, "Engaged");
  g_assert_cmpuint (report->n_leads, ==, 6);

  /* L6 never entered new: in order, it counts nowhere. L2 skipped engaged. */
  assert_value (report, "new", "count", 5);
  assert_value (report, "engaged", "count", 3);
  assert_value (report, "qualified", "count", 3);
  assert_value (report, "proposal", "count", 1);
  assert_value (report, "won", "count", 1);

  assert_value (report, "new", "conversion_to_next", 3.0 / 5);
  assert_value (report, "engaged", "conversion_to_next", 1.0);
  assert_value (report, "qualified", "conversion_to_next", 1.0 / 3);
  assert_value (report, "proposal", "conversion_to_next", 1.0);
  assert_nan (report, "won", "conversion_to_next");

  assert_value (report, "new", "cumulative", 1.0);
  assert_value (report, "engaged", "cumulative", 0.6);
  assert_value (report, "qualified", "cumulative", 0.6);
  assert_value (report, "proposal", "cumulative", 0.2);
  assert_value (report, "won", "cumulative", 0.2);

  assert_value (report, "new", "drop_off", 2);
  assert_value (report, "engaged", "drop_off", 0);
  assert_value (report, "qualified", "drop_off", 2);
  assert_nan (report, "won", "drop_off");

  /* Stays add up: L3 was in new twice (2 + 1 days); L5 is still there
   * (27 days to now). new {1, 2, 3, 1, 27}; engaged {2, 5, 3};
   * qualified {3, 12, 15}; proposal {4}; a closed stage has none. */
  assert_value (report, "new", "median_days_in_stage", 2);
  assert_value (report, "engaged", "median_days_in_stage", 3);
  assert_value (report, "qualified", "median_days_in_stage", 12);
  assert_value (report, "proposal", "median_days_in_stage", 4);
  assert_nan (report, "won", "median_days_in_stage");
}

static void
test_funnel_any (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(CpReport) report = NULL;

  fixture->options->mode = CP_FUNNEL_ANY;
  report = cp_report_compute (fixture->data, CP_REPORT_FUNNEL, fixture->options);

  assert_value (report, "new", "count", 5);
  assert_value (report, "engaged", "count", 3);
  /* L2 (skipped engaged) and L6 (imported) count in qualified too; the
   * reopened L4 counts once in engaged. */
  assert_value (report, "qualified", "count", 5);
  assert_value (report, "proposal", "count", 2);
  assert_value (report, "won", "count", 1);

  assert_value (report, "new", "conversion_to_next", 3.0 / 5);
  assert_value (report, "engaged", "conversion_to_next", 1.0);
  assert_value (report, "qualified", "conversion_to_next", 2.0 / 5);
  assert_value (report, "proposal", "conversion_to_next", 0.5);

  /* Cumulative: leads of the first stage that reached this one (L6 never
   * was in new). */
  assert_value (report, "qualified", "cumulative", 0.8);
  assert_value (report, "proposal", "cumulative", 0.2);
  assert_value (report, "qualified", "drop_off", 3);
  assert_value (report, "proposal", "drop_off", 1);

  /* qualified {3, 3, 12, 15, 3}; proposal {4, 24}. */
  assert_value (report, "qualified", "median_days_in_stage", 3);
  assert_value (report, "proposal", "median_days_in_stage", 14);
}

static void
test_funnel_empty_and_custom_stages (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  static const char * const funnel[] = { "new", "nurture", "qualified", NULL };
  g_autoptr(CpReport) report = NULL;
  g_autoptr(CpReportData) empty = cp_report_data_new ();
  g_autoptr(CpReport) nothing = NULL;

  /* A stage no lead was ever in: zero, and in order nobody gets past it. */
  fixture->options->funnel_stages = g_strdupv ((char **) funnel);
  report = cp_report_compute (fixture->data, CP_REPORT_FUNNEL, fixture->options);
  g_assert_cmpuint (report->rows->len, ==, 3);
  assert_value (report, "new", "count", 5);
  assert_value (report, "new", "conversion_to_next", 0);
  assert_value (report, "nurture", "count", 0);
  assert_nan (report, "nurture", "conversion_to_next");
  assert_nan (report, "nurture", "median_days_in_stage");
  assert_value (report, "qualified", "count", 0);

  /* The default funnel leaves the reactivation loop out and ends with the
   * first closed stage. */
  {
    static const char * const stages[] = { "new", "reactivation", "won", "lost", NULL };
    static const char * const closed[] = { "won", "lost", NULL };
    g_autoptr(CpReportOptions) options = cp_report_options_new ();
    g_auto(GStrv) ids = NULL;

    options->stages = g_strdupv ((char **) stages);
    options->closed_stages = g_strdupv ((char **) closed);
    ids = cp_report_default_funnel_stages (options);
    g_assert_cmpuint (g_strv_length (ids), ==, 2);
    g_assert_cmpstr (ids[0], ==, "new");
    g_assert_cmpstr (ids[1], ==, "won");
  }

  /* No leads at all: every stage is there, with zeros. */
  nothing = cp_report_compute (empty, CP_REPORT_FUNNEL, fixture->options);
  g_assert_cmpuint (nothing->rows->len, ==, 3);
  assert_value (nothing, "new", "count", 0);
  assert_nan (nothing, "new", "cumulative");

  /* A stage named twice is one step of the funnel, where first named. */
  {
    static const char * const twice[] = { "new", "engaged", "new", NULL };
    g_autoptr(CpReport) repeated = NULL;

    g_strfreev (fixture->options->funnel_stages);
    fixture->options->funnel_stages = g_strdupv ((char **) twice);
    repeated = cp_report_compute (fixture->data, CP_REPORT_FUNNEL, fixture->options);
    g_assert_cmpuint (repeated->rows->len, ==, 2);
    assert_value (repeated, "new", "count", 5);
    assert_value (repeated, "new", "conversion_to_next", 3.0 / 5);
    assert_value (repeated, "new", "drop_off", 2);
    assert_value (repeated, "engaged", "count", 3);
    assert_value (repeated, "engaged", "cumulative", 0.6);
    assert_nan (repeated, "engaged", "conversion_to_next");
  }
}

static void
test_filters (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(CpReport) web = NULL;
  g_autoptr(CpReport) unknown = NULL;
  g_autoptr(CpReport) created = NULL;
  g_autoptr(CpReport) entered = NULL;

  fixture->options->source_channel = g_strdup ("web");
  web = cp_report_compute (fixture->data, CP_REPORT_FUNNEL, fixture->options);
  g_assert_cmpuint (web->n_leads, ==, 3);
  assert_value (web, "new", "count", 3);
  assert_value (web, "engaged", "count", 2);
  assert_value (web, "won", "count", 1);

  /* A value no lead has matches nothing (not everything). */
  g_free (fixture->options->source_channel);
  fixture->options->source_channel = g_strdup ("fax");
  unknown = cp_report_compute (fixture->data, CP_REPORT_FUNNEL, fixture->options);
  g_assert_cmpuint (unknown->n_leads, ==, 0);
  assert_value (unknown, "new", "count", 0);
  g_clear_pointer (&fixture->options->source_channel, g_free);

  /* Created in days 0–13: everybody; entered the first stage then: not
   * L6, which never was in new. */
  fixture->options->from = T;
  fixture->options->to = T + 14 * DAY;
  created = cp_report_compute (fixture->data, CP_REPORT_FUNNEL, fixture->options);
  g_assert_cmpuint (created->n_leads, ==, 6);
  fixture->options->date_basis = CP_REPORT_DATE_ENTERED_FIRST;
  entered = cp_report_compute (fixture->data, CP_REPORT_FUNNEL, fixture->options);
  g_assert_cmpuint (entered->n_leads, ==, 5);

  /* The end of the range is exclusive. */
  fixture->options->date_basis = CP_REPORT_DATE_CREATED;
  fixture->options->to = LATE;
  {
    g_autoptr(CpReport) before =
        cp_report_compute (fixture->data, CP_REPORT_FUNNEL, fixture->options);
    g_assert_cmpuint (before->n_leads, ==, 3);
  }
}

static void
test_period_comparison (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(CpReport) report = NULL;
  g_autofree char *csv = NULL;

  fixture->options->from = T + 7 * DAY;
  fixture->options->to = T + 14 * DAY;
  fixture->options->compare = TRUE;
  report = cp_report_compute (fixture->data, CP_REPORT_FUNNEL, fixture->options);

  g_assert_true (report->compared);
  g_assert_cmpint (report->previous_from, ==, T);
  g_assert_cmpint (report->previous_to, ==, T + 7 * DAY);
  g_assert_cmpuint (report->n_leads, ==, 3);
  g_assert_cmpuint (report->previous_n_leads, ==, 3);
  /* This week L1–L3; the week before L4–L6. */
  assert_value (report, "new", "count", 3);
  g_assert_cmpfloat (previous (report, "new", "count"), ==, 2);
  assert_value (report, "engaged", "count", 2);
  g_assert_cmpfloat (previous (report, "engaged", "count"), ==, 1);
  assert_value (report, "proposal", "count", 1);
  g_assert_cmpfloat (previous (report, "proposal", "count"), ==, 0);

  /* The CSV carries each figure, its previous value and the change. */
  csv = cp_report_to_csv (report);
  g_assert_nonnull (strstr (csv, "stage,label,count,previous_count,change_count,"));
  g_assert_nonnull (strstr (csv, "\r\nnew,New,3,2,1,"));

  /* Without a start there is no previous period to compare with. */
  fixture->options->from = 0;
  {
    g_autoptr(CpReport) open =
        cp_report_compute (fixture->data, CP_REPORT_FUNNEL, fixture->options);
    g_assert_false (open->compared);
    g_assert_null (((CpReportRow *) g_ptr_array_index (open->rows, 0))->previous);
  }
}

static void
test_collect_leads (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GArray) qualified = NULL;
  g_autoptr(GArray) any = NULL;
  g_autoptr(GArray) none = NULL;
  g_autoptr(GArray) sla = NULL;

  qualified =
      cp_report_collect_leads (fixture->data, CP_REPORT_FUNNEL, fixture->options, "qualified");
  g_assert_cmpuint (qualified->len, ==, 3);
  g_assert_cmpint (g_array_index (qualified, gint64, 0), ==, 1);
  g_assert_cmpint (g_array_index (qualified, gint64, 1), ==, 3);
  g_assert_cmpint (g_array_index (qualified, gint64, 2), ==, 4);

  fixture->options->mode = CP_FUNNEL_ANY;
  any = cp_report_collect_leads (fixture->data, CP_REPORT_FUNNEL, fixture->options, "qualified");
  g_assert_cmpuint (any->len, ==, 5);

  none =
      cp_report_collect_leads (fixture->data, CP_REPORT_FUNNEL, fixture->options, "no-such-stage");
  g_assert_cmpuint (none->len, ==, 0);

  sla = cp_report_collect_leads (fixture->data, CP_REPORT_SLA, fixture->options, "b2b");
  g_assert_cmpuint (sla->len, ==, 1);
  g_assert_cmpint (g_array_index (sla, gint64, 0), ==, 4);
}

static void
test_other_reports (Fixture       *fixture,
                    gconstpointer  user_data)
{
  static const char * const queues[] = { "intake", NULL };
  static const char * const queue_titles[] = { "Intake team", NULL };
  g_autoptr(CpReport) sla = NULL;
  g_autoptr(CpReport) closures =
      cp_report_compute (fixture->data, CP_REPORT_CLOSURES, fixture->options);
  g_autoptr(CpReport) sources =
      cp_report_compute (fixture->data, CP_REPORT_SOURCES, fixture->options);
  g_autoptr(CpReport) no_shows =
      cp_report_compute (fixture->data, CP_REPORT_NO_SHOWS, fixture->options);
  g_autoptr(CpReport) tiers = cp_report_compute (fixture->data, CP_REPORT_TIERS, fixture->options);
  g_autoptr(CpReport) quality =
      cp_report_compute (fixture->data, CP_REPORT_QUALITY, fixture->options);

  /* Queues read by their playbook titles; an unknown one by its id. */
  fixture->options->queues = g_strdupv ((char **) queues);
  fixture->options->queue_titles = g_strdupv ((char **) queue_titles);
  sla = cp_report_compute (fixture->data, CP_REPORT_SLA, fixture->options);
  g_assert_cmpstr (cp_report_find_row (sla, "intake")->label, ==, "Intake team");
  g_assert_cmpstr (cp_report_find_row (sla, "b2b")->label, ==, "B2B");

  /* SLA: intake has one on time, one late, one pending. */
  assert_value (sla, "intake", "leads", 3);
  assert_value (sla, "intake", "on_time", 1);
  assert_value (sla, "intake", "breached", 1);
  assert_value (sla, "intake", "pending", 1);
  assert_value (sla, "intake", "compliance", 0.5);
  assert_value (sla, "intake", "median_first_response_hours", 1.25);
  assert_value (sla, "b2b", "breached", 1);
  assert_value (sla, "b2b", "compliance", 0);
  assert_nan (sla, "b2b", "median_first_response_hours");
  g_assert_cmpstr (((CpReportRow *) g_ptr_array_index (sla->rows, 0))->key, ==, "intake");

  /* Closures: a won lead without a reason, a lost one for price. */
  g_assert_cmpuint (closures->rows->len, ==, 2);
  assert_value (closures, "won/", "leads", 1);
  assert_value (closures, "lost/price", "share", 0.5);
  g_assert_cmpstr (cp_report_find_row (closures, "lost/price")->label, ==, "Lost · Price");

  /* Sources: L2 reached qualified though it was lost later. */
  assert_value (sources, "Dr. Smith", "leads", 2);
  assert_value (sources, "Dr. Smith", "qualified", 2);
  assert_value (sources, "Dr. Smith", "won", 1);
  assert_value (sources, "Dr. Smith", "win_rate", 0.5);
  assert_value (sources, "Clinic A", "qualified_rate", 1.0);
  assert_value (sources, "Clinic A", "won", 0);

  /* No-shows: "none" is no appointment. */
  assert_value (no_shows, "north", "appointments", 2);
  assert_value (no_shows, "north", "no_show_rate", 0.5);
  assert_value (no_shows, "south", "appointments", 1);
  assert_value (no_shows, "south", "no_show_rate", 1.0);

  /* Tiers, best first, including a tier no lead has. */
  g_assert_cmpstr (((CpReportRow *) g_ptr_array_index (tiers->rows, 0))->key, ==, "sales_ready");
  assert_value (tiers, "sales_ready", "leads", 2);
  assert_value (tiers, "sales_ready", "won", 1);
  assert_value (tiers, "sales_ready", "open", 1);
  assert_value (tiers, "sales_ready", "win_rate", 1.0);
  assert_value (tiers, "nurture", "win_rate", 0.0);
  assert_value (tiers, "unqualified", "leads", 0);
  assert_nan (tiers, "unqualified", "win_rate");
  assert_value (tiers, "none", "open", 3);

  assert_value (quality, "missing_required", "leads", 1);
  assert_value (quality, "possible_duplicate", "leads", 1);
  assert_value (quality, "no_source", "leads", 1);
  assert_value (quality, "no_source", "share", 1.0 / 6);
}

/* Reactivation, listed after qualified in the playbook, is a loop back
 * for lost leads: reaching it does not make a referral qualified. */
static void
test_sources_reactivated (void)
{
  static const char * const stages[] = { "new", "qualified", "reactivation", "won", "lost", NULL };
  static const char * const path[] = { "new", "qualified", "won", NULL };
  static const char * const closed[] = { "won", "lost", NULL };
  g_autoptr(CpReportData) data = cp_report_data_new ();
  g_autoptr(CpReportOptions) options = cp_report_options_new ();
  g_autoptr(CpReport) sources = NULL;

  add_lead (data, 1, EARLY, "web", NULL, "Dr. Smith", NULL, "lost", "price", NULL, NULL,
            "reactivation", 0);
  add_events (data, 1, EARLY, "new@0 lost@2 reactivation@9");
  add_lead (data, 2, EARLY, "web", NULL, "Dr. Smith", NULL, NULL, NULL, NULL, NULL,
            "qualified", 0);
  add_events (data, 2, EARLY, "new@0 qualified@1");
  options->stages = g_strdupv ((char **) stages);
  options->closed_stages = g_strdupv ((char **) closed);
  options->path_stages = g_strdupv ((char **) path);
  options->now = NOW;

  sources = cp_report_compute (data, CP_REPORT_SOURCES, options);
  assert_value (sources, "Dr. Smith", "leads", 2);
  assert_value (sources, "Dr. Smith", "qualified", 1);
  assert_value (sources, "Dr. Smith", "qualified_rate", 0.5);
}

static void
test_channels_over_time (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(CpReport) report = NULL;
  g_autoptr(CpReport) monthly = NULL;

  /* Two weeks and a day: weekly periods from the Monday before. */
  fixture->options->from = T;
  fixture->options->to = T + 14 * DAY;
  report = cp_report_compute (fixture->data, CP_REPORT_CHANNELS, fixture->options);
  g_assert_cmpuint (report->rows->len, ==, 3);
  g_assert_cmpstr (((CpReportRow *) g_ptr_array_index (report->rows, 0))->key, ==, "2025-12-29");
  g_assert_cmpstr (((CpReportRow *) g_ptr_array_index (report->rows, 2))->key, ==, "2026-01-12");
  /* Channels are columns, busiest first; leads without one are "unknown". */
  g_assert_cmpint (cp_report_find_column (report, "web"), ==, 1);
  g_assert_cmpint (cp_report_find_column (report, "event"), ==, 2);
  g_assert_cmpint (cp_report_find_column (report, "unknown"), ==, 3);
  g_assert_cmpuint (report->series_from, ==, 1);
  assert_value (report, "2025-12-29", "total", 3);
  assert_value (report, "2025-12-29", "event", 2);
  assert_value (report, "2025-12-29", "unknown", 1);
  assert_value (report, "2026-01-05", "web", 3);
  assert_value (report, "2026-01-12", "total", 0);

  /* Over three months: by month. */
  fixture->options->to = T + 120 * DAY;
  monthly = cp_report_compute (fixture->data, CP_REPORT_CHANNELS, fixture->options);
  g_assert_cmpuint (monthly->rows->len, ==, 4);
  assert_value (monthly, "2026-01-01", "total", 6);
}

static void
test_csv_round_trip (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(CpReport) report =
      cp_report_compute (fixture->data, CP_REPORT_FUNNEL, fixture->options);
  g_autofree char *csv = cp_report_to_csv (report);
  g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_data (csv, strlen (csv));
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GError) error = NULL;

  header = cp_csv_reader_next (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (header->len, ==, 2 + report->columns->len);
  g_assert_cmpstr (g_ptr_array_index (header, 0), ==, "stage");

  for (guint r = 0; r < report->rows->len; r++)
    {
      const CpReportRow *row = g_ptr_array_index (report->rows, r);
      g_autoptr(GPtrArray) cells = cp_csv_reader_next (reader, &error);

      g_assert_no_error (error);
      g_assert_nonnull (cells);
      g_assert_cmpstr (g_ptr_array_index (cells, 0), ==, row->key);
      g_assert_cmpstr (g_ptr_array_index (cells, 1), ==, row->label);
      for (guint c = 0; c < report->columns->len; c++)
        {
          const char *cell = g_ptr_array_index (cells, 2 + c);

          if (isnan (row->values[c]))
            g_assert_cmpstr (cell, ==, "");
          else
            g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cell, NULL), row->values[c], 1e-6);
        }
    }
  g_assert_null (cp_csv_reader_next (reader, &error));
  g_assert_no_error (error);
}

static void
test_formatting (void)
{
  g_autofree char *count = cp_report_format_value (CP_REPORT_VALUE_COUNT, 1234);
  g_autofree char *ratio = cp_report_format_value (CP_REPORT_VALUE_RATIO, 0.615);
  g_autofree char *days = cp_report_format_value (CP_REPORT_VALUE_DAYS, 3.25);
  g_autofree char *missing = cp_report_format_value (CP_REPORT_VALUE_HOURS, NAN);
  CpReportKind kind;

  g_assert_cmpstr (count, ==, "1234");
  g_assert_cmpstr (ratio, ==, "61.5 %");
  g_assert_cmpstr (days, ==, "3.2 days");
  g_assert_cmpstr (missing, ==, "—");

  for (guint i = 0; i < CP_REPORT_N_KINDS; i++)
    {
      g_assert_true (cp_report_kind_from_id (cp_report_kind_to_id (i), &kind));
      g_assert_cmpint (kind, ==, i);
      g_assert_cmpstr (cp_report_kind_explain (i), !=, "");
    }
  g_assert_false (cp_report_kind_from_id ("pie", &kind));
  g_assert_false (cp_report_kind_from_id (NULL, &kind));
}

static void
test_data_updates (void)
{
  g_autoptr(CpReportData) data = cp_report_data_new ();
  CpReportLeadRow row = { 0 };
  const CpReportEvent *events;
  guint n;

  /* Leads arriving out of rowid order, events before and after. */
  row.created_at = 1;
  cp_report_data_set_lead (data, 10, &row);
  cp_report_data_set_lead (data, 30, &row);
  g_assert_true (cp_report_data_add_event (data, 30, "b", 5));
  g_assert_true (cp_report_data_add_event (data, 10, "a", 7));
  events = cp_report_data_get_events (data, 1, &n);
  g_assert_cmpuint (n, ==, 1);
  row.created_at = 2;
  cp_report_data_set_lead (data, 20, &row);
  g_assert_true (cp_report_data_add_event (data, 20, "c", 1));
  g_assert_true (cp_report_data_add_event (data, 30, "a", 3));
  g_assert_false (cp_report_data_add_event (data, 99, "a", 3));

  g_assert_cmpuint (cp_report_data_get_n_leads (data), ==, 3);
  g_assert_cmpint (cp_report_data_get_rowid (data, 1), ==, 20);
  events = cp_report_data_get_events (data, 0, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (cp_report_data_value (data, CP_REPORT_ATTR_STAGE, events[0].stage), ==, "a");
  events = cp_report_data_get_events (data, 1, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (events[0].time, ==, 1);
  events = cp_report_data_get_events (data, 2, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (events[0].time, ==, 3);
  g_assert_cmpint (events[1].time, ==, 5);
  g_assert_cmpint (cp_report_data_get_lead (data, 1)->created_at, ==, 2);

  /* Replacing a lead keeps its events. */
  row.created_at = 9;
  cp_report_data_set_lead (data, 30, &row);
  events = cp_report_data_get_events (data, 2, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (cp_report_data_get_lead (data, 2)->created_at, ==, 9);

  g_assert_cmpuint (cp_report_data_intern (data, CP_REPORT_ATTR_OWNER, ""), ==, 0);
  g_assert_cmpuint (cp_report_data_intern (data, CP_REPORT_ATTR_OWNER, NULL), ==, 0);
  g_assert_cmpuint (cp_report_data_lookup (data, CP_REPORT_ATTR_OWNER, "nobody"), ==, 0);
  g_assert_null (cp_report_data_value (data, CP_REPORT_ATTR_OWNER, 500));
  cp_report_data_set_mark (data, "events", 42);
  g_assert_cmpint (cp_report_data_get_mark (data, "events"), ==, 42);
  g_assert_cmpint (cp_report_data_get_mark (data, "leads"), ==, 0);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The median of many values (found bucket by bucket) is the sorted one:
 * odd and even counts, negatives, many equal values, all equal. */
static void
test_median_many (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  const gsize sizes[] = { 1, 2, 257, 1000, 4096, 100001 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint variant = 0; variant < 4; variant++)
      {
        gsize n = sizes[s];
        g_autofree double *values = g_new (double, n);
        g_autofree double *sorted = NULL;
        double expected;

        for (gsize i = 0; i < n; i++)
          switch (variant)
            {
            case 0:
              values[i] = g_rand_double_range (rand, 0, 400);
              break;
            case 1:
              values[i] = g_rand_double_range (rand, -50, 50);
              break;
            case 2:
              values[i] = g_rand_int_range (rand, 0, 5) / 2.0;
              break;
            default:
              values[i] = 3.25;
              break;
            }
        sorted = g_memdup2 (values, n * sizeof (double));
        qsort (sorted, n, sizeof (double), compare_doubles);
        expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        g_assert_cmpfloat (_cp_report_median (values, n), ==, expected);
      }
  g_assert_true (isnan (_cp_report_median (NULL, 0)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/report/funnel/ordered", test_funnel_ordered);
  ADD ("/report/funnel/any", test_funnel_any);
  ADD ("/report/funnel/empty-and-custom-stages", test_funnel_empty_and_custom_stages);
  ADD ("/report/filters", test_filters);
  ADD ("/report/period-comparison", test_period_comparison);
  ADD ("/report/collect-leads", test_collect_leads);
  ADD ("/report/others", test_other_reports);
  ADD ("/report/channels", test_channels_over_time);
  ADD ("/report/csv-round-trip", test_csv_round_trip);
#undef ADD
  g_test_add_func ("/report/formatting", test_formatting);
  g_test_add_func ("/report/data-updates", test_data_updates);
  g_test_add_func ("/report/median-many", test_median_many);
  g_test_add_func ("/report/sources-reactivated", test_sources_reactivated);

  return g_test_run ();
}
