/* cp-task-store-private.h — tasks as the write path creates, completes and cancels them
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cp-lead-store-private.h"
#include "cp-task-store.h"

G_BEGIN_DECLS

/* The columns every task query reads, in this order (see _cp_task_from_row()). */
#define CP_TASK_SELECT                                                                    \
  "SELECT t.id, t.lead_id, t.kind, t.title, t.note, t.owner, t.due_at, t.snoozed_until," \
  " t.status, t.done_at, t.origin, t.stage_id, t.template_key, t.created_at,"            \
  " l.first_name, l.last_name, l.email, l.phone"                                          \
  " FROM tasks t JOIN leads l ON l.id = t.lead_id"

/* The effective due time, in SQL. */
#define CP_TASK_EFFECTIVE_DUE "(CASE WHEN t.snoozed_until > 0 THEN t.snoozed_until ELSE t.due_at END)"

CpTask  *_cp_task_from_row          (sqlite3_stmt         *stmt);
CpTask  *_cp_task_store_load        (CpLeadStore          *self,
                                     const char           *task_id,
                                     GError              **error);
gboolean _cp_task_rows_insert       (CpLeadStore          *self,
                                     CpTask               *task,
                                     const char           *actor,
                                     gint64                now,
                                     const char           *reason,
                                     GError              **error);
gboolean _cp_task_rows_close        (CpLeadStore          *self,
                                     CpTask               *task,
                                     CpTaskStatus          status,
                                     const char           *completed_by,
                                     const char           *actor,
                                     gint64                now,
                                     const char           *reason,
                                     GError              **error);
gboolean _cp_task_write_after_lead  (CpLeadStore          *self,
                                     CpLifecycle          *lifecycle,
                                     CpLead               *before,
                                     CpLead               *after,
                                     const CpWriteRequest *request,
                                     GError              **error);

G_END_DECLS
