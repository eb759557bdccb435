/* test-sync-forms.c — HubSpot form submissions and marketing-event attendance pulled as activities
 * (#23)
 *
 * Against the fake HubSpot: submissions of several forms over several
 * pages become form fills on the leads with their emails; a second sync
 * reads one page per form and records nothing; a submission whose email
 * no lead has is kept, listed with its reason and recorded once its
 * contact arrives; webinar attendance qualifies a fitting lead through
 * the default playbook, with the intent score explain gives; attendance
 * of an event in person is a check-in; a private app without the forms
 * scope is told so in words while contacts, engagements, events and the
 * push go on.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cp-database-private.h"
#include "cp-hubspot-backend.h"
#include "cp-playbook-store.h"
#include "cp-rescore.h"
#include "cp-scorer.h"
#include "cp-sync-engine.h"
#include "cp-sync-error.h"
#include "cp-test-util.h"
#include "fake-hubspot.h"

#define CONNECTED_OUTCOME "f240bbac-87c9-4f6e-bf70-924b57d47db7"

typedef struct
{
  char         *dir;
  char         *db_path;
  FakeHubspot  *hubspot;
  CpDatabase   *database;
  CpLeadStore  *leads;
  CpSyncStore  *store;
} Fixture;

static void
setup (Fixture  *f,
       gboolean  open_playbook)
{
  cp_test_tmp_store_open (&f->dir, &f->database, &f->leads);
  if (open_playbook)
    cp_test_publish_open_playbook (f->database);
  f->db_path = g_strdup (cp_database_get_path (f->database));
  f->store = cp_sync_store_new (f->leads, "hubspot");
  f->hubspot = fake_hubspot_new ();
  fake_hubspot_set_search_rate (f->hubspot, 64);
  fake_hubspot_set_rate_limit (f->hubspot, 190, 1000);
}

static void
open_setup (Fixture       *f,
            gconstpointer  data)
{
  setup (f, TRUE);
}

static void
default_playbook_setup (Fixture       *f,
                        gconstpointer  data)
{
  setup (f, FALSE);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_object (&f->store);
  g_clear_pointer (&f->hubspot, fake_hubspot_free);
  cp_test_tmp_store_close (&f->dir, &f->database, &f->leads);
  g_free (f->db_path);
}

static gboolean
sync_run (Fixture      *f,
          CpSyncStats  *stats,
          GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  CpBackoff backoff = { 1, 8, 6, 0.001 };
  g_autoptr(CpCrmBackend) backend = cp_hubspot_backend_new (fake_hubspot_get_url (f->hubspot),
                                                            fake_hubspot_get_token (f->hubspot),
                                                            &local_error);
  g_autoptr(CpSyncEngine) engine = NULL;

  g_assert_no_error (local_error);
  cp_crm_client_set_backoff (cp_crm_backend_get_client (backend), &backoff);
  cp_crm_client_set_search_rate (cp_crm_backend_get_client (backend), 64);
  engine = cp_sync_engine_new (f->db_path, backend);
  memset (stats, 0, sizeof *stats);
  return cp_sync_engine_run (engine, stats, NULL, error);
}

static void
sync_ok (Fixture     *f,
         CpSyncStats *stats)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sync_run (f, stats, &error));
  g_assert_no_error (error);
}

static gint64
sql_int (Fixture    *f,
         const char *sql,
         const char *text)
{
  return cp_test_sql_int (f->database, sql, text);
}

/* Epoch ms @seconds from now. */
static gint64
ms_from_now (gint64 seconds)
{
  return (g_get_real_time () / G_USEC_PER_SEC + seconds) * 1000;
}

static char *
lead_of (Fixture    *f,
         const char *contact)
{
  g_autoptr(GError) error = NULL;
  char *lead_id = cp_sync_store_find_lead (f->store, contact, &error);

  g_assert_no_error (error);
  g_assert_nonnull (lead_id);
  return lead_id;
}

