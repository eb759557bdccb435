/* test-cli-lifecycle.c — carepath-cli and the playbook's lifecycle: concurrent writers, the time
 * rules, activities
 *
 * Leads are made in this process through the store with a fixed clock
 * (the write path the CLI uses), so that their response clocks are known;
 * then `carepath-cli tick --now …` applies the time rules as of a given
 * instant, and the database is read back to see what it did.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "cp-cli-test-util.h"
#include "cp-datetime.h"
#include "cp-lead-store.h"
#include "cp-playbook-format.h"
#include "cp-playbook-store.h"
#include "cp-test-util.h"

/* dir: a new folder; path: dir/leads.db, not created */
typedef CpTestDir Fixture;

static gint64 fixed_now;

static gint64
fixed_clock (void)
{
  return fixed_now;
}

static gint64
at (const char *iso)
{
  gint64 when = 0;

  g_assert_true (cp_datetime_parse_iso8601 (iso, &when, NULL));
  return when;
}

/* The store on the test's database, its clock at @now. */
static CpLeadStore *
open_store (Fixture    *f,
            const char *now)
{
  g_autoptr(CpDatabase) database = cp_test_open_database (f->dir);
  CpLeadStore *store = cp_lead_store_new (database);

  fixed_now = at (now);
  cp_lead_store_set_clock (store, fixed_clock);
  return store;
}

/* A lead with a name and an email, at @location (or nowhere), created
 * at the store's clock. */
static char *
new_lead (CpLeadStore *store,
          const char  *first_name,
          const char  *location)
{
  g_autofree char *email = g_strdup_printf ("%s@example.org", first_name);

  return cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, first_name, CP_LEAD_FIELD_EMAIL,
                              email, location != NULL ? CP_LEAD_FIELD_LOCATION : CP_LEAD_N_FIELDS,
                              location, CP_LEAD_N_FIELDS);
}

static gint64
lead_int (CpLeadStore *store,
          const char  *id,
          CpLeadField  field)
{
  g_autoptr(CpLead) lead = cp_lead_store_get (store, id, NULL);

  g_assert_nonnull (lead);
  return cp_lead_get_int (lead, field);
}

static char *
lead_text (CpLeadStore *store,
           const char  *id,
           CpLeadField  field)
{
  g_autoptr(CpLead) lead = cp_lead_store_get (store, id, NULL);

  g_assert_nonnull (lead);
  return g_strdup (cp_lead_get_text (lead, field));
}

static void
log_at (CpLeadStore    *store,
        const char     *id,
        CpActivityKind  kind,
        const char     *when)
{
  g_autoptr(CpActivity) activity = cp_activity_new ();
  g_autoptr(GError) error = NULL;

  cp_activity_set_lead_id (activity, id);
  cp_activity_set_kind (activity, kind);
  cp_activity_set_occurred_at (activity, at (when));
  cp_activity_set_actor (activity, "Hannah Brooks");
  fixed_now = at (when);
  g_assert_true (cp_lead_store_log_activity (store, activity, NULL, &error));
  g_assert_no_error (error);
}

