/* test-board-keyboard.c — the pipeline board by keyboard and screen reader, and its states
 *
 * The real window of a real application, on a database that starts
 * empty: the demo data loads as a first-time user asks for it, then the
 * board is driven with keys only. Keys go the way GTK delivers them —
 * capture from the window down to the focused widget, then bubbling back
 * up, through each widget's key controllers and key bindings — since
 * GTK 4 offers tests no way to synthesize a key event.
 *
 * Its own program: a registered application stays exported on the bus
 * until the process ends, one per test program. The tests run in order
 * and share the window.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cp-application.h"
#include "cp-lead-card.h"
#include "cp-lead-detail-window.h"
#include "cp-pipeline-view.h"
#include "cp-test-util.h"
#include "cp-ui.h"
#include "cp-widget-test-util.h"
#include "cp-window.h"

static CpApplication *app;
static CpWindow *window;
static CpPipelineView *board;
static char *dir;

/* ---- keys ---- */

static gboolean
trigger_matches (GtkShortcutTrigger *trigger,
                 guint               keyval,
                 GdkModifierType     mods)
{
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    return trigger_matches (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)),
                            keyval, mods) ||
           trigger_matches (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)),
                            keyval, mods);
  if (GTK_IS_KEYVAL_TRIGGER (trigger))
    return gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) ==
               gdk_keyval_to_lower (keyval) &&
           gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods;
  return FALSE;
}

/* One widget's part in a key press, in one phase. */
static gboolean
deliver_key (GtkWidget           *widget,
             GtkPropagationPhase  phase,
             guint                keyval,
             GdkModifierType      mods)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (gtk_event_controller_get_propagation_phase (controller) != phase)
        continue;
      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        {
          gboolean handled = FALSE;

          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, mods, &handled);
          if (handled)
            return TRUE;
        }
      else if (GTK_IS_SHORTCUT_CONTROLLER (controller))
        {
          GListModel *shortcuts = G_LIST_MODEL (controller);

          for (guint j = 0; j < g_list_model_get_n_items (shortcuts); j++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (shortcuts, j);

              if (trigger_matches (gtk_shortcut_get_trigger (shortcut), keyval, mods) &&
                  gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                GTK_SHORTCUT_ACTION_EXCLUSIVE, widget,
                                                gtk_shortcut_get_arguments (shortcut)))
                return TRUE;
            }
        }
    }

  return FALSE;
}

/* Presses a key in @toplevel: returns whether anything handled it. */
static gboolean
deliver_press (GtkWindow       *toplevel,
               guint            keyval,
               GdkModifierType  mods)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  GtkWidget *focus = gtk_window_get_focus (toplevel);
  gboolean handled = FALSE;

  for (GtkWidget *w = focus != NULL ? focus : GTK_WIDGET (toplevel); w != NULL;
       w = gtk_widget_get_parent (w))
    g_ptr_array_insert (chain, 0, w);
  for (guint i = 0; !handled && i < chain->len; i++)
    handled = deliver_key (chain->pdata[i], GTK_PHASE_CAPTURE, keyval, mods);
  if (!handled)
    handled = deliver_key (chain->pdata[chain->len - 1], GTK_PHASE_TARGET, keyval, mods);
  for (guint i = chain->len; !handled && i > 0; i--)
    handled = deliver_key (chain->pdata[i - 1], GTK_PHASE_BUBBLE, keyval, mods);

  return handled;
}

/* The same, then what follows from it. */
static gboolean
press_key (GtkWindow       *toplevel,
           guint            keyval,
           GdkModifierType  mods)
{
  gboolean handled = deliver_press (toplevel, keyval, mods);

  cp_test_iterate ();
  return handled;
}

/* ---- what the user sees ---- */

/* Lets GTK lay out and draw a few frames. */
static void
settle (void)
{
  for (int i = 0; i < 10; i++)
    {
      cp_test_iterate ();
      g_usleep (10000);
    }
  cp_test_iterate ();
}

static GtkStack *
board_stack (void)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  cp_test_collect_widgets (GTK_WIDGET (board), GTK_TYPE_STACK, stacks);
  g_assert_cmpuint (stacks->len, >=, 1);
  return stacks->pdata[0];
}

static const char *
board_page (void)
{
  return gtk_stack_get_visible_child_name (board_stack ());
}

/* The board's status page showing @title, if it is on screen (and not
 * fading out of it). */
