/* test-activity-import.c — attendee and check-in lists through the write path: matching,
 * automation, idempotence SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cp-activity-import.h"
#include "cp-core-error.h"
#include "cp-database-private.h"
#include "cp-event-time.h"
#include "cp-playbook-store.h"
#include "cp-rescore.h"
#include "cp-scorer.h"
#include "cp-store-error.h"
#include "cp-test-util.h"

/* 2026-11-21T09:00:00Z: the morning after the webinar of the fixture. */
#define NOW G_GINT64_CONSTANT (1795251600)
/* 2026-11-20T10:02:11Z: when Jane joined it. */
#define JANE_JOINED G_GINT64_CONSTANT (1795168931)

typedef struct
{
  char        *dir;
  CpDatabase  *database;
  CpLeadStore *store;
  GTimeZone   *utc;
} Fixture;

static gint64
fixed_now (void)
{
  return NOW;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  cp_test_tmp_store_open (&f->dir, &f->database, &f->store);
  cp_lead_store_set_clock (f->store, fixed_now);
  f->utc = g_time_zone_new_utc ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_time_zone_unref (f->utc);
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
}

static char *
fixture_path (const char *name)
{
  const char *dir = g_getenv ("CP_TEST_FIXTURES");

  return dir != NULL ? g_build_filename (dir, name, NULL)
                     : g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *text)
{
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static gboolean
import_file (Fixture                  *f,
             const char               *path,
             CpActivityImportOptions  *options,
             CpActivityImportResult   *result,
             GError                  **error)
{
  g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_path (path, NULL);

  g_assert_nonnull (reader);
  if (options->actor == NULL)
    options->actor = "test";
  options->zone = f->utc;
  return cp_activity_import_run (f->store, reader, options, NULL, NULL, NULL, result, error);
}

static CpActivityRowReport *
problem_at (CpActivityImportResult *result,
            guint64                 line)
{
  for (guint i = 0; i < result->problems->len; i++)
    {
      CpActivityRowReport *r = result->problems->pdata[i];

      if (r->line == line)
        return r;
    }
  g_error ("no problem reported at line %" G_GUINT64_FORMAT, line);
  return NULL;
}

static CpScoreExplanation *
explain (Fixture    *f,
         const char *lead_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpPlaybook) playbook = cp_playbook_store_load_active (f->database, NOW, NULL, &error);
  g_autoptr(CpLeadSnapshot) snapshot = NULL;
  g_autoptr(CpScorer) scorer = NULL;

  g_assert_no_error (error);
  snapshot = cp_lead_snapshot_load (f->store, lead_id, NOW, &error);
  g_assert_no_error (error);
  scorer = cp_scorer_new (playbook);
  return cp_scorer_explain (scorer, &snapshot->input);
}

static const CpScoreContribution *
contribution_of (CpScoreExplanation *explanation,
                 const char         *rule_id)
{
  for (guint i = 0; i < explanation->contributions->len; i++)
    {
      CpScoreContribution *c = explanation->contributions->pdata[i];

      if (g_strcmp0 (c->rule_id, rule_id) == 0)
        return c;
    }
  return NULL;
}

static char *
create_jane (Fixture *f)
{
  return cp_test_create_lead (f->store,
                              CP_LEAD_FIELD_FIRST_NAME, "Jane",
                              CP_LEAD_FIELD_LAST_NAME, "Doe",
                              CP_LEAD_FIELD_EMAIL, "jane.doe@example.com",
                              CP_LEAD_FIELD_LEAD_TYPE, "patient",
                              CP_LEAD_FIELD_SERVICE_LINE, "primary_care",
                              CP_LEAD_FIELD_LOCATION, "Riverside",
                              CP_LEAD_N_FIELDS);
}

/* The Must-show: a Zoom attendee report moves a fitting lead to qualified
 * through webinar_fit_qualified and raises its intent exactly as explain says. */