/* The lead's activities of @kind, as "detail|depth|direction|source" lines. */
static char *
activities_of (Fixture    *f,
               const char *lead_id,
               const char *kind)
{
  sqlite3 *db = _cp_database_get_handle (f->database);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT coalesce (detail, '') || '|' || depth || '|'"
                                           " || coalesce (direction, '') || '|' || source"
                                           " FROM activities WHERE lead_id = ?1 AND kind = ?2"
                                           " ORDER BY occurred_at DESC, detail", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, lead_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (text, "%s%s", text->len > 0 ? "\n" : "",
                            (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static CpSyncReject *
find_reject (GPtrArray  *rejects,
             const char *entity)
{
  for (guint i = 0; i < rejects->len; i++)
    if (g_strcmp0 (((CpSyncReject *) rejects->pdata[i])->entity, entity) == 0)
      return rejects->pdata[i];
  return NULL;
}

/* Three forms (two pages of the form list); 120 submissions of one over
 * three pages of 50; each a form fill on the lead with its email, newest
 * first, with only the form's name, the fields answered and no answer. */
static void
test_paging (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *ann = fake_hubspot_add_contact (f->hubspot, "Ann", "ann@example.org");
  g_autofree char *bob = fake_hubspot_add_contact (f->hubspot, "Bob", "bob@example.org");
  g_autofree char *newsletter = fake_hubspot_add_form (f->hubspot, "Newsletter");
  g_autofree char *appointment = fake_hubspot_add_form (f->hubspot, "Request an appointment");
  g_autofree char *empty = fake_hubspot_add_form (f->hubspot, "Unused");
  g_autofree char *ann_lead = NULL, *bob_lead = NULL, *rows = NULL, *cursor = NULL, *stream = NULL;
  gint64 start = ms_from_now (-7 * 24 * 3600);
  CpSyncStats stats;

  for (guint i = 0; i < 120; i++)
    fake_hubspot_add_submission (f->hubspot, newsletter, start + i * 60000,
                                 "https://clinic.example.org/news?email=ann%40example.org#top",
                                 "email", "Ann@Example.org", "message", "private words",
                                 "phone", "", NULL);
  fake_hubspot_add_submission (f->hubspot, appointment, start + 3600000, NULL,
                               "email", "bob@example.org", "firstname", "Bob",
                               "reason", "knee pain", NULL);

  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pulled, ==, 2);
  g_assert_cmpuint (stats.activities, ==, 121);
  g_assert_cmpuint (stats.quarantined, ==, 0);
  ann_lead = lead_of (f, ann);
  bob_lead = lead_of (f, bob);
  g_assert_cmpint (sql_int (f,
                            "SELECT count(*) FROM activities WHERE lead_id = ?1 AND kind = "
                            "'form_fill'"
                            " AND source = 'crm' AND detail = 'Newsletter' AND depth = 2"
                            " AND direction = 'inbound'",
                            ann_lead),
                   ==, 120);
  rows = activities_of (f, bob_lead, "form_fill");
  g_assert_cmpstr (rows, ==, "Request an appointment|3|inbound|crm");
  /* Neither the answers nor the page's query come in. */
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM activities WHERE detail LIKE '%private%'"
                               " OR detail LIKE '%knee%' OR detail LIKE '%?%'", NULL), ==, 0);
  /* Pages: two of forms, three of the big form, one of each other. */
  g_assert_cmpint (fake_hubspot_requests (f->hubspot, "/marketing/v3/forms"), ==, 2);
  g_assert_cmpint (fake_hubspot_requests (f->hubspot, newsletter), ==, 3);
  g_assert_cmpint (fake_hubspot_requests (f->hubspot, appointment), ==, 1);
  g_assert_cmpint (fake_hubspot_requests (f->hubspot, empty), ==, 1);
  /* Each form has its cursor: its newest submission; the empty one none. */
  stream = g_strconcat ("forms:", newsletter, NULL);
  cursor = cp_sync_store_get_cursor (f->store, stream);
  g_assert_cmpint (g_ascii_strtoll (cursor, NULL, 10), ==, start + 119 * 60000);
  g_free (stream);
  stream = g_strconcat ("forms:", empty, NULL);
  g_assert_null (cp_sync_store_get_cursor (f->store, stream));
}

/* Again: one page per form, nothing recorded, nothing audited; two new
 * submissions: recorded, and still one page; the cursor lost: every
 * page again, and nothing changes. */
