/* test-csv-reader.c — the CSV reader over nasty input, whole and a byte at a time:
 * UTF-8 and UTF-16, NUL characters, caps
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cp-csv-reader.h"
#include "cp-lead-import.h"
#include "cp-test-util.h"

/* A string literal and its length, NUL characters included. */
#define BYTES(literal) (literal), (sizeof (literal) - 1)
#define REPLACEMENT "\xEF\xBF\xBD"   /* U+FFFD */

/* Feeds the reader one byte per call: every buffer boundary is crossed. */
typedef struct
{
  const char *data;
  gsize       length;
  gsize       offset;
} Trickle;

static gssize
read_trickle (gpointer   user_data,
              char      *buffer,
              gsize      size,
              GError   **error)
{
  Trickle *trickle = user_data;

  if (trickle->offset == trickle->length)
    return 0;
  buffer[0] = trickle->data[trickle->offset++];
  return 1;
}

static gssize
read_failing (gpointer   user_data,
              char      *buffer,
              gsize      size,
              GError   **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "disk on fire");
  return -1;
}

/* The records of @reader as "a|b|c" lines, errors as "!CODE@LINE:COLUMN". */
static char *
read_all (CpCsvReader *reader)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) fields = cp_csv_reader_next (reader, &error);

      if (fields == NULL && error == NULL)
        break;
      if (error != NULL)
        {
          g_string_append_printf (out, "!%d@%" G_GUINT64_FORMAT ":%u\n", error->code,
                                  cp_csv_reader_get_line (reader),
                                  cp_csv_reader_get_error_column (reader));
          if (!cp_csv_error_skips_record (error))
            break;
          continue;
        }
      for (guint i = 0; i < fields->len; i++)
        g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", (const char *) fields->pdata[i]);
      g_string_append_printf (out, "@%" G_GUINT64_FORMAT "\n", cp_csv_reader_get_line (reader));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef struct
{
  const char *name;
  const char *input;
  gssize      length;        /* -1: strlen */
  const char *expected;      /* records as read_all() prints them */
  char        delimiter;     /* the one it must settle on */
  guint64     fallback_line;
} Case;

