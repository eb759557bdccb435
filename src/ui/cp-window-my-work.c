/* cp-window-my-work.c — the main window's My Work view: whose tasks, the badge, the first view
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-window"

#include "config.h"

#include "cp-application.h"
#include "cp-task-store.h"
#include "cp-window-private.h"

static char *
dup_user_name (CpWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return CP_IS_APPLICATION (app) ? cp_application_dup_user_name (CP_APPLICATION (app))
                                 : g_strdup (g_get_real_name ());
}

/* Preferences › Your Name: “Me” is someone else now. */
static void
user_name_changed_cb (GSettings  *settings,
                      const char *key,
                      CpWindow   *self)
{
  g_autofree char *name = dup_user_name (self);

  cp_my_work_view_set_user_name (self->my_work_view, name);
}

/* The first view: My Work for who has open tasks, until a view is chosen
 * (then `last-view` brings back the one used last, My Work included). */
static void
choose_first_view (CpWindow    *self,
                   CpLeadStore *store,
                   const char  *user_name)
{
  g_autoptr(GVariant) chosen = g_settings_get_user_value (self->settings, "last-view");
  guint open = 0, overdue = 0;

  if (chosen != NULL)
    return;
  if (cp_lead_store_count_tasks (store, user_name, cp_lead_store_now (store), &open, &overdue,
                                 NULL) && open > 0)
    adw_view_stack_set_visible_child_name (self->stack, "my-work");
}

/**
 * _cp_window_connect_my_work:
 *
 * Shows the tasks of the person using the app (cp_application_dup_user_name()),
 * with the count of those overdue or due today on the view switcher.
 */
void
_cp_window_connect_my_work (CpWindow    *self,
                            CpLeadStore *store)
{
  g_autofree char *name = dup_user_name (self);

  cp_my_work_view_set_user_name (self->my_work_view, name);
  cp_my_work_view_set_store (self->my_work_view, store);
  g_object_bind_property (self->my_work_view, "badge-count", self->my_work_page, "badge-number",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->my_work_view, "needs-attention", self->my_work_page,
                          "needs-attention", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->settings, "changed::user-name", G_CALLBACK (user_name_changed_cb),
                           self, 0);
  choose_first_view (self, store, name);
}
