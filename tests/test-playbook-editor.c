/* test-playbook-editor.c — the playbook draft: autosave, undo, guards, publish, diff, revert
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cp-core-error.h"
#include "cp-playbook-editor.h"
#include "cp-playbook-store.h"
#include "cp-test-util.h"

#define NOW G_GINT64_CONSTANT (1790000000)

typedef struct
{
  char             *dir;
  CpDatabase       *database;
  CpLeadStore      *store;
  CpPlaybookEditor *editor;
} Fixture;

static gint64
fixed_now (void)
{
  return NOW;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  cp_test_tmp_store_open (&f->dir, &f->database, &f->store);
  cp_lead_store_set_clock (f->store, fixed_now);
  f->editor = cp_playbook_editor_new (f->store, "Maya (marketing)", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->editor);
  cp_test_tmp_store_close (&f->dir, &f->database, &f->store);
}

static CpPlaybook *
saved_draft (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  CpPlaybook *draft = cp_playbook_store_load_draft (f->database, NULL, NULL, &error);

  g_assert_no_error (error);
  return draft;
}

static void
test_autosave_and_undo (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpPlaybook) draft = NULL;
  g_autoptr(CpPlaybookEditor) reopened = NULL;
  CpPlaybook *playbook = cp_playbook_editor_get_playbook (f->editor);
  int nurture = playbook->scoring.nurture_threshold;
  int ready = playbook->scoring.sales_ready_threshold;

  /* Opened on the version in effect: nothing saved, nothing to undo. */
  g_assert_false (cp_playbook_editor_has_draft (f->editor));
  g_assert_false (cp_playbook_editor_can_undo (f->editor));
  g_assert_null (saved_draft (f));

  g_assert_true (cp_playbook_editor_set_thresholds (f->editor, nurture + 5, ready + 10, &error));
  g_assert_no_error (error);
  g_assert_true (cp_playbook_editor_has_draft (f->editor));
  g_assert_true (cp_playbook_editor_can_undo (f->editor));
  /* Saved at once: another editor (after a crash, say) opens the same draft. */
  draft = saved_draft (f);
  g_assert_cmpint (draft->scoring.nurture_threshold, ==, nurture + 5);
  reopened = cp_playbook_editor_new (f->store, "someone else", &error);
  g_assert_no_error (error);
  g_assert_cmpint (cp_playbook_editor_get_playbook (reopened)->scoring.sales_ready_threshold, ==,
                   ready + 10);

  /* Refused: nothing changes, nothing to undo added. */
  g_assert_false (cp_playbook_editor_set_thresholds (f->editor, 80, 40, &error));
  g_assert_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_playbook_editor_set_decay (f->editor, -1, &error));
  g_clear_error (&error);
  g_assert_false (cp_playbook_editor_set_cap (f->editor, CP_SCORE_FIT, 0, &error));
  g_clear_error (&error);
  g_assert_cmpint (cp_playbook_editor_get_playbook (f->editor)->scoring.nurture_threshold, ==,
                   nurture + 5);

  g_assert_true (cp_playbook_editor_set_decay (f->editor, 14, &error));
  g_assert_true (cp_playbook_editor_undo (f->editor, &error));
  g_assert_true (cp_playbook_editor_undo (f->editor, &error));
  g_assert_no_error (error);
  g_assert_false (cp_playbook_editor_can_undo (f->editor));
  g_assert_cmpint (cp_playbook_editor_get_playbook (f->editor)->scoring.nurture_threshold, ==,
                   nurture);
  /* The undone state is what is saved. */
  g_clear_pointer (&draft, cp_playbook_unref);
  draft = saved_draft (f);
  g_assert_cmpint (draft->scoring.nurture_threshold, ==, nurture);

  g_assert_true (cp_playbook_editor_redo (f->editor, &error));
  g_assert_cmpint (cp_playbook_editor_get_playbook (f->editor)->scoring.nurture_threshold, ==,
                   nurture + 5);
  g_assert_true (cp_playbook_editor_can_redo (f->editor));
  /* A new edit forgets what could be redone. */
  g_assert_true (cp_playbook_editor_set_cap (f->editor, CP_SCORE_INTENT, 33, &error));
  g_assert_false (cp_playbook_editor_can_redo (f->editor));
}

/* The stage as it stands, as an edit (borrowed from the draft: valid until
 * the next change). */
