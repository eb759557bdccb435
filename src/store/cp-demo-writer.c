/* cp-demo-writer.c — fill a database with generated demo leads
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-demo-writer"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database.h"
#include "cp-demo-writer.h"
#include "cp-demo.h"
#include "cp-lead-store-private.h"

/* Big enough that commits are rare, small enough that progress moves. */
#define BATCH_SIZE 5000

/**
 * cp_demo_writer_run:
 * @n_leads: how many leads to generate
 * @seed: the same seed gives the same leads
 * @now: the generator spreads history over the 12 months before this
 * @progress: (nullable): called after each committed batch
 *
 * Generates synthetic leads (no real people) with their stage histories
 * and activities, in transactions of a few thousand leads, through the
 * store's write path: the playbook in effect checks each lead's stage,
 * routes it, scores it and starts its SLA clock, as for a lead typed in.
 * They come with their past, as it was: automation reacts to what
 * happens to them from now on. Cancelling rolls back the batch in
 * progress; batches already committed stay.
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
  g_autoptr(CpDemoGenerator) generator = NULL;
  CpWriteRequest request = { 0, };
  CpDatabase *database;
  guint done = 0;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), FALSE);

  database = cp_lead_store_get_database (store);
  generator = cp_demo_generator_new (seed, now);
  request.action = "create";
  request.actor = "demo";
  request.now = now;
  request.flags = CP_WRITE_NO_AUTOMATION | CP_WRITE_BULK | CP_WRITE_BATCH;

  /* The same seed makes the same people, ids included. */
  {
    g_autoptr(CpDemoGenerator) peek = cp_demo_generator_new (seed, now);
    g_autoptr(CpLead) first = cp_demo_generator_next_lead (peek);
    g_autoptr(CpLead) same = cp_lead_store_get (store, cp_lead_get_id (first), NULL);

    if (same != NULL)
      {
        g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                     _("This database already holds the demo leads of seed %u: choose another seed."),
                     seed);
        return FALSE;
      }
  }

  cp_database_set_bulk_writes (database, TRUE);
  while (done < n_leads)
    {
      guint batch_end = MIN (n_leads, done + BATCH_SIZE);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      if (!cp_database_begin (database, error))
        break;

      for (; done < batch_end; done++)
        {
          g_autoptr(CpLead) lead = cp_demo_generator_next_lead (generator);
          g_autoptr(GPtrArray) history = cp_demo_generator_stage_history_for (generator, lead);
          g_autoptr(GPtrArray) activities = cp_demo_generator_activities_for (generator, lead);


          /* The generator's times drove the history and the activities;
           * what they mean for the lead the playbook computes. */
          for (CpLeadField f = 0; f < CP_LEAD_N_FIELDS; f++)
            if (cp_lead_field_is_computed (f))
              cp_lead_set_field_from_string (lead, f, NULL, NULL);
          if (!_cp_lead_store_write_new (store, lead, history, activities, &request, NULL, error))
            {
              cp_database_rollback (database);
              cp_database_set_bulk_writes (database, FALSE);
              cp_lead_store_emit_bulk_change (store);
              return FALSE;
            }
        }

      if (!cp_database_commit (database, error))
        {
          cp_database_set_bulk_writes (database, FALSE);
          cp_lead_store_emit_bulk_change (store);
          return FALSE;
        }
      if (progress != NULL)
        progress (done, n_leads, user_data);
    }

  cp_database_set_bulk_writes (database, FALSE);
  if (done == n_leads && !cp_database_update_statistics (database, error))
    return FALSE;

  cp_lead_store_emit_bulk_change (store);
  return done == n_leads;
}
