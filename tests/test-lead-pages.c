/* test-lead-pages.c — keyset pages, the count on a worker, the streamed export, recent activities
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "cp-activity-page.h"
#include "cp-csv-reader.h"
#include "cp-database.h"
#include "cp-demo-writer.h"
#include "cp-lead-export.h"
#include "cp-lead-list-model.h"
#include "cp-lead-store.h"

/* Whether the model's count is still on its worker. */
static gboolean
model_is_counting (CpLeadListModel *model)
{
  gboolean counting = FALSE;

  g_object_get (model, "counting", &counting, NULL);
  return counting;
}
#include "cp-test-util.h"

#define NOW G_GINT64_CONSTANT (1790000000)

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

/* @n leads in which scores and creation times repeat: the order rests on
 * the tie-breaks. */
static void
add_tied_leads (Fixture *f,
                guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Same",
                                                 CP_LEAD_FIELD_LAST_NAME, i % 2 ? "Name" : NULL,
                                                 CP_LEAD_FIELD_EMAIL, "same@example.org",
                                                 CP_LEAD_N_FIELDS);

      cp_test_store_int (f->database, id, "score", 10 * (i % 3));
      cp_test_store_int (f->database, id, "created_at", NOW - 60 * (i % 4));
    }
}

/* Until @object is gone: a count or export still on a worker holds it. */
static void
wait_for_finalize (gpointer object)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gpointer weak = object;

  g_object_add_weak_pointer (object, &weak);
  g_object_unref (object);
  while (weak != NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
wait_for (gboolean *done)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!*done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static GPtrArray *
expected_ids (Fixture           *f,
              const CpLeadQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) leads = cp_lead_store_query (f->store, query, 0, 0, &error);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < leads->len; i++)
    g_ptr_array_add (ids, g_strdup (cp_lead_get_id (leads->pdata[i])));
  return ids;
}

static void
assert_item (CpLeadListModel *model,
             GPtrArray       *ids,
             guint            position)
{
  g_autoptr(CpLead) lead = g_list_model_get_item (G_LIST_MODEL (model), position);

  g_assert_nonnull (lead);
  g_assert_cmpstr (cp_lead_get_id (lead), ==, ids->pdata[position]);
}

/* Pages read after the last row of the page before (or after a key found
 * for a jump) are exactly the rows OFFSET gives, in the same order, with
 * ties in every sort key. */
static void
test_keyset_matches_offset (Fixture       *f,
                            gconstpointer  data)
{
  static const struct { CpLeadField field; gboolean descending; } orders[] = {
    { CP_LEAD_FIELD_CREATED_AT, TRUE }, { CP_LEAD_FIELD_CREATED_AT, FALSE },
    { CP_LEAD_FIELD_SCORE, TRUE }, { CP_LEAD_FIELD_SCORE, FALSE },
    { CP_LEAD_FIELD_LAST_NAME, FALSE },   /* NULLs: read with OFFSET */
  };
  guint page = cp_lead_list_model_get_page_size ();

  /* Every lead, and the half a search finds (the page boundaries fall
   * elsewhere). */
  static const char *searches[] = { NULL, "name" };

  add_tied_leads (f, 4 * page + 50);
  for (guint o = 0; o < G_N_ELEMENTS (orders) * G_N_ELEMENTS (searches); o++)
    {
      g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
      g_autoptr(GPtrArray) ids = NULL;
      g_autoptr(CpLeadListModel) walked = NULL;
      g_autoptr(CpLeadListModel) jumped = NULL;
      guint jumps[] = { 2 * page + 10, page + 3, 2 * page + 24, 0, page - 1, page };

      query->sort_field = orders[o % G_N_ELEMENTS (orders)].field;
      query->sort_descending = orders[o % G_N_ELEMENTS (orders)].descending;
      query->search = g_strdup (searches[o / G_N_ELEMENTS (orders)]);
      ids = expected_ids (f, query);
      g_assert_cmpuint (ids->len, ==, query->search != NULL ? 2 * page + 25 : 4 * page + 50);

      walked = cp_lead_list_model_new_full (f->store, query, FALSE);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (walked)), ==, ids->len);
      for (guint i = 0; i < ids->len; i++)
        assert_item (walked, ids, i);

      /* A jump far down first, then rows around it and back up. */
      jumped = cp_lead_list_model_new_full (f->store, query, FALSE);
      for (guint j = 0; j < G_N_ELEMENTS (jumps); j++)
        assert_item (jumped, ids, jumps[j]);
      for (guint i = ids->len; i > 0; i--)
        assert_item (jumped, ids, i - 1);
      g_assert_null (g_list_model_get_item (G_LIST_MODEL (jumped), ids->len));
    }
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *out)
{
  out[0] = position;
  out[1] = removed;
  out[2] = added;
  out[3]++;
}

