/* cp-playbook-format-condition.c — the JSON form of a condition: read with exact errors,
 * written back
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-playbook-format"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-playbook-format-private.h"

/* ---- reading ---- */

static CpCondition *parse_condition (JsonNode *node, const char *path, GError **error);

gboolean
_cp_playbook_format_parse_kinds (JsonNode    *node,
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
  else if (!cp_json_read_strv_node (node, path, &kinds, error))
    return FALSE;

  for (guint i = 0; kinds[i] != NULL; i++)
    {
      CpActivityKind kind;

      if (!cp_activity_kind_from_string (kinds[i], &kind))
        return cp_json_path_error (error, path, _("unknown activity kind \"%s\""), kinds[i]);
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
  g_autofree char *p = cp_json_member_path (path, member);
  g_autoptr(GPtrArray) children = NULL;
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array;
  CpCondition *group;

  children = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_condition_free);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return cp_json_path_error (error, p, _("expected a list of conditions")), NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *child_path = cp_json_index_path (p, i);
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
  g_autofree char *op_path = cp_json_member_path (path, "op");
  g_autofree char *value_path = cp_json_member_path (path, "value");
  g_autoptr(GError) local_error = NULL;
  JsonNode *value;
  CpConditionOp op;
  CpCondition *condition;

  if (!cp_json_check_members (object, path, allowed, error) ||
      !cp_json_read_string (object, path, "field", TRUE, &field, error) ||
      !cp_json_read_string (object, path, "op", TRUE, &op_text, error))
    return NULL;
  if (!cp_condition_op_from_string (op_text, &op))
    return cp_json_path_error (error, op_path, _("unknown operator \"%s\""), op_text), NULL;

  value = json_object_get_member (object, "value");
  if (op == CP_OP_EXISTS || op == CP_OP_MISSING)
    {
      if (value != NULL)
        return cp_json_path_error (error, value_path, _("operator \"%s\" takes no value"),
                                   op_text), NULL;
      condition = cp_condition_new_field (field, op, NULL, &local_error);
    }
  else if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return cp_json_path_error (error, value_path, _("is required")), NULL;
  else if (JSON_NODE_HOLDS_ARRAY (value))
    {
      g_auto(GStrv) values = NULL;

      if (op != CP_OP_IN && op != CP_OP_NOT_IN)
        return cp_json_path_error (error, value_path,
                                   _("operator \"%s\" takes one value, not a list"), op_text), NULL;
      if (!cp_json_read_strv_node (value, value_path, &values, error))
        return NULL;
      if (values[0] == NULL)
        return cp_json_path_error (error, value_path, _("the list is empty")), NULL;
      condition = cp_condition_new_field (field, op, (const char * const *) values, &local_error);
    }
  else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    {
      const char *values[] = { json_node_get_string (value), NULL };

      if (op == CP_OP_IN || op == CP_OP_NOT_IN)
        return cp_json_path_error (error, value_path, _("operator \"%s\" needs a list of values"),
                                   op_text), NULL;
      condition = cp_condition_new_field (field, op, values, &local_error);
    }
  else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
    {
      CpLeadField f;

      if (!cp_lead_field_from_name (field, &f) ||
          cp_lead_field_info (f)->type != CP_FIELD_TYPE_BOOL)
        return cp_json_path_error (error, value_path,
                                   _("true/false only compares with a yes/no field")), NULL;
      if (op != CP_OP_EQ && op != CP_OP_NE)
        return cp_json_path_error (error, op_path,
                                   _("a yes/no field only takes \"eq\" or \"ne\"")), NULL;
      condition = cp_condition_new_field_number (field, op, json_node_get_boolean (value) ? 1 : 0,
                                                 &local_error);
    }
  else
    {
      double number = 0;

      if (!cp_json_read_number (value, value_path, &number, error))
        return NULL;
      condition = cp_condition_new_field_number (field, op, number, &local_error);
    }

  if (condition == NULL)
    {
      const char *where = local_error->code == CP_CORE_ERROR_UNKNOWN_FIELD ? "field" : "value";
      g_autofree char *p = cp_json_member_path (path, where);

      return cp_json_path_error (error, p, "%s", local_error->message), NULL;
    }
  return condition;
}

