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

FakeHubspot *fake_hubspot_new            (void);
void         fake_hubspot_free           (FakeHubspot  *fake);
const char  *fake_hubspot_get_url        (FakeHubspot  *fake);
const char  *fake_hubspot_get_token      (FakeHubspot  *fake);

void         fake_hubspot_add_generated  (FakeHubspot  *fake,
                                          guint         n);
char        *fake_hubspot_add_contact    (FakeHubspot  *fake,
                                          const char   *first_name,
                                          const char   *email);
void         fake_hubspot_edit           (FakeHubspot  *fake,
                                          const char   *id,
                                          const char   *property,
                                          const char   *value);
void         fake_hubspot_archive        (FakeHubspot  *fake,
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
void         fake_hubspot_set_stage_rule (FakeHubspot  *fake,
                                          FakeStageRule rule);
void         fake_hubspot_set_search_rate (FakeHubspot *fake,
                                           guint        per_second);
void         fake_hubspot_set_search_lag (FakeHubspot  *fake,
                                          guint         searches);
void         fake_hubspot_add_stage_option (FakeHubspot *fake,
                                            const char  *value,
                                            const char  *label);

guint        fake_hubspot_requests       (FakeHubspot  *fake,
                                          const char   *path_part);
guint        fake_hubspot_search_refusals (FakeHubspot *fake);
GPtrArray   *fake_hubspot_take_search_bodies (FakeHubspot *fake);

G_END_DECLS