static void
counting_cb (CpLeadListModel *model,
             GParamSpec      *pspec,
             gboolean        *done)
{
  *done = !model_is_counting (model);
}

/* The first page shows at once; the count comes from a worker, and
 * items-changed adds the rest. A count the stage totals answer is made at
 * once. */
static void
test_count_arrives_later (Fixture       *f,
                          gconstpointer  data)
{
  CpLeadListModel *model = NULL;
  g_autoptr(CpLeadQuery) all = cp_lead_query_new ();
  g_autoptr(CpLeadQuery) few = cp_lead_query_new ();
  g_autoptr(CpLeadQuery) none = cp_lead_query_new ();
  g_autoptr(GPtrArray) ids = NULL;
  guint page = cp_lead_list_model_get_page_size ();
  guint changed[4] = { 0 };
  gboolean done = FALSE;

  add_tied_leads (f, page + 80);
  all->search = g_strdup ("same");   /* every lead, but a count that reads them */
  ids = expected_ids (f, all);
  g_assert_cmpuint (ids->len, ==, page + 80);

  model = cp_lead_list_model_new_full (f->store, all, TRUE);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), changed);
  g_signal_connect (model, "notify::counting", G_CALLBACK (counting_cb), &done);
  g_assert_true (model_is_counting (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, page);
  assert_item (model, ids, 0);   /* nothing waits on the count */

  wait_for (&done);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, page + 80);
  g_assert_cmpuint (changed[0], ==, page);
  g_assert_cmpuint (changed[1], ==, 0);
  g_assert_cmpuint (changed[2], ==, 80);
  assert_item (model, ids, page + 79);

  /* A short list is its first page: no count to wait for. */
  few->search = g_strdup ("nobody-is-called-this");
  cp_lead_list_model_set_query (model, few);
  g_assert_false (model_is_counting (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);

  /* No filter: the stage totals count at once. */
  cp_lead_list_model_set_query (model, none);
  g_assert_false (model_is_counting (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, page + 80);

  /* A change while the count runs: the newest count wins. */
  cp_lead_list_model_set_query (model, all);
  done = FALSE;
  g_assert_true (model_is_counting (model));
  g_free (cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Same",
                               CP_LEAD_FIELD_LAST_NAME, "Late",
                               CP_LEAD_FIELD_EMAIL, "late@example.org", CP_LEAD_N_FIELDS));
  wait_for (&done);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, page + 81);
  wait_for_finalize (model);
}

static void
add_demo_leads (Fixture *f,
                guint    n)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_demo_writer_run (f->store, n, 7, NOW, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* The first column (the ids) of every record of the CSV at @path. */
static GPtrArray *
csv_ids (const char *path)
{
  g_autoptr(GError) error = NULL;
  CpCsvReader *reader = cp_csv_reader_new_for_path (path, &error);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *record;

  g_assert_no_error (error);
  record = cp_csv_reader_next (reader, &error);   /* the header */
  g_assert_cmpstr (record->pdata[0], ==, "id");
  g_ptr_array_unref (record);
  while ((record = cp_csv_reader_next (reader, &error)) != NULL)
    {
      g_ptr_array_add (ids, g_strdup (record->pdata[0]));
      g_ptr_array_unref (record);
    }
  g_assert_no_error (error);
  cp_csv_reader_free (reader);
  return ids;
}

typedef struct
{
  GArray       *done;
  guint         total;
  GCancellable *cancel_on_first;   /* cancelled at the first report at or past @cancel_at */
  guint         cancel_at;
  GThread      *thread;
  gboolean      finished;
  gboolean      ok;
  guint         count;
  GError       *error;
} ExportRecord;

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  ExportRecord *r = user_data;

  g_assert_true (g_thread_self () == r->thread);   /* the caller's thread, not the worker */
  g_array_append_val (r->done, done);
  r->total = total;
  if (r->cancel_on_first != NULL && done >= r->cancel_at)
    g_cancellable_cancel (r->cancel_on_first);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ExportRecord *r = user_data;

  r->ok = cp_lead_export_finish (CP_LEAD_STORE (source), result, &r->count, &r->error);
  r->finished = TRUE;
}

/* An export on a worker says how far it is, in the caller's thread, from
 * the header on; the file has every lead of the query in its order. */
