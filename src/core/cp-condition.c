/* cp-condition.c — playbook conditions: build, evaluate, render in words
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-condition"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-condition.h"
#include "cp-core-error.h"

#define SECONDS_PER_DAY 86400.0

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
  g_snprintf (buffer, sizeof buffer, "custom.%s", condition->custom_key ? condition->custom_key : "");
  return buffer;
}

/* ---- evaluation: no allocation on any path ---- */

static gboolean
text_equal (const char *text,
            const char *folded)
{
  return g_ascii_strcasecmp (text, folded) == 0;
}

static gboolean
parse_number (const char *text,
              double     *out)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  *out = g_ascii_strtod (text, &end);
  while (end != NULL && g_ascii_isspace (*end))
    end++;
  return end != NULL && end != text && *end == '\0';
}

static gboolean
compare_number (CpConditionOp op,
                double        value,
                double        operand)
{
  switch (op)
    {
    case CP_OP_EQ: return value == operand;
    case CP_OP_NE: return value != operand;
    case CP_OP_GT: return value > operand;
    case CP_OP_GTE: return value >= operand;
    case CP_OP_LT: return value < operand;
    case CP_OP_LTE: return value <= operand;
    default: return FALSE;
    }
}

static gboolean
evaluate_time (CpConditionOp  op,
               gint64         when,
               double         days,
               gint64         now)
{
  double cutoff = (double) now - days * SECONDS_PER_DAY;

  if (when == 0)
    return FALSE;
  if (op == CP_OP_WITHIN_DAYS)
    return (double) when >= cutoff;
  return (double) when < cutoff;
}

static gboolean
evaluate_text (const CpCondition *condition,
               const char        *text)
{
  switch (condition->op)
    {
    case CP_OP_EXISTS:
      return text != NULL;
    case CP_OP_MISSING:
      return text == NULL;
    case CP_OP_EQ:
    case CP_OP_IN:
      if (text == NULL)
        return FALSE;
      for (char **v = condition->folded; v != NULL && *v != NULL; v++)
        if (text_equal (text, *v))
          return TRUE;
      return FALSE;
    case CP_OP_NE:
    case CP_OP_NOT_IN:
      if (text == NULL)
        return TRUE;
      for (char **v = condition->folded; v != NULL && *v != NULL; v++)
        if (text_equal (text, *v))
          return FALSE;
      return TRUE;
    case CP_OP_CONTAINS:
      return text != NULL && condition->folded != NULL && strcasestr (text, condition->folded[0]) != NULL;
    default:
      return FALSE;
    }
}

static gboolean
evaluate_field (const CpCondition *condition,
                CpConditionInput  *input)
{
  const CpLeadRecord *lead = input->lead;
  CpFieldType type;
  gint64 value;

  if (condition->field == CP_LEAD_N_FIELDS)
    {
      const char *text = lead->custom != NULL
                         ? g_hash_table_lookup (lead->custom, condition->custom_key) : NULL;
      double number;

      if (!condition->value_is_number || condition->op == CP_OP_EXISTS ||
          condition->op == CP_OP_MISSING)
        return evaluate_text (condition, text);
      /* A custom value that is not a number never satisfies a comparison. */
      if (!parse_number (text, &number))
        return condition->op == CP_OP_NE && text == NULL;
      if (condition->op == CP_OP_WITHIN_DAYS || condition->op == CP_OP_OLDER_THAN_DAYS)
        return evaluate_time (condition->op, (gint64) number, condition->number, input->now);
      return compare_number (condition->op, number, condition->number);
    }

  type = cp_lead_field_info (condition->field)->type;
  if (type == CP_FIELD_TYPE_TEXT || type == CP_FIELD_TYPE_CHOICE)
    return evaluate_text (condition, lead->text[condition->field]);

  value = lead->number[condition->field];
  switch (condition->op)
    {
    case CP_OP_EXISTS:
      return type != CP_FIELD_TYPE_DATETIME || value != 0;
    case CP_OP_MISSING:
      return type == CP_FIELD_TYPE_DATETIME && value == 0;
    case CP_OP_WITHIN_DAYS:
    case CP_OP_OLDER_THAN_DAYS:
      return evaluate_time (condition->op, value, condition->number, input->now);
    default:
      if (type == CP_FIELD_TYPE_DATETIME && value == 0)
        return condition->op == CP_OP_NE;
      if (type == CP_FIELD_TYPE_BOOL)
        value = value != 0;
      return compare_number (condition->op, (double) value, condition->number);
    }
}

