/* cp-playbook-diff.c — what changed between two playbooks, section by section
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-playbook"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-playbook-private.h"

void
cp_playbook_change_free (CpPlaybookChange *change)
{
  if (change == NULL)
    return;
  g_free (change->section);
  g_free (change->id);
  g_free (change->before);
  g_free (change->after);
  g_free (change);
}

static char *
strv_text (char **strv)
{
  return strv != NULL ? g_strjoinv (", ", strv) : g_strdup ("");
}

static char *
summarize_stage (const CpStage *stage)
{
  g_autofree char *entry = stage->entry ? cp_condition_to_string (stage->entry) : g_strdup ("-");
  g_autofree char *exit_ = stage->exit ? cp_condition_to_string (stage->exit) : g_strdup ("-");
  g_autofree char *required = strv_text (stage->required_fields);
  g_autofree char *channels = strv_text (stage->channels);
  g_autofree char *assets = strv_text (stage->assets);
  g_autofree char *checklist = strv_text (stage->handoff_checklist);

  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "“%s”, owner %s, SLA %uh, rotting %ud, entry: %s, exit: %s, "
                          "required: %s, channels: %s, assets: %s, checklist: %s, templates: %u",
                          stage->title ? stage->title : stage->id,
                          stage->owner_role ? stage->owner_role : "-",
                          stage->sla_hours, stage->rotting_days, entry, exit_, required,
                          channels, assets, checklist, stage->templates->len);
  cp_stage_describe_entry_tasks (stage, out);
  return g_string_free (out, FALSE);
}

static char *
stage_fingerprint (const CpStage *stage)
{
  g_autofree char *summary = summarize_stage (stage);
  GString *out = g_string_new (summary);

  for (guint i = 0; i < stage->templates->len; i++)
    {
      CpOutreachTemplate *t = g_ptr_array_index (stage->templates, i);

      g_string_append_printf (out, "\x1f%s\x1f%s\x1f%s\x1f%s", t->id, t->channel, t->title,
                              t->body);
    }
  g_string_append_printf (out, "\x1f%d\x1f%u", stage->closed, stage->funnel_position);
  return g_string_free (out, FALSE);
}

static char *
summarize_score_rule (const CpScoreRule *rule)
{
  g_autofree char *condition = cp_condition_to_string (rule->condition);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%s %+d%s: %s", cp_score_category_to_string (rule->category),
                          rule->points, rule->decay ? " (decays)" : "", condition);
  for (guint i = 0; i < rule->n_overrides; i++)
    g_string_append_printf (out, "; in %s %+d", rule->override_stages[i], rule->override_points[i]);
  return g_string_free (out, FALSE);
}

static char *
summarize_route_rule (const CpRouteRule *rule)
{
  g_autofree char *condition = cp_condition_to_string (rule->condition);

  return g_strdup_printf ("%s → %s", condition, rule->queue);
}

static char *
summarize_queue (const CpQueue *queue)
{
  g_autofree char *owners = strv_text (queue->owners);

  if (queue->escalation_owner != NULL)
    return g_strdup_printf ("“%s”: %s; escalations: %s", queue->title ? queue->title : queue->id,
                            owners, queue->escalation_owner);
  return g_strdup_printf ("“%s”: %s", queue->title ? queue->title : queue->id, owners);
}

static char *
summarize_automation (const CpAutomationRule *rule)
{
  static const char * const triggers[] = { "activity", "inactivity", "field" };
  g_autofree char *condition = cp_condition_to_string (rule->condition);
  g_autofree char *from = strv_text (rule->from_stages);

  return g_strdup_printf ("on %s (kinds %#x, %u days) from [%s] when %s → %s",
                          triggers[rule->trigger], rule->kind_mask, rule->inactive_days, from,
                          condition, rule->to_stage);
}

static char *
summarize_closure (const CpClosureReason *reason)
{
  return g_strdup_printf ("“%s” (%s)", reason->title ? reason->title : reason->id,
                          reason->outcome ? reason->outcome : "-");
}

static char *
summarize_retention (const CpRetentionRule *rule)
{
  g_autofree char *stages = strv_text (rule->stages);

  return g_strdup_printf ("%s leads in [%s] after %u months without activity",
                          rule->action, stages, rule->months_inactive);
}

static char *
summarize_consent (const CpConsentRule *rule)
{
  g_autofree char *condition = cp_condition_to_string (rule->condition);
  g_autofree char *channels = strv_text (rule->blocked_channels);

  return g_strdup_printf ("when %s block %s", condition, channels);
}

static char *
summarize_hours (const CpBusinessHours *hours)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%s %02d:%02d–%02d:%02d days %#x holidays",
                          hours->timezone, hours->open_minute / 60, hours->open_minute % 60,
                          hours->close_minute / 60, hours->close_minute % 60, hours->days);
  for (guint i = 0; i < hours->holidays->len; i++)
    g_string_append_printf (out, " %u", g_array_index (hours->holidays, guint32, i));
  return g_string_free (out, FALSE);
}

static char *
summarize_model (const CpScoringModel *model)
{
  return g_strdup_printf ("caps fit %d intent %d readiness %d, half-life %g days, "
                          "nurture ≥ %d, sales-ready ≥ %d, "
                          "account boost %d per contact from %u (max %d)",
                          model->caps[0], model->caps[1], model->caps[2], model->half_life_days,
                          model->nurture_threshold, model->sales_ready_threshold,
                          model->account_points_per_contact, model->account_min_contacts,
                          model->account_max_points);
}

typedef char *(*SummarizeFunc) (gconstpointer item);

static void
diff_section (GPtrArray     *changes,
              const char    *section,
              GPtrArray     *before,
              GPtrArray     *after,
              SummarizeFunc  summarize,
              SummarizeFunc  fingerprint)
{
  for (guint i = 0; i < before->len; i++)
    {
      const char *id = _cp_playbook_part_id (before, i);
      gpointer match = NULL;

      for (guint j = 0; j < after->len && match == NULL; j++)
        if (g_strcmp0 (_cp_playbook_part_id (after, j), id) == 0)
          match = g_ptr_array_index (after, j);

      if (match == NULL)
        {
          CpPlaybookChange *change = g_new0 (CpPlaybookChange, 1);

          change->kind = CP_PLAYBOOK_CHANGE_REMOVED;
          change->section = g_strdup (section);
          change->id = g_strdup (id);
          change->before = summarize (g_ptr_array_index (before, i));
          g_ptr_array_add (changes, change);
        }
      else
        {
          g_autofree char *a = fingerprint (g_ptr_array_index (before, i));
          g_autofree char *b = fingerprint (match);

          if (strcmp (a, b) != 0)
            {
              CpPlaybookChange *change = g_new0 (CpPlaybookChange, 1);

              change->kind = CP_PLAYBOOK_CHANGE_CHANGED;
              change->section = g_strdup (section);
              change->id = g_strdup (id);
              change->before = summarize (g_ptr_array_index (before, i));
              change->after = summarize (match);
              g_ptr_array_add (changes, change);
            }
        }
    }
  for (guint j = 0; j < after->len; j++)
    {
      const char *id = _cp_playbook_part_id (after, j);
      gboolean found = FALSE;

      for (guint i = 0; i < before->len && !found; i++)
        found = g_strcmp0 (_cp_playbook_part_id (before, i), id) == 0;
      if (!found)
        {
          CpPlaybookChange *change = g_new0 (CpPlaybookChange, 1);

          change->kind = CP_PLAYBOOK_CHANGE_ADDED;
          change->section = g_strdup (section);
          change->id = g_strdup (id);
          change->after = summarize (g_ptr_array_index (after, j));
          g_ptr_array_add (changes, change);
        }
    }
}

/**
 * cp_playbook_diff:
 *
 * Returns: (transfer full) (element-type CpPlaybookChange): what was added,
 *   removed or changed from @before to @after, section by section
 */
