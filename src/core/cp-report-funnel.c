/* cp-report-funnel.c — leads per funnel stage, in order or at any point,
 * with conversion, drop-off and time in stage
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-report"
#include "config.h"
#include "cp-report-private.h"

#include <glib/gi18n.h>
#include <math.h>

/* The funnel holds at most this many stages (a bit per stage). */
#define MAX_FUNNEL 64

enum
{
  COLUMN_COUNT,
  COLUMN_CONVERSION,
  COLUMN_CUMULATIVE,
  COLUMN_DROP_OFF,
  COLUMN_MEDIAN_DAYS,
};

void
_cp_report_compute_funnel (CpReportContext *ctx)
{
  guint n = MIN (ctx->n_funnel, MAX_FUNNEL);
  guint n_leads = cp_report_data_get_n_leads (ctx->data);
  g_autofree guint *converted = g_new0 (guint, n + 1);
  g_autofree guint *from_first = g_new0 (guint, n + 1);
  /* Days in each stage, one value per lead that was in it: room for
   * every lead (pages never written are never touched). */
  g_autofree double **stays = g_new0 (double *, n + 1);
  g_autofree gsize *n_stays = g_new0 (gsize, n + 1);
  g_autofree guint *counts = g_new0 (guint, n + 1);
  g_autofree gint64 *seconds = g_new0 (gint64, n + 1);
  g_autofree guint *rows = g_new0 (guint, n + 1);
  gint64 now = ctx->options->now;

  _cp_report_add_column (ctx, "count", _("Leads"), CP_REPORT_VALUE_COUNT);
  _cp_report_add_column (ctx, "conversion_to_next", _("To next stage"), CP_REPORT_VALUE_RATIO);
  _cp_report_add_column (ctx, "cumulative", _("From first stage"), CP_REPORT_VALUE_RATIO);
  _cp_report_add_column (ctx, "drop_off", _("Dropped off"), CP_REPORT_VALUE_COUNT);
  _cp_report_add_column (ctx, "median_days_in_stage", _("Median time in stage"),
                         CP_REPORT_VALUE_DAYS);
  ctx->report->chart_column = COLUMN_COUNT;

  for (guint k = 0; k < n; k++)
    {
      const char *stage = ctx->funnel_ids[k];

      rows[k] = _cp_report_row (ctx, stage, _cp_report_stage_title (ctx, stage));
      stays[k] = g_new (double, MAX (n_leads, 1));
    }

  for (guint i = 0; i < n_leads; i++)
    {
      const CpReportEvent *events;
      guint n_events;
      guint64 reached = 0;
      guint depth = 0;

      if (!_cp_report_lead_passes (ctx, i))
        continue;
      events = cp_report_data_get_events (ctx->data, i, &n_events);
      for (guint k = 0; k < n; k++)
        seconds[k] = 0;

      for (guint e = 0; e < n_events; e++)
        {
          int pos = events[e].stage < ctx->n_stage_codes ? ctx->funnel_pos[events[e].stage] : -1;
          gint64 left;

          if (pos < 0 || (guint) pos >= n)
            continue;
          reached |= G_GUINT64_CONSTANT (1) << pos;
          if ((guint) pos == depth)
            depth++;
          left = e + 1 < n_events ? events[e + 1].time : MAX (now, events[e].time);
          seconds[pos] += MAX (left - events[e].time, 0);
        }

      /* In order: the first depth stages; at any point: every stage reached. */
      if (ctx->options->mode == CP_FUNNEL_ORDERED)
        reached = depth >= 64 ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << depth) - 1;

      for (guint k = 0; k < n; k++)
        {
          if (!(reached & (G_GUINT64_CONSTANT (1) << k)))
            continue;
          /* Counted here, added to the row once: the rows are looked up
           * per lead only for the one whose leads are collected. */
          if ((int) rows[k] == ctx->collect_row)
            _cp_report_hit (ctx, rows[k], COLUMN_COUNT, i);
          else
            counts[k]++;
          if (k + 1 < n && (reached & (G_GUINT64_CONSTANT (1) << (k + 1))))
            converted[k]++;
          if (reached & 1)
            from_first[k]++;
          if (!ctx->stage_closed[ctx->funnel[k]])
            stays[k][n_stays[k]++] = seconds[k] / 86400.0;
        }
      ctx->report->n_leads++;
    }

  for (guint k = 0; k < n; k++)
    _cp_report_set (ctx, rows[k], COLUMN_COUNT,
                    _cp_report_value (ctx, rows[k], COLUMN_COUNT) + counts[k]);
  for (guint k = 0; k < n; k++)
    {
      double count = _cp_report_value (ctx, rows[k], COLUMN_COUNT);
      double first = _cp_report_value (ctx, rows[0], COLUMN_COUNT);
      gboolean last = k + 1 == n;

      _cp_report_set (ctx, rows[k], COLUMN_CONVERSION,
                      last || count == 0 ? NAN : converted[k] / count);
      _cp_report_set (ctx, rows[k], COLUMN_CUMULATIVE, first == 0 ? NAN : from_first[k] / first);
      _cp_report_set (ctx, rows[k], COLUMN_DROP_OFF, last ? NAN : count - converted[k]);
      _cp_report_set (ctx, rows[k], COLUMN_MEDIAN_DAYS,
                      _cp_report_median (stays[k], n_stays[k]));
      g_free (stays[k]);
    }
}
