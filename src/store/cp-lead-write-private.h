/* cp-lead-write-private.h — the parts of the write path: the rules it applies, the rows it writes
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-router.h"

#include "cp-lead-store-private.h"

G_BEGIN_DECLS

#define CP_FIELD_BIT(f) (G_GUINT64_CONSTANT (1) << (f))

/* Binds @value without copying it: for text that stays alive and
 * unchanged until the statement is stepped and reset, as the write path's
 * rows are (the statement cache clears the bindings before the next use). */
static inline void
_cp_bind_text_uncopied (sqlite3_stmt *stmt,
                        int           index,
                        const char   *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_STATIC);
}

/* What the rules see of a lead: its record, activities and account. */
typedef struct
{
  CpLeadRecord      record;
  GPtrArray        *activities;   /* CpActivity */
  GArray           *records;      /* CpActivityRecord */
  CpConditionInput  input;
} CpRuleView;

/* What one write changed, and who changed it. */
typedef struct
{
  guint64     caller;      /* fields the caller changed */
  guint64     routed;      /* queue and owner routing set */
  char       *route_reason;
  gboolean    stage_changed;
} CpWriteChanges;

/* cp-lead-rules.c */
gboolean _cp_rule_view_init     (CpLeadStore  *self,
                                 CpRuleView   *view,
                                 CpLead       *lead,
                                 gboolean      stored,
                                 GPtrArray    *activities,
                                 gint64        now,
                                 GError      **error);
gboolean _cp_rule_view_init_like (CpLeadStore      *self,
                                  CpRuleView       *view,
                                  CpLead           *lead,
                                  const CpRuleView *like,
                                  GError          **error);
void     _cp_rule_view_clear    (CpRuleView   *view);
void     _cp_rule_view_refresh  (CpRuleView   *view,
                                 CpLead       *lead);
gboolean _cp_lead_rules_count_engaged       (CpLeadStore       *self,
                                            const char        *organization,
                                            const char        *lead_id,
                                            gint64             now,
                                            guint              cap,
                                            guint             *out_count,
                                            GError           **error);
gboolean _cp_lead_rules_check_reason        (const char        *reason,
                                             GError           **error);
gboolean _cp_lead_rules_route               (CpLeadStore       *self,
                                             CpLifecycle       *lifecycle,
                                             CpLead            *after,
                                             const char        *old_queue,
                                             gboolean           owner_by_caller,
                                             CpConditionInput  *input,
                                             char             **out_reason,
                                             CpRouterState    **out_state,
                                             GError           **error);
void     _cp_lead_rules_derive              (CpLifecycle       *lifecycle,
                                             CpLead            *after,
                                             CpRuleView        *view,
                                             gint64             stage_entered_at);
void     _cp_lead_rules_stamp_consent       (CpLead            *before,
                                             CpLead            *after,
                                             const CpWriteRequest *request);
gboolean _cp_lead_rules_check_transition    (CpLifecycle       *lifecycle,
                                             CpRuleView        *view,
                                             const char        *from_stage,
                                             const char        *to_stage,
                                             GError           **error);
gboolean _cp_lead_rules_check_required_kept (CpLifecycle       *lifecycle,
                                             CpLead            *after,
                                             guint64            changed,
                                             GError           **error);

/* cp-lead-rows.c */
gboolean _cp_lead_store_activity_recorded (CpLeadStore  *self,
                                           const char   *external_id,
                                           gboolean     *out_recorded,
                                           GError      **error);
gboolean _cp_lead_rows_stage_event   (CpLeadStore          *self,
                                      const char           *lead_id,
                                      const char           *from_stage,
                                      const char           *to_stage,
                                      const char           *reason,
                                      const char           *actor,
                                      gint64                time,
                                      GError              **error);
gboolean _cp_lead_rows_custom_fields (CpLeadStore          *self,
                                      CpLead               *before,
                                      CpLead               *after,
                                      const CpWriteRequest *request,
                                      GError              **error);
gboolean _cp_lead_rows_link_account  (CpLeadStore          *self,
                                      CpLead               *lead,
                                      gint64                now,
                                      GError              **error);
gboolean _cp_lead_rows_audit         (CpLeadStore          *self,
                                      CpLifecycle          *lifecycle,
                                      CpLead               *before,
                                      CpLead               *after,
                                      guint64               changed,
                                      const CpWriteChanges *changes,
                                      const CpWriteRequest *request,
                                      GError              **error);
gboolean _cp_lead_rows_journal       (CpLeadStore          *self,
                                      CpLead               *after,
                                      guint64               changed,
                                      const CpWriteChanges *changes,
                                      const CpWriteRequest *request,
                                      GError              **error);
gboolean _cp_lead_rows_update        (CpLeadStore          *self,
                                      CpLead               *before,
                                      CpLead               *after,
                                      guint64               changed,
                                      gboolean              stage_changed,
                                      GError              **error);
gboolean _cp_lead_rows_insert        (CpLeadStore          *self,
                                      CpLead               *lead,
                                      const char           *account_id,
                                      GError              **error);
gboolean _cp_lead_rows_find_account  (CpLeadStore          *self,
                                      CpLead               *lead,
                                      char                **out_account_id,
                                      gboolean             *out_to_link,
                                      GError              **error);
void     _cp_write_changes_clear     (CpWriteChanges       *changes);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CpRuleView, _cp_rule_view_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CpWriteChanges, _cp_write_changes_clear)

gboolean _cp_lead_rules_save_route          (CpLeadStore       *self,
                                            CpRouterState     *state,
                                            GError           **error);

/* cp-lead-write.c, for cp-lead-write-activities.c */
gboolean _cp_lead_write_recompute   (CpLeadStore             *self,
                                     CpLead                  *current,
                                     const CpWriteRequest    *request,
                                     GPtrArray               *visited,
                                     CpLead                 **out_stored,
                                     GError                 **error);
gboolean _cp_lead_write_automation  (CpLeadStore             *self,
                                     CpLifecycle             *lifecycle,
                                     CpLead                  *before,
                                     CpLead                  *stored,
                                     const CpWriteRequest    *request,
                                     const CpActivityRecord  *activity,
                                     GPtrArray               *visited,
                                     CpWriteOutcome          *outcome,
                                     gboolean                *out_moved,
                                     GError                 **error);

/* cp-lead-write-accounts.c */
gboolean _cp_lead_write_rescore_accounts (CpLeadStore          *self,
                                          CpLifecycle          *lifecycle,
                                          CpLead               *before,
                                          CpLead               *after,
                                          const CpWriteRequest *request,
                                          GError              **error);

/* cp-lead-write-activities.c */
gboolean _cp_lead_store_write_activities (CpLeadStore          *self,
                                          const char           *lead_id,
                                          GPtrArray            *activities,
                                          const CpWriteRequest *request,
                                          CpWriteOutcome       *outcomes,
                                          GError              **error);

G_END_DECLS
