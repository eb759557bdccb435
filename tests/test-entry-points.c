/* test-entry-points.c — the same bad change, sent through every way into the data, gets the same
 * refusal
 *
 * Three changes the playbook refuses — a move to a stage it lacks, a
 * move that skips the stage's required fields, a write of a field it
 * computes — go through the main window (a drop on the board, the lead
 * editor), the command line, a CSV import, a record pulled from the CRM
 * and event capture. Each must be refused in the store's own words, and
 * none may leave a trace in the data.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cp-application.h"
#include "cp-cli-test-util.h"
#include "cp-core-error.h"
#include "cp-lead-editor.h"
#include "cp-lead-import.h"
#include "cp-pipeline-view.h"
#include "cp-quick-capture.h"
#include "cp-sync-store.h"
#include "cp-test-util.h"
#include "cp-ui.h"
#include "cp-widget-test-util.h"
#include "cp-window.h"

typedef enum
{
  BAD_UNKNOWN_STAGE,
  BAD_REQUIRED_GAP,
  BAD_COMPUTED,
} BadChange;

/* What each bad change is, and the refusal everyone must get. */
static const struct
{
  const char *name;
  const char *stage;       /* the stage asked for, or NULL */
  const char *refusal;
  const char *trace_sql;   /* counts leads that show the change was made */
} bad_changes[] = {
  { "unknown-stage", "nonsense_stage",
    "There is no stage “nonsense_stage” in the playbook.",
    "SELECT count(*) FROM leads WHERE stage = 'nonsense_stage'" },
  { "required-gap", "qualified",
    "Cannot move to “Qualified”: Service line, Location, Lead type must be filled in first.",
    "SELECT count(*) FROM leads WHERE stage = 'qualified'" },
  { "computed-field", NULL,
    "“score” (Score) is computed by the playbook and cannot be set directly.",
    "SELECT count(*) FROM leads WHERE score = 99" },
};

typedef struct
{
  char          *dir;
  char          *path;
  CpApplication *app;
  CpWindow      *window;
  CpLeadStore   *store;     /* the application's */
  char          *lead_id;   /* a new lead: a name and an email, nothing else */
  guint          serial;    /* for the emails of created leads */
} Fixture;

/* Each entry point tries the change and returns what the user is told,
 * or NULL when the change went through. */
typedef char *(*EntryFunc) (Fixture *f, BadChange bad);

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static GtkWidget *
find_widget (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      g_autoptr(GPtrArray) found = g_ptr_array_new ();

      cp_test_collect_widgets (GTK_WIDGET (window), type, found);
      if (found->len > 0)
        return found->pdata[0];
    }
  return NULL;
}

