/* cp-demo-writer.c — fill a database with generated demo leads
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-demo-writer"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-bulk-load.h"
#include "cp-database.h"
#include "cp-demo-writer.h"
#include "cp-demo.h"
#include "cp-lead-store-private.h"

/* Big enough that commits are rare, small enough that progress moves;
 * fixed, so that memory is the same on every run whatever the size. */
#define BATCH_SIZE 5000
/* The maker hands leads over in chunks, at most CHUNKS_AHEAD of them
 * made ahead of the writer: at most 5,000 made leads in memory (four
 * chunks waiting, one being written), against 15,000 with two batches
 * ahead of the one being written: ~25 MiB less at the peak of a load
 * (docs/performance-generate.md). */
#define CHUNK_SIZE 1000
#define CHUNKS_AHEAD 4

/* One generated lead, as the write path takes it. */
typedef struct
{
  CpLead    *lead;
  GPtrArray *history;
  GPtrArray *activities;
} DemoItem;

static void
demo_item_free (gpointer data)
{
  DemoItem *item = data;

  g_clear_object (&item->lead);
  g_clear_pointer (&item->history, g_ptr_array_unref);
  g_clear_pointer (&item->activities, g_ptr_array_unref);
  g_free (item);
}

/* The made-up data is made on a thread of its own while the writer
 * writes: chunks go to the writer through @made; a chunk may be made
 * only with a slot from @slots, so at most CHUNKS_AHEAD wait. */
typedef struct
{
  CpDemoGenerator *generator;
  guint            n_leads;
  GAsyncQueue     *made;    /* GPtrArray of DemoItem */
  GAsyncQueue     *slots;   /* GINT_TO_POINTER (1) per free slot */
  gint             stop;    /* atomic: the writer stopped early */
} DemoMaker;

static GPtrArray *
make_chunk (CpDemoGenerator *generator,
            guint            n)
{
  GPtrArray *chunk = g_ptr_array_new_full (n, demo_item_free);

  for (guint i = 0; i < n; i++)
    {
      DemoItem *item = g_new0 (DemoItem, 1);

      item->lead = cp_demo_generator_next_lead (generator);
      item->history = cp_demo_generator_stage_history_for (generator, item->lead);
      item->activities = cp_demo_generator_activities_for (generator, item->lead);
      /* The generator's times drove the history and the activities;
       * what they mean for the lead the playbook computes. */
      for (CpLeadField f = 0; f < CP_LEAD_N_FIELDS; f++)
        if (cp_lead_field_is_computed (f))
          cp_lead_set_field_from_string (item->lead, f, NULL, NULL);
      g_ptr_array_add (chunk, item);
    }
  return chunk;
}

static gpointer
maker_thread (gpointer data)
{
  DemoMaker *maker = data;

  for (guint made = 0; made < maker->n_leads;)
    {
      guint n = MIN (CHUNK_SIZE, maker->n_leads - made);

      g_async_queue_pop (maker->slots);
      if (g_atomic_int_get (&maker->stop))
        break;
      g_async_queue_push (maker->made, make_chunk (maker->generator, n));
      made += n;
    }
  return NULL;
}

static void
maker_stop (DemoMaker *maker,
            GThread   *thread)
{
  GPtrArray *left;

  g_atomic_int_set (&maker->stop, 1);
  g_async_queue_push (maker->slots, GINT_TO_POINTER (1));
  g_thread_join (thread);
  while ((left = g_async_queue_try_pop (maker->made)) != NULL)
    g_ptr_array_unref (left);
  g_async_queue_unref (maker->made);
  g_async_queue_unref (maker->slots);
}

static gboolean
write_chunk (CpLeadStore          *store,
             GPtrArray            *chunk,
             const CpWriteRequest *request,
             GError              **error)
{
  for (guint i = 0; i < chunk->len; i++)
    {
      DemoItem *item = chunk->pdata[i];

      if (!_cp_lead_store_write_new (store, item->lead, item->history, item->activities, request,
                                     NULL, error))
        return FALSE;
    }
  return TRUE;
}

/* The same seed makes the same people, ids included. */
static gboolean
check_seed_unused (CpLeadStore  *store,
                   guint32       seed,
                   gint64        now,
                   GError      **error)
{
  g_autoptr(CpDemoGenerator) peek = cp_demo_generator_new (seed, now);
  g_autoptr(CpLead) first = cp_demo_generator_next_lead (peek);
  g_autoptr(CpLead) same = cp_lead_store_get (store, cp_lead_get_id (first), NULL);

  if (same == NULL)
    return TRUE;
  g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
               _("This database already holds the demo leads of seed %u: choose another seed."),
               seed);
  return FALSE;
}

