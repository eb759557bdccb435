/* cp-cli-test-util.c — running carepath-cli from a test, and reading what it prints
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cp-cli-test-util.h"

static char *cli_path;

void
cp_cli_result_clear (CpCliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

/* The program the tests run: given on the test's command line. */
void
cp_test_set_cli_path (const char *path)
{
  g_free (cli_path);
  cli_path = g_strdup (path);
}

const char *
cp_test_get_cli_path (void)
{
  g_assert_nonnull (cli_path);
  return cli_path;
}

/**
 * cp_test_run_cli_env:
 * @env: (nullable): `KEY=VALUE` to set, or `KEY` to unset, for the run
 * @args: the arguments after the program's name
 *
 * Runs the CLI to its end and keeps its exit status and output.
 */
void
cp_test_run_cli_env (CpCliResult        *result,
                     const char * const *env,
                     const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      const char *equals = strchr (env[i], '=');

      if (equals != NULL)
        {
          g_autofree char *key = g_strndup (env[i], equals - env[i]);
          g_subprocess_launcher_setenv (launcher, key, equals + 1, TRUE);
        }
      else
        g_subprocess_launcher_unsetenv (launcher, env[i]);
    }
  g_ptr_array_add (argv, (char *) cp_test_get_cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  result->status = g_subprocess_get_exit_status (proc);
}

/* Runs the CLI with the arguments up to %NULL. */
void
cp_test_run_cli (CpCliResult *result,
                 const char  *first,
                 ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  cp_test_run_cli_env (result, NULL, (const char * const *) args->pdata);
}

/* Returns: (transfer full): @text read as JSON; a test failure if it is not */
JsonNode *
cp_test_parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}
