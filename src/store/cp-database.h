/* cp-database.h — one SQLite connection: open, migrate, statements, transactions
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cp-store-error.h"

G_BEGIN_DECLS

#define CP_TYPE_DATABASE (cp_database_get_type ())

G_DECLARE_FINAL_TYPE (CpDatabase, cp_database, CP, DATABASE, GObject)

CpDatabase *cp_database_open            (const char  *path,
                                         GError     **error);
CpDatabase *cp_database_open_readonly   (const char  *path,
                                         GError     **error);
gboolean    cp_database_is_read_only    (CpDatabase  *self);
const char *cp_database_get_path        (CpDatabase  *self);
int         cp_database_get_schema_version (CpDatabase *self);
int         cp_database_get_latest_schema_version (void);
const char *cp_database_get_backup_path (CpDatabase  *self);

gboolean    cp_database_begin           (CpDatabase  *self,
                                         GError     **error);
gboolean    cp_database_commit          (CpDatabase  *self,
                                         GError     **error);
void        cp_database_rollback        (CpDatabase  *self);
gboolean    cp_database_in_transaction  (CpDatabase  *self);

gint64      cp_database_get_data_version (CpDatabase *self);
void        cp_database_set_bulk_writes (CpDatabase  *self,
                                         gboolean     bulk);
gboolean    cp_database_update_statistics (CpDatabase *self,
                                           GError    **error);
GPtrArray  *cp_database_check_repairable (CpDatabase *self,
                                          guint      *out_repairable,
                                          GError    **error);
gboolean    cp_database_repair          (CpDatabase  *self,
                                         GError     **error);
gboolean    cp_database_save_copy       (CpDatabase  *self,
                                         const char  *dest,
                                         GError     **error);
gboolean    cp_database_restore_backup  (const char  *path,
                                         const char  *backup_path,
                                         char       **out_set_aside,
                                         GError     **error);

char       *cp_database_get_setting     (CpDatabase  *self,
                                         const char  *key);
gboolean    cp_database_set_setting     (CpDatabase  *self,
                                         const char  *key,
                                         const char  *value,
                                         GError     **error);

G_END_DECLS
