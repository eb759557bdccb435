/* cp-score-histogram.c — how the leads' scores spread, and where the tier thresholds cut
 *
 * One bar per score (grouped when the range is wide), coloured by the tier
 * the current thresholds give it, with a line at each threshold. Drawn
 * with GtkSnapshot, so it is crisp at any scale and takes its colours from
 * the theme (light and dark). Hovering a bar tells its scores and leads;
 * the accessible description gives the tier counts.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-score-histogram"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-score-histogram.h"

#define MIN_HEIGHT 120

struct _CpScoreHistogram
{
  GtkWidget  parent_instance;

  GArray    *counts;        /* guint per score */
  int        nurture;
  int        sales_ready;
};

G_DEFINE_FINAL_TYPE (CpScoreHistogram, cp_score_histogram, GTK_TYPE_WIDGET)

/* Scores per bar: about one bar per 6 pixels. */
static guint
scores_per_bar (CpScoreHistogram *self,
                int               width)
{
  guint n = MAX (self->counts->len, 1);
  guint bars = MAX (width / 6, 1);

  return MAX ((n + bars - 1) / bars, 1);
}

static guint
sum_range (CpScoreHistogram *self,
           guint             from,
           guint             to)
{
  guint total = 0;

  for (guint i = from; i < to && i < self->counts->len; i++)
    total += g_array_index (self->counts, guint, i);
  return total;
}

static void
cp_score_histogram_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  CpScoreHistogram *self = CP_SCORE_HISTOGRAM (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  guint per_bar = scores_per_bar (self, width);
  guint n_bars = (self->counts->len + per_bar - 1) / MAX (per_bar, 1);
  guint max = 1;
  GdkRGBA fg;
  GdkRGBA colours[3] = {
    { 0.5, 0.5, 0.5, 0.45 },      /* unqualified: the text colour, faint (set below) */
    { 0.90, 0.65, 0.04, 1.0 },    /* nurture: amber, readable on light and dark */
    { 0.15, 0.64, 0.41, 1.0 },    /* sales-ready: green */
  };
  float bar_width;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  colours[0] = fg;
  colours[0].alpha = 0.35f;

  if (n_bars == 0 || width <= 0 || height <= 0)
    return;
  for (guint b = 0; b < n_bars; b++)
    max = MAX (max, sum_range (self, b * per_bar, (b + 1) * per_bar));
  bar_width = (float) width / (float) n_bars;

  for (guint b = 0; b < n_bars; b++)
    {
      guint count = sum_range (self, b * per_bar, (b + 1) * per_bar);
      int first_score = (int) (b * per_bar);
      float bar_height = count == 0 ? 0 : MAX (1.0f, (float) height * (float) count / (float) max);
      guint tier = first_score >= self->sales_ready ? 2 : first_score >= self->nurture ? 1 : 0;
      graphene_rect_t rect;

      graphene_rect_init (&rect, b * bar_width + 0.5f, (float) height - bar_height,
                          MAX (bar_width - 1.0f, 1.0f), bar_height);
      gtk_snapshot_append_color (snapshot, &colours[tier], &rect);
    }

  /* The thresholds, as lines across the whole height. */
  {
    GdkRGBA line = fg;
    int thresholds[] = { self->nurture, self->sales_ready };

    line.alpha = 0.8f;
    for (guint i = 0; i < G_N_ELEMENTS (thresholds); i++)
      {
        float x = (float) thresholds[i] / (float) per_bar * bar_width;
        graphene_rect_t rect;

        graphene_rect_init (&rect, MIN (x, (float) width - 2), 0, 2, (float) height);
        gtk_snapshot_append_color (snapshot, &line, &rect);
      }
  }
}

static void
cp_score_histogram_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_VERTICAL ? MIN_HEIGHT : 100;
  *natural = orientation == GTK_ORIENTATION_VERTICAL ? MIN_HEIGHT : 400;
}

static gboolean
query_tooltip_cb (GtkWidget        *widget,
                  int               x,
                  int               y,
                  gboolean          keyboard,
                  GtkTooltip       *tooltip,
                  CpScoreHistogram *self)
{
  int width = gtk_widget_get_width (widget);
  guint per_bar = scores_per_bar (self, width);
  guint n_bars = (self->counts->len + per_bar - 1) / MAX (per_bar, 1);
  guint bar;
  g_autofree char *text = NULL;
  guint count;

  if (keyboard || n_bars == 0 || width <= 0)
    return FALSE;
  bar = MIN ((guint) (x * (int) n_bars / width), n_bars - 1);
  count = sum_range (self, bar * per_bar, (bar + 1) * per_bar);
  text = per_bar == 1 ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Score %u: %u lead",
                                                      "Score %u: %u leads", count),
                                         bar, count)
                      : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Scores %u–%u: %u lead",
                                                      "Scores %u–%u: %u leads", count),
                                         bar * per_bar, (bar + 1) * per_bar - 1, count);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
update_description (CpScoreHistogram *self)
{
  guint unqualified, nurture, ready;
  g_autofree char *text = NULL;

  cp_score_histogram_get_tier_counts (self, &unqualified, &nurture, &ready);
  text = g_strdup_printf (_("Scores of the open leads: %u sales-ready, %u nurture, %u unqualified"),
                          ready, nurture, unqualified);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

static void
cp_score_histogram_finalize (GObject *object)
{
  CpScoreHistogram *self = CP_SCORE_HISTOGRAM (object);

  g_array_unref (self->counts);

  G_OBJECT_CLASS (cp_score_histogram_parent_class)->finalize (object);
}

static void
cp_score_histogram_class_init (CpScoreHistogramClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = cp_score_histogram_finalize;
  widget_class->snapshot = cp_score_histogram_snapshot;
  widget_class->measure = cp_score_histogram_measure;
  gtk_widget_class_set_css_name (widget_class, "cp-score-histogram");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cp_score_histogram_init (CpScoreHistogram *self)
{
  self->counts = g_array_new (FALSE, TRUE, sizeof (guint));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Score histogram"), -1);
}

/* @counts: (element-type guint): leads per score (copied) */
void
cp_score_histogram_set_counts (CpScoreHistogram *self,
                               GArray           *counts)
{
  g_return_if_fail (CP_IS_SCORE_HISTOGRAM (self));

  g_array_set_size (self->counts, 0);
  if (counts != NULL)
    g_array_append_vals (self->counts, counts->data, counts->len);
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cp_score_histogram_set_thresholds (CpScoreHistogram *self,
                                   int               nurture,
                                   int               sales_ready)
{
  g_return_if_fail (CP_IS_SCORE_HISTOGRAM (self));

  self->nurture = MAX (nurture, 0);
  self->sales_ready = MAX (sales_ready, self->nurture);
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* How many leads each tier would hold with the thresholds shown. */
void
cp_score_histogram_get_tier_counts (CpScoreHistogram *self,
                                    guint            *unqualified,
                                    guint            *nurture,
                                    guint            *sales_ready)
{
  g_return_if_fail (CP_IS_SCORE_HISTOGRAM (self));

  *unqualified = sum_range (self, 0, (guint) self->nurture);
  *nurture = sum_range (self, (guint) self->nurture, (guint) self->sales_ready);
  *sales_ready = sum_range (self, (guint) self->sales_ready, G_MAXUINT);
}
