/* cp-lead-text.c — a lead's fields as text: read from what people type or import, written back
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-datetime.h"
#include "cp-lead-object-private.h"
#include "cp-validate-private.h"

/**
 * cp_lead_dup_field_string:
 * @lead: a #CpLead
 * @field: any field
 *
 * Returns: (transfer full) (nullable): the canonical string form of the
 *   value: decimal for ints, "true"/"false" for bools, ISO 8601 UTC for
 *   datetimes (%NULL when unset), text as is (%NULL when unset)
 */
char *
cp_lead_dup_field_string (CpLead      *lead,
                          CpLeadField  field)
{
  g_return_val_if_fail (CP_IS_LEAD (lead), NULL);
  g_return_val_if_fail (field < CP_LEAD_N_FIELDS, NULL);

  switch (_cp_lead_field_infos[field].type)
    {
    case CP_FIELD_TYPE_TEXT:
    case CP_FIELD_TYPE_CHOICE:
      return g_strdup (lead->values[field].text);
    case CP_FIELD_TYPE_INT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, lead->values[field].number);
    case CP_FIELD_TYPE_BOOL:
      return g_strdup (lead->values[field].number ? "true" : "false");
    case CP_FIELD_TYPE_DATETIME:
      return cp_datetime_format_iso8601 (lead->values[field].number);
    default:
      g_assert_not_reached ();
    }
}

/* "Referral Partner", "referral-partner", " REFERRAL_PARTNER " → "referral_partner";
 * "1001+" → "1001_plus". */
static char *
fold_choice (const char *value)
{
  GString *folded = g_string_new (NULL);
  const char *p;

  for (p = value; *p != '\0'; p++)
    {
      char c = *p;

      if (c == ' ' || c == '-' || c == '_' || c == '\t')
        {
          if (folded->len > 0 && folded->str[folded->len - 1] != '_')
            g_string_append_c (folded, '_');
        }
      else if (c == '+')
        {
          if (folded->len > 0 && folded->str[folded->len - 1] != '_')
            g_string_append_c (folded, '_');
          g_string_append (folded, "plus");
        }
      else
        g_string_append_c (folded, g_ascii_tolower (c));
    }

  while (folded->len > 0 && folded->str[folded->len - 1] == '_')
    g_string_truncate (folded, folded->len - 1);

  return g_string_free (folded, FALSE);
}

static const char *
match_choice (const CpFieldInfo *info,
              const char        *value)
{
  g_autofree char *folded = NULL;
  const char *exact = _cp_lead_find_static_choice (info->field, value);

  if (exact != NULL)
    return exact;

  folded = fold_choice (value);
  return _cp_lead_find_static_choice (info->field, folded);
}

