/* test-pipeline-view.c — the pipeline board and the Leads table over a real store
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cp-database.h"
#include "cp-demo-writer.h"
#include "cp-filter-bar.h"
#include "cp-lead-card.h"
#include "cp-lead-detail-window.h"
#include "cp-move-dialog.h"
#include "cp-lead-store.h"
#include "cp-leads-view.h"
#include "cp-pipeline-view.h"
#include "cp-test-util.h"
#include "cp-widget-test-util.h"
#include "cp-ui.h"


/* The stages the board is built with (the core's defaults). */
static const CpStageInfo *stages;
static guint n_stages;

typedef struct
{
  char        *dir;
  CpDatabase  *database;
  CpLeadStore *store;
  GtkWindow   *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  cp_test_tmp_store_open (&f->dir, &f->database, &f->store);
  g_assert_true (cp_demo_writer_run (f->store, 600, 11, g_get_real_time () / G_USEC_PER_SEC,
                                     NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1400, 800);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  cp_test_iterate ();
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
}

static guint
store_count (Fixture    *f,
             const char *stage,
             const char *service_line)
{
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GError) error = NULL;
  guint count = 0;

  query->stage = g_strdup (stage);
  query->service_line = g_strdup (service_line);
  g_assert_true (cp_lead_store_count (f->store, query, &count, &error));
  g_assert_no_error (error);

  return count;
}

static CpPipelineView *
show_board (Fixture *f)
{
  CpPipelineView *view = CP_PIPELINE_VIEW (cp_pipeline_view_new ());

  g_object_ref_sink (view);
  cp_pipeline_view_set_store (view, f->store);
  cp_pipeline_view_set_stages (view, stages, n_stages);
  gtk_window_set_child (f->window, GTK_WIDGET (view));
  gtk_window_present (f->window);
  cp_test_iterate ();
  cp_test_wait_for_board (view);

  return view;
}

static void
test_board_columns_follow_stages (Fixture       *f,
                                  gconstpointer  data)
{
  CpPipelineView *view = show_board (f);
  guint total = 0;

  g_assert_cmpuint (cp_pipeline_view_get_n_columns (view), ==, n_stages);
  for (guint i = 0; i < n_stages; i++)
    {
      CpPipelineColumn *column = cp_pipeline_view_get_column (view, i);
      GListModel *model = cp_pipeline_column_get_model (column);

      g_assert_cmpstr (cp_pipeline_column_get_stage (column), ==, stages[i].id);
      /* Header count, the column's model and the store agree. */
      g_assert_cmpuint (cp_pipeline_column_get_count (column), ==,
                        store_count (f, stages[i].id, NULL));
      g_assert_cmpuint (g_list_model_get_n_items (model), ==, store_count (f, stages[i].id, NULL));
      total += cp_pipeline_column_get_count (column);
    }
  g_assert_cmpuint (total, ==, 600);
  /* Closed stages start folded. */
  g_assert_true (
      cp_pipeline_column_get_collapsed (cp_pipeline_view_find_column (view, "closed_won")));
  g_assert_false (cp_pipeline_column_get_collapsed (cp_pipeline_view_find_column (view, "new")));
  g_assert_null (cp_pipeline_view_find_column (view, "no_such_stage"));

  gtk_window_set_child (f->window, NULL);
  cp_test_finalize_widget (view);
}

