/* cp-report-lists.c — the reports beside the funnel: volume by channel,
 * SLA by queue, closures, referral sources, no-shows, tiers, data quality
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-report"
#include "config.h"
#include "cp-report-private.h"

#include <glib/gi18n.h>
#include <math.h>

/* The most periods the channel report draws (ten years of months). */
#define MAX_PERIODS 520

static const char *
attr_value (CpReportContext       *ctx,
            const CpReportLeadRow *row,
            CpReportAttr           attr)
{
  return cp_report_data_value (ctx->data, attr, row->attr[attr]);
}

static double
ratio (double part,
       double whole)
{
  return whole > 0 ? part / whole : NAN;
}

static int
compare_rows_desc (gconstpointer a,
                   gconstpointer b)
{
  const CpReportRow *ra = *(const CpReportRow * const *) a;
  const CpReportRow *rb = *(const CpReportRow * const *) b;

  if (ra->values[0] != rb->values[0])
    return ra->values[0] < rb->values[0] ? 1 : -1;

  return g_utf8_collate (ra->label, rb->label);
}

/* Largest first by the row's lead count, then by label. */
static void
sort_rows (CpReportContext *ctx)
{
  g_ptr_array_sort (ctx->report->rows, compare_rows_desc);
}

/* Volume by channel over time. */

static GDateTime *
period_start (gint64   time,
              gboolean weekly)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_local (time);

  if (weekly)
    {
      g_autoptr(GDateTime) day = g_date_time_new_local (g_date_time_get_year (date),
                                                        g_date_time_get_month (date),
                                                        g_date_time_get_day_of_month (date),
                                                        0, 0, 0);
      return g_date_time_add_days (day, 1 - g_date_time_get_day_of_week (day));
    }

  return g_date_time_new_local (g_date_time_get_year (date), g_date_time_get_month (date), 1,
                                0, 0, 0);
}

static guint
find_period (const gint64 *starts,
             guint         n,
             gint64        time)
{
  guint low = 0, high = n;

  /* The last start at or before @time. */
  while (high - low > 1)
    {
      guint mid = low + (high - low) / 2;

      if (starts[mid] <= time)
        low = mid;
      else
        high = mid;
    }

  return low;
}

