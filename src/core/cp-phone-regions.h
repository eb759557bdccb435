/* cp-phone-regions.h — the regions phone numbers can be read in
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *code;          /* ISO 3166-1 alpha-2 */
  const char *name;          /* English name, N_() marked */
  const char *calling_code;  /* without the "+" */
} CpPhoneRegion;

const CpPhoneRegion *cp_phone_region_nth    (guint       index);
guint                cp_phone_region_index  (const char *code);

G_END_DECLS
