/* cp-validate.c — syntax checks and normal forms for contact data
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-validate"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-validate.h"
#include "cp-validate-private.h"

#define E164_MIN_DIGITS       8
#define E164_MAX_DIGITS       15
#define PHONE_MAX_INPUT_DIGITS 32

typedef enum
{
  TRUNK_NONE,       /* no trunk prefix: the national number is dialled as is */
  TRUNK_DROP_ZERO,  /* a leading 0 is dialled nationally and dropped after +CC */
  TRUNK_KEEP_ZERO,  /* the leading 0 is part of the number (Italy) */
  TRUNK_NANP,       /* North American Numbering Plan: optional leading 1 */
} TrunkRule;

typedef struct
{
  const char *region;        /* ISO 3166-1 alpha-2 */
  const char *calling_code;
  TrunkRule   trunk;
  guint       min_digits;    /* national significant number, after the trunk prefix */
  guint       max_digits;
} PhonePlan;

static const PhonePlan phone_plans[] = {
  { "US", "1", TRUNK_NANP, 10, 10 },
  { "CA", "1", TRUNK_NANP, 10, 10 },
  { "GB", "44", TRUNK_DROP_ZERO, 7, 10 },
  { "DE", "49", TRUNK_DROP_ZERO, 5, 13 },
  { "FR", "33", TRUNK_DROP_ZERO, 9, 9 },
  { "ES", "34", TRUNK_NONE, 9, 9 },
  { "IT", "39", TRUNK_KEEP_ZERO, 6, 11 },
  { "NL", "31", TRUNK_DROP_ZERO, 9, 9 },
  { "IE", "353", TRUNK_DROP_ZERO, 7, 9 },
  { "AU", "61", TRUNK_DROP_ZERO, 9, 9 },
  { "NZ", "64", TRUNK_DROP_ZERO, 8, 10 },
  { "IN", "91", TRUNK_DROP_ZERO, 10, 10 },
  { "MX", "52", TRUNK_NONE, 10, 10 },
  { "BR", "55", TRUNK_DROP_ZERO, 10, 11 },
  { "CH", "41", TRUNK_DROP_ZERO, 9, 9 },
  { "AT", "43", TRUNK_DROP_ZERO, 4, 13 },
  { "BE", "32", TRUNK_DROP_ZERO, 8, 9 },
  { "SE", "46", TRUNK_DROP_ZERO, 6, 10 },
  { "DK", "45", TRUNK_NONE, 8, 8 },
  { "NO", "47", TRUNK_NONE, 8, 8 },
  { "PL", "48", TRUNK_NONE, 9, 9 },
  { "PT", "351", TRUNK_NONE, 9, 9 },
  { "ZA", "27", TRUNK_DROP_ZERO, 9, 9 },
  { "JP", "81", TRUNK_DROP_ZERO, 9, 10 },
};

/* Two-digit ITU calling codes; "1" and "7" are the one-digit ones and
 * everything else has three digits. */
static const char * const two_digit_calling_codes[] = {
  "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45",
  "46", "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61",
  "62", "63", "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94",
  "95", "98", NULL
};

/* @value for an error message: valid UTF-8, cut after 60 characters. */
char *
_cp_quote_for_message (const char *value)
{
  g_autofree char *valid = g_utf8_make_valid (value, -1);

  if (g_utf8_strlen (valid, -1) > 60)
    {
      g_autofree char *cut = g_utf8_substring (valid, 0, 60);

      return g_strconcat (cut, "…", NULL);
    }

  return g_steal_pointer (&valid);
}

