/* cp-playbook-private.h — what the playbook's model, checks and differences share
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-playbook.h"

G_BEGIN_DECLS

/* The id of a part in one of the playbook's lists: every part struct
 * starts with its id (CpBusinessHours with its location, which serves as
 * its id). */
static inline const char *
_cp_playbook_part_id (GPtrArray *parts,
                      guint      index)
{
  return *(char **) g_ptr_array_index (parts, index);
}

G_END_DECLS
