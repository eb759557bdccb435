/* cp-cli-lifecycle.c — carepath-cli commands of the lifecycle: log activity, run the time rules,
 * recompute leads
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cp-cli-commands.h"
#include "cp-datetime.h"
#include "cp-lead-format.h"
#include "cp-lead-store.h"
#include "cp-retention.h"
#include "cp-tick.h"
#include "cp-validate.h"

/**
 * cp_cli_print_outcome:
 *
 * Prints, in words, what the playbook did after a change: the moves it
 * made, and the ones its own rules refused.
 */
void
cp_cli_print_outcome (const CpWriteOutcome *outcome)
{
  for (guint i = 0; outcome->moves != NULL && i < outcome->moves->len; i++)
    {
      CpProposedMove *move = outcome->moves->pdata[i];

      printf (_("The playbook moved the lead from %s to %s: %s\n"),
              cp_value_label (move->from_stage), cp_value_label (move->to_stage), move->reason);
    }
  for (guint i = 0; outcome->blocked != NULL && i < outcome->blocked->len; i++)
    {
      CpProposedMove *move = outcome->blocked->pdata[i];

      printf (_("The playbook would move the lead to %s (%s), but: %s\n"),
              cp_value_label (move->to_stage), move->rule_id, move->blocked_message);
    }
}

static void
add_moves (JsonBuilder *builder,
           const char  *name,
           GPtrArray   *moves)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; moves != NULL && i < moves->len; i++)
    {
      CpProposedMove *move = moves->pdata[i];

      json_builder_begin_object (builder);
      cp_cli_json_add_string (builder, "rule", move->rule_id);
      cp_cli_json_add_string (builder, "from", move->from_stage);
      cp_cli_json_add_string (builder, "to", move->to_stage);
      cp_cli_json_add_string (builder, "reason", move->reason);
      if (!move->allowed)
        cp_cli_json_add_string (builder, "refused", move->blocked_message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static char *
kind_list (void)
{
  g_autoptr(GString) kinds = g_string_new (NULL);

  for (CpActivityKind k = 0; k < CP_ACTIVITY_N_KINDS; k++)
    g_string_append_printf (kinds, "%s%s", k > 0 ? ", " : "", cp_activity_kind_to_string (k));
  return g_string_free (g_steal_pointer (&kinds), FALSE);
}

static int
cp_cli_log (CpCliContext *ctx,
            int           argc,
            char        **argv)
{
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(CpActivity) activity = cp_activity_new ();
  g_autoptr(CpLead) lead = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CpWriteOutcome) outcome = { NULL, };
  g_autofree char *outcome_text = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *at = NULL;
  g_autofree char *by = NULL;
  g_autofree char *actor = cp_cli_actor ();
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "outcome", 0, 0, G_OPTION_ARG_STRING, &outcome_text,
      N_("How it went (a call: connected, left_voicemail, no_answer, …)"), "X" },
    { "detail", 0, 0, G_OPTION_ARG_STRING, &detail, N_("What happened, in words"), "TEXT" },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at, N_("When it happened (default: now)"), "ISO" },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, N_("Who did it (default: you)"), "NAME" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  CpActivityKind kind;
  gint64 when = 0;
  int status = 0;

  if (!cp_cli_parse_options ("log", "ID KIND", entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return cp_cli_usage_error ("log", _("give a lead id and an activity kind"));
  if (!cp_activity_kind_from_string (argv[2], &kind))
    {
      g_autofree char *kinds = kind_list ();
      return cp_cli_usage_error ("log", _("unknown activity kind “%s”; use one of: %s"), argv[2],
                                 kinds);
    }
  if (outcome_text != NULL && kind == CP_ACTIVITY_KIND_CALL &&
      !g_strv_contains (cp_call_dispositions (), outcome_text))
    {
      g_autofree char *allowed = g_strjoinv (", ", (char **) cp_call_dispositions ());
      return cp_cli_usage_error ("log", _("a call’s outcome is one of: %s"), allowed);
    }
  if ((outcome_text != NULL && !cp_validate_text (outcome_text, 64, FALSE, &error)) ||
      (by != NULL && !cp_validate_text (by, 200, FALSE, &error)))
    return cp_cli_usage_error ("log", "%s", error->message);
  if (at != NULL && !cp_datetime_parse_iso8601 (at, &when, &error))
    return cp_cli_usage_error ("log", "--at: %s", error->message);

  store = cp_cli_open_store (ctx, TRUE, &error);
  if (store == NULL)
    return cp_cli_failure (error);
  cp_activity_set_lead_id (activity, argv[1]);
  cp_activity_set_kind (activity, kind);
  cp_activity_set_occurred_at (activity, when);
  cp_activity_set_detail (activity, detail);
  cp_activity_set_disposition (activity, outcome_text);
  cp_activity_set_actor (activity, by != NULL ? by : actor);
  if (!cp_lead_store_log_activity (store, activity, &outcome, &error))
    return cp_cli_failure (error);
  lead = cp_lead_store_get (store, argv[1], &error);
  if (lead == NULL)
    return cp_cli_failure (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cp_cli_json_add_string (builder, "activity", cp_activity_get_id (activity));
      cp_cli_json_add_string (builder, "lead", argv[1]);
      cp_cli_json_add_string (builder, "stage", cp_lead_get_stage (lead));
      json_builder_set_member_name (builder, "score");
      json_builder_add_int_value (builder, cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE));
      cp_cli_json_add_string (builder, "tier", cp_lead_get_text (lead, CP_LEAD_FIELD_TIER));
      add_moves (builder, "moves", outcome.moves);
      add_moves (builder, "refused", outcome.blocked);
      json_builder_end_object (builder);
      cp_cli_print_json (builder);
      return CP_CLI_EXIT_OK;
    }

  printf (_("Logged “%s”. Score %" G_GINT64_FORMAT " (%s), stage %s.\n"),
          cp_activity_kind_label (kind), cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE),
          cp_value_label (cp_lead_get_text (lead, CP_LEAD_FIELD_TIER)),
          cp_value_label (cp_lead_get_stage (lead)));
  cp_cli_print_outcome (&outcome);
  return CP_CLI_EXIT_OK;
}

