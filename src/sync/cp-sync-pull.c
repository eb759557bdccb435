/* cp-sync-pull.c — the pull of one run: pages committed whole, kept records, deletions
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cp-bulk-load.h"
#include "cp-crm-backend-private.h"
#include "cp-sync-engine-private.h"
#include "cp-sync-prefetch-private.h"
#include "cp-store-error.h"
#include "cp-sync-quarantine.h"

#define PULL_STREAM "contacts"



/* Keeps a record that could not be applied, with why in words; the log
 * names the kind of refusal only (the message may quote personal data). */
static gboolean
keep_record (CpSyncRun     *run,
             CpCrmRecord   *record,
             const GError  *refusal,
             GError       **error)
{
  g_autofree char *payload = _cp_sync_record_to_payload (record);

  if (!cp_sync_store_quarantine (run->store, record->remote_id, record->updated_at, payload,
                                 refusal->message, g_get_real_time () / G_USEC_PER_SEC, error))
    return FALSE;
  g_message ("CRM record %s kept, not applied: %s", record->remote_id,
             _cp_sync_refusal_kind (refusal));
  return TRUE;
}

/* How a record that cannot be applied is dealt with. */
typedef enum
{
  /* It makes apply_one() fail with *out_retry set: the caller undoes its
   * transaction and writes the page again, guarded. */
  APPLY_FAST,
  /* A savepoint per record: it is rolled back alone and kept. */
  APPLY_GUARDED,
  /* In a deferred load (never undone in part): a new contact is refused
   * before anything of it is written, so it is kept with no savepoint;
   * a record about a lead already here is guarded. */
  APPLY_IN_LOAD,
} ApplyMode;

/* Applies one record. Guarded, in a savepoint of its own: a record that
 * cannot be applied (say, an invalid email on the CRM) is rolled back
 * alone and kept with its reason (*out_kept), and the others go on.
 * A kept record that now applies leaves the list. */
static gboolean
apply_one (CpSyncRun    *run,
           CpCrmRecord  *record,
           ApplyMode     mode,
           CpSyncStats  *page_stats,
           gboolean     *out_retry,
           gboolean     *out_kept,
           GError      **error)
{
  CpDatabase *database = cp_sync_store_get_database (run->store);
  g_autoptr(GError) local_error = NULL;
  gboolean applied = TRUE;
  gboolean guarded = mode == APPLY_GUARDED;
  guint64 changes;

  if (out_kept != NULL)
    *out_kept = FALSE;
  if (mode == APPLY_IN_LOAD)
    guarded = !_cp_sync_run_record_is_new (run, record);
  if (guarded && !cp_database_begin (database, error))
    return FALSE;
  changes = cp_sync_store_changes (run->store);
  if (_cp_sync_run_apply_record (run, record, &applied, &local_error))
    {
      if (applied)
        page_stats->pulled++;
      if (g_hash_table_contains (run->kept, record->remote_id) &&
          !cp_sync_store_resolve_reject (run->store, record->remote_id,
                                         g_get_real_time () / G_USEC_PER_SEC, error))
        {
          if (guarded)
            cp_database_rollback (database);
          return FALSE;
        }
      return !guarded || cp_database_commit (database, error);
    }
  if (guarded)
    cp_database_rollback (database);

  if (!_cp_sync_is_refusal (local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (mode == APPLY_FAST)
    {
      *out_retry = TRUE;
      return FALSE;
    }
  if (!guarded && cp_sync_store_changes (run->store) != changes)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("A CRM record was refused after part of it was written (%s); "
                     "the pull stopped and kept nothing of this run."),
                   local_error->message);
      return FALSE;
    }
  if (!keep_record (run, record, local_error, error))
    return FALSE;
  if (out_kept != NULL)
    *out_kept = TRUE;
  page_stats->quarantined++;
  return TRUE;
}

/* The pages written since the last commit: one transaction holds the
 * pages already fetched, up to BATCH_RECORDS, with the cursor at the end
 * of the last one, so that the indexes a page touches are written out once
 * per batch, not per page. It commits before the pull waits for the CRM.
 * Should a page fail (a record the rules refuse, a database error), the
 * batch is undone and its pages are written again one transaction each,
 * as they would be alone. What a batch holds is counted once it commits. */
