/* cp-lead-import.c — leads from CSV: mapping, duplicates, batches, a report of every refused row
 *
 * Each row becomes a lead the way a typed one would: values normalised
 * and validated (a refused row is reported with its line, its column and
 * the reason, and the rest go on), checked against the leads already
 * stored and those earlier in the file (the same email or phone is the
 * same person; the same name at the same location only a possible
 * duplicate, imported and flagged), then written through the store's
 * write path — the playbook in effect checks its stage, routes, scores and
 * starts its SLA clock, exactly as for a lead typed in the window; a row
 * the playbook refuses is reported like any other refused row.
 *
 * Two ways to commit, the same judgement of every row:
 * - a file of more rows than the database holds leads (and more than a
 *   batch) is one transaction with the index builds deferred to its end
 *   (cp-bulk-load.h; the indexes the duplicate search reads stay
 *   current): a crash keeps nothing of it, a cancel keeps every row
 *   imported before it (each whole; a savepoint a batch, to take the
 *   batch in progress back, made the import four times slower at 20,000
 *   rows: SQLite journals every page a savepoint changes);
 * - otherwise, or with CpImportOptions.commit_batches, 2,000 rows to a
 *   transaction: a crash or a cancel loses at most the batch in progress
 *   (rolled back), what is committed is whole batches.
 * A dry run does all of it in one transaction and rolls it back.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-import"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-bulk-load.h"
#include "cp-core-error.h"
#include "cp-csv-writer.h"
#include "cp-database-private.h"
#include "cp-import-private.h"
#include "cp-lead-import.h"
#include "cp-lifecycle.h"
#include "cp-lead-store-private.h"
#include "cp-playbook-store.h"
#include "cp-validate.h"

typedef struct
{
  CpLeadStore        *store;
  const CpImportOptions *options;
  CpImportMapping    *mapping;
  guint               row_columns[CP_LEAD_N_FIELDS];  /* the row's column of each field, from 1 */
  CpPlaybook         *playbook;
  gint64              now;
  CpImportResult     *result;
  CpDatabase         *database;
  char               *fts_trigger;
  gint64              fts_indexed_to;
  /* The open batch: its rows so far, and what the result said when it
   * began (a cancel rolls it back). */
  gboolean            batch_open;
  guint               batch_rows;
  CpImportResult      at_batch;
  guint               matches_at_batch;
  /* Rows read before the first is written (how many the file has decides
   * how to commit), then handed out in order; and the deferred load. */
  CpImportAhead       ahead;
  guint               expected_rows;   /* > 0: defer the index builds */
  CpBulkLoad         *load;
} Import;

/* The column the row in hand took @field from (several may fill one). */
static guint
column_of (Import      *import,
           CpLeadField  field)
{
  if (field < CP_LEAD_N_FIELDS && import->row_columns[field] > 0)
    return import->row_columns[field];
  for (guint i = 0; i < import->mapping->fields->len; i++)
    if (g_array_index (import->mapping->fields, CpLeadField, i) == field)
      return i + 1;
  return 0;
}

/* The row's CRM record id, when the file has one. */
static const char *
remote_id_of (Import    *import,
              GPtrArray *row)
{
  guint column = import->mapping->remote_id_column;
  const char *value;

  if (column == 0 || column > row->len)
    return NULL;
  value = row->pdata[column - 1];
  while (g_ascii_isspace (*value))
    value++;
  return *value != '\0' ? value : NULL;
}

/* The phone as the store keeps it (E.164, read in the store's region):
 * one it cannot read is refused here, at its column, rather than by the
 * store, which would not say which value it refused. */
static gboolean
normalize_phone (Import  *import,
                 CpLead  *lead,
                 guint64  line)
{
  const char *phone = cp_lead_get_text (lead, CP_LEAD_FIELD_PHONE);
  g_autoptr(GError) error = NULL;
  g_autofree char *e164 = NULL;

  if (phone == NULL || *phone == '\0')
    return TRUE;
  e164 = cp_phone_normalize_e164 (phone, import->store->default_region, &error);
  if (e164 == NULL)
    {
      _cp_import_reject (import->result, line, column_of (import, CP_LEAD_FIELD_PHONE),
                         error->message);
      return FALSE;
    }
  if (!g_str_equal (e164, phone))
    cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, e164);
  return TRUE;
}

