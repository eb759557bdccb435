/* cp-sync-engine.c — one sync run: pull, deletions, push, with three-way merge
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-crm-mapping.h"
#include "cp-sync-activity-pull.h"
#include "cp-sync-engine.h"
#include "cp-sync-error.h"
#include "cp-sync-quarantine.h"

#define PULL_STREAM "contacts"

struct _CpSyncEngine
{
  GObject       parent_instance;

  char         *database_path;
  CpCrmBackend *backend;
};

G_DEFINE_FINAL_TYPE (CpSyncEngine, cp_sync_engine, G_TYPE_OBJECT)

enum
{
  PROGRESS,
  PAGE_FETCHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What one run works with: its own connection, stores and counters. */
typedef struct
{
  CpSyncEngine  *engine;
  CpSyncStore   *store;
  CpCrmBackend  *backend;
  CpSyncStats    stats;
  GCancellable  *cancellable;
  GMainContext  *progress_context;   /* NULL: emit progress in the running thread */
  guint          page_conflicts;     /* counted when the page commits */
  GHashTable    *kept;               /* remote id → CpSyncReject: kept records, retried after the pull */
  GHashTable    *touched;            /* remote ids this run's pull applied or kept */
} Run;

static gboolean
blank (const char *value)
{
  return value == NULL || *value == '\0';
}

static gboolean
same_value (const char *a,
            const char *b)
{
  return (blank (a) && blank (b)) || g_strcmp0 (a, b) == 0;
}

/**
 * cp_sync_merge_value:
 *
 * Three-way merge of one field; empty and missing are the same value.
 */
CpMergeOutcome
cp_sync_merge_value (const char *base,
                     const char *local,
                     const char *remote)
{
  if (same_value (local, remote))
    return CP_MERGE_SAME;
  if (same_value (local, base))
    return CP_MERGE_TAKE_REMOTE;
  if (same_value (remote, base))
    return CP_MERGE_KEEP_LOCAL;
  return CP_MERGE_CONFLICT;
}

/* Cursors are numbers (HubSpot, ms) or “YYYY-MM-DD HH:mm:ss” (EspoCRM):
 * both order by length, then text. */
static int
compare_cursor (const char *a,
                const char *b)
{
  if (a == NULL || b == NULL)
    return (a != NULL) - (b != NULL);
  if (strlen (a) != strlen (b))
    return strlen (a) < strlen (b) ? -1 : 1;
  return strcmp (a, b);
}

typedef struct
{
  CpSyncEngine *engine;
  char         *phase;
  guint         done;
} ProgressData;

static gboolean
emit_progress_cb (gpointer user_data)
{
  ProgressData *data = user_data;

  g_signal_emit (data->engine, signals[PROGRESS], 0, data->phase, data->done);
  g_object_unref (data->engine);
  g_free (data->phase);
  g_free (data);
  return G_SOURCE_REMOVE;
}

static void
report_progress (Run        *run,
                 const char *phase,
                 guint       done)
{
  ProgressData *data = g_new0 (ProgressData, 1);

  data->engine = g_object_ref (run->engine);
  data->phase = g_strdup (phase);
  data->done = done;
  if (run->progress_context != NULL)
    g_main_context_invoke (run->progress_context, emit_progress_cb, data);
  else
    emit_progress_cb (data);
}

/* The lead's mapped fields as CRM values (stage through the stage map). */
static GHashTable *
local_properties (Run    *run,
                  CpLead *lead)
{
  GHashTable *properties = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  guint n = 0;
  const CpCrmFieldMap *map = cp_crm_backend_get_field_map (run->backend, &n);

  for (guint i = 0; i < n; i++)
    {
      char *value = map[i].field == CP_LEAD_FIELD_STAGE
                    ? cp_crm_backend_stage_to_remote (run->backend, cp_lead_get_stage (lead))
                    : cp_lead_dup_field_string (lead, map[i].field);

      if (blank (value))
        g_free (value);
      else
        g_hash_table_insert (properties, (gpointer) map[i].property, value);
    }

  return properties;
}

