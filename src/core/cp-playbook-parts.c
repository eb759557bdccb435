/* cp-playbook-parts.c — the playbook's list items: one way to create and free them all
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-playbook"

#include "config.h"

#include <stdio.h>

#include "cp-playbook.h"

/* What a member of a part struct owns, and so how it is released. */
typedef enum
{
  OWNS_MEMORY,      /* a string or a plain array: g_free() */
  OWNS_STRV,        /* g_strfreev() */
  OWNS_CONDITION,   /* cp_condition_free() */
  OWNS_PTR_ARRAY,   /* g_ptr_array_unref() */
  OWNS_ARRAY,       /* g_array_unref() */
} OwnedKind;

typedef struct
{
  OwnedKind kind;
  gsize     offset;
} OwnedMember;

/* Every part struct starts with its id (CpBusinessHours: its location). */
static gpointer
part_new (gsize       size,
          const char *id)
{
  char **part = g_malloc0 (size);

  *part = g_strdup (id);
  return part;
}

static void
part_free (gpointer           part,
           const OwnedMember *members,
           gsize              n_members)
{
  if (part == NULL)
    return;

  for (gsize i = 0; i < n_members; i++)
    {
      gpointer *slot = G_STRUCT_MEMBER_P (part, members[i].offset);

      switch (members[i].kind)
        {
        case OWNS_MEMORY:
          g_clear_pointer (slot, g_free);
          break;
        case OWNS_STRV:
          g_clear_pointer (slot, g_strfreev);
          break;
        case OWNS_CONDITION:
          g_clear_pointer (slot, cp_condition_free);
          break;
        case OWNS_PTR_ARRAY:
          g_clear_pointer (slot, g_ptr_array_unref);
          break;
        case OWNS_ARRAY:
          g_clear_pointer (slot, g_array_unref);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  g_free (part);
}

static const OwnedMember template_members[] = {
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpOutreachTemplate, id) },
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpOutreachTemplate, channel) },
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpOutreachTemplate, title) },
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpOutreachTemplate, body) },
};

static const OwnedMember stage_members[] = {
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpStage, id) },
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpStage, title) },
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpStage, owner_role) },
  { OWNS_CONDITION, G_STRUCT_OFFSET (CpStage, entry) },
  { OWNS_CONDITION, G_STRUCT_OFFSET (CpStage, exit) },
  { OWNS_STRV, G_STRUCT_OFFSET (CpStage, required_fields) },
  { OWNS_STRV, G_STRUCT_OFFSET (CpStage, channels) },
  { OWNS_STRV, G_STRUCT_OFFSET (CpStage, assets) },
  { OWNS_PTR_ARRAY, G_STRUCT_OFFSET (CpStage, templates) },
  { OWNS_STRV, G_STRUCT_OFFSET (CpStage, handoff_checklist) },
  { OWNS_PTR_ARRAY, G_STRUCT_OFFSET (CpStage, entry_tasks) },
};

static const OwnedMember score_rule_members[] = {
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpScoreRule, id) },
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpScoreRule, description) },
  { OWNS_CONDITION, G_STRUCT_OFFSET (CpScoreRule, condition) },
  { OWNS_STRV, G_STRUCT_OFFSET (CpScoreRule, override_stages) },
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpScoreRule, override_points) },
};

static const OwnedMember route_rule_members[] = {
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpRouteRule, id) },
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpRouteRule, description) },
  { OWNS_CONDITION, G_STRUCT_OFFSET (CpRouteRule, condition) },
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpRouteRule, queue) },
};

static const OwnedMember queue_members[] = {
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpQueue, id) },
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpQueue, title) },
  { OWNS_STRV, G_STRUCT_OFFSET (CpQueue, owners) },
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpQueue, escalation_owner) },
};

static const OwnedMember automation_rule_members[] = {
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpAutomationRule, id) },
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpAutomationRule, description) },
  { OWNS_CONDITION, G_STRUCT_OFFSET (CpAutomationRule, condition) },
  { OWNS_STRV, G_STRUCT_OFFSET (CpAutomationRule, from_stages) },
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpAutomationRule, to_stage) },
};

static const OwnedMember closure_reason_members[] = {
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpClosureReason, id) },
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpClosureReason, title) },
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpClosureReason, outcome) },
};

static const OwnedMember retention_rule_members[] = {
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpRetentionRule, id) },
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpRetentionRule, description) },
  { OWNS_STRV, G_STRUCT_OFFSET (CpRetentionRule, stages) },
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpRetentionRule, action) },
};

static const OwnedMember consent_rule_members[] = {
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpConsentRule, id) },
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpConsentRule, description) },
  { OWNS_CONDITION, G_STRUCT_OFFSET (CpConsentRule, condition) },
  { OWNS_STRV, G_STRUCT_OFFSET (CpConsentRule, blocked_channels) },
};

