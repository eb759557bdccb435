/* cp-event-time.c — times and durations as webinar, event and form platforms export them
 *
 * Attendee lists write their times the way their platform's locale does:
 * ISO 8601 ("2026-03-15 10:02:33"), US style ("03/15/2026 10:02:33 AM",
 * Zoom and GoToWebinar), with a month name ("Mar 15, 2026 10:02 AM EDT",
 * "15 March 2026"), day first with dots ("15.03.2026 10:02"), or Unix
 * seconds. A slashed date is month first unless its first number cannot
 * be a month. A time without a zone is read in @zone (the computer's,
 * where the platform wrote it for the same team). Anything else is
 * refused with the text quoted: a guess would put an activity on the
 * wrong day, where scoring and automation read it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-event-time"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-event-time.h"

typedef enum
{
  TOKEN_NUMBER,
  TOKEN_WORD,
  TOKEN_MARK,     /* one punctuation character */
} TokenType;

typedef struct
{
  TokenType  type;
  char      *text;
  guint      digits;   /* TOKEN_NUMBER: how many */
  gint64     value;    /* TOKEN_NUMBER */
} Token;

typedef struct
{
  GArray *tokens;
  guint   pos;
  char    half_day;   /* 'a', 'p' or 0, as parse_time() last read it */
} Tokens;

static void
token_clear (Token *token)
{
  g_free (token->text);
}

static GArray *
tokenize (const char *text)
{
  GArray *tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  const char *p = text;

  g_array_set_clear_func (tokens, (GDestroyNotify) token_clear);
  while (*p != '\0')
    {
      Token token = { 0, };
      const char *start = p;

      if (g_ascii_isspace (*p))
        {
          p++;
          continue;
        }
      if (g_ascii_isdigit (*p))
        {
          while (g_ascii_isdigit (*p))
            p++;
          token.type = TOKEN_NUMBER;
          token.digits = p - start;
          token.value = token.digits <= 15 ? g_ascii_strtoll (start, NULL, 10) : -1;
        }
      else if (g_ascii_isalpha (*p))
        {
          while (g_ascii_isalpha (*p))
            p++;
          token.type = TOKEN_WORD;
        }
      else
        {
          /* One character, whole: a byte of a multibyte one is kept with it. */
          p = g_utf8_next_char (p);
          token.type = TOKEN_MARK;
        }
      token.text = g_ascii_strdown (start, p - start);
      g_array_append_val (tokens, token);
    }
  return tokens;
}

static Token *
peek (Tokens *t)
{
  return t->pos < t->tokens->len ? &g_array_index (t->tokens, Token, t->pos) : NULL;
}

static gboolean
take_mark (Tokens     *t,
           const char *marks)
{
  Token *token = peek (t);

  if (token == NULL || token->type != TOKEN_MARK || strchr (marks, token->text[0]) == NULL ||
      token->text[1] != '\0')
    return FALSE;
  t->pos++;
  return TRUE;
}

static gboolean
take_number (Tokens *t,
             guint   min_digits,
             guint   max_digits,
             gint64 *out)
{
  Token *token = peek (t);

  if (token == NULL || token->type != TOKEN_NUMBER || token->digits < min_digits ||
      token->digits > max_digits)
    return FALSE;
  *out = token->value;
  t->pos++;
  return TRUE;
}

static gboolean
take_word (Tokens     *t,
           const char *word)
{
  Token *token = peek (t);

  if (token == NULL || token->type != TOKEN_WORD || !g_str_equal (token->text, word))
    return FALSE;
  t->pos++;
  return TRUE;
}

/* AM or PM, as "am", "PM", "a.m." or "p. m.": 'a', 'p', or 0 (not there). */
static char
take_half_day (Tokens *t)
{
  guint start = t->pos;
  Token *token = peek (t);

  t->half_day = 0;
  if (token == NULL || token->type != TOKEN_WORD)
    return 0;
  if (g_str_equal (token->text, "am") || g_str_equal (token->text, "pm"))
    {
      t->pos++;
      return t->half_day = token->text[0];
    }
  if ((g_str_equal (token->text, "a") || g_str_equal (token->text, "p")) &&
      (t->pos++, take_mark (t, ".")) && take_word (t, "m"))
    {
      take_mark (t, ".");
      return t->half_day = token->text[0];
    }
  t->pos = start;
  return 0;
}

