/* test-sync-activities.c — engagements of linked contacts pulled as activities (issue #23)
 *
 * Against both fake CRMs: calls, emails, meetings and notes associated
 * with synced contacts arrive as activities of source 'crm' with their
 * kind, disposition and direction; several pages; a second sync pulls
 * nothing new and a page pulled again changes nothing; a refused
 * engagement is kept with its reason while the rest of its page is
 * recorded; an outbound engagement stops the response clock and
 * triggers the playbook's automation; a 429 keeps the cursor.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cp-crm-registry.h"
#include "cp-database-private.h"
#include "cp-espocrm-backend.h"
#include "cp-hubspot-backend.h"
#include "cp-sync-engine.h"
#include "cp-sync-error.h"
#include "cp-test-util.h"
#include "fake-espocrm.h"
#include "fake-hubspot.h"

#define CONNECTED_OUTCOME "f240bbac-87c9-4f6e-bf70-924b57d47db7"
#define NO_ANSWER_OUTCOME "73a0d17f-1163-4015-bdd5-ec830791da20"

typedef struct
{
  char         *dir;
  char         *db_path;
  FakeHubspot  *hubspot;
  FakeEspocrm  *espocrm;
  CpDatabase   *database;
  CpLeadStore  *leads;
  CpSyncStore  *store;
} Fixture;

static void
setup (Fixture    *f,
       const char *backend,
       gboolean    open_playbook)
{
  cp_test_tmp_store_open (&f->dir, &f->database, &f->leads);
  if (open_playbook)
    cp_test_publish_open_playbook (f->database);
  f->db_path = g_strdup (cp_database_get_path (f->database));
  f->store = cp_sync_store_new (f->leads, backend);
  if (g_str_equal (backend, "hubspot"))
    {
      f->hubspot = fake_hubspot_new ();
      fake_hubspot_set_search_rate (f->hubspot, 64);
      fake_hubspot_set_rate_limit (f->hubspot, 190, 1000);
    }
  else
    f->espocrm = fake_espocrm_new ();
}

static void
hubspot_setup (Fixture       *f,
               gconstpointer  data)
{
  setup (f, "hubspot", TRUE);
}

static void
hubspot_default_playbook_setup (Fixture       *f,
                                gconstpointer  data)
{
  setup (f, "hubspot", FALSE);
}

static void
espocrm_setup (Fixture       *f,
               gconstpointer  data)
{
  setup (f, "espocrm", TRUE);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_object (&f->store);
  g_clear_pointer (&f->hubspot, fake_hubspot_free);
  g_clear_pointer (&f->espocrm, fake_espocrm_free);
  cp_test_tmp_store_close (&f->dir, &f->database, &f->leads);
  g_free (f->db_path);
}

static CpCrmBackend *
make_backend (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  CpBackoff backoff = { 1, 8, 6, 0.001 };
  CpCrmBackend *backend;

  if (f->hubspot != NULL)
    backend = cp_hubspot_backend_new (fake_hubspot_get_url (f->hubspot),
                                      fake_hubspot_get_token (f->hubspot), &error);
  else
    backend = cp_crm_backend_new_for_name ("espocrm", fake_espocrm_get_url (f->espocrm),
                                           fake_espocrm_get_key (f->espocrm), &error);
  g_assert_no_error (error);
  cp_crm_client_set_backoff (cp_crm_backend_get_client (backend), &backoff);
  if (f->hubspot != NULL)
    cp_crm_client_set_search_rate (cp_crm_backend_get_client (backend), 64);
  else
    cp_espocrm_backend_set_overlap_s (CP_ESPOCRM_BACKEND (backend), 5);
  return backend;
}

static gboolean
sync_run (Fixture      *f,
          CpSyncStats  *stats,
          GError      **error)
{
  g_autoptr(CpCrmBackend) backend = make_backend (f);
  g_autoptr(CpSyncEngine) engine = cp_sync_engine_new (f->db_path, backend);

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

static char *
ms_text (gint64 seconds_from_now)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT,
                          (g_get_real_time () / G_USEC_PER_SEC + seconds_from_now) * 1000);
}

static char *
espo_time (gint64 seconds_from_now)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC +
                                                             seconds_from_now);

  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
}

/* The activity recorded under @external_id, as "kind|disposition|direction|source|detail". */
static char *
activity_row (Fixture    *f,
              const char *external_id)
{
  sqlite3 *db = _cp_database_get_handle (f->database);
  sqlite3_stmt *stmt = NULL;
  char *row = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT kind || '|' || coalesce (disposition, '') || '|'"
                                           " || coalesce (direction, '') || '|' || source || '|'"
                                           " || coalesce (detail, '') FROM activities"
                                           " WHERE external_id = ?1", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, external_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    row = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return row;
}

