/* cp-playbook-validate.c — whether a playbook is consistent, part by part
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-playbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-playbook-private.h"

#define invalid(error, path, ...) \
  cp_set_path_error ((error), CP_CORE_ERROR, CP_CORE_ERROR_INVALID, (path), __VA_ARGS__)

/* The index of the first item whose id an earlier item already has, or
 * -1; then @path is "@list[index].@member". Lists are matched by id
 * (cp_playbook_diff(), lookups): a second item with the same id would be
 * unreachable, and would make a playbook read back from its own JSON
 * differ from itself. */
static int
find_duplicate_id (GPtrArray  *items,
                   const char *list,
                   const char *member,
                   char       *path,
                   gsize       path_size)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < items->len; i++)
    {
      const char *id = _cp_playbook_part_id (items, i);

      if (id != NULL && !g_hash_table_add (seen, (gpointer) id))
        {
          g_snprintf (path, path_size, "%s[%u].%s", list, i, member);
          return (int) i;
        }
    }
  return -1;
}

/* Whether @condition nests deeper than @levels: checked without going
 * further than that, whatever built it. */
static gboolean
condition_nests_deeper (const CpCondition *condition,
                        guint              levels)
{
  if (condition == NULL)
    return FALSE;
  if (levels == 0)
    return TRUE;
  for (guint i = 0; i < condition->n_children; i++)
    if (condition_nests_deeper (condition->children[i], levels - 1))
      return TRUE;
  return FALSE;
}

static gboolean
check_condition_depth (const CpCondition  *condition,
                       const char         *path,
                       GError            **error)
{
  if (condition_nests_deeper (condition, CP_CONDITION_MAX_DEPTH))
    return invalid (error, path, _("conditions nest more than %d levels deep"),
                    CP_CONDITION_MAX_DEPTH);
  return TRUE;
}