static void
test_incremental (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *ann = fake_hubspot_add_contact (f->hubspot, "Ann", "ann@example.org");
  g_autofree char *form = fake_hubspot_add_form (f->hubspot, "Contact us");
  g_autofree char *stream = g_strconcat ("forms:", form, NULL);
  gint64 start = ms_from_now (-2 * 24 * 3600);
  gint64 audit, activities;
  guint requests;
  CpSyncStats stats;

  for (guint i = 0; i < 70; i++)
    fake_hubspot_add_submission (f->hubspot, form, start + i * 1000, NULL,
                                 "email", "ann@example.org", NULL);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 70);
  g_assert_cmpint (fake_hubspot_requests (f->hubspot, form), ==, 2);

  audit = cp_test_count_rows (f->database, "audit_log");
  activities = cp_test_count_rows (f->database, "activities");
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 0);
  g_assert_cmpuint (stats.quarantined, ==, 0);
  g_assert_cmpint (fake_hubspot_requests (f->hubspot, form), ==, 3);
  g_assert_cmpint (cp_test_count_rows (f->database, "activities"), ==, activities);
  g_assert_cmpint (cp_test_count_rows (f->database, "audit_log"), ==, audit);

  fake_hubspot_add_submission (f->hubspot, form, ms_from_now (-60), NULL,
                               "email", "ann@example.org", NULL);
  fake_hubspot_add_submission (f->hubspot, form, ms_from_now (-30), NULL,
                               "email", "ANN@example.org", NULL);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 2);
  g_assert_cmpint (fake_hubspot_requests (f->hubspot, form), ==, 4);
  g_assert_cmpint (cp_test_count_rows (f->database, "activities"), ==, activities + 2);

  /* The cursor lost: both pages again; nothing is recorded twice. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (cp_database_begin (f->database, &error));
    g_assert_true (cp_sync_store_set_cursor (f->store, stream, "0", &error));
    g_assert_true (cp_database_commit (f->database, &error));
    g_assert_no_error (error);
  }
  requests = fake_hubspot_requests (f->hubspot, form);
  audit = cp_test_count_rows (f->database, "audit_log");
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 0);
  g_assert_cmpint (fake_hubspot_requests (f->hubspot, form), ==, requests + 2);
  g_assert_cmpint (cp_test_count_rows (f->database, "activities"), ==, activities + 2);
  g_assert_cmpint (cp_test_count_rows (f->database, "audit_log"), ==, audit);
}

/* An email no lead has, and no email at all: kept with why, listed,
 * tried again; the contact arrives: recorded, and off the list. */
static void
test_unmatched (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *ann = fake_hubspot_add_contact (f->hubspot, "Ann", "ann@example.org");
  g_autofree char *form = fake_hubspot_add_form (f->hubspot, "Book a demo");
  g_autofree char *carl = NULL, *carl_lead = NULL, *rows = NULL;
  g_autoptr(GPtrArray) rejects = NULL;
  g_autoptr(GError) error = NULL;
  CpSyncReject *reject;
  CpSyncStats stats;

  fake_hubspot_add_submission (f->hubspot, form, ms_from_now (-600), NULL,
                               "email", "ann@example.org", NULL);
  fake_hubspot_add_submission (f->hubspot, form, ms_from_now (-500), NULL,
                               "email", "carl@example.net", "company", "Lakeview Clinic", NULL);
  fake_hubspot_add_submission (f->hubspot, form, ms_from_now (-400), NULL,
                               "firstname", "Nobody", NULL);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 1);
  g_assert_cmpuint (stats.quarantined, ==, 2);

  rejects = cp_sync_store_list_rejects (f->store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejects->len, ==, 2);
  for (guint i = 0; i < rejects->len; i++)
    {
      reject = rejects->pdata[i];
      g_assert_cmpstr (reject->entity, ==, "form_submissions");
      g_assert_true (g_str_has_prefix (reject->remote_id, form));
      if (strstr (reject->payload, "carl@example.net") != NULL)
        {
          g_assert_cmpstr (reject->reason, ==, "No lead here has its email.");
          /* What Carepath needs only: the answers stay in HubSpot. */
          g_assert_null (strstr (reject->payload, "Lakeview"));
        }
      else
        g_assert_nonnull (strstr (reject->reason, "no email"));
    }
  g_clear_pointer (&rejects, g_ptr_array_unref);

  /* Tried again at the next sync: still kept, once each. */
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 0);
  g_assert_cmpuint (stats.recovered, ==, 0);
  rejects = cp_sync_store_list_rejects (f->store, FALSE, &error);
  g_assert_cmpuint (rejects->len, ==, 2);
  reject = find_reject (rejects, "form_submissions");
  g_assert_cmpuint (reject != NULL ? reject->attempts : 0, ==, 2);
  g_clear_pointer (&rejects, g_ptr_array_unref);

  /* Carl becomes a contact: his lead arrives, and his submission with it. */
  carl = fake_hubspot_add_contact (f->hubspot, "Carl", "Carl@Example.net");
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pulled, ==, 1);
  g_assert_cmpuint (stats.recovered, ==, 1);
  g_assert_cmpuint (stats.activities, ==, 1);
  carl_lead = lead_of (f, carl);
  rows = activities_of (f, carl_lead, "form_fill");
  g_assert_cmpstr (rows, ==, "Book a demo|2|inbound|crm");
  rejects = cp_sync_store_list_rejects (f->store, FALSE, &error);
  g_assert_cmpuint (rejects->len, ==, 1);
  g_assert_nonnull (strstr (((CpSyncReject *) rejects->pdata[0])->reason, "no email"));
}