void
_cp_report_compute_channels (CpReportContext *ctx)
{
  guint n_leads = cp_report_data_get_n_leads (ctx->data);
  guint n_codes = cp_report_data_n_values (ctx->data, CP_REPORT_ATTR_SOURCE_CHANNEL);
  g_autofree guint *totals = g_new0 (guint, n_codes);
  g_autofree int *code_column = g_new (int, n_codes);
  g_autofree guint *order = g_new (guint, n_codes);
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint *rows = NULL;
  gint64 first = G_MAXINT64, last = 0, from, to;
  gboolean weekly;
  g_autoptr(GDateTime) start = NULL;

  for (guint i = 0; i < n_leads; i++)
    {
      const CpReportLeadRow *row;

      if (!_cp_report_lead_passes (ctx, i))
        continue;
      row = cp_report_data_get_lead (ctx->data, i);
      totals[row->attr[CP_REPORT_ATTR_SOURCE_CHANNEL]]++;
      first = MIN (first, row->created_at);
      last = MAX (last, row->created_at);
      ctx->report->n_leads++;
    }

  /* Columns: the total, then each channel, the busiest first. */
  _cp_report_add_column (ctx, "total", _("All channels"), CP_REPORT_VALUE_COUNT);
  ctx->report->chart_column = 0;
  ctx->report->series_from = 1;
  for (guint c = 0; c < n_codes; c++)
    order[c] = c;
  for (guint a = 1; a < n_codes; a++)
    for (guint b = a; b > 0 && totals[order[b]] > totals[order[b - 1]]; b--)
      {
        guint t = order[b];
        order[b] = order[b - 1];
        order[b - 1] = t;
      }
  for (guint c = 0; c < n_codes; c++)
    {
      guint code = order[c];
      const char *value = cp_report_data_value (ctx->data, CP_REPORT_ATTR_SOURCE_CHANNEL, code);
      g_autofree char *title = value != NULL ? _cp_report_value_label (value) : NULL;

      code_column[code] = -1;
      if (totals[code] == 0)
        continue;
      code_column[code] = _cp_report_add_column (ctx, value != NULL ? value : "unknown",
                                                 title != NULL ? title : _("Unknown"),
                                                 CP_REPORT_VALUE_COUNT);
    }

  if (ctx->report->n_leads == 0 && (ctx->from == 0 || ctx->to == 0))
    return;

  from = ctx->from != 0 ? ctx->from : first;
  to = ctx->to != 0 ? ctx->to : MAX (last + 1, from + 1);
  weekly = to - from <= 92 * 86400;
  start = period_start (from, weekly);
  while (starts->len < MAX_PERIODS && g_date_time_to_unix (start) < to)
    {
      gint64 time = g_date_time_to_unix (start);
      GDateTime *next;

      g_array_append_val (starts, time);
      g_ptr_array_add (keys, g_date_time_format (start, "%Y-%m-%d"));
      if (weekly)
        {
          /* Translators: a week on a chart axis, by the date it starts. */
          g_ptr_array_add (labels, g_date_time_format (start, _("%-d %b")));
          next = g_date_time_add_weeks (start, 1);
        }
      else
        {
          g_ptr_array_add (labels, g_date_time_format (start, "%b %Y"));
          next = g_date_time_add_months (start, 1);
        }
      g_date_time_unref (start);
      start = next;
    }

  rows = g_new (guint, starts->len);
  for (guint p = 0; p < starts->len; p++)
    rows[p] = _cp_report_row (ctx, g_ptr_array_index (keys, p), g_ptr_array_index (labels, p));

  for (guint i = 0; i < n_leads && starts->len > 0; i++)
    {
      const CpReportLeadRow *row;
      guint p;
      int column;

      if (!_cp_report_lead_passes (ctx, i))
        continue;
      row = cp_report_data_get_lead (ctx->data, i);
      if (row->created_at < g_array_index (starts, gint64, 0))
        continue;
      p = find_period ((const gint64 *) starts->data, starts->len, row->created_at);
      _cp_report_hit (ctx, rows[p], 0, i);
      column = code_column[row->attr[CP_REPORT_ATTR_SOURCE_CHANNEL]];
      if (column > 0)
        _cp_report_hit (ctx, rows[p], column, i);
    }
}

/* Response SLA by queue. */

enum { SLA_LEADS, SLA_ON_TIME, SLA_BREACHED, SLA_PENDING, SLA_COMPLIANCE, SLA_MEDIAN_HOURS };

void
_cp_report_compute_sla (CpReportContext *ctx)
{
  guint n_leads = cp_report_data_get_n_leads (ctx->data);
  g_autoptr(GPtrArray) responses = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  gint64 now = ctx->options->now;

  _cp_report_add_column (ctx, "leads", _("Leads with an SLA"), CP_REPORT_VALUE_COUNT);
  _cp_report_add_column (ctx, "on_time", _("On time"), CP_REPORT_VALUE_COUNT);
  _cp_report_add_column (ctx, "breached", _("Breached"), CP_REPORT_VALUE_COUNT);
  _cp_report_add_column (ctx, "pending", _("Pending"), CP_REPORT_VALUE_COUNT);
  _cp_report_add_column (ctx, "compliance", _("Compliance"), CP_REPORT_VALUE_RATIO);
  _cp_report_add_column (ctx, "median_first_response_hours", _("Median first response"),
                         CP_REPORT_VALUE_HOURS);
  ctx->report->chart_column = SLA_COMPLIANCE;

  for (guint i = 0; i < n_leads; i++)
    {
      const CpReportLeadRow *row;
      const char *queue;
      guint r;

      if (!_cp_report_lead_passes (ctx, i))
        continue;
      row = cp_report_data_get_lead (ctx->data, i);
      if (row->sla_due_at == 0)
        continue;
      queue = attr_value (ctx, row, CP_REPORT_ATTR_QUEUE);
      r = _cp_report_row (ctx, queue != NULL ? queue : "unassigned",
                          queue != NULL ? _cp_report_title_of (ctx->options->queues,
                                                               ctx->options->queue_titles, queue)
                                        : _("No queue"));
      if (r >= responses->len)
        g_ptr_array_add (responses, g_array_new (FALSE, FALSE, sizeof (double)));
      _cp_report_hit (ctx, r, SLA_LEADS, i);
      ctx->report->n_leads++;
      if (row->first_response_at != 0)
        {
          double hours = MAX (row->first_response_at - row->created_at, 0) / 3600.0;

          g_array_append_val (g_ptr_array_index (responses, r), hours);
          _cp_report_hit (ctx, r, row->first_response_at <= row->sla_due_at
                          ? SLA_ON_TIME : SLA_BREACHED, i);
        }
      else
        _cp_report_hit (ctx, r, now > row->sla_due_at ? SLA_BREACHED : SLA_PENDING, i);
    }

  for (guint r = 0; r < ctx->report->rows->len; r++)
    {
      GArray *hours = g_ptr_array_index (responses, r);
      double on_time = _cp_report_value (ctx, r, SLA_ON_TIME);

      _cp_report_set (ctx, r, SLA_COMPLIANCE,
                      ratio (on_time, on_time + _cp_report_value (ctx, r, SLA_BREACHED)));
      _cp_report_set (ctx, r, SLA_MEDIAN_HOURS,
                      _cp_report_median ((double *) hours->data, hours->len));
    }
  sort_rows (ctx);
}