typedef struct
{
  CpBulkLoad  *load;          /* the whole pull in one deferred load, or NULL */
  gboolean     open;
  guint        records;
  CpSyncStats  stats;         /* pulled, quarantined, conflicts */
  GPtrArray   *pages;         /* CpCrmPage, written in the open batch */
  char        *start_cursor;  /* the committed cursor the batch started from */
} PullBatch;

#define BATCH_RECORDS 1000   /* five pages of HubSpot's 200 */

static void
batch_clear (PullBatch *batch)
{
  g_clear_pointer (&batch->load, cp_bulk_load_abort);
  g_clear_pointer (&batch->pages, g_ptr_array_unref);
  g_clear_pointer (&batch->start_cursor, g_free);
}

/* Writes @page's records and moves the cursor past them, inside the
 * caller's transaction. Unguarded, a record that cannot be applied makes
 * this fail with *@out_retry set; guarded, it is kept with its reason. */
static gboolean
write_page (CpSyncRun    *run,
            CpCrmPage    *page,
            char        **cursor,
            ApplyMode     mode,
            CpSyncStats  *page_stats,
            gboolean     *out_retry,
            GError      **error)
{
  g_autofree char *newest = g_strdup (*cursor);

  memset (page_stats, 0, sizeof *page_stats);
  run->page_conflicts = 0;
  for (guint i = 0; i < page->records->len; i++)
    {
      CpCrmRecord *record = page->records->pdata[i];

      if (!apply_one (run, record, mode, page_stats, out_retry, NULL, error))
        return FALSE;
      if (_cp_crm_cursor_compare (record->cursor, newest) > 0)
        {
          g_free (newest);
          newest = g_strdup (record->cursor);
        }
    }
  /* The cursor moves in the page's own transaction: after a crash, the
   * next pull starts exactly after what was committed. */
  if (newest != NULL && !cp_sync_store_set_cursor (run->store, PULL_STREAM, newest, error))
    return FALSE;
  page_stats->conflicts = run->page_conflicts;
  g_free (*cursor);
  *cursor = g_steal_pointer (&newest);
  return TRUE;
}

static void
count_page (CpSyncRun         *run,
            CpCrmPage         *page,
            const CpSyncStats *page_stats)
{
  run->stats.pulled += page_stats->pulled;
  run->stats.quarantined += page_stats->quarantined;
  run->stats.conflicts += page_stats->conflicts;
  for (guint i = 0; i < page->records->len; i++)
    g_hash_table_add (run->touched, g_strdup (((CpCrmRecord *) page->records->pdata[i])->remote_id));
}

/* One page in a transaction of its own; only when a record of it cannot
 * be applied is it redone record by record. */
static gboolean
commit_page_alone (CpSyncRun  *run,
                   CpCrmPage  *page,
                   char      **cursor,
                   GError    **error)
{
  CpDatabase *database = cp_sync_store_get_database (run->store);
  g_autofree char *committed = g_strdup (*cursor);
  CpSyncStats page_stats;
  gboolean retry = FALSE;

  for (gboolean guarded = FALSE;; guarded = TRUE)
    {
      if (!cp_database_begin (database, error))
        return FALSE;
      if (write_page (run, page, cursor, guarded ? APPLY_GUARDED : APPLY_FAST, &page_stats,
                      &retry, error))
        break;
      cp_database_rollback (database);
      g_free (*cursor);
      *cursor = g_strdup (committed);
      if (!retry || guarded)
        return FALSE;
    }
  if (!cp_database_commit (database, error))
    {
      g_free (*cursor);
      *cursor = g_steal_pointer (&committed);
      return FALSE;
    }
  count_page (run, page, &page_stats);
  return TRUE;
}

