/* cp-cli-sync.c — carepath-cli sync: run a CRM sync, show its status, conflicts and rejects
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <unistd.h>

#include "cp-cli-commands.h"
#include "cp-crm-backend.h"
#include "cp-crm-registry.h"
#include "cp-sync-engine.h"
#include "cp-sync-secret.h"

typedef struct
{
  char     *backend;
  char     *url;
  gboolean  json;
  gboolean  check;
  gboolean  create_property;
  char     *dismiss;
} SyncOptions;

static void
sync_options_clear (SyncOptions *options)
{
  g_clear_pointer (&options->backend, g_free);
  g_clear_pointer (&options->url, g_free);
  g_clear_pointer (&options->dismiss, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SyncOptions, sync_options_clear)

/* The account chosen in Preferences, when the schema is installed. */
static void
fill_from_settings (SyncOptions *options)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source != NULL
                                      ? g_settings_schema_source_lookup (source, APP_ID, TRUE)
                                      : NULL;
  g_autoptr(GSettings) settings = NULL;

  if (schema == NULL || !g_settings_schema_has_key (schema, "sync-backend"))
    return;
  settings = g_settings_new (APP_ID);
  if (options->backend == NULL)
    {
      g_autofree char *backend = g_settings_get_string (settings, "sync-backend");
      if (g_strcmp0 (backend, "none") != 0)
        options->backend = g_steal_pointer (&backend);
    }
  if (options->url == NULL)
    {
      g_autofree char *url = g_settings_get_string (settings, "sync-base-url");
      if (url != NULL && *url != '\0')
        options->url = g_steal_pointer (&url);
    }
}

static gboolean
parse_options (const char   *command,
               SyncOptions  *options,
               int          *argc,
               char       ***argv,
               int          *status)
{
  GOptionEntry entries[] = {
    { "backend", 0, 0, G_OPTION_ARG_STRING, &options->backend, N_("hubspot or espocrm"), "NAME" },
    { "url", 0, 0, G_OPTION_ARG_STRING, &options->url, N_("The CRM’s base URL"), "URL" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json, N_("Print JSON"), NULL },
    { "check", 0, 0, G_OPTION_ARG_NONE, &options->check,
      N_("Check that the CRM holds what sync needs, without syncing"), NULL },
    { "create-property", 0, 0, G_OPTION_ARG_NONE, &options->create_property,
      N_("With --check: create what is missing (HubSpot: the carepath_id property)"), NULL },
    { "dismiss", 0, 0, G_OPTION_ARG_STRING, &options->dismiss,
      N_("With rejects: stop retrying the CRM record ID (it stays in the database)"), "ID" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = cp_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }
  if (options->create_property && !options->check)
    {
      *status = cp_cli_usage_error (command, _("--create-property goes with --check"));
      return FALSE;
    }
  fill_from_settings (options);
  if (options->backend == NULL)
    options->backend = g_strdup ("hubspot");
  if (g_strcmp0 (options->backend, "hubspot") != 0 && g_strcmp0 (options->backend, "espocrm") != 0)
    {
      *status = cp_cli_usage_error (command, _("unknown backend “%s” (hubspot or espocrm)"),
                                    options->backend);
      return FALSE;
    }
  return TRUE;
}

static CpSyncStore *
open_sync_store (CpCliContext  *ctx,
                 SyncOptions   *options,
                 GError       **error)
{
  g_autoptr(CpDatabase) database = cp_cli_open_database (ctx, TRUE, error);
  g_autoptr(CpLeadStore) leads = NULL;

  if (database == NULL)
    return NULL;
  leads = cp_lead_store_new (database);
  return cp_sync_store_new (leads, options->backend);
}

static void
progress_cb (CpSyncEngine *engine,
             const char   *phase,
             guint         done,
             gpointer      user_data)
{
  if (isatty (fileno (stderr)))
    fprintf (stderr, "\r%s: %u", g_str_equal (phase, "pull") ? _("Pulled") : _("Pushed"), done);
}

static CpCrmBackend *
connect_backend (SyncOptions  *options,
                 GError      **error)
{
  g_autofree char *token = cp_sync_token_for (options->backend, options->url, error);

  if (token == NULL)
    return NULL;
  return cp_crm_backend_new_for_name (options->backend, options->url, token, error);
}

static int
run_sync (CpCliContext *ctx,
          SyncOptions  *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpCrmBackend) backend = NULL;
  g_autoptr(CpSyncEngine) engine = NULL;
  CpSyncStats stats = { 0 };
  gboolean ok;

  /* Creates and migrates the database before the engine opens its own connection. */
  database = cp_cli_open_database (ctx, FALSE, &error);
  if (database == NULL)
    return cp_cli_failure (error);
  backend = connect_backend (options, &error);
  if (backend == NULL)
    return cp_cli_failure (error);

  engine = cp_sync_engine_new (cp_database_get_path (database), backend);
  g_signal_connect (engine, "progress", G_CALLBACK (progress_cb), NULL);
  ok = cp_sync_engine_run (engine, &stats, NULL, &error);
  if (isatty (fileno (stderr)))
    fputc ('\n', stderr);

  printf (_("Pulled: %u\n"), stats.pulled);
  printf (_("Pushed: %u\n"), stats.pushed);
  printf (_("Deleted remotely: %u\n"), stats.deleted);
  printf (_("Conflicts: %u\n"), stats.conflicts);
  printf (_("Errors: %u\n"), stats.errors);
  printf (_("Not applied, kept to retry: %u\n"), stats.quarantined);
  printf (_("Applied after being kept: %u\n"), stats.recovered);
  if (stats.pull_failed)
    printf ("%s\n", _("Receiving changes from the CRM failed."));
  if (stats.push_failed)
    printf ("%s\n", _("Sending changes to the CRM failed."));
  if (stats.quarantined > 0)
    printf ("%s\n", _("See them with “carepath-cli sync rejects”."));
  fflush (stdout);
  if (!ok)
    return cp_cli_failure (error);
  return CP_CLI_EXIT_OK;
}