/* Closure reasons. */

void
_cp_report_compute_closures (CpReportContext *ctx)
{
  guint n_leads = cp_report_data_get_n_leads (ctx->data);

  _cp_report_add_column (ctx, "leads", _("Leads"), CP_REPORT_VALUE_COUNT);
  _cp_report_add_column (ctx, "share", _("Share"), CP_REPORT_VALUE_RATIO);
  ctx->report->chart_column = 0;

  for (guint i = 0; i < n_leads; i++)
    {
      const CpReportLeadRow *row;
      const char *outcome, *reason;
      g_autofree char *key = NULL;
      g_autofree char *label = NULL;
      g_autofree char *outcome_label = NULL;
      g_autofree char *reason_label = NULL;
      guint16 stage;

      if (!_cp_report_lead_passes (ctx, i))
        continue;
      row = cp_report_data_get_lead (ctx->data, i);
      stage = row->attr[CP_REPORT_ATTR_STAGE];
      outcome = attr_value (ctx, row, CP_REPORT_ATTR_CLOSURE_OUTCOME);
      if (outcome == NULL && !(stage < ctx->n_stage_codes && ctx->stage_closed[stage]))
        continue;
      reason = attr_value (ctx, row, CP_REPORT_ATTR_CLOSURE_REASON);
      key = g_strconcat (outcome != NULL ? outcome : "unknown", "/",
                         reason != NULL ? reason : "", NULL);
      outcome_label = outcome != NULL ? _cp_report_value_label (outcome) : g_strdup (_("Closed"));
      reason_label = reason != NULL ? _cp_report_value_label (reason)
                                    : g_strdup (_("no reason given"));
      label = g_strdup_printf ("%s · %s", outcome_label, reason_label);
      _cp_report_hit (ctx, _cp_report_row (ctx, key, label), 0, i);
      ctx->report->n_leads++;
    }

  for (guint r = 0; r < ctx->report->rows->len; r++)
    _cp_report_set (ctx, r, 1, ratio (_cp_report_value (ctx, r, 0), ctx->report->n_leads));
  sort_rows (ctx);
}

/* Referral sources. */

enum { SOURCE_LEADS, SOURCE_QUALIFIED, SOURCE_WON, SOURCE_QUALIFIED_RATE, SOURCE_WIN_RATE };

