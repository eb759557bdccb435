/* cp-schema.h — the database schema, as an ordered list of migrations
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "CARE" — marks a SQLite file as a Carepath database. */
#define CP_SCHEMA_APPLICATION_ID 0x43415245

int         cp_schema_latest_version (void);
const char *cp_schema_migration      (int version);

G_END_DECLS
