/* cp-person-erase.c — erasing a person's personal data everywhere the database keeps it
 *
 * One transaction clears the person's lead rows (kept as tombstones, so
 * counts and the funnel stay right), custom fields, activity details,
 * search index entries, merge snapshots, quarantined CRM records, unsent
 * changes and open conflicts, and redacts the values of the audit trail
 * and the reasons of the stage history. The append-only triggers allow
 * the redaction only to the leads this erasure granted itself in
 * `redaction_grants` (see migration 12 in cp-schema.c), and only as a loss
 * of values; the grants are gone before the COMMIT, which fails otherwise.
 * Linked CRM contacts get an outbox entry `erase` for the sync engine.
 *
 * Then, outside the transaction: VACUUM (with secure_delete on) so no free
 * page keeps old rows, a TRUNCATE checkpoint so the write-ahead log keeps
 * no old page, and the migration backups (`DB.bak-vN`, copies of the whole
 * database from before an upgrade) are deleted: they cannot be corrected
 * in place.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-person-erase"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cp-database-private.h"
#include "cp-lead-store-private.h"
#include "cp-person-erase.h"
#include "cp-person-private.h"
#include "cp-report-store.h"

void
cp_erasure_preview_free (CpErasurePreview *preview)
{
  if (preview == NULL)
    return;
  g_free (preview->lead_id);
  g_free (preview->display_name);
  g_strfreev (preview->crm_backends);
  g_free (preview);
}

/**
 * cp_person_list_backups:
 *
 * Returns: (transfer full) (element-type filename): the paths of the
 *   copies made before schema upgrades (`DB.bak-vN`) beside the database
 */
GPtrArray *
cp_person_list_backups (CpDatabase *database)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  const char *path;
  g_autofree char *dir_name = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (CP_IS_DATABASE (database), NULL);

  path = cp_database_get_path (database);
  dir_name = g_path_get_dirname (path);
  {
    g_autofree char *base = g_path_get_basename (path);
    prefix = g_strconcat (base, ".bak-v", NULL);
  }
  dir = g_dir_open (dir_name, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix))
      g_ptr_array_add (paths, g_build_filename (dir_name, name, NULL));
  return g_steal_pointer (&paths);
}

/**
 * cp_person_erase_preview:
 *
 * Counts what cp_person_erase() would remove, for a confirmation that
 * names it. Refuses what cp_person_erase() refuses.
 *
 * Returns: (transfer full): the preview, or %NULL with @error
 */