/* Writes the chunks as the maker makes them, ending a batch (a commit
 * in a load per batch) every BATCH_SIZE leads. */
static gboolean
write_all (CpLeadStore     *store,
           CpBulkLoad      *load,
           DemoMaker       *maker,
           gint64           now,
           CpProgressFunc   progress,
           gpointer         user_data,
           GCancellable    *cancellable,
           GError         **error)
{
  CpWriteRequest request = { 0, };
  guint done = 0;

  request.action = "create";
  request.actor = "demo";
  request.now = now;
  request.flags = CP_WRITE_NO_AUTOMATION | CP_WRITE_BULK | CP_WRITE_BATCH;

  while (done < maker->n_leads)
    {
      g_autoptr(GPtrArray) chunk = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      chunk = g_async_queue_pop (maker->made);
      g_async_queue_push (maker->slots, GINT_TO_POINTER (1));
      if (!write_chunk (store, chunk, &request, error))
        return FALSE;
      done += chunk->len;
      if (done % BATCH_SIZE != 0 && done < maker->n_leads)
        continue;
      if (!cp_bulk_load_batch_done (load, error))
        return FALSE;
      if (progress != NULL)
        progress (done, maker->n_leads, user_data);
    }
  return TRUE;
}

/**
 * cp_demo_writer_run_full:
 * @n_leads: how many leads to generate
 * @seed: the same seed gives the same leads
 * @now: the generator spreads history over the 12 months before this
 * @mode: %CP_BULK_LOAD_AUTO, or %CP_BULK_LOAD_PER_BATCH to keep every
 *   index current and commit batch by batch
 * @progress: (nullable): called after each batch written
 *
 * Generates synthetic leads (no real people) with their stage histories
 * and activities, in batches of a few thousand made on a worker thread,
 * and writes them through the store's write path: the playbook in effect
 * checks each lead's stage, routes it, scores it and starts its SLA clock,
 * as for a lead typed in. They come with their past, as it was:
 * automation reacts to what happens to them from now on.
 *
 * Into a database with fewer leads than @n_leads, %CP_BULK_LOAD_AUTO makes
 * the run one transaction with the index builds at its end (see
 * cp-bulk-load.c): cancelled, failed or killed, it leaves nothing.
 * Otherwise each batch is a transaction: cancelling rolls back the batch
 * in progress; batches already committed stay.
 */
gboolean
cp_demo_writer_run_full (CpLeadStore     *store,
                         guint            n_leads,
                         guint32          seed,
                         gint64           now,
                         CpBulkLoadMode   mode,
                         CpProgressFunc   progress,
                         gpointer         user_data,
                         GCancellable    *cancellable,
                         GError         **error)
{
  g_autoptr(CpDemoGenerator) generator = NULL;
  CpDatabase *database;
  CpBulkLoad *load;
  DemoMaker maker = { 0, };
  GThread *thread;
  gboolean ok;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), FALSE);

  database = cp_lead_store_get_database (store);
  if (!check_seed_unused (store, seed, now, error))
    return FALSE;
  load = cp_bulk_load_begin (database, n_leads, mode, error);
  if (load == NULL)
    return FALSE;

  generator = cp_demo_generator_new (seed, now);
  maker.generator = generator;
  maker.n_leads = n_leads;
  maker.made = g_async_queue_new_full ((GDestroyNotify) g_ptr_array_unref);
  maker.slots = g_async_queue_new ();
  for (guint i = 0; i < CHUNKS_AHEAD; i++)
    g_async_queue_push (maker.slots, GINT_TO_POINTER (1));
  thread = g_thread_new ("cp-demo-maker", maker_thread, &maker);

  ok = write_all (store, load, &maker, now, progress, user_data, cancellable, error);
  maker_stop (&maker, thread);
  if (ok)
    ok = cp_bulk_load_finish (load, error);
  else
    cp_bulk_load_abort (load);

  if (ok && !cp_database_update_statistics (database, error))
    ok = FALSE;
  cp_lead_store_emit_bulk_change (store);
  return ok;
}

/**
 * cp_demo_writer_run:
 *
 * cp_demo_writer_run_full() with %CP_BULK_LOAD_AUTO.
 */
gboolean
cp_demo_writer_run (CpLeadStore    *store,
                    guint           n_leads,
                    guint32         seed,
                    gint64          now,
                    CpProgressFunc  progress,
                    gpointer        user_data,
                    GCancellable   *cancellable,
                    GError        **error)
{
  return cp_demo_writer_run_full (store, n_leads, seed, now, CP_BULK_LOAD_AUTO, progress, user_data,
                                  cancellable, error);
}
