/* cp-json-check.c — checks on JSON text before a parser builds a tree of it
 *
 * JSON parsers recurse once per nesting level: a document of 100,000 '['
 * exhausts the stack before any check on the tree can run. And json-glib
 * reads an integer beyond 64 bits by wrapping it (18446744073709551615
 * becomes -1), so a check on the value it returns passes. Both are
 * decided here on the bytes, in one pass without recursion.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-json-check"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-json-check.h"

/**
 * cp_json_check_depth:
 * @data: (array length=length): JSON text, not necessarily NUL-terminated
 * @max_depth: how many lists and objects may nest (%CP_JSON_MAX_DEPTH)
 *
 * Scans @data once, aware of strings and their escapes, without
 * recursion, and refuses it when lists and objects nest deeper than
 * @max_depth. Nothing else is checked: a parser reports the rest.
 *
 * Returns: %TRUE, or %FALSE with a %CP_CORE_ERROR_INVALID error that
 *   names the limit and where it was passed
 */
gboolean
cp_json_check_depth (const char  *data,
                     gsize        length,
                     guint        max_depth,
                     GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;
  guint line = 1;
  gsize line_start = 0;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (max_depth > 0, FALSE);

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (c == '\n')
        {
          line++;
          line_start = i + 1;
          continue;
        }
      if (in_string)
        {
          if (c == '\\')
            i++;   /* whatever is escaped, it neither ends the string nor nests */
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > max_depth)
            {
              g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                           _("lists and objects nest more than %u levels deep (line %u, "
                             "column %" G_GSIZE_FORMAT "); Carepath reads at most %u levels"),
                           max_depth, line, i - line_start + 1, max_depth);
              return FALSE;
            }
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }

  return TRUE;
}

/* Whether the digits of an integer literal are beyond a gint64. */
static gboolean
integer_is_huge (const char *digits,
                 gsize       n_digits,
                 gboolean    negative)
{
  const char *limit = negative ? "9223372036854775808" : "9223372036854775807";

  while (n_digits > 1 && *digits == '0')
    {
      digits++;
      n_digits--;
    }
  if (n_digits != 19)
    return n_digits > 19;
  return memcmp (digits, limit, 19) > 0;
}

static gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '+' || c == '-' || c == '_';
}

/**
 * cp_json_mark_huge_integers:
 * @data: (array length=length): JSON text, not necessarily NUL-terminated
 * @out_length: (out): the length of the copy
 *
 * Finds integer literals that do not fit in 64 bits, which a parser would
 * wrap around, and replaces each with `1e999` (`-1e999` when negative): a
 * number every JSON parser reads as an infinite double, that code reading
 * a whole number or a finite number then refuses as out of range.
 *
 * Returns: (transfer full) (nullable): the copy, NUL-terminated, or %NULL
 *   when @data has no such integer (use it as it is)
 */
char *
cp_json_mark_huge_integers (const char *data,
                            gsize       length,
                            gsize      *out_length)
{
  g_autoptr(GString) copy = NULL;
  gboolean in_string = FALSE;
  gsize copied = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (out_length != NULL, NULL);

  for (gsize i = 0; i < length; i++)
    {
      gsize start = i;
      gsize digits;
      gboolean negative;

      if (in_string)
        {
          if (data[i] == '\\')
            i++;
          else if (data[i] == '"')
            in_string = FALSE;
          continue;
        }
      if (data[i] == '"')
        {
          in_string = TRUE;
          continue;
        }
      if (!(data[i] == '-' || g_ascii_isdigit (data[i])) ||
          (i > 0 && is_token_char (data[i - 1])))
        continue;

      negative = data[i] == '-';
      if (negative)
        i++;
      digits = i;
      while (i < length && g_ascii_isdigit (data[i]))
        i++;
      if (i == digits || (i < length && (data[i] == '.' || data[i] == 'e' || data[i] == 'E')))
        {
          /* Not an integer: a fraction or an exponent is read as a double,
           * which does not wrap. Skip the rest of the token. */
          while (i < length && is_token_char (data[i]))
            i++;
          i--;
          continue;
        }
      if (integer_is_huge (data + digits, i - digits, negative))
        {
          if (copy == NULL)
            copy = g_string_sized_new (length + 16);
          g_string_append_len (copy, data + copied, start - copied);
          g_string_append (copy, negative ? "-1e999" : "1e999");
          copied = i;
        }
      i--;
    }

  if (copy == NULL)
    return NULL;
  g_string_append_len (copy, data + copied, length - copied);
  *out_length = copy->len;
  return g_string_free (g_steal_pointer (&copy), FALSE);
}
