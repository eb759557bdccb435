/* test-store-input.c — the local store: bad input: invalid values are refused and nothing is
 * written
 *
 * Every case works in its own temporary folder. Times come from a fixed
 * clock (cp_lead_store_set_clock()) so audit rows and ranges are exact.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "cp-core-error.h"
#include "cp-lead-store.h"
#include "cp-test-util.h"

static void
assert_nothing_written (CpLeadStore *store)
{
  g_assert_cmpint (cp_test_store_rows (store, "leads"), ==, 0);
  g_assert_cmpint (cp_test_store_rows (store, "audit_log"), ==, 0);
  g_assert_cmpint (cp_test_store_rows (store, "stage_events"), ==, 0);
  g_assert_cmpuint (cp_test_count_leads (store, NULL), ==, 0);
}

static void
test_input_invalid_email (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  const char *bad[] = {
    "maria.example.org", "maria@@example.org", "maria@example", "maria @example.org",
    ".maria@example.org", "maria@-example.org", "maria@example.c",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CpLead) lead = cp_test_lead_new ("Maria", "Gonzalez");
      g_autoptr(GError) error = NULL;

      cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, bad[i]);
      g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
      g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_assert_nonnull (strstr (error->message, "email"));
    }
  assert_nothing_written (store);

  /* An update with a bad email leaves the stored lead alone. */
  {
    g_autoptr(CpLead) lead = cp_test_lead_new ("Maria", "Gonzalez");
    g_autoptr(CpLead) edited = NULL;
    g_autoptr(CpLead) stored = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *id = NULL;

    cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "maria@example.org");
    id = cp_test_add_lead (store, lead);
    edited = cp_test_get_lead (store, id);
    cp_lead_set_text (edited, CP_LEAD_FIELD_EMAIL, "maria(at)example.org");
    g_assert_false (cp_lead_store_update (store, edited, "tester", NULL, &error));
    g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "maria(at)example.org"));
    stored = cp_test_get_lead (store, id);
    g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_EMAIL), ==, "maria@example.org");
    g_assert_cmpint (cp_test_audit_rows (store, id, "update"), ==, 0);
  }
}

static void
test_input_oversized_notes (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  gsize huge_size = 10 * 1024 * 1024;
  g_autofree char *huge = g_malloc (huge_size + 1);
  guint limit = cp_lead_field_info (CP_LEAD_FIELD_NOTES)->max_length;
  g_autofree char *at_limit = g_strnfill (limit, 'n');
  g_autofree char *over_limit = g_strnfill (limit + 1, 'n');

  memset (huge, 'x', huge_size);
  huge[huge_size] = '\0';

  {
    g_autoptr(CpLead) lead = cp_test_lead_new ("Long", "Notes");
    g_autoptr(GError) error = NULL;

    cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, huge);
    g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
    g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_TOO_LONG);
    g_assert_nonnull (strstr (error->message, "Notes"));
    g_test_message ("%s", error->message);
  }
  {
    g_autoptr(CpLead) lead = cp_test_lead_new ("Long", "Notes");
    g_autoptr(GError) error = NULL;

    cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, over_limit);
    g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
    g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_TOO_LONG);
  }
  {
    /* A huge custom field is refused just the same. */
    g_autoptr(CpLead) lead = cp_test_lead_new ("Long", "Custom");
    g_autoptr(GError) error = NULL;

    cp_lead_set_custom (lead, "intake_form", huge);
    g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
    g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_TOO_LONG);
  }
  assert_nothing_written (store);

  /* Exactly the limit is fine; growing past it by an update is not. */
  {
    g_autoptr(CpLead) lead = cp_test_lead_new ("Long", "Notes");
    g_autoptr(CpLead) stored = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *id = NULL;
    const char *ids[2] = { NULL, NULL };

    cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, at_limit);
    id = cp_test_add_lead (store, lead);
    cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, huge);
    g_assert_false (cp_lead_store_update (store, lead, "tester", NULL, &error));
    g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_TOO_LONG);
    g_clear_error (&error);

    ids[0] = id;
    g_assert_cmpint (cp_lead_store_set_field_bulk (store, ids, CP_LEAD_FIELD_NOTES, huge, "tester",
                                                   NULL, &error), ==, -1);
    g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_TOO_LONG);

    stored = cp_test_get_lead (store, id);
    g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_NOTES), ==, at_limit);
    g_assert_cmpint (cp_test_audit_rows (store, id, "update"), ==, 0);
  }
}