static AdwStatusPage *
shown_status_page (const char *title)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  GtkWidget *page = gtk_stack_get_visible_child (board_stack ());

  cp_test_collect_widgets (GTK_WIDGET (board), ADW_TYPE_STATUS_PAGE, pages);
  for (guint i = 0; i < pages->len; i++)
    if (g_strcmp0 (adw_status_page_get_title (pages->pdata[i]), title) == 0 &&
        gtk_widget_get_mapped (pages->pdata[i]) &&
        (pages->pdata[i] == (gpointer) page || gtk_widget_is_ancestor (pages->pdata[i], page)))
      return pages->pdata[i];

  return NULL;
}

/* The column whose card has the focus, and that card. */
static CpPipelineColumn *
focused_column (CpLeadCard **card)
{
  for (guint i = 0; i < cp_pipeline_view_get_n_columns (board); i++)
    {
      CpPipelineColumn *column = cp_pipeline_view_get_column (board, i);
      CpLeadCard *focused = cp_pipeline_column_get_focused_card (column);

      if (focused != NULL)
        {
          /* The focus is on the card's list row. */
          g_assert_true (gtk_window_get_focus (GTK_WINDOW (window)) ==
                         gtk_widget_get_parent (GTK_WIDGET (focused)));
          if (card != NULL)
            *card = focused;
          return column;
        }
    }

  return NULL;
}

static guint
card_position (CpLeadCard *card)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (card), "cp-list-item");

  g_assert_nonnull (item);
  return gtk_list_item_get_position (item);
}

/* Exactly one card looks chosen: the focused one is the only selected one. */
static void
assert_one_card_chosen (void)
{
  CpLeadCard *card = NULL;
  CpPipelineColumn *column = focused_column (&card);
  guint selected = 0;

  g_assert_nonnull (column);
  for (guint i = 0; i < cp_pipeline_view_get_n_columns (board); i++)
    if (cp_pipeline_column_get_selected (cp_pipeline_view_get_column (board, i)) != NULL)
      selected++;
  g_assert_cmpuint (selected, ==, 1);
  g_assert_true (cp_pipeline_column_get_selected (column) == cp_lead_card_get_lead (card));
}

static double
card_middle (CpLeadCard *card)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (card), GTK_WIDGET (board), &bounds));
  return bounds.origin.y + bounds.size.height / 2;
}

/* Tabs from the window's New Lead button onto the board's card stop. */
static void
tab_onto_board (void)
{
  GtkWidget *start = cp_test_find_button (GTK_WIDGET (window), "win.new-lead");

  g_assert_nonnull (start);
  g_assert_true (gtk_widget_grab_focus (start));
  for (int i = 0; i < 30 && focused_column (NULL) == NULL; i++)
    g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Tab, 0));
  g_assert_nonnull (focused_column (NULL));
}

/* Tabs onto the board, then arrows to the column of @stage. */
static CpLeadCard *
arrow_to_column (const char *stage)
{
  CpPipelineColumn *target = cp_pipeline_view_find_column (board, stage);
  CpLeadCard *card = NULL;

  tab_onto_board ();
  for (guint i = 0; i < cp_pipeline_view_get_n_columns (board); i++)
    press_key (GTK_WINDOW (window), GDK_KEY_Left, 0);
  for (guint i = 0; i < cp_pipeline_view_get_n_columns (board) && focused_column (NULL) != target;
       i++)
    g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Right, 0));
  g_assert_true (focused_column (&card) == target);

  return card;
}

static CpLeadStore *
store (void)
{
  CpLeadStore *lead_store = cp_application_get_lead_store (app, NULL);

  g_assert_nonnull (lead_store);
  return lead_store;
}

/* ---- tests ---- */

/* A first run asks; “Explore with Demo Data” loads on a worker while the
 * board says so (not “No Leads in the Pipeline”), then shows the leads. */