/* The body of the message dialog on @parent, which is then closed. */
static char *
take_dialog_body (GtkWindow *parent)
{
  AdwMessageDialog *dialog;
  char *body;

  cp_test_iterate ();
  dialog = cp_test_find_dialog (parent);
  if (dialog == NULL)
    return NULL;
  body = g_strdup (adw_message_dialog_get_body (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
  cp_test_iterate ();
  return body;
}

static char *
next_email (Fixture *f)
{
  return g_strdup_printf ("walk-in%u@example.org", ++f->serial);
}

/* ---- the entry points ---- */

/* The main window: a card dropped on a column of the board, or the lead
 * editor saving a field. */
static char *
through_window (Fixture   *f,
                BadChange  bad)
{
  if (bad_changes[bad].stage != NULL)
    {
      GtkWidget *board = find_widget (CP_TYPE_PIPELINE_VIEW);

      g_assert_nonnull (board);
      g_signal_emit_by_name (board, "move-requested", f->lead_id, bad_changes[bad].stage);
      return take_dialog_body (GTK_WINDOW (f->window));
    }
  else
    {
      GtkWindow *editor;
      CpLeadEditorModel *model;
      char *message;

      gtk_widget_activate_action (GTK_WIDGET (f->window), "win.edit-lead", "s", f->lead_id);
      cp_test_iterate ();
      editor = find_toplevel (CP_TYPE_LEAD_EDITOR);
      g_assert_nonnull (editor);
      model = cp_lead_editor_get_model (CP_LEAD_EDITOR (editor));
      cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_SCORE, "99");
      g_assert_true (
          gtk_widget_get_sensitive (cp_lead_editor_get_save_button (CP_LEAD_EDITOR (editor))));
      g_signal_emit_by_name (cp_lead_editor_get_save_button (CP_LEAD_EDITOR (editor)), "clicked");
      message = take_dialog_body (editor);
      gtk_window_destroy (editor);
      cp_test_iterate ();
      return message;
    }
}

static char *
through_cli (Fixture   *f,
             BadChange  bad)
{
  g_auto(CpCliResult) r = { 0 };

  if (bad_changes[bad].stage != NULL)
    cp_test_run_cli (&r, "--db", f->path, "move", f->lead_id, bad_changes[bad].stage,
                     "--reason", "entry point test", NULL);
  else
    cp_test_run_cli (&r, "--db", f->path, "update", f->lead_id, "score=99", NULL);
  if (r.status == 0)
    return NULL;
  return g_steal_pointer (&r.err);
}

/* A row of a CSV file: a new person, at the stage or with the score. */
static char *
through_import (Fixture   *f,
                BadChange  bad)
{
  g_autofree char *email = next_email (f);
  g_autofree char *text = NULL;
  g_autoptr(CpCsvReader) reader = NULL;
  g_auto(CpImportResult) result = { 0, };
  g_autoptr(GError) error = NULL;
  CpImportOptions options = {
    CP_IMPORT_HEADERS_AUTO, CP_IMPORT_DUPLICATE_KEEP, FALSE, "test", NULL, 0, NULL
  };

  if (bad_changes[bad].stage != NULL)
    text = g_strdup_printf ("First Name,Last Name,Email,Stage\nZed,Park,%s,%s\n", email,
                            bad_changes[bad].stage);
  else
    text = g_strdup_printf ("First Name,Last Name,Email,Score\nZed,Park,%s,99\n", email);
  reader = cp_csv_reader_new_for_data (text, strlen (text));
  g_assert_true (
      cp_lead_import_run (f->store, reader, &options, NULL, NULL, NULL, &result, &error));
  g_assert_no_error (error);

  if (result.rejected > 0)
    {
      CpImportRejection *rejection = result.rejections->pdata[0];

      g_assert_cmpuint (result.rejected, ==, 1);
      g_assert_cmpuint (result.imported, ==, 0);
      g_assert_cmpuint (rejection->line, ==, 2);
      g_assert_cmpuint (rejection->column, ==, 4);   /* the stage column */
      return g_strdup (rejection->reason);
    }
  /* A score column is refused as a column: the person is imported, the
   * playbook scores them, and the result says why the column was not. */
  return g_strdup (result.warning);
}

/* A record pulled from the CRM, applied through the sync store. */
static char *
through_sync (Fixture   *f,
              BadChange  bad)
{
  g_autoptr(CpSyncStore) sync = cp_sync_store_new (f->store, "hubspot");
  CpDatabase *database = cp_lead_store_get_database (f->store);
  g_autoptr(CpLead) before = NULL;
  g_autoptr(CpLead) after = NULL;
  g_autoptr(GError) error = NULL;

  before = cp_sync_store_load_lead (sync, f->lead_id, NULL, &error);
  g_assert_no_error (error);
  after = cp_lead_copy (before);
  if (bad_changes[bad].stage != NULL)
    cp_lead_set_text (after, CP_LEAD_FIELD_STAGE, bad_changes[bad].stage);
  else
    cp_lead_set_int (after, CP_LEAD_FIELD_SCORE, 99);

  g_assert_true (cp_database_begin (database, NULL));
  if (cp_sync_store_apply_remote_edit (sync, before, after, &error))
    {
      g_assert_true (cp_database_commit (database, NULL));
      return NULL;
    }
  cp_database_rollback (database);
  g_assert_true (error->domain == CP_CORE_ERROR);
  return g_strdup (error->message);
}

/* Event capture: someone typed in, saved with Enter. */
static char *
through_capture (Fixture   *f,
                 BadChange  bad)
{
  g_autofree char *email = next_email (f);
  CpQuickCapture *capture;
  CpLeadEditorModel *model;
  char *message;
  guint count;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.capture", NULL);
  cp_test_iterate ();
  capture = CP_QUICK_CAPTURE (find_widget (CP_TYPE_QUICK_CAPTURE));
  g_assert_nonnull (capture);
  gtk_editable_set_text (GTK_EDITABLE (
                             cp_quick_capture_get_field_row (capture, CP_LEAD_FIELD_FIRST_NAME)),
                         "Mia");
  gtk_editable_set_text (GTK_EDITABLE (
                             cp_quick_capture_get_field_row (capture, CP_LEAD_FIELD_EMAIL)),
                         email);
  model = cp_quick_capture_get_model (capture);
  if (bad_changes[bad].stage != NULL)
    cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_STAGE, bad_changes[bad].stage);
  else
    cp_lead_editor_model_set_field (model, CP_LEAD_FIELD_SCORE, "99");

  count = cp_quick_capture_get_count (capture);
  message =
      cp_quick_capture_save (capture) ? NULL : g_strdup (cp_quick_capture_get_warning (capture));
  if (message != NULL)
    {
      /* The form keeps what was typed, to fix it. */
      g_assert_cmpuint (cp_quick_capture_get_count (capture), ==, count);
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (
                           cp_quick_capture_get_field_row (capture, CP_LEAD_FIELD_EMAIL))),
                       ==, email);
    }
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (capture))));
  cp_test_iterate ();
  return message;
}

