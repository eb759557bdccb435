/* cp-ui.c — one-time set-up of the widget layer
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>

#include "cp-resources.h"
#include "cp-ui.h"
#include "cp-button-names.h"
#include "cp-filter-bar.h"
#include "cp-lead-card.h"
#include "cp-leads-view.h"
#include "cp-pipeline-column.h"
#include "cp-pipeline-view.h"
#include "cp-window.h"
#include "cp-preferences-window.h"

/**
 * cp_ui_init:
 *
 * Registers the compiled-in resources (templates, CSS, icons) and the
 * widget types the templates refer to. Safe to call more than once; the
 * GUI and every widget test call it before creating a widget.
 */
void
cp_ui_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      cp_register_resource ();
      cp_button_names_install ();
      g_type_ensure (CP_TYPE_FILTER_BAR);
      g_type_ensure (CP_TYPE_LEAD_CARD);
      g_type_ensure (CP_TYPE_LEADS_VIEW);
      g_type_ensure (CP_TYPE_PIPELINE_COLUMN);
      g_type_ensure (CP_TYPE_PIPELINE_VIEW);
      g_type_ensure (CP_TYPE_WINDOW);
      g_type_ensure (CP_TYPE_PREFERENCES_WINDOW);
      g_once_init_leave (&initialized, 1);
    }
}
