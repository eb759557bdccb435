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

/* The end of the quoted string @text starts with ("…", where a backslash
 * escapes the next character): just past its closing quote, or %NULL when
 * it has none. Its content, unescaped, is appended to @content unless
 * that is %NULL. Email local parts are read with it. */
const char *_cp_email_skip_quoted      (const char *text,
                                        GString    *content);

/* Why the @len bytes at @local are not an unquoted email local part
 * (dot-separated atoms of RFC 5321, with the non-ASCII characters of
 * RFC 6531): an untranslated reason (N_()), or %NULL when they are one
 * or are empty (the caller says what is missing). */
const char *_cp_email_dot_atom_problem (const char *local,
                                        gsize       len);

G_END_DECLS
