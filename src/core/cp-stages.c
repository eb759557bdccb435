/* cp-stages.c — the default lifecycle stages, until a playbook defines them
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-stages.h"

/* The healthcare lifecycle of the design brief, in order. */
static const CpStageInfo default_stages[] = {
  { "new", N_("New"), 14, FALSE },
  { "engaged", N_("Engaged"), 21, FALSE },
  { "qualified", N_("Qualified"), 21, FALSE },
  { "active_evaluation", N_("Active evaluation"), 30, FALSE },
  { "onboarding", N_("Onboarding"), 30, FALSE },
  { "adoption", N_("Adoption"), 60, FALSE },
  { "reactivation", N_("Reactivation"), 30, FALSE },
  { "closed_won", N_("Closed won"), 0, TRUE },
  { "closed_lost", N_("Closed lost"), 0, TRUE },
};

/**
 * cp_default_stages:
 * @n_stages: (out): how many
 *
 * Returns: (array length=n_stages) (transfer none): the stages, in order
 */
const CpStageInfo *
cp_default_stages (guint *n_stages)
{
  g_return_val_if_fail (n_stages != NULL, NULL);

  *n_stages = G_N_ELEMENTS (default_stages);
  return default_stages;
}
