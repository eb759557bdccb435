/* cp-cli.c — carepath-cli: global options and subcommand dispatch
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cp-cli-commands.h"
#include "cp-cli-util.h"
#include "cp-database.h"
#include "cp-paths.h"

static int cp_cli_help_command (CpCliContext *ctx, int argc, char **argv);

static const CpCliCommand builtin_commands[] = {
  { "help", N_("[COMMAND]"), N_("Show help for carepath-cli or one command"), cp_cli_help_command },
  { NULL, NULL, NULL, NULL }
};

/* Each table is NULL-terminated; later issues add theirs here. */
static const CpCliCommand * const command_tables[] = {
  cp_cli_data_commands,
  cp_cli_lifecycle_commands,
  cp_cli_playbook_commands,
  cp_cli_sync_commands,
  cp_cli_import_commands,
  cp_cli_activity_commands,
  cp_cli_task_commands,
  cp_cli_report_commands,
  cp_cli_person_commands,
  builtin_commands,
};

static const CpCliCommand *
cp_cli_find_command (const char *name)
{
  for (guint t = 0; t < G_N_ELEMENTS (command_tables); t++)
    for (const CpCliCommand *c = command_tables[t]; c->name != NULL; c++)
      if (g_strcmp0 (c->name, name) == 0)
        return c;

  return NULL;
}

static void
cp_cli_print_usage (FILE *out)
{
  fprintf (out, _("Usage: carepath-cli [--db PATH] COMMAND [ARGUMENTS…]\n"));
  fprintf (out, "\n%s\n\n", _("Work with a Carepath lead database from the command line."));
  fprintf (out, "%s\n", _("Global options:"));
  fprintf (out, "  --db PATH     %s\n", _("Use the database file PATH (default: the app’s own)"));
  fprintf (out, "  -h, --help    %s\n", _("Show this help and exit"));
  fprintf (out, "  --version     %s\n", _("Print the version and exit"));
  fprintf (out, "\n%s\n", _("Commands:"));
  for (guint t = 0; t < G_N_ELEMENTS (command_tables); t++)
    for (const CpCliCommand *c = command_tables[t]; c->name != NULL; c++)
      fprintf (out, "  %-11s %s\n", c->name, _(c->summary));
  fprintf (out, "\n%s\n",
           _("Exit status: 0 on success, 1 when a command fails, 2 on a usage error."));
}

static int
cp_cli_help_command (CpCliContext *ctx,
                     int           argc,
                     char        **argv)
{
  const CpCliCommand *command;

  if (argc < 2)
    {
      cp_cli_print_usage (stdout);
      return CP_CLI_EXIT_OK;
    }

  command = cp_cli_find_command (argv[1]);
  if (command == NULL)
    return cp_cli_usage_error ("help", _("unknown command “%s”"), argv[1]);

  printf (_("Usage: carepath-cli [--db PATH] %s %s\n"), command->name, _(command->synopsis));
  printf ("\n%s\n", _(command->summary));
  return CP_CLI_EXIT_OK;
}

int
main (int   argc,
      char *argv[])
{
  CpCliContext ctx = { NULL };
  const CpCliCommand *command;
  int i;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Global options stop at the first word that is not one: the command. */
  for (i = 1; i < argc && argv[i][0] == '-'; i++)
    {
      const char *arg = argv[i];

      if (strcmp (arg, "--help") == 0 || strcmp (arg, "-h") == 0)
        {
          cp_cli_print_usage (stdout);
          g_free (ctx.db_path);
          return CP_CLI_EXIT_OK;
        }
      else if (strcmp (arg, "--version") == 0)
        {
          printf ("carepath-cli %s\n", PACKAGE_VERSION);
          g_free (ctx.db_path);
          return CP_CLI_EXIT_OK;
        }
      else if (strcmp (arg, "--db") == 0 || g_str_has_prefix (arg, "--db="))
        {
          const char *value = arg[4] == '=' ? arg + 5 : (i + 1 < argc ? argv[++i] : NULL);

          if (value == NULL || *value == '\0')
            {
              g_free (ctx.db_path);
              return cp_cli_usage_error (NULL, _("--db needs a file path"));
            }
          g_free (ctx.db_path);
          ctx.db_path = g_strdup (value);
        }
      else
        {
          g_free (ctx.db_path);
          return cp_cli_usage_error (NULL, _("unknown option “%s”"), arg);
        }
    }

  if (i >= argc)
    {
      g_free (ctx.db_path);
      return cp_cli_usage_error (NULL, _("no command given"));
    }

  command = cp_cli_find_command (argv[i]);
  if (command == NULL)
    {
      int ret = cp_cli_usage_error (NULL, _("unknown command “%s”"), argv[i]);
      g_free (ctx.db_path);
      return ret;
    }

  if (ctx.db_path == NULL)
    ctx.db_path = cp_default_database_path ();

  status = command->run (&ctx, argc - i, argv + i);
  g_free (ctx.db_path);

  return status;
}