static CpScoreExplanation *
explain (Fixture    *f,
         const char *lead_id)
{
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(CpPlaybook) playbook = cp_playbook_store_load_active (f->database, now, NULL, &error);
  g_autoptr(CpLeadSnapshot) snapshot = NULL;
  g_autoptr(CpScorer) scorer = NULL;

  g_assert_no_error (error);
  snapshot = cp_lead_snapshot_load (f->leads, lead_id, now, &error);
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

/* Default playbook: a fitting lead attends a HubSpot webinar and asks
 * for an appointment: qualified through webinar_fit_qualified, its
 * intent raised by exactly what explain says the two rules give. */
static void
test_webinar_qualifies (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *ann = fake_hubspot_add_contact (f->hubspot, "Ann", "ann@example.org");
  g_autofree char *webinar = NULL, *form = NULL, *lead_id = NULL;
  g_autoptr(CpLead) lead = NULL;
  g_autoptr(CpScoreExplanation) before = NULL;
  g_autoptr(CpScoreExplanation) after = NULL;
  g_autoptr(GError) error = NULL;
  const CpScoreContribution *attended, *consult;
  gint64 intent_before;
  CpSyncStats stats;

  sync_ok (f, &stats);
  lead_id = lead_of (f, ann);
  lead = cp_lead_store_get (f->leads, lead_id, &error);
  g_assert_no_error (error);
  cp_lead_set_text (lead, CP_LEAD_FIELD_LEAD_TYPE, "patient");
  cp_lead_set_text (lead, CP_LEAD_FIELD_SERVICE_LINE, "primary_care");
  cp_lead_set_text (lead, CP_LEAD_FIELD_LOCATION, "Riverside");
  g_assert_true (cp_lead_store_update (f->leads, lead, "tester", NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&lead);
  before = explain (f, lead_id);
  g_assert_null (contribution_of (before, "intent_webinar_attended"));
  intent_before = sql_int (f, "SELECT intent_score FROM leads WHERE id = ?1", lead_id);

  /* After the lead entered its stage, not ahead of now. */
  g_usleep (1100 * 1000);
  webinar = fake_hubspot_add_marketing_event (f->hubspot, "Knee health webinar", "WEBINAR");
  fake_hubspot_add_participation (f->hubspot, webinar, ann, "ann@example.org", "ATTENDED",
                                  ms_from_now (-1), 57 * 60);
  form = fake_hubspot_add_form (f->hubspot, "Request an appointment");
  fake_hubspot_add_submission (f->hubspot, form, ms_from_now (0), NULL,
                               "email", "ann@example.org", NULL);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 2);

  lead = cp_lead_store_get (f->leads, lead_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cp_lead_get_stage (lead), ==, "qualified");
  g_assert_cmpint (sql_int (f,
                            "SELECT count(*) FROM stage_events WHERE lead_id = ?1"
                            " AND to_stage = 'qualified' AND reason LIKE '%webinar%'",
                            lead_id),
                   ==, 1);
  g_assert_cmpint (sql_int (f,
                            "SELECT depth FROM activities WHERE lead_id = ?1"
                            " AND kind = 'webinar_attended' AND source = 'crm'",
                            lead_id),
                   ==, 57);

  after = explain (f, lead_id);
  attended = contribution_of (after, "intent_webinar_attended");
  consult = contribution_of (after, "intent_consult_requested");
  g_assert_nonnull (attended);
  g_assert_nonnull (consult);
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_INTENT_SCORE), ==,
                   after->result.category[CP_SCORE_INTENT]);
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE), ==, after->result.score);
  g_assert_cmpfloat_with_epsilon (after->raw[CP_SCORE_INTENT] - before->raw[CP_SCORE_INTENT],
                                  attended->effective + consult->effective, 1e-6);
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_INTENT_SCORE), >, intent_before);
}

