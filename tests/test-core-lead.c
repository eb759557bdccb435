/* test-core-lead.c — tests for CpLead: field table, typed access, validation
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cp-core-error.h"
#include "cp-lead.h"

static void
test_field_table (void)
{
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_searchable = 0;

  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    {
      const CpFieldInfo *info = cp_lead_field_info (i);
      CpLeadField field;

      g_assert_nonnull (info);
      g_assert_cmpint (info->field, ==, i);
      g_assert_nonnull (info->name);
      g_assert_nonnull (info->label);
      g_assert_false (g_hash_table_contains (names, info->name));
      g_hash_table_add (names, (gpointer) info->name);

      g_assert_true (cp_lead_field_from_name (info->name, &field));
      g_assert_cmpint (field, ==, i);

      if (info->type == CP_FIELD_TYPE_CHOICE)
        {
          g_assert_nonnull (info->choices);
          g_assert_nonnull (info->choices[0]);
        }
      else
        g_assert_null (info->choices);

      if (info->type == CP_FIELD_TYPE_TEXT)
        g_assert_cmpuint (info->max_length, >, 0);

      if (info->searchable)
        n_searchable++;
    }

  g_assert_cmpuint (g_hash_table_size (names), ==, 50);
  g_assert_cmpuint (n_searchable, ==, 6);
  g_assert_true (cp_lead_field_info (CP_LEAD_FIELD_NOTES)->searchable);
  g_assert_cmpuint (cp_lead_field_info (CP_LEAD_FIELD_NOTES)->max_length, ==, 100000);
  g_assert_cmpstr (cp_lead_field_info (CP_LEAD_FIELD_FIRST_NAME)->name, ==, "first_name");
  g_assert_cmpstr (cp_lead_field_info (CP_LEAD_FIELD_UPDATED_AT)->name, ==, "updated_at");
  g_assert_cmpint (cp_lead_field_info (CP_LEAD_FIELD_ORG_SIZE)->type, ==, CP_FIELD_TYPE_CHOICE);
  g_assert_cmpint (cp_lead_field_info (CP_LEAD_FIELD_STAGE)->type, ==, CP_FIELD_TYPE_TEXT);
  g_assert_cmpint (cp_lead_field_info (CP_LEAD_FIELD_DO_NOT_CONTACT)->type, ==, CP_FIELD_TYPE_BOOL);
  g_assert_cmpint (cp_lead_field_info (CP_LEAD_FIELD_SCORE)->type, ==, CP_FIELD_TYPE_INT);
  g_assert_cmpint (cp_lead_field_info (CP_LEAD_FIELD_SLA_DUE_AT)->type, ==, CP_FIELD_TYPE_DATETIME);
  g_assert_true (
      g_strv_contains (cp_lead_field_info (CP_LEAD_FIELD_LEAD_TYPE)->choices, "referral_partner"));

  g_assert_false (cp_lead_field_from_name ("firstname", NULL));
  g_assert_false (cp_lead_field_from_name ("first-name", NULL));
  g_assert_false (cp_lead_field_from_name ("First_Name", NULL));
  g_assert_false (cp_lead_field_from_name ("", NULL));
}

static void
test_properties_installed (void)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (CP_TYPE_LEAD);
  guint n_props = 0;
  g_autofree GParamSpec **pspecs =
      g_object_class_list_properties (G_OBJECT_CLASS (klass), &n_props);
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autofree char *first = NULL;
  gboolean dnc = FALSE;
  gint64 created = 0;

  g_assert_cmpuint (n_props, ==, CP_LEAD_N_FIELDS);
  g_assert_nonnull (g_object_class_find_property (G_OBJECT_CLASS (klass), "first-name"));
  g_assert_nonnull (
      g_object_class_find_property (G_OBJECT_CLASS (klass), "consent-notice-version"));

  g_object_set (lead, "first-name", "Ada", "do-not-contact", TRUE, "created-at",
                (gint64) 1700000000, NULL);
  g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_FIRST_NAME), ==, "Ada");
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_DO_NOT_CONTACT), ==, 1);
  g_object_get (lead, "first-name", &first, "do-not-contact", &dnc, "created-at", &created, NULL);
  g_assert_cmpstr (first, ==, "Ada");
  g_assert_true (dnc);
  g_assert_cmpint (created, ==, 1700000000);
}

static void
test_set_get (void)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  char buffer[16] = "mutable";

  g_assert_null (cp_lead_get_text (lead, CP_LEAD_FIELD_EMAIL));
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE), ==, 0);
  g_assert_null (cp_lead_get_custom_fields (lead));

  /* The lead keeps its own copy. */
  cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, buffer);
  buffer[0] = 'X';
  g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_NOTES), ==, "mutable");

  cp_lead_set_text (lead, CP_LEAD_FIELD_LEAD_TYPE, "patient");
  g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_LEAD_TYPE), ==, "patient");
  /* No validation when setting directly. */
  cp_lead_set_text (lead, CP_LEAD_FIELD_LEAD_TYPE, "martian");
  g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_LEAD_TYPE), ==, "martian");

  cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, "");
  g_assert_null (cp_lead_get_text (lead, CP_LEAD_FIELD_NOTES));

  cp_lead_set_int (lead, CP_LEAD_FIELD_SCORE, -42);
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE), ==, -42);
  cp_lead_set_int (lead, CP_LEAD_FIELD_DO_NOT_CONTACT, 7);
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_DO_NOT_CONTACT), ==, 1);
  cp_lead_set_int (lead, CP_LEAD_FIELD_CREATED_AT, 1767225600);
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_CREATED_AT), ==, 1767225600);

  cp_lead_set_text (lead, CP_LEAD_FIELD_ID, "abc");
  cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, "qualified");
  g_assert_cmpstr (cp_lead_get_id (lead), ==, "abc");
  g_assert_cmpstr (cp_lead_get_stage (lead), ==, "qualified");
}

