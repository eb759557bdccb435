/* cp-button-names.c — button names without the mnemonic underscore
 *
 * GTK 4.8 names a button after its label text as written: a button
 * labelled "_Sync Now" is read out as "underscore Sync Now" and listed as
 * "_Sync Now" by AT-SPI clients. Every button with a mnemonic (our
 * templates, our code and libadwaita's dialog responses alike) is named
 * here after the label a user sees instead, when it is first shown and
 * whenever its label changes. (No button of ours has both a mnemonic
 * label and a name of its own; such a button would get its label's.)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-button-names"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include <adwaita.h>

#include "cp-button-names.h"

/**
 * cp_button_names_strip_mnemonic:
 * @label: a label with mnemonic underscores ("_Save", "Save __as")
 *
 * Returns: (transfer full): the label a user sees ("Save", "Save _as")
 */
char *
cp_button_names_strip_mnemonic (const char *label)
{
  GString *text;

  g_return_val_if_fail (label != NULL, NULL);

  text = g_string_sized_new (strlen (label));
  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          /* "__" is a literal underscore; a lone one marks the mnemonic. */
          if (p[1] == '_')
            {
              g_string_append_c (text, '_');
              p++;
            }
          continue;
        }
      g_string_append_c (text, *p);
    }
  return g_string_free (text, FALSE);
}

static void
name_button (GtkButton *button)
{
  const char *label = gtk_button_get_label (button);
  g_autofree char *name = NULL;

  if (!gtk_button_get_use_underline (button) || label == NULL || strchr (label, '_') == NULL)
    return;
  name = cp_button_names_strip_mnemonic (label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
label_changed_cb (GtkButton  *button,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  name_button (button);
}

static void
tooltip_changed_cb (GtkWidget  *widget,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  /* libadwaita's peek icon says what a click does in its tooltip, when it
   * has one. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tooltip != NULL ? tooltip : _("Show Text"), -1);
}

static GQuark watched_quark (void);

static void
menu_label_changed_cb (GtkWidget  *widget,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  const char *label = gtk_menu_button_get_label (GTK_MENU_BUTTON (widget));

  if (label != NULL)
    {
      g_autofree char *name = gtk_menu_button_get_use_underline (GTK_MENU_BUTTON (widget))
        ? cp_button_names_strip_mnemonic (label) : g_strdup (label);

      gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
    }
}

static void
name_after_tooltip (GtkWidget *widget)
{
  if (g_object_get_qdata (G_OBJECT (widget), watched_quark ()) == NULL)
    {
      g_object_set_qdata (G_OBJECT (widget), watched_quark (), GINT_TO_POINTER (TRUE));
      g_signal_connect (widget, "notify::tooltip-text", G_CALLBACK (tooltip_changed_cb), NULL);
    }
  tooltip_changed_cb (widget, NULL, NULL);
}

static GQuark
watched_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("cp-button-names-watched");
  return quark;
}

/* The parts of other widgets GTK 4.8 and libadwaita 1.2 give no name:
 * a drop-down's own button (it takes the focus; named by the drop-down,
 * which has ours) and a password row's peek icon (named by its tooltip).
 * Returns: %TRUE when @widget is such a part */
static gboolean
name_unnamed_part (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (GTK_IS_DROP_DOWN (parent) && GTK_IS_TOGGLE_BUTTON (widget))
    {
      if (g_object_get_qdata (G_OBJECT (widget), watched_quark ()) == NULL)
        {
          g_object_set_qdata (G_OBJECT (widget), watched_quark (), GINT_TO_POINTER (TRUE));
          gtk_accessible_update_relation (GTK_ACCESSIBLE (widget),
                                          GTK_ACCESSIBLE_RELATION_LABELLED_BY, parent, NULL, -1);
        }
      return TRUE;
    }
  if (GTK_IS_IMAGE (widget) &&
      gtk_widget_get_ancestor (widget, ADW_TYPE_PASSWORD_ENTRY_ROW) != NULL)
    {
      name_after_tooltip (widget);
      return TRUE;
    }
  /* A status page scrolls its own content: it is named by the page. */
  if (GTK_IS_SCROLLED_WINDOW (widget) && ADW_IS_STATUS_PAGE (parent))
    {
      gtk_accessible_update_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                      parent, NULL, -1);
      return FALSE;   /* what it holds may need names too */
    }
  /* A menu button with a text label is named by it (GTK 4.8 names only
   * the button inside). */
  if (GTK_IS_MENU_BUTTON (widget))
    {
      if (g_object_get_qdata (G_OBJECT (widget), watched_quark ()) == NULL)
        {
          g_object_set_qdata (G_OBJECT (widget), watched_quark (), GINT_TO_POINTER (TRUE));
          g_signal_connect (widget, "notify::label", G_CALLBACK (menu_label_changed_cb), NULL);
          menu_label_changed_cb (widget, NULL, NULL);
        }
      return FALSE;
    }
  return FALSE;
}

static void
name_unnamed_parts (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!name_unnamed_part (child))
        name_unnamed_parts (child);
    }
}

/* A button is named when it is first shown (GTK has named it after its raw
 * label by then), and again whenever its label changes. */
static gboolean
widget_mapped_cb (GSignalInvocationHint *hint,
                  guint                  n_values,
                  const GValue          *values,
                  gpointer               user_data)
{
  GObject *object = g_value_get_object (&values[0]);

  /* A window names, once shown, what it holds that GTK 4.8 leaves
   * unnamed, also in pages not shown yet. */
  if (GTK_IS_WINDOW (object))
    {
      name_unnamed_parts (GTK_WIDGET (object));
      return TRUE;
    }
  if (!GTK_IS_WIDGET (object) || name_unnamed_part (GTK_WIDGET (object)) || !GTK_IS_BUTTON (object))
    return TRUE;
  if (g_object_get_qdata (object, watched_quark ()) == NULL)
    {
      g_object_set_qdata (object, watched_quark (), GINT_TO_POINTER (TRUE));
      g_signal_connect (object, "notify::label", G_CALLBACK (label_changed_cb), NULL);
      g_signal_connect (object, "notify::use-underline", G_CALLBACK (label_changed_cb), NULL);
      name_button (GTK_BUTTON (object));
    }
  return TRUE;
}

/**
 * cp_button_names_install:
 *
 * From now on, a button with a mnemonic label is named without the
 * underscore. Called once by cp_ui_init().
 */
void
cp_button_names_install (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      /* GtkWidget::map exists once the class does. */
      g_type_class_unref (g_type_class_ref (GTK_TYPE_WIDGET));
      g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET), 0,
                                  widget_mapped_cb, NULL, NULL);
      g_once_init_leave (&installed, 1);
    }
}
