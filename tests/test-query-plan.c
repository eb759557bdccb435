/* test-query-plan.c — the Leads table's pages are read from an index, not sorted
 *
 * SQLite plans by the statistics ANALYZE keeps (PRAGMA optimize refreshes
 * them as the app closes). An empty test database has none, so the
 * statistics of a generated million-lead database (schema 16, ANALYZE; for
 * schema 17, leads_tier (tier, stage, created_at) and leads_stage_created
 * without the tier) are written in first: the plans checked are the ones a million leads get.
 * The SQL is the one the list model runs (_cp_lead_store_page_sql).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "cp-database.h"
#include "cp-lead-query.h"
#include "cp-lead-store-query-private.h"
#include "cp-lead-store.h"
#include "cp-test-util.h"

/* sqlite_stat1 of the leads table of 1,000,000 demo leads. */
static const char * const million_stats[][2] = {
  { "leads_account", "300268 11549" },
  { "leads_account_activity", "300268 11549 1" },
  { "leads_consent", "1000000 250000" },
  { "leads_created", "1000000 1" },
  { "leads_email_key", "1000000 1" },
  { "leads_lead_type", "1000000 200000" },
  { "leads_location", "1000000 83334" },
  { "leads_location_key", "1000000 83334 4" },
  { "leads_owner", "1000000 66667" },
  { "leads_phone_key", "1000000 834" },
  { "leads_queue", "1000000 125000" },
  { "leads_service_line", "1000000 100000" },
  { "leads_sla_open", "237095 4 4" },
  { "leads_source_channel", "1000000 90910" },
  { "leads_stage_activity", "1000000 111112 1" },
  { "leads_stage_created", "1000000 111112 1 1 1 1 1 1 1" },
  { "leads_stage_score", "1000000 111112 1202 4 2" },
  { "leads_tier", "1000000 333334 37038 1" },
  { "leads_updated", "1000000 1" },
  { "sqlite_autoindex_leads_1", "1000000 1" },
};

typedef struct
{
  char        *dir;
  CpDatabase  *database;
  CpLeadStore *store;
  sqlite3     *db;      /* a second connection, opened after the statistics */
} Fixture;

static void
exec_ok (sqlite3    *db,
         const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  sqlite3 *writer = NULL;
  sqlite3_stmt *stmt = NULL;

  cp_test_tmp_store_open (&f->dir, &f->database, &f->store);

  g_assert_cmpint (sqlite3_open (cp_database_get_path (f->database), &writer), ==, SQLITE_OK);
  exec_ok (writer, "ANALYZE; DELETE FROM sqlite_stat1;");
  g_assert_cmpint (sqlite3_prepare_v2 (
                       writer, "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('leads', ?, ?)",
                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (million_stats); i++)
    {
      sqlite3_bind_text (stmt, 1, million_stats[i][0], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, million_stats[i][1], -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (writer);
  g_assert_cmpint (sqlite3_open_v2 (cp_database_get_path (f->database), &f->db,
                                    SQLITE_OPEN_READONLY, NULL),
                   ==, SQLITE_OK);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  sqlite3_close (f->db);
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
}

/* The plan of the first page of @query, its steps joined by "; ". */
static char *
page_plan (Fixture           *f,
           const CpLeadQuery *query)
{
  g_autoptr(GPtrArray) text_params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) int_params = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) kinds = g_string_new (NULL);
  g_autofree char *sql =
      _cp_lead_store_page_sql (f->store, query, "rowid", NULL, text_params, int_params, kinds);
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  g_autoptr(GString) plan = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (f->db, explain, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s%s", plan->len > 0 ? "; " : "",
                            (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  g_test_message ("%s\n  -> %s", sql, plan->str);

  return g_string_free (g_steal_pointer (&plan), FALSE);
}

/* Whether @plan walks @index (the name whole, not a prefix of another). */
static gboolean
plan_uses (const char *plan,
           const char *index)
{
  g_autofree char *needle = g_strdup_printf ("INDEX %s", index);

  for (const char *at = strstr (plan, needle); at != NULL; at = strstr (at + 1, needle))
    {
      char next = at[strlen (needle)];

      if (next == '\0' || next == ' ' || next == ';')
        return TRUE;
    }
  return FALSE;
}

static void
assert_read_from (Fixture           *f,
                  const CpLeadQuery *query,
                  const char        *index)
{
  g_autofree char *plan = page_plan (f, query);

  if (!plan_uses (plan, index))
    g_error ("expected a walk of %s, planned: %s", index, plan);
  /* Sorting every matching lead is what the index is there to avoid; ties
   * of one date may still be put in rowid order. */
  g_assert_null (strstr (plan, "USE TEMP B-TREE FOR ORDER BY"));
}

static void
test_stage_and_service_line (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();

  query->stage = g_strdup ("adoption");
  query->service_line = g_strdup ("dermatology");
  assert_read_from (f, query, "leads_stage_created");

  /* Any other filter the index carries, the same. */
  g_clear_pointer (&query->service_line, g_free);
  query->owner = g_strdup ("Dana");
  query->location = g_strdup ("Berlin");
  assert_read_from (f, query, "leads_stage_created");

  g_clear_pointer (&query->owner, g_free);
  g_clear_pointer (&query->location, g_free);
  assert_read_from (f, query, "leads_stage_created");

  /* A stage and a tier: the tier's index, in date order (the tier left
   * the wide index: a rescore moved its entries there at random). */
  query->tier = g_strdup ("sales_ready");
  assert_read_from (f, query, "leads_tier");
  /* With another filter too: either index, walked in date order. */
  query->owner = g_strdup ("Dana");
  {
    g_autofree char *plan = page_plan (f, query);

    g_assert_true (plan_uses (plan, "leads_tier") || plan_uses (plan, "leads_stage_created"));
    g_assert_null (strstr (plan, "USE TEMP B-TREE FOR ORDER BY"));
  }
}

static void
test_other_orders (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();

  /* A stage by score: the board's own index. */
  query->stage = g_strdup ("qualified");
  query->sort_field = CP_LEAD_FIELD_SCORE;
  query->sort_descending = TRUE;
  assert_read_from (f, query, "leads_stage_score");

  /* No filter, newest first: the date index. */
  g_clear_pointer (&query->stage, g_free);
  query->sort_field = CP_LEAD_FIELD_CREATED_AT;
  assert_read_from (f, query, "leads_created");
}

/* The check fails where it should: an order no index holds (a stage by
 * organisation) is a sort. */
static void
test_check_can_fail (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autofree char *plan = NULL;

  query->stage = g_strdup ("adoption");
  query->sort_field = CP_LEAD_FIELD_ORGANIZATION;
  plan = page_plan (f, query);
  g_assert_false (plan_uses (plan, "leads_stage_created"));
  g_assert_nonnull (strstr (plan, "USE TEMP B-TREE FOR ORDER BY"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/query-plan/stage-and-service-line", Fixture, NULL, fixture_set_up,
              test_stage_and_service_line, fixture_tear_down);
  g_test_add ("/query-plan/other-orders", Fixture, NULL, fixture_set_up, test_other_orders,
              fixture_tear_down);
  g_test_add ("/query-plan/check-can-fail", Fixture, NULL, fixture_set_up, test_check_can_fail,
              fixture_tear_down);

  return g_test_run ();
}
