/* cp-task-reminders.c — what the reminders of tasks and response clocks read and record
 *
 * The decision is cp_reminders_plan() (src/core/cp-reminders.c); here is
 * what it needs from the database — the user's tasks coming due, their
 * leads whose response is due soon, the keys already announced — and the
 * record of what was announced (table notifications_sent).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-task-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-reminders.h"
#include "cp-task-store-private.h"

/* Announced keys older than this no longer matter to any decision. */
#define SENT_HORIZON (2 * 86400)
/* A snoozed SLA reminder comes back up to this long after the breach. */
#define SLA_SNOOZE_HORIZON 86400

static GPtrArray *
due_tasks (CpLeadStore  *self,
           const char   *owner,
           gint64        now,
           GError      **error)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cp_database_built_statement (self->database,
                                       CP_TASK_SELECT " WHERE l.deleted_at = 0 AND t.status = 'open'"
                                       " AND t.owner = ?1 AND " CP_TASK_EFFECTIVE_DUE " BETWEEN ?2 AND ?3"
                                       " ORDER BY " CP_TASK_EFFECTIVE_DUE ", t.id",
                                       error);
  if (stmt == NULL)
    return NULL;
  _cp_bind_text (stmt, 1, owner);
  sqlite3_bind_int64 (stmt, 2, now - CP_REMINDER_TASK_STALE_SECONDS);
  sqlite3_bind_int64 (stmt, 3, now + CP_REMINDER_TASK_LEAD_SECONDS);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (tasks, _cp_task_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the tasks coming due"));
      return NULL;
    }
  return g_steal_pointer (&tasks);
}

static GPtrArray *
sla_watch (CpLeadStore  *self,
           const char   *owner,
           gint64        now,
           GError      **error)
{
  g_autoptr(GPtrArray) watches = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_sla_watch_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cp_database_built_statement (self->database,
                                       "SELECT id, first_name, last_name, email, phone, stage, sla_due_at"
                                       " FROM leads WHERE deleted_at = 0 AND owner = ?1"
                                       " AND first_response_at = 0 AND sla_due_at BETWEEN ?2 AND ?3"
                                       " ORDER BY sla_due_at, id",
                                       error);
  if (stmt == NULL)
    return NULL;
  _cp_bind_text (stmt, 1, owner);
  sqlite3_bind_int64 (stmt, 2, now - SLA_SNOOZE_HORIZON);
  sqlite3_bind_int64 (stmt, 3, now + CP_REMINDER_SLA_LEAD_SECONDS);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CpLead) names = cp_lead_new ();
      CpSlaWatch *watch = g_new0 (CpSlaWatch, 1);

      cp_lead_set_text (names, CP_LEAD_FIELD_FIRST_NAME, _cp_column_text (stmt, 1));
      cp_lead_set_text (names, CP_LEAD_FIELD_LAST_NAME, _cp_column_text (stmt, 2));
      cp_lead_set_text (names, CP_LEAD_FIELD_EMAIL, _cp_column_text (stmt, 3));
      cp_lead_set_text (names, CP_LEAD_FIELD_PHONE, _cp_column_text (stmt, 4));
      watch->lead_id = g_strdup (_cp_column_text (stmt, 0));
      watch->lead_name = cp_lead_dup_display_name (names);
      watch->stage = g_strdup (_cp_column_text (stmt, 5));
      watch->due_at = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (watches, watch);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the response clocks"));
      return NULL;
    }
  return g_steal_pointer (&watches);
}

static GHashTable *
sent_keys (CpLeadStore  *self,
           gint64        now,
           GError      **error)
{
  g_autoptr(GHashTable) sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cp_database_built_statement (self->database,
                                       "SELECT key, sent_at FROM notifications_sent WHERE sent_at >= ?1",
                                       error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now - SENT_HORIZON);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 *when = g_new (gint64, 1);

      *when = sqlite3_column_int64 (stmt, 1);
      g_hash_table_insert (sent, g_strdup (_cp_column_text (stmt, 0)), when);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the notifications sent"));
      return NULL;
    }
  return g_steal_pointer (&sent);
}

