/* cp-hubspot-private.h — the HubSpot backend's incremental search, shared by contacts and engagements
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-hubspot-backend.h"

G_BEGIN_DECLS

/* One searchable CRM v3 object type. */
typedef struct
{
  const char         *path;        /* "/crm/v3/objects/contacts" */
  const char         *modified;    /* the last-modified property search filters and sorts on */
  const char * const *properties;  /* to ask for, besides @modified; NULL: the contact field map */
} CpHubspotObject;

/* One page of @object's records modified since @cursor, in (modified, id)
 * order, each with its cursor: the contacts pull, applied to any object. */
CpCrmPage *_cp_hubspot_search_page (CpHubspotBackend       *self,
                                    const CpHubspotObject  *object,
                                    const char             *cursor,
                                    const char             *page_token,
                                    GCancellable           *cancellable,
                                    GError                **error);

/* cp-hubspot-activities.c: the engagement part of the backend interface. */
void       _cp_hubspot_activities_iface_init (CpCrmBackendInterface *iface);

G_END_DECLS
