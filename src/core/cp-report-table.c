/* cp-report-table.c — a report's columns and rows: filled, read, copied, formatted, as CSV
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-report"
#include "config.h"
#include "cp-report-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cp-csv-writer.h"

static CpReport *report_copy (CpReport *report);

G_DEFINE_BOXED_TYPE (CpReport, cp_report, report_copy, cp_report_free)

int
_cp_report_add_column (CpReportContext   *ctx,
                       const char        *id,
                       const char        *title,
                       CpReportValueKind  kind)
{
  CpReportColumn *column = g_new0 (CpReportColumn, 1);

  g_assert (ctx->report->rows->len == 0);
  column->id = g_strdup (id);
  column->title = g_strdup (title);
  column->kind = kind;
  g_ptr_array_add (ctx->report->columns, column);

  return ctx->report->columns->len - 1;
}

static void
column_free (gpointer data)
{
  CpReportColumn *column = data;

  g_free (column->id);
  g_free (column->title);
  g_free (column);
}

static void
row_free (gpointer data)
{
  CpReportRow *row = data;

  g_free (row->key);
  g_free (row->label);
  g_free (row->values);
  g_free (row->previous);
  g_free (row);
}

/* A report of @kind with no columns nor rows yet. */
CpReport *
_cp_report_new (CpReportKind kind)
{
  CpReport *report = g_new0 (CpReport, 1);

  report->kind = kind;
  report->columns = g_ptr_array_new_with_free_func (column_free);
  report->rows = g_ptr_array_new_with_free_func (row_free);
  report->series_from = G_MAXUINT;
  return report;
}

guint
_cp_report_row (CpReportContext *ctx,
                const char      *key,
                const char      *label)
{
  CpReportRow *row;
  gpointer found = g_hash_table_lookup (ctx->row_index, key);

  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;

  row = g_new0 (CpReportRow, 1);
  row->key = g_strdup (key);
  row->label = label != NULL ? g_strdup (label) : _cp_report_value_label (key);
  row->values = g_new0 (double, ctx->report->columns->len);
  g_ptr_array_add (ctx->report->rows, row);
  g_hash_table_insert (ctx->row_index, row->key, GUINT_TO_POINTER (ctx->report->rows->len));
  if (ctx->collect_key != NULL && g_str_equal (ctx->collect_key, key))
    ctx->collect_row = ctx->report->rows->len - 1;

  return ctx->report->rows->len - 1;
}

void
_cp_report_hit (CpReportContext *ctx,
                guint            row,
                guint            column,
                guint            index)
{
  CpReportRow *r = g_ptr_array_index (ctx->report->rows, row);

  r->values[column] += 1;
  /* Column 0 of every report counts the leads of the row. */
  if (column == 0 && (int) row == ctx->collect_row)
    {
      gint64 rowid = cp_report_data_get_rowid (ctx->data, index);
      g_array_append_val (ctx->collected, rowid);
    }
}

double
_cp_report_value (CpReportContext *ctx,
                  guint            row,
                  guint            column)
{
  return ((CpReportRow *) g_ptr_array_index (ctx->report->rows, row))->values[column];
}

void
_cp_report_set (CpReportContext *ctx,
                guint            row,
                guint            column,
                double           value)
{
  ((CpReportRow *) g_ptr_array_index (ctx->report->rows, row))->values[column] = value;
}

static void
swap_doubles (double *a,
              double *b)
{
  double t = *a;
  *a = *b;
  *b = t;
}

/* The @k-th smallest of @values (Hoare's selection; reorders them). */
static double
select_kth (double *values,
            gsize   n,
            gsize   k)
{
  gsize low = 0, high = n - 1;

  while (low < high)
    {
      double pivot = values[low + (high - low) / 2];
      gsize i = low, j = high;

      while (i <= j)
        {
          while (values[i] < pivot)
            i++;
          while (values[j] > pivot)
            j--;
          if (i <= j)
            {
              swap_doubles (&values[i], &values[j]);
              i++;
              if (j == 0)
                break;
              j--;
            }
        }
      if (k <= j)
        high = j;
      else if (k >= i)
        low = i;
      else
        break;
    }

  return values[k];
}

