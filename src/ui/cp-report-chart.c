/* cp-report-chart.c — a report's chart, with a tooltip on every bar
 *
 * Draws through cp_report_render_chart() (the same drawing as the PNG and
 * PDF export) in the theme's colours; a click on a bar emits
 * ::row-activated, which opens the leads behind it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-report-chart"
#include "config.h"
#include "cp-report-chart.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cp-report-render.h"

struct _CpReportChart
{
  GtkWidget  parent_instance;

  CpReport  *report;
  GArray    *areas;   /* CpReportHitArea, from the last drawing */
};

G_DEFINE_FINAL_TYPE (CpReportChart, cp_report_chart, GTK_TYPE_WIDGET)

enum
{
  ROW_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
palette_for_widget (GtkWidget       *widget,
                    CpReportPalette *palette)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GdkRGBA color;

  cp_report_palette_init (palette, adw_style_manager_get_dark (manager));
  /* Text in the theme's own foreground; the view's background shows. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  palette->foreground.r = color.red;
  palette->foreground.g = color.green;
  palette->foreground.b = color.blue;
  palette->foreground.a = color.alpha;
  palette->background.a = 0;
}

static void
cp_report_chart_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  CpReportChart *self = CP_REPORT_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  CpReportPalette palette;
  cairo_t *cr;

  g_clear_pointer (&self->areas, g_array_unref);
  if (self->report == NULL || width <= 0 || height <= 0)
    return;

  palette_for_widget (widget, &palette);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  self->areas = cp_report_render_chart (cr, self->report, &palette, width, height);
  cairo_destroy (cr);
}

static void
cp_report_chart_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  CpReportChart *self = CP_REPORT_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 320;
      *natural = 720;
      return;
    }
  if (self->report != NULL && self->report->series_from == G_MAXUINT)
    {
      guint n = MIN (MAX (self->report->rows->len, 1), CP_REPORT_CHART_MAX_ROWS);

      /* A bar of about 40 pixels per row, as the drawing lays them out. */
      *minimum = *natural = MAX (120, (int) n * 40 + 16);
    }
  else
    *minimum = *natural = 320;
}

int
cp_report_chart_row_at (CpReportChart *self,
                        double         x,
                        double         y)
{
  g_return_val_if_fail (CP_IS_REPORT_CHART (self), -1);

  for (guint i = 0; self->areas != NULL && i < self->areas->len; i++)
    {
      const CpReportHitArea *area = &g_array_index (self->areas, CpReportHitArea, i);

      if (x >= area->x && x < area->x + area->width && y >= area->y && y < area->y + area->height)
        return area->row;
    }

  return -1;
}

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  CpReportChart *self = CP_REPORT_CHART (widget);
  int row = cp_report_chart_row_at (self, x, y);
  g_autofree char *text = NULL;

  if (row < 0 || self->report == NULL)
    return FALSE;
  text = cp_report_row_tooltip (self->report, row);
  gtk_tooltip_set_text (tooltip, text);

  return TRUE;
}

static void
released_cb (GtkGestureClick *gesture,
             int              n_press,
             double           x,
             double           y,
             CpReportChart   *self)
{
  int row = cp_report_chart_row_at (self, x, y);

  if (row >= 0)
    g_signal_emit (self, signals[ROW_ACTIVATED], 0, (guint) row);
}

static void
style_changed_cb (AdwStyleManager *manager,
                  GParamSpec      *pspec,
                  CpReportChart   *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
cp_report_chart_finalize (GObject *object)
{
  CpReportChart *self = CP_REPORT_CHART (object);

  g_clear_pointer (&self->report, cp_report_free);
  g_clear_pointer (&self->areas, g_array_unref);

  G_OBJECT_CLASS (cp_report_chart_parent_class)->finalize (object);
}

static void
cp_report_chart_class_init (CpReportChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cp_report_chart_finalize;
  widget_class->snapshot = cp_report_chart_snapshot;
  widget_class->measure = cp_report_chart_measure;

  /**
   * CpReportChart::row-activated:
   * @row: the report row whose bar was clicked
   */
  signals[ROW_ACTIVATED] =
    g_signal_new ("row-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_css_name (widget_class, "cp-report-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cp_report_chart_init (CpReportChart *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
  g_signal_connect (click, "released", G_CALLBACK (released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (style_changed_cb), self, 0);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "pointer");
}

void
cp_report_chart_set_report (CpReportChart  *self,
                            const CpReport *report)
{
  g_autofree char *description = NULL;

  g_return_if_fail (CP_IS_REPORT_CHART (self));

  g_clear_pointer (&self->report, cp_report_free);
  g_clear_pointer (&self->areas, g_array_unref);
  if (report != NULL)
    {
      self->report = g_boxed_copy (CP_TYPE_REPORT, report);
      /* Translators: what a screen reader says for the chart. */
      description = g_strdup_printf (_("Chart: %s. The same figures are in the table below."),
                                     report->title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      description, -1);
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

const CpReport *
cp_report_chart_get_report (CpReportChart *self)
{
  g_return_val_if_fail (CP_IS_REPORT_CHART (self), NULL);

  return self->report;
}
