/* test-core-json.c — checks on JSON text before parsing: nesting depth, huge integers
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cp-core-error.h"
#include "cp-json-check.h"

/* @n openers of @open, then @n closers of @close (none when %NULL). */
static char *
nest (guint       n,
      const char *open,
      const char *middle,
      const char *close)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (text, open);
  g_string_append (text, middle);
  for (guint i = 0; close != NULL && i < n; i++)
    g_string_append (text, close);
  return g_string_free (text, FALSE);
}

static gboolean
check (const char  *text,
       guint        max_depth,
       GError     **error)
{
  return cp_json_check_depth (text, strlen (text), max_depth, error);
}

static void
test_depth_within_limit (void)
{
  g_autofree char *arrays = nest (CP_JSON_MAX_DEPTH, "[", "1", "]");
  g_autofree char *objects = nest (CP_JSON_MAX_DEPTH - 1, "{\"a\":", "{}", "}");
  g_autofree char *mixed = nest (CP_JSON_MAX_DEPTH / 2, "{\"a\":[", "0", "]}");
  g_autoptr(GError) error = NULL;

  g_assert_true (check (arrays, CP_JSON_MAX_DEPTH, &error));
  g_assert_no_error (error);
  g_assert_true (check (objects, CP_JSON_MAX_DEPTH, &error));
  g_assert_no_error (error);
  g_assert_true (check (mixed, CP_JSON_MAX_DEPTH, &error));
  g_assert_no_error (error);

  /* Siblings do not add up: depth is nesting, not count. */
  {
    g_autofree char *siblings = nest (10000, "[[]],", "0", NULL);
    g_autofree char *doc = g_strdup_printf ("[%s]", siblings);

    g_assert_true (check (doc, 3, &error));
    g_assert_no_error (error);
  }

  /* Brackets inside strings, escaped quotes and backslashes are text. */
  {
    g_autofree char *in_string = nest (100000, "[", "", NULL);
    g_autofree char *doc = g_strdup_printf ("{\"a\":\"%s\",\"b\":\"\\\"[[[\\\\\",\"c\":[1]}",
                                            in_string);

    g_assert_true (check (doc, 2, &error));
    g_assert_no_error (error);
  }

  /* The length is respected: what follows is not looked at. */
  g_assert_true (cp_json_check_depth ("[[[[", 2, 2, &error));
  g_assert_no_error (error);
  g_assert_true (cp_json_check_depth (NULL, 0, 1, &error));
  g_assert_no_error (error);
}

static void
test_depth_refused (void)
{
  const struct { const char *open; const char *middle; const char *close; } shapes[] = {
    { "[", "", "]" },
    { "[", "", NULL },                       /* never closed */
    { "{\"a\":", "1", "}" },
    { "{\"k\\\"[\":[", "\"]\"", "]}" },      /* escapes and brackets in keys and values */
    { "[\"\\\\\",", "0", "]" },              /* an escaped backslash ends a string */
  };

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      g_autofree char *doc = nest (100000, shapes[s].open, shapes[s].middle, shapes[s].close);
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      g_assert_false (check (doc, CP_JSON_MAX_DEPTH, &error));
      /* Refused at the first level too many, not after reading it all. */
      g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
      g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "more than 64 levels"));
      g_assert_nonnull (strstr (error->message, "at most 64 levels"));
      g_assert_nonnull (strstr (error->message, "line 1, column "));
    }

  /* One level over a small limit, on the line and column it happens. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (check ("{\n  \"a\": [[1]]\n}", 2, &error));
    g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==, "lists and objects nest more than 2 levels deep "
                                         "(line 2, column 9); Carepath reads at most 2 levels");
  }
}

static char *
mark (const char *text)
{
  gsize length = 0;
  char *marked = cp_json_mark_huge_integers (text, strlen (text), &length);

  if (marked != NULL)
    g_assert_cmpuint (length, ==, strlen (marked));
  return marked;
}

static void
test_huge_integers (void)
{
  static const struct { const char *in; const char *out; } marked[] = {
    { "{\"points\":18446744073709551615}", "{\"points\":1e999}" },
    { "{\"points\":9223372036854775808}", "{\"points\":1e999}" },
    { "[-9223372036854775809]", "[-1e999]" },
    { "[99999999999999999999999999999999, 1, -99999999999999999999]", "[1e999, 1, -1e999]" },
    { "[\"18446744073709551615\",18446744073709551615]", "[\"18446744073709551615\",1e999]" },
    { "[\"\\\"\",18446744073709551616 ]", "[\"\\\"\",1e999 ]" },
  };
  static const char * const unchanged[] = {
    "{\"points\":9223372036854775807}",
    "[-9223372036854775808]",
    "[000000000000000000000009]",
    "[18446744073709551615.0, 1.8446744073709551615e19, 18446744073709551615E0]",
    "[\"18446744073709551615\", \"\\\"18446744073709551615\"]",
    "[1, -2, 0, 12345678901234567]",
    "[abc18446744073709551615]",   /* not a number token: the parser refuses it */
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (marked); i++)
    {
      g_autofree char *out = mark (marked[i].in);

      g_assert_cmpstr (out, ==, marked[i].out);
    }
  for (guint i = 0; i < G_N_ELEMENTS (unchanged); i++)
    {
      g_autofree char *out = mark (unchanged[i]);

      g_assert_null (out);
    }

  /* Not NUL-terminated: only @length bytes are read and copied. */
  {
    const char text[] = "[18446744073709551615]XYZ";
    gsize length = 0;
    g_autofree char *out = cp_json_mark_huge_integers (text, strlen ("[18446744073709551615]"),
                                                       &length);

    g_assert_cmpstr (out, ==, "[1e999]");
    g_assert_cmpuint (length, ==, 7);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/json/depth/within-limit", test_depth_within_limit);
  g_test_add_func ("/core/json/depth/refused", test_depth_refused);
  g_test_add_func ("/core/json/huge-integers", test_huge_integers);

  return g_test_run ();
}
