/* cp-condition.c — playbook conditions: build, copy, free
 * (evaluating: cp-condition-evaluate.c; in words: cp-condition-render.c)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-condition"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-condition.h"
#include "cp-core-error.h"

static const char * const op_names[CP_N_OPS] = {
  "eq", "ne", "in", "not_in", "contains", "exists", "missing",
  "gt", "gte", "lt", "lte", "within_days", "older_than_days",
};

const char *
cp_condition_op_to_string (CpConditionOp op)
{
  g_return_val_if_fail ((guint) op < CP_N_OPS, NULL);

  return op_names[op];
}

gboolean
cp_condition_op_from_string (const char    *text,
                             CpConditionOp *out_op)
{
  g_return_val_if_fail (text != NULL, FALSE);

  for (guint i = 0; i < CP_N_OPS; i++)
    if (strcmp (op_names[i], text) == 0)
      {
        if (out_op != NULL)
          *out_op = i;
        return TRUE;
      }

  return FALSE;
}

/**
 * cp_lead_record_init:
 * @record: the record to fill
 * @lead: a #CpLead that must outlive @record
 *
 * Fills @record with borrowed pointers into @lead; allocates nothing.
 */
void
cp_lead_record_init (CpLeadRecord *record,
                     CpLead       *lead)
{
  g_return_if_fail (record != NULL);
  g_return_if_fail (CP_IS_LEAD (lead));

  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    {
      CpFieldType type = cp_lead_field_info (i)->type;

      if (type == CP_FIELD_TYPE_TEXT || type == CP_FIELD_TYPE_CHOICE)
        {
          record->text[i] = cp_lead_get_text (lead, i);
          record->number[i] = 0;
        }
      else
        {
          record->text[i] = NULL;
          record->number[i] = cp_lead_get_int (lead, i);
        }
    }
  record->custom = cp_lead_get_custom_fields (lead);
}

/**
 * cp_activity_records_new:
 * @activities: (element-type CpActivity): activities that must outlive the result
 *
 * Returns: (transfer full) (element-type CpActivityRecord): borrowed views
 */
GArray *
cp_activity_records_new (GPtrArray *activities)
{
  GArray *records = g_array_new (FALSE, TRUE, sizeof (CpActivityRecord));

  for (guint i = 0; activities != NULL && i < activities->len; i++)
    {
      CpActivity *activity = g_ptr_array_index (activities, i);
      CpActivityRecord record = {
        cp_activity_get_kind (activity),
        cp_activity_get_occurred_at (activity),
        cp_activity_get_detail (activity),
        g_strcmp0 (cp_activity_get_direction (activity), "inbound") == 0,
      };

      g_array_append_val (records, record);
    }

  return records;
}

static CpCondition *
condition_alloc (CpConditionType type)
{
  CpCondition *condition = g_new0 (CpCondition, 1);

  condition->type = type;
  condition->field = CP_LEAD_N_FIELDS;
  return condition;
}

CpCondition *
cp_condition_new_group (CpConditionType   type,
                        CpCondition     **children,
                        guint             n_children)
{
  CpCondition *condition;

  g_return_val_if_fail (type == CP_CONDITION_ALL || type == CP_CONDITION_ANY, NULL);

  condition = condition_alloc (type);
  condition->children = g_new0 (CpCondition *, n_children + 1);
  for (guint i = 0; i < n_children; i++)
    condition->children[i] = children[i];
  condition->n_children = n_children;
  return condition;
}

CpCondition *
cp_condition_new_not (CpCondition *child)
{
  CpCondition *condition;

  g_return_val_if_fail (child != NULL, NULL);

  condition = condition_alloc (CP_CONDITION_NOT);
  condition->children = g_new0 (CpCondition *, 2);
  condition->children[0] = child;
  condition->n_children = 1;
  return condition;
}

static gboolean
op_is_numeric (CpConditionOp op)
{
  return op == CP_OP_GT || op == CP_OP_GTE || op == CP_OP_LT || op == CP_OP_LTE ||
         op == CP_OP_WITHIN_DAYS || op == CP_OP_OLDER_THAN_DAYS;
}

