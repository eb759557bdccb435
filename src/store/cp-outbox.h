/* cp-outbox.h — the journal of local changes waiting to be sent to the CRM
 *
 * Below both the lead store (which journals every local edit) and the sync
 * store (which sends and clears the journal): neither calls the other for it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-database.h"

G_BEGIN_DECLS

/* Journals a local change of @lead_id ("create", "update", "delete") with
 * the remote updatedAt it was made on. Runs inside the caller's transaction,
 * so the edit and its outbox entry commit or roll back together. */
gboolean _cp_sync_outbox_enqueue (CpDatabase  *database,
                                  const char  *lead_id,
                                  const char  *op,
                                  const char  *fields,
                                  gint64       now,
                                  GError     **error);

G_END_DECLS
