/* cp-lead-list-model.c — a lazy GListModel of the leads matching a query
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cp-lead-list-model"

#include "config.h"

#include "cp-lead-list-model.h"
#include "cp-lead-store-query-private.h"
#include "cp-lead-store-private.h"

/* Rows are read a page at a time and only a few pages are kept, so a view
 * over a million leads holds a few hundred objects, not a million. A page
 * is read after the last row of the page before it (its sort key), not
 * with OFFSET; the keys of pages read are remembered (a few thousand at
 * most), and a jump finds its page's start from the index alone. */
#define PAGE_SIZE 100
#define MAX_PAGES 8
#define MAX_KEYS 4096

typedef struct
{
  guint      index;    /* first position / PAGE_SIZE */
  GPtrArray *leads;
  guint64    last_use;
} Page;

struct _CpLeadListModel
{
  GObject       parent_instance;

  CpLeadStore  *store;
  CpLeadQuery  *query;
  gulong        changed_id;

  guint         n_items;
  Page          pages[MAX_PAGES];
  guint64       use_counter;
  GHashTable   *last_keys;     /* page index → CpLeadKey of its last row */

  /* The count of a million rows takes a while: it is made on a worker
   * (its own read connection) while the first page already shows. */
  gboolean      count_async;
  gboolean      counting;
  guint         count_serial;
  GCancellable *count_cancellable;

  /* A deferred model reads nothing until started; then its length and
   * first page are read on the store's read worker (the board's columns,
   * filled after the window's first frame). */
  gboolean      loading;
  gboolean      load_started;
  GCancellable *load_cancellable;
};

static void cp_lead_list_model_iface_init (GListModelInterface *iface);
static void start_first_read              (CpLeadListModel     *self);

