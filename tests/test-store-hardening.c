/* test-store-hardening.c — read-only databases, failed commits, empty searches, checks in words
 *
 * A database its user cannot write opens read-only and refuses every
 * change; a commit that fails (a full disk, a refused commit) leaves
 * nothing half-stored and the transaction levels consistent; a search of
 * punctuation finds nothing; `check` says what it finds in words.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "cp-csv-reader.h"
#include "cp-database-private.h"
#include "cp-lead-import.h"
#include "cp-lead-store.h"
#include "cp-playbook-format.h"
#include "cp-playbook-store.h"
#include "cp-test-util.h"

/* dir: a new folder; path: dir/leads.db, not created */
typedef CpTestDir Fixture;

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  /* Files made read-only by a test are removed all the same. */
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (f->dir, name, NULL);
      g_chmod (child, 0600);
    }
  cp_test_dir_tear_down (f, data);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static guint
count_backups (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (d)) != NULL)
    n += strstr (name, ".bak-v") != NULL;
  return n;
}

static guint
count_leads (CpLeadStore *store,
             const char  *search)
{
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GError) error = NULL;
  guint count = 0;

  query->search = g_strdup (search);
  g_assert_true (cp_lead_store_count (store, query, &count, &error));
  g_assert_no_error (error);
  return count;
}

static CpLead *
new_lead (const char *first,
          const char *notes)
{
  CpLead *lead = cp_lead_new ();

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, first);
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "someone@example.org");
  cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, notes);
  return lead;
}

/* A copy of @f's database with two leads, made read-only (0400). */
static char *
read_only_copy (Fixture *f)
{
  g_autofree char *copy = g_build_filename (f->dir, "colleague.db", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  {
    g_autoptr(CpDatabase) database = cp_test_open_database (f->dir);
    g_autoptr(CpLeadStore) store = cp_lead_store_new (database);

    g_free (cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Ada",
                                 CP_LEAD_FIELD_EMAIL, "ada@example.org", CP_LEAD_N_FIELDS));
    g_free (cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Grace",
                                 CP_LEAD_FIELD_EMAIL, "grace@example.org", CP_LEAD_N_FIELDS));
  }
  /* Closed: the log is checkpointed into the file, which is all there is. */
  g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (copy, contents, length, NULL));
  g_assert_cmpint (g_chmod (copy, 0400), ==, 0);
  return g_steal_pointer (&copy);
}

/* ---- read-only databases ---- */

static void
test_read_only_opens_read_only (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *copy = read_only_copy (f);
  g_autofree char *before = file_checksum (copy);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(CpDatabase) database = cp_database_open (copy, &error);
    g_autoptr(CpLeadStore) store = NULL;
    g_autoptr(CpLead) lead = new_lead ("Linus", NULL);
    g_autoptr(GPtrArray) problems = NULL;

    g_assert_no_error (error);
    g_assert_true (cp_database_is_read_only (database));
    g_assert_cmpint (cp_database_get_schema_version (database), ==,
                     cp_database_get_latest_schema_version ());
    g_assert_null (cp_database_get_backup_path (database));
    store = cp_lead_store_new (database);

    /* Everything reads. */
    g_assert_cmpuint (count_leads (store, NULL), ==, 2);
    g_assert_cmpuint (count_leads (store, "grace"), ==, 1);
    g_assert_true (cp_database_begin (database, &error));   /* a read transaction */
    g_assert_no_error (error);
    g_assert_cmpuint (count_leads (store, "ada"), ==, 1);
    g_assert_true (cp_database_commit (database, &error));
    g_assert_no_error (error);
    problems = cp_database_check_repairable (database, NULL, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < problems->len; i++)
      g_test_message ("%s", (char *) problems->pdata[i]);
    g_assert_cmpuint (problems->len, ==, 0);

    /* Nothing writes, each refusal in the same words. */
    g_assert_false (cp_lead_store_create (store, lead, "test", &error));
    g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_READ_ONLY);
    g_assert_true (g_str_has_prefix (error->message, "Read-only: this database cannot be changed"));
    g_clear_error (&error);
    g_assert_false (cp_database_in_transaction (database));
    g_assert_false (cp_database_set_setting (database, "k", "v", &error));
    g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_READ_ONLY);
    g_clear_error (&error);
    g_assert_false (cp_database_repair (database, &error));
    g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_READ_ONLY);
    g_clear_error (&error);
    g_assert_false (cp_database_in_transaction (database));
    g_assert_cmpuint (count_leads (store, NULL), ==, 2);
  }

  /* Not a byte changed, no upgrade copy made. */
  after = file_checksum (copy);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (count_backups (f->dir), ==, 0);

  /* The writable original still opens read-write. */
  {
    g_autoptr(CpDatabase) database = cp_database_open (f->path, &error);

    g_assert_no_error (error);
    g_assert_false (cp_database_is_read_only (database));
  }
}

