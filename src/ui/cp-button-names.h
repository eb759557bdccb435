/* cp-button-names.h — button names without the mnemonic underscore
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void  cp_button_names_install        (void);
char *cp_button_names_strip_mnemonic (const char *label);

G_END_DECLS