static gboolean
evaluate_activity (const CpCondition *condition,
                   CpConditionInput  *input)
{
  double cutoff = condition->days > 0
                  ? (double) input->now - condition->days * SECONDS_PER_DAY : -1e300;
  gint64 newest = 0;
  guint count = 0;

  for (guint i = 0; i < input->n_activities; i++)
    {
      const CpActivityRecord *activity = &input->activities[i];

      if (condition->kind_mask != 0 && (condition->kind_mask & (1u << activity->kind)) == 0)
        continue;
      if ((double) activity->occurred_at < cutoff || activity->occurred_at > input->now)
        continue;
      if (condition->detail_contains != NULL &&
          (activity->detail == NULL || strcasestr (activity->detail, condition->detail_contains) == NULL))
        continue;
      count++;
      newest = MAX (newest, activity->occurred_at);
    }

  if (count < condition->min_count)
    return FALSE;
  input->matched_activity_at = MAX (input->matched_activity_at, newest);
  return TRUE;
}

static gboolean
evaluate_inactive (const CpCondition *condition,
                   CpConditionInput  *input)
{
  gint64 latest = 0;

  for (guint i = 0; i < input->n_activities; i++)
    latest = MAX (latest, input->activities[i].occurred_at);
  if (latest == 0)
    latest = input->lead->number[CP_LEAD_FIELD_LAST_ACTIVITY_AT];
  if (latest == 0)
    latest = input->lead->number[CP_LEAD_FIELD_CREATED_AT];
  if (latest == 0)
    return TRUE;
  return (double) latest < (double) input->now - condition->days * SECONDS_PER_DAY;
}

/**
 * cp_condition_evaluate:
 * @condition: a condition
 * @input: the lead, its activities and the time; `matched_activity_at` is updated
 *
 * Allocates nothing: this runs a million times per rescore.
 *
 * Returns: whether @condition holds
 */
gboolean
cp_condition_evaluate (const CpCondition *condition,
                       CpConditionInput  *input)
{
  switch (condition->type)
    {
    case CP_CONDITION_ALL:
      for (guint i = 0; i < condition->n_children; i++)
        if (!cp_condition_evaluate (condition->children[i], input))
          return FALSE;
      return TRUE;
    case CP_CONDITION_ANY:
      for (guint i = 0; i < condition->n_children; i++)
        if (cp_condition_evaluate (condition->children[i], input))
          return TRUE;
      return FALSE;
    case CP_CONDITION_NOT:
      {
        gint64 saved = input->matched_activity_at;
        gboolean result = !cp_condition_evaluate (condition->children[0], input);

        input->matched_activity_at = saved;
        return result;
      }
    case CP_CONDITION_FIELD:
      return evaluate_field (condition, input);
    case CP_CONDITION_ACTIVITY:
      return input->history_unknown || evaluate_activity (condition, input);
    case CP_CONDITION_INACTIVE:
      return input->history_unknown || evaluate_inactive (condition, input);
    case CP_CONDITION_ACCOUNT_CONTACTS:
      return input->history_unknown ||
             input->account_engaged_contacts >= condition->min_count;
    default:
      g_assert_not_reached ();
    }
}

gboolean
cp_condition_uses_custom_fields (const CpCondition *condition)
{
  if (condition == NULL)
    return FALSE;
  if (condition->type == CP_CONDITION_FIELD && condition->field == CP_LEAD_N_FIELDS)
    return TRUE;
  for (guint i = 0; i < condition->n_children; i++)
    if (cp_condition_uses_custom_fields (condition->children[i]))
      return TRUE;
  return FALSE;
}

gboolean
cp_condition_uses_activity_detail (const CpCondition *condition)
{
  if (condition == NULL)
    return FALSE;
  if (condition->type == CP_CONDITION_ACTIVITY && condition->detail_contains != NULL)
    return TRUE;
  for (guint i = 0; i < condition->n_children; i++)
    if (cp_condition_uses_activity_detail (condition->children[i]))
      return TRUE;
  return FALSE;
}

