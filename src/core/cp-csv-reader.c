/* cp-csv-reader.c — RFC 4180 CSV, read a record at a time in constant memory
 *
 * A byte-at-a-time state machine over a 64 KiB buffer: quoted fields with
 * doubled quotes and line breaks, CRLF, LF or CR line ends, a UTF-8 byte
 * order mark, the delimiter (comma, semicolon or tab) guessed from the
 * first line, or named by it as Excel does ("sep=;"). Memory is bounded
 * by the largest field and the number of fields in a record, both
 * capped: a record past a cap, or with a NUL character in it, is reported
 * with its line and column and skipped, and reading goes on with the
 * next one.
 * UTF-16, little- or big-endian (told by its byte order mark, or by ASCII
 * text written without one), is turned into UTF-8 a buffer at a time as it
 * is read. Other text that is not UTF-8 is read as Windows-1252 (what
 * spreadsheets on Windows write), and the first line where that happened
 * is remembered so the caller can warn.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-csv-reader"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cp-csv-reader.h"
#include "cp-utf16-decoder.h"

#define BUFFER_SIZE (64 * 1024)

G_DEFINE_QUARK (cp-csv-error-quark, cp_csv_error)

typedef enum
{
  FIELD_START,
  UNQUOTED,
  QUOTED,
  QUOTE_IN_QUOTED,
} State;

struct _CpCsvReader
{
  CpCsvReadFunc   read_func;
  gpointer        user_data;
  GDestroyNotify  destroy;

  char           *buffer;
  gsize           length;
  gsize           position;
  gboolean        eof;
  gboolean        started;      /* the byte order mark and delimiter are settled */
  CpUtf16Decoder *utf16;        /* a UTF-16 file: what turns it into UTF-8 */

  char            delimiter;    /* 0: guess from the first line */
  gsize           max_field_size;
  guint           max_fields;

  guint64         line;         /* the physical line being read, from 1 */
  guint64         record_line;  /* where the last record began */
  guint64         bytes_read;
  guint64         size;         /* the source's size in bytes, 0 when unknown */
  guint64         fallback_line;
  guint           error_column;  /* where the last error was, from 1 */
  GString        *field;
};

/* ---- sources ---- */

typedef struct
{
  const char *data;
  gsize       length;
  gsize       offset;
} DataSource;

static gssize
read_data (gpointer   user_data,
           char      *buffer,
           gsize      size,
           GError   **error)
{
  DataSource *source = user_data;
  gsize n = MIN (size, source->length - source->offset);

  memcpy (buffer, source->data + source->offset, n);
  source->offset += n;
  return n;
}

static gssize
read_fd (gpointer   user_data,
         char      *buffer,
         gsize      size,
         GError   **error)
{
  int fd = GPOINTER_TO_INT (user_data);

  for (;;)
    {
      gssize n = read (fd, buffer, size);
      int saved_errno = errno;

      if (n >= 0)
        return n;
      if (saved_errno == EINTR)
        continue;
      g_set_error (error, CP_CSV_ERROR, CP_CSV_ERROR_READ, _("The file could not be read: %s"),
                   g_strerror (saved_errno));
      return -1;
    }
}

static void
close_fd (gpointer user_data)
{
  close (GPOINTER_TO_INT (user_data));
}

/**
 * cp_csv_reader_new:
 * @read_func: where the bytes come from
 * @destroy: (nullable): frees @user_data with the reader
 */
CpCsvReader *
cp_csv_reader_new (CpCsvReadFunc  read_func,
                   gpointer       user_data,
                   GDestroyNotify destroy)
{
  CpCsvReader *reader = g_new0 (CpCsvReader, 1);

  g_return_val_if_fail (read_func != NULL, NULL);

  reader->read_func = read_func;
  reader->user_data = user_data;
  reader->destroy = destroy;
  reader->buffer = g_malloc (BUFFER_SIZE);
  reader->max_field_size = CP_CSV_DEFAULT_MAX_FIELD_SIZE;
  reader->max_fields = CP_CSV_DEFAULT_MAX_FIELDS;
  reader->line = 1;
  reader->field = g_string_sized_new (256);
  return reader;
}

