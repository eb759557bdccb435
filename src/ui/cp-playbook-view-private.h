/* cp-playbook-view-private.h — what the Playbook view's files share
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-playbook-view.h"

G_BEGIN_DECLS

struct _CpPlaybookView
{
  GtkWidget         parent_instance;

  CpLeadStore      *store;
  CpPlaybookEditor *editor;
  gulong            changed_id;
  gboolean          updating;
  GCancellable     *cancellable;

  AdwToastOverlay  *toasts;
  GtkLabel         *status;
  AdwPreferencesPage *page;
  GPtrArray        *groups;        /* rebuilt on every change (the stages' first) */
  char             *stages_shown;  /* what the stages group shows: kept while the same */
  AdwPreferencesGroup *tiers_group;      /* the histogram */
  AdwPreferencesGroup *thresholds_group;  /* its spin buttons */
  CpScoreHistogram *histogram;
  GtkLabel         *tier_counts;
  GtkSpinButton    *nurture;
  GtkSpinButton    *sales_ready;
  GtkSpinButton    *half_life;
  GtkSpinButton    *caps[CP_SCORE_N_CATEGORIES];
};

/* A question with one line of text; the callback gets the text (and the
 * second line, or the target, when confirmed). */
typedef void (*TextDone) (CpPlaybookView *self, const char *text, const char *target);

void              _cp_playbook_view_toast      (CpPlaybookView *self,
                                                const char     *message);
void              _cp_playbook_view_report     (CpPlaybookView *self,
                                                gboolean        ok,
                                                GError         *error);
GtkWindow        *_cp_playbook_view_parent     (CpPlaybookView *self);
GtkWidget        *_cp_playbook_view_text_row   (const char     *title,
                                                const char     *subtitle);
AdwMessageDialog *_cp_playbook_view_ask_text   (CpPlaybookView *self,
                                                const char     *heading,
                                                const char     *body,
                                                const char     *placeholder,
                                                const char     *initial,
                                                const char     *ok_label,
                                                TextDone        done,
                                                const char     *target,
                                                gboolean        with_date);
void _cp_playbook_view_publish_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter);
void _cp_playbook_view_discard_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter);
void _cp_playbook_view_revert_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter);
void _cp_playbook_view_compare_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter);
void _cp_playbook_view_preview_impact_action (GtkWidget  *widget,
                                              const char *action_name,
                                              GVariant   *parameter);
void _cp_playbook_view_file_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter);
void _cp_playbook_view_undo_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter);
void _cp_playbook_view_stage_move_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter);
void _cp_playbook_view_retire_stage_action (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter);
void _cp_playbook_view_edit_stage_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter);
void _cp_playbook_view_add_stage_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *parameter);
void _cp_playbook_view_edit_rule_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *parameter);
void _cp_playbook_view_edit_route_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter);
void _cp_playbook_view_route_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter);
void _cp_playbook_view_edit_owners_action (GtkWidget  *widget,
                                           const char *action_name,
                                           GVariant   *parameter);
void _cp_playbook_view_remove_rule_action (GtkWidget  *widget,
                                           const char *action_name,
                                           GVariant   *parameter);
void _cp_playbook_view_automation_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter);
void _cp_playbook_view_hours_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter);
void              _cp_playbook_view_show_impact (CpPlaybookView *self, CpPlaybookImpact *impact);
AdwPreferencesGroup *_cp_playbook_view_new_group (CpPlaybookView *self,
                                                 const char     *title,
                                                 const char     *description);
GtkWidget        *_cp_playbook_view_icon_button (const char     *icon,
                                                 const char     *tooltip,
                                                 const char     *action,
                                                 GVariant       *target);
void              _cp_playbook_view_fill_routing (CpPlaybookView *self,
                                                  CpPlaybook     *playbook);

G_END_DECLS