static void
test_zoom_attendees_qualify (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *jane = create_jane (f);
  g_autofree char *path = fixture_path ("zoom-attendees.csv");
  g_autoptr(CpScoreExplanation) before = explain (f, jane);
  g_autoptr(CpScoreExplanation) after = NULL;
  g_autoptr(CpLead) lead = NULL;
  g_autoptr(GPtrArray) activities = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CpActivityImportResult) result = { 0, };
  CpActivityImportOptions options = { 0, };
  const CpScoreContribution *webinar;
  CpActivity *activity;
  gboolean qualified = FALSE;
  gint64                     intent_before =
      cp_test_sql_int (f->database, "SELECT intent_score FROM leads WHERE id = ?1", jane);

  g_assert_null (contribution_of (before, "intent_webinar_attended"));
  options.kind = CP_ACTIVITY_KIND_WEBINAR_ATTENDED;
  g_assert_true (import_file (f, path, &options, &result, &error));
  g_assert_no_error (error);

  /* Six rows under a two-line title block. */
  g_assert_cmpuint (result.rows, ==, 6);
  g_assert_cmpuint (result.recorded, ==, 1);
  g_assert_cmpuint (result.by_email, ==, 1);
  g_assert_cmpuint (result.unmatched, ==, 3);
  g_assert_cmpuint (result.skipped, ==, 1);
  g_assert_cmpuint (result.rejected, ==, 1);
  g_assert_nonnull (strstr (result.warning, "2 lines"));
  g_assert_cmpuint (problem_at (&result, 6)->status, ==, CP_ACTIVITY_ROW_SKIPPED);
  g_assert_cmpuint (problem_at (&result, 8)->status, ==, CP_ACTIVITY_ROW_REJECTED);
  g_assert_nonnull (strstr (problem_at (&result, 8)->reason, "Nov 31, 2026"));
  g_assert_cmpuint (problem_at (&result, 5)->status, ==, CP_ACTIVITY_ROW_UNMATCHED);
  /* Kept with its values, for the report. */
  g_assert_cmpstr (problem_at (&result, 5)->values[4], ==, "bob.personal@example.net");

  lead = cp_lead_store_get (f->store, jane, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cp_lead_get_stage (lead), ==, "qualified");
  for (guint i = 0; i < result.moves->len; i++)
    {
      CpActivityImportMove *move = result.moves->pdata[i];

      g_assert_cmpstr (move->lead_id, ==, jane);
      if (g_str_equal (move->rule_id, "webinar_fit_qualified"))
        qualified = g_str_equal (move->to_stage, "qualified") && move->line == 4;
    }
  g_assert_true (qualified);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM stage_events WHERE lead_id = ?1"
                                    " AND to_stage = 'qualified' AND reason LIKE '%webinar%'",
                                    jane),
                   ==, 1);

  /* The intent score is what explain says, and it rose by the webinar rule's share. */
  after = explain (f, jane);
  webinar = contribution_of (after, "intent_webinar_attended");
  g_assert_nonnull (webinar);
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_INTENT_SCORE), ==,
                   after->result.category[CP_SCORE_INTENT]);
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE), ==, after->result.score);
  g_assert_cmpfloat_with_epsilon (after->raw[CP_SCORE_INTENT] - before->raw[CP_SCORE_INTENT],
                                  webinar->effective, 1e-9);
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_INTENT_SCORE) - intent_before, ==,
                   after->result.category[CP_SCORE_INTENT] -
                       before->result.category[CP_SCORE_INTENT]);
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_INTENT_SCORE), >, intent_before);

  /* The activity as recorded: from a file, once, when Jane joined. */
  activities = cp_lead_store_list_activities (f->store, jane, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (activities->len, ==, 1);
  activity = activities->pdata[0];
  g_assert_cmpint (cp_activity_get_kind (activity), ==, CP_ACTIVITY_KIND_WEBINAR_ATTENDED);
  g_assert_cmpint (cp_activity_get_occurred_at (activity), ==, JANE_JOINED);
  g_assert_cmpint (cp_activity_get_depth (activity), ==, 57);
  g_assert_cmpstr (cp_activity_get_source (activity), ==, "file");
  g_assert_cmpstr (cp_activity_get_direction (activity), ==, "inbound");
  g_assert_true (g_str_has_prefix (cp_activity_get_external_id (activity), "file:"));

  /* The run is audited: started, then what it did. */
  g_assert_nonnull (result.run_id);
  g_assert_cmpint (cp_test_sql_int (f->database, "SELECT count(*) FROM audit_log WHERE entity = "
                                    "'activity_import' AND entity_id = ?1", result.run_id), ==, 2);
  g_assert_cmpint (cp_test_sql_int (f->database, "SELECT count(*) FROM audit_log WHERE entity = "
                                    "'activity_import' AND action = 'import' AND new_value LIKE "
                                    "'%recorded=1 %' AND entity_id = ?1", result.run_id), ==, 1);
}

