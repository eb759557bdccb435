/* test-playbook-view.c — the Playbook view: thresholds over the histogram, the condition builder,
 * publishing SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "cp-automation-dialog.h"
#include "cp-condition-builder.h"
#include "cp-demo-writer.h"
#include "cp-dialog-frame.h"
#include "cp-hours-dialog.h"
#include "cp-playbook-store.h"
#include "cp-playbook-view.h"
#include "cp-rule-dialog.h"
#include "cp-stage-dialog.h"
#include "cp-test-util.h"
#include "cp-ui.h"
#include "cp-widget-test-util.h"

#define N_LEADS 300

typedef struct
{
  char           *dir;
  CpDatabase     *database;
  CpLeadStore    *store;
  GtkWindow      *window;
  CpPlaybookView *view;
  gint64          published;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  /* @data: how many leads, when a test needs fewer than N_LEADS. */
  guint n_leads = data != NULL ? GPOINTER_TO_UINT (data) : N_LEADS;

  cp_test_tmp_store_open (&f->dir, &f->database, &f->store);
  g_assert_true (cp_demo_writer_run (f->store, n_leads, 5, g_get_real_time () / G_USEC_PER_SEC,
                                     NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 900, 900);
  f->view = CP_PLAYBOOK_VIEW (cp_playbook_view_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  g_assert_true (cp_playbook_view_set_store (f->view, f->store, "Maya (marketing)", &error));
  g_assert_no_error (error);
  gtk_window_present (f->window);
  cp_test_iterate ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  /* Dialogs left open by a test go first. */
  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);

      if (window != f->window)
        gtk_window_destroy (window);
    }
  gtk_window_destroy (f->window);
  cp_test_iterate ();
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
}

static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  graphene_point_t point;

  cp_test_iterate ();
  if (gtk_widget_compute_point (widget,
                                gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)),
                                &GRAPHENE_POINT_INIT (0, 0), &point))
    gtk_adjustment_set_value (adjustment, point.y - 60);
}

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

/* The first widget of @type under @root. */
static gpointer
find_widget (GtkWidget *root,
             GType      type,
             guint      nth)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  cp_test_collect_widgets (root, type, found);
  g_assert_cmpuint (found->len, >, nth);
  return found->pdata[nth];
}

/* Presses a playbook dialog's Save, as a person does. */
static void
click_save (gpointer dialog)
{
  CpDialogFrame *frame = find_widget (GTK_WIDGET (dialog), CP_TYPE_DIALOG_FRAME, 0);

  g_signal_emit_by_name (cp_dialog_frame_get_save_button (frame), "clicked");
}

/* Leads whose stored score is at least @score, counted lead by lead. */
static guint
count_at_least (Fixture *f,
                int      score)
{
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GPtrArray) leads = cp_lead_store_query (f->store, query, 0, N_LEADS * 2, NULL);
  guint n = 0;

  CpPlaybook *playbook = cp_playbook_editor_get_playbook (cp_playbook_view_get_editor (f->view));

  /* The open leads: the histogram leaves out those in closed stages. */
  for (guint i = 0; i < leads->len; i++)
    {
      const CpStage *stage = cp_playbook_get_stage (playbook, cp_lead_get_stage (leads->pdata[i]));

      n += (stage == NULL || !stage->closed) &&
           cp_lead_get_int (leads->pdata[i], CP_LEAD_FIELD_SCORE) >= score;
    }
  return n;
}

static void
record_lead_cb (char       **out,
                const char  *lead_id)
{
  g_free (*out);
  *out = g_strdup (lead_id);
}

static void
count_unmap_cb (guint *count)
{
  (*count)++;
}

