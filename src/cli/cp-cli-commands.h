/* cp-cli-commands.h — the data commands of carepath-cli
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-cli-util.h"
#include "cp-lead-store.h"

G_BEGIN_DECLS

/* NULL-terminated; defined in cp-cli-data.c. */
extern const CpCliCommand cp_cli_data_commands[];
extern const CpCliCommand cp_cli_playbook_commands[];
extern const CpCliCommand cp_cli_sync_commands[];
extern const CpCliCommand cp_cli_import_commands[];
extern const CpCliCommand cp_cli_report_commands[];
extern const CpCliCommand cp_cli_lifecycle_commands[];
extern const CpCliCommand cp_cli_person_commands[];
extern const CpCliCommand cp_cli_activity_commands[];
extern const CpCliCommand cp_cli_task_commands[];

void cp_cli_print_outcome (const CpWriteOutcome *outcome);

G_END_DECLS
