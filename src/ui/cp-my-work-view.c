/* cp-my-work-view.c — My Work: open tasks, overdue, today and upcoming, grouped by lead
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store lists the open tasks of an owner by due time, at most as many
 * as shown (CP_MY_WORK_PAGE_SIZE more with each “Show More”), and the core
 * groups them (cp_task_group_my_work()); this view only lays them out: a
 * section per bucket, a header row per lead that opens the lead, a row
 * per task. The badge count (overdue and due today, for the person using
 * the app, whoever the filter shows) follows the store's task changes. */
#define G_LOG_DOMAIN "cp-my-work-view"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-my-work-view.h"
#include "cp-task-dialog.h"
#include "cp-task-row.h"
#include "cp-task-store.h"
#include "cp-task-time.h"
#include "cp-toast.h"

/* The owner filter's fixed entries, before the owners by name. */
enum {
  OWNER_ME,
  OWNER_EVERYONE,
  N_FIXED_OWNERS
};

struct _CpMyWorkView
{
  AdwBin           parent_instance;

  CpLeadStore     *store;
  char            *user_name;
  GPtrArray       *owners;        /* names after the fixed entries of the filter */
  gulong           tasks_changed_id;
  gulong           leads_changed_id;
  guint            tick_id;
  guint            limit;         /* tasks loaded */
  guint            n_shown;
  guint            badge_count;
  gboolean         needs_attention;
  gboolean         clock_12h;
  gboolean         filling_owners;
  gboolean         read_only;     /* the database cannot be written */
  char            *focus_task;    /* (nullable) the task acted on: focus goes to its neighbour */

  AdwToastOverlay *toast_overlay;
  GtkDropDown     *owner_dropdown;
  GtkStringList   *owner_list;
  GtkLabel        *summary_label;
  GtkStack        *stack;
  AdwStatusPage   *empty_page;
  GtkWidget       *sections[CP_TASK_N_BUCKETS];
  GtkLabel        *titles[CP_TASK_N_BUCKETS];
  GtkListBox      *lists[CP_TASK_N_BUCKETS];
  GtkButton       *more_button;
};

G_DEFINE_FINAL_TYPE (CpMyWorkView, cp_my_work_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BADGE_COUNT,
  PROP_NEEDS_ATTENTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_LEAD_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gint64
now (CpMyWorkView *self)
{
  return cp_lead_store_now (self->store);
}

static const char *
actor (CpMyWorkView *self)
{
  return self->user_name != NULL ? self->user_name : g_get_real_name ();
}

/**
 * cp_my_work_view_get_owner:
 *
 * Returns: (nullable): whose tasks the view shows; %NULL: everyone's
 */
const char *
cp_my_work_view_get_owner (CpMyWorkView *self)
{
  guint selected;

  g_return_val_if_fail (CP_IS_MY_WORK_VIEW (self), NULL);

  selected = gtk_drop_down_get_selected (self->owner_dropdown);
  if (selected == OWNER_EVERYONE)
    return NULL;
  if (selected >= N_FIXED_OWNERS && selected - N_FIXED_OWNERS < self->owners->len)
    return self->owners->pdata[selected - N_FIXED_OWNERS];
  return actor (self);
}

/* Overdue, and due later today, of @owner as of @at: two counts, the
 * second as of the day's end (what is “overdue” then is due by then). */
static gboolean
count_due (CpMyWorkView *self,
           const char   *owner,
           gint64        at,
           guint        *out_overdue,
           guint        *out_today,
           GError      **error)
{
  guint by_day_end = 0;

  if (!cp_lead_store_count_tasks (self->store, owner, at, NULL, out_overdue, error) ||
      !cp_lead_store_count_tasks (self->store, owner, cp_day_end (at, NULL), NULL, &by_day_end,
                                  error))
    return FALSE;
  *out_today = by_day_end > *out_overdue ? by_day_end - *out_overdue : 0;
  return TRUE;
}

static void
update_badge (CpMyWorkView *self)
{
  g_autoptr(GError) error = NULL;
  guint overdue = 0, today = 0;
  guint badge;

  if (!count_due (self, actor (self), now (self), &overdue, &today, &error))
    {
      g_warning ("Could not count the tasks due: %s", error->message);
      return;
    }
  badge = overdue + today;
  if (badge != self->badge_count)
    {
      self->badge_count = badge;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BADGE_COUNT]);
    }
  if ((overdue > 0) != self->needs_attention)
    {
      self->needs_attention = overdue > 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEEDS_ATTENTION]);
    }
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void task_done_cb   (CpTaskRow *row, CpMyWorkView *self);
static void task_snooze_cb (CpTaskRow *row, guint snooze, CpMyWorkView *self);

