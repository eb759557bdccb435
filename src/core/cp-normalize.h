/* cp-normalize.h — match keys for finding duplicate leads
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cp-lead.h"

G_BEGIN_DECLS

typedef enum
{
  CP_MATCH_EMAIL,
  CP_MATCH_PHONE,
  CP_MATCH_NAME_LOCATION,
} CpMatchKind;

char       *cp_normalize_email     (const char  *email);
char       *cp_normalize_name      (const char  *name);
char       *cp_normalize_name_key  (const char  *first,
                                    const char  *last,
                                    const char  *location);
char       *cp_lead_match_key      (CpLead      *lead,
                                    CpMatchKind  kind,
                                    const char  *default_region);
const char *cp_match_kind_describe (CpMatchKind  kind);
guint       cp_name_key_distance   (const char  *a,
                                    const char  *b,
                                    guint        limit);

G_END_DECLS
