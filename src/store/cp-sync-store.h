/* cp-sync-store.h — CRM sync state in the database: outbox, links, cursors, conflicts, runs
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cp-lead-store.h"

G_BEGIN_DECLS

/* What one lead looked like on the CRM when both sides last agreed. */
typedef struct
{
  char       *lead_id;
  char       *remote_id;
  char       *remote_updated_at;
  GHashTable *base;            /* CRM property → non-empty value */
  gint64      remote_deleted_at;
} CpSyncLink;

void cp_sync_link_free (CpSyncLink *link);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpSyncLink, cp_sync_link_free)

/* A lead with local changes the CRM has not confirmed yet. */
typedef struct
{
  char   *lead_id;
  gint64  last_outbox_id;      /* confirming removes this entry and older ones */
  guint   attempts;
} CpSyncPending;

void cp_sync_pending_free (CpSyncPending *pending);

/* A field changed on both sides since they last agreed. Values are
 * Carepath values (stage ids, not CRM stage values). */
typedef struct
{
  gint64  id;
  char   *lead_id;
  char   *display_name;
  char   *field;               /* canonical field name, e.g. "phone" */
  char   *base_value;
  char   *local_value;
  char   *remote_value;
  gint64  created_at;
} CpSyncConflict;

void cp_sync_conflict_free (CpSyncConflict *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpSyncConflict, cp_sync_conflict_free)

typedef enum
{
  CP_SYNC_KEEP_MINE,
  CP_SYNC_KEEP_THEIRS,
  CP_SYNC_KEEP_EDITED,   /* a value the user typed (cp_sync_store_resolve_conflict_with_value()) */
} CpSyncResolution;

typedef struct
{
  guint pulled;                /* remote records applied locally */
  guint pushed;                /* local changes the CRM confirmed */
  guint deleted;               /* remote deletions turned into tombstones */
  guint conflicts;             /* new field conflicts */
  guint errors;                /* records or changes that failed */
  guint quarantined;           /* records kept because they could not be applied */
  guint erased;                /* contacts deleted for good in the CRM (erasures) */
  guint recovered;             /* kept records applied at last */
  guint activities;            /* engagements recorded as activities (new ones only) */
  gboolean pull_failed;        /* the pull stopped (the push still ran) */
  gboolean push_failed;
} CpSyncStats;

/* A CRM record that could not be applied, kept as it came. */
typedef struct
{
  gint64  id;
  char   *backend;
  char   *entity;              /* CP_SYNC_ENTITY_CONTACT, or the CRM's engagement type */
  char   *remote_id;
  char   *remote_updated_at;
  char   *payload;             /* the CRM's properties, as JSON */
  char   *reason;              /* why, in words */
  guint   attempts;
  gint64  first_seen_at;
  gint64  last_tried_at;
} CpSyncReject;

void cp_sync_reject_free (CpSyncReject *reject);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpSyncReject, cp_sync_reject_free)

/* A lead whose changes the CRM refused at the last attempt. */
typedef struct
{
  char   *lead_id;
  char   *display_name;
  char   *message;             /* the CRM's own */
  guint   attempts;
} CpSyncFailure;

void cp_sync_failure_free (CpSyncFailure *failure);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpSyncFailure, cp_sync_failure_free)

/* A CRM contact to delete for good: its person was erased here. */
typedef struct
{
  gint64  outbox_id;
  char   *lead_id;
  char   *remote_id;
  guint   attempts;
} CpSyncErasure;

void cp_sync_erasure_free (CpSyncErasure *erasure);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpSyncErasure, cp_sync_erasure_free)

typedef struct
{
  guint   pending;             /* leads with unconfirmed local changes */
  guint   conflicts;           /* open conflicts */
  guint   rejects;             /* CRM records waiting to be applied */
  guint   push_failures;       /* leads whose changes the CRM refused last time */
  gint64  last_success_at;     /* 0 = never */
  gint64  last_run_at;
  char   *last_error;          /* of the latest run, NULL if it succeeded */
  char   *last_correlation_id;
  GHashTable *cursors;         /* stream → cursor */
} CpSyncStatus;

void cp_sync_status_free (CpSyncStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpSyncStatus, cp_sync_status_free)

#define CP_SYNC_ACTOR "sync"

/* What a kept CRM record is, when it is not an engagement. */
#define CP_SYNC_ENTITY_CONTACT "contact"

#define CP_TYPE_SYNC_STORE (cp_sync_store_get_type ())

G_DECLARE_FINAL_TYPE (CpSyncStore, cp_sync_store, CP, SYNC_STORE, GObject)

CpSyncStore *cp_sync_store_new                (CpLeadStore       *leads,
                                               const char        *backend);
CpLeadStore *cp_sync_store_get_lead_store     (CpSyncStore       *self);
CpDatabase  *cp_sync_store_get_database       (CpSyncStore       *self);
const char  *cp_sync_store_get_backend        (CpSyncStore       *self);
guint64      cp_sync_store_changes            (CpSyncStore       *self);

char        *cp_sync_store_get_cursor         (CpSyncStore       *self,
                                               const char        *stream);
gboolean     cp_sync_store_set_cursor         (CpSyncStore       *self,
                                               const char        *stream,
                                               const char        *cursor,
                                               GError           **error);

CpSyncLink  *cp_sync_store_get_link           (CpSyncStore       *self,
                                               const char        *lead_id,
                                               GError           **error);
