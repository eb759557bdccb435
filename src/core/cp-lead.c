/* cp-lead.c — a healthcare lead: the person or contact moving through the pipeline
 * (its fields as text: cp-lead-text.c; what changed since it was read: cp-lead-changes.c;
 * new ids: cp-lead-id.c)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead"

#include "config.h"

#include <string.h>

#include "cp-lead-object-private.h"

const char _cp_lead_absent_custom[] = "";

static void touch (CpLead      *self,
                   CpLeadField  field);

G_DEFINE_FINAL_TYPE (CpLead, cp_lead, G_TYPE_OBJECT)

/* Property ids are the field ids shifted by one (PROP_0 comes first). */
enum {
  PROP_0,
  N_PROPS = CP_LEAD_N_FIELDS + 1
};

static GParamSpec *properties[N_PROPS];

static inline gboolean
field_is_static (CpLead      *self,
                 CpLeadField  field)
{
  return (self->static_mask & (G_GUINT64_CONSTANT (1) << field)) != 0;
}

static inline void
mark_static (CpLead      *self,
             CpLeadField  field,
             gboolean     is_static)
{
  if (is_static)
    self->static_mask |= G_GUINT64_CONSTANT (1) << field;
  else
    self->static_mask &= ~(G_GUINT64_CONSTANT (1) << field);
}

static void
clear_text (CpLead      *self,
            CpLeadField  field)
{
  if (!field_is_static (self, field))
    g_free (self->values[field].text);
  self->values[field].text = NULL;
  mark_static (self, field, FALSE);
}

/* The canonical static string for a choice value, so a million leads share
 * one copy of "patient". */
const char *
_cp_lead_find_static_choice (CpLeadField  field,
                             const char  *value)
{
  const char * const *choices = _cp_lead_field_infos[field].choices;

  if (choices == NULL || value == NULL)
    return NULL;

  for (guint i = 0; choices[i] != NULL; i++)
    if (strcmp (choices[i], value) == 0)
      return choices[i];

  return NULL;
}

/* Stores @value without notification; returns whether it changed. */
static gboolean
store_text (CpLead      *self,
            CpLeadField  field,
            const char  *value)
{
  const char *static_value;

  if (value != NULL && value[0] == '\0')
    value = NULL;

  if (g_strcmp0 (self->values[field].text, value) == 0)
    return FALSE;

  touch (self, field);
  static_value = _cp_lead_find_static_choice (field, value);
  if (static_value != NULL)
    {
      clear_text (self, field);
      self->values[field].text = (char *) static_value;
      mark_static (self, field, TRUE);
    }
  else
    {
      char *copy = g_strdup (value);

      clear_text (self, field);
      self->values[field].text = copy;
    }

  return TRUE;
}

static gint64
normalize_number (CpLeadField field,
                  gint64      value)
{
  if (_cp_lead_field_infos[field].type == CP_FIELD_TYPE_BOOL)
    return value != 0 ? 1 : 0;

  return value;
}

static void
clear_originals (CpLead *self)
{
  if (self->originals != NULL)
    {
      for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
        if (_cp_lead_field_is_text (i))
          g_free (self->originals[i].text);
      g_clear_pointer (&self->originals, g_free);
    }
  g_clear_pointer (&self->custom_originals, g_hash_table_unref);
  self->touched_mask = 0;
}

/* Before @field changes: a lead read from the store keeps what it held. */
static void
touch (CpLead      *self,
       CpLeadField  field)
{
  guint64 bit = G_GUINT64_CONSTANT (1) << field;

  if (self->touched_mask & bit)
    return;
  self->touched_mask |= bit;
  if (!self->has_originals)
    return;
  if (self->originals == NULL)
    self->originals = g_new0 (CpLeadValue, CP_LEAD_N_FIELDS);
  if (_cp_lead_field_is_text (field))
    self->originals[field].text = g_strdup (self->values[field].text);
  else
    self->originals[field].number = self->values[field].number;
}