/* A row of empty cells (a spreadsheet's row of separators alone): a
 * blank line, not a row to refuse. */
static gboolean
row_is_blank (GPtrArray *row)
{
  for (guint i = 0; i < row->len; i++)
    for (const char *c = row->pdata[i]; *c != '\0'; c++)
      if (!g_ascii_isspace (*c))
        return FALSE;
  return TRUE;
}

/* The row as a lead, or %NULL after reporting why it is refused. */
static CpLead *
row_to_lead (Import    *import,
             GPtrArray *row,
             guint64    line)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  const char *required[] = { NULL };
  gboolean any = FALSE;
  gboolean names_lead;
  guint64 set = 0;   /* the fields a column filled */

  G_STATIC_ASSERT (CP_LEAD_N_FIELDS <= 64);
  memset (import->row_columns, 0, sizeof import->row_columns);
  for (guint i = 0; i < row->len && i < import->mapping->fields->len; i++)
    {
      CpLeadField field = g_array_index (import->mapping->fields, CpLeadField, i);
      const char *custom = import->mapping->custom_keys->pdata[i];
      /* What an export guarded against spreadsheets reads back as it was. */
      const char *value = cp_csv_strip_formula_guard (row->pdata[i]);
      gsize length = strlen (value);
      g_autofree char *stripped = NULL;

      /* White space around a value is not part of it: a copy without it
       * only when there is some (most cells have none). */
      if (length > 0 && (g_ascii_isspace (value[0]) || g_ascii_isspace (value[length - 1])))
        value = stripped = g_strstrip (g_strdup (value));

      if (*value == '\0')
        continue;
      any = TRUE;
      if (custom != NULL)
        {
          cp_lead_set_custom (lead, custom, value);
          continue;
        }
      if (field == CP_LEAD_N_FIELDS || (set & (G_GUINT64_CONSTANT (1) << field)))
        continue;   /* an earlier column of the field had a value */
      if (field == CP_LEAD_FIELD_STAGE || field == CP_LEAD_FIELD_CLOSURE_REASON ||
          cp_lead_field_info (field)->type == CP_FIELD_TYPE_CHOICE)
        {
          const char *target = NULL;

          switch (cp_import_mapping_get_value (import->mapping, field, value, &target))
            {
            case CP_IMPORT_VALUE_EMPTY:
              continue;
            case CP_IMPORT_VALUE_REFUSE:
              {
                g_autofree char *reason = g_strdup_printf (_("“%s” is refused, as chosen for this import."), value);

                _cp_import_reject (import->result, line, i + 1, reason);
                return NULL;
              }
            case CP_IMPORT_VALUE_SET:
              break;
            case CP_IMPORT_VALUE_AUTO:
            default:
              target = _cp_import_value_for (import->playbook, field, value);
              break;
            }
          /* A stage the playbook lacks goes to the store as written: it
           * refuses the row in the same words as any other entry point. */
          if (target != NULL)
            value = target;
        }
      if (!cp_lead_set_field_from_string (lead, field, value, &error))
        {
          _cp_import_reject (import->result, line, i + 1, error->message);
          return NULL;
        }
      set |= G_GUINT64_CONSTANT (1) << field;
      import->row_columns[field] = i + 1;
    }

  if (!any)
    {
      _cp_import_reject (import->result, line, 0,
                         _("The row has values only in columns that are not imported."));
      return NULL;
    }
  /* A row naming a lead by its id may only change a field of it: that it
   * names nobody to contact is not a problem then (the lead does). */
  names_lead = cp_lead_get_id (lead) != NULL || remote_id_of (import, row) != NULL;
  cp_lead_validate (lead, required, &problems, NULL);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      CpFieldError *problem = problems->pdata[i];

      if (names_lead && problem->field == CP_LEAD_FIELD_FIRST_NAME &&
          cp_lead_get_text (lead, CP_LEAD_FIELD_FIRST_NAME) == NULL)
        continue;
      _cp_import_reject (import->result, line, column_of (import, problem->field), problem->message);
      return NULL;
    }
  if (!normalize_phone (import, lead, line))
    return NULL;
  if (!names_lead &&
      cp_lead_get_text (lead, CP_LEAD_FIELD_FIRST_NAME) == NULL &&
      cp_lead_get_text (lead, CP_LEAD_FIELD_LAST_NAME) == NULL &&
      cp_lead_get_text (lead, CP_LEAD_FIELD_EMAIL) == NULL &&
      cp_lead_get_text (lead, CP_LEAD_FIELD_PHONE) == NULL &&
      cp_lead_get_text (lead, CP_LEAD_FIELD_ORGANIZATION) == NULL)
    {
      _cp_import_reject (import->result, line, 0,
                         _("The row has no name, email, phone or organization: nobody to contact."));
      return NULL;
    }
  return g_steal_pointer (&lead);
}

