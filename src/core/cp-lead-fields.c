/* cp-lead-fields.c — the canonical lead fields: names, types, limits, choices
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-lead.h"
#include "cp-lead-private.h"

static const char * const preferred_contact_choices[] = {
  "email", "phone", "sms", "mail", "none", NULL
};
static const char * const lead_type_choices[] = {
  "patient", "caregiver", "referral_partner", "b2b", "local_service", NULL
};
static const char * const org_type_choices[] = {
  "hospital_system", "clinic", "physician_group", "health_plan", "employer",
  "senior_living", "home_health", "other", NULL
};
static const char * const org_size_choices[] = {
  "1_10", "11_50", "51_200", "201_1000", "1001_plus", NULL
};
static const char * const buying_role_choices[] = {
  "user", "recommender", "evaluator", "budget_holder", "final_approver", NULL
};
static const char * const source_channel_choices[] = {
  "web_form", "landing_page", "gated_download", "event", "referral", "partner_portal",
  "inbound_call", "paid_search", "paid_social", "organic", "email", NULL
};
static const char * const urgency_choices[] = { "low", "medium", "high", "urgent", NULL };
static const char * const procurement_readiness_choices[] = {
  "none", "budget_identified", "in_procurement", "contract_review", "approved", NULL
};
static const char * const coverage_fit_choices[] = {
  "in_network", "out_of_network", "self_pay", "unknown", "not_covered", NULL
};
static const char * const status_choices[] = {
  "open", "working", "nurturing", "unresponsive", "closed", NULL
};
static const char * const consent_status_choices[] = {
  "unknown", "granted", "denied", "withdrawn", NULL
};
static const char * const consent_channel_choices[] = {
  "email", "phone", "sms", "mail", "any", NULL
};
static const char * const appointment_stage_choices[] = {
  "none", "scheduled", "confirmed", "rescheduled", "no_show", "completed_intake", NULL
};
static const char * const closure_outcome_choices[] = { "won", "lost", NULL };
static const char * const tier_choices[] = { "unqualified", "nurture", "sales_ready", NULL };

#define TEXT(f, n, len, lbl, srch) \
  [CP_LEAD_FIELD_##f] = { CP_LEAD_FIELD_##f, n, CP_FIELD_TYPE_TEXT, len, lbl, NULL, srch }
#define CHOICE(f, n, lbl, ch) \
  [CP_LEAD_FIELD_##f] = { CP_LEAD_FIELD_##f, n, CP_FIELD_TYPE_CHOICE, 64, lbl, ch, FALSE }
#define NUMBER(f, n, t, lbl) \
  [CP_LEAD_FIELD_##f] = { CP_LEAD_FIELD_##f, n, t, 0, lbl, NULL, FALSE }

const CpFieldInfo _cp_lead_field_infos[CP_LEAD_N_FIELDS] = {
  TEXT (ID, "id", 64, N_("ID"), FALSE),
  TEXT (FIRST_NAME, "first_name", 200, N_("First name"), TRUE),
  TEXT (LAST_NAME, "last_name", 200, N_("Last name"), TRUE),
  TEXT (EMAIL, "email", 254, N_("Email"), TRUE),
  TEXT (PHONE, "phone", 32, N_("Phone"), TRUE),
  CHOICE (PREFERRED_CONTACT, "preferred_contact", N_("Preferred contact method"),
          preferred_contact_choices),
  CHOICE (LEAD_TYPE, "lead_type", N_("Lead type"), lead_type_choices),
  TEXT (ORGANIZATION, "organization", 300, N_("Organization"), TRUE),
  CHOICE (ORG_TYPE, "org_type", N_("Organization type"), org_type_choices),
  CHOICE (ORG_SIZE, "org_size", N_("Organization size"), org_size_choices),
  CHOICE (BUYING_ROLE, "buying_role", N_("Buying role"), buying_role_choices),
  TEXT (JOB_TITLE, "job_title", 200, N_("Job title"), FALSE),
  TEXT (SERVICE_LINE, "service_line", 200, N_("Service line"), FALSE),
  TEXT (LOCATION, "location", 200, N_("Location"), FALSE),
  TEXT (REGION, "region", 200, N_("Region"), FALSE),
  TEXT (POSTAL_CODE, "postal_code", 20, N_("Postal code"), FALSE),
  CHOICE (SOURCE_CHANNEL, "source_channel", N_("Source channel"), source_channel_choices),
  TEXT (REFERRAL_SOURCE, "referral_source", 300, N_("Referral source"), FALSE),
  TEXT (CAMPAIGN, "campaign", 300, N_("Campaign"), FALSE),
  CHOICE (URGENCY, "urgency", N_("Urgency"), urgency_choices),
  TEXT (ROLLOUT_WINDOW, "rollout_window", 200, N_("Planned rollout window"), FALSE),
  TEXT (VENDOR_STATUS, "vendor_status", 300, N_("Current vendor status"), FALSE),
  CHOICE (PROCUREMENT_READINESS, "procurement_readiness", N_("Procurement readiness"),
          procurement_readiness_choices),
  TEXT (REVIEW_PERIOD, "review_period", 200, N_("Review period"), FALSE),
  CHOICE (COVERAGE_FIT, "coverage_fit", N_("Coverage fit"), coverage_fit_choices),
  TEXT (STAGE, "stage", 64, N_("Stage"), FALSE),
  CHOICE (STATUS, "status", N_("Status"), status_choices),
  TEXT (OWNER, "owner", 200, N_("Owner"), FALSE),
  TEXT (QUEUE, "queue", 200, N_("Queue"), FALSE),
  CHOICE (CONSENT_STATUS, "consent_status", N_("Consent status"), consent_status_choices),
  CHOICE (CONSENT_CHANNEL, "consent_channel", N_("Consent channel"), consent_channel_choices),
  TEXT (CONSENT_CAPTURED_BY, "consent_captured_by", 200, N_("Consent captured by"), FALSE),
  NUMBER (CONSENT_CAPTURED_AT, "consent_captured_at", CP_FIELD_TYPE_DATETIME,
          N_("Consent captured at")),
  TEXT (CONSENT_SOURCE, "consent_source", 300, N_("Consent source"), FALSE),
  TEXT (CONSENT_NOTICE_VERSION, "consent_notice_version", 64, N_("Consent notice version"), FALSE),
  NUMBER (DO_NOT_CONTACT, "do_not_contact", CP_FIELD_TYPE_BOOL, N_("Do not contact")),
  CHOICE (APPOINTMENT_STAGE, "appointment_stage", N_("Appointment stage"),
          appointment_stage_choices),
  CHOICE (CLOSURE_OUTCOME, "closure_outcome", N_("Closure outcome"), closure_outcome_choices),
  /* The playbook's closure reasons, checked when the lead is saved. */
  TEXT (CLOSURE_REASON, "closure_reason", 64, N_("Closure reason"), FALSE),
  NUMBER (SCORE, "score", CP_FIELD_TYPE_INT, N_("Score")),
  NUMBER (FIT_SCORE, "fit_score", CP_FIELD_TYPE_INT, N_("Fit score")),
  NUMBER (INTENT_SCORE, "intent_score", CP_FIELD_TYPE_INT, N_("Intent score")),
  NUMBER (READINESS_SCORE, "readiness_score", CP_FIELD_TYPE_INT, N_("Readiness score")),
  CHOICE (TIER, "tier", N_("Tier"), tier_choices),
  NUMBER (SLA_DUE_AT, "sla_due_at", CP_FIELD_TYPE_DATETIME, N_("Response due")),
  NUMBER (FIRST_RESPONSE_AT, "first_response_at", CP_FIELD_TYPE_DATETIME, N_("First response")),
  NUMBER (LAST_ACTIVITY_AT, "last_activity_at", CP_FIELD_TYPE_DATETIME, N_("Last activity")),
  TEXT (NOTES, "notes", 100000, N_("Notes"), TRUE),
  NUMBER (CREATED_AT, "created_at", CP_FIELD_TYPE_DATETIME, N_("Created")),
  NUMBER (UPDATED_AT, "updated_at", CP_FIELD_TYPE_DATETIME, N_("Updated")),
};

