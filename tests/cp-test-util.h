/* cp-test-util.h — what many tests need: temporary folders, databases, a store
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-database.h"
#include <sqlite3.h>

#include "cp-lead-store.h"

G_BEGIN_DECLS

char       *cp_test_make_tmp_dir  (void);
void        cp_test_remove_tree   (const char *path);
CpDatabase *cp_test_open_database (const char *dir);
char       *cp_test_create_lead   (CpLeadStore *store,
                                   CpLeadField  first_field,
                                   ...);
void        cp_test_tmp_store_open  (char        **dir,
                                     CpDatabase  **database,
                                     CpLeadStore **store);
void        cp_test_tmp_store_close (char        **dir,
                                     CpDatabase  **database,
                                     CpLeadStore **store);
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

/* The store tests' clock: a fixed time, moved by hand. */
/* 2023-11-14T22:13:20Z: every store test starts its clock here. */
#define CP_TEST_T0   G_GINT64_CONSTANT (1700000000)
#define CP_TEST_HOUR 3600

extern gint64 cp_test_now;
gint64        cp_test_clock (void);

typedef struct
{
  char *dir;
  char *path; /* dir/leads.db, not created */
} CpTestDir;

CpTestDir *cp_test_dir_new       (void);
void       cp_test_dir_free      (CpTestDir     *tmp);
/* The same as a test fixture (g_test_add() with CpTestDir). */
void       cp_test_dir_set_up    (CpTestDir     *tmp,
                                  gconstpointer  data);
void       cp_test_dir_tear_down (CpTestDir     *tmp,
                                  gconstpointer  data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpTestDir, cp_test_dir_free)

CpDatabase  *cp_test_open_database_file (const char *path);
CpLeadStore *cp_test_open_store (const char *path);

/* Plain SQLite, for what the store itself must not do. */
sqlite3 *cp_test_store_handle (CpLeadStore *store);
gint64   cp_test_sqlite_int (sqlite3 *handle, const char *sql, const char *text);
void     cp_test_sqlite_exec (sqlite3 *handle, const char *sql);
sqlite3 *cp_test_sqlite_open (const char *path);
gboolean cp_test_file_uses_log (const char *path);
gint64   cp_test_audit_rows (CpLeadStore *store, const char *lead_id, const char *action);
gint64   cp_test_stage_event_rows (CpLeadStore *store, const char *lead_id);
gint64   cp_test_store_rows (CpLeadStore *store, const char *table);
guint    cp_test_file_mode (const char *path);
guint    cp_test_count_backups (const char *dir);

CpLead *cp_test_lead_new (const char *first, const char *last);
char   *cp_test_add_lead (CpLeadStore *store, CpLead *lead);
char   *cp_test_add_named (CpLeadStore *store, const char *first, const char *last);
CpLead *cp_test_get_lead (CpLeadStore *store, const char *id);

guint      cp_test_count_leads (CpLeadStore *store, const CpLeadQuery *query);
GPtrArray *cp_test_query_leads (CpLeadStore       *store,
                                const CpLeadQuery *query,
                                guint              offset,
                                guint              limit);

int   cp_test_compare_strings (gconstpointer a, gconstpointer b);
char *cp_test_search_ids (CpLeadStore *store, const char *search);
char *cp_test_id_set (const char *first, ...) G_GNUC_NULL_TERMINATED;
gint64 cp_test_erased_at (CpLeadStore *store, const char *lead_id);
char *cp_test_export_csv (CpLeadStore *store, const char *const *ids, GError **error);

void     cp_test_assert_lead_gone (CpLeadStore *store, const char *id);
void     cp_test_assert_database_sound (CpDatabase *database);
gboolean cp_test_custom_fields_equal (CpLead *a, CpLead *b);
void     cp_test_assert_leads_equal (CpLead *expected, CpLead *actual, const CpLeadField *skip);

CpStageSummary *cp_test_find_summary (GPtrArray *summaries, const char *stage);
CpStageSummary *cp_test_require_summary (GPtrArray *summaries, const char *stage);

/* Records the store's ::changed emissions (cp_test_store_changed_cb()
 * appends to a GPtrArray of them, freed with cp_test_change_free()). */
typedef struct
{
  char        *lead_id;
  CpLeadChange change;
} CpTestChange;

void cp_test_change_free (CpTestChange *change);
void cp_test_store_changed_cb (CpLeadStore *store,
                               const char  *lead_id,
                               guint        change,
                               gpointer     user_data);
void cp_test_assert_change (GPtrArray   *changes,
                            guint        index,
                            const char  *lead_id,
                            CpLeadChange change);

/* A rescore's tier change on @lead_id: its stored tier made stale (in
 * SQL), then every lead rescored with the default playbook at @now by
 * actor "test-rescore". Returns the stale tier (a static string), which
 * the rescore's change has as its old value. */
const char *cp_test_rescore_stale_tier (CpDatabase *database,
                                        const char *lead_id,
                                        gint64      now);

G_END_DECLS