/* Engagements of each type arrive in the same run as their contacts. */
static void
test_hubspot_kinds (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *ann = fake_hubspot_add_contact (f->hubspot, "Ann", "ann@example.org");
  g_autofree char *bob = fake_hubspot_add_contact (f->hubspot, "Bob", "bob@example.org");
  g_autofree char *t = ms_text (-3600);
  g_autofree char *both = g_strdup_printf ("%s,%s", ann, bob);
  g_autofree char *call = NULL, *inbound = NULL, *sent = NULL, *reply = NULL;
  g_autofree char *booked = NULL, *held = NULL, *note = NULL, *key = NULL, *row = NULL;
  CpSyncStats stats;

  call = fake_hubspot_add_engagement (f->hubspot, "calls", ann, "hs_timestamp", t,
                                      "hs_call_title", "Intro call",
                                      "hs_call_disposition", CONNECTED_OUTCOME,
                                      "hs_call_direction", "OUTBOUND", NULL);
  inbound = fake_hubspot_add_engagement (f->hubspot, "calls", bob, "hs_timestamp", t,
                                         "hs_call_disposition", NO_ANSWER_OUTCOME,
                                         "hs_call_direction", "INBOUND", NULL);
  sent = fake_hubspot_add_engagement (f->hubspot, "emails", ann, "hs_timestamp", t,
                                      "hs_email_subject", "Your visit",
                                      "hs_email_direction", "EMAIL", NULL);
  reply = fake_hubspot_add_engagement (f->hubspot, "emails", ann, "hs_timestamp", t,
                                       "hs_email_subject", "Re: Your visit",
                                       "hs_email_direction", "INCOMING_EMAIL", NULL);
  booked = fake_hubspot_add_engagement (f->hubspot, "meetings", ann, "hs_timestamp", t,
                                        "hs_meeting_title", "Intake",
                                        "hs_meeting_outcome", "SCHEDULED", NULL);
  held = fake_hubspot_add_engagement (f->hubspot, "meetings", bob, "hs_timestamp", t,
                                      "hs_meeting_title", "Tour",
                                      "hs_meeting_outcome", "COMPLETED", NULL);
  note = fake_hubspot_add_engagement (f->hubspot, "notes", both, "hs_timestamp", t,
                                      "hs_note_body", "private words", NULL);

  sync_ok (f, &stats);
  g_assert_cmpuint (stats.pulled, ==, 2);
  /* Seven engagements; the note is on both contacts. */
  g_assert_cmpuint (stats.activities, ==, 8);
  g_assert_cmpuint (stats.quarantined, ==, 0);

  key = g_strdup_printf ("hubspot:call:%s", call);
  row = activity_row (f, key);
  g_assert_cmpstr (row, ==, "call|connected|outbound|crm|Intro call");
  g_free (key), g_free (row);
  key = g_strdup_printf ("hubspot:call:%s", inbound);
  row = activity_row (f, key);
  g_assert_cmpstr (row, ==, "call|no_answer|inbound|crm|");
  g_free (key), g_free (row);
  key = g_strdup_printf ("hubspot:email:%s", sent);
  row = activity_row (f, key);
  g_assert_cmpstr (row, ==, "email_sent||outbound|crm|Your visit");
  g_free (key), g_free (row);
  key = g_strdup_printf ("hubspot:email:%s", reply);
  row = activity_row (f, key);
  g_assert_cmpstr (row, ==, "email_reply||inbound|crm|Re: Your visit");
  g_free (key), g_free (row);
  key = g_strdup_printf ("hubspot:meeting:%s", booked);
  row = activity_row (f, key);
  g_assert_cmpstr (row, ==, "meeting_booked||outbound|crm|Intake");
  g_free (key), g_free (row);
  key = g_strdup_printf ("hubspot:meeting:%s:attended", held);
  row = activity_row (f, key);
  g_assert_cmpstr (row, ==, "meeting_attended||outbound|crm|Tour");
  g_free (key), g_free (row);
  /* A note's body never comes in. */
  key = g_strdup_printf ("hubspot:note:%s", note);
  row = activity_row (f, key);
  g_assert_cmpstr (row, ==, "note|||crm|");
  g_free (key), g_free (row);
  key = g_strdup_printf ("hubspot:note:%s@%s", note, bob);
  row = activity_row (f, key);
  g_assert_cmpstr (row, ==, "note|||crm|");
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM activities WHERE detail LIKE '%private%'",
                            NULL), ==, 0);
  /* Each type has its own cursor, and none is sent back to the CRM. */
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM sync_cursors WHERE stream LIKE 'activities:%'",
                            NULL), ==, 4);
  g_assert_cmpint (fake_hubspot_requests (f->hubspot, "/crm/v3/objects/calls/batch"), ==, 0);
  g_assert_cmpint (fake_hubspot_requests (f->hubspot, "/crm/v3/objects/calls") -
                   fake_hubspot_requests (f->hubspot, "/crm/v3/objects/calls/search"), ==, 0);
}