CpErasurePreview *
cp_person_erase_preview (CpLeadStore  *store,
                         const char   *lead_id,
                         GError      **error)
{
  g_autoptr(CpErasurePreview) preview = NULL;
  g_autoptr(GPtrArray) person = NULL;
  g_autoptr(GPtrArray) backends = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_auto(CpPersonBinds) binds = { 0, };
  CpDatabase *database;
  gint64 count;
  struct { const char *sql; guint *out; } counts[5];

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), NULL);
  g_return_val_if_fail (lead_id != NULL, NULL);

  database = cp_lead_store_get_database (store);
  if (!_cp_person_check_erasable (database, lead_id, error))
    return NULL;
  person = _cp_person_scope (database, lead_id, error);
  if (person == NULL || !_cp_person_binds_init (&binds, database, person, cp_lead_store_now (store), error))
    return NULL;

  preview = g_new0 (CpErasurePreview, 1);
  preview->lead_id = g_strdup (lead_id);
  preview->n_leads = person->len;
  for (guint i = 0; i < person->len; i++)
    {
      g_autoptr(CpLead) lead = _cp_lead_store_load (store, person->pdata[i], NULL, error);

      if (lead == NULL)
        return NULL;
      if (i == 0)
        preview->display_name = cp_lead_dup_display_name (lead);
      for (CpLeadField f = 0; f < CP_LEAD_N_FIELDS; f++)
        {
          g_autofree char *value = NULL;

          if (_cp_person_field_is_kept (f) || !_cp_person_field_is_text (f))
            continue;
          value = cp_lead_dup_field_string (lead, f);
          preview->n_fields += value != NULL && *value != '\0';
        }
    }

  counts[0].sql = "SELECT count(*) FROM lead_custom_fields WHERE lead_id IN " PERSON_IDS;
  counts[0].out = &preview->n_custom_fields;
  counts[1].sql = "SELECT count(*) FROM activities"
                  " WHERE lead_rowid IN (SELECT rowid FROM leads WHERE id IN " PERSON_IDS ")";
  counts[1].out = &preview->n_activities;
  counts[2].sql = "SELECT (SELECT count(*) FROM audit_log WHERE entity = 'lead'"
                  "        AND entity_id IN " PERSON_IDS ")"
                  " + (SELECT count(*)" CP_RESCORE_CHANGES_OF_LEADS " WHERE l.id IN " PERSON_IDS ")"
                  " + (SELECT count(*) FROM stage_events WHERE lead_id IN " PERSON_IDS ")";
  counts[2].out = &preview->n_history;
  counts[3].sql = "SELECT count(*) FROM merges WHERE keep_id IN " PERSON_IDS
                  " OR other_id IN " PERSON_IDS;
  counts[3].out = &preview->n_merges;
  counts[4].sql = "SELECT (SELECT count(*) FROM outbox WHERE entity = 'lead'"
                  "        AND entity_id IN " PERSON_IDS ")"
                  " + (SELECT count(*) FROM sync_conflicts WHERE lead_id IN " PERSON_IDS
                  "    AND resolved_at = 0)"
                  " + (SELECT count(*) FROM sync_rejects r WHERE EXISTS (SELECT 1 FROM sync_links s"
                  "    WHERE s.lead_id IN " PERSON_IDS " AND s.backend = r.backend"
                  "    AND s.remote_id = r.remote_id))";
  counts[4].out = &preview->n_sync_records;
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      count = _cp_person_select_count (database, counts[i].sql, &binds, error);
      if (count < 0)
        return NULL;
      *counts[i].out = (guint) count;
    }

  backends = _cp_person_select_strings (database,
                             "SELECT backend FROM sync_links WHERE lead_id IN " PERSON_IDS
                             " AND remote_id IS NOT NULL ORDER BY backend",
                             &binds, NULL, error);
  if (backends == NULL)
    return NULL;
  g_ptr_array_add (backends, NULL);
  preview->crm_backends = (GStrv) g_ptr_array_steal (backends, NULL);

  backups = cp_person_list_backups (database);
  preview->n_backups = backups->len;

  return g_steal_pointer (&preview);
}

/* UPDATE of the person's lead rows: every field not kept is cleared, and
 * the bookkeeping derived from them (match keys, account link). */
static char *
tombstone_sql (void)
{
  GString *sql = g_string_new ("UPDATE leads SET ");

  for (CpLeadField f = 0; f < CP_LEAD_N_FIELDS; f++)
    {
      if (_cp_person_field_is_kept (f))
        continue;
      g_string_append_printf (sql, "%s = %s, ", cp_lead_field_info (f)->name,
                              _cp_person_field_is_text (f) ? "NULL" : "0");
    }
  g_string_append (sql,
                   "email_key = NULL, phone_key = NULL, name_key = NULL, location_key = NULL,"
                   " account_id = NULL, remote_id = NULL, remote_updated_at = NULL,"
                   " deleted_at = CASE WHEN deleted_at = 0 THEN " P_NOW " ELSE deleted_at END,"
                   " updated_at = " P_NOW ", erased_at = " P_NOW
                   " WHERE id IN " PERSON_IDS);
  return g_string_free (sql, FALSE);
}

/* Every value the person's records hold outside the fields kept: what
 * their partners' history is redacted of. */