/* The record's mapped properties: the base the next merge compares with. */
static GHashTable *
mapped_base (Run         *run,
             CpCrmRecord *record)
{
  GHashTable *base = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint n = 0;
  const CpCrmFieldMap *map = cp_crm_backend_get_field_map (run->backend, &n);

  for (guint i = 0; i < n; i++)
    {
      const char *value = g_hash_table_lookup (record->properties, map[i].property);
      if (!blank (value))
        g_hash_table_insert (base, g_strdup (map[i].property), g_strdup (value));
    }

  return base;
}

/* Writes a CRM value into @lead's field. A stage option of the CRM that
 * maps to no Carepath stage leaves the stage alone; a value that is not
 * even an option is an error: the record is kept until someone maps it. */
static gboolean
set_from_remote (Run           *run,
                 CpLead        *lead,
                 CpLeadField    field,
                 const char    *value,
                 GError       **error)
{
  if (field == CP_LEAD_FIELD_STAGE)
    {
      g_autofree char *stage = NULL;

      if (blank (value))
        return TRUE;   /* cleared in the CRM: every lead has a stage here */
      stage = cp_crm_backend_stage_from_remote (run->backend, value);
      if (stage == NULL && cp_crm_backend_stage_is_option (run->backend, value))
        return TRUE;
      if (stage == NULL)
        {
          g_set_error (error, CP_SYNC_ERROR, CP_SYNC_ERROR_REJECTED,
                       _("The CRM's stage “%s” has no Carepath stage: map it in Preferences → "
                         "CRM, and the record is applied at the next sync."), value);
          return FALSE;
        }
      cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, stage);
      return TRUE;
    }

  return cp_lead_set_field_from_string (lead, field, blank (value) ? NULL : value, error);
}

static char *
local_value_of (Run        *run,
                CpLeadField field,
                const char *remote_value)
{
  if (field == CP_LEAD_FIELD_STAGE)
    {
      char *stage = cp_crm_backend_stage_from_remote (run->backend, remote_value);
      return stage != NULL ? stage : g_strdup (remote_value);
    }
  return g_strdup (remote_value);
}

static gboolean
insert_remote_lead (Run          *run,
                    CpCrmRecord  *record,
                    const char   *carepath_id,
                    GError      **error)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GHashTable) base = NULL;
  guint n = 0;
  const CpCrmFieldMap *map = cp_crm_backend_get_field_map (run->backend, &n);

  if (carepath_id != NULL && g_uuid_string_is_valid (carepath_id))
    cp_lead_set_text (lead, CP_LEAD_FIELD_ID, carepath_id);
  for (guint i = 0; i < n; i++)
    {
      const char *value = g_hash_table_lookup (record->properties, map[i].property);

      if (cp_lead_field_is_computed (map[i].field))
        continue;   /* the playbook computes it here: sent, never taken */
      if (!blank (value) && !set_from_remote (run, lead, map[i].field, value, error))
        return FALSE;
    }

  base = mapped_base (run, record);
  return cp_sync_store_insert_remote_lead (run->store, lead, error) &&
         cp_sync_store_set_link (run->store, cp_lead_get_id (lead), record->remote_id,
                                 record->updated_at, base, error);
}

/* Did the CRM change a mapped field since the link's base? */
static gboolean
remote_changed (Run         *run,
                CpSyncLink  *link,
                CpCrmRecord *record)
{
  guint n = 0;
  const CpCrmFieldMap *map = cp_crm_backend_get_field_map (run->backend, &n);

  for (guint i = 0; i < n; i++)
    if (!cp_lead_field_is_computed (map[i].field) &&
        !same_value (g_hash_table_lookup (link->base, map[i].property),
                     g_hash_table_lookup (record->properties, map[i].property)))
      return TRUE;
  return FALSE;
}

/* The CRM changed a contact merged into another lead here: what it
 * changed lands on the surviving lead (a value the survivor holds
 * differently becomes a conflict there), and the merged contact's
 * archive goes ahead with the new base. */
