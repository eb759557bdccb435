/* test-condition-form.c — the condition builder's operators and the conditions it builds
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cp-condition-form.h"
#include "cp-core-error.h"

static gboolean
offers (CpLeadField   field,
        CpConditionOp op)
{
  guint n = 0;
  const CpConditionOp *ops = cp_condition_form_ops (field, &n);

  for (guint i = 0; i < n; i++)
    if (ops[i] == op)
      return TRUE;
  return FALSE;
}

static void
test_ops_per_type (void)
{
  /* Text: contains; choices: not; numbers: comparisons; dates: days. */
  g_assert_true (offers (CP_LEAD_FIELD_ORGANIZATION, CP_OP_CONTAINS));
  g_assert_false (offers (CP_LEAD_FIELD_SOURCE_CHANNEL, CP_OP_CONTAINS));
  g_assert_true (offers (CP_LEAD_FIELD_SOURCE_CHANNEL, CP_OP_EQ));
  g_assert_false (offers (CP_LEAD_FIELD_SOURCE_CHANNEL, CP_OP_GT));
  g_assert_true (offers (CP_LEAD_FIELD_SCORE, CP_OP_GTE));
  g_assert_false (offers (CP_LEAD_FIELD_SCORE, CP_OP_CONTAINS));
  g_assert_true (offers (CP_LEAD_FIELD_CREATED_AT, CP_OP_WITHIN_DAYS));
  g_assert_false (offers (CP_LEAD_FIELD_CREATED_AT, CP_OP_EQ));
  g_assert_cmpstr (cp_condition_form_op_label (CP_OP_GTE), ==, "is at least");
  g_assert_false (cp_condition_form_op_takes_value (CP_OP_EXISTS));
  g_assert_true (cp_condition_form_op_takes_value (CP_OP_EQ));
}

static void
test_build (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpCondition) choice = NULL;
  g_autoptr(CpCondition) number = NULL;
  g_autoptr(CpCondition) yes = NULL;
  g_autoptr(CpCondition) set = NULL;
  g_autoptr(CpCondition) activity = NULL;
  g_autoptr(CpCondition) tree = NULL;
  const char * const both[] = { "referral", "event", NULL };

  choice =
      cp_condition_form_build (CP_LEAD_FIELD_SOURCE_CHANNEL, CP_OP_EQ, " referral ", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (choice->field, ==, CP_LEAD_FIELD_SOURCE_CHANNEL);
  g_assert_cmpstr (choice->values[0], ==, "referral");
  g_assert_true (cp_condition_form_can_edit (choice));

  number = cp_condition_form_build (CP_LEAD_FIELD_SCORE, CP_OP_GTE, NULL, 40, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (number->number, ==, 40);
  yes = cp_condition_form_build (CP_LEAD_FIELD_DO_NOT_CONTACT, CP_OP_EQ, "true", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (yes->number, ==, 1);
  set = cp_condition_form_build (CP_LEAD_FIELD_PHONE, CP_OP_EXISTS, NULL, 0, &error);
  g_assert_no_error (error);
  activity = cp_condition_form_build_activity (CP_ACTIVITY_KIND_MEETING_BOOKED, 1, 60, &error);
  g_assert_no_error (error);
  g_assert_true (cp_condition_form_can_edit (activity));

  /* Refused, with what is missing or wrong. */
  g_assert_null (
      cp_condition_form_build (CP_LEAD_FIELD_ORGANIZATION, CP_OP_CONTAINS, "  ", 0, &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_REQUIRED);
  g_clear_error (&error);
  g_assert_null (cp_condition_form_build (CP_LEAD_FIELD_SOURCE_CHANNEL, CP_OP_EQ, "carrier pigeon",
                                          0, &error));
  g_assert_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (cp_condition_form_build (CP_LEAD_FIELD_SCORE, CP_OP_GTE, NULL, -3, &error));
  g_clear_error (&error);
  g_assert_null (cp_condition_form_build_activity (CP_ACTIVITY_KIND_CALL, 0, 30, &error));
  g_clear_error (&error);

  /* What a form cannot show: lists and several parts. */
  tree = cp_condition_new_field ("source_channel", CP_OP_IN, both, &error);
  g_assert_false (cp_condition_form_can_edit (tree));
  {
    CpCondition *children[] = { cp_condition_copy (choice), cp_condition_copy (number) };
    g_autoptr(CpCondition) all = cp_condition_new_group (CP_CONDITION_ALL, children, 2);

    g_assert_false (cp_condition_form_can_edit (all));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/condition-form/ops-per-type", test_ops_per_type);
  g_test_add_func ("/condition-form/build", test_build);
  return g_test_run ();
}
