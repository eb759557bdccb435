/* test-store-concurrency.c — the local store: a reader while a writer works sees whole batches only
 *
 * Every case works in its own temporary folder. Times come from a fixed
 * clock (cp_lead_store_set_clock()) so audit rows and ranges are exact.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "cp-lead-store.h"
#include "cp-test-util.h"

#define WRITER_BATCHES 24
#define WRITER_BATCH_SIZE 25

typedef struct
{
  const char *path;
  GMutex      lock;
  GCond       cond;
  gboolean    start;
  guint       reader_seen;   /* the largest count the reader saw */
  gint        done;          /* atomic */
  char       *failure;
} WriterData;

static gpointer
writer_thread (gpointer user_data)
{
  WriterData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = cp_database_open (data->path, &error);
  g_autoptr(CpLeadStore) store = NULL;

  if (database == NULL)
    {
      data->failure = g_strdup (error->message);
      g_atomic_int_set (&data->done, 1);
      return NULL;
    }
  store = cp_lead_store_new (database);

  g_mutex_lock (&data->lock);
  while (!data->start)
    g_cond_wait (&data->cond, &data->lock);
  g_mutex_unlock (&data->lock);

  for (guint batch = 0; batch < WRITER_BATCHES && data->failure == NULL; batch++)
    {
      if (!cp_database_begin (database, &error))
        break;
      for (guint i = 0; i < WRITER_BATCH_SIZE; i++)
        {
          g_autoptr(CpLead) lead = cp_test_lead_new ("Reader", NULL);
          g_autofree char *last = g_strdup_printf ("Writer%u Lead%u", batch, i);

          cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, last);
          if (!cp_lead_store_create (store, lead, "writer", &error))
            break;
        }
      if (error != NULL)
        {
          cp_database_rollback (database);
          break;
        }
      if (!cp_database_commit (database, &error))
        break;

      /* Halfway, make sure the reader sees a state between empty and full. */
      if (batch + 1 == WRITER_BATCHES / 2)
        {
          gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

          g_mutex_lock (&data->lock);
          while (data->reader_seen < (batch + 1) * WRITER_BATCH_SIZE)
            if (!g_cond_wait_until (&data->cond, &data->lock, deadline))
              break;
          g_mutex_unlock (&data->lock);
        }
    }

  if (error != NULL)
    data->failure = g_strdup (error->message);
  g_atomic_int_set (&data->done, 1);
  return NULL;
}

static void
test_concurrent_reader_sees_whole_batches (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) reader = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(CpLeadQuery) filtered = cp_lead_query_new ();
  g_autoptr(GHashTable) distinct = g_hash_table_new (NULL, NULL);
  WriterData data = { 0 };
  GThread *thread;
  guint last_total = 0, last_filtered = 0;
  guint iterations = 0;
  guint total = WRITER_BATCHES * WRITER_BATCH_SIZE;

  /* The schema exists before the reader opens. */
  g_object_unref (cp_test_open_database_file (tmp->path));

  data.path = tmp->path;
  g_mutex_init (&data.lock);
  g_cond_init (&data.cond);
  thread = g_thread_new ("writer", writer_thread, &data);

  reader = cp_database_open_readonly (tmp->path, &error);
  g_assert_no_error (error);
  store = cp_lead_store_new (reader);
  /* A filter that matches every lead but makes the count read the rows
   * instead of the per-stage totals. */
  filtered->created_from = 1;

  /* Empty before the writer starts. */
  g_assert_cmpuint (cp_test_count_leads (store, NULL), ==, 0);
  g_assert_cmpuint (cp_test_count_leads (store, filtered), ==, 0);
  g_hash_table_add (distinct, GUINT_TO_POINTER (1));

  g_mutex_lock (&data.lock);
  data.start = TRUE;
  g_cond_broadcast (&data.cond);
  g_mutex_unlock (&data.lock);

  for (;;)
    {
      gboolean finished = g_atomic_int_get (&data.done);
      guint by_totals = cp_test_count_leads (store, NULL);
      guint by_rows = cp_test_count_leads (store, filtered);

      g_assert_cmpuint (by_totals % WRITER_BATCH_SIZE, ==, 0);
      g_assert_cmpuint (by_rows % WRITER_BATCH_SIZE, ==, 0);
      g_assert_cmpuint (by_totals, >=, last_total);
      g_assert_cmpuint (by_rows, >=, last_filtered);
      last_total = by_totals;
      last_filtered = by_rows;
      g_hash_table_add (distinct, GUINT_TO_POINTER (by_rows + 1));

      if (iterations++ % 16 == 0)
        {
          g_autoptr(GPtrArray) page = cp_test_query_leads (store, NULL, 0, 0);
          g_assert_cmpuint (page->len % WRITER_BATCH_SIZE, ==, 0);
        }

      g_mutex_lock (&data.lock);
      data.reader_seen = MAX (data.reader_seen, MIN (by_totals, by_rows));
      g_cond_broadcast (&data.cond);
      g_mutex_unlock (&data.lock);

      if (finished)
        break;
    }

  g_thread_join (thread);
  g_assert_cmpstr (data.failure, ==, NULL);
  g_mutex_clear (&data.lock);
  g_cond_clear (&data.cond);

  g_assert_cmpuint (last_total, ==, total);
  g_assert_cmpuint (last_filtered, ==, total);
  /* Empty, at least the halfway state, and full. */
  g_assert_cmpuint (g_hash_table_size (distinct), >=, 3);
  g_test_message ("%u reads, %u distinct counts", iterations, g_hash_table_size (distinct));

  /* The reader cannot write. */
  {
    g_autoptr(CpLead) lead = cp_test_lead_new ("Read", "Only");

    g_assert_false (cp_lead_store_create (store, lead, "tester", &error));
    g_assert_nonnull (error);
    g_test_message ("read-only create: %s", error->message);
    g_clear_error (&error);
    g_assert_false (cp_database_in_transaction (reader));
    g_assert_cmpuint (cp_test_count_leads (store, NULL), ==, total);
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/concurrency/reader-sees-whole-batches",
                   test_concurrent_reader_sees_whole_batches);

  return g_test_run ();
}
