/* cp-task.c — a next action on a lead: a call, an email, a meeting, a follow-up, a handoff item
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-task"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-core-error.h"
#include "cp-task.h"
#include "cp-validate-private.h"

struct _CpTask
{
  GObject       parent_instance;

  char         *id;
  char         *lead_id;
  char         *lead_name;
  CpTaskKind    kind;
  char         *title;
  char         *note;
  char         *owner;
  gint64        due_at;
  gint64        snoozed_until;
  CpTaskStatus  status;
  gint64        done_at;
  char         *origin;
  char         *stage_id;
  char         *template_key;
  gint64        created_at;
};

G_DEFINE_FINAL_TYPE (CpTask, cp_task, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (CpTaskKind, cp_task_kind,
  G_DEFINE_ENUM_VALUE (CP_TASK_KIND_CALL, "call"),
  G_DEFINE_ENUM_VALUE (CP_TASK_KIND_EMAIL, "email"),
  G_DEFINE_ENUM_VALUE (CP_TASK_KIND_MEETING, "meeting"),
  G_DEFINE_ENUM_VALUE (CP_TASK_KIND_FOLLOW_UP, "follow_up"),
  G_DEFINE_ENUM_VALUE (CP_TASK_KIND_HANDOFF, "handoff"))

G_DEFINE_ENUM_TYPE (CpTaskStatus, cp_task_status,
  G_DEFINE_ENUM_VALUE (CP_TASK_STATUS_OPEN, "open"),
  G_DEFINE_ENUM_VALUE (CP_TASK_STATUS_DONE, "done"),
  G_DEFINE_ENUM_VALUE (CP_TASK_STATUS_CANCELLED, "cancelled"))

enum {
  PROP_0,
  PROP_ID,
  PROP_LEAD_ID,
  PROP_LEAD_NAME,
  PROP_KIND,
  PROP_TITLE,
  PROP_NOTE,
  PROP_OWNER,
  PROP_DUE_AT,
  PROP_SNOOZED_UNTIL,
  PROP_EFFECTIVE_DUE,
  PROP_STATUS,
  PROP_DONE_AT,
  PROP_ORIGIN,
  PROP_STAGE_ID,
  PROP_TEMPLATE_KEY,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct
{
  const char *id;
  const char *label;
  const char *icon;
} kinds[CP_TASK_N_KINDS] = {
  [CP_TASK_KIND_CALL] = { "call", N_("Call"), "call-start-symbolic" },
  [CP_TASK_KIND_EMAIL] = { "email", N_("Email"), "mail-unread-symbolic" },
  [CP_TASK_KIND_MEETING] = { "meeting", N_("Meeting"), "x-office-calendar-symbolic" },
  [CP_TASK_KIND_FOLLOW_UP] = { "follow_up", N_("Follow-up"), "mail-forward-symbolic" },
  [CP_TASK_KIND_HANDOFF] = { "handoff", N_("Handoff"), "object-select-symbolic" },
};

static const char * const statuses[] = { "open", "done", "cancelled" };

const char *
cp_task_kind_to_string (CpTaskKind kind)
{
  g_return_val_if_fail ((guint) kind < CP_TASK_N_KINDS, NULL);

  return kinds[kind].id;
}

gboolean
cp_task_kind_from_string (const char *text,
                          CpTaskKind *out_kind)
{
  for (guint i = 0; text != NULL && i < CP_TASK_N_KINDS; i++)
    if (g_str_equal (text, kinds[i].id))
      {
        if (out_kind != NULL)
          *out_kind = i;
        return TRUE;
      }
  return FALSE;
}

const char *
cp_task_kind_label (CpTaskKind kind)
{
  g_return_val_if_fail ((guint) kind < CP_TASK_N_KINDS, NULL);

  return _(kinds[kind].label);
}

const char *
cp_task_kind_icon_name (CpTaskKind kind)
{
  g_return_val_if_fail ((guint) kind < CP_TASK_N_KINDS, NULL);

  return kinds[kind].icon;
}

const char *
cp_task_status_to_string (CpTaskStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (statuses), NULL);

  return statuses[status];
}

gboolean
cp_task_status_from_string (const char   *text,
                            CpTaskStatus *out_status)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (statuses); i++)
    if (g_str_equal (text, statuses[i]))
      {
        if (out_status != NULL)
          *out_status = i;
        return TRUE;
      }
  return FALSE;
}

const char *
cp_task_bucket_label (CpTaskBucket bucket)
{
  switch (bucket)
    {
    case CP_TASK_BUCKET_OVERDUE:
      return _("Overdue");
    case CP_TASK_BUCKET_TODAY:
      return _("Today");
    case CP_TASK_BUCKET_UPCOMING:
      return _("Upcoming");
    case CP_TASK_N_BUCKETS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---- the object ---- */

