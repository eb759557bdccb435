/* test-report-snapshot.c — the report snapshot saved beside the database:
 * read back whole, refused when it cannot be trusted, and never stale
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>
#include <utime.h>

#include "cp-cli-test-util.h"
#include "cp-lead-store.h"
#include "cp-playbook-format.h"
#include "cp-rescore.h"
#include "cp-report-data-private.h"
#include "cp-test-util.h"

#define IDENTITY "test database; schema 1"

/* ---- the file format ---- */

static CpReportData *
sample_data (void)
{
  CpReportData *data = cp_report_data_new ();
  CpReportLeadRow row = { 0 };

  /* Out of rowid order, with pending events, two dictionaries. */
  row.created_at = 100;
  row.sla_due_at = 7;
  row.attr[CP_REPORT_ATTR_OWNER] = cp_report_data_intern (data, CP_REPORT_ATTR_OWNER, "Ana");
  row.flags = CP_REPORT_LEAD_POSSIBLE_DUPLICATE;
  cp_report_data_set_lead (data, 30, &row);
  row.created_at = 200;
  row.attr[CP_REPORT_ATTR_OWNER] = cp_report_data_intern (data, CP_REPORT_ATTR_OWNER, "Bo");
  row.flags = CP_REPORT_LEAD_DELETED;
  cp_report_data_set_lead (data, 10, &row);
  row.created_at = 300;
  row.attr[CP_REPORT_ATTR_OWNER] = 0;
  row.flags = 0;
  cp_report_data_set_lead (data, 20, &row);
  g_assert_true (cp_report_data_add_event (data, 30, "new", 5));
  g_assert_true (cp_report_data_add_event (data, 30, "engaged", 9));
  g_assert_true (cp_report_data_add_event (data, 10, "new", 1));
  g_assert_true (cp_report_data_add_event (data, 30, "qualified", 7));
  cp_report_data_set_mark (data, "event-id", 42);
  cp_report_data_set_mark (data, "updated-at", -3);

  return data;
}

static void
assert_same_data (CpReportData *a,
                  CpReportData *b)
{
  g_assert_cmpuint (cp_report_data_get_n_leads (a), ==, cp_report_data_get_n_leads (b));
  for (guint i = 0; i < cp_report_data_get_n_leads (a); i++)
    {
      const CpReportLeadRow *ra = cp_report_data_get_lead (a, i);
      const CpReportLeadRow *rb = cp_report_data_get_lead (b, i);
      const CpReportEvent *ea, *eb;
      guint na, nb;

      g_assert_cmpint (cp_report_data_get_rowid (a, i), ==, cp_report_data_get_rowid (b, i));
      g_assert_cmpint (ra->created_at, ==, rb->created_at);
      g_assert_cmpint (ra->first_response_at, ==, rb->first_response_at);
      g_assert_cmpint (ra->sla_due_at, ==, rb->sla_due_at);
      g_assert_cmpuint (ra->flags, ==, rb->flags);
      for (guint k = 0; k < CP_REPORT_N_ATTRS; k++)
        g_assert_cmpstr (cp_report_data_value (a, k, ra->attr[k]), ==,
                         cp_report_data_value (b, k, rb->attr[k]));
      ea = cp_report_data_get_events (a, i, &na);
      eb = cp_report_data_get_events (b, i, &nb);
      g_assert_cmpuint (na, ==, nb);
      for (guint e = 0; e < na; e++)
        {
          g_assert_cmpint (ea[e].time, ==, eb[e].time);
          g_assert_cmpstr (cp_report_data_value (a, CP_REPORT_ATTR_STAGE, ea[e].stage), ==,
                           cp_report_data_value (b, CP_REPORT_ATTR_STAGE, eb[e].stage));
        }
    }
  for (guint k = 0; k < CP_REPORT_N_ATTRS; k++)
    g_assert_cmpuint (cp_report_data_n_values (a, k), ==, cp_report_data_n_values (b, k));
  g_assert_cmpint (cp_report_data_get_mark (b, "event-id"), ==, 42);
  g_assert_cmpint (cp_report_data_get_mark (b, "updated-at"), ==, -3);
}