static void
test_input_unicode_names (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  static const struct
  {
    const char *first;
    const char *last;
    const char *search;
  } names[] = {
    /* Emoji with a skin tone and a zero-width joiner. */
    { "Zo\xc3\xab \xf0\x9f\x91\xa9\xf0\x9f\x8f\xbd\xe2\x80\x8d\xe2\x9a\x95\xef\xb8\x8f",
      "Nguy\xe1\xbb\x85n", "nguyen" },
    /* Arabic. */
    { "\xd9\x85\xd8\xb1\xd9\x8a\xd9\x85",
      "\xd8\xa7\xd9\x84\xd8\xad\xd8\xb3\xd9\x8a\xd9\x86\xd9\x8a",
      "\xd9\x85\xd8\xb1\xd9\x8a\xd9\x85" },
    /* Hebrew. */
    { "\xd7\xa9\xd7\xa8\xd7\x94", "\xd7\x9b\xd7\x94\xd7\x9f", "\xd7\x9b\xd7\x94" },
    /* Decomposed: "e" + COMBINING ACUTE ACCENT; stays decomposed. */
    { "Jose\xcc\x81", "Zu\xcc\x88rich", "zurich" },
    /* Stacked combining marks. */
    { "Z\xcc\xb7\xcc\x9b" "a\xcc\xb5l\xcc\xb6g\xcc\xb8o", "Combining", "combining" },
    /* Mixed direction with a right-to-left mark. */
    { "Dr. \xd8\xb3\xd8\xa7\xd8\xb1\xd8\xa9\xe2\x80\x8f", "Smith-\xd7\x9c\xd7\x95\xd7\x99",
      "smith" },
    /* CJK. */
    { "\xe5\xa4\xaa\xe9\x83\x8e", "\xe5\xb1\xb1\xe7\x94\xb0", "\xe5\xb1\xb1\xe7\x94\xb0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(CpLead) lead = cp_test_lead_new (names[i].first, names[i].last);
      g_autoptr(CpLead) stored = NULL;
      g_autofree char *id = cp_test_add_lead (store, lead);
      g_autofree char *found = NULL;
      const char *first, *last;

      stored = cp_test_get_lead (store, id);
      first = cp_lead_get_text (stored, CP_LEAD_FIELD_FIRST_NAME);
      last = cp_lead_get_text (stored, CP_LEAD_FIELD_LAST_NAME);
      g_assert_cmpuint (strlen (first), ==, strlen (names[i].first));
      g_assert_cmpint (memcmp (first, names[i].first, strlen (first)), ==, 0);
      g_assert_cmpuint (strlen (last), ==, strlen (names[i].last));
      g_assert_cmpint (memcmp (last, names[i].last, strlen (last)), ==, 0);

      /* The same bytes from a query (another read path). */
      {
        g_autoptr(GPtrArray) all = cp_test_query_leads (store, NULL, 0, 0);
        gboolean seen = FALSE;

        for (guint j = 0; j < all->len; j++)
          if (g_strcmp0 (cp_lead_get_id (all->pdata[j]), id) == 0)
            {
              g_assert_cmpstr (cp_lead_get_text (all->pdata[j], CP_LEAD_FIELD_FIRST_NAME), ==,
                               names[i].first);
              seen = TRUE;
            }
        g_assert_true (seen);
      }

      found = cp_test_search_ids (store, names[i].search);
      g_assert_nonnull (strstr (found, id));
    }

  g_assert_cmpuint (cp_test_count_leads (store, NULL), ==, G_N_ELEMENTS (names));
  cp_test_assert_database_sound (cp_lead_store_get_database (store));
}

static void
test_input_sql_metacharacters (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autoptr(CpLead) lead = cp_test_lead_new ("100%_\"quoted\"", "Robert'); DROP TABLE leads;--");
  g_autoptr(CpLead) other = cp_test_lead_new ("Dana", "Plain");
  g_autoptr(CpLead) stored = NULL;
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autofree char *id = NULL;
  g_autofree char *other_id = NULL;
  g_autofree char *found = NULL;

  cp_lead_set_text (lead, CP_LEAD_FIELD_ORGANIZATION, "O'Brien \\ Sons; DELETE FROM leads; --");
  cp_lead_set_text (lead, CP_LEAD_FIELD_OWNER, "%");
  cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, "50% off _today_ \"only\"\n' OR '1'='1");
  cp_lead_set_custom (lead, "referrer", "x'); DROP TABLE audit_log;--");
  id = cp_test_add_lead (store, lead);
  cp_lead_set_text (other, CP_LEAD_FIELD_OWNER, "Dana");
  other_id = cp_test_add_lead (store, other);

  stored = cp_test_get_lead (store, id);
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_FIRST_NAME), ==, "100%_\"quoted\"");
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_LAST_NAME), ==,
                   "Robert'); DROP TABLE leads;--");
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_ORGANIZATION), ==,
                   "O'Brien \\ Sons; DELETE FROM leads; --");
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_NOTES), ==,
                   "50% off _today_ \"only\"\n' OR '1'='1");
  g_assert_cmpstr (cp_lead_get_custom (stored, "referrer"), ==, "x'); DROP TABLE audit_log;--");

  g_assert_cmpint (cp_test_sqlite_int (cp_test_store_handle (store),
                            "SELECT count(*) FROM sqlite_master"
                            " WHERE type = 'table' AND name = 'leads'", NULL), ==, 1);
  g_assert_cmpint (cp_test_sqlite_int (cp_test_store_handle (store),
                            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                            " AND name = 'audit_log'", NULL), ==, 1);
  g_assert_cmpuint (cp_test_count_leads (store, NULL), ==, 2);

  /* Filters compare values, not patterns. */
  query->owner = g_strdup ("%");
  g_assert_cmpuint (cp_test_count_leads (store, query), ==, 1);
  g_free (query->owner);
  query->owner = g_strdup ("_ana");
  g_assert_cmpuint (cp_test_count_leads (store, query), ==, 0);
  g_free (query->owner);
  query->owner = g_strdup ("' OR 1=1 --");
  g_assert_cmpuint (cp_test_count_leads (store, query), ==, 0);

  found = cp_test_search_ids (store, "Robert'); DROP");
  g_assert_cmpstr (found, ==, id);
  cp_test_assert_database_sound (cp_lead_store_get_database (store));
}

