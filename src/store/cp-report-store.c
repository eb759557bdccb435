/* cp-report-store.c — fill a report snapshot from the database, and keep
 * it current
 *
 * The first load reads the leads table once and the stage events once, in
 * storage order, inside one read transaction (a consistent picture while
 * others write). Events name their lead by id; a hash of the ids read with
 * the leads maps them to rows without a join of five million lookups.
 * Later updates read only what changed: live leads by updated_at, removed
 * leads by deleted_at, leads named by audit rows past the last audit id
 * seen (every write of a lead leaves one, whatever clock it ran with, and
 * a rescore's tier change or a duplicate flag leave updated_at alone), and
 * events past the last id seen (the history is append-only).
 *
 * A snapshot may outlive the process (cp_report_store_save_snapshot()):
 * before trusting one, an update checks that the database still holds the
 * audit and event rows the snapshot last saw, and the lead it ended with;
 * a database restored from a backup or rewritten otherwise fails that and
 * is read whole again.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-report-store"
#include "config.h"
#include "cp-report-store.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cp-database-private.h"
#include "cp-lead.h"
#include "cp-store-error.h"

#define MARK_LOADED     "loaded"
#define MARK_EVENT_ID   "event-id"
#define MARK_UPDATED_AT "updated-at"
#define MARK_DELETED_AT "deleted-at"
#define MARK_AUDIT_ID   "audit-id"
/* Fingerprints of the rows at the event and audit marks. */
#define MARK_EVENT_KEY  "event-key"
#define MARK_AUDIT_KEY  "audit-key"

/* Columns of the lead SELECT, in CpReportAttr order after the times. */
#define LEAD_COLUMNS \
  "rowid, created_at, first_response_at, sla_due_at, updated_at, deleted_at," \
  " stage, source_channel, service_line, location, lead_type, owner, queue," \
  " referral_source, tier, closure_outcome, closure_reason, appointment_stage," \
  " merged_into IS NOT NULL, possible_duplicate_of IS NOT NULL"

enum
{
  COL_ROWID,
  COL_CREATED,
  COL_FIRST_RESPONSE,
  COL_SLA_DUE,
  COL_UPDATED,
  COL_DELETED,
  COL_ATTRS,  /* CP_REPORT_N_ATTRS text columns */
  COL_MERGED = COL_ATTRS + CP_REPORT_N_ATTRS,
  COL_DUPLICATE,
  COL_MISSING,
  COL_ID,
};

/* "CASE stage WHEN ?1 THEN (… OR …) … ELSE 0 END": whether a lead misses a
 * field its stage requires. Column names come from the canonical field
 * list (never from the playbook's text); stage ids are bound parameters. */
static char *
missing_required_sql (const CpPlaybook *playbook,
                      GPtrArray        *params)
{
  GString *sql = g_string_new ("CASE stage");
  guint n_cases = 0;

  for (guint i = 0; playbook != NULL && i < playbook->stages->len; i++)
    {
      const CpStage *stage = g_ptr_array_index (playbook->stages, i);
      gboolean any = FALSE;

      for (guint f = 0; stage->required_fields != NULL && stage->required_fields[f] != NULL; f++)
        {
          CpLeadField field;
          const CpFieldInfo *info;

          if (!cp_lead_field_from_name (stage->required_fields[f], &field))
            continue;
          info = cp_lead_field_info (field);
          if (!any)
            {
              g_ptr_array_add (params, stage->id);
              g_string_append_printf (sql, " WHEN ?%u THEN (", params->len);
            }
          else
            g_string_append (sql, " OR ");
          /* Empty text, NULL, or 0 for the time and number columns. */
          g_string_append_printf (sql, "nullif (nullif (%s, ''), 0) IS NULL", info->name);
          any = TRUE;
        }
      if (any)
        {
          g_string_append_c (sql, ')');
          n_cases++;
        }
    }
  if (n_cases == 0)
    {
      g_string_free (sql, TRUE);
      return g_strdup ("0");
    }
  g_string_append (sql, " ELSE 0 END");

  return g_string_free (sql, FALSE);
}

/* Sets @error for a read that stopped with @rc; returns %FALSE. */
static gboolean
read_failed (CpDatabase *database,
             int         rc,
             const char *message,
             GError    **error)
{
  _cp_database_set_error (database, error, rc, message);
  return FALSE;
}

/* Finalizes @stmt, stepped once to @rc: a row or none is a read done;
 * anything else a read that failed. */
static gboolean
finish_row_read (CpDatabase   *database,
                 sqlite3_stmt *stmt,
                 int           rc,
                 const char   *message,
                 GError      **error)
{
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return read_failed (database, rc, message, error);

  return TRUE;
}