/**
 * cp_condition_max_account_contacts:
 *
 * Returns: the largest number of engaged contacts of the account that
 *   @condition asks for anywhere in it; 0 when it asks for none
 */
guint
cp_condition_max_account_contacts (const CpCondition *condition)
{
  guint most = 0;

  if (condition == NULL)
    return 0;
  if (condition->type == CP_CONDITION_ACCOUNT_CONTACTS)
    most = condition->min_count;
  for (guint i = 0; i < condition->n_children; i++)
    most = MAX (most, cp_condition_max_account_contacts (condition->children[i]));
  return most;
}

/* ---- rendering in words ---- */

/**
 * cp_humanize_id:
 * @id: a value such as "behavioral_health" or "Riverside"
 *
 * Returns: (transfer full): "Behavioral health"; values that are not
 *   snake_case ids are returned as they are
 */
char *
cp_humanize_id (const char *id)
{
  char *text;

  g_return_val_if_fail (id != NULL, NULL);

  for (const char *p = id; *p != '\0'; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_'))
      return g_strdup (id);

  text = g_strdup (id);
  g_strdelimit (text, "_", ' ');
  text[0] = g_ascii_toupper (text[0]);
  return text;
}

static char *
field_label (const CpCondition *condition)
{
  const char *label;

  if (condition->field == CP_LEAD_N_FIELDS)
    return g_strdup (condition->custom_key);
  label = _(cp_lead_field_info (condition->field)->label);
  /* "Service line" → "service line" inside a sentence; keep "ID" as is. */
  if (g_ascii_isupper (label[0]) && label[1] != '\0' && !g_ascii_isupper (label[1]))
    {
      char *text = g_strdup (label);

      text[0] = g_ascii_tolower (text[0]);
      return text;
    }
  return g_strdup (label);
}

static char *
join_values (char * const *values,
             const char   *last_separator)
{
  GString *out = g_string_new (NULL);
  guint n = values != NULL ? g_strv_length ((char **) values) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *value = cp_humanize_id (values[i]);

      if (i > 0)
        g_string_append (out, i == n - 1 ? last_separator : ", ");
      g_string_append (out, value);
    }
  return g_string_free (out, FALSE);
}

static char *
format_number (double number)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", number));
}

static char *
render_field (const CpCondition *condition)
{
  g_autofree char *label = field_label (condition);
  g_autofree char *number = format_number (condition->number);
  g_autofree char *values = NULL;
  guint days = (guint) condition->number;

  if (condition->field < CP_LEAD_N_FIELDS &&
      cp_lead_field_info (condition->field)->type == CP_FIELD_TYPE_BOOL &&
      (condition->op == CP_OP_EQ || condition->op == CP_OP_NE))
    {
      gboolean yes = (condition->number != 0) == (condition->op == CP_OP_EQ);

      return yes ? g_strdup_printf (_("%s is yes"), label) : g_strdup_printf (_("%s is no"), label);
    }

  switch (condition->op)
    {
    case CP_OP_EQ:
    case CP_OP_IN:
      values = condition->value_is_number ? g_strdup (number) : join_values (condition->values, _(" or "));
      return g_strdup_printf (_("%s is %s"), label, values);
    case CP_OP_NE:
    case CP_OP_NOT_IN:
      values = condition->value_is_number ? g_strdup (number) : join_values (condition->values, _(" or "));
      return g_strdup_printf (_("%s is not %s"), label, values);
    case CP_OP_CONTAINS:
      return g_strdup_printf (_("%s contains “%s”"), label, condition->values[0]);
    case CP_OP_EXISTS:
      return g_strdup_printf (_("%s is known"), label);
    case CP_OP_MISSING:
      return g_strdup_printf (_("%s is missing"), label);
    case CP_OP_GT:
      return g_strdup_printf (_("%s is more than %s"), label, number);
    case CP_OP_GTE:
      return g_strdup_printf (_("%s is at least %s"), label, number);
    case CP_OP_LT:
      return g_strdup_printf (_("%s is less than %s"), label, number);
    case CP_OP_LTE:
      return g_strdup_printf (_("%s is at most %s"), label, number);
    case CP_OP_WITHIN_DAYS:
      return g_strdup_printf (ngettext ("%s is within the last %u day",
                                        "%s is within the last %u days", days), label, days);
    case CP_OP_OLDER_THAN_DAYS:
      return g_strdup_printf (ngettext ("%s is more than %u day ago",
                                        "%s is more than %u days ago", days), label, days);
    default:
      g_assert_not_reached ();
    }
}

