/* cp-crm-rate.c — an account's request limits, shared by all its clients: rolling windows, pacing
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-crm-client"

#include "config.h"

#include "cp-crm-client-private.h"

/* A second with a margin: the server counts arrivals, and latency varies. */
#define SEARCH_WINDOW_US    (G_USEC_PER_SEC + 100 * 1000)

/* At most @max sends in any @window_us: a ring of the last send times. */
typedef struct
{
  gint64 *times;
  guint   capacity;
  guint   head;
  guint   count;
  guint   max;         /* 0: no limit */
  gint64  window_us;
} RateWindow;

/* The limits of one account (address and credentials), shared by every
 * client of it for the life of the process: a new client must not forget
 * what the one before it sent a second ago. */
struct _CpCrmAccountLimits
{
  GMutex          lock;
  RateWindow      search;         /* the search endpoints' own limit */
  RateWindow      account;        /* every request: the account's rolling limit */
  guint           foreign;        /* requests of other apps in the account's window … */
  gint64          foreign_until;  /* … counted until this monotonic µs */
  gint64          not_before;     /* monotonic µs: a 429 said wait */
};

static GMutex      accounts_lock;
static GHashTable *accounts;      /* digest of the account → CpCrmAccountLimits */

gboolean
_cp_crm_sleep_cancellable (guint         ms,
                           GCancellable *cancellable)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  for (;;)
    {
      gint64 left = until - g_get_monotonic_time ();

      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      if (left <= 0)
        return TRUE;
      g_usleep (MIN (left, 20000));
    }
}

static void
rate_window_configure (RateWindow *window,
                       guint       max,
                       gint64      window_us)
{
  if (max > window->capacity)
    {
      gint64 *times = g_new0 (gint64, max);

      for (guint i = 0; i < window->count; i++)
        times[i] = window->times[(window->head + i) % window->capacity];
      g_free (window->times);
      window->times = times;
      window->capacity = max;
      window->head = 0;
    }
  window->max = max;
  window->window_us = window_us;
}

static void
rate_window_prune (RateWindow *window,
                   gint64      now)
{
  while (window->count > 0 && window->times[window->head] <= now - window->window_us)
    {
      window->head = (window->head + 1) % window->capacity;
      window->count--;
    }
}

/* Returns: the monotonic µs from which one more send stays within @max
 * in the window */
static gint64
rate_window_next_free (RateWindow *window,
                       guint       max,
                       gint64      now)
{
  rate_window_prune (window, now);
  if (window->max == 0 || window->count < max)
    return now;
  if (max == 0)
    return window->count > 0 ? window->times[window->head] + window->window_us : now;
  return window->times[(window->head + window->count - max) % window->capacity] +
         window->window_us;
}

static void
rate_window_record (RateWindow *window,
                    gint64      now)
{
  if (window->max == 0)
    return;
  rate_window_prune (window, now);
  if (window->count == window->capacity)
    {
      window->head = (window->head + 1) % window->capacity;
      window->count--;
    }
  window->times[(window->head + window->count) % window->capacity] = now;
  window->count++;
}

/* The server counts arrivals and latency varies: a margin on the window. */
static gint64
window_with_margin (guint interval_ms)
{
  return ((gint64) interval_ms + MAX (100, interval_ms / 20)) * 1000;
}

/* The limits of the account @base_url and the credentials name, made on first use. */
CpCrmAccountLimits *
_cp_crm_account_limits_get (const char *base_url,
                            const char *auth_header,
                            const char *auth_value)
{
  g_autofree char *key = g_strjoin ("\n", base_url, auth_header, auth_value, NULL);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  CpCrmAccountLimits *limits;

  g_mutex_lock (&accounts_lock);
  if (accounts == NULL)
    accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  limits = g_hash_table_lookup (accounts, digest);
  if (limits == NULL)
    {
      limits = g_new0 (CpCrmAccountLimits, 1);
      g_mutex_init (&limits->lock);
      rate_window_configure (&limits->search, 5, SEARCH_WINDOW_US);
      g_hash_table_insert (accounts, g_steal_pointer (&digest), limits);
    }
  g_mutex_unlock (&accounts_lock);
  return limits;
}

/* HubSpot's rate-limit headers (absent on search answers): the account's
 * own window, and how much of it is used — other apps of the account
 * spend it too. What this process did not send is counted as used until
 * a whole window has passed. */
