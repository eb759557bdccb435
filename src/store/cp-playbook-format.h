/* cp-playbook-format.h — the JSON form of a playbook: parse with exact errors, write back
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-playbook.h"
#include "cp-store-error.h"

G_BEGIN_DECLS

#define CP_PLAYBOOK_FORMAT_VERSION 1

CpPlaybook *cp_playbook_format_parse        (const char  *json,
                                             gssize       length,
                                             GError     **error);
CpPlaybook *cp_playbook_format_load_file    (const char  *path,
                                             GError     **error);
char       *cp_playbook_format_serialize    (CpPlaybook  *playbook);
gboolean    cp_playbook_format_save_file    (CpPlaybook  *playbook,
                                             const char  *path,
                                             GError     **error);
GBytes     *cp_playbook_format_default_json (void);
CpPlaybook *cp_playbook_format_load_default (void);

G_END_DECLS
