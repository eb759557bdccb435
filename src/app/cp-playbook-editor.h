/* cp-playbook-editor.h — the playbook draft being edited: autosave, undo, guards, publish
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "cp-database.h"
#include "cp-lead-store.h"
#include "cp-playbook.h"
#include "cp-rescore.h"

G_BEGIN_DECLS

#define CP_PLAYBOOK_EDITOR_ERROR (cp_playbook_editor_error_quark ())

/**
 * CpPlaybookEditorError:
 * @CP_PLAYBOOK_EDITOR_ERROR_INVALID: the edit is not acceptable (an empty
 *   title, a value out of range, a rule that contradicts another)
 * @CP_PLAYBOOK_EDITOR_ERROR_NOT_FOUND: the stage, rule, queue or version
 *   edited is not in the draft
 * @CP_PLAYBOOK_EDITOR_ERROR_EXISTS: the draft already has one by that id
 */
typedef enum
{
  CP_PLAYBOOK_EDITOR_ERROR_INVALID,
  CP_PLAYBOOK_EDITOR_ERROR_NOT_FOUND,
  CP_PLAYBOOK_EDITOR_ERROR_EXISTS,
} CpPlaybookEditorError;

GQuark cp_playbook_editor_error_quark (void);

#define CP_TYPE_PLAYBOOK_EDITOR (cp_playbook_editor_get_type ())

G_DECLARE_FINAL_TYPE (CpPlaybookEditor, cp_playbook_editor, CP, PLAYBOOK_EDITOR, GObject)

CpPlaybookEditor *cp_playbook_editor_new            (CpLeadStore       *store,
                                                     const char        *author,
                                                     GError           **error);
CpPlaybook       *cp_playbook_editor_get_playbook   (CpPlaybookEditor  *self);
CpLeadStore      *cp_playbook_editor_get_store      (CpPlaybookEditor  *self);
gint64            cp_playbook_editor_get_base_version (CpPlaybookEditor *self);
gboolean          cp_playbook_editor_has_draft      (CpPlaybookEditor  *self);
gboolean          cp_playbook_editor_can_undo       (CpPlaybookEditor  *self);
gboolean          cp_playbook_editor_can_redo       (CpPlaybookEditor  *self);
gboolean          cp_playbook_editor_undo           (CpPlaybookEditor  *self,
                                                     GError           **error);
gboolean          cp_playbook_editor_redo           (CpPlaybookEditor  *self,
                                                     GError           **error);

/**
 * CpStageEdit:
 * @title: the stage's name (surrounding spaces are dropped; not empty)
 * @owner_role: (nullable): who works it (one of cp_playbook_editor_owner_roles())
 * @channels: (array zero-terminated=1) (nullable): the outreach channels it uses
 * @required_fields: (array zero-terminated=1) (nullable): what must be known to enter it
 * @sla_hours: the response time, in business hours (0: none, at most 720)
 * @rotting_days: days without activity before a lead is stale (0: never, at most 3,650)
 * @entry: (nullable): what must hold to enter the stage; %NULL: nothing
 * @exit: (nullable): what must hold to leave it (except to a closed stage)
 * @assets: (array zero-terminated=1) (nullable): what to offer leads in the
 *   stage, by name; empty names are dropped
 *
 * Everything the stage dialog changes, as one edit. The values are
 * borrowed from the caller; cp_stage_edit_init() fills it from a stage.
 */
typedef struct
{
  const char         *title;
  const char         *owner_role;
  const char * const *channels;
  const char * const *required_fields;
  guint               sla_hours;
  guint               rotting_days;
  const CpCondition  *entry;
  const CpCondition  *exit;
  const char * const *assets;
} CpStageEdit;

void              cp_stage_edit_init                (CpStageEdit       *edit,
                                                     const CpStage     *stage);

/* Stages */
gboolean          cp_playbook_editor_update_stage   (CpPlaybookEditor  *self,
                                                     const char        *stage_id,
                                                     const CpStageEdit *edit,
                                                     GError           **error);
gboolean          cp_playbook_editor_move_stage     (CpPlaybookEditor  *self,
                                                     const char        *stage_id,
                                                     guint              position,
                                                     GError           **error);
char             *cp_playbook_editor_add_stage      (CpPlaybookEditor  *self,
                                                     const char        *title,
                                                     GError           **error);
gboolean          cp_playbook_editor_retire_stage   (CpPlaybookEditor  *self,
                                                     const char        *stage_id,
                                                     GError           **error);

const char * const *cp_playbook_editor_owner_roles  (void);

