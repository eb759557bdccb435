/* cp-cli-playbook.c — carepath-cli commands over the playbook: explain, check-move, score, versions
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "cp-cli-commands.h"
#include "cp-database.h"
#include "cp-datetime.h"
#include "cp-lead-store.h"
#include "cp-playbook-format.h"
#include "cp-playbook-store.h"
#include "cp-rescore.h"
#include "cp-router.h"
#include "cp-scorer.h"
#include "cp-transition.h"

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* The playbook a command works with: a given version, or the one in effect. */
static CpPlaybook *
load_playbook (CpDatabase  *database,
               gint64       version,
               GError     **error)
{
  if (version > 0)
    return cp_playbook_store_get (database, version, NULL, error);

  return cp_playbook_store_load_active (database, now_seconds (), NULL, error);
}

/* What explain, check-move and route all need: the database, the playbook
 * (@version, or the one in effect) and the lead with its activities. */
typedef struct
{
  CpDatabase     *database;
  CpLeadStore    *store;
  CpPlaybook     *playbook;
  CpLeadSnapshot *snapshot;
} LeadContext;

static void
lead_context_clear (LeadContext *lc)
{
  g_clear_pointer (&lc->snapshot, cp_lead_snapshot_free);
  g_clear_pointer (&lc->playbook, cp_playbook_unref);
  g_clear_object (&lc->store);
  g_clear_object (&lc->database);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LeadContext, lead_context_clear)

static gboolean
lead_context_load (LeadContext   *lc,
                   CpCliContext  *ctx,
                   const char    *lead_id,
                   gint64         version,
                   GError       **error)
{
  lc->database = cp_cli_open_database (ctx, TRUE, error);
  if (lc->database == NULL)
    return FALSE;
  lc->playbook = load_playbook (lc->database, version, error);
  if (lc->playbook == NULL)
    return FALSE;
  lc->store = cp_lead_store_new (lc->database);
  lc->snapshot = cp_lead_snapshot_load (lc->store, lead_id, now_seconds (), error);

  return lc->snapshot != NULL;
}

static int
cp_cli_explain (CpCliContext *ctx,
                int           argc,
                char        **argv)
{
  g_auto(LeadContext) lc = { NULL };
  g_autoptr(CpScoreExplanation) explanation = NULL;
  g_autoptr(GError) error = NULL;
  CpScorer *scorer;
  gboolean json = FALSE;
  gint64 as_of = 0;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "as-of", 0, 0, G_OPTION_ARG_INT64, &as_of, N_("Explain with this playbook version"),
      "VERSION" },
    { NULL }
  };
  int status = 0;

  if (!cp_cli_parse_options ("explain", "ID", entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cp_cli_usage_error ("explain", _("give exactly one lead id"));
  if (as_of < 0)
    return cp_cli_usage_error ("explain", _("--as-of needs a version number"));

  if (!lead_context_load (&lc, ctx, argv[1], as_of, &error))
    return cp_cli_failure (error);

  scorer = cp_scorer_new (lc.playbook);
  explanation = cp_scorer_explain (scorer, &lc.snapshot->input);
  cp_scorer_free (scorer);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "score");
      json_builder_add_int_value (builder, explanation->result.score);
      json_builder_set_member_name (builder, "tier");
      json_builder_add_string_value (builder, explanation->result.tier);
      for (guint c = 0; c < CP_SCORE_N_CATEGORIES; c++)
        {
          json_builder_set_member_name (builder, cp_score_category_to_string (c));
          json_builder_add_int_value (builder, explanation->result.category[c]);
        }
      json_builder_set_member_name (builder, "contributions");
      json_builder_begin_array (builder);
      for (guint i = 0; i < explanation->contributions->len; i++)
        {
          CpScoreContribution *c = explanation->contributions->pdata[i];

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "rule");
          json_builder_add_string_value (builder, c->rule_id);
          json_builder_set_member_name (builder, "category");
          json_builder_add_string_value (builder, cp_score_category_to_string (c->category));
          json_builder_set_member_name (builder, "points");
          json_builder_add_int_value (builder, c->points);
          json_builder_set_member_name (builder, "decay");
          json_builder_add_double_value (builder, c->decay_factor);
          json_builder_set_member_name (builder, "effective");
          json_builder_add_double_value (builder, c->effective);
          json_builder_set_member_name (builder, "why");
          json_builder_add_string_value (builder, c->why != NULL ? c->why : c->description);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      cp_cli_print_json (builder);
    }
  else
    {
      g_autofree char *text = cp_score_explanation_to_string (explanation);
      printf ("%s\n", text);
    }

  return CP_CLI_EXIT_OK;
}

