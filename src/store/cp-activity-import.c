/* cp-activity-import.c — activities from attendee, check-in and form lists: matched to leads, recorded once
 *
 * Each row of the file is one activity of one kind (the caller's: a
 * webinar attendee list gives webinar_attended). The row is matched to a
 * lead (cp-activity-match.c), and recorded through the write path
 * exactly as a logged one: the lead is rescored, its first response and
 * last activity follow, and the playbook's activity automation runs (a
 * fitting lead who attended a webinar moves to qualified). Its identity
 * (the kind, who, when, what) makes it an external id: reading the same
 * file again records nothing twice, and a run killed midway is completed
 * by running it again. Rows are committed a batch at a time
 * (cp-activity-import-rows.c).
 *
 * Nothing read is dropped: a row no lead is, one two leads could be, one
 * whose date cannot be read, is kept in the result with its line, its
 * reason and its values, for the user to export and fix. The run is
 * audited (entity "activity_import"): when it started, and what it did.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-activity-import"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-activity-import-private.h"
#include "cp-core-error.h"
#include "cp-csv-writer.h"
#include "cp-database-private.h"
#include "cp-event-time.h"
#include "cp-lead-store-private.h"
#include "cp-store-error.h"
#include "cp-validate.h"

/* Rows read to find the header under a report's title block (Zoom's). */
#define MAX_PREAMBLE_ROWS 40

/* ---- results ---- */

static void
row_report_free (CpActivityRowReport *report)
{
  g_free (report->reason);
  g_strfreev (report->values);
  g_strfreev (report->candidates);
  g_free (report);
}

static void
move_free (CpActivityImportMove *move)
{
  g_free (move->lead_id);
  g_free (move->lead_name);
  g_free (move->rule_id);
  g_free (move->from_stage);
  g_free (move->to_stage);
  g_free (move);
}

void
cp_activity_import_result_clear (CpActivityImportResult *result)
{
  g_clear_pointer (&result->problems, g_ptr_array_unref);
  g_clear_pointer (&result->moves, g_ptr_array_unref);
  g_clear_pointer (&result->headers, g_ptr_array_unref);
  g_clear_pointer (&result->warning, g_free);
  g_clear_pointer (&result->run_id, g_free);
}

/**
 * cp_activity_import_problems_csv:
 *
 * Returns: (transfer full): every row that recorded nothing, as CSV: its
 *   line, what became of it and why, then the row's own columns (so the
 *   file can be fixed and imported again)
 */
char *
cp_activity_import_problems_csv (CpActivityImportResult *result)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GPtrArray) header = g_ptr_array_new ();
  guint width = result->headers != NULL ? result->headers->len : 0;

  g_ptr_array_add (header, "line");
  g_ptr_array_add (header, "status");
  g_ptr_array_add (header, "reason");
  for (guint i = 0; i < width; i++)
    g_ptr_array_add (header, result->headers->pdata[i]);
  cp_csv_append_row (out, (const char * const *) header->pdata, header->len);
  for (guint i = 0; result->problems != NULL && i < result->problems->len; i++)
    {
      CpActivityRowReport *r = result->problems->pdata[i];
      g_autofree char *line = g_strdup_printf ("%" G_GUINT64_FORMAT, r->line);
      g_autoptr(GPtrArray) row = g_ptr_array_new ();
      guint n_values = r->values != NULL ? g_strv_length (r->values) : 0;

      g_ptr_array_add (row, line);
      g_ptr_array_add (row, (char *) cp_activity_row_status_to_string (r->status));
      g_ptr_array_add (row, r->reason);
      for (guint c = 0; c < MAX (width, n_values); c++)
        g_ptr_array_add (row, c < n_values ? r->values[c] : "");
      cp_csv_append_row (out, (const char * const *) row->pdata, row->len);
    }
  return g_string_free (out, FALSE);
}

/* ---- one run ---- */

typedef CpActivityImport Import;

