/* cp-event-time.h — times and durations as webinar, event and form platforms export them
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean cp_event_time_parse     (const char  *text,
                                  GTimeZone   *zone,
                                  gint64      *out_unix_seconds,
                                  GError     **error);
gboolean cp_event_duration_parse (const char  *text,
                                  int         *out_minutes,
                                  GError     **error);

G_END_DECLS