/* Resolves @name to a canonical field or "custom.KEY". */
static gboolean
resolve_field (CpCondition  *condition,
               const char   *name,
               GError      **error)
{
  if (g_str_has_prefix (name, "custom.") && name[7] != '\0')
    {
      condition->field = CP_LEAD_N_FIELDS;
      condition->custom_key = g_strdup (name + 7);
      return TRUE;
    }
  if (!cp_lead_field_from_name (name, &condition->field))
    {
      g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_UNKNOWN_FIELD,
                   _("unknown field “%s”"), name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
field_is_text (CpLeadField field)
{
  CpFieldType type;

  if (field == CP_LEAD_N_FIELDS)
    return TRUE;
  type = cp_lead_field_info (field)->type;
  return type == CP_FIELD_TYPE_TEXT || type == CP_FIELD_TYPE_CHOICE;
}

/**
 * cp_condition_new_field:
 * @field: a canonical field id or "custom.KEY"
 * @op: a text operator (eq, ne, in, not_in, contains) or exists / missing
 * @values: (nullable): the operands
 * @error: return location for a #GError naming the problem (without a path)
 *
 * Returns: (transfer full) (nullable): the condition
 */
CpCondition *
cp_condition_new_field (const char          *field,
                        CpConditionOp        op,
                        const char * const  *values,
                        GError             **error)
{
  g_autoptr(CpCondition) condition = condition_alloc (CP_CONDITION_FIELD);
  guint n_values = values != NULL ? g_strv_length ((char **) values) : 0;
  const CpFieldInfo *info;

  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail ((guint) op < CP_N_OPS, NULL);

  if (!resolve_field (condition, field, error))
    return NULL;
  condition->op = op;
  info = condition->field < CP_LEAD_N_FIELDS ? cp_lead_field_info (condition->field) : NULL;

  if (op == CP_OP_EXISTS || op == CP_OP_MISSING)
    return g_steal_pointer (&condition);

  if (op_is_numeric (op))
    {
      g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                   _("operator “%s” needs a number, not text"), op_names[op]);
      return NULL;
    }
  if (!field_is_text (condition->field))
    {
      g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                   _("“%s” is a number, date or yes/no field: compare it with a number or "
                     "true/false, not text"), field);
      return NULL;
    }
  if (n_values == 0)
    {
      g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_REQUIRED,
                   _("operator “%s” needs a value"), op_names[op]);
      return NULL;
    }
  if ((op == CP_OP_EQ || op == CP_OP_NE || op == CP_OP_CONTAINS) && n_values != 1)
    {
      g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                   _("operator “%s” takes one value, not a list (use “in” or “not_in”)"),
                   op_names[op]);
      return NULL;
    }
  if (info != NULL && info->choices != NULL && op != CP_OP_CONTAINS)
    {
      for (guint i = 0; i < n_values; i++)
        if (!g_strv_contains (info->choices, values[i]))
          {
            g_autofree char *choices = g_strjoinv (", ", (char **) info->choices);

            g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                         _("“%s” is not a value of %s (one of: %s)"),
                         values[i], info->name, choices);
            return NULL;
          }
    }

  condition->values = g_strdupv ((char **) values);
  condition->folded = g_new0 (char *, n_values + 1);
  for (guint i = 0; i < n_values; i++)
    condition->folded[i] = g_ascii_strdown (values[i], -1);

  return g_steal_pointer (&condition);
}

/**
 * cp_condition_new_field_number:
 * @field: a canonical field id or "custom.KEY"
 * @op: eq, ne, gt, gte, lt, lte (number, yes/no fields) or within_days,
 *   older_than_days (date fields)
 * @number: the operand (for yes/no fields 1 or 0; for days a count of days)
 * @error: return location for a #GError naming the problem (without a path)
 *
 * Returns: (transfer full) (nullable): the condition
 */