static const Case cases[] = {
  { "simple", "a,b,c\n1,2,3\n", -1, "a|b|c@1\n1|2|3@2\n", ',', 0 },
  { "escaped-quotes", "\"a \"\"quoted\"\" word\",b\n", -1, "a \"quoted\" word|b@1\n", ',', 0 },
  { "embedded-newline", "\"line one\nline two\",x\nnext,y\n", -1,
    "line one\nline two|x@1\nnext|y@3\n", ',', 0 },
  { "crlf", "a,b\r\n1,2\r\n", -1, "a|b@1\n1|2@2\n", ',', 0 },
  { "cr-only", "a,b\r1,2\r", -1, "a|b@1\n1|2@2\n", ',', 0 },
  { "quoted-crlf", "\"x\r\ny\",z\r\n", -1, "x\r\ny|z@1\n", ',', 0 },
  { "bom", "\xEF\xBB\xBFname,email\nAda,ada@example.org\n", -1,
    "name|email@1\nAda|ada@example.org@2\n", ',', 0 },
  { "semicolons", "Vorname;Nachname;E-Mail\nJörg;Müller;j@example.de\n", -1,
    "Vorname|Nachname|E-Mail@1\nJörg|Müller|j@example.de@2\n", ';', 0 },
  { "tabs", "a\tb, still b\tz\nc\td\te\n", -1, "a|b, still b|z@1\nc|d|e@2\n", '\t', 0 },
  { "tie-is-a-comma", "a\tb,c\n", -1, "a\tb|c@1\n", ',', 0 },
  { "quoted-delimiters-do-not-count", "\"a;b;c\",d\n", -1, "a;b;c|d@1\n", ',', 0 },
  { "windows-1252", "name,city\nRen\xe9,Montr\xe9\x61l\n", -1,
    "name|city@1\nRené|Montréal@2\n", ',', 2 },
  { "truncated-last-line", "a,b\n1,2", -1, "a|b@1\n1|2@2\n", ',', 0 },
  { "unterminated-quote", "a,b\n1,\"never closed\n", -1,
    "a|b@1\n!3@2:2\n", ',', 0 },
  { "empty-file", "", -1, "", ',', 0 },
  { "header-only", "first_name,last_name\n", -1, "first_name|last_name@1\n", ',', 0 },
  { "blank-lines-skipped", "a\n\n\r\n\nb\n", -1, "a@1\nb@5\n", ',', 0 },
  { "empty-fields", ",,\n", -1, "||@1\n", ',', 0 },
  { "quoted-empty-is-a-record", "\"\"\n", -1, "@1\n", ',', 0 },
  { "text-after-closing-quote", "\"ab\"c,d\n", -1, "abc|d@1\n", ',', 0 },
  { "quote-inside-unquoted", "5\" screen,x\n", -1, "5\" screen|x@1\n", ',', 0 },
  /* A NUL: the row is reported with its line and column, never mended. */
  { "nul-byte", BYTES ("a\0b,c\n"), "!4@1:1\n", ',', 0 },
  { "nul-then-rows", BYTES ("a,b\n1,x\0y\n2,z\n"), "a|b@1\n!4@2:2\n2|z@3\n", ',', 0 },
  { "nul-quoted-two-lines", BYTES ("k,v\n1,\"x\ny\0\"\n2,z\n"), "k|v@1\n!4@2:2\n2|z@4\n", ',', 0 },
  { "nul-only-line", BYTES ("a\n\0\nb\n"), "a@1\n!4@2:1\nb@3\n", ',', 0 },
  { "nul-last-line-unterminated", BYTES ("a\n\0"), "a@1\n!4@2:1\n", ',', 0 },
  /* UTF-16 without a byte order mark, told by its zero bytes. */
  { "utf16le-no-bom", BYTES ("a\0,\0b\0\n\0\xE9\0,\0z\0"), "a|b@1\né|z@2\n", ',', 0 },
  { "utf16be-no-bom", BYTES ("\0a\0;\0b\0\n\0\xE9\0;\0z"), "a|b@1\né|z@2\n", ';', 0 },
  /* What is not UTF-16: half a surrogate pair, either half; an odd last byte. */
  { "utf16-broken", BYTES ("\xFF\xFE" "a\0\x00\xD8" "b\0,\0\x00\xDC\n\0z"),
    "a" REPLACEMENT "b|" REPLACEMENT "@1\n" REPLACEMENT "@2\n", ',', 0 },
  /* Excel's first line naming the delimiter: taken, and no record. */
  { "excel-sep-line", "sep=;\r\na,b,c;d\r\n1;2\r\n", -1, "a,b,c|d@2\n1|2@3\n", ';', 0 },
  { "excel-sep-line-bom-tab", "\xEF\xBB\xBFsep=\t\na\tb\n", -1, "a|b@2\n", '\t', 0 },
  { "excel-sep-line-only", "sep=,", -1, "", ',', 0 },
  { "sep-is-data", "sep=,x\na\n", -1, "sep=|x@1\na@2\n", ',', 0 },
  { "utf16-high-surrogate-last", BYTES ("\xFE\xFF\0x\xD8\x3D"), "x" REPLACEMENT "@1\n", ',', 0 },
};

static void
check_case (gconstpointer data)
{
  const Case *c = data;
  gsize length = c->length >= 0 ? (gsize) c->length : strlen (c->input);
  g_autoptr(CpCsvReader) whole = cp_csv_reader_new_for_data (c->input, length);
  Trickle trickle = { c->input, length, 0 };
  g_autoptr(CpCsvReader) slow = cp_csv_reader_new (read_trickle, &trickle, NULL);
  g_autofree char *got_whole = read_all (whole);
  g_autofree char *got_slow = read_all (slow);

  g_assert_cmpstr (got_whole, ==, c->expected);
  g_assert_cmpstr (got_slow, ==, c->expected);
  g_assert_cmpint (cp_csv_reader_get_delimiter (whole), ==, c->delimiter);
  g_assert_cmpint (cp_csv_reader_get_delimiter (slow), ==, c->delimiter);
  g_assert_cmpuint (cp_csv_reader_get_fallback_line (whole), ==, c->fallback_line);
}

/* A value past the cap: reported with line and column, the row skipped,
 * the next row read. */
