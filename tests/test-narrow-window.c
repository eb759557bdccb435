/* test-narrow-window.c — the main window at 360 px (half a small laptop
 * screen, a phone) and at 1400 px: nothing clipped, nothing overlapping,
 * and every control named
 *
 * Its own program: a registered application stays exported on the bus
 * until the process ends, one per test program.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cp-application.h"
#include "cp-button-names.h"
#include "cp-filter-bar.h"
#include "cp-playbook-view.h"
#include "cp-reports-view.h"
#include "cp-test-util.h"
#include "cp-ui.h"
#include "cp-widget-test-util.h"
#include "cp-window.h"

#define NARROW_WIDTH 360
#define NARROW_HEIGHT 640
#define WIDE_WIDTH 1400
#define WIDE_HEIGHT 900

static const char * const views[] = { "my-work",  "pipeline", "leads", "funnel",
                                      "playbook", "sync",     NULL };

typedef struct
{
  char          *dir;
  CpApplication *app;
} Fixture;

static Fixture fixture;

/* ---- finding and measuring ---- */

static GtkWidget *find_one (GtkWidget *root,
                            GType      type);

/* A view, shown (the window builds each view the first time it shows). */
static GtkWidget *
shown_view (CpWindow   *window,
            const char *name,
            GType       type)
{
  cp_window_set_visible_view (window, name);
  return find_one (GTK_WIDGET (window), type);
}

static GtkWidget *
find_one (GtkWidget *root,
          GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  cp_test_collect_widgets (root, type, found);
  g_assert_cmpuint (found->len, >, 0);
  return found->pdata[0];
}

/* On failure: the innermost widgets that ask for more than @limit px,
 * which are what keeps the window wide. */
static void
print_wide_widgets (GtkWidget *widget,
                    int        limit,
                    int        depth)
{
  gboolean wide_child = FALSE;
  int minimum = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_minimum = 0;

      if (!gtk_widget_get_visible (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &child_minimum, NULL, NULL, NULL);
      if (child_minimum > limit)
        {
          wide_child = TRUE;
          print_wide_widgets (child, limit, depth + 1);
        }
    }
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_printerr ("%*s%s%s%s (.%s) needs %d px\n", depth, "", wide_child ? "" : "→ ",
              G_OBJECT_TYPE_NAME (widget), gtk_widget_get_name (widget) != NULL ? "" : "",
              gtk_widget_get_css_name (widget), minimum);
}

/* Runs the main loop until @window has been laid out at @width (less
 * the frame its decorations may take: a window never gets wider than
 * asked, and not narrower than it needs). */
static void
wait_for_width (GtkWidget *window,
                int        width)
{
  for (int i = 0; i < 400; i++)
    {
      cp_test_iterate ();
      if (gtk_widget_get_mapped (window) && gtk_widget_get_width (window) <= width &&
          gtk_widget_get_width (window) >= width - 10)
        break;
      g_usleep (5000);
    }
  g_assert_true (gtk_widget_get_mapped (window));
  if (gtk_widget_get_width (window) > width)
    print_wide_widgets (window, width, 0);
  g_assert_cmpint (gtk_widget_get_width (window), <=, width);
  g_assert_cmpint (gtk_widget_get_width (window), >=, width - 10);
  /* Squeezers and leaflets settle on the allocation after this one. */
  for (int i = 0; i < 10; i++)
    {
      cp_test_iterate ();
      g_usleep (5000);
    }
}

/* @widget is shown, has room, and lies inside @window (not cut off at
 * its right or bottom edge). */
static void
assert_fits (GtkWidget  *widget,
             GtkWidget  *window,
             const char *what)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  if (bounds.size.width <= 0 || bounds.origin.x < 0 ||
      bounds.origin.x + bounds.size.width > gtk_widget_get_width (window) + 0.5 ||
      bounds.origin.y + bounds.size.height > gtk_widget_get_height (window) + 0.5)
    g_error ("%s: %.0f×%.0f at %.0f,%.0f does not fit a %d×%d window", what,
             bounds.size.width, bounds.size.height, bounds.origin.x, bounds.origin.y,
             gtk_widget_get_width (window), gtk_widget_get_height (window));
}