static int
cp_cli_check_move (CpCliContext *ctx,
                   int           argc,
                   char        **argv)
{
  g_auto(LeadContext) lc = { NULL };
  g_autoptr(CpMoveCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = { { NULL } };
  int status = 0;

  if (!cp_cli_parse_options ("check-move", "ID STAGE", entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return cp_cli_usage_error ("check-move", _("give a lead id and a stage"));

  if (!lead_context_load (&lc, ctx, argv[1], 0, &error))
    return cp_cli_failure (error);

  check = cp_transition_check (lc.playbook, &lc.snapshot->input, argv[2]);
  /* Exit 0 when the move is allowed, 1 with the reason when it is not. */
  if (check->verdict == CP_MOVE_ALLOWED)
    {
      printf ("%s\n", check->message != NULL ? check->message : _("Allowed."));
      return CP_CLI_EXIT_OK;
    }

  fprintf (stderr, "carepath-cli: %s\n", check->message);
  return CP_CLI_EXIT_FAILURE;
}

static int
cp_cli_route (CpCliContext *ctx,
              int           argc,
              char        **argv)
{
  g_auto(LeadContext) lc = { NULL };
  g_autoptr(CpRouterState) state = cp_router_state_new ();
  g_autoptr(GError) error = NULL;
  CpRoute *route;
  GOptionEntry entries[] = { { NULL } };
  int status = 0;

  if (!cp_cli_parse_options ("route", "ID", entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cp_cli_usage_error ("route", _("give exactly one lead id"));

  if (!lead_context_load (&lc, ctx, argv[1], 0, &error) ||
      !cp_playbook_store_load_router_state (lc.database, state, &error))
    return cp_cli_failure (error);

  /* A preview: the round-robin position is not advanced. */
  route = cp_router_route (lc.playbook, &lc.snapshot->input, state, NULL);
  printf (_("Queue: %s%s\n"), route->queue != NULL ? route->queue : "—",
          route->fallback ? _(" (fallback)") : "");
  printf (_("Owner: %s\n"), route->owner != NULL ? route->owner : _("nobody available"));
  printf (_("Why: %s\n"), route->reason != NULL ? route->reason : "—");
  if (route->channels != NULL)
    {
      g_autofree char *channels = g_strjoinv (", ", route->channels);
      printf (_("Allowed outreach: %s\n"), *channels != '\0' ? channels : _("none"));
    }
  cp_route_free (route);

  return CP_CLI_EXIT_OK;
}

static void
rescore_progress_cb (guint    done,
                     guint    total,
                     gpointer user_data)
{
  if (*(gboolean *) user_data)
    fprintf (stderr, total > 0 ? "\r%u / %u" : "\r%u", done, total);
}

/* Rescores every lead with the playbook in effect now and saves the
 * scores, with progress on a terminal; prints what changed. */
static gboolean
rescore_with_active (CpDatabase  *database,
                     GError     **error)
{
  g_autoptr(CpPlaybook) playbook = NULL;
  g_autoptr(CpPlaybookVersion) version = NULL;
  CpRescoreStats stats = { 0 };
  gboolean show_progress = isatty (fileno (stderr));
  gint64 start;
  gboolean ok;

  playbook = cp_playbook_store_load_active (database, now_seconds (), &version, error);
  if (playbook == NULL)
    return FALSE;

  start = g_get_monotonic_time ();
  ok = cp_rescore_run (database, playbook, version != NULL ? version->id : 0, now_seconds (),
                       "cli", rescore_progress_cb, &show_progress, NULL, &stats, error);
  if (show_progress)
    fputc ('\n', stderr);
  if (!ok)
    return FALSE;
  printf (_("Scored %u leads in %.1f s: %u changed, %u changed tier.\n"), stats.leads,
          (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, stats.changed,
          stats.tier_changes);
  return TRUE;
}

static int
cp_cli_score (CpCliContext *ctx,
              int           argc,
              char        **argv)
{
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  gboolean all = FALSE;
  GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Rescore every lead and save the scores"), NULL },
    { NULL }
  };
  int status = 0;

  if (!cp_cli_parse_options ("score", "--all", entries, &argc, &argv, &status))
    return status;
  if (!all || argc > 1)
    return cp_cli_usage_error ("score", _("use “score --all” (one lead: “explain ID”)"));

  database = cp_cli_open_database (ctx, TRUE, &error);
  if (database == NULL || !rescore_with_active (database, &error))
    return cp_cli_failure (error);
  return CP_CLI_EXIT_OK;
}

/* After publishing version @id: the leads are rescored with it, as the
 * app does, unless it takes effect later (the leads are rescored then,
 * with `score --all`) or the caller said not to. */
static int
published (CpDatabase *database,
           gint64      id,
           gint64      effective_at,
           gboolean    no_rescore)
{
  g_autoptr(GError) error = NULL;

  printf (_("Published as version %" G_GINT64_FORMAT ".\n"), id);
  if (no_rescore)
    {
      printf ("%s\n", _("Leads were not rescored: run “carepath-cli score --all”."));
      return CP_CLI_EXIT_OK;
    }
  if (effective_at > now_seconds ())
    {
      printf ("%s\n", _("It takes effect later: rescore then with “carepath-cli score --all”."));
      return CP_CLI_EXIT_OK;
    }
  if (!rescore_with_active (database, &error))
    return cp_cli_failure (error);
  return CP_CLI_EXIT_OK;
}

static int
playbook_versions (CpCliContext *ctx)
{
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpPlaybook) draft = NULL;
  g_autoptr(CpPlaybookVersion) draft_info = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) error = NULL;

  database = cp_cli_open_database (ctx, TRUE, &error);
  if (database == NULL || (versions = cp_playbook_store_list (database, &error)) == NULL)
    return cp_cli_failure (error);
  draft = cp_playbook_store_load_draft (database, &draft_info, NULL, &error);
  if (error != NULL)
    return cp_cli_failure (error);
  if (versions->len == 0)
    printf ("%s\n", _("No version published yet: the built-in default playbook is in effect."));
  for (guint i = 0; i < versions->len; i++)
    {
      CpPlaybookVersion *v = versions->pdata[i];
      g_autofree char *when = cp_datetime_format_iso8601 (v->effective_at);

      printf ("%3" G_GINT64_FORMAT "  %-9s  %s  %s  %s\n", v->id, v->status,
              when != NULL ? when : "—", v->author != NULL ? v->author : "—",
              v->reason != NULL ? v->reason : "");
    }
  if (draft != NULL)
    {
      g_autofree char *when = cp_datetime_format_iso8601 (draft_info->created_at);

      printf ("  —  %-9s  %s  %s  %s\n", "draft", when != NULL ? when : "—",
              draft_info->author != NULL ? draft_info->author : "—", _("(not published)"));
    }
  return CP_CLI_EXIT_OK;
}

/* "draft", a version number, or nothing (the version in effect). */
static CpPlaybook *
load_named_playbook (CpDatabase  *database,
                     const char  *name,
                     GError     **error)
{
  gint64 version = 0;

  if (name == NULL)
    return load_playbook (database, 0, error);
  if (g_str_equal (name, "draft"))
    {
      g_autoptr(GError) local_error = NULL;
      CpPlaybook *draft = cp_playbook_store_load_draft (database, NULL, NULL, &local_error);

      if (draft == NULL && local_error == NULL)
        g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND,
                     _("There is no playbook draft (import a file to start one)."));
      else if (draft == NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return draft;
    }
  if (!g_ascii_string_to_signed (name, 10, 0, G_MAXINT64, &version, NULL))
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("“%s” is neither a version number nor “draft”."), name);
      return NULL;
    }
  if (version == 0)
    return cp_playbook_format_load_default ();
  return cp_playbook_store_get (database, version, NULL, error);
}

static int
playbook_show (CpCliContext *ctx,
               const char   *name,
               const char   *file)
{
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpPlaybook) playbook = NULL;
  g_autoptr(GError) error = NULL;

  database = cp_cli_open_database (ctx, TRUE, &error);
  if (database == NULL || (playbook = load_named_playbook (database, name, &error)) == NULL)
    return cp_cli_failure (error);
  if (file == NULL)
    {
      g_autofree char *text = cp_playbook_format_serialize (playbook);
      printf ("%s\n", text);
    }
  else if (!cp_playbook_format_save_file (playbook, file, &error))
    return cp_cli_failure (error);
  return CP_CLI_EXIT_OK;
}

