/* test-store-query.c — the local store: queries: filters, sorting and paging, SLA and ranges,
 * search, stage summaries
 *
 * Every case works in its own temporary folder. Times come from a fixed
 * clock (cp_lead_store_set_clock()) so audit rows and ranges are exact.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "cp-lead-store.h"
#include "cp-test-util.h"

/* The query fixture: created one hour apart from CP_TEST_T0; SLA times relative to
 * QUERY_NOW; "responded" leads have a first response. */
#define QUERY_NOW (CP_TEST_T0 + 100 * CP_TEST_HOUR)

static const struct
{
  const char *first;
  const char *last;
  const char *stage;
  const char *owner;
  const char *service_line;
  int         score;
  gint64      sla_offset;   /* 0: no SLA */
  gboolean    responded;
} query_data[] = {
  { "Maria", "Gonzalez", "new", "sam", "cardiology", 50, -CP_TEST_HOUR, FALSE },
  { "Marcus", "Lee", "new", "sam", "cardiology", 70, -2 * CP_TEST_HOUR, TRUE },
  { "José", "Álvarez", "new", "kim", "oncology", 70, CP_TEST_HOUR, FALSE },
  { "Josefina", "Ruiz", "engaged", "kim", "oncology", 20, -CP_TEST_HOUR, FALSE },
  { "Mariana", "Silva", "engaged", "sam", "primary care", 90, 0, FALSE },
  { "Olu", "Adeyemi", "engaged", "lee", "cardiology", 70, -3 * CP_TEST_HOUR, FALSE },
  { "Priya", "Raman", "qualified", "kim", "primary care", 10, -CP_TEST_HOUR, FALSE },
  { "Tomás", "Marín", "qualified", "sam", "oncology", 70, 0, FALSE },
  { "Hana", "Sato", "qualified", "lee", "oncology", 40, 2 * CP_TEST_HOUR, FALSE },
  { "Ivan", "Petrov", "closed_won", "kim", "cardiology", 100, -CP_TEST_HOUR, FALSE },
  { "Ewa", "Nowak", "closed_lost", "sam", "primary care", 5, -CP_TEST_HOUR, FALSE },
  { "Liam", "Murphy", "new", "lee", "primary care", 0, 0, FALSE },
  { "Amara", "Diallo", "new", "kim", "cardiology", 70, -5 * CP_TEST_HOUR, FALSE },
  { "Chen", "Wei", "engaged", "lee", "oncology", 35, 0, FALSE },
  { "Sofia", "Rossi", "active_evaluation", "sam", "cardiology", 70, -CP_TEST_HOUR, TRUE },
  { "Noah", "Smith", "active_evaluation", "kim", "primary care", 60, -CP_TEST_HOUR, FALSE },
  { "Aisha", "Khan", "new", "sam", "oncology", 15, 0, FALSE },
  { "Yuki", "Tanaka", "qualified", "lee", "cardiology", 85, -10 * CP_TEST_HOUR, FALSE },
  { "Lucas", "Martin", "new", "kim", "oncology", 70, 3 * CP_TEST_HOUR, FALSE },
  { "Fatima", "Zahra", "engaged", "sam", "primary care", 25, -CP_TEST_HOUR, FALSE },
  { "Mateo", "Díaz", "new", "lee", "primary care", 45, 0, FALSE },
  { "Ingrid", "Berg", "onboarding", "kim", "cardiology", 55, -CP_TEST_HOUR, FALSE },
  { "Kofi", "Boateng", "new", "sam", "oncology", 70, -CP_TEST_HOUR, FALSE },
};

static gboolean
query_data_breached (guint i)
{
  return query_data[i].sla_offset != 0 && !query_data[i].responded &&
         QUERY_NOW + query_data[i].sla_offset < QUERY_NOW &&
         g_strcmp0 (query_data[i].stage, "closed_won") != 0 &&
         g_strcmp0 (query_data[i].stage, "closed_lost") != 0;
}

