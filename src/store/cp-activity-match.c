/* cp-activity-match.c — which lead a row of an activity list is, and the activity's identity
 *
 * The evidence is the identity code's (cp_lead_store_find_duplicates(),
 * the keys of cp-normalize): the same email first; else the same phone
 * AND the same name, both on the row and on the lead. A phone alone (a
 * clinic's switchboard) or a name alone is never enough, and a row two
 * leads could be is listed, never guessed.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-activity-import"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-activity-import-private.h"
#include "cp-normalize.h"

void
_cp_activity_match_clear (CpActivityMatch *match)
{
  g_clear_pointer (&match->lead_id, g_free);
  g_clear_pointer (&match->candidates, g_strfreev);
  g_clear_pointer (&match->reason, g_free);
}

static char *
name_key (CpLead *lead)
{
  g_autofree char *full = g_strjoin (" ", cp_lead_get_text (lead, CP_LEAD_FIELD_FIRST_NAME) ?: "",
                                     cp_lead_get_text (lead, CP_LEAD_FIELD_LAST_NAME) ?: "", NULL);
  char *key = cp_normalize_name (full);

  if (key != NULL && *key == '\0')
    g_clear_pointer (&key, g_free);
  return key;
}

static void
take_ambiguous (CpActivityMatch *match,
                GPtrArray       *ids,
                const char      *why)
{
  g_autofree char *listed = NULL;

  g_ptr_array_add (ids, NULL);
  match->candidates = g_strdupv ((char **) ids->pdata);
  listed = g_strjoinv (", ", match->candidates);
  /* Translators: why, then the leads' ids */
  match->reason = g_strdup_printf (_("%s: %s. None is guessed; merge them or fix the row."), why, listed);
}

/**
 * _cp_activity_match:
 * @person: the row's email, first and last name (or the full name as the
 *   first) and phone
 * @out_match: (out caller-allocates): the lead, or why none
 *
 * Returns: %FALSE only when the database fails
 */
gboolean
_cp_activity_match (CpLeadStore      *store,
                    CpLead           *person,
                    CpActivityMatch  *out_match,
                    GError          **error)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GPtrArray) by_email = g_ptr_array_new ();
  g_autoptr(GPtrArray) by_phone = g_ptr_array_new ();
  g_autoptr(GPtrArray) by_phone_and_name = g_ptr_array_new ();
  g_autofree char *row_name = name_key (person);
  gboolean has_email = cp_lead_get_text (person, CP_LEAD_FIELD_EMAIL) != NULL;
  gboolean has_phone = cp_lead_get_text (person, CP_LEAD_FIELD_PHONE) != NULL;

  memset (out_match, 0, sizeof *out_match);
  if (!has_email && !has_phone)
    {
      out_match->reason = g_strdup (_("The row has no email or phone: a name alone is never enough."));
      return TRUE;
    }
  candidates = cp_lead_store_find_duplicates (store, person, error);
  if (candidates == NULL)
    return FALSE;
  for (guint i = 0; i < candidates->len; i++)
    {
      CpDuplicateCandidate *candidate = candidates->pdata[i];

      if (candidate->kinds & (1u << CP_MATCH_EMAIL))
        g_ptr_array_add (by_email, candidate->lead_id);
      else if (candidate->kinds & (1u << CP_MATCH_PHONE))
        g_ptr_array_add (by_phone, candidate->lead_id);
    }
  if (by_email->len == 1)
    {
      out_match->lead_id = g_strdup (by_email->pdata[0]);
      out_match->evidence = CP_IMPORT_EVIDENCE_EMAIL;
      return TRUE;
    }
  if (by_email->len > 1)
    {
      take_ambiguous (out_match, by_email, _("Several leads have this email"));
      return TRUE;
    }

  for (guint i = 0; row_name != NULL && i < by_phone->len; i++)
    {
      g_autoptr(CpLead) lead = cp_lead_store_get (store, by_phone->pdata[i], error);
      g_autofree char *lead_name = NULL;

      if (lead == NULL)
        return FALSE;
      lead_name = name_key (lead);
      if (lead_name != NULL && g_str_equal (lead_name, row_name))
        g_ptr_array_add (by_phone_and_name, by_phone->pdata[i]);
    }
  if (by_phone_and_name->len == 1)
    {
      out_match->lead_id = g_strdup (by_phone_and_name->pdata[0]);
      out_match->evidence = CP_IMPORT_EVIDENCE_PHONE_NAME;
      return TRUE;
    }
  out_match->shares_key = by_phone->len > 0;
  if (by_phone_and_name->len > 1)
    take_ambiguous (out_match, by_phone_and_name, _("Several leads have this phone and name"));
  else if (by_phone->len > 0 && row_name == NULL)
    out_match->reason = g_strdup (_("A lead has this phone, but the row gives no name: a phone alone "
                                    "is never enough."));
  else if (by_phone->len > 0)
    out_match->reason = g_strdup (_("A lead has this phone, under another name (or none): a phone "
                                    "alone is never enough."));
  else if (has_email)
    out_match->reason = g_strdup (has_phone ? _("No lead has this email or this phone.")
                                            : _("No lead has this email."));
  else
    out_match->reason = g_strdup (_("No lead has this phone."));
  return TRUE;
}

/**
 * _cp_activity_external_id:
 * @who: the row's email key, or the lead's id when it has none
 * @detail: (nullable)
 *
 * The activity's identity, the same for the same row of the same file
 * read again (or of another export of the same list).
 *
 * Returns: (transfer full): "file:" and a SHA-256 of what identifies it
 */
char *
_cp_activity_external_id (CpActivityKind  kind,
                          const char     *who,
                          gint64          occurred_at,
                          const char     *detail)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *when = g_strdup_printf ("%" G_GINT64_FORMAT, occurred_at);
  const char *parts[] = { cp_activity_kind_to_string (kind), who, when, detail != NULL ? detail : "" };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      /* Each part with its length: "a|bc" and "ab|c" differ. */
      g_autofree char *length = g_strdup_printf ("%zu:", strlen (parts[i]));

      g_checksum_update (checksum, (const guchar *) length, -1);
      g_checksum_update (checksum, (const guchar *) parts[i], -1);
    }
  return g_strconcat ("file:", g_checksum_get_string (checksum), NULL);
}
