/* cp-lead-format.c — how lead values read to a person
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-format"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-condition.h"
#include "cp-business-hours.h"
#include "cp-lead-format.h"
#include "cp-validate.h"

/* Canonical snake_case ids of choices, stages and service lines, and the
 * words people read for them. Unknown ids are shown as they are. */
static const struct { const char *id; const char *label; } value_labels[] = {
  /* stages */
  { "new", N_("New") }, { "engaged", N_("Engaged") }, { "qualified", N_("Qualified") },
  { "active_evaluation", N_("Active evaluation") }, { "onboarding", N_("Onboarding") },
  { "adoption", N_("Adoption") }, { "reactivation", N_("Reactivation") },
  { "closed_won", N_("Closed won") }, { "closed_lost", N_("Closed lost") },
  /* service lines */
  { "primary_care", N_("Primary care") }, { "behavioral_health", N_("Behavioral health") },
  { "cardiology", N_("Cardiology") }, { "orthopedics", N_("Orthopedics") },
  { "dental", N_("Dental") }, { "senior_care", N_("Senior care") },
  { "physical_therapy", N_("Physical therapy") }, { "dermatology", N_("Dermatology") },
  { "womens_health", N_("Women’s health") }, { "pediatrics", N_("Pediatrics") },
  /* lead types */
  { "patient", N_("Patient") }, { "caregiver", N_("Caregiver") },
  { "referral_partner", N_("Referral partner") }, { "b2b", N_("B2B") },
  { "local_service", N_("Local service") },
  /* source channels */
  { "web_form", N_("Web form") }, { "landing_page", N_("Landing page") },
  { "gated_download", N_("Gated download") }, { "event", N_("Event") },
  { "referral", N_("Referral") }, { "partner_portal", N_("Partner portal") },
  { "inbound_call", N_("Inbound call") }, { "paid_search", N_("Paid search") },
  { "paid_social", N_("Paid social") }, { "organic", N_("Organic") }, { "email", N_("Email") },
  /* tiers */
  { "unqualified", N_("Unqualified") }, { "nurture", N_("Nurture") },
  { "sales_ready", N_("Sales-ready") },
  /* urgency */
  { "low", N_("Low") }, { "medium", N_("Medium") }, { "high", N_("High") },
  { "urgent", N_("Urgent") },
  /* consent */
  { "unknown", N_("Unknown") }, { "granted", N_("Granted") }, { "denied", N_("Denied") },
  { "withdrawn", N_("Withdrawn") },
};

/**
 * cp_value_label:
 * @value: (nullable): a canonical id such as "active_evaluation"
 *
 * Returns: the translated label, or @value itself when it has none
 */
const char *
cp_value_label (const char *value)
{
  if (value == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (value_labels); i++)
    if (g_str_equal (value_labels[i].id, value))
      return _(value_labels[i].label);

  return value;
}

/**
 * cp_dup_choice_label:
 * @value: a choice's canonical id, such as "hospital_system"
 *
 * Returns: (transfer full): its label, or the id read as words when it has
 *   none: "in_network" → "In network"
 */
char *
cp_dup_choice_label (const char *value)
{
  const char *label;

  g_return_val_if_fail (value != NULL, NULL);

  label = cp_value_label (value);
  return label == value ? cp_humanize_id (value) : g_strdup (label);
}

/**
 * cp_lead_dup_value_label:
 *
 * Returns: (transfer full) (nullable): the field's value as a person reads
 *   it, or %NULL when it is not set
 */
