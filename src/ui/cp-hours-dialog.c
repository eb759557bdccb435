/* cp-hours-dialog.c — a location's business hours and holidays, which response times count in
 *
 * Saved through the playbook editor, which checks the time zone, the
 * hours and every holiday; a refused change says why here.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-hours-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-hours-dialog.h"

static const char * const day_labels[] = {
  N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"),
};

struct _CpHoursDialog
{
  AdwWindow         parent_instance;

  CpPlaybookEditor *editor;
  AdwEntryRow      *location_row;
  AdwEntryRow      *timezone_row;
  AdwEntryRow      *open_row;
  AdwEntryRow      *close_row;
  AdwEntryRow      *holidays_row;
  GtkToggleButton  *days[7];
  GtkLabel         *error_label;
};

G_DEFINE_FINAL_TYPE (CpHoursDialog, cp_hours_dialog, ADW_TYPE_WINDOW)

static void
refuse (CpHoursDialog *self,
        const char    *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
save_clicked_cb (CpHoursDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) holidays = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->holidays_row)), ",", -1);
  int open_minute, close_minute;
  guint8 days = 0;

  if (!cp_parse_clock_time (gtk_editable_get_text (GTK_EDITABLE (self->open_row)), &open_minute) ||
      !cp_parse_clock_time (gtk_editable_get_text (GTK_EDITABLE (self->close_row)), &close_minute))
    {
      refuse (self, _("Write the hours as 08:00 and 17:30."));
      return;
    }
  for (guint d = 0; d < 7; d++)
    if (gtk_toggle_button_get_active (self->days[d]))
      days |= 1u << d;
  if (!cp_playbook_editor_set_business_hours (self->editor, gtk_editable_get_text (GTK_EDITABLE (self->location_row)),
                                              gtk_editable_get_text (GTK_EDITABLE (self->timezone_row)), days,
                                              open_minute, close_minute, (const char * const *) holidays, &error))
    {
      refuse (self, error->message);
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
  G_OBJECT_CLASS (klass)->dispose = cp_hours_dialog_dispose;
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cp_hours_dialog_init (CpHoursDialog *self)
{
}

static AdwEntryRow *
entry_row (AdwPreferencesGroup *group,
           const char          *title,
           const char          *text)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  adw_preferences_group_add (group, GTK_WIDGET (row));
  return row;
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
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save"));
  GtkWidget *page = adw_preferences_page_new ();
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *days_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *days_group = adw_preferences_group_new ();
  g_autoptr(GString) holidays = g_string_new (NULL);
  g_autofree char *open_text = NULL;
  g_autofree char *close_text = NULL;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (editor), NULL);

  for (guint i = 0; location != NULL && i < playbook->business_hours->len; i++)
    if (g_strcmp0 (((CpBusinessHours *) playbook->business_hours->pdata[i])->location, location) == 0)
      hours = playbook->business_hours->pdata[i];
  if (hours == NULL)
    hours = fresh;

  self = g_object_new (CP_TYPE_HOURS_DIALOG, "transient-for", parent, "modal", TRUE,
                       "default-width", 520, "default-height", 560,
                       "title", location != NULL ? _("Business Hours") : _("New Business Hours"), NULL);
  self->editor = g_object_ref (editor);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  gtk_widget_add_css_class (save, "suggested-action");
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (save_clicked_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), save);
  gtk_box_append (GTK_BOX (content), header);
  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_margin_top (GTK_WIDGET (self->error_label), 12);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->error_label));

  adw_preferences_group_set_description (group, _("Response times count only these hours. “*” is every "
                                                  "location without hours of its own."));
  self->location_row = entry_row (group, _("Location"), location);
  gtk_editable_set_editable (GTK_EDITABLE (self->location_row), location == NULL);
  self->timezone_row = entry_row (group, _("Time Zone (such as America/Chicago)"), hours->timezone);
  gtk_widget_add_css_class (days_box, "linked");
  gtk_widget_set_valign (days_box, GTK_ALIGN_CENTER);
  for (guint d = 0; d < 7; d++)
    {
      GtkWidget *toggle = gtk_toggle_button_new_with_label (_(day_labels[d]));

      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), (hours->days & (1u << d)) != 0);
      self->days[d] = GTK_TOGGLE_BUTTON (toggle);
      gtk_box_append (GTK_BOX (days_box), toggle);
    }
  gtk_widget_set_halign (days_box, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (days_box, 6);
  gtk_widget_set_margin_bottom (days_box, 6);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (days_group), _("Open On"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (days_group), days_box);
  open_text = clock_text (hours->open_minute);
  close_text = clock_text (hours->close_minute);
  self->open_row = entry_row (group, _("Opens At"), open_text);
  self->close_row = entry_row (group, _("Closes At"), close_text);
  for (guint i = 0; i < hours->holidays->len; i++)
    {
      GDate date;
      char text[16];

      g_date_clear (&date, 1);
      g_date_set_julian (&date, g_array_index (hours->holidays, guint32, i));
      g_date_strftime (text, sizeof text, "%Y-%m-%d", &date);
      g_string_append_printf (holidays, "%s%s", holidays->len > 0 ? ", " : "", text);
    }
  self->holidays_row = entry_row (group, _("Holidays (2026-12-25, 2027-01-01)"), holidays->str);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (days_group));
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (content), page);
  adw_window_set_content (ADW_WINDOW (self), content);
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
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_text (self->error_label) : NULL;
}

void
cp_hours_dialog_save (CpHoursDialog *self)
{
  g_return_if_fail (CP_IS_HOURS_DIALOG (self));
  save_clicked_cb (self);
}