/* sync --check [--create-property]: what the CRM lacks, in words; exit 1
 * while something is missing. */
static int
check_setup (SyncOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpCrmBackend) backend = connect_backend (options, &error);
  g_autoptr(CpCrmSetup) setup = NULL;

  if (backend == NULL)
    return cp_cli_failure (error);
  setup = cp_crm_backend_check_setup (backend, options->create_property, NULL, &error);
  if (setup == NULL)
    return cp_cli_failure (error);

  for (guint i = 0; i < setup->created->len; i++)
    printf ("%s\n", (char *) setup->created->pdata[i]);
  for (guint i = 0; i < setup->missing->len; i++)
    printf (_("Missing: %s\n"), (char *) setup->missing->pdata[i]);
  if (cp_crm_setup_is_ready (setup))
    {
      printf (_("The CRM is ready for sync.\n"));
      return CP_CLI_EXIT_OK;
    }
  if (!options->create_property)
    printf (_("Run “carepath-cli sync --check --create-property” to create it.\n"));
  return CP_CLI_EXIT_FAILURE;
}

static char *
format_time (gint64 when)
{
  g_autoptr(GDateTime) time = NULL;

  if (when == 0)
    return g_strdup (_("never"));
  time = g_date_time_new_from_unix_utc (when);
  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S UTC");
}

static int
show_status (CpCliContext *ctx,
             SyncOptions  *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpSyncStore) store = open_sync_store (ctx, options, &error);
  g_autoptr(CpSyncStatus) status = NULL;
  g_autofree char *last_success = NULL;
  g_autoptr(GList) streams = NULL;

  if (store == NULL)
    return cp_cli_failure (error);
  status = cp_sync_store_get_status (store, &error);
  if (status == NULL)
    return cp_cli_failure (error);

  last_success = format_time (status->last_success_at);
  printf (_("Backend: %s\n"), options->backend);
  printf (_("Pending local changes: %u\n"), status->pending);
  printf (_("Open conflicts: %u\n"), status->conflicts);
  printf (_("Records waiting to be applied: %u\n"), status->rejects);
  printf (_("Changes the CRM refused: %u\n"), status->push_failures);
  if (status->push_failures > 0)
    {
      g_autoptr(GPtrArray) failures = cp_sync_store_list_push_failures (store, &error);

      if (failures == NULL)
        return cp_cli_failure (error);
      for (guint i = 0; i < failures->len; i++)
        {
          CpSyncFailure *f = failures->pdata[i];

          /* Translators: a lead's name, its id, the CRM's message, the number of attempts */
          printf (ngettext ("  %s (%s): %s (%u attempt)\n", "  %s (%s): %s (%u attempts)\n",
                            f->attempts),
                  f->display_name, f->lead_id, f->message != NULL ? f->message : "", f->attempts);
        }
    }
  printf (_("Last successful sync: %s\n"), last_success);
  if (status->last_error != NULL)
    {
      printf (_("Last error: %s\n"), status->last_error);
      if (status->last_correlation_id != NULL)
        printf (_("Correlation id: %s\n"), status->last_correlation_id);
    }
  streams = g_list_sort (g_hash_table_get_keys (status->cursors), (GCompareFunc) g_strcmp0);
  for (GList *l = streams; l != NULL; l = l->next)
    printf (_("Cursor %s: %s\n"), (char *) l->data,
            (char *) g_hash_table_lookup (status->cursors, l->data));
  return CP_CLI_EXIT_OK;
}