static void
test_wrong_type_access (void)
{
  g_autoptr(CpLead) lead = cp_lead_new ();

  g_test_expect_message ("cp-lead", G_LOG_LEVEL_CRITICAL, "*field_is_text*");
  g_assert_null (cp_lead_get_text (lead, CP_LEAD_FIELD_SCORE));
  g_test_assert_expected_messages ();

  g_test_expect_message ("cp-lead", G_LOG_LEVEL_CRITICAL, "*field_is_text*");
  cp_lead_set_int (lead, CP_LEAD_FIELD_EMAIL, 3);
  g_test_assert_expected_messages ();
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_notify_only_on_change (void)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  guint email_count = 0, score_count = 0, any_count = 0;

  g_signal_connect (lead, "notify::email", G_CALLBACK (count_notify_cb), &email_count);
  g_signal_connect (lead, "notify::score", G_CALLBACK (count_notify_cb), &score_count);
  g_signal_connect (lead, "notify", G_CALLBACK (count_notify_cb), &any_count);

  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "a@example.org");
  g_assert_cmpuint (email_count, ==, 1);
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "a@example.org");
  g_assert_cmpuint (email_count, ==, 1);
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "b@example.org");
  g_assert_cmpuint (email_count, ==, 2);
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, NULL);
  g_assert_cmpuint (email_count, ==, 3);
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "");
  g_assert_cmpuint (email_count, ==, 3);

  cp_lead_set_int (lead, CP_LEAD_FIELD_SCORE, 0);
  g_assert_cmpuint (score_count, ==, 0);
  cp_lead_set_int (lead, CP_LEAD_FIELD_SCORE, 10);
  cp_lead_set_int (lead, CP_LEAD_FIELD_SCORE, 10);
  g_assert_cmpuint (score_count, ==, 1);

  /* Through GObject properties too. */
  g_object_set (lead, "score", (gint64) 10, NULL);
  g_assert_cmpuint (score_count, ==, 1);
  g_object_set (lead, "score", (gint64) 11, NULL);
  g_assert_cmpuint (score_count, ==, 2);

  /* From strings: setting the same canonical value is no change. */
  g_assert_true (cp_lead_set_field_from_string (lead, CP_LEAD_FIELD_SCORE, " 11 ", NULL));
  g_assert_cmpuint (score_count, ==, 2);

  g_assert_cmpuint (any_count, ==, email_count + score_count);

  cp_lead_set_int (lead, CP_LEAD_FIELD_DO_NOT_CONTACT, 1);
  cp_lead_set_int (lead, CP_LEAD_FIELD_DO_NOT_CONTACT, 5);
  g_assert_cmpuint (any_count, ==, email_count + score_count + 1);
}