/* 450 calls: three pages; again: nothing new; from scratch: nothing changes. */
static void
test_hubspot_paging_idempotent (Fixture       *f,
                                gconstpointer  data)
{
  CpSyncStats stats;
  gint64 audit;

  fake_hubspot_add_generated (f->hubspot, 450);
  fake_hubspot_add_generated_calls (f->hubspot, (g_get_real_time () / G_USEC_PER_SEC - 600) * 1000,
                                    450 * 1000);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 450);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM activities WHERE source = 'crm'"
                               " AND kind = 'call'", NULL), ==, 450);
  g_assert_cmpint (fake_hubspot_requests (f->hubspot, "/crm/v3/objects/calls/search"), >=, 3);
  g_assert_cmpint (fake_hubspot_requests (f->hubspot, "/crm/v4/associations/calls/contacts"),
                   >=, 3);

  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 0);
  g_assert_cmpint (cp_test_count_rows (f->database, "activities"), ==, 450);

  /* The cursor lost: every page again, and nothing changes. */
  audit = cp_test_count_rows (f->database, "audit_log");
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (cp_database_begin (f->database, &error));
    g_assert_true (cp_sync_store_set_cursor (f->store, "activities:calls", "0", &error));
    g_assert_true (cp_database_commit (f->database, &error));
    g_assert_no_error (error);
  }
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 0);
  g_assert_cmpint (cp_test_count_rows (f->database, "activities"), ==, 450);
  g_assert_cmpint (cp_test_count_rows (f->database, "audit_log"), ==, audit);
}

static CpSyncReject *
find_reject (GPtrArray  *rejects,
             const char *entity,
             const char *remote_id)
{
  for (guint i = 0; i < rejects->len; i++)
    {
      CpSyncReject *reject = rejects->pdata[i];

      if (g_strcmp0 (reject->entity, entity) == 0 && g_strcmp0 (reject->remote_id, remote_id) == 0)
        return reject;
    }
  return NULL;
}

/* An unknown outcome, a time days ahead, no linked contact: kept with why;
 * the good engagement of the same page is recorded. */
