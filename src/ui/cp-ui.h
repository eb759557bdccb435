/* cp-ui.h — one-time set-up of the widget layer
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void cp_ui_init (void);

G_END_DECLS