static void
test_field_too_long (void)
{
  const char *input = "short,0123456789ABC\nnext,row\n";
  g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_data (input, strlen (input));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = NULL;

  cp_csv_reader_set_max_field_size (reader, 10);
  g_assert_null (cp_csv_reader_next (reader, &error));
  g_assert_error (error, CP_CSV_ERROR, CP_CSV_ERROR_FIELD_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "Line 1, column 2"));
  fields = cp_csv_reader_next (reader, NULL);
  g_assert_cmpuint (fields->len, ==, 2);
  g_assert_cmpstr (fields->pdata[0], ==, "next");
}

static void
test_too_many_fields (void)
{
  const char *input = "a,b,c,d\nx\n";
  g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_data (input, strlen (input));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = NULL;

  cp_csv_reader_set_max_fields (reader, 3);
  g_assert_null (cp_csv_reader_next (reader, &error));
  g_assert_error (error, CP_CSV_ERROR, CP_CSV_ERROR_TOO_MANY_FIELDS);
  g_assert_nonnull (strstr (error->message, "column 4"));
  fields = cp_csv_reader_next (reader, NULL);
  g_assert_cmpuint (fields->len, ==, 1);
  g_assert_cmpstr (fields->pdata[0], ==, "x");
}

/* 100,000 columns on one line are read (the cap is higher). */
static void
test_wide_line (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(CpCsvReader) reader = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (input, "%sc%u", i > 0 ? "," : "", i);
  g_string_append (input, "\n");
  reader = cp_csv_reader_new_for_data (input->str, input->len);
  fields = cp_csv_reader_next (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fields->len, ==, 100000);
  g_assert_cmpstr (fields->pdata[99999], ==, "c99999");
}

/* A 50 MB value is refused at the default cap; memory stays bounded and
 * the next row is read. */
static void
test_huge_field (void)
{
  gsize size = 50 * 1024 * 1024;
  g_autofree char *input = g_malloc (size + 64);
  g_autoptr(CpCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  gsize n;

  memcpy (input, "id,\"", 4);
  memset (input + 4, 'x', size);
  n = 4 + size;
  memcpy (input + n, "\"\nnext,row\n", 11);
  n += 11;
  reader = cp_csv_reader_new_for_data (input, n);
  g_assert_null (cp_csv_reader_next (reader, &error));
  g_assert_error (error, CP_CSV_ERROR, CP_CSV_ERROR_FIELD_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "Line 1, column 2"));
  fields = cp_csv_reader_next (reader, NULL);
  g_assert_nonnull (fields);
  g_assert_cmpstr (fields->pdata[1], ==, "row");
  g_assert_cmpuint (cp_csv_reader_get_bytes_read (reader), ==, n);
}

