/* cp-window-first-run.c — the main window on a new database: start empty or with demo data
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "cp-application.h"
#include "cp-pipeline-view.h"
#include "cp-window-private.h"
#include "cp-toast.h"

#define DEMO_LEADS 2000

/* The board says it is loading, now or once it is built. */
static void
set_board_loading (CpWindow   *self,
                   const char *message)
{
  g_free (self->loading_message);
  self->loading_message = g_strdup (message);
  if (self->pipeline_view != NULL)
    cp_pipeline_view_set_loading (self->pipeline_view, message);
}

static void
demo_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!cp_application_load_demo_finish (CP_APPLICATION (source), result, &error))
    message = g_strdup_printf (_("Could not load the demo data: %s"), error->message);
  else
    message = g_strdup_printf (_("Added %'d demo leads — made-up people, not real patients"),
                               DEMO_LEADS);

  set_board_loading (self, NULL);
  cp_window_add_toast (self, cp_toast_new_text (message));
}

static void
first_run_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       CpWindow         *self)
{
  CpApplication *app = CP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (g_strcmp0 (response, "demo") == 0)
    {
      set_board_loading (self, _("Loading Demo Data…"));
      cp_application_load_demo_async (app, DEMO_LEADS, NULL, demo_loaded_cb, g_object_ref (self));
    }
  else
    cp_application_finish_first_run (app, "empty");
}

/* On a new database: start empty, or load the demo data (at once with
 * --demo). An idle callback; @user_data is the window. */
gboolean
_cp_window_offer_first_run_choice (gpointer user_data)
{
  CpWindow *self = user_data;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  AdwMessageDialog *dialog;

  if (!CP_IS_APPLICATION (app) || !cp_application_wants_first_run_choice (CP_APPLICATION (app)))
    return G_SOURCE_REMOVE;

  if (cp_application_get_auto_demo (CP_APPLICATION (app)))
    {
      set_board_loading (self, _("Loading Demo Data…"));
      cp_application_load_demo_async (CP_APPLICATION (app), DEMO_LEADS, NULL, demo_loaded_cb,
                                      g_object_ref (self));
      return G_SOURCE_REMOVE;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Welcome to Carepath"),
                                                       NULL));
  adw_message_dialog_format_body (dialog,
                                  _("Your lead database is empty. Start with it empty, or "
                                    "explore Carepath with %d demo leads: made-up patients, "
                                    "caregivers and referral partners with a year of history."),
                                  DEMO_LEADS);
  adw_message_dialog_add_responses (dialog,
                                    "empty", _("_Start Empty"),
                                    "demo", _("_Explore with Demo Data"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "demo", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "demo");
  adw_message_dialog_set_close_response (dialog, "empty");
  g_signal_connect_object (dialog, "response", G_CALLBACK (first_run_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return G_SOURCE_REMOVE;
}