static const char *
tick_kind_name (CpTickKind kind)
{
  switch (kind)
    {
    case CP_TICK_BREACHED:
      return "breached";
    case CP_TICK_ESCALATED:
      return "escalated";
    case CP_TICK_MOVED:
      return "moved";
    case CP_TICK_ERASED:
      return "erased";
    case CP_TICK_TIER:
    default:
      return "rescored";
    }
}

/* Changes grouped by lead, each lead once, in the order first changed. */
static void
print_tick_json (CpTickReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *now = cp_datetime_format_iso8601 (report->now);

  json_builder_begin_object (builder);
  cp_cli_json_add_string (builder, "now", now);
  json_builder_set_member_name (builder, "breached");
  json_builder_add_int_value (builder, report->breached);
  json_builder_set_member_name (builder, "escalated");
  json_builder_add_int_value (builder, report->escalated);
  json_builder_set_member_name (builder, "reassigned");
  json_builder_add_int_value (builder, report->reassigned);
  json_builder_set_member_name (builder, "moved");
  json_builder_add_int_value (builder, report->moved);
  json_builder_set_member_name (builder, "rescored");
  json_builder_add_int_value (builder, report->rescored);
  json_builder_set_member_name (builder, "tier_changes");
  json_builder_add_int_value (builder, report->tier_changes);
  json_builder_set_member_name (builder, "erased");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->changes->len; i++)
    {
      CpTickChange *change = report->changes->pdata[i];

      if (change->kind != CP_TICK_ERASED)
        continue;
      json_builder_begin_object (builder);
      cp_cli_json_add_string (builder, "id", change->lead_id);
      cp_cli_json_add_string (builder, "rule", change->rule);
      cp_cli_json_add_string (builder, "stage", change->before);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "leads");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->changes->len; i++)
    {
      CpTickChange *first = report->changes->pdata[i];

      if (!g_hash_table_add (seen, first->lead_id))
        continue;
      json_builder_begin_object (builder);
      cp_cli_json_add_string (builder, "id", first->lead_id);
      for (guint j = i; j < report->changes->len; j++)
        {
          CpTickChange *change = report->changes->pdata[j];
          g_autofree char *due = NULL;

          if (!g_str_equal (change->lead_id, first->lead_id))
            continue;
          json_builder_set_member_name (builder, tick_kind_name (change->kind));
          json_builder_begin_object (builder);
          if (change->due_at != 0)
            {
              due = cp_datetime_format_iso8601 (change->due_at);
              cp_cli_json_add_string (builder, "due_at", due);
            }
          if (change->kind != CP_TICK_BREACHED)
            {
              cp_cli_json_add_string (builder, "from", change->before);
              cp_cli_json_add_string (builder, "to", change->after);
            }
          if (change->rule != NULL)
            cp_cli_json_add_string (builder, "rule", change->rule);
          cp_cli_json_add_string (builder, "owner", change->owner);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  cp_cli_print_json (builder);
}

static void
print_tick_text (CpTickReport *report)
{
  for (guint i = 0; i < report->changes->len; i++)
    {
      CpTickChange *change = report->changes->pdata[i];
      g_autofree char *due =
          change->due_at != 0 ? cp_datetime_format_iso8601 (change->due_at) : NULL;

      switch (change->kind)
        {
        case CP_TICK_BREACHED:
          printf (_("%s  response overdue since %s\n"), change->lead_id, due);
          break;
        case CP_TICK_ESCALATED:
          if (change->after != NULL)
            printf (_("%s  escalated: reassigned from %s to %s\n"), change->lead_id,
                    change->before != NULL ? change->before : _("nobody"), change->after);
          else
            printf (_("%s  escalated\n"), change->lead_id);
          break;
        case CP_TICK_MOVED:
          printf (_("%s  moved from %s to %s (%s)\n"), change->lead_id, change->before,
                  change->after, change->rule);
          break;
        case CP_TICK_ERASED:
          printf (_("%s  erased from %s by the retention rule %s\n"), change->lead_id,
                  change->before, change->rule);
          break;
        case CP_TICK_TIER:
        default:
          printf (_("%s  tier %s → %s as engagement decayed\n"), change->lead_id,
                  change->before != NULL ? change->before : "—", change->after);
          break;
        }
    }
  printf (_("Breached %u, escalated %u (%u reassigned), moved %u, rescored %u (%u changed tier), "
            "erased %u.\n"),
          report->breached, report->escalated, report->reassigned, report->moved, report->rescored,
          report->tier_changes, report->erased);
}

static int
cp_cli_tick (CpCliContext *ctx,
             int           argc,
             char        **argv)
{
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(CpTickReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now_text = NULL;
  g_autofree char *actor = cp_cli_actor ();
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text,
      N_("Apply the rules as of this time (default: now)"), "ISO" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print what changed, lead by lead, as JSON"),
      NULL },
    { NULL }
  };
  gint64 now;
  int status = 0;

  if (!cp_cli_parse_options ("tick", "", entries, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return cp_cli_usage_error ("tick", _("unexpected argument “%s”"), argv[1]);
  now = g_get_real_time () / G_USEC_PER_SEC;
  if (now_text != NULL && !cp_datetime_parse_iso8601 (now_text, &now, &error))
    return cp_cli_usage_error ("tick", "--now: %s", error->message);

  store = cp_cli_open_store (ctx, TRUE, &error);
  if (store == NULL)
    return cp_cli_failure (error);
  report = cp_tick_run (store, now, now_text != NULL, actor, &error);
  if (report == NULL)
    return cp_cli_failure (error);
  if (json)
    print_tick_json (report);
  else
    print_tick_text (report);
  return CP_CLI_EXIT_OK;
}

/* `retention preview`: what the next tick's retention rules would erase. */
static int
cp_cli_retention (CpCliContext *ctx,
                  int           argc,
                  char        **argv)
{
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now_text = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text, N_("As of this time (default: now)"), "ISO" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the leads as JSON"), NULL },
    { NULL }
  };
  gint64 now;
  int status = 0;

  if (!cp_cli_parse_options ("retention", "preview", entries, &argc, &argv, &status))
    return status;
  if (argc < 2 || strcmp (argv[1], "preview") != 0)
    return cp_cli_usage_error ("retention", _("expected “preview”"));
  if (argc > 2)
    return cp_cli_usage_error ("retention", _("unexpected argument “%s”"), argv[2]);
  now = g_get_real_time () / G_USEC_PER_SEC;
  if (now_text != NULL && !cp_datetime_parse_iso8601 (now_text, &now, &error))
    return cp_cli_usage_error ("retention", "--now: %s", error->message);

  store = cp_cli_open_store (ctx, TRUE, &error);
  if (store == NULL)
    return cp_cli_failure (error);
  matches = cp_retention_preview (store, now, &error);
  if (matches == NULL)
    return cp_cli_failure (error);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *now_iso = cp_datetime_format_iso8601 (now);

      json_builder_begin_object (builder);
      cp_cli_json_add_string (builder, "now", now_iso);
      json_builder_set_member_name (builder, "would_erase");
      json_builder_begin_array (builder);
      for (guint i = 0; i < matches->len; i++)
        {
          CpRetentionMatch *match = matches->pdata[i];
          g_autofree char *last = cp_datetime_format_iso8601 (match->last_active_at);

          json_builder_begin_object (builder);
          cp_cli_json_add_string (builder, "id", match->lead_id);
          cp_cli_json_add_string (builder, "rule", match->rule_id);
          cp_cli_json_add_string (builder, "stage", match->stage);
          cp_cli_json_add_string (builder, "last_active_at", last);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      cp_cli_print_json (builder);
      return CP_CLI_EXIT_OK;
    }
  for (guint i = 0; i < matches->len; i++)
    {
      CpRetentionMatch *match = matches->pdata[i];
      g_autofree char *last = cp_datetime_format_iso8601 (match->last_active_at);

      printf (_("%s  %s, last active %s: erased by the retention rule %s\n"), match->lead_id,
              match->stage, last, match->rule_id);
    }
  printf (g_dngettext (GETTEXT_PACKAGE, "%u lead would be erased.\n", "%u leads would be erased.\n",
                       matches->len), matches->len);
  return CP_CLI_EXIT_OK;
}

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  if (*(gboolean *) user_data)
    fprintf (stderr, "\r%u", done);
}

