/* cp-task-write.c — the rows of tasks, and the tasks a change of a lead brings along
 *
 * The lead write path (cp-lead-write.c) calls _cp_task_write_after_lead()
 * once the lead's row is written, in the same transaction, so that every
 * entry point — the window, the CLI, an import row, a CRM pull, the
 * automation — gives the same tasks:
 *
 *  - a lead that enters a stage gets the stage's `entry_tasks`, for its
 *    owner (as routed), due in the location's business hours;
 *  - a lead whose response clock starts (or restarts, on a move) gets a
 *    first-response task due when the SLA is, of the kind of the stage's
 *    first channel; a running one is moved to the new due time;
 *  - the first response (an outreach logged) completes that task, with
 *    the activity that did it;
 *  - a lead that closes has its open stage and response tasks cancelled;
 *  - a new owner takes over the open stage and response tasks the former
 *    owner had.
 *
 * A new lead has no tasks yet: nothing is read for it, so an import pays
 * only for the rows it writes. A new lead that comes with its past (a CRM
 * record, the demo) gets only the tasks not yet due.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-task-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-business-hours.h"
#include "cp-database-private.h"
#include "cp-datetime.h"
#include "cp-lead-write-private.h"
#include "cp-outreach.h"
#include "cp-task-store-private.h"

/* ---- rows ---- */

CpTask *
_cp_task_from_row (sqlite3_stmt *stmt)
{
  CpTask *task = cp_task_new ();
  g_autoptr(CpLead) names = cp_lead_new ();
  g_autofree char *lead_name = NULL;
  CpTaskKind kind = CP_TASK_KIND_FOLLOW_UP;
  CpTaskStatus status = CP_TASK_STATUS_OPEN;

  cp_task_set_id (task, _cp_column_text (stmt, 0));
  cp_task_set_lead_id (task, _cp_column_text (stmt, 1));
  cp_task_kind_from_string (_cp_column_text (stmt, 2), &kind);
  cp_task_set_kind (task, kind);
  cp_task_set_title (task, _cp_column_text (stmt, 3));
  cp_task_set_note (task, _cp_column_text (stmt, 4));
  cp_task_set_owner (task, _cp_column_text (stmt, 5));
  cp_task_set_due_at (task, sqlite3_column_int64 (stmt, 6));
  cp_task_set_snoozed_until (task, sqlite3_column_int64 (stmt, 7));
  cp_task_status_from_string (_cp_column_text (stmt, 8), &status);
  cp_task_set_status (task, status);
  cp_task_set_done_at (task, sqlite3_column_int64 (stmt, 9));
  cp_task_set_origin (task, _cp_column_text (stmt, 10));
  cp_task_set_stage_id (task, _cp_column_text (stmt, 11));
  cp_task_set_template_key (task, _cp_column_text (stmt, 12));
  cp_task_set_created_at (task, sqlite3_column_int64 (stmt, 13));
  /* The lead's name as everywhere else it is shown. */
  cp_lead_set_text (names, CP_LEAD_FIELD_FIRST_NAME, _cp_column_text (stmt, 14));
  cp_lead_set_text (names, CP_LEAD_FIELD_LAST_NAME, _cp_column_text (stmt, 15));
  cp_lead_set_text (names, CP_LEAD_FIELD_EMAIL, _cp_column_text (stmt, 16));
  cp_lead_set_text (names, CP_LEAD_FIELD_PHONE, _cp_column_text (stmt, 17));
  lead_name = cp_lead_dup_display_name (names);
  cp_task_set_lead_name (task, lead_name);
  return task;
}

/**
 * _cp_task_store_load:
 *
 * Returns: (transfer full): the task, or %NULL with @error set
 *   (%CP_STORE_ERROR_NOT_FOUND when there is none with that id)
 */
