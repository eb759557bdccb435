/* cp-validate-private.h — validation helpers shared inside the core layer
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-validate.h"

G_BEGIN_DECLS

/* Like cp_validate_text(), with messages naming @label (already translated)
 * when it is not %NULL. */
gboolean _cp_validate_text_for (const char  *value,
                                guint        max_chars,
                                gboolean     multiline,
                                const char  *label,
                                GError     **error);

/* @value shown in an error message: made valid UTF-8 and shortened. */
char    *_cp_quote_for_message (const char *value);

G_END_DECLS