/* Doubles (never NaN) as unsigned keys in the same order. */
static inline guint64
order_key (double value)
{
  guint64 bits;

  memcpy (&bits, &value, sizeof bits);

  return (bits >> 63) != 0 ? ~bits : bits | (G_GUINT64_CONSTANT (1) << 63);
}

#define RADIX_BITS 16
#define RADIX_MASK ((1u << RADIX_BITS) - 1)

/* The @k-th smallest of @values, which are left as they are: the bucket
 * of the keys' top 16 bits that holds it, then the next 16 bits among
 * that bucket's values only, and so on; the last few by selection. A few
 * streaming passes with predictable branches, where selection over a
 * million values mispredicts at every other comparison. */
static double
radix_select (const double *values,
              gsize         n,
              gsize         k)
{
  g_autofree guint32 *counts = g_new (guint32, RADIX_MASK + 1);
  g_autofree double *subset = NULL;
  const double *from = values;
  double result;

  for (int shift = 64 - RADIX_BITS; n > 256 && shift >= 0; shift -= RADIX_BITS)
    {
      gsize below = 0, m = 0;
      guint bucket = 0;
      double *next;

      memset (counts, 0, sizeof (guint32) * (RADIX_MASK + 1));
      for (gsize i = 0; i < n; i++)
        counts[(order_key (from[i]) >> shift) & RADIX_MASK]++;
      while (below + counts[bucket] <= k)
        below += counts[bucket++];
      next = g_new (double, counts[bucket]);
      for (gsize i = 0; i < n; i++)
        if (((order_key (from[i]) >> shift) & RADIX_MASK) == bucket)
          next[m++] = from[i];
      g_free (subset);
      from = subset = next;
      n = m;
      k -= below;
    }
  if (from != subset)
    from = subset = g_memdup2 (from, n * sizeof (double));
  result = select_kth (subset, n, k);

  return result;
}

double
_cp_report_median (double *values,
                   gsize   n)
{
  double upper, lower = -INFINITY;
  gsize n_less = 0;

  if (n == 0)
    return NAN;

  upper = radix_select (values, n, n / 2);
  if (n % 2 == 1)
    return upper;
  /* Even count: the mean of the two middle values; the lower one is the
   * largest value below the upper one, unless enough equal it. */
  for (gsize i = 0; i < n; i++)
    if (values[i] < upper)
      {
        n_less++;
        lower = MAX (lower, values[i]);
      }

  return ((n_less < n / 2 ? upper : lower) + upper) / 2;
}

static CpReport *
report_copy (CpReport *report)
{
  CpReport *copy = g_memdup2 (report, sizeof *report);

  copy->title = g_strdup (report->title);
  copy->columns = g_ptr_array_new_with_free_func (column_free);
  copy->rows = g_ptr_array_new_with_free_func (row_free);
  for (guint i = 0; i < report->columns->len; i++)
    {
      const CpReportColumn *column = g_ptr_array_index (report->columns, i);
      CpReportColumn *c = g_new0 (CpReportColumn, 1);

      c->id = g_strdup (column->id);
      c->title = g_strdup (column->title);
      c->kind = column->kind;
      g_ptr_array_add (copy->columns, c);
    }
  for (guint i = 0; i < report->rows->len; i++)
    {
      const CpReportRow *row = g_ptr_array_index (report->rows, i);
      CpReportRow *r = g_new0 (CpReportRow, 1);
      gsize size = report->columns->len * sizeof (double);

      r->key = g_strdup (row->key);
      r->label = g_strdup (row->label);
      r->values = g_memdup2 (row->values, size);
      r->previous = row->previous != NULL ? g_memdup2 (row->previous, size) : NULL;
      g_ptr_array_add (copy->rows, r);
    }

  return copy;
}

void
cp_report_free (CpReport *report)
{
  if (report == NULL)
    return;

  g_free (report->title);
  g_ptr_array_unref (report->columns);
  g_ptr_array_unref (report->rows);
  g_free (report);
}