static char *
person_values_cte (void)
{
  GString *sql = g_string_new ("WITH person_values (v) AS ("
                               "SELECT old_value FROM audit_log WHERE entity = 'lead'"
                               " AND entity_id IN " PERSON_IDS " AND " PERSONAL_FIELD
                               " UNION SELECT new_value FROM audit_log WHERE entity = 'lead'"
                               " AND entity_id IN " PERSON_IDS " AND " PERSONAL_FIELD
                               " UNION SELECT value FROM lead_custom_fields"
                               " WHERE lead_id IN " PERSON_IDS
                               " UNION SELECT value FROM merge_snapshots"
                               " WHERE lead_id IN " PERSON_IDS " AND " PERSONAL_FIELD);

  for (CpLeadField f = 0; f < CP_LEAD_N_FIELDS; f++)
    if (!_cp_person_field_is_kept (f) && _cp_person_field_is_text (f))
      g_string_append_printf (sql, " UNION SELECT %s FROM leads WHERE id IN " PERSON_IDS,
                              cp_lead_field_info (f)->name);
  g_string_append (sql, ") ");
  return g_string_free (sql, FALSE);
}

static gboolean
grant_redaction (CpDatabase   *database,
                 const CpPersonBinds  *binds,
                 GError      **error)
{
  return _cp_person_run (database,
              "INSERT INTO redaction_grants (lead_id, erasure_id, person)"
              " SELECT value, " P_ERASURE ", 1 FROM json_each (" P_PERSON ")",
              binds, NULL, error) &&
         _cp_person_run (database,
              "INSERT INTO redaction_grants (lead_id, erasure_id, person)"
              " SELECT value, " P_ERASURE ", 0 FROM json_each (" P_PARTNER ")",
              binds, NULL, error);
}

