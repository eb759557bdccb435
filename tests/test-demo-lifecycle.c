/* test-demo-lifecycle.c — demo data is made through the write path, and the funnel counts it right
 *
 * On demo databases of several seeds: every lead agrees with the playbook
 * (what `check` verifies), open leads have a queue, an owner and a
 * response clock, closure reasons are the playbook's, and the in-order
 * funnel's “Closed won” equals a count made here, independently, from the
 * stage events.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>

#include "cp-database-private.h"
#include "cp-demo-writer.h"
#include "cp-lead-store.h"
#include "cp-lifecycle-check.h"
#include "cp-playbook-store.h"
#include "cp-report-store.h"
#include "cp-report.h"
#include "cp-test-util.h"

#define N_LEADS 1500

typedef struct
{
  char        *dir;
  CpDatabase  *database;
  CpLeadStore *store;
  CpPlaybook  *playbook;
  gint64       version;
  gint64       now;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  cp_test_tmp_store_open (&f->dir, &f->database, &f->store);
  f->now = g_get_real_time () / G_USEC_PER_SEC;
  g_assert_true (cp_demo_writer_run (f->store, N_LEADS, GPOINTER_TO_UINT (data), f->now,
                                     NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  f->playbook = cp_lead_store_get_playbook (f->store, &f->version, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->playbook, cp_playbook_unref);
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
}

/* Leads whose stage events hold @path as a subsequence, in time order:
 * the in-order funnel's definition, counted here without its code. */
static guint
count_in_order (Fixture            *f,
                const char * const *path,
                guint               depth)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *lead = NULL;
  guint matched = 0;
  guint count = 0;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (_cp_database_get_handle (f->database),
                                       "SELECT e.lead_id, e.to_stage FROM stage_events e "
                                       "JOIN leads l ON l.id = e.lead_id WHERE l.deleted_at = 0 "
                                       "ORDER BY e.lead_id, e.device_time, e.id", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *stage = (const char *) sqlite3_column_text (stmt, 1);

      if (g_strcmp0 (id, lead) != 0)
        {
          count += matched >= depth;
          g_free (lead);
          lead = g_strdup (id);
          matched = 0;
        }
      if (matched < depth && g_str_equal (stage, path[matched]))
        matched++;
    }
  count += lead != NULL && matched >= depth;
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return count;
}

static void
test_funnel_matches_stage_events (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(CpReportData) report_data = cp_report_data_new ();
  g_autoptr(CpReportOptions) options = cp_report_options_new ();
  g_autoptr(CpReport) report = NULL;
  g_auto(GStrv) path = NULL;
  g_autoptr(GError) error = NULL;
  const CpReportRow *won;
  int count_column;
  guint won_depth = 0;
  guint independent;

  g_assert_true (cp_report_store_update (f->database, report_data, f->playbook, NULL, &error));
  g_assert_no_error (error);
  cp_report_options_set_playbook (options, f->playbook);
  options->now = f->now;
  options->mode = CP_FUNNEL_ORDERED;

  /* The default funnel is the playbook's lifecycle path, won included. */
  path = cp_report_default_funnel_stages (options);
  g_assert_cmpstr (path[0], ==, "new");
  for (guint i = 0; path[i] != NULL; i++)
    if (g_str_equal (path[i], "closed_won"))
      won_depth = i + 1;
  g_assert_cmpuint (won_depth, ==, 5);   /* new, engaged, qualified, active evaluation, won */
  g_assert_cmpstr (path[won_depth], ==, "onboarding");

  report = cp_report_compute (report_data, CP_REPORT_FUNNEL, options);
  count_column = cp_report_find_column (report, "count");
  g_assert_cmpint (count_column, >=, 0);
  won = cp_report_find_row (report, "closed_won");
  g_assert_nonnull (won);

  independent = count_in_order (f, (const char * const *) path, won_depth);
  g_test_message ("closed won, in order: %u", independent);
  /* Hundreds of won leads on the board: the funnel must see them. */
  g_assert_cmpuint (independent, >, N_LEADS / 50);
  g_assert_cmpfloat (won->values[count_column], ==, (double) independent);

  /* And every stage of the path, not just won. */
  for (guint i = 0; path[i] != NULL; i++)
    {
      const CpReportRow *row = cp_report_find_row (report, path[i]);

      g_assert_nonnull (row);
      g_assert_cmpfloat (row->values[count_column], ==,
                         (double) count_in_order (f, (const char * const *) path, i + 1));
    }
}

static void
test_demo_agrees_with_playbook (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = cp_lifecycle_check_leads (f->database, f->playbook, f->version,
                                                            f->now, &error);
  g_autoptr(GString) reasons =
      g_string_new ("SELECT count(*) FROM leads WHERE closure_reason IS NOT NULL "
                    "AND closure_reason NOT IN (''");

  g_assert_no_error (error);
  if (findings->len > 0)
    g_error ("the demo data disagrees with the playbook: %s", (char *) findings->pdata[0]);

  /* Open leads are routed and on the clock; none was left unscored. */
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM leads WHERE deleted_at = 0 AND "
                                    "stage NOT IN ('closed_won', 'closed_lost') AND "
                                    "(queue IS NULL OR owner IS NULL OR sla_due_at = 0)",
                                    NULL),
                   ==, 0);
  g_assert_cmpint (cp_test_sql_int (f->database, "SELECT count(*) FROM leads WHERE tier IS NULL",
                                    NULL),
                   ==, 0);
  g_assert_cmpint (cp_test_sql_int (f->database, "SELECT count(DISTINCT score) FROM leads", NULL),
                   >, 20);

  /* Closure reasons are the playbook's, and nothing else. */
  for (guint i = 0; i < f->playbook->closure_reasons->len; i++)
    {
      CpClosureReason *reason = f->playbook->closure_reasons->pdata[i];
      char *quoted = sqlite3_mprintf ("%Q", reason->id);

      g_string_append_printf (reasons, ", %s", quoted);
      sqlite3_free (quoted);
    }
  g_string_append (reasons, ")");
  g_assert_cmpint (cp_test_sql_int (f->database, reasons->str, NULL), ==, 0);
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM leads WHERE stage = 'closed_lost' AND "
                                    "closure_reason IS NULL",
                                    NULL),
                   ==, 0);
  /* Responses were logged after the clocks started. */
  g_assert_cmpint (cp_test_sql_int (f->database,
                                    "SELECT count(*) FROM leads WHERE first_response_at > 0", NULL),
                   >, N_LEADS / 4);
}

int
main (int   argc,
      char *argv[])
{
  static const guint seeds[] = { 1, 7, 2026 };

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
    {
      g_autofree char *funnel =
          g_strdup_printf ("/demo-lifecycle/seed-%u/funnel-matches-stage-events", seeds[i]);
      g_autofree char *agrees =
          g_strdup_printf ("/demo-lifecycle/seed-%u/agrees-with-playbook", seeds[i]);

      g_test_add (funnel, Fixture, GUINT_TO_POINTER (seeds[i]), fixture_set_up,
                  test_funnel_matches_stage_events, fixture_tear_down);
      g_test_add (agrees, Fixture, GUINT_TO_POINTER (seeds[i]), fixture_set_up,
                  test_demo_agrees_with_playbook, fixture_tear_down);
    }
  return g_test_run ();
}
