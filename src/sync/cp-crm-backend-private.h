/* cp-crm-backend-private.h — shared by the backends and pulls: engagements, cursor order
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-crm-backend.h"

G_BEGIN_DECLS

/* Refuses an engagement whose @what (a status, an outcome, its time) has
 * the value @value, which Carepath cannot map. Returns FALSE. */
gboolean _cp_crm_activity_refuse          (GError        **error,
                                           const char     *what,
                                           const char     *value);

/* Sets "@crm:@type:@remote_id" as @activity's external id; a meeting
 * attended gets ":attended", being an activity apart from its booking. */
void     _cp_crm_activity_set_external_id (CpCrmActivity  *activity,
                                           const char     *crm,
                                           const char     *type,
                                           const char     *remote_id);

/* Pull cursors (epoch milliseconds, fixed-width datetimes and positions)
 * order by length, then text. NULL comes first. */
int      _cp_crm_cursor_compare           (const char     *a,
                                           const char     *b);

G_END_DECLS
