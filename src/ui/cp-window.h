/* cp-window.h — the main window: header bar, view switcher, five views
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CP_TYPE_WINDOW (cp_window_get_type ())

G_DECLARE_FINAL_TYPE (CpWindow, cp_window, CP, WINDOW, AdwApplicationWindow)

const char *cp_window_get_visible_view (CpWindow   *self);
void        cp_window_set_visible_view (CpWindow   *self,
                                        const char *name);
void        cp_window_add_toast        (CpWindow   *self,
                                        AdwToast   *toast);

G_END_DECLS
