/* cp-task-store.c — tasks in the database: add, complete, snooze, cancel, reassign, list, count
 *
 * Each write is one transaction (a savepoint inside the caller's) that
 * reads the task, checks what may change, writes it and an audit row
 * (entity 'task'), and announces CpLeadStore::tasks-changed once
 * committed. What the playbook does to tasks on its own is in
 * cp-task-write.c; the reminders the tick service sends are in
 * cp-task-reminders.c.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-task-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-database-private.h"
#include "cp-datetime.h"
#include "cp-task-store-private.h"
#include "cp-validate.h"

static const char * const due_names[] = { "all", "overdue", "today", "week" };

const char *
cp_task_due_to_string (CpTaskDue due)
{
  g_return_val_if_fail ((guint) due < G_N_ELEMENTS (due_names), NULL);

  return due_names[due];
}

gboolean
cp_task_due_from_string (const char *text,
                         CpTaskDue  *out_due)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (due_names); i++)
    if (g_str_equal (text, due_names[i]))
      {
        if (out_due != NULL)
          *out_due = i;
        return TRUE;
      }
  return FALSE;
}

/* The task @task_id, still open, in the open transaction. */
static CpTask *
load_open (CpLeadStore  *self,
           const char   *task_id,
           const char   *verb,
           GError      **error)
{
  g_autoptr(CpTask) task = _cp_task_store_load (self, task_id, error);

  if (task == NULL)
    return NULL;
  if (!cp_task_is_open (task))
    {
      /* Translators: the first %s is what was asked (“completed”, “snoozed”, …); the second the status */
      g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                   _("The task “%s” is %s already: it cannot be %s."), task_id,
                   cp_task_get_status (task) == CP_TASK_STATUS_DONE ? _("done") : _("cancelled"), verb);
      return NULL;
    }
  return g_steal_pointer (&task);
}

/* An owner as the filters will look it up: without the spaces around it;
 * blank is nobody (%NULL). */
static char *
clean_owner (const char *owner)
{
  char *clean = owner != NULL ? g_strstrip (g_strdup (owner)) : NULL;

  if (clean != NULL && *clean == '\0')
    g_clear_pointer (&clean, g_free);
  return clean;
}

static gboolean
check_lead (CpLeadStore  *self,
            const char   *lead_id,
            CpLead      **out_lead,
            GError      **error)
{
  gint64 deleted_at = 0;
  g_autoptr(CpLead) lead = _cp_lead_store_load (self, lead_id, &deleted_at, error);

  if (lead == NULL)
    return FALSE;
  if (deleted_at != 0)
    {
      _cp_lead_store_not_found (error, lead_id);
      return FALSE;
    }
  if (out_lead != NULL)
    *out_lead = g_steal_pointer (&lead);
  return TRUE;
}

/**
 * cp_lead_store_add_task:
 * @task: the new task: lead, kind, title, due time (and optionally note,
 *   owner — the lead's owner when unset or blank —, template); its id, owner and
 *   creation time are filled in, its origin is "manual" unless set
 *
 * Adds a task to a lead, validated (cp_task_validate()); a lead that does
 * not exist or was removed is refused (%CP_STORE_ERROR_NOT_FOUND).
 */
gboolean
cp_lead_store_add_task (CpLeadStore  *self,
                        CpTask       *task,
                        const char   *actor,
                        GError      **error)
{
  g_autoptr(CpLead) lead = NULL;
  g_autofree char *owner = NULL;
  gint64 now;
  gboolean ok;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (CP_IS_TASK (task), FALSE);

  /* A blank owner is none given: the lead's owner takes it. */
  owner = clean_owner (cp_task_get_owner (task));
  cp_task_set_owner (task, owner);
  if (!cp_task_validate (task, error) || !_cp_database_check_writable (self->database, error))
    return FALSE;
  now = self->now_func ();
  if (!cp_database_begin (self->database, error))
    return FALSE;
  ok = check_lead (self, cp_task_get_lead_id (task), &lead, error);
  if (ok && cp_task_get_owner (task) == NULL)
    cp_task_set_owner (task, cp_lead_get_text (lead, CP_LEAD_FIELD_OWNER));
  ok = ok && _cp_task_rows_insert (self, task, actor, now, NULL, error);
  if (ok)
    _cp_lead_store_emit_changed (self, cp_task_get_lead_id (task), _CP_LEAD_CHANGE_TASKS);
  return _cp_lead_store_commit_or_roll_back (self, ok, error);
}