#undef TEXT
#undef CHOICE
#undef NUMBER

/**
 * cp_lead_field_info:
 * @field: a #CpLeadField
 *
 * Returns: (transfer none): the static description of @field
 */
const CpFieldInfo *
cp_lead_field_info (CpLeadField field)
{
  g_return_val_if_fail (field < CP_LEAD_N_FIELDS, NULL);

  return &_cp_lead_field_infos[field];
}

/**
 * cp_lead_field_from_name:
 * @name: a canonical field id such as "first_name"
 * @out_field: (out) (optional): the field
 *
 * Returns: %TRUE if @name is a canonical field id
 */
gboolean
cp_lead_field_from_name (const char  *name,
                         CpLeadField *out_field)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    {
      if (strcmp (_cp_lead_field_infos[i].name, name) == 0)
        {
          if (out_field != NULL)
            *out_field = i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * cp_lead_field_is_computed:
 * @field: a #CpLeadField
 *
 * The fields the playbook computes — scores and tier, the queue, the SLA
 * clock, first response and last activity — and the update time: nobody
 * writes them, the store derives them on every change.
 *
 * Returns: %TRUE if @field is computed
 */
gboolean
cp_lead_field_is_computed (CpLeadField field)
{
  switch (field)
    {
    case CP_LEAD_FIELD_SCORE:
    case CP_LEAD_FIELD_FIT_SCORE:
    case CP_LEAD_FIELD_INTENT_SCORE:
    case CP_LEAD_FIELD_READINESS_SCORE:
    case CP_LEAD_FIELD_TIER:
    case CP_LEAD_FIELD_QUEUE:
    case CP_LEAD_FIELD_SLA_DUE_AT:
    case CP_LEAD_FIELD_FIRST_RESPONSE_AT:
    case CP_LEAD_FIELD_LAST_ACTIVITY_AT:
    case CP_LEAD_FIELD_UPDATED_AT:
      return TRUE;
    default:
      return FALSE;
    }
}