CpCondition *
cp_condition_new_field_number (const char     *field,
                               CpConditionOp   op,
                               double          number,
                               GError        **error)
{
  g_autoptr(CpCondition) condition = condition_alloc (CP_CONDITION_FIELD);
  CpFieldType type;

  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail ((guint) op < CP_N_OPS, NULL);

  if (!resolve_field (condition, field, error))
    return NULL;
  condition->op = op;
  condition->number = number;
  condition->value_is_number = TRUE;

  if (op == CP_OP_IN || op == CP_OP_NOT_IN || op == CP_OP_CONTAINS)
    {
      g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                   _("operator “%s” needs text, not a number"), op_names[op]);
      return NULL;
    }
  if (op == CP_OP_EXISTS || op == CP_OP_MISSING)
    return g_steal_pointer (&condition);
  if (condition->field == CP_LEAD_N_FIELDS)
    return g_steal_pointer (&condition);   /* custom: parsed when evaluated */

  type = cp_lead_field_info (condition->field)->type;
  if (type == CP_FIELD_TYPE_TEXT || type == CP_FIELD_TYPE_CHOICE)
    {
      g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                   _("“%s” is a text field: compare it with text, not a number"), field);
      return NULL;
    }
  if ((op == CP_OP_WITHIN_DAYS || op == CP_OP_OLDER_THAN_DAYS) && type != CP_FIELD_TYPE_DATETIME)
    {
      g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                   _("operator “%s” needs a date field, and “%s” is not one"),
                   op_names[op], field);
      return NULL;
    }
  if ((op == CP_OP_WITHIN_DAYS || op == CP_OP_OLDER_THAN_DAYS) && number < 0)
    {
      g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                   _("a number of days cannot be negative"));
      return NULL;
    }

  return g_steal_pointer (&condition);
}

CpCondition *
cp_condition_new_activity (guint32     kind_mask,
                           guint       min_count,
                           guint       days,
                           const char *detail_contains)
{
  CpCondition *condition = condition_alloc (CP_CONDITION_ACTIVITY);

  condition->kind_mask = kind_mask;
  condition->min_count = MAX (min_count, 1);
  condition->days = days;
  condition->detail_contains = detail_contains != NULL && *detail_contains != '\0'
                               ? g_ascii_strdown (detail_contains, -1) : NULL;
  return condition;
}

CpCondition *
cp_condition_new_inactive (guint days)
{
  CpCondition *condition = condition_alloc (CP_CONDITION_INACTIVE);

  condition->days = days;
  return condition;
}

CpCondition *
cp_condition_new_account_contacts (guint min_count)
{
  CpCondition *condition = condition_alloc (CP_CONDITION_ACCOUNT_CONTACTS);

  condition->min_count = min_count;
  return condition;
}

CpCondition *
cp_condition_copy (const CpCondition *condition)
{
  CpCondition *copy;

  if (condition == NULL)
    return NULL;

  copy = g_memdup2 (condition, sizeof *condition);
  copy->custom_key = g_strdup (condition->custom_key);
  copy->values = g_strdupv (condition->values);
  copy->folded = g_strdupv (condition->folded);
  copy->detail_contains = g_strdup (condition->detail_contains);
  if (condition->children != NULL)
    {
      copy->children = g_new0 (CpCondition *, condition->n_children + 1);
      for (guint i = 0; i < condition->n_children; i++)
        copy->children[i] = cp_condition_copy (condition->children[i]);
    }
  return copy;
}

void
cp_condition_free (CpCondition *condition)
{
  if (condition == NULL)
    return;

  for (guint i = 0; i < condition->n_children; i++)
    cp_condition_free (condition->children[i]);
  g_free (condition->children);
  g_free (condition->custom_key);
  g_strfreev (condition->values);
  g_strfreev (condition->folded);
  g_free (condition->detail_contains);
  g_free (condition);
}

/**
 * cp_condition_field_name:
 *
 * Returns: the field id as written in a playbook ("service_line", "custom.KEY")
 *   of a field condition; valid until the next call for a custom field
 */
const char *
cp_condition_field_name (const CpCondition *condition)
{
  static char buffer[256];

  g_return_val_if_fail (condition != NULL, NULL);

  if (condition->field < CP_LEAD_N_FIELDS)
    return cp_lead_field_info (condition->field)->name;
  g_snprintf (buffer, sizeof buffer, "custom.%s",
              condition->custom_key ? condition->custom_key : "");
  return buffer;
}
