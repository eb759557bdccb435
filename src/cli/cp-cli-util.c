/* cp-cli-util.c — what every carepath-cli command shares: errors, the database, JSON, options
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "cp-cli-util.h"
#include "cp-database.h"
#include "cp-lead-query.h"
#include "cp-paths.h"
#include "cp-playbook.h"

/**
 * cp_cli_usage_error:
 *
 * Prints “carepath-cli: COMMAND: MESSAGE (try …)” on stderr: one line.
 *
 * Returns: %CP_CLI_EXIT_USAGE
 */
int
cp_cli_usage_error (const char *command,
                    const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (command != NULL)
    /* Translators: the last %s is a command name */
    fprintf (stderr, _("carepath-cli: %s: %s (try “carepath-cli help %s”)\n"),
             command, message, command);
  else
    fprintf (stderr, _("carepath-cli: %s (try “carepath-cli --help”)\n"), message);

  return CP_CLI_EXIT_USAGE;
}

/* A member of the object @builder is in: @value, or null. */
void
cp_cli_json_add_string (JsonBuilder *builder,
                        const char  *name,
                        const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * cp_cli_failure:
 *
 * Prints a runtime error on stderr.
 *
 * Returns: %CP_CLI_EXIT_FAILURE
 */
int
cp_cli_failure (const GError *error)
{
  fprintf (stderr, "carepath-cli: %s\n", error != NULL ? error->message : _("unknown error"));

  return CP_CLI_EXIT_FAILURE;
}

/**
 * cp_cli_open_database:
 * @must_exist: commands that only read refuse to create a database by accident
 *
 * Returns: (transfer full) (nullable): the database of `--db`, or %NULL with
 *   a readable @error
 */
CpDatabase *
cp_cli_open_database (CpCliContext  *ctx,
                      gboolean       must_exist,
                      GError       **error)
{
  if (must_exist && !g_file_test (ctx->db_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_OPEN,
                   _("There is no database at “%s” (create one with “carepath-cli add” or "
                     "“carepath-cli generate”)."), ctx->db_path);
      return NULL;
    }

  return cp_database_open (ctx->db_path, error);
}

/**
 * cp_cli_open_store:
 *
 * Returns: (transfer full) (nullable): the lead store of `--db`, reading
 *   phone numbers in the user's region
 */
CpLeadStore *
cp_cli_open_store (CpCliContext  *ctx,
                   gboolean       must_exist,
                   GError       **error)
{
  g_autoptr(CpDatabase) database = cp_cli_open_database (ctx, must_exist, error);
  g_autofree char *region = NULL;
  CpLeadStore *store;

  if (database == NULL)
    return NULL;
  store = cp_lead_store_new (database);
  region = cp_default_phone_region ();
  cp_lead_store_set_default_region (store, region);
  return store;
}

/* Who a command acts as, in the audit trail. */
char *
cp_cli_actor (void)
{
  return g_strdup_printf ("cli:%s", g_get_user_name ());
}

/* Prints a document, indented, on stdout. */
void
cp_cli_print_json_node (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

void
cp_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  cp_cli_print_json_node (root);
}

/**
 * cp_cli_parse_options:
 * @status: (out): the exit status when it returns %FALSE (a usage error)
 *
 * Parses a command's own options, leaving the other arguments in @argv.
 */
gboolean
cp_cli_parse_options (const char    *command,
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

/* A --stage the playbook does not have and no lead is in is a typo, or a
 * stage's title: say so, with the stages there are, rather than answer
 * with no leads. A stage only old leads are in still lists them. */
gboolean
cp_cli_check_stage_filter (CpLeadStore *store,
                           const char  *command,
                           const char  *stage,
                           int         *status)
{
  g_autoptr(CpPlaybook) playbook = NULL;
  g_autoptr(CpLeadQuery) query = cp_lead_query_new ();
  g_autoptr(GString) stages = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  guint count = 0;

  if (stage == NULL)
    return TRUE;
  playbook = cp_lead_store_get_playbook (store, NULL, &error);
  query->stage = g_strdup (stage);
  if (playbook == NULL || !cp_lead_store_count (store, query, &count, &error))
    {
      *status = cp_cli_failure (error);
      return FALSE;
    }
  if (cp_playbook_get_stage (playbook, stage) != NULL || count > 0)
    return TRUE;

  for (guint i = 0; i < playbook->stages->len; i++)
    {
      const CpStage *known = g_ptr_array_index (playbook->stages, i);

      g_string_append_printf (stages, "%s%s", i > 0 ? ", " : "", known->id);
    }
  *status = cp_cli_usage_error (command,
                                _("there is no stage “%s” in the playbook; its stages are %s"),
                                stage, stages->str);
  return FALSE;
}

/* printf pads by bytes: @text is padded to @width terminal columns, a wide
 * character (Chinese, Japanese, Korean) taking two, a combining mark none. */
void
cp_cli_print_padded (const char *text,
                     guint       width)
{
  guint columns = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      columns += g_unichar_iswide (c) ? 2 : 1;
    }
  fputs (text, stdout);
  for (guint i = columns; i < width; i++)
    putchar (' ');
}
