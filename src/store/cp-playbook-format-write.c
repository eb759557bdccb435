/* cp-playbook-format-write.c — writing a playbook in its JSON form, and the built-in default
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-playbook-format"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-playbook-format-private.h"
#include "cp-playbook-resources.h"
#include "cp-private-file.h"

#define DEFAULT_PATH "/io/github/carepath/Carepath/playbook/default.json"

static void
add_stage (JsonBuilder   *builder,
           const CpStage *stage)
{
  json_builder_begin_object (builder);
  _cp_playbook_format_add_fields (builder, &_cp_playbook_format_stage, stage);
  _cp_playbook_format_add_records (builder, "templates", stage->templates,
                                   &_cp_playbook_format_template);
  _cp_playbook_format_add_fields (builder, &_cp_playbook_format_stage_tail, stage);
  if (stage->entry_tasks->len > 0)
    {
      json_builder_set_member_name (builder, "entry_tasks");
      json_builder_begin_array (builder);
      for (guint i = 0; i < stage->entry_tasks->len; i++)
        {
          CpEntryTask *t = g_ptr_array_index (stage->entry_tasks, i);

          json_builder_begin_object (builder);
          cp_json_add_string (builder, "kind", cp_task_kind_to_string (t->kind));
          _cp_playbook_format_add_fields (builder, &_cp_playbook_format_entry_task, t);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

static void
add_score_rule (JsonBuilder       *builder,
                const CpScoreRule *rule)
{
  json_builder_begin_object (builder);
  _cp_playbook_format_add_fields (builder, &_cp_playbook_format_score_rule_head, rule);
  cp_json_add_string (builder, "category", cp_score_category_to_string (rule->category));
  _cp_playbook_format_add_fields (builder, &_cp_playbook_format_score_rule_tail, rule);
  if (rule->n_overrides > 0)
    {
      json_builder_set_member_name (builder, "stage_points");
      json_builder_begin_object (builder);
      for (guint o = 0; o < rule->n_overrides; o++)
        cp_json_add_int (builder, rule->override_stages[o], rule->override_points[o]);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

static void
add_scoring (JsonBuilder          *builder,
             const CpScoringModel *model)
{
  json_builder_set_member_name (builder, "scoring");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "half_life_days");
  json_builder_add_double_value (builder, model->half_life_days);
  json_builder_set_member_name (builder, "caps");
  json_builder_begin_object (builder);
  for (guint c = 0; c < CP_SCORE_N_CATEGORIES; c++)
    cp_json_add_int (builder, cp_score_category_to_string (c), model->caps[c]);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "thresholds");
  json_builder_begin_object (builder);
  _cp_playbook_format_add_fields (builder, &_cp_playbook_format_thresholds, model);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "account_boost");
  json_builder_begin_object (builder);
  _cp_playbook_format_add_fields (builder, &_cp_playbook_format_account_boost, model);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "rules");
  json_builder_begin_array (builder);
  for (guint i = 0; i < model->rules->len; i++)
    add_score_rule (builder, g_ptr_array_index (model->rules, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
add_routing (JsonBuilder *builder,
             CpPlaybook  *playbook)
{
  json_builder_set_member_name (builder, "routing");
  json_builder_begin_object (builder);
  _cp_playbook_format_add_records (builder, "rules", playbook->route_rules,
                                   &_cp_playbook_format_route_rule);
  _cp_playbook_format_add_records (builder, "queues", playbook->queues,
                                   &_cp_playbook_format_queue);
  cp_json_add_string (builder, "fallback_queue", playbook->fallback_queue);
  json_builder_end_object (builder);
}

static void
add_automation (JsonBuilder *builder,
                CpPlaybook  *playbook)
{
  static const char * const triggers[] = { "activity", "inactivity", "change" };

  json_builder_set_member_name (builder, "automation");
  json_builder_begin_array (builder);
  for (guint i = 0; i < playbook->automation->len; i++)
    {
      CpAutomationRule *rule = g_ptr_array_index (playbook->automation, i);

      json_builder_begin_object (builder);
      _cp_playbook_format_add_fields (builder, &_cp_playbook_format_automation_head, rule);
      cp_json_add_string (builder, "on", triggers[rule->trigger]);
      if (rule->trigger == CP_AUTOMATION_ON_ACTIVITY)
        {
          json_builder_set_member_name (builder, "activity");
          _cp_playbook_format_add_kinds (builder, rule->kind_mask);
        }
      if (rule->trigger == CP_AUTOMATION_ON_INACTIVITY)
        cp_json_add_int (builder, "inactive_days", rule->inactive_days);
      _cp_playbook_format_add_fields (builder, &_cp_playbook_format_automation_tail, rule);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_business_hours (JsonBuilder           *builder,
                    const CpBusinessHours *hours)
{
  g_autofree char *open = g_strdup_printf ("%02d:%02d", hours->open_minute / 60,
                                           hours->open_minute % 60);
  g_autofree char *close = g_strdup_printf ("%02d:%02d", hours->close_minute / 60,
                                            hours->close_minute % 60);

  json_builder_begin_object (builder);
  _cp_playbook_format_add_fields (builder, &_cp_playbook_format_business_hours_head, hours);
  json_builder_set_member_name (builder, "days");
  json_builder_begin_array (builder);
  for (guint d = 0; d < CP_PLAYBOOK_FORMAT_N_DAYS; d++)
    if (hours->days & (1u << d))
      json_builder_add_string_value (builder, _cp_playbook_format_day_names[d]);
  json_builder_end_array (builder);
  cp_json_add_string (builder, "open", open);
  cp_json_add_string (builder, "close", close);
  json_builder_set_member_name (builder, "holidays");
  json_builder_begin_array (builder);
  for (guint h = 0; h < hours->holidays->len; h++)
    {
      GDate date;
      char text[16];

      g_date_clear (&date, 1);
      g_date_set_julian (&date, g_array_index (hours->holidays, guint32, h));
      g_snprintf (text, sizeof text, "%04d-%02d-%02d", g_date_get_year (&date),
                  g_date_get_month (&date), g_date_get_day (&date));
      json_builder_add_string_value (builder, text);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/**
 * cp_playbook_format_serialize:
 *
 * Returns: (transfer full): @playbook as pretty-printed JSON that
 *   cp_playbook_format_parse() reads back to an equal playbook
 */