static CpStageEdit
stage_edit (Fixture    *f,
            const char *stage_id)
{
  CpPlaybook *playbook = cp_playbook_editor_get_playbook (f->editor);
  const CpStage *stage = cp_playbook_get_stage (playbook, stage_id);
  CpStageEdit edit;

  g_assert_nonnull (stage);
  cp_stage_edit_init (&edit, stage);
  return edit;
}

/* The draft as the export writes it. */
static char *
exported (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "exported.json", NULL);
  char *text = NULL;

  g_assert_true (cp_playbook_editor_export (f->editor, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

static void
test_stages (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *lead_id = NULL;
  CpPlaybook *playbook;
  guint n_stages = cp_playbook_editor_get_playbook (f->editor)->stages->len;
  CpStageEdit edit = stage_edit (f, "engaged");

  edit.title = "  Talking  ";
  g_assert_true (cp_playbook_editor_update_stage (f->editor, "engaged", &edit, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cp_playbook_get_stage (cp_playbook_editor_get_playbook (f->editor), "engaged")
                       ->title,
                   ==, "Talking");
  edit = stage_edit (f, "engaged");
  edit.title = " ";
  g_assert_false (cp_playbook_editor_update_stage (f->editor, "engaged", &edit, &error));
  g_clear_error (&error);
  edit.title = "X";
  g_assert_false (cp_playbook_editor_update_stage (f->editor, "no_such_stage", &edit, &error));
  g_assert_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Added after the last open stage, with an id from its name. */
  id = cp_playbook_editor_add_stage (f->editor, "Insurance check", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "insurance_check");
  playbook = cp_playbook_editor_get_playbook (f->editor);
  g_assert_cmpuint (playbook->stages->len, ==, n_stages + 1);
  {
    int index = cp_playbook_stage_index (playbook, "insurance_check");

    g_assert_false (((CpStage *) playbook->stages->pdata[index])->closed);
    g_assert_true (((CpStage *) playbook->stages->pdata[index + 1])->closed);
  }

  /* Reordered among the open stages; not past a closed one. */
  g_assert_true (cp_playbook_editor_move_stage (f->editor, "insurance_check", 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cp_playbook_stage_index (cp_playbook_editor_get_playbook (f->editor),
                                            "insurance_check"),
                   ==, 1);
  g_assert_false (cp_playbook_editor_move_stage (f->editor, "insurance_check", n_stages, &error));
  g_assert_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID);
  g_clear_error (&error);

  {
    const char * const channels[] = { "phone", "email", NULL };
    const char * const required[] = { "phone", "service_line", NULL };
    const char * const bad_channels[] = { "pigeon", NULL };
    const char * const bad_required[] = { "shoe_size", NULL };
    const CpStage *stage;

    edit = stage_edit (f, "insurance_check");
    edit.owner_role = "intake";
    edit.channels = channels;
    edit.required_fields = required;
    edit.sla_hours = 4;
    edit.rotting_days = 10;
    g_assert_true (cp_playbook_editor_update_stage (f->editor, "insurance_check", &edit, &error));
    g_assert_no_error (error);
    stage = cp_playbook_get_stage (cp_playbook_editor_get_playbook (f->editor), "insurance_check");
    g_assert_cmpstr (stage->owner_role, ==, "intake");
    g_assert_true (g_strv_equal ((const char * const *) stage->channels, channels));
    g_assert_true (g_strv_equal ((const char * const *) stage->required_fields, required));
    g_assert_cmpuint (stage->sla_hours, ==, 4);
    g_assert_cmpuint (stage->rotting_days, ==, 10);
    /* Refused with the reason; nothing changes. */
    edit = stage_edit (f, "insurance_check");
    edit.owner_role = "janitor";
    g_assert_false (cp_playbook_editor_update_stage (f->editor, "insurance_check", &edit, &error));
    g_clear_error (&error);
    edit = stage_edit (f, "insurance_check");
    edit.channels = bad_channels;
    g_assert_false (cp_playbook_editor_update_stage (f->editor, "insurance_check", &edit, &error));
    g_clear_error (&error);
    edit = stage_edit (f, "insurance_check");
    edit.sla_hours = 24 * 30 + 1;
    g_assert_false (cp_playbook_editor_update_stage (f->editor, "insurance_check", &edit, &error));
    g_assert_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID);
    g_clear_error (&error);
    edit = stage_edit (f, "insurance_check");
    edit.rotting_days = 3651;
    g_assert_false (cp_playbook_editor_update_stage (f->editor, "insurance_check", &edit, &error));
    g_assert_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID);
    g_clear_error (&error);
    edit = stage_edit (f, "insurance_check");
    edit.required_fields = bad_required;
    g_assert_false (cp_playbook_editor_update_stage (f->editor, "insurance_check", &edit, &error));
    g_assert_nonnull (strstr (error->message, "shoe_size"));
    g_clear_error (&error);
    stage = cp_playbook_get_stage (cp_playbook_editor_get_playbook (f->editor), "insurance_check");
    g_assert_cmpstr (stage->owner_role, ==, "intake");
    g_assert_true (g_strv_equal ((const char * const *) stage->required_fields, required));
    g_assert_cmpuint (stage->sla_hours, ==, 4);
    g_assert_cmpuint (stage->rotting_days, ==, 10);
  }
  {
    const char * const insured[] = { "in_network", NULL };
    g_autoptr(CpCondition) entry =
        cp_condition_new_field ("coverage_fit", CP_OP_EQ, insured, &error);
    const CpStage *stage;

    edit = stage_edit (f, "insurance_check");
    edit.entry = entry;
    edit.exit = NULL;
    g_assert_true (cp_playbook_editor_update_stage (f->editor, "insurance_check", &edit, &error));
    g_assert_no_error (error);
    stage = cp_playbook_get_stage (cp_playbook_editor_get_playbook (f->editor), "insurance_check");
    g_assert_nonnull (stage->entry);
    g_assert_cmpint (stage->entry->field, ==, CP_LEAD_FIELD_COVERAGE_FIT);
    g_assert_null (stage->exit);
  }

  /* A stage with leads cannot vanish (a lead there, as if the stage had
   * been published before). */
  lead_id = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Ruth",
                                 CP_LEAD_FIELD_EMAIL, "ruth@example.org", CP_LEAD_N_FIELDS);
  cp_test_store_value (cp_lead_store_get_database (f->store), lead_id, "stage", "insurance_check");
  g_assert_false (cp_playbook_editor_retire_stage (f->editor, "insurance_check", &error));
  g_assert_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "1 lead is in “Insurance check”"));
  g_clear_error (&error);
  g_assert_nonnull (
      cp_playbook_get_stage (cp_playbook_editor_get_playbook (f->editor), "insurance_check"));

  /* Once it is empty, it can go. */
  g_assert_true (cp_lead_store_move (f->store, lead_id, NULL, "new", NULL, "Stage retired", "test",
                                     NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cp_playbook_editor_retire_stage (f->editor, "insurance_check", &error));
  g_assert_no_error (error);
  g_assert_null (
      cp_playbook_get_stage (cp_playbook_editor_get_playbook (f->editor), "insurance_check"));
}