/* A webinar: attended, registered, a no-show (registered), a cancellation
 * (nothing); an event in person: a check-in, and a registration that
 * brings nothing; a state unknown: kept. Unchanged counters: the
 * breakdown is not read again. */
static void
test_event_kinds (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *ann = fake_hubspot_add_contact (f->hubspot, "Ann", "ann@example.org");
  g_autofree char *bob = fake_hubspot_add_contact (f->hubspot, "Bob", "bob@example.org");
  g_autofree char *webinar = fake_hubspot_add_marketing_event (f->hubspot, "Sleep talk", "Webinar");
  g_autofree char *fair = fake_hubspot_add_marketing_event (f->hubspot, "Health fair", "In person");
  g_autofree char *ann_lead = NULL, *bob_lead = NULL, *rows = NULL;
  g_autoptr(GPtrArray) rejects = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t = ms_from_now (-3600);
  guint breakdowns;
  CpSyncStats stats;

  fake_hubspot_add_participation (f->hubspot, webinar, ann, "ann@example.org", "REGISTERED", t, 0);
  fake_hubspot_add_participation (f->hubspot, webinar, ann, "ann@example.org", "ATTENDED", t + 1000,
                                  30 * 60);
  /* Not a contact linked here, but a lead has the email. */
  fake_hubspot_add_participation (f->hubspot, webinar, "99999", "bob@example.org", "NO_SHOW", t, 0);
  fake_hubspot_add_participation (f->hubspot, webinar, NULL, "bob@example.org", "CANCELLED", t, 0);
  fake_hubspot_add_participation (f->hubspot, fair, bob, "bob@example.org", "ATTENDED", t, 0);
  fake_hubspot_add_participation (f->hubspot, fair, ann, "ann@example.org", "REGISTERED", t, 0);
  fake_hubspot_add_participation (f->hubspot, fair, ann, "ann@example.org", "WAITLISTED", t, 0);

  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 4);
  g_assert_cmpuint (stats.quarantined, ==, 1);
  ann_lead = lead_of (f, ann);
  bob_lead = lead_of (f, bob);
  rows = activities_of (f, ann_lead, "webinar_attended");
  g_assert_cmpstr (rows, ==, "Sleep talk|30|inbound|crm");
  g_free (rows);
  rows = activities_of (f, ann_lead, "webinar_registered");
  g_assert_cmpstr (rows, ==, "Sleep talk|0|inbound|crm");
  g_free (rows);
  rows = activities_of (f, bob_lead, "webinar_registered");
  g_assert_cmpstr (rows, ==, "Sleep talk|0|inbound|crm");
  g_free (rows);
  rows = activities_of (f, bob_lead, "event_check_in");
  g_assert_cmpstr (rows, ==, "Health fair|0|inbound|crm");
  g_free (rows);
  rows = activities_of (f, ann_lead, "event_check_in");
  g_assert_cmpstr (rows, ==, "");
  rejects = cp_sync_store_list_rejects (f->store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejects->len, ==, 1);
  g_assert_cmpstr (((CpSyncReject *) rejects->pdata[0])->entity, ==, "event_participations");
  g_assert_nonnull (strstr (((CpSyncReject *) rejects->pdata[0])->reason, "WAITLISTED"));
  /* No name of a participant is kept. */
  g_assert_null (strstr (((CpSyncReject *) rejects->pdata[0])->payload, "Private"));
  /* Four participations of the webinar: two pages of its breakdown. */
  g_assert_cmpint (fake_hubspot_requests (f->hubspot, "/breakdown"), ==, 4);

  breakdowns = fake_hubspot_requests (f->hubspot, "/breakdown");
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 0);
  g_assert_cmpint (fake_hubspot_requests (f->hubspot, "/breakdown"), ==, breakdowns);

  /* A new participation changes the counters: that event is read again. */
  fake_hubspot_add_participation (f->hubspot, fair, ann, "ann@example.org", "ATTENDED", t, 0);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 1);
  g_assert_cmpint (fake_hubspot_requests (f->hubspot, "/breakdown"), ==, breakdowns + 2);
}