static void
cp_task_finalize (GObject *object)
{
  CpTask *self = CP_TASK (object);

  g_free (self->id);
  g_free (self->lead_id);
  g_free (self->lead_name);
  g_free (self->title);
  g_free (self->note);
  g_free (self->owner);
  g_free (self->origin);
  g_free (self->stage_id);
  g_free (self->template_key);

  G_OBJECT_CLASS (cp_task_parent_class)->finalize (object);
}

static void
cp_task_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CpTask *self = CP_TASK (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_LEAD_ID: g_value_set_string (value, self->lead_id); break;
    case PROP_LEAD_NAME: g_value_set_string (value, self->lead_name); break;
    case PROP_KIND: g_value_set_enum (value, self->kind); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_NOTE: g_value_set_string (value, self->note); break;
    case PROP_OWNER: g_value_set_string (value, self->owner); break;
    case PROP_DUE_AT: g_value_set_int64 (value, self->due_at); break;
    case PROP_SNOOZED_UNTIL: g_value_set_int64 (value, self->snoozed_until); break;
    case PROP_EFFECTIVE_DUE: g_value_set_int64 (value, cp_task_get_effective_due (self)); break;
    case PROP_STATUS: g_value_set_enum (value, self->status); break;
    case PROP_DONE_AT: g_value_set_int64 (value, self->done_at); break;
    case PROP_ORIGIN: g_value_set_string (value, self->origin); break;
    case PROP_STAGE_ID: g_value_set_string (value, self->stage_id); break;
    case PROP_TEMPLATE_KEY: g_value_set_string (value, self->template_key); break;
    case PROP_CREATED_AT: g_value_set_int64 (value, self->created_at); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_task_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  CpTask *self = CP_TASK (object);

  switch (prop_id)
    {
    case PROP_ID: cp_task_set_id (self, g_value_get_string (value)); break;
    case PROP_LEAD_ID: cp_task_set_lead_id (self, g_value_get_string (value)); break;
    case PROP_LEAD_NAME: cp_task_set_lead_name (self, g_value_get_string (value)); break;
    case PROP_KIND: cp_task_set_kind (self, g_value_get_enum (value)); break;
    case PROP_TITLE: cp_task_set_title (self, g_value_get_string (value)); break;
    case PROP_NOTE: cp_task_set_note (self, g_value_get_string (value)); break;
    case PROP_OWNER: cp_task_set_owner (self, g_value_get_string (value)); break;
    case PROP_DUE_AT: cp_task_set_due_at (self, g_value_get_int64 (value)); break;
    case PROP_SNOOZED_UNTIL: cp_task_set_snoozed_until (self, g_value_get_int64 (value)); break;
    case PROP_STATUS: cp_task_set_status (self, g_value_get_enum (value)); break;
    case PROP_DONE_AT: cp_task_set_done_at (self, g_value_get_int64 (value)); break;
    case PROP_ORIGIN: cp_task_set_origin (self, g_value_get_string (value)); break;
    case PROP_STAGE_ID: cp_task_set_stage_id (self, g_value_get_string (value)); break;
    case PROP_TEMPLATE_KEY: cp_task_set_template_key (self, g_value_get_string (value)); break;
    case PROP_CREATED_AT: cp_task_set_created_at (self, g_value_get_int64 (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_task_class_init (CpTaskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cp_task_finalize;
  object_class->get_property = cp_task_get_property;
  object_class->set_property = cp_task_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, rw);
  properties[PROP_LEAD_ID] = g_param_spec_string ("lead-id", NULL, NULL, NULL, rw);
  properties[PROP_LEAD_NAME] = g_param_spec_string ("lead-name", NULL, NULL, NULL, rw);
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, CP_TYPE_TASK_KIND,
                                             CP_TASK_KIND_FOLLOW_UP, rw);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, rw);
  properties[PROP_NOTE] = g_param_spec_string ("note", NULL, NULL, NULL, rw);
  properties[PROP_OWNER] = g_param_spec_string ("owner", NULL, NULL, NULL, rw);
  properties[PROP_DUE_AT] = g_param_spec_int64 ("due-at", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_SNOOZED_UNTIL] =
      g_param_spec_int64 ("snoozed-until", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_EFFECTIVE_DUE] =
      g_param_spec_int64 ("effective-due", NULL, NULL, 0, G_MAXINT64, 0,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, CP_TYPE_TASK_STATUS,
                                               CP_TASK_STATUS_OPEN, rw);
  properties[PROP_DONE_AT] = g_param_spec_int64 ("done-at", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_ORIGIN] = g_param_spec_string ("origin", NULL, NULL, CP_TASK_ORIGIN_MANUAL, rw);
  properties[PROP_STAGE_ID] = g_param_spec_string ("stage-id", NULL, NULL, NULL, rw);
  properties[PROP_TEMPLATE_KEY] = g_param_spec_string ("template-key", NULL, NULL, NULL, rw);
  properties[PROP_CREATED_AT] = g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cp_task_init (CpTask *self)
{
  self->kind = CP_TASK_KIND_FOLLOW_UP;
  self->status = CP_TASK_STATUS_OPEN;
  self->origin = g_strdup (CP_TASK_ORIGIN_MANUAL);
}

CpTask *
cp_task_new (void)
{
  return g_object_new (CP_TYPE_TASK, NULL);
}

static void
set_string (CpTask     *self,
            char      **slot,
            const char *value,
            guint       prop)
{
  if (g_strcmp0 (*slot, value) == 0)
    return;
  g_free (*slot);
  *slot = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_int (CpTask *self,
         gint64 *slot,
         gint64  value,
         guint   prop)
{
  if (*slot == value)
    return;
  *slot = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

#define STRING_ACCESSORS(name, PROP)                                      \
  const char *cp_task_get_##name (CpTask *self)                           \
  {                                                                       \
    g_return_val_if_fail (CP_IS_TASK (self), NULL);                       \
    return self->name;                                                    \
  }                                                                       \
  void cp_task_set_##name (CpTask *self, const char *value)               \
  {                                                                       \
    g_return_if_fail (CP_IS_TASK (self));                                 \
    set_string (self, &self->name, value, PROP);                          \
  }

STRING_ACCESSORS (id, PROP_ID)
STRING_ACCESSORS (lead_id, PROP_LEAD_ID)
STRING_ACCESSORS (lead_name, PROP_LEAD_NAME)
STRING_ACCESSORS (title, PROP_TITLE)
STRING_ACCESSORS (note, PROP_NOTE)
STRING_ACCESSORS (owner, PROP_OWNER)
STRING_ACCESSORS (origin, PROP_ORIGIN)
STRING_ACCESSORS (stage_id, PROP_STAGE_ID)
STRING_ACCESSORS (template_key, PROP_TEMPLATE_KEY)

gint64
cp_task_get_due_at (CpTask *self)
{
  g_return_val_if_fail (CP_IS_TASK (self), 0);
  return self->due_at;
}

void
cp_task_set_due_at (CpTask *self,
                    gint64  due_at)
{
  g_return_if_fail (CP_IS_TASK (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_int (self, &self->due_at, due_at, PROP_DUE_AT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EFFECTIVE_DUE]);
  g_object_thaw_notify (G_OBJECT (self));
}

gint64
cp_task_get_snoozed_until (CpTask *self)
{
  g_return_val_if_fail (CP_IS_TASK (self), 0);
  return self->snoozed_until;
}

void
cp_task_set_snoozed_until (CpTask *self,
                           gint64  snoozed_until)
{
  g_return_if_fail (CP_IS_TASK (self));

  if (self->snoozed_until == snoozed_until)
    return;
  g_object_freeze_notify (G_OBJECT (self));
  set_int (self, &self->snoozed_until, snoozed_until, PROP_SNOOZED_UNTIL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EFFECTIVE_DUE]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * cp_task_get_effective_due:
 *
 * Returns: when the task is due now: the time it was snoozed until when
 *   snoozed, its due time otherwise
 */
gint64
cp_task_get_effective_due (CpTask *self)
{
  g_return_val_if_fail (CP_IS_TASK (self), 0);

  return self->snoozed_until > 0 ? self->snoozed_until : self->due_at;
}

CpTaskKind
cp_task_get_kind (CpTask *self)
{
  g_return_val_if_fail (CP_IS_TASK (self), CP_TASK_KIND_FOLLOW_UP);
  return self->kind;
}

void
cp_task_set_kind (CpTask     *self,
                  CpTaskKind  kind)
{
  g_return_if_fail (CP_IS_TASK (self));

  if (self->kind == kind)
    return;
  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

CpTaskStatus
cp_task_get_status (CpTask *self)
{
  g_return_val_if_fail (CP_IS_TASK (self), CP_TASK_STATUS_OPEN);
  return self->status;
}

void
cp_task_set_status (CpTask       *self,
                    CpTaskStatus  status)
{
  g_return_if_fail (CP_IS_TASK (self));

  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

gboolean
cp_task_is_open (CpTask *self)
{
  g_return_val_if_fail (CP_IS_TASK (self), FALSE);
  return self->status == CP_TASK_STATUS_OPEN;
}

gint64
cp_task_get_done_at (CpTask *self)
{
  g_return_val_if_fail (CP_IS_TASK (self), 0);
  return self->done_at;
}

void
cp_task_set_done_at (CpTask *self,
                     gint64  done_at)
{
  g_return_if_fail (CP_IS_TASK (self));
  set_int (self, &self->done_at, done_at, PROP_DONE_AT);
}

gint64
cp_task_get_created_at (CpTask *self)
{
  g_return_val_if_fail (CP_IS_TASK (self), 0);
  return self->created_at;
}

void
cp_task_set_created_at (CpTask *self,
                        gint64  created_at)
{
  g_return_if_fail (CP_IS_TASK (self));
  set_int (self, &self->created_at, created_at, PROP_CREATED_AT);
}

static gboolean
validate_title (CpTask  *self,
                GError **error)
{
  g_autofree char *title = g_strstrip (g_strdup (self->title != NULL ? self->title : ""));

  if (*title == '\0')
    {
      g_set_error_literal (error, CP_CORE_ERROR, CP_CORE_ERROR_REQUIRED,
                           _("A task needs a title."));
      return FALSE;
    }
  return _cp_validate_text_for (self->title, CP_TASK_TITLE_MAX, FALSE, _("The task’s title"),
                                error);
}

static gboolean
validate_due (CpTask  *self,
              GError **error)
{
  if (self->due_at > 0)
    return TRUE;
  g_set_error_literal (error, CP_CORE_ERROR, CP_CORE_ERROR_REQUIRED, _("A task needs a due time."));
  return FALSE;
}

static gboolean
validate_kind (CpTask  *self,
               GError **error)
{
  if ((guint) self->kind < CP_TASK_N_KINDS)
    return TRUE;
  g_set_error (error, CP_CORE_ERROR, CP_CORE_ERROR_INVALID,
               _("“%d” is not a kind of task (call, email, meeting, follow_up, handoff)."),
               (int) self->kind);
  return FALSE;
}

static gboolean
validate_lead (CpTask  *self,
               GError **error)
{
  if (self->lead_id != NULL && *self->lead_id != '\0')
    return TRUE;
  g_set_error_literal (error, CP_CORE_ERROR, CP_CORE_ERROR_REQUIRED,
                       _("A task belongs to a lead."));
  return FALSE;
}

static gboolean
validate_note (CpTask  *self,
               GError **error)
{
  return _cp_validate_text_for (self->note, CP_TASK_NOTE_MAX, TRUE, _("The task’s note"), error);
}

static gboolean
validate_owner (CpTask  *self,
                GError **error)
{
  return _cp_validate_text_for (self->owner, 200, FALSE, _("The task’s owner"), error);
}

static const struct
{
  const char *property;
  gboolean  (*check) (CpTask *self, GError **error);
} validators[] = {
  { "title", validate_title },
  { "due-at", validate_due },
  { "kind", validate_kind },
  { "lead-id", validate_lead },
  { "note", validate_note },
  { "owner", validate_owner },
};

/**
 * cp_task_validate:
 * @error: a #GError in %CP_CORE_ERROR, with a message a person can read
 *
 * What a task must be to be stored: a title of 1 to %CP_TASK_TITLE_MAX
 * characters on one line, a due time, a known kind, a lead, and a note
 * and an owner that are clean text. The first problem is reported, in
 * that order.
 */
gboolean
cp_task_validate (CpTask  *self,
                  GError **error)
{
  g_return_val_if_fail (CP_IS_TASK (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (validators); i++)
    if (!validators[i].check (self, error))
      return FALSE;
  return TRUE;
}

/**
 * cp_task_validate_field:
 * @property: "title", "due-at", "kind", "lead-id", "note" or "owner"
 *
 * The check of cp_task_validate() for one field, for a form that shows
 * each problem under its field.
 */
gboolean
cp_task_validate_field (CpTask      *self,
                        const char  *property,
                        GError     **error)
{
  g_return_val_if_fail (CP_IS_TASK (self), FALSE);
  g_return_val_if_fail (property != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (validators); i++)
    if (g_str_equal (validators[i].property, property))
      return validators[i].check (self, error);
  g_return_val_if_reached (FALSE);
}

/* ---- My Work ---- */

/**
 * cp_task_local_day_end:
 * @now: Unix seconds
 * @tz: (nullable): the zone whose days count; %NULL: the local zone
 * @days: 1 for the end of @now's day, 7 for the end of the 7th day from it
 *
 * Returns: the first instant of the local day @days days after the one
 *   @now falls on (a DST change is taken into account)
 */
gint64
cp_task_local_day_end (gint64     now,
                       GTimeZone *tz,
                       guint      days)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (now);
  g_autoptr(GDateTime) zoned = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) next = NULL;
  int y, m, d;

  zoned = tz != NULL ? g_date_time_to_timezone (local, tz) : g_date_time_ref (local);
  g_date_time_get_ymd (zoned, &y, &m, &d);
  midnight = g_date_time_new (g_date_time_get_timezone (zoned), y, m, d, 0, 0, 0);
  next = g_date_time_add_days (midnight, (int) days);
  return g_date_time_to_unix (next);
}

/**
 * cp_task_bucket_bounds:
 * @tz: (nullable): the zone whose days count; %NULL: the local zone
 * @out_from: (out): the earliest effective due time in @bucket (0: no bound)
 * @out_before: (out): the first effective due time after @bucket (0: no bound)
 *
 * The due times a bucket holds as of @now, for a listing of one section
 * (CpTaskFilter's due_from and due_before).
 */
void
cp_task_bucket_bounds (CpTaskBucket  bucket,
                       gint64        now,
                       GTimeZone    *tz,
                       gint64       *out_from,
                       gint64       *out_before)
{
  gint64 day_end = cp_task_local_day_end (now, tz, 1);

  g_return_if_fail (out_from != NULL && out_before != NULL);

  *out_from = bucket == CP_TASK_BUCKET_OVERDUE ? 0 : bucket == CP_TASK_BUCKET_TODAY ? now : day_end;
  *out_before = bucket == CP_TASK_BUCKET_OVERDUE ? now
                : bucket == CP_TASK_BUCKET_TODAY ? day_end : 0;
}

static CpTaskBucket
bucket_of (gint64 due,
           gint64 now,
           gint64 day_end)
{
  if (due < now)
    return CP_TASK_BUCKET_OVERDUE;
  return due < day_end ? CP_TASK_BUCKET_TODAY : CP_TASK_BUCKET_UPCOMING;
}

/**
 * cp_task_get_bucket:
 * @now: Unix seconds
 * @tz: (nullable): the zone whose days count; %NULL: the local zone
 *
 * Returns: whether the task is overdue, due today (before the next local
 *   midnight) or later, by its effective due time
 */
CpTaskBucket
cp_task_get_bucket (CpTask    *self,
                    gint64     now,
                    GTimeZone *tz)
{
  g_return_val_if_fail (CP_IS_TASK (self), CP_TASK_BUCKET_UPCOMING);

  return bucket_of (cp_task_get_effective_due (self), now, cp_task_local_day_end (now, tz, 1));
}

void
cp_task_group_free (CpTaskGroup *group)
{
  if (group == NULL)
    return;
  g_free (group->lead_id);
  g_free (group->lead_name);
  g_clear_pointer (&group->tasks, g_ptr_array_unref);
  g_free (group);
}

void
cp_task_section_free (CpTaskSection *section)
{
  if (section == NULL)
    return;
  g_clear_pointer (&section->groups, g_ptr_array_unref);
  g_free (section);
}

static int
compare_tasks (gconstpointer a,
               gconstpointer b)
{
  CpTask *x = *(CpTask **) a;
  CpTask *y = *(CpTask **) b;
  gint64 dx = cp_task_get_effective_due (x);
  gint64 dy = cp_task_get_effective_due (y);
  int order;

  if (dx != dy)
    return dx < dy ? -1 : 1;
  order = g_utf8_collate (x->title != NULL ? x->title : "", y->title != NULL ? y->title : "");
  return order != 0 ? order : g_strcmp0 (x->id, y->id);
}

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  const CpTaskGroup *x = *(CpTaskGroup **) a;
  const CpTaskGroup *y = *(CpTaskGroup **) b;
  int order;

  if (x->earliest_due != y->earliest_due)
    return x->earliest_due < y->earliest_due ? -1 : 1;
  order = g_utf8_collate (x->lead_name != NULL ? x->lead_name : "",
                          y->lead_name != NULL ? y->lead_name : "");
  return order != 0 ? order : g_strcmp0 (x->lead_id, y->lead_id);
}

/**
 * cp_task_group_my_work:
 * @tasks: (element-type CpTask): tasks (done and cancelled ones are left out)
 * @now: Unix seconds
 * @tz: (nullable): the zone whose days count; %NULL: the local zone
 *
 * My Work's layout: the open tasks in three sections, always in the order
 * overdue, today, upcoming (a section may be empty); in each, one group
 * per lead, the lead whose task is due first first; in a group, the tasks
 * by effective due time, then title.
 *
 * Returns: (transfer full) (element-type CpTaskSection): the three sections
 */
GPtrArray *
cp_task_group_my_work (GPtrArray *tasks,
                       gint64     now,
                       GTimeZone *tz)
{
  GPtrArray *sections = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_task_section_free);
  GHashTable *index[CP_TASK_N_BUCKETS];
  gint64 day_end = cp_task_local_day_end (now, tz, 1);

  for (guint b = 0; b < CP_TASK_N_BUCKETS; b++)
    {
      CpTaskSection *section = g_new0 (CpTaskSection, 1);

      section->bucket = b;
      section->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_task_group_free);
      g_ptr_array_add (sections, section);
      index[b] = g_hash_table_new (g_str_hash, g_str_equal);
    }

  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    {
      CpTask *task = tasks->pdata[i];
      gint64 due = cp_task_get_effective_due (task);
      CpTaskBucket bucket;
      CpTaskSection *section;
      CpTaskGroup *group;
      const char *lead_id = task->lead_id != NULL ? task->lead_id : "";

      if (task->status != CP_TASK_STATUS_OPEN)
        continue;
      bucket = bucket_of (due, now, day_end);
      section = sections->pdata[bucket];
      group = g_hash_table_lookup (index[bucket], lead_id);
      if (group == NULL)
        {
          group = g_new0 (CpTaskGroup, 1);
          group->lead_id = g_strdup (lead_id);
          group->lead_name = g_strdup (task->lead_name);
          group->earliest_due = due;
          group->tasks = g_ptr_array_new_with_free_func (g_object_unref);
          g_ptr_array_add (section->groups, group);
          g_hash_table_insert (index[bucket], group->lead_id, group);
        }
      group->earliest_due = MIN (group->earliest_due, due);
      g_ptr_array_add (group->tasks, g_object_ref (task));
      section->n_tasks++;
    }

  for (guint b = 0; b < CP_TASK_N_BUCKETS; b++)
    {
      CpTaskSection *section = sections->pdata[b];

      for (guint g = 0; g < section->groups->len; g++)
        g_ptr_array_sort (((CpTaskGroup *) section->groups->pdata[g])->tasks, compare_tasks);
      g_ptr_array_sort (section->groups, compare_groups);
      g_hash_table_unref (index[b]);
    }
  return sections;
}
