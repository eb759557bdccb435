/* cp-playbook-format-fields.c — the plain members of each playbook record, read and written
 * by one table
 *
 * A table lists a record's members in the order the writer puts them; the
 * reader reads them in the same order, so the first problem it reports is
 * the first one in the file. Members with rules of their own (a category,
 * a trigger, a list of templates) are read and written around the tables,
 * which is why some records have a head and a tail.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-playbook-format"

#include "config.h"

#include "cp-playbook-format-private.h"

const char * const _cp_playbook_format_day_names[CP_PLAYBOOK_FORMAT_N_DAYS] = {
  "mon", "tue", "wed", "thu", "fri", "sat", "sun"
};

#define TABLE(fields) { fields, G_N_ELEMENTS (fields) }

static const CpFormatField stage_fields[] = {
  { "id", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpStage, id), .required = TRUE },
  { "title", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpStage, title) },
  { "owner_role", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpStage, owner_role) },
  { "closed", CP_FORMAT_FLAG, G_STRUCT_OFFSET (CpStage, closed) },
  { "entry", CP_FORMAT_CONDITION, G_STRUCT_OFFSET (CpStage, entry) },
  { "exit", CP_FORMAT_CONDITION, G_STRUCT_OFFSET (CpStage, exit) },
  { "required_fields", CP_FORMAT_TEXT_LIST, G_STRUCT_OFFSET (CpStage, required_fields) },
  { "channels", CP_FORMAT_TEXT_LIST, G_STRUCT_OFFSET (CpStage, channels) },
  { "sla_hours", CP_FORMAT_UINT, G_STRUCT_OFFSET (CpStage, sla_hours), .max = 24 * 365 },
  { "rotting_days", CP_FORMAT_UINT, G_STRUCT_OFFSET (CpStage, rotting_days), .max = 3650 },
  { "funnel_position", CP_FORMAT_UINT, G_STRUCT_OFFSET (CpStage, funnel_position), .max = 1000,
    .omit_zero = TRUE },
  { "assets", CP_FORMAT_TEXT_LIST, G_STRUCT_OFFSET (CpStage, assets) },
};
/* After the templates. */
static const CpFormatField stage_tail_fields[] = {
  { "handoff_checklist", CP_FORMAT_TEXT_LIST, G_STRUCT_OFFSET (CpStage, handoff_checklist) },
};
const CpFormatTable _cp_playbook_format_stage = TABLE (stage_fields);
const CpFormatTable _cp_playbook_format_stage_tail = TABLE (stage_tail_fields);

static const CpFormatField template_fields[] = {
  { "id", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpOutreachTemplate, id), .required = TRUE },
  { "channel", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpOutreachTemplate, channel), .required = TRUE },
  { "title", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpOutreachTemplate, title) },
  { "body", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpOutreachTemplate, body), .required = TRUE },
};
const CpFormatTable _cp_playbook_format_template = TABLE (template_fields);

/* After "kind". */
static const CpFormatField entry_task_fields[] = {
  { "title", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpEntryTask, title), .required = TRUE },
  { "due_business_hours", CP_FORMAT_UINT, G_STRUCT_OFFSET (CpEntryTask, due_business_hours),
    .max = 24 * 92 },
  { "template", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpEntryTask, template_key) },
};
const CpFormatTable _cp_playbook_format_entry_task = TABLE (entry_task_fields);

static const CpFormatField threshold_fields[] = {
  { "nurture", CP_FORMAT_INT, G_STRUCT_OFFSET (CpScoringModel, nurture_threshold),
    .required = TRUE, .max = 100 },
  { "sales_ready", CP_FORMAT_INT, G_STRUCT_OFFSET (CpScoringModel, sales_ready_threshold),
    .required = TRUE, .max = 100 },
};
const CpFormatTable _cp_playbook_format_thresholds = TABLE (threshold_fields);

static const CpFormatField account_boost_fields[] = {
  { "min_contacts", CP_FORMAT_UINT, G_STRUCT_OFFSET (CpScoringModel, account_min_contacts),
    .max = 10000, .absent = 1 },
  { "points_per_contact", CP_FORMAT_INT,
    G_STRUCT_OFFSET (CpScoringModel, account_points_per_contact),
    .required = TRUE, .min = -100, .max = 100 },
  { "max_points", CP_FORMAT_INT, G_STRUCT_OFFSET (CpScoringModel, account_max_points), .max = 100 },
};
const CpFormatTable _cp_playbook_format_account_boost = TABLE (account_boost_fields);

