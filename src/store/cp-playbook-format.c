/* cp-playbook-format.c — the JSON form of a playbook: parse with exact errors, write back
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-playbook-format"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cp-core-error.h"
#include "cp-json-check.h"
#include "cp-playbook-format.h"
#include "cp-playbook-resources.h"
#include "cp-private-file.h"
#include "cp-store-error.h"

#define DEFAULT_PATH "/io/github/carepath/Carepath/playbook/default.json"

static const char * const day_names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

/* ---- reading helpers: each failure names the exact path ---- */

#define fail(error, path, ...) cp_set_path_error ((error), CP_STORE_ERROR, CP_STORE_ERROR_INVALID, (path), __VA_ARGS__)

static char *
member_path (const char *path,
             const char *member)
{
  return *path != '\0' ? g_strdup_printf ("%s.%s", path, member) : g_strdup (member);
}

static char *
index_path (const char *path,
            guint       index)
{
  return g_strdup_printf ("%s[%u]", path, index);
}

static gboolean
check_members (JsonObject          *object,
               const char          *path,
               const char * const  *allowed,
               GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        g_autofree char *p = member_path (path, l->data);

        return fail (error, p, _("unknown member \"%s\""), (const char *) l->data);
      }
  return TRUE;
}

static gboolean
read_object (JsonNode    *node,
             const char  *path,
             JsonObject **out,
             GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, path, _("expected an object"));
  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
read_array (JsonObject  *object,
            const char  *path,
            const char  *member,
            gboolean     required,
            JsonArray  **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *p = member_path (path, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? fail (error, p, _("is required")) : TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, p, _("expected a list"));
  *out = json_node_get_array (node);
  return TRUE;
}

static gboolean
read_string (JsonObject  *object,
             const char  *path,
             const char  *member,
             gboolean     required,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *p = member_path (path, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? fail (error, p, _("is required")) : TRUE;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, p, _("expected text"));
  if (required && *json_node_get_string (node) == '\0')
    return fail (error, p, _("cannot be empty"));
  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_int (JsonObject  *object,
          const char  *path,
          const char  *member,
          gboolean     required,
          gint64       min,
          gint64       max,
          gint64      *out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *p = member_path (path, member);
  gint64 value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? fail (error, p, _("is required")) : TRUE;
  /* An integer beyond 64 bits was marked as an infinite number before
   * parsing (cp_json_mark_huge_integers()); JSON has no other way to
   * write one. */
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE && isinf (json_node_get_double (node)))
    return fail (error, p, _("the number is out of range (%" G_GINT64_FORMAT "–%" G_GINT64_FORMAT
                             ")"), min, max);
  if (json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (error, p, _("expected a whole number"));
  value = json_node_get_int (node);
  if (value < min || value > max)
    return fail (error, p, _("%" G_GINT64_FORMAT " is out of range (%" G_GINT64_FORMAT
                             "–%" G_GINT64_FORMAT ")"), value, min, max);
  *out = value;
  return TRUE;
}

static gboolean
read_number (JsonNode    *node,
             const char  *path,
             double      *out,
             GError     **error)
{
  GType type = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return fail (error, path, _("expected a number"));
  if (!isfinite (*out))
    return fail (error, path, _("the number is out of range"));
  return TRUE;
}

static gboolean
read_bool (JsonObject  *object,
           const char  *path,
           const char  *member,
           gboolean    *out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *p = member_path (path, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (error, p, _("expected true or false"));
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_strv_node (JsonNode    *node,
                const char  *path,
                char      ***out,
                GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, path, _("expected a list of text"));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_autofree char *p = index_path (path, i);

          return fail (error, p, _("expected text"));
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  g_strfreev (*out);
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
read_strv (JsonObject  *object,
           const char  *path,
           const char  *member,
           char      ***out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *p = member_path (path, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  return read_strv_node (node, p, out, error);
}

/* ---- conditions ---- */

static CpCondition *parse_condition (JsonNode *node, const char *path, GError **error);

static gboolean
parse_kinds (JsonNode    *node,
             const char  *path,
             guint32     *out_mask,
             GError     **error)
{
  g_auto(GStrv) kinds = NULL;

  *out_mask = 0;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *kind = json_node_get_string (node);

      if (g_strcmp0 (kind, "any") == 0)
        return TRUE;
      kinds = g_new0 (char *, 2);
      kinds[0] = g_strdup (kind);
    }
  else if (!read_strv_node (node, path, &kinds, error))
    return FALSE;

  for (guint i = 0; kinds[i] != NULL; i++)
    {
      CpActivityKind kind;

      if (!cp_activity_kind_from_string (kinds[i], &kind))
        return fail (error, path, _("unknown activity kind \"%s\""), kinds[i]);
      *out_mask |= 1u << kind;
    }
  return TRUE;
}

static CpCondition *
parse_group (JsonObject      *object,
             const char      *path,
             const char      *member,
             CpConditionType  type,
             GError         **error)
{
  g_autofree char *p = member_path (path, member);
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_condition_free);
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array;
  CpCondition *group;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, p, _("expected a list of conditions")), NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *child_path = index_path (p, i);
      CpCondition *child = parse_condition (json_array_get_element (array, i), child_path, error);

      if (child == NULL)
        return NULL;
      g_ptr_array_add (children, child);
    }
  group = cp_condition_new_group (type, (CpCondition **) children->pdata, children->len);
  /* The group owns the children now. */
  g_ptr_array_set_free_func (children, NULL);
  return group;
}