char *
cp_lead_dup_value_label (CpLead      *lead,
                         CpLeadField  field)
{
  const CpFieldInfo *info;

  g_return_val_if_fail (CP_IS_LEAD (lead), NULL);

  info = cp_lead_field_info (field);
  switch (info->type)
    {
    case CP_FIELD_TYPE_TEXT:
      /* Phones are stored in E.164 and read in the national style. */
      if (field == CP_LEAD_FIELD_PHONE && cp_lead_get_text (lead, field) != NULL)
        return cp_phone_format_display (cp_lead_get_text (lead, field));
      return g_strdup (cp_value_label (cp_lead_get_text (lead, field)));
    case CP_FIELD_TYPE_CHOICE:
      {
        const char *value = cp_lead_get_text (lead, field);

        return value != NULL ? cp_dup_choice_label (value) : NULL;
      }
    case CP_FIELD_TYPE_BOOL:
      return g_strdup (cp_lead_get_int (lead, field) ? _("Yes") : _("No"));
    case CP_FIELD_TYPE_INT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, cp_lead_get_int (lead, field));
    case CP_FIELD_TYPE_DATETIME:
      if (cp_lead_get_int (lead, field) == 0)
        return NULL;
      return cp_format_date_time (cp_lead_get_int (lead, field));
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * cp_format_relative_time:
 *
 * Returns: (transfer full): “just now”, “5 min ago”, “3 h ago”,
 *   “yesterday”, “12 days ago”, or the date for older times
 */
char *
cp_format_relative_time (gint64 then,
                         gint64 now)
{
  gint64 delta = now - then;

  if (then <= 0)
    return g_strdup (_("never"));
  if (delta < 60)
    return g_strdup (_("just now"));
  if (delta < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d min ago", "%d min ago",
                                         (gulong) (delta / 60)), (int) (delta / 60));
  if (delta < 86400)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d h ago", "%d h ago",
                                         (gulong) (delta / 3600)), (int) (delta / 3600));
  if (delta < 2 * 86400)
    return g_strdup (_("yesterday"));
  if (delta < 60 * 86400)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago",
                                         (gulong) (delta / 86400)), (int) (delta / 86400));

  return cp_format_date (then);
}

/**
 * cp_format_sla:
 * @due: when the first response is due (0: no SLA)
 * @first_response: when it happened (0: not yet)
 *
 * Returns: (transfer full) (nullable): “Due in 3 h”, “Breached 2 d ago”,
 *   or %NULL when there is nothing to show
 */
char *
cp_format_sla (gint64 due,
               gint64 first_response,
               gint64 now)
{
  gint64 delta;

  if (due <= 0 || first_response > 0)
    return NULL;

  delta = due - now;
  if (delta >= 0)
    {
      if (delta < 3600)
        return g_strdup_printf (_("Due in %d min"), (int) MAX (1, delta / 60));
      if (delta < 2 * 86400)
        return g_strdup_printf (_("Due in %d h"), (int) (delta / 3600));
      return g_strdup_printf (_("Due in %d d"), (int) (delta / 86400));
    }

  delta = -delta;
  if (delta < 3600)
    return g_strdup_printf (_("Breached %d min ago"), (int) MAX (1, delta / 60));
  if (delta < 2 * 86400)
    return g_strdup_printf (_("Breached %d h ago"), (int) (delta / 3600));
  return g_strdup_printf (_("Breached %d d ago"), (int) (delta / 86400));
}

/**
 * cp_format_date:
 *
 * Returns: (transfer full): a date in the local time zone with a
 *   four-digit year and the month in words (“7 Dec 2026”), which no
 *   reader mistakes for another date; "" for a time out of range
 */
char *
cp_format_date (gint64 when)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (when);

  /* Translators: a date, as in “7 Dec 2026” (strftime; keep the four-digit year) */
  return time != NULL ? g_date_time_format (time, _("%-d %b %Y")) : g_strdup ("");
}

/**
 * cp_format_date_time:
 *
 * Returns: (transfer full): cp_format_date() with the time of day
 *   (“7 Dec 2026, 14:00”)
 */
char *
cp_format_date_time (gint64 when)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (when);

  /* Translators: a date and time, as in “7 Dec 2026, 14:00” (strftime; keep the four-digit year) */
  return time != NULL ? g_date_time_format (time, _("%-d %b %Y, %H:%M")) : g_strdup ("");
}