static int
list_conflicts (CpCliContext *ctx,
                SyncOptions  *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpSyncStore) store = open_sync_store (ctx, options, &error);
  g_autoptr(GPtrArray) conflicts = NULL;

  if (store == NULL)
    return cp_cli_failure (error);
  conflicts = cp_sync_store_list_conflicts (store, &error);
  if (conflicts == NULL)
    return cp_cli_failure (error);

  if (options->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < conflicts->len; i++)
        {
          CpSyncConflict *c = conflicts->pdata[i];

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, c->id);
          cp_cli_json_add_string (builder, "lead_id", c->lead_id);
          cp_cli_json_add_string (builder, "name", c->display_name);
          cp_cli_json_add_string (builder, "field", c->field);
          cp_cli_json_add_string (builder, "base", c->base_value);
          cp_cli_json_add_string (builder, "mine", c->local_value);
          cp_cli_json_add_string (builder, "theirs", c->remote_value);
          json_builder_set_member_name (builder, "created_at");
          json_builder_add_int_value (builder, c->created_at);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      printf ("%s\n", text);
      return CP_CLI_EXIT_OK;
    }

  if (conflicts->len == 0)
    printf ("%s\n", _("No open conflicts."));
  for (guint i = 0; i < conflicts->len; i++)
    {
      CpSyncConflict *c = conflicts->pdata[i];

      printf ("%" G_GINT64_FORMAT "\t%s\t%s\t%s: %s\t%s: %s\n", c->id, c->display_name, c->field,
              _("mine"), c->local_value ? c->local_value : "", _("theirs"),
              c->remote_value ? c->remote_value : "");
    }
  return CP_CLI_EXIT_OK;
}

static char *
format_local_time (gint64 when)
{
  g_autoptr(GDateTime) time = NULL;

  if (when == 0)
    return g_strdup (_("never"));
  time = g_date_time_new_from_unix_local (when);
  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S %Z");
}

/* The kept record as JSON: its properties as the CRM sent them. */
static void
add_payload (JsonBuilder *builder,
             const char  *payload)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  json_builder_set_member_name (builder, "payload");
  if (payload != NULL && json_parser_load_from_data (parser, payload, -1, NULL) &&
      json_parser_get_root (parser) != NULL)
    json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
  else
    json_builder_add_null_value (builder);
}

static int
print_rejects_json (GPtrArray *rejects)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < rejects->len; i++)
    {
      CpSyncReject *r = rejects->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, r->id);
      cp_cli_json_add_string (builder, "backend", r->backend);
      cp_cli_json_add_string (builder, "entity", r->entity);
      cp_cli_json_add_string (builder, "remote_id", r->remote_id);
      cp_cli_json_add_string (builder, "remote_updated_at", r->remote_updated_at);
      cp_cli_json_add_string (builder, "reason", r->reason);
      json_builder_set_member_name (builder, "attempts");
      json_builder_add_int_value (builder, r->attempts);
      json_builder_set_member_name (builder, "first_seen_at");
      json_builder_add_int_value (builder, r->first_seen_at);
      json_builder_set_member_name (builder, "last_tried_at");
      json_builder_add_int_value (builder, r->last_tried_at);
      add_payload (builder, r->payload);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
  return CP_CLI_EXIT_OK;
}

/* sync rejects [--json]: the CRM records not applied, why, and since when. */
static int
list_rejects (CpCliContext *ctx,
              SyncOptions  *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpSyncStore) store = open_sync_store (ctx, options, &error);
  g_autoptr(GPtrArray) rejects = NULL;

  if (store == NULL)
    return cp_cli_failure (error);
  rejects = cp_sync_store_list_rejects (store, FALSE, &error);
  if (rejects == NULL)
    return cp_cli_failure (error);
  if (options->json)
    return print_rejects_json (rejects);

  if (rejects->len == 0)
    {
      printf ("%s\n", _("No records waiting to be applied."));
      return CP_CLI_EXIT_OK;
    }
  for (guint i = 0; i < rejects->len; i++)
    {
      CpSyncReject *r = rejects->pdata[i];
      g_autofree char *first_seen = format_local_time (r->first_seen_at);
      g_autofree char *last_tried = format_local_time (r->last_tried_at);

      if (i > 0)
        printf ("\n");
      if (g_strcmp0 (r->entity, CP_SYNC_ENTITY_CONTACT) == 0)
        printf (_("Record %" G_GINT64_FORMAT " — CRM id %s\n"), r->id, r->remote_id);
      else
        /* TRANSLATORS: the second %s is the CRM's engagement type, e.g. "calls" or "Meeting" */
        printf (_("Record %" G_GINT64_FORMAT " — CRM engagement %s %s\n"), r->id, r->entity,
                r->remote_id);
      printf (_("  Reason: %s\n"), r->reason);
      printf (_("  Attempts: %u\n"), r->attempts);
      printf (_("  First seen: %s\n"), first_seen);
      printf (_("  Last tried: %s\n"), last_tried);
    }
  printf ("\n%s\n", _("Every sync tries them again. To stop retrying one: "
                      "carepath-cli sync rejects --dismiss ID"));
  return CP_CLI_EXIT_OK;
}