static void
test_board_loading_state (void)
{
  AdwMessageDialog *welcome = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint total = 0;

  while (welcome == NULL && g_get_monotonic_time () < deadline)
    {
      settle ();
      welcome = cp_test_find_dialog (GTK_WINDOW (window));
    }
  g_assert_nonnull (welcome);
  g_assert_cmpstr (board_page (), ==, "empty");

  /* Enter: the focused, default response. */
  g_assert_true (deliver_press (GTK_WINDOW (welcome), GDK_KEY_Return, 0));
  /* A button pressed by key clicks a moment later; meanwhile the spinner
   * keeps the main loop busy, so it is turned a bounded number of times. */
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (cp_test_find_dialog (GTK_WINDOW (window)) != NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (cp_test_find_dialog (GTK_WINDOW (window)));
  g_assert_cmpstr (board_page (), ==, "loading");
  g_assert_nonnull (shown_status_page ("Loading Demo Data…"));
  g_assert_null (shown_status_page ("No Leads in the Pipeline"));

  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (g_strcmp0 (board_page (), "loading") == 0 && g_get_monotonic_time () < deadline)
    settle ();
  g_assert_cmpstr (board_page (), ==, "board");
  g_assert_null (shown_status_page ("Loading Demo Data…"));
  /* The demo data's figures and cards come in on the board's worker: the
   * next tests start from a board that holds them, drawn. */
  while (cp_pipeline_view_get_busy (board) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (cp_pipeline_view_get_busy (board));
  for (guint i = 0; i < cp_pipeline_view_get_n_columns (board); i++)
    total += cp_pipeline_column_get_count (cp_pipeline_view_get_column (board, i));
  g_assert_cmpuint (total, >, 0);
  settle ();
}

/* Tab lands on one card; arrows move within and across columns at the
 * same height; Home/End; Tab goes on to the fold buttons, then off the
 * board; Shift+Tab comes back to the same card. */
static void
test_board_arrows_cross_columns (void)
{
  CpPipelineColumn *new_column = cp_pipeline_view_find_column (board, "new");
  CpPipelineColumn *engaged = cp_pipeline_view_find_column (board, "engaged");
  CpLeadCard *card = NULL;
  CpLeadCard *before = NULL;
  double y;

  tab_onto_board ();
  g_assert_true (focused_column (&card) == new_column);
  g_assert_cmpuint (card_position (card), ==, 0);
  assert_one_card_chosen ();

  /* Right: Engaged, same row; New keeps no selection behind. */
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Right, 0));
  g_assert_true (focused_column (&card) == engaged);
  g_assert_cmpuint (card_position (card), ==, 0);
  g_assert_null (cp_pipeline_column_get_selected (new_column));
  assert_one_card_chosen ();

  /* Left and Down, Down: the third card of New; Right keeps the height. */
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Left, 0));
  g_assert_true (focused_column (&card) == new_column);
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Down, 0));
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Down, 0));
  settle ();
  g_assert_true (focused_column (&before) == new_column);
  g_assert_cmpuint (card_position (before), ==, 2);
  assert_one_card_chosen ();
  y = card_middle (before);
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Right, 0));
  settle ();
  g_assert_true (focused_column (&card) == engaged);
  g_assert_cmpfloat (ABS (card_middle (card) - y), <, gtk_widget_get_height (GTK_WIDGET (card)));
  assert_one_card_chosen ();

  /* Home and End: the first and the very last card of the column, not
   * only the last one loaded so far. */
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_End, 0));
  settle ();
  g_assert_true (focused_column (&card) == engaged);
  g_assert_cmpuint (card_position (card), ==, cp_pipeline_column_get_count (engaged) - 1);
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Home, 0));
  settle ();
  g_assert_true (focused_column (&card) == engaged);
  g_assert_cmpuint (card_position (card), ==, 0);

  /* Tab: not the next card, but the fold buttons, then off the board. */
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Tab, 0));
  g_assert_true (
      gtk_window_get_focus (GTK_WINDOW (window)) ==
      cp_pipeline_column_get_fold_button (cp_pipeline_view_find_column (board, "closed_won")));
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Tab, 0));
  g_assert_true (
      gtk_window_get_focus (GTK_WINDOW (window)) ==
      cp_pipeline_column_get_fold_button (cp_pipeline_view_find_column (board, "closed_lost")));
  press_key (GTK_WINDOW (window), GDK_KEY_Tab, 0);
  g_assert_false (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (window)),
                                          GTK_WIDGET (board)));

  /* Shift+Tab back: the buttons, then the card that had the focus. */
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Tab, GDK_SHIFT_MASK));
  g_assert_true (
      gtk_window_get_focus (GTK_WINDOW (window)) ==
      cp_pipeline_column_get_fold_button (cp_pipeline_view_find_column (board, "closed_lost")));
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Tab, GDK_SHIFT_MASK));
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Tab, GDK_SHIFT_MASK));
  g_assert_true (focused_column (&card) == engaged);
  g_assert_cmpuint (card_position (card), ==, 0);
  assert_one_card_chosen ();
}

/* A card of New, Ctrl+M, Enter in the Reason field: the lead is in
 * Engaged (the dialog offers the next stage first), in the store and on
 * the board. */
