/* cp-demo-activity.c — what demo leads did: activities and stage history
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-demo"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cp-activity.h"
#include "cp-demo.h"
#include "cp-demo-data.h"
#include "cp-demo-private.h"
#include "cp-stage-event.h"

#define SALT_ACTIVITIES G_GUINT64_CONSTANT (0xa5c1b2d3e4f50617)
#define SALT_HISTORY    G_GUINT64_CONSTANT (0x1f2e3d4c5b6a7988)

static CpActivityKind
first_activity_kind (const char *channel)
{
  if (g_str_equal (channel, "event"))
    return CP_ACTIVITY_KIND_EVENT_CHECK_IN;
  if (g_str_equal (channel, "gated_download"))
    return CP_ACTIVITY_KIND_CONTENT_DOWNLOAD;
  if (g_str_equal (channel, "inbound_call"))
    return CP_ACTIVITY_KIND_CALL;
  if (g_str_equal (channel, "email"))
    return CP_ACTIVITY_KIND_EMAIL_CLICK;
  if (g_str_equal (channel, "organic") || g_str_equal (channel, "paid_search") ||
      g_str_equal (channel, "paid_social"))
    return CP_ACTIVITY_KIND_PAGE_VISIT;
  return CP_ACTIVITY_KIND_FORM_FILL;
}

static const guint person_kind_weights[CP_ACTIVITY_N_KINDS] = {
  [CP_ACTIVITY_KIND_FORM_FILL] = 10,
  [CP_ACTIVITY_KIND_CONTENT_DOWNLOAD] = 2,
  [CP_ACTIVITY_KIND_EMAIL_OPEN] = 20,
  [CP_ACTIVITY_KIND_EMAIL_CLICK] = 8,
  [CP_ACTIVITY_KIND_EMAIL_REPLY] = 4,
  [CP_ACTIVITY_KIND_EMAIL_BOUNCE] = 1,
  [CP_ACTIVITY_KIND_PAGE_VISIT] = 20,
  [CP_ACTIVITY_KIND_CALL] = 14,
  [CP_ACTIVITY_KIND_MEETING_BOOKED] = 6,
  [CP_ACTIVITY_KIND_MEETING_ATTENDED] = 4,
  [CP_ACTIVITY_KIND_EVENT_CHECK_IN] = 2,
  [CP_ACTIVITY_KIND_NOTE] = 5,
  [CP_ACTIVITY_KIND_EMAIL_SENT] = 8,
};

static const guint org_kind_weights[CP_ACTIVITY_N_KINDS] = {
  [CP_ACTIVITY_KIND_FORM_FILL] = 5,
  [CP_ACTIVITY_KIND_CONTENT_DOWNLOAD] = 10,
  [CP_ACTIVITY_KIND_WEBINAR_REGISTERED] = 8,
  [CP_ACTIVITY_KIND_WEBINAR_ATTENDED] = 5,
  [CP_ACTIVITY_KIND_EMAIL_OPEN] = 18,
  [CP_ACTIVITY_KIND_EMAIL_CLICK] = 8,
  [CP_ACTIVITY_KIND_EMAIL_REPLY] = 6,
  [CP_ACTIVITY_KIND_EMAIL_BOUNCE] = 1,
  [CP_ACTIVITY_KIND_PAGE_VISIT] = 15,
  [CP_ACTIVITY_KIND_CALL] = 10,
  [CP_ACTIVITY_KIND_MEETING_BOOKED] = 6,
  [CP_ACTIVITY_KIND_MEETING_ATTENDED] = 5,
  [CP_ACTIVITY_KIND_EVENT_CHECK_IN] = 3,
  [CP_ACTIVITY_KIND_NOTE] = 4,
  [CP_ACTIVITY_KIND_EMAIL_SENT] = 8,
};

static const char * const person_forms[] = { "Appointment request", "Contact us", "Insurance check",
                                             "New patient intake" };
static const char * const org_forms[] = { "Partner inquiry", "Request a demo", "Referral sign-up" };
static const char * const person_pages[] = {
  "/services", "/locations", "/insurance", "/pricing", "/new-patients", "/providers",
};
static const char * const org_pages[] = { "/pricing", "/partners", "/case-studies", "/security",
                                          "/integrations" };
static const char * const downloads[] = {
  "2026 Care Coordination Guide", "Reducing No-Shows Checklist", "Employer Wellness Playbook",
  "Patient Access Benchmark Report",
};
static const char * const webinars[] = {
  "Reducing No-Shows in Specialty Care",
  "Value-Based Care in Practice",
  "Behavioral Health Access Roundtable",
};
static const char * const events[] = {
  "Community Health Fair",
  "Senior Wellness Expo",
  "Regional HR Benefits Summit",
  "Back-to-School Clinic Day",
};
static const char * const activity_notes[] = {
  "Left details about parking and arrival time.",
  "Confirmed preferred language.",
  "Sent coverage information by email.",
  "Discussed next steps with the care team.",
};

static void
fill_activity_detail (CpDemoRng  *rng,
                      CpActivity *activity,
                      gboolean    is_person,
                      const char *service_line,
                      const char *owner)
{
  switch (cp_activity_get_kind (activity))
    {
    case CP_ACTIVITY_KIND_FORM_FILL:
      cp_activity_set_detail (activity,
                              is_person ? PICK_ANY (rng, person_forms) : PICK_ANY (rng, org_forms));
      cp_activity_set_depth (activity, 1 + (int) rng_below (rng, 4));
      break;
    case CP_ACTIVITY_KIND_PAGE_VISIT:
      {
        const char *page = is_person ? PICK_ANY (rng, person_pages) : PICK_ANY (rng, org_pages);

        if (g_str_equal (page, "/services"))
          {
            g_autofree char *url = g_strconcat ("/services/", service_line, NULL);

            g_strdelimit (url, "_", '-');
            cp_activity_set_detail (activity, url);
          }
        else
          cp_activity_set_detail (activity, page);
        cp_activity_set_depth (activity, 1 + (int) rng_below (rng, 6));
      }
      break;
    case CP_ACTIVITY_KIND_CONTENT_DOWNLOAD:
      cp_activity_set_detail (activity, PICK_ANY (rng, downloads));
      break;
    case CP_ACTIVITY_KIND_WEBINAR_REGISTERED:
    case CP_ACTIVITY_KIND_WEBINAR_ATTENDED:
      cp_activity_set_detail (activity, PICK_ANY (rng, webinars));
      break;
    case CP_ACTIVITY_KIND_EVENT_CHECK_IN:
      cp_activity_set_detail (activity, PICK_ANY (rng, events));
      cp_activity_set_actor (activity, owner);
      break;
    case CP_ACTIVITY_KIND_CALL:
      {
        const char * const *dispositions = cp_call_dispositions ();

        cp_activity_set_disposition (activity,
                                     dispositions[rng_below (rng, g_strv_length (
                                                                      (char **) dispositions))]);
        cp_activity_set_actor (activity, owner);
      }
      break;
    case CP_ACTIVITY_KIND_MEETING_BOOKED:
    case CP_ACTIVITY_KIND_MEETING_ATTENDED:
      cp_activity_set_detail (activity, is_person ? "Intake appointment" : "Discovery call");
      cp_activity_set_actor (activity, owner);
      break;
    case CP_ACTIVITY_KIND_NOTE:
      cp_activity_set_detail (activity, PICK_ANY (rng, activity_notes));
      cp_activity_set_actor (activity, owner);
      break;
    case CP_ACTIVITY_KIND_EMAIL_SENT:
      cp_activity_set_detail (activity, is_person ? "Welcome and next steps" : "Follow-up");
      cp_activity_set_actor (activity, owner);
      break;
    case CP_ACTIVITY_KIND_EMAIL_OPEN:
    case CP_ACTIVITY_KIND_EMAIL_CLICK:
    case CP_ACTIVITY_KIND_EMAIL_REPLY:
    case CP_ACTIVITY_KIND_EMAIL_BOUNCE:
      cp_activity_set_detail (activity, _cp_demo_campaigns[rng_below (rng, _cp_demo_n_campaigns)]);
      break;
    case CP_ACTIVITY_KIND_UNSUBSCRIBE:
    default:
      break;
    }
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/**
 * cp_demo_generator_activities_for:
 * @self: a #CpDemoGenerator
 * @lead: a lead from cp_demo_generator_next_lead()
 *
 * Invents what the lead did: 0 activities when it has no last activity,
 * else 1–8, in time order between its creation and its last activity
 * (the first at creation when there are several, the last at exactly
 * `last_activity_at`). When the last activity comes after the lead's
 * last move (`updated_at`), it is the team's response: a call or an
 * email. Depends only on the seed and the lead, not on call order.
 *
 * Returns: (transfer full) (element-type CpActivity): the activities
 */