/* The erasure's log row, which the redaction grants refer to. */
static gboolean
log_erasure (CpDatabase       *database,
             const char       *lead_id,
             const char       *actor,
             const char       *reason,
             GPtrArray        *person,
             CpPersonBinds    *binds,
             CpErasureResult  *result,
             GError          **error)
{
  sqlite3_stmt *stmt;
  gint64 crm_deletes;

  crm_deletes = _cp_person_select_count (database,
                              "SELECT count(*) FROM sync_links WHERE lead_id IN " PERSON_IDS
                              " AND remote_id IS NOT NULL",
                              binds, error);
  if (crm_deletes < 0)
    return FALSE;

  stmt = _cp_database_prepare (database,
                               "INSERT INTO erasures (lead_id, actor, reason, erased_at, leads,"
                               " crm_deletes) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                               error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, lead_id);
  _cp_bind_text (stmt, 2, actor);
  _cp_bind_text (stmt, 3, reason);
  sqlite3_bind_int64 (stmt, 4, binds->now);
  sqlite3_bind_int (stmt, 5, (int) person->len);
  sqlite3_bind_int64 (stmt, 6, crm_deletes);
  if (!_cp_database_step_done (database, stmt, error))
    {
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  binds->erasure_id = sqlite3_last_insert_rowid (_cp_database_get_handle (database));
  result->erasure_id = binds->erasure_id;
  result->n_leads = person->len;
  return TRUE;
}

/* The person's values out of every table that holds them: what happened
 * stays, the values go. */
static gboolean
redact_person (CpDatabase     *database,
               CpPersonBinds  *binds,
               GError        **error)
{
  g_autofree char *accounts_sql = NULL;
  g_autofree char *values_cte = person_values_cte ();
  g_autofree char *partner_sql = NULL;
  g_autofree char *leads_sql = tombstone_sql ();

  /* Partners first (the statements run in this order), while the
   * person's own values still say what to look for. */
  partner_sql = g_strconcat (values_cte,
                             "UPDATE audit_log SET"
                             " old_value = CASE WHEN old_value IN (SELECT v FROM person_values)"
                             "             THEN NULL ELSE old_value END,"
                             " new_value = CASE WHEN new_value IN (SELECT v FROM person_values)"
                             "             THEN NULL ELSE new_value END"
                             " WHERE entity = 'lead' AND entity_id IN " PARTNER_IDS
                             " AND " PERSONAL_FIELD
                             " AND (old_value IN (SELECT v FROM person_values)"
                             "      OR new_value IN (SELECT v FROM person_values))",
                             NULL);
  /* The organizations the person named that no other lead is at: an
   * account is made for each organization a lead is ever given. */
  accounts_sql = g_strconcat (values_cte,
                              "DELETE FROM accounts WHERE name IN (SELECT v FROM person_values)"
                              " AND NOT EXISTS (SELECT 1 FROM leads WHERE account_id = accounts.id)",
                              NULL);
  if (!_cp_person_run (database, "UPDATE leads SET account_id = NULL WHERE id IN " PERSON_IDS,
            binds, NULL, error) ||
      !_cp_person_run (database, accounts_sql, binds, NULL, error) ||
      !_cp_person_run (database, partner_sql, binds, NULL, error) ||
      /* The person's own trail: what happened stays, the values go. */
      !_cp_person_run (database,
            "UPDATE audit_log SET"
            " old_value = CASE WHEN " PERSONAL_FIELD " THEN NULL ELSE old_value END,"
            " new_value = CASE WHEN " PERSONAL_FIELD " THEN NULL ELSE new_value END,"
            " reason = NULL"
            " WHERE entity = 'lead' AND entity_id IN " PERSON_IDS
            " AND (reason IS NOT NULL OR (" PERSONAL_FIELD
            "      AND (old_value IS NOT NULL OR new_value IS NOT NULL)))",
            binds, NULL, error) ||
      !_cp_person_run (database,
            "UPDATE stage_events SET reason = NULL"
            " WHERE lead_id IN " PERSON_IDS " AND reason IS NOT NULL",
            binds, NULL, error) ||
      /* The search index follows the row (leads_fts_update). */
      !_cp_person_run (database, leads_sql, binds, NULL, error) ||
      !_cp_person_run (database, "DELETE FROM lead_custom_fields WHERE lead_id IN " PERSON_IDS,
            binds, NULL, error) ||
      !_cp_person_run (database,
            "UPDATE activities SET detail = NULL, disposition = NULL"
            " WHERE (lead_id IN " PERSON_IDS " OR merged_from IN " PERSON_IDS ")"
            " AND (detail IS NOT NULL OR disposition IS NOT NULL)",
            binds, NULL, error) ||
      /* Task titles and notes may name the person (“Respond to …”). */
      !_cp_person_run (database,
            "UPDATE tasks SET title = '', note = NULL,"
            " status = CASE status WHEN 'open' THEN 'cancelled' ELSE status END"
            " WHERE lead_id IN " PERSON_IDS,
            binds, NULL, error) ||
      !_cp_person_run (database,
            "DELETE FROM merge_snapshots WHERE merge_id IN (SELECT id FROM merges"
            " WHERE keep_id IN " PERSON_IDS " OR other_id IN " PERSON_IDS ")",
            binds, NULL, error) ||
      !_cp_person_run (database, "DELETE FROM sync_conflicts WHERE lead_id IN " PERSON_IDS,
            binds, NULL, error) ||
      !_cp_person_run (database,
            "DELETE FROM sync_rejects WHERE EXISTS (SELECT 1 FROM sync_links s"
            " WHERE s.lead_id IN " PERSON_IDS " AND s.backend = sync_rejects.backend"
            " AND s.remote_id = sync_rejects.remote_id)"
            " OR EXISTS (SELECT 1 FROM json_each (" P_PERSON ") p"
            " WHERE instr (sync_rejects.payload, p.value) > 0)",
            binds, NULL, error) ||
      !_cp_person_run (database, "DELETE FROM outbox WHERE entity = 'lead' AND entity_id IN " PERSON_IDS,
            binds, NULL, error))
    return FALSE;
  return TRUE;
}

/* The CRM contacts: one GDPR delete each, for the sync engine. The link
 * keeps the remote id (the engine needs it), not the last agreed values. */
static gboolean
queue_crm_erasures (CpDatabase       *database,
                   CpPersonBinds    *binds,
                   CpErasureResult  *result,
                   GError          **error)
{
  return _cp_person_run (database,
            "INSERT INTO outbox (entity, entity_id, op, fields, base_remote_updated_at, created_at)"
            " SELECT 'lead', lead_id, 'erase', json_object ('backend', backend, 'remote_id',"
            " remote_id), remote_updated_at, " P_NOW " FROM sync_links"
            " WHERE lead_id IN " PERSON_IDS " AND remote_id IS NOT NULL ORDER BY lead_id, backend",
            binds, &result->n_crm_deletes, error) &&
         _cp_person_run (database, "UPDATE sync_links SET base = NULL WHERE lead_id IN " PERSON_IDS,
            binds, NULL, error);
}

/* Everything of the erasure that is one transaction. */
static gboolean
erase_records (CpLeadStore      *store,
               const char       *lead_id,
               const char       *actor,
               const char       *reason,
               GPtrArray        *person,
               CpPersonBinds    *binds,
               CpErasureResult  *result,
               GError          **error)
{
  CpDatabase *database = cp_lead_store_get_database (store);

  /* The log first: the grants refer to it. */
  if (!log_erasure (database, lead_id, actor, reason, person, binds, result, error) ||
      !grant_redaction (database, binds, error) ||
      !redact_person (database, binds, error) ||
      !queue_crm_erasures (database, binds, result, error))
    return FALSE;

  for (guint i = 0; i < person->len; i++)
    {
      g_autofree char *erasure = g_strdup_printf ("%" G_GINT64_FORMAT, binds->erasure_id);

      if (!_cp_lead_store_write_audit (store, person->pdata[i], "erase", "erasure_id", NULL, erasure,
                                       actor, binds->now, NULL, error))
        return FALSE;
    }

  return _cp_person_run (database, "DELETE FROM redaction_grants WHERE erasure_id = " P_ERASURE,
              binds, NULL, error) &&
         /* Merges the segments: the deleted entries' tokens leave the index. */
         _cp_person_run (database, "INSERT INTO leads_fts (leads_fts) VALUES ('optimize')",
              binds, NULL, error);
}

/* After the commit: no free page, no page of the write-ahead log and no
 * backup keeps what was erased. */
static void
scrub_files (CpDatabase      *database,
             CpErasureResult *result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  sqlite3_stmt *stmt;

  if (!_cp_database_exec (database, "VACUUM", &error))
    g_warning ("Could not compact the database after an erasure: %s", error->message);

  stmt = _cp_database_prepare (database, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    result->wal_emptied = sqlite3_column_int (stmt, 0) == 0;
  g_clear_pointer (&stmt, sqlite3_finalize);

  cp_report_store_forget_snapshot (database);
  backups = cp_person_list_backups (database);
  for (guint i = 0; i < backups->len; i++)
    {
      if (g_unlink (backups->pdata[i]) == 0)
        result->n_backups_removed++;
      else
        g_warning ("Could not delete a database backup after an erasure: %s", g_strerror (errno));
    }
}

/**
 * cp_person_erase:
 * @lead_id: the person's lead; the leads merged into it are erased with it
 * @actor: who erases, for the erasure log
 * @reason: why (a request's reference, not the person's name): required
 * @out_result: (out) (optional): what was done
 *
 * Removes the person's personal data from the whole database, in one
 * transaction, leaving tombstones that keep counts and the funnel right;
 * then compacts the file, empties the write-ahead log and deletes the
 * migration backups. Must not run inside a transaction.
 *
 * Returns: %TRUE, or %FALSE with @error (nothing was changed)
 */
gboolean
cp_person_erase (CpLeadStore      *store,
                 const char       *lead_id,
                 const char       *actor,
                 const char       *reason,
                 CpErasureResult  *out_result,
                 GError          **error)
{
  CpErasureResult result = { 0, };
  g_autoptr(GPtrArray) person = NULL;
  g_autofree char *why = NULL;
  g_auto(CpPersonBinds) binds = { 0, };
  CpDatabase *database;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), FALSE);
  g_return_val_if_fail (lead_id != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  database = cp_lead_store_get_database (store);
  g_return_val_if_fail (!cp_database_in_transaction (database), FALSE);

  why = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  if (*why == '\0')
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("Say why the person is erased (for example the reference of their "
                     "request); do not write their name."));
      return FALSE;
    }

  /* Deleted content is overwritten, not only unlinked. */
  if (!_cp_database_exec (database, "PRAGMA secure_delete = ON", error) ||
      !cp_database_begin (database, error))
    return FALSE;
  if (!_cp_person_check_erasable (database, lead_id, error) ||
      (person = _cp_person_scope (database, lead_id, error)) == NULL ||
      !_cp_person_binds_init (&binds, database, person, cp_lead_store_now (store), error) ||
      !erase_records (store, lead_id, actor, why, person, &binds, &result, error))
    {
      cp_database_rollback (database);
      return FALSE;
    }
  if (!cp_database_commit (database, error))
    return FALSE;

  scrub_files (database, &result);
  g_debug ("Erased lead %s (erasure %" G_GINT64_FORMAT ", %u CRM deletes queued)",
             lead_id, result.erasure_id, result.n_crm_deletes);
  cp_lead_store_emit_bulk_change (store);

  if (out_result != NULL)
    *out_result = result;
  return TRUE;
}