/* ---- full-text indexing, by the batch ----
 *
 * Through its trigger, indexing costs more than the rest of an insert:
 * FTS5 writes out its pending terms at the end of every statement. Within
 * a batch the insert trigger is dropped, and the batch's new rows are
 * indexed with one statement before anything updates a lead (an update
 * re-indexes the row, which must be indexed already) and before the
 * commit, which also brings the trigger back. The drop belongs to the
 * batch's transaction: a rollback (cancel, dry run, error, crash) restores
 * the trigger with everything else. */

static gint64
max_lead_rowid (Import  *import,
                GError **error)
{
  sqlite3_stmt *stmt = _cp_database_prepare (import->database,
                                             "SELECT coalesce (max (rowid), 0) FROM leads", error);
  gint64 max = -1;
  int rc;

  if (stmt == NULL)
    return -1;
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    max = sqlite3_column_int64 (stmt, 0);
  else
    _cp_database_set_error (import->database, error, rc, _("Could not prepare the import"));
  sqlite3_finalize (stmt);
  return max;
}

static gboolean
fts_defer (Import  *import,
           GError **error)
{
  sqlite3_stmt *stmt = _cp_database_prepare (import->database,
                                             "SELECT sql FROM sqlite_master WHERE type = 'trigger'"
                                             " AND name = 'leads_fts_insert'", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    import->fts_trigger = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (import->fts_trigger == NULL)
    return TRUE;
  import->fts_indexed_to = max_lead_rowid (import, error);
  return import->fts_indexed_to >= 0 &&
         _cp_database_exec (import->database, "DROP TRIGGER leads_fts_insert", error);
}

static gboolean
fts_catch_up (Import  *import,
              GError **error)
{
  sqlite3_stmt *stmt;
  gint64 to;

  if (import->fts_trigger == NULL)
    return TRUE;
  to = max_lead_rowid (import, error);
  if (to < 0)
    return FALSE;
  if (to == import->fts_indexed_to)
    return TRUE;
  stmt = _cp_database_prepare (import->database,
                               "INSERT INTO leads_fts (rowid, first_name, last_name, email, phone,"
                               " organization, notes) SELECT rowid, first_name, last_name, email,"
                               " phone, organization, notes FROM leads WHERE rowid > ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, import->fts_indexed_to);
  if (!_cp_database_step_done (import->database, stmt, error))
    {
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  import->fts_indexed_to = to;
  return TRUE;
}

static gboolean
fts_restore (Import  *import,
             GError **error)
{
  g_autofree char *trigger = NULL;

  if (import->fts_trigger == NULL)
    return TRUE;
  if (!fts_catch_up (import, error))
    return FALSE;
  trigger = g_steal_pointer (&import->fts_trigger);
  return _cp_database_exec (import->database, trigger, error);
}

/* After a rollback the trigger is back by itself (and in a deferred
 * load, every index it dropped: the whole load is rolled back). */
static void
rollback (Import *import)
{
  if (import->load != NULL)
    g_clear_pointer (&import->load, cp_bulk_load_abort);
  else if (import->batch_open)
    cp_database_rollback (import->database);
  import->batch_open = FALSE;
  g_clear_pointer (&import->fts_trigger, g_free);
}

/* The column a refusal of the store points at: the first computed field
 * the row sets, or the stage column for the playbook's refusal of the
 * stage (one it lacks, or one whose rules the row does not meet). */
static guint
refused_column (Import       *import,
                CpLead       *lead,
                const GError *refusal)
{
  if (g_error_matches (refusal, CP_CORE_ERROR, CP_CORE_ERROR_COMPUTED))
    {
      for (guint i = 0; i < import->mapping->fields->len; i++)
        {
          CpLeadField field = g_array_index (import->mapping->fields, CpLeadField, i);

          if (field < CP_LEAD_N_FIELDS && cp_lead_field_is_computed (field) &&
              cp_lead_field_changed (lead, field))
            return i + 1;
        }
      return 0;
    }
  if (g_error_matches (refusal, CP_CORE_ERROR, CP_CORE_ERROR_REFUSED))
    return column_of (import, CP_LEAD_FIELD_STAGE);
  return 0;
}

/* What the store refuses of a row is reported with the row; anything
 * else (the disk, the database) stops the import. */
static gboolean
is_refusal (const GError *error)
{
  return error->domain == CP_CORE_ERROR ||
         g_error_matches (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID) ||
         g_error_matches (error, CP_STORE_ERROR, CP_STORE_ERROR_STALE);
}

/* A row that is no stored lead: a new one, flagged when it may be one. */
static gboolean
write_new_row (Import         *import,
               CpLead         *lead,
               const char     *flag_as,
               GError        **error)
{
  CpWriteRequest request = { 0, };

  request.action = "import";
  request.actor = import->options->actor;
  request.now = import->now;
  /* One change signal per batch, and the next sync journals the new
   * leads all at once. */
  request.flags = CP_WRITE_BULK | CP_WRITE_BATCH;
  if (!_cp_lead_store_write_new (import->store, lead, NULL, NULL, &request, NULL, error))
    return FALSE;
  if (flag_as == NULL)
    return TRUE;
  import->result->flagged++;
  /* In the batch's transaction: a failure stops the import, which
   * rolls the batch back (a savepoint of its own would take back nothing
   * more, at the price of journalling the pages it changes). */
  return _cp_lead_store_flag_duplicate_within (import->store, cp_lead_get_id (lead), flag_as,
                                               import->options->actor, error);
}

static void
note_match (Import           *import,
            guint64           line,
            const char       *lead_id,
            CpImportEvidence  evidence,
            gboolean          changed)
{
  CpImportMatch *match = g_new0 (CpImportMatch, 1);

  match->line = line;
  match->lead_id = g_strdup (lead_id);
  /* Named for the report a person reads; the rest by id (a re-import of
   * a large file matches every row). */
  if (import->result->matches->len < CP_IMPORT_NAMED_MATCHES)
    {
      g_autoptr(CpLead) lead = cp_lead_store_get (import->store, lead_id, NULL);

      match->lead_name = lead != NULL ? cp_lead_dup_display_name (lead) : NULL;
    }
  match->evidence = evidence;
  match->changed = changed;
  g_ptr_array_add (import->result->matches, match);
}

/* One row through the store's write path: a row the playbook refuses is
 * reported with its line and the reason, and the others go on. The store
 * judges a new lead completely before it writes any of it, so a refused
 * new row has written nothing and needs no savepoint of its own (one per
 * row would cost a third of the import); a merge into a stored lead runs
 * in one. A refusal after something was written cannot be undone alone:
 * it stops the import, and its open batch is rolled back. */
static gboolean
land_row (Import      *import,
          CpLead      *lead,
          const char  *remote_id,
          guint64      line,
          GError     **error)
{
  g_auto(CpImportFound) found = { NULL, };
  g_autoptr(GError) local_error = NULL;
  sqlite3 *handle = _cp_database_get_handle (import->database);
  CpImportDuplicates policy = import->options->duplicates;
  gboolean merging, changed = FALSE;
  int changes;

  if (!_cp_import_find (import->store, lead, remote_id, &found, &local_error))
    {
      if (!is_refusal (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      _cp_import_reject (import->result, line, column_of (import, CP_LEAD_FIELD_ID),
                         local_error->message);
      return TRUE;
    }
  if (found.lead_id != NULL && policy == CP_IMPORT_DUPLICATE_SKIP)
    {
      import->result->skipped++;
      note_match (import, line, found.lead_id, found.evidence, FALSE);
      return TRUE;
    }
  if (found.lead_id != NULL && policy == CP_IMPORT_DUPLICATE_KEEP)
    {
      /* A new lead of its own, flagged; it cannot take the other's id. */
      if (cp_lead_get_id (lead) != NULL && g_str_equal (cp_lead_get_id (lead), found.lead_id))
        cp_lead_set_text (lead, CP_LEAD_FIELD_ID, NULL);
      g_free (found.possible);
      found.possible = g_steal_pointer (&found.lead_id);
    }

  merging = found.lead_id != NULL;
  if (merging && (!fts_catch_up (import, error) || !cp_database_begin (import->database, error)))
    return FALSE;
  changes = sqlite3_total_changes (handle);
  if (merging ? _cp_import_merge (import->store, import->mapping, lead, found.lead_id, policy,
                                  import->options->actor, &changed, &local_error)
              : write_new_row (import, lead, found.possible, &local_error))
    {
      if (merging && !cp_database_commit (import->database, error))
        return FALSE;
      if (!merging)
        import->result->imported++;
      else
        {
          if (changed)
            import->result->merged++;
          else
            import->result->unchanged++;
          note_match (import, line, found.lead_id, found.evidence, changed);
        }
      return TRUE;
    }
  if (merging)
    cp_database_rollback (import->database);
  if (!is_refusal (local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!merging && sqlite3_total_changes (handle) != changes)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("Line %" G_GUINT64_FORMAT " was refused after part of it was written (%s); "
                     "the import stopped and its last batch was not kept."), line, local_error->message);
      return FALSE;
    }
  _cp_import_reject (import->result, line, refused_column (import, lead, local_error),
                     local_error->message);
  return TRUE;
}

/* ---- how to commit: read ahead ---- */

/* Whether the database holds fewer leads than @rows (counted no further). */
static gboolean
holds_fewer_leads (Import  *import,
                   guint    rows,
                   gboolean *out_fewer,
                   GError  **error)
{
  sqlite3_stmt *stmt = _cp_database_prepare (import->database,
                                             "SELECT count(*) FROM (SELECT 1 FROM leads LIMIT ?1)",
                                             error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rows);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_fewer = sqlite3_column_int64 (stmt, 0) < (gint64) rows;
  else
    _cp_database_set_error (import->database, error, rc, _("Could not prepare the import"));
  sqlite3_finalize (stmt);
  return rc == SQLITE_ROW;
}

/* Sets how the import commits (see the top of the file). */
static gboolean
choose_commits (Import      *import,
                CpCsvReader *reader,
                GError     **error)
{
  guint rows = _cp_import_ahead_read (&import->ahead, reader, CP_IMPORT_BATCH_ROWS + 1);
  gboolean fewer = FALSE;

  if (import->options->commit_batches || rows <= CP_IMPORT_BATCH_ROWS)
    return TRUE;
  if (!holds_fewer_leads (import, rows, &fewer, error))
    return FALSE;
  import->expected_rows = fewer ? rows : 0;
  g_debug ("import of about %u rows: %s", rows,
           fewer ? "one transaction, index builds deferred" : "a transaction per batch");
  return TRUE;
}

/* ---- the run ---- */

static void
add_warning (CpImportResult *result,
             const char     *text)
{
  char *joined = result->warning != NULL ? g_strconcat (result->warning, "\n", text, NULL)
                                         : g_strdup (text);

  g_free (result->warning);
  result->warning = joined;
}

/* A column of values the playbook computes (an export's score, say) is
 * refused as a write of that field is refused anywhere, in the store's
 * words; the rest of each row is imported and the playbook computes the
 * value for it. The result says so, column by column. */
static void
note_computed_columns (Import    *import,
                       GPtrArray *header)
{
  for (guint i = 0; i < header->len && i < import->mapping->fields->len; i++)
    {
      CpLeadField field;
      g_autoptr(GError) refusal = NULL;
      g_autofree char *note = NULL;

      if (g_array_index (import->mapping->fields, CpLeadField, i) != CP_LEAD_N_FIELDS ||
          import->mapping->custom_keys->pdata[i] != NULL ||
          !_cp_import_column_is_computed (header->pdata[i], &field))
        continue;
      cp_lifecycle_refuse_computed (field, &refusal);
      /* Translators: %s is why, e.g. “score” (Score) is computed by the playbook… */
      note = g_strdup_printf (_("Column “%s” was not imported: %s"), (char *) header->pdata[i],
                              refusal->message);
      add_warning (import->result, note);
    }
}

static void
import_clear (Import *import)
{
  _cp_import_ahead_clear (&import->ahead);
  g_clear_pointer (&import->load, cp_bulk_load_abort);
  g_clear_pointer (&import->mapping, cp_import_mapping_free);
  g_clear_pointer (&import->playbook, cp_playbook_unref);
  g_clear_pointer (&import->fts_trigger, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Import, import_clear)

/* Reads the header, finds the mapping and the playbook; an empty file
 * sets @out_empty (and a warning), with nothing more to do. */
static gboolean
import_start (Import       *import,
              CpCsvReader  *reader,
              gboolean     *out_empty,
              GError      **error)
{
  const CpImportOptions *options = import->options;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GError) local_error = NULL;

  header = cp_csv_reader_next (reader, &local_error);
  if (header == NULL)
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      import->result->warning = g_strdup (_("The file is empty: there is nothing to import."));
      *out_empty = TRUE;
      return TRUE;
    }
  if (options->mapping != NULL && options->mapping->fields->len == header->len)
    {
      /* As the user chose it, for the columns of this very file. */
      import->mapping = cp_import_mapping_copy (options->mapping, header);
    }
  else
    import->mapping = cp_import_mapping_detect (header, options->headers);
  if (cp_import_mapping_count (import->mapping) == 0)
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("No column of the first row names a lead field (such as “email” or "
                     "“First Name”): is the first row the header?"));
      return FALSE;
    }

  /* Stage and closure reason values are read as the playbook the store
   * writes with names them. */
  import->playbook = options->playbook != NULL ? cp_playbook_ref (options->playbook)
                                               : cp_lead_store_get_playbook (import->store, NULL, error);
  if (import->playbook == NULL)
    return FALSE;
  note_computed_columns (import, header);
  _cp_import_result_set_header (import->result, header);
  return TRUE;
}

/* Opens a batch: a transaction, with the FTS index deferred; in a
 * deferred load, the load's one transaction (opened by the first). */
static gboolean
batch_begin (Import  *import,
             GError **error)
{
  if (import->expected_rows > 0)
    {
      if (import->load == NULL)
        {
          import->load = cp_bulk_load_begin (import->database, import->expected_rows,
                                             CP_BULK_LOAD_AUTO_DUPLICATE_KEYS, error);
          if (import->load == NULL)
            return FALSE;
        }
      import->batch_open = TRUE;
      return TRUE;
    }
  if (!cp_database_begin (import->database, error))
    return FALSE;
  import->batch_open = TRUE;
  if (!fts_defer (import, error))
    {
      rollback (import);
      return FALSE;
    }
  import->at_batch = *import->result;
  import->matches_at_batch = import->result->matches->len;
  return TRUE;
}

/* Commits the open batch, its FTS index caught up; in a deferred load,
 * nothing until its end. */
static gboolean
batch_commit (Import  *import,
              GError **error)
{
  import->batch_rows = 0;
  if (import->load != NULL)
    {
      if (cp_bulk_load_batch_done (import->load, error))
        {
          import->batch_open = FALSE;
          return TRUE;
        }
      rollback (import);
      return FALSE;
    }
  if (!fts_restore (import, error))
    {
      rollback (import);
      return FALSE;
    }
  import->batch_open = FALSE;
  if (!cp_database_commit (import->database, error))
    return FALSE;   /* rolled back, the FTS trigger with it */
  cp_lead_store_emit_bulk_change (import->store);
  return TRUE;
}

/* Ends the last batch: committed, or rolled back for a dry run or a
 * cancel (which leaves no half batch, and the result as it began); a
 * deferred load builds its indexes and commits what it holds, cancelled
 * or not (a dry run's is rolled back whole). */
static gboolean
import_finish (Import  *import,
               GError **error)
{
  CpImportResult *result = import->result;
  gboolean ok;

  if (import->load != NULL)
    {
      import->batch_open = FALSE;
      if (import->options->dry_run)
        {
          g_clear_pointer (&import->load, cp_bulk_load_abort);
          return TRUE;
        }
      ok = cp_bulk_load_finish (g_steal_pointer (&import->load), error);
      if (ok)
        cp_lead_store_emit_bulk_change (import->store);
      return ok;
    }
  if (import->batch_open && (import->options->dry_run || result->cancelled))
    {
      cp_database_rollback (import->database);
      import->batch_open = FALSE;
      g_clear_pointer (&import->fts_trigger, g_free);
      if (result->cancelled && !import->options->dry_run)
        {
          result->imported = import->at_batch.imported;
          result->merged = import->at_batch.merged;
          result->unchanged = import->at_batch.unchanged;
          result->skipped = import->at_batch.skipped;
          result->flagged = import->at_batch.flagged;
          g_ptr_array_set_size (result->matches, import->matches_at_batch);
        }
    }
  return !import->batch_open || batch_commit (import, error);
}

/**
 * cp_lead_import_run:
 * @reader: the file, at its start (the first row is the header)
 * @progress: (nullable): called after each batch with the rows read
 * @cancellable: (nullable): stops after the current row; the batch in
 *   progress is rolled back, or in a deferred load (see the top of the
 *   file) kept with the rest (@out_result says it was cancelled, and what
 *   it kept)
 * @out_result: (out caller-allocates): what happened, every refused row
 *   with its line, column and reason
 *
 * Returns: %FALSE with @error set when the file cannot be read at all or
 *   the database fails (committed batches stay; nothing of a deferred
 *   load); refused rows are not an error
 */
gboolean
cp_lead_import_run (CpLeadStore            *store,
                    CpCsvReader            *reader,
                    const CpImportOptions  *options,
                    CpProgressFunc          progress,
                    gpointer                user_data,
                    GCancellable           *cancellable,
                    CpImportResult         *out_result,
                    GError                **error)
{
  g_auto(Import) import = { 0, };
  g_autoptr(GError) local_error = NULL;
  gboolean empty = FALSE;
  guint rows = 0;
  guint refused;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), FALSE);
  g_return_val_if_fail (reader != NULL && options != NULL && out_result != NULL, FALSE);

  _cp_import_result_init (out_result);
  import.store = store;
  import.database = cp_lead_store_get_database (store);
  import.options = options;
  import.result = out_result;
  import.now = options->now > 0 ? options->now : g_get_real_time () / G_USEC_PER_SEC;
  if (!import_start (&import, reader, &empty, error))
    return FALSE;
  if (empty)
    return TRUE;
  if (!choose_commits (&import, reader, error))
    return FALSE;

  for (;;)
    {
      g_autoptr(GPtrArray) row = NULL;
      g_autoptr(CpLead) lead = NULL;
      guint64 line = 0;
      guint column = 0;

      if (g_cancellable_is_cancelled (cancellable))
        {
          out_result->cancelled = TRUE;
          break;
        }
      row = _cp_import_ahead_next (&import.ahead, reader, &line, &column, &local_error);
      if (row == NULL && local_error == NULL)
        break;
      if (row == NULL)
        {
          if (!cp_csv_error_skips_record (local_error) &&
              !g_error_matches (local_error, CP_CSV_ERROR, CP_CSV_ERROR_UNTERMINATED_QUOTE))
            {
              rollback (&import);
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          _cp_import_reject (out_result, line, column, local_error->message);
          if (local_error->code == CP_CSV_ERROR_UNTERMINATED_QUOTE)
            break;   /* the rest of the file is inside the quote */
          g_clear_error (&local_error);
          continue;
        }

      if (row_is_blank (row))
        continue;
      rows++;
      refused = out_result->rejections->len;
      lead = row_to_lead (&import, row, line);
      if (lead == NULL)
        {
          _cp_import_keep_rejected_row (out_result, row);
          continue;
        }
      if (!import.batch_open && !batch_begin (&import, error))
        return FALSE;
      if (!land_row (&import, lead, remote_id_of (&import, row), line, error))
        {
          rollback (&import);
          return FALSE;
        }
      if (out_result->rejections->len > refused)
        _cp_import_keep_rejected_row (out_result, row);
      if (++import.batch_rows >= CP_IMPORT_BATCH_ROWS && !options->dry_run)
        {
          if (!batch_commit (&import, error))
            return FALSE;
          if (progress != NULL)
            progress (rows, 0, user_data);
        }
    }

  if (!import_finish (&import, error))
    return FALSE;
  if (cp_csv_reader_get_fallback_line (reader) > 0)
    {
      g_autofree char *note = g_strdup_printf (_("From line %" G_GUINT64_FORMAT " on, the file is not "
                                                 "UTF-8: it was read as Windows-1252 (Western). "
                                                 "Check accented names."),
                                               cp_csv_reader_get_fallback_line (reader));
      add_warning (out_result, note);
    }
  if (progress != NULL)
    progress (rows, rows, user_data);
  return TRUE;
}
