/* cp-cli-activities.c — carepath-cli import-activities and activities: lists of signals in, a
 * lead's timeline out
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "cp-activity-import.h"
#include "cp-cli-commands.h"
#include "cp-datetime.h"

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
print_result_json (CpActivityImportResult *result,
                   CpActivityKind          kind,
                   gboolean                dry_run)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  cp_cli_json_add_string (builder, "kind", cp_activity_kind_to_string (kind));
  json_builder_set_member_name (builder, "dry_run");
  json_builder_add_boolean_value (builder, dry_run);
  add_int (builder, "rows", result->rows);
  add_int (builder, "recorded", result->recorded);
  add_int (builder, "already_recorded", result->already);
  add_int (builder, "matched_by_email", result->by_email);
  add_int (builder, "matched_by_phone_and_name", result->by_phone_name);
  add_int (builder, "leads_created", result->leads_created);
  add_int (builder, "unmatched", result->unmatched);
  add_int (builder, "ambiguous", result->ambiguous);
  add_int (builder, "rejected", result->rejected);
  add_int (builder, "skipped", result->skipped);
  add_int (builder, "stage_moves", result->moves->len);
  json_builder_set_member_name (builder, "cancelled");
  json_builder_add_boolean_value (builder, result->cancelled);
  cp_cli_json_add_string (builder, "run", result->run_id);
  cp_cli_json_add_string (builder, "warning", result->warning);
  json_builder_set_member_name (builder, "moves");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->moves->len; i++)
    {
      CpActivityImportMove *move = result->moves->pdata[i];

      json_builder_begin_object (builder);
      add_int (builder, "line", (gint64) move->line);
      cp_cli_json_add_string (builder, "lead", move->lead_id);
      cp_cli_json_add_string (builder, "rule", move->rule_id);
      cp_cli_json_add_string (builder, "from", move->from_stage);
      cp_cli_json_add_string (builder, "to", move->to_stage);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  /* Every row that recorded nothing, kept with why. */
  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->problems->len; i++)
    {
      CpActivityRowReport *r = result->problems->pdata[i];

      json_builder_begin_object (builder);
      add_int (builder, "line", (gint64) r->line);
      cp_cli_json_add_string (builder, "status", cp_activity_row_status_to_string (r->status));
      cp_cli_json_add_string (builder, "reason", r->reason);
      if (r->candidates != NULL)
        {
          json_builder_set_member_name (builder, "candidates");
          json_builder_begin_array (builder);
          for (guint c = 0; r->candidates[c] != NULL; c++)
            json_builder_add_string_value (builder, r->candidates[c]);
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  cp_cli_print_json (builder);
}

static void
print_result (CpActivityImportResult *result,
              gboolean                dry_run)
{
  if (dry_run)
    printf ("%s\n", _("Dry run: nothing was written. The import would give:"));
  printf (_("Rows read: %u\n"), result->rows);
  printf (_("Recorded: %u (matched by email: %u, by phone and name: %u)\n"), result->recorded,
          result->by_email, result->by_phone_name);
  printf (_("Already recorded: %u\n"), result->already);
  printf (_("Leads created: %u\n"), result->leads_created);
  printf (_("Unmatched (kept in the report): %u\n"), result->unmatched);
  printf (_("Ambiguous (kept in the report): %u\n"), result->ambiguous);
  printf (_("Rejected: %u\n"), result->rejected);
  printf (_("Skipped (did not happen): %u\n"), result->skipped);
  printf (_("Stage moves made by automation: %u\n"), result->moves->len);
  for (guint i = 0; i < result->moves->len; i++)
    {
      CpActivityImportMove *m = result->moves->pdata[i];

      /* Translators: line, lead, from stage, to stage, the automation rule */
      printf (_("  line %" G_GUINT64_FORMAT ": %s %s → %s (%s)\n"), m->line,
              m->lead_name != NULL ? m->lead_name : m->lead_id, m->from_stage ?: "∅", m->to_stage,
              m->rule_id);
    }
  for (guint i = 0; i < result->problems->len; i++)
    {
      CpActivityRowReport *r = result->problems->pdata[i];

      printf (_("  line %" G_GUINT64_FORMAT " [%s]: %s\n"), r->line,
              cp_activity_row_status_to_string (r->status), r->reason);
    }
  if (result->cancelled)
    printf ("%s\n", _("Cancelled: the batch in progress was not kept."));
  if (result->warning != NULL)
    printf (_("Warning: %s\n"), result->warning);
}

static int
kind_usage_error (const char *command,
                  const char *kind)
{
  g_autoptr(GString) kinds = g_string_new (NULL);

  for (CpActivityKind k = 0; k < CP_ACTIVITY_N_KINDS; k++)
    g_string_append_printf (kinds, "%s%s", k > 0 ? ", " : "", cp_activity_kind_to_string (k));
  if (kind == NULL)
    return cp_cli_usage_error (command, _("--kind is required: one of %s"), kinds->str);
  return cp_cli_usage_error (command, _("unknown activity kind “%s”; use one of: %s"), kind,
                             kinds->str);
}

static int
cp_cli_import_activities (CpCliContext *ctx,
                          int           argc,
                          char        **argv)
{
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(CpCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_auto(CpActivityImportResult) result = { 0, };
  g_autofree char *kind_text = NULL;
  g_autofree char *mapping = NULL;
  g_autofree char *timezone = NULL;
  g_autofree char *actor = cp_cli_actor ();
  g_autofree char *file_name = NULL;
  gboolean create_leads = FALSE, dry_run = FALSE, json = FALSE;
  CpActivityImportOptions options = { 0, };
  CpActivityKind kind;
  GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_text,
      N_("What each row is: webinar_attended, webinar_registered, event_check_in, form_fill, …"),
      "KIND" },
    { "mapping", 0, 0, G_OPTION_ARG_FILENAME, &mapping,
      N_("auto (default: read the column names), or a key file whose [columns] group names the "
         "column of email, first_name, last_name, full_name, phone, occurred_at, detail, depth, "
         "attended"), "auto|FILE" },
    { "create-leads", 0, 0, G_OPTION_ARG_NONE, &create_leads,
      N_("Create a lead for a row no lead is (it needs an email or a phone)"), NULL },
    { "timezone", 0, 0, G_OPTION_ARG_STRING, &timezone,
      N_("The zone of times that name none (default: this computer’s)"), "ZONE" },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Count what would happen, write nothing"),
      NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the report as JSON"), NULL },
    { NULL }
  };
  int status = 0;

  if (!cp_cli_parse_options ("import-activities", "FILE", entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cp_cli_usage_error ("import-activities", _("give exactly one CSV file"));
  if (kind_text == NULL || !cp_activity_kind_from_string (kind_text, &kind))
    return kind_usage_error ("import-activities", kind_text);
  if (timezone != NULL)
    {
      zone = g_time_zone_new_identifier (timezone);
      if (zone == NULL)
        return cp_cli_usage_error ("import-activities", _("unknown time zone “%s”"), timezone);
    }

  reader = cp_csv_reader_new_for_path (argv[1], &error);
  if (reader == NULL)
    return cp_cli_usage_error ("import-activities", "%s", error->message);
  file_name = g_path_get_basename (argv[1]);
  options.kind = kind;
  options.mapping_path = mapping != NULL && !g_str_equal (mapping, "auto") ? mapping : NULL;
  options.create_leads = create_leads;
  options.dry_run = dry_run;
  options.actor = actor;
  options.file_name = file_name;
  options.zone = zone;

  store = cp_cli_open_store (ctx, FALSE, &error);
  if (store == NULL)
    return cp_cli_failure (error);
  cp_database_set_bulk_writes (cp_lead_store_get_database (store), TRUE);
  if (!cp_activity_import_run (store, reader, &options, NULL, NULL, NULL, &result, &error))
    {
      cp_database_set_bulk_writes (cp_lead_store_get_database (store), FALSE);
      /* A file whose columns say nothing usable is the caller's to fix. */
      if (error->domain == CP_STORE_ERROR && error->code == CP_STORE_ERROR_INVALID)
        return cp_cli_usage_error ("import-activities", "%s", error->message);
      if (error->domain == CP_CSV_ERROR || error->domain == G_KEY_FILE_ERROR ||
          error->domain == G_FILE_ERROR)
        return cp_cli_usage_error ("import-activities", "%s", error->message);
      return cp_cli_failure (error);
    }
  cp_database_set_bulk_writes (cp_lead_store_get_database (store), FALSE);

  if (json)
    print_result_json (&result, kind, dry_run);
  else
    print_result (&result, dry_run);
  return CP_CLI_EXIT_OK;
}

static int
cp_cli_activities (CpCliContext *ctx,
                   int           argc,
                   char        **argv)
{
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(GPtrArray) activities = NULL;
  g_autoptr(CpLead) lead = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  int status = 0;

  if (!cp_cli_parse_options ("activities", "ID", entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cp_cli_usage_error ("activities", _("give exactly one lead id"));

  store = cp_cli_open_store (ctx, TRUE, &error);
  if (store == NULL || (lead = cp_lead_store_get (store, argv[1], &error)) == NULL ||
      (activities = cp_lead_store_list_activities (store, argv[1], &error)) == NULL)
    return cp_cli_failure (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < activities->len; i++)
        {
          CpActivity *a = activities->pdata[i];
          g_autofree char *when = cp_datetime_format_iso8601 (cp_activity_get_occurred_at (a));

          json_builder_begin_object (builder);
          cp_cli_json_add_string (builder, "id", cp_activity_get_id (a));
          cp_cli_json_add_string (builder, "kind",
                                  cp_activity_kind_to_string (cp_activity_get_kind (a)));
          cp_cli_json_add_string (builder, "occurred_at", when);
          cp_cli_json_add_string (builder, "detail", cp_activity_get_detail (a));
          cp_cli_json_add_string (builder, "disposition", cp_activity_get_disposition (a));
          add_int (builder, "depth", cp_activity_get_depth (a));
          cp_cli_json_add_string (builder, "actor", cp_activity_get_actor (a));
          cp_cli_json_add_string (builder, "source", cp_activity_get_source (a));
          cp_cli_json_add_string (builder, "direction", cp_activity_get_direction (a));
          cp_cli_json_add_string (builder, "external_id", cp_activity_get_external_id (a));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      cp_cli_print_json (builder);
      return CP_CLI_EXIT_OK;
    }
  for (guint i = 0; i < activities->len; i++)
    {
      CpActivity *a = activities->pdata[i];
      g_autofree char *when = cp_datetime_format_iso8601 (cp_activity_get_occurred_at (a));

      /* Translators: time, kind, where it came from (manual, crm, file…), then the detail */
      printf ("%s  %-18s [%s]%s%s\n", when, cp_activity_kind_to_string (cp_activity_get_kind (a)),
              cp_activity_get_source (a), cp_activity_get_detail (a) != NULL ? "  " : "",
              cp_activity_get_detail (a) ?: "");
    }
  return CP_CLI_EXIT_OK;
}

const CpCliCommand cp_cli_activity_commands[] = {
  { "import-activities",
    N_("FILE --kind KIND [--mapping auto|FILE] [--create-leads] [--timezone ZONE] "
       "[--dry-run] [--json]"),
    N_("Import activities (webinar attendees, event check-ins, form fills) from a CSV file"),
    cp_cli_import_activities },
  { "activities", N_("ID [--json]"), N_("List a lead’s activities and where each came from"),
    cp_cli_activities },
  { NULL, NULL, NULL, NULL }
};