CpTask *
_cp_task_store_load (CpLeadStore  *self,
                     const char   *task_id,
                     GError      **error)
{
  sqlite3_stmt *stmt = _cp_database_built_statement (self->database, CP_TASK_SELECT " WHERE t.id = ?1",
                                                     error);
  CpTask *task = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  _cp_bind_text (stmt, 1, task_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    task = _cp_task_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, CP_STORE_ERROR, CP_STORE_ERROR_NOT_FOUND, _("There is no task with the id “%s”."),
                 task_id);
  else if (rc != SQLITE_ROW)
    _cp_database_set_error (self->database, error, rc, _("Could not read the task"));
  return task;
}

/**
 * _cp_task_rows_insert:
 * @task: a validated task; its id and creation time are filled in when unset
 * @reason: (nullable): why it was made (kept in the audit row)
 *
 * Writes the task and its "create" audit row (entity 'task': the kind,
 * the due time and the owner). Titles and notes are not copied into the
 * trail: they may name the person, and the trail is never rewritten.
 */
gboolean
_cp_task_rows_insert (CpLeadStore  *self,
                      CpTask       *task,
                      const char   *actor,
                      gint64        now,
                      const char   *reason,
                      GError      **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *due = NULL;
  g_autofree char *what = NULL;

  if (cp_task_get_id (task) == NULL)
    {
      /* time-ordered (cp_lead_new_id()): the task lands at the end of
       * its indexes and of the audit trail's */
      g_autofree char *id = cp_lead_new_id ();
      cp_task_set_id (task, id);
    }
  if (cp_task_get_created_at (task) == 0)
    cp_task_set_created_at (task, now);
  /* A cached statement of its own: every new lead's response task is
   * one (no lookup of the text among the built statements). */
  stmt = _cp_database_statement (self->database, CP_STMT_TASK_INSERT, error);
  if (stmt == NULL)
    return FALSE;
  /* @task outlives the step: its values are bound without a copy */
  _cp_bind_text_uncopied (stmt, 1, cp_task_get_id (task));
  _cp_bind_text_uncopied (stmt, 2, cp_task_get_lead_id (task));
  _cp_bind_text_uncopied (stmt, 3, cp_task_kind_to_string (cp_task_get_kind (task)));
  _cp_bind_text_uncopied (stmt, 4, cp_task_get_title (task));
  _cp_bind_text_uncopied (stmt, 5, cp_task_get_note (task));
  _cp_bind_text_uncopied (stmt, 6, cp_task_get_owner (task));
  sqlite3_bind_int64 (stmt, 7, cp_task_get_due_at (task));
  sqlite3_bind_int64 (stmt, 8, cp_task_get_snoozed_until (task));
  _cp_bind_text_uncopied (stmt, 9, cp_task_get_origin (task));
  _cp_bind_text_uncopied (stmt, 10, cp_task_get_stage_id (task));
  _cp_bind_text_uncopied (stmt, 11, cp_task_get_template_key (task));
  sqlite3_bind_int64 (stmt, 12, cp_task_get_created_at (task));
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;
  cp_task_set_status (task, CP_TASK_STATUS_OPEN);
  due = cp_datetime_format_iso8601 (cp_task_get_due_at (task));
  what = g_strdup_printf ("%s %s, due %s", cp_task_get_origin (task),
                          cp_task_kind_to_string (cp_task_get_kind (task)), due);
  return _cp_lead_store_write_entity_audit (self, "task", cp_task_get_id (task), "create", "owner", NULL, cp_task_get_owner (task),
                              actor, now, reason != NULL ? reason : what, error);
}

/**
 * _cp_task_rows_close:
 * @status: done or cancelled
 * @completed_by: (nullable): the activity that did it
 *
 * Marks an open task done or cancelled, with its audit row.
 */