typedef struct
{
  CpLeadField  field;
  const char  *input;
  const char  *canonical;
} RoundTrip;

static void
test_string_round_trip (void)
{
  static const RoundTrip cases[] = {
    { CP_LEAD_FIELD_FIRST_NAME, "Zoë", "Zoë" },
    { CP_LEAD_FIELD_NOTES, "line one\nline two", "line one\nline two" },
    { CP_LEAD_FIELD_LEAD_TYPE, "b2b", "b2b" },
    { CP_LEAD_FIELD_SCORE, "-15", "-15" },
    { CP_LEAD_FIELD_READINESS_SCORE, "+7", "7" },
    { CP_LEAD_FIELD_DO_NOT_CONTACT, "YES", "true" },
    { CP_LEAD_FIELD_DO_NOT_CONTACT, "no", "false" },
    { CP_LEAD_FIELD_DO_NOT_CONTACT, "1", "true" },
    { CP_LEAD_FIELD_DO_NOT_CONTACT, "False", "false" },
    { CP_LEAD_FIELD_CREATED_AT, "2026-03-31T14:30:00Z", "2026-03-31T14:30:00Z" },
    { CP_LEAD_FIELD_CREATED_AT, "2026-03-31T16:30:00+02:00", "2026-03-31T14:30:00Z" },
    { CP_LEAD_FIELD_CREATED_AT, "2026-03-31T09:30:00-05:00", "2026-03-31T14:30:00Z" },
    { CP_LEAD_FIELD_SLA_DUE_AT, "2026-02-28", "2026-02-28T00:00:00Z" },
    { CP_LEAD_FIELD_SLA_DUE_AT, "2024-02-29", "2024-02-29T00:00:00Z" },
    { CP_LEAD_FIELD_UPDATED_AT, "1969-07-20T20:17:40Z", "1969-07-20T20:17:40Z" },
    { CP_LEAD_FIELD_UPDATED_AT, "2099-12-31T23:59:59Z", "2099-12-31T23:59:59Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CpLead) lead = cp_lead_new ();
      g_autoptr(CpLead) again = cp_lead_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *out2 = NULL;

      g_assert_true (cp_lead_set_field_from_string (lead, cases[i].field, cases[i].input, &error));
      g_assert_no_error (error);
      out = cp_lead_dup_field_string (lead, cases[i].field);
      g_assert_cmpstr (out, ==, cases[i].canonical);

      /* The canonical form reads back to the same value. */
      g_assert_true (cp_lead_set_field_from_string (again, cases[i].field, out, &error));
      g_assert_no_error (error);
      g_assert_true (cp_lead_equal_field (lead, again, cases[i].field));
      out2 = cp_lead_dup_field_string (again, cases[i].field);
      g_assert_cmpstr (out2, ==, out);
    }
}

static void
test_string_unset_and_clear (void)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autofree char *score = NULL;
  g_autofree char *dnc = NULL;
  g_autofree char *created = NULL;
  g_autofree char *email = NULL;

  score = cp_lead_dup_field_string (lead, CP_LEAD_FIELD_SCORE);
  dnc = cp_lead_dup_field_string (lead, CP_LEAD_FIELD_DO_NOT_CONTACT);
  created = cp_lead_dup_field_string (lead, CP_LEAD_FIELD_CREATED_AT);
  email = cp_lead_dup_field_string (lead, CP_LEAD_FIELD_EMAIL);
  g_assert_cmpstr (score, ==, "0");
  g_assert_cmpstr (dnc, ==, "false");
  g_assert_null (created);
  g_assert_null (email);

  g_assert_true (
      cp_lead_set_field_from_string (lead, CP_LEAD_FIELD_CREATED_AT, "2026-01-01", NULL));
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_CREATED_AT), ==, 1767225600);
  g_assert_true (cp_lead_set_field_from_string (lead, CP_LEAD_FIELD_CREATED_AT, "", NULL));
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_CREATED_AT), ==, 0);

  g_assert_true (cp_lead_set_field_from_string (lead, CP_LEAD_FIELD_URGENCY, "High", NULL));
  g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_URGENCY), ==, "high");
  g_assert_true (cp_lead_set_field_from_string (lead, CP_LEAD_FIELD_URGENCY, NULL, NULL));
  g_assert_null (cp_lead_get_text (lead, CP_LEAD_FIELD_URGENCY));

  g_assert_true (cp_lead_set_field_from_string (lead, CP_LEAD_FIELD_FIRST_NAME, "Ada", NULL));
  g_assert_true (cp_lead_set_field_from_string (lead, CP_LEAD_FIELD_FIRST_NAME, "", NULL));
  g_assert_null (cp_lead_get_text (lead, CP_LEAD_FIELD_FIRST_NAME));
}