static const struct
{
  const char *name;
  EntryFunc   func;
} entry_points[] = {
  { "window", through_window },
  { "cli", through_cli },
  { "import", through_import },
  { "sync", through_sync },
  { "capture", through_capture },
};

/* ---- the table ---- */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = cp_test_make_tmp_dir ();
  f->path = g_build_filename (f->dir, "leads.db", NULL);
  f->app = cp_application_new (CP_TYPE_WINDOW);
  g_application_set_flags (G_APPLICATION (f->app), G_APPLICATION_NON_UNIQUE);
  cp_application_set_database_path (f->app, f->path);
  g_assert_true (g_application_register (G_APPLICATION (f->app), NULL, &error));
  g_assert_no_error (error);
  f->store = cp_application_get_lead_store (f->app, &error);
  g_assert_no_error (error);
  f->lead_id = cp_test_create_lead (f->store, CP_LEAD_FIELD_FIRST_NAME, "Ann",
                                    CP_LEAD_FIELD_LAST_NAME, "Lee",
                                    CP_LEAD_FIELD_EMAIL, "ann.lee@example.org", CP_LEAD_N_FIELDS);

  f->window = g_object_new (CP_TYPE_WINDOW, "application", f->app, NULL);
  gtk_window_present (GTK_WINDOW (f->window));
  cp_test_iterate ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_object_ref (f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  cp_test_iterate ();
  cp_test_finalize_widget (f->window);
  /* Registered, the application is exported on the bus, which keeps a
   * reference until the process ends: one per test program. */
  g_clear_object (&f->app);
  cp_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->lead_id);
}

static void good_change_goes_through (Fixture *f);

static void
test_same_refusal_everywhere (Fixture       *f,
                              gconstpointer  data)
{
  CpDatabase *database = cp_lead_store_get_database (f->store);
  gint64 audit_rows = cp_test_count_rows (database, "audit_log");
  gint64      lead_audit_rows =
      cp_test_sql_int (database, "SELECT count(*) FROM audit_log WHERE entity_id = ?", f->lead_id);
  gint64 stage_events = cp_test_count_rows (database, "stage_events");
  g_autoptr(CpLead) before = cp_lead_store_get (f->store, f->lead_id, NULL);

  for (guint b = 0; b < G_N_ELEMENTS (bad_changes); b++)
    for (guint e = 0; e < G_N_ELEMENTS (entry_points); e++)
      {
        g_autofree char *told = NULL;
        g_autoptr(CpLead) after = NULL;

        g_test_message ("%s through the %s", bad_changes[b].name, entry_points[e].name);
        told = entry_points[e].func (f, b);
        if (told == NULL || strstr (told, bad_changes[b].refusal) == NULL)
          g_error ("%s through the %s: told “%s”, expected “%s”", bad_changes[b].name,
                   entry_points[e].name, told, bad_changes[b].refusal);

        /* Nothing of the change is anywhere. */
        g_assert_cmpint (cp_test_sql_int (database, bad_changes[b].trace_sql, NULL), ==, 0);
        after = cp_lead_store_get (f->store, f->lead_id, NULL);
        g_assert_cmpstr (cp_lead_get_stage (after), ==, cp_lead_get_stage (before));
        g_assert_cmpint (cp_lead_get_int (after, CP_LEAD_FIELD_SCORE), ==,
                         cp_lead_get_int (before, CP_LEAD_FIELD_SCORE));
        g_assert_cmpint (cp_lead_get_int (after, CP_LEAD_FIELD_UPDATED_AT), ==,
                         cp_lead_get_int (before, CP_LEAD_FIELD_UPDATED_AT));
      }

  /* Only the import's score row went in (its score computed, not 99):
   * one lead created, audited, with its first stage event. */
  g_assert_cmpint (cp_test_count_rows (database, "leads"), ==, 2);
  g_assert_cmpint (cp_test_count_rows (database, "stage_events"), ==, stage_events + 1);
  g_assert_cmpint (cp_test_sql_int (database, "SELECT count(*) FROM audit_log WHERE entity_id = ?",
                                    f->lead_id), ==, lead_audit_rows);
  g_assert_cmpint (cp_test_sql_int (database, "SELECT count(*) FROM audit_log WHERE entity_id != ?",
                                    f->lead_id),
                   ==, cp_test_count_rows (database, "audit_log") - lead_audit_rows);
  g_assert_cmpint (cp_test_count_rows (database, "audit_log"), >, audit_rows);

  good_change_goes_through (f);
}