gboolean
_cp_task_rows_close (CpLeadStore   *self,
                     CpTask        *task,
                     CpTaskStatus   status,
                     const char    *completed_by,
                     const char    *actor,
                     gint64         now,
                     const char    *reason,
                     GError       **error)
{
  sqlite3_stmt *stmt;

  g_assert (status != CP_TASK_STATUS_OPEN);

  stmt = _cp_database_built_statement (self->database,
                                       "UPDATE tasks SET status = ?2, done_at = ?3, done_by = ?4,"
                                       " completed_by = ?5, updated_at = ?3"
                                       " WHERE id = ?1 AND status = 'open'",
                                       error);
  if (stmt == NULL)
    return FALSE;
  _cp_bind_text (stmt, 1, cp_task_get_id (task));
  _cp_bind_text (stmt, 2, cp_task_status_to_string (status));
  sqlite3_bind_int64 (stmt, 3, now);
  _cp_bind_text (stmt, 4, actor);
  _cp_bind_text (stmt, 5, completed_by);
  if (!_cp_database_step_done (self->database, stmt, error))
    return FALSE;
  cp_task_set_status (task, status);
  cp_task_set_done_at (task, now);
  return _cp_lead_store_write_entity_audit (self, "task", cp_task_get_id (task), status == CP_TASK_STATUS_DONE ? "done" : "cancel",
                              "status", "open", cp_task_status_to_string (status), actor, now,
                              reason != NULL ? reason : completed_by, error);
}

/* ---- what a change of a lead brings along ---- */

/* The lead's open tasks made by the playbook (stage and response tasks);
 * @sla_only: the response tasks alone. */
static GPtrArray *
open_playbook_tasks (CpLeadStore  *self,
                     const char   *lead_id,
                     gboolean      sla_only,
                     GError      **error)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cp_database_built_statement (self->database,
                                       sla_only ? CP_TASK_SELECT " WHERE t.lead_id = ?1 AND t.status = 'open'"
                                                  " AND t.origin = 'sla' ORDER BY t.due_at, t.id"
                                                : CP_TASK_SELECT " WHERE t.lead_id = ?1 AND t.status = 'open'"
                                                  " AND t.origin IN ('stage', 'sla') ORDER BY t.due_at, t.id",
                                       error);
  if (stmt == NULL)
    return NULL;
  _cp_bind_text (stmt, 1, lead_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (tasks, _cp_task_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cp_database_set_error (self->database, error, rc, _("Could not read the lead’s tasks"));
      return NULL;
    }
  return g_steal_pointer (&tasks);
}

static gboolean
close_all (CpLeadStore          *self,
           GPtrArray            *tasks,
           CpTaskStatus          status,
           const CpWriteRequest *request,
           const char           *reason,
           GError              **error)
{
  for (guint i = 0; i < tasks->len; i++)
    if (!_cp_task_rows_close (self, tasks->pdata[i], status, request->activity_id, request->actor,
                              request->now, reason, error))
      return FALSE;
  return TRUE;
}