static void
free_custom_original (gpointer value)
{
  if (value != CP_LEAD_ABSENT)
    g_free (value);
}

static GHashTable *
new_custom_originals (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_custom_original);
}

static void
touch_custom (CpLead     *self,
              const char *key)
{
  const char *value;

  if (!self->has_originals)
    return;
  if (self->custom_originals == NULL)
    self->custom_originals = new_custom_originals ();
  if (g_hash_table_contains (self->custom_originals, key))
    return;
  value = self->custom != NULL ? g_hash_table_lookup (self->custom, key) : NULL;
  g_hash_table_insert (self->custom_originals, g_strdup (key),
                       value != NULL ? g_strdup (value) : CP_LEAD_ABSENT);
}

static void
cp_lead_finalize (GObject *object)
{
  CpLead *self = (CpLead *) object;

  clear_originals (self);

  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    if (_cp_lead_field_is_text (i) && !field_is_static (self, i))
      g_free (self->values[i].text);

  g_clear_pointer (&self->custom, g_hash_table_unref);

  G_OBJECT_CLASS (cp_lead_parent_class)->finalize (object);
}

static void
cp_lead_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CpLead *self = CP_LEAD (object);
  CpLeadField field;

  if (prop_id == PROP_0 || prop_id >= N_PROPS)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  field = prop_id - 1;
  switch (_cp_lead_field_infos[field].type)
    {
    case CP_FIELD_TYPE_TEXT:
    case CP_FIELD_TYPE_CHOICE:
      g_value_set_string (value, self->values[field].text);
      break;
    case CP_FIELD_TYPE_BOOL:
      g_value_set_boolean (value, self->values[field].number != 0);
      break;
    case CP_FIELD_TYPE_INT:
    case CP_FIELD_TYPE_DATETIME:
    default:
      g_value_set_int64 (value, self->values[field].number);
      break;
    }
}

static void
cp_lead_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  CpLead *self = CP_LEAD (object);
  CpLeadField field;

  if (prop_id == PROP_0 || prop_id >= N_PROPS)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  field = prop_id - 1;
  switch (_cp_lead_field_infos[field].type)
    {
    case CP_FIELD_TYPE_TEXT:
    case CP_FIELD_TYPE_CHOICE:
      cp_lead_set_text (self, field, g_value_get_string (value));
      break;
    case CP_FIELD_TYPE_BOOL:
      cp_lead_set_int (self, field, g_value_get_boolean (value));
      break;
    case CP_FIELD_TYPE_INT:
    case CP_FIELD_TYPE_DATETIME:
    default:
      cp_lead_set_int (self, field, g_value_get_int64 (value));
      break;
    }
}

