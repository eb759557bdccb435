/* test-import-identity.c — an import never mixes two people: matching by evidence, exact round
 * trips SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cp-demo-writer.h"
#include "cp-lead-import.h"
#include "cp-sync-store.h"
#include "cp-test-util.h"

#define NOW G_GINT64_CONSTANT (1780000000)

typedef struct
{
  char        *dir;
  CpDatabase  *database;
  CpLeadStore *store;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  cp_test_tmp_store_open (&f->dir, &f->database, &f->store);
  cp_test_publish_open_playbook (f->database);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
}

static gboolean
import_into (CpLeadStore        *store,
             const char         *text,
             CpImportDuplicates  duplicates,
             CpImportResult     *result,
             GError            **error)
{
  g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_data (text, strlen (text));
  CpImportOptions options = { CP_IMPORT_HEADERS_AUTO, duplicates, FALSE, "test", NULL, NOW };

  return cp_lead_import_run (store, reader, &options, NULL, NULL, NULL, result, error);
}

static const CpImportMatch *
find_match (CpImportResult *result,
            guint64         line)
{
  for (guint i = 0; i < result->matches->len; i++)
    if (((CpImportMatch *) result->matches->pdata[i])->line == line)
      return result->matches->pdata[i];
  return NULL;
}

/* The match reported for @line, which must be there. */
static const CpImportMatch *
match_at (CpImportResult *result,
          guint64         line)
{
  const CpImportMatch *match = find_match (result, line);

  if (match == NULL)
    g_error ("no match reported for line %" G_GUINT64_FORMAT, line);
  return match;
}

static gint64
count (Fixture    *f,
       const char *sql,
       const char *text)
{
  return cp_test_sql_int (f->database, sql, text);
}

/* Alice and Bob answer the same clinic switchboard: two people. The same
 * phone with the same name, or with no name, is the same person. */
static void
test_shared_phone (Fixture *f, gconstpointer data)
{
  g_autofree char *alice = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Alice",
                                                CP_LEAD_FIELD_LAST_NAME, "Ward",
                                                CP_LEAD_FIELD_PHONE, "+12025550143",
                                                CP_LEAD_FIELD_NOTES, "Prefers mornings",
                                                CP_LEAD_N_FIELDS);
  g_auto(CpImportResult) result = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) stored = NULL;
  const CpImportMatch *match;
  const char          *text =
      "First Name,Last Name,Phone,Job Title,Notes\n"
      "Bob,Stone,(202) 555-0143,Practice manager,Wants a call back Friday\n" /* line 2: someone else
                                                                              */
      "Alice,Ward,202-555-0143,Nurse,Called from the front desk\n"           /* line 3: Alice */
      ",,+1 202 555 0143,,\n"; /* line 4: no name: Alice */

  g_assert_true (import_into (f->store, text, CP_IMPORT_DUPLICATE_MERGE, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 1);
  g_assert_cmpuint (result.flagged, ==, 1);
  g_assert_cmpuint (result.merged, ==, 1);
  g_assert_cmpuint (result.unchanged, ==, 1);
  g_assert_cmpuint (result.rejected, ==, 0);

  /* Bob is a lead of his own, flagged against Alice; nothing of his is
   * on her record. */
  g_assert_cmpint (count (f,
                          "SELECT count(*) FROM leads WHERE first_name = 'Bob' AND notes = "
                          "'Wants a call back Friday' AND possible_duplicate_of = ?",
                          alice),
                   ==, 1);
  g_assert_null (find_match (&result, 2));
  stored = cp_lead_store_get (f->store, alice, &error);
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_FIRST_NAME), ==, "Alice");
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_JOB_TITLE), ==, "Nurse");
  /* Her own notes are not replaced, even by her own row. */
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_NOTES), ==, "Prefers mornings");

  match = match_at (&result, 3);
  g_assert_cmpstr (match->lead_id, ==, alice);
  g_assert_cmpint (match->evidence, ==, CP_IMPORT_EVIDENCE_PHONE_NAME);
  g_assert_true (match->changed);
  match = match_at (&result, 4);
  g_assert_cmpstr (match->lead_id, ==, alice);
  g_assert_false (match->changed);
  g_assert_cmpstr (cp_import_evidence_describe (CP_IMPORT_EVIDENCE_PHONE_NAME), ==,
                   "the same phone and name");
}

/* The same person, however the email is capitalised or spelled. */
static void
test_email_variants (Fixture *f, gconstpointer data)
{
  g_autofree char *soren = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Søren",
                                                CP_LEAD_FIELD_EMAIL, "søren.müller@clinic.org",
                                                CP_LEAD_N_FIELDS);
  g_auto(CpImportResult) result = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) stored = NULL;
  const char *text =
    "email,last_name\n"
    "SØREN.MÜLLER@Clinic.ORG,Müller\n";

  g_assert_true (import_into (f->store, text, CP_IMPORT_DUPLICATE_MERGE, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 0);
  g_assert_cmpuint (result.merged, ==, 1);
  g_assert_cmpint (match_at (&result, 2)->evidence, ==, CP_IMPORT_EVIDENCE_EMAIL);
  stored = cp_lead_store_get (f->store, soren, &error);
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_LAST_NAME), ==, "Müller");
  /* What was typed stays as typed. */
  g_assert_cmpstr (cp_lead_get_text (stored, CP_LEAD_FIELD_EMAIL), ==, "søren.müller@clinic.org");
}

