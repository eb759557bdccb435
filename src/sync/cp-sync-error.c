/* cp-sync-error.c — the error domain of CRM sync
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cp-sync-error.h"

G_DEFINE_QUARK (cp-sync-error-quark, cp_sync_error)