/* 10 to the power @digits, for a decimal fraction of that many digits. */
static double
power_of_ten (guint digits)
{
  double result = 1;

  while (digits-- > 0)
    result *= 10;
  return result;
}

static int
month_of (const char *word)
{
  static const char * const months[] = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
  };
  gsize length = strlen (word);

  if (length < 3)
    return 0;
  for (guint m = 0; m < G_N_ELEMENTS (months); m++)
    if (strncmp (months[m], word, length) == 0 || (m == 8 && g_str_equal (word, "sept")))
      return m + 1;
  return 0;
}

static gboolean
is_weekday (const char *word)
{
  static const char * const days[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
  };
  gsize length = strlen (word);

  for (guint d = 0; length >= 3 && d < G_N_ELEMENTS (days); d++)
    if (strncmp (days[d], word, length) == 0 || (length == 4 && strncmp (days[d], word, 3) == 0))
      return TRUE;
  return FALSE;
}

static gint64
full_year (gint64 year,
           guint  digits)
{
  if (digits == 2)
    return year < 70 ? 2000 + year : 1900 + year;
  return year;
}

/* The date: year, month, day. */
static gboolean
parse_date (Tokens *t,
            int    *year,
            int    *month,
            int    *day)
{
  Token *token = peek (t);
  gint64 a, b, c;

  if (token != NULL && token->type == TOKEN_WORD && is_weekday (token->text))
    {
      t->pos++;
      take_mark (t, ",");
      token = peek (t);
    }
  if (token == NULL)
    return FALSE;
  if (token->type == TOKEN_WORD)
    {
      /* "Mar 15, 2026", "March 15th 2026" */
      *month = month_of (token->text);
      t->pos++;
      take_mark (t, ".");
      if (*month == 0 || !take_number (t, 1, 2, &b))
        return FALSE;
      if (!take_word (t, "st") && !take_word (t, "nd") && !take_word (t, "rd"))
        take_word (t, "th");
      take_mark (t, ",");
      token = peek (t);
      if (!take_number (t, 2, 4, &c) || token->digits == 3)
        return FALSE;
      *day = b;
      *year = full_year (c, token->digits);
      return TRUE;
    }
  if (token->type != TOKEN_NUMBER)
    return FALSE;
  if (token->digits == 4)
    {
      /* 2026-03-15, 2026/03/15, 2026.03.15 */
      char sep;

      a = token->value;
      t->pos++;
      if (peek (t) == NULL || peek (t)->type != TOKEN_MARK)
        return FALSE;
      sep = peek (t)->text[0];
      if (!take_mark (t, "-/.") || !take_number (t, 1, 2, &b) ||
          !take_mark (t, (char[]){ sep, 0 }) || !take_number (t, 1, 2, &c))
        return FALSE;
      *year = a;
      *month = b;
      *day = c;
      return TRUE;
    }
  if (!take_number (t, 1, 2, &a))
    return FALSE;
  token = peek (t);
  if (token != NULL && token->type == TOKEN_WORD)
    {
      /* "15 Mar 2026", "15-Mar-2026" */
      *month = month_of (token->text);
      t->pos++;
      take_mark (t, ".");
      take_mark (t, "-");
      take_mark (t, ",");
      token = peek (t);
      if (*month == 0 || !take_number (t, 2, 4, &c) || token->digits == 3)
        return FALSE;
      *day = a;
      *year = full_year (c, token->digits);
      return TRUE;
    }
  {
    char sep = token != NULL && token->type == TOKEN_MARK ? token->text[0] : 0;

    if (sep == 0 || !take_mark (t, "/-.") || !take_number (t, 1, 2, &b) ||
        !take_mark (t, (char[]) { sep, 0 }))
      return FALSE;
    token = peek (t);
    if (!take_number (t, 2, 4, &c) || token->digits == 3)
      return FALSE;
    *year = full_year (c, token->digits);
    /* Dots are day first (15.03.2026); slashes and dashes month first, as
     * the US platforms write them, unless the first cannot be a month. */
    if (sep == '.' || a > 12)
      {
        *day = a;
        *month = b;
      }
    else
      {
        *month = a;
        *day = b;
      }
  }
  return TRUE;
}

