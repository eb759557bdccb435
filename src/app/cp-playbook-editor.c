/* cp-playbook-editor.c — the playbook draft being edited: autosave, undo, guards, publish
 *
 * The draft is held as the playbook's JSON text, the one form every part
 * of Carepath already reads and checks. An edit parses the current text
 * into a fresh playbook, changes it, checks the whole playbook with the
 * engine's own validation, and only then takes its place: the undo stack
 * keeps the text before it, and the new text is saved to the database at
 * once (`playbook_draft`), so a crash loses nothing. A refused edit
 * changes nothing and says why.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-playbook-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-playbook-editor-private.h"
#include "cp-playbook-format.h"
#include "cp-playbook-store.h"
#include "cp-rescore.h"

/* Undo steps kept; older ones are dropped (the draft itself is never lost). */
#define MAX_UNDO 100

struct _CpPlaybookEditor
{
  GObject      parent_instance;

  CpLeadStore *store;
  CpDatabase  *database;
  char        *author;
  char        *text;          /* the draft as JSON */
  CpPlaybook  *playbook;      /* parsed from @text */
  char        *published;     /* the version in effect, as JSON, for the changes */
  gint64       base_version;
  gboolean     has_draft;     /* saved in the database */
  GQueue       undo;          /* char *, newest first */
  GQueue       redo;
};

G_DEFINE_QUARK (cp-playbook-editor-error-quark, cp_playbook_editor_error)

G_DEFINE_FINAL_TYPE (CpPlaybookEditor, cp_playbook_editor, G_TYPE_OBJECT)

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
cp_playbook_editor_finalize (GObject *object)
{
  CpPlaybookEditor *self = CP_PLAYBOOK_EDITOR (object);

  g_clear_object (&self->store);
  g_clear_object (&self->database);
  g_free (self->author);
  g_free (self->text);
  g_free (self->published);
  g_clear_pointer (&self->playbook, cp_playbook_unref);
  g_queue_clear_full (&self->undo, g_free);
  g_queue_clear_full (&self->redo, g_free);

  G_OBJECT_CLASS (cp_playbook_editor_parent_class)->finalize (object);
}