/* One dialog's Save is one edit: when its last part is refused, nothing of
 * it is applied; when all hold, all are, and one undo takes all back. */
static void
test_stage_edit_atomic (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = exported (f);
  g_autofree char *after = NULL;
  const char * const insured[] = { "in_network", NULL };
  const char * const channels[] = { "sms", NULL };
  const char * const required[] = { "phone", NULL };
  const char * const bad_required[] = { "phone", "shoe_size", NULL };
  const char * const assets[] = { " Cardiology brochure ", "", NULL };
  g_autoptr(CpCondition) entry = cp_condition_new_field ("coverage_fit", CP_OP_EQ, insured, &error);
  gboolean could_undo = cp_playbook_editor_can_undo (f->editor);
  CpStageEdit edit = stage_edit (f, "engaged");
  const CpStage *stage;

  g_assert_no_error (error);
  edit.title = "Talking";
  edit.owner_role = "intake";
  edit.channels = channels;
  edit.entry = entry;
  edit.assets = assets;
  edit.sla_hours = 6;
  /* The last part (checked by the engine, after everything else) is refused. */
  edit.required_fields = bad_required;
  g_assert_false (cp_playbook_editor_update_stage (f->editor, "engaged", &edit, &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "shoe_size"));
  g_clear_error (&error);
  after = exported (f);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);
  g_assert_cmpint (cp_playbook_editor_can_undo (f->editor), ==, could_undo);

  /* A value out of range, with a good name first: the name is not kept either. */
  edit.required_fields = required;
  edit.rotting_days = 9999;
  g_assert_false (cp_playbook_editor_update_stage (f->editor, "engaged", &edit, &error));
  g_assert_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID);
  g_clear_error (&error);
  after = exported (f);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);

  /* All valid: every part applied. */
  edit.rotting_days = 30;
  g_assert_true (cp_playbook_editor_update_stage (f->editor, "engaged", &edit, &error));
  g_assert_no_error (error);
  stage = cp_playbook_get_stage (cp_playbook_editor_get_playbook (f->editor), "engaged");
  g_assert_cmpstr (stage->title, ==, "Talking");
  g_assert_cmpstr (stage->owner_role, ==, "intake");
  g_assert_true (g_strv_equal ((const char * const *) stage->channels, channels));
  g_assert_true (g_strv_equal ((const char * const *) stage->required_fields, required));
  g_assert_cmpuint (stage->sla_hours, ==, 6);
  g_assert_cmpuint (stage->rotting_days, ==, 30);
  g_assert_nonnull (stage->entry);
  g_assert_cmpint (stage->entry->field, ==, CP_LEAD_FIELD_COVERAGE_FIT);
  g_assert_cmpuint (g_strv_length (stage->assets), ==, 1);
  g_assert_cmpstr (stage->assets[0], ==, "Cardiology brochure");

  /* One undo step takes the whole edit back. */
  g_assert_true (cp_playbook_editor_undo (f->editor, &error));
  g_assert_no_error (error);
  after = exported (f);
  g_assert_cmpstr (after, ==, before);
}

