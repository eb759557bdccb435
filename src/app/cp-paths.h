/* cp-paths.h — where Carepath keeps its database, and the phone region it reads numbers in
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *cp_default_database_path (void);
char *cp_default_phone_region  (void);

G_END_DECLS