static void
test_board_cards_are_bounded (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CpPipelineView *view;
  GtkWidget *child;
  guint cards = 0;

  g_assert_true (cp_demo_writer_run (f->store, 4000, 12, g_get_real_time () / G_USEC_PER_SEC,
                                     NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  view = show_board (f);

  /* GtkListView recycles rows: the board holds far fewer card widgets than
   * leads. Walk the tree and count them. */
  for (child = GTK_WIDGET (view); child != NULL;)
    {
      if (CP_IS_LEAD_CARD (child))
        cards++;
      if (gtk_widget_get_first_child (child) != NULL)
        child = gtk_widget_get_first_child (child);
      else
        {
          while (child != NULL && child != GTK_WIDGET (view) &&
                 gtk_widget_get_next_sibling (child) == NULL)
            child = gtk_widget_get_parent (child);
          child = child == NULL || child == GTK_WIDGET (view) ? NULL
                                                              : gtk_widget_get_next_sibling (child);
        }
    }
  g_assert_cmpuint (cards, >, 0);
  {
    /* A column offers a first screenful, and more when scrolled to its end. */
    CpPipelineColumn *column = cp_pipeline_view_find_column (view, "new");
    guint total = g_list_model_get_n_items (cp_pipeline_column_get_model (column));
    guint shown = cp_pipeline_column_get_n_shown (column);

    g_assert_cmpuint (total, >, 150);
    g_assert_cmpuint (shown, <, total);
    cp_pipeline_column_show_more (column);
    g_assert_cmpuint (cp_pipeline_column_get_n_shown (column), ==, MIN (total, shown + 100));
    for (guint i = 0; i < 20; i++)
      cp_pipeline_column_show_more (column);
    g_assert_cmpuint (cp_pipeline_column_get_n_shown (column), ==, total);
  }
  /* GTK keeps at most a couple of hundred rows per list around what is
   * visible; 4,600 leads must not become 4,600 widgets. */
  g_assert_cmpuint (cards, <, 2500);
  g_assert_cmpuint (cards, <=, 250 * n_stages);

  gtk_window_set_child (f->window, NULL);
  cp_test_finalize_widget (view);
}

static void
test_board_move_updates_columns_and_history (Fixture       *f,
                                             gconstpointer  data)
{
  CpPipelineView *view = show_board (f);
  CpPipelineColumn *from = cp_pipeline_view_find_column (view, "new");
  CpPipelineColumn *to = cp_pipeline_view_find_column (view, "qualified");
  guint from_before = cp_pipeline_column_get_count (from);
  guint to_before = cp_pipeline_column_get_count (to);
  g_autoptr(CpLead) lead = g_list_model_get_item (cp_pipeline_column_get_model (from), 0);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup (cp_lead_get_id (lead));
  CpHistoryEntry *last;

  g_assert_true (cp_lead_store_move (f->store, id, NULL, "qualified", NULL, "Booked a consult",
                                           "tester", NULL, &error));
  g_assert_no_error (error);
  cp_test_wait_for_board (view);

  g_assert_cmpuint (cp_pipeline_column_get_count (from), ==, from_before - 1);
  g_assert_cmpuint (cp_pipeline_column_get_count (to), ==, to_before + 1);
  g_assert_cmpuint (g_list_model_get_n_items (cp_pipeline_column_get_model (to)), ==,
                    to_before + 1);

  history = cp_lead_store_history (f->store, id, &error);
  g_assert_no_error (error);
  last = history->pdata[history->len - 1];
  g_assert_cmpstr (last->action, ==, "stage");
  g_assert_cmpstr (last->old_value, ==, "new");
  g_assert_cmpstr (last->new_value, ==, "qualified");
  g_assert_cmpstr (last->reason, ==, "Booked a consult");

  /* A refused move (no reason) changes nothing on the board. */
  g_assert_false (
      cp_lead_store_move (f->store, id, NULL, "engaged", NULL, "  ", "tester", NULL, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID);
  cp_test_iterate ();
  g_assert_cmpuint (cp_pipeline_column_get_count (to), ==, to_before + 1);

  /* Undo is a move back, and restores the counts. */
  g_assert_true (cp_lead_store_move (f->store, id, NULL, "new", NULL, "Undid the move to Qualified",
                                           "tester", NULL, NULL));
  cp_test_wait_for_board (view);
  g_assert_cmpuint (cp_pipeline_column_get_count (from), ==, from_before);
  g_assert_cmpuint (cp_pipeline_column_get_count (to), ==, to_before);

  gtk_window_set_child (f->window, NULL);
  cp_test_finalize_widget (view);
}

typedef struct
{
  char *lead_id;
  char *stage;
} MoveRecord;

static void
move_requested_cb (CpPipelineView *view,
                   const char     *lead_id,
                   const char     *stage,
                   MoveRecord     *record)
{
  g_free (record->lead_id);
  g_free (record->stage);
  record->lead_id = g_strdup (lead_id);
  record->stage = g_strdup (stage);
}

static void
record_opened_cb (char       **out,
                  const char  *lead_id)
{
  g_free (*out);
  *out = g_strdup (lead_id);
}

/* What the main window's win.edit-lead would receive. */
static void
edit_lead_activated_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        char         **out)
{
  g_free (*out);
  *out = g_variant_dup_string (parameter, NULL);
}

static GSimpleActionGroup *
install_edit_action (Fixture  *f,
                     char    **out)
{
  GSimpleActionGroup *group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) action = g_simple_action_new ("edit-lead", G_VARIANT_TYPE_STRING);

  g_signal_connect (action, "activate", G_CALLBACK (edit_lead_activated_cb), out);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
  gtk_widget_insert_action_group (GTK_WIDGET (f->window), "win", G_ACTION_GROUP (group));
  return group;
}

static void
test_board_keyboard_move_request (Fixture       *f,
                                  gconstpointer  data)
{
  CpPipelineView *view = show_board (f);
  CpPipelineColumn *column = cp_pipeline_view_find_column (view, "engaged");
  MoveRecord record = { NULL, NULL };
  g_autoptr(CpLead) lead = g_list_model_get_item (cp_pipeline_column_get_model (column), 2);

  g_signal_connect (view, "move-requested", G_CALLBACK (move_requested_cb), &record);

  /* The board alone in a window: its first card took the window's first
   * focus, and with it the selection (the one card chosen). */
  g_assert_nonnull (cp_pipeline_column_get_focused_card (cp_pipeline_view_get_column (view, 0)));
  g_assert_nonnull (cp_pipeline_column_get_selected (cp_pipeline_view_get_column (view, 0)));
  gtk_window_set_focus (f->window, NULL);
  cp_pipeline_column_select (cp_pipeline_view_get_column (view, 0), GTK_INVALID_LIST_POSITION);

  /* Nothing focused or selected: the action does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (view), "pipeline.move-selected", NULL);
  g_assert_null (record.lead_id);

  /* No card is selected. */
  for (guint i = 0; i < cp_pipeline_view_get_n_columns (view); i++)
    g_assert_null (cp_pipeline_column_get_selected (cp_pipeline_view_get_column (view, i)));

  /* Select the third card of Engaged, then Ctrl+M asks where to. */
  cp_pipeline_column_select (column, 2);
  g_assert_cmpstr (cp_lead_get_id (cp_pipeline_column_get_selected (column)), ==,
                   cp_lead_get_id (lead));
  gtk_widget_activate_action (GTK_WIDGET (view), "pipeline.move-selected", NULL);
  g_assert_cmpstr (record.lead_id, ==, cp_lead_get_id (lead));
  g_assert_null (record.stage);

  /* The card menu's Open item opens the selected lead. */
  {
    g_autofree char *opened = NULL;
    g_signal_connect_swapped (view, "lead-activated", G_CALLBACK (record_opened_cb), &opened);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (column), "column.context-menu", NULL));
    gtk_widget_activate_action (GTK_WIDGET (view), "pipeline.open-selected", NULL);
    g_assert_cmpstr (opened, ==, cp_lead_get_id (lead));
    g_signal_handlers_disconnect_by_data (view, &opened);
  }
  /* Its Edit… item asks the window to edit the selected lead. */
  {
    g_autofree char *edited = NULL;
    g_autoptr(GSimpleActionGroup) group = install_edit_action (f, &edited);

    gtk_widget_activate_action (GTK_WIDGET (view), "pipeline.edit-selected", NULL);
    g_assert_cmpstr (edited, ==, cp_lead_get_id (lead));
    gtk_widget_insert_action_group (GTK_WIDGET (f->window), "win", NULL);
  }

  g_free (record.lead_id);
  g_free (record.stage);
  gtk_window_set_child (f->window, NULL);
  cp_test_finalize_widget (view);
}

