/* cp-lifecycle-check.h — whether every lead holds what the playbook says
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-database.h"
#include "cp-playbook.h"

G_BEGIN_DECLS

GPtrArray *cp_lifecycle_check_leads (CpDatabase  *database,
                                     CpPlaybook  *playbook,
                                     gint64       version,
                                     gint64       now,
                                     GError     **error);

G_END_DECLS
