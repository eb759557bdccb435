/* cp-playbook-view.h — the Playbook view: stages, tiers, scoring rules, routing, versions
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-playbook-editor.h"
#include "cp-score-histogram.h"

G_BEGIN_DECLS

#define CP_TYPE_PLAYBOOK_VIEW (cp_playbook_view_get_type ())

G_DECLARE_FINAL_TYPE (CpPlaybookView, cp_playbook_view, CP, PLAYBOOK_VIEW, GtkWidget)

GtkWidget        *cp_playbook_view_new           (void);
gboolean          cp_playbook_view_set_store     (CpPlaybookView  *self,
                                                  CpLeadStore     *store,
                                                  const char      *author,
                                                  GError         **error);
CpPlaybookEditor *cp_playbook_view_get_editor    (CpPlaybookView  *self);
gboolean          cp_playbook_view_drop_stage    (CpPlaybookView  *self,
                                                  const char      *dragged,
                                                  const char      *onto);
GtkSpinButton    *cp_playbook_view_get_threshold (CpPlaybookView  *self,
                                                  gboolean         sales_ready);
CpScoreHistogram *cp_playbook_view_get_histogram (CpPlaybookView  *self);
const char       *cp_playbook_view_get_status    (CpPlaybookView  *self);

G_END_DECLS
