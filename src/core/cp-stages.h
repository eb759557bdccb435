/* cp-stages.h — the default lifecycle stages, until a playbook defines them
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *id;
  const char *title;         /* N_() marked: translate with _() */
  guint       rotting_days;  /* a lead longer than this in the stage is stuck; 0: no limit */
  gboolean    closed;        /* closed stages come last */
} CpStageInfo;

const CpStageInfo *cp_default_stages (guint *n_stages);

G_END_DECLS
