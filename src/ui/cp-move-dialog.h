/* cp-move-dialog.h — ask where a lead moves and why
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-pipeline-view.h"

G_BEGIN_DECLS

#define CP_TYPE_MOVE_DIALOG (cp_move_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CpMoveDialog, cp_move_dialog, CP, MOVE_DIALOG, AdwMessageDialog)

typedef void (*CpMoveDialogFunc) (const char *lead_id,
                                  const char *to_stage,
                                  const char *reason,
                                  gpointer    user_data);

GtkWindow *cp_move_dialog_new (GtkWindow          *parent,
                               CpLead             *lead,
                               const CpBoardStage *stages,
                               guint               n_stages,
                               const char         *to_stage,
                               const char         *default_reason,
                               CpMoveDialogFunc    func,
                               gpointer            user_data,
                               GDestroyNotify      destroy);

GtkWindow *cp_move_dialog_new_bulk (GtkWindow          *parent,
                                    guint               n_leads,
                                    const CpBoardStage *stages,
                                    guint               n_stages,
                                    CpMoveDialogFunc    func,
                                    gpointer            user_data,
                                    GDestroyNotify      destroy);

/* Called with the values typed for each missing field (parallel arrays). */
typedef void (*CpMoveWithFieldsFunc) (const char         *lead_id,
                                      const char         *to_stage,
                                      const char         *reason,
                                      const char * const *fields,
                                      const char * const *values,
                                      gpointer            user_data);

GtkWindow *cp_move_dialog_new_with_fields (GtkWindow            *parent,
                                           CpLead               *lead,
                                           const char           *to_stage,
                                           const char * const   *missing_fields,
                                           CpPlaybook           *playbook,
                                           const char           *explanation,
                                           CpMoveWithFieldsFunc  func,
                                           gpointer              user_data,
                                           GDestroyNotify        destroy);

void       cp_move_dialog_set_reason      (CpMoveDialog         *self,
                                           const char           *reason);

G_END_DECLS
