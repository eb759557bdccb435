/* cp-widget-test-util.c — what widget tests share: main loop, leaks, finding widgets
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <link.h>
#include <stdio.h>
#include <string.h>

#include "cp-widget-test-util.h"

/* ---- GLib's quark table, kept reachable for LeakSanitizer ----
 *
 * GLib leaks its quark table each time it grows past 2,048 quarks, on
 * purpose (gquark.c: the old array stays for lock-free readers). A widget
 * test that opens a few windows and dialogs registers that many (type,
 * signal and property names). LeakSanitizer cannot name the block — GLib
 * has no frame pointers, so the stack stops at g_malloc — and therefore
 * cannot suppress it without hiding every g_malloc leak of ours. Instead
 * the first table is found at start-up and kept in a global here, which
 * makes exactly that block reachable and leaves every other leak
 * reported. */

static gpointer first_quark_table;

typedef struct
{
  guintptr start, end;
} Region;

typedef struct
{
  GArray     *readable;       /* Region */
  const char *marks[2];
  GQuark      quarks[2];
  gpointer    found;
} QuarkSearch;

static gboolean
is_readable (GArray   *regions,
             guintptr  start,
             gsize     length)
{
  for (guint i = 0; i < regions->len; i++)
    {
      Region *r = &g_array_index (regions, Region, i);
      if (start >= r->start && start + length <= r->end)
        return TRUE;
    }
  return FALSE;
}

/* Not instrumented: it reads words that may be anything (checked against
 * the readable mappings first). */
__attribute__ ((no_sanitize_address)) static int
find_quark_table_cb (struct dl_phdr_info *info,
                     size_t               size,
                     void                *data)
{
  QuarkSearch *search = data;
  gsize span = (MAX (search->quarks[0], search->quarks[1]) + 1) * sizeof (char *);

  if (info->dlpi_name == NULL || strstr (info->dlpi_name, "libglib-2.0.so") == NULL)
    return 0;
  for (int i = 0; i < info->dlpi_phnum; i++)
    {
      const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
      guintptr start = info->dlpi_addr + segment->p_vaddr;

      if (segment->p_type != PT_LOAD || !(segment->p_flags & PF_W))
        continue;
      for (guintptr at = start; at + sizeof (gpointer) <= start + segment->p_memsz;
           at += sizeof (gpointer))
        {
          char **candidate = *(char ***) at;

          if ((guintptr) candidate % sizeof (gpointer) != 0 ||
              !is_readable (search->readable, (guintptr) candidate, span))
            continue;
          if (candidate[search->quarks[0]] == search->marks[0] &&
              candidate[search->quarks[1]] == search->marks[1])
            {
              search->found = candidate;
              return 1;
            }
        }
    }
  return 1;
}

__attribute__ ((constructor)) static void
keep_quark_table (void)
{
  static const char mark_a[] = "cp-test-quark-table-a";
  static const char mark_b[] = "cp-test-quark-table-b";
  QuarkSearch search = { NULL, { mark_a, mark_b }, { 0, 0 }, NULL };
  FILE *maps = fopen ("/proc/self/maps", "r");
  char line[512];

  if (maps == NULL)
    return;
  search.readable = g_array_new (FALSE, FALSE, sizeof (Region));
  while (fgets (line, sizeof line, maps) != NULL)
    {
      unsigned long start, end;
      char perms[5];

      if (sscanf (line, "%lx-%lx %4s", &start, &end, perms) == 3 && perms[0] == 'r')
        {
          Region region = { start, end };
          g_array_append_val (search.readable, region);
        }
    }
  fclose (maps);
  search.quarks[0] = g_quark_from_static_string (mark_a);
  search.quarks[1] = g_quark_from_static_string (mark_b);
  dl_iterate_phdr (find_quark_table_cb, &search);
  first_quark_table = search.found;
  g_array_unref (search.readable);
}

/* Runs everything pending: signal emissions, idles, relayouts. */
void
cp_test_iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/**
 * cp_test_finalize_widget:
 * @widget: (transfer full): the test's last reference
 *
 * GTK drops some references from idle work (list item recycling, focus
 * changes); it gets up to five seconds (a loaded CI machine, a sanitizer
 * build) before a leak is declared.
 */
void
cp_test_finalize_widget (gpointer widget)
{
  gpointer weak = widget;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (G_OBJECT (widget), &weak);
  g_object_unref (widget);
  while (weak != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  if (weak != NULL)
    g_error ("%s %p was not finalized: %u references left", G_OBJECT_TYPE_NAME (weak), weak,
             G_OBJECT (weak)->ref_count);
}

/**
 * cp_test_find_button:
 *
 * Returns: (transfer none) (nullable): the first button below @root that
 *   activates @action_name, as a user would find it
 */
GtkWidget *
cp_test_find_button (GtkWidget  *root,
                     const char *action_name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action_name) == 0)
        return child;
      if ((found = cp_test_find_button (child, action_name)) != NULL)
        return found;
    }

  return NULL;
}

/**
 * cp_test_find_dialog:
 *
 * Returns: (transfer none) (nullable): the visible message dialog on top of @parent
 */
AdwMessageDialog *
cp_test_find_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_window_get_transient_for (window) == parent &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

/* Every widget of @type below @root, in the order a user reads them. */
void
cp_test_collect_widgets (GtkWidget *root,
                         GType      type,
                         GPtrArray *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        g_ptr_array_add (out, child);
      cp_test_collect_widgets (child, type, out);
    }
}

/**
 * cp_test_screenshot:
 * @suffix: what the picture shows
 *
 * With CP_TEST_SCREENSHOT=BASE in the environment, lets the screen settle
 * and saves it as BASE-SUFFIX.png (for the README); otherwise does nothing.
 */
void
cp_test_screenshot (const char *suffix)
{
  const char *base = g_getenv ("CP_TEST_SCREENSHOT");
  g_autofree char *command = NULL;

  if (base == NULL)
    return;
  for (int i = 0; i < 40; i++)
    {
      cp_test_iterate ();
      g_usleep (25000);
    }
  command = g_strdup_printf ("import -window root %s-%s.png", base, suffix);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
}

/* Until the board's first figures and cards are in: they are read on the
 * store's read worker, the main loop brings them. */
void
cp_test_wait_for_board (CpPipelineView *view)
{
  while (cp_pipeline_view_get_busy (view))
    g_main_context_iteration (NULL, TRUE);
  cp_test_iterate ();
}

/* Whether a label showing exactly @text is in @root (a toast's title). */
gboolean
cp_test_shows_label (GtkWidget  *root,
                     const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  cp_test_collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0)
      return TRUE;
  return FALSE;
}