/**
 * cp_format_moment:
 *
 * Returns: (transfer full): a day and time as people read it, in the
 *   local time zone (“Mon 7 Dec, 14:00”)
 */
char *
cp_format_moment (gint64 when)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (when);

  /* Translators: a day and time, as in “Mon 7 Dec, 14:00” (strftime) */
  return time != NULL ? g_date_time_format (time, _("%a %-d %b, %H:%M")) : g_strdup ("");
}

/**
 * cp_format_sla_line:
 * @due: when the response is due in the lead's stage (0: no SLA)
 * @first_response: when it came (0: not yet)
 * @escalate_after_hours: the playbook's escalation delay (0: none)
 *
 * The response SLA of a lead in one line, with absolute times: what the
 * lead window shows.
 *
 * Returns: (transfer full): the line
 */
char *
cp_format_sla_line (gint64 due,
                    gint64 first_response,
                    gint64 now,
                    guint  escalate_after_hours)
{
  g_autofree char *due_text = due > 0 ? cp_format_moment (due) : NULL;
  g_autofree char *relative = NULL;

  switch (cp_sla_state (due, first_response, now, escalate_after_hours))
    {
    case CP_SLA_NONE:
      return g_strdup (_("No response time in this stage"));
    case CP_SLA_MET:
      {
        g_autofree char *when = cp_format_moment (first_response);
        return g_strdup_printf (_("Answered %s, in time (due %s)"), when, due_text);
      }
    case CP_SLA_BREACHED:
      if (first_response > 0)
        {
          g_autofree char *when = cp_format_moment (first_response);
          return g_strdup_printf (_("Answered %s, after it was due (%s)"), when, due_text);
        }
      relative = cp_format_sla (due, 0, now);
      return g_strdup_printf (_("Overdue since %s — %s"), due_text, relative);
    case CP_SLA_ESCALATED:
      relative = cp_format_sla (due, 0, now);
      return g_strdup_printf (_("Escalated: overdue since %s — %s"), due_text, relative);
    case CP_SLA_DUE_SOON:
    case CP_SLA_ON_TRACK:
    default:
      relative = cp_format_sla (due, 0, now);
      return g_strdup_printf (_("First response due %s — %s"), due_text, relative);
    }
}

/**
 * cp_lead_dup_initials:
 * @name: (nullable): a person's name, e.g. "Dana Whitfield"
 *
 * Returns: (transfer full): up to two initials, upper-cased ("DW"), or ""
 */
char *
cp_lead_dup_initials (const char *name)
{
  g_autoptr(GString) initials = g_string_new (NULL);
  gboolean at_word_start = TRUE;
  guint count = 0;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return g_strdup ("");

  for (const char *p = name; *p != '\0' && count < 2; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == '-')
        {
          at_word_start = TRUE;
          continue;
        }
      if (at_word_start && g_unichar_isalpha (c))
        {
          g_string_append_unichar (initials, g_unichar_toupper (c));
          count++;
        }
      at_word_start = FALSE;
    }

  return g_string_free (g_steal_pointer (&initials), FALSE);
}

