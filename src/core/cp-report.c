/* cp-report.c — the pipeline reports: their kinds, filtering, running one, period comparison
 * (options: cp-report-options.c; rows, columns, formatting and CSV: cp-report-table.c)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-report"
#include "config.h"
#include "cp-report-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cp-condition.h"
#include "cp-lead-format.h"

typedef struct
{
  const char *id;
  const char *title;
  const char *rows_name;
  const char *key_name;
  const char *explain;
  void      (*compute) (CpReportContext *ctx);
} KindInfo;

static const KindInfo kinds[CP_REPORT_N_KINDS] = {
  [CP_REPORT_FUNNEL] = { "funnel", N_("Stage funnel"), "stages", "stage",
    N_("One bar per funnel stage. “In order” counts a lead in a stage only when it went "
       "through every earlier stage before it: a lead that skips a stage stops counting "
       "there, unless it goes back and takes that stage later. “At any point” counts a lead "
       "in every stage it was ever in. Moving back and reopening never count a lead twice "
       "in a stage. Conversion is the share of a stage’s leads that also reached the next "
       "one; cumulative is the share of the first stage’s leads that reached this one. "
       "Time in stage adds up every stay of a lead in that stage, up to now for leads "
       "still there."),
    _cp_report_compute_funnel },
  [CP_REPORT_CHANNELS] = { "channels", N_("Lead volume by channel"), "periods", "period",
    N_("New leads per source channel, by week when the range is three months or shorter, "
       "otherwise by month."),
    _cp_report_compute_channels },
  [CP_REPORT_SLA] = { "sla", N_("Response SLA by queue"), "queues", "queue",
    N_("Leads with a response SLA, by queue. On time: first response before the due time; "
       "breached: a late response, or none and the due time has passed; pending: not yet "
       "due. Compliance leaves pending leads out. First response is measured from the "
       "lead’s creation."),
    _cp_report_compute_sla },
  [CP_REPORT_CLOSURES] = { "closures", N_("Closure reasons"), "reasons", "reason",
    N_("Closed leads by outcome and recorded reason."),
    _cp_report_compute_closures },
  [CP_REPORT_SOURCES] = { "sources", N_("Referral sources"), "sources", "source",
    N_("Leads per referral source; qualified: reached the qualified stage or any later "
       "open stage, or was won; won: closed as won."),
    _cp_report_compute_sources },
  [CP_REPORT_NO_SHOWS] = { "noshows", N_("Appointment no-shows"), "locations", "location",
    N_("Leads with an appointment, by location, and how many did not show up (the "
       "appointment’s current state)."),
    _cp_report_compute_no_shows },
  [CP_REPORT_TIERS] = { "tiers", N_("Score tier and outcome"), "tiers", "tier",
    N_("Leads per score tier and how they closed; a model that separates winners from "
       "the rest shows a higher win rate in higher tiers."),
    _cp_report_compute_tiers },
  [CP_REPORT_QUALITY] = { "quality", N_("Data quality"), "checks", "check",
    N_("Leads missing a field their stage requires, leads flagged as possible "
       "duplicates, and leads without a source channel."),
    _cp_report_compute_quality },
};

const char *
cp_report_kind_to_id (CpReportKind kind)
{
  g_return_val_if_fail (kind < CP_REPORT_N_KINDS, NULL);

  return kinds[kind].id;
}

gboolean
cp_report_kind_from_id (const char   *id,
                        CpReportKind *out_kind)
{
  g_return_val_if_fail (out_kind != NULL, FALSE);

  for (guint i = 0; id != NULL && i < CP_REPORT_N_KINDS; i++)
    if (g_str_equal (kinds[i].id, id))
      {
        *out_kind = i;
        return TRUE;
      }

  return FALSE;
}

const char *
cp_report_kind_title (CpReportKind kind)
{
  g_return_val_if_fail (kind < CP_REPORT_N_KINDS, NULL);

  return _(kinds[kind].title);
}

const char *
cp_report_kind_explain (CpReportKind kind)
{
  g_return_val_if_fail (kind < CP_REPORT_N_KINDS, NULL);

  return _(kinds[kind].explain);
}

/* Helpers shared by the computations. */