static void
import_clear (Import *import)
{
  g_clear_pointer (&import->mapping, cp_activity_mapping_free);
  g_clear_pointer (&import->zone, g_time_zone_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Import, import_clear)

/* The row's value for @column, trimmed ("" when the file has none). */
static char *
value_of (Import           *import,
          GPtrArray        *row,
          CpActivityColumn  column)
{
  guint c = import->column[column];

  if (c == 0 || c > row->len)
    return g_strdup ("");
  return g_strstrip (g_strdup (cp_csv_strip_formula_guard (row->pdata[c - 1])));
}

void
_cp_activity_import_report_row (Import              *import,
                                GPtrArray           *row,
                                guint64              line,
                                CpActivityRowStatus  status,
                                const char          *reason,
                                GStrv                candidates)
{
  CpActivityRowReport *report = g_new0 (CpActivityRowReport, 1);
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();

  for (guint i = 0; i < row->len; i++)
    g_strv_builder_add (values, row->pdata[i]);
  report->line = line;
  report->status = status;
  report->reason = g_strdup (reason);
  report->values = g_strv_builder_end (values);
  report->candidates = g_strdupv (candidates);
  g_ptr_array_add (import->result->problems, report);
  switch (status)
    {
    case CP_ACTIVITY_ROW_UNMATCHED:
      import->result->unmatched++;
      break;
    case CP_ACTIVITY_ROW_AMBIGUOUS:
      import->result->ambiguous++;
      break;
    case CP_ACTIVITY_ROW_REJECTED:
      import->result->rejected++;
      break;
    case CP_ACTIVITY_ROW_SKIPPED:
    default:
      import->result->skipped++;
      break;
    }
}

gboolean
_cp_activity_import_row_is_blank (GPtrArray *row)
{
  for (guint i = 0; i < row->len; i++)
    {
      const char *p = row->pdata[i];

      while (g_ascii_isspace (*p))
        p++;
      if (*p != '\0')
        return FALSE;
    }
  return TRUE;
}

/* "yes", "no", or neither (-1). */
static int
yes_or_no (const char *value)
{
  static const char * const yes[] = { "yes", "y", "true", "1", "attended", "checked in", "x", NULL };
  static const char * const no[] = { "no", "n", "false", "0", "absent", "no show", "not attended", NULL };

  if (*value == '\0')
    return 1;
  if (g_strv_contains (yes, value))
    return 1;
  if (g_strv_contains (no, value))
    return 0;
  return -1;
}

/* The header: the file's first row, or the first that names the columns
 * under a report's title block (Zoom's attendee reports have one). */
static gboolean
find_header (Import       *import,
             CpCsvReader  *reader,
             GError      **error)
{
  const CpActivityImportOptions *options = import->options;
  g_autoptr(GError) first_error = NULL;

  for (guint n = 0; n < MAX_PREAMBLE_ROWS; n++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GPtrArray) row = cp_csv_reader_next (reader, &local_error);
      g_autoptr(CpActivityMapping) mapping = NULL;

      if (row == NULL && local_error != NULL && cp_csv_error_skips_record (local_error))
        continue;
      if (row == NULL)
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          else if (first_error != NULL)
            g_propagate_error (error, g_steal_pointer (&first_error));
          else
            g_set_error_literal (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                                 _("The file is empty: there is nothing to import."));
          return FALSE;
        }
      if (options->mapping != NULL)
        {
          gboolean same = row->len == options->mapping->headers->len;

          for (guint i = 0; same && i < row->len; i++)
            same = g_str_equal (row->pdata[i], options->mapping->headers->pdata[i]);
          if (same)
            mapping = cp_activity_mapping_copy (options->mapping);
          else if (first_error == NULL)
            g_set_error_literal (&first_error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                                 _("The file’s columns are not those the mapping was chosen for."));
        }
      else if (options->mapping_path != NULL)
        mapping = cp_activity_mapping_load (options->mapping_path, row,
                                            first_error == NULL ? &first_error : &local_error);
      else
        mapping = cp_activity_mapping_detect (row, options->kind);
      if (mapping != NULL &&
          cp_activity_mapping_check (mapping, first_error == NULL ? &first_error : &local_error))
        {
          import->mapping = g_steal_pointer (&mapping);
          if (n > 0)
            {
              g_autofree char *note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                    "The first line, above the column names, was skipped.",
                                                                    "The first %u lines, above the column names, were skipped.",
                                                                    n), n);
              import->result->warning = g_steal_pointer (&note);
            }
          return TRUE;
        }
      /* A mapping file that is itself wrong is no title block. */
      if (g_error_matches (first_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND) ||
          (first_error != NULL && first_error->domain == G_FILE_ERROR))
        break;
    }
  g_propagate_error (error, g_steal_pointer (&first_error));
  return FALSE;
}