/* Importing the same file again records nothing, moves nothing, scores nothing. */
static void
test_reimport_changes_nothing (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *jane = create_jane (f);
  g_autofree char *path = fixture_path ("zoom-attendees.csv");
  g_auto(CpActivityImportResult) first = { 0, };
  g_auto(CpActivityImportResult) second = { 0, };
  g_autoptr(GError) error = NULL;
  CpActivityImportOptions options = { 0, };
  gint64 activities, events, audit, score, intent, updated;

  options.kind = CP_ACTIVITY_KIND_WEBINAR_ATTENDED;
  g_assert_true (import_file (f, path, &options, &first, &error));
  g_assert_no_error (error);
  activities = cp_test_count_rows (f->database, "activities");
  events = cp_test_count_rows (f->database, "stage_events");
  audit =
      cp_test_sql_int (f->database, "SELECT count(*) FROM audit_log WHERE entity = 'lead'", NULL);
  score = cp_test_sql_int (f->database, "SELECT score FROM leads WHERE id = ?1", jane);
  intent = cp_test_sql_int (f->database, "SELECT intent_score FROM leads WHERE id = ?1", jane);
  updated = cp_test_sql_int (f->database, "SELECT updated_at FROM leads WHERE id = ?1", jane);

  g_assert_true (import_file (f, path, &options, &second, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (second.recorded, ==, 0);
  g_assert_cmpuint (second.already, ==, first.recorded);
  g_assert_cmpuint (second.moves->len, ==, 0);
  g_assert_cmpuint (second.unmatched, ==, first.unmatched);
  g_assert_cmpuint (second.rejected, ==, first.rejected);
  g_assert_cmpuint (second.skipped, ==, first.skipped);
  g_assert_cmpint (cp_test_count_rows (f->database, "activities"), ==, activities);
  g_assert_cmpint (cp_test_count_rows (f->database, "stage_events"), ==, events);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM audit_log WHERE entity = 'lead'", NULL),
                   ==, audit);
  g_assert_cmpint (cp_test_sql_int (f->database, "SELECT score FROM leads WHERE id = ?1", jane), ==,
                   score);
  g_assert_cmpint (cp_test_sql_int (f->database, "SELECT intent_score FROM leads WHERE id = ?1",
                                    jane),
                   ==, intent);
  g_assert_cmpint (cp_test_sql_int (f->database, "SELECT updated_at FROM leads WHERE id = ?1",
                                    jane),
                   ==, updated);
}

static const char matching_csv[] =
  "Email,First Name,Last Name,Phone,Date,Event\n"
  "A@Example.COM,,,,2026-11-19,Expo\n"                     /* 2: email */
  ",Bo,Ray,(617) 555-0101,2026-11-19 10:00,Expo\n"        /* 3: phone and name */
  ",,,617-555-0102,2026-11-19,Expo\n"                      /* 4: phone alone */
  ",Zed,Quill,617-555-0102,2026-11-19,Expo\n"              /* 5: phone, another name */
  ",Al,Twin,617-555-0103,2026-11-19,Expo\n"                /* 6: two leads */
  "nobody@example.com,No,Body,,2026-11-19,Expo\n"          /* 7: nobody */
  "a@example.com,,,,not a date,Expo\n"                     /* 8: refused */
  "a@example.com,,,,2099-01-01,Expo\n"                     /* 9: ahead */
  ",Only,Name,,2026-11-19,Expo\n";                         /* 10: a name alone */

typedef struct
{
  char *a, *bo, *cy, *twin1, *twin2;
} Leads;

static void
create_matching_leads (Fixture *f,
                       Leads   *leads)
{
  leads->a = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Ann", CP_LEAD_FIELD_EMAIL,
                                  "a@example.com", CP_LEAD_N_FIELDS);
  leads->bo =
      cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Bo", CP_LEAD_FIELD_LAST_NAME, "Ray",
                           CP_LEAD_FIELD_PHONE, "+16175550101", CP_LEAD_N_FIELDS);
  leads->cy =
      cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Cy", CP_LEAD_FIELD_LAST_NAME, "Lo",
                           CP_LEAD_FIELD_PHONE, "+16175550102", CP_LEAD_N_FIELDS);
  leads->twin1 =
      cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Al", CP_LEAD_FIELD_LAST_NAME,
                           "Twin", CP_LEAD_FIELD_PHONE, "+16175550103", CP_LEAD_N_FIELDS);
  leads->twin2 =
      cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Al", CP_LEAD_FIELD_LAST_NAME,
                           "Twin", CP_LEAD_FIELD_PHONE, "+16175550103", CP_LEAD_N_FIELDS);
}