static char *
render_kinds (guint32 mask)
{
  GString *out = g_string_new (NULL);
  guint n = 0, seen = 0;

  if (mask == 0)
    return g_string_free (out, FALSE);
  for (guint k = 0; k < CP_ACTIVITY_N_KINDS; k++)
    n += (mask >> k) & 1;
  for (guint k = 0; k < CP_ACTIVITY_N_KINDS; k++)
    {
      g_autofree char *label = NULL;

      if (!((mask >> k) & 1))
        continue;
      label = g_ascii_strdown (cp_activity_kind_label (k), -1);
      if (seen > 0)
        g_string_append (out, seen == n - 1 ? _(" or ") : ", ");
      g_string_append_printf (out, "“%s”", label);
      seen++;
    }
  return g_string_free (out, FALSE);
}

static char *
render_activity (const CpCondition *condition)
{
  g_autofree char *kinds = render_kinds (condition->kind_mask);
  GString *out = g_string_new (NULL);

  if (*kinds == '\0')
    g_string_append_printf (out, ngettext ("at least %u activity", "at least %u activities",
                                           condition->min_count), condition->min_count);
  else
    /* Translators: "at least 2 × “page visit”" */
    g_string_append_printf (out, _("at least %u × %s"), condition->min_count, kinds);
  if (condition->detail_contains != NULL)
    g_string_append_printf (out, _(" mentioning “%s”"), condition->detail_contains);
  if (condition->days > 0)
    g_string_append_printf (out, ngettext (" in the last %u day", " in the last %u days",
                                           condition->days), condition->days);
  return g_string_free (out, FALSE);
}

static char *
render (const CpCondition *condition,
        gboolean           nested)
{
  switch (condition->type)
    {
    case CP_CONDITION_ALL:
    case CP_CONDITION_ANY:
      {
        GString *out = g_string_new (NULL);
        const char *separator = condition->type == CP_CONDITION_ALL ? _(" and ") : _(" or ");

        if (condition->n_children == 0)
          {
            g_string_free (out, TRUE);
            return g_strdup (condition->type == CP_CONDITION_ALL ? _("always") : _("never"));
          }
        if (nested && condition->n_children > 1)
          g_string_append_c (out, '(');
        for (guint i = 0; i < condition->n_children; i++)
          {
            g_autofree char *child = render (condition->children[i], TRUE);

            if (i > 0)
              g_string_append (out, separator);
            g_string_append (out, child);
          }
        if (nested && condition->n_children > 1)
          g_string_append_c (out, ')');
        return g_string_free (out, FALSE);
      }
    case CP_CONDITION_NOT:
      {
        g_autofree char *child = render (condition->children[0], TRUE);

        return g_strdup_printf (_("not %s"), child);
      }
    case CP_CONDITION_FIELD:
      return render_field (condition);
    case CP_CONDITION_ACTIVITY:
      return render_activity (condition);
    case CP_CONDITION_INACTIVE:
      return g_strdup_printf (ngettext ("no activity for %u day", "no activity for %u days",
                                        condition->days), condition->days);
    case CP_CONDITION_ACCOUNT_CONTACTS:
      return g_strdup_printf (ngettext ("at least %u engaged contact at the same organization",
                                        "at least %u engaged contacts at the same organization",
                                        condition->min_count), condition->min_count);
    default:
      g_assert_not_reached ();
    }
}

/**
 * cp_condition_to_string:
 * @condition: (nullable): a condition
 *
 * Returns: (transfer full): one readable line, e.g. “Service line is
 *   Cardiology and location is North or South”
 */
char *
cp_condition_to_string (const CpCondition *condition)
{
  char *text;

  if (condition == NULL)
    return g_strdup (_("Always"));
  text = render (condition, FALSE);
  if (g_ascii_islower (text[0]))
    text[0] = g_ascii_toupper (text[0]);
  return text;
}