static gboolean
check_stages (CpPlaybook  *self,
              GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) positions = g_hash_table_new (NULL, NULL);
  char path[128];
  int dup;

  if (self->stages->len == 0)
    return invalid (error, "stages", _("a playbook needs at least one stage"));
  for (guint i = 0; i < self->stages->len; i++)
    {
      CpStage *stage = g_ptr_array_index (self->stages, i);
      char list[64];

      g_snprintf (path, sizeof path, "stages[%u].id", i);
      if (!g_hash_table_add (seen, stage->id))
        return invalid (error, path, _("the stage “%s” is defined twice"), stage->id);
      g_snprintf (path, sizeof path, "stages[%u].funnel_position", i);
      if (stage->funnel_position > 0 &&
          !g_hash_table_add (positions, GUINT_TO_POINTER (stage->funnel_position)))
        return invalid (error, path, _("another stage already has the funnel position %u"),
                        stage->funnel_position);
      for (guint f = 0; stage->required_fields != NULL && stage->required_fields[f] != NULL; f++)
        if (!cp_lead_field_from_name (stage->required_fields[f], NULL))
          {
            g_snprintf (path, sizeof path, "stages[%u].required_fields[%u]", i, f);
            return invalid (error, path, _("unknown field “%s”"), stage->required_fields[f]);
          }
      g_snprintf (list, sizeof list, "stages[%u].templates", i);
      if ((dup = find_duplicate_id (stage->templates, list, "id", path, sizeof path)) >= 0)
        return invalid (error, path, _("the template “%s” is defined twice in this stage"),
                        _cp_playbook_part_id (stage->templates, dup));
      if (!cp_playbook_check_entry_tasks (self, i, error))
        return FALSE;
      g_snprintf (path, sizeof path, "stages[%u].entry", i);
      if (!check_condition_depth (stage->entry, path, error))
        return FALSE;
      g_snprintf (path, sizeof path, "stages[%u].exit", i);
      if (!check_condition_depth (stage->exit, path, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_scoring (CpPlaybook  *self,
               GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  char path[128];

  for (guint i = 0; i < self->scoring.rules->len; i++)
    {
      CpScoreRule *rule = g_ptr_array_index (self->scoring.rules, i);

      g_snprintf (path, sizeof path, "scoring.rules[%u].id", i);
      if (!g_hash_table_add (seen, rule->id))
        return invalid (error, path, _("the rule “%s” is defined twice"), rule->id);
      for (guint o = 0; o < rule->n_overrides; o++)
        if (cp_playbook_stage_index (self, rule->override_stages[o]) < 0)
          {
            g_snprintf (path, sizeof path, "scoring.rules[%u].stage_points", i);
            return invalid (error, path, _("unknown stage “%s”"), rule->override_stages[o]);
          }
      g_snprintf (path, sizeof path, "scoring.rules[%u].condition", i);
      if (!check_condition_depth (rule->condition, path, error))
        return FALSE;
    }
  if (self->scoring.nurture_threshold > self->scoring.sales_ready_threshold)
    return invalid (error, "scoring.thresholds",
                    _("the nurture threshold (%d) is above the sales-ready threshold (%d)"),
                    self->scoring.nurture_threshold, self->scoring.sales_ready_threshold);
  if (self->scoring.half_life_days < 0)
    return invalid (error, "scoring.half_life_days", _("a half-life cannot be negative"));
  return TRUE;
}

static gboolean
check_routing (CpPlaybook  *self,
               GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  char path[128];
  int dup;

  for (guint i = 0; i < self->queues->len; i++)
    {
      CpQueue *queue = g_ptr_array_index (self->queues, i);

      g_snprintf (path, sizeof path, "routing.queues[%u].id", i);
      if (!g_hash_table_add (seen, queue->id))
        return invalid (error, path, _("the queue “%s” is defined twice"), queue->id);
      g_snprintf (path, sizeof path, "routing.queues[%u].escalation_owner", i);
      if (queue->escalation_owner != NULL && g_strstrip (queue->escalation_owner)[0] == '\0')
        return invalid (error, path, _("an escalation owner needs a name"));
    }
  for (guint i = 0; i < self->route_rules->len; i++)
    {
      CpRouteRule *rule = g_ptr_array_index (self->route_rules, i);

      g_snprintf (path, sizeof path, "routing.rules[%u].queue", i);
      if (cp_playbook_get_queue (self, rule->queue) == NULL)
        return invalid (error, path, _("unknown queue “%s”"), rule->queue);
      g_snprintf (path, sizeof path, "routing.rules[%u].condition", i);
      if (!check_condition_depth (rule->condition, path, error))
        return FALSE;
    }
  if ((dup = find_duplicate_id (self->route_rules, "routing.rules", "id", path, sizeof path)) >= 0)
    return invalid (error, path, _("the routing rule “%s” is defined twice"),
                    _cp_playbook_part_id (self->route_rules, dup));
  if (self->fallback_queue == NULL || cp_playbook_get_queue (self, self->fallback_queue) == NULL)
    return invalid (error, "routing.fallback_queue", _("unknown queue “%s”"),
                    self->fallback_queue ? self->fallback_queue : "");
  return TRUE;
}

static gboolean
check_automation (CpPlaybook  *self,
                  GError     **error)
{
  char path[128];
  int dup;

  for (guint i = 0; i < self->automation->len; i++)
    {
      CpAutomationRule *rule = g_ptr_array_index (self->automation, i);

      g_snprintf (path, sizeof path, "automation[%u].to_stage", i);
      if (cp_playbook_stage_index (self, rule->to_stage) < 0)
        return invalid (error, path, _("unknown stage “%s”"), rule->to_stage);
      for (guint s = 0; rule->from_stages != NULL && rule->from_stages[s] != NULL; s++)
        if (cp_playbook_stage_index (self, rule->from_stages[s]) < 0)
          {
            g_snprintf (path, sizeof path, "automation[%u].from_stages[%u]", i, s);
            return invalid (error, path, _("unknown stage “%s”"), rule->from_stages[s]);
          }
      g_snprintf (path, sizeof path, "automation[%u].condition", i);
      if (!check_condition_depth (rule->condition, path, error))
        return FALSE;
    }
  if ((dup = find_duplicate_id (self->automation, "automation", "id", path, sizeof path)) >= 0)
    return invalid (error, path, _("the automation rule “%s” is defined twice"),
                    _cp_playbook_part_id (self->automation, dup));
  return TRUE;
}

/* Closure reasons, then consent rules. */
static gboolean
check_closure_and_consent (CpPlaybook  *self,
                           GError     **error)
{
  char path[128];
  int dup;

  if ((dup = find_duplicate_id (self->closure_reasons, "closure_reasons", "id",
                                path, sizeof path)) >= 0)
    return invalid (error, path, _("the closure reason “%s” is defined twice"),
                    _cp_playbook_part_id (self->closure_reasons, dup));

  for (guint i = 0; i < self->consent_rules->len; i++)
    {
      CpConsentRule *rule = g_ptr_array_index (self->consent_rules, i);

      g_snprintf (path, sizeof path, "consent_rules[%u].condition", i);
      if (!check_condition_depth (rule->condition, path, error))
        return FALSE;
    }
  if ((dup = find_duplicate_id (self->consent_rules, "consent_rules", "id",
                                path, sizeof path)) >= 0)
    return invalid (error, path, _("the consent rule “%s” is defined twice"),
                    _cp_playbook_part_id (self->consent_rules, dup));
  return TRUE;
}

static gboolean
check_business_hours (CpPlaybook  *self,
                      GError     **error)
{
  char path[128];
  int dup;

  for (guint i = 0; i < self->business_hours->len; i++)
    {
      CpBusinessHours *hours = g_ptr_array_index (self->business_hours, i);
      g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (hours->timezone);

      g_snprintf (path, sizeof path, "business_hours[%u].timezone", i);
      if (tz == NULL)
        return invalid (error, path, _("unknown time zone “%s”"), hours->timezone);
      if (hours->open_minute >= hours->close_minute)
        {
          g_snprintf (path, sizeof path, "business_hours[%u].close", i);
          return invalid (error, path, _("closing time must come after opening time"));
        }
    }
  if ((dup = find_duplicate_id (self->business_hours, "business_hours", "location",
                                path, sizeof path)) >= 0)
    return invalid (error, path, _("the location “%s” has business hours twice"),
                    _cp_playbook_part_id (self->business_hours, dup));
  return TRUE;
}

static gboolean
check_retention (CpPlaybook  *self,
                 GError     **error)
{
  char path[128];
  int dup;

  for (guint i = 0; i < self->retention->len; i++)
    {
      CpRetentionRule *rule = g_ptr_array_index (self->retention, i);

      g_snprintf (path, sizeof path, "retention[%u].stages", i);
      if (rule->stages == NULL || rule->stages[0] == NULL)
        return invalid (error, path, _("name at least one stage"));
      for (guint s = 0; rule->stages[s] != NULL; s++)
        if (cp_playbook_stage_index (self, rule->stages[s]) < 0)
          {
            g_snprintf (path, sizeof path, "retention[%u].stages[%u]", i, s);
            return invalid (error, path, _("unknown stage “%s”"), rule->stages[s]);
          }
      g_snprintf (path, sizeof path, "retention[%u].months_inactive", i);
      if (rule->months_inactive < CP_RETENTION_MIN_MONTHS ||
          rule->months_inactive > CP_RETENTION_MAX_MONTHS)
        return invalid (error, path, _("%u is out of range (%d–%d months)"),
                        rule->months_inactive, CP_RETENTION_MIN_MONTHS, CP_RETENTION_MAX_MONTHS);
      g_snprintf (path, sizeof path, "retention[%u].action", i);
      if (g_strcmp0 (rule->action, "erase") != 0)
        return invalid (error, path, _("expected \"erase\""));
    }
  if ((dup = find_duplicate_id (self->retention, "retention", "id", path, sizeof path)) >= 0)
    return invalid (error, path, _("the retention rule “%s” is defined twice"),
                    _cp_playbook_part_id (self->retention, dup));
  return TRUE;
}

/**
 * cp_playbook_validate:
 * @error: the first problem, as "path: reason" (e.g.
 *   `routing.rules[2].queue: unknown queue “x”`)
 *
 * Checks what refers to what: stages, queues, fields, thresholds; that
 * no two items of a list share an id; that conditions nest at most
 * %CP_CONDITION_MAX_DEPTH levels (so a valid playbook always fits the
 * JSON depth limit of its file format).
 *
 * Returns: %TRUE when the playbook is consistent
 */
gboolean
cp_playbook_validate (CpPlaybook  *self,
                      GError     **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return check_stages (self, error) &&
         check_scoring (self, error) &&
         check_routing (self, error) &&
         check_automation (self, error) &&
         check_closure_and_consent (self, error) &&
         check_business_hours (self, error) &&
         check_retention (self, error);
}
