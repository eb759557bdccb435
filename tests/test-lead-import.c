/* test-lead-import.c — CSV import: mapping, refused rows, duplicates, dry run, cancel, round trip
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cp-demo-writer.h"
#include "cp-lead-import.h"
#include "cp-playbook-format.h"
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
  /* What is tested here is reading files; what the playbook's stage rules
   * make of an imported row, test-lifecycle tests. */
  cp_test_publish_open_playbook (f->database);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
}

static guint
count_leads (Fixture *f)
{
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_true (cp_lead_store_count (f->store, query, &n, &error));
  g_assert_no_error (error);
  return n;
}

static gboolean
import_text (Fixture            *f,
             const char         *text,
             CpImportDuplicates  duplicates,
             gboolean            dry_run,
             CpImportResult     *result,
             GError            **error)
{
  g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_data (text, strlen (text));
  CpImportOptions options = { CP_IMPORT_HEADERS_AUTO, duplicates, dry_run, "test", NULL, NOW };

  return cp_lead_import_run (f->store, reader, &options, NULL, NULL, NULL, result, error);
}

static const CpImportRejection *
rejection_at (CpImportResult *result,
              guint64         line)
{
  for (guint i = 0; i < result->rejections->len; i++)
    if (((CpImportRejection *) result->rejections->pdata[i])->line == line)
      return result->rejections->pdata[i];
  g_error ("no rejection on line %" G_GUINT64_FORMAT, line);
}

static CpLead *
lead_by_email (Fixture    *f,
               const char *email)
{
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  query->search = g_strdup (email);
  found = cp_lead_store_query (f->store, query, 0, 10, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (cp_lead_get_text (found->pdata[i], CP_LEAD_FIELD_EMAIL), email) == 0)
      return cp_lead_store_get (f->store, cp_lead_get_id (found->pdata[i]), NULL);
  return NULL;
}

/* HubSpot's export headers, a duplicate column, bad rows among good ones. */
static const char hubspot_file[] =
    "Record ID,First Name,Last Name,Email,Phone Number,Company Name,Lifecycle "
    "Stage,Email,Urgency,Notes\r\n"
    "101,Ada,Okafor,ada@example.org,(202) 555-0143,Lakeside Clinic,Marketing Qualified "
    "Lead,x@y.z,High,\r\n"
    "102,Ben,Stone,not-an-email,,,Lead,,,\r\n" /* line 3: bad email */
    "103,Cleo,Park,cleo@example.org,,\"Park, Lee & Partners\",Rocket Ship,,,\r\n" /* line 4: no such
                                                                                     stage */
    ",,,,,,,,,\r\n" /* line 5: separators alone, a blank line */
    "105,Dev,Rao,dev@example.org,,,customer,,urgent,\"Met at the fair.\nCall \"\"after 5\"\"\"\r\n"
    "106,\"Eve\nMarie\",Lin,eve@example.org,,,,,low,\r\n"; /* lines 8-9: a name on two lines */