static int
playbook_diff (CpCliContext *ctx,
               const char   *from_text,
               const char   *to_text)
{
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  gint64 from = 0;
  gint64 to = 0;

  if (!g_ascii_string_to_signed (from_text, 10, 0, G_MAXINT64, &from, NULL) ||
      !g_ascii_string_to_signed (to_text, 10, 0, G_MAXINT64, &to, NULL))
    return cp_cli_usage_error ("playbook", _("diff needs two version numbers (0: the default)"));
  database = cp_cli_open_database (ctx, TRUE, &error);
  if (database == NULL || (changes = cp_playbook_store_diff (database, from, to, &error)) == NULL)
    return cp_cli_failure (error);
  if (changes->len == 0)
    printf ("%s\n", _("No differences."));
  for (guint i = 0; i < changes->len; i++)
    {
      g_autofree char *line = cp_playbook_change_to_string (changes->pdata[i]);
      printf ("%s\n", line);
    }
  return CP_CLI_EXIT_OK;
}

static const char *
impact_label (CpImpactKind kind)
{
  switch (kind)
    {
    case CP_IMPACT_SCORE:
      return _("change score");
    case CP_IMPACT_TIER:
      return _("change tier");
    case CP_IMPACT_QUEUE:
      return _("change queue");
    case CP_IMPACT_BLOCKED:
      return _("become blocked from their next stage");
    case CP_IMPACT_STAGE_REMOVED:
      return _("are in a stage the draft removes");
    case CP_IMPACT_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

static const char * const impact_keys[CP_IMPACT_N_KINDS] = {
  "score", "tier", "queue", "blocked", "stage_removed",
};

static void
print_impact (CpPlaybookImpact *impact,
              gboolean          json)
{
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "leads");
      json_builder_add_int_value (builder, impact->leads);
      for (guint k = 0; k < CP_IMPACT_N_KINDS; k++)
        {
          json_builder_set_member_name (builder, impact_keys[k]);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "count");
          json_builder_add_int_value (builder, impact->counts[k]);
          json_builder_set_member_name (builder, "examples");
          json_builder_begin_array (builder);
          for (guint i = 0; i < impact->examples[k]->len; i++)
            json_builder_add_string_value (builder, impact->examples[k]->pdata[i]);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
      cp_cli_print_json (builder);
      return;
    }

  printf (ngettext ("Of %u lead:\n", "Of %u leads:\n", impact->leads), impact->leads);
  for (guint k = 0; k < CP_IMPACT_N_KINDS; k++)
    {
      printf ("  %7u %s", impact->counts[k], impact_label (k));
      for (guint i = 0; i < impact->examples[k]->len && i < 3; i++)
        printf ("%s%s", i == 0 ? _(" (e.g. ") : ", ", (const char *) impact->examples[k]->pdata[i]);
      printf ("%s\n", impact->examples[k]->len > 0 ? ")" : "");
    }
}