static void
test_hubspot_refused (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *ann = fake_hubspot_add_contact (f->hubspot, "Ann", "ann@example.org");
  g_autofree char *past = ms_text (-600);
  g_autofree char *ahead = ms_text (3 * 24 * 3600);
  g_autofree char *good = NULL, *custom = NULL, *future = NULL, *stray = NULL, *key = NULL;
  g_autoptr(GPtrArray) rejects = NULL;
  g_autoptr(GError) error = NULL;
  CpSyncReject *reject;
  CpSyncStats stats;

  good = fake_hubspot_add_engagement (f->hubspot, "calls", ann, "hs_timestamp", past,
                                      "hs_call_disposition", CONNECTED_OUTCOME, NULL);
  custom = fake_hubspot_add_engagement (f->hubspot, "calls", ann, "hs_timestamp", past,
                                        "hs_call_disposition", "0000-custom-outcome", NULL);
  future = fake_hubspot_add_engagement (f->hubspot, "calls", ann, "hs_timestamp", ahead, NULL);
  stray = fake_hubspot_add_engagement (f->hubspot, "notes", "987654", "hs_timestamp", past, NULL);

  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 1);
  g_assert_cmpuint (stats.quarantined, ==, 3);
  key = g_strdup_printf ("hubspot:call:%s", good);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM activities WHERE external_id = ?1", key),
                   ==, 1);

  rejects = cp_sync_store_list_rejects (f->store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejects->len, ==, 3);
  reject = find_reject (rejects, "calls", custom);
  g_assert_nonnull (reject);
  g_assert_nonnull (strstr (reject->reason, "0000-custom-outcome"));
  reject = find_reject (rejects, "calls", future);
  g_assert_nonnull (reject);
  g_assert_nonnull (strstr (reject->reason, "a day ahead"));
  reject = find_reject (rejects, "notes", stray);
  g_assert_nonnull (reject);
  g_assert_nonnull (strstr (reject->reason, "no contact linked here"));
  g_assert_nonnull (strstr (reject->payload, "987654"));
  g_clear_pointer (&rejects, g_ptr_array_unref);

  /* Tried again at the next sync, still kept once each. */
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.recovered, ==, 0);
  rejects = cp_sync_store_list_rejects (f->store, FALSE, &error);
  g_assert_cmpuint (rejects->len, ==, 3);
  g_assert_cmpuint (find_reject (rejects, "calls", custom)->attempts, ==, 2);
  g_clear_pointer (&rejects, g_ptr_array_unref);

  /* The CRM fixes the outcome: recorded, and off the list. */
  fake_hubspot_edit_engagement (f->hubspot, "calls", custom, "hs_call_disposition",
                                NO_ANSWER_OUTCOME);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 1);
  rejects = cp_sync_store_list_rejects (f->store, FALSE, &error);
  g_assert_cmpuint (rejects->len, ==, 2);
  g_assert_null (find_reject (rejects, "calls", custom));
}

/* Default playbook: a new lead's response clock runs (SLA 4 h); a meeting
 * booked in the CRM stops it and moves the lead on through automation. */
static void
test_hubspot_first_response_automation (Fixture       *f,
                                        gconstpointer  data)
{
  g_autofree char *ann = fake_hubspot_add_contact (f->hubspot, "Ann", "ann@example.org");
  g_autofree char *when = NULL;
  g_autofree char *lead_id = NULL;
  g_autofree char *meeting = NULL;
  g_autoptr(CpLead) lead = NULL;
  g_autoptr(GError) error = NULL;
  gint64 booked_at;
  CpSyncStats stats;

  sync_ok (f, &stats);
  lead_id = cp_sync_store_find_lead (f->store, ann, &error);
  g_assert_nonnull (lead_id);
  lead = cp_lead_store_get (f->leads, lead_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cp_lead_get_stage (lead), ==, "new");
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_SLA_DUE_AT), >, 0);
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_FIRST_RESPONSE_AT), ==, 0);
  /* What active evaluation requires, filled in here. */
  cp_lead_set_text (lead, CP_LEAD_FIELD_SERVICE_LINE, "cardiology");
  cp_lead_set_text (lead, CP_LEAD_FIELD_LOCATION, "Riverside");
  cp_lead_set_text (lead, CP_LEAD_FIELD_PREFERRED_CONTACT, "email");
  g_assert_true (cp_lead_store_update (f->leads, lead, "tester", NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&lead);

  /* After the lead entered its stage (the clock starts there), not ahead of now. The
   * meeting moves the lead on, and the new stage's clock starts at that second: booked at
   * the start of a second, the pull below records it and moves the lead within the same
   * second (a later second would start the new stage's clock after the meeting). */
  g_usleep (1100 * 1000);
  g_usleep (G_USEC_PER_SEC - g_get_real_time () % G_USEC_PER_SEC + 1000);
  booked_at = g_get_real_time () / G_USEC_PER_SEC;
  when = g_strdup_printf ("%" G_GINT64_FORMAT, booked_at * 1000);
  meeting = fake_hubspot_add_engagement (f->hubspot, "meetings", ann, "hs_timestamp", when,
                                         "hs_meeting_title", "Discovery call",
                                         "hs_meeting_outcome", "SCHEDULED", NULL);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 1);
  lead = cp_lead_store_get (f->leads, lead_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_FIRST_RESPONSE_AT), ==, booked_at);
  /* discovery_call_booked: a meeting booked moves the lead to active evaluation. */
  g_assert_cmpstr (cp_lead_get_stage (lead), ==, "active_evaluation");
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM stage_events WHERE lead_id = ?1"
                               " AND to_stage = 'active_evaluation'", lead_id), ==, 1);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM activities WHERE lead_id = ?1"
                               " AND source = 'crm' AND kind = 'meeting_booked'", lead_id), ==, 1);
}

