/* test-lead-list-model.c — the lazy GListModel over lead queries
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "cp-database.h"
#include "cp-demo-writer.h"
#include "cp-lead-list-model.h"
#include "cp-lead-store.h"
#include "cp-test-util.h"

typedef struct
{
  char        *dir;
  CpDatabase  *database;
  CpLeadStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  cp_test_tmp_store_open (&f->dir, &f->database, &f->store);
  cp_test_publish_open_playbook (f->database);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
}

static CpLead *
add_lead (Fixture    *f,
          const char *first,
          const char *stage,
          gint64      score)
{
  g_autoptr(GError) error = NULL;
  CpLead *lead = cp_lead_new ();

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, first);
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "someone@example.org");
  cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, stage);
  g_assert_true (cp_lead_store_create (f->store, lead, "test", &error));
  g_assert_no_error (error);
  /* The rows hold given scores: what is tested is the order. */
  cp_test_store_int (f->database, cp_lead_get_id (lead), "score", score);

  return lead;
}

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint calls;
} ItemsChanged;

static void
items_changed_cb (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ItemsChanged *record)
{
  record->position = position;
  record->removed = removed;
  record->added = added;
  record->calls++;
}

static void
test_model_empty (Fixture       *f,
                  gconstpointer  data)
{
  CpLeadListModel *model = cp_lead_list_model_new_full (f->store, NULL, FALSE);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 0));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == CP_TYPE_LEAD);

  g_assert_finalize_object (model);
}

static void
test_model_order_and_filter (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(CpLead) a = add_lead (f, "Ada", "new", 10);
  g_autoptr(CpLead) b = add_lead (f, "Ben", "new", 90);
  g_autoptr(CpLead) c = add_lead (f, "Cy", "qualified", 50);
  CpLeadListModel *model;

  query->stage = g_strdup ("new");
  query->sort_field = CP_LEAD_FIELD_SCORE;
  query->sort_descending = TRUE;
  model = cp_lead_list_model_new_full (f->store, query, FALSE);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
  {
    g_autoptr(CpLead) first = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_autoptr(CpLead) second = g_list_model_get_item (G_LIST_MODEL (model), 1);

    g_assert_cmpstr (cp_lead_get_id (first), ==, cp_lead_get_id (b));
    g_assert_cmpstr (cp_lead_get_id (second), ==, cp_lead_get_id (a));
  }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 2));
  (void) c;

  g_assert_finalize_object (model);
}