G_DEFINE_FINAL_TYPE_WITH_CODE (CpLeadListModel, cp_lead_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      cp_lead_list_model_iface_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  PROP_COUNTING,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
drop_pages (CpLeadListModel *self)
{
  for (guint i = 0; i < MAX_PAGES; i++)
    {
      g_clear_pointer (&self->pages[i].leads, g_ptr_array_unref);
      self->pages[i].last_use = 0;
    }
  g_hash_table_remove_all (self->last_keys);
}

static guint
count_items (CpLeadListModel *self)
{
  g_autoptr(GError) error = NULL;
  guint count = 0;

  if (!cp_lead_store_count (self->store, self->query, &count, &error))
    {
      g_warning ("Could not count leads: %s", error->message);
      return 0;
    }

  return count;
}

/* The rows of page @page_index of @query in @store (the model's, or the
 * read worker's): after the row keyed @after (%NULL: from the start) and
 * with the key of its last row in @out_last when the query can seek, else
 * by position. */
static GPtrArray *
query_page (CpLeadStore        *store,
            const CpLeadQuery  *query,
            guint               page_index,
            const CpLeadKey    *after,
            CpLeadKey         **out_last,
            GError            **error)
{
  if (!_cp_lead_query_can_seek (query))
    return cp_lead_store_query (store, query, page_index * PAGE_SIZE, PAGE_SIZE, error);

  return _cp_lead_store_query_after (store, query, after, PAGE_SIZE, out_last, error);
}

/* The rows of page @page_index: after the last row of the page before it
 * when its key is known, else after a key read from the index alone. */
static GPtrArray *
read_page (CpLeadListModel  *self,
           guint             page_index,
           CpLeadKey       **out_last,
           GError          **error)
{
  g_autoptr(CpLeadKey) start = NULL;
  const CpLeadKey *after = NULL;

  if (page_index > 0 && _cp_lead_query_can_seek (self->query))
    {
      after = g_hash_table_lookup (self->last_keys, GUINT_TO_POINTER (page_index - 1));
      if (after == NULL)
        {
          start = _cp_lead_store_key_at (self->store, self->query, page_index * PAGE_SIZE - 1, error);
          if (start == NULL)
            return error == NULL || *error == NULL ? g_ptr_array_new () : NULL;
          after = start;
        }
    }

  return query_page (self->store, self->query, page_index, after, out_last, error);
}

/* @page now holds the rows of page @page_index (@leads, taken), and the key
 * of its last row (@last, taken; %NULL when the query cannot seek). */
static void
keep_page (CpLeadListModel *self,
           Page            *page,
           guint            page_index,
           GPtrArray       *leads,
           CpLeadKey       *last)
{
  g_clear_pointer (&page->leads, g_ptr_array_unref);
  page->index = page_index;
  page->leads = leads;
  page->last_use = ++self->use_counter;
  if (last != NULL)
    {
      if (g_hash_table_size (self->last_keys) >= MAX_KEYS)
        g_hash_table_remove_all (self->last_keys);
      g_hash_table_insert (self->last_keys, GUINT_TO_POINTER (page_index), last);
    }
}

static Page *
load_page (CpLeadListModel *self,
           guint            page_index)
{
  g_autoptr(GError) error = NULL;
  Page *victim = &self->pages[0];
  CpLeadKey *last = NULL;
  GPtrArray *leads;

  for (guint i = 0; i < MAX_PAGES; i++)
    {
      Page *page = &self->pages[i];

      if (page->leads != NULL && page->index == page_index)
        {
          page->last_use = ++self->use_counter;
          return page;
        }
      if (page->leads == NULL || page->last_use < victim->last_use)
        victim = page;
    }

  g_clear_pointer (&victim->leads, g_ptr_array_unref);
  leads = read_page (self, page_index, &last, &error);
  if (leads == NULL)
    {
      g_warning ("Could not load leads: %s", error->message);
      return NULL;
    }
  keep_page (self, victim, page_index, leads, last);

  return victim;
}

static void
set_n_items (CpLeadListModel *self,
             guint            n_items)
{
  guint old_n = self->n_items;

  if (n_items == old_n)
    return;
  self->n_items = n_items;
  if (n_items > old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, n_items - old_n);
  else
    g_list_model_items_changed (G_LIST_MODEL (self), n_items, old_n - n_items, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
set_counting (CpLeadListModel *self,
              gboolean         counting)
{
  if (self->counting == counting)
    return;
  self->counting = counting;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNTING]);
}

typedef struct
{
  char        *path;
  char        *region;
  CpLeadQuery *query;
  guint        serial;
} CountJob;

static void
count_job_free (CountJob *job)
{
  g_free (job->path);
  g_free (job->region);
  cp_lead_query_free (job->query);
  g_free (job);
}

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CountJob *job = task_data;
  g_autoptr(CpDatabase) database = NULL;
  g_autoptr(CpLeadStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  database = cp_database_open_readonly (job->path, &error);
  if (database != NULL)
    {
      store = cp_lead_store_new (database);
      cp_lead_store_set_default_region (store, job->region);
    }
  if (store == NULL || !cp_lead_store_count (store, job->query, &count, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, count);
}

static void
count_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CountJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gssize count = g_task_propagate_int (G_TASK (result), &error);
  CpLeadListModel *self;

  /* Cancelled: the model is gone (it may be finalized), or a newer count
   * is on its way. Only then is @user_data looked at. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = CP_LEAD_LIST_MODEL (user_data);
  if (job->serial != self->count_serial)
    return;
  if (error != NULL)
    g_warning ("Could not count leads: %s", error->message);
  else
    set_n_items (self, count);
  set_counting (self, FALSE);
}

/* Whether the count goes to a worker: not when the trigger-kept stage
 * totals answer it at once (no filter but the stage), and only with a file
 * to open again. */
static gboolean
can_count_on_worker (CpLeadListModel *self)
{
  const char *path = cp_database_get_path (cp_lead_store_get_database (self->store));
  g_autoptr(CpLeadQuery) beyond_stage = NULL;

  if (!self->count_async || path == NULL || *path == '\0' || g_str_equal (path, ":memory:"))
    return FALSE;
  beyond_stage = cp_lead_query_copy (self->query);
  g_clear_pointer (&beyond_stage->stage, g_free);
  return cp_lead_query_has_filter (beyond_stage);
}

static void
start_count (CpLeadListModel *self)
{
  g_autoptr(GTask) task = NULL;
  CountJob *job = g_new0 (CountJob, 1);

  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  self->count_cancellable = g_cancellable_new ();

  job->path = g_strdup (cp_database_get_path (cp_lead_store_get_database (self->store)));
  job->region = g_strdup (self->store->default_region);
  job->query = cp_lead_query_copy (self->query);
  job->serial = ++self->count_serial;
  /* No source object: a view closed during a count lets go of the model
   * and the store at once; dispose cancels the count. */
  task = g_task_new (NULL, self->count_cancellable, count_done_cb, self);
  g_task_set_source_tag (task, start_count);
  g_task_set_task_data (task, job, (GDestroyNotify) count_job_free);
  set_counting (self, TRUE);
  g_task_run_in_thread (task, count_thread);
}

/* Reads the query again. @keep_length: the rows may have moved but the
 * list is about as long (a store change), so while a worker counts, the
 * old length stands and the view keeps its place. */
static void
reset (CpLeadListModel *self,
       gboolean         keep_length)
{
  guint old_n = self->n_items;
  guint first_n;
  Page *first;

  /* Not read yet: the first read (again, if under way) reads the query
   * as it is now. */
  if (self->loading)
    {
      if (self->load_started)
        start_first_read (self);
      return;
    }

  drop_pages (self);
  self->count_serial++;
  if (!can_count_on_worker (self))
    {
      g_cancellable_cancel (self->count_cancellable);
      set_counting (self, FALSE);
      self->n_items = count_items (self);
      if (old_n != 0 || self->n_items != 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
      if (old_n != self->n_items)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
      return;
    }

  /* The first page is one indexed read; a short one is the whole list. */
  first = load_page (self, 0);
  first_n = first != NULL ? first->leads->len : 0;
  self->n_items = first_n < PAGE_SIZE || !keep_length ? first_n : MAX (old_n, first_n);
  if (old_n != 0 || self->n_items != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
  if (old_n != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  if (first != NULL && first_n == PAGE_SIZE)
    start_count (self);
  else
    {
      g_cancellable_cancel (self->count_cancellable);
      set_counting (self, FALSE);
    }
}

typedef struct
{
  guint      count;
  GPtrArray *leads;
  CpLeadKey *last;
} FirstPage;

static void
first_page_free (FirstPage *first)
{
  g_clear_pointer (&first->leads, g_ptr_array_unref);
  g_clear_pointer (&first->last, _cp_lead_key_free);
  g_free (first);
}

/* On the read worker: the query's length and its first page. */
static gpointer
read_first_page (CpLeadStore  *reader,
                 gpointer      job,
                 GError      **error)
{
  const CpLeadQuery *query = job;
  FirstPage *first = g_new0 (FirstPage, 1);

  if (!cp_lead_store_count (reader, query, &first->count, error))
    {
      first_page_free (first);
      return NULL;
    }
  first->leads = query_page (reader, query, 0, NULL, &first->last, error);
  if (first->leads == NULL)
    {
      first_page_free (first);
      return NULL;
    }

  return first;
}

static void
set_loading (CpLeadListModel *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
first_page_read_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  FirstPage *first = g_task_propagate_pointer (G_TASK (result), &error);
  CpLeadListModel *self;

  /* Cancelled: the model is gone (it may be finalized), or a newer read
   * is on its way. Only then is @user_data looked at. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = CP_LEAD_LIST_MODEL (user_data);
  if (first == NULL)
    {
      g_warning ("Could not load leads: %s", error->message);
      set_loading (self, FALSE);
      return;
    }

  drop_pages (self);
  keep_page (self, &self->pages[0], 0, g_steal_pointer (&first->leads),
             g_steal_pointer (&first->last));
  /* Set before items-changed: a handler may ask whether it is loaded. */
  self->loading = FALSE;
  set_n_items (self, MAX (first->count, self->pages[0].leads->len));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  first_page_free (first);
}

static void
start_first_read (CpLeadListModel *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->load_started = TRUE;
  _cp_lead_store_read_async (self->store, read_first_page, cp_lead_query_copy (self->query),
                             (GDestroyNotify) cp_lead_query_free, (GDestroyNotify) first_page_free,
                             start_first_read, self->load_cancellable, first_page_read_cb, self);
}

static void
store_changed_cb (CpLeadStore     *store,
                  const char      *lead_id,
                  guint            change,
                  CpLeadListModel *self)
{
  /* Any change can move a row in or out of the query or change its place
   * in the order, so the model is re-read; pages load again on demand. */
  reset (self, TRUE);
}

static GType
cp_lead_list_model_get_item_type (GListModel *model)
{
  return CP_TYPE_LEAD;
}

static guint
cp_lead_list_model_get_n_items (GListModel *model)
{
  return CP_LEAD_LIST_MODEL (model)->n_items;
}

static gpointer
cp_lead_list_model_get_item (GListModel *model,
                             guint       position)
{
  CpLeadListModel *self = CP_LEAD_LIST_MODEL (model);
  Page *page;
  guint offset;

  if (position >= self->n_items)
    return NULL;

  page = load_page (self, position / PAGE_SIZE);
  if (page == NULL)
    return NULL;

  offset = position % PAGE_SIZE;
  if (offset >= page->leads->len)
    return NULL;  /* the table shrank since the count; a reset follows */

  return g_object_ref (page->leads->pdata[offset]);
}

static void
cp_lead_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = cp_lead_list_model_get_item_type;
  iface->get_n_items = cp_lead_list_model_get_n_items;
  iface->get_item = cp_lead_list_model_get_item;
}

static void
cp_lead_list_model_dispose (GObject *object)
{
  CpLeadListModel *self = CP_LEAD_LIST_MODEL (object);

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->store);
  drop_pages (self);

  G_OBJECT_CLASS (cp_lead_list_model_parent_class)->dispose (object);
}

static void
cp_lead_list_model_finalize (GObject *object)
{
  CpLeadListModel *self = CP_LEAD_LIST_MODEL (object);

  g_clear_pointer (&self->query, cp_lead_query_free);
  g_clear_pointer (&self->last_keys, g_hash_table_unref);

  G_OBJECT_CLASS (cp_lead_list_model_parent_class)->finalize (object);
}

static void
cp_lead_list_model_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CpLeadListModel *self = CP_LEAD_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    case PROP_COUNTING:
      g_value_set_boolean (value, self->counting);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_lead_list_model_class_init (CpLeadListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cp_lead_list_model_dispose;
  object_class->finalize = cp_lead_list_model_finalize;
  object_class->get_property = cp_lead_list_model_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether n-items is a first page's length while the count is made. */
  properties[PROP_COUNTING] =
    g_param_spec_boolean ("counting", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether a deferred model has yet to show its first page (it is empty). */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cp_lead_list_model_init (CpLeadListModel *self)
{
  self->last_keys = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) _cp_lead_key_free);
}

/* A model of @query over @store that has read nothing yet. */
static CpLeadListModel *
model_new (CpLeadStore       *store,
           const CpLeadQuery *query)
{
  CpLeadListModel *self = g_object_new (CP_TYPE_LEAD_LIST_MODEL, NULL);

  self->store = g_object_ref (store);
  self->query = query != NULL ? cp_lead_query_copy (query) : cp_lead_query_new ();
  self->changed_id = g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);

  return self;
}

/**
 * cp_lead_list_model_new_full:
 * @query: (nullable): filters and order; copied
 * @count_async: whether a list longer than a page is counted on a worker
 *   thread: the first page shows at once with n-items at its length, and
 *   items-changed brings the rest when the count arrives
 *   (#CpLeadListModel:counting says when). For views over the whole
 *   database, which may be a million rows; a database with no file (in
 *   memory) is still counted at once.
 */
CpLeadListModel *
cp_lead_list_model_new_full (CpLeadStore       *store,
                             const CpLeadQuery *query,
                             gboolean           count_async)
{
  CpLeadListModel *self;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), NULL);

  self = model_new (store, query);
  self->count_async = !!count_async;
  if (can_count_on_worker (self))
    reset (self, FALSE);
  else
    self->n_items = count_items (self);

  return self;
}

