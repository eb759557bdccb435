/* cp-preferences-window.c — application preferences
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-application.h"
#include "cp-crm-mapping-page.h"
#include "cp-lead-store.h"
#include "cp-phone-regions.h"
#include "cp-preferences-window.h"
#include "cp-sync-controller.h"
#include "cp-toast.h"

struct _CpPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  AdwComboRow          *region_row;
  AdwPreferencesGroup  *owner_group;
  AdwEntryRow          *owner_row;
  GtkStringList        *region_list;
  AdwComboRow          *backend_row;
  AdwEntryRow          *url_row;
  AdwEntryRow          *token_row;
  AdwActionRow         *test_row;
  GtkWidget            *test_button;
  GtkWidget            *prepare_button;
  AdwActionRow         *setup_row;
  GtkSpinButton        *interval_button;
  CpCrmMappingPage     *mapping_page;
  GtkWidget            *notifications_group;
  GtkWidget            *background_switch;
  GtkWidget            *team_group;
  GtkWidget            *clinic_name_row;
  GtkWidget            *clinic_phone_row;
  GtkWidget            *booking_link_row;
  GCancellable         *cancellable;
};

/* The backend combo row's order. */
static const char * const backend_names[] = { "none", "hubspot", "espocrm" };

G_DEFINE_FINAL_TYPE (CpPreferencesWindow, cp_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static gboolean
region_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const char *code = g_variant_get_string (variant, NULL);
  guint index = cp_phone_region_index (code);

  if (index == G_MAXUINT)
    return FALSE;

  g_value_set_uint (value, index);
  return TRUE;
}

static GVariant *
region_set_mapping (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  const CpPhoneRegion *region = cp_phone_region_nth (g_value_get_uint (value));

  if (region == NULL)
    return NULL;

  return g_variant_new_string (region->code);
}

static gboolean
backend_get_mapping (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  const char *name = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (backend_names); i++)
    if (g_str_equal (name, backend_names[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
backend_set_mapping (const GValue       *value,
                     const GVariantType *expected_type,
                     gpointer            user_data)
{
  guint index = g_value_get_uint (value);

  return index < G_N_ELEMENTS (backend_names) ? g_variant_new_string (backend_names[index]) : NULL;
}

static const char *
selected_backend (CpPreferencesWindow *self)
{
  guint index = adw_combo_row_get_selected (self->backend_row);

  return index < G_N_ELEMENTS (backend_names) ? backend_names[index] : "none";
}

static void
backend_changed_cb (CpPreferencesWindow *self)
{
  cp_crm_mapping_page_set_backend (self->mapping_page, selected_backend (self));
}

static void
token_saved_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CpPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cp_sync_save_token_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_action_row_set_subtitle (self->test_row, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    cp_toast_new_text (_("Token saved in the keyring")));
}

static void
token_applied_cb (CpPreferencesWindow *self)
{
  const char *token = gtk_editable_get_text (GTK_EDITABLE (self->token_row));

  if (*token == '\0' || g_str_equal (selected_backend (self), "none"))
    return;
  cp_sync_save_token_async (selected_backend (self),
                            gtk_editable_get_text (GTK_EDITABLE (self->url_row)), token,
                            self->cancellable, token_saved_cb, g_object_ref (self));
}

static void
connection_checked_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(CpPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cp_sync_check_connection_finish (result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (self->test_button, TRUE);
  gtk_widget_set_sensitive (self->prepare_button, TRUE);
  /* Connected, but the CRM lacks what sync writes with: say what and
   * offer to create it, in a row of its own. */
  if (cp_sync_can_prepare_crm (selected_backend (self), error))
    {
      adw_action_row_set_subtitle (self->setup_row, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->setup_row), TRUE);
      adw_action_row_set_subtitle (self->test_row,
                                   _("Connected; HubSpot lacks a property sync needs"));
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->setup_row), FALSE);
  adw_action_row_set_subtitle (self->test_row, error != NULL ? error->message : _("Connected"));
}

static void
check_connection (CpPreferencesWindow *self,
                  gboolean             prepare)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  const char *token = gtk_editable_get_text (GTK_EDITABLE (self->token_row));

  gtk_widget_set_sensitive (self->test_button, FALSE);
  gtk_widget_set_sensitive (self->prepare_button, FALSE);
  adw_action_row_set_subtitle (self->test_row,
                               prepare ? _("Creating the property…") : _("Connecting…"));
  if (prepare)
    cp_sync_prepare_crm_async (selected_backend (self), url, token, self->cancellable,
                               connection_checked_cb, g_object_ref (self));
  else
    cp_sync_check_connection_async (selected_backend (self), url, token, self->cancellable,
                                    connection_checked_cb, g_object_ref (self));
}