/* Before "category". */
static const CpFormatField score_rule_head_fields[] = {
  { "id", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpScoreRule, id), .required = TRUE },
  { "description", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpScoreRule, description) },
};
/* After "category", before "stage_points". */
static const CpFormatField score_rule_tail_fields[] = {
  { "points", CP_FORMAT_INT, G_STRUCT_OFFSET (CpScoreRule, points), .required = TRUE,
    .min = -100, .max = 100 },
  { "decay", CP_FORMAT_FLAG, G_STRUCT_OFFSET (CpScoreRule, decay) },
  { "condition", CP_FORMAT_CONDITION, G_STRUCT_OFFSET (CpScoreRule, condition), .required = TRUE },
};
const CpFormatTable _cp_playbook_format_score_rule_head = TABLE (score_rule_head_fields);
const CpFormatTable _cp_playbook_format_score_rule_tail = TABLE (score_rule_tail_fields);

static const CpFormatField route_rule_fields[] = {
  { "id", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpRouteRule, id), .required = TRUE },
  { "description", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpRouteRule, description) },
  { "condition", CP_FORMAT_CONDITION, G_STRUCT_OFFSET (CpRouteRule, condition) },
  { "queue", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpRouteRule, queue), .required = TRUE },
};
const CpFormatTable _cp_playbook_format_route_rule = TABLE (route_rule_fields);

static const CpFormatField queue_fields[] = {
  { "id", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpQueue, id), .required = TRUE },
  { "title", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpQueue, title) },
  { "owners", CP_FORMAT_TEXT_LIST, G_STRUCT_OFFSET (CpQueue, owners) },
  { "escalation_owner", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpQueue, escalation_owner) },
};
const CpFormatTable _cp_playbook_format_queue = TABLE (queue_fields);

/* Before "on". */
static const CpFormatField automation_head_fields[] = {
  { "id", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpAutomationRule, id), .required = TRUE },
  { "description", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpAutomationRule, description) },
};
/* After "on", "activity" and "inactive_days". */
static const CpFormatField automation_tail_fields[] = {
  { "from_stages", CP_FORMAT_TEXT_LIST, G_STRUCT_OFFSET (CpAutomationRule, from_stages) },
  { "condition", CP_FORMAT_CONDITION, G_STRUCT_OFFSET (CpAutomationRule, condition) },
  { "to_stage", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpAutomationRule, to_stage), .required = TRUE },
};
const CpFormatTable _cp_playbook_format_automation_head = TABLE (automation_head_fields);
const CpFormatTable _cp_playbook_format_automation_tail = TABLE (automation_tail_fields);

static const CpFormatField closure_reason_fields[] = {
  { "id", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpClosureReason, id), .required = TRUE },
  { "title", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpClosureReason, title) },
  { "outcome", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpClosureReason, outcome), .required = TRUE },
};
const CpFormatTable _cp_playbook_format_closure_reason = TABLE (closure_reason_fields);

static const CpFormatField consent_rule_fields[] = {
  { "id", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpConsentRule, id), .required = TRUE },
  { "description", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpConsentRule, description) },
  { "condition", CP_FORMAT_CONDITION, G_STRUCT_OFFSET (CpConsentRule, condition),
    .required = TRUE },
  { "blocked_channels", CP_FORMAT_TEXT_LIST, G_STRUCT_OFFSET (CpConsentRule, blocked_channels) },
};
const CpFormatTable _cp_playbook_format_consent_rule = TABLE (consent_rule_fields);

static const CpFormatField retention_rule_fields[] = {
  { "id", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpRetentionRule, id), .required = TRUE },
  { "description", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpRetentionRule, description) },
  { "stages", CP_FORMAT_TEXT_LIST, G_STRUCT_OFFSET (CpRetentionRule, stages) },
  { "months_inactive", CP_FORMAT_UINT, G_STRUCT_OFFSET (CpRetentionRule, months_inactive),
    .required = TRUE, .min = CP_RETENTION_MIN_MONTHS, .max = CP_RETENTION_MAX_MONTHS },
  { "action", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpRetentionRule, action), .required = TRUE },
};
const CpFormatTable _cp_playbook_format_retention_rule = TABLE (retention_rule_fields);