/* The lead's name above its tasks: Enter or a click opens the lead. */
static GtkWidget *
lead_header_row (const CpTaskGroup *group)
{
  GtkWidget *row = adw_action_row_new ();
  const char *name = group->lead_name != NULL && *group->lead_name != '\0'
                     ? group->lead_name : _("Unnamed lead");
  g_autofree char *open_label = g_strdup_printf (_("Open %s"), name);
  GtkWidget *icon = gtk_image_new_from_icon_name ("go-next-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  gtk_widget_add_css_class (row, "cp-task-lead");
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, open_label);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("avatar-default-symbolic"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, open_label,
                                  -1);
  g_object_set_data_full (G_OBJECT (row), "cp-lead-id", g_strdup (group->lead_id), g_free);

  return row;
}

static void
fill_section (CpMyWorkView        *self,
              const CpTaskSection *section,
              guint                n_in_bucket,
              gint64               at,
              gboolean             show_owner,
              GtkWidget          **focus)
{
  GtkListBox *list = self->lists[section->bucket];
  g_autofree char *title = NULL;

  clear_list (list);
  /* A section says how many tasks it has, also those “Show More” has not
   * brought in yet. */
  gtk_widget_set_visible (self->sections[section->bucket], section->n_tasks > 0 || n_in_bucket > 0);
  /* Translators: a section of My Work and how many tasks it has, e.g. “Today · 4” */
  title = g_strdup_printf (_("%s · %'u"), cp_task_bucket_label (section->bucket),
                           MAX (n_in_bucket, section->n_tasks));
  gtk_label_set_text (self->titles[section->bucket], title);

  for (guint g = 0; g < section->groups->len; g++)
    {
      const CpTaskGroup *group = section->groups->pdata[g];

      gtk_list_box_append (list, lead_header_row (group));
      for (guint t = 0; t < group->tasks->len; t++)
        {
          CpTask *task = group->tasks->pdata[t];
          GtkWidget *row = cp_task_row_new (task, at, self->clock_12h, show_owner);

          cp_task_row_set_read_only (CP_TASK_ROW (row), self->read_only);

          g_signal_connect_object (row, "done", G_CALLBACK (task_done_cb), self, 0);
          g_signal_connect_object (row, "snooze", G_CALLBACK (task_snooze_cb), self, 0);
          gtk_list_box_append (list, row);
          if (*focus == NULL && g_strcmp0 (cp_task_get_id (task), self->focus_task) == 0)
            *focus = row;
        }
    }
}

static void
set_n_shown (CpMyWorkView *self,
             guint         n_shown,
             guint         n_open)
{
  g_autofree char *summary = NULL;

  self->n_shown = n_shown;
  gtk_widget_set_visible (GTK_WIDGET (self->more_button), n_shown < n_open);
  if (n_shown < n_open)
    {
      guint rest = n_open - n_shown;
      g_autofree char *more =
          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Show More (%u Not Shown)",
                                        "Show More (%u Not Shown)", rest),
                           rest);
      gtk_button_set_label (self->more_button, more);
    }
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u open task", "%u open tasks", n_open),
                             n_open);
  gtk_label_set_text (self->summary_label, summary);
}