/* The private app lacks the forms scope: said in words; contacts,
 * engagements, events and the push still went through; once the scope
 * is granted the submissions come. */
static void
test_missing_scope (Fixture       *f,
                    gconstpointer  data)
{
  static const char scopes[] =
      "{\"status\":\"error\",\"message\":\"This app hasn't been granted all "
      "required scopes to make this call.\",\"correlationId\":\"fake-403\","
      "\"errors\":[{\"message\":\"One or more of the following scopes are "
      "required.\",\"context\":{\"requiredGranularScopes\":[\"forms\"]}}],"
      "\"category\":\"MISSING_SCOPES\"}";
  g_autofree char *ann = fake_hubspot_add_contact (f->hubspot, "Ann", "ann@example.org");
  g_autofree char *form = fake_hubspot_add_form (f->hubspot, "Contact us");
  g_autofree char *webinar = fake_hubspot_add_marketing_event (f->hubspot, "Sleep talk", "WEBINAR");
  g_autofree char *t = g_strdup_printf ("%" G_GINT64_FORMAT, ms_from_now (-600));
  g_autofree char *local = NULL, *ann_lead = NULL, *remote = NULL;
  g_autoptr(CpSyncStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  CpSyncStats stats;

  g_free (fake_hubspot_add_engagement (f->hubspot, "calls", ann, "hs_timestamp", t,
                                       "hs_call_disposition", CONNECTED_OUTCOME, NULL));
  fake_hubspot_add_participation (f->hubspot, webinar, ann, "ann@example.org", "ATTENDED",
                                  ms_from_now (-300), 0);
  fake_hubspot_add_submission (f->hubspot, form, ms_from_now (-60), NULL,
                               "email", "ann@example.org", NULL);
  local = cp_test_create_lead (f->leads, CP_LEAD_FIELD_FIRST_NAME, "Dana",
                               CP_LEAD_FIELD_EMAIL, "dana@example.org", CP_LEAD_N_FIELDS);
  fake_hubspot_inject (f->hubspot, "/marketing/v3/forms", FAKE_FAULT_STATUS, 403, scopes, NULL, 0,
                       1);

  g_assert_false (sync_run (f, &stats, &error));
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "the private app lacks the forms scope"));
  g_assert_true (stats.pull_failed);
  g_assert_false (stats.push_failed);
  g_assert_cmpuint (stats.pulled, ==, 1);
  g_assert_cmpuint (stats.pushed, ==, 1);
  /* The call and the webinar: recorded; the submission: not yet. */
  g_assert_cmpuint (stats.activities, ==, 2);
  ann_lead = lead_of (f, ann);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM activities WHERE lead_id = ?1"
                               " AND kind IN ('call', 'webinar_attended')", ann_lead), ==, 2);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM activities WHERE kind = 'form_fill'", NULL),
                   ==, 0);
  g_clear_error (&error);
  remote = fake_hubspot_find (f->hubspot, "email", "dana@example.org");
  g_assert_nonnull (remote);
  status = cp_sync_store_get_status (f->store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (status->last_error, "the private app lacks the forms scope"));

  /* The scope granted: the submission arrives, nothing else twice. */
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 1);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM activities WHERE lead_id = ?1", ann_lead), ==,
                   3);
}