static void
test_board_ctrl_m_moves (void)
{
  CpPipelineColumn *new_column = cp_pipeline_view_find_column (board, "new");
  CpPipelineColumn *engaged = cp_pipeline_view_find_column (board, "engaged");
  guint new_count = cp_pipeline_column_get_count (new_column);
  guint engaged_count = cp_pipeline_column_get_count (engaged);
  g_autofree char *lead_id = NULL;
  g_autoptr(CpLead) moved = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  CpLeadCard *card = NULL;
  GtkWidget *focus;

  arrow_to_column ("new");
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Down, 0));
  g_assert_true (focused_column (&card) == new_column);
  lead_id = g_strdup (cp_lead_get_id (cp_lead_card_get_lead (card)));

  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_m, GDK_CONTROL_MASK));
  dialog = cp_test_find_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  /* The reason has the focus; typing it is the user's only other step. */
  focus = gtk_window_get_focus (GTK_WINDOW (dialog));
  g_assert_true (GTK_IS_TEXT (focus));
  gtk_editable_set_text (GTK_EDITABLE (focus), "Replied to the first email");
  g_assert_true (press_key (GTK_WINDOW (dialog), GDK_KEY_Return, 0));
  /* The Move button it presses clicks a moment later, as on a key release. */
  for (int i = 0; i < 50 && cp_test_find_dialog (GTK_WINDOW (window)) != NULL; i++)
    settle ();

  moved = cp_lead_store_get (store (), lead_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cp_lead_get_stage (moved), ==, "engaged");
  /* The headers' figures come from the board's read worker. */
  while (cp_pipeline_view_get_busy (board))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (cp_pipeline_column_get_count (new_column), ==, new_count - 1);
  g_assert_cmpuint (cp_pipeline_column_get_count (engaged), ==, engaged_count + 1);
  g_assert_null (cp_test_find_dialog (GTK_WINDOW (window)));
}

/* Ctrl+M to a picked stage that needs fields the lead lacks: the form for
 * those fields follows, with the reason given, as after a drop. */
static void
test_board_ctrl_m_asks_for_fields (void)
{
  CpPipelineColumn *engaged = cp_pipeline_view_find_column (board, "engaged");
  g_autofree char *lead_id = NULL;
  g_autoptr(CpLead) lead = NULL;
  g_autoptr(CpLead) stayed = NULL;
  g_autoptr(CpMoveCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  CpLeadCard *card = NULL;
  GtkWidget *focus;

  arrow_to_column ("engaged");
  g_assert_true (focused_column (&card) == engaged);
  lead_id = g_strdup (cp_lead_get_id (cp_lead_card_get_lead (card)));
  /* The lead has no location yet: Qualified needs one. */
  lead = cp_lead_store_get (store (), lead_id, &error);
  g_assert_no_error (error);
  cp_lead_set_text (lead, CP_LEAD_FIELD_LOCATION, NULL);
  g_assert_true (cp_lead_store_update (store (), lead, "test", "Moved away", &error));
  g_assert_no_error (error);
  while (settle (), cp_pipeline_view_get_busy (board))
    g_main_context_iteration (NULL, TRUE);
  check = cp_lead_store_check_move (store (), lead_id, "qualified", &error);
  g_assert_no_error (error);
  g_assert_cmpint (check->verdict, ==, CP_MOVE_MISSING_FIELDS);
  g_assert_true (focused_column (&card) == engaged);
  g_assert_cmpstr (cp_lead_get_id (cp_lead_card_get_lead (card)), ==, lead_id);

  /* The stage after Engaged is chosen: Qualified. */
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_m, GDK_CONTROL_MASK));
  dialog = cp_test_find_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  focus = gtk_window_get_focus (GTK_WINDOW (dialog));
  gtk_editable_set_text (GTK_EDITABLE (focus), "Booked a consultation");
  adw_message_dialog_response (dialog, "move");
  gtk_window_close (GTK_WINDOW (dialog));
  settle ();

  dialog = cp_test_find_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "move"), ==,
                   "_Save and Move");
  g_assert_true (adw_message_dialog_has_response (dialog, "move"));
  {
    /* The reason already given is kept: the last entry, under the fields. */
    g_autoptr(GPtrArray) entries = g_ptr_array_new ();

    cp_test_collect_widgets (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, entries);
    g_assert_cmpuint (entries->len, >=, 1);
    g_assert_cmpstr (gtk_editable_get_text (entries->pdata[entries->len - 1]), ==,
                     "Booked a consultation");
  }
  cp_test_screenshot ("ctrl-m-asks-for-fields");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_close (GTK_WINDOW (dialog));
  settle ();
  g_assert_null (cp_test_find_dialog (GTK_WINDOW (window)));

  stayed = cp_lead_store_get (store (), lead_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cp_lead_get_stage (stayed), ==, "engaged");
}