/* The draft's impact against the version in effect. */
static CpPlaybookImpact *
draft_impact (CpDatabase  *database,
              CpPlaybook  *draft,
              GError     **error)
{
  g_autoptr(CpPlaybook) current = load_playbook (database, 0, error);

  if (current == NULL)
    return NULL;
  return cp_rescore_impact (database, current, draft, now_seconds (), NULL, NULL, NULL, error);
}

static int
playbook_impact (CpCliContext *ctx,
                 gboolean      json)
{
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpPlaybook) draft = NULL;
  g_autoptr(CpPlaybookImpact) impact = NULL;
  g_autoptr(GError) error = NULL;

  database = cp_cli_open_database (ctx, TRUE, &error);
  if (database == NULL || (draft = load_named_playbook (database, "draft", &error)) == NULL ||
      (impact = draft_impact (database, draft, &error)) == NULL)
    return cp_cli_failure (error);
  print_impact (impact, json);
  return CP_CLI_EXIT_OK;
}

static char *
cli_author (void)
{
  return g_strdup_printf ("cli:%s", g_get_user_name ());
}

static int
playbook_import (CpCliContext *ctx,
                 const char   *file,
                 const char   *reason,
                 gint64        effective_at,
                 gboolean      no_rescore)
{
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpPlaybook) playbook = NULL;
  g_autoptr(CpPlaybookVersion) current = NULL;
  g_autoptr(CpPlaybook) active = NULL;
  g_autoptr(CpPlaybookImpact) impact = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *author = cli_author ();

  /* An invalid file is refused with the path of the problem in it. */
  playbook = cp_playbook_format_load_file (file, &error);
  if (playbook == NULL)
    return cp_cli_failure (error);
  database = cp_cli_open_database (ctx, FALSE, &error);
  if (database == NULL)
    return cp_cli_failure (error);

  if (reason != NULL)
    {
      /* Import and publish in one step. */
      gint64 id = cp_playbook_store_publish (database, playbook, author, reason, effective_at,
                                             now_seconds (), &error);
      if (id <= 0)
        return cp_cli_failure (error);
      return published (database, id, effective_at, no_rescore);
    }

  active = cp_playbook_store_load_active (database, now_seconds (), &current, &error);
  if (active == NULL ||
      !cp_playbook_store_save_draft (database, playbook, current->id, author, now_seconds (),
                                     &error) ||
      (impact = cp_rescore_impact (database, active, playbook, now_seconds (), NULL, NULL, NULL,
                                   &error)) == NULL)
    return cp_cli_failure (error);
  printf ("%s\n", _("Saved as the playbook draft. If it were published now:"));
  print_impact (impact, FALSE);
  printf ("%s\n", _("Publish it with “carepath-cli playbook publish --reason TEXT”."));
  return CP_CLI_EXIT_OK;
}

