/* cp-cli-import.c — carepath-cli import and export: leads from and to CSV
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "cp-cli-commands.h"
#include "cp-lead-export.h"
#include "cp-lead-import.h"
#include "cp-lead-store.h"

static void
print_result_json (CpImportResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "imported");
  json_builder_add_int_value (builder, result->imported);
  json_builder_set_member_name (builder, "merged");
  json_builder_add_int_value (builder, result->merged);
  json_builder_set_member_name (builder, "unchanged");
  json_builder_add_int_value (builder, result->unchanged);
  json_builder_set_member_name (builder, "skipped");
  json_builder_add_int_value (builder, result->skipped);
  json_builder_set_member_name (builder, "flagged");
  json_builder_add_int_value (builder, result->flagged);
  json_builder_set_member_name (builder, "rejected");
  json_builder_add_int_value (builder, result->rejected);
  json_builder_set_member_name (builder, "cancelled");
  json_builder_add_boolean_value (builder, result->cancelled);
  if (result->warning != NULL)
    {
      json_builder_set_member_name (builder, "warning");
      json_builder_add_string_value (builder, result->warning);
    }
  json_builder_set_member_name (builder, "rejections");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->rejections->len; i++)
    {
      CpImportRejection *r = result->rejections->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, (gint64) r->line);
      json_builder_set_member_name (builder, "column");
      json_builder_add_int_value (builder, r->column);
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, r->reason);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  /* Every row taken to be a stored lead, and on what evidence. */
  json_builder_set_member_name (builder, "matches");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->matches->len; i++)
    {
      CpImportMatch *m = result->matches->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, (gint64) m->line);
      json_builder_set_member_name (builder, "lead");
      json_builder_add_string_value (builder, m->lead_id);
      json_builder_set_member_name (builder, "evidence");
      json_builder_add_string_value (builder, cp_import_evidence_to_string (m->evidence));
      json_builder_set_member_name (builder, "changed");
      json_builder_add_boolean_value (builder, m->changed);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

static void
print_result (CpImportResult *result,
              gboolean        dry_run)
{
  if (dry_run)
    printf ("%s\n", _("Dry run: nothing was written. The import would give:"));
  printf (_("Imported: %u (%u flagged as possible duplicates)\n"), result->imported,
          result->flagged);
  printf (_("Merged into existing leads: %u\n"), result->merged);
  printf (_("Matched a lead that already held them: %u\n"), result->unchanged);
  printf (_("Skipped as duplicates: %u\n"), result->skipped);
  for (guint i = 0; i < result->matches->len; i++)
    {
      CpImportMatch *m = result->matches->pdata[i];

      /* Translators: e.g. “line 2: the same email, lead 4f…2a (changed)” */
      printf (_("  line %" G_GUINT64_FORMAT ": %s, lead %s (%s)\n"), m->line,
              cp_import_evidence_describe (m->evidence), m->lead_id,
              m->changed ? _("changed") : _("nothing new"));
    }
  printf (_("Rejected: %u\n"), result->rejected);
  for (guint i = 0; i < result->rejections->len; i++)
    {
      CpImportRejection *r = result->rejections->pdata[i];

      if (r->column > 0)
        printf (_("  line %" G_GUINT64_FORMAT ", column %u: %s\n"), r->line, r->column, r->reason);
      else
        printf (_("  line %" G_GUINT64_FORMAT ": %s\n"), r->line, r->reason);
    }
  if (result->warning != NULL)
    printf (_("Warning: %s\n"), result->warning);
}