static void
test_export_progress (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "all.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GPtrArray) written = NULL;
  ExportRecord r = { g_array_new (FALSE, FALSE, sizeof (guint)), 0, NULL, 0, g_thread_self () };

  add_demo_leads (f, 2500);
  cp_lead_export_async (f->store, NULL, NULL, file, NULL, progress_cb, &r, export_done_cb, &r);
  wait_for (&r.finished);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_cmpuint (r.count, ==, 2500);

  g_assert_cmpuint (r.total, ==, 2500);
  g_assert_cmpuint (r.done->len, >=, 2);
  g_assert_cmpuint (g_array_index (r.done, guint, 0), <, 2500);
  for (guint i = 1; i < r.done->len; i++)
    g_assert_cmpuint (g_array_index (r.done, guint, i - 1), <=, g_array_index (r.done, guint, i));

  expected = expected_ids (f, NULL);
  written = csv_ids (path);
  g_assert_cmpuint (written->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpstr (written->pdata[i], ==, expected->pdata[i]);
  g_array_unref (r.done);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* A cancelled export leaves the file that was there as it was, and no
 * other file; a cancelled export to a new name leaves nothing. */
static void
test_export_cancel (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *out_dir = g_build_filename (f->dir, "out", NULL);
  g_autofree char *old_path = g_build_filename (out_dir, "old.csv", NULL);
  g_autofree char *new_path = g_build_filename (out_dir, "new.csv", NULL);
  const char *paths[] = { old_path, new_path };
  g_autofree char *contents = NULL;

  add_demo_leads (f, 2500);
  g_assert_cmpint (g_mkdir (out_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (old_path, "what was there\n", -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (paths[i]);
      g_autoptr(GCancellable) midway = g_cancellable_new ();
      g_autoptr(GCancellable) before = g_cancellable_new ();
      ExportRecord r = { g_array_new (FALSE, FALSE, sizeof (guint)), 0, midway, 1000,
                         g_thread_self () };
      g_autoptr(GError) error = NULL;

      /* Cancelled with a thousand rows written (in this thread: the CLI's way). */
      g_assert_false (cp_lead_export_to_file (f->store, NULL, NULL, file, midway, progress_cb, &r,
                                              NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpuint (r.done->len, ==, 2);   /* the header, the first thousand */
      g_assert_cmpuint (g_array_index (r.done, guint, 1), ==, 1000);
      g_array_set_size (r.done, 0);

      /* On the worker, cancelled before it starts: no report, no file. */
      g_cancellable_cancel (before);
      cp_lead_export_async (f->store, NULL, NULL, file, before, progress_cb, &r, export_done_cb,
                            &r);
      wait_for (&r.finished);
      g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_false (r.ok);
      g_clear_error (&r.error);
      g_assert_cmpuint (r.done->len, ==, 0);
      g_array_unref (r.done);
    }

  g_assert_true (g_file_get_contents (old_path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "what was there\n");
  g_assert_false (g_file_test (new_path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (out_dir), ==, 1);
}

/* An export of a filter has exactly the leads the store's query gives,
 * in its order; the CLI's synchronous path writes the same. */
static void
test_export_filtered (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "filtered.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GPtrArray) written = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) first = NULL;
  guint count = 0;

  add_demo_leads (f, 600);
  {
    g_autoptr(GPtrArray) one = cp_lead_store_query (f->store, NULL, 0, 1, &error);
    first = g_object_ref (one->pdata[0]);
  }
  query->stage = g_strdup (cp_lead_get_text (first, CP_LEAD_FIELD_STAGE));
  query->sort_field = CP_LEAD_FIELD_SCORE;
  expected = expected_ids (f, query);
  g_assert_cmpuint (expected->len, >, 0);
  g_assert_cmpuint (expected->len, <, 600);

  g_assert_true (
      cp_lead_export_to_file (f->store, query, NULL, file, NULL, NULL, NULL, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, expected->len);
  written = csv_ids (path);
  g_assert_cmpuint (written->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpstr (written->pdata[i], ==, expected->pdata[i]);
}

typedef struct
{
  GPtrArray *activities;
  gboolean   more;
  gboolean   done;
} ActivitiesResult;

static void
activities_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ActivitiesResult *out = user_data;
  g_autoptr(GError) error = NULL;

  out->activities = cp_lead_store_list_recent_activities_finish (result, &out->more, &error);
  g_assert_no_error (error);
  out->done = TRUE;
}

/* The newest activities, cut at the limit, and whether older ones are left. */
static void
test_recent_activities (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *id = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Busy",
                                             CP_LEAD_FIELD_EMAIL, "busy@example.org",
                                             CP_LEAD_N_FIELDS);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) newest = NULL;
  g_autoptr(GError) error = NULL;
  ActivitiesResult out = { NULL, FALSE, FALSE };
  gboolean more = FALSE;

  cp_test_sql_int (f->database,
                   "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 450)"
                   " INSERT INTO activities (id, lead_id, kind, occurred_at, detail)"
                   " SELECT 'act-' || i, ?1, 'note', 1700000000 + i, 'note ' || i FROM n RETURNING "
                   "1",
                   id);
  all = cp_lead_store_list_activities (f->store, id, &error);
  g_assert_cmpuint (all->len, >=, 450);

  newest = cp_lead_store_list_recent_activities (f->store, id, 200, &more, &error);
  g_assert_no_error (error);
  g_assert_true (more);
  g_assert_cmpuint (newest->len, ==, 200);
  for (guint i = 0; i < newest->len; i++)
    g_assert_cmpstr (cp_activity_get_id (newest->pdata[i]), ==, cp_activity_get_id (all->pdata[i]));
  g_clear_pointer (&newest, g_ptr_array_unref);

  newest = cp_lead_store_list_recent_activities (f->store, id, all->len, &more, &error);
  g_assert_false (more);
  g_assert_cmpuint (newest->len, ==, all->len);

  cp_lead_store_list_recent_activities_async (f->store, id, 400, NULL, activities_done_cb, &out);
  wait_for (&out.done);
  g_assert_cmpuint (out.activities->len, ==, 400);
  g_assert_true (out.more);
  for (guint i = 0; i < out.activities->len; i++)
    g_assert_cmpstr (cp_activity_get_id (out.activities->pdata[i]), ==,
                     cp_activity_get_id (all->pdata[i]));
  g_ptr_array_unref (out.activities);
}

typedef struct
{
  GArray   *counts;
  GError   *error;
  gboolean  done;
} HistogramResult;

static void
histogram_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  HistogramResult *out = user_data;

  out->counts = cp_lead_store_score_histogram_finish (result, &out->error);
  out->done = TRUE;
}

/* The histogram counts the open leads (the closed stages named are left
 * out); counted on a worker it is the one counted here; a cancelled count
 * says so and gives nothing. */
static void
test_histogram_async (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  HistogramResult out = { NULL, NULL, FALSE };
  HistogramResult cancelled = { NULL, NULL, FALSE };
  const char * const closed[] = { "closed_won", "closed_lost", NULL };
  guint total = 0;
  gint64 n_closed;

  add_demo_leads (f, 300);
  /* Every lead, then the open ones only: the closed stages' leads out. */
  g_assert_true (cp_lead_store_score_histogram (f->store, 5, NULL, &expected, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < expected->len; i++)
    total += g_array_index (expected, guint, i);
  g_assert_cmpuint (total, ==, 300);
  g_clear_pointer (&expected, g_array_unref);
  g_assert_true (cp_lead_store_score_histogram (f->store, 5, closed, &expected, &error));
  g_assert_no_error (error);
  total = 0;
  for (guint i = 0; i < expected->len; i++)
    total += g_array_index (expected, guint, i);
  n_closed = cp_test_sqlite_int (cp_test_store_handle (f->store),
                                 "SELECT count(*) FROM leads"
                                 " WHERE stage IN ('closed_won', 'closed_lost')", NULL);
  g_assert_cmpint (n_closed, >, 0);
  g_assert_cmpuint (total, ==, 300 - n_closed);

  cp_lead_store_score_histogram_async (f->store, 5, closed, NULL, histogram_done_cb, &out);
  wait_for (&out.done);
  g_assert_no_error (out.error);
  g_assert_cmpuint (out.counts->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpuint (g_array_index (out.counts, guint, i), ==, g_array_index (expected, guint, i));
  g_array_unref (out.counts);

  g_cancellable_cancel (cancellable);
  cp_lead_store_score_histogram_async (f->store, 5, closed, cancellable, histogram_done_cb,
                                       &cancelled);
  wait_for (&cancelled.done);
  g_assert_null (cancelled.counts);
  g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&cancelled.error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/lead-pages/keyset-matches-offset", test_keyset_matches_offset);
  ADD ("/lead-pages/count-arrives-later", test_count_arrives_later);
  ADD ("/lead-export/progress", test_export_progress);
  ADD ("/lead-export/cancel-leaves-no-file", test_export_cancel);
  ADD ("/lead-export/filtered", test_export_filtered);
  ADD ("/lead-activities/recent", test_recent_activities);
  ADD ("/lead-store/histogram-async", test_histogram_async);
#undef ADD

  return g_test_run ();
}