static void
test_bad_values (void)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;

  cp_lead_set_int (lead, CP_LEAD_FIELD_DO_NOT_CONTACT, 1);
  g_assert_false (
      cp_lead_set_field_from_string (lead, CP_LEAD_FIELD_DO_NOT_CONTACT, "maybe", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "“maybe”"));
  g_assert_nonnull (strstr (error->message, "Do not contact"));
  /* Failure leaves the value alone. */
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_DO_NOT_CONTACT), ==, 1);
  g_clear_error (&error);

  g_assert_false (
      cp_lead_set_field_from_string (lead, CP_LEAD_FIELD_CREATED_AT, "31/03/2026", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "Created"));
  g_assert_nonnull (strstr (error->message, "31/03/2026"));
  g_assert_nonnull (strstr (error->message, "2026-03-31"));
  g_clear_error (&error);

  g_assert_false (
      cp_lead_set_field_from_string (lead, CP_LEAD_FIELD_CREATED_AT, "2026-02-30", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_PARSE);
  g_clear_error (&error);

  g_assert_false (cp_lead_set_field_from_string (lead, CP_LEAD_FIELD_CREATED_AT,
                                                 "2026-13-01T00:00:00Z", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_PARSE);
  g_clear_error (&error);

  g_assert_false (cp_lead_set_field_from_string (lead, CP_LEAD_FIELD_SCORE, "12abc", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "Score"));
  g_clear_error (&error);

  g_assert_false (cp_lead_set_field_from_string (lead, CP_LEAD_FIELD_SCORE, "1.5", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_PARSE);
  g_clear_error (&error);

  g_assert_false (cp_lead_set_field_from_string (lead, CP_LEAD_FIELD_SCORE, "99999999999", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2147483647"));
  g_clear_error (&error);

  g_assert_false (cp_lead_set_field_from_string (lead, CP_LEAD_FIELD_LEAD_TYPE, "martian", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“martian”"));
  g_assert_nonnull (strstr (error->message, "Lead type"));
  g_assert_nonnull (
      strstr (error->message, "patient, caregiver, referral_partner, b2b, local_service"));
  g_assert_null (cp_lead_get_text (lead, CP_LEAD_FIELD_LEAD_TYPE));
}

static void
test_choice_fuzzy (void)
{
  static const struct { CpLeadField field; const char *input; const char *expected; } cases[] = {
    { CP_LEAD_FIELD_LEAD_TYPE, "Referral Partner", "referral_partner" },
    { CP_LEAD_FIELD_LEAD_TYPE, "referral-partner", "referral_partner" },
    { CP_LEAD_FIELD_LEAD_TYPE, "  REFERRAL_PARTNER ", "referral_partner" },
    { CP_LEAD_FIELD_LEAD_TYPE, "B2B", "b2b" },
    { CP_LEAD_FIELD_SOURCE_CHANNEL, "Paid Search", "paid_search" },
    { CP_LEAD_FIELD_ORG_SIZE, "1-10", "1_10" },
    { CP_LEAD_FIELD_ORG_SIZE, "1001+", "1001_plus" },
    { CP_LEAD_FIELD_APPOINTMENT_STAGE, "No-Show", "no_show" },
    /* A closure reason is the playbook's: read as written, checked on save. */
    { CP_LEAD_FIELD_CLOSURE_REASON, "outside_coverage_area", "outside_coverage_area" },
    { CP_LEAD_FIELD_TIER, "Sales Ready", "sales_ready" },
  };
  static const struct { CpLeadField field; const char *input; } bad[] = {
    { CP_LEAD_FIELD_LEAD_TYPE, "referralpartner" },
    { CP_LEAD_FIELD_LEAD_TYPE, "patients" },
    { CP_LEAD_FIELD_URGENCY, "very high" },
    { CP_LEAD_FIELD_TIER, "sales ready!" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CpLead) lead = cp_lead_new ();
      g_autoptr(GError) error = NULL;

      g_assert_true (cp_lead_set_field_from_string (lead, cases[i].field, cases[i].input, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (cp_lead_get_text (lead, cases[i].field), ==, cases[i].expected);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CpLead) lead = cp_lead_new ();
      g_autoptr(GError) error = NULL;

      g_assert_false (cp_lead_set_field_from_string (lead, bad[i].field, bad[i].input, &error));
      g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
    }
}

static void
test_custom_fields (void)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  GHashTable *custom;

  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "pat@example.org");

  g_assert_null (cp_lead_get_custom (lead, "insurer"));
  cp_lead_set_custom (lead, "insurer", "Evergreen Health Plan");
  cp_lead_set_custom (lead, "visit_count", "3");
  g_assert_cmpstr (cp_lead_get_custom (lead, "insurer"), ==, "Evergreen Health Plan");
  custom = cp_lead_get_custom_fields (lead);
  g_assert_nonnull (custom);
  g_assert_cmpuint (g_hash_table_size (custom), ==, 2);

  cp_lead_set_custom (lead, "insurer", "Beacon Mutual");
  g_assert_cmpstr (cp_lead_get_custom (lead, "insurer"), ==, "Beacon Mutual");
  cp_lead_set_custom (lead, "insurer", NULL);
  g_assert_null (cp_lead_get_custom (lead, "insurer"));
  g_assert_cmpuint (g_hash_table_size (custom), ==, 1);

  g_assert_true (cp_lead_validate (lead, NULL, NULL, &error));
  g_assert_no_error (error);

  cp_lead_set_custom (lead, "Bad Key", "x");
  g_assert_false (cp_lead_validate (lead, NULL, &errors, &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Bad Key"));
  g_assert_cmpuint (errors->len, ==, 1);
  g_assert_cmpint (((CpFieldError *) errors->pdata[0])->field, ==, CP_LEAD_N_FIELDS);
  g_clear_error (&error);
  g_clear_pointer (&errors, g_ptr_array_unref);
  cp_lead_set_custom (lead, "Bad Key", NULL);

  cp_lead_set_custom (lead, "a23456789012345678901234567890123456789012345678901234567890abcd",
                      "64 chars ok");
  g_assert_true (cp_lead_validate (lead, NULL, NULL, NULL));
  cp_lead_set_custom (lead, "a23456789012345678901234567890123456789012345678901234567890abcde",
                      "65 chars");
  g_assert_false (cp_lead_validate (lead, NULL, NULL, NULL));
  cp_lead_set_custom (lead, "a23456789012345678901234567890123456789012345678901234567890abcde",
                      NULL);
  cp_lead_set_custom (lead, "9lives", "x");
  g_assert_false (cp_lead_validate (lead, NULL, NULL, NULL));
  cp_lead_set_custom (lead, "9lives", NULL);
  cp_lead_set_custom (lead, "ok_key", "bell\a");
  g_assert_false (cp_lead_validate (lead, NULL, NULL, NULL));
}

static void
test_copy_equal (void)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(CpLead) copy = NULL;

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Øyvind");
  cp_lead_set_text (lead, CP_LEAD_FIELD_LEAD_TYPE, "caregiver");
  cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, "Prefers mornings.");
  cp_lead_set_int (lead, CP_LEAD_FIELD_SCORE, 55);
  cp_lead_set_int (lead, CP_LEAD_FIELD_DO_NOT_CONTACT, TRUE);
  cp_lead_set_int (lead, CP_LEAD_FIELD_CREATED_AT, 1767225600);
  cp_lead_set_custom (lead, "insurer", "Evergreen");

  copy = cp_lead_copy (lead);
  g_assert_true (copy != lead);
  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    g_assert_true (cp_lead_equal_field (lead, copy, i));
  g_assert_cmpstr (cp_lead_get_custom (copy, "insurer"), ==, "Evergreen");

  /* Independent after the copy. */
  cp_lead_set_text (copy, CP_LEAD_FIELD_FIRST_NAME, "Zoë");
  cp_lead_set_text (copy, CP_LEAD_FIELD_LEAD_TYPE, "patient");
  cp_lead_set_custom (copy, "insurer", "Beacon");
  g_assert_false (cp_lead_equal_field (lead, copy, CP_LEAD_FIELD_FIRST_NAME));
  g_assert_false (cp_lead_equal_field (lead, copy, CP_LEAD_FIELD_LEAD_TYPE));
  g_assert_true (cp_lead_equal_field (lead, copy, CP_LEAD_FIELD_SCORE));
  g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_FIRST_NAME), ==, "Øyvind");
  g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_LEAD_TYPE), ==, "caregiver");
  g_assert_cmpstr (cp_lead_get_custom (lead, "insurer"), ==, "Evergreen");

  cp_lead_set_int (copy, CP_LEAD_FIELD_SCORE, 56);
  g_assert_false (cp_lead_equal_field (lead, copy, CP_LEAD_FIELD_SCORE));
}

static void
test_new_id (void)
{
  g_autofree char *a = cp_lead_new_id ();
  g_autofree char *b = cp_lead_new_id ();

  g_assert_true (g_uuid_string_is_valid (a));
  g_assert_cmpint (strlen (a), ==, 36);
  g_assert_cmpint (a[14], ==, '7');
  g_assert_cmpstr (a, !=, b);
}

static void
test_display_name (void)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autofree char *unnamed = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *email = NULL;
  g_autofree char *last = NULL;
  g_autofree char *full = NULL;

  unnamed = cp_lead_dup_display_name (lead);
  g_assert_cmpstr (unnamed, ==, "Unnamed lead");
  cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, "+15555550123");
  phone = cp_lead_dup_display_name (lead);
  g_assert_cmpstr (phone, ==, "+15555550123");
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "pat@example.org");
  email = cp_lead_dup_display_name (lead);
  g_assert_cmpstr (email, ==, "pat@example.org");
  cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, "Nguyễn");
  last = cp_lead_dup_display_name (lead);
  g_assert_cmpstr (last, ==, "Nguyễn");
  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Thảo");
  full = cp_lead_dup_display_name (lead);
  g_assert_cmpstr (full, ==, "Thảo Nguyễn");
}