/**
 * CpRuleEdit:
 * @description: what the score explanation shows (not empty)
 * @category: the score category it counts in
 * @points: from −100 to 100, not 0
 * @decay: whether its points fade with the playbook's half-life
 * @condition: when the rule counts
 * @override_stages: (array length=n_overrides) (nullable): the stages where
 *   the rule counts differently
 * @override_points: (array length=n_overrides) (nullable): its points there
 * @n_overrides: how many; they replace the rule's per-stage points
 *
 * Everything the rule dialog changes in a scoring rule, as one edit
 * (values borrowed from the caller).
 */
typedef struct
{
  const char         *description;
  CpScoreCategory     category;
  int                 points;
  gboolean            decay;
  const CpCondition  *condition;
  const char * const *override_stages;
  const int          *override_points;
  guint               n_overrides;
} CpRuleEdit;

/* Scoring */
gboolean          cp_playbook_editor_set_thresholds (CpPlaybookEditor  *self,
                                                     int                nurture,
                                                     int                sales_ready,
                                                     GError           **error);
gboolean          cp_playbook_editor_set_decay      (CpPlaybookEditor  *self,
                                                     double             half_life_days,
                                                     GError           **error);
gboolean          cp_playbook_editor_set_cap        (CpPlaybookEditor  *self,
                                                     CpScoreCategory    category,
                                                     int                cap,
                                                     GError           **error);
char             *cp_playbook_editor_save_rule      (CpPlaybookEditor  *self,
                                                     const char        *rule_id,
                                                     const CpRuleEdit  *edit,
                                                     GError           **error);
gboolean          cp_playbook_editor_remove_rule    (CpPlaybookEditor  *self,
                                                     const char        *rule_id,
                                                     GError           **error);

/* Routing */
char             *cp_playbook_editor_save_route     (CpPlaybookEditor    *self,
                                                     const char          *route_id,
                                                     const char          *description,
                                                     const CpCondition   *condition,
                                                     const char          *queue,
                                                     GError             **error);
gboolean          cp_playbook_editor_remove_route   (CpPlaybookEditor    *self,
                                                     const char          *route_id,
                                                     GError             **error);
gboolean          cp_playbook_editor_move_route     (CpPlaybookEditor    *self,
                                                     const char          *route_id,
                                                     guint                position,
                                                     GError             **error);
gboolean          cp_playbook_editor_set_queue_owners (CpPlaybookEditor  *self,
                                                     const char          *queue_id,
                                                     const char * const  *owners,
                                                     GError             **error);

/* Automation */
char             *cp_playbook_editor_save_automation (CpPlaybookEditor   *self,
                                                     const char          *rule_id,
                                                     const char          *description,
                                                     CpAutomationTrigger  trigger,
                                                     guint32              kind_mask,
                                                     guint                inactive_days,
                                                     const CpCondition   *condition,
                                                     const char          *to_stage,
                                                     GError             **error);
gboolean          cp_playbook_editor_remove_automation (CpPlaybookEditor *self,
                                                     const char          *rule_id,
                                                     GError             **error);

/* Business hours */
gboolean          cp_playbook_editor_set_business_hours (CpPlaybookEditor *self,
                                                     const char          *location,
                                                     const char          *timezone,
                                                     guint8               days,
                                                     int                  open_minute,
                                                     int                  close_minute,
                                                     const char * const  *holidays,
                                                     GError             **error);

/* The whole playbook */
gboolean          cp_playbook_editor_import         (CpPlaybookEditor  *self,
                                                     const char        *path,
                                                     GError           **error);
gboolean          cp_playbook_editor_export         (CpPlaybookEditor  *self,
                                                     const char        *path,
                                                     GError           **error);
gboolean          cp_playbook_editor_discard        (CpPlaybookEditor  *self,
                                                     GError           **error);
gint64            cp_playbook_editor_publish        (CpPlaybookEditor  *self,
                                                     const char        *reason,
                                                     gint64             effective_at,
                                                     GError           **error);
gint64            cp_playbook_editor_revert         (CpPlaybookEditor  *self,
                                                     gint64             version_id,
                                                     const char        *reason,
                                                     GError           **error);
GPtrArray        *cp_playbook_editor_list_versions  (CpPlaybookEditor  *self,
                                                     GError           **error);
GPtrArray        *cp_playbook_editor_diff           (CpPlaybookEditor  *self,
                                                     gint64             from_id,
                                                     gint64             to_id,
                                                     GError           **error);
GPtrArray        *cp_playbook_editor_draft_changes  (CpPlaybookEditor  *self);
void              cp_playbook_editor_preview_impact_async  (CpPlaybookEditor    *self,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
CpPlaybookImpact *cp_playbook_editor_preview_impact_finish (CpPlaybookEditor    *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

G_END_DECLS
