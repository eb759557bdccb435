/* cp-cli-data.c — carepath-cli commands over the lead store
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
#include "cp-demo-writer.h"
#include "cp-lead-format.h"
#include "cp-lead-store.h"
#include "cp-lifecycle.h"
#include "cp-lifecycle-check.h"

typedef struct
{
  CpDatabase  *database;
  CpLeadStore *store;
} Session;

static void
session_clear (Session *session)
{
  g_clear_object (&session->store);
  g_clear_object (&session->database);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Session, session_clear)

static gboolean
session_open (Session       *session,
              CpCliContext  *ctx,
              gboolean       must_exist,
              GError       **error)
{
  session->store = cp_cli_open_store (ctx, must_exist, error);
  if (session->store == NULL)
    return FALSE;
  session->database = g_object_ref (cp_lead_store_get_database (session->store));
  return TRUE;
}

static JsonNode *
lead_to_json (CpLead *lead)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GHashTable *custom = cp_lead_get_custom_fields (lead);

  json_builder_begin_object (builder);
  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    {
      const CpFieldInfo *info = cp_lead_field_info (i);

      json_builder_set_member_name (builder, info->name);
      switch (info->type)
        {
        case CP_FIELD_TYPE_TEXT:
        case CP_FIELD_TYPE_CHOICE:
          if (cp_lead_get_text (lead, i) != NULL)
            json_builder_add_string_value (builder, cp_lead_get_text (lead, i));
          else
            json_builder_add_null_value (builder);
          break;
        case CP_FIELD_TYPE_INT:
          json_builder_add_int_value (builder, cp_lead_get_int (lead, i));
          break;
        case CP_FIELD_TYPE_BOOL:
          json_builder_add_boolean_value (builder, cp_lead_get_int (lead, i) != 0);
          break;
        case CP_FIELD_TYPE_DATETIME:
          {
            g_autofree char *text = cp_lead_dup_field_string (lead, i);
            if (text != NULL)
              json_builder_add_string_value (builder, text);
            else
              json_builder_add_null_value (builder);
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }

  json_builder_set_member_name (builder, "custom_fields");
  json_builder_begin_object (builder);
  if (custom != NULL)
    {
      g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (custom), (GCompareFunc) strcmp);

      for (GList *l = keys; l != NULL; l = l->next)
        {
          json_builder_set_member_name (builder, l->data);
          json_builder_add_string_value (builder, g_hash_table_lookup (custom, l->data));
        }
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Applies field=value arguments (custom.KEY=value for custom fields),
 * trimmed as the lead window trims what is typed: a blank value clears
 * the field. What no command may write — the fields the playbook computes, and the
 * stage outside a move — is a usage error, in the store's own words. */
static gboolean
apply_assignments (CpLead      *lead,
                   const char  *command,
                   gboolean     updating,
                   int          argc,
                   char       **argv,
                   int         *status)
{
  for (int i = 0; i < argc; i++)
    {
      const char *eq = strchr (argv[i], '=');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      g_autoptr(GError) error = NULL;
      CpLeadField field;

      if (eq == NULL || eq == argv[i])
        {
          *status =
              cp_cli_usage_error (command, _("“%s” is not of the form field=value"), argv[i]);
          return FALSE;
        }
      name = g_strndup (argv[i], eq - argv[i]);
      value = g_strstrip (g_strdup (eq + 1));
      if (*value == '\0')
        g_clear_pointer (&value, g_free);

      if (g_str_has_prefix (name, "custom."))
        {
          cp_lead_set_custom (lead, name + strlen ("custom."), value);
          continue;
        }
      if (!cp_lead_field_from_name (name, &field))
        {
          *status = cp_cli_usage_error (command, _("unknown field “%s”"), name);
          return FALSE;
        }
      if (field == CP_LEAD_FIELD_ID || (updating && field == CP_LEAD_FIELD_CREATED_AT))
        {
          *status = cp_cli_usage_error (command, _("the field “%s” is set by Carepath"), name);
          return FALSE;
        }
      if (cp_lead_field_is_computed (field))
        {
          cp_lifecycle_refuse_computed (field, &error);
          *status = cp_cli_usage_error (command, "%s", error->message);
          return FALSE;
        }
      if (updating && field == CP_LEAD_FIELD_STAGE)
        {
          *status = cp_cli_usage_error (command, _("the stage changes only with a move: "
                                                   "carepath-cli move ID STAGE --reason TEXT"));
          return FALSE;
        }
      if (!cp_lead_set_field_from_string (lead, field, value, &error))
        {
          *status = cp_cli_failure (error);
          return FALSE;
        }
    }

  return TRUE;
}

