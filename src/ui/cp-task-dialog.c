/* cp-task-dialog.c — add a task to a lead: lead, kind, title, due time, owner, note
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rules a task must follow are the core's (cp_task_validate()); the
 * dialog only reads the form, says under each field what is wrong with
 * it — once the field was touched, or after Add — and hands the task to
 * the store. */
#define G_LOG_DOMAIN "cp-task-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-lead-format.h"
#include "cp-task-dialog.h"
#include "cp-task-store.h"
#include "cp-task-time.h"
#include "cp-toast.h"

/* The fields that can carry a message, in the form's order. */
typedef enum
{
  FIELD_LEAD,
  FIELD_TITLE,
  FIELD_DUE,
  FIELD_OWNER,
  FIELD_NOTE,
  N_FIELDS
} Field;

static const char * const field_names[N_FIELDS] = { "lead", "title", "due", "owner", "note" };

/* How many matching leads the search offers. */
#define N_LEAD_RESULTS 6

struct _CpTaskDialog
{
  AdwWindow        parent_instance;

  CpLeadStore     *store;
  char            *lead_id;        /* (nullable) the lead picked */
  char            *actor;
  guint            touched;        /* bit (1 << Field) */
  gboolean         picking;        /* the lead row's text is being set, not typed */
  char            *errors[N_FIELDS];

  AdwToastOverlay *toast_overlay;
  AdwActionRow    *fixed_lead_row;
  AdwEntryRow     *lead_row;
  GtkListBox      *lead_results;
  AdwComboRow     *kind_row;
  GtkStringList   *kind_list;
  AdwEntryRow     *title_row;
  GtkMenuButton   *date_button;
  GtkCalendar     *calendar;
  GtkEntry        *time_entry;
  AdwEntryRow     *owner_row;
  AdwEntryRow     *note_row;
  GtkWidget       *error_rows[N_FIELDS];
  GtkLabel        *error_labels[N_FIELDS];
  GtkWidget       *field_widgets[N_FIELDS];
};

G_DEFINE_FINAL_TYPE (CpTaskDialog, cp_task_dialog, ADW_TYPE_WINDOW)

static char *
stripped_text (gpointer editable)
{
  char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/* The due time the form says, or 0 when the time cannot be read. */
static gint64
form_due (CpTaskDialog *self)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (self->calendar);
  int minute;

  if (!cp_parse_time_of_day (gtk_editable_get_text (GTK_EDITABLE (self->time_entry)), &minute))
    return 0;
  return cp_local_date_time (g_date_time_get_year (date), g_date_time_get_month (date),
                             g_date_time_get_day_of_month (date), minute, NULL);
}

static CpTask *
form_task (CpTaskDialog *self)
{
  CpTask *task = cp_task_new ();
  g_autofree char *owner = stripped_text (self->owner_row);
  g_autofree char *note = stripped_text (self->note_row);

  cp_task_set_lead_id (task, self->lead_id);
  cp_task_set_kind (task, (CpTaskKind) adw_combo_row_get_selected (self->kind_row));
  cp_task_set_title (task, gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
  cp_task_set_due_at (task, form_due (self));
  cp_task_set_owner (task, owner);
  cp_task_set_note (task, note);
  cp_task_set_origin (task, CP_TASK_ORIGIN_MANUAL);
  return task;
}

/* The core's rules for one field: cp_task_validate() on a task that takes
 * only that field from the form, and fillers the core accepts for the
 * rest, so each field gets its own message. */
static gboolean
validate_one_field (CpTask      *task,
                    Field        field,
                    GError     **error)
{
  g_autoptr(CpTask) probe = cp_task_new ();

  cp_task_set_title (probe, field == FIELD_TITLE ? cp_task_get_title (task) : "-");
  cp_task_set_due_at (probe, field == FIELD_DUE ? cp_task_get_due_at (task) : 1);
  cp_task_set_kind (probe, cp_task_get_kind (task));
  cp_task_set_lead_id (probe, field == FIELD_LEAD ? cp_task_get_lead_id (task) : "-");
  cp_task_set_owner (probe, field == FIELD_OWNER ? cp_task_get_owner (task) : NULL);
  cp_task_set_note (probe, field == FIELD_NOTE ? cp_task_get_note (task) : NULL);
  return cp_task_validate (probe, error);
}

/* What is wrong with one field. What the form cannot read (a time, a
 * lead not picked) is said here; the rules are the core's. */
static char *
field_error (CpTaskDialog *self,
             CpTask       *task,
             Field         field)
{
  g_autoptr(GError) error = NULL;

  if (field == FIELD_LEAD && self->lead_id == NULL)
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->lead_row))[0] == '\0'
                     ? _("Choose the lead this task is for.")
                     : _("Pick one of the matching leads below."));
  if (field == FIELD_DUE && cp_task_get_due_at (task) == 0)
    return g_strdup (_("Write the time as hours and minutes, e.g. 09:30 or 2:30 PM."));
  if (!validate_one_field (task, field, &error))
    return g_strdup (error->message);
  return NULL;
}