static void
test_board_filter_narrows (Fixture       *f,
                           gconstpointer  data)
{
  CpPipelineView *view = show_board (f);
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();

  query->service_line = g_strdup ("cardiology");
  cp_pipeline_view_set_query (view, query);
  cp_test_wait_for_board (view);

  for (guint i = 0; i < n_stages; i++)
    {
      CpPipelineColumn *column = cp_pipeline_view_get_column (view, i);
      GListModel *model = cp_pipeline_column_get_model (column);
      guint n = g_list_model_get_n_items (model);

      g_assert_cmpuint (cp_pipeline_column_get_count (column), ==,
                        store_count (f, stages[i].id, "cardiology"));
      g_assert_cmpuint (n, ==, store_count (f, stages[i].id, "cardiology"));
      for (guint j = 0; j < n; j++)
        {
          g_autoptr(CpLead) lead = g_list_model_get_item (model, j);
          g_assert_cmpstr (cp_lead_get_text (lead, CP_LEAD_FIELD_SERVICE_LINE), ==, "cardiology");
        }
    }

  gtk_window_set_child (f->window, NULL);
  cp_test_finalize_widget (view);
}

/* A filter's figures are counted on the read worker: the board says it is
 * busy and keeps the figures it shows until they are in, and a second
 * filter typed meanwhile wins over the first's figures, whichever the
 * worker finishes first. */
static void
test_board_filter_counts_off_main (Fixture       *f,
                                   gconstpointer  data)
{
  CpPipelineView *view = show_board (f);
  CpPipelineColumn *column = cp_pipeline_view_find_column (view, "new");
  guint unfiltered = cp_pipeline_column_get_count (column);
  g_autoptr(CpLeadQuery) first = cp_lead_query_new ();
  g_autoptr(CpLeadQuery) second = cp_lead_query_new ();

  g_assert_false (cp_pipeline_view_get_busy (view));
  g_assert_cmpuint (unfiltered, ==, store_count (f, "new", NULL));
  g_assert_cmpuint (store_count (f, "new", "cardiology"), <, unfiltered);

  first->service_line = g_strdup ("cardiology");
  cp_pipeline_view_set_query (view, first);
  /* Nothing counted on the main thread: the old figure stands. */
  g_assert_true (cp_pipeline_view_get_busy (view));
  g_assert_cmpuint (cp_pipeline_column_get_count (column), ==, unfiltered);

  second->service_line = g_strdup ("dental");
  cp_pipeline_view_set_query (view, second);
  cp_test_wait_for_board (view);
  for (guint i = 0; i < n_stages; i++)
    g_assert_cmpuint (cp_pipeline_column_get_count (cp_pipeline_view_get_column (view, i)), ==,
                      store_count (f, stages[i].id, "dental"));

  /* A change while the figures are being read is counted too. */
  cp_pipeline_view_set_query (view, first);
  cp_pipeline_view_refresh (view);
  cp_test_wait_for_board (view);
  g_assert_cmpuint (cp_pipeline_column_get_count (column), ==,
                    store_count (f, "new", "cardiology"));

  gtk_window_set_child (f->window, NULL);
  cp_test_finalize_widget (view);
}

static void
test_leads_view_lists_and_follows (Fixture       *f,
                                   gconstpointer  data)
{
  CpLeadsView *view = CP_LEADS_VIEW (cp_leads_view_new ());
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GError) error = NULL;

  g_object_ref_sink (view);
  g_assert_null (cp_leads_view_get_model (view));
  cp_leads_view_set_store (view, f->store);
  gtk_window_set_child (f->window, GTK_WIDGET (view));
  gtk_window_present (f->window);
  cp_test_iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (cp_leads_view_get_model (view)), ==, 600);

  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Newest");
  g_assert_true (cp_lead_store_create (f->store, lead, "tester", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (cp_leads_view_get_model (view)), ==, 601);
  {
    /* Newest first by default. */
    g_autoptr(CpLead) first = g_list_model_get_item (cp_leads_view_get_model (view), 0);
    g_assert_cmpstr (cp_lead_get_id (first), ==, cp_lead_get_id (lead));
  }

  gtk_window_set_child (f->window, NULL);
  cp_test_finalize_widget (view);
}

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

static void
bulk_move_cb (CpLeadsView *view,
              GStrv        ids,
              GStrv       *out)
{
  g_strfreev (*out);
  *out = g_strdupv (ids);
}