char        *cp_sync_store_find_lead          (CpSyncStore       *self,
                                               const char        *remote_id,
                                               GError           **error);
gboolean     cp_sync_store_set_link           (CpSyncStore       *self,
                                               const char        *lead_id,
                                               const char        *remote_id,
                                               const char        *remote_updated_at,
                                               GHashTable        *base,
                                               GError           **error);
GHashTable  *cp_sync_store_linked_remote_ids  (CpSyncStore       *self,
                                               GError           **error);

CpLead      *cp_sync_store_load_lead          (CpSyncStore       *self,
                                               const char        *lead_id,
                                               gint64            *out_deleted_at,
                                               GError           **error);
gboolean     cp_sync_store_insert_remote_lead (CpSyncStore       *self,
                                               CpLead            *lead,
                                               GError           **error);
gboolean     cp_sync_store_apply_remote_edit  (CpSyncStore       *self,
                                               CpLead            *before,
                                               CpLead            *after,
                                               GError           **error);
char        *cp_sync_store_merged_into        (CpSyncStore       *self,
                                               const char        *lead_id,
                                               GError           **error);
gboolean     cp_sync_store_carry_remote_edit  (CpSyncStore       *self,
                                               CpLead            *after,
                                               const char        *merged_lead_id,
                                               GError           **error);
gboolean     cp_sync_store_restore_remote     (CpSyncStore       *self,
                                               const char        *lead_id,
                                               GError           **error);
gboolean     cp_sync_store_tombstone_remote   (CpSyncStore       *self,
                                               const char        *lead_id,
                                               GError           **error);

gboolean     cp_sync_store_add_conflict       (CpSyncStore       *self,
                                               const char        *lead_id,
                                               const char        *field,
                                               const char        *base_value,
                                               const char        *local_value,
                                               const char        *remote_value,
                                               const char        *remote_updated_at,
                                               gboolean          *out_new,
                                               GError           **error);
GHashTable  *cp_sync_store_open_conflict_fields (CpSyncStore     *self,
                                                 const char      *lead_id,
                                                 GError         **error);
GPtrArray   *cp_sync_store_list_conflicts     (CpSyncStore       *self,
                                               GError           **error);
gboolean     cp_sync_store_resolve_conflict   (CpSyncStore       *self,
                                               gint64             conflict_id,
                                               CpSyncResolution   resolution,
                                               GError           **error);
gboolean     cp_sync_store_resolve_conflict_with_value (CpSyncStore *self,
                                                        gint64       conflict_id,
                                                        const char  *value,
                                                        const char  *actor,
                                                        GError     **error);

guint        cp_sync_store_enqueue_unlinked   (CpSyncStore       *self,
                                               GError           **error);
GPtrArray   *cp_sync_store_list_pending       (CpSyncStore       *self,
                                               GError           **error);
gboolean     cp_sync_store_confirm            (CpSyncStore       *self,
                                               const char        *lead_id,
                                               gint64             last_outbox_id,
                                               GError           **error);
gboolean     cp_sync_store_record_failure     (CpSyncStore       *self,
                                               const char        *lead_id,
                                               gint64             last_outbox_id,
                                               const char        *message,
                                               GError           **error);

gint64       cp_sync_store_begin_run          (CpSyncStore       *self,
                                               GError           **error);
gboolean     cp_sync_store_finish_run         (CpSyncStore       *self,
                                               gint64             run_id,
                                               const CpSyncStats *stats,
                                               const GError      *failure,
                                               const char        *correlation_id,
                                               GError           **error);
gboolean     cp_sync_store_quarantine         (CpSyncStore       *self,
                                               const char        *remote_id,
                                               const char        *remote_updated_at,
                                               const char        *payload,
                                               const char        *reason,
                                               gint64             now,
                                               GError           **error);
gboolean     cp_sync_store_resolve_reject     (CpSyncStore       *self,
                                               const char        *remote_id,
                                               gint64             now,
                                               GError           **error);
gboolean     cp_sync_store_keep_record        (CpSyncStore       *self,
                                               const char        *entity,
                                               const char        *remote_id,
                                               const char        *remote_updated_at,
                                               const char        *payload,
                                               const char        *reason,
                                               gint64             now,
                                               GError           **error);
gboolean     cp_sync_store_resolve_record     (CpSyncStore       *self,
                                               const char        *entity,
                                               const char        *remote_id,
                                               gint64             now,
                                               GError           **error);
gboolean     cp_sync_store_dismiss_reject     (CpSyncStore       *self,
                                               gint64             id,
                                               gint64             now,
                                               GError           **error);
GPtrArray   *cp_sync_store_list_rejects       (CpSyncStore       *self,
                                               gboolean           all_backends,
                                               GError           **error);
GPtrArray   *cp_sync_store_list_push_failures (CpSyncStore       *self,
                                               GError           **error);

GPtrArray   *cp_sync_store_list_erasures      (CpSyncStore       *self,
                                               GError           **error);
gboolean     cp_sync_store_finish_erasure     (CpSyncStore         *self,
                                               const CpSyncErasure *erasure,
                                               const GError        *failure,
                                               GError             **error);

CpSyncStatus *cp_sync_store_get_status        (CpSyncStore       *self,
                                               GError           **error);

gboolean     cp_sync_store_record_activity    (CpSyncStore       *self,
                                               CpActivity        *activity,
                                               gboolean          *out_new,
                                               GError           **error);

G_END_DECLS
