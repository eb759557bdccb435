/* cp-cli-commands.h — the data commands of carepath-cli
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-cli.h"

G_BEGIN_DECLS

/* Entries spliced into the command table of cp-cli.c. The data commands
 * (generate, add, list, show, …) arrive with the local store. */
#define CP_CLI_DATA_COMMANDS

G_END_DECLS
