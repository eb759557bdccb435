/* fuzz-csv.c — libFuzzer target: the CSV reader takes any bytes
 *
 * Built as a fuzzer with clang and -Dfuzzing=true; in every other build
 * the replay driver (fuzz-replay.c) runs the corpus through it as a test.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdint.h>

#include <string.h>

#include "cp-csv-reader.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_data ((const char *) data, size);
  guint64 last_line = 0;

  /* Small caps, so that the skip paths are reached too. */
  cp_csv_reader_set_max_field_size (reader, 64);
  cp_csv_reader_set_max_fields (reader, 16);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) fields = cp_csv_reader_next (reader, &error);

      /* Records come in line order, every field is UTF-8 within the cap
       * (Windows-1252 may triple it), errors say where (but the refusal
       * of a whole file's encoding). */
      g_assert (cp_csv_reader_get_line (reader) >= last_line);
      last_line = cp_csv_reader_get_line (reader);
      g_assert (cp_csv_reader_get_bytes_read (reader) <= size);
      if (fields == NULL && error == NULL)
        break;
      if (error != NULL)
        {
          g_assert (error->domain == CP_CSV_ERROR);
          g_assert (error->code == CP_CSV_ERROR_ENCODING ||
                    g_str_has_prefix (error->message, "Line "));
          if (!cp_csv_error_skips_record (error))
            break;
          continue;
        }
      g_assert (fields->len >= 1 && fields->len <= 16);
      for (guint i = 0; i < fields->len; i++)
        {
          const char *field = fields->pdata[i];

          g_assert (g_utf8_validate (field, -1, NULL));
          g_assert (strlen (field) <= 64 * 3);
        }
    }
  g_assert (cp_csv_reader_get_bytes_read (reader) <= size);
  return 0;
}
