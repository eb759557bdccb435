/* cp-window.c — the main window: header bar, view switcher, five views
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-application.h"
#include "cp-filter-bar.h"
#include "cp-import-window.h"
#include "cp-lead-export.h"
#include "cp-lead-detail-window.h"
#include "cp-lead-editor.h"
#include "cp-lead-format.h"
#include "cp-first-frame.h"
#include "cp-leads-view.h"
#include "cp-move-dialog.h"
#include "cp-pipeline-view.h"
#include "cp-playbook-view.h"
#include "cp-preferences-window.h"
#include "cp-sync-view.h"
#include "cp-quick-capture.h"
#include "cp-rescore.h"
#include "cp-window-private.h"
#include "cp-toast.h"


/* About as many leads as a small clinic group sees in a year. */

G_DEFINE_FINAL_TYPE (CpWindow, cp_window, ADW_TYPE_APPLICATION_WINDOW)

/* Order matters: Ctrl+1 … Ctrl+5 follow it. */
static const char * const view_names[] = {
  "pipeline", "leads", "funnel", "playbook", "sync",
};

static void
cp_window_save_state (CpWindow *self)
{
  int width = 0;
  int height = 0;
  gboolean maximized = gtk_window_is_maximized (GTK_WINDOW (self));

  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  /* Keep the unmaximized size, so un-maximizing next time restores it. */
  if (!maximized)
    {
      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      if (width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
    }
  g_settings_apply (self->settings);
}

static void
cp_window_restore_state (CpWindow *self)
{
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
cp_window_show_view_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  cp_window_set_visible_view (CP_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
cp_window_preferences_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  CpPreferencesWindow *preferences = cp_preferences_window_new (GTK_WINDOW (widget));

  gtk_window_present (GTK_WINDOW (preferences));
}

static void
cp_window_about_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  static const char *developers[] = { "The Carepath developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", widget,
                        "modal", TRUE,
                        "application-name", _("Carepath"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Carepath developers"),
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/carepath/carepath",
                        "issue-url", "https://github.com/carepath/carepath/issues",
                        "comments", _("Manage healthcare leads from first inquiry to booked "
                                      "appointment: a pipeline board, explainable scoring, "
                                      "offline event capture and CRM sync."),
                        "developers", developers,
                        "copyright", "© 2026 The Carepath developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your names here, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

/* The playbook's stages for the board and dialogs; the built-in list
 * (translated) when no playbook could be loaded. The returned titles and
 * ids belong to the playbook, which lives as long as the application. */
CpBoardStage *
_cp_window_board_stages (CpWindow *self,
              guint    *n_stages)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  CpPlaybook *playbook =
      CP_IS_APPLICATION (app) ? cp_application_get_playbook (CP_APPLICATION (app)) : NULL;
  CpBoardStage *stages;

  if (playbook != NULL && playbook->stages->len > 0)
    {
      *n_stages = playbook->stages->len;
      stages = g_new (CpBoardStage, *n_stages);
      for (guint i = 0; i < *n_stages; i++)
        {
          const CpStage *stage = playbook->stages->pdata[i];

          stages[i].id = stage->id;
          stages[i].title = stage->title != NULL ? stage->title : cp_value_label (stage->id);
          stages[i].rotting_days = stage->rotting_days;
          stages[i].closed = stage->closed;
        }
      return stages;
    }

  {
    const CpStageInfo *defaults = cp_default_stages (n_stages);

    stages = g_new (CpBoardStage, *n_stages);
    for (guint i = 0; i < *n_stages; i++)
      {
        stages[i] = defaults[i];
        stages[i].title = _(defaults[i].title);
      }
  }

  return stages;
}

/* The GSettings key holding a view's filter, or NULL for views without one. */
const char *
_cp_window_filter_key_for_view (const char *view)
{
  if (g_strcmp0 (view, "pipeline") == 0)
    return "pipeline-filter";
  if (g_strcmp0 (view, "leads") == 0)
    return "leads-filter";
  return NULL;
}

static void
apply_filter (CpWindow          *self,
              const char        *view,
              const CpLeadQuery *query)
{
  if (g_strcmp0 (view, "pipeline") == 0 && self->pipeline_view != NULL)
    cp_pipeline_view_set_query (self->pipeline_view, query);
  else if (g_strcmp0 (view, "leads") == 0 && self->leads_view != NULL)
    cp_leads_view_set_filter (self->leads_view, query);
}

static void
filter_changed_cb (CpFilterBar *bar,
                   CpWindow    *self)
{
  const char *view = cp_window_get_visible_view (self);
  const char *key = _cp_window_filter_key_for_view (view);
  g_autofree char *text = NULL;

  if (key == NULL)
    return;

  apply_filter (self, view, cp_filter_bar_get_query (bar));
  text = cp_lead_query_to_string (cp_filter_bar_get_query (bar));
  g_settings_set_string (self->settings, key, text);
}

static void playbook_published_cb (CpWindow *self,
                                  gint64    version);
static void report_open_leads_cb  (CpReportsView *view,
                                  const char    *label,
                                  GArray        *rowids,
                                  CpWindow      *self);
static void bulk_rescore_requested_cb (CpLeadsView *view,
                                      GStrv        ids,
                                      CpWindow    *self);
static void lead_activated_cb     (GtkWidget  *view,
                                  const char *lead_id,
                                  CpWindow   *self);

/* Builds @view the first time it is needed (not at start: the first
 * frame measures and draws only what is shown). */
static void
ensure_view (CpWindow   *self,
             const char *view)
{
  GtkWidget *widget = NULL;
  AdwBin *bin = NULL;

  if (view == NULL)
    return;
  if (g_str_equal (view, "pipeline") && self->pipeline_view == NULL)
    {
      self->pipeline_view = CP_PIPELINE_VIEW (cp_pipeline_view_new ());
      widget = GTK_WIDGET (self->pipeline_view);
      bin = self->pipeline_bin;
      g_signal_connect (widget, "lead-activated", G_CALLBACK (lead_activated_cb), self);
      g_signal_connect (widget, "move-requested", G_CALLBACK (_cp_window_move_requested_cb), self);
      if (self->loading_message != NULL)
        cp_pipeline_view_set_loading (self->pipeline_view, self->loading_message);
    }
  else if (g_str_equal (view, "leads") && self->leads_view == NULL)
    {
      self->leads_view = CP_LEADS_VIEW (g_object_new (CP_TYPE_LEADS_VIEW, NULL));
      widget = GTK_WIDGET (self->leads_view);
      bin = self->leads_bin;
      g_signal_connect (widget, "lead-activated", G_CALLBACK (lead_activated_cb), self);
      g_signal_connect (widget, "bulk-move-requested",
                        G_CALLBACK (_cp_window_bulk_move_requested_cb), self);
      g_signal_connect (widget, "bulk-assign-requested",
                        G_CALLBACK (_cp_window_bulk_assign_requested_cb), self);
      g_signal_connect (widget, "bulk-rescore-requested", G_CALLBACK (bulk_rescore_requested_cb),
                        self);
      g_signal_connect (widget, "bulk-export-requested",
                        G_CALLBACK (_cp_window_bulk_export_requested_cb), self);
    }
  else if (g_str_equal (view, "funnel") && self->reports_view == NULL)
    {
      self->reports_view = CP_REPORTS_VIEW (g_object_new (CP_TYPE_REPORTS_VIEW, NULL));
      widget = GTK_WIDGET (self->reports_view);
      bin = self->reports_bin;
      g_signal_connect (widget, "open-leads", G_CALLBACK (report_open_leads_cb), self);
    }
  else if (g_str_equal (view, "playbook") && self->playbook_view == NULL)
    {
      self->playbook_view = CP_PLAYBOOK_VIEW (g_object_new (CP_TYPE_PLAYBOOK_VIEW, NULL));
      widget = GTK_WIDGET (self->playbook_view);
      bin = self->playbook_bin;
    }
  else if (g_str_equal (view, "sync") && self->sync_view == NULL)
    {
      self->sync_view = CP_SYNC_VIEW (g_object_new (CP_TYPE_SYNC_VIEW, NULL));
      widget = GTK_WIDGET (self->sync_view);
      bin = self->sync_bin;
    }

  if (widget != NULL)
    adw_bin_set_child (bin, widget);
}

/* A view gets the store (and fills itself) the first time it is shown,
 * not at start: no hidden list is filled. My Work is built and given it
 * at once (its badge counts tasks while another view shows). */
static void
bind_view (CpWindow   *self,
           const char *view)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (self->store == NULL || self->bound_views == NULL || view == NULL ||
      !CP_IS_APPLICATION (app) || g_hash_table_contains (self->bound_views, view))
    return;
  ensure_view (self, view);
  g_hash_table_add (self->bound_views, g_strdup (view));

  if (g_str_equal (view, "pipeline"))
    {
      guint n_stages;
      g_autofree CpBoardStage *stages = _cp_window_board_stages (self, &n_stages);

      cp_pipeline_view_set_store (self->pipeline_view, self->store);
      cp_pipeline_view_set_stages (self->pipeline_view, stages, n_stages);
    }
  else if (g_str_equal (view, "leads"))
    cp_leads_view_set_store (self->leads_view, self->store);
  else if (g_str_equal (view, "sync"))
    cp_sync_view_set_controller (self->sync_view, self->sync_controller);
  else if (g_str_equal (view, "playbook"))
    {
      g_autoptr(GError) error = NULL;

      if (!cp_playbook_view_set_store (self->playbook_view, self->store, g_get_real_name (),
                                       &error))
        cp_window_add_toast (self, cp_toast_new_text (error->message));
      g_signal_connect_object (self->playbook_view, "published", G_CALLBACK (playbook_published_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->playbook_view, "open-lead", G_CALLBACK (lead_activated_cb),
                               self, 0);
    }
  else if (g_str_equal (view, "funnel"))
    cp_reports_view_set_store (self->reports_view, self->store,
                               cp_application_get_playbook (CP_APPLICATION (app)));
}

/* Each view keeps its own filter; the one bar shows the visible view's. */
static void
view_changed_cb (AdwViewStack *stack,
                 GParamSpec   *pspec,
                 CpWindow     *self)
{
  const char *view = adw_view_stack_get_visible_child_name (stack);
  const char *key = _cp_window_filter_key_for_view (view);
  g_autofree char *text = NULL;
  g_autoptr(CpLeadQuery) query = NULL;

  if (self->settings == NULL || self->filter_bar == NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->filter_bar), key != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search",
                                 key != NULL && self->store != NULL);
  ensure_view (self, view);
  if (key == NULL)
    {
      bind_view (self, view);
      return;
    }

  text = g_settings_get_string (self->settings, key);
  query = cp_lead_query_from_string (text);
  cp_filter_bar_set_query (self->filter_bar, query);
  /* The filter first: a view shown for the first time then loads once,
   * already filtered. */
  apply_filter (self, view, query);
  bind_view (self, view);
}

static void
cp_window_search_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  cp_filter_bar_focus_search (CP_WINDOW (widget)->filter_bar);
}

static void
rescored_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CpRescoreStats stats = { 0, };
  g_autofree char *message = NULL;

  if (!cp_rescore_run_finish (result, &stats, &error))
    message = g_strdup_printf (_("The leads could not be rescored: %s"), error->message);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Rescored: %'u lead changed tier",
                                            "Rescored: %'u leads changed tier", stats.tier_changes),
                               stats.tier_changes);
  cp_window_add_toast (self, cp_toast_new_text (message));
}

