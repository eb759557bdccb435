/* cp-datetime.h — the ISO 8601 form of the timestamps leads carry
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *cp_datetime_format_iso8601 (gint64       unix_seconds);
char     *cp_datetime_with_seconds   (const char  *text);
gboolean  cp_datetime_parse_iso8601  (const char  *text,
                                      gint64      *out_unix_seconds,
                                      GError     **error);

G_END_DECLS