static void
test_leads_view_bulk_selection (Fixture       *f,
                                gconstpointer  data)
{
  CpLeadsView *view = CP_LEADS_VIEW (cp_leads_view_new ());
  const guint positions[] = { 0, 3, 7 };
  g_auto(GStrv) requested = NULL;
  g_autoptr(GError) error = NULL;
  int moved;

  g_object_ref_sink (view);
  cp_leads_view_set_store (view, f->store);
  gtk_window_set_child (f->window, GTK_WIDGET (view));
  gtk_window_present (f->window);
  cp_test_iterate ();
  g_signal_connect (view, "bulk-move-requested", G_CALLBACK (bulk_move_cb), &requested);

  /* With nothing selected, the action does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (view), "leads.move-selection", NULL);
  g_assert_null (requested);

  /* Edit… needs exactly one lead selected, and hands it to the window. */
  {
    g_autofree char *edited = NULL;
    g_autoptr(GSimpleActionGroup) group = install_edit_action (f, &edited);
    const guint one[] = { 4 };
    g_autoptr(CpLead) lead = g_list_model_get_item (cp_leads_view_get_model (view), 4);

    gtk_widget_activate_action (GTK_WIDGET (view), "leads.edit-selection", NULL);
    g_assert_null (edited);
    cp_leads_view_select (view, one, 1);
    cp_test_iterate ();
    gtk_widget_activate_action (GTK_WIDGET (view), "leads.edit-selection", NULL);
    g_assert_cmpstr (edited, ==, cp_lead_get_id (lead));
    g_clear_pointer (&edited, g_free);
    cp_leads_view_select (view, positions, G_N_ELEMENTS (positions));
    cp_test_iterate ();
    gtk_widget_activate_action (GTK_WIDGET (view), "leads.edit-selection", NULL);
    g_assert_null (edited);
    gtk_widget_insert_action_group (GTK_WIDGET (f->window), "win", NULL);
    gtk_widget_activate_action (GTK_WIDGET (view), "leads.select-none", NULL);
  }

  cp_leads_view_select (view, positions, G_N_ELEMENTS (positions));
  cp_test_iterate ();
  {
    /* Export and rescore hand over the same selection. */
    g_auto(GStrv) exported = NULL;
    g_auto(GStrv) rescored = NULL;
    g_signal_connect (view, "bulk-export-requested", G_CALLBACK (bulk_move_cb), &exported);
    g_signal_connect (view, "bulk-rescore-requested", G_CALLBACK (bulk_move_cb), &rescored);
    gtk_widget_activate_action (GTK_WIDGET (view), "leads.export-selection", NULL);
    gtk_widget_activate_action (GTK_WIDGET (view), "leads.rescore-selection", NULL);
    g_assert_cmpuint (g_strv_length (exported), ==, 3);
    g_assert_cmpuint (g_strv_length (rescored), ==, 3);
    g_signal_handlers_disconnect_by_data (view, &exported);
    g_signal_handlers_disconnect_by_data (view, &rescored);
  }
  gtk_widget_activate_action (GTK_WIDGET (view), "leads.move-selection", NULL);
  g_assert_nonnull (requested);
  g_assert_cmpuint (g_strv_length (requested), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    {
      g_autoptr(CpLead) lead = g_list_model_get_item (cp_leads_view_get_model (view), positions[i]);
      g_assert_true (g_strv_contains ((const char * const *) requested, cp_lead_get_id (lead)));
    }

  /* What the window does with it: one transaction, one reason per lead. */
  moved = cp_lead_store_move_stages (f->store, (const char * const *) requested, "reactivation",
                                     "Went quiet after the fair", "tester", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (moved, >, 0);
  for (guint i = 0; requested[i] != NULL; i++)
    {
      g_autoptr(CpLead) lead = cp_lead_store_get (f->store, requested[i], NULL);
      g_assert_cmpstr (cp_lead_get_stage (lead), ==, "reactivation");
    }

  gtk_widget_activate_action (GTK_WIDGET (view), "leads.select-none", NULL);
  g_clear_pointer (&requested, g_strfreev);
  gtk_widget_activate_action (GTK_WIDGET (view), "leads.move-selection", NULL);
  g_assert_null (requested);

  gtk_window_set_child (f->window, NULL);
  cp_test_finalize_widget (view);
}

static void
test_leads_view_column_visibility (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  CpLeadsView *view = CP_LEADS_VIEW (cp_leads_view_new ());
  CpLeadsView *second;
  g_auto(GStrv) hidden = NULL;

  g_settings_reset (settings, "leads-hidden-columns");
  g_object_ref_sink (view);
  g_assert_true (cp_leads_view_get_column_visible (view, "owner"));

  /* The header menu's check item hides the column and remembers it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "columns.owner", NULL));
  g_assert_false (cp_leads_view_get_column_visible (view, "owner"));
  hidden = g_settings_get_strv (settings, "leads-hidden-columns");
  g_assert_cmpuint (g_strv_length (hidden), ==, 1);
  g_assert_cmpstr (hidden[0], ==, "owner");

  /* The name column cannot be hidden. */
  gtk_widget_activate_action (GTK_WIDGET (view), "columns.name", NULL);
  g_assert_true (cp_leads_view_get_column_visible (view, "name"));

  second = CP_LEADS_VIEW (cp_leads_view_new ());
  g_object_ref_sink (second);
  g_assert_false (cp_leads_view_get_column_visible (second, "owner"));
  g_assert_true (cp_leads_view_get_column_visible (second, "stage"));

  g_settings_reset (settings, "leads-hidden-columns");
  cp_test_finalize_widget (second);
  cp_test_finalize_widget (view);
}

static void
test_lead_detail_follows_changes (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GPtrArray) leads = cp_lead_store_query (f->store, query, 0, 1, NULL);
  CpLead *lead = leads->pdata[0];
  g_autofree char *id = g_strdup (cp_lead_get_id (lead));
  g_autoptr(GError) error = NULL;
  CpLeadDetailWindow *detail;
  guint before;

  g_assert_null (cp_lead_detail_window_new (f->window, f->store, "no-such-lead", &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  detail = cp_lead_detail_window_new (f->window, f->store, id, &error);
  g_assert_no_error (error);
  g_object_ref_sink (detail);
  gtk_window_present (GTK_WINDOW (detail));
  cp_test_iterate ();
  g_assert_cmpstr (cp_lead_detail_window_get_lead_id (detail), ==, id);
  before = cp_lead_detail_window_get_n_history (detail);
  g_assert_cmpuint (before, >, 0);

  /* A move made elsewhere shows up in the open window's history. */
  g_assert_true (cp_lead_store_move (f->store, id, NULL,
                                           g_str_equal (cp_lead_get_stage (lead), "reactivation")
                                           ? "new" : "reactivation", NULL,
                                           "Went quiet after the fair", "tester", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cp_lead_detail_window_get_n_history (detail), ==, before + 1);

  gtk_window_destroy (GTK_WINDOW (detail));
  cp_test_finalize_widget (detail);
}

static void
collect_widgets (GtkWidget *root,
                 GType      type,
                 GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (out, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, type, out);
}

typedef struct
{
  char  *reason;
  GStrv  fields;
  GStrv  values;
} FieldsResult;

static void
fields_cb (const char         *lead_id,
           const char         *to_stage,
           const char         *reason,
           const char * const *fields,
           const char * const *values,
           gpointer            user_data)
{
  FieldsResult *result = user_data;

  g_assert_cmpstr (to_stage, ==, "qualified");
  result->reason = g_strdup (reason);
  result->fields = g_strdupv ((char **) fields);
  result->values = g_strdupv ((char **) values);
}

static void
test_move_dialog_asks_for_missing_fields (Fixture       *f,
                                          gconstpointer  data)
{
  static const char *missing[] = { "location", "lead_type", NULL };
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();
  FieldsResult result = { NULL };
  AdwMessageDialog *dialog;

  cp_lead_set_text (lead, CP_LEAD_FIELD_ID, "lead-1");
  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Ada");
  dialog = ADW_MESSAGE_DIALOG (cp_move_dialog_new_with_fields (NULL, lead, "qualified", missing,
                                                               NULL,
                                                               "Location and Lead type are needed.",
                                                               fields_cb, &result, NULL));
  g_object_ref_sink (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  cp_test_iterate ();

  /* One text entry (location) plus the reason; one dropdown (lead type). */
  collect_widgets (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, entries);
  collect_widgets (GTK_WIDGET (dialog), GTK_TYPE_DROP_DOWN, dropdowns);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpuint (dropdowns->len, ==, 1);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "move"));
  /* Focus starts on the first field; Enter does nothing while incomplete. */
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (dialog)) ==
                     gtk_widget_get_first_child (entries->pdata[0]) ||
                 gtk_window_get_focus (GTK_WINDOW (dialog)) == entries->pdata[0]);
  g_signal_emit_by_name (entries->pdata[0], "activate");
  g_assert_null (result.reason);

  gtk_editable_set_text (entries->pdata[0], "Riverside");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "move"));
  gtk_drop_down_set_selected (dropdowns->pdata[0],
                              3); /* after “Choose…”: patient, caregiver, referral_partner */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "move"));
  gtk_editable_set_text (entries->pdata[1], "  ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "move"));
  gtk_editable_set_text (entries->pdata[1], "Referred by Dr. Okafor");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "move"));

  /* Enter in the reason presses the Save and Move button (it clicks a
   * moment later, as on a key release), which also closes the dialog. */
  g_signal_emit_by_name (entries->pdata[1], "activate");
  {
    gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

    while (result.reason == NULL && g_get_monotonic_time () < deadline)
      {
        cp_test_iterate ();
        g_usleep (5000);
      }
  }
  g_assert_cmpstr (result.reason, ==, "Referred by Dr. Okafor");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpstr (result.fields[0], ==, "location");
  g_assert_cmpstr (result.values[0], ==, "Riverside");
  g_assert_cmpstr (result.fields[1], ==, "lead_type");
  g_assert_cmpstr (result.values[1], ==, "referral_partner");   /* the canonical id */
  g_assert_null (result.fields[2]);

  g_free (result.reason);
  g_strfreev (result.fields);
  g_strfreev (result.values);
  gtk_window_destroy (GTK_WINDOW (dialog));
  cp_test_finalize_widget (dialog);
}