static void
test_mapping_and_rejections (Fixture *f, gconstpointer data)
{
  g_auto(CpImportResult) result = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) ada = NULL;
  g_autoptr(CpLead) dev = NULL;
  g_autoptr(CpLead) eve = NULL;
  const CpImportRejection *r;

  g_assert_true (import_text (f, hubspot_file, CP_IMPORT_DUPLICATE_MERGE, FALSE, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 2);
  g_assert_cmpuint (result.rejected, ==, 3);
  g_assert_cmpuint (count_leads (f), ==, 2);

  r = rejection_at (&result, 3);
  g_assert_cmpuint (r->column, ==, 4);     /* Email */
  r = rejection_at (&result, 4);
  g_assert_cmpuint (r->column, ==, 7);     /* Lifecycle Stage */
  g_assert_nonnull (strstr (r->reason, "Rocket Ship"));
  r = rejection_at (&result, 8);
  g_assert_cmpuint (r->column, ==, 2);     /* First Name: on one line */

  /* Normalised and mapped: the first Email column wins, stages and choices
   * are read as people write them, the phone is stored as E.164. */
  ada = lead_by_email (f, "ada@example.org");
  g_assert_nonnull (ada);
  g_assert_cmpstr (cp_lead_get_text (ada, CP_LEAD_FIELD_STAGE), ==, "engaged");
  g_assert_cmpstr (cp_lead_get_text (ada, CP_LEAD_FIELD_URGENCY), ==, "high");
  g_assert_cmpstr (cp_lead_get_text (ada, CP_LEAD_FIELD_ORGANIZATION), ==, "Lakeside Clinic");
  g_assert_true (g_str_has_prefix (cp_lead_get_text (ada, CP_LEAD_FIELD_PHONE), "+1202555"));
  /* Scored and routed as it landed. */
  g_assert_nonnull (cp_lead_get_text (ada, CP_LEAD_FIELD_TIER));
  g_assert_nonnull (cp_lead_get_text (ada, CP_LEAD_FIELD_QUEUE));
  dev = lead_by_email (f, "dev@example.org");
  g_assert_nonnull (dev);
  g_assert_cmpstr (cp_lead_get_text (dev, CP_LEAD_FIELD_STAGE), ==, "onboarding");
  g_assert_cmpstr (cp_lead_get_text (dev, CP_LEAD_FIELD_NOTES), ==,
                   "Met at the fair.\nCall \"after 5\"");
  eve = lead_by_email (f, "eve@example.org");
  g_assert_null (eve);

  /* The report as CSV: header, then one row per refused row — with the
   * row as the file had it, under the file's header: fixed, it imports. */
  {
    g_autofree char *report = cp_import_rejections_csv (&result);
    g_autofree char *fixed = NULL;
    g_auto(CpImportResult) again = { 0, };
    g_autoptr(CpLead) ben = NULL;

    g_assert_true (g_str_has_prefix (report, "line,column,reason,Record ID,First Name,Last Name,"
                                             "Email,Phone Number,Company Name,Lifecycle Stage,"
                                             "Email,Urgency,Notes\r\n3,4,"));
    g_assert_nonnull (strstr (report, ",102,Ben,Stone,not-an-email,,,Lead,,,\r\n"));
    g_assert_nonnull (strstr (report, ",103,Cleo,Park,cleo@example.org,,\"Park, Lee & Partners\","
                                      "Rocket Ship,,,\r\n"));
    {
      g_auto(GStrv) parts = g_strsplit (report, "not-an-email", -1);

      fixed = g_strjoinv ("ben@example.org", parts);
    }
    g_assert_true (import_text (f, fixed, CP_IMPORT_DUPLICATE_MERGE, FALSE, &again, &error));
    g_assert_no_error (error);
    ben = lead_by_email (f, "ben@example.org");
    g_assert_nonnull (ben);
    g_assert_cmpstr (cp_lead_get_text (ben, CP_LEAD_FIELD_LAST_NAME), ==, "Stone");
    /* The report's own columns fill nothing. */
    for (CpLeadField field = 0; field < CP_LEAD_N_FIELDS; field++)
      if (cp_lead_field_info (field)->type == CP_FIELD_TYPE_TEXT &&
          cp_lead_get_text (ben, field) != NULL)
        g_assert_null (strstr (cp_lead_get_text (ben, field), "not a valid"));
  }
}

/* A partner's list with its own words for stages and service lines. */
static const char partner_file[] =
  "email,stage,source channel\n"
  "a@example.org,Prospect,Walk-in\n"         /* line 2 */
  "b@example.org,prospect!,Referral\n"       /* line 3: the same value, spelled otherwise */
  "c@example.org,Engaged,Misc\n"             /* line 4 */
  "d@example.org,SQL,walk in\n"              /* line 5 */
  "e@example.org,Prospect,\n"                /* line 6 */
  "f@example.org,Unknown Thing,Fax\n"        /* line 7 */
  "g@example.org,Unknown Thing,Referral\n";  /* line 8 */

static gboolean
has_value (GPtrArray  *values,
           const char *value)
{
  for (guint i = 0; i < values->len; i++)
    if (g_str_equal (((CpImportValue *) values->pdata[i])->value, value))
      return TRUE;
  return FALSE;
}