char *
_cp_report_value_label (const char *value)
{
  const char *label = cp_value_label (value);

  if (label != value)
    return g_strdup (label);
  /* Canonical ids ("walk_in") read as words; free text stays as it is. */
  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return g_strdup (value);

  return cp_humanize_id (value);
}

const char *
_cp_report_title_of (GStrv       ids,
                     GStrv       titles,
                     const char *id)
{
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    if (g_str_equal (ids[i], id) && titles != NULL && i < g_strv_length (titles))
      return titles[i];

  return NULL;
}

const char *
_cp_report_stage_title (CpReportContext *ctx,
                        const char      *stage)
{
  const char *title = _cp_report_title_of (ctx->options->stages, ctx->options->stage_titles, stage);

  return title != NULL ? title : stage;
}

gboolean
_cp_report_lead_passes (CpReportContext *ctx,
                        guint            index)
{
  const CpReportLeadRow *row = cp_report_data_get_lead (ctx->data, index);
  gint64 when;

  if (row->flags & CP_REPORT_LEAD_DELETED)
    return FALSE;
  for (guint i = 0; i < CP_REPORT_N_ATTRS; i++)
    if (ctx->want[i] != CP_REPORT_FILTER_ANY && row->attr[i] != ctx->want[i])
      return FALSE;
  if (ctx->from == 0 && ctx->to == 0)
    return TRUE;

  if (ctx->options->date_basis == CP_REPORT_DATE_CREATED)
    when = row->created_at;
  else
    {
      const CpReportEvent *events;
      guint n_events;

      when = -1;
      events = cp_report_data_get_events (ctx->data, index, &n_events);
      for (guint i = 0; ctx->n_funnel > 0 && i < n_events; i++)
        if (events[i].stage == ctx->funnel[0])
          {
            when = events[i].time;
            break;
          }
      if (when < 0)
        return FALSE;
    }

  return (ctx->from == 0 || when >= ctx->from) && (ctx->to == 0 || when < ctx->to);
}


static gboolean
strv_contains (GStrv       strv,
               const char *value)
{
  return strv != NULL && value != NULL && g_strv_contains ((const char * const *) strv, value);
}

/**
 * cp_report_default_funnel_stages:
 *
 * The funnel when none is chosen: the playbook's lifecycle path (its
 * stages with a funnel position, in that order) when it has one. Else the
 * open stages in order but "reactivation" (a loop back for lost leads,
 * not a step forward: a funnel through it would hide every win), then the
 * first closed stage.
 *
 * Returns: (transfer full): stage ids
 */
GStrv
cp_report_default_funnel_stages (const CpReportOptions *options)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  gboolean took_closed = FALSE;

  g_return_val_if_fail (options != NULL, NULL);

  if (options->path_stages != NULL && options->path_stages[0] != NULL)
    {
      for (guint i = 0; options->path_stages[i] != NULL; i++)
        if (strv_contains (options->stages, options->path_stages[i]))
          g_strv_builder_add (ids, options->path_stages[i]);
      return g_strv_builder_end (ids);
    }

  for (guint i = 0; options->stages != NULL && options->stages[i] != NULL; i++)
    {
      gboolean closed = strv_contains (options->closed_stages, options->stages[i]);

      if ((closed && took_closed) || (!closed && g_str_equal (options->stages[i], "reactivation")))
        continue;
      took_closed |= closed;
      g_strv_builder_add (ids, options->stages[i]);
    }

  return g_strv_builder_end (ids);
}

/* Setting up and running a computation. */

/* A stage named twice counts once, where first named: its row is the
 * same, and two funnel positions on one row would mix their figures. */
static GStrv
unique_stages (GStrv stages)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; stages[i] != NULL; i++)
    if (g_hash_table_add (seen, stages[i]))
      g_strv_builder_add (ids, stages[i]);

  return g_strv_builder_end (ids);
}

/* Which stages are "qualified or further". Along the lifecycle path when
 * the playbook has one and it holds the qualified stage: reactivation, a
 * loop back for lost leads listed after qualified, is no step past it. */