static const OwnedMember business_hours_members[] = {
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpBusinessHours, location) },
  { OWNS_MEMORY, G_STRUCT_OFFSET (CpBusinessHours, timezone) },
  { OWNS_ARRAY, G_STRUCT_OFFSET (CpBusinessHours, holidays) },
};

CpOutreachTemplate *
cp_outreach_template_new (const char *id)
{
  return part_new (sizeof (CpOutreachTemplate), id);
}

void
cp_outreach_template_free (CpOutreachTemplate *template_)
{
  part_free (template_, template_members, G_N_ELEMENTS (template_members));
}

CpStage *
cp_stage_new (const char *id)
{
  CpStage *stage = part_new (sizeof (CpStage), id);

  stage->templates = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_outreach_template_free);
  stage->entry_tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_entry_task_free);
  return stage;
}

void
cp_stage_free (CpStage *stage)
{
  part_free (stage, stage_members, G_N_ELEMENTS (stage_members));
}

CpScoreRule *
cp_score_rule_new (const char *id)
{
  return part_new (sizeof (CpScoreRule), id);
}

void
cp_score_rule_free (CpScoreRule *rule)
{
  part_free (rule, score_rule_members, G_N_ELEMENTS (score_rule_members));
}

CpRouteRule *
cp_route_rule_new (const char *id)
{
  return part_new (sizeof (CpRouteRule), id);
}

void
cp_route_rule_free (CpRouteRule *rule)
{
  part_free (rule, route_rule_members, G_N_ELEMENTS (route_rule_members));
}

CpQueue *
cp_queue_new (const char *id)
{
  return part_new (sizeof (CpQueue), id);
}

void
cp_queue_free (CpQueue *queue)
{
  part_free (queue, queue_members, G_N_ELEMENTS (queue_members));
}

CpAutomationRule *
cp_automation_rule_new (const char *id)
{
  return part_new (sizeof (CpAutomationRule), id);
}

void
cp_automation_rule_free (CpAutomationRule *rule)
{
  part_free (rule, automation_rule_members, G_N_ELEMENTS (automation_rule_members));
}

CpClosureReason *
cp_closure_reason_new (const char *id)
{
  return part_new (sizeof (CpClosureReason), id);
}

void
cp_closure_reason_free (CpClosureReason *reason)
{
  part_free (reason, closure_reason_members, G_N_ELEMENTS (closure_reason_members));
}

CpRetentionRule *
cp_retention_rule_new (const char *id)
{
  return part_new (sizeof (CpRetentionRule), id);
}

void
cp_retention_rule_free (CpRetentionRule *rule)
{
  part_free (rule, retention_rule_members, G_N_ELEMENTS (retention_rule_members));
}

CpConsentRule *
cp_consent_rule_new (const char *id)
{
  return part_new (sizeof (CpConsentRule), id);
}

void
cp_consent_rule_free (CpConsentRule *rule)
{
  part_free (rule, consent_rule_members, G_N_ELEMENTS (consent_rule_members));
}

CpBusinessHours *
cp_business_hours_new (const char *location)
{
  CpBusinessHours *hours = part_new (sizeof (CpBusinessHours), location);

  hours->timezone = g_strdup ("UTC");
  hours->days = 0x1f;  /* Monday to Friday */
  hours->open_minute = 8 * 60;
  hours->close_minute = 17 * 60;
  hours->holidays = g_array_new (FALSE, FALSE, sizeof (guint32));
  return hours;
}

void
cp_business_hours_free (CpBusinessHours *hours)
{
  part_free (hours, business_hours_members, G_N_ELEMENTS (business_hours_members));
}

/**
 * cp_parse_iso_date:
 * @text: a date such as "2026-12-25"
 * @out_julian: (out): its Julian day (GDate)
 *
 * Returns: whether @text is exactly a valid date in that form
 */
gboolean
cp_parse_iso_date (const char *text,
                   guint32    *out_julian)
{
  GDate date;
  guint y, m, d;
  char tail;

  g_return_val_if_fail (text != NULL && out_julian != NULL, FALSE);

  if (sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  *out_julian = g_date_get_julian (&date);
  return TRUE;
}

/**
 * cp_parse_clock_time:
 * @text: a time of day such as "08:30" or "17:00" ("24:00" is the end of the day)
 * @out_minute: (out): minutes after midnight
 *
 * Returns: whether @text is such a time
 */
gboolean
cp_parse_clock_time (const char *text,
                     int        *out_minute)
{
  guint h, m;
  char tail;

  g_return_val_if_fail (text != NULL && out_minute != NULL, FALSE);

  if (sscanf (text, "%2u:%2u%c", &h, &m, &tail) != 2 || m > 59 || h > 24 || (h == 24 && m > 0))
    return FALSE;
  *out_minute = (int) (h * 60 + m);
  return TRUE;
}