/* Done or cancelled: an open task only. */
static gboolean
close_task (CpLeadStore   *self,
            const char    *task_id,
            CpTaskStatus   status,
            const char    *activity_id,
            const char    *reason,
            const char    *actor,
            GError       **error)
{
  g_autoptr(CpTask) task = NULL;
  gboolean ok;

  if (!_cp_database_check_writable (self->database, error) || !cp_database_begin (self->database, error))
    return FALSE;
  task = load_open (self, task_id, status == CP_TASK_STATUS_DONE ? _("completed") : _("cancelled"), error);
  ok = task != NULL &&
       _cp_task_rows_close (self, task, status, activity_id, actor, self->now_func (), reason, error);
  if (ok)
    _cp_lead_store_emit_changed (self, cp_task_get_lead_id (task), _CP_LEAD_CHANGE_TASKS);
  return _cp_lead_store_commit_or_roll_back (self, ok, error);
}

/**
 * cp_lead_store_complete_task:
 * @activity_id: (nullable): the activity that did it (the email or call
 *   logged for it)
 *
 * Marks an open task done. A task already done or cancelled is refused
 * (%CP_STORE_ERROR_INVALID).
 */
gboolean
cp_lead_store_complete_task (CpLeadStore  *self,
                             const char   *task_id,
                             const char   *activity_id,
                             const char   *actor,
                             GError      **error)
{
  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (task_id != NULL, FALSE);

  return close_task (self, task_id, CP_TASK_STATUS_DONE, activity_id, NULL, actor, error);
}

/**
 * cp_lead_store_cancel_task:
 * @reason: (nullable): why, kept in the audit trail
 *
 * Cancels an open task (it is kept, never deleted).
 */
gboolean
cp_lead_store_cancel_task (CpLeadStore  *self,
                           const char   *task_id,
                           const char   *reason,
                           const char   *actor,
                           GError      **error)
{
  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (task_id != NULL, FALSE);

  if (reason != NULL && !cp_validate_text (reason, 2000, TRUE, error))
    return FALSE;
  return close_task (self, task_id, CP_TASK_STATUS_CANCELLED, NULL, reason, actor, error);
}

/* One column of an open task changes, with its audit row. */
static gboolean
update_open (CpLeadStore  *self,
             const char   *task_id,
             const char   *verb,
             const char   *sql,
             const char   *action,
             const char   *field,
             const char   *new_text,
             gint64        new_int,
             const char   *actor,
             GError      **error)
{
  g_autoptr(CpTask) task = NULL;
  g_autofree char *old_value = NULL;
  g_autofree char *new_value = NULL;
  sqlite3_stmt *stmt;
  gint64 now = self->now_func ();
  gboolean ok;

  if (!_cp_database_check_writable (self->database, error) || !cp_database_begin (self->database, error))
    return FALSE;
  task = load_open (self, task_id, verb, error);
  stmt = task != NULL ? _cp_database_built_statement (self->database, sql, error) : NULL;
  ok = stmt != NULL;
  if (ok)
    {
      _cp_bind_text (stmt, 1, task_id);
      if (new_text != NULL || new_int == 0)
        _cp_bind_text (stmt, 2, new_text);
      else
        sqlite3_bind_int64 (stmt, 2, new_int);
      sqlite3_bind_int64 (stmt, 3, now);
      if (new_int != 0)
        {
          gint64 old = cp_task_get_effective_due (task);

          old_value = cp_datetime_format_iso8601 (old);
          new_value = cp_datetime_format_iso8601 (new_int);
        }
      else
        {
          old_value = g_strdup (cp_task_get_owner (task));
          new_value = g_strdup (new_text);
        }
      ok = _cp_database_step_done (self->database, stmt, error) &&
           _cp_lead_store_write_entity_audit (self, "task", task_id, action, field, old_value, new_value, actor, now, NULL, error);
    }
  if (ok)
    _cp_lead_store_emit_changed (self, cp_task_get_lead_id (task), _CP_LEAD_CHANGE_TASKS);
  return _cp_lead_store_commit_or_roll_back (self, ok, error);
}

/**
 * cp_lead_store_snooze_task:
 * @until: Unix seconds, later than now: the task's effective due time
 *   becomes @until (its due time is kept)
 *
 * Snoozes an open task. A time that is not in the future is refused
 * (%CP_STORE_ERROR_INVALID), as is a task done or cancelled.
 */
gboolean
cp_lead_store_snooze_task (CpLeadStore  *self,
                           const char   *task_id,
                           gint64        until,
                           const char   *actor,
                           GError      **error)
{
  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (task_id != NULL, FALSE);

  if (until <= self->now_func ())
    {
      g_set_error_literal (error, CP_STORE_ERROR, CP_STORE_ERROR_INVALID,
                           _("A task can only be snoozed until a time in the future."));
      return FALSE;
    }
  return update_open (self, task_id, _("snoozed"),
                      "UPDATE tasks SET snoozed_until = ?2, updated_at = ?3 WHERE id = ?1",
                      "snooze", "snoozed_until", NULL, until, actor, error);
}

