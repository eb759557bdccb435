/* cp-task-time.c — when a task is due, in words, and the times “Snooze” offers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure functions of a time, “now” and a time zone, so My Work, the lead
 * window and their tests agree on what “Overdue by 2 days” or “tomorrow
 * morning” mean. */
#define G_LOG_DOMAIN "cp-task-time"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "cp-core-error.h"
#include "cp-datetime.h"
#include "cp-task-time.h"

static GDateTime *
local_time (gint64     when,
            GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (when);
  g_autoptr(GTimeZone) local = NULL;

  if (utc == NULL)
    return NULL;
  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  return g_date_time_to_timezone (utc, tz);
}

/* Midnight at the start of @time's day, @days later, in its zone. */
static GDateTime *
day_start (GDateTime *time,
           int        days)
{
  g_autoptr(GDateTime) midnight = NULL;
  int y, m, d;

  g_date_time_get_ymd (time, &y, &m, &d);
  midnight = g_date_time_new (g_date_time_get_timezone (time), y, m, d, 0, 0, 0);
  return g_date_time_add_days (midnight, days);
}

gboolean
cp_snooze_from_string (const char *text,
                       CpSnooze   *out_snooze)
{
  static const char * const names[] = { "hour", "tomorrow", "week" };

  g_return_val_if_fail (out_snooze != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (text, names[i]))
      {
        *out_snooze = (CpSnooze) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * cp_snooze_until:
 * @tz: (nullable): the zone “tomorrow” is in; %NULL: the local one
 *
 * Returns: the Unix time a task snoozed at @now comes back: an hour
 *   later, at %CP_SNOOZE_MORNING_HOUR on the next day, or at that hour
 *   on the next Monday (a week later when @now is a Monday)
 */
gint64
cp_snooze_until (CpSnooze   snooze,
                 gint64     now,
                 GTimeZone *tz)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) morning = NULL;
  int days = 1;
  int y, m, d;

  if (snooze == CP_SNOOZE_HOUR)
    return now + 3600;

  local = local_time (now, tz);
  g_return_val_if_fail (local != NULL, now + 3600);
  if (snooze == CP_SNOOZE_NEXT_WEEK)
    days = 8 - g_date_time_get_day_of_week (local);   /* Monday is 1 */
  day = day_start (local, days);
  /* The hour on that day's clock: adding hours to midnight would give
   * 10:00 or 08:00 on the day the clocks change. */
  g_date_time_get_ymd (day, &y, &m, &d);
  morning = g_date_time_new (g_date_time_get_timezone (day), y, m, d, CP_SNOOZE_MORNING_HOUR, 0, 0);
  g_return_val_if_fail (morning != NULL, now + 3600);

  return g_date_time_to_unix (morning);
}

/**
 * cp_day_end:
 * @tz: (nullable): %NULL: the local zone
 *
 * Returns: the first second of the day after the one @now falls on: what
 *   is due before it is due “today”
 */
gint64
cp_day_end (gint64     now,
            GTimeZone *tz)
{
  g_autoptr(GDateTime) local = local_time (now, tz);
  g_autoptr(GDateTime) next = NULL;

  g_return_val_if_fail (local != NULL, now + 86400);
  next = day_start (local, 1);
  return g_date_time_to_unix (next);
}

/**
 * cp_format_clock_time:
 * @clock_12h: “3:30 PM” rather than “15:30”
 *
 * Returns: (transfer full): the time of day of @when
 */
char *
cp_format_clock_time (gint64     when,
                      GTimeZone *tz,
                      gboolean   clock_12h)
{
  g_autoptr(GDateTime) local = local_time (when, tz);
  char *text;

  if (local == NULL)
    return g_strdup ("");
  /* Translators: strftime formats of a time of day, 12-hour then 24-hour */
  text = g_date_time_format (local, clock_12h ? _("%l:%M %p") : _("%H:%M"));
  return g_strstrip (text);
}

/**
 * cp_format_moment_on_clock:
 * @tz: (nullable): %NULL: the local zone
 * @clock_12h: “2:00 PM” rather than “14:00”
 *
 * Returns: (transfer full): a day and a time, as in “Mon 7 Dec, 14:00”
 *   (cp_format_moment()) or “Mon 7 Dec, 2:00 PM”
 */