static void
test_validate_identity (void)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = NULL;

  cp_lead_set_text (lead, CP_LEAD_FIELD_LEAD_TYPE, "patient");
  cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, "   ");
  g_assert_false (cp_lead_validate (lead, NULL, &errors, &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_REQUIRED);
  g_assert_cmpstr (error->message, ==,
                   "A lead needs a name, an email, a phone number or an organization.");
  g_assert_cmpuint (errors->len, ==, 1);
  g_clear_error (&error);
  g_clear_pointer (&errors, g_ptr_array_unref);

  /* Whitespace is not a name. */
  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "  ");
  g_assert_false (cp_lead_validate (lead, NULL, NULL, NULL));

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, NULL);
  cp_lead_set_text (lead, CP_LEAD_FIELD_ORGANIZATION, "Cedar Valley Family Clinic");
  g_assert_true (cp_lead_validate (lead, NULL, &errors, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, 0);
}

static void
test_validate_limits (void)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autofree char *long_name = NULL;
  GString *huge;

  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "pat@example.org");

  /* 200 characters are fine even when they take 400 bytes. */
  {
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < 200; i++)
      g_string_append (s, "é");
    cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, s->str);
    g_string_free (s, TRUE);
  }
  g_assert_true (cp_lead_validate (lead, NULL, NULL, &error));
  g_assert_no_error (error);

  long_name = g_strnfill (201, 'a');
  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, long_name);
  g_assert_false (cp_lead_validate (lead, NULL, &errors, &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "First name"));
  g_assert_nonnull (strstr (error->message, "201"));
  g_assert_nonnull (strstr (error->message, "200"));
  g_assert_cmpuint (errors->len, ==, 1);
  g_assert_cmpint (((CpFieldError *) errors->pdata[0])->field, ==, CP_LEAD_FIELD_FIRST_NAME);
  g_clear_error (&error);
  g_clear_pointer (&errors, g_ptr_array_unref);
  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Pat");

  /* 10 MB of notes. */
  huge = g_string_sized_new (10 * 1024 * 1024 + 1);
  while (huge->len < 10 * 1024 * 1024)
    g_string_append (huge, "All work and no play. ");
  cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, huge->str);
  g_string_free (huge, TRUE);
  g_assert_false (cp_lead_validate (lead, NULL, NULL, &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "Notes is too long"));
  g_assert_nonnull (strstr (error->message, "100000"));
  g_clear_error (&error);

  cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, "Line one\nLine two\twith a tab\r\n");
  g_assert_true (cp_lead_validate (lead, NULL, NULL, NULL));
}

