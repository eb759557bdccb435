/* cp-lead-validate.c — checking a lead before it is saved
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-lead.h"
#include "cp-validate.h"
#include "cp-validate-private.h"

#define MAX_CUSTOM_VALUE_CHARS 10000

/* Fields at least one of which identifies a lead to a person. */
static const CpLeadField identity_fields[] = {
  CP_LEAD_FIELD_FIRST_NAME, CP_LEAD_FIELD_LAST_NAME, CP_LEAD_FIELD_EMAIL,
  CP_LEAD_FIELD_PHONE, CP_LEAD_FIELD_ORGANIZATION,
};

/**
 * cp_field_error_new:
 * @field: the field the problem is in
 * @message: a message a user can read
 */
CpFieldError *
cp_field_error_new (CpLeadField  field,
                    const char  *message)
{
  CpFieldError *error = g_new0 (CpFieldError, 1);

  error->field = field;
  error->message = g_strdup (message);
  return error;
}

void
cp_field_error_free (CpFieldError *error)
{
  if (error == NULL)
    return;

  g_free (error->message);
  g_free (error);
}

/**
 * cp_custom_key_is_valid:
 *
 * Returns: whether @key may name a custom field: up to 64 lowercase ASCII
 *   letters, digits and underscores, starting with a letter
 */
gboolean
cp_custom_key_is_valid (const char *key)
{
  gsize len = strlen (key);

  if (len < 1 || len > 64 || !g_ascii_islower (key[0]))
    return FALSE;

  for (gsize i = 1; i < len; i++)
    if (!g_ascii_islower (key[i]) && !g_ascii_isdigit (key[i]) && key[i] != '_')
      return FALSE;

  return TRUE;
}

/**
 * cp_custom_key_from_label:
 * @label: what a person calls the field: “Insurance member ID”
 *
 * Lowercases ASCII letters, turns every run of other characters into one
 * underscore and trims them at both ends: “insurance_member_id”.
 *
 * Returns: (transfer full) (nullable): the key, or %NULL when @label
 *   cannot give a valid one (no letter first, or too long)
 */
char *
cp_custom_key_from_label (const char *label)
{
  GString *key;

  g_return_val_if_fail (label != NULL, NULL);

  key = g_string_new (NULL);
  for (const char *p = label; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (key, g_ascii_tolower (*p));
      else if (key->len > 0 && key->str[key->len - 1] != '_')
        g_string_append_c (key, '_');
    }
  while (key->len > 0 && key->str[key->len - 1] == '_')
    g_string_truncate (key, key->len - 1);

  if (!cp_custom_key_is_valid (key->str))
    {
      g_string_free (key, TRUE);
      return NULL;
    }
  return g_string_free (key, FALSE);
}

/* Records one problem: the first goes to @error, all go to @errors. */
static void
add_problem (GPtrArray    *errors,
             GError      **error,
             gboolean     *ok,
             CpLeadField   field,
             gint          code,
             const char   *message)
{
  if (*ok)
    g_set_error_literal (error, CP_CORE_ERROR, code, message);
  *ok = FALSE;

  if (errors != NULL)
    g_ptr_array_add (errors, cp_field_error_new (field, message));
}

static void
add_problem_from_error (GPtrArray    *errors,
                        GError      **error,
                        gboolean     *ok,
                        CpLeadField   field,
                        const GError *problem)
{
  add_problem (errors, error, ok, field, problem->code, problem->message);
}

static gboolean
field_is_present (CpLead      *lead,
                  CpLeadField  field)
{
  switch (cp_lead_field_info (field)->type)
    {
    case CP_FIELD_TYPE_TEXT:
    case CP_FIELD_TYPE_CHOICE:
      {
        const char *text = cp_lead_get_text (lead, field);

        if (text == NULL)
          return FALSE;

        /* Whitespace alone is not a value. */
        for (const char *p = text; *p != '\0'; p++)
          if (!g_ascii_isspace (*p))
            return TRUE;
        return FALSE;
      }
    case CP_FIELD_TYPE_DATETIME:
      return cp_lead_get_int (lead, field) != 0;
    case CP_FIELD_TYPE_INT:
    case CP_FIELD_TYPE_BOOL:
    default:
      return TRUE;
    }
}