/* How a lead's fields are grouped for people, in order. */
static const CpLeadField contact_fields[] = {
  CP_LEAD_FIELD_FIRST_NAME, CP_LEAD_FIELD_LAST_NAME, CP_LEAD_FIELD_EMAIL, CP_LEAD_FIELD_PHONE,
  CP_LEAD_FIELD_PREFERRED_CONTACT, CP_LEAD_FIELD_LEAD_TYPE, CP_LEAD_N_FIELDS
};
static const CpLeadField organization_fields[] = {
  CP_LEAD_FIELD_ORGANIZATION, CP_LEAD_FIELD_ORG_TYPE, CP_LEAD_FIELD_ORG_SIZE,
  CP_LEAD_FIELD_BUYING_ROLE, CP_LEAD_FIELD_JOB_TITLE, CP_LEAD_N_FIELDS
};
static const CpLeadField interest_fields[] = {
  CP_LEAD_FIELD_SERVICE_LINE, CP_LEAD_FIELD_LOCATION, CP_LEAD_FIELD_REGION,
  CP_LEAD_FIELD_POSTAL_CODE, CP_LEAD_FIELD_SOURCE_CHANNEL, CP_LEAD_FIELD_REFERRAL_SOURCE,
  CP_LEAD_FIELD_CAMPAIGN, CP_LEAD_FIELD_URGENCY, CP_LEAD_FIELD_COVERAGE_FIT, CP_LEAD_N_FIELDS
};
static const CpLeadField timeline_fields[] = {
  CP_LEAD_FIELD_ROLLOUT_WINDOW, CP_LEAD_FIELD_VENDOR_STATUS, CP_LEAD_FIELD_PROCUREMENT_READINESS,
  CP_LEAD_FIELD_REVIEW_PERIOD, CP_LEAD_N_FIELDS
};
static const CpLeadField pipeline_fields[] = {
  CP_LEAD_FIELD_STAGE, CP_LEAD_FIELD_STATUS, CP_LEAD_FIELD_OWNER, CP_LEAD_FIELD_QUEUE,
  CP_LEAD_FIELD_SCORE, CP_LEAD_FIELD_FIT_SCORE, CP_LEAD_FIELD_INTENT_SCORE,
  CP_LEAD_FIELD_READINESS_SCORE, CP_LEAD_FIELD_TIER, CP_LEAD_FIELD_SLA_DUE_AT,
  CP_LEAD_FIELD_FIRST_RESPONSE_AT, CP_LEAD_FIELD_LAST_ACTIVITY_AT,
  CP_LEAD_FIELD_APPOINTMENT_STAGE, CP_LEAD_FIELD_CLOSURE_OUTCOME, CP_LEAD_FIELD_CLOSURE_REASON,
  CP_LEAD_N_FIELDS
};
static const CpLeadField consent_fields[] = {
  CP_LEAD_FIELD_CONSENT_STATUS, CP_LEAD_FIELD_CONSENT_CHANNEL, CP_LEAD_FIELD_CONSENT_CAPTURED_BY,
  CP_LEAD_FIELD_CONSENT_CAPTURED_AT, CP_LEAD_FIELD_CONSENT_SOURCE,
  CP_LEAD_FIELD_CONSENT_NOTICE_VERSION, CP_LEAD_FIELD_DO_NOT_CONTACT, CP_LEAD_N_FIELDS
};
static const CpLeadField record_fields[] = {
  CP_LEAD_FIELD_NOTES, CP_LEAD_FIELD_CREATED_AT, CP_LEAD_FIELD_UPDATED_AT, CP_LEAD_FIELD_ID,
  CP_LEAD_N_FIELDS
};

static const CpFieldGroup field_groups[] = {
  { N_("Contact"), contact_fields },
  { N_("Organization"), organization_fields },
  { N_("Interest & Source"), interest_fields },
  { N_("Timeline"), timeline_fields },
  { N_("Pipeline"), pipeline_fields },
  { N_("Consent"), consent_fields },
  { N_("Record"), record_fields },
};

/**
 * cp_lead_field_groups:
 * @n_groups: (out): how many
 *
 * Returns: (array length=n_groups): every canonical field, once, in
 *   groups as forms and detail views show them
 */
const CpFieldGroup *
cp_lead_field_groups (guint *n_groups)
{
  g_return_val_if_fail (n_groups != NULL, NULL);

  *n_groups = G_N_ELEMENTS (field_groups);
  return field_groups;
}

/**
 * cp_format_history_entry:
 *
 * Returns: (transfer full): one line a person reads, e.g. “Moved from
 *   New to Qualified” or “Urgency: High → Urgent”
 */