static void
test_clicked_cb (CpPreferencesWindow *self)
{
  if (g_str_equal (selected_backend (self), "none"))
    {
      adw_action_row_set_subtitle (self->test_row, _("Choose a CRM first"));
      return;
    }
  check_connection (self, FALSE);
}

static void
prepare_response_cb (AdwMessageDialog    *dialog,
                     const char          *response,
                     CpPreferencesWindow *self)
{
  if (g_str_equal (response, "create"))
    check_connection (self, TRUE);
}

/* It changes the CRM for everyone using it: ask first. */
static void
prepare_clicked_cb (CpPreferencesWindow *self)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Create the Property in HubSpot?"),
                                                       NULL));
  adw_message_dialog_set_body (dialog,
                               _("Carepath keeps each lead’s id in the contact property "
                                 "“carepath_id” (single-line text, unique values) to find its "
                                 "contact again. It is created once, for everyone using this "
                                 "HubSpot account, and needs a token allowed to change contact "
                                 "properties."));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "create", _("C_reate"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "create", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "create");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (prepare_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Keys a newer schema brings: a row without its key is hidden. */
static gboolean
bind_if_known (CpPreferencesWindow *self,
               const char          *key,
               GtkWidget           *widget,
               const char          *property)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (self->settings, "settings-schema", &schema, NULL);
  if (!g_settings_schema_has_key (schema, key))
    {
      gtk_widget_set_visible (widget, FALSE);
      return FALSE;
    }
  g_settings_bind (self->settings, key, widget, property, G_SETTINGS_BIND_DEFAULT);
  return TRUE;
}

static void
bind_notifications_and_team (CpPreferencesWindow *self)
{
  gboolean team = FALSE;

  gtk_widget_set_visible (self->notifications_group,
                          bind_if_known (self, "run-in-background", self->background_switch,
                                         "active"));
  team |= bind_if_known (self, "team-clinic-name", self->clinic_name_row, "text");
  team |= bind_if_known (self, "team-clinic-phone", self->clinic_phone_row, "text");
  team |= bind_if_known (self, "team-booking-link", self->booking_link_row, "text");
  gtk_widget_set_visible (self->team_group, team);
}

static void
cp_preferences_window_dispose (GObject *object)
{
  CpPreferencesWindow *self = CP_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cp_preferences_window_parent_class)->dispose (object);
}

static void
cp_preferences_window_class_init (CpPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/cp-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, region_row);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, owner_group);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, owner_row);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, region_list);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, backend_row);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, url_row);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, token_row);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, test_row);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, test_button);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, prepare_button);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, setup_row);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, interval_button);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, notifications_group);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, team_group);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, clinic_name_row);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, clinic_phone_row);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, booking_link_row);
  gtk_widget_class_bind_template_callback (widget_class, token_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, prepare_clicked_cb);
}

/* AdwPreferencesWindow's own parts that libadwaita 1.2 leaves unnamed for
 * assistive technology: its search entry and results (search is off here,
 * but they are in the tree a screen reader walks) and the pages' scrolled
 * areas. */
