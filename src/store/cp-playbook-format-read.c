/* cp-playbook-format-read.c — reading the JSON form of a playbook, with exact errors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-playbook-format"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-json-check.h"
#include "cp-playbook-format-private.h"

/* ---- lists of records ---- */

typedef gboolean (*ParseItemFunc) (gpointer     owner,
                                   JsonObject  *object,
                                   const char  *path,
                                   GError     **error);

/* Hands each object of @array (at @path; %NULL: none) to @parse_item with
 * @owner: the playbook, or the stage the list belongs to. */
static gboolean
parse_items (gpointer        owner,
             JsonArray      *array,
             const char     *path,
             ParseItemFunc   parse_item,
             GError        **error)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *item_path = cp_json_index_path (path, i);
      JsonObject *object = NULL;

      if (!cp_json_read_object (json_array_get_element (array, i), item_path, &object, error) ||
          !parse_item (owner, object, item_path, error))
        return FALSE;
    }
  return TRUE;
}

/* "member": [{…}, …] */
static gboolean
parse_list (gpointer        owner,
            JsonObject     *parent,
            const char     *parent_path,
            const char     *member,
            gboolean        required,
            ParseItemFunc   parse_item,
            GError        **error)
{
  g_autofree char *path = cp_json_member_path (parent_path, member);
  JsonArray *array;

  if (!cp_json_read_array (parent, parent_path, member, required, &array, error))
    return FALSE;
  return parse_items (owner, array, path, parse_item, error);
}

/* ---- records made of their table's members alone ---- */

typedef gpointer (*NewRecordFunc) (const char *id);

typedef struct
{
  const CpFormatTable  *table;
  NewRecordFunc         new_record;
  GDestroyNotify        free_record;
  gsize                 list_offset;  /* G_STRUCT_OFFSET of its GPtrArray in the owner */
  /* (nullable) a rule on the values read */
  gboolean            (*check)        (gpointer     record,
                                       const char  *path,
                                       GError     **error);
} PlainRecord;

typedef struct
{
  gpointer            owner;
  const PlainRecord  *kind;
} PlainList;

static gboolean
check_outcome (gpointer     record,
               const char  *path,
               GError     **error)
{
  CpClosureReason *reason = record;
  g_autofree char *p = cp_json_member_path (path, "outcome");

  if (strcmp (reason->outcome, "won") != 0 && strcmp (reason->outcome, "lost") != 0)
    return cp_json_path_error (error, p, _("expected \"won\" or \"lost\""));
  return TRUE;
}

static gboolean
check_action (gpointer     record,
              const char  *path,
              GError     **error)
{
  CpRetentionRule *rule = record;
  g_autofree char *p = cp_json_member_path (path, "action");

  if (strcmp (rule->action, "erase") != 0)
    return cp_json_path_error (error, p, _("expected \"erase\""));
  return TRUE;
}

static const PlainRecord template_record = {
  &_cp_playbook_format_template, (NewRecordFunc) cp_outreach_template_new,
  (GDestroyNotify) cp_outreach_template_free, G_STRUCT_OFFSET (CpStage, templates), NULL
};
static const PlainRecord route_rule_record = {
  &_cp_playbook_format_route_rule, (NewRecordFunc) cp_route_rule_new,
  (GDestroyNotify) cp_route_rule_free, G_STRUCT_OFFSET (CpPlaybook, route_rules), NULL
};
static const PlainRecord queue_record = {
  &_cp_playbook_format_queue, (NewRecordFunc) cp_queue_new,
  (GDestroyNotify) cp_queue_free, G_STRUCT_OFFSET (CpPlaybook, queues), NULL
};
static const PlainRecord closure_reason_record = {
  &_cp_playbook_format_closure_reason, (NewRecordFunc) cp_closure_reason_new,
  (GDestroyNotify) cp_closure_reason_free, G_STRUCT_OFFSET (CpPlaybook, closure_reasons),
  check_outcome
};
static const PlainRecord consent_rule_record = {
  &_cp_playbook_format_consent_rule, (NewRecordFunc) cp_consent_rule_new,
  (GDestroyNotify) cp_consent_rule_free, G_STRUCT_OFFSET (CpPlaybook, consent_rules), NULL
};
static const PlainRecord retention_rule_record = {
  &_cp_playbook_format_retention_rule, (NewRecordFunc) cp_retention_rule_new,
  (GDestroyNotify) cp_retention_rule_free, G_STRUCT_OFFSET (CpPlaybook, retention),
  check_action
};

