/* cp-sync-error.h — the error domain of CRM sync
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CP_SYNC_ERROR (cp_sync_error_quark ())

typedef enum
{
  CP_SYNC_ERROR_AUTH,
  CP_SYNC_ERROR_FORBIDDEN,
  CP_SYNC_ERROR_RATE_LIMITED,
  CP_SYNC_ERROR_TRANSIENT,
  CP_SYNC_ERROR_INVALID_RESPONSE,
  CP_SYNC_ERROR_REJECTED,
  CP_SYNC_ERROR_CONFLICT,
  CP_SYNC_ERROR_NOT_CONFIGURED,
} CpSyncError;

GQuark cp_sync_error_quark (void);

G_END_DECLS