static GtkWidget *
find_search_entry (GtkWidget *widget)
{
  if (GTK_IS_SEARCH_ENTRY (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_search_entry (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
clear_filters_via_query (CpFilterBar *bar)
{
  g_autoptr(CpLeadQuery) empty = cp_lead_query_new ();

  cp_filter_bar_set_query (bar, empty);
}

static void
test_filter_bar_drives_query (Fixture       *f,
                              gconstpointer  data)
{
  CpFilterBar *bar = CP_FILTER_BAR (cp_filter_bar_new ());
  g_autoptr(CpLeadQuery) saved = cp_lead_query_new ();
  guint changes = 0;

  g_object_ref_sink (bar);
  cp_filter_bar_set_store (bar, f->store);
  gtk_window_set_child (f->window, GTK_WIDGET (bar));
  gtk_window_present (f->window);
  g_signal_connect (bar, "changed", G_CALLBACK (count_cb), &changes);
  g_assert_false (cp_filter_bar_get_search_mode (bar));

  /* Showing a saved filter reveals the bar and does not count as a change. */
  saved->location = g_strdup ("Riverside");
  saved->sla_breached_only = TRUE;
  cp_filter_bar_set_query (bar, saved);
  g_assert_true (cp_filter_bar_get_search_mode (bar));
  g_assert_cmpuint (changes, ==, 0);
  g_assert_true (cp_lead_query_equal (cp_filter_bar_get_query (bar), saved));

  /* A search shown over another one: the box and the query say the new
   * one (emptying the box first must not free what it is given). */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(CpLeadQuery) searched = cp_lead_query_new ();

      searched->search = g_strdup (i == 0 ? "Nobody" : "Somebody else");
      cp_filter_bar_set_query (bar, searched);
      cp_test_iterate ();
      g_assert_cmpstr (cp_filter_bar_get_query (bar)->search, ==, searched->search);
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_search_entry (GTK_WIDGET (bar)))),
                       ==, searched->search);
    }
  g_assert_cmpuint (changes, ==, 0);

  /* A saved value that is no longer in use still filters. */
  g_free (saved->location);
  saved->location = g_strdup ("Atlantis");
  cp_filter_bar_set_query (bar, saved);
  g_assert_cmpstr (cp_filter_bar_get_query (bar)->location, ==, "Atlantis");

  /* Clear removes every filter and says so once. */
  {
    GtkWidget *child = GTK_WIDGET (bar);
    GtkWidget *clear = NULL;
    while (child != NULL && clear == NULL)
      {
        if (GTK_IS_BUTTON (child) && !GTK_IS_TOGGLE_BUTTON (child) &&
            g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), "_Clear") == 0)
          clear = child;
        else if (gtk_widget_get_first_child (child) != NULL)
          child = gtk_widget_get_first_child (child);
        else
          {
            while (child != NULL && gtk_widget_get_next_sibling (child) == NULL)
              child = gtk_widget_get_parent (child);
            child = child != NULL ? gtk_widget_get_next_sibling (child) : NULL;
          }
      }
    g_assert_nonnull (clear);
    g_assert_true (gtk_widget_get_sensitive (clear));
    g_signal_emit_by_name (clear, "clicked");
    g_assert_cmpuint (changes, ==, 1);
    g_assert_false (cp_lead_query_has_filter (cp_filter_bar_get_query (bar)));
    g_assert_false (gtk_widget_get_sensitive (clear));
  }

  /* Saved views: save the filter under a name, bring it back, remove it. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_autoptr(CpLeadQuery) view = cp_lead_query_new ();
    g_autoptr(GVariant) stored = NULL;

    g_settings_reset (settings, "saved-views");
    view->service_line = g_strdup ("cardiology");
    view->search = g_strdup ("mar");
    cp_filter_bar_set_query (bar, view);
    cp_filter_bar_save_view (bar, "Cardiology Marias");
    stored = g_settings_get_value (settings, "saved-views");
    g_assert_cmpuint (g_variant_n_children (stored), ==, 1);

    clear_filters_via_query (bar);
    g_assert_false (cp_lead_query_has_filter (cp_filter_bar_get_query (bar)));
    changes = 0;
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "filter.apply-view", "s",
                                               "Cardiology Marias"));
    g_assert_cmpuint (changes, ==, 1);
    g_assert_true (cp_lead_query_equal (cp_filter_bar_get_query (bar), view));

    /* A name that does not exist changes nothing. */
    gtk_widget_activate_action (GTK_WIDGET (bar), "filter.apply-view", "s", "No such view");
    g_assert_cmpuint (changes, ==, 1);

    cp_filter_bar_remove_view (bar, "Cardiology Marias");
    g_clear_pointer (&stored, g_variant_unref);
    stored = g_settings_get_value (settings, "saved-views");
    g_assert_cmpuint (g_variant_n_children (stored), ==, 0);
  }

  gtk_window_set_child (f->window, NULL);
  cp_test_finalize_widget (bar);
}