static GPtrArray *
fill_query_data (CpLeadStore *store)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (query_data); i++)
    {
      g_autoptr(CpLead) lead = cp_test_lead_new (query_data[i].first, query_data[i].last);

      char *id;

      cp_test_now = CP_TEST_T0 + (gint64) i * CP_TEST_HOUR;
      cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, query_data[i].stage);
      cp_lead_set_text (lead, CP_LEAD_FIELD_OWNER, query_data[i].owner);
      cp_lead_set_text (lead, CP_LEAD_FIELD_SERVICE_LINE, query_data[i].service_line);
      id = cp_test_add_lead (store, lead);
      /* The rows hold given scores and clocks: the queries are tested. */
      cp_test_store_int (cp_lead_store_get_database (store), id, "score", query_data[i].score);
      cp_test_store_int (cp_lead_store_get_database (store), id, "sla_due_at",
                         query_data[i].sla_offset != 0 ? QUERY_NOW + query_data[i].sla_offset : 0);
      cp_test_store_int (cp_lead_store_get_database (store), id, "first_response_at",
                         query_data[i].responded ? CP_TEST_T0 + (gint64) i * CP_TEST_HOUR + 60 : 0);
      g_ptr_array_add (ids, id);
    }
  cp_test_now = QUERY_NOW;

  return ids;
}

static guint
index_of_id (GPtrArray  *ids,
             const char *id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_strcmp0 (ids->pdata[i], id) == 0)
      return i;

  g_assert_not_reached ();
}

static void
test_query_filters (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autoptr(GPtrArray) ids = fill_query_data (store);
  static const struct { const char *stage, *owner, *service_line; } filters[] = {
    { "new", NULL, NULL },
    { "qualified", NULL, NULL },
    { "no_such_stage", NULL, NULL },
    { NULL, "sam", NULL },
    { NULL, "lee", NULL },
    { NULL, NULL, "oncology" },
    { "new", "kim", NULL },
    { "engaged", "sam", "primary care" },
    { NULL, "SAM", NULL },
  };

  g_assert_cmpuint (cp_test_count_leads (store, NULL), ==, G_N_ELEMENTS (query_data));

  for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
    {
      g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
      g_autoptr(GPtrArray) leads = NULL;
      guint expected = 0;

      query->stage = g_strdup (filters[f].stage);
      query->owner = g_strdup (filters[f].owner);
      query->service_line = g_strdup (filters[f].service_line);
      for (guint i = 0; i < G_N_ELEMENTS (query_data); i++)
        expected += (filters[f].stage == NULL ||
                     g_str_equal (filters[f].stage, query_data[i].stage)) &&
                    (filters[f].owner == NULL ||
                     g_str_equal (filters[f].owner, query_data[i].owner)) &&
                    (filters[f].service_line == NULL ||
                     g_str_equal (filters[f].service_line, query_data[i].service_line));

      leads = cp_test_query_leads (store, query, 0, 0);
      g_assert_cmpuint (leads->len, ==, expected);
      g_assert_cmpuint (cp_test_count_leads (store, query), ==, expected);
      for (guint j = 0; j < leads->len; j++)
        {
          guint i = index_of_id (ids, cp_lead_get_id (leads->pdata[j]));

          if (filters[f].stage != NULL)
            g_assert_cmpstr (query_data[i].stage, ==, filters[f].stage);
          if (filters[f].owner != NULL)
            g_assert_cmpstr (query_data[i].owner, ==, filters[f].owner);
          if (filters[f].service_line != NULL)
            g_assert_cmpstr (query_data[i].service_line, ==, filters[f].service_line);
        }
    }

  /* Hand-counted, so the loop above is not only checking itself. */
  {
    g_autoptr(CpLeadQuery) query = cp_lead_query_new ();

    query->stage = g_strdup ("new");
    g_assert_cmpuint (cp_test_count_leads (store, query), ==, 9);
    query->owner = g_strdup ("sam");
    g_assert_cmpuint (cp_test_count_leads (store, query), ==, 4);
  }
}