static gboolean
carry_onto_survivor (Run          *run,
                     CpCrmRecord  *record,
                     CpSyncLink   *link,
                     const char   *merged_id,
                     const char   *survivor_id,
                     GError      **error)
{
  g_autoptr(CpLead) survivor = cp_sync_store_load_lead (run->store, survivor_id, NULL, error);
  g_autoptr(CpLead) after = NULL;
  g_autoptr(GHashTable) local = NULL;
  g_autoptr(GHashTable) base = NULL;
  guint n = 0;
  const CpCrmFieldMap *map = cp_crm_backend_get_field_map (run->backend, &n);

  if (survivor == NULL)
    return FALSE;
  local = local_properties (run, survivor);
  after = cp_lead_copy (survivor);
  for (guint i = 0; i < n; i++)
    {
      const char *b = g_hash_table_lookup (link->base, map[i].property);
      const char *l = g_hash_table_lookup (local, map[i].property);
      const char *r = g_hash_table_lookup (record->properties, map[i].property);

      if (cp_lead_field_is_computed (map[i].field) || same_value (b, r) || same_value (l, r))
        continue;
      if (blank (l) || same_value (l, b))
        {
          if (!set_from_remote (run, after, map[i].field, r, error))
            return FALSE;
        }
      else
        {
          g_autofree char *base_value = local_value_of (run, map[i].field, b);
          g_autofree char *local_value = cp_lead_dup_field_string (survivor, map[i].field);
          g_autofree char *remote_value = local_value_of (run, map[i].field, r);
          gboolean is_new = FALSE;

          if (!cp_sync_store_add_conflict (run->store, survivor_id,
                                           cp_lead_field_info (map[i].field)->name, base_value,
                                           local_value, remote_value, record->updated_at, &is_new,
                                           error))
            return FALSE;
          if (is_new)
            run->page_conflicts++;
        }
    }

  base = mapped_base (run, record);
  return cp_sync_store_carry_remote_edit (run->store, after, merged_id, error) &&
         cp_sync_store_set_link (run->store, merged_id, record->remote_id, record->updated_at, base,
                                 error);
}

