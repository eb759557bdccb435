/* cp-report-options.c — what a report covers: its period, filters and the playbook's stages
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-report"
#include "config.h"
#include "cp-report-private.h"

#include <glib/gi18n.h>

G_DEFINE_BOXED_TYPE (CpReportOptions, cp_report_options, cp_report_options_copy,
                     cp_report_options_free)

CpReportOptions *
cp_report_options_new (void)
{
  CpReportOptions *options = g_new0 (CpReportOptions, 1);

  options->mode = CP_FUNNEL_ORDERED;
  options->now = g_get_real_time () / G_USEC_PER_SEC;

  return options;
}

CpReportOptions *
cp_report_options_copy (const CpReportOptions *options)
{
  CpReportOptions *copy;

  g_return_val_if_fail (options != NULL, NULL);

  copy = g_memdup2 (options, sizeof *options);
  copy->source_channel = g_strdup (options->source_channel);
  copy->service_line = g_strdup (options->service_line);
  copy->location = g_strdup (options->location);
  copy->lead_type = g_strdup (options->lead_type);
  copy->owner = g_strdup (options->owner);
  copy->stages = g_strdupv (options->stages);
  copy->stage_titles = g_strdupv (options->stage_titles);
  copy->closed_stages = g_strdupv (options->closed_stages);
  copy->funnel_stages = g_strdupv (options->funnel_stages);
  copy->path_stages = g_strdupv (options->path_stages);
  copy->qualified_stage = g_strdup (options->qualified_stage);
  copy->queues = g_strdupv (options->queues);
  copy->queue_titles = g_strdupv (options->queue_titles);

  return copy;
}

void
cp_report_options_free (CpReportOptions *options)
{
  if (options == NULL)
    return;

  g_free (options->source_channel);
  g_free (options->service_line);
  g_free (options->location);
  g_free (options->lead_type);
  g_free (options->owner);
  g_strfreev (options->stages);
  g_strfreev (options->stage_titles);
  g_strfreev (options->closed_stages);
  g_strfreev (options->funnel_stages);
  g_strfreev (options->path_stages);
  g_free (options->qualified_stage);
  g_strfreev (options->queues);
  g_strfreev (options->queue_titles);
  g_free (options);
}

void
cp_report_options_set_playbook (CpReportOptions  *options,
                                const CpPlaybook *playbook)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) titles = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) closed = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) queues = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) queue_titles = g_strv_builder_new ();

  g_return_if_fail (options != NULL);
  g_return_if_fail (playbook != NULL);

  for (guint i = 0; i < playbook->stages->len; i++)
    {
      const CpStage *stage = g_ptr_array_index (playbook->stages, i);

      g_strv_builder_add (ids, stage->id);
      g_strv_builder_add (titles, stage->title != NULL ? stage->title : stage->id);
      if (stage->closed)
        g_strv_builder_add (closed, stage->id);
    }
  g_strfreev (options->stages);
  g_strfreev (options->stage_titles);
  g_strfreev (options->closed_stages);
  options->stages = g_strv_builder_end (ids);
  options->stage_titles = g_strv_builder_end (titles);
  options->closed_stages = g_strv_builder_end (closed);
  g_strfreev (options->path_stages);
  options->path_stages = cp_playbook_funnel_stages ((CpPlaybook *) playbook);

  for (guint i = 0; playbook->queues != NULL && i < playbook->queues->len; i++)
    {
      const CpQueue *queue = g_ptr_array_index (playbook->queues, i);

      g_strv_builder_add (queues, queue->id);
      g_strv_builder_add (queue_titles, queue->title != NULL ? queue->title : queue->id);
    }
  g_strfreev (options->queues);
  g_strfreev (options->queue_titles);
  options->queues = g_strv_builder_end (queues);
  options->queue_titles = g_strv_builder_end (queue_titles);
}

static void
append_date (GString    *out,
             gint64      time)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_local (time);
  g_autofree char *text = date != NULL ? g_date_time_format (date, "%Y-%m-%d") : NULL;

  g_string_append (out, text != NULL ? text : "?");
}

char *
cp_report_options_describe (const CpReportOptions *options)
{
  GString *out = g_string_new (NULL);
  struct { const char *label; const char *value; } filters[] = {
    { N_("Channel"), options->source_channel },
    { N_("Service line"), options->service_line },
    { N_("Location"), options->location },
    { N_("Lead type"), options->lead_type },
    { N_("Owner"), options->owner },
  };

  g_return_val_if_fail (options != NULL, NULL);

  if (options->from == 0 && options->to == 0)
    g_string_append (out, _("All time"));
  else
    {
      g_string_append (out, options->date_basis == CP_REPORT_DATE_CREATED
                       ? _("Created") : _("Entered the first stage"));
      g_string_append_c (out, ' ');
      if (options->from != 0)
        append_date (out, options->from);
      g_string_append (out, " – ");
      /* The range ends before @to: the last day shown is the day before. */
      if (options->to != 0)
        append_date (out, options->to - 1);
    }
  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    if (filters[i].value != NULL)
      {
        g_autofree char *label = _cp_report_value_label (filters[i].value);
        g_string_append_printf (out, " · %s: %s", _(filters[i].label), label);
      }
  if (options->compare && options->from != 0)
    g_string_append_printf (out, " · %s", _("compared with the previous period"));

  return g_string_free (out, FALSE);
}
