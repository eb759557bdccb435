/* cp-playbook-store.h — published playbook versions and the router's state in the database
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-database.h"
#include "cp-playbook.h"
#include "cp-router.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  id;             /* 0: the built-in default playbook */
  char   *status;         /* "published" or "draft" */
  char   *author;
  char   *reason;
  gint64  effective_at;
  gint64  created_at;
} CpPlaybookVersion;

void        cp_playbook_version_free       (CpPlaybookVersion  *version);

gint64      cp_playbook_store_publish      (CpDatabase         *database,
                                            CpPlaybook         *playbook,
                                            const char         *author,
                                            const char         *reason,
                                            gint64              effective_at,
                                            gint64              now,
                                            GError            **error);
gboolean    cp_playbook_store_save_draft   (CpDatabase         *database,
                                            CpPlaybook         *playbook,
                                            gint64              base_version,
                                            const char         *author,
                                            gint64              now,
                                            GError            **error);
CpPlaybook *cp_playbook_store_load_draft   (CpDatabase         *database,
                                            CpPlaybookVersion **out_version,
                                            gint64             *out_base_version,
                                            GError            **error);
gboolean    cp_playbook_store_discard_draft (CpDatabase        *database,
                                            GError            **error);
gint64      cp_playbook_store_publish_draft (CpDatabase        *database,
                                            const char         *author,
                                            const char         *reason,
                                            gint64              effective_at,
                                            gint64              now,
                                            GError            **error);
GPtrArray  *cp_playbook_store_list         (CpDatabase         *database,
                                            GError            **error);
CpPlaybook *cp_playbook_store_get          (CpDatabase         *database,
                                            gint64              id,
                                            CpPlaybookVersion **out_version,
                                            GError            **error);
CpPlaybook *cp_playbook_store_load_active  (CpDatabase         *database,
                                            gint64              now,
                                            CpPlaybookVersion **out_version,
                                            GError            **error);
GPtrArray  *cp_playbook_store_diff         (CpDatabase         *database,
                                            gint64              from_id,
                                            gint64              to_id,
                                            GError            **error);
gboolean    cp_playbook_store_load_router_state (CpDatabase    *database,
                                                 CpRouterState *state,
                                                 GError       **error);
gboolean    cp_playbook_store_save_router_state (CpDatabase    *database,
                                                 CpRouterState *state,
                                                 GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpPlaybookVersion, cp_playbook_version_free)

G_END_DECLS