/* The skeleton cards the unfolded columns show (the window may not be yet). */
static guint
count_skeleton_cards (CpPipelineView *view)
{
  g_autoptr(GPtrArray) boxes = g_ptr_array_new ();
  guint n = 0;

  cp_test_collect_widgets (GTK_WIDGET (view), GTK_TYPE_BOX, boxes);
  for (guint i = 0; i < boxes->len; i++)
    if (gtk_widget_has_css_class (boxes->pdata[i], "cp-skeleton-card") &&
        gtk_widget_get_visible (gtk_widget_get_parent (boxes->pdata[i])))
      n++;

  return n;
}

static const char *
board_page (CpPipelineView *view)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  cp_test_collect_widgets (GTK_WIDGET (view), GTK_TYPE_STACK, stacks);
  g_assert_cmpuint (stacks->len, >=, 1);
  return gtk_stack_get_visible_child_name (stacks->pdata[0]);
}

/* In a window, the board reads nothing before its first frame: the
 * columns show their names and the shape of their cards, and say busy;
 * after the frame the figures and cards come from the read worker. */
static void
test_board_loads_after_first_frame (Fixture       *f,
                                    gconstpointer  data)
{
  CpPipelineView *view = CP_PIPELINE_VIEW (cp_pipeline_view_new ());
  CpPipelineColumn *column;
  guint unfolded = 0;

  g_object_ref_sink (view);
  gtk_window_set_child (f->window, GTK_WIDGET (view));
  cp_pipeline_view_set_store (view, f->store);
  cp_pipeline_view_set_stages (view, stages, n_stages);
  cp_test_iterate ();

  g_assert_true (cp_pipeline_view_get_busy (view));
  g_assert_cmpstr (board_page (view), ==, "board");
  g_assert_cmpuint (cp_pipeline_view_get_n_columns (view), ==, n_stages);
  for (guint i = 0; i < n_stages; i++)
    {
      column = cp_pipeline_view_get_column (view, i);
      g_assert_true (cp_pipeline_column_get_loading (column));
      g_assert_cmpuint (g_list_model_get_n_items (cp_pipeline_column_get_model (column)), ==, 0);
      g_assert_cmpuint (cp_pipeline_column_get_count (column), ==, 0);
      unfolded += cp_pipeline_column_get_collapsed (column) ? 0 : 1;
    }
  g_assert_cmpuint (unfolded, >, 0);
  g_assert_cmpuint (count_skeleton_cards (view), ==, 3 * unfolded);
  gtk_test_accessible_assert_state (view, GTK_ACCESSIBLE_STATE_BUSY, TRUE);

  gtk_window_present (f->window);
  cp_test_wait_for_board (view);

  gtk_test_accessible_assert_state (view, GTK_ACCESSIBLE_STATE_BUSY, FALSE);
  g_assert_cmpuint (count_skeleton_cards (view), ==, 0);
  for (guint i = 0; i < n_stages; i++)
    {
      column = cp_pipeline_view_get_column (view, i);
      g_assert_false (cp_pipeline_column_get_loading (column));
      g_assert_cmpuint (cp_pipeline_column_get_count (column), ==,
                        store_count (f, stages[i].id, NULL));
      g_assert_cmpuint (g_list_model_get_n_items (cp_pipeline_column_get_model (column)), ==,
                        store_count (f, stages[i].id, NULL));
    }
  column = cp_pipeline_view_find_column (view, "new");
  g_assert_cmpuint (cp_pipeline_column_get_n_shown (column), >, 0);

  gtk_window_set_child (f->window, NULL);
  cp_test_finalize_widget (view);
}

/* A change while the first reads are on their way reads again: the
 * figures and cards shown are the store's after the change. */
static void
test_board_change_while_loading (Fixture       *f,
                                 gconstpointer  data)
{
  CpPipelineView *view = CP_PIPELINE_VIEW (cp_pipeline_view_new ());
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GPtrArray) leads = NULL;
  g_autoptr(GError) error = NULL;
  guint new_before = store_count (f, "new", NULL);

  /* In no window: the reads start at once. */
  g_object_ref_sink (view);
  cp_pipeline_view_set_store (view, f->store);
  cp_pipeline_view_set_stages (view, stages, n_stages);
  g_assert_true (cp_pipeline_view_get_busy (view));

  query->stage = g_strdup ("new");
  leads = cp_lead_store_query (f->store, query, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (leads->len, ==, 1);
  cp_lead_store_move (f->store, cp_lead_get_id (leads->pdata[0]), NULL, "qualified", NULL,
                      "Booked a consult", "tester", NULL, &error);
  g_assert_no_error (error);
  cp_test_wait_for_board (view);

  g_assert_cmpuint (store_count (f, "new", NULL), ==, new_before - 1);
  for (guint i = 0; i < n_stages; i++)
    {
      CpPipelineColumn *column = cp_pipeline_view_get_column (view, i);

      g_assert_cmpuint (cp_pipeline_column_get_count (column), ==,
                        store_count (f, stages[i].id, NULL));
      g_assert_cmpuint (g_list_model_get_n_items (cp_pipeline_column_get_model (column)), ==,
                        store_count (f, stages[i].id, NULL));
    }

  cp_test_finalize_widget (view);
}

