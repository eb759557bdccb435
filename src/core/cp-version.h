/* cp-version.h — the version of the Carepath code base
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *cp_version_string (void);

G_END_DECLS
