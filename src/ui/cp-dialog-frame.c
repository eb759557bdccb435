/* cp-dialog-frame.c — what the playbook's edit dialogs share: Cancel/Save, the error, the page
 *
 * A dialog's template puts one of these as its window content, with its
 * page as the frame's content. Cancel closes the window; Save emits
 * ::save, and the dialog hands its one edit to the playbook editor. A
 * refused edit is shown with cp_dialog_frame_set_error(), and the dialog
 * stays open. Save is sensitive while #CpDialogFrame:can-save holds,
 * which dialogs bind to their fields' validity.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-dialog-frame"

#include "config.h"

#include "cp-dialog-frame.h"

struct _CpDialogFrame
{
  GtkWidget  parent_instance;

  GtkWidget *save_button;
  GtkLabel  *error_label;
  GtkWidget *content;
  char      *error;
};

G_DEFINE_FINAL_TYPE (CpDialogFrame, cp_dialog_frame, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_CONTENT, PROP_ERROR, PROP_CAN_SAVE, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_SAVE, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
set_content (CpDialogFrame *self,
             GtkWidget     *content)
{
  if (self->content == content)
    return;
  g_clear_pointer (&self->content, gtk_widget_unparent);
  if (content != NULL)
    {
      self->content = content;
      gtk_widget_set_vexpand (content, TRUE);
      gtk_widget_insert_before (content, GTK_WIDGET (self), NULL);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT]);
}

static gboolean
text_not_blank (GBinding     *binding,
                const GValue *from,
                GValue       *to,
                gpointer      user_data)
{
  g_autofree char *text = g_strstrip (g_strdup (g_value_get_string (from)));

  g_value_set_boolean (to, *text != '\0');
  return TRUE;
}

static void
save_clicked_cb (CpDialogFrame *self)
{
  g_signal_emit (self, signals[SIGNAL_SAVE], 0);
}

static void
cp_dialog_frame_dispose (GObject *object)
{
  CpDialogFrame *self = CP_DIALOG_FRAME (object);
  GtkWidget *child;

  self->content = NULL;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (cp_dialog_frame_parent_class)->dispose (object);
}

static void
cp_dialog_frame_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CpDialogFrame *self = CP_DIALOG_FRAME (object);

  switch (prop_id)
    {
    case PROP_CONTENT:
      g_value_set_object (value, self->content);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_CAN_SAVE:
      g_value_set_boolean (value, gtk_widget_get_sensitive (self->save_button));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_dialog_frame_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CpDialogFrame *self = CP_DIALOG_FRAME (object);

  switch (prop_id)
    {
    case PROP_CONTENT:
      set_content (self, g_value_get_object (value));
      break;
    case PROP_ERROR:
      cp_dialog_frame_set_error (self, g_value_get_string (value));
      break;
    case PROP_CAN_SAVE:
      if (gtk_widget_get_sensitive (self->save_button) != g_value_get_boolean (value))
        {
          gtk_widget_set_sensitive (self->save_button, g_value_get_boolean (value));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_dialog_frame_class_init (CpDialogFrameClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_dialog_frame_dispose;
  object_class->get_property = cp_dialog_frame_get_property;
  object_class->set_property = cp_dialog_frame_set_property;

  /**
   * CpDialogFrame:content:
   *
   * The dialog's page, under the header bar and the error.
   */
  properties[PROP_CONTENT] =
    g_param_spec_object ("content", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * CpDialogFrame:error:
   *
   * Why the last Save was refused, shown under the header bar; %NULL: none.
   */
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * CpDialogFrame:can-save:
   *
   * Whether Save is offered: the dialog binds it to its fields' validity.
   */
  properties[PROP_CAN_SAVE] =
    g_param_spec_boolean ("can-save", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CpDialogFrame::save:
   *
   * Save was clicked: the dialog applies its edit.
   */
  signals[SIGNAL_SAVE] = g_signal_new ("save", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/carepath/Carepath/cp-dialog-frame.ui");
  gtk_widget_class_bind_template_child (widget_class, CpDialogFrame, save_button);
  gtk_widget_class_bind_template_child (widget_class, CpDialogFrame, error_label);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
cp_dialog_frame_init (CpDialogFrame *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
}

/**
 * cp_dialog_frame_set_error:
 * @error: (nullable): why the edit was refused; %NULL or "" hides it
 */
void
cp_dialog_frame_set_error (CpDialogFrame *self,
                           const char    *error)
{
  g_return_if_fail (CP_IS_DIALOG_FRAME (self));

  if (error != NULL && *error == '\0')
    error = NULL;
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  gtk_label_set_text (self->error_label, error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

const char *
cp_dialog_frame_get_error (CpDialogFrame *self)
{
  g_return_val_if_fail (CP_IS_DIALOG_FRAME (self), NULL);
  return self->error;
}

GtkWidget *
cp_dialog_frame_get_save_button (CpDialogFrame *self)
{
  g_return_val_if_fail (CP_IS_DIALOG_FRAME (self), NULL);
  return self->save_button;
}

/**
 * cp_dialog_frame_bind_needed_text:
 * @editable: a #GtkEditable whose text the edit needs
 *
 * Save is offered only while @editable holds more than spaces.
 */
void
cp_dialog_frame_bind_needed_text (CpDialogFrame *self,
                                  GtkEditable   *editable)
{
  g_return_if_fail (CP_IS_DIALOG_FRAME (self));
  g_return_if_fail (GTK_IS_EDITABLE (editable));

  g_object_bind_property_full (editable, "text", self, "can-save", G_BINDING_SYNC_CREATE,
                               text_not_blank, NULL, NULL, NULL);
}