static const CpImportValue *
find_value (GPtrArray  *values,
            const char *value)
{
  for (guint i = 0; i < values->len; i++)
    if (g_str_equal (((CpImportValue *) values->pdata[i])->value, value))
      return values->pdata[i];
  g_error ("no value “%s” in the scan", value);
}

static void
test_value_mapping (Fixture *f, gconstpointer data)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(CpCsvReader) scan_reader =
      cp_csv_reader_new_for_data (partner_file, strlen (partner_file));
  g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_data (partner_file, strlen (partner_file));
  g_autoptr(GPtrArray) header = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CpImportMapping) mapping = NULL;
  g_autoptr(GPtrArray) values = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CpImportResult) result = { 0, };
  CpImportOptions options = {
    CP_IMPORT_HEADERS_AUTO, CP_IMPORT_DUPLICATE_MERGE, FALSE, "test", NULL, NOW
  };
  const CpImportValue *v;
  gboolean truncated = TRUE;
  g_autoptr(CpLead) a = NULL;
  g_autoptr(CpLead) b = NULL;
  g_autoptr(CpLead) c = NULL;
  g_autoptr(CpLead) e = NULL;
  g_autoptr(CpLead) f_lead = NULL;

  g_ptr_array_add (header, g_strdup ("email"));
  g_ptr_array_add (header, g_strdup ("stage"));
  g_ptr_array_add (header, g_strdup ("source channel"));
  mapping = cp_import_mapping_detect (header, CP_IMPORT_HEADERS_AUTO);
  g_assert_cmpint (g_array_index (mapping->fields, CpLeadField, 2), ==,
                   CP_LEAD_FIELD_SOURCE_CHANNEL);

  /* The scan: each distinct value once, with its count and what it is read as. */
  values = cp_import_scan_values (scan_reader, mapping, playbook, 0, &truncated, &error);
  g_assert_no_error (error);
  g_assert_false (truncated);
  g_assert_cmpuint (values->len, ==, 8);   /* stages: 4, source channels: 4 */
  v = values->pdata[0];
  g_assert_cmpstr (v->value, ==, "Prospect");   /* most frequent first */
  g_assert_cmpuint (v->count, ==, 3);
  g_assert_null (v->automatic);
  v = find_value (values, "Engaged");
  g_assert_cmpstr (v->automatic, ==, "engaged");
  v = find_value (values, "SQL");
  g_assert_null (v->automatic);
  v = find_value (values, "Walk-in");
  g_assert_cmpuint (v->column, ==, 2);
  g_assert_cmpuint (v->count, ==, 2);
  g_assert_null (v->automatic);
  v = find_value (values, "Referral");
  g_assert_cmpstr (v->automatic, ==, "referral");
  g_assert_false (has_value (values, "a@example.org"));   /* not a value column */

  /* What the user said: Prospect → New, SQL refused, Walk-in → Event,
   * Misc left empty; Unknown Thing and Fax are left as they are. */
  cp_import_mapping_set_value (mapping, CP_LEAD_FIELD_STAGE, "PROSPECT", CP_IMPORT_VALUE_SET,
                               "new");
  cp_import_mapping_set_value (mapping, CP_LEAD_FIELD_STAGE, "SQL", CP_IMPORT_VALUE_REFUSE, NULL);
  cp_import_mapping_set_value (mapping, CP_LEAD_FIELD_SOURCE_CHANNEL, "Walk-in",
                               CP_IMPORT_VALUE_SET, "event");
  cp_import_mapping_set_value (mapping, CP_LEAD_FIELD_SOURCE_CHANNEL, "Misc", CP_IMPORT_VALUE_EMPTY,
                               NULL);
  /* A choice set and taken back is automatic again. */
  cp_import_mapping_set_value (mapping, CP_LEAD_FIELD_SOURCE_CHANNEL, "Fax", CP_IMPORT_VALUE_SET,
                               "organic");
  cp_import_mapping_set_value (mapping, CP_LEAD_FIELD_SOURCE_CHANNEL, "Fax", CP_IMPORT_VALUE_AUTO,
                               NULL);
  options.mapping = mapping;

  g_assert_true (
      cp_lead_import_run (f->store, reader, &options, NULL, NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 4);
  g_assert_cmpuint (result.rejected, ==, 3);
  g_assert_cmpuint (rejection_at (&result, 5)->column, ==, 2);
  g_assert_nonnull (strstr (rejection_at (&result, 5)->reason, "as chosen"));
  /* Fax is read as no channel: the row is refused at its column. */
  g_assert_cmpuint (rejection_at (&result, 7)->column, ==, 3);
  /* A stage the playbook lacks: refused by the store, in its own words,
   * as every other entry point is told. */
  g_assert_cmpuint (rejection_at (&result, 8)->column, ==, 2);
  g_assert_cmpstr (rejection_at (&result, 8)->reason, ==,
                   "There is no stage “Unknown Thing” in the playbook.");

  a = lead_by_email (f, "a@example.org");
  b = lead_by_email (f, "b@example.org");
  c = lead_by_email (f, "c@example.org");
  e = lead_by_email (f, "e@example.org");
  f_lead = lead_by_email (f, "f@example.org");
  g_assert_cmpstr (cp_lead_get_stage (a), ==, "new");
  g_assert_cmpstr (cp_lead_get_text (a, CP_LEAD_FIELD_SOURCE_CHANNEL), ==, "event");
  g_assert_cmpstr (cp_lead_get_stage (b), ==, "new");   /* "prospect!" is "Prospect" */
  g_assert_cmpstr (cp_lead_get_stage (c), ==, "engaged");
  g_assert_null (cp_lead_get_text (c, CP_LEAD_FIELD_SOURCE_CHANNEL));
  g_assert_cmpstr (cp_lead_get_stage (e), ==, "new");
  g_assert_null (f_lead);
  g_assert_null (lead_by_email (f, "g@example.org"));
  {
    g_autoptr(GPtrArray) problems = cp_database_check_repairable (f->database, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (problems->len, ==, 0);
  }
}

/* Rows repeating each other and a stored lead, under each policy. */
static const char duplicates_file[] =
    "first_name,last_name,email,job_title,organization\n"
    "Ada,Okafor,ada@example.org,Director,\n" /* the stored lead: its empty job title is filled */
    "Ben,Stone,ben@example.org,,\n"
    "Benjamin,Stone,BEN@example.org,Nurse,Northside Health\n"; /* the row above, by email */

static void
store_ada (Fixture *f)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Ada");
  cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, "Okafor");
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "ada@example.org");
  g_assert_true (cp_lead_store_create (f->store, lead, "test", &error));
  g_assert_no_error (error);
}

