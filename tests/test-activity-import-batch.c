/* test-activity-import-batch.c — a batch of activity rows: matched together, a lead's rows written
 * as one SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cp-activity-import.h"
#include "cp-core-error.h"
#include "cp-database-private.h"
#include "cp-lead-write-private.h"
#include "cp-test-util.h"

/* 2026-11-21T09:00:00Z: the morning after the last session. */
#define NOW G_GINT64_CONSTANT (1795251600)

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

static gboolean
import_text (Fixture                 *f,
             const char              *name,
             const char              *text,
             CpActivityImportResult  *result,
             GError                 **error)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(CpCsvReader) reader = NULL;
  CpActivityImportOptions options = { 0, };

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  reader = cp_csv_reader_new_for_path (path, NULL);
  g_assert_nonnull (reader);
  options.kind = CP_ACTIVITY_KIND_WEBINAR_ATTENDED;
  options.actor = "test";
  options.zone = f->utc;
  return cp_activity_import_run (f->store, reader, &options, NULL, NULL, NULL, result, error);
}

/* A patient who fits webinar_fit_qualified (as in test-activity-import.c). */
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

#define HEADER "Email,Join Time,Webinar Name\n"
#define SESSION_1 "jane.doe@example.com,2026-11-18 10:00:00,Care at home 1\n"
#define SESSION_2 "jane.doe@example.com,2026-11-19 10:00:00,Care at home 2\n"
#define SESSION_3 "jane.doe@example.com,2026-11-20 10:00:00,Care at home 3\n"

static const char series_csv[] =
  HEADER
  SESSION_3                                                  /* 2 */
  "bob@example.net,2026-11-18 10:00:00,Care at home 1\n"     /* 3: nobody */
  SESSION_1                                                  /* 4: the earliest */
  SESSION_2                                                  /* 5 */
  SESSION_1                                                  /* 6: line 4 again */
  "jane.doe@example.com,someday,Care at home 2\n";           /* 7: refused */

typedef struct
{
  char   *stage;
  gint64  score, intent, tier_rank, last_activity, first_response, activities, events, score_audits;
} LeadState;

static void
lead_state_read (Fixture    *f,
                 const char *id,
                 LeadState  *state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = cp_lead_store_get (f->store, id, &error);

  g_assert_no_error (error);
  state->stage = g_strdup (cp_lead_get_stage (lead));
  state->score = cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE);
  state->intent = cp_lead_get_int (lead, CP_LEAD_FIELD_INTENT_SCORE);
  state->tier_rank =
      cp_test_sql_int (f->database, "SELECT length (tier) FROM leads WHERE id = ?1", id);
  state->last_activity = cp_lead_get_int (lead, CP_LEAD_FIELD_LAST_ACTIVITY_AT);
  state->first_response = cp_lead_get_int (lead, CP_LEAD_FIELD_FIRST_RESPONSE_AT);
  state->activities =
      cp_test_sql_int (f->database, "SELECT count(*) FROM activities WHERE lead_id = ?1", id);
  state->events =
      cp_test_sql_int (f->database, "SELECT count(*) FROM stage_events WHERE lead_id = ?1", id);
  state->score_audits =
      cp_test_sql_int (f->database,
                       "SELECT count(*) FROM audit_log WHERE entity = 'lead'"
                       " AND entity_id = ?1 AND field = 'score' AND actor = 'test'",
                       id);
}

/* A person at three sessions of a series, in one file and out of order:
 * recorded once each, the lead written once for them, the move made by
 * the earliest session, and the lead ends as it would after the three
 * sessions imported one by one. */
