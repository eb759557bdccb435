/* cp-import-worker.c — what every import does on its worker thread: its own connection, progress handed back
 *
 * A lead import and an activity import both run off the main thread:
 * each opens the file and its own connection there (SQLite connections
 * are not shared across threads), and hands its progress back to the
 * main context of the thread that started it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-import"

#include "config.h"

#include "cp-import-private.h"
#include "cp-main-context.h"

/**
 * _cp_progress_relay_init:
 * @func: (nullable): what to call with the progress, in the calling
 *   thread's main context
 *
 * Remembers the calling thread's main context, to call @func there later.
 */
void
_cp_progress_relay_init (CpProgressRelay *relay,
                         CpProgressFunc   func,
                         gpointer         data)
{
  relay->func = func;
  relay->data = data;
  relay->context = g_main_context_ref_thread_default ();
}

void
_cp_progress_relay_clear (CpProgressRelay *relay)
{
  g_clear_pointer (&relay->context, g_main_context_unref);
}

typedef struct
{
  CpProgressRelay *relay;
  guint            done;
  guint            total;
} Progress;

static gboolean
report_progress (gpointer data)
{
  Progress *progress = data;

  progress->relay->func (progress->done, progress->total, progress->relay->data);
  return G_SOURCE_REMOVE;
}

static void
progress_from_thread (guint    done,
                      guint    total,
                      gpointer user_data)
{
  CpProgressRelay *relay = user_data;
  Progress *progress = g_new0 (Progress, 1);

  progress->relay = relay;
  progress->done = done;
  progress->total = total;
  cp_main_context_post (relay->context, G_PRIORITY_DEFAULT, report_progress, progress, g_free);
}

/**
 * _cp_progress_relay_func:
 *
 * Returns: (nullable): the progress function a worker calls with the
 *   relay as its data, or %NULL when nobody listens
 */
CpProgressFunc
_cp_progress_relay_func (CpProgressRelay *relay)
{
  return relay->func != NULL ? progress_from_thread : NULL;
}

/**
 * _cp_import_worker_open:
 * @out_reader: (out): the file's reader
 * @out_store: (out): a store on a connection of the worker's own, set for
 *   bulk writes (cp_database_set_bulk_writes())
 *
 * On the worker thread: opens the file, then the database.
 */
gboolean
_cp_import_worker_open (const char    *database_path,
                        const char    *csv_path,
                        CpCsvReader  **out_reader,
                        CpLeadStore  **out_store,
                        GError       **error)
{
  g_autoptr(CpCsvReader) reader = NULL;
  g_autoptr(CpDatabase) database = NULL;

  reader = cp_csv_reader_new_for_path (csv_path, error);
  if (reader == NULL)
    return FALSE;
  database = cp_database_open (database_path, error);
  if (database == NULL)
    return FALSE;
  cp_database_set_bulk_writes (database, TRUE);
  *out_reader = g_steal_pointer (&reader);
  *out_store = cp_lead_store_new (database);
  return TRUE;
}

/**
 * _cp_import_worker_close:
 *
 * Ends the bulk writes _cp_import_worker_open() began and lets go of the
 * store and the reader.
 */
void
_cp_import_worker_close (CpCsvReader *reader,
                         CpLeadStore *store)
{
  cp_database_set_bulk_writes (cp_lead_store_get_database (store), FALSE);
  g_object_unref (store);
  cp_csv_reader_free (reader);
}
