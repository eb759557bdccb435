/* cp-cli-report.c — carepath-cli report: the funnel and the pipeline
 * reports as a table, JSON or CSV, and as PDF or PNG pages
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cp-cli-commands.h"
#include "cp-datetime.h"
#include "cp-playbook-store.h"
#include "cp-report-render.h"
#include "cp-report-service.h"

/* "2026-11-01" at local midnight; @end: the next midnight (ranges end
 * before), a calendar day later: days of a clock change are not 24 hours. */
static gboolean
parse_day (const char *text,
           gboolean    end,
           gint64     *out_time)
{
  int year, month, day;
  char rest;
  g_autoptr(GDateTime) date = NULL;

  if (sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &rest) != 3
      || !g_date_valid_dmy (day, month, year))
    return FALSE;
  date = g_date_time_new_local (year, month, day, 0, 0, 0);
  if (date != NULL && end)
    {
      GDateTime *next = g_date_time_add_days (date, 1);

      g_date_time_unref (date);
      date = next;
    }
  if (date == NULL)
    return FALSE;
  *out_time = g_date_time_to_unix (date);

  return TRUE;
}

/* A cell as the table prints it; compared, its change follows it as on
 * the exported page: "639 (+282)". */
static char *
cell_text (const CpReport    *report,
           const CpReportRow *row,
           guint              c)
{
  const CpReportColumn *column = g_ptr_array_index (report->columns, c);
  g_autofree char *value = cp_report_format_value (column->kind, row->values[c]);
  g_autofree char *change = NULL;

  if (row->previous == NULL)
    return g_steal_pointer (&value);
  change = cp_report_format_change (column->kind, row->values[c], row->previous[c]);

  return g_strdup_printf ("%s (%s)", value, change);
}

static void
print_table (const CpReport *report)
{
  guint n_columns = report->columns->len;
  g_autofree int *widths = g_new0 (int, n_columns + 1);

  widths[0] = g_utf8_strlen (_("Row"), -1);
  for (guint r = 0; r < report->rows->len; r++)
    widths[0] = MAX (widths[0],
                     (int) g_utf8_strlen (((CpReportRow *)
                                           g_ptr_array_index (report->rows, r))->label, -1));
  for (guint c = 0; c < n_columns; c++)
    {
      const CpReportColumn *column = g_ptr_array_index (report->columns, c);

      widths[c + 1] = g_utf8_strlen (column->title, -1);
      for (guint r = 0; r < report->rows->len; r++)
        {
          g_autofree char *value = cell_text (report, g_ptr_array_index (report->rows, r), c);
          widths[c + 1] = MAX (widths[c + 1], (int) g_utf8_strlen (value, -1));
        }
    }

  printf ("%s\n", report->title);
  /* Pad by characters, not bytes: labels and "—" are UTF-8. */
#define PRINT_CELL(text, width, left) G_STMT_START { \
    int pad_ = (width) - (int) g_utf8_strlen ((text), -1); \
    if (left) printf ("%s%*s", (text), pad_, ""); else printf ("%*s%s", pad_, "", (text)); \
  } G_STMT_END
  PRINT_CELL ("", widths[0], TRUE);
  for (guint c = 0; c < n_columns; c++)
    {
      printf ("  ");
      PRINT_CELL (((CpReportColumn *) g_ptr_array_index (report->columns, c))->title,
                  widths[c + 1], FALSE);
    }
  printf ("\n");
  for (guint r = 0; r < report->rows->len; r++)
    {
      const CpReportRow *row = g_ptr_array_index (report->rows, r);

      PRINT_CELL (row->label, widths[0], TRUE);
      for (guint c = 0; c < n_columns; c++)
        {
          g_autofree char *value = cell_text (report, row, c);
          printf ("  ");
          PRINT_CELL (value, widths[c + 1], FALSE);
        }
      printf ("\n");
    }
#undef PRINT_CELL
  printf (ngettext ("%u lead\n", "%u leads\n", report->n_leads), report->n_leads);
  if (report->compared)
    printf (ngettext ("%u lead in the previous period\n", "%u leads in the previous period\n",
                      report->previous_n_leads),
            report->previous_n_leads);
}

static char *
report_ids (void)
{
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < CP_REPORT_N_KINDS; i++)
    g_string_append_printf (ids, "%s%s", i > 0 ? "|" : "", cp_report_kind_to_id (i));

  return g_string_free (ids, FALSE);
}

/* The files asked for, then the report on standard output as JSON, CSV
 * or a table (no table when only files were asked for). */
static gboolean
write_report (CpReport        *report,
              CpReportOptions *options,
              gboolean         json,
              gboolean         csv,
              const char      *pdf,
              const char      *png,
              int              width,
              int              height,
              GError         **error)
{
  if (pdf != NULL && !cp_report_export_pdf (report, options, pdf, error))
    return FALSE;
  if (png != NULL && !cp_report_export_png (report, options, png, width, height, error))
    return FALSE;

  if (json)
    {
      g_autofree char *text = cp_report_to_json (report, options);
      printf ("%s\n", text);
    }
  else if (csv)
    {
      g_autofree char *text = cp_report_to_csv (report);
      fputs (text, stdout);
    }
  else if (pdf == NULL && png == NULL)
    print_table (report);

  return TRUE;
}