/**
 * cp_csv_reader_new_for_data:
 * @data: the text; it must outlive the reader
 */
CpCsvReader *
cp_csv_reader_new_for_data (const char *data,
                            gsize       length)
{
  DataSource *source = g_new0 (DataSource, 1);
  CpCsvReader *reader;

  source->data = data;
  source->length = length;
  reader = cp_csv_reader_new (read_data, source, g_free);
  reader->size = length;
  return reader;
}

CpCsvReader *
cp_csv_reader_new_for_path (const char  *path,
                            GError     **error)
{
  CpCsvReader *reader;
  struct stat info;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, CP_CSV_ERROR, CP_CSV_ERROR_READ, _("“%s” could not be opened: %s"), name,
                   g_strerror (saved_errno));
      return NULL;
    }
  reader = cp_csv_reader_new (read_fd, GINT_TO_POINTER (fd), close_fd);
  if (fstat (fd, &info) == 0 && S_ISREG (info.st_mode))
    reader->size = (guint64) info.st_size;
  return reader;
}

void
cp_csv_reader_free (CpCsvReader *reader)
{
  if (reader == NULL)
    return;
  if (reader->destroy != NULL)
    reader->destroy (reader->user_data);
  g_free (reader->buffer);
  g_clear_pointer (&reader->utf16, cp_utf16_decoder_free);
  g_string_free (reader->field, TRUE);
  g_free (reader);
}

/* ---- settings ---- */

/* Returns: the delimiter in use (guessed once the first record is read) */
char
cp_csv_reader_get_delimiter (CpCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, ',');

  return reader->delimiter != 0 ? reader->delimiter : ',';
}

void
cp_csv_reader_set_max_field_size (CpCsvReader *reader,
                                  gsize        max_bytes)
{
  g_return_if_fail (reader != NULL && max_bytes > 0);

  reader->max_field_size = max_bytes;
}

void
cp_csv_reader_set_max_fields (CpCsvReader *reader,
                              guint        max_fields)
{
  g_return_if_fail (reader != NULL && max_fields > 0);

  reader->max_fields = max_fields;
}

/* The line the last record (or the last error) began on, from 1. */
guint64
cp_csv_reader_get_line (CpCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->record_line;
}

/* The bytes of the file read so far, after its byte order mark. */
guint64
cp_csv_reader_get_bytes_read (CpCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  /* An odd last byte of UTF-16 counted as a whole character. */
  if (reader->utf16 != NULL)
    return MIN (reader->bytes_read, cp_utf16_decoder_get_bytes_read (reader->utf16));
  return reader->bytes_read;
}

/**
 * cp_csv_reader_get_size:
 *
 * Returns: the size of the source in bytes (a file's, as it was opened),
 *   or 0 when the source does not say (a stream); with
 *   cp_csv_reader_get_bytes_read(), how far the reading has come
 */
guint64
cp_csv_reader_get_size (CpCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->size;
}

/* The column (from 1) of the last error cp_csv_reader_next() reported. */
guint
cp_csv_reader_get_error_column (CpCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->error_column;
}

/* The first line read as Windows-1252 because it was not UTF-8; 0: none. */
guint64
cp_csv_reader_get_fallback_line (CpCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->fallback_line;
}

/**
 * cp_csv_error_skips_record:
 * @error: (nullable): an error from cp_csv_reader_next()
 *
 * Returns: whether @error is about one record, which was skipped: the next
 *   call to cp_csv_reader_next() goes on after it
 */
gboolean
cp_csv_error_skips_record (const GError *error)
{
  return g_error_matches (error, CP_CSV_ERROR, CP_CSV_ERROR_FIELD_TOO_LONG) ||
         g_error_matches (error, CP_CSV_ERROR, CP_CSV_ERROR_TOO_MANY_FIELDS) ||
         g_error_matches (error, CP_CSV_ERROR, CP_CSV_ERROR_NUL);
}

