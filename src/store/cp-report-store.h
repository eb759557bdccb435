/* cp-report-store.h — fill a report snapshot from the database, and keep
 * it current
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cp-database.h"
#include "cp-playbook.h"
#include "cp-report-data.h"

G_BEGIN_DECLS

/* Loads the leads and stage events into an empty @data, or brings a
 * loaded one up to date by reading only what changed since: leads changed
 * or removed, and stage events recorded since. @playbook says which fields
 * each stage requires (for the data-quality report). */
gboolean cp_report_store_update (CpDatabase       *database,
                                 CpReportData     *data,
                                 const CpPlaybook *playbook,
                                 GCancellable     *cancellable,
                                 GError          **error);

/* The snapshot kept in a file beside the database ("<database>.reports",
 * private to the user), so a new process need not read every lead again.
 * Load fills an empty @data and fails (leaving it empty) when there is no
 * usable file: none, cut short, damaged, of another format, or saved from
 * another database file, schema or playbook. A loaded snapshot is only
 * trusted after cp_report_store_update() checked it against the database
 * and read what changed since. Save replaces the file atomically. */
gboolean cp_report_store_load_snapshot (CpDatabase       *database,
                                        CpReportData     *data,
                                        const CpPlaybook *playbook,
                                        GError          **error);
gboolean cp_report_store_save_snapshot (CpDatabase       *database,
                                        CpReportData     *data,
                                        const CpPlaybook *playbook,
                                        GError          **error);

void cp_report_store_forget_snapshot (CpDatabase *database);

G_END_DECLS
