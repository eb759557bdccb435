/* cp-playbook.c — the playbook model: parts, lookups, consistency, differences
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-playbook"

#include "config.h"

#include <stdio.h>

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-playbook.h"

G_DEFINE_BOXED_TYPE (CpPlaybook, cp_playbook, cp_playbook_ref, cp_playbook_unref)

static const char * const category_names[CP_SCORE_N_CATEGORIES] = { "fit", "intent", "readiness" };

const char *
cp_score_category_to_string (CpScoreCategory category)
{
  g_return_val_if_fail ((guint) category < CP_SCORE_N_CATEGORIES, NULL);

  return category_names[category];
}

gboolean
cp_score_category_from_string (const char      *text,
                               CpScoreCategory *out_category)
{
  for (guint i = 0; text != NULL && i < CP_SCORE_N_CATEGORIES; i++)
    if (strcmp (text, category_names[i]) == 0)
      {
        if (out_category != NULL)
          *out_category = i;
        return TRUE;
      }
  return FALSE;
}

/* ---- parts ---- */

CpOutreachTemplate *
cp_outreach_template_new (const char *id)
{
  CpOutreachTemplate *template_ = g_new0 (CpOutreachTemplate, 1);

  template_->id = g_strdup (id);
  return template_;
}

void
cp_outreach_template_free (CpOutreachTemplate *template_)
{
  if (template_ == NULL)
    return;
  g_free (template_->id);
  g_free (template_->channel);
  g_free (template_->title);
  g_free (template_->body);
  g_free (template_);
}

CpStage *
cp_stage_new (const char *id)
{
  CpStage *stage = g_new0 (CpStage, 1);

  stage->id = g_strdup (id);
  stage->templates = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_outreach_template_free);
  stage->entry_tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_entry_task_free);
  return stage;
}

void
cp_stage_free (CpStage *stage)
{
  if (stage == NULL)
    return;
  g_free (stage->id);
  g_free (stage->title);
  g_free (stage->owner_role);
  cp_condition_free (stage->entry);
  cp_condition_free (stage->exit);
  g_strfreev (stage->required_fields);
  g_strfreev (stage->channels);
  g_strfreev (stage->assets);
  g_ptr_array_unref (stage->templates);
  g_strfreev (stage->handoff_checklist);
  g_ptr_array_unref (stage->entry_tasks);
  g_free (stage);
}

CpScoreRule *
cp_score_rule_new (const char *id)
{
  CpScoreRule *rule = g_new0 (CpScoreRule, 1);

  rule->id = g_strdup (id);
  return rule;
}

void
cp_score_rule_free (CpScoreRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->id);
  g_free (rule->description);
  cp_condition_free (rule->condition);
  g_strfreev (rule->override_stages);
  g_free (rule->override_points);
  g_free (rule);
}

CpRouteRule *
cp_route_rule_new (const char *id)
{
  CpRouteRule *rule = g_new0 (CpRouteRule, 1);

  rule->id = g_strdup (id);
  return rule;
}

void
cp_route_rule_free (CpRouteRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->id);
  g_free (rule->description);
  cp_condition_free (rule->condition);
  g_free (rule->queue);
  g_free (rule);
}

CpQueue *
cp_queue_new (const char *id)
{
  CpQueue *queue = g_new0 (CpQueue, 1);

  queue->id = g_strdup (id);
  return queue;
}

void
cp_queue_free (CpQueue *queue)
{
  if (queue == NULL)
    return;
  g_free (queue->id);
  g_free (queue->title);
  g_strfreev (queue->owners);
  g_free (queue->escalation_owner);
  g_free (queue);
}

CpAutomationRule *
cp_automation_rule_new (const char *id)
{
  CpAutomationRule *rule = g_new0 (CpAutomationRule, 1);

  rule->id = g_strdup (id);
  return rule;
}

void
cp_automation_rule_free (CpAutomationRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->id);
  g_free (rule->description);
  cp_condition_free (rule->condition);
  g_strfreev (rule->from_stages);
  g_free (rule->to_stage);
  g_free (rule);
}

CpClosureReason *
cp_closure_reason_new (const char *id)
{
  CpClosureReason *reason = g_new0 (CpClosureReason, 1);

  reason->id = g_strdup (id);
  return reason;
}

void
cp_closure_reason_free (CpClosureReason *reason)
{
  if (reason == NULL)
    return;
  g_free (reason->id);
  g_free (reason->title);
  g_free (reason->outcome);
  g_free (reason);
}

