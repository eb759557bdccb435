/* cp-condition.h — playbook conditions: a small tree evaluated against a lead and its activities
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cp-activity.h"
#include "cp-lead.h"

G_BEGIN_DECLS

/* A lead as the rules see it: borrowed pointers, filled without allocating,
 * so a million leads can be evaluated from database rows or CpLead objects
 * alike. Text is NULL when unset; numbers follow cp_lead_get_int(). */
typedef struct
{
  const char *text[CP_LEAD_N_FIELDS];
  gint64      number[CP_LEAD_N_FIELDS];
  GHashTable *custom;   /* (nullable) key → value, borrowed */
} CpLeadRecord;

/* An activity as the rules see it. */
typedef struct
{
  CpActivityKind  kind;
  gint64          occurred_at;
  const char     *detail;   /* (nullable) borrowed */
  gboolean        inbound;  /* the lead reached out (an inbound call, an email they sent) */
} CpActivityRecord;

/* Everything a condition may look at. */
typedef struct
{
  const CpLeadRecord     *lead;
  const CpActivityRecord *activities;
  guint                   n_activities;
  guint                   account_engaged_contacts;  /* other engaged contacts of the account */
  gint64                  now;
  /* A lead first seen at a stage (created, imported, pulled): its past is
   * not known here, so conditions on activity, inactivity and account
   * engagement are taken as met; conditions on its fields still count. */
  gboolean                history_unknown;
  /* Out: the newest activity a satisfied activity predicate counted (0 = none),
   * which is what recency decay measures from. */
  gint64                  matched_activity_at;
} CpConditionInput;

void    cp_lead_record_init           (CpLeadRecord     *record,
                                       CpLead           *lead);
GArray *cp_activity_records_new       (GPtrArray        *activities);

typedef enum
{
  CP_CONDITION_ALL,
  CP_CONDITION_ANY,
  CP_CONDITION_NOT,
  CP_CONDITION_FIELD,
  CP_CONDITION_ACTIVITY,          /* at least K activities of kinds X in the last N days */
  CP_CONDITION_INACTIVE,          /* the last activity is older than N days */
  CP_CONDITION_ACCOUNT_CONTACTS,  /* at least K engaged contacts of the same account */
} CpConditionType;

typedef enum
{
  CP_OP_EQ,
  CP_OP_NE,
  CP_OP_IN,
  CP_OP_NOT_IN,
  CP_OP_CONTAINS,
  CP_OP_EXISTS,
  CP_OP_MISSING,
  CP_OP_GT,
  CP_OP_GTE,
  CP_OP_LT,
  CP_OP_LTE,
  CP_OP_WITHIN_DAYS,
  CP_OP_OLDER_THAN_DAYS,
  CP_N_OPS
} CpConditionOp;

/* Read-only once built; build with the constructors below. */
typedef struct _CpCondition CpCondition;
struct _CpCondition
{
  CpConditionType  type;
  /* ALL / ANY / NOT */
  CpCondition    **children;
  guint            n_children;
  /* FIELD */
  CpLeadField      field;        /* CP_LEAD_N_FIELDS for a custom field */
  char            *custom_key;   /* custom field key, or NULL */
  CpConditionOp    op;
  char           **values;       /* text operands, NULL-terminated (eq, ne, in, not_in, contains) */
  char           **folded;       /* the same, ASCII-lowercased, for matching */
  double           number;       /* numeric operand (gt…lte, days) */
  gboolean         value_is_number;
  /* ACTIVITY / INACTIVE / ACCOUNT_CONTACTS */
  guint32          kind_mask;    /* bit per CpActivityKind; 0 = any kind */
  guint            min_count;
  guint            days;         /* 0 = ever (ACTIVITY) */
  char            *detail_contains;
};

const char  *cp_condition_op_to_string   (CpConditionOp     op);
gboolean     cp_condition_op_from_string (const char       *text,
                                          CpConditionOp    *out_op);

CpCondition *cp_condition_new_group      (CpConditionType   type,
                                          CpCondition     **children,
                                          guint             n_children);
CpCondition *cp_condition_new_not        (CpCondition      *child);
CpCondition *cp_condition_new_field      (const char       *field,
                                          CpConditionOp     op,
                                          const char * const *values,
                                          GError          **error);
CpCondition *cp_condition_new_field_number (const char     *field,
                                          CpConditionOp     op,
                                          double            number,
                                          GError          **error);
CpCondition *cp_condition_new_activity   (guint32           kind_mask,
                                          guint             min_count,
                                          guint             days,
                                          const char       *detail_contains);
CpCondition *cp_condition_new_inactive   (guint             days);
CpCondition *cp_condition_new_account_contacts (guint       min_count);
CpCondition *cp_condition_copy           (const CpCondition *condition);
void         cp_condition_free           (CpCondition      *condition);

const char  *cp_condition_field_name     (const CpCondition *condition);
gboolean     cp_condition_evaluate       (const CpCondition *condition,
                                          CpConditionInput  *input);
char        *cp_condition_to_string      (const CpCondition *condition);
gboolean     cp_condition_uses_custom_fields (const CpCondition *condition);
gboolean     cp_condition_uses_activity_detail (const CpCondition *condition);
guint        cp_condition_max_account_contacts (const CpCondition *condition);

char        *cp_humanize_id              (const char       *id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpCondition, cp_condition_free)

G_END_DECLS