char *
cp_format_history_change (const char *action,
                          const char *field,
                          const char *old_value,
                          const char *new_value)
{
  CpLeadField lead_field;
  const char *label = field;
  g_autofree char *old_label = NULL;
  g_autofree char *new_label = NULL;
  gboolean is_choice = FALSE;

  if (g_strcmp0 (action, "stage") == 0)
    {
      if (old_value == NULL)
        return g_strdup_printf (_("Entered %s"), cp_value_label (new_value));
      return g_strdup_printf (_("Moved from %s to %s"), cp_value_label (old_value),
                              cp_value_label (new_value));
    }
  if (g_strcmp0 (action, "create") == 0 && new_value != NULL && g_strcmp0 (field, "owner") == 0)
    /* Translators: a lead was created and given to someone, e.g. “Created for Dana Whitfield” */
    return g_strdup_printf (_("Created for %s"), new_value);
  if (g_strcmp0 (action, "create") == 0 && new_value != NULL && g_strcmp0 (field, "queue") == 0)
    /* Translators: a lead was created in a queue, e.g. “Created in General intake” */
    return g_strdup_printf (_("Created in %s"), cp_value_label (new_value));
  if (g_strcmp0 (action, "create") == 0)
    return g_strdup (_("Created"));
  if (g_strcmp0 (action, "tombstone") == 0)
    return g_strdup (_("Removed"));
  if (g_strcmp0 (action, "flag_duplicate") == 0)
    return g_strdup (_("Kept although it may be a duplicate"));
  if (g_strcmp0 (field, "merge_id") == 0)
    return g_strdup (g_strcmp0 (action, "unmerge") == 0 ? _("Merge undone") : _("Merged"));

  if (field != NULL && cp_lead_field_from_name (field, &lead_field))
    {
      label = _(cp_lead_field_info (lead_field)->label);
      is_choice = cp_lead_field_info (lead_field)->type == CP_FIELD_TYPE_CHOICE;
    }
  /* A choice reads as the lead window shows it (“Budget holder”). */
  if (old_value != NULL)
    old_label = is_choice ? cp_dup_choice_label (old_value) : g_strdup (cp_value_label (old_value));
  if (new_value != NULL)
    new_label = is_choice ? cp_dup_choice_label (new_value) : g_strdup (cp_value_label (new_value));

  return g_strdup_printf ("%s: %s → %s", label != NULL ? label : "", old_label ?: "—",
                          new_label ?: "—");
}

/**
 * cp_lead_is_sla_breached:
 *
 * Returns: whether the lead's first response is overdue at @now: it has a
 *   response deadline, no first response yet, and is not closed. The
 *   store's “SLA breached” filter applies the same rule in SQL.
 */
gboolean
cp_lead_is_sla_breached (CpLead *lead,
                         gint64  now)
{
  gint64 due;
  const char *stage;

  g_return_val_if_fail (CP_IS_LEAD (lead), FALSE);

  due = cp_lead_get_int (lead, CP_LEAD_FIELD_SLA_DUE_AT);
  stage = cp_lead_get_stage (lead);
  return due > 0 && due < now &&
         cp_lead_get_int (lead, CP_LEAD_FIELD_FIRST_RESPONSE_AT) == 0 &&
         g_strcmp0 (stage, "closed_won") != 0 && g_strcmp0 (stage, "closed_lost") != 0;
}

/**
 * cp_lead_is_rotting:
 * @rotting_days: the stage's limit; 0 for none
 *
 * Returns: whether the lead has sat in its stage longer than the limit
 */
gboolean
cp_lead_is_rotting (CpLead *lead,
                    guint   rotting_days,
                    gint64  now)
{
  gint64 entered;

  g_return_val_if_fail (CP_IS_LEAD (lead), FALSE);

  entered = cp_lead_get_stage_entered_at (lead);
  return rotting_days > 0 && entered > 0 && now - entered > (gint64) rotting_days * 86400;
}