static void
test_read_error (void)
{
  g_autoptr(CpCsvReader) reader = cp_csv_reader_new (read_failing, NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (cp_csv_reader_next (reader, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_null (cp_csv_reader_next (reader, &error));
  g_assert_no_error (error);
}

static void
test_path (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "leads.csv", NULL);
  g_autofree char *missing = g_build_filename (dir, "nope.csv", NULL);
  g_autoptr(CpCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *all = NULL;

  g_assert_true (g_file_set_contents (path, "a;b\r\n1;\"2\r\n3\"\r\n", -1, NULL));
  reader = cp_csv_reader_new_for_path (path, &error);
  g_assert_no_error (error);
  all = read_all (reader);
  g_assert_cmpstr (all, ==, "a|b@1\n1|2\r\n3@2\n");
  g_clear_pointer (&reader, cp_csv_reader_free);

  g_assert_null (cp_csv_reader_new_for_path (missing, &error));
  g_assert_error (error, CP_CSV_ERROR, CP_CSV_ERROR_READ);
  g_assert_nonnull (strstr (error->message, "nope.csv"));
  cp_test_remove_tree (dir);
}

/* The message of a NUL says where, and the rows after it are read. */
static void
test_nul_message (void)
{
  g_autoptr(CpCsvReader) reader =
    cp_csv_reader_new_for_data (BYTES ("a,b\r\nx,y\0z\r\nnext,row\r\n"));
  g_autoptr(GPtrArray) header = cp_csv_reader_next (reader, NULL);
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (header);
  g_assert_null (cp_csv_reader_next (reader, &error));
  g_assert_error (error, CP_CSV_ERROR, CP_CSV_ERROR_NUL);
  g_assert_true (cp_csv_error_skips_record (error));
  g_assert_nonnull (strstr (error->message, "Line 2, column 2"));
  g_assert_nonnull (strstr (error->message, "NUL"));
  g_assert_cmpuint (cp_csv_reader_get_line (reader), ==, 2);
  g_assert_cmpuint (cp_csv_reader_get_error_column (reader), ==, 2);
  fields = cp_csv_reader_next (reader, NULL);
  g_assert_nonnull (fields);
  g_assert_cmpstr (fields->pdata[0], ==, "next");
  g_assert_cmpuint (cp_csv_reader_get_line (reader), ==, 3);
}

/* @length bytes of @text as UTF-16, after a byte order mark or not. */
static GBytes *
to_utf16 (const char *text,
          gssize      length,
          gboolean    big_endian,
          gboolean    mark)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *utf16 = NULL;
  gsize written = 0;

  utf16 = g_convert (text, length, big_endian ? "UTF-16BE" : "UTF-16LE", "UTF-8", NULL, &written,
                     &error);
  g_assert_no_error (error);
  if (mark)
    g_byte_array_append (out, (const guint8 *) (big_endian ? "\xFE\xFF" : "\xFF\xFE"), 2);
  g_byte_array_append (out, (const guint8 *) utf16, written);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* The records of @bytes, read whole and a byte at a time: they must agree. */
static char *
read_both (GBytes   *bytes,
           char     *out_delimiter,
           guint64  *out_bytes_read)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  g_autoptr(CpCsvReader) whole = cp_csv_reader_new_for_data (data, length);
  Trickle trickle = { data, length, 0 };
  g_autoptr(CpCsvReader) slow = cp_csv_reader_new (read_trickle, &trickle, NULL);
  g_autofree char *got_whole = read_all (whole);
  g_autofree char *got_slow = read_all (slow);

  g_assert_cmpstr (got_whole, ==, got_slow);
  g_assert_cmpint (cp_csv_reader_get_delimiter (whole), ==, cp_csv_reader_get_delimiter (slow));
  g_assert_cmpuint (cp_csv_reader_get_bytes_read (whole), ==,
                    cp_csv_reader_get_bytes_read (slow));
  *out_delimiter = cp_csv_reader_get_delimiter (whole);
  *out_bytes_read = cp_csv_reader_get_bytes_read (whole);
  return g_steal_pointer (&got_whole);
}

/* Names from everywhere, CRLF, a line break in a quoted value, a
 * character past U+FFFF (a surrogate pair in UTF-16), semicolons. */
static const char names_csv[] =
  "first_name;last_name;note\r\n"
  "Søren;García-López;\"two\r\nlines\"\r\n"
  "Zoë;李;👩🏽‍⚕️ nurse\r\n"
  "\r\n"
  "Ada;\"O'Brien; Jr\";\r\n";
static const char names_records[] =
  "first_name|last_name|note@1\n"
  "Søren|García-López|two\r\nlines@2\n"
  "Zoë|李|👩🏽‍⚕️ nurse@4\n"
  "Ada|O'Brien; Jr|@6\n";

/* UTF-16 in either byte order, with a byte order mark or without one,
 * reads as the same UTF-8 would. */
static void
test_utf16 (void)
{
  for (guint i = 0; i < 4; i++)
    {
      gboolean big_endian = i & 1, mark = i >= 2;
      g_autoptr(GBytes) bytes = to_utf16 (names_csv, -1, big_endian, mark);
      g_autofree char *records = NULL;
      guint64 bytes_read = 0;
      char delimiter = 0;

      g_test_message ("%s, %s byte order mark", big_endian ? "UTF-16BE" : "UTF-16LE",
                      mark ? "a" : "no");
      records = read_both (bytes, &delimiter, &bytes_read);
      g_assert_cmpstr (records, ==, names_records);
      g_assert_cmpint (delimiter, ==, ';');
      g_assert_cmpuint (bytes_read, ==, g_bytes_get_size (bytes) - (mark ? 2 : 0));
    }
}

/* A UTF-8 byte order mark is still read as one, not as text. */
static void
test_utf8_bom (void)
{
  g_autoptr(GString) text = g_string_new ("\xEF\xBB\xBF");
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *records = NULL;
  guint64 bytes_read = 0;
  char delimiter = 0;

  g_string_append (text, names_csv);
  bytes = g_bytes_new (text->str, text->len);
  records = read_both (bytes, &delimiter, &bytes_read);
  g_assert_cmpstr (records, ==, names_records);
  g_assert_cmpint (delimiter, ==, ';');
  g_assert_cmpuint (bytes_read, ==, text->len - 3);
}

/* U+0000 in UTF-16 is a NUL like any other: the row is reported. */
static void
test_utf16_nul (void)
{
  g_autoptr(GBytes) bytes = to_utf16 (BYTES ("a,b\r\nZoë,x\0y\r\n李,z\r\n"), FALSE, TRUE);
  g_autofree char *records = NULL;
  guint64 bytes_read = 0;
  char delimiter = 0;

  records = read_both (bytes, &delimiter, &bytes_read);
  g_assert_cmpstr (records, ==, "a|b@1\n!4@2:2\n李|z@3\n");
}

/* A big UTF-16 file with CRLF: every row, at its line, across buffers. */
static void
test_utf16_path (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "leads-utf16.csv", NULL);
  g_autoptr(GString) text = g_string_new ("first_name,last_name,city\r\n");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CpCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) header = NULL;
  guint rows = 5000;

  for (guint i = 0; i < rows; i++)
    g_string_append_printf (text, "Søren %u,García-López,\"李 👩🏽‍⚕️\r\nZoë\"\r\n", i);
  bytes = to_utf16 (text->str, text->len, FALSE, TRUE);
  g_assert_cmpuint (g_bytes_get_size (bytes), >, 4 * 64 * 1024);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL));

  reader = cp_csv_reader_new_for_path (path, &error);
  g_assert_no_error (error);
  header = cp_csv_reader_next (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (header->pdata[2], ==, "city");
  for (guint i = 0; i < rows; i++)
    {
      g_autoptr(GPtrArray) fields = cp_csv_reader_next (reader, &error);
      g_autofree char *first = g_strdup_printf ("Søren %u", i);

      g_assert_no_error (error);
      g_assert_nonnull (fields);
      g_assert_cmpuint (fields->len, ==, 3);
      g_assert_cmpstr (fields->pdata[0], ==, first);
      g_assert_cmpstr (fields->pdata[1], ==, "García-López");
      g_assert_cmpstr (fields->pdata[2], ==, "李 👩🏽‍⚕️\r\nZoë");
      g_assert_cmpuint (cp_csv_reader_get_line (reader), ==, 2 + 2 * i);
    }
  g_assert_null (cp_csv_reader_next (reader, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cp_csv_reader_get_bytes_read (reader), ==, g_bytes_get_size (bytes) - 2);
  g_assert_cmpuint (cp_csv_reader_get_fallback_line (reader), ==, 0);
  g_clear_pointer (&reader, cp_csv_reader_free);
  cp_test_remove_tree (dir);
}

/* Counts what the reader asked for. */
typedef struct
{
  GBytes *bytes;
  gsize   offset;
} Counted;

static gssize
read_counted (gpointer   user_data,
              char      *buffer,
              gsize      size,
              GError   **error)
{
  Counted *counted = user_data;
  gsize length;
  const char *data = g_bytes_get_data (counted->bytes, &length);
  gsize n = MIN (size, length - counted->offset);

  memcpy (buffer, data + counted->offset, n);
  counted->offset += n;
  return n;
}

/* A UTF-16 file is turned into UTF-8 as it is read, never whole. */
static void
test_utf16_streams (void)
{
  g_autoptr(GString) text = g_string_new ("name,note\n");
  Counted counted = { NULL, 0 };
  g_autoptr(CpCsvReader) reader = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GPtrArray) first = NULL;

  while (text->len < 4 * 1024 * 1024)
    g_string_append (text, "Zoë,李李李李李李李李李李李李李李李李李李李李李李李李李李李李李\n");
  counted.bytes = to_utf16 (text->str, text->len, TRUE, TRUE);
  reader = cp_csv_reader_new (read_counted, &counted, NULL);
  header = cp_csv_reader_next (reader, NULL);
  first = cp_csv_reader_next (reader, NULL);
  g_assert_cmpstr (first->pdata[0], ==, "Zoë");
  /* A buffer or two of the file, not the file. */
  g_assert_cmpuint (counted.offset, <=, 3 * 64 * 1024);
  g_bytes_unref (counted.bytes);
}

