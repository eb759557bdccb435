/* main.c — the Carepath desktop application's entry point
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cp-application.h"
#include "cp-ui.h"
#include "cp-window.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CpApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  cp_ui_init ();
  app = cp_application_new (CP_TYPE_WINDOW);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