CpRetentionRule *
cp_retention_rule_new (const char *id)
{
  CpRetentionRule *rule = g_new0 (CpRetentionRule, 1);

  rule->id = g_strdup (id);
  return rule;
}

void
cp_retention_rule_free (CpRetentionRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->id);
  g_free (rule->description);
  g_strfreev (rule->stages);
  g_free (rule->action);
  g_free (rule);
}

CpConsentRule *
cp_consent_rule_new (const char *id)
{
  CpConsentRule *rule = g_new0 (CpConsentRule, 1);

  rule->id = g_strdup (id);
  return rule;
}

void
cp_consent_rule_free (CpConsentRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->id);
  g_free (rule->description);
  cp_condition_free (rule->condition);
  g_strfreev (rule->blocked_channels);
  g_free (rule);
}

/**
 * cp_parse_iso_date:
 * @text: a date such as "2026-12-25"
 * @out_julian: (out): its Julian day (GDate)
 *
 * Returns: whether @text is exactly a valid date in that form
 */
gboolean
cp_parse_iso_date (const char *text,
                   guint32    *out_julian)
{
  GDate date;
  guint y, m, d;
  char tail;

  g_return_val_if_fail (text != NULL && out_julian != NULL, FALSE);

  if (sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  *out_julian = g_date_get_julian (&date);
  return TRUE;
}

/**
 * cp_parse_clock_time:
 * @text: a time of day such as "08:30" or "17:00" ("24:00" is the end of the day)
 * @out_minute: (out): minutes after midnight
 *
 * Returns: whether @text is such a time
 */
gboolean
cp_parse_clock_time (const char *text,
                     int        *out_minute)
{
  guint h, m;
  char tail;

  g_return_val_if_fail (text != NULL && out_minute != NULL, FALSE);

  if (sscanf (text, "%2u:%2u%c", &h, &m, &tail) != 2 || m > 59 || h > 24 || (h == 24 && m > 0))
    return FALSE;
  *out_minute = (int) (h * 60 + m);
  return TRUE;
}

CpBusinessHours *
cp_business_hours_new (const char *location)
{
  CpBusinessHours *hours = g_new0 (CpBusinessHours, 1);

  hours->location = g_strdup (location);
  hours->timezone = g_strdup ("UTC");
  hours->days = 0x1f;  /* Monday to Friday */
  hours->open_minute = 8 * 60;
  hours->close_minute = 17 * 60;
  hours->holidays = g_array_new (FALSE, FALSE, sizeof (guint32));
  return hours;
}

void
cp_business_hours_free (CpBusinessHours *hours)
{
  if (hours == NULL)
    return;
  g_free (hours->location);
  g_free (hours->timezone);
  g_array_unref (hours->holidays);
  g_free (hours);
}

/* ---- the playbook ---- */

CpPlaybook *
cp_playbook_new (void)
{
  CpPlaybook *self = g_new0 (CpPlaybook, 1);

  self->ref_count = 1;
  self->stages = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_stage_free);
  self->scoring.rules = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_score_rule_free);
  for (guint i = 0; i < CP_SCORE_N_CATEGORIES; i++)
    self->scoring.caps[i] = 100;
  self->scoring.nurture_threshold = 30;
  self->scoring.sales_ready_threshold = 60;
  self->route_rules = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_route_rule_free);
  self->queues = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_queue_free);
  self->automation = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_automation_rule_free);
  self->closure_reasons = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_closure_reason_free);
  self->consent_rules = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_consent_rule_free);
  self->business_hours = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_business_hours_free);
  self->retention = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_retention_rule_free);
  return self;
}

CpPlaybook *
cp_playbook_ref (CpPlaybook *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
cp_playbook_unref (CpPlaybook *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;

  g_free (self->name);
  g_free (self->description);
  g_ptr_array_unref (self->stages);
  g_ptr_array_unref (self->scoring.rules);
  g_ptr_array_unref (self->route_rules);
  g_ptr_array_unref (self->queues);
  g_free (self->fallback_queue);
  g_ptr_array_unref (self->automation);
  g_ptr_array_unref (self->closure_reasons);
  g_ptr_array_unref (self->consent_rules);
  g_ptr_array_unref (self->business_hours);
  g_ptr_array_unref (self->retention);
  g_free (self);
}

int
cp_playbook_stage_index (CpPlaybook *self,
                         const char *id)
{
  g_return_val_if_fail (self != NULL, -1);

  for (guint i = 0; id != NULL && i < self->stages->len; i++)
    if (strcmp (((CpStage *) g_ptr_array_index (self->stages, i))->id, id) == 0)
      return (int) i;
  return -1;
}

const CpStage *
cp_playbook_get_stage (CpPlaybook *self,
                       const char *id)
{
  int index = cp_playbook_stage_index (self, id);

  return index >= 0 ? g_ptr_array_index (self->stages, index) : NULL;
}

const CpQueue *
cp_playbook_get_queue (CpPlaybook *self,
                       const char *id)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; id != NULL && i < self->queues->len; i++)
    {
      CpQueue *queue = g_ptr_array_index (self->queues, i);

      if (strcmp (queue->id, id) == 0)
        return queue;
    }
  return NULL;
}