/* The calls search refused past every retry: the run fails, the calls
 * cursor stays; the next run brings every call. A short 429 is retried. */
static void
test_hubspot_rate_limited (Fixture       *f,
                           gconstpointer  data)
{
  static const char limit[] = "{\"status\":\"error\",\"message\":\"You have reached your "
                              "ten_secondly_rolling limit.\",\"errorType\":\"RATE_LIMIT\","
                              "\"policyName\":\"TEN_SECONDLY_ROLLING\"}";
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  CpSyncStats stats;

  fake_hubspot_add_generated (f->hubspot, 250);
  fake_hubspot_add_generated_calls (f->hubspot, (g_get_real_time () / G_USEC_PER_SEC - 600) * 1000,
                                    250 * 1000);
  /* As many 429s as the client's attempts (6): it gives up. */
  fake_hubspot_inject (f->hubspot, "/crm/v3/objects/calls/search", FAKE_FAULT_STATUS, 429, limit,
                       NULL, 0, 6);
  g_assert_false (sync_run (f, &stats, &error));
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_RATE_LIMITED);
  g_assert_true (stats.pull_failed);
  g_assert_cmpuint (stats.pulled, ==, 250);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM activities", NULL), ==, 0);
  cursor = cp_sync_store_get_cursor (f->store, "activities:calls");
  g_assert_null (cursor);
  g_clear_error (&error);

  /* The window passes (the fault is spent); two more 429s are waited out. */
  fake_hubspot_inject (f->hubspot, "/crm/v4/associations/calls", FAKE_FAULT_STATUS, 429, limit,
                       NULL, 0, 2);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 250);
  cursor = cp_sync_store_get_cursor (f->store, "activities:calls");
  g_assert_nonnull (cursor);
}

/* EspoCRM: calls, meetings and emails of leads; planned calls wait;
 * one of an unknown lead is kept; several pages; nothing new the second time. */
static void
test_espocrm_activities (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *ann = fake_espocrm_add_lead (f->espocrm, "Ann", "ann@example.org");
  g_autofree char *t = espo_time (-3600);
  g_autofree char *held = NULL, *missed = NULL, *planned = NULL, *booked = NULL;
  g_autofree char *attended = NULL, *sent = NULL, *reply = NULL, *stray = NULL;
  g_autofree char *key = NULL, *row = NULL;
  g_autoptr(GPtrArray) rejects = NULL;
  g_autoptr(GError) error = NULL;
  CpSyncStats stats;

  held = fake_espocrm_add_activity (f->espocrm, "Call", ann, "status", "Held",
                                    "direction", "Outbound", "dateStart", t, "name", "Intro",
                                    "description", "private words", NULL);
  missed = fake_espocrm_add_activity (f->espocrm, "Call", ann, "status", "Not Held",
                                      "direction", "Inbound", "dateStart", t, NULL);
  planned = fake_espocrm_add_activity (f->espocrm, "Call", ann, "status", "Planned",
                                       "direction", "Outbound", "dateStart", t, NULL);
  booked = fake_espocrm_add_activity (f->espocrm, "Meeting", ann, "status", "Planned",
                                      "dateStart", t, "name", "Intake", NULL);
  attended = fake_espocrm_add_activity (f->espocrm, "Meeting", ann, "status", "Held",
                                        "dateStart", t, "name", "Tour", NULL);
  sent = fake_espocrm_add_activity (f->espocrm, "Email", ann, "status", "Sent",
                                    "dateSent", t, "name", "Welcome", NULL);
  reply = fake_espocrm_add_activity (f->espocrm, "Email", ann, "status", "Archived",
                                     "dateSent", t, "name", "Re: Welcome", NULL);
  stray = fake_espocrm_add_activity (f->espocrm, "Call", "6a999999999999999", "status", "Held",
                                     "dateStart", t, NULL);
  for (guint i = 0; i < 230; i++)
    g_free (fake_espocrm_add_activity (f->espocrm, "Email", ann, "status", "Sent",
                                       "dateSent", t, "name", "Newsletter", NULL));

  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 6 + 230);
  g_assert_cmpuint (stats.quarantined, ==, 1);

  key = g_strdup_printf ("espocrm:Call:%s", held);
  row = activity_row (f, key);
  g_assert_cmpstr (row, ==, "call|connected|outbound|crm|Intro");
  g_free (key), g_free (row);
  key = g_strdup_printf ("espocrm:Call:%s", missed);
  row = activity_row (f, key);
  g_assert_cmpstr (row, ==, "call|no_answer|inbound|crm|");
  g_free (key), g_free (row);
  key = g_strdup_printf ("espocrm:Meeting:%s", booked);
  row = activity_row (f, key);
  g_assert_cmpstr (row, ==, "meeting_booked||outbound|crm|Intake");
  g_free (key), g_free (row);
  key = g_strdup_printf ("espocrm:Meeting:%s:attended", attended);
  row = activity_row (f, key);
  g_assert_cmpstr (row, ==, "meeting_attended||outbound|crm|Tour");
  g_free (key), g_free (row);
  key = g_strdup_printf ("espocrm:Email:%s", sent);
  row = activity_row (f, key);
  g_assert_cmpstr (row, ==, "email_sent||outbound|crm|Welcome");
  g_free (key), g_free (row);
  key = g_strdup_printf ("espocrm:Email:%s", reply);
  row = activity_row (f, key);
  g_assert_cmpstr (row, ==, "email_reply||inbound|crm|Re: Welcome");
  g_free (key);
  key = g_strdup_printf ("espocrm:Call:%s", planned);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM activities WHERE external_id = ?1", key),
                   ==, 0);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM activities WHERE detail LIKE '%private%'",
                            NULL), ==, 0);
  /* Two pages of emails (200 each). */
  g_assert_cmpint (fake_server_requests (fake_espocrm_get_server (f->espocrm), "/api/v1/Email"),
                   ==, 2);

  rejects = cp_sync_store_list_rejects (f->store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejects->len, ==, 1);
  g_assert_nonnull (find_reject (rejects, "Call", stray));

  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 0);
  g_assert_cmpint (cp_test_count_rows (f->database, "activities"), ==, 236);
}