static void
set_qualified_positions (CpReportContext       *ctx,
                         CpReportData          *data,
                         const CpReportOptions *options)
{
  guint n_stages = options->stages != NULL ? g_strv_length (options->stages) : 0;
  const char *qualified = options->qualified_stage;
  GStrv order;

  if (qualified == NULL)
    qualified = strv_contains (options->stages, "qualified") ? "qualified"
      : n_stages > 2 ? options->stages[2] : NULL;
  order = strv_contains (options->path_stages, qualified) ? options->path_stages
                                                          : options->stages;
  ctx->qualified_pos = -1;
  for (guint i = 0; order != NULL && order[i] != NULL; i++)
    {
      guint16 code = cp_report_data_lookup (data, CP_REPORT_ATTR_STAGE, order[i]);

      if (code != 0)
        ctx->stage_pos[code] = i;
      if (qualified != NULL && g_str_equal (order[i], qualified))
        ctx->qualified_pos = i;
    }
}

static void
context_init (CpReportContext       *ctx,
              CpReportData          *data,
              CpReportKind           kind,
              const CpReportOptions *options,
              gint64                 from,
              gint64                 to)
{
  const char *filters[CP_REPORT_N_ATTRS] = { NULL };
  g_autoptr(GArray) funnel = g_array_new (FALSE, FALSE, sizeof (guint16));
  guint n_stages = options->stages != NULL ? g_strv_length (options->stages) : 0;

  memset (ctx, 0, sizeof *ctx);
  ctx->data = data;
  ctx->options = options;
  ctx->from = from;
  ctx->to = to;
  ctx->collect_row = -1;

  filters[CP_REPORT_ATTR_SOURCE_CHANNEL] = options->source_channel;
  filters[CP_REPORT_ATTR_SERVICE_LINE] = options->service_line;
  filters[CP_REPORT_ATTR_LOCATION] = options->location;
  filters[CP_REPORT_ATTR_LEAD_TYPE] = options->lead_type;
  filters[CP_REPORT_ATTR_OWNER] = options->owner;
  for (guint i = 0; i < CP_REPORT_N_ATTRS; i++)
    {
      guint16 code;

      if (filters[i] == NULL)
        {
          ctx->want[i] = CP_REPORT_FILTER_ANY;
          continue;
        }
      code = cp_report_data_lookup (data, i, filters[i]);
      /* A value no lead has: a code no lead carries, so nothing passes. */
      ctx->want[i] = code != 0 ? code : G_MAXUINT32 - 1;
    }

  ctx->n_stage_codes = cp_report_data_n_values (data, CP_REPORT_ATTR_STAGE);
  ctx->funnel_pos = g_new (int, ctx->n_stage_codes);
  ctx->stage_pos = g_new (int, ctx->n_stage_codes);
  ctx->stage_closed = g_new0 (gboolean, ctx->n_stage_codes);
  for (guint i = 0; i < ctx->n_stage_codes; i++)
    ctx->funnel_pos[i] = ctx->stage_pos[i] = -1;
  for (guint i = 0; i < n_stages; i++)
    {
      guint16 code = cp_report_data_lookup (data, CP_REPORT_ATTR_STAGE, options->stages[i]);

      if (code != 0)
        ctx->stage_closed[code] = strv_contains (options->closed_stages, options->stages[i]);
    }
  set_qualified_positions (ctx, data, options);

  ctx->funnel_ids = options->funnel_stages != NULL ? unique_stages (options->funnel_stages)
                                                  : cp_report_default_funnel_stages (options);
  for (guint i = 0; ctx->funnel_ids[i] != NULL; i++)
    {
      guint16 code = cp_report_data_lookup (data, CP_REPORT_ATTR_STAGE, ctx->funnel_ids[i]);
      g_array_append_val (funnel, code);
    }
  ctx->n_funnel = funnel->len;
  ctx->funnel = (guint16 *) g_array_free (g_steal_pointer (&funnel), FALSE);
  for (guint i = 0; i < ctx->n_funnel; i++)
    if (ctx->funnel[i] != 0 && ctx->funnel_pos[ctx->funnel[i]] < 0)
      ctx->funnel_pos[ctx->funnel[i]] = i;

  ctx->report = _cp_report_new (kind);
  ctx->report->id = kinds[kind].id;
  ctx->report->title = g_strdup (_(kinds[kind].title));
  ctx->report->rows_name = kinds[kind].rows_name;
  ctx->report->key_name = kinds[kind].key_name;
  ctx->row_index = g_hash_table_new (g_str_hash, g_str_equal);
}