static void
test_thresholds_and_histogram (Fixture       *f,
                               gconstpointer  data)
{
  CpScoreHistogram *histogram = cp_playbook_view_get_histogram (f->view);
  GtkSpinButton *nurture = cp_playbook_view_get_threshold (f->view, FALSE);
  GtkSpinButton *ready = cp_playbook_view_get_threshold (f->view, TRUE);
  CpPlaybookEditor *editor = cp_playbook_view_get_editor (f->view);
  guint unqualified, nurtured, sales_ready;
  g_autoptr(CpPlaybook) draft = NULL;

  g_assert_false (cp_playbook_editor_has_draft (editor));
  /* The scores are counted on a worker: they arrive. */
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    do
      {
        cp_test_iterate ();
        cp_score_histogram_get_tier_counts (histogram, &unqualified, &nurtured, &sales_ready);
      }
    while (unqualified + nurtured + sales_ready == 0 && g_get_monotonic_time () < deadline);
  }
  g_assert_cmpuint (unqualified + nurtured + sales_ready, ==, count_at_least (f, G_MININT));
  g_assert_cmpuint (count_at_least (f, G_MININT), <, N_LEADS);   /* some leads are closed */
  g_assert_cmpuint (sales_ready, ==, count_at_least (f, gtk_spin_button_get_value_as_int (ready)));
  /* The line under the histogram says so once the counts are in, not only after an edit. */
  {
    GtkWidget *line = gtk_widget_get_next_sibling (GTK_WIDGET (histogram));
    g_autofree char *expected =
      g_strdup_printf ("With these thresholds: %u sales-ready · %u nurture · %u unqualified",
                       sales_ready, nurtured, unqualified);

    g_assert_true (GTK_IS_LABEL (line));
    g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (line)), expected));
  }

  /* Lowering sales-ready: more leads land in it, the draft is saved. The
   * spin buttons stay where they are meanwhile (taken off the page in
   * the middle of a click, one would go on counting by itself). */
  {
    guint unmapped = 0;
    gulong ids[2];

    ids[0] = g_signal_connect_swapped (ready, "unmap", G_CALLBACK (count_unmap_cb), &unmapped);
    ids[1] = g_signal_connect_swapped (nurture, "unmap", G_CALLBACK (count_unmap_cb), &unmapped);
    gtk_spin_button_set_value (ready, 35);
    gtk_spin_button_set_value (nurture, 15);
    cp_test_iterate ();
    g_assert_cmpuint (unmapped, ==, 0);
    g_signal_handler_disconnect (ready, ids[0]);
    g_signal_handler_disconnect (nurture, ids[1]);
  }
  cp_score_histogram_get_tier_counts (histogram, &unqualified, &nurtured, &sales_ready);
  g_assert_cmpuint (sales_ready, ==, count_at_least (f, 35));
  g_assert_cmpuint (nurtured, ==, count_at_least (f, 15) - count_at_least (f, 35));
  g_assert_true (cp_playbook_editor_has_draft (editor));
  draft = cp_playbook_store_load_draft (f->database, NULL, NULL, NULL);
  g_assert_cmpint (draft->scoring.sales_ready_threshold, ==, 35);
  g_assert_cmpint (draft->scoring.nurture_threshold, ==, 15);
  g_assert_true (g_str_has_prefix (cp_playbook_view_get_status (f->view), "Draft, saved"));

  /* Nurture above sales-ready is refused: the spin goes back. */
  gtk_spin_button_set_value (nurture, 50);
  cp_test_iterate ();
  g_assert_cmpint (gtk_spin_button_get_value_as_int (nurture), ==, 15);
  g_assert_cmpint (cp_playbook_editor_get_playbook (editor)->scoring.nurture_threshold, ==, 15);

  scroll_to (GTK_WIDGET (histogram));
  cp_test_screenshot ("histogram");

  /* Preview Impact: on a worker thread, then each kind with example leads to open. */
  {
    g_autofree char *opened = NULL;
    GtkWindow *impact = NULL;
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();

    g_signal_connect_swapped (f->view, "open-lead", G_CALLBACK (record_lead_cb), &opened);
    gtk_widget_activate_action (GTK_WIDGET (f->view), "playbook.preview-impact", NULL);
    while (impact == NULL && g_get_monotonic_time () < deadline)
      {
        GListModel *toplevels = gtk_window_get_toplevels ();

        g_main_context_iteration (NULL, FALSE);
        for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
          {
            g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

            if (g_strcmp0 (gtk_window_get_title (window), "Impact of the Draft") == 0)
              impact = window;
          }
      }
    g_assert_nonnull (impact);
    cp_test_screenshot ("impact");
    /* Lower thresholds: some tiers change, and their leads can be opened. */
    cp_test_collect_widgets (GTK_WIDGET (impact), ADW_TYPE_ACTION_ROW, rows);
    for (guint i = 0; i < rows->len && opened == NULL; i++)
      if (g_object_get_data (rows->pdata[i], "cp-lead-id") != NULL)
        g_signal_emit_by_name (rows->pdata[i], "activated");
    g_assert_nonnull (opened);
    {
      g_autoptr(CpLead) lead = cp_lead_store_get (f->store, opened, NULL);
      g_assert_nonnull (lead);
    }
    gtk_window_destroy (impact);
    g_signal_handlers_disconnect_by_data (f->view, &opened);
  }

  /* Ctrl+Z, as the view's undo action: the previous thresholds. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "playbook.undo", NULL);
  cp_test_iterate ();
  g_assert_cmpint (gtk_spin_button_get_value_as_int (nurture), !=, 15);
}

static CpRuleDialog *
open_rule_dialog (Fixture         *f,
                  CpScoreCategory  category)
{
  CpRuleDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (f->view), "playbook.add-rule", "u", (guint32) category);
  cp_test_iterate ();
  dialog = find_toplevel (CP_TYPE_RULE_DIALOG);
  g_assert_nonnull (dialog);
  return dialog;
}

static guint
position_of (GListModel *model,
             const char *label)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), label))
        return i;
    }
  g_error ("no item “%s”", label);
}

static const CpScoreRule *
rule_described (CpPlaybookEditor *editor,
                const char       *description)
{
  CpPlaybook *playbook = cp_playbook_editor_get_playbook (editor);

  for (guint i = 0; i < playbook->scoring.rules->len; i++)
    if (g_strcmp0 (((CpScoreRule *) playbook->scoring.rules->pdata[i])->description, description) ==
        0)
      return playbook->scoring.rules->pdata[i];
  return NULL;
}

static void
test_condition_builder (Fixture       *f,
                        gconstpointer  data)
{
  CpPlaybookEditor *editor = cp_playbook_view_get_editor (f->view);
  CpRuleDialog *dialog = open_rule_dialog (f, CP_SCORE_INTENT);
  AdwComboRow *field = cp_rule_dialog_get_field_row (dialog);
  AdwComboRow *op = cp_rule_dialog_get_op_row (dialog);
  GtkWidget *value;
  const CpScoreRule *rule;

  /* Save waits for a description. */
  g_assert_false (gtk_widget_get_sensitive (cp_rule_dialog_get_save_button (dialog)));
  gtk_editable_set_text (GTK_EDITABLE (cp_rule_dialog_get_description_row (dialog)),
                         "Referred by a partner");
  g_assert_true (gtk_widget_get_sensitive (cp_rule_dialog_get_save_button (dialog)));

  /* A choice field: only its operators, and its choices as the value. */
  adw_combo_row_set_selected (field,
                              position_of (adw_combo_row_get_model (field), "Source channel"));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (op)), ==,
                    4); /* is, is not, set, not set */
  adw_combo_row_set_selected (op, position_of (adw_combo_row_get_model (op), "is"));
  value = cp_rule_dialog_get_value_widget (dialog);
  g_assert_true (ADW_IS_COMBO_ROW (value));
  adw_combo_row_set_selected (ADW_COMBO_ROW (value),
                              position_of (adw_combo_row_get_model (ADW_COMBO_ROW (value)),
                                           "Referral"));
  gtk_spin_button_set_value (cp_rule_dialog_get_points (dialog), 7);
  /* It counts double in Qualified. */
  gtk_check_button_set_active (cp_rule_dialog_get_override_check (dialog, "qualified"), TRUE);
  gtk_spin_button_set_value (cp_rule_dialog_get_override_points (dialog, "qualified"), 14);
  cp_test_screenshot ("condition-builder");
  g_signal_emit_by_name (cp_rule_dialog_get_save_button (dialog), "clicked");
  cp_test_iterate ();

  rule = rule_described (editor, "Referred by a partner");
  g_assert_nonnull (rule);
  g_assert_cmpint (rule->category, ==, CP_SCORE_INTENT);
  g_assert_cmpint (rule->points, ==, 7);
  g_assert_cmpint (rule->condition->type, ==, CP_CONDITION_FIELD);
  g_assert_cmpint (rule->condition->field, ==, CP_LEAD_FIELD_SOURCE_CHANNEL);
  g_assert_cmpint (rule->condition->op, ==, CP_OP_EQ);
  g_assert_cmpstr (rule->condition->values[0], ==, "referral");
  g_assert_cmpuint (rule->n_overrides, ==, 1);
  g_assert_cmpstr (rule->override_stages[0], ==, "qualified");
  g_assert_cmpint (rule->override_points[0], ==, 14);
  g_assert_null (find_toplevel (CP_TYPE_RULE_DIALOG));

  /* Activity: a kind, how many times, within how many days. */
  dialog = open_rule_dialog (f, CP_SCORE_READINESS);
  field = cp_rule_dialog_get_field_row (dialog);
  op = cp_rule_dialog_get_op_row (dialog);
  gtk_editable_set_text (GTK_EDITABLE (cp_rule_dialog_get_description_row (dialog)),
                         "Two meetings this month");
  adw_combo_row_set_selected (field, 0);
  adw_combo_row_set_selected (op, CP_ACTIVITY_KIND_MEETING_BOOKED);
  value = cp_rule_dialog_get_value_widget (dialog);
  g_assert_true (GTK_IS_SPIN_BUTTON (value));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (value), 2);
  g_signal_emit_by_name (cp_rule_dialog_get_save_button (dialog), "clicked");
  cp_test_iterate ();
  rule = rule_described (editor, "Two meetings this month");
  g_assert_nonnull (rule);
  g_assert_cmpint (rule->condition->type, ==, CP_CONDITION_ACTIVITY);
  g_assert_cmpuint (rule->condition->kind_mask, ==, 1u << CP_ACTIVITY_KIND_MEETING_BOOKED);
  g_assert_cmpuint (rule->condition->min_count, ==, 2);
  g_assert_cmpuint (rule->condition->days, ==, 60);

  /* A text comparison without its value: the reason, nothing saved. */
  dialog = open_rule_dialog (f, CP_SCORE_FIT);
  field = cp_rule_dialog_get_field_row (dialog);
  op = cp_rule_dialog_get_op_row (dialog);
  gtk_editable_set_text (GTK_EDITABLE (cp_rule_dialog_get_description_row (dialog)),
                         "Named hospital");
  adw_combo_row_set_selected (field, position_of (adw_combo_row_get_model (field), "Organization"));
  adw_combo_row_set_selected (op, position_of (adw_combo_row_get_model (op), "contains"));
  g_assert_true (ADW_IS_ENTRY_ROW (cp_rule_dialog_get_value_widget (dialog)));
  /* The organizations the leads have are offered; picking one fills the value. */
  {
    g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
    g_autoptr(GPtrArray) leads = cp_lead_store_query (f->store, query, 0, N_LEADS * 2, NULL);
    GPtrArray *offered = cp_condition_builder_get_suggestions (cp_rule_dialog_get_builder (dialog));
    const char *first;
    guint best = 0, with_first = 0;
    g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);

    g_assert_nonnull (offered);
    g_assert_cmpuint (offered->len, >, 0);
    first = offered->pdata[0];
    /* The most frequent first, counted lead by lead. */
    for (guint i = 0; i < leads->len; i++)
      {
        const char *org = cp_lead_get_text (leads->pdata[i], CP_LEAD_FIELD_ORGANIZATION);
        guint n;

        if (org == NULL)
          continue;
        n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, org)) + 1;
        g_hash_table_insert (counts, (gpointer) org, GUINT_TO_POINTER (n));
        best = MAX (best, n);
      }
    with_first = GPOINTER_TO_UINT (g_hash_table_lookup (counts, first));
    g_assert_cmpuint (with_first, ==, best);
    gtk_widget_activate_action (GTK_WIDGET (cp_rule_dialog_get_builder (dialog)), "builder.pick",
                                "s", first);
    g_assert_cmpstr (gtk_editable_get_text (
                         GTK_EDITABLE (cp_rule_dialog_get_value_widget (dialog))),
                     ==, first);
    gtk_editable_set_text (GTK_EDITABLE (cp_rule_dialog_get_value_widget (dialog)), "");
  }
  g_signal_emit_by_name (cp_rule_dialog_get_save_button (dialog), "clicked");
  cp_test_iterate ();
  g_assert_nonnull (cp_rule_dialog_get_error (dialog));
  g_assert_nonnull (strstr (cp_rule_dialog_get_error (dialog), "Organization"));
  g_assert_null (rule_described (editor, "Named hospital"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));

  /* Editing an existing rule shows its condition in the builder. */
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_widget_activate_action (GTK_WIDGET (f->view), "playbook.edit-rule", "s",
                              rule_described (editor, "Referred by a partner")->id);
  cp_test_iterate ();
  dialog = find_toplevel (CP_TYPE_RULE_DIALOG);
  g_assert_nonnull (dialog);
  field = cp_rule_dialog_get_field_row (dialog);
  g_assert_cmpuint (adw_combo_row_get_selected (field), ==,
                    position_of (adw_combo_row_get_model (field), "Source channel"));
  value = cp_rule_dialog_get_value_widget (dialog);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (value)), ==,
                    position_of (adw_combo_row_get_model (ADW_COMBO_ROW (value)), "Referral"));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (cp_rule_dialog_get_points (dialog)), ==, 7);
  g_assert_true (
      gtk_check_button_get_active (cp_rule_dialog_get_override_check (dialog, "qualified")));
  g_assert_false (
      gtk_check_button_get_active (cp_rule_dialog_get_override_check (dialog, "engaged")));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (
                       cp_rule_dialog_get_override_points (dialog, "qualified")),
                   ==, 14);
}

