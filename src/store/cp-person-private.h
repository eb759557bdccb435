/* cp-person-private.h — what the person export and erasure share inside src/store
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "cp-database-private.h"
#include "cp-lead-store.h"

G_BEGIN_DECLS

/* The parameters every statement below may use. */
#define P_ERASURE "?1"   /* the erasure's id */
#define P_NOW     "?2"
#define P_KEPT    "?3"   /* JSON array: audit field names whose values stay */
#define P_PERSON  "?4"   /* JSON array: the person's lead ids */
#define P_PARTNER "?5"   /* JSON array: leads merged with the person once, since unmerged */

#define PERSON_IDS  "(SELECT value FROM json_each (" P_PERSON "))"
#define PARTNER_IDS "(SELECT value FROM json_each (" P_PARTNER "))"
#define PERSONAL_FIELD "(field IS NULL OR field NOT IN (SELECT value FROM json_each (" P_KEPT ")))"

typedef struct
{
  gint64  erasure_id;
  gint64  now;
  char   *kept_json;
  char   *person_json;
  char   *partner_json;
} CpPersonBinds;

void        _cp_person_binds_clear     (CpPersonBinds *binds);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CpPersonBinds, _cp_person_binds_clear)

gboolean    _cp_person_field_is_kept   (CpLeadField    field);
gboolean    _cp_person_field_is_text   (CpLeadField    field);
char       *_cp_person_ids_json        (GPtrArray     *ids);
char       *_cp_person_kept_fields_json (void);
gboolean    _cp_person_run             (CpDatabase    *database,
                                        const char    *sql,
                                        const CpPersonBinds *binds,
                                        guint         *out_changes,
                                        GError       **error);
GPtrArray  *_cp_person_select_strings  (CpDatabase    *database,
                                        const char    *sql,
                                        const CpPersonBinds *binds,
                                        const char    *text,
                                        GError       **error);
gint64      _cp_person_select_count    (CpDatabase    *database,
                                        const char    *sql,
                                        const CpPersonBinds *binds,
                                        GError       **error);
GPtrArray  *_cp_person_scope           (CpDatabase    *database,
                                        const char    *lead_id,
                                        GError       **error);
gboolean    _cp_person_check_erasable  (CpDatabase    *database,
                                        const char    *lead_id,
                                        GError       **error);
gboolean    _cp_person_binds_init      (CpPersonBinds *binds,
                                        CpDatabase    *database,
                                        GPtrArray     *person,
                                        gint64         now,
                                        GError       **error);

G_END_DECLS
