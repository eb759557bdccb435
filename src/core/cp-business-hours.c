/* cp-business-hours.c — response SLAs counted in a location's business hours
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-business-hours"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-business-hours.h"

/* Long enough for any SLA even around a year of holidays. */
#define MAX_DAYS 800

/* Reading a zone parses its tzdata file: every SLA computed on an import
 * would pay for it. Zones are kept for the life of the process (a
 * playbook names a handful). */
static GTimeZone *
hours_timezone (const CpBusinessHours *hours)
{
  static GMutex lock;
  static GHashTable *zones;   /* identifier → GTimeZone */
  GTimeZone *tz;

  g_mutex_lock (&lock);
  if (zones == NULL)
    zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) g_time_zone_unref);
  tz = g_hash_table_lookup (zones, hours->timezone);
  if (tz == NULL)
    {
      tz = g_time_zone_new_identifier (hours->timezone);
      if (tz == NULL)
        tz = g_time_zone_new_utc ();
      g_hash_table_insert (zones, g_strdup (hours->timezone), tz);
    }
  g_time_zone_ref (tz);
  g_mutex_unlock (&lock);
  return tz;
}

static gboolean
is_business_day (const CpBusinessHours *hours,
                 int                    year,
                 int                    month,
                 int                    day,
                 int                    weekday)
{
  GDate date;
  guint32 julian;

  if ((hours->days & (1u << (weekday - 1))) == 0)
    return FALSE;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  julian = g_date_get_julian (&date);
  for (guint i = 0; i < hours->holidays->len; i++)
    if (g_array_index (hours->holidays, guint32, i) == julian)
      return FALSE;
  return TRUE;
}

/* The opening and closing instants of a local calendar day; wall-clock
 * times are resolved in the zone, so a DST change is taken into account. */
static void
day_window (GTimeZone             *tz,
            const CpBusinessHours *hours,
            int                    year,
            int                    month,
            int                    day,
            gint64                *out_open,
            gint64                *out_close)
{
  g_autoptr(GDateTime) open = g_date_time_new (tz, year, month, day, hours->open_minute / 60,
                                               hours->open_minute % 60, 0);
  g_autoptr(GDateTime) close = g_date_time_new (tz, year, month, day, hours->close_minute / 60,
                                                hours->close_minute % 60, 0);

  *out_open = g_date_time_to_unix (open);
  *out_close = g_date_time_to_unix (close);
}

gboolean
cp_business_hours_is_open (const CpBusinessHours *hours,
                           gint64                 when)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  int y, m, d;
  gint64 open, close;

  g_return_val_if_fail (hours != NULL, FALSE);

  tz = hours_timezone (hours);
  utc = g_date_time_new_from_unix_utc (when);
  local = g_date_time_to_timezone (utc, tz);
  g_date_time_get_ymd (local, &y, &m, &d);
  if (!is_business_day (hours, y, m, d, g_date_time_get_day_of_week (local)))
    return FALSE;
  day_window (tz, hours, y, m, d, &open, &close);
  return when >= open && when < close;
}

/**
 * cp_business_hours_add:
 * @hours: a location's business hours
 * @start: Unix seconds
 * @seconds: business time to add
 *
 * Returns: the instant when @seconds of business time after @start have
 *   passed (weekends, holidays and nights skipped), or 0 if that is more
 *   than two years away (no business days configured)
 */
gint64
cp_business_hours_add (const CpBusinessHours *hours,
                       gint64                 start,
                       gint64                 seconds)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) cursor = NULL;
  gint64 remaining = seconds;

  g_return_val_if_fail (hours != NULL, 0);

  tz = hours_timezone (hours);
  utc = g_date_time_new_from_unix_utc (start);
  cursor = g_date_time_to_timezone (utc, tz);

  for (guint n = 0; n < MAX_DAYS; n++)
    {
      int y, m, d;
      GDateTime *next;

      g_date_time_get_ymd (cursor, &y, &m, &d);
      if (is_business_day (hours, y, m, d, g_date_time_get_day_of_week (cursor)))
        {
          gint64 open, close, from;

          day_window (tz, hours, y, m, d, &open, &close);
          from = MAX (open, start);
          if (from < close)
            {
              if (remaining <= close - from)
                return from + remaining;
              remaining -= close - from;
            }
        }
      /* Noon is never skipped by a DST change. */
      {
        g_autoptr(GDateTime) noon = g_date_time_new (tz, y, m, d, 12, 0, 0);

        next = g_date_time_add_days (noon, 1);
      }
      g_date_time_unref (cursor);
      cursor = next;
    }

  return 0;
}

/**
 * cp_playbook_sla_due_at:
 * @lead: the lead (its stage and location are read)
 * @since: when the clock started (usually when the lead entered the stage)
 *
 * Returns: when the first response is due, or 0 when the stage has no SLA
 */
gint64
cp_playbook_sla_due_at (CpPlaybook         *playbook,
                        const CpLeadRecord *lead,
                        gint64              since)
{
  const CpStage *stage;
  const CpBusinessHours *hours;

  g_return_val_if_fail (playbook != NULL && lead != NULL, 0);

  stage = cp_playbook_get_stage (playbook, lead->text[CP_LEAD_FIELD_STAGE]);
  if (stage == NULL || stage->sla_hours == 0)
    return 0;
  hours = cp_playbook_get_business_hours (playbook, lead->text[CP_LEAD_FIELD_LOCATION]);
  if (hours == NULL)
    return since + (gint64) stage->sla_hours * 3600;
  return cp_business_hours_add (hours, since, (gint64) stage->sla_hours * 3600);
}

CpSlaState
cp_sla_state (gint64 due_at,
              gint64 first_response_at,
              gint64 now,
              guint  escalate_after_hours)
{
  if (due_at == 0)
    return CP_SLA_NONE;
  if (first_response_at != 0)
    return first_response_at <= due_at ? CP_SLA_MET : CP_SLA_BREACHED;
  if (now < due_at)
    return due_at - now <= 3600 ? CP_SLA_DUE_SOON : CP_SLA_ON_TRACK;
  if (escalate_after_hours > 0 && now - due_at >= (gint64) escalate_after_hours * 3600)
    return CP_SLA_ESCALATED;
  return CP_SLA_BREACHED;
}

const char *
cp_sla_state_to_string (CpSlaState state)
{
  static const char * const names[] = {
    "none", "met", "on_track", "due_soon", "breached", "escalated",
  };

  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (names), NULL);
  return names[state];
}
