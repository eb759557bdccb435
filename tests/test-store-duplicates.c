/* test-store-duplicates.c — the local store: finding duplicate leads
 *
 * Every case works in its own temporary folder. Times come from a fixed
 * clock (cp_lead_store_set_clock()) so audit rows and ranges are exact.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "cp-lead-store.h"
#include "cp-lead-store-private.h"
#include "cp-test-util.h"

static CpDuplicateCandidate *
find_candidate (GPtrArray  *candidates,
                const char *lead_id)
{
  for (guint i = 0; i < candidates->len; i++)
    if (g_strcmp0 (((CpDuplicateCandidate *) candidates->pdata[i])->lead_id, lead_id) == 0)
      return candidates->pdata[i];

  return NULL;
}

static GPtrArray *
duplicates_of (CpLeadStore *store,
               const char  *first,
               const char  *last,
               const char  *email,
               const char  *phone,
               const char  *location)
{
  g_autoptr(CpLead) probe = cp_test_lead_new (first, last);
  g_autoptr(GError) error = NULL;
  GPtrArray *candidates;

  cp_lead_set_text (probe, CP_LEAD_FIELD_EMAIL, email);
  cp_lead_set_text (probe, CP_LEAD_FIELD_PHONE, phone);
  cp_lead_set_text (probe, CP_LEAD_FIELD_LOCATION, location);
  g_assert_null (cp_lead_get_id (probe));
  candidates = cp_lead_store_find_duplicates (store, probe, &error);
  g_assert_no_error (error);
  g_assert_nonnull (candidates);

  return candidates;
}

static void
assert_single_candidate (GPtrArray  *candidates,
                         const char *lead_id,
                         guint       kinds,
                         const char *reason)
{
  CpDuplicateCandidate *candidate;

  g_assert_cmpuint (candidates->len, ==, 1);
  candidate = find_candidate (candidates, lead_id);
  if (candidate == NULL)
    g_error ("lead %s is not a candidate", lead_id);
  g_assert_cmpuint (candidate->kinds, ==, kinds);
  g_assert_cmpstr (candidate->reason, ==, reason);
}

static void
test_duplicates (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autoptr(CpLead) maria = cp_test_lead_new ("Maria", "Gonzalez");
  g_autoptr(CpLead) other = cp_test_lead_new ("Mario", "Gonzalez");
  g_autofree char *maria_id = NULL;
  g_autofree char *other_id = NULL;
  guint email = 1u << CP_MATCH_EMAIL;
  guint phone = 1u << CP_MATCH_PHONE;
  guint name = 1u << CP_MATCH_NAME_LOCATION;

  cp_lead_set_text (maria, CP_LEAD_FIELD_EMAIL, "Maria.Gonzalez@gmail.com");
  cp_lead_set_text (maria, CP_LEAD_FIELD_PHONE, "(202) 555-0143");
  cp_lead_set_text (maria, CP_LEAD_FIELD_LOCATION, "Springfield");
  maria_id = cp_test_add_lead (store, maria);
  cp_lead_set_text (other, CP_LEAD_FIELD_EMAIL, "mario@example.org");
  cp_lead_set_text (other, CP_LEAD_FIELD_PHONE, "(202) 555-0199");
  cp_lead_set_text (other, CP_LEAD_FIELD_LOCATION, "Shelbyville");
  other_id = cp_test_add_lead (store, other);

  /* The same mailbox, written differently. */
  {
    const char *emails[] = {
      "maria.gonzalez@gmail.com", "  MARIA.GONZALEZ@GMAIL.COM ", "mariagonzalez@gmail.com",
      "m.a.r.i.a.gonzalez@googlemail.com", "maria.gonzalez+intake@gmail.com",
    };

    for (guint i = 0; i < G_N_ELEMENTS (emails); i++)
      {
        g_autoptr(GPtrArray) found = NULL;
        CpDuplicateCandidate *candidate;

        found = duplicates_of (store, "Someone", "Else", emails[i], NULL, NULL);
        assert_single_candidate (found, maria_id, email, "same email");
        candidate = found->pdata[0];
        g_assert_cmpstr (candidate->display_name, ==, "Maria Gonzalez");
      }
  }

  /* The same number, formatted differently. */
  {
    const char *phones[] = { "202.555.0143", "+1 202 555 0143", "1-202-555-0143", "(202)5550143",
                             "+12025550143" };

    for (guint i = 0; i < G_N_ELEMENTS (phones); i++)
      {
        g_autoptr(GPtrArray) found = NULL;

        found = duplicates_of (store, "Someone", "Else", NULL, phones[i], NULL);
        assert_single_candidate (found, maria_id, phone, "same phone");
      }
  }

  /* A one-letter typo at the same place (written differently). */
  {
    g_autoptr(GPtrArray) found = NULL;

    found = duplicates_of (store, "Maria", "Gonzales", NULL, NULL, "springfield");
    assert_single_candidate (found, maria_id, name, "similar name at the same location");
  }
  {
    g_autoptr(GPtrArray) found = NULL;

    found = duplicates_of (store, "María", "González", NULL, NULL, " SPRINGFIELD ");
    assert_single_candidate (found, maria_id, name, "similar name at the same location");
  }

  /* Everything at once: one candidate, every reason. */
  {
    g_autoptr(GPtrArray) found = NULL;

    found = duplicates_of (store, "Maria", "Gonzalez", "mariagonzalez@gmail.com", "202-555-0143",
                           "Springfield");
    assert_single_candidate (found, maria_id, email | phone | name,
                             "same email, same phone, similar name at the same location");
  }

  /* A different person elsewhere, and a similar name elsewhere: none. */
  {
    g_autoptr(GPtrArray) found = duplicates_of (store, "Jane", "Doe", "jane@example.org",
                                                "(303) 555-0100", "Springfield");
    g_assert_cmpuint (found->len, ==, 0);
  }
  {
    g_autoptr(GPtrArray) found = NULL;

    found = duplicates_of (store, "Maria", "Gonzales", NULL, NULL, "Capital City");
    g_assert_cmpuint (found->len, ==, 0);
  }
  /* Nothing to match on at all. */
  {
    g_autoptr(GPtrArray) found = duplicates_of (store, NULL, NULL, NULL, NULL, NULL);
    g_assert_cmpuint (found->len, ==, 0);
  }

  /* A stored lead does not find itself; the other lead finds nobody. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CpLead) stored = cp_test_get_lead (store, maria_id);
    g_autoptr(GPtrArray) found = cp_lead_store_find_duplicates (store, stored, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 0);
    g_clear_pointer (&found, g_ptr_array_unref);
    g_clear_object (&stored);
    stored = cp_test_get_lead (store, other_id);
    found = cp_lead_store_find_duplicates (store, stored, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 0);
  }

  /* A removed lead is nobody's duplicate. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) found = NULL;

    g_assert_true (cp_lead_store_tombstone (store, maria_id, "Test", "sam", &error));
    g_assert_no_error (error);
    found = duplicates_of (store, "Maria", "Gonzalez", "maria.gonzalez@gmail.com", "202-555-0143",
                           "Springfield");
    g_assert_cmpuint (found->len, ==, 0);
  }
}

static char *
add_at (CpLeadStore *store,
        const char  *first,
        const char  *last,
        const char  *location)
{
  g_autoptr(CpLead) lead = cp_test_lead_new (first, last);

  cp_lead_set_text (lead, CP_LEAD_FIELD_LOCATION, location);
  return cp_test_add_lead (store, lead);
}

/* The similar-name search reads a bounded part of the index whatever the
 * database holds: among hundreds of names of the same beginning at one
 * location, the close one is still found, and of many people of the very
 * same name only the closest CP_DUP_NAME_CANDIDATES come back — the same
 * name first, then the names a letter apart. */
