/* cp-condition-render.c — a condition in words, as the playbook editor and explanations show it
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-condition"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-condition.h"

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
      values = condition->value_is_number ? g_strdup (number)
                                          : join_values (condition->values, _(" or "));
      return g_strdup_printf (_("%s is %s"), label, values);
    case CP_OP_NE:
    case CP_OP_NOT_IN:
      values = condition->value_is_number ? g_strdup (number)
                                          : join_values (condition->values, _(" or "));
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