static void
test_series_one_write (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *jane = create_jane (f);
  g_auto(CpActivityImportResult) result = { 0, };
  g_autoptr(GError) error = NULL;
  LeadState grouped = { 0, }, alone = { 0, };
  gboolean qualified = FALSE;

  g_assert_true (import_text (f, "series.csv", series_csv, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.rows, ==, 6);
  g_assert_cmpuint (result.recorded, ==, 3);
  g_assert_cmpuint (result.already, ==, 1);
  g_assert_cmpuint (result.unmatched, ==, 1);
  g_assert_cmpuint (result.rejected, ==, 1);
  g_assert_cmpuint (result.by_email, ==, 4);
  /* Reported in file order, whatever order the rows were written in. */
  g_assert_cmpuint (result.problems->len, ==, 2);
  g_assert_cmpuint (((CpActivityRowReport *) result.problems->pdata[0])->line, ==, 3);
  g_assert_cmpuint (((CpActivityRowReport *) result.problems->pdata[1])->line, ==, 7);
  for (guint i = 0; i < result.moves->len; i++)
    {
      CpActivityImportMove *move = result.moves->pdata[i];

      g_assert_cmpstr (move->lead_id, ==, jane);
      g_assert_cmpstr (move->lead_name, ==, "Jane Doe");
      if (g_str_equal (move->rule_id, "webinar_fit_qualified"))
        qualified = move->line == 4 && g_str_equal (move->to_stage, "qualified");
    }
  g_assert_true (qualified);
  lead_state_read (f, jane, &grouped);
  g_assert_cmpstr (grouped.stage, ==, "qualified");

  /* Again: each row recorded before is known so by its email, no lead is
   * looked for, nothing is written; the rest are reported as before. */
  {
    g_auto(CpActivityImportResult) again = { 0, };
    gint64 audit_rows = cp_test_count_rows (f->database, "audit_log");

    g_assert_true (import_text (f, "series.csv", series_csv, &again, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (again.recorded, ==, 0);
    g_assert_cmpuint (again.already, ==, 4);
    g_assert_cmpuint (again.by_email, ==, 0);
    g_assert_cmpuint (again.unmatched, ==, 1);
    g_assert_cmpuint (again.rejected, ==, 1);
    g_assert_cmpuint (again.moves->len, ==, 0);
    /* Only the run's own two audit rows. */
    g_assert_cmpint (cp_test_count_rows (f->database, "audit_log"), ==, audit_rows + 2);
  }
  g_assert_cmpint (grouped.activities, ==, 3);
  g_assert_cmpint (grouped.last_activity, ==, 1795168800);   /* session 3: 2026-11-20T10:00:00Z */

  /* The same sessions, a file each, in another database. */
  fixture_tear_down (f, NULL);
  fixture_set_up (f, NULL);
  {
    g_autofree char *again = create_jane (f);
    const char *sessions[] = { HEADER SESSION_1, HEADER SESSION_2, HEADER SESSION_3 };

    for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
      {
        g_auto(CpActivityImportResult) one = { 0, };

        g_assert_true (import_text (f, "session.csv", sessions[i], &one, &error));
        g_assert_no_error (error);
        g_assert_cmpuint (one.recorded, ==, 1);
      }
    lead_state_read (f, again, &alone);
  }
  g_assert_cmpstr (grouped.stage, ==, alone.stage);
  g_assert_cmpint (grouped.score, ==, alone.score);
  g_assert_cmpint (grouped.intent, ==, alone.intent);
  g_assert_cmpint (grouped.tier_rank, ==, alone.tier_rank);
  g_assert_cmpint (grouped.last_activity, ==, alone.last_activity);
  g_assert_cmpint (grouped.first_response, ==, alone.first_response);
  g_assert_cmpint (grouped.activities, ==, alone.activities);
  g_assert_cmpint (grouped.events, ==, alone.events);
  /* One recompute for the three, not one each. */
  g_assert_cmpint (grouped.score_audits, <=, alone.score_audits);
  g_free (grouped.stage);
  g_free (alone.stage);
}

/* Rows of a batch matched as rows alone are: a lead removed is no match,
 * two leads with the email are listed, none guessed; the same person
 * twice in a batch is one lead's group, its repeat already recorded. */
static void
test_batch_matching (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *gone =
      cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Old", CP_LEAD_FIELD_EMAIL,
                           "kim@example.com", CP_LEAD_N_FIELDS);
  g_autofree char *kim =
      cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Kim", CP_LEAD_FIELD_EMAIL,
                           "Kim@Example.com", CP_LEAD_N_FIELDS);
  g_autofree char *twin1 =
      cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Al", CP_LEAD_FIELD_EMAIL,
                           "al@example.com", CP_LEAD_N_FIELDS);
  g_autofree char *twin2 =
      cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Al", CP_LEAD_FIELD_EMAIL,
                           "al@example.com", CP_LEAD_N_FIELDS);
  g_auto(CpActivityImportResult) result = { 0, };
  g_autoptr(GError) error = NULL;
  CpActivityRowReport *report;

  g_assert_true (cp_lead_store_tombstone (f->store, gone, "test", "test", &error));
  g_assert_no_error (error);
  g_assert_true (import_text (f, "match.csv",
                              HEADER
                              "al@example.com,2026-11-18 10:00:00,One\n"
                              "KIM@example.com,2026-11-18 10:00:00,One\n"
                              "kim@example.com,2026-11-18 10:00:00,One\n",
                              &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.recorded, ==, 1);
  g_assert_cmpuint (result.already, ==, 1);
  g_assert_cmpuint (result.ambiguous, ==, 1);
  report = result.problems->pdata[0];
  g_assert_cmpuint (report->line, ==, 2);
  g_assert_cmpuint (report->status, ==, CP_ACTIVITY_ROW_AMBIGUOUS);
  g_assert_cmpuint (g_strv_length (report->candidates), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) report->candidates, twin1));
  g_assert_true (g_strv_contains ((const char * const *) report->candidates, twin2));
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM activities WHERE lead_id = ?1", kim),
                   ==, 1);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM activities WHERE lead_id = ?1", gone),
                   ==, 0);
}

