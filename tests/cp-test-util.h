/* cp-test-util.h — what many tests need: temporary folders and databases
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-database.h"
#include "cp-lead-store.h"

G_BEGIN_DECLS

char       *cp_test_make_tmp_dir  (void);
void        cp_test_remove_tree   (const char *path);
CpDatabase *cp_test_open_database (const char *dir);
char       *cp_test_create_lead   (CpLeadStore *store,
                                   CpLeadField  first_field,
                                   ...);
gint64      cp_test_sql_int       (CpDatabase  *database,
                                   const char  *sql,
                                   const char  *text);
gint64      cp_test_count_rows    (CpDatabase  *database,
                                   const char  *table);
void        cp_test_publish_open_playbook (CpDatabase *database);
void        cp_test_store_value   (CpDatabase  *database,
                                   const char  *lead_id,
                                   const char  *column,
                                   const char  *value);
void        cp_test_store_int     (CpDatabase  *database,
                                   const char  *lead_id,
                                   const char  *column,
                                   gint64       value);

G_END_DECLS
