/* cp-demo.c — reproducible synthetic leads for demos, tests and benchmarks
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-demo"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cp-activity.h"
#include "cp-demo.h"
#include "cp-demo-data.h"
#include "cp-demo-private.h"
#include "cp-lead-private.h"
#include "cp-normalize.h"
#include "cp-stage-event.h"

#define MINUTE G_GINT64_CONSTANT (60)
#define HOUR   G_GINT64_CONSTANT (3600)
#define DAY    G_GINT64_CONSTANT (86400)

struct _CpDemoGenerator
{
  GObject     parent_instance;

  CpDemoRng   rng;
  guint64     seed;
  gint64      now;
  guint64     n_leads;

  /* ASCII forms of the names, for email addresses. */
  char      **first_ascii;
  char      **last_ascii;

  /* Indices into _cp_demo_organizations, per CpDemoOrgKind. */
  guint      *orgs_by_kind[3];
  guint       n_orgs_by_kind[3];
};

G_DEFINE_FINAL_TYPE (CpDemoGenerator, cp_demo_generator, G_TYPE_OBJECT)

const char * const _cp_demo_stage_ids[CP_DEMO_N_STAGES + 1] = {
  "new", "engaged", "qualified", "active_evaluation", "onboarding", "adoption",
  "reactivation", "closed_won", "closed_lost", NULL
};

/* Funnel-shaped: most leads sit early, few reach adoption. */
static const guint stage_weights[CP_DEMO_N_STAGES] = { 22, 18, 13, 9, 6, 5, 7, 6, 14 };

typedef enum
{
  TYPE_PATIENT,
  TYPE_CAREGIVER,
  TYPE_REFERRAL_PARTNER,
  TYPE_B2B,
  TYPE_LOCAL_SERVICE,
  N_TYPES
} LeadType;

static const char * const lead_type_ids[N_TYPES] = {
  "patient", "caregiver", "referral_partner", "b2b", "local_service"
};
static const guint lead_type_weights[N_TYPES] = { 55, 15, 12, 12, 6 };

static const CpDemoWeighted service_lines[] = {
  { "primary_care", 22 }, { "behavioral_health", 12 }, { "cardiology", 8 },
  { "orthopedics", 9 }, { "dental", 9 }, { "senior_care", 8 },
  { "physical_therapy", 8 }, { "dermatology", 7 }, { "womens_health", 9 },
  { "pediatrics", 8 },
};

static const CpDemoWeighted source_channels[] = {
  { "web_form", 22 }, { "landing_page", 10 }, { "gated_download", 6 }, { "event", 7 },
  { "referral", 14 }, { "partner_portal", 4 }, { "inbound_call", 10 },
  { "paid_search", 10 }, { "paid_social", 6 }, { "organic", 7 }, { "email", 4 },
};

static const CpDemoWeighted email_domains[] = {
  { "example.org", 3 }, { "example.com", 5 }, { "example.net", 2 },
};

static const CpDemoWeighted preferred_contacts[] = {
  { "email", 40 }, { "phone", 30 }, { "sms", 20 }, { "mail", 5 }, { "none", 5 },
};

static const CpDemoWeighted urgencies[] = {
  { "low", 30 }, { "medium", 40 }, { "high", 22 }, { "urgent", 8 },
};

static const CpDemoWeighted coverage_fits[] = {
  { "in_network", 55 }, { "out_of_network", 12 }, { "self_pay", 12 },
  { "unknown", 18 }, { "not_covered", 3 },
};

static const CpDemoWeighted consent_channels[] = {
  { "email", 40 }, { "any", 25 }, { "phone", 15 }, { "sms", 15 }, { "mail", 5 },
};

static const CpDemoWeighted closure_reasons[] = {
  { "no_response", 30 }, { "not_a_fit", 15 }, { "duplicate", 6 },
  { "outside_coverage_area", 10 }, { "no_budget", 10 }, { "chose_competitor", 12 },
  { "timing", 12 }, { "other", 5 },
};

static const CpDemoWeighted org_sizes[] = {
  { "1_10", 10 }, { "11_50", 20 }, { "51_200", 25 }, { "201_1000", 25 }, { "1001_plus", 20 },
};