/* Every member of @object is one of @table's. */
static gboolean
check_table_members (JsonObject           *object,
                     const char           *path,
                     const CpFormatTable  *table,
                     GError              **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      guint i = 0;

      while (i < table->n_fields && strcmp (table->fields[i].member, l->data) != 0)
        i++;
      if (i == table->n_fields)
        {
          g_autofree char *p = cp_json_member_path (path, l->data);

          return cp_json_path_error (error, p, _("unknown member \"%s\""),
                                     (const char *) l->data);
        }
    }
  return TRUE;
}

/* A ParseItemFunc for a PlainList. */
static gboolean
parse_plain_record (gpointer     data,
                    JsonObject  *object,
                    const char  *path,
                    GError     **error)
{
  PlainList *list = data;
  const PlainRecord *kind = list->kind;
  GPtrArray *into = G_STRUCT_MEMBER (GPtrArray *, list->owner, kind->list_offset);
  gpointer record = kind->new_record (NULL);

  if (!check_table_members (object, path, kind->table, error) ||
      !_cp_playbook_format_read_fields (object, path, kind->table, record, error) ||
      (kind->check != NULL && !kind->check (record, path, error)))
    {
      kind->free_record (record);
      return FALSE;
    }
  g_ptr_array_add (into, record);
  return TRUE;
}

/* "member": [{…}, …] of @kind, added to @owner's list */
static gboolean
parse_plain_list (gpointer            owner,
                  JsonObject         *parent,
                  const char         *parent_path,
                  const char         *member,
                  gboolean            required,
                  const PlainRecord  *kind,
                  GError            **error)
{
  PlainList list = { owner, kind };

  return parse_list (&list, parent, parent_path, member, required, parse_plain_record, error);
}

/* ---- stages ---- */

/* "entry_tasks": [{"kind": "call", "title": "…", "due_business_hours": 8, "template": "…"}] */
static gboolean
parse_entry_task (gpointer     owner,
                  JsonObject  *object,
                  const char  *path,
                  GError     **error)
{
  static const char * const allowed[] = { "kind", "title", "due_business_hours", "template", NULL };
  CpStage *stage = owner;
  g_autoptr(CpEntryTask) task = cp_entry_task_new ();
  g_autofree char *kind = NULL;

  if (!cp_json_check_members (object, path, allowed, error) ||
      !cp_json_read_string (object, path, "kind", TRUE, &kind, error) ||
      !_cp_playbook_format_read_fields (object, path, &_cp_playbook_format_entry_task, task, error))
    return FALSE;
  if (!cp_task_kind_from_string (kind, &task->kind))
    {
      g_autofree char *kind_path = cp_json_member_path (path, "kind");

      return cp_json_path_error (error, kind_path,
                                 _("unknown kind of task “%s” (call, email, meeting, "
                                   "follow_up, handoff)"), kind);
    }
  g_ptr_array_add (stage->entry_tasks, g_steal_pointer (&task));
  return TRUE;
}

