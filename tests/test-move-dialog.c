/* test-move-dialog.c — the move dialog's stage choice, reason and responses
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The required-fields form is tested in test-pipeline-view.c. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "cp-move-dialog.h"
#include "cp-ui.h"
#include "cp-widget-test-util.h"

static const CpBoardStage stages[] = {
  { "new", "New", 0, FALSE },
  { "engaged", "Engaged", 0, FALSE },
  { "qualified", "Qualified", 0, FALSE },
  { "closed_lost", "Closed lost", 0, TRUE },
};

typedef struct
{
  guint  calls;
  guint  destroyed;
  char  *lead_id;
  char  *to_stage;
  char  *reason;
} Result;

static void
moved_cb (const char *lead_id,
          const char *to_stage,
          const char *reason,
          gpointer    user_data)
{
  Result *result = user_data;

  result->calls++;
  g_free (result->lead_id);
  g_free (result->to_stage);
  g_free (result->reason);
  result->lead_id = g_strdup (lead_id);
  result->to_stage = g_strdup (to_stage);
  result->reason = g_strdup (reason);
}

static void
destroyed_cb (gpointer user_data)
{
  ((Result *) user_data)->destroyed++;
}

static void
result_clear (Result *result)
{
  g_free (result->lead_id);
  g_free (result->to_stage);
  g_free (result->reason);
}

static CpLead *
engaged_lead (void)
{
  CpLead *lead = cp_lead_new ();

  cp_lead_set_text (lead, CP_LEAD_FIELD_ID, "lead-1");
  cp_lead_set_text (lead, CP_LEAD_FIELD_FIRST_NAME, "Ada");
  cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, "engaged");
  return lead;
}

static GPtrArray *
widgets_of (GtkWindow *dialog,
            GType      type)
{
  GPtrArray *out = g_ptr_array_new ();

  cp_test_collect_widgets (GTK_WIDGET (dialog), type, out);
  return out;
}

static GtkWindow *
show (GtkWindow *dialog)
{
  g_object_ref_sink (dialog);
  gtk_window_present (dialog);
  cp_test_iterate ();
  return dialog;
}

static void
close_dialog (GtkWindow *dialog)
{
  gtk_window_destroy (dialog);
  cp_test_finalize_widget (dialog);
}

/* Every stage but the lead's own, the next one chosen; Move only with a
 * reason, which reaches the callback trimmed. */
static void
test_picks_stage (void)
{
  g_autoptr(CpLead) lead = engaged_lead ();
  Result result = { 0 };
  GtkWindow *dialog = show (cp_move_dialog_new (NULL, lead, stages, G_N_ELEMENTS (stages), NULL,
                                                NULL, moved_cb, &result, destroyed_cb));
  g_autoptr(GPtrArray) dropdowns = widgets_of (dialog, GTK_TYPE_DROP_DOWN);
  g_autoptr(GPtrArray) entries = widgets_of (dialog, GTK_TYPE_ENTRY);
  GListModel *names;

  g_assert_true (CP_IS_MOVE_DIALOG (dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Move Ada");
  g_assert_cmpuint (dropdowns->len, ==, 1);
  g_assert_cmpuint (entries->len, ==, 1);
  names = gtk_drop_down_get_model (dropdowns->pdata[0]);
  g_assert_cmpuint (g_list_model_get_n_items (names), ==, 3);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 0), ==, "New");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 1), ==, "Qualified");
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdowns->pdata[0]), ==, 1);

  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "move"));
  gtk_editable_set_text (entries->pdata[0], "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "move"));
  /* Enter does nothing while the reason is empty. */
  g_signal_emit_by_name (entries->pdata[0], "activate");
  cp_test_iterate ();
  g_assert_cmpuint (result.calls, ==, 0);

  gtk_editable_set_text (entries->pdata[0], "  Call booked ");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "move"));
  gtk_drop_down_set_selected (dropdowns->pdata[0], 2);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "move");
  g_assert_cmpuint (result.calls, ==, 1);
  g_assert_cmpstr (result.lead_id, ==, "lead-1");
  g_assert_cmpstr (result.to_stage, ==, "closed_lost");
  g_assert_cmpstr (result.reason, ==, "Call booked");

  g_assert_cmpuint (result.destroyed, ==, 0);
  close_dialog (dialog);
  g_assert_cmpuint (result.destroyed, ==, 1);
  result_clear (&result);
}

