/* cp-lead-columns.h — the leads table's canonical columns, in CpLeadField order
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Must list the columns in exactly the order of CpLeadField: column i of a
 * SELECT of CP_LEAD_COLUMNS is field i (test-store checks it). */
#define CP_LEAD_COLUMNS \
  "id, first_name, last_name, email, phone, preferred_contact, lead_type, organization," \
  " org_type, org_size, buying_role, job_title, service_line, location, region," \
  " postal_code, source_channel, referral_source, campaign, urgency, rollout_window," \
  " vendor_status, procurement_readiness, review_period, coverage_fit, stage, status," \
  " owner, queue, consent_status, consent_channel, consent_captured_by," \
  " consent_captured_at, consent_source, consent_notice_version, do_not_contact," \
  " appointment_stage, closure_outcome, closure_reason, score, fit_score, intent_score," \
  " readiness_score, tier, sla_due_at, first_response_at, last_activity_at, notes," \
  " created_at, updated_at"

#define CP_LEAD_PLACEHOLDERS \
  "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?," \
  " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"

#define CP_LEAD_N_COLUMNS 50

/* Every lead SELECT reads the canonical columns, then this one. */
#define CP_LEAD_SELECT_COLUMNS CP_LEAD_COLUMNS ", stage_entered_at"
#define CP_LEAD_STAGE_ENTERED_COLUMN CP_LEAD_N_COLUMNS
