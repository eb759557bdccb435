/* cp-cli-test-util.h — running carepath-cli from a test, and reading what it prints
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  int   status;   /* the exit status */
  char *out;
  char *err;
} CpCliResult;

void      cp_cli_result_clear   (CpCliResult        *result);
void      cp_test_set_cli_path  (const char         *path);
const char *cp_test_get_cli_path (void);
void      cp_test_run_cli_env   (CpCliResult        *result,
                                 const char * const *env,
                                 const char * const *args);
void      cp_test_run_cli       (CpCliResult        *result,
                                 const char         *first,
                                 ...) G_GNUC_NULL_TERMINATED;
JsonNode *cp_test_parse_json    (const char         *text);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CpCliResult, cp_cli_result_clear)

G_END_DECLS