gboolean
_cp_validate_text_for (const char  *value,
                       guint        max_chars,
                       gboolean     multiline,
                       const char  *label,
                       GError     **error)
{
  glong n_chars = 0;
  gunichar bad = 0;
  const char *rest;

  if (value == NULL)
    return TRUE;

  /* The ASCII characters first, a byte each (most values are only
   * those): a control character is one below a space, or DEL. */
  for (rest = value; *rest != '\0' && (guchar) *rest < 0x80; rest++)
    {
      n_chars++;
      if (bad == 0 && ((guchar) *rest < 0x20 || *rest == 0x7f) &&
          !(multiline && (*rest == '\n' || *rest == '\t' || *rest == '\r')))
        bad = (guchar) *rest;
    }

  if (!g_utf8_validate (rest, -1, NULL))
    {
      if (label != NULL)
        g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                     _("%s contains bytes that are not valid text."), label);
      else
        g_set_error_literal (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                             _("The text contains bytes that are not valid text."));
      return FALSE;
    }

  for (const char *p = rest; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      n_chars++;
      if (bad == 0 && g_unichar_iscntrl (c) &&
          !(multiline && (c == '\n' || c == '\t' || c == '\r')))
        bad = c;
    }

  if (bad == '\n' || bad == '\r')
    {
      if (label != NULL)
        g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                     _("%s must fit on one line."), label);
      else
        g_set_error_literal (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                             _("The text must fit on one line."));
      return FALSE;
    }

  if (bad != 0)
    {
      if (label != NULL)
        g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                     _("%s contains an invisible control character (U+%04X)."), label, bad);
      else
        g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                     _("The text contains an invisible control character (U+%04X)."), bad);
      return FALSE;
    }

  if (max_chars > 0 && n_chars > (glong) max_chars)
    {
      if (label != NULL)
        g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_TOO_LONG,
                     _("%s is too long: %ld characters, at most %u are allowed."),
                     label, n_chars, max_chars);
      else
        g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_TOO_LONG,
                     _("The text is too long: %ld characters, at most %u are allowed."),
                     n_chars, max_chars);
      return FALSE;
    }

  return TRUE;
}

/**
 * cp_validate_text:
 * @value: (nullable): the text; %NULL is valid
 * @max_chars: the most characters allowed, 0 for no limit
 * @multiline: whether line breaks and tabs are allowed
 * @error: a #GError in %CP_CORE_ERROR
 *
 * Checks that @value is valid UTF-8 without control characters (other than
 * line breaks and tabs when @multiline) and not longer than @max_chars.
 */
gboolean
cp_validate_text (const char  *value,
                  guint        max_chars,
                  gboolean     multiline,
                  GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return _cp_validate_text_for (value, max_chars, multiline, NULL, error);
}

static const PhonePlan *
lookup_plan (const char *region)
{
  for (guint i = 0; i < G_N_ELEMENTS (phone_plans); i++)
    if (g_ascii_strcasecmp (phone_plans[i].region, region) == 0)
      return &phone_plans[i];

  return NULL;
}

static gboolean
phone_error (GError     **error,
             gint         code,
             const char  *input,
             const char  *reason)
{
  g_autofree char *shown = _cp_quote_for_message (input);

  /* TRANSLATORS: the first %s is what the user typed, the second one of the reasons below */
  g_set_error (error, CP_CORE_ERROR, code, _("“%s” is not a valid phone number: %s"), shown,
               reason);
  return FALSE;
}

/* Whether @p starts an extension: "ext", "ext.", "extension", "x" or "#"
 * followed by digits (and separators) only. */
static gboolean
is_extension (const char *p)
{
  static const char * const markers[] = { "extension", "ext.", "ext", "x", "#", NULL };
  const char *rest = NULL;
  gboolean has_digit = FALSE;

  for (guint i = 0; markers[i] != NULL; i++)
    {
      if (g_ascii_strncasecmp (p, markers[i], strlen (markers[i])) == 0)
        {
          rest = p + strlen (markers[i]);
          break;
        }
    }

  if (rest == NULL)
    return FALSE;

  for (; *rest != '\0'; rest++)
    {
      if (g_ascii_isdigit (*rest))
        has_digit = TRUE;
      else if (!strchr (" .:-\t", *rest))
        return FALSE;
    }

  return has_digit;
}

static gboolean
check_international (const char  *input,
                     const char  *digits,
                     GError     **error)
{
  gsize len = strlen (digits);

  if (digits[0] == '0')
    return phone_error (error, CP_CORE_ERROR_INVALID, input,
                        _("country codes cannot start with 0"));
  if (len < E164_MIN_DIGITS)
    return phone_error (error, CP_CORE_ERROR_INVALID, input, _("it is too short"));
  if (len > E164_MAX_DIGITS)
    return phone_error (error, CP_CORE_ERROR_TOO_LONG, input, _("it is too long"));

  if (digits[0] == '1')
    {
      if (len != 11)
        return phone_error (error, CP_CORE_ERROR_INVALID, input,
                            _("numbers in North America have 10 digits after +1"));
      if (digits[1] == '0' || digits[1] == '1')
        return phone_error (error, CP_CORE_ERROR_INVALID, input,
                            _("area codes in North America cannot start with 0 or 1"));
    }

  return TRUE;
}

/* Keeps the digits of @input in @digits, up to an extension, whether it
 * starts with "+", and where in @digits a "(0)" put its 0 (or -1); fails
 * on anything else a phone number cannot hold. */