static const CpDemoWeighted b2b_buying_roles[] = {
  { "user", 10 }, { "recommender", 20 }, { "evaluator", 30 }, { "budget_holder", 25 },
  { "final_approver", 15 },
};

static const CpDemoWeighted procurement_readiness[] = {
  { "none", 35 }, { "budget_identified", 25 }, { "in_procurement", 20 },
  { "contract_review", 12 }, { "approved", 8 },
};

static const char * const b2b_job_titles[] = {
  "VP of Population Health", "Benefits Manager", "Director of Operations",
  "Chief Medical Officer", "HR Director", "Procurement Lead", "Director of Care Management",
};
static const char * const referral_job_titles[] = {
  "Referral Coordinator", "Care Manager", "Practice Manager", "Nurse Navigator",
  "Physician Assistant",
};
static const char * const local_job_titles[] = {
  "Owner", "Administrator", "Community Liaison", "Director of Nursing",
};
static const char * const rollout_windows[] = {
  "Q2 2026", "Q3 2026", "Q4 2026", "H1 2027", "Not decided",
};
static const char * const vendor_statuses[] = {
  "No current vendor", "Using a competitor", "Contract ends within 6 months",
  "In-house solution", "Pilot with another vendor",
};
static const char * const review_periods[] = {
  "Monthly", "Quarterly", "Annual", "At contract renewal",
};
static const char * const referral_sources[] = {
  "Cedar Valley Family Clinic", "Northgate Physician Group", "Patient referral",
  "Community health worker", "Lakeshore Pediatric Associates", "Employer benefits fair",
};
static const char * const person_notes[] = {
  "Prefers morning calls.",
  "Asked about weekend hours.",
  "Spanish-speaking; offer an interpreter.",
  "Caregiver for a parent; needs transport information.",
  "Wants to confirm coverage before booking.",
  "Mentioned a long wait at a previous provider.",
  "Asked for a female clinician.",
  "Needs wheelchair access.",
  "Call after 5 pm on weekdays.\nText is fine for reminders.",
};
static const char * const org_notes[] = {
  "Evaluating three vendors; decision expected next quarter.",
  "Interested in a pilot at one site first.",
  "Budget approval sits with the CFO.",
  "Asked for references from similar organizations.",
  "Wants a data-sharing agreement reviewed by legal.",
};

static const char * const consent_sources[] = {
  "web_form", "event_kiosk", "phone_intake", "paper_form", "partner_portal",
};

static const char * const appointment_by_stage[CP_DEMO_N_STAGES][3] = {
  [CP_DEMO_STAGE_NEW] = { "none", "none", "none" },
  [CP_DEMO_STAGE_ENGAGED] = { "none", "scheduled", "none" },
  [CP_DEMO_STAGE_QUALIFIED] = { "scheduled", "confirmed", "rescheduled" },
  [CP_DEMO_STAGE_ACTIVE_EVALUATION] = { "confirmed", "completed_intake", "no_show" },
  [CP_DEMO_STAGE_ONBOARDING] = { "completed_intake", "completed_intake", "confirmed" },
  [CP_DEMO_STAGE_ADOPTION] = { "completed_intake", "completed_intake", "completed_intake" },
  [CP_DEMO_STAGE_REACTIVATION] = { "no_show", "none", "rescheduled" },
  [CP_DEMO_STAGE_CLOSED_WON] = { "completed_intake", "completed_intake", "completed_intake" },
  [CP_DEMO_STAGE_CLOSED_LOST] = { "none", "no_show", "none" },
};

const char *
_cp_demo_pick_weighted (CpDemoRng            *rng,
                        const CpDemoWeighted *items,
                        guint                 n_items)
{
  guint total = 0;
  guint r;

  for (guint i = 0; i < n_items; i++)
    total += items[i].weight;

  r = rng_below (rng, total);
  for (guint i = 0; i < n_items; i++)
    {
      if (r < items[i].weight)
        return items[i].value;
      r -= items[i].weight;
    }

  g_assert_not_reached ();
}