/**
 * cp_lead_store_reassign_task:
 * @owner: (nullable): the new owner (the spaces around it left out);
 *   %NULL or blank: nobody
 *
 * Gives an open task to someone else.
 */
gboolean
cp_lead_store_reassign_task (CpLeadStore  *self,
                             const char   *task_id,
                             const char   *owner,
                             const char   *actor,
                             GError      **error)
{
  g_autofree char *clean = clean_owner (owner);

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (task_id != NULL, FALSE);

  if (clean != NULL && !cp_validate_text (clean, 200, FALSE, error))
    return FALSE;
  return update_open (self, task_id, _("reassigned"),
                      "UPDATE tasks SET owner = ?2, updated_at = ?3 WHERE id = ?1",
                      "reassign", "owner", clean, 0, actor, error);
}

/**
 * cp_lead_store_get_task:
 *
 * Returns: (transfer full): the task (whatever its status), or %NULL with
 *   @error set (%CP_STORE_ERROR_NOT_FOUND)
 */
CpTask *
cp_lead_store_get_task (CpLeadStore  *self,
                        const char   *task_id,
                        GError      **error)
{
  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);
  g_return_val_if_fail (task_id != NULL, NULL);

  return _cp_task_store_load (self, task_id, error);
}

/* The end of @filter's due window, or 0 for none. */
static gint64
due_bound (const CpTaskFilter *filter,
           gint64              now)
{
  switch (filter->due)
    {
    case CP_TASK_DUE_OVERDUE:
      return now;
    case CP_TASK_DUE_TODAY:
      return cp_task_local_day_end (now, filter->tz, 1);
    case CP_TASK_DUE_WEEK:
      return cp_task_local_day_end (now, filter->tz, 7);
    case CP_TASK_DUE_ANY:
    default:
      return 0;
    }
}

/**
 * cp_lead_store_list_tasks:
 * @filter: (nullable): which tasks; %NULL: every open task
 *
 * The tasks of leads not removed, by effective due time, then title. Each
 * carries its lead's display name (`lead-name`). A due window (@due, or
 * @due_from / @due_before: one My Work section with
 * cp_task_bucket_bounds()) keeps open tasks only; @limit and @offset page.
 *
 * Returns: (transfer full) (element-type CpTask): the tasks, or %NULL
 *   with @error set
 */
GPtrArray *
cp_lead_store_list_tasks (CpLeadStore         *self,
                          const CpTaskFilter  *filter,
                          GError             **error)
{
  static const CpTaskFilter all_open = { 0, };
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) sql = g_string_new (CP_TASK_SELECT " WHERE l.deleted_at = 0");
  sqlite3_stmt *stmt;
  gint64 now, bound;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);

  if (filter == NULL)
    filter = &all_open;
  now = filter->now != 0 ? filter->now : self->now_func ();
  bound = due_bound (filter, now);
  /* The clauses are fixed text; every value is bound, in this order. */
  if (filter->owner != NULL)
    g_string_append (sql, " AND t.owner = ?1");
  if (filter->lead_id != NULL)
    g_string_append (sql, " AND t.lead_id = ?2");
  if (!filter->include_closed || bound != 0 || filter->due_from != 0 || filter->due_before != 0)
    g_string_append (sql, " AND t.status = 'open'");
  if (bound != 0)
    g_string_append (sql, " AND " CP_TASK_EFFECTIVE_DUE " < ?3");
  if (filter->due_from != 0)
    g_string_append (sql, " AND " CP_TASK_EFFECTIVE_DUE " >= ?5");
  if (filter->due_before != 0)
    g_string_append (sql, " AND " CP_TASK_EFFECTIVE_DUE " < ?6");
  g_string_append (sql, " ORDER BY " CP_TASK_EFFECTIVE_DUE ", t.title, t.id");
  if (filter->limit > 0)
    g_string_append (sql, " LIMIT ?4 OFFSET ?7");
  stmt = _cp_database_built_statement (self->database, sql->str, error);
  if (stmt == NULL)
    return NULL;
  _cp_bind_text (stmt, 1, filter->owner);
  _cp_bind_text (stmt, 2, filter->lead_id);
  sqlite3_bind_int64 (stmt, 3, bound);
  sqlite3_bind_int64 (stmt, 4, filter->limit);
  sqlite3_bind_int64 (stmt, 5, filter->due_from);
  sqlite3_bind_int64 (stmt, 6, filter->due_before);
  sqlite3_bind_int64 (stmt, 7, filter->offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (tasks, _cp_task_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the tasks"));
      return NULL;
    }
  return g_steal_pointer (&tasks);
}

