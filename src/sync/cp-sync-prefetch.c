/* cp-sync-prefetch.c — the pull's pages fetched one ahead, while the last one is written
 *
 * The pull writes page N while a thread of its own fetches page N+1: the
 * wait for the CRM and the parsing of its answer overlap the writes. The
 * next page's position is known as soon as a page is parsed, so nothing
 * the writer decides is needed to fetch it. Only one page is fetched
 * ahead, and nothing fetched is ever committed by this file: the cursor
 * still moves in the transaction of the page it covers, so a failure on
 * page N+1 leaves page N committed and the cursor at its end.
 *
 * Every request of the pull goes out from the one fetch thread, so the
 * client's rate limits and retries see them in order, as before, and the
 * connection it opens is kept alive from page to page.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-sync-engine"

#include "config.h"

#include "cp-sync-prefetch-private.h"

typedef struct
{
  CpCrmPage *page;    /* NULL: @error says why the pull stops */
  GError    *error;
} Fetched;

struct _CpSyncPrefetch
{
  CpCrmBackend *backend;
  char         *cursor;          /* the committed cursor the pull starts from */
  GCancellable *cancellable;     /* the fetch thread's, cancelled with the run's */
  GCancellable *run_cancellable;
  gulong        run_handler;
  GAsyncQueue  *fetched;         /* Fetched, in page order */
  GAsyncQueue  *credits;         /* one per page the fetch thread may fetch */
  gint          stopping;
  GThread      *thread;
};

#define CREDIT GINT_TO_POINTER (1)

static void
fetched_free (Fetched *fetched)
{
  g_clear_pointer (&fetched->page, cp_crm_page_free);
  g_clear_error (&fetched->error);
  g_free (fetched);
}

static void
run_cancelled_cb (GCancellable *run_cancellable,
                  gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

/* The fetch thread: a page per credit, until the last page or an error. */
static gpointer
fetch_pages (gpointer user_data)
{
  CpSyncPrefetch *self = user_data;
  g_autofree char *token = NULL;

  for (;;)
    {
      Fetched *fetched;
      gboolean last;

      g_async_queue_pop (self->credits);
      if (g_atomic_int_get (&self->stopping))
        break;
      fetched = g_new0 (Fetched, 1);
      fetched->page = cp_crm_backend_pull_page (self->backend, self->cursor, token,
                                                self->cancellable, &fetched->error);
      last = fetched->page == NULL || fetched->page->next_page == NULL;
      if (!last)
        {
          g_free (token);
          token = g_strdup (fetched->page->next_page);
        }
      g_async_queue_push (self->fetched, fetched);
      if (last)
        break;
    }
  return NULL;
}

/**
 * _cp_sync_prefetch_start:
 * @cursor: (nullable): the committed cursor the pull starts after
 * @cancellable: (nullable): the run's
 *
 * Starts fetching the pull's first page in a thread of its own.
 */
CpSyncPrefetch *
_cp_sync_prefetch_start (CpCrmBackend *backend,
                         const char   *cursor,
                         GCancellable *cancellable)
{
  CpSyncPrefetch *self = g_new0 (CpSyncPrefetch, 1);

  self->backend = g_object_ref (backend);
  self->cursor = g_strdup (cursor);
  self->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      self->run_cancellable = g_object_ref (cancellable);
      self->run_handler = g_cancellable_connect (cancellable, G_CALLBACK (run_cancelled_cb),
                                                 self->cancellable, NULL);
    }
  self->fetched = g_async_queue_new_full ((GDestroyNotify) fetched_free);
  self->credits = g_async_queue_new ();
  g_async_queue_push (self->credits, CREDIT);
  self->thread = g_thread_new ("cp-sync-fetch", fetch_pages, self);
  return self;
}

/**
 * _cp_sync_prefetch_next:
 *
 * Waits for the next page, and lets the fetch thread go on with the one
 * after it (if there is one) while the caller writes this one.
 *
 * Returns: (transfer full): the next page, or %NULL with @error set
 */
CpCrmPage *
_cp_sync_prefetch_next (CpSyncPrefetch  *self,
                        GError         **error)
{
  Fetched *fetched = g_async_queue_pop (self->fetched);
  CpCrmPage *page = g_steal_pointer (&fetched->page);

  if (page == NULL)
    g_propagate_error (error, g_steal_pointer (&fetched->error));
  else if (page->next_page != NULL)
    g_async_queue_push (self->credits, CREDIT);
  fetched_free (fetched);
  return page;
}

/**
 * _cp_sync_prefetch_ready:
 *
 * Returns: whether the next page (or the error that ends the pull) is
 *   already there, so that _cp_sync_prefetch_next() will not wait
 */
gboolean
_cp_sync_prefetch_ready (CpSyncPrefetch *self)
{
  return g_async_queue_length (self->fetched) > 0;
}

/**
 * _cp_sync_prefetch_stop:
 *
 * Stops the fetch thread (a request under way is cancelled), waits for
 * it, and drops a page fetched ahead: it was never written, and the
 * committed cursor still points before it.
 */
void
_cp_sync_prefetch_stop (CpSyncPrefetch *self)
{
  g_atomic_int_set (&self->stopping, 1);
  g_cancellable_cancel (self->cancellable);
  g_async_queue_push (self->credits, CREDIT);
  g_thread_join (self->thread);

  if (self->run_cancellable != NULL)
    {
      g_cancellable_disconnect (self->run_cancellable, self->run_handler);
      g_object_unref (self->run_cancellable);
    }
  g_async_queue_unref (self->fetched);
  g_async_queue_unref (self->credits);
  g_object_unref (self->cancellable);
  g_object_unref (self->backend);
  g_free (self->cursor);
  g_free (self);
}