/**
 * cp_lead_list_model_new_deferred:
 * @query: (nullable): filters and order; copied
 *
 * A model that reads nothing on the calling thread: it is empty, with
 * #CpLeadListModel:loading set, until cp_lead_list_model_start() has its
 * length and first page read on the store's read worker; items-changed
 * brings them. From then on it reads as cp_lead_list_model_new_full()'s does.
 */
CpLeadListModel *
cp_lead_list_model_new_deferred (CpLeadStore       *store,
                                 const CpLeadQuery *query)
{
  CpLeadListModel *self;

  g_return_val_if_fail (CP_IS_LEAD_STORE (store), NULL);

  self = model_new (store, query);
  self->loading = TRUE;

  return self;
}

/**
 * cp_lead_list_model_start:
 *
 * Starts a deferred model's first read; does nothing once it is started.
 */
void
cp_lead_list_model_start (CpLeadListModel *self)
{
  g_return_if_fail (CP_IS_LEAD_LIST_MODEL (self));

  if (self->loading && !self->load_started)
    start_first_read (self);
}

gboolean
cp_lead_list_model_get_loading (CpLeadListModel *self)
{
  g_return_val_if_fail (CP_IS_LEAD_LIST_MODEL (self), FALSE);

  return self->loading;
}

void
cp_lead_list_model_set_query (CpLeadListModel   *self,
                              const CpLeadQuery *query)
{
  g_return_if_fail (CP_IS_LEAD_LIST_MODEL (self));
  g_return_if_fail (query != NULL);

  if (cp_lead_query_equal (self->query, query))
    return;

  cp_lead_query_free (self->query);
  self->query = cp_lead_query_copy (query);
  reset (self, FALSE);
}

/* How many lead objects the model holds right now (for tests, benchmarks). */
guint
cp_lead_list_model_get_n_loaded (CpLeadListModel *self)
{
  guint n = 0;

  g_return_val_if_fail (CP_IS_LEAD_LIST_MODEL (self), 0);

  for (guint i = 0; i < MAX_PAGES; i++)
    if (self->pages[i].leads != NULL)
      n += self->pages[i].leads->len;

  return n;
}

guint
cp_lead_list_model_get_page_size (void)
{
  return PAGE_SIZE;
}
