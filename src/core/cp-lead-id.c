/* cp-lead-id.c — new ids for leads, tasks, activities and merges: time-ordered UUIDs (version 7)
 *
 * A random id (version 4) puts each new entry of an index keyed by it —
 * the lead id's unique index, the audit log's (entity, entity_id), the
 * tasks' and stage events' lead ids — on a random page of that index: in a
 * database of a million leads those pages are not in the cache, so every
 * insert reads and dirties one. A version 7 id (RFC 9562) begins with the
 * Unix time in milliseconds, so new entries go to the right edge of those
 * indexes, where the pages are already in the cache.
 *
 * Ids are monotonic within the process: several made in one millisecond
 * (or while the clock steps back) take the last one's random bits plus a
 * random increment (RFC 9562, section 6.2, method 2), under a lock, so
 * ids made on several threads are distinct and ordered as they were made.
 * Nothing parses an id: it is still 36 characters of lower-case hex and
 * dashes that g_uuid_string_is_valid() accepts.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead"

#include "config.h"

#include "cp-lead-private.h"

#define RAND_B_LIMIT (G_GUINT64_CONSTANT (1) << 62)
#define RAND_A_LIMIT 4096u
#define TIME_LIMIT (G_GINT64_CONSTANT (1) << 48)

/* A fresh millisecond: random bits, the top bit of rand_a clear so that
 * increments within the millisecond have room before they carry into the
 * time. */
static void
fresh_random (CpLeadIdClock *clock)
{
  clock->rand_a = g_random_int () & (RAND_A_LIMIT / 2 - 1);
  clock->rand_b = (((guint64) g_random_int () << 32) | g_random_int ()) & (RAND_B_LIMIT - 1);
}

/* The next id's 128 bits into @out, from @clock's state as of @unix_ms;
 * the caller holds whatever lock guards @clock. */
static void
clock_next (CpLeadIdClock *clock,
            gint64         unix_ms,
            guint8         out[16])
{
  unix_ms = CLAMP (unix_ms, 0, TIME_LIMIT - 1);
  if (unix_ms > clock->unix_ms)
    {
      clock->unix_ms = unix_ms;
      fresh_random (clock);
    }
  else
    {
      /* The same millisecond, or the clock went back: one step on from the
       * last id, by a random amount so that the next id is not guessable. */
      clock->rand_b += 1 + (g_random_int () & 0x7fffffff);
      if (clock->rand_b >= RAND_B_LIMIT)
        {
          clock->rand_b -= RAND_B_LIMIT;
          clock->rand_a++;
        }
      if (clock->rand_a >= RAND_A_LIMIT)
        {
          /* 2^73 increments' room spent in one millisecond: borrow the next. */
          clock->unix_ms++;
          fresh_random (clock);
        }
    }

  for (guint i = 0; i < 6; i++)
    out[i] = (guint8) (clock->unix_ms >> (40 - 8 * i));
  out[6] = 0x70 | (guint8) (clock->rand_a >> 8);
  out[7] = (guint8) clock->rand_a;
  out[8] = 0x80 | (guint8) (clock->rand_b >> 56);
  for (guint i = 9; i < 16; i++)
    out[i] = (guint8) (clock->rand_b >> (8 * (15 - i)));
}

/**
 * _cp_lead_id_clock_next:
 * @clock: the state of a sequence of ids (zero-filled to start one)
 * @unix_ms: the time now, in milliseconds since 1970
 *
 * Returns: (transfer full): the id after @clock's last one, as of
 *   @unix_ms: lower-case, 36 characters
 */
char *
_cp_lead_id_clock_next (CpLeadIdClock *clock,
                        gint64         unix_ms)
{
  static const char hex[] = "0123456789abcdef";
  guint8 bytes[16];
  char *text = g_malloc (37);
  char *p = text;

  clock_next (clock, unix_ms, bytes);
  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        *p++ = '-';
      *p++ = hex[bytes[i] >> 4];
      *p++ = hex[bytes[i] & 0xf];
    }
  *p = '\0';
  return text;
}

/**
 * cp_lead_new_id:
 *
 * A new id for a lead (and for a task, an activity or a merge): a UUID of
 * version 7 (RFC 9562), the current time in milliseconds followed by
 * random bits. Ids made by this process are strictly increasing, as text
 * and as bytes, on every thread; callers must not read anything from an
 * id (ids from elsewhere, e.g. an import, may be of any version).
 *
 * Returns: (transfer full): a new id, 36 characters of lower-case hex and
 *   dashes
 */
char *
cp_lead_new_id (void)
{
  static GMutex lock;
  static CpLeadIdClock clock;
  char *id;

  g_mutex_lock (&lock);
  id = _cp_lead_id_clock_next (&clock, g_get_real_time () / 1000);
  g_mutex_unlock (&lock);
  return id;
}