static void
test_model_follows_store_changes (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) a = add_lead (f, "Ada", "new", 10);
  ItemsChanged record = { 0 };
  CpLeadListModel *model;

  query->stage = g_strdup ("new");
  model = cp_lead_list_model_new_full (f->store, query, FALSE);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &record);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);

  /* A new lead in the stage appears … */
  {
    g_autoptr(CpLead) b = add_lead (f, "Ben", "new", 20);
    (void) b;
  }
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_cmpuint (record.removed, ==, 1);
  g_assert_cmpuint (record.added, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);

  /* … a lead moved out of it leaves … */
  g_assert_true (cp_lead_store_move (f->store, cp_lead_get_id (a), NULL, "engaged", NULL,
                                           "Replied to the first email", "test", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (record.calls, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);

  /* … and a changed query re-reads. */
  g_free (query->stage);
  query->stage = g_strdup ("engaged");
  cp_lead_list_model_set_query (model, query);
  g_assert_cmpuint (record.calls, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  {
    g_autoptr(CpLead) only = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_assert_cmpstr (cp_lead_get_id (only), ==, cp_lead_get_id (a));
  }

  /* Setting an equal query is not a change. */
  cp_lead_list_model_set_query (model, query);
  g_assert_cmpuint (record.calls, ==, 3);

  g_assert_finalize_object (model);
}

static void
test_model_is_lazy (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CpLeadListModel *model;
  guint n;
  guint page = cp_lead_list_model_get_page_size ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_true (cp_demo_writer_run (f->store, 3000, 42, 1790000000, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  model = cp_lead_list_model_new_full (f->store, NULL, FALSE);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpuint (n, ==, 3000);
  /* Counting loads nothing. */
  g_assert_cmpuint (cp_lead_list_model_get_n_loaded (model), ==, 0);

  /* Walking the whole list holds at most a few pages at any time, and
   * every lead is seen exactly once. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CpLead) lead = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_nonnull (lead);
      g_assert_true (g_hash_table_add (seen, g_strdup (cp_lead_get_id (lead))));
      g_assert_cmpuint (cp_lead_list_model_get_n_loaded (model), <=, 8 * page);
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 3000);

  /* Random access far down and back up works. */
  {
    g_autoptr(CpLead) last = g_list_model_get_item (G_LIST_MODEL (model), n - 1);
    g_autoptr(CpLead) first = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_assert_nonnull (last);
    g_assert_nonnull (first);
    g_assert_cmpint (cp_lead_get_int (first, CP_LEAD_FIELD_CREATED_AT), >=,
                     cp_lead_get_int (last, CP_LEAD_FIELD_CREATED_AT));
  }

  g_assert_finalize_object (model);
}

static void
test_query_round_trip (void)
{
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(CpLeadQuery) back = NULL;
  g_autoptr(CpLeadQuery) empty = NULL;
  g_autoptr(CpLeadQuery) damaged = NULL;
  g_autofree char *text = NULL;

  g_assert_false (cp_lead_query_has_filter (query));
  query->service_line = g_strdup ("cardiology");
  query->search = g_strdup ("O'Brien \"quoted\" {braces}");
  query->sla_breached_only = TRUE;
  g_assert_true (cp_lead_query_has_filter (query));

  text = cp_lead_query_to_string (query);
  back = cp_lead_query_from_string (text);
  g_assert_true (cp_lead_query_equal (query, back));

  /* A saved filter that is empty or damaged gives an unfiltered view. */
  empty = cp_lead_query_from_string ("");
  g_assert_false (cp_lead_query_has_filter (empty));
  damaged = cp_lead_query_from_string ("{'service_line': ");
  g_assert_false (cp_lead_query_has_filter (damaged));
  {
    g_autoptr(CpLeadQuery) wrong_type = cp_lead_query_from_string ("[1, 2, 3]");
    g_autoptr(CpLeadQuery) unknown_key = cp_lead_query_from_string ("{'shoe_size': '44'}");
    g_assert_false (cp_lead_query_has_filter (wrong_type));
    g_assert_false (cp_lead_query_has_filter (unknown_key));
  }
}

static void
test_query_fts_match_is_literal (void)
{
  g_autofree char *a = cp_lead_query_fts_match ("mar");
  g_autofree char *b = cp_lead_query_fts_match ("  \"O'Brien\"  AND  NEAR( x* ");
  g_autofree char *c = cp_lead_query_fts_match ("José Nguyễn");
  g_autofree char *d = cp_lead_query_fts_match (" ;-*\" ");

  g_assert_cmpstr (a, ==, "\"mar\"*");
  /* Operators and quotes typed by a user become plain words. */
  g_assert_cmpstr (b, ==, "\"O\"* \"Brien\"* \"AND\"* \"NEAR\"* \"x\"*");
  g_assert_cmpstr (c, ==, "\"José\"* \"Nguyễn\"*");
  g_assert_null (d);
  g_assert_null (cp_lead_query_fts_match (NULL));
  g_assert_null (cp_lead_query_fts_match ("\xff\xfe"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/lead-list-model/empty", Fixture, NULL, fixture_set_up, test_model_empty,
              fixture_tear_down);
  g_test_add ("/lead-list-model/order-and-filter", Fixture, NULL, fixture_set_up,
              test_model_order_and_filter, fixture_tear_down);
  g_test_add ("/lead-list-model/follows-store", Fixture, NULL, fixture_set_up,
              test_model_follows_store_changes, fixture_tear_down);
  g_test_add ("/lead-list-model/lazy", Fixture, NULL, fixture_set_up, test_model_is_lazy,
              fixture_tear_down);

  g_test_add_func ("/lead-query/round-trip", test_query_round_trip);
  g_test_add_func ("/lead-query/fts-match-is-literal", test_query_fts_match_is_literal);

  return g_test_run ();
}
