/* test-cli-input.c — carepath-cli given what a hurried user types: blanks,
 * padded values, names of stages it does not have, a subcommand short of
 * its arguments
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cp-cli-test-util.h"
#include "cp-test-util.h"

/* A lead made with `carepath-cli add`; returns its id. */
static char *
add_lead (CpTestDir  *f,
          const char *a,
          const char *b)
{
  g_auto(CpCliResult) r = { 0 };

  cp_test_run_cli (&r, "--db", f->path, "add", a, b, NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  return g_strchomp (g_steal_pointer (&r.out));
}

/* `move ID ""` is a stage the playbook does not have, said in words; it
 * used to reach the transition check without a stage (a critical
 * warning, then “unknown error”). */
static void
test_move_to_empty_stage (CpTestDir     *f,
                          gconstpointer  data)
{
  g_autofree char *id = add_lead (f, "first_name=Ada", "email=ada@example.org");
  g_auto(CpCliResult) r = { 0 };
  g_auto(CpCliResult) shown = { 0 };

  cp_test_run_cli (&r, "--db", f->path, "move", id, "", "--reason", "typo", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.err, ==, "carepath-cli: There is no stage “” in the playbook.\n");
  cp_test_run_cli (&shown, "--db", f->path, "show", id, NULL);
  g_assert_nonnull (strstr (shown.out, "\nstage                    new\n"));
}

/* Values are taken as the lead window takes them: spaces around them
 * dropped, a blank value clearing the field. The CLI kept “  Ada  ”, took
 * a name of spaces for a name, and refused a padded email the window
 * accepts. */
static void
test_values_are_trimmed (CpTestDir     *f,
                         gconstpointer  data)
{
  g_autofree char *id = add_lead (f, "first_name=  Zoë  ", "email= zoe@exemple.fr ");
  g_auto(CpCliResult) updated = { 0 };
  g_auto(CpCliResult) shown = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *lead;

  cp_test_run_cli (&updated, "--db", f->path, "update", id, "first_name=   ",
                   "last_name=\tÑúñez ", "custom.pharmacy=  Apotek 1 ", NULL);
  g_assert_cmpstr (updated.err, ==, "");
  g_assert_cmpint (updated.status, ==, 0);

  cp_test_run_cli (&shown, "--db", f->path, "show", id, "--json", NULL);
  g_assert_cmpint (shown.status, ==, 0);
  node = cp_test_parse_json (shown.out);
  lead = json_node_get_object (node);
  g_assert_true (json_object_get_null_member (lead, "first_name"));
  g_assert_cmpstr (json_object_get_string_member (lead, "last_name"), ==, "Ñúñez");
  g_assert_cmpstr (json_object_get_string_member (lead, "email"), ==, "zoe@exemple.fr");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (lead, "custom_fields"),
                     "pharmacy"), ==, "Apotek 1");
}

/* `list --stage Qualified` (the title the board shows) or a typo answered
 * with no leads and success, and `export` wrote an empty file: a stage the
 * playbook does not have, that no lead is in, is a usage error naming the
 * stages there are. */
static void
test_unknown_stage_filter (CpTestDir     *f,
                           gconstpointer  data)
{
  g_autofree char *id = add_lead (f, "first_name=Ada", "email=ada@example.org");
  g_autofree char *csv = g_build_filename (f->dir, "out.csv", NULL);
  g_auto(CpCliResult) listed = { 0 };
  g_auto(CpCliResult) exported = { 0 };
  g_auto(CpCliResult) known = { 0 };

  cp_test_run_cli (&listed, "--db", f->path, "list", "--stage", "Qualified", NULL);
  g_assert_cmpint (listed.status, ==, 2);
  g_assert_cmpstr (listed.out, ==, "");
  g_assert_true (g_str_has_prefix (listed.err, "carepath-cli: list: there is no stage "
                                               "“Qualified” in the playbook; its stages are "
                                               "new, engaged, qualified,"));
  cp_test_run_cli (&exported, "--db", f->path, "export", csv, "--stage", "nwe", NULL);
  g_assert_cmpint (exported.status, ==, 2);
  g_assert_nonnull (strstr (exported.err, "there is no stage “nwe” in the playbook"));
  g_assert_false (g_file_test (csv, G_FILE_TEST_EXISTS));

  /* A stage the playbook has but no lead is in is an empty answer. */
  cp_test_run_cli (&known, "--db", f->path, "list", "--stage", "qualified", "--json", NULL);
  g_assert_cmpint (known.status, ==, 0);
  g_assert_cmpstr (known.out, ==, "[]\n");
}

/* `playbook diff` without its two versions answered “unknown playbook
 * command “diff””, of a command the help lists: a known subcommand with
 * the wrong arguments is told the arguments it takes. */