static CpCondition *
parse_field_condition (JsonObject  *object,
                       const char  *path,
                       GError     **error)
{
  static const char * const allowed[] = { "field", "op", "value", NULL };
  g_autofree char *field = NULL;
  g_autofree char *op_text = NULL;
  g_autofree char *op_path = member_path (path, "op");
  g_autofree char *value_path = member_path (path, "value");
  g_autoptr(GError) local_error = NULL;
  JsonNode *value;
  CpConditionOp op;
  CpCondition *condition;

  if (!check_members (object, path, allowed, error) ||
      !read_string (object, path, "field", TRUE, &field, error) ||
      !read_string (object, path, "op", TRUE, &op_text, error))
    return NULL;
  if (!cp_condition_op_from_string (op_text, &op))
    return fail (error, op_path, _("unknown operator \"%s\""), op_text), NULL;

  value = json_object_get_member (object, "value");
  if (op == CP_OP_EXISTS || op == CP_OP_MISSING)
    {
      if (value != NULL)
        return fail (error, value_path, _("operator \"%s\" takes no value"), op_text), NULL;
      condition = cp_condition_new_field (field, op, NULL, &local_error);
    }
  else if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return fail (error, value_path, _("is required")), NULL;
  else if (JSON_NODE_HOLDS_ARRAY (value))
    {
      g_auto(GStrv) values = NULL;

      if (op != CP_OP_IN && op != CP_OP_NOT_IN)
        return fail (error, value_path, _("operator \"%s\" takes one value, not a list"),
                     op_text), NULL;
      if (!read_strv_node (value, value_path, &values, error))
        return NULL;
      if (values[0] == NULL)
        return fail (error, value_path, _("the list is empty")), NULL;
      condition = cp_condition_new_field (field, op, (const char * const *) values, &local_error);
    }
  else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    {
      const char *values[] = { json_node_get_string (value), NULL };

      if (op == CP_OP_IN || op == CP_OP_NOT_IN)
        return fail (error, value_path, _("operator \"%s\" needs a list of values"), op_text), NULL;
      condition = cp_condition_new_field (field, op, values, &local_error);
    }
  else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
    {
      CpLeadField f;

      if (!cp_lead_field_from_name (field, &f) || cp_lead_field_info (f)->type != CP_FIELD_TYPE_BOOL)
        return fail (error, value_path, _("true/false only compares with a yes/no field")), NULL;
      if (op != CP_OP_EQ && op != CP_OP_NE)
        return fail (error, op_path, _("a yes/no field only takes \"eq\" or \"ne\"")), NULL;
      condition = cp_condition_new_field_number (field, op, json_node_get_boolean (value) ? 1 : 0,
                                                 &local_error);
    }
  else
    {
      double number = 0;

      if (!read_number (value, value_path, &number, error))
        return NULL;
      condition = cp_condition_new_field_number (field, op, number, &local_error);
    }

  if (condition == NULL)
    {
      const char *where = local_error->code == CP_CORE_ERROR_UNKNOWN_FIELD ? "field" : "value";
      g_autofree char *p = member_path (path, where);

      return fail (error, p, "%s", local_error->message), NULL;
    }
  return condition;
}

static CpCondition *
parse_condition (JsonNode    *node,
                 const char  *path,
                 GError     **error)
{
  JsonObject *object = NULL;

  if (!read_object (node, path, &object, error))
    return NULL;

  if (json_object_has_member (object, "all") || json_object_has_member (object, "any"))
    {
      const char *member = json_object_has_member (object, "all") ? "all" : "any";
      const char *allowed[] = { member, NULL };

      if (!check_members (object, path, allowed, error))
        return NULL;
      return parse_group (object, path, member,
                          *member == 'a' && member[1] == 'l' ? CP_CONDITION_ALL : CP_CONDITION_ANY,
                          error);
    }
  if (json_object_has_member (object, "not"))
    {
      static const char * const allowed[] = { "not", NULL };
      g_autofree char *p = member_path (path, "not");
      CpCondition *child;

      if (!check_members (object, path, allowed, error))
        return NULL;
      child = parse_condition (json_object_get_member (object, "not"), p, error);
      return child != NULL ? cp_condition_new_not (child) : NULL;
    }
  if (json_object_has_member (object, "field"))
    return parse_field_condition (object, path, error);
  if (json_object_has_member (object, "activity"))
    {
      static const char * const allowed[] = {
        "activity", "min_count", "within_days", "detail_contains", NULL
      };
      g_autofree char *kinds_path = member_path (path, "activity");
      g_autofree char *detail = NULL;
      gint64 min_count = 1, days = 0;
      guint32 mask;

      if (!check_members (object, path, allowed, error) ||
          !parse_kinds (json_object_get_member (object, "activity"), kinds_path, &mask, error) ||
          !read_int (object, path, "min_count", FALSE, 1, 10000, &min_count, error) ||
          !read_int (object, path, "within_days", FALSE, 0, 36500, &days, error) ||
          !read_string (object, path, "detail_contains", FALSE, &detail, error))
        return NULL;
      return cp_condition_new_activity (mask, min_count, days, detail);
    }
  if (json_object_has_member (object, "inactive_days"))
    {
      static const char * const allowed[] = { "inactive_days", NULL };
      gint64 days = 0;

      if (!check_members (object, path, allowed, error) ||
          !read_int (object, path, "inactive_days", TRUE, 0, 36500, &days, error))
        return NULL;
      return cp_condition_new_inactive (days);
    }
  if (json_object_has_member (object, "account_contacts_at_least"))
    {
      static const char * const allowed[] = { "account_contacts_at_least", NULL };
      gint64 n = 0;

      if (!check_members (object, path, allowed, error) ||
          !read_int (object, path, "account_contacts_at_least", TRUE, 0, 100000, &n, error))
        return NULL;
      return cp_condition_new_account_contacts (n);
    }

  return fail (error, path, _("a condition needs one of \"all\", \"any\", \"not\", \"field\", "
                              "\"activity\", \"inactive_days\", \"account_contacts_at_least\"")),
         NULL;
}