static void
test_duplicates (Fixture *f, gconstpointer data)
{
  const CpImportDuplicates policies[] = {
    CP_IMPORT_DUPLICATE_MERGE, CP_IMPORT_DUPLICATE_SKIP, CP_IMPORT_DUPLICATE_KEEP,
  };
  /* imported, merged, skipped, leads after */
  const guint expected[][4] = { { 1, 2, 0, 2 }, { 1, 0, 2, 2 }, { 3, 0, 0, 4 } };

  for (guint p = 0; p < G_N_ELEMENTS (policies); p++)
    {
      g_auto(CpImportResult) result = { 0, };
      g_autoptr(GError) error = NULL;
      g_autoptr(CpLead) ada = NULL;
      g_autoptr(CpLead) ben = NULL;

      fixture_tear_down (f, NULL);
      fixture_set_up (f, NULL);
      store_ada (f);
      g_assert_true (import_text (f, duplicates_file, policies[p], FALSE, &result, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (result.imported, ==, expected[p][0]);
      g_assert_cmpuint (result.merged, ==, expected[p][1]);
      g_assert_cmpuint (result.skipped, ==, expected[p][2]);
      g_assert_cmpuint (count_leads (f), ==, expected[p][3]);

      ada = lead_by_email (f, "ada@example.org");
      ben = lead_by_email (f, "ben@example.org");
      if (policies[p] == CP_IMPORT_DUPLICATE_MERGE)
        {
          /* Empty fields filled; a value already there kept. */
          g_assert_cmpstr (cp_lead_get_text (ada, CP_LEAD_FIELD_JOB_TITLE), ==, "Director");
          g_assert_cmpstr (cp_lead_get_text (ben, CP_LEAD_FIELD_JOB_TITLE), ==, "Nurse");
          g_assert_cmpstr (cp_lead_get_text (ben, CP_LEAD_FIELD_FIRST_NAME), ==, "Ben");
        }
      else if (policies[p] == CP_IMPORT_DUPLICATE_SKIP)
        g_assert_null (cp_lead_get_text (ada, CP_LEAD_FIELD_JOB_TITLE));

      /* Rows are indexed for search by the batch, and a merge within the
       * batch re-indexes a row added earlier in it: the index agrees. */
      {
        g_autoptr(GPtrArray) problems = cp_database_check_repairable (f->database, NULL, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (problems->len, ==, 0);
      }
    }
}

/* A dry run counts exactly what the import does, and writes nothing. */
static void
test_dry_run (Fixture *f, gconstpointer data)
{
  g_auto(CpImportResult) dry = { 0, };
  g_auto(CpImportResult) real = { 0, };
  g_autoptr(GError) error = NULL;

  store_ada (f);
  g_assert_true (import_text (f, duplicates_file, CP_IMPORT_DUPLICATE_MERGE, TRUE, &dry, &error));
  g_assert_cmpuint (count_leads (f), ==, 1);
  {
    g_autoptr(CpLead) ada = lead_by_email (f, "ada@example.org");
    g_assert_null (cp_lead_get_text (ada, CP_LEAD_FIELD_JOB_TITLE));
  }
  g_assert_true (import_text (f, duplicates_file, CP_IMPORT_DUPLICATE_MERGE, FALSE, &real, &error));
  g_assert_cmpuint (dry.imported, ==, real.imported);
  g_assert_cmpuint (dry.merged, ==, real.merged);
  g_assert_cmpuint (dry.skipped, ==, real.skipped);
  g_assert_cmpuint (dry.rejected, ==, real.rejected);
}

static void
test_empty_and_header_only (Fixture *f, gconstpointer data)
{
  g_auto(CpImportResult) empty = { 0, };
  g_auto(CpImportResult) header_only = { 0, };
  g_auto(CpImportResult) no_fields = { 0, };
  g_autoptr(GError) error = NULL;

  g_assert_true (import_text (f, "", CP_IMPORT_DUPLICATE_MERGE, FALSE, &empty, &error));
  g_assert_nonnull (empty.warning);
  g_assert_true (import_text (f, "email,first_name\r\n", CP_IMPORT_DUPLICATE_MERGE, FALSE,
                              &header_only, &error));
  g_assert_cmpuint (header_only.imported + header_only.rejected, ==, 0);
  /* No column names a field: refused as a whole, with the reason. */
  g_assert_false (import_text (f, "foo,bar\n1,2\n", CP_IMPORT_DUPLICATE_MERGE, FALSE, &no_fields,
                               &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_assert_cmpuint (count_leads (f), ==, 0);
}

/* White space around a cell is not part of its value (the import copies
 * a cell only when it has some): names, emails and phones are stored
 * trimmed, a cell of white space alone is empty, and white space
 * inside a value stays. */
static void
test_trimmed_cells (Fixture *f, gconstpointer data)
{
  static const char file[] =
    "first_name,last_name,email,phone,notes\n"
    "  Ada ,\tOkafor\t, ada@example.org ,  (202) 555-0143 ,\" kept  inside \"\n"
    "Ben,Stone,ben@example.org,   ,   \n";
  g_auto(CpImportResult) result = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) ada = NULL;
  g_autoptr(CpLead) ben = NULL;

  g_assert_true (import_text (f, file, CP_IMPORT_DUPLICATE_MERGE, FALSE, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 2);
  g_assert_cmpuint (result.rejected, ==, 0);
  ada = lead_by_email (f, "ada@example.org");
  g_assert_nonnull (ada);
  g_assert_cmpstr (cp_lead_get_text (ada, CP_LEAD_FIELD_FIRST_NAME), ==, "Ada");
  g_assert_cmpstr (cp_lead_get_text (ada, CP_LEAD_FIELD_LAST_NAME), ==, "Okafor");
  g_assert_cmpstr (cp_lead_get_text (ada, CP_LEAD_FIELD_PHONE), ==, "+12025550143");
  g_assert_cmpstr (cp_lead_get_text (ada, CP_LEAD_FIELD_NOTES), ==, "kept  inside");
  ben = lead_by_email (f, "ben@example.org");
  g_assert_nonnull (ben);
  g_assert_null (cp_lead_get_text (ben, CP_LEAD_FIELD_PHONE));
  g_assert_null (cp_lead_get_text (ben, CP_LEAD_FIELD_NOTES));
}

/* A spreadsheet's rows of nothing but separators (Excel writes them under
 * the data) are blank lines, not refused rows; a row whose only values are
 * in columns that are not imported is still refused, saying so. */
static void
test_separator_only_rows (Fixture *f, gconstpointer data)
{
  static const char file[] =
    "First Name;Email;Favourite colour\r\n"
    "Ada;ada@example.org;\r\n"
    ";;\r\n"
    " ; ;\t\r\n"
    ";;blue\r\n"
    "Ben;ben@example.org;\r\n"
    ";;\r\n";
  g_auto(CpImportResult) result = { 0, };
  g_autoptr(GError) error = NULL;

  g_assert_true (import_text (f, file, CP_IMPORT_DUPLICATE_MERGE, FALSE, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 2);
  g_assert_cmpuint (result.rejected, ==, 1);
  g_assert_nonnull (rejection_at (&result, 5));
}

/* Windows-1252, semicolons, a truncated last line, an unclosed quote. */
static void
test_nasty_encoding (Fixture *f, gconstpointer data)
{
  g_auto(CpImportResult) result = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) rene = NULL;
  const char *text = "First Name;Last Name;E-Mail\n"
                     "Ren\xe9;M\xfcller;rene@example.org\n"
                     "J\xf6rg;Weiss;joerg@example.org\n"
                     "Anna;\"Never closed;anna@example.org\n";

  g_assert_true (import_text (f, text, CP_IMPORT_DUPLICATE_MERGE, FALSE, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 2);
  g_assert_cmpuint (result.rejected, ==, 1);
  g_assert_cmpuint (((CpImportRejection *) result.rejections->pdata[0])->line, ==, 4);
  g_assert_cmpuint (((CpImportRejection *) result.rejections->pdata[0])->column, ==, 2);
  g_assert_nonnull (result.warning);
  rene = lead_by_email (f, "rene@example.org");
  g_assert_cmpstr (cp_lead_get_text (rene, CP_LEAD_FIELD_FIRST_NAME), ==, "René");
  g_assert_cmpstr (cp_lead_get_text (rene, CP_LEAD_FIELD_LAST_NAME), ==, "Müller");
}

/* Export, then import into an empty database: every field comes back but
 * what the playbook computes, which is computed anew (activities and the
 * stage history are not part of the file). */
static void
test_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GPtrArray) leads = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autofree char *csv = NULL;
  g_autofree char *dir2 = cp_test_make_tmp_dir ();
  g_autoptr(CpDatabase) database2 = cp_test_open_database (dir2);
  g_autoptr(CpLeadStore) store2 = cp_lead_store_new (database2);
  g_autoptr(CpCsvReader) reader = NULL;
  g_auto(CpImportResult) result = { 0, };
  CpImportOptions options = { CP_IMPORT_HEADERS_CARE_PATH, CP_IMPORT_DUPLICATE_KEEP, FALSE, "test",
                              NULL, NOW };

  cp_test_publish_open_playbook (database2);
  g_assert_true (cp_demo_writer_run (f->store, 120, 21, NOW, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(CpLead) first = NULL;

    leads = cp_lead_store_query (f->store, query, 0, 1000, &error);
    first = cp_lead_store_get (f->store, cp_lead_get_id (leads->pdata[0]), &error);
    cp_lead_set_custom (first, "insurer", "Acme, \"Health\"\nPlan");
    /* Guarded on export against spreadsheet formulas, read back as typed. */
    cp_lead_set_text (first, CP_LEAD_FIELD_NOTES, "- call back after 5\n=not a formula");
    cp_lead_set_custom (first, "referrer", "@clinic");
    g_assert_true (cp_lead_store_update (f->store, first, "test", NULL, &error));
    g_assert_no_error (error);
  }
  for (guint i = 0; i < leads->len; i++)
    g_ptr_array_add (ids, (gpointer) cp_lead_get_id (leads->pdata[i]));
  g_ptr_array_add (ids, NULL);
  csv = cp_test_export_csv (f->store, (const char * const *) ids->pdata, &error);
  g_assert_no_error (error);

  reader = cp_csv_reader_new_for_data (csv, strlen (csv));
  g_assert_true (cp_lead_import_run (store2, reader, &options, NULL, NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.rejected, ==, 0);
  g_assert_cmpuint (result.imported, ==, leads->len);

  for (guint i = 0; i < leads->len; i++)
    {
      g_autoptr(CpLead) before =
          cp_lead_store_get (f->store, cp_lead_get_id (leads->pdata[i]), NULL);
      g_autoptr(CpLead) after = cp_lead_store_get (store2, cp_lead_get_id (leads->pdata[i]), NULL);

      g_assert_nonnull (after);
      for (guint field = 0; field < CP_LEAD_N_FIELDS; field++)
        {
          g_autofree char *a = NULL;
          g_autofree char *b = NULL;

          if (cp_lead_field_is_computed (field))
            continue;
          a = cp_lead_dup_field_string (before, field);
          b = cp_lead_dup_field_string (after, field);
          if (g_strcmp0 (a, b) != 0)
            g_error ("field %s of %s: “%s” became “%s”", cp_lead_field_info (field)->name,
                     cp_lead_get_id (before), a, b);
        }
      g_assert_cmpstr (cp_lead_get_custom (after, "insurer"), ==,
                       cp_lead_get_custom (before, "insurer"));
      g_assert_cmpstr (cp_lead_get_custom (after, "referrer"), ==,
                       cp_lead_get_custom (before, "referrer"));
    }
  g_clear_object (&store2);
  g_clear_object (&database2);
  cp_test_remove_tree (dir2);
}

/* A cancel after the first batch: that batch stays, nothing of the next.
 * Into an empty database the file is one transaction with its index
 * builds deferred: the rows before the cancel are kept (here the first
 * batch), and their indexes built. */
typedef struct
{
  GCancellable *cancellable;
  guint         calls;
} CancelAfter;

static void
cancel_progress_cb (guint    done,
                    guint    total,
                    gpointer user_data)
{
  CancelAfter *cancel = user_data;

  if (++cancel->calls == 1)
    g_cancellable_cancel (cancel->cancellable);
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GString) text = g_string_new ("first_name,last_name,email\n");
  g_autoptr(CpCsvReader) reader = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(CpImportResult) result = { 0, };
  g_autoptr(GError) error = NULL;
  CancelAfter cancel = { cancellable, 0 };
  CpImportOptions options = {
    CP_IMPORT_HEADERS_AUTO, CP_IMPORT_DUPLICATE_MERGE, FALSE, "test", NULL, NOW
  };

  for (guint i = 0; i < CP_IMPORT_BATCH_ROWS * 2 + CP_IMPORT_BATCH_ROWS / 2; i++)
    g_string_append_printf (text, "Person%u,Tester,person%u@example.org\n", i, i);
  reader = cp_csv_reader_new_for_data (text->str, text->len);
  g_assert_true (cp_lead_import_run (f->store, reader, &options, cancel_progress_cb, &cancel,
                                     cancellable, &result, &error));
  g_assert_no_error (error);
  g_assert_true (result.cancelled);
  /* Whole batches only: the database holds what the result says. */
  g_assert_cmpuint (result.imported, ==, count_leads (f));
  g_assert_cmpuint (result.imported % CP_IMPORT_BATCH_ROWS, ==, 0);
  g_assert_cmpuint (result.imported, >, 0);
  g_assert_cmpuint (result.imported, <, CP_IMPORT_BATCH_ROWS * 2 + CP_IMPORT_BATCH_ROWS / 2);
  {
    g_autoptr(GPtrArray) problems = cp_database_check_repairable (f->database, NULL, &error);
    g_assert_cmpuint (problems->len, ==, 0);
  }
}

/* A phone number that cannot be read is reported at its column, as every
 * other refused value is; international numbers are read as written. */
static void
test_phone_refused_at_its_column (Fixture *f, gconstpointer data)
{
  static const char file[] =
    "first_name,last_name,phone,email\n"
    "José,García,+34 612 345 678,jose@example.es\n"
    "Anne,Dupont,01 23 45 67 89,anne@example.fr\n"        /* line 3: a French number, read in US */
    "Мария,Иванова,+7 912 345-67-89,maria@example.ru\n"
    "Li,Wei,12345,li@example.cn\n";                        /* line 5: too short */
  g_auto(CpImportResult) result = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) maria = NULL;
  const CpImportRejection *r;

  g_assert_true (import_text (f, file, CP_IMPORT_DUPLICATE_MERGE, FALSE, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 2);
  g_assert_cmpuint (result.rejected, ==, 2);
  r = rejection_at (&result, 3);
  g_assert_cmpuint (r->column, ==, 3);
  g_assert_nonnull (strstr (r->reason, "01 23 45 67 89"));
  r = rejection_at (&result, 5);
  g_assert_cmpuint (r->column, ==, 3);
  maria = lead_by_email (f, "maria@example.ru");
  g_assert_nonnull (maria);
  g_assert_cmpstr (cp_lead_get_text (maria, CP_LEAD_FIELD_PHONE), ==, "+79123456789");
}

/* HubSpot exports a phone and a mobile column: a contact with only a
 * mobile number keeps it (the first column with a value fills the
 * field), and a value refused is reported at its own column. */
static void
test_second_column_of_a_field (Fixture *f, gconstpointer data)
{
  static const char file[] =
    "First Name,Last Name,Phone Number,Mobile Phone Number,Email,E-mail\n"
    "Ann,Lee,,+44 7700 900123,ann@example.org,\n"
    "Bo,Kim,+1 202 555 0143,+1 202 555 0199,bo@example.org,bo.kim@example.org\n"
    "Cy,Ng,,12,cy@example.org,\n"                                 /* line 4: a bad mobile */
    "Di,Roy,,,,di@example.org\n";
  g_auto(CpImportResult) result = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) ann = NULL;
  g_autoptr(CpLead) bo = NULL;
  g_autoptr(CpLead) di = NULL;
  const CpImportRejection *r;

  g_assert_true (import_text (f, file, CP_IMPORT_DUPLICATE_MERGE, FALSE, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 3);
  g_assert_cmpuint (result.rejected, ==, 1);
  r = rejection_at (&result, 4);
  g_assert_cmpuint (r->column, ==, 4);
  ann = lead_by_email (f, "ann@example.org");
  g_assert_nonnull (ann);
  g_assert_cmpstr (cp_lead_get_text (ann, CP_LEAD_FIELD_PHONE), ==, "+447700900123");
  bo = lead_by_email (f, "bo@example.org");
  g_assert_nonnull (bo);
  g_assert_cmpstr (cp_lead_get_text (bo, CP_LEAD_FIELD_PHONE), ==, "+12025550143");
  di = lead_by_email (f, "di@example.org");
  g_assert_nonnull (di);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/lead-import/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("value-mapping", test_value_mapping);
  ADD ("mapping-and-rejections", test_mapping_and_rejections);
  ADD ("duplicates", test_duplicates);
  ADD ("dry-run", test_dry_run);
  ADD ("empty-and-header-only", test_empty_and_header_only);
  ADD ("nasty-encoding", test_nasty_encoding);
  ADD ("round-trip", test_round_trip);
  ADD ("cancel", test_cancel);
  ADD ("trimmed-cells", test_trimmed_cells);
  ADD ("separator-only-rows", test_separator_only_rows);
  ADD ("phone-refused-at-its-column", test_phone_refused_at_its_column);
  ADD ("second-column-of-a-field", test_second_column_of_a_field);
#undef ADD

  return g_test_run ();
}
