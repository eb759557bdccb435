/* test-lead-format.c — how values, times, SLAs and history read to people
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cp-datetime.h"
#include "cp-lead-format.h"
#include "cp-stages.h"

static void
test_value_labels (void)
{
  g_assert_cmpstr (cp_value_label ("active_evaluation"), ==, "Active evaluation");
  g_assert_cmpstr (cp_value_label ("womens_health"), ==, "Women’s health");
  g_assert_cmpstr (cp_value_label ("sales_ready"), ==, "Sales-ready");
  /* Unknown ids (a playbook's own stage) read as they are. */
  g_assert_cmpstr (cp_value_label ("vip_concierge"), ==, "vip_concierge");
  g_assert_null (cp_value_label (NULL));
}

static void
test_relative_times (void)
{
  gint64 now = 1800000000;
  struct { gint64 delta; const char *text; } cases[] = {
    { 10, "just now" }, { 5 * 60, "5 min ago" }, { 3 * 3600, "3 h ago" },
    { 30 * 3600, "yesterday" }, { 12 * 86400, "12 days ago" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cp_format_relative_time (now - cases[i].delta, now);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
  {
    g_autofree char *never = cp_format_relative_time (0, now);
    g_autofree char *old = cp_format_relative_time (now - 400 * 86400, now);
    g_assert_cmpstr (never, ==, "never");
    g_assert_nonnull (old);
    g_assert_null (strstr (old, "ago"));   /* a date, not a count */
    /* 1800000000 - 400 days, in UTC (the suite's TZ): a four-digit year. */
    g_assert_cmpstr (old, ==, "11 Dec 2025");
  }
}

/* Dates read the same in every locale's order: the month in words and a
 * four-digit year, never “12/05/26”. */
static void
test_dates (void)
{
  g_autofree char *date = cp_format_date (1796428800);   /* 2026-12-05 00:00 UTC */
  g_autofree char *date_time = cp_format_date_time (1796428800 + 14 * 3600 + 5 * 60);
  g_autofree char *far = cp_format_date (253402300799);   /* 9999-12-31 23:59:59 */
  g_autofree char *out_of_range = cp_format_date (G_MAXINT64);

  g_assert_cmpstr (date, ==, "5 Dec 2026");
  g_assert_cmpstr (date_time, ==, "5 Dec 2026, 14:05");
  g_assert_cmpstr (far, ==, "31 Dec 9999");
  g_assert_cmpstr (out_of_range, ==, "");
}

static void
test_sla (void)
{
  gint64 now = 1800000000;
  struct { gint64 due; gint64 answered; const char *text; } cases[] = {
    { now + 30 * 60, 0, "Due in 30 min" },
    { now + 5 * 3600, 0, "Due in 5 h" },
    { now + 3 * 86400, 0, "Due in 3 d" },
    { now - 20 * 60, 0, "Breached 20 min ago" },
    { now - 7 * 3600, 0, "Breached 7 h ago" },
    { now - 4 * 86400, 0, "Breached 4 d ago" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cp_format_sla (cases[i].due, cases[i].answered, now);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
  /* No SLA, or already answered: nothing to show. */
  g_assert_null (cp_format_sla (0, 0, now));
  g_assert_null (cp_format_sla (now - 3600, now - 7200, now));
}

static void
test_initials (void)
{
  struct { const char *name; const char *initials; } cases[] = {
    { "Dana Whitfield", "DW" }, { "josé maría garcía", "JM" }, { "Zoë", "Z" },
    { "Jean-Luc Picard", "JL" }, { "  ", "" }, { NULL, "" }, { "Øyvind Ødegård", "ØØ" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *initials = cp_lead_dup_initials (cases[i].name);
      g_assert_cmpstr (initials, ==, cases[i].initials);
    }
  {
    g_autofree char *broken = cp_lead_dup_initials ("\xff\xfe");
    g_assert_cmpstr (broken, ==, "");
  }
}

static void
test_field_groups_cover_every_field (void)
{
  gboolean seen[CP_LEAD_N_FIELDS] = { FALSE };
  const CpFieldGroup *groups;
  guint n_groups;

  groups = cp_lead_field_groups (&n_groups);
  g_assert_cmpuint (n_groups, >, 3);
  for (guint g = 0; g < n_groups; g++)
    {
      g_assert_nonnull (groups[g].title);
      for (const CpLeadField *f = groups[g].fields; *f != CP_LEAD_N_FIELDS; f++)
        {
          g_assert_false (seen[*f]);   /* once only */
          seen[*f] = TRUE;
        }
    }
  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    if (!seen[i])
      g_error ("field %s is in no group", cp_lead_field_info (i)->name);
}

static void
test_history_lines (void)
{
  struct { const char *action, *field, *old_value, *new_value, *text; } cases[] = {
    { "stage", "stage", NULL, "new", "Entered New" },
    { "stage", "stage", "new", "qualified", "Moved from New to Qualified" },
    { "create", NULL, NULL, NULL, "Created" },
    { "update", "urgency", "high", "urgent", "Urgency: High → Urgent" },
    { "update", "email", NULL, "a@example.org", "Email: — → a@example.org" },
    /* A choice reads as the lead window shows it: its label, or its id as words. */
    { "update", "buying_role", NULL, "budget_holder", "Buying role: — → Budget holder" },
    { "update", "org_type", "clinic", "hospital_system",
      "Organization type: Clinic → Hospital system" },
    { "update", "custom.insurer", "A", NULL, "custom.insurer: A → —" },
    { "merge", "merge_id", NULL, "x", "Merged" },
    { "unmerge", "merge_id", "x", NULL, "Merge undone" },
    { "tombstone", NULL, NULL, NULL, "Removed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cp_format_history_change (cases[i].action, cases[i].field,
                                                        cases[i].old_value, cases[i].new_value);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_default_stages (void)
{
  guint n;
  const CpStageInfo *stages = cp_default_stages (&n);

  g_assert_cmpuint (n, ==, 9);
  g_assert_cmpstr (stages[0].id, ==, "new");
  /* Closed stages come last, and only they are closed. */
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (stages[i].closed, ==, i >= n - 2);
  g_assert_cmpstr (stages[n - 1].id, ==, "closed_lost");
}

static void
test_sla_breach_and_rotting_rules (void)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  gint64 now = 1800000000;

  cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, "new");
  g_assert_false (cp_lead_is_sla_breached (lead, now));            /* no SLA */
  cp_lead_set_int (lead, CP_LEAD_FIELD_SLA_DUE_AT, now + 60);
  g_assert_false (cp_lead_is_sla_breached (lead, now));            /* not yet due */
  cp_lead_set_int (lead, CP_LEAD_FIELD_SLA_DUE_AT, now - 60);
  g_assert_true (cp_lead_is_sla_breached (lead, now));
  cp_lead_set_int (lead, CP_LEAD_FIELD_FIRST_RESPONSE_AT, now - 30);
  g_assert_false (cp_lead_is_sla_breached (lead, now));            /* answered */
  cp_lead_set_int (lead, CP_LEAD_FIELD_FIRST_RESPONSE_AT, 0);
  cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, "closed_lost");
  g_assert_false (cp_lead_is_sla_breached (lead, now));            /* closed */

  g_assert_false (cp_lead_is_rotting (lead, 14, now));             /* entry time unknown */
  cp_lead_set_stage_entered_at (lead, now - 15 * 86400);
  g_assert_true (cp_lead_is_rotting (lead, 14, now));
  g_assert_false (cp_lead_is_rotting (lead, 16, now));
  g_assert_false (cp_lead_is_rotting (lead, 0, now));              /* no limit */
}

static void
test_field_value_labels (void)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autofree char *phone = NULL;
  g_autofree char *coverage = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *flag = NULL;

  cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, "+13125550135");
  cp_lead_set_text (lead, CP_LEAD_FIELD_COVERAGE_FIT, "in_network");
  cp_lead_set_int (lead, CP_LEAD_FIELD_DO_NOT_CONTACT, 1);
  /* Phones in the national style, choices as words, not set as NULL. */
  phone = cp_lead_dup_value_label (lead, CP_LEAD_FIELD_PHONE);
  g_assert_cmpstr (phone, ==, "+1 312-555-0135");
  coverage = cp_lead_dup_value_label (lead, CP_LEAD_FIELD_COVERAGE_FIT);
  g_assert_cmpstr (coverage, ==, "In network");
  empty = cp_lead_dup_value_label (lead, CP_LEAD_FIELD_URGENCY);
  g_assert_null (empty);
  flag = cp_lead_dup_value_label (lead, CP_LEAD_FIELD_DO_NOT_CONTACT);
  g_assert_cmpstr (flag, ==, "Yes");
}

/* A time of hours and minutes, as people write it, reads as with seconds;
 * anything else is left to the ISO reader (and refused there). */
static void
test_iso8601_minutes (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "2026-03-31T14:30", "2026-03-31T14:30:00" },
    { "2026-03-31t14:30Z", "2026-03-31t14:30:00Z" },
    { "2026-03-31T14:30+02:00", "2026-03-31T14:30:00+02:00" },
    { "2026-03-31T14:30-05:00", "2026-03-31T14:30:00-05:00" },
    { "2026-03-31T14:30:15Z", NULL },
    { "2026-03-31T4:30", NULL },
    { "2026-03-31", NULL },
    { "2026-03-31T14:30 ", NULL },
    { "", NULL },
  };
  gint64 a = 0, b = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = cp_datetime_with_seconds (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
  g_assert_true (cp_datetime_parse_iso8601 ("2026-03-31T14:30Z", &a, NULL));
  g_assert_true (cp_datetime_parse_iso8601 ("2026-03-31T14:30:00Z", &b, NULL));
  g_assert_cmpint (a, ==, b);
  g_assert_false (cp_datetime_parse_iso8601 ("2026-03-31T25:30Z", &a, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lead-format/value-labels", test_value_labels);
  g_test_add_func ("/lead-format/field-value-labels", test_field_value_labels);
  g_test_add_func ("/lead-format/relative-times", test_relative_times);
  g_test_add_func ("/lead-format/dates", test_dates);
  g_test_add_func ("/lead-format/iso8601-minutes", test_iso8601_minutes);
  g_test_add_func ("/lead-format/sla", test_sla);
  g_test_add_func ("/lead-format/initials", test_initials);
  g_test_add_func ("/lead-format/field-groups", test_field_groups_cover_every_field);
  g_test_add_func ("/lead-format/history-lines", test_history_lines);
  g_test_add_func ("/lead-format/default-stages", test_default_stages);
  g_test_add_func ("/lead-format/sla-breach-and-rotting", test_sla_breach_and_rotting_rules);

  return g_test_run ();
}