char *
cp_format_moment_on_clock (gint64     when,
                           GTimeZone *tz,
                           gboolean   clock_12h)
{
  g_autoptr(GDateTime) local = local_time (when, tz);
  g_autofree char *day = NULL;
  g_autofree char *clock = NULL;

  if (local == NULL)
    return g_strdup ("");
  /* Translators: strftime, the day of a moment, as in “Mon 7 Dec” */
  day = g_date_time_format (local, _("%a %-d %b"));
  clock = cp_format_clock_time (when, tz, clock_12h);
  /* Translators: a day and a time of day, as in “Mon 7 Dec, 14:00” */
  return g_strdup_printf (_("%s, %s"), day, clock);
}

static char *
format_overdue (gint64 late)
{
  if (late < 3600)
    {
      int minutes = MAX (1, (int) (late / 60));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Overdue by %d minute",
                                           "Overdue by %d minutes", minutes), minutes);
    }
  if (late < 86400)
    {
      int hours = (int) (late / 3600);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Overdue by %d hour",
                                           "Overdue by %d hours", hours), hours);
    }
  {
    int days = (int) (late / 86400);
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Overdue by %d day",
                                         "Overdue by %d days", days), days);
  }
}

static char *
format_in (gint64 ahead)
{
  if (ahead < 60)
    return g_strdup (_("now"));
  if (ahead < 3600)
    {
      int minutes = (int) (ahead / 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d minute", "in %d minutes",
                                           minutes), minutes);
    }
  {
    int hours = (int) (ahead / 3600);
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d hour", "in %d hours", hours),
                            hours);
  }
}

/**
 * cp_task_format_due:
 * @out_overdue: (out) (optional): whether @due is before @now
 *
 * When a task is due, as a row says it: “Overdue by 2 days”, “15:30 · in
 * 2 hours” today, “Tomorrow, 09:00”, the weekday within a week, else the
 * date.
 *
 * Returns: (transfer full): the text
 */
char *
cp_task_format_due (gint64     due,
                    gint64     now,
                    GTimeZone *tz,
                    gboolean   clock_12h,
                    gboolean  *out_overdue)
{
  g_autoptr(GDateTime) local_now = local_time (now, tz);
  g_autoptr(GDateTime) local_due = local_time (due, tz);
  g_autoptr(GDateTime) tomorrow = NULL;
  g_autoptr(GDateTime) day_after = NULL;
  g_autoptr(GDateTime) week = NULL;
  g_autofree char *clock = NULL;
  g_autofree char *in = NULL;

  if (out_overdue != NULL)
    *out_overdue = due < now;
  if (due < now)
    return format_overdue (now - due);
  if (local_now == NULL || local_due == NULL)
    return g_strdup ("");

  clock = cp_format_clock_time (due, tz, clock_12h);
  tomorrow = day_start (local_now, 1);
  day_after = day_start (local_now, 2);
  week = day_start (local_now, 7);
  if (g_date_time_compare (local_due, tomorrow) < 0)
    {
      in = format_in (due - now);
      /* Translators: a time today and how far off it is, e.g. “15:30 · in 2 hours” */
      return g_strdup_printf (_("%s · %s"), clock, in);
    }
  if (g_date_time_compare (local_due, day_after) < 0)
    /* Translators: e.g. “Tomorrow, 09:00” */
    return g_strdup_printf (_("Tomorrow, %s"), clock);
  if (g_date_time_compare (local_due, week) < 0)
    {
      /* Translators: strftime, a weekday in the coming week, e.g. “Monday” */
      g_autofree char *weekday = g_date_time_format (local_due, _("%A"));
      /* Translators: a weekday and a time, e.g. “Monday, 09:00” */
      return g_strdup_printf (_("%s, %s"), weekday, clock);
    }
  {
    /* Translators: strftime, a date, e.g. “7 Dec 2026” (keep the four-digit year) */
    g_autofree char *date = g_date_time_format (local_due, _("%-d %b %Y"));
    /* Translators: a date and a time, e.g. “7 Dec 2026, 09:00” */
    return g_strdup_printf (_("%s, %s"), date, clock);
  }
}

/**
 * cp_desktop_clock_is_12h:
 *
 * Returns: whether the desktop shows a 12-hour clock (GNOME's
 *   `clock-format` setting); %FALSE where that setting is not installed
 */
gboolean
cp_desktop_clock_is_12h (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *format = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "org.gnome.desktop.interface", TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "clock-format"))
    return FALSE;
  settings = g_settings_new ("org.gnome.desktop.interface");
  format = g_settings_get_string (settings, "clock-format");
  return g_strcmp0 (format, "12h") == 0;
}