static void
leads_clear (Leads *leads)
{
  g_free (leads->a);
  g_free (leads->bo);
  g_free (leads->cy);
  g_free (leads->twin1);
  g_free (leads->twin2);
}

static gint64
activities_of (Fixture    *f,
               const char *lead_id)
{
  return cp_test_sql_int (f->database, "SELECT count(*) FROM activities WHERE lead_id = ?1",
                          lead_id);
}

/* Email first, then phone AND name; a phone alone, a name alone or two
 * possible leads match nothing, and every such row is kept. */
static void
test_matching (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = write_file (f, "expo.csv", matching_csv);
  g_auto(CpActivityImportResult) result = { 0, };
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  CpActivityImportOptions options = { 0, };
  Leads leads = { NULL, };
  CpActivityRowReport *twins;

  create_matching_leads (f, &leads);
  options.kind = CP_ACTIVITY_KIND_EVENT_CHECK_IN;
  g_assert_true (import_file (f, path, &options, &result, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (result.recorded, ==, 2);
  g_assert_cmpuint (result.by_email, ==, 1);
  g_assert_cmpuint (result.by_phone_name, ==, 1);
  g_assert_cmpint (activities_of (f, leads.a), ==, 1);
  g_assert_cmpint (activities_of (f, leads.bo), ==, 1);
  g_assert_cmpint (activities_of (f, leads.cy), ==, 0);
  g_assert_cmpint (activities_of (f, leads.twin1) + activities_of (f, leads.twin2), ==, 0);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM activities WHERE lead_id = ?1"
                                    " AND detail = 'Expo' AND source = 'file'",
                                    leads.a),
                   ==, 1);

  g_assert_cmpuint (result.unmatched, ==, 4);
  g_assert_cmpuint (problem_at (&result, 4)->status, ==, CP_ACTIVITY_ROW_UNMATCHED);
  g_assert_nonnull (strstr (problem_at (&result, 4)->reason, "phone alone"));
  g_assert_cmpuint (problem_at (&result, 5)->status, ==, CP_ACTIVITY_ROW_UNMATCHED);
  g_assert_cmpuint (problem_at (&result, 7)->status, ==, CP_ACTIVITY_ROW_UNMATCHED);
  g_assert_cmpuint (problem_at (&result, 10)->status, ==, CP_ACTIVITY_ROW_UNMATCHED);
  g_assert_nonnull (strstr (problem_at (&result, 10)->reason, "name alone"));

  g_assert_cmpuint (result.ambiguous, ==, 1);
  twins = problem_at (&result, 6);
  g_assert_cmpuint (twins->status, ==, CP_ACTIVITY_ROW_AMBIGUOUS);
  g_assert_cmpuint (g_strv_length (twins->candidates), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) twins->candidates, leads.twin1));
  g_assert_true (g_strv_contains ((const char * const *) twins->candidates, leads.twin2));

  g_assert_cmpuint (result.rejected, ==, 2);
  g_assert_nonnull (strstr (problem_at (&result, 8)->reason, "not a date"));
  g_assert_nonnull (strstr (problem_at (&result, 9)->reason, "a day ahead"));

  /* The report keeps every such row whole: line, status, reason, the row. */
  csv = cp_activity_import_problems_csv (&result);
  g_assert_true (
      g_str_has_prefix (csv, "line,status,reason,Email,First Name,Last Name,Phone,Date,Event\r\n"));
  g_assert_nonnull (
      strstr (csv,
              "7,unmatched,No lead has this email.,nobody@example.com,No,Body,,2026-11-19,Expo"));
  g_assert_nonnull (strstr (csv, "6,ambiguous,"));
  leads_clear (&leads);
}

