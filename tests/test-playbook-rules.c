/* test-playbook-rules.c — what a playbook's rules read, the next open stage, whether a lead could
 * move on SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cp-playbook-format.h"
#include "cp-playbook-rules.h"

#define NOW G_GINT64_CONSTANT (1772000000)
#define DAY G_GINT64_CONSTANT (86400)

#define READS(f) CP_PLAYBOOK_READS_FIELD (CP_LEAD_FIELD_##f)

static const char *
next_open (CpPlaybook *playbook,
           const char *stage_id)
{
  const CpStage *stage = cp_playbook_next_open_stage (playbook, stage_id);

  return stage != NULL ? stage->id : NULL;
}

static void
test_next_open_stage (void)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  CpStage *won = NULL;

  g_assert_cmpstr (next_open (playbook, "new"), ==, "engaged");
  g_assert_cmpstr (next_open (playbook, "adoption"), ==, "reactivation");
  /* Only closed stages after it, or none at all. */
  g_assert_null (next_open (playbook, "reactivation"));
  g_assert_null (next_open (playbook, "closed_won"));
  g_assert_null (next_open (playbook, "closed_lost"));
  /* Not a stage of the playbook, or no stage. */
  g_assert_null (next_open (playbook, "nowhere"));
  g_assert_null (next_open (playbook, NULL));

  /* A closed stage between two open ones is stepped over. */
  for (guint i = 0; i < playbook->stages->len && won == NULL; i++)
    if (g_str_equal (((CpStage *) playbook->stages->pdata[i])->id, "closed_won"))
      won = g_ptr_array_steal_index (playbook->stages, i);
  g_assert_nonnull (won);
  g_ptr_array_insert (playbook->stages, 1, won);
  g_assert_cmpstr (((CpStage *) playbook->stages->pdata[1])->id, ==, "closed_won");
  g_assert_cmpstr (next_open (playbook, "new"), ==, "engaged");
  g_assert_cmpstr (next_open (playbook, "closed_won"), ==, "engaged");
}

/* A lead in @stage with @email, one activity a day ago when @active, and
 * @service_line. */
static gboolean
blocks (CpPlaybook *playbook,
        const char *stage,
        const char *email,
        gboolean    active,
        const char *service_line)
{
  g_autoptr(CpLead) lead = cp_lead_new ();
  CpActivityRecord activity = { .kind = CP_ACTIVITY_KIND_FORM_FILL, .occurred_at = NOW - DAY };
  CpConditionInput input = { 0, };
  CpLeadRecord record;

  cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, stage);
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, email);
  cp_lead_set_text (lead, CP_LEAD_FIELD_SERVICE_LINE, service_line);
  cp_lead_record_init (&record, lead);
  input.lead = &record;
  input.activities = active ? &activity : NULL;
  input.n_activities = active ? 1 : 0;
  input.now = NOW;
  return cp_playbook_blocks_moving_on (playbook, &input, stage);
}

static void
test_blocks_moving_on (void)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();

  /* new → engaged: the exit rule wants a way to reach the lead, the
   * entry rule an activity within 90 days, and a service line. */
  g_assert_false (blocks (playbook, "new", "ana@example.org", TRUE, "primary_care"));
  g_assert_true (blocks (playbook, "new", NULL, TRUE, "primary_care"));
  g_assert_true (blocks (playbook, "new", "ana@example.org", FALSE, "primary_care"));
  g_assert_true (blocks (playbook, "new", "ana@example.org", TRUE, NULL));
  /* Nowhere open to move on to, or no such stage: nothing blocks. */
  g_assert_false (blocks (playbook, "reactivation", NULL, FALSE, NULL));
  g_assert_false (blocks (playbook, "closed_lost", NULL, FALSE, NULL));
  g_assert_false (blocks (playbook, "nowhere", NULL, FALSE, NULL));
}

static void
replace_condition (CpCondition **slot,
                   CpCondition  *condition)
{
  g_clear_pointer (slot, cp_condition_free);
  *slot = condition;
}

static void
test_reads (void)
{
  g_autoptr(CpPlaybook) playbook = cp_playbook_format_load_default ();
  CpPlaybookReads scoring = { 0, }, everything = { 0, };
  CpStage *adoption = (CpStage *) cp_playbook_get_stage (playbook, "adoption");
  const char * const values[] = { NULL };
  g_autoptr(GError) error = NULL;

  /* No rule of the playbook looks at custom fields or activity details
   * but those set up here, outside scoring. */
  for (guint i = 0; i < playbook->scoring.rules->len; i++)
    {
      CpScoreRule *rule = playbook->scoring.rules->pdata[i];

      if (cp_condition_uses_activity_detail (rule->condition) ||
          cp_condition_uses_custom_fields (rule->condition))
        replace_condition (&rule->condition, cp_condition_new_inactive (30));
    }
  replace_condition (&adoption->entry,
                     cp_condition_new_field ("custom.beds", CP_OP_EXISTS, values, &error));
  g_assert_no_error (error);
  replace_condition (&adoption->exit, cp_condition_new_activity (1, 1, 0, "pricing"));

  cp_playbook_reads_add_scoring (&scoring, playbook);
  /* Decay, stage overrides and the rules' fields. */
  g_assert_true (scoring.fields & READS (STAGE));
  g_assert_true (scoring.fields & READS (LAST_ACTIVITY_AT));
  g_assert_true (scoring.fields & READS (CREATED_AT));
  g_assert_false (scoring.fields & READS (PREFERRED_CONTACT));
  g_assert_false (scoring.detail);
  g_assert_false (scoring.custom);

  cp_playbook_reads_add_everything (&everything, playbook);
  g_assert_cmpuint (everything.fields & scoring.fields, ==, scoring.fields);
  /* Required fields, entry and exit rules, routing. */
  g_assert_true (everything.fields & READS (PREFERRED_CONTACT));
  g_assert_true (everything.fields & READS (CLOSURE_REASON));
  g_assert_true (everything.fields & READS (EMAIL));
  g_assert_true (everything.fields & READS (REGION));
  g_assert_true (everything.detail);
  g_assert_true (everything.custom);
  /* A custom field has no bit of its own. */
  g_assert_cmpuint (everything.fields >> CP_LEAD_N_FIELDS, ==, 0);

}

static void
test_reads_field (void)
{
  CpPlaybookReads reads = { 0, };

  cp_playbook_reads_add_field (&reads, CP_LEAD_FIELD_NOTES);
  cp_playbook_reads_add_field (&reads, CP_LEAD_FIELD_REGION);
  cp_playbook_reads_add_field (&reads, CP_LEAD_FIELD_NOTES);
  g_assert_cmpuint (reads.fields, ==, READS (NOTES) | READS (REGION));
  g_assert_false (reads.detail);
  g_assert_false (reads.custom);

  /* Not a lead field: refused, nothing read. */
  g_test_expect_message ("cp-playbook-rules", G_LOG_LEVEL_CRITICAL, "*field < CP_LEAD_N_FIELDS*");
  cp_playbook_reads_add_field (&reads, CP_LEAD_N_FIELDS);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (reads.fields, ==, READS (NOTES) | READS (REGION));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/playbook-rules/next-open-stage", test_next_open_stage);
  g_test_add_func ("/playbook-rules/blocks-moving-on", test_blocks_moving_on);
  g_test_add_func ("/playbook-rules/reads", test_reads);
  g_test_add_func ("/playbook-rules/reads-field", test_reads_field);
  return g_test_run ();
}
