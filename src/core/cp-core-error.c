/* cp-core-error.c — error domain for the core layer
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-core-error"

#include "config.h"

#include "cp-core-error.h"

G_DEFINE_QUARK (cp-core-error-quark, cp_core_error)
