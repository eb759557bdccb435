/* cp-person-erase.h — erasing a person: what is lost, and the erasure itself
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cp-lead-store.h"

G_BEGIN_DECLS

/* What an erasure would remove, for the confirmation. */
typedef struct
{
  char   *lead_id;
  char   *display_name;
  guint   n_leads;             /* the lead and the leads merged into it */
  guint   n_fields;            /* fields holding a value that is cleared */
  guint   n_custom_fields;
  guint   n_activities;
  guint   n_history;           /* audit entries and stage events */
  guint   n_merges;            /* merges the person took part in */
  guint   n_sync_records;      /* quarantined CRM records, unsent changes, open conflicts */
  GStrv   crm_backends;        /* one per linked CRM contact: "hubspot", "espocrm" */
  guint   n_backups;           /* migration backups of the database, deleted */
} CpErasurePreview;

void cp_erasure_preview_free (CpErasurePreview *preview);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpErasurePreview, cp_erasure_preview_free)

/* What an erasure did. */
typedef struct
{
  gint64   erasure_id;         /* its row in the erasure log */
  guint    n_leads;
  guint    n_crm_deletes;      /* GDPR deletes queued for the sync engine */
  guint    n_backups_removed;
  gboolean wal_emptied;        /* FALSE: another connection kept the write-ahead log open */
} CpErasureResult;

CpErasurePreview *cp_person_erase_preview (CpLeadStore      *store,
                                           const char       *lead_id,
                                           GError          **error);
gboolean          cp_person_erase         (CpLeadStore      *store,
                                           const char       *lead_id,
                                           const char       *actor,
                                           const char       *reason,
                                           CpErasureResult  *out_result,
                                           GError          **error);
void              cp_person_erase_async   (const char          *database_path,
                                           const char          *lead_id,
                                           const char          *actor,
                                           const char          *reason,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean          cp_person_erase_finish  (GAsyncResult     *result,
                                           CpErasureResult  *out_result,
                                           GError          **error);
GPtrArray        *cp_person_list_backups  (CpDatabase       *database);

G_END_DECLS
