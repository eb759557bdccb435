/* cp-condition-form.c — one condition as a form builds it: a field, an operator, a value
 *
 * The playbook editor's condition builder offers, for each field, only
 * the operators that make sense for its type, and builds the condition
 * the engine evaluates. Conditions with several parts stay as they are in
 * the playbook file; cp_condition_form_can_edit() says which ones a form
 * can show.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-condition"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-condition-form.h"
#include "cp-core-error.h"

static const CpConditionOp text_ops[] = {
  CP_OP_EQ, CP_OP_NE, CP_OP_CONTAINS, CP_OP_EXISTS, CP_OP_MISSING,
};
static const CpConditionOp choice_ops[] = {
  CP_OP_EQ, CP_OP_NE, CP_OP_EXISTS, CP_OP_MISSING,
};
static const CpConditionOp number_ops[] = {
  CP_OP_GTE, CP_OP_GT, CP_OP_LTE, CP_OP_LT, CP_OP_EXISTS, CP_OP_MISSING,
};
static const CpConditionOp bool_ops[] = {
  CP_OP_EQ,
};
static const CpConditionOp date_ops[] = {
  CP_OP_WITHIN_DAYS, CP_OP_OLDER_THAN_DAYS, CP_OP_EXISTS, CP_OP_MISSING,
};

/**
 * cp_condition_form_ops:
 *
 * Returns: (array length=n_ops): the operators offered for @field
 */
const CpConditionOp *
cp_condition_form_ops (CpLeadField  field,
                       guint       *n_ops)
{
  g_return_val_if_fail (field < CP_LEAD_N_FIELDS && n_ops != NULL, NULL);

  switch (cp_lead_field_info (field)->type)
    {
    case CP_FIELD_TYPE_CHOICE:
      *n_ops = G_N_ELEMENTS (choice_ops);
      return choice_ops;
    case CP_FIELD_TYPE_INT:
      *n_ops = G_N_ELEMENTS (number_ops);
      return number_ops;
    case CP_FIELD_TYPE_BOOL:
      *n_ops = G_N_ELEMENTS (bool_ops);
      return bool_ops;
    case CP_FIELD_TYPE_DATETIME:
      *n_ops = G_N_ELEMENTS (date_ops);
      return date_ops;
    case CP_FIELD_TYPE_TEXT:
    default:
      *n_ops = G_N_ELEMENTS (text_ops);
      return text_ops;
    }
}

/* Returns: the operator as the form reads it ("is at least") */
const char *
cp_condition_form_op_label (CpConditionOp op)
{
  switch (op)
    {
    case CP_OP_EQ: return _("is");
    case CP_OP_NE: return _("is not");
    case CP_OP_IN: return _("is one of");
    case CP_OP_NOT_IN: return _("is none of");
    case CP_OP_CONTAINS: return _("contains");
    case CP_OP_EXISTS: return _("is set");
    case CP_OP_MISSING: return _("is not set");
    case CP_OP_GT: return _("is more than");
    case CP_OP_GTE: return _("is at least");
    case CP_OP_LT: return _("is less than");
    case CP_OP_LTE: return _("is at most");
    case CP_OP_WITHIN_DAYS: return _("is within the last … days");
    case CP_OP_OLDER_THAN_DAYS: return _("is more than … days ago");
    case CP_N_OPS:
    default:
      g_return_val_if_reached ("");
    }
}

/* Returns: whether @op compares with a value (not "is set") */
gboolean
cp_condition_form_op_takes_value (CpConditionOp op)
{
  return op != CP_OP_EXISTS && op != CP_OP_MISSING;
}

/**
 * cp_condition_form_build:
 * @text: (nullable): the value for text and choice fields ("true" or
 *   "false" for yes/no fields)
 * @number: the value for number fields, or days for dates
 *
 * Returns: (transfer full) (nullable): the condition, or %NULL with @error
 *   saying what is missing or wrong, in the form's words
 */
CpCondition *
cp_condition_form_build (CpLeadField   field,
                         CpConditionOp op,
                         const char   *text,
                         double        number,
                         GError      **error)
{
  const CpFieldInfo *info;
  const char *values[] = { text, NULL };

  g_return_val_if_fail (field < CP_LEAD_N_FIELDS, NULL);

  info = cp_lead_field_info (field);
  if (!cp_condition_form_op_takes_value (op))
    return cp_condition_new_field (info->name, op, NULL, error);
  switch (info->type)
    {
    case CP_FIELD_TYPE_BOOL:
      return cp_condition_new_field_number (info->name, CP_OP_EQ,
                                            g_strcmp0 (text, "true") == 0 ? 1 : 0, error);
    case CP_FIELD_TYPE_INT:
    case CP_FIELD_TYPE_DATETIME:
      if (number < 0)
        {
          g_set_error_literal (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                               _("The number cannot be negative."));
          return NULL;
        }
      return cp_condition_new_field_number (info->name, op, number, error);
    case CP_FIELD_TYPE_TEXT:
    case CP_FIELD_TYPE_CHOICE:
    default:
      {
        g_autofree char *clean = g_strstrip (g_strdup (text != NULL ? text : ""));

        if (*clean == '\0')
          {
            g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_REQUIRED,
                         _("Give the value %s is compared with."), _(info->label));
            return NULL;
          }
        values[0] = clean;
        return cp_condition_new_field (info->name, op, values, error);
      }
    }
}

/* "At least @min_count × @kind in the last @days days" (0 days: ever). */
CpCondition *
cp_condition_form_build_activity (CpActivityKind   kind,
                                  guint            min_count,
                                  guint            days,
                                  GError         **error)
{
  if (kind >= CP_ACTIVITY_N_KINDS || min_count == 0)
    {
      g_set_error_literal (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                           _("Choose an activity and how many times (at least once)."));
      return NULL;
    }
  return cp_condition_new_activity (1u << kind, min_count, days, NULL);
}

/**
 * cp_condition_form_can_edit:
 *
 * Returns: whether the form can show @condition: one field compared with
 *   at most one value, or one kind of activity
 */
gboolean
cp_condition_form_can_edit (const CpCondition *condition)
{
  if (condition == NULL)
    return TRUE;
  if (condition->type == CP_CONDITION_FIELD)
    return condition->field < CP_LEAD_N_FIELDS && condition->op != CP_OP_IN &&
           condition->op != CP_OP_NOT_IN &&
           (condition->values == NULL || g_strv_length (condition->values) <= 1);
  if (condition->type == CP_CONDITION_ACTIVITY)
    return condition->kind_mask != 0 && (condition->kind_mask & (condition->kind_mask - 1)) == 0 &&
           condition->detail_contains == NULL;
  return FALSE;
}