/* `tick --now NOW --json`, read. */
static JsonObject *
tick (Fixture    *f,
      const char *now)
{
  g_auto(CpCliResult) r = { 0 };
  g_autoptr(JsonNode) root = NULL;

  cp_test_run_cli (&r, "--db", f->path, "tick", "--now", now, "--json", NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  root = cp_test_parse_json (r.out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

/* The entry of @id in a tick's leads, or NULL. */
static JsonObject *
tick_lead (JsonObject *report,
           const char *id)
{
  JsonArray *leads = json_object_get_array_member (report, "leads");

  for (guint i = 0; i < json_array_get_length (leads); i++)
    {
      JsonObject *lead = json_array_get_object_element (leads, i);

      if (g_str_equal (json_object_get_string_member (lead, "id"), id))
        return lead;
    }
  return NULL;
}

/* ---- the response clock ---- */

/* Thursday 24 December 2026, 18:00 in New York and 15:00 in Los Angeles:
 * Christmas is a holiday, then the weekend. The four business hours of
 * New run out on Monday, at a different instant in each place. */
static void
test_sla_across_weekend_and_holiday (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(CpLeadStore) store = open_store (f, "2026-12-24T23:00:00Z");
  g_autofree char *east = new_lead (store, "Ines", "Harbor Point");
  g_autofree char *west = new_lead (store, "Wen", "Willow Creek");
  g_autofree char *answered = new_lead (store, "Ada", "Harbor Point");
  g_autofree char *east_owner = lead_text (store, east, CP_LEAD_FIELD_OWNER);
  CpDatabase *database = cp_lead_store_get_database (store);
  JsonObject *entry;

  /* New York: Monday 08:00 + 4 h = 12:00 EST. Los Angeles: 15:00–17:00
   * on Thursday, then Monday 08:00 + 2 h = 10:00 PST. */
  g_assert_cmpint (lead_int (store, east, CP_LEAD_FIELD_SLA_DUE_AT), ==,
                   at ("2026-12-28T17:00:00Z"));
  g_assert_cmpint (lead_int (store, west, CP_LEAD_FIELD_SLA_DUE_AT), ==,
                   at ("2026-12-28T18:00:00Z"));
  g_assert_nonnull (east_owner);
  {
    g_autofree char *queue = lead_text (store, east, CP_LEAD_FIELD_QUEUE);
    g_assert_cmpstr (queue, ==, "northeast_intake");
  }

  /* A call on Monday morning answers Ada in time: her clock stops. */
  log_at (store, answered, CP_ACTIVITY_KIND_CALL, "2026-12-28T14:00:00Z");
  g_assert_cmpint (lead_int (store, answered, CP_LEAD_FIELD_FIRST_RESPONSE_AT), ==,
                   at ("2026-12-28T14:00:00Z"));

  /* Before anything is due, nothing happens. */
  {
    g_autoptr(JsonObject) report = tick (f, "2026-12-28T16:59:00Z");
    g_assert_cmpint (json_object_get_int_member (report, "breached"), ==, 0);
  }
  /* Half past noon in New York: only Ines is overdue. */
  {
    g_autoptr(JsonObject) report = tick (f, "2026-12-28T17:30:00Z");

    g_assert_cmpint (json_object_get_int_member (report, "breached"), ==, 1);
    entry = tick_lead (report, east);
    g_assert_nonnull (entry);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry,
                                                                                   "breached"),
                                                    "due_at"),
                     ==, "2026-12-28T17:00:00Z");
    g_assert_null (tick_lead (report, west));
    g_assert_null (tick_lead (report, answered));
  }
  /* The same instant again changes nothing: a clock breaches once. */
  {
    g_autoptr(JsonObject) report = tick (f, "2026-12-28T17:30:00Z");
    g_assert_cmpint (json_object_get_int_member (report, "breached"), ==, 0);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "leads")), ==,
                      0);
  }
  {
    g_autoptr(JsonObject) report = tick (f, "2026-12-28T18:30:00Z");
    g_assert_cmpint (json_object_get_int_member (report, "breached"), ==, 1);
    g_assert_nonnull (tick_lead (report, west));
  }
  g_assert_cmpint (cp_test_sql_int (database,
                                    "SELECT count(*) FROM audit_log WHERE action = 'sla_breached'",
                                    NULL),
                   ==, 2);
  g_assert_cmpint (cp_test_sql_int (database, "SELECT sla_breached_at FROM leads WHERE id = ?",
                                    east),
                   ==, at ("2026-12-28T17:30:00Z"));
  g_assert_cmpint (cp_test_sql_int (database,
                                    "SELECT count(*) FROM leads WHERE id = ? AND sla_breached_at = "
                                    "0",
                                    answered),
                   ==, 1);
}

/* Eight hours after the breach, the lead goes to the queue's escalation
 * owner, with an audit row saying why; the other lead is not due yet. */
