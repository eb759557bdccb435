/* cp-validate.h — syntax checks and normal forms for contact data
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  cp_validate_email        (const char  *email,
                                    GError     **error);
gboolean  cp_validate_text         (const char  *value,
                                    guint        max_chars,
                                    gboolean     multiline,
                                    GError     **error);
char     *cp_phone_normalize_e164  (const char  *input,
                                    const char  *default_region,
                                    GError     **error);
char     *cp_phone_format_display  (const char  *e164);

G_END_DECLS