/* A 429 on EspoCRM's call list: retried; past the retries the cursor stays. */
static void
test_espocrm_rate_limited (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *ann = fake_espocrm_add_lead (f->espocrm, "Ann", "ann@example.org");
  g_autofree char *t = espo_time (-60);
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  CpSyncStats stats;

  g_free (fake_espocrm_add_activity (f->espocrm, "Call", ann, "status", "Held",
                                     "direction", "Outbound", "dateStart", t, NULL));
  fake_server_inject (fake_espocrm_get_server (f->espocrm), "/api/v1/Call", FAKE_FAULT_STATUS,
                      429, "", NULL, 0, 6);
  g_assert_false (sync_run (f, &stats, &error));
  g_assert_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_RATE_LIMITED);
  g_assert_null ((cursor = cp_sync_store_get_cursor (f->store, "activities:Call")));
  g_assert_cmpint (cp_test_count_rows (f->database, "activities"), ==, 0);
  g_clear_error (&error);

  fake_server_inject (fake_espocrm_get_server (f->espocrm), "/api/v1/Call", FAKE_FAULT_STATUS,
                      429, "", NULL, 0, 2);
  sync_ok (f, &stats);
  g_assert_cmpuint (stats.activities, ==, 1);
  cursor = cp_sync_store_get_cursor (f->store, "activities:Call");
  g_assert_nonnull (cursor);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync-activities/hubspot/kinds", Fixture, NULL, hubspot_setup,
              test_hubspot_kinds, teardown);
  g_test_add ("/sync-activities/hubspot/paging-idempotent", Fixture, NULL, hubspot_setup,
              test_hubspot_paging_idempotent, teardown);
  g_test_add ("/sync-activities/hubspot/refused", Fixture, NULL, hubspot_setup,
              test_hubspot_refused, teardown);
  g_test_add ("/sync-activities/hubspot/first-response-automation", Fixture, NULL,
              hubspot_default_playbook_setup, test_hubspot_first_response_automation, teardown);
  g_test_add ("/sync-activities/hubspot/rate-limited", Fixture, NULL, hubspot_setup,
              test_hubspot_rate_limited, teardown);
  g_test_add ("/sync-activities/espocrm/activities", Fixture, NULL, espocrm_setup,
              test_espocrm_activities, teardown);
  g_test_add ("/sync-activities/espocrm/rate-limited", Fixture, NULL, espocrm_setup,
              test_espocrm_rate_limited, teardown);

  return g_test_run ();
}