/* The row as the person it names: email, name, phone. */
CpLead *
_cp_activity_import_row_person (Import    *import,
                                GPtrArray *row)
{
  CpLead *person = cp_lead_new ();
  g_autofree char *email = value_of (import, row, CP_ACTIVITY_COLUMN_EMAIL);
  g_autofree char *first = value_of (import, row, CP_ACTIVITY_COLUMN_FIRST_NAME);
  g_autofree char *last = value_of (import, row, CP_ACTIVITY_COLUMN_LAST_NAME);
  g_autofree char *full = value_of (import, row, CP_ACTIVITY_COLUMN_FULL_NAME);
  g_autofree char *phone = value_of (import, row, CP_ACTIVITY_COLUMN_PHONE);
  g_autofree char *organization = value_of (import, row, CP_ACTIVITY_COLUMN_ORGANIZATION);

  if (*first == '\0' && *last == '\0' && *full != '\0')
    {
      /* "Jane Q. Doe": the last word is the last name. */
      char *space = strrchr (full, ' ');

      if (space != NULL)
        {
          *space = '\0';
          g_free (last);
          last = g_strdup (space + 1);
        }
      g_free (first);
      first = g_steal_pointer (&full);
    }
  if (*email != '\0')
    cp_lead_set_text (person, CP_LEAD_FIELD_EMAIL, email);
  if (*first != '\0')
    cp_lead_set_text (person, CP_LEAD_FIELD_FIRST_NAME, first);
  if (*last != '\0')
    cp_lead_set_text (person, CP_LEAD_FIELD_LAST_NAME, last);
  if (*phone != '\0')
    cp_lead_set_text (person, CP_LEAD_FIELD_PHONE, phone);
  if (*organization != '\0')
    cp_lead_set_text (person, CP_LEAD_FIELD_ORGANIZATION, organization);
  return person;
}

/* The row as an activity (no lead yet), or %NULL after rejecting it. */
CpActivity *
_cp_activity_import_row_activity (Import    *import,
                                  GPtrArray *row,
                                  guint64    line)
{
  CpActivityKind kind = import->options->kind;
  g_autoptr(CpActivity) activity = cp_activity_new ();
  g_autofree char *attended = value_of (import, row, CP_ACTIVITY_COLUMN_ATTENDED);
  g_autofree char *when = value_of (import, row, CP_ACTIVITY_COLUMN_OCCURRED_AT);
  g_autofree char *detail = value_of (import, row, CP_ACTIVITY_COLUMN_DETAIL);
  g_autofree char *depth_text = value_of (import, row, CP_ACTIVITY_COLUMN_DEPTH);
  g_autoptr(GError) error = NULL;
  g_autofree char *lowered = g_utf8_strdown (attended, -1);
  gint64 occurred_at = 0;
  int depth = 0;

  switch (yes_or_no (lowered))
    {
    case 0:
      _cp_activity_import_report_row (import, row, line, CP_ACTIVITY_ROW_SKIPPED,
                  _("The row says this did not happen (not attended)."), NULL);
      return NULL;
    case -1:
      {
        g_autofree char *reason = g_strdup_printf (_("“%s” in the attended column is neither yes nor no."),
                                                   attended);

        _cp_activity_import_report_row (import, row, line, CP_ACTIVITY_ROW_REJECTED, reason, NULL);
        return NULL;
      }
    default:
      break;
    }
  if (*when == '\0')
    {
      _cp_activity_import_report_row (import, row, line, CP_ACTIVITY_ROW_REJECTED,
                                      _("The row does not say when."), NULL);
      return NULL;
    }
  if (!cp_event_time_parse (when, import->zone, &occurred_at, &error) ||
      !cp_event_duration_parse (depth_text, &depth, &error) ||
      !cp_validate_text (*detail != '\0' ? detail : NULL, 10000, TRUE, &error))
    {
      _cp_activity_import_report_row (import, row, line, CP_ACTIVITY_ROW_REJECTED, error->message, NULL);
      return NULL;
    }
  /* The same words as logging one by hand (cp_lead_store_log_activity()). */
  if (occurred_at > import->now + 24 * 3600)
    {
      _cp_activity_import_report_row (import, row, line, CP_ACTIVITY_ROW_REJECTED,
                  _("An activity cannot be logged more than a day ahead."), NULL);
      return NULL;
    }
  cp_activity_set_kind (activity, kind);
  cp_activity_set_occurred_at (activity, occurred_at);
  cp_activity_set_detail (activity, *detail != '\0' ? detail : NULL);
  cp_activity_set_depth (activity, depth);
  cp_activity_set_actor (activity, import->options->actor);
  cp_activity_set_source (activity, "file");
  if (kind != CP_ACTIVITY_KIND_NOTE)
    cp_activity_set_direction (activity, cp_activity_kind_is_response (kind) ? "outbound" : "inbound");
  return g_steal_pointer (&activity);
}