static void
show_empty (CpMyWorkView *self,
            const char   *owner)
{
  g_autofree char *description = NULL;

  if (gtk_drop_down_get_selected (self->owner_dropdown) == OWNER_ME)
    description = g_strdup (_("Tasks you own appear here"));
  else if (owner == NULL)
    description = g_strdup (_("Nobody has an open task"));
  else
    /* Translators: %s is a team member's name */
    description = g_strdup_printf (_("%s has no open task"), owner);
  adw_status_page_set_description (self->empty_page, description);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* Reads the owner's open tasks again and lays them out. */
static void
reload (CpMyWorkView *self)
{
  const char *owner;
  gint64 at;
  CpTaskFilter filter = { 0, };
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GPtrArray) sections = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *focus = NULL;
  gboolean show_owner;
  guint open = 0, overdue = 0;
  guint in_bucket[CP_TASK_N_BUCKETS] = { 0, };

  if (self->store == NULL)
    return;
  owner = cp_my_work_view_get_owner (self);
  at = now (self);
  filter = (CpTaskFilter) {
    .owner = owner, .due = CP_TASK_DUE_ANY, .now = at, .limit = self->limit,
  };
  if (!cp_lead_store_count_tasks (self->store, owner, at, &open, &overdue, &error) ||
      !cp_lead_store_count_task_buckets (self->store, owner, at, NULL, in_bucket, &error) ||
      (tasks = cp_lead_store_list_tasks (self->store, &filter, &error)) == NULL)
    {
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  set_n_shown (self, tasks->len, MAX (open, tasks->len));
  if (tasks->len == 0)
    {
      show_empty (self, owner);
      return;
    }

  sections = cp_task_group_my_work (tasks, at, NULL);
  show_owner = gtk_drop_down_get_selected (self->owner_dropdown) != OWNER_ME;
  for (guint s = 0; s < sections->len; s++)
    {
      const CpTaskSection *section = sections->pdata[s];

      fill_section (self, section, in_bucket[section->bucket], at, show_owner, &focus);
    }
  gtk_stack_set_visible_child_name (self->stack, "tasks");
  if (focus != NULL)
    gtk_widget_grab_focus (focus);
  g_clear_pointer (&self->focus_task, g_free);
}

/* The owner filter: me, everyone, then each owner of an open task. */
static void
fill_owners (CpMyWorkView *self)
{
  g_autoptr(GPtrArray) owners = NULL;
  g_autofree char *keep = NULL;
  g_autofree char *me = NULL;
  guint selected = gtk_drop_down_get_selected (self->owner_dropdown);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->owner_list));
  guint select = OWNER_ME;

  if (selected == OWNER_EVERYONE)
    select = OWNER_EVERYONE;
  else if (selected >= N_FIXED_OWNERS && selected - N_FIXED_OWNERS < self->owners->len)
    keep = g_strdup (self->owners->pdata[selected - N_FIXED_OWNERS]);

  owners = self->store != NULL ? cp_lead_store_task_owners (self->store, NULL) : NULL;
  g_ptr_array_set_size (self->owners, 0);
  for (guint i = 0; owners != NULL && i < owners->len; i++)
    {
      const char *name = owners->pdata[i];

      if (name == NULL || g_strcmp0 (name, actor (self)) == 0)
        continue;
      g_ptr_array_add (self->owners, g_strdup (name));
      if (g_strcmp0 (name, keep) == 0)
        select = N_FIXED_OWNERS + self->owners->len - 1;
    }

  /* Translators: the owner filter's first entry, with the user's name */
  me = g_strdup_printf (_("Me (%s)"), actor (self));
  {
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();

    g_ptr_array_add (labels, me);
    g_ptr_array_add (labels, (gpointer) _("Everyone"));
    for (guint i = 0; i < self->owners->len; i++)
      g_ptr_array_add (labels, self->owners->pdata[i]);
    g_ptr_array_add (labels, NULL);
    self->filling_owners = TRUE;
    gtk_string_list_splice (self->owner_list, 0, n_items, (const char * const *) labels->pdata);
    gtk_drop_down_set_selected (self->owner_dropdown, select);
    self->filling_owners = FALSE;
  }
}