/* The toast buttons labelled @label (or with the icon @icon) on screen. */
static GtkWidget *
find_toast_button (const char *label,
                   const char *icon)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  cp_test_collect_widgets (GTK_WIDGET (window), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if ((label != NULL && g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), label) == 0) ||
        (icon != NULL && g_strcmp0 (gtk_button_get_icon_name (buttons->pdata[i]), icon) == 0 &&
         gtk_widget_get_ancestor (buttons->pdata[i], ADW_TYPE_TOAST_OVERLAY) != NULL &&
         gtk_widget_get_ancestor (buttons->pdata[i], ADW_TYPE_HEADER_BAR) == NULL))
      return buttons->pdata[i];
  return NULL;
}

/* Dismisses the toasts shown and queued, so the next one shows at once. */
static void
dismiss_toasts (void)
{
  GtkWidget *close;

  for (int i = 0; i < 200 && (close = find_toast_button (NULL, "window-close-symbolic")) != NULL;
       i++)
    {
      if (gtk_widget_get_mapped (close))
        g_signal_emit_by_name (close, "clicked");
      settle ();
    }
}

/* The item of @dropdown reading @text. */
static guint
dropdown_position (GtkDropDown *dropdown,
                   const char  *text)
{
  GListModel *items = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (items, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), text) == 0)
        return i;
    }
  g_assert_not_reached ();
}

/* Closing a lead as lost asks for a closure reason: one of the playbook's,
 * by its title, not a text the playbook would refuse. Undo reopens it. */
static void
test_board_close_picks_closure_reason (void)
{
  CpPipelineColumn *engaged = cp_pipeline_view_find_column (board, "engaged");
  g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autofree char *lead_id = NULL;
  g_autoptr(CpLead) closed = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  CpLeadCard *card = NULL;

  dismiss_toasts ();
  arrow_to_column ("engaged");
  g_assert_true (focused_column (&card) == engaged);
  lead_id = g_strdup (cp_lead_get_id (cp_lead_card_get_lead (card)));
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_m, GDK_CONTROL_MASK));
  dialog = cp_test_find_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  cp_test_collect_widgets (GTK_WIDGET (dialog), GTK_TYPE_DROP_DOWN, dropdowns);
  g_assert_cmpuint (dropdowns->len, ==, 1);
  gtk_drop_down_set_selected (dropdowns->pdata[0],
                              dropdown_position (dropdowns->pdata[0], "Closed lost"));
  gtk_editable_set_text (GTK_EDITABLE (gtk_window_get_focus (GTK_WINDOW (dialog))),
                         "Went elsewhere");
  adw_message_dialog_response (dialog, "move");
  gtk_window_close (GTK_WINDOW (dialog));
  settle ();

  /* Outcome and reason are picked; the only entry is the move's reason. */
  dialog = cp_test_find_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  g_ptr_array_set_size (dropdowns, 0);
  cp_test_collect_widgets (GTK_WIDGET (dialog), GTK_TYPE_DROP_DOWN, dropdowns);
  cp_test_collect_widgets (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, entries);
  g_assert_cmpuint (dropdowns->len, ==, 2);
  g_assert_cmpuint (entries->len, ==, 1);
  gtk_drop_down_set_selected (dropdowns->pdata[0],
                              dropdown_position (dropdowns->pdata[0], "Lost"));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "move"));
  gtk_drop_down_set_selected (dropdowns->pdata[1],
                              dropdown_position (dropdowns->pdata[1], "Not a fit"));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "move"));
  cp_test_screenshot ("close-picks-closure-reason");
  adw_message_dialog_response (dialog, "move");
  gtk_window_close (GTK_WINDOW (dialog));
  settle ();

  closed = cp_lead_store_get (store (), lead_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cp_lead_get_stage (closed), ==, "closed_lost");
  g_assert_cmpstr (cp_lead_get_text (closed, CP_LEAD_FIELD_CLOSURE_REASON), ==, "not_a_fit");
  g_assert_cmpstr (cp_lead_get_text (closed, CP_LEAD_FIELD_CLOSURE_OUTCOME), ==, "lost");

  /* Undo puts it back as it was: open, and not marked lost. */
  {
    g_autoptr(CpLead) back = NULL;
    GtkWidget *undo = find_toast_button ("_Undo", NULL);

    g_assert_nonnull (undo);
    g_signal_emit_by_name (undo, "clicked");
    settle ();
    back = cp_lead_store_get (store (), lead_id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (cp_lead_get_stage (back), ==, "engaged");
    g_assert_null (cp_lead_get_text (back, CP_LEAD_FIELD_CLOSURE_REASON));
    g_assert_null (cp_lead_get_text (back, CP_LEAD_FIELD_CLOSURE_OUTCOME));
  }
}