GPtrArray *
cp_demo_generator_activities_for (CpDemoGenerator *self,
                                  CpLead          *lead)
{
  g_autoptr(GPtrArray) activities = NULL;
  gint64 times[8];
  CpDemoRng rng;
  CpDemoStage stage;
  guint n;
  gint64 created_at, last_activity_at, updated_at;
  const char *type, *channel, *service_line, *owner;
  gboolean is_person, unsubscribed, responded;

  g_return_val_if_fail (CP_IS_DEMO_GENERATOR (self), NULL);
  g_return_val_if_fail (CP_IS_LEAD (lead), NULL);

  activities = g_ptr_array_new_with_free_func (g_object_unref);

  created_at = cp_lead_get_int (lead, CP_LEAD_FIELD_CREATED_AT);
  last_activity_at = cp_lead_get_int (lead, CP_LEAD_FIELD_LAST_ACTIVITY_AT);
  updated_at = cp_lead_get_int (lead, CP_LEAD_FIELD_UPDATED_AT);
  if (last_activity_at == 0 || last_activity_at < created_at)
    return g_steal_pointer (&activities);

  rng = _cp_demo_generator_rng_for_lead (self, lead, SALT_ACTIVITIES);
  stage = _cp_demo_stage_from_id (cp_lead_get_stage (lead));
  type = cp_lead_get_text (lead, CP_LEAD_FIELD_LEAD_TYPE);
  channel = cp_lead_get_text (lead, CP_LEAD_FIELD_SOURCE_CHANNEL);
  service_line = cp_lead_get_text (lead, CP_LEAD_FIELD_SERVICE_LINE);
  owner = cp_lead_get_text (lead, CP_LEAD_FIELD_OWNER);
  is_person = g_strcmp0 (type, "patient") == 0 || g_strcmp0 (type, "caregiver") == 0;
  unsubscribed =
      g_strcmp0 (cp_lead_get_text (lead, CP_LEAD_FIELD_CONSENT_STATUS), "withdrawn") == 0;
  responded = last_activity_at > updated_at;

  n = stage == CP_DEMO_STAGE_NEW ? 1 + rng_below (&rng, 3) : 1 + rng_below (&rng, 8);

  for (guint i = 0; i + 1 < n; i++)
    times[i] = created_at + rng_span (&rng, last_activity_at - created_at + 1);
  times[n - 1] = last_activity_at;
  qsort (times, n - 1, sizeof (gint64), compare_gint64);
  /* The inquiry that created the lead comes first. */
  if (n > 1)
    times[0] = created_at;

  for (guint i = 0; i < n; i++)
    {
      CpActivityKind kind;
      g_autofree char *id = _cp_demo_child_uuid (cp_lead_get_id (lead), i, &rng);
      CpActivity *activity;

      if (i == n - 1 && responded)
        kind = stage == CP_DEMO_STAGE_NEW || rng_percent (&rng, 50) ? CP_ACTIVITY_KIND_EMAIL_SENT
                                                                     : CP_ACTIVITY_KIND_CALL;
      else if (i == 0)
        kind = first_activity_kind (channel ? channel : "web_form");
      else if (i == n - 1 && unsubscribed)
        kind = CP_ACTIVITY_KIND_UNSUBSCRIBE;
      else
        kind = _cp_demo_pick_index (&rng, is_person ? person_kind_weights : org_kind_weights,
                                    CP_ACTIVITY_N_KINDS);

      activity = cp_activity_new_full (id, cp_lead_get_id (lead), kind, times[i]);
      /* Made up: the lead window says so. */
      cp_activity_set_source (activity, "demo");
      fill_activity_detail (&rng, activity, is_person, service_line ? service_line : "primary_care",
                            owner);
      g_ptr_array_add (activities, activity);
    }

  return g_steal_pointer (&activities);
}

