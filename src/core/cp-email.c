/* cp-email.c — email addresses as RFC 5321, 6531 and 6532 allow them: UTF-8 names,
 * international domains
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-validate"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-validate.h"
#include "cp-validate-private.h"

/* A local part of 64 bytes (RFC 5321 §4.5.3.1.1; RFC 6531 keeps it, in
 * UTF-8), labels of 63 (DNS), and 254 characters in all: the email
 * field's own limit. */
#define EMAIL_MAX_CHARS        254
#define EMAIL_LOCAL_MAX_BYTES  64
#define EMAIL_LABEL_MAX_CHARS  63
#define ZERO_WIDTH_NON_JOINER  0x200C
#define ZERO_WIDTH_JOINER      0x200D

static gboolean
email_error (GError     **error,
             const char  *email,
             const char  *reason)
{
  g_autofree char *shown = _cp_quote_for_message (email);

  /* TRANSLATORS: the first %s is what the user typed, the second one of the reasons below */
  g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
               _("“%s” is not a valid email address: %s"), shown, reason);
  return FALSE;
}

static gboolean
is_atext (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* Refused anywhere in an address: controls, line and paragraph separators
 * and format characters (zero-width space, direction overrides, soft
 * hyphen…), but not the zero-width (non-)joiner some scripts spell with. */
static gboolean
is_invisible (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return TRUE;
    case G_UNICODE_FORMAT:
      return c != ZERO_WIDTH_NON_JOINER && c != ZERO_WIDTH_JOINER;
    default:
      return FALSE;
    }
}

static gboolean
is_space (gunichar c)
{
  return c == ' ' || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR;
}

/* RFC 6531 lets any non-ASCII character into a local part; unassigned and
 * private-use code points are no one's name. */
static gboolean
local_char_ok (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return type != G_UNICODE_UNASSIGNED && type != G_UNICODE_PRIVATE_USE &&
         type != G_UNICODE_SURROGATE;
}

const char *
_cp_email_skip_quoted (const char *text,
                       GString    *content)
{
  g_return_val_if_fail (text != NULL && text[0] == '"', NULL);

  /* Byte by byte: neither '"' nor '\' occurs inside a UTF-8 sequence. */
  for (const char *p = text + 1; *p != '\0'; p++)
    {
      if (*p == '"')
        return p + 1;
      if (*p == '\\' && p[1] != '\0')
        p++;
      if (content != NULL)
        g_string_append_c (content, *p);
    }

  return NULL;
}

const char *
_cp_email_dot_atom_problem (const char *local,
                            gsize       len)
{
  const char *end = local + len;

  for (const char *p = local; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_space (c))
        return N_("it contains a space");
      if (c == '"')
        return N_("quotes must enclose the whole name before the @");
      if (c == '.')
        {
          if (p == local || p + 1 == end || p[1] == '.')
            return N_("the name before the @ cannot start or end with a dot "
                      "or have two dots in a row");
        }
      else if (c < 0x80 ? !is_atext ((char) c) : is_invisible (c) || !local_char_ok (c))
        return N_("the name before the @ contains a character that is not allowed");
    }

  return NULL;
}

static gboolean
domain_label_char_ok (gunichar c)
{
  if (c < 0x80)
    return g_ascii_isalnum ((char) c) || c == '-';

  /* Internationalized domain names: letters, digits and combining marks. */
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

/* Why one label of a domain, as typed, is not valid, untranslated. */
static const char *
domain_label_problem (const char *label,
                      gsize       len)
{
  if (len == 0)
    return N_("the domain has an empty part (two dots in a row, or a dot at either end)");

  for (const char *p = label; p < label + len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_space (c))
        return N_("it contains a space");
      if (!domain_label_char_ok (c))
        return N_("the domain contains a character that is not allowed");
    }

  if (label[0] == '-' || label[len - 1] == '-')
    return N_("a part of the domain starts or ends with a dash");

  return NULL;
}

/* Why a label that domain_label_problem() let through has no A-label
 * (xn--…) form, the one DNS knows, untranslated. */
static const char *
domain_label_encoding_problem (const char *label,
                               gsize       len)
{
  g_autofree char *copy = g_strndup (label, len);
  g_autofree char *composed = NULL;
  g_autofree char *ascii = NULL;

  if (g_hostname_is_ascii_encoded (copy))
    {
      /* An A-label must be the encoding of a valid U-label, and that
       * encoding again: xn--caf-dma, not xn--zz or xn--abc-. */
      g_autofree char *unicode = g_hostname_to_unicode (copy);
      g_autofree char *again = unicode != NULL ? g_hostname_to_ascii (unicode) : NULL;

      if (again == NULL || g_ascii_strcasecmp (again, copy) != 0 ||
          !g_hostname_is_non_ascii (unicode) ||
          domain_label_problem (unicode, strlen (unicode)) != NULL)
        return N_("a part of the domain starts with “xn--” but is not a valid international name");
    }

  if (!g_hostname_is_non_ascii (copy))
    return len > EMAIL_LABEL_MAX_CHARS ? N_("a part of the domain is longer than 63 characters")
                                       : NULL;

  /* IDNA maps the label (NFKC) before encoding it: what it maps to must
   * be letters and digits too. After that only the length can fail. */
  composed = g_utf8_normalize (copy, -1, G_NORMALIZE_NFKC);
  if (composed == NULL || domain_label_problem (composed, strlen (composed)) != NULL)
    return N_("the domain contains a character that is not allowed");

  ascii = g_hostname_to_ascii (copy);
  if (ascii == NULL)
    return N_("a part of the domain is too long: written with “xn--”, "
              "it has more than 63 characters");

  return NULL;
}

