/* cp-lead-export.c — leads to CSV, every canonical field and custom field
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-export"

#include "config.h"

#include <string.h>

#include "cp-csv-writer.h"
#include "cp-lead-export.h"
#include "cp-private-file.h"

/**
 * cp_lead_export_csv:
 * @ids: (array zero-terminated=1): the leads, in the order to write them
 *
 * The header row has the canonical field ids, then `custom.KEY` for every
 * custom field any of the leads has; values are in their canonical string
 * form, so a Carepath import reads them back unchanged.
 *
 * Returns: (transfer full) (nullable): the CSV text, or %NULL with @error
 *   when a lead cannot be read
 */
char *
cp_lead_export_csv (CpLeadStore         *store,
                    const char * const  *ids,
                    GError             **error)
{
  g_autoptr(GPtrArray) leads = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) custom_keys = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), NULL);
  g_return_val_if_fail (ids != NULL, NULL);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      CpLead *lead = cp_lead_store_get (store, ids[i], error);
      GHashTable *custom;

      if (lead == NULL)
        return NULL;
      g_ptr_array_add (leads, lead);

      custom = cp_lead_get_custom_fields (lead);
      if (custom != NULL)
        {
          GHashTableIter iter;
          gpointer key;

          g_hash_table_iter_init (&iter, custom);
          while (g_hash_table_iter_next (&iter, &key, NULL))
            if (g_hash_table_add (seen, key))
              g_ptr_array_add (custom_keys, key);
        }
    }
  /* Custom columns in name order. */
  for (guint i = 1; i < custom_keys->len; i++)
    for (guint j = i; j > 0 && strcmp (custom_keys->pdata[j - 1], custom_keys->pdata[j]) > 0; j--)
      {
        gpointer t = custom_keys->pdata[j];
        custom_keys->pdata[j] = custom_keys->pdata[j - 1];
        custom_keys->pdata[j - 1] = t;
      }

  for (guint f = 0; f < CP_LEAD_N_FIELDS; f++)
    g_ptr_array_add (row, g_strdup (cp_lead_field_info (f)->name));
  for (guint k = 0; k < custom_keys->len; k++)
    g_ptr_array_add (row, g_strconcat ("custom.", (const char *) custom_keys->pdata[k], NULL));
  cp_csv_append_row (out, (const char * const *) row->pdata, row->len);

  for (guint i = 0; i < leads->len; i++)
    {
      CpLead *lead = leads->pdata[i];

      g_ptr_array_set_size (row, 0);
      for (guint f = 0; f < CP_LEAD_N_FIELDS; f++)
        g_ptr_array_add (row, cp_lead_dup_field_string (lead, f));
      for (guint k = 0; k < custom_keys->len; k++)
        g_ptr_array_add (row, g_strdup (cp_lead_get_custom (lead, custom_keys->pdata[k])));
      cp_csv_append_row (out, (const char * const *) row->pdata, row->len);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * cp_lead_export_csv_file:
 * @ids: (array zero-terminated=1): the leads, in the order to write them
 * @file: where to write; a file already there is replaced
 *
 * Writes what cp_lead_export_csv() makes to @file, readable by its owner
 * only (mode 0600): it is personal data.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
cp_lead_export_csv_file (CpLeadStore         *store,
                         const char * const  *ids,
                         GFile               *file,
                         GError             **error)
{
  g_autofree char *csv = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  csv = cp_lead_export_csv (store, ids, error);
  return csv != NULL && cp_private_file_replace (file, csv, strlen (csv), error);
}