static void
test_query_sort_and_paging (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autoptr(GPtrArray) ids = fill_query_data (store);
  static const struct { CpLeadField field; gboolean descending; const char *stage; } orders[] = {
    { CP_LEAD_FIELD_SCORE, TRUE, NULL },
    { CP_LEAD_FIELD_SCORE, FALSE, NULL },
    { CP_LEAD_FIELD_CREATED_AT, TRUE, NULL },
    { CP_LEAD_FIELD_CREATED_AT, FALSE, NULL },
    { CP_LEAD_FIELD_LAST_NAME, FALSE, NULL },
    { CP_LEAD_FIELD_OWNER, TRUE, NULL },
    { CP_LEAD_FIELD_SCORE, TRUE, "new" },
  };

  for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
    for (guint page_size = 1; page_size <= 8; page_size += 3)
      {
        g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
        g_autoptr(GPtrArray) all = NULL;
        g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
        guint position = 0;

        query->sort_field = orders[o].field;
        query->sort_descending = orders[o].descending;
        query->stage = g_strdup (orders[o].stage);
        all = cp_test_query_leads (store, query, 0, 0);
        g_assert_cmpuint (all->len, ==, cp_test_count_leads (store, query));

        for (guint i = 1; i < all->len; i++)
          {
            CpLead *previous = all->pdata[i - 1];
            CpLead *current = all->pdata[i];

            if (cp_lead_field_info (orders[o].field)->type == CP_FIELD_TYPE_TEXT)
              {
                int cmp = g_strcmp0 (cp_lead_get_text (previous, orders[o].field),
                                     cp_lead_get_text (current, orders[o].field));
                g_assert_true (orders[o].descending ? cmp >= 0 : cmp <= 0);
              }
            else
              {
                gint64 a = cp_lead_get_int (previous, orders[o].field);
                gint64 b = cp_lead_get_int (current, orders[o].field);
                g_assert_true (orders[o].descending ? a >= b : a <= b);
              }
          }

        /* Pages, one after another, give the same list: nothing twice,
         * nothing missing, even among the many leads scored 70. */
        for (guint offset = 0;; offset += page_size)
          {
            g_autoptr(GPtrArray) page = cp_test_query_leads (store, query, offset, page_size);

            g_assert_cmpuint (page->len, <=, page_size);
            for (guint i = 0; i < page->len; i++)
              {
                const char *id = cp_lead_get_id (page->pdata[i]);

                g_assert_cmpuint (position, <, all->len);
                g_assert_cmpstr (id, ==, cp_lead_get_id (all->pdata[position]));
                g_assert_false (g_hash_table_contains (seen, id));
                g_hash_table_add (seen, (gpointer) cp_lead_get_id (all->pdata[position]));
                position++;
              }
            if (page->len < page_size)
              break;
          }
        g_assert_cmpuint (position, ==, all->len);
        g_assert_cmpuint (g_hash_table_size (seen), ==, all->len);
      }

  /* Score, highest first: the top lead is the 100. */
  {
    g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
    g_autoptr(GPtrArray) top = NULL;

    query->sort_field = CP_LEAD_FIELD_SCORE;
    query->sort_descending = TRUE;
    top = cp_test_query_leads (store, query, 0, 2);
    g_assert_cmpuint (top->len, ==, 2);
    g_assert_cmpstr (cp_lead_get_text (top->pdata[0], CP_LEAD_FIELD_LAST_NAME), ==, "Petrov");
    g_assert_cmpstr (cp_lead_get_text (top->pdata[1], CP_LEAD_FIELD_LAST_NAME), ==, "Silva");
  }

  /* Past the end: an empty page, not an error. */
  {
    g_autoptr(GPtrArray) page = cp_test_query_leads (store, NULL, 1000, 10);
    g_assert_cmpuint (page->len, ==, 0);
  }
}

