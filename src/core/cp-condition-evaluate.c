/* cp-condition-evaluate.c — whether a condition holds for a lead: no allocation on any path
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-condition"

#include "config.h"

#include <string.h>

#include "cp-condition.h"

#define SECONDS_PER_DAY 86400.0

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
      return text != NULL && condition->folded != NULL &&
             strcasestr (text, condition->folded[0]) != NULL;
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
          (activity->detail == NULL ||
           strcasestr (activity->detail, condition->detail_contains) == NULL))
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
