/* cp-cli-person.c — carepath-cli person (export, erase) and delete (a lead)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cp-cli-commands.h"
#include "cp-person-erase.h"
#include "cp-person-export.h"
#include "cp-person-summary.h"

static int
person_export (CpCliContext *ctx,
               const char   *id,
               const char   *path,
               const char   *pdf_path)
{
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GError) error = NULL;

  store = cp_cli_open_store (ctx, TRUE, &error);
  if (store == NULL)
    return cp_cli_failure (error);
  document = cp_person_export_build (store, id, &error);
  if (document == NULL || !cp_person_export_write (document, file, &error))
    return cp_cli_failure (error);
  /* Translators: %s is a file name */
  printf (_("Wrote everything held about lead %s to %s (readable by you only).\n"), id, path);
  if (pdf_path != NULL)
    {
      g_autoptr(GFile) pdf = g_file_new_for_commandline_arg (pdf_path);

      /* From the same document: the summary and the JSON cannot disagree. */
      if (!cp_person_summary_write_pdf (document, pdf, &error))
        return cp_cli_failure (error);
      /* Translators: %s is a file name */
      printf (_("Wrote a summary to %s (readable by you only).\n"), pdf_path);
    }
  return CP_CLI_EXIT_OK;
}

static void
print_preview (const CpErasurePreview *preview)
{
  if (preview->n_leads > 1)
    printf (_("Erasing lead %s and the %u leads merged into it:\n"), preview->lead_id,
            preview->n_leads - 1);
  else
    printf (_("Erasing lead %s:\n"), preview->lead_id);
  printf (_("  %u fields, %u custom fields, %u activity details,\n"), preview->n_fields,
          preview->n_custom_fields, preview->n_activities);
  printf (_("  the values of %u history entries, %u merge records,\n"), preview->n_history,
          preview->n_merges);
  printf (_("  %u sync records, %u database backups.\n"), preview->n_sync_records,
          preview->n_backups);
}

static int
person_erase (CpCliContext *ctx,
              const char   *id,
              const char   *reason)
{
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(CpErasurePreview) preview = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = cp_cli_actor ();
  CpErasureResult result = { 0, };

  store = cp_cli_open_store (ctx, TRUE, &error);
  if (store == NULL)
    return cp_cli_failure (error);
  preview = cp_person_erase_preview (store, id, &error);
  if (preview == NULL)
    return cp_cli_failure (error);
  print_preview (preview);
  if (!cp_person_erase (store, id, actor, reason, &result, &error))
    return cp_cli_failure (error);

  printf (_("Erased: erasure %" G_GINT64_FORMAT " in the erasure log.\n"), result.erasure_id);
  for (guint i = 0; preview->crm_backends[i] != NULL; i++)
    /* Translators: %s is a CRM's name, e.g. hubspot */
    printf (_("Queued a GDPR delete of the linked %s contact: it is sent at the next sync.\n"),
            preview->crm_backends[i]);
  if (result.n_backups_removed > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "Deleted %u database backup that held the person.\n",
                         "Deleted %u database backups that held the person.\n",
                         result.n_backups_removed),
            result.n_backups_removed);
  if (!result.wal_emptied)
    printf ("%s\n", _("Another program has the database open: its write-ahead log is emptied "
                      "when that program closes it."));
  return CP_CLI_EXIT_OK;
}

static int
cp_cli_person (CpCliContext *ctx,
               int           argc,
               char        **argv)
{
  g_autofree char *reason = NULL;
  g_autofree char *pdf = NULL;
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Why the person is erased (a request’s reference; not their name)"), "TEXT" },
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf,
      N_("With export: also write a readable PDF summary to FILE"), "FILE" },
    { NULL }
  };
  int status = 0;
  const char *sub;

  if (!cp_cli_parse_options ("person", "export ID OUT.json [--pdf OUT.pdf]|erase ID --reason TEXT",
                             entries, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return cp_cli_usage_error ("person", _("give export or erase"));
  sub = argv[1];

  if (g_str_equal (sub, "export"))
    {
      if (argc != 4)
        return cp_cli_usage_error ("person", _("export needs a lead id and an output file"));
      return person_export (ctx, argv[2], argv[3], pdf);
    }
  if (g_str_equal (sub, "erase"))
    {
      if (argc != 3)
        return cp_cli_usage_error ("person", _("erase needs one lead id"));
      if (pdf != NULL)
        return cp_cli_usage_error ("person", _("--pdf goes with export, not erase"));
      if (reason == NULL || *g_strstrip (reason) == '\0')
        return cp_cli_usage_error ("person", _("erase needs --reason: say why the person is "
                                               "erased (not their name)"));
      return person_erase (ctx, argv[2], reason);
    }
  return cp_cli_usage_error ("person", _("unknown person command “%s”"), sub);
}

/* carepath-cli delete ID --reason TEXT: the lead leaves every view and
 * count; its row and history stay (a tombstone), and a linked CRM contact
 * is archived at the next sync. */
static int
cp_cli_delete (CpCliContext *ctx,
               int           argc,
               char        **argv)
{
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = cp_cli_actor ();
  g_autofree char *reason = NULL;
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why the lead is deleted (required)"),
      "TEXT" },
    { NULL }
  };
  int status = 0;

  if (!cp_cli_parse_options ("delete", "ID", entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cp_cli_usage_error ("delete", _("give exactly one lead id"));
  if (reason == NULL || *g_strstrip (reason) == '\0')
    return cp_cli_usage_error ("delete", _("--reason is required: say why the lead is deleted"));

  store = cp_cli_open_store (ctx, TRUE, &error);
  if (store == NULL || !cp_lead_store_tombstone (store, argv[1], reason, actor, &error))
    return cp_cli_failure (error);
  /* Translators: %s is a lead id */
  printf (_("Deleted lead %s; its history is kept (carepath-cli history %s).\n"), argv[1],
          argv[1]);
  return CP_CLI_EXIT_OK;
}

const CpCliCommand cp_cli_person_commands[] = {
  { "delete", N_("ID --reason TEXT"),
    N_("Delete a lead: it leaves every view, its history stays, a CRM contact is archived"),
    cp_cli_delete },
  { "person", N_("export ID OUT.json [--pdf OUT.pdf] | erase ID --reason TEXT"),
    N_("Export everything held about a person, or erase them"), cp_cli_person },
  { NULL, NULL, NULL, NULL }
};