/* Applies one pulled record inside the page's transaction. */
static gboolean
apply_record (Run          *run,
              CpCrmRecord  *record,
              gboolean     *out_applied,
              GError      **error)
{
  const char *carepath_id = g_hash_table_lookup (record->properties,
                                                 cp_crm_backend_get_id_property (run->backend));
  g_autofree char *lead_id = NULL;
  g_autoptr(CpSyncLink) link = NULL;
  g_autoptr(CpLead) before = NULL;
  g_autoptr(CpLead) after = NULL;
  g_autoptr(GHashTable) local = NULL;
  g_autoptr(GHashTable) base = NULL;
  g_autoptr(GHashTable) open = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 deleted_at = 0;
  gboolean adopted = FALSE;
  guint n = 0;
  const CpCrmFieldMap *map = cp_crm_backend_get_field_map (run->backend, &n);

  lead_id = cp_sync_store_find_lead (run->store, record->remote_id, error);
  if (lead_id == NULL && error != NULL && *error != NULL)
    return FALSE;

  if (lead_id == NULL && carepath_id != NULL)
    {
      /* Pushed by us before the link was saved (the connection dropped
       * after the CRM committed): adopt it, never duplicate it. */
      g_autoptr(CpLead) existing = cp_sync_store_load_lead (run->store, carepath_id, NULL,
                                                            &local_error);
      if (existing != NULL)
        {
          lead_id = g_strdup (carepath_id);
          adopted = TRUE;
        }
      g_clear_error (&local_error);
    }

  if (lead_id == NULL)
    return insert_remote_lead (run, record, carepath_id, error);

  link = cp_sync_store_get_link (run->store, lead_id, error);
  if (link == NULL && error != NULL && *error != NULL)
    return FALSE;
  /* Seen already (overlapping pulls, our own push coming back). */
  if (link != NULL && !adopted && g_strcmp0 (link->remote_updated_at, record->updated_at) == 0)
    {
      *out_applied = FALSE;
      return TRUE;
    }

  before = cp_sync_store_load_lead (run->store, lead_id, &deleted_at, error);
  if (before == NULL)
    return FALSE;
  if (deleted_at != 0 && link != NULL)
    {
      g_autofree char *survivor = NULL;

      if (!remote_changed (run, link, record))
        {
          *out_applied = FALSE;
          return TRUE;   /* removed here: the pending removal archives it */
        }
      survivor = cp_sync_store_merged_into (run->store, lead_id, error);
      if (survivor == NULL)
        return FALSE;
      if (*survivor != '\0')
        return carry_onto_survivor (run, record, link, lead_id, survivor, error);
      /* Removed here, edited there since: the edit wins, the lead is back. */
      g_clear_object (&before);
      if (!cp_sync_store_restore_remote (run->store, lead_id, error))
        return FALSE;
      before = cp_sync_store_load_lead (run->store, lead_id, NULL, error);
      if (before == NULL)
        return FALSE;
    }

  local = local_properties (run, before);
  after = cp_lead_copy (before);
  open = cp_sync_store_open_conflict_fields (run->store, lead_id, error);
  if (open == NULL)
    return FALSE;
  /* A lead adopted without a link has no base: what the CRM holds is
   * what we pushed, so local changes since then are kept. */
  base = link != NULL && !adopted ? g_hash_table_ref (link->base) : mapped_base (run, record);

  for (guint i = 0; i < n; i++)
    {
      const char *b = g_hash_table_lookup (base, map[i].property);
      const char *l = g_hash_table_lookup (local, map[i].property);
      const char *r = g_hash_table_lookup (record->properties, map[i].property);
      const char *name = cp_lead_field_info (map[i].field)->name;

      if (cp_lead_field_is_computed (map[i].field))
        continue;
      switch (cp_sync_merge_value (b, l, r))
        {
        case CP_MERGE_TAKE_REMOTE:
          if (!set_from_remote (run, after, map[i].field, r, error))
            return FALSE;
          break;
        case CP_MERGE_CONFLICT:
          {
            g_autofree char *base_value = local_value_of (run, map[i].field, b);
            g_autofree char *local_value = cp_lead_dup_field_string (before, map[i].field);
            g_autofree char *remote_value = local_value_of (run, map[i].field, r);
            gboolean is_new = FALSE;

            if (!cp_sync_store_add_conflict (run->store, lead_id, name, base_value, local_value,
                                             remote_value, record->updated_at, &is_new, error))
              return FALSE;
            if (is_new)
              run->page_conflicts++;
          }
          break;
        case CP_MERGE_SAME:
        case CP_MERGE_KEEP_LOCAL:
        default:
          break;
        }
    }

  g_clear_pointer (&base, g_hash_table_unref);
  base = mapped_base (run, record);
  return cp_sync_store_apply_remote_edit (run->store, before, after, error) &&
         cp_sync_store_set_link (run->store, lead_id, record->remote_id, record->updated_at, base,
                                 error);
}

/* Keeps a record that could not be applied, with why in words; the log
 * names the kind of refusal only (the message may quote personal data). */
static gboolean
keep_record (Run           *run,
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

/* Applies one record. With @guarded, in a savepoint of its own: a record
 * that cannot be applied (say, an invalid email on the CRM) is rolled back
 * alone and kept with its reason (*out_kept), and the others go on.
 * Unguarded (the fast path), such a record makes this return FALSE with
 * *out_retry set. A kept record that now applies leaves the list. */
static gboolean
apply_one (Run          *run,
           CpCrmRecord  *record,
           gboolean      guarded,
           CpSyncStats  *page_stats,
           gboolean     *out_retry,
           gboolean     *out_kept,
           GError      **error)
{
  CpDatabase *database = cp_sync_store_get_database (run->store);
  g_autoptr(GError) local_error = NULL;
  gboolean applied = TRUE;

  if (out_kept != NULL)
    *out_kept = FALSE;
  if (guarded && !cp_database_begin (database, error))
    return FALSE;
  if (apply_record (run, record, &applied, &local_error))
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

  if (local_error->domain == CP_STORE_ERROR && local_error->code != CP_STORE_ERROR_INVALID &&
      local_error->code != CP_STORE_ERROR_NOT_FOUND)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!guarded)
    {
      *out_retry = TRUE;
      return FALSE;
    }
  if (!keep_record (run, record, local_error, error))
    return FALSE;
  if (out_kept != NULL)
    *out_kept = TRUE;
  page_stats->quarantined++;
  return TRUE;
}

