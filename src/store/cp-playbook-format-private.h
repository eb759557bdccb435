/* cp-playbook-format-private.h — what the reader and the writer of the playbook format share
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "cp-json-member.h"
#include "cp-playbook-format.h"

G_BEGIN_DECLS

/* A member of a playbook record that is read and written the same way
 * everywhere: the tables in the reader and the writer name the members of
 * a record once, in the order the writer puts them. */
typedef enum
{
  CP_FORMAT_TEXT,       /* char *: a string, omitted when NULL */
  CP_FORMAT_TEXT_LIST,  /* char **: a list of strings, omitted when NULL */
  CP_FORMAT_CONDITION,  /* CpCondition *: omitted when NULL */
  CP_FORMAT_FLAG,       /* gboolean: written only when TRUE */
  CP_FORMAT_INT,        /* int in [min, max] */
  CP_FORMAT_UINT,       /* guint in [min, max] */
} CpFormatKind;

typedef struct
{
  const char   *member;
  CpFormatKind  kind;
  gsize         offset;     /* G_STRUCT_OFFSET of the field in the record */
  gboolean      required;   /* reading refuses a record without it */
  gint64        min;        /* numbers only: the range read */
  gint64        max;
  gint64        absent;     /* numbers only: the value when the member is missing */
  gboolean      omit_zero;  /* numbers only: not written when 0 */
} CpFormatField;

typedef struct
{
  const CpFormatField *fields;
  guint                n_fields;
} CpFormatTable;

/* The plain members of each record (cp-playbook-format-fields.c). */
extern const CpFormatTable _cp_playbook_format_stage;
extern const CpFormatTable _cp_playbook_format_stage_tail;
extern const CpFormatTable _cp_playbook_format_template;
extern const CpFormatTable _cp_playbook_format_entry_task;
extern const CpFormatTable _cp_playbook_format_thresholds;
extern const CpFormatTable _cp_playbook_format_account_boost;
extern const CpFormatTable _cp_playbook_format_score_rule_head;
extern const CpFormatTable _cp_playbook_format_score_rule_tail;
extern const CpFormatTable _cp_playbook_format_route_rule;
extern const CpFormatTable _cp_playbook_format_queue;
extern const CpFormatTable _cp_playbook_format_automation_head;
extern const CpFormatTable _cp_playbook_format_automation_tail;
extern const CpFormatTable _cp_playbook_format_closure_reason;
extern const CpFormatTable _cp_playbook_format_consent_rule;
extern const CpFormatTable _cp_playbook_format_retention_rule;
extern const CpFormatTable _cp_playbook_format_business_hours_head;

/* "mon" … "sun": bit 0 … 6 of CpBusinessHours.days */
#define CP_PLAYBOOK_FORMAT_N_DAYS 7
extern const char * const _cp_playbook_format_day_names[CP_PLAYBOOK_FORMAT_N_DAYS];

/* ---- reading ---- */

gboolean     _cp_playbook_format_read_fields    (JsonObject          *object,
                                                 const char          *path,
                                                 const CpFormatTable *table,
                                                 gpointer             record,
                                                 GError             **error);

gboolean     _cp_playbook_format_parse_kinds    (JsonNode            *node,
                                                 const char          *path,
                                                 guint32             *out_mask,
                                                 GError             **error);
gboolean     _cp_playbook_format_read_condition (JsonObject          *object,
                                                 const char          *path,
                                                 const char          *member,
                                                 gboolean             required,
                                                 CpCondition        **out,
                                                 GError             **error);

/* ---- writing ---- */

void         _cp_playbook_format_add_kinds      (JsonBuilder         *builder,
                                                 guint32              mask);
void         _cp_playbook_format_add_condition  (JsonBuilder         *builder,
                                                 const char          *member,
                                                 const CpCondition   *condition);
void         _cp_playbook_format_add_fields     (JsonBuilder         *builder,
                                                 const CpFormatTable *table,
                                                 gconstpointer        record);
void         _cp_playbook_format_add_records    (JsonBuilder         *builder,
                                                 const char          *member,
                                                 GPtrArray           *records,
                                                 const CpFormatTable *table);

G_END_DECLS