static int
cp_cli_refresh (CpCliContext *ctx,
                int           argc,
                char        **argv)
{
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = cp_cli_actor ();
  gboolean all = FALSE;
  gboolean show_progress = isatty (fileno (stderr));
  GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Every lead"), NULL },
    { NULL }
  };
  guint changed = 0;
  int status = 0;

  if (!cp_cli_parse_options ("refresh", "ID…|--all", entries, &argc, &argv, &status))
    return status;
  if (all == (argc > 1))
    return cp_cli_usage_error ("refresh", _("give lead ids, or --all"));

  store = cp_cli_open_store (ctx, TRUE, &error);
  if (store == NULL)
    return cp_cli_failure (error);
  if (all)
    {
      if (!cp_lead_store_refresh_all (store, actor, progress_cb, &show_progress, &changed, &error))
        return cp_cli_failure (error);
      if (show_progress)
        fputc ('\n', stderr);
    }
  for (int i = 1; i < argc; i++)
    {
      gboolean one = FALSE;

      if (!cp_lead_store_refresh (store, argv[i], actor, &one, &error))
        return cp_cli_failure (error);
      changed += one;
    }
  printf (g_dngettext (GETTEXT_PACKAGE, "%u lead changed.\n", "%u leads changed.\n", changed),
          changed);
  return CP_CLI_EXIT_OK;
}

const CpCliCommand cp_cli_lifecycle_commands[] = {
  { "log", N_("ID KIND [--outcome X] [--detail TEXT] [--at ISO] [--by NAME] [--json]"),
    N_("Log an activity on a lead: it is rescored and the playbook’s automation runs"),
    cp_cli_log },
  { "tick", N_("[--now ISO] [--json]"),
    N_("Apply the time rules: retention, SLA breaches, escalation, inactivity, score decay"),
    cp_cli_tick },
  { "retention", N_("preview [--now ISO] [--json]"),
    N_("List the leads the playbook’s retention rules would erase, changing nothing"),
    cp_cli_retention },
  { "refresh", N_("ID…|--all"),
    N_("Compute leads again with the playbook in effect (score, queue, SLA clock)"),
    cp_cli_refresh },
  { NULL, NULL, NULL, NULL }
};