static void
test_validate_control_chars (void)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = NULL;

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Pat\nrick");
  g_assert_false (cp_lead_validate (lead, NULL, NULL, &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "First name"));
  g_assert_nonnull (strstr (error->message, "one line"));
  g_clear_error (&error);

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Pat\trick");
  g_assert_false (cp_lead_validate (lead, NULL, NULL, NULL));
  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Pat\x1b[31m");
  g_assert_false (cp_lead_validate (lead, NULL, NULL, &error));
  g_assert_nonnull (strstr (error->message, "U+001B"));
  g_clear_error (&error);
  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Pat\xc2\x85");  /* U+0085, a C1 control */
  g_assert_false (cp_lead_validate (lead, NULL, NULL, NULL));

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Pat");
  cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, "ok\x07");
  g_assert_false (cp_lead_validate (lead, NULL, &errors, NULL));
  g_assert_cmpuint (errors->len, ==, 1);
  g_assert_cmpint (((CpFieldError *) errors->pdata[0])->field, ==, CP_LEAD_FIELD_NOTES);
  g_clear_pointer (&errors, g_ptr_array_unref);

  /* Invalid UTF-8. */
  cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, NULL);
  cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, "M\xfcller");
  g_assert_false (cp_lead_validate (lead, NULL, NULL, &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Last name"));
}

static void
test_validate_unicode_names (void)
{
  static const char * const names[] = {
    "Zoë", "Nguyễn Thị Thảo", "محمد", "שָׁלוֹם", "\xe2\x80\x8f" "سارا", "美玲", "😀 Smiley",
    "👩🏽‍⚕️", "Øyvind", "O'Brien-Smith", "José\xcc\x81",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(CpLead) lead = cp_lead_new ();
      g_autoptr(GError) error = NULL;

      cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, names[i]);
      g_assert_true (cp_lead_validate (lead, NULL, NULL, &error));
      g_assert_no_error (error);
      /* Stored exactly, byte for byte. */
      g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_FIRST_NAME), ==, names[i]);
    }
}