/* --create-leads: a lead through the write path (routed, scored, its SLA
 * clock started), then its activity; never for a phone a lead has. */
static void
test_create_leads (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = write_file (f, "expo.csv", matching_csv);
  g_auto(CpActivityImportResult) result = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) created = NULL;
  g_autofree char *created_id = NULL;
  CpActivityImportOptions options = { 0, };
  Leads leads = { NULL, };
  gint64 before;

  create_matching_leads (f, &leads);
  before = cp_test_count_rows (f->database, "leads");
  options.kind = CP_ACTIVITY_KIND_EVENT_CHECK_IN;
  options.create_leads = TRUE;
  g_assert_true (import_file (f, path, &options, &result, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (result.leads_created, ==, 1);
  g_assert_cmpuint (result.recorded, ==, 3);
  g_assert_cmpint (cp_test_count_rows (f->database, "leads"), ==, before + 1);
  /* The phone rows stay unmatched: a lead has that phone. */
  g_assert_cmpuint (result.unmatched, ==, 3);
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (_cp_database_get_handle (f->database),
                                         "SELECT id FROM leads WHERE email = 'nobody@example.com'",
                                         -1, &stmt, NULL),
                     ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    created_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
  }
  created = cp_lead_store_get (f->store, created_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cp_lead_get_text (created, CP_LEAD_FIELD_FIRST_NAME), ==, "No");
  g_assert_cmpstr (cp_lead_get_text (created, CP_LEAD_FIELD_LAST_NAME), ==, "Body");
  g_assert_cmpstr (cp_lead_get_text (created, CP_LEAD_FIELD_SOURCE_CHANNEL), ==, "event");
  g_assert_nonnull (cp_lead_get_text (created, CP_LEAD_FIELD_QUEUE));
  g_assert_cmpint (cp_lead_get_int (created, CP_LEAD_FIELD_SLA_DUE_AT), >, 0);
  {
    /* Scored by the playbook, as explain says. */
    g_autoptr(CpScoreExplanation) explanation = explain (f, created_id);

    g_assert_cmpint (cp_lead_get_int (created, CP_LEAD_FIELD_SCORE), ==, explanation->result.score);
    g_assert_cmpstr (cp_lead_get_text (created, CP_LEAD_FIELD_TIER), ==, explanation->result.tier);
  }
  g_assert_cmpint (activities_of (f, created_id), ==, 1);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM audit_log WHERE entity = 'lead'"
                                    " AND entity_id = ?1 AND action = 'create'",
                                    created_id),
                   ==, 1);
  leads_clear (&leads);
}