static void
test_breach_then_escalation (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(CpLeadStore) store = open_store (f, "2026-12-24T23:00:00Z");
  g_autofree char *east = new_lead (store, "Ines", "Harbor Point");
  g_autofree char *west = new_lead (store, "Wen", "Willow Creek");
  g_autofree char *owner = lead_text (store, east, CP_LEAD_FIELD_OWNER);
  CpDatabase *database = cp_lead_store_get_database (store);

  {
    g_autoptr(JsonObject) report = tick (f, "2026-12-28T18:30:00Z");
    g_assert_cmpint (json_object_get_int_member (report, "breached"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (report, "escalated"), ==, 0);
  }
  /* 17:00 + 8 h has passed for Ines, not 18:00 + 8 h for Wen. */
  {
    g_autoptr(JsonObject) report = tick (f, "2026-12-29T01:30:00Z");
    JsonObject *entry = tick_lead (report, east);
    JsonObject *escalated;

    g_assert_cmpint (json_object_get_int_member (report, "escalated"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (report, "reassigned"), ==, 1);
    g_assert_nonnull (entry);
    escalated = json_object_get_object_member (entry, "escalated");
    g_assert_cmpstr (json_object_get_string_member (escalated, "from"), ==, owner);
    g_assert_cmpstr (json_object_get_string_member (escalated, "to"), ==, "Morgan Reyes");
    g_assert_null (tick_lead (report, west));
  }
  {
    g_autofree char *now_owner = lead_text (store, east, CP_LEAD_FIELD_OWNER);
    g_assert_cmpstr (now_owner, ==, "Morgan Reyes");
  }
  g_assert_cmpint (cp_test_sql_int (database,
                                    "SELECT count(*) FROM audit_log WHERE entity_id = ?1 AND "
                                    "action = 'escalate' "
                                    "AND field = 'owner' AND new_value = 'Morgan Reyes' AND reason "
                                    "LIKE '%escalated%'",
                                    east),
                   ==, 1);
  g_assert_cmpint (cp_test_sql_int (database,
                                    "SELECT count(*) FROM audit_log WHERE entity_id = ? AND action "
                                    "= 'sla_escalated'",
                                    east),
                   ==, 1);
  /* Once. */
  {
    g_autoptr(JsonObject) report = tick (f, "2026-12-29T01:30:00Z");
    g_assert_cmpint (json_object_get_int_member (report, "escalated"), ==, 0);
  }
  {
    g_autoptr(JsonObject) report = tick (f, "2026-12-29T02:30:00Z");
    g_assert_cmpint (json_object_get_int_member (report, "escalated"), ==, 1);
    g_assert_nonnull (tick_lead (report, west));
  }
}

/* ---- inactivity ---- */

static void
test_inactivity_reactivation (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(CpLeadStore) store = open_store (f, "2026-09-01T15:00:00Z");
  g_autofree char *quiet =
      cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Quinn", CP_LEAD_FIELD_EMAIL,
                           "quinn@example.org", CP_LEAD_FIELD_SERVICE_LINE, "dental",
                           CP_LEAD_N_FIELDS);
  g_autofree char *busy =
      cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Bea", CP_LEAD_FIELD_EMAIL,
                           "bea@example.org", CP_LEAD_FIELD_SERVICE_LINE, "dental",
                           CP_LEAD_N_FIELDS);
  CpDatabase *database = cp_lead_store_get_database (store);

  /* Bea answered an email in October: not quiet. */
  log_at (store, busy, CP_ACTIVITY_KIND_EMAIL_REPLY, "2026-10-15T15:00:00Z");
  {
    g_autofree char *stage = lead_text (store, busy, CP_LEAD_FIELD_STAGE);
    g_assert_cmpstr (stage, ==, "engaged");   /* the playbook's response rule */
  }

  /* 49 days: not yet. */
  {
    g_autoptr(JsonObject) report = tick (f, "2026-10-20T15:00:00Z");
    g_assert_cmpint (json_object_get_int_member (report, "moved"), ==, 0);
  }
  /* 61 days of silence: reactivation, with the rule as the reason. */
  {
    g_autoptr(JsonObject) report = tick (f, "2026-11-01T15:00:00Z");
    JsonObject *entry = tick_lead (report, quiet);
    JsonObject *moved;

    g_assert_cmpint (json_object_get_int_member (report, "moved"), ==, 1);
    g_assert_nonnull (entry);
    moved = json_object_get_object_member (entry, "moved");
    g_assert_cmpstr (json_object_get_string_member (moved, "from"), ==, "new");
    g_assert_cmpstr (json_object_get_string_member (moved, "to"), ==, "reactivation");
    g_assert_cmpstr (json_object_get_string_member (moved, "rule"), ==, "inactive_reactivation");
    entry = tick_lead (report, busy);
    g_assert_true (entry == NULL || !json_object_has_member (entry, "moved"));
  }
  {
    g_autofree char *stage = lead_text (store, quiet, CP_LEAD_FIELD_STAGE);
    g_assert_cmpstr (stage, ==, "reactivation");
  }
  g_assert_cmpint (cp_test_sql_int (database,
                                    "SELECT count(*) FROM stage_events WHERE lead_id = ? AND "
                                    "to_stage = 'reactivation' "
                                    "AND reason LIKE 'No activity for 60 days%'",
                                    quiet),
                   ==, 1);
  /* Never deleted. */
  g_assert_cmpint (cp_test_sql_int (database,
                                    "SELECT count(*) FROM leads WHERE id = ? AND deleted_at = 0",
                                    quiet),
                   ==, 1);
  /* Idempotent: it is in reactivation now, and stays. */
  {
    g_autoptr(JsonObject) report = tick (f, "2026-11-01T15:00:00Z");
    g_assert_cmpint (json_object_get_int_member (report, "moved"), ==, 0);
  }

  /* A reply brings it back, through the CLI: the playbook says so. */
  {
    g_auto(CpCliResult) r = { 0 };

    cp_test_run_cli (&r, "--db", f->path, "log", quiet, "email_reply", "--detail",
                     "Still interested", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "from Reactivation to Engaged"));
  }
  {
    g_autofree char *stage = lead_text (store, quiet, CP_LEAD_FIELD_STAGE);
    g_assert_cmpstr (stage, ==, "engaged");
  }
}

