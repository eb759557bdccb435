/* cp-sync-activity-pull.c — the engagements of linked contacts, pulled as activities after the contacts
 *
 * After the contacts, each engagement type the backend knows (HubSpot's
 * calls, emails, meetings and notes; EspoCRM's calls, meetings and emails
 * of leads) is pulled incrementally with a cursor of its own (stream
 * "activities:<type>"), page by page. A page is recorded in one
 * transaction, each engagement through the write path on the lead of
 * every linked contact it is associated with; the cursor moves in the
 * same transaction. An engagement Carepath cannot record (an unknown
 * outcome, no linked contact, a time more than a day ahead) is kept with
 * its reason, like a refused contact, and tried again at every sync; the
 * rest of the page is recorded. A failed request (a 429 past the
 * client's retries, say) leaves the cursor where the last committed page
 * put it: the next sync goes on from there.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-crm-backend-private.h"
#include "cp-store-error.h"
#include "cp-sync-activity-pull.h"
#include "cp-sync-error.h"
#include "cp-sync-form-pull.h"
#include "cp-sync-quarantine.h"

#define STREAM_PREFIX "activities:"

typedef struct
{
  CpSyncStore  *store;
  CpCrmBackend *backend;
  CpSyncStats  *stats;
  GCancellable *cancellable;
  GHashTable   *touched;     /* "object/remote id" this run pulled */
} ActivityRun;

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return _cp_crm_cursor_compare (*(const char **) a, *(const char **) b);
}

/* The leads here of the contacts @record is associated with, in contact
 * id order, with the contact ids (parallel arrays). */
static gboolean
linked_leads (ActivityRun        *run,
              const CpCrmRecord  *record,
              GPtrArray          *lead_ids,
              GPtrArray          *contact_ids,
              GError            **error)
{
  const char *contacts = g_hash_table_lookup (record->properties, CP_CRM_CONTACTS_PROPERTY);
  g_auto(GStrv) ids = g_strsplit (contacts != NULL ? contacts : "", ",", -1);
  guint n = g_strv_length (ids);

  qsort (ids, n, sizeof (char *), (int (*) (const void *, const void *)) compare_ids);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) local_error = NULL;
      char *lead_id;

      if (*ids[i] == '\0' || (i > 0 && g_str_equal (ids[i], ids[i - 1])))
        continue;
      lead_id = cp_sync_store_find_lead (run->store, ids[i], &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (lead_id == NULL)
        continue;
      g_ptr_array_add (lead_ids, lead_id);
      g_ptr_array_add (contact_ids, g_strdup (ids[i]));
    }
  if (lead_ids->len == 0)
    {
      g_set_error_literal (error, CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED,
                           _("The engagement is associated with no contact linked here."));
      return FALSE;
    }
  return TRUE;
}

/* Records @record on each linked lead. The first lead's activity carries
 * the engagement's own external id, another's the id plus "@contact". */
static gboolean
record_engagement (ActivityRun  *run,
                   const char   *object,
                   CpCrmRecord  *record,
                   guint        *out_new,
                   GError      **error)
{
  g_auto(CpCrmActivity) mapped = { 0, };
  g_autoptr(GPtrArray) lead_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) contact_ids = g_ptr_array_new_with_free_func (g_free);

  if (!cp_crm_backend_activity_from_record (run->backend, object, record, &mapped, error) ||
      !linked_leads (run, record, lead_ids, contact_ids, error))
    return FALSE;
  for (guint i = 0; i < lead_ids->len; i++)
    {
      g_autoptr(CpActivity) activity = cp_activity_new ();
      g_autofree char *external_id = i == 0 ? g_strdup (mapped.external_id)
                                            : g_strdup_printf ("%s@%s", mapped.external_id,
                                                               (char *) contact_ids->pdata[i]);
      gboolean is_new = FALSE;

      cp_activity_set_lead_id (activity, lead_ids->pdata[i]);
      cp_activity_set_kind (activity, mapped.kind);
      cp_activity_set_occurred_at (activity, mapped.occurred_at);
      cp_activity_set_detail (activity, mapped.detail);
      cp_activity_set_disposition (activity, mapped.disposition);
      cp_activity_set_direction (activity, mapped.direction);
      cp_activity_set_external_id (activity, external_id);
      if (!cp_sync_store_record_activity (run->store, activity, &is_new, error))
        return FALSE;
      if (is_new)
        (*out_new)++;
    }
  return TRUE;
}