/* The marketing-events scope missing: said; the forms still come. */
static void
test_missing_events_scope (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *ann = fake_hubspot_add_contact (f->hubspot, "Ann", "ann@example.org");
  g_autofree char *form = fake_hubspot_add_form (f->hubspot, "Contact us");
  g_autoptr(GError) error = NULL;
  CpSyncStats stats;

  fake_hubspot_add_submission (f->hubspot, form, ms_from_now (-60), NULL,
                               "email", "ann@example.org", NULL);
  fake_hubspot_inject (f->hubspot, "/marketing/v3/marketing-events/", FAKE_FAULT_STATUS, 403,
                       "{\"status\":\"error\",\"category\":\"MISSING_SCOPES\"}", NULL, 0, 1);
  g_assert_false (sync_run (f, &stats, &error));
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "crm.objects.marketing_events.read"));
  g_assert_null (strstr (error->message, "forms scope"));
  g_assert_cmpuint (stats.activities, ==, 1);
}

/* Submissions refused past every retry (429): the run fails, the form's
 * cursor stays; the next run records them. */
static void
test_rate_limited (Fixture       *f,
                   gconstpointer  data)
{
  static const char limit[] = "{\"status\":\"error\",\"message\":\"You have reached your "
                              "ten_secondly_rolling limit.\",\"errorType\":\"RATE_LIMIT\","
                              "\"policyName\":\"TEN_SECONDLY_ROLLING\"}";
  g_autofree char *ann = fake_hubspot_add_contact (f->hubspot, "Ann", "ann@example.org");
  g_autofree char *form = fake_hubspot_add_form (f->hubspot, "Contact us");
  g_autofree char *stream = g_strconcat ("forms:", form, NULL);
  g_autofree char *cursor = NULL;
  g_autoptr(GError) error = NULL;
  CpSyncStats stats;

  for (guint i = 0; i < 60; i++)
    fake_hubspot_add_submission (f->hubspot, form, ms_from_now (-3600 + (gint64) i), NULL,
                                 "email", "ann@example.org", NULL);
  /* Refused as often as the client tries. */
  fake_hubspot_inject (f->hubspot, form, FAKE_FAULT_STATUS, 429, limit, NULL, 0, 6);
  g_assert_false (sync_run (f, &stats, &error));
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_RATE_LIMITED);
  g_assert_true (stats.pull_failed);
  g_assert_cmpuint (stats.pulled, ==, 1);
  g_assert_null ((cursor = cp_sync_store_get_cursor (f->store, stream)));
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM activities WHERE kind = 'form_fill'", NULL),
                   ==, 0);
  g_clear_error (&error);

  /* The window passes; two more 429s are waited out. */
  fake_hubspot_inject (f->hubspot, form, FAKE_FAULT_STATUS, 429, limit, NULL, 0, 2);
  sync_ok (f, &stats);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM activities WHERE kind = 'form_fill'", NULL),
                   ==, 60);
  cursor = cp_sync_store_get_cursor (f->store, stream);
  g_assert_nonnull (cursor);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync-forms/hubspot/paging", Fixture, NULL, open_setup, test_paging, teardown);
  g_test_add ("/sync-forms/hubspot/incremental", Fixture, NULL, open_setup, test_incremental,
              teardown);
  g_test_add ("/sync-forms/hubspot/unmatched", Fixture, NULL, open_setup, test_unmatched, teardown);
  g_test_add ("/sync-forms/hubspot/webinar-qualifies", Fixture, NULL, default_playbook_setup,
              test_webinar_qualifies, teardown);
  g_test_add ("/sync-forms/hubspot/event-kinds", Fixture, NULL, open_setup, test_event_kinds,
              teardown);
  g_test_add ("/sync-forms/hubspot/missing-scope", Fixture, NULL, open_setup, test_missing_scope,
              teardown);
  g_test_add ("/sync-forms/hubspot/missing-events-scope", Fixture, NULL, open_setup,
              test_missing_events_scope, teardown);
  g_test_add ("/sync-forms/hubspot/rate-limited", Fixture, NULL, open_setup, test_rate_limited,
              teardown);

  return g_test_run ();
}
