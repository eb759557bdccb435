/* cp-person-export.h — everything the database holds about one person, as one JSON document
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cp-lead-store.h"

G_BEGIN_DECLS

JsonNode *cp_person_export_build   (CpLeadStore  *store,
                                    const char   *lead_id,
                                    GError      **error);
gboolean  cp_person_export_write    (JsonNode     *document,
                                    GFile        *file,
                                    GError      **error);

G_END_DECLS
