/* cp-lead-store-private.h — bulk paths of the lead store for importers and generators
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "cp-database.h"
#include "cp-lead-store.h"

G_BEGIN_DECLS

struct _CpLeadStore
{
  GObject      parent_instance;

  CpDatabase  *database;
  char        *default_region;
  gint64     (*now_func) (void);
  guint        watch_id;
  gint64       data_version;
  GArray      *pending;        /* PendingChange, held until the caller commits */
  gulong       finished_id;
};

/* Helpers shared by cp-lead-store*.c */
CpLead  *_cp_lead_from_row            (sqlite3_stmt  *stmt);
CpLead  *_cp_lead_store_load          (CpLeadStore   *self,
                                       const char    *id,
                                       gint64        *out_deleted_at,
                                       GError       **error);
gboolean _cp_lead_store_write_audit   (CpLeadStore   *self,
                                       const char    *entity_id,
                                       const char    *action,
                                       const char    *field,
                                       const char    *old_value,
                                       const char    *new_value,
                                       const char    *actor,
                                       gint64         time,
                                       const char    *reason,
                                       GError       **error);
gboolean _cp_lead_store_update_row    (CpLeadStore   *self,
                                       CpLead        *before,
                                       CpLead        *lead,
                                       const char    *action,
                                       const char    *actor,
                                       const char    *reason,
                                       gint64         now,
                                       gboolean      *out_changed,
                                       GError       **error);
void     _cp_lead_store_emit_changed  (CpLeadStore   *self,
                                       const char    *lead_id,
                                       CpLeadChange   change);
gboolean _cp_lead_store_prepare       (CpLeadStore   *self,
                                       CpLead        *lead,
                                       GError       **error);
void     _cp_lead_store_not_found     (GError       **error,
                                       const char    *id);
gint64   _cp_lead_store_default_now   (void);

/* Inserts a complete lead with its past: @stage_history (CpStageEvent, may
 * be NULL: then one “Created” event) and @activities (CpActivity, may be
 * NULL). Must run inside a transaction; emits no signal. */
gboolean _cp_lead_store_insert_with_history (CpLeadStore  *self,
                                             CpLead       *lead,
                                             GPtrArray    *stage_history,
                                             GPtrArray    *activities,
                                             const char   *actor,
                                             GError      **error);

G_END_DECLS