/* The batch failed: undone, and its pages written again one by one. */
static gboolean
batch_replay (CpSyncRun  *run,
              PullBatch  *batch,
              char      **cursor,
              GError    **error)
{
  g_autoptr(GPtrArray) pages = g_steal_pointer (&batch->pages);

  if (batch->open)
    cp_database_rollback (cp_sync_store_get_database (run->store));
  batch->open = FALSE;
  batch->records = 0;
  memset (&batch->stats, 0, sizeof batch->stats);
  g_free (*cursor);
  *cursor = g_steal_pointer (&batch->start_cursor);
  for (guint i = 0; i < pages->len; i++)
    if (!commit_page_alone (run, pages->pdata[i], cursor, error))
      return FALSE;
  return TRUE;
}

/* A pull larger than the leads held here (a first pull: HubSpot's search
 * says how many contacts match) is one deferred load: its records go
 * through the same write path, but the search index and the indexes the
 * write path never reads are built once at its end (cp-bulk-load.c), and
 * it commits once, pages and cursor together. Killed midway, nothing of
 * it is kept, the cursor included: the next pull does it again. It holds
 * the write lock while it waits for the CRM, as a deferred import does
 * while it reads its file. */
static void
load_begin (CpSyncRun   *run,
            PullBatch   *batch,
            CpCrmPage   *page,
            const char  *cursor)
{
  CpDatabase *database = cp_sync_store_get_database (run->store);
  g_autoptr(GError) local_error = NULL;
  CpBulkLoad *load;

  if (batch->open || page->total <= BATCH_RECORDS)
    return;
  load = cp_bulk_load_begin (database, (guint) MIN (page->total, (gint64) G_MAXUINT),
                             CP_BULK_LOAD_AUTO, &local_error);
  if (load == NULL)
    {
      /* The batches below will meet the same error, and report it. */
      cp_database_set_bulk_writes (database, TRUE);
      return;
    }
  if (!cp_bulk_load_is_deferred (load))
    {
      cp_bulk_load_abort (load);
      cp_database_set_bulk_writes (database, TRUE);
      return;
    }
  g_debug ("pull of %" G_GINT64_FORMAT " contacts: one deferred load", page->total);
  batch->load = load;
  batch->open = TRUE;
  batch->records = 0;
  memset (&batch->stats, 0, sizeof batch->stats);
  batch->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_crm_page_free);
  batch->start_cursor = g_strdup (cursor);
}

/* The load failed: undone whole (the cursor included), nothing counted. */
static void
load_abort (CpSyncRun  *run,
            PullBatch  *batch,
            char      **cursor)
{
  g_clear_pointer (&batch->load, cp_bulk_load_abort);
  cp_database_set_bulk_writes (cp_sync_store_get_database (run->store), TRUE);
  batch->open = FALSE;
  g_clear_pointer (&batch->pages, g_ptr_array_unref);
  g_free (*cursor);
  *cursor = g_steal_pointer (&batch->start_cursor);
}

/* Builds what the load deferred and commits it; on failure nothing of
 * it is kept. */
static gboolean
load_finish (CpSyncRun  *run,
             PullBatch  *batch,
             GError    **error)
{
  gboolean ok = cp_bulk_load_finish (g_steal_pointer (&batch->load), error);

  cp_database_set_bulk_writes (cp_sync_store_get_database (run->store), TRUE);
  return ok;
}

/* Writes @page (taken) in the open batch, opening one if needed. */
static gboolean
batch_write_page (CpSyncRun  *run,
                  PullBatch  *batch,
                  CpCrmPage  *page,
                  char      **cursor,
                  GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  CpSyncStats page_stats;
  gboolean retry = FALSE;

  if (!batch->open)
    {
      if (!cp_database_begin (cp_sync_store_get_database (run->store), error))
        {
          cp_crm_page_free (page);
          return FALSE;
        }
      batch->open = TRUE;
      batch->records = 0;
      memset (&batch->stats, 0, sizeof batch->stats);
      batch->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_crm_page_free);
      batch->start_cursor = g_strdup (*cursor);
    }
  g_ptr_array_add (batch->pages, page);
  if (batch->load != NULL)
    {
      if (!write_page (run, page, cursor, APPLY_IN_LOAD, &page_stats, &retry, error))
        {
          load_abort (run, batch, cursor);
          return FALSE;
        }
      /* A load is never written again: of its records, only the ids are
       * needed once it commits (a whole pull's properties, kept to the
       * end, were 90 MB at 100,000 contacts). */
      for (guint i = 0; i < page->records->len; i++)
        g_clear_pointer (&((CpCrmRecord *) page->records->pdata[i])->properties,
                         g_hash_table_unref);
    }
  else if (!write_page (run, page, cursor, APPLY_FAST, &page_stats, &retry, &local_error))
    return batch_replay (run, batch, cursor, error);
  batch->records += page->records->len;
  batch->stats.pulled += page_stats.pulled;
  batch->stats.quarantined += page_stats.quarantined;
  batch->stats.conflicts += page_stats.conflicts;
  return TRUE;
}

