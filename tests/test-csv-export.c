/* test-csv-export.c — CSV rows and the lead export
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sys/stat.h>

#include <glib/gstdio.h>

#include "cp-csv-writer.h"
#include "cp-lead-export.h"
#include "cp-test-util.h"

static void
test_csv_quoting (void)
{
  struct { const char *cells[3]; const char *line; } cases[] = {
    { { "plain", "two words", NULL }, "plain,two words,\r\n" },
    { { "a,b", "say \"hi\"", "line\nbreak" }, "\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\"\r\n" },
    /* Formulas are neutralised; numbers and E.164 phones are not. */
    { { "=HYPERLINK(\"x\")", "@SUM(A1)", "+1 evil" },
      "\"'=HYPERLINK(\"\"x\"\")\",\"'@SUM(A1)\",\"'+1 evil\"\r\n" },
    { { "-5", "+15555550123", "-" }, "-5,+15555550123,\"'-\"\r\n" },
    { { "Zoë 👩🏽‍⚕️", "", "נור" }, "Zoë 👩🏽‍⚕️,,נור\r\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      cp_csv_append_row (out, cases[i].cells, 3);
      g_assert_cmpstr (out->str, ==, cases[i].line);
    }
}

static void
test_export_columns (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autoptr(CpDatabase) database = cp_test_open_database (dir);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  g_autoptr(CpLead) a = cp_lead_new ();
  g_autoptr(CpLead) b = cp_lead_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  const char *ids[3];

  cp_lead_set_text (a, CP_LEAD_FIELD_FIRST_NAME, "Ada, Countess");
  cp_lead_set_custom (a, "insurer", "Acme");
  cp_lead_set_text (b, CP_LEAD_FIELD_FIRST_NAME, "Ben");
  cp_lead_set_custom (b, "badge", "VIP");
  g_assert_true (cp_lead_store_create (store, a, "t", &error));
  g_assert_true (cp_lead_store_create (store, b, "t", &error));
  ids[0] = cp_lead_get_id (a);
  ids[1] = cp_lead_get_id (b);
  ids[2] = NULL;

  csv = cp_test_export_csv (store, ids, &error);
  g_assert_no_error (error);
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);   /* header, two rows, "" */
  g_assert_true (g_str_has_prefix (lines[0], "id,first_name,last_name,email,phone,"));
  g_assert_true (g_str_has_suffix (lines[0], ",created_at,updated_at,custom.badge,custom.insurer"));
  g_assert_true (g_str_has_prefix (lines[1], ids[0]));
  g_assert_nonnull (strstr (lines[1], ",\"Ada, Countess\","));
  g_assert_true (g_str_has_suffix (lines[1], ",,Acme"));
  g_assert_true (g_str_has_suffix (lines[2], ",VIP,"));
  g_assert_cmpstr (lines[3], ==, "");

  {
    const char *missing[] = { "no-such-lead", NULL };
    g_assert_null (cp_test_export_csv (store, missing, &error));
    g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  }

  g_clear_object (&store);
  g_clear_object (&database);
  cp_test_remove_tree (dir);
}

/* The export file holds personal data: 0600, whatever the umask, and
 * also when it replaces a file anyone could read. A failed export leaves
 * the file there as it was. */
static void
test_export_file_private (void)
{
  g_autofree char *dir = cp_test_make_tmp_dir ();
  g_autofree char *fresh = g_build_filename (dir, "fresh.csv", NULL);
  g_autofree char *existing = g_build_filename (dir, "existing.csv", NULL);
  g_autoptr(GFile) fresh_file = g_file_new_for_path (fresh);
  g_autoptr(GFile) existing_file = g_file_new_for_path (existing);
  g_autoptr(CpDatabase) database = cp_test_open_database (dir);
  g_autoptr(CpLeadStore) store = cp_lead_store_new (database);
  g_autofree char *id = cp_test_create_lead (store, CP_LEAD_FIELD_FIRST_NAME, "Zoë",
                                             CP_LEAD_N_FIELDS);
  const char *ids[] = { id, NULL };
  const char *missing[] = { "no-such-lead", NULL };
  const mode_t umasks[] = { 022, 0, 0277 };
  g_autofree char *csv = cp_test_export_csv (store, ids, NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (umasks); i++)
    {
      mode_t saved = umask (umasks[i]);
      g_autofree char *written = NULL;

      g_test_message ("umask %03o", (guint) umasks[i]);
      g_assert_true (g_file_set_contents (existing, "old", -1, NULL));
      g_assert_cmpint (g_chmod (existing, 0666), ==, 0);
      g_remove (fresh);

      g_assert_true (
          cp_lead_export_to_file (store, NULL, ids, fresh_file, NULL, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (cp_test_file_mode (fresh), ==, 0600);
      g_assert_true (
          cp_lead_export_to_file (store, NULL, ids, existing_file, NULL, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (cp_test_file_mode (existing), ==, 0600);
      g_assert_true (g_file_get_contents (existing, &written, NULL, NULL));
      g_assert_cmpstr (written, ==, csv);
      umask (saved);
    }

  g_assert_true (g_file_set_contents (existing, "old", -1, NULL));
  g_assert_false (
      cp_lead_export_to_file (store, NULL, missing, existing_file, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND);
  {
    g_autofree char *kept = NULL;

    g_assert_true (g_file_get_contents (existing, &kept, NULL, NULL));
    g_assert_cmpstr (kept, ==, "old");
  }

  g_clear_object (&store);
  g_clear_object (&database);
  cp_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/quoting", test_csv_quoting);
  g_test_add_func ("/csv/export-columns", test_export_columns);
  g_test_add_func ("/csv/export-file-private", test_export_file_private);

  return g_test_run ();
}