static gboolean
read_condition (JsonObject   *object,
                const char   *path,
                const char   *member,
                gboolean      required,
                CpCondition **out,
                GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *p = member_path (path, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? fail (error, p, _("is required")) : TRUE;
  *out = parse_condition (node, p, error);
  return *out != NULL;
}

/* ---- sections ---- */

typedef gboolean (*ParseItemFunc) (CpPlaybook *playbook,
                                   JsonObject *object,
                                   const char *path,
                                   GError    **error);

static gboolean
parse_list (CpPlaybook     *playbook,
            JsonObject     *parent,
            const char     *parent_path,
            const char     *member,
            gboolean        required,
            ParseItemFunc   parse_item,
            GError        **error)
{
  g_autofree char *path = member_path (parent_path, member);
  JsonArray *array;

  if (!read_array (parent, parent_path, member, required, &array, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *item_path = index_path (path, i);
      JsonObject *object = NULL;

      if (!read_object (json_array_get_element (array, i), item_path, &object, error) ||
          !parse_item (playbook, object, item_path, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_template (CpStage    *stage,
                JsonObject *object,
                const char *path,
                GError    **error)
{
  static const char * const allowed[] = { "id", "channel", "title", "body", NULL };
  g_autoptr(CpOutreachTemplate) template_ = cp_outreach_template_new (NULL);

  if (!check_members (object, path, allowed, error) ||
      !read_string (object, path, "id", TRUE, &template_->id, error) ||
      !read_string (object, path, "channel", TRUE, &template_->channel, error) ||
      !read_string (object, path, "title", FALSE, &template_->title, error) ||
      !read_string (object, path, "body", TRUE, &template_->body, error))
    return FALSE;
  g_ptr_array_add (stage->templates, g_steal_pointer (&template_));
  return TRUE;
}

/* "entry_tasks": [{"kind": "call", "title": "…", "due_business_hours": 8, "template": "…"}] */
static gboolean
parse_entry_task (CpStage    *stage,
                  JsonObject *object,
                  const char *path,
                  GError    **error)
{
  static const char * const allowed[] = { "kind", "title", "due_business_hours", "template", NULL };
  g_autoptr(CpEntryTask) task = cp_entry_task_new ();
  g_autofree char *kind = NULL;
  gint64 hours = 0;

  if (!check_members (object, path, allowed, error) ||
      !read_string (object, path, "kind", TRUE, &kind, error) ||
      !read_string (object, path, "title", TRUE, &task->title, error) ||
      !read_int (object, path, "due_business_hours", FALSE, 0, 24 * 92, &hours, error) ||
      !read_string (object, path, "template", FALSE, &task->template_key, error))
    return FALSE;
  if (!cp_task_kind_from_string (kind, &task->kind))
    {
      g_autofree char *kind_path = member_path (path, "kind");

      return cp_set_path_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID, kind_path,
                                _("unknown kind of task “%s” (call, email, meeting, follow_up, handoff)"),
                                kind);
    }
  task->due_business_hours = hours;
  g_ptr_array_add (stage->entry_tasks, g_steal_pointer (&task));
  return TRUE;
}

static gboolean
parse_stage (CpPlaybook *playbook,
             JsonObject *object,
             const char *path,
             GError    **error)
{
  static const char * const allowed[] = {
    "id", "title", "owner_role", "closed", "entry", "exit", "required_fields", "channels",
    "sla_hours", "rotting_days", "assets", "templates", "handoff_checklist",
    "funnel_position", "entry_tasks", NULL
  };
  g_autoptr(CpStage) stage = cp_stage_new (NULL);
  gint64 sla = 0, rotting = 0, funnel = 0;
  JsonArray *templates, *entry_tasks;
  g_autofree char *templates_path = member_path (path, "templates");
  g_autofree char *entry_tasks_path = member_path (path, "entry_tasks");

  if (!check_members (object, path, allowed, error) ||
      !read_string (object, path, "id", TRUE, &stage->id, error) ||
      !read_string (object, path, "title", FALSE, &stage->title, error) ||
      !read_string (object, path, "owner_role", FALSE, &stage->owner_role, error) ||
      !read_bool (object, path, "closed", &stage->closed, error) ||
      !read_condition (object, path, "entry", FALSE, &stage->entry, error) ||
      !read_condition (object, path, "exit", FALSE, &stage->exit, error) ||
      !read_strv (object, path, "required_fields", &stage->required_fields, error) ||
      !read_strv (object, path, "channels", &stage->channels, error) ||
      !read_int (object, path, "sla_hours", FALSE, 0, 24 * 365, &sla, error) ||
      !read_int (object, path, "rotting_days", FALSE, 0, 3650, &rotting, error) ||
      !read_int (object, path, "funnel_position", FALSE, 0, 1000, &funnel, error) ||
      !read_strv (object, path, "assets", &stage->assets, error) ||
      !read_strv (object, path, "handoff_checklist", &stage->handoff_checklist, error) ||
      !read_array (object, path, "templates", FALSE, &templates, error) ||
      !read_array (object, path, "entry_tasks", FALSE, &entry_tasks, error))
    return FALSE;
  stage->sla_hours = sla;
  stage->rotting_days = rotting;
  stage->funnel_position = funnel;
  for (guint i = 0; templates != NULL && i < json_array_get_length (templates); i++)
    {
      g_autofree char *p = index_path (templates_path, i);
      JsonObject *t = NULL;

      if (!read_object (json_array_get_element (templates, i), p, &t, error) ||
          !parse_template (stage, t, p, error))
        return FALSE;
    }
  for (guint i = 0; entry_tasks != NULL && i < json_array_get_length (entry_tasks); i++)
    {
      g_autofree char *p = index_path (entry_tasks_path, i);
      JsonObject *t = NULL;

      if (!read_object (json_array_get_element (entry_tasks, i), p, &t, error) ||
          !parse_entry_task (stage, t, p, error))
        return FALSE;
    }
  g_ptr_array_add (playbook->stages, g_steal_pointer (&stage));
  return TRUE;
}

static gboolean
parse_score_rule (CpPlaybook *playbook,
                  JsonObject *object,
                  const char *path,
                  GError    **error)
{
  static const char * const allowed[] = {
    "id", "description", "category", "points", "decay", "condition", "stage_points", NULL
  };
  g_autoptr(CpScoreRule) rule = cp_score_rule_new (NULL);
  g_autofree char *category = NULL;
  g_autofree char *category_path = member_path (path, "category");
  gint64 points = 0;
  JsonNode *overrides;

  if (!check_members (object, path, allowed, error) ||
      !read_string (object, path, "id", TRUE, &rule->id, error) ||
      !read_string (object, path, "description", FALSE, &rule->description, error) ||
      !read_string (object, path, "category", TRUE, &category, error))
    return FALSE;
  if (!cp_score_category_from_string (category, &rule->category))
    return fail (error, category_path, _("unknown category \"%s\" (fit, intent or readiness)"),
                 category);
  if (!read_int (object, path, "points", TRUE, -100, 100, &points, error) ||
      !read_bool (object, path, "decay", &rule->decay, error) ||
      !read_condition (object, path, "condition", TRUE, &rule->condition, error))
    return FALSE;
  rule->points = points;

  overrides = json_object_get_member (object, "stage_points");
  if (overrides != NULL && !JSON_NODE_HOLDS_NULL (overrides))
    {
      g_autofree char *p = member_path (path, "stage_points");
      JsonObject *map = NULL;
      g_autoptr(GList) stages = NULL;
      guint i = 0;

      if (!read_object (overrides, p, &map, error))
        return FALSE;
      stages = json_object_get_members (map);
      rule->n_overrides = g_list_length (stages);
      rule->override_stages = g_new0 (char *, rule->n_overrides + 1);
      rule->override_points = g_new0 (int, rule->n_overrides);
      for (GList *l = stages; l != NULL; l = l->next, i++)
        {
          gint64 value = 0;

          rule->override_stages[i] = g_strdup (l->data);
          if (!read_int (map, p, l->data, TRUE, -100, 100, &value, error))
            return FALSE;
          rule->override_points[i] = value;
        }
    }
  g_ptr_array_add (playbook->scoring.rules, g_steal_pointer (&rule));
  return TRUE;
}

static gboolean
parse_scoring (CpPlaybook *playbook,
               JsonObject *root,
               GError    **error)
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
  JsonObject *scoring = NULL, *sub = NULL;
  JsonNode *node;
  gint64 value;

  if (!read_object (json_object_get_member (root, "scoring"), "scoring", &scoring, error) ||
      !check_members (scoring, "scoring", allowed, error))
    return FALSE;

  node = json_object_get_member (scoring, "half_life_days");
  if (node != NULL && !read_number (node, "scoring.half_life_days", &model->half_life_days, error))
    return FALSE;

  if ((node = json_object_get_member (scoring, "caps")) != NULL)
    {
      if (!read_object (node, "scoring.caps", &sub, error) ||
          !check_members (sub, "scoring.caps", cap_members, error))
        return FALSE;
      for (guint c = 0; c < CP_SCORE_N_CATEGORIES; c++)
        {
          value = model->caps[c];
          if (!read_int (sub, "scoring.caps", cap_members[c], FALSE, 0, 100, &value, error))
            return FALSE;
          model->caps[c] = value;
        }
    }
  if ((node = json_object_get_member (scoring, "thresholds")) != NULL)
    {
      if (!read_object (node, "scoring.thresholds", &sub, error) ||
          !check_members (sub, "scoring.thresholds", threshold_members, error))
        return FALSE;
      value = model->nurture_threshold;
      if (!read_int (sub, "scoring.thresholds", "nurture", TRUE, 0, 100, &value, error))
        return FALSE;
      model->nurture_threshold = value;
      value = model->sales_ready_threshold;
      if (!read_int (sub, "scoring.thresholds", "sales_ready", TRUE, 0, 100, &value, error))
        return FALSE;
      model->sales_ready_threshold = value;
    }
  if ((node = json_object_get_member (scoring, "account_boost")) != NULL)
    {
      if (!read_object (node, "scoring.account_boost", &sub, error) ||
          !check_members (sub, "scoring.account_boost", boost_members, error))
        return FALSE;
      value = 1;
      if (!read_int (sub, "scoring.account_boost", "min_contacts", FALSE, 0, 10000, &value, error))
        return FALSE;
      model->account_min_contacts = value;
      value = 0;
      if (!read_int (sub, "scoring.account_boost", "points_per_contact", TRUE, -100, 100, &value, error))
        return FALSE;
      model->account_points_per_contact = value;
      value = 0;
      if (!read_int (sub, "scoring.account_boost", "max_points", FALSE, 0, 100, &value, error))
        return FALSE;
      model->account_max_points = value;
    }

  return parse_list (playbook, scoring, "scoring", "rules", TRUE, parse_score_rule, error);
}

static gboolean
parse_route_rule (CpPlaybook *playbook,
                  JsonObject *object,
                  const char *path,
                  GError    **error)
{
  static const char * const allowed[] = { "id", "description", "condition", "queue", NULL };
  g_autoptr(CpRouteRule) rule = cp_route_rule_new (NULL);

  if (!check_members (object, path, allowed, error) ||
      !read_string (object, path, "id", TRUE, &rule->id, error) ||
      !read_string (object, path, "description", FALSE, &rule->description, error) ||
      !read_condition (object, path, "condition", FALSE, &rule->condition, error) ||
      !read_string (object, path, "queue", TRUE, &rule->queue, error))
    return FALSE;
  g_ptr_array_add (playbook->route_rules, g_steal_pointer (&rule));
  return TRUE;
}

static gboolean
parse_queue (CpPlaybook *playbook,
             JsonObject *object,
             const char *path,
             GError    **error)
{
  static const char * const allowed[] = { "id", "title", "owners", "escalation_owner", NULL };
  g_autoptr(CpQueue) queue = cp_queue_new (NULL);

  if (!check_members (object, path, allowed, error) ||
      !read_string (object, path, "id", TRUE, &queue->id, error) ||
      !read_string (object, path, "title", FALSE, &queue->title, error) ||
      !read_strv (object, path, "owners", &queue->owners, error) ||
      !read_string (object, path, "escalation_owner", FALSE, &queue->escalation_owner, error))
    return FALSE;
  g_ptr_array_add (playbook->queues, g_steal_pointer (&queue));
  return TRUE;
}

static gboolean
parse_routing (CpPlaybook *playbook,
               JsonObject *root,
               GError    **error)
{
  static const char * const allowed[] = { "rules", "queues", "fallback_queue", NULL };
  JsonObject *routing = NULL;

  if (!read_object (json_object_get_member (root, "routing"), "routing", &routing, error) ||
      !check_members (routing, "routing", allowed, error) ||
      !parse_list (playbook, routing, "routing", "queues", TRUE, parse_queue, error) ||
      !parse_list (playbook, routing, "routing", "rules", FALSE, parse_route_rule, error) ||
      !read_string (routing, "routing", "fallback_queue", TRUE, &playbook->fallback_queue, error))
    return FALSE;
  return TRUE;
}

static gboolean
parse_automation (CpPlaybook *playbook,
                  JsonObject *object,
                  const char *path,
                  GError    **error)
{
  static const char * const allowed[] = {
    "id", "description", "on", "activity", "inactive_days", "from_stages", "condition",
    "to_stage", NULL
  };
  g_autoptr(CpAutomationRule) rule = cp_automation_rule_new (NULL);
  g_autofree char *on = NULL;
  g_autofree char *on_path = member_path (path, "on");
  gint64 days = 0;
  JsonNode *kinds;

  if (!check_members (object, path, allowed, error) ||
      !read_string (object, path, "id", TRUE, &rule->id, error) ||
      !read_string (object, path, "description", FALSE, &rule->description, error) ||
      !read_string (object, path, "on", TRUE, &on, error))
    return FALSE;
  if (strcmp (on, "activity") == 0)
    rule->trigger = CP_AUTOMATION_ON_ACTIVITY;
  else if (strcmp (on, "inactivity") == 0)
    rule->trigger = CP_AUTOMATION_ON_INACTIVITY;
  else if (strcmp (on, "change") == 0)
    rule->trigger = CP_AUTOMATION_ON_FIELD;
  else
    return fail (error, on_path, _("unknown trigger \"%s\" (activity, inactivity or change)"), on);

  kinds = json_object_get_member (object, "activity");
  if (kinds != NULL)
    {
      g_autofree char *p = member_path (path, "activity");

      if (!parse_kinds (kinds, p, &rule->kind_mask, error))
        return FALSE;
    }
  if (!read_int (object, path, "inactive_days", rule->trigger == CP_AUTOMATION_ON_INACTIVITY,
                 1, 36500, &days, error) ||
      !read_strv (object, path, "from_stages", &rule->from_stages, error) ||
      !read_condition (object, path, "condition", FALSE, &rule->condition, error) ||
      !read_string (object, path, "to_stage", TRUE, &rule->to_stage, error))
    return FALSE;
  rule->inactive_days = days;
  g_ptr_array_add (playbook->automation, g_steal_pointer (&rule));
  return TRUE;
}

static gboolean
parse_closure_reason (CpPlaybook *playbook,
                      JsonObject *object,
                      const char *path,
                      GError    **error)
{
  static const char * const allowed[] = { "id", "title", "outcome", NULL };
  g_autoptr(CpClosureReason) reason = cp_closure_reason_new (NULL);
  g_autofree char *p = member_path (path, "outcome");

  if (!check_members (object, path, allowed, error) ||
      !read_string (object, path, "id", TRUE, &reason->id, error) ||
      !read_string (object, path, "title", FALSE, &reason->title, error) ||
      !read_string (object, path, "outcome", TRUE, &reason->outcome, error))
    return FALSE;
  if (strcmp (reason->outcome, "won") != 0 && strcmp (reason->outcome, "lost") != 0)
    return fail (error, p, _("expected \"won\" or \"lost\""));
  g_ptr_array_add (playbook->closure_reasons, g_steal_pointer (&reason));
  return TRUE;
}

static gboolean
parse_consent_rule (CpPlaybook *playbook,
                    JsonObject *object,
                    const char *path,
                    GError    **error)
{
  static const char * const allowed[] = { "id", "description", "condition", "blocked_channels", NULL };
  g_autoptr(CpConsentRule) rule = cp_consent_rule_new (NULL);

  if (!check_members (object, path, allowed, error) ||
      !read_string (object, path, "id", TRUE, &rule->id, error) ||
      !read_string (object, path, "description", FALSE, &rule->description, error) ||
      !read_condition (object, path, "condition", TRUE, &rule->condition, error) ||
      !read_strv (object, path, "blocked_channels", &rule->blocked_channels, error))
    return FALSE;
  g_ptr_array_add (playbook->consent_rules, g_steal_pointer (&rule));
  return TRUE;
}

static gboolean
parse_retention_rule (CpPlaybook *playbook,
                      JsonObject *object,
                      const char *path,
                      GError    **error)
{
  static const char * const allowed[] = {
    "id", "description", "stages", "months_inactive", "action", NULL
  };
  g_autoptr(CpRetentionRule) rule = cp_retention_rule_new (NULL);
  g_autofree char *action_path = member_path (path, "action");
  gint64 months = 0;

  if (!check_members (object, path, allowed, error) ||
      !read_string (object, path, "id", TRUE, &rule->id, error) ||
      !read_string (object, path, "description", FALSE, &rule->description, error) ||
      !read_strv (object, path, "stages", &rule->stages, error) ||
      !read_int (object, path, "months_inactive", TRUE, CP_RETENTION_MIN_MONTHS,
                 CP_RETENTION_MAX_MONTHS, &months, error) ||
      !read_string (object, path, "action", TRUE, &rule->action, error))
    return FALSE;
  if (strcmp (rule->action, "erase") != 0)
    return fail (error, action_path, _("expected \"erase\""));
  rule->months_inactive = (guint) months;
  g_ptr_array_add (playbook->retention, g_steal_pointer (&rule));
  return TRUE;
}

static gboolean
parse_time_of_day (JsonObject  *object,
                   const char  *path,
                   const char  *member,
                   int         *out_minute,
                   GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *p = member_path (path, member);
  guint hour, minute;
  char tail;

  if (!read_string (object, path, member, TRUE, &text, error))
    return FALSE;
  if (sscanf (text, "%2u:%2u%c", &hour, &minute, &tail) != 2 || hour > 24 || minute > 59 ||
      (hour == 24 && minute != 0))
    return fail (error, p, _("expected a time such as \"08:30\", not \"%s\""), text);
  *out_minute = hour * 60 + minute;
  return TRUE;
}

static gboolean
parse_business_hours (CpPlaybook *playbook,
                      JsonObject *object,
                      const char *path,
                      GError    **error)
{
  static const char * const allowed[] = {
    "location", "timezone", "days", "open", "close", "holidays", NULL
  };
  g_autoptr(CpBusinessHours) hours = cp_business_hours_new (NULL);
  g_auto(GStrv) days = NULL;
  g_auto(GStrv) holidays = NULL;
  g_autofree char *days_path = member_path (path, "days");
  g_autofree char *holidays_path = member_path (path, "holidays");

  if (!check_members (object, path, allowed, error) ||
      !read_string (object, path, "location", TRUE, &hours->location, error) ||
      !read_string (object, path, "timezone", TRUE, &hours->timezone, error) ||
      !read_strv (object, path, "days", &days, error) ||
      !parse_time_of_day (object, path, "open", &hours->open_minute, error) ||
      !parse_time_of_day (object, path, "close", &hours->close_minute, error) ||
      !read_strv (object, path, "holidays", &holidays, error))
    return FALSE;

  if (days != NULL)
    {
      hours->days = 0;
      for (guint i = 0; days[i] != NULL; i++)
        {
          guint d;

          for (d = 0; d < G_N_ELEMENTS (day_names) && strcmp (day_names[d], days[i]) != 0; d++)
            ;
          if (d == G_N_ELEMENTS (day_names))
            {
              g_autofree char *p = index_path (days_path, i);

              return fail (error, p, _("unknown day \"%s\" (mon, tue, wed, thu, fri, sat, sun)"),
                           days[i]);
            }
          hours->days |= 1u << d;
        }
    }
  for (guint i = 0; holidays != NULL && holidays[i] != NULL; i++)
    {
      guint32 julian;

      if (!cp_parse_iso_date (holidays[i], &julian))
        {
          g_autofree char *p = index_path (holidays_path, i);

          return fail (error, p, _("expected a date such as \"2026-12-25\", not \"%s\""),
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
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("The playbook cannot be read: %s"), local_error->message);
      return NULL;
    }
  marked = cp_json_mark_huge_integers (json, size, &size);
  if (marked != NULL)
    json = marked;

  if (!json_parser_load_from_data (parser, json, (gssize) size, &local_error))
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("The playbook is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  if (!read_object (json_parser_get_root (parser), "(root)", &root, error) ||
      !check_members (root, "", allowed, error) ||
      !read_int (root, "", "format", TRUE, 1, G_MAXINT, &format, error))
    return NULL;
  if (format != CP_PLAYBOOK_FORMAT_VERSION)
    return fail (error, "format", _("version %" G_GINT64_FORMAT " is not supported "
                                     "(this Carepath reads version %d)"),
                 format, CP_PLAYBOOK_FORMAT_VERSION), NULL;

  playbook = cp_playbook_new ();
  if (!read_string (root, "", "name", FALSE, &playbook->name, error) ||
      !read_string (root, "", "description", FALSE, &playbook->description, error) ||
      !parse_list (playbook, root, "", "stages", TRUE, parse_stage, error) ||
      !parse_scoring (playbook, root, error) ||
      !parse_routing (playbook, root, error) ||
      !parse_list (playbook, root, "", "automation", FALSE, parse_automation, error) ||
      !parse_list (playbook, root, "", "closure_reasons", FALSE, parse_closure_reason, error) ||
      !parse_list (playbook, root, "", "consent_rules", FALSE, parse_consent_rule, error) ||
      !parse_list (playbook, root, "", "business_hours", FALSE, parse_business_hours, error) ||
      !read_int (root, "", "escalate_after_hours", FALSE, 0, 24 * 365, &escalate, error) ||
      !parse_list (playbook, root, "", "retention", FALSE, parse_retention_rule, error))
    return NULL;
  playbook->escalate_after_hours = escalate;

  if (!cp_playbook_validate (playbook, &local_error))
    {
      g_set_error_literal (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID, local_error->message);
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

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_OPEN,
                   _("Could not read the playbook “%s”: %s"), path, local_error->message);
      return NULL;
    }
  return cp_playbook_format_parse (contents, length, error);
}

/* ---- writing ---- */

static void
add_strv (JsonBuilder *builder,
          const char  *member,
          char       **strv)
{
  if (strv == NULL)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *member,
         gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

static void
add_kinds (JsonBuilder *builder,
           guint32      mask)
{
  if (mask == 0)
    {
      json_builder_add_string_value (builder, "any");
      return;
    }
  json_builder_begin_array (builder);
  for (guint k = 0; k < CP_ACTIVITY_N_KINDS; k++)
    if (mask & (1u << k))
      json_builder_add_string_value (builder, cp_activity_kind_to_string (k));
  json_builder_end_array (builder);
}

static void
add_condition (JsonBuilder       *builder,
               const CpCondition *condition)
{
  json_builder_begin_object (builder);
  switch (condition->type)
    {
    case CP_CONDITION_ALL:
    case CP_CONDITION_ANY:
      json_builder_set_member_name (builder, condition->type == CP_CONDITION_ALL ? "all" : "any");
      json_builder_begin_array (builder);
      for (guint i = 0; i < condition->n_children; i++)
        add_condition (builder, condition->children[i]);
      json_builder_end_array (builder);
      break;
    case CP_CONDITION_NOT:
      json_builder_set_member_name (builder, "not");
      add_condition (builder, condition->children[0]);
      break;
    case CP_CONDITION_FIELD:
      add_string (builder, "field", cp_condition_field_name (condition));
      add_string (builder, "op", cp_condition_op_to_string (condition->op));
      if (condition->op == CP_OP_EXISTS || condition->op == CP_OP_MISSING)
        break;
      json_builder_set_member_name (builder, "value");
      if (condition->value_is_number)
        {
          if (condition->field < CP_LEAD_N_FIELDS &&
              cp_lead_field_info (condition->field)->type == CP_FIELD_TYPE_BOOL)
            json_builder_add_boolean_value (builder, condition->number != 0);
          else if (condition->number == (double) (gint64) condition->number)
            json_builder_add_int_value (builder, (gint64) condition->number);
          else
            json_builder_add_double_value (builder, condition->number);
        }
      else if (condition->op == CP_OP_IN || condition->op == CP_OP_NOT_IN)
        {
          json_builder_begin_array (builder);
          for (guint i = 0; condition->values[i] != NULL; i++)
            json_builder_add_string_value (builder, condition->values[i]);
          json_builder_end_array (builder);
        }
      else
        json_builder_add_string_value (builder, condition->values[0]);
      break;
    case CP_CONDITION_ACTIVITY:
      json_builder_set_member_name (builder, "activity");
      add_kinds (builder, condition->kind_mask);
      if (condition->min_count != 1)
        add_int (builder, "min_count", condition->min_count);
      if (condition->days != 0)
        add_int (builder, "within_days", condition->days);
      add_string (builder, "detail_contains", condition->detail_contains);
      break;
    case CP_CONDITION_INACTIVE:
      add_int (builder, "inactive_days", condition->days);
      break;
    case CP_CONDITION_ACCOUNT_CONTACTS:
      add_int (builder, "account_contacts_at_least", condition->min_count);
      break;
    default:
      g_assert_not_reached ();
    }
  json_builder_end_object (builder);
}

static void
add_condition_member (JsonBuilder       *builder,
                      const char        *member,
                      const CpCondition *condition)
{
  if (condition == NULL)
    return;
  json_builder_set_member_name (builder, member);
  add_condition (builder, condition);
}

static void
add_stage (JsonBuilder   *builder,
           const CpStage *stage)
{
  json_builder_begin_object (builder);
  add_string (builder, "id", stage->id);
  add_string (builder, "title", stage->title);
  add_string (builder, "owner_role", stage->owner_role);
  if (stage->closed)
    {
      json_builder_set_member_name (builder, "closed");
      json_builder_add_boolean_value (builder, TRUE);
    }
  add_condition_member (builder, "entry", stage->entry);
  add_condition_member (builder, "exit", stage->exit);
  add_strv (builder, "required_fields", stage->required_fields);
  add_strv (builder, "channels", stage->channels);
  add_int (builder, "sla_hours", stage->sla_hours);
  add_int (builder, "rotting_days", stage->rotting_days);
  if (stage->funnel_position > 0)
    add_int (builder, "funnel_position", stage->funnel_position);
  add_strv (builder, "assets", stage->assets);
  json_builder_set_member_name (builder, "templates");
  json_builder_begin_array (builder);
  for (guint i = 0; i < stage->templates->len; i++)
    {
      CpOutreachTemplate *t = g_ptr_array_index (stage->templates, i);

      json_builder_begin_object (builder);
      add_string (builder, "id", t->id);
      add_string (builder, "channel", t->channel);
      add_string (builder, "title", t->title);
      add_string (builder, "body", t->body);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_strv (builder, "handoff_checklist", stage->handoff_checklist);
  if (stage->entry_tasks->len > 0)
    {
      json_builder_set_member_name (builder, "entry_tasks");
      json_builder_begin_array (builder);
      for (guint i = 0; i < stage->entry_tasks->len; i++)
        {
          CpEntryTask *t = g_ptr_array_index (stage->entry_tasks, i);

          json_builder_begin_object (builder);
          add_string (builder, "kind", cp_task_kind_to_string (t->kind));
          add_string (builder, "title", t->title);
          add_int (builder, "due_business_hours", t->due_business_hours);
          add_string (builder, "template", t->template_key);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
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
    add_int (builder, cp_score_category_to_string (c), model->caps[c]);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "thresholds");
  json_builder_begin_object (builder);
  add_int (builder, "nurture", model->nurture_threshold);
  add_int (builder, "sales_ready", model->sales_ready_threshold);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "account_boost");
  json_builder_begin_object (builder);
  add_int (builder, "min_contacts", model->account_min_contacts);
  add_int (builder, "points_per_contact", model->account_points_per_contact);
  add_int (builder, "max_points", model->account_max_points);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "rules");
  json_builder_begin_array (builder);
  for (guint i = 0; i < model->rules->len; i++)
    {
      CpScoreRule *rule = g_ptr_array_index (model->rules, i);

      json_builder_begin_object (builder);
      add_string (builder, "id", rule->id);
      add_string (builder, "description", rule->description);
      add_string (builder, "category", cp_score_category_to_string (rule->category));
      add_int (builder, "points", rule->points);
      if (rule->decay)
        {
          json_builder_set_member_name (builder, "decay");
          json_builder_add_boolean_value (builder, TRUE);
        }
      add_condition_member (builder, "condition", rule->condition);
      if (rule->n_overrides > 0)
        {
          json_builder_set_member_name (builder, "stage_points");
          json_builder_begin_object (builder);
          for (guint o = 0; o < rule->n_overrides; o++)
            add_int (builder, rule->override_stages[o], rule->override_points[o]);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
add_routing (JsonBuilder *builder,
             CpPlaybook  *playbook)
{
  json_builder_set_member_name (builder, "routing");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rules");
  json_builder_begin_array (builder);
  for (guint i = 0; i < playbook->route_rules->len; i++)
    {
      CpRouteRule *rule = g_ptr_array_index (playbook->route_rules, i);

      json_builder_begin_object (builder);
      add_string (builder, "id", rule->id);
      add_string (builder, "description", rule->description);
      add_condition_member (builder, "condition", rule->condition);
      add_string (builder, "queue", rule->queue);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "queues");
  json_builder_begin_array (builder);
  for (guint i = 0; i < playbook->queues->len; i++)
    {
      CpQueue *queue = g_ptr_array_index (playbook->queues, i);

      json_builder_begin_object (builder);
      add_string (builder, "id", queue->id);
      add_string (builder, "title", queue->title);
      add_strv (builder, "owners", queue->owners);
      add_string (builder, "escalation_owner", queue->escalation_owner);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_string (builder, "fallback_queue", playbook->fallback_queue);
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
      add_string (builder, "id", rule->id);
      add_string (builder, "description", rule->description);
      add_string (builder, "on", triggers[rule->trigger]);
      if (rule->trigger == CP_AUTOMATION_ON_ACTIVITY)
        {
          json_builder_set_member_name (builder, "activity");
          add_kinds (builder, rule->kind_mask);
        }
      if (rule->trigger == CP_AUTOMATION_ON_INACTIVITY)
        add_int (builder, "inactive_days", rule->inactive_days);
      add_strv (builder, "from_stages", rule->from_stages);
      add_condition_member (builder, "condition", rule->condition);
      add_string (builder, "to_stage", rule->to_stage);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_business_hours (JsonBuilder *builder,
                    CpPlaybook  *playbook)
{
  json_builder_set_member_name (builder, "business_hours");
  json_builder_begin_array (builder);
  for (guint i = 0; i < playbook->business_hours->len; i++)
    {
      CpBusinessHours *hours = g_ptr_array_index (playbook->business_hours, i);
      g_autofree char *open = g_strdup_printf ("%02d:%02d", hours->open_minute / 60,
                                               hours->open_minute % 60);
      g_autofree char *close = g_strdup_printf ("%02d:%02d", hours->close_minute / 60,
                                                hours->close_minute % 60);

      json_builder_begin_object (builder);
      add_string (builder, "location", hours->location);
      add_string (builder, "timezone", hours->timezone);
      json_builder_set_member_name (builder, "days");
      json_builder_begin_array (builder);
      for (guint d = 0; d < G_N_ELEMENTS (day_names); d++)
        if (hours->days & (1u << d))
          json_builder_add_string_value (builder, day_names[d]);
      json_builder_end_array (builder);
      add_string (builder, "open", open);
      add_string (builder, "close", close);
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
  json_builder_end_array (builder);
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
  add_int (builder, "format", CP_PLAYBOOK_FORMAT_VERSION);
  add_string (builder, "name", playbook->name);
  add_string (builder, "description", playbook->description);
  json_builder_set_member_name (builder, "stages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < playbook->stages->len; i++)
    add_stage (builder, g_ptr_array_index (playbook->stages, i));
  json_builder_end_array (builder);
  add_scoring (builder, &playbook->scoring);
  add_routing (builder, playbook);
  add_automation (builder, playbook);

  json_builder_set_member_name (builder, "closure_reasons");
  json_builder_begin_array (builder);
  for (guint i = 0; i < playbook->closure_reasons->len; i++)
    {
      CpClosureReason *reason = g_ptr_array_index (playbook->closure_reasons, i);

      json_builder_begin_object (builder);
      add_string (builder, "id", reason->id);
      add_string (builder, "title", reason->title);
      add_string (builder, "outcome", reason->outcome);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "consent_rules");
  json_builder_begin_array (builder);
  for (guint i = 0; i < playbook->consent_rules->len; i++)
    {
      CpConsentRule *rule = g_ptr_array_index (playbook->consent_rules, i);

      json_builder_begin_object (builder);
      add_string (builder, "id", rule->id);
      add_string (builder, "description", rule->description);
      add_condition_member (builder, "condition", rule->condition);
      add_strv (builder, "blocked_channels", rule->blocked_channels);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  add_business_hours (builder, playbook);
  add_int (builder, "escalate_after_hours", playbook->escalate_after_hours);

  /* Opt-in: a playbook without rules reads back the same without the member. */
  if (playbook->retention->len > 0)
    {
      json_builder_set_member_name (builder, "retention");
      json_builder_begin_array (builder);
      for (guint i = 0; i < playbook->retention->len; i++)
        {
          CpRetentionRule *rule = g_ptr_array_index (playbook->retention, i);

          json_builder_begin_object (builder);
          add_string (builder, "id", rule->id);
          add_string (builder, "description", rule->description);
          add_strv (builder, "stages", rule->stages);
          add_int (builder, "months_inactive", rule->months_inactive);
          add_string (builder, "action", rule->action);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
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
   * queues of people, and may name patients in a condition). */
  if (!cp_private_file_replace (file, json, strlen (json), &local_error))
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_OPEN,
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