/**
 * cp_lead_store_count_tasks:
 * @owner: (nullable): whose; %NULL: everyone's
 * @now: the time; 0: the store's clock
 * @out_open: (out) (optional): open tasks
 * @out_overdue: (out) (optional): open tasks whose effective due time passed
 *
 * For the view switcher's badge.
 */
gboolean
cp_lead_store_count_tasks (CpLeadStore  *self,
                           const char   *owner,
                           gint64        now,
                           guint        *out_open,
                           guint        *out_overdue,
                           GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);

  stmt = _cp_database_built_statement (self->database,
                                       owner != NULL
                                       ? "SELECT count(*), coalesce(sum(" CP_TASK_EFFECTIVE_DUE " < ?2), 0)"
                                         " FROM tasks t JOIN leads l ON l.id = t.lead_id"
                                         " WHERE t.status = 'open' AND l.deleted_at = 0 AND t.owner = ?1"
                                       : "SELECT count(*), coalesce(sum(" CP_TASK_EFFECTIVE_DUE " < ?2), 0)"
                                         " FROM tasks t JOIN leads l ON l.id = t.lead_id"
                                         " WHERE t.status = 'open' AND l.deleted_at = 0",
                                       error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, owner);
  sqlite3_bind_int64 (stmt, 2, now != 0 ? now : self->now_func ());
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (out_open != NULL)
        *out_open = sqlite3_column_int (stmt, 0);
      if (out_overdue != NULL)
        *out_overdue = sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not count the tasks"));
      return FALSE;
    }
  return TRUE;
}

/**
 * cp_lead_store_count_task_buckets:
 * @owner: (nullable): whose; %NULL: everyone's
 * @now: the time; 0: the store's clock
 * @tz: (nullable): the zone whose days count; %NULL: the local zone
 * @counts: (out caller-allocates) (array fixed-size=3): the open tasks
 *   overdue, due today and upcoming, indexed by #CpTaskBucket
 *
 * My Work's section counts (the badge: overdue + today), in one query.
 */
gboolean
cp_lead_store_count_task_buckets (CpLeadStore  *self,
                                  const char   *owner,
                                  gint64        now,
                                  GTimeZone    *tz,
                                  guint         counts[CP_TASK_N_BUCKETS],
                                  GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  if (now == 0)
    now = self->now_func ();
  stmt = _cp_database_built_statement (self->database,
                                       owner != NULL
                                       ? "SELECT coalesce(sum(" CP_TASK_EFFECTIVE_DUE " < ?2), 0),"
                                         " coalesce(sum(" CP_TASK_EFFECTIVE_DUE " >= ?2 AND "
                                         CP_TASK_EFFECTIVE_DUE " < ?3), 0),"
                                         " coalesce(sum(" CP_TASK_EFFECTIVE_DUE " >= ?3), 0)"
                                         " FROM tasks t JOIN leads l ON l.id = t.lead_id"
                                         " WHERE t.status = 'open' AND l.deleted_at = 0 AND t.owner = ?1"
                                       : "SELECT coalesce(sum(" CP_TASK_EFFECTIVE_DUE " < ?2), 0),"
                                         " coalesce(sum(" CP_TASK_EFFECTIVE_DUE " >= ?2 AND "
                                         CP_TASK_EFFECTIVE_DUE " < ?3), 0),"
                                         " coalesce(sum(" CP_TASK_EFFECTIVE_DUE " >= ?3), 0)"
                                         " FROM tasks t JOIN leads l ON l.id = t.lead_id"
                                         " WHERE t.status = 'open' AND l.deleted_at = 0",
                                       error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, owner);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, cp_task_local_day_end (now, tz, 1));
  rc = sqlite3_step (stmt);
  for (guint b = 0; rc == SQLITE_ROW && b < CP_TASK_N_BUCKETS; b++)
    counts[b] = sqlite3_column_int (stmt, b);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not count the tasks"));
      return FALSE;
    }
  return TRUE;
}

/**
 * cp_lead_store_task_owners:
 *
 * Returns: (transfer full) (element-type utf8): the people who own open
 *   tasks, sorted (for My Work's owner filter), or %NULL with @error set
 */
GPtrArray *
cp_lead_store_task_owners (CpLeadStore  *self,
                           GError      **error)
{
  g_autoptr(GPtrArray) owners = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_LEAD_STORE (self), NULL);

  stmt = _cp_database_built_statement (self->database,
                                       "SELECT DISTINCT owner FROM tasks WHERE status = 'open'"
                                       " AND owner IS NOT NULL ORDER BY owner",
                                       error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (owners, g_strdup (_cp_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the tasks’ owners"));
      return NULL;
    }
  return g_steal_pointer (&owners);
}