/* Right, Right and Enter: the lead window opens on the lead of Qualified. */
static void
test_board_enter_opens_lead (void)
{
  CpPipelineColumn *qualified = cp_pipeline_view_find_column (board, "qualified");
  GListModel *toplevels = gtk_window_get_toplevels ();
  CpLeadDetailWindow *detail = NULL;
  CpLeadCard *card = NULL;
  g_autofree char *lead_id = NULL;

  arrow_to_column ("new");
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Right, 0));
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Right, 0));
  g_assert_true (focused_column (&card) == qualified);
  lead_id = g_strdup (cp_lead_get_id (cp_lead_card_get_lead (card)));

  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Return, 0));
  settle ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (CP_IS_LEAD_DETAIL_WINDOW (toplevel))
        detail = CP_LEAD_DETAIL_WINDOW (toplevel);
    }
  g_assert_nonnull (detail);
  g_assert_cmpstr (cp_lead_detail_window_get_lead_id (detail), ==, lead_id);
  gtk_window_destroy (GTK_WINDOW (detail));
  settle ();
}

/* The focused list row says who, what score, which stage; the fold
 * buttons say what they do; Shift+F10 and Menu open the card's menu. */
static void
test_board_accessible_cards (void)
{
  CpPipelineColumn *engaged = cp_pipeline_view_find_column (board, "engaged");
  CpPipelineColumn *closed_won = cp_pipeline_view_find_column (board, "closed_won");
  g_autoptr(GPtrArray) popovers = g_ptr_array_new ();
  g_autofree char *name = NULL;
  g_autofree char *score = NULL;
  g_autofree char *failure = NULL;
  CpLeadCard *card = NULL;
  CpLead *lead;
  const char *label;

  card = arrow_to_column ("engaged");
  lead = cp_lead_card_get_lead (card);
  name = cp_lead_dup_display_name (lead);
  score = g_strdup_printf ("score %" G_GINT64_FORMAT, cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE));

  label = cp_lead_card_get_accessible_label (card);
  g_assert_nonnull (label);
  g_assert_true (g_str_has_prefix (label, name));
  g_assert_nonnull (strstr (label, score));
  g_assert_nonnull (strstr (label, ", Engaged"));
  /* What the screen reader reads: the focused row's name. */
  failure = gtk_test_accessible_check_property (GTK_ACCESSIBLE (
                                                    gtk_widget_get_parent (GTK_WIDGET (card))),
                                                GTK_ACCESSIBLE_PROPERTY_LABEL, label);
  g_assert_null (failure);
  g_assert_true (
      gtk_test_accessible_has_role (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (card))),
                                    GTK_ACCESSIBLE_ROLE_LIST_ITEM));

  /* Fold buttons: a name that follows the state. */
  failure = gtk_test_accessible_check_property (GTK_ACCESSIBLE (cp_pipeline_column_get_fold_button (
                                                    closed_won)),
                                                GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                "Unfold Closed won column");
  g_assert_null (failure);
  cp_pipeline_column_set_collapsed (closed_won, FALSE);
  failure =
      gtk_test_accessible_check_property (GTK_ACCESSIBLE (
                                              cp_pipeline_column_get_fold_button (closed_won)),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, "Fold Closed won column");
  g_assert_null (failure);
  cp_pipeline_column_set_collapsed (closed_won, TRUE);
  g_assert_null (cp_pipeline_column_get_fold_button (engaged));

  /* Shift+F10 opens the focused card's menu (Open, Edit…, Move to…). */
  cp_test_collect_widgets (GTK_WIDGET (engaged), GTK_TYPE_POPOVER_MENU, popovers);
  g_assert_cmpuint (popovers->len, ==, 1);
  g_assert_false (gtk_widget_get_visible (popovers->pdata[0]));
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_F10, GDK_SHIFT_MASK));
  settle ();
  g_assert_true (gtk_widget_get_visible (popovers->pdata[0]));
  g_assert_true (cp_pipeline_column_get_selected (engaged) == lead);
  gtk_popover_popdown (popovers->pdata[0]);
  settle ();
}

