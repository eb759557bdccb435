/* cp-crm-backend.h — what the sync engine needs from a remote CRM
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cp-activity.h"
#include "cp-crm-client.h"
#include "cp-lead.h"

G_BEGIN_DECLS

/* One remote record as pulled. */
typedef struct
{
  char       *remote_id;
  char       *updated_at;     /* as the CRM spells it */
  char       *cursor;         /* the pull cursor this record advances to */
  GHashTable *properties;     /* CRM property → non-empty value */
} CpCrmRecord;

CpCrmRecord *cp_crm_record_new  (const char *remote_id,
                                 const char *updated_at,
                                 const char *cursor);
void         cp_crm_record_free (CpCrmRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpCrmRecord, cp_crm_record_free)

/* One page of an incremental pull. */
typedef struct
{
  GPtrArray *records;         /* CpCrmRecord */
  char      *next_page;       /* an opaque token; NULL: the query is done */
  gint64     total;           /* how many records the query matches; -1: not said */
} CpCrmPage;

void cp_crm_page_free (CpCrmPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpCrmPage, cp_crm_page_free)

/* One local change to push. */
typedef struct
{
  char       *lead_id;
  char       *remote_id;      /* NULL: the CRM has never seen the lead */
  gboolean    archive;
  GHashTable *properties;     /* to send; "" clears */
  char       *previous_stage; /* the CRM stage value it is moving from, or NULL */
} CpCrmChange;

CpCrmChange *cp_crm_change_new  (const char *lead_id,
                                 const char *remote_id);
void         cp_crm_change_free (CpCrmChange *change);

/* What the CRM said about one change. */
typedef struct
{
  char       *lead_id;
  char       *remote_id;
  char       *updated_at;
  GError     *error;          /* NULL when confirmed */
} CpCrmPushResult;

void cp_crm_push_result_free (CpCrmPushResult *result);

/* What a CRM lacks before sync can write to it (cp_crm_backend_check_setup()). */
typedef struct
{
  GPtrArray *missing;         /* (element-type utf8): each missing piece, in words a user can act on */
  GPtrArray *created;         /* (element-type utf8): what this check created */
} CpCrmSetup;

CpCrmSetup *cp_crm_setup_new      (void);
void        cp_crm_setup_free     (CpCrmSetup       *setup);
gboolean    cp_crm_setup_is_ready (const CpCrmSetup *setup);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpCrmSetup, cp_crm_setup_free)

/* An engagement record (cp_crm_backend_pull_activity_page()) names the
 * contacts it is associated with in this property, comma-separated. */
#define CP_CRM_CONTACTS_PROPERTY "_contacts"

/* An engagement (a call, an email, a meeting, a note) in Carepath's terms. */
typedef struct
{
  CpActivityKind  kind;
  gint64          occurred_at;   /* seconds since the epoch */
  char           *disposition;   /* one of cp_call_dispositions(), or NULL */
  char           *direction;     /* "inbound", "outbound", or NULL */
  char           *detail;        /* its subject or title only (never a body), or NULL */
  char           *external_id;   /* "hubspot:call:ID", "espocrm:Call:ID" */
} CpCrmActivity;

void cp_crm_activity_clear (CpCrmActivity *activity);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CpCrmActivity, cp_crm_activity_clear)

/* Carepath field ↔ CRM property. The stage goes through the stage map. */
typedef struct
{
  CpLeadField  field;
  const char  *property;
} CpCrmFieldMap;

#define CP_TYPE_CRM_BACKEND (cp_crm_backend_get_type ())

G_DECLARE_INTERFACE (CpCrmBackend, cp_crm_backend, CP, CRM_BACKEND, GObject)

struct _CpCrmBackendInterface
{
  GTypeInterface parent_iface;