/* A dry run counts what would happen and writes nothing at all. */
static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *jane = create_jane (f);
  g_autofree char *path = fixture_path ("zoom-attendees.csv");
  g_auto(CpActivityImportResult) result = { 0, };
  g_autoptr(GError) error = NULL;
  CpActivityImportOptions options = { 0, };
  gint64 audit = cp_test_count_rows (f->database, "audit_log");
  gint64 events = cp_test_count_rows (f->database, "stage_events");
  gint64 leads = cp_test_count_rows (f->database, "leads");

  options.kind = CP_ACTIVITY_KIND_WEBINAR_ATTENDED;
  options.dry_run = TRUE;
  options.create_leads = TRUE;
  g_assert_true (import_file (f, path, &options, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.recorded, ==, 4);
  g_assert_cmpuint (result.leads_created, ==, 3);
  g_assert_cmpuint (result.moves->len, >, 0);
  g_assert_null (result.run_id);
  g_assert_cmpint (cp_test_count_rows (f->database, "activities"), ==, 0);
  g_assert_cmpint (cp_test_count_rows (f->database, "audit_log"), ==, audit);
  g_assert_cmpint (cp_test_count_rows (f->database, "stage_events"), ==, events);
  g_assert_cmpint (cp_test_count_rows (f->database, "leads"), ==, leads);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM leads WHERE stage = 'new' AND id = ?1",
                                    jane),
                   ==, 1);
}

/* A mapping file names columns the detection would not find; a wrong one says what is wrong. */
static void
test_mapping_file (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *jane = create_jane (f);
  g_autofree char *csv =
      write_file (f, "odd.csv", "Who,Came,Title\njane.doe@example.com,2026-11-20 10:00,Open day\n");
  g_autofree char *mapping =
      write_file (f, "odd.ini", "[columns]\nemail = Who\noccurred_at = came\ndetail = Title\n");
  g_autofree char *wrong =
      write_file (f, "wrong.ini", "[columns]\nemail = Who\noccurred_at = Arrived\n");
  g_auto(CpActivityImportResult) result = { 0, };
  g_auto(CpActivityImportResult) refused = { 0, };
  g_auto(CpActivityImportResult) detected = { 0, };
  g_autoptr(GError) error = NULL;
  CpActivityImportOptions options = { 0, };

  options.kind = CP_ACTIVITY_KIND_EVENT_CHECK_IN;
  g_assert_false (import_file (f, csv, &options, &detected, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "when"));
  g_clear_error (&error);

  options.mapping_path = wrong;
  g_assert_false (import_file (f, csv, &options, &refused, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Arrived"));
  g_clear_error (&error);

  options.mapping_path = mapping;
  g_assert_true (import_file (f, csv, &options, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.recorded, ==, 1);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM activities WHERE lead_id = ?1"
                                    " AND detail = 'Open day' AND kind = 'event_check_in'",
                                    jane),
                   ==, 1);
}

static void
cancel_after_first_batch (guint    done,
                          guint    total,
                          gpointer user_data)
{
  if (total == 0)
    g_cancellable_cancel (user_data);
}

/* Interrupted after a batch (as a kill would leave it), the import keeps
 * whole batches, and running it again completes it without doubles. */
static void
test_interrupted_then_completed (Fixture       *f,
                                 gconstpointer  data)
{
  guint n = CP_ACTIVITY_IMPORT_BATCH_ROWS + 120;
  g_autoptr(GString) csv = g_string_new ("Email,Timestamp\n");
  g_autofree char *path = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CpCsvReader) reader = NULL;
  g_auto(CpActivityImportResult) first = { 0, };
  g_auto(CpActivityImportResult) second = { 0, };
  g_autoptr(GError) error = NULL;
  CpActivityImportOptions options = { 0, };

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *email = g_strdup_printf ("visitor%u@example.com", i);
      g_autofree char *id = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Visitor",
                                                 CP_LEAD_FIELD_EMAIL, email, CP_LEAD_N_FIELDS);

      g_string_append_printf (csv, "%s,2026-11-19 12:%02u:00\n", email, i % 60);
    }
  path = write_file (f, "visits.csv", csv->str);
  options.kind = CP_ACTIVITY_KIND_PAGE_VISIT;
  options.actor = "test";
  options.zone = f->utc;
  reader = cp_csv_reader_new_for_path (path, NULL);
  g_assert_true (cp_activity_import_run (f->store, reader, &options, cancel_after_first_batch,
                                         cancellable, cancellable, &first, &error));
  g_assert_no_error (error);
  g_assert_true (first.cancelled);
  g_assert_cmpuint (first.recorded, ==, CP_ACTIVITY_IMPORT_BATCH_ROWS);
  g_assert_cmpint (cp_test_count_rows (f->database, "activities"), ==,
                   CP_ACTIVITY_IMPORT_BATCH_ROWS);

  g_assert_true (import_file (f, path, &options, &second, &error));
  g_assert_no_error (error);
  g_assert_false (second.cancelled);
  g_assert_cmpuint (second.already, ==, CP_ACTIVITY_IMPORT_BATCH_ROWS);
  g_assert_cmpuint (second.recorded, ==, n - CP_ACTIVITY_IMPORT_BATCH_ROWS);
  g_assert_cmpint (cp_test_count_rows (f->database, "activities"), ==, n);
}