static int
cp_cli_report (CpCliContext *ctx,
               int           argc,
               char        **argv)
{
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpPlaybook) playbook = NULL;
  g_autoptr(CpReportService) service = NULL;
  g_autoptr(CpReportOptions) options = cp_report_options_new ();
  g_autoptr(CpReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *from = NULL, *to = NULL, *mode = NULL, *basis = NULL, *stages = NULL;
  g_autofree char *pdf = NULL, *png = NULL, *size = NULL;
  g_autofree char *ids = report_ids ();
  gboolean json = FALSE, csv = FALSE, compare = FALSE;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("First day of the range (YYYY-MM-DD)"), "DATE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("Last day of the range, included"), "DATE" },
    { "by", 0, 0, G_OPTION_ARG_STRING, &basis,
      N_("What the range applies to: created (default) or entered (the funnel’s first stage)"),
      "WHEN" },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode,
      N_("Funnel counting: ordered (stages reached in order, default) or any"), "MODE" },
    { "stages", 0, 0, G_OPTION_ARG_STRING, &stages,
      N_("Funnel stages, comma-separated (default: the open stages and the won stage)"), "IDS" },
    { "channel", 0, 0, G_OPTION_ARG_STRING, &options->source_channel,
      N_("Only this source channel"), "ID" },
    { "service-line", 0, 0, G_OPTION_ARG_STRING, &options->service_line,
      N_("Only this service line"), "ID" },
    { "location", 0, 0, G_OPTION_ARG_STRING, &options->location, N_("Only this location"), "NAME" },
    { "lead-type", 0, 0, G_OPTION_ARG_STRING, &options->lead_type, N_("Only this lead type"),
      "ID" },
    { "owner", 0, 0, G_OPTION_ARG_STRING, &options->owner, N_("Only this owner"), "NAME" },
    { "compare", 0, 0, G_OPTION_ARG_NONE, &compare,
      N_("Also the previous period of the same length (needs --from)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, N_("Print CSV"), NULL },
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf, N_("Write a PDF page"), "FILE" },
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png, N_("Write a PNG image"), "FILE" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, N_("PNG size in pixels (default 1200x800)"),
      "WxH" },
    { NULL }
  };
  CpReportKind kind;
  int status = 0, width = 1200, height = 800;

  if (!cp_cli_parse_options ("report", ids, entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cp_cli_usage_error ("report", _("name one report: %s"), ids);
  if (!cp_report_kind_from_id (argv[1], &kind))
    return cp_cli_usage_error ("report", _("“%s” is not a report; one of %s"), argv[1], ids);
  if (json && csv)
    return cp_cli_usage_error ("report", _("--json and --csv exclude each other"));
  if (from != NULL && !parse_day (from, FALSE, &options->from))
    return cp_cli_usage_error ("report", _("--from is a date such as 2026-11-01, not “%s”"), from);
  if (to != NULL && !parse_day (to, TRUE, &options->to))
    return cp_cli_usage_error ("report", _("--to is a date such as 2026-11-30, not “%s”"), to);
  if (options->from != 0 && options->to != 0 && options->to <= options->from)
    return cp_cli_usage_error ("report", _("--to is before --from"));
  if (mode == NULL || g_str_equal (mode, "ordered"))
    options->mode = CP_FUNNEL_ORDERED;
  else if (g_str_equal (mode, "any"))
    options->mode = CP_FUNNEL_ANY;
  else
    return cp_cli_usage_error ("report", _("--mode is ordered or any, not “%s”"), mode);
  if (basis == NULL || g_str_equal (basis, "created"))
    options->date_basis = CP_REPORT_DATE_CREATED;
  else if (g_str_equal (basis, "entered"))
    options->date_basis = CP_REPORT_DATE_ENTERED_FIRST;
  else
    return cp_cli_usage_error ("report", _("--by is created or entered, not “%s”"), basis);
  if (compare && options->from == 0)
    return cp_cli_usage_error ("report",
                               _("--compare needs --from: the previous period has its length"));
  options->compare = compare;
  if (size != NULL && (sscanf (size, "%dx%d", &width, &height) != 2 || width <= 0 || height <= 0))
    return cp_cli_usage_error ("report", _("--size is WIDTHxHEIGHT, such as 1200x800, not “%s”"),
                               size);

  database = cp_cli_open_database (ctx, TRUE, &error);
  if (database == NULL)
    return cp_cli_failure (error);
  playbook =
      cp_playbook_store_load_active (database, g_get_real_time () / G_USEC_PER_SEC, NULL, &error);
  if (playbook == NULL)
    return cp_cli_failure (error);
  cp_report_options_set_playbook (options, playbook);
  if (stages != NULL)
    {
      options->funnel_stages = g_strsplit (stages, ",", -1);
      for (guint i = 0; options->funnel_stages[i] != NULL; i++)
        if (!g_strv_contains ((const char * const *) options->stages, options->funnel_stages[i]))
          return cp_cli_usage_error ("report", _("“%s” is not a stage of the playbook"),
                                     options->funnel_stages[i]);
    }

  service = cp_report_service_new (cp_database_get_path (database));
  cp_report_service_set_playbook (service, playbook);
  report = cp_report_service_compute (service, kind, options, NULL, &error);
  if (report == NULL)
    return cp_cli_failure (error);

  if (!write_report (report, options, json, csv, pdf, png, width, height, &error))
    return cp_cli_failure (error);

  /* After the output: the next run starts from this snapshot. Not saving
   * it only makes the next run slower. */
  fflush (stdout);
  if (!cp_report_service_save_snapshot (service, &error))
    g_printerr (_("Note: %s\n"), error->message);

  return CP_CLI_EXIT_OK;
}

const CpCliCommand cp_cli_report_commands[] = {
  { "report",
    N_("funnel|channels|sla|closures|sources|noshows|tiers|quality [--from DATE] [--to DATE] "
                 "[--mode ordered|any] [--compare] [--json|--csv] [--pdf FILE] [--png FILE]"),
    N_("The stage funnel and the pipeline reports, as a table, JSON, CSV, PDF or PNG"),
    cp_cli_report },
  { NULL, NULL, NULL, NULL }
};