static int
playbook_publish (CpCliContext *ctx,
                  const char   *revert_to,
                  const char   *reason,
                  gint64        effective_at,
                  gboolean      no_rescore)
{
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *author = cli_author ();
  gint64 id;

  database = cp_cli_open_database (ctx, TRUE, &error);
  if (database == NULL)
    return cp_cli_failure (error);
  if (revert_to != NULL)
    {
      /* Reverting publishes the old version again, as a new version. */
      g_autoptr(CpPlaybook) old = load_named_playbook (database, revert_to, &error);

      if (old == NULL)
        return cp_cli_failure (error);
      id = cp_playbook_store_publish (database, old, author, reason, effective_at, now_seconds (),
                                      &error);
    }
  else
    id = cp_playbook_store_publish_draft (database, author, reason, effective_at, now_seconds (),
                                          &error);
  if (id <= 0)
    return cp_cli_failure (error);
  return published (database, id, effective_at, no_rescore);
}

static int
playbook_discard (CpCliContext *ctx)
{
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(GError) error = NULL;

  database = cp_cli_open_database (ctx, TRUE, &error);
  if (database == NULL || !cp_playbook_store_discard_draft (database, &error))
    return cp_cli_failure (error);
  printf ("%s\n", _("The playbook draft was discarded."));
  return CP_CLI_EXIT_OK;
}

/* A subcommand given the wrong arguments is told the ones it takes, not
 * called unknown. */
