/* cp-lead-format.h — how lead values read to a person
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-lead.h"

G_BEGIN_DECLS

typedef struct
{
  const char        *title;   /* N_() marked */
  const CpLeadField *fields;  /* ends with CP_LEAD_N_FIELDS */
} CpFieldGroup;

const CpFieldGroup *cp_lead_field_groups (guint *n_groups);
char       *cp_format_history_change (const char *action,
                                      const char *field,
                                      const char *old_value,
                                      const char *new_value);

const char *cp_value_label           (const char *value);
char       *cp_dup_choice_label      (const char *value);
char       *cp_lead_dup_value_label  (CpLead     *lead,
                                      CpLeadField field);
char       *cp_format_relative_time  (gint64      then,
                                      gint64      now);
char       *cp_format_sla            (gint64      due,
                                      gint64      first_response,
                                      gint64      now);
char       *cp_format_moment         (gint64      when);
char       *cp_format_date           (gint64      when);
char       *cp_format_date_time      (gint64      when);
char       *cp_format_sla_line       (gint64      due,
                                      gint64      first_response,
                                      gint64      now,
                                      guint       escalate_after_hours);
gboolean    cp_lead_is_sla_breached  (CpLead     *lead,
                                      gint64      now);
gboolean    cp_lead_is_rotting       (CpLead     *lead,
                                      guint       rotting_days,
                                      gint64      now);
char       *cp_lead_dup_initials     (const char *name);

G_END_DECLS
