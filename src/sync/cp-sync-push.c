/* cp-sync-push.c — the push of one run: erasures, then the outbox in batches, results recorded
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-sync-engine-private.h"
#include "cp-sync-error.h"

/* The change to send for one journalled lead, or NULL when there is
 * nothing to send (then the entry is confirmed right away). */
static CpCrmChange *
change_for (CpSyncRun      *run,
            CpSyncPending  *pending,
            GError        **error)
{
  g_autoptr(CpLead) lead = NULL;
  g_autoptr(CpSyncLink) link = NULL;
  g_autoptr(GHashTable) local = NULL;
  g_autoptr(GHashTable) open = NULL;
  g_autoptr(GError) local_error = NULL;
  CpCrmChange *change;
  gint64 deleted_at = 0;
  guint n = 0;
  const CpCrmFieldMap *map = cp_crm_backend_get_field_map (run->backend, &n);
  const char *stage_property = NULL;

  lead = cp_sync_store_load_lead (run->store, pending->lead_id, &deleted_at, &local_error);
  if (lead == NULL)
    {
      if (!g_error_matches (local_error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  link = cp_sync_store_get_link (run->store, pending->lead_id, error);
  if (link == NULL && error != NULL && *error != NULL)
    return NULL;

  if (deleted_at != 0)
    {
      if (link == NULL || link->remote_id == NULL || link->remote_deleted_at != 0)
        return NULL;
      change = cp_crm_change_new (pending->lead_id, link->remote_id);
      change->archive = TRUE;
      return change;
    }
  /* Live here, archived there (restored by an unmerge): the CRM's record
   * is gone, so the lead is sent whole, created again through upsert. */
  if (link != NULL && link->remote_deleted_at != 0)
    g_clear_pointer (&link, cp_sync_link_free);

  local = _cp_sync_run_local_properties (run, lead);
  open = cp_sync_store_open_conflict_fields (run->store, pending->lead_id, error);
  if (open == NULL)
    return NULL;

  change = cp_crm_change_new (pending->lead_id, link != NULL ? link->remote_id : NULL);
  for (guint i = 0; i < n; i++)
    {
      const char *l = g_hash_table_lookup (local, map[i].property);
      const char *b = link != NULL ? g_hash_table_lookup (link->base, map[i].property) : NULL;

      if (map[i].field == CP_LEAD_FIELD_STAGE)
        stage_property = map[i].property;
      /* A field in conflict waits for the user's choice. */
      if (g_hash_table_contains (open, cp_lead_field_info (map[i].field)->name))
        continue;
      if (change->remote_id == NULL ? !_cp_sync_blank (l) : !_cp_sync_same_value (l, b))
        g_hash_table_insert (change->properties, g_strdup (map[i].property), g_strdup (l ? l : ""));
    }
  if (link != NULL && stage_property != NULL)
    change->previous_stage = g_strdup (g_hash_table_lookup (link->base, stage_property));

  if (change->remote_id != NULL && g_hash_table_size (change->properties) == 0)
    g_clear_pointer (&change, cp_crm_change_free);
  return change;
}

/* The CRM matched the push to a record another local lead is linked to
 * (a 409 on the same email): two local leads are one person. Flag them
 * for a merge; linking both would make one remote record two leads. */
static gboolean
check_not_linked_elsewhere (CpSyncRun        *run,
                            CpSyncPending    *pending,
                            CpCrmPushResult  *result,
                            GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *owner = cp_sync_store_find_lead (run->store, result->remote_id, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (owner == NULL || g_strcmp0 (owner, pending->lead_id) == 0)
    return TRUE;

  result->error = g_error_new (CP_SYNC_ERROR, CP_SYNC_ERROR_CONFLICT,
                               _("The CRM already has this person as lead %s here: merge the "
                                 "two leads"), owner);
  run->stats.errors++;
  return cp_lead_store_flag_duplicate (cp_sync_store_get_lead_store (run->store), pending->lead_id,
                                       owner, CP_SYNC_ACTOR, error) &&
         cp_sync_store_record_failure (run->store, pending->lead_id, pending->last_outbox_id,
                                       result->error->message, error);
}

static gboolean
record_results (CpSyncRun   *run,
                GPtrArray   *changes,
                GPtrArray   *results,
                GHashTable  *pending_by_lead,
                GError     **error)
{
  CpDatabase *database = cp_sync_store_get_database (run->store);

  if (!cp_database_begin (database, error))
    return FALSE;
  for (guint i = 0; i < results->len; i++)
    {
      CpCrmPushResult *result = results->pdata[i];
      CpSyncPending *pending = g_hash_table_lookup (pending_by_lead, result->lead_id);
      CpCrmChange *change = NULL;

      for (guint j = 0; j < changes->len && change == NULL; j++)
        if (g_strcmp0 (((CpCrmChange *) changes->pdata[j])->lead_id, result->lead_id) == 0)
          change = changes->pdata[j];
      g_assert (pending != NULL && change != NULL);

      if (result->error != NULL)
        {
          run->stats.errors++;
          if (!cp_sync_store_record_failure (run->store, pending->lead_id, pending->last_outbox_id,
                                             result->error->message, error))
            goto fail;
          continue;
        }

      if (change->archive)
        {
          if (!cp_sync_store_tombstone_remote (run->store, pending->lead_id, error))
            goto fail;
        }
      else if (!check_not_linked_elsewhere (run, pending, result, error))
        goto fail;
      else if (result->error != NULL)
        continue;
      else
        {
          g_autoptr(CpSyncLink) link = cp_sync_store_get_link (run->store, pending->lead_id, NULL);
          g_autoptr(GHashTable) base = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          GHashTableIter iter;
          gpointer key, value;

          if (link != NULL)
            {
              g_hash_table_iter_init (&iter, link->base);
              while (g_hash_table_iter_next (&iter, &key, &value))
                g_hash_table_insert (base, g_strdup (key), g_strdup (value));
            }
          g_hash_table_iter_init (&iter, change->properties);
          while (g_hash_table_iter_next (&iter, &key, &value))
            if (_cp_sync_blank (value))
              g_hash_table_remove (base, key);
            else
              g_hash_table_replace (base, g_strdup (key), g_strdup (value));

          if (!cp_sync_store_set_link (run->store, pending->lead_id, result->remote_id,
                                       result->updated_at, base, error))
            goto fail;
        }
      if (!cp_sync_store_confirm (run->store, pending->lead_id, pending->last_outbox_id, error))
        goto fail;
      run->stats.pushed++;
    }

  return cp_database_commit (database, error);

fail:
  cp_database_rollback (database);
  return FALSE;
}

gboolean
_cp_sync_run_push (CpSyncRun  *run,
                   GError    **error)
{
  CpDatabase *database = cp_sync_store_get_database (run->store);
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GError) local_error = NULL;
  guint batch_size = cp_crm_backend_get_batch_size (run->backend);

  if (!cp_database_begin (database, error))
    return FALSE;
  cp_sync_store_enqueue_unlinked (run->store, &local_error);
  if (local_error != NULL)
    {
      cp_database_rollback (database);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!cp_database_commit (database, error))
    return FALSE;

  pending = cp_sync_store_list_pending (run->store, error);
  if (pending == NULL)
    return FALSE;

  for (guint start = 0; start < pending->len; start += batch_size)
    {
      g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_crm_change_free);
      g_autoptr(GPtrArray) results = NULL;
      g_autoptr(GHashTable) by_lead = g_hash_table_new (g_str_hash, g_str_equal);

      if (!cp_database_begin (database, error))
        return FALSE;
      for (guint i = start; i < MIN (start + batch_size, pending->len); i++)
        {
          CpSyncPending *p = pending->pdata[i];
          CpCrmChange *change = change_for (run, p, &local_error);

          if (local_error != NULL)
            {
              cp_database_rollback (database);
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          if (change == NULL)
            {
              if (!cp_sync_store_confirm (run->store, p->lead_id, p->last_outbox_id, error))
                {
                  cp_database_rollback (database);
                  return FALSE;
                }
              continue;
            }
          g_hash_table_insert (by_lead, p->lead_id, p);
          g_ptr_array_add (changes, change);
        }
      if (!cp_database_commit (database, error))
        return FALSE;

      if (changes->len == 0)
        continue;
      results = cp_crm_backend_push_batch (run->backend, changes, run->cancellable, error);
      if (results == NULL || !record_results (run, changes, results, by_lead, error))
        return FALSE;
      _cp_sync_run_report_progress (run, "push", run->stats.pushed);
    }

  return TRUE;
}


/* People erased here: their CRM contacts are deleted for good before
 * anything else goes out. One the CRM refuses stays queued; the log
 * names its id only. */
gboolean
_cp_sync_run_erase_remote (CpSyncRun  *run,
                           GError    **error)
{
  CpDatabase *database = cp_sync_store_get_database (run->store);
  g_autoptr(GPtrArray) erasures = cp_sync_store_list_erasures (run->store, error);

  if (erasures == NULL)
    return FALSE;
  for (guint i = 0; i < erasures->len; i++)
    {
      CpSyncErasure *erasure = erasures->pdata[i];
      g_autoptr(GError) refused = NULL;

      if (!cp_crm_backend_erase (run->backend, erasure->remote_id, run->cancellable, &refused))
        {
          /* Auth, network, cancel: the whole send stops, nothing is lost. */
          if (!g_error_matches (refused, CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED) &&
              !g_error_matches (refused, CP_SYNC_ERROR, CP_SYNC_ERROR_FORBIDDEN))
            {
              g_propagate_error (error, g_steal_pointer (&refused));
              return FALSE;
            }
          g_message ("CRM contact %s not deleted: refused by the CRM", erasure->remote_id);
          run->stats.errors++;
        }
      if (!cp_database_begin (database, error))
        return FALSE;
      if (!cp_sync_store_finish_erasure (run->store, erasure, refused, error))
        {
          cp_database_rollback (database);
          return FALSE;
        }
      if (!cp_database_commit (database, error))
        return FALSE;
      if (refused == NULL)
        run->stats.erased++;
    }
  return TRUE;
}