/* UTF-32 is named and refused, not read as UTF-16 with NULs in it. */
static void
test_utf32 (void)
{
  const char *marks[] = { "\xFF\xFE\0\0", "\0\0\xFE\xFF" };
  const char *text[] = { "a\0\0\0\n\0\0\0", "\0\0\0a\0\0\0\n" };

  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    {
      g_autoptr(GByteArray) data = g_byte_array_new ();
      g_autoptr(CpCsvReader) reader = NULL;
      g_autoptr(GError) error = NULL;

      g_byte_array_append (data, (const guint8 *) marks[i], 4);
      g_byte_array_append (data, (const guint8 *) text[i], 8);
      reader = cp_csv_reader_new_for_data ((const char *) data->data, data->len);
      g_assert_null (cp_csv_reader_next (reader, &error));
      g_assert_error (error, CP_CSV_ERROR, CP_CSV_ERROR_ENCODING);
      g_assert_false (cp_csv_error_skips_record (error));
      g_assert_nonnull (strstr (error->message, "UTF-32"));
      g_clear_error (&error);
      g_assert_null (cp_csv_reader_next (reader, &error));
      g_assert_no_error (error);
    }
}

/* Through the import: a UTF-16 file's names land as written; the row
 * with a NUL is refused with its line and column, and the rows after it
 * are imported. */