static void
test_stage_dialog (Fixture       *f,
                   gconstpointer  data)
{
  CpPlaybookEditor *editor = cp_playbook_view_get_editor (f->view);
  CpStageDialog *dialog;
  const CpStage *stage;
  gboolean sms_before;
  g_autofree char *exit_before = NULL;

  gtk_widget_activate_action (GTK_WIDGET (f->view), "playbook.edit-stage", "s", "engaged");
  cp_test_iterate ();
  dialog = find_toplevel (CP_TYPE_STAGE_DIALOG);
  g_assert_nonnull (dialog);
  stage = cp_playbook_get_stage (cp_playbook_editor_get_playbook (editor), "engaged");
  exit_before = stage->exit != NULL ? cp_condition_to_string (stage->exit) : NULL;
  sms_before =
      stage->channels != NULL && g_strv_contains ((const char * const *) stage->channels, "sms");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (cp_stage_dialog_get_sla (dialog)), ==,
                   (int) stage->sla_hours);

  gtk_check_button_set_active (cp_stage_dialog_get_required (dialog, CP_LEAD_FIELD_PHONE), TRUE);
  gtk_spin_button_set_value (cp_stage_dialog_get_sla (dialog), 6);
  gtk_switch_set_active (cp_stage_dialog_get_channel (dialog, "sms"), !sms_before);
  gtk_editable_set_text (GTK_EDITABLE (cp_stage_dialog_get_assets (dialog)),
                         "Cardiology brochure, , Intake checklist");
  cp_test_screenshot ("stage");
  click_save (dialog);
  cp_test_iterate ();

  stage = cp_playbook_get_stage (cp_playbook_editor_get_playbook (editor), "engaged");
  g_assert_cmpuint (stage->sla_hours, ==, 6);
  g_assert_cmpuint (g_strv_length (stage->assets), ==, 2);
  g_assert_cmpstr (stage->assets[1], ==, "Intake checklist");
  g_assert_true (g_strv_contains ((const char * const *) stage->required_fields, "phone"));
  g_assert_cmpint (stage->channels != NULL &&
                       g_strv_contains ((const char * const *) stage->channels, "sms"),
                   ==, !sms_before);
  g_assert_true (cp_playbook_editor_has_draft (editor));
  g_assert_null (find_toplevel (CP_TYPE_STAGE_DIALOG));
  /* Entry and exit rules the dialog did not touch are kept as they were. */
  {
    g_autofree char *exit_after = stage->exit != NULL ? cp_condition_to_string (stage->exit) : NULL;

    g_assert_cmpstr (exit_after, ==, exit_before);
  }

  /* Dragged onto another open stage, it takes its place; onto a closed one, it is refused. */
  g_assert_true (cp_playbook_view_drop_stage (f->view, "adoption", "engaged"));
  g_assert_cmpint (cp_playbook_stage_index (cp_playbook_editor_get_playbook (editor), "adoption"),
                   ==,
                   cp_playbook_stage_index (cp_playbook_editor_get_playbook (editor), "engaged") -
                       1);
  g_assert_false (cp_playbook_view_drop_stage (f->view, "adoption", "closed_won"));
  g_assert_false (cp_playbook_view_drop_stage (f->view, "adoption", "adoption"));

  /* A stage with leads is not retired: the reason, and it stays. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "playbook.retire-stage", "s", "engaged");
  cp_test_iterate ();
  g_assert_nonnull (cp_playbook_get_stage (cp_playbook_editor_get_playbook (editor), "engaged"));
}

static void
test_routing (Fixture       *f,
              gconstpointer  data)
{
  CpPlaybookEditor *editor = cp_playbook_view_get_editor (f->view);
  guint n = cp_playbook_editor_get_playbook (editor)->route_rules->len;
  g_autofree char  *queue =
      g_strdup (((CpQueue *) cp_playbook_editor_get_playbook (editor)->queues->pdata[1])->id);
  g_autofree char *route_id = NULL;
  CpRuleDialog *dialog;
  AdwComboRow *field;
  AdwMessageDialog *question;
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  const CpRouteRule *rule;
  const CpQueue *q;

  gtk_widget_activate_action (GTK_WIDGET (f->view), "playbook.add-route", NULL);
  cp_test_iterate ();
  dialog = find_toplevel (CP_TYPE_RULE_DIALOG);
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (cp_rule_dialog_get_description_row (dialog)),
                         "Riverside walk-ins");
  field = cp_rule_dialog_get_field_row (dialog);
  adw_combo_row_set_selected (field, position_of (adw_combo_row_get_model (field), "Location"));
  adw_combo_row_set_selected (cp_rule_dialog_get_op_row (dialog), 0);   /* is */
  gtk_editable_set_text (GTK_EDITABLE (cp_rule_dialog_get_value_widget (dialog)), "Riverside");
  adw_combo_row_set_selected (cp_rule_dialog_get_queue_row (dialog), 1);
  cp_test_screenshot ("route");
  g_signal_emit_by_name (cp_rule_dialog_get_save_button (dialog), "clicked");
  cp_test_iterate ();

  g_assert_cmpuint (cp_playbook_editor_get_playbook (editor)->route_rules->len, ==, n + 1);
  rule = cp_playbook_editor_get_playbook (editor)->route_rules->pdata[n];
  g_assert_cmpstr (rule->description, ==, "Riverside walk-ins");
  g_assert_cmpstr (rule->queue, ==, queue);
  g_assert_cmpint (rule->condition->field, ==, CP_LEAD_FIELD_LOCATION);
  g_assert_cmpstr (rule->condition->values[0], ==, "Riverside");
  route_id = g_strdup (rule->id);

  /* Earlier in the order: it wins over the rule that was before it. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "playbook.route-up", "s", route_id);
  cp_test_iterate ();
  rule = cp_playbook_editor_get_playbook (editor)->route_rules->pdata[n - 1];
  g_assert_cmpstr (rule->id, ==, route_id);

  /* "Every lead": saved without a condition. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "playbook.edit-route", "s", route_id);
  cp_test_iterate ();
  dialog = find_toplevel (CP_TYPE_RULE_DIALOG);
  field = cp_rule_dialog_get_field_row (dialog);
  g_assert_cmpuint (adw_combo_row_get_selected (field), ==,
                    position_of (adw_combo_row_get_model (field), "Location"));
  adw_combo_row_set_selected (field, position_of (adw_combo_row_get_model (field), "Every lead"));
  g_signal_emit_by_name (cp_rule_dialog_get_save_button (dialog), "clicked");
  cp_test_iterate ();
  rule = cp_playbook_editor_get_playbook (editor)->route_rules->pdata[n - 1];
  g_assert_null (rule->condition);

  /* The queue's owners, as a list of names. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "playbook.edit-owners", "s", queue);
  cp_test_iterate ();
  question = cp_test_find_dialog (f->window);
  g_assert_nonnull (question);
  cp_test_collect_widgets (GTK_WIDGET (question), GTK_TYPE_ENTRY, entries);
  gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), "Ana Ruiz, Ben Cole");
  adw_message_dialog_response (question, "ok");
  gtk_window_destroy (GTK_WINDOW (question));
  cp_test_iterate ();
  q = cp_playbook_get_queue (cp_playbook_editor_get_playbook (editor), queue);
  g_assert_cmpuint (g_strv_length (q->owners), ==, 2);
  g_assert_cmpstr (q->owners[1], ==, "Ben Cole");
}

static void
test_automation (Fixture       *f,
                 gconstpointer  data)
{
  CpPlaybookEditor *editor = cp_playbook_view_get_editor (f->view);
  guint n = cp_playbook_editor_get_playbook (editor)->automation->len;
  CpAutomationDialog *dialog;
  const CpAutomationRule *rule;
  g_autofree char *id = NULL;

  gtk_widget_activate_action (GTK_WIDGET (f->view), "playbook.add-automation", NULL);
  cp_test_iterate ();
  dialog = find_toplevel (CP_TYPE_AUTOMATION_DIALOG);
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (cp_automation_dialog_get_description_row (dialog)),
                         "Attended a webinar");
  adw_combo_row_set_selected (cp_automation_dialog_get_trigger_row (dialog),
                              CP_AUTOMATION_ON_ACTIVITY);
  adw_combo_row_set_selected (cp_automation_dialog_get_kind_row (dialog),
                              CP_ACTIVITY_KIND_WEBINAR_ATTENDED + 1);
  adw_combo_row_set_selected (cp_automation_dialog_get_stage_row (dialog),
                              (guint) cp_playbook_stage_index (cp_playbook_editor_get_playbook (
                                                                   editor),
                                                               "engaged"));
  cp_test_screenshot ("automation");
  click_save (dialog);
  cp_test_iterate ();
  g_assert_null (find_toplevel (CP_TYPE_AUTOMATION_DIALOG));

  g_assert_cmpuint (cp_playbook_editor_get_playbook (editor)->automation->len, ==, n + 1);
  rule = cp_playbook_editor_get_playbook (editor)->automation->pdata[n];
  g_assert_cmpint (rule->trigger, ==, CP_AUTOMATION_ON_ACTIVITY);
  g_assert_cmpuint (rule->kind_mask, ==, 1u << CP_ACTIVITY_KIND_WEBINAR_ATTENDED);
  g_assert_cmpstr (rule->to_stage, ==, "engaged");
  g_assert_null (rule->condition);   /* every lead, as first offered */
  id = g_strdup (rule->id);

  /* A field change without a condition is refused in the dialog. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "playbook.edit-automation", "s", id);
  cp_test_iterate ();
  dialog = find_toplevel (CP_TYPE_AUTOMATION_DIALOG);
  g_assert_cmpuint (adw_combo_row_get_selected (cp_automation_dialog_get_kind_row (dialog)), ==,
                    CP_ACTIVITY_KIND_WEBINAR_ATTENDED + 1);
  adw_combo_row_set_selected (cp_automation_dialog_get_trigger_row (dialog),
                              CP_AUTOMATION_ON_FIELD);
  click_save (dialog);
  cp_test_iterate ();
  g_assert_nonnull (find_toplevel (CP_TYPE_AUTOMATION_DIALOG));
  rule = cp_playbook_editor_get_playbook (editor)->automation->pdata[n];
  g_assert_cmpint (rule->trigger, ==, CP_AUTOMATION_ON_ACTIVITY);
  gtk_window_destroy (GTK_WINDOW (dialog));

  gtk_widget_activate_action (GTK_WIDGET (f->view), "playbook.remove-automation", "s", id);
  cp_test_iterate ();
  g_assert_cmpuint (cp_playbook_editor_get_playbook (editor)->automation->len, ==, n);
}

static void
test_business_hours (Fixture       *f,
                     gconstpointer  data)
{
  CpPlaybookEditor *editor = cp_playbook_view_get_editor (f->view);
  CpHoursDialog *dialog;
  const CpBusinessHours *hours;

  gtk_widget_activate_action (GTK_WIDGET (f->view), "playbook.add-hours", NULL);
  cp_test_iterate ();
  dialog = find_toplevel (CP_TYPE_HOURS_DIALOG);
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (cp_hours_dialog_get_row (dialog, "location")), "Lakeview");
  gtk_editable_set_text (GTK_EDITABLE (cp_hours_dialog_get_row (dialog, "timezone")),
                         "America/Denver");
  gtk_editable_set_text (GTK_EDITABLE (cp_hours_dialog_get_row (dialog, "open")), "7.30");
  click_save (dialog);
  cp_test_iterate ();
  /* A time not written as 07:30: the reason, the dialog stays. */
  g_assert_nonnull (cp_hours_dialog_get_error (dialog));
  g_assert_cmpstr (cp_playbook_get_business_hours (cp_playbook_editor_get_playbook (editor),
                                                   "Lakeview")
                       ->location,
                   !=, "Lakeview"); /* nothing saved: the fallback hours answer */

  gtk_editable_set_text (GTK_EDITABLE (cp_hours_dialog_get_row (dialog, "open")), "07:30");
  gtk_editable_set_text (GTK_EDITABLE (cp_hours_dialog_get_row (dialog, "holidays")),
                         "2026-12-25, 2027-01-01");
  gtk_toggle_button_set_active (cp_hours_dialog_get_day (dialog, 5), TRUE);   /* Saturday */
  cp_test_screenshot ("hours");
  click_save (dialog);
  cp_test_iterate ();
  g_assert_null (find_toplevel (CP_TYPE_HOURS_DIALOG));
  hours = cp_playbook_get_business_hours (cp_playbook_editor_get_playbook (editor), "Lakeview");
  g_assert_cmpstr (hours->location, ==, "Lakeview");
  g_assert_cmpstr (hours->timezone, ==, "America/Denver");
  g_assert_cmpint (hours->open_minute, ==, 450);
  g_assert_true (hours->days & (1u << 5));
  g_assert_cmpuint (hours->holidays->len, ==, 2);
}