/* The check of the table itself: the same entry points let a good change
 * through, so the refusals are the playbook's, not a broken path. */
static void
good_change_goes_through (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLead) lead = NULL;
  g_autofree char *told = NULL;
  GtkWidget *board = find_widget (CP_TYPE_PIPELINE_VIEW);
  AdwMessageDialog *dialog;

  /* The window asks for a reason, then moves. */
  g_signal_emit_by_name (board, "move-requested", f->lead_id, "reactivation");
  cp_test_iterate ();
  dialog = cp_test_find_dialog (GTK_WINDOW (f->window));
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "move"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  cp_test_iterate ();

  /* The CLI moves, given a stage that exists and what it requires. */
  {
    g_auto(CpCliResult) r = { 0 };

    cp_test_run_cli (&r, "--db", f->path, "update", f->lead_id, "service_line=cardiology",
                     "location=Boston", "lead_type=patient", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  told = through_cli (f, BAD_REQUIRED_GAP);
  g_assert_null (told);
  lead = cp_lead_store_get (f->store, f->lead_id, &error);
  g_assert_cmpstr (cp_lead_get_stage (lead), ==, "qualified");

  /* Capture saves a lead in the first stage, scored by the playbook. */
  {
    CpQuickCapture *capture;
    g_autoptr(CpLead) captured = NULL;

    gtk_widget_activate_action (GTK_WIDGET (f->window), "win.capture", NULL);
    cp_test_iterate ();
    capture = CP_QUICK_CAPTURE (find_widget (CP_TYPE_QUICK_CAPTURE));
    gtk_editable_set_text (GTK_EDITABLE (
                               cp_quick_capture_get_field_row (capture, CP_LEAD_FIELD_FIRST_NAME)),
                           "Mia");
    gtk_editable_set_text (GTK_EDITABLE (
                               cp_quick_capture_get_field_row (capture, CP_LEAD_FIELD_EMAIL)),
                           "mia@example.org");
    g_assert_true (cp_quick_capture_save (capture));
    g_assert_cmpuint (cp_quick_capture_get_count (capture), ==, 1);
    gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (capture))));
    cp_test_iterate ();
    g_assert_cmpint (cp_test_sql_int (cp_lead_store_get_database (f->store),
                                      "SELECT count(*) FROM leads WHERE email = ? AND stage = "
                                      "'new' "
                                      "AND queue IS NOT NULL AND sla_due_at > 0",
                                      "mia@example.org"),
                     ==, 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  cp_ui_init ();
  if (argc < 2)
    g_error ("usage: %s [--tap] PATH-TO-carepath-cli", argv[0]);
  cp_test_set_cli_path (argv[argc - 1]);

  g_test_add ("/entry-points/same-refusal-everywhere", Fixture, NULL, fixture_set_up,
              test_same_refusal_everywhere, fixture_tear_down);
  return g_test_run ();
}