/**
 * cp_playbook_get_business_hours:
 * @location: (nullable): a lead's location
 *
 * Returns: (nullable): the hours of @location, else the "*" entry
 */
const CpBusinessHours *
cp_playbook_get_business_hours (CpPlaybook *self,
                                const char *location)
{
  const CpBusinessHours *fallback = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->business_hours->len; i++)
    {
      CpBusinessHours *hours = g_ptr_array_index (self->business_hours, i);

      if (location != NULL && g_ascii_strcasecmp (hours->location, location) == 0)
        return hours;
      if (strcmp (hours->location, "*") == 0)
        fallback = hours;
    }
  return fallback;
}

/**
 * cp_playbook_get_closure_reason:
 *
 * Returns: (nullable): the closure reason with the id @id
 */
const CpClosureReason *
cp_playbook_get_closure_reason (CpPlaybook *self,
                                const char *id)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; id != NULL && i < self->closure_reasons->len; i++)
    {
      CpClosureReason *reason = g_ptr_array_index (self->closure_reasons, i);

      if (g_strcmp0 (reason->id, id) == 0)
        return reason;
    }
  return NULL;
}

static int
compare_funnel_position (gconstpointer a,
                         gconstpointer b)
{
  const CpStage *sa = *(const CpStage * const *) a;
  const CpStage *sb = *(const CpStage * const *) b;

  return (sa->funnel_position > sb->funnel_position) - (sa->funnel_position < sb->funnel_position);
}

/**
 * cp_playbook_account_contacts_limit:
 *
 * How many engaged contacts of one organization the playbook can tell
 * apart: the account boost stops growing at its maximum, and a condition
 * asks for at least K. Beyond this count one more engaged contact changes
 * nothing for the others (so they need not be scored again).
 *
 * Returns: the count, 0 when the playbook never looks at it, %G_MAXUINT
 *   when the boost has no maximum
 */
guint
cp_playbook_account_contacts_limit (CpPlaybook *self)
{
  const CpScoringModel *model;
  guint limit = 0;

  g_return_val_if_fail (self != NULL, 0);

  model = &self->scoring;
  if (model->account_points_per_contact != 0)
    {
      if (model->account_max_points <= 0)
        return G_MAXUINT;
      limit = MAX (model->account_min_contacts,
                   (guint) ((model->account_max_points + ABS (model->account_points_per_contact) - 1) /
                            ABS (model->account_points_per_contact)));
    }
  for (guint i = 0; i < model->rules->len; i++)
    limit = MAX (limit, cp_condition_max_account_contacts (((CpScoreRule *) model->rules->pdata[i])->condition));
  for (guint i = 0; i < self->route_rules->len; i++)
    limit = MAX (limit, cp_condition_max_account_contacts (((CpRouteRule *) self->route_rules->pdata[i])->condition));
  for (guint i = 0; i < self->automation->len; i++)
    limit = MAX (limit, cp_condition_max_account_contacts (((CpAutomationRule *) self->automation->pdata[i])->condition));
  for (guint i = 0; i < self->consent_rules->len; i++)
    limit = MAX (limit, cp_condition_max_account_contacts (((CpConsentRule *) self->consent_rules->pdata[i])->condition));
  for (guint i = 0; i < self->stages->len; i++)
    {
      const CpStage *stage = self->stages->pdata[i];

      limit = MAX (limit, cp_condition_max_account_contacts (stage->entry));
      limit = MAX (limit, cp_condition_max_account_contacts (stage->exit));
    }
  return limit;
}