void
_cp_crm_account_limits_note_headers (CpCrmAccountLimits *limits,
                                     SoupMessageHeaders *headers)
{
  const char *max = soup_message_headers_get_one (headers, "X-HubSpot-RateLimit-Max");
  const char *remaining = soup_message_headers_get_one (headers, "X-HubSpot-RateLimit-Remaining");
  const char *interval = soup_message_headers_get_one (headers,
                                                       "X-HubSpot-RateLimit-Interval-Milliseconds");
  gint64 max_value = max != NULL ? g_ascii_strtoll (max, NULL, 10) : 0;
  gint64 interval_ms = interval != NULL ? g_ascii_strtoll (interval, NULL, 10) : 0;
  gint64 now = g_get_monotonic_time ();
  gint64 used;

  g_mutex_lock (&limits->lock);
  if (max_value > 0 && interval_ms > 0)
    rate_window_configure (&limits->account, MIN (max_value, CP_CRM_MAX_RATE_LIMIT),
                           window_with_margin (MIN (interval_ms, 3600 * 1000)));
  if (remaining != NULL && limits->account.max > 0)
    {
      rate_window_prune (&limits->account, now);
      used = (gint64) limits->account.max - CLAMP (g_ascii_strtoll (remaining, NULL, 10), 0,
                                                   limits->account.max);
      limits->foreign = used > limits->account.count ? used - limits->account.count : 0;
      limits->foreign_until = now + limits->account.window_us;
    }
  g_mutex_unlock (&limits->lock);
}

/* Waits until one more request stays within every limit: a 429's pause,
 * the search rate, and the account's rolling window (this process's
 * requests and the others' the headers revealed). Then counts it. */
gboolean
_cp_crm_account_limits_pace (CpCrmAccountLimits  *limits,
                             CpCrmRequestFlags    flags,
                             GCancellable        *cancellable)
{
  RateWindow *account = &limits->account;

  g_mutex_lock (&limits->lock);
  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      guint foreign = now < limits->foreign_until ? MIN (limits->foreign, account->max) : 0;
      gint64 until = MAX (limits->not_before,
                          rate_window_next_free (account, account->max - foreign, now));
      gboolean awake;

      if (foreign > 0 && foreign == account->max)
        until = MAX (until, limits->foreign_until);
      if (flags & CP_CRM_REQUEST_SEARCH)
        until = MAX (until, rate_window_next_free (&limits->search, limits->search.max, now));
      if (until <= now)
        break;
      g_mutex_unlock (&limits->lock);
      awake = _cp_crm_sleep_cancellable ((until - now + 999) / 1000, cancellable);
      g_mutex_lock (&limits->lock);
      if (!awake)
        {
          g_mutex_unlock (&limits->lock);
          return FALSE;
        }
    }

  rate_window_record (account, g_get_monotonic_time ());
  if (flags & CP_CRM_REQUEST_SEARCH)
    rate_window_record (&limits->search, g_get_monotonic_time ());
  g_mutex_unlock (&limits->lock);
  return TRUE;
}

/* After a 429 (no Retry-After): no request until the window (scaled by
 * @server_scale, as the server's own delays are) has passed. */
void
_cp_crm_account_limits_pause (CpCrmAccountLimits *limits,
                              CpCrmRequestFlags   flags,
                              double              server_scale)
{
  gint64 window_us;

  g_mutex_lock (&limits->lock);
  window_us = (flags & CP_CRM_REQUEST_SEARCH) || limits->account.max == 0
              ? SEARCH_WINDOW_US : limits->account.window_us;
  limits->not_before = MAX (limits->not_before,
                            g_get_monotonic_time () + (gint64) (window_us * server_scale));
  g_mutex_unlock (&limits->lock);
}

/* At most @per_second searches in any second; 0: no limit. */
void
_cp_crm_account_limits_set_search_rate (CpCrmAccountLimits *limits,
                                        guint               per_second)
{
  g_mutex_lock (&limits->lock);
  rate_window_configure (&limits->search, per_second, SEARCH_WINDOW_US);
  g_mutex_unlock (&limits->lock);
}

/* At most @max_requests in any @interval_ms, searches included; 0: no limit. */
void
_cp_crm_account_limits_set_rate_limit (CpCrmAccountLimits *limits,
                                       guint               max_requests,
                                       guint               interval_ms)
{
  g_mutex_lock (&limits->lock);
  rate_window_configure (&limits->account, max_requests, window_with_margin (interval_ms));
  g_mutex_unlock (&limits->lock);
}