static void
test_query_sla_and_ranges (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autoptr(GPtrArray) ids = fill_query_data (store);
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GPtrArray) leads = NULL;
  guint expected = 0;

  query->sla_breached_only = TRUE;
  query->now = QUERY_NOW;
  for (guint i = 0; i < G_N_ELEMENTS (query_data); i++)
    expected += query_data_breached (i);
  g_assert_cmpuint (expected, ==, 10);

  leads = cp_test_query_leads (store, query, 0, 0);
  g_assert_cmpuint (leads->len, ==, expected);
  g_assert_cmpuint (cp_test_count_leads (store, query), ==, expected);
  for (guint j = 0; j < leads->len; j++)
    g_assert_true (query_data_breached (index_of_id (ids, cp_lead_get_id (leads->pdata[j]))));
  g_clear_pointer (&leads, g_ptr_array_unref);

  /* Earlier, fewer SLAs had passed; much later, all open ones have. */
  query->now = QUERY_NOW - 4 * CP_TEST_HOUR;
  g_assert_cmpuint (cp_test_count_leads (store, query), ==, 2);
  query->now = QUERY_NOW + 4 * CP_TEST_HOUR;
  g_assert_cmpuint (cp_test_count_leads (store, query), ==, expected + 3);

  /* Created between two times: from inclusive, to exclusive. */
  query->sla_breached_only = FALSE;
  query->now = 0;
  query->created_from = CP_TEST_T0 + 5 * CP_TEST_HOUR;
  query->created_to = CP_TEST_T0 + 10 * CP_TEST_HOUR;
  leads = cp_test_query_leads (store, query, 0, 0);
  g_assert_cmpuint (leads->len, ==, 5);
  g_assert_cmpuint (cp_test_count_leads (store, query), ==, 5);
  for (guint j = 0; j < leads->len; j++)
    {
      guint i = index_of_id (ids, cp_lead_get_id (leads->pdata[j]));
      g_assert_cmpuint (i, >=, 5);
      g_assert_cmpuint (i, <, 10);
    }
  g_clear_pointer (&leads, g_ptr_array_unref);

  query->created_to = 0;
  g_assert_cmpuint (cp_test_count_leads (store, query), ==, G_N_ELEMENTS (query_data) - 5);
  query->created_from = 0;
  query->created_to = CP_TEST_T0 + 1;
  g_assert_cmpuint (cp_test_count_leads (store, query), ==, 1);

  /* Updated ranges follow edits. */
  query->created_to = 0;
  query->updated_from = QUERY_NOW;
  g_assert_cmpuint (cp_test_count_leads (store, query), ==, 0);
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (cp_lead_store_move (store, ids->pdata[0], NULL, "engaged", NULL, "Replied",
                                       "sam", NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (cp_test_count_leads (store, query), ==, 1);
}

static void
test_query_search (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autoptr(GPtrArray) ids = fill_query_data (store);
  const char *jose = ids->pdata[2];
  static const struct { const char *search; int expected[6]; } cases[] = {
    /* Prefixes of first or last names; accents do not matter either way. */
    { "mar", { 0, 1, 4, 7, 18, -1 } },
    { "MAR", { 0, 1, 4, 7, 18, -1 } },
    { "maria", { 0, 4, -1 } },
    { "jose", { 2, 3, -1 } },
    { "josé", { 2, 3, -1 } },
    { "JOSÉ", { 2, 3, -1 } },
    { "alvarez", { 2, -1 } },
    { "marin", { 7, -1 } },
    { "gonz mar", { 0, -1 } },
    { "mar gonz", { 0, -1 } },
    { "zzz", { -1 } },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GPtrArray) expected_ids = g_ptr_array_new ();
      g_autofree char *expected = NULL;
      g_autofree char *found = NULL;

      for (guint i = 0; cases[c].expected[i] >= 0; i++)
        g_ptr_array_add (expected_ids, ids->pdata[cases[c].expected[i]]);
      g_ptr_array_sort (expected_ids, cp_test_compare_strings);
      g_ptr_array_add (expected_ids, NULL);
      expected = g_strjoinv (" ", (char **) expected_ids->pdata);

      found = cp_test_search_ids (store, cases[c].search);
      if (g_strcmp0 (found, expected) != 0)
        g_error ("search “%s”: expected [%s], found [%s]", cases[c].search, expected, found);
    }

  /* A phone number as people write it finds the lead whose number it is
   * (stored in E.164), however it is punctuated. */
  {
    g_autofree char *phoned =
        cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Phoebe", CP_LEAD_FIELD_PHONE,
                             "+12025550143", CP_LEAD_N_FIELDS);
    g_autofree char *other =
        cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Otto", CP_LEAD_FIELD_PHONE,
                             "+12025550199", CP_LEAD_N_FIELDS);
    const char *spellings[] = { "202-555-0143", "(202) 555-0143", "+1 202 555 0143", "202.555.0143",
                                "+12025550143" };
    g_autofree char *expected = cp_test_id_set (phoned, NULL);

    cp_lead_store_set_default_region (store, "US");
    for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
      {
        g_autofree char *found = cp_test_search_ids (store, spellings[i]);

        if (g_strcmp0 (found, expected) != 0)
          g_error ("search “%s”: expected [%s], found [%s]", spellings[i], expected, found);
      }
    /* The whole number in international form is still a word search too. */
    {
      g_autofree char *found = cp_test_search_ids (store, "12025550199");
      g_autofree char *otto = cp_test_id_set (other, NULL);
      g_assert_cmpstr (found, ==, otto);
    }
  }

  /* Search combines with filters and follows edits. */
  {
    g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
    g_autoptr(CpLead) edited = cp_test_get_lead (store, jose);
    g_autoptr(GError) error = NULL;

    query->search = g_strdup ("mar");
    query->owner = g_strdup ("sam");
    g_assert_cmpuint (cp_test_count_leads (store, query), ==, 4);

    cp_lead_set_text (edited, CP_LEAD_FIELD_LAST_NAME, "Marquez");
    g_assert_true (cp_lead_store_update (store, edited, "tester", NULL, &error));
    g_assert_no_error (error);
    g_clear_pointer (&query->owner, g_free);
    g_assert_cmpuint (cp_test_count_leads (store, query), ==, 6);
    g_free (query->search);
    query->search = g_strdup ("alvarez");
    g_assert_cmpuint (cp_test_count_leads (store, query), ==, 0);
  }
}

