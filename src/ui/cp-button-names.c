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

/* A button is named when it is first shown (GTK has named it after its raw
 * label by then), and again whenever its label changes. */
static gboolean
widget_mapped_cb (GSignalInvocationHint *hint,
                  guint                  n_values,
                  const GValue          *values,
                  gpointer               user_data)
{
  static GQuark watched;
  GObject *object = g_value_get_object (&values[0]);

  if (!GTK_IS_BUTTON (object))
    return TRUE;
  if (watched == 0)
    watched = g_quark_from_static_string ("cp-button-names-watched");
  if (g_object_get_qdata (object, watched) == NULL)
    {
      g_object_set_qdata (object, watched, GINT_TO_POINTER (TRUE));
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