static void
test_input_search_operators (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autofree char *andrea = cp_test_add_named (store, "Andrea", "Nearfield");
  g_autofree char *nora = cp_test_add_named (store, "Nora", "Ortiz");
  g_autofree char *very_long = g_strnfill (20000, 'a');
  const char *searches[] = {
    "\"", "\"\"", "\"unterminated", "*", "**", "a*b", "AND", "OR", "NOT", "NEAR(", "NEAR(a b, 2)",
    "-", "-andrea", "--", "^", "^nora", ":", "first_name:andrea", "{first_name last_name}: nora",
    "(", ")", "()", "'", "\\", "%", "_", "andrea AND", "AND OR NOT", "+", "nora -ortiz",
    "\"andrea\" OR \"nora\"", "   ", "", "\t\n", "\xff\xfe", "andr\xc3", very_long,
  };

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
      g_autoptr(GPtrArray) leads = NULL;
      g_autoptr(GError) error = NULL;
      guint count = G_MAXUINT;

      query->search = g_strdup (searches[i]);
      leads = cp_lead_store_query (store, query, 0, 0, &error);
      g_assert_no_error (error);
      g_assert_nonnull (leads);
      g_assert_true (cp_lead_store_count (store, query, &count, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (count, ==, leads->len);
      g_assert_cmpuint (count, <=, 2);
    }

  /* Operator words are words: “AND” is the start of “Andrea”. */
  {
    g_autofree char *found = cp_test_search_ids (store, "AND");
    g_assert_cmpstr (found, ==, andrea);
  }
  {
    g_autofree char *found = cp_test_search_ids (store, "NEAR(");
    g_assert_cmpstr (found, ==, andrea);
  }
  {
    g_autofree char *found = cp_test_search_ids (store, "\"nor");
    g_assert_cmpstr (found, ==, nora);
  }
  {
    /* Every word must match: “-ortiz” is no exclusion. */
    g_autofree char *found = cp_test_search_ids (store, "nora -ortiz");
    g_assert_cmpstr (found, ==, nora);
  }
  {
    g_autofree char *found = cp_test_search_ids (store, "\xff\xfe");
    g_assert_cmpstr (found, ==, "");
  }
}

static void
test_input_control_characters (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  const char *bad[] = {
    "Ann\x01" "e", "Bob\x1b[31m", "Tab\there", "Line\nBreak", "Carriage\rReturn", "Del\x7f",
    "Next\xc2\x85Line", "Bell\x07",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CpLead) lead = cp_test_lead_new (bad[i], "Control");
      g_autoptr(GError) error = NULL;

      g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
      g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "First name"));
    }
  {
    g_autoptr(CpLead) lead = cp_test_lead_new ("Notes", "Control");
    g_autoptr(GError) error = NULL;

    cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, "ok\x01" "not ok");
    g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
    g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  }
  assert_nothing_written (store);

  /* Notes may have several lines and tabs. */
  {
    g_autoptr(CpLead) lead = cp_test_lead_new ("Notes", "Lines");
    g_autoptr(CpLead) stored = NULL;
    g_autofree char *id = NULL;

    cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, "Line one\n\tLine two\r\nLine three");
    id = cp_test_add_lead (store, lead);
    stored = cp_test_get_lead (store, id);
    g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_NOTES), ==,
                     "Line one\n\tLine two\r\nLine three");
  }
}