/* A first read that fails says so and leaves the column empty, not
 * loading for ever; the summaries' failure likewise ends the wait. */
static void
test_board_first_read_fails (Fixture       *f,
                             gconstpointer  data)
{
  CpPipelineView *view = CP_PIPELINE_VIEW (cp_pipeline_view_new ());
  const char *path = cp_database_get_path (f->database);
  g_autofree char *moved = g_strconcat (path, ".away", NULL);

  /* The read worker opens the file again: it is not there. */
  g_assert_cmpint (g_rename (path, moved), ==, 0);
  g_test_expect_message ("cp-pipeline-view", G_LOG_LEVEL_WARNING,
                         "Could not count leads per stage*");
  for (guint i = 0; i < n_stages; i++)
    g_test_expect_message ("cp-lead-list-model", G_LOG_LEVEL_WARNING, "Could not load leads*");
  g_object_ref_sink (view);
  cp_pipeline_view_set_store (view, f->store);
  cp_pipeline_view_set_stages (view, stages, n_stages);
  cp_test_wait_for_board (view);
  g_test_assert_expected_messages ();

  for (guint i = 0; i < n_stages; i++)
    {
      CpPipelineColumn *column = cp_pipeline_view_get_column (view, i);

      g_assert_false (cp_pipeline_column_get_loading (column));
      g_assert_cmpuint (g_list_model_get_n_items (cp_pipeline_column_get_model (column)), ==, 0);
    }
  g_assert_cmpint (g_rename (moved, path), ==, 0);
  cp_test_finalize_widget (view);
}

/* ---- keys in the first moments of the board ---- */

/* A key as the board's own key handler sees it, before the focused list. */
static gboolean
press_on_board (CpPipelineView *view,
                guint           keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (view));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
      gboolean handled = FALSE;

      if (!GTK_IS_EVENT_CONTROLLER_KEY (controller))
        continue;
      g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
      return handled;
    }

  return FALSE;
}

/* The card (position @position) of the column of @stage has the focus, and
 * is the only card selected on the board. */
static void
assert_focus_on (CpPipelineView *view,
                 const char     *stage,
                 guint           position)
{
  CpPipelineColumn *column = cp_pipeline_view_find_column (view, stage);
  CpLeadCard *card = cp_pipeline_column_get_focused_card (column);
  GtkListItem *item;
  guint selected = 0;

  g_assert_nonnull (card);
  item = g_object_get_data (G_OBJECT (card), "cp-list-item");
  g_assert_cmpuint (gtk_list_item_get_position (item), ==, position);
  g_assert_true (cp_pipeline_column_get_selected (column) == cp_lead_card_get_lead (card));
  for (guint i = 0; i < cp_pipeline_view_get_n_columns (view); i++)
    if (cp_pipeline_column_get_selected (cp_pipeline_view_get_column (view, i)) != NULL)
      selected++;
  g_assert_cmpuint (selected, ==, 1);
}

/* Lets GTK lay out and paint for a while, as the first moments after the
 * cards arrive (a late hand-over of the focus would happen in them). */
static void
let_frames_pass (void)
{
  for (int i = 0; i < 20; i++)
    {
      cp_test_iterate ();
      g_usleep (10000);
    }
  cp_test_iterate ();
}

/* Until the first load is in, and not one iteration more: no frame has
 * painted the cards yet when the keys come. */
static void
wait_for_first_load_only (CpPipelineView *view)
{
  while (cp_pipeline_view_get_busy (view))
    g_main_context_iteration (NULL, TRUE);
}

/* The focus is on the first card of New, before any frame drew it; Right
 * goes to the first card of Engaged, and the frames that follow leave it
 * there. Then the board goes. */
static void
first_keys_hold (Fixture        *f,
                 CpPipelineView *view)
{
  assert_focus_on (view, "new", 0);
  g_assert_true (press_on_board (view, GDK_KEY_Right));
  assert_focus_on (view, "engaged", 0);

  let_frames_pass ();
  assert_focus_on (view, "engaged", 0);

  gtk_window_set_child (f->window, NULL);
  cp_test_finalize_widget (view);
}

/* Tab pressed the moment the first load is in, before any frame draws
 * the cards: the focus goes to the first card of the first column, and
 * an arrow goes on from there; nothing moves it afterwards. */
static void
test_board_tab_before_cards_drawn (Fixture       *f,
                                   gconstpointer  data)
{
  CpPipelineView *view = CP_PIPELINE_VIEW (cp_pipeline_view_new ());
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *before = gtk_button_new_with_label ("Before");

  g_object_ref_sink (view);
  cp_pipeline_view_set_store (view, f->store);
  cp_pipeline_view_set_stages (view, stages, n_stages);
  gtk_box_append (GTK_BOX (box), before);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (view));
  gtk_window_set_child (f->window, box);
  gtk_window_present (f->window);
  g_assert_true (gtk_widget_grab_focus (before));
  wait_for_first_load_only (view);
  g_assert_true (gtk_window_get_focus (f->window) == before);

  /* Tab, as the window moves the focus. */
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_FORWARD));
  first_keys_hold (f, view);
}

/* The window's first focus went to the board while it was loading (to a
 * fold button: no card yet). The moment the cards are in, before they are
 * drawn, the focus is on the first card; the user's first arrow goes on
 * from there, and no late hand-over takes it back. */
