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

/* @weekday: 1 (Monday) … 7 (Sunday) */
static gboolean
is_business_julian (const CpBusinessHours *hours,
                    guint32                julian,
                    int                    weekday)
{
  if ((hours->days & (1u << (weekday - 1))) == 0)
    return FALSE;
  for (guint i = 0; i < hours->holidays->len; i++)
    if (g_array_index (hours->holidays, guint32, i) == julian)
      return FALSE;
  return TRUE;
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
/* Days since 1970-01-01 and GDate's Julian days, and that day's weekday. */
#define UNIX_EPOCH_JULIAN 719163
#define DAY               G_GINT64_CONSTANT (86400)
#define LOCAL_CACHE_MAX   65536

static gint64
floor_div (gint64 a,
           gint64 b)
{
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* The instant a wall-clock time of the zone happens (as GDateTime reads
 * it: a time a DST change skips is moved on). Every SLA of an import or a
 * rescore asks for the same few days' opening and closing times, and
 * resolving one costs a walk over the zone's transitions: they are kept,
 * per zone, for the life of the process. */
static gint64
local_to_utc (GTimeZone  *tz,
              const char *tz_id,
              gint64      local)
{
  static GMutex lock;
  static GHashTable *zones;   /* identifier → (local seconds → UTC seconds) */
  GHashTable *times;
  gint64 *found;
  gint64 *key;
  gint64 *value;
  gint64 wall = local;
  int interval;

  g_mutex_lock (&lock);
  if (zones == NULL)
    zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) g_hash_table_unref);
  times = g_hash_table_lookup (zones, tz_id);
  if (times == NULL)
    {
      times = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
      g_hash_table_insert (zones, g_strdup (tz_id), times);
    }
  found = g_hash_table_lookup (times, &local);
  if (found != NULL)
    {
      gint64 utc = *found;

      g_mutex_unlock (&lock);
      return utc;
    }
  interval = g_time_zone_adjust_time (tz, G_TIME_TYPE_STANDARD, &wall);
  if (g_hash_table_size (times) >= LOCAL_CACHE_MAX)
    g_hash_table_remove_all (times);
  key = g_new (gint64, 1);
  value = g_new (gint64, 1);
  *key = local;
  *value = wall - g_time_zone_get_offset (tz, interval);
  g_hash_table_insert (times, key, value);
  g_mutex_unlock (&lock);
  return *value;
}

gint64
cp_business_hours_add (const CpBusinessHours *hours,
                       gint64                 start,
                       gint64                 seconds)
{
  g_autoptr(GTimeZone) tz = NULL;
  const char *tz_id;
  gint64 remaining = seconds;
  gint64 day;

  g_return_val_if_fail (hours != NULL, 0);

  tz = hours_timezone (hours);
  tz_id = hours->timezone != NULL ? hours->timezone : "UTC";
  /* The local calendar day @start falls on. */
  day = floor_div (start +
                   g_time_zone_get_offset (tz, g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL,
                                                                          start)),
                   DAY);

  for (guint n = 0; n < MAX_DAYS; n++, day++)
    {
      guint32 julian = (guint32) (UNIX_EPOCH_JULIAN + day);
      /* 1970-01-01 was a Thursday; GDate counts Monday as 1. */
      int weekday = (int) (((day % 7) + 7 + 3) % 7) + 1;

      if (is_business_julian (hours, julian, weekday))
        {
          gint64 open = local_to_utc (tz, tz_id, day * DAY + hours->open_minute * 60);
          gint64 close = local_to_utc (tz, tz_id, day * DAY + hours->close_minute * 60);
          gint64 from = MAX (open, start);

          if (from < close)
            {
              if (remaining <= close - from)
                return from + remaining;
              remaining -= close - from;
            }
        }
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

  g_return_val_if_fail (playbook != NULL && lead != NULL, 0);

  stage = cp_playbook_get_stage (playbook, lead->text[CP_LEAD_FIELD_STAGE]);
  if (stage == NULL || stage->sla_hours == 0)
    return 0;
  return cp_playbook_business_due_at (playbook, lead->text[CP_LEAD_FIELD_LOCATION], since,
                                      stage->sla_hours);
}

/**
 * cp_playbook_business_due_at:
 * @location: (nullable): the lead's location, whose business hours count
 * @since: when the time starts, Unix seconds
 * @business_hours: how long, in business hours
 *
 * Returns: when @business_hours of the location's business time after
 *   @since have passed (plain hours when the playbook has no business
 *   hours for it), or 0 if that is more than two years away (its business
 *   hours never open)
 */
gint64
cp_playbook_business_due_at (CpPlaybook *playbook,
                             const char *location,
                             gint64      since,
                             guint       business_hours)
{
  const CpBusinessHours *hours;

  g_return_val_if_fail (playbook != NULL, 0);

  hours = cp_playbook_get_business_hours (playbook, location);
  if (hours == NULL)
    return since + (gint64) business_hours * 3600;
  return cp_business_hours_add (hours, since, (gint64) business_hours * 3600);
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