guint
_cp_demo_pick_index (CpDemoRng   *rng,
                     const guint *weights,
                     guint        n)
{
  guint total = 0;
  guint r;

  for (guint i = 0; i < n; i++)
    total += weights[i];

  r = rng_below (rng, total);
  for (guint i = 0; i < n; i++)
    {
      if (r < weights[i])
        return i;
      r -= weights[i];
    }

  g_assert_not_reached ();
}

/*
 * Demo ids grow in the order they are made. The store indexes leads and
 * activities by id, and activities by their lead's id: random ids put
 * every new row on a random page of those indexes, which at a million
 * leads no longer fit in the page cache (each lead then reads and
 * rewrites pages from disk); ids that grow put it on the last page.
 *
 * The layout is a version 8 UUID (RFC 9562, custom), reproducible like
 * the rest: bytes 0-3 a tag of the seed, then the lead's number (28
 * bits, around the version nibble), then random bits. A lead's
 * activities and stage events take its first 8 bytes, then their own
 * number, then random bits.
 */
static char *
format_uuid (guint8 bytes[16])
{
  static const char hex[] = "0123456789abcdef";
  char *out = g_malloc (37);
  char *p = out;

  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        *p++ = '-';
      *p++ = hex[bytes[i] >> 4];
      *p++ = hex[bytes[i] & 0x0f];
    }
  *p = '\0';
  return out;
}

static void
random_bytes (CpDemoRng *rng,
              guint8     bytes[16])
{
  guint64 hi = rng_next (rng);
  guint64 lo = rng_next (rng);

  for (guint i = 0; i < 8; i++)
    {
      bytes[i] = (guint8) (hi >> (56 - 8 * i));
      bytes[8 + i] = (guint8) (lo >> (56 - 8 * i));
    }
}

static char *
make_lead_id (CpDemoGenerator *self)
{
  guint32 tag = (guint32) (self->seed >> 32);
  guint32 number = (guint32) self->n_leads;
  guint8 bytes[16];

  random_bytes (&self->rng, bytes);
  bytes[0] = (guint8) (tag >> 24);
  bytes[1] = (guint8) (tag >> 16);
  bytes[2] = (guint8) (tag >> 8);
  bytes[3] = (guint8) tag;
  bytes[4] = (guint8) (number >> 20);
  bytes[5] = (guint8) (number >> 12);
  bytes[6] = (guint8) ((number >> 8) & 0x0f);
  bytes[7] = (guint8) number;
  return format_uuid (bytes);
}

/* The id of @lead_id's @child-th activity or stage event (@child below
 * 2^14): its lead's first 8 bytes, so that they follow its lead. */
char *
_cp_demo_child_uuid (const char *lead_id,
                     guint       child,
                     CpDemoRng  *rng)
{
  guint8 bytes[16];

  random_bytes (rng, bytes);
  if (lead_id != NULL && g_uuid_string_is_valid (lead_id))
    {
      const char *p = lead_id;

      for (guint i = 0; i < 8; i++, p += 2)
        {
          if (*p == '-')
            p++;
          bytes[i] = (guint8) (g_ascii_xdigit_value (p[0]) << 4 | g_ascii_xdigit_value (p[1]));
        }
    }
  bytes[8] = (guint8) (child >> 8);
  bytes[9] = (guint8) child;
  return format_uuid (bytes);
}

/* Activities and history of a lead depend only on the seed and the lead's
 * id, not on the order in which they are asked for. */
CpDemoRng
_cp_demo_generator_rng_for_lead (CpDemoGenerator *self,
                                 CpLead          *lead,
                                 guint64          salt)
{
  const char *id = cp_lead_get_id (lead);
  guint64 hash = G_GUINT64_CONSTANT (0xcbf29ce484222325);
  CpDemoRng rng;

  for (const char *p = id ? id : ""; *p != '\0'; p++)
    hash = (hash ^ (guint8) *p) * G_GUINT64_CONSTANT (0x100000001b3);

  rng.state = mix64 (self->seed ^ mix64 (hash ^ salt));
  return rng;
}