/* A new version is in effect: the app takes it, and every lead is rescored
 * with it on a worker thread (audited like any rescore). */
/* The leads behind a report's row, in the Leads table. */
static void
report_open_leads_cb (CpReportsView *view,
                      const char    *label,
                      GArray        *rowids,
                      CpWindow      *self)
{
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();

  cp_lead_query_set_lead_set (query, rowids, label);
  adw_view_stack_set_visible_child_name (self->stack, "leads");
  cp_filter_bar_set_query (self->filter_bar, query);
  apply_filter (self, "leads", query);
}

static void
playbook_published_cb (CpWindow *self,
                       gint64    version)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  CpPlaybook *playbook;

  if (!CP_IS_APPLICATION (app) || self->store == NULL)
    return;
  cp_application_reload_playbook (CP_APPLICATION (app));
  playbook = cp_application_get_playbook (CP_APPLICATION (app));
  if (playbook == NULL)
    return;
  if (self->reports_view != NULL)
    cp_reports_view_set_playbook (self->reports_view, playbook);
  cp_rescore_run_async (cp_database_get_path (cp_lead_store_get_database (self->store)), playbook,
                        version, g_get_real_time () / G_USEC_PER_SEC, g_get_real_name (), NULL,
                        rescored_cb, g_object_ref (self));
}