static gboolean
commit_page_once (Run          *run,
                  CpCrmPage    *page,
                  char        **cursor,
                  gboolean      guarded,
                  gboolean     *out_retry,
                  GError      **error)
{
  CpDatabase *database = cp_sync_store_get_database (run->store);
  g_autofree char *newest = g_strdup (*cursor);
  CpSyncStats page_stats = { 0 };

  run->page_conflicts = 0;
  if (!cp_database_begin (database, error))
    return FALSE;
  for (guint i = 0; i < page->records->len; i++)
    {
      CpCrmRecord *record = page->records->pdata[i];

      if (!apply_one (run, record, guarded, &page_stats, out_retry, NULL, error))
        goto fail;
      if (compare_cursor (record->cursor, newest) > 0)
        {
          g_free (newest);
          newest = g_strdup (record->cursor);
        }
    }
  /* The cursor moves in the page's own transaction: after a crash, the
   * next pull starts exactly after what was committed. */
  if (newest != NULL && !cp_sync_store_set_cursor (run->store, PULL_STREAM, newest, error))
    goto fail;
  if (!cp_database_commit (database, error))
    return FALSE;

  run->stats.pulled += page_stats.pulled;
  run->stats.quarantined += page_stats.quarantined;
  run->stats.conflicts += run->page_conflicts;
  for (guint i = 0; i < page->records->len; i++)
    g_hash_table_add (run->touched, g_strdup (((CpCrmRecord *) page->records->pdata[i])->remote_id));
  g_free (*cursor);
  *cursor = g_steal_pointer (&newest);
  return TRUE;

fail:
  cp_database_rollback (database);
  return FALSE;
}

/* A page is applied whole in one transaction; only when a record of it
 * cannot be applied is it redone record by record. */
static gboolean
commit_page (Run          *run,
             CpCrmPage    *page,
             char        **cursor,
             GError      **error)
{
  gboolean retry = FALSE;

  if (commit_page_once (run, page, cursor, FALSE, &retry, error))
    return TRUE;
  if (!retry)
    return FALSE;
  return commit_page_once (run, page, cursor, TRUE, &retry, error);
}

/* Pages until the query is done. The backend pages on (modification
 * time, id), so a page always moves on whatever shares one timestamp;
 * its paging token is opaque here. */
static gboolean
pull (Run     *run,
      GError **error)
{
  g_autofree char *cursor = cp_sync_store_get_cursor (run->store, PULL_STREAM);
  g_autofree char *token = NULL;
  guint page_number = 0;

  for (;;)
    {
      g_autoptr(CpCrmPage) page = cp_crm_backend_pull_page (run->backend, cursor, token,
                                                            run->cancellable, error);
      if (page == NULL)
        return FALSE;

      g_signal_emit (run->engine, signals[PAGE_FETCHED], 0, page_number++);
      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;
      if (!commit_page (run, page, &cursor, error))
        return FALSE;
      report_progress (run, "pull", run->stats.pulled);

      if (page->next_page == NULL)
        return TRUE;
      g_free (token);
      token = g_strdup (page->next_page);
    }
}

/* Tries the kept records again (a rule or the stage map may have changed
 * since), each in its own transaction. One the CRM has sent a newer
 * version of since is done: that version was applied or kept instead. */
