/* cp-byte-source.h — where a reader's bytes come from
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Fills @buffer with up to @size bytes; returns how many (0 at the end), or
 * -1 with @error set. */
typedef gssize (*CpByteReadFunc) (gpointer   user_data,
                                  char      *buffer,
                                  gsize      size,
                                  GError   **error);

G_END_DECLS
