/* cp-playbook-format.h — the JSON form of a playbook: parse with exact errors, write back
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-playbook.h"

G_BEGIN_DECLS

#define CP_PLAYBOOK_FORMAT_VERSION 1

/* A document that is not a valid playbook fails with CP_CORE_ERROR_INVALID
 * and a "path: reason" message; a file that cannot be read or written keeps
 * the GLib error of the file (G_FILE_ERROR, G_IO_ERROR) with a longer message. */

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