static gboolean
parse_stage (gpointer     owner,
             JsonObject  *object,
             const char  *path,
             GError     **error)
{
  static const char * const allowed[] = {
    "id", "title", "owner_role", "closed", "entry", "exit", "required_fields", "channels",
    "sla_hours", "rotting_days", "assets", "templates", "handoff_checklist",
    "funnel_position", "entry_tasks", NULL
  };
  CpPlaybook *playbook = owner;
  g_autoptr(CpStage) stage = cp_stage_new (NULL);
  PlainList templates_list = { stage, &template_record };
  JsonArray *templates, *entry_tasks;
  g_autofree char *templates_path = cp_json_member_path (path, "templates");
  g_autofree char *entry_tasks_path = cp_json_member_path (path, "entry_tasks");

  if (!cp_json_check_members (object, path, allowed, error) ||
      !_cp_playbook_format_read_fields (object, path, &_cp_playbook_format_stage, stage, error) ||
      !_cp_playbook_format_read_fields (object, path, &_cp_playbook_format_stage_tail, stage,
                                        error) ||
      !cp_json_read_array (object, path, "templates", FALSE, &templates, error) ||
      !cp_json_read_array (object, path, "entry_tasks", FALSE, &entry_tasks, error) ||
      !parse_items (&templates_list, templates, templates_path, parse_plain_record, error) ||
      !parse_items (stage, entry_tasks, entry_tasks_path, parse_entry_task, error))
    return FALSE;
  g_ptr_array_add (playbook->stages, g_steal_pointer (&stage));
  return TRUE;
}

/* ---- scoring ---- */

static gboolean
parse_score_rule (gpointer     owner,
                  JsonObject  *object,
                  const char  *path,
                  GError     **error)
{
  static const char * const allowed[] = {
    "id", "description", "category", "points", "decay", "condition", "stage_points", NULL
  };
  CpPlaybook *playbook = owner;
  g_autoptr(CpScoreRule) rule = cp_score_rule_new (NULL);
  g_autofree char *category = NULL;
  g_autofree char *category_path = cp_json_member_path (path, "category");
  JsonNode *overrides;

  if (!cp_json_check_members (object, path, allowed, error) ||
      !_cp_playbook_format_read_fields (object, path, &_cp_playbook_format_score_rule_head, rule,
                                        error) ||
      !cp_json_read_string (object, path, "category", TRUE, &category, error))
    return FALSE;
  if (!cp_score_category_from_string (category, &rule->category))
    return cp_json_path_error (error, category_path,
                               _("unknown category \"%s\" (fit, intent or readiness)"), category);
  if (!_cp_playbook_format_read_fields (object, path, &_cp_playbook_format_score_rule_tail, rule,
                                        error))
    return FALSE;

  overrides = json_object_get_member (object, "stage_points");
  if (overrides != NULL && !JSON_NODE_HOLDS_NULL (overrides))
    {
      g_autofree char *p = cp_json_member_path (path, "stage_points");
      JsonObject *map = NULL;
      g_autoptr(GList) stages = NULL;
      guint i = 0;

      if (!cp_json_read_object (overrides, p, &map, error))
        return FALSE;
      stages = json_object_get_members (map);
      rule->n_overrides = g_list_length (stages);
      rule->override_stages = g_new0 (char *, rule->n_overrides + 1);
      rule->override_points = g_new0 (int, rule->n_overrides);
      for (GList *l = stages; l != NULL; l = l->next, i++)
        {
          gint64 value = 0;

          rule->override_stages[i] = g_strdup (l->data);
          if (!cp_json_read_int (map, p, l->data, TRUE, -100, 100, &value, error))
            return FALSE;
          rule->override_points[i] = value;
        }
    }
  g_ptr_array_add (playbook->scoring.rules, g_steal_pointer (&rule));
  return TRUE;
}

/* "scoring": {"member": {…}}, an object of @table's members (@allowed) */
static gboolean
parse_scoring_part (JsonObject           *scoring,
                    const char           *member,
                    const char * const   *allowed,
                    const CpFormatTable  *table,
                    CpScoringModel       *model,
                    GError              **error)
{
  g_autofree char *path = cp_json_member_path ("scoring", member);
  JsonNode *node = json_object_get_member (scoring, member);
  JsonObject *object = NULL;

  if (node == NULL)
    return TRUE;
  return cp_json_read_object (node, path, &object, error) &&
         cp_json_check_members (object, path, allowed, error) &&
         _cp_playbook_format_read_fields (object, path, table, model, error);
}

