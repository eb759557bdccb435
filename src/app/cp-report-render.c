/* cp-report-render.c — a report drawn with Cairo: the chart in the view,
 * and the PNG and PDF pages; the report as JSON
 *
 * One drawing serves the view (through GtkSnapshot's Cairo node, in the
 * theme's colours), the PNG and the PDF: what a manager sees is what they
 * hand on. Text is laid out with Pango, so it is crisp at any scale.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-report-render"
#include "config.h"
#include "cp-report-render.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "cp-private-file.h"

#define FONT_FAMILY "Cantarell, Sans"
#define PAD 12.0

static void
set_color (cairo_t             *cr,
           const CpReportColor *color)
{
  cairo_set_source_rgba (cr, color->r, color->g, color->b, color->a);
}

static void
color_from_hex (CpReportColor *color,
                guint32        rgb,
                double         alpha)
{
  color->r = ((rgb >> 16) & 0xff) / 255.0;
  color->g = ((rgb >> 8) & 0xff) / 255.0;
  color->b = (rgb & 0xff) / 255.0;
  color->a = alpha;
}

void
cp_report_palette_init (CpReportPalette *palette,
                        gboolean         dark)
{
  /* The GNOME palette (blue, green, yellow, orange, red, purple, brown)
   * and five more hues, each a shade lighter in dark style. */
  static const guint32 light_series[CP_REPORT_N_SERIES_COLORS] = {
    0x3584e4, 0x2ec27e, 0xe5a50a, 0xe66100, 0xc01c28, 0x813d9c, 0x865e3c, 0x5e5c64,
    0x0f9c9c, 0xd6419b, 0x99c1f1, 0x8a9a1b,
  };
  static const guint32 dark_series[CP_REPORT_N_SERIES_COLORS] = {
    0x62a0ea, 0x57e389, 0xf8e45c, 0xffa348, 0xf66151, 0xc061cb, 0xcdab8f, 0xc0bfbc,
    0x33d1c6, 0xf58bc6, 0x1c71d8, 0xc1d24a,
  };

  g_return_if_fail (palette != NULL);

  color_from_hex (&palette->foreground, dark ? 0xffffff : 0x000000, dark ? 1.0 : 0.8);
  color_from_hex (&palette->background, dark ? 0x242424 : 0xffffff, 1.0);
  color_from_hex (&palette->accent, dark ? 0x78aeed : 0x3584e4, 1.0);
  color_from_hex (&palette->previous, dark ? 0x9a9996 : 0x77767b, 0.55);
  color_from_hex (&palette->grid, dark ? 0xffffff : 0x000000, 0.12);
  for (guint i = 0; i < CP_REPORT_N_SERIES_COLORS; i++)
    color_from_hex (&palette->series[i], dark ? dark_series[i] : light_series[i], 1.0);
}

static PangoLayout *
make_layout (cairo_t    *cr,
             const char *text,
             double      size,
             gboolean    bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (FONT_FAMILY);

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_text (layout, text, -1);

  return layout;
}

/* Draws @text with its top left at @x, @y, at most @max_width wide (0: no
 * limit, else ellipsized); returns its size. */
static void
draw_text (cairo_t             *cr,
           const char          *text,
           double               x,
           double               y,
           double               max_width,
           double               size,
           gboolean             bold,
           const CpReportColor *color,
           double              *out_width,
           double              *out_height)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, text, size, bold);
  int w, h;

  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  set_color (cr, color);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  if (out_width != NULL)
    *out_width = w;
  if (out_height != NULL)
    *out_height = h;
}

static double
text_width (cairo_t    *cr,
            const char *text,
            double      size)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, text, size, FALSE);
  int w;

  pango_layout_get_pixel_size (layout, &w, NULL);

  return w;
}

static double
row_value (const CpReport *report,
           guint           row,
           gboolean        previous)
{
  const CpReportRow *r = g_ptr_array_index (report->rows, row);
  const double *values = previous ? r->previous : r->values;

  return values != NULL ? values[report->chart_column] : NAN;
}

static void
add_hit (GArray *areas,
         double  x,
         double  y,
         double  width,
         double  height,
         guint   row)
{
  CpReportHitArea area = { x, y, width, height, row };

  g_array_append_val (areas, area);
}

static void
render_empty (cairo_t               *cr,
              const CpReportPalette *palette,
              double                 width,
              double                 height)
{
  const char *text = _("No leads match these filters");
  double w = text_width (cr, text, 14);

  draw_text (cr, text, (width - w) / 2, height / 2 - 10, 0, 14, FALSE, &palette->foreground,
             NULL, NULL);
}

