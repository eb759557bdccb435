/* cp-cli-task.c — carepath-cli task: add, list, complete, snooze and cancel the tasks of leads
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "cp-cli-commands.h"
#include "cp-core-error.h"
#include "cp-datetime.h"
#include "cp-outreach.h"
#include "cp-task-store.h"
#include "cp-task-time.h"

#define TASK_KINDS "call, email, meeting, follow_up, handoff"

static const char * const bucket_names[CP_TASK_N_BUCKETS] = { "overdue", "today", "upcoming" };

/* Bad input (an unknown lead or task, a task closed already, an invalid
 * title) is the caller's to fix: exit 2, like a wrong command line. */
static int
task_error (const char   *command,
            const GError *error)
{
  if (error->domain == CP_CORE_ERROR ||
      g_error_matches (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND) ||
      g_error_matches (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID))
    return cp_cli_usage_error (command, "%s", error->message);
  return cp_cli_failure (error);
}

static gboolean
parse_time (const char  *option,
            const char  *text,
            gint64      *out_time,
            GError     **error)
{
  if (text == NULL)
    {
      g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_REQUIRED, _("%s is required"), option);
      return FALSE;
    }
  /* On the user's clock, as My Work shows it, unless the text names its zone. */
  if (!cp_task_parse_due (text, NULL, out_time, error))
    {
      g_prefix_error (error, "%s: ", option);
      return FALSE;
    }
  return TRUE;
}