/* The run's own audit rows: that it started (a run killed midway shows as
 * one that never finished), and what it did. */
static gboolean
audit_run (Import      *import,
           const char  *action,
           GError     **error)
{
  CpActivityImportResult *r = import->result;
  sqlite3_stmt *stmt;
  g_autofree char *counts = NULL;

  if (g_str_equal (action, "import-started"))
    counts = NULL;
  else
    counts = g_strdup_printf ("rows=%u recorded=%u already=%u unmatched=%u ambiguous=%u rejected=%u "
                              "skipped=%u leads_created=%u moves=%u", r->rows, r->recorded, r->already,
                              r->unmatched, r->ambiguous, r->rejected, r->skipped, r->leads_created,
                              r->moves->len);
  if (!cp_database_begin (import->database, error))
    return FALSE;
  stmt = _cp_database_statement (import->database, CP_STMT_AUDIT_INSERT, error);
  if (stmt == NULL)
    {
      cp_database_rollback (import->database);
      return FALSE;
    }
  _cp_bind_text (stmt, 1, "activity_import");
  _cp_bind_text (stmt, 2, r->run_id);
  _cp_bind_text (stmt, 3, action);
  _cp_bind_text (stmt, 4, cp_activity_kind_to_string (import->options->kind));
  _cp_bind_text (stmt, 5, NULL);
  _cp_bind_text (stmt, 6, counts);
  _cp_bind_text (stmt, 7, import->options->actor);
  sqlite3_bind_int64 (stmt, 8, import->now);
  _cp_bind_text (stmt, 9, import->options->file_name);
  if (!_cp_database_step_done (import->database, stmt, error))
    {
      cp_database_rollback (import->database);
      return FALSE;
    }
  return cp_database_commit (import->database, error);
}

/**
 * cp_activity_import_run:
 * @reader: the file, at its start
 * @progress: (nullable): called after each batch with the rows read
 * @cancellable: (nullable): stops after the current row; the batch in
 *   progress is rolled back (@out_result says it was cancelled)
 * @out_result: (out caller-allocates): the counts, the moves automation
 *   made, and every row that recorded nothing with its reason and values
 *
 * Returns: %FALSE with @error set when the file cannot be read at all,
 *   its columns say nothing usable, or the database fails (committed
 *   batches stay, and running it again completes it)
 */