static void
test_input_invalid_phone (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  const char *bad[] = {
    "555-CALL-NOW", "12345", "(202) 555-014", "+1 (202) 555-01433", "(102) 555-0143",
    "++12025550143", "202#555#0143", "0", "+",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CpLead) lead = cp_test_lead_new ("Phone", "Problem");
      g_autoptr(GError) error = NULL;

      cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, bad[i]);
      g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == CP_CORE_ERROR);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_assert_nonnull (strstr (error->message, "phone number"));
    }
  assert_nothing_written (store);

  /* The store's region reads national numbers; stored in E.164. */
  {
    g_autoptr(CpLead) lead = cp_test_lead_new ("Phone", "Fine");
    g_autoptr(CpLead) stored = NULL;
    g_autofree char *id = NULL;

    cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, "(202) 555-0143 ext. 12");
    id = cp_test_add_lead (store, lead);
    stored = cp_test_get_lead (store, id);
    g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_PHONE), ==, "+12025550143");
  }
  {
    g_autoptr(CpLead) lead = cp_test_lead_new ("Phone", "London");
    g_autoptr(CpLead) stored = NULL;
    g_autofree char *id = NULL;

    cp_lead_store_set_default_region (store, "GB");
    cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, "020 7946 0018");
    id = cp_test_add_lead (store, lead);
    stored = cp_test_get_lead (store, id);
    g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_PHONE), ==, "+442079460018");
  }
}

