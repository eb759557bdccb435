/* cp-sync-form-pull.c — form submissions and marketing-event participations pulled as activities
 *
 * After the engagements, a HubSpot account's form submissions become
 * form fills and its marketing-event participations webinar or event
 * activities, through the same write path (cp_sync_store_record_activity())
 * as engagements: rescoring, automation, audit. A submission names no
 * contact, so its lead is the one with its email (the identity code's
 * email key); a participation names its contact, linked here or not, so
 * the linked lead comes first, then the email.
 *
 * Submissions come newest first: each form has its cursor ("forms:GUID",
 * the newest submittedAt recorded), and its pages are read until one
 * older than the cursor. The cursor moves only once the form is read to
 * there, so a crash halfway reads it again next time, recording nothing
 * twice (external ids). An event's cursor ("events:ID") is its counters:
 * unchanged, its breakdown is not read again (see cp-hubspot-events.c).
 *
 * One that Carepath cannot record (no lead has the email, several do, a
 * state it does not know) is kept with its reason among the records not
 * applied, like a refused engagement, and tried again at every sync.
 * A 403 (the private app lacks the scope) stops only its own part: the
 * other part still runs, and the run then fails saying which scope is
 * missing — contacts and engagements were received before.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cp-core-error.h"
#include "cp-crm-backend-private.h"
#include "cp-hubspot-backend.h"
#include "cp-hubspot-forms.h"
#include "cp-normalize.h"
#include "cp-store-error.h"
#include "cp-sync-error.h"
#include "cp-sync-form-pull.h"
#include "cp-sync-quarantine.h"

typedef struct
{
  CpSyncStore  *store;
  CpCrmClient  *client;
  CpSyncStats  *stats;
  GCancellable *cancellable;
  GHashTable   *touched;     /* "entity/remote id" this run read */
} MarketingRun;

gboolean
_cp_sync_is_marketing_entity (const char *entity)
{
  return g_strcmp0 (entity, CP_HUBSPOT_FORM_ENTITY) == 0 ||
         g_strcmp0 (entity, CP_HUBSPOT_EVENT_ENTITY) == 0;
}

/* The one lead with @email's key; a refusal when none or several have it. */
static char *
lead_by_email (MarketingRun  *run,
               const char    *email,
               GError       **error)
{
  g_autoptr(CpLead) person = cp_lead_new ();
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GPtrArray) by_email = g_ptr_array_new ();

  if (email == NULL)
    {
      g_set_error_literal (error, CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED,
                           _("It has no email, and Carepath finds its lead by email."));
      return NULL;
    }
  cp_lead_set_text (person, CP_LEAD_FIELD_EMAIL, email);
  candidates = cp_lead_store_find_duplicates (cp_sync_store_get_lead_store (run->store), person,
                                              error);
  if (candidates == NULL)
    return NULL;
  for (guint i = 0; i < candidates->len; i++)
    {
      CpDuplicateCandidate *candidate = candidates->pdata[i];

      if (candidate->kinds & (1u << CP_MATCH_EMAIL))
        g_ptr_array_add (by_email, candidate->lead_id);
    }
  if (by_email->len == 1)
    return g_strdup (by_email->pdata[0]);
  if (by_email->len == 0)
    g_set_error_literal (error, CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED,
                         _("No lead here has its email."));
  else
    g_set_error_literal (error, CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED,
                         _("Several leads here have its email: none is guessed; merge them."));
  return NULL;
}