static gboolean
collect_digits (const char  *input,
                char        *digits,
                gboolean    *out_plus,
                gssize      *out_bracket_zero,
                GError     **error)
{
  gsize n_digits = 0;
  gboolean plus = FALSE;

  *out_bracket_zero = -1;
  for (const char *p = input; *p != '\0'; p++)
    {
      char c = *p;

      if (c == '(' && strncmp (p, "(0)", 3) == 0 && *out_bracket_zero < 0)
        *out_bracket_zero = n_digits;
      if (g_ascii_isdigit (c))
        {
          if (n_digits == PHONE_MAX_INPUT_DIGITS)
            return phone_error (error, CP_CORE_ERROR_TOO_LONG, input, _("it is too long"));
          digits[n_digits++] = c;
        }
      else if (c == ' ' || c == '.' || c == '-' || c == '(' || c == ')' || c == '/' || c == '\t')
        continue;
      else if (c == '+')
        {
          if (plus || n_digits > 0)
            return phone_error (error, CP_CORE_ERROR_INVALID, input,
                                _("a “+” can only come first"));
          plus = TRUE;
        }
      else if (n_digits > 0 && is_extension (p))
        break;
      else if (g_ascii_isalpha (c))
        return phone_error (error, CP_CORE_ERROR_INVALID, input, _("it contains letters"));
      else
        return phone_error (error, CP_CORE_ERROR_INVALID, input,
                            _("it contains a character that is not a digit, space, dot, dash "
                              "or parenthesis"));
    }
  digits[n_digits] = '\0';

  if (n_digits == 0)
    return phone_error (error, CP_CORE_ERROR_INVALID, input, _("it has no digits"));

  *out_plus = plus;
  return TRUE;
}

static gsize calling_code_length (const char *digits);

/* The digits of an international number (after "+" or "00") without the
 * trunk 0 people write after the country code, which is not dialled from
 * abroad: "+44 (0)20 …" and "+44 020 …" are "+44 20 …". A "(0)" is a
 * trunk prefix in every plan but one that keeps its 0 (Italy); a bare 0 is
 * dropped where the plan drops it. */
static char *
without_trunk_zero (const char *international,
                    gssize      bracket_zero)
{
  gsize code_len = calling_code_length (international);
  const PhonePlan *plan = NULL;
  gboolean drop;

  if (strlen (international) <= code_len || international[code_len] != '0')
    return g_strdup (international);
  for (guint i = 0; i < G_N_ELEMENTS (phone_plans) && plan == NULL; i++)
    if (strlen (phone_plans[i].calling_code) == code_len &&
        strncmp (phone_plans[i].calling_code, international, code_len) == 0)
      plan = &phone_plans[i];

  drop = plan != NULL && plan->trunk == TRUNK_DROP_ZERO;
  if (bracket_zero == (gssize) code_len)
    drop = plan == NULL || plan->trunk != TRUNK_KEEP_ZERO;
  if (!drop)
    return g_strdup (international);
  return g_strdup_printf ("%.*s%s", (int) code_len, international, international + code_len + 1);
}

/* @digits as dialled inside @plan's region (no international prefix),
 * in E.164 form. */
static char *
normalize_national (const char       *input,
                    const PhonePlan  *plan,
                    const char       *digits,
                    GError          **error)
{
  const char *national = digits;
  gsize len = strlen (digits);

  switch (plan->trunk)
    {
    case TRUNK_NANP:
      if (len == 11 && national[0] == '1')
        {
          national++;
          len--;
        }
      if (len != 10)
        {
          phone_error (error, len < 10 ? CP_CORE_ERROR_INVALID : CP_CORE_ERROR_TOO_LONG, input,
                       _("numbers in North America have 10 digits"));
          return NULL;
        }
      if (national[0] == '0' || national[0] == '1')
        {
          phone_error (error, CP_CORE_ERROR_INVALID, input,
                       _("area codes in North America cannot start with 0 or 1"));
          return NULL;
        }
      break;

    case TRUNK_DROP_ZERO:
      if (national[0] == '0')
        {
          national++;
          len--;
        }
      break;

    case TRUNK_NONE:
    case TRUNK_KEEP_ZERO:
    default:
      break;
    }

  if (len < plan->min_digits)
    {
      phone_error (error, CP_CORE_ERROR_INVALID, input, _("it is too short"));
      return NULL;
    }
  if (len > plan->max_digits || len + strlen (plan->calling_code) > E164_MAX_DIGITS)
    {
      phone_error (error, CP_CORE_ERROR_TOO_LONG, input, _("it is too long"));
      return NULL;
    }

  return g_strconcat ("+", plan->calling_code, national, NULL);
}

