/* cp-main-context.h — hand work from a worker to the thread that iterates a main context
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void cp_main_context_post (GMainContext   *context,
                           int             priority,
                           GSourceFunc     func,
                           gpointer        data,
                           GDestroyNotify  notify);

G_END_DECLS