/* Commits the open batch, pages and cursor at once, and counts it. */
static gboolean
batch_commit (CpSyncRun  *run,
              PullBatch  *batch,
              char      **cursor,
              GError    **error)
{
  g_autoptr(GPtrArray) pages = g_steal_pointer (&batch->pages);

  if (!batch->open)
    return TRUE;
  batch->open = FALSE;
  if (batch->load != NULL ? !load_finish (run, batch, error)
                          : !cp_database_commit (cp_sync_store_get_database (run->store), error))
    {
      g_free (*cursor);
      *cursor = g_steal_pointer (&batch->start_cursor);
      return FALSE;
    }
  g_clear_pointer (&batch->start_cursor, g_free);
  run->stats.pulled += batch->stats.pulled;
  run->stats.quarantined += batch->stats.quarantined;
  run->stats.conflicts += batch->stats.conflicts;
  for (guint i = 0; i < pages->len; i++)
    {
      CpCrmPage *page = pages->pdata[i];

      for (guint j = 0; j < page->records->len; j++)
        g_hash_table_add (run->touched,
                          g_strdup (((CpCrmRecord *) page->records->pdata[j])->remote_id));
    }
  return TRUE;
}

/* Pages until the query is done. The backend pages on (modification
 * time, id), so a page always moves on whatever shares one timestamp;
 * its paging token is opaque here. A failure on a later page, or a
 * cancel, keeps the pages written before it, committed with their
 * cursor; a crash loses at most the open batch, and its cursor with it. */
static gboolean
pull_pages (CpSyncRun       *run,
            CpSyncPrefetch  *prefetch,
            PullBatch       *batch,
            char           **cursor,
            GError         **error)
{
  g_autoptr(GError) unkept = NULL;
  guint page_number = 0;

  for (;;)
    {
      CpCrmPage *page = _cp_sync_prefetch_next (prefetch, error);
      gboolean last;

      if (page == NULL)
        break;
      last = page->next_page == NULL;
      if (page_number == 0 && !last)
        load_begin (run, batch, page, *cursor);
      _cp_sync_run_page_fetched (run, page_number++);
      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        {
          cp_crm_page_free (page);
          break;
        }
      if (!batch_write_page (run, batch, page, cursor, error))
        break;
      _cp_sync_run_report_progress (run, "pull", run->stats.pulled + batch->stats.pulled);
      /* Never wait for the CRM holding the write lock: the window and
       * the other writers wait for it meanwhile. */
      if ((last || (batch->load == NULL && (batch->records >= BATCH_RECORDS ||
                                            !_cp_sync_prefetch_ready (prefetch)))) &&
          !batch_commit (run, batch, cursor, error))
        return FALSE;
      if (last)
        return TRUE;
    }
  /* What the open batch holds is whole pages, each with its cursor. */
  if (!batch_commit (run, batch, cursor, &unkept))
    g_message ("The pages pulled before the failure were not kept: %s", unkept->message);
  return FALSE;
}

/* The next page is fetched while this one is written (cp-sync-prefetch.c). */
gboolean
_cp_sync_run_pull (CpSyncRun  *run,
                   GError    **error)
{
  g_autofree char *cursor = cp_sync_store_get_cursor (run->store, PULL_STREAM);
  CpSyncPrefetch *prefetch = _cp_sync_prefetch_start (run->backend, cursor, run->cancellable);
  PullBatch batch = { 0, };
  gboolean ok = pull_pages (run, prefetch, &batch, &cursor, error);

  _cp_sync_prefetch_stop (prefetch);
  batch_clear (&batch);
  return ok;
}