const CpReportRow *
cp_report_find_row (const CpReport *report,
                    const char     *key)
{
  g_return_val_if_fail (report != NULL, NULL);

  for (guint i = 0; key != NULL && i < report->rows->len; i++)
    {
      const CpReportRow *row = g_ptr_array_index (report->rows, i);

      if (g_str_equal (row->key, key))
        return row;
    }

  return NULL;
}

int
cp_report_find_column (const CpReport *report,
                       const char     *id)
{
  g_return_val_if_fail (report != NULL, -1);

  for (guint i = 0; id != NULL && i < report->columns->len; i++)
    if (g_str_equal (((CpReportColumn *) g_ptr_array_index (report->columns, i))->id, id))
      return i;

  return -1;
}

char *
cp_report_format_value (CpReportValueKind kind,
                        double            value)
{
  if (isnan (value))
    return g_strdup ("—");

  switch (kind)
    {
    case CP_REPORT_VALUE_COUNT:
      return g_strdup_printf ("%'.0f", value);
    case CP_REPORT_VALUE_RATIO:
      return g_strdup_printf ("%.1f %%", value * 100);
    case CP_REPORT_VALUE_DAYS:
      return g_strdup_printf (ngettext ("%.1f day", "%.1f days", value == 1 ? 1 : 2), value);
    case CP_REPORT_VALUE_HOURS:
      return g_strdup_printf (ngettext ("%.1f hour", "%.1f hours", value == 1 ? 1 : 2), value);
    default:
      g_assert_not_reached ();
    }
}

char *
cp_report_format_change (CpReportValueKind kind,
                         double            value,
                         double            previous)
{
  double change = value - previous;

  if (isnan (change))
    return g_strdup ("—");
  if (kind == CP_REPORT_VALUE_RATIO)
    /* Translators: a change of a percentage, in percentage points. */
    return g_strdup_printf (_("%+.1f pts"), change * 100);
  if (kind == CP_REPORT_VALUE_COUNT)
    return g_strdup_printf ("%+'.0f", change);

  return g_strdup_printf ("%+.1f", change);
}

/* Figures in CSV are plain numbers a spreadsheet reads back exactly:
 * ratios stay 0…1, empty for "does not apply". */
static char *
csv_number (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  gsize end;

  if (isnan (value))
    return g_strdup ("");

  /* Fixed point, never an exponent ("1e-05" would read as text). */
  g_ascii_formatd (buffer, sizeof buffer, "%.6f", value);
  end = strlen (buffer);
  while (end > 0 && buffer[end - 1] == '0')
    end--;
  if (end > 0 && buffer[end - 1] == '.')
    end--;
  buffer[end] = '\0';
  if (g_str_equal (buffer, "-0"))
    return g_strdup ("0");

  return g_strdup (buffer);
}

char *
cp_report_to_csv (const CpReport *report)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (report != NULL, NULL);

  g_ptr_array_add (cells, g_strdup (report->key_name));
  g_ptr_array_add (cells, g_strdup ("label"));
  for (guint c = 0; c < report->columns->len; c++)
    {
      const CpReportColumn *column = g_ptr_array_index (report->columns, c);

      g_ptr_array_add (cells, g_strdup (column->id));
      if (report->compared)
        {
          g_ptr_array_add (cells, g_strconcat ("previous_", column->id, NULL));
          g_ptr_array_add (cells, g_strconcat ("change_", column->id, NULL));
        }
    }
  cp_csv_append_row (out, (const char * const *) cells->pdata, cells->len);

  for (guint r = 0; r < report->rows->len; r++)
    {
      const CpReportRow *row = g_ptr_array_index (report->rows, r);

      g_ptr_array_set_size (cells, 0);
      g_ptr_array_add (cells, g_strdup (row->key));
      g_ptr_array_add (cells, g_strdup (row->label));
      for (guint c = 0; c < report->columns->len; c++)
        {
          g_ptr_array_add (cells, csv_number (row->values[c]));
          if (report->compared)
            {
              g_ptr_array_add (cells, csv_number (row->previous[c]));
              g_ptr_array_add (cells, csv_number (row->values[c] - row->previous[c]));
            }
        }
      cp_csv_append_row (out, (const char * const *) cells->pdata, cells->len);
    }

  return g_string_free (out, FALSE);
}