static gboolean
tld_is_valid (const char *tld,
              gsize       len)
{
  glong n_chars = g_utf8_strlen (tld, (gssize) len);

  if (len >= 5 && g_ascii_strncasecmp (tld, "xn--", 4) == 0)
    return TRUE;

  if (n_chars < 2)
    return FALSE;

  for (const char *p = tld; p < tld + len; p = g_utf8_next_char (p))
    if (!g_unichar_isalpha (g_utf8_get_char (p)) && !g_unichar_ismark (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

static gboolean
check_email_domain (const char  *email,
                    const char  *domain,
                    GError     **error)
{
  const char *label = domain;

  if (strchr (domain, '.') == NULL)
    return email_error (error, email, _("the domain needs a dot, as in example.com"));

  for (;;)
    {
      const char *end = strchr (label, '.');
      gsize len = end != NULL ? (gsize) (end - label) : strlen (label);
      const char *problem = domain_label_problem (label, len);

      if (problem == NULL)
        problem = domain_label_encoding_problem (label, len);
      if (problem != NULL)
        return email_error (error, email, _(problem));

      if (end == NULL)
        {
          if (!tld_is_valid (label, len))
            return email_error (error, email,
                                _("the domain must end in a name of two letters or more, "
                                  "as in .com or .org"));
          return TRUE;
        }

      label = end + 1;
    }
}

/**
 * cp_validate_email:
 * @email: an email address
 * @error: a #GError in %CP_CORE_ERROR
 *
 * A syntax check after RFC 5321, with the international addresses of
 * RFC 6531 and RFC 6532:
 *
 * - one "@" ends the local part; at most 254 characters in all, and 64
 *   bytes before the "@" as RFC 5321 counts them (in UTF-8 a letter
 *   outside A–Z takes 2 to 4);
 * - an unquoted local part is ASCII letters, digits and
 *   `!#$%&'*+-/=?^_`{|}~` and non-ASCII letters, digits, marks,
 *   punctuation and symbols, with dots between them (no leading, trailing
 *   or double dot);
 * - a quoted local part ("john doe"@example.org) is the whole local part
 *   and holds any printable character, spaces and "@" included; `\"` and
 *   `\\` stand for a quote and a backslash (a backslash before any other
 *   character stands for that character); it is not empty;
 * - the domain has at least one dot; each label is letters, digits and
 *   marks of any script or dashes (not at either end), in U-label
 *   (café) or A-label (xn--caf-dma) form, and at most 63 characters in
 *   its A-label form; an A-label must decode to a valid U-label; the last
 *   label has two letters or more; address literals ([192.0.2.1]) are
 *   refused;
 * - no control or invisible format characters anywhere (the zero-width
 *   joiner and non-joiner excepted), no unassigned or private-use code
 *   points, and no space outside quotes.
 */
gboolean
cp_validate_email (const char  *email,
                   GError     **error)
{
  g_autoptr(GString) quoted = NULL;
  const char *at, *domain, *problem;
  gsize local_len;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (email == NULL || email[0] == '\0')
    {
      g_set_error_literal (error, CP_CORE_ERROR, CP_CORE_ERROR_REQUIRED,
                           _("The email address is empty."));
      return FALSE;
    }

  if (!g_utf8_validate (email, -1, NULL))
    return email_error (error, email, _("it contains bytes that are not valid text"));

  for (const char *p = email; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_invisible (c))
        {
          g_autofree char *reason =
            g_strdup_printf (_("it contains an invisible control character (U+%04X), "
                               "which is not allowed"), c);

          return email_error (error, email, reason);
        }
    }

  if (email[0] == '"')
    {
      const char *end;

      quoted = g_string_new (NULL);
      end = _cp_email_skip_quoted (email, quoted);
      if (end == NULL)
        return email_error (error, email, _("the closing quote is missing"));
      if (end[0] != '@' && end[0] != '\0')
        return email_error (error, email, _("quotes must enclose the whole name before the @"));
      at = end[0] == '@' ? end : NULL;
    }
  else
    at = strchr (email, '@');

  if (at == NULL)
    return email_error (error, email, _("the @ sign is missing"));
  if (strchr (at + 1, '@') != NULL)
    return email_error (error, email, _("it has more than one @ sign"));

  local_len = (gsize) (at - email);
  domain = at + 1;

  if (local_len == 0 || (quoted != NULL && quoted->len == 0))
    return email_error (error, email, _("the name before the @ is missing"));
  if (domain[0] == '\0')
    return email_error (error, email, _("the domain is missing"));
  if (g_utf8_strlen (email, -1) > EMAIL_MAX_CHARS)
    return email_error (error, email, _("it is longer than 254 characters"));
  if (local_len > EMAIL_LOCAL_MAX_BYTES)
    return email_error (error, email,
                        _("the name before the @ is longer than 64 characters "
                          "(letters outside A–Z count as two or more)"));

  if (quoted == NULL)
    problem = _cp_email_dot_atom_problem (email, local_len);
  else
    {
      /* Inside quotes any printable character may stand, spaces included
       * (controls were refused above). */
      problem = NULL;
      for (const char *p = quoted->str; *p != '\0' && problem == NULL; p = g_utf8_next_char (p))
        if (!local_char_ok (g_utf8_get_char (p)))
          problem = N_("the name before the @ contains a character that is not allowed");
    }
  if (problem != NULL)
    return email_error (error, email, _(problem));

  return check_email_domain (email, domain, error);
}
