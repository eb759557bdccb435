/* cp-store-error.c — the error domain of the local store
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cp-store-error.h"

G_DEFINE_QUARK (cp-store-error-quark, cp_store_error)