static void
test_input_unknown_choice (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autoptr(CpLead) lead = cp_test_lead_new ("Choice", "Problem");
  g_autoptr(GError) error = NULL;

  /* Set behind validation's back: the store still refuses it. */
  cp_lead_set_text (lead, CP_LEAD_FIELD_LEAD_TYPE, "alien");
  g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "alien"));
  g_assert_nonnull (strstr (error->message, "patient"));
  g_clear_error (&error);

  cp_lead_set_text (lead, CP_LEAD_FIELD_LEAD_TYPE, NULL);
  g_assert_false (cp_lead_set_field_from_string (lead, CP_LEAD_FIELD_URGENCY, "whenever", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  g_assert_null (cp_lead_get_text (lead, CP_LEAD_FIELD_URGENCY));
  g_clear_error (&error);

  /* Friendly spellings map to the canonical value. */
  g_assert_true (cp_lead_set_field_from_string (lead, CP_LEAD_FIELD_LEAD_TYPE, " Referral Partner ",
                                                &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_LEAD_TYPE), ==, "referral_partner");

  /* Custom field keys are checked too. */
  cp_lead_set_custom (lead, "Bad Key", "value");
  g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Bad Key"));

  assert_nothing_written (store);
}

static void
test_input_invalid_utf8 (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  /* A C string cannot carry a NUL inside; broken UTF-8 is what is left. */
  const char *broken[] = {
    "Jos\xc3", "\xff\xfe" "Ann", "Ma\xe2\x82ria", "\xc0\xaf", "\xed\xa0\x80",
  };
  static const CpLeadField fields[] = {
    CP_LEAD_FIELD_FIRST_NAME, CP_LEAD_FIELD_ORGANIZATION, CP_LEAD_FIELD_NOTES, CP_LEAD_FIELD_EMAIL,
    CP_LEAD_FIELD_LEAD_TYPE, CP_LEAD_FIELD_PHONE,
  };

  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
      {
        g_autoptr(CpLead) lead = cp_test_lead_new ("Valid", "Name");
        g_autoptr(GError) error = NULL;

        if (!cp_lead_set_field_from_string (lead, fields[f], broken[i], &error))
          {
            g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
            continue;
          }
        g_assert_no_error (error);
        g_assert_false (cp_lead_validate (lead, NULL, NULL, &error));
        g_assert_nonnull (error);
        g_assert_true (g_utf8_validate (error->message, -1, NULL));
        g_clear_error (&error);
        g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
        g_assert_true (error->domain == CP_CORE_ERROR);
        g_assert_true (g_utf8_validate (error->message, -1, NULL));
      }

  assert_nothing_written (store);
}

/* A move writes the stage like any edit, so it must pass the same checks:
 * a stage no form could save would leave the lead impossible to edit. */
static void
test_input_move_validates_stage (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  guint stage_limit = cp_lead_field_info (CP_LEAD_FIELD_STAGE)->max_length;
  g_autofree char *too_long = g_strnfill (stage_limit + 1, 's');
  g_autofree char *huge_reason = g_strnfill (1024 * 1024, 'r');
  g_autoptr(GString) accepted = g_string_new (NULL);
  const char *bad_stages[] = { too_long, "bad\x01stage", "bad\xffstage", "two\nlines" };
  const char *bad_reasons[] = { "why\xff", "why\x01", huge_reason };

  for (guint i = 0; i < G_N_ELEMENTS (bad_stages) + G_N_ELEMENTS (bad_reasons); i++)
    {
      gboolean is_stage = i < G_N_ELEMENTS (bad_stages);
      const char *stage = is_stage ? bad_stages[i] : "engaged";
      const char *reason = is_stage ? "Valid reason" : bad_reasons[i - G_N_ELEMENTS (bad_stages)];
      g_autofree char *id = cp_test_add_named (store, "Move", "Check");
      g_autoptr(GError) error = NULL;
      g_autofree char *shown = NULL;

      if (!cp_lead_store_move (store, id, NULL, stage, NULL, reason, "sam", NULL, &error))
        {
          g_assert_nonnull (error);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          g_assert_cmpint (cp_test_stage_event_rows (store, id), ==, 1);
          continue;
        }

      shown = g_strescape (is_stage ? stage : reason, NULL);
      if (strlen (shown) > 40)
        strcpy (shown + 37, "...");
      g_string_append_printf (accepted, "%s “%s”", is_stage ? "stage" : "reason", shown);

      /* What the bad stage does to the lead afterwards. */
      if (is_stage)
        {
          g_autoptr(CpLead) stored = cp_test_get_lead (store, id);

          cp_lead_set_text (stored, CP_LEAD_FIELD_OWNER, "kim");
          if (!cp_lead_store_update (store, stored, "sam", NULL, &error))
            g_string_append_printf (accepted, " (then every update fails: %s)", error->message);
        }
      g_string_append (accepted, "; ");
    }

  if (accepted->len > 0)
    g_test_fail_printf ("cp_lead_store_move() wrote invalid values: %s", accepted->str);
}

static void
test_input_duplicate_id (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autofree char *id = cp_test_add_named (store, "First", "Owner");
  g_autoptr(CpLead) copy = cp_test_lead_new ("Second", "Claimant");
  g_autoptr(CpLead) stored = NULL;
  g_autoptr(GError) error = NULL;

  cp_lead_set_text (copy, CP_LEAD_FIELD_ID, id);
  g_assert_false (cp_lead_store_create (store, copy, "tester", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_assert_false (cp_database_in_transaction (cp_lead_store_get_database (store)));

  stored = cp_test_get_lead (store, id);
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_FIRST_NAME), ==, "First");
  g_assert_cmpint (cp_test_audit_rows (store, id, NULL), ==, 1);
  g_assert_cmpint (cp_test_stage_event_rows (store, id), ==, 1);
  g_assert_cmpuint (cp_test_count_leads (store, NULL), ==, 1);
  cp_test_assert_database_sound (cp_lead_store_get_database (store));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/input/invalid-email", test_input_invalid_email);
  g_test_add_func ("/store/input/oversized-notes", test_input_oversized_notes);
  g_test_add_func ("/store/input/unicode-names", test_input_unicode_names);
  g_test_add_func ("/store/input/sql-metacharacters", test_input_sql_metacharacters);
  g_test_add_func ("/store/input/search-operators", test_input_search_operators);
  g_test_add_func ("/store/input/control-characters", test_input_control_characters);
  g_test_add_func ("/store/input/invalid-phone", test_input_invalid_phone);
  g_test_add_func ("/store/input/unknown-choice", test_input_unknown_choice);
  g_test_add_func ("/store/input/invalid-utf8", test_input_invalid_utf8);
  g_test_add_func ("/store/input/duplicate-id", test_input_duplicate_id);
  g_test_add_func ("/store/input/move-validates-stage", test_input_move_validates_stage);

  return g_test_run ();
}