/* “Newest first” means by creation time, also while searching: leads that
 * were imported or synced later can have been created earlier. */
static void
test_query_search_keeps_sort_order (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  static const struct { const char *last; gint64 created_at; } leads[] = {
    { "Newest", CP_TEST_T0 + 1000 },
    { "Oldest", CP_TEST_T0 - 100000 },   /* imported after the others */
    { "Middle", CP_TEST_T0 },
  };
  g_autoptr(GString) failures = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (leads); i++)
    {
      g_autoptr(CpLead) lead = cp_test_lead_new ("Ordering", leads[i].last);

      cp_lead_set_int (lead, CP_LEAD_FIELD_CREATED_AT, leads[i].created_at);
      g_free (cp_test_add_lead (store, lead));
    }

  for (guint descending = 0; descending <= 1; descending++)
    for (guint searching = 0; searching <= 1; searching++)
      {
        g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
        g_autoptr(GPtrArray) result = NULL;
        g_autofree char *order = NULL;
        const char *expected = descending ? "Newest Middle Oldest" : "Oldest Middle Newest";
        const char *names[4] = { NULL };

        query->sort_field = CP_LEAD_FIELD_CREATED_AT;
        query->sort_descending = descending;
        query->search = searching ? g_strdup ("ordering") : NULL;
        result = cp_test_query_leads (store, query, 0, 0);
        g_assert_cmpuint (result->len, ==, 3);
        for (guint i = 0; i < 3; i++)
          names[i] = cp_lead_get_text (result->pdata[i], CP_LEAD_FIELD_LAST_NAME);
        order = g_strjoinv (" ", (char **) names);

        if (!searching)
          g_assert_cmpstr (order, ==, expected);
        else if (g_strcmp0 (order, expected) != 0)
          g_string_append_printf (failures, "%s with a search: %s (expected %s); ",
                                  descending ? "newest first" : "oldest first", order, expected);
      }

  if (failures->len > 0)
    g_test_fail_printf ("sort by created_at ignored: %s", failures->str);
}