/**
 * cp_playbook_funnel_stages:
 *
 * The lifecycle path a lead takes, as the funnel counts it: the stages
 * with a funnel position, in that order. It may differ from the board's
 * order (the board shows closed stages last, while a won lead goes on to
 * onboarding).
 *
 * Returns: (transfer full) (nullable): stage ids, or %NULL when no stage
 *   has a funnel position
 */
GStrv
cp_playbook_funnel_stages (CpPlaybook *self)
{
  g_autoptr(GPtrArray) on_path = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->stages->len; i++)
    {
      CpStage *stage = g_ptr_array_index (self->stages, i);

      if (stage->funnel_position > 0)
        g_ptr_array_add (on_path, stage);
    }
  if (on_path->len == 0)
    return NULL;
  g_ptr_array_sort (on_path, compare_funnel_position);
  for (guint i = 0; i < on_path->len; i++)
    g_strv_builder_add (ids, ((CpStage *) on_path->pdata[i])->id);
  return g_strv_builder_end (ids);
}

const char *
cp_playbook_tier_for_score (CpPlaybook *self,
                            int         score)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (score >= self->scoring.sales_ready_threshold)
    return "sales_ready";
  if (score >= self->scoring.nurture_threshold)
    return "nurture";
  return "unqualified";
}

#define invalid(error, path, ...) cp_set_path_error ((error), CP_CORE_ERROR, CP_CORE_ERROR_INVALID, (path), __VA_ARGS__)

/* The id of an item of a playbook list: every id-bearing struct (and
 * CpBusinessHours, whose location serves as its id) starts with it. */
#define ITEM_ID(items, i) (*(char **) g_ptr_array_index ((items), (i)))

/* The index of the first item whose id an earlier item already has, or
 * -1. Lists are matched by id (cp_playbook_diff(), lookups): a second
 * item with the same id would be unreachable, and would make a playbook
 * read back from its own JSON differ from itself. */
static int
find_duplicate_id (GPtrArray *items)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < items->len; i++)
    if (ITEM_ID (items, i) != NULL && !g_hash_table_add (seen, ITEM_ID (items, i)))
      return (int) i;
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
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) positions = g_hash_table_new (NULL, NULL);
  char path[128];
  int dup;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->stages->len == 0)
    return invalid (error, "stages", _("a playbook needs at least one stage"));
  for (guint i = 0; i < self->stages->len; i++)
    {
      CpStage *stage = g_ptr_array_index (self->stages, i);

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
      if ((dup = find_duplicate_id (stage->templates)) >= 0)
        {
          g_snprintf (path, sizeof path, "stages[%u].templates[%d].id", i, dup);
          return invalid (error, path, _("the template “%s” is defined twice in this stage"),
                          ITEM_ID (stage->templates, dup));
        }
      if (!cp_playbook_check_entry_tasks (self, i, error))
        return FALSE;
      g_snprintf (path, sizeof path, "stages[%u].entry", i);
      if (!check_condition_depth (stage->entry, path, error))
        return FALSE;
      g_snprintf (path, sizeof path, "stages[%u].exit", i);
      if (!check_condition_depth (stage->exit, path, error))
        return FALSE;
    }

  g_hash_table_remove_all (seen);
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

  g_hash_table_remove_all (seen);
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
  if ((dup = find_duplicate_id (self->route_rules)) >= 0)
    {
      g_snprintf (path, sizeof path, "routing.rules[%d].id", dup);
      return invalid (error, path, _("the routing rule “%s” is defined twice"),
                      ITEM_ID (self->route_rules, dup));
    }
  if (self->fallback_queue == NULL || cp_playbook_get_queue (self, self->fallback_queue) == NULL)
    return invalid (error, "routing.fallback_queue", _("unknown queue “%s”"),
                    self->fallback_queue ? self->fallback_queue : "");

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
  if ((dup = find_duplicate_id (self->automation)) >= 0)
    {
      g_snprintf (path, sizeof path, "automation[%d].id", dup);
      return invalid (error, path, _("the automation rule “%s” is defined twice"),
                      ITEM_ID (self->automation, dup));
    }

  if ((dup = find_duplicate_id (self->closure_reasons)) >= 0)
    {
      g_snprintf (path, sizeof path, "closure_reasons[%d].id", dup);
      return invalid (error, path, _("the closure reason “%s” is defined twice"),
                      ITEM_ID (self->closure_reasons, dup));
    }

  for (guint i = 0; i < self->consent_rules->len; i++)
    {
      CpConsentRule *rule = g_ptr_array_index (self->consent_rules, i);

      g_snprintf (path, sizeof path, "consent_rules[%u].condition", i);
      if (!check_condition_depth (rule->condition, path, error))
        return FALSE;
    }
  if ((dup = find_duplicate_id (self->consent_rules)) >= 0)
    {
      g_snprintf (path, sizeof path, "consent_rules[%d].id", dup);
      return invalid (error, path, _("the consent rule “%s” is defined twice"),
                      ITEM_ID (self->consent_rules, dup));
    }

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
  if ((dup = find_duplicate_id (self->business_hours)) >= 0)
    {
      g_snprintf (path, sizeof path, "business_hours[%d].location", dup);
      return invalid (error, path, _("the location “%s” has business hours twice"),
                      ITEM_ID (self->business_hours, dup));
    }

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
  if ((dup = find_duplicate_id (self->retention)) >= 0)
    {
      g_snprintf (path, sizeof path, "retention[%d].id", dup);
      return invalid (error, path, _("the retention rule “%s” is defined twice"),
                      ITEM_ID (self->retention, dup));
    }

  return TRUE;
}