/* The open stage and response tasks the former owner had go to the new one. */
static gboolean
follow_owner (CpLeadStore          *self,
              CpLead               *before,
              CpLead               *after,
              const CpWriteRequest *request,
              GError              **error)
{
  const char *old_owner = cp_lead_get_text (before, CP_LEAD_FIELD_OWNER);
  const char *new_owner = cp_lead_get_text (after, CP_LEAD_FIELD_OWNER);
  g_autoptr(GPtrArray) tasks = open_playbook_tasks (self, cp_lead_get_id (after), FALSE, error);
  sqlite3_stmt *stmt;

  if (tasks == NULL)
    return FALSE;
  for (guint i = 0; i < tasks->len; i++)
    {
      CpTask *task = tasks->pdata[i];

      /* One someone gave to a colleague stays with the colleague. */
      if (g_strcmp0 (cp_task_get_owner (task), old_owner) != 0)
        continue;
      stmt = _cp_database_built_statement (self->database,
                                           "UPDATE tasks SET owner = ?2, updated_at = ?3 WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      _cp_bind_text (stmt, 1, cp_task_get_id (task));
      _cp_bind_text (stmt, 2, new_owner);
      sqlite3_bind_int64 (stmt, 3, request->now);
      if (!_cp_database_step_done (self->database, stmt, error) ||
          !_cp_lead_store_write_entity_audit (self, "task", cp_task_get_id (task), "reassign", "owner", old_owner, new_owner,
                                request->actor, request->now, _("The lead changed owner"), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_entry_tasks (CpLeadStore          *self,
                 CpPlaybook           *playbook,
                 const CpStage        *stage,
                 CpLead               *after,
                 gint64                not_before,
                 const CpWriteRequest *request,
                 GError              **error)
{
  gint64 entered = cp_lead_get_stage_entered_at (after);

  for (guint i = 0; i < stage->entry_tasks->len; i++)
    {
      const CpEntryTask *entry = stage->entry_tasks->pdata[i];
      g_autoptr(CpTask) task = cp_task_new ();
      gint64 due = cp_playbook_business_due_at (playbook, cp_lead_get_text (after, CP_LEAD_FIELD_LOCATION),
                                                entered, entry->due_business_hours);

      if (due < not_before)
        continue;
      cp_task_set_lead_id (task, cp_lead_get_id (after));
      cp_task_set_kind (task, entry->kind);
      cp_task_set_title (task, entry->title);
      cp_task_set_owner (task, cp_lead_get_text (after, CP_LEAD_FIELD_OWNER));
      cp_task_set_due_at (task, due > 0 ? due : entered);
      cp_task_set_origin (task, CP_TASK_ORIGIN_STAGE);
      cp_task_set_stage_id (task, stage->id);
      cp_task_set_template_key (task, entry->template_key);
      if (!_cp_task_rows_insert (self, task, request->actor, request->now, NULL, error))
        return FALSE;
    }
  return TRUE;
}

/* The first-response task follows the response clock: made when it
 * starts, moved when it restarts, cancelled when the stage has none.
 * @none_open: the lead's open playbook tasks were just cancelled (it
 * closed), so there is no running one to read. */
static gboolean
sync_response_task (CpLeadStore          *self,
                    const CpStage        *stage,
                    CpLead               *before,
                    CpLead               *after,
                    gint64                not_before,
                    gboolean              none_open,
                    const CpWriteRequest *request,
                    GError              **error)
{
  gint64 due = cp_lead_get_int (after, CP_LEAD_FIELD_SLA_DUE_AT);
  g_autoptr(GPtrArray) running = NULL;
  g_autoptr(CpTask) task = NULL;

  if (before != NULL && !none_open)
    {
      running = open_playbook_tasks (self, cp_lead_get_id (after), TRUE, error);
      if (running == NULL)
        return FALSE;
    }
  if (due == 0)
    return running == NULL || close_all (self, running, CP_TASK_STATUS_CANCELLED, request,
                                         _("The stage has no response SLA"), error);
  if (running != NULL && running->len > 0)
    {
      CpTask *first = running->pdata[0];
      g_autofree char *old_due = cp_datetime_format_iso8601 (cp_task_get_due_at (first));
      g_autofree char *new_due = cp_datetime_format_iso8601 (due);
      sqlite3_stmt *stmt = _cp_database_built_statement (self->database,
                                                         "UPDATE tasks SET due_at = ?2, snoozed_until = 0,"
                                                         " stage_id = ?3, updated_at = ?4 WHERE id = ?1",
                                                         error);

      if (stmt == NULL)
        return FALSE;
      _cp_bind_text (stmt, 1, cp_task_get_id (first));
      sqlite3_bind_int64 (stmt, 2, due);
      _cp_bind_text (stmt, 3, stage != NULL ? stage->id : NULL);
      sqlite3_bind_int64 (stmt, 4, request->now);
      return _cp_database_step_done (self->database, stmt, error) &&
             _cp_lead_store_write_entity_audit (self, "task", cp_task_get_id (first), "reschedule", "due_at", old_due, new_due,
                                  request->actor, request->now, _("The response clock restarted"), error);
    }

  if (due < not_before)
    return TRUE;
  task = cp_task_new ();
  cp_task_set_lead_id (task, cp_lead_get_id (after));
  cp_task_set_kind (task, cp_outreach_kind_for_channel (stage != NULL && stage->channels != NULL
                                                        ? stage->channels[0] : NULL));
  /* Translators: the title of a lead's first-response task (lists show the lead's name beside it) */
  cp_task_set_title (task, _("First response"));
  cp_task_set_owner (task, cp_lead_get_text (after, CP_LEAD_FIELD_OWNER));
  cp_task_set_due_at (task, due);
  cp_task_set_origin (task, CP_TASK_ORIGIN_SLA);
  cp_task_set_stage_id (task, stage != NULL ? stage->id : NULL);
  return _cp_task_rows_insert (self, task, request->actor, request->now, NULL, error);
}

/**
 * _cp_task_write_after_lead:
 * @before: (nullable): the lead as it was; %NULL for a new lead
 * @after: the lead as written
 *
 * The tasks a change of a lead brings along (see the top of this file).
 * Must run inside the write's transaction, after the lead's row.
 */
gboolean
_cp_task_write_after_lead (CpLeadStore          *self,
                           CpLifecycle          *lifecycle,
                           CpLead               *before,
                           CpLead               *after,
                           const CpWriteRequest *request,
                           GError              **error)
{
  CpPlaybook *playbook = cp_lifecycle_get_playbook (lifecycle);
  const CpStage *stage = cp_playbook_get_stage (playbook, cp_lead_get_stage (after));
  gboolean entered = before == NULL || g_strcmp0 (cp_lead_get_stage (before), cp_lead_get_stage (after)) != 0;
  gint64 due = cp_lead_get_int (after, CP_LEAD_FIELD_SLA_DUE_AT);
  gint64 responded = cp_lead_get_int (after, CP_LEAD_FIELD_FIRST_RESPONSE_AT);
  gboolean changed = FALSE;
  gboolean none_open = FALSE;
  /* A lead created with its past (a CRM record, the demo) entered its
   * stage earlier: what fell due before now is its history, not work. */
  gint64 not_before = before == NULL && cp_lead_get_stage_entered_at (after) < request->now ? request->now : 0;

  if (before != NULL &&
      g_strcmp0 (cp_lead_get_text (before, CP_LEAD_FIELD_OWNER), cp_lead_get_text (after, CP_LEAD_FIELD_OWNER)) != 0)
    {
      if (!follow_owner (self, before, after, request, error))
        return FALSE;
      changed = TRUE;
    }
  if (before != NULL && responded != 0 && cp_lead_get_int (before, CP_LEAD_FIELD_FIRST_RESPONSE_AT) == 0)
    {
      g_autoptr(GPtrArray) running = open_playbook_tasks (self, cp_lead_get_id (after), TRUE, error);

      if (running == NULL ||
          !close_all (self, running, CP_TASK_STATUS_DONE, request, _("The first response was made"), error))
        return FALSE;
      changed |= running->len > 0;
    }
  if (entered && before != NULL && stage != NULL && stage->closed)
    {
      g_autoptr(GPtrArray) open = open_playbook_tasks (self, cp_lead_get_id (after), FALSE, error);

      if (open == NULL ||
          !close_all (self, open, CP_TASK_STATUS_CANCELLED, request, _("The lead was closed"), error))
        return FALSE;
      changed |= open->len > 0;
      none_open = TRUE;
    }
  if (entered && stage != NULL && stage->entry_tasks->len > 0)
    {
      if (!add_entry_tasks (self, playbook, stage, after, not_before, request, error))
        return FALSE;
      changed = TRUE;
    }
  if (responded == 0 && (before == NULL ? due != 0 : due != cp_lead_get_int (before, CP_LEAD_FIELD_SLA_DUE_AT)))
    {
      if (!sync_response_task (self, stage, before, after, not_before, none_open, request, error))
        return FALSE;
      changed = TRUE;
    }
  if (changed && !(request->flags & CP_WRITE_BULK))
    _cp_lead_store_emit_changed (self, cp_lead_get_id (after), _CP_LEAD_CHANGE_TASKS);
  return TRUE;
}