/* @widget got at least the width it asks for to show its content. */
static void
assert_not_clipped (GtkWidget  *widget,
                    const char *what)
{
  int natural = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  if (gtk_widget_get_width (widget) < natural)
    g_error ("%s: %d px wide, needs %d", what, gtk_widget_get_width (widget), natural);
}

static CpWindow *
open_window (int width,
             int height)
{
  CpWindow *window = g_object_new (CP_TYPE_WINDOW, "application", fixture.app, NULL);

  g_object_ref_sink (window);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_width (GTK_WIDGET (window), width);
  return window;
}

static void
close_window (CpWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  cp_test_iterate ();
  cp_test_finalize_widget (window);
}

/* The filter bar's two forms: the full row, or the Filters button. */
static GtkWidget *
filter_bar_form (GtkWidget *bar)
{
  return adw_squeezer_get_visible_child (ADW_SQUEEZER (find_one (bar, ADW_TYPE_SQUEEZER)));
}

/* ---- 360 px ---- */

static void
test_narrow_every_view_fits (void)
{
  CpWindow *window = open_window (NARROW_WIDTH, NARROW_HEIGHT);
  GtkWidget *content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  GtkWidget *stack = find_one (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);
  GtkWidget *title = find_one (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_TITLE);
  GtkWidget *bar = find_one (GTK_WIDGET (window), CP_TYPE_FILTER_BAR);
  GtkWidget *switcher_bar = find_one (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_BAR);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  for (guint i = 0; views[i] != NULL; i++)
    {
      GtkWidget *view;
      int minimum = 0;

      cp_window_set_visible_view (window, views[i]);
      wait_for_width (GTK_WIDGET (window), NARROW_WIDTH);
      view = adw_view_stack_get_visible_child (ADW_VIEW_STACK (stack));

      gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      g_test_message ("%s: minimum width %d", views[i], minimum);
      if (minimum > NARROW_WIDTH)
        g_error ("%s: the window needs %d px, more than %d", views[i], minimum, NARROW_WIDTH);

      assert_fits (title, GTK_WIDGET (window), "the title");
      assert_fits (view, GTK_WIDGET (window), views[i]);
      /* The views move to a bar at the bottom; the title shows the name. */
      g_assert_true (adw_view_switcher_title_get_title_visible (ADW_VIEW_SWITCHER_TITLE (title)));
      g_assert_true (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (switcher_bar)));
      assert_fits (switcher_bar, GTK_WIDGET (window), "the view switcher bar");
      if (gtk_widget_get_mapped (bar))
        {
          GtkWidget *form = filter_bar_form (bar);

          assert_fits (bar, GTK_WIDGET (window), "the filter bar");
          /* Folded into the Filters button, which is itself shown whole. */
          g_assert_true (GTK_IS_MENU_BUTTON (form));
          assert_fits (form, GTK_WIDGET (window), "the Filters button");
          assert_not_clipped (form, "the Filters button");
        }
    }
  close_window (window);
}

/* Folded, the Reports view shows its list, then the report with a way
 * back. */
