/* bench-launch.c — the real app's launch: from starting the `carepath`
 * process to the first frame its main window paints, next to an empty
 * libadwaita window started the same way in the same run (the anchor).
 *
 * Both programs print the monotonic time of their first painted frame
 * (src/ui/cp-first-frame.c, enabled by CP_FIRST_FRAME=exit, which also
 * makes them quit); this process notes the same clock just before it
 * starts each one, so the figure includes loading the libraries, D-Bus
 * registration, the settings, opening the database and building the
 * window — all a user waits for. Runs alternate app / anchor, five pairs
 * per size and renderer; medians are printed.
 *
 * Usage: bench-launch [N_LEADS...]   (default 10000 100000 1000000)
 * CP_BENCH_APP=PATH measures another build of the app (a comparison
 * with an earlier commit, in the same run conditions), and
 * CP_BENCH_DB=PATH has it open that database (one of its own schema).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bench-common.h"

#include <gio/gio.h>
#include <stdlib.h>

#define N_RUNS 5

typedef struct
{
  double ms;
  double rss_mib;
} Launch;

/* Starts @argv with the probe on, under @renderer, and waits for its
 * first frame. Returns FALSE (and says why) when it printed none. */
static gboolean
launch_once (const char * const *argv,
             const char         *renderer,
             const char         *home,
             Launch             *out)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  const char *line;
  gint64 started, painted = 0;
  long rss_kib = -1;

  g_subprocess_launcher_setenv (launcher, "CP_FIRST_FRAME", "exit", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", renderer, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", home, TRUE);

  started = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (process == NULL ||
      !g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, &error))
    {
      g_printerr ("%s: %s\n", argv[2], error->message);
      return FALSE;
    }
  line = output != NULL ? strstr (output, "first-frame\t") : NULL;
  if (line != NULL)
    {
      char *end = NULL;

      painted = g_ascii_strtoll (line + strlen ("first-frame\t"), &end, 10);
      rss_kib = strtol (end, NULL, 10);
    }
  if (painted <= started)
    {
      g_printerr ("%s painted no frame (exit status %d)\n", argv[2],
                  g_subprocess_get_exit_status (process));
      return FALSE;
    }
  out->ms = (painted - started) / 1000.0;
  out->rss_mib = rss_kib / 1024.0;

  return TRUE;
}

/* A private copy of the shared database for the app to open (it may
 * write: SLA clocks, escalations), made once and reused. */
static char *
launch_database (guint n_leads)
{
  g_autofree char *shared = bench_shared_database (n_leads, NULL);
  char *copy = bench_cache_path ("launch", n_leads);

  if (!g_file_test (copy, G_FILE_TEST_EXISTS))
    {
      g_autofree char *partial = g_strconcat (copy, ".partial", NULL);
      g_autoptr(GFile) from = g_file_new_for_path (shared);
      g_autoptr(GFile) to = g_file_new_for_path (partial);
      g_autoptr(GError) error = NULL;

      if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
        g_error ("copying %s: %s", shared, error->message);
      g_chmod (partial, 0600);
      g_rename (partial, copy);
    }
  return copy;
}

static void
remove_tree (const char *path)
{
  const char * const argv[] = { "rm", "-rf", path, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                NULL);
}

static void
bench_size (guint       n_leads,
            const char *renderer)
{
  g_autofree char *database = g_getenv ("CP_BENCH_DB") != NULL ? g_strdup (g_getenv ("CP_BENCH_DB"))
                                                             : launch_database (n_leads);
  g_autofree char *home = g_dir_make_tmp ("carepath-bench-launch-XXXXXX", NULL);
  const char *app = g_getenv ("CP_BENCH_APP") != NULL ? g_getenv ("CP_BENCH_APP") : CARE_PATH_APP;
  const char * const app_argv[] = { "timeout", "120", app, "--db", database, NULL };
  const char * const anchor_argv[] = { "timeout", "120", CARE_PATH_EMPTY_WINDOW, NULL };
  double app_ms[N_RUNS], anchor_ms[N_RUNS], app_rss[N_RUNS], anchor_rss[N_RUNS];
  g_autofree char *label = NULL;
  double app_median, anchor;

  /* One unmeasured start of each warms the page cache alike. */
  {
    Launch ignored;

    if (!launch_once (app_argv, renderer, home, &ignored) ||
        !launch_once (anchor_argv, renderer, home, &ignored))
      {
        remove_tree (home);
        return;
      }
  }
  for (guint i = 0; i < N_RUNS; i++)
    {
      Launch a, b;

      if (!launch_once (app_argv, renderer, home, &a) ||
          !launch_once (anchor_argv, renderer, home, &b))
        {
          remove_tree (home);
          return;
        }
      app_ms[i] = a.ms;
      app_rss[i] = a.rss_mib;
      anchor_ms[i] = b.ms;
      anchor_rss[i] = b.rss_mib;
    }
  app_median = bench_median (app_ms, N_RUNS);
  anchor = bench_median (anchor_ms, N_RUNS);

  label = g_strdup_printf ("launch to first frame (real app), %u leads, %s", n_leads, renderer);
  bench_report (label, app_median, "ms", "≤ 2× empty window");
  g_free (label);
  label = g_strdup_printf ("  empty libadwaita window (anchor), %s", renderer);
  bench_report (label, anchor, "ms", NULL);
  bench_report ("  ratio app / empty window", app_median / anchor, "×", "≤ 2");
  label = (g_free (label), g_strdup_printf ("  resident memory at first frame, %s", renderer));
  bench_report (label, bench_median (app_rss, N_RUNS), "MiB",
                g_str_equal (renderer, "cairo") ? "≤ 200" : NULL);
  bench_report ("  resident memory, empty window", bench_median (anchor_rss, N_RUNS), "MiB", NULL);

  remove_tree (home);
}

int
main (int   argc,
      char *argv[])
{
  static const guint default_sizes[] = { 10000, 100000, 1000000 };
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));

  for (int i = 1; i < argc; i++)
    {
      guint n = (guint) g_ascii_strtoull (argv[i], NULL, 10);

      if (n > 0)
        g_array_append_val (sizes, n);
    }
  if (sizes->len == 0)
    g_array_append_vals (sizes, default_sizes, G_N_ELEMENTS (default_sizes));

  for (guint i = 0; i < sizes->len; i++)
    {
      bench_size (g_array_index (sizes, guint, i), "cairo");
      bench_size (g_array_index (sizes, guint, i), "gl");
    }
  return 0;
}