/* One horizontal bar per row: the funnel and the lists. */
static void
render_bars (cairo_t               *cr,
             const CpReport        *report,
             const CpReportPalette *palette,
             double                 width,
             double                 height,
             GArray                *areas)
{
  const CpReportColumn *column = g_ptr_array_index (report->columns, report->chart_column);
  gboolean ratio = column->kind == CP_REPORT_VALUE_RATIO;
  guint n = MIN (report->rows->len, CP_REPORT_CHART_MAX_ROWS);
  double label_width = 0, value_width = 0, scale = ratio ? 1.0 : 0;
  double slot, bar, x0, bar_space;
  int conversion = report->kind == CP_REPORT_FUNNEL
    ? cp_report_find_column (report, "conversion_to_next") : -1;

  for (guint i = 0; i < n; i++)
    {
      const CpReportRow *row = g_ptr_array_index (report->rows, i);
      g_autofree char *text = cp_report_format_value (column->kind, row_value (report, i, FALSE));

      label_width = MAX (label_width, text_width (cr, row->label, 13));
      value_width = MAX (value_width, text_width (cr, text, 13));
      if (!ratio)
        {
          double v = row_value (report, i, FALSE), p = row_value (report, i, TRUE);
          scale = MAX (scale, isnan (v) ? 0 : v);
          scale = MAX (scale, isnan (p) ? 0 : p);
        }
    }
  label_width = MIN (label_width, width * 0.3);
  x0 = PAD + label_width + PAD;
  bar_space = MAX (width - x0 - value_width - 9 * PAD, 20);
  slot = MIN ((height - PAD) / MAX (n, 1), 44);
  bar = slot * (report->compared ? 0.5 : 0.62);

  for (guint i = 0; i < n; i++)
    {
      const CpReportRow *row = g_ptr_array_index (report->rows, i);
      double y = PAD / 2 + i * slot;
      double v = row_value (report, i, FALSE);
      double w = scale > 0 && !isnan (v) ? bar_space * v / scale : 0;
      g_autofree char *text = cp_report_format_value (column->kind, v);
      GString *figure = g_string_new (text);
      double th;

      draw_text (cr, row->label, PAD, y + (bar - 16) / 2, label_width, 13, FALSE,
                 &palette->foreground, NULL, &th);
      /* A hairline track shows the full scale behind each bar. */
      set_color (cr, &palette->grid);
      cairo_rectangle (cr, x0, y + bar / 2 - 0.5, bar_space, 1);
      cairo_fill (cr);
      set_color (cr, &palette->accent);
      cairo_rectangle (cr, x0, y, MAX (w, v > 0 ? 2 : 0), bar);
      cairo_fill (cr);
      if (report->compared)
        {
          double p = row_value (report, i, TRUE);
          double pw = scale > 0 && !isnan (p) ? bar_space * p / scale : 0;

          set_color (cr, &palette->previous);
          cairo_rectangle (cr, x0, y + bar + 2, pw, slot * 0.18);
          cairo_fill (cr);
        }
      if (conversion >= 0 && !isnan (row->values[conversion]))
        {
          g_autofree char *rate = cp_report_format_value (CP_REPORT_VALUE_RATIO,
                                                          row->values[conversion]);
          /* Translators: a funnel bar's figure, e.g. "1,234 · 61.5 % go on". */
          g_string_append_printf (figure, _(" · %s go on"), rate);
        }
      draw_text (cr, figure->str, x0 + w + PAD / 2, y + (bar - 16) / 2, 0, 13, FALSE,
                 &palette->foreground, NULL, NULL);
      g_string_free (figure, TRUE);
      add_hit (areas, 0, y, width, slot, i);
    }
}

/* The smallest round step × 10ⁿ (× 4) at or above @value, so that the four
 * grid lines fall on round counts. */
static double
nice_ceiling (double value)
{
  static const double steps[] = { 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 };
  double magnitude;

  if (value <= 4)
    return 4;
  magnitude = pow (10, floor (log10 (value / 4)));
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * magnitude * 4 >= value)
      return steps[i] * magnitude * 4;

  return value;
}