/* Double-click or Enter on a card or a row opens the lead. */
static void
lead_activated_cb (GtkWidget  *view,
                   const char *lead_id,
                   CpWindow   *self)
{
  g_autoptr(GError) error = NULL;
  CpLeadDetailWindow *detail;

  if (self->store == NULL)
    return;

  detail = cp_lead_detail_window_new (GTK_WINDOW (self), self->store, lead_id, &error);
  if (detail == NULL)
    {
      cp_window_add_toast (self, cp_toast_new_text (error->message));
      return;
    }
  gtk_window_present (GTK_WINDOW (detail));
}

/* A notification's “Open Lead” (app.open-lead) lands here. */
static void
cp_window_open_lead_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  lead_activated_cb (NULL, g_variant_get_string (parameter, NULL), CP_WINDOW (widget));
}

/* Ctrl+N: a new lead in the editor; “Open Existing” there opens the match. */
static void
cp_window_new_lead_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CpWindow *self = CP_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autofree char *region = g_settings_get_string (self->settings, "default-phone-region");
  CpLeadEditor *editor =
      cp_lead_editor_new (GTK_WINDOW (self), self->store,
                          CP_IS_APPLICATION (app)
                              ? cp_application_get_playbook (CP_APPLICATION (app))
                              : NULL,
                          region, NULL, NULL);

  g_signal_connect (editor, "open-lead", G_CALLBACK (lead_activated_cb), self);
  gtk_window_present (GTK_WINDOW (editor));
}

