/* test-ids.c — new ids: time-ordered UUIDs (version 7), monotonic on every thread
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cp-lead-private.h"

#define N_IDS 100000
#define N_THREADS 4
#define N_PER_THREAD 25000

/* The 16 bytes of @id (a valid UUID string) into @out. */
static void
id_bytes (const char *id,
          guint8      out[16])
{
  guint n = 0;

  g_assert_true (g_uuid_string_is_valid (id));
  for (const char *p = id; *p != '\0'; p++)
    {
      if (*p == '-')
        continue;
      g_assert_true (g_ascii_isxdigit (*p));
      /* lower-case only */
      g_assert_false (g_ascii_isupper (*p));
      if (n % 2 == 0)
        out[n / 2] = (guint8) (g_ascii_xdigit_value (*p) << 4);
      else
        out[n / 2] |= (guint8) g_ascii_xdigit_value (*p);
      n++;
    }
  g_assert_cmpuint (n, ==, 32);
}

static gint64
id_unix_ms (const guint8 bytes[16])
{
  gint64 ms = 0;

  for (guint i = 0; i < 6; i++)
    ms = (ms << 8) | bytes[i];
  return ms;
}

static void
assert_v7 (const char *id)
{
  guint8 bytes[16];

  g_assert_cmpuint (strlen (id), ==, 36);
  g_assert_cmpint (id[8], ==, '-');
  g_assert_cmpint (id[13], ==, '-');
  g_assert_cmpint (id[18], ==, '-');
  g_assert_cmpint (id[23], ==, '-');
  id_bytes (id, bytes);
  g_assert_cmphex (bytes[6] >> 4, ==, 0x7);     /* version 7 */
  g_assert_cmphex (bytes[8] >> 6, ==, 0x2);     /* variant 10 */
  g_assert_cmpint (id[14], ==, '7');
  g_assert_true (strchr ("89ab", id[19]) != NULL);
}

static void
test_format (void)
{
  gint64 before = g_get_real_time () / 1000;
  g_autofree char *id = cp_lead_new_id ();
  gint64 after = g_get_real_time () / 1000;
  guint8 bytes[16];

  assert_v7 (id);
  id_bytes (id, bytes);
  /* the time part is the time it was made (within a second either way:
   * an earlier id of the same millisecond may have borrowed one) */
  g_assert_cmpint (id_unix_ms (bytes), >=, before - 1000);
  g_assert_cmpint (id_unix_ms (bytes), <=, after + 1000);
}

/* 100,000 ids in a row — many in each millisecond — strictly increase as
 * text and as bytes, so each is distinct. */
static void
test_increasing (void)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  gint64 start = g_get_real_time () / 1000;
  guint8 last[16] = { 0, };

  for (guint i = 0; i < N_IDS; i++)
    g_ptr_array_add (ids, cp_lead_new_id ());
  for (guint i = 0; i < N_IDS; i++)
    {
      const char *id = ids->pdata[i];
      guint8 bytes[16];

      assert_v7 (id);
      id_bytes (id, bytes);
      if (i > 0)
        {
          g_assert_cmpstr (ids->pdata[i - 1], <, id);
          g_assert_cmpint (memcmp (last, bytes, 16), <, 0);
        }
      memcpy (last, bytes, 16);
    }
  /* made in well under a second's drift from the clock */
  id_bytes (ids->pdata[0], last);
  g_assert_cmpint (ABS (id_unix_ms (last) - start), <=, 1000);
  id_bytes (ids->pdata[N_IDS - 1], last);
  g_assert_cmpint (ABS (id_unix_ms (last) - g_get_real_time () / 1000), <=, 1000);
}

