/* cp-import-result.c — what a lead import did: counts, the rows it refused and why, the duplicates it found
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-import"

#include "config.h"

#include <string.h>

#include "cp-csv-writer.h"
#include "cp-import-private.h"

static void
rejection_free (CpImportRejection *rejection)
{
  g_free (rejection->reason);
  g_strfreev (rejection->values);
  g_free (rejection);
}

static void
match_free (CpImportMatch *match)
{
  g_free (match->lead_id);
  g_free (match->lead_name);
  g_free (match);
}

/* An empty result, ready to collect refusals and matches. */
void
_cp_import_result_init (CpImportResult *result)
{
  memset (result, 0, sizeof *result);
  result->rejections = g_ptr_array_new_with_free_func ((GDestroyNotify) rejection_free);
  result->matches = g_ptr_array_new_with_free_func ((GDestroyNotify) match_free);
}

void
cp_import_result_clear (CpImportResult *result)
{
  g_clear_pointer (&result->rejections, g_ptr_array_unref);
  g_clear_pointer (&result->matches, g_ptr_array_unref);
  g_clear_pointer (&result->warning, g_free);
  g_clear_pointer (&result->header, g_strfreev);
}

/* A refused row, with its line, its column (0: the whole row) and why. */
void
_cp_import_reject (CpImportResult *result,
                   guint64         line,
                   guint           column,
                   const char     *reason)
{
  CpImportRejection *rejection = g_new0 (CpImportRejection, 1);

  rejection->line = line;
  rejection->column = column;
  rejection->reason = g_strdup (reason);
  g_ptr_array_add (result->rejections, rejection);
  result->rejected++;
}

/* The file's header: the report of refused rows gives them under it. */
void
_cp_import_result_set_header (CpImportResult *result,
                              GPtrArray      *header)
{
  g_strfreev (result->header);
  result->header = g_new0 (char *, header->len + 1);
  for (guint i = 0; i < header->len; i++)
    result->header[i] = g_strdup (header->pdata[i]);
}

/* Keeps the row's values with the rejection just made (the last one),
 * for the first CP_IMPORT_REPORTED_ROWS refused rows. */
void
_cp_import_keep_rejected_row (CpImportResult *result,
                              GPtrArray      *row)
{
  CpImportRejection *last;

  if (result->rejections->len == 0 || result->rejections->len > CP_IMPORT_REPORTED_ROWS)
    return;
  last = g_ptr_array_index (result->rejections, result->rejections->len - 1);
  if (last->values != NULL)
    return;
  last->values = g_new0 (char *, row->len + 1);
  for (guint i = 0; i < row->len; i++)
    last->values[i] = g_strdup (row->pdata[i]);
}

/**
 * cp_import_rejections_csv:
 *
 * The report of the refused rows: line, column and reason, then the row
 * as the file had it under the file's own header (for the first
 * CP_IMPORT_REPORTED_ROWS refused rows) — fixed, those columns import
 * again.
 *
 * Returns: (transfer full): the refused rows as CSV
 */
char *
cp_import_rejections_csv (CpImportResult *result)
{
  GString *out = g_string_new (NULL);
  guint n_columns = result->header != NULL ? g_strv_length (result->header) : 0;
  g_autofree const char **fields = g_new0 (const char *, 3 + n_columns);

  fields[0] = "line";
  fields[1] = "column";
  fields[2] = "reason";
  for (guint c = 0; c < n_columns; c++)
    fields[3 + c] = result->header[c];
  cp_csv_append_row (out, fields, 3 + n_columns);
  for (guint i = 0; result->rejections != NULL && i < result->rejections->len; i++)
    {
      CpImportRejection *r = result->rejections->pdata[i];
      g_autofree char *line = g_strdup_printf ("%" G_GUINT64_FORMAT, r->line);
      g_autofree char *column = g_strdup_printf ("%u", r->column);
      guint n_values = r->values != NULL ? g_strv_length (r->values) : 0;

      fields[0] = line;
      fields[1] = column;
      fields[2] = r->reason;
      for (guint c = 0; c < n_columns; c++)
        fields[3 + c] = c < n_values ? r->values[c] : "";
      cp_csv_append_row (out, fields, 3 + n_columns);
    }
  return g_string_free (out, FALSE);
}
