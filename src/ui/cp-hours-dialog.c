/* cp-hours-dialog.c — a location's business hours and holidays, which response times count in
 *
 * Saved through the playbook editor, which checks the time zone, the
 * hours and every holiday; a refused change says why here.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-hours-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-dialog-frame.h"
#include "cp-hours-dialog.h"

struct _CpHoursDialog
{
  AdwWindow         parent_instance;

  CpPlaybookEditor *editor;
  CpDialogFrame    *frame;
  AdwEntryRow      *location_row;
  AdwEntryRow      *timezone_row;
  AdwEntryRow      *open_row;
  AdwEntryRow      *close_row;
  AdwEntryRow      *holidays_row;
  GtkToggleButton  *days[7];       /* Monday first */
};

G_DEFINE_FINAL_TYPE (CpHoursDialog, cp_hours_dialog, ADW_TYPE_WINDOW)

static void
save_cb (CpHoursDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) holidays =
      g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->holidays_row)), ",", -1);
  int open_minute, close_minute;
  guint8 days = 0;

  if (!cp_parse_clock_time (gtk_editable_get_text (GTK_EDITABLE (self->open_row)), &open_minute) ||
      !cp_parse_clock_time (gtk_editable_get_text (GTK_EDITABLE (self->close_row)), &close_minute))
    {
      cp_dialog_frame_set_error (self->frame, _("Write the hours as 08:00 and 17:30."));
      return;
    }
  for (guint d = 0; d < 7; d++)
    if (gtk_toggle_button_get_active (self->days[d]))
      days |= 1u << d;
  if (!cp_playbook_editor_set_business_hours (self->editor,
                                              gtk_editable_get_text (
                                                  GTK_EDITABLE (self->location_row)),
                                              gtk_editable_get_text (
                                                  GTK_EDITABLE (self->timezone_row)),
                                              days, open_minute, close_minute,
                                              (const char * const *) holidays, &error))
    {
      cp_dialog_frame_set_error (self->frame, error->message);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
cp_hours_dialog_dispose (GObject *object)
{
  g_clear_object (&CP_HOURS_DIALOG (object)->editor);
  G_OBJECT_CLASS (cp_hours_dialog_parent_class)->dispose (object);
}

static void
cp_hours_dialog_class_init (CpHoursDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cp_hours_dialog_dispose;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  g_type_ensure (CP_TYPE_DIALOG_FRAME);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/carepath/Carepath/cp-hours-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CpHoursDialog, frame);
  gtk_widget_class_bind_template_child (widget_class, CpHoursDialog, location_row);
  gtk_widget_class_bind_template_child (widget_class, CpHoursDialog, timezone_row);
  gtk_widget_class_bind_template_child (widget_class, CpHoursDialog, open_row);
  gtk_widget_class_bind_template_child (widget_class, CpHoursDialog, close_row);
  gtk_widget_class_bind_template_child (widget_class, CpHoursDialog, holidays_row);
  for (guint d = 0; d < G_N_ELEMENTS (((CpHoursDialog *) NULL)->days); d++)
    {
      g_autofree char *id = g_strdup_printf ("day_%u", d);

      gtk_widget_class_bind_template_child_full (widget_class, id, FALSE,
                                                 G_STRUCT_OFFSET (CpHoursDialog, days) +
                                                 d * sizeof (GtkToggleButton *));
    }
  gtk_widget_class_bind_template_callback (widget_class, save_cb);
}

static void
cp_hours_dialog_init (CpHoursDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cp_dialog_frame_bind_needed_text (self->frame, GTK_EDITABLE (self->location_row));
}

static char *
clock_text (int minute)
{
  return g_strdup_printf ("%02d:%02d", minute / 60, minute % 60);
}

/**
 * cp_hours_dialog_new:
 * @location: (nullable): the location to edit, or %NULL for a new one
 *
 * Returns: (transfer floating): the dialog
 */
CpHoursDialog *
cp_hours_dialog_new (GtkWindow        *parent,
                     CpPlaybookEditor *editor,
                     const char       *location)
{
  CpPlaybook *playbook = cp_playbook_editor_get_playbook (editor);
  const CpBusinessHours *hours = NULL;
  g_autoptr(CpBusinessHours) fresh = cp_business_hours_new ("");
  CpHoursDialog *self;
  g_autoptr(GString) holidays = g_string_new (NULL);
  g_autofree char *open_text = NULL;
  g_autofree char *close_text = NULL;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (editor), NULL);

  for (guint i = 0; location != NULL && i < playbook->business_hours->len; i++)
    if (g_strcmp0 (((CpBusinessHours *) playbook->business_hours->pdata[i])->location,
                   location) == 0)
      hours = playbook->business_hours->pdata[i];
  if (hours == NULL)
    hours = fresh;

  self = g_object_new (CP_TYPE_HOURS_DIALOG, "transient-for", parent, "title",
                       location != NULL ? _("Business Hours") : _("New Business Hours"), NULL);
  self->editor = g_object_ref (editor);

  gtk_editable_set_text (GTK_EDITABLE (self->location_row), location != NULL ? location : "");
  gtk_editable_set_editable (GTK_EDITABLE (self->location_row), location == NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->timezone_row),
                         hours->timezone != NULL ? hours->timezone : "");
  for (guint d = 0; d < 7; d++)
    gtk_toggle_button_set_active (self->days[d], (hours->days & (1u << d)) != 0);
  open_text = clock_text (hours->open_minute);
  close_text = clock_text (hours->close_minute);
  gtk_editable_set_text (GTK_EDITABLE (self->open_row), open_text);
  gtk_editable_set_text (GTK_EDITABLE (self->close_row), close_text);
  for (guint i = 0; i < hours->holidays->len; i++)
    {
      GDate date;
      char text[16];

      g_date_clear (&date, 1);
      g_date_set_julian (&date, g_array_index (hours->holidays, guint32, i));
      g_date_strftime (text, sizeof text, "%Y-%m-%d", &date);
      g_string_append_printf (holidays, "%s%s", holidays->len > 0 ? ", " : "", text);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->holidays_row), holidays->str);
  return self;
}

/* Tests: the rows, and saving as the button does. */
AdwEntryRow *
cp_hours_dialog_get_row (CpHoursDialog *self,
                         const char    *which)
{
  g_return_val_if_fail (CP_IS_HOURS_DIALOG (self), NULL);

  if (g_str_equal (which, "location"))
    return self->location_row;
  if (g_str_equal (which, "timezone"))
    return self->timezone_row;
  if (g_str_equal (which, "open"))
    return self->open_row;
  if (g_str_equal (which, "close"))
    return self->close_row;
  return self->holidays_row;
}

GtkToggleButton *
cp_hours_dialog_get_day (CpHoursDialog *self,
                         guint          day)
{
  g_return_val_if_fail (CP_IS_HOURS_DIALOG (self) && day < 7, NULL);
  return self->days[day];
}

const char *
cp_hours_dialog_get_error (CpHoursDialog *self)
{
  g_return_val_if_fail (CP_IS_HOURS_DIALOG (self), NULL);
  return cp_dialog_frame_get_error (self->frame);
}