GPtrArray *
cp_playbook_diff (CpPlaybook *before,
                  CpPlaybook *after)
{
  GPtrArray *changes = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_playbook_change_free);
  g_autofree char *model_before = NULL;
  g_autofree char *model_after = NULL;

  g_return_val_if_fail (before != NULL && after != NULL, changes);

  diff_section (changes, "stage", before->stages, after->stages,
                (SummarizeFunc) summarize_stage, (SummarizeFunc) stage_fingerprint);
  diff_section (changes, "scoring rule", before->scoring.rules, after->scoring.rules,
                (SummarizeFunc) summarize_score_rule, (SummarizeFunc) summarize_score_rule);
  diff_section (changes, "routing rule", before->route_rules, after->route_rules,
                (SummarizeFunc) summarize_route_rule, (SummarizeFunc) summarize_route_rule);
  diff_section (changes, "queue", before->queues, after->queues,
                (SummarizeFunc) summarize_queue, (SummarizeFunc) summarize_queue);
  diff_section (changes, "automation rule", before->automation, after->automation,
                (SummarizeFunc) summarize_automation, (SummarizeFunc) summarize_automation);
  diff_section (changes, "closure reason", before->closure_reasons, after->closure_reasons,
                (SummarizeFunc) summarize_closure, (SummarizeFunc) summarize_closure);
  diff_section (changes, "consent rule", before->consent_rules, after->consent_rules,
                (SummarizeFunc) summarize_consent, (SummarizeFunc) summarize_consent);
  diff_section (changes, "retention rule", before->retention, after->retention,
                (SummarizeFunc) summarize_retention, (SummarizeFunc) summarize_retention);
  /* CpBusinessHours starts with its location, which serves as its id. */
  diff_section (changes, "business hours", before->business_hours, after->business_hours,
                (SummarizeFunc) summarize_hours, (SummarizeFunc) summarize_hours);

  model_before = summarize_model (&before->scoring);
  model_after = summarize_model (&after->scoring);
  if (strcmp (model_before, model_after) != 0 ||
      g_strcmp0 (before->fallback_queue, after->fallback_queue) != 0)
    {
      CpPlaybookChange *change = g_new0 (CpPlaybookChange, 1);

      change->kind = CP_PLAYBOOK_CHANGE_CHANGED;
      change->section = g_strdup ("settings");
      change->id = g_strdup ("scoring");
      change->before =
          g_strdup_printf ("%s; fallback queue %s", model_before, before->fallback_queue);
      change->after = g_strdup_printf ("%s; fallback queue %s", model_after, after->fallback_queue);
      g_ptr_array_add (changes, change);
    }

  return changes;
}

/**
 * cp_playbook_change_to_string:
 *
 * Returns: (transfer full): e.g. “+ scoring rule webinar_attended: intent +10: …”
 */
char *
cp_playbook_change_to_string (const CpPlaybookChange *change)
{
  g_return_val_if_fail (change != NULL, NULL);

  switch (change->kind)
    {
    case CP_PLAYBOOK_CHANGE_ADDED:
      return g_strdup_printf (_("+ %s %s: %s"), change->section, change->id, change->after);
    case CP_PLAYBOOK_CHANGE_REMOVED:
      return g_strdup_printf (_("- %s %s: %s"), change->section, change->id, change->before);
    case CP_PLAYBOOK_CHANGE_CHANGED:
    default:
      return g_strdup_printf (_("~ %s %s: %s → %s"), change->section, change->id,
                              change->before, change->after);
    }
}