/* Too old to be read without an upgrade, and the upgrade would write. */
static void
test_read_only_too_old (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_clear_object (&(CpDatabase *) { _cp_database_open_at_version (f->path, 1, &error) });
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (f->path, 0400), ==, 0);
  before = file_checksum (f->path);

  database = cp_database_open (f->path, &error);
  g_assert_null (database);
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_MIGRATION);
  g_assert_nonnull (strstr (error->message, "older version of Carepath (database version 1)"));
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_assert_nonnull (strstr (error->message, f->path));

  after = file_checksum (f->path);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (count_backups (f->dir), ==, 0);
}

/* ---- the commit/rollback contract ---- */

static int
refuse_commit_cb (void *user_data)
{
  guint *refused = user_data;

  (*refused)++;
  return 1;   /* SQLite turns the COMMIT into a ROLLBACK */
}

static void
refuse_commits (CpDatabase *database,
                guint      *counter)
{
  sqlite3_commit_hook (_cp_database_get_handle (database),
                       counter != NULL ? refuse_commit_cb : NULL, counter);
}

/* A commit that fails has rolled back: the callers that used to roll back
 * again (a CRITICAL at the top, one level too many in a savepoint) no
 * longer do. G_DEBUG=fatal-warnings makes any CRITICAL fail the test. */
