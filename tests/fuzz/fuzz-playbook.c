/* fuzz-playbook.c — libFuzzer target: the playbook parser takes any bytes
 *
 * Built as a fuzzer with clang and -Dfuzzing=true; in every other build
 * the replay driver (fuzz-replay.c) runs the corpus through it as a test.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdint.h>

#include "cp-playbook-format.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpPlaybook) playbook = NULL;

  playbook = cp_playbook_format_parse ((const char *) data, (gssize) size, &error);

  /* Exactly one of a playbook or a readable error, never both or neither. */
  g_assert ((playbook != NULL) != (error != NULL));
  if (error != NULL)
    g_assert (error->message != NULL && *error->message != '\0');

  /* What parses must serialize and parse again to the same rules. */
  if (playbook != NULL)
    {
      g_autofree char *again = cp_playbook_format_serialize (playbook);
      g_autoptr(CpPlaybook) reparsed = cp_playbook_format_parse (again, -1, NULL);
      g_autoptr(GPtrArray) changes = NULL;

      g_assert (reparsed != NULL);
      changes = cp_playbook_diff (playbook, reparsed);
      g_assert (changes->len == 0);
    }

  return 0;
}