static void
test_playbook_subcommand_arguments (CpTestDir     *f,
                                    gconstpointer  data)
{
  g_auto(CpCliResult) diff = { 0 };
  g_auto(CpCliResult) show = { 0 };
  g_auto(CpCliResult) unknown = { 0 };

  cp_test_run_cli (&diff, "--db", f->path, "playbook", "diff", NULL);
  g_assert_cmpint (diff.status, ==, 2);
  g_assert_cmpstr (diff.err, ==, "carepath-cli: playbook: diff takes: playbook diff V1 V2 "
                                 "(try “carepath-cli help playbook”)\n");
  cp_test_run_cli (&show, "--db", f->path, "playbook", "show", "1", "2", NULL);
  g_assert_cmpint (show.status, ==, 2);
  g_assert_nonnull (strstr (show.err, "show takes: playbook show [V|draft]"));
  cp_test_run_cli (&unknown, "--db", f->path, "playbook", "difff", NULL);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "unknown playbook command “difff”"));
}

/* The column after a name (or a task's owner) starts where it does after
 * an ASCII one: names were padded by characters and owners by bytes, so
 * “美玲 王” (two columns a character) and “José” pushed or pulled the
 * columns after them. */
static void
test_columns_align_by_display_width (CpTestDir     *f,
                                     gconstpointer  data)
{
  g_autofree char *wide = add_lead (f, "first_name=美玲", "last_name=王");
  g_autofree char *ascii = add_lead (f, "first_name=Mei", "last_name=Wang");
  g_auto(CpCliResult) listed = { 0 };
  g_auto(CpCliResult) task1 = { 0 };
  g_auto(CpCliResult) task2 = { 0 };
  g_auto(CpCliResult) tasks = { 0 };
  g_autofree char *padded = NULL;

  cp_test_run_cli (&listed, "--db", f->path, "list", NULL);
  g_assert_cmpint (listed.status, ==, 0);
  /* 28 columns for the name: 美玲 王 takes 7 of them. */
  padded = g_strdup_printf ("%s  美玲 王%*s  new ", wide, 21, "");
  g_assert_nonnull (strstr (listed.out, padded));
  g_clear_pointer (&padded, g_free);
  padded = g_strdup_printf ("%s  Mei Wang%*s  new ", ascii, 20, "");
  g_assert_nonnull (strstr (listed.out, padded));

  cp_test_run_cli (&task1, "--db", f->path, "task", "add", ascii, "Call", "--due", "2030-01-01",
                   "--owner", "José", NULL);
  g_assert_cmpint (task1.status, ==, 0);
  cp_test_run_cli (&task2, "--db", f->path, "task", "add", ascii, "Write", "--due", "2030-01-02",
                   "--owner", "Jose", NULL);
  g_assert_cmpint (task2.status, ==, 0);
  cp_test_run_cli (&tasks, "--db", f->path, "task", "list", "--lead", ascii, "--due", "all", NULL);
  g_assert_cmpint (tasks.status, ==, 0);
  g_assert_nonnull (strstr (tasks.out, "  José                  Mei Wang — Call"));
  g_assert_nonnull (strstr (tasks.out, "  Jose                  Mei Wang — Write"));
}

/* Exporting into a folder that does not exist says so, naming the file
 * asked for — not the temporary file written beside it. */
static void
test_export_to_missing_folder (CpTestDir     *f,
                               gconstpointer  data)
{
  g_autofree char *id = add_lead (f, "first_name=Ada", "email=ada@example.org");
  g_autofree char *target = g_build_filename (f->dir, "no-such-folder", "leads.csv", NULL);
  g_autofree char *expected = g_strdup_printf ("Cannot write “%s”: there is no folder", target);
  g_auto(CpCliResult) r = { 0 };

  cp_test_run_cli (&r, "--db", f->path, "export", target, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, expected));
  g_assert_null (strstr (r.err, ".part"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    {
      g_printerr ("usage: test-cli-input PATH-TO-carepath-cli\n");
      return 1;
    }
  cp_test_set_cli_path (argv[1]);

  g_test_add ("/cli-input/move-to-empty-stage", CpTestDir, NULL, cp_test_dir_set_up,
              test_move_to_empty_stage, cp_test_dir_tear_down);

  g_test_add ("/cli-input/values-are-trimmed", CpTestDir, NULL, cp_test_dir_set_up,
              test_values_are_trimmed, cp_test_dir_tear_down);

  g_test_add ("/cli-input/unknown-stage-filter", CpTestDir, NULL, cp_test_dir_set_up,
              test_unknown_stage_filter, cp_test_dir_tear_down);

  g_test_add ("/cli-input/playbook-subcommand-arguments", CpTestDir, NULL, cp_test_dir_set_up,
              test_playbook_subcommand_arguments, cp_test_dir_tear_down);

  g_test_add ("/cli-input/columns-align-by-display-width", CpTestDir, NULL, cp_test_dir_set_up,
              test_columns_align_by_display_width, cp_test_dir_tear_down);

  g_test_add ("/cli-input/export-to-missing-folder", CpTestDir, NULL, cp_test_dir_set_up,
              test_export_to_missing_folder, cp_test_dir_tear_down);

  return g_test_run ();
}
