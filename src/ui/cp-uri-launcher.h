/* cp-uri-launcher.h — hands mailto: and tel: links to the desktop, through one signal
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CP_TYPE_URI_LAUNCHER (cp_uri_launcher_get_type ())

G_DECLARE_FINAL_TYPE (CpUriLauncher, cp_uri_launcher, CP, URI_LAUNCHER, GObject)

CpUriLauncher *cp_uri_launcher_get_default (void);
gboolean       cp_uri_launcher_launch      (CpUriLauncher *self,
                                            GtkWindow     *parent,
                                            const char    *uri);

G_END_DECLS
