/* cp-task-row.c — one open task in a list: done, kind, title, note, when due, snooze
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The row only asks: “done” and “snooze” (with the choice made) are
 * signals the list that shows it answers with the store. Activating the
 * row (Enter, a click) is left to the list: it opens the lead. */
#define G_LOG_DOMAIN "cp-task-row"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-task-row.h"
#include "cp-task-time.h"

struct _CpTaskRow
{
  AdwActionRow    parent_instance;

  CpTask         *task;
  gboolean        clock_12h;
  gboolean        overdue;
  GtkCheckButton *check;
  GtkImage       *kind_icon;
  GtkLabel       *due_label;
  GtkMenuButton  *snooze_button;
};

G_DEFINE_FINAL_TYPE (CpTaskRow, cp_task_row, ADW_TYPE_ACTION_ROW)

enum {
  SIGNAL_DONE,
  SIGNAL_SNOOZE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
done_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CpTaskRow *self = CP_TASK_ROW (widget);

  /* Ctrl+D checks the box; the box says it once. */
  if (!gtk_check_button_get_active (self->check))
    gtk_check_button_set_active (self->check, TRUE);
}

static void
snooze_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CpTaskRow *self = CP_TASK_ROW (widget);
  CpSnooze snooze;

  if (!cp_snooze_from_string (g_variant_get_string (parameter, NULL), &snooze))
    return;
  g_signal_emit (self, signals[SIGNAL_SNOOZE], 0, (guint) snooze);
}

static void
check_toggled_cb (GtkCheckButton *check,
                  CpTaskRow      *self)
{
  if (gtk_check_button_get_active (check))
    g_signal_emit (self, signals[SIGNAL_DONE], 0);
}

static GMenuModel *
snooze_menu (void)
{
  GMenu *menu = g_menu_new ();

  g_menu_append (menu, _("For _1 Hour"), "task.snooze::hour");
  g_menu_append (menu, _("Until _Tomorrow Morning"), "task.snooze::tomorrow");
  g_menu_append (menu, _("Until _Next Week"), "task.snooze::week");
  return G_MENU_MODEL (menu);
}

static void
cp_task_row_dispose (GObject *object)
{
  CpTaskRow *self = CP_TASK_ROW (object);

  g_clear_object (&self->task);

  G_OBJECT_CLASS (cp_task_row_parent_class)->dispose (object);
}

static void
cp_task_row_class_init (CpTaskRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_task_row_dispose;

  /**
   * CpTaskRow::done:
   *
   * The person checked the task off (the box, or Ctrl+D on the row).
   */
  signals[SIGNAL_DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * CpTaskRow::snooze:
   * @snooze: a #CpSnooze: for an hour, until tomorrow morning, until next week
   *
   * The list computes the time with its own clock (cp_snooze_until()).
   */
  signals[SIGNAL_SNOOZE] = g_signal_new ("snooze", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_install_action (widget_class, "task.done", NULL, done_action);
  gtk_widget_class_install_action (widget_class, "task.snooze", "s", snooze_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                       "task.done", NULL);
}

static void
cp_task_row_init (CpTaskRow *self)
{
  g_autoptr(GMenuModel) menu = snooze_menu ();

  /* Prefixes go in front of each other: the check box ends up first. */
  self->kind_icon = GTK_IMAGE (gtk_image_new ());
  adw_action_row_add_prefix (ADW_ACTION_ROW (self), GTK_WIDGET (self->kind_icon));

  self->check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->check), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->check), _("Mark Done (Ctrl+D)"));
  g_signal_connect (self->check, "toggled", G_CALLBACK (check_toggled_cb), self);
  adw_action_row_add_prefix (ADW_ACTION_ROW (self), GTK_WIDGET (self->check));

  self->due_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_valign (GTK_WIDGET (self->due_label), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->due_label), "cp-task-due");
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->due_label));

  self->snooze_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_icon_name (self->snooze_button, "alarm-symbolic");
  gtk_menu_button_set_menu_model (self->snooze_button, menu);
  gtk_widget_set_valign (GTK_WIDGET (self->snooze_button), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->snooze_button), _("Snooze"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->snooze_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Snooze the task"), -1);
  gtk_widget_add_css_class (GTK_WIDGET (self->snooze_button), "flat");
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->snooze_button));

  /* Titles and notes are user data: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self), 2);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "cp-task-row");
}

static void
update_due (CpTaskRow *self,
            gint64     now)
{
  g_autofree char *due = cp_task_format_due (cp_task_get_effective_due (self->task), now, NULL,
                                             self->clock_12h, &self->overdue);

  gtk_label_set_text (self->due_label, due);
  if (self->overdue)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->due_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->due_label), "dim-label");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->due_label), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (self->due_label), "error");
    }
}

/**
 * cp_task_row_new:
 * @now: the time the due text is written as of
 * @show_owner: say whose task it is (in a list of several people's)
 *
 * Returns: (transfer floating): a row for @task
 */
