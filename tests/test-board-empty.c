/* test-board-empty.c — a board column with no card says why: the stage is
 * empty, or the filter hides its leads; not while loading, not folded
 *
 * A small store: three leads in New (one in dermatology), one in Engaged,
 * none elsewhere.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "cp-database.h"
#include "cp-lead-store.h"
#include "cp-pipeline-view.h"
#include "cp-stages.h"
#include "cp-test-util.h"
#include "cp-ui.h"
#include "cp-widget-test-util.h"

#define EMPTY_STAGE "No leads in this stage"
#define NO_MATCH "No leads match the filters"

static const CpStageInfo *stages;
static guint n_stages;

typedef struct
{
  char        *dir;
  CpDatabase  *database;
  CpLeadStore *store;
  GtkWindow   *window;
  char        *engaged_id;
  char        *new_id;
} Fixture;

static char *
add_lead (Fixture    *f,
          const char *first_name,
          const char *last_name,
          const char *service_line,
          const char *stage)
{
  return cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, first_name,
                              CP_LEAD_FIELD_LAST_NAME, last_name,
                              CP_LEAD_FIELD_SERVICE_LINE, service_line,
                              CP_LEAD_FIELD_STAGE, stage, CP_LEAD_N_FIELDS);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  cp_test_tmp_store_open (&f->dir, &f->database, &f->store);
  /* Any lead may move anywhere: the lifecycle's rules are not tested here. */
  cp_test_publish_open_playbook (f->database);
  f->new_id = add_lead (f, "Ada", "Lovelace", "cardiology", "new");
  second = add_lead (f, "Alan", "Turing", "cardiology", "new");
  third = add_lead (f, "Grace", "Hopper", "dermatology", "new");
  f->engaged_id = add_lead (f, "Edsger", "Dijkstra", "cardiology", "engaged");
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1400, 800);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  cp_test_iterate ();
  g_free (f->new_id);
  g_free (f->engaged_id);
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
}

/* A board of the default stages in the window, not yet loaded. */
static CpPipelineView *
new_board (Fixture *f)
{
  CpPipelineView *view = CP_PIPELINE_VIEW (cp_pipeline_view_new ());

  g_object_ref_sink (view);
  /* In the window first: the board then reads nothing before its first frame. */
  gtk_window_set_child (f->window, GTK_WIDGET (view));
  cp_pipeline_view_set_store (view, f->store);
  cp_pipeline_view_set_stages (view, stages, n_stages);

  return view;
}

static CpPipelineView *
show_board (Fixture *f)
{
  CpPipelineView *view = new_board (f);

  gtk_window_present (f->window);
  cp_test_iterate ();
  cp_test_wait_for_board (view);

  return view;
}

static void
close_board (Fixture        *f,
             CpPipelineView *view)
{
  gtk_window_set_child (f->window, NULL);
  cp_test_finalize_widget (view);
}

/* Whether @widget shows in @column (whether the window is shown or not). */
static gboolean
shows_in_column (GtkWidget        *widget,
                 CpPipelineColumn *column)
{
  for (GtkWidget *w = widget; w != GTK_WIDGET (column); w = gtk_widget_get_parent (w))
    if (!gtk_widget_get_visible (w))
      return FALSE;

  return gtk_widget_get_visible (GTK_WIDGET (column));
}

/* The label saying why the column of @stage has no card, if one shows. */
static GtkWidget *
empty_label (CpPipelineView *view,
             const char     *stage)
{
  CpPipelineColumn *column = cp_pipeline_view_find_column (view, stage);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  g_assert_nonnull (column);
  cp_test_collect_widgets (GTK_WIDGET (column), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      const char *text = gtk_label_get_text (labels->pdata[i]);

      if ((g_strcmp0 (text, EMPTY_STAGE) == 0 || g_strcmp0 (text, NO_MATCH) == 0) &&
          shows_in_column (labels->pdata[i], column))
        return labels->pdata[i];
    }

  return NULL;
}

static const char *
empty_text (CpPipelineView *view,
            const char     *stage)
{
  GtkWidget *label = empty_label (view, stage);

  return label != NULL ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

/* Whether a drop on @widget's middle reaches a drop target of its column. */
static gboolean
drop_lands_in_column (GtkWidget        *widget,
                      CpPipelineColumn *column)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (widget));
  graphene_point_t middle;
  GtkWidget *picked;

  g_assert_true (gtk_widget_compute_point (
    widget, root,
    &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0,
                          gtk_widget_get_height (widget) / 2.0),
    &middle));
  picked = gtk_widget_pick (root, middle.x, middle.y, GTK_PICK_DEFAULT);
  for (GtkWidget *w = picked; w != NULL && w != GTK_WIDGET (column); w = gtk_widget_get_parent (w))
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (w);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

          if (GTK_IS_DROP_TARGET (controller))
            return TRUE;
        }
    }

  return FALSE;
}

/* A stage with no lead says so, in a label a screen reader reads; the
 * columns with cards say nothing; a card can still be dropped there. */
static void
test_empty_stage_says_so (Fixture       *f,
                          gconstpointer  data)
{
  CpPipelineView *view = show_board (f);
  GtkWidget *label;

  g_assert_null (empty_text (view, "new"));
  g_assert_null (empty_text (view, "engaged"));
  for (guint i = 2; i < n_stages; i++)
    if (!stages[i].closed)
      g_assert_cmpstr (empty_text (view, stages[i].id), ==, EMPTY_STAGE);

  label = empty_label (view, "qualified");
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (label)), ==,
                   GTK_ACCESSIBLE_ROLE_LABEL);
  g_assert_true (gtk_label_get_wrap (GTK_LABEL (label)));
  g_assert_true (gtk_widget_has_css_class (label, "dim-label"));
  g_assert_true (drop_lands_in_column (label,
                                       cp_pipeline_view_find_column (view, "qualified")));
  cp_test_screenshot ("board-empty");

  close_board (f, view);
}

