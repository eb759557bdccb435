/* cp-csv-writer.c — RFC 4180 CSV rows that spreadsheets open safely
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cp-csv-writer.h"

/* A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a
 * leading apostrophe: exported lead data must never execute. Numbers such
 * as "-5" and phone numbers such as "+15555550123" stay as they are. */
static gboolean
looks_like_formula (const char *value)
{
  const char *p;

  if (value[0] == '=' || value[0] == '@' || value[0] == '\t' || value[0] == '\r')
    return TRUE;
  if (value[0] != '+' && value[0] != '-')
    return FALSE;

  for (p = value + 1; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && *p != '.')
      return TRUE;

  return p == value + 1;
}

/**
 * cp_csv_strip_formula_guard:
 * @value: a cell as read back from a file cp_csv_append_row() wrote
 *
 * Returns: (transfer none): @value without the apostrophe the writer put
 *   before a cell that looked like a formula, so that an export reads back
 *   as it was (a pointer into @value)
 */
const char *
cp_csv_strip_formula_guard (const char *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  if (value[0] == '\'' && value[1] != '\0' && looks_like_formula (value + 1))
    return value + 1;
  return value;
}

/**
 * cp_csv_append_row:
 * @values: (array length=n_values) (nullable): the cells; %NULL is empty
 *
 * Appends one CSV record, ended by CRLF as RFC 4180 says. Cells with a
 * comma, a quote or a line break are quoted, quotes doubled.
 */
void
cp_csv_append_row (GString            *out,
                   const char * const *values,
                   guint               n_values)
{
  g_return_if_fail (out != NULL);

  for (guint i = 0; i < n_values; i++)
    {
      const char *value = values != NULL && values[i] != NULL ? values[i] : "";
      gboolean formula = looks_like_formula (value);
      gboolean quote = formula || strpbrk (value, ",\"\r\n") != NULL;

      if (i > 0)
        g_string_append_c (out, ',');
      if (!quote)
        {
          g_string_append (out, value);
          continue;
        }

      g_string_append_c (out, '"');
      if (formula)
        g_string_append_c (out, '\'');
      for (const char *p = value; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  g_string_append (out, "\r\n");
}