CpDemoStage
_cp_demo_stage_from_id (const char *id)
{
  for (guint i = 0; i < CP_DEMO_N_STAGES; i++)
    if (g_strcmp0 (_cp_demo_stage_ids[i], id) == 0)
      return i;

  return CP_DEMO_STAGE_NEW;
}

static char *
ascii_for_email (const CpDemoName *name)
{
  g_autofree char *normalized = NULL;
  GString *out;

  if (name->ascii != NULL)
    return g_strdup (name->ascii);

  normalized = cp_normalize_name (name->name);
  out = g_string_new (NULL);
  for (const char *p = normalized; p != NULL && *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, *p);

  g_assert (out->len > 0);
  return g_string_free (out, FALSE);
}

static void
cp_demo_generator_finalize (GObject *object)
{
  CpDemoGenerator *self = (CpDemoGenerator *) object;

  g_clear_pointer (&self->first_ascii, g_strfreev);
  g_clear_pointer (&self->last_ascii, g_strfreev);
  for (guint i = 0; i < G_N_ELEMENTS (self->orgs_by_kind); i++)
    g_clear_pointer (&self->orgs_by_kind[i], g_free);

  G_OBJECT_CLASS (cp_demo_generator_parent_class)->finalize (object);
}

static void
cp_demo_generator_class_init (CpDemoGeneratorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cp_demo_generator_finalize;
}

static void
cp_demo_generator_init (CpDemoGenerator *self)
{
  self->first_ascii = g_new0 (char *, _cp_demo_n_first_names + 1);
  for (guint i = 0; i < _cp_demo_n_first_names; i++)
    self->first_ascii[i] = ascii_for_email (&_cp_demo_first_names[i]);

  self->last_ascii = g_new0 (char *, _cp_demo_n_last_names + 1);
  for (guint i = 0; i < _cp_demo_n_last_names; i++)
    self->last_ascii[i] = ascii_for_email (&_cp_demo_last_names[i]);

  for (guint k = 0; k < G_N_ELEMENTS (self->orgs_by_kind); k++)
    {
      self->orgs_by_kind[k] = g_new0 (guint, _cp_demo_n_organizations);
      for (guint i = 0; i < _cp_demo_n_organizations; i++)
        if (_cp_demo_organizations[i].kind == (CpDemoOrgKind) k)
          self->orgs_by_kind[k][self->n_orgs_by_kind[k]++] = i;
      g_assert (self->n_orgs_by_kind[k] > 0);
    }
}

/**
 * cp_demo_generator_new:
 * @seed: the seed; the same seed gives the same leads, ids included
 * @now_unix: "now" for the generated timestamps, in Unix seconds; leads are
 *   created in the 12 months before it
 *
 * Returns: (transfer full): a generator of invented leads (no real people)
 */
CpDemoGenerator *
cp_demo_generator_new (guint32 seed,
                       gint64  now_unix)
{
  CpDemoGenerator *self;

  g_return_val_if_fail (now_unix > 366 * DAY, NULL);

  self = g_object_new (CP_TYPE_DEMO_GENERATOR, NULL);
  /* Scramble the seed: SplitMix64 streams of nearby plain seeds would be
   * the same stream shifted by a step or two. */
  self->seed = mix64 ((guint64) seed ^ G_GUINT64_CONSTANT (0x5ca1ab1e0ddba11));
  self->rng.state = self->seed;
  self->now = now_unix;
  return self;
}

static char *
make_email (CpDemoGenerator *self,
            guint            first,
            guint            last)
{
  CpDemoRng *rng = &self->rng;
  const char *f = self->first_ascii[first];
  const char *l = self->last_ascii[last];
  const char *domain = PICK (rng, email_domains);
  guint64 n = self->n_leads;

  /* The running number keeps every address of a generator unique. */
  switch (rng_below (rng, 4))
    {
    case 0:
      return g_strdup_printf ("%s.%s%" G_GUINT64_FORMAT "@%s", f, l, n, domain);
    case 1:
      return g_strdup_printf ("%s%s%" G_GUINT64_FORMAT "@%s", f, l, n, domain);
    case 2:
      return g_strdup_printf ("%c.%s%" G_GUINT64_FORMAT "@%s", f[0], l, n, domain);
    default:
      return g_strdup_printf ("%s_%s%" G_GUINT64_FORMAT "@%s", f, l, n, domain);
    }
}

