/* cp-cli-util.h — carepath-cli: shared context and command table
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cp-database.h"
#include "cp-lead-store.h"

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
CpLeadStore *cp_cli_open_store (CpCliContext  *ctx,
                                gboolean       must_exist,
                                GError       **error);
char *cp_cli_actor             (void);
void  cp_cli_json_add_string   (JsonBuilder   *builder,
                                const char    *name,
                                const char    *value);
void  cp_cli_print_json        (JsonBuilder   *builder);
void  cp_cli_print_json_node   (JsonNode      *node);
gboolean cp_cli_parse_options (const char    *command,
                               const char    *parameters,
                               GOptionEntry  *entries,
                               int           *argc,
                               char        ***argv,
                               int           *status);
void     cp_cli_print_padded       (const char  *text,
                                    guint        width);
gboolean cp_cli_check_stage_filter (CpLeadStore *store,
                                    const char  *command,
                                    const char  *stage,
                                    int         *status);

G_END_DECLS