static void
read_lead (CpReportData *data,
           sqlite3_stmt *stmt)
{
  CpReportLeadRow row = { 0 };

  row.created_at = sqlite3_column_int64 (stmt, COL_CREATED);
  row.first_response_at = sqlite3_column_int64 (stmt, COL_FIRST_RESPONSE);
  row.sla_due_at = sqlite3_column_int64 (stmt, COL_SLA_DUE);
  for (guint a = 0; a < CP_REPORT_N_ATTRS; a++)
    row.attr[a] = cp_report_data_intern (data, a,
                                         (const char *) sqlite3_column_text (stmt, COL_ATTRS + a));
  if (sqlite3_column_int64 (stmt, COL_DELETED) != 0 || sqlite3_column_int (stmt, COL_MERGED))
    row.flags |= CP_REPORT_LEAD_DELETED;
  if (sqlite3_column_int (stmt, COL_DUPLICATE))
    row.flags |= CP_REPORT_LEAD_POSSIBLE_DUPLICATE;
  if (sqlite3_column_int (stmt, COL_MISSING))
    row.flags |= CP_REPORT_LEAD_MISSING_REQUIRED;
  cp_report_data_set_lead (data, sqlite3_column_int64 (stmt, COL_ROWID), &row);
  if (sqlite3_column_int64 (stmt, COL_UPDATED) > cp_report_data_get_mark (data, MARK_UPDATED_AT))
    cp_report_data_set_mark (data, MARK_UPDATED_AT, sqlite3_column_int64 (stmt, COL_UPDATED));
  if (sqlite3_column_int64 (stmt, COL_DELETED) > cp_report_data_get_mark (data, MARK_DELETED_AT))
    cp_report_data_set_mark (data, MARK_DELETED_AT, sqlite3_column_int64 (stmt, COL_DELETED));
}

static gboolean
step_rows (CpDatabase   *database,
           sqlite3_stmt *stmt,
           CpReportData *data,
           GHashTable   *ids,
           GStringChunk *chunk,
           GCancellable *cancellable,
           GError      **error)
{
  guint n = 0;
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      read_lead (data, stmt);
      if (ids != NULL)
        g_hash_table_insert (ids,
                             g_string_chunk_insert (chunk, (const char *) sqlite3_column_text (stmt, COL_ID)),
                             GSIZE_TO_POINTER ((gsize) sqlite3_column_int64 (stmt, COL_ROWID)));
      if (++n % 65536 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return read_failed (database, rc, _("Could not read the leads for a report"), error);

  return TRUE;
}

static gboolean
read_leads (CpDatabase       *database,
            CpReportData     *data,
            const CpPlaybook *playbook,
            gboolean          full,
            GHashTable       *ids,
            GStringChunk     *chunk,
            GCancellable     *cancellable,
            GError          **error)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new ();
  g_autofree char *missing = missing_required_sql (playbook, params);
  /* The first load: every lead, in storage order. Then: live leads
   * changed since, leads removed since (the last parameter), and leads
   * named by an audit row since. The audit rows are what cannot miss a
   * write (each write of a lead leaves one, in commit order); the times
   * only add what a write without one would change. A change in the
   * second the snapshot last saw is found by its audit row: re-reading
   * that whole second each time would re-read every lead of a database
   * written by one clock (a generated or imported one). */
  const char *where[] = {
    "",
    " INDEXED BY leads_updated WHERE deleted_at = 0 AND updated_at > ?",
    " INDEXED BY leads_deleted WHERE deleted_at > 0 AND deleted_at > ?",
    /* "+entity": by the audit ids since, not by every lead audit row. */
    " WHERE id IN (SELECT entity_id FROM audit_log WHERE id > ? AND +entity = 'lead')",
    /* The leads a rescore changed the tier of since (schema 19): not an
     * audit row each, but one per commit of the run, naming the run. (Not
     * an OR with the one above: SQLite would scan every lead.) */
    " WHERE rowid IN (SELECT lead_rowid FROM rescore_changes WHERE run_id IN ("
    CP_RESCORE_RUNS_AUDITED_AFTER ("?") "))",
  };
  const char *marks[] = { NULL, MARK_UPDATED_AT, MARK_DELETED_AT, MARK_AUDIT_ID, MARK_AUDIT_ID };

  for (guint q = full ? 0 : 1; q < (full ? 1 : G_N_ELEMENTS (where)); q++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT " LEAD_COLUMNS ", %s, id FROM leads%s",
                                              missing, where[q]);
      sqlite3_stmt *stmt = _cp_database_prepare (database, sql, error);
      gboolean ok;

      if (stmt == NULL)
        return FALSE;
      for (guint p = 0; p < params->len; p++)
        sqlite3_bind_text (stmt, p + 1, g_ptr_array_index (params, p), -1, SQLITE_STATIC);
      if (q > 0)
        sqlite3_bind_int64 (stmt, params->len + 1, cp_report_data_get_mark (data, marks[q]));
      ok = step_rows (database, stmt, data, ids, chunk, cancellable, error);
      sqlite3_finalize (stmt);
      if (!ok)
        return FALSE;
    }

  return TRUE;
}