static void
cp_playbook_editor_class_init (CpPlaybookEditorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cp_playbook_editor_finalize;

  /**
   * CpPlaybookEditor::changed:
   *
   * The draft, the undo history or the published versions changed.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cp_playbook_editor_init (CpPlaybookEditor *self)
{
  g_queue_init (&self->undo);
  g_queue_init (&self->redo);
}

static gint64
now (CpPlaybookEditor *self)
{
  return cp_lead_store_now (self->store);
}

/* Takes @text (already checked) as the draft, without saving it. */
static void
take_text (CpPlaybookEditor *self,
           char             *text,
           CpPlaybook       *playbook)
{
  g_free (self->text);
  self->text = text;
  g_clear_pointer (&self->playbook, cp_playbook_unref);
  self->playbook = playbook;
}

static gboolean
load (CpPlaybookEditor  *self,
      GError           **error)
{
  g_autoptr(CpPlaybookVersion) version = NULL;
  g_autoptr(CpPlaybook) active = NULL;
  CpPlaybook *draft;
  gint64 base = 0;

  active = cp_playbook_store_load_active (self->database, now (self), &version, error);
  if (active == NULL)
    return FALSE;
  g_free (self->published);
  self->published = cp_playbook_format_serialize (active);

  draft = cp_playbook_store_load_draft (self->database, NULL, &base, error);
  if (draft == NULL && error != NULL && *error != NULL)
    return FALSE;
  self->has_draft = draft != NULL;
  self->base_version = draft != NULL ? base : version->id;
  if (draft == NULL)
    draft = cp_playbook_ref (active);
  take_text (self, cp_playbook_format_serialize (draft), draft);
  return TRUE;
}

/**
 * cp_playbook_editor_new:
 * @author: who edits: recorded with the draft and what is published
 *
 * Opens the saved draft, or starts from the version in effect (nothing is
 * saved until the first edit).
 *
 * Returns: (transfer full) (nullable): the editor, or %NULL with @error
 */
CpPlaybookEditor *
cp_playbook_editor_new (CpLeadStore  *store,
                        const char   *author,
                        GError      **error)
{
  g_autoptr(CpPlaybookEditor) self = NULL;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), NULL);

  self = g_object_new (CP_TYPE_PLAYBOOK_EDITOR, NULL);
  self->store = g_object_ref (store);
  self->database = g_object_ref (cp_lead_store_get_database (store));
  self->author = g_strdup (author != NULL ? author : g_get_real_name ());
  if (!load (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* A playbook to change: a fresh copy of the draft. */
CpPlaybook *
_cp_playbook_editor_working_copy (CpPlaybookEditor *self)
{
  CpPlaybook *copy = cp_playbook_format_parse (self->text, -1, NULL);

  /* The text was checked when it was taken. */
  g_assert (copy != NULL);
  return copy;
}

static gboolean
save (CpPlaybookEditor  *self,
      GError           **error)
{
  if (!cp_playbook_store_save_draft (self->database, self->playbook, self->base_version,
                                     self->author, now (self), error))
    return FALSE;
  self->has_draft = TRUE;
  return TRUE;
}

/* Checks @changed as a whole; if it holds, it becomes the draft (saved),
 * and the text before goes on the undo stack. Takes @changed. */
gboolean
_cp_playbook_editor_commit (CpPlaybookEditor  *self,
                            CpPlaybook        *changed,
                            GError           **error)
{
  g_autoptr(CpPlaybook) playbook = changed;
  g_autofree char *text = NULL;
  g_autofree char *before = NULL;
  g_autoptr(CpPlaybook) reparsed = NULL;

  if (!cp_playbook_validate (playbook, error))
    return FALSE;
  text = cp_playbook_format_serialize (playbook);
  if (g_strcmp0 (text, self->text) == 0)
    return TRUE;   /* nothing changed: nothing to undo */
  /* What is saved must read back: the format is the judge. */
  reparsed = cp_playbook_format_parse (text, -1, error);
  if (reparsed == NULL)
    return FALSE;

  before = g_strdup (self->text);
  take_text (self, g_steal_pointer (&text), g_steal_pointer (&reparsed));
  if (!save (self, error))
    {
      g_autoptr(CpPlaybook) old = cp_playbook_format_parse (before, -1, NULL);

      take_text (self, g_steal_pointer (&before), g_steal_pointer (&old));
      return FALSE;
    }
  g_queue_push_head (&self->undo, g_steal_pointer (&before));
  while (self->undo.length > MAX_UNDO)
    g_free (g_queue_pop_tail (&self->undo));
  g_queue_clear_full (&self->redo, g_free);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

static gboolean
step (CpPlaybookEditor  *self,
      GQueue            *from,
      GQueue            *to,
      GError           **error)
{
  g_autofree char *text = g_queue_pop_head (from);
  g_autoptr(CpPlaybook) playbook = NULL;

  if (text == NULL)
    return TRUE;
  playbook = cp_playbook_format_parse (text, -1, error);
  if (playbook == NULL)
    return FALSE;
  g_queue_push_head (to, g_strdup (self->text));
  take_text (self, g_steal_pointer (&text), g_steal_pointer (&playbook));
  if (!save (self, error))
    return FALSE;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

gboolean
cp_playbook_editor_undo (CpPlaybookEditor  *self,
                         GError           **error)
{
  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), FALSE);
  return step (self, &self->undo, &self->redo, error);
}

gboolean
cp_playbook_editor_redo (CpPlaybookEditor  *self,
                         GError           **error)
{
  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), FALSE);
  return step (self, &self->redo, &self->undo, error);
}

gboolean
cp_playbook_editor_can_undo (CpPlaybookEditor *self)
{
  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), FALSE);
  return self->undo.length > 0;
}

gboolean
cp_playbook_editor_can_redo (CpPlaybookEditor *self)
{
  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), FALSE);
  return self->redo.length > 0;
}