/* ---- automation on a change ---- */

static void
test_won_goes_to_onboarding (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(CpLeadStore) store = open_store (f, "2026-11-02T15:00:00Z");
  g_autofree char *id =
      cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Wes", CP_LEAD_FIELD_EMAIL,
                           "wes@example.org", CP_LEAD_FIELD_SERVICE_LINE, "cardiology",
                           CP_LEAD_FIELD_LOCATION, "Harbor Point", CP_LEAD_N_FIELDS);
  CpDatabase *database = cp_lead_store_get_database (store);
  g_auto(CpCliResult) r = { 0 };
  const char *out;

  cp_test_run_cli (&r, "--db", f->path, "update", id, "closure_outcome=won", NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  /* Told, in the order it happened. */
  out = strstr (r.out, "from New to Closed won");
  g_assert_nonnull (out);
  g_assert_nonnull (strstr (out, "from Closed won to Onboarding"));
  {
    g_autofree char *stage = lead_text (store, id, CP_LEAD_FIELD_STAGE);
    g_assert_cmpstr (stage, ==, "onboarding");
  }
  g_assert_cmpint (cp_test_sql_int (database,
                                    "SELECT group_concat(to_stage, '>') = "
                                    "'new>closed_won>onboarding' "
                                    "FROM (SELECT to_stage FROM stage_events WHERE lead_id = ? "
                                    "ORDER BY id)",
                                    id),
                   ==, 1);
  /* The time rules leave a new onboarding alone. */
  {
    g_autoptr(JsonObject) report = tick (f, "2026-11-03T15:00:00Z");
    g_assert_cmpint (json_object_get_int_member (report, "moved"), ==, 0);
  }
}

/* ---- writes that wait their turn ---- */

/* Runs @script (with $0 = the CLI, $1 = the database, $2 = the lead) in
 * the background. */
static GSubprocess *
spawn_loop (Fixture    *f,
            const char *script,
            const char *id)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *proc =
      g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                        "/bin/sh", "-c", script, cp_test_get_cli_path (), f->path, id, NULL);

  g_assert_no_error (error);
  return proc;
}

/* Each field's audit rows follow one another: every change starts from
 * the value the one before left, and the values are 1…40 in order. */