static void
published_cb (CpPlaybookView *view,
              gint64          version,
              Fixture        *f)
{
  f->published = version;
}

static void
test_publish_dialog (Fixture       *f,
                     gconstpointer  data)
{
  CpPlaybookEditor *editor = cp_playbook_view_get_editor (f->view);
  AdwMessageDialog *dialog;
  GPtrArray *entries = g_ptr_array_new ();
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) error = NULL;
  gboolean listed = FALSE;

  g_signal_connect (f->view, "published", G_CALLBACK (published_cb), f);
  /* Nothing to publish yet. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f->view), "playbook.publish", NULL) &&
                  cp_test_find_dialog (GTK_WINDOW (f->window)) != NULL);

  gtk_spin_button_set_value (cp_playbook_view_get_threshold (f->view, TRUE), 55);
  {
    const char * const referral[] = { "referral", NULL };
    g_autoptr(CpCondition) condition =
        cp_condition_new_field ("source_channel", CP_OP_EQ, referral, NULL);
    CpRuleEdit edit = { "Referred by a partner clinic", CP_SCORE_INTENT, 12, FALSE, condition };
    g_autofree char *id = cp_playbook_editor_save_rule (editor, NULL, &edit, &error);

    g_assert_no_error (error);
    g_assert_true (cp_playbook_editor_retire_stage (editor, "reactivation", &error) ||
                   error != NULL);
    g_clear_error (&error);
  }
  cp_test_iterate ();
  gtk_widget_activate_action (GTK_WIDGET (f->view), "playbook.publish", NULL);
  cp_test_iterate ();
  dialog = cp_test_find_dialog (f->window);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "sales-ready"));
  /* The reason first. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "ok"));
  cp_test_collect_widgets (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 2);
  gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), "Fewer leads wait as nurture");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "ok"));
  cp_test_screenshot ("publish");
  adw_message_dialog_response (dialog, "ok");
  gtk_window_destroy (GTK_WINDOW (dialog));
  cp_test_iterate ();
  g_ptr_array_unref (entries);

  g_assert_cmpint (f->published, >, 0);
  g_assert_false (cp_playbook_editor_has_draft (editor));
  versions = cp_playbook_store_list (f->database, &error);
  for (guint i = 0; i < versions->len; i++)
    {
      CpPlaybookVersion *version = versions->pdata[i];

      if (version->id == f->published)
        {
          g_assert_cmpstr (version->reason, ==, "Fewer leads wait as nurture");
          g_assert_cmpstr (version->author, ==, "Maya (marketing)");
          listed = TRUE;
        }
    }
  g_assert_true (listed);
  g_assert_true (g_str_has_prefix (cp_playbook_view_get_status (f->view), "Version"));

  /* Compare: the version against the one before, in a window of its own. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "playbook.compare", "x", f->published);
  cp_test_iterate ();
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    gboolean found = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

        if (g_strcmp0 (gtk_window_get_title (window), "Compare Versions") == 0)
          {
            g_autoptr(GPtrArray) rows = g_ptr_array_new ();
            gboolean rule_listed = FALSE;

            /* Built-in → version 1 first: the rule added is listed. */
            cp_test_collect_widgets (GTK_WIDGET (window), ADW_TYPE_ACTION_ROW, rows);
            for (guint r = 0; r < rows->len; r++)
              rule_listed |= strstr (adw_preferences_row_get_title (rows->pdata[r]),
                                     "referred_by_a_partner_clinic") != NULL;
            g_assert_true (rule_listed);
            found = TRUE;
          }
      }
    g_assert_true (found);
  }
  cp_test_screenshot ("compare");
}