static void
write_bytes (const char *path,
             const char *contents,
             gsize       length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static void
test_round_trip (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "leads.db.reports", NULL);
  g_autoptr(CpReportData) data = sample_data ();
  g_autoptr(CpReportData) loaded = cp_report_data_new ();
  g_autoptr(CpReportData) empty = cp_report_data_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  const CpReportEvent *events;
  guint n;

  g_assert_true (cp_report_data_save_file (data, path, IDENTITY, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cp_test_file_mode (path), ==, 0600);
  g_assert_true (cp_report_data_load_file (loaded, path, IDENTITY, &error));
  g_assert_no_error (error);
  assert_same_data (data, loaded);
  /* The events came back sorted by time within their lead. */
  events = cp_report_data_get_events (loaded, 2, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (events[0].time, ==, 5);
  g_assert_cmpint (events[1].time, ==, 7);
  g_assert_cmpint (events[2].time, ==, 9);

  /* A loaded snapshot takes updates as a read one does. */
  g_assert_true (cp_report_data_add_event (loaded, 20, "won", 11));
  events = cp_report_data_get_events (loaded, 1, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (cp_report_data_value (loaded, CP_REPORT_ATTR_STAGE, events[0].stage), ==, "won");

  /* Saved again over the old file: no temporary file left beside it. */
  g_assert_true (cp_report_data_save_file (loaded, path, IDENTITY, &error));
  g_assert_no_error (error);
  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_dir_read_name (listing), ==, "leads.db.reports");
  g_assert_null (g_dir_read_name (listing));

  /* Another process saving at the same moment (its temporary file is
   * there, fresh): left to it. One left by a save cut short long ago is
   * removed and the save goes on. */
  {
    g_autofree char *temp = g_strconcat (path, ".tmp", NULL);
    GStatBuf before, after;

    write_bytes (temp, "partial", 7);
    g_assert_cmpint (g_stat (path, &before), ==, 0);
    g_assert_true (cp_report_data_save_file (empty, path, IDENTITY, &error));
    g_assert_no_error (error);
    g_assert_cmpint (g_stat (path, &after), ==, 0);
    g_assert_cmpuint (before.st_ino, ==, after.st_ino);
    g_assert_true (g_file_test (temp, G_FILE_TEST_EXISTS));
    g_assert_cmpint (g_utime (temp, &(struct utimbuf){ 1000, 1000 }), ==, 0);
    g_assert_true (cp_report_data_save_file (loaded, path, IDENTITY, &error));
    g_assert_no_error (error);
    g_assert_false (g_file_test (temp, G_FILE_TEST_EXISTS));
    g_assert_cmpint (g_stat (path, &after), ==, 0);
    g_assert_cmpuint (before.st_ino, !=, after.st_ino);
  }

  /* An empty snapshot too. */
  g_assert_true (cp_report_data_save_file (empty, path, IDENTITY, &error));
  g_assert_true (cp_report_data_load_file (loaded, path, IDENTITY, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cp_report_data_get_n_leads (loaded), ==, 0);

  /* Where the file cannot be written: an error, nothing else changes. */
  g_assert_false (cp_report_data_save_file (data, "/nonexistent-dir/leads.db.reports", IDENTITY,
                                            &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);

  cp_test_remove_tree (dir);
}

static void
test_change_count (void)
{
  g_autoptr(CpReportData) data = sample_data ();
  CpReportLeadRow row = *cp_report_data_get_lead (data, 0);
  guint64 changes = cp_report_data_get_n_changes (data);

  /* The same lead and mark again: no change, nothing to save. */
  cp_report_data_set_lead (data, 10, &row);
  cp_report_data_set_mark (data, "event-id", 42);
  g_assert_cmpuint (cp_report_data_get_n_changes (data), ==, changes);
  row.first_response_at = 12;
  cp_report_data_set_lead (data, 10, &row);
  g_assert_cmpuint (cp_report_data_get_n_changes (data), >, changes);
  changes = cp_report_data_get_n_changes (data);
  cp_report_data_set_mark (data, "event-id", 43);
  g_assert_cmpuint (cp_report_data_get_n_changes (data), >, changes);
}

/* Leads 1..@n_leads, each with a few events (some at equal times), and the
 * marks assert_same_data() expects. */
static CpReportData *
many_leads_data (guint n_leads)
{
  CpReportData *data = cp_report_data_new ();
  const char *stages[] = { "new", "engaged", "qualified", "won" };

  for (guint i = 1; i <= n_leads; i++)
    {
      CpReportLeadRow row = { 0 };

      row.created_at = 1000 + i;
      row.attr[CP_REPORT_ATTR_OWNER] =
          cp_report_data_intern (data, CP_REPORT_ATTR_OWNER, i % 3 == 0 ? "Ana" : "Bo");
      cp_report_data_set_lead (data, i, &row);
      for (guint e = 0; e < i % 4; e++)
        g_assert_true (cp_report_data_add_event (data, i, stages[e], 1000 + i + 10 * (e / 2)));
    }
  cp_report_data_set_mark (data, "event-id", 42);
  cp_report_data_set_mark (data, "updated-at", -3);

  return data;
}

/* The same change to a snapshot read from its file and to one in memory:
 * the first is changed where it lies (still mapped; the file keeps the
 * saved bytes), and both read the same, events in the same order. */
static void
change_both (CpReportData *mapped,
             CpReportData *owned,
             gint64        rowid,
             const char   *owner,
             const char   *stage,
             gint64        time)
{
  CpReportData *both[] = { mapped, owned };

  for (guint k = 0; k < G_N_ELEMENTS (both); k++)
    {
      guint index = (guint) rowid - 1;
      CpReportLeadRow row = *cp_report_data_get_lead (both[k], index);

      if (owner != NULL)
        {
          row.attr[CP_REPORT_ATTR_OWNER] =
              cp_report_data_intern (both[k], CP_REPORT_ATTR_OWNER, owner);
          cp_report_data_set_lead (both[k], rowid, &row);
        }
      if (stage != NULL)
        g_assert_true (cp_report_data_add_event (both[k], rowid, stage, time));
    }
}

static void
test_changed_in_place (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "leads.db.reports", NULL);
  g_autoptr(CpReportData) owned = many_leads_data (3000);
  g_autoptr(CpReportData) mapped = cp_report_data_new ();
  g_autoptr(CpReportData) again = cp_report_data_new ();
  g_autoptr(CpReportData) saved = many_leads_data (3000);
  g_autoptr(GError) error = NULL;
  CpReportLeadRow row = { 0 };

  g_assert_true (cp_report_data_save_file (owned, path, IDENTITY, &error));
  g_assert_no_error (error);
  g_assert_true (cp_report_data_load_file (mapped, path, IDENTITY, &error));
  g_assert_no_error (error);
  g_assert_true (cp_report_data_is_mapped (mapped));

  /* Rows changed and events added, one at an equal time, one before the
   * lead's others, on leads with and without events. */
  change_both (mapped, owned, 7, "Cy", NULL, 0);
  change_both (mapped, owned, 2999, "Ana", "won", 5000);
  change_both (mapped, owned, 3, NULL, "qualified", 1003);
  change_both (mapped, owned, 3, NULL, "new", 1);
  change_both (mapped, owned, 4, NULL, "lost", 1014);
  g_assert_true (cp_report_data_is_mapped (mapped));
  assert_same_data (owned, mapped);
  /* An event after the merged ones were read: read again, merged again. */
  change_both (mapped, owned, 3, NULL, "won", 1003);
  change_both (mapped, owned, 1500, "Cy", "lost", 9);
  g_assert_true (cp_report_data_is_mapped (mapped));
  assert_same_data (owned, mapped);

  /* The file still holds what was saved. */
  g_assert_true (cp_report_data_load_file (again, path, IDENTITY, &error));
  g_assert_no_error (error);
  assert_same_data (saved, again);

  /* A new lead: the arrays are copied, nothing is lost. */
  row.created_at = 99999;
  cp_report_data_set_lead (mapped, 3001, &row);
  cp_report_data_set_lead (owned, 3001, &row);
  change_both (mapped, owned, 3001, NULL, "new", 99999);
  g_assert_false (cp_report_data_is_mapped (mapped));
  assert_same_data (owned, mapped);

  /* Saved and read back: every change in the file. */
  g_assert_true (cp_report_data_save_file (mapped, path, IDENTITY, &error));
  g_assert_no_error (error);
  g_assert_true (cp_report_data_load_file (again, path, IDENTITY, &error));
  g_assert_no_error (error);
  assert_same_data (owned, again);

  /* Changed in place with events pending, then saved: the same. */
  change_both (again, owned, 10, "Dee", "won", 2000);
  g_assert_true (cp_report_data_is_mapped (again));
  g_assert_true (cp_report_data_save_file (again, path, IDENTITY, &error));
  g_assert_no_error (error);
  g_assert_true (cp_report_data_load_file (mapped, path, IDENTITY, &error));
  g_assert_no_error (error);
  assert_same_data (owned, mapped);

  cp_test_remove_tree (dir);
}

/* Loads @path into a snapshot that holds leads beforehand: refused with
 * G_FILE_ERROR_INVAL, and the snapshot left empty. */
static void
assert_refused (const char *path,
                const char *identity)
{
  g_autoptr(CpReportData) data = sample_data ();
  g_autoptr(GError) error = NULL;

  g_assert_false (cp_report_data_load_file (data, path, identity, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_assert_cmpuint (cp_report_data_get_n_leads (data), ==, 0);
  g_assert_cmpint (cp_report_data_get_mark (data, "event-id"), ==, 0);
}

static void
test_refused (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "leads.db.reports", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.reports", NULL);
  g_autoptr(CpReportData) data = sample_data ();
  g_autoptr(CpReportData) other = cp_report_data_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (cp_report_data_save_file (data, path, IDENTITY, &error));
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 64);

  /* Saved from another database, schema or playbook. */
  assert_refused (path, "another database; schema 1");

  /* Cut short: by one byte, to the header, to nothing; one byte too many. */
  write_bytes (bad, contents, length - 1);
  assert_refused (bad, IDENTITY);
  write_bytes (bad, contents, 64);
  assert_refused (bad, IDENTITY);
  write_bytes (bad, contents, 10);
  assert_refused (bad, IDENTITY);
  write_bytes (bad, "", 0);
  assert_refused (bad, IDENTITY);
  {
    g_autofree char *longer = g_malloc0 (length + 1);

    memcpy (longer, contents, length);
    write_bytes (bad, longer, length + 1);
    assert_refused (bad, IDENTITY);
  }

  /* Another format version (the field after the 8-byte magic). */
  contents[8]++;
  write_bytes (bad, contents, length);
  assert_refused (bad, IDENTITY);
  contents[8]--;
  /* Not a snapshot at all. */
  contents[0] = 'X';
  write_bytes (bad, contents, length);
  assert_refused (bad, IDENTITY);
  contents[0] = 'C';

  /* Damaged: one byte of the last event, then one of the identity. */
  contents[length - 12] ^= 0x40;
  write_bytes (bad, contents, length);
  assert_refused (bad, IDENTITY);
  contents[length - 12] ^= 0x40;
  contents[70] ^= 0x01;
  write_bytes (bad, contents, length);
  assert_refused (bad, IDENTITY);
  contents[70] ^= 0x01;

  /* The bytes put back: read again. */
  write_bytes (bad, contents, length);
  g_assert_true (cp_report_data_load_file (other, bad, IDENTITY, &error));
  g_assert_no_error (error);
  assert_same_data (data, other);

  /* No file: an error of its own kind. */
  g_assert_false (cp_report_data_load_file (other, "/nonexistent-dir/x.reports", IDENTITY, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);

  cp_test_remove_tree (dir);
}

/* ---- through the command line: never a stale figure ---- */

typedef struct
{
  char *dir;
  char *db;
  char *snapshot;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_auto (CpCliResult) r = { 0 };

  f->dir = cp_test_make_tmp_dir ();
  f->db = g_build_filename (f->dir, "leads.db", NULL);
  f->snapshot = g_strconcat (f->db, ".reports", NULL);
  cp_test_run_cli (&r, "--db", f->db, "generate", "--leads", "120", NULL);
  g_assert_cmpint (r.status, ==, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cp_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->snapshot);
}

/* The funnel count of @stage, from `carepath-cli report funnel --json`
 * (with @option and @value when given). */
static gint64
funnel_count (Fixture    *f,
              const char *stage,
              const char *option,
              const char *value)
{
  g_auto (CpCliResult) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *stages;

  cp_test_run_cli (&r, "--db", f->db, "report", "funnel", "--json", option, value, NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  root = cp_test_parse_json (r.out);
  stages = json_object_get_array_member (json_node_get_object (root), "stages");
  for (guint i = 0; i < json_array_get_length (stages); i++)
    {
      JsonObject *row = json_array_get_object_element (stages, i);

      if (g_str_equal (json_object_get_string_member (row, "stage"), stage))
        return json_object_get_int_member (row, "count");
    }
  g_assert_not_reached ();
}

static char *
add_lead (Fixture    *f,
          const char *first_name)
{
  g_auto (CpCliResult) r = { 0 };
  g_autofree char *field = g_strconcat ("first_name=", first_name, NULL);
  g_autofree char *email = g_strconcat ("email=", first_name, "@example.org", NULL);

  cp_test_run_cli (&r, "--db", f->db, "add", field, email, "last_name=Snapshot",
                   "source_channel=event",
                   "service_line=cardiology", "location=Springfield", "lead_type=patient",
                   NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);

  return g_strchomp (g_steal_pointer (&r.out));
}

static void
run_ok (Fixture    *f,
        const char *command,
        const char *id,
        const char *argument)
{
  g_auto (CpCliResult) r = { 0 };

  cp_test_run_cli (&r, "--db", f->db, command, id, argument,
                   g_str_equal (command, "move") ? "--reason" : "--detail", "replied", NULL);
  g_assert_cmpint (r.status, ==, 0);
}

static void
test_cli_writes_reflected (Fixture       *f,
                           gconstpointer  unused)
{
  gint64 new_count = funnel_count (f, "new", NULL, NULL);
  gint64 engaged_count = funnel_count (f, "engaged", NULL, NULL);
  gint64 qualified_count = funnel_count (f, "qualified", NULL, NULL);
  g_autofree char *id = NULL;
  GStatBuf before, after;

  g_assert_cmpint (new_count, ==, 120);
  /* The first report left the snapshot, private; an unchanged database
   * leaves it as it is. */
  g_assert_cmpuint (cp_test_file_mode (f->snapshot), ==, 0600);
  g_assert_cmpint (g_stat (f->snapshot, &before), ==, 0);
  g_assert_cmpint (funnel_count (f, "new", NULL, NULL), ==, 120);
  g_assert_cmpint (g_stat (f->snapshot, &after), ==, 0);
  g_assert_cmpuint (before.st_ino, ==, after.st_ino);

  /* A lead added, then moved, after the save: the next report shows it. */
  id = add_lead (f, "Added");
  g_assert_cmpint (funnel_count (f, "new", NULL, NULL), ==, new_count + 1);
  g_assert_cmpint (funnel_count (f, "new", "--channel", "event"), >=, 1);
  /* An activity: the playbook moves the lead on (New → Engaged). */
  run_ok (f, "log", id, "form_fill");
  g_assert_cmpint (funnel_count (f, "engaged", NULL, NULL), ==, engaged_count + 1);
  run_ok (f, "move", id, "qualified");
  g_assert_cmpint (funnel_count (f, "qualified", NULL, NULL), ==, qualified_count + 1);
  g_assert_cmpint (g_stat (f->snapshot, &after), ==, 0);
  g_assert_cmpuint (before.st_ino, !=, after.st_ino);
}

static gint64
past_clock (void)
{
  return 946684800;  /* 2000-01-01: behind every time the snapshot saw */
}

static void
test_past_clock_write_reflected (Fixture       *f,
                                 gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_assert_cmpint (funnel_count (f, "new", "--owner", "Past Owner"), ==, 0);
  id = add_lead (f, "Late");
  g_assert_cmpint (funnel_count (f, "new", "--owner", "Past Owner"), ==, 0);

  /* A write whose clock is behind the newest update the snapshot saw
   * (updated_at goes back): found by its audit row. */
  {
    g_autoptr(CpDatabase) database = cp_database_open (f->db, &error);
    g_autoptr(CpLeadStore) store = NULL;
    g_autoptr(CpLead) lead = NULL;

    g_assert_no_error (error);
    store = cp_lead_store_new (database);
    cp_lead_store_set_clock (store, past_clock);
    lead = cp_lead_store_get (store, id, &error);
    g_assert_no_error (error);
    cp_lead_set_text (lead, CP_LEAD_FIELD_OWNER, "Past Owner");
    g_assert_true (cp_lead_store_update (store, lead, "test", "owner from an old device", &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (funnel_count (f, "new", "--owner", "Past Owner"), ==, 1);
}

/* The leads of @tier in `carepath-cli report tiers --json`. */
static gint64
tier_count (Fixture    *f,
            const char *tier)
{
  g_auto (CpCliResult) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *tiers;

  cp_test_run_cli (&r, "--db", f->db, "report", "tiers", "--json", NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  root = cp_test_parse_json (r.out);
  tiers = json_object_get_array_member (json_node_get_object (root), "tiers");
  for (guint i = 0; i < json_array_get_length (tiers); i++)
    {
      JsonObject *row = json_array_get_object_element (tiers, i);

      if (g_str_equal (json_object_get_string_member (row, "tier"), tier))
        return json_object_get_int_member (row, "leads");
    }
  g_assert_not_reached ();
}

/* A rescore changes tiers without touching updated_at and, since schema
 * 19, without an audit row per lead: the snapshot learns of them from
 * the audit row each commit of the run leaves. */
static void
test_rescore_reflected (Fixture       *f,
                        gconstpointer  unused)
{
  const char *count_sql = "SELECT count(*) FROM leads WHERE tier = 'sales_ready'";
  g_autoptr(GError) error = NULL;
  gint64 before, after;

  {
    g_autoptr(CpDatabase) database = cp_database_open (f->db, &error);

    g_assert_no_error (error);
    before = cp_test_sql_int (database, count_sql, NULL);
  }
  g_assert_cmpint (tier_count (f, "sales_ready"), ==, before);
  g_assert_true (g_file_test (f->snapshot, G_FILE_TEST_EXISTS));
  {
    g_autoptr(CpDatabase) database = cp_database_open (f->db, &error);
    g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
    CpRescoreStats stats = { 0, };

    g_assert_no_error (error);
    playbook->scoring.sales_ready_threshold = 20;
    g_assert_true (cp_rescore_run (database, playbook, 0, 1800000000, "test", NULL, NULL, NULL,
                                   &stats, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (stats.tier_changes, >, 0);
    after = cp_test_sql_int (database, count_sql, NULL);
  }
  g_assert_cmpint (after, >, before);
  g_assert_cmpint (tier_count (f, "sales_ready"), ==, after);
}

static void
set_owner (CpLeadStore *store,
           CpLead      *lead,
           const char  *owner)
{
  g_autoptr(GError) error = NULL;

  cp_lead_set_text (lead, CP_LEAD_FIELD_OWNER, owner);
  g_assert_true (cp_lead_store_update (store, lead, "test", "owner changed", &error));
  g_assert_no_error (error);
}

/* A few changes since the save are caught up from the saved file, which
 * stays as it is; past a change in a thousand leads (and at least 64
 * changes) the snapshot is saved again. Every report reflects them. */
static void
test_few_changes_not_saved (Fixture       *f,
                            gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(GPtrArray) leads = NULL;
  GStatBuf saved, now;

  g_assert_cmpint (funnel_count (f, "new", NULL, NULL), ==, 120);
  g_assert_cmpint (g_stat (f->snapshot, &saved), ==, 0);
  database = cp_database_open (f->db, &error);
  g_assert_no_error (error);
  store = cp_lead_store_new (database);
  leads = cp_lead_store_query (store, NULL, 0, 120, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (leads->len, ==, 120);

  set_owner (store, leads->pdata[0], "Few Changes");
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpint (funnel_count (f, "new", "--owner", "Few Changes"), ==, 1);
      g_assert_cmpint (g_stat (f->snapshot, &now), ==, 0);
      g_assert_cmpuint (now.st_ino, ==, saved.st_ino);
    }

  for (guint i = 1; i <= 100; i++)
    set_owner (store, leads->pdata[i], "Many Changes");
  g_assert_cmpint (funnel_count (f, "new", "--owner", "Many Changes"), ==, 100);
  g_assert_cmpint (funnel_count (f, "new", "--owner", "Few Changes"), ==, 1);
  g_assert_cmpint (g_stat (f->snapshot, &now), ==, 0);
  g_assert_cmpuint (now.st_ino, !=, saved.st_ino);
  saved = now;
  g_assert_cmpint (funnel_count (f, "new", "--owner", "Many Changes"), ==, 100);
  g_assert_cmpint (g_stat (f->snapshot, &now), ==, 0);
  g_assert_cmpuint (now.st_ino, ==, saved.st_ino);
}

static void
test_damaged_snapshot_rebuilt (Fixture       *f,
                               gconstpointer  unused)
{
  gint64 expected = funnel_count (f, "new", NULL, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CpReportData) data = cp_report_data_new ();
  gsize length;

  g_assert_true (g_file_get_contents (f->snapshot, &contents, &length, &error));
  g_assert_no_error (error);

  /* Damaged, cut short, garbage, another format version: the report reads
   * the database again, gives the same figures and saves a sound file. */
  contents[length / 2] ^= 0x10;
  write_bytes (f->snapshot, contents, length);
  g_assert_cmpint (funnel_count (f, "new", NULL, NULL), ==, expected);
  contents[length / 2] ^= 0x10;
  write_bytes (f->snapshot, contents, length / 3);
  g_assert_cmpint (funnel_count (f, "new", NULL, NULL), ==, expected);
  write_bytes (f->snapshot, "not a snapshot", 14);
  g_assert_cmpint (funnel_count (f, "new", NULL, NULL), ==, expected);
  contents[8]++;
  write_bytes (f->snapshot, contents, length);
  g_assert_cmpint (funnel_count (f, "new", NULL, NULL), ==, expected);

  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (f->snapshot, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 1000);
  g_assert_cmpint (contents[8], ==, 1);
}

static void
test_foreign_snapshot_rejected (Fixture       *f,
                                gconstpointer  unused)
{
  g_autofree char *copy = g_build_filename (f->dir, "copy.db", NULL);
  g_autofree char *copy_snapshot = g_strconcat (copy, ".reports", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *old_contents = NULL;
  g_autoptr(GError) error = NULL;
  gint64 expected = funnel_count (f, "new", NULL, NULL);
  g_autofree char *id = NULL;
  gsize length, old_length;
  FILE *file;

  /* The database as it is now (every connection closed: no WAL). */
  g_assert_true (g_file_get_contents (f->db, &old_contents, &old_length, &error));
  g_assert_no_error (error);
  write_bytes (copy, old_contents, old_length);

  /* Another database with this one's snapshot beside it: not trusted. */
  id = add_lead (f, "Onlyhere");
  g_assert_cmpint (funnel_count (f, "new", NULL, NULL), ==, expected + 1);
  g_assert_true (g_file_get_contents (f->snapshot, &contents, &length, &error));
  write_bytes (copy_snapshot, contents, length);
  {
    g_auto (CpCliResult) r = { 0 };
    g_autoptr(JsonNode) root = NULL;
    JsonObject *first;

    cp_test_run_cli (&r, "--db", copy, "report", "funnel", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    root = cp_test_parse_json (r.out);
    first = json_array_get_object_element (
        json_object_get_array_member (json_node_get_object (root), "stages"), 0);
    g_assert_cmpint (json_object_get_int_member (first, "count"), ==, expected);
  }
  g_unlink (copy_snapshot);

  /* The same file given back an older content in place (as a restore by
   * copying would), then as many writes again: the rows the snapshot saw
   * last are not there any more, so it is read whole. */
  file = g_fopen (f->db, "r+b");
  g_assert_nonnull (file);
  g_assert_cmpuint (fwrite (old_contents, 1, old_length, file), ==, old_length);
  g_assert_cmpint (ftruncate (fileno (file), old_length), ==, 0);
  fclose (file);
  g_free (add_lead (f, "Instead"));
  g_free (add_lead (f, "Insteadtoo"));
  g_assert_cmpint (funnel_count (f, "new", NULL, NULL), ==, expected + 2);
}

static gboolean
file_contains (const char *path,
               const char *text)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));

  return memmem (contents, length, text, strlen (text)) != NULL;
}

static void
test_erasure_leaves_no_value (Fixture       *f,
                              gconstpointer  unused)
{
  g_auto (CpCliResult) r = { 0 };
  g_autofree char *id = NULL;

  cp_test_run_cli (&r, "--db", f->db, "add", "first_name=Erin", "last_name=Erased",
                   "email=erin@example.org", "referral_source=Doctor Uniquename", NULL);
  g_assert_cmpint (r.status, ==, 0);
  id = g_strchomp (g_steal_pointer (&r.out));
  cp_cli_result_clear (&r);
  g_assert_cmpint (funnel_count (f, "new", NULL, NULL), ==, 121);
  g_assert_true (file_contains (f->snapshot, "Doctor Uniquename"));

  /* Erased: the saved snapshot goes at once (the erased value is not
   * left on disk until the next report), the next report reads the
   * database whole again and saves one without the value. */
  cp_test_run_cli (&r, "--db", f->db, "person", "erase", id, "--reason", "asked to", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_false (g_file_test (f->snapshot, G_FILE_TEST_EXISTS));
  funnel_count (f, "new", NULL, NULL);
  g_assert_true (g_file_test (f->snapshot, G_FILE_TEST_EXISTS));
  g_assert_false (file_contains (f->snapshot, "Doctor Uniquename"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    g_error ("usage: %s [--tap] PATH-TO-carepath-cli", argv[0]);
  cp_test_set_cli_path (argv[argc - 1]);

  g_test_add_func ("/report-snapshot/round-trip", test_round_trip);
  g_test_add_func ("/report-snapshot/change-count", test_change_count);
  g_test_add_func ("/report-snapshot/refused", test_refused);
  g_test_add_func ("/report-snapshot/changed-in-place", test_changed_in_place);
  g_test_add ("/report-snapshot/cli/writes-reflected", Fixture, NULL, fixture_set_up,
              test_cli_writes_reflected, fixture_tear_down);
  g_test_add ("/report-snapshot/cli/past-clock-write-reflected", Fixture, NULL, fixture_set_up,
              test_past_clock_write_reflected, fixture_tear_down);
  g_test_add ("/report-snapshot/cli/rescore-reflected", Fixture, NULL, fixture_set_up,
              test_rescore_reflected, fixture_tear_down);
  g_test_add ("/report-snapshot/cli/few-changes-not-saved", Fixture, NULL, fixture_set_up,
              test_few_changes_not_saved, fixture_tear_down);
  g_test_add ("/report-snapshot/cli/damaged-rebuilt", Fixture, NULL, fixture_set_up,
              test_damaged_snapshot_rebuilt, fixture_tear_down);
  g_test_add ("/report-snapshot/cli/erasure-leaves-no-value", Fixture, NULL, fixture_set_up,
              test_erasure_leaves_no_value, fixture_tear_down);
  g_test_add ("/report-snapshot/cli/foreign-rejected", Fixture, NULL, fixture_set_up,
              test_foreign_snapshot_rejected, fixture_tear_down);

  return g_test_run ();
}