/* ---- reading ---- */

/* How many bytes of the file @c, a byte of the text as read, stands for:
 * in UTF-16 a character counts at its first byte of UTF-8. */
static inline guint
source_size (CpCsvReader *reader,
             guchar       c)
{
  if (reader->utf16 == NULL)
    return 1;
  if ((c & 0xC0) == 0x80)
    return 0;
  return c >= 0xF0 ? 4 : 2;   /* past U+FFFF: a surrogate pair */
}

/* Reads the text of the file on: its bytes, or the UTF-8 of its UTF-16. */
static gssize
pull (CpCsvReader  *reader,
      char         *buffer,
      gsize         size,
      GError      **error)
{
  if (reader->utf16 == NULL)
    return reader->read_func (reader->user_data, buffer, size, error);
  return cp_utf16_decoder_read (reader->utf16, buffer, size, error);
}

static gboolean
fill (CpCsvReader  *reader,
      GError      **error)
{
  gssize n;

  if (reader->eof)
    return TRUE;
  n = pull (reader, reader->buffer, BUFFER_SIZE, error);
  if (n < 0)
    {
      reader->eof = TRUE;
      return FALSE;
    }
  reader->length = n;
  reader->position = 0;
  reader->eof = n == 0;
  return TRUE;
}

/* The first line decides the delimiter: the most frequent of comma,
 * semicolon and tab outside quotes (a comma on a tie or when none). */
static char
guess_delimiter (const char *data,
                 gsize       length)
{
  guint commas = 0, semicolons = 0, tabs = 0;
  gboolean quoted = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (c == '"')
        quoted = !quoted;
      else if (quoted)
        continue;
      else if (c == '\n' || c == '\r')
        break;
      else if (c == ',')
        commas++;
      else if (c == ';')
        semicolons++;
      else if (c == '\t')
        tabs++;
    }
  if (semicolons > commas && semicolons >= tabs)
    return ';';
  if (tabs > commas && tabs > semicolons)
    return '\t';
  return ',';
}

/* Reads on into the buffer until it holds @min_length bytes and, with
 * @whole_line, a line end (or it is full, or the file ends), however
 * little each read returns. */
static gboolean
read_ahead (CpCsvReader  *reader,
            gsize         min_length,
            gboolean      whole_line,
            GError      **error)
{
  while (!reader->eof && reader->length < BUFFER_SIZE &&
         (reader->length < min_length ||
          (whole_line && memchr (reader->buffer, '\n', reader->length) == NULL)))
    {
      gssize n = pull (reader, reader->buffer + reader->length, BUFFER_SIZE - reader->length,
                       error);

      if (n < 0)
        return FALSE;
      reader->length += n;
      reader->eof = n == 0;
    }
  return TRUE;
}

static inline gboolean
is_ascii_text (guint8 byte)
{
  return byte > 0 && byte < 0x80;
}

/* The encoding, from the first bytes: a byte order mark, or ASCII text
 * with every other byte zero (UTF-16 written without a mark). */