/* Edit… on a board card or a table row: the editor on that lead. */
static void
cp_window_edit_lead_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  CpWindow *self = CP_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autofree char *region = g_settings_get_string (self->settings, "default-phone-region");
  g_autoptr(GError) error = NULL;
  CpLeadEditor *editor;

  if (self->store == NULL)
    return;
  editor = cp_lead_editor_new (GTK_WINDOW (self), self->store,
                               CP_IS_APPLICATION (app)
                                   ? cp_application_get_playbook (CP_APPLICATION (app))
                                   : NULL,
                               region, g_variant_get_string (parameter, NULL), &error);
  if (editor == NULL)
    {
      cp_window_add_toast (self, cp_toast_new_text (error->message));
      return;
    }
  g_signal_connect (editor, "open-lead", G_CALLBACK (lead_activated_cb), self);
  gtk_window_present (GTK_WINDOW (editor));
}

/* Event capture: a focused window with the short form (also --capture). */
static void
cp_window_capture_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  CpWindow *self = CP_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GtkWidget *window, *box, *header;
  CpQuickCapture *capture;

  if (self->store == NULL)
    return;
  window = adw_window_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("Event Capture"), NULL));
  gtk_box_append (GTK_BOX (box), header);
  capture = cp_quick_capture_new (self->store,
                                  CP_IS_APPLICATION (app)
                                      ? cp_application_get_playbook (CP_APPLICATION (app))
                                      : NULL,
                                  self->settings);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (capture));
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_default_size (GTK_WINDOW (window), 480, -1);
  gtk_window_set_focus (GTK_WINDOW (window),
                        cp_quick_capture_get_field_row (capture, CP_LEAD_FIELD_FIRST_NAME));
  gtk_window_present (GTK_WINDOW (window));
}

static void
bulk_rescored_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  int changed = cp_application_rescore_leads_finish (CP_APPLICATION (source), result, &error);

  if (changed < 0)
    message = g_strdup_printf (_("Could not rescore: %s"), error->message);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Rescored: %'d lead changed",
                                            "Rescored: %'d leads changed", changed), changed);
  cp_window_add_toast (self, cp_toast_new_text (message));
}

/* Rescoring a selection runs on a worker; the views follow its changes
 * as they would another writer's. */
static void
bulk_rescore_requested_cb (CpLeadsView *view,
                           GStrv        ids,
                           CpWindow    *self)
{
  CpApplication *app = CP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autofree char *message = NULL;
  guint n = g_strv_length (ids);

  if (_cp_window_refuse_if_read_only (self))
    return;
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Rescoring %'u lead…",
                                          "Rescoring %'u leads…", n), n);
  cp_window_add_toast (self, cp_toast_new_text (message));
  cp_application_rescore_leads_async (app, (const char * const *) ids, NULL, bulk_rescored_cb,
                                      g_object_ref (self));
}

