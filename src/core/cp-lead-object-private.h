/* cp-lead-object-private.h — the CpLead instance, for the files that implement CpLead only
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-lead-private.h"

G_BEGIN_DECLS

/* Values are stored typed so that creating a million leads stays cheap:
 * one slot per field, a string or a number depending on the field type.
 * Choice values and generator data may point at static strings; those
 * fields have their bit set in static_mask and are never freed. */
typedef union
{
  char   *text;
  gint64  number;
} CpLeadValue;

G_STATIC_ASSERT (CP_LEAD_N_FIELDS <= 64);

struct _CpLead
{
  GObject      parent_instance;

  guint64      static_mask;
  GHashTable  *custom;
  CpLeadValue  values[CP_LEAD_N_FIELDS];
  /* Bookkeeping the store keeps beside the canonical fields. */
  gint64       stage_entered_at;
  /* Read without its custom fields (a list row): saving it leaves them be. */
  gboolean     custom_unloaded;
  /* What changed since the lead was read from the store: the store writes
   * only those fields, and refuses a change someone else made meanwhile.
   * A lead never read (a new one) changed every field it holds. */
  gboolean     has_originals;
  guint64      touched_mask;      /* fields set since it was read */
  CpLeadValue *originals;         /* (nullable) their values then; texts owned */
  GHashTable  *custom_originals;  /* (nullable) key → value then (CP_LEAD_ABSENT: none) */
};

/* The value of a custom field that was not there when the lead was read. */
extern const char _cp_lead_absent_custom[];
#define CP_LEAD_ABSENT ((gpointer) _cp_lead_absent_custom)

static inline gboolean
_cp_lead_field_is_text (CpLeadField field)
{
  CpFieldType type = _cp_lead_field_infos[field].type;

  return type == CP_FIELD_TYPE_TEXT || type == CP_FIELD_TYPE_CHOICE;
}

const char *_cp_lead_find_static_choice (CpLeadField  field,
                                         const char  *value);

G_END_DECLS