/* The lead of the linked contact the record names, else by its email. */
static char *
lead_for_record (MarketingRun       *run,
                 const CpCrmRecord  *record,
                 GError            **error)
{
  const char *contact = g_hash_table_lookup (record->properties, CP_HUBSPOT_P_CONTACT);

  if (contact != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      char *lead_id = cp_sync_store_find_lead (run->store, contact, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (lead_id != NULL)
        return lead_id;
    }
  return lead_by_email (run, g_hash_table_lookup (record->properties, CP_HUBSPOT_P_EMAIL), error);
}

/* Records @record's activity, if it brings one; *out_new when recorded now. */
static gboolean
record_one (MarketingRun  *run,
            const char    *entity,
            CpCrmRecord   *record,
            gboolean      *out_new,
            GError       **error)
{
  g_autoptr(CpActivity) activity = cp_activity_new ();
  g_autofree char *lead_id = NULL;
  gboolean recorded = TRUE;

  if (g_str_equal (entity, CP_HUBSPOT_FORM_ENTITY)
      ? !_cp_hubspot_form_activity (record, activity, error)
      : !_cp_hubspot_participation_activity (record, &recorded, activity, error))
    return FALSE;
  if (!recorded)
    return TRUE;
  lead_id = lead_for_record (run, record, error);
  if (lead_id == NULL)
    return FALSE;
  cp_activity_set_lead_id (activity, lead_id);
  return cp_sync_store_record_activity (run->store, activity, out_new, error);
}

/* One record, in a savepoint of its own: recorded, or kept with why.
 * Must run inside a transaction. */
static gboolean
apply_record (MarketingRun  *run,
              const char    *entity,
              CpCrmRecord   *record,
              CpSyncStats   *page_stats,
              gboolean      *out_kept,
              GError       **error)
{
  CpDatabase *database = cp_sync_store_get_database (run->store);
  g_autoptr(GError) refusal = NULL;
  g_autofree char *payload = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean is_new = FALSE;

  *out_kept = FALSE;
  if (!cp_database_begin (database, error))
    return FALSE;
  if (record_one (run, entity, record, &is_new, &refusal))
    {
      if (!cp_sync_store_resolve_record (run->store, entity, record->remote_id, now, error))
        {
          cp_database_rollback (database);
          return FALSE;
        }
      if (is_new)
        page_stats->activities++;
      return cp_database_commit (database, error);
    }
  cp_database_rollback (database);
  if (!_cp_sync_is_refusal (refusal))
    {
      g_propagate_error (error, g_steal_pointer (&refusal));
      return FALSE;
    }
  payload = _cp_sync_record_to_payload (record);
  if (!cp_sync_store_keep_record (run->store, entity, record->remote_id, record->updated_at,
                                  payload, refusal->message, now, error))
    return FALSE;
  /* Only the form's or event's id: the rest of the record's id derives
   * from a person (an email's hash, a contact). */
  g_message ("CRM %s of %.*s kept, not recorded: %s", entity,
             (int) strcspn (record->remote_id, ":"), record->remote_id,
             refusal->domain == CP_SYNC_ERROR ? "no lead found or not understood"
                                              : _cp_sync_refusal_kind (refusal));
  page_stats->quarantined++;
  *out_kept = TRUE;
  return TRUE;
}

/* A page in one transaction. With @seen, records older than it end the
 * page and set *out_reached (newest-first lists). */
static gboolean
apply_page (MarketingRun  *run,
            const char    *entity,
            CpCrmPage     *page,
            const char    *seen,
            char         **newest,
            gboolean      *out_reached,
            GError       **error)
{
  CpDatabase *database = cp_sync_store_get_database (run->store);
  CpSyncStats page_stats = { 0 };
  guint applied = 0;

  if (!cp_database_begin (database, error))
    return FALSE;
  for (; applied < page->records->len; applied++)
    {
      CpCrmRecord *record = page->records->pdata[applied];
      gboolean kept;

      if (seen != NULL && _cp_crm_cursor_compare (record->cursor, seen) < 0)
        {
          *out_reached = TRUE;
          break;
        }
      if (!apply_record (run, entity, record, &page_stats, &kept, error))
        {
          cp_database_rollback (database);
          return FALSE;
        }
      if (_cp_crm_cursor_compare (record->cursor, *newest) > 0)
        {
          g_free (*newest);
          *newest = g_strdup (record->cursor);
        }
    }
  if (!cp_database_commit (database, error))
    return FALSE;
  run->stats->activities += page_stats.activities;
  run->stats->quarantined += page_stats.quarantined;
  for (guint i = 0; i < applied; i++)
    g_hash_table_add (run->touched,
                      g_strconcat (entity, "/", ((CpCrmRecord *) page->records->pdata[i])->remote_id,
                                   NULL));
  return TRUE;
}

static gboolean
save_cursor (MarketingRun  *run,
             const char    *stream,
             const char    *cursor,
             GError       **error)
{
  CpDatabase *database = cp_sync_store_get_database (run->store);

  if (!cp_database_begin (database, error))
    return FALSE;
  if (!cp_sync_store_set_cursor (run->store, stream, cursor, error))
    {
      cp_database_rollback (database);
      return FALSE;
    }
  return cp_database_commit (database, error);
}

/* A form's submissions newer than its cursor, newest first. */
static gboolean
pull_form (MarketingRun           *run,
           const CpHubspotSource  *form,
           GError                **error)
{
  g_autofree char *stream = g_strconcat ("forms:", form->id, NULL);
  g_autofree char *seen = cp_sync_store_get_cursor (run->store, stream);
  g_autofree char *newest = g_strdup (seen);
  g_autofree char *after = NULL;
  gboolean reached = FALSE;

  do
    {
      g_autoptr(CpCrmPage) page = _cp_hubspot_submissions_page (run->client, form, after,
                                                                run->cancellable, error);

      if (page == NULL || g_cancellable_set_error_if_cancelled (run->cancellable, error) ||
          !apply_page (run, CP_HUBSPOT_FORM_ENTITY, page, seen, &newest, &reached, error))
        return FALSE;
      g_free (after);
      after = g_steal_pointer (&page->next_page);
    }
  while (after != NULL && !reached);
  if (newest == NULL || g_strcmp0 (newest, seen) == 0)
    return TRUE;
  return save_cursor (run, stream, newest, error);
}

/* An event's breakdown, unless its counters are what they were. */
static gboolean
pull_event (MarketingRun           *run,
            const CpHubspotSource  *event,
            GError                **error)
{
  g_autofree char *stream = g_strconcat ("events:", event->id, NULL);
  g_autofree char *seen = cp_sync_store_get_cursor (run->store, stream);
  g_autofree char *counters = _cp_hubspot_event_counters (run->client, event, run->cancellable,
                                                          error);
  g_autofree char *newest = NULL;
  g_autofree char *after = NULL;
  gboolean reached = FALSE;

  if (counters == NULL)
    return FALSE;
  if (g_strcmp0 (counters, seen) == 0)
    return TRUE;
  do
    {
      g_autoptr(CpCrmPage) page = _cp_hubspot_participations_page (run->client, event, after,
                                                                   run->cancellable, error);

      if (page == NULL || g_cancellable_set_error_if_cancelled (run->cancellable, error) ||
          !apply_page (run, CP_HUBSPOT_EVENT_ENTITY, page, NULL, &newest, &reached, error))
        return FALSE;
      g_free (after);
      after = g_steal_pointer (&page->next_page);
    }
  while (after != NULL);
  return save_cursor (run, stream, counters, error);
}

static gboolean
pull_forms (MarketingRun  *run,
            GError       **error)
{
  g_autoptr(GPtrArray) forms = _cp_hubspot_list_forms (run->client, run->cancellable, error);

  if (forms == NULL)
    return FALSE;
  for (guint i = 0; i < forms->len; i++)
    if (!pull_form (run, forms->pdata[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
pull_events (MarketingRun  *run,
             GError       **error)
{
  g_autoptr(GPtrArray) events = _cp_hubspot_list_events (run->client, run->cancellable, error);

  if (events == NULL)
    return FALSE;
  for (guint i = 0; i < events->len; i++)
    if (!pull_event (run, events->pdata[i], error))
      return FALSE;
  return TRUE;
}

/* The submissions and participations kept earlier and not read again
 * this run are tried again (a lead may have this email since). */
static gboolean
retry_kept (MarketingRun  *run,
            GError       **error)
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
      CpSyncStats stats = { 0 };
      gboolean still_kept = FALSE;

      if (!_cp_sync_is_marketing_entity (reject->entity) ||
          g_hash_table_contains (run->touched, key))
        continue;
      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;
      record = _cp_sync_record_from_payload (reject->remote_id, reject->remote_updated_at,
                                             reject->payload, NULL);
      if (record == NULL)
        continue;   /* cannot happen with what we wrote: it stays listed */
      if (!cp_database_begin (database, error))
        return FALSE;
      if (!apply_record (run, reject->entity, record, &stats, &still_kept, error))
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

/* A 403 is a missing scope, named in @missing; anything else stops. */
static gboolean
note_forbidden (GError    **local_error,
                GString    *missing,
                const char *what)
{
  if (!g_error_matches (*local_error, CP_SYNC_ERROR, CP_SYNC_ERROR_FORBIDDEN))
    return FALSE;
  g_string_append_printf (missing, "%s%s", missing->len > 0 ? " " : "", what);
  g_clear_error (local_error);
  return TRUE;
}

/**
 * _cp_sync_pull_marketing:
 * @stats: the run's counters: activities, quarantined and recovered grow
 *
 * Pulls HubSpot's form submissions and marketing-event participations as
 * activities, then retries those kept earlier. Other backends have none.
 * Returns: %FALSE with %CP_SYNC_ERROR_FORBIDDEN naming the missing scopes
 *   when HubSpot refused a part (the rest was pulled), or with the error
 *   that stopped the pull
 */
gboolean
_cp_sync_pull_marketing (CpSyncStore   *store,
                         CpCrmBackend  *backend,
                         CpSyncStats   *stats,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GHashTable) touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  MarketingRun run = { store, NULL, stats, cancellable, touched };

  if (!CP_IS_HUBSPOT_BACKEND (backend))
    return TRUE;
  run.client = cp_crm_backend_get_client (backend);

  if (!pull_forms (&run, &local_error) &&
      !note_forbidden (&local_error, missing,
                       _("Form submissions were not received: the private app lacks the forms "
                         "scope.")))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!pull_events (&run, &local_error) &&
      !note_forbidden (&local_error, missing,
                       _("Marketing-event attendance was not received: the private app lacks the "
                         "crm.objects.marketing_events.read scope.")))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!retry_kept (&run, error))
    return FALSE;
  if (missing->len == 0)
    return TRUE;
  g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_FORBIDDEN,
               _("%s Add the scope to the private app in HubSpot (Settings › Integrations › "
                 "Private apps); contacts and engagements were received."), missing->str);
  return FALSE;
}