GtkWidget *
cp_task_row_new (CpTask   *task,
                 gint64    now,
                 gboolean  clock_12h,
                 gboolean  show_owner)
{
  CpTaskRow *self;
  const char *title;
  const char *note;
  const char *owner;
  g_autofree char *done_label = NULL;
  g_autofree char *snooze_label = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  CpTaskKind kind;

  g_return_val_if_fail (CP_IS_TASK (task), NULL);

  self = g_object_new (CP_TYPE_TASK_ROW, NULL);
  self->task = g_object_ref (task);
  self->clock_12h = clock_12h;
  title = cp_task_get_title (task);
  note = cp_task_get_note (task);
  owner = cp_task_get_owner (task);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  if (show_owner)
    g_string_append (subtitle, owner != NULL ? owner : _("Unassigned"));
  if (note != NULL && *note != '\0')
    g_string_append_printf (subtitle, subtitle->len > 0 ? " · %s" : "%s", note);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle->str);

  /* The kind's icon, named for the screen reader too. */
  kind = cp_task_get_kind (task);
  gtk_image_set_from_icon_name (self->kind_icon, cp_task_kind_icon_name (kind));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->kind_icon), cp_task_kind_label (kind));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->kind_icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  cp_task_kind_label (kind), -1);

  /* Translators: the accessible name of a task's check box, e.g. Mark “Call Ana” done */
  done_label = g_strdup_printf (_("Mark “%s” done"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  done_label, -1);
  /* Translators: the accessible name of a task's Snooze button */
  snooze_label = g_strdup_printf (_("Snooze “%s”"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->snooze_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, snooze_label, -1);
  update_due (self, now);

  return GTK_WIDGET (self);
}

CpTask *
cp_task_row_get_task (CpTaskRow *self)
{
  g_return_val_if_fail (CP_IS_TASK_ROW (self), NULL);

  return self->task;
}

/* The clock moved on: “in 2 hours” becomes “in 1 hour”. */
void
cp_task_row_set_now (CpTaskRow *self,
                     gint64     now)
{
  g_return_if_fail (CP_IS_TASK_ROW (self));

  update_due (self, now);
}

/* A database that cannot be written: the task shows, Done and Snooze are off. */
void
cp_task_row_set_read_only (CpTaskRow *self,
                           gboolean   read_only)
{
  g_return_if_fail (CP_IS_TASK_ROW (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.done", !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.snooze", !read_only);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check), !read_only);
  gtk_widget_set_sensitive (GTK_WIDGET (self->snooze_button), !read_only);
}

const char *
cp_task_row_get_due_text (CpTaskRow *self)
{
  g_return_val_if_fail (CP_IS_TASK_ROW (self), NULL);

  return gtk_label_get_text (self->due_label);
}

gboolean
cp_task_row_get_overdue (CpTaskRow *self)
{
  g_return_val_if_fail (CP_IS_TASK_ROW (self), FALSE);

  return self->overdue;
}