/* Stacked columns over time: the channel report. */
static void
render_series (cairo_t               *cr,
               const CpReport        *report,
               const CpReportPalette *palette,
               double                 width,
               double                 height,
               GArray                *areas)
{
  guint n = report->rows->len;
  guint n_series = report->columns->len - report->series_from;
  double max = 0, legend_x = PAD, legend_h = 0, axis_w, plot_top, plot_h, plot_w, slot;
  guint label_every;

  for (guint i = 0; i < n; i++)
    max = MAX (max, row_value (report, i, FALSE));
  for (guint s = 0; s < n_series; s++)
    {
      const CpReportColumn *column = g_ptr_array_index (report->columns, report->series_from + s);
      double w, h;

      if (legend_x + 16 + text_width (cr, column->title, 12) > width - PAD)
        {
          legend_x = PAD;
          legend_h += 20;
        }
      set_color (cr, &palette->series[s % CP_REPORT_N_SERIES_COLORS]);
      cairo_rectangle (cr, legend_x, PAD / 2 + legend_h + 3, 10, 10);
      cairo_fill (cr);
      draw_text (cr, column->title, legend_x + 14, PAD / 2 + legend_h, 0, 12, FALSE,
                 &palette->foreground, &w, &h);
      legend_x += 14 + w + PAD;
    }

  plot_top = PAD / 2 + legend_h + 28;
  axis_w = text_width (cr, "000,000", 11) + PAD;
  plot_h = MAX (height - plot_top - 28, 10);
  plot_w = MAX (width - axis_w - PAD, 10);
  slot = plot_w / MAX (n, 1);
  max = nice_ceiling (max);

  /* Four grid lines with their counts. */
  for (guint g = 0; g <= 4; g++)
    {
      double y = plot_top + plot_h - plot_h * g / 4;
      g_autofree char *label = cp_report_format_value (CP_REPORT_VALUE_COUNT, max * g / 4);

      set_color (cr, &palette->grid);
      cairo_rectangle (cr, axis_w, y, plot_w, 1);
      cairo_fill (cr);
      draw_text (cr, label, PAD / 2, y - 8, axis_w - PAD, 11, FALSE, &palette->foreground,
                 NULL, NULL);
    }

  label_every = MAX (1, (guint) ceil (70.0 / MAX (slot, 1)));
  for (guint i = 0; i < n; i++)
    {
      const CpReportRow *row = g_ptr_array_index (report->rows, i);
      double x = axis_w + i * slot + slot * 0.15;
      double y = plot_top + plot_h;

      for (guint s = 0; s < n_series; s++)
        {
          double v = row->values[report->series_from + s];
          double h = plot_h * v / max;

          if (h <= 0)
            continue;
          set_color (cr, &palette->series[s % CP_REPORT_N_SERIES_COLORS]);
          cairo_rectangle (cr, x, y - h, slot * 0.7, h);
          cairo_fill (cr);
          y -= h;
        }
      if (report->compared && row->previous != NULL)
        {
          double py = plot_top + plot_h - plot_h * row->previous[0] / max;

          set_color (cr, &palette->foreground);
          cairo_rectangle (cr, x - slot * 0.05, py - 1, slot * 0.8, 2);
          cairo_fill (cr);
        }
      if (i % label_every == 0)
        draw_text (cr, row->label, axis_w + i * slot, plot_top + plot_h + 6, slot * label_every,
                   11, FALSE, &palette->foreground, NULL, NULL);
      add_hit (areas, axis_w + i * slot, plot_top, slot, plot_h, i);
    }
}

GArray *
cp_report_render_chart (cairo_t               *cr,
                        const CpReport        *report,
                        const CpReportPalette *palette,
                        double                 width,
                        double                 height)
{
  GArray *areas = g_array_new (FALSE, FALSE, sizeof (CpReportHitArea));

  g_return_val_if_fail (cr != NULL, areas);
  g_return_val_if_fail (report != NULL, areas);
  g_return_val_if_fail (palette != NULL, areas);

  cairo_save (cr);
  if (palette->background.a > 0)
    {
      set_color (cr, &palette->background);
      cairo_rectangle (cr, 0, 0, width, height);
      cairo_fill (cr);
    }
  if (report->rows->len == 0 || report->columns->len == 0
      || (report->series_from != G_MAXUINT && report->n_leads == 0))
    render_empty (cr, palette, width, height);
  else if (report->series_from != G_MAXUINT && report->series_from < report->columns->len)
    render_series (cr, report, palette, width, height, areas);
  else
    render_bars (cr, report, palette, width, height, areas);
  cairo_restore (cr);

  return areas;
}