static gboolean
settle_encoding (CpCsvReader  *reader,
                 GError      **error)
{
  const guint8 *head = (const guint8 *) reader->buffer;
  gsize length = reader->length;
  gsize mark = 2;
  gboolean big_endian;

  if (length >= 4 &&
      (memcmp (head, "\xFF\xFE\0\0", 4) == 0 || memcmp (head, "\0\0\xFE\xFF", 4) == 0))
    {
      g_set_error_literal (error, CP_CSV_ERROR, CP_CSV_ERROR_ENCODING,
                           _("The file is in UTF-32, an encoding that cannot be read. Save it as "
                             "UTF-8 (“CSV UTF-8” in a spreadsheet) and try again."));
      return FALSE;
    }
  if (length >= 3 && memcmp (head, "\xEF\xBB\xBF", 3) == 0)
    {
      reader->position = 3;
      return TRUE;
    }
  if (length >= 2 && memcmp (head, "\xFF\xFE", 2) == 0)
    big_endian = FALSE;
  else if (length >= 2 && memcmp (head, "\xFE\xFF", 2) == 0)
    big_endian = TRUE;
  else if (length >= 4 && is_ascii_text (head[0]) && head[1] == 0 &&
           is_ascii_text (head[2]) && head[3] == 0)
    {
      big_endian = FALSE;
      mark = 0;
    }
  else if (length >= 4 && head[0] == 0 && is_ascii_text (head[1]) &&
           head[2] == 0 && is_ascii_text (head[3]))
    {
      big_endian = TRUE;
      mark = 0;
    }
  else
    return TRUE;

  /* What was read is the start of the UTF-16; the buffer gets its UTF-8. */
  reader->utf16 = cp_utf16_decoder_new (reader->read_func, reader->user_data, big_endian,
                                        reader->buffer + mark, length - mark);
  reader->length = 0;
  reader->eof = FALSE;
  return TRUE;
}

/* Excel's "sep=;" first line names the delimiter of the lines after it:
 * taken, and read past (no record). A line with more after it is data. */
static void
take_separator_line (CpCsvReader *reader)
{
  const char *line = reader->buffer + reader->position;
  gsize n = reader->length - reader->position;
  gsize end = 5;

  if (n < 5 || g_ascii_strncasecmp (line, "sep=", 4) != 0 ||
      line[4] == '\r' || line[4] == '\n' || line[4] == '"')
    return;
  if (end < n && line[end] == '\r')
    end++;
  if (end < n && line[end] == '\n')
    end++;
  if (end == 5 && n > 5)
    return;
  if (reader->delimiter == 0)
    reader->delimiter = line[4];
  for (gsize i = 0; i < end; i++)
    reader->bytes_read += source_size (reader, (guchar) line[i]);
  reader->position += end;
  reader->line++;
}

/* The encoding and the delimiter are read off the first bytes and the
 * first line. */
static gboolean
start (CpCsvReader  *reader,
       GError      **error)
{
  reader->started = TRUE;
  if (!read_ahead (reader, 4, FALSE, error) ||
      !settle_encoding (reader, error) ||
      !read_ahead (reader, 0, TRUE, error))
    {
      /* Nothing more is read. */
      reader->eof = TRUE;
      reader->length = reader->position = 0;
      return FALSE;
    }
  /* The end of the file is noticed again by the next fill(). */
  reader->eof = FALSE;
  take_separator_line (reader);
  if (reader->delimiter == 0)
    reader->delimiter = guess_delimiter (reader->buffer + reader->position,
                                         reader->length - reader->position);
  return TRUE;
}

/* The field as UTF-8: as it is, or read as Windows-1252. */
static char *
take_field (CpCsvReader *reader)
{
  GString *field = reader->field;
  char *text;

  if (g_utf8_validate (field->str, field->len, NULL))
    text = g_strndup (field->str, field->len);
  else
    {
      text = g_convert (field->str, field->len, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);
      if (text == NULL)   /* bytes Windows-1252 leaves undefined */
        text = g_utf8_make_valid (field->str, field->len);
      if (reader->fallback_line == 0)
        reader->fallback_line = reader->line;
    }
  g_string_truncate (field, 0);
  return text;
}

typedef struct
{
  GPtrArray  *fields;
  gboolean    skipping;      /* past a cap or at a NUL: read to its end, then report */
  CpCsvError  skip;          /* why */
  guint       skip_column;
  gboolean    any_quote;
} Record;

/* The record is read to its end, then reported and left out. */
static void
skip_record (CpCsvReader *reader,
             Record      *record,
             CpCsvError   why)
{
  record->skipping = TRUE;
  record->skip = why;
  record->skip_column = record->fields->len + 1;
  g_string_truncate (reader->field, 0);
}

static void
end_field (CpCsvReader *reader,
           Record      *record)
{
  if (record->skipping)
    g_string_truncate (reader->field, 0);
  else if (record->fields->len >= reader->max_fields)
    skip_record (reader, record, CP_CSV_ERROR_TOO_MANY_FIELDS);
  else
    g_ptr_array_add (record->fields, take_field (reader));
}