/* The draft as the export writes it. */
static char *
exported (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "exported.json", NULL);
  char *text = NULL;

  g_assert_true (cp_playbook_editor_export (cp_playbook_view_get_editor (f->view), path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

/* A stage dialog whose last part (the exit rule) is wrong saves nothing of
 * it, not even the new name before it, and stays open with the reason. */
static void
test_stage_dialog_refused (Fixture       *f,
                           gconstpointer  data)
{
  CpPlaybookEditor *editor = cp_playbook_view_get_editor (f->view);
  g_autofree char *before = exported (f);
  g_autofree char *after = NULL;
  CpStageDialog *dialog;
  CpDialogFrame *frame;
  CpConditionBuilder *exit;
  AdwComboRow *field, *op;
  GtkWidget *label;
  GtkWidget *name;

  gtk_widget_activate_action (GTK_WIDGET (f->view), "playbook.edit-stage", "s", "engaged");
  cp_test_iterate ();
  dialog = find_toplevel (CP_TYPE_STAGE_DIALOG);
  g_assert_nonnull (dialog);
  frame = find_widget (GTK_WIDGET (dialog), CP_TYPE_DIALOG_FRAME, 0);

  /* Without a name, Save waits. */
  name = find_widget (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, 0);
  gtk_editable_set_text (GTK_EDITABLE (name), "  ");
  g_assert_false (gtk_widget_get_sensitive (cp_dialog_frame_get_save_button (frame)));
  gtk_editable_set_text (GTK_EDITABLE (name), "Talking");
  g_assert_true (gtk_widget_get_sensitive (cp_dialog_frame_get_save_button (frame)));

  gtk_spin_button_set_value (cp_stage_dialog_get_sla (dialog), 7);
  gtk_switch_set_active (cp_stage_dialog_get_channel (dialog, "mail"),
                         !gtk_switch_get_active (cp_stage_dialog_get_channel (dialog, "mail")));
  gtk_editable_set_text (GTK_EDITABLE (cp_stage_dialog_get_assets (dialog)), "Cardiology brochure");
  exit = find_widget (GTK_WIDGET (dialog), CP_TYPE_CONDITION_BUILDER, 1);
  field = cp_condition_builder_get_field_row (exit);
  op = cp_condition_builder_get_op_row (exit);
  adw_combo_row_set_selected (field, position_of (adw_combo_row_get_model (field), "Organization"));
  adw_combo_row_set_selected (op, position_of (adw_combo_row_get_model (op), "contains"));
  gtk_editable_set_text (GTK_EDITABLE (cp_condition_builder_get_value_widget (exit)), "");
  g_signal_emit_by_name (cp_dialog_frame_get_save_button (frame), "clicked");
  cp_test_iterate ();

  after = exported (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_true (find_toplevel (CP_TYPE_STAGE_DIALOG) == dialog);
  g_assert_nonnull (cp_dialog_frame_get_error (frame));
  g_assert_nonnull (strstr (cp_dialog_frame_get_error (frame), "Organization"));
  label = find_widget (GTK_WIDGET (frame), GTK_TYPE_LABEL, 0);
  for (guint i = 1; !gtk_widget_has_css_class (label, "error"); i++)
    label = find_widget (GTK_WIDGET (frame), GTK_TYPE_LABEL, i);
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, cp_dialog_frame_get_error (frame));
  cp_test_screenshot ("stage-refused");

  /* Put right, the whole edit lands at once; the error goes with the dialog. */
  adw_combo_row_set_selected (field, position_of (adw_combo_row_get_model (field), "Every lead"));
  g_signal_emit_by_name (cp_dialog_frame_get_save_button (frame), "clicked");
  cp_test_iterate ();
  g_assert_null (find_toplevel (CP_TYPE_STAGE_DIALOG));
  {
    CpPlaybook *playbook = cp_playbook_editor_get_playbook (editor);
    const CpStage *stage = cp_playbook_get_stage (playbook, "engaged");

    g_assert_cmpstr (stage->title, ==, "Talking");
    g_assert_cmpuint (stage->sla_hours, ==, 7);
    g_assert_cmpstr (stage->assets[0], ==, "Cardiology brochure");
  }
  g_assert_true (cp_playbook_editor_undo (editor, NULL));
  g_clear_pointer (&after, g_free);
  after = exported (f);
  g_assert_cmpstr (after, ==, before);
}

/* Has a button labelled @label, with its mnemonic. */
static gboolean
has_button (GtkWidget  *dialog,
            const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  gboolean found = FALSE;

  cp_test_collect_widgets (dialog, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    found |= g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), label) == 0 &&
             gtk_button_get_use_underline (buttons->pdata[i]) &&
             gtk_widget_get_visible (buttons->pdata[i]);
  return found;
}

/* Every playbook dialog, light and dark, with a long stage name: it opens
 * with Cancel and Save (with CP_TEST_SCREENSHOT=BASE, pictured for review). */
static void
test_dialogs_look (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const names[] = { "stage", "rule", "route", "automation", "hours" };
  CpPlaybookEditor *editor = cp_playbook_view_get_editor (f->view);
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autoptr(GError) error = NULL;

  CpStageEdit edit;

  cp_stage_edit_init (&edit, cp_playbook_get_stage (cp_playbook_editor_get_playbook (editor),
                                                    "engaged"));
  edit.title = "Engaged with the cardiology and oncology outreach programme after the first call";
  g_assert_true (cp_playbook_editor_update_stage (editor, "engaged", &edit, &error));
  g_assert_no_error (error);
  for (int dark = 0; dark < 2; dark++)
    {
      GtkWindow *dialogs[G_N_ELEMENTS (names)];

      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                      : ADW_COLOR_SCHEME_FORCE_LIGHT);
      dialogs[0] = GTK_WINDOW (cp_stage_dialog_new (f->window, editor, "engaged"));
      dialogs[1] = GTK_WINDOW (cp_rule_dialog_new (f->window, editor, NULL, CP_SCORE_FIT));
      dialogs[2] = GTK_WINDOW (cp_rule_dialog_new_route (f->window, editor, NULL));
      dialogs[3] = GTK_WINDOW (cp_automation_dialog_new (f->window, editor, NULL));
      dialogs[4] = GTK_WINDOW (cp_hours_dialog_new (f->window, editor, NULL));
      for (guint i = 0; i < G_N_ELEMENTS (dialogs); i++)
        {
          g_autofree char *suffix = g_strdup_printf ("%s-%s", names[i], dark ? "dark" : "light");

          g_assert_nonnull (dialogs[i]);
          gtk_window_present (dialogs[i]);
          cp_test_iterate ();
          g_assert_true (gtk_window_get_modal (dialogs[i]));
          g_assert_true (has_button (GTK_WIDGET (dialogs[i]), "_Cancel"));
          g_assert_true (has_button (GTK_WIDGET (dialogs[i]), "_Save"));
          cp_test_screenshot (suffix);
          CpRuleDialog *rule = CP_IS_RULE_DIALOG (dialogs[i]) ? CP_RULE_DIALOG (dialogs[i]) : NULL;
          GtkCheckButton *check = rule != NULL ? cp_rule_dialog_get_override_check (rule, "engaged")
                                               : NULL;

          if (check != NULL)
            {
              /* The stages by name, the long one included. */
              GtkWidget *expander = gtk_widget_get_ancestor (GTK_WIDGET (check),
                                                             ADW_TYPE_EXPANDER_ROW);

              adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
              g_free (suffix);
              suffix = g_strdup_printf ("rule-stages-%s", dark ? "dark" : "light");
              cp_test_screenshot (suffix);
              /* The condition's rows, an activity count with its days. */
              adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), FALSE);
              adw_combo_row_set_selected (cp_rule_dialog_get_field_row (rule), 0);
              scroll_to (GTK_WIDGET (cp_rule_dialog_get_builder (rule)));
              g_free (suffix);
              suffix = g_strdup_printf ("rule-condition-%s", dark ? "dark" : "light");
              cp_test_screenshot (suffix);
            }
          gtk_window_destroy (dialogs[i]);
          cp_test_iterate ();
        }
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cp_ui_init ();

#define ADD(path, func) \
  g_test_add ("/playbook-view/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("thresholds-and-histogram", test_thresholds_and_histogram);
  ADD ("condition-builder", test_condition_builder);
  ADD ("stage-dialog", test_stage_dialog);
  ADD ("routing", test_routing);
  ADD ("automation", test_automation);
  ADD ("business-hours", test_business_hours);
  ADD ("publish-dialog", test_publish_dialog);
#undef ADD
  /* The dialogs alone: a few leads are enough. */
#define ADD_FEW(path, func)                                                                 \
  g_test_add ("/playbook-view/" path, Fixture, GUINT_TO_POINTER (20), fixture_set_up, func, \
              fixture_tear_down)
  ADD_FEW ("stage-dialog-refused", test_stage_dialog_refused);
  ADD_FEW ("dialogs-look", test_dialogs_look);
#undef ADD_FEW

  return g_test_run ();
}
