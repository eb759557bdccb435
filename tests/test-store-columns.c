/* test-store-columns.c — the local store: the lead columns: field order and a round trip of every
 * field
 *
 * Every case works in its own temporary folder. Times come from a fixed
 * clock (cp_lead_store_set_clock()) so audit rows and ranges are exact.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include <sqlite3.h>

#include "cp-lead-columns.h"
#include "cp-lead-store.h"
#include "cp-test-util.h"

static void
test_columns_follow_field_order (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  sqlite3 *handle = cp_test_store_handle (store);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (CP_LEAD_N_COLUMNS, ==, CP_LEAD_N_FIELDS);

  g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT " CP_LEAD_SELECT_COLUMNS " FROM leads", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_column_count (stmt), ==, CP_LEAD_N_FIELDS + 1);
  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    g_assert_cmpstr (sqlite3_column_name (stmt, i), ==, cp_lead_field_info (i)->name);
  g_assert_cmpstr (sqlite3_column_name (stmt, CP_LEAD_STAGE_ENTERED_COLUMN), ==,
                   "stage_entered_at");
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (handle, "INSERT INTO leads (" CP_LEAD_COLUMNS ") VALUES ("
                                       CP_LEAD_PLACEHOLDERS ")", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_bind_parameter_count (stmt), ==, CP_LEAD_N_FIELDS);
  sqlite3_finalize (stmt);
}

/* Every field set to its own value survives a write and both read paths. */
static void
test_columns_round_trip (void)
{
  g_autoptr(CpTestDir) tmp = cp_test_dir_new ();
  g_autoptr(CpLeadStore) store = cp_test_open_store (tmp->path);
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autoptr(CpLead) stored = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autofree char *id = NULL;

  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    {
      const CpFieldInfo *info = cp_lead_field_info (i);

      /* The playbook computes those; the stored lead shows what it made. */
      if (cp_lead_field_is_computed (i))
        continue;
      switch (info->type)
        {
        case CP_FIELD_TYPE_TEXT:
          {
            g_autofree char *value = g_strdup_printf ("v%u %s", i, info->name);
            cp_lead_set_text (lead, i, value);
          }
          break;
        case CP_FIELD_TYPE_CHOICE:
          /* The last choice, so no field holds its default by chance. */
          cp_lead_set_text (lead, i, info->choices[g_strv_length ((char **) info->choices) - 1]);
          break;
        case CP_FIELD_TYPE_BOOL:
          cp_lead_set_int (lead, i, 1);
          break;
        case CP_FIELD_TYPE_INT:
          cp_lead_set_int (lead, i, 100 + i);
          break;
        case CP_FIELD_TYPE_DATETIME:
          cp_lead_set_int (lead, i, CP_TEST_T0 - 1000 * (gint64) i);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  cp_lead_set_text (lead, CP_LEAD_FIELD_ID, NULL);
  cp_lead_set_text (lead, CP_LEAD_FIELD_EMAIL, "round.trip@example.org");
  cp_lead_set_text (lead, CP_LEAD_FIELD_PHONE, "+12025550143");
  cp_lead_set_text (lead, CP_LEAD_FIELD_STAGE, "qualified");
  cp_lead_set_text (lead, CP_LEAD_FIELD_NOTES, "Two\nlines");
  cp_lead_set_text (lead, CP_LEAD_FIELD_CLOSURE_REASON, "other");   /* the playbook's, lost */
  cp_lead_set_custom (lead, "favourite_clinic", "Northside");

  id = cp_test_add_lead (store, lead);
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_CREATED_AT), ==,
                   CP_TEST_T0 - 1000 * (gint64) CP_LEAD_FIELD_CREATED_AT);
  g_assert_cmpint (cp_lead_get_int (lead, CP_LEAD_FIELD_UPDATED_AT), ==, CP_TEST_T0);

  stored = cp_test_get_lead (store, id);
  cp_test_assert_leads_equal (lead, stored, NULL);
  g_assert_true (cp_test_custom_fields_equal (lead, stored));

  listed = cp_test_query_leads (store, NULL, 0, 0);
  g_assert_cmpuint (listed->len, ==, 1);
  cp_test_assert_leads_equal (lead, listed->pdata[0], NULL);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/columns/follow-field-order", test_columns_follow_field_order);
  g_test_add_func ("/store/columns/round-trip", test_columns_round_trip);

  return g_test_run ();
}