/* +1 NXX 555-01xx: the range reserved for fiction. */
static char *
make_phone (CpDemoRng            *rng,
            const CpDemoLocation *location)
{
  char *phone = g_malloc (13);
  guint line = rng_below (rng, 100);

  memcpy (phone, "+1", 2);
  memcpy (phone + 2, location->area_code, 3);
  memcpy (phone + 5, "55501", 5);
  phone[10] = (char) ('0' + line / 10);
  phone[11] = (char) ('0' + line % 10);
  phone[12] = '\0';

  return phone;
}

static gboolean
channel_has_campaign (const char *channel)
{
  static const char * const with_campaign[] = {
    "landing_page", "gated_download", "paid_search", "paid_social", "email", NULL
  };

  return g_strv_contains (with_campaign, channel);
}

static const char *
consent_source_for (const char *channel)
{
  if (g_str_equal (channel, "event"))
    return consent_sources[1];
  if (g_str_equal (channel, "inbound_call") || g_str_equal (channel, "referral"))
    return consent_sources[2];
  if (g_str_equal (channel, "partner_portal"))
    return consent_sources[4];
  return consent_sources[0];
}

static void
fill_organization (CpDemoGenerator *self,
                   CpLead          *lead,
                   LeadType         type)
{
  CpDemoRng *rng = &self->rng;
  CpDemoOrgKind kind;
  const CpDemoOrganization *org;

  switch (type)
    {
    case TYPE_REFERRAL_PARTNER:
      kind = CP_DEMO_ORG_REFERRAL;
      break;
    case TYPE_B2B:
      kind = CP_DEMO_ORG_B2B;
      break;
    case TYPE_LOCAL_SERVICE:
      kind = CP_DEMO_ORG_LOCAL;
      break;
    case TYPE_PATIENT:
    case TYPE_CAREGIVER:
    case N_TYPES:
    default:
      return;
    }

  org = &_cp_demo_organizations[self->orgs_by_kind[kind]
                                                  [rng_below (rng, self->n_orgs_by_kind[kind])]];
  _cp_lead_set_static_text (lead, CP_LEAD_FIELD_ORGANIZATION, org->name);
  _cp_lead_set_static_text (lead, CP_LEAD_FIELD_ORG_TYPE, org->org_type);

  switch (type)
    {
    case TYPE_REFERRAL_PARTNER:
      _cp_lead_set_static_text (lead, CP_LEAD_FIELD_JOB_TITLE, PICK_ANY (rng, referral_job_titles));
      _cp_lead_set_static_text (lead, CP_LEAD_FIELD_BUYING_ROLE,
                                rng_percent (rng, 70) ? "recommender" : "user");
      _cp_lead_set_static_text (lead, CP_LEAD_FIELD_ORG_SIZE,
                                rng_percent (rng, 60) ? "11_50" : "51_200");
      break;

    case TYPE_B2B:
      _cp_lead_set_static_text (lead, CP_LEAD_FIELD_JOB_TITLE, PICK_ANY (rng, b2b_job_titles));
      _cp_lead_set_static_text (lead, CP_LEAD_FIELD_BUYING_ROLE, PICK (rng, b2b_buying_roles));
      _cp_lead_set_static_text (lead, CP_LEAD_FIELD_ORG_SIZE, PICK (rng, org_sizes));
      _cp_lead_set_static_text (lead, CP_LEAD_FIELD_ROLLOUT_WINDOW,
                                PICK_ANY (rng, rollout_windows));
      _cp_lead_set_static_text (lead, CP_LEAD_FIELD_VENDOR_STATUS, PICK_ANY (rng, vendor_statuses));
      _cp_lead_set_static_text (lead, CP_LEAD_FIELD_PROCUREMENT_READINESS,
                                PICK (rng, procurement_readiness));
      _cp_lead_set_static_text (lead, CP_LEAD_FIELD_REVIEW_PERIOD, PICK_ANY (rng, review_periods));
      break;

    case TYPE_LOCAL_SERVICE:
      _cp_lead_set_static_text (lead, CP_LEAD_FIELD_JOB_TITLE, PICK_ANY (rng, local_job_titles));
      _cp_lead_set_static_text (lead, CP_LEAD_FIELD_BUYING_ROLE,
                                rng_percent (rng, 50) ? "final_approver" : "user");
      _cp_lead_set_static_text (lead, CP_LEAD_FIELD_ORG_SIZE,
                                rng_percent (rng, 50) ? "1_10" : "11_50");
      break;

    case TYPE_PATIENT:
    case TYPE_CAREGIVER:
    case N_TYPES:
    default:
      break;
    }
}