static int
task_add (CpCliContext *ctx,
          int           argc,
          char        **argv)
{
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(CpTask) task = cp_task_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *due = NULL;
  g_autofree char *kind_text = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *note = NULL;
  g_autofree char *actor = cp_cli_actor ();
  GOptionEntry entries[] = {
    { "due", 0, 0, G_OPTION_ARG_STRING, &due,
      N_("When it is due (required): a date (09:00 that day) or a date and time, on your "
         "clock unless it ends in Z or an offset"),
      "ISO" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_text,
      N_("call, email, meeting, follow_up (default) or handoff"),
      "K" },
    { "owner", 0, 0, G_OPTION_ARG_STRING, &owner, N_("Whose it is (default: the lead’s owner)"),
      "O" },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("A note"), "N" },
    { NULL }
  };
  CpTaskKind kind = CP_TASK_KIND_FOLLOW_UP;
  gint64 when = 0;
  int status = 0;

  if (!cp_cli_parse_options ("task add", "ID TITLE", entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return cp_cli_usage_error ("task", _("task add needs a lead id and a title"));
  if (!parse_time ("--due", due, &when, &error))
    return cp_cli_usage_error ("task", "%s", error->message);
  if (kind_text != NULL && !cp_task_kind_from_string (kind_text, &kind))
    return cp_cli_usage_error ("task", _("unknown kind of task “%s”; use one of: %s"), kind_text,
                               TASK_KINDS);

  cp_task_set_lead_id (task, argv[1]);
  cp_task_set_title (task, argv[2]);
  cp_task_set_kind (task, kind);
  cp_task_set_due_at (task, when);
  cp_task_set_owner (task, owner);
  cp_task_set_note (task, note);
  /* What the command line says is checked before the database is opened. */
  if (!cp_task_validate_field (task, "title", &error) ||
      !cp_task_validate_field (task, "owner", &error) ||
      !cp_task_validate_field (task, "note", &error))
    return cp_cli_usage_error ("task", "%s", error->message);
  store = cp_cli_open_store (ctx, TRUE, &error);
  if (store == NULL)
    return cp_cli_failure (error);
  if (!cp_lead_store_add_task (store, task, actor, &error))
    return task_error ("task", error);
  printf ("%s\n", cp_task_get_id (task));
  return CP_CLI_EXIT_OK;
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       value)
{
  g_autofree char *text = value > 0 ? cp_datetime_format_iso8601 (value) : NULL;

  cp_cli_json_add_string (builder, name, text);
}

static void
task_to_json (JsonBuilder *builder,
              CpTask      *task,
              gint64       now,
              GTimeZone   *tz)
{
  json_builder_begin_object (builder);
  cp_cli_json_add_string (builder, "id", cp_task_get_id (task));
  cp_cli_json_add_string (builder, "lead_id", cp_task_get_lead_id (task));
  cp_cli_json_add_string (builder, "lead_name", cp_task_get_lead_name (task));
  cp_cli_json_add_string (builder, "kind", cp_task_kind_to_string (cp_task_get_kind (task)));
  cp_cli_json_add_string (builder, "channel",
                          cp_outreach_channel_for_kind (cp_task_get_kind (task)));
  cp_cli_json_add_string (builder, "title", cp_task_get_title (task));
  cp_cli_json_add_string (builder, "note", cp_task_get_note (task));
  cp_cli_json_add_string (builder, "owner", cp_task_get_owner (task));
  add_time (builder, "due_at", cp_task_get_due_at (task));
  add_time (builder, "snoozed_until", cp_task_get_snoozed_until (task));
  add_time (builder, "effective_due", cp_task_get_effective_due (task));
  cp_cli_json_add_string (builder, "status", cp_task_status_to_string (cp_task_get_status (task)));
  cp_cli_json_add_string (builder, "bucket",
                          cp_task_is_open (task) ? bucket_names[cp_task_get_bucket (task, now, tz)]
                                                 : NULL);
  add_time (builder, "done_at", cp_task_get_done_at (task));
  cp_cli_json_add_string (builder, "origin", cp_task_get_origin (task));
  cp_cli_json_add_string (builder, "stage", cp_task_get_stage_id (task));
  cp_cli_json_add_string (builder, "template", cp_task_get_template_key (task));
  add_time (builder, "created_at", cp_task_get_created_at (task));
  json_builder_end_object (builder);
}

static void
print_task_line (CpTask *task)
{
  g_autofree char *due = cp_datetime_format_iso8601 (cp_task_get_effective_due (task));
  const char *status =
    cp_task_is_open (task) ? "" : cp_task_status_to_string (cp_task_get_status (task));

  printf ("%s  %s  %-9s  ", cp_task_get_id (task), due,
          cp_task_kind_to_string (cp_task_get_kind (task)));
  cp_cli_print_padded (cp_task_get_owner (task) != NULL ? cp_task_get_owner (task) : "-", 20);
  printf ("  %s — %s%s%s\n", cp_task_get_lead_name (task), cp_task_get_title (task),
          *status != '\0' ? "  " : "", status);
}

static int
task_list (CpCliContext *ctx,
           int           argc,
           char        **argv)
{
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autofree char *owner = NULL;
  g_autofree char *lead = NULL;
  g_autofree char *due = NULL;
  gboolean all = FALSE, json = FALSE, upcoming;
  GOptionEntry entries[] = {
    { "owner", 0, 0, G_OPTION_ARG_STRING, &owner, N_("Only this person’s tasks"), "O" },
    { "lead", 0, 0, G_OPTION_ARG_STRING, &lead, N_("Only this lead’s tasks"), "ID" },
    { "due", 0, 0, G_OPTION_ARG_STRING, &due, N_("today, overdue, week, upcoming or all (default)"),
      "WHEN" },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Include done and cancelled tasks"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  CpTaskFilter filter = { 0, };
  int status = 0;

  if (!cp_cli_parse_options ("task list", "", entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return cp_cli_usage_error ("task", _("task list takes no arguments"));
  upcoming = g_strcmp0 (due, "upcoming") == 0;
  if (due != NULL && !upcoming && !cp_task_due_from_string (due, &filter.due))
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (CpTaskDue d = CP_TASK_DUE_ANY; d <= CP_TASK_DUE_WEEK; d++)
        g_string_append_printf (names, "%s, ", cp_task_due_to_string (d));
      return cp_cli_usage_error ("task", _("--due is one of %supcoming, not “%s”"), names->str,
                                 due);
    }
  store = cp_cli_open_store (ctx, TRUE, &error);
  if (store == NULL)
    return cp_cli_failure (error);
  filter.owner = owner;
  filter.lead_id = lead;
  filter.include_closed = all;
  filter.now = cp_lead_store_now (store);
  filter.tz = tz;
  /* Upcoming: My Work's third section, after the end of today. */
  if (upcoming)
    cp_task_bucket_bounds (CP_TASK_BUCKET_UPCOMING, filter.now, tz, &filter.due_from,
                           &filter.due_before);
  tasks = cp_lead_store_list_tasks (store, &filter, &error);
  if (tasks == NULL)
    return cp_cli_failure (error);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < tasks->len; i++)
        task_to_json (builder, tasks->pdata[i], filter.now, tz);
      json_builder_end_array (builder);
      cp_cli_print_json (builder);
      return CP_CLI_EXIT_OK;
    }
  if (tasks->len == 0)
    printf ("%s\n", _("No tasks."));
  for (guint i = 0; i < tasks->len; i++)
    print_task_line (tasks->pdata[i]);
  if (lead == NULL)
    {
      guint counts[CP_TASK_N_BUCKETS] = { 0, };

      if (!cp_lead_store_count_task_buckets (store, owner, filter.now, tz, counts, &error))
        return cp_cli_failure (error);
      /* Translators: the open tasks by My Work's sections */
      printf (_("Open: %u overdue, %u due today, %u upcoming.\n"), counts[CP_TASK_BUCKET_OVERDUE],
              counts[CP_TASK_BUCKET_TODAY], counts[CP_TASK_BUCKET_UPCOMING]);
    }
  return CP_CLI_EXIT_OK;
}

/* done, cancel and snooze: one task id, and what each needs. */
static int
task_change (CpCliContext *ctx,
             const char   *sub,
             int           argc,
             char        **argv)
{
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *until = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *actor = cp_cli_actor ();
  g_autofree char *command = g_strdup_printf ("task %s", sub);
  g_autoptr(CpTask) task = NULL;
  GOptionEntry snooze_entries[] = {
    { "until", 0, 0, G_OPTION_ARG_STRING, &until, N_("When it is due again (required)"), "ISO" },
    { NULL }
  };
  GOptionEntry cancel_entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why"), "TEXT" },
    { NULL }
  };
  GOptionEntry reassign_entries[] = {
    { "owner", 0, 0, G_OPTION_ARG_STRING, &owner, N_("The new owner (required)"), "O" },
    { NULL }
  };
  GOptionEntry no_entries[] = { { NULL } };
  gboolean snooze = g_str_equal (sub, "snooze");
  gboolean cancel = g_str_equal (sub, "cancel");
  gboolean reassign = g_str_equal (sub, "reassign");
  gint64 when = 0;
  gboolean ok;
  int status = 0;

  if (!cp_cli_parse_options (command, "TASK_ID",
                             snooze ? snooze_entries : cancel ? cancel_entries
                                    : reassign ? reassign_entries : no_entries,
                             &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cp_cli_usage_error ("task", _("task %s needs one task id"), sub);
  if (snooze && !parse_time ("--until", until, &when, &error))
    return cp_cli_usage_error ("task", "%s", error->message);
  if (reassign && owner == NULL)
    return cp_cli_usage_error ("task", _("task reassign needs --owner"));
  store = cp_cli_open_store (ctx, TRUE, &error);
  if (store == NULL)
    return cp_cli_failure (error);
  if (snooze)
    ok = cp_lead_store_snooze_task (store, argv[1], when, actor, &error);
  else if (cancel)
    ok = cp_lead_store_cancel_task (store, argv[1], reason, actor, &error);
  else if (reassign)
    ok = cp_lead_store_reassign_task (store, argv[1], owner, actor, &error);
  else
    ok = cp_lead_store_complete_task (store, argv[1], NULL, actor, &error);
  if (!ok)
    return task_error ("task", error);
  /* What it is now, in one line. */
  task = cp_lead_store_get_task (store, argv[1], &error);
  if (task == NULL)
    return cp_cli_failure (error);
  print_task_line (task);
  return CP_CLI_EXIT_OK;
}

static int
cp_cli_task (CpCliContext *ctx,
             int           argc,
             char        **argv)
{
  const char *sub = argc >= 2 ? argv[1] : NULL;

  if (g_strcmp0 (sub, "add") == 0)
    return task_add (ctx, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "list") == 0)
    return task_list (ctx, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "done") == 0 || g_strcmp0 (sub, "snooze") == 0 ||
      g_strcmp0 (sub, "cancel") == 0 || g_strcmp0 (sub, "reassign") == 0)
    return task_change (ctx, sub, argc - 1, argv + 1);
  if (sub == NULL || g_strcmp0 (sub, "--help") == 0 || g_strcmp0 (sub, "-h") == 0)
    {
      printf ("%s\n", _("Usage: carepath-cli task add ID TITLE --due ISO [--kind K] [--owner O]"
                        " [--note N]\n"
                        "       carepath-cli task list [--owner O] [--lead ID]"
                        " [--due today|overdue|week|upcoming|all]"
                        " [--all] [--json]\n"
                        "       carepath-cli task done TASK_ID\n"
                        "       carepath-cli task snooze TASK_ID --until ISO\n"
                        "       carepath-cli task cancel TASK_ID [--reason TEXT]\n"
                        "       carepath-cli task reassign TASK_ID --owner O"));
      return sub == NULL ? CP_CLI_EXIT_USAGE : CP_CLI_EXIT_OK;
    }
  return cp_cli_usage_error ("task",
                             _("unknown task command “%s”; use add, list, done, snooze, "
                               "cancel or reassign"),
                             sub);
}

const CpCliCommand cp_cli_task_commands[] = {
  { "task", N_("add|list|done|snooze|cancel|reassign …"),
    N_("Add, list, complete, snooze, cancel or reassign the tasks of leads"),
    cp_cli_task },
  { NULL, NULL, NULL, NULL }
};
