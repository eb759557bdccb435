/* test-csv-reader.c — the CSV reader over nasty input, whole and a byte at a time
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cp-csv-reader.h"
#include "cp-test-util.h"

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
          g_string_append_printf (out, "!%d@%" G_GUINT64_FORMAT "\n", error->code,
                                  cp_csv_reader_get_line (reader));
          if (error->code != CP_CSV_ERROR_FIELD_TOO_LONG && error->code != CP_CSV_ERROR_TOO_MANY_FIELDS)
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
    "a|b@1\n!3@2\n", ',', 0 },
  { "empty-file", "", -1, "", ',', 0 },
  { "header-only", "first_name,last_name\n", -1, "first_name|last_name@1\n", ',', 0 },
  { "blank-lines-skipped", "a\n\n\r\n\nb\n", -1, "a@1\nb@5\n", ',', 0 },
  { "empty-fields", ",,\n", -1, "||@1\n", ',', 0 },
  { "quoted-empty-is-a-record", "\"\"\n", -1, "@1\n", ',', 0 },
  { "text-after-closing-quote", "\"ab\"c,d\n", -1, "abc|d@1\n", ',', 0 },
  { "quote-inside-unquoted", "5\" screen,x\n", -1, "5\" screen|x@1\n", ',', 0 },
  { "nul-byte", "a\0b,c\n", 6, "a\xEF\xBF\xBD" "b|c@1\n", ',', 0 },
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

  return g_test_run ();
}