static void
test_narrow_reports_fold (void)
{
  CpWindow *window = open_window (NARROW_WIDTH, NARROW_HEIGHT);
  CpReportsView *reports;
  AdwLeaflet *leaflet;
  GtkListBox *list;
  GtkWidget *back;

  reports = CP_REPORTS_VIEW (shown_view (window, "funnel", CP_TYPE_REPORTS_VIEW));
  leaflet = ADW_LEAFLET (find_one (GTK_WIDGET (reports), ADW_TYPE_LEAFLET));
  list = GTK_LIST_BOX (find_one (GTK_WIDGET (reports), GTK_TYPE_LIST_BOX));

  wait_for_width (GTK_WIDGET (window), NARROW_WIDTH);
  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "list");
  assert_fits (GTK_WIDGET (list), GTK_WIDGET (window), "the list of reports");

  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 1));
  wait_for_width (GTK_WIDGET (window), NARROW_WIDTH);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "report");
  /* Its filters fold away under a toggle; shown, they wrap onto more
   * lines: each is on screen, whole. */
  {
    g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();
    g_autoptr(GPtrArray) toggles = g_ptr_array_new ();
    GtkToggleButton *filters = NULL;
    GtkRevealer *revealer;

    cp_test_collect_widgets (GTK_WIDGET (reports), GTK_TYPE_DROP_DOWN, dropdowns);
    revealer = GTK_REVEALER (gtk_widget_get_ancestor (dropdowns->pdata[0], GTK_TYPE_REVEALER));
    g_assert_false (gtk_revealer_get_reveal_child (revealer));
    cp_test_collect_widgets (GTK_WIDGET (reports), GTK_TYPE_TOGGLE_BUTTON, toggles);
    for (guint i = 0; i < toggles->len; i++)
      if (g_strcmp0 (gtk_button_get_label (toggles->pdata[i]), "_Filters") == 0)
        filters = toggles->pdata[i];
    g_assert_nonnull (filters);
    assert_fits (GTK_WIDGET (filters), GTK_WIDGET (window), "the Filters toggle");
    gtk_toggle_button_set_active (filters, TRUE);
    g_assert_true (gtk_revealer_get_reveal_child (revealer));
    for (int i = 0; i < 100 && !gtk_widget_get_mapped (dropdowns->pdata[0]); i++)
      {
        cp_test_iterate ();
        g_usleep (10000);
      }
    wait_for_width (GTK_WIDGET (window), NARROW_WIDTH);
    g_assert_cmpuint (dropdowns->len, ==, 7);
    for (guint i = 0; i < dropdowns->len; i++)
      {
        g_autofree char *what = g_strdup_printf ("report filter %u", i);

        assert_fits (dropdowns->pdata[i], GTK_WIDGET (window), what);
        assert_not_clipped (dropdowns->pdata[i], what);
      }
  }
  back = adw_leaflet_get_visible_child (leaflet);
  back = gtk_widget_get_first_child (gtk_widget_get_first_child (back));
  g_assert_true (GTK_IS_BUTTON (back));
  g_assert_true (gtk_widget_get_visible (back));
  gtk_test_accessible_assert_property (back, GTK_ACCESSIBLE_PROPERTY_LABEL, "Back to all reports");
  g_signal_emit_by_name (back, "clicked");
  cp_test_iterate ();
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "list");

  /* Asked for a report by the window (Ctrl+number, a link): shown at once. */
  cp_reports_view_select (reports, 0);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "report");
  close_window (window);
}

/* ---- 1400 px ---- */

static void
test_wide_filter_bar_whole (void)
{
  CpWindow *window = open_window (WIDE_WIDTH, WIDE_HEIGHT);
  GtkWidget *bar = find_one (GTK_WIDGET (window), CP_TYPE_FILTER_BAR);
  CpReportsView *reports = CP_REPORTS_VIEW (shown_view (window, "funnel", CP_TYPE_REPORTS_VIEW));
  g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();
  GtkWidget *form;

  cp_window_set_visible_view (window, "pipeline");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  wait_for_width (GTK_WIDGET (window), WIDE_WIDTH);

  /* Every filter in the row, each shown whole, none behind another. */
  form = filter_bar_form (bar);
  g_assert_false (GTK_IS_MENU_BUTTON (form));
  cp_test_collect_widgets (form, GTK_TYPE_DROP_DOWN, dropdowns);
  g_assert_cmpuint (dropdowns->len, ==, 7);
  for (guint i = 0; i < dropdowns->len; i++)
    {
      g_autofree char *what = g_strdup_printf ("filter dropdown %u", i);

      assert_fits (dropdowns->pdata[i], bar, what);
      assert_not_clipped (dropdowns->pdata[i], what);
    }
  assert_fits (form, bar, "the filters");

  /* Wide, the Reports list and the report sit side by side. */
  cp_window_set_visible_view (window, "funnel");
  wait_for_width (GTK_WIDGET (window), WIDE_WIDTH);
  g_assert_false (adw_leaflet_get_folded (ADW_LEAFLET (find_one (GTK_WIDGET (reports),
                                                                 ADW_TYPE_LEAFLET))));
  close_window (window);
}