/* The time of day, when there is one: "10:02", "10:02:33.120", "10:02 AM", "10 am". */
static gboolean
parse_time (Tokens *t,
            int    *hour,
            int    *minute,
            double *seconds)
{
  gint64 h, m = 0, s = 0, fraction;
  Token *token;

  take_word (t, "t");
  take_word (t, "at");
  if (!take_number (t, 1, 2, &h))
    return peek (t) == NULL || peek (t)->type != TOKEN_NUMBER;
  if (take_mark (t, ":"))
    {
      if (!take_number (t, 2, 2, &m))
        return FALSE;
      if (take_mark (t, ":") && !take_number (t, 2, 2, &s))
        return FALSE;
      token = peek (t);
      if (token != NULL && take_mark (t, ".,"))
        {
          token = peek (t);
          if (!take_number (t, 1, 9, &fraction))
            return FALSE;
          *seconds = s + fraction / power_of_ten (token->digits);
        }
      else
        *seconds = s;
    }
  else
    *seconds = 0;
  switch (take_half_day (t))
    {
    case 'a':
    case 'p':
      if (h < 1 || h > 12)
        return FALSE;
      h = h % 12 + (t->half_day == 'p' ? 12 : 0);
      break;
    default:
      break;
    }
  *hour = h;
  *minute = m;
  return TRUE;
}

/* A zone after the time: Z, UTC, GMT+2, +02:00, -0500, EST… */
static GTimeZone *
parse_zone (Tokens *t)
{
  static const struct { const char *name; const char *offset; } names[] = {
    { "z", "+00:00" }, { "utc", "+00:00" }, { "gmt", "+00:00" },
    { "est", "-05:00" }, { "edt", "-04:00" }, { "cst", "-06:00" }, { "cdt", "-05:00" },
    { "mst", "-07:00" }, { "mdt", "-06:00" }, { "pst", "-08:00" }, { "pdt", "-07:00" },
    { "cet", "+01:00" }, { "cest", "+02:00" }, { "bst", "+01:00" },
  };
  Token *token = peek (t);
  const char *base = NULL;
  gint64 hours, minutes = 0;
  char sign;

  if (token == NULL)
    return NULL;
  if (token->type == TOKEN_WORD)
    {
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (g_str_equal (token->text, names[i].name))
          base = names[i].offset;
      if (base == NULL)
        return NULL;
      t->pos++;
      token = peek (t);
      if (token == NULL || token->type != TOKEN_MARK || strchr ("+-", token->text[0]) == NULL ||
          !g_str_equal (base, "+00:00"))
        return g_time_zone_new_identifier (base);
    }
  if (token->type != TOKEN_MARK || strchr ("+-", token->text[0]) == NULL || token->text[1] != '\0')
    return NULL;
  sign = token->text[0];
  t->pos++;
  token = peek (t);
  if (token == NULL || token->type != TOKEN_NUMBER)
    return NULL;
  if (token->digits == 4)
    {
      hours = token->value / 100;
      minutes = token->value % 100;
      t->pos++;
    }
  else if (take_number (t, 1, 2, &hours))
    {
      if (take_mark (t, ":") && !take_number (t, 2, 2, &minutes))
        return NULL;
    }
  else
    return NULL;
  if (hours > 14 || minutes > 59)
    return NULL;
  {
    g_autofree char *offset = g_strdup_printf ("%c%02d:%02d", sign, (int) hours, (int) minutes);

    return g_time_zone_new_identifier (offset);
  }
}

static gboolean
refuse (const char  *text,
        GError     **error)
{
  g_autofree char *shown = g_utf8_make_valid (text, -1);

  g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_PARSE,
               _("“%s” is not a date and time this import can read (such as 2026-03-15 10:02, "
                 "03/15/2026 10:02 AM or Mar 15, 2026 10:02)."), shown);
  return FALSE;
}

/**
 * cp_event_time_parse:
 * @zone: (nullable): the zone of a time that names none; %NULL: local time
 * @out_unix_seconds: (out): the time
 *
 * Returns: %FALSE with @error (%CP_CORE_ERROR_PARSE) saying what the text
 *   was when it is not a date this reads, or names a day that does not exist
 */