/* Returns: (transfer none): the draft as it stands; do not change it */
CpPlaybook *
cp_playbook_editor_get_playbook (CpPlaybookEditor *self)
{
  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), NULL);
  return self->playbook;
}

/* Returns: the published version the draft started from (0: the built-in one) */
gint64
cp_playbook_editor_get_base_version (CpPlaybookEditor *self)
{
  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), 0);
  return self->base_version;
}

/* Returns: whether a draft is saved (there is something to publish) */
gboolean
cp_playbook_editor_has_draft (CpPlaybookEditor *self)
{
  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), FALSE);
  return self->has_draft;
}

/* Returns: (transfer none): the lead store the draft is checked against */
CpLeadStore *
cp_playbook_editor_get_store (CpPlaybookEditor *self)
{
  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), NULL);
  return self->store;
}

/* ---- the whole playbook ---- */

/**
 * cp_playbook_editor_import:
 *
 * Reads a playbook file as the new draft (undoable). An invalid file is
 * refused with the engine's precise error (the path of the bad value).
 */
gboolean
cp_playbook_editor_import (CpPlaybookEditor  *self,
                           const char        *path,
                           GError           **error)
{
  CpPlaybook *playbook;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), FALSE);

  playbook = cp_playbook_format_load_file (path, error);
  return playbook != NULL && _cp_playbook_editor_commit (self, playbook, error);
}

gboolean
cp_playbook_editor_export (CpPlaybookEditor  *self,
                           const char        *path,
                           GError           **error)
{
  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), FALSE);
  return cp_playbook_format_save_file (self->playbook, path, error);
}

/* Drops the draft: the editor shows the version in effect again. */
gboolean
cp_playbook_editor_discard (CpPlaybookEditor  *self,
                            GError           **error)
{
  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), FALSE);

  if (!cp_playbook_store_discard_draft (self->database, error) || !load (self, error))
    return FALSE;
  g_queue_clear_full (&self->undo, g_free);
  g_queue_clear_full (&self->redo, g_free);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

static gboolean
check_reason (const char  *reason,
              GError     **error)
{
  g_autofree char *clean = g_strstrip (g_strdup (reason != NULL ? reason : ""));

  if (*clean != '\0')
    return TRUE;
  g_set_error_literal (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                       _("Say why the playbook changes: the reason is kept with the version."));
  return FALSE;
}

/**
 * cp_playbook_editor_publish:
 * @reason: why; required
 * @effective_at: from when it applies (0: now)
 *
 * Returns: the new version's id, or 0 with @error (no draft, no reason)
 */
gint64
cp_playbook_editor_publish (CpPlaybookEditor  *self,
                            const char        *reason,
                            gint64             effective_at,
                            GError           **error)
{
  gint64 id;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), 0);

  if (!check_reason (reason, error))
    return 0;
  if (!self->has_draft)
    {
      g_set_error_literal (error, CP_PLAYBOOK_EDITOR_ERROR, CP_PLAYBOOK_EDITOR_ERROR_INVALID,
                           _("Nothing to publish: the draft is the version in effect."));
      return 0;
    }
  id = cp_playbook_store_publish_draft (self->database, self->author, reason, effective_at,
                                        now (self), error);
  if (id <= 0 || !load (self, error))
    return 0;
  g_queue_clear_full (&self->undo, g_free);
  g_queue_clear_full (&self->redo, g_free);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return id;
}

/**
 * cp_playbook_editor_revert:
 *
 * Publishes an earlier version again, as a new version: history is never
 * rewritten. A draft in progress stays.
 *
 * Returns: the new version's id, or 0 with @error
 */