/* The file's own ids: Carepath's, the CRM's record id, a merged lead's, a
 * removed lead's; and the policies on a conflict. */
static void
test_ids (Fixture *f, gconstpointer data)
{
  g_autofree char *ada =
      cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Ada", CP_LEAD_FIELD_EMAIL,
                           "ada@example.org", CP_LEAD_FIELD_JOB_TITLE, "Director",
                           CP_LEAD_N_FIELDS);
  g_autofree char *ben =
      cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Ben", CP_LEAD_FIELD_EMAIL,
                           "ben@example.org", CP_LEAD_N_FIELDS);
  g_autofree char *cleo =
      cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Cleo", CP_LEAD_FIELD_EMAIL,
                           "cleo@example.org", CP_LEAD_N_FIELDS);
  g_autofree char *dan =
      cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Dan", CP_LEAD_FIELD_EMAIL,
                           "dan@example.org", CP_LEAD_N_FIELDS);
  g_autofree char *eve =
      cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Eve", CP_LEAD_FIELD_EMAIL,
                           "eve@example.org", CP_LEAD_N_FIELDS);
  g_autofree char *merge_id = NULL;
  g_autofree char *stranger = g_uuid_string_random ();
  g_autofree char *text = NULL;
  g_auto(CpImportResult) result = { 0, };
  g_autoptr(GError) error = NULL;

  /* Cleo was merged into Ada; Dan was removed; Eve is HubSpot's 901. */
  merge_id = cp_lead_store_merge (f->store, ada, cleo, NULL, 0, "test", &error);
  g_assert_no_error (error);
  g_assert_true (cp_lead_store_tombstone (f->store, dan, "Asked to be forgotten", "test", &error));
  {
    g_autoptr(CpSyncStore) sync = cp_sync_store_new (f->store, "hubspot");

    g_assert_true (cp_database_begin (f->database, &error));
    g_assert_true (cp_sync_store_set_link (sync, eve, "901", "2026-01-01T00:00:00Z", NULL, &error));
    g_assert_true (cp_database_commit (f->database, &error));
    g_assert_no_error (error);
  }

  text = g_strdup_printf ("id,Record ID,first_name,email,job_title\n"
                          "%s,,Ada,ada.work@example.org,Chief nurse\n" /* 2: Ada by id */
                          "%s,,,,Buyer\n"                              /* 3: Cleo → Ada */
                          "%s,,Dan,dan@example.org,\n"                 /* 4: removed */
                          ",901,Eve,,Surgeon\n"                        /* 5: Eve by CRM id */
                          "%s,,Benjamin,ben@example.org,Nurse\n",      /* 6: new id, Ben's email */
                          ada, cleo, dan, stranger);
  g_assert_true (import_into (f->store, text, CP_IMPORT_DUPLICATE_MERGE, &result, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < result.rejections->len; i++)
    g_test_message ("line %" G_GUINT64_FORMAT ": %s",
                    ((CpImportRejection *) result.rejections->pdata[i])->line,
                    ((CpImportRejection *) result.rejections->pdata[i])->reason);
  g_assert_cmpuint (result.rejected, ==, 1);
  g_assert_cmpuint (((CpImportRejection *) result.rejections->pdata[0])->line, ==, 4);
  g_assert_nonnull (
      strstr (((CpImportRejection *) result.rejections->pdata[0])->reason, "was removed"));

  g_assert_cmpint (match_at (&result, 2)->evidence, ==, CP_IMPORT_EVIDENCE_ID);
  g_assert_cmpstr (match_at (&result, 3)->lead_id, ==, ada);
  g_assert_cmpint (match_at (&result, 3)->evidence, ==, CP_IMPORT_EVIDENCE_ID);
  g_assert_cmpstr (match_at (&result, 5)->lead_id, ==, eve);
  g_assert_cmpint (match_at (&result, 5)->evidence, ==, CP_IMPORT_EVIDENCE_REMOTE_ID);
  /* A record of its own, with its own id, flagged against Ben. */
  g_assert_null (find_match (&result, 6));
  g_assert_cmpint (count (f,
                          "SELECT count(*) FROM leads WHERE id = ? AND possible_duplicate_of IS "
                          "NOT NULL",
                          stranger),
                   ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM leads WHERE email = 'ben@example.org'", NULL),
                   ==, 2);
  /* Merge: the stored values win. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM leads WHERE id = ? AND job_title = 'Director' "
                             "AND email = 'ada@example.org'", ada), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM leads WHERE id = ? AND job_title = 'Surgeon'",
                          eve),
                   ==, 1);

  /* Update: the file's values win (never over free text). */
  {
    g_auto(CpImportResult) again = { 0, };
    g_autofree char *update =
        g_strdup_printf ("id,job_title,notes\n%s,Chief nurse,From the file\n", ada);

    g_assert_true (import_into (f->store, update, CP_IMPORT_DUPLICATE_UPDATE, &again, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (again.merged, ==, 1);
    g_assert_cmpint (count (f,
                            "SELECT count(*) FROM leads WHERE id = ? AND job_title = 'Chief nurse'",
                            ada),
                     ==, 1);
  }
}

/* Export every lead, import the file into an empty database: the same
 * leads, field by field. Import it again: nothing changes. */
static void
test_round_trip_and_again (Fixture *f, gconstpointer data)
{
  const guint n = 10000;
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GPtrArray) leads = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autofree char *csv = NULL;
  g_autofree char *dir2 = cp_test_make_tmp_dir ();
  g_autoptr(CpDatabase) database2 = cp_test_open_database (dir2);
  g_autoptr(CpLeadStore) store2 = cp_lead_store_new (database2);
  g_auto(CpImportResult) first = { 0, };
  g_auto(CpImportResult) second = { 0, };

  cp_test_publish_open_playbook (database2);
  g_assert_true (cp_demo_writer_run (f->store, n, 21, NOW, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(CpLead) lead = NULL;

    leads = cp_lead_store_query (f->store, query, 0, n, &error);
    lead = cp_lead_store_get (f->store, cp_lead_get_id (leads->pdata[0]), &error);
    cp_lead_set_custom (lead, "insurer", "Acme, \"Health\"\nPlan");
    cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, "Line one\nLine two, “quoted”\n=not a formula");
    g_assert_true (cp_lead_store_update (f->store, lead, "test", NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (leads->len, ==, n);
  for (guint i = 0; i < leads->len; i++)
    g_ptr_array_add (ids, (gpointer) cp_lead_get_id (leads->pdata[i]));
  g_ptr_array_add (ids, NULL);
  csv = cp_test_export_csv (f->store, (const char * const *) ids->pdata, &error);
  g_assert_no_error (error);

  /* The default policy: merge. Nothing merges: every row has its own id. */
  g_assert_true (import_into (store2, csv, CP_IMPORT_DUPLICATE_MERGE, &first, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (first.rejected, ==, 0);
  g_assert_cmpuint (first.imported, ==, n);
  g_assert_cmpuint (first.merged + first.unchanged, ==, 0);
  g_assert_cmpint (cp_test_count_rows (database2, "leads"), ==, n);

  for (guint i = 0; i < leads->len; i++)
    {
      g_autoptr(CpLead) before =
          cp_lead_store_get (f->store, cp_lead_get_id (leads->pdata[i]), NULL);
      g_autoptr(CpLead) after = cp_lead_store_get (store2, cp_lead_get_id (leads->pdata[i]), NULL);

      g_assert_nonnull (after);
      for (CpLeadField field = 0; field < CP_LEAD_N_FIELDS; field++)
        {
          g_autofree char *a = NULL;
          g_autofree char *b = NULL;

          /* What the playbook computes is computed anew (the activities
           * are not in the file); the rest is the same. */
          if (cp_lead_field_is_computed (field))
            continue;
          a = cp_lead_dup_field_string (before, field);
          b = cp_lead_dup_field_string (after, field);
          if (g_strcmp0 (a, b) != 0)
            g_error ("field %s of %s: “%s” became “%s”", cp_lead_field_info (field)->name,
                     cp_lead_get_id (before), a, b);
        }
      g_assert_true (cp_lead_custom_fields_equal (before, after));
    }

  /* Again: every row is matched by its id and changes nothing. */
  g_assert_true (import_into (store2, csv, CP_IMPORT_DUPLICATE_MERGE, &second, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (second.imported, ==, 0);
  g_assert_cmpuint (second.rejected, ==, 0);
  g_assert_cmpuint (second.merged, ==, 0);
  g_assert_cmpuint (second.unchanged, ==, n);
  g_assert_cmpuint (second.matches->len, ==, n);
  for (guint i = 0; i < second.matches->len; i++)
    g_assert_cmpint (((CpImportMatch *) second.matches->pdata[i])->evidence, ==,
                     CP_IMPORT_EVIDENCE_ID);
  g_assert_cmpint (cp_test_count_rows (database2, "leads"), ==, n);

  g_clear_object (&store2);
  g_clear_object (&database2);
  cp_test_remove_tree (dir2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/import-identity/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("shared-phone", test_shared_phone);
  ADD ("email-variants", test_email_variants);
  ADD ("ids", test_ids);
  ADD ("round-trip-and-again", test_round_trip_and_again);
#undef ADD

  return g_test_run ();
}