/* ---- one filter state, two forms ---- */

static void
test_filter_forms_share_state (void)
{
  CpWindow *window = open_window (NARROW_WIDTH, NARROW_HEIGHT);
  CpFilterBar *bar = CP_FILTER_BAR (find_one (GTK_WIDGET (window), CP_TYPE_FILTER_BAR));
  GtkWidget *filters = NULL;
  GtkPopover *popover;
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GPtrArray) in_popover = g_ptr_array_new ();
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();

  cp_window_set_visible_view (window, "pipeline");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  wait_for_width (GTK_WIDGET (window), NARROW_WIDTH);
  filters = filter_bar_form (GTK_WIDGET (bar));
  g_assert_true (GTK_IS_MENU_BUTTON (filters));
  gtk_test_accessible_assert_property (filters, GTK_ACCESSIBLE_PROPERTY_LABEL, "Filters");

  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (filters));
  cp_test_collect_widgets (GTK_WIDGET (popover), GTK_TYPE_DROP_DOWN, in_popover);
  cp_test_collect_widgets (GTK_WIDGET (bar), GTK_TYPE_DROP_DOWN, all);
  g_assert_cmpuint (in_popover->len, ==, 7);

  /* A service line picked in the popover filters, and the full row shows it. */
  {
    GtkDropDown *service = in_popover->pdata[0];
    GListModel *model = gtk_drop_down_get_model (service);

    g_assert_cmpuint (g_list_model_get_n_items (model), >, 1);
    gtk_drop_down_set_selected (service, 1);
    g_assert_nonnull (cp_filter_bar_get_query (bar)->service_line);
    for (guint i = 0; i < all->len; i++)
      if (all->pdata[i] != service && gtk_drop_down_get_model (all->pdata[i]) == model)
        g_assert_cmpuint (gtk_drop_down_get_selected (all->pdata[i]), ==, 1);
  }
  /* The SLA check is the bar's SLA toggle. */
  cp_test_collect_widgets (GTK_WIDGET (popover), GTK_TYPE_CHECK_BUTTON, checks);
  g_assert_cmpuint (checks->len, ==, 1);
  gtk_check_button_set_active (checks->pdata[0], TRUE);
  g_assert_true (cp_filter_bar_get_query (bar)->sla_breached_only);

  /* The button says how many filters it holds. */
  gtk_test_accessible_assert_property (filters, GTK_ACCESSIBLE_PROPERTY_LABEL, "Filters, 2 active");

  /* A lead with a new location: offered once the changes settle, and the
   * filters set stay set. */
  {
    CpLeadStore *store = cp_application_get_lead_store (fixture.app, NULL);
    GtkDropDown *location = in_popover->pdata[1];
    g_autofree char *service = g_strdup (cp_filter_bar_get_query (bar)->service_line);
    guint before = g_list_model_get_n_items (gtk_drop_down_get_model (location));

    g_free (cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Zed",
                                 CP_LEAD_FIELD_EMAIL, "zed@example.org",
                                 CP_LEAD_FIELD_LOCATION, "Lakeside Annex", CP_LEAD_N_FIELDS));
    for (int i = 0;
         i < 300 && g_list_model_get_n_items (gtk_drop_down_get_model (location)) == before; i++)
      {
        cp_test_iterate ();
        g_usleep (10000);
      }
    g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (location)), ==,
                      before + 1);
    g_assert_cmpstr (cp_filter_bar_get_query (bar)->service_line, ==, service);
    g_assert_true (cp_filter_bar_get_query (bar)->sla_breached_only);
    g_assert_cmpuint (gtk_drop_down_get_selected (in_popover->pdata[0]), ==, 1);
  }

  /* Cleared from the popover: nothing filters, in either form. */
  {
    GtkWidget *clear = NULL;
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

    cp_test_collect_widgets (GTK_WIDGET (popover), GTK_TYPE_BUTTON, buttons);
    for (guint i = 0; i < buttons->len; i++)
      if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), "_Clear Filters") == 0)
        clear = buttons->pdata[i];
    g_assert_nonnull (clear);
    g_signal_emit_by_name (clear, "clicked");
    g_assert_false (cp_lead_query_has_filter (cp_filter_bar_get_query (bar)));
    for (guint i = 0; i < all->len; i++)
      g_assert_cmpuint (gtk_drop_down_get_selected (all->pdata[i]), ==, 0);
    g_assert_false (gtk_check_button_get_active (checks->pdata[0]));
    gtk_test_accessible_assert_property (filters, GTK_ACCESSIBLE_PROPERTY_LABEL, "Filters");
  }

  /* The leads behind a long report row: the chip gives way, nothing widens. */
  {
    g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
    g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
    gint64 rowid = 1;
    GtkWidget *chip = NULL;
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
    int minimum = 0;

    g_array_append_val (rowids, rowid);
    cp_lead_query_set_lead_set (query, rowids,
                                "Stage funnel: Active evaluation, Riverside Northeast Campus");
    query->sla_breached_only = TRUE;   /* and the Filters button shows a count */
    cp_filter_bar_set_query (bar, query);
    wait_for_width (GTK_WIDGET (window), NARROW_WIDTH);
    cp_test_collect_widgets (GTK_WIDGET (bar), GTK_TYPE_BUTTON, buttons);
    for (guint i = 0; i < buttons->len; i++)
      if (g_strcmp0 (gtk_widget_get_tooltip_text (buttons->pdata[i]), "Show all leads again") == 0)
        chip = buttons->pdata[i];
    g_assert_nonnull (chip);
    assert_fits (chip, GTK_WIDGET (window), "the report's leads");
    assert_fits (filters, GTK_WIDGET (window), "the Filters button");
    gtk_widget_measure (adw_application_window_get_content (ADW_APPLICATION_WINDOW (window)),
                        GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
    if (minimum > NARROW_WIDTH)
      print_wide_widgets (GTK_WIDGET (window), NARROW_WIDTH, 0);
    g_assert_cmpint (minimum, <=, NARROW_WIDTH);
    gtk_test_accessible_assert_property (chip, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                         "Show all leads again, not only "
                                         "“Stage funnel: Active evaluation, Riverside Northeast "
                                         "Campus”");
  }
  close_window (window);
}