gboolean
cp_event_time_parse (const char  *text,
                     GTimeZone   *zone,
                     gint64      *out_unix_seconds,
                     GError     **error)
{
  g_autoptr(GArray) tokens = NULL;
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GTimeZone) named = NULL;
  g_autoptr(GDateTime) when = NULL;
  Tokens t = { NULL, 0, 0 };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  double seconds = 0;

  g_return_val_if_fail (text != NULL && out_unix_seconds != NULL, FALSE);

  tokens = tokenize (text);
  t.tokens = tokens;
  if (tokens->len == 1 && g_array_index (tokens, Token, 0).type == TOKEN_NUMBER)
    {
      Token *only = &g_array_index (tokens, Token, 0);

      /* Unix seconds, or milliseconds, since 2001 (a bare year or a count is no time). */
      if (only->digits == 10 || only->digits == 13)
        {
          *out_unix_seconds = only->digits == 13 ? only->value / 1000 : only->value;
          return TRUE;
        }
      return refuse (text, error);
    }
  if (!parse_date (&t, &year, &month, &day) || !parse_time (&t, &hour, &minute, &seconds))
    return refuse (text, error);
  named = parse_zone (&t);
  if (t.pos != tokens->len)
    return refuse (text, error);
  if (year < 1900 || year > 9999 || !g_date_valid_dmy (day, month, year) || hour > 23 ||
      minute > 59 || seconds >= 61)
    return refuse (text, error);
  if (zone == NULL)
    zone = local = g_time_zone_new_local ();
  when = g_date_time_new (named != NULL ? named : zone, year, month, day, hour, minute,
                          MIN (seconds, 59.999));
  if (when == NULL)
    return refuse (text, error);
  *out_unix_seconds = g_date_time_to_unix (when);
  return TRUE;
}

/* "65", "65.5" (minutes), "1:05:00" (h:mm:ss) or "1:05" (h:mm), the whole text. */
static gboolean
duration_as_number (Tokens *t,
                    double *out_seconds)
{
  gint64 a, b, c = 0;

  if (!take_number (t, 1, 7, &a))
    return FALSE;
  if (take_mark (t, ".,"))
    {
      Token *token = peek (t);

      if (token == NULL || !take_number (t, 1, 6, &b))
        return FALSE;
      *out_seconds = (a + b / power_of_ten (token->digits)) * 60;
    }
  else if (take_mark (t, ":"))
    {
      if (!take_number (t, 2, 2, &b) || (take_mark (t, ":") && !take_number (t, 2, 2, &c)))
        return FALSE;
      *out_seconds = a * 3600 + b * 60 + c;
    }
  else
    *out_seconds = a * 60;
  return t->pos == t->tokens->len;
}

/* "1 hour 5 minutes", "1h 5m", "45 min 30 sec". */
static gboolean
duration_in_words (Tokens *t,
                   double *out_seconds)
{
  *out_seconds = 0;
  while (t->pos < t->tokens->len)
    {
      Token *unit;
      gint64 a;

      if (!take_number (t, 1, 7, &a))
        return FALSE;
      unit = peek (t);
      if (unit == NULL || unit->type != TOKEN_WORD)
        return FALSE;
      t->pos++;
      if (g_str_has_prefix (unit->text, "h"))
        *out_seconds += a * 3600;
      else if (g_str_has_prefix (unit->text, "m"))
        *out_seconds += a * 60;
      else if (g_str_has_prefix (unit->text, "s"))
        *out_seconds += a;
      else
        return FALSE;
      take_mark (t, ",");
    }
  return TRUE;
}

/**
 * cp_event_duration_parse:
 * @text: "65", "65.5", "1:05:00" (h:mm:ss), "1 hour 5 minutes", "45 min"
 * @out_minutes: (out): whole minutes, rounded; 0 for an empty text
 */
gboolean
cp_event_duration_parse (const char  *text,
                         int         *out_minutes,
                         GError     **error)
{
  g_autoptr(GArray) tokens = NULL;
  Tokens t = { NULL, 0, 0 };
  double seconds = 0;

  g_return_val_if_fail (text != NULL && out_minutes != NULL, FALSE);

  *out_minutes = 0;
  tokens = tokenize (text);
  t.tokens = tokens;
  if (tokens->len == 0)
    return TRUE;
  if (!duration_as_number (&t, &seconds))
    {
      t.pos = 0;
      if (!duration_in_words (&t, &seconds) || seconds / 60 > G_MAXINT)
        {
          g_autofree char *shown = g_utf8_make_valid (text, -1);

          g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_PARSE,
                       _("“%s” is not a duration this import can read (such as 45, 1:05:00 or "
                         "1 hour 5 minutes)."), shown);
          return FALSE;
        }
    }
  *out_minutes = (int) (seconds / 60 + 0.5);
  return TRUE;
}
