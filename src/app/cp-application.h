/* cp-application.h — the Carepath application object
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CP_TYPE_APPLICATION (cp_application_get_type ())

G_DECLARE_FINAL_TYPE (CpApplication, cp_application, CP, APPLICATION, AdwApplication)

CpApplication *cp_application_new                (GType          window_type);
const char    *cp_application_get_database_path  (CpApplication *self);
void           cp_application_set_database_path  (CpApplication *self,
                                                  const char    *path);
gboolean       cp_application_get_capture_mode   (CpApplication *self);
char          *cp_default_database_path          (void);

G_END_DECLS