static gboolean
open_lead_later_cb (gpointer user_data)
{
  CpWindow *self = user_data;
  const char *lead_id = g_object_get_data (G_OBJECT (self), "cp-lead-to-open");

  if (lead_id != NULL)
    lead_activated_cb (NULL, lead_id, self);
  g_object_set_data (G_OBJECT (self), "cp-lead-to-open", NULL);

  return G_SOURCE_REMOVE;
}

/* Editing a read-only database: said once, in the window's words, before
 * any dialog asks for details that could not be saved. */
gboolean
_cp_window_refuse_if_read_only (CpWindow *self)
{
  if (!self->read_only)
    return FALSE;
  cp_window_add_toast (self, cp_toast_new_text (_("Read-only: this database cannot be changed")));
  return TRUE;
}

/* A database whose file cannot be written is shown, searched and
 * exported, never changed: the banner says so, and every action that
 * would change it is off. */
static void
cp_window_set_read_only (CpWindow *self,
                         gboolean  read_only)
{
  static const char * const editing_actions[] = {
    "win.new-lead", "win.edit-lead", "win.capture", "win.import", "win.sync-now",
    "win.import-activities",
  };

  self->read_only = read_only;
  for (guint i = 0; i < G_N_ELEMENTS (editing_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), editing_actions[i], !read_only);
  gtk_widget_set_visible (GTK_WIDGET (self->read_only_bar), read_only);
  gtk_info_bar_set_revealed (self->read_only_bar, read_only);
  adw_view_switcher_title_set_subtitle (self->switcher_title,
                                        read_only ? _("Read-only: this database cannot be changed")
                                                  : NULL);
}

void
_cp_window_connect_store (CpWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GError) error = NULL;
  CpLeadStore *store;

  if (!CP_IS_APPLICATION (app))
    return;

  store = cp_application_get_lead_store (CP_APPLICATION (app), &error);
  if (store == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->content_stack, "error");
      return;
    }

  g_set_object (&self->store, store);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-activities", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-lead", TRUE);
  cp_window_set_read_only (self, cp_application_is_read_only (CP_APPLICATION (app)));
  _cp_window_connect_my_work (self, store);
  cp_filter_bar_set_store (self->filter_bar, store);
  self->sync_controller = cp_sync_controller_new (store, self->settings);
  /* Restore the visible view's saved filter now that there is data. */
  view_changed_cb (self->stack, NULL, self);
  g_idle_add_full (G_PRIORITY_LOW, _cp_window_offer_first_run_choice, g_object_ref (self),
                   g_object_unref);

  {
    char *lead_id = cp_application_take_lead_to_open (CP_APPLICATION (app));
    /* After the main window is shown, so the lead's window opens on top. */
    if (lead_id != NULL)
      {
        g_object_set_data_full (G_OBJECT (self), "cp-lead-to-open", lead_id, g_free);
        g_idle_add_full (G_PRIORITY_LOW, open_lead_later_cb, g_object_ref (self), g_object_unref);
      }
  }
}

/* GtkWindow:application is not a construct property: it is set after
 * constructed(), so the store is looked up when it arrives. */
static void
application_changed_cb (CpWindow   *self,
                        GParamSpec *pspec,
                        gpointer    user_data)
{
  if (self->store == NULL && gtk_window_get_application (GTK_WINDOW (self)) != NULL)
    _cp_window_connect_store (self);
}

static gboolean
cp_window_close_request (GtkWindow *window)
{
  cp_window_save_state (CP_WINDOW (window));

  return GTK_WINDOW_CLASS (cp_window_parent_class)->close_request (window);
}

static void
cp_window_constructed (GObject *object)
{
  CpWindow *self = CP_WINDOW (object);

  G_OBJECT_CLASS (cp_window_parent_class)->constructed (object);

  cp_window_restore_state (self);
}

static void
cp_window_sync_now_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CpWindow *self = CP_WINDOW (widget);

  if (self->sync_controller == NULL)
    return;
  if (!cp_sync_controller_get_configured (self->sync_controller))
    {
      gtk_widget_activate_action (widget, "win.preferences", NULL);
      return;
    }
  adw_view_stack_set_visible_child_name (self->stack, "sync");
  cp_sync_controller_sync_now (self->sync_controller);
}