/* Messages under the fields touched (all of them with @all). */
static gboolean
validate (CpTaskDialog *self,
          gboolean      all)
{
  g_autoptr(CpTask) task = form_task (self);
  gboolean valid = TRUE;
  GtkWidget *first = NULL;

  if (all)
    self->touched = (1 << N_FIELDS) - 1;
  for (Field f = 0; f < N_FIELDS; f++)
    {
      g_autofree char *message = field_error (self, task, f);
      gboolean show = message != NULL && (self->touched & (1 << f)) != 0;

      valid = valid && message == NULL;
      g_free (self->errors[f]);
      self->errors[f] = show ? g_strdup (message) : NULL;
      gtk_label_set_text (self->error_labels[f], show ? message : "");
      gtk_widget_set_visible (self->error_rows[f], show);
      if (show)
        gtk_widget_add_css_class (self->field_widgets[f], "error");
      else
        gtk_widget_remove_css_class (self->field_widgets[f], "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->field_widgets[f]),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, show ? message : "", -1);
      if (show && first == NULL)
        first = self->field_widgets[f];
    }
  if (all && first != NULL)
    gtk_widget_grab_focus (first);
  return valid;
}

static void
field_changed_cb (CpTaskDialog *self,
                  GtkEditable  *editable)
{
  for (Field f = 0; f < N_FIELDS; f++)
    if (self->field_widgets[f] == GTK_WIDGET (editable) ||
        (f == FIELD_DUE && editable == GTK_EDITABLE (self->time_entry)))
      self->touched |= 1 << f;
  validate (self, FALSE);
}

static void
update_date_label (CpTaskDialog *self)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (self->calendar);
  /* Translators: strftime, the due date on its button, e.g. “Mon 7 Dec 2026” */
  g_autofree char *label = g_date_time_format (date, _("%a %-d %b %Y"));

  gtk_menu_button_set_label (self->date_button, label);
}

static void
date_selected_cb (CpTaskDialog *self)
{
  update_date_label (self);
  self->touched |= 1 << FIELD_DUE;
  validate (self, FALSE);
}