/* Before "days". */
static const CpFormatField business_hours_head_fields[] = {
  { "location", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpBusinessHours, location), .required = TRUE },
  { "timezone", CP_FORMAT_TEXT, G_STRUCT_OFFSET (CpBusinessHours, timezone), .required = TRUE },
};
const CpFormatTable _cp_playbook_format_business_hours_head = TABLE (business_hours_head_fields);

/* ---- reading ---- */

static gboolean
read_number_field (JsonObject          *object,
                   const char          *path,
                   const CpFormatField *field,
                   gpointer             place,
                   GError             **error)
{
  gint64 value = field->absent;

  if (!cp_json_read_int (object, path, field->member, field->required, field->min, field->max,
                         &value, error))
    return FALSE;
  if (field->kind == CP_FORMAT_UINT)
    *(guint *) place = (guint) value;
  else
    *(int *) place = (int) value;
  return TRUE;
}

/**
 * _cp_playbook_format_read_fields:
 * @record: the record whose members @table describes
 *
 * Reads the members of @table from @object into @record, in the table's
 * order. A member that is absent leaves text, lists, conditions and flags
 * as they are, and sets a number to the table's #CpFormatField.absent.
 *
 * Returns: %FALSE with a "path: reason" error at the first problem
 */
gboolean
_cp_playbook_format_read_fields (JsonObject          *object,
                                 const char          *path,
                                 const CpFormatTable *table,
                                 gpointer             record,
                                 GError             **error)
{
  for (guint i = 0; i < table->n_fields; i++)
    {
      const CpFormatField *field = &table->fields[i];
      gpointer place = G_STRUCT_MEMBER_P (record, field->offset);
      gboolean ok = FALSE;

      switch (field->kind)
        {
        case CP_FORMAT_TEXT:
          ok = cp_json_read_string (object, path, field->member, field->required, place, error);
          break;
        case CP_FORMAT_TEXT_LIST:
          ok = cp_json_read_strv (object, path, field->member, place, error);
          break;
        case CP_FORMAT_CONDITION:
          ok = _cp_playbook_format_read_condition (object, path, field->member, field->required,
                                                   place, error);
          break;
        case CP_FORMAT_FLAG:
          ok = cp_json_read_bool (object, path, field->member, place, error);
          break;
        case CP_FORMAT_INT:
        case CP_FORMAT_UINT:
          ok = read_number_field (object, path, field, place, error);
          break;
        default:
          g_assert_not_reached ();
        }
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* ---- writing ---- */

void
_cp_playbook_format_add_fields (JsonBuilder         *builder,
                                const CpFormatTable *table,
                                gconstpointer        record)
{
  for (guint i = 0; i < table->n_fields; i++)
    {
      const CpFormatField *field = &table->fields[i];
      gconstpointer place = G_STRUCT_MEMBER_P (record, field->offset);
      gint64 number;

      switch (field->kind)
        {
        case CP_FORMAT_TEXT:
          cp_json_add_string (builder, field->member, *(char * const *) place);
          break;
        case CP_FORMAT_TEXT_LIST:
          cp_json_add_strv (builder, field->member, *(char ** const *) place);
          break;
        case CP_FORMAT_CONDITION:
          _cp_playbook_format_add_condition (builder, field->member,
                                             *(CpCondition * const *) place);
          break;
        case CP_FORMAT_FLAG:
          if (*(const gboolean *) place)
            {
              json_builder_set_member_name (builder, field->member);
              json_builder_add_boolean_value (builder, TRUE);
            }
          break;
        case CP_FORMAT_INT:
        case CP_FORMAT_UINT:
          if (field->kind == CP_FORMAT_UINT)
            number = *(const guint *) place;
          else
            number = *(const int *) place;
          if (number != 0 || !field->omit_zero)
            cp_json_add_int (builder, field->member, number);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

/* "member": [{…}, …], each record written by @table alone. */
void
_cp_playbook_format_add_records (JsonBuilder         *builder,
                                 const char          *member,
                                 GPtrArray           *records,
                                 const CpFormatTable *table)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < records->len; i++)
    {
      json_builder_begin_object (builder);
      _cp_playbook_format_add_fields (builder, table, g_ptr_array_index (records, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}
