/* cp-private-file.h — files that hold personal data, readable by their owner only
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean cp_private_file_replace (GFile       *file,
                                  const void  *contents,
                                  gsize        length,
                                  GError     **error);

G_END_DECLS