static void
append (CpCsvReader *reader,
        Record      *record,
        char         c)
{
  if (record->skipping)
    return;
  /* A NUL is no text: replacing or dropping it would import a value no
   * one wrote. */
  if (c == '\0')
    skip_record (reader, record, CP_CSV_ERROR_NUL);
  else if (reader->field->len >= reader->max_field_size)
    skip_record (reader, record, CP_CSV_ERROR_FIELD_TOO_LONG);
  else
    g_string_append_c (reader->field, c);
}

static void
set_skip_error (CpCsvReader  *reader,
                Record       *record,
                GError      **error)
{
  reader->error_column = record->skip_column;
  switch (record->skip)
    {
    case CP_CSV_ERROR_FIELD_TOO_LONG:
      g_set_error (error, CP_CSV_ERROR, CP_CSV_ERROR_FIELD_TOO_LONG,
                   _("Line %" G_GUINT64_FORMAT ", column %u: the value is longer than %"
                     G_GSIZE_FORMAT " KiB; the row was skipped."),
                   reader->record_line, record->skip_column, reader->max_field_size / 1024);
      break;
    case CP_CSV_ERROR_TOO_MANY_FIELDS:
      g_set_error (error, CP_CSV_ERROR, CP_CSV_ERROR_TOO_MANY_FIELDS,
                   _("Line %" G_GUINT64_FORMAT ", column %u: the row has more than %u columns; "
                     "it was skipped."),
                   reader->record_line, record->skip_column, reader->max_fields);
      break;
    case CP_CSV_ERROR_NUL:
      g_set_error (error, CP_CSV_ERROR, CP_CSV_ERROR_NUL,
                   _("Line %" G_GUINT64_FORMAT ", column %u: the value holds a NUL character "
                     "(code 0), which is not text (is the file damaged?); the row was skipped."),
                   reader->record_line, record->skip_column);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Takes one byte of a record in @state: returns whether it ended the
 * line (a CR or LF outside quotes). */
static gboolean
read_byte (CpCsvReader *reader,
           Record      *record,
           State       *state,
           char         c)
{
  switch (*state)
    {
    case FIELD_START:
    case UNQUOTED:
      if (c == reader->delimiter)
        {
          end_field (reader, record);
          *state = FIELD_START;
        }
      else if (c == '\n' || c == '\r')
        return TRUE;
      else if (c == '"' && *state == FIELD_START)
        {
          *state = QUOTED;
          record->any_quote = TRUE;
        }
      else
        {
          append (reader, record, c);
          *state = UNQUOTED;
        }
      break;

    case QUOTED:
      if (c == '"')
        *state = QUOTE_IN_QUOTED;
      else
        {
          if (c == '\n')
            reader->line++;
          append (reader, record, c);
        }
      break;

    case QUOTE_IN_QUOTED:
      if (c == '"')
        {
          append (reader, record, '"');
          *state = QUOTED;
        }
      else if (c == reader->delimiter)
        {
          end_field (reader, record);
          *state = FIELD_START;
        }
      else if (c == '\n' || c == '\r')
        return TRUE;
      else
        {
          /* Text after a closing quote: kept, as spreadsheets do. */
          append (reader, record, c);
          *state = UNQUOTED;
        }
      break;
    }
  return FALSE;
}

/* How many bytes from the reader's position on read_byte() would only
 * append to the value in @state (inside an unquoted or a quoted value:
 * no delimiter, quote, line end or NUL), within the value's cap. Only for
 * a UTF-8 source, where a byte of the text is a byte of the file. */
static gsize
plain_run (CpCsvReader *reader,
           State        state)
{
  const char *start = reader->buffer + reader->position;
  gsize room = reader->max_field_size > reader->field->len
             ? reader->max_field_size - reader->field->len : 0;
  gsize n = MIN (reader->length - reader->position, room);
  gsize i;

  for (i = 0; i < n; i++)
    {
      char c = start[i];

      if (c == '\0' || c == '\n' || c == '"' ||
          (state == UNQUOTED && (c == reader->delimiter || c == '\r')))
        break;
    }
  return i;
}

/* After the CR or LF @c that ended a line: a CRLF's LF belongs to it. */
static gboolean
end_line (CpCsvReader  *reader,
          char          c,
          GError      **error)
{
  if (c == '\r')
    {
      if (reader->position == reader->length && !fill (reader, error))
        return FALSE;
      if (reader->position < reader->length && reader->buffer[reader->position] == '\n')
        {
          reader->position++;
          reader->bytes_read += source_size (reader, '\n');
        }
    }
  reader->line++;
  return TRUE;
}

/**
 * cp_csv_reader_next:
 *
 * Reads the next record. Blank lines are skipped.
 *
 * Returns: (transfer full) (nullable) (element-type utf8): the fields; %NULL
 *   at the end of the file, or %NULL with @error set: when
 *   cp_csv_error_skips_record() says so (a value past the cap, too many
 *   values, a NUL character) the record is skipped and the next call goes
 *   on after it; after any other error the reader is at its end
 */
GPtrArray *
cp_csv_reader_next (CpCsvReader  *reader,
                    GError      **error)
{
  Record record = { NULL, FALSE, CP_CSV_ERROR_READ, 0, FALSE };
  State state = FIELD_START;
  gboolean any_byte = FALSE;

  g_return_val_if_fail (reader != NULL, NULL);

  if (!reader->started && !start (reader, error))
    return NULL;
  record.fields = g_ptr_array_new_with_free_func (g_free);
  reader->record_line = reader->line;
  g_string_truncate (reader->field, 0);

  for (;;)
    {
      char c;

      if (reader->position == reader->length)
        {
          if (!fill (reader, error))
            {
              g_ptr_array_unref (record.fields);
              return NULL;
            }
          if (reader->eof)
            {
              if (state == QUOTED)
                {
                  reader->error_column = record.fields->len + 1;
                  g_set_error (error, CP_CSV_ERROR, CP_CSV_ERROR_UNTERMINATED_QUOTE,
                               _("Line %" G_GUINT64_FORMAT ", column %u: a quoted value is never "
                                 "closed: the file ends inside it (is it cut short?)."),
                               reader->record_line, record.fields->len + 1);
                  g_ptr_array_unref (record.fields);
                  return NULL;
                }
              if (!any_byte)
                {
                  g_ptr_array_unref (record.fields);
                  return NULL;
                }
              end_field (reader, &record);
              break;
            }
        }
      /* The plain bytes of a value at once (most of a file's bytes). */
      if (reader->utf16 == NULL && !record.skipping && (state == UNQUOTED || state == QUOTED))
        {
          gsize run = plain_run (reader, state);

          if (run > 0)
            {
              g_string_append_len (reader->field, reader->buffer + reader->position, (gssize) run);
              reader->position += run;
              reader->bytes_read += run;
              any_byte = TRUE;
              continue;
            }
        }
      c = reader->buffer[reader->position++];
      reader->bytes_read += source_size (reader, c);
      any_byte = TRUE;

      if (!read_byte (reader, &record, &state, c))
        continue;
      if (!end_line (reader, c, error))
        {
          g_ptr_array_unref (record.fields);
          return NULL;
        }
      end_field (reader, &record);

      /* A blank line is no record. */
      if (!record.skipping && record.fields->len == 1 && !record.any_quote &&
          *(const char *) record.fields->pdata[0] == '\0')
        {
          g_ptr_array_set_size (record.fields, 0);
          reader->record_line = reader->line;
          state = FIELD_START;
          any_byte = FALSE;
          continue;
        }
      break;
    }

  if (record.skipping)
    {
      set_skip_error (reader, &record, error);
      g_ptr_array_unref (record.fields);
      return NULL;
    }
  return record.fields;
}