/* When the board's search or filter hides every lead of a stage, its
 * column says that instead; when it hides every lead of the board, the
 * board says so, once; cleared, each stage's own state is back. */
static void
test_filter_hides_stage (Fixture       *f,
                         gconstpointer  data)
{
  CpPipelineView *view = show_board (f);
  g_autoptr(CpLeadQuery) search = cp_lead_query_new ();
  g_autoptr(CpLeadQuery) filter = cp_lead_query_new ();
  g_autoptr(CpLeadQuery) nothing = cp_lead_query_new ();
  g_autoptr(CpLeadQuery) none = cp_lead_query_new ();

  search->search = g_strdup ("Lovelace");
  cp_pipeline_view_set_query (view, search);
  cp_test_wait_for_board (view);
  g_assert_cmpuint (cp_pipeline_column_get_n_shown (cp_pipeline_view_find_column (view, "new")),
                    ==, 1);
  g_assert_null (empty_text (view, "new"));
  g_assert_cmpstr (empty_text (view, "engaged"), ==, NO_MATCH);
  g_assert_cmpstr (empty_text (view, "qualified"), ==, NO_MATCH);
  g_assert_null (empty_text (view, "closed_won"));
  cp_test_screenshot ("board-filtered");

  /* A filter without a search. */
  filter->service_line = g_strdup ("dermatology");
  cp_pipeline_view_set_query (view, filter);
  cp_test_wait_for_board (view);
  g_assert_cmpuint (cp_pipeline_column_get_n_shown (cp_pipeline_view_find_column (view, "new")),
                    ==, 1);
  g_assert_null (empty_text (view, "new"));
  g_assert_cmpstr (empty_text (view, "engaged"), ==, NO_MATCH);

  /* Nothing matches at all: the board's own page says it. */
  nothing->search = g_strdup ("Nobody");
  cp_pipeline_view_set_query (view, nothing);
  cp_test_wait_for_board (view);
  for (guint i = 0; i < n_stages; i++)
    g_assert_null (empty_text (view, stages[i].id));

  cp_pipeline_view_set_query (view, none);
  cp_test_wait_for_board (view);
  g_assert_null (empty_text (view, "new"));
  g_assert_null (empty_text (view, "engaged"));
  g_assert_cmpstr (empty_text (view, "qualified"), ==, EMPTY_STAGE);

  close_board (f, view);
}

/* A lead moved into an empty column hides the text at once; the column it
 * left, now empty, shows it. */
static void
test_lead_moved_in_hides_it (Fixture       *f,
                             gconstpointer  data)
{
  CpPipelineView *view = show_board (f);
  CpPipelineColumn *qualified = cp_pipeline_view_find_column (view, "qualified");
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (empty_text (view, "qualified"), ==, EMPTY_STAGE);
  g_assert_true (cp_lead_store_move (f->store, f->engaged_id, NULL, "qualified", NULL,
                                     "Booked a consult", "tester", NULL, &error));
  g_assert_no_error (error);
  cp_test_wait_for_board (view);

  g_assert_cmpuint (cp_pipeline_column_get_n_shown (qualified), ==, 1);
  g_assert_null (empty_text (view, "qualified"));
  g_assert_cmpstr (empty_text (view, "engaged"), ==, EMPTY_STAGE);

  close_board (f, view);
}

/* While a column loads it shows the shape of its cards, not the text; a
 * folded column shows neither, and says it again once unfolded. */
static void
test_not_while_loading_or_folded (Fixture       *f,
                                  gconstpointer  data)
{
  CpPipelineView *view = new_board (f);
  CpPipelineColumn *lost = cp_pipeline_view_find_column (view, "closed_lost");

  cp_test_iterate ();
  g_assert_true (cp_pipeline_column_get_loading (cp_pipeline_view_find_column (view, "qualified")));
  g_assert_null (empty_text (view, "qualified"));

  gtk_window_present (f->window);
  cp_test_wait_for_board (view);
  g_assert_cmpstr (empty_text (view, "qualified"), ==, EMPTY_STAGE);

  g_assert_true (cp_pipeline_column_get_collapsed (lost));
  g_assert_null (empty_text (view, "closed_lost"));
  cp_pipeline_column_set_collapsed (lost, FALSE);
  cp_test_iterate ();
  g_assert_cmpstr (empty_text (view, "closed_lost"), ==, EMPTY_STAGE);
  cp_pipeline_column_set_collapsed (lost, TRUE);
  cp_test_iterate ();
  g_assert_null (empty_text (view, "closed_lost"));

  close_board (f, view);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cp_ui_init ();
  stages = cp_default_stages (&n_stages);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/board-empty/empty-stage-says-so", test_empty_stage_says_so);
  ADD ("/board-empty/filter-hides-stage", test_filter_hides_stage);
  ADD ("/board-empty/lead-moved-in-hides-it", test_lead_moved_in_hides_it);
  ADD ("/board-empty/not-while-loading-or-folded", test_not_while_loading_or_folded);
#undef ADD

  return g_test_run ();
}