static void
cp_lead_class_init (CpLeadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cp_lead_finalize;
  object_class->get_property = cp_lead_get_property;
  object_class->set_property = cp_lead_set_property;

  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    {
      const CpFieldInfo *info = &_cp_lead_field_infos[i];
      g_autofree char *dashed = g_strdelimit (g_strdup (info->name), "_", '-');
      /* Interned strings live forever, as G_PARAM_STATIC_STRINGS requires. */
      const char *name = g_intern_string (dashed);

      g_assert (info->field == (CpLeadField) i);

      switch (info->type)
        {
        case CP_FIELD_TYPE_TEXT:
        case CP_FIELD_TYPE_CHOICE:
          properties[i + 1] = g_param_spec_string (name, NULL, NULL, NULL, flags);
          break;
        case CP_FIELD_TYPE_BOOL:
          properties[i + 1] = g_param_spec_boolean (name, NULL, NULL, FALSE, flags);
          break;
        case CP_FIELD_TYPE_INT:
        case CP_FIELD_TYPE_DATETIME:
        default:
          properties[i + 1] = g_param_spec_int64 (name, NULL, NULL,
                                                  G_MININT64, G_MAXINT64, 0, flags);
          break;
        }
    }

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cp_lead_init (CpLead *self)
{
}

CpLead *
cp_lead_new (void)
{
  return g_object_new (CP_TYPE_LEAD, NULL);
}

/**
 * cp_lead_copy:
 * @lead: a #CpLead
 *
 * Returns: (transfer full): a new lead with the same fields and custom fields
 */
CpLead *
cp_lead_copy (CpLead *lead)
{
  CpLead *copy;

  g_return_val_if_fail (CP_IS_LEAD (lead), NULL);

  copy = cp_lead_new ();
  copy->static_mask = lead->static_mask;
  copy->stage_entered_at = lead->stage_entered_at;
  copy->custom_unloaded = lead->custom_unloaded;
  copy->has_originals = lead->has_originals;
  copy->touched_mask = lead->touched_mask;

  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    {
      if (_cp_lead_field_is_text (i) && !field_is_static (lead, i))
        copy->values[i].text = g_strdup (lead->values[i].text);
      else
        copy->values[i] = lead->values[i];
    }
  if (lead->originals != NULL)
    {
      copy->originals = g_new0 (CpLeadValue, CP_LEAD_N_FIELDS);
      for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
        if (_cp_lead_field_is_text (i))
          copy->originals[i].text = g_strdup (lead->originals[i].text);
        else
          copy->originals[i] = lead->originals[i];
    }
  if (lead->custom_originals != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      copy->custom_originals = new_custom_originals ();
      g_hash_table_iter_init (&iter, lead->custom_originals);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (copy->custom_originals, g_strdup (key),
                             value != CP_LEAD_ABSENT ? g_strdup (value) : CP_LEAD_ABSENT);
    }

  if (lead->custom != NULL && g_hash_table_size (lead->custom) > 0)
    {
      GHashTableIter iter;
      gpointer key, value;

      copy->custom = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_iter_init (&iter, lead->custom);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (copy->custom, g_strdup (key), g_strdup (value));
    }

  return copy;
}

/**
 * cp_lead_get_text:
 * @lead: a #CpLead
 * @field: a text or choice field
 *
 * Returns: (nullable): the value, or %NULL when unset (never "")
 */
const char *
cp_lead_get_text (CpLead      *lead,
                  CpLeadField  field)
{
  g_return_val_if_fail (CP_IS_LEAD (lead), NULL);
  g_return_val_if_fail (field < CP_LEAD_N_FIELDS, NULL);
  g_return_val_if_fail (_cp_lead_field_is_text (field), NULL);

  return lead->values[field].text;
}

/**
 * cp_lead_set_text:
 * @lead: a #CpLead
 * @field: a text or choice field
 * @value: (nullable): the new value; %NULL or "" clear the field
 *
 * Stores @value as is: no validation happens here (see cp_lead_validate()).
 */
void
cp_lead_set_text (CpLead      *lead,
                  CpLeadField  field,
                  const char  *value)
{
  g_return_if_fail (CP_IS_LEAD (lead));
  g_return_if_fail (field < CP_LEAD_N_FIELDS);
  g_return_if_fail (_cp_lead_field_is_text (field));

  if (store_text (lead, field, value))
    g_object_notify_by_pspec (G_OBJECT (lead), properties[field + 1]);
}

/**
 * cp_lead_get_int:
 * @lead: a #CpLead
 * @field: an int, bool or datetime field
 *
 * Returns: the value; bools are 0 or 1, datetimes Unix seconds (0 = unset)
 */
gint64
cp_lead_get_int (CpLead      *lead,
                 CpLeadField  field)
{
  g_return_val_if_fail (CP_IS_LEAD (lead), 0);
  g_return_val_if_fail (field < CP_LEAD_N_FIELDS, 0);
  g_return_val_if_fail (!_cp_lead_field_is_text (field), 0);

  return lead->values[field].number;
}

void
cp_lead_set_int (CpLead      *lead,
                 CpLeadField  field,
                 gint64       value)
{
  g_return_if_fail (CP_IS_LEAD (lead));
  g_return_if_fail (field < CP_LEAD_N_FIELDS);
  g_return_if_fail (!_cp_lead_field_is_text (field));

  value = normalize_number (field, value);
  if (lead->values[field].number == value)
    return;

  touch (lead, field);
  lead->values[field].number = value;
  g_object_notify_by_pspec (G_OBJECT (lead), properties[field + 1]);
}


/**
 * cp_lead_equal_field:
 * @a: a #CpLead
 * @b: a #CpLead
 * @field: the field to compare
 *
 * Returns: %TRUE if both leads hold the same value in @field
 */
gboolean
cp_lead_equal_field (CpLead      *a,
                     CpLead      *b,
                     CpLeadField  field)
{
  g_return_val_if_fail (CP_IS_LEAD (a), FALSE);
  g_return_val_if_fail (CP_IS_LEAD (b), FALSE);
  g_return_val_if_fail (field < CP_LEAD_N_FIELDS, FALSE);

  if (_cp_lead_field_is_text (field))
    return g_strcmp0 (a->values[field].text, b->values[field].text) == 0;

  return a->values[field].number == b->values[field].number;
}

const char *
cp_lead_get_id (CpLead *lead)
{
  g_return_val_if_fail (CP_IS_LEAD (lead), NULL);

  return lead->values[CP_LEAD_FIELD_ID].text;
}

const char *
cp_lead_get_stage (CpLead *lead)
{
  g_return_val_if_fail (CP_IS_LEAD (lead), NULL);

  return lead->values[CP_LEAD_FIELD_STAGE].text;
}

/**
 * cp_lead_get_stage_entered_at:
 *
 * Returns: when the lead entered its current stage (unix seconds), as
 *   recorded by the store; 0 when unknown
 */
gint64
cp_lead_get_stage_entered_at (CpLead *lead)
{
  g_return_val_if_fail (CP_IS_LEAD (lead), 0);

  return lead->stage_entered_at;
}

void
cp_lead_set_stage_entered_at (CpLead *lead,
                              gint64  when)
{
  g_return_if_fail (CP_IS_LEAD (lead));

  lead->stage_entered_at = when;
}


/**
 * cp_lead_get_custom:
 * @lead: a #CpLead
 * @key: a custom field key
 *
 * Returns: (nullable): the value of the custom field @key
 */
const char *
cp_lead_get_custom (CpLead     *lead,
                    const char *key)
{
  g_return_val_if_fail (CP_IS_LEAD (lead), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (lead->custom == NULL)
    return NULL;

  return g_hash_table_lookup (lead->custom, key);
}

/**
 * cp_lead_set_custom:
 * @lead: a #CpLead
 * @key: a custom field key; cp_lead_validate() checks it matches
 *   `[a-z][a-z0-9_]{0,63}`
 * @value: (nullable): the value; %NULL or "" remove the field
 */
void
cp_lead_set_custom (CpLead     *lead,
                    const char *key,
                    const char *value)
{
  g_return_if_fail (CP_IS_LEAD (lead));
  g_return_if_fail (key != NULL);

  if (g_strcmp0 (cp_lead_get_custom (lead, key),
                 value != NULL && *value != '\0' ? value : NULL) == 0)
    return;
  touch_custom (lead, key);
  if (value == NULL || value[0] == '\0')
    {
      if (lead->custom != NULL)
        g_hash_table_remove (lead->custom, key);
      return;
    }

  if (lead->custom == NULL)
    lead->custom = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_replace (lead->custom, g_strdup (key), g_strdup (value));
}

/**
 * cp_lead_custom_fields_equal:
 *
 * Returns: %TRUE if both leads hold the same custom fields with the same values
 */
gboolean
cp_lead_custom_fields_equal (CpLead *a,
                             CpLead *b)
{
  guint na, nb;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (CP_IS_LEAD (a) && CP_IS_LEAD (b), FALSE);

  na = a->custom != NULL ? g_hash_table_size (a->custom) : 0;
  nb = b->custom != NULL ? g_hash_table_size (b->custom) : 0;
  if (na != nb)
    return FALSE;
  if (na == 0)
    return TRUE;
  g_hash_table_iter_init (&iter, a->custom);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (value, g_hash_table_lookup (b->custom, key)) != 0)
      return FALSE;
  return TRUE;
}

/**
 * cp_lead_get_custom_fields:
 * @lead: a #CpLead
 *
 * Returns: (transfer none) (nullable) (element-type utf8 utf8): the custom
 *   fields, or %NULL if the lead never had any
 */
GHashTable *
cp_lead_get_custom_fields (CpLead *lead)
{
  g_return_val_if_fail (CP_IS_LEAD (lead), NULL);

  return lead->custom;
}

void
_cp_lead_take_text (CpLead      *lead,
                    CpLeadField  field,
                    char        *value)
{
  g_assert (_cp_lead_field_is_text (field));

  touch (lead, field);
  clear_text (lead, field);
  if (value != NULL && value[0] == '\0')
    g_clear_pointer (&value, g_free);
  lead->values[field].text = value;
}

void
_cp_lead_set_static_text (CpLead      *lead,
                          CpLeadField  field,
                          const char  *value)
{
  g_assert (_cp_lead_field_is_text (field));

  touch (lead, field);
  clear_text (lead, field);
  if (value != NULL && value[0] != '\0')
    {
      lead->values[field].text = (char *) value;
      mark_static (lead, field, TRUE);
    }
}

void
_cp_lead_store_int (CpLead      *lead,
                    CpLeadField  field,
                    gint64       value)
{
  g_assert (!_cp_lead_field_is_text (field));

  touch (lead, field);
  lead->values[field].number = normalize_number (field, value);
}

/* Copies one field's value from @src to @dst (as a change of @dst). */
void
_cp_lead_copy_field (CpLead      *dst,
                     CpLead      *src,
                     CpLeadField  field)
{
  g_return_if_fail (CP_IS_LEAD (dst) && CP_IS_LEAD (src));

  if (_cp_lead_field_is_text (field))
    cp_lead_set_text (dst, field, src->values[field].text);
  else
    cp_lead_set_int (dst, field, src->values[field].number);
}

/* Makes @dst hold what @src holds, as read from the store: the caller's
 * object after a save. */
void
_cp_lead_assign (CpLead *dst,
                 CpLead *src)
{
  g_return_if_fail (CP_IS_LEAD (dst) && CP_IS_LEAD (src));

  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    _cp_lead_copy_field (dst, src, i);
  if (!src->custom_unloaded)
    {
      g_clear_pointer (&dst->custom, g_hash_table_unref);
      if (src->custom != NULL && g_hash_table_size (src->custom) > 0)
        {
          GHashTableIter iter;
          gpointer key, value;

          dst->custom = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          g_hash_table_iter_init (&iter, src->custom);
          while (g_hash_table_iter_next (&iter, &key, &value))
            g_hash_table_insert (dst->custom, g_strdup (key), g_strdup (value));
        }
    }
  dst->custom_unloaded = src->custom_unloaded;
  dst->stage_entered_at = src->stage_entered_at;
  _cp_lead_mark_pristine (dst);
}

/* The store read (or saved) the lead: from now on, changes are counted
 * from what it holds. */
void
_cp_lead_mark_pristine (CpLead *lead)
{
  g_return_if_fail (CP_IS_LEAD (lead));

  clear_originals (lead);
  lead->has_originals = TRUE;
}


void
_cp_lead_set_custom_unloaded (CpLead   *lead,
                              gboolean  unloaded)
{
  g_return_if_fail (CP_IS_LEAD (lead));

  lead->custom_unloaded = unloaded;
}