typedef struct
{
  char *database_path;
  char *lead_id;
  char *actor;
  char *reason;
} EraseTask;

static void
erase_task_free (EraseTask *task)
{
  g_free (task->database_path);
  g_free (task->lead_id);
  g_free (task->actor);
  g_free (task->reason);
  g_free (task);
}

static void
erase_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  EraseTask *data = task_data;
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(GError) error = NULL;
  CpErasureResult *result = g_new0 (CpErasureResult, 1);

  database = cp_database_open (data->database_path, &error);
  if (database != NULL)
    store = cp_lead_store_new (database);
  if (store == NULL ||
      !cp_person_erase (store, data->lead_id, data->actor, data->reason, result, &error))
    {
      g_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, result, g_free);
}

/**
 * cp_person_erase_async:
 * @database_path: the database: the erasure runs on a connection of its
 *   own, in a worker thread (compacting a large file takes a while)
 *
 * cp_person_erase() off the calling thread. Connections of the caller
 * see the change at their next read; a lead store announces it with
 * cp_lead_store_emit_bulk_change().
 */
void
cp_person_erase_async (const char          *database_path,
                       const char          *lead_id,
                       const char          *actor,
                       const char          *reason,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  EraseTask *data;

  g_return_if_fail (database_path != NULL);
  g_return_if_fail (lead_id != NULL);
  g_return_if_fail (actor != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_person_erase_async);
  data = g_new0 (EraseTask, 1);
  data->database_path = g_strdup (database_path);
  data->lead_id = g_strdup (lead_id);
  data->actor = g_strdup (actor);
  data->reason = g_strdup (reason);
  g_task_set_task_data (task, data, (GDestroyNotify) erase_task_free);
  g_task_run_in_thread (task, erase_thread);
}

gboolean
cp_person_erase_finish (GAsyncResult     *result,
                        CpErasureResult  *out_result,
                        GError          **error)
{
  g_autofree CpErasureResult *done = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cp_person_erase_async, FALSE);

  done = g_task_propagate_pointer (G_TASK (result), error);
  if (done == NULL)
    return FALSE;
  if (out_result != NULL)
    *out_result = *done;
  return TRUE;
}
