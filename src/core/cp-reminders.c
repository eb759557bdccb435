/* cp-reminders.c — what to remind someone of, and when: tasks coming due, SLAs about to breach
 *
 * A pure decision, the clock passed in: the tick service reads what it
 * needs from the store (the user's open tasks, their leads with a
 * response clock running, the keys already announced), asks here, sends
 * what comes back and records its keys. Each reminder has a key that
 * says what was announced: announced once, never twice.
 *
 *  - a task: “task-soon:ID:DUE” from CP_REMINDER_TASK_LEAD_SECONDS before
 *    its effective due time, “task-due:ID:DUE” from the due time on (for
 *    CP_REMINDER_TASK_STALE_SECONDS). Snoozing a task moves its due time,
 *    so its keys change: it is announced again at the new time. A
 *    first-response task (origin "sla") is not: its SLA is.
 *  - a response SLA: “sla-soon:LEAD:DUE” from CP_REMINDER_SLA_LEAD_SECONDS
 *    before it breaches. Snoozing it records “snooze:KEY” with the time
 *    to announce it again, which happens once that time is reached (even
 *    after the breach, as long as nobody responded).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-reminders"

#include "config.h"

#include "cp-reminders.h"

#define SLA_PREFIX    "sla-soon:"
#define SNOOZE_PREFIX "snooze:"

void
cp_sla_watch_free (CpSlaWatch *watch)
{
  if (watch == NULL)
    return;
  g_free (watch->lead_id);
  g_free (watch->lead_name);
  g_free (watch->stage);
  g_free (watch);
}

void
cp_reminder_free (CpReminder *reminder)
{
  if (reminder == NULL)
    return;
  g_free (reminder->key);
  g_free (reminder->lead_id);
  g_free (reminder->lead_name);
  g_free (reminder->task_id);
  g_free (reminder->title);
  g_free (reminder->snooze_target);
  g_free (reminder);
}

/**
 * cp_reminder_snooze_key:
 * @key: an SLA reminder's key
 *
 * Returns: (transfer full): the key under which its snooze is recorded
 *   (the value stored with it is the time to announce it again)
 */
char *
cp_reminder_snooze_key (const char *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return g_strconcat (SNOOZE_PREFIX, key, NULL);
}

/* Whether @key (app.snooze-task's target) names an SLA reminder rather than a task. */
gboolean
cp_reminder_key_is_sla (const char *key)
{
  return key != NULL && g_str_has_prefix (key, SLA_PREFIX);
}

static gboolean
lookup_time (GHashTable *sent,
             const char *key,
             gint64     *out_time)
{
  const gint64 *value = sent != NULL ? g_hash_table_lookup (sent, key) : NULL;

  if (value == NULL)
    return FALSE;
  *out_time = *value;
  return TRUE;
}

static void
consider_next (gint64 *next,
               gint64  candidate,
               gint64  now)
{
  if (candidate > now && (*next == 0 || candidate < *next))
    *next = candidate;
}

static CpReminder *
task_reminder (CpTask         *task,
               CpReminderKind  kind,
               char           *key)
{
  CpReminder *reminder = g_new0 (CpReminder, 1);

  reminder->kind = kind;
  reminder->key = key;
  reminder->lead_id = g_strdup (cp_task_get_lead_id (task));
  reminder->lead_name = g_strdup (cp_task_get_lead_name (task));
  reminder->task_id = g_strdup (cp_task_get_id (task));
  reminder->title = g_strdup (cp_task_get_title (task));
  reminder->due_at = cp_task_get_effective_due (task);
  reminder->snooze_target = g_strdup (cp_task_get_id (task));
  return reminder;
}

