/* cp-first-frame.c — says when a window first paints, for the launch benchmark
 *
 * With CP_FIRST_FRAME set in the environment, the first frame a watched
 * window paints prints one line on standard output:
 *
 *   first-frame<TAB>MONOTONIC_US<TAB>RSS_KIB
 *
 * the monotonic clock (the one g_get_monotonic_time reads, the same in
 * every process, so a parent that noted the time before starting this
 * process gets the launch time by subtraction) and the resident memory at
 * that moment. With CP_FIRST_FRAME=exit the application then quits.
 * Without it, nothing is connected.
 *
 * The empty-window anchor of bench-launch compiles this file too, so both
 * sides of the comparison stop their clock the same way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "cp-first-frame.h"

#include <stdio.h>
#include <string.h>

static long
resident_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");

  return line != NULL ? strtol (line + strlen ("VmRSS:"), NULL, 10) : -1;
}

static void
after_paint_cb (GdkFrameClock *clock,
                GtkWidget     *window)
{
  gint64 now = g_get_monotonic_time ();
  GApplication *app = g_application_get_default ();

  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, window);
  printf ("first-frame\t%" G_GINT64_FORMAT "\t%ld\n", now, resident_kib ());
  fflush (stdout);
  if (g_strcmp0 (g_getenv ("CP_FIRST_FRAME"), "exit") == 0 && app != NULL)
    g_application_quit (app);
}

static void
realize_cb (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_handlers_disconnect_by_func (window, realize_cb, NULL);
  if (clock != NULL)
    g_signal_connect_object (clock, "after-paint", G_CALLBACK (after_paint_cb), window, 0);
}

/**
 * cp_first_frame_watch:
 * @window: a window not yet realized
 *
 * When CP_FIRST_FRAME is set, reports @window's first painted frame (see
 * the file's comment); otherwise does nothing.
 */
void
cp_first_frame_watch (GtkWidget *window)
{
  g_return_if_fail (GTK_IS_WIDGET (window));

  if (g_getenv ("CP_FIRST_FRAME") == NULL)
    return;
  if (gtk_widget_get_realized (window))
    realize_cb (window);
  else
    g_signal_connect (window, "realize", G_CALLBACK (realize_cb), NULL);
}