/* The stage events: at the first load all of them in storage order, their
 * leads found by id (@ids: id → rowid, filled while reading the leads);
 * later (@ids NULL) only those recorded since, few, so a join serves. */
static gboolean
read_events (CpDatabase   *database,
             CpReportData *data,
             GHashTable   *ids,
             GCancellable *cancellable,
             GError      **error)
{
  gint64 max_id = ids != NULL ? 0 : cp_report_data_get_mark (data, MARK_EVENT_ID);
  sqlite3_stmt *stmt;
  guint n = 0;
  int rc;

  stmt = _cp_database_prepare (database,
                               ids != NULL
                               ? "SELECT id, lead_id, to_stage, device_time FROM stage_events"
                               : "SELECT e.id, l.rowid, e.to_stage, e.device_time"
                                 " FROM stage_events e JOIN leads l ON l.id = e.lead_id"
                                 " WHERE e.id > ?1 ORDER BY e.id",
                               error);
  if (stmt == NULL)
    return FALSE;
  if (ids == NULL)
    sqlite3_bind_int64 (stmt, 1, max_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gpointer found = NULL;
      gint64 rowid;

      if (ids != NULL)
        {
          found = g_hash_table_lookup (ids, sqlite3_column_text (stmt, 1));
          rowid = (gint64) GPOINTER_TO_SIZE (found);
        }
      else
        rowid = sqlite3_column_int64 (stmt, 1);
      max_id = MAX (max_id, sqlite3_column_int64 (stmt, 0));
      if (ids == NULL || found != NULL)
        cp_report_data_add_event (data, rowid, (const char *) sqlite3_column_text (stmt, 2),
                                  sqlite3_column_int64 (stmt, 3));
      if (++n % 65536 == 0 && g_cancellable_is_cancelled (cancellable))
        break;
    }
  sqlite3_finalize (stmt);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (rc != SQLITE_DONE)
    return read_failed (database, rc, _("Could not read the stage history for a report"), error);
  cp_report_data_set_mark (data, MARK_EVENT_ID, max_id);

  return TRUE;
}

/* A fingerprint of the row @id of stage_events (@audit FALSE) or
 * audit_log: its lead and time; 0 when there is no such row. */
static gboolean
row_key (CpDatabase *database,
         gboolean    audit,
         gint64      id,
         gint64     *out_id,
         gint64     *out_key,
         GError    **error)
{
  static const char * const sql[2][2] = {
    { "SELECT id, lead_id, device_time FROM stage_events WHERE id = ?1",
      "SELECT id, lead_id, device_time FROM stage_events ORDER BY id DESC LIMIT 1" },
    { "SELECT id, entity_id, time FROM audit_log WHERE id = ?1",
      "SELECT id, entity_id, time FROM audit_log ORDER BY id DESC LIMIT 1" },
  };
  sqlite3_stmt *stmt = _cp_database_prepare (database, sql[audit][id == 0], error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (id != 0)
    sqlite3_bind_int64 (stmt, 1, id);
  *out_id = *out_key = 0;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 1);

      *out_id = sqlite3_column_int64 (stmt, 0);
      *out_key = ((gint64) g_str_hash (text != NULL ? text : "") << 31)
        ^ sqlite3_column_int64 (stmt, 2) ^ 1;
    }

  return finish_row_read (database, stmt, rc, _("Could not read the stage history for a report"),
                          error);
}

/* Whether the database still holds the event and audit rows the snapshot
 * saw last (a restored or replaced database does not). */
static gboolean
marks_hold (CpDatabase   *database,
            CpReportData *data,
            gboolean     *out_hold,
            GError      **error)
{
  const char *marks[2][2] = {
    { MARK_EVENT_ID, MARK_EVENT_KEY },
    { MARK_AUDIT_ID, MARK_AUDIT_KEY },
  };

  *out_hold = TRUE;
  for (guint audit = 0; audit < 2 && *out_hold; audit++)
    {
      gint64 id = cp_report_data_get_mark (data, marks[audit][0]);
      gint64 found_id, key;

      if (id == 0)
        continue;
      if (!row_key (database, audit, id, &found_id, &key, error))
        return FALSE;
      *out_hold = found_id == id && key == cp_report_data_get_mark (data, marks[audit][1]);
    }

  return TRUE;
}