static void
owner_selected_cb (CpMyWorkView *self)
{
  if (self->filling_owners)
    return;
  self->limit = CP_MY_WORK_PAGE_SIZE;
  reload (self);
}

static void
more_clicked_cb (CpMyWorkView *self)
{
  cp_my_work_view_show_more (self);
}

static void
row_activated_cb (CpMyWorkView  *self,
                  GtkListBoxRow *row)
{
  const char *lead_id = CP_IS_TASK_ROW (row)
                        ? cp_task_get_lead_id (cp_task_row_get_task (CP_TASK_ROW (row)))
                        : g_object_get_data (G_OBJECT (row), "cp-lead-id");

  if (lead_id != NULL)
    g_signal_emit (self, signals[SIGNAL_LEAD_ACTIVATED], 0, lead_id);
}

/* After a row goes, the keyboard stays where it was: on the next row. */
static void
remember_neighbour (CpMyWorkView *self,
                    CpTaskRow    *row)
{
  GtkWidget *next = gtk_widget_get_next_sibling (GTK_WIDGET (row));

  while (next != NULL && !CP_IS_TASK_ROW (next))
    next = gtk_widget_get_next_sibling (next);
  if (next == NULL)
    for (next = gtk_widget_get_prev_sibling (GTK_WIDGET (row));
         next != NULL && !CP_IS_TASK_ROW (next);
         next = gtk_widget_get_prev_sibling (next))
      ;
  g_free (self->focus_task);
  self->focus_task = next != NULL
                     ? g_strdup (cp_task_get_id (cp_task_row_get_task (CP_TASK_ROW (next))))
                     : NULL;
}

static void
task_done_cb (CpTaskRow    *row,
              CpMyWorkView *self)
{
  CpTask *task = cp_task_row_get_task (row);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  remember_neighbour (self, row);
  if (!cp_lead_store_complete_task (self->store, cp_task_get_id (task), NULL, actor (self), &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, cp_toast_new_text (error->message));
      reload (self);
      return;
    }
  /* Translators: a toast, e.g. “Call Ana” done */
  message = g_strdup_printf (_("“%s” done"), cp_task_get_title (task));
  adw_toast_overlay_add_toast (self->toast_overlay, cp_toast_new_text (message));
}

static void
task_snooze_cb (CpTaskRow    *row,
                guint         snooze,
                CpMyWorkView *self)
{
  CpTask *task = cp_task_row_get_task (row);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *when = NULL;
  gint64 at = now (self);
  gint64 until = cp_snooze_until ((CpSnooze) snooze, at, NULL);

  remember_neighbour (self, row);
  if (!cp_lead_store_snooze_task (self->store, cp_task_get_id (task), until, actor (self), &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, cp_toast_new_text (error->message));
      return;
    }
  when = cp_task_format_due (until, at, NULL, self->clock_12h, NULL);
  /* Translators: a toast: a task's title and when it comes back */
  message = g_strdup_printf (_("“%s” snoozed: %s"), cp_task_get_title (task), when);
  adw_toast_overlay_add_toast (self->toast_overlay, cp_toast_new_text (message));
}

static void
tasks_changed_cb (CpLeadStore  *store,
                  const char   *lead_id,
                  CpMyWorkView *self)
{
  fill_owners (self);
  reload (self);
  update_badge (self);
}

/* A lead renamed, removed or merged: its header follows. (After a bulk
 * change the store announces the tasks' change too.) */
static void
leads_changed_cb (CpLeadStore  *store,
                  const char   *lead_id,
                  guint         change,
                  CpMyWorkView *self)
{
  if (change != CP_LEAD_CHANGE_BULK)
    reload (self);
}