char *
cp_playbook_format_serialize (CpPlaybook *playbook)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (playbook != NULL, NULL);

  json_builder_begin_object (builder);
  cp_json_add_int (builder, "format", CP_PLAYBOOK_FORMAT_VERSION);
  cp_json_add_string (builder, "name", playbook->name);
  cp_json_add_string (builder, "description", playbook->description);
  json_builder_set_member_name (builder, "stages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < playbook->stages->len; i++)
    add_stage (builder, g_ptr_array_index (playbook->stages, i));
  json_builder_end_array (builder);
  add_scoring (builder, &playbook->scoring);
  add_routing (builder, playbook);
  add_automation (builder, playbook);
  _cp_playbook_format_add_records (builder, "closure_reasons", playbook->closure_reasons,
                                   &_cp_playbook_format_closure_reason);
  _cp_playbook_format_add_records (builder, "consent_rules", playbook->consent_rules,
                                   &_cp_playbook_format_consent_rule);
  json_builder_set_member_name (builder, "business_hours");
  json_builder_begin_array (builder);
  for (guint i = 0; i < playbook->business_hours->len; i++)
    add_business_hours (builder, g_ptr_array_index (playbook->business_hours, i));
  json_builder_end_array (builder);
  cp_json_add_int (builder, "escalate_after_hours", playbook->escalate_after_hours);
  /* Opt-in: a playbook without rules reads back the same without the member. */
  if (playbook->retention->len > 0)
    _cp_playbook_format_add_records (builder, "retention", playbook->retention,
                                     &_cp_playbook_format_retention_rule);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}

gboolean
cp_playbook_format_save_file (CpPlaybook  *playbook,
                              const char  *path,
                              GError     **error)
{
  g_autofree char *json = cp_playbook_format_serialize (playbook);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) local_error = NULL;

  /* Like every export: readable by its owner only (it names owners and
   * queues of people, and may name patients in a condition). The error
   * keeps GIO's domain and code: only the message says more. */
  if (!cp_private_file_replace (file, json, strlen (json), &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not write the playbook to “%s”: %s"), path, local_error->message);
      return FALSE;
    }
  return TRUE;
}
/**
 * cp_playbook_format_default_json:
 *
 * Returns: (transfer full): the default healthcare playbook shipped with
 *   Carepath (data/playbook-default.json, compiled in)
 */
GBytes *
cp_playbook_format_default_json (void)
{
  GBytes *bytes = g_resource_lookup_data (cp_playbook_get_resource (), DEFAULT_PATH,
                                          G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  g_assert (bytes != NULL);
  return bytes;
}

/**
 * cp_playbook_format_load_default:
 *
 * Returns: (transfer full): the default playbook (it is checked by the
 *   tests, so failing to read it is a programming error)
 */
CpPlaybook *
cp_playbook_format_load_default (void)
{
  g_autoptr(GBytes) bytes = cp_playbook_format_default_json ();
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  CpPlaybook *playbook = cp_playbook_format_parse (data, length, &error);

  if (playbook == NULL)
    g_error ("The built-in playbook is invalid: %s", error->message);
  return playbook;
}