static void
test_import_utf16_with_nul (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "utf16.csv", NULL);
  g_autoptr(CpDatabase) database = cp_test_open_database (dir);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CpCsvReader) reader = NULL;
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CpImportResult) result = { 0, };
  CpImportOptions options = { .headers = CP_IMPORT_HEADERS_AUTO,
                              .duplicates = CP_IMPORT_DUPLICATE_KEEP,
                              .actor = "test" };
  const CpImportRejection *rejection;

  cp_test_publish_open_playbook (database);
  bytes = to_utf16 (BYTES ("First Name,Last Name,Email\r\n"
                           "Søren,García-López,soren@example.org\r\n"
                           "Zoë,Bad\0Row,zoe@example.org\r\n"
                           "李,Wei,li@example.org\r\n"), TRUE, TRUE);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL));
  reader = cp_csv_reader_new_for_path (path, &error);
  g_assert_no_error (error);
  g_assert_true (cp_lead_import_run (store, reader, &options, NULL, NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.imported, ==, 2);
  g_assert_cmpuint (result.rejected, ==, 1);
  rejection = result.rejections->pdata[0];
  g_assert_cmpuint (rejection->line, ==, 3);
  g_assert_cmpuint (rejection->column, ==, 2);
  g_assert_nonnull (strstr (rejection->reason, "NUL"));
  g_assert_null (result.warning);

  query->search = g_strdup ("soren@example.org");
  found = cp_lead_store_query (store, query, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (cp_lead_get_text (found->pdata[0], CP_LEAD_FIELD_FIRST_NAME), ==, "Søren");
  g_assert_cmpstr (cp_lead_get_text (found->pdata[0], CP_LEAD_FIELD_LAST_NAME), ==,
                   "García-López");

  g_clear_pointer (&reader, cp_csv_reader_free);
  g_clear_object (&store);
  g_clear_object (&database);
  cp_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/csv-reader/case/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], check_case);
    }
  g_test_add_func ("/csv-reader/field-too-long", test_field_too_long);
  g_test_add_func ("/csv-reader/too-many-fields", test_too_many_fields);
  g_test_add_func ("/csv-reader/wide-line", test_wide_line);
  g_test_add_func ("/csv-reader/huge-field", test_huge_field);
  g_test_add_func ("/csv-reader/read-error", test_read_error);
  g_test_add_func ("/csv-reader/path", test_path);
  g_test_add_func ("/csv-reader/nul-message", test_nul_message);
  g_test_add_func ("/csv-reader/utf16", test_utf16);
  g_test_add_func ("/csv-reader/utf8-bom", test_utf8_bom);
  g_test_add_func ("/csv-reader/utf16-nul", test_utf16_nul);
  g_test_add_func ("/csv-reader/utf16-path", test_utf16_path);
  g_test_add_func ("/csv-reader/utf16-streams", test_utf16_streams);
  g_test_add_func ("/csv-reader/utf32", test_utf32);
  g_test_add_func ("/csv-reader/import-utf16-with-nul", test_import_utf16_with_nul);

  return g_test_run ();
}