static gboolean
parse_scoring (CpPlaybook  *playbook,
               JsonObject  *root,
               GError     **error)
{
  static const char * const allowed[] = {
    "half_life_days", "caps", "thresholds", "account_boost", "rules", NULL
  };
  static const char * const cap_members[] = { "fit", "intent", "readiness", NULL };
  static const char * const threshold_members[] = { "nurture", "sales_ready", NULL };
  static const char * const boost_members[] = {
    "min_contacts", "points_per_contact", "max_points", NULL
  };
  CpScoringModel *model = &playbook->scoring;
  JsonObject *scoring = NULL, *caps = NULL;
  JsonNode *node;

  if (!cp_json_read_object (json_object_get_member (root, "scoring"), "scoring", &scoring,
                            error) ||
      !cp_json_check_members (scoring, "scoring", allowed, error))
    return FALSE;

  node = json_object_get_member (scoring, "half_life_days");
  if (node != NULL &&
      !cp_json_read_number (node, "scoring.half_life_days", &model->half_life_days, error))
    return FALSE;

  /* A cap left out keeps its default. */
  if ((node = json_object_get_member (scoring, "caps")) != NULL)
    {
      if (!cp_json_read_object (node, "scoring.caps", &caps, error) ||
          !cp_json_check_members (caps, "scoring.caps", cap_members, error))
        return FALSE;
      for (guint c = 0; c < CP_SCORE_N_CATEGORIES; c++)
        {
          gint64 value = model->caps[c];

          if (!cp_json_read_int (caps, "scoring.caps", cap_members[c], FALSE, 0, 100, &value,
                                 error))
            return FALSE;
          model->caps[c] = value;
        }
    }
  if (!parse_scoring_part (scoring, "thresholds", threshold_members,
                           &_cp_playbook_format_thresholds, model, error) ||
      !parse_scoring_part (scoring, "account_boost", boost_members,
                           &_cp_playbook_format_account_boost, model, error))
    return FALSE;

  return parse_list (playbook, scoring, "scoring", "rules", TRUE, parse_score_rule, error);
}

/* ---- routing ---- */

static gboolean
parse_routing (CpPlaybook  *playbook,
               JsonObject  *root,
               GError     **error)
{
  static const char * const allowed[] = { "rules", "queues", "fallback_queue", NULL };
  JsonObject *routing = NULL;

  return cp_json_read_object (json_object_get_member (root, "routing"), "routing", &routing,
                              error) &&
         cp_json_check_members (routing, "routing", allowed, error) &&
         parse_plain_list (playbook, routing, "routing", "queues", TRUE, &queue_record, error) &&
         parse_plain_list (playbook, routing, "routing", "rules", FALSE, &route_rule_record,
                           error) &&
         cp_json_read_string (routing, "routing", "fallback_queue", TRUE,
                              &playbook->fallback_queue, error);
}

/* ---- automation ---- */