static CpActivity *
new_activity (const char *lead_id,
              gint64      occurred_at,
              const char *detail,
              const char *external_id)
{
  CpActivity *activity = cp_activity_new ();

  cp_activity_set_lead_id (activity, lead_id);
  cp_activity_set_kind (activity, CP_ACTIVITY_KIND_WEBINAR_ATTENDED);
  cp_activity_set_occurred_at (activity, occurred_at);
  cp_activity_set_detail (activity, detail);
  cp_activity_set_source (activity, "file");
  cp_activity_set_external_id (activity, external_id);
  return activity;
}

/* The store entry itself: one refused activity refuses the call before
 * anything is written; activities recorded before are skipped, nothing
 * is written for them. */
static void
test_write_activities_refusals (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *jane = create_jane (f);
  g_autoptr(GPtrArray) activities = g_ptr_array_new_with_free_func (g_object_unref);
  CpWriteRequest request = _cp_write_request ("activity", "test", NULL, NOW, CP_WRITE_BULK);
  CpWriteOutcome outcomes[2] = { { NULL, }, };
  g_autoptr(GError) error = NULL;
  gint64 audit_rows, updated;

  g_ptr_array_add (activities, new_activity (jane, NOW - 7200, "Session one", "file:one"));
  g_ptr_array_add (activities, new_activity (jane, NOW - 3600, "bad \x01 detail", "file:two"));
  g_assert_true (cp_database_begin (f->database, NULL));
  g_assert_false (
      _cp_lead_store_write_activities (f->store, jane, activities, &request, outcomes, &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  g_assert_true (cp_database_commit (f->database, NULL));
  g_assert_cmpint (cp_test_count_rows (f->database, "activities"), ==, 0);
  g_clear_error (&error);

  cp_activity_set_detail (activities->pdata[1], "Session two");
  g_assert_true (cp_database_begin (f->database, NULL));
  g_assert_true (
      _cp_lead_store_write_activities (f->store, jane, activities, &request, outcomes, &error));
  g_assert_no_error (error);
  g_assert_true (cp_database_commit (f->database, NULL));
  g_assert_false (outcomes[0].duplicate);
  g_assert_false (outcomes[1].duplicate);
  g_assert_cmpint (cp_test_count_rows (f->database, "activities"), ==, 2);
  cp_write_outcome_clear (&outcomes[0]);
  cp_write_outcome_clear (&outcomes[1]);

  audit_rows = cp_test_count_rows (f->database, "audit_log");
  updated = cp_test_sql_int (f->database, "SELECT updated_at FROM leads WHERE id = ?1", jane);
  memset (outcomes, 0, sizeof outcomes);
  request.now = NOW + 60;
  g_assert_true (cp_database_begin (f->database, NULL));
  g_assert_true (
      _cp_lead_store_write_activities (f->store, jane, activities, &request, outcomes, &error));
  g_assert_no_error (error);
  g_assert_true (cp_database_commit (f->database, NULL));
  g_assert_true (outcomes[0].duplicate);
  g_assert_true (outcomes[1].duplicate);
  g_assert_null (outcomes[0].moves);
  g_assert_cmpint (cp_test_count_rows (f->database, "activities"), ==, 2);
  g_assert_cmpint (cp_test_count_rows (f->database, "audit_log"), ==, audit_rows);
  g_assert_cmpint (cp_test_sql_int (f->database, "SELECT updated_at FROM leads WHERE id = ?1",
                                    jane),
                   ==, updated);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/activity-import-batch/series-one-write", Fixture, NULL, fixture_set_up,
              test_series_one_write, fixture_tear_down);
  g_test_add ("/activity-import-batch/matching", Fixture, NULL, fixture_set_up, test_batch_matching,
              fixture_tear_down);
  g_test_add ("/activity-import-batch/write-activities-refusals", Fixture, NULL, fixture_set_up,
              test_write_activities_refusals, fixture_tear_down);
  return g_test_run ();
}