/* Times as the platforms write them; anything else is refused, not guessed. */
static void
test_event_times (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  static const struct { const char *text; gint64 expected; } good[] = {
    { "2026-11-20 10:02:11", JANE_JOINED },
    { "2026-11-20T10:02:11Z", JANE_JOINED },
    { "11/20/2026 10:02:11 AM", JANE_JOINED },
    { "11/20/2026 10:02:11", JANE_JOINED },
    { "Nov 20, 2026 10:02:11", JANE_JOINED },
    { "Fri, Nov 20, 2026 10:02:11 AM", JANE_JOINED },
    { "20 Nov 2026 10:02:11", JANE_JOINED },
    { "20.11.2026 10:02:11", JANE_JOINED },
    { "Nov 20, 2026 5:02:11 AM EST", JANE_JOINED },
    { "2026-11-20 11:02:11 +01:00", JANE_JOINED },
    { "1795168931", JANE_JOINED },
    { "2026-11-20", JANE_JOINED - (10 * 3600 + 2 * 60 + 11) },
    { "11/20/2026 10:02 PM", JANE_JOINED + 12 * 3600 - 11 },
  };
  const char *bad[] = { "", "soon", "13/13/2026", "Nov 31, 2026", "2026-02-30", "11/20/2026 25:00",
                        "11/20/2026 10:00 XYZ", "2026", "13:00 PM 11/20/2026" };
  int minutes = -1;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 when = 0;

      g_test_message ("%s", good[i].text);
      g_assert_true (cp_event_time_parse (good[i].text, utc, &when, &error));
      g_assert_no_error (error);
      g_assert_cmpint (when, ==, good[i].expected);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 when = 0;

      g_test_message ("%s", bad[i]);
      g_assert_false (cp_event_time_parse (bad[i], utc, &when, &error));
      g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_PARSE);
    }

  g_assert_true (cp_event_duration_parse ("57", &minutes, NULL));
  g_assert_cmpint (minutes, ==, 57);
  g_assert_true (cp_event_duration_parse ("1:05:00", &minutes, NULL));
  g_assert_cmpint (minutes, ==, 65);
  g_assert_true (cp_event_duration_parse ("1 hour 5 minutes", &minutes, NULL));
  g_assert_cmpint (minutes, ==, 65);
  g_assert_true (cp_event_duration_parse ("22.5", &minutes, NULL));
  g_assert_cmpint (minutes, ==, 23);
  g_assert_true (cp_event_duration_parse ("", &minutes, NULL));
  g_assert_cmpint (minutes, ==, 0);
  g_assert_false (cp_event_duration_parse ("a while", &minutes, NULL));
  g_assert_false (cp_event_duration_parse ("-5", &minutes, NULL));
}

/* Zoom's headers, GoToWebinar's, Eventbrite's and a form's: the kind
 * decides between a registration and a join time. */