gboolean
cp_activity_import_run (CpLeadStore                   *store,
                        CpCsvReader                   *reader,
                        const CpActivityImportOptions *options,
                        CpProgressFunc                 progress,
                        gpointer                       user_data,
                        GCancellable                  *cancellable,
                        CpActivityImportResult        *out_result,
                        GError                       **error)
{
  g_auto(Import) import = { 0, };

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), FALSE);
  g_return_val_if_fail (reader != NULL && options != NULL && out_result != NULL, FALSE);
  g_return_val_if_fail (options->kind < CP_ACTIVITY_N_KINDS, FALSE);

  memset (out_result, 0, sizeof *out_result);
  out_result->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) row_report_free);
  out_result->moves = g_ptr_array_new_with_free_func ((GDestroyNotify) move_free);
  import.store = store;
  import.database = cp_lead_store_get_database (store);
  import.options = options;
  import.result = out_result;
  import.now = options->now > 0 ? options->now : cp_lead_store_now (store);
  import.zone = options->zone != NULL ? g_time_zone_ref (options->zone) : g_time_zone_new_local ();

  if (!find_header (&import, reader, error))
    return FALSE;
  out_result->headers = g_ptr_array_ref (import.mapping->headers);
  for (guint c = CP_ACTIVITY_COLUMN_IGNORE + 1; c < CP_ACTIVITY_N_COLUMNS; c++)
    import.column[c] = cp_activity_mapping_column (import.mapping, c);

  if (!options->dry_run)
    {
      out_result->run_id = g_uuid_string_random ();
      if (!audit_run (&import, "import-started", error))
        return FALSE;
    }
  if (!_cp_activity_import_rows (&import, reader, progress, user_data, cancellable, error))
    return FALSE;
  if (!options->dry_run && !audit_run (&import, out_result->cancelled ? "import-cancelled" : "import", error))
    return FALSE;
  if (cp_csv_reader_get_fallback_line (reader) > 0)
    {
      g_autofree char *note = g_strdup_printf (_("From line %" G_GUINT64_FORMAT " on, the file is not "
                                                 "UTF-8: it was read as Windows-1252 (Western). "
                                                 "Check accented names."),
                                               cp_csv_reader_get_fallback_line (reader));
      char *joined = out_result->warning != NULL ? g_strconcat (out_result->warning, "\n", note, NULL)
                                                 : g_strdup (note);

      g_free (out_result->warning);
      out_result->warning = joined;
    }
  if (progress != NULL)
    progress (out_result->rows, out_result->rows, user_data);
  return TRUE;
}

/**
 * cp_activity_import_read_header:
 * @max_rows: how many rows after the header to return
 * @out_rows: (out) (optional) (element-type GPtrArray): those rows
 *
 * The mapping detected for a file, its header found as the import finds
 * it (under a report's title block), for an assistant to show.
 *
 * Returns: (transfer full) (nullable): the mapping (its headers are the
 *   header row), or %NULL with @error set when the file cannot be read or
 *   no row names a time and an email or phone column
 */
CpActivityMapping *
cp_activity_import_read_header (const char      *path,
                                CpActivityKind   kind,
                                guint            max_rows,
                                GPtrArray      **out_rows,
                                GError         **error)
{
  g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_path (path, error);
  g_auto(Import) import = { 0, };
  CpActivityImportOptions options = { 0, };
  CpActivityImportResult result = { 0, };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  if (reader == NULL)
    return NULL;
  options.kind = kind;
  import.options = &options;
  import.result = &result;
  if (!find_header (&import, reader, error))
    {
      g_free (result.warning);
      return NULL;
    }
  g_free (result.warning);
  while (rows->len < max_rows)
    {
      g_autoptr(GError) local_error = NULL;
      GPtrArray *row = cp_csv_reader_next (reader, &local_error);

      if (row == NULL && (local_error == NULL || !cp_csv_error_skips_record (local_error)))
        break;
      if (row != NULL && _cp_activity_import_row_is_blank (row))
        g_ptr_array_unref (row);
      else if (row != NULL)
        g_ptr_array_add (rows, row);
    }
  if (out_rows != NULL)
    *out_rows = g_steal_pointer (&rows);
  return g_steal_pointer (&import.mapping);
}