/**
 * cp_lead_store_reminder_input:
 * @owner: the person reminded
 * @now: the time
 * @out_sla: (out) (transfer full) (element-type CpSlaWatch): their leads
 *   whose first response is due within CP_REMINDER_SLA_LEAD_SECONDS (or
 *   was, within a day)
 * @out_sent: (out) (transfer full) (element-type utf8 gint64): the keys
 *   announced lately, with their times
 *
 * What cp_reminders_plan() needs.
 *
 * Returns: (transfer full) (element-type CpTask): the open tasks of
 *   @owner coming due or lately due, or %NULL with @error set
 */
GPtrArray *
cp_lead_store_reminder_input (CpLeadStore  *self,
                              const char   *owner,
                              gint64        now,
                              GPtrArray   **out_sla,
                              GHashTable  **out_sent,
                              GError      **error)
{
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GPtrArray) sla = NULL;
  g_autoptr(GHashTable) sent = NULL;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);
  g_return_val_if_fail (owner != NULL, NULL);
  g_return_val_if_fail (out_sla != NULL && out_sent != NULL, NULL);

  tasks = due_tasks (self, owner, now, error);
  if (tasks == NULL)
    return NULL;
  sla = sla_watch (self, owner, now, error);
  if (sla == NULL)
    return NULL;
  sent = sent_keys (self, now, error);
  if (sent == NULL)
    return NULL;
  *out_sla = g_steal_pointer (&sla);
  *out_sent = g_steal_pointer (&sent);
  return g_steal_pointer (&tasks);
}

static gboolean
record_key (CpLeadStore  *self,
            const char   *key,
            gint64        time,
            GError      **error)
{
  sqlite3_stmt *stmt = _cp_database_built_statement (self->database,
                                                     "INSERT INTO notifications_sent (key, sent_at) VALUES (?1, ?2)"
                                                     " ON CONFLICT (key) DO UPDATE SET sent_at = excluded.sent_at",
                                                     error);

  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, key);
  sqlite3_bind_int64 (stmt, 2, time);
  return _cp_database_step_done (self->database, stmt, error);
}

/**
 * cp_lead_store_mark_reminded:
 * @reminders: (element-type CpReminder): what was announced
 *
 * Records the reminders' keys as announced at @now, in one transaction:
 * they are not announced again.
 */
gboolean
cp_lead_store_mark_reminded (CpLeadStore  *self,
                             GPtrArray    *reminders,
                             gint64        now,
                             GError      **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (reminders != NULL, FALSE);

  if (reminders->len == 0)
    return TRUE;
  if (!_cp_database_check_writable (self->database, error) || !cp_database_begin (self->database, error))
    return FALSE;
  for (guint i = 0; ok && i < reminders->len; i++)
    ok = record_key (self, ((CpReminder *) reminders->pdata[i])->key, now, error);
  if (!ok)
    {
      cp_database_rollback (self->database);
      return FALSE;
    }
  return cp_database_commit (self->database, error);
}

/**
 * cp_lead_store_snooze_reminder:
 * @target: a reminder's snooze target: a task id, or the key of an SLA
 *   reminder (cp_reminder_key_is_sla())
 * @until: when to remind again
 *
 * “Snooze” from a notification: a task is snoozed until @until
 * (cp_lead_store_snooze_task(), with its audit row); an SLA reminder is
 * announced again at @until.
 */
gboolean
cp_lead_store_snooze_reminder (CpLeadStore  *self,
                               const char   *target,
                               gint64        until,
                               const char   *actor,
                               GError      **error)
{
  g_autofree char *snooze_key = NULL;
  gboolean ok;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);

  if (!cp_reminder_key_is_sla (target))
    return cp_lead_store_snooze_task (self, target, until, actor, error);
  if (!_cp_database_check_writable (self->database, error) || !cp_database_begin (self->database, error))
    return FALSE;
  snooze_key = cp_reminder_snooze_key (target);
  ok = record_key (self, snooze_key, until, error);
  if (!ok)
    {
      cp_database_rollback (self->database);
      return FALSE;
    }
  return cp_database_commit (self->database, error);
}
