/* cp-sync-record.h — a CRM record kept because it could not be applied, as people read it
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-database.h"
#include "cp-sync-store.h"

G_BEGIN_DECLS

/* One property of a CRM record that was not applied, as people read it. */
typedef struct
{
  char *label;          /* the Carepath field's label, else the CRM property's name */
  char *value;
} CpSyncRecordField;

void       cp_sync_record_field_free  (CpSyncRecordField  *field);

char      *cp_sync_record_dup_title   (CpDatabase         *database,
                                       const char         *backend,
                                       const CpSyncReject *reject);
GPtrArray *cp_sync_record_list_fields (CpDatabase         *database,
                                       const char         *backend,
                                       const CpSyncReject *reject);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpSyncRecordField, cp_sync_record_field_free)

G_END_DECLS
