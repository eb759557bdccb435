/* cp-demo-writer.c — fill a database with generated demo leads
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-demo-writer"

#include "config.h"

#include "cp-database.h"
#include "cp-demo-writer.h"
#include "cp-demo.h"
#include "cp-lead-store-private.h"
#include "cp-playbook-store.h"
#include "cp-rescore.h"

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
 * and activities, in transactions of a few thousand leads. Cancelling
 * rolls back the batch in progress; batches already committed stay.
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
  CpDatabase *database;
  guint done = 0;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), FALSE);

  database = cp_lead_store_get_database (store);
  generator = cp_demo_generator_new (seed, now);

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

          if (!_cp_lead_store_insert_with_history (store, lead, history, activities,
                                                   "demo", error))
            {
              cp_database_rollback (database);
              cp_lead_store_emit_bulk_change (store);
              return FALSE;
            }
        }

      if (!cp_database_commit (database, error))
        {
          cp_lead_store_emit_bulk_change (store);
          return FALSE;
        }
      if (progress != NULL)
        progress (done, n_leads, user_data);
    }

  if (done == n_leads && !cp_database_update_statistics (database, error))
    return FALSE;

  /* Demo leads come scored and tiered by the active playbook, as leads
   * captured in the app are. */
  if (done == n_leads)
    {
      g_autoptr(CpPlaybookVersion) version = NULL;
      g_autoptr(CpPlaybook) playbook = cp_playbook_store_load_active (database, now, &version, error);

      if (playbook == NULL ||
          !cp_rescore_run (database, playbook, version != NULL ? version->id : 0, now, "demo",
                           NULL, NULL, cancellable, NULL, error))
        {
          cp_lead_store_emit_bulk_change (store);
          return FALSE;
        }
    }
  cp_lead_store_emit_bulk_change (store);
  return done == n_leads;
}
