/* cp-team-values.c — the team's values templates use: clinic name and phone, booking link
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-team-values"

#include "config.h"

#include "cp-outreach.h"
#include "cp-team-values.h"

/**
 * cp_team_values_new:
 * @settings: (nullable): the application's settings
 *
 * The placeholders a template fills from Preferences › Team rather than
 * from the lead (see cp-outreach.h), as cp_outreach_render_template()
 * takes them. A key the installed schema lacks, or left empty, is left
 * out: the template reports it as missing and the dialog asks for it.
 *
 * Returns: (transfer full) (element-type utf8 utf8): name → value
 */
GHashTable *
cp_team_values_new (GSettings *settings)
{
  static const struct { const char *key; const char *name; } team[] = {
    { "team-clinic-name", CP_OUTREACH_CLINIC_NAME },
    { "team-clinic-phone", CP_OUTREACH_CLINIC_PHONE },
    { "team-booking-link", CP_OUTREACH_BOOKING_LINK },
  };
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GSettingsSchema) schema = NULL;

  if (settings == NULL)
    return values;
  g_object_get (settings, "settings-schema", &schema, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (team); i++)
    {
      g_autofree char *value = NULL;

      if (schema == NULL || !g_settings_schema_has_key (schema, team[i].key))
        continue;
      value = g_strstrip (g_settings_get_string (settings, team[i].key));
      if (*value != '\0')
        g_hash_table_insert (values, g_strdup (team[i].name), g_steal_pointer (&value));
    }
  return values;
}
