/* cp-task-time.h — when a task is due, in words, and the times “Snooze” offers
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The choices of a task's Snooze menu. */
typedef enum
{
  CP_SNOOZE_HOUR,        /* "hour": one hour from now */
  CP_SNOOZE_TOMORROW,    /* "tomorrow": 09:00 on the next local day */
  CP_SNOOZE_NEXT_WEEK,   /* "week": 09:00 on the next local Monday */
} CpSnooze;

/* The morning hour “tomorrow morning” and “next week” mean. */
#define CP_SNOOZE_MORNING_HOUR 9

gboolean  cp_snooze_from_string   (const char *text,
                                   CpSnooze   *out_snooze);
gint64    cp_snooze_until         (CpSnooze    snooze,
                                   gint64      now,
                                   GTimeZone  *tz);

gint64    cp_day_end              (gint64      now,
                                   GTimeZone  *tz);

char     *cp_format_clock_time    (gint64      when,
                                   GTimeZone  *tz,
                                   gboolean    clock_12h);
char     *cp_format_moment_on_clock (gint64      when,
                                     GTimeZone  *tz,
                                     gboolean    clock_12h);
char     *cp_task_format_due      (gint64      due,
                                   gint64      now,
                                   GTimeZone  *tz,
                                   gboolean    clock_12h,
                                   gboolean   *out_overdue);
gboolean  cp_desktop_clock_is_12h (void);
gboolean  cp_parse_time_of_day    (const char *text,
                                   int        *out_minute);
gint64    cp_local_date_time      (int         year,
                                   int         month,
                                   int         day,
                                   int         minute,
                                   GTimeZone  *tz);

gboolean  cp_task_parse_due       (const char *text,
                                   GTimeZone  *tz,
                                   gint64     *out_time,
                                   GError    **error);

G_END_DECLS