static void
name_window_parts (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_SEARCH_ENTRY (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Search preferences"), -1);
      else if (GTK_IS_LIST_BOX (child) &&
               gtk_widget_get_ancestor (child, ADW_TYPE_PREFERENCES_GROUP) == NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Search results"), -1);
      else if (GTK_IS_LIST_BOX (child))
        {
          /* A group without a title leaves its rows' list unnamed: the
           * page's title (or the window's) names it. */
          AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (child,
                                                                ADW_TYPE_PREFERENCES_GROUP));
          GtkWidget *page = gtk_widget_get_ancestor (child, ADW_TYPE_PREFERENCES_PAGE);
          const char *title = adw_preferences_group_get_title (group);

          const char *page_title = page != NULL
            ? adw_preferences_page_get_title (ADW_PREFERENCES_PAGE (page)) : NULL;

          if (title == NULL || *title == '\0')
            gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                            page_title != NULL && *page_title != '\0'
                                            ? page_title : _("Preferences"), -1);
        }
      else if (GTK_IS_SCROLLED_WINDOW (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Preferences"), -1);
      name_window_parts (child);
    }
}

static void
cp_preferences_window_init (CpPreferencesWindow *self)
{
  const CpPhoneRegion *region;

  gtk_widget_init_template (GTK_WIDGET (self));
  name_window_parts (GTK_WIDGET (self));

  for (guint i = 0; (region = cp_phone_region_nth (i)) != NULL; i++)
    {
      /* Translators: a country name followed by its calling code, e.g. “Germany (+49)” */
      g_autofree char *label = g_strdup_printf (_("%s (+%s)"), _(region->name),
                                                region->calling_code);
      gtk_string_list_append (self->region_list, label);
    }

  self->settings = g_settings_new (APP_ID);
  g_settings_bind_with_mapping (self->settings, "default-phone-region",
                                self->region_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                region_get_mapping, region_set_mapping, NULL, NULL);
  self->cancellable = g_cancellable_new ();
  g_settings_bind_with_mapping (self->settings, "sync-backend", self->backend_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                backend_get_mapping, backend_set_mapping, NULL, NULL);
  g_settings_bind (self->settings, "user-name", self->owner_row, "text", G_SETTINGS_BIND_DEFAULT);
  {
    /* Translators: %s is the full name of the computer account */
    g_autofree char *explain =
        g_strdup_printf (_("As queues and leads name you. Notifications of overdue "
                           "responses and new leads are for the leads you own. "
                            "Empty: %s."),
                         g_get_real_name ());
    g_autofree char *markup = g_markup_escape_text (explain, -1);

    adw_preferences_group_set_description (self->owner_group, markup);
  }
  g_settings_bind (self->settings, "sync-base-url", self->url_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "sync-interval", self->interval_button, "value",
                   G_SETTINGS_BIND_DEFAULT);
  bind_notifications_and_team (self);

  self->mapping_page = cp_crm_mapping_page_new ();
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (self->mapping_page));
  g_signal_connect_swapped (self->backend_row, "notify::selected",
                            G_CALLBACK (backend_changed_cb), self);
  backend_changed_cb (self);
}

CpPreferencesWindow *
cp_preferences_window_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  CpPreferencesWindow *self = g_object_new (CP_TYPE_PREFERENCES_WINDOW,
                                            "transient-for", parent,
                                            NULL);
  GtkApplication *application = parent != NULL ? gtk_window_get_application (parent) : NULL;

  /* The mapping lives in the database the window shows. */
  if (CP_IS_APPLICATION (application))
    {
      CpLeadStore *store = cp_application_get_lead_store (CP_APPLICATION (application), NULL);

      if (store != NULL)
        cp_crm_mapping_page_set_database (self->mapping_page, cp_lead_store_get_database (store),
                                          cp_application_get_playbook (
                                              CP_APPLICATION (application)));
    }
  return self;
}