static void
test_similar_names_bounded (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autofree char *maria_id = NULL;
  g_autofree char *mario_id = NULL;
  g_autoptr(GPtrArray) same = g_ptr_array_new_with_free_func (g_free);
  guint name = 1u << CP_MATCH_NAME_LOCATION;

  /* 400 other people whose names begin like Maria's, on both sides of it
   * in the index's order. */
  for (guint i = 0; i < 400; i++)
    {
      char last[] = { 'a' + i / 26 % 26, 'a' + i % 26, 'x', '\0' };
      g_autofree char *id = add_at (store, i % 2 == 0 ? "Mar" : "Marz", last, "Springfield");
    }
  maria_id = add_at (store, "Maria", "Gonzalez", "Springfield");
  {
    g_autoptr(GPtrArray) found =
        duplicates_of (store, "Maria", "Gonzales", NULL, NULL, "Springfield");

    assert_single_candidate (found, maria_id, name, "similar name at the same location");
  }

  /* Twelve more of the very same name, and one a letter apart. */
  for (guint i = 0; i < 12; i++)
    g_ptr_array_add (same, add_at (store, "Maria", "Gonzalez", "Springfield"));
  mario_id = add_at (store, "Mario", "Gonzalez", "Springfield");
  {
    g_autoptr(GPtrArray) found =
        duplicates_of (store, "Maria", "Gonzalez", NULL, NULL, "Springfield");

    g_assert_cmpuint (found->len, ==, CP_DUP_NAME_CANDIDATES);
    for (guint i = 0; i < found->len; i++)
      {
        CpDuplicateCandidate *candidate = found->pdata[i];

        g_assert_cmpstr (candidate->display_name, ==, "Maria Gonzalez");
        g_assert_cmpuint (candidate->kinds, ==, name);
      }
    g_assert_null (find_candidate (found, mario_id));
  }
  {
    g_autoptr(GPtrArray) found =
        duplicates_of (store, "Mario", "Gonzalez", NULL, NULL, "Springfield");
    CpDuplicateCandidate *first = found->pdata[0];

    /* Mario himself first (distance 0), then Marias (one letter). */
    g_assert_cmpuint (found->len, ==, CP_DUP_NAME_CANDIDATES);
    g_assert_cmpstr (first->lead_id, ==, mario_id);
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/duplicates/find", test_duplicates);
  g_test_add_func ("/store/duplicates/similar-names-bounded", test_similar_names_bounded);

  return g_test_run ();
}
