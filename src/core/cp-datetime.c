/* cp-datetime.c — the ISO 8601 form of the timestamps leads carry
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-datetime"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-datetime.h"

#define SECONDS_PER_DAY G_GINT64_CONSTANT (86400)

/* Proleptic Gregorian calendar arithmetic on day counts since 1970-01-01,
 * done by hand so that formatting a million timestamps allocates nothing
 * but the result. Eras are 400-year cycles of 146097 days. */
static void
civil_from_days (gint64  days,
                 gint64 *out_year,
                 guint  *out_month,
                 guint  *out_day)
{
  gint64 z = days + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  gint64 d = doy - (153 * mp + 2) / 5 + 1;
  gint64 m = mp < 10 ? mp + 3 : mp - 9;

  *out_year = yoe + era * 400 + (m <= 2 ? 1 : 0);
  *out_month = (guint) m;
  *out_day = (guint) d;
}

static gint64
days_from_civil (gint64 year,
                 guint  month,
                 guint  day)
{
  gint64 y = year - (month <= 2 ? 1 : 0);
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  gint64 yoe = y - era * 400;
  gint64 mp = month > 2 ? month - 3 : month + 9;
  gint64 doy = (153 * mp + 2) / 5 + day - 1;
  gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return era * 146097 + doe - 719468;
}

/**
 * cp_datetime_format_iso8601:
 * @unix_seconds: seconds since the Unix epoch, UTC
 *
 * Returns: (transfer full) (nullable): `YYYY-MM-DDTHH:MM:SSZ`, or %NULL
 *   when @unix_seconds is 0 (which means "not set" throughout Carepath)
 */
char *
cp_datetime_format_iso8601 (gint64 unix_seconds)
{
  gint64 days, secs, year;
  guint month, day;

  if (unix_seconds == 0)
    return NULL;

  days = unix_seconds / SECONDS_PER_DAY;
  secs = unix_seconds % SECONDS_PER_DAY;
  if (secs < 0)
    {
      secs += SECONDS_PER_DAY;
      days -= 1;
    }

  civil_from_days (days, &year, &month, &day);

  return g_strdup_printf ("%04" G_GINT64_FORMAT "-%02u-%02uT%02u:%02u:%02uZ",
                          year, month, day,
                          (guint) (secs / 3600), (guint) (secs / 60 % 60), (guint) (secs % 60));
}

static gboolean
parse_plain_date (const char *text,
                  gint64     *out_unix_seconds)
{
  guint64 year, month, day;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;

  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  year = g_ascii_strtoull (text, NULL, 10);
  month = g_ascii_strtoull (text + 5, NULL, 10);
  day = g_ascii_strtoull (text + 8, NULL, 10);

  if (year < 1 || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;

  *out_unix_seconds = days_from_civil ((gint64) year, (guint) month, (guint) day) * SECONDS_PER_DAY;
  return TRUE;
}

/**
 * cp_datetime_with_seconds:
 * @text: a date and time as a person writes it
 *
 * GLib reads a time only with its seconds: "2026-03-31T14:30" (with or
 * without a zone after it) is "2026-03-31T14:30:00".
 *
 * Returns: (transfer full) (nullable): @text with ":00" seconds, or %NULL
 *   when @text is not a date and a time of hours and minutes
 */
char *
cp_datetime_with_seconds (const char *text)
{
  static const char shape[] = "dddd-dd-ddTdd:dd";

  g_return_val_if_fail (text != NULL, NULL);

  for (guint i = 0; i < sizeof shape - 1; i++)
    {
      char c = text[i];

      if (shape[i] == 'd' ? !g_ascii_isdigit (c)
                          : shape[i] == 'T' ? (c != 'T' && c != 't') : c != shape[i])
        return NULL;
    }
  if (text[16] != '\0' && text[16] != 'Z' && text[16] != 'z' && text[16] != '+' &&
      text[16] != '-')
    return NULL;
  return g_strdup_printf ("%.16s:00%s", text, text + 16);
}

/**
 * cp_datetime_parse_iso8601:
 * @text: `YYYY-MM-DD`, or an ISO 8601 date and time with `Z` or an offset
 *   (a time without either is taken as UTC)
 * @out_unix_seconds: (out): where to store the result
 * @error: a #GError in %CP_CORE_ERROR
 */
gboolean
cp_datetime_parse_iso8601 (const char  *text,
                           gint64      *out_unix_seconds,
                           GError     **error)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) utc = NULL;
  g_autofree char *with_seconds = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out_unix_seconds != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (parse_plain_date (text, out_unix_seconds))
    return TRUE;

  utc = g_time_zone_new_utc ();
  with_seconds = cp_datetime_with_seconds (text);
  if (g_utf8_validate (text, -1, NULL))
    dt = g_date_time_new_from_iso8601 (with_seconds != NULL ? with_seconds : text, utc);

  if (dt == NULL)
    {
      g_autofree char *shown = g_utf8_make_valid (text, -1);

      g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_PARSE,
                   _("“%s” is not a date. Use a date like 2026-03-31 or a date and time like "
                     "2026-03-31T14:30:00Z."),
                   shown);
      return FALSE;
    }

  *out_unix_seconds = g_date_time_to_unix (dt);
  return TRUE;
}