static const char *
reason_for (CpDemoRng   *rng,
            CpDemoStage  to,
            CpLead      *lead)
{
  static const char * const engaged[] = {
    "Replied to first outreach",
    "Opened two emails and visited the pricing page",
    "Answered intake call",
  };
  static const char * const qualified[] = {
    "Fit confirmed on discovery call",
    "Coverage verified",
    "Attended webinar and matches the profile",
  };
  static const char * const evaluation[] = { "Discovery call booked", "Requested a proposal",
                                             "Intake appointment booked" };
  static const char * const reactivation[] = { "No activity for 60 days", "Missed two follow-ups" };

  switch (to)
    {
    case CP_DEMO_STAGE_NEW:
      return "Lead created";
    case CP_DEMO_STAGE_ENGAGED:
      return PICK_ANY (rng, engaged);
    case CP_DEMO_STAGE_QUALIFIED:
      return PICK_ANY (rng, qualified);
    case CP_DEMO_STAGE_ACTIVE_EVALUATION:
      return PICK_ANY (rng, evaluation);
    case CP_DEMO_STAGE_ONBOARDING:
      return "Onboarding scheduled";
    case CP_DEMO_STAGE_ADOPTION:
      return "First visits completed";
    case CP_DEMO_STAGE_REACTIVATION:
      return PICK_ANY (rng, reactivation);
    case CP_DEMO_STAGE_CLOSED_WON:
      return "Agreement signed";
    case CP_DEMO_STAGE_CLOSED_LOST:
      {
        const char *reason = cp_lead_get_text (lead, CP_LEAD_FIELD_CLOSURE_REASON);

        return reason != NULL ? reason : "other";
      }
    case CP_DEMO_N_STAGES:
    default:
      g_assert_not_reached ();
    }
}

