/* cp-paths.c — where Carepath keeps its database, and the phone region it reads numbers in
 *
 * What the app and the command-line tool share about the person's
 * machine, without GTK: the CLI links GLib, SQLite, libsoup and json-glib,
 * never a toolkit.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-paths"

#include "config.h"

#include <gio/gio.h>

#include "cp-paths.h"

/**
 * cp_default_database_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/carepath/carepath.db`
 */
char *
cp_default_database_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "carepath", "carepath.db", NULL);
}

/**
 * cp_default_phone_region:
 *
 * The region phone numbers without a country code are read in: the
 * user's preference, or "US" when the settings schema is not installed
 * (a CLI run from a build tree must not abort over it).
 *
 * Returns: (transfer full): an ISO 3166 code
 */
char *
cp_default_phone_region (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *region = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    return g_strdup ("US");

  settings = g_settings_new (APP_ID);
  region = g_settings_get_string (settings, "default-phone-region");
  if (region == NULL || *region == '\0')
    return g_strdup ("US");

  return g_steal_pointer (&region);
}