  const char          *(*get_name)        (CpCrmBackend  *self);
  const CpCrmFieldMap *(*get_field_map)   (CpCrmBackend  *self,
                                           guint         *n_fields);
  const char          *(*get_id_property) (CpCrmBackend  *self);
  guint                (*get_batch_size)  (CpCrmBackend  *self);
  CpCrmClient         *(*get_client)      (CpCrmBackend  *self);
  gboolean             (*read_schema)     (CpCrmBackend  *self,
                                           GCancellable  *cancellable,
                                           GError       **error);
  char                *(*stage_to_remote) (CpCrmBackend  *self,
                                           const char    *stage);
  char                *(*stage_from_remote) (CpCrmBackend *self,
                                             const char   *value);
  gboolean             (*stage_is_option) (CpCrmBackend *self,
                                           const char   *value);
  CpCrmPage           *(*pull_page)       (CpCrmBackend  *self,
                                           const char    *cursor,
                                           const char    *page,
                                           GCancellable  *cancellable,
                                           GError       **error);
  GPtrArray           *(*pull_deletions)  (CpCrmBackend  *self,
                                           GHashTable    *known_remote_ids,
                                           GCancellable  *cancellable,
                                           GError       **error);
  GPtrArray           *(*push_batch)      (CpCrmBackend  *self,
                                           GPtrArray     *changes,
                                           GCancellable  *cancellable,
                                           GError       **error);
  /* Deletes a contact for good (a person's erasure); unknown is done. */
  gboolean             (*erase)           (CpCrmBackend  *self,
                                           const char    *remote_id,
                                           GCancellable  *cancellable,
                                           GError       **error);
  /* Optional: NULL means there is nothing to check. */
  CpCrmSetup          *(*check_setup)     (CpCrmBackend  *self,
                                           gboolean       create,
                                           GCancellable  *cancellable,
                                           GError       **error);
  /* Optional (NULL: no engagements): the engagement types, each pulled
   * with a cursor of its own, a page of records of one type (their
   * associated contacts in CP_CRM_CONTACTS_PROPERTY), and one record in
   * Carepath's terms, or an error saying why it cannot be one. */
  const char * const  *(*get_activity_objects) (CpCrmBackend *self);
  CpCrmPage           *(*pull_activity_page) (CpCrmBackend  *self,
                                              const char    *object,
                                              const char    *cursor,
                                              const char    *page,
                                              GCancellable  *cancellable,
                                              GError       **error);
  gboolean             (*activity_from_record) (CpCrmBackend      *self,
                                                const char        *object,
                                                const CpCrmRecord *record,
                                                CpCrmActivity     *out_activity,
                                                GError           **error);
};

const char          *cp_crm_backend_get_name        (CpCrmBackend  *self);
const CpCrmFieldMap *cp_crm_backend_get_field_map   (CpCrmBackend  *self,
                                                     guint         *n_fields);
void                 cp_crm_backend_set_mapping     (CpCrmBackend  *self,
                                                     GHashTable    *fields,
                                                     GHashTable    *stages);
const char          *cp_crm_backend_get_id_property (CpCrmBackend  *self);
guint                cp_crm_backend_get_batch_size  (CpCrmBackend  *self);
CpCrmClient         *cp_crm_backend_get_client      (CpCrmBackend  *self);
gboolean             cp_crm_backend_read_schema     (CpCrmBackend  *self,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
char                *cp_crm_backend_stage_to_remote (CpCrmBackend  *self,
                                                     const char    *stage);
char                *cp_crm_backend_stage_from_remote (CpCrmBackend *self,
                                                       const char   *value);
gboolean             cp_crm_backend_stage_is_option (CpCrmBackend  *self,
                                                     const char    *value);
CpCrmPage           *cp_crm_backend_pull_page       (CpCrmBackend  *self,
                                                     const char    *cursor,
                                                     const char    *page,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
GPtrArray           *cp_crm_backend_pull_deletions  (CpCrmBackend  *self,
                                                     GHashTable    *known_remote_ids,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
GPtrArray           *cp_crm_backend_push_batch      (CpCrmBackend  *self,
                                                     GPtrArray     *changes,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
gboolean             cp_crm_backend_erase           (CpCrmBackend  *self,
                                                     const char    *remote_id,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
CpCrmSetup          *cp_crm_backend_check_setup     (CpCrmBackend  *self,
                                                     gboolean       create,
                                                     GCancellable  *cancellable,
                                                     GError       **error);
const char * const  *cp_crm_backend_get_activity_objects (CpCrmBackend *self);
CpCrmPage           *cp_crm_backend_pull_activity_page (CpCrmBackend  *self,
                                                        const char    *object,
                                                        const char    *cursor,
                                                        const char    *page,
                                                        GCancellable  *cancellable,
                                                        GError       **error);
gboolean             cp_crm_backend_activity_from_record (CpCrmBackend      *self,
                                                          const char        *object,
                                                          const CpCrmRecord *record,
                                                          CpCrmActivity     *out_activity,
                                                          GError           **error);

/* Shared by the backends: a stage map, resolved against the live options. */
typedef struct
{
  const char *stage;          /* Carepath stage id */
  const char *value;          /* the CRM's default value for it */
} CpCrmStageDefault;

typedef struct _CpCrmStageMap CpCrmStageMap;

CpCrmStageMap *cp_crm_stage_map_new      (const CpCrmStageDefault *defaults,
                                          guint                    n_defaults);
void           cp_crm_stage_map_free     (CpCrmStageMap *map);
void           cp_crm_stage_map_resolve  (CpCrmStageMap *map,
                                          GPtrArray     *option_values,
                                          GPtrArray     *option_labels);
char          *cp_crm_stage_map_to_remote   (CpCrmStageMap *map,
                                             const char    *stage);
char          *cp_crm_stage_map_from_remote (CpCrmStageMap *map,
                                             const char    *value);
int            cp_crm_stage_map_order    (CpCrmStageMap *map,
                                          const char    *value);

/* A backend's own mapping, before the team's changes. */
typedef struct
{
  const CpCrmFieldMap     *fields;
  guint                    n_fields;
  const CpCrmStageDefault *stages;
  guint                    n_stages;
} CpCrmDefaults;

G_END_DECLS