static void
test_query_stage_summaries (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autoptr(GPtrArray) ids = fill_query_data (store);
  const char *owners[] = { NULL, "sam", "kim" };

  for (guint o = 0; o < G_N_ELEMENTS (owners); o++)
    {
      g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
      g_autoptr(GPtrArray) summaries = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) stages = g_hash_table_new (g_str_hash, g_str_equal);
      guint total = 0;

      query->now = QUERY_NOW;
      query->owner = g_strdup (owners[o]);
      summaries = cp_lead_store_stage_summaries (store, query, &error);
      g_assert_no_error (error);

      for (guint i = 0; i < G_N_ELEMENTS (query_data); i++)
        if (owners[o] == NULL || g_str_equal (owners[o], query_data[i].owner))
          g_hash_table_add (stages, (gpointer) query_data[i].stage);
      g_assert_cmpuint (summaries->len, ==, g_hash_table_size (stages));

      for (guint s = 0; s < summaries->len; s++)
        {
          CpStageSummary *summary = summaries->pdata[s];
          guint count = 0, breached = 0;
          gint64 score_sum = 0;

          for (guint i = 0; i < G_N_ELEMENTS (query_data); i++)
            if (g_str_equal (query_data[i].stage, summary->stage) &&
                (owners[o] == NULL || g_str_equal (owners[o], query_data[i].owner)))
              {
                count++;
                score_sum += query_data[i].score;
                breached += query_data_breached (i);
              }
          g_assert_cmpuint (summary->count, ==, count);
          g_assert_cmpint (summary->score_sum, ==, score_sum);
          g_assert_cmpuint (summary->sla_breached, ==, breached);
          total += summary->count;
        }
      g_assert_cmpuint (total, ==, cp_test_count_leads (store, query));
    }

  /* Hand-counted figures for the board without filters. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) summaries = cp_lead_store_stage_summaries (store, NULL, &error);
    CpStageSummary *summary;

    g_assert_no_error (error);
    summary = cp_test_require_summary (summaries, "new");
    g_assert_cmpuint (summary->count, ==, 9);
    g_assert_cmpint (summary->score_sum, ==, 50 + 70 + 70 + 0 + 70 + 15 + 70 + 45 + 70);
    /* The store's clock is QUERY_NOW. */
    g_assert_cmpuint (summary->sla_breached, ==, 3);
    summary = cp_test_require_summary (summaries, "closed_won");
    g_assert_cmpuint (summary->count, ==, 1);
    g_assert_cmpuint (summary->sla_breached, ==, 0);
    g_assert_null (cp_test_find_summary (summaries, "adoption"));
  }

  /* Moves and removals keep the figures right. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) summaries = NULL;

    g_assert_true (cp_lead_store_move (store, ids->pdata[0], NULL, "engaged", NULL, "Replied",
                                       "sam", NULL, &error));
    g_assert_true (cp_lead_store_tombstone (store, ids->pdata[1], "Test", "sam", &error));
    g_assert_no_error (error);
    summaries = cp_lead_store_stage_summaries (store, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (cp_test_require_summary (summaries, "new")->count, ==, 7);
    /* 460, less Maria's 50 and Marcus's 70. */
    g_assert_cmpint (cp_test_require_summary (summaries, "new")->score_sum, ==, 340);
    g_assert_cmpuint (cp_test_require_summary (summaries, "engaged")->count, ==, 6);
    cp_test_assert_database_sound (cp_lead_store_get_database (store));
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/query/filters", test_query_filters);
  g_test_add_func ("/store/query/sort-and-paging", test_query_sort_and_paging);
  g_test_add_func ("/store/query/sla-and-ranges", test_query_sla_and_ranges);
  g_test_add_func ("/store/query/search", test_query_search);
  g_test_add_func ("/store/query/search-keeps-sort-order", test_query_search_keeps_sort_order);
  g_test_add_func ("/store/query/stage-summaries", test_query_stage_summaries);

  return g_test_run ();
}
