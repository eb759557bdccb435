/* cp-preferences-window.c — application preferences
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-phone-regions.h"
#include "cp-preferences-window.h"

struct _CpPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  AdwComboRow          *region_row;
  GtkStringList        *region_list;
};

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

static void
cp_preferences_window_dispose (GObject *object)
{
  CpPreferencesWindow *self = CP_PREFERENCES_WINDOW (object);

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
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, region_list);
}

static void
cp_preferences_window_init (CpPreferencesWindow *self)
{
  const CpPhoneRegion *region;

  gtk_widget_init_template (GTK_WIDGET (self));

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
}

CpPreferencesWindow *
cp_preferences_window_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (CP_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
}