static void
fill_stage (CpDemoRng   *rng,
            CpLead      *lead,
            CpDemoStage  stage,
            LeadType     type)
{
  const char *status;

  _cp_lead_set_static_text (lead, CP_LEAD_FIELD_STAGE, _cp_demo_stage_ids[stage]);

  switch (stage)
    {
    case CP_DEMO_STAGE_NEW:
      status = "open";
      break;
    case CP_DEMO_STAGE_REACTIVATION:
      status = rng_percent (rng, 60) ? "nurturing" : "unresponsive";
      break;
    case CP_DEMO_STAGE_CLOSED_WON:
      status = "closed";
      break;
    case CP_DEMO_STAGE_CLOSED_LOST:
      status = "closed";
      _cp_lead_set_static_text (lead, CP_LEAD_FIELD_CLOSURE_OUTCOME, "lost");
      _cp_lead_set_static_text (lead, CP_LEAD_FIELD_CLOSURE_REASON, PICK (rng, closure_reasons));
      break;
    case CP_DEMO_STAGE_ENGAGED:
    case CP_DEMO_STAGE_QUALIFIED:
    case CP_DEMO_STAGE_ACTIVE_EVALUATION:
    case CP_DEMO_STAGE_ONBOARDING:
    case CP_DEMO_STAGE_ADOPTION:
    case CP_DEMO_N_STAGES:
    default:
      status = rng_percent (rng, 80) ? "working" : "nurturing";
      break;
    }
  _cp_lead_set_static_text (lead, CP_LEAD_FIELD_STATUS, status);

  /* Won leads went through closed won: the agreement or the intake is
   * what the playbook's closure reasons record. */
  if (stage == CP_DEMO_STAGE_CLOSED_WON || stage == CP_DEMO_STAGE_ONBOARDING ||
      stage == CP_DEMO_STAGE_ADOPTION)
    {
      _cp_lead_set_static_text (lead, CP_LEAD_FIELD_CLOSURE_OUTCOME, "won");
      _cp_lead_set_static_text (lead, CP_LEAD_FIELD_CLOSURE_REASON,
                                type == TYPE_PATIENT || type == TYPE_CAREGIVER
                                  ? "intake_completed" : "agreement_signed");
    }

  if (type == TYPE_PATIENT || type == TYPE_CAREGIVER)
    _cp_lead_set_static_text (lead, CP_LEAD_FIELD_APPOINTMENT_STAGE,
                              appointment_by_stage[stage][rng_below (rng, 3)]);
}