static void
test_board_first_focus_while_loading (Fixture       *f,
                                      gconstpointer  data)
{
  CpPipelineView *view = CP_PIPELINE_VIEW (cp_pipeline_view_new ());
  GtkWidget *focus;

  g_object_ref_sink (view);
  cp_pipeline_view_set_store (view, f->store);
  cp_pipeline_view_set_stages (view, stages, n_stages);
  gtk_window_set_child (f->window, GTK_WIDGET (view));
  gtk_window_present (f->window);
  /* Presenting the window gave it its first focus: the board reads
   * nothing before its first frame is painted. */
  g_assert_true (cp_pipeline_view_get_busy (view));
  focus = gtk_window_get_focus (f->window);
  g_assert_true (focus == cp_pipeline_column_get_fold_button (
                              cp_pipeline_view_find_column (view, "closed_won")));

  wait_for_first_load_only (view);
  first_keys_hold (f, view);
}

/* A lead named Quixotic: a new one (in New), or @stage's first renamed. */
static CpLead *
add_quixotic (Fixture    *f,
              const char *stage)
{
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GPtrArray) leads = NULL;
  g_autoptr(GError) error = NULL;
  CpLead *lead;

  if (stage == NULL)
    {
      lead = cp_lead_new ();
      cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Zebulon");
      cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, "Quixotic");
      g_assert_true (cp_lead_store_create (f->store, lead, "tester", &error));
      g_assert_no_error (error);
      return lead;
    }
  query->stage = g_strdup (stage);
  leads = cp_lead_store_query (f->store, query, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (leads->len, ==, 1);
  lead = cp_lead_store_get (f->store, cp_lead_get_id (leads->pdata[0]), &error);
  g_assert_no_error (error);
  cp_lead_set_text (lead, CP_LEAD_FIELD_LAST_NAME, "Quixotic");
  g_assert_true (cp_lead_store_update (f->store, lead, "tester", NULL, &error));
  g_assert_no_error (error);
  return lead;
}

/* The focused card was its column's last: when its lead leaves the column
 * (here: it no longer matches the search), the focus goes to the nearest
 * column with a card, not out of the board nor to the first card. */
static void
test_board_focus_leaves_emptied_column (Fixture       *f,
                                        gconstpointer  data)
{
  CpPipelineView *view = show_board (f);
  CpPipelineColumn *new_column = cp_pipeline_view_find_column (view, "new");
  CpPipelineColumn *engaged = cp_pipeline_view_find_column (view, "engaged");
  CpPipelineColumn *qualified = cp_pipeline_view_find_column (view, "qualified");
  g_autoptr(CpLead) first = add_quixotic (f, NULL);
  g_autoptr(CpLead) nearest = add_quixotic (f, "engaged");
  g_autoptr(CpLead) leaving = add_quixotic (f, "qualified");
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GError) error = NULL;
  CpLeadCard *card;

  query->search = g_strdup ("Quixotic");
  cp_pipeline_view_set_query (view, query);
  cp_test_wait_for_board (view);
  let_frames_pass ();
  g_assert_cmpuint (cp_pipeline_column_get_n_shown (new_column), ==, 1);
  g_assert_cmpuint (cp_pipeline_column_get_n_shown (engaged), ==, 1);
  g_assert_cmpuint (cp_pipeline_column_get_n_shown (qualified), ==, 1);
  g_assert_true (cp_pipeline_column_focus_card_at (qualified, -1));
  assert_focus_on (view, "qualified", 0);

  cp_lead_set_text (leaving, CP_LEAD_FIELD_LAST_NAME, "Quick");
  g_assert_true (cp_lead_store_update (f->store, leaving, "tester", NULL, &error));
  g_assert_no_error (error);
  let_frames_pass ();
  g_assert_cmpuint (cp_pipeline_column_get_n_shown (qualified), ==, 0);
  assert_focus_on (view, "engaged", 0);
  card = cp_pipeline_column_get_focused_card (engaged);
  g_assert_cmpstr (cp_lead_get_id (cp_lead_card_get_lead (card)), ==, cp_lead_get_id (nearest));
  /* The arrows go on from there. */
  g_assert_true (press_on_board (view, GDK_KEY_Left));
  assert_focus_on (view, "new", 0);
  card = cp_pipeline_column_get_focused_card (new_column);
  g_assert_cmpstr (cp_lead_get_id (cp_lead_card_get_lead (card)), ==, cp_lead_get_id (first));

  gtk_window_set_child (f->window, NULL);
  cp_test_finalize_widget (view);
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
  ADD ("/pipeline-view/columns-follow-stages", test_board_columns_follow_stages);
  ADD ("/pipeline-view/cards-are-bounded", test_board_cards_are_bounded);
  ADD ("/pipeline-view/move-updates-columns", test_board_move_updates_columns_and_history);
  ADD ("/pipeline-view/keyboard-move-request", test_board_keyboard_move_request);
  ADD ("/pipeline-view/filter-narrows", test_board_filter_narrows);
  ADD ("/pipeline-view/filter-counts-off-main", test_board_filter_counts_off_main);
  ADD ("/pipeline-view/loads-after-first-frame", test_board_loads_after_first_frame);
  ADD ("/pipeline-view/change-while-loading", test_board_change_while_loading);
  ADD ("/pipeline-view/first-read-fails", test_board_first_read_fails);
  ADD ("/pipeline-view/tab-before-cards-drawn", test_board_tab_before_cards_drawn);
  ADD ("/pipeline-view/first-focus-while-loading", test_board_first_focus_while_loading);
  ADD ("/pipeline-view/focus-leaves-emptied-column", test_board_focus_leaves_emptied_column);
  ADD ("/leads-view/lists-and-follows", test_leads_view_lists_and_follows);
  ADD ("/filter-bar/drives-query", test_filter_bar_drives_query);
  ADD ("/leads-view/bulk-selection", test_leads_view_bulk_selection);
  ADD ("/leads-view/column-visibility", test_leads_view_column_visibility);
  ADD ("/lead-detail/follows-changes", test_lead_detail_follows_changes);
  ADD ("/move-dialog/asks-for-missing-fields", test_move_dialog_asks_for_missing_fields);
#undef ADD

  return g_test_run ();
}
