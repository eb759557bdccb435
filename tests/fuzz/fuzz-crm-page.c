/* fuzz-crm-page.c — libFuzzer target: the CRM page parsers take any bytes
 *
 * Every input goes to both the HubSpot search/list page parser and the
 * EspoCRM list page parser (cp-crm-parse-private.h), the very functions
 * the backends run on a server's answer, depth check included. Built as
 * a fuzzer with clang and -Dfuzzing=true; in every other build the replay
 * driver (fuzz-replay.c) runs the corpus through it as a test, and then
 * fuzz_replay_extra() below.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cp-core-error.h"
#include "cp-crm-parse-private.h"
#include "cp-sync-error.h"

int LLVMFuzzerInitialize   (int           *argc,
                            char        ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* libFuzzer calls this first (the replay test has G_DEBUG=fatal-warnings
 * instead): a CRITICAL on odd input is a finding, as in the test suite. */
int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

typedef CpCrmPage *(*ParsePage) (const char *data, gsize length, GError **error);

static void
check_page (ParsePage   parse,
            const char *data,
            gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpCrmPage) page = parse (data, size, &error);

  /* A page or an error, never both, never neither. */
  g_assert ((page == NULL) != (error == NULL));
  if (page == NULL)
    {
      g_assert (error->domain == CP_SYNC_ERROR || error->domain == CP_CORE_ERROR ||
                error->domain == JSON_PARSER_ERROR);
      g_assert (error->message != NULL && *error->message != '\0');
      return;
    }
  g_assert (page->records != NULL);
  for (guint i = 0; i < page->records->len; i++)
    {
      CpCrmRecord *record = page->records->pdata[i];

      g_assert (record->remote_id != NULL);
      g_assert (record->updated_at != NULL);
      g_assert (record->properties != NULL);
    }
  g_assert (page->next_page == NULL || page->records->len > 0 || parse == _cp_hubspot_parse_page);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  check_page (_cp_hubspot_parse_page, (const char *) data, size);
  check_page (_cp_espocrm_parse_page, (const char *) data, size);
  return 0;
}

#ifdef FUZZ_REPLAY_EXTRA
void fuzz_replay_extra (void);

/* 100,000 levels of nesting, inside a real-shaped answer: a clean error
 * from the depth check, before json-glib recurses into it. */
void
fuzz_replay_extra (void)
{
  const guint depth = 100000;
  const char *opens[] = { "[", "{\"a\":" };
  const char *closes[] = { "]", "}" };
  ParsePage parsers[] = { _cp_hubspot_parse_page, _cp_espocrm_parse_page };

  for (guint p = 0; p < G_N_ELEMENTS (parsers); p++)
    for (guint kind = 0; kind < G_N_ELEMENTS (opens); kind++)
      for (guint closed = 0; closed < 2; closed++)
        {
          g_autoptr(GString) input = g_string_new ("{\"total\": 1, \"results\": ");
          g_autoptr(GError) error = NULL;
          g_autoptr(CpCrmPage) page = NULL;

          for (guint i = 0; i < depth; i++)
            g_string_append (input, opens[kind]);
          /* Left open too: the check must not need the closing half. */
          if (closed)
            {
              g_string_append (input, "1");
              for (guint i = 0; i < depth; i++)
                g_string_append (input, closes[kind]);
              g_string_append (input, "}");
            }
          page = parsers[p] (input->str, input->len, &error);
          g_assert_null (page);
          g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
        }
  printf ("ok 2 - 100,000-deep nesting refused with a clean error\n");
}
#endif