/* A search that finds nothing: every column counts 0 and the board says
 * so in words; clearing it brings the leads back. */
static void
test_board_empty_search (void)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  GtkSearchEntry *entry;
  gint64 deadline;

  g_assert_null (shown_status_page ("No Leads Match “zzqxv”"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  cp_test_collect_widgets (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY, entries);
  g_assert_cmpuint (entries->len, >=, 1);
  entry = entries->pdata[0];
  gtk_editable_set_text (GTK_EDITABLE (entry), "zzqxv");
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (shown_status_page ("No Leads Match “zzqxv”") == NULL &&
         g_get_monotonic_time () < deadline)
    settle ();

  g_assert_nonnull (shown_status_page ("No Leads Match “zzqxv”"));
  g_assert_cmpstr (board_page (), ==, "board");
  for (guint i = 0; i < cp_pipeline_view_get_n_columns (board); i++)
    g_assert_cmpuint (cp_pipeline_column_get_count (cp_pipeline_view_get_column (board, i)), ==, 0);
  /* Tab finds no card to stop on, and does not get stuck on the board. */
  g_assert_false (gtk_widget_child_focus (GTK_WIDGET (board), GTK_DIR_TAB_FORWARD) &&
                  focused_column (NULL) != NULL);

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (cp_pipeline_column_get_count (cp_pipeline_view_find_column (board, "new")) == 0 &&
         g_get_monotonic_time () < deadline)
    settle ();
  g_assert_cmpuint (cp_pipeline_column_get_count (cp_pipeline_view_find_column (board, "new")), >,
                    0);
  g_assert_null (shown_status_page ("No Leads Match “zzqxv”"));
}

/* The focused card is in @expected_column and is the one card chosen:
 * its lead's id, and its position in the column. */
static char *
focused_lead_id (CpPipelineColumn *expected_column,
                 guint            *out_position)
{
  CpLeadCard *card = NULL;

  g_assert_true (focused_column (&card) == expected_column);
  assert_one_card_chosen ();
  if (out_position != NULL)
    *out_position = card_position (card);
  return g_strdup (cp_lead_get_id (cp_lead_card_get_lead (card)));
}

/* The user arrows down a column while the board reloads under them (an
 * import, a sync, another window's edit): the same lead keeps the focus;
 * when that lead leaves the column, the card that takes its place does;
 * arrows go on from there. */
static void
test_board_focus_survives_reload (void)
{
  CpPipelineColumn *new_column = cp_pipeline_view_find_column (board, "new");
  g_autofree char *lead_id = NULL;
  g_autofree char *after_id = NULL;
  g_autofree char *next_id = NULL;
  g_autofree char *neighbour_id = NULL;
  g_autoptr(CpLead) other = NULL;
  g_autoptr(CpLead) first = NULL;
  g_autoptr(GPtrArray) leads = NULL;
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GError) error = NULL;
  CpLeadCard *card = NULL;
  guint position = 0;
  guint now_at = 0;
  double y;

  g_assert_cmpuint (cp_pipeline_column_get_count (new_column), >=, 6);
  arrow_to_column ("new");
  for (int i = 0; i < 3; i++)
    g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Down, 0));
  settle ();
  lead_id = focused_lead_id (new_column, &position);
  g_assert_cmpuint (position, ==, 3);
  focused_column (&card);
  y = card_middle (card);
  cp_test_screenshot ("focus-before-reload");

  /* Another lead changes (another column's), through the store. */
  query->stage = g_strdup ("engaged");
  leads = cp_lead_store_query (store (), query, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (leads->len, ==, 1);
  other = cp_lead_store_get (store (), cp_lead_get_id (leads->pdata[0]), &error);
  g_assert_no_error (error);
  cp_lead_set_text (other, CP_LEAD_FIELD_NOTES, "Asked for the brochure again");
  g_assert_true (cp_lead_store_update (store (), other, "test", NULL, &error));
  g_assert_no_error (error);
  settle ();
  after_id = focused_lead_id (new_column, &now_at);
  g_assert_cmpstr (after_id, ==, lead_id);
  g_assert_cmpuint (now_at, ==, position);

  /* Everything reloads, as after an import or a sync. */
  cp_lead_store_emit_bulk_change (store ());
  settle ();
  g_clear_pointer (&after_id, g_free);
  after_id = focused_lead_id (new_column, NULL);
  g_assert_cmpstr (after_id, ==, lead_id);
  /* … where it was: the column did not scroll it away. */
  focused_column (&card);
  g_assert_cmpfloat (ABS (card_middle (card) - y), <, 1);
  /* Down goes on from the same card. */
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Down, 0));
  settle ();
  next_id = focused_lead_id (new_column, &now_at);
  g_assert_cmpuint (now_at, ==, position + 1);
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Up, 0));
  settle ();
  g_clear_pointer (&after_id, g_free);
  after_id = focused_lead_id (new_column, &now_at);
  g_assert_cmpstr (after_id, ==, lead_id);

  /* A lead above it leaves the column: the same lead keeps the focus, a
   * row higher. */
  first = g_list_model_get_item (cp_pipeline_column_get_model (new_column), 0);
  g_assert_true (cp_lead_store_move (store (), cp_lead_get_id (first), NULL, "engaged", NULL,
                                     "Replied to the first email", "test", NULL, &error));
  g_assert_no_error (error);
  settle ();
  g_clear_pointer (&after_id, g_free);
  after_id = focused_lead_id (new_column, &now_at);
  g_assert_cmpstr (after_id, ==, lead_id);
  g_assert_cmpuint (now_at, ==, position - 1);
  position--;

  /* The focused lead leaves the column: the card now in its place has
   * the focus, and the arrows go on from there. */
  g_assert_true (cp_lead_store_move (store (), lead_id, NULL, "engaged", NULL,
                                     "Replied to the first email", "test", NULL, &error));
  g_assert_no_error (error);
  settle ();
  neighbour_id = focused_lead_id (new_column, &now_at);
  g_assert_cmpstr (neighbour_id, !=, lead_id);
  g_assert_cmpstr (neighbour_id, ==, next_id);
  g_assert_cmpuint (now_at, ==, position);
  cp_test_screenshot ("focus-after-reload");
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Up, 0));
  settle ();
  g_free (focused_lead_id (new_column, &now_at));
  g_assert_cmpuint (now_at, ==, position - 1);
  g_assert_true (press_key (GTK_WINDOW (window), GDK_KEY_Right, 0));
  settle ();
  g_assert_true (focused_column (NULL) == cp_pipeline_view_find_column (board, "engaged"));
  assert_one_card_chosen ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) boards = g_ptr_array_new ();
  g_autofree char *path = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cp_ui_init ();

  dir = cp_test_make_tmp_dir ();
  path = g_build_filename (dir, "leads.db", NULL);
  app = cp_application_new (CP_TYPE_WINDOW);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  cp_application_set_database_path (app, path);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  window = g_object_new (CP_TYPE_WINDOW, "application", app, NULL);
  g_object_ref (window);
  cp_window_set_visible_view (window, "pipeline");
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  cp_test_iterate ();
  cp_test_collect_widgets (GTK_WIDGET (window), CP_TYPE_PIPELINE_VIEW, boards);
  g_assert_cmpuint (boards->len, ==, 1);
  board = boards->pdata[0];
  /* The board's first figures are read on a worker after its first frame.
   * The tests start the moment they are in, before the cards are drawn: a
   * focus that waited for the cards has moved already, not a frame later. */
  while (cp_pipeline_view_get_busy (board))
    g_main_context_iteration (NULL, TRUE);

  g_test_add_func ("/board-keyboard/loading-state", test_board_loading_state);
  g_test_add_func ("/board-keyboard/arrows-cross-columns", test_board_arrows_cross_columns);
  g_test_add_func ("/board-keyboard/ctrl-m-moves", test_board_ctrl_m_moves);
  g_test_add_func ("/board-keyboard/ctrl-m-asks-for-fields", test_board_ctrl_m_asks_for_fields);
  g_test_add_func ("/board-keyboard/close-picks-closure-reason",
                   test_board_close_picks_closure_reason);
  g_test_add_func ("/board-keyboard/enter-opens-lead", test_board_enter_opens_lead);
  g_test_add_func ("/board-keyboard/accessible-cards", test_board_accessible_cards);
  g_test_add_func ("/board-keyboard/empty-search", test_board_empty_search);
  g_test_add_func ("/board-keyboard/focus-survives-reload", test_board_focus_survives_reload);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  cp_test_iterate ();
  cp_test_finalize_widget (window);
  g_clear_object (&app);
  cp_test_remove_tree (dir);
  g_free (dir);

  return status;
}
