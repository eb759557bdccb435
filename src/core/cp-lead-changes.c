/* cp-lead-changes.c — what changed in a lead since the store read it
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead"

#include "config.h"

#include "cp-lead-object-private.h"

static gboolean
value_differs (CpLead      *lead,
               CpLeadField  field)
{
  if (lead->originals == NULL || !(lead->touched_mask & (G_GUINT64_CONSTANT (1) << field)))
    {
      /* Untouched since read; or a new lead, measured from empty. */
      if (lead->has_originals)
        return FALSE;
      return _cp_lead_field_is_text (field) ? lead->values[field].text != NULL
                                   : lead->values[field].number != 0;
    }
  if (_cp_lead_field_is_text (field))
    return g_strcmp0 (lead->values[field].text, lead->originals[field].text) != 0;
  return lead->values[field].number != lead->originals[field].number;
}

/**
 * cp_lead_field_changed:
 * @lead: a #CpLead
 * @field: any field
 *
 * Whether @field holds another value than when the lead was read from the
 * store. For a lead never stored, whether the field is set at all.
 *
 * Returns: %TRUE if the field changed
 */
gboolean
cp_lead_field_changed (CpLead      *lead,
                       CpLeadField  field)
{
  g_return_val_if_fail (CP_IS_LEAD (lead), FALSE);
  g_return_val_if_fail (field < CP_LEAD_N_FIELDS, FALSE);

  return value_differs (lead, field);
}

/**
 * cp_lead_has_originals:
 *
 * Returns: %TRUE if the lead was read from the store: its changes are
 *   counted from what the store held then
 */
gboolean
cp_lead_has_originals (CpLead *lead)
{
  g_return_val_if_fail (CP_IS_LEAD (lead), FALSE);

  return lead->has_originals;
}

/**
 * cp_lead_dup_original_string:
 *
 * Returns: (transfer full) (nullable): @field as the lead held it when it
 *   was read, in the form of cp_lead_dup_field_string()
 */
char *
cp_lead_dup_original_string (CpLead      *lead,
                             CpLeadField  field)
{
  g_autoptr(CpLead) original = NULL;

  g_return_val_if_fail (CP_IS_LEAD (lead), NULL);
  g_return_val_if_fail (field < CP_LEAD_N_FIELDS, NULL);

  if (!(lead->touched_mask & (G_GUINT64_CONSTANT (1) << field)) || lead->originals == NULL)
    return lead->has_originals ? cp_lead_dup_field_string (lead, field) : NULL;
  original = cp_lead_new ();
  if (_cp_lead_field_is_text (field))
    cp_lead_set_text (original, field, lead->originals[field].text);
  else
    original->values[field].number = lead->originals[field].number;
  return cp_lead_dup_field_string (original, field);
}

/**
 * cp_lead_dup_changed_custom_keys:
 *
 * Returns: (transfer full) (element-type utf8): the custom fields set or
 *   removed since the lead was read (every one it holds, for a new lead)
 */
GPtrArray *
cp_lead_dup_changed_custom_keys (CpLead *lead)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (CP_IS_LEAD (lead), keys);

  if (!lead->has_originals)
    {
      if (lead->custom != NULL)
        {
          g_hash_table_iter_init (&iter, lead->custom);
          while (g_hash_table_iter_next (&iter, &key, NULL))
            g_ptr_array_add (keys, g_strdup (key));
        }
      return keys;
    }
  if (lead->custom_originals == NULL)
    return keys;
  g_hash_table_iter_init (&iter, lead->custom_originals);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (value != CP_LEAD_ABSENT ? value : NULL, cp_lead_get_custom (lead, key)) != 0)
      g_ptr_array_add (keys, g_strdup (key));
  return keys;
}

/**
 * cp_lead_get_custom_original:
 * @out_value: (out) (nullable): the value then, %NULL when it was not set
 *
 * Returns: %TRUE if the lead knows what @key held when it was read (a
 *   lead read without its custom fields does not)
 */
gboolean
cp_lead_get_custom_original (CpLead      *lead,
                             const char  *key,
                             const char **out_value)
{
  gpointer value;

  g_return_val_if_fail (CP_IS_LEAD (lead), FALSE);
  g_return_val_if_fail (key != NULL && out_value != NULL, FALSE);

  *out_value = NULL;
  if (!lead->has_originals || lead->custom_unloaded)
    return FALSE;
  if (lead->custom_originals == NULL ||
      !g_hash_table_lookup_extended (lead->custom_originals, key, NULL, &value))
    {
      *out_value = cp_lead_get_custom (lead, key);
      return TRUE;
    }
  *out_value = value != CP_LEAD_ABSENT ? value : NULL;
  return TRUE;
}
