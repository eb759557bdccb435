/* fuzz-replay.c — runs fuzzer inputs (a corpus) through a fuzz target
 *
 * Usage: fuzz-replay FILE_OR_DIR…  — every file is fed to the target once;
 * a crash or failed assertion fails the run.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);
#ifdef FUZZ_REPLAY_EXTRA
/* A target's own further checks, one more TAP test (see fuzz-crm-page.c). */
void fuzz_replay_extra (void);
#endif

static guint
replay_path (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  guint n = 0;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          n += replay_path (child);
        }
      return n;
    }

  if (!g_file_get_contents (path, &contents, &length, NULL))
    g_error ("cannot read %s", path);
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
  return 1;
}

int
main (int   argc,
      char *argv[])
{
  guint n = 0;

  for (int i = 1; i < argc; i++)
    n += replay_path (argv[i]);
  if (n == 0)
    g_error ("no inputs to replay");

#ifdef FUZZ_REPLAY_EXTRA
  printf ("1..2\nok 1 - replayed %u inputs\n", n);
  fuzz_replay_extra ();
#else
  printf ("1..1\nok 1 - replayed %u inputs\n", n);
#endif
  return 0;
}