static int
playbook_usage_error (const char *sub)
{
  static const char * const usages[] = {
    "versions", "show [V|draft]", "export FILE [V|draft]", "diff V1 V2", "import FILE",
    "impact [--json]", "publish --reason TEXT", "revert V --reason TEXT", "discard",
  };

  for (guint i = 0; i < G_N_ELEMENTS (usages); i++)
    {
      gsize length = strcspn (usages[i], " ");

      if (strlen (sub) == length && strncmp (usages[i], sub, length) == 0)
        return cp_cli_usage_error ("playbook", _("%s takes: playbook %s"), sub, usages[i]);
    }
  return cp_cli_usage_error ("playbook", _("unknown playbook command “%s”"), sub);
}

static int
cp_cli_playbook (CpCliContext *ctx,
                 int           argc,
                 char        **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *effective = NULL;
  gboolean json = FALSE;
  gboolean no_rescore = FALSE;
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Why the playbook changes (publish, revert)"), "TEXT" },
    { "effective", 0, 0, G_OPTION_ARG_STRING, &effective, N_("When it takes effect"), "DATE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON (impact)"), NULL },
    { "no-rescore", 0, 0, G_OPTION_ARG_NONE, &no_rescore,
      N_("Publish without rescoring the leads (publish, revert, import --reason)"), NULL },
    { NULL }
  };
  const char *sub;
  int status = 0;
  gint64 effective_at = 0;

  if (!cp_cli_parse_options ("playbook",
                             "versions|show [V|draft]|export FILE [V|draft]|diff V1 V2|"
                             "import FILE|impact|publish --reason TEXT [--no-rescore]|"
                             "revert V --reason TEXT|discard",
                             entries, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return cp_cli_usage_error ("playbook", _("give versions, show, export, diff, import, impact, "
                                             "publish, revert or discard"));
  sub = argv[1];
  if (reason != NULL && *g_strstrip (reason) == '\0')
    return cp_cli_usage_error ("playbook", _("--reason is empty: say why the playbook changes"));
  if (effective != NULL && !cp_datetime_parse_iso8601 (effective, &effective_at, &error))
    return cp_cli_usage_error ("playbook", "%s", error->message);

  if (g_str_equal (sub, "versions") && argc == 2)
    return playbook_versions (ctx);
  if (g_str_equal (sub, "show") && argc <= 3)
    return playbook_show (ctx, argc == 3 ? argv[2] : NULL, NULL);
  if (g_str_equal (sub, "export") && (argc == 3 || argc == 4))
    return playbook_show (ctx, argc == 4 ? argv[3] : NULL, argv[2]);
  if (g_str_equal (sub, "diff") && argc == 4)
    return playbook_diff (ctx, argv[2], argv[3]);
  if (g_str_equal (sub, "import") && argc == 3)
    return playbook_import (ctx, argv[2], reason, effective_at, no_rescore);
  if (g_str_equal (sub, "impact") && argc == 2)
    return playbook_impact (ctx, json);
  if ((g_str_equal (sub, "publish") && argc == 2) || (g_str_equal (sub, "revert") && argc == 3))
    {
      if (reason == NULL)
        return cp_cli_usage_error ("playbook",
                                   _("%s needs --reason: say why the playbook changes"), sub);
      return playbook_publish (ctx, argc == 3 ? argv[2] : NULL, reason, effective_at,
                               no_rescore);
    }
  if (g_str_equal (sub, "discard") && argc == 2)
    return playbook_discard (ctx);

  return playbook_usage_error (sub);
}

const CpCliCommand cp_cli_playbook_commands[] = {
  { "explain", N_("ID [--json] [--as-of VERSION]"), N_("Explain a lead’s score rule by rule"),
    cp_cli_explain },
  { "check-move", N_("ID STAGE"), N_("Ask the playbook whether a lead may move"),
    cp_cli_check_move },
  { "route", N_("ID"), N_("Show the queue and owner the playbook routes a lead to"), cp_cli_route },
  { "score", N_("--all"), N_("Rescore every lead with the playbook in effect"), cp_cli_score },
  { "playbook", N_("versions|show|export|diff|import|impact|publish|revert|discard"),
    N_("Playbook versions, the draft, its impact, publishing"), cp_cli_playbook },
  { NULL, NULL, NULL, NULL }
};
