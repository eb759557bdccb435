/* cp-espocrm-private.h — the EspoCRM backend's private parts, shared by its files
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-espocrm-backend.h"

G_BEGIN_DECLS

#define API_PREFIX     "/api/v1"
#define ID_PROPERTY    "cCarepathId"
#define PAGE_SIZE      200

struct _CpEspocrmBackend
{
  GObject        parent_instance;

  CpCrmClient   *client;
  CpCrmStageMap *stages;
  guint          overlap_s;
  GPtrArray     *hidden_ids;     /* last sweep: linked leads the API user may not read */
  GPtrArray     *undecided_ids;  /* last sweep: maybe deleted, asked again next run */
};

/* Appends where[…] parameters to a query (values escaped). */
void       _cp_espocrm_append_where (GString     *path,
                                     const char  *item,
                                     const char  *type,
                                     const char  *attribute,
                                     const char  *value);

/* One page of @entity's records modified since @cursor (minus the
 * overlap), in (modifiedAt, id) order: the leads pull, applied to any
 * entity. @extra: more query parameters (where[1]… and select), or NULL. */
CpCrmPage *_cp_espocrm_list_page    (CpEspocrmBackend  *self,
                                     const char        *entity,
                                     const char        *extra,
                                     const char        *cursor,
                                     const char        *page_token,
                                     GCancellable      *cancellable,
                                     GError           **error);

/* A lead as a record (no pull cursor), NULL without id or modifiedAt. */
CpCrmRecord *_cp_espocrm_record_from_json (JsonObject          *object);

/* GET @path, a list answer: its “list” (owned by *@out_root), NULL with @error. */
JsonArray  *_cp_espocrm_request_list   (CpEspocrmBackend   *self,
                                        const char         *path,
                                        CpCrmRequestFlags   flags,
                                        JsonNode          **out_root,
                                        gint64             *out_total,
                                        GCancellable       *cancellable,
                                        GError            **error);

/* cp-espocrm-deletions.c: the pull_deletions of the backend interface. */
GPtrArray  *_cp_espocrm_pull_deletions (CpCrmBackend       *backend,
                                        GHashTable         *known_remote_ids,
                                        GCancellable       *cancellable,
                                        GError            **error);

/* cp-espocrm-push.c: the push_batch of the backend interface. */
GPtrArray  *_cp_espocrm_push_batch     (CpCrmBackend       *backend,
                                        GPtrArray          *changes,
                                        GCancellable       *cancellable,
                                        GError            **error);

/* cp-espocrm-activities.c: the engagement part of the backend interface. */
void       _cp_espocrm_activities_iface_init (CpCrmBackendInterface *iface);

G_END_DECLS
