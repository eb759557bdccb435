/* cp-retention.c — the playbook's retention rules: which leads are erased after how long without activity
 *
 * A rule of the published playbook (opt-in: the default has none) names
 * stages and a number of months. A lead in one of those stages whose last
 * activity and last update are both older than that is erased through
 * cp_person_erase(), like an erasure on request, so the erasure log keeps
 * it with the rule as the reason. The preview runs the same query and
 * changes nothing.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-retention"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-lead-store-private.h"
#include "cp-person-erase.h"
#include "cp-retention.h"

#define RETENTION_ACTOR "retention"

void
cp_retention_match_free (CpRetentionMatch *match)
{
  if (match == NULL)
    return;
  g_free (match->lead_id);
  g_free (match->rule_id);
  g_free (match->stage);
  g_free (match);
}

/* @now minus @months calendar months (UTC): 24 months before 31 March is
 * 31 March two years before, whatever the lengths of the months between. */
static gint64
months_before (gint64 now,
               guint  months)
{
  g_autoptr(GDateTime) then = g_date_time_new_from_unix_utc (now);
  g_autoptr(GDateTime) cutoff = then != NULL ? g_date_time_add_months (then, -(int) months) : NULL;

  return cutoff != NULL ? g_date_time_to_unix (cutoff) : G_MININT64;
}

static gboolean
collect_stale (CpDatabase            *database,
               const CpRetentionRule *rule,
               const char            *stage,
               gint64                 before,
               GHashTable            *seen,
               GPtrArray             *matches,
               GError               **error)
{
  sqlite3_stmt *stmt = _cp_database_statement (database, CP_STMT_RETENTION_STALE, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, stage);
  sqlite3_bind_int64 (stmt, 2, before);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = _cp_column_text (stmt, 0);
      CpRetentionMatch *match;

      /* The first rule that names the lead's stage is the reason. */
      if (g_hash_table_contains (seen, id))
        continue;
      match = g_new0 (CpRetentionMatch, 1);
      match->lead_id = g_strdup (id);
      match->rule_id = g_strdup (rule->id);
      match->stage = g_strdup (stage);
      match->last_active_at = sqlite3_column_int64 (stmt, 1);
      g_hash_table_add (seen, match->lead_id);
      g_ptr_array_add (matches, match);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (database, error, rc, _("Could not find the leads to erase"));
      return FALSE;
    }
  return TRUE;
}

/**
 * cp_retention_preview:
 * @now: the time the rules are applied as of (Unix seconds)
 *
 * The leads the retention rules of the playbook in effect at @now would
 * erase: in a stage a rule names, not erased or deleted yet, with no
 * activity and no update for the rule's months. Nothing is changed.
 *
 * Returns: (transfer full) (element-type CpRetentionMatch): the leads,
 *   rule by rule, or %NULL with @error set
 */
GPtrArray *
cp_retention_preview (CpLeadStore  *store,
                      gint64        now,
                      GError      **error)
{
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  CpDatabase *database;
  CpLifecycle *lifecycle;
  CpPlaybook *playbook;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), NULL);

  lifecycle = _cp_lead_store_lifecycle (store, now, error);
  if (lifecycle == NULL)
    return NULL;
  playbook = cp_lifecycle_get_playbook (lifecycle);
  database = cp_lead_store_get_database (store);
  matches = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_retention_match_free);
  for (guint r = 0; r < playbook->retention->len; r++)
    {
      const CpRetentionRule *rule = g_ptr_array_index (playbook->retention, r);
      gint64 before = months_before (now, rule->months_inactive);

      for (guint s = 0; rule->stages != NULL && rule->stages[s] != NULL; s++)
        if (!collect_stale (database, rule, rule->stages[s], before, seen, matches, error))
          return NULL;
    }
  return g_steal_pointer (&matches);
}

/**
 * cp_retention_apply:
 * @now: the time the rules are applied as of (Unix seconds)
 *
 * Erases what cp_retention_preview() lists, one person at a time, with
 * the actor “retention” and the rule as the reason. A failure stops at
 * that lead: those erased before it stay erased.
 *
 * Returns: (transfer full) (element-type CpRetentionMatch): the leads
 *   erased, or %NULL with @error set
 */
GPtrArray *
cp_retention_apply (CpLeadStore  *store,
                    gint64        now,
                    GError      **error)
{
  g_autoptr(GPtrArray) matches = cp_retention_preview (store, now, error);
  g_autoptr(GPtrArray) erased = NULL;

  if (matches == NULL)
    return NULL;
  erased = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_retention_match_free);
  for (guint i = 0; i < matches->len; i++)
    {
      CpRetentionMatch *match = g_ptr_array_index (matches, i);
      g_autofree char *reason = g_strdup_printf (_("Retention rule “%s”"), match->rule_id);
      CpErasureResult result = { 0, };

      if (!cp_person_erase (store, match->lead_id, RETENTION_ACTOR, reason, &result, error))
        return NULL;
      g_ptr_array_add (erased, g_ptr_array_steal_index (matches, i--));
    }
  return g_steal_pointer (&erased);
}
