/* cp-cli.h — carepath-cli: shared context and command table
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cp-database.h"

G_BEGIN_DECLS

enum
{
  CP_CLI_EXIT_OK = 0,
  CP_CLI_EXIT_FAILURE = 1, /* the command ran and failed: message on stderr */
  CP_CLI_EXIT_USAGE = 2,   /* the command line was wrong: one-line hint */
};

typedef struct
{
  char *db_path;           /* --db, or the default database */
} CpCliContext;

typedef int (*CpCliCommandFunc) (CpCliContext *ctx,
                                 int           argc,
                                 char        **argv);

typedef struct
{
  const char       *name;
  const char       *synopsis;  /* arguments, after the command name */
  const char       *summary;   /* N_() marked */
  CpCliCommandFunc  run;
} CpCliCommand;

int  cp_cli_usage_error (const char *command,
                         const char *format,
                         ...) G_GNUC_PRINTF (2, 3);
int  cp_cli_failure     (const GError *error);
CpDatabase *cp_cli_open_database (CpCliContext  *ctx,
                                  gboolean       must_exist,
                                  GError       **error);
gboolean cp_cli_parse_options (const char    *command,
                               const char    *parameters,
                               GOptionEntry  *entries,
                               int           *argc,
                               char        ***argv,
                               int           *status);

G_END_DECLS