static void
assert_no_reverted_field (CpDatabase *database,
                          const char *id,
                          const char *field,
                          const char *prefix)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM (SELECT old_value, new_value, lag "
                                          "(new_value) OVER (ORDER BY id) AS previous, "
                                          "row_number () OVER (ORDER BY id) AS n FROM audit_log "
                                          "WHERE entity_id = ?1 AND field = '%s') "
                                          "WHERE new_value = '%s' || n AND old_value IS previous",
                                          field, prefix);
  g_autofree char *rows =
      g_strdup_printf ("SELECT count(*) FROM audit_log WHERE entity_id = ?1 AND field = '%s'",
                       field);

  g_assert_cmpint (cp_test_sql_int (database, rows, id), ==, 40);
  g_assert_cmpint (cp_test_sql_int (database, sql, id), ==, 40);
}

/* The open playbook, with “erase closed-lost leads after 24 months”. */
static void
publish_retention_playbook (CpDatabase *database)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(CpRetentionRule) rule = cp_retention_rule_new ("lost_24m");
  g_autoptr(GError) error = NULL;
  const char * const stages[] = { "closed_lost", NULL };

  for (guint i = 0; i < playbook->stages->len; i++)
    {
      CpStage *stage = playbook->stages->pdata[i];

      g_clear_pointer (&stage->entry, cp_condition_free);
      g_clear_pointer (&stage->exit, cp_condition_free);
      g_clear_pointer (&stage->required_fields, g_strfreev);
    }
  g_ptr_array_set_size (playbook->automation, 0);
  rule->stages = g_strdupv ((char **) stages);
  rule->months_inactive = 24;
  rule->action = g_strdup ("erase");
  g_ptr_array_add (playbook->retention, g_steal_pointer (&rule));
  g_assert_cmpint (cp_playbook_store_publish (database, playbook, "test", "Retention", 0, 1,
                                              &error),
                   >, 0);
  g_assert_no_error (error);
}

static char *
new_closed_lost (CpLeadStore *store,
                 const char  *first_name,
                 const char  *stage,
                 const char  *when)
{
  fixed_now = at (when);
  return cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, first_name,
                              CP_LEAD_FIELD_STAGE, stage,
                              CP_LEAD_FIELD_CLOSURE_OUTCOME, "lost",
                              CP_LEAD_FIELD_CLOSURE_REASON, "no_response", CP_LEAD_N_FIELDS);
}

/* Retention: previewed, then applied by the tick through the erasure. */
static void
test_retention (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CpLeadStore) store = open_store (f, "2024-10-01T12:00:00Z");
  CpDatabase *database = cp_lead_store_get_database (store);
  g_autofree char *old = NULL;
  g_autofree char *recent = NULL;
  g_autofree char *other = NULL;
  const char *now = "2026-11-01T12:00:00Z";

  publish_retention_playbook (database);
  old = new_closed_lost (store, "Olive", "closed_lost", "2024-10-01T12:00:00Z");     /* 25 months */
  recent = new_closed_lost (store, "Rhea", "closed_lost", "2024-12-01T12:00:00Z");   /* 23 months */
  other = new_closed_lost (store, "Nora", "closed_won", "2024-10-01T12:00:00Z"); /* another stage */

  /* The preview lists exactly the first, and changes nothing. */
  {
    g_auto(CpCliResult) r = { 0 };
    g_autoptr(JsonNode) root = NULL;
    JsonArray *list;
    JsonObject *entry;

    cp_test_run_cli (&r, "--db", f->path, "retention", "preview", "--now", now, "--json", NULL);
    g_assert_cmpstr (r.err, ==, "");
    g_assert_cmpint (r.status, ==, 0);
    root = cp_test_parse_json (r.out);
    list = json_object_get_array_member (json_node_get_object (root), "would_erase");
    g_assert_cmpuint (json_array_get_length (list), ==, 1);
    entry = json_array_get_object_element (list, 0);
    g_assert_cmpstr (json_object_get_string_member (entry, "id"), ==, old);
    g_assert_cmpstr (json_object_get_string_member (entry, "rule"), ==, "lost_24m");
    g_assert_cmpstr (json_object_get_string_member (entry, "stage"), ==, "closed_lost");
  }
  g_assert_cmpint (cp_test_sql_int (database, "SELECT count(*) FROM erasures", NULL), ==, 0);
  g_assert_cmpint (cp_test_sql_int (database, "SELECT count(*) FROM leads WHERE erased_at > 0",
                                    NULL),
                   ==, 0);
  {
    g_autofree char *name = lead_text (store, old, CP_LEAD_FIELD_FIRST_NAME);
    g_assert_cmpstr (name, ==, "Olive");
  }

  /* The tick erases it, with the rule as the reason. */
  {
    g_autoptr(JsonObject) report = tick (f, now);
    JsonArray *erased = json_object_get_array_member (report, "erased");
    JsonObject *entry;

    g_assert_cmpuint (json_array_get_length (erased), ==, 1);
    entry = json_array_get_object_element (erased, 0);
    g_assert_cmpstr (json_object_get_string_member (entry, "id"), ==, old);
    g_assert_cmpstr (json_object_get_string_member (entry, "rule"), ==, "lost_24m");
  }
  g_assert_cmpint (cp_test_sql_int (database,
                                    "SELECT count(*) FROM leads WHERE id = ? AND erased_at > 0",
                                    old),
                   ==, 1);
  g_assert_cmpint (cp_test_sql_int (database, "SELECT count(*) FROM leads WHERE erased_at > 0",
                                    NULL),
                   ==, 1);
  g_assert_cmpint (cp_test_sql_int (database,
                                    "SELECT count(*) FROM erasures WHERE lead_id = ? "
                                    "AND actor = 'retention' AND reason LIKE '%lost_24m%'",
                                    old),
                   ==, 1);
  {
    g_autofree char *name = lead_text (store, recent, CP_LEAD_FIELD_FIRST_NAME);
    g_autofree char *name2 = lead_text (store, other, CP_LEAD_FIELD_FIRST_NAME);

    g_assert_cmpstr (name, ==, "Rhea");
    g_assert_cmpstr (name2, ==, "Nora");
  }

  /* Nothing left to erase as of then: the next tick erases nothing. */
  {
    g_autoptr(JsonObject) report = tick (f, now);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "erased")), ==,
                      0);
  }
}

