/* cp-my-work-view.h — My Work: open tasks, overdue, today and upcoming, grouped by lead
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cp-lead-store.h"

G_BEGIN_DECLS

/* Tasks loaded at first, and added by each “Show More”. */
#define CP_MY_WORK_PAGE_SIZE 100

#define CP_TYPE_MY_WORK_VIEW (cp_my_work_view_get_type ())

G_DECLARE_FINAL_TYPE (CpMyWorkView, cp_my_work_view, CP, MY_WORK_VIEW, AdwBin)

GtkWidget  *cp_my_work_view_new             (void);
void        cp_my_work_view_set_store       (CpMyWorkView *self,
                                             CpLeadStore  *store);
void        cp_my_work_view_set_user_name   (CpMyWorkView *self,
                                             const char   *user_name);
guint       cp_my_work_view_get_badge_count (CpMyWorkView *self);
gboolean    cp_my_work_view_get_needs_attention (CpMyWorkView *self);
const char *cp_my_work_view_get_owner       (CpMyWorkView *self);
guint       cp_my_work_view_get_n_shown     (CpMyWorkView *self);
void        cp_my_work_view_show_more       (CpMyWorkView *self);

G_END_DECLS