/**
 * cp_parse_time_of_day:
 * @text: “9:30”, “09:30”, “21:05”, “9:30 PM”, “9 am”
 * @out_minute: (out): minutes after midnight
 *
 * Returns: %TRUE when @text is a time of day on a 24-hour or a 12-hour
 *   clock
 */
gboolean
cp_parse_time_of_day (const char *text,
                      int        *out_minute)
{
  g_autofree char *clean = NULL;
  g_auto(GStrv) parts = NULL;
  guint64 hours = 0, minutes = 0;
  int pm = -1;   /* -1: a 24-hour time; 0: am; 1: pm */
  gsize len;

  g_return_val_if_fail (out_minute != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  clean = g_strstrip (g_ascii_strdown (text, -1));
  len = strlen (clean);
  if (len > 2 && (g_str_has_suffix (clean, "am") || g_str_has_suffix (clean, "pm")))
    {
      pm = clean[len - 2] == 'p';
      clean[len - 2] = '\0';
      g_strchomp (clean);
    }
  parts = g_strsplit (clean, ":", -1);
  if (parts[0] == NULL || g_strv_length (parts) > 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, 24, &hours, NULL) ||
      (parts[1] != NULL && (strlen (parts[1]) != 2 ||
                            !g_ascii_string_to_unsigned (parts[1], 10, 0, 59, &minutes, NULL))) ||
      (parts[1] == NULL && pm < 0))
    return FALSE;
  if (pm >= 0)
    {
      if (hours < 1 || hours > 12)
        return FALSE;
      hours = hours % 12 + (pm ? 12 : 0);
    }
  if (hours == 24 && minutes > 0)
    return FALSE;
  *out_minute = (int) (hours * 60 + minutes);
  return TRUE;
}

/**
 * cp_local_date_time:
 * @month: 1 to 12
 * @minute: minutes after midnight (24 × 60: the end of the day)
 * @tz: (nullable): %NULL: the local zone
 *
 * Returns: the Unix time of that wall-clock time, or 0 for a date that
 *   does not exist
 */
gint64
cp_local_date_time (int        year,
                    int        month,
                    int        day,
                    int        minute,
                    GTimeZone *tz)
{
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) midnight = NULL;

  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  /* “24:00” (cp_parse_time_of_day() reads it) is the end of the day:
   * the next one's midnight. */
  if (minute == 24 * 60)
    {
      midnight = g_date_time_new (tz, year, month, day, 0, 0, 0);
      time = midnight != NULL ? g_date_time_add_days (midnight, 1) : NULL;
    }
  else
    time = g_date_time_new (tz, year, month, day, minute / 60, minute % 60, 0);
  return time != NULL ? g_date_time_to_unix (time) : 0;
}

/**
 * cp_task_parse_due:
 * @text: “2026-12-07” (09:00 that day), “2026-12-07T14:30:00” (that time
 *   on the clock), or a date and time with `Z` or an offset
 * @tz: (nullable): the zone a time without `Z` or an offset is in; %NULL:
 *   the local one
 * @out_time: (out): Unix seconds
 * @error: a #GError in %CP_CORE_ERROR
 *
 * A due time as a person writes it: on their clock, as My Work shows it,
 * unless the text names its zone. A date alone is due that morning, at
 * %CP_SNOOZE_MORNING_HOUR, as the Add Task dialog proposes.
 *
 * Returns: whether @text was read
 */
gboolean
cp_task_parse_due (const char  *text,
                   GTimeZone   *tz,
                   gint64      *out_time,
                   GError     **error)
{
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) day = NULL;
  g_autofree char *with_seconds = NULL;
  gint64 parsed;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out_time != NULL, FALSE);

  /* The general reader first: it checks the text and says what is wrong. */
  if (!cp_datetime_parse_iso8601 (text, &parsed, error))
    return FALSE;
  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  if (strlen (text) == strlen ("YYYY-MM-DD"))
    {
      /* A date alone: its midnight in UTC names the day. */
      day = g_date_time_new_from_unix_utc (parsed);
      *out_time = cp_local_date_time (g_date_time_get_year (day), g_date_time_get_month (day),
                                      g_date_time_get_day_of_month (day),
                                      CP_SNOOZE_MORNING_HOUR * 60, tz);
      return TRUE;
    }
  /* With Z or an offset it is read as written; without, on @tz's clock. */
  with_seconds = cp_datetime_with_seconds (text);
  time = g_date_time_new_from_iso8601 (with_seconds != NULL ? with_seconds : text, tz);
  *out_time = time != NULL ? g_date_time_to_unix (time) : parsed;
  return TRUE;
}