/**
 * cp_lead_validate:
 * @lead: a #CpLead
 * @required_fields: (nullable) (array zero-terminated=1): canonical ids of
 *   fields that must be set (from the playbook stage, for example)
 * @out_errors: (out) (optional) (element-type CpFieldError): every problem,
 *   one #CpFieldError per problem, for showing next to the form fields
 * @error: the first problem, in %CP_CORE_ERROR
 *
 * Checks text length, valid UTF-8, control characters, email syntax,
 * choice values, custom field keys, required fields, and that the lead can
 * be identified (a name, an email, a phone number or an organization).
 *
 * A problem with a custom field has the field %CP_LEAD_N_FIELDS; a lead
 * without any identity is reported on %CP_LEAD_FIELD_FIRST_NAME.
 *
 * Returns: %TRUE if the lead is valid
 */
gboolean
cp_lead_validate (CpLead              *lead,
                  const char * const  *required_fields,
                  GPtrArray          **out_errors,
                  GError             **error)
{
  g_autoptr(GPtrArray) errors = NULL;
  gboolean ok = TRUE;
  gboolean has_identity = FALSE;
  GHashTable *custom;

  g_return_val_if_fail (CP_IS_LEAD (lead), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_errors != NULL)
    errors = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_field_error_free);

  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    {
      const CpFieldInfo *info = cp_lead_field_info (i);
      const char *text;
      g_autoptr(GError) problem = NULL;

      if (info->type != CP_FIELD_TYPE_TEXT && info->type != CP_FIELD_TYPE_CHOICE)
        continue;

      text = cp_lead_get_text (lead, i);
      if (text == NULL)
        continue;

      /* The label is translated for a message only: a valid lead (every
       * one of an import, twice) asks for no translation. */
      if (!_cp_validate_text_for (text, info->max_length, i == CP_LEAD_FIELD_NOTES, NULL, NULL))
        {
          _cp_validate_text_for (text, info->max_length, i == CP_LEAD_FIELD_NOTES, _(info->label),
                                 &problem);
          add_problem_from_error (errors, error, &ok, i, problem);
          continue;
        }

      if (info->type == CP_FIELD_TYPE_CHOICE && !g_strv_contains (info->choices, text))
        {
          g_autofree char *shown = _cp_quote_for_message (text);
          g_autofree char *allowed = g_strjoinv (", ", (char **) info->choices);
          g_autofree char *message =
            g_strdup_printf (_("“%s” is not a valid %s. Use one of: %s."),
                             shown, _(info->label), allowed);

          add_problem (errors, error, &ok, i, CP_CORE_ERROR_INVALID, message);
          continue;
        }

      if (i == CP_LEAD_FIELD_EMAIL && !cp_validate_email (text, &problem))
        add_problem_from_error (errors, error, &ok, i, problem);
    }

  custom = cp_lead_get_custom_fields (lead);
  if (custom != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, custom);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_autoptr(GError) problem = NULL;
          g_autofree char *shown = _cp_quote_for_message (key);

          if (!cp_custom_key_is_valid (key))
            {
              g_autofree char *message = g_strdup_printf (
                  _("“%s” is not a valid custom field name. Use up to 64 lowercase "
                    "letters, digits and underscores, starting with a letter."),
                  shown);

              add_problem (errors, error, &ok, CP_LEAD_N_FIELDS, CP_CORE_ERROR_INVALID, message);
            }
          else if (!_cp_validate_text_for (value, MAX_CUSTOM_VALUE_CHARS, TRUE, shown, &problem))
            add_problem_from_error (errors, error, &ok, CP_LEAD_N_FIELDS, problem);
        }
    }

  if (required_fields != NULL)
    {
      for (guint i = 0; required_fields[i] != NULL; i++)
        {
          CpLeadField field;

          if (!cp_lead_field_from_name (required_fields[i], &field))
            {
              g_autofree char *shown = _cp_quote_for_message (required_fields[i]);
              g_autofree char *message =
                g_strdup_printf (_("“%s” is required but is not a known field."), shown);

              /* Not a problem with the lead itself, so not in @errors. */
              if (ok)
                g_set_error_literal (error, CP_CORE_ERROR, CP_CORE_ERROR_UNKNOWN_FIELD, message);
              ok = FALSE;
              continue;
            }

          if (!field_is_present (lead, field))
            {
              g_autofree char *message =
                g_strdup_printf (_("%s is required."), _(cp_lead_field_info (field)->label));

              add_problem (errors, error, &ok, field, CP_CORE_ERROR_REQUIRED, message);
            }
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (identity_fields); i++)
    if (field_is_present (lead, identity_fields[i]))
      has_identity = TRUE;

  if (!has_identity)
    add_problem (errors, error, &ok, CP_LEAD_FIELD_FIRST_NAME, CP_CORE_ERROR_REQUIRED,
                 _("A lead needs a name, an email, a phone number or an organization."));

  if (out_errors != NULL)
    *out_errors = g_steal_pointer (&errors);

  return ok;
}