static void
fill_consent (CpDemoGenerator *self,
              CpLead          *lead,
              const char      *channel,
              const char      *owner,
              gint64           created_at)
{
  CpDemoRng *rng = &self->rng;
  guint r = rng_below (rng, 100);
  const char *status, *source;
  gboolean do_not_contact;

  if (r < 82)
    status = "granted";
  else if (r < 92)
    status = "unknown";
  else if (r < 96)
    status = "denied";
  else
    status = "withdrawn";

  _cp_lead_set_static_text (lead, CP_LEAD_FIELD_CONSENT_STATUS, status);
  do_not_contact =
      (status[0] == 'd' || status[0] == 'w') ? rng_percent (rng, 90) : rng_percent (rng, 2);
  _cp_lead_store_int (lead, CP_LEAD_FIELD_DO_NOT_CONTACT, do_not_contact);

  if (g_str_equal (status, "unknown"))
    return;

  _cp_lead_set_static_text (lead, CP_LEAD_FIELD_CONSENT_CHANNEL, PICK (rng, consent_channels));
  source = consent_source_for (channel);
  _cp_lead_set_static_text (lead, CP_LEAD_FIELD_CONSENT_SOURCE, source);
  /* Online consent is captured by the form itself, in person by staff. */
  _cp_lead_set_static_text (lead, CP_LEAD_FIELD_CONSENT_CAPTURED_BY,
                            g_str_equal (source, "web_form") ||
                            g_str_equal (source, "partner_portal") ? source : owner);
  _cp_lead_set_static_text (lead, CP_LEAD_FIELD_CONSENT_NOTICE_VERSION, "2026-01");
  _cp_lead_store_int (lead, CP_LEAD_FIELD_CONSENT_CAPTURED_AT, created_at);
}

/* Stages a lead is actively worked in: the playbook's inactivity rule
 * applies to these. */
static gboolean
stage_is_worked (CpDemoStage stage)
{
  return stage == CP_DEMO_STAGE_NEW || stage == CP_DEMO_STAGE_ENGAGED ||
         stage == CP_DEMO_STAGE_QUALIFIED || stage == CP_DEMO_STAGE_ACTIVE_EVALUATION;
}

static gboolean
stage_is_closed (CpDemoStage stage)
{
  return stage == CP_DEMO_STAGE_CLOSED_WON || stage == CP_DEMO_STAGE_CLOSED_LOST;
}

/**
 * cp_demo_generator_next_lead:
 * @self: a #CpDemoGenerator
 *
 * Returns: (transfer full): the next invented lead, with every field that
 *   applies to its type filled in, except what the playbook computes or
 *   assigns (scores, tier, queue, owner, SLA clock); its updated and last
 *   activity times say when it last moved and was last active, which the
 *   stage history and activities follow
 */
