/* cp-toast.h — toasts that say their text as written
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwToast *cp_toast_new_text (const char *text);

G_END_DECLS
