/* cp-application.h — the Carepath application object
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-lead-store.h"
#include "cp-paths.h"
#include "cp-playbook.h"
#include "cp-transition.h"

G_BEGIN_DECLS

#define CP_TYPE_APPLICATION (cp_application_get_type ())

G_DECLARE_FINAL_TYPE (CpApplication, cp_application, CP, APPLICATION, AdwApplication)

CpApplication *cp_application_new                (GType          window_type);
const char    *cp_application_get_database_path  (CpApplication *self);
void           cp_application_set_database_path  (CpApplication *self,
                                                  const char    *path);

CpLeadStore   *cp_application_get_lead_store     (CpApplication *self,
                                                  GError       **error);
gboolean       cp_application_is_read_only       (CpApplication *self);
CpLeadStore   *cp_application_open_database      (CpApplication *self,
                                                  const char    *path,
                                                  GError       **error);
CpLeadStore   *cp_application_restore_backup     (CpApplication *self,
                                                  const char    *backup_path,
                                                  char         **out_set_aside,
                                                  GError       **error);
gboolean       cp_application_wants_first_run_choice (CpApplication *self);
gboolean       cp_application_get_auto_demo      (CpApplication *self);
char          *cp_application_take_lead_to_open  (CpApplication *self);
CpPlaybook    *cp_application_get_playbook       (CpApplication *self);
void           cp_application_reload_playbook    (CpApplication *self);
void           cp_application_rescore_leads_async  (CpApplication       *self,
                                                    const char * const  *ids,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
int            cp_application_rescore_leads_finish (CpApplication       *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
char          *cp_application_dup_user_name      (CpApplication *self);
void           cp_application_finish_first_run   (CpApplication *self,
                                                  const char    *choice);
void           cp_application_load_demo_async    (CpApplication       *self,
                                                  guint                n_leads,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean       cp_application_load_demo_finish  (CpApplication *self,
                                                  GAsyncResult  *result,
                                                  GError       **error);

G_END_DECLS
