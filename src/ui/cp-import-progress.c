/* cp-import-progress.c — the page an import shows while it runs: progress, rows read, Cancel
 *
 * The lead and the activity import windows show the same page while their
 * worker runs; Cancel cancels the run's cancellable, and the import
 * stops after the row in progress (what it keeps is its own rule: whole
 * batches, or every row before the cancel; its result says what it did).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-import-progress"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-import-progress.h"

struct _CpImportProgress
{
  AdwBin          parent_instance;

  GtkProgressBar *progress_bar;
  GtkLabel       *progress_label;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (CpImportProgress, cp_import_progress, ADW_TYPE_BIN)

static void
cancel_clicked_cb (CpImportProgress *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_label_set_text (self->progress_label, _("Cancelling: the import stops after the row in "
                                              "progress…"));
}

static void
cp_import_progress_dispose (GObject *object)
{
  CpImportProgress *self = CP_IMPORT_PROGRESS (object);

  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_IMPORT_PROGRESS);
  G_OBJECT_CLASS (cp_import_progress_parent_class)->dispose (object);
}

static void
cp_import_progress_class_init (CpImportProgressClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cp_import_progress_dispose;
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/carepath/Carepath/cp-import-progress.ui");
  gtk_widget_class_bind_template_child (widget_class, CpImportProgress, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CpImportProgress, progress_label);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
}

static void
cp_import_progress_init (CpImportProgress *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cp_import_progress_start:
 * @cancellable: what Cancel cancels: the run's
 *
 * Resets the page for a run that is starting.
 */
void
cp_import_progress_start (CpImportProgress *self,
                          GCancellable     *cancellable)
{
  g_return_if_fail (CP_IS_IMPORT_PROGRESS (self));
  g_return_if_fail (G_IS_CANCELLABLE (cancellable));

  g_set_object (&self->cancellable, cancellable);
  gtk_label_set_text (self->progress_label, _("Starting…"));
}

/**
 * cp_import_progress_report:
 * @progress: (type CpImportProgress): the page
 *
 * A #CpProgressFunc for the imports: pulses and says how many rows were read.
 */
void
cp_import_progress_report (guint    done,
                           guint    total,
                           gpointer progress)
{
  CpImportProgress *self = progress;
  g_autofree char *text = NULL;

  g_return_if_fail (CP_IS_IMPORT_PROGRESS (self));

  text = g_strdup_printf (_("%u rows read"), done);
  gtk_progress_bar_pulse (self->progress_bar);
  gtk_label_set_text (self->progress_label, text);
}