static gpointer
make_ids_cb (gpointer data)
{
  GPtrArray *ids = data;

  for (guint i = 0; i < N_PER_THREAD; i++)
    g_ptr_array_add (ids, cp_lead_new_id ());
  return NULL;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Threads making ids at once: each thread's ids increase, and all of them
 * together are distinct. */
static void
test_threads (void)
{
  GThread *threads[N_THREADS];
  GPtrArray *ids[N_THREADS];
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  for (guint t = 0; t < N_THREADS; t++)
    {
      ids[t] = g_ptr_array_new_with_free_func (g_free);
      threads[t] = g_thread_new ("ids", make_ids_cb, ids[t]);
    }
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);

  for (guint t = 0; t < N_THREADS; t++)
    {
      g_assert_cmpuint (ids[t]->len, ==, N_PER_THREAD);
      for (guint i = 0; i < ids[t]->len; i++)
        {
          assert_v7 (ids[t]->pdata[i]);
          if (i > 0)
            g_assert_cmpstr (ids[t]->pdata[i - 1], <, ids[t]->pdata[i]);
          g_assert_true (g_hash_table_add (seen, ids[t]->pdata[i]));
          g_ptr_array_add (all, ids[t]->pdata[i]);
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, N_THREADS * N_PER_THREAD);

  /* merged in order, they still increase: the lock hands out one sequence */
  g_ptr_array_sort (all, compare_ids);
  for (guint i = 1; i < all->len; i++)
    g_assert_cmpstr (all->pdata[i - 1], <, all->pdata[i]);
  /* and an id made afterwards on this thread follows them all */
  {
    g_autofree char *after = cp_lead_new_id ();

    g_assert_cmpstr (all->pdata[all->len - 1], <, after);
  }
  for (guint t = 0; t < N_THREADS; t++)
    g_ptr_array_unref (ids[t]);
}

/* The clock stepping back (NTP, a suspended laptop) does not break the
 * order: ids keep the last time and step on. */
static void
test_clock_back (void)
{
  CpLeadIdClock clock = { 0, };
  gint64 t = G_GINT64_CONSTANT (1780000000000);
  g_autofree char *a = _cp_lead_id_clock_next (&clock, t);
  g_autofree char *b = _cp_lead_id_clock_next (&clock, t - 60000);
  g_autofree char *c = _cp_lead_id_clock_next (&clock, t);
  g_autofree char *d = _cp_lead_id_clock_next (&clock, t + 1);
  guint8 bytes[16];

  assert_v7 (a);
  assert_v7 (b);
  g_assert_cmpstr (a, <, b);
  g_assert_cmpstr (b, <, c);
  g_assert_cmpstr (c, <, d);
  id_bytes (b, bytes);
  g_assert_cmpint (id_unix_ms (bytes), ==, t);
  id_bytes (d, bytes);
  g_assert_cmpint (id_unix_ms (bytes), ==, t + 1);
  /* a new millisecond starts from fresh random bits: the top bit of
   * rand_a is clear, leaving the increments room */
  g_assert_cmpuint (clock.rand_a, <, 2048);
}

/* A millisecond whose random part runs out borrows the next millisecond
 * rather than wrapping round to a smaller id. */
static void
test_counter_overflow (void)
{
  gint64 t = G_GINT64_CONSTANT (1780000000000);
  CpLeadIdClock clock = { t, 4095, (G_GUINT64_CONSTANT (1) << 62) - 1 };
  /* the id of that state: the largest of its millisecond */
  g_autofree char *last = g_strdup_printf ("%08x-%04x-7fff-bfff-ffffffffffff",
                                           (guint) (t >> 16), (guint) (t & 0xffff));
  g_autofree char *next = _cp_lead_id_clock_next (&clock, t);
  guint8 bytes[16];

  assert_v7 (last);
  assert_v7 (next);
  id_bytes (next, bytes);
  g_assert_cmpint (id_unix_ms (bytes), ==, t + 1);
  g_assert_cmpstr (last, <, next);
  g_assert_cmpuint (clock.rand_a, <, 2048);
}

/* Times outside the 48 bits are clamped, never wrapped into other bits. */
static void
test_time_range (void)
{
  CpLeadIdClock clock = { 0, };
  g_autofree char *negative = _cp_lead_id_clock_next (&clock, -5);
  CpLeadIdClock far = { 0, };
  g_autofree char *future = _cp_lead_id_clock_next (&far, G_MAXINT64);

  assert_v7 (negative);
  assert_v7 (future);
  g_assert_true (g_str_has_prefix (negative, "00000000-0000-7"));
  g_assert_true (g_str_has_prefix (future, "ffffffff-ffff-7"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ids/format", test_format);
  g_test_add_func ("/ids/increasing", test_increasing);
  g_test_add_func ("/ids/threads", test_threads);
  g_test_add_func ("/ids/clock-back", test_clock_back);
  g_test_add_func ("/ids/counter-overflow", test_counter_overflow);
  g_test_add_func ("/ids/time-range", test_time_range);

  return g_test_run ();
}
