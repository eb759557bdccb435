/* test-cli.c — carepath-cli: usage, exit codes, messages
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>

static const char *cli_path;

typedef struct
{
  int   status;
  char *out;
  char *err;
} CliResult;

static void
cli_result_clear (CliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

static void
run_cli (CliResult  *result,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (args, (char *) cli_path);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  proc = g_subprocess_newv ((const char * const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  result->status = g_subprocess_get_exit_status (proc);
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++)
    if (*p == '\n')
      n++;

  return n;
}

static void
test_cli_help (void)
{
  g_auto(CliResult) r = { 0 };

  run_cli (&r, "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "Usage: carepath-cli [--db PATH] COMMAND"));
  g_assert_nonnull (strstr (r.out, "--db PATH"));
  g_assert_nonnull (strstr (r.out, "help [COMMAND]"));
  g_assert_cmpstr (r.err, ==, "");
}

static void
test_cli_help_command (void)
{
  g_auto(CliResult) r1 = { 0 };
  g_auto(CliResult) r2 = { 0 };

  run_cli (&r1, "help", "help", NULL);
  g_assert_cmpint (r1.status, ==, 0);
  g_assert_true (g_str_has_prefix (r1.out, "Usage: carepath-cli [--db PATH] help [COMMAND]"));

  run_cli (&r2, "help", "frobnicate", NULL);
  g_assert_cmpint (r2.status, ==, 2);
  g_assert_nonnull (strstr (r2.err, "unknown command “frobnicate”"));
  g_assert_cmpuint (count_lines (r2.err), ==, 1);
}

static void
test_cli_version (void)
{
  g_auto(CliResult) r = { 0 };

  run_cli (&r, "--version", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "carepath-cli " PACKAGE_VERSION "\n");
}

static void
test_cli_no_command (void)
{
  g_auto(CliResult) r = { 0 };

  run_cli (&r, NULL, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpstr (r.err, ==, "carepath-cli: no command given (try “carepath-cli --help”)\n");
}

static void
test_cli_unknown_command (void)
{
  g_auto(CliResult) r = { 0 };

  run_cli (&r, "frobnicate", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpuint (count_lines (r.err), ==, 1);
  g_assert_nonnull (strstr (r.err, "unknown command “frobnicate”"));
}

static void
test_cli_unknown_option (void)
{
  g_auto(CliResult) r = { 0 };

  run_cli (&r, "--frobnicate", "help", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "unknown option “--frobnicate”"));
  g_assert_cmpuint (count_lines (r.err), ==, 1);
}

static void
test_cli_db_needs_value (void)
{
  g_auto(CliResult) r1 = { 0 };
  g_auto(CliResult) r2 = { 0 };
  g_auto(CliResult) r3 = { 0 };

  run_cli (&r1, "--db", NULL);
  g_assert_cmpint (r1.status, ==, 2);
  g_assert_nonnull (strstr (r1.err, "--db needs a file path"));

  run_cli (&r2, "--db=", "help", NULL);
  g_assert_cmpint (r2.status, ==, 2);

  /* A valid --db is accepted before the command. */
  run_cli (&r3, "--db", "/tmp/does-not-matter.db", "help", NULL);
  g_assert_cmpint (r3.status, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (argc < 2)
    {
      g_printerr ("usage: test-cli PATH-TO-carepath-cli\n");
      return 1;
    }
  cli_path = argv[1];

  g_test_add_func ("/cli/help", test_cli_help);
  g_test_add_func ("/cli/help-command", test_cli_help_command);
  g_test_add_func ("/cli/version", test_cli_version);
  g_test_add_func ("/cli/usage/no-command", test_cli_no_command);
  g_test_add_func ("/cli/usage/unknown-command", test_cli_unknown_command);
  g_test_add_func ("/cli/usage/unknown-option", test_cli_unknown_option);
  g_test_add_func ("/cli/usage/db-needs-value", test_cli_db_needs_value);

  return g_test_run ();
}