static void
test_concurrent_writers (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(CpLeadStore) store = open_store (f, "2026-12-01T15:00:00Z");
  g_autofree char *id = NULL;
  CpDatabase *database = cp_lead_store_get_database (store);
  GSubprocess *procs[3];

  cp_lead_store_set_clock (store, NULL);
  id = cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Cora",
                            CP_LEAD_FIELD_EMAIL, "cora@example.org",
                            CP_LEAD_FIELD_SERVICE_LINE, "cardiology", CP_LEAD_N_FIELDS);

  procs[0] = spawn_loop (f,
                         "for i in $(seq 1 40); do \"$0\" --db \"$1\" update \"$2\" notes=n$i || "
                         "exit 1; done",
                         id);
  procs[1] = spawn_loop (f,
                         "for i in $(seq 1 40); do \"$0\" --db \"$1\" update \"$2\" job_title=t$i "
                         "|| exit 1; done",
                         id);
  procs[2] =
      spawn_loop (f,
                  "for i in $(seq 1 40); do \"$0\" --db \"$1\" log \"$2\" call --outcome connected "
                  "--detail c$i > /dev/null || exit 1; done",
                  id);
  for (guint i = 0; i < G_N_ELEMENTS (procs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *err = NULL;

      g_subprocess_communicate_utf8 (procs[i], NULL, NULL, NULL, &err, &error);
      g_assert_no_error (error);
      /* Nobody failed with “database is locked”: they waited their turn. */
      g_assert_cmpstr (err, ==, "");
      g_assert_true (g_subprocess_get_successful (procs[i]));
      g_object_unref (procs[i]);
    }

  /* The last values written are the values kept. */
  {
    g_autofree char *notes = lead_text (store, id, CP_LEAD_FIELD_NOTES);
    g_autofree char *title = lead_text (store, id, CP_LEAD_FIELD_JOB_TITLE);
    g_autofree char *stage = lead_text (store, id, CP_LEAD_FIELD_STAGE);

    g_assert_cmpstr (notes, ==, "n40");
    g_assert_cmpstr (title, ==, "t40");
    /* The first call moved the lead on, and no update moved it back. */
    g_assert_cmpstr (stage, ==, "engaged");
  }
  g_assert_cmpint (cp_test_sql_int (database, "SELECT count(*) FROM activities WHERE lead_id = ?",
                                    id),
                   ==, 40);
  assert_no_reverted_field (database, id, "notes", "n");
  assert_no_reverted_field (database, id, "job_title", "t");
  g_assert_cmpint (cp_test_sql_int (database,
                                    "SELECT count(*) FROM audit_log WHERE entity_id = ? AND field "
                                    "= 'stage'",
                                    id),
                   ==, 1);
  g_assert_cmpint (cp_test_sql_int (database, "SELECT count(*) FROM stage_events WHERE lead_id = ?",
                                    id),
                   ==, 2);
}

