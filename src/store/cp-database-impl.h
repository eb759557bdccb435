/* cp-database-impl.h — the connection object itself, shared by the cp-database*.c files only
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-database-private.h"

G_BEGIN_DECLS

struct _CpDatabase
{
  GObject        parent_instance;

  sqlite3       *handle;
  char          *path;
  char          *backup_path;
  sqlite3_stmt  *statements[CP_N_STATEMENTS];
  GHashTable    *built;                /* SQL text → statement (_cp_database_built_statement) */
  guint          transaction_depth;
  guint64        transaction_serial;   /* counts top-level transactions */
  int            schema_version;
  gboolean       readonly;
};

int   _cp_database_read_pragma_int      (CpDatabase *self,
                                         const char *pragma);
void  _cp_database_transaction_finished (CpDatabase *self,
                                         gboolean    committed);

G_END_DECLS
