/* cp-widget-test-util.h — what widget tests share: main loop, leaks, finding widgets
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-pipeline-view.h"

G_BEGIN_DECLS

void              cp_test_iterate          (void);
void              cp_test_finalize_widget  (gpointer    widget);
GtkWidget        *cp_test_find_button      (GtkWidget  *root,
                                            const char *action_name);
AdwMessageDialog *cp_test_find_dialog      (GtkWindow  *parent);
void              cp_test_screenshot       (const char *suffix);
void              cp_test_collect_widgets  (GtkWidget  *root,
                                            GType       type,
                                            GPtrArray  *out);
void              cp_test_wait_for_board   (CpPipelineView *view);
gboolean          cp_test_shows_label      (GtkWidget  *root,
                                            const char *text);

G_END_DECLS