/**
 * cp_playbook_allowed_channels:
 * @stage_id: the lead's stage
 * @input: the lead
 * @out_reasons: (out) (optional) (transfer full) (element-type utf8): why
 *   channels were removed
 *
 * Consent is applied after the stage: an opted-out or do-not-contact lead
 * never gets a channel its consent does not allow.
 *
 * Returns: (transfer full): the outreach channels allowed for the lead now
 */
char **
cp_playbook_allowed_channels (CpPlaybook        *self,
                              const char        *stage_id,
                              CpConditionInput  *input,
                              GPtrArray        **out_reasons)
{
  const CpStage *stage = cp_playbook_get_stage (self, stage_id);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) blocked = g_ptr_array_new ();
  gboolean block_all = FALSE;

  for (guint i = 0; i < self->consent_rules->len; i++)
    {
      CpConsentRule *rule = g_ptr_array_index (self->consent_rules, i);

      if (rule->condition != NULL && !cp_condition_evaluate (rule->condition, input))
        continue;
      for (guint c = 0; rule->blocked_channels != NULL && rule->blocked_channels[c] != NULL; c++)
        {
          if (strcmp (rule->blocked_channels[c], "*") == 0)
            block_all = TRUE;
          g_ptr_array_add (blocked, rule->blocked_channels[c]);
        }
      g_ptr_array_add (reasons, g_strdup (rule->description ? rule->description : rule->id));
    }

  for (guint i = 0; stage != NULL && stage->channels != NULL && stage->channels[i] != NULL; i++)
    {
      gboolean is_blocked = block_all;

      for (guint b = 0; !is_blocked && b < blocked->len; b++)
        is_blocked = strcmp (g_ptr_array_index (blocked, b), stage->channels[i]) == 0;
      if (!is_blocked)
        g_strv_builder_add (builder, stage->channels[i]);
    }

  if (out_reasons != NULL)
    *out_reasons = g_steal_pointer (&reasons);
  return g_strv_builder_end (builder);
}

/* ---- differences ---- */

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

      g_string_append_printf (out, "\x1f%s\x1f%s\x1f%s\x1f%s", t->id, t->channel, t->title, t->body);
    }
  g_string_append_printf (out, "\x1f%d\x1f%u", stage->closed, stage->funnel_position);
  return g_string_free (out, FALSE);
}

static char *
summarize_score_rule (const CpScoreRule *rule)
{
  g_autofree char *condition = cp_condition_to_string (rule->condition);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%s %+d%s: %s", category_names[rule->category], rule->points,
                          rule->decay ? " (decays)" : "", condition);
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
                          "nurture ≥ %d, sales-ready ≥ %d, account boost %d per contact from %u (max %d)",
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
  /* Every part struct starts with its id. */
  for (guint i = 0; i < before->len; i++)
    {
      const char *id = *(char **) g_ptr_array_index (before, i);
      gpointer match = NULL;

      for (guint j = 0; j < after->len && match == NULL; j++)
        if (g_strcmp0 (*(char **) g_ptr_array_index (after, j), id) == 0)
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
      const char *id = *(char **) g_ptr_array_index (after, j);
      gboolean found = FALSE;

      for (guint i = 0; i < before->len && !found; i++)
        found = g_strcmp0 (*(char **) g_ptr_array_index (before, i), id) == 0;
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
      change->before = g_strdup_printf ("%s; fallback queue %s", model_before, before->fallback_queue);
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
