/* cp-import-ahead.c — the first records of a file read ahead, to know its size before writing any
 *
 * How an import commits depends on how many rows the file has (see
 * cp-lead-import.c): it reads a batch and a row ahead, estimates the rest
 * from the file's size, then takes the records read ahead in order,
 * each with its line and, for a record the reader refused, its error,
 * exactly as if it read them then.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-import"

#include "config.h"

#include "cp-import-private.h"

/* A record read ahead: a row, or the reader's error for it (neither: the
 * end of the file). */
typedef struct
{
  GPtrArray *row;
  GError    *error;
  guint64    line;
  guint      column;
} Ahead;

static void
ahead_free (Ahead *ahead)
{
  g_clear_pointer (&ahead->row, g_ptr_array_unref);
  g_clear_error (&ahead->error);
  g_free (ahead);
}

void
_cp_import_ahead_clear (CpImportAhead *ahead)
{
  g_queue_clear_full (&ahead->records, (GDestroyNotify) ahead_free);
}

/**
 * _cp_import_ahead_read:
 * @max_rows: how many rows to read at most
 *
 * Reads up to @max_rows rows ahead (past records the reader skips with
 * an error, which are kept in their place).
 *
 * Returns: how many rows the file has: exactly, when it ended within
 *   @max_rows (or could be read no further), else as many as the file's
 *   size over the size of those read says (at least those read)
 */
guint
_cp_import_ahead_read (CpImportAhead *ahead,
                       CpCsvReader   *reader,
                       guint          max_rows)
{
  guint rows = 0;
  guint64 size, done;

  while (rows < max_rows)
    {
      Ahead *record = g_new0 (Ahead, 1);

      record->row = cp_csv_reader_next (reader, &record->error);
      record->line = cp_csv_reader_get_line (reader);
      record->column = cp_csv_reader_get_error_column (reader);
      g_queue_push_tail (&ahead->records, record);
      if (record->row != NULL)
        rows++;
      else if (record->error == NULL || !cp_csv_error_skips_record (record->error))
        return rows;   /* the end, or the end of what can be read */
    }
  size = cp_csv_reader_get_size (reader);
  done = cp_csv_reader_get_bytes_read (reader);
  if (size > done && done > 0)
    return (guint) CLAMP ((double) rows * size / done, rows, G_MAXUINT);
  return rows;
}

/**
 * _cp_import_ahead_next:
 * @out_line: (out): the record's line, as cp_csv_reader_get_line() says
 * @out_column: (out): for an error, its column
 *
 * The next record: the first read ahead, or the reader's next.
 *
 * Returns: (transfer full) (nullable): the row; %NULL with @error set for
 *   a record the reader refused, without at the end
 */
GPtrArray *
_cp_import_ahead_next (CpImportAhead  *ahead,
                       CpCsvReader    *reader,
                       guint64        *out_line,
                       guint          *out_column,
                       GError        **error)
{
  Ahead *record = g_queue_pop_head (&ahead->records);
  GPtrArray *row;

  if (record == NULL)
    {
      row = cp_csv_reader_next (reader, error);
      *out_line = cp_csv_reader_get_line (reader);
      *out_column = cp_csv_reader_get_error_column (reader);
      return row;
    }
  row = g_steal_pointer (&record->row);
  *out_line = record->line;
  *out_column = record->column;
  if (record->error != NULL)
    g_propagate_error (error, g_steal_pointer (&record->error));
  ahead_free (record);
  return row;
}