static gboolean
parse_automation (gpointer     owner,
                  JsonObject  *object,
                  const char  *path,
                  GError     **error)
{
  static const char * const allowed[] = {
    "id", "description", "on", "activity", "inactive_days", "from_stages", "condition",
    "to_stage", NULL
  };
  CpPlaybook *playbook = owner;
  g_autoptr(CpAutomationRule) rule = cp_automation_rule_new (NULL);
  g_autofree char *on = NULL;
  g_autofree char *on_path = cp_json_member_path (path, "on");
  gint64 days = 0;
  JsonNode *kinds;

  if (!cp_json_check_members (object, path, allowed, error) ||
      !_cp_playbook_format_read_fields (object, path, &_cp_playbook_format_automation_head, rule,
                                        error) ||
      !cp_json_read_string (object, path, "on", TRUE, &on, error))
    return FALSE;
  if (strcmp (on, "activity") == 0)
    rule->trigger = CP_AUTOMATION_ON_ACTIVITY;
  else if (strcmp (on, "inactivity") == 0)
    rule->trigger = CP_AUTOMATION_ON_INACTIVITY;
  else if (strcmp (on, "change") == 0)
    rule->trigger = CP_AUTOMATION_ON_FIELD;
  else
    return cp_json_path_error (error, on_path,
                               _("unknown trigger \"%s\" (activity, inactivity or change)"), on);

  kinds = json_object_get_member (object, "activity");
  if (kinds != NULL)
    {
      g_autofree char *p = cp_json_member_path (path, "activity");

      if (!_cp_playbook_format_parse_kinds (kinds, p, &rule->kind_mask, error))
        return FALSE;
    }
  if (!cp_json_read_int (object, path, "inactive_days",
                         rule->trigger == CP_AUTOMATION_ON_INACTIVITY, 1, 36500, &days, error) ||
      !_cp_playbook_format_read_fields (object, path, &_cp_playbook_format_automation_tail, rule,
                                        error))
    return FALSE;
  rule->inactive_days = days;
  g_ptr_array_add (playbook->automation, g_steal_pointer (&rule));
  return TRUE;
}

/* ---- business hours ---- */

static gboolean
parse_time_of_day (JsonObject  *object,
                   const char  *path,
                   const char  *member,
                   int         *out_minute,
                   GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *p = cp_json_member_path (path, member);
  guint hour, minute;
  char tail;

  if (!cp_json_read_string (object, path, member, TRUE, &text, error))
    return FALSE;
  if (sscanf (text, "%2u:%2u%c", &hour, &minute, &tail) != 2 || hour > 24 || minute > 59 ||
      (hour == 24 && minute != 0))
    return cp_json_path_error (error, p, _("expected a time such as \"08:30\", not \"%s\""),
                               text);
  *out_minute = hour * 60 + minute;
  return TRUE;
}

static gboolean
parse_business_hours (gpointer     owner,
                      JsonObject  *object,
                      const char  *path,
                      GError     **error)
{
  static const char * const allowed[] = {
    "location", "timezone", "days", "open", "close", "holidays", NULL
  };
  CpPlaybook *playbook = owner;
  g_autoptr(CpBusinessHours) hours = cp_business_hours_new (NULL);
  g_auto(GStrv) days = NULL;
  g_auto(GStrv) holidays = NULL;
  g_autofree char *days_path = cp_json_member_path (path, "days");
  g_autofree char *holidays_path = cp_json_member_path (path, "holidays");

  if (!cp_json_check_members (object, path, allowed, error) ||
      !_cp_playbook_format_read_fields (object, path, &_cp_playbook_format_business_hours_head,
                                        hours, error) ||
      !cp_json_read_strv (object, path, "days", &days, error) ||
      !parse_time_of_day (object, path, "open", &hours->open_minute, error) ||
      !parse_time_of_day (object, path, "close", &hours->close_minute, error) ||
      !cp_json_read_strv (object, path, "holidays", &holidays, error))
    return FALSE;

  if (days != NULL)
    {
      hours->days = 0;
      for (guint i = 0; days[i] != NULL; i++)
        {
          guint d;

          for (d = 0; d < CP_PLAYBOOK_FORMAT_N_DAYS; d++)
            if (strcmp (_cp_playbook_format_day_names[d], days[i]) == 0)
              break;
          if (d == CP_PLAYBOOK_FORMAT_N_DAYS)
            {
              g_autofree char *p = cp_json_index_path (days_path, i);

              return cp_json_path_error (error, p, _("unknown day \"%s\" (mon, tue, wed, thu, "
                                                     "fri, sat, sun)"), days[i]);
            }
          hours->days |= 1u << d;
        }
    }
  for (guint i = 0; holidays != NULL && holidays[i] != NULL; i++)
    {
      guint32 julian;

      if (!cp_parse_iso_date (holidays[i], &julian))
        {
          g_autofree char *p = cp_json_index_path (holidays_path, i);

          return cp_json_path_error (error, p,
                                     _("expected a date such as \"2026-12-25\", not \"%s\""),
                                     holidays[i]);
        }
      g_array_append_val (hours->holidays, julian);
    }
  g_ptr_array_add (playbook->business_hours, g_steal_pointer (&hours));
  return TRUE;
}