/* ---- names ---- */

static void
test_controls_are_named (void)
{
  CpWindow *window = open_window (WIDE_WIDTH, WIDE_HEIGHT);
  GtkWidget *reports = shown_view (window, "funnel", CP_TYPE_REPORTS_VIEW);
  GtkWidget *playbook = shown_view (window, "playbook", CP_TYPE_PLAYBOOK_VIEW);
  g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  GtkWidget *clear = NULL;
  g_autoptr(GPtrArray) menus = g_ptr_array_new ();
  static const char * const report_filters[] = {
    "Period", "Period applies to", "Source channel", "Service line", "Location", "Lead type",
    "Owner", NULL
  };

  /* The Reports filters, each named after what it filters. */
  cp_test_collect_widgets (reports, GTK_TYPE_DROP_DOWN, dropdowns);
  g_assert_cmpuint (dropdowns->len, ==, g_strv_length ((char **) report_filters));
  for (guint i = 0; i < dropdowns->len; i++)
    gtk_test_accessible_assert_property (dropdowns->pdata[i], GTK_ACCESSIBLE_PROPERTY_LABEL,
                                         report_filters[i]);

  /* The Playbook's overflow menu. */
  cp_test_collect_widgets (playbook, GTK_TYPE_MENU_BUTTON, menus);
  g_assert_cmpuint (menus->len, >, 0);
  for (guint i = 0; i < menus->len; i++)
    if (g_strcmp0 (gtk_menu_button_get_icon_name (menus->pdata[i]), "view-more-symbolic") == 0)
      gtk_test_accessible_assert_property (menus->pdata[i], GTK_ACCESSIBLE_PROPERTY_LABEL,
                                           "More playbook actions");

  /* A button with a mnemonic is named by what it shows, without the
   * underscore, once it is on screen (GTK 4.8 names it "_Clear"). */
  cp_window_set_visible_view (window, "pipeline");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  wait_for_width (GTK_WIDGET (window), WIDE_WIDTH);
  cp_test_collect_widgets (find_one (GTK_WIDGET (window), CP_TYPE_FILTER_BAR), GTK_TYPE_BUTTON,
                           buttons);
  for (guint i = 0; i < buttons->len && clear == NULL; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), "_Clear") == 0)
      clear = buttons->pdata[i];
  g_assert_nonnull (clear);
  g_assert_true (gtk_widget_get_mapped (clear));
  gtk_test_accessible_assert_property (clear, GTK_ACCESSIBLE_PROPERTY_LABEL, "Clear");
  /* … and again when its label changes. */
  gtk_button_set_label (GTK_BUTTON (clear), "Clear _All");
  gtk_test_accessible_assert_property (clear, GTK_ACCESSIBLE_PROPERTY_LABEL, "Clear All");
  gtk_button_set_label (GTK_BUTTON (clear), "_Clear");
  close_window (window);
}

