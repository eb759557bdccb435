/* cp-lead-write-accounts.c — the write path's care for an organization's other contacts (the account boost)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-lead-write-private.h"
#include "cp-normalize.h"
#include "cp-rescore.h"

static gboolean
is_engaged (CpLead *lead,
            gint64  now)
{
  gint64 last = cp_lead_get_int (lead, CP_LEAD_FIELD_LAST_ACTIVITY_AT);

  return last > 0 && last >= now - CP_RESCORE_ENGAGED_DAYS * G_GINT64_CONSTANT (86400);
}

/* A contact that becomes engaged, or stops being, or joins or leaves an
 * organization, changes the account boost of the organization's other
 * contacts: they are scored again, in the same transaction — unless the
 * organization has more engaged contacts than the playbook tells apart,
 * where one more or less changes nothing for them. */
static gboolean
rescore_account_contacts (CpLeadStore          *self,
                          CpLifecycle          *lifecycle,
                          const char           *organization,
                          const char           *lead_id,
                          const CpWriteRequest *request,
                          GError              **error)
{
  g_autofree char *key = cp_normalize_name (organization);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  CpWriteRequest sub = *request;
  sqlite3_stmt *stmt;
  guint engaged = 0;
  int rc;

  if (key == NULL || *key == '\0' || !cp_lifecycle_account_matters (lifecycle, 0))
    return TRUE;
  if (!_cp_lead_rules_count_engaged (self, organization, lead_id, request->now,
                                     cp_lifecycle_account_cap (lifecycle), &engaged, error))
    return FALSE;
  if (!cp_lifecycle_account_matters (lifecycle, engaged))
    return TRUE;
  stmt = _cp_database_statement (self->database, CP_STMT_ACCOUNT_CONTACT_IDS, error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, key);
  _cp_bind_text (stmt, 2, lead_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup (_cp_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the organization’s contacts"));
      return FALSE;
    }

  sub.action = "rescore";
  sub.reason = NULL;
  sub.flags = CP_WRITE_NO_AUTOMATION | (request->flags & CP_WRITE_BULK);
  sub.expected_stage = NULL;
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(CpLead) contact = cp_lead_store_get (self, ids->pdata[i], error);

      /* No automation (sub.flags): only the contact's scores change. */
      if (contact == NULL || !_cp_lead_store_write_edit (self, contact, &sub, NULL, NULL, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * _cp_lead_write_rescore_accounts:
 * @before: (nullable): the lead as it was (%NULL: a new lead)
 * @after: the lead as written
 *
 * The organization the lead left has one engaged contact fewer, the one
 * it is in one more: their other contacts are scored again, in the
 * caller's transaction.
 */
gboolean
_cp_lead_write_rescore_accounts (CpLeadStore          *self,
                                 CpLifecycle          *lifecycle,
                                 CpLead               *before,
                                 CpLead               *after,
                                 const CpWriteRequest *request,
                                 GError              **error)
{
  const char *id = cp_lead_get_id (after);
  gboolean org_changed = before == NULL ||
                         !cp_lead_equal_field (before, after, CP_LEAD_FIELD_ORGANIZATION);
  gboolean was_engaged = before != NULL && is_engaged (before, request->now);
  gboolean now_engaged = is_engaged (after, request->now);

  if (was_engaged && (org_changed || !now_engaged) &&
      !rescore_account_contacts (self, lifecycle, cp_lead_get_text (before, CP_LEAD_FIELD_ORGANIZATION),
                                 id, request, error))
    return FALSE;
  return !(now_engaged && (org_changed || !was_engaged)) ||
         rescore_account_contacts (self, lifecycle, cp_lead_get_text (after, CP_LEAD_FIELD_ORGANIZATION),
                                   id, request, error);
}
