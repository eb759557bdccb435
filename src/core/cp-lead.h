/* cp-lead.h — a healthcare lead: the person or contact moving through the pipeline
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The canonical fields, in canonical order (CSV export, forms, sync mapping). */
typedef enum
{
  CP_LEAD_FIELD_ID,
  CP_LEAD_FIELD_FIRST_NAME,
  CP_LEAD_FIELD_LAST_NAME,
  CP_LEAD_FIELD_EMAIL,
  CP_LEAD_FIELD_PHONE,
  CP_LEAD_FIELD_PREFERRED_CONTACT,
  CP_LEAD_FIELD_LEAD_TYPE,
  CP_LEAD_FIELD_ORGANIZATION,
  CP_LEAD_FIELD_ORG_TYPE,
  CP_LEAD_FIELD_ORG_SIZE,
  CP_LEAD_FIELD_BUYING_ROLE,
  CP_LEAD_FIELD_JOB_TITLE,
  CP_LEAD_FIELD_SERVICE_LINE,
  CP_LEAD_FIELD_LOCATION,
  CP_LEAD_FIELD_REGION,
  CP_LEAD_FIELD_POSTAL_CODE,
  CP_LEAD_FIELD_SOURCE_CHANNEL,
  CP_LEAD_FIELD_REFERRAL_SOURCE,
  CP_LEAD_FIELD_CAMPAIGN,
  CP_LEAD_FIELD_URGENCY,
  CP_LEAD_FIELD_ROLLOUT_WINDOW,
  CP_LEAD_FIELD_VENDOR_STATUS,
  CP_LEAD_FIELD_PROCUREMENT_READINESS,
  CP_LEAD_FIELD_REVIEW_PERIOD,
  CP_LEAD_FIELD_COVERAGE_FIT,
  CP_LEAD_FIELD_STAGE,
  CP_LEAD_FIELD_STATUS,
  CP_LEAD_FIELD_OWNER,
  CP_LEAD_FIELD_QUEUE,
  CP_LEAD_FIELD_CONSENT_STATUS,
  CP_LEAD_FIELD_CONSENT_CHANNEL,
  CP_LEAD_FIELD_CONSENT_CAPTURED_BY,
  CP_LEAD_FIELD_CONSENT_CAPTURED_AT,
  CP_LEAD_FIELD_CONSENT_SOURCE,
  CP_LEAD_FIELD_CONSENT_NOTICE_VERSION,
  CP_LEAD_FIELD_DO_NOT_CONTACT,
  CP_LEAD_FIELD_APPOINTMENT_STAGE,
  CP_LEAD_FIELD_CLOSURE_OUTCOME,
  CP_LEAD_FIELD_CLOSURE_REASON,
  CP_LEAD_FIELD_SCORE,
  CP_LEAD_FIELD_FIT_SCORE,
  CP_LEAD_FIELD_INTENT_SCORE,
  CP_LEAD_FIELD_READINESS_SCORE,
  CP_LEAD_FIELD_TIER,
  CP_LEAD_FIELD_SLA_DUE_AT,
  CP_LEAD_FIELD_FIRST_RESPONSE_AT,
  CP_LEAD_FIELD_LAST_ACTIVITY_AT,
  CP_LEAD_FIELD_NOTES,
  CP_LEAD_FIELD_CREATED_AT,
  CP_LEAD_FIELD_UPDATED_AT,
  CP_LEAD_N_FIELDS
} CpLeadField;

typedef enum
{
  CP_FIELD_TYPE_TEXT,
  CP_FIELD_TYPE_CHOICE,
  CP_FIELD_TYPE_INT,
  CP_FIELD_TYPE_BOOL,
  CP_FIELD_TYPE_DATETIME,
} CpFieldType;

typedef struct
{
  CpLeadField        field;
  const char        *name;        /* canonical id, e.g. "first_name" */
  CpFieldType        type;
  guint              max_length;  /* in characters, 0 = not applicable */
  const char        *label;       /* N_() English label, translate with _() */
  const char * const *choices;    /* NULL-terminated canonical values for CHOICE, else NULL */
  gboolean           searchable;
} CpFieldInfo;

/* One problem found by cp_lead_validate(). @field is CP_LEAD_N_FIELDS when
 * the problem is with a custom field (the message names its key). */
typedef struct
{
  CpLeadField  field;
  char        *message;
} CpFieldError;

CpFieldError *cp_field_error_new  (CpLeadField   field,
                                   const char   *message);
void          cp_field_error_free (CpFieldError *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpFieldError, cp_field_error_free)

#define CP_TYPE_LEAD (cp_lead_get_type ())

G_DECLARE_FINAL_TYPE (CpLead, cp_lead, CP, LEAD, GObject)

const CpFieldInfo *cp_lead_field_info           (CpLeadField   field);
gboolean           cp_lead_field_from_name      (const char   *name,
                                                 CpLeadField  *out_field);

CpLead            *cp_lead_new                  (void);
CpLead            *cp_lead_copy                 (CpLead       *lead);
char              *cp_lead_new_id               (void);

const char        *cp_lead_get_text             (CpLead       *lead,
                                                 CpLeadField   field);
void               cp_lead_set_text             (CpLead       *lead,
                                                 CpLeadField   field,
                                                 const char   *value);
gint64             cp_lead_get_int              (CpLead       *lead,
                                                 CpLeadField   field);
void               cp_lead_set_int              (CpLead       *lead,
                                                 CpLeadField   field,
                                                 gint64        value);
char              *cp_lead_dup_field_string     (CpLead       *lead,
                                                 CpLeadField   field);
gboolean           cp_lead_set_field_from_string (CpLead      *lead,
                                                  CpLeadField  field,
                                                  const char  *value,
                                                  GError     **error);
gboolean           cp_lead_equal_field          (CpLead       *a,
                                                 CpLead       *b,
                                                 CpLeadField   field);

const char        *cp_lead_get_id               (CpLead       *lead);
const char        *cp_lead_get_stage            (CpLead       *lead);
char              *cp_lead_dup_display_name     (CpLead       *lead);
gint64             cp_lead_get_stage_entered_at (CpLead       *lead);
void               cp_lead_set_stage_entered_at (CpLead       *lead,
                                                 gint64        when);

const char        *cp_lead_get_custom           (CpLead       *lead,
                                                 const char   *key);
void               cp_lead_set_custom           (CpLead       *lead,
                                                 const char   *key,
                                                 const char   *value);
GHashTable        *cp_lead_get_custom_fields    (CpLead       *lead);
gboolean           cp_lead_custom_fields_equal  (CpLead       *a,
                                                 CpLead       *b);
gboolean           cp_custom_key_is_valid       (const char   *key);
char              *cp_custom_key_from_label     (const char   *label);

gboolean           cp_lead_field_changed        (CpLead       *lead,
                                                 CpLeadField   field);
gboolean           cp_lead_has_originals        (CpLead       *lead);
char              *cp_lead_dup_original_string  (CpLead       *lead,
                                                 CpLeadField   field);
GPtrArray         *cp_lead_dup_changed_custom_keys (CpLead    *lead);
gboolean           cp_lead_get_custom_original  (CpLead       *lead,
                                                 const char   *key,
                                                 const char  **out_value);
gboolean           cp_lead_field_is_computed    (CpLeadField   field);

gboolean           cp_lead_validate             (CpLead              *lead,
                                                 const char * const  *required_fields,
                                                 GPtrArray          **out_errors,
                                                 GError             **error);

G_END_DECLS