gint64
cp_playbook_editor_revert (CpPlaybookEditor  *self,
                           gint64             version_id,
                           const char        *reason,
                           GError           **error)
{
  g_autoptr(CpPlaybook) old = NULL;
  gint64 id;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), 0);

  if (!check_reason (reason, error))
    return 0;
  /* Version 0 is the built-in default playbook. */
  old = version_id == 0 ? cp_playbook_format_load_default ()
                        : cp_playbook_store_get (self->database, version_id, NULL, error);
  if (old == NULL)
    return 0;
  id = cp_playbook_store_publish (self->database, old, self->author, reason, 0, now (self), error);
  if (id <= 0)
    return 0;
  {
    g_autoptr(CpPlaybook) active =
        cp_playbook_store_load_active (self->database, now (self), NULL, error);

    if (active == NULL)
      return 0;
    g_free (self->published);
    self->published = cp_playbook_format_serialize (active);
  }
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return id;
}

/* Returns: (transfer full) (element-type CpPlaybookVersion): newest first */
GPtrArray *
cp_playbook_editor_list_versions (CpPlaybookEditor  *self,
                                  GError           **error)
{
  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), NULL);
  return cp_playbook_store_list (self->database, error);
}

/* Returns: (transfer full) (element-type CpPlaybookChange): from one version to another */
GPtrArray *
cp_playbook_editor_diff (CpPlaybookEditor  *self,
                         gint64             from_id,
                         gint64             to_id,
                         GError           **error)
{
  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), NULL);
  return cp_playbook_store_diff (self->database, from_id, to_id, error);
}

/* Returns: (transfer full) (element-type CpPlaybookChange): the draft against the version in
 * effect */
GPtrArray *
cp_playbook_editor_draft_changes (CpPlaybookEditor *self)
{
  g_autoptr(CpPlaybook) published = NULL;

  g_return_val_if_fail (CP_IS_PLAYBOOK_EDITOR (self), NULL);

  published = cp_playbook_format_parse (self->published, -1, NULL);
  return cp_playbook_diff (published, self->playbook);
}

/* ---- what publishing would change ---- */

typedef struct
{
  char   *database_path;
  char   *draft_text;
  gint64  now;
} ImpactTask;

static void
impact_task_free (gpointer data)
{
  ImpactTask *task = data;

  g_free (task->database_path);
  g_free (task->draft_text);
  g_free (task);
}

static void
impact_thread (GTask        *gtask,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImpactTask *task = task_data;
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpPlaybook) current = NULL;
  g_autoptr(CpPlaybook) draft = NULL;
  GError *error = NULL;
  CpPlaybookImpact *impact = NULL;

  /* Its own connection: SQLite connections are not shared across threads. */
  database = cp_database_open (task->database_path, &error);
  if (database != NULL)
    current = cp_playbook_store_load_active (database, task->now, NULL, &error);
  if (current != NULL)
    draft = cp_playbook_format_parse (task->draft_text, -1, &error);
  if (draft != NULL)
    impact =
        cp_rescore_impact (database, current, draft, task->now, NULL, NULL, cancellable, &error);
  if (impact == NULL)
    g_task_return_error (gtask, error);
  else
    g_task_return_pointer (gtask, impact, (GDestroyNotify) cp_playbook_impact_free);
}

/**
 * cp_playbook_editor_preview_impact_async:
 *
 * Evaluates every lead with the version in effect and with the draft, on
 * a worker thread: how many change score, tier or queue, or would be
 * blocked, with examples.
 */
void
cp_playbook_editor_preview_impact_async (CpPlaybookEditor    *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) gtask = NULL;
  ImpactTask *task;

  g_return_if_fail (CP_IS_PLAYBOOK_EDITOR (self));

  task = g_new0 (ImpactTask, 1);
  task->database_path = g_strdup (cp_database_get_path (self->database));
  task->draft_text = g_strdup (self->text);
  task->now = now (self);
  gtask = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (gtask, cp_playbook_editor_preview_impact_async);
  g_task_set_task_data (gtask, task, impact_task_free);
  g_task_run_in_thread (gtask, impact_thread);
}

/* Returns: (transfer full) (nullable): the impact, or %NULL with @error */
CpPlaybookImpact *
cp_playbook_editor_preview_impact_finish (CpPlaybookEditor  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