static gboolean
retry_kept (Run     *run,
            GError **error)
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
      if (link != NULL && compare_cursor (link->remote_updated_at, kept->remote_updated_at) >= 0)
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
      else if (!apply_one (run, record, TRUE, &stats, NULL, &still_kept, error))
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

static gboolean
pull_deletions (Run     *run,
                GError **error)
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

/* The change to send for one journalled lead, or NULL when there is
 * nothing to send (then the entry is confirmed right away). */
static CpCrmChange *
change_for (Run           *run,
            CpSyncPending *pending,
            GError       **error)
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

  local = local_properties (run, lead);
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
      if (change->remote_id == NULL ? !blank (l) : !same_value (l, b))
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
check_not_linked_elsewhere (Run             *run,
                            CpSyncPending   *pending,
                            CpCrmPushResult *result,
                            GError         **error)
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
record_results (Run        *run,
                GPtrArray  *changes,
                GPtrArray  *results,
                GHashTable *pending_by_lead,
                GError    **error)
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
            if (blank (value))
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

static gboolean
push (Run     *run,
      GError **error)
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
      report_progress (run, "push", run->stats.pushed);
    }

  return TRUE;
}


/* People erased here: their CRM contacts are deleted for good before
 * anything else goes out. One the CRM refuses stays queued; the log
 * names its id only. */
static gboolean
erase_remote (Run     *run,
              GError **error)
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

static gboolean
load_kept (Run     *run,
           GError **error)
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

/* Receiving and sending fail apart: a pull that cannot go on never
 * keeps local changes from going out, and each failure is named. */
static gboolean
run_all (Run     *run,
         GError **error)
{
  g_autoptr(GError) pull_error = NULL;
  g_autoptr(GError) push_error = NULL;

  if (!cp_crm_backend_read_schema (run->backend, run->cancellable, error))
    return FALSE;

  if (!load_kept (run, &pull_error) ||
      !pull (run, &pull_error) ||
      !pull_deletions (run, &pull_error) ||
      !retry_kept (run, &pull_error) ||
      !_cp_sync_pull_activities (run->store, run->backend, &run->stats, run->cancellable,
                                 &pull_error))
    run->stats.pull_failed = TRUE;
  if (g_error_matches (pull_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&pull_error));
      return FALSE;
    }
  if (!erase_remote (run, &push_error) || !push (run, &push_error))
    run->stats.push_failed = TRUE;

  if (pull_error == NULL && push_error == NULL)
    return TRUE;
  if (pull_error != NULL && push_error == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&pull_error), "%s",
                                  _("Receiving changes failed: "));
      return FALSE;
    }
  if (pull_error == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&push_error), "%s",
                                  _("Sending changes failed: "));
      return FALSE;
    }
  g_set_error (error, push_error->domain, push_error->code,
               _("Receiving changes failed: %s Sending changes failed: %s"),
               pull_error->message, push_error->message);
  return FALSE;
}

static gboolean
run_sync (CpSyncEngine  *self,
          GMainContext  *progress_context,
          CpSyncStats   *out_stats,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpLeadStore) leads = NULL;
  g_autoptr(CpSyncStore) store = NULL;
  g_autoptr(GError) failure = NULL;
  Run run = { 0 };
  gint64 run_id;
  gboolean ok;

  /* A connection of its own: sync runs off the main thread. */
  database = cp_database_open (self->database_path, error);
  if (database == NULL)
    return FALSE;
  /* The team's field and stage mapping, as saved in Preferences. */
  if (!cp_crm_mapping_apply (self->backend, database, error))
    return FALSE;
  leads = cp_lead_store_new (database);
  store = cp_sync_store_new (leads, cp_crm_backend_get_name (self->backend));

  run.engine = self;
  run.store = store;
  run.backend = self->backend;
  run.cancellable = cancellable;
  run.progress_context = progress_context;

  run_id = cp_sync_store_begin_run (store, error);
  if (run_id == 0)
    return FALSE;
  run.kept = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                    (GDestroyNotify) cp_sync_reject_free);
  run.touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  cp_database_set_bulk_writes (database, TRUE);
  ok = run_all (&run, &failure);
  cp_database_set_bulk_writes (database, FALSE);
  if (!cp_sync_store_finish_run (store, run_id, &run.stats, failure,
                                 ok ? NULL : cp_crm_client_get_last_correlation_id (
                                   cp_crm_backend_get_client (self->backend)),
                                 ok ? error : NULL))
    ok = FALSE;

  g_hash_table_unref (run.kept);
  g_hash_table_unref (run.touched);
  if (out_stats != NULL)
    *out_stats = run.stats;
  if (failure != NULL)
    g_propagate_error (error, g_steal_pointer (&failure));
  return ok && failure == NULL;
}

