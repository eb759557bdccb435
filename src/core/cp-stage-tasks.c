/* cp-stage-tasks.c — the tasks a playbook stage gives a lead's owner when the lead enters it
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-playbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-outreach.h"
#include "cp-playbook.h"
#include "cp-validate.h"

/* Long enough for a quarter of business days. */
#define MAX_DUE_BUSINESS_HOURS (24 * 92)

CpEntryTask *
cp_entry_task_new (void)
{
  CpEntryTask *task = g_new0 (CpEntryTask, 1);

  task->kind = CP_TASK_KIND_FOLLOW_UP;
  return task;
}

void
cp_entry_task_free (CpEntryTask *task)
{
  if (task == NULL)
    return;
  g_free (task->title);
  g_free (task->template_key);
  g_free (task);
}

/**
 * cp_playbook_check_entry_tasks:
 * @stage_index: the stage whose entry tasks to check
 * @error: the first problem, as "path: reason"
 *   (`stages[2].entry_tasks[0].template: unknown template “x”`)
 *
 * An entry task needs a title of one line (at most %CP_TASK_TITLE_MAX
 * characters), a known kind, a due delay of at most a quarter of
 * business hours, and a template, when it names one, of this playbook.
 */
gboolean
cp_playbook_check_entry_tasks (CpPlaybook  *self,
                               guint        stage_index,
                               GError     **error)
{
  const CpStage *stage;

  g_return_val_if_fail (self != NULL && stage_index < self->stages->len, FALSE);

  stage = self->stages->pdata[stage_index];
  for (guint i = 0; stage->entry_tasks != NULL && i < stage->entry_tasks->len; i++)
    {
      const CpEntryTask *task = stage->entry_tasks->pdata[i];
      g_autofree char *path = g_strdup_printf ("stages[%u].entry_tasks[%u]", stage_index, i);
      g_autofree char *title = g_strstrip (g_strdup (task->title != NULL ? task->title : ""));
      g_autoptr(GError) local_error = NULL;

      if (*title == '\0')
        return cp_set_path_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID, path,
                                  _("an entry task needs a title"));
      if (!cp_validate_text (task->title, CP_TASK_TITLE_MAX, FALSE, &local_error))
        return cp_set_path_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID, path, "%s",
                                  local_error->message);
      if ((guint) task->kind >= CP_TASK_N_KINDS)
        return cp_set_path_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID, path,
                                  _("unknown kind of task"));
      if (task->due_business_hours > MAX_DUE_BUSINESS_HOURS)
        return cp_set_path_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID, path,
                                  _("an entry task is due within %u business hours at most"),
                                  MAX_DUE_BUSINESS_HOURS);
      if (task->template_key != NULL &&
          cp_outreach_find_template (self, stage->id, task->template_key) == NULL)
        {
          g_autofree char *template_path = g_strconcat (path, ".template", NULL);

          return cp_set_path_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID, template_path,
                                    _("unknown template “%s”"), task->template_key);
        }
    }
  return TRUE;
}

/**
 * cp_stage_describe_entry_tasks:
 * @out: where “, entry tasks: …” is appended (nothing when there are none)
 *
 * One line on the stage's entry tasks, for the differences between two
 * playbook versions.
 */
void
cp_stage_describe_entry_tasks (const CpStage *stage,
                               GString       *out)
{
  g_return_if_fail (stage != NULL && out != NULL);

  for (guint i = 0; stage->entry_tasks != NULL && i < stage->entry_tasks->len; i++)
    {
      const CpEntryTask *task = stage->entry_tasks->pdata[i];

      g_string_append (out, i == 0 ? ", entry tasks: " : "; ");
      g_string_append_printf (out, "%s “%s” in %uh", cp_task_kind_to_string (task->kind),
                              task->title != NULL ? task->title : "", task->due_business_hours);
      if (task->template_key != NULL)
        g_string_append_printf (out, " (%s)", task->template_key);
    }
}
