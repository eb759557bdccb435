/* cp-cli-playbook.c — carepath-cli commands over the playbook: explain, check-move, score, versions
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

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

static gboolean
parse (const char    *command,
       const char    *parameters,
       GOptionEntry  *entries,
       int           *argc,
       char        ***argv,
       int           *status)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = cp_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }

  return TRUE;
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
    { "as-of", 0, 0, G_OPTION_ARG_INT64, &as_of, N_("Explain with this playbook version"), "VERSION" },
    { NULL }
  };
  int status = 0;

  if (!parse ("explain", "ID", entries, &argc, &argv, &status))
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
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

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
      root = json_builder_get_root (builder);
      json_generator_set_pretty (generator, TRUE);
      json_generator_set_root (generator, root);
      text = json_generator_to_data (generator, NULL);
      printf ("%s\n", text);
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

  if (!parse ("check-move", "ID STAGE", entries, &argc, &argv, &status))
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

  if (!parse ("route", "ID", entries, &argc, &argv, &status))
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

static int
cp_cli_score (CpCliContext *ctx,
              int           argc,
              char        **argv)
{
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpPlaybook) playbook = NULL;
  g_autoptr(CpPlaybookVersion) version = NULL;
  g_autoptr(GError) error = NULL;
  CpRescoreStats stats = { 0 };
  gboolean all = FALSE;
  GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Rescore every lead and save the scores"), NULL },
    { NULL }
  };
  int status = 0;
  gint64 start;

  if (!parse ("score", "--all", entries, &argc, &argv, &status))
    return status;
  if (!all || argc > 1)
    return cp_cli_usage_error ("score", _("use “score --all” (one lead: “explain ID”)"));

  database = cp_cli_open_database (ctx, TRUE, &error);
  if (database == NULL)
    return cp_cli_failure (error);
  playbook = cp_playbook_store_load_active (database, now_seconds (), &version, &error);
  if (playbook == NULL)
    return cp_cli_failure (error);

  start = g_get_monotonic_time ();
  if (!cp_rescore_run (database, playbook, version != NULL ? version->id : 0, now_seconds (),
                       "cli", NULL, NULL, NULL, &stats, &error))
    return cp_cli_failure (error);

  printf (_("Scored %u leads in %.1f s: %u changed, %u changed tier.\n"), stats.leads,
          (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, stats.changed,
          stats.tier_changes);
  return CP_CLI_EXIT_OK;
}

static int
cp_cli_playbook (CpCliContext *ctx,
                 int           argc,
                 char        **argv)
{
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *effective = NULL;
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why (import: required)"), "TEXT" },
    { "effective", 0, 0, G_OPTION_ARG_STRING, &effective, N_("When it takes effect (import)"), "DATE" },
    { NULL }
  };
  int status = 0;

  if (!parse ("playbook", "versions|show|diff V1 V2|export FILE|import FILE --reason TEXT", entries,
              &argc, &argv, &status))
    return status;
  if (argc < 2)
    return cp_cli_usage_error ("playbook", _("give versions, show, export FILE or import FILE"));

  if (g_str_equal (argv[1], "versions") && argc == 2)
    {
      g_autoptr(GPtrArray) versions = NULL;

      database = cp_cli_open_database (ctx, TRUE, &error);
      if (database == NULL || (versions = cp_playbook_store_list (database, &error)) == NULL)
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
      return CP_CLI_EXIT_OK;
    }

  if ((g_str_equal (argv[1], "show") && argc == 2) || (g_str_equal (argv[1], "export") && argc == 3))
    {
      g_autoptr(CpPlaybook) playbook = NULL;

      database = cp_cli_open_database (ctx, TRUE, &error);
      if (database == NULL || (playbook = load_playbook (database, 0, &error)) == NULL)
        return cp_cli_failure (error);
      if (argc == 2)
        {
          g_autofree char *text = cp_playbook_format_serialize (playbook);
          printf ("%s\n", text);
        }
      else if (!cp_playbook_format_save_file (playbook, argv[2], &error))
        return cp_cli_failure (error);
      return CP_CLI_EXIT_OK;
    }

  if (g_str_equal (argv[1], "diff") && argc == 4)
    {
      g_autoptr(GPtrArray) changes = NULL;
      gint64 from = 0;
      gint64 to = 0;

      if (!g_ascii_string_to_signed (argv[2], 10, 0, G_MAXINT64, &from, NULL) ||
          !g_ascii_string_to_signed (argv[3], 10, 0, G_MAXINT64, &to, NULL))
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

  if (g_str_equal (argv[1], "import") && argc == 3)
    {
      g_autoptr(CpPlaybook) playbook = NULL;
      g_autofree char *author = g_strdup_printf ("cli:%s", g_get_user_name ());
      gint64 effective_at = 0;
      gint64 id;

      if (reason == NULL || *g_strstrip (reason) == '\0')
        return cp_cli_usage_error ("playbook", _("import needs --reason: say why the playbook changes"));
      if (effective != NULL && !cp_datetime_parse_iso8601 (effective, &effective_at, &error))
        return cp_cli_usage_error ("playbook", "%s", error->message);

      /* An invalid file is refused with the path of the problem in it. */
      playbook = cp_playbook_format_load_file (argv[2], &error);
      if (playbook == NULL)
        return cp_cli_failure (error);
      database = cp_database_open (ctx->db_path, &error);
      if (database == NULL)
        return cp_cli_failure (error);
      id = cp_playbook_store_publish (database, playbook, author, reason, effective_at,
                                      now_seconds (), &error);
      if (id <= 0)
        return cp_cli_failure (error);
      printf (_("Published as version %" G_GINT64_FORMAT ".\n"), id);
      return CP_CLI_EXIT_OK;
    }

  return cp_cli_usage_error ("playbook", _("unknown playbook command “%s”"), argv[1]);
}

const CpCliCommand cp_cli_playbook_commands[] = {
  { "explain", N_("ID [--json] [--as-of VERSION]"), N_("Explain a lead’s score rule by rule"), cp_cli_explain },
  { "check-move", N_("ID STAGE"), N_("Ask the playbook whether a lead may move"), cp_cli_check_move },
  { "route", N_("ID"), N_("Show the queue and owner the playbook routes a lead to"), cp_cli_route },
  { "score", N_("--all"), N_("Rescore every lead with the playbook in effect"), cp_cli_score },
  { "playbook", N_("versions|show|diff V1 V2|export FILE|import FILE --reason TEXT"), N_("Published playbook versions"), cp_cli_playbook },
  { NULL, NULL, NULL, NULL }
};