static void
test_commit_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CpDatabase) database = cp_test_open_database (f->dir);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  g_autoptr(GError) error = NULL;
  gint64 versions, audit_rows;
  guint refused = 0;

  /* A lead: not created, nothing of it stored. */
  audit_rows = cp_test_count_rows (database, "audit_log");
  refuse_commits (database, &refused);
  {
    g_autoptr(CpLead) lead = new_lead ("Refused", "marker-refused");

    g_assert_false (cp_lead_store_create (store, lead, "test", &error));
    g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }
  refuse_commits (database, NULL);
  g_assert_cmpuint (refused, ==, 1);
  g_assert_false (cp_database_in_transaction (database));
  g_assert_cmpuint (count_leads (store, NULL), ==, 0);
  g_assert_cmpuint (count_leads (store, "marker"), ==, 0);
  g_assert_cmpint (cp_test_count_rows (database, "audit_log"), ==, audit_rows);

  /* Publishing a draft (it rolled back twice: a CRITICAL). */
  g_assert_true (cp_playbook_store_save_draft (database, playbook, 0, "test", 1000, &error));
  g_assert_no_error (error);
  versions = cp_test_count_rows (database, "playbook_versions");
  refuse_commits (database, &refused);
  g_assert_cmpint (cp_playbook_store_publish_draft (database, "test", "Refused", 0, 1000, &error),
                   ==, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);
  refuse_commits (database, NULL);
  g_assert_false (cp_database_in_transaction (database));
  g_assert_cmpint (cp_test_count_rows (database, "playbook_versions"), ==, versions);
  {
    g_autoptr(CpPlaybook) draft = cp_playbook_store_load_draft (database, NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (draft);   /* kept, to publish again */
  }
  g_assert_cmpint (cp_playbook_store_publish_draft (database, "test", "Now", 0, 1000, &error),
                   >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (cp_test_count_rows (database, "playbook_versions"), ==, versions + 1);

  /* An import batch (it rolled back twice, and dropped the FTS trigger
   * state with it). */
  {
    const char *csv = "first_name,email\nImp,imp@example.org\nOrt,ort@example.org\n";
    g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_data (csv, strlen (csv));
    CpImportOptions options = { CP_IMPORT_HEADERS_AUTO, CP_IMPORT_DUPLICATE_MERGE, FALSE, "test",
                                NULL, 0 };
    CpImportResult result = { 0 };

    refuse_commits (database, &refused);
    g_assert_false (cp_lead_import_run (store, reader, &options, NULL, NULL, NULL, &result,
                                        &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    refuse_commits (database, NULL);
    cp_import_result_clear (&result);
    g_assert_false (cp_database_in_transaction (database));
    g_assert_cmpuint (count_leads (store, NULL), ==, 0);
  }
  {
    const char *csv = "first_name,email\nImp,imp@example.org\nOrt,ort@example.org\n";
    g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_data (csv, strlen (csv));
    CpImportOptions options = { CP_IMPORT_HEADERS_AUTO, CP_IMPORT_DUPLICATE_MERGE, FALSE, "test",
                                NULL, 0 };
    CpImportResult result = { 0 };

    g_assert_true (cp_lead_import_run (store, reader, &options, NULL, NULL, NULL, &result, &error));
    g_assert_no_error (error);
    cp_import_result_clear (&result);
    g_assert_cmpuint (count_leads (store, NULL), ==, 2);
    g_assert_cmpuint (count_leads (store, "ort"), ==, 1);   /* indexed for search */
  }

  /* In a savepoint: the outer level's commit fails; the inner level was
   * released into it, so neither is stored, and no level is left open. */
  g_assert_true (cp_database_begin (database, &error));
  {
    g_autoptr(CpLead) inner = new_lead ("Inner", "marker-inner");

    g_assert_true (cp_lead_store_create (store, inner, "test", &error));
    g_assert_no_error (error);
  }
  refuse_commits (database, &refused);
  g_assert_false (cp_database_commit (database, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  refuse_commits (database, NULL);
  g_assert_false (cp_database_in_transaction (database));
  g_assert_cmpuint (count_leads (store, "marker"), ==, 0);

  {
    g_autoptr(GPtrArray) problems = cp_database_check_repairable (database, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (problems->len, ==, 0);
  }
}

/* SQLite may end a transaction by itself after an error (a full disk
 * while no statement journal is kept): every savepoint is gone with it.
 * The levels still open then refuse to go on or to commit. */
static void
test_transaction_lost (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CpDatabase) database = cp_test_open_database (f->dir);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  g_autoptr(GError) error = NULL;
  gint64 audit_rows = cp_test_count_rows (database, "audit_log");

  g_assert_true (cp_database_begin (database, &error));
  {
    g_autoptr(CpLead) first = new_lead ("First", "marker-first");

    g_assert_true (cp_lead_store_create (store, first, "test", &error));
  }
  g_assert_true (cp_database_begin (database, &error));
  /* What SQLite does on such an error: the whole transaction rolled back. */
  g_assert_cmpint (sqlite3_exec (_cp_database_get_handle (database), "ROLLBACK", NULL, NULL, NULL),
                   ==, SQLITE_OK);

  /* A write from here would run outside any transaction: refused. */
  {
    g_autoptr(CpLead) second = new_lead ("Second", "marker-second");

    g_assert_false (cp_lead_store_create (store, second, "test", &error));
    g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_QUERY);
    g_assert_cmpstr (error->message, ==,
                     "Nothing was saved: an earlier error undid the whole change.");
    g_clear_error (&error);
  }
  g_assert_false (cp_database_begin (database, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_QUERY);
  g_clear_error (&error);

  /* The inner level's commit fails and closes it; the outer one is rolled
   * back by its owner, once. */
  g_assert_false (cp_database_commit (database, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_QUERY);
  g_clear_error (&error);
  g_assert_true (cp_database_in_transaction (database));
  cp_database_rollback (database);
  g_assert_false (cp_database_in_transaction (database));

  g_assert_cmpuint (count_leads (store, "marker"), ==, 0);
  g_assert_cmpint (cp_test_count_rows (database, "audit_log"), ==, audit_rows);

  /* And the next change goes through. */
  {
    g_autoptr(CpLead) later = new_lead ("Later", "marker-later");

    g_assert_true (cp_lead_store_create (store, later, "test", &error));
    g_assert_no_error (error);
    g_assert_cmpuint (count_leads (store, "marker"), ==, 1);
  }
}

static char *
big_notes (void)
{
  GString *notes = g_string_new ("marker-full ");

  /* Distinct words, so the search index grows with them too; within
   * what a note may hold. */
  for (guint i = 0; notes->len < 95000; i++)
    g_string_append_printf (notes, "w%u ", i);
  return g_string_free (notes, FALSE);
}

/* A full disk, injected with max_page_count: SQLITE_FULL in a top-level
 * transaction, then in a savepoint of an outer transaction. */
static void
test_full_disk (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CpDatabase) database = cp_test_open_database (f->dir);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  g_autoptr(GError) error = NULL;
  g_autofree char *notes = big_notes ();
  g_autofree char *limit = NULL;
  gint64 audit_rows;

  g_free (cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Before",
                               CP_LEAD_FIELD_EMAIL, "before@example.org", CP_LEAD_N_FIELDS));
  /* Room for a small lead, not for 95 kB of notes and their index. */
  limit = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT,
                           cp_test_sql_int (database, "PRAGMA page_count", NULL) + 16);
  g_assert_true (_cp_database_exec (database, limit, &error));
  audit_rows = cp_test_count_rows (database, "audit_log");

  /* Top level. */
  {
    g_autoptr(CpLead) lead = new_lead ("Full", notes);

    g_assert_false (cp_lead_store_create (store, lead, "test", &error));
    g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_QUERY);
    g_assert_cmpstr (error->message, ==, "The disk is full: nothing was saved. Free some space "
                                         "and try again.");
    g_clear_error (&error);
  }
  g_assert_false (cp_database_in_transaction (database));
  g_assert_cmpuint (count_leads (store, NULL), ==, 1);
  g_assert_cmpuint (count_leads (store, "marker"), ==, 0);
  g_assert_cmpint (cp_test_count_rows (database, "audit_log"), ==, audit_rows);

  /* In a savepoint: the small lead goes in, the big one fails. */
  g_assert_true (cp_database_begin (database, &error));
  {
    g_autoptr(CpLead) small = new_lead ("Small", "marker-small");
    g_autoptr(CpLead) big = new_lead ("Big", notes);

    g_assert_true (cp_lead_store_create (store, small, "test", &error));
    g_assert_no_error (error);
    g_assert_false (cp_lead_store_create (store, big, "test", &error));
    g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_QUERY);
    g_assert_nonnull (strstr (error->message, "disk is full"));
    g_clear_error (&error);
  }
  /* Whatever SQLite undid, the outer level is still ours to end, once. */
  g_assert_true (cp_database_in_transaction (database));
  if (cp_database_commit (database, &error))
    {
      g_test_message ("SQLite kept the transaction: the small lead is stored");
      g_assert_cmpuint (count_leads (store, "marker"), ==, 1);
      g_assert_cmpuint (count_leads (store, "small"), ==, 1);
    }
  else
    {
      g_test_message ("SQLite undid the transaction: %s", error->message);
      g_assert_cmpuint (count_leads (store, "marker"), ==, 0);
      g_clear_error (&error);
    }
  g_assert_false (cp_database_in_transaction (database));
  g_assert_cmpuint (count_leads (store, "big"), ==, 0);

  /* A one-row write without a statement journal: SQLite answers a full
   * disk by undoing the whole transaction, savepoints and all. The
   * levels left open refuse to go on, and nothing of it is stored. */
  g_assert_true (cp_database_begin (database, &error));
  {
    g_autoptr(CpLead) small = new_lead ("Smaller", "marker-smaller");

    g_assert_true (cp_lead_store_create (store, small, "test", &error));
    g_assert_no_error (error);
  }
  g_assert_true (cp_database_begin (database, &error));
  g_assert_false (cp_database_set_setting (database, "big", notes, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_QUERY);
  g_assert_nonnull (strstr (error->message, "disk is full"));
  g_clear_error (&error);
  g_assert_false (cp_database_commit (database, &error));      /* the inner level */
  g_assert_cmpstr (error->message, ==,
                   "Nothing was saved: an earlier error undid the whole change.");
  g_clear_error (&error);
  g_assert_false (cp_database_commit (database, &error));      /* the outer level */
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_QUERY);
  g_clear_error (&error);
  g_assert_false (cp_database_in_transaction (database));
  g_assert_cmpuint (count_leads (store, "smaller"), ==, 0);
  g_assert_null (cp_database_get_setting (database, "big"));

  /* With room again, everything works and nothing is inconsistent. */
  g_assert_true (_cp_database_exec (database, "PRAGMA max_page_count = 1073741823", &error));
  {
    g_autoptr(CpLead) lead = new_lead ("Roomy", notes);
    g_autoptr(GPtrArray) problems = NULL;

    g_assert_true (cp_lead_store_create (store, lead, "test", &error));
    g_assert_no_error (error);
    g_assert_cmpuint (count_leads (store, "roomy"), ==, 1);
    problems = cp_database_check_repairable (database, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (problems->len, ==, 0);
  }
}

/* ---- searches ---- */

static void
test_search_without_words (Fixture       *f,
                           gconstpointer  data)
{
  static const char * const nothing[] = {
    "\"", "-", "*", "", "   ", "()", "\"\"", "-*-", "(*)^", "…", "\xff\xfe",
  };
  g_autoptr(CpDatabase) database = cp_test_open_database (f->dir);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  g_autoptr(GError) error = NULL;

  g_free (cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Ada",
                               CP_LEAD_FIELD_PHONE, "(202) 555-0143", CP_LEAD_N_FIELDS));
  g_free (cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Grace", CP_LEAD_N_FIELDS));

  g_assert_cmpuint (count_leads (store, NULL), ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (nothing); i++)
    {
      g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
      g_autoptr(GPtrArray) page = NULL;

      g_autofree char *shown = g_strescape (nothing[i], NULL);

      g_test_message ("search “%s”", shown);
      g_assert_false (cp_lead_query_search_has_words (nothing[i]));
      g_assert_cmpuint (count_leads (store, nothing[i]), ==, 0);
      query->search = g_strdup (nothing[i]);
      page = cp_lead_store_query (store, query, 0, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (page->len, ==, 0);
    }
  g_assert_false (cp_lead_query_search_has_words (NULL));

  /* A word, a number, a phone number as written: found. */
  g_assert_true (cp_lead_query_search_has_words ("\"ada\""));
  g_assert_cmpuint (count_leads (store, "\"ada\""), ==, 1);
  g_assert_cmpuint (count_leads (store, "-gra*"), ==, 1);
  g_assert_cmpuint (count_leads (store, "(202) 555-0143"), ==, 1);
}

/* ---- check, in words ---- */

static gboolean
has_problem (GPtrArray  *problems,
             const char *prefix)
{
  for (guint i = 0; i < problems->len; i++)
    if (g_str_has_prefix (problems->pdata[i], prefix))
      return TRUE;
  return FALSE;
}

static void
test_check_in_words (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CpDatabase) database = cp_test_open_database (f->dir);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ada = NULL;
  g_autofree char *grace = NULL;
  guint repairable = 0;

  ada = cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Ada", CP_LEAD_N_FIELDS);
  grace = cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Grace", CP_LEAD_N_FIELDS);
  g_free (cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Linus", CP_LEAD_N_FIELDS));

  problems = cp_database_check_repairable (database, &repairable, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (repairable, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* Two leads gone from the search index, an activity of nobody, totals
   * that disagree with the leads. */
  g_assert_true (_cp_database_exec (database,
                                    "INSERT INTO leads_fts (leads_fts, rowid, first_name,"
                                    "  last_name, email, phone, organization, notes)"
                                    " SELECT 'delete', rowid, first_name, last_name, email, phone,"
                                    "  organization, notes FROM leads"
                                    " WHERE first_name IN ('Ada', 'Grace');"
                                    "PRAGMA foreign_keys = OFF;"
                                    "INSERT INTO activities (id, lead_id, kind, occurred_at)"
                                    " VALUES ('orphan', 'nobody', 'call', 1);"
                                    "PRAGMA foreign_keys = ON;"
                                    "UPDATE stage_totals SET lead_count = lead_count + 5"
                                    " WHERE stage = 'new';", &error));
  g_assert_no_error (error);

  problems = cp_database_check_repairable (database, &repairable, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    {
      g_test_message ("%s", (char *) problems->pdata[i]);
      /* Words, not SQLite's rows or errors. */
      g_assert_null (strstr (problems->pdata[i], "malformed"));
      g_assert_null (strstr (problems->pdata[i], "·"));
      g_assert_null (strstr (problems->pdata[i], "activities"));
    }
  g_assert_cmpuint (problems->len, ==, 3);
  g_assert_true (has_problem (problems, "The search index is out of date for 2 leads: a search "
                                        "may miss them"));
  g_assert_true (has_problem (problems, "Activities: 1 record refers to a lead that no longer "
                                        "exists (row "));
  g_assert_true (has_problem (problems, "The lead count and score total shown for the stage "
                                        "“new” do not match its leads."));
  g_assert_cmpuint (repairable, ==, 2);
  g_assert_cmpuint (count_leads (store, "ada"), ==, 0);   /* what the stale index does */
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* The repair rebuilds what is derived from the leads; the orphan needs
   * a person (or a backup). */
  g_assert_true (cp_database_repair (database, &error));
  g_assert_no_error (error);
  g_assert_false (cp_database_in_transaction (database));
  problems = cp_database_check_repairable (database, &repairable, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_true (has_problem (problems, "Activities: 1 record refers to a lead"));
  g_assert_cmpuint (repairable, ==, 0);
  g_assert_cmpuint (count_leads (store, "ada"), ==, 1);
  g_assert_cmpuint (count_leads (store, "grace"), ==, 1);
}

/* The app opens a connection per worker while its main one stays open,
 * and the CLI writes from another process. Opening (and closing) a second
 * connection must not drop the main one's locks: if it did, the CLI would
 * take itself for the last connection, copy the write-ahead log back and
 * delete it, and the main connection would never see another change. */
static void
test_other_process_write_seen (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(CpDatabase) main_db = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *wal = NULL;
  gint64 version;

  if (g_test_subprocess ())
    {
      /* The other process: one lead, then it closes the database. */
      g_autoptr(CpDatabase) other = cp_database_open (g_getenv ("CP_TEST_SHARED_DB"), &error);
      g_autoptr(CpLeadStore) other_store = NULL;
      g_autofree char *id = NULL;

      g_assert_no_error (error);
      other_store = cp_lead_store_new (other);
      id = cp_test_create_lead (other_store, CP_LEAD_FIELD_FIRST_NAME, "Ben", CP_LEAD_N_FIELDS);
      g_assert_nonnull (id);
      return;
    }

  main_db = cp_database_open (f->path, &error);
  g_assert_no_error (error);
  store = cp_lead_store_new (main_db);
  first = cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Ada", CP_LEAD_N_FIELDS);
  version = cp_database_get_data_version (main_db);

  /* A worker's connection comes and goes (the app's report, tick and
   * sync workers each open one). */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(CpDatabase) worker = cp_database_open (f->path, &error);
      g_assert_no_error (error);
    }
  wal = g_strconcat (f->path, "-wal", NULL);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  g_setenv ("CP_TEST_SHARED_DB", f->path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_unsetenv ("CP_TEST_SHARED_DB");

  /* The log was not taken away from the open connection, which sees the
   * other process's lead. */
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_cmpint (cp_database_get_data_version (main_db), !=, version);
  g_assert_cmpint (cp_test_count_rows (main_db, "leads"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, cp_test_dir_set_up, func, fixture_tear_down)
  ADD ("/store/read-only/opens-read-only", test_read_only_opens_read_only);
  ADD ("/store/read-only/too-old", test_read_only_too_old);
  ADD ("/store/transaction/commit-refused", test_commit_refused);
  ADD ("/store/transaction/lost-by-sqlite", test_transaction_lost);
  ADD ("/store/transaction/full-disk", test_full_disk);
  ADD ("/store/search/without-words", test_search_without_words);
  ADD ("/store/check/in-words", test_check_in_words);
  ADD ("/store/connections/other-process-write-seen", test_other_process_write_seen);
#undef ADD

  return g_test_run ();
}