/* ---- activities and refusals ---- */

static void
test_log_and_refusals (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CpLeadStore) store = open_store (f, "2026-12-01T15:00:00Z");
  g_autofree char *id = NULL;

  id = cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Lou",
                            CP_LEAD_FIELD_EMAIL, "lou@example.org", CP_LEAD_N_FIELDS);

  /* Every kind the playbook knows can be logged. */
  for (CpActivityKind kind = 0; kind < CP_ACTIVITY_N_KINDS; kind++)
    {
      g_auto(CpCliResult) r = { 0 };
      g_autoptr(JsonNode) root = NULL;

      cp_test_run_cli (&r, "--db", f->path, "log", id, cp_activity_kind_to_string (kind),
                       "--at", "2026-12-01T16:00:00Z", "--json", NULL);
      g_assert_cmpstr (r.err, ==, "");
      g_assert_cmpint (r.status, ==, 0);
      root = cp_test_parse_json (r.out);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "lead"), ==, id);
    }
  g_assert_cmpint (cp_test_sql_int (cp_lead_store_get_database (store),
                                    "SELECT count(DISTINCT kind) FROM activities WHERE lead_id = ?",
                                    id),
                   ==, CP_ACTIVITY_N_KINDS);
  g_assert_cmpint (lead_int (store, id, CP_LEAD_FIELD_FIRST_RESPONSE_AT), ==,
                   at ("2026-12-01T16:00:00Z"));

  {
    g_auto(CpCliResult) r = { 0 };

    cp_test_run_cli (&r, "--db", f->path, "log", id, "carrier_pigeon", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "unknown activity kind “carrier_pigeon”"));
  }
  {
    g_auto(CpCliResult) r = { 0 };

    cp_test_run_cli (&r, "--db", f->path, "log", "no-such-lead", "call", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "no-such-lead"));
  }
  /* The stage changes by a move, the computed fields not at all. */
  {
    g_auto(CpCliResult) r = { 0 };

    cp_test_run_cli (&r, "--db", f->path, "update", id, "stage=closed_won", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "carepath-cli move"));
  }
  {
    g_auto(CpCliResult) r = { 0 };

    cp_test_run_cli (&r, "--db", f->path, "update", id, "sla_due_at=2027-01-01T00:00:00Z", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "computed by the playbook"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    g_error ("usage: %s [--tap] PATH-TO-carepath-cli", argv[0]);
  cp_test_set_cli_path (argv[argc - 1]);

  g_test_add ("/cli/lifecycle/sla-weekend-holiday", Fixture, NULL, cp_test_dir_set_up,
              test_sla_across_weekend_and_holiday, cp_test_dir_tear_down);
  g_test_add ("/cli/lifecycle/breach-then-escalation", Fixture, NULL, cp_test_dir_set_up,
              test_breach_then_escalation, cp_test_dir_tear_down);
  g_test_add ("/cli/lifecycle/inactivity-reactivation", Fixture, NULL, cp_test_dir_set_up,
              test_inactivity_reactivation, cp_test_dir_tear_down);
  g_test_add ("/cli/lifecycle/won-onboarding", Fixture, NULL, cp_test_dir_set_up,
              test_won_goes_to_onboarding, cp_test_dir_tear_down);
  g_test_add ("/cli/lifecycle/retention", Fixture, NULL, cp_test_dir_set_up,
              test_retention, cp_test_dir_tear_down);
  g_test_add ("/cli/lifecycle/concurrent-writers", Fixture, NULL, cp_test_dir_set_up,
              test_concurrent_writers, cp_test_dir_tear_down);
  g_test_add ("/cli/lifecycle/log-and-refusals", Fixture, NULL, cp_test_dir_set_up,
              test_log_and_refusals, cp_test_dir_tear_down);
  return g_test_run ();
}