/* Dropped on a stage: no stage to pick; a default reason enables Move at
 * once; Cancel calls nothing. */
static void
test_known_target (void)
{
  g_autoptr(CpLead) lead = engaged_lead ();
  Result result = { 0 };
  GtkWindow *dialog = show (cp_move_dialog_new (NULL, lead, stages, G_N_ELEMENTS (stages),
                                                "qualified", "Discovery call booked", moved_cb,
                                                &result, destroyed_cb));
  g_autoptr(GPtrArray) dropdowns = widgets_of (dialog, GTK_TYPE_DROP_DOWN);
  g_autoptr(GPtrArray) entries = widgets_of (dialog, GTK_TYPE_ENTRY);

  g_assert_cmpuint (dropdowns->len, ==, 0);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (entries->pdata[0]), ==, "Discovery call booked");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "move"));
  g_assert_true (gtk_window_get_focus (dialog) == entries->pdata[0] ||
                 gtk_widget_is_ancestor (gtk_window_get_focus (dialog), entries->pdata[0]));

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_assert_cmpuint (result.calls, ==, 0);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "move");
  g_assert_cmpuint (result.calls, ==, 1);
  g_assert_cmpstr (result.to_stage, ==, "qualified");
  g_assert_cmpstr (result.reason, ==, "Discovery call booked");

  close_dialog (dialog);
  g_assert_cmpuint (result.destroyed, ==, 1);
  result_clear (&result);
}

/* A selection: every stage to pick from, no lead id in the callback. */
static void
test_bulk (void)
{
  Result result = { 0 };
  GtkWindow *dialog = show (cp_move_dialog_new_bulk (NULL, 3, stages, G_N_ELEMENTS (stages),
                                                     moved_cb, &result, NULL));
  g_autoptr(GPtrArray) dropdowns = widgets_of (dialog, GTK_TYPE_DROP_DOWN);
  g_autoptr(GPtrArray) entries = widgets_of (dialog, GTK_TYPE_ENTRY);

  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Move 3 Leads");
  g_assert_cmpuint (dropdowns->len, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dropdowns->pdata[0])),
                    ==, G_N_ELEMENTS (stages));
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdowns->pdata[0]), ==, 0);
  gtk_editable_set_text (entries->pdata[0], "Quarterly review");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "move");
  g_assert_cmpuint (result.calls, ==, 1);
  g_assert_null (result.lead_id);
  g_assert_cmpstr (result.to_stage, ==, "new");

  close_dialog (dialog);
  result_clear (&result);
}

static void
no_fields_cb (const char         *lead_id,
              const char         *to_stage,
              const char         *reason,
              const char * const *fields,
              const char * const *values,
              gpointer            user_data)
{
  g_assert_not_reached ();
}

/* A choice field offers its choices in words, never as raw ids. */
static void
test_choices_in_words (void)
{
  static const char *missing[] = { "closure_outcome", "lead_type", NULL };
  g_autoptr(CpLead) lead = engaged_lead ();
  GtkWindow *dialog = show (cp_move_dialog_new_with_fields (NULL, lead, "closed_won", missing,
                                                            NULL, "Needed first.", no_fields_cb,
                                                            NULL, NULL));
  g_autoptr(GPtrArray) dropdowns = widgets_of (dialog, GTK_TYPE_DROP_DOWN);

  g_assert_cmpuint (dropdowns->len, ==, 2);
  for (guint d = 0; d < dropdowns->len; d++)
    {
      GListModel *items = gtk_drop_down_get_model (dropdowns->pdata[d]);

      g_assert_cmpuint (g_list_model_get_n_items (items), >, 2);
      for (guint i = 1; i < g_list_model_get_n_items (items); i++)
        {
          g_autoptr(GtkStringObject) item = g_list_model_get_item (items, i);
          const char *label = gtk_string_object_get_string (item);

          g_assert_true (g_unichar_isupper (g_utf8_get_char (label)));
          g_assert_null (strchr (label, '_'));
        }
    }
  close_dialog (dialog);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cp_ui_init ();

  g_test_add_func ("/move-dialog/picks-stage", test_picks_stage);
  g_test_add_func ("/move-dialog/known-target", test_known_target);
  g_test_add_func ("/move-dialog/bulk", test_bulk);
  g_test_add_func ("/move-dialog/choices-in-words", test_choices_in_words);

  return g_test_run ();
}