static void
test_strip_mnemonic (void)
{
  static const char * const cases[][2] = {
    { "_Sync Now", "Sync Now" },
    { "Com_pare", "Compare" },
    { "Save __as", "Save _as" },
    { "No mnemonic", "No mnemonic" },
    { "trailing_", "trailing" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *stripped = cp_button_names_strip_mnemonic (cases[i][0]);
      g_assert_cmpstr (stripped, ==, cases[i][1]);
    }
  if (g_test_undefined ())
    {
      g_test_expect_message ("cp-button-names", G_LOG_LEVEL_CRITICAL, "*label != NULL*");
      g_assert_null (cp_button_names_strip_mnemonic (NULL));
      g_test_assert_expected_messages ();
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  CpLeadStore *store;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cp_ui_init ();

  /* Values long enough to be a test: a wide dropdown, a long name. */
  fixture.dir = cp_test_make_tmp_dir ();
  path = g_build_filename (fixture.dir, "leads.db", NULL);
  fixture.app = cp_application_new (CP_TYPE_WINDOW);
  g_application_set_flags (G_APPLICATION (fixture.app), G_APPLICATION_NON_UNIQUE);
  cp_application_set_database_path (fixture.app, path);
  g_assert_true (g_application_register (G_APPLICATION (fixture.app), NULL, &error));
  g_assert_no_error (error);
  store = cp_application_get_lead_store (fixture.app, &error);
  g_assert_no_error (error);
  g_free (cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Maximiliana-Josefina",
                               CP_LEAD_FIELD_LAST_NAME, "Vandenberghe-Oyelaran",
                               CP_LEAD_FIELD_EMAIL, "maximiliana@example.org",
                               CP_LEAD_FIELD_SERVICE_LINE, "cardiology",
                               CP_LEAD_FIELD_LOCATION, "Riverside Northeast Campus",
                               CP_LEAD_FIELD_OWNER, "Bartholomew Featherstonehaugh",
                               CP_LEAD_N_FIELDS));
  g_free (cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Ana",
                               CP_LEAD_FIELD_EMAIL, "ana@example.org",
                               CP_LEAD_FIELD_SERVICE_LINE, "primary_care",
                               CP_LEAD_FIELD_LOCATION, "Downtown",
                               CP_LEAD_N_FIELDS));

  g_test_add_func ("/narrow/360/every-view-fits", test_narrow_every_view_fits);
  g_test_add_func ("/narrow/360/reports-fold", test_narrow_reports_fold);
  g_test_add_func ("/narrow/360/filter-forms-share-state", test_filter_forms_share_state);
  g_test_add_func ("/narrow/1400/filter-bar-whole", test_wide_filter_bar_whole);
  g_test_add_func ("/narrow/names/controls", test_controls_are_named);
  g_test_add_func ("/narrow/names/strip-mnemonic", test_strip_mnemonic);

  status = g_test_run ();
  g_clear_object (&fixture.app);
  cp_test_remove_tree (fixture.dir);
  g_free (fixture.dir);
  return status;
}