static int
dismiss_reject (CpCliContext *ctx,
                SyncOptions  *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpSyncStore) store = NULL;
  gint64 id;
  char *end = NULL;

  id = g_ascii_strtoll (options->dismiss, &end, 10);
  if (end == options->dismiss || *end != '\0' || id <= 0)
    return cp_cli_usage_error ("sync", _("“%s” is not a record id (see “sync rejects”)"),
                               options->dismiss);
  store = open_sync_store (ctx, options, &error);
  if (store == NULL ||
      !cp_sync_store_dismiss_reject (store, id, g_get_real_time () / G_USEC_PER_SEC, &error))
    return cp_cli_failure (error);
  printf (_("Record %" G_GINT64_FORMAT " dismissed: it is no longer retried, unless the CRM "
            "sends a newer version of it.\n"), id);
  return CP_CLI_EXIT_OK;
}

static int
resolve_conflict (CpCliContext *ctx,
                  SyncOptions  *options,
                  int           argc,
                  char        **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpSyncStore) store = NULL;
  CpSyncResolution resolution;
  gint64 id;
  char *end = NULL;

  if (argc != 4 && !(argc == 5 && g_str_equal (argv[3], "edit")))
    return cp_cli_usage_error ("sync", _("resolve needs a conflict id and “mine”, “theirs” or "
                                         "“edit VALUE”"));
  id = g_ascii_strtoll (argv[2], &end, 10);
  if (end == argv[2] || *end != '\0' || id <= 0)
    return cp_cli_usage_error ("sync", _("“%s” is not a conflict id"), argv[2]);
  if (g_str_equal (argv[3], "mine"))
    resolution = CP_SYNC_KEEP_MINE;
  else if (g_str_equal (argv[3], "theirs"))
    resolution = CP_SYNC_KEEP_THEIRS;
  else if (g_str_equal (argv[3], "edit") && argc == 5)
    resolution = CP_SYNC_KEEP_EDITED;
  else
    return cp_cli_usage_error ("sync", _("choose “mine”, “theirs” or “edit VALUE”, not “%s”"),
                               argv[3]);

  store = open_sync_store (ctx, options, &error);
  if (store == NULL ||
      !(resolution == CP_SYNC_KEEP_EDITED
        ? cp_sync_store_resolve_conflict_with_value (store, id, argv[4], g_get_user_name (), &error)
        : cp_sync_store_resolve_conflict (store, id, resolution, &error)))
    return cp_cli_failure (error);
  printf (_("Conflict %" G_GINT64_FORMAT " resolved.\n"), id);
  return CP_CLI_EXIT_OK;
}

static int
cp_cli_sync (CpCliContext  *ctx,
             int            argc,
             char         **argv)
{
  g_auto(SyncOptions) options = { NULL };
  const char *action;
  int status = CP_CLI_EXIT_OK;

  if (!parse_options ("sync", &options, &argc, &argv, &status))
    return status;

  action = argc > 1 ? argv[1] : NULL;
  if (options.check)
    return action == NULL
               ? check_setup (&options)
               : cp_cli_usage_error ("sync", _("--check runs on its own, without “%s”"), action);
  if (options.dismiss != NULL && g_strcmp0 (action, "rejects") != 0)
    return cp_cli_usage_error ("sync", _("--dismiss goes with “rejects”"));
  if (action == NULL)
    return run_sync (ctx, &options);
  if (g_str_equal (action, "status") && argc == 2)
    return show_status (ctx, &options);
  if (g_str_equal (action, "conflicts") && argc == 2)
    return list_conflicts (ctx, &options);
  if (g_str_equal (action, "rejects") && argc == 2)
    return options.dismiss != NULL ? dismiss_reject (ctx, &options) : list_rejects (ctx, &options);
  if (g_str_equal (action, "resolve"))
    return resolve_conflict (ctx, &options, argc, argv);

  return cp_cli_usage_error ("sync", _("unknown sync action “%s”"), action);
}

const CpCliCommand cp_cli_sync_commands[] = {
  { "sync", N_("[status | conflicts [--json] | resolve ID mine|theirs|edit VALUE | "
               "rejects [--json | --dismiss ID] | --check [--create-property]] "
               "[--backend hubspot|espocrm] [--url URL]"),
    N_("Sync with the CRM (token from the keyring or CAREPATH_CRM_TOKEN)"), cp_cli_sync },
  { NULL, NULL, NULL, NULL }
};