CpLead *
cp_demo_generator_next_lead (CpDemoGenerator *self)
{
  CpDemoRng *rng;
  CpLead *lead;
  LeadType type;
  CpDemoStage stage;
  guint first, last;
  const CpDemoLocation *location;
  const char *channel, *service_line, *urgency, *owner;
  gint64 created_at, updated_at, last_activity_at, span;
  gboolean waiting;

  g_return_val_if_fail (CP_IS_DEMO_GENERATOR (self), NULL);

  rng = &self->rng;
  lead = cp_lead_new ();

  type = _cp_demo_pick_index (rng, lead_type_weights, N_TYPES);
  stage = _cp_demo_pick_index (rng, stage_weights, CP_DEMO_N_STAGES);
  first = rng_below (rng, _cp_demo_n_first_names);
  last = rng_below (rng, _cp_demo_n_last_names);
  location = &_cp_demo_locations[rng_below (rng, _cp_demo_n_locations)];

  _cp_lead_take_text (lead, CP_LEAD_FIELD_ID, make_lead_id (self));
  _cp_lead_set_static_text (lead, CP_LEAD_FIELD_FIRST_NAME, _cp_demo_first_names[first].name);
  _cp_lead_set_static_text (lead, CP_LEAD_FIELD_LAST_NAME, _cp_demo_last_names[last].name);
  _cp_lead_take_text (lead, CP_LEAD_FIELD_EMAIL, make_email (self, first, last));
  _cp_lead_take_text (lead, CP_LEAD_FIELD_PHONE, make_phone (rng, location));
  _cp_lead_set_static_text (lead, CP_LEAD_FIELD_PREFERRED_CONTACT, PICK (rng, preferred_contacts));
  _cp_lead_set_static_text (lead, CP_LEAD_FIELD_LEAD_TYPE, lead_type_ids[type]);

  fill_organization (self, lead, type);

  service_line = PICK (rng, service_lines);
  _cp_lead_set_static_text (lead, CP_LEAD_FIELD_SERVICE_LINE, service_line);
  _cp_lead_set_static_text (lead, CP_LEAD_FIELD_LOCATION, location->name);
  _cp_lead_set_static_text (lead, CP_LEAD_FIELD_REGION, location->region);
  _cp_lead_set_static_text (lead, CP_LEAD_FIELD_POSTAL_CODE, location->postal_code);

  channel = PICK (rng, source_channels);
  _cp_lead_set_static_text (lead, CP_LEAD_FIELD_SOURCE_CHANNEL, channel);
  if (g_str_equal (channel, "referral"))
    _cp_lead_set_static_text (lead, CP_LEAD_FIELD_REFERRAL_SOURCE,
                              PICK_ANY (rng, referral_sources));
  else if (channel_has_campaign (channel))
    _cp_lead_set_static_text (lead, CP_LEAD_FIELD_CAMPAIGN,
                              _cp_demo_campaigns[rng_below (rng, _cp_demo_n_campaigns)]);

  urgency = PICK (rng, urgencies);
  _cp_lead_set_static_text (lead, CP_LEAD_FIELD_URGENCY, urgency);

  if (type == TYPE_PATIENT || type == TYPE_CAREGIVER)
    _cp_lead_set_static_text (lead, CP_LEAD_FIELD_COVERAGE_FIT, PICK (rng, coverage_fits));

  fill_stage (rng, lead, stage, type);

  /* The owner and queue are routing's: the playbook assigns them. */
  owner = _cp_demo_staff[rng_below (rng, _cp_demo_n_staff)];

  /* Created in the year before now (at least two hours ago, so every
   * later timestamp fits before now). Leads still being worked moved to
   * their stage in the last seven weeks and were active since (older ones
   * would be in reactivation: the playbook moves leads quiet for 60 days). */
  /* New leads came in lately: one waits in New days, not months; one
   * nobody has answered yet came in today (a team answers within hours). */
  waiting = stage == CP_DEMO_STAGE_NEW && rng_percent (rng, 30);
  created_at = self->now - 2 * HOUR -
               rng_span (rng, (waiting ? 10 * HOUR
                               : stage == CP_DEMO_STAGE_NEW ? 21 * DAY : 365 * DAY) - 2 * HOUR);
  span = self->now - created_at;
  if (stage == CP_DEMO_STAGE_NEW)
    updated_at = created_at;
  else if (stage_is_worked (stage) && span > 50 * DAY)
    updated_at = self->now - HOUR - rng_span (rng, 50 * DAY);
  else
    updated_at = created_at + HOUR + rng_span (rng, MAX (span - 2 * HOUR, 1));

  /* Most leads got a response after entering their stage (a call or an
   * email from their owner), most of those within three hours, the rest
   * a day or so late; a few went quiet without one. */
  if (waiting)
    last_activity_at = 0;
  else if (!stage_is_closed (stage) && rng_percent (rng, 92))
    last_activity_at = updated_at + 10 * MINUTE +
                       rng_span (rng, MAX (MIN (self->now - updated_at - 10 * MINUTE,
                                                rng_percent (rng, 85) ? 3 * HOUR : 30 * HOUR), 1));
  else
    {
      gint64 from = stage_is_worked (stage) ? MAX (created_at, self->now - 55 * DAY) : created_at;

      from = MIN (from, updated_at);
      last_activity_at = from + rng_span (rng, updated_at - from + 1);
    }
  last_activity_at = MIN (last_activity_at, self->now);

  _cp_lead_store_int (lead, CP_LEAD_FIELD_CREATED_AT, created_at);
  _cp_lead_store_int (lead, CP_LEAD_FIELD_UPDATED_AT, updated_at);
  _cp_lead_store_int (lead, CP_LEAD_FIELD_LAST_ACTIVITY_AT, last_activity_at);

  fill_consent (self, lead, channel, owner, created_at);

  if (rng_percent (rng, 30))
    _cp_lead_set_static_text (lead, CP_LEAD_FIELD_NOTES,
                              type == TYPE_PATIENT || type == TYPE_CAREGIVER
                                ? PICK_ANY (rng, person_notes)
                                : PICK_ANY (rng, org_notes));

  self->n_leads++;
  return lead;
}