/* Once a minute: “in 2 hours” ages, and a task may become overdue. */
static gboolean
tick_cb (gpointer user_data)
{
  CpMyWorkView *self = user_data;
  gint64 at = now (self);

  for (guint b = 0; b < CP_TASK_N_BUCKETS; b++)
    for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->lists[b]));
         row != NULL;
         row = gtk_widget_get_next_sibling (row))
      if (CP_IS_TASK_ROW (row))
        cp_task_row_set_now (CP_TASK_ROW (row), at);
  update_badge (self);

  return G_SOURCE_CONTINUE;
}

static void
add_task_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CpMyWorkView *self = CP_MY_WORK_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  const char *owner = cp_my_work_view_get_owner (self);
  CpTaskDialog *dialog;

  if (self->store == NULL)
    return;
  dialog = cp_task_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store, NULL,
                               owner != NULL ? owner : actor (self), actor (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
disconnect_store (CpMyWorkView *self)
{
  if (self->store == NULL)
    return;
  g_clear_signal_handler (&self->tasks_changed_id, self->store);
  g_clear_signal_handler (&self->leads_changed_id, self->store);
  g_clear_object (&self->store);
}

static void
cp_my_work_view_dispose (GObject *object)
{
  CpMyWorkView *self = CP_MY_WORK_VIEW (object);

  disconnect_store (self);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  /* AdwBin disposes its child, the whole template. */

  G_OBJECT_CLASS (cp_my_work_view_parent_class)->dispose (object);
}

static void
cp_my_work_view_finalize (GObject *object)
{
  CpMyWorkView *self = CP_MY_WORK_VIEW (object);

  g_free (self->user_name);
  g_free (self->focus_task);
  g_ptr_array_unref (self->owners);

  G_OBJECT_CLASS (cp_my_work_view_parent_class)->finalize (object);
}

static void
cp_my_work_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CpMyWorkView *self = CP_MY_WORK_VIEW (object);

  switch (prop_id)
    {
    case PROP_BADGE_COUNT:
      g_value_set_uint (value, self->badge_count);
      break;
    case PROP_NEEDS_ATTENTION:
      g_value_set_boolean (value, self->needs_attention);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define BIND_BUCKET(klass, id, member, bucket) \
  gtk_widget_class_bind_template_child_full (klass, id, FALSE, \
                                             G_STRUCT_OFFSET (CpMyWorkView, member[bucket]))

static void
cp_my_work_view_class_init (CpMyWorkViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_my_work_view_dispose;
  object_class->finalize = cp_my_work_view_finalize;
  object_class->get_property = cp_my_work_view_get_property;

  /* Overdue and due today, for the person using the app. */
  properties[PROP_BADGE_COUNT] =
    g_param_spec_uint ("badge-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Something of theirs is overdue. */
  properties[PROP_NEEDS_ATTENTION] =
    g_param_spec_boolean ("needs-attention", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CpMyWorkView::lead-activated:
   * @lead_id: the lead whose header or task was activated
   */
  signals[SIGNAL_LEAD_ACTIVATED] =
    g_signal_new ("lead-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/cp-my-work-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CpMyWorkView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CpMyWorkView, owner_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CpMyWorkView, owner_list);
  gtk_widget_class_bind_template_child (widget_class, CpMyWorkView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CpMyWorkView, stack);
  gtk_widget_class_bind_template_child (widget_class, CpMyWorkView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CpMyWorkView, more_button);
  BIND_BUCKET (widget_class, "overdue_section", sections, CP_TASK_BUCKET_OVERDUE);
  BIND_BUCKET (widget_class, "today_section", sections, CP_TASK_BUCKET_TODAY);
  BIND_BUCKET (widget_class, "upcoming_section", sections, CP_TASK_BUCKET_UPCOMING);
  BIND_BUCKET (widget_class, "overdue_title", titles, CP_TASK_BUCKET_OVERDUE);
  BIND_BUCKET (widget_class, "today_title", titles, CP_TASK_BUCKET_TODAY);
  BIND_BUCKET (widget_class, "upcoming_title", titles, CP_TASK_BUCKET_UPCOMING);
  BIND_BUCKET (widget_class, "overdue_list", lists, CP_TASK_BUCKET_OVERDUE);
  BIND_BUCKET (widget_class, "today_list", lists, CP_TASK_BUCKET_TODAY);
  BIND_BUCKET (widget_class, "upcoming_list", lists, CP_TASK_BUCKET_UPCOMING);
  gtk_widget_class_bind_template_callback (widget_class, owner_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, more_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "my-work.add-task", NULL, add_task_action);
}

static void
cp_my_work_view_init (CpMyWorkView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->owners = g_ptr_array_new_with_free_func (g_free);
  self->limit = CP_MY_WORK_PAGE_SIZE;
  self->clock_12h = cp_desktop_clock_is_12h ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->owner_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Whose tasks to show"), -1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "my-work.add-task", FALSE);
  fill_owners (self);
}

GtkWidget *
cp_my_work_view_new (void)
{
  return g_object_new (CP_TYPE_MY_WORK_VIEW, NULL);
}

/**
 * cp_my_work_view_set_store:
 * @store: (nullable): the tasks' store; its clock is the view's “now”
 */
void
cp_my_work_view_set_store (CpMyWorkView *self,
                           CpLeadStore  *store)
{
  g_return_if_fail (CP_IS_MY_WORK_VIEW (self));
  g_return_if_fail (store == NULL || CP_IS_LEAD_STORE (store));

  if (store == self->store)
    return;
  disconnect_store (self);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (store != NULL)
    {
      self->store = g_object_ref (store);
      self->tasks_changed_id = g_signal_connect (store, "tasks-changed",
                                                 G_CALLBACK (tasks_changed_cb), self);
      self->leads_changed_id = g_signal_connect (store, "changed",
                                                 G_CALLBACK (leads_changed_cb), self);
      self->tick_id = g_timeout_add_seconds (60, tick_cb, self);
    }
  self->read_only = store != NULL && cp_database_is_read_only (cp_lead_store_get_database (store));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "my-work.add-task",
                                 store != NULL && !self->read_only);
  self->limit = CP_MY_WORK_PAGE_SIZE;
  fill_owners (self);
  reload (self);
  if (store != NULL)
    update_badge (self);
}

/**
 * cp_my_work_view_set_user_name:
 * @user_name: (nullable): the person using the app, as tasks name their
 *   owner (cp_application_dup_user_name()); %NULL: the account's full name
 */
void
cp_my_work_view_set_user_name (CpMyWorkView *self,
                               const char   *user_name)
{
  g_return_if_fail (CP_IS_MY_WORK_VIEW (self));

  if (g_strcmp0 (self->user_name, user_name) == 0)
    return;
  g_free (self->user_name);
  self->user_name = g_strdup (user_name);
  fill_owners (self);
  reload (self);
  if (self->store != NULL)
    update_badge (self);
}

guint
cp_my_work_view_get_badge_count (CpMyWorkView *self)
{
  g_return_val_if_fail (CP_IS_MY_WORK_VIEW (self), 0);

  return self->badge_count;
}

gboolean
cp_my_work_view_get_needs_attention (CpMyWorkView *self)
{
  g_return_val_if_fail (CP_IS_MY_WORK_VIEW (self), FALSE);

  return self->needs_attention;
}

/* How many tasks the view holds rows for (tests). */
guint
cp_my_work_view_get_n_shown (CpMyWorkView *self)
{
  g_return_val_if_fail (CP_IS_MY_WORK_VIEW (self), 0);

  return self->n_shown;
}

/* “Show More”: the next CP_MY_WORK_PAGE_SIZE tasks by due time. */
void
cp_my_work_view_show_more (CpMyWorkView *self)
{
  g_return_if_fail (CP_IS_MY_WORK_VIEW (self));

  self->limit += CP_MY_WORK_PAGE_SIZE;
  reload (self);
}
