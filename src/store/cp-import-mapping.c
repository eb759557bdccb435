/* cp-import-mapping.c — what an import's columns and values become
 *
 * Columns: Carepath's own field ids, HubSpot's export titles and common
 * variants are recognised, spelled any way ("First Name", "FIRSTNAME").
 * Values of stage and choice columns: read as people write them (a stage's
 * title, HubSpot's lifecycle stages, a choice in any case), unless the user
 * said what a value becomes — a stage or choice, empty, or a refused row.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-import"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-csv-writer.h"
#include "cp-import-private.h"
#include "cp-store-error.h"

/* "First Name", "first_name", "FIRSTNAME" → "firstname". */
static char *
header_key (const char *header)
{
  GString *key = g_string_new (NULL);

  for (const char *p = header; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (key, g_ascii_tolower (*p));
    else if ((guchar) *p >= 0x80)
      g_string_append_c (key, *p);
  return g_string_free (key, FALSE);
}

/* The key a header is recognised by: the activity import reads its
 * columns' names the same way. */
char *
_cp_import_header_key (const char *header)
{
  return header_key (header);
}

/* header_key (a) equals header_key (b), without building either: the
 * value columns ask this for every row. */
static gboolean
same_key (const char *a,
          const char *b)
{
  for (;;)
    {
      while (*a != '\0' && !g_ascii_isalnum (*a) && (guchar) *a < 0x80)
        a++;
      while (*b != '\0' && !g_ascii_isalnum (*b) && (guchar) *b < 0x80)
        b++;
      if (*a == '\0' || *b == '\0')
        return *a == *b;
      if (g_ascii_tolower (*a) != g_ascii_tolower (*b))
        return FALSE;
      a++;
      b++;
    }
}

typedef struct
{
  const char  *key;     /* as header_key() gives it */
  CpLeadField  field;
} Synonym;

/* HubSpot's contact export (its column titles). */
static const Synonym hubspot_headers[] = {
  { "firstname", CP_LEAD_FIELD_FIRST_NAME },
  { "lastname", CP_LEAD_FIELD_LAST_NAME },
  { "email", CP_LEAD_FIELD_EMAIL },
  { "phonenumber", CP_LEAD_FIELD_PHONE },
  { "mobilephonenumber", CP_LEAD_FIELD_PHONE },
  { "companyname", CP_LEAD_FIELD_ORGANIZATION },
  { "jobtitle", CP_LEAD_FIELD_JOB_TITLE },
  { "city", CP_LEAD_FIELD_LOCATION },
  { "postalcode", CP_LEAD_FIELD_POSTAL_CODE },
  { "lifecyclestage", CP_LEAD_FIELD_STAGE },
  { "contactowner", CP_LEAD_FIELD_OWNER },
  { "originalsource", CP_LEAD_FIELD_SOURCE_CHANNEL },
};

/* The CRM's own record id in its exports: matched against the records
 * sync has linked, never imported as a field. */
static const char * const remote_id_headers[] = {
  "recordid", "hsobjectid", "hubspotid", "contactid", "crmid", "crmrecordid",
};

static gboolean
is_remote_id_header (const char      *key,
                     CpImportHeaders  kind)
{
  if (kind == CP_IMPORT_HEADERS_CARE_PATH)
    return FALSE;
  if (kind == CP_IMPORT_HEADERS_HUBSPOT)
    return g_str_equal (key, "recordid") || g_str_equal (key, "hsobjectid");
  for (guint i = 0; i < G_N_ELEMENTS (remote_id_headers); i++)
    if (g_str_equal (key, remote_id_headers[i]))
      return TRUE;
  return FALSE;
}

/* What people call the columns in sign-up sheets and other CRMs. */
static const Synonym common_headers[] = {
  { "emailaddress", CP_LEAD_FIELD_EMAIL },
  { "mail", CP_LEAD_FIELD_EMAIL },
  { "phone", CP_LEAD_FIELD_PHONE },
  { "telephone", CP_LEAD_FIELD_PHONE },
  { "mobile", CP_LEAD_FIELD_PHONE },
  { "mobilephone", CP_LEAD_FIELD_PHONE },
  { "company", CP_LEAD_FIELD_ORGANIZATION },
  { "organisation", CP_LEAD_FIELD_ORGANIZATION },
  { "practice", CP_LEAD_FIELD_ORGANIZATION },
  { "title", CP_LEAD_FIELD_JOB_TITLE },
  { "zip", CP_LEAD_FIELD_POSTAL_CODE },
  { "zipcode", CP_LEAD_FIELD_POSTAL_CODE },
  { "postcode", CP_LEAD_FIELD_POSTAL_CODE },
  { "stage", CP_LEAD_FIELD_STAGE },
  { "source", CP_LEAD_FIELD_SOURCE_CHANNEL },
  { "leadsource", CP_LEAD_FIELD_SOURCE_CHANNEL },
  { "referredby", CP_LEAD_FIELD_REFERRAL_SOURCE },
  { "comments", CP_LEAD_FIELD_NOTES },
  { "owner", CP_LEAD_FIELD_OWNER },
};

static gboolean
find_synonym (const Synonym *table,
              guint          n,
              const char    *key,
              CpLeadField   *out_field)
{
  for (guint i = 0; i < n; i++)
    if (g_str_equal (table[i].key, key))
      {
        *out_field = table[i].field;
        return TRUE;
      }
  return FALSE;
}

/* A canonical field by its id or its label, spelled any way. */
static gboolean
find_canonical (const char  *key,
                CpLeadField *out_field)
{
  for (guint f = 0; f < CP_LEAD_N_FIELDS; f++)
    {
      g_autofree char *name = header_key (cp_lead_field_info (f)->name);
      g_autofree char *label = header_key (cp_lead_field_info (f)->label);

      if (g_str_equal (name, key) || g_str_equal (label, key))
        {
          *out_field = f;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * cp_import_mapping_detect:
 * @headers: (element-type utf8): the file's first row
 *
 * Maps each column to a field. Several columns may fill one field
 * (HubSpot's phone and mobile): in each row, the first of them with a
 * value does. `custom.KEY` columns fill custom fields.
 */
CpImportMapping *
cp_import_mapping_detect (GPtrArray       *headers,
                          CpImportHeaders  kind)
{
  CpImportMapping *mapping = g_new0 (CpImportMapping, 1);

  g_return_val_if_fail (headers != NULL, NULL);

  mapping->headers = g_ptr_array_ref (headers);
  mapping->fields = g_array_sized_new (FALSE, FALSE, sizeof (CpLeadField), headers->len);
  mapping->custom_keys = g_ptr_array_new_with_free_func (g_free);
  mapping->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < headers->len; i++)
    {
      const char *header = headers->pdata[i];
      g_autofree char *key = header_key (header);
      CpLeadField field = CP_LEAD_N_FIELDS;
      char *custom = NULL;
      gboolean found = FALSE;

      if (mapping->remote_id_column == 0 && is_remote_id_header (key, kind))
        mapping->remote_id_column = i + 1;
      else if (kind != CP_IMPORT_HEADERS_HUBSPOT && g_str_has_prefix (header, "custom.") && header[7] != '\0')
        custom = g_strdup (header + 7);
      else if (kind == CP_IMPORT_HEADERS_CARE_PATH)
        found = cp_lead_field_from_name (header, &field);
      else if (kind == CP_IMPORT_HEADERS_HUBSPOT)
        found = find_synonym (hubspot_headers, G_N_ELEMENTS (hubspot_headers), key, &field);
      else
        found = cp_lead_field_from_name (header, &field) || find_canonical (key, &field) ||
                find_synonym (hubspot_headers, G_N_ELEMENTS (hubspot_headers), key, &field) ||
                find_synonym (common_headers, G_N_ELEMENTS (common_headers), key, &field);

      if (!found || cp_lead_field_is_computed (field))
        field = CP_LEAD_N_FIELDS;   /* computed by the playbook: not imported (a warning says so) */
      g_array_append_val (mapping->fields, field);
      g_ptr_array_add (mapping->custom_keys, custom);
    }
  return mapping;
}

/**
 * cp_import_mapping_copy:
 * @headers: (nullable): the header row it is for, or %NULL for @mapping's
 *
 * Returns: (transfer full): a copy another thread may use: the columns'
 *   fields are shared (nobody changes them during an import), the values
 *   said copied
 */
CpImportMapping *
cp_import_mapping_copy (CpImportMapping *mapping,
                        GPtrArray       *headers)
{
  CpImportMapping *copy = g_new0 (CpImportMapping, 1);
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (mapping != NULL, NULL);

  copy->headers = g_ptr_array_ref (headers != NULL ? headers : mapping->headers);
  copy->fields = g_array_ref (mapping->fields);
  copy->custom_keys = g_ptr_array_ref (mapping->custom_keys);
  copy->remote_id_column = mapping->remote_id_column;
  copy->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, mapping->values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->values, g_strdup (key), g_strdup (value));
  return copy;
}

void
cp_import_mapping_free (CpImportMapping *mapping)
{
  if (mapping == NULL)
    return;
  g_ptr_array_unref (mapping->headers);
  g_array_unref (mapping->fields);
  g_ptr_array_unref (mapping->custom_keys);
  g_hash_table_unref (mapping->values);
  g_free (mapping);
}

/* Returns: how many columns fill a field */
guint
cp_import_mapping_count (CpImportMapping *mapping)
{
  guint n = 0;

  for (guint i = 0; i < mapping->fields->len; i++)
    n += g_array_index (mapping->fields, CpLeadField, i) != CP_LEAD_N_FIELDS ||
         mapping->custom_keys->pdata[i] != NULL;
  return n + (mapping->remote_id_column > 0);
}

/**
 * cp_import_preview:
 * @max_rows: how many rows after the header
 *
 * The first rows of a file, to show before importing it.
 *
 * Returns: (transfer full) (element-type GPtrArray): the header then up to
 *   @max_rows rows (rows past a cap are left out), or %NULL with @error set
 *   when the file cannot be read or is empty
 */
GPtrArray *
cp_import_preview (const char  *path,
                   guint        max_rows,
                   GError     **error)
{
  g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_path (path, error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  if (reader == NULL)
    return NULL;
  while (rows->len <= max_rows)
    {
      g_autoptr(GError) local_error = NULL;
      GPtrArray *row = cp_csv_reader_next (reader, &local_error);

      if (row != NULL)
        g_ptr_array_add (rows, row);
      else if (local_error == NULL)
        break;
      else if (!cp_csv_error_skips_record (local_error))
        {
          if (rows->len > 0)
            break;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  if (rows->len == 0)
    {
      g_set_error_literal (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                           _("The file is empty: there is nothing to import."));
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* HubSpot's lifecycle stages, by internal value and by label. */
static const struct { const char *key; const char *stage; } lifecycle_stages[] = {
  { "subscriber", "new" },
  { "lead", "new" },
  { "marketingqualifiedlead", "engaged" },
  { "salesqualifiedlead", "qualified" },
  { "opportunity", "active_evaluation" },
  { "customer", "onboarding" },
  { "evangelist", "adoption" },
  { "other", "reactivation" },
};

/* The stage a value names: a stage id or title of the playbook, or a
 * HubSpot lifecycle stage. */
const char *
_cp_import_stage_for (CpPlaybook *playbook,
                      const char *value)
{
  for (guint i = 0; i < playbook->stages->len; i++)
    {
      const CpStage *stage = g_ptr_array_index (playbook->stages, i);

      if (same_key (value, stage->id) ||
          same_key (value, stage->title != NULL ? stage->title : stage->id))
        return stage->id;
    }
  for (guint i = 0; i < G_N_ELEMENTS (lifecycle_stages); i++)
    if (same_key (value, lifecycle_stages[i].key))
      return lifecycle_stages[i].stage;
  return NULL;
}

/* A closure reason of the playbook, by its id or title ("Not a fit"). */
static const char *
closure_reason_for (CpPlaybook *playbook,
                    const char *value)
{
  for (guint i = 0; i < playbook->closure_reasons->len; i++)
    {
      const CpClosureReason *reason = g_ptr_array_index (playbook->closure_reasons, i);

      if (same_key (value, reason->id) ||
          same_key (value, reason->title != NULL ? reason->title : reason->id))
        return reason->id;
    }
  return NULL;
}

/**
 * _cp_import_value_for:
 *
 * Returns: (nullable): what a value of a stage, closure reason or choice
 *   column is read as: a stage or closure reason of @playbook, or a choice
 */
const char *
_cp_import_value_for (CpPlaybook  *playbook,
                      CpLeadField  field,
                      const char  *value)
{
  if (field == CP_LEAD_FIELD_STAGE)
    return _cp_import_stage_for (playbook, value);
  if (field == CP_LEAD_FIELD_CLOSURE_REASON)
    return closure_reason_for (playbook, value);
  return _cp_import_choice_for (field, value);
}

/**
 * _cp_import_column_is_computed:
 *
 * @out_field: (out): the field it names
 *
 * Returns: %TRUE if @header names a field the playbook computes (a score,
 *   the tier, the queue, the SLA clock): such a column is not imported
 */
gboolean
_cp_import_column_is_computed (const char  *header,
                               CpLeadField *out_field)
{
  g_autofree char *key = header_key (header);

  return (cp_lead_field_from_name (header, out_field) || find_canonical (key, out_field)) &&
         cp_lead_field_is_computed (*out_field);
}

/* A choice value spelled as people write it ("High", "Behavioral Health"). */
const char *
_cp_import_choice_for (CpLeadField  field,
                       const char  *value)
{
  const char * const *choices = cp_lead_field_info (field)->choices;

  for (guint i = 0; choices != NULL && choices[i] != NULL; i++)
    if (same_key (value, choices[i]))
      return choices[i];
  return NULL;
}

/* ---- values ---- */

/* The key a value is looked up by: field, then the value as header_key() folds it. */
static char *
value_key (CpLeadField  field,
           const char  *value)
{
  g_autofree char *folded = header_key (value);

  return g_strdup_printf ("%u\x1f%s", field, folded);
}

/**
 * cp_import_mapping_set_value:
 * @field: a stage or choice field
 * @value: a value as the file writes it (case and punctuation do not matter)
 * @action: what rows with it get
 * @target: (nullable): with %CP_IMPORT_VALUE_SET, the stage id or choice
 *
 * Says what a value of the file becomes; %CP_IMPORT_VALUE_AUTO forgets it.
 */
void
cp_import_mapping_set_value (CpImportMapping    *mapping,
                             CpLeadField         field,
                             const char         *value,
                             CpImportValueAction action,
                             const char         *target)
{
  g_return_if_fail (mapping != NULL && value != NULL);
  g_return_if_fail (action != CP_IMPORT_VALUE_SET || target != NULL);

  switch (action)
    {
    case CP_IMPORT_VALUE_AUTO:
      {
        g_autofree char *key = value_key (field, value);
        g_hash_table_remove (mapping->values, key);
      }
      break;
    case CP_IMPORT_VALUE_REFUSE:
      g_hash_table_replace (mapping->values, value_key (field, value), g_strdup ("\x1frefuse"));
      break;
    case CP_IMPORT_VALUE_EMPTY:
      g_hash_table_replace (mapping->values, value_key (field, value), g_strdup (""));
      break;
    case CP_IMPORT_VALUE_SET:
    default:
      g_hash_table_replace (mapping->values, value_key (field, value), g_strdup (target));
      break;
    }
}

/**
 * cp_import_mapping_get_value:
 * @out_target: (out): with %CP_IMPORT_VALUE_SET, the stage or choice
 *
 * Returns: what the user said @value of @field becomes, or
 *   %CP_IMPORT_VALUE_AUTO when nothing was said
 */
CpImportValueAction
cp_import_mapping_get_value (CpImportMapping  *mapping,
                             CpLeadField       field,
                             const char       *value,
                             const char      **out_target)
{
  g_autofree char *key = NULL;
  const char *target;

  *out_target = NULL;
  if (g_hash_table_size (mapping->values) == 0)
    return CP_IMPORT_VALUE_AUTO;
  key = value_key (field, value);
  target = g_hash_table_lookup (mapping->values, key);
  if (target == NULL)
    return CP_IMPORT_VALUE_AUTO;
  if (*target == '\0')
    return CP_IMPORT_VALUE_EMPTY;
  if (g_str_equal (target, "\x1frefuse"))
    return CP_IMPORT_VALUE_REFUSE;
  *out_target = target;
  return CP_IMPORT_VALUE_SET;
}

void
cp_import_value_free (CpImportValue *value)
{
  if (value == NULL)
    return;
  g_free (value->value);
  g_free (value);
}

static gboolean
is_value_field (CpLeadField field)
{
  return field == CP_LEAD_FIELD_STAGE || field == CP_LEAD_FIELD_CLOSURE_REASON ||
         (field < CP_LEAD_N_FIELDS && cp_lead_field_info (field)->type == CP_FIELD_TYPE_CHOICE);
}

static int
compare_values (gconstpointer a,
                gconstpointer b)
{
  const CpImportValue *x = *(CpImportValue * const *) a;
  const CpImportValue *y = *(CpImportValue * const *) b;

  if (x->column != y->column)
    return x->column < y->column ? -1 : 1;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return g_utf8_collate (x->value, y->value);
}

/**
 * cp_import_scan_values:
 * @reader: the file, at its start (the header is skipped)
 * @mapping: which field each column fills
 * @playbook: the stages a stage value may name
 * @max_rows: rows read at most (0: all)
 * @out_truncated: (out) (optional): whether rows were left unread
 *
 * The distinct values of every stage and choice column, with how many rows
 * have each and what it becomes on its own. Values that differ only in
 * case or punctuation are one (the first spelling is kept). A column with
 * more than %CP_IMPORT_MAX_VALUES distinct values lists only the first.
 *
 * Returns: (transfer full) (element-type CpImportValue): by column, the
 *   most frequent first; %NULL with @error when the file cannot be read
 */
GPtrArray *
cp_import_scan_values (CpCsvReader      *reader,
                       CpImportMapping  *mapping,
                       CpPlaybook       *playbook,
                       guint64           max_rows,
                       gboolean         *out_truncated,
                       GError          **error)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_import_value_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree guint *per_column = g_new0 (guint, MAX (mapping->fields->len, 1));
  g_autoptr(GPtrArray) header = NULL;
  guint64 rows = 0;

  g_return_val_if_fail (reader != NULL && mapping != NULL && playbook != NULL, NULL);

  if (out_truncated != NULL)
    *out_truncated = FALSE;
  header = cp_csv_reader_next (reader, error);
  if (header == NULL)
    return error == NULL || *error == NULL ? g_steal_pointer (&values) : NULL;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GPtrArray) row = NULL;

      if (max_rows > 0 && rows >= max_rows)
        {
          g_autoptr(GPtrArray) more = cp_csv_reader_next (reader, NULL);

          if (out_truncated != NULL)
            *out_truncated = more != NULL;
          break;
        }
      row = cp_csv_reader_next (reader, &local_error);
      if (row == NULL && local_error == NULL)
        break;
      if (row == NULL)
        {
          if (local_error->domain != CP_CSV_ERROR || local_error->code == CP_CSV_ERROR_READ)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          if (local_error->code == CP_CSV_ERROR_UNTERMINATED_QUOTE)
            break;
          continue;   /* the import reports it */
        }
      rows++;

      for (guint c = 0; c < row->len && c < mapping->fields->len; c++)
        {
          CpLeadField field = g_array_index (mapping->fields, CpLeadField, c);
          g_autofree char *value = NULL;
          g_autofree char *folded = NULL;
          g_autofree char *key = NULL;
          CpImportValue *entry;

          if (!is_value_field (field) || mapping->custom_keys->pdata[c] != NULL)
            continue;
          value = g_strstrip (g_strdup (cp_csv_strip_formula_guard (row->pdata[c])));
          if (*value == '\0')
            continue;
          folded = header_key (value);
          key = g_strdup_printf ("%u\x1f%s", c, folded);
          entry = g_hash_table_lookup (seen, key);
          if (entry != NULL)
            {
              entry->count++;
              continue;
            }
          if (per_column[c] >= CP_IMPORT_MAX_VALUES)
            continue;
          per_column[c]++;
          entry = g_new0 (CpImportValue, 1);
          entry->column = c;
          entry->field = field;
          entry->value = g_steal_pointer (&value);
          entry->count = 1;
          entry->automatic = _cp_import_value_for (playbook, field, entry->value);
          g_hash_table_insert (seen, g_steal_pointer (&key), entry);
          g_ptr_array_add (values, entry);
        }
    }

  g_ptr_array_sort (values, compare_values);
  return g_steal_pointer (&values);
}
