/* bench-window.c — launch to first drawn board frame, and resident memory
 *
 * Usage: bench-window [N_LEADS…]   (default: 10000 100000 1000000)
 * For each size, a fresh child process opens the database (generated once
 * and cached in the temp dir), builds the pipeline board in a window and
 * reports when the frame clock finishes painting the first frame. Then,
 * in the Cairo process, a filter on the board: how long the main thread is
 * in the call, when the figures and cards are in, against the same
 * figures counted on the main thread (what a filter did before).
 * Needs a display: `build-aux/dev bench` runs it under xvfb-run.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <time.h>

#include "bench-common.h"
#include "cp-database.h"
#include "cp-demo-writer.h"
#include "cp-lead-store.h"
#include "cp-pipeline-view.h"
#include "cp-ui.h"


static double start_ms;
static double first_paint_ms = -1;
static GMainLoop *loop;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  if (first_paint_ms < 0)
    {
      first_paint_ms = bench_now_ms () - start_ms;
      g_main_loop_quit (loop);
    }
}

static void
window_realized_cb (GtkWidget *window,
                    gpointer   user_data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
}

/* CPU time of the calling thread, in ms (a main loop turn that waits in
 * poll() for the worker costs none). */
static double
thread_cpu_ms (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * 1000.0 + now.tv_nsec / 1e6;
}

/* Returns: the main thread's longest main loop turn meanwhile (its CPU
 * time, in ms) */
static double
wait_until_idle (CpPipelineView *board)
{
  double longest = 0;

  while (cp_pipeline_view_get_busy (board))
    {
      double start = thread_cpu_ms ();

      g_main_context_iteration (NULL, TRUE);
      longest = MAX (longest, thread_cpu_ms () - start);
    }
  return longest;
}

/* A filter by service line on the loaded board. */
static void
measure_filter (CpPipelineView *board,
                CpLeadStore    *store,
                guint           n_leads)
{
  g_autoptr(CpLeadQuery) filter = cp_lead_query_new ();
  g_autoptr(CpLeadQuery) none = cp_lead_query_new ();
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  double start, in_call, all_in, on_main, longest;

  filter->service_line = g_strdup ("cardiology");
  wait_until_idle (board);
  /* Both on pages the first count brought into the cache. */
  summaries = cp_lead_store_stage_summaries (store, filter, &error);
  g_assert_no_error (error);
  g_clear_pointer (&summaries, g_ptr_array_unref);

  start = bench_now_ms ();
  summaries = cp_lead_store_stage_summaries (store, filter, &error);
  on_main = bench_now_ms () - start;
  g_assert_no_error (error);

  start = bench_now_ms ();
  cp_pipeline_view_set_query (board, filter);
  in_call = bench_now_ms () - start;
  longest = wait_until_idle (board);
  all_in = bench_now_ms () - start;
  cp_pipeline_view_set_query (board, none);
  wait_until_idle (board);

  label = g_strdup_printf ("board filter by service line, %u leads: main thread in the call",
                           n_leads);
  bench_report (label, in_call, "ms", "≤ 16 ms (one frame)");
  bench_report ("  longest main loop turn (CPU) until its figures and cards are in", longest, "ms",
                "≤ 16 ms (one frame)");
  bench_report ("  its figures and first cards in", all_in, "ms", "");
  bench_report ("  anchor: its figures counted on the main thread (before)", on_main, "ms",
                "same run");
  bench_report ("  figures in / anchor", all_in / MAX (on_main, 0.01), "x", "what the worker adds");
}

static int
run_one (const char *path,
         guint       n_leads)
{
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  GtkWidget *window;
  GtkWidget *board;
  guint n_stages;

  start_ms = bench_now_ms ();
  gtk_init ();
  adw_init ();
  cp_ui_init ();

  database = cp_database_open (path, &error);
  g_assert_no_error (error);
  store = cp_lead_store_new (database);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  board = cp_pipeline_view_new ();
  cp_pipeline_view_set_store (CP_PIPELINE_VIEW (board), store);
  cp_pipeline_view_set_stages (CP_PIPELINE_VIEW (board), cp_default_stages (&n_stages), n_stages);
  gtk_window_set_child (GTK_WINDOW (window), board);
  g_signal_connect (window, "realize", G_CALLBACK (window_realized_cb), NULL);

  loop = g_main_loop_new (NULL, FALSE);
  gtk_window_present (GTK_WINDOW (window));
  g_main_loop_run (loop);

  label = g_strdup_printf ("first board frame, %u leads, %s", n_leads,
                           g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "gl");
  bench_report (label, first_paint_ms, "ms", "≤ 500 ms");
  g_free (label);
  label = g_strdup_printf ("  resident memory at first frame, %u leads, %s", n_leads,
                           g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "gl");
  bench_report (label, bench_rss_mib (), "MiB", "≤ 250 MB");
  if (g_strcmp0 (g_getenv ("GSK_RENDERER"), "cairo") == 0)
    measure_filter (CP_PIPELINE_VIEW (board), store, n_leads);

  gtk_window_destroy (GTK_WINDOW (window));
  g_main_loop_unref (loop);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  static const guint default_sizes[] = { 10000, 100000, 1000000 };
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));

  if (argc == 4 && g_str_equal (argv[1], "--one"))
    return run_one (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));

  for (int i = 1; i < argc; i++)
    {
      guint n = (guint) g_ascii_strtoull (argv[i], NULL, 10);
      g_array_append_val (sizes, n);
    }
  if (sizes->len == 0)
    g_array_append_vals (sizes, default_sizes, G_N_ELEMENTS (default_sizes));

  for (guint i = 0; i < sizes->len; i++)
    {
      guint n = g_array_index (sizes, guint, i);
      g_autofree char *path = bench_shared_database (n, NULL);
      g_autofree char *n_text = g_strdup_printf ("%u", n);
      const char *child_argv[] = { argv[0], "--one", path, n_text, NULL };
      static const char * const renderers[] = { "gl", "cairo" };

      /* A fresh process per size and renderer: a launch is what is measured. */
      for (guint r = 0; r < G_N_ELEMENTS (renderers); r++)
        {
          g_auto (GStrv) env =
              g_environ_setenv (g_get_environ (), "GSK_RENDERER", renderers[r], TRUE);
          g_autoptr(GError) error = NULL;
          int status = 0;

          if (!g_spawn_sync (NULL, (char **) child_argv, env, G_SPAWN_CHILD_INHERITS_STDIN,
                             NULL, NULL, NULL, NULL, &status, &error) ||
              !g_spawn_check_wait_status (status, &error))
            g_printerr ("bench-window: %u leads, %s: %s\n", n, renderers[r], error->message);
        }
    }

  return 0;
}
