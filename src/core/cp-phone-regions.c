/* cp-phone-regions.c — the regions phone numbers can be read in
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-phone-regions"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-phone-regions.h"

/* Sorted by English name, as shown in Preferences. */
static const CpPhoneRegion regions[] = {
  { "AU", N_("Australia"), "61" },
  { "AT", N_("Austria"), "43" },
  { "BE", N_("Belgium"), "32" },
  { "BR", N_("Brazil"), "55" },
  { "CA", N_("Canada"), "1" },
  { "DK", N_("Denmark"), "45" },
  { "FR", N_("France"), "33" },
  { "DE", N_("Germany"), "49" },
  { "IN", N_("India"), "91" },
  { "IE", N_("Ireland"), "353" },
  { "IT", N_("Italy"), "39" },
  { "JP", N_("Japan"), "81" },
  { "MX", N_("Mexico"), "52" },
  { "NL", N_("Netherlands"), "31" },
  { "NZ", N_("New Zealand"), "64" },
  { "NO", N_("Norway"), "47" },
  { "PL", N_("Poland"), "48" },
  { "PT", N_("Portugal"), "351" },
  { "ZA", N_("South Africa"), "27" },
  { "ES", N_("Spain"), "34" },
  { "SE", N_("Sweden"), "46" },
  { "CH", N_("Switzerland"), "41" },
  { "GB", N_("United Kingdom"), "44" },
  { "US", N_("United States"), "1" },
};

const CpPhoneRegion *
cp_phone_region_nth (guint index)
{
  if (index >= G_N_ELEMENTS (regions))
    return NULL;

  return &regions[index];
}

guint
cp_phone_region_index (const char *code)
{
  if (code == NULL)
    return G_MAXUINT;

  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    if (g_ascii_strcasecmp (regions[i].code, code) == 0)
      return i;

  return G_MAXUINT;
}
