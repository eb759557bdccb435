/* cp-main-context.c — hand work from a worker to the thread that iterates a main context
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "cp-main-context.h"

/**
 * cp_main_context_post:
 * @context: (nullable): the context whose thread runs @func; %NULL: the
 *   global default context
 * @priority: the idle source's priority
 * @func: called once in that thread (its return value is ignored: the
 *   source goes after one call)
 * @notify: (nullable): frees @data after the call
 *
 * Unlike g_main_context_invoke(), never runs @func in the calling thread.
 * A worker thread's thread-default context is the global default one, so
 * g_main_context_invoke() from a worker runs the function right there
 * whenever the main thread happens to be between two iterations (a
 * progress callback then touches the caller's state from the worker).
 */
void
cp_main_context_post (GMainContext   *context,
                      int             priority,
                      GSourceFunc     func,
                      gpointer        data,
                      GDestroyNotify  notify)
{
  GSource *source;

  g_return_if_fail (func != NULL);

  source = g_idle_source_new ();
  g_source_set_priority (source, priority);
  g_source_set_callback (source, func, data, notify);
  g_source_set_static_name (source, "[carepath] from a worker");
  g_source_attach (source, context);
  g_source_unref (source);
}