static int
cp_cli_import (CpCliContext *ctx,
               int           argc,
               char        **argv)
{
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(CpCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CpImportResult) result = { 0, };
  g_autofree char *mapping = NULL;
  g_autofree char *on_duplicate = NULL;
  gboolean dry_run = FALSE;
  gboolean json = FALSE;
  CpImportOptions options = { 0, };
  GOptionEntry entries[] = {
    { "mapping", 0, 0, G_OPTION_ARG_STRING, &mapping,
      N_("Which header names to recognise: auto (default), carepath or hubspot"), "KIND" },
    { "on-duplicate", 0, 0, G_OPTION_ARG_STRING, &on_duplicate,
      N_("A row that is a stored lead (same id, CRM record, email, or phone and name): merge "
         "(fill its empty fields, keep its values; default), update (the file's values win), "
         "skip, or keep (a new lead, flagged)"), "POLICY" },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Count what would happen, write nothing"),
      NULL },
    { "commit-batches", 0, 0, G_OPTION_ARG_NONE, &options.commit_batches,
      N_("Commit every 2,000 rows, so that an interrupted import keeps what it committed "
         "(slower into a database of fewer leads than the file has rows)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the summary as JSON"), NULL },
    { NULL }
  };
  int status = 0;

  if (!cp_cli_parse_options ("import", "FILE", entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cp_cli_usage_error ("import", _("give exactly one CSV file"));

  if (mapping == NULL || g_str_equal (mapping, "auto"))
    options.headers = CP_IMPORT_HEADERS_AUTO;
  else if (g_str_equal (mapping, "carepath"))
    options.headers = CP_IMPORT_HEADERS_CARE_PATH;
  else if (g_str_equal (mapping, "hubspot"))
    options.headers = CP_IMPORT_HEADERS_HUBSPOT;
  else
    return cp_cli_usage_error ("import", _("--mapping is auto, carepath or hubspot, not “%s”"),
                               mapping);
  if (on_duplicate == NULL || g_str_equal (on_duplicate, "merge"))
    options.duplicates = CP_IMPORT_DUPLICATE_MERGE;
  else if (g_str_equal (on_duplicate, "skip"))
    options.duplicates = CP_IMPORT_DUPLICATE_SKIP;
  else if (g_str_equal (on_duplicate, "keep"))
    options.duplicates = CP_IMPORT_DUPLICATE_KEEP;
  else if (g_str_equal (on_duplicate, "update"))
    options.duplicates = CP_IMPORT_DUPLICATE_UPDATE;
  else
    return cp_cli_usage_error ("import",
                               _("--on-duplicate is merge, update, skip or keep, not “%s”"),
                               on_duplicate);
  options.dry_run = dry_run;
  options.actor = "cli-import";

  reader = cp_csv_reader_new_for_path (argv[1], &error);
  if (reader == NULL)
    return cp_cli_failure (error);
  database = cp_cli_open_database (ctx, FALSE, &error);
  if (database == NULL)
    return cp_cli_failure (error);
  store = cp_lead_store_new (database);
  cp_database_set_bulk_writes (database, TRUE);
  if (!cp_lead_import_run (store, reader, &options, NULL, NULL, NULL, &result, &error))
    {
      cp_database_set_bulk_writes (database, FALSE);
      return cp_cli_failure (error);
    }
  cp_database_set_bulk_writes (database, FALSE);

  if (json)
    print_result_json (&result);
  else
    print_result (&result, dry_run);
  return CP_CLI_EXIT_OK;
}

static int
cp_cli_export (CpCliContext *ctx,
               int           argc,
               char        **argv)
{
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GError) error = NULL;
  guint count = 0;
  g_autofree char *stage = NULL;
  g_autofree char *search = NULL;
  g_autoptr(GFile) file = NULL;
  GOptionEntry entries[] = {
    { "stage", 0, 0, G_OPTION_ARG_STRING, &stage, N_("Only leads in this stage"), "STAGE" },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("Only leads these words find"), "WORDS" },
    { NULL }
  };
  int status = 0;

  if (!cp_cli_parse_options ("export", "FILE", entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cp_cli_usage_error ("export", _("give exactly one file to write"));
  /* A search of punctuation alone finds nothing: refuse it rather than
   * write an empty file the user would take for an answer. */
  if (search != NULL && !cp_lead_query_search_has_words (search))
    return cp_cli_usage_error ("export", _("--search needs a word or number to look for, "
                                           "not only punctuation or spaces"));

  database = cp_cli_open_database (ctx, TRUE, &error);
  if (database == NULL)
    return cp_cli_failure (error);
  store = cp_lead_store_new (database);
  if (!cp_cli_check_stage_filter (store, "export", stage, &status))
    return status;
  query->stage = g_steal_pointer (&stage);
  query->search = g_steal_pointer (&search);

  /* Streamed a batch at a time into a file beside FILE, renamed over it
   * at the end: a failure leaves FILE as it was. */
  file = g_file_new_for_commandline_arg (argv[1]);
  if (!cp_lead_export_to_file (store, query, NULL, file, NULL, NULL, NULL, &count, &error))
    return cp_cli_failure (error);
  printf (ngettext ("Exported %u lead to %s.\n", "Exported %u leads to %s.\n", count),
          count, argv[1]);
  return CP_CLI_EXIT_OK;
}

const CpCliCommand cp_cli_import_commands[] = {
  { "import",
    N_("FILE [--mapping auto|carepath|hubspot] [--on-duplicate merge|update|skip|keep] "
       "[--dry-run] [--json]"),
    N_("Import leads from a CSV file, with a report of every refused row"), cp_cli_import },
  { "export", N_("FILE [--stage S] [--search WORDS]"),
    N_("Export leads to CSV with every field"), cp_cli_export },
  { NULL, NULL, NULL, NULL }
};