static gboolean
parse_bool (const char *value,
            gint64     *out_value)
{
  static const char * const yes[] = { "true", "yes", "1", NULL };
  static const char * const no[] = { "false", "no", "0", NULL };

  for (guint i = 0; yes[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (value, yes[i]) == 0)
        {
          *out_value = 1;
          return TRUE;
        }
      if (g_ascii_strcasecmp (value, no[i]) == 0)
        {
          *out_value = 0;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * cp_lead_set_field_from_string:
 * @lead: a #CpLead
 * @field: any field
 * @value: (nullable): the value as text; %NULL or "" clear the field
 * @error: a #GError in %CP_CORE_ERROR
 *
 * Reads @value according to the type of @field: yes/no, true/false, 1/0
 * for bools; ISO 8601 (or a plain `YYYY-MM-DD`) for datetimes; decimal
 * for ints; one of the choices for choice fields, forgiving case, spaces
 * and dashes ("Referral Partner" is `referral_partner`).
 *
 * Returns: %TRUE if the value was stored; on error @lead is unchanged
 */
gboolean
cp_lead_set_field_from_string (CpLead       *lead,
                               CpLeadField   field,
                               const char   *value,
                               GError      **error)
{
  const CpFieldInfo *info;
  g_autofree char *trimmed = NULL;
  gint64 number = 0;

  g_return_val_if_fail (CP_IS_LEAD (lead), FALSE);
  g_return_val_if_fail (field < CP_LEAD_N_FIELDS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  info = &_cp_lead_field_infos[field];

  if (info->type == CP_FIELD_TYPE_TEXT)
    {
      cp_lead_set_text (lead, field, value);
      return TRUE;
    }

  if (value != NULL)
    trimmed = g_strstrip (g_strdup (value));

  if (trimmed == NULL || trimmed[0] == '\0')
    {
      if (info->type == CP_FIELD_TYPE_CHOICE)
        cp_lead_set_text (lead, field, NULL);
      else
        cp_lead_set_int (lead, field, 0);
      return TRUE;
    }

  switch (info->type)
    {
    case CP_FIELD_TYPE_CHOICE:
      {
        const char *choice = match_choice (info, trimmed);

        if (choice == NULL)
          {
            g_autofree char *shown = _cp_quote_for_message (trimmed);
            g_autofree char *allowed = g_strjoinv (", ", (char **) info->choices);

            g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                         _("“%s” is not a valid %s. Use one of: %s."),
                         shown, _(info->label), allowed);
            return FALSE;
          }

        cp_lead_set_text (lead, field, choice);
        return TRUE;
      }

    case CP_FIELD_TYPE_BOOL:
      if (!parse_bool (trimmed, &number))
        {
          g_autofree char *shown = _cp_quote_for_message (trimmed);

          g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_PARSE,
                       _("“%s” is not a yes or no value for %s. "
                         "Use yes or no (or true, false, 1, 0)."),
                       shown, _(info->label));
          return FALSE;
        }
      break;

    case CP_FIELD_TYPE_INT:
      {
        g_autoptr(GError) local_error = NULL;

        if (!g_ascii_string_to_signed (trimmed, 10, G_MININT32, G_MAXINT32, &number, &local_error))
          {
            g_autofree char *shown = _cp_quote_for_message (trimmed);

            if (g_error_matches (local_error, G_NUMBER_PARSER_ERROR,
                                 G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS))
              g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                           _("%s must be between %d and %d, not %s."),
                           _(info->label), G_MININT32, G_MAXINT32, shown);
            else
              g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_PARSE,
                           _("“%s” is not a whole number for %s."),
                           shown, _(info->label));
            return FALSE;
          }
      }
      break;

    case CP_FIELD_TYPE_DATETIME:
      if (!cp_datetime_parse_iso8601 (trimmed, &number, error))
        {
          g_prefix_error (error, "%s: ", _(info->label));
          return FALSE;
        }
      break;

    case CP_FIELD_TYPE_TEXT:
    default:
      g_assert_not_reached ();
    }

  cp_lead_set_int (lead, field, number);
  return TRUE;
}

/**
 * cp_lead_dup_display_name:
 * @lead: a #CpLead
 *
 * Returns: (transfer full): "First Last", or the email, or the phone
 *   number, or “Unnamed lead”
 */
char *
cp_lead_dup_display_name (CpLead *lead)
{
  const char *first, *last;
  g_autofree char *joined = NULL;

  g_return_val_if_fail (CP_IS_LEAD (lead), NULL);

  first = lead->values[CP_LEAD_FIELD_FIRST_NAME].text;
  last = lead->values[CP_LEAD_FIELD_LAST_NAME].text;
  joined = g_strstrip (g_strjoin (" ", first ? first : "", last ? last : "", NULL));

  if (joined[0] != '\0')
    return g_steal_pointer (&joined);

  if (lead->values[CP_LEAD_FIELD_EMAIL].text != NULL)
    return g_strdup (lead->values[CP_LEAD_FIELD_EMAIL].text);

  if (lead->values[CP_LEAD_FIELD_PHONE].text != NULL)
    return g_strdup (lead->values[CP_LEAD_FIELD_PHONE].text);

  return g_strdup (_("Unnamed lead"));
}