static CpCondition *
parse_condition (JsonNode    *node,
                 const char  *path,
                 GError     **error)
{
  JsonObject *object = NULL;

  if (!cp_json_read_object (node, path, &object, error))
    return NULL;

  if (json_object_has_member (object, "all") || json_object_has_member (object, "any"))
    {
      const char *member = json_object_has_member (object, "all") ? "all" : "any";
      const char *allowed[] = { member, NULL };

      if (!cp_json_check_members (object, path, allowed, error))
        return NULL;
      return parse_group (object, path, member,
                          *member == 'a' && member[1] == 'l' ? CP_CONDITION_ALL : CP_CONDITION_ANY,
                          error);
    }
  if (json_object_has_member (object, "not"))
    {
      static const char * const allowed[] = { "not", NULL };
      g_autofree char *p = cp_json_member_path (path, "not");
      CpCondition *child;

      if (!cp_json_check_members (object, path, allowed, error))
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
      g_autofree char *kinds_path = cp_json_member_path (path, "activity");
      g_autofree char *detail = NULL;
      gint64 min_count = 1, days = 0;
      guint32 mask;

      if (!cp_json_check_members (object, path, allowed, error) ||
          !_cp_playbook_format_parse_kinds (json_object_get_member (object, "activity"), kinds_path,
                                            &mask, error) ||
          !cp_json_read_int (object, path, "min_count", FALSE, 1, 10000, &min_count, error) ||
          !cp_json_read_int (object, path, "within_days", FALSE, 0, 36500, &days, error) ||
          !cp_json_read_string (object, path, "detail_contains", FALSE, &detail, error))
        return NULL;
      return cp_condition_new_activity (mask, min_count, days, detail);
    }
  if (json_object_has_member (object, "inactive_days"))
    {
      static const char * const allowed[] = { "inactive_days", NULL };
      gint64 days = 0;

      if (!cp_json_check_members (object, path, allowed, error) ||
          !cp_json_read_int (object, path, "inactive_days", TRUE, 0, 36500, &days, error))
        return NULL;
      return cp_condition_new_inactive (days);
    }
  if (json_object_has_member (object, "account_contacts_at_least"))
    {
      static const char * const allowed[] = { "account_contacts_at_least", NULL };
      gint64 n = 0;

      if (!cp_json_check_members (object, path, allowed, error) ||
          !cp_json_read_int (object, path, "account_contacts_at_least", TRUE, 0, 100000, &n, error))
        return NULL;
      return cp_condition_new_account_contacts (n);
    }

  return cp_json_path_error (error, path,
                             _("a condition needs one of \"all\", \"any\", \"not\", \"field\", "
                               "\"activity\", \"inactive_days\", \"account_contacts_at_least\"")),
         NULL;
}

gboolean
_cp_playbook_format_read_condition (JsonObject   *object,
                                    const char   *path,
                                    const char   *member,
                                    gboolean      required,
                                    CpCondition **out,
                                    GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *p = cp_json_member_path (path, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? cp_json_path_error (error, p, _("is required")) : TRUE;
  *out = parse_condition (node, p, error);
  return *out != NULL;
}

/* ---- sections ---- */

/* ---- writing ---- */

void
_cp_playbook_format_add_kinds (JsonBuilder *builder,
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
add_condition_value (JsonBuilder       *builder,
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
        add_condition_value (builder, condition->children[i]);
      json_builder_end_array (builder);
      break;
    case CP_CONDITION_NOT:
      json_builder_set_member_name (builder, "not");
      add_condition_value (builder, condition->children[0]);
      break;
    case CP_CONDITION_FIELD:
      cp_json_add_string (builder, "field", cp_condition_field_name (condition));
      cp_json_add_string (builder, "op", cp_condition_op_to_string (condition->op));
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
      _cp_playbook_format_add_kinds (builder, condition->kind_mask);
      if (condition->min_count != 1)
        cp_json_add_int (builder, "min_count", condition->min_count);
      if (condition->days != 0)
        cp_json_add_int (builder, "within_days", condition->days);
      cp_json_add_string (builder, "detail_contains", condition->detail_contains);
      break;
    case CP_CONDITION_INACTIVE:
      cp_json_add_int (builder, "inactive_days", condition->days);
      break;
    case CP_CONDITION_ACCOUNT_CONTACTS:
      cp_json_add_int (builder, "account_contacts_at_least", condition->min_count);
      break;
    default:
      g_assert_not_reached ();
    }
  json_builder_end_object (builder);
}

void
_cp_playbook_format_add_condition (JsonBuilder       *builder,
                                   const char        *member,
                                   const CpCondition *condition)
{
  if (condition == NULL)
    return;
  json_builder_set_member_name (builder, member);
  add_condition_value (builder, condition);
}