static void
test_validate_choices_and_email (void)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = NULL;

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Pat");
  cp_lead_set_text (lead, CP_LEAD_FIELD_URGENCY, "asap");
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "pat@");
  cp_lead_set_text (lead, CP_LEAD_FIELD_TIER, "Sales Ready");

  g_assert_false (cp_lead_validate (lead, NULL, &errors, &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  /* Errors come in field order; the first is the email. */
  g_assert_nonnull (
      strstr (error->message, "“pat@” is not a valid email address: the domain is missing"));
  g_assert_cmpuint (errors->len, ==, 3);
  g_assert_cmpint (((CpFieldError *) errors->pdata[0])->field, ==, CP_LEAD_FIELD_EMAIL);
  g_assert_cmpint (((CpFieldError *) errors->pdata[1])->field, ==, CP_LEAD_FIELD_URGENCY);
  g_assert_nonnull (
      strstr (((CpFieldError *) errors->pdata[1])->message, "low, medium, high, urgent"));
  g_assert_cmpint (((CpFieldError *) errors->pdata[2])->field, ==, CP_LEAD_FIELD_TIER);
}

static void
test_validate_required (void)
{
  static const char * const required[] = { "email", "service_line", "consent_captured_at", "score",
                                           NULL };
  static const char * const unknown[] = { "email", "favourite_colour", NULL };
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = NULL;

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Pat");
  g_assert_true (cp_lead_validate (lead, NULL, NULL, NULL));

  g_assert_false (cp_lead_validate (lead, required, &errors, &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_REQUIRED);
  g_assert_cmpstr (error->message, ==, "Email is required.");
  g_assert_cmpuint (errors->len, ==, 3);
  g_assert_cmpint (((CpFieldError *) errors->pdata[1])->field, ==, CP_LEAD_FIELD_SERVICE_LINE);
  g_assert_cmpint (((CpFieldError *) errors->pdata[2])->field, ==,
                   CP_LEAD_FIELD_CONSENT_CAPTURED_AT);
  g_clear_error (&error);
  g_clear_pointer (&errors, g_ptr_array_unref);

  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "pat@example.org");
  cp_lead_set_text (lead, CP_LEAD_FIELD_SERVICE_LINE, "cardiology");
  cp_lead_set_int (lead, CP_LEAD_FIELD_CONSENT_CAPTURED_AT, 1767225600);
  g_assert_true (cp_lead_validate (lead, required, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (cp_lead_validate (lead, unknown, NULL, &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_UNKNOWN_FIELD);
  g_assert_nonnull (strstr (error->message, "favourite_colour"));
}

static void
test_many_leads_cheap (void)
{
  /* Leads are created in bulk by import and rescoring; make sure a lead
   * stays small (typed slots, shared choice strings). */
  GTypeQuery query;

  g_type_query (CP_TYPE_LEAD, &query);
  g_assert_cmpuint (query.instance_size, <=, 480);

  for (guint i = 0; i < 100000; i++)
    {
      g_autoptr(CpLead) lead = cp_lead_new ();

      cp_lead_set_text (lead, CP_LEAD_FIELD_LEAD_TYPE, "patient");
      cp_lead_set_int (lead, CP_LEAD_FIELD_SCORE, i);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/lead/field-table", test_field_table);
  g_test_add_func ("/core/lead/properties", test_properties_installed);
  g_test_add_func ("/core/lead/set-get", test_set_get);
  g_test_add_func ("/core/lead/wrong-type-access", test_wrong_type_access);
  g_test_add_func ("/core/lead/notify-only-on-change", test_notify_only_on_change);
  g_test_add_func ("/core/lead/string-round-trip", test_string_round_trip);
  g_test_add_func ("/core/lead/string-unset-and-clear", test_string_unset_and_clear);
  g_test_add_func ("/core/lead/bad-values", test_bad_values);
  g_test_add_func ("/core/lead/choice-fuzzy", test_choice_fuzzy);
  g_test_add_func ("/core/lead/custom-fields", test_custom_fields);
  g_test_add_func ("/core/lead/copy-equal", test_copy_equal);
  g_test_add_func ("/core/lead/new-id", test_new_id);
  g_test_add_func ("/core/lead/display-name", test_display_name);
  g_test_add_func ("/core/lead/validate/identity", test_validate_identity);
  g_test_add_func ("/core/lead/validate/limits", test_validate_limits);
  g_test_add_func ("/core/lead/validate/control-chars", test_validate_control_chars);
  g_test_add_func ("/core/lead/validate/unicode-names", test_validate_unicode_names);
  g_test_add_func ("/core/lead/validate/choices-and-email", test_validate_choices_and_email);
  g_test_add_func ("/core/lead/validate/required", test_validate_required);
  g_test_add_func ("/core/lead/many-leads", test_many_leads_cheap);

  return g_test_run ();
}