/**
 * cp_demo_generator_stage_history_for:
 * @self: a #CpDemoGenerator
 * @lead: a lead from cp_demo_generator_next_lead()
 *
 * Invents the stage moves that brought @lead to its current stage: the
 * first event (from %NULL to "new") at `created_at`, the last one at
 * `updated_at`, strictly increasing device times in between. Closed lost
 * can follow any stage. Depends only on the seed and the lead.
 *
 * Returns: (transfer full) (element-type CpStageEvent): the events, oldest first
 */
GPtrArray *
cp_demo_generator_stage_history_for (CpDemoGenerator *self,
                                     CpLead          *lead)
{
  g_autoptr(GPtrArray) history = NULL;
  CpDemoStage path[CP_DEMO_N_STAGES];
  guint n = 0;
  CpDemoRng rng;
  CpDemoStage stage;
  gint64 created_at, updated_at, width;
  const char *owner;

  g_return_val_if_fail (CP_IS_DEMO_GENERATOR (self), NULL);
  g_return_val_if_fail (CP_IS_LEAD (lead), NULL);

  history = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_stage_event_free);
  rng = _cp_demo_generator_rng_for_lead (self, lead, SALT_HISTORY);
  stage = _cp_demo_stage_from_id (cp_lead_get_stage (lead));
  created_at = cp_lead_get_int (lead, CP_LEAD_FIELD_CREATED_AT);
  updated_at = MAX (cp_lead_get_int (lead, CP_LEAD_FIELD_UPDATED_AT), created_at);
  owner = cp_lead_get_text (lead, CP_LEAD_FIELD_OWNER);

  switch (stage)
    {
    case CP_DEMO_STAGE_NEW:
    case CP_DEMO_STAGE_ENGAGED:
    case CP_DEMO_STAGE_QUALIFIED:
    case CP_DEMO_STAGE_ACTIVE_EVALUATION:
      for (CpDemoStage s = CP_DEMO_STAGE_NEW; s <= stage; s++)
        path[n++] = s;
      break;

    /* The lifecycle path: won, then onboarding and adoption. */
    case CP_DEMO_STAGE_CLOSED_WON:
    case CP_DEMO_STAGE_ONBOARDING:
    case CP_DEMO_STAGE_ADOPTION:
      for (CpDemoStage s = CP_DEMO_STAGE_NEW; s <= CP_DEMO_STAGE_ACTIVE_EVALUATION; s++)
        path[n++] = s;
      path[n++] = CP_DEMO_STAGE_CLOSED_WON;
      if (stage != CP_DEMO_STAGE_CLOSED_WON)
        path[n++] = CP_DEMO_STAGE_ONBOARDING;
      if (stage == CP_DEMO_STAGE_ADOPTION)
        path[n++] = CP_DEMO_STAGE_ADOPTION;
      break;

    case CP_DEMO_STAGE_REACTIVATION:
      {
        CpDemoStage went_quiet_in = CP_DEMO_STAGE_ENGAGED + rng_below (&rng, 3);

        for (CpDemoStage s = CP_DEMO_STAGE_NEW; s <= went_quiet_in; s++)
          path[n++] = s;
      }
      path[n++] = CP_DEMO_STAGE_REACTIVATION;
      break;

    case CP_DEMO_STAGE_CLOSED_LOST:
      {
        CpDemoStage lost_in = CP_DEMO_STAGE_NEW + rng_below (&rng, 4);

        for (CpDemoStage s = CP_DEMO_STAGE_NEW; s <= lost_in; s++)
          path[n++] = s;
      }
      if (n > 1 && rng_percent (&rng, 20))
        path[n++] = CP_DEMO_STAGE_REACTIVATION;
      path[n++] = CP_DEMO_STAGE_CLOSED_LOST;
      break;

    case CP_DEMO_N_STAGES:
    default:
      g_assert_not_reached ();
    }

  g_assert (n <= CP_DEMO_N_STAGES);

  /* Event k (0 < k < n-1) falls inside its own slot of the time between
   * creation and the last update, so times strictly increase when there
   * is room (leads past "new" have at least an hour). */
  width = n > 1 ? (updated_at - created_at) / (n - 1) : 0;

  for (guint k = 0; k < n; k++)
    {
      g_autofree char *id = _cp_demo_child_uuid (cp_lead_get_id (lead), 0x2000 + k, &rng);
      gint64 when;
      const char *actor;

      if (k == 0)
        when = created_at;
      else if (k == n - 1)
        when = updated_at;
      else
        when = created_at + width * (k - 1) + 1 + rng_span (&rng, width - 1);

      if (k == 0)
        actor = "web_form";
      else if (path[k] == CP_DEMO_STAGE_REACTIVATION || path[k] == CP_DEMO_STAGE_ENGAGED)
        actor = "automation";
      else
        actor = owner != NULL ? owner : "automation";

      g_ptr_array_add (history,
                       cp_stage_event_new_full (id, cp_lead_get_id (lead),
                                                k == 0 ? NULL : _cp_demo_stage_ids[path[k - 1]],
                                                _cp_demo_stage_ids[path[k]],
                                                reason_for (&rng, path[k], lead),
                                                actor, when));
    }

  return g_steal_pointer (&history);
}
