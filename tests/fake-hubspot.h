/* fake-hubspot.h — an in-process HubSpot CRM v3 contacts API, faults included
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "fake-server.h"

G_BEGIN_DECLS

typedef struct _FakeHubspot FakeHubspot;

typedef enum
{
  FAKE_STAGE_BACKWARD_ALLOWED,
  FAKE_STAGE_BACKWARD_REFUSED,   /* 400-style per-input error */
  FAKE_STAGE_BACKWARD_IGNORED,   /* silently keeps the old stage */
} FakeStageRule;

typedef enum
{
  FAKE_ID_PROPERTY_UNIQUE,       /* carepath_id exists with unique values */
  FAKE_ID_PROPERTY_MISSING,
  FAKE_ID_PROPERTY_NOT_UNIQUE,
} FakeIdProperty;

FakeHubspot *fake_hubspot_new            (void);
void         fake_hubspot_free           (FakeHubspot  *fake);
const char  *fake_hubspot_get_url        (FakeHubspot  *fake);
const char  *fake_hubspot_get_token      (FakeHubspot  *fake);

void         fake_hubspot_add_generated  (FakeHubspot  *fake,
                                          guint         n);
void         fake_hubspot_add_generated_within (FakeHubspot *fake,
                                                guint        n,
                                                guint        span_ms);
void         fake_hubspot_edit_all_within (FakeHubspot *fake,
                                           const char  *property,
                                           const char  *value,
                                           guint        span_ms);
char        *fake_hubspot_add_contact    (FakeHubspot  *fake,
                                          const char   *first_name,
                                          const char   *email);
char        *fake_hubspot_add_engagement (FakeHubspot  *fake,
                                          const char   *type,
                                          const char   *contacts,
                                          ...) G_GNUC_NULL_TERMINATED;
void         fake_hubspot_edit_engagement (FakeHubspot *fake,
                                           const char  *type,
                                           const char  *id,
                                           const char  *property,
                                           const char  *value);
void         fake_hubspot_add_generated_calls (FakeHubspot *fake,
                                               gint64       timestamp_ms,
                                               guint        span_ms);
void         fake_hubspot_edit           (FakeHubspot  *fake,
                                          const char   *id,
                                          const char   *property,
                                          const char   *value);
void         fake_hubspot_archive        (FakeHubspot  *fake,
                                          const char   *id);
void         fake_hubspot_forget         (FakeHubspot  *fake,
                                          const char   *id);
char        *fake_hubspot_get            (FakeHubspot  *fake,
                                          const char   *id,
                                          const char   *property);
char        *fake_hubspot_find           (FakeHubspot  *fake,
                                          const char   *property,
                                          const char   *value);
guint        fake_hubspot_count          (FakeHubspot  *fake,
                                          gboolean      archived);

void         fake_hubspot_inject         (FakeHubspot  *fake,
                                          const char   *path_part,
                                          FakeFaultKind kind,
                                          guint         status,
                                          const char   *body,
                                          const char   *header,
                                          guint         value,
                                          guint         times);
void         fake_hubspot_delay_last_fault (FakeHubspot *fake,
                                            guint        requests);
void         fake_hubspot_set_stage_rule (FakeHubspot  *fake,
                                          FakeStageRule rule);
void         fake_hubspot_set_search_rate (FakeHubspot *fake,
                                           guint        per_second);
void         fake_hubspot_set_search_lag (FakeHubspot  *fake,
                                          guint         searches);
void         fake_hubspot_set_rate_limit (FakeHubspot  *fake,
                                          guint         max_requests,
                                          guint         interval_ms);
void         fake_hubspot_spend_rate_limit (FakeHubspot *fake,
                                            guint        n);
void         fake_hubspot_set_opaque_paging (FakeHubspot *fake,
                                             gboolean     opaque);
void         fake_hubspot_set_not_found_status (FakeHubspot *fake,
                                                guint        status);
void         fake_hubspot_set_id_property (FakeHubspot    *fake,
                                           FakeIdProperty  state,
                                           gboolean        may_create);
FakeIdProperty fake_hubspot_get_id_property (FakeHubspot *fake);
void         fake_hubspot_add_stage_option (FakeHubspot *fake,
                                            const char  *value,
                                            const char  *label);

guint        fake_hubspot_requests       (FakeHubspot  *fake,
                                          const char   *path_part);
guint        fake_hubspot_connections    (FakeHubspot  *fake);
guint        fake_hubspot_search_refusals (FakeHubspot *fake);
guint        fake_hubspot_gdpr_deletes   (FakeHubspot *fake);
guint        fake_hubspot_rate_refusals  (FakeHubspot  *fake);
guint64      fake_hubspot_search_served  (FakeHubspot  *fake);
GPtrArray   *fake_hubspot_take_search_bodies (FakeHubspot *fake);
GPtrArray   *fake_hubspot_take_engagement_requests (FakeHubspot *fake);

char        *fake_hubspot_add_form       (FakeHubspot  *fake,
                                          const char   *name);
void         fake_hubspot_add_submission (FakeHubspot  *fake,
                                          const char   *form_guid,
                                          gint64        submitted_ms,
                                          const char   *page_url,
                                          ...) G_GNUC_NULL_TERMINATED;
char        *fake_hubspot_add_marketing_event (FakeHubspot *fake,
                                               const char  *name,
                                               const char  *type);
void         fake_hubspot_add_participation (FakeHubspot *fake,
                                             const char  *event_id,
                                             const char  *contact_id,
                                             const char  *email,
                                             const char  *state,
                                             gint64       occurred_ms,
                                             guint        duration_s);

G_END_DECLS
