/* cp-core-error.h — error domain for the core layer
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CP_CORE_ERROR (cp_core_error_quark ())

/**
 * CpCoreError:
 * @CP_CORE_ERROR_INVALID: a value is not acceptable (bad syntax, unknown choice…)
 * @CP_CORE_ERROR_TOO_LONG: a value is longer than its field allows
 * @CP_CORE_ERROR_REQUIRED: a value that must be present is missing
 * @CP_CORE_ERROR_UNKNOWN_FIELD: a field name is not known
 * @CP_CORE_ERROR_PARSE: a value could not be read (number, date, yes/no…)
 * @CP_CORE_ERROR_REFUSED: the playbook refuses the change (a stage it does
 *   not have, a rule a move breaks, a closure reason it does not know)
 * @CP_CORE_ERROR_COMPUTED: the field is computed by the playbook and
 *   cannot be written
 */
typedef enum
{
  CP_CORE_ERROR_INVALID,
  CP_CORE_ERROR_TOO_LONG,
  CP_CORE_ERROR_REQUIRED,
  CP_CORE_ERROR_UNKNOWN_FIELD,
  CP_CORE_ERROR_PARSE,
  CP_CORE_ERROR_REFUSED,
  CP_CORE_ERROR_COMPUTED,
} CpCoreError;

GQuark cp_core_error_quark (void);

gboolean cp_set_path_error (GError     **error,
                            GQuark       domain,
                            int          code,
                            const char  *path,
                            const char  *format,
                            ...) G_GNUC_PRINTF (5, 6);

G_END_DECLS
