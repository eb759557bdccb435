/* cp-hubspot-private.h — the HubSpot backend's private parts, shared by its files
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-hubspot-backend.h"

G_BEGIN_DECLS

#define CONTACTS        "/crm/v3/objects/contacts"
#define PROPERTIES      "/crm/v3/properties/contacts"
#define ID_PROPERTY     "carepath_id"
#define STAGE_PROPERTY  "lifecyclestage"
#define BATCH_LIMIT     100

struct _CpHubspotBackend
{
  GObject        parent_instance;

  CpCrmClient   *client;
  CpCrmStageMap *stages;
  guint          overlap_ms;
  gboolean       setup_checked;   /* the id property was found once */
};

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

/* cp-hubspot-contacts.c: answers as records. */
gint64       _cp_hubspot_parse_time_ms      (const char  *text);
JsonArray   *_cp_hubspot_object_array       (JsonObject  *object,
                                             const char  *member);
JsonObject  *_cp_hubspot_object_member      (JsonObject  *object,
                                             const char  *member);
CpCrmRecord *_cp_hubspot_record_from_json   (JsonObject  *object);

/* cp-hubspot-push.c: the push_batch of the backend interface. */
GPtrArray  *_cp_hubspot_push_batch          (CpCrmBackend  *backend,
                                             GPtrArray     *changes,
                                             GCancellable  *cancellable,
                                             GError       **error);

/* cp-hubspot-setup.c: the carepath_id property. */
CpCrmSetup *_cp_hubspot_check_setup         (CpCrmBackend  *backend,
                                             gboolean       create,
                                             GCancellable  *cancellable,
                                             GError       **error);
gboolean    _cp_hubspot_require_id_property (CpHubspotBackend  *self,
                                             GCancellable      *cancellable,
                                             GError           **error);

/* cp-hubspot-activities.c: the engagement part of the backend interface. */
void       _cp_hubspot_activities_iface_init (CpCrmBackendInterface *iface);

G_END_DECLS