static void
lead_search_changed_cb (CpTaskDialog *self)
{
  g_autoptr(CpLeadQuery) query = NULL;
  g_autoptr(GPtrArray) leads = NULL;
  g_autofree char *text = NULL;
  GtkWidget *child;

  if (self->picking)
    return;
  /* Typing again un-picks the lead. */
  g_clear_pointer (&self->lead_id, g_free);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->lead_results))) != NULL)
    gtk_list_box_remove (self->lead_results, child);

  text = stripped_text (self->lead_row);
  if (text != NULL && cp_lead_query_search_has_words (text))
    {
      query = cp_lead_query_new ();
      query->search = g_strdup (text);
      leads = cp_lead_store_query (self->store, query, 0, N_LEAD_RESULTS, NULL);
    }
  for (guint i = 0; leads != NULL && i < leads->len; i++)
    {
      CpLead *lead = leads->pdata[i];
      g_autofree char *name = cp_lead_dup_display_name (lead);
      GtkWidget *row = adw_action_row_new ();
      const char *email = cp_lead_get_text (lead, CP_LEAD_FIELD_EMAIL);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), email != NULL ? email
                                   : cp_value_label (cp_lead_get_stage (lead)));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "cp-lead-id", g_strdup (cp_lead_get_id (lead)),
                              g_free);
      g_object_set_data_full (G_OBJECT (row), "cp-lead-name", g_steal_pointer (&name), g_free);
      gtk_list_box_append (self->lead_results, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->lead_results), leads != NULL && leads->len > 0);
  self->touched |= 1 << FIELD_LEAD;
  validate (self, FALSE);
}

static void
pick_lead (CpTaskDialog *self,
           const char   *lead_id,
           const char   *name)
{
  g_free (self->lead_id);
  self->lead_id = g_strdup (lead_id);
  self->picking = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->lead_row), name);
  self->picking = FALSE;
  adw_action_row_set_subtitle (self->fixed_lead_row, name);
}

static void
lead_result_activated_cb (CpTaskDialog  *self,
                          GtkListBoxRow *row)
{
  pick_lead (self, g_object_get_data (G_OBJECT (row), "cp-lead-id"),
             g_object_get_data (G_OBJECT (row), "cp-lead-name"));
  gtk_widget_set_visible (GTK_WIDGET (self->lead_results), FALSE);
  self->touched |= 1 << FIELD_LEAD;
  validate (self, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CpTaskDialog *self = CP_TASK_DIALOG (widget);
  g_autoptr(CpTask) task = NULL;
  g_autoptr(GError) error = NULL;

  if (!validate (self, TRUE))
    return;
  task = form_task (self);
  if (!cp_lead_store_add_task (self->store, task, self->actor, &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, cp_toast_new_text (error->message));
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
cp_task_dialog_dispose (GObject *object)
{
  CpTaskDialog *self = CP_TASK_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_TASK_DIALOG);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cp_task_dialog_parent_class)->dispose (object);
}

static void
cp_task_dialog_finalize (GObject *object)
{
  CpTaskDialog *self = CP_TASK_DIALOG (object);

  g_free (self->lead_id);
  g_free (self->actor);
  for (Field f = 0; f < N_FIELDS; f++)
    g_free (self->errors[f]);

  G_OBJECT_CLASS (cp_task_dialog_parent_class)->finalize (object);
}

#define BIND_FIELD(klass, id, member, index) \
  gtk_widget_class_bind_template_child_full (klass, id, FALSE, \
                                             G_STRUCT_OFFSET (CpTaskDialog, member[index]))

static void
cp_task_dialog_class_init (CpTaskDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_task_dialog_dispose;
  object_class->finalize = cp_task_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/cp-task-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CpTaskDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CpTaskDialog, fixed_lead_row);
  gtk_widget_class_bind_template_child (widget_class, CpTaskDialog, lead_row);
  gtk_widget_class_bind_template_child (widget_class, CpTaskDialog, lead_results);
  gtk_widget_class_bind_template_child (widget_class, CpTaskDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, CpTaskDialog, kind_list);
  gtk_widget_class_bind_template_child (widget_class, CpTaskDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, CpTaskDialog, date_button);
  gtk_widget_class_bind_template_child (widget_class, CpTaskDialog, calendar);
  gtk_widget_class_bind_template_child (widget_class, CpTaskDialog, time_entry);
  gtk_widget_class_bind_template_child (widget_class, CpTaskDialog, owner_row);
  gtk_widget_class_bind_template_child (widget_class, CpTaskDialog, note_row);
  BIND_FIELD (widget_class, "lead_error_row", error_rows, FIELD_LEAD);
  BIND_FIELD (widget_class, "title_error_row", error_rows, FIELD_TITLE);
  BIND_FIELD (widget_class, "due_error_row", error_rows, FIELD_DUE);
  BIND_FIELD (widget_class, "owner_error_row", error_rows, FIELD_OWNER);
  BIND_FIELD (widget_class, "note_error_row", error_rows, FIELD_NOTE);
  BIND_FIELD (widget_class, "lead_error", error_labels, FIELD_LEAD);
  BIND_FIELD (widget_class, "title_error", error_labels, FIELD_TITLE);
  BIND_FIELD (widget_class, "due_error", error_labels, FIELD_DUE);
  BIND_FIELD (widget_class, "owner_error", error_labels, FIELD_OWNER);
  BIND_FIELD (widget_class, "note_error", error_labels, FIELD_NOTE);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, date_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, lead_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, lead_result_activated_cb);

  gtk_widget_class_install_action (widget_class, "task.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "task.save", NULL);
}

