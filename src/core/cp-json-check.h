/* cp-json-check.h — checks on JSON text before a parser builds a tree of it
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How deep lists and objects may nest in any JSON Carepath reads (a
 * playbook, a CRM's answer). Real documents stay far below it. */
#define CP_JSON_MAX_DEPTH 64

gboolean cp_json_check_depth        (const char  *data,
                                     gsize        length,
                                     guint        max_depth,
                                     GError     **error);
char    *cp_json_mark_huge_integers (const char  *data,
                                     gsize        length,
                                     gsize       *out_length);

G_END_DECLS