/**
 * cp_phone_normalize_e164:
 * @input: a phone number as typed: spaces, dots, dashes, parentheses and an
 *   extension ("ext. 12", "x12") are allowed; extensions are dropped, and
 *   so is a trunk 0 after the country code ("+44 (0)20 …")
 * @default_region: (nullable): ISO 3166-1 alpha-2 code of the region used
 *   to read numbers without "+" or "00", e.g. "US"
 * @error: a #GError in %CP_CORE_ERROR
 *
 * Returns: (transfer full) (nullable): the number in E.164 form, such as
 *   "+15555550123", or %NULL with @error set
 */
char *
cp_phone_normalize_e164 (const char  *input,
                         const char  *default_region,
                         GError     **error)
{
  char digits[PHONE_MAX_INPUT_DIGITS + 1];
  gboolean plus = FALSE;
  gssize bracket_zero;
  const PhonePlan *plan;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (input == NULL || input[0] == '\0')
    {
      g_set_error_literal (error, CP_CORE_ERROR, CP_CORE_ERROR_REQUIRED,
                           _("The phone number is empty."));
      return NULL;
    }

  if (!g_utf8_validate (input, -1, NULL))
    {
      phone_error (error, CP_CORE_ERROR_INVALID, input,
                   _("it contains bytes that are not valid text"));
      return NULL;
    }

  if (!collect_digits (input, digits, &plus, &bracket_zero, error))
    return NULL;

  plan = default_region != NULL ? lookup_plan (default_region) : NULL;

  if (plus || g_str_has_prefix (digits, "00") ||
      (plan != NULL && plan->trunk == TRUNK_NANP && g_str_has_prefix (digits, "011")))
    {
      gsize prefix = plus ? 0 : g_str_has_prefix (digits, "00") ? 2 : 3;
      g_autofree char *international = without_trunk_zero (digits + prefix,
                                                           bracket_zero - (gssize) prefix);

      if (!check_international (input, international, error))
        return NULL;

      return g_strconcat ("+", international, NULL);
    }

  if (default_region == NULL)
    {
      phone_error (error, CP_CORE_ERROR_INVALID, input,
                   _("add the country code, starting with +"));
      return NULL;
    }

  if (plan == NULL)
    {
      g_autofree char *shown = _cp_quote_for_message (default_region);

      g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
                   _("Phone numbers from region “%s” cannot be read. "
                     "Enter the number with its country code, starting with +."),
                   shown);
      return NULL;
    }

  return normalize_national (input, plan, digits, error);
}

static gsize
calling_code_length (const char *digits)
{
  if (digits[0] == '1' || digits[0] == '7')
    return 1;

  for (guint i = 0; two_digit_calling_codes[i] != NULL; i++)
    if (strncmp (digits, two_digit_calling_codes[i], 2) == 0)
      return 2;

  return 3;
}

/**
 * cp_phone_format_display:
 * @e164: (nullable): a number in E.164 form
 *
 * Groups the digits for reading: "+1 555-555-0123" in North America,
 * "+44 770 090 0123" elsewhere. Anything not in E.164 form is returned
 * unchanged.
 *
 * Returns: (transfer full) (nullable): the number for display
 */
char *
cp_phone_format_display (const char *e164)
{
  GString *out;
  const char *digits;
  gsize len, cc_len, rest, fours, threes;

  if (e164 == NULL)
    return NULL;

  digits = e164 + 1;
  len = strlen (digits);
  if (e164[0] != '+' || len < 2 || len > E164_MAX_DIGITS)
    return g_strdup (e164);
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (digits[i]))
      return g_strdup (e164);

  if (digits[0] == '1' && len == 11)
    return g_strdup_printf ("+1 %.3s-%.3s-%.4s", digits + 1, digits + 4, digits + 7);

  cc_len = MIN (calling_code_length (digits), len - 1);
  out = g_string_new ("+");
  g_string_append_len (out, digits, (gssize) cc_len);

  digits += cc_len;
  rest = len - cc_len;

  if (rest <= 5)
    {
      g_string_append_c (out, ' ');
      g_string_append_len (out, digits, (gssize) rest);
      return g_string_free (out, FALSE);
    }

  /* Groups of three, then groups of four at the end: 9 → 3 3 3,
   * 10 → 3 3 4, 11 → 3 4 4. */
  fours = rest % 3;
  threes = (rest - 4 * fours) / 3;

  for (gsize i = 0; i < threes + fours; i++)
    {
      gsize n = i < threes ? 3 : 4;

      g_string_append_c (out, ' ');
      g_string_append_len (out, digits, (gssize) n);
      digits += n;
    }

  return g_string_free (out, FALSE);
}