static void
cp_task_dialog_init (CpTaskDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (CpTaskKind k = 0; k < CP_TASK_N_KINDS; k++)
    gtk_string_list_append (self->kind_list, cp_task_kind_label (k));
  self->field_widgets[FIELD_LEAD] = GTK_WIDGET (self->lead_row);
  self->field_widgets[FIELD_TITLE] = GTK_WIDGET (self->title_row);
  self->field_widgets[FIELD_DUE] = GTK_WIDGET (self->time_entry);
  self->field_widgets[FIELD_OWNER] = GTK_WIDGET (self->owner_row);
  self->field_widgets[FIELD_NOTE] = GTK_WIDGET (self->note_row);
}

/**
 * cp_task_dialog_new:
 * @lead_id: (nullable): the lead the task is for; %NULL: the dialog
 *   searches for it
 * @owner: (nullable): the owner it proposes
 * @actor: who adds the task, for the audit trail
 *
 * Returns: (transfer floating): a modal dialog that adds the task on Add
 */
CpTaskDialog *
cp_task_dialog_new (GtkWindow   *parent,
                    CpLeadStore *store,
                    const char  *lead_id,
                    const char  *owner,
                    const char  *actor)
{
  CpTaskDialog *self;
  gint64 due;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), NULL);

  self = g_object_new (CP_TYPE_TASK_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->actor = g_strdup (actor);
  if (lead_id != NULL)
    {
      g_autoptr(CpLead) lead = cp_lead_store_get (store, lead_id, NULL);
      g_autofree char *name = lead != NULL ? cp_lead_dup_display_name (lead) : g_strdup (lead_id);

      pick_lead (self, lead_id, name);
      gtk_widget_set_visible (GTK_WIDGET (self->fixed_lead_row), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->lead_row), FALSE);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->owner_row), owner != NULL ? owner : "");

  /* Tomorrow morning unless said otherwise. */
  due = cp_snooze_until (CP_SNOOZE_TOMORROW, cp_lead_store_now (store), NULL);
  {
    g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (due);
    g_autofree char *clock = g_date_time_format (local, "%H:%M");

    gtk_calendar_select_day (self->calendar, local);
    gtk_editable_set_text (GTK_EDITABLE (self->time_entry), clock);
  }
  update_date_label (self);
  self->touched = 0;
  validate (self, FALSE);
  gtk_window_set_focus (GTK_WINDOW (self), lead_id != NULL ? GTK_WIDGET (self->title_row)
                                                           : GTK_WIDGET (self->lead_row));
  return self;
}

/**
 * cp_task_dialog_get_field_error:
 * @field: "lead", "title", "due", "owner" or "note"
 *
 * Returns: (nullable): the message shown under the field, if any
 */
const char *
cp_task_dialog_get_field_error (CpTaskDialog *self,
                                const char   *field)
{
  g_return_val_if_fail (CP_IS_TASK_DIALOG (self), NULL);

  for (Field f = 0; f < N_FIELDS; f++)
    if (g_strcmp0 (field, field_names[f]) == 0)
      return self->errors[f];
  return NULL;
}