/**
 * cp_playbook_format_parse:
 * @json: the playbook as JSON
 * @length: its length, or -1 when NUL-terminated
 * @error: the first problem as "path: reason", e.g.
 *   `scoring.rules[3].condition.op: unknown operator "gtt"`
 *
 * Returns: (transfer full) (nullable): the playbook, checked for consistency
 */
CpPlaybook *
cp_playbook_format_parse (const char  *json,
                          gssize       length,
                          GError     **error)
{
  static const char * const allowed[] = {
    "format", "name", "description", "stages", "scoring", "routing", "automation",
    "closure_reasons", "consent_rules", "business_hours", "escalate_after_hours", "retention",
    NULL
  };
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(CpPlaybook) playbook = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *marked = NULL;
  JsonObject *root = NULL;
  gint64 format = 0, escalate = 0;
  gsize size;

  g_return_val_if_fail (json != NULL, NULL);

  /* Before the parser recurses into it: a deep document would exhaust
   * the stack, and a huge integer would wrap around. */
  size = length < 0 ? strlen (json) : (gsize) length;
  if (!cp_json_check_depth (json, size, CP_JSON_MAX_DEPTH, &local_error))
    {
      g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                   _("The playbook cannot be read: %s"), local_error->message);
      return NULL;
    }
  marked = cp_json_mark_huge_integers (json, size, &size);
  if (marked != NULL)
    json = marked;

  if (!json_parser_load_from_data (parser, json, (gssize) size, &local_error))
    {
      g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                   _("The playbook is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  if (!cp_json_read_object (json_parser_get_root (parser), "(root)", &root, error) ||
      !cp_json_check_members (root, "", allowed, error) ||
      !cp_json_read_int (root, "", "format", TRUE, 1, G_MAXINT, &format, error))
    return NULL;
  if (format != CP_PLAYBOOK_FORMAT_VERSION)
    return cp_json_path_error (error, "format", _("version %" G_GINT64_FORMAT " is not supported "
                                     "(this Carepath reads version %d)"),
                 format, CP_PLAYBOOK_FORMAT_VERSION), NULL;

  playbook = cp_playbook_new ();
  if (!cp_json_read_string (root, "", "name", FALSE, &playbook->name, error) ||
      !cp_json_read_string (root, "", "description", FALSE, &playbook->description, error) ||
      !parse_list (playbook, root, "", "stages", TRUE, parse_stage, error) ||
      !parse_scoring (playbook, root, error) ||
      !parse_routing (playbook, root, error) ||
      !parse_list (playbook, root, "", "automation", FALSE, parse_automation, error) ||
      !parse_plain_list (playbook, root, "", "closure_reasons", FALSE, &closure_reason_record,
                         error) ||
      !parse_plain_list (playbook, root, "", "consent_rules", FALSE, &consent_rule_record,
                         error) ||
      !parse_list (playbook, root, "", "business_hours", FALSE, parse_business_hours, error) ||
      !cp_json_read_int (root, "", "escalate_after_hours", FALSE, 0, 24 * 365, &escalate, error) ||
      !parse_plain_list (playbook, root, "", "retention", FALSE, &retention_rule_record, error))
    return NULL;
  playbook->escalate_after_hours = escalate;

  if (!cp_playbook_validate (playbook, &local_error))
    {
      g_set_error_literal (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&playbook);
}

CpPlaybook *
cp_playbook_format_load_file (const char  *path,
                              GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  /* The error keeps GLib's domain and code: only the message says more. */
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not read the playbook “%s”: %s"), path, local_error->message);
      return NULL;
    }
  return cp_playbook_format_parse (contents, length, error);
}