/* After an update: the snapshot ends with the database's last lead (a lead
 * added behind the marks' back, or leads renumbered, fail this). */
static gboolean
last_lead_matches (CpDatabase   *database,
                   CpReportData *data,
                   gboolean     *out_matches,
                   GError      **error)
{
  guint n = cp_report_data_get_n_leads (data);
  sqlite3_stmt *stmt = _cp_database_prepare (database, "SELECT max(rowid) FROM leads", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_matches = sqlite3_column_int64 (stmt, 0)
      == (n > 0 ? cp_report_data_get_rowid (data, n - 1) : 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return read_failed (database, rc, _("Could not read the leads for a report"), error);

  return TRUE;
}

/* Remembers the last event and audit row (with their fingerprints). */
static gboolean
remember_marks (CpDatabase   *database,
                CpReportData *data,
                GError      **error)
{
  gint64 id, key;

  if (!row_key (database, FALSE, cp_report_data_get_mark (data, MARK_EVENT_ID), &id, &key, error))
    return FALSE;
  cp_report_data_set_mark (data, MARK_EVENT_KEY, key);
  if (!row_key (database, TRUE, 0, &id, &key, error))
    return FALSE;
  cp_report_data_set_mark (data, MARK_AUDIT_ID, id);
  cp_report_data_set_mark (data, MARK_AUDIT_KEY, key);

  return TRUE;
}

static gboolean
read_everything (CpDatabase       *database,
                 CpReportData     *data,
                 const CpPlaybook *playbook,
                 GCancellable     *cancellable,
                 GError          **error)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  GStringChunk *chunk = g_string_chunk_new (1 << 20);
  gboolean ok;

  cp_report_data_clear (data);
  ok = read_leads (database, data, playbook, TRUE, ids, chunk, cancellable, error)
    && read_events (database, data, ids, cancellable, error);
  g_clear_pointer (&ids, g_hash_table_unref);
  g_string_chunk_free (chunk);

  return ok;
}

/* Whether a person was erased since the snapshot's last audit row: the
 * values of the erased fields live on in its dictionaries (and in the
 * saved file), so it is read whole again, and saved without them. */
static gboolean
erased_since (CpDatabase   *database,
              CpReportData *data,
              gboolean     *out_erased,
              GError      **error)
{
  sqlite3_stmt *stmt = _cp_database_prepare (database,
                                             "SELECT 1 FROM audit_log WHERE id > ?1"
                                             " AND +entity = 'lead' AND action = 'erase' LIMIT 1",
                                             error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, cp_report_data_get_mark (data, MARK_AUDIT_ID));
  rc = sqlite3_step (stmt);
  *out_erased = rc == SQLITE_ROW;

  return finish_row_read (database, stmt, rc, _("Could not read the leads for a report"), error);
}

/* Reads what changed since; FALSE in @out_trusted when the snapshot does
 * not belong to this database as it is now. */
static gboolean
read_changes (CpDatabase       *database,
              CpReportData     *data,
              const CpPlaybook *playbook,
              gboolean         *out_trusted,
              GCancellable     *cancellable,
              GError          **error)
{
  gboolean erased = FALSE;

  if (!marks_hold (database, data, out_trusted, error))
    return FALSE;
  if (*out_trusted && !erased_since (database, data, &erased, error))
    return FALSE;
  if (!*out_trusted || erased)
    {
      *out_trusted = FALSE;
      return TRUE;
    }

  return read_leads (database, data, playbook, FALSE, NULL, NULL, cancellable, error)
    /* The events since are few: no cancel check among them. */
    && read_events (database, data, NULL, NULL, error)
    && last_lead_matches (database, data, out_trusted, error);
}

gboolean
cp_report_store_update (CpDatabase       *database,
                        CpReportData     *data,
                        const CpPlaybook *playbook,
                        GCancellable     *cancellable,
                        GError          **error)
{
  gboolean full;
  gboolean ok = TRUE;

  g_return_val_if_fail (CP_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  full = cp_report_data_get_mark (data, MARK_LOADED) == 0;
  /* One read transaction: leads and events from the same moment. */
  if (!cp_database_begin (database, error))
    return FALSE;

  if (!full)
    {
      gboolean trusted = TRUE;

      ok = read_changes (database, data, playbook, &trusted, cancellable, error);
      if (ok && !trusted)
        {
          g_debug ("The report snapshot does not match the database: reading it whole");
          full = TRUE;
        }
    }
  if (full)
    ok = read_everything (database, data, playbook, cancellable, error);
  ok = ok && remember_marks (database, data, error);

  if (!ok)
    {
      cp_database_rollback (database);
      /* A load or an update cut short leaves nothing half-read behind
       * (events read twice would count twice): the next one reads whole. */
      cp_report_data_clear (data);
      return FALSE;
    }
  if (!cp_database_commit (database, error))
    return FALSE;
  cp_report_data_set_mark (data, MARK_LOADED, 1);

  return TRUE;
}

/* The snapshot as a file beside the database. */

/* "<database>.reports"; NULL for a database in memory. */
static char *
snapshot_path (CpDatabase *database)
{
  const char *path = cp_database_get_path (database);

  if (path == NULL || *path == '\0' || g_str_equal (path, ":memory:"))
    return NULL;

  return g_strconcat (path, ".reports", NULL);
}

/* What a snapshot depends on besides the rows: the database file (a copy,
 * or a backup restored in its place, is another file), its schema, and
 * the fields the playbook's stages require. NULL when the database file
 * cannot be found. */
static char *
snapshot_identity (CpDatabase       *database,
                   const CpPlaybook *playbook)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new ();
  g_autofree char *missing = missing_required_sql (playbook, params);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  GStatBuf st;

  if (g_stat (cp_database_get_path (database), &st) != 0)
    return NULL;
  g_checksum_update (checksum, (const guchar *) missing, -1);
  for (guint i = 0; i < params->len; i++)
    {
      g_checksum_update (checksum, (const guchar *) "\n", 1);
      g_checksum_update (checksum, g_ptr_array_index (params, i), -1);
    }

  return g_strdup_printf ("carepath report snapshot; schema %d; database %" G_GUINT64_FORMAT
                          ":%" G_GUINT64_FORMAT "; playbook %s",
                          cp_database_get_schema_version (database), (guint64) st.st_dev,
                          (guint64) st.st_ino, g_checksum_get_string (checksum));
}

/* The arguments cp_report_store_load_snapshot() and _save_snapshot() both
 * take. */
static gboolean
snapshot_arguments_valid (CpDatabase   *database,
                          CpReportData *data,
                          GError      **error)
{
  g_return_val_if_fail (CP_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return TRUE;
}

/* The snapshot file of @database and the identity it is saved with; FALSE
 * for a database that keeps none (in memory, or its file not found). */
static gboolean
snapshot_file (CpDatabase        *database,
               const CpPlaybook  *playbook,
               char             **out_path,
               char             **out_identity)
{
  *out_path = snapshot_path (database);
  *out_identity = *out_path != NULL ? snapshot_identity (database, playbook) : NULL;

  return *out_identity != NULL;
}

gboolean
cp_report_store_load_snapshot (CpDatabase       *database,
                               CpReportData     *data,
                               const CpPlaybook *playbook,
                               GError          **error)
{
  g_autofree char *path = NULL;
  g_autofree char *identity = NULL;

  if (!snapshot_arguments_valid (database, data, error))
    return FALSE;
  if (!snapshot_file (database, playbook, &path, &identity))
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                           _("This database keeps no report snapshot"));
      return FALSE;
    }

  return cp_report_data_load_file (data, path, identity, error);
}

/* An erasure must not leave the erased values on disk until the next
 * report: the saved snapshot goes with it (the next report reads the
 * database whole and saves a new one). */
void
cp_report_store_forget_snapshot (CpDatabase *database)
{
  g_autofree char *path = NULL;
  g_autofree char *partial = NULL;

  g_return_if_fail (CP_IS_DATABASE (database));

  path = snapshot_path (database);
  if (path == NULL)
    return;
  partial = g_strconcat (path, ".tmp", NULL);
  if (g_unlink (path) != 0 && errno != ENOENT)
    g_warning ("Could not delete the saved report snapshot: %s", g_strerror (errno));
  g_unlink (partial);
}

gboolean
cp_report_store_save_snapshot (CpDatabase       *database,
                               CpReportData     *data,
                               const CpPlaybook *playbook,
                               GError          **error)
{
  g_autofree char *path = NULL;
  g_autofree char *identity = NULL;

  if (!snapshot_arguments_valid (database, data, error))
    return FALSE;
  /* Only a snapshot brought up to date is worth keeping. */
  if (cp_report_data_get_mark (data, MARK_LOADED) == 0
      || !snapshot_file (database, playbook, &path, &identity))
    return TRUE;

  return cp_report_data_save_file (data, path, identity, error);
}