static gboolean
reached_qualified (CpReportContext *ctx,
                   guint            index)
{
  const CpReportEvent *events;
  guint n_events;

  if (ctx->qualified_pos < 0)
    return FALSE;
  events = cp_report_data_get_events (ctx->data, index, &n_events);
  for (guint e = 0; e < n_events; e++)
    {
      guint16 stage = events[e].stage;

      if (stage < ctx->n_stage_codes && !ctx->stage_closed[stage]
          && ctx->stage_pos[stage] >= ctx->qualified_pos)
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_won (CpReportContext       *ctx,
        const CpReportLeadRow *row)
{
  return g_strcmp0 (attr_value (ctx, row, CP_REPORT_ATTR_CLOSURE_OUTCOME), "won") == 0;
}

static gboolean
is_lost (CpReportContext       *ctx,
         const CpReportLeadRow *row)
{
  return g_strcmp0 (attr_value (ctx, row, CP_REPORT_ATTR_CLOSURE_OUTCOME), "lost") == 0;
}

void
_cp_report_compute_sources (CpReportContext *ctx)
{
  guint n_leads = cp_report_data_get_n_leads (ctx->data);

  _cp_report_add_column (ctx, "leads", _("Leads"), CP_REPORT_VALUE_COUNT);
  _cp_report_add_column (ctx, "qualified", _("Qualified"), CP_REPORT_VALUE_COUNT);
  _cp_report_add_column (ctx, "won", _("Won"), CP_REPORT_VALUE_COUNT);
  _cp_report_add_column (ctx, "qualified_rate", _("Qualified rate"), CP_REPORT_VALUE_RATIO);
  _cp_report_add_column (ctx, "win_rate", _("Win rate"), CP_REPORT_VALUE_RATIO);
  ctx->report->chart_column = SOURCE_LEADS;

  for (guint i = 0; i < n_leads; i++)
    {
      const CpReportLeadRow *row;
      const char *source;
      gboolean won;
      guint r;

      if (!_cp_report_lead_passes (ctx, i))
        continue;
      row = cp_report_data_get_lead (ctx->data, i);
      source = attr_value (ctx, row, CP_REPORT_ATTR_REFERRAL_SOURCE);
      if (source == NULL)
        continue;
      r = _cp_report_row (ctx, source, source);
      won = is_won (ctx, row);
      _cp_report_hit (ctx, r, SOURCE_LEADS, i);
      if (won || reached_qualified (ctx, i))
        _cp_report_hit (ctx, r, SOURCE_QUALIFIED, i);
      if (won)
        _cp_report_hit (ctx, r, SOURCE_WON, i);
      ctx->report->n_leads++;
    }

  for (guint r = 0; r < ctx->report->rows->len; r++)
    {
      double leads = _cp_report_value (ctx, r, SOURCE_LEADS);

      _cp_report_set (ctx, r, SOURCE_QUALIFIED_RATE,
                      ratio (_cp_report_value (ctx, r, SOURCE_QUALIFIED), leads));
      _cp_report_set (ctx, r, SOURCE_WIN_RATE,
                      ratio (_cp_report_value (ctx, r, SOURCE_WON), leads));
    }
  sort_rows (ctx);
}

/* Appointment no-shows by location. */

void
_cp_report_compute_no_shows (CpReportContext *ctx)
{
  guint n_leads = cp_report_data_get_n_leads (ctx->data);

  _cp_report_add_column (ctx, "appointments", _("With an appointment"), CP_REPORT_VALUE_COUNT);
  _cp_report_add_column (ctx, "no_shows", _("No-shows"), CP_REPORT_VALUE_COUNT);
  _cp_report_add_column (ctx, "no_show_rate", _("No-show rate"), CP_REPORT_VALUE_RATIO);
  ctx->report->chart_column = 2;

  for (guint i = 0; i < n_leads; i++)
    {
      const CpReportLeadRow *row;
      const char *appointment, *location;
      guint r;

      if (!_cp_report_lead_passes (ctx, i))
        continue;
      row = cp_report_data_get_lead (ctx->data, i);
      appointment = attr_value (ctx, row, CP_REPORT_ATTR_APPOINTMENT_STAGE);
      if (appointment == NULL || g_str_equal (appointment, "none"))
        continue;
      location = attr_value (ctx, row, CP_REPORT_ATTR_LOCATION);
      r = _cp_report_row (ctx, location != NULL ? location : "unknown",
                          location != NULL ? NULL : _("No location"));
      _cp_report_hit (ctx, r, 0, i);
      if (g_str_equal (appointment, "no_show"))
        _cp_report_hit (ctx, r, 1, i);
      ctx->report->n_leads++;
    }

  for (guint r = 0; r < ctx->report->rows->len; r++)
    _cp_report_set (ctx, r, 2, ratio (_cp_report_value (ctx, r, 1), _cp_report_value (ctx, r, 0)));
  sort_rows (ctx);
}

/* Score tier against outcome. */

enum { TIER_LEADS, TIER_OPEN, TIER_WON, TIER_LOST, TIER_WIN_RATE };

void
_cp_report_compute_tiers (CpReportContext *ctx)
{
  static const char * const tier_order[] = { "sales_ready", "nurture", "unqualified", NULL };
  guint n_leads = cp_report_data_get_n_leads (ctx->data);

  _cp_report_add_column (ctx, "leads", _("Leads"), CP_REPORT_VALUE_COUNT);
  _cp_report_add_column (ctx, "open", _("Still open"), CP_REPORT_VALUE_COUNT);
  _cp_report_add_column (ctx, "won", _("Won"), CP_REPORT_VALUE_COUNT);
  _cp_report_add_column (ctx, "lost", _("Lost"), CP_REPORT_VALUE_COUNT);
  _cp_report_add_column (ctx, "win_rate", _("Win rate of closed"), CP_REPORT_VALUE_RATIO);
  ctx->report->chart_column = TIER_WIN_RATE;

  /* The tiers in order, best first, whether or not a lead has them. */
  for (guint t = 0; tier_order[t] != NULL; t++)
    _cp_report_row (ctx, tier_order[t], NULL);

  for (guint i = 0; i < n_leads; i++)
    {
      const CpReportLeadRow *row;
      const char *tier;
      guint r;

      if (!_cp_report_lead_passes (ctx, i))
        continue;
      row = cp_report_data_get_lead (ctx->data, i);
      tier = attr_value (ctx, row, CP_REPORT_ATTR_TIER);
      r = _cp_report_row (ctx, tier != NULL ? tier : "none", tier != NULL ? NULL : _("No tier"));
      _cp_report_hit (ctx, r, TIER_LEADS, i);
      if (is_won (ctx, row))
        _cp_report_hit (ctx, r, TIER_WON, i);
      else if (is_lost (ctx, row))
        _cp_report_hit (ctx, r, TIER_LOST, i);
      else
        _cp_report_hit (ctx, r, TIER_OPEN, i);
      ctx->report->n_leads++;
    }

  for (guint r = 0; r < ctx->report->rows->len; r++)
    {
      double won = _cp_report_value (ctx, r, TIER_WON);

      _cp_report_set (ctx, r, TIER_WIN_RATE,
                      ratio (won, won + _cp_report_value (ctx, r, TIER_LOST)));
    }
}

/* Data quality. */

void
_cp_report_compute_quality (CpReportContext *ctx)
{
  guint n_leads = cp_report_data_get_n_leads (ctx->data);
  guint missing, duplicates, no_source;

  _cp_report_add_column (ctx, "leads", _("Leads"), CP_REPORT_VALUE_COUNT);
  _cp_report_add_column (ctx, "share", _("Share of leads"), CP_REPORT_VALUE_RATIO);
  ctx->report->chart_column = 0;
  missing = _cp_report_row (ctx, "missing_required", _("Missing a field their stage requires"));
  duplicates = _cp_report_row (ctx, "possible_duplicate", _("Possible duplicates"));
  no_source = _cp_report_row (ctx, "no_source", _("Without a source channel"));

  for (guint i = 0; i < n_leads; i++)
    {
      const CpReportLeadRow *row;

      if (!_cp_report_lead_passes (ctx, i))
        continue;
      row = cp_report_data_get_lead (ctx->data, i);
      if (row->flags & CP_REPORT_LEAD_MISSING_REQUIRED)
        _cp_report_hit (ctx, missing, 0, i);
      if (row->flags & CP_REPORT_LEAD_POSSIBLE_DUPLICATE)
        _cp_report_hit (ctx, duplicates, 0, i);
      if (row->attr[CP_REPORT_ATTR_SOURCE_CHANNEL] == 0)
        _cp_report_hit (ctx, no_source, 0, i);
      ctx->report->n_leads++;
    }

  for (guint r = 0; r < ctx->report->rows->len; r++)
    _cp_report_set (ctx, r, 1, ratio (_cp_report_value (ctx, r, 0), ctx->report->n_leads));
}
