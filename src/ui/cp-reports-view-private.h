/* cp-reports-view-private.h — what the Reports view's files share
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-reports-view.h"

G_BEGIN_DECLS

void _cp_reports_view_export_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter);
void _cp_reports_view_copy_action   (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter);

G_END_DECLS
