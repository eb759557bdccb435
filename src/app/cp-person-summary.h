/* cp-person-summary.h — a readable PDF summary of a person export
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean cp_person_summary_write_pdf (JsonNode  *document,
                                      GFile     *file,
                                      GError   **error);
GFile   *cp_person_summary_file_for  (GFile     *json);

G_END_DECLS
