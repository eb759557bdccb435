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

/**
 * cp_import_rejections_csv:
 *
 * Returns: (transfer full): the refused rows as CSV: line, column, reason
 */
char *
cp_import_rejections_csv (CpImportResult *result)
{
  GString *out = g_string_new (NULL);
  const char *header[] = { "line", "column", "reason" };

  cp_csv_append_row (out, header, 3);
  for (guint i = 0; result->rejections != NULL && i < result->rejections->len; i++)
    {
      CpImportRejection *r = result->rejections->pdata[i];
      g_autofree char *line = g_strdup_printf ("%" G_GUINT64_FORMAT, r->line);
      g_autofree char *column = g_strdup_printf ("%u", r->column);
      const char *row[] = { line, column, r->reason };

      cp_csv_append_row (out, row, 3);
    }
  return g_string_free (out, FALSE);
}