/* Keeps an engagement that could not be recorded; the log names its type,
 * id and the kind of refusal only. */
static gboolean
keep_engagement (ActivityRun   *run,
                 const char    *object,
                 CpCrmRecord   *record,
                 const GError  *refusal,
                 GError       **error)
{
  g_autofree char *payload = _cp_sync_record_to_payload (record);

  if (!cp_sync_store_keep_record (run->store, object, record->remote_id, record->updated_at,
                                  payload, refusal->message, g_get_real_time () / G_USEC_PER_SEC,
                                  error))
    return FALSE;
  g_message ("CRM %s %s kept, not recorded: %s", object, record->remote_id,
             refusal->domain == CP_SYNC_ERROR ? "not an activity Carepath knows"
                                              : _cp_sync_refusal_kind (refusal));
  return TRUE;
}

/* One engagement. Guarded: in a savepoint of its own, kept when refused.
 * Unguarded (the fast path): a refusal returns FALSE with *out_retry. */
static gboolean
apply_engagement (ActivityRun  *run,
                  const char   *object,
                  CpCrmRecord  *record,
                  gboolean      guarded,
                  CpSyncStats  *page_stats,
                  gboolean     *out_retry,
                  gboolean     *out_kept,
                  GError      **error)
{
  CpDatabase *database = cp_sync_store_get_database (run->store);
  g_autoptr(GError) local_error = NULL;
  guint recorded = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  *out_kept = FALSE;
  if (guarded && !cp_database_begin (database, error))
    return FALSE;
  if (record_engagement (run, object, record, &recorded, &local_error))
    {
      page_stats->activities += recorded;
      if (!cp_sync_store_resolve_record (run->store, object, record->remote_id, now, error))
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
  if (!guarded)
    {
      *out_retry = TRUE;
      return FALSE;
    }
  if (!keep_engagement (run, object, record, local_error, error))
    return FALSE;
  *out_kept = TRUE;
  page_stats->quarantined++;
  return TRUE;
}

static gboolean
commit_page_once (ActivityRun  *run,
                  const char   *object,
                  const char   *stream,
                  CpCrmPage    *page,
                  char        **cursor,
                  gboolean      guarded,
                  gboolean     *out_retry,
                  GError      **error)
{
  CpDatabase *database = cp_sync_store_get_database (run->store);
  g_autofree char *newest = g_strdup (*cursor);
  CpSyncStats page_stats = { 0 };

  if (!cp_database_begin (database, error))
    return FALSE;
  for (guint i = 0; i < page->records->len; i++)
    {
      CpCrmRecord *record = page->records->pdata[i];
      gboolean kept = FALSE;

      if (!apply_engagement (run, object, record, guarded, &page_stats, out_retry, &kept, error))
        goto fail;
      if (_cp_crm_cursor_compare (record->cursor, newest) > 0)
        {
          g_free (newest);
          newest = g_strdup (record->cursor);
        }
    }
  /* The cursor moves with the page: a crash resumes after what committed. */
  if (newest != NULL && !cp_sync_store_set_cursor (run->store, stream, newest, error))
    goto fail;
  if (!cp_database_commit (database, error))
    return FALSE;

  run->stats->activities += page_stats.activities;
  run->stats->quarantined += page_stats.quarantined;
  for (guint i = 0; i < page->records->len; i++)
    g_hash_table_add (run->touched, g_strconcat (object, "/",
                                                 ((CpCrmRecord *) page->records->pdata[i])->remote_id,
                                                 NULL));
  g_free (*cursor);
  *cursor = g_steal_pointer (&newest);
  return TRUE;

fail:
  cp_database_rollback (database);
  return FALSE;
}

/* A page is recorded whole in one transaction; only when an engagement of
 * it is refused is it redone engagement by engagement. */
static gboolean
pull_object (ActivityRun  *run,
             const char   *object,
             GError      **error)
{
  g_autofree char *stream = g_strconcat (STREAM_PREFIX, object, NULL);
  g_autofree char *cursor = cp_sync_store_get_cursor (run->store, stream);
  g_autofree char *token = NULL;

  for (;;)
    {
      g_autoptr(CpCrmPage) page = NULL;
      gboolean retry = FALSE;

      page = cp_crm_backend_pull_activity_page (run->backend, object, cursor, token,
                                                run->cancellable, error);
      if (page == NULL)
        return FALSE;
      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;
      if (!commit_page_once (run, object, stream, page, &cursor, FALSE, &retry, error) &&
          (!retry || !commit_page_once (run, object, stream, page, &cursor, TRUE, &retry, error)))
        return FALSE;
      if (page->next_page == NULL)
        return TRUE;
      g_free (token);
      token = g_strdup (page->next_page);
    }
}

/* The engagements kept earlier are tried again (a contact may have been
 * linked since, the playbook changed), each in its own transaction. */
static gboolean
retry_kept (ActivityRun  *run,
            GError      **error)
{
  CpDatabase *database = cp_sync_store_get_database (run->store);
  g_autoptr(GPtrArray) kept = cp_sync_store_list_rejects (run->store, FALSE, error);

  if (kept == NULL)
    return FALSE;
  for (guint i = 0; i < kept->len; i++)
    {
      CpSyncReject *reject = kept->pdata[i];
      g_autofree char *key = g_strconcat (reject->entity, "/", reject->remote_id, NULL);
      g_autoptr(CpCrmRecord) record = NULL;
      g_autoptr(GError) local_error = NULL;
      CpSyncStats stats = { 0 };
      gboolean still_kept = FALSE;

      /* Submissions and participations: cp-sync-form-pull.c retries them. */
      if (g_strcmp0 (reject->entity, CP_SYNC_ENTITY_CONTACT) == 0 ||
          _cp_sync_is_marketing_entity (reject->entity) ||
          g_hash_table_contains (run->touched, key))
        continue;
      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;
      record = _cp_sync_record_from_payload (reject->remote_id, reject->remote_updated_at,
                                             reject->payload, &local_error);
      if (record == NULL)
        continue;   /* cannot happen with what we wrote: it stays listed */
      if (!cp_database_begin (database, error))
        return FALSE;
      if (!apply_engagement (run, reject->entity, record, TRUE, &stats, NULL, &still_kept, error))
        {
          cp_database_rollback (database);
          return FALSE;
        }
      if (!cp_database_commit (database, error))
        return FALSE;
      run->stats->activities += stats.activities;
      if (!still_kept)
        run->stats->recovered++;
    }
  return TRUE;
}

/**
 * _cp_sync_pull_activities:
 * @stats: the run's counters: activities, quarantined and recovered grow
 *
 * Pulls the engagements of every type the backend knows, then retries the
 * engagements kept earlier, then (HubSpot) form submissions and event
 * participations. Backends without engagements do nothing.
 */
gboolean
_cp_sync_pull_activities (CpSyncStore   *store,
                          CpCrmBackend  *backend,
                          CpSyncStats   *stats,
                          GCancellable  *cancellable,
                          GError       **error)
{
  const char * const *objects = cp_crm_backend_get_activity_objects (backend);
  g_autoptr(GHashTable) touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ActivityRun run = { store, backend, stats, cancellable, touched };

  if (objects == NULL)
    return TRUE;
  for (guint i = 0; objects[i] != NULL; i++)
    if (!pull_object (&run, objects[i], error))
      return FALSE;
  return retry_kept (&run, error) &&
         _cp_sync_pull_marketing (store, backend, stats, cancellable, error);
}
