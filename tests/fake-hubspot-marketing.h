/* fake-hubspot-marketing.h — HubSpot's forms, form submissions and marketing events, for the fake
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _FakeMarketing FakeMarketing;

FakeMarketing *fake_marketing_new    (void);
void           fake_marketing_free   (FakeMarketing     *marketing);
/* Answers @msg when @path is one of its endpoints; FALSE otherwise. */
gboolean       fake_marketing_handle (FakeMarketing     *marketing,
                                      SoupServerMessage *msg,
                                      const char        *path,
                                      GHashTable        *query);

char          *fake_marketing_add_form       (FakeMarketing *marketing,
                                              const char    *name);
void           fake_marketing_add_submission (FakeMarketing *marketing,
                                              const char    *form_guid,
                                              gint64         submitted_ms,
                                              const char    *page_url,
                                              va_list        values);
char          *fake_marketing_add_event      (FakeMarketing *marketing,
                                              const char    *name,
                                              const char    *type);
void           fake_marketing_add_participation (FakeMarketing *marketing,
                                                 const char    *event_id,
                                                 const char    *contact_id,
                                                 const char    *email,
                                                 const char    *state,
                                                 gint64         occurred_ms,
                                                 guint          duration_s);

G_END_DECLS