static void
print_lead_line (CpLead *lead)
{
  g_autofree char *name = cp_lead_dup_display_name (lead);

  printf ("%s  ", cp_lead_get_id (lead));
  cp_cli_print_padded (name, 28);
  printf ("  %-18s  %4" G_GINT64_FORMAT "  %s\n", cp_lead_get_stage (lead),
          cp_lead_get_int (lead, CP_LEAD_FIELD_SCORE),
          cp_lead_get_text (lead, CP_LEAD_FIELD_OWNER) ?: "—");
}

static int
print_leads (GPtrArray *leads,
             gboolean   json)
{
  if (json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < leads->len; i++)
        json_array_add_element (array, lead_to_json (leads->pdata[i]));
      json_node_set_array (root, array);
      cp_cli_print_json_node (root);
    }
  else
    {
      for (guint i = 0; i < leads->len; i++)
        print_lead_line (leads->pdata[i]);
    }

  return CP_CLI_EXIT_OK;
}

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  if (*(gboolean *) user_data)
    fprintf (stderr, "\r%u / %u", done, total);
}

static int
cp_cli_generate (CpCliContext *ctx,
                 int           argc,
                 char        **argv)
{
  g_auto(Session) session = { NULL };
  g_autoptr(GError) error = NULL;
  gint64 n_leads = -1;
  gint64 seed = -1;
  gboolean show_progress = isatty (fileno (stderr));
  guint existing = 0;
  gboolean new_file;
  GOptionEntry entries[] = {
    { "leads", 'n', 0, G_OPTION_ARG_INT64, &n_leads, N_("How many leads to generate"), "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, N_("Seed: the same seed gives the same leads"),
      "S" },
    { NULL }
  };
  int status = 0;
  gint64 start;

  if (!cp_cli_parse_options ("generate", "", entries, &argc, &argv, &status))
    return status;
  if (n_leads < 1 || n_leads > 10000000)
    return cp_cli_usage_error ("generate", _("--leads needs a number from 1 to 10000000"));
  if (seed < -1 || seed > G_MAXUINT32)
    return cp_cli_usage_error ("generate", _("--seed needs a number from 0 to 4294967295"));
  if (argc > 1)
    return cp_cli_usage_error ("generate", _("unexpected argument “%s”"), argv[1]);

  /* A file this command creates is its own until the load is over: the
   * load is written into it once, not into the log and then copied. */
  new_file = !g_file_test (ctx->db_path, G_FILE_TEST_EXISTS);
  if (!session_open (&session, ctx, FALSE, &error) ||
      !cp_lead_store_count (session.store, NULL, &existing, &error))
    return cp_cli_failure (error);
  /* The same seed makes the same people, ids included: more of them on
   * a database that has some need a seed of their own. */
  if (seed == -1)
    seed = existing == 0 ? 1 : g_random_int ();

  start = g_get_monotonic_time ();
  if (!cp_demo_writer_run_full (session.store, n_leads, seed, g_get_real_time () / G_USEC_PER_SEC,
                                new_file ? CP_BULK_LOAD_AUTO_NEW_FILE : CP_BULK_LOAD_AUTO,
                                progress_cb, &show_progress, NULL, &error))
    return cp_cli_failure (error);
  if (show_progress)
    fputc ('\n', stderr);

  printf (_("Generated %" G_GINT64_FORMAT " demo leads in %.1f s (seed %" G_GINT64_FORMAT ").\n"),
          n_leads, (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, seed);
  return CP_CLI_EXIT_OK;
}

static int
cp_cli_add (CpCliContext *ctx,
            int           argc,
            char        **argv)
{
  g_auto(Session) session = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = cp_lead_new ();
  g_autofree char *actor = cp_cli_actor ();
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the whole new lead as JSON"), NULL },
    { NULL }
  };
  int status = 0;

  if (!cp_cli_parse_options ("add", "FIELD=VALUE…", entries, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return cp_cli_usage_error ("add", _("give at least one field=value"));
  if (!apply_assignments (lead, "add", FALSE, argc - 1, argv + 1, &status))
    return status;

  if (!session_open (&session, ctx, FALSE, &error) ||
      !cp_lead_store_create (session.store, lead, actor, &error))
    return cp_cli_failure (error);

  if (json)
    {
      g_autoptr(CpLead) stored = cp_lead_store_get (session.store, cp_lead_get_id (lead), &error);
      g_autoptr(JsonNode) node = NULL;

      if (stored == NULL)
        return cp_cli_failure (error);
      node = lead_to_json (stored);
      cp_cli_print_json_node (node);
    }
  else
    {
      printf ("%s\n", cp_lead_get_id (lead));
    }

  return CP_CLI_EXIT_OK;
}

static int
run_list (CpCliContext *ctx,
          const char   *command,
          const char   *stage,
          const char   *search,
          gint64        limit,
          gboolean      json)
{
  g_auto(Session) session = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GPtrArray) leads = NULL;
  int status = 0;

  if (limit < 0)
    return cp_cli_usage_error (command, _("--limit needs a positive number"));
  if (search != NULL && !cp_lead_query_search_has_words (search))
    return cp_cli_usage_error (command, g_str_equal (command, "search")
                               ? _("give a word or number to look for, not only punctuation "
                                   "or spaces")
                               : _("--search needs a word or number to look for, not only "
                                   "punctuation or spaces"));

  if (!session_open (&session, ctx, TRUE, &error))
    return cp_cli_failure (error);
  if (!cp_cli_check_stage_filter (session.store, command, stage, &status))
    return status;

  query->stage = g_strdup (stage);
  query->search = g_strdup (search);
  leads = cp_lead_store_query (session.store, query, 0, (guint) MIN (limit, G_MAXUINT), &error);
  if (leads == NULL)
    return cp_cli_failure (error);

  return print_leads (leads, json);
}

static int
cp_cli_list (CpCliContext *ctx,
             int           argc,
             char        **argv)
{
  g_autofree char *stage = NULL;
  g_autofree char *search = NULL;
  gint64 limit = 50;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "stage", 0, 0, G_OPTION_ARG_STRING, &stage, N_("Only leads in this stage"), "S" },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("Only leads matching these words"), "Q" },
    { "limit", 0, 0, G_OPTION_ARG_INT64, &limit, N_("At most N leads (0: all; default 50)"), "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  int status = 0;

  if (!cp_cli_parse_options ("list", "", entries, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return cp_cli_usage_error ("list", _("unexpected argument “%s”"), argv[1]);

  return run_list (ctx, "list", stage, search, limit, json);
}

static int
cp_cli_search (CpCliContext *ctx,
               int           argc,
               char        **argv)
{
  g_autofree char *words = NULL;
  gint64 limit = 50;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT64, &limit, N_("At most N leads (0: all; default 50)"), "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  int status = 0;

  if (!cp_cli_parse_options ("search", "WORDS…", entries, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return cp_cli_usage_error ("search", _("give the words to look for"));

  words = g_strjoinv (" ", argv + 1);
  return run_list (ctx, "search", NULL, words, limit, json);
}

static int
cp_cli_show (CpCliContext *ctx,
             int           argc,
             char        **argv)
{
  g_auto(Session) session = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  int status = 0;
  GHashTable *custom;

  if (!cp_cli_parse_options ("show", "ID", entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cp_cli_usage_error ("show", _("give exactly one lead id"));

  if (!session_open (&session, ctx, TRUE, &error))
    return cp_cli_failure (error);
  lead = cp_lead_store_get (session.store, argv[1], &error);
  if (lead == NULL)
    return cp_cli_failure (error);

  if (json)
    {
      g_autoptr(JsonNode) node = lead_to_json (lead);
      cp_cli_print_json_node (node);
      return CP_CLI_EXIT_OK;
    }

  for (guint i = 0; i < CP_LEAD_N_FIELDS; i++)
    {
      g_autofree char *value = cp_lead_dup_field_string (lead, i);
      const CpFieldInfo *info = cp_lead_field_info (i);

      if (value == NULL || *value == '\0' ||
          (info->type == CP_FIELD_TYPE_BOOL && cp_lead_get_int (lead, i) == 0))
        continue;
      printf ("%-24s %s\n", info->name, value);
    }
  custom = cp_lead_get_custom_fields (lead);
  if (custom != NULL)
    {
      g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (custom), (GCompareFunc) strcmp);
      for (GList *l = keys; l != NULL; l = l->next)
        printf ("custom.%-17s %s\n", (const char *) l->data,
                (const char *) g_hash_table_lookup (custom, l->data));
    }

  return CP_CLI_EXIT_OK;
}

static int
cp_cli_update (CpCliContext *ctx,
               int           argc,
               char        **argv)
{
  g_auto(Session) session = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = NULL;
  g_autofree char *actor = cp_cli_actor ();
  g_autofree char *reason = NULL;
  g_auto(CpWriteOutcome) outcome = { NULL, };
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why, for the audit trail"), "TEXT" },
    { NULL }
  };
  int status = 0;

  if (!cp_cli_parse_options ("update", "ID FIELD=VALUE…", entries, &argc, &argv, &status))
    return status;
  if (argc < 3)
    return cp_cli_usage_error ("update", _("give a lead id and at least one field=value"));

  if (!session_open (&session, ctx, TRUE, &error))
    return cp_cli_failure (error);
  lead = cp_lead_store_get (session.store, argv[1], &error);
  if (lead == NULL)
    return cp_cli_failure (error);
  if (!apply_assignments (lead, "update", TRUE, argc - 2, argv + 2, &status))
    return status;
  if (!cp_lead_store_update_full (session.store, lead, actor, reason, &outcome, &error))
    return cp_cli_failure (error);

  cp_cli_print_outcome (&outcome);
  return CP_CLI_EXIT_OK;
}

static int
cp_cli_move (CpCliContext *ctx,
             int           argc,
             char        **argv)
{
  g_auto(Session) session = { NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = cp_cli_actor ();
  g_autofree char *reason = NULL;
  g_auto(CpWriteOutcome) outcome = { NULL, };
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why the lead moves (required)"), "TEXT" },
    { NULL }
  };
  int status = 0;

  if (!cp_cli_parse_options ("move", "ID STAGE", entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return cp_cli_usage_error ("move", _("give a lead id and a stage"));
  if (reason == NULL || *g_strstrip (reason) == '\0')
    return cp_cli_usage_error ("move", _("--reason is required: say why the lead moves"));

  if (!session_open (&session, ctx, TRUE, &error) ||
      !cp_lead_store_move (session.store, argv[1], NULL, argv[2], NULL, reason, actor, &outcome,
                           &error))
    return cp_cli_failure (error);

  cp_cli_print_outcome (&outcome);
  return CP_CLI_EXIT_OK;
}

static int
cp_cli_history (CpCliContext *ctx,
                int           argc,
                char        **argv)
{
  g_auto(Session) session = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries_found = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  int status = 0;

  if (!cp_cli_parse_options ("history", "ID", entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cp_cli_usage_error ("history", _("give exactly one lead id"));

  if (!session_open (&session, ctx, TRUE, &error))
    return cp_cli_failure (error);
  entries_found = cp_lead_store_history (session.store, argv[1], &error);
  if (entries_found == NULL)
    return cp_cli_failure (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < entries_found->len; i++)
        {
          CpHistoryEntry *entry = entries_found->pdata[i];
          g_autofree char *time = cp_datetime_format_iso8601 (entry->time);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "time");
          json_builder_add_string_value (builder, time);
          json_builder_set_member_name (builder, "action");
          json_builder_add_string_value (builder, entry->action);
          json_builder_set_member_name (builder, "field");
          json_builder_add_string_value (builder, entry->field);
          json_builder_set_member_name (builder, "old");
          json_builder_add_string_value (builder, entry->old_value);
          json_builder_set_member_name (builder, "new");
          json_builder_add_string_value (builder, entry->new_value);
          json_builder_set_member_name (builder, "actor");
          json_builder_add_string_value (builder, entry->actor);
          json_builder_set_member_name (builder, "reason");
          json_builder_add_string_value (builder, entry->reason);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      cp_cli_print_json_node (root);
      return CP_CLI_EXIT_OK;
    }

  for (guint i = 0; i < entries_found->len; i++)
    {
      CpHistoryEntry *entry = entries_found->pdata[i];
      g_autofree char *time = cp_datetime_format_iso8601 (entry->time);

      if (g_strcmp0 (entry->action, "stage") == 0)
        printf ("%s  %-10s %s → %s", time, entry->action, entry->old_value ?: "∅",
                entry->new_value);
      else if (entry->field != NULL)
        printf ("%s  %-10s %s: %s → %s", time, entry->action, entry->field,
                entry->old_value ?: "∅", entry->new_value ?: "∅");
      else
        printf ("%s  %-10s", time, entry->action);
      if (entry->reason != NULL)
        printf ("  (%s)", entry->reason);
      if (entry->actor != NULL)
        printf (_("  by %s"), entry->actor);
      putchar ('\n');
    }

  return CP_CLI_EXIT_OK;
}

static int
cp_cli_duplicates (CpCliContext *ctx,
                   int           argc,
                   char        **argv)
{
  g_auto(Session) session = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  int status = 0;

  if (!cp_cli_parse_options ("duplicates", "ID", entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cp_cli_usage_error ("duplicates", _("give exactly one lead id"));

  if (!session_open (&session, ctx, TRUE, &error))
    return cp_cli_failure (error);
  lead = cp_lead_store_get (session.store, argv[1], &error);
  if (lead == NULL)
    return cp_cli_failure (error);
  candidates = cp_lead_store_find_duplicates (session.store, lead, &error);
  if (candidates == NULL)
    return cp_cli_failure (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < candidates->len; i++)
        {
          CpDuplicateCandidate *candidate = candidates->pdata[i];

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, candidate->lead_id);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, candidate->display_name);
          json_builder_set_member_name (builder, "reason");
          json_builder_add_string_value (builder, candidate->reason);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      cp_cli_print_json_node (root);
      return CP_CLI_EXIT_OK;
    }

  if (candidates->len == 0)
    printf ("%s\n", _("No possible duplicates."));
  for (guint i = 0; i < candidates->len; i++)
    {
      CpDuplicateCandidate *candidate = candidates->pdata[i];
      printf ("%s  ", candidate->lead_id);
      cp_cli_print_padded (candidate->display_name, 28);
      printf ("  %s\n", candidate->reason);
    }

  return CP_CLI_EXIT_OK;
}

static int
cp_cli_merge (CpCliContext *ctx,
              int           argc,
              char        **argv)
{
  g_auto(Session) session = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) take = g_array_new (FALSE, FALSE, sizeof (CpLeadField));
  g_autofree char *actor = cp_cli_actor ();
  g_autofree char *merge_id = NULL;
  g_auto(GStrv) take_names = NULL;
  GOptionEntry entries[] = {
    { "take", 0, 0, G_OPTION_ARG_STRING_ARRAY, &take_names,
      N_("Take this field from OTHER_ID even if KEEP_ID has one (repeatable)"), "FIELD" },
    { NULL }
  };
  int status = 0;

  if (!cp_cli_parse_options ("merge", "KEEP_ID OTHER_ID", entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return cp_cli_usage_error ("merge", _("give the id of the lead to keep and of the other lead"));
  for (guint i = 0; take_names != NULL && take_names[i] != NULL; i++)
    {
      CpLeadField field;
      if (!cp_lead_field_from_name (take_names[i], &field))
        return cp_cli_usage_error ("merge", _("unknown field “%s”"), take_names[i]);
      g_array_append_val (take, field);
    }

  if (!session_open (&session, ctx, TRUE, &error))
    return cp_cli_failure (error);
  merge_id = cp_lead_store_merge (session.store, argv[1], argv[2],
                                  (const CpLeadField *) take->data, take->len, actor, &error);
  if (merge_id == NULL)
    return cp_cli_failure (error);

  printf (_("Merged. Undo with: carepath-cli unmerge %s\n"), merge_id);
  return CP_CLI_EXIT_OK;
}

static int
cp_cli_unmerge (CpCliContext *ctx,
                int           argc,
                char        **argv)
{
  g_auto(Session) session = { NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = cp_cli_actor ();
  GOptionEntry entries[] = { { NULL } };
  int status = 0;

  if (!cp_cli_parse_options ("unmerge", "MERGE_ID", entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cp_cli_usage_error ("unmerge", _("give exactly one merge id"));

  if (!session_open (&session, ctx, TRUE, &error) ||
      !cp_lead_store_undo_merge (session.store, argv[1], actor, &error))
    return cp_cli_failure (error);

  return CP_CLI_EXIT_OK;
}

static int
cp_cli_check (CpCliContext *ctx,
              int           argc,
              char        **argv)
{
  g_auto(Session) session = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(CpPlaybook) playbook = NULL;
  gboolean repair = FALSE;
  GOptionEntry entries[] = {
    { "repair", 0, 0, G_OPTION_ARG_NONE, &repair,
      N_("Rebuild the search index and the stage totals from the leads first"), NULL },
    { NULL }
  };
  int status = 0;
  guint count = 0;
  guint repairable = 0;
  gint64 version = 0;

  if (!cp_cli_parse_options ("check", "[--repair]", entries, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return cp_cli_usage_error ("check", _("unexpected argument “%s”"), argv[1]);

  if (!session_open (&session, ctx, TRUE, &error))
    return cp_cli_failure (error);
  if (repair)
    {
      if (!cp_database_repair (session.database, &error))
        return cp_cli_failure (error);
      printf ("%s\n", _("Rebuilt the search index and the stage totals from the leads."));
    }
  problems = cp_database_check_repairable (session.database, &repairable, &error);
  if (problems == NULL)
    return cp_cli_failure (error);
  if (!cp_lead_store_count (session.store, NULL, &count, &error))
    return cp_cli_failure (error);
  /* Then the leads against the playbook in effect. */
  playbook = cp_lead_store_get_playbook (session.store, &version, &error);
  if (playbook == NULL)
    return cp_cli_failure (error);
  findings = cp_lifecycle_check_leads (session.database, playbook, version,
                                       cp_lead_store_now (session.store), &error);
  if (findings == NULL)
    return cp_cli_failure (error);

  for (guint i = 0; i < problems->len; i++)
    fprintf (stderr, "carepath-cli: check: %s\n", (const char *) problems->pdata[i]);
  if (repairable > 0)
    fprintf (stderr, "%s\n",
             _("carepath-cli: check: “carepath-cli check --repair” rebuilds the "
               "search index and the stage totals from the leads."));
  for (guint i = 0; i < findings->len; i++)
    fprintf (stderr, "carepath-cli: check: %s\n", (const char *) findings->pdata[i]);
  if (findings->len > 0)
    fprintf (stderr, "%s\n",
             _("carepath-cli: check: “carepath-cli refresh --all” computes every "
               "lead again with the playbook in effect."));
  if (problems->len > 0 || findings->len > 0)
    return CP_CLI_EXIT_FAILURE;

  printf (_("Database OK: %u leads, schema version %d; every lead agrees with the playbook.\n"),
          count, cp_database_get_schema_version (session.database));
  return CP_CLI_EXIT_OK;
}

/* restore BACKUP: only over a database that cannot be opened (or, with
 * --replace, over a sound one); the file it replaces is kept aside. */
static int
cp_cli_restore (CpCliContext *ctx,
                int           argc,
                char        **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpDatabase) restored = NULL;
  g_autofree char *set_aside = NULL;
  gboolean replace = FALSE;
  GOptionEntry entries[] = {
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
      N_("Replace the database even though it opens (it is kept aside, not deleted)"), NULL },
    { NULL }
  };
  int status = 0;

  if (!cp_cli_parse_options ("restore", "BACKUP [--replace]", entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cp_cli_usage_error ("restore", _("give exactly one backup file"));

  if (!replace && g_file_test (ctx->db_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) open_error = NULL;
      g_autoptr(CpDatabase) current = cp_database_open (ctx->db_path, &open_error);

      if (current != NULL)
        {
          fprintf (stderr, _("carepath-cli: restore: “%s” opens: nothing was changed. Use "
                             "--replace to put the backup in its place anyway.\n"), ctx->db_path);
          return CP_CLI_EXIT_FAILURE;
        }
    }

  if (!cp_database_restore_backup (ctx->db_path, argv[1], &set_aside, &error))
    return cp_cli_failure (error);
  /* Opening upgrades an older backup, as it would any older database. */
  restored = cp_database_open (ctx->db_path, &error);
  if (restored == NULL)
    return cp_cli_failure (error);

  printf (_("Restored “%s” from “%s”.\n"), ctx->db_path, argv[1]);
  if (set_aside != NULL)
    printf (_("The file it replaced was kept as “%s”.\n"), set_aside);
  return CP_CLI_EXIT_OK;
}

const CpCliCommand cp_cli_data_commands[] = {
  { "generate", N_("--leads N [--seed S]"), N_("Add N generated demo leads (no real people)"),
    cp_cli_generate },
  { "add", N_("FIELD=VALUE… [--json]"), N_("Add a lead; prints its id"), cp_cli_add },
  { "list", N_("[--stage S] [--search Q] [--limit N] [--json]"), N_("List leads, newest first"),
    cp_cli_list },
  { "show", N_("ID [--json]"), N_("Show every field of a lead"), cp_cli_show },
  { "update", N_("ID FIELD=VALUE… [--reason TEXT]"), N_("Change fields of a lead"),
    cp_cli_update },
  { "move", N_("ID STAGE --reason TEXT"), N_("Move a lead to another stage"), cp_cli_move },
  { "history", N_("ID [--json]"), N_("Show a lead’s stage events and audit trail"),
    cp_cli_history },
  { "duplicates", N_("ID [--json]"), N_("List leads that may be the same person"),
    cp_cli_duplicates },
  { "merge", N_("KEEP_ID OTHER_ID [--take FIELD]…"), N_("Merge two leads (can be undone)"),
    cp_cli_merge },
  { "unmerge", N_("MERGE_ID"), N_("Undo a merge"), cp_cli_unmerge },
  { "search", N_("WORDS… [--limit N] [--json]"),
    N_("Full-text search by name, email, phone, organization, notes"), cp_cli_search },
  { "check", N_("[--repair]"), N_("Check the database’s integrity"), cp_cli_check },
  { "restore", N_("BACKUP [--replace]"),
    N_("Put a backup in place of a damaged database, keeping the damaged file"), cp_cli_restore },
  { NULL, NULL, NULL, NULL }
};