/* A scoring rule with per-stage points: an unknown stage refuses the whole
 * rule (no new rule half-made); valid, rule and points land as one step. */
static void
test_rule_edit_atomic (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = exported (f);
  g_autofree char *after = NULL;
  g_autofree char *id = NULL;
  const char * const referral[] = { "referral", NULL };
  const char * const stages[] = { "qualified", "nowhere" };
  const int points[] = { 9, 4 };
  g_autoptr(CpCondition) condition = cp_condition_new_field ("source_channel", CP_OP_EQ, referral,
                                                             &error);
  CpRuleEdit edit = {
    "Referred by a partner clinic", CP_SCORE_INTENT, 12, TRUE, condition, stages, points, 2
  };
  CpPlaybook *playbook;
  const CpScoreRule *rule = NULL;

  g_assert_no_error (error);
  g_assert_null (cp_playbook_editor_save_rule (f->editor, NULL, &edit, &error));
  g_assert_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nowhere"));
  g_clear_error (&error);
  after = exported (f);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);

  edit.n_overrides = 1;
  id = cp_playbook_editor_save_rule (f->editor, NULL, &edit, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  playbook = cp_playbook_editor_get_playbook (f->editor);
  for (guint i = 0; i < playbook->scoring.rules->len; i++)
    if (g_str_equal (((CpScoreRule *) playbook->scoring.rules->pdata[i])->id, id))
      rule = playbook->scoring.rules->pdata[i];
  g_assert_nonnull (rule);
  g_assert_cmpint (rule->points, ==, 12);
  g_assert_true (rule->decay);
  g_assert_cmpuint (rule->n_overrides, ==, 1);
  g_assert_cmpstr (rule->override_stages[0], ==, "qualified");
  g_assert_cmpint (rule->override_points[0], ==, 9);

  g_assert_true (cp_playbook_editor_undo (f->editor, &error));
  g_assert_no_error (error);
  after = exported (f);
  g_assert_cmpstr (after, ==, before);
}

