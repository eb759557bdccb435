/* cp-lead-store-private.h — bulk paths of the lead store for importers and generators
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-router.h"

#include <sqlite3.h>

#include "cp-database.h"
#include "cp-lead-store.h"
#include "cp-lifecycle.h"

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
  CpLifecycle *lifecycle;      /* the playbook in effect, as last checked */
  guint64      lifecycle_serial;
  CpRouterState *router;       /* round-robin positions as stored, in the open transaction */
  guint64      router_serial;
};

/* How a write runs (see cp-lead-write.c). */
typedef enum
{
  CP_WRITE_MOVE          = 1 << 0,  /* the stage may change: reason and the playbook's check */
  CP_WRITE_FROM_CRM      = 1 << 1,  /* the CRM's change: not sent back to it */
  CP_WRITE_NO_AUTOMATION = 1 << 2,  /* a lead created with its past comes as it was */
  CP_WRITE_BULK          = 1 << 3,  /* no signal per lead: the caller announces a bulk change */
  CP_WRITE_BY_PLAYBOOK   = 1 << 4,  /* a move automation makes (its chain goes on) */
  CP_WRITE_BATCH         = 1 << 5,  /* one of many new leads (an import, the generator): the
                                     * next sync journals them all at once, not one by one */
} CpWriteFlags;

typedef struct
{
  const char   *action;          /* audit action of the caller's change: "update", "move", … */
  const char   *actor;
  const char   *reason;          /* (nullable) but for moves */
  gint64        now;
  CpWriteFlags  flags;
  const char   *expected_stage;  /* (nullable) refuse when the lead is no longer there */
  const char   *activity_id;     /* (nullable) the activity the write records: a first response
                                  * it makes completes the lead's response task with it */
} CpWriteRequest;

static inline CpWriteRequest
_cp_write_request (const char   *action,
                   const char   *actor,
                   const char   *reason,
                   gint64        now,
                   CpWriteFlags  flags)
{
  CpWriteRequest request = { action, actor, reason, now, flags, NULL };

  return request;
}

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
gboolean _cp_lead_store_write_entity_audit (CpLeadStore *self,
                                            const char  *entity,
                                            const char  *entity_id,
                                            const char  *action,
                                            const char  *field,
                                            const char  *old_value,
                                            const char  *new_value,
                                            const char  *actor,
                                            gint64       time,
                                            const char  *reason,
                                            GError     **error);
gboolean _cp_lead_store_commit_or_roll_back (CpLeadStore *self,
                                             gboolean     ok,
                                             GError     **error);
CpLifecycle *_cp_lead_store_lifecycle (CpLeadStore  *self,
                                       gint64        now,
                                       GError      **error);
gboolean _cp_lead_store_write_edit    (CpLeadStore          *self,
                                       CpLead               *edit,
                                       const CpWriteRequest *request,
                                       CpWriteOutcome       *outcome,
                                       CpLead              **out_stored,
                                       GError              **error);
gboolean _cp_lead_store_write_new     (CpLeadStore          *self,
                                       CpLead               *lead,
                                       GPtrArray            *history,
                                       GPtrArray            *activities,
                                       const CpWriteRequest *request,
                                       CpWriteOutcome       *outcome,
                                       GError              **error);
gboolean _cp_lead_store_write_activity (CpLeadStore          *self,
                                        CpActivity           *activity,
                                        const CpWriteRequest *request,
                                        CpWriteOutcome       *outcome,
                                        GError              **error);
gboolean _cp_lead_store_write_inactivity (CpLeadStore          *self,
                                          const char           *id,
                                          const CpWriteRequest *request,
                                          CpWriteOutcome       *outcome,
                                          gboolean             *out_moved,
                                          GError              **error);
gboolean _cp_lead_store_insert_activity (CpLeadStore  *self,
                                         CpActivity   *activity,
                                         GError      **error);
CpMoveCheck *_cp_lead_store_check_move (CpLeadStore  *self,
                                        const char   *id,
                                        const char   *to_stage,
                                        gint64        now,
                                        GError      **error);
/* A change of a lead's tasks, announced as CpLeadStore::tasks-changed. */
#define _CP_LEAD_CHANGE_TASKS ((CpLeadChange) 100)
void     _cp_lead_store_emit_changed  (CpLeadStore   *self,
                                       const char    *lead_id,
                                       CpLeadChange   change);
gboolean _cp_lead_store_prepare       (CpLeadStore   *self,
                                       CpLead        *lead,
                                       GError       **error);
void     _cp_lead_store_not_found     (GError       **error,
                                       const char    *id);
gint64   _cp_lead_store_default_now   (void);
char    *_cp_lead_store_merged_into   (CpLeadStore   *store,
                                       const char    *id,
                                       GError       **error);
gboolean _cp_lead_store_flag_duplicate_within (CpLeadStore  *self,
                                               const char   *id,
                                               const char   *duplicate_of,
                                               const char   *actor,
                                               GError      **error);

/* cp-lead-dup-names.c: the similar-name search, bounded per lookup */
#define CP_DUP_NAME_NEIGHBOURS 32   /* index entries read each way from the name */
#define CP_DUP_NAME_CANDIDATES 10   /* leads returned, the closest names first */
gboolean _cp_lead_store_similar_names (CpLeadStore   *self,
                                       const char    *name,
                                       const char    *location_key,
                                       const char    *own_id,
                                       guint          max,
                                       GPtrArray     *ids,
                                       GError       **error);
GPtrArray *_cp_lead_store_find_duplicates_up_to (CpLeadStore  *self,
                                                 CpLead       *lead,
                                                 guint         max_names,
                                                 GError      **error);

G_END_DECLS
