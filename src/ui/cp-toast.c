/* cp-toast.c — toasts that say their text as written
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cp-toast.h"

/**
 * cp_toast_new_text:
 * @text: what the toast says, as written (a name, a title, an error)
 *
 * A toast showing @text as it is: libadwaita 1.2 reads a toast's title as
 * markup, so a “&” or “<” in a lead's name or a task's title would leave
 * the toast empty. Every toast of the app is made here.
 *
 * Returns: (transfer floating): the toast
 */
AdwToast *
cp_toast_new_text (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  return adw_toast_new (escaped);
}