/* Tries the kept records again (a rule or the stage map may have changed
 * since), each in its own transaction. One the CRM has sent a newer
 * version of since is done: that version was applied or kept instead. */
gboolean
_cp_sync_run_retry_kept (CpSyncRun  *run,
                         GError    **error)
{
  CpDatabase *database = cp_sync_store_get_database (run->store);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, run->kept);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      CpSyncReject *kept = value;
      g_autoptr(CpCrmRecord) record = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *lead_id = NULL;
      g_autoptr(CpSyncLink) link = NULL;
      CpSyncStats stats = { 0 };
      gboolean still_kept = FALSE;
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;

      if (g_hash_table_contains (run->touched, kept->remote_id))
        continue;
      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;

      lead_id = cp_sync_store_find_lead (run->store, kept->remote_id, error);
      if (lead_id == NULL && error != NULL && *error != NULL)
        return FALSE;
      if (lead_id != NULL)
        link = cp_sync_store_get_link (run->store, lead_id, NULL);
      if (!cp_database_begin (database, error))
        return FALSE;
      if (link != NULL &&
          _cp_crm_cursor_compare (link->remote_updated_at, kept->remote_updated_at) >= 0)
        {
          if (!cp_sync_store_resolve_reject (run->store, kept->remote_id, now, error))
            goto fail;
          if (!cp_database_commit (database, error))
            return FALSE;
          continue;
        }

      record = _cp_sync_record_from_payload (kept->remote_id, kept->remote_updated_at,
                                             kept->payload, &local_error);
      if (record == NULL)
        {
          /* Cannot happen with what we wrote; keep it, say why. */
          if (!cp_sync_store_quarantine (run->store, kept->remote_id, kept->remote_updated_at,
                                         kept->payload, local_error->message, now, error))
            goto fail;
          still_kept = TRUE;
        }
      else if (!apply_one (run, record, APPLY_GUARDED, &stats, NULL, &still_kept, error))
        goto fail;
      if (!cp_database_commit (database, error))
        return FALSE;
      run->stats.pulled += stats.pulled;
      run->stats.conflicts += run->page_conflicts;
      run->page_conflicts = 0;
      if (!still_kept)
        run->stats.recovered++;
    }
  return TRUE;

fail:
  cp_database_rollback (database);
  return FALSE;
}

gboolean
_cp_sync_run_pull_deletions (CpSyncRun  *run,
                             GError    **error)
{
  CpDatabase *database = cp_sync_store_get_database (run->store);
  g_autoptr(GHashTable) known = cp_sync_store_linked_remote_ids (run->store, error);
  g_autoptr(GPtrArray) deleted = NULL;

  if (known == NULL)
    return FALSE;
  if (g_hash_table_size (known) == 0)
    return TRUE;
  deleted = cp_crm_backend_pull_deletions (run->backend, known, run->cancellable, error);
  if (deleted == NULL)
    return FALSE;
  if (deleted->len == 0)
    return TRUE;

  if (!cp_database_begin (database, error))
    return FALSE;
  for (guint i = 0; i < deleted->len; i++)
    {
      const char *lead_id = g_hash_table_lookup (known, deleted->pdata[i]);

      if (!cp_sync_store_tombstone_remote (run->store, lead_id, error))
        {
          cp_database_rollback (database);
          return FALSE;
        }
      run->stats.deleted++;
    }

  return cp_database_commit (database, error);
}


gboolean
_cp_sync_run_load_kept (CpSyncRun  *run,
                        GError    **error)
{
  g_autoptr(GPtrArray) kept = cp_sync_store_list_rejects (run->store, FALSE, error);

  if (kept == NULL)
    return FALSE;
  g_ptr_array_set_free_func (kept, NULL);
  for (guint i = 0; i < kept->len; i++)
    {
      CpSyncReject *reject = kept->pdata[i];

      /* Engagements are retried by the activities pull. */
      if (g_strcmp0 (reject->entity, CP_SYNC_ENTITY_CONTACT) != 0)
        {
          cp_sync_reject_free (reject);
          continue;
        }
      g_hash_table_replace (run->kept, reject->remote_id, reject);
    }
  return TRUE;
}
