/* cp-core-error.c — error domain for the core layer
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-core-error"

#include "config.h"

#include "cp-core-error.h"

G_DEFINE_QUARK (cp-core-error-quark, cp_core_error)

/**
 * cp_set_path_error:
 * @path: where in a document the problem is, e.g. `scoring.rules[3].condition.op`
 *
 * Sets “PATH: REASON”, the form every document error takes, so a user can
 * find the mistake.
 *
 * Returns: %FALSE, for `return cp_set_path_error (…);`
 */
gboolean
cp_set_path_error (GError     **error,
                   GQuark       domain,
                   int          code,
                   const char  *path,
                   const char  *format,
                   ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, domain, code, "%s: %s", path, reason);

  return FALSE;
}