static void
test_rules (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char * const referral[] = { "referral", NULL };
  g_autoptr(CpCondition) condition =
      cp_condition_new_field ("source_channel", CP_OP_EQ, referral, &error);
  g_autofree char *id = NULL;
  g_autofree char *same = NULL;
  CpPlaybook *playbook;
  guint n_rules = cp_playbook_editor_get_playbook (f->editor)->scoring.rules->len;
  CpScoreRule *rule = NULL;
  CpRuleEdit blank = { "  ", CP_SCORE_FIT, 5, FALSE, condition };
  CpRuleEdit zero = { "Zero", CP_SCORE_FIT, 0, FALSE, condition };
  CpRuleEdit no_condition = { "No condition", CP_SCORE_FIT, 5, FALSE, NULL };
  CpRuleEdit missing = { "X", CP_SCORE_FIT, 5, FALSE, condition };

  g_assert_no_error (error);
  id = cp_playbook_editor_save_rule (f->editor, NULL,
                                     &(CpRuleEdit) { "Referred by a partner clinic",
                                                     CP_SCORE_INTENT, 12, FALSE, condition },
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "referred_by_a_partner_clinic");
  playbook = cp_playbook_editor_get_playbook (f->editor);
  g_assert_cmpuint (playbook->scoring.rules->len, ==, n_rules + 1);
  for (guint i = 0; i < playbook->scoring.rules->len; i++)
    if (g_str_equal (((CpScoreRule *) playbook->scoring.rules->pdata[i])->id, id))
      rule = playbook->scoring.rules->pdata[i];
  g_assert_nonnull (rule);
  g_assert_cmpint (rule->points, ==, 12);
  g_assert_cmpint (rule->condition->field, ==, CP_LEAD_FIELD_SOURCE_CHANNEL);

  /* Changed in place: negative points allowed. */
  same = cp_playbook_editor_save_rule (f->editor, id,
                                       &(CpRuleEdit) { "Referred by a partner clinic", CP_SCORE_FIT,
                                                       -4, FALSE, condition }, &error);
  g_assert_cmpstr (same, ==, id);
  g_assert_cmpuint (cp_playbook_editor_get_playbook (f->editor)->scoring.rules->len, ==,
                    n_rules + 1);

  /* Refused with the reason. */
  g_assert_null (cp_playbook_editor_save_rule (f->editor, NULL,
                                               &blank, &error));
  g_assert_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (cp_playbook_editor_save_rule (f->editor, NULL,
                                               &zero, &error));
  g_clear_error (&error);
  g_assert_null (cp_playbook_editor_save_rule (f->editor, NULL,
                                               &no_condition, &error));
  g_clear_error (&error);
  g_assert_null (cp_playbook_editor_save_rule (f->editor, "missing",
                                               &missing, &error));
  g_assert_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Per-stage points; an unknown stage is refused. */
  {
    const char * const stages[] = { "qualified", "engaged" };
    const char * const nowhere[] = { "nowhere" };
    const int points[] = { 9, -2 };

    CpRuleEdit edit = {
      "Referred by a partner clinic", CP_SCORE_FIT, -4, FALSE, condition, stages, points, 2
    };
    g_autofree char *again = NULL;

    again = cp_playbook_editor_save_rule (f->editor, id, &edit, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (again, ==, id);
    edit.override_stages = nowhere;
    edit.n_overrides = 1;
    g_assert_null (cp_playbook_editor_save_rule (f->editor, id, &edit, &error));
    g_assert_nonnull (strstr (error->message, "nowhere"));
    g_clear_error (&error);
    playbook = cp_playbook_editor_get_playbook (f->editor);
    for (guint i = 0; i < playbook->scoring.rules->len; i++)
      if (g_str_equal (((CpScoreRule *) playbook->scoring.rules->pdata[i])->id, id))
        {
          rule = playbook->scoring.rules->pdata[i];
          g_assert_cmpuint (rule->n_overrides, ==, 2);
          g_assert_cmpint (rule->override_points[1], ==, -2);
        }
  }

  g_assert_true (cp_playbook_editor_remove_rule (f->editor, id, &error));
  g_assert_cmpuint (cp_playbook_editor_get_playbook (f->editor)->scoring.rules->len, ==, n_rules);
  g_assert_false (cp_playbook_editor_remove_rule (f->editor, id, &error));
  g_clear_error (&error);
}

static void
test_routing (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char * const cardiology[] = { "cardiology", NULL };
  g_autoptr(CpCondition) condition =
      cp_condition_new_field ("service_line", CP_OP_EQ, cardiology, &error);
  CpPlaybook *playbook = cp_playbook_editor_get_playbook (f->editor);
  /* A copy: every edit replaces the draft's playbook. */
  g_autofree char *queue = g_strdup (((CpQueue *) playbook->queues->pdata[0])->id);
  guint n = playbook->route_rules->len;
  g_autofree char *id = NULL;
  g_autofree char *always = NULL;
  const CpRouteRule *rule;
  const char * const owners[] = { " Ana Ruiz ", "", "Ben Cole", NULL };
  const char * const nobody[] = { "  ", NULL };

  id = cp_playbook_editor_save_route (f->editor, NULL, "Heart patients to cardiology intake",
                                      condition, queue, &error);
  g_assert_no_error (error);
  playbook = cp_playbook_editor_get_playbook (f->editor);
  g_assert_cmpuint (playbook->route_rules->len, ==, n + 1);
  rule = playbook->route_rules->pdata[n];   /* added last */
  g_assert_cmpstr (rule->id, ==, id);
  g_assert_cmpstr (rule->queue, ==, queue);

  /* First match wins: moved to the top. */
  g_assert_true (cp_playbook_editor_move_route (f->editor, id, 0, &error));
  g_assert_cmpstr (((CpRouteRule *) cp_playbook_editor_get_playbook (f->editor)
                        ->route_rules->pdata[0])
                       ->id,
                   ==, id);

  /* Without a condition it always applies. */
  always = cp_playbook_editor_save_route (f->editor, NULL, "Everything else", NULL, queue, &error);
  g_assert_no_error (error);
  g_assert_null (
      ((CpRouteRule *) cp_playbook_editor_get_playbook (f->editor)->route_rules->pdata[n + 1])
          ->condition);

  /* Refused: an unknown queue, no description. */
  g_assert_null (
      cp_playbook_editor_save_route (f->editor, id, "X", condition, "no_such_queue", &error));
  g_assert_nonnull (strstr (error->message, "no_such_queue"));
  g_clear_error (&error);
  g_assert_null (cp_playbook_editor_save_route (f->editor, NULL, " ", condition, queue, &error));
  g_clear_error (&error);

  g_assert_true (cp_playbook_editor_remove_route (f->editor, always, &error));
  g_assert_cmpuint (cp_playbook_editor_get_playbook (f->editor)->route_rules->len, ==, n + 1);
  g_assert_false (cp_playbook_editor_remove_route (f->editor, always, &error));
  g_clear_error (&error);

  /* Owners, trimmed; a queue without any is refused. */
  g_assert_true (cp_playbook_editor_set_queue_owners (f->editor, queue, owners, &error));
  g_assert_no_error (error);
  {
    const CpQueue *q = cp_playbook_get_queue (cp_playbook_editor_get_playbook (f->editor), queue);
    const char * const expected[] = { "Ana Ruiz", "Ben Cole", NULL };

    g_assert_true (g_strv_equal ((const char * const *) q->owners, expected));
  }
  g_assert_false (cp_playbook_editor_set_queue_owners (f->editor, queue, nobody, &error));
  g_clear_error (&error);
  g_assert_false (cp_playbook_editor_set_queue_owners (f->editor, "no_such_queue", owners, &error));
  g_clear_error (&error);
}

static void
test_automation (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char * const high[] = { "high", NULL };
  g_autoptr(CpCondition) urgent = cp_condition_new_field ("urgency", CP_OP_EQ, high, &error);
  guint n = cp_playbook_editor_get_playbook (f->editor)->automation->len;
  g_autofree char *id = NULL;
  g_autofree char *quiet = NULL;
  const CpAutomationRule *rule;

  id = cp_playbook_editor_save_automation (f->editor, NULL, "Attended a webinar",
                                           CP_AUTOMATION_ON_ACTIVITY,
                                           1u << CP_ACTIVITY_KIND_WEBINAR_ATTENDED, 0, urgent,
                                           "engaged", &error);
  g_assert_no_error (error);
  rule = cp_playbook_editor_get_playbook (f->editor)->automation->pdata[n];
  g_assert_cmpstr (rule->id, ==, id);
  g_assert_cmpint (rule->trigger, ==, CP_AUTOMATION_ON_ACTIVITY);
  g_assert_cmpuint (rule->kind_mask, ==, 1u << CP_ACTIVITY_KIND_WEBINAR_ATTENDED);
  g_assert_cmpstr (rule->to_stage, ==, "engaged");
  g_assert_nonnull (rule->condition);

  /* Changed to inactivity: the kinds are dropped, the days kept. */
  quiet =
      cp_playbook_editor_save_automation (f->editor, id, "Gone quiet", CP_AUTOMATION_ON_INACTIVITY,
                                          0xff, 45, NULL, "reactivation", &error);
  g_assert_cmpstr (quiet, ==, id);
  rule = cp_playbook_editor_get_playbook (f->editor)->automation->pdata[n];
  g_assert_cmpuint (rule->kind_mask, ==, 0);
  g_assert_cmpuint (rule->inactive_days, ==, 45);
  g_assert_null (rule->condition);

  /* Refused with the reason. */
  g_assert_null (cp_playbook_editor_save_automation (f->editor, NULL, "X",
                                                     CP_AUTOMATION_ON_INACTIVITY, 0, 0, NULL,
                                                     "engaged", &error));
  g_clear_error (&error);
  g_assert_null (cp_playbook_editor_save_automation (f->editor, NULL, "X", CP_AUTOMATION_ON_FIELD,
                                                     0, 0, NULL, "engaged", &error));
  g_clear_error (&error);
  g_assert_null (cp_playbook_editor_save_automation (f->editor, NULL, "X",
                                                     CP_AUTOMATION_ON_ACTIVITY, 0, 0, NULL,
                                                     "nowhere", &error));
  g_assert_nonnull (strstr (error->message, "nowhere"));
  g_clear_error (&error);

  g_assert_true (cp_playbook_editor_remove_automation (f->editor, id, &error));
  g_assert_cmpuint (cp_playbook_editor_get_playbook (f->editor)->automation->len, ==, n);
  g_assert_false (cp_playbook_editor_remove_automation (f->editor, id, &error));
}

static void
test_business_hours (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char * const holidays[] = { "2026-12-25", " ", "2027-01-01", NULL };
  const char * const bad_day[] = { "2026-02-30", NULL };
  const CpBusinessHours *hours;
  guint n = cp_playbook_editor_get_playbook (f->editor)->business_hours->len;

  g_assert_true (cp_playbook_editor_set_business_hours (f->editor, "Lakeview", "America/Denver",
                                                        0x3f, 7 * 60 + 30, 18 * 60, holidays,
                                                        &error));
  g_assert_no_error (error);
  hours = cp_playbook_get_business_hours (cp_playbook_editor_get_playbook (f->editor), "Lakeview");
  g_assert_cmpstr (hours->location, ==, "Lakeview");
  g_assert_cmpstr (hours->timezone, ==, "America/Denver");
  g_assert_cmpuint (hours->days, ==, 0x3f);
  g_assert_cmpint (hours->open_minute, ==, 450);
  g_assert_cmpuint (hours->holidays->len, ==, 2);
  g_assert_cmpuint (cp_playbook_editor_get_playbook (f->editor)->business_hours->len, ==, n + 1);

  /* The same location again replaces it. */
  g_assert_true (cp_playbook_editor_set_business_hours (f->editor, "Lakeview", "America/Denver",
                                                        0x1f, 8 * 60, 17 * 60, NULL, &error));
  g_assert_cmpuint (cp_playbook_editor_get_playbook (f->editor)->business_hours->len, ==, n + 1);

  /* Refused with the reason. */
  g_assert_false (cp_playbook_editor_set_business_hours (f->editor, "Lakeview", "Mars/Olympus",
                                                         0x1f, 480, 1020, NULL, &error));
  g_assert_nonnull (strstr (error->message, "Mars/Olympus"));
  g_clear_error (&error);
  g_assert_false (cp_playbook_editor_set_business_hours (f->editor, "Lakeview", "UTC", 0, 480, 1020,
                                                         NULL, &error));
  g_clear_error (&error);
  g_assert_false (cp_playbook_editor_set_business_hours (f->editor, "Lakeview", "UTC", 0x1f, 1020,
                                                         480, NULL, &error));
  g_clear_error (&error);
  g_assert_false (cp_playbook_editor_set_business_hours (f->editor, "Lakeview", "UTC", 0x1f, 480,
                                                         1020, bad_day, &error));
  g_assert_nonnull (strstr (error->message, "2026-02-30"));
  g_clear_error (&error);
  g_assert_false (
      cp_playbook_editor_set_business_hours (f->editor, " ", "UTC", 0x1f, 480, 1020, NULL, &error));
  g_clear_error (&error);
}

static void
test_publish_diff_revert (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(CpPlaybook) active = NULL;
  gint64 base = cp_playbook_editor_get_base_version (f->editor);
  int nurture = cp_playbook_editor_get_playbook (f->editor)->scoring.nurture_threshold;
  int ready = cp_playbook_editor_get_playbook (f->editor)->scoring.sales_ready_threshold;
  gint64 first, reverted;
  gboolean thresholds_listed = FALSE;

  g_assert_cmpint (cp_playbook_editor_publish (f->editor, "Tune", 0, &error), ==, 0);
  g_assert_nonnull (strstr (error->message, "Nothing to publish"));
  g_clear_error (&error);

  g_assert_true (cp_playbook_editor_set_thresholds (f->editor, nurture + 1, ready + 1, &error));
  pending = cp_playbook_editor_draft_changes (f->editor);
  g_assert_cmpuint (pending->len, >, 0);

  /* A reason is required, and the draft stays when it is missing. */
  g_assert_cmpint (cp_playbook_editor_publish (f->editor, "   ", 0, &error), ==, 0);
  g_assert_error (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (cp_playbook_editor_has_draft (f->editor));

  first = cp_playbook_editor_publish (f->editor, "Fewer leads marked sales-ready", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first, >, base);
  g_assert_false (cp_playbook_editor_has_draft (f->editor));
  g_assert_false (cp_playbook_editor_can_undo (f->editor));
  g_assert_cmpint (cp_playbook_editor_get_base_version (f->editor), ==, first);

  versions = cp_playbook_editor_list_versions (f->editor, &error);
  g_assert_no_error (error);
  {
    gboolean found = FALSE;

    for (guint i = 0; i < versions->len; i++)
      {
        CpPlaybookVersion *version = versions->pdata[i];

        if (version->id == first)
          {
            g_assert_cmpstr (version->reason, ==, "Fewer leads marked sales-ready");
            g_assert_cmpstr (version->author, ==, "Maya (marketing)");
            found = TRUE;
          }
      }
    g_assert_true (found);
  }

  changes = cp_playbook_editor_diff (f->editor, base, first, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < changes->len; i++)
    {
      g_autofree char *line = cp_playbook_change_to_string (changes->pdata[i]);

      thresholds_listed |= strstr (line, "threshold") != NULL || strstr (line, "sales") != NULL;
    }
  g_assert_true (thresholds_listed);

  /* Revert: the old version again, as a new version. */
  g_assert_cmpint (cp_playbook_editor_revert (f->editor, base, "", &error), ==, 0);
  g_clear_error (&error);
  reverted =
      cp_playbook_editor_revert (f->editor, base, "Back to the default while we review", &error);
  g_assert_no_error (error);
  g_assert_cmpint (reverted, >, first);
  active = cp_playbook_store_load_active (f->database, NOW + 1, NULL, &error);
  g_assert_cmpint (active->scoring.nurture_threshold, ==, nurture);
  g_assert_cmpint (cp_playbook_editor_revert (f->editor, 9999, "No such version", &error), ==, 0);
  g_assert_nonnull (error);
}

static void
test_import_export (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "playbook.json", NULL);
  g_autofree char *bad = g_build_filename (f->dir, "bad.json", NULL);
  g_autofree char *text = NULL;
  int ready = cp_playbook_editor_get_playbook (f->editor)->scoring.sales_ready_threshold;

  g_assert_true (cp_playbook_editor_export (f->editor, path, &error));
  g_assert_no_error (error);

  /* An invalid file: the engine's precise error, the draft untouched. */
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  {
    g_autoptr(GString) broken = g_string_new (text);
    g_autofree char *needle = g_strdup_printf ("\"sales_ready\" : %d", ready);
    char *at = strstr (broken->str, needle);

    g_assert_nonnull (at);
    g_string_replace (broken, needle, "\"sales_ready\" : \"high\"", 1);
    g_assert_true (g_file_set_contents (bad, broken->str, -1, NULL));
  }
  g_assert_false (cp_playbook_editor_import (f->editor, bad, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "sales_ready"));
  g_clear_error (&error);
  g_assert_false (cp_playbook_editor_has_draft (f->editor));

  g_assert_true (cp_playbook_editor_set_thresholds (f->editor, 1, 2, &error));
  g_assert_true (cp_playbook_editor_import (f->editor, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cp_playbook_editor_get_playbook (f->editor)->scoring.sales_ready_threshold, ==,
                   ready);
  g_assert_true (cp_playbook_editor_undo (f->editor, &error));
  g_assert_cmpint (cp_playbook_editor_get_playbook (f->editor)->scoring.sales_ready_threshold, ==,
                   2);

  g_assert_true (cp_playbook_editor_discard (f->editor, &error));
  g_assert_false (cp_playbook_editor_has_draft (f->editor));
  g_assert_cmpint (cp_playbook_editor_get_playbook (f->editor)->scoring.sales_ready_threshold, ==,
                   ready);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/playbook-editor/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("autosave-and-undo", test_autosave_and_undo);
  ADD ("stages", test_stages);
  ADD ("rules", test_rules);
  ADD ("stage-edit-atomic", test_stage_edit_atomic);
  ADD ("rule-edit-atomic", test_rule_edit_atomic);
  ADD ("routing", test_routing);
  ADD ("automation", test_automation);
  ADD ("business-hours", test_business_hours);
  ADD ("publish-diff-revert", test_publish_diff_revert);
  ADD ("import-export", test_import_export);
#undef ADD

  return g_test_run ();
}