static void
plan_task (GPtrArray  *out,
           CpTask     *task,
           GHashTable *sent,
           gint64      now,
           gint64     *next)
{
  gint64 due = cp_task_get_effective_due (task);
  gint64 ignored;
  g_autofree char *soon_key = NULL;
  g_autofree char *due_key = NULL;

  /* A response task is its SLA's: announced before the breach as such,
   * and at the breach by the time rules, not twice over as a task. */
  if (!cp_task_is_open (task) || due <= 0 ||
      g_strcmp0 (cp_task_get_origin (task), CP_TASK_ORIGIN_SLA) == 0)
    return;
  soon_key = g_strdup_printf ("task-soon:%s:%" G_GINT64_FORMAT, cp_task_get_id (task), due);
  due_key = g_strdup_printf ("task-due:%s:%" G_GINT64_FORMAT, cp_task_get_id (task), due);
  if (now >= due)
    {
      if (now - due <= CP_REMINDER_TASK_STALE_SECONDS && !lookup_time (sent, due_key, &ignored))
        g_ptr_array_add (out,
                         task_reminder (task, CP_REMINDER_TASK_DUE, g_steal_pointer (&due_key)));
      return;
    }
  consider_next (next, due, now);
  if (now >= due - CP_REMINDER_TASK_LEAD_SECONDS)
    {
      if (!lookup_time (sent, soon_key, &ignored))
        g_ptr_array_add (out,
                         task_reminder (task, CP_REMINDER_TASK_SOON, g_steal_pointer (&soon_key)));
    }
  else
    consider_next (next, due - CP_REMINDER_TASK_LEAD_SECONDS, now);
}

static void
plan_sla (GPtrArray        *out,
          const CpSlaWatch *watch,
          GHashTable       *sent,
          gint64            now,
          gint64           *next)
{
  g_autofree char *key =
      g_strdup_printf (SLA_PREFIX "%s:%" G_GINT64_FORMAT, watch->lead_id, watch->due_at);
  g_autofree char *snooze_key = cp_reminder_snooze_key (key);
  gint64 sent_at = 0, until = 0;
  gboolean was_sent = lookup_time (sent, key, &sent_at);
  gboolean snoozed = lookup_time (sent, snooze_key, &until) && until > sent_at;
  CpReminder *reminder;

  if (watch->due_at <= 0)
    return;
  if (!was_sent)
    {
      /* Announced before it breaches; a breach is the tick's own notice. */
      if (now >= watch->due_at)
        return;
      if (now < watch->due_at - CP_REMINDER_SLA_LEAD_SECONDS)
        {
          consider_next (next, watch->due_at - CP_REMINDER_SLA_LEAD_SECONDS, now);
          return;
        }
    }
  else if (!snoozed || now < until)
    {
      if (snoozed)
        consider_next (next, until, now);
      return;
    }

  reminder = g_new0 (CpReminder, 1);
  reminder->kind = CP_REMINDER_SLA_SOON;
  reminder->key = g_steal_pointer (&key);
  reminder->lead_id = g_strdup (watch->lead_id);
  reminder->lead_name = g_strdup (watch->lead_name);
  reminder->title = g_strdup (watch->stage);
  reminder->due_at = watch->due_at;
  reminder->snooze_target = g_strdup (reminder->key);
  g_ptr_array_add (out, reminder);
}

static int
compare_reminders (gconstpointer a,
                   gconstpointer b)
{
  const CpReminder *x = *(CpReminder **) a;
  const CpReminder *y = *(CpReminder **) b;

  if (x->due_at != y->due_at)
    return x->due_at < y->due_at ? -1 : 1;
  return g_strcmp0 (x->key, y->key);
}

/**
 * cp_reminders_plan:
 * @tasks: (element-type CpTask) (nullable): the user's tasks (only open
 *   ones count)
 * @sla: (element-type CpSlaWatch) (nullable): the user's leads whose
 *   first response is due
 * @sent: (element-type utf8 gint64) (nullable): what was announced: key →
 *   a pointer to the time it was (for a snooze key: the time to announce
 *   again)
 * @now: the time, Unix seconds
 * @out_next_at: (out) (optional): the next time something would be due
 *   to announce, if nothing changes meanwhile; 0: nothing
 *
 * Returns: (transfer full) (element-type CpReminder): what to announce now,
 *   by due time
 */
GPtrArray *
cp_reminders_plan (GPtrArray  *tasks,
                   GPtrArray  *sla,
                   GHashTable *sent,
                   gint64      now,
                   gint64     *out_next_at)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_reminder_free);
  gint64 next = 0;

  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    plan_task (out, tasks->pdata[i], sent, now, &next);
  for (guint i = 0; sla != NULL && i < sla->len; i++)
    plan_sla (out, sla->pdata[i], sent, now, &next);
  g_ptr_array_sort (out, compare_reminders);
  if (out_next_at != NULL)
    *out_next_at = next;
  return out;
}
