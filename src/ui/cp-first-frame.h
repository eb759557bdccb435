/* cp-first-frame.h — says when a window first paints, for the launch benchmark
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void cp_first_frame_watch (GtkWidget *window);

G_END_DECLS
