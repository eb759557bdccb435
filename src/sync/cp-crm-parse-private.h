/* cp-crm-parse-private.h — the CRM answer parsers as pure functions
 *
 * Private to src/sync, the fuzz target (tests/fuzz/fuzz-crm-page.c) and
 * its corpus replay: bytes in, a CpCrmPage or an error out, through the
 * very code the backends run on what the server sent (the same depth
 * check, cp_json_check_depth() with CP_JSON_MAX_DEPTH, before json-glib).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "cp-crm-backend.h"

G_BEGIN_DECLS


/* A HubSpot contacts search (or list) answer: every result a record
 * (no cursor); next_page is HubSpot's own opaque `paging.next.after`,
 * NULL on the last page. The backend never hands that token on: it only
 * tells whether more follow. */
CpCrmPage *_cp_hubspot_parse_page       (const char  *data,
                                         gsize        length,
                                         GError     **error);
/* The same as the pull reads it, without building a tree
 * (cp-hubspot-page-reader.c): NULL with @error for text that is no JSON,
 * or with *@out_what for JSON of another shape. */
CpCrmPage *_cp_hubspot_read_page        (const char  *data,
                                         gsize        length,
                                         const char **out_what,
                                         GError     **error);

/* An EspoCRM lead list answer ("total", "list"): records with their
 * cursors, next_page "modifiedAt|id" after the last one unless "total"
 * says this page was the last. */
CpCrmPage *_cp_espocrm_page_from_json   (JsonNode     *root,
                                         const char  **out_what);
CpCrmPage *_cp_espocrm_parse_page       (const char  *data,
                                         gsize        length,
                                         GError     **error);

G_END_DECLS
