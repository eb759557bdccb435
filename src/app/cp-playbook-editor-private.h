/* cp-playbook-editor-private.h — how the editor's files change the draft
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-playbook-editor.h"

G_BEGIN_DECLS

CpPlaybook *_cp_playbook_editor_working_copy (CpPlaybookEditor  *self);
gboolean    _cp_playbook_editor_commit       (CpPlaybookEditor  *self,
                                              CpPlaybook        *changed,
                                              GError           **error);


G_END_DECLS