static CpReport *
context_finish (CpReportContext *ctx)
{
  g_free (ctx->funnel_pos);
  g_free (ctx->stage_pos);
  g_free (ctx->stage_closed);
  g_free (ctx->funnel);
  g_strfreev (ctx->funnel_ids);
  g_hash_table_unref (ctx->row_index);

  return g_steal_pointer (&ctx->report);
}

static CpReport *
run (CpReportData          *data,
     CpReportKind           kind,
     const CpReportOptions *options,
     gint64                 from,
     gint64                 to,
     const char            *collect_key,
     GArray                *collected)
{
  CpReportContext ctx;

  context_init (&ctx, data, kind, options, from, to);
  ctx.collect_key = collect_key;
  ctx.collected = collected;
  kinds[kind].compute (&ctx);

  return context_finish (&ctx);
}

/* Fills @report's previous values from @previous: rows match by key (by
 * position for the periods of the channel report), columns by id. */
static void
merge_previous (CpReport *report,
                CpReport *previous)
{
  guint n_columns = report->columns->len;
  g_autofree int *column_map = g_new (int, n_columns);

  for (guint c = 0; c < n_columns; c++)
    column_map[c] =
        cp_report_find_column (previous,
                               ((CpReportColumn *) g_ptr_array_index (report->columns, c))->id);

  /* Rows only the previous period has appear with current zeros. */
  if (report->kind != CP_REPORT_CHANNELS)
    for (guint i = 0; i < previous->rows->len; i++)
      {
        const CpReportRow *old = g_ptr_array_index (previous->rows, i);
        CpReportRow *row;

        if (cp_report_find_row (report, old->key) != NULL)
          continue;
        row = g_new0 (CpReportRow, 1);
        row->key = g_strdup (old->key);
        row->label = g_strdup (old->label);
        row->values = g_new0 (double, n_columns);
        for (guint c = 0; c < n_columns; c++)
          if (((CpReportColumn *) g_ptr_array_index (report->columns, c))->kind !=
              CP_REPORT_VALUE_COUNT)
            row->values[c] = NAN;
        g_ptr_array_add (report->rows, row);
      }

  for (guint i = 0; i < report->rows->len; i++)
    {
      CpReportRow *row = g_ptr_array_index (report->rows, i);
      const CpReportRow *old = report->kind == CP_REPORT_CHANNELS
        ? (i < previous->rows->len ? g_ptr_array_index (previous->rows, i) : NULL)
        : cp_report_find_row (previous, row->key);

      row->previous = g_new (double, n_columns);
      for (guint c = 0; c < n_columns; c++)
        {
          CpReportColumn *column = g_ptr_array_index (report->columns, c);

          if (old != NULL && column_map[c] >= 0)
            row->previous[c] = old->values[column_map[c]];
          else
            row->previous[c] = column->kind == CP_REPORT_VALUE_COUNT ? 0 : NAN;
        }
    }

  report->compared = TRUE;
  report->previous_n_leads = previous->n_leads;
}

CpReport *
cp_report_compute (CpReportData          *data,
                   CpReportKind           kind,
                   const CpReportOptions *options)
{
  CpReport *report;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (kind < CP_REPORT_N_KINDS, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  report = run (data, kind, options, options->from, options->to, NULL, NULL);

  if (options->compare && options->from != 0)
    {
      gint64 to = options->to != 0 ? options->to : options->now;
      gint64 length = MAX (to - options->from, 1);
      g_autoptr(CpReport) previous = NULL;

      previous = run (data, kind, options, options->from - length, options->from, NULL, NULL);
      merge_previous (report, previous);
      report->previous_from = options->from - length;
      report->previous_to = options->from;
    }

  return report;
}

GArray *
cp_report_collect_leads (CpReportData          *data,
                         CpReportKind           kind,
                         const CpReportOptions *options,
                         const char            *key)
{
  GArray *collected;
  CpReport *report;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (kind < CP_REPORT_N_KINDS, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  collected = g_array_new (FALSE, FALSE, sizeof (gint64));
  report = run (data, kind, options, options->from, options->to, key, collected);
  cp_report_free (report);

  return collected;
}