static void
cp_sync_engine_finalize (GObject *object)
{
  CpSyncEngine *self = CP_SYNC_ENGINE (object);

  g_clear_pointer (&self->database_path, g_free);
  g_clear_object (&self->backend);

  G_OBJECT_CLASS (cp_sync_engine_parent_class)->finalize (object);
}

static void
cp_sync_engine_class_init (CpSyncEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cp_sync_engine_finalize;

  /**
   * CpSyncEngine::progress:
   * @phase: "pull" or "push"
   * @done: records pulled, or changes pushed, so far
   *
   * Emitted in the thread that started the run.
   */
  signals[PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);

  /**
   * CpSyncEngine::page-fetched:
   * @page: the page's number in this run, from 0
   *
   * Emitted in the running thread after a page arrived and before it is
   * committed; cancelling here leaves the page uncommitted.
   */
  signals[PAGE_FETCHED] =
    g_signal_new ("page-fetched", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
cp_sync_engine_init (CpSyncEngine *self)
{
}

/**
 * cp_sync_engine_new:
 * @database_path: the database file; each run opens its own connection
 * @backend: the CRM
 */
CpSyncEngine *
cp_sync_engine_new (const char   *database_path,
                    CpCrmBackend *backend)
{
  CpSyncEngine *self;

  g_return_val_if_fail (database_path != NULL, NULL);
  g_return_val_if_fail (CP_IS_CRM_BACKEND (backend), NULL);

  self = g_object_new (CP_TYPE_SYNC_ENGINE, NULL);
  self->database_path = g_strdup (database_path);
  self->backend = g_object_ref (backend);
  return self;
}

CpCrmBackend *
cp_sync_engine_get_backend (CpSyncEngine *self)
{
  g_return_val_if_fail (CP_IS_SYNC_ENGINE (self), NULL);

  return self->backend;
}

/**
 * cp_sync_engine_run:
 * @out_stats: (out) (optional): what the run did, also on failure
 *
 * Reads the CRM's schema, pulls changes since the cursor page by page,
 * turns remote deletions into tombstones, then pushes the outbox. Blocks:
 * call it from a worker thread (or use cp_sync_engine_run_async()).
 */
gboolean
cp_sync_engine_run (CpSyncEngine  *self,
                    CpSyncStats   *out_stats,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_return_val_if_fail (CP_IS_SYNC_ENGINE (self), FALSE);

  return run_sync (self, NULL, out_stats, cancellable, error);
}

static void
run_in_thread_cb (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  CpSyncEngine *self = source_object;
  CpSyncStats *stats = task_data;
  GError *error = NULL;

  if (run_sync (self, g_task_get_context (task), stats, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
cp_sync_engine_run_async (CpSyncEngine        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CP_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_sync_engine_run_async);
  g_task_set_task_data (task, g_new0 (CpSyncStats, 1), g_free);
  g_task_run_in_thread (task, run_in_thread_cb);
}

gboolean
cp_sync_engine_run_finish (CpSyncEngine  *self,
                           GAsyncResult  *result,
                           CpSyncStats   *out_stats,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (out_stats != NULL)
    *out_stats = *(CpSyncStats *) g_task_get_task_data (G_TASK (result));
  return g_task_propagate_boolean (G_TASK (result), error);
}