static void
test_detect_columns (void)
{
  const char *zoom[] = { "Attended",
                         "User Name (Original Name)",
                         "First Name",
                         "Last Name",
                         "Email",
                         "Registration Time",
                         "Approval Status",
                         "Join Time",
                         "Leave Time",
                         "Time in Session (minutes)",
                         NULL };
  const char *eventbrite[] = { "Order #", "Attendee #", "Name", "Email Address", "Event Name",
                               "Check-In Date", "Ticket Type", NULL };
  g_autoptr(GPtrArray) headers = g_ptr_array_new ();
  g_autoptr(CpActivityMapping) attended = NULL;
  g_autoptr(CpActivityMapping) registered = NULL;
  g_autoptr(CpActivityMapping) checked_in = NULL;

  for (guint i = 0; zoom[i] != NULL; i++)
    g_ptr_array_add (headers, (char *) zoom[i]);
  attended = cp_activity_mapping_detect (headers, CP_ACTIVITY_KIND_WEBINAR_ATTENDED);
  registered = cp_activity_mapping_detect (headers, CP_ACTIVITY_KIND_WEBINAR_REGISTERED);
  g_assert_cmpuint (cp_activity_mapping_column (attended, CP_ACTIVITY_COLUMN_OCCURRED_AT), ==, 8);
  g_assert_cmpuint (cp_activity_mapping_column (registered, CP_ACTIVITY_COLUMN_OCCURRED_AT), ==, 6);
  g_assert_cmpuint (cp_activity_mapping_column (attended, CP_ACTIVITY_COLUMN_EMAIL), ==, 5);
  g_assert_cmpuint (cp_activity_mapping_column (attended, CP_ACTIVITY_COLUMN_FIRST_NAME), ==, 3);
  g_assert_cmpuint (cp_activity_mapping_column (attended, CP_ACTIVITY_COLUMN_FULL_NAME), ==, 2);
  g_assert_cmpuint (cp_activity_mapping_column (attended, CP_ACTIVITY_COLUMN_DEPTH), ==, 10);
  g_assert_cmpuint (cp_activity_mapping_column (attended, CP_ACTIVITY_COLUMN_ATTENDED), ==, 1);
  g_assert_true (cp_activity_mapping_check (attended, NULL));

  g_ptr_array_set_size (headers, 0);
  for (guint i = 0; eventbrite[i] != NULL; i++)
    g_ptr_array_add (headers, (char *) eventbrite[i]);
  checked_in = cp_activity_mapping_detect (headers, CP_ACTIVITY_KIND_EVENT_CHECK_IN);
  g_assert_cmpuint (cp_activity_mapping_column (checked_in, CP_ACTIVITY_COLUMN_OCCURRED_AT), ==, 6);
  g_assert_cmpuint (cp_activity_mapping_column (checked_in, CP_ACTIVITY_COLUMN_EMAIL), ==, 4);
  g_assert_cmpuint (cp_activity_mapping_column (checked_in, CP_ACTIVITY_COLUMN_FULL_NAME), ==, 3);
  g_assert_cmpuint (cp_activity_mapping_column (checked_in, CP_ACTIVITY_COLUMN_DETAIL), ==, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/activity-import/event-times", test_event_times);
  g_test_add_func ("/activity-import/detect-columns", test_detect_columns);
  g_test_add ("/activity-import/zoom-attendees-qualify", Fixture, NULL, fixture_set_up,
              test_zoom_attendees_qualify, fixture_tear_down);
  g_test_add ("/activity-import/reimport-changes-nothing", Fixture, NULL, fixture_set_up,
              test_reimport_changes_nothing, fixture_tear_down);
  g_test_add ("/activity-import/matching", Fixture, NULL, fixture_set_up, test_matching,
              fixture_tear_down);
  g_test_add ("/activity-import/create-leads", Fixture, NULL, fixture_set_up, test_create_leads,
              fixture_tear_down);
  g_test_add ("/activity-import/dry-run", Fixture, NULL, fixture_set_up, test_dry_run,
              fixture_tear_down);
  g_test_add ("/activity-import/mapping-file", Fixture, NULL, fixture_set_up, test_mapping_file,
              fixture_tear_down);
  g_test_add ("/activity-import/interrupted-then-completed", Fixture, NULL, fixture_set_up,
              test_interrupted_then_completed, fixture_tear_down);
  return g_test_run ();
}
