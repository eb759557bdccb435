/* cp-espocrm-private.h — the EspoCRM backend's list pull, shared by leads and engagements
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-espocrm-backend.h"

G_BEGIN_DECLS

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

/* cp-espocrm-activities.c: the engagement part of the backend interface. */
void       _cp_espocrm_activities_iface_init (CpCrmBackendInterface *iface);

G_END_DECLS