static void
cp_window_dispose (GObject *object)
{
  CpWindow *self = CP_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_WINDOW);
  /* The views went with their bins. */
  self->pipeline_view = NULL;
  self->leads_view = NULL;
  self->reports_view = NULL;
  self->playbook_view = NULL;
  self->sync_view = NULL;
  g_clear_object (&self->settings);
  g_clear_object (&self->sync_controller);
  g_clear_object (&self->store);
  g_clear_pointer (&self->bound_views, g_hash_table_unref);
  g_clear_pointer (&self->loading_message, g_free);

  G_OBJECT_CLASS (cp_window_parent_class)->dispose (object);
}

static void
cp_window_class_init (CpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = cp_window_constructed;
  object_class->dispose = cp_window_dispose;
  window_class->close_request = cp_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/cp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CpWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, leads_bin);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, pipeline_bin);
  gtk_widget_class_bind_template_callback (widget_class, lead_activated_cb);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, reports_bin);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, filter_bar);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, view_changed_cb);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, read_only_bar);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, sync_bin);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, playbook_bin);

  gtk_widget_class_install_action (widget_class, "win.show-view", "s", cp_window_show_view_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL,
                                   cp_window_preferences_action);
  gtk_widget_class_install_action (widget_class, "win.about", NULL, cp_window_about_action);
  gtk_widget_class_install_action (widget_class, "win.restore-backup", NULL,
                                   _cp_window_restore_backup_action);
  gtk_widget_class_install_action (widget_class, "win.open-database", NULL,
                                   _cp_window_open_database_action);
  gtk_widget_class_install_action (widget_class, "win.save-copy", NULL,
                                   _cp_window_save_copy_action);
  /* Installed now so menus, shortcuts and the shortcuts window are wired;
   * they stay insensitive until the feature behind each one is built. */
  gtk_widget_class_install_action (widget_class, "win.new-lead", NULL, cp_window_new_lead_action);
  gtk_widget_class_install_action (widget_class, "win.edit-lead", "s", cp_window_edit_lead_action);
  gtk_widget_class_install_action (widget_class, "win.open-lead", "s", cp_window_open_lead_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, cp_window_search_action);
  gtk_widget_class_install_action (widget_class, "win.capture", NULL, cp_window_capture_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, _cp_window_import_action);
  gtk_widget_class_install_action (widget_class, "win.import-activities", NULL,
                                   _cp_window_import_activities_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, _cp_window_export_action);

  for (guint i = 0; i < G_N_ELEMENTS (view_names); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_CONTROL_MASK,
                                         "win.show-view", "s", view_names[i]);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-lead", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "win.capture", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK,
                                       "win.preferences", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_install_action (widget_class, "win.sync-now", NULL, cp_window_sync_now_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.sync-now", NULL);
  g_type_ensure (CP_TYPE_SYNC_VIEW);
  g_type_ensure (CP_TYPE_REPORTS_VIEW);
  g_type_ensure (CP_TYPE_PLAYBOOK_VIEW);
  g_type_ensure (CP_TYPE_MY_WORK_VIEW);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, my_work_view);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, my_work_page);
  /* My Work sits left of the Pipeline: Ctrl+0. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "win.show-view", "s", "my-work");
}

static void
cp_window_init (CpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cp_first_frame_watch (GTK_WIDGET (self));
  self->bound_views = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_signal_connect (self, "notify::application", G_CALLBACK (application_changed_cb), NULL);

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "last-view", self->stack, "visible-child-name",
                   G_SETTINGS_BIND_DEFAULT);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-lead", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-activities", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", FALSE);

  /* A CSV file dropped on the window opens the import assistant. */
  {
    GtkDropTarget *target = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);

    g_signal_connect (target, "drop", G_CALLBACK (_cp_window_file_dropped_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
  }
}

const char *
cp_window_get_visible_view (CpWindow *self)
{
  g_return_val_if_fail (CP_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->stack);
}

void
cp_window_set_visible_view (CpWindow   *self,
                            const char *name)
{
  g_return_if_fail (CP_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  if (adw_view_stack_get_child_by_name (self->stack, name) == NULL)
    {
      g_warning ("No view named “%s”", name);
      return;
    }

  adw_view_stack_set_visible_child_name (self->stack, name);
}

void
cp_window_add_toast (CpWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (CP_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
