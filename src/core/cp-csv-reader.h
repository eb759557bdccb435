/* cp-csv-reader.h — RFC 4180 CSV, read a record at a time in constant memory
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cp-byte-source.h"

G_BEGIN_DECLS

#define CP_CSV_ERROR (cp_csv_error_quark ())

typedef enum
{
  CP_CSV_ERROR_READ,                /* the file could not be read */
  CP_CSV_ERROR_FIELD_TOO_LONG,      /* the record is skipped; reading goes on */
  CP_CSV_ERROR_TOO_MANY_FIELDS,     /* the record is skipped; reading goes on */
  CP_CSV_ERROR_UNTERMINATED_QUOTE,  /* a quoted field runs to the end of the file */
  CP_CSV_ERROR_NUL,                 /* a NUL character: the record is skipped; reading goes on */
  CP_CSV_ERROR_ENCODING,            /* the file's encoding cannot be read; only at the start */
} CpCsvError;

GQuark   cp_csv_error_quark         (void);
gboolean cp_csv_error_skips_record  (const GError *error);

/* Fills @buffer with up to @size bytes; 0 at the end, -1 with @error set. */
typedef CpByteReadFunc CpCsvReadFunc;

typedef struct _CpCsvReader CpCsvReader;

#define CP_CSV_DEFAULT_MAX_FIELD_SIZE (1024 * 1024)
#define CP_CSV_DEFAULT_MAX_FIELDS     250000

CpCsvReader *cp_csv_reader_new            (CpCsvReadFunc   read_func,
                                           gpointer        user_data,
                                           GDestroyNotify  destroy);
CpCsvReader *cp_csv_reader_new_for_data   (const char     *data,
                                           gsize           length);
CpCsvReader *cp_csv_reader_new_for_path   (const char     *path,
                                           GError        **error);
void         cp_csv_reader_free           (CpCsvReader    *reader);

char         cp_csv_reader_get_delimiter  (CpCsvReader    *reader);
void         cp_csv_reader_set_max_field_size (CpCsvReader *reader,
                                               gsize        max_bytes);
void         cp_csv_reader_set_max_fields (CpCsvReader    *reader,
                                           guint           max_fields);

GPtrArray   *cp_csv_reader_next           (CpCsvReader    *reader,
                                           GError        **error);
guint64      cp_csv_reader_get_line       (CpCsvReader    *reader);
guint64      cp_csv_reader_get_bytes_read (CpCsvReader    *reader);
guint64      cp_csv_reader_get_size       (CpCsvReader    *reader);
guint64      cp_csv_reader_get_fallback_line (CpCsvReader *reader);
guint        cp_csv_reader_get_error_column (CpCsvReader *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpCsvReader, cp_csv_reader_free)

G_END_DECLS