char *
cp_report_row_tooltip (const CpReport *report,
                       guint           row)
{
  const CpReportRow *r;
  GString *out;

  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (row < report->rows->len, NULL);

  r = g_ptr_array_index (report->rows, row);
  out = g_string_new (r->label);
  for (guint c = 0; c < report->columns->len; c++)
    {
      const CpReportColumn *column = g_ptr_array_index (report->columns, c);
      g_autofree char *value = cp_report_format_value (column->kind, r->values[c]);

      /* The channel columns with nothing in them say nothing. */
      if (report->series_from != G_MAXUINT && c >= report->series_from && r->values[c] == 0)
        continue;
      g_string_append_printf (out, "\n%s: %s", column->title, value);
      if (r->previous != NULL)
        {
          g_autofree char *change =
              cp_report_format_change (column->kind, r->values[c], r->previous[c]);
          g_string_append_printf (out, " (%s)", change);
        }
    }

  return g_string_free (out, FALSE);
}

/* The exported page. */

static char *
generated_line (const CpReport        *report,
                const CpReportOptions *options)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d %H:%M");
  g_autofree char *filters = cp_report_options_describe (options);

  /* Translators: under an exported report's title: filters, lead count, date. */
  return g_strdup_printf (ngettext ("%s · %'u lead · generated %s", "%s · %'u leads · generated %s",
                                    report->n_leads),
                          filters, report->n_leads, date);
}

static void
render_table (cairo_t               *cr,
              const CpReport        *report,
              const CpReportPalette *palette,
              double                 x,
              double                 y,
              double                 width,
              double                 height)
{
  guint n_columns = report->columns->len;
  double first = width * 0.28;
  double cell = (width - first) / MAX (n_columns, 1);
  double line = 18;
  guint fit = (guint) MAX ((height - line) / line, 0);
  guint shown = MIN (report->rows->len, fit);

  for (guint c = 0; c < n_columns; c++)
    {
      const CpReportColumn *column = g_ptr_array_index (report->columns, c);
      draw_text (cr, column->title, x + first + c * cell, y, cell - 6, 10, TRUE,
                 &palette->foreground, NULL, NULL);
    }
  y += line;
  for (guint r = 0; r < shown; r++)
    {
      const CpReportRow *row = g_ptr_array_index (report->rows, r);

      set_color (cr, &palette->grid);
      cairo_rectangle (cr, x, y - 2, width, 0.5);
      cairo_fill (cr);
      draw_text (cr, row->label, x, y, first - 6, 10, FALSE, &palette->foreground, NULL, NULL);
      for (guint c = 0; c < n_columns; c++)
        {
          const CpReportColumn *column = g_ptr_array_index (report->columns, c);
          g_autofree char *value = cp_report_format_value (column->kind, row->values[c]);
          g_autofree char *text = NULL;

          if (row->previous != NULL)
            {
              g_autofree char *change =
                  cp_report_format_change (column->kind, row->values[c], row->previous[c]);
              text = g_strdup_printf ("%s (%s)", value, change);
            }
          draw_text (cr, text != NULL ? text : value, x + first + c * cell, y, cell - 6, 10,
                     FALSE, &palette->foreground, NULL, NULL);
        }
      y += line;
    }
  if (shown < report->rows->len)
    {
      g_autofree char *more = g_strdup_printf (ngettext ("… and %u more row in the CSV export",
                                                         "… and %u more rows in the CSV export",
                                                         report->rows->len - shown),
                                               report->rows->len - shown);
      draw_text (cr, more, x, y, 0, 10, FALSE, &palette->foreground, NULL, NULL);
    }
}

static void
render_page (cairo_t               *cr,
             const CpReport        *report,
             const CpReportOptions *options,
             double                 width,
             double                 height)
{
  CpReportPalette palette;
  g_autofree char *subtitle = generated_line (report, options);
  g_autoptr(GArray) areas = NULL;
  double margin = MAX (24, width * 0.04), y = margin, h;
  double chart_h;

  cp_report_palette_init (&palette, FALSE);
  set_color (cr, &palette.background);
  cairo_paint (cr);

  draw_text (cr, report->title, margin, y, width - 2 * margin, 22, TRUE, &palette.foreground,
             NULL, &h);
  y += h + 4;
  draw_text (cr, subtitle, margin, y, width - 2 * margin, 11, FALSE, &palette.foreground, NULL, &h);
  y += h + margin / 2;

  chart_h = (height - y - margin) * 0.55;
  palette.background.a = 0;
  cairo_save (cr);
  cairo_translate (cr, margin, y);
  areas = cp_report_render_chart (cr, report, &palette, width - 2 * margin, chart_h);
  cairo_restore (cr);
  y += chart_h + margin / 2;
  render_table (cr, report, &palette, margin, y, width - 2 * margin, height - y - margin);
}

