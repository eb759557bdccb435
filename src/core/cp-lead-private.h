/* cp-lead-private.h — the field table and fast paths for filling fresh leads in bulk
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-lead.h"

G_BEGIN_DECLS

/* The field table, indexed by CpLeadField (see cp_lead_field_info()). */
extern const CpFieldInfo _cp_lead_field_infos[CP_LEAD_N_FIELDS];

/* These do not emit ::notify: only use them on a lead nobody watches yet
 * (generators, loaders). _cp_lead_set_static_text() keeps the pointer, so
 * @value must outlive every lead (string literals, static tables). */
void _cp_lead_take_text       (CpLead      *lead,
                               CpLeadField  field,
                               char        *value);
void _cp_lead_set_static_text (CpLead      *lead,
                               CpLeadField  field,
                               const char  *value);
void _cp_lead_store_int       (CpLead      *lead,
                               CpLeadField  field,
                               gint64       value);

/* The state of a sequence of time-ordered ids (cp-lead-id.c):
 * cp_lead_new_id() keeps one for the process, under a lock. */
typedef struct
{
  gint64  unix_ms;   /* the last id's time */
  guint   rand_a;    /* its 12 bits after the version */
  guint64 rand_b;    /* its 62 bits after the variant */
} CpLeadIdClock;

char *_cp_lead_id_clock_next (CpLeadIdClock *clock,
                              gint64         unix_ms);

/* A lead read as a list row, without its custom fields: the store then
 * leaves its custom fields alone when it is saved. */
void     _cp_lead_set_custom_unloaded (CpLead   *lead,
                                       gboolean  unloaded);
void     _cp_lead_mark_pristine       (CpLead   *lead);
void     _cp_lead_copy_field          (CpLead      *dst,
                                       CpLead      *src,
                                       CpLeadField  field);
void     _cp_lead_assign              (CpLead   *dst,
                                       CpLead   *src);

G_END_DECLS
