/* cp-team-values.h — the team's values templates use: clinic name and phone, booking link
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GHashTable *cp_team_values_new (GSettings *settings);

G_END_DECLS
