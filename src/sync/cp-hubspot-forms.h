/* cp-hubspot-forms.h — HubSpot form submissions and marketing-event participations, read as activities
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-crm-backend.h"

G_BEGIN_DECLS

/* What a kept submission or participation is (the entity of its sync_rejects row). */
#define CP_HUBSPOT_FORM_ENTITY  "form_submissions"
#define CP_HUBSPOT_EVENT_ENTITY "event_participations"

/* A submission's or participation's record holds these properties (and
 * nothing else: never the answers of a form, never a name). */
#define CP_HUBSPOT_P_EMAIL        "email"
#define CP_HUBSPOT_P_CONTACT      "contact_id"
#define CP_HUBSPOT_P_FORM         "form_id"
#define CP_HUBSPOT_P_FORM_NAME    "form_name"
#define CP_HUBSPOT_P_PAGE         "page_url"
#define CP_HUBSPOT_P_ANSWERS      "answers"      /* how many fields were filled */
#define CP_HUBSPOT_P_WHEN         "occurred_at"  /* epoch milliseconds */
#define CP_HUBSPOT_P_EVENT        "event_id"
#define CP_HUBSPOT_P_EVENT_NAME   "event_name"
#define CP_HUBSPOT_P_EVENT_TYPE   "event_type"
#define CP_HUBSPOT_P_STATE        "state"
#define CP_HUBSPOT_P_MINUTES      "minutes"

/* A form, or a marketing event, as listed. */
typedef struct
{
  char *id;
  char *name;
  char *type;                 /* an event's eventType; NULL for a form */
} CpHubspotSource;

void cp_hubspot_source_free (CpHubspotSource *source);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpHubspotSource, cp_hubspot_source_free)

/* cp-hubspot-forms.c */
GPtrArray *_cp_hubspot_list_forms        (CpCrmClient        *client,
                                          GCancellable       *cancellable,
                                          GError            **error);
CpCrmPage *_cp_hubspot_submissions_page  (CpCrmClient        *client,
                                          const CpHubspotSource *form,
                                          const char         *after,
                                          GCancellable       *cancellable,
                                          GError            **error);
gboolean   _cp_hubspot_form_activity     (const CpCrmRecord  *record,
                                          CpActivity         *activity,
                                          GError            **error);

/* cp-hubspot-events.c */
GPtrArray *_cp_hubspot_list_events       (CpCrmClient        *client,
                                          GCancellable       *cancellable,
                                          GError            **error);
char      *_cp_hubspot_event_counters    (CpCrmClient        *client,
                                          const CpHubspotSource *event,
                                          GCancellable       *cancellable,
                                          GError            **error);
CpCrmPage *_cp_hubspot_participations_page (CpCrmClient      *client,
                                            const CpHubspotSource *event,
                                            const char       *after,
                                            GCancellable     *cancellable,
                                            GError          **error);
gboolean   _cp_hubspot_participation_activity (const CpCrmRecord *record,
                                               gboolean          *out_recorded,
                                               CpActivity        *activity,
                                               GError           **error);

/* Shared by both: epoch milliseconds from a JSON number or a numeric or
 * ISO 8601 string, as text; NULL if it is none of them. */
char      *_cp_hubspot_json_ms           (JsonObject         *object,
                                          const char         *member);
char      *_cp_hubspot_next_after        (JsonObject         *answer);
JsonArray *_cp_hubspot_get_results       (CpCrmClient        *client,
                                          const char         *path,
                                          const char         *unexpected,
                                          JsonNode          **out_root,
                                          GCancellable       *cancellable,
                                          GError            **error);

G_END_DECLS