/* Cairo's stream writer: a page's bytes, kept until they are written. */
static cairo_status_t
append_bytes_cb (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);

  return CAIRO_STATUS_SUCCESS;
}

/* An export names people: readable by its owner only, and written whole,
 * so that a failed export leaves the file already there as it was. */
static gboolean
write_export (const char  *path,
              const void  *contents,
              gsize        length,
              GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return cp_private_file_replace (file, contents, length, error);
}

static gboolean
check_status (cairo_status_t   status,
              const char      *path,
              GError         **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write “%s”: %s"), path,
               cairo_status_to_string (status));

  return FALSE;
}

gboolean
cp_report_export_png (const CpReport        *report,
                      const CpReportOptions *options,
                      const char            *path,
                      int                    width,
                      int                    height,
                      GError               **error)
{
  g_autoptr(GByteArray) png = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (width < 200 || height < 150 || width > 10000 || height > 10000)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("An image must be between 200 × 150 and 10000 × 10000 pixels, not %d × %d"),
                   width, height);
      return FALSE;
    }
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  render_page (cr, report, options, width, height);
  cairo_destroy (cr);
  png = g_byte_array_new ();
  status = cairo_surface_write_to_png_stream (surface, append_bytes_cb, png);
  cairo_surface_destroy (surface);

  return check_status (status, path, error) && write_export (path, png->data, png->len, error);
}

gboolean
cp_report_export_pdf (const CpReport        *report,
                      const CpReportOptions *options,
                      const char            *path,
                      GError               **error)
{
  /* A4 landscape, in points. */
  const double width = 842, height = 595;
  g_autoptr(GByteArray) pdf = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_t *cr;
  gboolean ok;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  surface = cairo_pdf_surface_create_for_stream (append_bytes_cb, pdf, width, height);
  if (!check_status (cairo_surface_status (surface), path, error))
    {
      cairo_surface_destroy (surface);
      return FALSE;
    }
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, report->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Carepath");
  cr = cairo_create (surface);
  render_page (cr, report, options, width, height);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  ok = check_status (cairo_surface_status (surface), path, error);
  cairo_surface_destroy (surface);

  return ok && write_export (path, pdf->data, pdf->len, error);
}

gboolean
cp_report_export_csv (const CpReport  *report,
                      const char      *path,
                      GError         **error)
{
  g_autofree char *csv = NULL;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  csv = cp_report_to_csv (report);

  return write_export (path, csv, strlen (csv), error);
}

static void
add_number (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  if (isnan (value))
    json_builder_add_null_value (builder);
  else if (value == floor (value) && fabs (value) < 1e15)
    json_builder_add_int_value (builder, (gint64) value);
  else
    json_builder_add_double_value (builder, value);
}

static void
add_figures (JsonBuilder    *builder,
             const CpReport *report,
             const double   *values)
{
  for (guint c = 0; c < report->columns->len; c++)
    add_number (builder, ((CpReportColumn *) g_ptr_array_index (report->columns, c))->id,
                values[c]);
}

char *
cp_report_to_json (const CpReport        *report,
                   const CpReportOptions *options)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *filters = NULL;

  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  filters = cp_report_options_describe (options);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "report");
  json_builder_add_string_value (builder, report->id);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, report->title);
  json_builder_set_member_name (builder, "filters");
  json_builder_add_string_value (builder, filters);
  if (report->kind == CP_REPORT_FUNNEL)
    {
      json_builder_set_member_name (builder, "mode");
      json_builder_add_string_value (builder, options->mode == CP_FUNNEL_ANY ? "any" : "ordered");
    }
  json_builder_set_member_name (builder, "leads");
  json_builder_add_int_value (builder, report->n_leads);
  json_builder_set_member_name (builder, report->rows_name);
  json_builder_begin_array (builder);
  for (guint r = 0; r < report->rows->len; r++)
    {
      const CpReportRow *row = g_ptr_array_index (report->rows, r);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, report->key_name);
      json_builder_add_string_value (builder, row->key);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, row->label);
      add_figures (builder, report, row->values);
      if (row->previous != NULL)
        {
          json_builder_set_member_name (builder, "previous");
          json_builder_begin_object (builder);
          add_figures (builder, report, row->previous);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (report->compared)
    {
      json_builder_set_member_name (builder, "previous_leads");
      json_builder_add_int_value (builder, report->previous_n_leads);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  return json_generator_to_data (generator, NULL);
}
