/* cp-window-private.h — what the main window's files share
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-filter-bar.h"
#include "cp-leads-view.h"
#include "cp-my-work-view.h"
#include "cp-pipeline-view.h"
#include "cp-playbook-view.h"
#include "cp-sync-controller.h"
#include "cp-sync-view.h"
#include "cp-reports-view.h"
#include "cp-window.h"

G_BEGIN_DECLS

struct _CpWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  CpLeadStore          *store;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *content_stack;
  AdwViewStack         *stack;
  AdwViewSwitcherTitle *switcher_title;
  CpLeadsView          *leads_view;
  CpPipelineView       *pipeline_view;
  CpFilterBar          *filter_bar;
  AdwStatusPage        *error_page;
  GtkInfoBar           *read_only_bar;

  gboolean              read_only;     /* the database cannot be changed */
  CpSyncView           *sync_view;
  CpReportsView        *reports_view;
  CpPlaybookView       *playbook_view;
  CpMyWorkView         *my_work_view;
  AdwViewStackPage     *my_work_page;
  CpSyncController     *sync_controller;
  GHashTable           *bound_views;   /* names of the views given the store */
  /* Each view but My Work is built the first time it is shown, into its
   * page's bin; until then its pointer above is NULL. */
  AdwBin               *pipeline_bin;
  AdwBin               *leads_bin;
  AdwBin               *reports_bin;
  AdwBin               *playbook_bin;
  AdwBin               *sync_bin;
  char                 *loading_message; /* the board's, when it is not built yet */
};

/* A request about several leads, while a dialog asks. */
typedef struct
{
  CpWindow *window;
  GStrv     ids;
} BulkRequest;

void          _cp_window_bulk_request_free        (gpointer         data);
gboolean      _cp_window_refuse_if_read_only      (CpWindow        *self);
void          _cp_window_connect_store            (CpWindow        *self);
gboolean      _cp_window_offer_first_run_choice   (gpointer         user_data);
gboolean      _cp_window_restore_backup_file      (CpWindow        *self,
                                                   GFile           *backup);
gboolean      _cp_window_open_database_file       (CpWindow        *self,
                                                   GFile           *file);
void          _cp_window_restore_backup_action    (GtkWidget       *widget,
                                                   const char      *action_name,
                                                   GVariant        *parameter);
gboolean      _cp_window_save_copy_file           (CpWindow        *self,
                                                   GFile           *file);
void          _cp_window_save_copy_action         (GtkWidget       *widget,
                                                   const char      *action_name,
                                                   GVariant        *parameter);
void          _cp_window_open_database_action     (GtkWidget       *widget,
                                                   const char      *action_name,
                                                   GVariant        *parameter);
const char   *_cp_window_filter_key_for_view      (const char      *view);
CpBoardStage *_cp_window_board_stages             (CpWindow        *self,
                                                   guint           *n_stages);
void          _cp_window_move_requested_cb        (CpPipelineView  *view,
                                                   const char      *lead_id,
                                                   const char      *to_stage,
                                                   CpWindow        *self);
void          _cp_window_bulk_move_requested_cb   (CpLeadsView     *view,
                                                   GStrv            ids,
                                                   CpWindow        *self);
void          _cp_window_bulk_assign_requested_cb (CpLeadsView     *view,
                                                   GStrv            ids,
                                                   CpWindow        *self);
void          _cp_window_bulk_export_requested_cb (CpLeadsView     *view,
                                                   GStrv            ids,
                                                   CpWindow        *self);
void          _cp_window_connect_my_work          (CpWindow        *self,
                                                   CpLeadStore     *store);
void          _cp_window_import_action            (GtkWidget       *widget,
                                                   const char      *action_name,
                                                   GVariant        *parameter);
void          _cp_window_import_activities_action (GtkWidget       *widget,
                                                   const char      *action_name,
                                                   GVariant        *parameter);
void          _cp_window_export_action            (GtkWidget       *widget,
                                                   const char      *action_name,
                                                   GVariant        *parameter);
gboolean      _cp_window_file_dropped_cb          (GtkDropTarget   *target,
                                                   const GValue    *value,
                                                   double           x,
                                                   double           y,
                                                   CpWindow        *self);

G_END_DECLS
