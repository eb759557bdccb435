/* cp-store-error.h — the error domain of the local store
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CP_STORE_ERROR (cp_store_error_quark ())

typedef enum
{
  CP_STORE_ERROR_OPEN,
  CP_STORE_ERROR_TOO_NEW,
  CP_STORE_ERROR_MIGRATION,
  CP_STORE_ERROR_CORRUPT,
  CP_STORE_ERROR_QUERY,
  CP_STORE_ERROR_NOT_FOUND,
  CP_STORE_ERROR_INVALID,
  CP_STORE_ERROR_BUSY,
  CP_STORE_ERROR_STALE,     /* someone else changed what a write expected */
  CP_STORE_ERROR_READ_ONLY, /* the database was opened read-only: nothing can be changed */
} CpStoreError;

GQuark cp_store_error_quark (void);

G_END_DECLS
